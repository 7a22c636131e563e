"""LibreOffice in server mode, for appy.pod's conversions to PDF, DOCX, DOC, XLSX and CSV.

appy.pod renders ODT/ODS by itself; any other format is produced by a LibreOffice
listening on a TCP port, driven through UNO. UNO exists only in Debian's
``/usr/bin/python3`` (package python3-uno), not in the venv's Python, so appy runs
``<pythonWithUnoPath> appy/bin/convert.py ...`` in a subprocess. That script imports
appy (and appy imports ``persistent``), so the UNO Python must see the venv's
site-packages: :func:`uno_python_wrapper` writes a tiny shell script that sets
``PYTHONPATH`` and then execs the UNO Python.

Where LibreOffice listens comes from :func:`settings` (defaults, then the Plone
registry, then environment variables). :func:`start` (or the command line
``python -m communesplone.documents.libreoffice --ports 2002,2003``) starts the
servers.
"""

from communesplone import _
from dataclasses import dataclass
from pathlib import Path
from zope.component import queryUtility
from zope.component.hooks import getSite

import appy
import argparse
import atexit
import contextlib
import functools
import ipaddress
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time


MESSAGE_MISSING = _(
    "Converting documents to PDF, DOCX, DOC, XLSX or CSV needs LibreOffice. Install the Debian "
    "packages libreoffice-writer-nogui, libreoffice-calc-nogui and python3-uno, then start "
    "LibreOffice in server mode."
)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORTS = (2002,)
DEFAULT_UNO_PYTHON = "/usr/bin/python3"

RECORD_PREFIX = "communesplone.documents."
ENV_HOST = "COMMUNESPLONE_LO_HOST"
ENV_PORTS = "COMMUNESPLONE_LO_PORTS"
ENV_UNO_PYTHON = "COMMUNESPLONE_UNO_PYTHON"

CONNECT_TIMEOUT = 0.5  # seconds, to probe a port
START_TIMEOUT = 60  # seconds, for a server to accept connections
STOP_TIMEOUT = 10  # seconds, before SIGKILL


class LibreOfficeUnavailable(Exception):
    """No LibreOffice to convert with: not installed, or no server listening."""

    def __init__(self, message=MESSAGE_MISSING):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Settings:
    """Where the LibreOffice servers listen, and which Python has UNO."""

    host: str
    ports: tuple[int, ...]
    uno_python: str


def _parse_ports(value):
    """``"2002, 2003"`` or ``[2002, 2003]`` -> ``(2002, 2003)``."""
    if isinstance(value, str):
        value = value.split(",")
    return tuple(int(str(port).strip()) for port in value if str(port).strip())


def _registry_record(name):
    """The value of registry record ``communesplone.documents.<name>``, or None.

    None as well when no Plone site is active (scripts, plain tests) or when the
    record does not exist (profile not applied yet).
    """
    if getSite() is None:
        return None
    # Imported here, so that the command line does not load the whole of Plone.
    from plone import api
    from plone.registry.interfaces import IRegistry

    if queryUtility(IRegistry) is None:
        return None
    return api.portal.get_registry_record(RECORD_PREFIX + name, default=None)


def settings():
    """Current :class:`Settings`: defaults, then registry records, then environment."""
    return _read_settings()


def _read_settings():
    """See :func:`settings` (whose name the other functions' argument hides)."""
    host = _registry_record("lo_host") or DEFAULT_HOST
    ports = _parse_ports(_registry_record("lo_ports") or ()) or DEFAULT_PORTS
    uno_python = _registry_record("uno_python") or DEFAULT_UNO_PYTHON
    host = os.environ.get(ENV_HOST) or host
    ports = _parse_ports(os.environ.get(ENV_PORTS) or "") or ports
    uno_python = os.environ.get(ENV_UNO_PYTHON) or uno_python
    return Settings(host=host, ports=ports, uno_python=uno_python)


_wrapper_lock = threading.Lock()


@functools.cache
def _wrapper(uno_python, pid):
    """Write the wrapper script for ``uno_python`` (once per process: ``pid`` is in the key)."""
    site_packages = str(Path(appy.__file__).resolve().parent.parent)
    folder = tempfile.mkdtemp(prefix="communesplone-uno-")
    atexit.register(_remove_folder, folder, pid)
    path = os.path.join(folder, "uno-python")
    with open(path, "w") as script:
        script.write(
            "#!/bin/sh\n"
            "# UNO-enabled Python seeing the venv's packages (appy, persistent...).\n"
            f"PYTHONPATH={shlex.quote(site_packages)}${{PYTHONPATH:+:$PYTHONPATH}}\n"
            "export PYTHONPATH\n"
            f'exec {shlex.quote(uno_python)} "$@"\n'
        )
    os.chmod(path, 0o700)
    return path


def _remove_folder(folder, pid):
    """At exit, remove the wrapper's folder, unless in a forked child."""
    if os.getpid() == pid:
        shutil.rmtree(folder, ignore_errors=True)


def uno_python_wrapper(uno_python):
    """Path of an executable script running ``uno_python`` with the venv's site-packages.

    Pass it to appy's Renderer as ``pythonWithUnoPath``.
    """
    with _wrapper_lock:
        return _wrapper(uno_python, os.getpid())


