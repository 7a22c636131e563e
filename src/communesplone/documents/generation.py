"""Document generation: which templates apply to an object, and rendering them.

``render`` runs appy.pod on the template as the current user, in the sandbox
of :mod:`communesplone.documents.sandbox`: expressions are evaluated by appy's
RestrictedPython evaluator with Zope's guards, as a Python Script would be (no
imports beyond Zope's safe modules, every attribute read checked against the
user's permissions), and appy's functions that read files or URLs take only
content the user may view. appy always raises on a template error
(``raiseOnError``), so a document never carries an error written into it, and
the caller gets a :class:`TemplateError` that names the template, the
expression and the cause.
"""

from AccessControl import getSecurityManager
from communesplone import _
from communesplone.core.i18n import commune_language
from communesplone.documents import libreoffice
from communesplone.documents import sandbox
from communesplone.documents.formats import FORMATS
from communesplone.documents.formats import mimetype
from communesplone.documents.formats import NATIVE
from communesplone.documents.helper import DocumentHelper
from communesplone.documents.interfaces import IDocumentContext
from dataclasses import dataclass
from datetime import date
from plone import api
from Products.CMFCore.Expression import Expression
from Products.CMFCore.Expression import getExprContext
from Products.CMFCore.interfaces import IFolderish
from zope.component import getAdapters

import logging
import os
import re
import tempfile


logger = logging.getLogger(__name__)
TEMPLATE_TYPE = "pod_template"


class GenerationError(Exception):
    """Generation refused or failed; ``message`` is translatable, ``status`` an HTTP code."""

    def __init__(self, message, status=400, detail=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.detail = detail


class TemplateError(GenerationError):
    """The template itself failed: for template managers, ``detail`` says where and why."""


@dataclass
class Generated:
    data: bytes
    filename: str
    mimetype: str


def templates_for(obj):
    """The enabled templates that apply to ``obj`` (type, place and condition), by title."""
    templates = _templates_in_scope(obj, pod_portal_types=obj.portal_type, sort_on="sortable_title")
    return [t for t in templates if t.enabled and _condition_holds(t, obj)]


def includable_template(obj, uid):
    """The template ``uid`` that a template may include with ``pod()`` on ``obj``.

    One from the places whose templates apply to ``obj`` (the site's, the
    body's), enabled, its condition true for ``obj``, whatever types it is
    offered on; else None. Templates are read as the system, as those the
    object offers are: what the included one shows is checked as the user.
    """
    for template in _templates_in_scope(obj, UID=uid):
        if template.enabled and _condition_holds(template, obj):
            return template
    return None


def _templates_in_scope(obj, **query):
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type=TEMPLATE_TYPE, **query)
    path = "/".join(obj.getPhysicalPath())
    folders = {
        brain.getPath()
        for brain in catalog.unrestrictedSearchResults(portal_type="pod_template_folder")
    }
    return [
        brain._unrestrictedGetObject()
        for brain in brains
        if _in_scope(_scope(brain.getPath(), folders), path)
    ]


def _scope(template_path, folders):
    """Where a template applies: what holds its outermost templates folder.

    The site for the site's ``/templates/...`` (everywhere), a meeting body
    for the body's own ``/college/templates/...`` (within that body).
    """
    parts = template_path.split("/")
    container = len(parts) - 1  # parts[:container] is the template's folder
    while container > 1 and "/".join(parts[:container]) in folders:
        container -= 1
    return "/".join(parts[:container])


def _in_scope(scope, path):
    portal_path = "/".join(api.portal.get().getPhysicalPath())
    return scope == portal_path or path == scope or path.startswith(scope + "/")


def get_template(obj, uid):
    """The template ``uid`` if it applies to ``obj``, else GenerationError (404)."""
    for template in templates_for(obj):
        if template.UID() == uid:
            return template
    raise GenerationError(_("No such document template for this object."), status=404)


def _condition_holds(template, obj):
    if not (template.condition or "").strip():
        return True
    try:
        econtext = getExprContext(obj, obj)
        econtext.setGlobal("checkPermission", getSecurityManager().checkPermission)
        return bool(Expression(template.condition)(econtext))
    except Exception:
        logger.exception("Condition of template %s failed", "/".join(template.getPhysicalPath()))
        return False


def filename(template, obj, output_format):
    values = {
        "template": template.Title(),
        "title": obj.Title(),
        "id": obj.getId(),
        "date": date.today().isoformat(),
    }
    try:
        name = (template.filename or "{template} {title}").format_map(values)
    except (KeyError, ValueError, IndexError):
        name = "{template} {title}".format_map(values)
    name = re.sub(r"[\\/:*?\"<>|\r\n]+", " ", name).strip() or template.getId()
    return f"{name}.{output_format}"


def template_names(obj, language=None):
    """The names a template gets: ``context``, ``helper``, and those of the
    object's :class:`IDocumentContext` adapters (in the order of their names)."""
    helper = DocumentHelper(language or commune_language())
    names = {}
    for _name, adapter in sorted(getAdapters((obj,), IDocumentContext), key=lambda a: a[0]):
        names.update(adapter(helper) or {})
    names.update(context=obj, helper=helper)
    return names


