"""The "Documents" viewlet: the templates an object offers, with their formats."""

from communesplone.documents import generation
from communesplone.documents.formats import FORMATS
from plone.app.layout.viewlets import ViewletBase
from urllib.parse import urlencode


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

    def available(self):
        return bool(self.offers)
