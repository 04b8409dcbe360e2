"""Enablement content: quality and fit to the journey's phases and buyer roles.

Content adds knowledge-equivalent quality to each round (interaction.content_effect), in full for
the buyer roles it addresses (model/content.py). Content connected to training ("no training
without content, no content without training") is adopted in full; unconnected content is mostly
ignored ("they just switch off the noise"): only ``adoption_unconnected`` of the sellers use it.
Either kind changes the search for information by ``search_hours_change`` (by default −1.5 hours a
week, shorter); a flood of content is a positive change (the shipped content_flood: +1.5). The
effect ramps in over the rollout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

from salessim.config import MONEY_MAX_USD, prob, rng, setting
from salessim.model.content import PHASES, content_parts
from salessim.model.levers.base import EffectSpec, Lever


@dataclass
class ContentSpec(EffectSpec):
    content_quality: float = prob(0.7, "quality of the new content")
    fit_awareness: float = prob(0.6, "fit of the new content to the awareness phase")
    fit_buying: float = prob(0.7, "fit of the new content to the buying phase")
    role_coverage: float = prob(0.7, "share of buyer roles the new content addresses")
    # The roles it addresses by name (as enablement.content_roles; role_coverage is then not
    # read; a role of share 0 in market.stakeholder_roles addresses no one); unset: role_coverage.
    roles: Optional[List[str]] = setting(None, "buyer roles the new content addresses by name")
    connected: bool = setting(True, "whether it is designed with the training approach, and so fully "
                                    "adopted (no training need be bought; unconnected: "
                                    "adoption_unconnected of it)")
    adoption_unconnected: float = prob(0.3, "share of unconnected content sellers actually use")
    search_hours_change: float = rng(-1.5, ge=-40.0, le=40.0,
                                     doc="weekly search hours gained (-) or lost (+) once in place")
    # A content programme's costs, as the shipped ones' (docs/model.md, 'The shipped investments'): content
    # described on the command line is not free unless its costs are set to 0.
    one_off_cost_usd: float = rng(250_000.0, ge=0.0, le=MONEY_MAX_USD, doc="paid in the start month")
    running_cost_usd_per_year: float = rng(100_000.0, ge=0.0, le=MONEY_MAX_USD,
                                           doc="paid by the week from the start month")


class ContentLever(Lever):
    spec_class = ContentSpec
    doc_section = "16.2"
    sets_state = "the content's effect (by role too) and search hours"

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
            old_uniform = self.before["effect"][phase]
            old_roles = self.before["by_role"][phase] if content.by_role is not None else {}
            new_uniform, new_roles = self._in_use(old_uniform, old_roles, *content_parts(
                lift, s.content_quality, fit, s.role_coverage, s.roles))
            shared = content.effect[phase] = _ramped(old_uniform, new_uniform, g)
            if content.by_role is not None:  # roles in play: the whole effect of each role ramps
                content.by_role[phase] = {
                    role: _ramped(old_uniform + old_roles.get(role, 0.0),
                                  new_uniform + new_roles.get(role, 0.0), g) - shared
                    for role in dict.fromkeys([*old_roles, *new_roles])}
        content.search_hours = max(0.0, self.before["search"] + g * s.search_hours_change)

    def _in_use(self, old_uniform: float, old_roles: dict[str, float], uniform: float,
                by_role: dict[str, float] | None) -> tuple[float, dict[str, float]]:
        """The content in use once this one is in place, in parts (content.content_parts).
        Connected content replaces the old. Unconnected content is used, by the share of sellers
        who adopt it, where it beats the old: for each role, on the whole effect a stakeholder of
        that role gets, so that content for every role acts as content for a share of 1 does."""
        s: ContentSpec = self.spec
        by_role = by_role or {}
        if s.connected:
            return uniform, by_role
        adopted = s.adoption_unconnected
        base = max(old_uniform, adopted * uniform)  # what a role neither content addresses gets
        return base, {role: max(old_uniform + old_roles.get(role, 0.0),
                                adopted * (uniform + by_role.get(role, 0.0))) - base
                      for role in dict.fromkeys([*old_roles, *by_role])}


def _ramped(old: float, new: float, g: float) -> float:
    """A content effect with a share ``g`` of the change from ``old`` to ``new`` in place. Scaled
    past its whole (effect_scale > 1), a worsening stops at no effect at all: for a role, the
    whole effect its stakeholders get does (so content for every role acts as for a share of 1)."""
    effect = old + g * (new - old)
    return effect if effect > 0.0 else 0.0
