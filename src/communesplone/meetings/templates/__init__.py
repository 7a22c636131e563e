"""The default templates of the meetings application, and where they apply.

The files are flat OpenDocument texts, one folder per language (``fr/``,
``nl/``), edited in LibreOffice (see docs/templates.rst); a site gets them in
the commune's language. They use ``meeting_helper``
(``communesplone.meetings.documents``), whose sentences (outcomes, votes,
late items, representation) come from the translation catalogues in the
document's language. Who is offered which one:

- the agenda and the list of decisions for publication: anyone who may view
  the meeting (no condition); each user gets what the catalog and the field
  permissions let them see;
- the financial advice (``avis_financier``): on an advice, to whoever may view
  it (its service while it is written or signed, then whoever reads the item);
- the minutes and the decision extract: the body's meeting managers and the
  site's administrators, who hold "communesplone.meetings: Add meeting" on the
  body's meetings and items in every state (Modify and Review are gone once a
  meeting is closed, when the minutes are made); the extract only for an item
  on an agenda.

Generated files are named "<template> <title>": "Procès-verbal Séance du 8
décembre 2026.pdf", "Notulen Zitting van 8 december 2026.pdf".
"""

from communesplone import _
from communesplone.documents.templates import install
from communesplone.documents.templates import Shipped
from pathlib import Path


FOLDER = Path(__file__).parent
PACKAGE = "communesplone.meetings"
FORMATS = ("odt", "pdf", "docx")
ANYONE = ""
MEETING_MANAGERS = "python: checkPermission('communesplone.meetings: Add meeting', object)"
ON_AGENDA = f"{MEETING_MANAGERS} and bool(object.meeting_uid)"
NAME = "{template} {title}"
TEMPLATES = (
    Shipped(PACKAGE, "ordre_du_jour", "odt", _("Agenda"), ("meeting",), FORMATS, ANYONE, NAME),
    Shipped(
        PACKAGE, "proces_verbal", "odt", _("Minutes"), ("meeting",), FORMATS, MEETING_MANAGERS, NAME
    ),
    Shipped(
        PACKAGE,
        "deliberation",
        "odt",
        _("Decision extract"),
        ("meeting_item",),
        FORMATS,
        ON_AGENDA,
        NAME,
    ),
    Shipped(
        PACKAGE,
        "decisions_publication",
        "odt",
        _("Decisions for publication"),
        ("meeting",),
        FORMATS,
        ANYONE,
        NAME,
    ),
    Shipped(
        PACKAGE,
        "avis_financier",
        "odt",
        _("Financial advice"),
        ("meeting_advice",),
        FORMATS,
        ANYONE,
        NAME,
    ),
)


def install_templates(folder):
    """Install the meetings' templates in ``folder`` (those already there are left)."""
    for shipped in TEMPLATES:
        install(folder, shipped)
    return folder


__all__ = ["FOLDER", "TEMPLATES", "install_templates"]
