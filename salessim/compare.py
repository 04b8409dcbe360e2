"""``salessim-compare SWEEP_DIR``: compare the scenarios of a sweep against a baseline.

Every scenario of a sweep replays the same replication seeds (common random numbers), so the
effect of a scenario is estimated replication by replication (paired) against the baseline; the
unpaired (Welch) interval is kept beside it to show how much the pairing buys. Results go to
``SWEEP_DIR/comparison/``: comparison.parquet/.csv, incomplete_jobs.csv and a self-contained
report.html. This module holds the command, the loading and the statistics; plots.py draws and
report.py writes the page.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import yaml
from tqdm.auto import tqdm

from salessim.config import Config
from salessim.errors import OneLineArgumentParser, UserError, exit_with, first_few, reader_may_leave
from salessim.interrupt import interrupt_ends_quietly
from salessim.model.calendar import DAYS_PER_WEEK, Calendar
from salessim.outputs import MANIFEST, PRESENTATION_KEYS, SWEEP_RECORD, read_parquet_checked
from salessim.preflight import version_asked
from salessim.manifest import read_manifest
from salessim.report_table import few_replications_note, short_names
from salessim.stats import mean_ci, t975
from salessim.summary import SHORT_WINDOW_YEARS, cut, mean_ci_within, value_range

PROG = "salessim-compare"
KEPT = "a comparison folder is replaced only by a complete one"
OUT_NAME = "comparison"
# Summary columns that describe the run rather than the organization.
NOT_METRICS = ("replication", "seed", "events", "wall_seconds", "window_years")
# The figures a strategist looks at first: terminal table and default plots.
KEY_METRICS = ("bookings_usd", "win_rate", "quota_attainment_share", "seller_turnover_rate")
BOOKINGS, COST, GROSS_MARGIN = "bookings_usd", "total_cost_usd", "gross_margin_usd"
INVESTMENT = "investment_cost_usd"
# The columns the increments and ROI are made of: read whatever --metrics selects for display.
ROI_INPUTS = (BOOKINGS, COST, GROSS_MARGIN, INVESTMENT)
# Tables compare reads and the columns it uses, numbers but for TEXT_COLUMNS. summary is read whole
# (its numeric columns are the metrics) and, where it has them, its SUMMARY_NUMBERS must be numbers.
# Other tables a manifest lists are only checked for readability.
NEEDED = {"summary": ("replication", "window_years", BOOKINGS),
          "opportunities": ("replication", "outcome", "closed_day", "value_usd"),
          "kpis": ("replication", "month")}
TEXT_COLUMNS = ("outcome",)
SUMMARY_NUMBERS = (*KEY_METRICS, *ROI_INPUTS)
COMPARISON_COLUMNS = (
    "scenario", "metric", "per_year", "n", "mean", "ci_low", "ci_high", "diff_vs_baseline",
    "diff_ci_low", "diff_ci_high", "diff_ci_unpaired_low", "diff_ci_unpaired_high",
    "incremental_bookings_usd_per_year", "incremental_cost_usd_per_year", "roi",
)
INCOMPLETE_COLUMNS = ("job", "scenario", "problem", "path")


# --- loading -------------------------------------------------------------------------------------

@dataclass
class Job:
    """One job folder of the sweep. ``problem`` is set when the job is incomplete."""
    name: str
    path: Path
    scenario: str = ""
    manifest: dict = field(default_factory=dict)
    cfg: Config | None = None  # the manifest's config, validated: what the job ran
    summary: pd.DataFrame | None = None
    monthly: pd.DataFrame | None = None  # won value by (replication, month), zeros included
    problem: str = ""
    overrides: list[str] | None = None  # Hydra's record of what the job was asked to run

    @property
    def config(self) -> dict:
        """The manifest's config as written (validated, but without the schema's defaults)."""
        return self.manifest.get("config") or {}

    @property
    def label(self) -> str:
        """Scenario and job folder, the folder once: a name shared by several jobs already has it."""
        where = _job_suffix(self.name)
        return self.scenario if self.scenario.endswith(where) else self.scenario + where


def _job_suffix(name: str) -> str:
    return f" (job {name})"


def is_money_total(column: str) -> bool:
    """USD totals over the window (bookings_usd, bookings_usd_smb, total_cost_usd, ...), which are
    turned into yearly figures. Means such as mean_deal_usd_smb are per deal, not per window."""
    return "_usd" in column and not column.startswith("mean_")


def _job_sort_key(path: Path) -> tuple:
    return (0, int(path.name), "") if path.name.isdigit() else (1, 0, path.name)


def _looks_like_job(path: Path) -> bool:
    # Hydra writes .hydra/ before the job runs, so a crashed job still shows up here.
    return (path.name.isdigit() or (path / MANIFEST).exists() or (path / ".hydra").is_dir()
            or any(path.glob("*.parquet")))


def job_folders(sweep: Path) -> list[Path]:
    """The job folders of ``sweep``; refuses anything that is not a sweep folder."""
    allowed = "a sweep folder written by salessim -m, e.g. results/sweeps/<time>"
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
    if not jobs:
        raise UserError(f"{sweep} is not a sweep folder: no job folders (allowed: {allowed}, with at "
                        "least one finished job)")
    if not any((p / MANIFEST).is_file() for p in jobs):
        raise UserError(f"no job of {sweep} has finished: none of its {len(jobs)} job folder(s) holds "
                        f"{MANIFEST}, which a job writes last (still running, or crashed; allowed: a "
                        "sweep with at least one finished job: run its command again with the same "
                        "hydra.sweep.dir and sim.resume=true)")
    return jobs


def read_job(path: Path) -> Job:
    """Read what the comparison needs from one job folder; a problem marks it incomplete."""
    overrides = _hydra_overrides(path)
    job = Job(name=path.name, path=path, scenario=_overrides_label(overrides or []),
              overrides=overrides)
    if not (path / MANIFEST).is_file():
        job.problem = f"no {MANIFEST} (still running, or crashed)"
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
    job.monthly = won_by_month(frames["opportunities"], frames["kpis"], cal)
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
        raise UserError(f"{file.name} lacks column(s) {', '.join(lacking)} (allowed: a table as "
                        "salessim writes it, with the columns docs/results.md lists)")
    whole = file.stem == "summary"  # every numeric column is a metric
    frame = read_parquet_checked(file, lambda f: pd.read_parquet(f, columns=None if whole else list(columns)))
    numbers = [c for c in (*columns, *(SUMMARY_NUMBERS if whole else ())) if c in frame]
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
    overrides = _read_yaml(path / ".hydra" / "overrides.yaml")
    return list(map(str, overrides)) if isinstance(overrides, list) else None


def _overrides_label(overrides: Sequence[str]) -> str:
    """A job's name when its manifest is unusable or it never started."""
    return "overrides: " + ",".join(overrides) if overrides else ""


