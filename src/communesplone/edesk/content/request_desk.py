"""The online desk: the folder of the request types and of the requests.

The profile creates one, ``/guichet``. Citizens add their requests in it;
each request's own workflow and local roles decide who sees it.
"""

from plone.dexterity.content import Container
from plone.supermodel import model
from zope.interface import implementer


class IRequestDesk(model.Schema):
    """The online desk."""


@implementer(IRequestDesk)
class RequestDesk(Container):
    # Unordered: an ordered folder rewrites its list of every id on each
    # addition (100,000 requests: a big write, and a conflict between any two
    # concurrent submissions); the desk is listed through the catalog anyway.
    _ordering = "unordered"
