"""GET ``@generate-document?template=<uid>&output_format=pdf``: the file itself."""

from communesplone.documents import generation
from communesplone.documents.browser.generate import error_message
from communesplone.documents.browser.generate import send
from plone.restapi.services import Service

import json


class GenerateDocumentGet(Service):
    def render(self):
        self.check_permission()
        form = self.request.form
        template = None
        try:
            template = generation.get_template(self.context, form.get("template", ""))
            generated = generation.render(self.context, template, form.get("output_format", "odt"))
        except generation.GenerationError as error:
            error.template = template
            self.request.response.setStatus(error.status)
            self.request.response.setHeader("Content-Type", "application/json")
            kind = "TemplateError" if isinstance(error, generation.TemplateError) else "BadRequest"
            message = error_message(error, self.request)
            return json.dumps({"error": {"type": kind, "message": message}})
        return send(self.request.response, generated)