def won_by_month(opportunities: pd.DataFrame, kpis: pd.DataFrame, cal: Calendar) -> pd.DataFrame:
    """Won value by (replication, close month) on the 4-4-5 calendar, 0 for months without wins."""
    won = opportunities[opportunities.outcome == "won"]
    weeks = (won.closed_day // DAYS_PER_WEEK).astype(int)
    # month_of_day once per distinct week rather than once per deal
    month_of_week = {w: cal.month_of_day(w * DAYS_PER_WEEK) for w in weeks.unique()}
    by_month = won.value_usd.groupby([won.replication, weeks.map(month_of_week).rename("month")]).sum()
    grid = pd.MultiIndex.from_frame(kpis[["replication", "month"]].drop_duplicates())
    return by_month.reindex(grid, fill_value=0.0).rename(BOOKINGS).reset_index()


def planned_jobs(record: object) -> list[list[str]] | None:
    """The overrides of every job the sweep launches, in Hydra's job order, expanded from its
    ``record`` (multirun.yaml, read: the sweeper's params, then the command line's overrides) as
    Hydra's basic sweeper does; None when that cannot be told: no readable multirun.yaml, another
    sweeper, or a sweep over config groups (glob)."""
    from salessim.preflight import sweep_jobs  # Hydra only when needed

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
        numbers.setdefault(_job_key(overrides), []).append(number)
    unrecorded = 0
    for job in jobs:
        if job.overrides is None:
            unrecorded += 1
            continue
        free = numbers.get(_job_key(job.overrides))
        if free:
            free.pop(0)
        else:
            job.problem = STRAY
    left = sorted(n for free in numbers.values() for n in free)
    # Folders without Hydra's record ran some of the jobs left, but which cannot be told.
    named = [NotStarted(n, tuple(planned[n])) for n in left] if not unrecorded else []
    return Plan(len(planned), max(0, len(left) - unrecorded), named, planned)


_PRESENTATION_OVERRIDES = {f"sim.{k}" for k in PRESENTATION_KEYS}


def _key(override: str) -> str:
    """An override's key, without its '+', '++' or '~'."""
    from salessim.preflight import split_override  # loaded already: planned_jobs() needed it

    return split_override(override)[0]


def _job_key(overrides: list[str]) -> tuple[str, ...]:
    """What identifies a job: its overrides in any order, without the keys that change no table
    (a resumed sweep adds sim.resume=true, and rewrites a job's record only when it reaches it)."""
    return tuple(sorted(o for o in overrides if _key(o) not in _PRESENTATION_OVERRIDES))


def load_sweep(sweep: Path) -> tuple[list[Job], Plan]:
    folders = job_folders(sweep)
    bar = tqdm(folders, desc="reading jobs", unit="job", file=sys.stderr, leave=False,
               disable=not sys.stderr.isatty())
    jobs = [read_job(p) for p in bar]
    record = _read_yaml(sweep / SWEEP_RECORD)
    plan = match_plan(planned_jobs(record), jobs)
    plan.record = record
    _unique_scenario_names(jobs)
    return jobs, plan


def _unique_scenario_names(jobs: list[Job]) -> None:
    """Two jobs may share a scenario name (same sim.scenario); tell them apart by job folder."""
    counts = pd.Series([j.scenario for j in jobs if not j.problem]).value_counts()
    for j in jobs:
        if not j.problem and counts.get(j.scenario, 0) > 1:
            j.scenario += _job_suffix(j.name)


# --- choosing the baseline and the metrics ---------------------------------------------------------

def _allowed(names: Sequence[str]) -> str:
    return ", ".join(repr(n) for n in names)


def choose_baseline(jobs: list[Job], wanted: str | None,
                    planned: list[list[str]] | None = None,
                    unstarted: Sequence[NotStarted] = (), record: object = None) -> tuple[Job, str]:
    """The baseline job and a sentence saying why it was chosen; ``planned``: every job's
    overrides as the sweep's plan lists them (Plan.planned), else the job folders' are used;
    ``unstarted``: the planned jobs known to have no folder (Plan.unstarted); ``record``: the
    sweep's multirun.yaml as load_sweep read it (Plan.record), else it is read here."""
    if wanted is not None:
        # A name copied from the report carries its line-break hints (zero-width spaces).
        wanted = wanted.replace("\u200b", "").strip()
        folder = Path(wanted).resolve()
        for j in jobs:
            if wanted in (j.scenario, j.name) or folder == j.path.resolve():
                if j.problem:
                    raise UserError(f"--baseline {wanted!r} is job {j.name}, which is incomplete: "
                                    f"{j.problem} (allowed: a finished job)")
                return j, f"chosen with --baseline {wanted}"
        done = [j for j in jobs if not j.problem]
        shared = [j for j in done if j.scenario == wanted + _job_suffix(j.name)]
        if shared:
            raise UserError(f"--baseline {wanted!r} names {len(shared)} jobs of this sweep (allowed: "
                            f"one of their job folders, {_allowed([j.name for j in shared])})")
        raise UserError(f"--baseline {wanted!r} is not a scenario or job folder of this sweep "
                        f"(allowed: scenarios {_allowed([j.scenario for j in done])} "
                        f"or job folders {_allowed([j.name for j in done])})")
    done = [j for j in jobs if not j.problem]
    if not done:
        raise UserError(f"no job of this sweep is complete ({len(jobs)} incomplete: "
                        f"{_allowed([j.name for j in jobs])}; job {jobs[0].name}: {jobs[0].problem}; "
                        "allowed: a sweep with at least one finished job — rerun it with "
                        "sim.resume=true)")
    # A baseline that did not finish must never be replaced silently by another job: the rules
    # look at unfinished jobs too, by their config where their manifest could be read, else by
    # the overrides that started them (folders left by another sweep are not this sweep's).
    sweep = jobs[0].path.parent
    # The sweep's config before it sweeps anything.
    unswept = record if record is not None else _read_yaml(sweep / SWEEP_RECORD)
    readable = [j for j in jobs if j.cfg is not None and j.problem != STRAY]
    pick = _automatic_baseline(readable, unswept, planned or [j.overrides for j in jobs if j.overrides])
    how = (f"finish it by running the sweep's command again with hydra.sweep.dir={sweep} "
           "sim.resume=true, or name the baseline with --baseline")
    none_is = ("no finished job is the baseline (none is marked sim.baseline=true, named "
               "'baseline' or runs the sweep's configuration as it stands)")
    if pick is not None:
        baseline, reason = pick
        if baseline.problem:
            raise UserError(f"the baseline, job {baseline.name} ({baseline.scenario}: {reason}), is "
                            f"incomplete: {baseline.problem} (allowed: {how})")
        return baseline, reason
    unread = [(f"job {j.name}", j.overrides) for j in jobs if j.cfg is None and j.problem != STRAY]
    unread += [(f"job {n.label}", list(n.overrides)) for n in unstarted]
    maybe = [label for label, overrides in unread if _may_be_baseline(unswept, overrides)]
    if maybe:
        raise UserError(f"{none_is}, and it may be one that did not finish: {', '.join(maybe[:5])}"
                        f"{', ...' if len(maybe) > 5 else ''} (allowed: {how})")
    # Else the sweep's first job (Hydra's #0, whatever its folder's name), if it finished.
    if planned:
        first = next((j for j in jobs if j.overrides is not None
                      and _job_key(j.overrides) == _job_key(planned[0])), None)
    else:
        first = jobs[0]
    if first is None or first.problem:
        raise UserError(f"{none_is}, and the first job, which would be, did not finish "
                        f"(job {'#0' if first is None else first.name}) (allowed: {how})")
    return first, (f"no --baseline, no job with sim.baseline=true and no scenario named 'baseline': "
                   f"the first job ({first.name}) is the baseline")


def _may_be_baseline(base: object, overrides: list[str] | None) -> bool:
    """Whether a job known only by its overrides could be the baseline: marked or named so by an
    override, or none of its overrides moves a setting from its value before the sweep (group
    choices that write a config node, such as investment=[crm], cannot be told and count as
    not moving). Without a record of its overrides it may be anything. ``base``: the sweep's
    unswept config (multirun.yaml)."""
    if overrides is None:
        return True
    choices = _choices(base)
    unswept = True
    for o in overrides:
        key, text = _key(o), o.partition("=")[2].strip()
        if key == "sim.baseline" and _yaml_value(text) is True or key == "sim.scenario" and text == "baseline":
            return True
        if key in _PRESENTATION_OVERRIDES or not isinstance(base, dict):
            continue
        value = _at(base, key)
        if value is None:
            unswept = unswept and (key not in choices or choices[key] == text)
        elif not isinstance(value, dict):
            unswept = unswept and _yaml_value(text) == value
    return unswept


def _yaml_value(text: str) -> object:
    """An override's value as YAML reads it (8.5, true, [a, b]); the text itself if it cannot."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _at(tree: object, key: str) -> object:
    """The value at a dotted key of a nested mapping; None where there is none."""
    for part in key.split("."):
        tree = tree.get(part) if isinstance(tree, dict) else None
    return tree


def _automatic_baseline(jobs: list[Job], base: object,
                        planned: list[list[str]]) -> tuple[Job, str] | None:
    """The job marked sim.baseline=true, else the scenario named 'baseline', else the job of the
    sweep's configuration as it stands (``base``, multirun.yaml), with a sentence saying why;
    None when no job is."""
    marked = [j for j in jobs if j.cfg.sim.baseline]
    if marked:
        extra = f" (also marked: {_allowed([j.scenario for j in marked[1:]])})" if len(marked) > 1 else ""
        return marked[0], f"marked with sim.baseline=true{extra}"
    # The manifest's name: jobs that share the name 'baseline' were told apart by their folder.
    named = [j for j in jobs if j.manifest.get("scenario") == "baseline"]
    if named:
        many = f" (the first of the {len(named)} jobs so named)" if len(named) > 1 else ""
        return named[0], f"the scenario named 'baseline'{many}"
    unswept = _jobs_of_the_unswept_config(base, jobs)
    if unswept:
        swept = _swept_keys(planned)
        shown = [o for o in unswept[0].overrides or [] if _key(o) in swept]
        return unswept[0], ("the configuration without the sweep: every setting the sweep varies "
                            f"at its usual value ({', '.join(shown) or 'nothing is swept'})")
    return None


def _swept_keys(planned: list[list[str]]) -> set[str]:
    """The keys whose override differs between the jobs of a sweep (or is missing from some)."""
    keys = {_key(o) for overrides in planned for o in overrides}
    return {k for k in keys
            if len({next((o for o in overrides if _key(o) == k), None) for overrides in planned}) > 1}


def _jobs_of_the_unswept_config(base: object, done: list[Job]) -> list[Job]:
    """The jobs whose every override leaves the sweep's own config as it is: the value swept is
    the one it has without the sweep (span 8.5 of 5, 8.5, 12, 16; no investment of [], [crm]).
    multirun.yaml holds that config: Hydra composes it from the command without its sweeps. A
    config group that writes elsewhere than under its name (+calibrated=NAME, experiment=NAME) is
    told by the choice Hydra records (hydra.runtime.choices), absent from the unswept config.
    ``base``: that config as multirun.yaml holds it (None when it cannot be read)."""
    if not isinstance(base, dict):
        return []
    base_choices = _choices(base)
    def unswept(job: Job) -> bool:
        job_choices = None
        for key in {_key(o) for o in job.overrides or []} - _PRESENTATION_OVERRIDES:
            value = _at(base, key)
            if value != _at(job.config, key):
                return False
            if value is None:  # not a key of the config: a group, or a Hydra key
                if job_choices is None:
                    job_choices = _choices(_read_yaml(job.path / ".hydra" / "hydra.yaml"))
                if base_choices.get(key) != job_choices.get(key):
                    return False
        return bool(job.overrides)

    return [j for j in done if unswept(j)]


def _read_yaml(path: Path) -> object:
    """A YAML file's content; None when it cannot be read."""
    try:
        return yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError):
        return None


