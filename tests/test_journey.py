"""The buying journey's mechanisms move outcomes in the right direction, by a plausible amount.

Each test compares scenarios under common random numbers, pooling thousands of deals over
several replications so that the differences asserted are far outside the noise.
"""

import numpy as np
import pandas as pd
import pytest

from tests.conftest import mid_market_only, simulate, study_config


def _forecast(opp: pd.DataFrame) -> pd.DataFrame:
    return opp[(opp.outcome != "open") & opp.gate_day.notna()]


def _rates(opp: pd.DataFrame) -> pd.Series:
    return _forecast(opp).outcome.value_counts(normalize=True)


def _won_cycle(opp: pd.DataFrame) -> pd.Series:
    won = opp[opp.outcome == "won"]
    return won.closed_day - won.created_day


def test_more_stakeholders_lower_win_rate_and_raise_no_decision():
    seg = "market__segments__mid_market__"
    small = _rates(simulate(mid_market_only(**{seg + "stakeholders_min": 2, seg + "stakeholders_max": 2})).opportunities)
    large = _rates(simulate(mid_market_only(**{seg + "stakeholders_min": 9, seg + "stakeholders_max": 9})).opportunities)
    assert small["won"] > large["won"] + 0.03
    assert large["no_decision"] > small["no_decision"] + 0.02


def test_a_joiner_asks_for_more_rounds_when_rounds_per_joiner_is_set():
    """market.rounds_per_joiner (0 by default): a stakeholder who joins during the planned buying
    rounds asks for that many more. Measured (mid-market, 4 replications): deals with a joiner
    held 6.3 rounds at 0 and 8.6 at 2, deals without one 6.2 either way; the median won deal took
    76 days against 69."""
    def rounds(k: int) -> tuple[float, float, float]:
        o = simulate(mid_market_only(market__rounds_per_joiner=k)).opportunities
        f = _forecast(o)
        return (f[f.stakeholders_added > 0].rounds.mean(), f[f.stakeholders_added == 0].rounds.mean(),
                _won_cycle(o).median())

    (joined, alone, cycle), (joined_2, alone_2, cycle_2) = rounds(0), rounds(2)
    assert 1.5 < joined_2 - joined < 3.5 and abs(alone_2 - alone) < 0.2
    assert cycle_2 > cycle + 3


def test_joiners_pull_the_deals_they_join_toward_their_own_stance():
    """Stakeholders who join in the buying phase (docs/model.md 9.3) bring their influence and a
    stance drawn around market.new_stakeholder_stance into the group's decision. With a joiner in
    three rounds of ten (mid-market), sceptical joiners (-0.6) leave the deals they joined won less
    often and undecided more often than supportive ones (+0.3); deals nobody joined do not move.
    Measured (40 sellers, 2 years, 2 replications), deals joined: won 26.3% against 45.3%, no
    decision 45.6% against 28.1%; deals not joined: won 51.6% against 51.7%. (A mutation probe
    found joiners' influence guarded by the back-test alone.)"""
    def joined_and_not(stance: float) -> tuple[pd.DataFrame, pd.DataFrame]:
        joiners = {"market__segments__mid_market__new_stakeholder_prob": 0.3}
        opp = _forecast(simulate(mid_market_only(replications=2, market__new_stakeholder_stance=stance,
                                             **joiners)).opportunities)
        return opp[opp.stakeholders_added > 0], opp[opp.stakeholders_added == 0]

    (sceptics, alone_s), (supporters, alone_p) = joined_and_not(-0.6), joined_and_not(0.3)
    assert min(len(sceptics), len(supporters)) > 1000 and len(alone_s) > 300
    share = lambda o, outcome: (o.outcome == outcome).mean()
    assert 0.08 < share(supporters, "won") - share(sceptics, "won") < 0.3
    assert share(sceptics, "no_decision") > share(supporters, "no_decision") + 0.06
    assert share(alone_s, "won") == pytest.approx(share(alone_p, "won"), abs=0.05)


def test_bigger_deals_take_longer():
    opp = simulate(mid_market_only()).opportunities
    won = opp[opp.outcome == "won"].assign(cycle=lambda d: d.closed_day - d.created_day)
    small = won[won.value_usd < won.value_usd.quantile(0.25)].cycle.median()
    big = won[won.value_usd > won.value_usd.quantile(0.75)].cycle.median()
    assert big > small * 1.1


