"""Open311 GeoReport v2 at ``<site>/open311/v2/``: every endpoint, in JSON and in XML.

- ``discovery``: the endpoint, its formats and where to ask for a key;
- ``services``: the active problem-report types that have an Open311 code;
- ``services/<code>``: their fields as attributes;
- ``requests`` (POST, with an ``api_key``): a new report, checked and
  created by the same domain code as the citizen's form (``fields``,
  ``submission``; the submission gives the number and sends the mail). With
  a key that is not trusted (``keys.py``) the POST counts in the anonymous
  rate limit of its address (429 beyond it), needs an ``email``, and the
  report waits until its contact confirms it (``confirmation.py``): the
  answer then holds a ``token`` and no ``service_request_id`` yet;
- ``requests`` (GET, with its filters) and ``requests/<id>``: the public
  facts of the reports (``public.py``): no names, emails, phones, values
  other than the description, nor internal notes;
- ``tokens/<token>``: the request of the token a POST answered (its
  ``service_request_id`` is empty while the report awaits its confirmation).

The format is the path's suffix (``.json``, ``.xml``), else the ``format``
parameter, else XML (the one the specification requires). Errors are the
specification's list of ``code`` and ``description`` (translated into the
request's language), with that HTTP status. GETs never write. A POST is
refused (403) before anything else unless its key is an active one; only
then is plone.protect's CSRF check turned off for it, since an API client
holds a key, not a form token.
"""

from communesplone import _
from communesplone.core.i18n import translate_for_site
from communesplone.edesk import anonymous
from communesplone.edesk import confirmation
from communesplone.edesk import public
from communesplone.edesk import submission
from communesplone.edesk.fields import check_contact_email
from communesplone.edesk.fields import FieldError
from communesplone.edesk.fields import options
from communesplone.edesk.fields import validate_values
from communesplone.edesk.open311 import keys
from communesplone.edesk.open311.formats import FORMATS
from communesplone.edesk.open311.formats import render
from DateTime import DateTime
from DateTime.interfaces import DateTimeError
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from zope.i18n import translate
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

import re


SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-01T00:00:00Z"  # the date of this implementation's last change
MAX_REQUESTS = 1000
MAX_DAYS = 90
ATTRIBUTE = re.compile(r"^attribute\[(.+)\]$")
DATATYPES = {
    "text": "string",
    "textarea": "text",
    "date": "datetime",
    "number": "number",
    "choice": "singlevaluelist",
    "boolean": "singlevaluelist",
    "email": "string",
    "phone": "string",
    "nrn": "string",
}
DESCRIPTION_FIELD = "description"  # the type's field that Open311's description fills
PHONE_FIELD = "phone"  # the type's field that Open311's phone fills


class Open311Error(Exception):
    def __init__(self, code, *messages, headers=None):
        super().__init__(code, messages)
        self.code = code
        self.messages = messages
        self.headers = headers or {}


