"""The report's next steps: what a comparison's own figures call for, with the replications that
would likely settle what its intervals leave open."""

import html
import math
import os
import re
import shlex
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml

from salessim.config import Config
from salessim.next_commands import compare_command, replaced, run_commands, sweep_command
from salessim.next_steps import next_steps as steps_of
from salessim.stats import replications_to_settle, t_quantile, two_sided_t
from tests.commands import run_module
from tests.conftest import run_cli


def test_replications_to_settle_is_the_fewest_whose_interval_would_exclude_zero():
    for values in ([1.0, 2.0, 3.0], [1.0, -1.0, 2.0, 0.5], np.random.default_rng(7).normal(0.3, 1.0, 6)):
        v = np.asarray(values)
        ratio, n = v.std(ddof=1) / abs(v.mean()), replications_to_settle(values)

        def reach(k):  # a paired t-test's: the interval clears 0 four times in five at this size
            return (two_sided_t(0.95, k - 1) + t_quantile(0.8, k - 1)) * ratio / math.sqrt(k)
        assert reach(n) < 1.0 <= reach(n - 1), values
    assert replications_to_settle([1.0, 2.0, 3.0], 0.99) > replications_to_settle([1.0, 2.0, 3.0])
    # nothing to tell: one value, a mean of 0, or more than salessim runs
    assert replications_to_settle([5.0]) is None and replications_to_settle([1.0, -1.0]) is None
    assert replications_to_settle([1.0, -1.0, 1.0001, -0.9999]) is None


CONFIRM = "Confirm the answer with more replications"
# planned from fewer than 5 replications, a count is said to be a first guess (a walk ran a step's 37
# replications and found the difference still open, a third of the one measured over 3)
ROUGH = (" Measured over 3 replications, a difference and its spread are rough, so take the replications "
         "planned here as a first guess: the rerun's own comparison plans again from its own figures.")


def next_steps(result, confirm: bool = False) -> list[str]:
    """What the steps say (their commands are tested below); without the step confirming the
    answer with more replications, which every result of 3 replications here has, unless
    ``confirm`` (test_few_replications_are_confirmed_where_nothing_else_reruns_them)."""
    said = [step.said for step in steps_of(result)]
    return said if confirm else [x for x in said if not x.startswith(CONFIRM)]


def _result(gains: dict[str, list[float]], investments=None, payback_high=9.0, window=24, seeds=(1,),
            **more):
    """A comparison of scenarios whose replications return ``gains`` (the baseline 'base' 0)."""
    values = {s: pd.DataFrame({"bookings_usd": 0.0, "gross_margin_usd": g, "total_cost_usd": 0.0})
              for s, g in {"base": [0.0] * len(next(iter(gains.values()))), **gains}.items()}
    confidence = more.get("confidence", 0.95)
    rows = []
    for s, v in values.items():
        g = v.gross_margin_usd
        half = two_sided_t(confidence, len(g) - 1) * g.std(ddof=1) / math.sqrt(len(g))
        rows.append({"scenario": s, "baseline": s == "base", "net_gain_usd_per_year": g.mean(),
                     "net_gain_ci_low": g.mean() - half, "net_gain_ci_high": g.mean() + half,
                     "pairs": len(g), "payback_months_ci_high": payback_high, "window_months": window})
    scenarios = pd.DataFrame(rows).sort_values("net_gain_usd_per_year", ascending=False)
    jobs = []
    for s in values:
        cfg = Config()
        cfg.investment = (investments or {}).get(s, {})
        jobs.append(SimpleNamespace(scenario=s, manifest={"seeds": list(seeds)}, cfg=cfg, pooled=False))
    return SimpleNamespace(scenarios=scenarios, values=values, jobs=jobs, baseline=jobs[0],
                           **{"rank_by": "net_gain", **more})


def test_what_is_settled_calls_for_nothing_but_what_is_open_calls_for_its_replications():
    settled = _result({"a": [10.0, 11.0, 12.0], "b": [1.0, 2.0, 1.5], "c": [0.5, 1.0, 0.8]})
    assert next_steps(settled) == []  # no investment, every lead settled, paid back in the window
    gains = {"a": [3.0, -1.0, 4.0], "b": [2.0, 0.0, 1.0], "c": [0.0, 0.5, 0.2]}
    pays, apart = next_steps(_result(gains))
    needed = replications_to_settle([3.0, -1.0, 4.0])
    assert pays == ("Settle whether a pays at all: over 3 replications, its net gain's 95% interval "
                    f"includes 0. About {needed} replications would likely settle its net gain (80% of the "
                    f"time, were it and its spread as measured; sim.replications={needed}).{ROUGH}")
    assert 3 < needed <= 100
    assert apart.startswith("Tell a apart from the 2 scenarios its net gain cannot yet be told from. The "
                            "replications that would likely settle each difference (80% of the time")
    assert f"b, about {replications_to_settle([1.0, -1.0, 3.0])}" in apart
    assert ROUGH not in apart  # said once, by the step before it
    # at another confidence, other intervals and other counts
    at_90 = next_steps(_result(gains, confidence=0.9))[0]
    assert "its net gain's 90% interval" in at_90
    assert f"About {replications_to_settle([3.0, -1.0, 4.0], 0.9)} replications" in at_90
    # a scenario pooled over seeds: each seed's job runs sim.replications
    pooled = next_steps(_result(gains, seeds=(1, 2)))[0]
    assert f"sim.replications={math.ceil(needed / 2)} on each of its 2 seeds" in pooled
    # ranked by another figure, the steps say which scenario they are about
    assert next_steps(_result(gains, rank_by="bookings"))[0].startswith(
        "These steps are for a, the first scenario by net gain per year (the ranking above is by another "
        "figure). Settle whether a pays at all")


