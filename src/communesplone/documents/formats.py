"""Output formats of generated documents, and which template kinds offer them."""

from communesplone import _
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


# format -> (label, MIME type, template kinds that can produce it)
FORMATS = {
    "odt": (_("OpenDocument text (.odt)"), "application/vnd.oasis.opendocument.text", {"odt"}),
    "pdf": (_("PDF"), "application/pdf", {"odt", "ods"}),
    "docx": (
        _("Word (.docx)"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {"odt"},
    ),
    "doc": (_("Word 97 (.doc)"), "application/msword", {"odt"}),
    "ods": (
        _("OpenDocument spreadsheet (.ods)"),
        "application/vnd.oasis.opendocument.spreadsheet",
        {"ods"},
    ),
    "xlsx": (
        _("Excel (.xlsx)"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        {"ods"},
    ),
    "csv": (_("CSV"), "text/csv", {"ods"}),
}

# Formats appy writes itself; the others need LibreOffice.
NATIVE = {"odt", "ods"}


def mimetype(output_format):
    return FORMATS[output_format][1]


@provider(IVocabularyFactory)
def formats_vocabulary(context):
    return SimpleVocabulary(
        [SimpleTerm(key, key, label) for key, (label, _mime, _kinds) in FORMATS.items()]
    )
