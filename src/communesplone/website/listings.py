"""The website's catalog queries, shared by the home page, the listings and the viewlets.

Security is the catalog's: each query returns what the current user may see,
and ``effectiveRange`` (computed from a vacancy's closing date, an alert's
start and end) hides what is closed or not current, for editors too.
"""

from DateTime import DateTime
from plone import api

import re


def _now_range():
    return {"effectiveRange": DateTime()}


def current_alerts():
    return api.content.find(
        portal_type="alert_banner",
        review_state="published",
        sort_on="effective",
        sort_order="descending",
        **_now_range(),
    )


def open_vacancies(limit=None):
    return api.content.find(
        portal_type="job_vacancy",
        sort_on="expires",
        sort_limit=limit,
        **_now_range(),
    )[:limit]


def latest_news(limit=5):
    return api.content.find(
        portal_type="News Item",
        review_state="published",
        sort_on="effective",
        sort_order="descending",
        sort_limit=limit,
    )[:limit]


def upcoming_events(limit=5):
    return api.content.find(
        portal_type="Event",
        review_state="published",
        end={"query": DateTime(), "range": "min"},
        sort_on="start",
        sort_limit=limit,
    )[:limit]


def quick_links(limit=None):
    return api.content.find(
        portal_type="quick_link",
        review_state="published",
        sort_on="getObjPositionInParent",
    )[:limit]


def procedures():
    return api.content.find(portal_type="procedure", sort_on="sortable_title")


def directory_count():
    """How many entries the visitor may see (unsorted: the catalog counts, nothing is sorted)."""
    return len(api.content.find(portal_type="directory_entry"))


def directory(category=None, text=None, limit=None):
    """The entries, by title; ``limit``: sort only the first ones (the count stays whole)."""
    query = {"portal_type": "directory_entry", "sort_on": "sortable_title"}
    if limit:
        query["sort_limit"] = limit
    if category:
        query["directory_category"] = category
    words = re.findall(r"\w+", text or "")
    if words:
        query["SearchableText"] = " ".join(f"{word}*" for word in words)
    return api.content.find(**query)
