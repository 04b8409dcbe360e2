"""How long a next step's commands take, judged by how long the compared jobs took on the machine
that ran them: a step that reruns five scenarios at 10 replications should say whether it is a
minute or an afternoon (a new user's walk found the report's commands gave no time, and learned it
only from the sweep's first line, once started).

A job's manifest records when it started and finished (to the second): its wall time, times the
processes its replications ran on, per replication and simulated year, is the work a step's job
made from it costs, at the step's replications and years. (A job a joblib sweep runs beside others
runs its replication workers, sim.workers, as threads of its one process: one core's time.)"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from salessim.launchers import last_finish, side_by_side, threads_replications
from salessim.next_commands import values_of
from salessim.notices import duration
from salessim.overrides import split_override
from salessim.plural import counted
from salessim.runner import replication_workers
from salessim.sweep_folder import read_yaml

SOURCE = "judging by how long the jobs compared here took"
# A command's own start before its jobs run (imports, composing and checking every job, a sweep's
# workers), measured 7 December 2026 with jobs of one seller: 5.0-5.2 s for a sweep of two on two
# workers, 2.7 s for a run. (Three default jobs of 3 replications on two workers were said to take
# 22 s and took 33: a command's start and the third job's round had been left out.)
SWEEP_START_SECONDS = 5.0
RUN_START_SECONDS = 2.7
# A manifest's times are whole seconds: a job under a second is taken to have run half of one.
SHORTEST_SECONDS = 0.5


class Commands(tuple):
    """A step's commands, and ``took``: what running them takes, said (step_took); '' where it
    cannot be judged."""
    took: str = ""

    def __new__(cls, commands: Sequence[str], took: str = "") -> Commands:
        made = super().__new__(cls, commands)
        made.took = took
        return made


def seconds_per_replication_year(job) -> float | None:
    """One core's seconds a compared job took per replication and simulated year; None where its
    manifest lacks a time or it has no config."""
    manifest, cfg = getattr(job, "manifest", None) or {}, getattr(job, "cfg", None)
    try:
        took = (datetime.fromisoformat(manifest["finished_utc"])
                - datetime.fromisoformat(manifest["started_utc"])).total_seconds()
    except (KeyError, TypeError, ValueError):
        return None
    if cfg is None or took < 0 or not cfg.sim.replications or not cfg.sim.years:
        return None
    record = _hydra_record(job)
    ran_in_a_worker = record.get("mode") == "MULTIRUN" and threads_replications(record.get("launcher"))
    cores = 1 if ran_in_a_worker else replication_workers(cfg)
    return max(took, SHORTEST_SECONDS) * cores / (cfg.sim.replications * cfg.sim.years)


def step_launcher(job) -> Mapping | None:
    """The launcher a next step's sweep, made of ``job``'s own overrides, runs on: the one Hydra
    recorded for it, unless chosen or set on the command line (hydra/launcher=ray,
    hydra.launcher.n_jobs=1), which a job's overrides leave out (the step's sweep then runs on
    its config's own launcher, which its record does not say); None where it cannot be told."""
    record = _hydra_record(job)
    overrides = record.get("overrides")
    typed = overrides.get("hydra") if isinstance(overrides, dict) else None
    keys = [split_override(str(o))[0].lstrip("+~") for o in typed or []]
    if any(k.startswith(("hydra/launcher", "hydra.launcher")) for k in keys):
        return None
    launcher = record.get("launcher")
    return launcher if isinstance(launcher, dict) else None


def _hydra_record(job) -> dict:
    """The hydra section of a job's .hydra/hydra.yaml; {} without one."""
    path = getattr(job, "path", None)
    record = read_yaml(Path(path) / ".hydra" / "hydra.yaml") if path is not None else None
    hydra = record.get("hydra") if isinstance(record, dict) else None
    return hydra if isinstance(hydra, dict) else {}


def step_took(jobs: Sequence, changes: Sequence[str], one_sweep: bool, launcher: Mapping | None) -> str:
    """What running a step's ``jobs`` takes, each a compared job the step runs again with
    ``changes`` (sim.replications and sim.years as they set them; a change of several values makes
    a job of each): one sweep's on ``launcher``'s workers (None: not known) side by side where
    ``one_sweep``, else one run after another. '' where a job's time is not recorded."""
    replications, years = (_number(changes, key) for key in ("sim.replications", "sim.years"))
    jobs = [job for job in jobs for _ in range(math.prod(len(values_of(c)) for c in changes))]
    threads = one_sweep and threads_replications(launcher)
    work, alone = [], []  # each job's seconds of one core, and its seconds on its replication workers
    # each compared job's manifest and Hydra record read once, however many of the step's jobs it makes
    rates = {id(job): seconds_per_replication_year(job) for job in {id(j): j for j in jobs}.values()}
    for job in jobs:
        rate = rates[id(job)]
        if rate is None:
            return ""
        reps = int(replications or job.cfg.sim.replications)
        work.append(rate * reps * (years or job.cfg.sim.years))
        alone.append(work[-1] / (1 if threads else replication_workers(job.cfg, reps)))
    if not one_sweep:
        seconds = sum(alone) + RUN_START_SECONDS * len(jobs)
        return (f"Its {counted(len(jobs), 'run')} take about {duration(seconds / 3600)} one after another, "
                f"{SOURCE}.")
    swept = f"Its sweep of {counted(len(jobs), 'job')}"
    side = side_by_side(launcher)
    if side is None:  # Ray, or a launcher not known: the work, whoever shares it
        return f"{swept} is about {duration(sum(work) / 3600)} of one core's work, {SOURCE}."
    side = min(side, len(jobs))
    seconds = SWEEP_START_SECONDS + last_finish(alone, side)
    on = f" on {side} workers side by side" if side > 1 else ""
    return f"{swept} takes about {duration(seconds / 3600)}{on}, {SOURCE}."


def _number(changes: Sequence[str], key: str) -> float | None:
    """The value ``changes`` set ``key`` to, where one sets it to one number."""
    values = [values_of(c) for c in changes if split_override(c)[0] == key]
    try:
        return float(values[-1][0]) if values and len(values[-1]) == 1 else None
    except ValueError:
        return None
