"""The urban documents: what templates get, which event offers which template,
their installation, and who may read the documents stored in an event.

- :class:`UrbanHelper` is ``urban_helper`` in the templates of licences and
  events (see docs/urban.rst, "Letters and documents"): the licence's
  reference, type, subject, work locations and parcels; the applicants and the
  owners within 50 m (``communesplone.urban.gis.neighbours``) only for those
  who may read personal data; the dates of the file's events; the body asked
  for an opinion and its address; the inquiry's dates; the decision. Every
  method reads as the user who generates the document (fields through
  ``helper.raw``, Zope's guards), never unrestricted.
- ``@@urban-templates`` answers the templates' conditions: an event offers the
  templates its event type names (``templates``).
- :func:`install_templates` puts the shipped files in ``templates/urban``;
  :func:`link_templates` gives the default event types their templates.
- A document stored in an inquiry (the File that ``@@generate-document``
  adds) is read by the staff and the applicant only: an announced inquiry is
  public, the letters to its neighbours are not. The notice
  (:data:`communesplone.urban.templates.PUBLIC`) is the exception: it is
  marked :class:`IPublicDocument` and follows the inquiry.
"""

from AccessControl.PermissionRole import rolesForPermissionOn
from Acquisition import aq_inner
from Acquisition import aq_parent
from communesplone import _
from communesplone.documents.interfaces import IDocumentContext
from communesplone.urban import constants
from communesplone.urban import timeline
from communesplone.urban.desk import get_event_type
from communesplone.urban.desk import get_licence_type
from plone import api
from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from Products.Five import BrowserView
from zope import schema
from zope.component import adapter
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import provider

import json
import logging


logger = logging.getLogger(__name__)

RADIUS = 50  # metres: the owners told of a public inquiry
PUBLIC_ROLES = ("Anonymous", "Authenticated")
READ_PERMISSIONS = (constants.VIEW, constants.ACCESS)


@provider(IFormFieldProvider)
class ILetterText(model.Schema):
    """The text an event's letters carry: the missing parts, the decision's reasons."""

    letter_text = schema.Text(
        title=_("Text of the letters"),
        description=_(
            "One item per line: the missing parts of a request for missing parts, "
            "the grounds of a decision."
        ),
        required=False,
    )


class IPublicDocument(Interface):
    """A document stored in an inquiry that the public may read with the inquiry."""


# What templates get ----------------------------------------------------------------


def _person(row):
    """'M. Jean Dupont' or the company's name, from an applicant's row."""
    names = [row.get("first_name"), row.get("name")]
    person = " ".join(part for part in names if part)
    company = row.get("company") or ""
    if person and company:
        return f"{company} ({person})"
    return company or person


