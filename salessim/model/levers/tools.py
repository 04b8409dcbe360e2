"""CRM and productivity apps: admin hours saved, times adoption; adoption follows FSM leadership.

Each seat adopts, at the pace of the FSM who leads its team, toward a ceiling that depends on
that FSM's leadership (coaching quality stands for it): "technology does not replace
leadership", and "sales leadership is the key ingredient for successful CRM implementations"
(2014 MHI study, part 2).
While the tool rolls out, sellers lose time learning it (the dip); once in place, the admin hours
saved are ``admin_hours_saved`` x adoption. (2014 MHI study: 48% invested in a new CRM, 54% in
productivity apps.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from salessim.config import MONEY_MAX_USD, prob, rng
from salessim.model.levers.base import EffectSpec, Lever


@dataclass
class ToolsSpec(EffectSpec):
    admin_hours_saved: float = rng(4.0, ge=0.0, le=40.0, doc="weekly admin hours saved at full adoption")
    adoption_max: float = prob(0.9, "highest adoption, under good leadership")
    adoption_months: float = rng(6.0, gt=0.0, le=120.0, doc="time constant of adoption")
    leadership_weight: float = prob(0.7, "how much the adoption ceiling depends on FSM leadership")
    rollout_dip_hours: float = rng(2.0, ge=0.0, le=40.0, doc="weekly hours lost learning the tool")
    license_per_seller_year_usd: float = rng(1_200.0, ge=0.0, le=MONEY_MAX_USD,
                                             doc="licence per seat, a year")


def adoption_ceiling(adoption_max: float, leadership: float, weight: float) -> float:
    """Full ceiling for an FSM of leadership 0.5 or better; less below."""
    return adoption_max * min(1.0, (1.0 - weight) + weight * 2.0 * leadership)


class ToolsLever(Lever):
    spec_class = ToolsSpec
    doc_section = "16.5"

    def __init__(self, name: str, spec: ToolsSpec) -> None:
        super().__init__(name, spec)
        # Per seat (territory id): adoption, weekly admin hours this tool saves, and hours lost
        # learning it. Adoption belongs to the seat, so it stays when a span investment moves
        # the seat to another FSM, whose leadership drives it from then on; a new seat starts at 0.
        self.adoption: dict[int, float] = {}
        self.saved: dict[int, float] = {}
        self.dip: dict[int, float] = {}

    def on_month(self, world, month: int) -> None:
        s: ToolsSpec = self.spec
        if month < s.start_month:
            return
        in_rollout = self.progress(month) < 1.0 or month == s.start_month
        tools = [tool for tool in world.levers if isinstance(tool, ToolsLever)]
        for fsm in world.fsms:
            ceiling = adoption_ceiling(s.adoption_max, fsm.quality, s.leadership_weight)
            step = 1.0 - math.exp(-(0.5 + fsm.quality) / s.adoption_months)
            for t in fsm.territories:
                seat = t.territory_id
                a = self.adoption.get(seat, 0.0)
                a += (ceiling - a) * step
                self.adoption[seat] = a
                self.saved[seat] = s.admin_hours_saved * s.effect_scale * a
                self.dip[seat] = s.rollout_dip_hours * (1.0 - a) if in_rollout else 0.0
                # Several tools add up: each takes its saving off the configured hours and adds
                # its dip. Every tool recomputes the sum, so the last tool to run this month sets
                # it from every tool's current values.
                admin = world.cfg.tools.admin_hours
                for tool in tools:
                    if seat in tool.saved:
                        admin -= tool.saved[seat]
                        admin += tool.dip[seat]
                t.admin_hours = max(0.0, admin)
        self.unit_costs += (s.license_per_seller_year_usd * len(world.territories)
                            * world.year_share(month))