def test_few_replications_are_confirmed_where_nothing_else_reruns_them(tmp_path):
    """A walk was told to rerun with 10 replications before relying on the answer, and given
    commands at 3 alone: with fewer than 5, and no step asking for more already, the first, the
    next and the baseline are rerun at 10."""
    settled = {"a": [10.0, 11.0, 12.0], "b": [1.0, 2.0, 1.5], "c": [0.5, 1.0, 0.8]}
    confirm, = next_steps(_result(settled), confirm=True)
    assert confirm == (f"{CONFIRM}: it rests on 3 replications, whose spread is too uncertain for the "
                       "width of its intervals to be trusted. Rerun a, the baseline and the next by net "
                       "gain, b, with sim.replications=10, and compare them.")
    # the steps after it run at these replications; its own comparison offers them at 10 (a walk)
    first, *later = next_steps(_result(settled, {"a": {"crm": {"kind": "tools"}}}), confirm=True)
    assert first.startswith(confirm) and later, later
    assert first.endswith("compare them. Run it before the steps below: they run at 3 replications, like "
                          "the runs compared here, and the confirmation's own comparison gives its own "
                          "next steps at sim.replications=10, for whichever scenario then comes first.")
    s = tmp_path / "s"
    step, = steps_of(_with_jobs(_result(settled), s))
    assert step.commands == (f"salessim -m 'investment=[],[a],[b]' org=small sim.replications=10 "
                             "'experiment_question=\"Does a stay first by net gain ahead of b at "
                             f"sim.replications=10?\"' hydra.sweep.dir={s}_replications",
                             f"salessim-compare {s}_replications --baseline {s}_replications/0")
    # and those the second cannot be told from: who comes second is left open (a walk)
    open_second, = next_steps(_result({**settled, "c": [1.5, 1.2, 1.6]}), confirm=True)
    assert ("Rerun a, the baseline, the next by net gain, b, and c, whose net gain cannot yet be told from "
            "b's, with sim.replications=10") in open_second, open_second
    many = {k: g * 2 for k, g in settled.items()}  # 6 replications: enough
    assert next_steps(_result(many), confirm=True) == []
    # nothing to confirm where the first is the baseline's simulation; the next is not its twin
    assert next_steps(_result({"same": [0.0] * 3, "worse": [-1.0, -2.0, -1.5]}), confirm=True) == []
    twins, = next_steps(_result({"a": [10.0, 11.0, 12.0], "twin": [10.0, 11.0, 12.0],
                                 "c": [1.0, 2.0, 1.5]}), confirm=True)
    assert "the next by net gain, c, with" in twins, twins
    # a step that reruns already (whether the first pays at all) says how many: no second one
    unsure = next_steps(_result({"a": [3.0, -1.0, 4.0], "b": [1.0, 1.2, 1.1]}), confirm=True)
    assert not any(x.startswith(CONFIRM) for x in unsure), unsure


def test_replications_plan_for_most_runs_to_settle_a_difference_that_is_there():
    """Sized at the measured difference alone, an interval clears 0 about half the time."""
    rng = np.random.default_rng(3)
    n = replications_to_settle([1.0, 2.5, 0.5, 2.0])
    true_mean, spread = np.mean([1.0, 2.5, 0.5, 2.0]), np.std([1.0, 2.5, 0.5, 2.0], ddof=1)
    runs = rng.normal(true_mean, spread, (4000, n))
    half = two_sided_t(0.95, n - 1) * runs.std(axis=1, ddof=1) / math.sqrt(n)
    assert 0.75 < np.mean(runs.mean(axis=1) - half > 0) < 0.9


def test_a_difference_out_of_reach_says_how_narrow_its_interval_would_get():
    thousands = {s: [g * 1e5 for g in gains] for s, gains in
                 {"a": [5.0, 6.0, 7.0], "b": [4.9, 6.1, 6.95], "c": [0.0, 0.1, 0.2]}.items()}
    apart, = next_steps(_result(thousands))
    width = two_sided_t(0.95, 99) * np.std([10e3, -10e3, 5e3], ddof=1) / 10
    assert f"b, more than 100 (at 100, its interval would be about ±{width:,.0f} a year, beside the " \
           "+1,667 measured)" in apart, apart
    assert "c, about" not in apart  # settled behind: not in contention
    assert "leave out" not in apart  # no rerun at all: nothing is left out of one
    # beside one within reach, the rerun leaves it out, and says so (a walk read the rerun's
    # settled lead over the others as settled over the runner-up it had left out)
    mixed = {**thousands, "d": [3e5, 7e5, 4e5]}
    apart, = next_steps(_result(mixed))
    assert f"d, about {replications_to_settle([2e5, -1e5, 3e5])}" in apart, apart
    assert apart.endswith("Of them, settled above the baseline on its own: b." + ROUGH), apart  # no commands
    # none within reach: no count to take as a guess
    assert ROUGH not in next_steps(_result(thousands))[0]
    assert ROUGH not in next_steps(_result({k: v * 2 for k, v in mixed.items()}))[0]  # 6 replications


def test_the_rerun_to_tell_apart_runs_those_within_reach_alone(tmp_path):
    gains = {s: [g * 1e5 for g in v] for s, v in {"a": [5.0, 6.0, 7.0], "b": [4.9, 6.1, 6.95],
                                                   "d": [3.0, 7.0, 4.0]}.items()}
    step, = steps_of(_with_jobs(_result(gains), tmp_path / "s"))
    assert "'investment=[],[a],[d]'" in step.commands[0] and "[b]" not in step.commands[0], step.commands
    # and says what they leave out (a walk read the rerun's settled lead over the others as settled
    # over the runner-up it had left out without a word)
    assert step.said.endswith(" Its commands leave out b: not even 100 replications would likely tell "
                              "it from a, whose lead over it stays as open as here, for cost, risk or time "
                              "to pay back to decide." + ROUGH), step.said