def test_larger_deals_are_riskier_and_stall_more_often():
    """Perceived risk grows with a deal's size, market.risk_weight x ln(1 + V / risk_reference_usd)
    (docs/model.md 9.3), and weighs on our offer in the decision (9.5): raising risk_weight from 0
    to 0.3 costs the largest quarter of deals far more wins, and adds far more no decisions, than
    the smallest quarter. Measured (mid-market, 40 sellers, 2 years, 2 replications): won falls by
    18.9 points for the largest quarter (55.1% -> 36.1%), 5.8 for the smallest; no decision rises
    by 28.0 and 9.8. (A mutation probe found deal-size risk guarded by the back-test alone.)"""
    def won_and_undecided(weight: float) -> np.ndarray:
        opp = _forecast(simulate(mid_market_only(replications=2, market__risk_weight=weight)).opportunities)
        small = opp[opp.value_usd < opp.value_usd.quantile(0.25)]
        large = opp[opp.value_usd > opp.value_usd.quantile(0.75)]
        return np.array([(deals.outcome == outcome).mean() for outcome in ("won", "no_decision")
                         for deals in (small, large)])

    (won_small, won_large, stall_small, stall_large) = won_and_undecided(0.3) - won_and_undecided(0.0)
    assert -0.4 < won_large < -0.12 and won_large < won_small - 0.08
    assert 0.15 < stall_large < 0.45 and stall_large > stall_small + 0.08


def test_deals_follow_their_accounts_spend_potential():
    """A share of deal values' log variance comes from the account: deals at one account
    resemble each other (correlation sqrt(share) between log potential and log value), while
    the segment's deal values keep their median and sigma; with no share, accounts are alike."""
    key = "market__segments__mid_market__deal_value_account_share"
    opp = simulate(mid_market_only(**{key: 0.6})).opportunities
    opp = opp[~opp.discounted]  # a push discount lowers the value after it was drawn
    log_value, log_potential = np.log(opp.value_usd), np.log(opp.account_potential)
    assert abs(np.corrcoef(log_potential, log_value)[0, 1] - 0.6 ** 0.5) < 0.05
    assert abs(log_value.std() - 0.6) < 0.03
    assert abs(np.exp(log_value.mean()) / 35_000 - 1.0) < 0.05
    by_account = log_value.groupby([opp.replication, opp.account_id])  # ids repeat per replication
    within = by_account.var().mean()  # what is left once the account is known
    assert abs(within - 0.4 * 0.36) < 0.03
    alike = simulate(mid_market_only(**{key: 0.0})).opportunities
    assert (alike.account_potential == 1.0).all()


def test_higher_seller_skill_wins_more():
    low = _rates(simulate(mid_market_only(org__skill_mean=0.35)).opportunities)["won"]
    high = _rates(simulate(mid_market_only(org__skill_mean=0.65)).opportunities)["won"]
    assert high > low + 0.05


def test_overloaded_sellers_have_longer_cycles_and_more_no_decisions():
    key = "market__segments__mid_market__inbound_leads_per_account_year"
    normal = simulate(mid_market_only(**{key: 0.15})).opportunities
    flooded = simulate(mid_market_only(**{key: 2.0})).opportunities
    assert _won_cycle(flooded).median() > 1.2 * _won_cycle(normal).median()
    closed = lambda o: o[o.outcome != "open"]
    nd = lambda o: (closed(o).outcome == "no_decision").mean()
    assert nd(flooded) > nd(normal) + 0.03


def test_unanswered_escalations_lower_the_win_rate():
    esc = {"market__segments__mid_market__escalation_prob": 0.3}
    answered = _forecast(simulate(mid_market_only(**esc)).opportunities)
    unanswered = _forecast(simulate(mid_market_only(fsm__escalation_hours=40.0, **esc)).opportunities)
    assert unanswered.escalations_unanswered.sum() > 0.9 * unanswered.escalations.sum()
    assert answered.escalations_unanswered.sum() < 0.3 * answered.escalations.sum()
    win = lambda o: (o[o.escalations > 0].outcome == "won").mean()
    assert win(answered) > win(unanswered) + 0.05


