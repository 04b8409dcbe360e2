"""A sweep folder, read for salessim-compare: its job folders, each finished job's tables
(checked: a table of the right shape can still hold values salessim never writes), and the jobs
its multirun.yaml says the sweep launches, matched to the folders."""

from __future__ import annotations

import functools
import math
import re
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import yaml
from tqdm.auto import tqdm

from salessim.config import Config
from salessim.errors import UserError, refuse_a_name_too_long
from salessim.manifest import read_manifest
from salessim.model.calendar import DAYS_PER_WEEK, Calendar
from salessim.outputs import (COMPARISON_KEYS, MANIFEST, PRESENTATION_KEYS, SWEEP_RECORD,
                              read_parquet_checked, study_in_folder)
from salessim.overrides import split_override
from salessim.plural import counted, plural
from salessim.summary import summary_numbers
from salessim.sweep_expansion import sweep_jobs

OUT_NAME = "comparison"  # what salessim-compare writes into a sweep folder: not a job
# The files of a comparison folder: one written with --out into the sweep folder is no job either.
COMPARISON_FILES = ("comparison.csv", "report.html")
# The figures a strategist looks at first: terminal table and default plots.
KEY_METRICS = ("bookings_usd", "win_rate", "quota_attainment_share", "seller_turnover_rate")
BOOKINGS, COST, GROSS_MARGIN = "bookings_usd", "total_cost_usd", "gross_margin_usd"
# kpis: the month's total cost, investment included, and its investment cost
MONTH_COST, MONTH_INVESTMENT = "cost_total_usd", "cost_investment_usd"
INVESTMENT = "investment_cost_usd"
# The columns the increments and ROI are made of: read whatever --metrics selects for display.
ROI_INPUTS = (BOOKINGS, COST, GROSS_MARGIN, INVESTMENT)
# Tables compare reads and the columns it uses, numbers but for TEXT_COLUMNS. summary is read whole
# (its numeric columns are the metrics) and, where it has them, the columns salessim writes as
# numbers must be numbers (a text column would drop out of the comparison without a word).
# Other tables a manifest lists are only checked for readability.
NEEDED = {"summary": ("replication", "window_years", BOOKINGS),
          "opportunities": ("replication", "outcome", "closed_day", "value_usd"),
          "kpis": ("replication", "month", MONTH_COST, MONTH_INVESTMENT)}
TEXT_COLUMNS = ("outcome",)
# Config keys that name, mark or steer a run without changing what it simulates.
NOT_DIFFERENCES = ("sim.scenario", "sim.baseline", *(f"sim.{k}" for k in PRESENTATION_KEYS),
                   "experiment_question", *COMPARISON_KEYS)


@dataclass
class Job:
    """One job folder of the sweep. ``problem`` is set when the job is incomplete."""
    name: str
    path: Path
    scenario: str = ""
    manifest: dict = field(default_factory=dict)
    cfg: Config | None = None  # the manifest's config, validated: what the job ran
    summary: pd.DataFrame | None = None
    # By (replication, month), warm-up included: won value (zeros included), total and investment cost.
    monthly: pd.DataFrame | None = None
    problem: str = ""
    overrides: list[str] | None = None  # Hydra's record of what the job was asked to run
    pooled: bool = False  # jobs of one configuration on several seeds, named "0, 2" (seed_pooling)
    # where a run outside the sweep, its baseline (--baseline FOLDER), is: 'job 0 of SWEEP' or 'run FOLDER'
    elsewhere: str = ""

    @property
    def config(self) -> dict:
        """The manifest's config as written (validated, but without the schema's defaults)."""
        return self.manifest.get("config") or {}

    @property
    def label(self) -> str:
        """Scenario and job folder, the folder once: a name shared by several jobs already has it.
        A baseline run apart is named by where it is."""
        if self.elsewhere:  # told apart by where it is already, where its name is another's too
            where = f" ({self.elsewhere})"
            return self.scenario if self.scenario.endswith(where) else self.scenario + where
        where = job_suffix(self.name, self.pooled)
        return self.scenario if self.scenario.endswith(where) else self.scenario + where


