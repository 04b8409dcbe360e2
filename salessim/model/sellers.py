"""Sellers (people) and territories (the seats they fill, with accounts and a bank of hours).

A territory outlives the people in it: when a seller leaves, the territory is vacant (its FSM
covers a few hours a week) until a hire arrives after the hiring lag and ramps up.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from salessim.model.attrition import PACE_WINDOW_MONTHS
from salessim.model.capacity import HoursBank

COVER_SKILLS = (0.55, 0.55, 0.55)  # an FSM covering a vacant territory: an experienced seller

# Hour categories of a seller's week, in the order they appear in the seller panel.
ACTIVITIES = ("prospecting", "opportunity", "account_mgmt", "admin", "internal", "training", "coached")


@dataclass(slots=True, eq=False)  # an entity: equal only to itself
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
    # The market's pay for this seller: the seat's on-target earnings when they were hired over
    # the pay ratio then. A seat whose pay is cut later (a conversion to inside sales) pays its
    # incumbent below the market they were hired from; their replacement is hired at the new pay.
    market_pay_usd: float
    boosts: list = field(default_factory=list)  # trained skill (skills.Boost), fading
    training_due_hours: float = 0.0     # classroom hours still to take (out of the field)
    extra_hours: float = 0.0            # weekly hours above (or below) the norm: effort
    exit_day: float | None = None
    hours: dict = field(default_factory=lambda: dict.fromkeys(ACTIVITIES, 0.0))
    capacity_hours: float = 0.0
    month_bookings: float = 0.0
    month_won: int = 0
    period_bookings: float = 0.0        # bookings in the current quota period (for commission)
    variable_pay: float = 0.0           # commission earned this month
    # (month, bookings, quota) of the months the attainment pace looks at; older ones drop out,
    # so a month's close costs the same in year 10 as in year 1. The month's close appends one
    # entry per seller for each month after the ramp grace (attrition.after_ramp_grace): the last
    # twelve entries are then the last twelve months after it.
    bookings_log: deque = field(default_factory=lambda: deque(maxlen=PACE_WINDOW_MONTHS))

    def competencies(self, now: float, stability_days: float) -> tuple[float, float, float]:
        """(process, knowledge, adaptive) including what is left of trained boosts."""
        p, k, a = self.process, self.knowledge, self.adaptive
        for b in self.boosts:
            v = b.value(now, stability_days)
            if b.skill == "process":
                p += v
            elif b.skill == "knowledge":
                k += v
            else:
                a += v
        return (p if p < 1.0 else 1.0), (k if k < 1.0 else 1.0), (a if a < 1.0 else 1.0)


@dataclass(slots=True, eq=False)  # an entity: equal only to itself
class Territory:
    territory_id: int
    segment: str
    fsm_id: int
    bank: HoursBank
    seller: Seller | None = None
    open_opps: dict = field(default_factory=dict)  # opportunity_id -> open Opportunity
    prospects: list = field(default_factory=list)
    customers: list = field(default_factory=list)
    role: str = "field"                  # descriptive: field, inside_sales or named_account
    coverage_seat: bool = False          # converted or added by a coverage investment
    quota_usd: float = 0.0               # yearly quota of the seat
    ote_usd: float = 0.0                 # on-target earnings of the seat
    step_hours_factor: float = 1.0       # seller hours per round relative to the segment's
    admin_hours: float = 0.0             # weekly admin hours of the seat (CRM and tools act here)
    vacancies: int = 0                   # vacancies opened so far: a vacancy's key (rng.Keyed)
    internal_hours: float = 0.0          # weekly internal hours (meetings, travel)
    coached_hours_week: float = 0.0      # coaching planned this week (taken off capacity)
    coachable_hours_week: float = 0.0    # capacity left after admin, internal and training
    cover_hours_week: float = 0.0        # FSM hours covering this territory while vacant

    @property
    def vacant(self) -> bool:
        return self.seller is None
