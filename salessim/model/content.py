"""The enablement content in force, and the buyer roles it addresses.

Content adds knowledge-equivalent quality to each round of interaction (interaction.content_effect):
in full for the buyer roles it addresses, in half for the others. Content described by the share
of roles it addresses (``enablement.content_role_coverage``) helps every round alike. Content
described by the roles themselves (``enablement.content_roles``, or a content investment's
``roles``) helps a round by whom the seller meets in it: each stakeholder of a buying group then
has a role, the first the economic buyer, the others drawn by ``market.stakeholder_roles``, and a
round's content effect is the half every role gets plus the mean, over the stakeholders the round
reaches, of what their role gets beyond it. Sources: content "tailored for the key buyer role" in
transactional environments, "different buyer roles" to address in complex ones (*Is Sales
Enablement Making Salespeople Stupid? Part 3*).
"""

from __future__ import annotations

from bisect import bisect
from itertools import accumulate
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from salessim.config import ECONOMIC_BUYER
from salessim.model.interaction import content_effect

if TYPE_CHECKING:
    from salessim.config import Config
    from salessim.rng import Stream

PHASES = ("awareness", "buying")  # the phases content is fitted to (delivery has no rounds)


class RoleMix:
    """Draws a stakeholder's role, beside the economic buyer, by ``market.stakeholder_roles``."""

    __slots__ = ("_names", "_bounds")

    def __init__(self, shares: dict[str, float]) -> None:
        names = [name for name, share in shares.items() if share > 0.0]
        total = sum(shares[name] for name in names)
        self._names = names
        self._bounds = [edge / total for edge in accumulate(shares[name] for name in names)][:-1]

    def draw(self, rs: "Stream") -> str:
        return self._names[bisect(self._bounds, rs.uniform())]

    def group(self, n: int, rs: "Stream") -> list[str]:
        """The roles of a new group of ``n``: the economic buyer first."""
        return [ECONOMIC_BUYER] + [self.draw(rs) for _ in range(n - 1)]


def content_parts(lift: float, quality: float, fit: float, role_coverage: float,
                  roles: list[str] | None) -> tuple[float, dict[str, float] | None]:
    """Content's effect in one phase, as (what every round gets, what a stakeholder of each role
    addressed gets beyond it). Content given by its share of roles has no second part (None)."""
    if roles is None:
        return content_effect(lift, quality, fit, role_coverage), None
    unaddressed = content_effect(lift, quality, fit, 0.0)
    extra = content_effect(lift, quality, fit, 1.0) - unaddressed
    return unaddressed, dict.fromkeys(roles, extra)


def roles_in_play(cfg: "Config") -> bool:
    """Whether any content of the scenario addresses roles by name (then groups have roles)."""
    return cfg.enablement.content_roles is not None or any(
        isinstance(raw, Mapping) and raw.get("kind") == "content" and raw.get("roles") is not None
        for raw in cfg.investment.values())


class Content:
    """The content in force: its effect by phase (``effect``), the extra by role and phase where
    roles are in play (``by_role``, else None), the role mix that gives groups their roles (else
    None), and the weekly hours sellers spend searching for content. A content investment changes
    them as it rolls out (levers/content.py), ``effect`` in place: the world reads the same dict
    at every round as ``World.content_effect``."""

    __slots__ = ("effect", "by_role", "role_mix", "search_hours")

    def __init__(self, cfg: "Config") -> None:
        en = cfg.enablement
        parts = {phase: content_parts(en.content_lift, en.content_quality, fit, en.content_role_coverage,
                                      en.content_roles)
                 for phase, fit in zip(PHASES, (en.content_fit_awareness, en.content_fit_buying))}
        self.effect = {phase: uniform for phase, (uniform, _) in parts.items()}
        in_play = roles_in_play(cfg)
        self.by_role: dict[str, dict[str, float]] | None = (
            {phase: by_role or {} for phase, (_, by_role) in parts.items()} if in_play else None)
        self.role_mix = RoleMix(cfg.market.stakeholder_roles) if in_play else None
        self.search_hours = en.search_hours

    def snapshot(self) -> dict[str, Any]:
        """What a content investment starts from (its rollout moves away from it)."""
        return {"effect": dict(self.effect), "search": self.search_hours,
                "by_role": None if self.by_role is None else {p: dict(r) for p, r in self.by_role.items()}}
