"""The public map of the open problem reports, its JSON, and its list.

Anyone may see it. What it shows comes from ``public.py`` (catalog
metadata only: number, type, state, dates, address, point): no personal data.
The page lists every open report in a table, so it is complete without
JavaScript and when the tiles do not load; ``reports-map.js`` draws the
reports that have a point on a Leaflet map (vendored once, in core)
with the tiles set in Site Setup.
"""

from communesplone import _
from communesplone.edesk import public
from communesplone.edesk import settings
from communesplone.edesk.workflow_spec import OPEN
from plone import api
from Products.Five.browser import BrowserView
from zope.i18n import translate

import json


def open_reports():
    """The open problem reports, newest first, as plain dicts of their public facts."""
    titles = {t.UID(): t.title for t in public.problem_types()}
    result = []
    for brain in public.reports(public.problem_types(), review_state=list(OPEN)):
        point = public.coordinates(brain)
        result.append(
            {
                "number": brain.tracking_number,
                "type": titles.get(brain.request_type, brain.Title),
                "state": brain.review_state,
                "state_title": public.STATE_TITLES[brain.review_state],
                "created": brain.created,
                "modified": brain.modified,
                "address": getattr(brain, "address", None) or "",
                "latitude": point[0] if point else None,
                "longitude": point[1] if point else None,
            }
        )
    return result


class ReportsMap(BrowserView):
    """``@@reports-map`` on the desk: the map, and the table of the same reports."""

    def reports(self):
        return open_reports()

    def state_title(self, report):
        return translate(report["state_title"], context=self.request)

    def date(self, value):
        return api.portal.get_localized_time(value, long_format=True)

    def map_settings(self):
        values = settings.map_settings()
        return {
            **values,
            "attribution": values["attribution"] or "",
            "source": f"{self.context.absolute_url()}/@@reports-map.json",
        }

    def resources(self):
        portal_url = api.portal.get().absolute_url()
        return f"{portal_url}/++resource++communesplone.edesk"


class ReportsMapJSON(BrowserView):
    """``@@reports-map.json``: the open reports that have a point, as GeoJSON."""

    def __call__(self):
        features = []
        for report in open_reports():
            if report["latitude"] is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": {
                        "type": "Point",
                        "coordinates": [report["longitude"], report["latitude"]],
                    },
                    "properties": {
                        "number": report["number"],
                        "type": report["type"],
                        "state": report["state"],
                        "state_title": translate(report["state_title"], context=self.request),
                        "created": report["created"].ISO8601(),
                        "modified": report["modified"].ISO8601(),
                        "address": report["address"],
                    },
                }
            )
        response = self.request.response
        response.setHeader("Content-Type", "application/json; charset=utf-8")
        response.setHeader("Cache-Control", "max-age=60")
        return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


TITLE = _("Map of the reported problems")
