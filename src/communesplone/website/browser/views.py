"""The home page, the public listings and the views of the website's types."""

from communesplone import _
from communesplone.core import services
from communesplone.website import fragments
from communesplone.website import listings
from communesplone.website.browser.viewlets import commune_settings
from communesplone.website.browser.viewlets import tel_href
from communesplone.website.browser.viewlets import website_settings
from communesplone.website.validation import WEEKDAYS
from plone import api
from plone.base.i18nl10n import monthname_msgid_abbr
from plone.base.i18nl10n import ulocalized_time
from plone.batching import Batch
from plone.formwidget.namedfile.converter import b64decode_file
from plone.memoize.view import memoize
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getUtility
from zope.i18n import translate
from zope.schema.interfaces import IVocabularyFactory

import mimetypes


PAGE_SIZE = 30  # directory entries per page


service_title = services.title


def term_title(vocabulary, context, value):
    if not value:
        return ""
    factory = getUtility(IVocabularyFactory, vocabulary)
    try:
        return factory(context).getTerm(value).title
    except LookupError:
        return value


class CommuneLogo(BrowserView):
    """The commune's logo (Site Setup → CommunesPlone), as an image."""

    def __call__(self):
        logo = commune_settings().logo
        if not logo:
            self.request.response.setStatus(404)
            return b""
        filename, data = b64decode_file(logo)
        kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        self.request.response.setHeader("Content-Type", kind)
        self.request.response.setHeader("Cache-Control", "public, max-age=3600")
        return data


class TypeView(BrowserView):
    def service_title(self):
        return service_title(getattr(self.context, "service", None))

    def term(self, vocabulary, value):
        return term_title(vocabulary, self.context, value)


class DirectoryEntryView(TypeView):
    def phone_link(self):
        return tel_href(self.context.phone)

    def opening_hours(self):
        return [
            {
                "day": translate(
                    WEEKDAYS.get(row.get("day"), row.get("day")), context=self.request
                ),
                "opens": row.get("opens"),
                "closes": row.get("closes"),
            }
            for row in self.context.opening_hours or ()
        ]


class ProcedureView(TypeView):
    def request_type(self):
        """The e-desk's request type (if it is there and the user may see it)."""
        uid = self.context.request_type
        if not uid:
            return None
        brains = api.content.find(UID=uid)
        return brains[0] if brains else None


class HomePage(BrowserView):
    """The commune's home page ("Accueil").

    Its blocks (banner, news, events, quick links, teasers) are one fragment
    kept in the RAM cache (see ``fragments``: it shows a new item, a setting
    or a published change on the next request).
    """

    blocks_template = ViewPageTemplateFile("templates/homepage_blocks.pt")

    def fragment_key(self):
        return fragments.base_key(self.request, self.context.absolute_url())

    @fragments.cached
    def blocks(self):
        return self.blocks_template()

    def settings(self):
        return website_settings()

    def news(self):
        return listings.latest_news(limit=6)

    def events(self):
        return listings.upcoming_events(limit=5)

    def quick_links(self):
        return [brain.getObject() for brain in listings.quick_links(limit=8)]

    def vacancies(self):
        return listings.open_vacancies(limit=3)

    def directory_count(self):
        return listings.directory_count()

    def date(self, value, long_format=False):
        # Plone's own function, without plone.api's checks of its arguments at each call
        return ulocalized_time(value, long_format, context=self.context, request=self.request)

    def month(self, value):
        """The abbreviated month of ``value``, in the visitor's language."""
        month = value.month() if callable(value.month) else value.month  # DateTime or datetime
        msgid = monthname_msgid_abbr(month)
        return translate(msgid, domain="plonelocales", context=self.request, default=msgid)


class DirectoryView(BrowserView):
    """The directory, searchable by category and text."""

    @memoize
    def _categories(self):
        factory = getUtility(IVocabularyFactory, "communesplone.website.directory_categories")
        return factory(self.context)

    def categories(self):
        return list(self._categories())

    def category(self):
        return self.request.form.get("category") or ""

    def text(self):
        return self.request.form.get("text") or ""

    def entries(self):
        """A page of the matching entries, as brains (their rows come from catalog metadata)."""
        start = str(self.request.form.get("b_start") or "0")
        start = int(start) if start.isdigit() else 0
        brains = listings.directory(self.category(), self.text(), limit=start + PAGE_SIZE)
        return Batch(brains, PAGE_SIZE, start)

    @memoize
    def phone_label(self):
        """ "Phone", translated once a page (not once a row)."""
        return translate(_("Phone"), context=self.request)

    @memoize
    def _category_titles(self):
        return {term.value: term.title for term in self._categories()}

    def category_title(self, value):
        """The category's title, from the vocabulary built once per page."""
        return self._category_titles().get(value, value or "")


class VacanciesView(BrowserView):
    """The open job vacancies (the catalog hides the closed ones)."""

    def vacancies(self):
        return [brain.getObject() for brain in listings.open_vacancies()]

    def date(self, value):
        return api.portal.get_localized_time(value)

    def contract(self, vacancy):
        return term_title("communesplone.website.contract_types", vacancy, vacancy.contract_type)

    def service(self, vacancy):
        return service_title(vacancy.service)


class ProceduresView(BrowserView):
    def procedures(self):
        return listings.procedures()