def test_a_scenario_the_same_as_another_is_not_to_be_settled_or_told_apart():
    """A span of control making the baseline's teams was asked to settle whether it pays at all,
    '±0 a year, beside the 0 measured': the same simulation has nothing to settle (a note says it
    is the same), nor has one identical to the first."""
    assert next_steps(_result({"same": [0.0, 0.0, 0.0], "worse": [-1.0, -2.0, -1.5]})) == []
    twins = next_steps(_result({"a": [5.0, 6.0, 7.0], "twin": [5.0, 6.0, 7.0], "c": [1.0, 1.2, 1.1]}))
    assert not any(step.startswith("Tell a apart") for step in twins), twins
    # one the same as the baseline, which the first's interval also cannot tell from: settling
    # whether the first pays at all is that step
    unsure = next_steps(_result({"a": [3.0, -1.0, 4.0], "same": [0.0, 0.0, 0.0]}))
    assert unsure[0].startswith("Settle whether a pays at all") and not any(
        step.startswith("Tell a apart") for step in unsure), unsure


def test_what_loses_money_or_stands_alone_is_said_as_such():
    crm = {"a": {"crm": {"kind": "tools"}}}
    lost, = next_steps(_result({"a": [-3.0, -2.0, -2.5], "b": [-5.0, -6.0, -5.5]}, crm))
    assert lost.startswith("Doing nothing does better: even the first by net gain, a, returns less than the "
                           "baseline, settled over 3 replications.")
    invests = {"base": {"p": {"kind": "compensation"}}, **crm}
    assert next_steps(_result({"a": [-3.0, -2.0, -2.5], "b": [-5.0, -6.0, -5.5]}, invests))[0].startswith(
        "Staying with the baseline does better")
    alone = next_steps(_result({"a": [10.0, 11.0, 12.0]}, crm))
    assert alone[0].endswith("If its net gain stays above zero, the choice does not hinge on the effect "
                             "sizes assumed.")


def test_the_first_investment_is_to_be_tested_at_a_smaller_effect_and_seen_to_pay_back():
    crm = {"a": {"crm": {"kind": "tools"}}, "b": {"p": {"kind": "compensation"}}}
    gains = {"a": [10.0, 11.0, 12.0], "b": [1.0, 2.0, 1.5], "c": [0.5, 1.0, 0.8]}
    test, together = next_steps(_result(gains, crm))
    assert together == ("Try the first two by net gain together, a with b (investment=[crm,p]): each was "
                        "measured alone, and their gains may add up, overlap or get in each other's way.")
    # not where the second invests in nothing, nor in a kind of which a scenario holds one
    assert len(next_steps(_result(gains, {"a": crm["a"]}))) == 1
    two_programmes = {"a": {"f": {"kind": "fsm_development"}}, "b": {"g": {"kind": "fsm_development"}}}
    assert len(next_steps(_result(gains, two_programmes))) == 1
    # nor what the model refuses to run at once: two coverage changes converting 1.5 of the seats
    seats = {"a": {"x": {"kind": "coverage", "convert_share": 1.0}},
             "b": {"y": {"kind": "coverage", "convert_share": 0.5}}}
    assert not any(step.startswith("Try") for step in next_steps(_result(gains, seats)))
    # nor one investment twice, at two prices (a walk was told to run a CRM with a copy of it priced
    # anew, whose hours saved the model then added up); another tool is tried
    crm_at = lambda cost, hours=4.0: {"kind": "tools", "admin_hours_saved": hours, "one_off_cost_usd": cost,
                                      "description": f"CRM at {cost}", "effect_scale": 1.0}
    priced = {"a": {"crm": crm_at(150e3)}, "b": {"crm_cheap": crm_at(60e3)}}
    assert not any(step.startswith("Try") for step in next_steps(_result(gains, priced)))
    other = {"a": {"crm": crm_at(150e3)}, "b": {"apps": crm_at(60e3, hours=2.0)}}
    assert any(step.startswith("Try") for step in next_steps(_result(gains, other)))
    # judged on the settings each ran with, defaults filled in (the manifest's), not as written: a
    # copy giving its kind and cost alone was paired with the CRM (a review)
    written = _result(gains, {"a": {"crm": crm_at(150e3)}, "b": {"crm_cheap": {"kind": "tools"}}})
    for job in written.jobs:
        job.manifest["investments"] = {name: crm_at(150e3 if name == "crm" else 60e3)
                                       for name in job.cfg.investment}
    assert not any(step.startswith("Try") for step in next_steps(written))
    # the baseline's own investments are in both, and so in the run together; one already run is not asked
    base_crm = {"base": crm["a"], "a": {**crm["a"], "f": {"kind": "fsm_development"}},
                "b": {**crm["a"], "p": {"kind": "compensation"}}}
    assert "(investment=[crm,f,p])" in next_steps(_result(gains, base_crm))[-1]
    ran = {**crm, "c": {"crm": {"kind": "tools"}, "p": {"kind": "compensation"}}}
    assert not any(step.startswith("Try") for step in next_steps(_result(gains, ran)))
    # nor a second run at another setting, whose run together would be at the first's (a sales-ops
    # walk's sweep of investments across spans of control paired the same two twice)
    apart = _result(gains, crm)
    next(j for j in apart.jobs if j.scenario == "b").cfg.fsm.span_of_control = 12.0
    assert not any(step.startswith("Try") for step in next_steps(apart))
    assert "rerun it at half and three quarters of its effect, at the same cost (investment.crm.effect_scale" \
           "=0.5,0.75, added to its settings)" in test
    assert test.endswith("If its net gain stays above that of the next by net gain (b, +2 a year as "
                         "measured), the choice does not hinge on the effect sizes assumed.")
    plan = next_steps(_result({**gains, "b": [20.0, 21.0, 22.0]}, crm))[0]
    assert "over the values you find plausible for its settings" in plan  # a plan has no effect_scale
    *_, later = next_steps(_result(gains, payback_high=math.nan))
    assert later.startswith("Measure long enough to see a pay back: its 95% band does not stay above 0 "
                            "within the 24 months measured.")


