"""Interfaces of CommunesPlone Documents."""

from communesplone import _
from plone.supermodel import model
from zope import schema
from zope.interface import Interface
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IDocumentsLayer(IDefaultBrowserLayer):
    """Browser layer, active where the documents profile is installed."""


class IDocumentContext(Interface):
    """More names for the templates generated from an object.

    An application registers a *named* adapter of its content to this
    interface (the name only tells registrations apart); ``render`` calls every
    adapter of the object, in the order of their names, and offers the names
    they return to the template beside ``context`` and ``helper``, which they
    cannot replace. See docs/templates.rst.
    """

    def __call__(helper):
        """A dict {name: value} of extra names; ``helper`` is the document's ``helper``."""


class ILibreOfficeSettings(model.Schema):
    """Where the instance finds LibreOffice; environment variables override these.

    COMMUNESPLONE_LO_HOST, COMMUNESPLONE_LO_PORTS ("2002,2003"), COMMUNESPLONE_UNO_PYTHON.
    """

    lo_host = schema.TextLine(
        title=_("LibreOffice host"),
        required=True,
        default="127.0.0.1",
    )
    lo_ports = schema.List(
        title=_("LibreOffice ports"),
        description=_("One port per LibreOffice server; several allow parallel conversions."),
        value_type=schema.Int(min=1, max=65535),
        required=True,
        min_length=1,
        default=[2002],
    )
    uno_python = schema.TextLine(
        title=_("UNO-enabled Python"),
        description=_("The Python that can import uno (Debian: /usr/bin/python3)."),
        required=True,
        default="/usr/bin/python3",
    )
