"""The books balance in every replication (the same checks also run inside every simulation)."""

import numpy as np

from salessim.model import invariants
from salessim.model.simulation import run_replication
from salessim.runner import run_scenario


def test_each_opportunity_has_exactly_one_outcome_or_is_open(tiny):
    opp = run_scenario(tiny, progress=False).opportunities
    assert set(opp.outcome) <= {"won", "lost_competitor", "no_decision", "open"}
    assert not opp.duplicated(["replication", "opportunity_id"]).any()
    assert (opp.outcome == "open").sum() > 0
    assert opp.loc[opp.outcome != "open", "closed_day"].notna().all()


def test_bookings_equal_the_sum_of_won_value(tiny):
    res = run_scenario(tiny, progress=False)
    opp, summary = res.opportunities, res.summary
    for r, s in summary.groupby("replication"):
        o = opp[(opp.replication == r) & (opp.outcome == "won")]
        in_window = o[o.closed_day >= _warmup_day(tiny)]
        assert np.isclose(in_window.value_usd.sum(), s.bookings_usd.iloc[0])


def _warmup_day(cfg):
    from salessim.model.calendar import Calendar
    cal = Calendar(cfg.sim.years)
    return cal.month_start_day(cfg.sim.warmup_months)


def test_headcount_is_start_plus_hires_minus_exits(tiny):
    k = run_scenario(tiny, progress=False).kpis
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