def _choices(hydra_config: object) -> dict:
    """The config group choices Hydra recorded in a saved config (multirun.yaml, hydra.yaml)."""
    node = hydra_config
    for part in ("hydra", "runtime", "choices"):
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def available_metrics(jobs: list[Job]) -> list[str]:
    """Numeric summary columns of the finished jobs, in summary order (union over jobs). A column
    that holds something else in any job is left out: that job's values could not be compared."""
    numeric: dict[str, None] = {}
    other: set[str] = set()
    for j in jobs:
        if j.summary is None:
            continue
        for col in j.summary.columns:
            dtype = j.summary[col].dtype
            if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
                numeric[col] = None
            else:
                other.add(col)
    return [c for c in numeric if c not in NOT_METRICS and c not in other]


def choose_metrics(requested: str | None, available: list[str]) -> list[str]:
    if requested is None:
        return available
    names = [m.strip() for m in requested.split(",") if m.strip()]
    if not names:
        raise UserError(f"--metrics is empty (allowed: a comma-separated list of {_allowed(available)})")
    unknown = [m for m in names if m not in available]
    if unknown:
        why = "is a run-control column" if unknown[0] in NOT_METRICS else "is not a numeric summary column"
        raise UserError(f"--metrics: {unknown[0]!r} {why} of these jobs (allowed: {_allowed(available)})")
    return list(dict.fromkeys(names))


