"""``salessim-compare SWEEP_DIR``: compare the scenarios of a sweep against a baseline.

Every scenario of a sweep replays the same replication seeds (common random numbers), so the
effect of a scenario is estimated replication by replication (paired) against the baseline; the
unpaired (Welch) interval is kept beside it to show how much the pairing buys. Results go to
``SWEEP_DIR/comparison/``: comparison.parquet/.csv, payback.csv, incomplete_jobs.csv and a
self-contained report.html. This module holds the command, the comparison and its notes;
sweep_folder.py reads the jobs, baseline.py chooses the baseline, payback.py sums the net gain
month by month, plots.py draws and report.py writes the page.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import math
import os
import shlex
import shutil
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from salessim.baseline import baseline_elsewhere, choose_baseline
from salessim.commands import version_asked
from salessim.config import MISSING, changed_settings
from salessim.errors import (OneLineArgumentParser, UserError, exit_with, first_few, names_quoted,
                             reader_may_leave, refuse_a_name_too_long)
from salessim.folder_claim import being_written
from salessim.interrupt import interrupt_ends_quietly
from salessim.manifest import code_of
from salessim.payback import PAYBACK_FIGURES, payback_curves, payback_months, warm_up_extra, warm_up_money
from salessim.report_table import few_replications_note, short_names
from salessim.seed_pooling import ON_FINISHED_SEEDS, pool_seeds, seeds_of, seeds_said
from salessim.stats import DEFAULT_CONFIDENCE, mean_ci, two_sided_t
from salessim.summary import SHORT_WINDOW_YEARS, cut, is_money_total, mean_ci_within, value_range
from salessim.sweep_folder import (BOOKINGS, COST, GROSS_MARGIN, INVESTMENT, KEY_METRICS, NOT_DIFFERENCES, OUT_NAME,
                                   ROI_INPUTS, STRAY, Job, NotStarted, Plan,
                                   is_comparison, job_folders, load_sweep, overrides_label,
                                   unique_scenario_names)

PROG = "salessim-compare"
KEPT = "a comparison folder is replaced only by a complete one"
# Summary columns that describe the run rather than the organization.
NOT_METRICS = ("replication", "seed", "events", "wall_seconds", "window_years")
# The report's figures by default: the headline figures, and the contribution, whose paired
# change is the net gain a strategist decides on.
PLOT_METRICS = (BOOKINGS, "contribution_usd", *KEY_METRICS[1:])
COMPARISON_COLUMNS = (
    "scenario", "metric", "per_year", "n", "mean", "ci_low", "ci_high", "diff_vs_baseline",
    "diff_ci_low", "diff_ci_high", "diff_ci_unpaired_low", "diff_ci_unpaired_high",
    "incremental_bookings_usd_per_year", "incremental_cost_usd_per_year", "roi", *PAYBACK_FIGURES,
    "confidence",
)
INCOMPLETE_COLUMNS = ("job", "scenario", "problem", "path")
# Yearly amounts within a dollar of each other are the same: the same costs summed in another
# order differ in their last digits (1.75e5 against 174999.9999999997).
SAME_MONEY_USD = 1.0
NAMED_IN_A_NOTE = 3  # scenarios a note names; more are counted


# --- choosing the metrics --------------------------------------------------------------------------

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
        raise UserError(f"--metrics is empty (allowed: a comma-separated list of {names_quoted(available)})")
    unknown = [m for m in names if m not in available]
    if unknown:
        why = "is a run-control column" if unknown[0] in NOT_METRICS else "is not a numeric summary column"
        near = difflib.get_close_matches(unknown[0], available, n=1) if unknown[0] not in NOT_METRICS else []
        raise UserError(f"--metrics: {unknown[0]!r} {why} of these jobs ("
                        + (f"did you mean {near[0]}? " if near else "") + f"allowed: {names_quoted(available)})")
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


def paired_ci(base: pd.Series, other: pd.Series,
              confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float, float, int]:
    """Mean of other − base over the replications both have, its interval, and the pairs used."""
    d = (other - base).dropna()  # aligned on the replication index
    m, h = mean_ci(d, confidence)
    return m, m - h, m + h, len(d)


def welch_ci(base: pd.Series, other: pd.Series,
             confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """The interval of mean(other) − mean(base) treating the two as independent samples (Welch)."""
    a, b = base.dropna().to_numpy(), other.dropna().to_numpy()
    if len(a) < 2 or len(b) < 2:
        return math.nan, math.nan
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    diff, se = b.mean() - a.mean(), math.sqrt(va + vb)
    if se == 0:
        return diff, diff
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    h = two_sided_t(confidence, max(1.0, df)) * se  # Welch's df is fractional
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
            (f"{shown} of bookings (market.gross_margin; " if shown else "as each job's summary has it (")
            + "the summary column gross_margin_usd)")
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
    # One row per scenario, ranked by the paired bookings difference or net gain: the key metrics' means,
    # contrast() of bookings, and the scenario-wide increments, net gain (with its paired CI) and ROI.
    scenarios: pd.DataFrame
    values: dict[str, pd.DataFrame]  # scenario -> per_replication()
    payback: pd.DataFrame  # payback.csv: payback_curves()
    notes: list[str]
    margin_note: str
    rank_by: str = "bookings"  # a key of RANKINGS
    discount_rate: float = 0.0  # yearly, for the payback and the net present value
    confidence: float = DEFAULT_CONFIDENCE  # of every interval (--confidence)
    baseline_elsewhere: bool = False  # a finished run outside the sweep (--baseline FOLDER)

    @property
    def question(self) -> str | None:
        """The sweep's question: its baseline's, or its first job's when the baseline ran apart."""
        own = [j for j in self.jobs if j is not self.baseline] if self.baseline_elsewhere else [self.baseline]
        return own[0].cfg.experiment_question if own else None

    @property
    def finished_said(self) -> str:
        """'7 finished job(s) of 8', and where the baseline came from when not from the sweep."""
        return f"{self.own_jobs} finished job(s) of {self.total_jobs}" + (
            f", and the baseline from {self.baseline.path}" if self.baseline_elsewhere else "")

    @property
    def own_jobs(self) -> int:
        """The sweep's finished job folders, a scenario pooled by seed counting as many as it has
        seeds, and a baseline from elsewhere not counted."""
        return sum(len(seeds_of(j)) for j in self.jobs) - self.baseline_elsewhere

    @property
    def total_jobs(self) -> int:
        return self.plan.total

    @property
    def not_started(self) -> int:
        return self.plan.not_started

    @property
    def unstarted(self) -> list[NotStarted]:
        return self.plan.unstarted


# How the scenarios can be ranked: --rank-by's choices, the column of Comparison.scenarios each
# sorts by (largest first), and how the terminal and the report say it.
NPV = "npv_usd"  # each scenario's net present value over the baseline, by replication, in values
RANKINGS = {"bookings": ("diff_vs_baseline", "the paired change in bookings per year"),
            "net_gain": ("net_gain_usd_per_year", "the paired net gain per year"),
            "npv": ("npv_usd", "the paired net present value of the window")}


def _millions(x: float) -> str:
    return "-" if math.isnan(x) else f"{x / 1e6:,.2f}"


def _signed_millions(x: float) -> str:
    return f"{x / 1e6:+,.2f}"


def _rank_by(result) -> str:
    return getattr(result, "rank_by", "bookings")  # a table built without compare() ranks by bookings


def ranking_said(result) -> str:
    """How the scenarios of ``result`` are ranked, as the terminal and the report say it."""
    return RANKINGS[_rank_by(result)][1]


def includes_zero(low, high):
    """Whether intervals include 0: no settled difference (False where there is no interval)."""
    return (low <= 0) & (high >= 0)


def contrast(metric: str, base: pd.Series, values: pd.Series, is_base: bool,
             confidence: float = DEFAULT_CONFIDENCE) -> dict:
    """One metric of one scenario: mean and CI, and its paired and unpaired difference from the
    baseline (none for the baseline itself). Intervals stop at the values the metric can take
    (a share's at 0 and 1, its differences' at -1 and +1)."""
    lo, hi = value_range(metric)
    span = hi - lo
    m, low, high = mean_ci_within(metric, values, confidence)
    n = int(values.notna().sum())
    out = {"n": n, "pairs": n, "mean": m, "ci_low": low, "ci_high": high,
           "diff_vs_baseline": 0.0 if n else math.nan, "diff_ci_low": math.nan,
           "diff_ci_high": math.nan, "diff_ci_unpaired_low": math.nan, "diff_ci_unpaired_high": math.nan}
    if not is_base:
        diff, low, high, out["pairs"] = paired_ci(base, values, confidence)
        out["diff_vs_baseline"] = diff
        out["diff_ci_low"], out["diff_ci_high"] = cut(low, -span, span), cut(high, -span, span)
        low, high = welch_ci(base, values, confidence)
        out["diff_ci_unpaired_low"], out["diff_ci_unpaired_high"] = (cut(low, -span, span),
                                                                     cut(high, -span, span))
    return out


