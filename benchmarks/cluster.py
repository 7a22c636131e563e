"""The cluster over loopback, driven by wrk (Debian's ``wrk``), bounded in time.

    .venv/bin/python benchmarks/cluster.py [--duration 15] [--mixed 60] [--users 50]

Starts a throw-away cluster (scripts/cluster.py: PostgreSQL, two instances on
RelStorage, HAProxy, Varnish with plone.app.caching's purge) on free ports,
with the demo site and a trusted Open311 key (the slow cluster tests' zconsole
script), then measures, in this one run:

- anonymous pages, uncached: 1 instance beside 2 instances, both through
  HAProxy (instance 2 put in maintenance through HAProxy's runtime API for
  the first); the goal is a ratio of 1.5 or more;
- anonymous pages through Varnish (cached) beside the same pages uncached;
  the goal is 20 times faster or more;
- authenticated writes: e-desk reports posted through Open311 with an API key;
- a mixed load of ``--users`` connections for ``--mixed`` seconds (a fifth of
  the requests are reports, the rest anonymous pages, through HAProxy): the
  count of 5xx answers (goal: none) and of ConflictErrors in the instances'
  logs (retried by Zope; one that reached a user would be a 5xx).

It prints requests per second and p50/p95/p99 latencies, and the load average
(the machine is shared: read the figures with it).
"""

from pathlib import Path

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse


ROOT = Path(__file__).resolve().parent.parent
SITE = "Plone"
ADMIN = "admin:secret"
PREPARE = ROOT / "src" / "communesplone" / "tests" / "cluster" / "zodb_prepare.py"


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cluster_module = load("communesplone_cluster", ROOT / "scripts" / "cluster.py")

LUA = """
local counts = {}
local threads = {}
local kind = "%(kind)s"
local key = "%(key)s"
local paths = {%(paths)s}
local n = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  s5xx = 0
  s2xx = 0
  other = 0
end

function request()
  n = n + 1
  local post = kind == "write" or (kind == "mixed" and n %% 5 == 0)
  if post then
    local body = "api_key=" .. key .. "&service_code=eclairage"
      .. "&description=Lampadaire+" .. n .. "+eteint&address_string=Rue+" .. n
    return wrk.format("POST", "/%(site)s/open311/v2/requests.json",
      {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
  end
  return wrk.format("GET", paths[(n %% #paths) + 1])
end

function response(status, headers, body)
  if status >= 500 then s5xx = s5xx + 1
  elseif status >= 200 and status < 300 then s2xx = s2xx + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local t5, t2, to = 0, 0, 0
  for _, thread in ipairs(threads) do
    t5 = t5 + thread:get("s5xx")
    t2 = t2 + thread:get("s2xx")
    to = to + thread:get("other")
  end
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"seconds\\": %%f, \\"errors\\": %%d, \\"s5xx\\": %%d,"
    .. " \\"s2xx\\": %%d, \\"other\\": %%d, \\"p50\\": %%f, \\"p95\\": %%f, \\"p99\\": %%f}\\n",
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    t5, t2, to,
    latency:percentile(50) / 1e6, latency:percentile(95) / 1e6, latency:percentile(99) / 1e6))
end
"""


def wrk(url, folder, *, kind, key, paths, seconds, connections, threads=2):
    script = folder / f"{kind}.lua"
    quoted = ", ".join(f'"{path}"' for path in paths)
    script.write_text(LUA % {"kind": kind, "key": key, "paths": quoted, "site": SITE})
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s",
         "-s", str(script), url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = result["requests"] / result["seconds"]
    return result


def pages(cluster):
    """Paths of anonymous pages: the published documents and folders of the demo site."""
    query = urllib.parse.urlencode(
        {"portal_type": ["Document", "Folder"], "review_state": "published", "b_size": 20},
        doseq=True,
    )
    status, body = cluster_module.get(
        f"{cluster.haproxy_url}/{SITE}/@search?{query}", headers={"Accept": "application/json"}
    )
    items = json.loads(body)["items"] if status == 200 else []
    paths = [urllib.parse.urlparse(item["@id"]).path for item in items]
    return paths or [f"/{SITE}"]


def cached(cluster, path):
    """Does Varnish serve ``path`` from its cache (the second time)?"""
    import urllib.request

    for _ in range(2):
        with urllib.request.urlopen(f"{cluster.url}{path}", timeout=60) as answer:
            hit = answer.headers.get("X-Cache")
    return hit == "HIT"


