"""The seed's layout: top bar, logo and name, alert banners, footer, colours."""

from communesplone.core.interfaces import ICommunesPloneSettings
from communesplone.website import listings
from communesplone.website.interfaces import IWebsiteSettings
from communesplone.website.interfaces import PREFIX
from communesplone.website.validation import COLOUR
from plone import api
from plone.app.i18n.locales.browser import selector
from plone.app.layout.viewlets.common import ViewletBase
from plone.i18n.locales.interfaces import IContentLanguageAvailability
from plone.registry.interfaces import IRegistry
from zope.component import getUtility


def website_settings():
    return getUtility(IRegistry).forInterface(IWebsiteSettings, prefix=PREFIX, check=False)


def tel_href(phone):
    """The ``tel:`` link of ``phone`` as written by people ("071 26 11 11"): digits and +."""
    return "tel:" + "".join(c for c in (phone or "") if c.isdigit() or c == "+")


def commune_settings():
    return getUtility(IRegistry).forInterface(
        ICommunesPloneSettings, prefix="communesplone", check=False
    )


class ColoursViewlet(ViewletBase):
    """The administrator's colours as CSS custom properties (checked as #rrggbb)."""

    def render(self):
        settings = website_settings()
        colours = {
            "--cp-primary": settings.primary_colour,
            "--cp-accent": settings.accent_colour,
        }
        rules = "".join(
            f"{name}:{value};" for name, value in colours.items() if COLOUR.match(value or "")
        )
        return f"<style>:root{{{rules}}}</style>" if rules else ""


class TopBarViewlet(ViewletBase):
    def update(self):
        super().update()
        self.portal_url = api.portal.get().absolute_url()


class LogoViewlet(ViewletBase):
    """The commune's logo and name (Site Setup → CommunesPlone), or the site's title."""

    def update(self):
        super().update()
        settings = commune_settings()
        self.portal_url = self.portal_state.navigation_root_url()
        self.name = settings.commune_name or self.portal_state.navigation_root_title()
        self.logo_url = (
            f"{api.portal.get().absolute_url()}/@@commune-logo" if settings.logo else None
        )


class AlertsViewlet(ViewletBase):
    """The current, published alert banners, on every page."""

    def update(self):
        super().update()
        self.alerts = [
            {
                "message": brain.getObject().message,
                "level": brain.getObject().level,
                "title": brain.Title,
                "url": brain.getURL(),
            }
            for brain in listings.current_alerts()
        ]

    def render(self):
        return self.index() if self.alerts else ""


class FooterViewlet(ViewletBase):
    """Address, opening hours, contact and site map (Site Setup → Website)."""

    def update(self):
        super().update()
        settings = website_settings()
        commune = commune_settings()
        self.portal_url = api.portal.get().absolute_url()
        self.name = commune.commune_name or self.portal_state.navigation_root_title()
        self.address = (settings.footer_address or commune.address or "").splitlines()
        self.hours = (settings.footer_hours or "").splitlines()
        self.phone = settings.footer_phone
        self.email = settings.footer_email or commune.contact_email
        self.phone_link = tel_href(self.phone)


class LanguageSelector(selector.LanguageSelector):
    """Plone's language selector, reading the site's languages once.

    Plone's ``languages()`` goes through every language it knows (about 400)
    and, for each, reads the site's languages from the registry again (a
    fifth of the home page's time). The same list, in the site's order, from
    one reading.
    """

    def languages(self):
        if self.tool is None:
            return []
        current = self.tool.getLanguageBindings(self.request)[0]
        known = getUtility(IContentLanguageAvailability).getLanguages(
            combined=self.tool.use_combined_language_codes
        )
        return [
            {**known[code], "code": code, "selected": code == current}
            for code in self.tool.getSupportedLanguages()
            if code in known
        ]
