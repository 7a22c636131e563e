"""Create the Zope admin user and the CommunesPlone site, where absent.

Used by ``scripts/create_site.py``, which ``bootstrap.py`` runs under
``zconsole``. Nothing that exists is changed.
"""

from AccessControl.SecurityManagement import newSecurityManager
from communesplone.core.language import COMMUNE_LANGUAGE
from plone import api
from plone.distribution.api import site as site_api
from zope.component.hooks import setSite


ANSWERS = {
    "title": "CommunesPlone",
    "description": "",
    "default_language": "fr",
    "portal_timezone": "Europe/Brussels",
    "setup_content": False,
}


def ensure_admin(app, login, password):
    """Add a Manager ``login`` to the Zope root user folder unless it exists."""
    if app.acl_users.getUser(login) is None:
        app.acl_users.userFolderAddUser(login, password, ["Manager"], [])
        return True
    return False


def create_site(app, site_id, admin, demo=True, language="fr"):
    """Create the site with every application (and the demo), unless it exists.

    The site is made from Plone's ``classic`` distribution (Classic UI with
    Barceloneta), in ``language`` (Plone's default language, which the commune
    takes: ``core/language.py``), then ``communesplone:default`` or
    ``communesplone:demo`` is applied. Return (site, created).
    """
    if site_id in app.objectIds():
        return app[site_id], False
    user = app.acl_users.getUser(admin)
    newSecurityManager(None, user.__of__(app.acl_users))
    site = site_api.create(
        app, "classic", {**ANSWERS, "site_id": site_id, "default_language": language}
    )
    setSite(site)
    profile = "communesplone:demo" if demo else "communesplone:default"
    site.portal_setup.runAllImportStepsFromProfile(f"profile-{profile}")
    api.portal.set_registry_record(COMMUNE_LANGUAGE, language)  # Plone's follows (language.py)
    return site, True
