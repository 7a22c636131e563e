"""Fixtures of the cluster tests: real servers on 127.0.0.1, free ports, a
throw-away folder, stopped at the end (process groups, PostgreSQL's pg_ctl).

The machinery is scripts/cluster.py's :class:`Cluster`, the same that
``make cluster-start`` runs. PostgreSQL and HAProxy come from Debian
(bootstrap.py's test command installs them); without them these tests skip.
"""

from pathlib import Path

import base64
import contextlib
import importlib.util
import pytest
import shutil
import socket
import sys
import tempfile


ROOT = Path(__file__).resolve().parents[4]
ADMIN = ("admin", "secret")


def load_cluster_module():
    path = ROOT / "scripts" / "cluster.py"
    spec = importlib.util.spec_from_file_location("communesplone_cluster", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


cluster_module = load_cluster_module()


def free_ports(count):
    sockets = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            sockets.append(probe)
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def auth_header(login=ADMIN[0], password=ADMIN[1]):
    token = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def missing_servers(varnish=False):
    missing = []
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        missing.append("postgresql")
    if shutil.which("haproxy") is None:
        missing.append("haproxy")
    if varnish and shutil.which("varnishd") is None:
        missing.append("varnish")
    return missing


def make_cluster(folder, *, instances=2, storage="relstorage", varnish=False, site_id=None,
                 threshold=2.0):  # fmt: skip
    pg, zeo, port, varnish_port, stats, *instance_ports = free_ports(5 + instances)
    return cluster_module.Cluster(
        folder,
        instances=instances,
        storage=storage,
        varnish=varnish,
        pg_port=pg,
        zeo_port=zeo,
        port=port,
        varnish_port=varnish_port,
        stats_port=stats,
        instance_ports=instance_ports,
        site_id=site_id,
        admin=":".join(ADMIN),
        threshold=threshold,
    )


@pytest.fixture(scope="module")
def bare_cluster():
    """PostgreSQL, two instances on RelStorage (a Zope root, no Plone site), HAProxy."""
    missing = missing_servers()
    if missing:
        pytest.skip("not installed (Debian): " + ", ".join(missing))
    with cluster_folder() as folder:
        # A Zope root without a Plone site has no CSRF key manager: plone.protect
        # would abort the tests' ZMI writes (a Plone site's forms carry tokens)
        cluster = make_cluster(folder, threshold=0.5)
        cluster.environment["PLONE_CSRF_DISABLED"] = "true"
        try:
            cluster.start()
            yield cluster
        finally:
            cluster.stop()


@contextlib.contextmanager
def cluster_folder():
    """A folder in /tmp that the ``postgres`` user may enter (pytest's are root's
    only), removed at the end."""
    folder = Path(tempfile.mkdtemp(prefix="communesplone-cluster-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
