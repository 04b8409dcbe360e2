"""Frontline sales managers: the FSM triangle of customer, business and people time.

Each week an FSM's hours go, in order of priority, to the business (forecasting, reporting, admin:
a base plus a share per seller), to hiring for and covering vacant territories, and to a reserve
for escalations sized by a running average of the weeks' escalations ("escalations take priority
and crowd out coaching"); coaching gets what is left, up to the time set aside for it
(``fsm.coaching_time_share`` of the week), spent on one-to-ones and deal reviews. Hours not
used by escalations are booked as deal support (customer time), a label of the panel that no
deal reads. Coaching hours per seller fall as the
span widens because the hours set aside for coaching are shared by more sellers; business work
(a base plus an hour per seller) crowds them out only in much wider teams.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING

from salessim.model import coaching
from salessim.model.calendar import DAYS_PER_WEEK
from salessim.model.journey import DEAL_REVIEW_DAYS

if TYPE_CHECKING:
    from salessim.model.organization import World

FSM_MONTH_FIELDS = ("hours_customer_escalations", "hours_customer_deal_support", "hours_customer_cover",
                    "hours_business", "hours_people_coaching", "hours_people_hiring",
                    "escalations", "escalations_answered")

SESSION_OFFSET_DAYS = 0.5  # sessions start half a day into the week, after it is planned
SESSION_WINDOW_DAYS = 4.0  # and are spread over the next four days
_by_value = attrgetter("value_usd")


class Fsm:
    def __init__(self, w: "World", fsm_id: int, quality: float, focus: float, developed: bool) -> None:
        self.w = w
        self.fsm_id = fsm_id
        self.quality = quality
        self.focus = focus
        self.developed = developed
        self.business_factor = 1.0      # FSM development makes business and escalation work quicker
        self.escalation_factor = 1.0
        # How far coaching is tied to the enablement approach (1: it reinforces event-style
        # training as fully as connected training; an FSM development programme sets it).
        self.enablement_tie = 0.0
        self.territories: list = []
        self.hours_left = 0.0
        self.escalation_hours_week = 0.0
        self.reserve = 0.0
        self.sessions: list = []
        self.month = dict.fromkeys(FSM_MONTH_FIELDS, 0.0)

    # -- customer: escalations --------------------------------------------------------------
    def answer_escalation(self) -> bool:
        hours = self.w.cfg.fsm.escalation_hours * self.escalation_factor
        self.month["escalations"] += 1
        self.escalation_hours_week += hours
        if self.hours_left >= hours:
            self.hours_left -= hours
            self.month["hours_customer_escalations"] += hours
            self.month["escalations_answered"] += 1
            return True
        return False

    # -- the week's plan ---------------------------------------------------------------------
    def close_week(self) -> None:
        self.month["hours_customer_deal_support"] += self.hours_left
        self.hours_left = 0.0
        self.reserve = 0.5 * self.reserve + 0.5 * self.escalation_hours_week
        self.escalation_hours_week = 0.0

    def plan_week(self, week: int) -> None:
        cfg = self.w.cfg.fsm
        budget = cfg.weekly_hours
        staffed = [t for t in self.territories if not t.vacant]
        vacancies = len(self.territories) - len(staffed)
        business = min(budget, self.business_factor * (
            cfg.business_hours_base + cfg.business_hours_per_seller * len(self.territories)))
        hiring = min(budget - business, cfg.hiring_hours_per_vacancy * vacancies)
        cover = min(budget - business - hiring, self.w.cfg.org.vacancy_cover_hours * vacancies)
        free = budget - business - hiring - cover
        for t in self.territories:
            t.cover_hours_week = cover / vacancies if t.vacant else 0.0
        plans = []
        for t in staffed:
            one = cfg.one_to_one_hours if (week + t.territory_id) % cfg.one_to_one_interval_weeks == 0 else 0.0
            deals = sorted([o for o in t.open_opps.values() if o.phase == "buying"],
                           key=_by_value, reverse=True)[:cfg.deal_reviews_per_seller]
            if one + cfg.deal_review_hours * len(deals) > t.coachable_hours_week:
                one, deals = min(one, t.coachable_hours_week), []
            plans.append((t, one, deals))
        planned = sum(one + cfg.deal_review_hours * len(deals) for _, one, deals in plans)
        # The week set aside for coaching is shared by the team (wider span: less each), and
        # escalations and vacancies crowd it out first.
        budget_coaching = min(cfg.coaching_time_share * budget, free - self.reserve)
        coaching_hours = min(planned, max(0.0, budget_coaching))
        scale = coaching_hours / planned if planned > 0 else 0.0
        self.sessions = [(t, t.seller, one * scale, deals, cfg.deal_review_hours * scale)
                         for t, one, deals in plans]
        for t, _, one, deals, review_hours in self.sessions:
            t.coached_hours_week = one + review_hours * len(deals)
        self.month["hours_business"] += business
        self.month["hours_people_hiring"] += hiring
        self.month["hours_customer_cover"] += cover
        self.hours_left = free - coaching_hours

    # -- people: coaching sessions as events over the week -----------------------------------
    def run(self):
        """The FSM's weeks, a detached process (model/detached.py): it yields the days it pauses."""
        env, w = self.w.env, self.w
        cfg = w.cfg.fsm
        yield SESSION_OFFSET_DAYS
        while True:
            week_start = env._now
            sessions, self.sessions = self.sessions, []
            # The tie changes at month starts only, which are week starts: once a week.
            link = coaching.event_link(self.enablement_tie, w.cfg.enablement.event_training_reinforcement)
            gap = SESSION_WINDOW_DAYS / max(1, len(sessions))
            for t, seller, one, deals, review_hours in sessions:
                yield gap
                if t.seller is not seller or seller is None:
                    continue  # the seller left before the session
                hours = one + review_hours * len(deals)
                if hours <= 0.0:
                    continue
                if one > 0.0:
                    coaching.one_to_one(seller, self.quality, self.focus, one, cfg.skill_growth_rate,
                                        env._now, link, cfg.results_only_effect)
                for opp in deals:
                    if opp.outcome == "open":
                        coaching.deal_review(opp, self.quality, self.focus, cfg.deal_coaching_lift,
                                             env._now, DEAL_REVIEW_DAYS,
                                             review_hours / cfg.deal_review_hours,
                                             cfg.results_only_effect)
                seller.hours["coached"] += hours
                self.month["hours_people_coaching"] += hours
            # Wake again half a day into next week, after the org clock has planned it.
            yield week_start + DAYS_PER_WEEK - env._now
