"""RSS and Atom feeds of news and events, through Plone's syndication.

``enable(*containers)`` turns a folder's or a collection's feed on (its
*Syndication* tab) and lists it among the site's feeds
(``ISiteSyndicationSettings.site_rss_items``): every page of the container
links its feeds in the page head (Plone's ``plone.links.RSS`` viewlet), and
the home page links the site's.
"""

from plone import api
from plone.base.interfaces.syndication import IFeedSettings
from plone.base.interfaces.syndication import ISiteSyndicationSettings


SITE_FEEDS = f"{ISiteSyndicationSettings.__identifier__}.site_rss_items"


def enable(*containers):
    site_feeds = list(api.portal.get_registry_record(SITE_FEEDS) or ())
    for container in containers:
        IFeedSettings(container).enabled = True
        if container.UID() not in site_feeds:
            site_feeds.append(container.UID())
    # Plone's default ("/news/aggregator") names a folder this site does not have
    site_feeds = [
        item for item in site_feeds if not item.startswith("/") or api.content.get(path=item)
    ]
    api.portal.set_registry_record(SITE_FEEDS, tuple(site_feeds))
