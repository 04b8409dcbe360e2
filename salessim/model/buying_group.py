"""The buying group: stakeholders, their support for our offer, and the group's decision.

Each stakeholder has a role, an influence weight, a support level in [-1, 1] (initial stance,
moved by every round of interaction that reaches them) and a risk aversion. A seller reaches only
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

ROLES = ("economic_buyer", "technical_evaluator", "user", "finance", "procurement",
         "executive_sponsor", "legal", "it_security", "operations", "champion")


def role_of(i: int) -> str:
    """Stakeholder ``i``'s role: the first is the economic buyer, the others cycle through the rest.

    Roles label people; only the economic buyer's position (first) changes behaviour (the
    economic-buyer decision rule), so groups do not store them.
    """
    return ROLES[0] if i == 0 else ROLES[1 + (i - 1) % (len(ROLES) - 1)]

WON, LOST, NO_DECISION = "won", "lost_competitor", "no_decision"


class BuyingGroup:
    __slots__ = ("influence", "support", "risk_aversion", "alignment", "_next_contact",
                 "_order", "added")

    def __init__(self) -> None:
        self.influence: list[float] = []
        self.support: list[float] = []
        self.risk_aversion: list[float] = []
        self.alignment: list[float] = []  # how far each concept of the problem matches a shared vision
        self._next_contact = 0
        self._order: list[int] | None = None
        self.added = 0  # stakeholders who joined after the group was formed

    def __len__(self) -> int:
        return len(self.support)

    def add(self, influence: float, support: float, risk_aversion: float, alignment: float) -> None:
        self.influence.append(influence)
        self.support.append(max(-1.0, min(1.0, support)))
        self.risk_aversion.append(risk_aversion)
        self.alignment.append(alignment)
        self._order = None

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
        if self._order is None:
            self._order = sorted(range(n), key=self.influence.__getitem__, reverse=True)
        order = self._order
        noise = rs.std_normal
        reached = contacts if contacts < n else n
        first = self._next_contact
        for k in range(first, first + reached):
            i = order[k % n]
            s = support[i] + push + noise_sd * noise()
            support[i] = -1.0 if s < -1.0 else (1.0 if s > 1.0 else s)
            if align_rate > 0.0:
                alignment[i] += align_rate * quality * (1.0 - alignment[i])
        self._next_contact = (first + reached) % n

    def shift_all(self, delta: float) -> None:
        self.support = [-1.0 if x < -1.0 else (1.0 if x > 1.0 else x)
                        for x in [s + delta for s in self.support]]


def draw_group(n: int, stance_mean: float, stance_sd: float, known_share: float,
               known_bonus: float, rs: Stream) -> BuyingGroup:
    """A new buying group of ``n``; the first stakeholder is the economic buyer."""
    group = BuyingGroup()
    uniform, normal, exponential = rs.uniform, rs.std_normal, rs.std_exponential
    influence, support, risk_aversion, alignment = [], [], [], []
    for i in range(n):
        influence.append(exponential() + (1.0 if i == 0 else 0.2))
        known = uniform() < known_share
        s = stance_mean + stance_sd * normal() + (known_bonus if known else 0.0)
        support.append(-1.0 if s < -1.0 else (1.0 if s > 1.0 else s))
        risk_aversion.append(0.5 + uniform())
        alignment.append(uniform())
    group.influence, group.support = influence, support
    group.risk_aversion, group.alignment = risk_aversion, alignment
    return group


def perceived_risk(value_usd: float, reference_usd: float, weight: float) -> float:
    """Risk a stakeholder of unit risk aversion sees in a deal: grows with its size."""
    return weight * math.log1p(value_usd / reference_usd)


def decide(group: BuyingGroup, risk: float, competitor: float | None, rule: str,
           status_quo: float, dissent_weight: float, vision_weight: float, temperature: float,
           veto: float, rs: Stream, offer: float = 0.0) -> str:
    """The group's choice between our offer, the competitor's (if present) and the status quo.

    ``offer`` is extra appeal of our offer to every stakeholder (a discount).
    """
    support, risk_aversion, influence = group.support, group.risk_aversion, group.influence
    ours = [s - r * risk + offer for s, r in zip(support, risk_aversion)]
    # The competitor has worked the same group; it carries a little less of our risk
    # (incumbents and well-known brands feel safer) and its own per-person appeal.
    if competitor is not None:
        noise = rs.std_normal
        theirs = [competitor + 0.2 * noise() - 0.8 * r * risk for r in risk_aversion]
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
        spread = 0.0
        for wi, x in zip(w, ours):
            spread += wi * (x - u) ** 2
        dissent = math.sqrt(spread)
        if rule == "unanimity_veto":
            if min(ours) < veto:
                u = -math.inf
            if theirs is not None and min(theirs) < veto:
                v = -math.inf
    # Disagreement and a missing shared vision both keep the group where it is.
    q = status_quo + dissent_weight * dissent + vision_weight * (1.0 - group.weighted_alignment())
    # Multinomial logit, drawn by walking the options in the order won, no decision, lost.
    exp = math.exp
    if v is None:
        top = q if q > u else u
        e_won, e_none = exp((u - top) / temperature), exp((q - top) / temperature)
        return WON if rs.uniform() * (e_won + e_none) - e_won <= 0.0 else NO_DECISION
    top = max(u, q, v)
    e_won, e_none, e_lost = (exp((u - top) / temperature), exp((q - top) / temperature),
                             exp((v - top) / temperature))
    draw = rs.uniform() * (e_won + e_none + e_lost) - e_won
    if draw <= 0.0:
        return WON
    return NO_DECISION if draw - e_none <= 0.0 else LOST
