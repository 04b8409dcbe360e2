"""The figures a strategist reads off a comparison, checked against numbers worked out here by
textbook formulas (docs/results.md, the comparison): Student's quantiles from the closed forms
of Abramowitz and Stegun 26.7.3-4, the paired and unpaired intervals, the increments, ROI and
net gain of a scenario, its ranking, its payback cells and first-year budget, and the pairing
of seeds. Small synthetic tables only: no simulation runs, a few seconds in all."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from salessim.compare import compare, contrast, paired_ci, welch_ci
from salessim.comparison_table import payback_cell
from salessim.config import Config
from salessim.payback import PAYBACK_COLUMNS, payback_curves, payback_months
from salessim.seed_pooling import pool_seeds
from salessim.stats import mean_ci, t_quantile
from salessim.sweep_folder import Job, Plan
from tests.test_compare import _scenario
from tests.test_seed_pooling import _job


# --- Student's t, independently of salessim.stats ------------------------------------------------

def t_coverage(t: float, nu: int) -> float:
    """P(|T| < t) for Student's t with a whole number ``nu`` of degrees of freedom, by the finite
    sums of Abramowitz and Stegun 26.7.3 (odd nu) and 26.7.4 (even nu)."""
    theta = math.atan(t / math.sqrt(nu))
    s, c = math.sin(theta), math.cos(theta)
    term, total = 1.0, 1.0
    if nu % 2 == 0:
        for k in range(1, nu // 2):
            term *= (2 * k - 1) / (2 * k) * c * c
            total += term
        return s * total
    if nu == 1:
        return 2.0 * theta / math.pi
    for k in range(1, (nu - 1) // 2):
        term *= (2 * k) / (2 * k + 1) * c * c
        total += term
    return 2.0 / math.pi * (theta + s * c * total)


def t_two_sided(confidence: float, nu: int) -> float:
    """The two-sided quantile at ``confidence``, by bisection of t_coverage."""
    low, high = 0.0, 1e4
    for _ in range(200):
        mid = 0.5 * (low + high)
        low, high = (mid, high) if t_coverage(mid, nu) < confidence else (low, mid)
    return 0.5 * (low + high)


def half_width(values, confidence: float = 0.95) -> float:
    v = np.asarray(values, dtype=float)
    return t_two_sided(confidence, len(v) - 1) * v.std(ddof=1) / math.sqrt(len(v))


def test_the_closed_forms_here_give_the_published_quantiles():
    assert t_two_sided(0.95, 2) == pytest.approx(0.95 * math.sqrt(2 / (1 - 0.95 ** 2)), rel=1e-13)
    for (confidence, nu), t in {(0.95, 3): 3.1824, (0.90, 3): 2.3534, (0.95, 6): 2.4469,
                                (0.95, 30): 2.0423, (0.99, 60): 2.6603}.items():
        assert t_two_sided(confidence, nu) == pytest.approx(t, abs=5e-5)


@pytest.mark.parametrize("nu", [30, 45, 60, 120, 999])
@pytest.mark.parametrize("p", [0.95, 0.975, 0.995])
def test_t_quantiles_below_1000_degrees_of_freedom_are_exact_to_12_digits(p, nu):
    """docs/results.md: every t interval uses Student's exact quantile, to 12 significant
    digits; the Cornish-Fisher expansion is that close from 1000 degrees of freedom only (at 30
    it is off in the 8th digit)."""
    assert t_coverage(t_quantile(p, nu), nu) == pytest.approx(2 * p - 1, abs=1e-12)


# --- means and intervals ---------------------------------------------------------------------------

def test_a_mean_and_its_interval_leave_out_missing_replications():
    """A replication without a value (a rate with nothing to count) is left out of the mean and
    its interval, not turned into a NaN mean; `n` counts the replications with a value."""
    m, h = mean_ci([2.0, math.nan, 4.0, 9.0])
    assert m == pytest.approx(5.0)
    assert h == pytest.approx(half_width([2.0, 4.0, 9.0]), rel=1e-10)
    base = pd.Series([0.30, 0.32, math.nan, 0.28])
    other = pd.Series([0.35, math.nan, 0.40, 0.33])
    row = contrast("win_rate", base, other, is_base=False)
    assert row["n"] == 3 and row["mean"] == pytest.approx(0.36)
    h = half_width([0.35, 0.40, 0.33])
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((0.36 - h, 0.36 + h), rel=1e-10)
    assert row["pairs"] == 2 and row["diff_vs_baseline"] == pytest.approx(0.05)


def test_the_unpaired_interval_is_of_the_scenario_less_the_baseline():
    """Welch's interval is centred on mean(scenario) - mean(baseline), as the paired one is: a
    scenario that books more has an unpaired interval above 0. Equal spreads and sizes make
    Welch's degrees of freedom 2(n - 1) = 6."""
    base = pd.Series([100.0, 110.0, 90.0, 120.0])
    other = pd.Series([150.0, 170.0, 160.0, 140.0])  # the same variance as base
    row = contrast("bookings_usd", base, other, is_base=False)
    diff = other.mean() - base.mean()
    h = t_two_sided(0.95, 6) * math.sqrt(base.var() / 4 + other.var() / 4)
    assert (row["diff_ci_unpaired_low"], row["diff_ci_unpaired_high"]) == pytest.approx(
        (diff - h, diff + h), rel=1e-10)
    assert row["diff_ci_unpaired_low"] > 0
    # No spread on either side: the interval is the difference itself, not missing.
    assert welch_ci(pd.Series([5.0, 5.0, 5.0]), pd.Series([8.0, 8.0])) == (3.0, 3.0)