def test_the_first_is_tried_also_with_those_the_second_cannot_be_told_from(tmp_path):
    """Ranks 2 and 3 at +4.15 M and +4.13 M a year: 'the first two together' chose the second on
    its point estimate. Those tied with the second are tried with the first too, one sweep for
    all; one settled behind the second is not."""
    kinds = {"a": {"crm": {"kind": "tools"}}, "b": {"p": {"kind": "compensation"}},
             "c": {"q": {"kind": "content"}}, "d": {"r": {"kind": "training"}}}
    tenths = {"a": [10.0, 11.0, 12.0], "b": [2.0, 3.0, 2.5], "c": [2.1, 2.8, 2.4], "d": [0.1, 0.2, 0.15]}
    gains = {s: [1e5 * g for g in v] for s, v in tenths.items()}
    *_, together = steps_of(_with_jobs(_result(gains, kinds), tmp_path / "s"))
    lead = np.subtract(gains["b"], gains["c"])
    half = two_sided_t(0.95, 2) * lead.std(ddof=1) / math.sqrt(3)
    assert together.said == (
        "Try the first by net gain, a, together with the second, b, and with c, whose net gain cannot yet be "
        "told from the second's: investment=[crm,p] and investment=[crm,q]. The second's lead, paired [95% "
        f"CI], a year: b minus c {lead.mean():+,.0f} [{lead.mean() - half:+,.0f}, "
        f"{lead.mean() + half:+,.0f}]. Each was measured alone, and their gains may add up, overlap or get "
        "in each other's way.")
    s = tmp_path / "s"
    # its question, which its comparison answers (together.together_said)
    assert together.commands[0] == (f"salessim -m 'investment=[crm,p],[crm,q]' org=small "
                                    "'experiment_question=\"Do investment=[crm,p] and investment=[crm,q] "
                                    "gain more than their investments alone, added up?\"' "
                                    f"hydra.sweep.dir={s}_together")
    # a tie the model cannot run with the first is left out; the second's alone is as before
    clash = {**kinds, "a": {"g": {"kind": "fsm_development"}}, "c": {"f": {"kind": "fsm_development"}}}
    alone = steps_of(_with_jobs(_result(gains, clash), tmp_path / "t"))[-1]
    assert alone.said.startswith("Try the first two by net gain together, a with b (investment=[g,p])")


def test_a_budget_tries_the_first_with_the_ties_that_fit_and_says_what_does_not(tmp_path):
    """--budget 300k: the first with the second cost 306,667 in their first year, and the step had
    vanished without a word; the first is tried with the ties that fit, and the pair over it said."""
    kinds = {"a": {"crm": {"kind": "tools"}}, "b": {"p": {"kind": "compensation"}},
             "c": {"q": {"kind": "content"}}}
    gains = {"a": [10e5, 11e5, 12e5], "b": [2e5, 3e5, 2.5e5], "c": [2.1e5, 2.8e5, 2.4e5]}
    fees = {"base": 0.0, "a": 2e5, "b": 1.5e5, "c": 5e4}

    def budgeted(budget, sweep=None):
        result = _result(gains, kinds)
        result.scenarios = result.scenarios.assign(
            first_year_investment_usd=result.scenarios.scenario.map(fees),
            incremental_investment_usd_per_year=result.scenarios.scenario.map(fees))
        result.budget = budget
        return next_steps(result) if sweep is None else steps_of(_with_jobs(result, sweep))

    *_, tried = budgeted(3e5)
    assert tried.startswith("Try the first by net gain, a, together with c, whose net gain cannot yet be "
                            "told from the second's, b: investment=[crm,q]. a with b (investment=[crm,p]) "
                            "would cost about 350,000 USD in their first 12 months, over the budget of "
                            "300,000 USD (--budget)."), tried
    *_, out = budgeted(2.1e5)
    assert out.startswith("Running the first two by net gain together is out of reach: a with b "
                          "(investment=[crm,p]) would cost about 350,000 USD"), out
    assert out.endswith("No other scenario with a net gain above zero fits beside a within it. Each was "
                        "measured alone, so whether their gains add up is left open."), out
    assert budgeted(4e5)[-1].startswith(
        "Try the first by net gain, a, together with the second, b, and with c")

    # A new user's walk: out of reach, and nothing offered within the budget. A cheaper scenario
    # with a net gain, settled behind the second (so no tie), is offered with the first; one that
    # loses money is not, nor one the budget cannot hold beside the first.
    kinds["d"], gains["d"], fees["d"] = {"r": {"kind": "training"}}, [5e4, 6e4, 5.5e4], 5e3
    *_, cheaper = budgeted(2.1e5)
    assert cheaper == ("Running the first two by net gain together is out of reach: a with b "
                       "(investment=[crm,p]) would cost about 350,000 USD in their first 12 months, over the "
                       "budget of 210,000 USD (--budget). Within it, try a with d (investment=[crm,r]), the "
                       "first after them by net gain whose first 12 months fit beside a's (about 205,000 USD "
                       "together): each was measured alone, and their gains may add up, overlap or get in "
                       "each other's way."), cheaper
    ran = tmp_path / "s"
    assert budgeted(2.1e5, ran)[-1].commands[0] == (
        "salessim -m 'investment=[crm,r]' org=small 'experiment_question=\"Does "
        "investment=[crm,r] gain more than its investments alone, added up?\"' "
        f"hydra.sweep.dir={ran}_together")
    assert budgeted(2.04e5)[-1].endswith("is left open.")
    gains["d"] = [-5e4, -6e4, -5.5e4]
    assert budgeted(2.1e5)[-1].endswith("is left open.")


