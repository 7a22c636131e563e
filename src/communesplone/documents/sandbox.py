"""What a template may do: the evaluator, the names it gets from appy, and the
files it may include.

A POD template is code written by a template manager and run as the user who
generates the document. It must show that user what they may view, and
nothing else: no file of the server, no URL fetched by the server.

- Expressions are evaluated by appy's RestrictedPython evaluator with Zope's
  guards, as a Python Script would be (:func:`evaluator`).
- appy's own objects get no exemption from the guards: a template reads only
  the attributes listed in :data:`LOOP_ATTRIBUTES`, of the ``loop`` variables.
- Of the names appy puts in a template's context, only :data:`APPY_NAMES` are
  kept. ``image``, ``document`` and ``pod`` are replaced by guarded versions
  that take content the user may view (an image or file field, or another
  template by UID), never a path or a URL; ``xhtml`` refuses ``inject``.
- Images in rich text (``<img src>``) are read from the site as the user;
  anything else is not fetched: appy's "image not found" picture stands in.
- The rendered package may not link to anything outside itself (a linked
  section, image or table, a DDE link): LibreOffice would read it when it
  converts the document.

Every refusal raises :class:`Refused`, which names the expression and which
appy's error handling (and ``expression | fallback``) cannot swallow.
"""

from AccessControl import Unauthorized
from AccessControl.ZopeGuards import get_safe_globals
from AccessControl.ZopeGuards import guarded_getattr as zope_guarded_getattr
from AccessControl.ZopeGuards import guarded_getitem as zope_guarded_getitem
from AccessControl.ZopeGuards import guarded_iter as zope_guarded_iter
from appy.pod import renderer as appy_renderer
from appy.pod.doc_importers import ImageImporter
from appy.pod.restricted import Evaluator as AppyEvaluator
from communesplone import _
from lxml import etree
from urllib.parse import unquote
from urllib.parse import urlsplit
from zope.i18n import translate

import base64
import functools
import inspect
import io
import logging
import os
import re
import zipfile


logger = logging.getLogger(__name__)

# The names appy gives a template, beside the object's own names (``context``,
# ``helper``…). Anything else appy adds (in this version or a later one) is
# removed from the context. ``image``, ``document``, ``pod`` and ``xhtml`` are
# replaced by the guarded versions of :class:`Renderer`.
APPY_NAMES = (
    "xhtml",  # rich text (XHTML) to ODF; inject=True refused
    "text",  # plain text to ODF paragraphs
    "image",  # an image field (guarded)
    "document",  # an image or OpenDocument text field (guarded)
    "pod",  # another template, by UID (guarded)
    "cell",  # a spreadsheet cell
    "shape",  # a drawn shape
    "pageBreak",
    "columnBreak",
    "TableProperties",  # styles mappings for xhtml()
    "BulletedProperties",
    "NumberedProperties",
    "GraphicProperties",  # charts of spreadsheet templates
    "PIPE",  # a literal "|"
    "SEMICOLON",  # a literal ";"
)
# appy's own entries of the context; their names start with "_", which
# RestrictedPython refuses in an expression.
APPY_INTERNALS = ("_eval_", "_ctx_")

# What a template may read of appy's objects: inside "do … for x in …",
# ``loop.x`` and these attributes of it. Nothing else of any object whose
# class comes from appy (the loop's ``buffer`` leads to the renderer).
LOOP_ATTRIBUTES = frozenset(("nb", "first", "last", "length", "odd", "even", "previous"))

# The options of the guarded functions; "at", "content" and "convertOptions"
# are never among them.
IMAGE_OPTIONS = frozenset(("size", "sizeUnit", "maxWidth", "maxHeight", "keepRatio"))
DOCUMENT_OPTIONS = IMAGE_OPTIONS | {"anchor", "wrapInPara", "pageBreakBefore", "pageBreakAfter"}
POD_OPTIONS = frozenset(
    ("context", "pageBreakBefore", "pageBreakAfter", "managePageStyles", "resolveFields")
)

