"""eID login through OpenID Connect: pas.plugins.oidc's plugin, for Belgian citizens.

:class:`EidOIDCPlugin` is pas.plugins.oidc's plugin (its ``login`` and
``callback`` views, its authorization-code flow with PKCE) with three changes:

- the claim named by ``nrn_claim`` must carry a national register number with
  valid check digits (:func:`communesplone.edesk.fields.check_nrn`); it is
  stored, normalised, as the member property ``national_register_number``.
  Without it nobody is logged in and the citizen is told why;
- the session's ticket (plone.session's ``__ac`` cookie, signed with the
  site's keyring) carries the token ``eid``: :func:`session_assurance` reads it
  back, so a password login (a ticket without the token) is never taken for
  an eID one;
- the members it creates get the Member role, as self-registered ones do;
- it is not the challenge plugin: an anonymous visitor who meets a protected
  page still gets Plone's login form, where the password login stays.

The plugin's properties are the one place where its settings live; the
e-desk's "eID login" control panel (:mod:`.controlpanel`) edits them.
Citizens who log in through eID for the first time join the Citizens group
(:mod:`communesplone.core.citizens`, on the plugin's PrincipalCreated event).
"""

from communesplone import _
from communesplone.edesk.fields import check_nrn
from communesplone.edesk.fields import normalise_nrn
from pas.plugins.oidc import PLUGIN_ID
from pas.plugins.oidc.plugins import OIDCPlugin
from pas.plugins.oidc.plugins import safe_write
from plone import api
from Products.PluggableAuthService.interfaces.plugins import IChallengePlugin
from urllib.parse import urlencode
from zope.globalrequest import getRequest

import binascii
import logging


logger = logging.getLogger("communesplone.edesk.login")

EID = "eid"  # the assurance of a session opened through the eID broker
PASSWORD = "password"
NRN_PROPERTY = "national_register_number"
DEFAULT_NRN_CLAIM = "egovNRN"  # the Belgian FAS' claim (scope "egovnrn")
DEFAULT_SCOPES = ("openid", "profile", "email", "egovnrn")
# Properties of the plugin that keep their value when a plain pas.plugins.oidc
# plugin is replaced by ours.
KEPT = tuple(prop["id"] for prop in OIDCPlugin._properties if prop["id"] != "title")


def nrn_from_claims(userinfo, claim):
    """The normalised national register number of ``claim`` in ``userinfo``, or None."""
    value = userinfo.get(claim) if claim else None
    if not isinstance(value, str) or not check_nrn(value):
        return None
    return normalise_nrn(value)


class EidOIDCPlugin(OIDCPlugin):
    """pas.plugins.oidc's plugin that maps the national register number and marks eID sessions."""

    title = "eID (OpenID Connect)"
    nrn_claim = DEFAULT_NRN_CLAIM
    scope = DEFAULT_SCOPES
    use_pkce = True
    create_restapi_ticket = False

    _properties = (
        *OIDCPlugin._properties,
        {
            "id": "nrn_claim",
            "type": "string",
            "mode": "w",
            "label": "Claim carrying the national register number",
        },
    )

    def rememberIdentity(self, userinfo):
        claim = self.getProperty("nrn_claim")
        if nrn_from_claims(userinfo, claim) is None:
            logger.warning(
                "eID login refused: claim %r of %r is not a valid national register number",
                claim,
                userinfo.get("sub"),
            )
            api.portal.show_message(
                _(
                    "The eID login did not give a valid national register number: "
                    "you are not logged in. Please try again or contact the commune."
                ),
                request=self.REQUEST,
                type="error",
            )
            # The callback view then goes to the site's front page, not back to
            # the page that sent here (which would send to the eID login again).
            self.REQUEST.set("came_from", api.portal.get().absolute_url())
            return
        return super().rememberIdentity(userinfo)

    def _create_user(self, user_id):
        """A member, with the Member role that self-registered members get."""
        user = super()._create_user(user_id)
        if user is not None:
            with safe_write(self.REQUEST):
                self._getPAS().portal_role_manager.assignRoleToPrincipal("Member", user_id)
        return user

    def _update_user_properties(self, user, userinfo):
        super()._update_user_properties(user, userinfo)
        nrn = nrn_from_claims(userinfo, self.getProperty("nrn_claim"))
        if nrn is not None and user.getProperty(NRN_PROPERTY, None) != nrn:
            user.setProperties(**{NRN_PROPERTY: nrn})

    def _setup_ticket(self, user_id):
        """plone.session's ticket, with the ``eid`` token."""
        pas = self._getPAS()
        if pas is None or "session" not in pas.objectIds():
            return
        if pas._verifyUser(pas.plugins, user_id=user_id) is None:
            return
        with safe_write(self.REQUEST):
            pas.session._setupSession(user_id, self.REQUEST["RESPONSE"], tokens=(EID,))


