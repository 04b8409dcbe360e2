"""The report's next steps: what a comparison's own figures call for, with the replications that
would likely settle what its intervals leave open."""

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd

from salessim.next_steps import next_steps
from salessim.stats import replications_to_settle, two_sided_t


def test_replications_to_settle_is_the_fewest_whose_interval_would_exclude_zero():
    for values in ([1.0, 2.0, 3.0], [1.0, -1.0, 2.0, 0.5], np.random.default_rng(7).normal(0.3, 1.0, 6)):
        v = np.asarray(values)
        ratio, n = v.std(ddof=1) / abs(v.mean()), replications_to_settle(values)
        assert two_sided_t(0.95, n - 1) * ratio / math.sqrt(n) < 1.0, values
        if n > 2:
            assert two_sided_t(0.95, n - 2) * ratio / math.sqrt(n - 1) >= 1.0, values
    assert replications_to_settle([1.0, 2.0, 3.0], 0.99) > replications_to_settle([1.0, 2.0, 3.0])
    # nothing to tell: one value, a mean of 0, or more than salessim runs
    assert replications_to_settle([5.0]) is None and replications_to_settle([1.0, -1.0]) is None
    assert replications_to_settle([1.0, -1.0, 1.0001, -0.9999]) is None


def _result(gains: dict[str, list[float]], investments=None, payback_high=9.0, window=24):
    """A comparison of scenarios whose replications return ``gains`` (the baseline 'base' 0)."""
    values = {s: pd.DataFrame({"bookings_usd": 0.0, "gross_margin_usd": g, "total_cost_usd": 0.0})
              for s, g in {"base": [0.0] * len(next(iter(gains.values()))), **gains}.items()}
    rows = []
    for s, v in values.items():
        g = v.gross_margin_usd
        half = two_sided_t(0.95, len(g) - 1) * g.std(ddof=1) / math.sqrt(len(g))
        rows.append({"scenario": s, "baseline": s == "base", "net_gain_usd_per_year": g.mean(),
                     "net_gain_ci_low": g.mean() - half, "net_gain_ci_high": g.mean() + half,
                     "pairs": len(g), "payback_months_ci_high": payback_high, "window_months": window})
    scenarios = pd.DataFrame(rows).sort_values("net_gain_usd_per_year", ascending=False)
    sim = SimpleNamespace(years=3.0, warmup_months=6)
    jobs = [SimpleNamespace(scenario=s, cfg=SimpleNamespace(sim=sim, investment=(investments or {}).get(s, {})))
            for s in values]
    return SimpleNamespace(scenarios=scenarios, values=values, jobs=jobs, baseline=jobs[0], rank_by="net_gain")


def test_what_is_settled_calls_for_nothing_but_what_is_open_calls_for_its_replications():
    settled = _result({"a": [10.0, 11.0, 12.0], "b": [1.0, 2.0, 1.5], "c": [0.5, 1.0, 0.8]})
    assert next_steps(settled) == []  # no investment, every lead settled, paid back in the window
    open_ = next_steps(_result({"a": [3.0, -1.0, 4.0], "b": [2.0, 0.0, 1.0], "c": [0.0, 0.5, 0.2]}))
    pays, apart = open_
    assert pays.startswith("Settle whether a, first by net gain, pays at all: over 3 replications, its net "
                           "gain's 95% interval includes 0. About ")
    needed = replications_to_settle([3.0, -1.0, 4.0])
    assert f"About {needed} replications would likely settle it" in pays and 3 < needed <= 100
    assert apart.startswith("Tell a apart from the 2 scenarios its net gain cannot yet be told from.")
    assert f"b, about {replications_to_settle([1.0, -1.0, 3.0])}" in apart


def test_a_difference_too_small_to_settle_is_said_to_be_one():
    steps = next_steps(_result({"a": [5.0, 6.0, 7.0], "b": [4.9, 6.1, 6.95], "c": [0.0, 0.1, 0.2]}))
    apart, = steps
    assert "b, too close to settle (about " in apart and "c, about" not in apart
    assert apart.endswith("Treat that one too close to settle as equal to it on net gain, and choose by "
                          "what else sets them apart.")


def test_the_first_investment_is_to_be_tested_at_a_smaller_effect_and_seen_to_pay_back():
    crm = {"a": {"crm": {"kind": "tools"}}, "b": {"p": {"kind": "compensation"}}}
    gains = {"a": [10.0, 11.0, 12.0], "b": [1.0, 2.0, 1.5], "c": [0.5, 1.0, 0.8]}
    test, = next_steps(_result(gains, crm))
    assert "rerun it at half and three quarters of its effect, at the same cost (investment.crm.effect_scale" \
           "=0.5,0.75, added to its settings)" in test
    plan = next_steps(_result({**gains, "b": [20.0, 21.0, 22.0]}, crm))[0]
    assert "over the values you find plausible for its settings" in plan  # a plan has no effect_scale
    *_, later = next_steps(_result(gains, payback_high=math.nan))
    assert later.startswith("Measure long enough to see a pay back: its 95% band does not stay above 0 "
                            "within the 24 months measured.")
