"""The domain checks of field definitions and submitted values."""

from communesplone.edesk.fields import check_definitions
from communesplone.edesk.fields import check_nrn
from communesplone.edesk.fields import validate_values
from communesplone.edesk.testing import CERTIFICATE_FIELDS
from communesplone.edesk.testing import VALID_NRN
from zope.i18n import translate
from zope.interface import Invalid

import pytest


def _message(error):
    return translate(error.args[0], target_language="en")


@pytest.mark.parametrize(
    "rows,expected",
    [
        ([{"id": "Bad id", "label": "x", "type": "text"}], '"Bad id" is not a valid field'),
        (
            [{"id": "a", "label": "A", "type": "text"}, {"id": "a", "label": "B", "type": "text"}],
            'The field identifier "a" is used twice.',
        ),
        ([{"id": "a", "label": "A", "type": "colour"}], 'unknown type "colour"'),
        ([{"id": "a", "label": "", "type": "text"}], 'The field "a" needs a label.'),
        (
            [{"id": "a", "label": "A", "type": "choice", "options": "only one"}],
            'The choice "a" needs at least two options',
        ),
    ],
)
def test_bad_definitions_refused(rows, expected):
    with pytest.raises(Invalid) as refused:
        check_definitions(rows)
    assert expected in _message(refused.value)


def test_good_definitions_accepted():
    assert check_definitions(CERTIFICATE_FIELDS)
    assert check_definitions([])


@pytest.mark.parametrize(
    "value,valid",
    [
        (VALID_NRN, True),
        ("85073003328", True),
        ("85.07.30-033.29", False),  # wrong check digits
        ("0101010010", False),  # ten digits
        ("01010100126", True),  # born in 2001: 97 - 2010101001 % 97 = 26
        ("abcdefghijk", False),
    ],
)
def test_national_register_number(value, valid):
    assert check_nrn(value) is valid


def test_values_cleaned():
    values, errors = validate_values(
        CERTIFICATE_FIELDS,
        {
            "nrn": "85073003328",
            "purpose": "School",
            "copies": "2",
            "when": "2026-12-24",
            "email": "a@b.be",
            "phone": "+32 81 12 34 56",
            "urgent": "on",
            "remarks": "  merci  ",
        },
    )
    assert errors == {}
    assert values == {
        "nrn": VALID_NRN,
        "purpose": "School",
        "copies": 2,
        "when": "2026-12-24",
        "email": "a@b.be",
        "phone": "+32 81 12 34 56",
        "urgent": True,
        "remarks": "merci",
    }


@pytest.mark.parametrize(
    "field,value,expected",
    [
        ("nrn", "85073003329", '"National number" is not a valid national register number'),
        ("nrn", "", '"National number" is required.'),
        ("purpose", "Casino", '"Purpose": choose one of the options.'),
        ("copies", "two", '"Copies" must be a number.'),
        ("when", "24/12/2026", '"Needed on": give a date as YYYY-MM-DD.'),
        ("email", "nobody", '"Other email" is not a valid email address.'),
        ("phone", "12", '"Phone" is not a valid phone number.'),
        ("urgent", "maybe", '"Urgent": answer yes or no.'),
        ("unknown", "x", '"unknown" is not a field of this request type.'),
        ("remarks", ["a", "list"], '"Remarks": this value is not valid.'),
    ],
)
def test_values_refused(field, value, expected):
    raw = {"nrn": VALID_NRN, "purpose": "School", field: value}
    values, errors = validate_values(CERTIFICATE_FIELDS, raw)
    assert list(errors) == [field]
    assert expected in translate(errors[field].message, target_language="en")
    assert field not in values
