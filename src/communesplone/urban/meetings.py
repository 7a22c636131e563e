"""The college, when the meetings application is installed: a licence's
proposed decision goes to the college as an item, and the college's decision
comes back to the licence.

Loaded by ``meetings.zcml``; everything here stays silent where the meetings
profile is not installed (no ``meeting_item`` type: :func:`installed`) or
where the site has no college (:func:`college`):

- :func:`send_to_college`: from a licence in ``complete``, the Urbanisme
  service's staff (who may modify the licence, and who are item creators of
  every body as the editors of a service) create an item in the college,
  for the service ``urbanisme``, with the licence's summary as motivation and
  the proposed decision (permit granted or refused) as decision. The item and
  the licence know each other (:data:`LINK`, an annotation on each). A licence
  has one item under way at a time.
- :func:`item_decided`: when the college decides the item (accepted, accepted
  but modified: the proposed decision; refused: the other one), the decision
  is recorded on the licence as a ``college_decision`` event (an
  ``urban_decision``, dated the meeting's day), made as the system: the
  meeting managers who decide need no right on the urban files. Delayed or
  postponed items record nothing; their copy, once decided, does.
- ``@@urban-send-to-college`` (POST, CSRF-protected) and the viewlet on the
  licence's page offering it, or linking to the item sent.

The college is the meeting body whose id is the registry's
``communesplone.urban.college_body`` (``college`` by default).
"""

from Acquisition import aq_inner
from communesplone import _
from communesplone.core.i18n import commune_language
from communesplone.core.validation import Refusal
from communesplone.urban import constants
from communesplone.urban import settings
from communesplone.urban.desk import get_event_type
from communesplone.urban.desk import get_licence_type
from datetime import date
from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import createContentInContainer
from plone.protect import CheckAuthenticator
from plone.protect import PostOnly
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate
from zope.interface import Invalid

import html
import logging


logger = logging.getLogger(__name__)

ITEM = "meeting_item"
BODY = "meeting_body"
COLLEGE_RECORD = settings.record("college_body")
LINK = "communesplone.urban.college"  # annotation: the item's UID on the licence, and back
READY = "complete"  # the licence state from which it goes to the college
PROPOSALS = (constants.GRANTED, constants.REFUSED)
# The item's outcome -> the college's decision, given the proposed one
FOLLOWS = ("accept", "accept_but_modify")
OVERTURNS = ("refuse",)


def installed():
    """Whether the meetings application is installed in the site."""
    return api.portal.get_tool("portal_types").getTypeInfo(ITEM) is not None


def college():
    """The college (a meeting body), or None."""
    if not installed():
        return None
    body_id = api.portal.get_registry_record(COLLEGE_RECORD, default="college") or "college"
    found = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        portal_type=BODY, getId=body_id
    )
    return found[0]._unrestrictedGetObject() if found else None


def _link(obj):
    return IAnnotations(obj).get(LINK)


def item_of(licence):
    """The item sent for ``licence`` (read as the system), or None."""
    uid = _link(licence)
    if not uid:
        return None
    found = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(UID=uid)
    return found[0]._unrestrictedGetObject() if found else None


def licence_of_item(item):
    uid = _link(item)
    if not uid:
        return None
    found = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(UID=uid)
    return found[0]._unrestrictedGetObject() if found else None


def _under_way(item):
    return item is not None and api.content.get_state(item) not in (
        "accepted",
        "accepted_but_modified",
        "refused",
    )


def refusal(licence):
    """Why ``licence`` cannot be sent to the college now (a message), or None."""
    if college() is None:
        return _("There is no college to send the file to.")
    if not api.user.has_permission(constants.MODIFY, obj=licence):
        return _("You may not send this file to the college.")
    if api.content.get_state(licence) != READY:
        return _("Only a complete file is sent to the college.")
    if _under_way(item_of(licence)):
        return _("This file is already before the college.")
    return None


def _summary(licence, proposed, language):
    """The item's motivation: the file, its type, its location, its events (HTML)."""
    licence_type = get_licence_type(licence.licence_type)
    lines = [
        (_("File"), licence.reference or ""),
        (_("Licence type"), licence_type.Title() if licence_type is not None else ""),
        (_("Subject"), licence.subject or ""),
        (_("Location"), licence.address or ""),
    ]
    events = []
    for event in sorted(
        (obj for obj in licence.objectValues() if obj.portal_type in constants.EVENTS),
        key=lambda obj: obj.event_date or date.min,
    ):
        when = event.event_date.strftime("%d/%m/%Y") if event.event_date else ""
        events.append(f"<li>{html.escape(when)} {html.escape(event.Title())}</li>")
    out = "".join(
        f"<p><strong>{html.escape(translate(label, target_language=language))}</strong> : "
        f"{html.escape(value)}</p>"
        for label, value in lines
        if value
    )
    if events:
        out += f"<ul>{''.join(events)}</ul>"
    return out


