"""RAM-cached fragments of the public pages, keyed on all they depend on.

The chrome of every page (the navigation, the footer, the alert banners,
the resource registry's tags) and the home page's blocks are rendered once
and kept in Plone's RAM cache (plone.memoize), under a key made of what
changes them, so that a change shows on the next request:

- the catalog's last committed change (``_p_serial`` of the catalog's
  counter, which each indexing bumps): a new, edited, moved, published or
  deleted item;
- the registry's last committed change (``_p_serial`` of the registry,
  which :func:`registry_changed` marks on each record set): the website's
  and Plone's settings;
- who looks: the roles, groups and id the catalog filters on (the
  anonymous visitors share one fragment; an editor never gets it), and
  whether they may see inactive content;
- the language and the site's URL (virtual hosting);
- the minute: what time alone changes (an event that has ended, an item
  whose publication date comes, an alert's start or end) shows within a
  minute.

While a transaction has changed the catalog or the registry and not yet
committed, nothing is cached nor read from the cache (its state could
still be aborted). The HTTP caching (plone.app.caching) is separate and
unchanged.
"""

from AccessControl import getSecurityManager
from communesplone.core.i18n import request_language
from plone.memoize import ram
from plone.registry.interfaces import IRegistry
from Products.CMFCore.interfaces import ICatalogTool
from Products.CMFCore.permissions import AccessInactivePortalContent
from zope.component import getUtility
from zope.component import queryUtility
from zope.component.hooks import getSite

import time


MINUTE = 60

DontCache = ram.DontCache


def now():
    return time.time()


def _serial(obj):
    """The id of the last committed change of ``obj``; DontCache if it has an uncommitted one."""
    if obj._p_changed or obj._p_jar is None:
        raise DontCache
    return obj._p_serial.hex()


def persistent_serial(obj):
    """:func:`_serial` of ``obj``, loaded first (a ghost has no serial)."""
    if not hasattr(obj, "_p_activate"):
        raise DontCache
    obj._p_activate()
    return _serial(obj)


def catalog_serial():
    catalog = getUtility(ICatalogTool)
    catalog.getCounter()  # indexes what is queued, and loads the counter (a ghost has no serial)
    counter = catalog._counter
    if counter is None:
        raise DontCache
    return _serial(counter)


def registry_serial():
    registry = getUtility(IRegistry)
    registry.records  # noqa: B018 (loads it)
    return _serial(registry)


def registry_changed(event):
    """A record was set or added: mark the registry changed, which gives it a new serial."""
    registry = queryUtility(IRegistry)
    if registry is not None and getattr(registry, "_p_jar", None) is not None:
        registry._p_changed = True


def viewer(request):
    """What the catalog filters on for the current user: roles, groups, id, inactive content.

    Computed once per request (and user: a login changes it).
    """
    security = getSecurityManager()
    user = security.getUser()
    known = getattr(request, _VIEWER, None)
    if known is not None and known[0] is user:
        return known[1]
    catalog = getUtility(ICatalogTool)
    allowed = tuple(sorted(catalog._listAllowedRolesAndUsers(user)))
    inactive = bool(security.checkPermission(AccessInactivePortalContent, getSite()))
    setattr(request, _VIEWER, (user, (allowed, inactive)))
    return allowed, inactive


_VIEWER = "_communesplone_fragments_viewer"


def base_key(request, *extra):
    """The parts every fragment's key has (see the module's documentation)."""
    site = getSite()
    return (
        catalog_serial(),
        registry_serial(),
        viewer(request),
        request_language(request, ""),
        site.absolute_url(),
        int(now()) // MINUTE,
        *extra,
    )


def _method_key(method, view, *args):
    return repr((method.__qualname__, view.fragment_key(), args))


def cached(method):
    """Keep the result of a view's or viewlet's ``method`` in the RAM cache.

    The key is the method's qualified name (a method of a mixin, as the
    resource tags', is shared by the classes that use it), the view's
    ``fragment_key()`` (most start with :func:`base_key`) and the method's
    arguments.
    """
    return ram.cache(_method_key)(method)
