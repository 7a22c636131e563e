"""Site Setup → Documents (LibreOffice): where the instance finds LibreOffice."""

from communesplone import _
from communesplone.documents.interfaces import ILibreOfficeSettings
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout


class LibreOfficeSettingsForm(RegistryEditForm):
    schema = ILibreOfficeSettings
    schema_prefix = "communesplone.documents"
    label = _("Documents (LibreOffice)")
    description = _(
        "Conversion to PDF, DOCX, DOC, XLSX and CSV goes through LibreOffice servers. "
        "The environment variables COMMUNESPLONE_LO_HOST, COMMUNESPLONE_LO_PORTS and "
        "COMMUNESPLONE_UNO_PYTHON override these settings."
    )


LibreOfficeControlPanel = layout.wrap_form(LibreOfficeSettingsForm, ControlPanelFormWrapper)
