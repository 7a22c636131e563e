"""A citizen's request to delete their account, and its processing by an administrator.

The rules:

- a member asks from "Mes demandes" (permission
  ``communesplone.edesk: Request account deletion``, given to Member): the
  request is recorded on the desk (an annotation: login and date) and the
  site's administrators are told by mail (the site's "From" address, the one
  Plone's contact form writes to). Asking again changes nothing; the member
  may cancel while it is pending;
- an administrator (permission ``communesplone.edesk: Manage personal
  data``: Manager and Site Administrator) sees the pending requests in Site
  Setup → E-desk personal data, with how many requests each citizen has and
  how many are still open, and processes one when the services are ready:
  the citizen's drafts are deleted; every other request not closed yet is
  closed at once, with a history entry saying it was withdrawn (no mail for
  each: the citizen gets one mail about the deletion); then all their
  requests are anonymised (``retention.anonymise``), whatever their
  retention period, and the member is removed (their login, password and
  member data). An account holding the Manager or Site Administrator role is
  not deleted this way.

Why all requests, open ones included: once the account is gone nobody can
read the service's answer, give the information asked for, or download a
certificate, so an open request cannot go on; an administrator who wants a
service to finish a request first waits before processing (the page shows
the open requests). The statistics of every request stay.
"""

from BTrees.OOBTree import OOBTree
from communesplone import _
from communesplone.core import mail
from communesplone.core.i18n import translate_for_site
from communesplone.edesk import retention
from communesplone.edesk.desk import get_desk
from communesplone.edesk.workflow_spec import ADMIN
from communesplone.edesk.workflow_spec import OPEN
from DateTime import DateTime
from plone import api
from zExceptions import Unauthorized
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate
from zope.interface import Invalid

import logging


logger = logging.getLogger("communesplone.edesk.deletion")

KEY = "communesplone.edesk.account_deletions"
REQUEST_DELETION = "communesplone.edesk: Request account deletion"
MANAGE = "communesplone.edesk: Manage personal data"
DRAFT = "draft"
WITHDRAW_ACTION = "withdraw"
WITHDRAWN = _("Withdrawn: the citizen's account was deleted.")
DELETED_REASON = _("Personal data removed: the citizen's account was deleted.")


def _storage(create=False):
    desk = get_desk()
    if desk is None:
        return None
    annotations = IAnnotations(desk)
    if KEY not in annotations and create:
        annotations[KEY] = OOBTree()
    return annotations.get(KEY)


def _check(permission, obj):
    if not api.user.has_permission(permission, obj=obj):
        raise Unauthorized(permission)


def is_pending(userid):
    storage = _storage()
    return storage is not None and userid in storage


def ask(userid):
    """Record the current member's request for deletion; False if it was already pending."""
    desk = get_desk()
    _check(REQUEST_DELETION, desk)
    if api.user.is_anonymous() or api.user.get_current().getId() != userid:
        raise Unauthorized("Only the member may ask for their account's deletion.")
    storage = _storage(create=True)
    if userid in storage:
        return False
    storage[userid] = {"requested": DateTime().ISO8601()}
    logger.info("Account deletion asked by %s", userid)
    _tell_administrators(userid)
    return True


def cancel(userid):
    """The member withdraws their pending request; False if none was pending."""
    _check(REQUEST_DELETION, get_desk())
    if api.user.is_anonymous() or api.user.get_current().getId() != userid:
        raise Unauthorized("Only the member may cancel their request.")
    storage = _storage()
    if storage is None or userid not in storage:
        return False
    del storage[userid]
    logger.info("Account deletion cancelled by %s", userid)
    return True


def requests_of(userid):
    """The requests ``userid`` made (whoever may see them), as objects."""
    catalog = api.portal.get_tool("portal_catalog")
    found = []
    brains = catalog.unrestrictedSearchResults(portal_type=retention.PORTAL_TYPE, Creator=userid)
    for brain in brains:
        request = brain._unrestrictedGetObject()
        if userid in request.listCreators():
            found.append(request)
    return found


def pending():
    """[{'userid', 'requested', 'fullname', 'email', 'requests', 'open'}], oldest first."""
    _check(MANAGE, api.portal.get())
    storage = _storage()
    result = []
    for userid, entry in (storage or {}).items():
        member = api.user.get(userid=userid)
        requests = requests_of(userid)
        states = [api.content.get_state(request) for request in requests]
        result.append(
            {
                "userid": userid,
                "requested": DateTime(entry["requested"]),
                "fullname": member.getProperty("fullname", "") if member is not None else "",
                "email": member.getProperty("email", "") if member is not None else "",
                "exists": member is not None,
                "requests": len(requests),
                "open": sum(1 for state in states if state in OPEN),
            }
        )
    return sorted(result, key=lambda item: item["requested"])


