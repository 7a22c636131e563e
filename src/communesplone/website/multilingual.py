"""The optional profile ``communesplone.website:multilingual``: content translation.

It installs plone.app.multilingual, whose language selector leads to the
page's translation. The website shows it with its own accessible template
(the same as the selector of the interface's language): this browser layer,
installed by the profile, is more specific than plone.app.multilingual's.
"""

from communesplone.website.interfaces import IWebsiteLayer
from plone.app.multilingual.interfaces import IPloneAppMultilingualInstalled


class IWebsiteMultilingualLayer(IPloneAppMultilingualInstalled, IWebsiteLayer):
    """Browser layer of the website's multilingual profile."""
