"""Subscribers to content events of the meetings application (not transitions:
those are in ``workflows.py``)."""

from communesplone.core.numbering import next_number
from communesplone.meetings import advices
from communesplone.meetings import bodies
from communesplone.meetings import visibility
from communesplone.meetings import workflows
from communesplone.meetings.bodies import body_of
from communesplone.meetings.copies import create_item
from communesplone.meetings.copies import set_state
from datetime import date
from plone import api
from plone.app.textfield.value import RichTextValue
from zope.container.interfaces import IContainerModifiedEvent


def meeting_added(meeting, event):
    """Number the meeting in its body's year, set its signatories, add the recurring items."""
    body = body_of(meeting)
    year = meeting.date.year if meeting.date else date.today().year
    meeting.meeting_number = next_number(body, f"meeting-{year}")
    if not meeting.signatories:
        signing = [row for row in body.active_members(_day(meeting)) if row.get("signatory_order")]
        meeting.signatories = [
            row["id"] for row in sorted(signing, key=lambda row: row["signatory_order"])
        ]
    recurring = []
    with api.env.adopt_roles(["Manager"]):
        for row in body.recurring_items or ():
            item = create_item(
                body,
                title=row["title"],
                service=row["service"],
                category=row.get("category") or None,
                decision=RichTextValue(row.get("decision") or "", "text/plain", "text/x-html-safe"),
            )
            set_state(item, "validated", "")
            recurring.append(item)
        workflows.present(recurring, meeting)
    meeting.reindexObject()


def _day(meeting):
    return meeting.date.date() if meeting.date else None


def item_modified(item, event):
    """Who the item's advisers are, and whether it is secret, may have changed."""
    visibility.update(item)


def advice_transition(advice, event):
    if event.action == "giveAdvice":
        advice.given_on = date.today()
    elif event.action == "backToAdviceUnderEdit":
        advice.given_on = None
    visibility.update_advice(advice, reindex=False)  # no more than its item
    advice.reindexObject()
    item = advice.aq_parent
    item.reindexObject(idxs=advices.INDEXES)


def advice_added(advice, event):
    advice.aq_parent.reindexObject(idxs=advices.INDEXES)


def body_saved(body, event):
    bodies.on_body_saved(body, event)


def changed_fields(event):
    """The names of the fields that a modified event says were changed, or
    None if it does not say (an event notified without descriptions).

    z3c.form's edit forms and plone.restapi's PATCH describe the fields they
    changed (``Attributes``), the latter prefixed with the schema's name.
    """
    if not event.descriptions:
        return None
    names = set()
    for description in event.descriptions:
        attributes = getattr(description, "attributes", None)
        if attributes is None:
            return None
        names.update(name.rsplit(".", 1)[-1] for name in attributes)
    return names


def body_modified(body, event):
    """The body's settings were edited: its groups, and what is public, may have changed.

    The permissions of every meeting and item of the body are recomputed
    only when a setting they depend on changed (``visibility.BODY_SETTINGS``),
    or when the event does not say what changed. Not at all when content was
    added to or removed from the body (a container modified event).
    """
    if IContainerModifiedEvent.providedBy(event):
        return
    bodies.on_body_saved(body, event)
    changed = changed_fields(event)
    if changed is None or changed.intersection(visibility.BODY_SETTINGS):
        visibility.update_body(body)


def meeting_modified(meeting, event):
    """Items carry their meeting's date in the catalog, and their reference its number."""
    if IContainerModifiedEvent.providedBy(event):
        return  # a document stored in the meeting changes neither
    from communesplone.meetings import agenda

    for item in agenda.items(meeting):
        item.reindexObject(idxs=["meeting_date"])
    agenda.renumber(meeting)