def recorded_investments(job) -> dict | None:
    """Each investment a job ran, with every setting it ran it with, as its manifest recorded them
    (the defaults of the salessim that ran it, the start month resolved); None for a job whose
    salessim kept no such record."""
    recorded = (getattr(job, "manifest", None) or {}).get("investments")
    return recorded if isinstance(recorded, dict) else None


def job_suffix(name: str, pooled: bool = False) -> str:
    return f" (job{'s' if pooled else ''} {name})"


JOB_SUFFIX = re.compile(r" \(jobs? [^()]*\)$")  # job_suffix at the end of a scenario's name
# job_suffix, or where a run from elsewhere is (' (run FOLDER)', ' (job 0 of SWEEP)'), at the end
SOURCE_SUFFIX = re.compile(r" \((?:jobs?|run) .*\)$")


def _job_sort_key(path: Path) -> tuple:
    return (0, int(path.name), "") if path.name.isdigit() else (1, 0, path.name)


def is_comparison(path: Path) -> bool:
    """A folder salessim-compare wrote."""
    return all((path / name).is_file() for name in COMPARISON_FILES)


def _looks_like_job(path: Path) -> bool:
    # Hydra writes .hydra/ before the job runs, so a crashed job still shows up here.
    if is_comparison(path) and not path.name.isdigit():
        return False
    return (path.name.isdigit() or (path / MANIFEST).exists() or (path / ".hydra").is_dir()
            or any(path.glob("*.parquet")))


def _sweeps_inside(folder: Path) -> str:
    """'; it holds 3 sweeps, the newest results/sweeps/investments_...': where a user gave the
    folder of their sweeps (results/sweeps) for one of them."""
    sweeps = [p for p in folder.iterdir() if p.is_dir() and (p / SWEEP_RECORD).is_file()]
    if not sweeps:
        return ""
    newest = max(sweeps, key=lambda p: (p / SWEEP_RECORD).stat().st_mtime)
    newest = shlex.quote(str(newest))  # as a user pastes it after salessim-compare
    return f"; it holds {counted(len(sweeps), 'sweep')}, the newest {newest}" if len(sweeps) > 1 else \
        f"; it holds the sweep {newest}"


def job_folders(sweep: Path) -> list[Path]:
    """The job folders of ``sweep``; refuses anything that is not a sweep folder."""
    allowed = "a sweep folder written by salessim -m, e.g. results/sweeps/<time>"
    refuse_a_name_too_long(sweep, "folder", allowed)
    if not sweep.exists():
        raise UserError(f"{sweep} does not exist (allowed: {allowed})")
    if not sweep.is_dir():
        raise UserError(f"{sweep} is a file, not a folder (allowed: {allowed})")
    if (sweep / MANIFEST).is_file():
        raise UserError(f"{sweep} is a single job folder, not a sweep (allowed: {allowed}, "
                        "the folder that holds the numbered job folders)")
    if not any(sweep.iterdir()):
        raise UserError(f"{sweep} is an empty folder (allowed: {allowed})")
    jobs = sorted((p for p in sweep.iterdir() if p.is_dir() and not p.name.startswith(".")
                   and p.name != OUT_NAME and _looks_like_job(p)), key=_job_sort_key)
    recorded = (sweep / SWEEP_RECORD).is_file()
    record = read_yaml(sweep / SWEEP_RECORD) if not jobs and recorded else None
    if isinstance(record, dict) and "hydra" in record:  # Hydra's record of a sweep stopped early
        raise UserError(f"no job of {sweep} has finished: it holds the sweep's {SWEEP_RECORD} and no "
                        "job folder (stopped before its first job started; allowed: a sweep with at "
                        "least one finished job: run its command again with the same hydra.sweep.dir "
                        "and sim.resume=true)")
    # a folder of sweeps that holds a run too (results/ with a run copied in): not that run's sweep
    inside = _sweeps_inside(sweep) if not jobs or not recorded else ""
    if not jobs or inside:
        lacks = "no job folders" if not jobs else f"no {SWEEP_RECORD}"
        raise UserError(f"{sweep} is not a sweep folder: {lacks}{inside} (allowed: {allowed}, with at least "
                        "one finished job)")
    if not recorded and all(study_in_folder(p) for p in jobs):
        # results/calibration: told to resume a sweep it never was
        raise UserError(f"{sweep} is a folder of calibration studies (salessim-calibrate's), not a sweep "
                        f"(allowed: {allowed}; a fit is compared in a sweep run with +calibrated=NAME)")
    if not any((p / MANIFEST).is_file() for p in jobs):
        raise UserError(f"no job of {sweep} has finished: none of its {counted(len(jobs), 'job folder')} holds "
                        f"{MANIFEST}, which a job writes last (not finished: still running, interrupted, or stopped by an error; allowed: a "
                        "sweep with at least one finished job: run its command again with the same "
                        "hydra.sweep.dir and sim.resume=true)")
    return jobs


