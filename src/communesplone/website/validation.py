"""The website's refusals, shared by the forms and REST (schema constraints)."""

from communesplone import _
from communesplone.core.validation import Refusal

import re


TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
LINK = re.compile(r"^(https?://|mailto:|tel:)[^\s]+$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WEEKDAYS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}


def minutes(value):
    """Minutes since midnight of an ``HH:MM`` time."""
    match = TIME.match(value or "")
    return int(match.group(1)) * 60 + int(match.group(2))


def check_time(value):
    if value and not TIME.match(value):
        raise Refusal(
            _(
                '"${value}" is not a time: write it as hours and minutes, like 08:30.',
                mapping={"value": value},
            )
        )
    return True


def check_opening_hours(rows):
    """Every row has its times, and closes after it opens."""
    for row in rows or ():
        opens, closes = row.get("opens") or "", row.get("closes") or ""
        check_time(opens)
        check_time(closes)
        if not opens or not closes:
            raise Refusal(_("Every row of the opening hours needs an opening and a closing time."))
        if minutes(closes) <= minutes(opens):
            raise Refusal(
                _(
                    "On ${day}, the closing time (${closes}) must come after the "
                    "opening time (${opens}).",
                    mapping={
                        "day": WEEKDAYS.get(row.get("day"), row.get("day") or ""),
                        "opens": opens,
                        "closes": closes,
                    },
                )
            )
    return True


def relative_luminance(colour):
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    channels = []
    for start in (1, 3, 5):
        c = int(colour[start : start + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def check_colour(value):
    """A ``#rrggbb`` colour on which white text is readable (WCAG AA, 4.5:1)."""
    if not value:
        return True
    if not COLOUR.match(value):
        raise Refusal(
            _(
                '"${value}" is not a colour: write it as # and six hexadecimal digits, '
                "like #1f5f8b.",
                mapping={"value": value},
            )
        )
    ratio = contrast(value, "#ffffff")
    if ratio < 4.5:
        raise Refusal(
            _(
                "White text on ${value} has a contrast of ${ratio}:1; the site needs "
                "at least 4.5:1 (WCAG AA). Choose a darker colour.",
                mapping={"value": value, "ratio": f"{ratio:.1f}"},
            )
        )
    return True


def check_link(value):
    """A web address (http or https), or a path on the site starting with /."""
    if not value:
        return True
    if value.startswith("/") and not value.startswith("//") and " " not in value:
        return True
    if LINK.match(value):
        return True
    raise Refusal(
        _(
            '"${value}" is not a link: write a full address (https://…) or a path on '
            "this site starting with /.",
            mapping={"value": value},
        )
    )


def check_latitude(value):
    if value is not None and not -90 <= value <= 90:
        raise Refusal(_("A latitude lies between -90 and 90."))
    return True


def check_longitude(value):
    if value is not None and not -180 <= value <= 180:
        raise Refusal(_("A longitude lies between -180 and 180."))
    return True
