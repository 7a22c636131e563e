"""Install and uninstall handlers: the templates folder and the example templates."""

from communesplone import _
from communesplone.core.i18n import translate_for_site
from communesplone.documents.formats import mimetype
from pathlib import Path
from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.namedfile.file import NamedBlobFile


FOLDER = "templates"
TEMPLATES = Path(__file__).parent / "templates"
# (file, title, portal types, output formats) of the examples this package ships;
# they are offered to those who may edit the object, not to every visitor.
STAFF_ONLY = "python: checkPermission('Modify portal content', object)"
EXAMPLES = [
    ("fiche.odt", _("Content sheet"), ["Document", "News Item", "Event"], ["odt", "pdf", "docx"]),
    ("liste.odt", _("Content list"), ["Folder"], ["odt", "pdf", "docx"]),
    ("liste.ods", _("Content list (spreadsheet)"), ["Folder"], ["ods", "xlsx", "csv", "pdf"]),
]


def templates_folder(application, title):
    """Return ``templates/<application>``, creating it (and ``templates``) where absent."""
    portal = api.portal.get()
    with api.env.adopt_roles(["Manager"]):
        if FOLDER not in portal.objectIds():
            # Not addable at the site root by hand (global_allow is off).
            createContentInContainer(
                portal,
                "pod_template_folder",
                checkConstraints=False,
                id=FOLDER,
                title=translate_for_site(_("Document templates")),
            )
        root = portal[FOLDER]
        if application not in root.objectIds():
            api.content.create(
                container=root,
                type="pod_template_folder",
                id=application,
                title=translate_for_site(title),
            )
    return root[application]


def add_template(
    folder,
    filename,
    title,
    portal_types,
    output_formats,
    source=TEMPLATES,
    condition=STAFF_ONLY,
    name_pattern="{template} {title}",
):
    """Add the template ``source/filename`` to ``folder`` unless it is there already.

    ``condition`` is the TALES expression deciding to whom it is offered ("": to
    anyone who may view the object), ``name_pattern`` its generated files' names.
    """
    template_id = filename.replace(".", "-")
    if template_id in folder.objectIds():
        return folder[template_id]
    data = (source / filename).read_bytes()
    kind = filename.rsplit(".", 1)[-1]
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=folder,
            type="pod_template",
            id=template_id,
            title=translate_for_site(title),
            odt_file=NamedBlobFile(
                data=data,
                filename=filename,
                contentType=mimetype(kind),
            ),
            portal_types=portal_types,
            output_formats=output_formats,
            filename=name_pattern,
            condition=condition,
        )


def post_install(context):
    folder = templates_folder("documents", _("General templates"))
    for filename, title, portal_types, output_formats in EXAMPLES:
        add_template(folder, filename, title, portal_types, output_formats)


def uninstall(context):
    """The templates folder goes with the types it holds."""
    portal = api.portal.get()
    if FOLDER in portal.objectIds():
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(obj=portal[FOLDER], check_linkintegrity=False)
