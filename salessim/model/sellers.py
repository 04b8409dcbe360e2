"""Sellers (people) and territories (the seats they fill, with accounts and a bank of hours).

A territory outlives the people in it: when a seller leaves, the territory is vacant (its FSM
covers a few hours a week) until a hire arrives after the hiring lag and ramps up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from salessim.model.capacity import HoursBank
from salessim.model.skills import retention

# Hour categories of a seller's week, in the order they appear in the seller panel.
ACTIVITIES = ("prospecting", "opportunity", "account_mgmt", "admin", "internal", "training", "coached")
SELLING_ACTIVITIES = ("prospecting", "opportunity", "account_mgmt")


@dataclass(slots=True)
class Seller:
    seller_id: int
    territory_id: int
    hired_day: float
    process: float
    knowledge: float
    adaptive: float
    potential_process: float
    potential_knowledge: float
    potential_adaptive: float
    trained_boost: float = 0.0          # process skill from training, fading unless reinforced
    reinforced_day: float = 0.0         # when the trained boost was last taught or reinforced
    exit_day: float | None = None
    hours: dict = field(default_factory=lambda: dict.fromkeys(ACTIVITIES, 0.0))
    capacity_hours: float = 0.0
    month_bookings: float = 0.0
    month_won: int = 0
    year_bookings: float = 0.0          # bookings in the current quota year (for commission)
    variable_pay: float = 0.0           # commission earned this month
    bookings_log: list = field(default_factory=list)  # (month, bookings) for attainment pace

    def effective_process(self, now: float, stability_days: float) -> float:
        return min(1.0, self.process + self.trained_boost * retention(now - self.reinforced_day,
                                                                        stability_days))

    @property
    def active(self) -> bool:
        return self.exit_day is None


@dataclass(slots=True)
class Territory:
    territory_id: int
    segment: str
    fsm_id: int
    bank: HoursBank
    seller: Seller | None = None
    vacant_since: float | None = None
    open_opps: dict = field(default_factory=dict)  # opportunity_id -> open Opportunity
    prospects: list = field(default_factory=list)
    customers: list = field(default_factory=list)
    coached_hours_week: float = 0.0      # coaching planned this week (taken off capacity)
    coachable_hours_week: float = 0.0    # capacity left after admin, internal and training
    cover_hours_week: float = 0.0        # FSM hours covering this territory while vacant

    @property
    def vacant(self) -> bool:
        return self.seller is None