# --- a whole comparison, of synthetic jobs --------------------------------------------------------

WINDOW_YEARS = 0.8  # of the summaries below: their money is divided by it
MONTHS, WARMUP = 12, 2


def _sweep_job(name: str, span: float, reps: dict[int, tuple[float, float, float]]) -> Job:
    """A finished job: per replication, (bookings, other cost, investment cost) of every month
    after the warm-up; the warm-up alike in every job. Its summary holds the window's totals."""
    cfg = Config()
    cfg.sim.years, cfg.sim.warmup_months, cfg.sim.replications = 1.0, WARMUP, len(reps)
    cfg.fsm.span_of_control = span
    rows, summary = [], []
    for r, (bookings, cost, investment) in reps.items():
        for m in range(MONTHS):
            rows.append((r, m, 10.0, 5.0, 0.0) if m < WARMUP
                        else (r, m, bookings, cost + investment, investment))
        n = MONTHS - WARMUP
        margin = n * bookings * cfg.market.gross_margin
        summary.append({"replication": r, "seed": 1, "window_years": WINDOW_YEARS,
                        "bookings_usd": n * bookings, "win_rate": 0.3, "quota_attainment_share": 0.5,
                        "seller_turnover_rate": 0.2, "investment_cost_usd": n * investment,
                        "total_cost_usd": n * (cost + investment), "gross_margin_usd": margin,
                        "contribution_usd": margin - n * (cost + investment)})
    monthly = pd.DataFrame(rows, columns=["replication", "month", "bookings_usd", "cost_total_usd",
                                          "cost_investment_usd"])
    return Job(name, Path(name), scenario=name, manifest={"scenario": name, "git_commit": "abc"}, cfg=cfg,
               summary=pd.DataFrame(summary), monthly=monthly, overrides=[f"fsm.span_of_control={span}"])


BASE_BOOKINGS, BASE_COST = [100.0, 120.0, 90.0, 110.0], [50.0, 55.0, 52.0, 48.0]
LIFT = [12.0, 15.0, 9.0, 14.0]  # crm's extra bookings a month, replication by replication


def _jobs() -> list[Job]:
    base = _sweep_job("base", 8.5, {r: (b, c, 0.0) for r, (b, c) in enumerate(zip(BASE_BOOKINGS, BASE_COST))})
    # crm: more bookings, 3 a month of investment cost and 1 of other cost; and a replication
    # (4) the baseline lacks, far above the others: it counts in crm's mean, not in its changes.
    crm = _sweep_job("crm", 8.0, {**{r: (b + lift, c + 1.0, 3.0) for r, (b, c, lift)
                                     in enumerate(zip(BASE_BOOKINGS, BASE_COST, LIFT))},
                                  4: (400.0, 60.0, 3.0)})
    # worse: the baseline's bookings at a higher cost: it loses money
    worse = _sweep_job("worse", 7.0, {r: (b, c + 2.0 + r % 2, 0.0)
                                      for r, (b, c) in enumerate(zip(BASE_BOOKINGS, BASE_COST))})
    return [base, crm, worse]