def _with_jobs(result, sweep: Path, searched=(), **overrides):
    """``result`` as a comparison of the sweep ``sweep`` whose jobs recorded ``overrides`` (by
    scenario; each scenario's own investment=[...] otherwise, beside org=small), run with the
    config folders ``searched`` besides salessim's own, as Hydra's record of each job says."""
    result.sweep = sweep
    for number, job in enumerate(result.jobs):
        job.path = result.sweep / str(number)
        own = "" if job.scenario == "base" else job.scenario
        job.overrides = overrides.get(job.scenario, [f"investment=[{own}]", "org=small"])
        sources = [{"path": "hydra.conf", "schema": "pkg", "provider": "hydra"},
                   {"path": "/salessim/configs", "schema": "file", "provider": "main"},
                   *({"path": str(p), "schema": "file", "provider": "command-line"} for p in searched)]
        (job.path / ".hydra").mkdir(parents=True, exist_ok=True)
        (job.path / ".hydra" / "hydra.yaml").write_text(yaml.safe_dump(
            {"hydra": {"job": {"config_name": "config"}, "runtime": {"config_sources": sources}}}))
    return result


def test_each_step_comes_with_the_commands_that_run_it(tmp_path):
    crm = {"a": {"crm": {"kind": "tools"}}, "b": {"p": {"kind": "compensation"}}}
    open_gains = {"a": [3.0, -1.0, 4.0], "b": [2.0, 0.0, 1.0], "c": [0.0, 0.5, 0.2]}
    s = tmp_path / "s"
    compared = _with_jobs(_result(open_gains, crm, payback_high=math.nan), s)
    pays, apart, scaled, together, later = steps_of(compared)
    needed = replications_to_settle([3.0, -1.0, 4.0])
    # more replications: the baseline too (its job 0, named as the comparison's baseline), at the count
    assert pays.commands == (
        f"salessim -m 'investment=[],[a]' org=small sim.replications={needed} "
        f"hydra.sweep.dir={s}_replications",
        f"salessim-compare {s}_replications --baseline {s}_replications/0")
    most = max(replications_to_settle(np.subtract([3.0, -1.0, 4.0], g))
               for g in ([2.0, 0.0, 1.0], [0.0, 0.5, 0.2]))
    assert apart.commands[0] == (f"salessim -m 'investment=[],[a],[b],[c]' org=small sim.replications={most} "
                                 f"hydra.sweep.dir={s}_apart")
    # a scaled effect is compared with the compared baseline's own folder, and with the next's own
    # run beside it (--with), which its question names
    asked = ("'experiment_question=\"Does a keep a net gain above that of b (set beside it) at half "
             "and three quarters of its effect?\"'")
    assert scaled.commands == (
        f"salessim -m 'investment=[a]' org=small investment.crm.effect_scale=0.5,0.75 {asked} "
        f"hydra.sweep.dir={s}_effect_scale",
        f"salessim-compare {s}_effect_scale --baseline {s}/0 --with {s}/2")
    assert "with the next's own run beside them (--with), paired as here" in scaled.said
    # a next pooled over several seeds' jobs is no one folder: the mark is its figure, as measured
    pooled = _with_jobs(_result(open_gains, crm, payback_high=math.nan), s)
    next(j for j in pooled.jobs if j.scenario == "b").pooled = True
    measured = steps_of(pooled)[2]
    assert "Does a keep a net gain above +1 a year (that of b, as measured)" in measured.commands[0]
    assert measured.commands[1] == f"salessim-compare {s}_effect_scale --baseline {s}/0"
    assert "beside them" not in measured.said
    assert "(salessim-compare SWEEP --baseline RUN_FOLDER)" not in scaled.said  # said where no command
    # the two together beside each alone and the baseline: a sweep that stands on its own
    # the two together alone: each alone, and the baseline, as run here, beside them (a walk found
    # half the sweep's time spent running them again)
    assert together.commands == (f"salessim -m 'investment=[crm,p]' org=small "
                                 "'experiment_question=\"Does investment=[crm,p] gain more than its "
                                 f"investments alone, added up?\"' hydra.sweep.dir={s}_together",
                                 f"salessim-compare {s}_together --baseline {s}/0 --with {s}/1 --with {s}/2")
    # where one alone cannot be set beside, paired (another seed), each is run again with the baseline
    apart_b = _with_jobs(_result(open_gains, crm, payback_high=math.nan), s)
    next(j for j in apart_b.jobs if j.scenario == "b").manifest = {"seeds": [2]}
    assert steps_of(apart_b)[3].commands[-1] == f"salessim-compare {s}_together --baseline {s}_together/0"
    # ... or other replications than the baseline's (a review)
    fewer_b = _with_jobs(_result(open_gains, crm, payback_high=math.nan), s)
    for job in fewer_b.jobs:
        job.summary = pd.DataFrame({"replication": [0, 1] if job.scenario == "b" else [0, 1, 2]})
    assert steps_of(fewer_b)[3].commands[-1] == f"salessim-compare {s}_together --baseline {s}_together/0"
    assert "(sim.years, here twice as long: 6)" in later.said  # Config's default horizon, 3 years
    assert later.commands == (f"salessim -m 'investment=[],[a]' org=small sim.years=6 "
                              f"hydra.sweep.dir={s}_years",
                              f"salessim-compare {s}_years --baseline {s}_years/0")
    # compared with the options the comparison was made with (its budget, its level)
    optioned = _with_jobs(_result(open_gains, crm, payback_high=math.nan), s)
    optioned.rank_by, optioned.confidence = "bookings", 0.9
    assert steps_of(optioned)[-1].commands[-1] == (f"salessim-compare {s}_years --baseline {s}_years/0 "
                                                   "--rank-by bookings --confidence 0.9")
    from salessim.next_steps import compare_options
    assert compare_options(SimpleNamespace(budget=4e5, discount_rate=0.08)) == [
        "--discount-rate", "0.08", "--budget", "400000"]
    # whole paths, whatever folder the comparison was made from
    assert steps_of(_with_jobs(_result(open_gains, crm), Path(os.path.relpath(s))))[2].commands == \
        scaled.commands
    # the config folders a job was run with (-cd DIR), and no run-control setting (sim.resume)
    mine = _with_jobs(_result(open_gains, crm), s, searched=[tmp_path / "presets"],
                      a=["investment=[a]", "org=small", "sim.resume=true"])
    assert steps_of(mine)[2].commands[0] == (
        f"salessim -m 'investment=[a]' org=small investment.crm.effect_scale=0.5,0.75 {asked} "
        f"'hydra.searchpath=[file://{tmp_path}/presets]' hydra.sweep.dir={s}_effect_scale")
    # scenarios set apart by two settings, which one sweep would run in every pairing: one run each,
    # into a job folder of the step's folder, which the comparison reads as a sweep's
    two_keys = steps_of(_with_jobs(_result(open_gains, crm), s, a=["investment=[a]", "org=large"]))
    assert two_keys[0].commands == (
        f"salessim 'investment=[]' org=small sim.replications={needed} hydra.run.dir={s}_replications/0",
        f"salessim 'investment=[a]' org=large sim.replications={needed} hydra.run.dir={s}_replications/1",
        f"salessim-compare {s}_replications --baseline {s}_replications/0")
    # ... and so where a job sets a key the others do not (a baseline run apart, without investment=)
    apart_run = _with_jobs(_result(open_gains, crm), s, base=["org=small"])
    assert steps_of(apart_run)[0].commands[0] == (f"salessim org=small sim.replications={needed} "
                                                  f"hydra.run.dir={s}_replications/0")
    assert not run_commands([["a=1"]], ["x=0.5,0.75"], s)  # a single run takes one value
    # ... a job without a record of its overrides, or of how Hydra ran it, a scenario pooled over
    # seeds, a sweep not named
    unrecorded = _with_jobs(_result(open_gains, crm), s)
    unrecorded.jobs[1].overrides = None
    assert [bool(step.commands) for step in steps_of(unrecorded)] == [False, False, False, False]
    # ... which the report says once, for all the steps
    from salessim.next_steps import why_no_commands
    assert why_no_commands(unrecorded) == ("a kept no record of its overrides (.hydra/overrides.yaml; "
                                           "hydra.output_subdir was set to null)")
    assert why_no_commands(_with_jobs(_result(open_gains, crm), s)) == ""
    unrun = _with_jobs(_result(open_gains, crm), s)
    (s / "1" / ".hydra" / "hydra.yaml").unlink()
    assert [bool(step.commands) for step in steps_of(unrun)] == [False, False, False, False]
    assert why_no_commands(unrun).startswith("a job ran another primary config (-cn) or kept no record")
    pooled = _with_jobs(_result(open_gains, crm, seeds=(1, 2)), s)
    for job in pooled.jobs:
        job.pooled = True
    assert not any(step.commands for step in steps_of(pooled))
    assert why_no_commands(pooled).startswith("its scenarios pool jobs run on several seeds")
    assert not any(step.commands for step in steps_of(_result(open_gains, crm)))
    assert why_no_commands(_result(open_gains, crm)) == "it was made without a sweep's folder"


