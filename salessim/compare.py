"""The comparison of a sweep's scenarios against a baseline: each metric's mean and interval, its
paired and unpaired difference from the baseline, and each scenario's increments, net gain, ROI and
payback (docs/results.md, the comparison).

Every scenario of a sweep replays the same replication seeds (common random numbers), so the
effect of a scenario is estimated replication by replication (paired) against the baseline; the
unpaired (Welch) interval is kept beside it to show how much the pairing buys. The notes on what
sets the jobs apart are comparability.py's; on what the ranking settles, ranking_notes.py's; the
terminal's table is comparison_table.py's, the command compare_command.py's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from salessim.comparability import (NAMED_IN_A_NOTE, SAME_MONEY_USD, another_seed, baseline_drift_note,
                                    beside_note, changed_in_the_warm_up, fits_apart_note, fits_changed_note,
                                    fits_on_another_setup_note, fixed_fees_note, identical_notes,
                                    one_off_in_a_short_window, other_quotas, other_quotas_note, pairing_notes,
                                    same_exits_note, seed_alone, settings_apart_note, versions_apart_note,
                                    window_only_note, window_only_scenarios)
from salessim.job_selection import (CrossedSetting, crossed_settings, setting_baseline_note,
                                    window_baseline_note, window_of)
from salessim.errors import UserError, first_few, names_quoted, nearest_name
from salessim.config import MONEY_MAX_USD, SMALLEST_BUDGET_USD
from salessim.model.calendar import WEEKS_PER_YEAR
from salessim.outputs import BUDGET_SETTING
from salessim.payback import MONTHS_A_YEAR, PAYBACK_FIGURES, payback_curves, payback_months
from salessim.plural import counted, plural
from salessim.report_table import fmt_ci
from salessim.seed_pooling import ON_FINISHED_SEEDS, pool_seeds, seeds_of, seeds_said
from salessim.stats import DEFAULT_CONFIDENCE, mean_ci, two_sided_t
from salessim.summary import RUN_COLUMNS, SHORT_WINDOW_YEARS, cut, is_money_total, mean_ci_within, value_range
from salessim.sweep_folder import (BOOKINGS, COST, GROSS_MARGIN, INVESTMENT, KEY_METRICS, ROI_INPUTS, STRAY,
                                   Job, NotStarted, Plan)


# The report's figures by default: the headline figures, and the contribution, whose paired
# change is the net gain a strategist decides on.
PLOT_METRICS = (BOOKINGS, "contribution_usd", *KEY_METRICS[1:])
# Comparison.table's; its files add scenario_shown after scenario (compare_command.with_names_shown),
# as ranking.csv and payback.csv do.
COMPARISON_COLUMNS = (
    "scenario", "metric", "per_year", "n", "mean", "ci_low", "ci_high", "diff_vs_baseline",
    "diff_ci_low", "diff_ci_high", "diff_ci_unpaired_low", "diff_ci_unpaired_high",
    "incremental_bookings_usd_per_year", "incremental_cost_usd_per_year", "roi", *PAYBACK_FIGURES,
    "discount_rate", "confidence", "budget_usd", "within_budget",
)

# ranking.csv: the ranking a row per scenario, in its order, each figure once, by its column in
# Comparison.scenarios. comparison.csv repeats a scenario's ROI and payback on each of its metric
# rows and has its net gain as the paired change of contribution_usd, which an analyst looking for
# the table's figures did not find.
RANKING_COLUMNS = {
    "scenario": "scenario", "job": "job", "baseline": "baseline",
    "bookings_usd_per_year": "bookings_usd", "bookings_diff_usd_per_year": "diff_vs_baseline",
    "bookings_diff_ci_low": "diff_ci_low", "bookings_diff_ci_high": "diff_ci_high",
    "net_gain_usd_per_year": "net_gain_usd_per_year", "net_gain_ci_low": "net_gain_ci_low",
    "net_gain_ci_high": "net_gain_ci_high", "win_rate": "win_rate",
    "quota_attainment_share": "quota_attainment_share", "seller_turnover_rate": "seller_turnover_rate",
    "incremental_cost_usd_per_year": "incremental_cost_usd_per_year",
    "incremental_investment_usd_per_year": "incremental_investment_usd_per_year",
    "roi": "roi", **{k: k for k in PAYBACK_FIGURES},
    "discount_rate": "discount_rate", "confidence": "confidence", "budget_usd": "budget_usd",
    "within_budget": "within_budget",
}


def ranking_table(result: Comparison) -> pd.DataFrame:
    """ranking.csv: Comparison.scenarios in the ranking's order, a rank each (the baseline's
    where its 0 falls), under the names RANKING_COLUMNS gives them."""
    table = result.scenarios[list(RANKING_COLUMNS.values())].set_axis(list(RANKING_COLUMNS), axis=1)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


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
    return [c for c in numeric if c not in RUN_COLUMNS and c not in other]


def choose_metrics(requested: str | None, available: list[str]) -> list[str]:
    if requested is None:
        return available
    names = [m.strip() for m in requested.split(",") if m.strip()]
    if not names:
        raise UserError(f"--metrics is empty (allowed: a comma-separated list of {_metrics_said(available)})")
    unknown = [m for m in names if m not in available]
    words = unknown[0].replace(";", " ").split() if unknown else []
    if len(words) > 1 and all(w in available for w in words):  # 'win_rate median_cycle_days', quoted
        listed = [w for name in names for w in (words if name == unknown[0] else [name])]
        raise UserError(f"--metrics: {unknown[0]!r} is {len(words)} figures (allowed: a comma-separated "
                        f"list, e.g. --metrics {','.join(listed)})")
    if unknown:
        run_figure = unknown[0] in RUN_COLUMNS and unknown[0] != "scenario"  # the scenario's name is text
        why = "is a run-control column" if run_figure else "is not a numeric summary column"
        near = nearest_name(unknown[0], available) if unknown[0] not in RUN_COLUMNS else None
        raise UserError(f"--metrics: {unknown[0]!r} {why} of these jobs ("
                        + (f"did you mean {near}? " if near else "") + f"allowed: {_metrics_said(available)})")
    return list(dict.fromkeys(names))


METRICS_NAMED = 12  # a refusal's list of figures: all 55 made a line of about 1,300 characters


def _metrics_said(available: list[str]) -> str:
    """The figures --metrics takes, as a refusal names them: the first few, in the summary's order
    (bookings, outcomes, attainment, turnover first), and where the rest are listed."""
    more = len(available) - METRICS_NAMED
    return names_quoted(available[:METRICS_NAMED]) + (
        f" and {counted(more, 'more numeric column')} of the jobs' summary.parquet (docs/results.md lists them)"
        if more > 0 else "")


# --- statistics ------------------------------------------------------------------------------------

# In the order a gain is made: more hours selling, more leads from them, more of the deals won.
DRIVERS = ("selling_time_share", "leads", "win_rate", "no_decision_rate", "quota_attainment_share",
           "seller_turnover_rate")


def driver_rows(result) -> pd.DataFrame:
    """The rows of DRIVERS, as compare() measured them whatever --metrics selects; the table's for a
    result built otherwise."""
    drivers = getattr(result, "drivers", None)
    return drivers if drivers is not None else result.table[result.table.metric.isin(DRIVERS)]


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


def paired_change(result, scenario: str, metric: str) -> tuple[float, float, float]:
    """A scenario's paired change from the baseline in ``metric`` (a yearly figure as the summary
    holds it), with its interval at the comparison's level, from the replications both have;
    NaNs where either lacks the figure."""
    values, base = getattr(result, "values", {}), getattr(result, "baseline", None)
    if base is None or scenario not in values or base.scenario not in values:
        return (math.nan,) * 3
    mine, theirs = values[scenario], values[base.scenario]
    if metric not in mine or metric not in theirs:
        return (math.nan,) * 3
    return paired_ci(theirs[metric], mine[metric], confidence_of(result))[:3]


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


# How the scenarios can be ranked: --rank-by's choices, the column of Comparison.scenarios each
# sorts by (largest first), and how the terminal and the report say it.
NPV = "npv_usd"  # each scenario's net present value over the baseline, by replication, in values
RANKINGS = {"bookings": ("diff_vs_baseline", "the paired change in bookings per year"),
            "net_gain": ("net_gain_usd_per_year", "the paired net gain per year"),
            "npv": ("npv_usd", "the paired net present value of the window")}
# By net gain: what a scenario returns after every cost is what an investment is chosen on. Ranked
# by bookings, a scenario that adds bookings at a larger cost would come before one that returns more.
DEFAULT_RANKING = "net_gain"


@dataclass
class Comparison:
    """Everything the terminal table, the files and the report are made from."""
    sweep: Path
    jobs: list[Job]  # finished jobs, sweep order
    incomplete: list[Job]
    plan: Plan  # the jobs the sweep launches: an interrupted sweep has fewer job folders
    baseline: Job  # why it is: the notes' first
    metrics: list[str]
    plot_metrics: list[str]
    table: pd.DataFrame  # comparison.parquet
    # One row per scenario, ranked by the paired net gain (by default), bookings difference or NPV:
    # the key metrics' means, contrast() of bookings, and the scenario-wide increments, net gain
    # (with its paired CI) and ROI.
    scenarios: pd.DataFrame
    values: dict[str, pd.DataFrame]  # scenario -> per_replication()
    payback: pd.DataFrame  # payback.csv: payback_curves()
    notes: list[str]
    margin_note: str
    rank_by: str = DEFAULT_RANKING  # a key of RANKINGS
    discount_rate: float = 0.0  # yearly, for the payback and the net present value
    confidence: float = DEFAULT_CONFIDENCE  # of every interval (--confidence)
    baseline_elsewhere: bool = False  # a finished run outside the sweep (--baseline FOLDER)
    budget: float | None = None  # the most a first year's extra investment may cost (--budget)
    budget_from: str = "--budget"  # where the budget was set: the option, or the sweep's setting
    running: bool = False  # a salessim command still writes to the sweep: its unfinished jobs may finish
    # the scenarios whose quotas differ, with the segments whose do (comparability.other_quotas)
    other_quotas: Mapping[str, frozenset[str | None]] | None = None
    # DRIVERS' rows, as the table's, whatever --metrics selects (None: read them from the table)
    drivers: pd.DataFrame | None = None
    # the baseline is the sweep's first job only because no job runs the swept settings at their
    # usual values (baseline.is_first_job): one of the settings compared, not doing nothing. How the
    # answer names it: "the sweep's first job", or its configuration in a selection (--years, --at)
    baseline_said_as: str = ""
    # a comparison of some of the sweep's jobs: how its folder names them ('_1.5y',
    # '_market.forms.complex_adaptive_weight_0.6'; job_selection.Selection.named_as), '' for all
    kept_as: str = ""
    crossed: list[CrossedSetting] = field(default_factory=list)  # job_selection.crossed_settings

    @property
    def question(self) -> str | None:
        """The sweep's question: its baseline's, or its first job's when the baseline ran apart."""
        own = [j for j in self.jobs if not j.elsewhere] if self.baseline_elsewhere else [self.baseline]
        return own[0].cfg.experiment_question if own else None

    @property
    def finished_said(self) -> str:
        """'7 finished jobs of 8', and where the baseline and runs set beside the jobs (--with)
        came from when not from the sweep."""
        beside = len(self.beside)
        return f"{counted(self.own_jobs, 'finished job')} of {self.total_jobs}" + (
            f", and the baseline from {self.baseline.path}" if self.baseline_elsewhere else "") + (
            f", and {counted(beside, 'run')} from elsewhere (--with)" if beside else "")

    @property
    def own_jobs(self) -> int:
        """The sweep's finished job folders, a scenario pooled by seed counting as many as it has
        seeds, and runs from elsewhere (the baseline, --with) not counted."""
        return sum(len(seeds_of(j)) for j in self.jobs if not j.elsewhere)

    @property
    def beside(self) -> list[Job]:
        """The runs from outside the sweep compared as scenarios beside its jobs (--with)."""
        return [j for j in self.jobs if j.elsewhere and j is not self.baseline]

    @property
    def total_jobs(self) -> int:
        return self.plan.total

    @property
    def not_started(self) -> int:
        return self.plan.not_started

    @property
    def unstarted(self) -> list[NotStarted]:
        return self.plan.unstarted


