"""Workflow guards and the side effects of transitions, for items and meetings.

Guards that depend on the body's configuration or on the item's meeting are
answered by the ``@@meeting-guards`` view, which the workflows' guard
expressions call (see ``workflow_spec.py``). Side effects are subscribers:

- an item presented goes on the agenda (late, and frozen at once, if the
  meeting is frozen already); taken back, it leaves the agenda;
- a delayed item is copied back to its service; a postponed one is copied,
  validated, for the next meeting; an accepted one marked to be sent is
  forwarded to the next body;
- freezing a meeting freezes its presented items, taking it back to created
  takes them back to presented, and publishing its decisions or closing it
  accepts the undecided ones;
- a meeting's transition that would publish decisions holding personal data
  that the detectors find unmarked and that no mask review covers is refused
  (:class:`TransitionRefused`, before anything changes);
- after every transition, visibility (secrecy, publication) is recomputed.
"""

from communesplone import _
from communesplone.meetings import advices
from communesplone.meetings import agenda
from communesplone.meetings import copies
from communesplone.meetings import visibility
from communesplone.meetings.bodies import body_of
from communesplone.meetings.constants import ACCEPTS_ITEMS
from communesplone.meetings.constants import DECIDED
from communesplone.meetings.masking import review as masks_review
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from plone import api
from plone.base.interfaces import IPloneSiteRoot
from Products.Five import BrowserView
from zExceptions import BadRequest
from zope.globalrequest import getRequest
from zope.i18n import translate


TARGET_KEY = "communesplone.meetings.present_to"


def present_target(item):
    """The meeting ``item`` will be presented to: the one the request names
    (the meeting page's batch action), else its preferred meeting, else the
    body's next meeting that accepts items."""
    request = getattr(item, "REQUEST", None)
    target = request.get(TARGET_KEY) if request is not None else None
    if target is not None:
        return target if api.content.get_state(target) in ACCEPTS_ITEMS else None
    catalog = api.portal.get_tool("portal_catalog")
    if item.preferred_meeting:
        found = catalog.unrestrictedSearchResults(
            UID=item.preferred_meeting, review_state=ACCEPTS_ITEMS
        )
        if found:
            return found[0]._unrestrictedGetObject()
    body = body_of(item)
    found = catalog.unrestrictedSearchResults(
        portal_type="meeting",
        path="/".join(body.getPhysicalPath()),
        review_state=("created", "frozen"),
        sort_on="meeting_date",
    )
    return found[0]._unrestrictedGetObject() if found else None


def present(items, meeting):
    """Present ``items`` (validated) to ``meeting``; return those that could not be."""
    request = meeting.REQUEST
    request.set(TARGET_KEY, meeting)
    refused = []
    try:
        with agenda.batch(meeting):  # the agenda renumbered and reindexed once
            for item in items:
                try:
                    api.content.transition(obj=item, transition="present")
                except api.exc.InvalidParameterError:
                    refused.append(item)
    finally:
        request.set(TARGET_KEY, None)
    return refused


class Guards(BrowserView):
    """``@@meeting-guards``: ``allows(name)`` for the workflows' guard expressions."""

    def allows(self, name):
        return bool(getattr(self, f"_{name}")())

    @property
    def _body(self):
        return body_of(self.context)

    def _meeting_state(self):
        meeting = agenda.meeting_of(self.context)
        return api.content.get_state(meeting) if meeting is not None else None

    def _prevalidate(self):
        return self._body.validation_levels == 2 and advices.may_go_on(self.context)

    def _validate(self):
        state = api.content.get_state(self.context)
        levels = state == "prevalidated" or self._body.validation_levels != 2
        return levels and advices.may_go_on(self.context)

    def _wait_advices(self):
        return advices.must_wait(self.context)

    def _advices_received(self):
        return not advices.must_wait(self.context)

    def _backToPrevalidated(self):
        return self._body.validation_levels == 2

    def _present(self):
        return present_target(self.context) is not None

    def _itemfreeze(self):
        return self._meeting_state() not in (None, "created")

    def _decide(self):
        return self._meeting_state() == "decided"

    def _backToValidated(self):
        return self._meeting_state() in (None, "created")

    def _backToPresented(self):
        return self._meeting_state() in (None, "created")

    def _backToItemFrozen(self):
        return self._meeting_state() in ("frozen", "decided")

    def _advise(self):
        """An advice may be written, signed, given, taken back while its item is not
        presented, and its delay has not run out when the body releases overdue ones."""
        return advices.can_advise(self.context.aq_parent, self.context.service)