def _decision_text(proposed, language):
    message = (
        _("The college grants the permit.")
        if proposed == constants.GRANTED
        else _("The college refuses the permit.")
    )
    return f"<p>{html.escape(translate(message, target_language=language))}</p>"


def _html(text):
    return RichTextValue(text, "text/html", "text/html")


def send_to_college(licence, proposed):
    """Create the college's item for ``licence`` with the ``proposed`` decision.

    Raise :class:`Refusal` with the reason (nothing written) when it may not be
    sent, or the decision is not one of :data:`PROPOSALS`. Return the item.
    """
    if proposed not in PROPOSALS:
        raise Refusal(_("Choose the proposed decision: granted or refused."))
    reason = refusal(licence)
    if reason is not None:
        raise Refusal(reason)
    language = commune_language()
    body = college()
    licence_type = get_licence_type(licence.licence_type)
    title = " – ".join(
        part
        for part in (
            licence_type.Title() if licence_type is not None else "",
            licence.reference,
            licence.subject,
        )
        if part
    )
    try:
        item = api.content.create(
            container=body,
            type=ITEM,
            title=title,
            service=licence.service or constants.SERVICE,
            motivation=RichTextValue(
                _summary(licence, proposed, language), "text/html", "text/html"
            ),
            decision=RichTextValue(_decision_text(proposed, language), "text/html", "text/html"),
        )
    except (Invalid, api.exc.InvalidParameterError) as error:
        raise Refusal(
            _("The item could not be created: ${reason}", mapping={"reason": str(error)})
        ) from error
    IAnnotations(item)[LINK] = licence.UID()
    IAnnotations(item)[LINK + ".proposed"] = proposed
    IAnnotations(licence)[LINK] = item.UID()
    return item


def _meeting_day(item):
    from communesplone.meetings import agenda

    meeting = agenda.meeting_of(item)
    when = getattr(meeting, "date", None) if meeting is not None else None
    return when.date() if when is not None else date.today()


def item_decided(item, event):
    """IActionSucceededEvent of an item: the college's decision goes back to its licence."""
    action = event.action
    if action not in FOLLOWS + OVERTURNS:
        return
    licence = licence_of_item(item)
    if licence is None:
        return
    proposed = IAnnotations(item).get(LINK + ".proposed", constants.GRANTED)
    if action in FOLLOWS:
        decision = proposed
    else:
        decision = constants.REFUSED if proposed == constants.GRANTED else constants.GRANTED
    event_type = get_event_type(constants.COLLEGE_DECISION)
    if event_type is None:
        logger.warning(
            "No event type %s: the college's decision is not recorded", constants.COLLEGE_DECISION
        )
        return
    with api.env.adopt_roles(["Manager"]):
        createContentInContainer(
            licence,
            constants.KIND_TYPES[event_type.kind],
            checkConstraints=False,
            event_type=constants.COLLEGE_DECISION,
            event_date=_meeting_day(item),
            decision=decision,
        )
    logger.info(
        "College's decision %s recorded on %s", decision, "/".join(licence.getPhysicalPath())
    )


# Views -------------------------------------------------------------------------------------


class SendToCollege(BrowserView):
    """``@@urban-send-to-college``: POST ``decision`` (granted or refused) and the token."""

    def __call__(self):
        PostOnly(self.request)
        CheckAuthenticator(self.request)
        licence = aq_inner(self.context)
        try:
            item = send_to_college(licence, self.request.form.get("decision"))
        except Refusal as refused:
            api.portal.show_message(refused.message, request=self.request, type="error")
            return self.request.response.redirect(licence.absolute_url())
        api.portal.show_message(
            _(
                'The file is sent to the college as the item "${title}".',
                mapping={"title": item.Title()},
            ),
            request=self.request,
        )
        return self.request.response.redirect(licence.absolute_url())


class CollegeViewlet(ViewletBase):
    """On a licence's page: "Send to the college", or the item sent (meetings installed)."""

    index = ViewPageTemplateFile("browser/templates/college_viewlet.pt")

    def update(self):
        super().update()
        self.item = None
        self.can_send = False
        self.body = college()
        if self.body is None:
            return
        licence = aq_inner(self.context)
        item = item_of(licence)
        if item is not None and api.user.has_permission(constants.VIEW, obj=item):
            self.item = item
        self.can_send = refusal(licence) is None

    def available(self):
        return self.body is not None and (self.item is not None or self.can_send)

    def item_state(self):
        return api.content.get_state(self.item) if self.item is not None else ""

    def render(self):
        return self.index() if self.available() else ""
