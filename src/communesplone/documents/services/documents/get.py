"""GET ``@documents``: the templates usable on an object."""

from communesplone.documents.browser.viewlet import offers
from plone.restapi.services import Service
from zope.i18n import translate


class DocumentsGet(Service):
    def reply(self):
        items = offers(self.context)
        for item in items:
            for fmt in item["formats"]:
                fmt["label"] = translate(fmt["label"], context=self.request)
                fmt["@id"] = fmt.pop("url").replace("@@generate-document", "@generate-document")
        return {"@id": f"{self.context.absolute_url()}/@documents", "items": items}
