"""The councillor's file: an item, or a whole meeting, as one PDF to read and print.

For each item: a printable rendering of the item (number, title, service,
category, reference, motivation, decision if the reader may view it, its
advices, the list of its annexes to print), then the PDF of each of its
annexes marked "to print" (the file itself for a PDF, else its preview), in
their order. The item renderings are HTML converted to PDF by LibreOffice
(:func:`communesplone.meetings.previews.convert`); for a meeting, every item
in one conversion, split again by the bookmarks LibreOffice writes for the
items' headings. The parts are put together with pypdf, with one bookmark
per item and one below it per annex.

What it holds is what its reader may see: items, advices and annexes are
found through the catalog as that user (a confidential annex the user may
not view is left out), the decision only with "View decision". A meeting's
file is offered only to those who may view every item on its agenda
(:func:`may_read_meeting`).

The meeting's file is built in the background (:func:`start`): a thread with
its own ZODB connection, as the user who asked, one build at a time per
meeting, its progress committed on the meeting every few items and read by
the page (:func:`status`). The result is kept on the meeting under the
*fingerprint* of what it shows (the items, advices and annexes and their
modification times, as seen by the user who asked): every user who sees the
same gets that file, a user who sees more or less (or after a change) gets
another build. If the process stops during a build (a restart), the build's
record stays "running" without a heartbeat: after :data:`STALE` seconds the
page says it was interrupted and a new build may start.
"""

from communesplone import _
from communesplone.core.i18n import commune_language
from communesplone.meetings import agenda
from communesplone.meetings import previews
from communesplone.meetings.browser.body import service_title
from communesplone.meetings.constants import ADVICE
from communesplone.meetings.constants import ANNEX
from communesplone.meetings.constants import ITEM
from communesplone.meetings.constants import VIEW_DECISION
from datetime import datetime
from html import escape
from lxml import etree
from lxml import html as lxml_html
from persistent import Persistent
from persistent.mapping import PersistentMapping
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate

import hashlib
import io
import logging
import os
import pypdf
import socket
import threading
import time
import transaction


logger = logging.getLogger(__name__)

KEY = "communesplone.meetings.councillor_file"
STALE = 300  # seconds without a heartbeat after which a running build is taken as interrupted
HEARTBEAT = 2  # seconds between two commits of the progress
KEPT = 5  # files kept per meeting (for different readers or versions)
# Elements of rich text that a printed page does not take (and that would
# make LibreOffice fetch something).
DROPPED = ("img", "iframe", "object", "embed", "link", "script", "style", "video", "audio")


# What the file shows, as the current user sees it


def contents(items):
    """{item UID: {"advices": [...], "annexes": [...]}}: the advices, and the annexes
    marked "to print", of ``items`` that the current user may view, in their order.

    Two catalog queries for all the items (the catalog filters by permission,
    so the objects are then taken without traversing again).
    """
    result = {item.UID(): {"advices": [], "annexes": []} for item in items}
    if not items:
        return result
    by_path = {"/".join(item.getPhysicalPath()): item.UID() for item in items}
    for portal_type, key in ((ADVICE, "advices"), (ANNEX, "annexes")):
        for brain in api.content.find(
            portal_type=portal_type,
            path={"query": list(by_path), "depth": 1},
            sort_on="getObjPositionInParent",
        ):
            uid = by_path.get(brain.getPath().rsplit("/", 1)[0])
            if uid is None:
                continue
            obj = brain._unrestrictedGetObject()
            if key == "annexes" and not obj.to_print:
                continue
            result[uid][key].append(obj)
    return result


def annexes_to_print(item):
    """The annexes of ``item`` marked "to print" that the current user may view, in order."""
    return contents([item])[item.UID()]["annexes"]


def visible_items(meeting):
    """The items of the meeting that the current user may view, in agenda order."""
    return [
        brain.getObject()
        for brain in api.content.find(
            portal_type=ITEM, meeting_uid=meeting.UID(), sort_on="item_number"
        )
    ]


def may_read_meeting(meeting):
    """May the current user view every item on the meeting's agenda?"""
    catalog = api.portal.get_tool("portal_catalog")
    query = {"portal_type": ITEM, "meeting_uid": meeting.UID()}
    return len(catalog(**query)) == len(catalog.unrestrictedSearchResults(**query))


