"""Document generation: which templates apply to an object, and rendering them.

``render`` runs appy.pod on the template as the current user. Expressions are
evaluated by appy's RestrictedPython evaluator with Zope's guards, as a Python
Script would be: no imports beyond Zope's safe modules, no file system, and
every attribute read checked against the user's permissions. appy always
raises on a template error (``raiseOnError``), so a document never carries an
error written into it, and the caller gets a :class:`TemplateError` that names
the template, the expression and the cause.
"""

from AccessControl import getSecurityManager
from AccessControl.ZopeGuards import get_safe_globals
from AccessControl.ZopeGuards import guarded_getattr
from appy.pod.renderer import Renderer
from appy.pod.restricted import Evaluator
from communesplone import _
from communesplone.documents import libreoffice
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
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type=TEMPLATE_TYPE, pod_portal_types=obj.portal_type, sort_on="sortable_title"
    )
    path = "/".join(obj.getPhysicalPath())
    folders = {
        brain.getPath()
        for brain in catalog.unrestrictedSearchResults(portal_type="pod_template_folder")
    }
    templates = (
        brain._unrestrictedGetObject()
        for brain in brains
        if _in_scope(_scope(brain.getPath(), folders), path)
    )
    return [t for t in templates if t.enabled and _condition_holds(t, obj)]


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


def _guarded_getattr(obj, name, default=None):
    """Zope's guard, except for appy's own objects (loop variables, the renderer's helpers)."""
    if type(obj).__module__.startswith("appy."):
        return getattr(obj, name, default)
    return guarded_getattr(obj, name, default)


def evaluator():
    """appy's RestrictedPython evaluator with Zope's guards."""
    guards = get_safe_globals()
    guards["_getattr_"] = _guarded_getattr
    return Evaluator(custom=guards)


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


def _language():
    return api.portal.get_registry_record("communesplone.default_language", default="fr") or "fr"


def template_names(obj, language=None):
    """The names a template gets: ``context``, ``helper``, and those of the
    object's :class:`IDocumentContext` adapters (in the order of their names)."""
    helper = DocumentHelper(language or _language())
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
    options = {}
    if output_format not in NATIVE:
        try:
            options = libreoffice.renderer_options()
        except libreoffice.LibreOfficeUnavailable as error:
            raise GenerationError(error.message, status=503) from error
    context = template_names(obj)
    with tempfile.TemporaryDirectory(prefix="communesplone-pod-") as folder:
        source = os.path.join(folder, f"template.{template.kind()}")
        with open(source, "wb") as stream:
            stream.write(template.odt_file.data)
        if template.style_file is not None:
            styles = os.path.join(folder, "styles.odt")
            with open(styles, "wb") as stream:
                stream.write(template.style_file.data)
            options["stylesTemplate"] = styles
        result = os.path.join(folder, f"result.{output_format}")
        notes = []
        try:
            Renderer(
                source,
                context,
                result,
                raiseOnError=True,
                overwriteExisting=True,
                evaluator=evaluator(),
                finalizeFunction=lambda unzipped, renderer: notes.extend(_pod_notes(unzipped)),
                **options,
            ).run()
        except Exception as error:  # appy raises PodError, and whatever an expression raised
            raise _template_error(template, error) from error
        if notes:
            raise _template_error(template, " / ".join(notes))
        with open(result, "rb") as stream:
            data = stream.read()
    return Generated(data, filename(template, obj, output_format), mimetype(output_format))


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


def can_store(obj, template):
    """The template allows it, and the user may add a File in ``obj`` (a folderish one)."""
    return bool(
        template.storable
        and IFolderish.providedBy(obj)
        and api.user.has_permission("plone.app.contenttypes: Add File", obj=obj)
    )


def store(obj, generated, template):
    """Keep ``generated`` as a File inside ``obj``, and note it in the object's history.

    The user needs the right to add a File in ``obj``; Plone checks it.
    """
    from plone.namedfile.file import NamedBlobFile

    if not can_store(obj, template):
        raise GenerationError(_("This document cannot be stored here."), status=403)
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
                target_language=_language(),
            ),
        )
        workflow_tool.setStatusOf(workflow.getId(), obj, status)