# --- statistics ------------------------------------------------------------------------------------

def per_replication(job: Job, metrics: Sequence[str], gross_margin: float | None) -> pd.DataFrame:
    """Metric values by replication, money totals made yearly; ``gross_margin_usd`` is derived
    from bookings x gross margin when the summary does not carry it."""
    s = job.summary.set_index("replication").sort_index()
    cols = list(dict.fromkeys([*metrics, *KEY_METRICS, *ROI_INPUTS]))
    out = s.reindex(columns=cols).astype(float)
    for col in cols:
        if is_money_total(col):
            out[col] = out[col] / s["window_years"]
    if GROSS_MARGIN not in s.columns:
        out[GROSS_MARGIN] = out[BOOKINGS] * (1.0 if gross_margin is None else gross_margin)
    return out


def paired_ci(base: pd.Series, other: pd.Series) -> tuple[float, float, float, int]:
    """Mean of other − base over the replications both have, its 95% CI, and the pairs used."""
    d = (other - base).dropna()  # aligned on the replication index
    m, h = mean_ci(d)
    return m, m - h, m + h, len(d)


def welch_ci(base: pd.Series, other: pd.Series) -> tuple[float, float]:
    """95% CI of mean(other) − mean(base) treating the two as independent samples (Welch)."""
    a, b = base.dropna().to_numpy(), other.dropna().to_numpy()
    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff, se = b.mean() - a.mean(), math.sqrt(va + vb)
    if se == 0:
        return diff, diff
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    h = t975(max(1.0, df)) * se  # Welch's df is fractional
    return diff - h, diff + h


def roi(incremental_margin: float, incremental_cost: float, investment: float = math.nan) -> float:
    """Net gain per dollar spent: (incremental gross margin − incremental total cost) / the larger
    of the extra investment cost (fees, programmes, licences beyond the baseline's: with a
    baseline that invests nothing, the investment's own cost) and the incremental total cost
    (which also holds extra pay, e.g. accelerators' commissions). NaN when nothing extra was
    spent: a scenario that costs less and earns more needs no ROI to be read."""
    spent = max(0.0 if math.isnan(investment) else investment,
                0.0 if math.isnan(incremental_cost) else incremental_cost)
    if spent <= 0.0:
        return math.nan
    return (incremental_margin - incremental_cost) / spent


