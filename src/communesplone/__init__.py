"""CommunesPlone: municipal applications for Plone 6.2.

The whole bundle speaks one i18n domain, ``communesplone``.
"""

from zope.i18nmessageid import MessageFactory


_ = MessageFactory("communesplone")
