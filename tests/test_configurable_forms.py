"""The functional forms a lever's return rests on most are configuration keys (docs/model.md,
"Fixed constants"): each reaches the model, and moves what it shapes in the documented direction,
with the size its formula gives."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from salessim.model.buying_group import LOST, BuyingGroup, decide, draw_group
from salessim.model.coaching import focus_factor
from salessim.model.interaction import base_quality, competency_mix
from salessim.rng import Stream
from tests.conftest import simulate, study_config

FORMS = {"market__forms__transactional_process_weight": 0.9, "market__forms__complex_adaptive_weight": 0.8,
         "market__forms__economic_buyer_influence": 4.0, "market__forms__stakeholder_influence": 1.0,
         "market__forms__self_educated_alignment": 0.2, "market__forms__competitor_appeal_sd": 0.6,
         "market__forms__competitor_risk_share": 0.3, "fsm__results_only_effect": 0.8}


@functools.cache
def _summary(**changes):
    return simulate(study_config(sellers=20, years=1.0, replications=1, **changes)).summary


@pytest.mark.parametrize("key", sorted(FORMS))
def test_each_form_reaches_the_model(key):
    """Changed alone, each key changes what a run books or how its deals end."""
    base, changed = _summary(), _summary(**{key: FORMS[key]})
    figures = ["bookings_usd", "won", "lost_competitor", "no_decision"]
    assert not base[figures].equals(changed[figures]), key


def test_the_competencies_mix_of_a_round_follows_its_weights():
    """Adaptive competency counts for complex_adaptive_weight of a complex round, process skill
    for transactional_process_weight of a transactional one; the defaults give the documented
    0.5/0.5 and 0.3/0.3/0.4."""
    def gain(complexity, weights, **more):
        skills = {"process": 0.4, "knowledge": 0.4, "adaptive": 0.4, "content_effect": 0.0}
        return (base_quality(complexity=complexity, **{**skills, **{k: skills[k] + v for k, v in more.items()}},
                             **weights)
                - base_quality(complexity=complexity, **skills, **weights))

    default, adaptive, methodical = ({"mix": competency_mix(p, a)} for p, a in ((0.5, 0.4), (0.5, 0.8), (0.9, 0.4)))
    assert gain(1.0, default, adaptive=0.1) == pytest.approx(0.04)
    assert gain(1.0, default, process=0.1) == pytest.approx(0.03)
    assert gain(1.0, adaptive, adaptive=0.1) == pytest.approx(0.08)
    assert gain(1.0, adaptive, process=0.1) == pytest.approx(0.01)
    assert gain(0.0, methodical, process=0.1) == pytest.approx(0.09)
    assert gain(0.0, methodical, knowledge=0.1) == pytest.approx(0.01)
    assert gain(0.0, adaptive, adaptive=0.1) == 0.0  # no adaptive weight in a transactional deal


def test_results_only_coaching_keeps_its_configured_share():
    assert focus_factor(0.0, 0.2) == pytest.approx(0.2) and focus_factor(0.4, 0.2) == pytest.approx(0.52)
    assert focus_factor(0.0, 0.6) == pytest.approx(0.6) and focus_factor(1.0, 0.6) == 1.0


def test_a_stronger_economic_buyer_weighs_more_in_the_group():
    """Influence is Exp(1) plus its base: the economic buyer's mean weight in a group of five is
    about 0.31 at the defaults (2.0 against 4 x 1.2) and about 0.61 with a base of 6 (measured)."""
    def buyer_weight(buyer: float) -> float:
        rs = Stream(np.random.SeedSequence(3))
        weights = [(g.influence[0] / sum(g.influence))
                   for g in (draw_group(5, 0.0, 0.3, 0.0, 0.0, rs, buyer, 0.2) for _ in range(2000))]
        return float(np.mean(weights))

    assert 0.28 < buyer_weight(1.0) < 0.36 and 0.55 < buyer_weight(6.0) < 0.68


def test_a_competitor_that_carries_less_of_the_risk_wins_more():
    """A risky deal (rho 1) that a neutral group weighs against a competitor of equal strength:
    the less of our risk its offer carries (competitor_risk_share), the more often it wins
    (measured: 94%, 67% and 50% at 0.3, 0.8 and 1). Under unanimity_veto a wider spread of its
    appeal between the stakeholders (competitor_appeal_sd) gives more of them a reason to block it."""
    def lost_share(risk_share: float, appeal_sd: float = 0.2, rule: str = "weighted_consensus") -> float:
        rs = Stream(np.random.SeedSequence(5))
        g = BuyingGroup()
        for _ in range(4):
            g.add(1.0, 0.0, 1.0, 1.0)
        return float(np.mean([decide(g, 1.0, 0.0, rule, -5.0, 0.0, 0.0, 0.25, -0.5, rs, 0.0,
                                     appeal_sd=appeal_sd, risk_share=risk_share) == LOST
                              for _ in range(2000)]))

    assert lost_share(0.3) > lost_share(0.8) + 0.15 and lost_share(0.8) > lost_share(1.0) + 0.1
    assert lost_share(0.3, 0.0, "unanimity_veto") > lost_share(0.3, 0.6, "unanimity_veto") + 0.3


def test_self_educated_groups_decide_less_often_for_nothing_the_more_aligned_they_arrive():
    """SMB buyers skip awareness 70% of the time; a lower floor on their alignment leaves their
    shared vision weaker, and the vision term pulls more of their deals to no decision.
    Measured (40 sellers, SMB only, 2 years, 4 replications): no decision 23.4% of forecast deals
    at floor 0.8 against 27.6% at floor 0, higher in every replication."""
    def no_decision(floor: float):
        cfg = study_config(org__segment_mix={"smb": 1.0, "mid_market": 0.0, "enterprise": 0.0},
                           market__forms__self_educated_alignment=floor)
        return simulate(cfg).summary.no_decision_rate.to_numpy()

    low, default = no_decision(0.0), no_decision(0.8)
    assert (low > default).all() and (low - default).mean() > 0.02


def test_a_job_made_before_the_forms_were_keys_is_the_same_config():
    """A manifest written before market.forms, fsm.results_only_effect and the buyer roles
    (market.stakeholder_roles, enablement.content_roles) existed ran what their defaults run: a
    resume keeps its results, a study resumes, and a report lists no phantom '(not set)'
    settings; a value other than the default still differs."""
    from dataclasses import asdict

    from salessim.config import Config, changed_settings
    from salessim.outputs import config_hash, same_config
    from salessim.report import config_differences

    now = asdict(Config())
    before = asdict(Config())
    del before["market"]["forms"], before["fsm"]["results_only_effect"]
    del before["market"]["stakeholder_roles"], before["enablement"]["content_roles"]
    meta = {"config": before, "config_hash": config_hash(before)}
    assert same_config(meta, now) and not changed_settings(before, now)
    # a budget to compare the jobs against changes no table: a resume under another keeps them
    assert same_config(meta, {**now, "experiment_budget_usd": 400_000.0})
    assert config_differences(before, now) == [] and config_differences(now, before) == []
    now["fsm"]["results_only_effect"] = 0.5
    assert not same_config(meta, now)
    assert [k for k, *_ in config_differences(now, before)] == ["fsm.results_only_effect"]
    now["fsm"]["results_only_effect"] = Config().fsm.results_only_effect
    now["market"]["stakeholder_roles"].update(technical=0.4, user=0.2)
    assert [k for k, *_ in changed_settings(before, now)] == [
        "market.stakeholder_roles.technical", "market.stakeholder_roles.user"]
    # a segment left out is a change: only mappings added since have defaults a missing entry ran
    del now["market"]["segments"]["smb"]
    assert any(k.startswith("market.segments.smb.") for k, *_ in changed_settings(before, now))
