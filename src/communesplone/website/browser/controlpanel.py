"""Site Setup → Website: colours, home page banner, footer texts, directory and jobs terms."""

from communesplone import _
from communesplone.core.browser.controlpanel import SettingsConfigletPanel
from communesplone.website.interfaces import IWebsiteSettings
from communesplone.website.interfaces import PREFIX
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout
from zope.component import adapter
from zope.interface import Interface


class WebsiteSettingsForm(RegistryEditForm):
    schema = IWebsiteSettings
    schema_prefix = PREFIX
    label = _("Website")
    description = _(
        "The public website's colours, home page banner and footer. The commune's "
        "name and logo are set in Site Setup → CommunesPlone."
    )


WebsiteSettingsView = layout.wrap_form(WebsiteSettingsForm, ControlPanelFormWrapper)


@adapter(Interface, Interface)
class WebsiteSettingsConfigletPanel(SettingsConfigletPanel):
    """The same settings over REST: ``@controlpanels/website-settings``."""

    schema = IWebsiteSettings
    schema_prefix = PREFIX
    configlet_id = "communesplone-website"
    title = _("Website")
