"""Email notifications of the meetings application.

Six kinds of mails, each from a template file per language in ``mails/``
(``<kind>.fr.txt``, ``<kind>.nl.txt``: a ``Subject:`` line, a blank line, the
text; ``${name}`` placeholders), which a secretary edits like any text file:

- ``advice_asked``: an advice is asked of a service (its advisers);
- ``advice_due_soon``: an advice is due in two days (its service's advisers),
  once per advice, from the daily :func:`send_due_reminders`;
- ``item_returned``: an item is returned to its service (the service's editors
  and reviewers);
- ``item_delayed``: an item is delayed, its copy is back in the service (the same);
- ``late_item``: a late item is added to a frozen meeting (the body's members);
- ``agenda_frozen``: a meeting's agenda is frozen (the body's members).

The recipients are the members of those groups (plone.api, nested groups
included), each once, less those without an email address and those who
turned the kind off in their preferences ("Notifications", in the user menu:
the member property :data:`PROPERTY` lists the kinds turned off). Each gets
the mail in their language (their ``language`` property) when a template
exists in it, else in the commune's (the CommunesPlone control panel). Mails
go through Plone's MailHost once the transaction commits (``core.mail``): a
transition that fails sends nothing.
"""

from communesplone import _
from communesplone.core import i18n
from communesplone.core import mail
from communesplone.core import services
from communesplone.meetings import agenda
from communesplone.meetings.bodies import body_of
from communesplone.meetings.bodies import group_id
from datetime import date
from datetime import timedelta
from pathlib import Path
from persistent.mapping import PersistentMapping
from plone import api
from string import Template
from zope.annotation.interfaces import IAnnotations

import logging


logger = logging.getLogger("communesplone.meetings.notifications")

# kind -> its label in the preferences
KINDS = {
    "advice_asked": _("An advice is asked of my service"),
    "advice_due_soon": _("An advice of my service is due in 2 days"),
    "item_returned": _("An item of my service is returned to it"),
    "item_delayed": _("An item of my service is delayed"),
    "late_item": _("A late item is added to a frozen meeting"),
    "agenda_frozen": _("The agenda of a meeting is frozen"),
}
# The member property listing the kinds a user turned off
PROPERTY = "meetings_notifications_off"
MAILS = Path(__file__).parent / "mails"
LANGUAGES = ("fr", "nl")
DUE_SOON_DAYS = 2
# Annotation of an item: "<service>:<due day>" of the advices already reminded
REMINDED_KEY = "communesplone.meetings.reminded"


# Templates


def template_path(kind, language):
    return MAILS / f"{kind}.{language}.txt"


def render(kind, language, mapping):
    """(subject, text) of the mail ``kind`` in ``language``, with ``mapping``'s values."""
    if kind not in KINDS:
        raise ValueError(f"Unknown notification {kind!r}: one of {', '.join(KINDS)}")
    source = template_path(kind, language).read_text(encoding="utf-8")
    head, _sep, body = source.partition("\n\n")
    subject = head.removeprefix("Subject:").strip()
    values = {name: "" if value is None else str(value) for name, value in mapping.items()}
    return (
        Template(subject).safe_substitute(values),
        Template(body).safe_substitute(values).strip() + "\n",
    )


def commune_language():
    """The commune's language (CommunesPlone control panel), if there are templates in it."""
    language = i18n.commune_language()
    return language if language in LANGUAGES else LANGUAGES[0]


def language_of(member):
    """The member's language when the mails exist in it, else the commune's."""
    language = (member.getProperty("language", "") or "").split("-")[0].lower()
    return language if language in LANGUAGES else commune_language()


# Preferences


def turned_off(member):
    """The kinds ``member`` does not want."""
    return {kind for kind in member.getProperty(PROPERTY, ()) or () if kind in KINDS}


def set_turned_off(member, kinds):
    member.setMemberProperties({PROPERTY: sorted(set(kinds) & set(KINDS))})


# Recipients


def group_members(*group_ids):
    """The user ids of the members of ``group_ids`` (nested groups included), each once."""
    found = {}
    for name in group_ids:
        if not name or api.group.get(groupname=name) is None:
            continue
        for user in api.user.get_users(groupname=name):
            found.setdefault(user.getId(), None)
    return list(found)


def service_staff(service_id):
    """The editors and reviewers of a service."""
    if not service_id:
        return []
    return group_members(
        services.group_id(service_id, "editors"), services.group_id(service_id, "reviewers")
    )


def advisers(service_id):
    return group_members(services.group_id(service_id, "advisers")) if service_id else []


def body_members(obj):
    body = body_of(obj)
    return group_members(group_id(body, "members")) if body is not None else []


# Sending


service_title = services.title


def format_day(value):
    """A day as Belgians write it in French and Dutch: 31/12/2026."""
    if value is None or value == "":
        return ""
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return value.strftime("%d/%m/%Y")