def compare(sweep: Path, jobs: list[Job], plan: Plan, baseline: Job, reason: str, metrics: list[str],
            plot_metrics: list[str], rank_by: str = "bookings", discount_rate: float = 0.0,
            baseline_elsewhere: bool = False, confidence: float = DEFAULT_CONFIDENCE) -> Comparison:
    jobs, pooled_baseline, pooled = pool_seeds(jobs, baseline, apart=baseline if baseline_elsewhere else None)
    if pooled_baseline.pooled and ON_FINISHED_SEEDS not in reason:  # it names one job: say the rest
        reason += ", with its configuration's jobs on the other seeds"
    baseline = pooled_baseline
    done = [j for j in jobs if not j.problem]
    rates, margin_note = gross_margin_source(done)
    values = {j.scenario: per_replication(j, metrics, rates[j.scenario]) for j in done}
    base = values[baseline.scenario]
    # None: the summary's gross margin, which is bookings x the job's own market.gross_margin.
    ends: dict[str, pd.Series] = {}  # each scenario's net present value, replication by replication
    margin_rates = {j.scenario: j.cfg.market.gross_margin if rates[j.scenario] is None
                    else rates[j.scenario] for j in done}
    curves = payback_curves(done, baseline, margin_rates, discount_rate, ends, confidence)
    for j in done:  # 0 for the baseline, and for a scenario that never differs from it; NaN for
        # a replication the baseline lacks, which has no net gain to sum (not a gain of 0)
        paired = values[j.scenario].index.intersection(base.index)
        values[j.scenario][NPV] = ends.get(j.scenario, pd.Series(0.0, index=paired)).reindex(
            values[j.scenario].index)
    # A scenario sharing no month or replication with the baseline has no curve: no payback.
    paid_back = (payback_months(curves).set_index("scenario").reindex([j.scenario for j in done])
                 .fillna({"window_months": 0}))
    notes = [f"Baseline: {baseline.label}, {reason}.", *pooled]
    if baseline_elsewhere:
        notes += settings_apart_note(baseline, [j for j in done if j is not baseline])
    notes += fits_apart_note(done)
    notes += versions_apart_note(done)
    others = [j for j in done if j is not baseline]
    notes += _pairing_notes(baseline, others)
    other_window = {j.scenario for j in others if window_of(j) != window_of(baseline)}
    window_only = window_only_scenarios(baseline, others, paid_back)
    notes += window_only_note(window_only)
    notes += window_baseline_note(sweep, baseline, others)
    rows, scen = [], []
    for j in done:
        v, is_base = values[j.scenario], j is baseline
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
        gain = ((0.0, math.nan, math.nan) if is_base
                else paired_ci(_net_gain(base), _net_gain(v), confidence)[:3])
        whole = {"incremental_bookings_usd_per_year": inc[BOOKINGS],
                 "incremental_cost_usd_per_year": inc[COST],
                 "roi": math.nan if is_base else roi(inc[GROSS_MARGIN], inc[COST],
                                                     investment),
                 **{k: math.nan if is_base else paid_back.at[j.scenario, k] for k in PAYBACK_FIGURES},
                 "confidence": confidence}
        for metric in metrics:
            rows.append({"scenario": j.scenario, "metric": metric, "per_year": is_money_total(metric),
                         **contrast(metric, base[metric], v[metric], is_base, confidence), **whole})
        scen.append({"scenario": j.scenario, "job": j.name, "baseline": is_base,
                     **{k: mean_ci(v[k])[0] for k in (*KEY_METRICS, COST)},
                     **contrast(BOOKINGS, base[BOOKINGS], v[BOOKINGS], is_base, confidence),
                     "incremental_margin_usd_per_year": inc[GROSS_MARGIN],
                     "incremental_investment_usd_per_year": investment,
                     **dict(zip(("net_gain_usd_per_year", "net_gain_ci_low", "net_gain_ci_high"), gain)),
                     "window_months": int(paid_back.at[j.scenario, "window_months"]),
                     "other_window": j.scenario in other_window, **whole})
    table = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    # The NPV of the baseline, or of a scenario that never differs from it, is 0 (NaN would sort
    # it last), as its other changes are. A scenario that ties with the baseline (a change of 0)
    # ranks below it, whatever the jobs' order: it does no better than doing nothing.
    scenarios = (pd.DataFrame(scen).sort_values([RANKINGS[rank_by][0], "baseline"], ascending=False,
                                                kind="stable", key=lambda column: column.fillna(0.0))
                 .reset_index(drop=True))
    curves = in_order(curves, scenarios.scenario)
    if len(done) == 1:
        notes.append((f"Only one configuration, run on {seeds_said(baseline)}" if baseline.pooled
                      else "Only one finished job")
                     + ": there is nothing to compare the baseline with (sweep two "
                     "values or more, key=a,b, or compare with a finished run apart: --baseline "
                     "RUN_FOLDER).")
    if drift := baseline_drift_note(baseline):
        notes.append(drift)
    notes.extend(_identical_notes(done))
    # An ROI is read as an investment's return; a what-if of settings alone has none to return,
    # nor has a change of an investment's settings that leaves its cost where it was.
    # One whose window alone differs changes no cost: window_only_note says what its ROI is.
    # One that differs in its seed alone has chance to return: _pairing_notes says so.
    no_investment = [j.label for j, r in zip(done, scen) if not r["baseline"] and np.isfinite(r["roi"])
                     and abs(r["incremental_investment_usd_per_year"]) < SAME_MONEY_USD
                     and j not in window_only and not seed_alone(baseline, j)]
    if no_investment:
        notes.append(f"{', '.join(no_investment)}: no investment cost differs from the baseline's, "
                     "so the ROI is per dollar of the other costs its settings changed (pay, "
                     "commission, headcount, hiring), not the return of an investment.")
    notes += one_off_in_a_short_window(baseline, others)
    notes += changed_in_the_warm_up(baseline, others, margin_rates)
    if baseline.cfg.investment and len(done) > 1:
        notes.append(f"The baseline invests too ({', '.join(sorted(baseline.cfg.investment))}): the "
                     "investment cost in an ROI is the cost beyond the baseline's (an ROI divides "
                     "by the larger of that and the extra total cost, as for every scenario), so it "
                     "is the return of switching from the baseline, not of the scenario's "
                     "investments on their own.")
    return Comparison(sweep=sweep, jobs=done, incomplete=[j for j in jobs if j.problem], plan=plan,
                      baseline=baseline, baseline_reason=reason, metrics=metrics,
                      plot_metrics=plot_metrics, table=table, scenarios=scenarios, values=values,
                      payback=curves, notes=notes, margin_note=margin_note, rank_by=rank_by,
                      discount_rate=discount_rate, confidence=confidence,
                      baseline_elsewhere=baseline_elsewhere)


def one_off_cost_usd(job: Job) -> float:
    """What a job's investments cost once (their one-off fees), all paid in the measured window."""
    from salessim.model import levers
    return sum(lever.spec.one_off_cost_usd
               for lever in levers.build(job.cfg.investment, job.cfg.sim.warmup_months))


def one_off_in_a_short_window(baseline: Job, jobs: list[Job]) -> list[str]:
    """A note on scenarios whose one-off costs beyond the baseline's fall in a window shorter than
    a year: their yearly cost bears a one-off fee at more than its amount a year (a CRM's licence
    fee counts twice in a half-year window), so their yearly net gain and ROI say less of the
    investment than of the horizon."""
    base = one_off_cost_usd(baseline)
    short: dict[int, list[str]] = {}  # months measured -> the scenarios
    for j in jobs:
        window = float(j.summary.window_years.mean())
        if window < 1.0 - 1e-9 and one_off_cost_usd(j) - base > SAME_MONEY_USD:
            short.setdefault(round(window * 12), []).append(j.label)
    return [f"{first_few(labels, NAMED_IN_A_NOTE, '; ')}: its one-off cost falls whole in the "
            f"{months} month(s) measured after the warm-up, so the yearly cost, net gain and ROI "
            f"count it {12 / months:.1f} times a year; judge it by the NPV and payback, or over "
            "the horizon it must pay back in (a larger sim.years)"
            for months, labels in short.items() if months]  # under a month: short_window's note


def changed_in_the_warm_up(baseline: Job, jobs: list[Job], rates: dict[str, float]) -> list[str]:
    """A note on scenarios that differ from the baseline before their window opens (a change of
    settings, in place from the first day): their figures and payback count from the window's
    start, and what their warm-up cost and won beyond the baseline's counts in none of them. A job
    with another seed is left out: chance moves its warm-up money too, so the figure could not be
    read as what a change cost (the pairing note says that part of its differences is chance)."""
    base_money = warm_up_money(baseline, rates[baseline.scenario])
    said = {}
    for j in (j for j in jobs if not another_seed(baseline, j)):
        cost, margin = warm_up_extra(j, rates[j.scenario], base_money, baseline.cfg.sim.warmup_months)
        if abs(cost) > SAME_MONEY_USD or abs(margin) > SAME_MONEY_USD:
            said[j.label] = (f"over its {j.cfg.sim.warmup_months}-month warm-up it cost "
                             f"{_more_or_less(cost)} and earned {_more_or_less(margin)} of gross "
                             "margin than the baseline")
    if not said:
        return []
    if len(said) == 1:
        (label, amounts), = said.items()
        return [f"{label} differs from the baseline from the first day (its settings): its figures "
                "and payback count from the end of the warm-up as if the difference were in place "
                f"by then; {amounts}, counted in none of them"]
    return [f"{first_few(list(said), NAMED_IN_A_NOTE)} differ from the baseline from the first day "
            "(their settings): their figures and paybacks count from the end of the warm-up as if "
            "the difference were in place by then, and what the warm-up cost and earned beyond "
            "the baseline's is counted in none of them ("
            + first_few([f"{label}: {amounts}" for label, amounts in said.items()], NAMED_IN_A_NOTE, "; ")
            + ")"]


