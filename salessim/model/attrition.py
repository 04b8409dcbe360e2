"""Seller attrition: a monthly exit hazard.

hazard = base x exp(a x shortfall) x exp(p x (1 - pay ratio)) x poor-manager multiple, where
shortfall = max(0, 1 - attainment pace over the last 12 months). Top performers (pace at or above
``top_performer_attainment``) under a poor FSM leave more: the multiple grows linearly as the
FSM's coaching quality falls below 0.5 ("poorly developed FSMs drive top performers out").
New hires are not judged on attainment during their first six months (ramp), nor later on those
months: the pace counts only the months after the grace.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

RAMP_GRACE_MONTHS = 6
PACE_WINDOW_MONTHS = 12
PACE_PRIOR_MONTHS = 3  # a few months of on-quota credit: one bad month does not mark a seller


TENURE_ROUNDING = 1e-6  # months: far below a day, far above a float's error on day counts


def after_ramp_grace(tenure_months: float) -> bool:
    """Whether a month that closes at this tenure ends after the ramp grace. Six months of the
    4-4-5 calendar are 26 weeks, exactly six average months: a hire's sixth month closes at a
    tenure of 6 (up to rounding), and it is still ramp."""
    return tenure_months > RAMP_GRACE_MONTHS + TENURE_ROUNDING


def attainment_pace(bookings_log: Iterable, month: int, monthly_quota: float) -> float | None:
    """Bookings over the last (up to) 12 months over their quota, shrunk toward 1 by a prior of
    three on-quota months, as a manager judges a short record with some benefit of the doubt.

    ``bookings_log`` holds (month, bookings, quota of that month); ``monthly_quota`` is a
    twelfth of the yearly quota, the size of one prior month.
    """
    recent = [(b, q) for m, b, q in bookings_log if m > month - PACE_WINDOW_MONTHS]
    if not recent:
        return None
    bookings = sum(b for b, _ in recent) + PACE_PRIOR_MONTHS * monthly_quota
    return bookings / (sum(q for _, q in recent) + PACE_PRIOR_MONTHS * monthly_quota)


def exit_hazard(pace: float | None, tenure_months: float, fsm_quality: float, org, pay_ratio: float) -> float:
    h = org.attrition_base_monthly * math.exp(org.attrition_pay_sensitivity * (1.0 - pay_ratio))
    if pace is not None and after_ramp_grace(tenure_months):
        h *= math.exp(org.attrition_attainment_sensitivity * max(0.0, 1.0 - pace))
        if pace >= org.top_performer_attainment:
            h *= 1.0 + org.attrition_poor_manager_top * max(0.0, 0.5 - fsm_quality) * 2.0
    return min(1.0, h)


def performer_tier(pace: float | None, top: float, tenure_months: float) -> str:
    if pace is None or not after_ramp_grace(tenure_months):
        return "new"
    if pace >= top:
        return "top"
    if pace < 0.7:
        return "bottom"
    return "core"