class UrbanHelper:
    """``urban_helper`` in the templates of licences and events; see docs/urban.rst."""

    __allow_access_to_unprotected_subobjects__ = 1
    radius = RADIUS

    def __init__(self, helper):
        self.helper = helper

    def _licence(self, obj):
        licence = timeline.licence_of(obj)
        if licence is None or not api.user.has_permission(constants.VIEW, obj=licence):
            return None
        return licence

    def _raw(self, obj, name):
        return self.helper.raw(obj, name) if obj is not None else None

    def reference(self, obj):
        """The licence's reference: "PU/2026/0042"."""
        return self._raw(self._licence(obj), "reference") or ""

    def licence_type(self, obj):
        """The licence type's title: "Permis d'urbanisme"."""
        licence = self._licence(obj)
        found = get_licence_type(self._raw(licence, "licence_type"))
        return found.Title() if found is not None else ""

    def subject(self, obj):
        return self._raw(self._licence(obj), "subject") or ""

    def works(self, obj):
        """The description of the works (or, for an inquiry, its notice's text)."""
        if getattr(obj, "portal_type", None) == constants.INQUIRY:
            notice = self._raw(obj, "notice")
            if notice:
                return notice
        return self._raw(self._licence(obj), "works_description") or ""

    def address(self, obj):
        """The work locations, on one line: "Rue Haute 12 5000 Namur"."""
        licence = self._licence(obj)
        return (licence.address or "") if licence is not None else ""

    def parcels(self, obj):
        """The cadastral parcels: "Namur 1 A 123 B (partie)", comma-separated."""
        rows = self._raw(self._licence(obj), "parcels") or ()
        texts = []
        for row in rows:
            parts = [row.get(key) for key in ("division", "section", "radical")]
            suffix = "".join(row.get(key) or "" for key in ("bis", "exposant", "puissance"))
            text = " ".join(part for part in [*parts, suffix] if part)
            if row.get("partie"):
                text += " (partie)" if self.helper.language == "fr" else " (deel)"
            texts.append(text)
        return ", ".join(texts)

    def applicants(self, obj):
        """[{'name', 'address'}] of the applicants: [] for who may not read personal data."""
        rows = self._raw(self._licence(obj), "applicants") or ()
        return [{"name": _person(row), "address": row.get("address") or ""} for row in rows]

    def applicant_names(self, obj):
        return ", ".join(row["name"] for row in self.applicants(obj) if row["name"])

    def managers(self, obj):
        """The folder managers' full names."""
        names = []
        for userid in self._raw(self._licence(obj), "folder_managers") or ():
            user = api.user.get(userid=userid)
            names.append((user.getProperty("fullname", "") or userid) if user else userid)
        return ", ".join(names)

    def event_title(self, obj):
        """The event's type: "Enquête publique", "Annonce de projet"."""
        return obj.Title() if api.user.has_permission(constants.VIEW, obj=obj) else ""

    def event_date(self, obj, fmt="long"):
        return self.helper.date(self._raw(obj, "event_date"), fmt)

    def date_of(self, obj, event_type, fmt="long"):
        """The date of the licence's last event of type ``event_type`` ('' if none)."""
        licence = self._licence(obj)
        if licence is None:
            return ""
        found = api.content.find(
            context=licence,
            portal_type=constants.EVENTS,
            **{constants.INDEX_EVENT_TYPE: event_type},
        )
        dates = [self._raw(brain.getObject(), "event_date") for brain in found]
        dates = [day for day in dates if day is not None]
        return self.helper.date(max(dates), fmt) if dates else ""

    def lines(self, obj, name="letter_text"):
        """The non-empty lines of the event's text field ``name``."""
        if name == "text":
            name = "letter_text"
        value = self._raw(obj, name) or ""
        return [line.strip() for line in str(value).splitlines() if line.strip()]

    def body(self, obj):
        """The body asked for an opinion: {'title', 'address': [lines]}."""
        event_type = get_event_type(self._raw(obj, "event_type"))
        title = self._raw(obj, "body") or (event_type.body if event_type is not None else "")
        address = getattr(event_type, "body_address", None) or ""
        return {
            "title": title or "",
            "address": [line.strip() for line in address.splitlines() if line.strip()],
        }

    def delay(self, obj):
        """The days the body has to answer (the request's, else its type's), or None."""
        delay = self._raw(obj, "delay")
        if delay is None:
            event_type = get_event_type(self._raw(obj, "event_type"))
            delay = event_type.delay if event_type is not None else None
        return delay

    def inquiry(self, obj, fmt="long"):
        """{'start', 'end'}: the inquiry's dates, in words."""
        return {
            "start": self.helper.date(self._raw(obj, "start_date"), fmt),
            "end": self.helper.date(self._raw(obj, "end_date"), fmt),
        }

    def neighbours(self, obj):
        """[{'capakey', 'name', 'address'}]: the owners within :data:`RADIUS` m.

        Personal data: [] for who may not read it on the licence.
        """
        from communesplone.urban import gis

        licence = self._licence(obj)
        if licence is None or not api.user.has_permission(
            constants.VIEW_PERSONAL_DATA, obj=licence
        ):
            return []
        return [
            {"capakey": row.capakey, "name": row.owner_name, "address": row.owner_address}
            for row in gis.neighbours(licence, radius=RADIUS)
        ]

    def decision(self, obj):
        """'granted', 'refused' or '': the event's decision, else the licence's."""
        return self._raw(obj, "decision") or self._raw(self._licence(obj), "decision") or ""

    def granted(self, obj):
        return self.decision(obj) == constants.GRANTED


@implementer(IDocumentContext)
@adapter(Interface)
class UrbanDocumentContext:
    """Gives templates of licences and events ``urban_helper``."""

    def __init__(self, context):
        self.context = context

    def __call__(self, helper):
        return {"urban_helper": UrbanHelper(helper)}


# Which event offers which template ---------------------------------------------------