IMAGE_KINDS = ("png", "jpg", "gif")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
UID = re.compile(r"^[0-9a-f]{32}$")

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
# Links that LibreOffice never follows on its own: hyperlinks.
HYPERLINKS = frozenset((f"{{{TEXT}}}a", f"{{{DRAW}}}a"))
DDE = frozenset(
    (
        f"{{{OFFICE}}}dde-source",
        f"{{{TEXT}}}dde-connection-decl",
        f"{{{TEXT}}}dde-connection",
        f"{{{TABLE}}}dde-link",
    )
)
# meta.xml's links to the document's template and to a page to reload from:
# metadata, removed rather than refused (documents made from a .ott have one).
META_LINKS = (f"{{{META}}}template", f"{{{META}}}auto-reload")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class Refused(BaseException):
    """A template tried what templates may not do.

    ``message`` is translatable; ``expression`` the expression that tried, when
    there is one. A BaseException, so that neither appy's error handling nor a
    template's ``expression | fallback`` catches it: the generation stops.
    """

    def __init__(self, message, expression=None):
        super().__init__(message)
        self.message = message
        self.expression = expression

    def __str__(self):
        text = translate(self.message)
        return f"{self.expression}: {text}" if self.expression else text


# Guards ---------------------------------------------------------------------


def _is_appy(obj):
    return _appy_class(obj if isinstance(obj, type) else type(obj))


@functools.lru_cache(maxsize=512)
def _appy_class(cls):
    return any((klass.__module__ or "").startswith("appy.") for klass in cls.__mro__)


def _loop_value(obj, name):
    """``loop.x`` and ``loop.x.nb``…: the only attributes of appy's objects."""
    values = vars(obj) if type(obj).__module__ == "appy.model.utils" else None
    if values is not None and isinstance(name, str):
        if "_all_" in values:  # the "loop" object: one entry per running loop
            value = values.get(name)
            if _is_loop(value):
                return value
        elif _is_loop(obj) and name in LOOP_ATTRIBUTES:
            return values.get(name)
    raise Refused(
        _(
            'Templates may not use "${name}" of appy\'s objects; of a loop, they may '
            "read nb, first, last, length, odd, even and previous (loop.x.nb).",
            mapping={"name": str(name)},
        )
    )


def _is_loop(obj):
    return type(obj).__module__ == "appy.model.utils" and "buffer" in vars(obj)


_marker = object()


def guarded_getattr(obj, name, default=_marker):
    """Zope's guard; of appy's objects, only the loops' :data:`LOOP_ATTRIBUTES`."""
    if _is_appy(obj):
        return _loop_value(obj, name)
    if default is _marker:
        return zope_guarded_getattr(obj, name)
    return zope_guarded_getattr(obj, name, default)


def guarded_hasattr(obj, name):
    try:
        guarded_getattr(obj, name)
    except (AttributeError, Unauthorized, TypeError):
        return False
    return True


def guarded_getitem(obj, key):
    if _is_appy(obj):
        return _loop_value(obj, key)
    return zope_guarded_getitem(obj, key)


def _refuse_appy(obj, message):
    if _is_appy(obj):
        raise Refused(message)


ITERATE = _("Templates may not iterate over appy's objects.")
CHANGE = _("Templates may not change appy's objects.")


def guarded_iter(*args):
    if args:
        _refuse_appy(args[0], ITERATE)
    return zope_guarded_iter(*args)


def guarded_write(obj):
    _refuse_appy(obj, CHANGE)
    return _SAFE_GLOBALS["_write_"](obj)


def guarded_setattr(obj, name, value):
    _refuse_appy(obj, CHANGE)
    return _SAFE_BUILTINS["setattr"](obj, name, value)


def guarded_delattr(obj, name):
    _refuse_appy(obj, CHANGE)
    return _SAFE_BUILTINS["delattr"](obj, name)


_SAFE_GLOBALS = get_safe_globals()
_SAFE_BUILTINS = _SAFE_GLOBALS["__builtins__"]


class Evaluator(AppyEvaluator):
    """appy's RestrictedPython evaluator; a refusal gets the expression."""

    def run(self, expr, context):
        try:
            return super().run(expr, context)
        except Refused as refused:
            if refused.expression is None:
                refused.expression = expr
            raise


def guards():
    """The globals of an expression: Zope's Python Script guards, and ours."""
    names = get_safe_globals()
    builtins = dict(names["__builtins__"])
    builtins.update(
        getattr=guarded_getattr,
        hasattr=guarded_hasattr,
        setattr=guarded_setattr,
        delattr=guarded_delattr,
        iter=guarded_iter,
        _getattr_=guarded_getattr,
    )
    names.update(
        __builtins__=builtins,
        _getattr_=guarded_getattr,
        _getitem_=guarded_getitem,
        _getiter_=guarded_iter,
        _write_=guarded_write,
    )
    return names