def _more_or_less(usd: float) -> str:
    """'574,544 USD more' or '68,759 USD less': a signed amount in words, which reads in a sentence."""
    return f"{abs(usd):,.0f} USD {'more' if usd >= 0 else 'less'}"


SETTINGS_SHOWN = 3  # of the settings in which a baseline run elsewhere differs from the sweep
NOT_APART = ("investment", "sim.", "experiment_question")  # what the sweep adds, or how it runs


def settings_apart_note(baseline: Job, jobs: list[Job]) -> list[str]:
    """A baseline run apart from the sweep should differ from its jobs only in what they sweep:
    name the settings every job of the sweep shares and the baseline has otherwise (a 100-seller
    baseline for a sweep of 20: part of every difference is theirs). Investments, which the
    sweep's jobs add, and how a run is shown, named or run are left out."""
    if not jobs:
        return []
    per_job = [changed_settings(asdict(baseline.cfg), asdict(j.cfg)) for j in jobs]
    apart = [d for d in per_job[0] if not d[0].startswith(NOT_APART) and all(d in c for c in per_job[1:])]
    apart.sort(key=lambda d: d[2] is MISSING)  # what the jobs have first, then what they lack
    if not apart:
        return []
    said = "; ".join(f"{k}: {was} in the baseline, {now} in every job" for k, was, now in apart[:SETTINGS_SHOWN])
    more = f"; and {len(apart) - SETTINGS_SHOWN} more" if len(apart) > SETTINGS_SHOWN else ""
    return [f"The baseline, run apart from the sweep, differs from all its jobs in settings the sweep "
            f"does not vary ({said}{more}): part of every difference is theirs; run the baseline "
            "with the sweep's other settings."]


def fitted_targets_note(jobs: list[Job], metrics: list[str]) -> list[str]:
    """Figures asked for with --metrics that a fit the jobs ran (+calibrated) was made to match,
    as their manifests record its header: runs with the fit meeting them show the fit at work,
    not a validation of the model (docs/calibration.md, section 5)."""
    fitted: dict[str, list[str]] = {}  # fit name -> the labels of its targets among the metrics
    for j in jobs:
        for fit in j.manifest.get("calibrated") or []:
            if not isinstance(fit, dict) or not fit.get("targets"):
                continue  # a fit whose file names no targets, or a run recorded before they were
            labels = fitted.setdefault(str(fit.get("name")), [])
            for label in _labels(str(fit["targets"])):
                if label.partition(" [")[0] in metrics and label not in labels:
                    labels.append(label)
    return [f"{', '.join(labels)}: among the targets +calibrated={name} was fitted to (its file's "
            "'# Targets fitted' line), so these runs coming close to the survey's figure show the fit "
            "at work, not a validation; validate on figures and relationships the fit was not made to "
            "(docs/calibration.md, section 5)." for name, labels in fitted.items() if labels]


def _labels(line: str) -> list[str]:
    """The targets' labels ("metric" or "metric [condition]") of a '# Targets fitted' line: split
    at the ", " between them, not at those inside a condition's brackets (investment=[a, b])."""
    labels, depth, start = [], 0, 0
    for i, c in enumerate(line):
        depth += (c == "[") - (c == "]")
        if depth == 0 and line.startswith(", ", i):
            labels.append(line[start:i])
            start = i + 2
    return labels + [line[start:]]


def fits_apart_note(jobs: list[Job]) -> list[str]:
    """A fit's name is one file that a later study of that name replaces: when the jobs compared
    ran different fits under one name (their manifests say which), part of every difference
    between them is the change of fit, which their configs show only as changed values."""
    held: dict[str, dict[str, list[str]]] = {}  # name -> fit -> the jobs that ran it
    for j in jobs:
        for fit in j.manifest.get("calibrated") or []:
            if isinstance(fit, dict) and fit.get("name"):
                held.setdefault(str(fit["name"]), {}).setdefault(str(fit.get("fit") or "a fit whose "
                                                                 "file names no study"), []).append(j.label)
    return [f"+calibrated={name} held {len(fits)} different fits when these jobs ran (a study of that "
            f"name resumed or run again in between): "
            + " | ".join(f"{fit} ({first_few(labels, NAMED_IN_A_NOTE, '; ')})" for fit, labels in fits.items())
            + ". Part of every difference between them is the fit's; run them again with one fit."
            for name, fits in held.items() if len(fits) > 1]


def versions_apart_note(jobs: list[Job]) -> list[str]:
    """Jobs run by different salessim code (their manifests' git commit, or the package's version
    where the code was not a git checkout): part of every difference between them is the code's,
    which no setting shows, and settings an older version lacked were read at today's defaults."""
    made: dict[str, list[str]] = {}  # the code -> the jobs it ran
    for j in jobs:
        commit, version = code_of(j.manifest)
        code = (f"commit {commit[:10]}" + (" with uncommitted changes" if commit.endswith("+dirty") else "")
                if commit else f"salessim {version}" if version else "an unrecorded version")
        made.setdefault(code, []).append(j.label)
    if len(made) < 2:
        return []
    return ["These jobs were run by different salessim code: "
            + " | ".join(f"{code} ({first_few(labels, NAMED_IN_A_NOTE, '; ')})"
                         for code, labels in made.items())
            + ". Part of every difference between them is the code's, not the settings' (and settings "
            "older code lacked were read at today's defaults); run them again with one version."]


DRIFT_SAID = 0.05  # a change of the baseline's bookings between the window's first and last year


def baseline_drift_note(baseline: Job) -> str:
    """The baseline's bookings in the window's first and last 12 months, when they differ by
    DRIFT_SAID or more: the model's customer base grows (docs/model.md, limits), so the levels and
    a lever's yearly effect depend on the horizon, which a reader comparing two reports of
    different sim.years should know. '' for a window shorter than two years."""
    warmup = baseline.cfg.sim.warmup_months
    monthly = baseline.monthly[baseline.monthly.month >= warmup]
    months = sorted(monthly.month.unique())
    if len(months) < 2 * 12:
        return ""
    by_month = monthly.groupby("month")[BOOKINGS].mean()
    first, last = float(by_month.loc[months[:12]].sum()), float(by_month.loc[months[-12:]].sum())
    if first <= 0 or abs(last / first - 1.0) < DRIFT_SAID:
        return ""
    return (f"The baseline's bookings {'rise' if last > first else 'fall'} from "
            f"{_millions(first)}M USD in the window's first year to {_millions(last)}M in its last "
            f"({last / first - 1.0:+.0%}): won prospects become customers who buy again, "
            + ("while customers leave at the yearly shares market.segments.<segment>.customer_churn sets"
               if _loses_customers(baseline)
               else "and none is lost, market.segments.<segment>.customer_churn being 0")
            + " (docs/model.md, 'Limits and assumptions'), so levels and yearly effects depend on "
            "sim.years; compare scenarios at one horizon.")


def _loses_customers(job: Job) -> bool:
    """Whether a job ran with customers lost (market.segments.<segment>.customer_churn above 0),
    as its manifest's config says (a config from before the key has none)."""
    segments = (job.config.get("market") or {}).get("segments") or {}
    return any((s or {}).get("customer_churn", 0) > 0 for s in segments.values())


def apart_from_sweep(result) -> list[str]:
    """The baseline's name when it ran apart from the sweep (--baseline FOLDER): it shares none of
    the sweep's own settings, and the names of the others drop those (short_names)."""
    return [result.baseline.scenario] if getattr(result, "baseline_elsewhere", False) else []


