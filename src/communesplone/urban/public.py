"""The public side of the inquiries: the projects under inquiry, and the claims.

- :func:`announced` lists the announced inquiries (public by their workflow)
  from the catalog alone: each brain carries its public summary
  (:func:`summary`, the catalog column ``urban_public``): the licence's
  reference, type, subject, address and location, the inquiry's dates and
  notice. No personal data: no applicant, no claimant.
- :func:`submit_claim` records a citizen's claim ("réclamation") as a claimant
  of an announced inquiry, for whoever holds ``SUBMIT_CLAIM`` on it (the
  inquiry's workflow gives it to visitors and members while announced). The
  values are checked by the fields of :class:`IClaim`, all of them before
  anything is written, so a refused claim leaves nothing behind; the claimant
  row is then written in one assignment. The claimants are personal data:
  the visitor writes them as the system, and only the staff read them.
- Robots: the form carries the signed time it was served and a hidden field
  (:mod:`communesplone.core.antispam`), and visitors without an account are
  rate limited per address (the registry's ``communesplone.urban.claim_*``
  records).
"""

from communesplone import _
from communesplone.core import antispam
from communesplone.core.validation import Refusal
from communesplone.urban import constants
from communesplone.urban import settings
from communesplone.urban.content.event import IInquiry
from communesplone.urban.desk import get_licence_type
from datetime import date
from plone import api
from plone.indexer import indexer
from plone.schema.email import Email
from plone.supermodel import model
from zope import schema
from zope.schema import ValidationError

import logging


logger = logging.getLogger(__name__)

ANNOUNCED = "announced"
COLUMN = "urban_public"  # catalog metadata of inquiries: their public summary
RATE_LIMIT = settings.record("claim_rate_limit")
RATE_WINDOW = settings.record("claim_rate_window_minutes")
MIN_FILL = settings.record("claim_min_fill_seconds")
HONEYPOT = "website"  # hidden from people; a robot fills it
LIMIT = antispam.RateLimit()


class IClaim(model.Schema):
    """A claim, as the form and :func:`submit_claim` take it."""

    name = schema.TextLine(title=_("Your name"), required=True, max_length=200)
    address = schema.TextLine(title=_("Your address"), required=True, max_length=300)
    email = Email(title=_("Your email address"), required=True)
    claim = schema.Text(title=_("Your claim or observation"), required=True, max_length=10000)


FIELDS = schema.getFieldsInOrder(IClaim)


# The public summary -----------------------------------------------------------------------


def summary(inquiry):
    """The public facts of an inquiry and its licence, as a dict of text and numbers."""
    licence = inquiry.aq_parent
    licence_type = get_licence_type(getattr(licence, "licence_type", None))

    def iso(value):
        return value.isoformat() if value else ""

    return {
        "reference": getattr(licence, "reference", None) or "",
        "licence_type": licence_type.Title() if licence_type is not None else "",
        "subject": getattr(licence, "subject", None) or "",
        "address": getattr(licence, "address", None) or "",
        "latitude": getattr(licence, "latitude", None),
        "longitude": getattr(licence, "longitude", None),
        "start": iso(inquiry.start_date),
        "end": iso(inquiry.end_date),
        "notice": inquiry.notice or "",
    }


@indexer(IInquiry)
def public_summary(obj):
    return summary(obj)


def licence_modified(licence, event):
    """The licence's public facts changed: its inquiries' summaries follow."""
    for inquiry in licence.objectValues():
        if getattr(inquiry, "portal_type", None) == constants.INQUIRY:
            inquiry.reindexObject(idxs=["getId"])  # metadata are refreshed with any index


def announced():
    """Catalog brains of the announced inquiries the user may view, those ending first first."""
    brains = api.content.find(portal_type=constants.INQUIRY, review_state=ANNOUNCED)
    return sorted(brains, key=lambda brain: (getattr(brain, COLUMN, None) or {}).get("end") or "~")


# Claims -------------------------------------------------------------------------------------


def check(inquiry, values):
    """Raise :class:`Refusal` (the first field's message) unless ``values`` make a claim.

    Each value is validated by its field of :class:`IClaim`, bound to ``inquiry``.
    """
    for name, field in FIELDS:
        value = values.get(name)
        if isinstance(value, str):
            value = value.strip()
        bound = field.bind(inquiry)
        try:
            bound.validate(value or None)
        except ValidationError as error:
            label = bound.title
            if isinstance(error, schema.interfaces.RequiredMissing):
                raise Refusal(_('"${field}" is required.', mapping={"field": label})) from None
            if isinstance(error, schema.interfaces.TooLong):
                raise Refusal(_('"${field}" is too long.', mapping={"field": label})) from None
            raise Refusal(_('"${field}" is not valid.', mapping={"field": label})) from None
    if api.content.get_state(inquiry) != ANNOUNCED:
        raise Refusal(_("This inquiry does not take claims."))
    end = inquiry.end_date
    if end is not None and end < date.today():
        raise Refusal(_("This inquiry is over: claims are no longer taken."))


def check_robot(request, stamp, honeypot):
    """Refuse robots: a filled hidden field, a form sent back too fast, too many claims."""
    if honeypot:
        raise Refusal(antispam.BOT_REFUSAL)
    antispam.check_fill_time(stamp, api.portal.get_registry_record(MIN_FILL, default=3))
    if api.user.is_anonymous():
        LIMIT.check(
            _key(request),
            api.portal.get_registry_record(RATE_LIMIT, default=5),
            api.portal.get_registry_record(RATE_WINDOW, default=60) * 60,
        )


def _key(request):
    return ("/".join(api.portal.get().getPhysicalPath()), antispam.client_address(request))


def submit_claim(inquiry, values, request=None):
    """Record ``values`` (name, address, email, claim) as a claimant of ``inquiry``.

    The caller holds ``SUBMIT_CLAIM`` on the inquiry (the view is protected by
    it). Raise :class:`Refusal` with the reason and write nothing if a value is
    refused or the inquiry takes no claim. Return the number of claims.
    """
    if not api.user.has_permission(constants.SUBMIT_CLAIM, obj=inquiry):
        raise Refusal(_("This inquiry does not take claims."))
    check(inquiry, values)
    row = {name: (values.get(name) or "").strip() for name, _field in FIELDS}
    row["date"] = date.today()
    with api.env.adopt_roles(["Manager"]):
        inquiry.claimants = [*(inquiry.claimants or ()), row]
        inquiry.reindexObject(idxs=["getId"])
    if request is not None and api.user.is_anonymous():
        LIMIT.hit(_key(request), api.portal.get_registry_record(RATE_WINDOW, default=60) * 60)
    logger.info("Claim recorded on %s", "/".join(inquiry.getPhysicalPath()))
    return len(inquiry.claimants)
