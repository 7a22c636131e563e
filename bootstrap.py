#!/usr/bin/env python3
"""Set up, run and test CommunesPlone on a fresh Debian or Ubuntu machine.

    python3 bootstrap.py run     set everything up, then serve the site on :8080
    python3 bootstrap.py test    set up what the tests need, run ruff and pytest
    python3 bootstrap.py setup   set up without serving (venv, instance, site)
    python3 bootstrap.py versions  write versions.cfg for buildout from constraints.txt

Every step is idempotent: the virtual environment is rebuilt only when
constraints.txt or setup.py changed, the instance configuration only when its
text changed, and the site only when it does not exist yet.
Only the standard library is used here, since this runs before the venv exists.
"""

from pathlib import Path

import hashlib
import os
import shutil
import subprocess
import sys


ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
VAR = ROOT / "var"
INSTANCE = VAR / "instance"
HOST = os.environ.get("COMMUNESPLONE_HOST", "127.0.0.1")
PORT = os.environ.get("COMMUNESPLONE_PORT", "8080")
SITE_ID = os.environ.get("COMMUNESPLONE_SITE_ID", "Plone")
ADMIN = os.environ.get("COMMUNESPLONE_ADMIN", "admin:admin")

# Debian packages: LibreOffice converts documents to PDF/DOCX (python3-uno is
# the UNO bridge appy talks to), pdftotext reads PDFs back in tests, Chromium
# drives the browser tests, Java runs the W3C Nu HTML Checker of the standards tests.
DEBIAN_RUN = ["libreoffice-writer-nogui", "libreoffice-calc-nogui", "python3-uno"]
# PostgreSQL, HAProxy and Varnish: the cluster tests (scripts/cluster.py).
DEBIAN_CLUSTER = ["postgresql", "haproxy", "varnish"]
DEBIAN_TEST = [*DEBIAN_RUN, "poppler-utils", "chromium", "default-jre-headless", *DEBIAN_CLUSTER]
LINTED = ["src", "scripts", "benchmarks", "bootstrap.py", "conftest.py"]
# The eID login tests run a real OpenID Connect provider: node's oidc-provider,
# installed with npm from this folder's package-lock.json (Node.js 20 or later).
OIDC_PROVIDER = ROOT / "src" / "communesplone" / "edesk" / "tests" / "oidc_provider"
# The standards tests' axe-core and vnu-jar (the Nu HTML Checker), the same way.
STANDARDS = ROOT / "src" / "communesplone" / "core" / "tests" / "standards"

ZOPE_CONF = """\
%define INSTANCE {instance}
%define VAR {var}
instancehome $INSTANCE
clienthome $VAR
debug-mode off
security-policy-implementation C
verbose-security off
default-zpublisher-encoding utf-8
# The reverse proxy on this host: its X-Forwarded-For names the client (the
# e-desk counts anonymous submissions per client address).
trusted-proxy 127.0.0.1
# A request that meets a ZODB conflict is run again from the start. Writers
# that number (e-desk requests, meetings) conflict by design, and under load
# the catalog's buckets too: 3 attempts (Zope's default) let some reach a
# user as a 500 under 50 concurrent writers (benchmarks/cluster.py).
max-conflict-retries 10
<environment>
    zope_i18n_compile_mo_files true
    CHAMELEON_CACHE $VAR/cache
</environment>
{storage}<zodb_db main>
{storage_section}    mount-point /
    cache-size 30000
</zodb_db>
<dos_protection>
</dos_protection>
"""


# The storage switch: COMMUNESPLONE_STORAGE picks one of these for zope.conf
# (docs/deploy.rst). filestorage is the embedded default; zeo is a client of
# the ZEO server at COMMUNESPLONE_ZEO_ADDRESS (buildout's zeoserver part, or
# scripts/cluster.py's), sharing its blob folder; relstorage is PostgreSQL,
# history-free, with a local blob cache, at COMMUNESPLONE_RELSTORAGE_DSN
# (default: the cluster that scripts/cluster.py starts).
STORAGE = os.environ.get("COMMUNESPLONE_STORAGE", "filestorage")
ZEO_ADDRESS = os.environ.get("COMMUNESPLONE_ZEO_ADDRESS", "127.0.0.1:8100")
RELSTORAGE_DSN = os.environ.get(
    "COMMUNESPLONE_RELSTORAGE_DSN",
    "dbname=communesplone user=communesplone host=127.0.0.1 port=5433",
)
STORAGES = {
    "filestorage": """\
    <filestorage>
        path $VAR/filestorage/Data.fs
        blob-dir {blobs}
    </filestorage>
""",
    "zeo": """\
    <zeoclient>
        server {zeo_address}
        storage 1
        name zeostorage
        var $VAR
        blob-dir {blobs}
        shared-blob-dir on
        cache-size 256MB
    </zeoclient>
""",
    "relstorage": """\
    <relstorage>
        keep-history false
        blob-dir $VAR/blobcache
        shared-blob-dir false
        blob-cache-size 1gb
        cache-local-mb 256
        <postgresql>
            dsn {dsn}
        </postgresql>
    </relstorage>
""",
}