# Why a job is left out while the sweep may still run it (incomplete_jobs.csv's problem column):
# a comparison made then is out of date once the job has results (salessim.cli says so).
UNFINISHED = f"no {MANIFEST} (not finished: still running, interrupted, or stopped by an error)"
NOT_STARTED = "not started: no job folder (the sweep stopped before it, or is still running)"


def read_job(path: Path) -> Job:
    """Read what the comparison needs from one job folder; a problem marks it incomplete."""
    overrides = _hydra_overrides(path)
    job = Job(name=path.name, path=path, scenario=overrides_label(overrides or []),
              overrides=overrides)
    if not (path / MANIFEST).is_file():
        job.problem = UNFINISHED
        return job
    try:
        job.cfg, job.manifest = read_manifest(path)
        job.scenario = str(job.manifest.get("scenario") or path.name)
        cal = Calendar(job.cfg.sim.years)  # sized only once read_manifest has checked the range
        frames = read_tables(path, job.manifest["tables"])
        check_values(cal, **frames)
    except UserError as e:  # one job's bad files make that job incomplete, not the whole sweep
        job.problem = e.message
        return job
    job.summary = frames["summary"]
    job.monthly = monthly_figures(frames["opportunities"], frames["kpis"], cal)
    return job


def read_tables(path: Path, listed: list[str]) -> dict[str, pd.DataFrame]:
    """The NEEDED tables of a job; UserError names the first one that is absent or unusable."""
    absent = [n for n in NEEDED if n not in listed]
    if absent:
        raise UserError(f"{MANIFEST} does not list {', '.join(absent)}")
    missing = [n for n in listed if not (path / f"{n}.parquet").is_file()]
    if missing:
        raise UserError(f"{missing[0]}.parquet listed in {MANIFEST} but missing")
    for name in listed:
        if name not in NEEDED:
            # a corrupt file has no valid footer
            read_parquet_checked(path / f"{name}.parquet", pq.read_metadata)
    return {name: read_needed(path / f"{name}.parquet", columns) for name, columns in NEEDED.items()}


def read_needed(file: Path, columns: Sequence[str]) -> pd.DataFrame:
    """A NEEDED table, with the columns compare uses present and numeric."""
    names = read_parquet_checked(file, pq.read_schema).names
    lacking = [c for c in columns if c not in names]
    if lacking:
        raise UserError(f"{file.name} lacks {plural(len(lacking), 'column')} {', '.join(lacking)} (allowed: a table as "
                        "salessim writes it, with the columns docs/results.md lists)")
    whole = file.stem == "summary"  # every numeric column is a metric
    frame = read_parquet_checked(file, lambda f: pd.read_parquet(f, columns=None if whole else list(columns)))
    numbers = [c for c in dict.fromkeys([*columns, *(summary_numbers(frame.columns) if whole else ())])
               if c in frame]
    for c in numbers:
        if c not in TEXT_COLUMNS and not pd.api.types.is_numeric_dtype(frame[c]):
            raise UserError(f"{file.name} column {c} holds {frame[c].dtype} (allowed: numbers)")
    return frame


