"""``@@mes-dossiers``: the files of which the member is an applicant, and their states.

Listed from the catalog (:func:`communesplone.urban.applicants.my_files`): the
member sees the files the staff linked to their account, nothing else, since
the catalog lists only what they may view.
"""

from communesplone.urban import applicants
from communesplone.urban.desk import get_licence_type
from plone import api
from Products.Five import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate


class MyFiles(BrowserView):
    """The current member's urban files ("Mes dossiers"), newest first."""

    index = ViewPageTemplateFile("templates/my_files.pt")

    def __call__(self):
        return self.index()

    def files(self):
        workflow = api.portal.get_tool("portal_workflow")
        rows = []
        for brain in applicants.my_files():
            licence_type = get_licence_type(getattr(brain, "licence_type", None))
            rows.append(
                {
                    "url": brain.getURL(),
                    "title": brain.Title,
                    "reference": getattr(brain, "licence_reference", None) or "",
                    "type": licence_type.Title() if licence_type is not None else "",
                    "state": translate(
                        workflow.getTitleForStateOnType(brain.review_state, brain.portal_type),
                        domain="plone",
                        context=self.request,
                    ),
                    "events": [
                        {
                            "title": event.Title,
                            "url": event.getURL(),
                            "date": self.date(getattr(event, "urban_event_date", None)),
                        }
                        for event in applicants.events_of(brain)
                    ],
                }
            )
        return rows

    def date(self, value):
        return api.portal.get_localized_time(value) if value else ""
