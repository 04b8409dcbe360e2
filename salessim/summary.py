"""The headline figures of one replication, measured after the warm-up (docs/results.md)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from salessim.model.calendar import DAYS_PER_MONTH, DAYS_PER_WEEK
from salessim.stats import DEFAULT_CONFIDENCE, mean_ci

# A measured window (after the warm-up) shorter than a quarter makes yearly figures mostly noise:
# the command line and the comparison say so.
SHORT_WINDOW_YEARS = 0.25

SUMMARY_COLUMNS = (
    "scenario", "replication", "seed", "window_years", "bookings_usd", "won", "lost_competitor", "no_decision",
    "open", "win_rate", "lost_competitor_rate", "no_decision_rate", "status_quo_share",
    "quota_attainment_share", "quota_attainment_mean", "seller_turnover_rate", "mean_cycle_days",
    "median_cycle_days",
    "selling_time_share", "fsm_coaching_share", "coaching_hours_per_seller_month", "mean_span",
    "mean_buying_group", "leads", "leads_unworked_share", "hires", "exits", "exits_top_share",
    "mean_tenure_months", "customer_churn_rate", "seller_base_cost_usd", "commission_cost_usd", "fsm_cost_usd",
    "hiring_cost_usd", "tools_cost_usd", "investment_cost_usd", "total_cost_usd", "gross_margin_usd",
    "contribution_usd", "events", "wall_seconds",
)
# Columns that describe the run rather than the organization: no figure to compare or fit.
RUN_COLUMNS = ("scenario", "replication", "seed", "window_years", "events", "wall_seconds")
# The summary's parts of total_cost_usd (investment_cost_usd aside) and the kpis column each sums.
COST_PARTS = (("seller_base_cost_usd", "cost_seller_base_usd"), ("commission_cost_usd", "cost_seller_variable_usd"),
              ("fsm_cost_usd", "cost_fsm_usd"), ("hiring_cost_usd", "cost_hiring_usd"),
              ("tools_cost_usd", "cost_tools_usd"))
# Figures also given per segment, as <metric>_<segment> after the fixed columns (per_segment).
SEGMENT_METRICS = ("bookings_usd", "win_rate", "no_decision_rate", "median_cycle_days", "mean_deal_usd",
                   "quota_attainment_share", "quota_attainment_mean", "seller_turnover_rate")

# The values a figure can take. A t interval over a few replications can reach past them (a share
# of -54%), so the comparison cuts its intervals there. Per-segment columns are their metric's.
_SHARES = ("win_rate", "lost_competitor_rate", "no_decision_rate", "status_quo_share",
           "quota_attainment_share", "selling_time_share", "fsm_coaching_share",
           "leads_unworked_share", "exits_top_share")
_SIGNED = ("contribution_usd",)  # gross margin less cost: a loss is negative


def is_money_total(column: str) -> bool:
    """USD totals over the window (bookings_usd, bookings_usd_smb, total_cost_usd, ...), which are
    turned into yearly figures. Means such as mean_deal_usd_smb are per deal, not per window."""
    return "_usd" in column and not column.startswith("mean_")


# Counts of what happened in the window (not `open`, a count at the horizon), summed over it like
# the money totals but shown as they are: the comparison and the report label them as window
# totals, and a survey gives them a year.
WINDOW_COUNTS = ("won", "lost_competitor", "no_decision", "leads", "hires", "exits")


def base_metric(column: str) -> str | None:
    """The summary figure a column gives: itself, or its metric for a per-segment column
    (win_rate_smb: win_rate); None for a column salessim does not write."""
    return column if column in SUMMARY_COLUMNS else next(
        (m for m in SEGMENT_METRICS if column.startswith(m + "_")), None)


def summary_numbers(columns: Sequence[str]) -> list[str]:
    """The columns of a summary that salessim writes as numbers: all but its scenario, and the
    per-segment figures (<metric>_<segment>). A column of a user's own (a note added to the
    table) is none of them, and is read as it is."""
    return [c for c in columns if base_metric(c) not in (None, "scenario")]


def value_range(metric: str) -> tuple[float, float]:
    """[0, 1] for a share, [0, inf) for the other figures of the summary (counts, money, days,
    turnover, which can pass 1 a year), unbounded for contribution and for unknown columns."""
    base = base_metric(metric)
    if base in _SHARES:
        return 0.0, 1.0
    if base is None or base in _SIGNED:
        return -math.inf, math.inf
    return 0.0, math.inf


def cut(x: float, lo: float, hi: float) -> float:
    """``x`` within [lo, hi]; NaN stays NaN."""
    return lo if x < lo else hi if x > hi else x


def mean_ci_within(metric: str, values, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float, float]:
    """Mean of ``values`` and its interval (95% by default), cut at the values ``metric`` can take."""
    lo, hi = value_range(metric)
    m, h = mean_ci(values, confidence)
    return m, cut(m - h, lo, hi), cut(m + h, lo, hi)


def _ratio(num: float, den: float) -> float:
    return num / den if den else math.nan


def quota_years(sellers: pd.DataFrame, first_month: int, last_month: int) -> pd.DataFrame:
    """One row per seller and quota year they held their seat through: their ``segment``, whether
    they ``made`` quota, and their ``attainment`` (bookings over quota; NaN for a quota of 0).

    Quota years are 12-month blocks from the end of the warm-up (a shorter window is one block).
    A seller counts in a block they were in their seat for all of it.
    """
    span = last_month - first_month + 1
    block = 12 if span >= 12 else span
    rows = sellers[(sellers.month >= first_month) & (sellers.month < first_month + span // block * block)]
    g = rows.groupby([rows.seller_id, (rows.month - first_month) // block]).agg(
        n=("month", "size"), bookings=("bookings_usd", "sum"), quota=("quota_usd", "sum"),
        segment=("segment", "first"))
    g = g[g.n == block]
    attainment = (g.bookings / g.quota.where(g.quota > 0)).to_numpy(dtype=float)
    return pd.DataFrame({"segment": g.segment.to_numpy(), "made": (g.bookings >= g.quota).to_numpy(),
                         "attainment": attainment})


def quota_attainment_share(sellers: pd.DataFrame, first_month: int, last_month: int) -> float:
    """Share of seller-years at or above quota (quota_years)."""
    return _made_share(quota_years(sellers, first_month, last_month))


def _made_share(years: pd.DataFrame) -> float:
    return _ratio(int(years.made.sum()), len(years))


def _mean_attainment(years: pd.DataFrame) -> float:
    """The mean of the quota years' attainment (NaN where there is none): the figure sales
    operations reads beside the share making quota, and the one to set a segment's quota against
    what its seats book (a walk worked it out from the sellers table by hand)."""
    values = years.attainment.dropna()
    return float(values.mean()) if len(values) else math.nan


def summarize(tables: dict[str, pd.DataFrame], *, scenario: str, replication: int, seed: int,
              warmup_months: int, warmup_day: float, months: int, window_years: float,
              n_fsms: int, gross_margin: float, events: int, wall_seconds: float,
              month_0_weeks: int, segments: Sequence[str] = ()) -> dict:
    """``month_0_weeks``: the weeks of month 0 the run simulated (fewer than the calendar's when
    the horizon ends inside it)."""
    opp, sellers, kpis, fsm = (tables[k] for k in ("opportunities", "sellers", "kpis", "fsm_months"))
    closed = opp[(opp.outcome != "open") & (opp.closed_day >= warmup_day)]
    forecast = closed[closed.gate_day.notna()]
    won = closed[closed.outcome == "won"]
    cycle = won.closed_day - won.created_day
    s = sellers[sellers.month >= warmup_months]
    k = kpis[kpis.month >= warmup_months]
    f = fsm[fsm.month >= warmup_months]
    selling = s.hours_prospecting.sum() + s.hours_opportunity.sum() + s.hours_account_mgmt.sum()
    headcount = k.headcount_start.mean() if len(k) else math.nan
    exits = int(k.exits.sum())
    created = opp[opp.created_day >= warmup_day]
    quota = quota_years(s, warmup_months, months - 1)
    return {
        "scenario": scenario,
        "replication": replication,
        "seed": seed,
        "window_years": window_years,
        "bookings_usd": float(won.value_usd.sum()),
        "won": len(won),
        "lost_competitor": int((closed.outcome == "lost_competitor").sum()),
        "no_decision": int((closed.outcome == "no_decision").sum()),
        "open": int((opp.outcome == "open").sum()),
        "win_rate": _ratio(len(won), len(forecast)),
        "lost_competitor_rate": _ratio((forecast.outcome == "lost_competitor").sum(), len(forecast)),
        "no_decision_rate": _ratio((forecast.outcome == "no_decision").sum(), len(forecast)),
        "status_quo_share": _ratio((closed.reason == "status_quo").sum(), len(closed)),
        "quota_attainment_share": _made_share(quota),
        "quota_attainment_mean": _mean_attainment(quota),
        "seller_turnover_rate": _ratio(exits / window_years, headcount),
        "mean_cycle_days": float(cycle.mean()) if len(cycle) else math.nan,
        "median_cycle_days": float(cycle.median()) if len(cycle) else math.nan,
        "selling_time_share": _ratio(selling, s.hours_capacity.sum()),
        "fsm_coaching_share": _ratio(f.hours_people_coaching.sum(), f.hours_total.sum()),
        "coaching_hours_per_seller_month": _ratio(s.hours_coached.sum(), len(s)),
        "mean_span": _ratio(sellers.territory_id.nunique(), n_fsms),
        "mean_buying_group": float((created.n_stakeholders + created.stakeholders_added).mean())
        if len(created) else math.nan,
        "leads": int(k.leads.sum()),
        "leads_unworked_share": _ratio(k.leads_unworked_by_arrival.sum(), k.leads.sum()),
        "hires": int(k.hires.sum()),
        "exits": exits,
        "exits_top_share": _ratio(k.exits_top.sum(), exits),
        "mean_tenure_months": float(s.tenure_months.mean()) if len(s) else math.nan,
        # As seller_turnover_rate: customers lost a year over the mean customers at month ends.
        "customer_churn_rate": _ratio(k.customers_lost.sum() / window_years, k.customers_end.mean()),
        # total_cost_usd by what it pays for, so that a comparison shows where extra cost goes
        **{part: float(k[column].sum()) for part, column in COST_PARTS},
        "investment_cost_usd": float(k.cost_investment_usd.sum()),
        "total_cost_usd": float(k.cost_total_usd.sum()),
        "gross_margin_usd": float(won.value_usd.sum() * gross_margin),
        "contribution_usd": float(won.value_usd.sum() * gross_margin - k.cost_total_usd.sum()),
        "events": events,
        "wall_seconds": wall_seconds,
        **per_segment(closed, forecast, won, segments,
                      seated_at_start(sellers, month_0_weeks)[sellers.month >= warmup_months], quota,
                      window_years, len(k)),
    }


def seated_at_start(sellers: pd.DataFrame, month_0_weeks: int) -> pd.DataFrame:
    """One replication's seller-months with a column ``at_start``: the seller held the seat when
    the month began (not hired during it), as the kpis table's headcount_start counts them. In a
    seller's first month that is only so in month 0, for a seller hired before the run began:
    their tenure at its close (the row's) is at least the ``month_0_weeks`` the run simulated of
    it (a seat filled during month 0 has less)."""
    first = sellers.groupby("seller_id").month.transform("min")
    month_0 = month_0_weeks * DAYS_PER_WEEK / DAYS_PER_MONTH
    before_the_run = (first == 0) & (sellers.tenure_months >= month_0 - 1e-9)
    return sellers.assign(at_start=(sellers.month > first) | before_the_run)


def per_segment(closed: pd.DataFrame, forecast: pd.DataFrame, won: pd.DataFrame,
                segments: Sequence[str], sellers: pd.DataFrame, quota: pd.DataFrame,
                window_years: float, months: int) -> dict:
    """Segment figures, named ``<metric>_<segment>``, after the fixed columns: for every configured
    segment, so that one without deals (no sellers there) books 0 rather than going missing, and
    for any other segment that closed deals. ``sellers``: the window's seller-months, with
    ``at_start`` (seated_at_start); ``quota``: the window's quota_years; ``months``: the window's
    months, as the kpis table has them (a month with every seat vacant has no seller rows)."""
    out = {}
    for seg in sorted(set(segments) | set(closed.segment.unique())):
        f = forecast[forecast.segment == seg]
        w = won[won.segment == seg]
        s = sellers[sellers.segment == seg]
        out[f"bookings_usd_{seg}"] = float(w.value_usd.sum())
        out[f"win_rate_{seg}"] = _ratio(len(w), len(f))
        out[f"no_decision_rate_{seg}"] = _ratio((f.outcome == "no_decision").sum(), len(f))
        out[f"median_cycle_days_{seg}"] = float((w.closed_day - w.created_day).median()) if len(w) else math.nan
        out[f"mean_deal_usd_{seg}"] = float(w.value_usd.mean()) if len(w) else math.nan
        out[f"quota_attainment_share_{seg}"] = _made_share(quota[quota.segment == seg])
        out[f"quota_attainment_mean_{seg}"] = _mean_attainment(quota[quota.segment == seg])
        # As seller_turnover_rate: exits a year over the mean headcount at the months' starts.
        out[f"seller_turnover_rate_{seg}"] = _ratio((s.status == "exited").sum() / window_years,
                                                    s.at_start.sum() / months if months > 0 else 0)
    return out
