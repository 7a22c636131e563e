"""The CommunesPlone control panel: the commune's settings and its services."""

from communesplone import _
from communesplone.core.interfaces import ICommunesPloneSettings
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.formwidget.namedfile.widget import NamedImageFieldWidget
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.z3cform import layout
from z3c.form import validator
from zope.component import adapter
from zope.interface import Interface
from zope.schema.interfaces import IList


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


class DataGridValidator(validator.SimpleFieldValidator):
    """Validate datagrid fields of this form as their schema field says.

    The datagrid's own validator only reports cell errors, so without this
    the form would skip the checks (``check_services``) that REST applies.
    """

    def validate(self, value, force=False):
        return self.field.validate(value)


validator.WidgetValidatorDiscriminators(
    DataGridValidator, view=CommunesPloneSettingsForm, field=IList
)


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
