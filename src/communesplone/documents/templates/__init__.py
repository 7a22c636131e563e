"""The document templates that applications ship, and how sites get and keep them.

Each application keeps its default templates in its own ``templates/``
folder, as flat OpenDocument files edited in LibreOffice, one folder per
language::

    communesplone/documents/templates/fr/fiche.fodt
    communesplone/documents/templates/nl/fiche.fodt
    communesplone/meetings/templates/fr/ordre_du_jour.fodt
    ...

and lists them, with where they apply, as :class:`Shipped` records (the
documents' examples are :data:`EXAMPLES` below; the meetings' are in
``communesplone.meetings.templates``).

Languages. A site gets each template once, in the commune's language (the
registry's ``communesplone.default_language``, the language of generated
documents), or in French where no version in that language is shipped. When
the commune's language changes, the templates nobody has edited follow it
(:func:`follow_language`).

Install and upgrades. :func:`install` turns the flat file into the
.odt/.ods package appy needs (:mod:`.odf`, no LibreOffice) and stores it in a
``pod_template``, with a record of where it came from (an annotation): the
shipped file, its checksum, and the checksum of the stored package.
:func:`refresh`, which the applications' upgrade steps call, replaces a
template whose stored file is still the one installed by a newer shipped
version, and leaves an edited one alone, with a warning in the log that
names both.
"""

from communesplone import _
from communesplone.core.i18n import commune_language
from communesplone.core.language import COMMUNE_LANGUAGE
from communesplone.documents.formats import mimetype
from communesplone.documents.templates import odf
from dataclasses import dataclass
from pathlib import Path
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate
from zope.i18nmessageid import Message

import hashlib
import importlib
import logging
import tempfile


logger = logging.getLogger(__name__)

SITE_FOLDER = "templates"  # the site's folder of templates: templates/<application>
DEFAULT_LANGUAGE = "fr"
LANGUAGES = ("fr", "nl", "en")
RECORD = "communesplone.documents.shipped"
TEMPLATE_TYPE = "pod_template"
# Offered to those who may edit the object, not to every visitor.
STAFF_ONLY = "python: checkPermission('Modify portal content', object)"
NAME_PATTERN = "{template} {title}"

# What refresh() did to a template.
REPLACED = "replaced"
KEPT = "kept"
CURRENT = "current"
ABSENT = "absent"


def checksum(data):
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Shipped:
    """A template an application ships: ``<package>/templates/<language>/<name>.f<kind>``.

    ``title`` is a message id, translated into the template's language;
    ``condition`` and ``name_pattern`` are the pod_template's fields of the
    same meaning (``condition``: "" offers it to anyone who may view the object).
    """

    package: str
    name: str
    kind: str
    title: Message
    portal_types: tuple
    output_formats: tuple
    condition: str = STAFF_ONLY
    name_pattern: str = NAME_PATTERN

    @property
    def id(self):
        """The id of the installed template, the same in every language: "fiche-odt"."""
        return f"{self.name}-{self.kind}"

    @property
    def folder(self):
        return Path(importlib.import_module(self.package).__file__).parent / "templates"

    def language(self, language=None):
        """``language`` (default: the commune's) if shipped in it, else French."""
        language = language or commune_language()
        return language if self.path(language, fallback=False).exists() else DEFAULT_LANGUAGE

    def file(self, language):
        """The shipped file, relative to the templates folder: "nl/fiche.fodt"."""
        return f"{language}/{self.name}.f{self.kind}"

    def path(self, language, fallback=True):
        if fallback:
            language = self.language(language)
        return self.folder / self.file(language)

    def source(self, language):
        """The flat file (bytes) of the version in ``language`` (or French)."""
        return self.path(language).read_bytes()

    def data(self, language):
        """The .odt/.ods package appy renders, made from the flat file."""
        return odf.package(self.source(language))

    @property
    def filename(self):
        """The name of the installed file: "fiche.odt"."""
        return f"{self.name}.{self.kind}"

    def titles(self):
        """The title in each language: a title among these was not edited."""
        return {translate(self.title, target_language=language) for language in LANGUAGES}


# The documents application's examples. Each application's ``templates``
# package names its own ``TEMPLATES``; records name the package.
EXAMPLES = TEMPLATES = (
    Shipped(
        "communesplone.documents",
        "fiche",
        "odt",
        _("Content sheet"),
        ("Document", "News Item", "Event"),
        ("odt", "pdf", "docx"),
    ),
    Shipped(
        "communesplone.documents",
        "liste",
        "odt",
        _("Content list"),
        ("Folder",),
        ("odt", "pdf", "docx"),
    ),
    Shipped(
        "communesplone.documents",
        "liste",
        "ods",
        _("Content list (spreadsheet)"),
        ("Folder",),
        ("ods", "xlsx", "csv", "pdf"),
    ),
)


# Files -----------------------------------------------------------------------


def flat_file(folder, filename, language=None):
    """The shipped flat file of ``filename`` ("fiche.odt") in the templates ``folder``:
    ``folder/<language>/fiche.fodt``, in French where ``language`` has none."""
    stem, _dot, kind = filename.rpartition(".")
    for candidate in (language or DEFAULT_LANGUAGE, DEFAULT_LANGUAGE):
        path = Path(folder) / candidate / f"{stem}.f{kind}"
        if path.exists():
            return path
    raise FileNotFoundError(Path(folder) / DEFAULT_LANGUAGE / f"{stem}.f{kind}")