def test_the_penalty_of_an_unanswered_escalation_is_what_lowers_the_win_rate():
    """Overloaded FSMs also coach less, which lowers the win rate on its own: with the penalty
    gone the escalated deals of the test above were still won less often. Measured (mid-market,
    4 replications, escalations left unanswered): 0.41 of the escalated deals won without the
    penalty, 0.19 with it."""
    stressed = {"market__segments__mid_market__escalation_prob": 0.3, "fsm__escalation_hours": 40.0}
    win = lambda o: (o[o.escalations > 0].outcome == "won").mean()
    with_penalty = _forecast(simulate(mid_market_only(**stressed)).opportunities)
    without = _forecast(simulate(mid_market_only(market__escalation_penalty=0.0, **stressed)).opportunities)
    assert win(with_penalty) < win(without) - 0.1


def test_transactional_deals_close_faster_with_fewer_stakeholders():
    opp = simulate(study_config(replications=2)).opportunities
    won = opp[opp.outcome == "won"].assign(cycle=lambda d: d.closed_day - d.created_day)
    by = won.groupby("segment").agg(cycle=("cycle", "median"), people=("n_stakeholders", "mean"))
    assert by.cycle["smb"] < by.cycle["mid_market"] < by.cycle["enterprise"]
    assert by.people["smb"] <= 2 < by.people["mid_market"] < by.people["enterprise"]
    assert 5 <= by.people["enterprise"] <= 10


def test_gate_separates_status_quo_from_forecast_deals():
    opp = simulate(study_config(replications=1)).opportunities
    quo = opp[opp.reason == "status_quo"]
    assert (quo.phase_reached == "awareness").all() and quo.gate_day.isna().all()
    decided = opp[opp.reason.isin(["chosen", "competitor_chosen", "indecision"])]
    assert decided.gate_day.notna().all()
    assert (decided.gate_day <= decided.closed_day).all()
    assert set(opp[opp.outcome == "won"].phase_reached) == {"delivery"}


def test_unanimity_with_veto_decides_less_often_than_consensus():
    consensus = _rates(simulate(mid_market_only()).opportunities)["no_decision"]
    veto = _rates(simulate(mid_market_only(market__decision_rule="unanimity_veto")).opportunities)["no_decision"]
    assert veto > consensus + 0.05


def test_a_soft_veto_blocks_with_a_logistic_chance_per_member():
    """market.decision_rule=soft_veto (docs/model.md 9.5): each member blocks an option with
    probability 1 / (1 + e^((u - veto_threshold) / T)): one half at the threshold, so a group
    of n members there blocks with 1 - 0.5^n; a member far above it almost never blocks."""
    from salessim.model.buying_group import _blocked
    from salessim.rng import Streams

    rs = Streams(3, 0).sellers  # any stream
    share = lambda utilities: np.mean([_blocked(utilities, -0.3, 0.25, rs) for _ in range(20_000)])
    assert share([-0.3]) == pytest.approx(0.5, abs=0.015)
    assert share([-0.3] * 3) == pytest.approx(1 - 0.5 ** 3, abs=0.015)
    assert share([-0.3 + 0.25]) == pytest.approx(1 / (1 + np.e), abs=0.015)
    assert share([1.0]) == pytest.approx(1 / (1 + np.exp(1.3 / 0.25)), abs=0.002)  # 0.55%


def test_a_soft_veto_makes_each_member_added_a_chance_that_the_group_buys_nothing():
    """Under weighted consensus a second, less influential member barely moves the decision;
    under a soft veto each member can block, so groups of six stall far more often than groups
    of one (docs/calibration.md, the CEB validation: 37 points lost from one member to six, against
    12 under weighted consensus and CEB's 50). Measured (mid-market, 40 sellers, 2 years,
    2 replications, forecast deals, the default status-quo utility): no decision 18.8% -> 31.0%
    under weighted consensus, 25.5% -> 62.4% under a soft veto."""
    seg = "market__segments__mid_market__"

    def stalled(rule: str, size: int) -> float:
        cfg = mid_market_only(replications=2, market__decision_rule=rule,
                              **{seg + "stakeholders_min": size, seg + "stakeholders_max": size})
        return _rates(simulate(cfg).opportunities)["no_decision"]

    consensus = stalled("weighted_consensus", 6) - stalled("weighted_consensus", 1)
    soft = stalled("soft_veto", 6) - stalled("soft_veto", 1)
    assert 0.0 < consensus < 0.2
    assert 0.25 < soft < 0.5 and soft > consensus + 0.15