def check_values(cal: Calendar, summary: pd.DataFrame, opportunities: pd.DataFrame,
                 kpis: pd.DataFrame) -> None:
    """The values pairing, yearly figures and months rely on; a table of the right shape can
    still hold values salessim never writes."""
    if summary.empty:
        raise UserError("summary.parquet has no rows (allowed: one row per replication)")
    won = opportunities[opportunities.outcome == "won"]
    years = summary.window_years
    rules = [  # (table, column, mask of bad rows, what is allowed)
        ("summary", summary.replication, _outside(summary.replication, 0) | summary.replication.duplicated(),
         "a replication number >= 0, one row each"),
        ("summary", years, _outside(years, 0) | (years == 0), "a number > 0 (years after the warm-up)"),
        ("opportunities", won.closed_day, _outside(won.closed_day, 0, cal.horizon_days),
         f"a day from 0 to the horizon ({cal.horizon_days:g}) for every won deal"),
        ("kpis", kpis.replication, _outside(kpis.replication, 0), "a replication number >= 0"),
        ("kpis", kpis.month, _outside(kpis.month, 0), "a month number >= 0"),
        *(("kpis", kpis[c], _outside(kpis[c]), "a finite amount of USD") for c in (MONTH_COST, MONTH_INVESTMENT)),
        # Money totals are sums over the window, never missing: the ranking and ROI add them up.
        *(("summary", summary[c], _outside(summary[c]), "a finite amount of USD")
          for c in ROI_INPUTS if c in summary),
    ]
    for table, column, bad, allowed in rules:
        if bad.any():
            raise UserError(f"{table}.parquet {column.name}={column[bad].iloc[0]} is not allowed: {allowed}")


def _outside(column: pd.Series, low: float = -math.inf, high: float = math.inf) -> pd.Series:
    """Rows whose value is missing, infinite or outside [low, high]."""
    v = column.to_numpy(dtype=float)
    return pd.Series(~(np.isfinite(v) & (v >= low) & (v <= high)), index=column.index)


def _hydra_overrides(path: Path) -> list[str] | None:
    """What a job was asked to run, from Hydra's record (None when there is none to read)."""
    overrides = read_yaml(path / ".hydra" / "overrides.yaml")
    return list(map(str, overrides)) if isinstance(overrides, list) else None


def overrides_label(overrides: Sequence[str]) -> str:
    """A job's name when its manifest is unusable or it never started."""
    return "overrides: " + ",".join(overrides) if overrides else ""


