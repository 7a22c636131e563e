"""Open311 GeoReport v2 for the problem reports: the API (``api.py``), its keys (``keys.py``).

The endpoints live under ``<site>/open311/v2/`` (see ``docs/edesk.rst``).
"""
