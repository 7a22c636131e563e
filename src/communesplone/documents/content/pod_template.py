"""The POD template type: an appy.pod ODT or ODS file and where it applies.

Templates run Python expressions, so only Managers and Template managers may
add or edit them (the add permission and the template workflow say so), and
the expressions run in a restricted evaluator (see ``generation.py``).
"""

from communesplone import _
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant

import zipfile


MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def template_kind(named_file):
    """Return "odt" or "ods" for an OpenDocument file, else None."""
    if named_file is None:
        return None
    try:
        with named_file.open() as stream, zipfile.ZipFile(stream) as archive:
            declared = archive.read("mimetype").decode("ascii").strip()
            archive.getinfo("content.xml")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError):
        return None
    return MIMETYPES.get(declared)


def check_template_file(value):
    if value is not None and template_kind(value) is None:
        raise Invalid(
            _("The template must be an OpenDocument text (.odt) or spreadsheet (.ods) file.")
        )
    return True


class IPodTemplate(model.Schema):
    """A document template for appy.pod."""

    odt_file = NamedBlobFile(
        title=_("Template file"),
        description=_(
            "An OpenDocument text (.odt) or spreadsheet (.ods) made in LibreOffice, "
            "with appy.pod expressions and statements."
        ),
        required=True,
        constraint=check_template_file,
    )
    directives.widget("portal_types", CheckBoxFieldWidget)
    portal_types = schema.List(
        title=_("Applies to"),
        description=_("The content types whose objects offer this template."),
        value_type=schema.Choice(vocabulary="plone.app.vocabularies.ReallyUserFriendlyTypes"),
        required=True,
        min_length=1,
    )
    condition = schema.TextLine(
        title=_("Condition"),
        description=_(
            "Optional TALES expression; the template is offered only where it is true, "
            "for example \"python: checkPermission('Modify portal content', object)\"."
        ),
        required=False,
    )
    directives.widget("output_formats", CheckBoxFieldWidget)
    output_formats = schema.List(
        title=_("Output formats"),
        value_type=schema.Choice(vocabulary="communesplone.documents.formats"),
        required=True,
        min_length=1,
        default=["odt", "pdf"],
    )
    style_file = NamedBlobFile(
        title=_("Style template"),
        description=_("Optional .odt whose styles replace those of the template."),
        required=False,
        constraint=check_template_file,
    )
    filename = schema.TextLine(
        title=_("File name"),
        description=_(
            "Name of the generated file, without extension. Placeholders: "
            "{template} (this title), {title} and {id} (of the object), {date} (today)."
        ),
        required=True,
        default="{template} {title}",
    )
    storable = schema.Bool(
        title=_("Can be stored in the object"),
        description=_("Offer to keep the generated document as a file inside the object."),
        required=False,
        default=False,
    )
    enabled = schema.Bool(title=_("Enabled"), required=False, default=True)

    @invariant
    def formats_fit_the_template(data):
        kind = template_kind(getattr(data, "odt_file", None))
        from communesplone.documents.formats import FORMATS

        wrong = [fmt for fmt in data.output_formats or () if kind and kind not in FORMATS[fmt][2]]
        if wrong:
            raise Invalid(
                _(
                    "A .${kind} template cannot produce: ${formats}.",
                    mapping={"kind": kind, "formats": ", ".join(wrong)},
                )
            )


@implementer(IPodTemplate)
class PodTemplate(Item):
    """A POD template."""

    def kind(self):
        return template_kind(self.odt_file)
