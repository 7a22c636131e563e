"""The ``helper`` that templates get: safe accessors for what a document shows.

Every accessor reads through Zope security as the user who generates the
document (``guarded_getattr``), so a field the user may not read comes out
empty, and ``children`` lists only what the catalog lets the user see.
"""

from AccessControl import Unauthorized
from AccessControl.ZopeGuards import guarded_getattr
from babel.dates import format_date
from communesplone.core import services
from DateTime import DateTime
from datetime import date
from datetime import datetime
from plone import api
from plone.app.textfield.value import RichTextValue
from plone.dexterity.utils import iterSchemata
from plone.formwidget.namedfile.converter import b64decode_file
from plone.namedfile.file import NamedImage
from zope.i18n import translate
from zope.schema import getFields
from zope.schema.interfaces import IVocabularyTokenized


LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}
DATE_METHODS = ("created", "modified", "effective", "expires")
SETTINGS = ("commune_name", "address", "nis_code", "contact_email", "logo", "signatories")


def _as_date(value):
    if isinstance(value, DateTime):
        return value.asdatetime().date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _logo(value):
    """The control panel's logo (the image widget's encoded bytes) as an image value."""
    if not value:
        return None
    try:
        filename, data = b64decode_file(value)
    except (ValueError, IndexError, TypeError):
        return None
    return NamedImage(data, filename=filename)


class DocumentHelper:
    """Exposed to templates as ``helper``; see docs/templates.rst."""

    # Templates reach these methods through guarded_getattr; each method
    # checks the user's permissions itself on what it reads.
    __allow_access_to_unprotected_subobjects__ = 1

    def __init__(self, language):
        self.language = language if language in LOCALES else "fr"

    def _field(self, obj, name):
        for schema in iterSchemata(obj):
            field = getFields(schema).get(name)
            if field is not None:
                return field
        return None

    def raw(self, obj, name):
        """The value of ``name`` on ``obj``, or None where the user may not read it."""
        try:
            value = guarded_getattr(obj, name, None)
        except Unauthorized:
            return None
        return value() if callable(value) and name in DATE_METHODS else value

    def value(self, obj, name):
        """The display value of a field as text: '' when empty or not readable."""
        if name == "type_title":
            fti = api.portal.get_tool("portal_types").getTypeInfo(obj)
            return translate(fti.Title(), domain="plone", target_language=self.language)
        value = self.raw(obj, name)
        if value is None or value == "":
            return ""
        if isinstance(value, RichTextValue):
            return value.output_relative_to(obj)
        if _as_date(value) is not None:
            return self.date(value)
        field = self._field(obj, name)
        vocabulary = getattr(field, "vocabulary", None) or getattr(
            getattr(field, "value_type", None), "vocabulary", None
        )
        if vocabulary is None and getattr(field, "vocabularyName", None):
            vocabulary = field.bind(obj).vocabulary
        values = value if isinstance(value, (list, tuple, set)) else [value]
        if IVocabularyTokenized.providedBy(vocabulary):
            values = [
                vocabulary.getTerm(item).title or item if item in vocabulary else item
                for item in values
            ]
        return ", ".join(translate(item, target_language=self.language) for item in values)

    def xhtml(self, obj, name):
        """A rich text field as XHTML, for ``do text from xhtml(...)``; '' if none."""
        value = self.raw(obj, name)
        if isinstance(value, RichTextValue):
            return value.output_relative_to(obj) or ""
        return ""

    def date(self, value, fmt="long"):
        """A date in the document's language: "8 décembre 2026" (fmt: short, medium, long, full)."""
        day = _as_date(value)
        if day is None:
            return ""
        return format_date(day, format=fmt, locale=LOCALES[self.language])

    def today(self, fmt="long"):
        return self.date(date.today(), fmt)

    def children(self, obj, portal_type=None):
        """The sub-objects the user may view, in the folder's order."""
        query = {
            "path": {"query": "/".join(obj.getPhysicalPath()), "depth": 1},
            "sort_on": "getObjPositionInParent",
        }
        if portal_type:
            query["portal_type"] = portal_type
        return [brain.getObject() for brain in api.portal.get_tool("portal_catalog")(**query)]

    @property
    def commune(self):
        """The commune's settings: name, address, nis_code, contact_email, logo, signatories.

        ``logo`` is an image for ``image(helper.commune['logo'])``, or None.
        """
        get = api.portal.get_registry_record
        values = {key: get(f"communesplone.{key}", default=None) for key in SETTINGS}
        values["name"] = values.pop("commune_name") or ""
        values["logo"] = _logo(values["logo"])
        values["signatories"] = [dict(row) for row in values["signatories"] or ()]
        values["services"] = services.get_all()
        return values
