"""Customers lost: each month a customer may leave, and becomes a prospect again, with a chance
that falls as the satisfaction of its last delivery rises (docs/model.md, section 9.7)."""

from __future__ import annotations

# A customer without a delivery in the run (one of the first customers) leaves at its segment's
# rate, as one whose delivery satisfied it halfway.
NEUTRAL_SATISFACTION = 0.5


def monthly_chance(annual: float) -> float:
    """The chance a month that loses the share ``annual`` of customers in a year."""
    return 1.0 - (1.0 - annual) ** (1.0 / 12.0)


def leave_chance(monthly: float, satisfaction: float) -> float:
    """A customer's chance to leave this month: the segment's ``monthly`` at satisfaction 0.5,
    twice it at 0, none at 1 (a customer whose value was delivered stays)."""
    return monthly * 2.0 * (1.0 - satisfaction)
