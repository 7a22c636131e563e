"""A zconsole script of the cluster tests: the inventory of the site in each
ZODB named on the command line, as one JSON line.

    zconsole run <zope.conf> zodb_inventory.py <site id> [<ZODB config file> ...]

The database of zope.conf first, then each ZODB config file's
(``<zodb><filestorage>...</filestorage></zodb>`` or ``<relstorage>``).
An inventory: the number of catalogued objects, a SHA-256 of the catalog
(each object's path, type, state, modification date and tracking number,
sorted) and the e-desk's tracking numbers. Reads only.
"""

from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import hashlib
import json
import sys
import ZODB.config


def inventory(app, site_id):
    site = makerequest(app)[site_id]
    setSite(site)
    # every catalogued object, below any query filter (plone.app.multilingual
    # adds the request's language to catalog queries)
    catalog = site.portal_catalog._catalog
    brains = [catalog[rid] for rid in catalog.paths]
    rows = sorted(
        (b.getPath(), b.portal_type, b.review_state or "", str(b.modified),
         getattr(b, "tracking_number", None) or "")
        for b in brains
    )  # fmt: skip
    checksum = hashlib.sha256(json.dumps(rows).encode()).hexdigest()
    numbers = [row[4] for row in rows if row[1] == "citizen_request" and row[4]]
    return {"count": len(rows), "checksum": checksum, "numbers": numbers}


app = globals()["app"]  # provided by zconsole
site_id, *configs = sys.argv[4:]  # zconsole run <zope.conf> <script> <args>
results = [inventory(app, site_id)]
for config in configs:
    db = ZODB.config.databaseFromURL(config)
    connection = db.open()
    try:
        results.append(inventory(connection.root()["Application"], site_id))
    finally:
        connection.close()
        db.close()
print("INVENTORY " + json.dumps(results))
