"""Site Setup → Urbanism (``@@urban-controlpanel``): the urban settings
(``settings.IUrbanSettings``: the claims' limits, the college's meeting body)
and, in their own tab, the map's (``gis.IMapSettings``: tiles, WMS layers,
where it opens). For the commune's administrators (``communesplone: Manage
settings``: Manager, Site Administrator). Over REST: ``@controlpanels/urbanism``
and ``@controlpanels/urban-map``.
"""

from communesplone import _
from communesplone.core.browser.controlpanel import SettingsConfigletPanel
from communesplone.urban import gis
from communesplone.urban import settings
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.registry.interfaces import IRegistry
from plone.supermodel import model
from plone.z3cform import layout
from zope.component import adapter
from zope.component import getUtility
from zope.interface import implementer
from zope.interface import Interface


CONFIGLET = "communesplone-urban"


class IUrbanControlPanel(model.Schema, settings.IUrbanSettings, gis.IMapSettings):
    """The panel's form: both schemas, the map's in its own tab."""

    model.fieldset("map", label=_("Map"), fields=list(gis.IMapSettings.names(all=True)))


@implementer(settings.IUrbanSettings, gis.IMapSettings)
class Settings:
    """Both sets of registry records as one object for the form: each field is
    read from and written to the records of its own schema."""

    def __init__(self):
        registry = getUtility(IRegistry)
        proxies = {
            settings.IUrbanSettings: registry.forInterface(
                settings.IUrbanSettings, prefix=settings.PREFIX
            ),
            gis.IMapSettings: registry.forInterface(gis.IMapSettings, prefix=gis.MAP_PREFIX),
        }
        object.__setattr__(self, "_proxies", proxies)

    def _proxy(self, name):
        for schema, proxy in self._proxies.items():
            if name in schema:
                return proxy
        raise AttributeError(name)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._proxy(name), name)

    def __setattr__(self, name, value):
        setattr(self._proxy(name), name, value)


class UrbanSettingsForm(RegistryEditForm):
    schema = IUrbanControlPanel
    schema_prefix = settings.PREFIX
    label = _("Urbanism")
    description = _(
        "The public inquiries' claims (limits against robots), the college to which files' "
        "decisions are sent, and the map of the files (the desk's @@urban-map page): its "
        "tiles, its WMS layers and where it opens."
    )

    def getContent(self):
        return Settings()


UrbanControlPanel = layout.wrap_form(UrbanSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, Interface)
class UrbanConfigletPanel(SettingsConfigletPanel):
    """``@controlpanels/urbanism``: the urban settings over REST.

    Not "urban": REST's panels are adapters of (anything, any request), which
    Zope's traversal also finds by name, so a path ending in ``/urban`` (the
    urban templates' folder, ``templates/urban``) would reach this panel."""

    schema = settings.IUrbanSettings
    schema_prefix = settings.PREFIX
    configlet_id = CONFIGLET
    title = _("Urbanism")


@adapter(Interface, Interface)
class MapConfigletPanel(SettingsConfigletPanel):
    """``@controlpanels/urban-map``: the map's settings over REST.

    The map is a tab of the Urbanism configlet, not a configlet of its own: the
    listing ``@controlpanels`` shows one panel per configlet, here ``urbanism``
    (this one named the same configlet, and hid it)."""

    schema = gis.IMapSettings
    schema_prefix = gis.MAP_PREFIX
    configlet_id = None
    title = _("Urban map")