def in_order(rows: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """``rows`` (with a scenario column) in the order ``names`` first gives the scenarios in
    (the ranking's; the jobs'), stable within one scenario."""
    at = {s: i for i, s in enumerate(dict.fromkeys(names))}
    return rows.sort_values("scenario", key=lambda s: s.map(at), kind="stable", ignore_index=True)


def _pairing_notes(baseline: Job, jobs: list[Job]) -> list[str]:
    """Pairing assumes common random numbers: say when jobs break that assumption, in one line
    for the jobs that break it alike (a sweep's jobs against a baseline run apart share them)."""
    named: dict[str, list[str]] = {}  # what breaks it -> the scenarios that do
    base_sim, base_reps = baseline.cfg.sim, set(baseline.summary.replication)
    for job in jobs:
        sim, reps = job.cfg.sim, set(job.summary.replication)
        if another_seed(baseline, job):
            named.setdefault(f"{seeds_said(job)}, the baseline "
                             f"{seeds_said(baseline)}: their replications do not share the "
                             "baseline's random numbers, so pairing does not narrow their intervals, "
                             "and part of every difference, from the first day on (the warm-up's "
                             "too), is chance.", []).append(job.scenario)
            if seed_alone(baseline, job):
                named.setdefault("the baseline's settings with another seed alone: every change shown "
                                 "for them (bookings, net gain, ROI, payback) is chance, how far two "
                                 "sets of replications of one configuration fall apart, not the effect "
                                 "of a setting.", []).append(job.scenario)
        if window_of(job) != window_of(baseline):
            named.setdefault(f"{sim.years:g} year(s) with a {sim.warmup_months}-month warm-up, the "
                             f"baseline {base_sim.years:g} with {base_sim.warmup_months}: their yearly "
                             "figures come from different windows, so part of the difference is the "
                             f"window's, not the settings'; {_window_counted(sim, base_sim)}",
                             []).append(job.scenario)
        if reps != base_reps:
            named.setdefault(f"{len(reps)} replication(s), the baseline {len(base_reps)}: paired "
                             f"differences use the {len(reps & base_reps)} they share.",
                             []).append(job.scenario)
    # "; " between names: a scenario's name may hold commas
    return [f"{first_few(scenarios, NAMED_IN_A_NOTE, '; ')}: {said}" for said, scenarios in named.items()]


def _window_counted(sim, base_sim) -> str:
    """What a scenario's payback and NPV count when its window is not the baseline's, and that a
    warm-up of another length changes what is simulated as well as what is measured."""
    horizon = ("the months both simulate" if sim.years == base_sim.years else
               "the months both simulate, to the shorter horizon")
    if sim.warmup_months == base_sim.warmup_months:
        return f"their paybacks and NPVs count {horizon}."
    included = (", months of the baseline's warm-up included"
                if sim.warmup_months < base_sim.warmup_months else "")
    return (f"their paybacks and NPVs count from the end of their own warm-up, over {horizon}"
            f"{included}; and a warm-up of another length is another organization's calendar, not "
            "only another window (its quota periods start when it ends), so even doing nothing "
            "differs.")


def another_seed(baseline: Job, job: Job) -> bool:
    """Whether ``job`` ran on other random numbers than the baseline (no sim.seed they share)."""
    return not set(seeds_of(job)) & set(seeds_of(baseline))


def seed_alone(baseline: Job, job: Job) -> bool:
    """Whether ``job`` is the baseline's configuration run with another seed (and perhaps another
    number of replications): whatever it shows against the baseline is chance."""
    keys = {k for k, _, _ in changed_settings(asdict(baseline.cfg), asdict(job.cfg))
            if k not in NOT_DIFFERENCES and k != "sim.replications"}
    return another_seed(baseline, job) and keys == {"sim.seed"}


def window_of(job: Job) -> tuple[float, int]:
    """What a job's yearly figures measure: its horizon and the warm-up left out of it."""
    return job.cfg.sim.years, job.cfg.sim.warmup_months


WINDOW_KEYS = ("sim.years", "sim.warmup_months")


@dataclass(frozen=True)
class Window:
    """The horizon and warm-up a comparison keeps (--years, --warmup-months); None: any."""
    years: float | None = None
    warmup_months: int | None = None

    @property
    def asked(self) -> bool:
        return self.years is not None or self.warmup_months is not None

    def holds(self, job: Job) -> bool:
        """Whether ``job`` measures this window; a job whose config could not be read is kept, to be
        listed as incomplete rather than dropped unseen."""
        if job.cfg is None:
            return True
        years, warmup = window_of(job)
        return self.years in (None, years) and self.warmup_months in (None, warmup)

    @property
    def options(self) -> str:
        return " ".join(f"--{name} {value:g}" for name, value in
                        (("years", self.years), ("warmup-months", self.warmup_months)) if value is not None)

    @property
    def said(self) -> str:
        parts = [f"{self.years:g} year(s)" if self.years is not None else "",
                 f"a {self.warmup_months}-month warm-up" if self.warmup_months is not None else ""]
        return " with ".join(p for p in parts if p)

    @property
    def folder_name(self) -> str:
        return OUT_NAME + "".join(f"_{value:g}{unit}" for value, unit in
                                  ((self.years, "y"), (self.warmup_months, "m")) if value is not None)


def same_but_window(baseline: Job, job: Job) -> bool:
    """Whether ``job`` runs the baseline's configuration over another window: its settings differ
    from the baseline's in sim.years or sim.warmup_months alone."""
    keys = {k for k, _, _ in changed_settings(asdict(baseline.cfg), asdict(job.cfg))
            if k not in NOT_DIFFERENCES}
    return bool(keys) and keys <= set(WINDOW_KEYS)


def in_window(window: Window, jobs: list[Job], baseline: Job, reason: str,
              named: str | None) -> tuple[list[Job], Job, str, int]:
    """The jobs of ``window``, its baseline and why, and how many jobs were left out. The baseline
    is the one chosen, if it measures the window; else, unless it was ``named`` (--baseline), the
    finished job of the window that runs its configuration."""
    kept = [j for j in jobs if window.holds(j)]
    windows = sorted({window_of(j) for j in jobs if j.cfg is not None})
    if not any(j.cfg is not None for j in kept):
        measured = ", ".join(Window(*w).options for w in windows)
        raise UserError(f"{window.options} keeps no job of this sweep (allowed: a window its jobs "
                        f"measure: {measured})")
    if baseline in kept:
        return kept, baseline, reason, len(jobs) - len(kept)
    if named is not None:
        raise UserError(f"--baseline {named} ({baseline.label}) measures {Window(*window_of(baseline)).said}, "
                        f"outside {window.options} (allowed: a baseline of the window compared, or no "
                        "--baseline: the baseline's configuration at that window)")
    own = next((j for j in kept if not j.problem and same_but_window(baseline, j)), None)
    if own is None:
        raise UserError(f"{window.options}: no finished job of that window runs the baseline's "
                        f"configuration ({baseline.label}) (allowed: a window with such a job, or "
                        "--baseline NAME_OR_JOB of that window)")
    return (kept, own, f"the sweep's baseline, {baseline.label}, run over {window.said}",
            len(jobs) - len(kept))


def window_baseline_note(sweep: Path, baseline: Job, others: list[Job]) -> list[str]:
    """When other windows hold a job of the baseline's configuration: the commands that compare
    each window's jobs with the baseline's configuration over it (the baseline's window too)."""
    own = sorted({window_of(j) for j in others if same_but_window(baseline, j)} - {window_of(baseline)})
    if not own:
        return []
    commands = [f"salessim-compare {shlex.quote(str(sweep))} {Window(*w).options}"
                for w in sorted([window_of(baseline), *own])]
    return ["To compare each window's scenarios with the baseline's configuration over that window, "
            f"paired at one horizon and warm-up: {'; '.join(commands)}."]


def window_only_scenarios(baseline: Job, jobs: list[Job], paid_back: pd.DataFrame) -> list[Job]:
    """The jobs measured over another window than the baseline's whose money is the baseline's in
    every month and replication both measure (no payback curve, yet replications shared): the
    same settings on the same random numbers, another sim.years or sim.warmup_months."""
    shared = set(baseline.summary.replication)
    return [j for j in jobs if window_of(j) != window_of(baseline)
            and not paid_back.at[j.scenario, "window_months"] and shared & set(j.summary.replication)]


def window_only_note(jobs: list[Job]) -> list[str]:
    """Their yearly changes are the window's alone: the baseline's own figures over another window
    (bookings grow over the years), not the effect of a setting, whatever their intervals say."""
    if not jobs:
        return []
    it, its = ("it", "its") if len(jobs) == 1 else ("them", "their")
    return [f"{first_few([j.label for j in jobs], NAMED_IN_A_NOTE, '; ')}: the same as the baseline in "
            "every month both measure (bookings and costs, replication by replication), so the yearly "
            f"changes shown for {it} (bookings, net gain, ROI) are {its} window's (sim.years, "
            "sim.warmup_months), not the effect of a setting, and the payback says 'no change (other "
            "window)'. Compare settings at one horizon and warm-up."]


def _identical_notes(jobs: list[Job]) -> list[str]:
    """Jobs whose configs differ yet whose bookings match in every replication: what differs
    changes nothing in this organization (spans of control that round to the same number of
    FSMs in a small one), which a reader should not take for a measured zero effect."""
    same: dict[tuple, list[Job]] = {}
    for j in jobs:
        bookings = j.summary.set_index("replication")[BOOKINGS].sort_index()
        same.setdefault((tuple(bookings.index), tuple(bookings)), []).append(j)
    notes = []
    for group in (g for g in same.values() if len(g) > 1):
        costs = {tuple(j.summary.sort_values("replication")[COST]) for j in group if COST in j.summary}
        notes.append(f"{', '.join(j.label for j in group)}: identical bookings in every replication: "
                     "the settings that differ between them "
                     + ("change nothing in this organization (e.g. spans of control that round to the "
                        "same number of FSMs)." if len(costs) <= 1
                        else "change no deal, only what they cost (e.g. an investment's fee), which "
                             "their net gains and ROIs show."))
    return notes


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
MAY_NOT_PAY = "?"


def unsettled_note(scenarios: pd.DataFrame, names: Mapping[str, str] | None = None) -> str:
    """A line naming the scenarios whose paired bookings intervals include 0 (the first few of
    them, and how many; ``names``: shorter names to call them by): the ranking orders their means,
    but their difference from the baseline may be none."""
    others = scenarios[~scenarios.baseline.astype(bool)]
    crossing = others[includes_zero(others.diff_ci_low, others.diff_ci_high)]
    if crossing.empty:
        return ""
    named = first_few([(names or {}).get(s, s) for s in crossing.scenario], NAMED_IN_A_NOTE)
    return (f"{len(crossing)} of {len(others)} scenario(s) have a bookings interval that includes 0 "
            f"({named}): they may not differ from the baseline")


MANY_SCENARIOS = 4  # from this many compared with the baseline, chance findings are said to be likely


def many_scenarios_note(scenarios: pd.DataFrame, confidence: float = DEFAULT_CONFIDENCE) -> str:
    """Each interval is at its confidence on its own: among many scenarios, one that changes
    nothing may clear 0 by chance, which a strategist reading the table for a winner should be told."""
    k = int((~scenarios.baseline.astype(bool)).sum())
    if k < MANY_SCENARIOS:
        return ""
    return (f"{k} scenarios, each compared with the baseline at {percent(confidence)} on its own: were "
            f"none of them to make a difference, the chance that at least one interval still clears 0 "
            f"is up to {1.0 - confidence ** k:.0%}; an interval that only just clears 0 is a lead to rerun "
            "with more replications, not yet a finding")


def _net_gain(values: pd.DataFrame) -> pd.Series:
    """Gross margin less every cost, replication by replication (what ROI's net gain is made of)."""
    return values[GROSS_MARGIN] - values[COST]


# How a scenario stands to the baseline by the ranking's figure (standing()), said of one and of two.
STANDINGS = {"above": ("ranks above", "rank above"), "tie": ("ties with", "tie with"),
             "below": ("ranks below", "rank below"),
             None: ("has no paired change with", "have no paired change with")}


def standing(row, result) -> str | None:
    """Whether a row of ``result.scenarios`` ranks 'above' the baseline, ties with it ('tie': a
    change of exactly 0) or ranks 'below' it, by the figure of the ranking; None when no change
    was measured (no replication shared with the baseline), which the ranking puts below it."""
    value = row.get(RANKINGS[_rank_by(result)][0], math.nan)
    return None if math.isnan(value) else "above" if value > 0 else "tie" if value == 0 else "below"


def leaders_note(result, names: Mapping[str, str] | None = None) -> str:
    """The first two scenarios of the ranking (the baseline aside) against each other, replication
    by replication: each is measured against the baseline, and a strategist choosing between the
    two needs their own difference, in bookings and in net gain."""
    values = getattr(result, "values", None)
    order = list(zip(result.scenarios.scenario, result.scenarios.baseline.astype(bool)))
    ranked = [s for s, b in order if not b]
    if values is None or len(ranked) < 2:
        return ""
    # Where the baseline ranks among them: doing nothing may beat them both, or tie with them
    # (a change of 0, which ranks below it).
    base_at = next((i for i, (_, b) in enumerate(order) if b), len(order))
    rows = result.scenarios.set_index("scenario")
    first_side, second_side = ("above" if at < base_at else standing(rows.loc[s], result)
                               for at, s in enumerate(ranked[:2]))
    if second_side == "above":
        below = ""
    elif first_side == "above":
        below = f" The second {STANDINGS[second_side][0]} the baseline."
    elif first_side == second_side:
        below = f" Both {STANDINGS[first_side][1]} the baseline."
    else:
        below = f" The first {STANDINGS[first_side][0]} the baseline, the second {STANDINGS[second_side][0]} it."
    from salessim.report import fmt_ci  # the report's formatting, without its plots
    call = names or {}
    a, b = (call.get(s, s) for s in ranked[:2])
    windows = {j.scenario: window_of(j) for j in getattr(result, "jobs", [])}
    if windows.get(ranked[0]) != windows.get(ranked[1]):
        return (f"The first two of the ranking, the baseline aside, {a} and {b}, measure different "
                "windows (sim.years or sim.warmup_months): a difference between them would be partly "
                "the window's, so they are not set side by side. Compare them at one horizon and warm-up."
                + below)
    first, second = (values[s] for s in ranked[:2])
    # The replications the ranking measured both on: those the baseline has too, so that the two
    # differ here by what their paired changes say (not by replications of seeds it lacks).
    shared = first.index.intersection(second.index)
    base_name = next((s for s, b in order if b), None)
    on = shared if base_name is None else shared.intersection(values[base_name].index)
    if base_name is not None and len(on) == 0:  # no pair the ranking measured: nothing to set side by side
        return ""
    first, second = first.loc[on], second.loc[on]
    level = confidence_of(result)
    measures = {"bookings": ("bookings per year", paired_ci(second[BOOKINGS], first[BOOKINGS], level)[:3]),
                "net gain": ("net gain per year", paired_ci(_net_gain(second), _net_gain(first), level)[:3])}
    if shows_npv(result) and NPV in first:
        measures["NPV"] = (f"NPV of the window {npv_said(result)}", paired_ci(second[NPV], first[NPV], level)[:3])
    # Per measure: +1 the first is ahead, -1 the second is, 0 the interval includes 0 (not settled).
    sides = {name: 1 if lo > 0 else -1 if hi < 0 else 0
             for name, (_, (_, lo, hi)) in measures.items() if not math.isnan(lo)}
    said = {1: f"{a} leads", -1: f"{b} leads", 0: "not settled (the interval includes 0)"}
    every = {2: ("both", "neither (both intervals include 0)"),
             3: ("all three", "none of them (every interval includes 0)")}.get(len(measures))
    if not sides:  # one replication: no interval to judge by
        verdict = "which leads cannot be told without intervals (two replications or more)"
    elif len(set(sides.values())) == 1 and len(sides) == len(measures):
        side = next(iter(sides.values()))
        verdict = (f"{said[side]} on {every[0]}" if side else
                   f"which of the two leads is settled on {every[1]}")
    else:
        verdict = "; ".join(f"on {name}, {said[side]}" for name, side in sides.items())
    shown = ", ".join(f"{label} {fmt_ci(BOOKINGS, *ci)}" for label, ci in measures.values())
    over = (f" over the {len(on)} replication(s) of the {len(shared)} they share that the baseline has "
            f"too, as the ranking is" if len(on) < len(shared) else "")
    return (f"The first two of the ranking, the baseline aside, {a} minus {b}, paired{over} "
            f"[{ci_said(result)}]: {shown}: "
            f"{verdict}." + below)


def contenders_note(result, names: Mapping[str, str] | None = None) -> str:
    """The scenarios that cannot be told apart from the first by net gain per year, each paired
    with it: a ranking orders means, and a strategist choosing an investment needs to know how many
    are still in contention for the top, not only whether the first two differ (leaders_note).
    Only scenarios of the baseline's window take part. '' with fewer than three of them."""
    values = getattr(result, "values", None)
    flags = result.scenarios.baseline.astype(bool)
    base_name = result.scenarios.scenario[flags].iloc[0] if flags.any() else None
    windows = {j.scenario: window_of(j) for j in getattr(result, "jobs", [])}
    # Over the baseline's window only: another window's net gain is partly the window's (the
    # baseline's own settings over a longer horizon could come first).
    in_its_window = result.scenarios.scenario.map(lambda s: windows.get(s) == windows.get(base_name))
    rows = result.scenarios[~flags & in_its_window]
    rows = rows.sort_values("net_gain_usd_per_year", ascending=False, na_position="last")
    if values is None or len(rows) < 3 or rows.net_gain_usd_per_year.isna().iloc[0]:
        return ""
    base = None if base_name is None else values[base_name].index
    first, *others = rows.scenario
    level = confidence_of(result)
    tied, behind = [], []
    for s in others:
        on = values[first].index.intersection(values[s].index)
        on = on if base is None else on.intersection(base)
        if len(on) < 2:
            continue  # no interval to judge by
        _, low, _ = paired_ci(_net_gain(values[s].loc[on]), _net_gain(values[first].loc[on]), level)[:3]
        (behind if low > 0 else tied).append(s)  # settled behind only when the first's lead clears 0
    call = names or {}
    if not tied and not behind:
        return ""
    head = f"By net gain per year, {call.get(first, first)} comes first"
    if not tied:
        return (f"{head}, and its lead over each of the other {len(behind)} is settled, paired "
                f"[{ci_said(result)}, each on its own].")
    return (f"{head}; {len(tied)} other(s) cannot be told apart from it, paired [{ci_said(result)}, each "
            f"on its own; the interval of the difference includes 0]: "
            f"{first_few([call.get(t, t) for t in tied], NAMED_IN_A_NOTE, '; ')}"
            + (f". The other {len(behind)} {'falls' if len(behind) == 1 else 'fall'} settled below it."
               if behind else ".")
            + " More replications, or what else sets them apart (cost, risk, time to pay back), "
              "decide among those.")


def runs_cheaper(scenarios: pd.DataFrame) -> tuple[set[str], str]:
    """Scenarios with an ROI whose other costs (pay, hiring, FSMs, tools) fell below the
    baseline's, and a footnote saying what that ROI means: per dollar of the extra investment
    cost alone, with the saving in the gain. Their total cost then rose by less than the
    investment cost, or fell."""
    saves = (scenarios.incremental_cost_usd_per_year
             < scenarios.incremental_investment_usd_per_year.fillna(0.0) - SAME_MONEY_USD)
    # Over another window than the baseline's, yearly costs differ by the window too: a note says
    # so, and this footnote, a claim about the scenario's running costs, would not hold.
    if "other_window" in scenarios:
        saves &= ~scenarios.other_window.astype(bool)
    cheaper = scenarios[scenarios.roi.notna() & saves]
    if cheaper.empty:
        return set(), ""
    return set(cheaper.scenario), (
        f"{RUNS_CHEAPER}: its other running costs fall below the baseline's (pay, commission, hiring, "
        "FSMs, tools; less commission on lower bookings counts too): what they save counts in its "
        "net gain, and its ROI is per dollar of its extra investment cost alone")


def may_not_pay(scenarios: pd.DataFrame) -> tuple[set[str], str]:
    """Scenarios with an ROI whose net gain's paired interval includes 0, or that has none (one
    replication), and a footnote: an ROI has no interval of its own, and a large one can stand on
    a gain that may be none."""
    others = scenarios[~scenarios.baseline.astype(bool) & scenarios.roi.notna()]
    none = others.net_gain_ci_low.isna() | others.net_gain_ci_high.isna()
    unsure = others[includes_zero(others.net_gain_ci_low, others.net_gain_ci_high) | none]
    if unsure.empty:
        return set(), ""
    alone = "one replication shared with the baseline"
    which = (f"its net gain has no interval ({alone})" if none[unsure.index].all()
             else "its net gain's interval includes 0"
             + (f", or it has none ({alone})" if none.any() else ""))
    return set(unsure.scenario), (
        f"{MAY_NOT_PAY}: {which}: whether it pays at all is not settled, "
        f"whatever its ROI ({len(unsure)} of {len(others)} scenario(s) with an ROI)")


def roi_cell(row, cheaper: set[str], unsure: set[str]) -> str:
    """An ROI as the terminal and the report show it, with its footnote marks."""
    from salessim.report import fmt_value  # the report's formatting, without its plots
    return (fmt_value("roi", row.roi) + (RUNS_CHEAPER if row.scenario in cheaper else "")
            + (MAY_NOT_PAY if row.scenario in unsure else ""))


def monthly_bands(jobs: list[Job], confidence: float = DEFAULT_CONFIDENCE) -> pd.DataFrame:
    """Won value per month by scenario: mean over replications and its band."""
    rows = []
    for j in jobs:
        wide = j.monthly.pivot(index="month", columns="replication", values=BOOKINGS)
        for month, vals in wide.iterrows():
            m, h = mean_ci(vals, confidence)
            rows.append((j.scenario, int(month), m, m - h, m + h))
    return pd.DataFrame(rows, columns=["scenario", "month", "mean", "low", "high"])


# --- output ----------------------------------------------------------------------------------------

SHOWN_UNSTARTED = 10  # in the terminal; incomplete_jobs.csv lists them all
NOT_STARTED = "not started: no job folder (the sweep stopped before it, or is still running)"


def incomplete_table(result: Comparison) -> pd.DataFrame:
    """The jobs left out: incomplete folders, then the jobs that never started (no path)."""
    rows = [(j.name, j.scenario, j.problem, str(j.path)) for j in result.incomplete]
    rows += [(n.label, overrides_label(n.overrides), NOT_STARTED, "") for n in result.unstarted]
    return pd.DataFrame(rows, columns=list(INCOMPLETE_COLUMNS))


def write_outputs(result: Comparison, plots: bool, dest: Path | None = None) -> Path:
    """Write the comparison folder (``dest``, by default SWEEP/comparison) atomically: build it
    beside the old one, then swap."""
    from salessim.report import build_report  # matplotlib is imported only when writing

    dest = dest or result.sweep / OUT_NAME
    tmp = dest.parent / f".{dest.name}.tmp-{os.getpid()}"
    old = dest.parent / f".{dest.name}.old-{os.getpid()}"
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        result.table.to_parquet(tmp / "comparison.parquet", index=False)
        result.table.to_csv(tmp / "comparison.csv", index=False)
        result.payback.to_csv(tmp / "payback.csv", index=False)
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
        raise UserError(f"cannot write {dest}: {e.strerror or e} (allowed: a folder you can "
                        "write to)") from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return dest


# The terminal's optional columns (comparison.csv and the report have them all): turnover, at
# quota, win rate and the NPV (when shown) are left out, in this order, until the table fits in
# dollars; if it still does not, money is shown in millions and they come back with the payback,
# in this order, as long as each fits. The column the scenarios are ranked by is never left out;
# ranked by NPV, the yearly net gain is optional instead, the first given back.
LEFT_OUT_IN_DOLLARS = ("turnover", "at quota", "win rate", "npv")
HEADS = {"turnover": "turnover/yr"}  # a column's head where its key does not say it whole
GIVEN_BACK_IN_MILLIONS = ("npv", "payback", "win rate", "at quota", "turnover")
RANKED_COLUMN = {"bookings": "paired", "net_gain": "net gain", "npv": "npv"}  # by RANKINGS key


def payback_said(result) -> str:
    """What the payback column says, as the terminal's legend gives it."""
    return ("Pays back: the months from the launch (the first month after the warm-up in which a "
            "scenario differs from the baseline) until the paired cumulative net gain, on the gross "
            "margin of deals as they are won, is above 0 to the end of the window, and in brackets "
            f"the range its {level_said(result)} band allows (the months its upper and lower "
            "edges are); '>N': not within the N months measured")


def discount_rate(result) -> float:
    return getattr(result, "discount_rate", 0.0)  # a table built without compare() has none


def confidence_of(result) -> float:
    return getattr(result, "confidence", DEFAULT_CONFIDENCE)  # as discount_rate


def percent(level: float) -> str:
    """'95%', '90%', '99.5%': a confidence level as the tables and the report name it, to every
    digit it was given in (--confidence 0.98765 is 98.765%, not 98.77%)."""
    return f"{100 * level:.10g}%"


def level_said(result) -> str:
    """'95%': the level of ``result``'s intervals, as its notes and captions say it."""
    return percent(confidence_of(result))


def ci_said(result) -> str:
    """'95% CI': the intervals' name in the column heads."""
    return f"{level_said(result)} CI"


def shows_npv(result) -> bool:
    """The net present value is shown where it was asked for: with a discount rate, or as the
    ranking (at 0 it is the window's net gain, which the yearly net gain already says)."""
    return discount_rate(result) > 0 or _rank_by(result) == "npv"


def no_curve_cell(row) -> str:
    """The payback or NPV of a scenario without a payback curve: 'no change' when it never differs
    from the baseline in a month both measure, '(other window)' added when its window is not the
    baseline's (its yearly changes are then the window's alone: window_only_note); 'n/a' when it
    shares no replication with the baseline."""
    if not row.pairs:
        return "n/a (no replication shared)"
    return "no change (other window)" if row.get("other_window", False) else "no change"


def npv_cell(row, interval=None) -> str:
    """The paired net present value of the window with its interval, as the terminal and the
    report show it; no_curve_cell for a scenario without a payback curve."""
    if math.isnan(row.npv_usd):
        return no_curve_cell(row)
    from salessim.report import fmt_ci
    return (interval or (lambda *v: fmt_ci(BOOKINGS, *v)))(row.npv_usd, row.npv_ci_low, row.npv_ci_high)


def discounting_said(result) -> str:
    """' NPV: ...': what the net present value is, and that the payback is discounted too."""
    if not shows_npv(result):
        return ""
    rate = discount_rate(result)
    return (f" NPV: the paired net gain of each month from the launch to the end of the window, "
            f"summed at its present value at the end of the warm-up, discounted at {100 * rate:g}% a year"
            + (" (the payback is too)" if rate > 0 else " (that is, undiscounted)") + ".")


def npv_said(result) -> str:
    """'at 8%/yr': the rate the net present value is taken at."""
    return f"at {100 * discount_rate(result):g}%/yr"


def payback_cell(row) -> str:
    """When a scenario pays back, in months after its launch, with the earliest and latest month
    its band allows, as the terminal and the report say it: '6 [4, 8]'; '>30' past the
    window's last month; no range with one replication."""
    def month(x: float) -> str:
        return f">{row.window_months}" if math.isnan(x) else f"{x:.0f}"

    if not row.window_months:  # no curve: the scenario never differs from the baseline
        return no_curve_cell(row)
    if row.pairs < 2:
        return f"{month(row.payback_months)} (1 replication: no range)"
    if math.isnan(row.payback_months_ci_low):  # not even the band's upper edge stays above 0
        return f"not in {row.window_months}"
    return (f"{month(row.payback_months)} [{month(row.payback_months_ci_low)}, "
            f"{month(row.payback_months_ci_high)}]")


def aligned(lines: Sequence[Sequence[str]]) -> list[str]:
    """Rows of cells as columns as wide as their content: the first left-aligned, numbers right."""
    widths = [max(len(x) for x in col) for col in zip(*lines)]
    return ["  ".join(x.ljust(w) if i == 0 else x.rjust(w) for i, (x, w) in enumerate(zip(line, widths)))
            for line in lines]


def terminal_table(result: Comparison, width: int | None = None) -> str:
    """The headline comparison, ranked like the report; columns as wide as their content.
    ``width``: the columns of the terminal it is printed to; optional figures are left out until
    the table fits, and then money is shown in millions (LEFT_OUT_IN_DOLLARS,
    GIVEN_BACK_IN_MILLIONS; None: all shown, in dollars)."""
    from salessim.report import fmt_ci, fmt_value

    short, shared = short_names(list(result.scenarios.scenario), apart_from_sweep(result))
    marked, footnote = partly_paired(result.scenarios, short)
    cheaper, cheaper_note = runs_cheaper(result.scenarios)
    unsure, unsure_note = may_not_pay(result.scenarios)
    ci = ci_said(result)

    def table(money_in_millions: bool) -> dict[str, list[str]]:
        """Each column by its key: its head, then a cell per scenario."""
        unit = "M USD" if money_in_millions else "USD"
        money = _millions if money_in_millions else lambda x: fmt_value(BOOKINGS, x)
        interval = lambda *v: fmt_ci(BOOKINGS, *v, show=_signed_millions if money_in_millions else None)
        rows = [r for _, r in result.scenarios.iterrows()]
        columns = {
            "scenario": ["scenario", *(short[r.scenario] for r in rows)],
            "bookings": [f"bookings {unit}/yr", *(money(r[BOOKINGS]) for r in rows)],
            "paired": [f"paired diff [{ci}]" if money_in_millions else f"paired diff vs baseline [{ci}]",
                       *("baseline" if r.baseline else interval(r.diff_vs_baseline, r.diff_ci_low,
                                                                r.diff_ci_high)
                         + (PARTLY_PAIRED if r.scenario in marked else "") for r in rows)],
            "net gain": [f"net gain/yr [{ci}]", *("" if r.baseline else interval(
                r.net_gain_usd_per_year, r.net_gain_ci_low, r.net_gain_ci_high) for r in rows)],
        }
        if shows_npv(result):
            # "NPV (8%)": a window's total at a yearly rate; "NPV at 8%/yr" read as a yearly figure
            columns["npv"] = [f"NPV ({100 * discount_rate(result):g}%) [{ci}]",
                              *("" if r.baseline else npv_cell(r, interval) for r in rows)]
        for key, metric in zip(("win rate", "at quota", "turnover"), KEY_METRICS[1:]):
            columns[key] = [HEADS.get(key, key), *(fmt_value(metric, r[metric]) for r in rows)]
        columns["ROI"] = ["ROI", *(roi_cell(r, cheaper, unsure) for r in rows)]
        columns["payback"] = ["payback mo [range]", *("" if r.baseline else payback_cell(r) for r in rows)]
        return columns

    def fits(columns: dict[str, list[str]], shown: list[str]) -> bool:
        return width is None or sum(max(map(len, columns[k])) + 2 for k in shown) - 2 <= width

    ranked = RANKED_COLUMN[_rank_by(result)]
    left_out_in_dollars = [k for k in LEFT_OUT_IN_DOLLARS if k != ranked]
    given_back = [*(["net gain"] if ranked == "npv" else []),
                  *(k for k in GIVEN_BACK_IN_MILLIONS if k != ranked)]
    columns = table(money_in_millions=False)
    shown = list(columns)
    for optional in (k for k in left_out_in_dollars if k in columns):
        if fits(columns, shown):
            break
        shown.remove(optional)
    in_millions = not fits(columns, shown)
    if in_millions:  # the intervals in dollars are what is wide
        columns = table(money_in_millions=True)
        shown = [k for k in columns if k not in given_back]
        for optional in given_back:
            wider = [k for k in columns if k in shown or k == optional]
            if not fits(columns, wider):
                break
            shown = wider
    lines = aligned(list(zip(*(columns[k] for k in shown))))
    left_out = [columns[k][0] for k in columns if k not in shown]
    if left_out or in_millions:
        said = [f"{', '.join(left_out)} left out"] if left_out else []
        what = "; ".join(said + (["money in millions"] if in_millions else []))
        # Long scenario names can keep even the narrowest table wider than the terminal.
        fit = (f"for a terminal {width} columns wide" if fits(columns, shown) else
               f"and still {max(map(len, lines))} columns wide, wider than this terminal's {width}")
        lines.append(f"({what} {fit}: comparison.csv and report.html have them whole)")
    if shared:
        lines.append(f"Every scenario{' of the sweep' if apart_from_sweep(result) else ''} also has "
                     f"{' '.join(shared)} (left out of the names above)")
    others = [f"{k} by {RANKINGS[k][1]}" for k in RANKINGS if k != _rank_by(result)]
    lines.append(f"Ranked by {ranking_said(result)} (--rank-by {' or '.join(others)}). "
                 "Net gain: extra gross margin − extra total cost. ROI: net gain per dollar spent (the "
                 "larger of the extra investment cost and the extra total cost); '-' where nothing "
                 "extra was spent."
                 + (f" {payback_said(result)}; its course month by month is in payback.csv and the report."
                    if "payback" in shown else "") + discounting_said(result))
    lines += [x for x in (cheaper_note, unsure_note, footnote, unsettled_note(result.scenarios, short),
                          many_scenarios_note(result.scenarios, confidence_of(result)),
                          leaders_note(result, short), contenders_note(result, short),
                          few_replications_note(int(result.scenarios.pairs.min()))) if x]
    return "\n".join(lines)


def selected_figures(result: Comparison) -> str:
    """The figures --metrics asked for, bookings aside (the ranking's own): for each, every
    scenario's mean and its paired change from the baseline, with their intervals (a
    validation sweep is read from such a figure, not from bookings). The rows come in the jobs'
    order, the order of the swept values as typed, so that a relationship reads down the column
    (group sizes 1 to 6, not as bookings rank them). The ranking's table shows the win rate, quota
    attainment and turnover as means alone, and drops them first when the terminal is narrow."""
    from salessim.report import fmt_ci, fmt_value, label

    short = short_names(list(result.scenarios.scenario), apart_from_sweep(result))[0]
    blocks = []
    for metric in [m for m in result.metrics if m != BOOKINGS]:
        rows = in_order(result.table[result.table.metric == metric], (j.scenario for j in result.jobs))
        lines = [("scenario", f"mean [{ci_said(result)}]", f"paired diff vs baseline [{ci_said(result)}]")]
        for r in rows.itertuples():
            base = r.scenario == result.baseline.scenario
            lines.append((short[r.scenario], fmt_ci(metric, r.mean, r.ci_low, r.ci_high,
                                                    show=lambda x: fmt_value(metric, x)),
                          "baseline" if base else fmt_ci(metric, r.diff_vs_baseline, r.diff_ci_low,
                                                         r.diff_ci_high)))
        blocks.append(f"{label(metric)} ({metric}):\n" + "\n".join(aligned(lines)))
    return "\n\n".join(blocks)


# --- command ---------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = OneLineArgumentParser(
        prog=PROG, allowed=f"{PROG} SWEEP_DIR [--baseline NAME_OR_JOB] [--metrics a,b,...] "
                           "[--rank-by bookings|net_gain|npv] [--discount-rate RATE] "
                           "[--confidence LEVEL] [--years YEARS] [--warmup-months MONTHS] "
                           "[--no-plots] [--out FOLDER]",
        description="Compare the scenarios of a salessim sweep with a baseline: "
                "paired differences over common random numbers, ROI, and an HTML report in "
                "SWEEP_DIR/comparison/ (or --out FOLDER).")
    p.add_argument("sweep_dir", metavar="SWEEP_DIR", help="a sweep folder, e.g. results/sweeps/<time>")
    # a default, or argparse names it among the required arguments when SWEEP_DIR is missing
    p.add_argument("more_dirs", nargs="*", default=[], help=argparse.SUPPRESS)  # refused below, in words
    p.add_argument("--baseline", metavar="NAME_OR_JOB",
                   help="baseline scenario name (as the table shows it, or whole), or job folder "
                        "(its name or path), or the folder "
                        "of a finished run outside the sweep, e.g. results/runs/<time> (run with the "
                        "same seed and replications, it pairs as a job of the sweep would) "
                        "(default: the job with sim.baseline=true, else the scenario 'baseline', else "
                        "the job that keeps every swept setting at its value before the sweep, else "
                        "the first job)")
    p.add_argument("--metrics", metavar="a,b,...",
                   help="summary columns to compare (default: every numeric column)")
    p.add_argument("--rank-by", choices=tuple(RANKINGS), default="bookings",
                   help="rank the scenarios by the paired change in bookings per year (default), "
                        "by the paired net gain per year (extra gross margin - extra total cost), "
                        "or by the paired net present value of the window (see --discount-rate); "
                        "not by ROI, a ratio without an interval whose denominator is the extra "
                        "investment cost for some scenarios and the extra total cost for others")
    p.add_argument("--discount-rate", metavar="RATE", type=_yearly_rate, default=0.0,
                   help="a yearly rate, e.g. 0.08, at which the payback and the net present value "
                        "discount each month's net gain to the end of the warm-up (default 0: "
                        "undiscounted)")
    p.add_argument("--confidence", metavar="LEVEL", type=_confidence_level, default=DEFAULT_CONFIDENCE,
                   help="the confidence level of every interval, e.g. 0.9 for 90%% intervals "
                        f"(default {DEFAULT_CONFIDENCE:g}; from 0.5 to 0.999)")
    p.add_argument("--years", metavar="YEARS", type=_horizon,
                   help="compare only the jobs of this horizon (sim.years), with the baseline's "
                        "configuration at it, for a sweep of several horizons (default: every job, "
                        "against one baseline); written to SWEEP_DIR/comparison_YEARSy unless --out")
    p.add_argument("--warmup-months", metavar="MONTHS", type=_warm_up,
                   help="compare only the jobs of this warm-up (sim.warmup_months), as --years does")
    p.add_argument("--no-plots", action="store_true", help="write the report without plots (faster)")
    p.add_argument("--out", metavar="FOLDER",
                   help="write the comparison to FOLDER instead of SWEEP_DIR/comparison, e.g. to keep "
                        "comparisons of one sweep against two baselines (a new or empty folder, or an "
                        "earlier comparison's, which it replaces)")
    args = p.parse_args(argv)
    if args.more_dirs:  # two sweeps' jobs do not pair: one sweep, and a baseline from elsewhere
        raise UserError(f"one SWEEP_DIR at a time, not also {args.more_dirs[0]!r} (allowed: one sweep "
                        "folder; to measure its jobs against a job or run of another folder, name that "
                        "with --baseline FOLDER)")
    if args.baseline is not None and not args.baseline.strip():  # as a path, '' is the current folder
        raise UserError("--baseline '' is empty (allowed: a scenario name, a job folder of the sweep, "
                        "or the folder of a finished run)")
    return args


