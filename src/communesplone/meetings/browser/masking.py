"""``@@suggest-masks`` on an item: assisted masking of personal data.

For those who may edit the item (the view's permission, "Modify portal
content"):

- GET: what is already marked in the motivation and the decision, which
  detectors are available (person names only with the NER model), and the
  "Suggest masks" button;
- POST "suggest" (CSRF token): the detectors' suggestions (``masking.suggest``),
  each with its context, to accept or reject; nothing is written;
- POST "confirm" (CSRF token): the accepted suggestions are marked
  (``masking.wrap``), the item is saved (modified event: reindexed, versioned)
  and the review is recorded (who, when, how many accepted and rejected, the
  fingerprint of the text reviewed: ``masking.review``). A review covers the
  text as it is after it: the decisions of a meeting are not published while
  one of its public items holds unmarked personal data that no review covers
  (``workflows.py``). Suggestions made on a text that changed before they were
  confirmed cover nothing: the page asks to suggest again.
"""

from communesplone import _
from communesplone.core.i18n import request_language
from communesplone.meetings import masking
from communesplone.meetings.masking import detectors
from communesplone.meetings.masking import review as masks_review
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect.authenticator import createToken
from Products.Five import BrowserView
from zExceptions import BadRequest
from zope.event import notify
from zope.i18n import translate
from zope.lifecycleevent import ObjectModifiedEvent


CONTEXT = 40  # characters shown around a suggestion
KIND_TITLES = {
    "register_number": _("National register number"),
    "iban": _("Bank account (IBAN)"),
    "email": _("Email address"),
    "phone": _("Phone number"),
    "address": _("Street address"),
    "name": _("Person name"),
}
FIELD_TITLES = {"motivation": _("Motivation"), "decision": _("Decision")}


def last_review(item):
    """The last review of the suggestions: {when, who, accepted, rejected, fingerprint}, or None."""
    return masks_review.last(item)


class SuggestMasks(BrowserView):
    suggestions = None

    def __call__(self):
        self.token = createToken()
        if self.request.get("REQUEST_METHOD") == "POST":
            CheckAuthenticator(self.request)
            form = self.request.form
            if "form.buttons.confirm" in form:
                return self.confirm()
            if "form.buttons.suggest" in form:
                self.suggestions = self.suggest()
        return self.index()

    def _translate(self, message):
        return translate(message, context=self.request)

    def _language(self):
        return request_language(self.request)

    # What the page shows

    def names_detected(self):
        return detectors.names_detected()

    def fields(self):
        result = []
        for name in masking.MASKED_FIELDS:
            html = masking.field_html(self.context, name)
            result.append(
                {
                    "name": name,
                    "title": self._translate(FIELD_TITLES[name]),
                    "marked": masking.marked_texts(html),
                    "empty": not html,
                }
            )
        return result

    def review(self):
        found = last_review(self.context)
        if not found:
            return None
        return dict(
            found,
            when=api.portal.get_localized_time(found["when"], long_format=True),
            current=masks_review.reviewed(self.context),
        )

    def fingerprint(self):
        """The fingerprint of the text the suggestions are made on (sent back on confirm)."""
        return masks_review.fingerprint(self.context)

    # Suggest

    def suggest(self):
        rows = []
        for name in masking.MASKED_FIELDS:
            html = masking.field_html(self.context, name)
            for suggestion in masking.suggest(html, name, self._language()):
                rows.append(self._row(html, suggestion, len(rows)))
        return rows

    def _row(self, html, suggestion, index):
        segments = masking._segments(masking._parse(html))
        text = masking._segment_text(segments[suggestion.segment])
        before = text[max(0, suggestion.start - CONTEXT) : suggestion.start]
        after = text[suggestion.end : suggestion.end + CONTEXT]
        return {
            "index": index,
            "id": suggestion.id,
            "kind": suggestion.kind,
            "kind_title": self._translate(KIND_TITLES[suggestion.kind]),
            "field_title": self._translate(FIELD_TITLES[suggestion.field]),
            "text": suggestion.text,
            "before": ("…" if suggestion.start > CONTEXT else "") + before,
            "after": after + ("…" if len(text) > suggestion.end + CONTEXT else ""),
        }

    # Confirm

    def _posted(self):
        """The suggestions posted back, as (Suggestion, accepted)."""
        form = self.request.form
        try:
            count = int(form.get("count", 0))
        except ValueError as error:
            raise BadRequest("count") from error
        result = []
        for index in range(count):
            try:
                field, segment, start, end = form[f"s{index}.id"].split(":")
                suggestion = masking.Suggestion(
                    field,
                    int(segment),
                    int(start),
                    int(end),
                    form[f"s{index}.kind"],
                    form[f"s{index}.text"],
                )
            except (KeyError, ValueError) as error:
                raise BadRequest(f"suggestion {index}") from error
            if field not in masking.MASKED_FIELDS or suggestion.kind not in detectors.KINDS:
                raise BadRequest(f"suggestion {index}")
            result.append((suggestion, form.get(f"s{index}.decision") == "accept"))
        return result

    def confirm(self):
        posted = self._posted()
        # the review covers the text only if it is the one the suggestions were made on
        current = masks_review.fingerprint(self.context)
        stale = self.request.form.get("fingerprint") != current
        applied = []
        for name in masking.MASKED_FIELDS:
            accepted = [s for s, ok in posted if ok and s.field == name]
            if not accepted:
                continue
            html, done = masking.wrap(masking.field_html(self.context, name), accepted)
            if done:
                masking.set_field_html(self.context, name, html)
                applied.extend(done)
        accepted_count = sum(1 for _s, ok in posted if ok)
        masks_review.record(
            self.context,
            accepted=len(applied),
            rejected=len(posted) - accepted_count,
            reviewed_fingerprint=None if stale else masks_review.fingerprint(self.context),
        )
        notify(ObjectModifiedEvent(self.context))
        message = _("${count} spans marked as personal data.", mapping={"count": str(len(applied))})
        api.portal.show_message(message, request=self.request)
        if stale:
            api.portal.show_message(
                _(
                    "The text changed since the suggestions were made: suggest the masks "
                    "again before the decision is published."
                ),
                request=self.request,
                type="warning",
            )
        elif len(applied) < accepted_count:
            api.portal.show_message(
                _("Some suggestions were not marked: the text changed since they were made."),
                request=self.request,
                type="warning",
            )
        self.request.response.redirect(self.context.absolute_url())
        return ""
