"""A licence's page: what the urbanism officer reads and does on a file.

The road data, with the seed's road-equipment checklist (every term of the
licence type, checked or not); the work locations and parcels; the applicants
for those who may read personal data (``VIEW_PERSONAL_DATA``, decided by the
workflow, not here); the events in date order, from the catalog (only those
the user may view), with links; the "Ajouter un événement à ce dossier" menu
(``timeline.add_links``: the event types allowed by the licence type in the
licence's state, whose preceding events are there, that the user may add);
the "Outils SIG" menu, linking to the GIS views.
"""

from communesplone import _
from communesplone.urban import constants
from communesplone.urban import timeline
from communesplone.urban.desk import get_desk
from communesplone.urban.vocabularies import CONTACT_KINDS
from datetime import date
from datetime import datetime
from plone import api
from plone.memoize.view import memoize
from Products.Five.browser import BrowserView
from zope.component import queryMultiAdapter
from zope.component import queryUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory


CIVILITIES = "communesplone.urban.civilities"


def format_date(value):
    """dd/mm/yyyy of a date, datetime or DateTime; "" for None."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    return value.strftime("%d/%m/%Y")  # DateTime


def term_title(vocabulary_name, context, value):
    """The title of ``value`` in the named vocabulary (bound to ``context``), or the value."""
    if value in (None, ""):
        return ""
    factory = queryUtility(IVocabularyFactory, vocabulary_name)
    if factory is not None:
        try:
            return factory(context).getTerm(value).title
        except LookupError:
            pass
    return value


class LicenceView(BrowserView):
    """The ``view`` of the licences (permits, declarations, certificates)."""

    def tr(self, message):
        return translate(message, context=self.request)

    def licence_type(self):
        return self.context.get_licence_type()

    def state_title(self):
        return timeline.state_title(self.context)

    def state(self):
        return api.content.get_state(self.context, default="")

    def _terms(self, name, value):
        return self.tr(term_title(f"communesplone.urban.terms.{name}", self.context, value))

    # What the page shows

    def summary(self):
        """[(label, value)] of the file's main data, empty values left out."""
        licence = self.context
        licence_type = self.licence_type()
        managers = [self._user_name(user_id) for user_id in licence.folder_managers or ()]
        rows = [
            (_("Reference"), licence.reference),
            (_("Licence type"), licence_type.title if licence_type is not None else ""),
            (_("Subject"), licence.subject),
            (_("Folder category"), self._terms("folder_categories", licence.folder_category)),
            (
                _("Work types"),
                ", ".join(self._terms("work_types", value) for value in licence.work_types or ()),
            ),
            (_("Folder managers"), ", ".join(managers)),
        ]
        for kind in ("architect", "notary", "geometrician"):
            name = term_title(
                f"communesplone.urban.contacts.{kind}", licence, getattr(licence, kind, None)
            )
            rows.append((CONTACT_KINDS[kind], name))
        return [{"label": self.tr(label), "value": value} for label, value in rows if value]

    def works_description(self):
        return self.context.works_description or ""

    def _user_name(self, user_id):
        user = api.user.get(userid=user_id)
        return (user.getProperty("fullname") if user is not None else "") or user_id

    def road(self):
        """{type, coating, equipment: [{title, checked}]}: the road data and its checklist."""
        licence = self.context
        licence_type = self.licence_type()
        chosen = set(licence.road_equipments or ())
        terms = licence_type.terms("road_equipments") if licence_type is not None else []
        known = {term_id for term_id, _title in terms}
        equipment = [
            {"id": term_id, "title": title, "checked": term_id in chosen}
            for term_id, title in terms
        ]
        equipment += [  # a term removed from the configuration since: still shown
            {"id": value, "title": value, "checked": True}
            for value in licence.road_equipments or ()
            if value not in known
        ]
        return {
            "type": self._terms("road_types", licence.road_type),
            "coating": self._terms("coatings", licence.coating),
            "equipment": equipment,
        }

    def work_locations(self):
        return [
            " ".join(
                part
                for part in (
                    row.get("street"),
                    row.get("number"),
                    "–" if row.get("postal_code") or row.get("city") else "",
                    row.get("postal_code"),
                    row.get("city"),
                )
                if part
            )
            for row in self.context.work_locations or ()
        ]

    def parcels(self):
        keys = ("division", "section", "radical", "bis", "exposant", "puissance")
        return [
            {**{key: row.get(key) or "" for key in keys}, "partie": bool(row.get("partie"))}
            for row in self.context.parcels or ()
        ]

    def can_view_personal_data(self):
        return api.user.has_permission(constants.VIEW_PERSONAL_DATA, obj=self.context)

    def applicants(self):
        """The applicants, for those who may read personal data; else None."""
        if not self.can_view_personal_data():
            return None
        rows = []
        for row in self.context.applicants or ():
            civility = term_title(CIVILITIES, self.context, row.get("civility"))
            name = " ".join(
                part for part in (row.get("first_name"), row.get("name")) if part
            )  # fmt: skip
            rows.append(
                {
                    "civility": self.tr(civility) if civility else "",
                    "name": name,
                    "company": " ".join(
                        part for part in (row.get("company"), row.get("bce_number")) if part
                    ),
                    "address": row.get("address") or "",
                    "phone": row.get("phone") or "",
                    "email": row.get("email") or "",
                }
            )
        return rows

    def planning(self):
        licence = self.context
        yes, no = self.tr(_("Yes")), self.tr(_("No"))
        subdivision = yes if licence.in_subdivision else no
        if licence.in_subdivision and licence.subdivision_reference:
            subdivision = f"{yes} ({licence.subdivision_reference})"
        rows = [
            (_("Zone of the plan de secteur"), self._terms("zones", licence.zone)),
            (_("In a permis d'urbanisation"), subdivision),
            (_("Protected heritage"), yes if licence.protected_heritage else no),
            (_("Dwellings before"), licence.dwellings_before),
            (_("Dwellings after"), licence.dwellings_after),
        ]
        return [
            {"label": self.tr(label), "value": value}
            for label, value in rows
            if value not in (None, "")
        ]

    def decision(self):
        licence = self.context
        if not licence.decision:
            return None
        title = term_title("communesplone.urban.decisions", licence, licence.decision)
        return {
            "value": licence.decision,
            "title": self.tr(title),
            "date": format_date(licence.decision_date),
        }

    def internal_notes(self):
        if not api.user.has_permission(constants.VIEW_INTERNAL_NOTES, obj=self.context):
            return None
        return self.context.internal_notes or None

    @memoize
    def events(self):
        """The events the user may view, in date order: [{date, title, url, state}]."""
        workflow = api.portal.get_tool("portal_workflow")
        rows = []
        for brain in timeline.event_brains(self.context):
            state = brain.review_state
            title = workflow.getTitleForStateOnType(state, brain.portal_type) if state else ""
            # opinion requests and inquiries move on; the others have one state
            with_state = brain.portal_type in (constants.OPINION_REQUEST, constants.INQUIRY)
            rows.append(
                {
                    "date": format_date(getattr(brain, constants.INDEX_EVENT_DATE, None)),
                    "title": brain.Title,
                    "url": brain.getURL(),
                    "portal_type": brain.portal_type,
                    "state": self.tr(title) if title and with_state else "",
                }
            )
        return rows

    def add_links(self):
        return timeline.add_links(self.context)

    def gis_links(self):
        """The "Outils SIG" menu: the GIS views there are, for those who may use them."""
        licence = self.context
        desk = get_desk()
        candidates = [
            (licence, "urban-neighbours", constants.VIEW_PERSONAL_DATA, _("Owners within 50 m")),
            (
                licence,
                "urban-neighbours.csv",
                constants.VIEW_PERSONAL_DATA,
                _("Owners within 50 m (CSV)"),
            ),
            (desk, "urban-map", constants.VIEW, _("Map of the files")),
            (desk, "urban-parcels", constants.SEARCH_CADASTRE, _("Search the cadastre")),
        ]
        links = []
        for context, name, permission, label in candidates:
            if context is None or not api.user.has_permission(permission, obj=context):
                continue
            if queryMultiAdapter((context, self.request), name=name) is None:
                continue
            url = f"{context.absolute_url()}/@@{name}"
            if name == "urban-map":  # the map centred on this file
                url += f"?focus={licence.UID()}"
            links.append({"title": self.tr(label), "url": url})
        return links
