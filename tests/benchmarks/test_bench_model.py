"""Benchmarks (skipped by default; `make bench`). They print figures and assert nothing on time.

Each measurement runs in a fresh process, so its peak memory (max RSS) belongs to that run alone.
The figures quoted in docs/performance.md come from these tests.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import simpy

pytestmark = pytest.mark.benchmark

ROOT = Path(__file__).resolve().parents[2]

# One replication of the model, then, in the same process, a bare SimPy loop: the engine's ceiling
# (one process yielding timeouts), so the model's per-event overhead is measured against it.
_MEASURE = r"""
import json, resource, sys, time
import simpy
from salessim.config import Config
from salessim.validation import to_validated
from salessim.model.simulation import run_replication
cfg = Config()
cfg.org.sellers = int(sys.argv[1]); cfg.sim.years = float(sys.argv[2])
cfg = to_validated(cfg)
walls = []
for _ in range(int(sys.argv[3])):  # the first run is a user's cold run; the best is the steadiest
    tic = time.perf_counter()
    rep = run_replication(cfg, 0)
    walls.append(time.perf_counter() - tic)
    if len(walls) == 1:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    opps, events = len(rep.tables["opportunities"]), rep.events
    del rep
wall = walls[0]

def loop(env, n):
    for _ in range(n):
        yield env.timeout(1)

bare = 0.0
for _ in range(3):
    env = simpy.Environment()
    env.process(loop(env, 300_000))
    t = time.perf_counter(); env.run(); bare = max(bare, 300_000 / (time.perf_counter() - t))
print(json.dumps({"sellers": cfg.org.sellers, "years": cfg.sim.years, "wall_s": wall,
                  "best_wall_s": min(walls), "repeats": len(walls),
                  "events": events, "opportunities": opps,
                  "peak_rss_mb": peak, "bare_events_per_s": bare}))
"""

_REPLICATIONS = r"""
import json, sys, time
from salessim.config import Config
from salessim.validation import to_validated
from salessim.runner import run_scenario
cfg = Config()
cfg.sim.replications = int(sys.argv[1]); cfg.sim.years = float(sys.argv[2]); cfg.sim.progress = False
cfg = to_validated(cfg)
tic = time.perf_counter()
run_scenario(cfg, progress=False)
print(json.dumps({"wall_s": time.perf_counter() - tic}))
"""


# The same replication counted in machine instructions under valgrind's callgrind: unlike wall
# time, the count does not move with the machine's load (the same code gives the same count, run
# after run), so it is the measure to compare two versions of the code by, on the same
# interpreter and libraries. Callgrind counts only inside one replication, called through
# ctypes: libffi's ffi_call, which nothing else in a run calls, toggles the count on and off (a
# function of a shared library keeps its name even where the interpreter's own are stripped, as
# in Debian's Python). A warm-up replication comes first: imports and first-use work, which vary
# from process to process by about 1%, stay out. Under callgrind a run is fifty times slower or
# more: short runs only.
_COUNTED = r"""
import ctypes, json, sys
from salessim.config import Config
from salessim.validation import to_validated
from salessim.model.simulation import run_replication
cfg = Config()
cfg.org.sellers = int(sys.argv[1]); cfg.sim.years = float(sys.argv[2])
cfg = to_validated(cfg)
run_replication(cfg, 1)  # the warm-up, not counted
out = {}

def counted():
    out["events"] = run_replication(cfg, 0).events
    return 0