def test_a_veto_rule_at_the_consensus_calibration_is_said_before_the_run():
    """The shipped status-quo pull was calibrated under weighted consensus: a veto rule at that
    pull stalls more groups than the published mix has, which the run says, and not once the
    pull is set for it."""
    from salessim.notices import before_run
    said = before_run(mid_market_only(market__decision_rule="soft_veto"))
    assert any("market.decision_rule=soft_veto runs at market.status_quo_utility=-0.06" in x
               and "under soft_veto add market.status_quo_utility=-0.37" in x for x in said)
    # soft_veto's fitted pull is no advice for unanimity_veto, for which none was fitted
    strict = before_run(mid_market_only(market__decision_rule="unanimity_veto"))
    assert any("for that mix under unanimity_veto calibrate under it" in x for x in strict), strict
    assert not any("-0.37" in x for x in strict)
    assert not any("decision_rule" in x for x in before_run(mid_market_only(
        market__decision_rule="soft_veto", market__status_quo_utility=-0.37)))
    assert not any("decision_rule" in x for x in before_run(mid_market_only()))
    # a fit the run applies was fitted under the rule (its study, or a target's condition)
    assert not any("decision_rule" in x for x in before_run(mid_market_only(
        market__decision_rule="soft_veto"), fitted_under={"weighted_consensus", "soft_veto"}))


def test_default_outcome_mix_and_cycle_are_near_published_figures():
    """CSO Insights 2016: forecast deals 46.6% won, 29.6% lost, 23.8% no decision (+-10 points);
    Bridge Group 2017: median cycle about 72 days at about $35K."""
    opp = simulate(study_config(sellers=100, years=2.0, replications=2)).opportunities
    rates = _rates(opp)
    for outcome, published in (("won", 0.466), ("lost_competitor", 0.296), ("no_decision", 0.238)):
        assert abs(rates[outcome] - published) <= 0.10, (outcome, rates[outcome])
    mid = opp[(opp.segment == "mid_market")]
    cycle = _won_cycle(mid).median()
    assert 30 <= cycle <= 120


def test_trace_tells_one_deal_step_by_step():
    cfg = study_config(sellers=10, years=1.0, replications=1, sim__trace=True)
    ev = simulate(cfg).journey_events
    story = ev[ev.opportunity_id == ev.opportunity_id.iloc[0]]
    assert story.event.iloc[0] == "created"
    assert (np.diff(story.day.to_numpy()) >= 0).all()
    assert {"round"} <= set(story.event)


# --- the mechanisms one round and one decision are made of, checked directly --------------------------

def _stream(seed: int = 1):
    from salessim.rng import Stream
    return Stream(np.random.SeedSequence(seed))


def test_a_seller_reaches_every_stakeholder_in_rotation_most_influential_first():
    """contacts_per_round stakeholders a round, the most influential first, then the next ones:
    over enough rounds every member is reached, not only the few who matter most."""
    from salessim.model.buying_group import BuyingGroup

    group = BuyingGroup()
    for influence in (1.0, 5.0, 2.0, 4.0, 3.0, 0.5):
        group.add(influence, 0.0, 1.0, 0.5)
    reached = []
    for _ in range(3):
        before = list(group.support)
        group.interact(quality=0.9, learning_rate=0.1, neutral=0.5, noise_sd=0.0, contacts=2,
                       align_rate=0.0, rs=_stream())
        reached.append({i for i, (a, b) in enumerate(zip(before, group.support)) if a != b})
    assert reached == [{1, 3}, {4, 2}, {0, 5}]  # by influence: 5, 4, then 3, 2, then 1, 0.5


