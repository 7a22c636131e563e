"""``@@generate-document``: download a generated document (GET), or store it (POST)."""

from communesplone import _
from communesplone.documents import generation
from plone import api
from plone.protect.authenticator import check as check_authenticator
from Products.Five import BrowserView
from urllib.parse import quote
from zExceptions import Forbidden
from zope.i18n import translate


def send(response, generated):
    """Write ``generated`` to ``response`` as a download."""
    response.setHeader("Content-Type", generated.mimetype)
    response.setHeader(
        "Content-Disposition",
        f"attachment; filename*=UTF-8''{quote(generated.filename)}",
    )
    response.setHeader("Content-Length", str(len(generated.data)))
    response.setHeader("Cache-Control", "private, no-store")
    return generated.data


def error_message(error, request):
    """The text a user gets for ``error``: details only for template managers."""
    template = getattr(error, "template", None)
    if isinstance(error, generation.TemplateError) and not (
        template is not None and generation.may_see_details(template)
    ):
        return translate(
            _("The document could not be generated. Please tell the municipal administration."),
            context=request,
        )
    return translate(error.message, context=request)


STORE_ON_GET = _(
    'A link cannot store a document: use the "store" button of the Documents box. '
    "Nothing was stored."
)
EXPIRED = _(
    "The form has expired or does not come from this site: nothing was stored. "
    "Reload the page and press the button again."
)


class GenerateDocument(BrowserView):
    """``@@generate-document``.

    - GET ``?template=<uid>&output_format=pdf``: the document, as a download;
      with ``store=1``: 405, storing is a POST;
    - POST ``template``, ``output_format``, ``_authenticator`` (plone.protect's
      CSRF token): the document is stored in the object, and the browser goes
      back to it with a message. The Documents box's "store" buttons post it.
    """

    def __call__(self):
        if self.request.method == "POST":
            return self.store()
        if self.request.form.get("store"):
            self.request.response.setHeader("Allow", "POST")
            return self.refuse(405, STORE_ON_GET)
        return self.download()

    def download(self):
        form = self.request.form
        template = None
        try:
            template = generation.get_template(self.context, form.get("template", ""))
            generated = generation.render(self.context, template, form.get("output_format", "odt"))
        except generation.GenerationError as error:
            return self.error(error, template)
        return send(self.request.response, generated)

    def store(self):
        try:
            check_authenticator(self.request)
        except Forbidden:
            return self.refuse(403, EXPIRED)
        form = self.request.form
        template = None
        try:
            template = generation.get_template(self.context, form.get("template", ""))
            generation.check_store(self.context, template)
            generated = generation.render(self.context, template, form.get("output_format", "odt"))
            stored = generation.store(self.context, generated, template)
        except generation.GenerationError as error:
            return self.error(error, template)
        api.portal.show_message(
            _('The document is stored as "${title}".', mapping={"title": stored.Title()}),
            request=self.request,
        )
        self.request.response.redirect(self.context.absolute_url(), status=303)
        return ""

    def error(self, error, template):
        error.template = template
        self.request.response.setStatus(error.status)
        self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
        return error_message(error, self.request)

    def refuse(self, status, message):
        self.request.response.setStatus(status)
        self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
        return translate(message, context=self.request)
