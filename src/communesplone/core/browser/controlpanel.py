"""The CommunesPlone control panel: the commune's settings and its services.

And what every settings panel of the project shares: its permission,
``communesplone: Manage settings`` (:data:`MANAGE_SETTINGS`, Manager and Site
Administrator, as Plone's own panels), and its REST side
(:class:`SettingsConfigletPanel`): ``@controlpanels/<name>`` is open to
whoever sees Site Setup (plone.restapi's services check only "Plone Site
Setup: Overview"), so the panel's own permission is checked when it is read
or written (:class:`GuardedSerializeToJson`, :class:`GuardedDeserializeFromJson`).
"""

from AccessControl import Unauthorized
from communesplone import _
from communesplone.core.interfaces import ICommunesPloneSettings
from plone import api
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.formwidget.namedfile.widget import NamedImageFieldWidget
from plone.restapi.controlpanels import RegistryConfigletPanel
from plone.restapi.controlpanels.interfaces import IControlpanel
from plone.restapi.deserializer.controlpanels import ControlpanelDeserializeFromJson
from plone.restapi.interfaces import IDeserializeFromJson
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.controlpanels import ControlpanelSerializeToJson
from plone.z3cform import layout
from z3c.form import validator
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface
from zope.schema.interfaces import IList


# The permission of the project's settings panels (core/permissions.zcml; its
# zcml id, for the views, is "communesplone.ManageSettings").
MANAGE_SETTINGS = "communesplone: Manage settings"


class ISettingsControlpanel(IControlpanel):
    """A REST panel that is read and written with its ``permission`` only."""


@implementer(ISettingsControlpanel)
class SettingsConfigletPanel(RegistryConfigletPanel):
    """Base of the project's REST panels: ``permission`` guards them, as it
    guards their page and their configlet in Site Setup."""

    permission = MANAGE_SETTINGS
    configlet_category_id = "Products"
    group = "Products"


def check_permission(panel):
    if not api.user.has_permission(panel.permission, obj=api.portal.get()):
        raise Unauthorized(f"{panel.permission} is needed for this panel")


@implementer(ISerializeToJson)
@adapter(ISettingsControlpanel)
class GuardedSerializeToJson(ControlpanelSerializeToJson):
    def __call__(self):
        check_permission(self.controlpanel)
        return super().__call__()


@implementer(IDeserializeFromJson)
@adapter(ISettingsControlpanel)
class GuardedDeserializeFromJson(ControlpanelDeserializeFromJson):
    def __call__(self, *args, **kwargs):
        check_permission(self.controlpanel)
        return super().__call__(*args, **kwargs)


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
class CommunesPloneConfigletPanel(SettingsConfigletPanel):
    """The same settings over REST: ``@controlpanels/communesplone``."""

    schema = ICommunesPloneSettings
    schema_prefix = "communesplone"
    configlet_id = "communesplone"
    title = _("CommunesPlone")