def test_the_economic_buyer_rule_follows_the_economic_buyer_alone():
    """Under economic_buyer the group buys as its first stakeholder wants, whatever the others
    think; under weighted consensus the others' opposition weighs."""
    from salessim.model.buying_group import WON, BuyingGroup, decide

    def group(buyer: float, others: float) -> BuyingGroup:
        g = BuyingGroup()
        g.add(1.0, buyer, 1.0, 1.0)
        for _ in range(4):
            g.add(1.0, others, 1.0, 1.0)
        return g

    def won_share(g: BuyingGroup, rule: str) -> float:
        rs = _stream(7)
        return np.mean([decide(g, 0.0, None, rule, 0.0, 0.0, 0.0, 0.1, -0.5, rs, 0.0, appeal_sd=0.2,
                               risk_share=0.8) == WON
                        for _ in range(400)])

    assert won_share(group(0.8, -0.8), "economic_buyer") > 0.95
    assert won_share(group(-0.8, 0.8), "economic_buyer") < 0.05
    assert won_share(group(0.8, -0.8), "weighted_consensus") < 0.05


def test_a_divided_group_and_one_without_a_shared_vision_stay_with_the_status_quo():
    """Two groups of the same mean support (0.3): one agrees, the other is split (-0.2 and 0.8).
    With market.dissent_indecision, the split one decides for nothing more often, and not at 0;
    likewise a group whose concepts of the problem are far from a shared vision, under
    market.vision_indecision. (A probe that dropped either term was caught by the back-test
    only.)"""
    from salessim.model.buying_group import NO_DECISION, BuyingGroup, decide

    def group(supports, alignment=1.0) -> BuyingGroup:
        g = BuyingGroup()
        for x in supports:
            g.add(1.0, x, 1.0, alignment)
        return g

    def no_decision(g: BuyingGroup, dissent: float, vision: float) -> float:
        rs = _stream(11)
        return np.mean([decide(g, 0.0, None, "weighted_consensus", 0.0, dissent, vision, 0.1, -0.5, rs, 0.0,
                               appeal_sd=0.2, risk_share=0.8) == NO_DECISION for _ in range(2000)])

    agreed, split = group([0.3, 0.3]), group([-0.2, 0.8])
    assert no_decision(split, 0.6, 0.0) > no_decision(agreed, 0.6, 0.0) + 0.3
    assert no_decision(split, 0.0, 0.0) == pytest.approx(no_decision(agreed, 0.0, 0.0), abs=0.03)
    apart = group([0.3, 0.3], alignment=0.2)
    assert no_decision(apart, 0.0, 0.5) > no_decision(agreed, 0.0, 0.5) + 0.3


def test_awareness_rounds_build_a_shared_vision_in_proportion_to_their_quality():
    """In awareness (align_rate > 0) each stakeholder reached moves toward the shared vision by
    align_rate x quality of the way left; good rounds more than poor ones; buying rounds
    (align_rate 0) leave it (a probe that never grew alignment was caught by the back-test only)."""
    from salessim.model.buying_group import BuyingGroup

    def after_rounds(quality: float, align_rate: float) -> float:
        g = BuyingGroup()
        for _ in range(4):
            g.add(1.0, 0.0, 1.0, 0.2)
        for _ in range(4):
            g.interact(quality, 0.1, 0.5, 0.0, 2, align_rate, _stream(3))
        return g.weighted_alignment()

    # two rounds reach each of the four: 0.2 + 0.8 (1 - (1 - 0.5 x 0.8)^2) = 0.712
    assert after_rounds(0.8, 0.5) == pytest.approx(0.2 + 0.8 * (1 - (1 - 0.5 * 0.8) ** 2))
    assert after_rounds(0.8, 0.5) > after_rounds(0.3, 0.5) > 0.2
    assert after_rounds(0.8, 0.0) == pytest.approx(0.2)