ctypes.CFUNCTYPE(ctypes.c_int)(counted)()  # the count runs inside this call
print(json.dumps(out))
"""


def _counted(sellers: int, years: float) -> subprocess.Popen:
    return subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=ffi_call",
         "--callgrind-out-file=/dev/null", sys.executable, "-c", _COUNTED, str(sellers),
         str(years)], cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONHASHSEED": "0"})


def _instructions(proc: subprocess.Popen) -> tuple[int, int]:
    """(instructions, SimPy events) of a ``_counted`` process, once it has finished."""
    out, err = proc.communicate(timeout=1800)
    assert proc.returncode == 0, err[-2000:]
    refs = re.search(r"I\s+refs:\s+([\d,]+)", err)
    assert refs, f"no instruction count in valgrind's output: {err[-2000:]}"
    return int(refs.group(1).replace(",", "")), json.loads(out.strip().splitlines()[-1])["events"]


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _measure(sellers: int, years: float, repeats: int = 1) -> dict:
    m = _run(_MEASURE, str(sellers), str(years), str(repeats))
    m["events_per_s"] = m["events"] / m["wall_s"]
    return m


def _machine() -> str:
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}")


def _report(label: str, m: dict) -> None:
    best = (f" (best of {m['repeats']} in the same process: {m['best_wall_s']:.2f} s)"
            if m["repeats"] > 1 else "")
    share = _share_of_bare_loop(m)
    print(f"\n{label}: {m['wall_s']:.2f} s wall{best}, {m['events']:,} SimPy events, "
          f"{m['events_per_s']:,.0f} events/s = {share:.0%} "
          f"of a bare SimPy timeout loop's {m['bare_events_per_s']:,.0f}/s in the same process "
          f"(per-event overhead {1 / share:.1f}x), "
          f"peak RSS {m['peak_rss_mb']:.0f} MB; {m['opportunities']:,} opportunities, "
          f"{1000 * m['wall_s'] / m['opportunities']:.3f} s per 1,000 [{_machine()}]")


# The performance targets (docs/performance.md, "The figures"), each with what this session of
# `make bench` measured: printed together after the module's last test.
_TARGETS: list[tuple[str, str, bool]] = []


@pytest.fixture(scope="module", autouse=True)
def _targets_table():
    yield
    if _TARGETS:
        width = max(len(target) for target, _, _ in _TARGETS)
        print("\n\ntargets, as measured above:")
        for target, measured, met in _TARGETS:
            print(f"  {target:<{width}}  {measured:<34} {'met' if met else 'not met'}")


def _share_of_bare_loop(m: dict) -> float:
    return m["events_per_s"] / m["bare_events_per_s"]


def test_default_org_three_years():
    m = _measure(100, 3, repeats=5)
    _report("default org (100 sellers), 3 years, 1 replication", m)
    _TARGETS.append(("default org, 3 years: at most 1 s", f"{m['wall_s']:.2f} s (best of "
                     f"{m['repeats']}: {m['best_wall_s']:.2f} s)", m["wall_s"] <= 1.0))
    _TARGETS.append(("events/s at least 30% of the bare loop's", f"{_share_of_bare_loop(m):.0%}",
                     _share_of_bare_loop(m) >= 0.3))


def test_large_org_three_years():
    m = _measure(1000, 3)
    _report("large org (1,000 sellers), 3 years, 1 replication", m)
    _TARGETS.append(("large org, 3 years: at most 10 s", f"{m['wall_s']:.2f} s", m["wall_s"] <= 10.0))
    _TARGETS.append(("large org, 3 years: peak memory at most 1 GB", f"{m['peak_rss_mb']:.0f} MB",
                     m["peak_rss_mb"] <= 1024))


def test_cost_growth_with_sellers_years_and_replications():
    """How the cost of a run grows: wall time relative to the smallest run of each series."""
    def series(name, points, run) -> float:
        """The last point's wall time over the first's."""
        first = None
        print(f"\n{name}:")
        for p in points:
            wall = run(p)
            first = first or wall
            print(f"  {p:>6}: {wall:7.2f} s  ({wall / first:5.2f}x the first, {p / points[0]:g}x the size)")
        return wall / first

    ratio = series("sellers (3 years, 1 replication)", [100, 300, 1000], lambda n: _measure(n, 3)["wall_s"])
    _TARGETS.append(("10x the sellers in at most 11x the time", f"{ratio:.1f}x", ratio <= 11.0))
    series("years (100 sellers, 1 replication)", [1, 3, 10], lambda y: _measure(100, y)["wall_s"])
    series("replications (100 sellers, 3 years, whole scenario with its summary)", [1, 3, 10],
           lambda r: _run(_REPLICATIONS, str(r), "3")["wall_s"])


def test_sweep_speedup_with_joblib_workers(tmp_path):
    """8 jobs of the default scenario (100 sellers, 3 years, 3 replications) on 1 and 2 joblib
    workers, through the `salessim -m` command: throughput and speed-up."""
    args = ["-m", "fsm.span_of_control=5,6,7,8,9,10,11,12"]
    walls = {}
    for workers in (1, 2):
        tic = time.perf_counter()
        subprocess.run([sys.executable, "-m", "salessim", *args, f"hydra.launcher.n_jobs={workers}",
                        f"hydra.sweep.dir={tmp_path / str(workers)}"], cwd=ROOT, check=True,
                       capture_output=True)
        walls[workers] = time.perf_counter() - tic
    print(f"\nsweep of 8 jobs (default scenario: 100 sellers, 3 years, 3 replications each): "
          f"1 worker {walls[1]:.1f} s, 2 workers {walls[2]:.1f} s, "
          f"speed-up {walls[1] / walls[2]:.2f}x ({8 / walls[2] * 60:.1f} jobs a minute) [{_machine()}]")
    _TARGETS.append(("2 joblib workers: at least 1.7x the throughput of 1", f"{walls[1] / walls[2]:.2f}x",
                     walls[1] / walls[2] >= 1.7))


# The engine's floor at the model's concurrency: as many detached generators as the model has
# events pending (about 2,000 with 100 sellers, 13,000 with 1,000), each yielding timeouts and
# doing nothing else. What any model built on SimPy pays per event before doing any work.
_FLOOR = r"""
import json, sys, time
import numpy as np, simpy
from salessim.model.detached import start_detached
waiting, n_events = int(sys.argv[1]), int(sys.argv[2])

