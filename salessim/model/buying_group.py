"""The buying group: stakeholders, their support for our offer, and the group's decision.

Each stakeholder has an influence weight, a support level in [-1, 1] (initial stance, moved by
every round of interaction that reaches them), a risk aversion and an alignment with a shared
vision. The first stakeholder is the economic buyer, the one the economic-buyer rule listens to. A seller reaches only
``contacts_per_round`` stakeholders per round (most influential first, in rotation), so larger
groups get less attention each and disagree more. The decision is a multinomial logit over three
options -- our offer, the competitor's, the status quo -- computed from the group's utilities by
the configured decision rule. Disagreement inside the group strengthens the status quo
("no decision": CEB's buying-group research; CSO Insights 2016's 24% of forecast deals).
"""

from __future__ import annotations

import math
from operator import mul

from salessim.rng import Stream

WON, LOST, NO_DECISION = "won", "lost_competitor", "no_decision"


def clip_support(x: float) -> float:
    return -1.0 if x < -1.0 else (1.0 if x > 1.0 else x)


class BuyingGroup:
    __slots__ = ("influence", "support", "risk_aversion", "alignment", "roles", "_next_contact",
                 "_order", "added")

    def __init__(self) -> None:
        self.influence: list[float] = []
        self.support: list[float] = []
        self.risk_aversion: list[float] = []
        self.alignment: list[float] = []  # how far each concept of the problem matches a shared vision
        self.roles: list[str] | None = None  # drawn only where content addresses roles (model/content.py)
        self._next_contact = 0
        self._order: list[int] | None = None
        self.added = 0  # stakeholders who joined after the group was formed

    def add(self, influence: float, support: float, risk_aversion: float, alignment: float,
            role: str | None = None) -> None:
        """A stakeholder who joins; ``role`` where the group's stakeholders have roles."""
        self.influence.append(influence)
        self.support.append(clip_support(support))
        self.risk_aversion.append(risk_aversion)
        self.alignment.append(alignment)
        if self.roles is not None:
            self.roles.append(role)
        self._order = None

    def _contact_order(self) -> list[int]:
        """The stakeholders by influence, highest first: the order a seller reaches them in."""
        if self._order is None:
            self._order = sorted(range(len(self.support)), key=self.influence.__getitem__, reverse=True)
        return self._order

    def audience_extra(self, extra_by_role: dict[str, float], contacts: int) -> float:
        """The mean, over the stakeholders the next round reaches, of the extra content effect
        their role gets: content that addresses the people in the room. Its rotation mirrors
        ``interact``'s (tests/test_content_roles.py ties the two)."""
        roles, order = self.roles, self._contact_order()
        n = len(order)
        reached = contacts if contacts < n else n
        first = self._next_contact
        return sum([extra_by_role.get(roles[order[k % n]], 0.0)
                    for k in range(first, first + reached)]) / reached

    def weighted_support(self) -> float:
        return sum(map(mul, self.influence, self.support)) / sum(self.influence)

    def weighted_alignment(self) -> float:
        return sum(map(mul, self.influence, self.alignment)) / sum(self.influence)

    def interact(self, quality: float, learning_rate: float, neutral: float, noise_sd: float,
                 contacts: int, align_rate: float, rs: Stream) -> None:
        """One round of selling: the stakeholders reached move with the round's quality.

        ``align_rate`` > 0 in the awareness phase: understanding each stakeholder's concept moves
        it toward a shared vision of success, in proportion to the round's quality.
        """
        support, alignment = self.support, self.alignment
        n = len(support)
        push = learning_rate * (quality - neutral)
        # The rotation, which audience_extra mirrors; _contact_order inlined: every round runs it
        if self._order is None:
            self._order = sorted(range(n), key=self.influence.__getitem__, reverse=True)
        order = self._order
        noise = rs.std_normal
        reached = contacts if contacts < n else n
        first = self._next_contact
        for k in range(first, first + reached):
            i = order[k % n]
            s = support[i] + push + noise_sd * noise()
            support[i] = -1.0 if s < -1.0 else (1.0 if s > 1.0 else s)  # clip_support, inlined
            if align_rate > 0.0:
                alignment[i] += align_rate * quality * (1.0 - alignment[i])
        self._next_contact = (first + reached) % n

    def shift_all(self, delta: float) -> None:
        self.support = [clip_support(s + delta) for s in self.support]