def comparison_folder(out: str | None, sweep: Path, jobs: list[Job], name: str = OUT_NAME) -> Path:
    """Where the comparison goes: SWEEP/``name`` (comparison, or comparison_2y for one window), or
    --out's folder, which must be new, empty or an earlier comparison: a comparison replaces the
    folder it writes."""
    if out is None:
        dest = sweep / name
        if os.path.lexists(dest) and not dest.is_dir():  # the comparison would replace it
            raise UserError(f"{dest} is a file, where salessim-compare writes its folder (allowed: a "
                            f"sweep folder whose {name} is salessim-compare's folder or absent: "
                            "move the file)")
        return dest
    dest = Path(out)
    allowed = ("a new folder, an empty one or an earlier comparison's, outside the job folders "
               "(a comparison replaces the folder it writes)")
    refuse_a_name_too_long(dest, "--out", allowed)
    inside = [j.path for j in jobs if _within(dest, j.path)]
    if _within(sweep, dest) or inside:
        raise UserError(f"--out {out} is not allowed: {allowed}; it "
                        + (f"is in the job folder {inside[0]}" if inside else "is the sweep folder"
                           if _within(dest, sweep) else f"holds the sweep folder {sweep}"))
    if os.path.lexists(dest) and (not dest.is_dir() or any(dest.iterdir()) and not is_comparison(dest)):
        raise UserError(f"--out {out} is not allowed: {allowed}; it is "
                        + ("a file" if not dest.is_dir() else "a folder that holds other files"))
    if dest.name == OUT_NAME and dest.parent.resolve() != sweep.resolve() and _is_a_sweep(dest.parent):
        # An earlier comparison of this sweep may be replaced, another sweep's own may not.
        raise UserError(f"--out {out} is not allowed: {allowed}; it is the comparison folder of the "
                        f"sweep {dest.parent}, whose own comparison would replace this one's, or be replaced")
    return dest