def check_deletable(member):
    """Raise Invalid (translated message) if ``member`` may not be deleted this way."""
    roles = set(member.getRoles()) if member is not None else set()
    if roles & set(ADMIN):
        raise Invalid(
            _(
                "The account ${login} is an administrator's: remove its roles first.",
                mapping={"login": member.getUserName()},
            )
        )
    return True


def process(userid):
    """Delete the account ``userid`` asked to delete; return {'deleted', 'closed', 'anonymised'}.

    Raise Invalid when no deletion of ``userid`` is pending, or for an
    administrator's account.
    """
    portal = api.portal.get()
    _check(MANAGE, portal)
    storage = _storage()
    if storage is None or userid not in storage:
        raise Invalid(_("No deletion of this account is pending."))
    member = api.user.get(userid=userid)
    if member is not None:
        check_deletable(member)
    email = member.getProperty("email", "") if member is not None else ""
    language = member.getProperty("language", "") if member is not None else ""
    actor = api.user.get_current().getId()
    counts = {"deleted": 0, "closed": 0, "anonymised": 0}
    with api.env.adopt_roles(["Manager"]):
        for request in requests_of(userid):
            state = api.content.get_state(request)
            if state == DRAFT:
                api.content.delete(obj=request, check_linkintegrity=False)
                counts["deleted"] += 1
                continue
            if state != retention.CLOSED:
                _close(request, actor)
                counts["closed"] += 1
            if retention.anonymise(request, reason=DELETED_REASON, actor=actor) is not None:
                counts["anonymised"] += 1
        if member is not None:
            membership = api.portal.get_tool("portal_membership")
            # Their local roles were on their requests only (the Owner role,
            # removed by the anonymisation): no walk through the whole site.
            membership.deleteMembers((userid,), delete_memberareas=1, delete_localroles=0)
    del storage[userid]
    logger.info(
        "Account %s deleted by %s: %s draft(s) deleted, %s request(s) closed, %s anonymised",
        userid,
        actor,
        counts["deleted"],
        counts["closed"],
        counts["anonymised"],
    )
    if email:
        _tell_citizen(email, language)
    return counts


def _close(request, actor):
    """Close ``request`` now (withdrawn), without its transitions' side effects."""
    workflow_tool = api.portal.get_tool("portal_workflow")
    status = dict(workflow_tool.getStatusOf(retention.WORKFLOW, request) or {})
    status.update(
        action=WITHDRAW_ACTION,
        actor=actor,
        review_state=retention.CLOSED,
        time=DateTime(),
        comments=translate_for_site(WITHDRAWN),
    )
    workflow_tool.setStatusOf(retention.WORKFLOW, request, status)
    workflow_tool.getWorkflowById(retention.WORKFLOW).updateRoleMappingsFor(request)
    request.reindexObject(idxs=["review_state", "closed_on", "allowedRolesAndUsers"])


# Mails, sent after the commit ---------------------------------------------------

ADMIN_SUBJECT = _("Account deletion asked: ${login}")
ADMIN_TEXT = _(
    "The member ${login} (${fullname}) asks for the deletion of their account. "
    "Process it in Site Setup → E-desk personal data: ${url}"
)
CITIZEN_SUBJECT = _("Your account has been deleted")
CITIZEN_TEXT = _(
    "Your account on ${site} has been deleted, as you asked. The personal data of your "
    "requests have been removed."
)


def _tell_administrators(userid):
    address = api.portal.get_registry_record("plone.email_from_address", default=None)
    member = api.user.get(userid=userid)
    mapping = {
        "login": userid,
        "fullname": (member.getProperty("fullname", "") if member is not None else "") or userid,
        "url": f"{api.portal.get().absolute_url()}/@@edesk-personal-data",
    }
    _send_later(address, _(ADMIN_SUBJECT, mapping=mapping), _(ADMIN_TEXT, mapping=mapping), None)


def _tell_citizen(email, language):
    mapping = {"site": api.portal.get().Title()}
    _send_later(email, CITIZEN_SUBJECT, _(CITIZEN_TEXT, mapping=mapping), language or None)


def _send_later(recipient, subject, text, language):
    if not recipient:
        logger.warning("No mail sent about an account deletion: no recipient address")
        return False
    language = language or api.portal.get_registry_record("plone.default_language", default="en")
    return mail.send_after_commit(
        translate(text, target_language=language),
        recipient,
        subject=translate(subject, target_language=language),
        about="an account deletion",
    )
