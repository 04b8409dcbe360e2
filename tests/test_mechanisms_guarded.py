"""Direction tests for mechanisms a mutation round found unguarded: customers lost (9.7), the
coverage levers' seat terms (16.3) and the overlay specialists' hours (16.8) of docs/model.md.

Each test failed under a small change to the product code that every other test of its
mechanism, and the frozen back-test, let pass (the mutation is named in each docstring).
"""

from __future__ import annotations

import simpy

from salessim.model.accounts import PROSPECT_NETWORK
from salessim.model.calendar import Calendar
from salessim.model.levers.overlay import OverlayPool, OverlaySpec
from salessim.model.organization import World
from salessim.rng import Streams
from tests.conftest import simulate, study_config
from tests.test_levers import ENTERPRISE_ONLY, SMB_ONLY, spec

EVERY_SEGMENT = ("smb", "mid_market", "enterprise")


def _world(sellers: int = 20, seed: int = 11, **changes) -> World:
    cfg = study_config(sellers=sellers, replications=1, seed=seed, **changes)
    return World(cfg, Streams(seed, 0), simpy.Environment())


def _churn_world(annual: float) -> World:
    return _world(**{f"market__segments__{s}__customer_churn": annual for s in EVERY_SEGMENT})


# -- customers lost (section 9.7) ---------------------------------------------------------------

def test_a_customer_whose_won_deal_is_being_delivered_stays():
    """Section 9.7: "A customer buying now (a deal open at the account, or won and not yet
    delivered) stays that month." At c = 1 a customer of satisfaction 0.5 leaves for sure: every
    one of them leaves but those with a delivery due, who all stay. (Mutation: the deliveries_due
    guard dropped.)"""
    world = _churn_world(1.0)
    customers = [a for t in world.territories for a in t.customers]
    assert len(customers) > 200 and all(a.satisfaction == 0.5 for a in customers)
    buying = customers[::3]
    for account in buying:
        account.deliveries_due = 1
    lost = world._lose_customers(1.0)
    assert all(a.is_customer for a in buying)
    assert lost == len(customers) - len(buying)
    kept = {id(a) for t in world.territories for a in t.customers}
    assert kept == {id(a) for a in buying}


def test_a_lost_customers_network_fades_to_a_prospects():
    """A customer that leaves becomes a prospect whose network "fades at once to a prospect's
    (0.05)": the seller's known stakeholders there are gone, so a win-back starts cold.
    Customers start with 0.15 or more. (Mutation: the network kept.)"""
    world = _churn_world(1.0)
    customers = [a for t in world.territories for a in t.customers]
    assert min(a.network for a in customers) >= 0.15 - 1e-12
    assert world._lose_customers(1.0) == len(customers)
    assert all(not a.is_customer and a.network == PROSPECT_NETWORK for a in customers)
    prospects = [a for t in world.territories for a in t.prospects]
    assert {id(a) for a in customers} <= {id(a) for a in prospects}


def test_a_customers_lead_made_before_it_was_lost_is_dropped_even_if_it_was_won_back(monkeypatch):
    """Section 9.7: a follow-up or account-management lead made while the account was a customer
    "is dropped if it arrives after it left, even if the account has been won back by then". The
    lead only checked that the account was a customer when it arrived, so a customer lost and won
    back while it waited started it: 11 such follow-ups in 20 sellers' 3 years at c = 0.15. A
    customer kept all along still gets its lead."""
    from salessim.model import organization
    world = _churn_world(1.0)
    started = []
    monkeypatch.setattr(organization, "journey", lambda w, account, source: (account, source))
    monkeypatch.setattr(organization, "start_detached", lambda env, made: started.append(made))
    kept, won_back = [a for t in world.territories for a in t.customers][:2]
    for account in (kept, won_back):
        world.start_customer_lead(account, "follow_up", 3.0)
    kept.deliveries_due = 1  # buying now: it stays
    world._lose_customers(1.0)
    assert kept.is_customer and not won_back.is_customer
    world.promote_to_customer(won_back)
    world.env.run(until=4.0)
    assert [a for a, source in started if source == "follow_up"] == [kept]