def _compare(rank_by: str = "bookings", confidence: float = 0.95):
    jobs = _jobs()
    return compare(Path("sweep"), jobs, Plan(3, 0, []), jobs[0], "the test's",
                   ["bookings_usd", "contribution_usd"], ["bookings_usd"], rank_by=rank_by,
                   confidence=confidence)


def test_increments_roi_and_net_gain_are_paired_over_the_shared_replications():
    """docs/results.md: the incremental bookings and cost are paired differences per year (the
    cost with the investment in it), the ROI is (extra margin - extra cost) / the larger of the
    extra investment and the extra cost, and the net gain has its own paired interval at the
    comparison's level. Replication 4, which the baseline lacks, counts in none of them."""
    result = _compare(confidence=0.90)
    crm = result.scenarios.set_index("scenario").loc["crm"]
    n, gm = MONTHS - WARMUP, Config().market.gross_margin
    extra_bookings = n * np.array(LIFT) / WINDOW_YEARS
    extra_cost, extra_investment = n * 4.0 / WINDOW_YEARS, n * 3.0 / WINDOW_YEARS
    assert crm.incremental_bookings_usd_per_year == pytest.approx(extra_bookings.mean(), rel=1e-12)
    assert crm.incremental_cost_usd_per_year == pytest.approx(extra_cost, rel=1e-12)
    assert crm.incremental_investment_usd_per_year == pytest.approx(extra_investment, rel=1e-12)
    assert crm.incremental_margin_usd_per_year == pytest.approx(gm * extra_bookings.mean(), rel=1e-12)
    gains = gm * extra_bookings - extra_cost
    assert crm.net_gain_usd_per_year == pytest.approx(gains.mean(), rel=1e-12)
    h = half_width(gains, 0.90)
    assert (crm.net_gain_ci_low, crm.net_gain_ci_high) == pytest.approx(
        (gains.mean() - h, gains.mean() + h), rel=1e-10)
    assert crm.roi == pytest.approx(gains.mean() / max(extra_investment, extra_cost), rel=1e-12)
    assert crm.pairs == 4 and crm.n == 5
    # the net gain is the contribution's paired change, interval included (the report reads it there)
    row = result.table[(result.table.scenario == "crm") & (result.table.metric == "contribution_usd")].iloc[0]
    assert (row.diff_vs_baseline, row.diff_ci_low, row.diff_ci_high) == pytest.approx(
        (crm.net_gain_usd_per_year, crm.net_gain_ci_low, crm.net_gain_ci_high), rel=1e-10)
    assert row.incremental_cost_usd_per_year == pytest.approx(extra_cost, rel=1e-12)
    assert row.roi == pytest.approx(crm.roi, rel=1e-12) and row.confidence == 0.90
    # worse: no investment, ROI over its extra cost alone
    worse = result.scenarios.set_index("scenario").loc["worse"]
    extra = n * np.array([2.0, 3.0, 2.0, 3.0]) / WINDOW_YEARS
    assert worse.net_gain_usd_per_year == pytest.approx(-extra.mean(), rel=1e-12)
    assert worse.roi == pytest.approx(-1.0, rel=1e-12)


def test_ranked_by_npv_the_baseline_stands_at_its_zero_above_a_scenario_that_loses():
    """The baseline's NPV is 0, not a missing value sorted last: by NPV, a scenario that loses
    money ranks below doing nothing; its NPV is the window's paired net gain."""
    result = _compare(rank_by="npv")
    assert result.scenarios.scenario.tolist() == ["crm", "base", "worse"]
    n, gm = MONTHS - WARMUP, Config().market.gross_margin
    crm = result.scenarios.set_index("scenario").loc["crm"]
    assert crm.npv_usd == pytest.approx((n * (gm * np.array(LIFT) - 4.0)).mean(), rel=1e-12)
    by_gain = _compare(rank_by="net_gain").scenarios.scenario.tolist()
    assert by_gain == ["crm", "base", "worse"]


