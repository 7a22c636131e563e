"""The default ODT templates of the meetings application, and where they apply.

The .odt files are built by ``scripts/make_pod_templates.py`` (edit it, not them).
They are in French, the commune's language, and use ``meeting_helper``
(``communesplone.meetings.documents``). Who is offered which one:

- the agenda and the list of decisions for publication: anyone who may view
  the meeting (no condition); each user gets what the catalog and the field
  permissions let them see;
- the minutes and the decision extract: the body's meeting managers and the
  site's administrators, who hold "communesplone.meetings: Add meeting" on the
  body's meetings and items in every state (Modify and Review are gone once a
  meeting is closed, when the minutes are made); the extract only for an item
  on an agenda.

Generated files are named "<template> <title>": "Procès-verbal Séance du 8
décembre 2026.pdf", "Délibération Réfection de la rue Haute.pdf".
"""

from communesplone import _
from communesplone.documents.setuphandlers import add_template
from pathlib import Path


FOLDER = Path(__file__).parent
FORMATS = ["odt", "pdf", "docx"]
ANYONE = ""
MEETING_MANAGERS = "python: checkPermission('communesplone.meetings: Add meeting', object)"
ON_AGENDA = f"{MEETING_MANAGERS} and bool(object.meeting_uid)"
NAME = "{template} {title}"
# (file, title, portal types, output formats, condition)
TEMPLATES = [
    ("ordre_du_jour.odt", _("Agenda"), ["meeting"], FORMATS, ANYONE),
    ("proces_verbal.odt", _("Minutes"), ["meeting"], FORMATS, MEETING_MANAGERS),
    ("deliberation.odt", _("Decision extract"), ["meeting_item"], FORMATS, ON_AGENDA),
    ("decisions_publication.odt", _("Decisions for publication"), ["meeting"], FORMATS, ANYONE),
]


def install_templates(folder):
    for filename, title, portal_types, output_formats, condition in TEMPLATES:
        add_template(
            folder,
            filename,
            title,
            portal_types,
            output_formats,
            source=FOLDER,
            condition=condition,
            name_pattern=NAME,
        )
    return folder


__all__ = ["install_templates", "_"]