def rank_by_of(result) -> str:
    return getattr(result, "rank_by", DEFAULT_RANKING)


def ranking_said(result) -> str:
    """How the scenarios of ``result`` are ranked, as the terminal and the report say it."""
    return RANKINGS[rank_by_of(result)][1]


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
            plot_metrics: list[str], rank_by: str = DEFAULT_RANKING, discount_rate: float = 0.0,
            baseline_elsewhere: bool = False, confidence: float = DEFAULT_CONFIDENCE,
            budget: float | None = None, baseline_said_as: str = "") -> Comparison:
    jobs, pooled_baseline, pooled = pool_seeds(jobs, baseline)
    if pooled_baseline.pooled and ON_FINISHED_SEEDS not in reason:  # it names one job: say the rest
        reason += ", with its configuration's jobs on the other seeds"
    baseline = pooled_baseline
    done = [j for j in jobs if not j.problem]
    rates, margin_note = gross_margin_source(done)
    # The drivers of a gain are measured whatever --metrics selects: the report explains each gain by them.
    values = {j.scenario: per_replication(j, [*metrics, *DRIVERS], rates[j.scenario]) for j in done}
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
        notes += settings_apart_note(baseline, [j for j in done if not j.elsewhere])
    notes += beside_note([j for j in done if j.elsewhere and j is not baseline])
    notes += fits_apart_note(done)
    notes += fits_changed_note(done)
    notes += fits_on_another_setup_note(done)
    notes += versions_apart_note(done)
    others = [j for j in done if j is not baseline]
    notes += pairing_notes(baseline, others)
    other_window = {j.scenario for j in others if window_of(j) != window_of(baseline)}
    window_only = window_only_scenarios(baseline, others, paid_back)
    notes += window_only_note(window_only)
    notes += fixed_fees_note(done, baseline)
    notes += window_baseline_note(sweep, baseline, others)
    # not against a baseline run apart: the commands would measure against the sweep's own
    crossed = [] if baseline_elsewhere else crossed_settings(sweep, baseline, others)
    notes += setting_baseline_note(crossed)
    rows, scen, behind, by_chance = [], [], [], []
    for j in done:
        v, is_base = values[j.scenario], j is baseline
        window = float(j.summary.window_years.mean())
        if window < SHORT_WINDOW_YEARS:  # yearly rates from a few weeks are mostly noise
            notes.append(f"{j.label} measures only {counted(round(window * WEEKS_PER_YEAR), 'week')} after its "
                         f"{j.cfg.sim.warmup_months}-month warm-up (sim.years={j.cfg.sim.years:g}): "
                         "its yearly figures are extrapolated from them.")
        # Increments are paired means, i.e. differences of means over the shared replications.
        cols = [c for c in ROI_INPUTS if c in v and c in base]
        inc = {col: 0.0 if is_base else paired_ci(base[col], v[col])[0] for col in cols}
        investment = inc.get(INVESTMENT, math.nan)
        # Without an investment cost, an ROI divides by the extra total cost: where that is not
        # settled above 0 (commission moving by chance), its ratio is noise (a walk saw 836% on
        # +12,440 a year), and none is shown.
        # the baseline's settings over another window or on another seed alone return nothing of
        # their own: their gain and cost are the window's or chance's
        no_return = is_base or j in window_only or seed_alone(baseline, j)
        cost = ((math.nan,) * 3 if is_base or COST not in cols
                else paired_ci(base[COST], v[COST], confidence)[:3])
        spent_by_chance = (not no_return and not abs(investment) >= SAME_MONEY_USD and cost[0] > 0
                           and not cost[1] > 0)  # NaN with one replication: nothing is settled
        if spent_by_chance:
            by_chance.append(f"{j.label} {fmt_ci(BOOKINGS, *cost)}")
        # The net gain's own paired interval: ROI, a ratio of two means, has none.
        gain = ((0.0, math.nan, math.nan) if is_base
                else paired_ci(net_gain(base), net_gain(v), confidence)[:3])
        whole = {"incremental_bookings_usd_per_year": inc[BOOKINGS],
                 "incremental_cost_usd_per_year": inc[COST],
                 "roi": (math.nan if no_return or spent_by_chance
                         else roi(inc[GROSS_MARGIN], inc[COST], investment)),
                 **{k: math.nan if is_base else paid_back.at[j.scenario, k] for k in PAYBACK_FIGURES},
                 "discount_rate": discount_rate, "confidence": confidence}
        spend = first_year_spend({**whole, "incremental_investment_usd_per_year": investment})
        over = over_budget(spend, budget)
        whole.update(budget_usd=math.nan if budget is None else budget, within_budget=is_base or not over)
        for metric in dict.fromkeys([*metrics, *DRIVERS]):
            row = {"scenario": j.scenario, "metric": metric, "per_year": is_money_total(metric),
                   **contrast(metric, base[metric], v[metric], is_base, confidence), **whole}
            if metric in metrics:
                rows.append(row)
            if metric in DRIVERS:
                behind.append(row)
        scen.append({"scenario": j.scenario, "job": j.name, "baseline": is_base,
                     **{k: mean_ci(v[k])[0] for k in (*KEY_METRICS, COST)},
                     **contrast(BOOKINGS, base[BOOKINGS], v[BOOKINGS], is_base, confidence),
                     "incremental_margin_usd_per_year": inc[GROSS_MARGIN],
                     "incremental_investment_usd_per_year": investment,
                     **dict(zip(("net_gain_usd_per_year", "net_gain_ci_low", "net_gain_ci_high"), gain)),
                     "window_months": int(paid_back.at[j.scenario, "window_months"]),
                     "other_window": j.scenario in other_window,
                     "other_seed": not is_base and another_seed(baseline, j), **whole})
    table = pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))
    drivers = pd.DataFrame(behind, columns=list(COMPARISON_COLUMNS))
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
    notes.extend(identical_notes(done))
    notes.extend(same_exits_note(done, baseline))
    notes += other_quotas_note(baseline, others)
    quotas = other_quotas(baseline, others)
    # An ROI is read as an investment's return; a what-if of settings alone has none to return,
    # nor has a change of an investment's settings that leaves its cost where it was.
    # One whose window alone differs changes no cost: window_only_note says what its ROI is.
    # One that differs in its seed alone has chance to return: pairing_notes says so.
    no_investment = [j.label for j, r in zip(done, scen) if not r["baseline"] and np.isfinite(r["roi"])
                     and abs(r["incremental_investment_usd_per_year"]) < SAME_MONEY_USD
                     and j not in window_only and not seed_alone(baseline, j)]
    if no_investment:
        notes.append(f"{', '.join(no_investment)}: no investment cost differs from the baseline's, "
                     "so the ROI is per dollar of the other costs its settings changed (pay, "
                     "commission, headcount, hiring), not the return of an investment.")
    if by_chance:
        notes.append(f"No ROI where no investment cost differs from the baseline's and the extra total cost "
                     f"is not settled above 0 (or has no interval, with one replication), paired, per year "
                     f"[{percent(confidence)} CI]: "
                     f"{first_few(by_chance, NAMED_IN_A_NOTE, '; ')}: a ratio to a cost that may be "
                     "chance's says nothing; read the net gain.")
    notes += one_off_in_a_short_window(baseline, others)
    notes += changed_in_the_warm_up(baseline, others, margin_rates)
    if baseline.cfg.investment and len(done) > 1:
        notes.append(f"The baseline invests too ({', '.join(sorted(baseline.cfg.investment))}): the "
                     "investment cost in an ROI is the cost beyond the baseline's (an ROI divides "
                     "by the larger of that and the extra total cost, as for every scenario), so it "
                     "is the return of switching from the baseline, not of the scenario's "
                     "investments on their own.")
    return Comparison(sweep=sweep, jobs=done, incomplete=[j for j in jobs if j.problem], plan=plan,
                      baseline=baseline, metrics=metrics,
                      plot_metrics=plot_metrics, table=table, scenarios=scenarios, values=values,
                      payback=curves, notes=notes, margin_note=margin_note, rank_by=rank_by,
                      discount_rate=discount_rate, confidence=confidence,
                      baseline_elsewhere=baseline_elsewhere, budget=budget, other_quotas=quotas,
                      baseline_said_as=baseline_said_as, crossed=crossed,
                      drivers=drivers)


