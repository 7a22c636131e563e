"""The councillor's file in the browser: an item's PDF, a meeting's page (build in
the background, progress, download), and the annexes' previews.

Nothing here writes on a GET: the meeting's build is started by a POST
(Plone's CSRF protection applies), the status is JSON read by the page,
the PDF of an item is made as it is asked for and not kept.
"""

from communesplone import _
from communesplone.meetings import councillor
from communesplone.meetings import previews
from communesplone.meetings.constants import ANNEX
from plone import api
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from Products.Five import BrowserView
from zExceptions import NotFound
from zExceptions import Unauthorized
from zope.i18n import translate

import json


def _pdf_response(request, data, name):
    response = request.response
    response.setHeader("Content-Type", "application/pdf")
    response.setHeader("Content-Length", str(len(data)))
    response.setHeader("Content-Disposition", f'inline; filename="{name}"')
    return data


class ItemCouncillorFile(BrowserView):
    """``@@councillor-file`` of an item: its PDF, made now, as the user sees it."""

    def __call__(self):
        try:
            data = councillor.item_pdf(self.context)
        except previews.ConversionError as error:
            self.request.response.setStatus(503)
            self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return translate(error.message, context=self.request)
        return _pdf_response(self.request, data, councillor.filename(self.context))


class MeetingCouncillorFile(BrowserView):
    """``@@councillor-file`` of a meeting: the page (GET) and the start of a build (POST)."""

    def allowed(self):
        return councillor.may_read_meeting(self.context)

    def __call__(self):
        if not self.allowed():
            raise Unauthorized(
                translate(
                    _("The councillor's file of a meeting is for those who may see all its items."),
                    context=self.request,
                )
            )
        if self.request.method == "POST" and self.request.form.get("build"):
            from plone.protect import CheckAuthenticator

            CheckAuthenticator(self.request)
            try:
                councillor.start(self.context)
                message, kind = _("The councillor's file is being built."), "info"
            except councillor.Busy:
                message, kind = (
                    _("A councillor's file of this meeting is already being built: wait for it."),
                    "warning",
                )
            api.portal.show_message(message, request=self.request, type=kind)
            self.request.response.redirect(f"{self.context.absolute_url()}/@@councillor-file")
            return ""
        return self.index()

    def status(self):
        return councillor.status(self.context)

    def status_url(self):
        return f"{self.context.absolute_url()}/@@councillor-file-status"

    def download_url(self):
        return f"{self.context.absolute_url()}/@@councillor-file-download"


class MeetingCouncillorStatus(BrowserView):
    """``@@councillor-file-status``: the build's progress, as JSON, for the page to poll."""

    def __call__(self):
        if not councillor.may_read_meeting(self.context):
            raise Unauthorized("councillor-file-status")
        status = councillor.status(self.context)
        if status["error"] is not None:
            status["error"] = translate(status["error"], context=self.request)
        status["percent"] = round(100 * status["done"] / status["total"]) if status["total"] else 0
        self.request.response.setHeader("Content-Type", "application/json")
        self.request.response.setHeader("Cache-Control", "no-store")
        return json.dumps(status)


class MeetingCouncillorDownload(BrowserView):
    """``@@councillor-file-download``: the stored file for what the user sees now."""

    def __call__(self):
        if not councillor.may_read_meeting(self.context):
            raise Unauthorized("councillor-file-download")
        file = councillor.stored_file(self.context)
        if file is None:
            raise NotFound(self.context, "councillor-file-download", self.request)
        set_headers(file, self.request.response, filename=file.filename)
        return stream_data(file)


class AnnexPreview(BrowserView):
    """``@@preview`` of an annex: its PDF preview (or the PDF itself), inline."""

    def __call__(self):
        annex = self.context
        if previews.kind(annex.file) == "pdf" and annex.preview_error is None:
            file = annex.file
        else:
            file = annex.preview
        if file is None:
            raise NotFound(annex, "preview", self.request)
        set_headers(file, self.request.response)
        self.request.response.setHeader(
            "Content-Disposition", f'inline; filename="{file.filename or "preview.pdf"}"'
        )
        return stream_data(file)


def annex_rows(item, request):
    """The annexes of ``item`` the user may see, for the item page:
    {"item": [...], "decision": [...]}, each with its type, icon, flags and preview."""
    from communesplone.meetings import annexes

    icons = item.restrictedTraverse("@@iconresolver")
    labels = {
        "to_print": _("To print"),
        "to_sign": _("To sign"),
        "signed": _("Signed"),
        "confidential": _("Confidential"),
    }
    result = {"item": [], "decision": []}
    for brain in api.content.find(
        portal_type=ANNEX,
        path={"query": "/".join(item.getPhysicalPath()), "depth": 1},
        sort_on="getObjPositionInParent",
    ):
        annex = brain.getObject()
        file = annex.file
        row = annexes.type_of(annex) or {}
        how = previews.kind(file)
        has_preview = previews.printable(annex)
        result["decision" if annex.decision_annex else "item"].append(
            {
                "title": brain.Title or (file.filename if file else brain.getId),
                "url": f"{brain.getURL()}/@@download/file",
                "page": brain.getURL(),
                "type": row.get("title") or annex.annex_type or "",
                "icon": icons.tag(row.get("icon") or "file-earmark", tag_class="annex-icon"),
                "flags": [
                    {"id": flag, "label": translate(label, context=request)}
                    for flag, label in labels.items()
                    if getattr(annex, flag, False)
                ],
                "confidential": bool(annex.confidential),
                "size": file.getSize() if file else None,
                "image": f"{brain.getURL()}/@@display-file/file" if how == "image" else None,
                "preview": f"{brain.getURL()}/@@preview"
                if has_preview and how != "image"
                else None,
                "preview_error": translate(annex.preview_error, context=request)
                if annex.preview_error
                else None,
            }
        )
    return result