def test_a_follow_up_is_not_offered_itself_again_nor_given_the_question_it_was_asked():
    """A walk followed the step testing an investment at half and three quarters of its effect: its
    report offered the same step again (at half of a half), and copied its question into the runs
    of its other steps."""
    from salessim.next_commands import recorded_overrides

    gains = {"a": [10.0, 11.0, 12.0], "b": [5.0, 6.0, 7.0]}
    scaled = {"a": {"crm": {"kind": "tools", "effect_scale": 0.75}},
              "b": {"crm": {"kind": "tools", "effect_scale": 0.5}}}
    assert not any(x.startswith("Test the assumptions") for x in next_steps(_result(gains, scaled))), \
        next_steps(_result(gains, scaled))
    one_scale = {"a": {"crm": {"kind": "tools", "effect_scale": 0.8}}}  # the user's own estimate: tested
    assert any(x.startswith("Test the assumptions") for x in next_steps(_result(gains, one_scale)))
    job = SimpleNamespace(overrides=["investment=[a]", 'experiment_question="Does a keep..."',
                                     "sim.resume=true"])
    assert recorded_overrides(job) == ["investment=[a]"]


def test_an_effect_is_scaled_from_where_the_scenario_has_it():
    """A scenario already at three quarters of its effect was 'rerun at half and three quarters'
    as itself; two investments each swept ran every pairing of their scales (4 jobs, not 2)."""
    from salessim.next_steps import _scalings
    assert _scalings({"m": 0.75}) == ["investment.m.effect_scale=0.375,0.5625"]
    assert _scalings({"crm": 1.0, "m": 1.0}) == ["investment.crm.effect_scale=0.5,0.75",
                                                 "investment.m.effect_scale=${investment.crm.effect_scale}"]
    assert _scalings({"crm": 1.0, "m": 0.8}) == ["investment.crm.effect_scale=0.5,0.75",
                                                 "investment.m.effect_scale=0.4,0.6"]
    assert _scalings({}) == []