def gross_margin_source(jobs: list[Job]) -> tuple[dict[str, float | None], str]:
    """Per-scenario gross margin rate (None: the summary has gross_margin_usd) and a note."""
    rates = {j.scenario: (j.config.get("market") or {}).get("gross_margin") for j in jobs}
    numeric = {r for r in rates.values() if isinstance(r, (int, float))}
    known = all(isinstance(r, (int, float)) for r in rates.values())
    shown = ", ".join(f"{r:.0%}" for r in sorted(numeric))
    if all(GROSS_MARGIN in j.summary.columns for j in jobs):
        return {j.scenario: None for j in jobs}, (
            "from the summary column gross_margin_usd" + (f": bookings × market.gross_margin ({shown})"
                                                          if shown else ""))
    if known:
        return rates, f"market.gross_margin from the job manifests ({shown})"
    return ({s: 1.0 for s in rates},
            "ASSUMED 100%: the jobs carry neither a gross_margin_usd column nor market.gross_margin, "
            "so every extra booked dollar counts as margin")


@dataclass
class Comparison:
    """Everything the terminal table, the files and the report are made from."""
    sweep: Path
    jobs: list[Job]  # finished jobs, sweep order
    incomplete: list[Job]
    plan: Plan  # the jobs the sweep launches: an interrupted sweep has fewer job folders
    baseline: Job
    baseline_reason: str
    metrics: list[str]
    plot_metrics: list[str]
    table: pd.DataFrame  # comparison.parquet
    # One row per scenario, ranked by the paired bookings difference: the key metrics' means,
    # contrast() of bookings, and the scenario-wide increments, net gain (with its paired CI) and ROI.
    scenarios: pd.DataFrame
    values: dict[str, pd.DataFrame]  # scenario -> per_replication()
    notes: list[str]
    margin_note: str

    @property
    def question(self) -> str | None:
        return self.baseline.cfg.experiment_question

    @property
    def total_jobs(self) -> int:
        return self.plan.total

    @property
    def not_started(self) -> int:
        return self.plan.not_started

    @property
    def unstarted(self) -> list[NotStarted]:
        return self.plan.unstarted


def contrast(metric: str, base: pd.Series, values: pd.Series, is_base: bool) -> dict:
    """One metric of one scenario: mean and CI, and its paired and unpaired difference from the
    baseline (none for the baseline itself). Intervals stop at the values the metric can take
    (a share's at 0 and 1, its differences' at -1 and +1)."""
    lo, hi = value_range(metric)
    span = hi - lo
    m, low, high = mean_ci_within(metric, values)
    n = int(values.notna().sum())
    out = {"n": n, "pairs": n, "mean": m, "ci_low": low, "ci_high": high,
           "diff_vs_baseline": 0.0 if n else math.nan, "diff_ci_low": math.nan,
           "diff_ci_high": math.nan, "diff_ci_unpaired_low": math.nan, "diff_ci_unpaired_high": math.nan}
    if not is_base:
        diff, low, high, out["pairs"] = paired_ci(base, values)
        out["diff_vs_baseline"] = diff
        out["diff_ci_low"], out["diff_ci_high"] = cut(low, -span, span), cut(high, -span, span)
        low, high = welch_ci(base, values)
        out["diff_ci_unpaired_low"], out["diff_ci_unpaired_high"] = (cut(low, -span, span),
                                                                     cut(high, -span, span))
    return out


