"""The item page: an item's fields, its place on the agenda, annexes, advices and history.

Everything the item links to (its meeting, its neighbours on the agenda, its
annexes and advices, the items it was copied from or to) is found through
the catalog, so the page shows only what the user may view. The decision is
shown only to users with the "View decision" permission on the item.
"""

from communesplone import _
from communesplone.core.i18n import request_language
from communesplone.meetings import advices
from communesplone.meetings import agenda
from communesplone.meetings import masking
from communesplone.meetings import vocabularies
from communesplone.meetings.bodies import body_of
from communesplone.meetings.browser.body import format_date
from communesplone.meetings.browser.body import service_title
from communesplone.meetings.browser.body import state_title
from communesplone.meetings.constants import ADD_ADVICE
from communesplone.meetings.constants import ADD_ANNEX
from communesplone.meetings.constants import VIEW_DECISION
from plone import api
from Products.Five import BrowserView
from zope.component import getMultiAdapter
from zope.i18n import translate


def _find(uid):
    """The catalog entry of ``uid`` if the user may view it, else None."""
    if not uid:
        return None
    found = api.content.find(UID=uid)
    return found[0] if found else None


def _link(uid, label):
    brain = _find(uid)
    if brain is None:
        return None
    return {"label": label, "title": brain.Title, "url": brain.getURL()}


