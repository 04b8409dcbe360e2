"""How fast this machine runs Python now, against the one salessim's time estimates come from.

A run's expected time (:func:`salessim.runner.expected_hours`) is measured on make bench's quiet
host (docs/performance.md). A slower machine, or one busy with other work, took up to four times
as long as a sweep announced (a strategist's walk: 36 s announced, 138 s of a core spent, on two
cores shared with another job). Before saying what a run will cost, the command times a bare
SimPy loop for a few hundredths of a second and scales the estimate by how much slower it runs
than it did there. The loop runs alone, where a run's workers then share the cores with each other
and with whatever else is busy: the wait is scaled by that sharing too, from the processes the
system counts ready to run (a later walk: about 1 minute announced for 2 workers on two cores
beside two other busy jobs, 3.5 minutes taken).
"""

from __future__ import annotations

import functools
import math
import os
import sys
import time
from pathlib import Path

import simpy

# The bare SimPy timeout loop's events a second on the quiet host the estimates were measured on
# (make bench, 28 November to 6 December 2026: 1.76-1.84 M; docs/performance.md, measurement log).
REFERENCE_EVENTS_PER_SECOND = 1.8e6
PROBE_EVENTS = 50_000  # 28 ms there; about 0.1 s on a host three times as slow
# A probe is one moment's pace: never read as more than this much faster or slower.
SLOWEST, FASTEST = 8.0, 0.5
SAID_FROM = 1.5  # a slowdown the announcement names
# A number here stands for the measured slowdown (1: the quiet host's estimates, as the tests
# announce them, whatever else the machine is running).
SLOWDOWN_VARIABLE = "SALESSIM_HOST_SLOWDOWN"


def bare_loop_events_per_second(events: int = PROBE_EVENTS) -> float:
    """The events a second of a bare SimPy loop of ``events`` timeouts, one process waiting."""
    env = simpy.Environment()

    def ticking(env: simpy.Environment):
        timeout = env.timeout
        for _ in range(events):
            yield timeout(1)

    env.process(ticking(env))
    start = time.perf_counter()
    env.run()
    return events / max(time.perf_counter() - start, 1e-9)


def _factor_given() -> float | None:
    """The factor SLOWDOWN_VARIABLE gives; None where it is not set or no finite number above 0."""
    try:
        factor = float(os.environ.get(SLOWDOWN_VARIABLE, ""))
    except ValueError:
        return None
    return factor if math.isfinite(factor) and factor > 0 else None  # 'nan' stood for 1 unsaid


@functools.cache
def slowdown() -> float:
    """How many times longer a run takes here now than on the host of the estimates, measured once
    a command (FASTEST to SLOWEST), or as SLOWDOWN_VARIABLE gives it. A variable that is not a
    number is said, once, and measured: a test aid, it went unheeded without a word."""
    factor = _factor_given()
    if factor is None:
        given = os.environ.get(SLOWDOWN_VARIABLE, "")
        if given.strip():
            print(f"salessim: {SLOWDOWN_VARIABLE}={given!r} is not a finite number above 0: the "
                  "machine's pace is measured instead", file=sys.stderr)
        factor = REFERENCE_EVENTS_PER_SECOND / bare_loop_events_per_second()
    return min(SLOWEST, max(FASTEST, factor)) if math.isfinite(factor) else 1.0


# Linux's count of the processes ready to run now, this one included: its fourth field, 'R/T'.
LOAD_FILE = Path("/proc/loadavg")
LOAD_SAMPLES, LOAD_SAMPLE_GAP_S = 5, 0.004  # one moment's count is noisy: a few, over 16 ms


@functools.cache
def others_busy() -> float:
    """The processes busy besides this command, on average over a few samples; 0 where the system
    does not count them (not Linux) or SLOWDOWN_VARIABLE stands for the measurement."""
    if _factor_given() is not None:
        return 0.0
    counts = []
    for i in range(LOAD_SAMPLES):
        try:
            counts.append(int(LOAD_FILE.read_text().split()[3].split("/")[0]) - 1)
        except (OSError, ValueError, IndexError):
            return 0.0
        if i < LOAD_SAMPLES - 1:
            time.sleep(LOAD_SAMPLE_GAP_S)
    return max(0.0, sum(counts) / len(counts))


def shared_out(workers: int) -> float:
    """How many times longer each of a run's ``workers`` processes takes than the probe did, the
    cores shared with each other and with the others busy: the probe ran as one beside them."""
    cores, others = os.cpu_count() or 1, others_busy()
    return min(1.0, cores / (others + 1)) / min(1.0, cores / (others + workers))


def sharing_said(workers: int) -> str:
    """', its 2 workers sharing 2 cores with about 2 other busy processes' where that slows them."""
    if shared_out(workers) < 1.05:
        return ""
    others, cores = round(others_busy()), os.cpu_count() or 1
    # more workers than cores share them among themselves alone
    beside = f" with about {others} other busy process{'' if others == 1 else 'es'}" if others else ""
    return f", its {workers} workers sharing {cores} core{'' if cores == 1 else 's'}{beside}"


def pace_said(factor: float) -> str:
    """', this machine running 2.8 times slower now than ...' where it is slow enough to say."""
    if factor < SAID_FROM:
        return ""
    return f", this machine running {factor:.1f} times slower now than the quiet host of docs/performance.md"


def where_said(factor: float) -> str:
    """What an estimate is of: this machine at its slow pace, said, else the reference machine."""
    return pace_said(factor) or " on a machine like the one of docs/performance.md"
