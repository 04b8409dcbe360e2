"""Overlay specialists: experts who own no accounts and join the buying rounds of a segment's deals.

Solution engineers and product specialists work alongside the account's seller in the buying
phase, when the group asks for technical details, cases and financial projections. A round they
join draws on the better of the seller's and the specialist's knowledge and adaptive competency
(the seller still leads it: process skill and hours stay the seller's). Specialists have a weekly
budget of hours; a round that finds none left goes on without them, first come, first served. The
pool grows over the rollout, as specialists are hired. (DOMAIN: overlay specialists are one of the
roles of a coverage model; 2014 MHI study: 62% of firms invested in their coverage model.)
"""

from __future__ import annotations

from dataclasses import dataclass

from salessim.config import MONEY_MAX_USD, prob, rng, setting
from salessim.model.levers.base import InvestmentSpec, Lever


@dataclass
class OverlaySpec(InvestmentSpec):
    segment: str = setting("enterprise", "segment whose deals the specialists join")
    specialists: int = rng(2, ge=1, le=10_000, doc="specialists in the pool once hired")
    hours_per_week: float = rng(30.0, gt=0.0, le=80.0, doc="hours each specialist gives to deals a week")
    hours_per_round: float = rng(4.0, gt=0.0, le=40.0, doc="specialist hours a buying round they join takes")
    knowledge: float = prob(0.85, "the specialists' product and market knowledge")
    adaptive: float = prob(0.5, "the specialists' adaptive competency")
    cost_per_specialist_year_usd: float = rng(190_000.0, ge=0.0, le=MONEY_MAX_USD,
                                              doc="pay and overhead of a specialist, a year")


class OverlayPool:
    """A segment's specialists: their competencies and the hours left this week."""

    __slots__ = ("knowledge", "adaptive", "hours_per_round", "weekly_hours", "left")

    def __init__(self, spec: OverlaySpec) -> None:
        self.knowledge, self.adaptive = spec.knowledge, spec.adaptive
        self.hours_per_round = spec.hours_per_round
        self.weekly_hours = 0.0  # grows over the rollout
        self.left = 0.0

    def join(self) -> bool:
        """Take a round's hours if this week still has them."""
        if self.left >= self.hours_per_round:
            self.left -= self.hours_per_round
            return True
        return False


class OverlayLever(Lever):
    spec_class = OverlaySpec
    doc_section = "16.8"

    def on_month(self, world, month: int) -> None:
        s: OverlaySpec = self.spec
        if month < s.start_month:
            return
        hired = s.specialists * self.progress(month)  # hired over the rollout
        world.overlays[s.segment].weekly_hours = hired * s.hours_per_week
        self.unit_costs += hired * s.cost_per_specialist_year_usd * world.year_share(month)
