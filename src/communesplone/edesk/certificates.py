"""Certificates: the document a request type produces when a request is approved.

A request type may name a document template (``certificate_template``, a
``pod_template`` offered on ``citizen_request``). When a request of that type
is marked as done (transition ``complete``), :func:`generate` renders it and
keeps it in the request as a File marked :class:`ICertificate`:

- rendered as the staff member who approved the request (the template's
  expressions read what that member may read, in the sandbox of
  ``communesplone.documents``), and stored as the system on that member's
  behalf, since nobody may add files to a finished request;
- as PDF when LibreOffice answers and the template produces PDF, else ODT;
- noted in the request's history (which the citizen reads);
- the File has no workflow of its own: it is seen by whoever may view the
  request (the citizen who made it, the service's staff, administrators).

Templates get ``request_helper`` (:class:`RequestHelper`): the tracking
number, the citizen's name and address, the values of the form.
"""

from communesplone import _
from communesplone.core.i18n import commune_language
from communesplone.documents import generation
from communesplone.documents import libreoffice
from communesplone.documents.interfaces import IDocumentContext
from communesplone.edesk.content.citizen_request import ICitizenRequest
from DateTime import DateTime
from plone import api
from plone.dexterity.utils import addContentToContainer
from plone.dexterity.utils import createContent
from plone.namedfile.file import NamedBlobFile
from zope.component import adapter
from zope.i18n import translate
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.interface import Interface

import logging


logger = logging.getLogger(__name__)

PORTAL_TYPE = "citizen_request"
APPROVED = "complete"  # the transition after which the certificate is made
HISTORY_ACTION = "generate_certificate"
# Fields of a type whose values, when present, name and locate the citizen.
NAME_FIELDS = ("fullname", "name")
ADDRESS_FIELDS = ("citizen_address", "home_address")


class ICertificate(Interface):
    """Marks a File that is a request's generated certificate."""