def _is_a_sweep(folder: Path) -> bool:
    try:
        job_folders(folder)
    except UserError:
        return False
    return True


def _within(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or lies inside it."""
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _number_option(fits: Callable[[float], bool], allowed: str) -> Callable[[str], float]:
    """An option's value as a number that ``fits``, or one line saying what is ``allowed``
    (argparse turns the ArgumentTypeError into it)."""
    def parse(text: str) -> float:
        try:
            x = float(text)
        except ValueError:
            x = math.nan
        if not fits(x):
            raise argparse.ArgumentTypeError(f"{text!r} is not allowed: {allowed}")
        return x
    return parse


_yearly_rate = _number_option(lambda x: 0.0 <= x < 1.0,
                              "a yearly rate from 0 to below 1, e.g. 0.08 for 8% a year")
_confidence_level = _number_option(lambda x: 0.5 <= x <= 0.999,
                                   "a confidence level from 0.5 to 0.999, e.g. 0.9 for 90% intervals")
_horizon = _number_option(lambda x: 0.0 < x <= 30.0, "a horizon in years, as sim.years, e.g. 2")
_warm_up = _number_option(lambda x: x >= 0 and float(x).is_integer() and x <= 360,
                          "a whole number of months, as sim.warmup_months, e.g. 6")


def run(argv: Sequence[str] | None = None) -> Comparison:
    """Parse, load, compare and write; raises UserError on bad input before writing anything."""
    args = parse_args(argv)
    sweep = Path(args.sweep_dir)
    jobs, plan = load_sweep(sweep)
    elsewhere = baseline_elsewhere(args.baseline, sweep, jobs)
    if elsewhere is not None:  # first, where a sweep's own baseline usually is
        jobs = [elsewhere, *jobs]
        unique_scenario_names(jobs)
    window = Window(args.years, None if args.warmup_months is None else int(args.warmup_months))
    dest = comparison_folder(args.out, sweep, jobs, window.folder_name)
    baseline, reason = ((elsewhere, f"chosen with --baseline {elsewhere.path}") if elsewhere is not None
                        else _baseline_of(window, jobs, args.baseline, plan))
    left_out = 0
    if window.asked:
        jobs, baseline, reason, left_out = in_window(window, jobs, baseline, reason, args.baseline)
    done = [j for j in jobs if not j.problem]
    available = available_metrics(done)
    metrics = choose_metrics(args.metrics, available)
    # Plots show what was asked for, else the headline figures (PLOT_METRICS).
    plot_metrics = metrics if args.metrics else [m for m in PLOT_METRICS if m in metrics]
    result = compare(sweep, jobs, plan, baseline, reason, metrics, plot_metrics, args.rank_by,
                     args.discount_rate, baseline_elsewhere=elsewhere is not None,
                     confidence=args.confidence)
    running = being_written(sweep)
    if running:
        result.notes.insert(0, "A salessim command is still writing to this sweep: its unfinished jobs "
                               "are left out as incomplete; compare again when it has ended.")
    if len(metrics) < len(available):  # say so: comparison.csv is replaced by the narrower one
        result.notes.append(f"--metrics {args.metrics}: comparison.csv, comparison.parquet and the "
                            f"report's list of figures hold {len(metrics)} of the {len(available)} "
                            "figures (run without --metrics for all); the ranking, net gain and ROI "
                            "read the bookings, margin and cost columns whatever it selects.")
    if args.metrics:
        result.notes += fitted_targets_note(done, metrics)
    if left_out:
        result.notes.insert(0, f"{window.options}: the jobs measuring {window.said}; the sweep's "
                               f"{left_out} other job(s) are left out.")
    dest = write_outputs(result, plots=not args.no_plots, dest=dest)
    missing = f" ({result.not_started} not started: no job folder)" if result.not_started else ""
    print(f"{PROG}: {result.finished_said} in {sweep}{missing}")
    for note in result.notes:
        print(f"  {note}")
    print(f"  Gross margin for ROI: {result.margin_note}.")
    print()
    print(terminal_table(result, _terminal_width()))
    if args.metrics and (figures := selected_figures(result)):
        print(f"\n{figures}")
    # A plain compare of the resumed sweep would take one of its own jobs as the baseline.
    with_baseline = f", then compare again with --baseline {baseline.path}" if result.baseline_elsewhere else ""
    # While the sweep runs, a resume is refused (its folder is held), and its jobs may yet finish.
    resume = f"run the sweep's command again with hydra.sweep.dir={sweep} sim.resume=true"
    if result.incomplete:
        again = ("" if all(j.problem == STRAY for j in result.incomplete) else
                 "; they may still be running: compare again when the command writing to the sweep "
                 "has ended" if running else
                 f"; to run them again, {resume}, which keeps the finished jobs{with_baseline}")
        print(f"\nINCOMPLETE jobs, left out of the comparison ({len(result.incomplete)}{again}):")
        for j in result.incomplete:
            print(f"  job {j.name}" + (f" ({j.scenario})" if j.scenario else "") + f": {j.problem}")
    if result.unstarted:
        print(f"\nNOT STARTED jobs ({len(result.unstarted)}; " + (
            "the command writing to the sweep may yet start them: compare again when it has ended"
            if running else f"to run them, {resume}{with_baseline}") + "):")
        for n in result.unstarted[:SHOWN_UNSTARTED]:
            print(f"  job {n.label} ({overrides_label(n.overrides)})")
        if len(result.unstarted) > SHOWN_UNSTARTED:
            print(f"  ... and {len(result.unstarted) - SHOWN_UNSTARTED} more, in incomplete_jobs.csv")
    left_out = len(result.incomplete) + len(result.unstarted)
    print(f"\nresults in {dest} (report.html, comparison.csv, comparison.parquet, payback.csv; "
          + (f"incomplete_jobs.csv lists the {left_out} left out)" if left_out
             else "incomplete_jobs.csv is empty: every job finished)"))
    return result


def _baseline_of(window: Window, jobs: list[Job], wanted: str | None, plan: Plan) -> tuple[Job, str]:
    """choose_baseline; a baseline named with --years first among the window's jobs, by the names
    its table shows (which leave out what they share), then among all (in_window refuses one
    outside the window, saying so)."""
    if window.asked and wanted is not None:
        with contextlib.suppress(UserError):
            return choose_baseline([j for j in jobs if window.holds(j)], wanted, plan.planned,
                                   plan.unstarted, plan.record)
    return choose_baseline(jobs, wanted, plan.planned, plan.unstarted, plan.record)


def _terminal_width() -> int | None:
    """The columns of the terminal the table is printed to (COLUMNS first, as shells set it);
    None into a file or a pipe, or when the terminal does not say (0 columns)."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size(fallback=(0, 0)).columns or None


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
