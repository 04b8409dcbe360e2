"""When a scenario's extra spend has paid for itself: its paired cumulative net gain, month by month.

The ranking's net gain is a yearly average over the measured window. An investment that costs
up front (a training's fees and its hours out of the field) and gains later follows a J-shaped
path that the average hides. Here each month's net contribution (gross margin of the deals won
that month, less the month's total cost) is taken from the baseline's replication by
replication (common random numbers), summed from the scenario's launch (the first month after
the warm-up in which it differs from the baseline), and averaged with its confidence interval
(95% unless the comparison asks for another level). At the horizon the sum, over the window's
years, is the ranking's net gain per year.

With a discount rate, each month's net gain counts at its present value at the start of the
measured window (the end of the warm-up; money in mid-month, a year of 364 days), so the sum at
the horizon is the scenario's net present value over the window, and the payback is the
discounted payback.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from salessim.model.calendar import DAYS_PER_YEAR, Calendar
from salessim.stats import DEFAULT_CONFIDENCE, mean_ci
from salessim.sweep_folder import BOOKINGS, MONTH_COST, MONTH_INVESTMENT, Job

PAYBACK_COLUMNS = ("scenario", "month", "months_after_start", "pairs", "extra_gross_margin_usd",
                   "extra_cost_usd", "extra_investment_usd", "cumulative_net_gain_usd", "ci_low",
                   "ci_high", "discount_rate", "confidence")
# Per scenario: when it pays back, on the mean and on each edge of the band, the money at
# risk on the way, and the whole window's net present value (payback_months()).
PAYBACK_FIGURES = ("payback_months", "payback_months_ci_low", "payback_months_ci_high",
                   "deepest_shortfall_usd", "deepest_shortfall_month", "deepest_shortfall_ci_low_usd",
                   "deepest_shortfall_ci_low_month",
                   "npv_usd", "npv_ci_low",
                   "npv_ci_high", "first_year_investment_usd", "first_year_net_gain_usd",
                   "first_year_net_gain_ci_low", "first_year_net_gain_ci_high")
MONTHS_A_YEAR = 12  # of the 4-4-5 calendar: 52 weeks


def first_year_ci(row) -> str:
    """A ranking's row's net gain in its first 12 months from launch, with its interval
    ('+424,740 [+101,000, +748,480]'; the interval's ends NaN in a table made before them)."""
    from salessim.report_table import fmt_ci  # pandas' formatting, for the comparison alone

    low, high = (row.get(f"first_year_net_gain_ci_{end}", math.nan) for end in ("low", "high"))
    return fmt_ci(BOOKINGS, row.first_year_net_gain_usd, low, high)


def first_year_measured(row) -> bool:
    """Whether a ranking's row has a first-year net gain worth saying beside its yearly one: one
    was measured (first_year_net_gain_usd) and the window is longer than a year (else the yearly
    figure is that year's)."""
    return not math.isnan(row.get("first_year_net_gain_usd", math.nan)) and row.window_months > MONTHS_A_YEAR


def monthly_money(job: Job, margin_rate: float, first_month: int) -> dict[str, pd.DataFrame]:
    """The gross margin of each month's wins, its total cost and its investment cost, from
    ``first_month`` on: months down, replications across."""
    m = job.monthly[job.monthly.month >= first_month]
    index = pd.MultiIndex.from_frame(m[["month", "replication"]])
    return {name: values.set_axis(index).unstack("replication")
            for name, values in (("margin", m[BOOKINGS] * margin_rate), ("cost", m[MONTH_COST]),
                                 ("investment", m[MONTH_INVESTMENT]))}


def discount_factors(months: pd.Index, first_month: int, cal: Calendar, rate: float) -> pd.Series:
    """Each month's present-value factor at the start of ``first_month``, at a yearly ``rate``,
    for money that comes in the middle of the month."""
    start = cal.month_start_day(first_month)
    middle = [(cal.month_start_day(m) + cal.month_start_day(m + 1)) / 2.0 - start for m in months]
    return pd.Series((1.0 + rate) ** (-np.asarray(middle) / DAYS_PER_YEAR), index=months)


def cumulative_gain(scenario: str, base: dict[str, pd.DataFrame],
                    other: dict[str, pd.DataFrame], factors: pd.Series | None = None,
                    ends: dict[str, pd.Series] | None = None,
                    confidence: float = DEFAULT_CONFIDENCE) -> pd.DataFrame:
    """PAYBACK_COLUMNS for one scenario: from its launch, each month's extra margin, cost and
    investment (means of the paired differences) and the paired cumulative net gain with the
    ``confidence`` interval of its mean, over the months and replications both have. Its launch is
    the first month in which its margin or cost differs from the baseline's in any replication: common
    random numbers make the months before it identical (an investment that starts later than the
    warm-up's end), so they are left out rather than counted as months of waiting. ``factors``:
    each month's present-value factor (discount_factors; None: undiscounted; payback_curves
    records the rate). ``ends``, if given, receives the scenario's sum at the horizon replication by
    replication (its net present value in each; none without a launch)."""
    extra = paired_extra(base, other)
    # A missing value is no difference; none at all (or no replication shared): no launch, no curve.
    moved = np.flatnonzero(((extra["margin"].fillna(0.0) != 0) | (extra["cost"].fillna(0.0) != 0))
                           .any(axis=1).to_numpy())
    if not len(moved):
        return pd.DataFrame(columns=list(PAYBACK_COLUMNS))
    extra = {k: v.iloc[moved[0]:] for k, v in extra.items()}
    net = extra["margin"] - extra["cost"]
    if factors is not None:
        net = net.mul(factors.reindex(net.index), axis=0)
    net = net.cumsum()
    if ends is not None:
        ends[scenario] = net.iloc[-1]
    rows = []
    for i, month in enumerate(net.index):
        m, h = mean_ci(net.loc[month], confidence)
        margin, cost, investment = (float(extra[k].loc[month].mean()) for k in ("margin", "cost", "investment"))
        rows.append((scenario, int(month), i + 1, len(net.columns), margin, cost, investment,
                     m, m - h, m + h))
    return pd.DataFrame(rows, columns=list(PAYBACK_COLUMNS[:-2]))  # the last two: payback_curves


def months_to_pay_back(cumulative: pd.Series) -> float:
    """Months after the launch until ``cumulative`` is above 0 and stays there to the horizon:
    the last month it is at or below 0, plus one. NaN when it ends at or below 0 (or is not known:
    a bound with one replication)."""
    above = cumulative.to_numpy(dtype=float) > 0.0
    if not len(above) or not above[-1]:
        return math.nan
    not_yet = np.flatnonzero(~above)
    return float(not_yet[-1] + 2) if len(not_yet) else 1.0


def payback_curves(jobs: list[Job], baseline: Job, rates: dict[str, float],
                   discount_rate: float = 0.0, ends: dict[str, pd.Series] | None = None,
                   confidence: float = DEFAULT_CONFIDENCE) -> pd.DataFrame:
    """PAYBACK_COLUMNS for every scenario but the baseline (none for one identical to it, or
    sharing no replication with it), in the order of ``jobs``; ``rates``: each scenario's gross
    margin rate. Both are read from the end of the scenario's own warm-up, where its window and
    an investment that starts with it begin, whatever the baseline's warm-up; with a
    ``discount_rate``, the net gains at their present value there. ``ends`` and ``confidence``: as
    for cumulative_gain."""
    curves, base = [], {}  # the baseline's money, read once per warm-up the scenarios have
    for j in (j for j in jobs if j is not baseline):
        start = j.cfg.sim.warmup_months
        if start not in base:
            base[start] = monthly_money(baseline, rates[baseline.scenario], start)
        money = monthly_money(j, rates[j.scenario], start)
        factors = (discount_factors(money["cost"].index, start, Calendar(j.cfg.sim.years), discount_rate)
                   if discount_rate else None)
        curves.append(cumulative_gain(j.scenario, base[start], money, factors, ends, confidence)
                      .assign(discount_rate=discount_rate, confidence=confidence))
    curves = [c for c in curves if len(c)]
    return pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(columns=list(PAYBACK_COLUMNS))


def paired_extra(base: dict[str, pd.DataFrame], other: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Each money's (monthly_money) other − base, month by month and replication by
    replication, over the months and replications both have."""
    months = base["cost"].index.intersection(other["cost"].index)
    pairs = base["cost"].columns.intersection(other["cost"].columns)
    return {k: other[k].loc[months, pairs] - base[k].loc[months, pairs] for k in base}


def warm_up_money(job: Job, margin_rate: float) -> dict[str, pd.DataFrame]:
    """monthly_money of the job's warm-up months alone."""
    money = monthly_money(job, margin_rate, 0)
    return {k: m[m.index < job.cfg.sim.warmup_months] for k, m in money.items()}


def warm_up_extra(job: Job, margin_rate: float, base: dict[str, pd.DataFrame],
                  base_warmup: int) -> tuple[float, float]:
    """The paired mean extra total cost and extra gross margin of the job's warm-up (``base``:
    the baseline's warm_up_money), which no figure counts: a change of settings (five more FSMs)
    differs from the first day, so its payback counts from the window's start as if it were in
    place by then. NaN when there is no warm-up, the two differ, or no replication is shared."""
    if job.cfg.sim.warmup_months != base_warmup or not base_warmup:
        return math.nan, math.nan
    extra = paired_extra(base, warm_up_money(job, margin_rate))
    if extra["cost"].empty or not len(extra["cost"].columns):
        return math.nan, math.nan
    return float(extra["cost"].sum().mean()), float(extra["margin"].sum().mean())


def first_year_investment(spent: pd.Series) -> float:
    """The extra investment of a scenario's first 12 months from its launch, from its months'
    (``spent``, from the launch); with fewer measured, those months' and the last one's again for
    each month left: a one-off falls in the launch month, a running cost in every month (the
    window's yearly figure had spread a one-off over ten months and counted 1.2 of it). NaN with
    one month measured, which cannot tell the two apart."""
    if len(spent) >= MONTHS_A_YEAR:
        return float(spent.iloc[:MONTHS_A_YEAR].sum())
    if len(spent) < 2:
        return math.nan
    return float(spent.sum() + spent.iloc[-1] * (MONTHS_A_YEAR - len(spent)))


def payback_months(curves: pd.DataFrame) -> pd.DataFrame:
    """Per scenario, PAYBACK_FIGURES and ``window_months`` (the months measured from its launch):
    when the mean cumulative net gain turns positive for good, and when the upper and the lower
    edge of its band do (the earliest and the latest payback the band allows, month by
    month); the deepest the mean goes below 0 (0 if it never does), and in which month (NaN
    when it never does), and the deepest the band's lower edge goes (0 if it never does) and when
    (its low may be the window's end, where the band is widest): a mean of a few replications can
    stay above 0 by chance while the money at risk is large; where it ends, with its interval: the
    net present value of the window (its undiscounted net gain without a discount rate); the extra
    investment cost of its first 12 months from the launch (what a budget for its first year must
    hold; nominal, undiscounted; estimated where fewer are measured: first_year_investment); and
    the cumulative net gain at 12 months from the launch, with its band there (NaN where fewer are
    measured): the budget year a strategist plans, which a yearly figure averaged over a longer
    window hides (a coaching programme first by +6.2 M a year returned +2.2 M in its first year,
    behind two others)."""
    rows = []
    for s, c in curves.groupby("scenario", sort=False):
        mean = c.cumulative_net_gain_usd.reset_index(drop=True)
        low = float(mean.min())
        edge = c.ci_low.reset_index(drop=True)
        edge_low = float(edge.min())  # NaN with one replication: no band
        end = c.iloc[-1]
        year = c[c.months_after_start == MONTHS_A_YEAR]
        first_year = (year.iloc[0][["cumulative_net_gain_usd", "ci_low", "ci_high"]].astype(float).tolist()
                      if len(year) else [math.nan] * 3)
        rows.append((s, months_to_pay_back(mean), months_to_pay_back(c.ci_high),
                     months_to_pay_back(c.ci_low), min(low, 0.0),
                     float(mean.idxmin() + 1) if low < 0 else math.nan, min(edge_low, 0.0),
                     float(edge.idxmin() + 1) if edge_low < 0 else math.nan,
                     float(end.cumulative_net_gain_usd), float(end.ci_low), float(end.ci_high),
                     first_year_investment(c.extra_investment_usd), *first_year, len(c)))
    return pd.DataFrame(rows, columns=["scenario", *PAYBACK_FIGURES, "window_months"])