# --- payback -------------------------------------------------------------------------------------

def _curve(months: int, extra_cost: float = 9.0, extra_investment: float = 4.0,
           start: float = -20.0) -> pd.DataFrame:
    """payback.csv's rows of one scenario: a cumulative net gain from ``start``, 10 more each
    month, its band 10 either side."""
    rows = [("s", 6 + i, i + 1, 4, 5.0, extra_cost, extra_investment, start + 10.0 * i,
             start + 10.0 * i - 10.0, start + 10.0 * i + 10.0, 0.0, 0.95) for i in range(months)]
    return pd.DataFrame(rows, columns=list(PAYBACK_COLUMNS))


def test_payback_months_their_range_and_the_deepest_shortfall():
    """-20, -10, 0, 10, ...: paid back in month 4 (the last at or below 0 is month 3); the band's
    upper edge (0 in month 2) in month 3, its lower edge (0 in month 4) in month 5; the deepest
    point is -20, in month 1. A curve never below 0 has a shortfall of 0, in no month."""
    dips = payback_months(_curve(8)).iloc[0]
    assert (dips.payback_months, dips.payback_months_ci_low, dips.payback_months_ci_high) == (4.0, 3.0, 5.0)
    assert (dips.deepest_shortfall_usd, dips.deepest_shortfall_month) == (-20.0, 1.0)
    assert (dips.npv_usd, dips.npv_ci_low, dips.npv_ci_high) == (50.0, 40.0, 60.0)
    never = payback_months(_curve(8, start=15.0)).iloc[0]
    assert never.deepest_shortfall_usd == 0.0 and math.isnan(never.deepest_shortfall_month)
    assert never.payback_months == 1.0
    # The band's lower edge: -30 at its deepest; 5 - 10 = -5 for the curve the mean keeps above 0
    assert (dips.deepest_shortfall_ci_low_usd, dips.deepest_shortfall_ci_low_month) == (-30.0, 1.0)
    assert payback_months(_curve(8, start=5.0)).iloc[0].deepest_shortfall_ci_low_usd == -5.0
    assert never.deepest_shortfall_ci_low_usd == 0.0 and math.isnan(never.deepest_shortfall_ci_low_month)


def test_the_deepest_shortfall_says_where_the_band_goes_deeper():
    """An investment whose fee met a month of gains by chance read 'none' (no money at risk) while
    its band reached -475,000 that month."""
    from salessim.report import shortfall_cell

    row = dict(window_months=18, deepest_shortfall_usd=0.0, deepest_shortfall_month=math.nan,
               deepest_shortfall_ci_low_usd=-475_000.0, deepest_shortfall_ci_low_month=1.0)
    assert shortfall_cell(pd.Series(row)) == "none; its band's lower edge -475,000 (month 1)"
    dips = {**row, "deepest_shortfall_usd": -216_000.0, "deepest_shortfall_month": 3.0}
    assert shortfall_cell(pd.Series(dips)) == "-216,000 (month 3); its band's lower edge -475,000 (month 1)"
    assert shortfall_cell(pd.Series({**dips, "deepest_shortfall_ci_low_usd": -216_000.0})) == "-216,000 (month 3)"
    assert shortfall_cell(pd.Series({**row, "deepest_shortfall_ci_low_usd": math.nan})) == "none"  # 1 replication


def test_the_baselines_margin_counts_at_its_own_gross_margin_rate():
    """A sweep of market.gross_margin: each month's net contribution is the scenario's won value x
    its own rate less the baseline's won value x the baseline's rate (docs/results.md, payback)."""
    def job(name, cost):
        monthly = pd.DataFrame({"replication": [0, 1] * 9, "month": [m for m in range(9) for _ in (0, 1)],
                                "bookings_usd": 100.0, "cost_total_usd": cost, "cost_investment_usd": 0.0})
        return Job(name, Path(name), scenario=name, cfg=SimpleNamespace(sim=SimpleNamespace(warmup_months=3)),
                   monthly=monthly)

    base, richer = job("base", 50.0), job("richer", 60.0)
    c = payback_curves([base, richer], base, {"base": 0.5, "richer": 0.8})
    assert c.month.tolist() == list(range(3, 9))
    assert c.extra_gross_margin_usd.tolist() == pytest.approx([30.0] * 6)  # 100 x (0.8 - 0.5)
    assert c.cumulative_net_gain_usd.tolist() == pytest.approx([20.0 * k for k in range(1, 7)])