def test_a_command_sweeps_the_one_setting_its_jobs_differ_in_and_changes_what_the_step_asks():
    runs = [["investment=[]", "experiment=investments", "sim.replications=3"],
            ["investment=[crm]", "experiment=investments", "sim.replications=3"]]
    assert sweep_command(runs, ["sim.replications=12"], Path("out dir")) == (
        "salessim -m 'investment=[],[crm]' experiment=investments sim.replications=12 "
        "'hydra.sweep.dir=out dir'")
    assert sweep_command(runs[:1], ["+sim.years=5"], Path("d")).endswith("sim.replications=3 +sim.years=5 "
                                                                         "hydra.sweep.dir=d")
    assert sweep_command([["+org=small"], ["org=large"]], [], Path("d")) == \
        "salessim -m +org=small,large hydra.sweep.dir=d"
    # none where the jobs differ in two settings, or one has a setting the other lacks, or the step
    # would change the setting they differ in
    assert sweep_command([["a=1", "b=1"], ["a=2", "b=2"]], [], Path("d")) is None
    assert sweep_command([["a=1", "b=1"], ["a=2"]], [], Path("d")) is None
    assert sweep_command(runs, ["investment=[crm,p]"], Path("d")) is None
    # a key added (+) in one job and set in another is the same setting; one deleted (~) is no value
    assert sweep_command([["+sim.years=2", "org=small"], ["sim.years=2", "org=large"]], [], Path("d")) == \
        "salessim -m +sim.years=2 org=small,large hydra.sweep.dir=d"
    assert sweep_command([["~sim.trace"], ["sim.trace=true"]], [], Path("d")) is None
    assert replaced(runs[1], "investment", "[crm,p]") == ["investment=[crm,p]", *runs[1][1:]]
    assert replaced(runs[1], "org", "small") is None
    assert compare_command(Path("a b"), Path("s/0")) == "salessim-compare 'a b' --baseline s/0"


@pytest.fixture(scope="module")
def invested(tmp_path_factory) -> Path:
    """A sweep of two investments and the baseline, written by the real command."""
    sweep = tmp_path_factory.mktemp("invested") / "s"
    done = run_cli("-m", "experiment=investments", "investment=[],[methodology_training_connected],[crm]",
                   "org=small", "sim.years=1", "sim.warmup_months=2", "sim.replications=3",
                   f"hydra.sweep.dir={sweep}")
    assert done.returncode == 0, done.stderr[-2000:]
    return sweep


def test_a_budget_leaves_out_what_costs_more_in_its_first_year(invested, tmp_path):
    """--budget: a scenario whose extra investment in its first 12 months exceeds it is named with
    that cost and marked in the ranking, the terminal's and the report's; the answer and the next
    steps are about the first within it, and no pair is tried together whose first years cost more than it."""
    out = tmp_path / "all"
    compared = run_module("salessim.compare_command", str(invested), "--no-plots", "--out", str(out),
                          "--budget", "1e9")
    assert compared.returncode == 0, compared.stderr[-2000:]
    assert ("Every scenario fits the budget of 1,000,000,000 USD for a scenario's extra investment (its "
            "investments' own costs: fees, programmes, licences, an overlay's specialists; not the "
            "organization's pay or commission) in its first 12 months from its launch (--budget): "
            ) in " ".join(compared.stdout.split())
    table = pd.read_csv(out / "comparison.csv")
    assert (table.budget_usd == 1e9).all() and table.within_budget.all()
    first = (table[table.metric == "contribution_usd"].dropna(subset=["diff_vs_baseline"])
             .sort_values("diff_vs_baseline", ascending=False).scenario.iloc[0])
    # 10 months measured: its first 12 months estimated from them (payback.first_year_investment)
    cost = float(table[table.scenario == first].first_year_investment_usd.iloc[0])
    assert cost > 1_000
    over = tmp_path / "over"
    compared = run_module("salessim.compare_command", str(invested), "--no-plots", "--out", str(over),
                          "--budget", f"{cost - 1_000:.0f}")
    assert compared.returncode == 0, compared.stderr[-2000:]
    table = pd.read_csv(over / "comparison.csv")
    assert set(table.scenario[~table.within_budget]) == {first}
    other = next(s for s in set(table.scenario) - {first} if not s.startswith("investment=[]"))
    named = {s: s.split(",")[0] for s in (first, other)}  # as the table and the report name them
    # each with its whole first year, not what is over the budget; those within it too
    other_cost = float(table[table.scenario == other].first_year_investment_usd.iloc[0])
    assert f"(--budget): {named[first]} (first year +{cost:,.0f}, estimated from its 10 months). Within " \
           f"it: {named[other]} (first year +{other_cost:,.0f}, estimated from its 10 months). The answer, " \
           "the notes on the first scenarios and the next steps are about those within it." in \
        " ".join(compared.stdout.split()), compared.stdout
    # the terminal's table marks it too, as the report's ranking does
    assert f"{named[first]} (over budget)" in compared.stdout
    assert f"{named[other]} (over budget)" not in compared.stdout
    page = html.unescape((over / "report.html").read_text())
    assert f"{named[first]} (over budget)" in page and f"{named[other]} (over budget)" not in page
    short = page[page.index("<h2>In short</h2>"):page.index("<h2>The organization</h2>")]
    assert re.search(rf"within the budget by the net gain per year[;,] .*{re.escape(named[other])}",
                     short), short
    assert re.search(rf"<li><b>{re.escape(named[other])}</b>, paired against the baseline", short), short
    assert "Try the first" not in page  # the two together would cost more than the budget allows


