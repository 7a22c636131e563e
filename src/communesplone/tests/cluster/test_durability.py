"""The cluster under crashes, its backups, packing and the migration to
RelStorage, on the demo site (slow: 4 to 10 minutes with the load; ``pytest -m slow``).

One demo site is made on FileStorage (with a trusted Open311 key). It is
moved to RelStorage with zodbconvert (the documented migration) and served by
two instances behind HAProxy; a copy of its Data.fs is served by a ZEO server
and two ZEO clients. On each: a load of e-desk submissions (Open311 POSTs)
during which one instance is killed with SIGKILL, then a backup restored into
a fresh database, then a pack.
"""

from collections import Counter
from communesplone.tests.cluster.conftest import cluster_folder
from communesplone.tests.cluster.conftest import cluster_module
from communesplone.tests.cluster.conftest import make_cluster
from communesplone.tests.cluster.conftest import missing_servers
from communesplone.tests.cluster.conftest import ROOT
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bootstrap
import json
import pytest
import requests
import shutil
import signal
import subprocess
import time


pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
BIN = ROOT / ".venv" / "bin"
SITE = "Plone"
LOGIN, PASSWORD = "admin", "secret"


def zconsole(conf, script, *args):
    done = subprocess.run(
        [BIN / "zconsole", "run", conf, HERE / script, *map(str, args)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def inventories(conf, *configs):
    out = zconsole(conf, "zodb_inventory.py", SITE, *configs)
    line = next(line for line in out.splitlines() if line.startswith("INVENTORY "))
    return json.loads(line.removeprefix("INVENTORY "))


def zodb_config(path, storage_section):
    path.write_text(f"<zodb>\n{storage_section}</zodb>\n")
    return path


def filestorage_section(folder):
    return f"<filestorage>\n path {folder}/Data.fs\n blob-dir {folder}/blobs\n</filestorage>\n"


def relstorage_section(dsn, cache):
    return (
        "%import relstorage\n<relstorage>\n keep-history false\n"
        f" blob-dir {cache}\n shared-blob-dir false\n"
        f" <postgresql>\n  dsn {dsn}\n </postgresql>\n</relstorage>\n"
    )


@pytest.fixture(scope="module")
def folder():
    missing = missing_servers()
    if missing:
        pytest.skip("not installed (Debian): " + ", ".join(missing))
    with cluster_folder() as path:
        yield path


@pytest.fixture(scope="module")
def template(folder):
    """The demo site on FileStorage: (its folder, zope.conf, the Open311 key)."""
    base = folder / "template"
    for sub in ("etc", "cache", "filestorage", "blobstorage"):
        (base / sub).mkdir(parents=True)
    conf = base / "etc" / "zope.conf"
    conf.write_text(bootstrap.zope_conf(base, base, "filestorage"))
    out = zconsole(conf, "zodb_prepare.py", SITE, LOGIN, PASSWORD)
    key = next(line for line in out.splitlines() if line.startswith("KEY ")).split()[1]
    return base, conf, key


@pytest.fixture(scope="module")
def rel_cluster(folder, template):
    """The template moved to RelStorage with zodbconvert, two instances, HAProxy."""
    base, _conf, key = template
    cluster = make_cluster(folder / "rel", site_id=SITE, instances=2)
    cluster.admin = f"{LOGIN}:{PASSWORD}"
    try:
        cluster.postgres_start()
        source = filestorage_section(base / "filestorage").replace(
            f"{base}/filestorage/blobs", f"{base}/blobstorage"
        )
        convert = folder / "zodbconvert.conf"
        convert.write_text(
            source.replace("<filestorage>", "<filestorage source>")
            + relstorage_section(cluster.dsn, folder / "convert-blobs").replace(
                "<relstorage>", "<relstorage destination>"
            )
        )
        subprocess.run([BIN / "zodbconvert", convert], check=True, capture_output=True)
        (cluster.folder / "site-created").write_text(SITE)
        cluster.start()
        yield cluster, key
    finally:
        cluster.stop()


@pytest.fixture(scope="module")
def zeo_cluster(folder, template):
    """A copy of the template's Data.fs and blobs on a ZEO server, two clients, HAProxy."""
    base, _conf, key = template
    cluster = make_cluster(folder / "zeo", storage="zeo", site_id=SITE, instances=2)
    cluster.admin = f"{LOGIN}:{PASSWORD}"
    cluster.zeo_folder.mkdir(parents=True)
    shutil.copy(base / "filestorage" / "Data.fs", cluster.zeo_folder / "Data.fs")
    shutil.copytree(base / "blobstorage", cluster.zeo_folder / "blobs")
    (cluster.folder / "site-created").write_text(SITE)
    try:
        cluster.start()
        yield cluster, key
    finally:
        cluster.stop()


def submit(url, key, n):
    """(HTTP status, tracking number or None) of one Open311 report (trusted key)."""
    data = {
        "api_key": key,
        "service_code": "eclairage",
        "description": f"Lampadaire {n} éteint",
        "address_string": f"Rue de la Station {n}, Plonéville",
    }
    try:
        answer = requests.post(f"{url}/{SITE}/open311/v2/requests.json", data=data, timeout=120)
    except requests.RequestException:
        return 0, None
    if answer.status_code // 100 != 2:
        return answer.status_code, None
    return answer.status_code, answer.json()[0]["service_request_id"]


def load_with_a_crash(cluster, key, total=24, threads=4):
    """Submit ``total`` reports through HAProxy; SIGKILL instance 1 once a
    quarter were answered, restart it. Return the answers."""
    with ThreadPoolExecutor(threads) as pool:
        futures = [pool.submit(submit, cluster.haproxy_url, key, n) for n in range(total)]
        deadline = time.monotonic() + 300
        while sum(f.done() for f in futures) < total // 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cluster.instance_stop(1, signal.SIGKILL)
        answers = [future.result() for future in futures]
    cluster.instance_start(1)
    return answers


def check_durability(cluster, key):
    answers = load_with_a_crash(cluster, key)
    answered = [number for status, number in answers if number]
    statuses = Counter(status for status, number in answers)
    # answers came before the crash (a quarter were awaited) and after it
    assert len(answered) > len(answers) // 4, statuses
    assert len(set(answered)) == len(answered), answered  # no number given twice
    (stored,) = inventories(cluster.zope_conf(2))
    assert len(set(stored["numbers"])) == len(stored["numbers"]), stored["numbers"]
    assert set(answered) <= set(stored["numbers"])  # every 2xx report is there
    # and both instances serve them (the restarted one included)
    for number in (1, 2):
        listing = requests.get(
            f"{cluster.instance_url(number)}/{SITE}/open311/v2/requests.json", timeout=60
        )
        assert listing.ok
    return stored


def test_migration_durability_backup_and_pack_on_relstorage(folder, template, rel_cluster):
    base, conf, _key = template
    cluster, key = rel_cluster
    # zodbconvert moved everything: the same inventory on both sides
    (before,) = inventories(conf)
    (after,) = inventories(cluster.zope_conf(1))
    assert after == before
    stored = check_durability(cluster, key)
    assert stored["count"] > before["count"]

    # pg_dump, restored into a fresh database, read by a fresh instance's storage
    dump = folder / "communesplone.dump"
    pg = ["-h", "127.0.0.1", "-p", str(cluster.pg_port), "-U", "communesplone"]
    pg_bin = cluster_module._pg_bin()
    subprocess.run([pg_bin / "pg_dump", *pg, "-Fc", "-f", dump, "communesplone"], check=True)
    cluster.createdb("restored")
    subprocess.run([pg_bin / "pg_restore", *pg, "-d", "restored", dump], check=True)
    restored_dsn = cluster.dsn.replace("dbname=communesplone", "dbname=restored")
    restored = zodb_config(
        folder / "restored.conf", relstorage_section(restored_dsn, folder / "rb")
    )
    live, copy = inventories(cluster.zope_conf(1), restored)
    assert copy == live

    # zodbpack (history-free: the garbage collection) keeps every current object
    pack = folder / "pack.conf"  # zodbpack reads storage sections, not a <zodb> one
    pack.write_text(relstorage_section(cluster.dsn, folder / "pack-blobs"))
    subprocess.run([BIN / "zodbpack", "-d", "0", pack], check=True, capture_output=True)
    (packed,) = inventories(cluster.zope_conf(1))
    assert packed == live


def test_durability_backup_and_pack_on_filestorage_through_zeo(folder, zeo_cluster):
    cluster, key = zeo_cluster
    stored = check_durability(cluster, key)

    # repozo: a full backup of the live Data.fs, restored into a fresh folder
    backups, fresh = folder / "repozo", folder / "fresh"
    backups.mkdir()
    (fresh / "blobs").mkdir(parents=True)
    data = cluster.zeo_folder / "Data.fs"
    subprocess.run([BIN / "repozo", "-B", "-F", "-r", backups, "-f", data], check=True)
    subprocess.run([BIN / "repozo", "-R", "-r", backups, "-o", fresh / "Data.fs"], check=True)
    shutil.rmtree(fresh / "blobs")
    shutil.copytree(cluster.zeo_folder / "blobs", fresh / "blobs")  # blobs: a file copy
    copy_conf = zodb_config(folder / "fresh.conf", filestorage_section(fresh))
    live, copy = inventories(cluster.zope_conf(1), copy_conf)
    assert copy == live == stored

    # zeopack removes the old revisions and keeps the current data
    size = data.stat().st_size
    subprocess.run([BIN / "zeopack", "-d", "0", f"127.0.0.1:{cluster.zeo_port}"], check=True)
    assert data.stat().st_size < size
    (packed,) = inventories(cluster.zope_conf(1))
    assert packed == stored
