"""A short, readable table of headline figures for the terminal."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from salessim.summary import mean_ci_within

FEW_REPLICATIONS = 5  # below this, the table says why its intervals are wide
RECOMMENDED_REPLICATIONS = 10

# (column, label, format)
HEADLINES = (
    ("bookings_usd", "Bookings per year (USD)", "usd_per_year"),
    ("win_rate", "Win rate of forecast deals", "pct"),
    ("lost_competitor_rate", "Lost to competitor", "pct"),
    ("no_decision_rate", "No decision", "pct"),
    ("quota_attainment_share", "Sellers making quota", "pct"),
    ("seller_turnover_rate", "Seller turnover per year", "pct"),
    ("selling_time_share", "Time spent selling", "pct"),
    ("fsm_coaching_share", "FSM time coaching", "pct"),
    ("median_cycle_days_mid_market", "Median cycle, mid-market (days)", "num"),
    ("total_cost_usd", "Cost per year (USD)", "usd_per_year"),
)


def fmt(x: float, kind: str) -> str:
    if math.isnan(x):
        return "-"
    if kind == "pct":
        return f"{100 * x:.1f}%"
    if kind == "usd_per_year":
        return f"{x:,.0f}"
    return f"{x:,.1f}"


def headline_table(summary: pd.DataFrame, years: float | None = None) -> str:
    """Mean and 95% confidence interval over replications of the headline metrics; an interval
    stops at the values its metric can take (a share at 0% and 100%)."""
    rows = []
    per_year = years if years else _window_years(summary)
    for col, label, kind in HEADLINES:
        if col not in summary:
            continue
        values = summary[col] / per_year if kind == "usd_per_year" else summary[col]
        m, low, high = mean_ci_within(col, values)
        interval = "-" if math.isnan(low) else f"[{fmt(low, kind)}, {fmt(high, kind)}]"
        # A rate with nothing to count in a replication (no seller to make quota) is NaN there:
        # the mean is then over fewer replications than the run's, which the row says.
        n = int(values.notna().sum())
        fewer = f"  ({n} of {len(values)} replications)" if 0 < n < len(values) else ""
        rows.append((label, fmt(m, kind), interval, fewer))
    width = max([len("95% CI")] + [len(r[2]) for r in rows])
    lines = [f"{'metric':<34} {'mean':>16}  {'95% CI':<{width}}".rstrip()]
    lines += [f"{label:<34} {mean:>16}  {interval:<{width}}{fewer}".rstrip()
              for label, mean, interval, fewer in rows]
    note = few_replications_note(len(summary))
    return "\n".join([*lines, note] if note else lines)


def few_replications_note(n: int) -> str:
    """A line saying why intervals over ``n`` replications are wide, "" when there are enough."""
    if n >= FEW_REPLICATIONS:
        return ""
    # A t interval over 2 or 3 replications is many times their spread: say why it is wide.
    why = (f"{n} replication{'' if n == 1 else 's'}: an interval needs two or more" if n < 2 else
           f"{n} replications: intervals this wide are expected with so few")
    return f"({why}; sim.replications={RECOMMENDED_REPLICATIONS} or more narrows them)"


def _window_years(summary: pd.DataFrame) -> float:
    return float(np.nanmax(summary["window_years"])) if "window_years" in summary else 1.0
