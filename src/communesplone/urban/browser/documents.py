"""Publishing a document of an inquiry with it, or keeping it with the staff.

A File in an inquiry is private (:func:`communesplone.urban.documents.document_added`),
the stored notice aside. The staff who may edit the inquiry publish another
document with it (a plan, the project's summary) or take it back, from the
document's page: ``@@urban-document-publicity`` (POST, with plone.protect's
token, ``public=1`` or ``public=0``). A published document is listed on
``@@enquetes-publiques`` and readable by everyone while the inquiry is
announced.
"""

from Acquisition import aq_inner
from Acquisition import aq_parent
from communesplone import _
from communesplone.urban import constants
from communesplone.urban import documents
from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.protect import CheckAuthenticator
from plone.protect import PostOnly
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import Forbidden


def _inquiry(document):
    container = aq_parent(aq_inner(document))
    return container if getattr(container, "portal_type", None) == constants.INQUIRY else None


def may_change(document):
    inquiry = _inquiry(document)
    return inquiry is not None and api.user.has_permission(constants.MODIFY, obj=inquiry)


class DocumentPublicity(BrowserView):
    """``@@urban-document-publicity``: publish a document with its inquiry, or not."""

    def __call__(self):
        PostOnly(self.request)
        CheckAuthenticator(self.request)
        document = aq_inner(self.context)
        if not may_change(document):
            raise Forbidden("Only the staff of the inquiry publish its documents.")
        if self.request.form.get("public") == "1":
            documents.make_public(document)
            message = _("The document is published with the inquiry.")
        else:
            documents.make_private(document, _inquiry(document))
            documents.make_not_public(document)
            message = _("The document is kept with the staff.")
        api.portal.show_message(message, request=self.request)
        return self.request.response.redirect(document.absolute_url() + "/view")


class PublicityViewlet(ViewletBase):
    """On a document of an inquiry, for its staff: whether it is public, and the button."""

    index = ViewPageTemplateFile("templates/document_publicity.pt")

    def available(self):
        return may_change(aq_inner(self.context))

    def public(self):
        return documents.IPublicDocument.providedBy(aq_inner(self.context))

    def render(self):
        return self.index() if self.available() else ""
