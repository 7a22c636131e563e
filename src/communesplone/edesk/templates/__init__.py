"""The certificates the e-desk ships, generated when a request is approved.

Flat OpenDocument texts, one folder per language (``fr/``, ``nl/``), edited
in LibreOffice (see docs/templates.rst); a site gets them in the commune's
language, in ``templates/edesk``. They use ``request_helper``
(:class:`communesplone.edesk.certificates.RequestHelper`): the tracking
number, the citizen's name, address and national register number, the date
of the approval; and ``helper.commune`` for the letterhead and signatories.

A request type names one of them as its certificate template
(``certificate_template``); :mod:`communesplone.edesk.certificates` renders it
when the request is marked as done. In the documents viewlet they are offered
to the service's handlers only (the citizen never generates a certificate of
a request that was not approved).
"""

from communesplone import _
from communesplone.documents.templates import Shipped


PACKAGE = "communesplone.edesk"
FORMATS = ("odt", "pdf")
# Staff who handle the request (and administrators); never its citizen.
HANDLERS = "python: checkPermission('Review portal content', object)"
NAME = "{template} {title}"
RESIDENCE = Shipped(
    PACKAGE,
    "certificat_residence",
    "odt",
    _("Residence certificate"),
    ("citizen_request",),
    FORMATS,
    HANDLERS,
    NAME,
)
HOUSEHOLD = Shipped(
    PACKAGE,
    "composition_menage",
    "odt",
    _("Household composition"),
    ("citizen_request",),
    FORMATS,
    HANDLERS,
    NAME,
)
TEMPLATES = (RESIDENCE, HOUSEHOLD)

__all__ = ["HOUSEHOLD", "RESIDENCE", "TEMPLATES"]
