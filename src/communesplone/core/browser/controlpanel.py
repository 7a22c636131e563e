"""The CommunesPlone control panel: the commune's settings and its services."""

from communesplone import _
from communesplone.core.interfaces import ICommunesPloneSettings
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.formwidget.namedfile.widget import NamedImageFieldWidget
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from zope.component import adapter
from zope.interface import Interface


class CommunesPloneSettingsForm(RegistryEditForm):
    schema = ICommunesPloneSettings
    schema_prefix = "communesplone"
    label = _("CommunesPlone")
    description = _(
        "The commune's identity, used on the site and on generated documents, "
        "and its municipal services, whose groups get roles on their content."
    )

    def updateFields(self):
        super().updateFields()
        self.fields["logo"].widgetFactory = NamedImageFieldWidget


CommunesPloneControlPanel = layout.wrap_form(CommunesPloneSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, Interface)
class CommunesPloneConfigletPanel(RegistryConfigletPanel):
    """The same settings over REST: ``@controlpanels/communesplone``."""

    schema = ICommunesPloneSettings
    schema_prefix = "communesplone"
    configlet_id = "communesplone"
    configlet_category_id = "Products"
    title = _("CommunesPlone")
    group = "Products"
