"""Run a scenario: its replications, their tables stacked, the summary, the files on disk."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from salessim.config import UNNAMED_SCENARIO, Config
from salessim.model import levers
from salessim.model.calendar import Calendar
from salessim.model.simulation import run_replication
from salessim.outputs import TABLES, manifest, now_utc, write_results
from salessim.plural import counted
from salessim.summary import SUMMARY_COLUMNS, summarize


# One core's seconds per seller-year of simulation, from `make bench` on the machine of
# docs/performance.md (28 November 2026, second round): about 0.37 s per 100 sellers a year, and
# a little more per seller in larger organizations (15-20x the time for 10x the sellers); a fifth
# more since keyed draws (2 December 2026: 21.6% more instructions a run). A rough guide, not a
# promise.
SECONDS_PER_SELLER_YEAR = 0.0045
SIZE_EXPONENT = 0.2
# What a replication and a job cost whatever their size: building the world, the tables, the
# invariant checks and the summary of a replication; a sweep job's setup and the writing of its
# folder. Measured with one-seller jobs (30 November 2026, on a host 2.35 times slower than
# make bench's quiet one, and scaled to it): 20 jobs of one replication took 0.34 s each, of which
# the replication 0.025 s. Without them, a sweep of small jobs was announced as 1 s of work and took 9.
# Since Hydra's sweeper no longer composes each job a third time (salessim.cli), such a job takes a
# fifth less (1 December 2026: 20 one-seller jobs, 0.66-0.76 s each -> 0.52-0.59 s on a busy host).
SECONDS_PER_REPLICATION = 0.02
SECONDS_PER_JOB = 0.10
# A sweep's worker process first imports salessim, pandas and pyarrow (1.0-1.1 s measured, 30
# November 2026): a sweep of small jobs on two workers was announced as 3 s of work and took 12.
SECONDS_PER_WORKER_START = 1.0
LARGE_RUN_HOURS = 0.5  # runs expected to take longer are announced before they start
# An inbound lead beyond the default organization's rate a seller (about 13 a year): its journey's
# two events, and, when no seller has the hours, its going cold. 11-23 us measured on a host about
# twice as slow as make bench's quiet one (1 December 2026: 20 sellers, 1 year, SMB accounts at 40
# inbound leads a year against 0.16), so about 8 us there. Without it, 10,000 accounts a seller at
# 100 leads a year each was announced as a second's run.
SECONDS_PER_EXTRA_INBOUND_LEAD = 8e-6


def expected_hours(cfg: Config, of_one_core: bool = False) -> float:
    """Roughly how long ``run_scenario(cfg)`` takes, in hours, with its replication workers; or,
    ``of_one_core``, the work it gives the machine's cores in all (a sweep's jobs share them), with
    the start of those workers."""
    sellers, sim = cfg.org.sellers, cfg.sim
    per_seller_year = SECONDS_PER_SELLER_YEAR * max(1.0, sellers / 100) ** SIZE_EXPONENT
    extra_leads = max(0.0, inbound_leads_per_seller_year(cfg) - DEFAULT_INBOUND_LEADS_PER_SELLER_YEAR)
    per_seller_year += extra_leads * SECONDS_PER_EXTRA_INBOUND_LEAD
    replication = per_seller_year * sellers * sim.years + SECONDS_PER_REPLICATION
    workers = replication_workers(cfg)
    if of_one_core:
        starts = workers * SECONDS_PER_WORKER_START if workers > 1 else 0.0
        return (replication * sim.replications + starts + SECONDS_PER_JOB) / 3600
    return (replication * sim.replications / workers + SECONDS_PER_JOB) / 3600


def inbound_leads_per_seller_year(cfg: Config) -> float:
    """The marketing leads a year for each seller's accounts, over the segment mix: the one part of
    a run's work that grows with settings other than sellers and years without bound."""
    return sum(share * cfg.coverage.accounts_per_seller.get(segment, 0.0)
               * cfg.market.segments[segment].inbound_leads_per_account_year
               for segment, share in cfg.org.segment_mix.items() if segment in cfg.market.segments)


DEFAULT_INBOUND_LEADS_PER_SELLER_YEAR = inbound_leads_per_seller_year(Config())


def replication_workers(cfg: Config, replications: int | None = None) -> int:
    """Processes running a scenario's replications side by side (sim.workers; 0: one per core),
    no more than its replications (``replications``, else sim.replications)."""
    return min(cfg.sim.replications if replications is None else replications,
               cfg.sim.workers or os.cpu_count() or 1)


