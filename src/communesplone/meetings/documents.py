"""What the meetings' document templates get: ``meeting_helper``.

Templates generated from a meeting or an item get, beside documents'
``context`` and ``helper``, a :class:`MeetingHelper` named ``meeting_helper``
(through the :class:`~communesplone.documents.interfaces.IDocumentContext`
adapter below). See docs/templates.rst for its methods.

Security. The helper reads as the user who generates the document, like the
rest of the template:

- the items of a meeting come from the catalog (``agenda.brains``), which
  lists only those the user may view; a citizen never gets a secret item;
- fields are read through documents' helper (``helper.raw``), that is through
  Zope's guards: the ``decision`` of an item before its publication reads as
  empty for anonymous visitors and citizens;
- votes and outcomes are part of the decision: they come out only for those
  who may view the item's decision ("communesplone.meetings: View decision");
- the meeting of an item comes from the catalog too: no attendance nor
  signatories of a meeting the user may not view.

Who is offered which template is the templates' ``condition``
(``templates/__init__.py``):

- the agenda ("ordre du jour") and the list of decisions for publication are
  offered to anyone who may view the meeting: what each user gets is what the
  catalog and the field permissions let them see, so a visitor gets the
  public agenda and, once the decisions are published, the public decisions;
- the minutes ("procès-verbal") and the decision extracts ("délibérations")
  are official acts made by the secretariat: they are offered to the body's
  meeting managers (and the site's administrators), that is to those who hold
  "communesplone.meetings: Add meeting" on the meeting or item. That
  permission, unlike Modify or Review, stays theirs once the meeting is
  closed, when the minutes are printed. An extract is offered only for an item
  on a meeting's agenda.
"""

from AccessControl import getSecurityManager
from babel.dates import format_time
from communesplone import _
from communesplone.documents.helper import LOCALES
from communesplone.documents.interfaces import IDocumentContext
from communesplone.meetings import agenda
from communesplone.meetings import attendance as attendance_rules
from communesplone.meetings import votes as votes_module
from communesplone.meetings.bodies import body_of
from communesplone.meetings.constants import DECIDED
from communesplone.meetings.constants import VIEW_DECISION
from communesplone.meetings.content.meeting import IMeeting
from communesplone.meetings.content.meeting_advice import IMeetingAdvice
from communesplone.meetings.content.meeting_item import IMeetingItem
from datetime import date
from datetime import datetime
from plone import api
from zope.component import adapter
from zope.i18n import translate
from zope.interface import implementer


# What documents say of an item's outcome (outcome_label), in their language.
OUTCOMES = {
    "accepted": _("Approved"),
    "accepted_but_modified": _("Approved with amendments"),
    "refused": _("Refused"),
    "delayed": _("Delayed"),
    "postponed_next_meeting": _("Postponed"),
}