def evaluator():
    """The evaluator of every template: RestrictedPython with :func:`guards`."""
    return Evaluator(custom=guards())


# What a template may include --------------------------------------------------


def kind(data):
    """ "png", "jpg", "gif" or "odt" from the first bytes of ``data``, else None.

    The bytes decide, not the declared content type: an SVG or any other file
    renamed ``.png`` is none of these.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if archive.read("mimetype").strip() == ODT_MIMETYPE:
                    return "odt"
        except (zipfile.BadZipFile, KeyError):
            return None
    return None


def _looks_like_location(text):
    return any(char in text for char in "/\\:") or text.startswith((".", "~"))


def _refused_source(function, source):
    if isinstance(source, str) and _looks_like_location(source.strip()):
        return Refused(
            _(
                '"${source}" is a path or a URL: templates may not read files of the '
                "server nor fetch URLs. Give ${function}() an image or file field of "
                "content, or its UID.",
                mapping={"source": source.strip()[:200], "function": function},
            )
        )
    shown = source.strip()[:200] if isinstance(source, str) else type(source).__name__
    return Refused(
        _(
            "${function}() takes an image or file field, content holding one, or its "
            'UID; "${source}" is none of these.',
            mapping={"function": function, "source": shown},
        )
    )


def check_options(function, options, allowed):
    """Refuse ``at``, ``content``, ``convertOptions`` and any option not ``allowed``."""
    for name in sorted(options):
        if name == "at":
            raise Refused(
                _(
                    "${function}(at=…) would read a file of the server or fetch a URL: "
                    "templates may not. Give it an image or file field of content.",
                    mapping={"function": function},
                )
            )
        if name == "convertOptions":
            raise Refused(
                _(
                    "${function}(convertOptions=…) would run an image converter on the "
                    "server: templates may not.",
                    mapping={"function": function},
                )
            )
        if name not in allowed:
            raise Refused(
                _(
                    '${function}() has no option "${option}" in templates.',
                    mapping={"function": function, "option": name},
                )
            )


def _file_value(value):
    from plone.namedfile.interfaces import INamedFile

    return INamedFile.providedBy(value)


def _content(function, source):
    """The content object ``source`` (an object or its UID), viewable by the user."""
    from plone import api
    from plone.dexterity.interfaces import IDexterityContent

    if IDexterityContent.providedBy(source):
        obj = source
    elif isinstance(source, str) and UID.match(source.strip()):
        brains = api.portal.get_tool("portal_catalog")(UID=source.strip())
        obj = None
        for brain in brains:
            try:
                obj = brain.getObject()
            except (Unauthorized, AttributeError, KeyError):
                obj = None
        if obj is None:
            raise Refused(
                _(
                    'No content that you may view has the UID "${uid}".',
                    mapping={"uid": source.strip()},
                )
            )
    else:
        raise _refused_source(function, source)
    if not api.user.has_permission("View", obj=obj):
        raise Refused(
            _(
                "You may not view the content given to ${function}().",
                mapping={"function": function},
            )
        )
    return obj


def file_of(function, source, field=None):
    """The file or image value that ``source`` designates, read as the user.

    ``source`` is a file or image value (``helper.raw(context, 'image')``), a
    content object, or its UID; ``field`` names the content's field (default:
    its primary field, ``image`` of an Image, ``file`` of a File).
    """
    if _file_value(source):
        if field is not None:
            raise _refused_source(function, field)
        return source
    obj = _content(function, source)
    name = field
    if name is None:
        from plone.rfc822.interfaces import IPrimaryFieldInfo

        try:
            name = IPrimaryFieldInfo(obj).fieldname
        except TypeError:
            name = None
        if name is None:
            raise Refused(
                _(
                    "${function}() needs the name of the image or file field of this content.",
                    mapping={"function": function},
                )
            )
    try:
        value = zope_guarded_getattr(obj, str(name), None)
    except Unauthorized:
        raise Refused(
            _('You may not read the field "${field}".', mapping={"field": str(name)})
        ) from None
    if not _file_value(value):
        raise Refused(
            _('The field "${field}" holds no image or file.', mapping={"field": str(name)})
        )
    return value


def _refused_kind(function, value):
    filename = getattr(value, "filename", None) or ""
    if function == "image":
        message = _(
            'image() takes PNG, JPEG or GIF images; "${filename}" is not one.',
            mapping={"filename": filename},
        )
    else:
        message = _(
            "document() takes PNG, JPEG or GIF images and OpenDocument texts (.odt); "
            '"${filename}" is not one.',
            mapping={"filename": filename},
        )
    return Refused(message)


# Links out of the document ------------------------------------------------------


def _outside(href):
    """Whether ``href`` points out of the document's own package."""
    href = href.strip()
    if not href or href.startswith("#"):
        return False
    if href.startswith("./"):
        href = href[2:]
    if SCHEME.match(href) or href.startswith(("/", "\\")):
        return True
    return "\\" in href or "%" in href or ".." in href.split("/")


