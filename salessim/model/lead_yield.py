"""Leads that seller effort finds at a territory's accounts: a yield that saturates.

An account holds only so many buying needs a year that a seller's prospecting or account work
can uncover. Effort finds them as random search does (Koopman's law, *Search and Screening*,
1946): with ``E`` leads' worth of effort at the configured leads per hour, and at most ``C`` to
be found among the accounts in a week, the expected leads are ``C (1 - exp(-E / C))``. Little
effort finds ``E``, as the per-hour rates say; effort comparable to ``C`` finds less per hour,
and no effort finds more than ``C``. So a seat with few accounts for its hours (named accounts,
seats added to a segment) prospects a shrinking pool, and over-coverage wastes capacity.
"""

from __future__ import annotations

import math


def leads_found(effort_leads: float, accounts: int, ceiling_per_account_week: float) -> float:
    """Expected leads from ``effort_leads`` worth of effort on ``accounts`` accounts, each holding
    at most ``ceiling_per_account_week`` leads a week."""
    ceiling = accounts * ceiling_per_account_week
    if ceiling <= 0.0 or effort_leads <= 0.0:
        return 0.0
    # -expm1(-x) is 1 - exp(-x) without losing its digits when the ceiling is far away.
    return -ceiling * math.expm1(-effort_leads / ceiling)