def test_the_commands_a_report_gives_run_as_copied(invested, tmp_path):
    """Copied from a real report: Hydra runs each sweep as asked (the experiment's own sweep of
    investment replaced), and the comparison pairs it with the compared sweep's baseline."""
    sweep = tmp_path / "s"
    shutil.copytree(invested, sweep, ignore=shutil.ignore_patterns("comparison*"))
    # compared from inside the sweep ('.'), the commands run from another folder: their paths are whole
    compared = run_module("salessim.compare_command", ".", "--no-plots", cwd=sweep)
    assert compared.returncode == 0, compared.stderr[-2000:]
    report = (sweep / "comparison" / "report.html").read_text()
    commands = [html.unescape(block).splitlines() for block in re.findall(r"<pre>(.*?)</pre>", report, re.S)]
    asked = {run.split("hydra.sweep.dir=")[-1].rsplit("_", 1)[-1]: (run, comparison)
             for run, comparison in commands}
    assert {"scale", "together", "years"} <= asked.keys(), commands  # "effect_scale" split at its last _
    # each with the time it takes, from the compared jobs' own (step_time), and the jobs it runs
    took = (r"Its sweep of (\d+ jobs?) takes about \d+ s(?: on \d workers side by side)?, judging by how "
            r"long the jobs compared here took\.<pre>(.*?)\n")
    jobs_said = {html.unescape(run): jobs for jobs, run in re.findall(took, report)}
    assert len(jobs_said) == len(commands), report
    # the baseline beside the changed horizon (as job 0 of the new sweep), or the compared one's own;
    # the two together alone, each alone set beside them as run here (--with)
    for what, jobs, baseline in (("scale", "2 jobs", sweep / "0"), ("together", "1 job", sweep / "0"),
                                 ("years", "2 jobs", tmp_path / "s_years" / "0")):
        run, comparison = asked[what]
        assert run.startswith("salessim -m ") and comparison.startswith("salessim-compare ")
        done = run_cli(*shlex.split(run)[1:], cwd=tmp_path)
        assert done.returncode == 0 and f"{jobs} to run" in done.stderr, done.stderr[-2000:]
        assert jobs_said[run] == jobs
        compared = run_module("salessim.compare_command", *shlex.split(comparison)[1:], "--no-plots",
                              cwd=tmp_path)
        assert compared.returncode == 0, compared.stderr[-2000:]
        said = compared.stdout.split("Baseline: ")[1]
        # job 0 of its sweep, named once
        if what == "scale":  # the mark it is read against, as its question (a walk found it missing)
            assert "\n  Question: Does investment=[methodology_training_connected] keep a net gain above " \
                in compared.stdout, compared.stdout[:800]
        # a job of the new sweep, or the compared sweep's job 0, run apart: named by its sweep, once
        named = (f" (job 0 of {baseline.parent}), chosen with --baseline." if what != "years"
                 else f" (job 0), chosen with --baseline {baseline}.")
        assert said.startswith("investment=[]") and named in said.split("\n")[0], said[:500]
        if what == "together":  # its question answered: the pair against its parts added up
            assert "Together, by net gain per year, paired [95% CI]: " in compared.stdout, compared.stdout


def test_the_assumptions_tested_are_those_of_what_sets_the_first_apart_from_the_next():
    """A strategist's walk: the first ran an FSM programme, SMB inside sales and accelerators, the
    next the first two; the step halved the FSM programme's effect, which both ran, and left the
    accelerators, the one difference, untested."""
    gains = {"a": [10.0, 11.0, 12.0], "b": [8.0, 9.0, 10.0]}
    shared = {"f": {"kind": "fsm_development"}, "s": {"kind": "coverage"}}
    both = {"a": {**shared, "acc": {"kind": "compensation"}}, "b": dict(shared)}
    test = next(x for x in next_steps(_result(gains, both)) if x.startswith("Test the assumptions"))
    assert test.startswith("Test the assumptions of acc, which sets a apart from b ("), test
    assert "over the values you find plausible for its settings" in test  # no effect_scale to halve
    assert "effect_scale" not in test
    # a scalable difference is the one scaled, the shared programme left as it ran
    both["a"]["crm"] = {"kind": "tools"}
    test = next(x for x in next_steps(_result(gains, both)) if x.startswith("Test the assumptions"))
    assert test.startswith("Test the assumptions of acc, crm, which set a apart from b ("), test
    assert "investment.crm.effect_scale=0.5,0.75" in test and "investment.f." not in test
    # the next runs all of the first's and more: nothing sets the first apart, its own are tested (a
    # review found 'Test the assumptions of , which set a apart from b')
    superset = {"a": {"crm": {"kind": "tools"}},
                "b": {"crm": {"kind": "tools"}, "acc": {"kind": "compensation"}}}
    test = next(x for x in next_steps(_result(gains, superset)) if x.startswith("Test the assumptions"))
    assert test.startswith("Test the assumptions a rests on ("), test
    # nothing shared: the first's own, as before
    apart = {"a": {"crm": {"kind": "tools"}}, "b": {"f": {"kind": "fsm_development"}}}
    test = next(x for x in next_steps(_result(gains, apart)) if x.startswith("Test the assumptions"))
    assert test.startswith("Test the assumptions a rests on ("), test
