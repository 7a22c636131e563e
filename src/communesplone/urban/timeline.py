"""A licence's timeline: its events in date order, the event types that may be
added to it now, and the order rule.

An event type (an ``urban_event_type`` of the configuration) may be added to
a licence when, in this order of checks:

1. it exists and its content type is the one of its kind
   (``constants.KIND_TYPES``: an opinion request is an ``urban_opinion_request``);
2. the licence's type allows it (its ``urban_licence_type``'s event types);
3. the licence is in one of the states the event type names (none named: any),
   either as the state of any procedure (``deposit``) or of its own procedure
   only (``urban_declaration:deposit``: a declaration being examined, not a
   permit whose completeness is still unchecked);
4. one at least of the events that it must follow (its ``after``) is in the
   licence, dated no later than it ("a decision before the deposit").

:func:`check` raises a :class:`~communesplone.core.validation.Refusal` whose
translatable message says which rule failed and why. It is called from one
place only, the invariant of the events' schema (``content/event.py``), which
both z3c.form (the add and edit forms) and plone.restapi (POST and PATCH)
validate before anything is written: the form shows the reason above its
fields, REST answers 400 with the same words.

On an edit (the event is already in the licence) only rule 4 is checked: a
date moved before the deposit is refused, but a licence that moved on to
another state keeps its events.
"""

from Acquisition import aq_base
from Acquisition import aq_inner
from Acquisition import aq_parent
from communesplone import _
from communesplone.core.validation import Refusal
from communesplone.urban import constants
from communesplone.urban import desk
from communesplone.urban.vocabularies import qualified_state
from datetime import date
from datetime import datetime
from plone import api


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _format(value):
    value = _as_date(value)
    return value.strftime("%d/%m/%Y") if value else ""


def licence_of(obj):
    """The licence of ``obj`` (a licence, or an event in one), or None."""
    while obj is not None:
        if getattr(aq_base(obj), "portal_type", None) in constants.LICENCES:
            return obj
        obj = aq_parent(aq_inner(obj)) if hasattr(obj, "aq_parent") else None
    return None


def licence_type(licence):
    return desk.get_licence_type(getattr(licence, "licence_type", None))


def event_type(event_type_id):
    return desk.get_event_type(event_type_id)


def event_type_title(event_type_id):
    item = event_type(event_type_id)
    return item.Title() if item is not None else event_type_id or ""


def events(licence, exclude=None):
    """The licence's events as objects, in date order (undated last, then by creation)."""
    found = [
        obj
        for obj in licence.objectValues()
        if obj.portal_type in constants.EVENTS and (exclude is None or aq_base(obj) is not exclude)
    ]
    return sorted(
        found,
        key=lambda obj: (
            _as_date(getattr(obj, "event_date", None)) is None,
            _as_date(getattr(obj, "event_date", None)) or date.min,
            obj.created(),
        ),
    )


def event_brains(licence):
    """The catalog entries of the licence's events that the user may view, in date order."""
    brains = api.content.find(
        context=licence,
        depth=1,
        portal_type=list(constants.EVENTS),
        sort_on=constants.INDEX_EVENT_DATE,
    )
    return list(brains)


def _titles(ids):
    return ", ".join(f'"{event_type_title(event_type_id)}"' for event_type_id in ids)


def _preceding_problems(licence, item, event_date, exclude=None):
    """The refusal of the order rule for an event of type ``item`` dated ``event_date``, or None.

    One at least of the event types in ``item.after`` must be in the licence, dated
    no later than the new event (an undated event, or one without a date given,
    counts as being there).
    """
    required = list(item.after or ())
    if not required:
        return None
    dates = [
        _as_date(event.event_date)
        for event in events(licence, exclude=exclude)
        if event.event_type in required
    ]
    if not dates:
        return _(
            '"${event}" cannot be added before ${needed}: add it to the file first.',
            mapping={"event": item.Title(), "needed": _titles(required)},
        )
    when = _as_date(event_date)
    known = [day for day in dates if day is not None]
    if when is None or len(known) < len(dates) or min(known) <= when:
        return None
    return _(
        '"${event}" cannot be dated ${date}, before ${needed} of ${needed_date}.',
        mapping={
            "event": item.Title(),
            "date": _format(when),
            "needed": _titles(required),
            "needed_date": _format(min(known)),
        },
    )


