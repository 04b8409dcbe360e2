"""One buying journey per lead: qualification, awareness, buying (decision), delivery.

The phases and gates follow the customer's journey of the source articles: in *awareness* the
seller builds a shared vision until the group confirms its pain and decides to change (or the deal
stalls into the status quo); in *buying* new stakeholders can join, escalations need the FSM,
perceived risk grows with deal size and a competitor may be present, until the group decides;
in *delivery* the value delivered decides satisfaction and opens follow-up business.
Every round costs the territory's seller hours from the contended weekly bank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from salessim.model.buying_group import (LOST, NO_DECISION, WON, BuyingGroup, decide, draw_group,
                                         perceived_risk)
from salessim.model.calendar import DAYS_PER_YEAR
from salessim.model.detached import call_after
from salessim.model.interaction import base_quality, clip01
from salessim.model.sellers import COVER_SKILLS

if TYPE_CHECKING:
    from salessim.model.accounts import Account
    from salessim.model.levers.overlay import OverlayPool
    from salessim.model.organization import World
    from salessim.rng import KeyedDraws

# A deal's key: its account's id, then its place among the leads that reached the account (2**20).
DEALS_BITS = 20
# Uniforms, normals and exponentials drawn when a deal starts: 99% of deals need no more
# (measured on the default organization); the others draw further ones in keyed chunks.
DRAWS_AT_ONCE = (48, 64, 20)
ROLE_DRAWS_AT_ONCE = 16  # the buyer roles of a deal's stakeholders, joiners too
DEAL_REVIEW_DAYS = 14.0  # a deal review informs the next two weeks of work on the deal
_DECIDED_BECAUSE = {WON: "chosen", LOST: "competitor_chosen", NO_DECISION: "indecision"}  # a decision's reason


@dataclass(slots=True, eq=False)  # an entity: equal only to itself
class Opportunity:
    opportunity_id: int
    account: "Account"
    territory_id: int
    segment: str
    source: str
    lead_day: float
    created_day: float
    value_usd: float
    group: BuyingGroup
    n_stakeholders: int
    phase: str = "awareness"
    gate_day: float | None = None
    closed_day: float | None = None
    outcome: str = "open"
    reason: str = ""
    escalations: int = 0
    escalations_unanswered: int = 0
    new_logo: bool = False
    discounted: bool = False
    rounds: int = 0
    quality_sum: float = 0.0
    coached_until: float = -1.0
    coach_lift: float = 0.0
    deal_reviews: int = 0
    overlay_rounds: int = 0
    seller_id: int = -1
    draws: "KeyedDraws | None" = None  # the deal's own random numbers: each round's, then its delivery's


def journey(w: "World", account: "Account", source: str):
    env, cfg, rs = w.env, w.cfg, w.rs
    seg = w.segments[account.segment]
    terr = w.territories[account.territory_id]
    lead_day = env._now
    k = account.journeys
    account.journeys = k + 1
    w.rec.lead(lead_day)
    qualify = cfg.coverage.qualify_hours
    if not terr.bank.take_now(qualify):
        qualified = yield from terr.bank.work(qualify, lead_day + cfg.coverage.lead_ttl_days)
        if not qualified:
            w.rec.lead_unworked(lead_day, env._now)
            return

    market = cfg.market
    # The deal's own draws, found by its account and its place among the account's deals:
    # a scenario that reaches the same deal gives it the same numbers (docs/model.md, section 3).
    key = (account.account_id << DEALS_BITS) | k
    draws = rs = w.rs.journeys.draws(key, *DRAWS_AT_ONCE)
    n = draws.integers(seg.stakeholders_min, seg.stakeholders_max)
    group = draw_group(n, market.stance_mean, market.stance_sd, account.network,
                       market.known_stakeholder_bonus, draws, market.forms.economic_buyer_influence,
                       market.forms.stakeholder_influence)
    role_mix = w.content.role_mix  # where content addresses roles, each stakeholder has one
    if role_mix is not None:  # drawn apart: drawing roles moves none of the deal's other draws
        roles = w.rs.roles.draws(key, ROLE_DRAWS_AT_ONCE, 0, 0)
        group.roles = role_mix.group(n, roles)
    # A deal's size follows its account's spend potential, with its own spread around it.
    value = rs.lognormal(seg.deal_value_median_usd * account.potential,
                                    w.deal_spread[account.segment][1])
    opp = Opportunity(w.next_opportunity_id(), account, terr.territory_id, account.segment, source,
                      lead_day, env._now, value, group, n)
    opp.draws = rs
    opp.new_logo = not account.is_customer
    w.open_opportunities[opp.opportunity_id] = opp
    terr.open_opps[opp.opportunity_id] = opp
    tracing = w.tracing
    if tracing:
        w.trace(opp, "created")

    # Awareness: transactional buyers who self-educated arrive at the buying phase on their own.
    if draws.uniform() >= seg.self_educated_share:
        for _ in range(seg.awareness_steps_max):
            yield from _round(w, opp, seg, terr, market.alignment_rate, None)
            if group.weighted_support() >= market.awareness_gate:
                break
        else:
            w.close(opp, NO_DECISION, "status_quo")
            return
    else:
        # Buyers who self-educated decided on their own: they arrive with their own shared view.
        floor = market.forms.self_educated_alignment
        group.alignment = [floor if a < floor else a for a in group.alignment]  # max(a, floor)
    opp.phase = "buying"
    opp.gate_day = env._now
    if tracing:
        w.trace(opp, "gate_passed")

    # Bigger deals carry more risk; the group asks for more rounds (cases, technical details,
    # financial projections) before it decides.
    risk = perceived_risk(opp.value_usd, market.risk_reference_usd, market.risk_weight)
    size = perceived_risk(opp.value_usd, market.risk_reference_usd, 1.0)
    escalation = rs.uniform
    specialists = w.overlays.get(opp.segment)  # overlay specialists who may join its rounds
    planned = rounds = seg.buying_steps + int(market.rounds_per_risk * size)
    held = 0
    while held < rounds:
        held += 1
        if draws.uniform() < seg.new_stakeholder_prob:
            group.add(draws.std_exponential() + market.forms.stakeholder_influence,
                      market.new_stakeholder_stance + market.stance_sd * draws.std_normal(),
                      0.5 + draws.uniform(), draws.uniform(),
                      None if role_mix is None else role_mix.draw(roles))
            group.added += 1
            # A joiner asks for more: rounds of its own, if it came during the planned ones
            # (joiners of the rounds they asked for ask for none, so a deal ends).
            if held <= planned:
                rounds += market.rounds_per_joiner
            if tracing:
                w.trace(opp, "stakeholder_added")
        yield from _round(w, opp, seg, terr, 0.0, specialists)
        if escalation() < seg.escalation_prob:
            _escalate(w, opp, terr)

    competitor = None
    if rs.uniform() < seg.competitor_presence:
        competitor = rs.normal(seg.competitor_strength_mean, 0.15)
    offer = 0.0
    if w.in_push(terr):
        # End-of-period push: the seller discounts to close now; the buyers like the price.
        opp.value_usd *= 1.0 - w.comp.push_discount
        offer = w.comp.push_utility
        opp.discounted = True
    outcome = decide(group, risk, competitor, market.decision_rule,
                     market.status_quo_utility + account.culture, market.dissent_indecision,
                     market.vision_indecision, market.decision_temperature, market.veto_threshold,
                     rs, offer, market.forms.competitor_appeal_sd,
                     market.forms.competitor_risk_share)
    w.close(opp, outcome, _DECIDED_BECAUSE[outcome])
    if outcome == WON:
        account.deliveries_due += 1
        # Delivery needs no process: nothing happens until it ends, so the journey's frame can go.
        call_after(env, seg.delivery_days, lambda _: _delivered(w, opp, seg))


def _round(w: "World", opp: Opportunity, seg, terr, align_rate: float,
           specialists: "OverlayPool | None"):
    """One round of interaction: the buyer's response time, then the seller's hours, then the
    group moves. ``specialists``: the overlay pool that may join a buying round, if any."""
    env, market, rs = w.env, w.cfg.market, opp.draws
    yield seg.response_days_mean * rs.std_exponential()  # a pause of that many days
    group = opp.group
    hours = seg.step_hours * terr.step_hours_factor * (0.7 + 0.1 * len(group.support))
    if not terr.bank.take_now(hours):
        asked = env._now
        yield from terr.bank.work(hours)
        waited = env._now - asked
        if waited > 0.0:
            # A buyer kept waiting by an overloaded seller loses momentum toward the status quo.
            group.shift_all(-market.momentum_loss_per_month * waited / 30.0)
    now = env._now
    seller = terr.seller
    p, k, a = (COVER_SKILLS if seller is None
               else seller.competencies(now, w.cfg.enablement.retention_days))
    if specialists is not None and specialists.join():  # the better expertise counts
        k = k if k > specialists.knowledge else specialists.knowledge
        a = a if a > specialists.adaptive else specialists.adaptive
        opp.overlay_rounds += 1
    effect = w.content_effect[opp.phase]
    if group.roles is not None:  # content that addresses roles helps by who is in the room
        extra = w.content.by_role[opp.phase]
        if extra:  # none before a content investment for roles starts
            effect += group.audience_extra(extra, market.contacts_per_round)
    q = base_quality(p, k, a, seg.complexity, effect, w.competency_mix)
    if now < opp.coached_until:
        q += opp.coach_lift
    q += market.quality_noise_sd * rs.std_normal()
    q = 0.0 if q < 0.0 else (1.0 if q > 1.0 else q)  # clip01, inlined: every round runs it
    group.interact(q, market.support_learning_rate, market.neutral_quality,
                   market.support_noise_sd, market.contacts_per_round, align_rate, rs)
    opp.rounds += 1
    opp.quality_sum += q
    if w.tracing:
        w.trace(opp, "round", q)


def _escalate(w: "World", opp: Opportunity, terr) -> None:
    opp.escalations += 1
    answered = w.fsms[terr.fsm_id].answer_escalation()
    if not answered:
        opp.escalations_unanswered += 1
        opp.group.shift_all(-w.cfg.market.escalation_penalty)
    if w.tracing:
        w.trace(opp, "escalation_answered" if answered else "escalation_unanswered")


def _delivered(w: "World", opp: Opportunity, seg) -> None:
    """The end of delivery: value delivered and communicated; satisfied customers open follow-up business."""
    rs = opp.draws
    account = opp.account
    account.deliveries_due -= 1
    w.promote_to_customer(account)
    quality = opp.quality_sum / max(1, opp.rounds)
    satisfaction = clip01(quality + rs.normal(0.0, 0.15))
    account.satisfaction = satisfaction
    account.network = min(1.0, account.network + 0.1 * satisfaction)
    if w.tracing:
        w.trace(opp, "delivered", satisfaction)
    if satisfaction >= w.cfg.market.follow_up_satisfaction:
        delay = rs.exponential(seg.follow_up_months_mean * DAYS_PER_YEAR / 12.0)
        w.start_customer_lead(account, "follow_up", delay)