def compare(sweep: Path, jobs: list[Job], plan: Plan, baseline: Job, reason: str, metrics: list[str],
            plot_metrics: list[str]) -> Comparison:
    done = [j for j in jobs if not j.problem]
    rates, margin_note = gross_margin_source(done)
    values = {j.scenario: per_replication(j, metrics, rates[j.scenario]) for j in done}
    base = values[baseline.scenario]
    notes = [f"Baseline: {baseline.label}, {reason}."]
    rows, scen = [], []
    for j in done:
        v, is_base = values[j.scenario], j is baseline
        if not is_base:
            notes.extend(_pairing_notes(baseline, j))
        window = float(j.summary.window_years.mean())
        if window < SHORT_WINDOW_YEARS:  # yearly rates from a few weeks are mostly noise
            notes.append(f"{j.label} measures only {window * 52:.0f} week(s) after its "
                         f"{j.cfg.sim.warmup_months}-month warm-up (sim.years={j.cfg.sim.years:g}): "
                         "its yearly figures are extrapolated from them.")
        # Increments are paired means, i.e. differences of means over the shared replications.
        cols = [c for c in ROI_INPUTS if c in v and c in base]
        inc = {col: 0.0 if is_base else paired_ci(base[col], v[col])[0] for col in cols}
        investment = inc.get(INVESTMENT, math.nan)
        # The net gain's own paired interval: ROI, a ratio of two means, has none.
        gain = (0.0, math.nan, math.nan) if is_base else paired_ci(_net_gain(base), _net_gain(v))[:3]
        whole = {"incremental_bookings_usd_per_year": inc[BOOKINGS],
                 "incremental_cost_usd_per_year": inc[COST],
                 "roi": math.nan if is_base else roi(inc[GROSS_MARGIN], inc[COST],
                                                     investment)}
        for metric in metrics:
            rows.append({"scenario": j.scenario, "metric": metric, "per_year": is_money_total(metric),
                         **contrast(metric, base[metric], v[metric], is_base), **whole})
        scen.append({"scenario": j.scenario, "job": j.name, "baseline": is_base,
                     **{k: mean_ci(v[k])[0] for k in (*KEY_METRICS, COST)},
                     **contrast(BOOKINGS, base[BOOKINGS], v[BOOKINGS], is_base),
                     "incremental_margin_usd_per_year": inc[GROSS_MARGIN],
                     "incremental_investment_usd_per_year": investment,
                     **dict(zip(("net_gain_usd_per_year", "net_gain_ci_low", "net_gain_ci_high"), gain)),
                     **whole})
    table = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    scenarios = (pd.DataFrame(scen).sort_values("diff_vs_baseline", ascending=False, kind="stable")
                 .reset_index(drop=True))
    if len(done) == 1:
        notes.append("Only one finished job: there is nothing to compare the baseline with.")
    notes.extend(_identical_notes(done))
    # An ROI is read as an investment's return; a what-if of settings alone has none to return,
    # nor has a change of an investment's settings that leaves its cost where it was.
    no_investment = [j.label for j, r in zip(done, scen) if not r["baseline"] and np.isfinite(r["roi"])
                     and abs(r["incremental_investment_usd_per_year"]) < 1.0]
    if no_investment:
        notes.append(f"{', '.join(no_investment)}: no investment cost differs from the baseline's, "
                     "so the ROI is per dollar of the other costs its settings changed (pay, "
                     "commission, headcount, hiring), not the return of an investment.")
    if baseline.cfg.investment and len(done) > 1:
        notes.append(f"The baseline invests too ({', '.join(sorted(baseline.cfg.investment))}): an ROI "
                     "is per dollar of investment cost beyond the baseline's, the return of "
                     "switching from it, not of the scenario's investments on their own.")
    return Comparison(sweep=sweep, jobs=done, incomplete=[j for j in jobs if j.problem], plan=plan,
                      baseline=baseline, baseline_reason=reason, metrics=metrics,
                      plot_metrics=plot_metrics, table=table, scenarios=scenarios, values=values,
                      notes=notes, margin_note=margin_note)


def _pairing_notes(baseline: Job, job: Job) -> list[str]:
    """Pairing assumes common random numbers: say when a job breaks that assumption."""
    notes = []
    if job.manifest.get("seed") != baseline.manifest.get("seed"):
        notes.append(f"{job.scenario} uses seed {job.manifest.get('seed')}, the baseline "
                     f"{baseline.manifest.get('seed')}: its replications do not share the baseline's "
                     "random numbers, so pairing does not narrow its intervals.")
    sim, base_sim = job.cfg.sim, baseline.cfg.sim
    if (sim.years, sim.warmup_months) != (base_sim.years, base_sim.warmup_months):
        notes.append(f"{job.scenario} runs {sim.years:g} year(s) with a {sim.warmup_months}-month "
                     f"warm-up, the baseline {base_sim.years:g} with {base_sim.warmup_months}: their "
                     "yearly figures come from different windows, so part of the difference is "
                     "the window's, not the settings'.")
    reps, base_reps = set(job.summary.replication), set(baseline.summary.replication)
    if reps != base_reps:
        notes.append(f"{job.scenario} has {len(reps)} replication(s), the baseline {len(base_reps)}: "
                     f"paired differences use the {len(reps & base_reps)} they share.")
    return notes


def _identical_notes(jobs: list[Job]) -> list[str]:
    """Jobs whose configs differ yet whose bookings match in every replication: what differs
    changes nothing in this organization (spans of control that round to the same number of
    FSMs in a small one), which a reader should not take for a measured zero effect."""
    same: dict[tuple, list[Job]] = {}
    for j in jobs:
        bookings = j.summary.set_index("replication")[BOOKINGS].sort_index()
        same.setdefault((tuple(bookings.index), tuple(bookings)), []).append(j)
    return [f"{', '.join(j.label for j in group)}: identical bookings in every replication: the "
            "settings that differ between them change nothing in this organization (e.g. spans "
            "of control that round to the same number of FSMs)." for group in same.values()
            if len(group) > 1]


PARTLY_PAIRED = "†"


def partly_paired(scenarios: pd.DataFrame,
                  names: Mapping[str, str] | None = None) -> tuple[set[str], str]:
    """Scenarios whose paired bookings difference leaves out replications that their mean or the
    baseline's uses (jobs run with different sim.replications), and a footnote saying so (calling
    them by ``names`` where given): shared replications replay the same seeds, so two equal
    configs differ by exactly 0 while their means, over different replications, do not."""
    base_n = int(scenarios.n[scenarios.baseline.astype(bool)].iloc[0])
    part = scenarios[~scenarios.baseline.astype(bool) & (scenarios.pairs < scenarios.n.clip(lower=base_n))]
    if part.empty:
        return set(), ""
    which = "; ".join(f"{(names or {}).get(r.scenario, r.scenario)}: {r.pairs} of its {r.n}"
                      for r in part.itertuples())
    return set(part.scenario), (
        f"{PARTLY_PAIRED}: the paired difference uses only the replications shared with the baseline, "
        f"which replay the same seeds ({which}; the baseline has {base_n}). The means average all of "
        "each job's replications, so their gap need not match the paired difference.")


RUNS_CHEAPER = "*"
UNSETTLED_NAMED = 3  # scenarios named in the note; more are counted