def base_mapping(obj):
    """What every template may name: the item's (or meeting's) title, reference,
    link, service, body, and its meeting's title, link and date."""
    body = body_of(obj)
    meeting = obj if obj.portal_type == "meeting" else agenda.meeting_of(obj)
    return {
        "title": obj.Title(),
        "reference": getattr(obj, "reference", "") or "",
        "url": obj.absolute_url(),
        "service": service_title(getattr(obj, "service", None)),
        "body": body.Title() if body is not None else "",
        "meeting": meeting.Title() if meeting is not None else "",
        "meeting_url": meeting.absolute_url() if meeting is not None else "",
        "meeting_date": format_day(meeting.date) if meeting is not None else "",
        "site": api.portal.get().Title(),
    }


def notify(kind, item, recipients, **mapping):
    """Mail ``kind`` about ``item`` (an item or a meeting) to ``recipients`` (user ids).

    Each user once, in their language; not to those without an email address
    or who turned ``kind`` off. Sent after the transaction commits. Return the
    addresses the mail is queued for.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification {kind!r}: one of {', '.join(KINDS)}")
    values = {**base_mapping(item), **mapping}
    sent = []
    for userid in dict.fromkeys(recipients):
        member = api.user.get(userid=userid)
        if member is None or kind in turned_off(member):
            continue
        email = (member.getProperty("email", "") or "").strip()
        if not email or email.lower() in {address.lower() for address in sent}:
            continue
        values["fullname"] = member.getProperty("fullname", "") or userid
        subject, text = render(kind, language_of(member), values)
        if mail.send_after_commit(text, email, subject=subject, about=f"{kind} {values['url']}"):
            sent.append(email)
    return sent


# Subscribers


def advice_asked(item, event):
    """IAdviceAskedEvent: the advisers of the service asked."""
    notify(
        "advice_asked",
        item,
        advisers(event.service),
        adviser=service_title(event.service),
        due=format_day(event.due),
    )


def _comment(obj):
    workflow_tool = api.portal.get_tool("portal_workflow")
    try:
        return workflow_tool.getInfoFor(obj, "comments", "") or ""
    except Exception:  # noqa: BLE001 (no history)
        return ""


def item_transition(item, event):
    """IActionSucceededEvent of an item (after ``workflows.item_transition``)."""
    action = event.action
    if action == "return_to_proposing_group":
        notify("item_returned", item, service_staff(item.service), comment=_comment(item))
    elif action == "delay":
        copy = agenda.by_uid(item.successor_uid) if item.successor_uid else None
        notify(
            "item_delayed",
            item,
            service_staff(item.service),
            comment=_comment(item),
            new_url=copy.absolute_url() if copy is not None else item.absolute_url(),
        )
    elif action == "present" and item.meeting_uid and item.list_type == "late":
        notify(
            "late_item",
            item,
            body_members(item),
            number=agenda.number_label(item.item_number),
        )


def meeting_transition(meeting, event):
    """IActionSucceededEvent of a meeting: its agenda frozen."""
    if event.action == "freeze":
        catalog = api.portal.get_tool("portal_catalog")
        count = len(
            catalog.unrestrictedSearchResults(portal_type="meeting_item", meeting_uid=meeting.UID())
        )
        notify("agenda_frozen", meeting, body_members(meeting), count=count)


# The daily reminder


def pending_advices(item):
    """[(service id, due day)] of the advices asked of ``item`` and still awaited."""
    from communesplone.meetings import advices

    return advices.pending(item)


def send_due_reminders(today=None):
    """Remind the advisers of every advice due within :data:`DUE_SOON_DAYS` days.

    Items are found by the ``advices_due`` index (the earliest due day of their
    pending advices); each advice is reminded once for its due day (noted on
    the item), so running this again, or every day, sends nothing twice; a due
    day that is extended is reminded again. Return the number of advices reminded.
    """
    from communesplone.meetings.browser.body import day_end

    today = today or date.today()
    last = today + timedelta(days=DUE_SOON_DAYS)
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="meeting_item", advices_due={"query": day_end(last), "range": "max"}
    )
    count = 0
    for brain in brains:
        item = brain._unrestrictedGetObject()
        annotations = IAnnotations(item)
        reminded = annotations.get(REMINDED_KEY)
        for service, due in pending_advices(item):
            if due is None or not today <= due <= last:
                continue
            key = f"{service}:{due.isoformat()}"
            if reminded is not None and key in reminded:
                continue
            notify(
                "advice_due_soon",
                item,
                advisers(service),
                adviser=service_title(service),
                due=format_day(due),
                days=(due - today).days,
            )
            if reminded is None:
                reminded = annotations[REMINDED_KEY] = PersistentMapping()
            reminded[key] = today.isoformat()
            count += 1
    logger.info("%s advice(s) reminded", count)
    return count