def test_content_guides_less_and_adaptive_competency_counts_more_in_complex_deals():
    """Quality mixes competencies by complexity: content's knowledge helps half as much in the
    most complex deals, and there adaptive competency carries the most weight (0.4 against 0.3);
    in transactional deals it carries none."""
    from salessim.model.interaction import base_quality, competency_mix

    def gain(complexity: float, **more) -> float:
        skills = {"process": 0.4, "knowledge": 0.4, "adaptive": 0.4, "content_effect": 0.0,
                  "mix": competency_mix(0.5, 0.4)}
        raised = {**skills, **{k: skills[k] + v for k, v in more.items()}}
        return (base_quality(complexity=complexity, **raised)
                - base_quality(complexity=complexity, **skills))

    assert gain(0.1, content_effect=0.2) > gain(0.9, content_effect=0.2) > 0.0
    # As knowledge (weighed 0.5 in transactional deals, 0.3 in complex ones): 0.2, then half of it.
    assert gain(0.0, content_effect=0.2) / 0.5 == pytest.approx(0.2)
    assert gain(1.0, content_effect=0.2) / 0.3 == pytest.approx(0.1)
    assert gain(1.0, adaptive=0.1) > gain(1.0, process=0.1) > 0.0
    assert gain(0.0, adaptive=0.1) == 0.0


def test_work_waiting_for_hours_is_served_first_come_first_served():
    """Three rounds of 4 hours queue in a week without hours; a refill of 4 serves the first queued,
    the next refills the second, then the third: a buyer who asked first is not kept waiting behind
    a later one (a probe that served the queue last-in-first-out was caught by the back-test only)."""
    import simpy

    from salessim.model.capacity import HoursBank

    env = simpy.Environment()
    bank = HoursBank(env)
    done = []

    def round_of_four(name):
        yield from bank.work(4.0)
        done.append(name)

    for name in ("first", "second", "third"):
        env.process(round_of_four(name))
    env.run(until=1.0)
    for week in range(3):
        bank.refill(4.0)
        env.run(until=2.0 + week)
    assert done == ["first", "second", "third"]


def test_open_ended_work_starts_on_the_weeks_last_hours_and_finishes_at_the_next_refill():
    """A round of 5 hours that finds 3 left in the week takes them at once and waits for the other
    2: each week's close counts the hours it gave (3, then 2), and the next week (10 hours) is left 8."""
    import simpy

    from salessim.model.capacity import HoursBank

    env = simpy.Environment()
    bank = HoursBank(env)
    bank.refill(3.0)
    done = []

    def round_of_five():
        finished = yield from bank.work(5.0)
        done.append((env.now, finished))

    env.process(round_of_five())
    env.run(until=1.0)
    assert bank.left == 0.0 and not done
    env.run(until=7.0)
    assert bank.close_week() == pytest.approx((3.0, 0.0))  # the first week's hours, all used
    bank.refill(10.0)  # the next week
    env.run(until=8.0)
    assert done == [(7.0, True)]
    assert bank.close_week() == pytest.approx((2.0, 8.0))


def test_follow_up_business_opens_only_after_a_satisfied_customer():
    """Delivered value opens follow-up business when satisfaction reaches
    market.follow_up_satisfaction: every delivery at a threshold of 0, few at 0.9 (a probe that
    opened it after unsatisfied customers instead was caught by the back-test only)."""
    def follow_ups(threshold):
        opp = simulate(mid_market_only(sellers=20, years=2.0, replications=2,
                                   market__follow_up_satisfaction=threshold)).opportunities
        return int((opp.source == "follow_up").sum())
    every, few = follow_ups(0.0), follow_ups(0.9)
    assert every > 100 and few < 0.25 * every


def test_deal_reviews_go_to_the_largest_deals_in_the_buying_phase():
    """An FSM reviews a seller's largest buying-phase deals first (fsm.deal_reviews_per_seller a
    week): reviewed deals are worth well more than those never reviewed (a probe that reviewed the
    smallest was caught by the back-test only)."""
    opp = simulate(mid_market_only(sellers=20, years=1.5, replications=1,
                               fsm__deal_reviews_per_seller=1)).opportunities
    buying = opp[opp.gate_day.notna()]
    reviewed, never = buying[buying.deal_reviews > 0], buying[buying.deal_reviews == 0]
    assert len(reviewed) > 50 and len(never) > 50
    assert reviewed.value_usd.median() > 1.3 * never.value_usd.median()


