"""Set up plone.app.caching for a caching proxy (Varnish) with purging.

Run by ``scripts/cluster.py start --varnish`` through
``zconsole run <instance>/etc/zope.conf scripts/cluster_caching.py`` (``app``
is the Zope root): the ``with-caching-proxy`` rules of plone.app.caching,
content views cached in the proxy (``moderateCaching``: ``s-maxage``,
``max-age=0`` for browsers) and purged from it when they change, through
plone.cachepurging's PURGE to ``COMMUNESPLONE_PURGE_URL``. Idempotent.
"""

from AccessControl.SecurityManagement import newSecurityManager
from plone import api
from zope.component.hooks import setSite

import os
import transaction


PROXY_RULES = {
    "plone.content.itemView": "plone.app.caching.moderateCaching",
    "plone.content.folderView": "plone.app.caching.moderateCaching",
}

app = globals()["app"]  # provided by zconsole
site = app[os.environ.get("COMMUNESPLONE_SITE_ID", "Plone")]
setSite(site)
admin = app.acl_users.getUser(os.environ.get("COMMUNESPLONE_ADMIN", "admin:admin").split(":")[0])
newSecurityManager(None, admin.__of__(app.acl_users))
setup = api.portal.get_tool("portal_setup")
setup.runAllImportStepsFromProfile("profile-plone.app.caching:default")
setup.runAllImportStepsFromProfile("profile-plone.app.caching:with-caching-proxy")
MAPPING = "plone.caching.interfaces.ICacheSettings.operationMapping"
mapping = dict(api.portal.get_registry_record(MAPPING))
mapping.update(PROXY_RULES)
api.portal.set_registry_record(MAPPING, mapping)
api.portal.set_registry_record("plone.caching.interfaces.ICacheSettings.enabled", True)
api.portal.set_registry_record("plone.cachepurging.interfaces.ICachePurgingSettings.enabled", True)
api.portal.set_registry_record(
    "plone.cachepurging.interfaces.ICachePurgingSettings.cachingProxies",
    (os.environ["COMMUNESPLONE_PURGE_URL"],),
)
transaction.commit()
print("plone.app.caching: caching proxy rules and purging set up")
