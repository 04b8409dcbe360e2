"""Whole numbers from shares: seats, teams and training waves, counted as a planner counts them.

Its own module because the levers count too, and the organization that builds them imports them.
"""

from __future__ import annotations

import math


def round_half_up(x: float) -> int:
    """The nearest whole number, halves up: 20 sellers at a span of 8 make 3 teams, as a planner
    would count them (Python's round() takes halves to the even number, 2). The quotient of two
    decimals can fall a hair below the half it stands for (33 / 4.4 is 7.4999...): it is taken to
    nine decimals first, far finer than any share or span is given in."""
    return math.floor(round(x, 9) + 0.5)
