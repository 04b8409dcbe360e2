"""What a replication records: plain lists of tuples during the run, tables once at the end.

Column lists here are the schema of the Parquet outputs (documented in docs/results.md).
"""

from __future__ import annotations

import math

import pandas as pd

from salessim.model.sellers import ACTIVITIES

OPPORTUNITY_COLUMNS = (
    "opportunity_id", "account_id", "seller_id", "territory_id", "segment", "source",
    "lead_day", "created_day", "gate_day", "closed_day", "outcome", "reason", "value_usd",
    "n_stakeholders", "stakeholders_added", "phase_reached", "escalations",
    "escalations_unanswered", "deal_reviews", "rounds", "mean_quality", "new_logo", "discounted",
)
SELLER_COLUMNS = (
    "month", "seller_id", "territory_id", "fsm_id", "segment", "status", "performer_tier",
    "tenure_months", "quota_usd", "bookings_usd", "won", "attainment", "attainment_pace",
    "base_pay_usd", "variable_pay_usd",
) + tuple(f"hours_{a}" for a in ACTIVITIES) + (
    "hours_capacity", "skill_process", "skill_knowledge", "skill_adaptive",
)
FSM_COLUMNS = (
    "month", "fsm_id", "team_size", "vacancies", "coaching_quality", "coaching_focus", "developed",
    "hours_customer_escalations", "hours_customer_deal_support", "hours_customer_cover",
    "hours_business", "hours_people_coaching", "hours_people_hiring", "hours_total",
    "escalations", "escalations_answered",
)
KPI_COLUMNS = (
    "month", "in_warmup", "headcount_start", "hires", "exits", "headcount_end", "vacancies_end",
    "exits_top", "exits_core", "exits_bottom", "exits_new",
    "leads", "leads_unworked", "open_opportunities_end", "open_pipeline_usd_end",
    "cost_seller_base_usd", "cost_seller_variable_usd", "cost_fsm_usd", "cost_hiring_usd",
    "cost_tools_usd", "cost_investment_usd", "cost_total_usd",
)
TRACE_COLUMNS = ("opportunity_id", "day", "phase", "event", "value", "weighted_support",
                 "n_stakeholders")


class Recorder:
    def __init__(self, calendar, trace: bool) -> None:
        self.calendar = calendar
        months = calendar.months
        self.opportunities: list[tuple] = []
        self.seller_months: list[tuple] = []
        self.fsm_months: list[tuple] = []
        self.kpis: list[tuple] = []
        self.trace_rows: list[tuple] | None = [] if trace else None
        self.leads_by_month = [0] * (months + 1)
        self.unworked_by_month = [0] * (months + 1)
        self.unworked_by_arrival = [0] * (months + 1)

    def lead(self, day: float) -> None:
        self.leads_by_month[self.calendar.month_of_day(day)] += 1

    def lead_unworked(self, lead_day: float, found_day: float) -> None:
        self.unworked_by_month[self.calendar.month_of_day(found_day)] += 1
        self.unworked_by_arrival[self.calendar.month_of_day(lead_day)] += 1

    def opportunity(self, opp) -> None:
        seller_id = opp.seller_id
        self.opportunities.append((
            opp.opportunity_id, opp.account.account_id, seller_id, opp.territory_id, opp.segment,
            opp.source, opp.lead_day, opp.created_day,
            math.nan if opp.gate_day is None else opp.gate_day,
            math.nan if opp.closed_day is None else opp.closed_day,
            opp.outcome, opp.reason, opp.value_usd, opp.n_stakeholders, opp.group.added, opp.phase,
            opp.escalations, opp.escalations_unanswered, opp.deal_reviews, opp.rounds,
            opp.quality_sum / opp.rounds if opp.rounds else math.nan, opp.new_logo, opp.discounted,
        ))

    def frames(self, replication: int) -> dict[str, pd.DataFrame]:
        tables = {
            "opportunities": (self.opportunities, OPPORTUNITY_COLUMNS),
            "sellers": (self.seller_months, SELLER_COLUMNS),
            "fsm_months": (self.fsm_months, FSM_COLUMNS),
            "kpis": (self.kpis, KPI_COLUMNS),
        }
        if self.trace_rows is not None:
            tables["journey_events"] = (self.trace_rows, TRACE_COLUMNS)
        out = {}
        for name, (rows, columns) in tables.items():
            df = pd.DataFrame.from_records(rows, columns=list(columns))
            if name == "kpis":  # known only once every lead of the month was worked or went cold
                df.insert(df.columns.get_loc("leads_unworked") + 1, "leads_unworked_by_arrival",
                          [self.unworked_by_arrival[m] for m in df.month])
            df.insert(0, "replication", replication)
            out[name] = df
        return out