def monthly_figures(opportunities: pd.DataFrame, kpis: pd.DataFrame, cal: Calendar) -> pd.DataFrame:
    """Won value by (replication, close month) on the 4-4-5 calendar, 0 for months without wins,
    and the month's total and investment cost."""
    won = opportunities[opportunities.outcome == "won"]
    weeks = (won.closed_day // DAYS_PER_WEEK).astype(int)
    # month_of_day once per distinct week rather than once per deal
    month_of_week = {w: cal.month_of_day(w * DAYS_PER_WEEK) for w in weeks.unique()}
    by_month = won.value_usd.groupby([won.replication, weeks.map(month_of_week).rename("month")]).sum()
    months = kpis.drop_duplicates(["replication", "month"]).set_index(["replication", "month"])
    out = by_month.reindex(months.index, fill_value=0.0).rename(BOOKINGS).to_frame()
    out[[MONTH_COST, MONTH_INVESTMENT]] = months[[MONTH_COST, MONTH_INVESTMENT]]
    return out.reset_index()


def planned_jobs(record: object) -> list[list[str]] | None:
    """The overrides of every job the sweep launches, in Hydra's job order, expanded from its
    ``record`` (multirun.yaml, read: the sweeper's params, then the command line's overrides) as
    Hydra's basic sweeper does; None when that cannot be told: no readable multirun.yaml, another
    sweeper, or a sweep over config groups (glob)."""
    try:
        hydra = record["hydra"]
        if not str(hydra["sweeper"]["_target_"]).endswith(".BasicSweeper"):
            return None
        return sweep_jobs(hydra["sweeper"].get("params") or {}, list(hydra["overrides"]["task"]))
    except (KeyError, TypeError, AttributeError, UserError):  # None, or not a sweep's record
        return None


@dataclass(frozen=True)
class NotStarted:
    """A job of the sweep with no folder: the sweep stopped (or is still running) before it."""
    number: int  # Hydra's job number (hydra.job.num)
    overrides: tuple[str, ...]

    @property
    def label(self) -> str:
        """'#N': a job number, not a folder name (a folder named N may be another job's)."""
        return f"#{self.number}"


STRAY = ("not a job of this sweep: its overrides match none that multirun.yaml lists (left by "
         "another sweep into the same folder? move it out)")


@dataclass
class Plan:
    """The jobs multirun.yaml says the sweep launches, set against its job folders."""
    total: int
    not_started: int
    unstarted: list[NotStarted]  # the jobs not started, when they can be told apart
    planned: list[list[str]] | None = None  # every job's overrides; None when it cannot be told
    record: object = None  # multirun.yaml as read (None: unreadable), for the baseline's choice


def match_plan(planned: list[list[str]] | None, jobs: list[Job]) -> Plan:
    """Match job folders to the planned jobs by their overrides (a folder's name depends on
    hydra.sweep.subdir; its .hydra/overrides.yaml does not). A folder that matches none is marked
    incomplete (STRAY): a sweep run into a folder that held another leaves the old jobs there."""
    if planned is None:  # the plan cannot be read: the folders are the sweep
        return Plan(len(jobs), 0, [])
    numbers: dict[tuple[str, ...], list[int]] = {}
    for number, overrides in enumerate(planned):
        numbers.setdefault(job_key(overrides), []).append(number)
    unrecorded = 0
    for job in jobs:
        if job.overrides is None:
            unrecorded += 1
            continue
        free = numbers.get(job_key(job.overrides))
        if free:
            free.pop(0)
        else:
            job.problem = STRAY
    left = sorted(n for free in numbers.values() for n in free)
    # Folders without Hydra's record ran some of the jobs left, but which cannot be told.
    named = [NotStarted(n, tuple(planned[n])) for n in left] if not unrecorded else []
    return Plan(len(planned), max(0, len(left) - unrecorded), named, planned)


PRESENTATION_OVERRIDES = {f"sim.{k}" for k in PRESENTATION_KEYS}


def override_key(override: str) -> str:
    """An override's key, without its '+', '++' or '~'."""
    return split_override(override)[0]


def job_key(overrides: list[str]) -> tuple[str, ...]:
    """What identifies a job: its overrides in any order, without the keys that change no table
    (a resumed sweep adds sim.resume=true, and rewrites a job's record only when it reaches it)."""
    return tuple(sorted(o for o in overrides if override_key(o) not in PRESENTATION_OVERRIDES))


def load_sweep(sweep: Path) -> tuple[list[Job], Plan]:
    folders = job_folders(sweep)
    bar = tqdm(folders, desc="reading jobs", unit="job", file=sys.stderr, leave=False,
               disable=not sys.stderr.isatty())
    jobs = [read_job(p) for p in bar]
    record = read_yaml(sweep / SWEEP_RECORD)
    plan = match_plan(planned_jobs(record), jobs)
    plan.record = record
    unique_scenario_names(jobs)
    return jobs, plan


def unique_names(jobs: Sequence[Job]) -> list[str]:
    """Each job's scenario name as it is compared: two jobs may share one (same sim.scenario), told
    apart by job folder, or, for a run from outside the sweep, by where it is, as its label says it
    (a review found both)."""
    counts = pd.Series([j.scenario for j in jobs if not j.problem]).value_counts()
    return [j.scenario + (f" ({j.elsewhere})" if j.elsewhere else job_suffix(j.name, j.pooled))
            if not j.problem and counts.get(j.scenario, 0) > 1 else j.scenario for j in jobs]


def unique_scenario_names(jobs: list[Job]) -> None:
    """Names each job as unique_names does."""
    for j, name in zip(jobs, unique_names(jobs)):
        j.scenario = name


def read_yaml(path: Path) -> object:
    """A YAML file's content; None when it cannot be read (gone, not YAML, not UTF-8)."""
    try:
        return yaml.safe_load(path.read_text())
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def recorded_choices(hydra_config: object) -> dict:
    """The config group choices Hydra recorded in a saved config (multirun.yaml, hydra.yaml)."""
    node = hydra_config
    for part in ("hydra", "runtime", "choices"):
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def job_choices(folder: Path) -> dict:
    """The config the job in ``folder`` chose for each config group, as Hydra's record of it says
    (typed, or set by an experiment's defaults); {} when the record cannot be read. Read once
    while the file stays as it is: a comparison asks for them job by job, more than once."""
    record = folder / ".hydra" / "hydra.yaml"
    try:
        return _choices_recorded(record, record.stat().st_mtime_ns)
    except OSError:
        return {}


@functools.lru_cache(maxsize=None)
def _choices_recorded(record: Path, mtime_ns: int) -> dict:
    return recorded_choices(read_yaml(record))
