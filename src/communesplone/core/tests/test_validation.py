"""The shared check of a configuration's rows with identifiers (datagrids)."""

from communesplone import _
from communesplone.core.validation import check_row_ids
from communesplone.core.validation import Refusal
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import Invalid

import pytest
import re


ROWS = [{"id": "dupont", "title": "Dupont"}, {"id": "leroy-2", "title": "Leroy"}]


def test_well_formed_unique_ids_are_returned_in_order():
    assert check_row_ids(ROWS, _("members")) == ["dupont", "leroy-2"]
    assert check_row_ids([]) == [] and check_row_ids(None) == []


@pytest.mark.parametrize(
    "rows,english,french",
    [
        (
            [*ROWS, {"id": "Bad id"}],
            '"Bad id" is not a valid identifier for members: use lowercase letters, '
            "digits, - and _.",
            '"Bad id" n\'est pas un identifiant valide pour les membres',
        ),
        ([{"title": "no id"}], '"" is not a valid identifier for members', None),
        (
            [*ROWS, {"id": "dupont"}],
            'The identifier "dupont" is used twice in members.',
            'L\'identifiant "dupont" est utilisé deux fois parmi les membres.',
        ),
    ],
)
def test_bad_ids_refused_with_a_translated_message(portal, rows, english, french):
    with pytest.raises(Refusal) as refused:
        check_row_ids(rows, _("members"))
    assert isinstance(refused.value, Invalid)  # usable in a schema's invariant too
    assert english in translate(refused.value.doc(), target_language="en")
    if french:
        assert french in translate(refused.value.doc(), target_language="fr")


def test_each_list_keeps_its_pattern_key_and_messages(portal):
    pattern = re.compile(r"^[a-z]+$")
    invalid = Message('"${id}" is not a valid field identifier.', domain="communesplone")
    twice = Message('The field identifier "${id}" is used twice.', domain="communesplone")
    rows = [{"name": "a"}, {"name": "a"}]
    with pytest.raises(Refusal) as refused:
        check_row_ids(rows, key="name", pattern=pattern, invalid=invalid, twice=twice)
    assert translate(refused.value.doc(), target_language="en") == (
        'The field identifier "a" is used twice.'
    )
    with pytest.raises(Refusal) as refused:
        check_row_ids([{"name": "a1"}], key="name", pattern=pattern, invalid=invalid)
    assert translate(refused.value.doc(), target_language="en").startswith(
        '"a1" is not a valid field identifier'
    )
    # No pattern: any identifier, but each once
    assert check_row_ids([{"id": "Zone A"}, {"id": "zone a"}], pattern=None) == [
        "Zone A",
        "zone a",
    ]
    with pytest.raises(Refusal):
        check_row_ids([{"id": "Zone A"}, {"id": "Zone A"}], _("members"), pattern=None)
