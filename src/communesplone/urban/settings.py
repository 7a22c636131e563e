"""The urban application's settings (registry records ``communesplone.urban.*``),
edited in Site Setup → Urbanism (``browser/settings.py``) with the map's
(``gis.IMapSettings``, records ``communesplone.urban.map.*``).

- the claims of the public inquiries: how many a visitor without an account may
  send from one address in a window of minutes, and the shortest time to fill
  the form (``public.py``);
- the meeting body to which files' decisions are sent when the meetings
  application is installed (``meetings.py``).
"""

from communesplone import _
from zope import schema
from zope.interface import Interface


PREFIX = "communesplone.urban"


class IUrbanSettings(Interface):
    """Stored as ``communesplone.urban.<name>`` registry records."""

    claim_rate_limit = schema.Int(
        title=_("Claims per address without an account"),
        description=_(
            "How many claims a visitor who is not logged in may send from one address in "
            "the window below."
        ),
        default=5,
        min=1,
        required=True,
    )
    claim_rate_window_minutes = schema.Int(
        title=_("Window of the claims' limit (minutes)"),
        default=60,
        min=1,
        required=True,
    )
    claim_min_fill_seconds = schema.Int(
        title=_("Shortest time to fill the claim form (seconds)"),
        description=_("A form sent back sooner is taken for a robot's. 0: no check."),
        default=3,
        min=0,
        required=True,
    )
    college_body = schema.TextLine(
        title=_("The college's meeting body"),
        description=_(
            "The id of the meeting body to which files' decisions are sent, where the "
            "meetings application is installed."
        ),
        default="college",
        required=True,
    )


def record(name):
    """The registry record's name of the setting ``name`` of :class:`IUrbanSettings`."""
    assert name in IUrbanSettings
    return f"{PREFIX}.{name}"
