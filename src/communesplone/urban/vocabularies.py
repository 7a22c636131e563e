"""Vocabularies of the urban application.

The licences' road, zone and category fields take their terms from their
licence type (``urban_licence_type``'s vocabularies): the licence's own type
when the licence is known, else (a licence being added) every active type's
terms, so that a value is checked against what the configuration offers.
"""

from communesplone import _
from communesplone.core import services
from communesplone.urban import desk
from communesplone.urban.constants import FAMILIES
from communesplone.urban.constants import GRANTED
from communesplone.urban.constants import KIND_TYPES
from communesplone.urban.constants import LICENCES
from communesplone.urban.constants import REFUSED
from communesplone.urban.constants import SERVICE
from communesplone.urban.content.fields import content_type_of
from communesplone.urban.content.licence_type import VOCABULARIES
from plone import api
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


def _vocabulary(pairs):
    return SimpleVocabulary([SimpleTerm(value, str(value), title) for value, title in pairs])


FAMILY_TITLES = {
    "permit": _("Permit (CoDT permit procedure)"),
    "declaration": _("Declaration"),
    "certificate": _("Certificate"),
}
KIND_TITLES = {
    "filing": _("Filing"),
    "opinion_request": _("Opinion request"),
    "inquiry": _("Public inquiry"),
    "college": _("College"),
    "decision": _("Decision"),
    "notification": _("Notification"),
    "works": _("Works"),
    "appeal": _("Appeal"),
}
DECISION_TITLES = {GRANTED: _("Granted"), REFUSED: _("Refused")}
OPINION_TITLES = {
    "favorable": _("Favorable"),
    "favorable_conditions": _("Favorable with conditions"),
    "unfavorable": _("Unfavorable"),
}
CIVILITIES = {"mr": _("Mr"), "mrs": _("Mrs"), "mr_mrs": _("Mr and Mrs"), "company": _("Company")}
CONTACT_KINDS = {
    "architect": _("Architect"),
    "notary": _("Notary"),
    "geometrician": _("Geometrician"),
}
assert set(KIND_TITLES) == set(KIND_TYPES)


@provider(IVocabularyFactory)
def families(context):
    return _vocabulary((FAMILIES[name], title) for name, title in FAMILY_TITLES.items())


@provider(IVocabularyFactory)
def event_kinds(context):
    return _vocabulary(KIND_TITLES.items())


@provider(IVocabularyFactory)
def decisions(context):
    return _vocabulary(DECISION_TITLES.items())


@provider(IVocabularyFactory)
def opinions(context):
    return _vocabulary(OPINION_TITLES.items())


@provider(IVocabularyFactory)
def civilities(context):
    return _vocabulary(CIVILITIES.items())


@provider(IVocabularyFactory)
def contact_kinds(context):
    return _vocabulary(CONTACT_KINDS.items())


@provider(IVocabularyFactory)
def licence_types(context):
    """The licence types of the family being added or edited (all if unknown);
    inactive ones only for the licence that already has one."""
    family = content_type_of(context)
    current = getattr(context, "licence_type", None) if family in LICENCES else None
    return _vocabulary(
        (licence_type.getId(), licence_type.title)
        for licence_type in desk.licence_types(family if family in LICENCES else None)
        if licence_type.active or licence_type.getId() == current
    )


@provider(IVocabularyFactory)
def event_types(context):
    return _vocabulary((event_type.getId(), event_type.title) for event_type in desk.event_types())


@provider(IVocabularyFactory)
def licence_states(context):
    """The states of the three licence workflows (their union, in order)."""
    from communesplone.urban.workflow_spec import LICENCE_WORKFLOWS

    seen = {}
    for workflow in LICENCE_WORKFLOWS:
        for state in workflow.states:
            seen.setdefault(state.id, state.title)
    return _vocabulary((state_id, _(title)) for state_id, title in seen.items())


STATE_SEPARATOR = ":"