def _try(obj, transition):
    try:
        api.content.transition(obj=obj, transition=transition)
    except api.exc.InvalidParameterError:
        return False
    return True


def item_transition(item, event):
    """IActionSucceededEvent of an item."""
    action = event.action
    if action == "propose":
        item.proposed_on = date.today()
    # Which advices are awaited depends on the state: index them after every transition.
    item.reindexObject(idxs=advices.INDEXES)
    if action == "present":
        meeting = present_target(item)
        agenda.insert(item, meeting)
        if api.content.get_state(meeting) != "created":
            _try(item, "itemfreeze")
            return  # the nested transition recomputed visibility
    elif action == "backToValidated":
        agenda.remove(item)
    elif action == "delay":
        copies.delayed(item)
    elif action == "postpone_next_meeting":
        copies.postponed(item, _next_meeting_uid(item))
    elif action in ("accept", "accept_but_modify") and item.forward:
        copies.forward(item)
    # The transition has just set its state's permissions; the workflow tool
    # reindexes the item's security (with its advices' and annexes') right
    # after this subscriber: reindexing it here too did it twice.
    visibility.update(item, reset=False, reindex=False)


def _next_meeting_uid(item):
    meeting = agenda.meeting_of(item)
    catalog = api.portal.get_tool("portal_catalog")
    found = catalog.unrestrictedSearchResults(
        portal_type="meeting",
        path="/".join(body_of(item).getPhysicalPath()),
        review_state=("created", "frozen"),
        meeting_date={"query": meeting.date, "range": "min"} if meeting and meeting.date else None,
        sort_on="meeting_date",
    )
    others = [brain.UID for brain in found if meeting is None or meeting.UID() != brain.UID]
    return others[0] if others else None


def _accepts_undecided(event):
    """Whether the meeting's transition accepts the items still undecided: publishing
    its decisions or closing it while it is still "decided"."""
    return (
        event.transition is not None
        and event.transition.getId() in ("publish_decisions", "close")
        and event.old_state.getId() == "decided"
    )


def meeting_before_transition(meeting, event):
    """IBeforeTransitionEvent of a meeting: a transition that would publish personal
    data nobody reviewed is refused (:func:`refuse_unreviewed_personal_data`);
    publishing its decisions or closing it (while it is still "decided") accepts
    the items still undecided."""
    refuse_unreviewed_personal_data(meeting, event)
    if _accepts_undecided(event):
        for item in agenda.items(meeting):
            if api.content.get_state(item) == "itemfrozen":
                _try(item, "accept")


class TransitionRefused(BadRequest):
    """A transition that the meetings' rules refuse; its text is the translated reason.

    Raised before the transition changes anything (IBeforeTransitionEvent),
    whichever way it is triggered: the classic UI's workflow menu shows the
    reason as a message (``browser/transitions.py``), REST's ``@workflow``
    answers 400 with it (``services/workflow``); both roll back to a savepoint
    taken before the transition (Plone sets the effective date first).
    Elsewhere (``api.content.transition``) it propagates.
    """


TransitionRefused.__name__ = BadRequest.__name__  # answers 400, as DeletionRefused


def _decisions_public(body, meeting_state):
    return meeting_state in (body.public_meeting_states or ()) and meeting_state in (
        body.public_decision_states or ()
    )


def decisions_made_public(meeting, event):
    """The items whose decision ``event`` (a meeting's transition) makes public: when
    the meeting goes from a state where decisions are not public to one where they
    are (the body's publication settings: by default "Publish the decisions", and
    "Close" from "decided"), its public items (not secret, in a public item state
    once the transition has accepted the undecided ones)."""
    body = body_of(meeting)
    if body is None or event.new_state is None or event.old_state is None:
        return []
    old, new = event.old_state.getId(), event.new_state.getId()
    if not _decisions_public(body, new) or _decisions_public(body, old):
        return []
    accepting = _accepts_undecided(event)
    public_states = body.public_item_states or ()
    found = []
    for item in agenda.items(meeting):
        if item.privacy == "secret":
            continue
        state = api.content.get_state(item)
        if accepting and state == "itemfrozen":
            state = "accepted"
        if state in public_states:
            found.append(item)
    return found