@implementer(IPublishTraverse)
class Open311(BrowserView):
    """``<site>/open311/...``: the path after ``open311`` picks the endpoint."""

    def __init__(self, context, request):
        super().__init__(context, request)
        self.path = []

    def publishTraverse(self, request, name):
        self.path.append(name)
        return self

    def base_url(self):
        return f"{api.portal.get().absolute_url()}/open311/v2"

    def __call__(self):
        path = list(self.path)
        fmt = None
        if path:
            stem, dot, suffix = path[-1].rpartition(".")
            if dot and suffix in FORMATS:
                path[-1], fmt = stem, suffix
        if fmt is None:
            fmt = self.request.form.get("format")
            fmt = fmt if isinstance(fmt, str) and fmt in FORMATS else "xml"
        self.fmt = fmt
        method = self.request.get("REQUEST_METHOD", "GET")
        try:
            return self.dispatch(path, method)
        except Open311Error as error:
            for name, value in error.headers.items():
                self.request.response.setHeader(name, value)
            return self.errors(error.code, error.messages)

    def dispatch(self, path, method):
        routes = {
            ("discovery",): ("GET", self.discovery),
            ("services",): ("GET", self.services),
            ("services", None): ("GET", self.service_definition),
            ("requests",): (("GET", "POST"), None),
            ("requests", None): ("GET", self.one_request),
            ("tokens", None): ("GET", self.token),
        }
        if len(path) < 2 or path[0] != "v2":
            raise Open311Error(404, _("There is no such Open311 endpoint."))
        endpoint = path[1:]
        key = tuple(endpoint[:1]) + ((None,) if len(endpoint) == 2 else ())
        if len(endpoint) > 2 or key not in routes:
            raise Open311Error(404, _("There is no such Open311 endpoint."))
        allowed, handler = routes[key]
        allowed = (allowed,) if isinstance(allowed, str) else allowed
        if method not in allowed:
            self.request.response.setHeader("Allow", ", ".join(allowed))
            raise Open311Error(405, _("This endpoint does not accept this HTTP method."))
        if key == ("requests",):
            handler = self.create_request if method == "POST" else self.requests
        if method == "GET":
            self.request.response.setHeader("Access-Control-Allow-Origin", "*")
        return handler(*endpoint[1:])

    # rendering

    def message(self, msg):
        return translate(msg, context=self.request)

    def reply(self, data, root, item=None, status=200):
        return render(self.request.response, self.fmt, data, root, item, status)

    def errors(self, code, messages):
        data = [{"code": code, "description": self.message(msg)} for msg in messages]
        return self.reply(data, "errors", "error", status=code)

    # discovery and services

    def discovery(self):
        contact = api.portal.get_registry_record("plone.email_from_address", default=None) or ""
        data = {
            "changeset": CHANGESET,
            "contact": contact,
            "key_service": self.message(
                _(
                    "Ask the municipality's administration for an API key: "
                    "administrators create one per application in Site Setup."
                )
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": self.base_url(),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": list(FORMATS.values()),
                }
            ],
        }
        return self.reply(data, "discovery")

    def services(self):
        data = []
        for request_type in public.problem_types(open311=True, active_only=True):
            data.append(
                {
                    "service_code": request_type.open311_code,
                    "service_name": request_type.title,
                    "description": request_type.help_text or "",
                    "metadata": bool(attributes(request_type, self.message)),
                    "type": "realtime",
                    "keywords": "",
                    "group": public.service_title(request_type.service),
                }
            )
        return self.reply(data, "services", "service")

    def service_definition(self, code):
        request_type = public.open311_type(code)
        if request_type is None:
            raise Open311Error(404, unknown_service(code))
        data = {
            "service_code": code,
            "attributes": attributes(request_type, self.message),
        }
        return self.reply(data, "service_definition")

    # requests

    def _record(self, brain):
        request = brain._unrestrictedGetObject()
        request_type = request.get_request_type()
        values = request.values or {}
        requested = brain.created
        expected = None
        days = getattr(request_type, "processing_days", None)
        if days:
            expected = (requested + days).ISO8601()
        point = public.coordinates(brain)
        return {
            "service_request_id": brain.tracking_number,
            "status": public.status(brain.review_state),
            "status_notes": self.message(public.STATE_TITLES[brain.review_state]),
            "service_name": request_type.title if request_type is not None else brain.Title,
            "service_code": request_type.open311_code if request_type is not None else None,
            "description": values.get(DESCRIPTION_FIELD, ""),
            "agency_responsible": public.service_title(request.service),
            "service_notice": self.notice(request_type),
            "requested_datetime": requested.ISO8601(),
            "updated_datetime": brain.modified.ISO8601(),
            "expected_datetime": expected,
            "address": request.address or "",
            "address_id": None,
            "zipcode": None,
            "lat": point[0] if point else None,
            "long": point[1] if point else None,
            "media_url": getattr(request, "media_url", None),
        }

    def notice(self, request_type):
        days = getattr(request_type, "processing_days", None)
        if not days:
            return None
        return self.message(
            _("The service aims to process it within ${days} days.", mapping={"days": days})
        )

    def _types(self, codes):
        types = public.problem_types(open311=True)
        if not codes:
            return types
        by_code = {t.open311_code: t for t in types}
        unknown = [code for code in codes if code not in by_code]
        if unknown:
            raise Open311Error(400, *[unknown_service(code) for code in unknown])
        return [by_code[code] for code in codes]

    def requests(self):
        form = self.request.form
        ids = split(form.get("service_request_id"))
        if ids:
            brains = public.reports(self._types(()), tracking_number=ids)
        else:
            types = self._types(split(form.get("service_code")))
            query = {"created": {"query": self._date_range(form), "range": "min:max"}}
            statuses = split(form.get("status"))
            if statuses:
                if any(s not in ("open", "closed") for s in statuses):
                    raise Open311Error(400, _('The status is "open" or "closed".'))
                query["review_state"] = [
                    state for state in public.PUBLIC_STATES if public.status(state) in statuses
                ]
            brains = public.reports(types, sort_limit=MAX_REQUESTS, **query)
        data = [self._record(brain) for brain in brains[:MAX_REQUESTS]]
        return self.reply(data, "service_requests", "request")

    def _date_range(self, form):
        dates = {}
        for name in ("start_date", "end_date"):
            text = form.get(name)
            if not text:
                continue
            try:
                dates[name] = DateTime(text)
            except (DateTimeError, SyntaxError, ValueError, TypeError, IndexError):
                raise Open311Error(
                    400,
                    _(
                        "${name} is not a date: give it as in 2026-04-14T06:37:38+02:00.",
                        mapping={"name": name},
                    ),
                ) from None
        start, end = dates.get("start_date"), dates.get("end_date")
        if start is None and end is None:
            end = DateTime()
            start = end - MAX_DAYS
        elif start is None:
            start = end - MAX_DAYS
        elif end is None:
            end = start + MAX_DAYS
        if start > end:
            raise Open311Error(400, _("The start_date is after the end_date."))
        if end - start > MAX_DAYS:
            raise Open311Error(
                400,
                _("The dates may not span more than ${days} days.", mapping={"days": MAX_DAYS}),
            )
        return [start, end]

    def one_request(self, request_id):
        brains = public.reports(self._types(()), tracking_number=request_id)
        if not brains:
            raise Open311Error(404, _("There is no request ${id}.", mapping={"id": request_id}))
        return self.reply([self._record(brains[0])], "service_requests", "request")

    def token(self, token):
        brains = public.reports(self._types(()), UID=token) if token else []
        if brains:
            number = brains[0].tracking_number
        elif token and self._awaiting(token):
            number = None  # not confirmed by its contact yet: no number
        else:
            raise Open311Error(404, _("There is no request for the token ${token}.",
                                      mapping={"token": token}))  # fmt: skip
        data = [{"service_request_id": number, "token": token}]
        return self.reply(data, "service_requests", "request")

    def _awaiting(self, token):
        catalog = api.portal.get_tool("portal_catalog")
        return bool(
            catalog.unrestrictedSearchResults(
                portal_type="citizen_request",
                UID=token,
                request_type=[t.UID() for t in self._types(())] or [""],
                object_provides=confirmation.IAwaitingConfirmation.__identifier__,
            )
        )

    # POST requests

    def create_request(self):
        form = self.request.form
        application = keys.check(form.get("api_key"))
        if application is None:
            raise Open311Error(403, _("The api_key is missing or not valid."))
        # The key is valid: this client posts no form token.
        alsoProvides(self.request, IDisableCSRFProtection)
        trusted = keys.is_trusted(application)
        if not trusted:
            try:
                anonymous.check_rate(self.request)
            except anonymous.RateLimited as refused:
                raise Open311Error(
                    429, refused.message, headers={"Retry-After": str(refused.retry_after)}
                ) from None
        code = form.get("service_code")
        request_type = public.open311_type(code) if isinstance(code, str) else None
        if request_type is None:
            raise Open311Error(400, unknown_service(code or ""))
        raw = raw_values(request_type, form)
        values, errors = validate_values(request_type.definitions(), raw)
        messages = [error.message for error in errors.values()]
        location, refused = submission.check_location(
            form.get("address_string"), form.get("lat"), form.get("long"), address_required=False
        )
        messages += [error.message for error in refused.values()]
        email = None
        try:  # the contact confirms the report unless the key is trusted
            email = check_contact_email(form.get("email"), required=not trusted)
        except FieldError as error:
            messages.append(error.message)
        media_url = form.get("media_url") or None
        if media_url is not None and (
            not isinstance(media_url, str)
            or not re.match(r"^https?://[^\s]+$", media_url)
            or len(media_url) > 2000
        ):
            messages.append(_("The media_url must be an http or https address."))
        if messages:
            raise Open311Error(400, *messages)
        created = submission.create(
            request_type,
            values,
            anonymous=True,
            location=location,
            contact_email=email,
            internal_notes=notes(application, form, request_type),
            media_url=media_url,
            confirmed=trusted,
        )
        answer = {"token": created.UID(), "service_notice": self.notice(request_type),
                  "account_id": None}  # fmt: skip
        if trusted:
            answer = {"service_request_id": created.tracking_number, **answer}
        else:
            anonymous.count_submission(self.request)
        return self.reply([answer], "service_requests", "request")


