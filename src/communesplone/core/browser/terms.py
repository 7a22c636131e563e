"""Form terms: what z3c.form offers for a field and accepts back."""

from z3c.form.term import ChoiceTermsVocabulary
from zope.schema.vocabulary import SimpleTerm


class ExplainedChoiceTerms(ChoiceTermsVocabulary):
    """The terms of an ``ExplainedChoice`` in a form (core/validation.py).

    The options are the field's vocabulary, as for any choice. But a value
    sent from outside it (a forged or outdated form) is not dropped as
    missing, as z3c.form does: it reaches the field's validation, which
    refuses it with the message that REST gives for the same value.
    """

    def getTermByToken(self, token):
        try:
            return super().getTermByToken(token)
        except LookupError:
            return SimpleTerm(token, token, token)
