"""Plone's own markup, made valid HTML on the commune's site (the W3C checks).

- The character encoding. Barceloneta's Diazo theme puts its six
  ``apple-touch-icon`` links before the page's ``<meta charset="utf-8">``,
  which then comes after the first 1024 bytes. And the serializer of the
  themed page (libxml2's, in XHTML mode) adds ``<meta http-equiv="Content-Type">``
  to a head that has none, beside the ``meta charset``: two declarations, which
  HTML forbids. After the theme, :class:`ThemedMarkup` leaves one
  declaration, the ``http-equiv`` form the serializer keeps, first in the head.
- Barceloneta's theme gives its phone menu (``#offcanvasNavbar``, a Bootstrap
  offcanvas) an ``aria-labelledby`` without the role that allows it:
  :class:`ThemedMarkup` gives it ``role="dialog"``, what Bootstrap's
  script sets when it opens.
- Plone's ``plone.anontools`` viewlet and its toolbar write every key of the
  user actions as an attribute (``tal:attributes="action"``), ``icon``
  included, which ``a`` does not have; the toolbar also puts ``role="toolbar"``
  on a section and an ``aria-label`` on links that have no role, and the
  content menu writes an empty ``aria-expanded``. The main navigation's
  openers put ``role`` and ``aria-label`` on a ``label``; plone.app.event's
  listing puts each event's day in an ``h3`` before its ``h2`` title; the news
  portlet writes localized dates in ``time`` elements without ``datetime``.
  Our copies of those templates (``templates/``: anontools, toolbar,
  contentmenu, event_listing, news_portlet) and the subclasses below fix that
  markup and change nothing else; ``standards.zcml`` registers them for the
  website's layer.
"""

from communesplone.website.interfaces import IWebsiteLayer
from lxml import etree
from plone.app.contentmenu.view import ContentMenuProvider
from plone.app.event.browser.event_listing import EventEventListing
from plone.app.event.browser.event_listing import EventListing
from plone.app.layout.viewlets.common import GlobalSectionsViewlet
from plone.app.layout.viewlets.toolbar import ToolbarViewletManager
from plone.transformchain.interfaces import ITransform
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from repoze.xmliter.serializer import XMLSerializer
from zope.component import adapter
from zope.interface import implementer
from zope.interface import Interface


CONTENT_TYPE = "text/html; charset=utf-8"


@implementer(ITransform)
@adapter(Interface, IWebsiteLayer)
class ThemedMarkup:
    """Barceloneta's markup, once themed: one character encoding declaration,
    first in the head, and the phone menu's dialog role."""

    order = 8860  # right after plone.app.theming's Diazo transform (8850)

    def __init__(self, published, request):
        self.published = published
        self.request = request

    def transformBytes(self, result, encoding):
        return None

    def transformUnicode(self, result, encoding):
        return None

    def transformIterable(self, result, encoding):
        if not isinstance(result, XMLSerializer):
            return None  # not parsed: no theme applied, nothing serialized by libxml2
        heads = result.tree.xpath("/*[local-name()='html']/*[local-name()='head']")
        if not heads:
            return None
        head = heads[0]
        for meta in head.xpath("*[local-name()='meta']"):
            equiv = (meta.get("http-equiv") or "").lower()
            if meta.get("charset") is not None or equiv == "content-type":
                _remove(meta)
        qname = etree.QName(head)
        declaration = head.makeelement(
            etree.QName(qname.namespace, "meta").text if qname.namespace else "meta",
            {"http-equiv": "Content-Type", "content": CONTENT_TYPE},
        )
        declaration.tail = head.text
        head.insert(0, declaration)
        for offcanvas in result.tree.xpath(
            "//*[@id='offcanvasNavbar'][@aria-labelledby][not(@role)]"
        ):
            offcanvas.set("role", "dialog")
        return result


def _remove(element):
    """Remove ``element``, keeping the text that follows it."""
    parent = element.getparent()
    previous = element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


class Sections(GlobalSectionsViewlet):
    """The main navigation: the opener's name on its checkbox, not on its label."""

    _opener_markup_template = (
        '<input id="navitem-{uid}" type="checkbox" class="opener" aria-label="{title}" />'
        '<label for="navitem-{uid}"></label>'
    )


class Toolbar(ToolbarViewletManager):
    """Plone's toolbar; for whoever may not see it (anonymous visitors), nothing is computed.

    Its template's condition comes after its definitions (TAL's order), and
    the manager updates its viewlets (the content's tabs and actions) first:
    Plone computes the whole toolbar, then hides it.
    """

    custom_template = ViewPageTemplateFile("templates/toolbar.pt")

    def update(self):
        self.visible = self.context_state.is_toolbar_visible()
        if self.visible:
            super().update()

    def render(self):
        return super().render() if self.visible else ""


class ContentMenu(ContentMenuProvider):
    index = ViewPageTemplateFile("templates/contentmenu.pt")


class Events(EventListing):
    pass


class EventEvents(EventEventListing):
    pass
