"""Pay and quota: base salary, commission with an accelerator above quota and a cap.

Commission is paid on each booking at the rate that puts a seller at on-target earnings when
bookings equal quota: rate = variable pay at target / annual quota. Bookings beyond quota earn
``accelerator`` times that rate, up to ``cap_attainment`` times quota. Quota periods (a year,
or a quarter) tile the run so that one starts at the end of the warm-up.
"""

from __future__ import annotations


def commission(period_bookings_before: float, booking: float, quota: float, variable_at_target: float,
               accelerator: float, cap_attainment: float) -> float:
    """Commission on ``booking`` in a quota period that had booked ``period_bookings_before``:
    the rate up to ``quota``, the accelerated rate above it, none past the cap."""
    rate = variable_at_target / quota
    lo, hi = period_bookings_before, period_bookings_before + booking
    below = max(0.0, min(hi, quota) - lo)
    above = max(0.0, min(hi, cap_attainment * quota) - max(lo, quota))
    return rate * below + rate * accelerator * above


def base_pay(on_target_earnings: float, base_share: float, year_share: float) -> float:
    """Base salary for a share of the year."""
    return on_target_earnings * base_share * year_share
