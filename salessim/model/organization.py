"""The sales organization of one replication: who exists, and the weekly clock that runs it.

One clock process ticks at each week start. It closes the past week (hours become prospecting and
account-management time and those hours become leads), closes a month when one ends (panels,
attrition, hiring), fills vacancies whose hiring lag has passed, and plans the new week (FSM
triangle, seller capacity). Journeys, inbound leads and FSM coaching sessions are their own
processes; the clock never polls them.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

import simpy

from salessim.config import Config
from salessim.model import attrition, compensation, levers
from salessim.model.accounts import PROSPECT_NETWORK, Account, deal_spread
from salessim.model.calendar import DAYS_PER_MONTH, DAYS_PER_WEEK, DAYS_PER_YEAR, WEEKS_PER_YEAR, Calendar
from salessim.model.capacity import HoursBank
from salessim.model.content import Content
from salessim.model.counting import round_half_up
from salessim.model.customer_churn import leave_chance, monthly_chance
from salessim.model.detached import call_after, start_detached
from salessim.model.fsm import Fsm
from salessim.model.interaction import clip01, competency_mix
from salessim.model.journey import journey
from salessim.model.lead_yield import leads_found
from salessim.model.levers.overlay import OverlayLever, OverlayPool
from salessim.model.records import Recorder
from salessim.model.sellers import ACTIVITIES, Seller, Territory
from salessim.model.skills import Boost, learning_on_the_job
from salessim.rng import KeyedDraws, Stream, Streams, poisson_quantile

SEATS_BITS = 20  # bits of a key below a week (its seats) or a seat (its vacancies): 2**20 each
LEAD_DRAWS_AT_ONCE = 16  # uniforms of a seat's week drawn with the week's table: most need fewer
# A vacancy's draws: its hiring lag (4 exponentials) and its hire's skills (3 normals, 3 exponentials)
HIRE_DRAWS = (0, 3, 7)
FULL_PRODUCTIVITY_MONTHS = 9       # "ramping" status in the panel (CSO Insights 2018)


def teams_for(seats: int, span: float) -> int:
    """FSM teams for ``seats`` at a span of control ``span``: seats / span to the nearest whole
    number, at least one and at most one per seat."""
    n = round_half_up(seats / span)
    return 1 if n < 1 else (seats if n > seats else n)


@dataclass(slots=True)
class GrowthTeams:
    """The FSM teams that seats added by coverage investments join, one filling per segment, and
    the span of control in force (fsm.span_of_control, or the last span investment's)."""
    span: float
    teams: dict[str, Fsm] = field(default_factory=dict)


def accounts_per_territory(coverage, segment: str) -> int:
    """Accounts a territory of ``segment`` starts with: the configured number, at least one."""
    return max(1, round(coverage.accounts_per_seller[segment]))


def largest_remainder(total: int, shares: dict[str, float]) -> dict[str, int]:
    raw = {k: total * v for k, v in shares.items()}
    counts = {k: int(math.floor(x)) for k, x in raw.items()}
    rest = total - sum(counts.values())
    for k in sorted(raw, key=lambda k: raw[k] - counts[k], reverse=True)[:rest]:
        counts[k] += 1
    return counts


# Python 3.11 reads the attributes of an instance on a fast path while its class shares their
# keys, which it stops doing at 30 of them (measured): the journeys read the world's at every
# step, so a 30th slows every run (tests/test_invariants.py; docs/performance.md, "Keeping it fast").
ATTRIBUTES_AT_MOST = 29


class World:
    def __init__(self, cfg: Config, streams: Streams, env: simpy.Environment,
                 on_month: Callable[[], object] | None = None) -> None:
        self.cfg, self.rs, self.env = cfg, streams, env
        self.on_month = on_month  # told when a month closes (a progress bar); changes nothing
        self.cal = Calendar(cfg.sim.years)
        self.rec = Recorder(self.cal, cfg.sim.trace)
        self.tracing = self.rec.trace_rows is not None  # tested before building a trace row
        self.segments = cfg.market.segments
        self.deal_spread = {name: deal_spread(seg) for name, seg in self.segments.items()}
        # The content in force and its search hours, which content investments change; its
        # effect by phase also as an attribute of its own, read at every round (one read fewer).
        self.content = Content(cfg)
        self.content_effect = self.content.effect  # the same dict, changed in place
        self.competency_mix = competency_mix(cfg.market.forms.transactional_process_weight,
                                             cfg.market.forms.complex_adaptive_weight)
        cov = cfg.coverage
        # Per segment: leads per prospecting hour, account ideas per account hour, and the most
        # that one account yields in a week (section 6), read once instead of every seat-week.
        self.lead_terms = {seg: (cov.prospecting_leads_per_hour[seg], cov.account_leads_per_hour[seg],
                                 cov.lead_ceiling_per_account_year[seg] / WEEKS_PER_YEAR)
                           for seg in self.segments}
        self.comp = copy.deepcopy(cfg.compensation)  # the plan in force (levers may change it)
        # The product of the quota multipliers of compensation investments so far: a seat whose
        # role a coverage investment sets later gets its role's quota scaled alike.
        self.quota_scale = 1.0
        self.levers = levers.build(cfg.investment, cfg.sim.warmup_months)
        self.open_opportunities: dict = {}
        # segment -> its overlay specialists (without hours until the investment starts), known
        # to a journey when it enters the buying phase
        self.overlays = {lever.spec.segment: OverlayPool(lever.spec) for lever in self.levers
                         if isinstance(lever, OverlayLever)}
        self.territories: list[Territory] = []
        self.fsms: list[Fsm] = []
        self._opportunity_ids = count()
        self._seller_ids = count()
        self._account_ids = count()
        self.pending_hires: list[tuple[int, Territory, KeyedDraws]] = []
        self.warmup_week = self.cal.month_start_weeks[cfg.sim.warmup_months]
        # The quota period in force, [start, end) in weeks (set by the clock, see _clock).
        self.period_start_week = 0
        self.period_end_week = 0
        self._growth = GrowthTeams(cfg.fsm.span_of_control)
        # The month's tallies, its headcount at the start among them: one attribute where there
        # were two, which made room for competency_mix under ATTRIBUTES_AT_MOST
        self._month = {"hires": 0, "hiring_cost": 0.0, "investment_cost": 0.0, "headcount_start": 0}
        self._build()

    # -- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        cfg, rs = self.cfg, self.rs
        seats = largest_remainder(cfg.org.sellers, cfg.org.segment_mix)
        n_fsms = teams_for(cfg.org.sellers, cfg.fsm.span_of_control)
        for _ in range(n_fsms):
            self._add_fsm()
        tid = 0
        for segment in self.segments:
            for _ in range(seats.get(segment, 0)):
                fsm = self.fsms[tid * n_fsms // cfg.org.sellers]
                terr = self._new_territory(segment, fsm)
                self._add_accounts(terr)
                tenure_days = rs.sellers.exponential(3.0 * DAYS_PER_YEAR)
                terr.seller = self._new_seller(terr, -tenure_days, rs.sellers)
                tid += 1
        self._month["headcount_start"] = len(self.territories)

    def _add_fsm(self) -> Fsm:
        cfg, rs = self.cfg, self.rs.sellers
        developed = rs.random() < cfg.fsm.developed_share
        quality = cfg.fsm.coaching_quality - (0.0 if developed else cfg.fsm.promoted_quality_penalty)
        fsm = Fsm(self, len(self.fsms), max(0.0, quality), cfg.fsm.coaching_focus, developed)
        self.fsms.append(fsm)
        return fsm

    def _new_territory(self, segment: str, fsm: Fsm) -> Territory:
        cfg = self.cfg
        terr = Territory(len(self.territories), segment, fsm.fsm_id, HoursBank(self.env),
                         quota_usd=cfg.compensation.quota_usd[segment],
                         ote_usd=cfg.compensation.on_target_earnings_usd[segment],
                         admin_hours=cfg.tools.admin_hours, internal_hours=cfg.tools.internal_hours)
        fsm.territories.append(terr)
        self.territories.append(terr)
        return terr

    # -- structural changes made by levers ---------------------------------------------------
    def add_territory(self, segment: str) -> Territory:
        """A new, vacant seat in ``segment``; new seats form new FSM teams of the span in force."""
        growth = self._growth
        fsm = growth.teams.get(segment)
        if fsm is None or len(fsm.territories) >= round_half_up(growth.span):
            fsm = self._add_fsm()
            growth.teams[segment] = fsm
            start_detached(self.env, fsm.run())
        terr = self._new_territory(segment, fsm)
        self._schedule_hire(terr, self._week_now())
        return terr

    def rebalance_teams(self, span: float) -> int:
        """Regroup the seats into teams of about ``span``; returns the FSMs hired: new ones, and
        FSMs a wider span had released that lead a team again."""
        n = teams_for(len(self.territories), span)
        leading = {fsm.fsm_id for fsm in self.fsms if fsm.territories}
        while len(self.fsms) < n:
            start_detached(self.env, self._add_fsm().run())
        for fsm in self.fsms:
            fsm.territories = []
        # In segment order, as at the start, so that most teams cover one segment: seats a
        # coverage investment added sit at the end of the list, whatever their segment.
        rank = {segment: i for i, segment in enumerate(self.segments)}
        in_order = sorted(self.territories, key=lambda t: rank[t.segment])  # stable: by id within
        for i, terr in enumerate(in_order):
            fsm = self.fsms[i * n // len(self.territories)]
            terr.fsm_id = fsm.fsm_id
            fsm.territories.append(terr)
        # The growth teams are regrouped with the rest: seats added later form new teams of the
        # new span, rather than joining a block that may now be another segment's.
        self._growth = GrowthTeams(span)
        return sum(1 for fsm in self.fsms if fsm.territories and fsm.fsm_id not in leading)

    def _week_now(self) -> int:
        return int(round(self.env.now / DAYS_PER_WEEK))

    def year_share(self, month: int) -> float:
        return self.cal.weeks_in_month(month) / WEEKS_PER_YEAR

    def _add_accounts(self, terr: Territory) -> None:
        cov, rs = self.cfg.coverage, self.rs.accounts
        n = accounts_per_territory(cov, terr.segment)
        spread = self.deal_spread[terr.segment][0]
        for _ in range(n):
            is_customer = rs.random() < cov.customer_share[terr.segment]
            network = cov.network_strength[terr.segment] * (0.5 + rs.random()) if is_customer else PROSPECT_NETWORK
            acc = Account(next(self._account_ids), terr.segment, terr.territory_id, is_customer,
                          clip01(network), rs.normal(0.0, 0.1),
                          # drawn even when it is 1 (no spread), so that the accounts of the
                          # segments drawn after this one stay the same (common random numbers)
                          math.exp(spread * rs.std_normal()))
            (terr.customers if is_customer else terr.prospects).append(acc)

    def _new_seller(self, terr: Territory, hired_day: float, rs: Stream | KeyedDraws) -> Seller:
        """A seller for ``terr``, hired on ``hired_day``, their skills drawn from ``rs``."""
        org = self.cfg.org

        def pair() -> tuple[float, float]:
            potential = clip01(rs.normal(org.skill_mean + org.potential_gap_mean, org.skill_sd))
            return clip01(potential - rs.exponential(org.potential_gap_mean)), potential

        (p, pp), (k, pk), (a, pa) = pair(), pair(), pair()
        k_new = org.new_hire_knowledge_share * pk
        tenure = max(0.0, -hired_day)
        # Knowledge is learned on the job from the new-hire level toward potential (the ramp);
        # incumbents are as far along as their tenure has taken them.
        knowledge = learning_on_the_job(k_new, pk, tenure, org.onboarding_months * DAYS_PER_MONTH)
        del k
        onboarding = Boost("process", self.cfg.enablement.onboarding_boost, hired_day, connected=True)
        market_pay = terr.ote_usd / self.comp.market_pay_ratio
        return Seller(next(self._seller_ids), terr.territory_id, hired_day, p, knowledge, a, pp,
                      pk, pa, market_pay, boosts=[onboarding])

    # -- services to journeys ----------------------------------------------------------------
    def next_opportunity_id(self) -> int:
        return next(self._opportunity_ids)

    def start_journey(self, account: Account, source: str, delay: float) -> None:
        """A lead arrives at ``account`` after ``delay`` days.

        A delayed lead (a prospecting lead, within the coming week) waits as a plain timeout, not
        as a process, so no suspended journey is kept for it; follow-up and account leads wait the
        same way in start_customer_lead. Journeys are detached processes (model/detached.py).
        """
        if delay > 0.0:
            call_after(self.env, delay, lambda _: start_detached(self.env, journey(self, account, source)))
        else:
            start_detached(self.env, journey(self, account, source))

    def start_customer_lead(self, account: Account, source: str, delay: float) -> None:
        """A lead that only a customer makes (account management, follow-up) at ``account``
        after ``delay`` days, unless the customer has been lost by then, even if won back since:
        the lead came from a relationship that ended (docs/model.md, 9.7)."""
        losses = account.losses

        def arrive(_) -> None:
            if account.is_customer and account.losses == losses:
                start_detached(self.env, journey(self, account, source))
        call_after(self.env, delay, arrive)

    def close(self, opp, outcome: str, reason: str) -> None:
        opp.closed_day = self.env._now
        opp.outcome, opp.reason = outcome, reason
        if outcome == "won":
            opp.phase = "delivery"
        del self.open_opportunities[opp.opportunity_id]
        terr = self.territories[opp.territory_id]
        del terr.open_opps[opp.opportunity_id]
        seller = terr.seller
        if seller is not None:
            opp.seller_id = seller.seller_id
            if outcome == "won":
                self._credit(seller, terr, opp.value_usd, opp.new_logo)
        self.rec.opportunity(opp)
        if self.tracing:
            self.trace(opp, outcome)

    def _credit(self, seller: Seller, terr: Territory, value: float, new_logo: bool) -> None:
        comp = self.comp
        share = self.period_share(seller)
        pay = compensation.commission(
            seller.period_bookings, value, terr.quota_usd * share,
            terr.ote_usd * (1.0 - comp.base_share) * share, comp.accelerator, comp.cap_attainment)
        seller.variable_pay += pay * (1.0 + comp.new_logo_bonus_share) if new_logo else pay
        seller.period_bookings += value
        seller.month_bookings += value
        seller.month_won += 1

    def release(self) -> None:
        """Break the reference cycles of a finished run, so that reference counting frees the world
        as soon as it is dropped.

        Everything a run builds hangs in cycles (FSMs know the world; the events still queued hold
        suspended journeys and processes, whose frames hold the world and the environment). Left
        to the cyclic collector, freeing them means a pass over every object: about 3% of a default
        replication's time, 6–8% at 1,000 sellers (docs/performance.md). The world can still be
        read afterwards, but not run.
        """
        queue = self.env._queue  # SimPy's scheduled events: there is no public way to drop them
        for *_, event in queue:
            event.callbacks = None  # a process and the event it waits on hold each other
        queue.clear()
        for t in self.territories:
            t.bank.release()
        for fsm in self.fsms:
            fsm.w = None
        self.on_month = None

    def trace(self, opp, event: str, value: float = math.nan) -> None:
        """A row of the journey trace; callers test ``self.tracing`` first (a hot path)."""
        self.rec.trace_rows.append((opp.opportunity_id, self.env._now, opp.phase, event, value,
                                    opp.group.weighted_support(), len(opp.group.support)))

    # -- processes ---------------------------------------------------------------------------
    def start(self) -> simpy.Process:
        """Start the FSMs' weeks and the inbound streams (detached: nothing waits for them), and
        the clock, the process a run waits for."""
        for fsm in self.fsms:
            start_detached(self.env, fsm.run())
        for segment in self.segments:
            start_detached(self.env, self._inbound(segment))
        return self.env.process(self._clock())

    def _inbound(self, segment: str):
        """Marketing leads: a Poisson stream per segment, each to a random account of it."""
        accounts = [a for t in self.territories if t.segment == segment for a in t.prospects + t.customers]
        rate = len(accounts) * self.segments[segment].inbound_leads_per_account_year / DAYS_PER_YEAR
        if rate <= 0.0:
            return
        rs = self.rs.inbound
        while True:
            yield rs.exponential(1.0 / rate)  # days to the next lead (a detached pause)
            self.start_journey(accounts[int(rs.random() * len(accounts))], "inbound", 0.0)

    def _clock(self):
        cal = self.cal
        for week in range(cal.weeks + 1):
            if week > 0:
                self._close_week(week - 1)
                if week == cal.weeks or cal.starts_month(week):
                    self._close_month(cal.month_of_week[week - 1], week)
                if week == cal.weeks:
                    return
            replanned = False
            if week == 0 or self.cal.starts_month(week):
                plan = self._plan_terms()
                self._start_month(self.cal.month_of_week[week])
                replanned = self._plan_terms() != plan
            self._fill_vacancies(week)
            # Quota periods tile the run so that one starts at the end of the warm-up: the run's
            # first period is shorter. A plan that changes the period's length (a lever, at this
            # month's start) moves the end of the period in force to the new length's next start;
            # a period that ended this week is followed by a new one whatever the new length (a
            # quarter that ended as quarterly quotas became annual was stretched to the next annual
            # start, its bookings, on which commission was paid, counted again).
            period = self.period_weeks()
            if week == 0 or week == self.period_end_week or (week - self.warmup_week) % period == 0:
                self.period_start_week = week
                for t in self.territories:
                    if t.seller is not None:
                        t.seller.period_bookings = 0.0  # a new quota period
            self.period_end_week = week + (self.warmup_week - week - 1) % period + 1
            if replanned:
                # A plan that changed this month (a compensation investment): effort follows it from
                # its first week, in the period now in force, not from the month's close (the last
                # close set it under the plan before: its pay mix, accelerator, cap and quotas).
                self._set_effort(week)
            self._start_week(week)
            yield self.env.timeout(DAYS_PER_WEEK)

    def period_weeks(self) -> int:
        """The plan's period length (the period in force may be shorter, see _clock)."""
        return 13 if self.comp.quota_period == "quarterly" else WEEKS_PER_YEAR

    def period_start(self, s: Seller) -> float:
        """The week the seller's share of the period in force began: its start, or the hire."""
        hired = s.hired_day / DAYS_PER_WEEK
        return hired if hired > self.period_start_week else self.period_start_week

    def period_share(self, s: Seller) -> float:
        """The seller's part of the quota period in force, as a share of the year: their period
        quota is the year's times this (pro-rated for a hire during the period)."""
        return (self.period_end_week - self.period_start(s)) / WEEKS_PER_YEAR

    def in_push(self, terr: Territory) -> bool:
        """Is the territory's seller short of quota in the last weeks of a quota period?"""
        s = terr.seller
        if s is None or self.comp.push_weeks <= 0:
            return False
        weeks_left = self.period_end_week - self.env._now / DAYS_PER_WEEK
        if weeks_left > self.comp.push_weeks:
            return False
        return s.period_bookings < terr.quota_usd * self.period_share(s)

    def _start_month(self, month: int) -> None:
        for lever in self.levers:
            lever.on_month(self, month)
            self._month["investment_cost"] += lever.month_cost(month, self.year_share(month))

    def _plan_terms(self) -> tuple:
        """What effort reads of the plan in force: its terms and the quotas' scale."""
        c = self.comp
        return c.accelerator, c.cap_attainment, c.base_share, c.quota_period, self.quota_scale

    def _set_effort(self, week: int) -> None:
        """Each seated seller's effort for the weeks to come, under the plan in force."""
        pay_ratio = self._variable_pay_ratio()
        for t in self.territories:
            if t.seller is not None:
                t.seller.extra_hours = self._effort(t.seller, t, week, pay_ratio)

    # -- the week ----------------------------------------------------------------------------
    def _start_week(self, week: int) -> None:
        cfg = self.cfg
        en = cfg.enablement
        for t in self.territories:
            s = t.seller
            if s is None:
                continue
            weekly = cfg.org.weekly_hours + s.extra_hours
            tenure_weeks = (week * DAYS_PER_WEEK - s.hired_day) / DAYS_PER_WEEK
            training = (en.onboarding_training_hours / en.onboarding_training_weeks
                        if 0 <= tenure_weeks < en.onboarding_training_weeks else 0.0)
            taken = 0.0
            if s.training_due_hours > 0.0:
                # Classroom days from an investment: at most two days a week out of the field.
                taken = min(s.training_due_hours, 16.0)
                s.training_due_hours -= taken
                training += taken
            fixed = [t.admin_hours, t.internal_hours + self.content.search_hours, training]
            total = sum(fixed)
            if total > weekly:  # a week cannot hold more than its hours
                held = weekly / total
                fixed = [x * held for x in fixed]
                total = weekly
                # the classroom hours it could not hold are still due (a hire's onboarding week)
                s.training_due_hours += taken * (1.0 - held)
            h = s.hours
            h["admin"] += fixed[0]
            h["internal"] += fixed[1]
            h["training"] += fixed[2]
            s.capacity_hours += weekly
            t.coachable_hours_week = weekly - total
        for fsm in self.fsms:
            fsm.plan_week(week)
        for t in self.territories:
            if t.seller is None:
                t.bank.refill(t.cover_hours_week)
            else:
                t.bank.refill(max(0.0, t.coachable_hours_week - t.coached_hours_week))
        for pool in self.overlays.values():
            pool.left = pool.weekly_hours

    def _close_week(self, week: int) -> None:
        cov = self.cfg.coverage
        # A new-logo bonus moves free time from existing accounts to prospecting.
        share = min(0.95, cov.prospecting_share
                    + self.comp.new_logo_allocation_sensitivity * self.comp.new_logo_bonus_share
                    * self._variable_pay_ratio())
        lam_prospect, lam_account = [], []
        for t in self.territories:
            used, left = t.bank.close_week()
            s = t.seller
            if s is None:
                lam_prospect.append(0.0)
                lam_account.append(0.0)
                continue
            prospecting = left * share if t.customers else left
            account_mgmt = left - prospecting
            h = s.hours
            h["opportunity"] += used
            h["prospecting"] += prospecting
            h["account_mgmt"] += account_mgmt
            rate_p, rate_a, ceiling = self.lead_terms[t.segment]
            effort_p, effort_a = prospecting * rate_p, account_mgmt * rate_a
            if t.prospects:
                lam_prospect.append(leads_found(effort_p, len(t.prospects), ceiling))
                lam_account.append(leads_found(effort_a, len(t.customers), ceiling))
            else:
                # Prospecting falls on the customers too: both kinds of effort search one pool.
                effort = effort_p + effort_a
                found = leads_found(effort, len(t.customers), ceiling)
                prospecting_part = effort_p / effort if effort > 0.0 else 0.0
                lam_prospect.append(found * prospecting_part)
                lam_account.append(found * (1.0 - prospecting_part))
        for fsm in self.fsms:
            fsm.close_week()
        self._generate_leads(lam_prospect, lam_account, week)

    def _generate_leads(self, lam_prospect: list[float], lam_account: list[float], week: int) -> None:
        """Prospecting and account-management hours of the past week become next week's leads."""
        # Each seat's week has its own draws (its row of the week's table, then a keyed chunk of
        # its own if it needs more): a seat whose leads differ in one scenario leaves the
        # other seats' alone.
        keyed = self.rs.lead_weeks
        week_key = week << SEATS_BITS
        rows = keyed.uniform_rows(week_key, len(self.territories), LEAD_DRAWS_AT_ONCE)
        for t, lam_p, lam_a, row in zip(self.territories, lam_prospect, lam_account, rows):
            # Counts by inversion: a slightly larger rate finds the same leads, or one more.
            n_p = poisson_quantile(lam_p, row[0])
            n_a = poisson_quantile(lam_a, row[1])
            pool = t.prospects or t.customers
            if not (n_p or n_a) or not pool:
                continue  # no leads this week, or a seat with no accounts to find them at
            needed = 2 + 2 * n_p + 3 * n_a
            if needed > LEAD_DRAWS_AT_ONCE:
                row += keyed.uniforms(week_key | (t.territory_id + 1), needed - LEAD_DRAWS_AT_ONCE)
            uniform = iter(row[2:]).__next__
            for _ in range(n_p):
                self.start_journey(pool[int(uniform() * len(pool))], "prospecting",
                                   uniform() * DAYS_PER_WEEK)
            customers = t.customers
            for _ in range(n_a):
                acc = customers[int(uniform() * len(customers))]
                # Some account ideas become leads; the better the network, the more of them
                # (all of them from 0.6 up: a uniform draw is below 1).
                if uniform() < 0.4 + acc.network:
                    self.start_customer_lead(acc, "account_management", uniform() * DAYS_PER_WEEK)

    def promote_to_customer(self, account: Account) -> None:
        if not account.is_customer:
            account.is_customer = True
            terr = self.territories[account.territory_id]
            terr.prospects.remove(account)
            terr.customers.append(account)

    # -- the month ---------------------------------------------------------------------------
    def _close_month(self, month: int, week: int) -> None:
        cfg = self.cfg
        now = self.env.now
        comp = self.comp
        in_warmup = month < cfg.sim.warmup_months
        # Annual amounts (quota, pay, costs) accrue by the week: a 5-week month carries 5/52.
        year_share = self.year_share(month)
        month_days = year_share * WEEKS_PER_YEAR * DAYS_PER_WEEK  # inside the horizon
        full_month_days = self.cal.full_weeks_of_month(month) * DAYS_PER_WEEK
        base_cost = variable_cost = 0.0
        exits = {"top": 0, "core": 0, "bottom": 0, "new": 0}
        leaving: list[tuple[Territory, Seller]] = []
        pay_ratio = self._variable_pay_ratio()
        # Each seat's exit draw of the month is its own, whoever else left in either scenario.
        exit_draws = self.rs.exits.uniforms(month, len(self.territories))
        for t in self.territories:
            exit_draw = exit_draws[t.territory_id]
            s = t.seller
            if s is None:
                continue
            # A seller hired during the month has been in the seat for part of it: quota and base
            # pay count that part only. The monthly rates (the exit hazard, learning, erosion)
            # count the days in the seat against the whole calendar month, so a last month cut
            # short by the horizon carries its share of them, not a whole month's.
            days_in_seat = now - s.hired_day
            days_in_seat = days_in_seat if days_in_seat < month_days else month_days
            in_seat = days_in_seat / month_days
            exposure = days_in_seat / full_month_days
            quota = t.quota_usd * year_share * in_seat
            tenure_months = (now - s.hired_day) / DAYS_PER_MONTH
            # A hire is judged on the months after the ramp grace only, not on the ramp itself.
            if attrition.after_ramp_grace(tenure_months):
                s.bookings_log.append((month, s.month_bookings, quota))
            pace = attrition.attainment_pace(s.bookings_log, month, t.quota_usd / 12.0)
            tier = attrition.performer_tier(pace, cfg.org.top_performer_attainment, tenure_months)
            fsm = self.fsms[t.fsm_id]
            hazard = attrition.exit_hazard(pace, tenure_months, fsm.quality, cfg.org,
                                           t.ote_usd / s.market_pay_usd)
            leaves = exit_draw < hazard * exposure
            base = compensation.base_pay(t.ote_usd, comp.base_share, year_share * in_seat)
            base_cost += base
            variable_cost += s.variable_pay
            status = "exited" if leaves else (
                "ramping" if tenure_months < FULL_PRODUCTIVITY_MONTHS else "active")
            self.rec.seller_months.append((
                month, s.seller_id, t.territory_id, t.fsm_id, t.segment, t.role, status, tier,
                tenure_months, quota, s.month_bookings, s.month_won, s.month_bookings / quota,
                math.nan if pace is None else pace, base, s.variable_pay,
                *(s.hours[a] for a in ACTIVITIES), s.capacity_hours,
                *s.competencies(now, cfg.enablement.retention_days),
            ))
            s.hours = dict.fromkeys(ACTIVITIES, 0.0)
            s.capacity_hours = s.month_bookings = s.variable_pay = 0.0
            s.month_won = 0
            if leaves:
                exits[tier] += 1
                leaving.append((t, s))
            else:
                s.knowledge = learning_on_the_job(s.knowledge, s.potential_knowledge,
                                                  DAYS_PER_MONTH * exposure,
                                                  cfg.org.onboarding_months * DAYS_PER_MONTH)
                keep = 1.0 - cfg.org.skill_erosion_monthly * exposure
                s.process *= keep
                s.adaptive *= keep
                s.extra_hours = self._effort(s, t, week, pay_ratio)
                s.boosts = [b for b in s.boosts
                            if b.value(now, cfg.enablement.retention_days) > 1e-3 * b.amount]
        for t, s in leaving:
            self._exit(t, s, week)
        lost = self._lose_customers(month_days / full_month_days)
        self._record_fsm_month(month)
        self._record_kpis(month, in_warmup, base_cost, variable_cost, exits, lost)
        if self.on_month is not None:
            self.on_month()

    def _lose_customers(self, exposure: float) -> int:
        """The customers who leave this month become prospects again, their network with them
        faded to a prospect's (customer_churn.py); how many. ``exposure``: the share of the
        month inside the horizon."""
        # Segment -> its monthly chance, for the segments that lose customers (none by default:
        # then no draw is made). Worked out here, not kept on the world: ATTRIBUTES_AT_MOST.
        churn = {name: monthly_chance(seg.customer_churn) for name, seg in self.segments.items()
                 if seg.customer_churn > 0.0}
        if not churn:
            return 0
        uniform = self.rs.customers.uniform
        lost = 0
        # Accounts with a deal open at any seat: a coverage hand-over moves an account, while its
        # open deals stay with the seat that opened them.
        engaged = {opp.account for opp in self.open_opportunities.values()}
        for t in self.territories:
            monthly = churn.get(t.segment)
            if monthly is None:
                continue
            staying = []
            for account in t.customers:
                # A customer buying now (a deal open, or won and being delivered) stays this month.
                if (uniform() < leave_chance(monthly, account.satisfaction) * exposure
                        and not account.deliveries_due and account not in engaged):
                    account.is_customer = False
                    account.losses += 1
                    account.network = PROSPECT_NETWORK
                    t.prospects.append(account)
                    lost += 1
                else:
                    staying.append(account)
            t.customers[:] = staying
        return lost

    def _variable_pay_ratio(self) -> float:
        """The plan's variable pay against the configured plan's, under which sellers work the
        norm week: the commission on the next dollar booked, and a new-logo bonus (a multiple of
        it), grow in proportion. 1 exactly until a compensation investment changes the pay mix."""
        return (1.0 - self.comp.base_share) / (1.0 - self.cfg.compensation.base_share)

    def _effort(self, s: Seller, t: Territory, week: int, pay_ratio: float) -> float:
        """Weekly hours above the norm: sellers work to the marginal commission they expect.

        Projected to the period's end, a seller at or above quota earns the accelerator on the
        next deal, one above the cap earns nothing, and a plan with more variable pay than the
        configured one pays more for it at every attainment; effort follows (capped both ways). When the
        period in force ends with this month, the next deal falls in a new period, where nothing
        is booked yet: the base rate (at quarterly quotas, one month close in three), which is the
        norm week under the configured pay mix.
        """
        comp = self.comp
        if week >= self.period_end_week:
            multiple = 1.0
        else:
            projected = s.period_bookings / (t.quota_usd * max(1, week - self.period_start(s)) / WEEKS_PER_YEAR)
            multiple = 0.0 if projected >= comp.cap_attainment else (
                comp.accelerator if projected >= 1.0 else 1.0)
        multiple *= pay_ratio  # _variable_pay_ratio, read once for the month's sellers
        extra = comp.effort_hours_per_rate * (multiple - 1.0)
        # Coasting never takes more than half the norm week.
        floor = -min(comp.max_effort_hours, 0.5 * self.cfg.org.weekly_hours)
        return max(floor, min(comp.max_effort_hours, extra))

    def _exit(self, t: Territory, s: Seller, week: int) -> None:
        s.exit_day = self.env.now
        t.seller = None
        for opp in t.open_opps.values():
            opp.group.shift_all(-self.cfg.market.disruption_penalty)
        self._schedule_hire(t, week)

    def _schedule_hire(self, t: Territory, week: int) -> None:
        # The seat's k-th vacancy has its own draws (its lag, its hire's skills), the same in
        # every scenario that opens it, whatever other seats' vacancies did there.
        draws = self.rs.hires.draws((t.territory_id << SEATS_BITS) | t.vacancies, *HIRE_DRAWS)
        t.vacancies += 1
        # A gamma lag of shape 4: the sum of four exponentials of a quarter of the mean each
        lag_months = self.cfg.org.hiring_lag_months / 4.0 * sum(
            [draws.std_exponential() for _ in range(4)])
        due = week + max(1, round(lag_months * WEEKS_PER_YEAR / 12.0))
        self.pending_hires.append((due, t, draws))

    def _fill_vacancies(self, week: int) -> None:
        due = [hire for hire in self.pending_hires if hire[0] <= week]
        if not due:
            return
        self.pending_hires = [hire for hire in self.pending_hires if hire[0] > week]
        pay_ratio = self._variable_pay_ratio()
        for _, t, draws in due:
            t.seller = self._new_seller(t, self.env.now, draws)
            # nothing booked yet: the base rate under the plan in force (the norm week under the
            # configured pay mix; 4 hours less under an all-salary plan)
            t.seller.extra_hours = self._effort(t.seller, t, week, pay_ratio)
            self._month["hires"] += 1
            self._month["hiring_cost"] += self.cfg.org.hiring_cost_usd

    def _record_fsm_month(self, month: int) -> None:
        for f in self.fsms:
            m = f.month
            if not f.territories:  # released by a wider span: no row, and nothing carried over
                f.month = dict.fromkeys(m, 0.0)
                continue
            hours_total = sum(m[k] for k in m if k.startswith("hours_"))
            vacancies = sum(1 for t in f.territories if t.vacant)
            self.rec.fsm_months.append((
                month, f.fsm_id, len(f.territories), vacancies, f.quality, f.focus, f.developed,
                m["hours_customer_escalations"], m["hours_customer_deal_support"],
                m["hours_customer_cover"], m["hours_business"], m["hours_people_coaching"],
                m["hours_people_hiring"], hours_total, int(m["escalations"]),
                int(m["escalations_answered"]),
            ))
            f.month = dict.fromkeys(m, 0.0)

    def _record_kpis(self, month: int, in_warmup: bool, base_cost: float, variable_cost: float,
                     exits: dict, customers_lost: int) -> None:
        cfg = self.cfg
        headcount_end = sum(1 for t in self.territories if t.seller is not None)
        year_share = self.year_share(month)
        fsm_cost = sum(1 for f in self.fsms if f.territories) * cfg.fsm.salary_usd * year_share
        tools_cost = len(self.territories) * cfg.tools.cost_per_seller_year_usd * year_share
        hiring_cost = self._month["hiring_cost"]
        investment_cost = self._month["investment_cost"]
        pipeline = self.open_opportunities.values()
        self.rec.kpis.append((
            month, in_warmup, self._month["headcount_start"], self._month["hires"], sum(exits.values()),
            headcount_end, len(self.territories) - headcount_end,
            exits["top"], exits["core"], exits["bottom"], exits["new"],
            self.rec.leads_by_month[month], self.rec.unworked_by_month[month],
            len(pipeline), sum(o.value_usd for o in pipeline),
            sum(len(t.customers) for t in self.territories), customers_lost,
            base_cost, variable_cost, fsm_cost, hiring_cost, tools_cost, investment_cost,
            base_cost + variable_cost + fsm_cost + hiring_cost + tools_cost + investment_cost,
        ))
        self._month = {"hires": 0, "hiring_cost": 0.0, "investment_cost": 0.0, "headcount_start": headcount_end}