@dataclass(eq=False, repr=False)  # tables compare and print poorly whole
class Results:
    """The tables of one scenario (all replications stacked, ``replication`` column)."""
    summary: pd.DataFrame
    opportunities: pd.DataFrame
    sellers: pd.DataFrame
    kpis: pd.DataFrame
    fsm_months: pd.DataFrame
    journey_events: pd.DataFrame | None = None
    manifest: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name (journey_events only when traced), as the job's folder holds them."""
        return {n: getattr(self, n) for n in TABLES if getattr(self, n) is not None}

    def __repr__(self) -> str:
        shapes = ", ".join(f"{n} {len(t):,}x{t.shape[1]}" for n, t in self.tables().items())
        reps = self.manifest.get("replications")
        said = counted(reps, "replication") if reps else "? replications"
        return f"Results({self.manifest.get('scenario', '?')!r}, {said}: {shapes})"


def _replicate(cfg: Config, r: int, scenario: str,
               on_month: Callable[[], object] | None = None) -> tuple[dict, dict[str, pd.DataFrame], int]:
    """One replication: its summary row, its tables and its SimPy event count."""
    rep = run_replication(cfg, r, on_month)
    cal = rep.calendar
    row = summarize(rep.tables, scenario=scenario, replication=r, seed=cfg.sim.seed,
                    warmup_months=cfg.sim.warmup_months,
                    warmup_day=cal.month_start_day(cfg.sim.warmup_months),
                    months=cal.months,
                    window_years=cal.years_from_month(cfg.sim.warmup_months),
                    n_fsms=rep.teams,
                    gross_margin=cfg.market.gross_margin, events=rep.events,
                    wall_seconds=rep.wall_seconds, segments=list(cfg.market.segments),
                    month_0_weeks=cal.weeks_in_month(0))
    return row, rep.tables, rep.events


def summary_rows(cfg: Config, replications: range, scenario: str = UNNAMED_SCENARIO) -> list[dict]:
    """The summary rows of ``replications`` alone, side by side on sim.workers processes, in
    replication order: what a calibration trial scores, a few replications at a time."""
    workers = replication_workers(cfg, len(replications))
    if workers == 1:
        return [_replicate(cfg, r, scenario)[0] for r in replications]
    return [row for row, _, _ in _side_by_side(cfg, replications, scenario, workers)]


def _side_by_side(cfg: Config, replications: range, scenario: str, workers: int, **parallel):
    """``_replicate`` of each replication on ``workers`` processes, in replication order (joblib is
    imported here, not by every importer of the runner: a command its check refuses never needs
    it; a command that runs imports loky, joblib's, for its interrupt guard anyway)."""
    from joblib import Parallel, delayed
    return Parallel(n_jobs=workers, **parallel)(delayed(_replicate)(cfg, r, scenario) for r in replications)


def run_scenario(cfg: Config, scenario: str = UNNAMED_SCENARIO, out_dir: Path | None = None,
                 progress: bool | None = None, fits: list[dict[str, str]] | None = None) -> Results:
    """Run every replication of ``cfg`` and build its tables (written to ``out_dir`` if given);
    ``fits``: the calibrated fits the config holds, for the manifest (applied_fits.provenance)."""
    started = now_utc()
    show = cfg.sim.progress and sys.stderr.isatty() if progress is None else progress
    replications = cfg.sim.replications
    workers = replication_workers(cfg)
    rows, parts = [], {}
    events = 0
    if workers == 1:
        # Progress by simulated month: a large organization takes seconds per replication.
        bar = tqdm(total=replications * Calendar(cfg.sim.years).months, desc=scenario,
                   unit="month", disable=not show, leave=False)
        tick = (lambda: bar.update()) if show else None

        def one_by_one():
            for r in range(replications):
                bar.set_postfix_str(f"replication {r + 1}/{replications}", refresh=False)
                yield _replicate(cfg, r, scenario, tick)
        done = one_by_one()
    else:
        # Replications are independent (seeded by (seed, r)), so worker processes give the same
        # tables; results come back in replication order.
        bar = tqdm(total=replications, desc=scenario, unit="rep", disable=not show, leave=False)
        done = _side_by_side(cfg, range(replications), scenario, workers, return_as="generator")
    for row, rep_tables, rep_events in done:
        if workers > 1:
            bar.update()
        events += rep_events
        rows.append(row)
        for name, df in rep_tables.items():
            parts.setdefault(name, []).append(df)
    bar.close()
    extra = [c for c in rows[0] if c not in SUMMARY_COLUMNS]
    tables = {"summary": pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS) + extra)}
    tables.update({name: pd.concat(dfs, ignore_index=True) for name, dfs in parts.items()})
    resolved = asdict(cfg)
    meta = manifest(resolved, scenario=scenario, started=started, events=events,
                    tables=sorted(tables), columns={name: list(df.columns) for name, df in tables.items()},
                    investments=levers.every_setting(cfg.investment, cfg.sim.warmup_months),
                    calibrated=fits)
    if out_dir is not None:
        write_results(out_dir, tables, meta)
    return Results(manifest=meta, **tables)
