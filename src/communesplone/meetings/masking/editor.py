"""The editor's "Personal data" format: TinyMCE wraps the selection in
``<span class="personal-data">`` (kept by Plone's safe HTML filter: ``span``
is a valid tag and ``class`` a safe attribute).

TinyMCE's settings are site-wide registry records (``plone.formats``, a JSON
text, and ``plone.inline_styles``, the "Formats" menu's inline entries):
:func:`install` adds the format to them, keeping what is there, and
:func:`uninstall` takes it away. The entry's title is in the commune's
language (TinyMCE does not translate it).
"""

from communesplone import _
from communesplone.core.i18n import commune_language
from communesplone.meetings.constants import PERSONAL_DATA_CLASS
from plone.base.interfaces import ITinyMCESchema
from plone.registry.interfaces import IRegistry
from zope.component import getUtility
from zope.i18n import translate

import json


FORMAT_ID = "personaldata"
FORMAT = {"inline": "span", "classes": PERSONAL_DATA_CLASS}
ICON = "lock"
TITLE = _("Personal data")


def _settings():
    return getUtility(IRegistry).forInterface(ITinyMCESchema, prefix="plone")


def _is_ours(style):
    return style.split("|")[1:2] == [FORMAT_ID]


def install():
    """Add the format to TinyMCE's formats and to the "Formats" menu (once)."""
    settings = _settings()
    try:
        formats = json.loads(settings.formats or "{}")
    except ValueError:
        formats = {}
    if formats.get(FORMAT_ID) != FORMAT:
        formats[FORMAT_ID] = FORMAT
        settings.formats = json.dumps(formats, indent=4)
    styles = list(settings.inline_styles or ())
    if not any(_is_ours(style) for style in styles):
        title = translate(TITLE, target_language=commune_language())
        settings.inline_styles = [*styles, f"{title}|{FORMAT_ID}|{ICON}"]


def uninstall():
    settings = _settings()
    try:
        formats = json.loads(settings.formats or "{}")
    except ValueError:
        formats = {}
    if FORMAT_ID in formats:
        del formats[FORMAT_ID]
        settings.formats = json.dumps(formats, indent=4)
    settings.inline_styles = [s for s in settings.inline_styles or () if not _is_ours(s)]
