"""FSM development programmes and the FSMs' span of control.

An *integrated* programme covers the whole FSM triangle (customer, business, people), the
adaptive competencies FSMs coach, and the tie of their coaching to the enablement approach. In the
model it acts on the FSMs alone, over the rollout: it raises coaching quality, shifts focus to
leading indicators, makes business and escalation work quicker, and lets coaching reinforce what
training taught (no seller's skill changes but through that coaching). *Isolated* programmes (general HR
management training, or one topic) "are costly investments with little to no outcome": the same
spec with small gains and no tie to enablement ("Frontline Sales Managers – Key Role, But Poorly
Developed And Enabled"; 2014 MHI study, part 3: 55% prioritised FSM development).

A narrower span of control is a coverage choice for FSMs: more FSM headcount, smaller teams.
"""

from __future__ import annotations

from dataclasses import dataclass

from salessim.config import MONEY_MAX_USD, prob, rng, setting
from salessim.model.levers.base import EffectSpec, InvestmentSpec, Lever


@dataclass
class FsmDevelopmentSpec(EffectSpec):
    quality_gain: float = prob(0.25, "coaching quality added once rolled out, up to 1 (quality runs 0 to "
                                     "1: fsm.coaching_quality for an FSM developed for the role, less "
                                     "fsm.promoted_quality_penalty for one promoted)")
    focus_gain: float = prob(0.35, "share of coaching moved to leading indicators (0 to 1; 0.4 by "
                                   "default, fsm.coaching_focus)")
    business_hours_saving: float = prob(0.15, "share of business (admin, forecasting) hours saved")
    escalation_hours_saving: float = prob(0.2, "share of escalation hours saved")
    tied_to_enablement: bool = setting(True, "whether coaching is tied to the enablement approach: it "
                                             "then fully reinforces training bought as an event "
                                             "(methodology or product training not connected to "
                                             "coaching); in a scenario without such training it changes "
                                             "nothing (new hires' onboarding is connected already)")
    cost_per_fsm_usd: float = rng(12_000.0, ge=0.0, le=MONEY_MAX_USD, doc="programme cost per FSM")


class FsmDevelopmentLever(Lever):
    spec_class = FsmDevelopmentSpec
    doc_section = "16.6"
    sets_state = "each FSM's coaching quality, focus and hours"

    def __init__(self, name: str, spec: FsmDevelopmentSpec) -> None:
        super().__init__(name, spec)
        self.base: dict[int, tuple[float, float]] = {}

    def on_month(self, world, month: int) -> None:
        s: FsmDevelopmentSpec = self.spec
        p = self.progress(month)
        if p <= 0.0:
            return
        g = p * s.effect_scale  # the share of the gains in place
        # The tie is in place from half-way through the rollout, as strong as the effect.
        tie = min(1.0, s.effect_scale) if s.tied_to_enablement and p >= 0.5 else 0.0
        for fsm in world.fsms:
            if not fsm.territories:
                continue  # released by a wider span: no longer in the organization
            if fsm.fsm_id not in self.base:
                self.base[fsm.fsm_id] = (fsm.quality, fsm.focus)
                self.unit_costs += s.cost_per_fsm_usd
            quality, focus = self.base[fsm.fsm_id]
            fsm.quality = min(1.0, quality + g * s.quality_gain)
            fsm.focus = min(1.0, focus + g * s.focus_gain)
            # A saving scaled past the whole of the hours saves them all, never more.
            fsm.business_factor = max(0.0, 1.0 - g * s.business_hours_saving)
            fsm.escalation_factor = max(0.0, 1.0 - g * s.escalation_hours_saving)
            fsm.enablement_tie = tie


@dataclass
class FsmSpanSpec(InvestmentSpec):
    span_of_control: float = rng(6.0, ge=1.0, le=100.0, doc="sellers per FSM from the start month")
    fsm_hiring_cost_usd: float = rng(40_000.0, ge=0.0, le=MONEY_MAX_USD, doc="cost per FSM added")


class FsmSpanLever(Lever):
    spec_class = FsmSpanSpec
    doc_section = "16.7"
    acts_once = True
    changes_structure = True

    def on_month(self, world, month: int) -> None:
        s: FsmSpanSpec = self.spec
        if month == s.start_month:
            added = world.rebalance_teams(s.span_of_control)
            self.unit_costs += added * s.fsm_hiring_cost_usd
