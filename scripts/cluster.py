#!/usr/bin/env python3
"""A local CommunesPlone cluster: PostgreSQL (or a ZEO server), N WSGI instances,
HAProxy in front, Varnish as an option. Every server listens on 127.0.0.1.

    .venv/bin/python scripts/cluster.py start [--instances 2] [--varnish] [--storage relstorage]
    .venv/bin/python scripts/cluster.py stop
    .venv/bin/python scripts/cluster.py status

(``make cluster-start`` / ``make cluster-stop``; docs/deploy.rst.)

Everything lives in ``var/cluster/`` (``COMMUNESPLONE_CLUSTER_DIR``):
``postgres/`` (the database cluster, made by Debian's initdb; run as the
``postgres`` user when we are root, since PostgreSQL refuses root), or
``zeo/`` (Data.fs and blobs of the ZEO server), ``instance<N>/`` (each one's
zope.conf and zope.ini, written by bootstrap.py's one generator, its logs:
``log/access.log`` the request log, ``log/slow.log`` the slow-request log,
``log/instance.log`` its console), ``haproxy.cfg``, ``varnish.vcl``, the pid
files and the logs of the servers. The site is created on the first start.

Ports (environment): COMMUNESPLONE_PG_PORT (5433), COMMUNESPLONE_ZEO_PORT
(8100), COMMUNESPLONE_CLUSTER_PORT (HAProxy, 8090; the instances take the
next ones: 8091, 8092, ...), COMMUNESPLONE_VARNISH_PORT (8088),
COMMUNESPLONE_HAPROXY_STATS_PORT (8089).

The :class:`Cluster` class is what the cluster tests and benchmarks/cluster.py
drive (free ports, a throw-away folder).
"""

from pathlib import Path

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from AuthEncoding.AuthEncoding import pw_encrypt  # noqa: E402

import bootstrap  # noqa: E402  (the one zope.conf generator)


BIN = ROOT / ".venv" / "bin"
PG_BIN = Path(os.environ.get("COMMUNESPLONE_PG_BIN", "/usr/lib/postgresql/15/bin"))
DB_USER = "communesplone"
DB_NAME = "communesplone"


