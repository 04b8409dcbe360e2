"""Seller competencies: growth toward potential, and the forgetting of trained skill.

A trained skill boost fades on the Ebbinghaus curve R = exp(-t/s) (Murre & Dros 2015), where t is
the time since the skill was last reinforced. Coaching on behaviours moves the reinforcement clock
toward the present, which is how coaching "stops the forgetting".
"""

from __future__ import annotations

import math
from dataclasses import dataclass



@dataclass(slots=True)
class Boost:
    """Skill taught by a training: it fades on the forgetting curve unless coaching reinforces it.

    ``connected`` training was designed with the coaching and content (one design point), so every
    coaching session reinforces it; event-style training is reinforced only by FSMs whose coaching
    is tied to the enablement approach, or weakly.
    """
    skill: str
    amount: float
    reinforced_day: float
    connected: bool

    def value(self, now: float, stability_days: float) -> float:
        """What is left of the boost: ``amount`` times the retention exp(-t/s)."""
        days = now - self.reinforced_day
        return self.amount * math.exp(-(days if days > 0.0 else 0.0) / stability_days)


def grow_toward(level: float, potential: float, rate: float) -> float:
    """Close a share ``rate`` (0..1) of the gap to potential; never overshoot, never fall."""
    if level >= potential:
        return level
    # min(1.0, max(0.0, rate)) as conditionals: coaching and learning call this thousands of
    # times a year, and a call to min() or max() costs ten times as much.
    share = rate if rate > 0.0 else 0.0
    share = share if share < 1.0 else 1.0
    return level + share * (potential - level)


def learning_on_the_job(level: float, potential: float, days: float, time_constant_days: float) -> float:
    """Knowledge learned by doing the job: the gap to potential closes exponentially."""
    return grow_toward(level, potential, 1.0 - math.exp(-days / time_constant_days))
