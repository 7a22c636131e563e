"""Nothing lost: 200 concurrent submissions over HTTP to a running instance.

The instance is the project's own: ``bootstrap.py``'s ``zope.conf`` (a
FileStorage with blobs) and ``zope.ini`` (waitress, 4 threads), written into
a temporary folder, a site created from the classic distribution with
``communesplone:default`` (as ``scripts/create_site.py`` does) and the
e-desk's test world, then served by ``runwsgi`` on a free port.

200 threads post the certificate's form at the same time, as two citizens
(HTTP basic authentication, the form's CSRF token). Every submission takes the
next number of one sequence, so concurrent submissions conflict at commit:
Zope's publisher retries the loser from the start (with a random delay), and
the retried submission takes the next number. No mail nor any other side
effect happens before the commit (``notifications`` sends after it), so a
retry repeats nothing. The test checks that every POST succeeded and that
the staff's CSV export lists 200 requests numbered 1 to 200 of this year,
each once.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import csv
import importlib.util
import io
import os
import re
import socket
import subprocess
import sys
import threading
import time


ROOT = Path(__file__).resolve().parents[4]
BIN = Path(sys.executable).parent
SUBMISSIONS = 200
PASSWORD = "secret-password"  # communesplone.edesk.testing.PASSWORD (not imported: no Zope here)

SETUP = """\
from communesplone.core.sitefactory import create_site
from communesplone.core.sitefactory import ensure_admin
from communesplone.edesk.testing import build
from zope.component.hooks import setSite

import transaction

app = globals()["app"]
ensure_admin(app, "admin", "admin")
transaction.commit()
site, created = create_site(app, site_id="Plone", admin="admin", demo=False)
setSite(site)
build(site)
transaction.commit()
app._p_jar.db().close()
"""


def _bootstrap():
    spec = importlib.util.spec_from_file_location("bootstrap", ROOT / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _instance(tmp_path, port):
    """Write the project's instance configuration under ``tmp_path``; return zope.ini's path."""
    bootstrap = _bootstrap()
    var, instance = tmp_path / "var", tmp_path / "var" / "instance"
    for folder in ("filestorage", "blobstorage", "log", "cache"):
        (var / folder).mkdir(parents=True, exist_ok=True)
    (var / "blobstorage").chmod(0o700)
    (instance / "etc").mkdir(parents=True)
    conf = instance / "etc" / "zope.conf"
    conf.write_text(bootstrap.zope_conf(instance, var, "filestorage"))
    ini = instance / "etc" / "zope.ini"
    ini.write_text(bootstrap.zope_ini("127.0.0.1", port, var))
    script = tmp_path / "setup_site.py"
    script.write_text(SETUP)
    subprocess.run([BIN / "zconsole", "run", conf, script], check=True, capture_output=True)
    return ini


def _wait_until_up(requests, url, server, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, "the instance stopped"
        try:
            if requests.get(url, timeout=60).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError("the instance did not answer")


def test_200_concurrent_submissions_yield_200_consecutive_numbers(tmp_path):
    import requests

    port = _free_port()
    ini = _instance(tmp_path, port)
    log = (tmp_path / "instance.log").open("w")
    server = subprocess.Popen(
        [BIN / "runwsgi", ini], stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ)
    )
    try:
        base = f"http://127.0.0.1:{port}/Plone"
        _wait_until_up(requests, f"{base}/guichet", server)
        form_url = f"{base}/guichet/certificate/@@submit"
        tokens = {}
        for login in ("citizen_a", "citizen_b"):
            page = requests.get(form_url, auth=(login, PASSWORD), timeout=30)
            assert page.status_code == 200
            tokens[login] = re.search(r'name="_authenticator"\s+value="([^"]+)"', page.text)[1]

        start = threading.Barrier(SUBMISSIONS)

        def submit(number):
            login = ("citizen_a", "citizen_b")[number % 2]
            start.wait()  # all 200 at once
            started = time.perf_counter()
            response = requests.post(
                form_url,
                auth=(login, PASSWORD),
                data={
                    "_authenticator": tokens[login],
                    "field.nrn": "85.07.30-033.28",
                    "field.purpose": "Employer",
                    "field.remarks": f"submission {number}",
                },
                allow_redirects=False,
                timeout=600,
            )
            return (
                response.status_code,
                response.headers.get("Location"),
                (time.perf_counter() - started),
            )

        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
            answers = list(pool.map(submit, range(SUBMISSIONS)))
        elapsed = time.perf_counter() - began
        statuses = sorted({status for status, _location, _seconds in answers})
        assert statuses == [302], statuses  # each redirected to its new request
        locations = {location for _status, location, _seconds in answers}
        assert len(locations) == SUBMISSIONS  # 200 distinct requests

        export = requests.get(
            f"{base}/guichet/@@requests-admin.csv", auth=("admin", "admin"), timeout=120
        )
        assert export.status_code == 200
        rows = list(csv.reader(io.StringIO(export.text)))[1:]
        year = date.today().year
        numbers = sorted(row[0] for row in rows)
        assert numbers == [f"{year}-{n:06d}" for n in range(1, SUBMISSIONS + 1)]
        seconds = sorted(s for _status, _location, s in answers)
        print(
            f"\n{SUBMISSIONS} concurrent submissions in {elapsed:.1f} s"
            f" ({SUBMISSIONS / elapsed:.1f}/s); each answered in median"
            f" {seconds[len(seconds) // 2]:.2f} s, at most {seconds[-1]:.2f} s"
        )
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
