"""The urban desk (``/urbanisme``), its configuration folder and its contacts directory.

The desk holds the licences (tens of thousands of them): it is unordered, like
the e-desk's desk, so that adding a licence writes no list of every id, and it
is listed through the catalog.
"""

from plone.dexterity.content import Container
from plone.supermodel import model
from zope.interface import implementer


class IUrbanDesk(model.Schema):
    """The urban desk: licences, configuration, contacts."""


class IUrbanConfig(model.Schema):
    """The configuration: licence types and event types, in order."""


class IUrbanContacts(model.Schema):
    """The shared directory of architects, notaries and geometricians."""


@implementer(IUrbanDesk)
class UrbanDesk(Container):
    _ordering = "unordered"


@implementer(IUrbanConfig)
class UrbanConfig(Container):
    """Ordered: the order of its event types is the order they are offered in."""


@implementer(IUrbanContacts)
class UrbanContacts(Container):
    _ordering = "unordered"