class ItemView(BrowserView):
    """The ``view`` of a meeting item."""

    def __call__(self):
        self.body = body_of(self.context)
        self.path = "/".join(self.context.getPhysicalPath())
        return self.index()

    def _translate(self, message):
        return translate(message, context=self.request)

    # Fields

    def fields(self):
        """[(label, value)] of the item's simple fields, in reading order."""
        item = self.context
        preferred = _find(item.preferred_meeting)
        rows = [
            (_("Service"), service_title(item.service)),
            (_("Category"), self.body.category_title(item.category) if item.category else ""),
            (_("Privacy"), vocabularies.title_of(vocabularies.privacy, item.privacy, self.request)),
            (
                _("List"),
                vocabularies.title_of(vocabularies.list_types, item.list_type, self.request),
            ),
            (_("Preferred meeting"), preferred.Title if preferred is not None else ""),
            (_("To discuss"), _("Yes") if item.to_discuss else _("No")),
            (_("Copy to"), ", ".join(service_title(s) for s in item.copy_groups or ())),
            (_("Budget-related"), self._amount() if item.budget_related else ""),
            (_("State"), state_title("meeting_item", api.content.get_state(item), self.request)),
        ]
        return [
            {"label": self._translate(label), "value": self._translate(value)}
            for label, value in rows
            if value
        ]

    def _amount(self):
        """The budget-related item's amount, in the reader's language ("86 400,00 €")."""
        from babel.numbers import format_decimal
        from communesplone.documents.helper import LOCALES

        amount = self.context.budget_amount
        if amount is None:
            return _("Yes")
        language = request_language(self.request, "fr").split("-")[0]
        locale = LOCALES.get(language, LOCALES["fr"])
        return f"{format_decimal(amount, format='#,##0.00', locale=locale)} €"

    def motivation(self):
        value = self.context.motivation
        if value is None or not value.raw:
            return None
        return masking.for_viewer(self.context, value.output, request_language(self.request))

    def can_view_decision(self):
        return api.user.has_permission(VIEW_DECISION, obj=self.context)

    def decision(self):
        if not self.can_view_decision():
            return None
        value = self.context.decision
        if value is None or not value.raw:
            return None
        return masking.for_viewer(self.context, value.output, request_language(self.request))

    def may_suggest_masks(self):
        return api.user.has_permission("Modify portal content", obj=self.context)

    # The agenda

    def meeting(self):
        """{title, url, number, reference} of the item's meeting, or None."""
        item = self.context
        if not item.meeting_uid:
            return None
        brain = _find(item.meeting_uid)
        return {
            "title": brain.Title if brain is not None else "",
            "url": brain.getURL() if brain is not None else None,
            "number": agenda.number_label(item.item_number),
            "reference": item.reference or "",
        }

    def neighbours(self):
        """{previous, next}: the items before and after this one that the user may see."""
        item = self.context
        none = {"previous": None, "next": None}
        if not item.meeting_uid:
            return none
        catalog = api.portal.get_tool("portal_catalog")
        ordered = list(
            catalog(portal_type="meeting_item", meeting_uid=item.meeting_uid, sort_on="item_number")
        )
        uids = [brain.UID for brain in ordered]
        if item.UID() not in uids:
            return none
        index = uids.index(item.UID())

        def entry(brain):
            return {
                "title": brain.Title,
                "url": brain.getURL(),
                "number": agenda.number_label(brain.item_number),
            }

        return {
            "previous": entry(ordered[index - 1]) if index > 0 else None,
            "next": entry(ordered[index + 1]) if index + 1 < len(ordered) else None,
        }

    def related(self):
        """Links to the items this one comes from or led to, that the user may see."""
        item = self.context
        links = [
            _link(item.predecessor_uid, _("Copied from")),
            _link(item.successor_uid, _("Copied to")),
            _link(item.forwarded_from_uid, _("Received from")),
            _link(item.forwarded_to_uid, _("Sent to")),
        ]
        return [dict(link, label=self._translate(link["label"])) for link in links if link]

    # Annexes and advices

    def _children(self, portal_type):
        return api.content.find(
            portal_type=portal_type,
            path={"query": self.path, "depth": 1},
            sort_on="getObjPositionInParent",
        )

    def annexes(self):
        """{"item": [...], "decision": [...]}: the annexes the user may see, with
        their type, flags and preview (see browser/councillor.py)."""
        from communesplone.meetings.browser.councillor import annex_rows

        result = annex_rows(self.context, self.request)
        for rows in result.values():
            for row in rows:
                row["size"] = _size(row["size"])
        return result

    def councillor_file_url(self):
        return f"{self.context.absolute_url()}/@@councillor-file"

    def _advices(self):
        return [brain.getObject() for brain in self._children("meeting_advice")]

    def advices(self):
        """The advices the user may see: service, type, comment, date given, state."""
        return [
            {
                "url": advice.absolute_url(),
                "service": service_title(advice.service),
                "type": vocabularies.title_of(
                    vocabularies.advice_types, advice.advice_type, self.request
                ),
                "comment": advice.comment or "",
                "given_on": format_date(advice.given_on),
                "state": api.content.get_state(advice),
                "state_title": state_title(
                    "meeting_advice", api.content.get_state(advice), self.request
                ),
            }
            for advice in self._advices()
        ]

    def advices_asked(self):
        """The advices asked (or to be asked when the item is proposed): service, due
        day, mandatory, extension, status; overdue is computed at read time."""
        item = self.context
        given = advices.given_services(item)
        open_for_advice = advices.open_for_advices(item)
        statuses = {
            "given": _("Given"),
            "overdue": _("Overdue"),
            "awaited": _("Awaited"),
            "to_ask": _("Asked when the item is proposed"),
        }
        rows = []
        for record in advices.requests(item):
            status = advices.status(item, record, given)
            if status == "to_ask" and record.get("days"):
                mapping = {"days": record["days"]}
                if record.get("working"):
                    delay = _("${days} working days", mapping=mapping)
                else:
                    delay = _("${days} days", mapping=mapping)
            else:
                delay = ""
            rows.append(
                {
                    "service": service_title(record["service"]),
                    "deadline": format_date(record.get("due")),
                    "delay": self._translate(delay) if delay else "",
                    "given": status == "given",
                    "mandatory": bool(record.get("mandatory")),
                    "extension": record.get("extension_reason") or "",
                    "extension_days": record.get("extension_days") or 0,
                    "status": self._translate(statuses[status]),
                    "overdue": open_for_advice and status == "overdue",
                }
            )
        return rows

    def extension_url(self):
        """The form that extends an advice's delay, for those who may extend one."""
        from communesplone.meetings.browser.advices import extendable_advices

        if advices.open_for_advices(self.context) and len(extendable_advices(self.context)):
            return f"{self.context.absolute_url()}/@@advice-extension"
        return None

    # Actions

    def add_annex_url(self):
        if api.user.has_permission(ADD_ANNEX, obj=self.context):
            return f"{self.context.absolute_url()}/++add++meeting_annex"
        return None

    def add_advice_url(self):
        """The add form of an advice, for an adviser whose service's advice is still to write."""
        item = self.context
        if not api.user.has_permission(ADD_ADVICE, obj=item):
            return None
        written = {advice.service for advice in self._advices()}
        # The advice's service field offers the services the user may advise for.
        offered = {term.value for term in vocabularies.advice_services(item)}
        if offered - written:
            return f"{item.absolute_url()}/++add++meeting_advice"
        return None

    # History: Plone's own content history

    def history(self):
        view = getMultiAdapter((self.context, self.request), name="contenthistory")
        return view() if view.fullHistory() else None


def _size(size):
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
