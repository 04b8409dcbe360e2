"""Benchmarks (skipped by default; `make bench`). They print figures and assert nothing on time.

Each measurement runs in a fresh process so peak memory (max RSS) belongs to that run alone.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.benchmark

_MEASURE = r"""
import json, resource, sys, time
import simpy
from salessim.config import Config
from salessim.validation import to_validated
from salessim.model.simulation import run_replication
cfg = Config()
cfg.org.sellers = int(sys.argv[1]); cfg.sim.years = float(sys.argv[2])
cfg = to_validated(cfg)
tic = time.perf_counter()
rep = run_replication(cfg, 0)
wall = time.perf_counter() - tic
opps = len(rep.tables["opportunities"])
print(json.dumps({"sellers": cfg.org.sellers, "years": cfg.sim.years, "wall_s": wall,
                  "events": rep.events, "events_per_s": rep.events / wall, "opportunities": opps,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_BARE = r"""
import json, time, simpy
env = simpy.Environment()
def loop(env, n):
    for _ in range(n):
        yield env.timeout(1)
N = 400_000
env.process(loop(env, N))
tic = time.perf_counter(); env.run(); wall = time.perf_counter() - tic
print(json.dumps({"bare_events_per_s": N / wall}))
"""


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_default_org_three_years():
    m = _run(_MEASURE, "100", "3")
    bare = _run(_BARE)["bare_events_per_s"]
    print(f"\ndefault org (100 sellers), 3 years, 1 replication: {m['wall_s']:.2f} s wall, "
          f"{m['events']:,} SimPy events, {m['events_per_s']:,.0f} events/s "
          f"({100 * m['events_per_s'] / bare:.0f}% of a bare SimPy timeout loop's {bare:,.0f}/s), "
          f"peak RSS {m['peak_rss_mb']:.0f} MB")
    print(f"journey cost: {1000 * m['events'] / m['opportunities']:,.0f} events and "
          f"{1000 * m['wall_s'] / m['opportunities']:.3f} s wall per 1,000 opportunities "
          f"({m['opportunities']:,} opportunities)")


def test_large_org_three_years():
    m = _run(_MEASURE, "1000", "3")
    print(f"\nlarge org (1,000 sellers), 3 years: {m['wall_s']:.2f} s wall, {m['events']:,} events, "
          f"{m['events_per_s']:,.0f} events/s, peak RSS {m['peak_rss_mb']:.0f} MB")


def test_sweep_speedup_with_joblib_workers(tmp_path):
    """A sweep of 8 jobs with 1 and with 2 joblib workers: throughput and speed-up."""
    import time
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    args = ["-m", "fsm.span_of_control=5,6,7,8,9,10,11,12", "sim.replications=1", "sim.years=2"]
    walls = {}
    for workers in (1, 2):
        tic = time.perf_counter()
        subprocess.run([sys.executable, "-m", "salessim", *args, f"hydra.launcher.n_jobs={workers}",
                        f"hydra.sweep.dir={tmp_path / str(workers)}"], cwd=root, check=True,
                       capture_output=True)
        walls[workers] = time.perf_counter() - tic
    print(f"\nsweep of 8 jobs (100 sellers, 2 years, 1 replication each): 1 worker {walls[1]:.1f} s, "
          f"2 workers {walls[2]:.1f} s, speed-up {walls[1] / walls[2]:.2f}x "
          f"({8 / walls[2] * 60:.0f} jobs a minute)")
