"""Open decision data: the public items of a meeting or a year, as JSON and CSV.

What is exported is what the commune publishes, read as the caller:

- items heard in public only (``privacy`` "public"): a secret item is never
  listed, whoever asks;
- the catalog lists only the items the caller may view, and an item's
  decision, outcome and votes come out only where the caller holds "View
  decision" on it (anonymous visitors: once the body publishes the decisions,
  ``visibility.py``);
- every rich text (motivation, decision) has the spans marked as personal
  data replaced by the placeholder (``masking.public_text``), for every caller.

JSON follows plone.restapi's shape: an item is its ``ISerializeToJson``
serialisation (``@id``, ``@type``, ``UID``, ``review_state``, the schema
fields the caller may read…) with the masked texts, and these keys added:
``meeting`` (``@id``, ``title``, ``date``), ``number``, ``reference``, ``category_title``,
``outcome`` and ``roll_call`` (each vote: ``label``, ``secret``, ``results``
and, for a public vote, ``voters``: ``id``, ``person``, ``vote``). A list is
``{"@id", "items_total", "items"}`` as plone.restapi's listings are.

CSV: one row per item, the columns of :data:`COLUMNS`; the decision as masked
plain text; the roll call as "Person: vote" separated by "; ", one vote per
line for items with several votes.
"""

from communesplone.meetings import agenda
from communesplone.meetings import masking
from communesplone.meetings import votes as votes_module
from communesplone.meetings.bodies import body_of
from communesplone.meetings.constants import DECIDED
from communesplone.meetings.constants import ITEM
from communesplone.meetings.constants import VIEW_DECISION
from DateTime import DateTime
from plone import api
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.converters import json_compatible
from zope.component import getMultiAdapter

import csv
import io


COLUMNS = (
    "meeting_date",
    "meeting",
    "number",
    "reference",
    "title",
    "category",
    "outcome",
    "decision",
    "yes",
    "no",
    "abstain",
    "roll_call",
    "url",
)
PUBLIC = "public"


def may_view_decision(item):
    return bool(api.user.has_permission(VIEW_DECISION, obj=item))


def _meeting(item):
    uid = item.meeting_uid
    if not uid:
        return None
    brains = api.portal.get_tool("portal_catalog")(UID=uid)  # only if the caller may see it
    return brains[0].getObject() if brains else None


def roll_call(item):
    """The item's votes, as published: per member for a public vote, counts for a secret one."""
    if not may_view_decision(item):
        return []
    body = body_of(item)
    result = []
    for vote in item.votes or ():
        entry = {
            "label": vote.get("label") or "",
            "secret": bool(vote.get("secret")),
            "results": votes_module.result(vote),
        }
        if not vote.get("secret"):
            entry["voters"] = [
                {"id": member_id, "person": _person(body, member_id), "vote": value}
                for member_id, value in (vote.get("voters") or {}).items()
            ]
        result.append(entry)
    return result


def _person(body, member_id):
    row = body.member(member_id) if body is not None else None
    return (row or {}).get("person") or member_id


def item_json(item, request, language=None):
    """The item as plone.restapi serialises it for the caller, texts masked, and the
    open data keys (see the module)."""
    result = getMultiAdapter((item, request), ISerializeToJson)()
    result.pop("items", None)  # annexes and advices: not decision data
    result.pop("items_total", None)
    for name in masking.rich_text_fields(item):
        value = result.get(name)
        if isinstance(value, dict) and value.get("data"):
            result[name] = dict(value, data=masking.public_text(value["data"], language))
    meeting = _meeting(item)
    body = body_of(item)
    decided = api.content.get_state(item) in DECIDED and may_view_decision(item)
    result.update(
        {
            "meeting": {
                "@id": meeting.absolute_url(),
                "title": meeting.Title(),
                "date": json_compatible(meeting.date),
            }
            if meeting is not None
            else None,
            "number": agenda.number_label(item.item_number),
            "reference": item.reference or "",
            "category_title": body.category_title(item.category)
            if body is not None and item.category
            else "",
            "outcome": api.content.get_state(item) if decided else None,
            "roll_call": roll_call(item),
        }
    )
    return result


def _row(item, language=None):
    meeting = _meeting(item)
    body = body_of(item)
    decided = api.content.get_state(item) in DECIDED and may_view_decision(item)
    decision = item.decision.output if decided and item.decision is not None else ""
    calls = roll_call(item)
    totals = {
        key: sum(call["results"].get(key, 0) for call in calls) for key in ("yes", "no", "abstain")
    }
    lines = []
    for call in calls:
        named = "; ".join(f"{voter['person']}: {voter['vote']}" for voter in call.get("voters", ()))
        prefix = f"{call['label']} — " if call["label"] and len(calls) > 1 else ""
        lines.append(prefix + (named or ", ".join(f"{k}: {n}" for k, n in call["results"].items())))
    return {
        "meeting_date": meeting.date.isoformat() if meeting is not None and meeting.date else "",
        "meeting": meeting.Title() if meeting is not None else "",
        "number": agenda.number_label(item.item_number),
        "reference": item.reference or "",
        "title": item.Title(),
        "category": body.category_title(item.category)
        if body is not None and item.category
        else "",
        "outcome": api.content.get_state(item) if decided else "",
        "decision": masking.public_plain(decision, language),
        "yes": totals["yes"] if calls else "",
        "no": totals["no"] if calls else "",
        "abstain": totals["abstain"] if calls else "",
        "roll_call": "\n".join(lines),
        "url": item.absolute_url(),
    }


def to_csv(items, language=None):
    """The CSV (UTF-8 text, a header row, ``;``-free: commas and quotes as RFC 4180)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for item in items:
        writer.writerow(_row(item, language))
    return out.getvalue()


def listing(url, items, request, language=None):
    """plone.restapi's shape of a list: @id, items_total, items."""
    serialized = [item_json(item, request, language) for item in items]
    return {"@id": url, "items_total": len(serialized), "items": serialized}


def meeting_items(meeting):
    """The public items of ``meeting`` the caller may view, in agenda order."""
    return [brain.getObject() for brain in agenda.brains(meeting, privacy=PUBLIC)]


def year_items(body, year):
    """The public items of ``body``'s meetings of ``year`` whose decision the caller may
    read, by meeting date and number."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(
        portal_type=ITEM,
        path="/".join(body.getPhysicalPath()),
        privacy=PUBLIC,
        review_state=list(DECIDED),
        meeting_date={
            "query": (DateTime(f"{year}/01/01 00:00:00"), DateTime(f"{year}/12/31 23:59:59")),
            "range": "min:max",
        },
        sort_on="meeting_date",
    )
    brains = sorted(
        brains, key=lambda brain: (brain.meeting_date or DateTime(0), brain.item_number or 0)
    )
    return [item for item in (brain.getObject() for brain in brains) if may_view_decision(item)]