def qualified_state(portal_type, state):
    """An event type's state term for ``state`` of the licences of ``portal_type`` only."""
    return f"{portal_type}{STATE_SEPARATOR}{state}"


@provider(IVocabularyFactory)
def event_states(context):
    """The states an event type may be added in: each state of the licence workflows
    (in whichever procedure has it), then, for a state that several procedures share
    (a declaration and a permit are both "Deposited"), that state in one procedure only
    (``urban_declaration:deposit``)."""
    from communesplone.urban.workflow_spec import LICENCE_WORKFLOWS

    families = {portal_type: name for name, portal_type in FAMILIES.items()}
    workflows = dict(zip(LICENCES, LICENCE_WORKFLOWS, strict=True))
    seen, owners = {}, {}
    for portal_type, workflow in workflows.items():
        for state in workflow.states:
            seen.setdefault(state.id, state.title)
            owners.setdefault(state.id, []).append(portal_type)
    terms = [(state_id, _(title)) for state_id, title in seen.items()]
    for state_id, portal_types in owners.items():
        if len(portal_types) < 2:
            continue
        for portal_type in portal_types:
            terms.append(
                (
                    qualified_state(portal_type, state_id),
                    _(
                        "${state} (${procedure} only)",
                        mapping={
                            "state": _(seen[state_id]),
                            "procedure": FAMILY_TITLES[families[portal_type]],
                        },
                    ),
                )
            )
    return _vocabulary(terms)


def _licence_types_for(context):
    """The licence type of ``context`` (a licence), else every active one."""
    licence_type = desk.get_licence_type(getattr(context, "licence_type", None))
    if licence_type is not None and getattr(context, "portal_type", None) in LICENCES:
        return [licence_type]
    return desk.licence_types(active_only=True)


def _terms_factory(name):
    @provider(IVocabularyFactory)
    def factory(context):
        pairs = {}
        for licence_type in _licence_types_for(context):
            for term_id, title in licence_type.terms(name):
                pairs.setdefault(term_id, title)
        return _vocabulary(pairs.items())

    factory.__name__ = name
    return factory


terms_work_types = _terms_factory("work_types")
terms_road_types = _terms_factory("road_types")
terms_coatings = _terms_factory("coatings")
terms_road_equipments = _terms_factory("road_equipments")
terms_folder_categories = _terms_factory("folder_categories")
terms_zones = _terms_factory("zones")
assert {f"terms_{name}" for name in VOCABULARIES} <= set(globals())


def _contacts_factory(kind):
    @provider(IVocabularyFactory)
    def factory(context):
        contacts = desk.get_contacts()
        current = getattr(context, kind, None)  # the licence's field is named for its kind
        pairs = []
        if contacts is not None:
            for contact in sorted(contacts.objectValues(), key=lambda c: c.title.lower()):
                if contact.kind == kind and (contact.active or contact.UID() == current):
                    name = " ".join(p for p in (contact.first_name, contact.title) if p)
                    pairs.append((contact.UID(), name))
        return _vocabulary(pairs)

    factory.__name__ = kind
    return factory


contacts_architect = _contacts_factory("architect")
contacts_notary = _contacts_factory("notary")
contacts_geometrician = _contacts_factory("geometrician")


@provider(IVocabularyFactory)
def folder_managers(context):
    """The Urbanisme service's editors and reviewers (and those already chosen)."""
    service = getattr(context, "service", None) or SERVICE
    users = {}
    for function in ("editors", "reviewers"):
        group = api.group.get(groupname=services.group_id(service, function))
        if group is None:
            continue
        for member in group.getGroupMembers():
            users[member.getId()] = member.getProperty("fullname") or member.getId()
    for user_id in getattr(context, "folder_managers", None) or ():
        users.setdefault(user_id, user_id)
    return _vocabulary(sorted(users.items(), key=lambda pair: str(pair[1]).lower()))
