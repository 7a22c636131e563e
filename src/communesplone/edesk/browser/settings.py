"""Site Setup → E-desk map: the tiles and the opening view of the public map."""

from communesplone import _
from communesplone.edesk.settings import IMapSettings
from communesplone.edesk.settings import PREFIX
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from zope.component import adapter
from zope.interface import Interface


class MapSettingsForm(RegistryEditForm):
    schema = IMapSettings
    schema_prefix = PREFIX
    label = _("E-desk map")
    description = _(
        "The public map of the reported problems (the online desk's @@reports-map page). "
        "Its list works even when the tiles do not load."
    )


MapControlPanel = layout.wrap_form(MapSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, Interface)
class MapConfigletPanel(RegistryConfigletPanel):
    """The same settings over REST: ``@controlpanels/edesk-map``."""

    schema = IMapSettings
    schema_prefix = PREFIX
    configlet_id = "communesplone-edesk-map"
    configlet_category_id = "Products"
    title = _("E-desk map")
    group = "Products"