ZOPE_INI = """\
[app:zope]
use = egg:Zope#main
zope_conf = %(here)s/zope.conf

[server:main]
use = egg:waitress#main
listen = {host}:{port}
threads = 4

[filter:translogger]
use = egg:Paste#translogger
setup_console_handler = False

# The slow-request log: requests over threshold seconds, to var/log/slow.log
[filter:slowlog]
use = call:communesplone.core.slowlog:filter_factory
threshold = 2.0

# 503, not 500, when PostgreSQL or the ZEO server does not answer
[filter:unavailable]
use = call:communesplone.core.health:unavailable_filter

[pipeline:main]
pipeline =
    egg:Zope#httpexceptions
    translogger
    slowlog
    unavailable
    zope

[loggers]
keys = root, waitress, wsgi, slow

[handlers]
keys = console, accesslog, slowlog

[formatters]
keys = generic, message

[formatter_generic]
format = %(asctime)s %(levelname)s [%(name)s:%(lineno)s] %(message)s
datefmt = %Y-%m-%d %H:%M:%S

[formatter_message]
format = %(message)s

[logger_root]
level = INFO
handlers = console

[logger_waitress]
level = INFO
handlers = console
qualname = waitress
propagate = 0

[logger_wsgi]
level = INFO
handlers = accesslog
qualname = wsgi
propagate = 0

[logger_slow]
level = WARNING
handlers = slowlog
qualname = communesplone.slow
propagate = 0

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[handler_accesslog]
class = FileHandler
args = (r'{var}/log/access.log', 'a')
level = INFO
formatter = message

[handler_slowlog]
class = FileHandler
args = (r'{var}/log/slow.log', 'a')
level = WARNING
formatter = generic
"""


def say(message):
    print(f"==> {message}", flush=True)


def run(*command, **kwargs):
    subprocess.run([str(part) for part in command], check=True, **kwargs)


def _missing_debian(packages):
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for name in packages:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name],
            capture_output=True,
            text=True,
        )
        if "install ok installed" not in result.stdout:
            missing.append(name)
    return missing


def debian_packages(packages):
    """Install the Debian packages that are missing, when we may (root or sudo)."""
    missing = _missing_debian(packages)
    if not missing:
        return
    if os.geteuid() == 0:
        prefix = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"]).returncode == 0:
        prefix = ["sudo", "-n"]
    else:
        say(
            "cannot install Debian packages (not root, no sudo): "
            + " ".join(missing)
            + "; the features and tests that need them are skipped."
        )
        return
    say("installing Debian packages: " + " ".join(missing))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(*prefix, "apt-get", "update", "-q", env=env)
    run(*prefix, "apt-get", "install", "-y", "-q", "--no-install-recommends", *missing, env=env)