def first_year_spend(row: Mapping[str, float]) -> float:
    """The extra investment a scenario's first 12 months from its launch cost (the fees a first
    year's budget must hold, a one-off whole), which --budget bounds: ``row``'s
    first_year_investment_usd, else (a single month measured) the window's yearly figure; 0 where
    neither is (no investment differs)."""
    first = row["first_year_investment_usd"]
    spend = row.get("incremental_investment_usd_per_year", math.nan) if math.isnan(first) else first
    return 0.0 if math.isnan(spend) else spend


def over_budget(spend: float, budget: float | None) -> bool:
    """Whether ``spend`` exceeds --budget (by more than a sum's last digits); never without one."""
    return budget is not None and spend > budget + SAME_MONEY_USD


def first_year_estimated(row) -> str:
    """', estimated from its 10 months' where a scenario's first year of investment is estimated
    from fewer months measured (payback.first_year_investment), else ''."""
    months = row.get("window_months", 0)
    estimated = not math.isnan(row.get("first_year_investment_usd", math.nan)) and months < MONTHS_A_YEAR
    return f", estimated from its {counted(int(months), 'month')}" if estimated else ""


def budget_of(result) -> float | None:
    return getattr(result, "budget", None)  # as discount_rate


def budget_from(result) -> str:
    """Where the budget came from, as the notes name it: '--budget', or the sweep's setting."""
    return getattr(result, "budget_from", "--budget")


