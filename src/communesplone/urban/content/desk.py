"""The urban desk (``/urbanisme``), its configuration folder and its contacts directory.

The desk holds the licences (tens of thousands of them): it is unordered, like
the e-desk's desk, so that adding a licence writes no list of every id, and it
is listed through the catalog. The desk belongs to the Urbanisme service
(core's ``IService``), whose staff so get their roles on everything in it.
"""

from communesplone.core.behaviors.service import IService
from communesplone.urban.constants import SERVICE
from plone.dexterity.content import Container
from plone.supermodel import model
from zope.interface import implementer


class IUrbanDesk(model.Schema):
    """The urban desk: licences, configuration, contacts."""


class IUrbanConfig(model.Schema):
    """The configuration: licence types and event types, in order."""


class IUrbanContacts(model.Schema):
    """The shared directory of architects, notaries and geometricians."""


@implementer(IUrbanDesk, IService)
class UrbanDesk(Container):
    _ordering = "unordered"
    # It belongs to the Urbanisme service: its groups get their roles on the desk,
    # so on the configuration, the contacts and every licence in it.
    service = SERVICE


@implementer(IUrbanConfig)
class UrbanConfig(Container):
    """Ordered: the order of its event types is the order they are offered in."""


@implementer(IUrbanContacts)
class UrbanContacts(Container):
    _ordering = "unordered"