def test_a_last_month_the_horizon_cuts_short_loses_its_share_of_a_months_customers():
    """Section 9.7: "In the last month of a horizon that cuts it short, p is multiplied by the
    share of the month inside it." A horizon of 53 weeks holds one week of month 12's four: it loses about a
    quarter of a full month's share of customers. Measured (40 sellers, 3 replications, c = 0.9):
    0.27 of the share months 8-11 lost, 46 customers. (Mutation: the whole month's chance in the
    cut month.)"""
    cfg = study_config(sellers=40, years=53 / 52, replications=3, sim__warmup_months=0,
                       **{f"market__segments__{s}__customer_churn": 0.9 for s in EVERY_SEGMENT})
    kpis = simulate(cfg).kpis
    assert kpis.month.max() == 12 and Calendar(53 / 52).weeks_in_month(12) == 1
    totals = kpis.groupby("month")[["customers_lost", "customers_end"]].sum()
    share = totals.customers_lost / totals.customers_end.shift(1)  # of those at the month's start
    full = share.loc[8:11].mean()
    assert totals.customers_lost[12] >= 20  # enough customers lost to see a quarter of a month
    assert 0.1 * full < share[12] < 0.5 * full, (share[12], full)


# -- coverage (section 16.3) --------------------------------------------------------------------

def _levers_acted(investments: dict, months: list[int], sellers: int = 40) -> World:
    world = _world(sellers=sellers, investment=investments)
    for month in months:
        world._start_month(month)
    return world


def test_a_conversion_rounds_its_seats_half_up():
    """⌊convert_share × n + 0.5⌋ of the segment's n seats convert: 0.3 of 16 SMB seats is 4.8,
    five seats. (Mutation: the count rounded down, four.)"""
    world = _levers_acted({"a": {"kind": "coverage", "segment": "smb", "convert_share": 0.3,
                                 "start_month": 6}}, [6])
    roles = [t.role for t in world.territories if t.segment == "smb"]
    assert len(roles) == 16 and roles.count("inside_sales") == 5, roles


def test_a_compensation_change_of_an_earlier_month_moves_the_roles_pay_and_quota():
    """Converted seats take the role's pay and quota "each moved as every seat's was by
    compensation investments that started before or in the same month". Pay at 1.3x the market
    and quotas x1.2 from month 6; SMB seats converted in month 8 at 80,000 and 400,000 get
    104,000 and 480,000, as the same two investments in one month give. (Mutations: the role's
    quota without the earlier multiplier; its pay without the earlier pay ratio.)"""
    coverage = {"kind": "coverage", "segment": "smb", "convert_share": 1.0,
                "on_target_earnings_usd": 80_000.0, "quota_usd": 400_000.0}
    pay = {"kind": "compensation", "market_pay_ratio": 1.3, "quota_multiplier": 1.2}
    for pay_month, seats_month in ((6, 8), (8, 8)):
        world = _levers_acted({"pay": pay | {"start_month": pay_month},
                               "seats": coverage | {"start_month": seats_month}}, [6, 7, 8])
        smb = [t for t in world.territories if t.segment == "smb"]
        assert smb and all(t.role == "inside_sales" for t in smb)
        assert all(abs(t.ote_usd - 1.3 * 80_000.0) < 1e-6 for t in smb), (pay_month, smb[0].ote_usd)
        assert all(abs(t.quota_usd - 1.2 * 400_000.0) < 1e-6 for t in smb), (pay_month, smb[0].quota_usd)


