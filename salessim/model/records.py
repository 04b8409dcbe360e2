"""What a replication records: plain lists of tuples during the run, tables once at the end.

The schemas here (column names and kinds) are those of the Parquet outputs (documented in docs/results.md).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from salessim.model.sellers import ACTIVITIES

# The kind of each column: the tables are built from these, not guessed from the values, so a
# column has the same dtype in every run (an empty table included) and the build is quick.
INT, FLOAT, BOOL, TEXT = "int64", "float64", "bool", "str"

OPPORTUNITY_SCHEMA = (
    ("opportunity_id", INT), ("account_id", INT), ("seller_id", INT), ("territory_id", INT),
    ("segment", TEXT), ("source", TEXT), ("lead_day", FLOAT), ("created_day", FLOAT),
    ("gate_day", FLOAT), ("closed_day", FLOAT), ("outcome", TEXT), ("reason", TEXT),
    ("value_usd", FLOAT), ("account_potential", FLOAT), ("n_stakeholders", INT),
    ("stakeholders_added", INT), ("phase_reached", TEXT), ("escalations", INT),
    ("escalations_unanswered", INT), ("deal_reviews", INT), ("overlay_rounds", INT), ("rounds", INT),
    ("mean_quality", FLOAT), ("new_logo", BOOL), ("discounted", BOOL),
)
SELLER_SCHEMA = (
    ("month", INT), ("seller_id", INT), ("territory_id", INT), ("fsm_id", INT), ("segment", TEXT),
    ("role", TEXT), ("status", TEXT), ("performer_tier", TEXT), ("tenure_months", FLOAT),
    ("quota_usd", FLOAT),
    ("bookings_usd", FLOAT), ("won", INT), ("attainment", FLOAT), ("attainment_pace", FLOAT),
    ("base_pay_usd", FLOAT), ("variable_pay_usd", FLOAT),
) + tuple((f"hours_{a}", FLOAT) for a in ACTIVITIES) + (
    ("hours_capacity", FLOAT), ("skill_process", FLOAT), ("skill_knowledge", FLOAT),
    ("skill_adaptive", FLOAT),
)
FSM_SCHEMA = (
    ("month", INT), ("fsm_id", INT), ("team_size", INT), ("vacancies", INT),
    ("coaching_quality", FLOAT), ("coaching_focus", FLOAT), ("developed", BOOL),
    ("hours_customer_escalations", FLOAT), ("hours_customer_deal_support", FLOAT),
    ("hours_customer_cover", FLOAT), ("hours_business", FLOAT), ("hours_people_coaching", FLOAT),
    ("hours_people_hiring", FLOAT), ("hours_total", FLOAT), ("escalations", INT),
    ("escalations_answered", INT),
)
KPI_SCHEMA = (
    ("month", INT), ("in_warmup", BOOL), ("headcount_start", INT), ("hires", INT), ("exits", INT),
    ("headcount_end", INT), ("vacancies_end", INT), ("exits_top", INT), ("exits_core", INT),
    ("exits_bottom", INT), ("exits_new", INT), ("leads", INT), ("leads_unworked", INT),
    ("open_opportunities_end", INT), ("open_pipeline_usd_end", FLOAT), ("customers_end", INT),
    ("customers_lost", INT),
    ("cost_seller_base_usd", FLOAT), ("cost_seller_variable_usd", FLOAT), ("cost_fsm_usd", FLOAT),
    ("cost_hiring_usd", FLOAT), ("cost_tools_usd", FLOAT), ("cost_investment_usd", FLOAT),
    ("cost_total_usd", FLOAT),
)
TRACE_SCHEMA = (
    ("opportunity_id", INT), ("day", FLOAT), ("phase", TEXT), ("event", TEXT), ("value", FLOAT),
    ("weighted_support", FLOAT), ("n_stakeholders", INT),
)
OPPORTUNITY_COLUMNS, SELLER_COLUMNS, FSM_COLUMNS, KPI_COLUMNS, TRACE_COLUMNS = (
    tuple(name for name, _ in schema)
    for schema in (OPPORTUNITY_SCHEMA, SELLER_SCHEMA, FSM_SCHEMA, KPI_SCHEMA, TRACE_SCHEMA))


_NUMPY_KIND = {INT: "i", BOOL: "b"}  # numpy's dtype.kind of what an INT or BOOL column may hold
# Each table's schema by the name of its file in a job's folder, and its declared kinds by column.
TABLE_SCHEMAS = {"opportunities": OPPORTUNITY_SCHEMA, "sellers": SELLER_SCHEMA, "fsm_months": FSM_SCHEMA,
                 "kpis": KPI_SCHEMA, "journey_events": TRACE_SCHEMA}
TABLE_KINDS = {name: dict(schema) for name, schema in TABLE_SCHEMAS.items()}


def kind_problem(table: pd.DataFrame, kinds: dict[str, str]) -> str | None:
    """What is wrong with the first column of ``table`` whose values are not of the kind
    ``kinds`` declares for it (text for a number, say); None when each is."""
    fits = {FLOAT: lambda d: pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d),
            INT: pd.api.types.is_integer_dtype, BOOL: pd.api.types.is_bool_dtype,
            TEXT: lambda d: pd.api.types.is_string_dtype(d) or isinstance(d, pd.CategoricalDtype)}
    for name, kind in kinds.items():
        # A column with no value at all (an empty table, or all missing) has no kind to check.
        if name in table and not fits[kind](table[name].dtype) and not table[name].isna().all():
            return f"column {name} holds {table[name].dtype} values, not {kind}"
    return None


def frame(rows: list[tuple], schema: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    """A table of ``rows`` with the columns and dtypes of ``schema``.

    Integer and boolean columns are checked: a float there (which numpy would truncate
    silently), or a row of the wrong length, is a bug in the model, and it raises. FLOAT columns
    take any number (an int is converted exactly); TEXT columns take strings.
    """
    values = zip(*rows, strict=True) if rows else ([] for _ in schema)
    data = {}
    for (name, kind), column in zip(schema, values, strict=True):
        if kind == TEXT:
            data[name] = pd.array(column, dtype=TEXT)
        elif kind == FLOAT:
            data[name] = np.array(column, dtype=np.float64)
        else:
            array = np.array(column) if rows else np.empty(0, dtype=kind)
            if array.dtype.kind != _NUMPY_KIND[kind]:
                raise TypeError(f"column {name!r} holds {array.dtype} values, not {kind}")
            data[name] = array.astype(kind, copy=False)  # int32 where that is numpy's default int
    return pd.DataFrame(data)


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
            opp.outcome, opp.reason, opp.value_usd, opp.account.potential, opp.n_stakeholders,
            opp.group.added, opp.phase, opp.escalations, opp.escalations_unanswered,
            opp.deal_reviews, opp.overlay_rounds, opp.rounds,
            opp.quality_sum / opp.rounds if opp.rounds else math.nan, opp.new_logo, opp.discounted,
        ))

    def frames(self, replication: int) -> dict[str, pd.DataFrame]:
        rows_of = {"opportunities": self.opportunities, "sellers": self.seller_months,
                   "fsm_months": self.fsm_months, "kpis": self.kpis, "journey_events": self.trace_rows}
        out = {}
        for name, schema in TABLE_SCHEMAS.items():
            rows = rows_of[name]
            if rows is None:  # journey_events, when the run was not traced
                continue
            df = frame(rows, schema)
            if name == "kpis":  # known only once every lead of the month was worked or went cold
                df.insert(df.columns.get_loc("leads_unworked") + 1, "leads_unworked_by_arrival",
                          [self.unworked_by_arrival[m] for m in df.month])
            df.insert(0, "replication", replication)
            out[name] = df
        return out
