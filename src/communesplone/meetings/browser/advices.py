"""The advices' views: extending a delay, and the clock of the delays.

- ``@@advice-extension`` on an item: the form that extends the delay of an
  advice once, with a reason; guarded by "communesplone.meetings: Extend advice
  delay" (the item workflow grants it to the body's meeting managers and the
  advisers while advices are awaited), and :func:`advices.may_extend` (an
  adviser extends only his service's advice). It refuses what
  :func:`advices.check_extension` refuses, which REST's ``@advice-extension``
  calls too: both refuse the same input with the same message.
- ``@@meetings-advice-deadlines`` on the site: POST only, for a Manager (or
  a cron job's ``curl``): :func:`advices.check_deadlines`.
"""

from communesplone import _
from communesplone.core import services
from communesplone.meetings import advices
from plone import api
from plone.protect import CheckAuthenticator
from plone.protect.interfaces import IDisableCSRFProtection
from plone.supermodel import model
from plone.z3cform.layout import FormWrapper
from Products.Five import BrowserView
from z3c.form import button
from z3c.form import field
from z3c.form import form
from z3c.form.interfaces import ActionExecutionError
from zExceptions import MethodNotAllowed
from zExceptions import Unauthorized
from zope import schema
from zope.interface import alsoProvides
from zope.interface import Invalid
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


@provider(IVocabularyFactory)
def extendable_advices(context):
    """The advices of the item whose delay the user may extend (``advices.extendable``)."""
    item = context
    if getattr(item, "portal_type", None) != "meeting_item":
        return SimpleVocabulary([])
    terms = []
    for record in advices.extendable(item):
        service = record["service"]
        found = services.get(service)
        terms.append(SimpleTerm(service, service, found["title"] if found else service))
    return SimpleVocabulary(terms)


class IAdviceExtension(model.Schema):
    """An extension of an advice's delay: once, with a reason."""

    service = schema.Choice(
        title=_("Advice"),
        vocabulary="communesplone.meetings.extendable_advices",
        required=True,
    )
    # Not required nor bounded here: the invariant (the domain's rule) says
    # why, in the same words as REST.
    days = schema.Int(title=_("Extension (days)"), required=False)
    reason = schema.Text(title=_("Reason"), required=False)


class AdviceExtensionForm(form.Form):
    fields = field.Fields(IAdviceExtension)
    ignoreContext = True
    enableCSRFProtection = True
    label = _("Extend the delay of an advice")
    description = _("The delay of an advice may be extended once, for a reason that is kept.")

    @button.buttonAndHandler(_("Extend"), name="extend")
    def handle_extend(self, action):
        CheckAuthenticator(self.request)
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            return
        if not advices.may_extend(self.context, data["service"]):
            raise Unauthorized("You may not extend the delay of this advice.")
        try:
            record = advices.extend(self.context, data["service"], data["days"], data["reason"])
        except Invalid as refusal:  # the domain's rule, as REST's
            raise ActionExecutionError(refusal) from refusal
        api.portal.show_message(
            _(
                "The delay is extended: the advice is due on ${day}.",
                mapping={"day": api.portal.get_localized_time(datetime=record["due"])},
            ),
            request=self.request,
        )
        self.request.response.redirect(self.context.absolute_url())

    @button.buttonAndHandler(_("Cancel"), name="cancel")
    def handle_cancel(self, action):
        self.request.response.redirect(self.context.absolute_url())


class AdviceExtension(FormWrapper):
    form = AdviceExtensionForm

    def __call__(self):
        if not len(extendable_advices(self.context)):
            raise Unauthorized("No advice of this item may have its delay extended by you.")
        return super().__call__()


class AdviceDeadlines(BrowserView):
    """POST: apply the delays that ran out (``advices.check_deadlines``)."""

    def __call__(self):
        if self.request.get("REQUEST_METHOD") != "POST":
            raise MethodNotAllowed("POST only: this changes items.")
        # Idempotent, for a Manager, POST only: a cron job's curl has no CSRF token.
        alsoProvides(self.request, IDisableCSRFProtection)
        moved = advices.check_deadlines()
        from communesplone.meetings import notifications

        reminded = notifications.send_due_reminders()  # the advisers of advices due in 2 days
        self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
        return (
            f"{len(moved)} item(s) back from waiting for advices\n"
            f"{reminded} advice(s) due soon reminded\n"
        )
