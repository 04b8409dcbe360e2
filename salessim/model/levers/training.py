"""Training: a skill or knowledge boost, time out of the field, and forgetting.

Sellers are trained in waves over the rollout. Each trained seller spends ``hours_per_seller`` in
the classroom (taken from their selling weeks) and gains ``boost`` on one competency, which fades
on the forgetting curve R = exp(-t/s) unless coaching reinforces it (skills.Boost). Training
``connected`` to coaching and content (one design point) is reinforced by every coaching session;
event-style training only weakly ("Connecting the Dots Between Sales Enablement and Coaching").
"""

from __future__ import annotations

from dataclasses import dataclass

from salessim.config import MONEY_MAX_USD, choice, prob, rng, setting
from salessim.model.counting import round_half_up
from salessim.model.levers.base import EffectSpec, Lever
from salessim.model.skills import Boost


@dataclass
class TrainingSpec(EffectSpec):
    skill: str = choice("process", ("process", "knowledge", "adaptive"), "competency trained")
    boost: float = prob(0.1, "competency gained right after training (competencies run 0 to 1; 0.5 is "
                             "an average competent seller's)")
    hours_per_seller: float = rng(24.0, ge=0.0, le=400.0, doc="classroom hours per seller, out of the field")
    cost_per_seller_usd: float = rng(1_500.0, ge=0.0, le=MONEY_MAX_USD, doc="fee per trained seller")
    connected: bool = setting(False, "whether it is designed with the coaching and content (every "
                                     "coaching session then reinforces it)")
    include_new_hires: bool = setting(True, "whether sellers hired after the rollout are trained too")


class TrainingLever(Lever):
    spec_class = TrainingSpec
    doc_section = "16.1"

    def __init__(self, name: str, spec: TrainingSpec) -> None:
        super().__init__(name, spec)
        self.trained: set[int] = set()

    def on_month(self, world, month: int) -> None:
        s: TrainingSpec = self.spec
        if month < s.start_month:
            return
        waves = max(1, round_half_up(s.rollout_months))
        wave = month - s.start_month
        for t in world.territories:
            seller = t.seller
            if seller is None or seller.seller_id in self.trained:
                continue
            in_wave = wave < waves and t.territory_id % waves == wave
            late = wave >= waves and s.include_new_hires  # hires after the rollout, and seats
            if in_wave or late:
                self.trained.add(seller.seller_id)
                seller.training_due_hours += s.hours_per_seller
                seller.boosts.append(Boost(s.skill, s.boost * s.effect_scale, world.env.now,
                                            s.connected))
                self.unit_costs += s.cost_per_seller_usd
