#!/usr/bin/env bash
# Prove that the classic buildout (buildout.cfg) builds and starts.
#
# From the repository root: create var/buildout-venv with zc.buildout pinned by
# constraints.txt, generate versions.cfg, run buildout, start the ZEO server and
# one instance on free loopback ports, wait until Zope answers HTTP, then stop
# both (always, through a trap). Exits non-zero on failure, with the last lines
# of the logs.
#
# The check builds into var/buildout-check/ (scripts, parts, Data.fs, blobs,
# logs, its own .installed.cfg), so it never touches a deployment's bin/,
# parts/ or var/filestorage, nor the ports 8080, 8081 and 8100. Its eggs go to
# a cache shared by every clone of this machine (like pip's own cache), so that
# a check on a clean clone does not download and unpack the ~240 distributions
# again: about 7 minutes from empty, seconds after.
#
# Environment: PYTHON (default python3), BUILDOUT_CHECK_TIMEOUT (seconds to wait
# for the instance to answer, default 300), BUILDOUT_CHECK_EGGS (the shared
# eggs directory, default ~/.cache/communesplone/buildout-eggs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
VENV="var/buildout-venv"
CHECK="$ROOT/var/buildout-check"
TIMEOUT="${BUILDOUT_CHECK_TIMEOUT:-300}"
EGGS="${BUILDOUT_CHECK_EGGS:-${XDG_CACHE_HOME:-$HOME/.cache}/communesplone/buildout-eggs}"

say() { printf '==> %s\n' "$*"; }

stop_servers() {
    # Stop what this check started (or what an interrupted run left behind).
    local part
    for part in instance zeoserver; do
        if [[ -x "$CHECK/bin/$part" ]]; then
            "$CHECK/bin/$part" stop >/dev/null 2>&1 || true
        fi
    done
}

show_logs() {
    local log
    for log in "$CHECK/log/instance.log" "$CHECK/log/zeoserver.log"; do
        if [[ -f "$log" ]]; then
            echo "---- last lines of ${log#"$ROOT"/}"
            tail -n 40 "$log"
        fi
    done
}

started=$(date +%s)

# 1. A virtualenv of its own with zc.buildout, reinstalled only when
#    constraints.txt changed. zc.buildout 6 needs pip >= 25.
stamp="$VENV/.communesplone-buildout"
fingerprint="$(sha256sum constraints.txt | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$fingerprint" ]]; then
    if [[ ! -x "$VENV/bin/python" ]]; then
        say "creating $VENV"
        "$PYTHON" -m venv "$VENV"
    fi
    say "installing zc.buildout (constraints.txt) into $VENV"
    pip=("$VENV/bin/python" -m pip install -q --disable-pip-version-check)
    "${pip[@]}" -c constraints.txt --upgrade pip
    "${pip[@]}" -c constraints.txt zc.buildout setuptools wheel
    echo "$fingerprint" >"$stamp"
else
    say "$VENV is up to date"
fi

# 2. versions.cfg from constraints.txt.
"$PYTHON" bootstrap.py versions

# 3. Ports: keep those of the previous run while they are free (then buildout
#    has nothing to reinstall), else take new free ones from the kernel.
mkdir -p "$CHECK"
read -r HTTP_PORT ZEO_PORT < <(
    "$PYTHON" - "$CHECK/ports" <<'EOF'
import socket
import sys
from pathlib import Path

path = Path(sys.argv[1])
wanted = path.read_text().split() if path.exists() else []
held, ports = [], []
for port in [*wanted[:2], "0", "0"][:2]:
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", int(port)))
    except OSError:
        sock.bind(("127.0.0.1", 0))
    held.append(sock)
    ports.append(str(sock.getsockname()[1]))
path.write_text(" ".join(ports) + "\n")
print(" ".join(ports))
EOF
)
[[ -n "${ZEO_PORT:-}" ]] || { say "FAILED: could not pick free ports"; exit 1; }
say "ports: http 127.0.0.1:$HTTP_PORT, zeo 127.0.0.1:$ZEO_PORT"

# 4. Build. The overrides only move the output and the ports of this check.
stop_servers
mkdir -p "$EGGS"
say "buildout -N (eggs in $EGGS)"
"$VENV/bin/buildout" -N -c buildout.cfg \
    "buildout:installed=$CHECK/.installed.cfg" \
    "buildout:eggs-directory=$EGGS" \
    "buildout:bin-directory=$CHECK/bin" \
    "buildout:parts-directory=$CHECK/parts" \
    "settings:var=$CHECK" \
    "settings:zeo-address=127.0.0.1:$ZEO_PORT" \
    "instance:http-address=127.0.0.1:$HTTP_PORT"
built=$(date +%s)
say "built in $((built - started)) s"

# 5. Start the ZEO server and the instance; always stop them again.
trap stop_servers EXIT
trap 'exit 130' INT TERM
# The logs of this check only, so that a failure shows this run's lines.
mkdir -p "$CHECK/log"
: >"$CHECK/log/instance.log"
: >"$CHECK/log/zeoserver.log"
say "starting the ZEO server"
"$CHECK/bin/zeoserver" start
# zdaemon restarts a ZEO server that fails (a locked Data.fs, a busy port)
# without saying why, and the instance then waits for it: check the port first.
if ! "$PYTHON" - "$ZEO_PORT" <<'EOF'; then
import socket
import sys
import time

deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2).close()
        sys.exit(0)
    except OSError:
        time.sleep(1)
sys.exit(1)
EOF
    say "FAILED: the ZEO server does not listen on 127.0.0.1:$ZEO_PORT"
    show_logs
    exit 1
fi
say "starting the instance"
"$CHECK/bin/instance" start

# 6. Wait until Zope answers on the loopback port.
url="http://127.0.0.1:$HTTP_PORT/"
if ! "$PYTHON" - "$url" "$TIMEOUT" <<'EOF'; then
import sys
import time
import urllib.error
import urllib.request

url, timeout = sys.argv[1], float(sys.argv[2])
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status, server = response.status, response.headers.get("Server")
    except urllib.error.HTTPError as error:
        status, server = error.code, error.headers.get("Server")
    except OSError:
        time.sleep(2)
        continue
    print(f"GET {url} answered HTTP {status} (Server: {server})")
    sys.exit(0 if status in (200, 401) else 1)
print(f"GET {url}: no answer within {timeout:.0f} s")
sys.exit(1)
EOF
    say "FAILED: the buildout instance did not answer as expected"
    show_logs
    exit 1
fi
say "OK: buildout instance answered after $(($(date +%s) - built)) s of start-up; total $(($(date +%s) - started)) s"