def idle(env, delays, k):
    for _ in range(k):
        yield env.timeout(delays())

best = float("inf")
for _ in range(3):
    env = simpy.Environment()
    # The mean delay grows with the number waiting, so events stay as dense in time as the model's.
    delays = iter(np.random.default_rng(1).exponential(7.0 * waiting / 2000, n_events).tolist()).__next__
    for _ in range(waiting):
        start_detached(env, idle(env, delays, n_events // waiting))
    tic = time.perf_counter()
    env.run()
    best = min(best, (time.perf_counter() - tic) / (n_events // waiting * waiting))
print(json.dumps({"us_per_event": best * 1e6}))
"""


def test_engine_floor_with_many_journeys_waiting():
    """SimPy's own cost per event, with no model work, as the number of waiting processes grows
    from one (the bare loop) to the model's 2,000 (100 sellers) and 13,000 (1,000 sellers)."""
    floor = {n: _run(_FLOOR, str(n), "390000")["us_per_event"] for n in (1, 2000, 13000)}
    print("\nengine floor (detached generators yielding timeouts, no model work), per event: "
          + ", ".join(f"{n:,} waiting {us:.2f} us ({floor[1] / us:.0%} of the bare loop's rate)"
                      for n, us in floor.items()) + f" [{_machine()}]")


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="needs valgrind (callgrind)")
def test_instructions_per_event():
    """Machine instructions per SimPy event, for 100 and 300 sellers: the load-proof figure for
    comparing versions, and (the same count at both sizes) evidence that a larger organization
    costs more per event only through memory, not through more work."""
    runs = {sellers: _counted(sellers, 1) for sellers in (100, 300)}  # side by side
    try:
        print()
        for sellers, proc in runs.items():
            run, events = _instructions(proc)
            # A count of nothing (the toggle missed its function) must not pass for a fast model.
            assert run > 1000 * events, f"callgrind counted {run:,} instructions: toggle missed"
            print(f"{sellers} sellers, 1 year: {run / 1e6:,.1f} M instructions for {events:,} "
                  f"SimPy events = {run / events:,.0f} per event (callgrind, one warm "
                  f"replication) [{_machine()}, numpy {np.__version__}, SimPy {simpy.__version__}]")
    finally:
        for proc in runs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