def _pg_bin():
    """Debian's PostgreSQL binaries (the newest installed major version)."""
    if (PG_BIN / "initdb").exists():
        return PG_BIN
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    if not versions:
        sys.exit("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    return versions[0].parent


HAPROXY_CFG = """\
global
    maxconn 1024
    log stdout format raw local0
    # The runtime API: "set server zope/instance2 state maint|ready" (benchmarks/cluster.py).
    stats socket {socket} mode 600 level admin

defaults
    mode http
    log global
    option httplog
    option redispatch
    retries 2
    timeout connect 5s
    timeout client 300s
    timeout server 300s
    timeout queue 120s

frontend www
    bind 127.0.0.1:{port}
    option forwardfor
    default_backend zope

backend zope
    # Each waitress instance serves 4 threads. HAProxy sends it 3 requests at
    # a time, queues the rest and gives a request to the instance with the
    # fewest in progress: the fourth thread stays free for the health check,
    # which would otherwise wait behind slow pages, time out, and take a busy
    # but healthy instance out (every request then a 503). A check still
    # gets 10 s, and an instance is out after 3 failed checks in a row.
    balance leastconn
    option httpchk GET /@@health
    http-check expect status 200
    timeout check 10s
    default-server inter 2s fall 3 rise 1 maxconn 3
{servers}
listen stats
    bind 127.0.0.1:{stats_port}
    stats enable
    stats uri /
"""

VARNISH_VCL = """\
vcl 4.1;

# Varnish in front of HAProxy. Plone (plone.app.caching's with-caching-proxy
# rules) says what may be cached (s-maxage); plone.cachepurging sends PURGE
# from the instances when content changes.
backend haproxy {{
    .host = "127.0.0.1";
    .port = "{backend_port}";
}}

acl purge {{
    "127.0.0.1";
}}

sub vcl_recv {{
    if (req.method == "PURGE") {{
        if (!client.ip ~ purge) {{
            return (synth(405, "Not allowed."));
        }}
        return (purge);
    }}
    if (req.method != "GET" && req.method != "HEAD") {{
        return (pass);
    }}
    if (req.http.Authorization || req.http.Cookie ~ "(^|; ?)__ac=") {{
        return (pass);
    }}
    if (req.url ~ "@@health") {{
        return (pass);
    }}
    # Anonymous requests: Plone's answers do not depend on other cookies.
    unset req.http.Cookie;
    return (hash);
}}

sub vcl_backend_response {{
    # Only what Plone declares cacheable is cached (Varnish's default TTL
    # would cache pages that Plone did not mark).
    if (!beresp.http.Cache-Control ~ "s-maxage" && !beresp.http.Surrogate-Control) {{
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }}
}}

sub vcl_deliver {{
    if (obj.hits > 0) {{
        set resp.http.X-Cache = "HIT";
    }} else {{
        set resp.http.X-Cache = "MISS";
    }}
}}
"""

ZEO_CONF = """\
<zeo>
    address 127.0.0.1:{port}
</zeo>
<filestorage 1>
    path {folder}/Data.fs
    blob-dir {folder}/blobs
</filestorage>
<eventlog>
    <logfile>
        path {folder}/zeo.log
    </logfile>
</eventlog>
"""


def say(message):
    print(f"==> {message}", flush=True)


def _as_owner(command):
    """Run as the ``postgres`` user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *map(str, command)]
    return [str(part) for part in command]


def get(url, timeout=5, headers=None):
    """(status, body) of a GET; (0, reason) when nothing answers."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, urllib.error.URLError) as error:
        return 0, str(error).encode()


class Cluster:
    """The servers of a cluster in ``folder``; see the module's docstring."""

    def __init__(
        self,
        folder,
        *,
        instances=2,
        storage="relstorage",
        varnish=False,
        pg_port=5433,
        zeo_port=8100,
        port=8090,
        varnish_port=8088,
        stats_port=8089,
        instance_ports=None,
        site_id="Plone",
        admin="admin:admin",
        threshold=2.0,
        environment=None,
    ):
        self.folder = Path(folder).resolve()
        self.environment = dict(environment or {})  # the instances' extra variables
        self.count = instances
        self.storage = storage
        self.varnish = varnish
        self.pg_port = pg_port
        self.zeo_port = zeo_port
        self.port = port
        self.varnish_port = varnish_port
        self.stats_port = stats_port
        self.instance_ports = instance_ports or [port + 1 + n for n in range(instances)]
        self.site_id = site_id
        self.admin = admin
        self.threshold = threshold
        self.state = self.folder / "cluster.json"

    # Paths and addresses

    @property
    def dsn(self):
        return f"dbname={DB_NAME} user={DB_USER} host=127.0.0.1 port={self.pg_port}"

    @property
    def pgdata(self):
        return self.folder / "postgres"

    @property
    def zeo_folder(self):
        return self.folder / "zeo"

    def instance_folder(self, number):
        return self.folder / f"instance{number}"

    def zope_conf(self, number=1):
        return self.instance_folder(number) / "etc" / "zope.conf"

    def instance_url(self, number):
        return f"http://127.0.0.1:{self.instance_ports[number - 1]}"

    @property
    def url(self):
        """The entry point: Varnish when it runs, else HAProxy."""
        return f"http://127.0.0.1:{self.varnish_port if self.varnish else self.port}"

    @property
    def haproxy_url(self):
        return f"http://127.0.0.1:{self.port}"

    def _pidfile(self, name):
        return self.folder / f"{name}.pid"

    # Processes: each in its own session (process group), its pid in a file

    def _spawn(self, name, command, log, **kwargs):
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as output:
            process = subprocess.Popen(
                [str(part) for part in command],
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                **kwargs,
            )
        self._pidfile(name).write_text(str(process.pid))
        return process

    def pid(self, name):
        path = self._pidfile(name)
        if not path.exists():
            return None
        pid = int(path.read_text())
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def _kill(self, name, sig=signal.SIGTERM, timeout=30):
        """Signal the process group of ``name`` and wait until it is gone."""
        pid = self.pid(name)
        if pid is None:
            self._pidfile(name).unlink(missing_ok=True)
            return False
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                finished, _status = os.waitpid(pid, os.WNOHANG)
                if finished:
                    break
            except ChildProcessError:  # not our child: poll it
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
        self._pidfile(name).unlink(missing_ok=True)
        return True

    def _wait(self, url, what, timeout=180, process=None, ok=(200,)):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _body = get(url, timeout=5)
            if status in ok:
                return
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{what} exited with {process.returncode}: see its log")
            time.sleep(0.3)
        raise RuntimeError(f"{what} did not answer at {url} within {timeout} s")

    # PostgreSQL

    def postgres_start(self):
        pg = _pg_bin()
        self.folder.mkdir(parents=True, exist_ok=True)
        log = self.folder / "postgres.log"
        if not (self.pgdata / "PG_VERSION").exists():
            say(f"initdb {self.pgdata}")
            self.pgdata.mkdir(parents=True, exist_ok=True)
            self.pgdata.chmod(0o700)
            if os.geteuid() == 0:
                shutil.chown(self.pgdata, "postgres", "postgres")
                log.touch()
                shutil.chown(log, "postgres", "postgres")
            # Trust on loopback: a local cluster (docs/deploy.rst says what a
            # server needs instead: a password in the DSN, scram-sha-256).
            subprocess.run(
                _as_owner(
                    [
                        pg / "initdb",
                        "-D",
                        self.pgdata,
                        "-U",
                        DB_USER,
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),  # fmt: skip
                check=True,
                stdout=subprocess.DEVNULL,
            )
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.pg_port} -c unix_socket_directories=''"
            " -c max_connections=200 -c shared_buffers=128MB"
        )
        say(f"PostgreSQL on 127.0.0.1:{self.pg_port}")
        running = subprocess.run(
            _as_owner([pg / "pg_ctl", "-D", self.pgdata, "status"]), capture_output=True
        )
        if running.returncode != 0:
            subprocess.run(
                _as_owner(
                    [pg / "pg_ctl", "-D", self.pgdata, "-l", log, "-o", options, "-w", "start"]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        exists = subprocess.run(
            [pg / "psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", DB_USER, "-d",
             "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{DB_NAME}'"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip
        if exists != "1":
            self.createdb(DB_NAME)

    def createdb(self, name):
        pg = _pg_bin()
        subprocess.run(
            [pg / "createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", DB_USER, name],
            check=True,
        )

    def postgres_stop(self, mode="fast"):
        if not (self.pgdata / "postmaster.pid").exists():
            return
        say("stopping PostgreSQL")
        subprocess.run(
            _as_owner([_pg_bin() / "pg_ctl", "-D", self.pgdata, "-m", mode, "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )

    # ZEO

    def zeo_start(self):
        folder = self.zeo_folder
        (folder / "blobs").mkdir(parents=True, exist_ok=True)
        (folder / "blobs").chmod(0o700)
        conf = folder / "zeo.conf"
        conf.write_text(ZEO_CONF.format(port=self.zeo_port, folder=folder))
        say(f"ZEO server on 127.0.0.1:{self.zeo_port}")
        process = self._spawn("zeo", [BIN / "runzeo", "-C", conf], folder / "runzeo.log")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("the ZEO server exited: see runzeo.log")
            import socket

            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.zeo_port)) == 0:
                    return process
            time.sleep(0.2)
        raise RuntimeError("the ZEO server does not listen")

    # Instances

    def configure(self):
        """Write each instance's zope.conf and zope.ini (bootstrap.py's generator)."""
        for number in range(1, self.count + 1):
            folder = self.instance_folder(number)
            for sub in ("etc", "log", "cache", "blobcache"):
                (folder / sub).mkdir(parents=True, exist_ok=True)
            (folder / "blobcache").chmod(0o700)
            conf = bootstrap.zope_conf(
                folder,
                folder,
                self.storage,
                zeo_address=f"127.0.0.1:{self.zeo_port}",
                dsn=self.dsn,
                blobs=self.zeo_folder / "blobs",
            )
            ini = bootstrap.zope_ini("127.0.0.1", self.instance_ports[number - 1], folder)
            ini = ini.replace("threshold = 2.0", f"threshold = {self.threshold}")
            (folder / "etc" / "zope.conf").write_text(conf)
            (folder / "etc" / "zope.ini").write_text(ini)
            # The Zope administrator, which Zope adds when its user folder is empty
            login, _, password = self.admin.partition(":")
            inituser = folder / "inituser"
            inituser.write_text(f"{login}:{pw_encrypt(password, 'SSHA').decode()}\n")
            inituser.chmod(0o600)

    def zconsole(self, script, *args, env=None, number=1):
        """Run ``script`` under zconsole on instance ``number``'s zope.conf."""
        return subprocess.run(
            [str(BIN / "zconsole"), "run", str(self.zope_conf(number)), str(script), *args],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
        )

    def create_site(self):
        marker = self.folder / "site-created"
        if self.site_id is None or marker.exists():
            return  # no site (the tests' bare cluster), or made already
        say(f"creating the site {self.site_id!r} (once)")
        self.zconsole(
            ROOT / "scripts" / "create_site.py",
            env={
                "COMMUNESPLONE_SITE_ID": self.site_id,
                "COMMUNESPLONE_ADMIN": self.admin,
                "COMMUNESPLONE_LOGINS_FILE": str(self.folder / "demo-logins.txt"),
            },
        )
        marker.write_text(self.site_id)

    def instance_start(self, number, wait=True):
        folder = self.instance_folder(number)
        process = self._spawn(
            f"instance{number}",
            [BIN / "runwsgi", folder / "etc" / "zope.ini"],
            folder / "log" / "instance.log",
            env={**os.environ, **self.environment},
        )
        if wait:
            self.wait_instance(number, process)
        return process

    def wait_instance(self, number, process=None, timeout=180):
        url = f"{self.instance_url(number)}/@@health"
        self._wait(url, f"instance {number}", timeout=timeout, process=process)

    def instance_stop(self, number, sig=signal.SIGTERM):
        return self._kill(f"instance{number}", sig)

    # HAProxy and Varnish

    def haproxy_start(self):
        servers = "\n".join(
            f"    server instance{n} 127.0.0.1:{self.instance_ports[n - 1]} check"
            for n in range(1, self.count + 1)
        )
        cfg = self.folder / "haproxy.cfg"
        cfg.write_text(
            HAPROXY_CFG.format(
                port=self.port,
                stats_port=self.stats_port,
                servers=servers,
                socket=self.haproxy_socket,
            )
        )
        say(f"HAProxy on 127.0.0.1:{self.port} (stats on :{self.stats_port})")
        process = self._spawn("haproxy", ["haproxy", "-db", "-f", cfg], self.folder / "haproxy.log")
        self._wait(f"{self.haproxy_url}/@@health", "HAProxy", process=process)
        return process

    @property
    def haproxy_socket(self):
        return self.folder / "haproxy.sock"

    def haproxy_command(self, command):
        """Send ``command`` to HAProxy's runtime API and return its answer."""
        import socket

        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as channel:
            channel.connect(str(self.haproxy_socket))
            channel.sendall(command.encode() + b"\n")
            answer = b""
            while chunk := channel.recv(4096):
                answer += chunk
        return answer.decode()

    def varnish_start(self):
        vcl = self.folder / "varnish.vcl"
        vcl.write_text(VARNISH_VCL.format(backend_port=self.port))
        workdir = self.folder / "varnish"
        workdir.mkdir(exist_ok=True)
        say(f"Varnish on 127.0.0.1:{self.varnish_port}")
        process = self._spawn(
            "varnish",
            ["varnishd", "-F", "-n", workdir, "-a", f"127.0.0.1:{self.varnish_port}",
             "-T", "none", "-f", vcl, "-s", "malloc,256m"],
            self.folder / "varnish.log",
        )  # fmt: skip
        self._wait(f"{self.url}/@@health", "Varnish", process=process)
        self.zconsole(
            ROOT / "scripts" / "cluster_caching.py",
            env={"COMMUNESPLONE_SITE_ID": self.site_id, "COMMUNESPLONE_PURGE_URL": self.url},
        )
        return process

    # The whole

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.storage == "relstorage":
            self.postgres_start()
        elif self.storage == "zeo":
            self.zeo_start()
        else:
            raise ValueError("a cluster shares a relstorage or zeo storage")
        self.configure()
        self.create_site()
        # The first instance alone (a new database gets its schema), then the others.
        say(f"instance 1 on {self.instance_url(1)}")
        self.instance_start(1)
        processes = {}
        for number in range(2, self.count + 1):
            say(f"instance {number} on {self.instance_url(number)}")
            processes[number] = self.instance_start(number, wait=False)
        for number, process in processes.items():
            self.wait_instance(number, process)
        self.haproxy_start()
        if self.varnish:
            self.varnish_start()
        self.state.write_text(json.dumps(self.settings()))
        say(f"the cluster answers at {self.url}/{self.site_id}")

    def stop(self):
        for name in ("varnish", "haproxy"):
            if self._kill(name):
                say(f"{name} stopped")
        for path in sorted(self.folder.glob("instance*.pid")):
            if self._kill(path.stem):
                say(f"{path.stem} stopped")
        if self._kill("zeo"):
            say("ZEO server stopped")
        self.postgres_stop()
        self.state.unlink(missing_ok=True)

    def settings(self):
        return {
            "instances": self.count,
            "storage": self.storage,
            "varnish": self.varnish,
            "pg_port": self.pg_port,
            "zeo_port": self.zeo_port,
            "port": self.port,
            "varnish_port": self.varnish_port,
            "stats_port": self.stats_port,
            "instance_ports": self.instance_ports,
            "site_id": self.site_id,
            "admin": self.admin,
        }

    @classmethod
    def load(cls, folder):
        """The cluster started in ``folder`` (its settings), or a default one."""
        state = Path(folder) / "cluster.json"
        if state.exists():
            return cls(folder, **json.loads(state.read_text()))
        return cls(folder)

    def status(self):
        lines = []
        names = ["postgres" if self.storage == "relstorage" else "zeo", "haproxy", "varnish"]
        for number in range(1, self.count + 1):
            status, _ = get(f"{self.instance_url(number)}/@@health")
            lines.append(f"instance{number} {self.instance_url(number)}: {status or 'down'}")
        for name in names[1:]:
            lines.append(f"{name}: {'running' if self.pid(name) else 'stopped'}")
        return "\n".join(lines)


def from_environment(folder=None, **options):
    env = os.environ.get
    return Cluster(
        folder or env("COMMUNESPLONE_CLUSTER_DIR", ROOT / "var" / "cluster"),
        pg_port=int(env("COMMUNESPLONE_PG_PORT", "5433")),
        zeo_port=int(env("COMMUNESPLONE_ZEO_PORT", "8100")),
        port=int(env("COMMUNESPLONE_CLUSTER_PORT", "8090")),
        varnish_port=int(env("COMMUNESPLONE_VARNISH_PORT", "8088")),
        stats_port=int(env("COMMUNESPLONE_HAPROXY_STATS_PORT", "8089")),
        site_id=env("COMMUNESPLONE_SITE_ID", "Plone"),
        admin=env("COMMUNESPLONE_ADMIN", "admin:admin"),
        **options,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status"])
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--storage", choices=["relstorage", "zeo"], default="relstorage")
    parser.add_argument("--varnish", action="store_true", help="Varnish in front of HAProxy")
    args = parser.parse_args(argv)
    if args.command == "start":
        bootstrap.debian_packages(bootstrap.DEBIAN_CLUSTER)
        cluster = from_environment(
            instances=args.instances, storage=args.storage, varnish=args.varnish
        )
        try:
            cluster.start()
        except BaseException:
            cluster.stop()
            raise
    else:
        folder = os.environ.get("COMMUNESPLONE_CLUSTER_DIR", ROOT / "var" / "cluster")
        cluster = Cluster.load(folder)
        if args.command == "stop":
            cluster.stop()
        else:
            print(cluster.status())


if __name__ == "__main__":
    main()
