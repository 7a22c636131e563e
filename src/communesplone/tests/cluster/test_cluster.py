"""The storage switch, the request logs, and a live cluster: PostgreSQL, two
WSGI instances on RelStorage and HAProxy, on loopback (about a minute and a
half on a loaded 2-core machine: the instances' start-up)."""

from communesplone.core.slowlog import SlowRequestLog
from communesplone.tests.cluster.conftest import auth_header
from communesplone.tests.cluster.conftest import ROOT
from Zope2.Startup.options import ZopeWSGIOptions

import bootstrap
import logging
import requests
import signal
import subprocess
import sys
import time


def storage_factory(folder, text):
    """The storage section of zope.conf ``text``, as Zope reads it."""
    path = folder / "zope.conf"
    path.write_text(text)
    (database,) = ZopeWSGIOptions(configfile=str(path))().configroot.databases
    return database.config.storage


def test_one_generator_writes_each_storage(tmp_path):
    for folder in ("filestorage", "blobstorage", "blobcache"):
        (tmp_path / folder).mkdir()
    filestorage = storage_factory(tmp_path, bootstrap.zope_conf(tmp_path, tmp_path, "filestorage"))
    assert type(filestorage).__name__ == "FileStorage"
    assert filestorage.config.path == str(tmp_path / "filestorage" / "Data.fs")
    assert filestorage.config.blob_dir == str(tmp_path / "blobstorage")

    zeo = storage_factory(
        tmp_path, bootstrap.zope_conf(tmp_path, tmp_path, "zeo", zeo_address="127.0.0.1:9100")
    )
    assert type(zeo).__name__ == "ZEOClient"
    assert [a.address for a in zeo.config.server] == [("127.0.0.1", 9100)]
    assert zeo.config.shared_blob_dir is True

    dsn = "dbname=x user=y host=127.0.0.1 port=6543"
    rel = storage_factory(tmp_path, bootstrap.zope_conf(tmp_path, tmp_path, "relstorage", dsn=dsn))
    assert type(rel).__name__ == "RelStorageFactory"
    assert rel.config.keep_history is False  # history-free
    assert rel.config.shared_blob_dir is False  # a blob cache, the blobs are in PostgreSQL
    assert rel.config.blob_dir == str(tmp_path / "blobcache")
    assert rel.config.adapter.config.dsn == dsn


def _generated(env):
    code = "import bootstrap; print(bootstrap.zope_conf('/i', '/v'))"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_run_commands_switch_is_an_environment_variable():
    default = _generated({"PATH": "/usr/bin:/bin"})
    assert "<filestorage>" in default.stdout and "relstorage" not in default.stdout
    rel = _generated({"COMMUNESPLONE_STORAGE": "relstorage"})
    assert "%import relstorage" in rel.stdout and "keep-history false" in rel.stdout
    assert "port=5433" in rel.stdout  # the local cluster's PostgreSQL by default
    dsn = _generated(
        {"COMMUNESPLONE_STORAGE": "relstorage", "COMMUNESPLONE_RELSTORAGE_DSN": "dbname=prod"}
    )
    assert "dsn dbname=prod" in dsn.stdout
    zeo = _generated({"COMMUNESPLONE_STORAGE": "zeo", "COMMUNESPLONE_ZEO_ADDRESS": "10.0.0.5:8100"})
    assert "server 10.0.0.5:8100" in zeo.stdout
    wrong = _generated({"COMMUNESPLONE_STORAGE": "mysql"})
    assert wrong.returncode != 0
    assert "must be one of filestorage, zeo, relstorage" in wrong.stderr


def _app(environ, start_response):
    start_response("201 Created", [("Content-Type", "text/plain")])
    return [b"made"]


def _call(middleware, path, query=""):
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": query,
               "REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}  # fmt: skip
    result = middleware(environ, lambda status, headers, exc_info=None: None)
    body = b"".join(result)
    result.close()
    return body