def refuse_unreviewed_personal_data(meeting, event):
    """Refuse a transition that would publish a decision holding personal data that
    the detectors find unmarked and that no mask review covers (``masking.review``).

    The detectors run here, once per item made public whose text no review
    covers, not in a guard: guards are evaluated on every page that lists the
    transitions, and the NER model is slow.
    """
    pending = [
        item for item in decisions_made_public(meeting, event) if masks_review.needs_review(item)
    ]
    if not pending:
        return
    request = getRequest()
    transition = event.transition
    message = _(
        '"${transition}" is refused: it would publish personal data that the detectors find, '
        "neither marked nor reviewed since the text last changed, in: ${items}. Review the "
        'suggestions on each item\'s "Suggest masks" page (${pages}), then try again. '
        "Nothing was changed.",
        mapping={
            "transition": translate(
                transition.title or transition.getId(), domain="plone", context=request
            ),
            "items": "; ".join(
                f"{agenda.number_label(item.item_number)}. {item.Title()}" for item in pending
            ),
            "pages": ", ".join(masks_review.review_url(item) for item in pending),
        },
    )
    raise TransitionRefused(translate(message, context=request))


def meeting_transition(meeting, event):
    """IActionSucceededEvent of a meeting: its items follow."""
    action = event.action
    driven = {
        "freeze": ("presented", "itemfreeze"),
        "backToCreated": ("itemfrozen", "backToPresented"),
    }
    if action in driven:
        state, transition = driven[action]
        for item in agenda.items(meeting):
            if api.content.get_state(item) == state:
                _try(item, transition)
    # The workflow tool reindexes the meeting's security after this subscriber;
    # its items' is reindexed here.
    visibility.update(meeting, reindex=False, with_items=False)
    for item in agenda.items(meeting):
        visibility.update(item)


class DeletionRefused(BadRequest):
    """A deletion that the meetings' rules refuse; its text is the translated reason.

    Raised while the object is about to be removed, so that every way of
    deleting it refuses it: REST's DELETE answers 400 with the reason, and
    the classic UI's delete confirmation and folder contents show it
    (``browser/delete.py``). Whoever catches it rolls back to a savepoint
    taken before the deletion.
    """


# ZPublisher sets the HTTP status of an error from its class's ``__name__``
# (``status_codes``): keep BadRequest's, so that it answers 400 (and REST's
# error type stays "BadRequest").
DeletionRefused.__name__ = BadRequest.__name__


# Set while the application is uninstalled (setuphandlers.uninstall): its
# bodies go with their decided meetings, as the uninstall profile says.
_uninstalling = ContextVar("communesplone.meetings.uninstalling", default=False)


@contextmanager
def uninstalling():
    """Within this block, meetings holding decisions may be deleted (the uninstall)."""
    token = _uninstalling.set(True)
    try:
        yield
    finally:
        _uninstalling.reset(token)


def meeting_will_be_removed(meeting, event):
    """A meeting that holds decided items is kept; presented items go back to validated.

    Also when the meeting goes with its body (the event is dispatched to
    the body's content). Not when the whole site is deleted, nor while the
    application is uninstalled.
    """
    if event.newParent is not None:
        return  # a rename or a move, not a deletion
    holding = agenda.items(meeting)
    if IPloneSiteRoot.providedBy(event.object) or _uninstalling.get():
        return
    if any(api.content.get_state(item) in DECIDED for item in holding):
        raise DeletionRefused(
            translate(
                _(
                    'The meeting "${title}" holds decided items: it cannot be deleted.',
                    mapping={"title": meeting.Title()},
                ),
                context=getRequest(),
            )
        )
    for item in holding:
        item.meeting_uid = None
        item.item_number = None
        item.reference = ""
        copies.set_state(item, "validated", "")
