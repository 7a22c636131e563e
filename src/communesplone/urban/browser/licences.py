"""The desk's listing of licences: filters by type, state, year and folder manager.

Every row comes from the catalog's metadata (no licence is woken up), the
catalog returns only the licences the user may view (the Urbanisme staff's,
through core's local roles), and the page is one :class:`plone.batching.Batch`
of a query limited to the page's end (``sort_limit``), so that it stays fast
with tens of thousands of files. State and type names are looked up once per
page, not once per row.
"""

from communesplone import _
from communesplone.urban import constants
from communesplone.urban import desk
from communesplone.urban.browser.licence import format_date
from communesplone.urban.content.licence import subject_of
from DateTime import DateTime
from plone import api
from plone.batching import Batch
from plone.memoize.view import memoize
from Products.Five.browser import BrowserView
from urllib.parse import urlencode
from zope.component import queryUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory


PAGE_SIZE = 50
FILTERS = ("licence_type", "state", "year", "folder_manager")


class LicencesView(BrowserView):
    """The desk's ``view``: its licences, newest first."""

    def tr(self, message):
        return translate(message, context=self.request)

    def form(self):
        return {key: (self.request.form.get(key) or "").strip() for key in FILTERS}

    @memoize
    def licence_types(self):
        """{id: title} of the configuration's licence types, in its order."""
        return {item.getId(): item.title for item in desk.licence_types()}

    @memoize
    def state_titles(self):
        """{state id: translated title} over the three licence workflows."""
        factory = queryUtility(IVocabularyFactory, "communesplone.urban.licence_states")
        return {term.value: self.tr(term.title) for term in factory(self.context)}

    @memoize
    def managers(self):
        """[(user id, name)] of the folder managers one may choose."""
        factory = queryUtility(IVocabularyFactory, "communesplone.urban.folder_managers")
        return [(term.value, term.title) for term in factory(self.context)]

    def years(self):
        this_year = DateTime().year()
        return [str(year) for year in range(this_year, this_year - 10, -1)]

    def filters(self):
        return {
            "types": list(self.licence_types().items()),
            "states": list(self.state_titles().items()),
            "years": self.years(),
            "managers": self.managers(),
        }

    def query(self):
        form = self.form()
        query = {
            "portal_type": list(constants.LICENCES),
            "path": "/".join(self.context.getPhysicalPath()),
            "sort_on": "created",
            "sort_order": "descending",
        }
        if form["licence_type"]:
            query[constants.INDEX_LICENCE_TYPE] = form["licence_type"]
        if form["state"]:
            query["review_state"] = form["state"]
        if form["folder_manager"]:
            query[constants.INDEX_FOLDER_MANAGERS] = form["folder_manager"]
        if form["year"].isdigit():
            year = int(form["year"])
            query["created"] = {
                "query": [DateTime(f"{year}/01/01 00:00:00"), DateTime(f"{year}/12/31 23:59:59")],
                "range": "min:max",
            }
        return query

    def start(self):
        try:
            return max(int(self.request.form.get("b_start") or 0), 0)
        except ValueError:
            return 0

    @memoize
    def results(self):
        start = self.start()
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog(**self.query(), sort_limit=start + PAGE_SIZE)
        return Batch(brains, PAGE_SIZE, start)

    def rows(self):
        types = self.licence_types()
        states = self.state_titles()
        rows = []
        for brain in self.results():
            licence_type = getattr(brain, constants.INDEX_LICENCE_TYPE, None)
            deadline = getattr(brain, constants.INDEX_DEADLINE, None)
            reference = getattr(brain, constants.INDEX_REFERENCE, None) or ""
            rows.append(
                {
                    "url": brain.getURL(),
                    "reference": reference,
                    "title": brain.Title,
                    "subject": subject_of(brain.Title, reference),
                    "type": types.get(licence_type, licence_type or ""),
                    "state": states.get(brain.review_state, brain.review_state or ""),
                    "state_id": brain.review_state or "",
                    "created": format_date(brain.created),
                    "deadline": format_date(deadline) if deadline else "",
                }
            )
        return rows

    def batch_links(self):
        """{previous, next}: the URLs of the neighbouring pages, or None."""
        batch = self.results()
        form = {key: value for key, value in self.form().items() if value}
        base = f"{self.context.absolute_url()}/@@licences?"
        links = {"previous": None, "next": None}
        if batch.has_previous:
            previous = max(self.start() - PAGE_SIZE, 0)
            links["previous"] = base + urlencode({**form, "b_start": previous})
        if batch.has_next:
            links["next"] = base + urlencode({**form, "b_start": self.start() + PAGE_SIZE})
        return links

    def add_links(self):
        """[{title, url}]: the kinds of file the user may add here."""
        types = api.portal.get_tool("portal_types")
        titles = {
            constants.PERMIT: _("New permit"),
            constants.DECLARATION: _("New declaration"),
            constants.CERTIFICATE: _("New certificate"),
        }
        links = []
        for portal_type in constants.LICENCES:
            fti = types.getTypeInfo(portal_type)
            if fti is not None and fti.isConstructionAllowed(self.context):
                links.append(
                    {
                        "title": self.tr(titles[portal_type]),
                        "url": f"{self.context.absolute_url()}/++add++{portal_type}",
                    }
                )
        return links
