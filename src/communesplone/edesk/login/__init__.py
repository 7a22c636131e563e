"""Citizens' login: Plone's password login, and eID through OpenID Connect.

The Belgian federal login service (FAS) and itsme are reached through an OIDC
broker; pas.plugins.oidc speaks to it. :mod:`.plugin` holds our subclass of its
plugin (the national register number claim, the session marked as eID),
:mod:`.controlpanel` the e-desk's "eID login" settings, written into it.
"""
