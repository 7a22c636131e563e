"""The default templates of the urban application, and the event types they go with.

The files are flat OpenDocument texts, one folder per language (``fr/``,
``nl/``), edited in LibreOffice (see docs/templates.rst); a site gets them in
the commune's language, in ``templates/urban``. They use ``urban_helper``
(:class:`communesplone.urban.documents.UrbanHelper`): the licence's reference,
type, subject, work locations and parcels, the applicants (for those who may
read personal data), the dates of the file's events, the body asked for an
opinion and its address, the inquiry's dates, the owners within 50 m, the
decision; and ``helper.commune`` for the letterhead and the signatories.

Every template applies to every kind of event; an event offers the templates
that its event type names (its ``templates``: ids such as
``accuse_reception-odt``), to the Urbanisme service's staff only (those who
may read the internal notes). :data:`DEFAULT_LINKS` says which default event
types name which templates; the profile's setup handler sets them (see
:func:`communesplone.urban.documents.link_templates`).
"""

from communesplone import _
from communesplone.documents.templates import Shipped
from communesplone.urban.constants import ACKNOWLEDGEMENT
from communesplone.urban.constants import COLLEGE_DECISION
from communesplone.urban.constants import EVENTS
from communesplone.urban.constants import INCOMPLETE
from communesplone.urban.constants import MISSING_PARTS
from communesplone.urban.constants import VIEW_INTERNAL_NOTES


PACKAGE = "communesplone.urban"
FOLDER_ID = "urban"  # templates/urban
FORMATS = ("odt", "pdf", "docx")
NAME = "{template} {title}"
# Staff who handle the file, and the event's type names the template.
OFFERED = (
    f"python: checkPermission('{VIEW_INTERNAL_NOTES}', object) "
    "and object.restrictedTraverse('@@urban-templates').offers('{id}')"
)


def _shipped(name, title):
    condition = OFFERED.replace("{id}", f"{name}-odt")
    return Shipped(PACKAGE, name, "odt", title, EVENTS, FORMATS, condition, NAME)


ACKNOWLEDGEMENT_LETTER = _shipped("accuse_reception", _("Acknowledgement of receipt"))
MISSING_PARTS_LETTER = _shipped("demande_complements", _("Request for missing parts"))
OPINION_LETTER = _shipped("demande_avis", _("Opinion request letter"))
INQUIRY_NOTICE = _shipped("avis_enquete", _("Public inquiry notice"))
NEIGHBOUR_LETTERS = _shipped("lettre_riverains", _("Letters to the neighbours"))
DECISION_LETTER = _shipped("decision", _("Decision (permit or refusal)"))
TEMPLATES = (
    ACKNOWLEDGEMENT_LETTER,
    MISSING_PARTS_LETTER,
    OPINION_LETTER,
    INQUIRY_NOTICE,
    NEIGHBOUR_LETTERS,
    DECISION_LETTER,
)
# Documents generated from these are public once stored in an announced
# inquiry (the notice); every other stored document stays with the staff.
PUBLIC = (INQUIRY_NOTICE.id,)

# Default event type (id, or "kind:<kind>" for every event type of a kind) ->
# the templates it offers.
DEFAULT_LINKS = {
    ACKNOWLEDGEMENT: (ACKNOWLEDGEMENT_LETTER.id,),
    MISSING_PARTS: (MISSING_PARTS_LETTER.id,),
    INCOMPLETE: (MISSING_PARTS_LETTER.id,),
    "kind:opinion_request": (OPINION_LETTER.id,),
    "kind:inquiry": (INQUIRY_NOTICE.id, NEIGHBOUR_LETTERS.id),
    COLLEGE_DECISION: (DECISION_LETTER.id,),
}

__all__ = ["DEFAULT_LINKS", "FOLDER_ID", "PUBLIC", "TEMPLATES"]
