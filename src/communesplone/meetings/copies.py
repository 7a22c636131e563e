"""Items copied from others: delayed, postponed, forwarded to another body, or
started from one of the body's item templates."""

from communesplone import _
from communesplone.core.i18n import translate_for_site
from communesplone.core.validation import Refusal
from communesplone.meetings import visibility
from communesplone.meetings.bodies import body_of
from communesplone.meetings.constants import ITEM
from communesplone.meetings.content.meeting_item import check
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import createContentInContainer


# What a copy keeps of its original; the rest (number, votes, advices,
# annexes, meeting) belongs to the original's passage before the body.
KEPT = ("title", "description", "service", "category", "motivation", "privacy", "to_discuss")


def create_item(container, **values):
    """Add an item named from its title as the add form does (no renaming after).

    For the system (copies, recurring items, the demo): no add permission or
    allowed-types check; the current user is its creator.
    """
    return createContentInContainer(container, "meeting_item", checkConstraints=False, **values)


def _create(container, original, keep_decision=True, **extra):
    values = {name: getattr(original, name, None) for name in KEPT}
    for name in ("motivation", "decision") if keep_decision else ("motivation",):
        value = getattr(original, name, None)
        if isinstance(value, RichTextValue):
            values[name] = RichTextValue(value.raw, "text/html", "text/x-html-safe")
    values["advices_asked"] = [dict(row) for row in original.advices_asked or ()]
    values.update(extra)
    with api.env.adopt_roles(["Manager"]):
        return create_item(container, **values)


def set_state(obj, state_id, comment):
    """Put an item directly in ``state_id`` (a fresh copy, a recurring item, an
    item whose meeting is deleted), noted in its history, with its permissions."""
    from DateTime import DateTime

    workflow_tool = api.portal.get_tool("portal_workflow")
    workflow_id = workflow_tool.getChainFor(obj)[0]
    workflow_tool.setStatusOf(
        workflow_id,
        obj,
        {
            "action": None,
            "review_state": state_id,
            "actor": api.user.get_current().getId(),
            "comments": comment,
            "time": DateTime(),
        },
    )
    visibility.update(obj, reindex=False)  # the state's permissions, and secrecy
    obj.reindexObject()


def _link(original, copy):
    copy.predecessor_uid = original.UID()
    original.successor_uid = copy.UID()


def delayed(item):
    """A delayed item comes back to its service as a new item, linked to the original."""
    copy = _create(body_of(item), item)
    _link(item, copy)
    copy.reindexObject()
    return copy


def postponed(item, next_meeting_uid=None):
    """A postponed item is copied, already validated, for the next meeting."""
    copy = _create(body_of(item), item, preferred_meeting=next_meeting_uid)
    _link(item, copy)
    set_state(
        copy,
        "validated",
        translate_for_site(
            _("Postponed from item ${reference}.", mapping={"reference": item.reference})
        ),
    )
    return copy


def forward(item):
    """Send an accepted item to the body its body forwards to, in the state it says."""
    body = body_of(item)
    from communesplone.meetings.agenda import by_uid

    target = by_uid(body.forward_to)
    if target is None or getattr(item, "forwarded_to_uid", None):
        return None
    known = {row["id"] for row in target.categories or ()}
    copy = _create(
        target,
        item,
        category=item.category if item.category in known else None,
        keep_decision=False,
        forward=False,
    )
    copy.forwarded_from_uid = item.UID()
    item.forwarded_to_uid = copy.UID()
    state = target.forwarded_item_state or "itemcreated"
    if state != "itemcreated":
        set_state(
            copy,
            state,
            translate_for_site(
                _(
                    "Sent by ${body} (item ${reference}).",
                    mapping={"body": body.Title(), "reference": item.reference},
                )
            ),
        )
    copy.reindexObject()
    return copy


def _rich(text):
    return RichTextValue(text, "text/plain", "text/x-html-safe") if text else None


def from_template(body, index):
    """A new item of ``body``, created by the current user from its ``index``-th item template.

    The template's values go through the item's schema first, as the add
    form's and REST's do: a service the user may not propose items for, or a
    category the body no longer has, raises that field's ``ValidationError``
    (its ``doc()`` is the translatable message) and nothing is created. So
    does an index that names no template.
    """
    rows = body.item_templates or []
    if not isinstance(index, int) or not 0 <= index < len(rows):
        raise Refusal(_("This item template does not exist."))
    row = rows[index]
    values = {
        "title": row.get("title"),
        "service": row.get("service"),
        "category": row.get("category") or None,
        "motivation": _rich(row.get("motivation")),
        "decision": _rich(row.get("decision")),
    }
    values = {name: value for name, value in values.items() if value is not None}
    check(body, values)
    return api.content.create(container=body, type=ITEM, **values)
