"""Site Setup → E-desk map (the tiles and opening view of the public map) and
E-desk anonymous requests (the rate limit, the form's fill time, the confirmation link)."""

from communesplone import _
from communesplone.core.browser.controlpanel import SettingsConfigletPanel
from communesplone.edesk.settings import IAnonymousSettings
from communesplone.edesk.settings import IMapSettings
from communesplone.edesk.settings import MAP_PREFIX
from communesplone.edesk.settings import PREFIX
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout
from zope.component import adapter
from zope.interface import Interface


class MapSettingsForm(RegistryEditForm):
    schema = IMapSettings
    schema_prefix = MAP_PREFIX
    label = _("E-desk map")
    description = _(
        "The public map of the reported problems (the online desk's @@reports-map page). "
        "Its list works even when the tiles do not load."
    )


MapControlPanel = layout.wrap_form(MapSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, Interface)
class MapConfigletPanel(SettingsConfigletPanel):
    """The same settings over REST: ``@controlpanels/edesk-map``."""

    schema = IMapSettings
    schema_prefix = MAP_PREFIX
    configlet_id = "communesplone-edesk-map"
    title = _("E-desk map")


class AnonymousSettingsForm(RegistryEditForm):
    schema = IAnonymousSettings
    schema_prefix = PREFIX
    label = _("E-desk anonymous requests")
    description = _(
        "Requests sent without a login (the form of the types open to anonymous visitors, "
        "and Open311 with a key that is not trusted): how many one address may send, and how "
        "long their contact has to confirm them."
    )


AnonymousControlPanel = layout.wrap_form(AnonymousSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, Interface)
class AnonymousConfigletPanel(SettingsConfigletPanel):
    """The same settings over REST: ``@controlpanels/edesk-anonymous``."""

    schema = IAnonymousSettings
    schema_prefix = PREFIX
    configlet_id = "communesplone-edesk-anonymous"
    title = _("E-desk anonymous requests")
