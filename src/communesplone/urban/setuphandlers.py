"""Install and uninstall handlers: the urban desk, its default configuration, the service.

``post_install`` is idempotent (the upgrade step runs it on sites that have
the desk already): it makes what is missing and leaves what administrators
changed. It makes

- the core service ``urbanisme`` (its groups: editors, reviewers, observers),
  unless the site has one;
- ``/urbanisme`` (belonging to that service, so its staff get their roles on
  everything in it), with its ``configuration`` and ``contacts`` folders;
- the default event types (:data:`EVENT_TYPES`) and the 12 licence types
  (:data:`LICENCE_TYPES`) with their vocabularies, in the configuration.

Titles are translated into the site's language when they are made (French
on a French site): they are content, edited by administrators after.
"""

from communesplone import _
from communesplone.core import services
from communesplone.core.i18n import translate_for_site
from communesplone.urban.constants import CERTIFICATE
from communesplone.urban.constants import CONFIG
from communesplone.urban.constants import CONFIG_ID
from communesplone.urban.constants import CONTACTS
from communesplone.urban.constants import CONTACTS_ID
from communesplone.urban.constants import DECLARATION
from communesplone.urban.constants import DESK
from communesplone.urban.constants import DESK_ID
from communesplone.urban.constants import EVENT_TYPE
from communesplone.urban.constants import LICENCE_TYPE
from communesplone.urban.constants import PERMIT
from communesplone.urban.constants import SERVICE
from communesplone.urban.desk import event_types
from communesplone.urban.vocabularies import qualified_state
from plone import api


DESK_TITLE = _("Urbanism")
SERVICE_TITLE = _("Urbanism")
CONFIG_TITLE = _("Configuration")
CONTACTS_TITLE = _("Contacts")

OPEN = ["deposit", "incomplete", "complete", "suspended"]
COLLEGE_DECISION_STATES = [qualified_state(DECLARATION, "deposit"), "complete"]
DECIDED = ["accepted", "refused", "delivered"]

# id -> (title, kind, licence states where it may be added, must follow one of, delay, body)
EVENT_TYPES = {
    "deposit": (_("Deposit of the application"), "filing", ["deposit"], [], None, None),
    "receipt": (_("Receipt of the application"), "filing", ["deposit"], ["deposit"], None, None),
    "acknowledgement": (
        _("Acknowledgement of receipt"), "filing", ["deposit", "incomplete", "complete"],
        ["receipt"], None, None,
    ),
    "missing_parts": (
        _("Request for missing parts"), "filing", ["deposit", "incomplete"], ["receipt"],
        None, None,
    ),
    "complete": (
        _("File complete"), "filing", ["deposit", "incomplete"], ["receipt"], None, None
    ),
    "incomplete": (_("File incomplete"), "filing", ["deposit"], ["receipt"], None, None),
    "opinion_spw_mobility": (
        _("Opinion request: SPW Mobility and Infrastructures (formerly MET)"),
        "opinion_request", OPEN, ["receipt"], 30,
        _("SPW Mobility and Infrastructures (formerly MET)"),
    ),
    "opinion_fd": (
        _("Opinion request: Delegated officer (FD)"), "opinion_request", OPEN, ["receipt"], 35,
        _("Delegated officer (FD)"),
    ),
    "opinion_spw_environment": (
        _("Opinion request: SPW ARNE (formerly DGRNE)"), "opinion_request", OPEN, ["receipt"],
        30, _("SPW ARNE (formerly DGRNE)"),
    ),
    "opinion_fire": (
        _("Opinion request: Emergency zone (fire service)"), "opinion_request", OPEN,
        ["receipt"], 30, _("Emergency zone (fire service)"),
    ),
    "opinion_networks": (
        _("Opinion request: Network operators"), "opinion_request", OPEN, ["receipt"], 30,
        _("Network operators"),
    ),
    "inquiry": (_("Public inquiry"), "inquiry", ["complete"], ["receipt"], None, None),
    "announcement": (_("Project announcement"), "inquiry", ["complete"], ["receipt"], None, None),
    "college_opinion": (_("College's opinion"), "college", OPEN, ["receipt"], None, None),
    # the college extends its decision deadline (deadlines.py, rule "extension")
    "extension": (
        _("Extension of the decision deadline"), "college", OPEN, ["acknowledgement"], None, None
    ),
    # a declaration is decided while deposited, a permit once complete
    "college_decision": (
        _("College's decision"), "decision", COLLEGE_DECISION_STATES, ["deposit"], None, None
    ),
    "notification": (
        _("Notification of the decision"), "notification", DECIDED, ["college_decision"],
        None, None,
    ),
    "works_start": (_("Start of the works"), "works", ["accepted"], ["notification"], None, None),
    "works_end": (_("End of the works"), "works", ["accepted"], ["works_start"], None, None),
    "appeal": (_("Appeal"), "appeal", ["accepted", "refused"], ["notification"], None, None),
}  # fmt: skip

FILING = ["deposit", "receipt", "acknowledgement", "missing_parts", "complete", "incomplete"]
OPINIONS = [key for key, row in EVENT_TYPES.items() if row[1] == "opinion_request"]
DECISION = ["college_opinion", "college_decision", "notification"]
WORKS = ["works_start", "works_end", "appeal"]
FAMILY_EVENTS = {
    PERMIT: [*EVENT_TYPES],
    DECLARATION: [
        "deposit", "receipt", "acknowledgement", "missing_parts", "opinion_fire", *DECISION,
        *WORKS,
    ],
    CERTIFICATE: [
        "deposit", "receipt", "missing_parts", "opinion_spw_mobility", "opinion_fd",
        "college_opinion", "notification",
    ],
}  # fmt: skip

