"""The citizen's pages: "Mes demandes", the list of request types, the submission form.

The submission form is built from the type's field definitions; it posts
with plone.protect's authenticator, and checks everything (the fields with
:func:`fields.validate_values`, the same as REST, and the attachments) before
writing anything: on an error the form comes back with the messages and
nothing is created.

Without a login (a type open to anonymous visitors) the form also asks for
the contact's email address (``fields.check_contact_email``, as Open311 and
REST), refuses robots by two traps (a field hidden from people, and a signed
time stamp: a form sent back too fast is refused, ``anonymous.py``), counts
in the rate limit of the visitor's address, and the request then waits until
the contact follows the link mailed to them (``confirmation.py``).
"""

from communesplone import _
from communesplone.core.validation import Refusal
from communesplone.edesk import anonymous as guards
from communesplone.edesk import attachments
from communesplone.edesk import settings
from communesplone.edesk import submission
from communesplone.edesk.certificates import ICertificate
from communesplone.edesk.desk import active_types_by_service
from communesplone.edesk.desk import get_desk
from communesplone.edesk.fields import check_contact_email
from communesplone.edesk.fields import FieldError
from communesplone.edesk.fields import options
from communesplone.edesk.fields import validate_values
from communesplone.edesk.login.plugin import login_url as eid_login_url
from communesplone.edesk.login.plugin import session_assurance
from communesplone.edesk.notifications import STATE_TITLES
from plone import api
from plone.memoize.view import memoize
from plone.protect import CheckAuthenticator
from plone.protect.authenticator import createToken
from Products.Five.browser import BrowserView
from zExceptions import Forbidden
from zope.i18n import translate
from zope.interface import Invalid


INPUT_TYPES = {
    "text": "text",
    "date": "date",
    "number": "text",
    "email": "email",
    "phone": "tel",
    "nrn": "text",
}


def require_post(request):
    """Forbidden unless ``request`` is a POST with a valid authenticator."""
    if request.get("REQUEST_METHOD") != "POST":
        raise Forbidden("POST only")
    CheckAuthenticator(request)


class MyRequests(BrowserView):
    """The current member's own requests ("Mes demandes"), newest first.

    The rows are made in one pass over the brains (:meth:`rows`): every
    column from the catalog's metadata, the states' names translated once,
    the certificates found by one query; no request is woken.
    """

    def requests(self):
        if api.user.is_anonymous():
            return []
        user = api.user.get_current()
        return api.content.find(
            portal_type="citizen_request",
            Creator=user.getId(),
            sort_on="created",
            sort_order="descending",
        )

    def rows(self):
        """The table's rows (dicts), from the brains of :meth:`requests`."""
        titles = self.state_titles()
        certificates = self.certificates()
        rows = []
        for brain in self.requests():
            path = brain.getPath()
            rows.append(
                {
                    "number": brain.tracking_number,
                    "url": brain.getURL(),
                    "title": brain.Title,
                    "created": brain.created.strftime("%d/%m/%Y"),
                    "state": titles.get(brain.review_state, brain.review_state),
                    "certificates": [
                        (f"{certificate.getURL()}/@@download/file", certificate.Title)
                        for certificate in certificates.get(path, ())
                    ],
                }
            )
        return rows

    def state_title(self, brain):
        """The state's name of ``brain``, translated (once per state and request)."""
        return self.state_titles().get(brain.review_state, brain.review_state)

    @memoize
    def state_titles(self):
        return {
            state: translate(title, context=self.request) for state, title in STATE_TITLES.items()
        }

    @memoize
    def certificates(self):
        """{request path: [certificate brains]} that the member may view, in one query."""
        desk = get_desk()
        if desk is None or api.user.is_anonymous():
            return {}
        found = {}
        for brain in api.content.find(
            context=desk, object_provides=ICertificate.__identifier__, sort_on="created"
        ):
            found.setdefault(brain.getPath().rsplit("/", 1)[0], []).append(brain)
        return found

    def desk_url(self):
        desk = get_desk()
        return desk.absolute_url() if desk is not None else ""


class NewRequest(BrowserView):
    """The active request types, grouped by service ("Introduire une nouvelle demande")."""

    def groups(self):
        return active_types_by_service()


