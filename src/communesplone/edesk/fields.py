"""The fields of a request type: their definitions, and the values citizens give.

A request type describes its form as rows (id, label, type, required, help,
options). :func:`check_definitions` refuses a bad set of rows when the type is
saved (the schema's constraint: the edit form and REST alike), so a bad
definition never reaches the public form. :func:`validate_values` checks what
a citizen submits against those rows; the submission form and the
``citizen_request`` schema invariant (REST) both call it, so both refuse the
same input with the same translated messages. Nothing here writes.
"""

from communesplone import _
from communesplone.core.validation import check_row_ids
from communesplone.core.validation import Refusal
from datetime import date
from zope.interface import Invalid

import re


# type id -> label (the order is the one offered to administrators)
FIELD_TYPES = {
    "text": _("Short text"),
    "textarea": _("Long text"),
    "date": _("Date"),
    "number": _("Number"),
    "choice": _("Choice"),
    "boolean": _("Yes / no"),
    "file": _("File"),
    "email": _("Email address"),
    "phone": _("Phone number"),
    "nrn": _("National register number"),
}
FIELD_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ./()-]{6,20}$")
TRUE = {"1", "true", "on", "yes", "y"}
FALSE = {"", "0", "false", "off", "no", "n"}


class FieldError(Refusal):
    """A value refused; ``field`` is the definition's id, the message says why."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def options(row):
    """The options of a choice row, one per line, without blanks."""
    return [line.strip() for line in (row.get("options") or "").splitlines() if line.strip()]


INVALID_ID = _(
    '"${id}" is not a valid field identifier: use up to 40 lowercase '
    "letters, digits and _, starting with a letter."
)
ID_TWICE = _('The field identifier "${id}" is used twice.')


def check_definitions(rows):
    """Refuse bad identifiers, repeated ones, unknown types and choices without options."""
    rows = rows or ()
    check_row_ids(rows, pattern=FIELD_ID, invalid=INVALID_ID, twice=ID_TWICE)
    for row in rows:
        field_id = row["id"]
        if not (row.get("label") or "").strip():
            raise Invalid(_('The field "${id}" needs a label.', mapping={"id": field_id}))
        if row.get("type") not in FIELD_TYPES:
            raise Invalid(
                _(
                    'The field "${id}" has an unknown type "${type}".',
                    mapping={"id": field_id, "type": row.get("type") or ""},
                )
            )
        if row["type"] == "choice" and len(options(row)) < 2:
            raise Invalid(
                _(
                    'The choice "${id}" needs at least two options, one per line.',
                    mapping={"id": field_id},
                )
            )
    return True


def check_nrn(value):
    """True if ``value`` is a Belgian national register number with valid check digits.

    11 digits (dots, dashes and spaces are ignored): YYMMDD, a serial number,
    and 97 minus the first nine digits modulo 97; for people born from 2000,
    the check is computed on "2" followed by the nine digits.
    """
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not re.fullmatch(r"[0-9]{11}", digits):
        return False
    body, check = int(digits[:9]), int(digits[9:])
    return check in (97 - body % 97, 97 - int("2" + digits[:9]) % 97)


def normalise_nrn(value):
    digits = re.sub(r"[\s.\-]", "", value)
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:]}"


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return str(value)
    if not isinstance(value, str):
        return None
    return value.strip()


def _clean(row, raw):
    """The cleaned value of ``raw`` for ``row``; raise FieldError if refused."""
    field_id, label, kind = row["id"], row["label"], row["type"]
    mapping = {"label": label}
    if kind == "boolean":
        if isinstance(raw, bool):
            value = raw
        else:
            text = (_text(raw) or "").lower()
            if text not in TRUE | FALSE:
                raise FieldError(field_id, _('"${label}": answer yes or no.', mapping=mapping))
            value = text in TRUE
        if row.get("required") and not value:
            raise FieldError(field_id, _('"${label}" must be checked.', mapping=mapping))
        return value
    text = _text(raw)
    if text is None:
        raise FieldError(field_id, _('"${label}": this value is not valid.', mapping=mapping))
    if not text:
        if row.get("required"):
            raise FieldError(field_id, _('"${label}" is required.', mapping=mapping))
        return None
    if kind in ("text", "textarea"):
        limit = 200 if kind == "text" else 10000
        if len(text) > limit:
            raise FieldError(
                field_id,
                _(
                    '"${label}" is too long: at most ${limit} characters.',
                    mapping={"label": label, "limit": limit},
                ),
            )
        return text
    if kind == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise FieldError(
                field_id, _('"${label}": give a date as YYYY-MM-DD.', mapping=mapping)
            ) from None
    if kind == "number":
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise FieldError(field_id, _('"${label}" must be a number.', mapping=mapping)) from None
        return int(number) if number.is_integer() else number
    if kind == "choice":
        if text not in options(row):
            raise FieldError(field_id, _('"${label}": choose one of the options.', mapping=mapping))
        return text
    if kind == "email":
        if not EMAIL.match(text):
            raise FieldError(
                field_id, _('"${label}" is not a valid email address.', mapping=mapping)
            )
        return text
    if kind == "phone":
        if not PHONE.match(text) or len(re.sub(r"\D", "", text)) < 8:
            raise FieldError(
                field_id, _('"${label}" is not a valid phone number.', mapping=mapping)
            )
        return text
    if kind == "nrn":
        if not check_nrn(text):
            raise FieldError(
                field_id,
                _(
                    '"${label}" is not a valid national register number: check its 11 digits.',
                    mapping=mapping,
                ),
            )
        return normalise_nrn(text)
    if kind == "file":
        return text  # the attachment's file name; the file itself is checked by attachments
    raise FieldError(field_id, _('"${label}": this value is not valid.', mapping=mapping))


CONTACT_EMAIL = "contact_email"


def check_contact_email(value, *, required=True):
    """The contact email of an anonymous request, stripped (None if blank and not required).

    The one check of the submission form, of Open311's ``email`` and of the
    ``contact_email`` field (REST): raise :class:`FieldError` under
    ``contact_email`` when ``value`` is missing (and ``required``) or is not
    an email address.
    """
    text = _text(value)
    if not text:
        if text is None or required:
            raise FieldError(
                CONTACT_EMAIL,
                _("Give an email address: the news of your request are sent there."),
            )
        return None
    if not EMAIL.match(text) or len(text) > 254:
        raise FieldError(
            CONTACT_EMAIL,
            _(
                '"${email}" is not a valid email address: the news of your request are sent there.',
                mapping={"email": text},
            ),
        )
    return text


def contact_email_constraint(value):
    """The schema's constraint of ``contact_email`` (optional there: members have none)."""
    check_contact_email(value, required=False)
    return True


def validate_values(definitions, raw):
    """Check ``raw`` ({field id: value}) against ``definitions``.

    Return ``(values, errors)``: the cleaned values of the known fields, and
    {field id: FieldError} for each refused one. Unknown keys are refused too
    (under their own key), so nothing unexpected is stored.
    """
    raw = dict(raw or {})
    values, errors = {}, {}
    for row in definitions or ():
        try:
            value = _clean(row, raw.pop(row["id"], None))
        except FieldError as error:
            errors[row["id"]] = error
            continue
        if value is not None:
            values[row["id"]] = value
    for key in raw:
        errors[key] = FieldError(
            key, _('"${id}" is not a field of this request type.', mapping={"id": key})
        )
    return values, errors
