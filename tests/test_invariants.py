"""The books balance in every replication (the same checks also run inside every simulation)."""

import gc
import weakref
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
import simpy

from salessim.model import invariants
from salessim.model.simulation import _cyclic_gc_paused, run_replication
from tests.conftest import simulate


def test_each_opportunity_has_exactly_one_outcome_or_is_open(tiny):
    opp = simulate(tiny).opportunities
    assert set(opp.outcome) <= {"won", "lost_competitor", "no_decision", "open"}
    assert not opp.duplicated(["replication", "opportunity_id"]).any()
    assert (opp.outcome == "open").sum() > 0
    assert opp.loc[opp.outcome != "open", "closed_day"].notna().all()


def test_bookings_equal_the_sum_of_won_value(tiny):
    res = simulate(tiny)
    opp, summary = res.opportunities, res.summary
    for r, s in summary.groupby("replication"):
        o = opp[(opp.replication == r) & (opp.outcome == "won")]
        in_window = o[o.closed_day >= _warmup_day(tiny)]
        assert np.isclose(in_window.value_usd.sum(), s.bookings_usd.iloc[0])


def test_segment_bookings_add_up_and_a_segment_without_sellers_books_zero(tiny):
    """Every configured segment has its columns, so a scenario that gives one up shows its loss."""
    tiny.org.segment_mix = {"smb": 0.5, "mid_market": 0.5, "enterprise": 0.0}
    summary = simulate(tiny).summary
    segments = summary[[f"bookings_usd_{seg}" for seg in ("smb", "mid_market", "enterprise")]]
    assert np.allclose(segments.sum(axis=1), summary.bookings_usd)
    assert (summary.bookings_usd_enterprise == 0.0).all() and summary.win_rate_enterprise.isna().all()


def _warmup_day(cfg):
    from salessim.model.calendar import Calendar
    cal = Calendar(cfg.sim.years)
    return cal.month_start_day(cfg.sim.warmup_months)


def test_headcount_is_start_plus_hires_minus_exits(tiny):
    k = simulate(tiny).kpis
    for _, g in k.groupby("replication"):
        assert g.headcount_end.iloc[-1] == g.headcount_start.iloc[0] + g.hires.sum() - g.exits.sum()
        assert (g.headcount_end + g.vacancies_end == 20).all()


def test_hours_never_exceed_capacity_and_coaching_reconciles(tiny):
    t = run_replication(tiny, 0).tables
    s, f = t["sellers"], t["fsm_months"]
    used = s.filter(like="hours_").drop(columns="hours_capacity").sum(axis=1)
    assert (used <= s.hours_capacity + 1e-6).all()
    assert np.isclose(f.hours_people_coaching.sum(), s.hours_coached.sum())


def test_invariant_check_catches_a_broken_table(tiny):
    t = run_replication(tiny, 0).tables
    t["sellers"].loc[t["sellers"].index[0], "bookings_usd"] += 1000.0
    try:
        invariants.check(t)
    except invariants.InvariantError as e:
        assert "bookings" in str(e)
    else:
        raise AssertionError("a broken table passed the invariant check")


def test_an_fsm_cannot_work_more_hours_than_its_weeks_hold(tiny):
    """Escalation hours taken without leaving the FSM's budget (a mutation a probe tried) let an
    FSM-month reach 454 hours of 250: every FSM-month stays within its weeks, and a broken one
    is caught."""
    from salessim.model.calendar import Calendar

    rep = run_replication(tiny, 0)
    fsm, cal = rep.tables["fsm_months"], Calendar(tiny.sim.years)
    limit = tiny.fsm.weekly_hours * fsm.month.map(cal.weeks_in_month)
    assert (fsm.hours_total <= limit + 1e-6).all() and (fsm.hours_total > 0.9 * limit).mean() > 0.5
    fsm.loc[fsm.index[0], "hours_business"] += 300.0
    fsm.loc[fsm.index[0], "hours_total"] += 300.0
    with pytest.raises(invariants.InvariantError, match="FSM-month"):
        invariants.check(rep.tables, tiny.fsm.weekly_hours, cal.weeks_in_month)