def test_a_deal_review_lifts_the_reviewed_deals_rounds_and_wins_it_more_often():
    """A deal review adds fsm.deal_coaching_lift x q_f x phi(f) to the quality of the reviewed
    deal's rounds for the next two weeks (docs/model.md 8 and 12): at a lift of 1.0 against 0,
    reviewed deals' rounds are better and they are won more often, while deals never reviewed do
    not change. Measured (mid-market, 40 sellers, 2 years, 2 replications), reviewed deals: mean
    round quality 0.596 -> 0.677, won 43.6% -> 58.9%; never reviewed: quality 0.636 -> 0.633.
    (A mutation probe found the review's lift guarded by the back-test alone.)"""
    def reviewed_and_not(lift: float) -> tuple[pd.DataFrame, pd.DataFrame]:
        opp = _forecast(simulate(mid_market_only(replications=2, fsm__deal_coaching_lift=lift)).opportunities)
        return opp[opp.deal_reviews > 0], opp[opp.deal_reviews == 0]

    (reviewed_off, never_off), (reviewed_on, never_on) = reviewed_and_not(0.0), reviewed_and_not(1.0)
    assert min(len(reviewed_on), len(never_on)) > 500
    lift = reviewed_on.mean_quality.mean() - reviewed_off.mean_quality.mean()
    assert 0.03 < lift < 0.15  # the full lift (about 0.2) holds only in the two weeks after a review
    assert never_on.mean_quality.mean() == pytest.approx(never_off.mean_quality.mean(), abs=0.01)
    won = lambda o: (o.outcome == "won").mean()
    assert won(reviewed_on) > won(reviewed_off) + 0.08


def test_a_stronger_pull_of_the_status_quo_means_more_no_decisions():
    """Its sign flipped went unseen but for a per-replication check off by 0.0003. Measured
    (mid-market, 2 replications): forecast no-decision 0.15 at -0.3, 0.45 at 0.2."""
    no_decision = lambda u: _rates(simulate(mid_market_only(market__status_quo_utility=u, replications=2))
                                   .opportunities).get("no_decision", 0.0)
    assert no_decision(0.2) > no_decision(-0.3) + 0.15


def test_the_economic_buyer_rule_ignores_the_groups_dissent():
    """Under economic_buyer the dissent term is 0: a divided group around the same buyer decides as
    an agreeing one, draw for draw (the test above had dissent_weight 0, so a dissent still
    counted went unseen)."""
    from salessim.model.buying_group import NO_DECISION, BuyingGroup, decide

    def no_decision(others: list[float]) -> float:
        g = BuyingGroup()
        g.add(1.0, 0.3, 1.0, 1.0)  # the economic buyer
        for stance in others:
            g.add(1.0, stance, 1.0, 1.0)
        rs = _stream(11)
        return np.mean([decide(g, 0.0, None, "economic_buyer", 0.0, 0.6, 0.0, 0.1, -0.5, rs, 0.0, 0.2, 0.8)
                        == NO_DECISION for _ in range(2000)])

    assert no_decision([0.3, 0.3]) == no_decision([-0.7, 1.0])


def test_a_deals_buying_rounds_stay_within_what_its_joiners_may_add():
    """A joiner of the planned rounds asks for rounds_per_joiner more; one of those extra rounds
    asks for none, so a deal's buying rounds stay at most R × (1 + rounds_per_joiner). Joiners of
    the extra rounds asking too went unseen (the mean stayed in its window); measured: 0 of 1,649
    deals past the bound, 148 of 1,087 with the bug."""
    from salessim.model.buying_group import perceived_risk

    cfg = mid_market_only(market__rounds_per_joiner=2, market__segments__mid_market__new_stakeholder_prob=0.3,
                          replications=2)
    seg, market = cfg.market.segments["mid_market"], cfg.market
    opp = _forecast(simulate(cfg).opportunities)
    opp = opp[~opp.discounted]  # the push lowers the value the rounds were planned on
    planned = seg.buying_steps + (market.rounds_per_risk * opp.value_usd.map(
        lambda v: perceived_risk(v, market.risk_reference_usd, 1.0))).astype(int)
    assert len(opp) > 500 and (opp.stakeholders_added > 0).sum() > 200
    # awareness takes at most awareness_steps_max of a deal's rounds
    assert (opp.rounds - seg.awareness_steps_max <= planned * (1 + market.rounds_per_joiner)).all()