def get_plugin():
    """The site's eID plugin, or None when the e-desk is not installed."""
    plugin = api.portal.get_tool("acl_users").get(PLUGIN_ID)
    return plugin if isinstance(plugin, EidOIDCPlugin) else None


def is_configured():
    plugin = get_plugin()
    return bool(plugin and plugin.getProperty("issuer") and plugin.getProperty("client_id"))


def login_url(came_from=None):
    """The URL that starts the eID login, back to ``came_from``; None when not configured."""
    if not is_configured():
        return None
    url = f"{get_plugin().absolute_url()}/login"
    return f"{url}?{urlencode({'came_from': came_from})}" if came_from else url


def session_assurance(request=None):
    """How the current session was opened: "eid", "password", or None when anonymous.

    "eid" only when the request carries a valid plone.session ticket for the
    current user with the ``eid`` token, which only :class:`EidOIDCPlugin`
    puts there.
    """
    if api.user.is_anonymous():
        return None
    request = request if request is not None else getRequest()
    session = api.portal.get_tool("acl_users").get("session")
    if request is None or session is None:
        return PASSWORD
    cookie = request.cookies.get(session.getProperty("cookie_name"))
    if not cookie:
        return PASSWORD
    try:
        ticket = binascii.a2b_base64(cookie)
    except binascii.Error:
        return PASSWORD
    data = session._validateTicket(ticket)
    if data is None:
        return PASSWORD
    _digest, userid, tokens, _user_data, _timestamp = data
    if userid == api.user.get_current().getId() and EID in tokens:
        return EID
    return PASSWORD


def install():
    """Put our plugin in acl_users, keeping a plain plugin's settings; not as challenger."""
    pas = api.portal.get_tool("acl_users")
    current = pas.get(PLUGIN_ID)
    if not isinstance(current, EidOIDCPlugin):
        kept = {}
        if current is not None:
            kept = {key: current.__dict__[key] for key in KEPT if key in current.__dict__}
            pas._delObject(PLUGIN_ID)
        pas._setObject(PLUGIN_ID, EidOIDCPlugin(PLUGIN_ID))
        for key, value in kept.items():
            setattr(pas[PLUGIN_ID], key, value)
        logger.info("eID login plugin %s installed in acl_users", PLUGIN_ID)
    plugins = pas.plugins
    if PLUGIN_ID in plugins.listPluginIds(IChallengePlugin):
        plugins.deactivatePlugin(IChallengePlugin, PLUGIN_ID)
    return pas[PLUGIN_ID]


def uninstall():
    """Give pas.plugins.oidc back a plain plugin of its own, with the same settings, inactive."""
    pas = api.portal.get_tool("acl_users")
    current = pas.get(PLUGIN_ID)
    if isinstance(current, EidOIDCPlugin):
        kept = {key: current.__dict__[key] for key in KEPT if key in current.__dict__}
        pas._delObject(PLUGIN_ID)
        pas._setObject(PLUGIN_ID, OIDCPlugin(PLUGIN_ID, "OpenID Connect"))
        for key, value in kept.items():
            setattr(pas[PLUGIN_ID], key, value)
