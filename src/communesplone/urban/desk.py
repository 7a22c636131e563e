"""The site's urban desk and its configuration, found where the profile puts them.

``/urbanisme`` (an ``urban_desk``) holds the licences, the ``configuration``
folder (licence types and event types) and the ``contacts`` directory.
Configuration is read whoever asks: the types are not secret, and a licence
needs its type's settings even for a user who cannot list the configuration.
"""

from communesplone.urban.constants import CONFIG_ID
from communesplone.urban.constants import CONTACTS_ID
from communesplone.urban.constants import DESK
from communesplone.urban.constants import DESK_ID
from communesplone.urban.constants import EVENT_TYPE
from communesplone.urban.constants import LICENCE_TYPE
from plone import api


def get_desk():
    """The urban desk of the site (created by the profile), or None."""
    desk = api.portal.get().get(DESK_ID)
    return desk if desk is not None and desk.portal_type == DESK else None


def get_config():
    """The configuration folder of the desk, or None."""
    desk = get_desk()
    return desk.get(CONFIG_ID) if desk is not None else None


def get_contacts():
    """The contacts directory of the desk, or None."""
    desk = get_desk()
    return desk.get(CONTACTS_ID) if desk is not None else None


def _configured(portal_type, type_id):
    config = get_config()
    if config is None or not type_id:
        return None
    found = config._getOb(type_id, None)  # no security check: configuration is read by all
    return found if found is not None and found.portal_type == portal_type else None


def get_licence_type(type_id):
    """The ``urban_licence_type`` with id ``type_id``, or None."""
    return _configured(LICENCE_TYPE, type_id)


def get_event_type(type_id):
    """The ``urban_event_type`` with id ``type_id``, or None."""
    return _configured(EVENT_TYPE, type_id)


def _all(portal_type):
    config = get_config()
    if config is None:
        return []
    return [obj for obj in config.objectValues() if obj.portal_type == portal_type]


def licence_types(family=None, active_only=False):
    """The licence types in the configuration's order, of ``family`` (a portal type) if given."""
    return [
        obj
        for obj in _all(LICENCE_TYPE)
        if (family is None or obj.family == family) and (obj.active or not active_only)
    ]


def event_types():
    """The event types in the configuration's order."""
    return _all(EVENT_TYPE)
