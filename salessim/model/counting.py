"""Whole numbers from shares: seats, teams and training waves, counted as a planner counts them.

Its own module because the levers count too, and the organization that builds them imports them.
"""

from __future__ import annotations

import math


def round_half_up(x: float) -> int:
    """The nearest whole number, halves up: 20 sellers at a span of 8 make 3 teams, as a planner
    would count them (Python's round() takes halves to the even number, 2)."""
    return math.floor(x + 0.5)
