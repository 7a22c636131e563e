"""Site Setup → E-desk map: the tiles and the opening view of the public map."""

from communesplone import _
from communesplone.edesk.settings import IMapSettings
from communesplone.edesk.settings import PREFIX
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout


class MapSettingsForm(RegistryEditForm):
    schema = IMapSettings
    schema_prefix = PREFIX
    label = _("E-desk map")
    description = _(
        "The public map of the reported problems (the online desk's @@reports-map page). "
        "Its list works even when the tiles do not load."
    )


MapControlPanel = layout.wrap_form(MapSettingsForm, ControlPanelFormWrapper)