@contextmanager
def _cyclic_collector_paused():
    """As model/simulation.py runs a replication, from a collected start."""
    gc.collect()
    with _cyclic_gc_paused():
        yield


def _every_lever_and_trace():
    from tests.conftest import study_config
    from tests.test_levers import COMBINABLE, spec

    investment = {}
    for name in COMBINABLE:
        investment.update(spec(name))
    return study_config(sellers=20, years=2.0, replications=1, sim__trace=True, investment=investment)


def _started_world(cfg):
    from salessim.model.organization import World
    from salessim.rng import Streams

    env = simpy.Environment()
    world = World(cfg, Streams(1, 0), env)
    world.start()
    return env, world


def test_a_run_creates_no_reference_cycles_as_it_goes():
    """The cyclic collector is paused while the clock runs (model/simulation.py); that is safe only
    because nothing a run creates as it goes forms a reference cycle: with the world alive, the
    collector finds no garbage, with every lever on and tracing on."""
    cfg = _every_lever_and_trace()
    with _cyclic_collector_paused():
        env, world = _started_world(cfg)
        found = []
        for day in (100.0, 300.0, 600.0):
            env.run(until=day)
            found.append(gc.collect())
        assert len(world.rec.opportunities) > 500
    assert found == [0, 0, 0]


def test_a_world_keeps_few_enough_attributes_for_fast_reads():
    """Python 3.11 shares an instance's attribute keys with its class, and reads them on a fast
    path, for fewer than 30 attributes; the journeys read the world's at every step. A 30th made
    a default year 0.6% more instructions (1,975.3 M -> 1,986.9 M): keep what a month works out
    in the month, not on the world. Every lever on, at the end of a run."""
    from salessim.model.organization import ATTRIBUTES_AT_MOST

    env, world = _started_world(_every_lever_and_trace())
    env.run(until=730.0)
    assert len(vars(world)) <= ATTRIBUTES_AT_MOST, sorted(vars(world))


def test_the_config_sections_journeys_read_keep_few_enough_attributes():
    """As the world: the journeys read market, its segments, fsm and enablement at every step.
    Seven more keys on market (33) cost 0.16% of a default year's instructions; they went to
    market.forms."""
    from salessim.model.organization import ATTRIBUTES_AT_MOST

    cfg = _every_lever_and_trace()
    for section in (cfg.market, *cfg.market.segments.values(), cfg.market.forms, cfg.fsm, cfg.enablement,
                    cfg.org, cfg.coverage, cfg.compensation, cfg.tools):
        assert len(vars(section)) <= ATTRIBUTES_AT_MOST, (type(section).__name__, len(vars(section)))


def test_a_released_world_is_freed_by_reference_counting():
    """A finished replication breaks its own cycles (World.release), so the whole world -- queued
    events, suspended journeys, work waiting for hours -- is freed the moment it is dropped, with
    no pass of the cyclic collector over its objects."""
    cfg = _every_lever_and_trace()
    with _cyclic_collector_paused():
        env, world = _started_world(cfg)
        # Mid-run, on the eve of a week start (day 399): events queued, journeys suspended, and
        # work waiting for the next refill of hours (at a week start the refill may serve it all).
        env.run(until=398.5)
        waiting = sum(len(t.bank._queue) for t in world.territories)
        queued = len(env._queue)
        world.release()
        freed = weakref.ref(world)
        del world
        assert freed() is None
    assert queued > 100 and waiting > 0


