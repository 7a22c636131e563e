"""IDocumentContext: applications give templates more names than context and helper."""

from communesplone.documents import generation
from communesplone.documents.interfaces import IDocumentContext
from communesplone.documents.testing import template_with_expression
from plone import api
from plone.app.contenttypes.interfaces import IDocument
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from zope.component import getGlobalSiteManager
from zope.interface import implementer

import io
import pytest
import zipfile


@implementer(IDocumentContext)
class Greeting:
    def __init__(self, context):
        self.context = context

    def __call__(self, helper):
        return {
            "greeting": f"Bonjour {self.context.Title()} ({helper.language})",
            "context": "not the object",
            "helper": "not the helper",
        }


@implementer(IDocumentContext)
class Other:
    def __init__(self, context):
        self.context = context

    def __call__(self, helper):
        return {"other": 42}


@pytest.fixture
def adapters():
    registry = getGlobalSiteManager()
    registered = [(Greeting, "test.greeting"), (Other, "test.other")]
    for factory, name in registered:
        registry.registerAdapter(factory, (IDocument,), IDocumentContext, name)
    yield
    for factory, name in registered:
        registry.unregisterAdapter(factory, (IDocument,), IDocumentContext, name)


@pytest.fixture
def document(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return api.content.create(container=portal, type="Document", id="page", title="Page")


def with_expression(portal, expression):
    source = portal["templates"]["documents"]["fiche-odt"]
    return template_with_expression(source, expression, "Salutation")


def test_names_from_adapters(adapters, document):
    names = generation.template_names(document, "fr")
    assert names["greeting"] == "Bonjour Page (fr)"
    assert names["other"] == 42
    # The base names cannot be replaced
    assert names["context"] is document
    assert names["helper"].language == "fr"


def test_without_adapters_only_context_and_helper(document):
    assert set(generation.template_names(document)) == {"context", "helper"}


def test_template_uses_an_adapter_name(adapters, document, portal):
    template = with_expression(portal, "greeting + ' / ' + str(other)")
    generated = generation.render(document, template, "odt")
    with zipfile.ZipFile(io.BytesIO(generated.data)) as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert "Bonjour Page (fr) / 42" in content