def sweep_budget(jobs: list[Job], record: object = None) -> float | None:
    """The budget the sweep was run under (experiment_budget_usd), which a comparison given no
    --budget holds its jobs to; None when none was set. The sweep's last command's, as its record
    (multirun.yaml, ``record``) holds it: a resume that sets one skips the finished jobs, whose
    manifests keep what they ran under. Else the finished jobs': those run before it was set have
    none and do not count against it, and two budgets are refused, naming them."""
    recorded = record.get(BUDGET_SETTING) if isinstance(record, dict) else None
    number = isinstance(recorded, (int, float)) and not isinstance(recorded, bool)
    if number and SMALLEST_BUDGET_USD <= recorded <= MONEY_MAX_USD:
        return float(recorded)  # within the schema's bounds: a record edited by hand is not taken
    budgets = sorted({b for j in jobs if j.cfg is not None and not j.problem
                      and (b := j.cfg.experiment_budget_usd) is not None})
    if len(budgets) > 1:
        raise UserError(f"{BUDGET_SETTING}={', '.join(f'{b:g}' for b in budgets)} is not allowed: one budget "
                        "for the sweep's jobs, which were run under several (allowed: one, or the "
                        "comparison's own, --budget USD)")
    return budgets[0] if budgets else None


OVER_BUDGET = " (over budget)"  # after the name of a scenario over --budget, in the ranking's tables