def test_an_interrupted_run_is_freed_before_the_collector_resumes():
    """Ctrl-C mid-run: the world is released and freed by reference counting while the
    collector is still paused, so no pass over its objects delays the end of the command."""
    from salessim.model import organization

    worlds = []

    def ctrl_c():  # told at each month's close, inside the run, as a progress bar is
        raise KeyboardInterrupt

    born = organization.World.__init__

    def remember(self, *args, **kwargs):
        born(self, *args, **kwargs)
        worlds.append(weakref.ref(self))

    gc.collect()
    gc.disable()  # as it is once the run has paused it; a pass here would free the world anyway
    try:
        organization.World.__init__ = remember
        with pytest.raises(KeyboardInterrupt) as stopped:
            run_replication(_every_lever_and_trace(), 0, on_month=ctrl_c)
        assert worlds and worlds[0]() is None
        # Where it stopped is kept, for finding a run that hangs.
        assert stopped.value.__notes__ == [f"interrupted at {__file__}:{ctrl_c.__code__.co_firstlineno + 1} "
                                           "in ctrl_c"]
    finally:
        organization.World.__init__ = born
        gc.enable()


def test_tables_take_their_dtypes_from_the_schema_not_the_values():
    from salessim.model.records import KPI_SCHEMA, OPPORTUNITY_SCHEMA, TEXT, frame
    empty = frame([], OPPORTUNITY_SCHEMA)
    assert len(empty) == 0
    for (name, kind), dtype in zip(OPPORTUNITY_SCHEMA, empty.dtypes):
        # Text is pandas' string dtype, whose name differs between pandas 2 and 3.
        assert pd.api.types.is_string_dtype(dtype) if kind == TEXT else str(dtype) == kind, name
    # An integer where a float belongs is a float (an empty pipeline sums to 0, an int).
    row = [0] * len(KPI_SCHEMA)
    row[1] = False
    assert frame([tuple(row)], KPI_SCHEMA).open_pipeline_usd_end.dtype == np.float64
    # A float in an integer column would be truncated by numpy: it is a model bug, and it says so.
    row[0] = 1.5
    with pytest.raises(TypeError, match="'month' holds float64"):
        frame([tuple(row)], KPI_SCHEMA)
    row[0] = 1
    with pytest.raises(ValueError):  # a row one field short: no column may silently go missing
        frame([tuple(row), tuple(row[:-1])], KPI_SCHEMA)


def test_summary_figures_are_those_of_the_tables_they_are_documented_on():
    """docs/results.md: the unworked-lead share counts leads by the month they arrived (a warm-up
    lead that goes cold after it is not the window's), the mean buying group counts stakeholders
    who joined later too, a segment's median cycle runs from the opportunity's creation to its
    win, and each part of the cost is its own kpis column. An overloaded mid-market, so that
    leads wait and go cold."""
    from salessim.model.calendar import Calendar
    from tests.conftest import mid_market_only

    cfg = mid_market_only(sellers=20, years=1.0, replications=2,
                          market__segments__mid_market__inbound_leads_per_account_year=2.0)
    res = simulate(cfg)
    warmup_day = Calendar(cfg.sim.years).month_start_day(cfg.sim.warmup_months)
    for r, s in res.summary.set_index("replication").iterrows():
        k = res.kpis[(res.kpis.replication == r) & (res.kpis.month >= cfg.sim.warmup_months)]
        assert k.leads_unworked_by_arrival.sum() != k.leads_unworked.sum()
        assert s.leads_unworked_share == pytest.approx(k.leads_unworked_by_arrival.sum() / k.leads.sum())
        o = res.opportunities[res.opportunities.replication == r]
        created = o[o.created_day >= warmup_day]
        assert created.stakeholders_added.sum() > 0
        assert s.mean_buying_group == pytest.approx((created.n_stakeholders + created.stakeholders_added).mean())
        won = o[(o.outcome == "won") & (o.closed_day >= warmup_day)]
        assert (won.created_day > won.lead_day).any()
        assert s.median_cycle_days_mid_market == pytest.approx((won.closed_day - won.created_day).median())
        assert s.median_cycle_days_mid_market == pytest.approx(s.median_cycle_days)
        for part, column in (("seller_base_cost_usd", "cost_seller_base_usd"),
                             ("commission_cost_usd", "cost_seller_variable_usd"),
                             ("fsm_cost_usd", "cost_fsm_usd"), ("hiring_cost_usd", "cost_hiring_usd"),
                             ("tools_cost_usd", "cost_tools_usd")):
            assert s[part] == pytest.approx(k[column].sum()), part