def unknown_service(code):
    return _("There is no service with the code ${code}.", mapping={"code": code})


def split(value):
    """The items of a comma-separated parameter (or of a repeated one)."""
    if not value:
        return []
    parts = value if isinstance(value, list) else [value]
    return [item.strip() for part in parts for item in str(part).split(",") if item.strip()]


def attributes(request_type, message):
    """The type's fields as Open311 attributes (files excepted: they come as a media_url)."""
    result = []
    for row in request_type.definitions():
        if row["type"] == "file" or row["id"] == DESCRIPTION_FIELD:
            continue
        attribute = {
            "variable": True,
            "code": row["id"],
            "datatype": DATATYPES[row["type"]],
            "required": bool(row.get("required")),
            "datatype_description": row.get("help") or "",
            "order": len(result) + 1,
            "description": row["label"],
        }
        if row["type"] == "date" and not row.get("help"):
            attribute["datatype_description"] = message(_("A date, as YYYY-MM-DD."))
        if row["type"] == "choice":
            attribute["values"] = [{"key": o, "name": o} for o in options(row)]
        if row["type"] == "boolean":
            attribute["values"] = [
                {"key": "true", "name": message(_("Yes"))},
                {"key": "false", "name": message(_("No"))},
            ]
        result.append(attribute)
    return result