def conflicts(cluster):
    count = 0
    for number in range(1, cluster.count + 1):
        log = cluster.instance_folder(number) / "log" / "instance.log"
        count += len(re.findall(r"ConflictError", log.read_text(errors="replace")))
    return count


def row(name, result, baseline=None, goal=None):
    ratio = ""
    if baseline is not None:
        ratio = f"{result['rps'] / baseline['rps']:7.2f}x"
        if goal is not None:
            ratio += (
                f"  goal {goal}x: {'met' if result['rps'] / baseline['rps'] >= goal else 'missed'}"
            )
    print(
        f"{name:44} {result['rps']:8.1f} {result['p50']:7.3f} {result['p95']:7.3f}"
        f" {result['p99']:7.3f} {result['s5xx']:5d} {result['errors']:5d}  {ratio}",
        flush=True,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per measure")
    parser.add_argument("--mixed", type=int, default=60, help="seconds of the mixed load")
    parser.add_argument("--users", type=int, default=50, help="connections of the mixed load")
    parser.add_argument("--keep", action="store_true", help="keep the cluster's folder (logs)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    folder = Path(tempfile.mkdtemp(prefix="communesplone-bench-"))
    folder.chmod(0o755)
    ports = iter(_free_ports(7))
    cluster = cluster_module.Cluster(
        folder / "cluster",
        instances=2,
        varnish=True,
        pg_port=next(ports),
        port=next(ports),
        varnish_port=next(ports),
        stats_port=next(ports),
        zeo_port=next(ports),
        instance_ports=[next(ports), next(ports)],
        site_id=SITE,
        admin=ADMIN,
    )
    started = time.monotonic()
    try:
        cluster.folder.mkdir(parents=True)
        cluster.postgres_start()
        cluster.configure()
        out = cluster.zconsole(PREPARE, SITE, *ADMIN.split(":")).stdout
        key = next(line for line in out.splitlines() if line.startswith("KEY ")).split()[1]
        (cluster.folder / "site-created").write_text(SITE)
        cluster.start()
        paths = pages(cluster)
        print(
            f"cluster ready in {time.monotonic() - started:.0f} s; {len(paths)} pages", flush=True
        )
        print(f"Varnish caches the pages: {cached(cluster, paths[0])}")
        print(f"load average before: {os.getloadavg()}")
        measure = {"folder": folder, "key": key, "paths": paths, "seconds": args.duration}
        for path in paths:  # warm the instances' caches
            cluster_module.get(f"{cluster.instance_url(1)}{path}", timeout=60)
            cluster_module.get(f"{cluster.instance_url(2)}{path}", timeout=60)
        # Both through HAProxy, the same path: instance 2 in maintenance for
        # the first measure (HAProxy's runtime API), back for the second.
        cluster.haproxy_command("set server zope/instance2 state maint")
        one = wrk(cluster.haproxy_url, kind="read", connections=4, **measure)
        cluster.haproxy_command("set server zope/instance2 state ready")
        two = wrk(cluster.haproxy_url, kind="read", connections=8, **measure)
        varnish = wrk(cluster.url, kind="read", connections=8, **measure)
        writes = wrk(cluster.haproxy_url, kind="write", connections=8, **measure)
        before = conflicts(cluster)
        mixed = wrk(
            cluster.haproxy_url,
            kind="mixed",
            connections=args.users,
            **{**measure, "seconds": args.mixed},
        )
        print(f"load average after: {os.getloadavg()}\n")
        print(
            f"{'figure':44} {'req/s':>8} {'p50 s':>7} {'p95 s':>7} {'p99 s':>7}"
            f" {'5xx':>5} {'err':>5}"
        )
        row("anonymous pages, 1 instance (HAProxy)", one)
        row("anonymous pages, 2 instances (HAProxy)", two, one, 1.5)
        row("anonymous pages, Varnish (cached)", varnish, two, 20)
        row("authenticated writes (Open311 reports)", writes)
        row(f"mixed, {args.users} users, {args.mixed} s", mixed)
        print(
            f"\nmixed load: {mixed['s5xx']} answers 5xx (goal 0), {mixed['errors']} socket"
            f" errors, {conflicts(cluster) - before} ConflictErrors in the logs (retried)"
        )
    finally:
        cluster.stop()
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _free_ports(count):
    import socket

    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


if __name__ == "__main__":
    main()
