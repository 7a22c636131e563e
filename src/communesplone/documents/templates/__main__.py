"""``python -m communesplone.documents.templates package|flatten FILE [OUT]``: see ``odf``."""

from communesplone.documents.templates.odf import main

import sys


sys.exit(main(sys.argv))