class SubmitForm(BrowserView):
    """The form of a request type; POST creates and submits the request."""

    def __call__(self):
        self.errors = {}
        self.form_error = None
        self.values = {}
        self.refused = False
        self.eid_login_url = None
        if not self.context.active:
            self.form_error = _("This request type is not offered any more.")
            self.refused = True
            return self.index()
        anonymous = api.user.is_anonymous()
        if anonymous and not self.context.anonymous_allowed:
            return self._to_login()
        if self.context.assurance == "eid" and session_assurance() != "eid":
            self.eid_login_url = eid_login_url(f"{self.context.absolute_url()}/@@submit")
            self.form_error = _(
                "This request needs a login with your electronic identity card (eID): "
                "a password login is not enough."
            )
            self.refused = True
            return self.index()
        if self.request.get("REQUEST_METHOD") == "POST":
            require_post(self.request)
            created = self._submit(anonymous)
            if created is not None and anonymous:
                guards.count_submission(self.request)
                api.portal.show_message(
                    _(
                        "Your request is almost sent: to confirm it, open the link that we have "
                        "mailed to ${email} within ${hours} hours.",
                        mapping={
                            "email": created.contact_email,
                            "hours": settings.get("anonymous_confirmation_hours"),
                        },
                    ),
                    request=self.request,
                )
                self.request.response.redirect(get_desk().absolute_url())
                return ""
            if created is not None:
                api.portal.show_message(
                    _(
                        "Your request ${number} has been submitted.",
                        mapping={"number": created.tracking_number},
                    ),
                    request=self.request,
                )
                self.request.response.redirect(created.absolute_url())
                return ""
        return self.index()

    def _to_login(self):
        came_from = f"{self.context.absolute_url()}/@@submit"
        eid = eid_login_url(came_from) if self.context.assurance == "eid" else None
        portal_url = api.portal.get().absolute_url()
        self.request.response.redirect(eid or f"{portal_url}/login?came_from={came_from}")
        return ""

    def token(self):
        return createToken()

    def form_stamp(self):
        """The signed time the form is served (the second bot trap)."""
        return guards.form_stamp()

    def is_anonymous(self):
        return api.user.is_anonymous()

    def fields(self):
        """The definitions, with what the template needs to render each."""
        result = []
        for row in self.context.definitions():
            field = {"help": None, "required": False, **row}
            field["input_type"] = INPUT_TYPES.get(row["type"], "text")
            field["choices"] = options(row)
            field["name"] = f"field.{row['id']}"
            field["value"] = self.values.get(row["id"], "")
            field["error"] = self.errors.get(row["id"])
            result.append(field)
        return result

    def _submit(self, anonymous):
        form = self.request.form
        definitions = self.context.definitions()
        raw, uploads = {}, {}
        for row in definitions:
            value = form.get(f"field.{row['id']}")
            if row["type"] == "file":
                upload = value if getattr(value, "filename", None) else None
                if upload is not None:
                    uploads[row["id"]] = upload
                raw[row["id"]] = upload.filename if upload is not None else ""
            elif row["type"] == "boolean":
                raw[row["id"]] = bool(value)
            else:
                raw[row["id"]] = value if isinstance(value, str) else ""
        self.values = {key: value for key, value in raw.items() if isinstance(value, str)}
        values, errors = validate_values(definitions, raw)
        files = {}
        for field_id, upload in uploads.items():
            data = upload.read()
            try:
                attachments.check(upload.filename, len(data))
            except Invalid as error:
                errors[field_id] = FieldError(field_id, error.args[0])
            files[field_id] = (upload.filename, data)
        location = {}
        if self.context.needs_location:
            location = self._location(errors)
        contact_email = None
        if anonymous:
            raw_email = form.get("contact_email")
            self.values["contact_email"] = raw_email.strip() if isinstance(raw_email, str) else ""
            try:
                contact_email = check_contact_email(raw_email)
            except FieldError as error:
                errors[error.field] = error
        if anonymous and not self._guarded():
            return None
        if errors:
            self.errors = {key: error.message for key, error in errors.items()}
            self.form_error = _("Please correct the errors below.")
            return None
        return self._create(values, files, location, contact_email)

    def _guarded(self):
        """False (with the form's message) if an anonymous POST is a robot's or over the limit."""
        form = self.request.form
        if form.get("website"):  # the first bot trap: a field hidden from people
            self.form_error = guards.BOT_REFUSAL
            return False
        try:
            guards.check_fill_time(form.get(guards.FORM_STAMP))  # the second: the fill time
            guards.check_rate(self.request)
        except guards.RateLimited as refused:
            self.form_error = refused.message
            self.request.response.setStatus(429)
            self.request.response.setHeader("Retry-After", str(refused.retry_after))
            return False
        except Refusal as refused:
            self.form_error = refused.message
            return False
        return True

    def _location(self, errors):
        form = self.request.form
        for name in ("address", "latitude", "longitude"):
            self.values[name] = (form.get(name) or "").strip()
        location, refused = submission.check_location(
            form.get("address"), form.get("latitude"), form.get("longitude")
        )
        errors.update(refused)
        return location

    def _create(self, values, files, location, contact_email):
        return submission.create(
            self.context,
            values,
            anonymous=bool(contact_email),
            files=files,
            location=location,
            contact_email=contact_email,
            confirmed=not contact_email,
        )

    def message(self, msg):
        return translate(msg, context=self.request) if msg else ""
