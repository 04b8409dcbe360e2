"""What every investment shares: when it starts, how long it takes to roll out, what it costs.

An investment never touches bookings or win rates. Each lever changes a mechanism of the model
(skills, time, content, coverage, incentives, coaching) at month starts, and the business result
emerges from the simulated journeys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from salessim.config import MONEY_MAX_USD, rng

if TYPE_CHECKING:
    from salessim.model.organization import World


@dataclass
class InvestmentSpec:
    kind: str = ""
    description: str = ""
    # Unset: when measurement starts, so that every cost of the investment falls in the window
    # the summary measures (sim.warmup_months); build() fills it in.
    start_month: int | None = rng(None, ge=0, le=600, doc="simulation month the investment starts "
                                  "(unset: at the end of the warm-up)")
    rollout_months: float = rng(1.0, ge=0.0, le=120.0, doc="months until it is fully in place")
    one_off_cost_usd: float = rng(0.0, ge=0.0, le=MONEY_MAX_USD,
                                  doc="paid in the start month (design, set-up)")
    running_cost_usd_per_year: float = rng(0.0, ge=0.0, le=MONEY_MAX_USD,
                                           doc="paid by the week from the start")


@dataclass
class EffectSpec(InvestmentSpec):
    """An investment whose effect is a size the model is given (a skill boost, hours saved, a gain
    in coaching quality), not one that emerges from the structure it changes (seats, pay): a
    planner who doubts the size can scale it as a whole, at the same cost."""
    effect_scale: float = rng(1.0, ge=0.0, le=3.0, doc="share of the configured effect that comes "
                              "about (1: as configured; costs and time out of the field unchanged)")


class Lever:
    """One configured investment acting on a running World."""

    spec_class: type = InvestmentSpec
    acts_once = False  # a lever that acts once, in its start month, has no rollout
    # A lever that changes the organization's seats or teams acts before the others of its
    # month, so that those act on (and charge for) the organization the month will have.
    changes_structure = False
    # What a lever sets wholesale from the values it found when it started ("" if nothing): a
    # second lever of its kind would take the first one's values for its baseline and overwrite
    # it every month, so a scenario holds one at most.
    sets_state = ""
    # Where docs/model.md explains the kind's mechanism (its subsection of section 16), for the
    # report's table of assumptions; tests/test_docs.py checks the headings against it.
    doc_section = ""

    def __init__(self, name: str, spec: InvestmentSpec) -> None:
        self.name = name
        self.spec = spec
        self.unit_costs = 0.0  # costs by head incurred this month (per seller or FSM; overlay specialists' pay)

    def progress(self, month: int) -> float:
        """Share of the rollout in place during ``month`` (0 before the start, 1 once rolled out)."""
        s = self.spec
        if month < s.start_month:
            return 0.0
        if s.rollout_months <= 0:
            return 1.0
        return min(1.0, (month - s.start_month + 1) / s.rollout_months)

    def on_month(self, world: "World", month: int) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def month_cost(self, month: int, year_share: float) -> float:
        s = self.spec
        cost, self.unit_costs = self.unit_costs, 0.0
        if month == s.start_month:
            cost += s.one_off_cost_usd
        if month >= s.start_month:
            cost += s.running_cost_usd_per_year * year_share
        return cost