def test_converted_seats_work_the_internal_hours_the_role_saves():
    """Converted seats work internal_hours_change (-4) fewer internal hours a week: an SMB
    seller's internal hours (15, and 3 searching) fall from 18 to 14 a week. Measured (20 SMB
    sellers, half a year, incumbents): 18.0 against 14.0, every seller-month.
    (Mutation: the change ignored.)"""
    def internal_a_week(investment) -> float:
        cfg = study_config(sellers=20, years=0.5, replications=1, org__segment_mix=SMB_ONLY,
                           sim__warmup_months=0, investment=investment)
        s = simulate(cfg).sellers
        s = s[s.tenure_months > 6]  # incumbents: no onboarding weeks
        return (s.hours_internal / s.month.map(Calendar(0.5).weeks_in_month)).median()

    field, inside = internal_a_week({}), internal_a_week(spec("smb_inside_sales", start_month=0))
    assert abs(field - 18.0) < 0.2 and abs(inside - 14.0) < 0.2, (field, inside)


# -- overlay specialists (section 16.8) ---------------------------------------------------------

def test_a_round_that_finds_exactly_its_hours_left_gets_a_specialist():
    """Section 16.8: "A round ... that finds hours_per_round left in the week takes them": a week of 8 hours
    holds two rounds of 4. (Mutation: a round needs more than its hours left.)"""
    pool = OverlayPool(OverlaySpec(hours_per_week=8.0, hours_per_round=4.0))
    pool.left = 8.0
    assert [pool.join(), pool.join(), pool.join()] == [True, True, False]
    assert pool.left == 0.0


def test_a_specialist_whose_week_holds_one_round_joins_about_one_a_week():
    """A specialist with 4 hours a week for rounds of 4 (allowed: a round may be as long as the
    week) joins one buying round a week while enterprise deals are in their buying phase, and no
    more. Measured (20 enterprise sellers, 2 years, from month 6): 78 rounds a replication, one in
    each of the 78 weeks open. (Mutation: a round needs more than its hours left: none joined.)"""
    investment = spec("enterprise_solution_specialists", specialists=1, hours_per_week=4.0,
                      hours_per_round=4.0, rollout_months=0.0)
    res = simulate(study_config(sellers=20, replications=2, org__segment_mix=ENTERPRISE_ONLY,
                                    investment=investment))
    weeks_open = Calendar(2.0).weeks_from_month(6)
    per_replication = res.opportunities.groupby("replication").overlay_rounds.sum()
    assert (per_replication >= 0.7 * weeks_open).all() and (per_replication <= weeks_open).all(), \
        (per_replication.tolist(), weeks_open)


def test_specialists_hired_over_the_rollout_give_its_share_of_their_hours():
    """Over the rollout, specialists x progress are hired, and the pool has hired x hours_per_week
    hours a week: 4 specialists of 30 hours hired over 4 months from month 6 give 30, 60, 90, then
    120 hours a week. Hired over a year they join fewer rounds than hired at once: measured (20
    enterprise sellers, 2 years), 0.68 of the rounds. (Mutation: the pool's hours of every
    specialist from the start month, while the cost follows the rollout.)"""
    overlay = {"kind": "overlay", "segment": "enterprise", "specialists": 4, "hours_per_week": 30.0,
               "rollout_months": 4.0, "start_month": 6}
    world = _levers_acted({"experts": overlay}, [])
    lever, pool = world.levers[0], world.overlays["enterprise"]
    hours = []
    for month in (5, 6, 7, 8, 9, 10):
        lever.on_month(world, month)
        hours.append(pool.weekly_hours)
    assert hours == [0.0, 30.0, 60.0, 90.0, 120.0, 120.0]

    def rounds(rollout: float) -> int:
        investment = spec("enterprise_solution_specialists", rollout_months=rollout)
        res = simulate(study_config(sellers=20, replications=2, org__segment_mix=ENTERPRISE_ONLY,
                                        investment=investment))
        return res.opportunities.overlay_rounds.sum()

    at_once, over_a_year = rounds(0.0), rounds(12.0)
    assert over_a_year < 0.8 * at_once, (over_a_year, at_once)
