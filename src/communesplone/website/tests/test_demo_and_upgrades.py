"""The demo commune's website, and the upgrade from the empty profile (1000)."""

from communesplone.website import listings
from communesplone.website import sections
from communesplone.website.setuphandlers import HOME
from plone import api
from plone.app.testing import applyProfile
from plone.portlets.interfaces import IPortletType
from zope.component import queryUtility


QUICK_LINKS = "communesplone.website.QuickLinks"


def test_demo_builds_a_credible_site(portal):
    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "communesplone.website:demo")
        applyProfile(portal, "communesplone.website:demo")  # a re-run creates nothing twice
    for section in ("vie-communale", "social-et-sante", "culture-et-loisirs", "economie"):
        assert api.content.get_state(portal[section]) == "published"
        assert len(portal[section].objectIds()) >= 3, section
    assert len(api.content.find(portal_type="News Item")) == 20
    assert len(listings.upcoming_events(limit=100)) >= 6
    assert len(listings.directory()) == 5
    assert len(listings.open_vacancies()) == 2
    assert len(listings.procedures()) == 6
    assert len(listings.quick_links()) == 6
    assert [brain.Title for brain in listings.current_alerts()] == ["Travaux rue Haute"]
    entry = portal["economie"]["annuaire"]["boulangerie-dupont"]
    assert entry.category == "commerces-et-artisans"
    assert entry.opening_hours[0] == {"day": "tue", "opens": "07:00", "closes": "18:00"}
    html = portal.restrictedTraverse("@@homepage")()
    assert "IDESS" in html and "Opération Carton Jaune" in html and "Guichet en ligne" in html
    # The left column: "Accès rapides" and "Nouveautés"; the calendar on the right
    assert "cp-portlet-quicklinks" in html and "portletNews" in html
    assert "portlet-calendar" in html
    # The choir's section: delegated to its member, whose news item waits for review
    choir = portal["culture-et-loisirs"]["chorale"]
    assert choir.get_local_roles_for_userid("chorale") == (sections.ROLE,)
    assert api.content.get_state(choir["concert-de-noel"]) == "pending"
    assert api.content.get_state(choir["qui-sommes-nous"]) == "published"
    with api.env.adopt_user(username="chorale"):
        assert api.user.has_permission("Add portal content", obj=choir)
        assert not api.user.has_permission("Add portal content", obj=portal["culture-et-loisirs"])


def test_uninstall_takes_the_quick_links_portlet_away(portal):
    from communesplone.website.setuphandlers import remove_portlets
    from plone.portlets.interfaces import IPortletAssignmentMapping
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import getUtility

    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "communesplone.website:demo")
    manager = getUtility(IPortletManager, name="plone.leftcolumn", context=portal)
    mapping = getMultiAdapter((portal, manager), IPortletAssignmentMapping)
    assert set(mapping) >= {"acces-rapides", "nouveautes"}
    remove_portlets(portal)
    assert "acces-rapides" not in mapping and "nouveautes" in mapping


def test_upgrade_from_the_empty_profile(portal):
    """A site that installed the empty website profile (1000) gets everything."""
    setup = portal.portal_setup
    with api.env.adopt_roles(["Manager"]):
        from communesplone.website.setuphandlers import uninstall

        uninstall(None)
        portal.portal_types.manage_delObjects(
            ["directory_entry", "job_vacancy", "procedure", "quick_link", "alert_banner"]
        )
        portal.portal_catalog.delIndex("directory_category")
        sm = portal.getSiteManager()
        sm.unregisterUtility(provided=IPortletType, name=QUICK_LINKS)
        portal.portal_registry.records.__delitem__("communesplone.website.primary_colour")
        setup.setLastVersionForProfile("communesplone.website:default", "1000")
        upgrades = setup.listUpgrades("communesplone.website:default")
        assert [step["dest"] for step in upgrades][0] == ("1001",)
        setup.upgradeProfile("communesplone.website:default")
    current = setup.getVersionForProfile("communesplone.website:default")
    assert setup.getLastVersionForProfile("communesplone.website:default") == (current,)
    assert "directory_entry" in portal.portal_types.objectIds()
    assert portal.portal_workflow.getChainForPortalType("job_vacancy") == (sections.WORKFLOW,)
    assert "directory_category" in portal.portal_catalog.indexes()
    assert api.portal.get_registry_record("communesplone.website.primary_colour") == "#1d4f73"
    assert portal.getLayout() == HOME
    assert queryUtility(IPortletType, name=QUICK_LINKS) is not None


