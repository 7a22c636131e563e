"""The folder that holds POD templates (one per application)."""

from plone.dexterity.content import Container
from plone.supermodel import model
from zope.interface import implementer


class IPodTemplateFolder(model.Schema):
    """A folder of POD templates."""


@implementer(IPodTemplateFolder)
class PodTemplateFolder(Container):
    """A folder of POD templates."""
