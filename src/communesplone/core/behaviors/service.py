"""The "Municipal service" behavior: content that belongs to a service.

Content with this behavior provides :class:`IService` (a schema-only
behavior is its own marker, and the value is stored as an attribute); the local role
provider in :mod:`communesplone.core.localroles` then gives the service's
groups their roles on it, and the ``service`` catalog index finds it.
"""

from communesplone import _
from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from zope import schema
from zope.interface import provider


@provider(IFormFieldProvider)
class IService(model.Schema):
    """Schema and marker of the behavior."""

    service = schema.Choice(
        title=_("Service"),
        description=_("The municipal service this belongs to; its staff get their roles on it."),
        vocabulary="communesplone.core.services",
        required=True,
    )
