"""Enablement content: quality and fit to the journey's phases and buyer roles.

Content adds knowledge-equivalent quality to each round (interaction.content_effect), in full for
the buyer roles it addresses (model/content.py). Content connected to training ("no training
without content, no content without training") is adopted and shortens the search for information; a flood of unconnected content is mostly ignored
("they just switch off the noise") and adds search time. The effect ramps in over the rollout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from salessim.config import MONEY_MAX_USD, prob, rng
from salessim.model.content import PHASES, content_parts
from salessim.model.levers.base import EffectSpec, Lever


@dataclass
class ContentSpec(EffectSpec):
    content_quality: float = prob(0.7)
    fit_awareness: float = prob(0.6, "fit of the new content to the awareness phase")
    fit_buying: float = prob(0.7, "fit of the new content to the buying phase")
    role_coverage: float = prob(0.7, "share of buyer roles the new content addresses")
    # The roles it addresses by name (as enablement.content_roles); unset: role_coverage says.
    roles: Optional[List[str]] = None
    connected: bool = True
    adoption_unconnected: float = prob(0.3, "share of unconnected content sellers actually use")
    search_hours_change: float = rng(-1.5, ge=-40.0, le=40.0,
                                     doc="weekly search hours gained (-) or lost (+) once in place")
    # A content programme's costs, as the shipped ones' (docs/model.md section 16.9): content
    # described on the command line is not free unless its costs are set to 0.
    one_off_cost_usd: float = rng(250_000.0, ge=0.0, le=MONEY_MAX_USD, doc="paid in the start month")
    running_cost_usd_per_year: float = rng(100_000.0, ge=0.0, le=MONEY_MAX_USD,
                                           doc="paid by the week from the start month")


class ContentLever(Lever):
    spec_class = ContentSpec
    sets_state = "the content's effect and search hours"

    def __init__(self, name: str, spec: ContentSpec) -> None:
        super().__init__(name, spec)
        self.before: dict | None = None

    def on_month(self, world, month: int) -> None:
        s: ContentSpec = self.spec
        p = self.progress(month)
        if p <= 0.0:
            return
        content = world.content
        if self.before is None:
            self.before = content.snapshot()
        lift = world.cfg.enablement.content_lift
        g = p * s.effect_scale  # the share of the change in place
        for phase, fit in zip(PHASES, (s.fit_awareness, s.fit_buying)):
            uniform, by_role = content_parts(lift, s.content_quality, fit, s.role_coverage, s.roles)
            content.effect[phase] = self._ramped(self.before["effect"][phase], uniform, g)
            if content.by_role is not None:  # roles in play: each role's extra ramps alike
                old, new = self.before["by_role"][phase], by_role or {}
                content.by_role[phase] = {role: self._ramped(old.get(role, 0.0), new.get(role, 0.0), g)
                                          for role in dict.fromkeys([*old, *new])}
        content.search_hours = max(0.0, self.before["search"] + g * s.search_hours_change)

    def _ramped(self, old: float, target: float, g: float) -> float:
        """A part of the content's effect with a share ``g`` of the change in place. Connected
        content replaces the old; unconnected content is used where it beats the old, by the share
        of sellers who adopt it."""
        s: ContentSpec = self.spec
        new = target if s.connected else max(old, s.adoption_unconnected * target)
        effect = old + g * (new - old)
        # Scaled past its whole (effect_scale > 1), a worsening stops at no effect at all.
        return effect if effect > 0.0 else 0.0