def raw_values(request_type, form):
    """{field id: value} from a POST: ``attribute[id]``, and ``description``, ``phone``."""
    raw = {}
    for name, value in form.items():
        match = ATTRIBUTE.match(name)
        if match:
            raw[match.group(1)] = value
    definitions = request_type.definitions()
    for row in definitions:
        if row["type"] == "file":
            raw[row["id"]] = ""  # files come as a media_url, never as a value
    ids = {row["id"] for row in definitions}
    if DESCRIPTION_FIELD in ids and DESCRIPTION_FIELD not in raw:
        raw[DESCRIPTION_FIELD] = form.get("description", "")
    elif form.get("description") and DESCRIPTION_FIELD not in ids:
        raw[DESCRIPTION_FIELD] = form["description"]  # refused: not a field of this type
    if PHONE_FIELD in ids and PHONE_FIELD not in raw and form.get("phone"):
        raw[PHONE_FIELD] = form["phone"]
    return raw


def notes(application, form, request_type):
    """The staff-only note of a report made through Open311: the application and the contact."""
    lines = [
        translate_for_site(
            _(
                "Submitted through Open311 by the application ${name}.",
                mapping={"name": application["name"]},
            )
        )
    ]
    name = " ".join(
        part.strip()
        for part in (form.get("first_name"), form.get("last_name"))
        if isinstance(part, str) and part.strip()
    )
    phone = form.get("phone") if isinstance(form.get("phone"), str) else ""
    ids = {row["id"] for row in request_type.definitions()}
    contact = [part for part in (name, phone if PHONE_FIELD not in ids else "") if part]
    if contact:
        lines.append(
            translate_for_site(_("Contact: ${contact}", mapping={"contact": ", ".join(contact)}))
        )
    media_url = form.get("media_url")
    if media_url:
        lines.append(translate_for_site(_("Photo: ${url}", mapping={"url": media_url})))
    return "\n".join(lines)
