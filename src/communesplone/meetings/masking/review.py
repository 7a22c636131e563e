"""The review of the suggested masks, and the rule that publication waits for it.

An editor reviews an item's suggestions on its "Suggest masks" page
(``browser/masking.py``): the accepted ones are marked, the others left as
they are. :func:`record` keeps who reviewed, when, how many were marked and
rejected, and the fingerprint of the texts reviewed (:func:`fingerprint`: the
motivation's and the decision's text outside marks, as the detectors read
it). The review holds as long as that text does not change: an edit that
leaves the text the same (markup only) or that only marks more keeps it; any
other edit makes :func:`reviewed` false again.

:func:`needs_review` is the rule that ``workflows.py`` applies when a
transition makes decisions public: an item needs a review when the detectors
find personal data not marked in its texts and no review covers the text as
it is now. The detectors run only there (and on the review page), never on a
page view: the NER model is slow. A review recorded before fingerprints were
kept covers no text: such an item passes only if the detectors find nothing.
"""

from communesplone.meetings import masking
from datetime import datetime
from datetime import UTC
from plone import api
from zope.annotation.interfaces import IAnnotations

import hashlib


REVIEW_KEY = "communesplone.meetings.masks_review"


def _texts(item):
    """Per field, the text outside marks (whitespace collapsed), as the detectors read it."""
    parts = []
    for name in masking.MASKED_FIELDS:
        html = masking.field_html(item, name)
        segments = masking._segments(masking._parse(html)) if html else []
        text = " ".join(" ".join(masking._segment_text(s).split()) for s in segments)
        parts.append(f"{name}\x00{text}")
    return "\x01".join(parts)


def fingerprint(item):
    """A hash of what the detectors read in ``item``'s motivation and decision."""
    return hashlib.sha256(_texts(item).encode("utf-8")).hexdigest()


def last(item):
    """The last review of ``item``'s suggestions: {when, who, accepted, rejected,
    fingerprint}, or None. ``fingerprint`` is None for a review recorded before
    fingerprints were kept, or made on suggestions of a text that changed since."""
    return IAnnotations(item).get(REVIEW_KEY)


def record(item, accepted, rejected, reviewed_fingerprint):
    """Record that the current user reviewed ``item``'s suggestions.

    ``reviewed_fingerprint``: the :func:`fingerprint` of the text the
    suggestions were made on, or None when that text changed before the
    review was confirmed (the review then covers nothing).
    """
    IAnnotations(item)[REVIEW_KEY] = {
        "when": datetime.now(UTC).isoformat(),
        "who": api.user.get_current().getId(),
        "accepted": accepted,
        "rejected": rejected,
        "fingerprint": reviewed_fingerprint,
    }


def reviewed(item):
    """Whether a review covers ``item``'s texts as they are now."""
    found = last(item)
    return (
        bool(found)
        and found.get("fingerprint") not in (None, "")
        and (found["fingerprint"] == fingerprint(item))
    )


def _language(item):
    language = getattr(item, "Language", None)
    return (language() if callable(language) else None) or None


def unmarked(item, language=None):
    """What the detectors find in ``item``'s texts that is not marked (suggestions)."""
    language = language or _language(item)
    found = []
    for name in masking.MASKED_FIELDS:
        found.extend(masking.suggest(masking.field_html(item, name), name, language))
    return found


def needs_review(item):
    """Whether ``item`` may not be published yet: the detectors find personal data not
    marked in its texts, and no review covers them as they are now."""
    if reviewed(item):
        return False
    language = _language(item)
    return any(  # the motivation's findings spare the decision's
        masking.suggest(masking.field_html(item, name), name, language)
        for name in masking.MASKED_FIELDS
    )


def review_url(item):
    """The item's "Suggest masks" page."""
    return f"{item.absolute_url()}/@@suggest-masks"
