"""When a scenario's extra spend has paid for itself: its paired cumulative net gain, month by month.

The ranking's net gain is a yearly average over the measured window. An investment that costs
up front (a training's fees and its hours out of the field) and gains later follows a J-shaped
path that the average hides, and the average depends on the horizon. Here each month's net
contribution (gross margin of the deals won that month, less the month's total cost) is taken
from the baseline's replication by replication (common random numbers), summed from the first
month after the warm-up, and averaged with its 95% interval. At the horizon the sum, over the
window's years, is the ranking's net gain per year.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from salessim.stats import mean_ci
from salessim.sweep_folder import BOOKINGS, MONTH_COST, Job

PAYBACK_COLUMNS = ("scenario", "month", "months_after_warmup", "pairs", "cumulative_net_gain_usd",
                   "ci_low", "ci_high")


def monthly_net(job: Job, margin_rate: float) -> pd.DataFrame:
    """Net contribution (gross margin of the month's wins − its total cost) of each month after
    the warm-up: months down, replications across."""
    m = job.monthly[job.monthly.month >= job.cfg.sim.warmup_months]
    net = m[BOOKINGS] * margin_rate - m[MONTH_COST]
    return net.set_axis(pd.MultiIndex.from_frame(m[["month", "replication"]])).unstack("replication")


def cumulative_gain(scenario: str, base: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """PAYBACK_COLUMNS for one scenario: its paired cumulative net gain over the baseline's, with
    the 95% interval of its mean, over the months and replications both have."""
    months = base.index.intersection(other.index)
    pairs = base.columns.intersection(other.columns)
    diff = (other.loc[months, pairs] - base.loc[months, pairs]).cumsum()
    rows = []
    for i, (month, values) in enumerate(diff.iterrows()):
        m, h = mean_ci(values)
        rows.append((scenario, int(month), i + 1, len(pairs), m, m - h, m + h))
    return pd.DataFrame(rows, columns=list(PAYBACK_COLUMNS))


def months_to_pay_back(cumulative: pd.Series) -> float:
    """Months after the warm-up until ``cumulative`` is above 0 and stays there to the horizon:
    the last month it is at or below 0, plus one. NaN when it ends at or below 0 (or is not known:
    a bound with one replication)."""
    above = cumulative.to_numpy(dtype=float) > 0.0
    if not len(above) or not above[-1]:
        return math.nan
    not_yet = np.flatnonzero(~above)
    return float(not_yet[-1] + 2) if len(not_yet) else 1.0


def payback_curves(jobs: list[Job], baseline: Job, rates: dict[str, float]) -> pd.DataFrame:
    """PAYBACK_COLUMNS for every scenario but the baseline, in the order of ``jobs``; ``rates``:
    each scenario's gross margin rate."""
    net = {j.scenario: monthly_net(j, rates[j.scenario]) for j in jobs}
    base = net[baseline.scenario]
    curves = [cumulative_gain(j.scenario, base, net[j.scenario]) for j in jobs if j is not baseline]
    if not curves:
        return pd.DataFrame(columns=list(PAYBACK_COLUMNS))
    return pd.concat(curves, ignore_index=True)


def payback_months(curves: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: ``payback_months`` (the mean cumulative net gain), ``payback_months_settled``
    (its 95% lower bound) and ``window_months`` (how many months were measured)."""
    rows = [(s, months_to_pay_back(c.cumulative_net_gain_usd), months_to_pay_back(c.ci_low), len(c))
            for s, c in curves.groupby("scenario", sort=False)]
    return pd.DataFrame(rows, columns=["scenario", "payback_months", "payback_months_settled",
                                       "window_months"])
