"""The default ODT templates of the meetings application, and where they apply.

The .odt files are built by ``scripts/make_pod_templates.py`` (edit it, not them).
"""

from communesplone import _
from communesplone.documents.setuphandlers import add_template
from pathlib import Path


FOLDER = Path(__file__).parent
# (file, title, portal types, output formats)
TEMPLATES = []


def install_templates(folder):
    for filename, title, portal_types, output_formats in TEMPLATES:
        add_template(folder, filename, title, portal_types, output_formats, source=FOLDER)
    return folder


__all__ = ["install_templates", "_"]