def test_the_first_year_budget_is_the_extra_investment_of_twelve_months():
    """first_year_investment_usd: the extra investment cost (not the extra total cost, which holds
    pay too) of the 12 months from the launch, given as soon as 12 months are measured; with fewer,
    estimated from the last month's for each month left, and not with one."""
    twelve = payback_months(_curve(12, extra_cost=9.0, extra_investment=4.0)).iloc[0]  # pay: 5 a month
    assert twelve.first_year_investment_usd == pytest.approx(48.0)
    assert twelve.window_months == 12
    assert payback_months(_curve(13, 9.0, 4.0)).iloc[0].first_year_investment_usd == pytest.approx(48.0)
    assert payback_months(_curve(11, 9.0, 4.0)).iloc[0].first_year_investment_usd == pytest.approx(48.0)
    assert math.isnan(payback_months(_curve(1, 9.0, 4.0)).iloc[0].first_year_investment_usd)


def test_a_payback_cell_says_not_in_only_when_even_the_upper_edge_does_not_pay():
    """'>30 [5, >30]': the mean has not paid back within the window, but the band's upper edge
    has, from month 5; 'not in 30' is for an upper edge that never does (docs/results.md)."""
    row = pd.Series(_scenario("s", False, payback_months=math.nan, payback_months_ci_low=5.0,
                              payback_months_ci_high=math.nan))
    assert payback_cell(row) == ">30 [5, >30]"
    row["payback_months_ci_low"] = math.nan
    assert payback_cell(row) == "not in 30"


# --- seeds ----------------------------------------------------------------------------------------

def test_a_job_of_another_seed_pairs_by_number_with_a_pooled_baseline_numbered_from_0():
    """The pooled baseline's replications are numbered 0 to n - 1 (seed by seed), and a job on a
    seed the baseline did not run keeps 0 to m - 1: its replication r is paired with the
    baseline's r, whatever the seeds' order (here its seed, 1, is below the baseline's 2 and 3)."""
    jobs = [_job("0", 2), _job("1", 3), _job("2", 1, span=5)]
    pooled, baseline, _ = pool_seeds(jobs, jobs[0])
    other = next(j for j in pooled if j is not baseline)
    assert sorted(baseline.summary.replication) == [0, 1, 2, 3]
    assert sorted(other.summary.replication) == [0, 1]
    values = lambda job: job.summary.set_index("replication").bookings_usd
    assert paired_ci(values(baseline), values(other))[3] == 2


def test_no_roi_where_no_investment_and_the_extra_cost_may_be_chance():
    """A strategist's walk saw 836% for a setting with no investment cost whose extra total cost,
    +12,440 a year, was commission moving by chance: an ROI divides by the extra total cost there,
    and is shown only where that is settled above 0; a note says why none is."""
    jobs = _jobs()
    noisy = _sweep_job("noisy", 6.0, {r: (b, c + d, 0.0) for r, (b, c, d)
                                      in enumerate(zip(BASE_BOOKINGS, BASE_COST, [3.0, -2.0, 2.0, -1.0]))})
    result = compare(Path("sweep"), [*jobs, noisy], Plan(4, 0, []), jobs[0], "the test's",
                     ["bookings_usd", "contribution_usd"], ["bookings_usd"])
    rows = result.scenarios.set_index("scenario")
    assert rows.loc["noisy"].incremental_cost_usd_per_year > 0 and math.isnan(rows.loc["noisy"].roi)
    assert rows.loc["worse"].roi == pytest.approx(-1.0, rel=1e-12)  # a cost settled above 0 keeps its ROI
    note, = [n for n in result.notes if n.startswith("No ROI where no investment cost differs")]
    assert "noisy (job noisy) +" in note and note.endswith("read the net gain."), note