def _stamp(obj):
    return f"{obj.UID()}@{obj.modified().micros()}"


def fingerprint(items, parts=None):
    """A checksum of what a file of ``items`` shows to the current user."""
    parts = parts if parts is not None else contents(items)
    digest = hashlib.sha256()
    for item in items:
        digest.update(_stamp(item).encode())
        digest.update(b"D" if api.user.has_permission(VIEW_DECISION, obj=item) else b"-")
        found = parts[item.UID()]
        for child in (*found["advices"], *found["annexes"]):
            digest.update(_stamp(child).encode())
    return digest.hexdigest()


# The item's printable rendering


def _rich(value):
    """The HTML of a rich text, without pictures or embedded content, its headings
    below the item's (so that LibreOffice's bookmarks are the items')."""
    if value is None or not value.raw:
        return ""
    output = value.output or ""
    if not output.strip():
        return ""
    fragment = lxml_html.fragment_fromstring(output, create_parent="div")
    for element in list(fragment.iter(*DROPPED)):
        element.drop_tree()
    for level in range(1, 7):
        for heading in fragment.iter(f"h{level}"):
            heading.tag = "h4" if level < 4 else f"h{level}"
    return etree.tostring(fragment, encoding="unicode", method="html")


def _t(message, language):
    return escape(translate(message, target_language=language))


def item_html(item, language, first=True, parts=None):
    """One item as HTML: a level-2 heading (the bookmark), its fields, texts,
    advices and the list of its annexes to print (``parts``: see :func:`contents`)."""
    found = (parts if parts is not None else contents([item]))[item.UID()]
    number = agenda.number_label(item.item_number)
    title = f"{number}. {item.Title()}" if number else item.Title()
    style = "" if first else ' style="page-break-before: always"'
    parts = [f"<h2{style}>{escape(title)}</h2>"]
    body = item.aq_parent
    rows = [
        (_("Service"), service_title(item.service)),
        (
            _("Category"),
            body.category_title(item.category) if item.category and body is not None else "",
        ),
        (_("Reference"), item.reference or ""),
    ]
    parts.append("<table>")
    for label, value in rows:
        if value:
            parts.append(
                f"<tr><th align='left'>{_t(label, language)}</th><td>{escape(value)}</td></tr>"
            )
    parts.append("</table>")
    motivation = _rich(item.motivation)
    if motivation:
        parts.append(f"<h3>{_t(_('Motivation'), language)}</h3>{motivation}")
    if api.user.has_permission(VIEW_DECISION, obj=item):
        decision = _rich(item.decision)
        if decision:
            parts.append(f"<h3>{_t(_('Decision'), language)}</h3>{decision}")
    advices = found["advices"]
    if advices:
        from communesplone.meetings import vocabularies

        parts.append(f"<h3>{_t(_('Advices'), language)}</h3>")
        for advice in advices:
            terms = vocabularies.advice_types(None)
            kind = (
                terms.getTerm(advice.advice_type).title
                if advice.advice_type in terms
                else advice.advice_type or ""
            )
            state = api.content.get_state(advice)
            given = advice.given_on.strftime("%d/%m/%Y") if advice.given_on else ""
            parts.append(
                f"<p><b>{escape(service_title(advice.service))}</b> — "
                f"{escape(translate(kind, target_language=language))}"
                f"{' — ' + escape(given) if given and state == 'advice_given' else ''}</p>"
            )
            if advice.comment:
                parts.append(f"<p>{escape(advice.comment)}</p>")
    annexes = found["annexes"]
    if annexes:
        parts.append(f"<h3>{_t(_('Annexes'), language)}</h3><ul>")
        for annex in annexes:
            note = ""
            if not previews.printable(annex):
                note = " — " + _t(_("not printable: see the annex"), language)
            parts.append(f"<li>{escape(annex.Title() or annex.getId())}{note}</li>")
        parts.append("</ul>")
    return "".join(parts)


def _document(chunks, title):
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>{''.join(chunks)}</body></html>"
    )


def _render(items, title, language, parts):
    """The items' renderings as one PDF reader, and the first page of each item."""
    chunks = [
        item_html(item, language, first=index == 0, parts=parts) for index, item in enumerate(items)
    ]
    data = previews.convert(_document(chunks, title).encode("utf-8"), "html")
    reader = pypdf.PdfReader(io.BytesIO(data))
    starts = [
        reader.get_destination_page_number(entry)
        for entry in reader.outline
        if not isinstance(entry, list)
    ]
    if len(starts) != len(items) or starts != sorted(starts):
        # A heading LibreOffice did not bookmark: convert the items one by one.
        logger.warning("Councillor's file: %d bookmarks for %d items", len(starts), len(items))
        return None, None
    return reader, starts