def test_upgrade_to_1004_carries_the_states_over(portal):
    """A 1003 site (Plone's workflow, no section editor, no directory metadata) gets the
    website's workflow with every object in the state it had, the role and the metadata."""
    from plone.app.workflow.interfaces import ISharingPageRole

    setup, catalog = portal.portal_setup, portal.portal_catalog
    with api.env.adopt_roles(["Manager"]):
        sections.uninstall(portal)
        portal.portal_workflow.setChainForPortalTypes(
            sections.WEBSITE_TYPES, sections.PLONE_WORKFLOW
        )
        for column in ("directory_category", "address", "phone"):
            catalog.delColumn(column)
        folder = api.content.create(container=portal, type="Folder", id="vie", title="Vie")
        page = api.content.create(container=folder, type="Document", id="page", title="Page")
        draft = api.content.create(container=folder, type="Document", id="draft", title="D")
        entry = api.content.create(
            container=folder,
            type="directory_entry",
            id="entry",
            title="Boulangerie",
            category="commerces",
            phone="071 00 00 00",
        )
        for obj in (folder, page, entry):
            api.content.transition(obj=obj, transition="publish")
        assert sections.ROLE not in portal.validRoles()
        setup.setLastVersionForProfile("communesplone.website:default", "1003")
        setup.upgradeProfile("communesplone.website:default", dest="1004")
    assert setup.getLastVersionForProfile("communesplone.website:default") == ("1004",)
    for obj in (folder, page, entry, draft):
        assert portal.portal_workflow.getChainFor(obj) == (sections.WORKFLOW,)
    states = {obj.getId(): api.content.get_state(obj) for obj in (folder, page, draft, entry)}
    assert states == {
        "vie": "published",
        "page": "published",
        "draft": "private",
        "entry": "published",
    }
    assert api.content.find(id="page", review_state="published")
    anonymous_view = [r["name"] for r in page.rolesOfPermission("View") if r["selected"]]
    assert anonymous_view == ["Anonymous"]
    assert api.content.find(id="entry")[0].phone == "071 00 00 00"
    assert sections.ROLE in portal.validRoles()
    assert portal.getSiteManager().queryUtility(ISharingPageRole, name=sections.ROLE)


def test_procedures_link_to_the_edesk_request_types(all_integration):
    """With every application installed, the demo's procedures start their requests online."""
    from zope.component import getUtility
    from zope.schema.interfaces import IVocabularyFactory

    portal = all_integration["portal"]
    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "communesplone:demo")
        procedure = portal["vie-communale"]["demarches-administratives"]["certificat-residence"]
        request_type = portal["guichet"]["certificat-residence"]
        assert procedure.request_type == request_type.UID()
        vocabulary = getUtility(IVocabularyFactory, "communesplone.website.request_types")(portal)
        assert request_type.UID() in vocabulary
        html = procedure.restrictedTraverse("@@view")()
    assert request_type.absolute_url() in html


