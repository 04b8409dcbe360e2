"""Whether investments run together gain more or less than each alone, added up (salessim.together):
the answer to the report's step that runs the first two together, paired replication by replication."""

from types import SimpleNamespace

import pandas as pd

from salessim.config import Config
from salessim.short_answer import short_answer
from salessim.together import pairs_with_parts, together_said
from tests.test_compare import _scenario


def _comparison(gains: dict[str, list[float]], investments: dict[str, dict]):
    """Scenarios whose replications return ``gains`` (net gain = gross margin), each running the
    ``investments`` given for it; 'base' the baseline."""
    values = {s: pd.DataFrame({"bookings_usd": 0.0, "gross_margin_usd": g, "total_cost_usd": 0.0})
              for s, g in gains.items()}
    jobs = []
    for s in gains:
        cfg = Config()
        cfg.investment = investments.get(s, {})
        jobs.append(SimpleNamespace(scenario=s, cfg=cfg, manifest={"seeds": [1]}, pooled=False))
    rows = [_scenario(s, s == "base", net_gain_usd_per_year=sum(g) / len(g) - sum(gains["base"]) / 3)
            for s, g in gains.items()]
    scenarios = pd.DataFrame(rows).sort_values("net_gain_usd_per_year", ascending=False)
    return SimpleNamespace(scenarios=scenarios, values=values, jobs=jobs, baseline=jobs[0],
                           rank_by="net_gain")


CRM, CONTENT = {"kind": "tools"}, {"kind": "enablement_content"}


def test_a_pair_is_set_against_its_parts_added_up_replication_by_replication():
    """A walk worked out by hand that coaching with methodology training gained +12.56 M a year
    against +6.25 M and +4.15 M alone: more than the sum, which the comparison did not say."""
    gains = {"base": [10.0, 20.0, 30.0], "a": [15.0, 26.0, 34.0], "b": [12.0, 23.0, 31.0],
             "ab": [20.0, 32.0, 38.0]}  # by replication: a +5, +6, +4; b +2, +3, +1; ab +10, +12, +8
    together = _comparison(gains, {"a": {"crm": CRM}, "b": {"content": CONTENT},
                                   "ab": {"crm": CRM, "content": CONTENT}})
    assert pairs_with_parts(together) == [("ab", "a", "b")]
    said = together_said(together)
    # ab - a - b + base: +3, +3, +3 by replication: settled, with no spread
    assert said == ("Together, by net gain per year, paired [95% CI]: ab gains +10 a year, +3 [+3, +3] "
                    "against a and b alone added up: more, settled."), said
    assert said in short_answer(together)
    overlap = _comparison({**gains, "ab": [15.0, 27.0, 33.0]}, {"a": {"crm": CRM}, "b": {"content": CONTENT},
                                                                "ab": {"crm": CRM, "content": CONTENT}})
    assert together_said(overlap).endswith("less, settled: they overlap or get in each other's way.")
    unsure = _comparison({**gains, "ab": [17.0, 31.0, 35.0]}, {"a": {"crm": CRM}, "b": {"content": CONTENT},
                                                               "ab": {"crm": CRM, "content": CONTENT}})
    assert together_said(unsure).endswith("not settled (the interval includes 0).")


def test_a_pair_is_only_the_sum_of_parts_run_with_its_own_settings():
    gains = {"base": [1.0] * 3, "a": [2.0] * 3, "b": [2.0] * 3, "ab": [4.0] * 3}
    scaled = {"a": {"crm": CRM}, "b": {"content": CONTENT},
              "ab": {"crm": {**CRM, "effect_scale": 0.5}, "content": CONTENT}}
    assert pairs_with_parts(_comparison(gains, scaled)) == []  # its CRM is not a's
    alone = {"a": {"crm": CRM}, "ab": {"crm": CRM, "content": CONTENT}}
    assert pairs_with_parts(_comparison(gains, alone)) == []  # b runs no investment
    # the baseline's own investments are in every scenario: not a part
    based = {"base": {"crm": CRM}, "a": {"crm": CRM, "content": CONTENT}, "b": {"crm": CRM}}
    assert pairs_with_parts(_comparison({k: gains[k] for k in ("base", "a", "b")}, based)) == []
    assert together_said(_comparison({"base": [1.0] * 3, "a": [2.0] * 3}, {"a": {"crm": CRM}})) == ""