def refusal(licence, event_type_id, event_date=None, event=None):
    """The translatable reason why an event of ``event_type_id`` dated ``event_date``
    may not be added to ``licence`` (or, when ``event`` is given, why ``event`` may
    not have this date), or None when it may.

    An unknown event type, or one of another kind than the content type, is
    refused by the ``event_type`` field itself (``content/fields.py``).
    """
    item = event_type(event_type_id)
    if item is None:
        return None
    if event is not None:  # an edit: the order rule only
        return _preceding_problems(licence, item, event_date, exclude=aq_base(event))
    config = licence_type(licence)
    if config is None or event_type_id not in (config.event_types or ()):
        return _(
            '"${event}" is not an event of the files of type "${type}".',
            mapping={
                "event": item.Title(),
                "type": config.Title() if config is not None else licence.licence_type,
            },
        )
    states = item.states or ()
    state = api.content.get_state(licence, default=None)
    if states and state not in states and qualified_state(licence.portal_type, state) not in states:
        return _(
            '"${event}" cannot be added to a file in the state "${state}".',
            mapping={"event": item.Title(), "state": state_title(licence, state)},
        )
    return _preceding_problems(licence, item, event_date)


def check(licence, event_type_id, event_date=None, event=None):
    """Raise :class:`Refusal` with the reason when :func:`refusal` finds one."""
    message = refusal(licence, event_type_id, event_date, event)
    if message is not None:
        raise Refusal(message)


def check_data(data):
    """The events' schema invariant: the rules above, on z3c.form's ``Data``.

    ``data.__context__`` is the new event (wrapped in its licence, not yet in
    it) in a REST POST, the event itself in an edit form or a PATCH; in an add
    form it is None (z3c.form validates add forms without a context), and the
    licence is the add form's context.
    """
    context = getattr(data, "__context__", None)
    if context is None:  # z3c.form's add forms validate without their context
        context = _add_form_context()
    if context is None:
        return
    try:
        event_type_id, event_date = data.event_type, data.event_date
    except AttributeError:  # not given: the fields' own validation says so
        return
    if getattr(aq_base(context), "portal_type", None) in constants.LICENCES:
        check(context, event_type_id, event_date)
        return
    licence = licence_of(context)
    if licence is None:
        return
    found = licence._getOb(context.getId(), None)  # wrapped or not: compare the bases
    added = found is not None and aq_base(found) is aq_base(context)
    check(licence, event_type_id, event_date, event=context if added else None)


def _add_form_context():
    """The context (the licence) of the add form being submitted, or None."""
    from zope.globalrequest import getRequest

    request = getRequest()
    published = request.get("PUBLISHED") if request is not None else None
    form = getattr(published, "form_instance", None)
    context = getattr(form, "context", None)
    if getattr(aq_base(context), "portal_type", None) in constants.LICENCES:
        return context
    return None


def state_title(licence, state=None):
    """The translated title of ``licence``'s state (or of ``state`` in its workflow)."""
    workflow = api.portal.get_tool("portal_workflow")
    state = state or api.content.get_state(licence, default=None)
    title = workflow.getTitleForStateOnType(state, licence.portal_type)
    return api.portal.translate(title) if title else state or ""


def allowed_event_types(licence):
    """The event types (configuration items) that may be added to ``licence`` now,
    in the configuration's order, without those whose preceding events are missing."""
    config = licence_type(licence)
    if config is None:
        return []
    result = []
    for event_type_id in config.event_types or ():
        if refusal(licence, event_type_id) is None:
            result.append(event_type(event_type_id))
    return result


def add_links(licence):
    """[{id, title, url}]: the "Ajouter un événement" menu, for the types the user may add."""
    types = api.portal.get_tool("portal_types")
    url = licence.absolute_url()
    links = []
    for item in allowed_event_types(licence):
        portal_type = constants.KIND_TYPES.get(item.kind)
        fti = types.getTypeInfo(portal_type) if portal_type else None
        if fti is None or not fti.isConstructionAllowed(licence):
            continue
        links.append(
            {
                "id": item.getId(),
                "title": item.Title(),
                "url": f"{url}/++add++{portal_type}?event_type={item.getId()}",
            }
        )
    return links
