"""What the public pages tell machines: schema.org JSON-LD and Open Graph.

- :class:`JsonLdViewlet`: a ``<script type="application/ld+json">`` in the
  head of events (schema.org ``Event``) and directory entries
  (``LocalBusiness``), escaped so that no value can close the script;
- :class:`SocialTagsViewlet`: Plone's own Open Graph tags (title,
  description, url, the lead image), whose fallback image is the commune's
  logo (Site Setup → CommunesPlone) rather than Plone's.
"""

from Acquisition import aq_base
from communesplone.website import fragments
from communesplone.website.browser.viewlets import commune_settings
from plone import api
from plone.app.event.base import IEventAccessor
from plone.app.layout.links.viewlets import RSSViewlet
from plone.app.layout.viewlets import social
from plone.app.layout.viewlets.common import ViewletBase
from plone.base.interfaces.syndication import IFeedSettings
from plone.formwidget.namedfile.converter import b64decode_file
from plone.memoize.view import memoize
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory

import html
import json
import mimetypes
import os


SCHEMA_ORG = "https://schema.org"
DAYS = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
# In a <script> element, "</script>" or "<!--" in a value would end it or
# change how it is parsed: JSON allows these characters as \u escapes.
SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script_json(data):
    """``data`` as JSON that is safe inside a ``<script>`` element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).translate(SCRIPT_ESCAPES)


def _clean(data):
    """``data`` without its empty values (recursively for dicts)."""
    cleaned = {}
    for key, value in data.items():
        if isinstance(value, dict):
            value = _clean(value)
            if set(value) <= {"@type"}:
                continue
        if value in (None, "", [], {}):
            continue
        cleaned[key] = value
    return cleaned


def event_data(event):
    """schema.org ``Event`` of a Plone event."""
    accessor = IEventAccessor(event)
    location = accessor.location or ""
    return _clean(
        {
            "@context": SCHEMA_ORG,
            "@type": "Event",
            "name": accessor.title,
            "description": accessor.description,
            "url": event.absolute_url(),
            "startDate": accessor.start.isoformat() if accessor.start else None,
            "endDate": accessor.end.isoformat() if accessor.end else None,
            "eventAttendanceMode": f"{SCHEMA_ORG}/OfflineEventAttendanceMode",
            "eventStatus": f"{SCHEMA_ORG}/EventScheduled",
            "location": {"@type": "Place", "name": location, "address": location},
            "organizer": {
                "@type": "Organization",
                "name": accessor.contact_name,
                "email": accessor.contact_email,
                "telephone": accessor.contact_phone,
                "url": accessor.event_url,
            },
        }
    )


def directory_entry_data(entry):
    """schema.org ``LocalBusiness`` of a directory entry."""
    url = entry.absolute_url()
    geo = None
    if entry.latitude is not None and entry.longitude is not None:
        geo = {"@type": "GeoCoordinates", "latitude": entry.latitude, "longitude": entry.longitude}
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"{SCHEMA_ORG}/{DAYS[row['day']]}",
            "opens": row.get("opens"),
            "closes": row.get("closes"),
        }
        for row in entry.opening_hours or ()
        if row.get("day") in DAYS
    ]
    address = " ".join((entry.address or "").split()) or None
    logo = f"{url}/@@images/logo" if entry.logo else None
    return _clean(
        {
            "@context": SCHEMA_ORG,
            "@type": "LocalBusiness",
            "@id": url,
            "name": entry.title,
            "description": entry.description,
            "url": entry.website or url,
            "mainEntityOfPage": url,
            "telephone": entry.phone,
            "email": entry.email,
            "address": {"@type": "PostalAddress", "streetAddress": address},
            "geo": geo,
            "openingHoursSpecification": hours,
            "logo": logo,
            "image": logo,
        }
    )


class JsonLdViewlet(ViewletBase):
    """The context's schema.org data, for the views of events and directory entries."""

    builders = {"Event": event_data, "directory_entry": directory_entry_data}

    def data(self):
        builder = self.builders.get(getattr(self.context, "portal_type", None))
        return builder(self.context) if builder else None

    def render(self):
        data = self.data()
        if not data:
            return ""
        return f'<script type="application/ld+json">{script_json(data)}</script>'


class SocialTagsViewlet(social.SocialTagsViewlet):
    """Plone's Open Graph tags; without a lead image, the commune's logo.

    The tags (the head's and the body's viewlets share them) are kept in the
    RAM cache (``fragments``), per context and its last committed change.
    """

    def fragment_key(self):
        return fragments.base_key(
            self.request,
            "/".join(self.context.getPhysicalPath()),
            fragments.persistent_serial(aq_base(self.context)),
        )

    @memoize
    def _get_tags(self):
        return self._cached_tags()

    @fragments.cached
    def _cached_tags(self):
        tags = super()._get_tags()
        for tag in tags:
            # Plone escapes the page's title twice ("&amp;amp;"): once is enough
            if tag.get("property") == "og:title" or tag.get("itemprop") == "name":
                tag["content"] = html.unescape(tag["content"])
        has_lead_image = any(tag.get("property") == "og:image:width" for tag in tags)
        logo = commune_settings().logo
        if not tags or has_lead_image or not logo:
            return tags
        filename, _data = b64decode_file(logo)
        url = f"{api.portal.get().absolute_url()}/@@commune-logo"
        kind = mimetypes.guess_type(filename)[0] or "image/png"
        replaced = {"og:image": url, "og:image:type": kind}
        for tag in tags:
            if tag.get("property") in replaced:
                tag["content"] = replaced[tag["property"]]
            elif tag.get("itemprop") == "image":
                tag["content"] = url
        return tags


class FeedLinksViewlet(RSSViewlet):
    """Plone's feed links in the page head, each titled "<container> - RSS 2.0".

    Plone's viewlet (plone.app.layout 5) formats the feed type's title as
    bytes, which printed ``b'RSS 2.0'`` in every title.
    """

    def getRssLinks(self, obj):
        settings = IFeedSettings(obj, None)
        if settings is None:
            return []
        factory = getUtility(IVocabularyFactory, "plone.app.vocabularies.SyndicationFeedTypes")
        vocabulary = factory(self.context)
        links = []
        for name in settings.feed_types:
            try:
                term = vocabulary.getTerm(name)
            except LookupError:
                continue
            links.append(
                {
                    "title": f"{obj.Title()} - {term.title}",
                    "url": f"{obj.absolute_url()}/{term.value}",
                }
            )
        return links


class SocialBodyTagsViewlet(SocialTagsViewlet):
    """Plone's social tags of the body (``plone.socialtags``), from the same cached tags."""

    index = ViewPageTemplateFile("social_tags_body.pt", _prefix=os.path.dirname(social.__file__))
