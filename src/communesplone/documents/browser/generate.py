"""``@@generate-document``: stream a generated document, and optionally store it."""

from communesplone import _
from communesplone.documents import generation
from plone import api
from Products.Five import BrowserView
from urllib.parse import quote
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


class GenerateDocument(BrowserView):
    """``@@generate-document?template=<uid>&output_format=pdf[&store=1]``."""

    def __call__(self):
        form = self.request.form
        template = None
        try:
            template = generation.get_template(self.context, form.get("template", ""))
            generated = generation.render(self.context, template, form.get("output_format", "odt"))
            if form.get("store"):
                stored = generation.store(self.context, generated, template)
                api.portal.show_message(
                    _('The document is stored as "${title}".', mapping={"title": stored.Title()}),
                    request=self.request,
                )
        except generation.GenerationError as error:
            error.template = template
            self.request.response.setStatus(error.status)
            self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return error_message(error, self.request)
        return send(self.request.response, generated)