def test_quota_attainment_counts_whole_quota_years_of_sellers_in_their_seat_throughout():
    """Quota years are 12-month blocks from the end of the warm-up; a seller counts in a block
    they were in the seat for all of it, and months after the last whole block count in none."""
    from salessim.summary import quota_attainment_share

    rows = []
    for seller, months, bookings in ((1, range(6, 36), 120.0),   # in both years, above quota
                                     (2, range(6, 36), 80.0),    # in both years, below
                                     (3, range(12, 36), 200.0),  # hired into year 1: judged on year 2
                                     (4, range(6, 15), 150.0)):  # left during year 1: never judged
        rows += [(seller, m, bookings, 100.0, "smb") for m in months]
    sellers = pd.DataFrame(rows, columns=["seller_id", "month", "bookings_usd", "quota_usd", "segment"])
    # year 1 (months 6-17): 1 of sellers 1 and 2; year 2 (18-29): 2 of sellers 1, 2 and 3
    assert quota_attainment_share(sellers, 6, 29) == pytest.approx(3 / 5)
    assert quota_attainment_share(sellers, 6, 35) == pytest.approx(3 / 5)  # 30-35: no whole year
    assert quota_attainment_share(sellers, 6, 11) == pytest.approx(2 / 3)  # shorter: one block
    # the mean attainment over the same seller-years: 1.2 and 0.8 in year 1; 1.2, 0.8 and 2.0 in year 2
    from salessim.summary import _mean_attainment, quota_years
    assert _mean_attainment(quota_years(sellers, 6, 29)) == pytest.approx((1.2 + 0.8 + 1.2 + 0.8 + 2.0) / 5)
    # a seller-year whose quota is 0 has no attainment: left out, not infinite
    free = pd.concat([sellers, pd.DataFrame([(5, m, 50.0, 0.0, "smb") for m in range(6, 18)],
                                            columns=sellers.columns)])
    assert _mean_attainment(quota_years(free, 6, 17)) == pytest.approx((1.2 + 0.8) / 2)


def test_an_unworked_lead_counts_in_the_month_it_went_cold_and_in_the_month_it_arrived():
    from salessim.model.calendar import Calendar
    from salessim.model.records import Recorder

    rec = Recorder(Calendar(1.0), trace=False)
    rec.lead_unworked(lead_day=20.0, found_day=41.0)  # arrived in month 0 (weeks 0-3), cold in 1
    assert rec.unworked_by_month[:3] == [0, 1, 0]
    assert rec.unworked_by_arrival[:3] == [1, 0, 0]


def test_tool_licences_are_paid_for_every_seat_vacant_or_filled(tiny):
    """cost_tools_usd is every seat's licence (tools.cost_per_seller_year_usd) for the month's
    weeks: a vacant seat keeps its tools."""
    from salessim.model.calendar import Calendar

    k = simulate(tiny).kpis
    assert k.vacancies_end.sum() > 0
    weeks = k.month.map(Calendar(tiny.sim.years).weeks_in_month)
    expected = tiny.org.sellers * tiny.tools.cost_per_seller_year_usd * weeks / 52
    np.testing.assert_allclose(k.cost_tools_usd, expected, rtol=1e-12)


def test_hours_a_seller_spends_add_up_to_the_capacity():
    """Every hour of capacity is spent on something: opportunity hours taken from the bank when a
    week's refill serves waiting work count like the others. An overloaded mid-market."""
    from tests.conftest import mid_market_only

    cfg = mid_market_only(sellers=20, years=1.0, replications=1,
                          market__segments__mid_market__inbound_leads_per_account_year=2.0)
    s = run_replication(cfg, 0).tables["sellers"]
    spent = s.filter(like="hours_").drop(columns="hours_capacity").sum(axis=1)
    np.testing.assert_allclose(spent, s.hours_capacity, rtol=1e-9)
