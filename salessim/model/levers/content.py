"""Enablement content: quality and fit to the journey's phases and buyer roles.

Content adds knowledge-equivalent quality to each round (interaction.content_effect). Content
connected to training ("no training without content, no content without training") is adopted
and shortens the search for information; a flood of unconnected content is mostly ignored
("they just switch off the noise") and adds search time. The effect ramps in over the rollout.
"""

from __future__ import annotations

from dataclasses import dataclass

from salessim.config import MONEY_MAX_USD, prob, rng
from salessim.model.interaction import content_effect
from salessim.model.levers.base import EffectSpec, Lever


@dataclass
class ContentSpec(EffectSpec):
    content_quality: float = prob(0.7)
    fit_awareness: float = prob(0.6, "fit of the new content to the awareness phase")
    fit_buying: float = prob(0.7, "fit of the new content to the buying phase")
    role_coverage: float = prob(0.7, "share of buyer roles the new content addresses")
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
        if self.before is None:
            self.before = {"effect": dict(world.content_effect), "search": world.search_hours}
        lift = world.cfg.enablement.content_lift
        adoption = 1.0 if s.connected else s.adoption_unconnected
        target = {"awareness": content_effect(lift, s.content_quality, s.fit_awareness, s.role_coverage),
                  "buying": content_effect(lift, s.content_quality, s.fit_buying, s.role_coverage)}
        g = p * s.effect_scale  # the share of the change in place
        for phase, old in self.before["effect"].items():
            new = max(old, adoption * target[phase]) if not s.connected else target[phase]
            effect = old + g * (new - old)
            # Scaled past its whole (effect_scale > 1), a worsening stops at no effect at all.
            world.content_effect[phase] = effect if effect > 0.0 else 0.0
        world.search_hours = max(0.0, self.before["search"] + g * s.search_hours_change)