def test_slow_request_log(caplog):
    caplog.set_level(logging.WARNING, logger="communesplone.slow")
    assert _call(SlowRequestLog(_app, threshold=60), "/Plone/fast") == b"made"
    assert caplog.records == []
    assert _call(SlowRequestLog(_app, threshold=0), "/Plone/slow", "a=1") == b"made"
    (record,) = caplog.records
    message = record.getMessage()
    assert " s 201 POST /Plone/slow?a=1 from 203.0.113.9 (pid " in message


# The live cluster


def _stats(cluster):
    """HAProxy's view of the servers: {name: status}."""
    text = requests.get(f"http://127.0.0.1:{cluster.stats_port}/;csv", timeout=5).text
    rows = [line.split(",") for line in text.splitlines() if line.startswith("zope,")]
    return {row[1]: row[17] for row in rows if row[1].startswith("instance")}


def _wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_health_balancing_and_request_logs(bare_cluster):
    for number in (1, 2):
        answer = requests.get(f"{bare_cluster.instance_url(number)}/@@health", timeout=10)
        assert (answer.status_code, answer.text) == (200, "ok\n")
        assert answer.headers["Cache-Control"] == "no-store"
    assert _wait_for(lambda: set(_stats(bare_cluster).values()) == {"UP"})
    for n in range(12):
        assert requests.get(f"{bare_cluster.haproxy_url}/@@health?probe={n}", timeout=10).ok
    for number in (1, 2):  # both served some: the request log of each says so
        log = (bare_cluster.instance_folder(number) / "log" / "access.log").read_text()
        assert "health?probe=" in log  # the path is logged URL-encoded
        assert (bare_cluster.instance_folder(number) / "log" / "slow.log").exists()


def _add_folder(url, folder_id, title):
    made = requests.post(
        f"{url}/manage_addProduct/OFSP/manage_addFolder",
        data={"id": folder_id, "title": title},
        headers=auth_header(),
        timeout=30,
        allow_redirects=False,
    )
    assert made.status_code == 302, made.text


def _title(url, folder_id):
    answer = requests.get(f"{url}/{folder_id}/title_or_id", headers=auth_header(), timeout=10)
    return answer.text if answer.ok else answer.status_code


def test_shared_writes_are_read_at_once_by_the_other_instance(bare_cluster):
    one, two = bare_cluster.instance_url(1), bare_cluster.instance_url(2)
    _add_folder(one, "shared", "first")
    # instance 2 reads it at once (and now holds the root folder in its cache)
    assert _title(two, "shared") == "first"
    assert _title(two, "later") == 404
    # a second write through instance 1 changes the root folder that instance
    # 2 has cached: its copy is invalidated, the next request sees the change
    _add_folder(one, "later", "second")
    assert _title(two, "later") == "second"
    # and the other way round
    _add_folder(two, "back", "third")
    assert _title(one, "back") == "third"


def test_an_instance_killed_hard_the_balancer_serves_from_the_other(bare_cluster):
    assert bare_cluster.instance_stop(1, signal.SIGKILL)
    try:
        answers = [
            requests.get(f"{bare_cluster.haproxy_url}/@@health?n={n}", timeout=30).status_code
            for n in range(20)
        ]
        assert answers == [200] * 20  # a refused connection is redispatched to instance 2
        assert _wait_for(lambda: _stats(bare_cluster).get("instance1") == "DOWN")
    finally:
        bare_cluster.instance_start(1)
    assert _wait_for(lambda: _stats(bare_cluster).get("instance1") == "UP")


def test_health_says_503_while_the_database_is_down(bare_cluster):
    url = f"{bare_cluster.instance_url(2)}/@@health"
    assert requests.get(url, timeout=10).status_code == 200
    bare_cluster.postgres_stop(mode="immediate")
    try:
        answer = requests.get(url, timeout=30)
        assert answer.status_code == 503
        assert answer.text.startswith("storage unavailable")
        assert _wait_for(lambda: set(_stats(bare_cluster).values()) == {"DOWN"})
        assert requests.get(f"{bare_cluster.haproxy_url}/@@health", timeout=30).status_code == 503
    finally:
        bare_cluster.postgres_start()
    assert _wait_for(lambda: requests.get(url, timeout=10).status_code == 200)
