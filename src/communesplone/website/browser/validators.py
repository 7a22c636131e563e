"""The datagrid of opening hours, validated in forms as its schema field says.

collective.z3cform.datagridfield's validator reports the cells' errors only,
so without this the edit form would skip ``check_opening_hours`` that REST
applies (the same arrangement as the core's control panel).
"""

from collective.z3cform.datagridfield.datagridfield import DataGridValidator
from communesplone.website.content.directory_entry import IDirectoryEntry
from z3c.form import validator


class OpeningHoursValidator(DataGridValidator):
    def validate(self, value, force=False):
        super().validate(value, force)  # the cells' own errors first
        return self.field.validate(value)


validator.WidgetValidatorDiscriminators(
    OpeningHoursValidator, field=IDirectoryEntry["opening_hours"]
)
