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
