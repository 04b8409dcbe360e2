"""The three effects of coaching (source articles: "Connecting the Dots Between Sales Enablement
and Coaching"; the FSM mantra "manage activities, coach behaviors" as reported in "Frontline Sales
Managers - Key Role, But Poorly Developed And Enabled").

1. One-to-one sessions grow skills toward each seller's potential, in proportion to the FSM's
   coaching quality, the hours and the focus on leading indicators (behaviours, activities):
   results-only management barely develops anyone.
2. The same sessions reinforce trained skill: they move the forgetting clock toward the present.
3. Deal reviews lift the quality of the reviewed opportunity's next rounds.
"""

from __future__ import annotations

from salessim.model.skills import grow_toward

def focus_factor(focus: float, results_only: float) -> float:
    """Share of coaching's developmental effect at ``focus``: ``results_only`` of it at a pure
    results focus (0, fsm.results_only_effect), all of it at a pure focus on leading indicators."""
    return results_only + (1.0 - results_only) * focus


def event_link(enablement_tie: float, event_reinforcement: float) -> float:
    """How strongly coaching reinforces event-style training: ``event_reinforcement`` by an FSM
    whose coaching is not tied to the enablement approach, fully (1, as connected training) by one
    tied to it (``enablement_tie`` 1), in between by one tied part-way."""
    if enablement_tie >= 1.0:
        return 1.0
    return event_reinforcement + enablement_tie * (1.0 - event_reinforcement)


def one_to_one(seller, quality: float, focus: float, hours: float, growth_rate: float,
               now: float, event_link: float, results_only: float) -> None:
    """``event_link``: how strongly the session reinforces event-style training (see event_link);
    ``results_only``: see focus_factor."""
    rate = growth_rate * quality * hours * focus_factor(focus, results_only)
    seller.process = grow_toward(seller.process, seller.potential_process, rate)
    seller.knowledge = grow_toward(seller.knowledge, seller.potential_knowledge, rate)
    seller.adaptive = grow_toward(seller.adaptive, seller.potential_adaptive, rate)
    # Coaching reinforces what training taught when both share one design point: connected
    # training, or event training coached by an FSM whose coaching is tied to the enablement approach.
    for boost in seller.boosts:
        link = 1.0 if boost.connected else event_link
        reinforce = min(1.0, quality * focus * hours * link)
        boost.reinforced_day += (now - boost.reinforced_day) * reinforce


def deal_review(opp, quality: float, focus: float, lift: float, now: float, days: float,
                share: float, results_only: float) -> None:
    """``share``: the review's hours as a share of a full review (short reviews help less)."""
    opp.coach_lift = lift * quality * focus_factor(focus, results_only) * (share if share < 1.0 else 1.0)
    opp.coached_until = now + days
    opp.deal_reviews += 1
