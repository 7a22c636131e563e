"""Test layers: one per application on top of the core, and one with everything.

``BASE`` loads the whole bundle's ZCML once and applies the profiles of Plone's
classic distribution (Classic UI with Barceloneta). Each application layer
applies its own profile on top; ``ALL`` applies ``communesplone:default``.
Every layer comes with an integration and a functional (WSGI server) variant,
exposed to pytest by the ``conftest.py`` beside each application's tests.

The helpers every application's tests share are here too: acting as a user
(:func:`as_user`), their users (:func:`create_users`), and over HTTP a session logged in as one
(:func:`http_session`) and the form token of a page (:func:`authenticator`).
"""

from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from dataclasses import dataclass
from plone.app.contenttypes.testing import PLONE_APP_CONTENTTYPES_FIXTURE
from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PloneSandboxLayer
from plone.testing import Layer
from plone.testing.zope import WSGI_SERVER_FIXTURE

import contextlib
import re
import requests


APPLICATIONS = ("core", "documents", "meetings", "edesk", "urban", "website")


class BaseLayer(PloneSandboxLayer):
    defaultBases = (PLONE_APP_CONTENTTYPES_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import communesplone
        import plone.classicui
        import plone.restapi

        self.loadZCML(package=plone.classicui)  # the "classic" distribution
        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=communesplone)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "plone.app.layout:default")
        applyProfile(portal, "plonetheme.barceloneta:default")


BASE = BaseLayer()


class ProfileLayer(PloneSandboxLayer):
    """A layer that applies one GenericSetup profile on top of ``BASE``."""

    defaultBases = (BASE,)

    def __init__(self, profile, name):
        self.profile = profile
        super().__init__(bases=(BASE,), name=name)

    def setUp(self):
        # The application layers stay set up for the whole session (see
        # ``layer_fixtures``), and plone.testing keeps one stack of databases
        # for every layer above ``BASE``: without care, this layer's database
        # would be stacked on that of an application set up before it, whose
        # site, content and settings it would then hold. Stack it on BASE's.
        stack = _resource_stack(self, "zodbDB")
        above_base = _entries_above(stack, BASE)
        del stack[len(stack) - len(above_base) :]
        try:
            super().setUp()
        finally:
            # The others' entries go back under this layer's, which stays on top.
            # (At the end if the set-up failed and took its entry away.)
            position = next((i for i, entry in enumerate(stack) if entry[1] is self), len(stack))
            stack[position:position] = above_base

    def testSetUp(self):
        # Before each test of this layer (its integration or functional
        # variant builds on it): its database on top of the stack, where Zope
        # and the test layers look for it, above those of the application
        # layers set up after it.
        super().testSetUp()
        self._database_on_top()

    def tearDown(self):
        # plone.app.testing tears down (and closes) the database on top.
        self._database_on_top()
        super().tearDown()

    def _database_on_top(self):
        stack = _resource_stack(self, "zodbDB")
        mine = [entry for entry in stack if entry[1] is self]
        if mine and stack[-1] is not mine[-1]:
            stack.remove(mine[-1])
            stack.append(mine[-1])

    def setUpPloneSite(self, portal):
        applyProfile(portal, self.profile)


def _resource_stack(layer, key):
    for manager in layer.baseResolutionOrder:
        resources = getattr(manager, "_resources", {})
        if key in resources:
            return resources[key]
    raise KeyError(key)


def _entries_above(stack, layer):
    """The entries of ``stack`` pushed after the last one of ``layer``."""
    last = max(i for i, entry in enumerate(stack) if entry[1] is layer)
    return stack[last + 1 :]


@dataclass(frozen=True)
class Layers:
    fixture: Layer
    integration: IntegrationTesting
    functional: FunctionalTesting


def _layers(profile, name):
    fixture = ProfileLayer(profile, f"CommunesPlone{name}Fixture")
    return Layers(
        fixture=fixture,
        integration=IntegrationTesting(bases=(fixture,), name=f"CommunesPlone{name}:Integration"),
        functional=FunctionalTesting(
            bases=(fixture, WSGI_SERVER_FIXTURE), name=f"CommunesPlone{name}:Functional"
        ),
    )


CORE = _layers("communesplone.core:default", "Core")
DOCUMENTS = _layers("communesplone.documents:default", "Documents")
MEETINGS = _layers("communesplone.meetings:default", "Meetings")
EDESK = _layers("communesplone.edesk:default", "EDesk")
URBAN = _layers("communesplone.urban:default", "Urban")
WEBSITE = _layers("communesplone.website:default", "Website")
ALL = _layers("communesplone:default", "All")


LAYERS = {
    "core": CORE,
    "documents": DOCUMENTS,
    "meetings": MEETINGS,
    "edesk": EDESK,
    "urban": URBAN,
    "website": WEBSITE,
    "all": ALL,
}


def session_fixtures():
    """pytest fixtures for every layer, named ``<name>_integration`` and
    ``<name>_functional``: for the root ``conftest.py``.

    zope.pytestlayer makes the fixtures of a shared base layer only once, so
    all layers must be declared in one conftest that every test sees.
    """
    from pytest_plone import fixtures_factory

    pairs = []
    for name, layers in LAYERS.items():
        pairs += [(layers.integration, f"{name}_integration")]
        pairs += [(layers.functional, f"{name}_functional")]
    return fixtures_factory(pairs, keep_session=False)