def unfinished_jobs(result) -> tuple[int, int]:
    """The sweep's jobs that have not finished (folders left incomplete, strays aside, and jobs not
    started), and how many jobs the sweep launches: (0, N) for a finished sweep. Under a selection
    (--at, --years), the incomplete folders it holds alone: a job not started cannot be told to be
    in it or not."""
    plan = getattr(result, "plan", None)
    if plan is None:
        return 0, 0
    selected = bool(getattr(result, "kept_as", ""))
    return (sum(j.problem != STRAY for j in result.incomplete) + (0 if selected else plan.not_started),
            plan.total)


def unfinished_said(left: int, total: int) -> str:
    """'16 of the sweep's 18 jobs have not finished' (unfinished_jobs' counts)."""
    return f"{left} of the sweep's {total} jobs {plural(left, 'has', 'have')} not finished"


def within_budget(scenarios: pd.DataFrame) -> pd.Series:
    """Whether each scenario's first year of extra investment fits --budget (every one without)."""
    return (scenarios.within_budget.astype(bool) if "within_budget" in scenarios
            else pd.Series(True, index=scenarios.index))


def in_order(rows: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """``rows`` (with a scenario column) in the order ``names`` first gives the scenarios in
    (the ranking's; the jobs'), stable within one scenario."""
    at = {s: i for i, s in enumerate(dict.fromkeys(names))}
    return rows.sort_values("scenario", key=lambda s: s.map(at), kind="stable", ignore_index=True)


def net_gain(values: pd.DataFrame) -> pd.Series:
    """Gross margin less every cost, replication by replication (what ROI's net gain is made of)."""
    return values[GROSS_MARGIN] - values[COST]


def monthly_bands(jobs: list[Job], confidence: float = DEFAULT_CONFIDENCE) -> pd.DataFrame:
    """Won value per month by scenario: mean over replications and its band."""
    rows = []
    for j in jobs:
        wide = j.monthly.pivot(index="month", columns="replication", values=BOOKINGS)
        for month, vals in wide.iterrows():
            m, h = mean_ci(vals, confidence)
            rows.append((j.scenario, int(month), m, m - h, m + h))
    return pd.DataFrame(rows, columns=["scenario", "month", "mean", "low", "high"])


# --- how a comparison's settings are said (the terminal, the files and the report) ---------------

def payback_said(result) -> str:
    """What the payback column says, as the terminal's legend gives it."""
    return ("Pays back: the months from the launch (the first month after the warm-up in which a "
            "scenario differs from the baseline) until the paired cumulative net gain, on the gross "
            "margin of deals as they are won, is above 0 to the end of the window, and in brackets "
            f"the range its {level_said(result)} band allows: [the month its upper edge pays back in, "
            "the month its lower edge does], the average at or between them; '>N': not within the N "
            "months measured")


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
    return discount_rate(result) > 0 or rank_by_of(result) == "npv"


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


if __name__ == "__main__":  # the command lives in compare_command.py: python -m salessim.compare still runs it
    from salessim.compare_command import main
    main()
