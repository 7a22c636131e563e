"""The public pages of the inquiries: ``@@enquetes-publiques`` and the claim form.

``@@enquetes-publiques`` (on the site or the urban desk, for anyone) lists the
announced inquiries from the catalog alone (their public summary, see
:mod:`communesplone.urban.public`): a table that works without JavaScript,
and a Leaflet map above it when the browser runs scripts. Each row gives the
project, its place, the inquiry's dates, its notice and public documents
(the stored notice), and the link to the claim form.

``@@reclamation`` (on an announced inquiry, for those with ``SUBMIT_CLAIM``):
the claim form. A member's name, address and email are prefilled; a refused
claim comes back with the translated reason and the values typed; nothing is
written until everything is accepted.
"""

from Acquisition import aq_inner
from communesplone.core import antispam
from communesplone.core.validation import Refusal
from communesplone.urban import public
from communesplone.urban.documents import IPublicDocument
from datetime import date
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect.authenticator import createToken
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate

import json


# Leaflet, shared by the applications (core's copy).
LEAFLET = "++resource++communesplone.core/leaflet"


class PublicInquiries(BrowserView):
    """``@@enquetes-publiques``: the projects under public inquiry."""

    index = ViewPageTemplateFile("templates/public_inquiries.pt")

    def __call__(self):
        return self.index()

    def inquiries(self):
        """Rows (dicts) of the announced inquiries, from the catalog."""
        rows = []
        for brain in public.announced():
            facts = dict(getattr(brain, public.COLUMN, None) or {})
            if not facts:
                continue
            url = brain.getURL()
            rows.append(
                {
                    **facts,
                    "title": brain.Title,
                    "url": url,
                    "claim_url": f"{url}/@@reclamation",
                    "start_text": self.date(facts.get("start")),
                    "end_text": self.date(facts.get("end")),
                    "documents": [
                        {"title": doc.Title, "url": f"{doc.getURL()}/@@download/file"}
                        for doc in api.content.find(
                            path={"query": brain.getPath(), "depth": 1},
                            object_provides=IPublicDocument.__identifier__,
                            sort_on="created",
                        )
                    ],
                }
            )
        return rows

    def date(self, iso):
        if not iso:
            return ""
        return api.portal.get_localized_time(date.fromisoformat(iso).isoformat())

    def geojson(self, rows):
        """The rows that have a place, as GeoJSON for the map (public facts only)."""
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": {
                    "title": f"{row['reference']} – {row['subject']}",
                    "address": row["address"],
                    "dates": f"{row['start_text']} – {row['end_text']}",
                    "url": row["url"],
                },
            }
            for row in rows
            if row.get("latitude") is not None and row.get("longitude") is not None
        ]
        return json.dumps({"type": "FeatureCollection", "features": features})

    def map_settings(self):
        """The urban map's tile layer (its settings, Site Setup)."""
        from communesplone.urban import gis

        settings = gis.map_settings()
        return {"tile_url": settings["tile_url"], "attribution": settings["attribution"] or ""}

    def leaflet(self):
        """The URL of the site's Leaflet, or None (then the table alone)."""
        portal = api.portal.get()
        if portal.restrictedTraverse(f"{LEAFLET}/leaflet.js", None) is None:
            return None
        return f"{portal.absolute_url()}/{LEAFLET}"


class ClaimForm(BrowserView):
    """``@@reclamation``: a citizen's claim on an announced inquiry."""

    index = ViewPageTemplateFile("templates/claim_form.pt")

    def __call__(self):
        self.error = None
        self.done = False
        self.values = self._prefilled()
        if self.request.get("REQUEST_METHOD") == "POST":
            self._submit()
        return self.index()

    def _prefilled(self):
        if api.user.is_anonymous():
            return {}
        member = api.user.get_current()
        return {
            "name": member.getProperty("fullname", "") or "",
            "address": member.getProperty("location", "") or "",
            "email": member.getProperty("email", "") or "",
        }

    def _submit(self):
        form = self.request.form
        CheckAuthenticator(self.request)
        inquiry = aq_inner(self.context)
        self.values = {name: (form.get(name) or "") for name, _field in public.FIELDS}
        try:
            public.check_robot(
                self.request, form.get(antispam.FORM_STAMP), form.get(public.HONEYPOT)
            )
            public.submit_claim(inquiry, self.values, self.request)
        except antispam.RateLimited as limited:
            self.request.response.setHeader("Retry-After", str(limited.retry_after))
            self.request.response.setStatus(429)
            self.error = limited.message
            return
        except Refusal as refused:
            self.request.response.setStatus(400)
            self.error = refused.message
            return
        self.done = True
        self.values = {}

    def message(self, msgid):
        return translate(msgid, context=self.request)

    def token(self):
        return createToken()

    def form_stamp(self):
        return antispam.form_stamp()

    def facts(self):
        return public.summary(aq_inner(self.context))

    def fields(self):
        return public.FIELDS

    def anonymous(self):
        return api.user.is_anonymous()