def node_modules():
    """npm ci for the test OIDC provider and the standards tests' tools, unless
    their lock files are unchanged.

    Node.js and npm come from Debian when absent (a newer Node.js already on
    the machine is kept). No install script runs: vnu-jar's would download a
    Java runtime, and Debian's is used instead.
    """
    if shutil.which("node") is None:
        debian_packages(["nodejs", "npm"])
    npm = shutil.which("npm")
    if npm is None:
        say("Node.js or npm is missing: the eID login and standards tests will be skipped")
        return
    for folder, what in ((OIDC_PROVIDER, "test OIDC provider"), (STANDARDS, "standards tools")):
        stamp = folder / "node_modules" / ".communesplone-installed"
        fingerprint = _fingerprint(folder / "package-lock.json")
        if stamp.exists() and stamp.read_text() == fingerprint:
            say(f"{what} up to date")
            continue
        say(f"installing the {what} (npm ci)")
        run(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", cwd=folder)
        stamp.write_text(fingerprint)


def _fingerprint(*paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


# setup.py's extras installed in .venv: the tests, buildout's recipes, and the
# meetings' name detector (spaCy), so that the tests measure it too
EXTRAS = "test,buildout,ner"


def venv():
    """Create .venv and install the pinned working set, unless it is current."""
    stamp = VENV / ".communesplone-installed"
    fingerprint = _fingerprint(ROOT / "constraints.txt", ROOT / "setup.py") + EXTRAS
    if stamp.exists() and stamp.read_text() == fingerprint:
        say("virtual environment is up to date")
        return
    if not (BIN / "python").exists():
        say("creating the virtual environment in .venv")
        run(sys.executable, "-m", "venv", VENV)
    say("installing the pinned packages (constraints.txt)")
    pip = [BIN / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run(*pip, "-c", ROOT / "constraints.txt", "pip", "setuptools", "wheel")
    run(*pip, "-c", ROOT / "constraints.txt", "-e", f"{ROOT}[{EXTRAS}]")
    stamp.write_text(fingerprint)


def _write_if_changed(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def zope_conf(instance, var, storage=None, *, zeo_address=None, dsn=None, blobs=None):
    """The text of zope.conf on ``storage`` (default: COMMUNESPLONE_STORAGE).

    The one generator of every zope.conf: bootstrap.py's instance and
    scripts/cluster.py's instances. ``blobs`` is the blob folder of FileStorage
    and of a ZEO client (the ZEO server's, shared); RelStorage keeps a cache.
    """
    storage = storage or STORAGE
    if storage not in STORAGES:
        sys.exit(f"COMMUNESPLONE_STORAGE must be one of {', '.join(STORAGES)}, not {storage!r}")
    section = STORAGES[storage].format(
        blobs=blobs or "$VAR/blobstorage",
        zeo_address=zeo_address or ZEO_ADDRESS,
        dsn=dsn or RELSTORAGE_DSN,
    )
    return ZOPE_CONF.format(
        instance=instance,
        var=var,
        storage="%import relstorage\n" if storage == "relstorage" else "",
        storage_section=section,
    )


def zope_ini(host, port, var):
    """The text of zope.ini: waitress on host:port, the request and slow-request logs."""
    return ZOPE_INI.replace("{host}", host).replace("{port}", str(port)).replace("{var}", str(var))


def instance():
    """Write the Zope instance configuration (its storage: COMMUNESPLONE_STORAGE) under var/."""
    for folder in ("filestorage", "blobstorage", "log", "cache"):
        (VAR / folder).mkdir(parents=True, exist_ok=True)
    (VAR / "blobstorage").chmod(0o700)
    _write_if_changed(INSTANCE / "etc" / "zope.conf", zope_conf(INSTANCE, VAR))
    _write_if_changed(
        INSTANCE / "etc" / "zope.ini",
        zope_ini(HOST, PORT, VAR),
    )


def site():
    """Create the admin user and the Plone site with the demo, where absent."""
    env = {
        **os.environ,
        "COMMUNESPLONE_SITE_ID": SITE_ID,
        "COMMUNESPLONE_ADMIN": ADMIN,
        "COMMUNESPLONE_LOGINS_FILE": str(VAR / "demo-logins.txt"),
    }
    run(
        BIN / "zconsole",
        "run",
        INSTANCE / "etc" / "zope.conf",
        ROOT / "scripts" / "create_site.py",
        env=env,
    )


def setup():
    debian_packages(DEBIAN_RUN)
    venv()
    instance()
    site()


def serve():
    setup()
    admin, _, password = ADMIN.partition(":")
    print(
        f"\nCommunesPlone is served at http://localhost:{PORT}/{SITE_ID}"
        f"  (http://localhost:{PORT}/ leads there; the ZMI: http://localhost:{PORT}/manage)\n"
        f"  administrator: {admin} / {password}\n",
        flush=True,
    )
    logins = VAR / "demo-logins.txt"
    if logins.exists():
        print(logins.read_text(), flush=True)
    office = libreoffice()
    try:
        subprocess.run([str(BIN / "runwsgi"), str(INSTANCE / "etc" / "zope.ini")])
    except KeyboardInterrupt:
        pass
    finally:
        if office is not None:
            office.terminate()
            office.wait(timeout=30)


def libreoffice():
    """Start the LibreOffice servers that PDF conversion uses, unless absent."""
    if not shutil.which("soffice"):
        say("LibreOffice is not installed: documents are generated as ODT only")
        return None
    ports = os.environ.get("COMMUNESPLONE_LO_PORTS", "2002")
    say(f"starting LibreOffice on port(s) {ports}")
    return subprocess.Popen(
        [
            str(BIN / "python"),
            "-m",
            "communesplone.documents.libreoffice",
            "--ports",
            ports,
            "--workdir",
            str(VAR / "libreoffice"),
        ]
    )


def test(pytest_args):
    debian_packages(DEBIAN_TEST)
    venv()
    node_modules()
    say("ruff")
    run(BIN / "ruff", "check", *LINTED, cwd=ROOT)
    run(BIN / "ruff", "format", "--check", *LINTED, cwd=ROOT)
    say("pytest")
    result = subprocess.run([str(BIN / "pytest"), *pytest_args], cwd=ROOT)
    sys.exit(result.returncode)


def versions():
    """Write versions.cfg for buildout from constraints.txt (never by hand)."""
    lines = ["# Generated from constraints.txt by bootstrap.py; do not edit.", "[versions]"]
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "==" in line:
            name, _, version = line.partition("==")
            lines.append(f"{name} = {version}")
    _write_if_changed(ROOT / "versions.cfg", "\n".join(lines) + "\n")
    say("versions.cfg written")


def main(argv):
    command = argv[1] if len(argv) > 1 else "run"
    if command == "run":
        serve()
    elif command == "setup":
        setup()
    elif command == "test":
        test(argv[2:])
    elif command == "versions":
        versions()
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main(sys.argv)
