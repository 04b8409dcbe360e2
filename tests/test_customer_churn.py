"""Customers lost (market.segments.<segment>.customer_churn): off by default; when on, customers
leave at about the configured yearly share, the less satisfied ones more, and a lost customer
opens no follow-up business."""

from __future__ import annotations

import functools

import pandas as pd
import pytest

import salessim
from salessim.model.customer_churn import leave_chance, monthly_chance

SMALL = ["org=small", "sim.years=3", "sim.replications=4"]


def churn(share: float) -> list[str]:
    return [f"market.segments.{s}.customer_churn={share}" for s in ("smb", "mid_market", "enterprise")]


@functools.cache
def run(*overrides: str):
    return salessim.run([*SMALL, *overrides], scenario="churn")


def yearly_share_lost(kpis: pd.DataFrame) -> pd.Series:
    """By replication: customers lost a year after the warm-up over the mean customers."""
    k = kpis[~kpis.in_warmup]
    return k.groupby("replication").apply(
        lambda d: d.customers_lost.sum() / (len(d) / 12) / d.customers_end.mean())


def test_the_monthly_chance_makes_the_yearly_share_and_satisfaction_scales_it():
    for annual in (0.05, 0.15, 0.5):
        assert (1.0 - monthly_chance(annual)) ** 12 == pytest.approx(1.0 - annual)
    m = monthly_chance(0.15)
    assert leave_chance(m, 0.5) == pytest.approx(m)
    assert leave_chance(m, 0.0) == pytest.approx(2 * m) and leave_chance(m, 1.0) == 0.0


def test_no_customer_is_lost_by_default():
    kpis = run().kpis
    assert (kpis.customers_lost == 0).all()
    assert kpis.groupby("replication").customers_end.apply(lambda c: c.is_monotonic_increasing).all()


def test_customers_are_lost_at_about_the_configured_share_and_the_base_grows_less():
    """Measured: 0.14 a year for a configured 0.15 (the customers' satisfaction is near 0.5 on
    average); 869 customers at the end against 1,169 without churn, and fewer account-management
    and follow-up opportunities (1,110 against 1,175; 537 against 576, per replication)."""
    off, on = run(), run(*churn(0.15))
    share = yearly_share_lost(on.kpis)
    assert share.between(0.10, 0.20).all(), share
    ends = [r.kpis.groupby("replication").customers_end.last() for r in (off, on)]
    assert (ends[1] < 0.85 * ends[0]).all()
    for source in ("account_management", "follow_up"):
        counts = [(r.opportunities.source == source).sum() for r in (off, on)]
        assert counts[1] < 0.97 * counts[0], (source, counts)


def test_better_served_customers_stay_longer():
    """Sellers of more skill hold better rounds, so their customers are more satisfied and leave
    less: measured 0.17 a year with skill 0.3 and 0.10 with skill 0.7, in every replication."""
    low = yearly_share_lost(run(*churn(0.15), "org.skill_mean=0.3").kpis)
    high = yearly_share_lost(run(*churn(0.15), "org.skill_mean=0.7").kpis)
    assert (high < low).all() and high.mean() < 0.8 * low.mean()


def test_a_lost_customer_opens_no_follow_up():
    """A follow-up lead due after its customer left is dropped: with most customers lost, nearly
    no follow-up opportunity is a new logo (2 of about 1,500 here, accounts lost while the lead
    waited to be qualified; 655 when follow-ups went to lost customers too)."""
    opp = run(*churn(0.9)).opportunities
    follow_ups = opp[opp.source == "follow_up"]
    assert len(follow_ups) > 500 and follow_ups.new_logo.sum() <= 0.01 * len(follow_ups)