# id -> (code, family, title)
LICENCE_TYPES = {
    "building_permit": ("PU", PERMIT, _("Building permit")),
    "urbanisation_permit": ("PURB", PERMIT, _("Urbanisation permit")),
    "planning_certificate_1": ("CU1", CERTIFICATE, _("Planning certificate no. 1")),
    "planning_certificate_2": ("CU2", PERMIT, _("Planning certificate no. 2")),
    "planning_declaration": ("DU", DECLARATION, _("Planning declaration")),
    "environmental_permit_1": ("PE1", PERMIT, _("Environmental permit class 1")),
    "environmental_permit_2": ("PE2", PERMIT, _("Environmental permit class 2")),
    "environmental_declaration_3": ("DE3", DECLARATION, _("Environmental declaration class 3")),
    "single_permit": ("PUN", PERMIT, _("Single permit")),
    "notary_letter": ("NOT", CERTIFICATE, _("Notary letter")),
    "division": ("DIV", DECLARATION, _("Division of a property")),
    "miscellaneous_request": ("DD", CERTIFICATE, _("Miscellaneous request")),
}

# The vocabularies every default licence type starts with: name -> [(id, title)]
TERMS = {
    "road_types": [
        ("municipal", _("Municipal")),
        ("regional", _("Regional")),
        ("provincial", _("Provincial")),
    ],
    "coatings": [
        ("gutters", _("Gutters")),
        ("asphalt", _("Asphalt")),
        ("concrete", _("Concrete")),
        ("paving", _("Paving stones")),
        ("gravel", _("Gravel")),
    ],
    "road_equipments": [
        ("water", _("Water supply")),
        ("electricity", _("Electricity supply")),
        ("sewer_treated", _("Sewer connected to a public treatment plant")),
        ("sewer_untreated", _("Sewer not connected to a public treatment plant")),
        ("separate_sewer", _("Separate sewerage network")),
    ],
    "work_types": [
        ("new_building", _("New building")),
        ("transformation", _("Transformation")),
        ("extension", _("Extension")),
        ("demolition", _("Demolition")),
        ("change_of_use", _("Change of use")),
    ],
    "folder_categories": [
        ("housing", _("Housing")),
        ("commerce", _("Commerce")),
        ("industry", _("Industry")),
        ("agriculture", _("Agriculture")),
        ("public", _("Public equipment")),
    ],
    "zones": [
        ("housing", _("Housing zone")),
        ("rural_housing", _("Housing zone of rural character")),
        ("agricultural", _("Agricultural zone")),
        ("forest", _("Forest zone")),
        ("green", _("Green space zone")),
        ("economic", _("Mixed economic activity zone")),
        ("public_services", _("Zone of public services and community equipment")),
        ("deferred", _("Deferred development zone")),
    ],
}


def ensure_service():
    """The core service ``urbanisme``, added to the services if missing."""
    if services.get(SERVICE) is None:
        rows = services.get_all()
        rows.append({"id": SERVICE, "title": translate_for_site(SERVICE_TITLE), "email": None})
        api.portal.set_registry_record(services.RECORD, rows)


def _child(container, portal_type, object_id, title, **fields):
    existing = container.get(object_id)
    if existing is not None:
        return existing
    return api.content.create(
        container=container,
        type=portal_type,
        id=object_id,
        title=translate_for_site(title),
        **fields,
    )


COLUMNS = ("plone.leftcolumn", "plone.rightcolumn")


def block_site_portlets(desk):
    """The desk is the staff's back office: the site's portlets (the website's quick
    links, news, calendar) are not shown on it nor on its files, whose pages need
    the width (the map, the events)."""
    from plone.portlets.constants import CONTEXT_CATEGORY
    from plone.portlets.interfaces import ILocalPortletAssignmentManager
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import getUtility

    for name in COLUMNS:
        manager = getUtility(IPortletManager, name=name)
        assignments = getMultiAdapter((desk, manager), ILocalPortletAssignmentManager)
        assignments.setBlacklistStatus(CONTEXT_CATEGORY, True)


def ensure_desk():
    """The desk, its configuration with the default types, and its contacts."""
    portal = api.portal.get()
    made = portal.get(DESK_ID) is None
    desk = _child(portal, DESK, DESK_ID, DESK_TITLE, exclude_from_nav=False)
    if made:
        block_site_portlets(desk)
    config = _child(desk, CONFIG, CONFIG_ID, CONFIG_TITLE)
    _child(desk, CONTACTS, CONTACTS_ID, CONTACTS_TITLE)
    for type_id, (title, kind, states, after, delay, body) in EVENT_TYPES.items():
        _child(
            config,
            EVENT_TYPE,
            type_id,
            title,
            kind=kind,
            states=list(states),
            after=list(after),
            delay=delay,
            body=translate_for_site(body) if body else None,
        )
    terms = {
        name: [{"id": term_id, "title": translate_for_site(title)} for term_id, title in rows]
        for name, rows in TERMS.items()
    }
    for type_id, (code, family, title) in LICENCE_TYPES.items():
        _child(
            config,
            LICENCE_TYPE,
            type_id,
            title,
            code=code,
            family=family,
            event_types=list(FAMILY_EVENTS[family]),
            **{name: [dict(row) for row in rows] for name, rows in terms.items()},
        )
    return desk


def post_install(context):
    from communesplone.urban import documents

    with api.env.adopt_roles(["Manager"]):
        ensure_service()
        ensure_desk()
        documents.install_templates()
        documents.link_templates(event_types())


def uninstall(context):
    """The desk goes with its types, its licences and configuration with it; the
    service stays (other content may belong to it)."""
    from communesplone.urban import documents

    documents.uninstall_templates()
    portal = api.portal.get()
    desk = portal.get(DESK_ID)
    if desk is not None:
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(obj=desk, check_linkintegrity=False)
