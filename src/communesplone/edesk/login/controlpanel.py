"""Site Setup → "eID login": the OIDC broker's settings, written into the eID plugin.

The settings live in one place, the properties of the plugin in acl_users
(:class:`.plugin.EidOIDCPlugin`), which pas.plugins.oidc reads at each login.
This form reads and writes them; pas.plugins.oidc's own "OIDC Settings" page
edits the same properties and keeps the advanced ones (redirect URIs, groups,
the Zope session manager).
"""

from communesplone import _
from communesplone.edesk.login.plugin import DEFAULT_NRN_CLAIM
from communesplone.edesk.login.plugin import DEFAULT_SCOPES
from communesplone.edesk.login.plugin import get_plugin
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper
from plone.app.registry.browser.controlpanel import RegistryEditForm
from plone.z3cform import layout
from zope import schema
from zope.interface import implementer
from zope.interface import Interface
from zope.interface import Invalid

import re


CLAIM = re.compile(r"^\S+$")
NAMES = ("issuer", "client_id", "client_secret", "scope", "nrn_claim", "use_pkce")


def check_issuer(value):
    if not re.match(r"^https?://\S+$", value or ""):
        raise Invalid(_("Give the broker's address: an https:// URL."))
    return True


def check_claim(value):
    if not CLAIM.match(value or ""):
        raise Invalid(_("Give the claim's name, without spaces."))
    return True


class IEidLoginSettings(Interface):
    """The eID plugin's properties that an administrator sets."""

    issuer = schema.TextLine(
        title=_("Issuer"),
        description=_(
            "The OpenID Connect broker's address (its issuer): its configuration is read "
            "from <issuer>/.well-known/openid-configuration."
        ),
        constraint=check_issuer,
        required=False,
    )
    client_id = schema.TextLine(
        title=_("Client ID"),
        description=_("The identifier the broker gave this site."),
        required=False,
    )
    client_secret = schema.TextLine(
        title=_("Client secret"),
        description=_("The secret the broker gave this site."),
        required=False,
    )
    scope = schema.List(
        title=_("Scopes"),
        description=_(
            "The scopes asked for, one per line; one of them must give the national "
            "register number (egovnrn at the Belgian FAS)."
        ),
        value_type=schema.TextLine(),
        default=list(DEFAULT_SCOPES),
        required=False,
    )
    nrn_claim = schema.TextLine(
        title=_("National register number claim"),
        description=_(
            "The claim that carries the citizen's national register number (egovNRN at "
            "the Belgian FAS). A login without a valid number is refused."
        ),
        default=DEFAULT_NRN_CLAIM,
        constraint=check_claim,
        required=True,
    )
    use_pkce = schema.Bool(
        title=_("Use PKCE"),
        description=_("Proof Key for Code Exchange (S256) in the authorization-code flow."),
        default=True,
        required=False,
    )


@implementer(IEidLoginSettings)
class PluginSettings:
    """The plugin's properties as the form's content."""

    def __init__(self, plugin):
        self.__dict__["_plugin"] = plugin

    def __getattr__(self, name):
        if name not in NAMES:
            raise AttributeError(name)
        value = self._plugin.getProperty(name)
        return list(value) if name == "scope" else value

    def __setattr__(self, name, value):
        if name not in NAMES:
            raise AttributeError(name)
        if name == "scope":
            value = tuple(scope.strip() for scope in value or () if scope.strip())
        setattr(self._plugin, name, value if value is not None else "")


class EidLoginSettingsForm(RegistryEditForm):
    schema = IEidLoginSettings
    schema_prefix = "communesplone.edesk.eid"
    label = _("eID login")

    def update(self):
        plugin = get_plugin()
        self.description = _(
            "Citizens log in with their eID card or itsme through an OpenID Connect broker. "
            "Give the broker this site's redirect URI: ${url}",
            mapping={"url": plugin.get_redirect_uris()[0] if plugin is not None else ""},
        )
        super().update()

    def getContent(self):
        return PluginSettings(get_plugin())

    def applyChanges(self, data):
        content = self.getContent()
        changes = {}
        for name, value in data.items():
            if getattr(content, name) != value:
                setattr(content, name, value)
                changes.setdefault(IEidLoginSettings, []).append(name)
        return changes


EidLoginControlPanel = layout.wrap_form(EidLoginSettingsForm, ControlPanelFormWrapper)
