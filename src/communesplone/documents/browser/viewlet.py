"""The "Documents" viewlet: the templates an object offers, with their formats.

A link per format downloads the document; where the template allows it and
the user may add a file here, a "store" button per format posts the form
(with plone.protect's CSRF token) that stores it in the object.
"""

from communesplone import _
from communesplone.documents import generation
from communesplone.documents.formats import FORMATS
from plone.app.layout.viewlets import ViewletBase
from plone.protect.authenticator import createToken
from urllib.parse import urlencode
from zope.i18n import translate


def offers(obj):
    """[{uid, title, formats: [{format, label, url}], storable}] for ``obj``."""
    base = f"{obj.absolute_url()}/@@generate-document"
    result = []
    for template in generation.templates_for(obj):
        uid = template.UID()
        result.append(
            {
                "uid": uid,
                "title": template.Title(),
                "storable": generation.can_store(obj, template),
                "formats": [
                    {
                        "format": fmt,
                        "label": FORMATS[fmt][0],
                        "url": f"{base}?{urlencode({'template': uid, 'output_format': fmt})}",
                    }
                    for fmt in template.output_formats
                    if fmt in FORMATS
                ],
            }
        )
    return result


class DocumentsViewlet(ViewletBase):
    def update(self):
        super().update()
        self.offers = offers(self.context)
        self.action = f"{self.context.absolute_url()}/@@generate-document"
        self.token = ""
        for offer in self.offers:
            if offer["storable"]:
                self.token = self.token or createToken()
                for fmt in offer["formats"]:
                    label = translate(fmt["label"], context=self.request)
                    fmt["store_title"] = translate(
                        _("Store the ${format} document in this object", mapping={"format": label}),
                        context=self.request,
                    )

    def available(self):
        return bool(self.offers)