def test_upgrade_to_1005(portal):
    """A 1004 site: Plone's Events portlet goes, the settings are kept for uninstall (Plone's
    defaults), the role is titled in our domain, a subscriber without a language gets the site's."""
    from communesplone.website import newsletter
    from communesplone.website.setuphandlers import _right_column
    from communesplone.website.setuphandlers import EVENTS_PORTLET
    from communesplone.website.setuphandlers import PREVIOUS_SETTINGS
    from plone.app.event.portlets.portlet_events import Assignment as Events
    from plone.app.workflow.exportimport import PersistentSharingPageRole
    from plone.app.workflow.interfaces import ISharingPageRole
    from zope.annotation.interfaces import IAnnotations
    from zope.component import getUtility

    setup = portal.portal_setup
    prefix = "plone.app.theming.interfaces.IThemeSettings.absolutePrefix"
    with api.env.adopt_roles(["Manager"]):
        _right_column(portal)[EVENTS_PORTLET] = Events()
        del IAnnotations(portal)[PREVIOUS_SETTINGS]
        api.portal.set_registry_record(prefix, "/++theme++barceloneta")
        sm = portal.getSiteManager()
        sm.registerUtility(  # as the 1004 profile's sharing.xml did
            PersistentSharingPageRole("Can edit the section", sections.DELEGATE),
            ISharingPageRole,
            name=sections.ROLE,
        )
        letter = api.content.create(container=portal, type="newsletter", id="l", title="L")
        newsletter.subscribers(letter)["a@example.org"] = newsletter.Subscriber("a@example.org", "")
        setup.setLastVersionForProfile("communesplone.website:default", "1004")
        setup.upgradeProfile("communesplone.website:default", dest="1005")
    assert EVENTS_PORTLET not in _right_column(portal)
    assert api.portal.get_registry_record(prefix) == "/"
    kept = IAnnotations(portal)[PREVIOUS_SETTINGS]
    assert kept[prefix] == ("value", "/++theme++barceloneta")
    assert kept["plone.available_languages"] == (
        "value",
        [api.portal.get_registry_record("plone.default_language")],
    )
    assert getUtility(ISharingPageRole, name=sections.ROLE).title.domain == "communesplone"
    assert newsletter.get(letter, "a@example.org").language == api.portal.get_default_language()


def test_the_section_role_is_titled_in_the_communesplone_domain(portal):
    """Plone titles a profile's sharing role in the plone domain, where it had no translation."""
    from plone.app.workflow.interfaces import ISharingPageRole
    from zope.component import getUtility

    title = getUtility(ISharingPageRole, name=sections.ROLE).title
    assert (title, title.domain) == ("Can edit the section", "communesplone")


def test_upgrade_to_1006(portal):
    """A 1005 site: the Website panel for Site Administrators; a newsletter's Subscribers
    action from portal_actions (translated in the communesplone domain), not from its type."""
    setup = portal.portal_setup
    newsletter_type = portal.portal_types["newsletter"]
    with api.env.adopt_roles(["Manager"]):
        configlets = {action.id: action for action in portal.portal_controlpanel.listActions()}
        configlets["communesplone-website"].permissions = ("Manage portal",)
        portal.portal_actions.object.manage_delObjects(["newsletter_subscribers"])
        newsletter_type.addAction(
            "subscribers",
            "Subscribers",
            "string:${object_url}/@@newsletter-subscribers",
            "",
            ("communesplone.website: Manage newsletter subscribers",),
            "object",
        )
        setup.setLastVersionForProfile("communesplone.website:default", "1005")
        setup.upgradeProfile("communesplone.website:default", dest="1006")
    assert setup.getLastVersionForProfile("communesplone.website:default") == ("1006",)
    configlets = {action.id: action for action in portal.portal_controlpanel.listActions()}
    assert configlets["communesplone-website"].permissions == ("communesplone: Manage settings",)
    assert newsletter_type.getActionObject("object/subscribers") is None
    action = portal.portal_actions.object.newsletter_subscribers
    assert action.i18n_domain == "communesplone"
    with api.env.adopt_roles(["Manager"]):
        letter = api.content.create(container=portal, type="newsletter", id="l", title="L")
        state = letter.restrictedTraverse("@@plone_context_state")
        assert "newsletter_subscribers" in {a["id"] for a in state.actions("object")}
        front = portal.restrictedTraverse("@@plone_context_state")
        assert "newsletter_subscribers" not in {a["id"] for a in front.actions("object")}