class MeetingHelper:
    """Exposed to templates as ``meeting_helper``; see docs/templates.rst.

    Methods taking ``obj`` accept a meeting or an item (whose meeting they use).
    """

    # Templates reach these methods through guarded_getattr; the methods read
    # through the catalog and documents' helper, as the user.
    __allow_access_to_unprotected_subobjects__ = 1

    def __init__(self, helper):
        self.helper = helper
        self._meetings = {}
        self._items = {}

    def _translate(self, message):
        """``message`` in the document's language (the helper's)."""
        return translate(message, target_language=self.helper.language)

    # Meetings, bodies, items -------------------------------------------------

    def meeting(self, obj):
        """The meeting itself, or the meeting of an item if the user may view it; else None."""
        if getattr(obj, "portal_type", None) == "meeting":
            return obj
        uid = self.helper.raw(obj, "meeting_uid")
        if not uid:
            return None
        if uid not in self._meetings:
            brains = api.portal.get_tool("portal_catalog")(UID=uid)
            self._meetings[uid] = brains[0].getObject() if brains else None
        return self._meetings[uid]

    def body(self, obj):
        """The meeting body (college, council) ``obj`` is in."""
        return body_of(obj)

    def body_title(self, obj):
        body = body_of(obj)
        return self.helper.value(body, "title") if body is not None else ""

    def date(self, obj, fmt="full"):
        """The date of the meeting (of ``obj``): "mardi 8 décembre 2026" (fmt as helper.date)."""
        meeting = self.meeting(obj)
        return self.helper.date(self.helper.raw(meeting, "date"), fmt) if meeting else ""

    def time(self, obj):
        """The time of the meeting (of ``obj``): "20:00"."""
        meeting = self.meeting(obj)
        value = self.helper.raw(meeting, "date") if meeting is not None else None
        if not isinstance(value, datetime):
            return ""
        return format_time(value, format="short", locale=LOCALES[self.helper.language])

    def items(self, obj, privacy=None):
        """The items of the meeting (of ``obj``) that the user may view, in agenda order.

        ``privacy``: "public" or "secret" (closed session) for those only.
        """
        meeting = self.meeting(obj)
        if meeting is None:
            return []
        key = (meeting.UID(), privacy)
        if key not in self._items:
            query = {"privacy": privacy} if privacy else {}
            self._items[key] = [brain.getObject() for brain in agenda.brains(meeting, **query)]
        return self._items[key]

    def public_items(self, obj):
        return self.items(obj, "public")

    def secret_items(self, obj):
        return self.items(obj, "secret")

    def number(self, item):
        """The item's number on the agenda: "3", "3.1"; "" if it is on none."""
        return agenda.number_label(self.helper.raw(item, "item_number"))

    def reference(self, item):
        return self.helper.raw(item, "reference") or ""

    def secret(self, item):
        """Whether the item is heard in closed session ("huis clos")."""
        return self.helper.raw(item, "privacy") == "secret"

    def late(self, item):
        """Whether the item was added to the agenda after the meeting was frozen."""
        return self.helper.raw(item, "list_type") == "late"

    def late_note(self, item):
        """ "(point supplémentaire)" for a late item (see :meth:`late`), else ""."""
        return self._translate(_("(additional item)")) if self.late(item) else ""

    def review_state(self, obj):
        return api.content.get_state(obj, default="") or ""

    def public_xhtml(self, obj, name):
        """A rich text field as published, for ``do text from xhtml(...)``: the spans
        marked as personal data replaced by "[données personnelles]" (``masking``)."""
        from communesplone.meetings import masking

        return masking.public_text(self.helper.xhtml(obj, name), language=self.helper.language)

    def may_view_decision(self, item):
        return bool(getSecurityManager().checkPermission(VIEW_DECISION, item))

    def outcome(self, item):
        """The decision taken on the item: accepted, accepted_but_modified, refused,
        delayed, postponed_next_meeting; "" while undecided or if the user may not
        view the item's decision."""
        state = self.review_state(item)
        return state if state in DECIDED and self.may_view_decision(item) else ""

    def outcome_label(self, item):
        """The outcome (see :meth:`outcome`) in words: "Approuvé", "Refusé"; "" if none."""
        outcome = self.outcome(item)
        return self._translate(OUTCOMES[outcome]) if outcome else ""

    # People ------------------------------------------------------------------

    def _day(self, meeting):
        value = self.helper.raw(meeting, "date") if meeting is not None else None
        return value.date() if isinstance(value, datetime) else None

    def _person(self, body, member_id):
        row = body.member(member_id) if body is not None and member_id else None
        if row is None:
            return {"id": member_id or "", "person": member_id or "", "function": ""}
        return {"id": row["id"], "person": row["person"], "function": row["function"]}

    def attendance(self, obj):
        """Every member of the body active on the meeting's day, in the body's order.

        Each is a dict: ``id``, ``person``, ``function``, ``voting``, ``status``
        (present, absent, excused, represented, replaced), ``represented_by``
        (the person's name, "" if none) and ``replaced_by`` (the substitute's
        name, "" if none).
        """
        meeting = self.meeting(obj)
        if meeting is None:
            return []
        body = body_of(meeting)
        encoded = {row["member"]: row for row in self.helper.raw(meeting, "attendance") or ()}
        rows = []
        for member in body.active_members(self._day(meeting)):
            row = encoded.get(member["id"], {})
            by = row.get("represented_by")
            rows.append(
                {
                    **self._person(body, member["id"]),
                    "voting": bool(member.get("voting", True)),
                    "status": row.get("status") or "present",
                    "represented_by": self._person(body, by)["person"] if by else "",
                    "replaced_by": (row.get("replaced_by") or "")
                    if row.get("status") == "replaced"
                    else "",
                }
            )
        return rows

    def person_line(self, row):
        """A row of :meth:`attendance` in words: "Anne Martin, Échevine", and ",
        représenté(e) par Jean Dupont" for a member represented."""
        line = ", ".join(part for part in (row["person"], row["function"]) if part)
        if row.get("represented_by"):
            by = _("represented by ${person}", mapping={"person": row["represented_by"]})
            line = f"{line}, {self._translate(by)}"
        if row.get("replaced_by"):
            by = _("replaced by ${person}", mapping={"person": row["replaced_by"]})
            line = f"{line}, {self._translate(by)}"
        return line

    def _with_status(self, obj, status):
        return [row for row in self.attendance(obj) if row["status"] == status]

    def present(self, obj):
        return self._with_status(obj, "present")

    def absent(self, obj):
        return self._with_status(obj, "absent")

    def excused(self, obj):
        return self._with_status(obj, "excused")

    def represented(self, obj):
        return self._with_status(obj, "represented")

    def replaced(self, obj):
        """The members replaced by a substitute (``replaced_by``: the substitute's name)."""
        return self._with_status(obj, "replaced")

    def _moves(self, meeting):
        return list(self.helper.raw(meeting, "moves") or ()) if meeting is not None else []

    def _move_line(self, body, move):
        person = self._person(body, move["member"])["person"]
        mapping = {
            "person": person,
            "leaves": move["leaves_before"],
            "returns": move.get("returns_before") or "",
        }
        if move.get("returns_before"):
            message = _(
                "${person} leaves the session before item ${leaves} and comes back before "
                "item ${returns}.",
                mapping=mapping,
            )
        else:
            message = _("${person} leaves the session before item ${leaves}.", mapping=mapping)
        return self._translate(message)

    def moves(self, obj):
        """Who leaves the session and comes back, in words, one sentence each: "Anne
        Martin quitte la séance avant le point 3 et y rentre avant le point 5." """
        meeting = self.meeting(obj)
        body = body_of(meeting) if meeting is not None else None
        return [self._move_line(body, move) for move in self._moves(meeting)]

    def moves_here(self, item):
        """The comings and goings at this item, in words: who leaves the session before
        it ("Anne Martin quitte la séance."), who comes back before it."""
        meeting = self.meeting(item)
        number = agenda.number_label(self.helper.raw(item, "item_number"))
        if meeting is None or not number:
            return []
        body = body_of(meeting)
        lines = []
        for move in self._moves(meeting):
            person = self._person(body, move["member"])["person"]
            if move["leaves_before"] == number:
                lines.append(
                    self._translate(_("${person} leaves the session.", mapping={"person": person}))
                )
            if move.get("returns_before") == number:
                lines.append(
                    self._translate(
                        _("${person} comes back into the session.", mapping={"person": person})
                    )
                )
        return lines

    def item_absents(self, item):
        """The members away for this item: absent for it, or out of the session during
        it (comings and goings). Dicts id, person, function."""
        body = body_of(item)
        away = list(self.helper.raw(item, "item_absents") or ())
        meeting = self.meeting(item)
        out = attendance_rules.moved_out(self._moves(meeting), self.helper.raw(item, "item_number"))
        order = [row["id"] for row in (body.members or ())] if body is not None else []
        away.extend(member for member in order if member in out and member not in away)
        return [self._person(body, member) for member in away]

    def item_excused(self, item):
        """The members excused for this item: dicts id, person, function."""
        body = body_of(item)
        return [
            self._person(body, member) for member in self.helper.raw(item, "item_excused") or ()
        ]

    def signatories(self, obj):
        """Who signs, in order: the meeting's signatories, or else the body's members
        with a signatory order; for an item, with another signatory where the item
        names one. Dicts: id, person, function."""
        meeting = self.meeting(obj)
        body = body_of(meeting if meeting is not None else obj)
        if body is None:
            return []
        if meeting is None:
            signing = [row for row in body.active_members(None) if row.get("signatory_order")]
            signing.sort(key=lambda row: row["signatory_order"])
            return [self._person(body, row["id"]) for row in signing]
        if getattr(obj, "portal_type", None) == "meeting_item":
            ids = attendance_rules.item_signatories(obj, meeting)
        else:
            ids = attendance_rules.meeting_signatories(meeting)
        return [self._person(body, member) for member in ids]

    def poll_type(self, item):
        """The item's poll: "public", "secret", "no_vote", or "" if none was chosen."""
        return self.helper.raw(item, "poll_type") or ""

    def no_vote(self, item):
        """Whether the item is taken for information, without a vote."""
        return self.poll_type(item) == "no_vote"

    def no_vote_note(self, item):
        """ "Point pris pour information, sans vote." for such an item, else ""."""
        if not self.no_vote(item):
            return ""
        return self._translate(_("Item taken for information, without a vote."))

    def voters(self, item):
        """The members who vote on the item: dicts id, person, function."""
        if self.meeting(item) is None:
            return []
        body = body_of(item)
        return [self._seat(body, item, row["id"]) for row in votes_module.voters(item)]

    def _seat(self, body, item, member_id):
        """:meth:`_person` of who votes in ``member_id``'s seat at ``item``'s meeting: a
        replaced member's substitute (``attendance.seat_holder``)."""
        person = self._person(body, member_id)
        meeting = self.meeting(item)
        rows = self.helper.raw(meeting, "attendance") if meeting is not None else None
        holder = attendance_rules.seat_holder(rows or (), member_id, person["person"])
        if holder is person["person"]:
            return person
        return {**person, "person": self._translate(holder), "function": ""}

    def votes(self, item):
        """The item's votes, for those who may view its decision.

        Each is a dict: ``label``, ``title`` (the label, or "Vote" in the
        document's language), ``secret``, ``yes``, ``no``, ``abstain``,
        ``blank``, ``invalid``, ``does_not_vote``, ``total``, ``unanimous``
        (every vote is yes), ``result`` (the counts in words: "2 voix pour, 0
        voix contre, 0 abstention(s), à l’unanimité"; blank and invalid
        ballots, and who does not vote, when there are) and, for a public vote,
        ``voters``: {"yes": [names], "no": [...], "abstain": [...],
        "does_not_vote": [...]} in the body's order (empty lists for a secret
        vote).
        """
        if not self.may_view_decision(item):
            return []
        body = body_of(item)
        order = [row["id"] for row in (body.members or ())] if body is not None else []
        rank = {member: index for index, member in enumerate(order)}
        summaries = []
        for vote in self.helper.raw(item, "votes") or ():
            counts = dict.fromkeys(votes_module.VALUES, 0)
            counts.update(votes_module.result(vote))
            names = {value: [] for value in votes_module.VALUES}
            if not vote.get("secret"):
                cast = vote.get("voters") or {}
                for member in sorted(cast, key=lambda m: (rank.get(m, len(rank)), m)):
                    names[cast[member]].append(self._seat(body, item, member)["person"])
            # blank and invalid ballots, and who does not vote, are not votes cast
            total = sum(counts[value] for value in votes_module.CORE_VALUES)
            summary = {
                "label": vote.get("label") or "",
                "title": vote.get("label") or self._translate(_("Vote")),
                "secret": bool(vote.get("secret")),
                **counts,
                "total": total,
                "unanimous": bool(total) and counts["yes"] == total,
                "voters": names,
            }
            summaries.append({**summary, "result": self.vote_result(summary)})
        return summaries

    def vote_result(self, vote):
        """The counts of a vote of :meth:`votes` in words, in the document's language."""
        counts = {value: vote[value] for value in ("yes", "no", "abstain")}
        words = self._translate(
            _("${yes} for, ${no} against, ${abstain} abstentions", mapping=counts)
        )
        extras = {
            "blank": _("${count} blank ballots", mapping={"count": vote.get("blank", 0)}),
            "invalid": _("${count} invalid ballots", mapping={"count": vote.get("invalid", 0)}),
            "does_not_vote": _(
                "${count} not voting", mapping={"count": vote.get("does_not_vote", 0)}
            ),
        }
        for value, message in extras.items():
            if vote.get(value):
                words = f"{words}, {self._translate(message)}"
        if vote["secret"]:
            secret = self._translate(_("(secret ballot)"))
            words = f"{words} {secret}"
        if vote["unanimous"]:
            unanimously = self._translate(_("unanimously"))
            words = f"{words}, {unanimously}"
        return words

    # Advices -----------------------------------------------------------------

    def advices(self, item):
        """The advices on the item that the user may view, in order.

        Dicts: ``service`` (its name), ``advice_type`` (its title), ``comment``,
        ``given_on`` (a date in words) and ``object`` (the advice).
        """
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog(
            portal_type="meeting_advice",
            path={"query": "/".join(item.getPhysicalPath()), "depth": 1},
            sort_on="getObjPositionInParent",
        )
        advices = []
        for brain in brains:
            advice = brain.getObject()
            advices.append(
                {
                    "service": self.helper.value(advice, "title"),
                    "advice_type": self.helper.value(advice, "advice_type"),
                    "comment": self.helper.value(advice, "comment"),
                    "given_on": self.helper.value(advice, "given_on"),
                    "object": advice,
                }
            )
        return advices

    def advice_notes(self, item):
        """What the deliberation says of the advices asked beyond those given: a delay
        extended (by how many days, why), an advice not given within its delay."""
        from communesplone.meetings import advices as advice_rules

        given = advice_rules.given_services(item)
        notes = []
        for record in advice_rules.recorded(item).values():
            mapping = {
                "service": self._service(record["service"]),
                "asked_on": self.helper.date(record.get("asked_on")),
                "due": self.helper.date(record.get("due")),
                "days": record.get("extension_days") or 0,
                "reason": record.get("extension_reason") or "",
            }
            if record.get("extension_days"):
                notes.append(
                    _(
                        "The delay of the advice of ${service} was extended by ${days} days "
                        "(${reason}), until ${due}.",
                        mapping=mapping,
                    )
                )
            if (
                record.get("due")
                and record["service"] not in given
                and record["due"] < date.today()
            ):
                notes.append(
                    _(
                        "The advice of ${service}, asked on ${asked_on}, was not given within "
                        "its delay (${due}).",
                        mapping=mapping,
                    )
                )
        return [self._translate(note) for note in notes]

    def _service(self, service_id):
        from communesplone.core import services

        found = services.get(service_id)
        return found["title"] if found else service_id

    def advice(self, advice):
        """An advice and its request, for the advice's own document (the financial
        advice): ``service``, ``advice_type``, ``comment``, ``signed_on``,
        ``signed_by`` (a name), ``given_on``, ``asked_on``, ``due``, ``extension``
        (a sentence, or ""), ``item`` (its title), ``reference``, ``proposing_service``,
        ``amount`` ("30 000,00 €" for a budget-related item, else "")."""
        from babel.numbers import format_decimal
        from communesplone.meetings import advices as advice_rules

        item = advice.aq_parent
        record = advice_rules.recorded(item).get(advice.service, {})
        signer_id = getattr(advice, "signed_by", None)
        signer = api.user.get(userid=signer_id) if signer_id else None
        amount = item.budget_amount if item.budget_related else None
        extension = ""
        if record.get("extension_days"):
            extension = self._translate(
                _(
                    "Delay extended by ${days} days: ${reason}",
                    mapping={
                        "days": record["extension_days"],
                        "reason": record.get("extension_reason") or "",
                    },
                )
            )
        return {
            "service": self.helper.value(advice, "title"),
            "advice_type": self.helper.value(advice, "advice_type"),
            "comment": self.helper.value(advice, "comment"),
            "given_on": self.helper.date(getattr(advice, "given_on", None)),
            "signed_on": self.helper.date(getattr(advice, "signed_on", None)),
            "signed_by": (signer.getProperty("fullname") or signer.getId()) if signer else "",
            "asked_on": self.helper.date(record.get("asked_on")),
            "due": self.helper.date(record.get("due")),
            "extension": extension,
            "item": item.Title(),
            "reference": item.reference or "",
            "proposing_service": self._service(item.service),
            "amount": (
                format_decimal(amount, format="#,##0.00", locale=LOCALES[self.helper.language])
                + " €"
                if amount is not None
                else ""
            ),
        }


@implementer(IDocumentContext)
@adapter(IMeeting)
class MeetingDocumentContext:
    """Gives templates of meetings and items ``meeting_helper``."""

    def __init__(self, context):
        self.context = context

    def __call__(self, helper):
        return {"meeting_helper": MeetingHelper(helper)}


@implementer(IDocumentContext)
@adapter(IMeetingItem)
class ItemDocumentContext(MeetingDocumentContext):
    """The same for items."""


@implementer(IDocumentContext)
@adapter(IMeetingAdvice)
class AdviceDocumentContext(MeetingDocumentContext):
    """The same for advices (the financial advice)."""
