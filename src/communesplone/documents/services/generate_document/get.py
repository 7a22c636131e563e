"""GET ``@generate-document?template=<uid>&output_format=pdf``: the file itself."""

from communesplone import _
from communesplone.documents import generation
from communesplone.documents.browser.generate import send
from communesplone.documents.services.generate_document.errors import error_reply
from plone.restapi.services import Service


STORE_ON_GET = _(
    'GET does not store a document: POST to @generate-document with "store": true. '
    "Nothing was stored."
)


class GenerateDocumentGet(Service):
    def render(self):
        self.check_permission()
        form = self.request.form
        if form.get("store"):
            self.request.response.setHeader("Allow", "POST")
            return error_reply(self.request, generation.GenerationError(STORE_ON_GET, status=405))
        template = None
        try:
            template = generation.get_template(self.context, form.get("template", ""))
            generated = generation.render(self.context, template, form.get("output_format", "odt"))
        except generation.GenerationError as error:
            return error_reply(self.request, error, template)
        return send(self.request.response, generated)
