"""Applicants with a member account follow their own files ("Mes dossiers").

The staff choose, on a licence, the member accounts of its applicants
(``applicant_members``, the behavior :class:`IApplicantMembers`, personal data
that only those who may read personal data see). :class:`ApplicantLocalRoles`,
a borg.localrole provider like core's service roles, gives each of them the
local role ``UrbanApplicant`` (``constants.APPLICANT``) on the licence, so on
its events: the workflows say what that role may see (the licence, its
events' dates and states, the documents, never the internal notes). The
catalog's security index follows, so :func:`my_files` lists a member's files
with the catalog alone, among those they may view.
"""

from borg.localrole.interfaces import ILocalRoleProvider
from communesplone import _
from communesplone.urban import constants
from communesplone.urban.content.licence import ILicence
from plone import api
from plone.app.z3cform.widgets.select import AjaxSelectFieldWidget
from plone.autoform import directives
from plone.autoform.interfaces import IFormFieldProvider
from plone.indexer import indexer
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import provider


INDEX = "applicant_members"  # KeywordIndex of the licences (profile's catalog.xml)


@provider(IFormFieldProvider)
class IApplicantMembers(model.Schema):
    """The member accounts of a licence's applicants."""

    model.fieldset("applicants", label=_("Applicants"), fields=["applicant_members"])
    directives.read_permission(applicant_members=constants.VIEW_PERSONAL_DATA_ID)
    directives.widget(
        "applicant_members", AjaxSelectFieldWidget, vocabulary="plone.app.vocabularies.Users"
    )
    applicant_members = schema.List(
        title=_("Applicants' member accounts"),
        description=_(
            "The accounts of the applicants on the site: they follow this file in "
            '"My files" (its state, its events, the documents sent to them).'
        ),
        value_type=schema.Choice(vocabulary="plone.app.vocabularies.Users"),
        required=False,
        default=[],
        missing_value=[],
    )


def members_of(licence):
    return tuple(getattr(licence, "applicant_members", None) or ())


@implementer(ILocalRoleProvider)
class ApplicantLocalRoles:
    """``UrbanApplicant`` for the licence's applicant members (registered for ILicence)."""

    def __init__(self, context):
        self.context = context

    def getRoles(self, principal_id):
        return (constants.APPLICANT,) if principal_id in members_of(self.context) else ()

    def getAllRoles(self):
        for userid in members_of(self.context):
            yield userid, (constants.APPLICANT,)


@indexer(ILicence)
def applicant_members(obj):
    members = members_of(obj)
    if not members:
        raise AttributeError(INDEX)
    return members


def licence_modified(licence, event):
    """The applicants' roles follow the field: the licence and its events are reindexed."""
    descriptions = getattr(event, "descriptions", None) or ()
    changed = not descriptions or any(
        INDEX in getattr(description, "attributes", ()) for description in descriptions
    )
    if changed:
        licence.reindexObject(idxs=[INDEX])
        licence.reindexObjectSecurity()


def my_files(userid=None):
    """Catalog brains of the licences of which ``userid`` (default: the current
    member) is an applicant member, among those they may view, newest first."""
    if userid is None:
        if api.user.is_anonymous():
            return []
        userid = api.user.get_current().getId()
    return list(
        api.content.find(
            portal_type=constants.LICENCES,
            **{INDEX: userid},
            sort_on="created",
            sort_order="descending",
        )
    )


def events_of(brain):
    """Catalog brains of a licence's events (from its brain) that the user may view,
    in date order."""
    return list(
        api.content.find(
            path={"query": brain.getPath(), "depth": 1},
            portal_type=constants.EVENTS,
            sort_on=constants.INDEX_EVENT_DATE,
        )
    )
