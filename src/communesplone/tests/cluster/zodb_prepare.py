"""A zconsole script of the cluster tests: the demo site, where absent, and a
trusted Open311 key for the load (printed as ``KEY <key>``)."""

from AccessControl.SecurityManagement import newSecurityManager
from communesplone.core.sitefactory import create_site
from communesplone.core.sitefactory import ensure_admin
from communesplone.edesk.open311 import keys
from zope.component.hooks import setSite

import sys
import transaction


app = globals()["app"]  # provided by zconsole
site_id, login, password = sys.argv[4:7]  # zconsole run <zope.conf> <script> <args>
ensure_admin(app, login, password)
transaction.commit()
site, _created = create_site(app, site_id=site_id, admin=login)
transaction.commit()
setSite(site)
newSecurityManager(None, app.acl_users.getUser(login).__of__(app.acl_users))
_row, key = keys.add("cluster tests", trusted=True)
transaction.commit()
print(f"KEY {key}")
app._p_jar.db().close()