def unsettled_note(scenarios: pd.DataFrame, names: Mapping[str, str] | None = None) -> str:
    """A line naming the scenarios whose paired bookings intervals include 0 (the first few of
    them, and how many; ``names``: shorter names to call them by): the ranking orders their means,
    but their difference from the baseline may be none."""
    others = scenarios[~scenarios.baseline.astype(bool)]
    crossing = others[(others.diff_ci_low <= 0) & (others.diff_ci_high >= 0)]
    if crossing.empty:
        return ""
    named = first_few([(names or {}).get(s, s) for s in crossing.scenario], UNSETTLED_NAMED)
    return (f"{len(crossing)} of {len(others)} scenario(s) have a bookings interval that includes 0 "
            f"({named}): they may not differ from the baseline")


def _net_gain(values: pd.DataFrame) -> pd.Series:
    """Gross margin less every cost, replication by replication (what ROI's net gain is made of)."""
    return values[GROSS_MARGIN] - values[COST]


def leaders_note(result, names: Mapping[str, str] | None = None) -> str:
    """The first two scenarios of the ranking (the baseline aside) against each other, replication
    by replication: each is measured against the baseline, and a strategist choosing between the
    two needs their own difference, in bookings and in net gain."""
    values = getattr(result, "values", None)
    ranked = [s for s, b in zip(result.scenarios.scenario, result.scenarios.baseline) if not b]
    if values is None or len(ranked) < 2:
        return ""
    from salessim.report import fmt_ci  # the report's formatting, without its plots
    first, second = (values[s] for s in ranked[:2])
    bookings = paired_ci(second[BOOKINGS], first[BOOKINGS])[:3]
    gain = paired_ci(_net_gain(second), _net_gain(first))[:3]
    call = names or {}
    a, b = (call.get(s, s) for s in ranked[:2])
    # +1: the first is ahead, -1: the second is, 0: the interval includes 0 (NaN: not measured).
    sides = {1 if lo > 0 else -1 if hi < 0 else 0 for _, lo, hi in (bookings, gain) if not math.isnan(lo)}
    verdict = ("an interval includes 0, so which of the two leads is not settled" if 0 in sides
               else f"{a} leads" if sides == {1} else f"{b} leads" if sides == {-1}
               else "each leads on one of the two")
    return (f"The first two of the ranking, {a} minus {b}, paired: bookings per year "
            f"{fmt_ci(BOOKINGS, *bookings)}, net gain per year {fmt_ci(BOOKINGS, *gain)}: {verdict}.")


def runs_cheaper(scenarios: pd.DataFrame) -> tuple[set[str], str]:
    """Scenarios with an ROI whose other costs (pay, hiring, FSMs, tools) fell below the
    baseline's, and a footnote saying what that ROI means: per dollar of the extra investment
    cost alone, with the saving in the gain. Their total cost then rose by less than the
    investment cost, or fell."""
    saves = (scenarios.incremental_cost_usd_per_year
             < scenarios.incremental_investment_usd_per_year.fillna(0.0))
    cheaper = scenarios[scenarios.roi.notna() & saves]
    if cheaper.empty:
        return set(), ""
    return set(cheaper.scenario), (
        f"{RUNS_CHEAPER}: its other running costs fall below the baseline's: what they save counts "
        "in its net gain, and its ROI is per dollar of its extra investment cost alone")


def monthly_bands(jobs: list[Job]) -> pd.DataFrame:
    """Won value per month by scenario: mean over replications and its 95% band."""
    rows = []
    for j in jobs:
        wide = j.monthly.pivot(index="month", columns="replication", values=BOOKINGS)
        for month, vals in wide.iterrows():
            m, h = mean_ci(vals)
            rows.append((j.scenario, int(month), m, m - h, m + h))
    return pd.DataFrame(rows, columns=["scenario", "month", "mean", "low", "high"])


# --- output ----------------------------------------------------------------------------------------

SHOWN_UNSTARTED = 10  # in the terminal; incomplete_jobs.csv lists them all
NOT_STARTED = "not started: no job folder (the sweep stopped before it, or is still running)"


def incomplete_table(result: Comparison) -> pd.DataFrame:
    """The jobs left out: incomplete folders, then the jobs that never started (no path)."""
    rows = [(j.name, j.scenario, j.problem, str(j.path)) for j in result.incomplete]
    rows += [(n.label, _overrides_label(n.overrides), NOT_STARTED, "") for n in result.unstarted]
    return pd.DataFrame(rows, columns=list(INCOMPLETE_COLUMNS))


def write_outputs(result: Comparison, plots: bool) -> Path:
    """Write the comparison folder atomically: build it beside the old one, then swap."""
    from salessim.report import build_report  # matplotlib is imported only when writing

    dest = result.sweep / OUT_NAME
    tmp = result.sweep / f".{OUT_NAME}.tmp-{os.getpid()}"
    old = result.sweep / f".{OUT_NAME}.old-{os.getpid()}"
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        result.table.to_parquet(tmp / "comparison.parquet", index=False)
        result.table.to_csv(tmp / "comparison.csv", index=False)
        incomplete_table(result).to_csv(tmp / "incomplete_jobs.csv", index=False)
        (tmp / "report.html").write_text(build_report(result, with_plots=plots), encoding="utf-8")
        try:
            if dest.exists():
                os.replace(dest, old)
            os.replace(tmp, dest)
        except BaseException:  # an error, or Ctrl-C between the two renames
            if old.exists() and not dest.exists():
                os.replace(old, dest)  # keep the previous comparison rather than none
            raise
    except OSError as e:
        raise UserError(f"cannot write {dest}: {e.strerror or e} (allowed: a sweep folder you can "
                        "write to)") from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return dest


