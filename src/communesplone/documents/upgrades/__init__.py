"""Upgrade steps of the documents profile (``profiles/default/metadata.xml``), from 1000.

Each step is registered in ``configure.zcml`` and named after the version it
brings a site to. See docs/deploy.rst for running them.
"""

from communesplone.documents.templates import EXAMPLES
from communesplone.documents.templates import upgrade


# sha256 of the example templates that version 1000 installed (built by the
# former scripts/make_pod_templates.py): such a template nobody has edited.
SHIPPED_1000 = {
    "fiche-odt": {"f75e42ef39bcdace1682d69924706f291fbb019a77dd76af8824f4da5c809fe5"},
    "liste-odt": {"b209de0e215e82088d988ecf44adec09ff0735e3dfff71e29161403831301628"},
    "liste-ods": {"919659640f538a3cf317f8d52a2e6b13ec316e4983033ea5dd5f5c3b4d8fc3e9"},
}


def to_1001(context):
    """The example templates from their flat files, in the commune's language, with a
    record of where they came from; an edited one is kept (and noted in the log)."""
    upgrade("documents", EXAMPLES, known=SHIPPED_1000)