def package_file(folder, filename, language=DEFAULT_LANGUAGE):
    """A path to the .odt/.ods ``filename`` of the templates ``folder``, for appy.

    The package is made from the flat file (:func:`flat_file`) on first use, in
    the temporary folder, named after the flat file's checksum.
    """
    source = flat_file(folder, filename, language).read_bytes()
    cache = Path(tempfile.gettempdir()) / "communesplone-templates"
    cache.mkdir(exist_ok=True)
    path = cache / f"{checksum(source)[:32]}-{filename}"
    if not path.exists():
        partial = path.with_name(f"{path.name}.{id(source)}.part")
        partial.write_bytes(odf.package(source))
        partial.replace(path)
    return path


# Records ---------------------------------------------------------------------


def record(template):
    """Where an installed template came from: a dict (see :func:`_record`), or None."""
    found = IAnnotations(template).get(RECORD)
    return dict(found) if found is not None else None


def _record(template, shipped, language, stored_checksum, source_checksum):
    IAnnotations(template)[RECORD] = {
        "package": shipped.package,
        "file": shipped.file(language),
        "language": language,
        "source": source_checksum,
        "checksum": stored_checksum,
    }


def edited(template, known=()):
    """Whether the template's file differs from the one installed.

    A template without a record (installed before records existed) is
    unedited if its file is one of ``known`` (checksums of files shipped then).
    """
    current = checksum(template.odt_file.data)
    found = record(template)
    if found is not None:
        return current != found["checksum"]
    return current not in known


def _path(obj):
    return "/".join(obj.getPhysicalPath())


# Install, refresh, follow the language -----------------------------------------


def _named_file(data, shipped):
    return NamedBlobFile(data=data, filename=shipped.filename, contentType=mimetype(shipped.kind))


def install(container, shipped, language=None):
    """Add ``shipped`` to ``container`` in ``language`` (default: the commune's).

    A template of that id already there is left as it is and returned.
    """
    if shipped.id in container.objectIds():
        return container[shipped.id]
    language = shipped.language(language)
    source = shipped.source(language)
    data = odf.package(source)
    with api.env.adopt_roles(["Manager"]):
        template = api.content.create(
            container=container,
            type=TEMPLATE_TYPE,
            id=shipped.id,
            title=translate(shipped.title, target_language=language),
            odt_file=_named_file(data, shipped),
            portal_types=list(shipped.portal_types),
            output_formats=list(shipped.output_formats),
            filename=shipped.name_pattern,
            condition=shipped.condition,
        )
    _record(template, shipped, language, checksum(data), checksum(source))
    return template


def refresh(container, shipped, language=None, known=()):
    """Bring the installed ``shipped`` up to the shipped file; say what was done.

    - absent (deleted by the site's administrators): not added back (ABSENT);
    - edited since installed: kept, with a warning in the log (KEPT);
    - installed from the same file in the same language: left (CURRENT);
    - else: its file is replaced with the shipped one in ``language`` (default:
      the commune's), and its title too unless someone changed it (REPLACED).

    ``known``: checksums of the files shipped before templates had a record
    (see :func:`edited`).
    """
    template = container.get(shipped.id) if shipped.id in container.objectIds() else None
    if template is None:
        logger.info(
            "Template %s/%s is not there (deleted?): not added back",
            _path(container),
            shipped.id,
        )
        return ABSENT
    language = shipped.language(language)
    source = shipped.source(language)
    found = record(template)
    if edited(template, known):
        logger.warning(
            "Template %s kept: it was edited since it was installed%s. The shipped version, "
            "%s/templates/%s, was not installed; compare them and apply its changes by hand.",
            _path(template),
            f" from {found['file']}" if found else "",
            shipped.package,
            shipped.file(language),
        )
        if found is None:  # from now on, its record says it was edited
            _record(template, shipped, language, None, None)
        return KEPT
    if found is not None and found["source"] == checksum(source) and found["language"] == language:
        return CURRENT
    data = odf.package(source)
    template.odt_file = _named_file(data, shipped)
    if template.Title() in shipped.titles():
        template.title = translate(shipped.title, target_language=language)
    _record(template, shipped, language, checksum(data), checksum(source))
    template.reindexObject()
    logger.info("Template %s replaced with %s", _path(template), shipped.file(language))
    return REPLACED


def upgrade(application, shipped, known=None):
    """Refresh (:func:`refresh`) the templates ``shipped`` in ``templates/<application>``.

    For upgrade steps. ``known``: {template id: checksums of the files shipped
    before templates had a record}. Return {template id: what was done}.
    """
    portal = api.portal.get()
    root = portal.get(SITE_FOLDER) if SITE_FOLDER in portal.objectIds() else None
    if root is None or application not in root.objectIds():
        logger.warning("No folder %s/%s: no template to upgrade", SITE_FOLDER, application)
        return {}
    folder = root[application]
    known = known or {}
    return {each.id: refresh(folder, each, known=known.get(each.id, ())) for each in shipped}


def shipped_for(template):
    """The :class:`Shipped` an installed template came from (by its record), or None."""
    found = record(template)
    if found is None:
        return None
    try:
        listed = importlib.import_module(f"{found['package']}.templates").TEMPLATES
    except (ImportError, AttributeError):
        return None
    return next((shipped for shipped in listed if shipped.id == template.getId()), None)


def follow_language(language):
    """Put every unedited shipped template of the site in ``language``.

    Called when the commune's language changes; edited templates are kept (and
    logged), as by an upgrade.
    """
    catalog = api.portal.get_tool("portal_catalog")
    done = {}
    for brain in catalog.unrestrictedSearchResults(portal_type=TEMPLATE_TYPE):
        template = brain._unrestrictedGetObject()
        shipped = shipped_for(template)
        if shipped is not None:
            done[_path(template)] = refresh(template.aq_parent, shipped, language)
    return done


def on_settings_modified(event):
    """The commune's language changed: its templates follow."""
    changed = event.newValue and event.newValue != event.oldValue
    if event.record.__name__ == COMMUNE_LANGUAGE and changed:
        follow_language(event.newValue)
