"""A citizen's own data, as JSON ("Download my data", from "Mes demandes").

A GET that writes nothing. It answers the logged-in member only, about
themselves: their member properties, and the requests they made that the
catalog lets them see (so never another citizen's), each with its values,
location, messages, states and dates, attachments and certificates. Never
the internal notes, nor who among the staff did what.
"""

from communesplone.edesk.certificates import certificates
from communesplone.edesk.notifications import STATE_TITLES
from datetime import datetime
from plone import api
from Products.Five.browser import BrowserView
from zExceptions import Unauthorized
from zope.globalrequest import getRequest
from zope.i18n import translate

import json
import re


PORTAL_TYPE = "citizen_request"
FILENAME = "my-data-{login}.json"


def safe_name(text):
    """``text`` with only letters, digits, dots, dashes and underscores."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text or "") or "member"


def _iso(value):
    """An ISO 8601 text for DateTime, datetime and date values."""
    if value is None:
        return None
    if hasattr(value, "ISO8601"):
        return value.ISO8601()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def member_data(member):
    """{'id', 'login', 'properties'}: the properties of the member data tool."""
    memberdata = api.portal.get_tool("portal_memberdata")
    properties = {}
    for name in memberdata.propertyIds():
        value = member.getProperty(name, None)
        if isinstance(value, tuple | list):
            value = list(value)
        elif not isinstance(value, str | int | float | bool) and value is not None:
            value = _iso(value)
        properties[name] = value
    return {"id": member.getId(), "login": member.getUserName(), "properties": properties}


def state_title(state):
    """The state's name, as the e-desk's pages give it, in the visitor's language."""
    return translate(STATE_TITLES.get(state, state), context=getRequest())


def request_data(request):
    """What the citizen may know of one of their requests (no internal notes)."""
    workflow = api.portal.get_tool("portal_workflow")
    request_type = request.get_request_type()
    history = workflow.getInfoFor(request, "review_history", [])
    files = api.content.find(context=request, portal_type="File", sort_on="created")
    made = {brain.UID for brain in certificates(request)}
    return {
        "tracking_number": request.tracking_number,
        "title": request.Title(),
        "type": request_type.Title() if request_type is not None else None,
        "url": request.absolute_url(),
        "created": _iso(request.created()),
        "modified": _iso(request.modified()),
        "state": api.content.get_state(request),
        "state_title": state_title(api.content.get_state(request)),
        "service": request.service,
        "values": dict(request.values or {}),
        "address": request.address,
        "latitude": request.latitude,
        "longitude": request.longitude,
        "contact_email": request.contact_email,
        "rejection_reason": request.rejection_reason,
        "messages": [dict(message) for message in request.messages or ()],
        "history": [
            {
                "action": entry.get("action"),
                "state": entry.get("review_state"),
                "state_title": state_title(entry.get("review_state")),
                "time": _iso(entry.get("time")),
                "comments": entry.get("comments") or "",
            }
            for entry in history
        ],
        "files": [
            {
                "title": brain.Title,
                "url": f"{brain.getURL()}/@@download/file",
                "certificate": brain.UID in made,
            }
            for brain in files
        ],
    }


def personal_data(member):
    """The whole export of ``member`` (the current user)."""
    brains = api.content.find(portal_type=PORTAL_TYPE, Creator=member.getId(), sort_on="created")
    requests = []
    for brain in brains:
        request = brain.getObject()
        if member.getId() in request.listCreators():
            requests.append(request_data(request))
    return {
        "exported": datetime.now().astimezone().isoformat(timespec="seconds"),
        "member": member_data(member),
        "requests": requests,
    }


class MyData(BrowserView):
    """``<desk>/@@my-data.json``: the logged-in member's own data, as a download."""

    def __call__(self):
        if api.user.is_anonymous():
            raise Unauthorized("Log in to download your data.")
        member = api.user.get_current()
        body = json.dumps(personal_data(member), ensure_ascii=False, indent=2, default=str)
        response = self.request.response
        response.setHeader("Content-Type", "application/json; charset=utf-8")
        response.setHeader(
            "Content-Disposition",
            f'attachment; filename="{FILENAME.format(login=safe_name(member.getId()))}"',
        )
        response.setHeader("Cache-Control", "private, no-store")
        return body