def _accepts(host, port, timeout=CONNECT_TIMEOUT):
    """Does ``host:port`` accept a TCP connection?"""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def available(settings=None):
    """Is the UNO Python there, and does at least one LibreOffice port answer?"""
    settings = settings or _read_settings()
    if not (os.path.isfile(settings.uno_python) and os.access(settings.uno_python, os.X_OK)):
        return False
    return any(_accepts(settings.host, port) for port in settings.ports)


def _is_loopback(host):
    """Is ``host`` this machine (``localhost``, ``127.x.x.x``, ``::1``)?"""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def renderer_options(settings=None):
    """Keyword arguments for ``appy.pod.renderer.Renderer`` to convert through LibreOffice.

    On a loopback host, ``stream=False`` makes appy exchange files on disk with
    LibreOffice: its default ("auto") streams them through UNO unless the host is
    literally "localhost", which costs about 0.7 s per conversion.
    Raise :class:`LibreOfficeUnavailable` when no server answers.
    """
    settings = settings or _read_settings()
    if not available(settings):
        raise LibreOfficeUnavailable()
    ports = settings.ports
    options = {
        "pythonWithUnoPath": uno_python_wrapper(settings.uno_python),
        "ooServer": settings.host,
        "ooPort": ports[0] if len(ports) == 1 else list(ports),
    }
    if _is_loopback(settings.host):
        options["stream"] = False
    return options


class Servers:
    """LibreOffice servers started by :func:`start`; :meth:`stop` (or ``with``) ends them."""

    def __init__(self, host, ports, processes, workdir):
        self.host = host
        self.ports = tuple(ports)
        self.processes = list(processes)
        self.workdir = workdir

    def __repr__(self):
        return f"<Servers {self.host} ports={list(self.ports)}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def running(self):
        """Are all the servers' processes still alive?"""
        return all(process.poll() is None for process in self.processes)

    def stop(self):
        """Terminate every server and its children (its process group); idempotent."""
        processes, self.processes = self.processes, []
        for process in processes:
            _signal_group(process, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
            # soffice.bin, a child of oosplash, may outlive it for a moment.
            _signal_group(process, signal.SIGKILL)


def _signal_group(process, signum):
    """Send ``signum`` to the process group led by ``process``, if any is left."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def _command(soffice, port, workdir, host):
    """The command line of a headless LibreOffice listening on ``host:port``."""
    profile = (Path(workdir) / str(port)).as_uri()
    return [
        soffice,
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nodefault",
        "--nolockcheck",
        f"-env:UserInstallation={profile}",
        f"--accept=socket,host={host},port={port};urp;StarOffice.ComponentContext",
    ]


def start(ports, workdir, host=DEFAULT_HOST):
    """Start one headless LibreOffice per port, each in its own process group.

    ``workdir`` holds one user profile per port (``<workdir>/<port>``) and its log
    (``<workdir>/<port>.log``). Return once every port accepts connections.
    """
    soffice = shutil.which("soffice")
    if soffice is None:
        raise LibreOfficeUnavailable()
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    ports = _parse_ports(ports) if isinstance(ports, str) else tuple(ports)
    busy = [port for port in ports if _accepts(host, port)]
    if busy:
        raise RuntimeError(f"Cannot start LibreOffice: {host}:{busy} already in use.")
    servers = Servers(host, ports, [], workdir)

    def launch(port):
        with open(workdir / f"{port}.log", "ab") as log:
            return subprocess.Popen(
                _command(soffice, port, workdir, host),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    try:
        servers.processes.extend(launch(port) for port in ports)
        deadline = time.monotonic() + START_TIMEOUT
        for index, port in enumerate(ports):
            retried = False
            while not _accepts(host, port, timeout=0.2):
                process = servers.processes[index]
                log = workdir / f"{port}.log"
                if process.poll() is not None:
                    if retried:
                        raise RuntimeError(
                            f"LibreOffice for port {port} exited with code "
                            f"{process.returncode}; see {log}."
                        )
                    # A fresh profile's first start sometimes aborts: try once more.
                    _signal_group(process, signal.SIGKILL)
                    servers.processes[index] = launch(port)
                    retried = True
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"LibreOffice did not accept connections on {host}:{port} "
                        f"within {START_TIMEOUT} s; see {log}."
                    )
                time.sleep(0.1)
    except BaseException:
        servers.stop()
        raise
    return servers


def free_ports(count):
    """``count`` distinct loopback TCP ports free right now (someone may take them later)."""
    sockets = []
    try:
        for _index in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def main(argv=None):
    """Start LibreOffice servers, and keep them until SIGTERM or SIGINT."""
    parser = argparse.ArgumentParser(
        prog="python -m communesplone.documents.libreoffice", description=main.__doc__
    )
    parser.add_argument("--ports", default="2002", help="comma-separated, e.g. 2002,2003")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--workdir", default="var/libreoffice", help="user profiles and logs")
    args = parser.parse_args(argv)
    stopping = threading.Event()

    def request_stop(signum, frame):
        stopping.set()

    previous = {
        signum: signal.signal(signum, request_stop) for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        with start(_parse_ports(args.ports), args.workdir, args.host) as servers:
            ports = ",".join(str(port) for port in servers.ports)
            print(f"LibreOffice listening on {servers.host}, ports {ports}", flush=True)
            while not stopping.wait(1):
                if not servers.running():
                    print("A LibreOffice server exited; stopping the others.", file=sys.stderr)
                    return 1
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
