"""Create the admin user and the CommunesPlone site, where they are absent.

Run by ``bootstrap.py`` through ``zconsole run etc/zope.conf scripts/create_site.py``;
``app`` is the Zope application root that zconsole provides. Nothing that
exists is overwritten: a re-run on an existing site changes nothing.
"""

from communesplone.core import demo
from communesplone.core.sitefactory import create_site
from communesplone.core.sitefactory import ensure_admin
from pathlib import Path

import os
import transaction


site_id = os.environ.get("COMMUNESPLONE_SITE_ID", "Plone")
login, _, password = os.environ.get("COMMUNESPLONE_ADMIN", "admin:admin").partition(":")
logins_file = os.environ.get("COMMUNESPLONE_LOGINS_FILE")
language = os.environ.get("COMMUNESPLONE_LANGUAGE", "fr")  # the commune's: fr, nl or en

app = globals()["app"]  # provided by zconsole
if ensure_admin(app, login, password):
    print(f"Zope administrator {login!r} created")
transaction.commit()
site, created = create_site(app, site_id=site_id, admin=login, language=language)
transaction.commit()
print(f"site {site_id!r} {'created' if created else 'already present, left as it is'}")
if logins_file:
    from communesplone.meetings import demo as meetings_demo
    from communesplone.website import demo as website_demo
    from plone import api
    from zope.component.hooks import setSite

    setSite(site)

    # The groups each demo user is in now, whichever application's demo put them there.
    def groups_of(login):
        groups = api.group.get_groups(username=login)
        return sorted(group.getId() for group in groups if group.getId() != "AuthenticatedUsers")

    users = [
        (login, name, groups_of(login))
        for login, name, _groups in demo.USERS + meetings_demo.USERS + website_demo.USERS
        if api.user.get(username=login) is not None
    ]
    Path(logins_file).write_text(f"Demo logins (login, password, who):\n{demo.logins(users)}\n")
app._p_jar.db().close()  # writes the FileStorage index, so the next start is quick
