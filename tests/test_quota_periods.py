"""Quota periods: they tile the run so that one starts at the end of the warm-up, and a seller
pushes (discounts to close) only in the last weeks of the period in force."""

import numpy as np
import pytest

from salessim.model.calendar import DAYS_PER_WEEK, Calendar
from tests.conftest import simulate, study_config

PERIOD_WEEKS = {"annual": 52, "quarterly": 13}


def _discounted_weeks(plan_period: str, **investment) -> tuple[np.ndarray, int]:
    """(closing week of every discounted deal, the week the warm-up ends) of a small run."""
    cfg = study_config(sellers=20, years=2.0, replications=2, compensation__quota_period=plan_period,
                       investment={"plan": {"kind": "compensation", **investment}} if investment else {})
    opp = simulate(cfg).opportunities
    warmup_week = Calendar(cfg.sim.years).month_start_weeks[cfg.sim.warmup_months]
    return opp.loc[opp.discounted, "closed_day"].to_numpy() / DAYS_PER_WEEK, warmup_week


def _weeks_to_period_end(weeks: np.ndarray, warmup_week: int, period: int) -> np.ndarray:
    """Weeks left in the period in force: periods end where (week - warm-up end) is a multiple
    of the period's length."""
    return (warmup_week - weeks) % period


@pytest.mark.parametrize("quota_period", ["annual", "quarterly"])
def test_sellers_push_only_in_the_last_weeks_of_a_period_warm_up_included(quota_period):
    weeks, warmup_week = _discounted_weeks(quota_period)
    push_weeks = study_config().compensation.push_weeks
    assert len(weeks) > 20, "too few discounted deals to test the push's timing"
    left = _weeks_to_period_end(weeks, warmup_week, PERIOD_WEEKS[quota_period])
    assert (left <= push_weeks + 1e-9).all(), np.sort(left)[-5:]
    # The warm-up's own periods end too: the first (shorter) one at its end, and under a
    # quarterly plan a full quarter before it.
    assert (weeks < warmup_week).any()


def test_a_plan_switched_mid_period_moves_the_end_of_the_period_in_force():
    """Annual to quarterly in month 11 (week 47, 21 weeks into the annual period that began at the
    warm-up's end, week 26): the period in force ends at week 52, the next quarter boundary
    counted from the warm-up's end. Sellers short of a quarter's quota do not push from the
    switch on, as if the period had ended 13 weeks after it began."""
    weeks, warmup_week = _discounted_weeks("annual", start_month=11, quota_period="quarterly")
    switch_week = Calendar(2.0).month_start_weeks[11]
    push_weeks = study_config().compensation.push_weeks
    before, after = weeks[weeks < switch_week], weeks[weeks >= switch_week]
    assert (_weeks_to_period_end(before, warmup_week, 52) <= push_weeks + 1e-9).all()
    assert len(after) > 20
    assert (_weeks_to_period_end(after, warmup_week, 13) <= push_weeks + 1e-9).all()


def test_a_quarter_that_ends_as_quotas_become_annual_is_followed_by_a_new_period():
    """Quarterly to annual in month 12 (week 52, a quarter's end but not an annual start counted
    from the warm-up's end, week 26): a new period starts at week 52 with nothing booked, and ends
    at week 78. The quarter just ended was stretched to week 78 instead, its bookings (commission
    paid on them against the quarter's quota) counted again toward the longer period's."""
    import simpy

    from salessim.model.organization import World
    from salessim.rng import Streams

    cfg = study_config(sellers=20, years=2.0, replications=1, compensation__quota_period="quarterly",
                       investment={"plan": {"kind": "compensation", "start_month": 12,
                                            "quota_period": "annual"}})
    env = simpy.Environment()
    world = World(cfg, Streams(1, 0), env)
    world.start()
    env.run(until=51 * DAYS_PER_WEEK + 1)
    assert (world.period_start_week, world.period_end_week) == (39, 52)
    booked = sum(t.seller.period_bookings for t in world.territories if t.seller is not None)
    assert booked > 0
    env.run(until=52 * DAYS_PER_WEEK + 0.01)  # the clock's week start, before a deal closes
    assert world.comp.quota_period == "annual"
    assert (world.period_start_week, world.period_end_week) == (52, 78)
    assert sum(t.seller.period_bookings for t in world.territories if t.seller is not None) == 0.0
    world.release()


def test_a_hire_during_a_period_has_a_quota_for_the_weeks_left_in_it():
    """Commission, the push and effort measure a seller against the period in force; a seller
    hired during it is measured against the weeks from the hire to its end."""
    import simpy

    from salessim.model.organization import World
    from salessim.rng import Streams

    cfg = study_config(sellers=20, years=2.0, replications=1)
    env = simpy.Environment()
    world = World(cfg, Streams(1, 0), env)
    world.start()
    env.run(until=40 * DAYS_PER_WEEK + 1)  # in the annual period that began at week 26
    assert (world.period_start_week, world.period_end_week) == (26, 78)
    seller = next(t.seller for t in world.territories if t.seller is not None)
    seller.hired_day = 10 * DAYS_PER_WEEK  # before the period began: the whole period
    assert world.period_share(seller) == pytest.approx(1.0)
    seller.hired_day = 39 * DAYS_PER_WEEK  # hired 13 weeks into it: 39 weeks left
    assert world.period_share(seller) == pytest.approx(39 / 52)
    world.release()


def test_a_new_period_starts_at_the_norm_week_whatever_the_last_one_ended_at():
    """Effort follows the commission the next deal earns. A month that starts a new quota period
    starts with nothing booked in it, so its next deal earns the base rate: the norm week. It used
    to be set from the period just ended, so sellers above quota at a quarter's end worked the
    accelerator's 2 more hours a week into the next quarter. Quotas at a fifth of the default put
    most sellers above quota within weeks; quarterly periods start with months 6, 9, 12, ..."""
    from salessim.config import Config

    quota = {k: v * 0.2 for k, v in Config().compensation.quota_usd.items()}
    cfg = study_config(sellers=20, years=2.0, replications=2, compensation__quota_period="quarterly",
                       compensation__quota_usd=quota, compensation__cap_attainment=100.0)
    s = simulate(cfg).sellers
    s = s[(s.month >= 6) & (s.tenure_months > 12)]  # in the seat for all of the month
    weekly = s.hours_capacity / s.month.map(Calendar(cfg.sim.years).weeks_in_month)
    new_period = s.month % 3 == 0
    assert weekly[new_period].to_numpy() == pytest.approx(cfg.org.weekly_hours)
    assert weekly[~new_period].mean() > cfg.org.weekly_hours + 1.0
