"""The seed's layout: top bar, logo and name, alert banners, footer, colours."""

from communesplone.core.interfaces import ICommunesPloneSettings
from communesplone.website import fragments
from communesplone.website import listings
from communesplone.website.browser.standards import Sections
from communesplone.website.interfaces import IWebsiteSettings
from communesplone.website.interfaces import PREFIX
from communesplone.website.validation import COLOUR
from plone import api
from plone.app.i18n.locales.browser import selector
from plone.app.layout.viewlets.common import ViewletBase
from plone.app.theming.utils import theming_policy
from plone.base.interfaces import IBundleRegistry
from plone.i18n.locales.interfaces import IContentLanguageAvailability
from plone.registry.interfaces import IRegistry
from Products.CMFCore.Expression import Expression
from Products.CMFPlone.resources.browser import resource
from Products.CMFPlone.resources.utils import evaluateExpression
from zope.component import getUtility

import webresource


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
    """The current, published alert banners, on every page (a cached fragment)."""

    def fragment_key(self):
        return fragments.base_key(self.request)

    @fragments.cached
    def render(self):
        self.alerts = []
        for brain in listings.current_alerts():
            alert = brain.getObject()
            self.alerts.append(
                {
                    "message": alert.message,
                    "level": alert.level,
                    "title": brain.Title,
                    "url": brain.getURL(),
                }
            )
        return self.index() if self.alerts else ""


class FooterViewlet(ViewletBase):
    """Address, opening hours, contact and site map (Site Setup → Website; a cached fragment)."""

    def fragment_key(self):
        return fragments.base_key(self.request, self.navigation_root_url)

    @fragments.cached
    def render(self):
        settings = website_settings()
        commune = commune_settings()
        self.portal_url = api.portal.get().absolute_url()
        self.name = commune.commune_name or self.portal_state.navigation_root_title()
        self.address = (settings.footer_address or commune.address or "").splitlines()
        self.hours = (settings.footer_hours or "").splitlines()
        self.phone = settings.footer_phone
        self.email = settings.footer_email or commune.contact_email
        self.phone_link = tel_href(self.phone)
        return self.index()


class GlobalSectionsViewlet(Sections):
    """Plone's navigation (with the markup of ``standards.Sections``), as a cached fragment.

    Besides the common key (see ``fragments``), the navigation depends on its
    root, on the context's path down to the navigation's depth (an item
    excluded from the navigation shows when one is in it), on the content's
    language and on the actions of the ``portal_tabs`` category.
    """

    def fragment_key(self):
        root = self.navtree_path
        depth = getUtility(IRegistry)["plone.navigation_depth"]
        path = "/".join(self.context.getPhysicalPath())
        below = path[len(root) :].split("/")[1 : 1 + depth] if path.startswith(root) else [path]
        tabs = getattr(api.portal.get_tool("portal_actions"), "portal_tabs", None)
        actions = ()
        if tabs is not None:
            actions = tuple(map(fragments.persistent_serial, (tabs, *tabs.objectValues())))
        return fragments.base_key(
            self.request, root, "/".join(below), self.current_language, actions
        )

    @fragments.cached
    def render(self):
        return super().render()


class ResourcesCache:
    """The resource registry's script and style tags, rendered once and kept in the RAM cache.

    Plone computes them again on each request: it traverses to each bundle's
    file and reads it, to hash it for the URLs and the integrity attributes.
    The tags change with the bundles' registry records (and Plone's
    ``update_resource_registry_mtime``), the theme, the bundles a view adds
    or removes on the request, what the bundles' expressions say on this
    context for this user, and the site's URL; a theme's files edited
    through the web show within a minute.
    """

    def _expressions(self):
        """What each bundle's expression says here (the bundles read once per registry change)."""
        serial = fragments.registry_serial()
        if _EXPRESSIONS.get("serial") != serial:
            records = getUtility(IRegistry).collectionOfInterface(
                IBundleRegistry, prefix="plone.bundles", check=False
            )
            _EXPRESSIONS["serial"] = serial
            _EXPRESSIONS["bundles"] = tuple(
                (name, Expression(record.expression))
                for name, record in records.items()
                if record.enabled and record.expression
            )
        return tuple(
            (name, bool(evaluateExpression(expression, self.context)))
            for name, expression in _EXPRESSIONS["bundles"]
        )

    def fragment_key(self):
        registry = getUtility(IRegistry)
        policy = theming_policy(self.request)
        enabled, disabled = self._request_bundles()
        return (
            fragments.registry_serial(),
            getattr(registry, resource._RESOURCE_REGISTRY_MTIME, None),
            policy.isThemeEnabled() and policy.getCurrentTheme(),
            tuple(sorted(enabled)),
            tuple(sorted(disabled)),
            self._expressions(),
            fragments.viewer(self.request),
            api.portal.get().absolute_url(),
            webresource.config.development,
            int(fragments.now()) // fragments.MINUTE,
        )

    @fragments.cached
    def _rendered(self):
        super().update()
        return dict(self.rendered)

    def update(self):
        cached = getattr(self.request, resource.REQUEST_CACHE_KEY, None)
        if cached is not None:
            self.rendered = cached
            return
        self.rendered = self._rendered()
        setattr(self.request, resource.REQUEST_CACHE_KEY, self.rendered)


_EXPRESSIONS = {}  # the bundles' compiled expressions, and the registry's serial they are of


class ScriptsViewlet(ResourcesCache, resource.ScriptsView):
    """Plone's script tags (``plone.resourceregistries.scripts``), cached."""


class StylesViewlet(ResourcesCache, resource.StylesView):
    """Plone's style tags (``plone.resourceregistries.styles``), cached."""


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