def test_a_follow_up_of_pairs_says_its_answer_first_and_not_each_pair_against_each_part():
    """A walk read the together step's comparison: its answer came after twelve sentences setting
    each pair against each investment alone set beside them (--with), all 'settled above it'."""
    gains = {"base": [10.0, 20.0, 30.0], "a": [15.0, 26.0, 34.0], "b": [12.0, 23.0, 31.0],
             "ab": [20.0, 32.0, 38.0]}
    follow_up = _comparison(gains, {"a": {"crm": CRM}, "b": {"content": CONTENT},
                                    "ab": {"crm": CRM, "content": CONTENT}})
    follow_up.beside = [j for j in follow_up.jobs if j.scenario in ("a", "b")]
    said = short_answer(follow_up)
    assert said.startswith("In short: Together, by net gain per year, paired [95% CI]: ab gains +10 a "
                           "year"), said
    assert "set beside" not in said and said.index("Together") < said.index("ab comes first")


def test_a_sweep_asking_a_question_of_its_own_hears_its_first_before_a_pair_against_its_parts():
    """A sales-ops walk asked which of two options, a platform or two more FSMs, and swept both and
    the pair: the answer opened with the pair against its parts added up. A together step's own
    question, or none, still hears that first."""
    gains = {"base": [10.0, 20.0, 30.0], "a": [15.0, 26.0, 34.0], "b": [12.0, 23.0, 31.0],
             "ab": [20.0, 32.0, 38.0]}
    options = _comparison(gains, {"a": {"crm": CRM}, "b": {"content": CONTENT},
                                  "ab": {"crm": CRM, "content": CONTENT}})
    options.question = "A platform or two more FSMs?"
    said = short_answer(options)
    assert said.startswith("In short: ab comes first"), said
    assert said.index("ab comes first") < said.index("Together, by net gain per year")
    # after what 'Its' says of the first: a review read 'Its lead' as the pair's, said after it
    assert said.index("Its lead") < said.index("Together, by net gain per year"), said
    options.question = "Does ab gain more than its investments alone, added up?"  # the step's own
    assert short_answer(options).startswith("In short: Together, by net gain per year")


def test_a_run_beside_is_said_to_be_stood_above_or_below_in_a_few_words_first():
    from salessim.short_answer import _verdict

    assert _verdict([1, 1]) == "each stays above it, settled"
    assert _verdict([-1, -1, -1]) == "each falls below it, settled"
    assert _verdict([1, 0, -1]) == "of 3, 1 settled above it, 1 settled below it, 1 not settled"
    assert _verdict([0]) == "not settled above or below it"
    assert _verdict([0, 0]) == "none settled above or below it"


def test_parts_keep_the_baseline_investments_its_settings_and_its_seeds():
    """A review found parts that dropped the baseline's own CRM, or ran another horizon, set
    against a pair."""
    gains = {"base": [1.0] * 3, "a": [2.0] * 3, "b": [2.0] * 3, "ab": [4.0] * 3}
    x = {"kind": "compensation"}
    based = {"base": {"crm": CRM}, "a": {"crm": CRM, "content": CONTENT}, "b": {"crm": CRM, "x": x},
             "ab": {"crm": CRM, "content": CONTENT, "x": x}}
    assert pairs_with_parts(_comparison(gains, based)) == [("ab", "a", "b")]  # the baseline's CRM kept
    dropped = {**based, "a": {"content": CONTENT}}  # a runs without the baseline's CRM
    assert pairs_with_parts(_comparison(gains, dropped)) == []
    other = _comparison(gains, based)
    other.jobs[1].cfg.sim.years = 5.0  # a over another horizon
    assert pairs_with_parts(other) == []
    seeded = _comparison(gains, based)
    seeded.jobs[2].manifest = {"seeds": [2]}  # b on another seed
    assert pairs_with_parts(seeded) == []
    shown = _comparison(gains, based)
    shown.jobs[3].cfg.sim.scenario, shown.jobs[3].cfg.sim.workers = "named", 2  # names and shows alone
    assert pairs_with_parts(shown) == [("ab", "a", "b")]


def test_the_replications_a_pair_is_measured_on_are_said_where_fewer_than_its_own():
    """A review: the pair was set against its parts over the replications all four share, unsaid,
    and a pair sharing fewer than two was left out, its sweep's question unanswered."""
    gains = {"base": [10.0, 20.0, 30.0], "a": [15.0, 26.0, 34.0], "b": [12.0, 23.0, 31.0],
             "ab": [20.0, 32.0, 38.0]}
    invested = {"a": {"crm": CRM}, "b": {"content": CONTENT}, "ab": {"crm": CRM, "content": CONTENT}}
    fewer = _comparison(gains, invested)
    fewer.values["a"] = fewer.values["a"].iloc[:2]
    assert "alone added up over the 2 replications all four share: more, settled." in together_said(fewer)
    fewer.values["b"] = fewer.values["b"].iloc[1:]
    assert together_said(fewer).endswith(
        "ab against a and b alone added up: too few replications shared by the four to tell (1).")