def offered(event):
    """The ids of the templates the event's type names (none for other content)."""
    if getattr(event, "portal_type", None) not in constants.EVENTS:
        return ()
    event_type = get_event_type(getattr(event, "event_type", None))
    return tuple(getattr(event_type, "templates", None) or ()) if event_type is not None else ()


class TemplatesView(BrowserView):
    """``@@urban-templates``: ``offers(template_id)`` for the templates' conditions."""

    def offers(self, template_id):
        return template_id in offered(self.context)


# Install and link ----------------------------------------------------------------------


def install_templates():
    """The shipped templates in ``templates/urban`` (those already there are left)."""
    from communesplone.documents.setuphandlers import install_templates as install
    from communesplone.documents.templates import SITE_FOLDER
    from communesplone.urban.templates import FOLDER_ID
    from communesplone.urban.templates import TEMPLATES

    root = api.portal.get().get(SITE_FOLDER)
    known = root is not None and FOLDER_ID in root.objectIds()
    before = set(root[FOLDER_ID].objectIds()) if known else set()
    folder = install(FOLDER_ID, _("Urbanism templates"), TEMPLATES)
    for shipped in TEMPLATES:
        if shipped.id not in before:  # the letters are kept in their events
            folder[shipped.id].storable = True
    return folder


def link_templates(event_types):
    """Give each default event type of ``event_types`` its templates (:data:`DEFAULT_LINKS`),
    unless it names some already (an administrator's choice is kept)."""
    from communesplone.urban.templates import DEFAULT_LINKS

    for event_type in event_types:
        wanted = DEFAULT_LINKS.get(event_type.getId()) or DEFAULT_LINKS.get(
            f"kind:{event_type.kind}"
        )
        if wanted and not event_type.templates:
            event_type.templates = list(wanted)


def uninstall_templates():
    from communesplone.documents.templates import SITE_FOLDER
    from communesplone.urban.templates import FOLDER_ID

    templates = api.portal.get().get(SITE_FOLDER)
    if templates is not None and FOLDER_ID in templates.objectIds():
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(obj=templates[FOLDER_ID], check_linkintegrity=False)


# Who reads the documents stored in an inquiry --------------------------------------------


def _template_id(request):
    """The id of the template a @@generate-document or @generate-document POST renders."""
    uid = request.form.get("template") if request is not None else None
    if not uid and request is not None:
        try:
            uid = json.loads(request.get("BODY") or b"{}").get("template")
        except (ValueError, AttributeError):
            uid = None
    if not uid or not isinstance(uid, str):
        return None
    found = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(UID=uid)
    return found[0].getId if found else None


def make_private(document, inquiry):
    """``document`` readable as the inquiry's licence is (the staff, the applicant),
    never by the public, whatever the inquiry's state."""
    licence = aq_parent(aq_inner(inquiry))
    for permission in READ_PERMISSIONS:
        roles = [
            role for role in rolesForPermissionOn(permission, licence) if role not in PUBLIC_ROLES
        ]
        document.manage_permission(permission, roles=roles, acquire=False)
    document.reindexObjectSecurity()


def make_public(document):
    """``document`` read as its container is (the notice of an announced inquiry)."""
    alsoProvides(document, IPublicDocument)
    for permission in READ_PERMISSIONS:
        document.manage_permission(permission, roles=[], acquire=True)
    document.reindexObject()
    document.reindexObjectSecurity()


def make_not_public(document):
    """``document`` no longer marked public (its permissions: :func:`make_private`)."""
    from zope.interface import noLongerProvides

    noLongerProvides(document, IPublicDocument)
    document.reindexObject()
    document.reindexObjectSecurity()


def document_added(document, event):
    """A File added in an inquiry: private, unless it is the notice."""
    container = aq_parent(aq_inner(document))
    if getattr(container, "portal_type", None) != constants.INQUIRY:
        return
    from communesplone.urban.templates import PUBLIC

    if _template_id(getattr(document, "REQUEST", None)) in PUBLIC:
        make_public(document)
        return
    make_private(document, container)


def public_documents(inquiry):
    """The public documents of ``inquiry`` that the current user may view."""
    return list(
        api.content.find(
            context=inquiry,
            portal_type="File",
            object_provides=IPublicDocument.__identifier__,
            sort_on="created",
        )
    )
