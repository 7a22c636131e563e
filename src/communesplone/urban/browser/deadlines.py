"""The deadlines dashboard of a folder manager (``@@urban-deadlines`` on the desk).

Two lists, from the catalog only (no object is woken): what is overdue, and
what falls due within :data:`WINDOW` days, for the licences whose folder
managers include the chosen manager and their opinion requests. The rows are
the next open deadline of each licence (``constants.INDEX_DEADLINE``) and the
due date of each opinion request sent and not yet answered.

Each list is one catalog query on indexes (the manager, a range of the
deadline index), sorted on the deadline index with a sort limit: the first
:data:`LIMIT` rows are made from the brains' metadata, and the list says how
many there are in all. The page's cost does not grow with the number of
files in the desk (benchmarks/urban.py).

A folder manager sees their own files. Whoever may review the desk's files
(``Review portal content``: the service's reviewers, administrators) chooses
the manager. The catalog's security filters the rows either way.
"""

from communesplone import _
from communesplone.urban import constants
from communesplone.urban import deadlines
from datetime import date
from datetime import timedelta
from plone import api
from Products.Five.browser import BrowserView
from zope.i18n import translate


WINDOW = 7  # days ahead
LIMIT = 100  # rows shown in each list (the most urgent first)


class DeadlinesView(BrowserView):
    """Overdue and upcoming deadlines of one folder manager's files."""

    def __call__(self):
        self.today = date.today()
        self.manager = self.chosen_manager()
        self.rule_titles = {
            rule.id: translate(rule.title, context=self.request) for rule in deadlines.RULES
        }
        self.overdue, self.overdue_total = self.search(
            {"query": self.today - timedelta(days=1), "range": "max"}
        )
        self.upcoming, self.upcoming_total = self.search(
            {"query": (self.today, self.today + timedelta(days=WINDOW)), "range": "min:max"}
        )
        return self.index()

    def can_choose(self):
        return api.user.has_permission(constants.REVIEW, obj=self.context)

    def chosen_manager(self):
        user = api.user.get_current()
        own = user.getId() if user is not None else None
        if not self.can_choose():
            return own
        return self.request.form.get("manager") or own

    def managers(self):
        """[(user id, full name)] of the folder managers of the files, for reviewers."""
        catalog = api.portal.get_tool("portal_catalog")
        ids = sorted(catalog.uniqueValuesFor(constants.INDEX_FOLDER_MANAGERS))
        found = []
        for user_id in ids:
            user = api.user.get(userid=user_id)
            name = (user.getProperty("fullname") if user is not None else "") or user_id
            found.append((user_id, name))
        return sorted(found, key=lambda pair: pair[1].lower())

    def query(self, deadline):
        """The catalog query of the manager's rows whose deadline is in ``deadline`` (a range)."""
        return {
            "portal_type": (*constants.LICENCES, constants.OPINION_REQUEST),
            "path": "/".join(self.context.getPhysicalPath()),
            constants.INDEX_FOLDER_MANAGERS: self.manager,
            constants.INDEX_DEADLINE: deadline,
            "sort_on": constants.INDEX_DEADLINE,
            "sort_limit": LIMIT,
        }

    def search(self, deadline):
        """([row], how many in all) of the manager's rows whose deadline is in ``deadline``."""
        if not self.manager:
            return [], 0
        catalog = api.portal.get_tool("portal_catalog")
        brains = catalog(**self.query(deadline))
        return [self.row(brain) for brain in brains[:LIMIT]], brains.actual_result_count

    def more_text(self, shown, total):
        return translate(
            _(
                "The first ${shown} of ${total} are shown.",
                mapping={"shown": len(shown), "total": total},
            ),
            context=self.request,
        )

    def row(self, brain):
        due = getattr(brain, constants.INDEX_DEADLINE)
        what = self.rule_titles.get(getattr(brain, constants.INDEX_DEADLINE_RULE, None), "")
        return {
            "url": brain.getURL(),
            "reference": getattr(brain, constants.INDEX_REFERENCE, None) or "",
            "title": brain.Title,
            "what": what,
            "due": due,
            "days": (due - self.today).days,
            "state": brain.review_state,
        }

    def due_text(self, row):
        days = row["days"]
        if days < 0:
            message = _("${days} days late", mapping={"days": -days})
        elif days == 0:
            message = _("Today")
        else:
            message = _("In ${days} days", mapping={"days": days})
        return translate(message, context=self.request)
