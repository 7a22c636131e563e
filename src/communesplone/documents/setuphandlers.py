"""Install and uninstall handlers: the templates folder and the example templates.

The templates an application ships are installed by
:func:`communesplone.documents.templates.install` (see that package for the
files, their languages and their upgrades).
"""

from communesplone import _
from communesplone.core.i18n import translate_for_site
from communesplone.documents import templates as shipped_templates
from communesplone.documents.formats import mimetype
from communesplone.documents.templates import odf
from communesplone.documents.templates import SITE_FOLDER
from communesplone.documents.templates import STAFF_ONLY
from pathlib import Path
from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.namedfile.file import NamedBlobFile


FOLDER = SITE_FOLDER
TEMPLATES = Path(__file__).parent / "templates"


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


def template_data(source, filename, language=None):
    """The .odt/.ods bytes of ``source/filename``: the file itself if there is one,
    else the package made from the shipped flat file ``source/<language>/<stem>.f<kind>``
    (in the commune's language, else French)."""
    path = Path(source) / filename
    if path.exists():
        return path.read_bytes()
    language = language or shipped_templates.commune_language()
    return odf.package(shipped_templates.flat_file(source, filename, language).read_bytes())


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
    """Add the template ``source/filename`` ("fiche.odt") to ``folder`` unless it is there.

    For a template of one's own (a body's copy of a shipped one, for example);
    the applications' own templates are installed with their record by
    :func:`communesplone.documents.templates.install`. ``condition`` is the
    TALES expression deciding to whom it is offered ("": to anyone who may
    view the object), ``name_pattern`` its generated files' names.
    """
    template_id = filename.replace(".", "-")
    if template_id in folder.objectIds():
        return folder[template_id]
    data = template_data(source, filename)
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


def install_templates(application, title, shipped):
    """Create ``templates/<application>`` and install there the templates ``shipped``."""
    folder = templates_folder(application, title)
    for template in shipped:
        shipped_templates.install(folder, template)
    return folder


def post_install(context):
    install_templates("documents", _("General templates"), shipped_templates.EXAMPLES)


def uninstall(context):
    """The templates folder goes with the types it holds."""
    portal = api.portal.get()
    if FOLDER in portal.objectIds():
        with api.env.adopt_roles(["Manager"]):
            api.content.delete(obj=portal[FOLDER], check_linkintegrity=False)
