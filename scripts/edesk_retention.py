"""The e-desk's daily task: anonymise the requests past their retention period.

Run against the instance, once a day, from the server's crontab:

- buildout (ZEO, the instances keep serving)::

      bin/instance run scripts/edesk_retention.py

- pip path (``var/instance/etc/zope.conf``; the FileStorage is locked while
  ``make run`` serves, so stop it first or use ZEO)::

      .venv/bin/zconsole run var/instance/etc/zope.conf scripts/edesk_retention.py

``app`` is the Zope application root that ``zconsole run`` and ``bin/instance
run`` provide. It works as the system user, on the site
``COMMUNESPLONE_SITE_ID`` (default ``Plone``), commits every
``COMMUNESPLONE_RETENTION_BATCH`` requests (default 100), retries a batch that
meets a ZODB conflict, logs what it did (logger
``communesplone.edesk.retention``) and prints how many requests it
anonymised. Running it again anonymises nothing more.

It also deletes the anonymous requests whose contact never confirmed them
before their link expired (``confirmation.purge``), and prints their count.
"""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from AccessControl.SpecialUsers import system
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import logging
import os
import sys
import transaction


logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s [%(name)s] %(message)s")

site_id = os.environ.get("COMMUNESPLONE_SITE_ID", "Plone")
batch_size = int(os.environ.get("COMMUNESPLONE_RETENTION_BATCH", "100"))

app = makerequest(globals()["app"])  # provided by zconsole / bin/instance run
site = app.get(site_id)
if site is None:
    sys.exit(f"No site {site_id!r} in this Zope: set COMMUNESPLONE_SITE_ID")
setSite(site)
newSecurityManager(None, system)
try:
    from communesplone.edesk import retention

    count = retention.run(batch_size=batch_size, commit=True, actor="system")
    print(f"{count} request(s) anonymised in {site_id!r}")
    from communesplone.edesk import confirmation

    purged = confirmation.purge()
    transaction.commit()
    print(f"{purged} anonymous request(s) never confirmed deleted in {site_id!r}")
finally:
    noSecurityManager()
    app._p_jar.db().close()
