"""The meetings' daily task: apply the advice delays that ran out.

Run against the instance, once a day (after midnight), from the server's crontab:

- buildout (ZEO, the instances keep serving)::

      bin/instance run scripts/meetings_advice_deadlines.py

- pip path (stop ``make run`` first, or use ZEO)::

      .venv/bin/zconsole run var/instance/etc/zope.conf scripts/meetings_advice_deadlines.py

It works as the system user on the site ``COMMUNESPLONE_SITE_ID`` (default
``Plone``): the items awaiting an advice whose delay has passed are
reindexed (the advice is marked overdue, and no longer awaited when the body
lets items go on without it), and the items waiting for advices whose
mandatory advices are all given or overdue go back to "proposed"
(``communesplone.meetings.advices.check_deadlines``). Running it again the
same day changes nothing. It then reminds the advisers of the advices due
within two days, once per advice
(``communesplone.meetings.notifications.send_due_reminders``). The same is
done by a POST to ``<site>/@@meetings-advice-deadlines`` (for a Manager).
"""

from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from AccessControl.SpecialUsers import system
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import os
import sys
import transaction


site_id = os.environ.get("COMMUNESPLONE_SITE_ID", "Plone")
app = makerequest(globals()["app"])  # provided by zconsole / bin/instance run
site = app.get(site_id)
if site is None:
    sys.exit(f"No site {site_id!r} in this Zope: set COMMUNESPLONE_SITE_ID")
setSite(site)
newSecurityManager(None, system)
try:
    from communesplone.meetings import advices

    moved = advices.check_deadlines()
    transaction.commit()
    print(f"{len(moved)} item(s) back from waiting for advices in {site_id!r}")
    from communesplone.meetings import notifications

    reminded = notifications.send_due_reminders()  # the advisers of advices due in 2 days
    transaction.commit()
    print(f"{reminded} advice(s) due soon reminded in {site_id!r}")
finally:
    noSecurityManager()
    app._p_jar.db().close()