def certificate_templates():
    """The enabled document templates offered on requests (read as the system)."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type=generation.TEMPLATE_TYPE, pod_portal_types=PORTAL_TYPE, sort_on="sortable_title"
    )
    return [brain._unrestrictedGetObject() for brain in brains]


def template_of(request_type):
    """The certificate template of ``request_type``, or None (none chosen, gone, disabled)."""
    uid = getattr(request_type, "certificate_template", None)
    if not uid:
        return None
    for template in certificate_templates():
        if template.UID() == uid and template.enabled:
            return template
    return None


def output_format(template):
    """PDF when the template produces it and LibreOffice answers, else ODT."""
    formats = template.output_formats or ()
    if "pdf" in formats and libreoffice.available():
        return "pdf"
    return "odt"


def certificates(request):
    """The certificates of ``request`` that the current user may view."""
    return list(
        api.content.find(
            context=request, object_provides=ICertificate.__identifier__, sort_on="created"
        )
    )


def generate(request):
    """Render the request type's certificate into ``request``; return the File or None.

    None when the type has no certificate template, or when rendering failed
    (logged with its cause for the administrators; the history says the
    service will send the document, never the template's error).
    """
    request_type = request.get_request_type()
    template = template_of(request_type) if request_type is not None else None
    if template is None:
        return None
    kind = output_format(template)
    try:
        generated = generation.render(request, template, kind)
    except generation.GenerationError as error:
        logger.error(
            "Certificate of %s not generated from %s: %s",
            "/".join(request.getPhysicalPath()),
            "/".join(template.getPhysicalPath()),
            getattr(error, "detail", None) or error,
        )
        _note(request, _("The certificate could not be generated: the service will send it."))
        return None
    name = f"{template.Title()} {request.tracking_number or request.getId()}.{kind}"
    stored = _store(request, generated, name)
    _note(request, _('Certificate "${title}" generated.', mapping={"title": name}))
    return stored


def _store(request, generated, name):
    """Add the File as the system, owned by the current (staff) user."""
    with api.env.adopt_roles(["Manager"]):
        certificate = createContent(
            "File",
            title=name,
            file=NamedBlobFile(data=generated.data, contentType=generated.mimetype, filename=name),
        )
        alsoProvides(certificate, ICertificate)
        certificate = addContentToContainer(request, certificate, checkConstraints=False)
        certificate.reindexObject()
    return certificate


def _note(request, message):
    """An entry in the request's history (its state unchanged), for the citizen too."""
    workflow_tool = api.portal.get_tool("portal_workflow")
    for workflow in workflow_tool.getWorkflowsFor(request):
        status = dict(workflow_tool.getStatusOf(workflow.getId(), request) or {})
        status.update(
            action=HISTORY_ACTION,
            actor=api.user.get_current().getId(),
            time=DateTime(),
            comments=translate(message, target_language=commune_language()),
        )
        workflow_tool.setStatusOf(workflow.getId(), request, status)


def after_transition(request, event):
    """Subscriber: the certificate once the request is approved."""
    if event.transition is not None and event.transition.id == APPROVED:
        generate(request)


# What templates get --------------------------------------------------------------


class RequestHelper:
    """``request_helper`` in the templates of requests; see docs/edesk.rst.

    Every method reads as the user who generates the document: nothing
    unless they may view the request, fields through Zope's guards.
    """

    __allow_access_to_unprotected_subobjects__ = 1

    def __init__(self, helper):
        self.helper = helper

    def _viewable(self, request):
        return api.user.has_permission("View", obj=request)

    def number(self, request):
        """The tracking number: "2026-000123"."""
        return self.helper.raw(request, "tracking_number") or ""

    def type_title(self, request):
        """The title of the request's type: "Certificat de résidence"."""
        if not self._viewable(request):
            return ""
        request_type = request.get_request_type()
        return request_type.Title() if request_type is not None else ""

    def _values(self, request):
        # Read after the View check: ``values`` is the request's field (View),
        # which Zope's guard confuses with the folder's ``values()`` method.
        if not self._viewable(request):
            return {}
        values = request.__dict__.get("values")
        return dict(values) if values else {}

    def value(self, request, field_id):
        """The citizen's answer to the field ``field_id``, as text ('' if none)."""
        value = self._values(request).get(field_id)
        if value is None:
            return ""
        if isinstance(value, bool):
            return translate(_("Yes") if value else _("No"), target_language=self.helper.language)
        return str(value)

    def lines(self, request, field_id):
        """The non-empty lines of the answer to ``field_id`` (a long text)."""
        return [line.strip() for line in self.value(request, field_id).splitlines() if line.strip()]

    def values(self, request):
        """[{'id', 'label', 'value'}] of the form's fields, in the type's order."""
        if not self._viewable(request):
            return []
        request_type = request.get_request_type()
        rows = request_type.definitions() if request_type is not None else []
        stored = self._values(request)
        return [
            {"id": row["id"], "label": row["label"], "value": self.value(request, row["id"])}
            for row in rows
            if row["id"] in stored and row["type"] != "file"
        ]

    def citizen(self, request):
        """{'name', 'address', 'nrn', 'email'}: from the form's values where it has
        fields of those names (``fullname``, ``citizen_address``, ``nrn``), else from
        the member who made the request (full name, national register number,
        email) and the request's address."""
        empty = {"name": "", "address": "", "nrn": "", "email": ""}
        if not self._viewable(request):
            return empty
        values = self._values(request)
        creators = request.listCreators()
        member = api.user.get(userid=creators[0]) if creators else None

        def prop(name):
            return (member.getProperty(name, "") or "") if member is not None else ""

        def first(names):
            return next((str(values[n]) for n in names if values.get(n)), "")

        return {
            "name": first(NAME_FIELDS) or prop("fullname") or (creators[0] if creators else ""),
            "address": first(ADDRESS_FIELDS)
            or (self.helper.raw(request, "address") or "")
            or prop("location"),
            "nrn": first(("nrn",)) or prop("national_register_number"),
            "email": prop("email") or (self.helper.raw(request, "contact_email") or ""),
        }

    def approved_on(self, request, fmt="long"):
        """The date the request was marked as done (today if not yet), in words."""
        when = None
        if self._viewable(request):
            for entries in dict(getattr(request, "workflow_history", None) or {}).values():
                for entry in entries:
                    if entry.get("action") == APPROVED:
                        when = entry.get("time")
        return self.helper.date(when) if when is not None else self.helper.today(fmt)


@implementer(IDocumentContext)
@adapter(ICitizenRequest)
class RequestDocumentContext:
    """Gives templates of requests ``request_helper``."""

    def __init__(self, context):
        self.context = context

    def __call__(self, helper):
        return {"request_helper": RequestHelper(helper)}