def links(name, data, trusted=()):
    """The links of the XML ``data`` that LibreOffice would follow out of the package.

    Hyperlinks (``text:a``) are not followed. ``trusted`` links are those that
    appy's importers wrote for :meth:`Renderer.document` and :meth:`Renderer.pod`.
    """
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return [name]
    found = []
    for element in root.iter():
        if element.tag in DDE:
            found.append("DDE")
            continue
        href = element.get(XLINK_HREF)
        if href and element.tag not in HYPERLINKS and href not in trusted and _outside(href):
            found.append(href)
    return found


def _strip_meta_links(path):
    with open(path, "rb") as stream:
        root = etree.fromstring(stream.read(), parser=etree.XMLParser(resolve_entities=False))
    removed = False
    for tag in META_LINKS:
        for element in list(root.iter(tag)):
            element.getparent().remove(element)
            removed = True
    if removed:
        with open(path, "wb") as stream:
            stream.write(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def refused_links(found):
    shown = ", ".join(sorted(set(found)))[:300]
    return Refused(
        _(
            'The template links to "${links}", outside the document: templates may not '
            "read files of the server nor fetch URLs. Embed the file in the template "
            "instead of linking to it.",
            mapping={"links": shown},
        )
    )


def check_package(data):
    """Refuse the OpenDocument package ``data`` (bytes) if it links outside itself."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml") and not name.startswith(("META-INF/", "meta.xml")):
                found.extend(links(name, archive.read(name)))
    if found:
        raise refused_links(found)


# The renderer -----------------------------------------------------------------


class Renderer(appy_renderer.Renderer):
    """appy's renderer with the template's names, functions and links guarded.

    Beside appy's options:

    ``find_template``
        A function of a UID returning the template that ``pod()`` may include
        (or None); without it, ``pod()`` is refused.
    ``connect``
        A function returning appy's LibreOffice options (``ooServer``…), called
        when LibreOffice turns out to be needed and the renderer has none.
    ``chain``
        The UIDs of the templates being rendered, outermost first (no
        template includes itself).
    """

    def __init__(
        self,
        template,
        context,
        result,
        find_template=None,
        connect=None,
        chain=(),
        **options,
    ):
        self.find_template = find_template
        self.connect = connect
        self.chain = tuple(chain)
        self.trusted = set()
        self.refusal = None
        self._chains = {}
        options.setdefault("evaluator", evaluator())
        finalize = options.pop("finalizeFunction", None) or []
        if not isinstance(finalize, (list, tuple)):
            finalize = [finalize]
        options["finalizeFunction"] = [self._check_links, *finalize]
        super().__init__(template, context, result, **options)

    # The context ---------------------------------------------------------

    def getCompleteContext(self, context):
        names = super().getCompleteContext(context)
        given = context if isinstance(context, dict) else getattr(context, "__dict__", {})
        custom = getattr(self.evaluator, "custom", None) or {}
        kept = set(given) | set(APPY_NAMES) | set(APPY_INTERNALS) | set(custom)
        for name in list(names):
            if name not in kept:
                del names[name]
        names.update(
            image=self.guarded_image,
            document=self.guarded_document,
            pod=self.guarded_pod,
            xhtml=self.guarded_xhtml,
        )
        return names

    def clone(self, template, context, result, **params):
        for name in appy_renderer.Renderer.cloneAttributes:
            params.setdefault(name, getattr(self, name))
        return type(self)(
            template,
            context,
            result,
            find_template=self.find_template,
            connect=self.connect,
            chain=self._chains.get(template, self.chain),
            **params,
        )

    # The functions a template calls ---------------------------------------

    def guarded_image(self, source=None, field=None, **options):
        """``image(source, field=None, size=…, …)``: an image field, as a character."""
        check_options("image", options, IMAGE_OPTIONS)
        value = file_of("image", source, field)
        data = value.data
        found = kind(data)
        if found not in IMAGE_KINDS:
            raise _refused_kind("image", value)
        return appy_renderer.Renderer.importImage(self, content=data, format=found, **options)

    def guarded_document(self, source=None, field=None, **options):
        """``do … from document(source, field=None, …)``: an image or an ODT text."""
        check_options("document", options, DOCUMENT_OPTIONS)
        value = file_of("document", source, field)
        data = value.data
        found = kind(data)
        if found not in (*IMAGE_KINDS, "odt"):
            raise _refused_kind("document", value)
        if found == "odt":
            check_package(data)
            self._connect()
        chunk = appy_renderer.Renderer.importDocument(self, content=data, format=found, **options)
        self._trust(chunk)
        return chunk

    def guarded_pod(self, source=None, **options):
        """``do … from pod(uid)``: the result of another template, by UID."""
        check_options("pod", options, POD_OPTIONS)
        uid = source.strip() if isinstance(source, str) else None
        if uid is None or not UID.match(uid):
            raise _refused_source("pod", source)
        names = options.get("context", {})
        if not isinstance(names, dict) or any(
            not isinstance(name, str) or name.startswith("_") for name in names
        ):
            raise Refused(_('pod(context=…) takes a dict of names that do not start with "_".'))
        if uid in self.chain:
            raise Refused(_("A template may not include itself."))
        template = self.find_template(uid) if self.find_template else None
        if template is None or template.kind() != "odt":
            raise Refused(
                _(
                    'No text template with UID "${uid}" may be included here.',
                    mapping={"uid": uid},
                )
            )
        self._connect()
        path = os.path.join(self.tempFolder, f"pod-{uid}.odt")
        if not os.path.exists(path):
            with open(path, "wb") as stream:
                stream.write(template.odt_file.data)
        self._chains[path] = (*self.chain, uid)
        chunk = appy_renderer.Renderer.importPod(self, at=path, **options)
        self._trust(chunk)
        return chunk

    def guarded_xhtml(self, s, *args, **options):
        """``xhtml(…)``, without ``inject`` (which fetches URLs)."""
        bound = inspect.signature(self.renderXhtml).bind(s, *args, **options)
        if bound.arguments.get("inject"):
            raise Refused(_("xhtml(inject=True) would fetch URLs: templates may not."))
        return self.renderXhtml(s, *args, **options)

    # appy's own entry points ------------------------------------------------

    def importDocument(self, content=None, at=None, format=None, **options):
        """appy's importer, reached by the images of rich text (``<img src>``).

        ``at`` is read only as an image of the site that the user may view;
        any other is not fetched, and appy's "image not found" stands in.
        """
        if at is not None:
            content, format = _site_image(at)
            options.pop("convertOptions", None)
        return super().importDocument(content=content, format=format, **options)

    def importPod(self, *args, **kwargs):
        raise Refused(_("Templates include other templates with pod(uid)."))

    def callLibreOffice(self, resultName, format=None, outputName=None):
        if self.refusal is not None:
            raise self.refusal
        own = os.path.join(self.tempFolder, f"result.{self.templateType}")
        if resultName != own:
            raise Refused(_("Templates may not convert files on the server."))
        self._connect()
        return super().callLibreOffice(resultName, format=format, outputName=outputName)

    def run(self):
        super().run()
        if self.refusal is not None:
            raise self.refusal

    # Helpers ------------------------------------------------------------------

    def _connect(self):
        if self.loPool is None and self.connect is not None:
            options = self.connect()
            self.loPool = appy_renderer.LoPool.get(
                options.get("pythonWithUnoPath"), options["ooServer"], options["ooPort"]
            )
            self.stream = options.get("stream", self.stream)

    def _trust(self, chunk):
        self.trusted.update(re.findall(r'xlink:href="(file://[^"]+)"', chunk or ""))

    def _check_links(self, unzipped, renderer):
        """appy's finalize hook: note links out of the package (appy ignores
        what a hook raises; ``callLibreOffice`` and ``run`` raise it)."""
        try:
            meta = os.path.join(unzipped, "meta.xml")
            if os.path.exists(meta):
                _strip_meta_links(meta)
            found = []
            for folder, _dirs, files in os.walk(unzipped):
                for filename in files:
                    path = os.path.join(folder, filename)
                    relative = os.path.relpath(path, unzipped)
                    if not filename.endswith(".xml") or relative.startswith("META-INF"):
                        continue
                    with open(path, "rb") as stream:
                        found.extend(links(relative, stream.read(), self.trusted))
            if found:
                self.refusal = refused_links(found)
        except Exception:
            logger.exception("Checking the links of a generated document failed")
            self.refusal = Refused(_("The generated document could not be checked."))


def _not_found():
    with open(ImageImporter.imageNotFound, "rb") as stream:
        return stream.read(), "jpg"


def _site_image(src):
    """(bytes, format) of the image ``src`` of rich text, read as the user."""
    src = (src or "").strip()
    if src.startswith("data:"):
        try:
            data = base64.b64decode(src.split(",", 1)[1], validate=False)
        except (IndexError, ValueError):
            return _not_found()
        found = kind(data)
        return (data, found) if found in IMAGE_KINDS else _not_found()
    try:
        value = _traverse_image(src)
    except (Exception, Refused):  # a broken or private reference: not this user's image
        logger.info("Image %r of rich text left out of a document", src[:200])
        value = None
    if value is None:
        return _not_found()
    data = value.data
    found = kind(data)
    return (data, found) if found in IMAGE_KINDS else _not_found()


def _traverse_image(src):
    """The image value at ``src``, a URL or path of this site, traversed as the user.

    ``<content>``, ``<content>/@@images/<field>[/<scale>]``,
    ``<content>/@@images/<scale uid>.<ext>``, ``<content>/@@download/<field>``,
    ``<content>/image_<scale>``, and ``resolveuid/<uid>/…``.
    """
    from plone import api

    portal = api.portal.get()
    base = urlsplit(portal.absolute_url())
    url = urlsplit(src)
    if (url.scheme or url.netloc) and (url.scheme, url.netloc) != (base.scheme, base.netloc):
        return None
    path = unquote(url.path)
    if "resolveuid/" in path:
        uid, _sep, rest = path.split("resolveuid/", 1)[1].partition("/")
        obj, segments = _content("image", uid), [part for part in rest.split("/") if part]
    else:
        root = base.path.rstrip("/") + "/"
        if not path.startswith(root):
            return None
        obj, segments = portal, [part for part in path[len(root) :].split("/") if part]
    while segments and not segments[0].startswith(("@@", "++", "image_")):
        if segments == ["view"]:
            segments = []
            break
        obj = obj.restrictedTraverse(segments.pop(0))
    return _image_of(obj, segments)


def _image_of(obj, segments):
    """The image of the content ``obj`` that the rest of a URL designates, or None."""
    from plone.dexterity.interfaces import IDexterityContent
    from plone.scale.storage import IImageScaleStorage
    from zope.component import getMultiAdapter

    if not IDexterityContent.providedBy(obj):
        return None
    if not segments:
        return file_of("image", obj)
    head, rest = segments[0], segments[1:]
    scale = None
    if head.startswith("image_"):
        field, scale = "image", head[len("image_") :]
    elif head in ("@@download", "@@display-file") and rest:
        field = rest[0]
    elif head == "@@images" and rest:
        name = rest[0].rsplit(".", 1)[0]
        if "-" in name:  # a stored scale, by its UID
            _content("image", obj)
            info = getMultiAdapter((obj, None), IImageScaleStorage).get_or_generate(name)
            if not info:
                return None
            file_of("image", obj, info["fieldname"])  # the user may read its field
            return info.get("data")
        field, scale = name, (rest[1] if len(rest) > 1 else None)
    else:
        return None
    value = file_of("image", obj, field)
    if scale is None:
        return value
    scaled = obj.restrictedTraverse("@@images").scale(field, scale=scale)
    return getattr(scaled, "data", None) if scaled is not None else None
