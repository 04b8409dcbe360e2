"""Checks that run at the end of every replication and fail loudly when the books do not balance.

They cost a few milliseconds of pandas on the finished tables, never anything in the event loop.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from salessim.plural import counted, plural

OUTCOMES = {"won", "lost_competitor", "no_decision", "open"}
TOLERANCE_HOURS = 1e-6


class InvariantError(AssertionError):
    """The model broke one of its own accounting rules: a bug, not bad input."""


def check(tables: dict[str, pd.DataFrame], fsm_week_hours: float | None = None,
          weeks_in_month=None) -> None:
    """The tables' accounting rules; with an FSM's weekly hours and ``weeks_in_month(month)``,
    also that no FSM works more hours in a month than its weeks hold."""
    opp, sellers, kpis, fsm = (tables[k] for k in ("opportunities", "sellers", "kpis", "fsm_months"))
    if not opp.opportunity_id.is_unique:
        raise InvariantError("an opportunity was recorded twice")
    bad = set(opp.outcome.unique()) - OUTCOMES
    if bad:
        raise InvariantError(f"unknown outcomes {sorted(bad)}")
    closed = opp.outcome != "open"
    if opp.closed_day[closed].isna().any() or opp.closed_day[~closed].notna().any():
        raise InvariantError("closed opportunities need a close day, open ones none")
    won = opp[(opp.outcome == "won") & (opp.seller_id >= 0)]
    if not np.isclose(won.value_usd.sum(), sellers.bookings_usd.sum(), rtol=1e-9, atol=1e-3):
        raise InvariantError(f"seller bookings {sellers.bookings_usd.sum():.2f} != won value "
                             f"{won.value_usd.sum():.2f}")
    balance = kpis.headcount_start + kpis.hires - kpis.exits - kpis.headcount_end
    if (balance != 0).any():
        months = kpis.month[balance != 0].tolist()
        raise InvariantError(f"headcount does not balance in {plural(len(months), 'month')} {months}")
    if (kpis.headcount_start.iloc[1:].to_numpy() != kpis.headcount_end.iloc[:-1].to_numpy()).any():
        raise InvariantError("a month does not start with the previous month's headcount")
    if (sellers.filter(like="hours_") < -TOLERANCE_HOURS).any().any():
        raise InvariantError("a seller-month has negative hours")
    hours = sellers.filter(like="hours_").drop(columns="hours_capacity").sum(axis=1)
    over = hours > sellers.hours_capacity + TOLERANCE_HOURS
    if over.any():
        raise InvariantError(f"{counted(int(over.sum()), 'seller-month')} used more hours than their capacity")
    given = fsm.groupby("month").hours_people_coaching.sum()
    received = sellers.groupby("month").hours_coached.sum().reindex(given.index, fill_value=0.0)
    if not np.allclose(given.to_numpy(), received.to_numpy(), atol=1e-6):
        raise InvariantError("coaching given by FSMs differs from coaching received by sellers")
    if fsm_week_hours is not None and len(fsm):
        weeks = fsm.month.map({m: weeks_in_month(m) for m in fsm.month.unique()})
        over = fsm.hours_total > fsm_week_hours * weeks + TOLERANCE_HOURS
        if over.any():
            raise InvariantError(f"{counted(int(over.sum()), 'FSM-month')} used more hours than the FSM's weeks hold")
