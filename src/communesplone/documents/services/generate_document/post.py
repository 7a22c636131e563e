"""POST ``@generate-document``: generate a document and store it in the object.

The JSON body: ``{"template": "<uid>", "format": "pdf", "store": true}``
(``"output_format"`` is accepted for ``"format"``, as in GET; the default is
``odt``). ``"store": true`` is required: POST stores, GET downloads. The
answer is 201, with the stored File's URL in ``Location`` and ``@id``.
"""

from communesplone import _
from communesplone.documents import generation
from communesplone.documents.services.generate_document.errors import error_reply
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zope.interface import alsoProvides

import json


class GenerateDocumentPost(Service):
    def render(self):
        self.check_permission()
        # A JSON API request, as plone.restapi's own POST services: CSRF
        # protection does not apply (a cross-site form cannot send it).
        alsoProvides(self.request, IDisableCSRFProtection)
        template = None
        try:
            data = self.body()
            template = generation.get_template(self.context, data["template"])
            generation.check_store(self.context, template)
            generated = generation.render(self.context, template, data["format"])
            stored = generation.store(self.context, generated, template)
        except generation.GenerationError as error:
            return error_reply(self.request, error, template)
        url = stored.absolute_url()
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", url)
        self.request.response.setHeader("Content-Type", "application/json")
        return json.dumps(
            {
                "@id": url,
                "title": stored.Title(),
                "filename": generated.filename,
                "content-type": generated.mimetype,
                "size": len(generated.data),
            }
        )

    def body(self):
        """``{"template", "format"}`` from the request, or GenerationError (400)."""
        try:
            data = json_body(self.request)
        except Exception:
            data = None
        if not isinstance(data, dict):
            raise generation.GenerationError(
                _('Send a JSON object: {"template": "<uid>", "format": "pdf", "store": true}.')
            )
        if data.get("store") is not True:
            raise generation.GenerationError(
                _(
                    'POST to @generate-document stores the document: send "store": true '
                    "(GET downloads it)."
                )
            )
        template = data.get("template")
        if not isinstance(template, str) or not template:
            raise generation.GenerationError(_('Give the template\'s UID as "template".'))
        output_format = data.get("format", data.get("output_format", "odt"))
        if not isinstance(output_format, str):
            raise generation.GenerationError(_('Give the format as "format", for example "pdf".'))
        return {"template": template, "format": output_format}