def layer_fixtures(name):
    """The fixtures ``integration`` and ``functional`` for the layers of ``name``.

    For an application's ``tests/conftest.py``: pytest-plone's fixtures
    (``portal``, ``functional_portal``, ``installer`` …) then use its layers.
    The layers stay set up for the rest of the session once used.
    """
    import pytest

    @pytest.fixture
    def integration(request):
        return request.getfixturevalue(f"{name}_integration")

    @pytest.fixture
    def functional(request):
        return request.getfixturevalue(f"{name}_functional")

    @pytest.fixture(autouse=True, scope="session")
    def keep_layers_for_session(request):
        request.getfixturevalue(f"{name}_integration_session")
        request.getfixturevalue(f"{name}_functional_session")

    return {
        "integration": integration,
        "functional": functional,
        f"_keep_{name}_layers": keep_layers_for_session,
    }


def footprint(portal):
    """What an installed profile can leave in a site, as comparable sets."""
    from plone.browserlayer.utils import registered_layers

    catalog = portal.portal_catalog
    return {
        "registry records": set(portal.portal_registry.records.keys()),
        "types": set(portal.portal_types.objectIds()),
        "workflows": set(portal.portal_workflow.objectIds()),
        "browser layers": {layer.__identifier__ for layer in registered_layers()},
        "configlets": {action.id for action in portal.portal_controlpanel.listActions()},
        "catalog indexes": set(catalog.indexes()),
        "catalog columns": set(catalog.schema()),
        "site objects": set(portal.objectIds()),
    }


def broken_objects(portal):
    """Paths of broken objects and registrations left in the site."""
    from ZODB.broken import Broken

    found = [
        "/".join(obj.getPhysicalPath()) for obj in portal.objectValues() if isinstance(obj, Broken)
    ]
    manager = portal.getSiteManager()
    found += [
        f"utility {registration.name or registration.provided}"
        for registration in manager.registeredUtilities()
        if isinstance(registration.component, Broken)
    ]
    return found


def check_clean_reinstall(portal, product):
    """Uninstall ``product``, install it, uninstall it: the site must be as before.

    Return the footprint of the installed product (what install added), so the
    caller can assert that the install did something.
    """
    from plone.base.utils import get_installer

    installer = get_installer(portal, portal.REQUEST)
    assert installer.is_product_installed(product)
    assert installer.uninstall_product(product)
    before = footprint(portal)
    assert installer.install_product(product)
    installed = footprint(portal)
    assert installer.uninstall_product(product)
    after = footprint(portal)
    assert not installer.is_product_installed(product)
    assert after == before, {k: before[k] ^ after[k] for k in before if before[k] != after[k]}
    assert broken_objects(portal) == []
    return {key: installed[key] - before[key] for key in before if installed[key] - before[key]}


def set_up_outside_pytest(layer):
    """Set up ``layer`` and its bases (for the benchmarks); return them in
    set-up order, to be torn down in reverse."""
    done = []

    def set_up(layer):
        for base in layer.__bases__:
            if base is not object:
                set_up(base)
        if layer not in done:
            layer.setUp()
            done.append(layer)

    set_up(layer)
    return done


def throwaway_site(layers):
    """Set up ``layers.integration`` outside pytest and return (portal, teardown).

    For the benchmarks: a site in a DemoStorage, thrown away at teardown.
    """
    from plone.app.testing import SITE_OWNER_NAME
    from zope.component.hooks import setSite

    integration = layers.integration
    done = set_up_outside_pytest(integration)
    integration.testSetUp()
    portal = integration["portal"]
    setSite(portal)
    from AccessControl.SecurityManagement import newSecurityManager

    app = integration["app"]
    newSecurityManager(None, app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users))

    def teardown():
        integration.testTearDown()
        for layer in reversed(done):
            layer.tearDown()

    return portal, teardown


def set_services(rows):
    """Make ``rows`` the site's services, keeping the others it has.

    A test world's services replace none that the site already holds: an
    application's own (urban's Urbanisme owns the urban desk) cannot be
    removed while content belongs to it.
    """
    from communesplone.core import services
    from plone import api

    ids = {row["id"] for row in rows}
    others = [row for row in services.get_all() if row["id"] not in ids]
    api.portal.set_registry_record(services.RECORD, [dict(row) for row in rows] + others)


# Helpers of the tests ---------------------------------------------------------


def create_users(users, password):
    """The test users of ``users`` (login -> (groups, site roles)), with ``password``
    and a full name made from the login; a login that exists already is left as it is."""
    from communesplone.core.demo import create_user

    for login, (groups, roles) in users.items():
        create_user(
            login,
            login.replace("_", " ").title(),
            groups,
            password=password,
            email=f"{login}@example.org",
            roles=roles,
        )


@contextlib.contextmanager
def as_user(username):
    """Act as ``username`` within the block; None is an anonymous visitor."""
    from plone import api
    from plone.app.testing import logout

    if username is not None:
        with api.env.adopt_user(username=username):
            yield
        return
    saved = getSecurityManager()
    logout()
    try:
        yield
    finally:
        setSecurityManager(saved)


def http_session(login=None, password=None):
    """A ``requests`` session logged in as ``login`` with ``password`` (HTTP basic
    authentication); None or "anonymous": an anonymous visitor's."""
    http = requests.Session()
    if login not in (None, "anonymous"):
        http.auth = (login, password)
    return http


_AUTHENTICATOR = re.compile(r'<input[^>]*name="_authenticator"[^>]*>')


def authenticator(page):
    """The value of plone.protect's ``_authenticator`` field in ``page`` (a response or
    its HTML), whatever the order of the input's attributes."""
    html = page if isinstance(page, str) else page.text
    tag = _AUTHENTICATOR.search(html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)