# Putting it together


def _append_item(writer, item, pages, annexes, parent=None):
    """Add the item's pages (a reader and a range) and its annexes; bookmark them."""
    reader, start, end = pages
    first = len(writer.pages)
    writer.append(reader, pages=(start, end), import_outline=False)
    number = agenda.number_label(item.item_number)
    title = f"{number}. {item.Title()}" if number else item.Title()
    mark = writer.add_outline_item(title, first, parent=parent)
    for annex in annexes:
        data = previews.pdf_of(annex)
        if data is None:
            continue
        try:
            annex_reader = previews.read_pdf(data)
        except previews.ConversionError:
            continue
        position = len(writer.pages)
        writer.append(annex_reader, import_outline=False)
        writer.add_outline_item(annex.Title() or annex.getId(), position, parent=mark)
    return mark


def _output(writer, title):
    writer.add_metadata({"/Title": title, "/Producer": "CommunesPlone"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def item_pdf(item):
    """The councillor's file of one item, as PDF bytes (as the current user sees it)."""
    language = commune_language()
    parts = contents([item])
    data = previews.convert(
        _document([item_html(item, language, parts=parts)], item.Title()).encode("utf-8"), "html"
    )
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter()
    _append_item(writer, item, (reader, 0, len(reader.pages)), parts[item.UID()]["annexes"])
    return _output(writer, item.Title())


def meeting_pdf(meeting, progress=None):
    """The councillor's file of a meeting as PDF bytes: every item the current
    user sees, in agenda order, each with its annexes to print.

    ``progress(done, total)`` is called as the items are added.
    """
    language = commune_language()
    items = visible_items(meeting)
    total = len(items)
    if progress:
        progress(0, total)
    writer = pypdf.PdfWriter()
    if not items:
        writer.add_blank_page(595, 842)
        return _output(writer, meeting.Title())
    parts = contents(items)
    reader, starts = _render(items, meeting.Title(), language, parts)
    for index, item in enumerate(items):
        if reader is not None:
            end = starts[index + 1] if index + 1 < len(items) else len(reader.pages)
            pages = (reader, starts[index], end)
        else:
            single = previews.convert(
                _document([item_html(item, language, parts=parts)], item.Title()).encode("utf-8"),
                "html",
            )
            single_reader = pypdf.PdfReader(io.BytesIO(single))
            pages = (single_reader, 0, len(single_reader.pages))
        _append_item(writer, item, pages, parts[item.UID()]["annexes"])
        if progress:
            progress(index + 1, total)
    return _output(writer, meeting.Title())


def filename(obj):
    prefix = translate(_("Councillor's file"), target_language=commune_language())
    return f"{prefix} {obj.Title()}.pdf".replace("/", "-")


# The meeting's file in the background


class Job(Persistent):
    """The build of a meeting's file under way or last done (one per meeting)."""

    state = "none"  # running, done, failed
    fingerprint = None
    user = None
    started = None
    heartbeat = 0.0  # time.time() of the last progress committed
    done = 0
    total = 0
    error = None
    owner = None  # "host:pid" of the process building it


class Result(Persistent):
    def __init__(self, file, user, built):
        self.file = file
        self.user = user
        self.built = built


def _storage(meeting, create=False):
    annotations = IAnnotations(meeting)
    storage = annotations.get(KEY)
    if storage is None and create:
        storage = annotations[KEY] = PersistentMapping({"job": Job(), "files": PersistentMapping()})
    return storage


def _owner():
    return f"{socket.gethostname()}:{os.getpid()}"


def _interrupted(job):
    return job.state == "running" and time.time() - job.heartbeat > STALE


def status(meeting):
    """{state, done, total, ready, error} of the meeting's file for the current user.

    ``state``: none, running (a build is under way, maybe for another
    reader), interrupted, failed or done (the last build); ``ready``: a file
    for what the user sees now exists.
    """
    storage = _storage(meeting)
    items = visible_items(meeting)
    mine = fingerprint(items)
    job = storage["job"] if storage is not None else Job()
    state = "interrupted" if _interrupted(job) else job.state
    ready = storage is not None and mine in storage["files"]
    return {
        "state": state,
        "done": job.done,
        "total": job.total,
        "mine": job.fingerprint == mine,
        "ready": ready,
        "error": job.error if state == "failed" and job.fingerprint == mine else None,
    }


def stored_file(meeting):
    """The stored file for what the current user sees now, or None."""
    storage = _storage(meeting)
    if storage is None:
        return None
    result = storage["files"].get(fingerprint(visible_items(meeting)))
    return result.file if result is not None else None


class Busy(Exception):
    """A build of this meeting's file is already under way."""


_threads = {}  # meeting path -> thread (the builds of this process, for tests)


def start(meeting):
    """Record a build of the meeting's file for the current user; it starts in a
    thread once this transaction is committed. Raise :class:`Busy` if one runs."""
    storage = _storage(meeting, create=True)
    job = storage["job"]
    if job.state == "running" and not _interrupted(job):
        raise Busy()
    job.state = "running"
    job.fingerprint = fingerprint(visible_items(meeting))
    job.user = api.user.get_current().getId()
    job.started = datetime.now()
    job.heartbeat = time.time()
    job.done = job.total = 0
    job.error = None
    job.owner = _owner()
    path = "/".join(meeting.getPhysicalPath())
    site_path = "/".join(api.portal.get().getPhysicalPath())
    database = meeting._p_jar.db()
    user_id = job.user

    def launch(committed):
        if committed:
            thread = threading.Thread(
                target=_work,
                args=(database, site_path, path, user_id),
                name=f"councillor-file {path}",
                daemon=True,
            )
            _threads[path] = thread
            thread.start()

    transaction.get().addAfterCommitHook(launch)


def wait(meeting, timeout=None):
    """Wait for this process's build of the meeting's file (tests, scripts)."""
    thread = _threads.get("/".join(meeting.getPhysicalPath()))
    if thread is not None:
        thread.join(timeout)


def _work(database, site_path, path, user_id):
    """The build, in its own thread and ZODB connection, as ``user_id``."""
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SecurityManagement import noSecurityManager
    from Testing.makerequest import makerequest
    from zope.component.hooks import setSite
    from zope.globalrequest import clearRequest
    from zope.globalrequest import setRequest

    manager = transaction.TransactionManager()
    connection = database.open(transaction_manager=manager)
    try:
        manager.begin()
        app = makerequest(connection.root()["Application"])
        setRequest(app.REQUEST)
        site = app.unrestrictedTraverse(site_path)
        setSite(site)
        user = site.acl_users.getUserById(user_id)
        if user is None:
            user = app.acl_users.getUserById(user_id)
            user = user.__of__(app.acl_users)
        else:
            user = user.__of__(site.acl_users)
        newSecurityManager(app.REQUEST, user)
        meeting = site.unrestrictedTraverse(path)
        last = [0.0]

        def progress(done, total):
            now = time.time()
            if done and done < total and now - last[0] < HEARTBEAT:
                return
            last[0] = now
            job = _storage(meeting)["job"]
            job.done, job.total, job.heartbeat = done, total, now
            manager.commit()

        try:
            items = visible_items(meeting)
            mine = fingerprint(items)
            data = meeting_pdf(meeting, progress)
        except Exception as error:
            logger.exception("Councillor's file of %s failed", path)
            manager.abort()
            job = _storage(meeting)["job"]
            job.state = "failed"
            message = getattr(error, "message", None)
            job.error = message or _("The councillor's file could not be built.")
            job.heartbeat = time.time()
            manager.commit()
            return
        storage = _storage(meeting)
        files = storage["files"]
        files[mine] = Result(
            NamedBlobFile(data, contentType="application/pdf", filename=filename(meeting)),
            user_id,
            datetime.now(),
        )
        for old in sorted(files, key=lambda key: files[key].built)[:-KEPT]:
            del files[old]
        job = storage["job"]
        job.state = "done"
        job.fingerprint = mine
        job.done = job.total
        job.heartbeat = time.time()
        manager.commit()
    except Exception:
        logger.exception("Councillor's file of %s: the build stopped", path)
        manager.abort()
    finally:
        noSecurityManager()
        setSite(None)
        clearRequest()
        connection.close()