def terminal_table(result: Comparison) -> str:
    """The headline comparison, ranked like the report; columns as wide as their content."""
    from salessim.report import fmt_ci, fmt_value

    short, shared = short_names(list(result.scenarios.scenario))
    marked, footnote = partly_paired(result.scenarios, short)
    cheaper, cheaper_note = runs_cheaper(result.scenarios)
    head = ("scenario", "bookings USD/yr", "paired diff vs baseline [95% CI]", "win rate", "at quota",
            "turnover", "ROI")
    rows = []
    for _, r in result.scenarios.iterrows():
        rows.append((
            short[r.scenario],
            fmt_value(BOOKINGS, r[BOOKINGS]),
            "baseline" if r.baseline else fmt_ci(BOOKINGS, r.diff_vs_baseline, r.diff_ci_low, r.diff_ci_high)
            + (PARTLY_PAIRED if r.scenario in marked else ""),
            *(fmt_value(m, r[m]) for m in KEY_METRICS[1:]),
            fmt_value("roi", r.roi) + (RUNS_CHEAPER if r.scenario in cheaper else ""),
        ))
    widths = [max(len(x) for x in col) for col in zip(head, *rows)]
    lines = ["  ".join(x.ljust(w) if i == 0 else x.rjust(w) for i, (x, w) in enumerate(zip(line, widths)))
             for line in (head, *rows)]
    if shared:
        lines.append(f"Every scenario also has {' '.join(shared)} (left out of the names above)")
    lines.append("ROI: net gain (extra gross margin − extra total cost) per dollar spent (the larger of "
                 "the extra investment cost and the extra total cost); '-' where nothing extra was spent")
    lines += [x for x in (cheaper_note, footnote, unsettled_note(result.scenarios, short),
                          leaders_note(result, short),
                          few_replications_note(int(result.scenarios.pairs.min()))) if x]
    return "\n".join(lines)


# --- command ---------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = OneLineArgumentParser(
        prog=PROG, allowed=f"{PROG} SWEEP_DIR [--baseline NAME_OR_JOB] [--metrics a,b,...] [--no-plots]",
        description="Compare the scenarios of a salessim sweep with a baseline: "
                "paired differences over common random numbers, ROI, and an HTML report in "
                "SWEEP_DIR/comparison/.")
    p.add_argument("sweep_dir", metavar="SWEEP_DIR", help="a sweep folder, e.g. results/sweeps/<time>")
    p.add_argument("--baseline", metavar="NAME_OR_JOB",
                   help="baseline scenario name, or job folder (its name or path) (default: the job "
                        "with sim.baseline=true, else the scenario 'baseline', else the job that "
                        "keeps every swept setting at its value before the sweep, else the first job)")
    p.add_argument("--metrics", metavar="a,b,...",
                   help="summary columns to compare (default: every numeric column)")
    p.add_argument("--no-plots", action="store_true", help="write the report without plots (faster)")
    return p.parse_args(argv)


def run(argv: Sequence[str] | None = None) -> Comparison:
    """Parse, load, compare and write; raises UserError on bad input before writing anything."""
    args = parse_args(argv)
    sweep = Path(args.sweep_dir)
    jobs, plan = load_sweep(sweep)
    baseline, reason = choose_baseline(jobs, args.baseline, plan.planned, plan.unstarted, plan.record)
    done = [j for j in jobs if not j.problem]
    metrics = choose_metrics(args.metrics, available_metrics(done))
    # Plots show what was asked for, else the headline figures.
    plot_metrics = metrics if args.metrics else [m for m in KEY_METRICS if m in metrics]
    result = compare(sweep, jobs, plan, baseline, reason, metrics, plot_metrics)
    dest = write_outputs(result, plots=not args.no_plots)
    missing = f" ({result.not_started} not started: no job folder)" if result.not_started else ""
    print(f"{PROG}: {len(done)} finished job(s) of {result.total_jobs} in {sweep}{missing}")
    for note in result.notes:
        print(f"  {note}")
    print(f"  Gross margin for ROI: {result.margin_note}.")
    print()
    print(terminal_table(result))
    if result.incomplete:
        again = (f"; to run them again, run the sweep's command again with hydra.sweep.dir={sweep} "
                 "sim.resume=true, which keeps the finished jobs"
                 if any(j.problem != STRAY for j in result.incomplete) else "")
        print(f"\nINCOMPLETE jobs, left out of the comparison ({len(result.incomplete)}{again}):")
        for j in result.incomplete:
            print(f"  job {j.name}" + (f" ({j.scenario})" if j.scenario else "") + f": {j.problem}")
    if result.unstarted:
        print(f"\nNOT STARTED jobs ({len(result.unstarted)}; to run them, run the sweep's command again "
              f"with hydra.sweep.dir={sweep} sim.resume=true):")
        for n in result.unstarted[:SHOWN_UNSTARTED]:
            print(f"  job {n.label} ({_overrides_label(n.overrides)})")
        if len(result.unstarted) > SHOWN_UNSTARTED:
            print(f"  ... and {len(result.unstarted) - SHOWN_UNSTARTED} more, in incomplete_jobs.csv")
    print(f"\nresults in {dest} (report.html, comparison.csv, comparison.parquet, incomplete_jobs.csv)")
    return result


def main(argv: Sequence[str] | None = None) -> None:
    if version_asked(sys.argv[1:] if argv is None else list(argv), PROG):
        return
    with reader_may_leave(), interrupt_ends_quietly(PROG, KEPT, starts_workers=False):
        try:
            run(argv)
        except UserError as e:
            exit_with(e, prog=PROG)


if __name__ == "__main__":
    main()