def draw_group(n: int, stance_mean: float, stance_sd: float, known_share: float,
               known_bonus: float, rs: Stream, buyer_influence: float,
               other_influence: float) -> BuyingGroup:
    """A new buying group of ``n``; the first stakeholder is the economic buyer. Influence is
    Exp(1) plus ``buyer_influence`` for the economic buyer, ``other_influence`` for the others."""
    group = BuyingGroup()
    uniform, normal, exponential = rs.uniform, rs.std_normal, rs.std_exponential
    influence, support, risk_aversion, alignment = [], [], [], []
    for i in range(n):
        influence.append(exponential() + (buyer_influence if i == 0 else other_influence))
        known = uniform() < known_share
        s = stance_mean + stance_sd * normal() + (known_bonus if known else 0.0)
        support.append(-1.0 if s < -1.0 else (1.0 if s > 1.0 else s))  # clip_support, inlined
        risk_aversion.append(0.5 + uniform())
        alignment.append(uniform())
    group.influence, group.support = influence, support
    group.risk_aversion, group.alignment = risk_aversion, alignment
    return group


def perceived_risk(value_usd: float, reference_usd: float, weight: float) -> float:
    """Risk a stakeholder of unit risk aversion sees in a deal: grows with its size."""
    return weight * math.log1p(value_usd / reference_usd)


def _blocked(utilities: list[float], veto: float, temperature: float, rs: Stream) -> bool:
    """The soft veto: each member blocks an option with a logistic chance in their own utility
    for it, one half at the veto threshold, on the decision logit's temperature (the random-utility
    form of a yes/no choice), so each member added is one more chance that the group cannot
    agree. Every member draws, so a decision's draws do not depend on who blocks first."""
    uniform = rs.uniform
    # 0.5 - 0.5 tanh(z / 2) is the logistic 1 / (1 + e^z), without overflow at a low temperature
    return any([uniform() < 0.5 - 0.5 * math.tanh((x - veto) / (2.0 * temperature)) for x in utilities])


def decide(group: BuyingGroup, risk: float, competitor: float | None, rule: str,
           status_quo: float, dissent_weight: float, vision_weight: float, temperature: float,
           veto: float, rs: Stream, offer: float, appeal_sd: float, risk_share: float) -> str:
    """The group's choice between our offer, the competitor's (if present) and the status quo.

    ``offer`` is extra appeal of our offer to every stakeholder (a discount); ``appeal_sd`` the
    spread of the competitor's appeal between stakeholders, ``risk_share`` the share of our risk
    they see in its offer. Called with positional arguments only: on Python 3.11 a call with
    keywords takes the interpreter's slow path (docs/performance.md, "Keeping it fast").
    """
    support, risk_aversion, influence = group.support, group.risk_aversion, group.influence
    ours = [s - r * risk + offer for s, r in zip(support, risk_aversion)]
    # The competitor has worked the same group; it carries a little less of our risk
    # (incumbents and well-known brands feel safer) and its own per-person appeal.
    if competitor is not None:
        noise = rs.std_normal
        theirs = [competitor + appeal_sd * noise() - risk_share * r * risk for r in risk_aversion]
    else:
        theirs = None
    total = sum(influence)
    if rule == "economic_buyer":
        u = ours[0]
        v = None if theirs is None else theirs[0]
        dissent = 0.0
    else:
        w = [x / total for x in influence]
        u = sum(map(mul, w, ours))
        v = None if theirs is None else sum(map(mul, w, theirs))
        dissent = math.sqrt(sum([wi * (x - u) ** 2 for wi, x in zip(w, ours)]))
        if rule == "unanimity_veto":
            if min(ours) < veto:
                u = -math.inf
            if theirs is not None and min(theirs) < veto:
                v = -math.inf
        elif rule == "soft_veto":
            if _blocked(ours, veto, temperature, rs):
                u = -math.inf
            if theirs is not None and _blocked(theirs, veto, temperature, rs):
                v = -math.inf
    # Disagreement and a missing shared vision both keep the group where it is.
    q = status_quo + dissent_weight * dissent + vision_weight * (1.0 - group.weighted_alignment())
    # Multinomial logit, drawn by walking the options in the order won, no decision, lost.
    # (Totals use sum(): Python 3.12+ sums floats with compensation, and a plain + would not.)
    exp = math.exp
    if v is None:
        top = q if q > u else u
        e_won, e_none = exp((u - top) / temperature), exp((q - top) / temperature)
        return WON if rs.uniform() * sum((e_won, e_none)) - e_won <= 0.0 else NO_DECISION
    top = q if q > u else u  # max(u, q, v), without the cost of a call to max()
    if v > top:
        top = v
    e_won, e_none, e_lost = (exp((u - top) / temperature), exp((q - top) / temperature),
                             exp((v - top) / temperature))
    draw = rs.uniform() * sum((e_won, e_none, e_lost)) - e_won
    if draw <= 0.0:
        return WON
    return NO_DECISION if draw - e_none <= 0.0 else LOST