def render(obj, template, output_format):
    """Render ``template`` on ``obj`` as ``output_format``; return a :class:`Generated`."""
    if output_format not in FORMATS or output_format not in (template.output_formats or ()):
        raise GenerationError(
            _(
                'This template does not produce the format "${format}".',
                mapping={"format": output_format},
            )
        )
    # appy calls LibreOffice for the other formats, and for ODT when a
    # template includes a text (document(), pod()): then it connects.
    options = {"ooPort": None, "connect": libreoffice.renderer_options}
    if output_format not in NATIVE:
        try:
            options.update(libreoffice.renderer_options())
        except libreoffice.LibreOfficeUnavailable as error:
            raise GenerationError(error.message, status=503) from error
    context = template_names(obj)
    with tempfile.TemporaryDirectory(prefix="communesplone-pod-") as folder:
        source = os.path.join(folder, f"template.{template.kind()}")
        with open(source, "wb") as stream:
            stream.write(template.odt_file.data)
        notes = []
        try:
            if template.style_file is not None:
                sandbox.check_package(template.style_file.data)
                styles = os.path.join(folder, "styles.odt")
                with open(styles, "wb") as stream:
                    stream.write(template.style_file.data)
                options["stylesTemplate"] = styles
            result = os.path.join(folder, f"result.{output_format}")
            sandbox.Renderer(
                source,
                context,
                result,
                raiseOnError=True,
                overwriteExisting=True,
                finalizeFunction=lambda unzipped, renderer: notes.extend(_pod_notes(unzipped)),
                find_template=lambda uid: includable_template(obj, uid),
                chain=(template.UID(),),
                **options,
            ).run()
        except sandbox.Refused as refused:
            raise _refused(template, refused) from None
        except Exception as error:  # appy raises PodError, and whatever an expression raised
            unavailable = _cause(error, libreoffice.LibreOfficeUnavailable)
            if unavailable is not None:
                raise GenerationError(unavailable.message, status=503) from error
            raise _template_error(template, error) from error
        if notes:
            raise _template_error(template, " / ".join(notes))
        with open(result, "rb") as stream:
            data = stream.read()
    return Generated(data, filename(template, obj, output_format), mimetype(output_format))


def _cause(error, kind):
    """``error`` or what caused it (appy keeps it as ``originalError``), if a ``kind``."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, kind):
            return error
        seen.add(id(error))
        error = getattr(error, "originalError", None) or error.__cause__ or error.__context__
    return None


def _refused(template, refused):
    """The :class:`TemplateError` of a template that tried what templates may not do."""
    mapping = {"template": template.Title(), "reason": refused.message}
    if refused.expression:
        mapping["expression"] = refused.expression.strip()
        message = _(
            'The template "${template}" was refused at "${expression}": ${reason}',
            mapping=mapping,
        )
    else:
        message = _('The template "${template}" was refused: ${reason}', mapping=mapping)
    detail = f"{template.Title()} ({'/'.join(template.getPhysicalPath())}): {refused}"
    logger.warning("Template refused: %s", detail)
    return TemplateError(message, status=500, detail=detail)


def _pod_notes(unzipped):
    """The errors appy wrote as notes signed "POD" even with raiseOnError (bad statements)."""
    path = os.path.join(unzipped, "content.xml")
    with open(path, encoding="utf-8") as stream:
        content = stream.read()
    notes = re.findall(
        r"<office:annotation>\s*<dc:creator>POD</dc:creator>.*?</office:annotation>",
        content,
        re.S,
    )
    return [re.sub(r"<[^>]+>", " ", note).replace("POD", "", 1).strip() for note in notes]


def _template_error(template, error):
    detail = f"{template.Title()} ({'/'.join(template.getPhysicalPath())}): {error}"
    logger.warning("Template error: %s", detail)
    return TemplateError(
        _(
            'The template "${template}" failed: ${cause}',
            mapping={"template": template.Title(), "cause": str(error).strip()},
        ),
        status=500,
        detail=detail,
    )


def may_see_details(template):
    """Template managers (who may edit the template) see the cause of its errors."""
    return api.user.has_permission("Modify portal content", obj=template)


def check_store(obj, template):
    """Raise :class:`GenerationError` if documents of ``template`` cannot be stored in ``obj``.

    The template must allow it, ``obj`` must hold files, and the user must
    have the right to add a File in it.
    """
    if not template.storable:
        raise GenerationError(_("This template does not store the documents it generates."))
    if not IFolderish.providedBy(obj):
        raise GenerationError(_("Documents cannot be stored in this object: it holds no files."))
    if not api.user.has_permission("plone.app.contenttypes: Add File", obj=obj):
        raise GenerationError(
            _("You may not add files here, so the document cannot be stored."), status=403
        )
    if "File" not in {fti.getId() for fti in obj.allowedContentTypes()}:
        raise GenerationError(_("Documents cannot be stored in this object: it holds no files."))


def can_store(obj, template):
    """Whether :func:`check_store` lets documents of ``template`` be stored in ``obj``."""
    try:
        check_store(obj, template)
    except GenerationError:
        return False
    return True


def store(obj, generated, template):
    """Keep ``generated`` as a File inside ``obj``, and note it in the object's history.

    Checked by :func:`check_store` first; Plone checks the right to add a File too.
    """
    from plone.namedfile.file import NamedBlobFile

    check_store(obj, template)
    stored = api.content.create(
        container=obj,
        type="File",
        title=generated.filename,
        file=NamedBlobFile(
            data=generated.data, contentType=generated.mimetype, filename=generated.filename
        ),
        safe_id=True,
    )
    _note_in_history(obj, stored)
    return stored


def _note_in_history(obj, stored):
    """Add an entry to the object's workflow history, which its history view shows."""
    from DateTime import DateTime
    from zope.i18n import translate

    workflow_tool = api.portal.get_tool("portal_workflow")
    for workflow in workflow_tool.getWorkflowsFor(obj):
        status = dict(workflow_tool.getStatusOf(workflow.getId(), obj) or {})
        status.update(
            action="generate_document",
            actor=api.user.get_current().getId(),
            time=DateTime(),
            comments=translate(
                _(
                    'Document "${title}" generated and stored.',
                    mapping={"title": stored.Title()},
                ),
                target_language=commune_language(),
            ),
        )
        workflow_tool.setStatusOf(workflow.getId(), obj, status)
