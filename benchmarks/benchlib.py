"""What every benchmark script shares: timing several runs, and printing a row.

The scripts run as ``.venv/bin/python benchmarks/<application>.py``, so this
module, beside them, is importable as ``benchlib``.
"""

import statistics
import time


HEADER = f"{'figure (seconds)':<52} {'median':>8} {'p95':>8}   {'baseline':>8} {'p95':>8}   ratio"


def measure(function, runs, setup=None):
    """(median, p95) of ``runs`` timed calls of ``function``, after one warm-up call.

    ``setup``, if given, runs untimed before each call (and its result is
    passed to ``function``).
    """
    times = []
    for index in range(runs + 1):
        argument = setup() if setup is not None else None
        started = time.perf_counter()
        function(argument) if setup is not None else function()
        if index:  # the first call warms up
            times.append(time.perf_counter() - started)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def row(name, ours, baseline, goal=None):
    """Print one figure beside its baseline, with the ratio (and the goal, if any)."""
    (median, p95), (base_median, base_p95) = ours, baseline
    verdict = ""
    if goal is not None:
        verdict = f"   goal < {goal:g} s: {'met' if p95 < goal else 'MISSED'}"
    print(
        f"{name:<52} {median:8.3f} {p95:8.3f}   {base_median:8.3f} {base_p95:8.3f}"
        f"   {median / base_median:6.2f}x{verdict}",
        flush=True,
    )
