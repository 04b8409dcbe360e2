"""The terminal's answer in a few lines, printed last: which scenario comes first, what it returns
against doing nothing, when it pays back, and whether its lead holds. The notes above it qualify
it at length (300-700 characters each); a sales-ops analyst reading a terminal's last lines gets
the decision first, as the report's 'In short' gives it."""

from __future__ import annotations

import math
from collections.abc import Mapping

from salessim.compare import ci_said, rank_by_of, ranking_said, within_budget
from salessim.comparison_table import npv_cell
from salessim.errors import first_few
from salessim.payback import MONTHS_A_YEAR
from salessim.plural import counted
from salessim.ranking_notes import (NAMED_IN_A_NOTE, STANDINGS, ahead_in_first_year, contention,
                                    standing, within_the_budget)
from salessim.report_table import FEW_REPLICATIONS, RECOMMENDED_REPLICATIONS, fmt_ci
from salessim.sweep_folder import BOOKINGS

HEAD = "In short:"


def short_answer(result, names: Mapping[str, str] | None = None) -> str:
    """'In short: ...', or '' where no scenario but the baseline is compared. ``names``: the
    shorter names the table calls scenarios by."""
    call = names or {}
    rows = result.scenarios[within_budget(result.scenarios)]
    others = rows[~rows.baseline.astype(bool)]
    if others.empty:
        return ""
    first = others.iloc[0]
    name, scope = call.get(first.scenario, first.scenario), within_the_budget(result)
    side = standing(first, result)
    said = [f"{HEAD} {name} comes first{scope} by {ranking_said(result).replace('paired ', '')}"
            + ("" if side == "above" else f", though it {STANDINGS[side][0]} the baseline (doing nothing)")
            + f", {_ranked_figures(result, first)}" + _payback(first) + "."]
    said += [x for x in (_not_settled(first), _lead(result, first.scenario, call), _first_year(result),
                         _few(result)) if x]
    return " ".join(said)


def _ranked_figures(result, row) -> str:
    """The figure the ranking orders by, with its interval, and the net gain beside another."""
    key, ci = rank_by_of(result), ci_said(result)
    net_gain = fmt_ci(BOOKINGS, row.net_gain_usd_per_year, row.net_gain_ci_low, row.net_gain_ci_high)
    if key == "net_gain":
        return f"{net_gain} a year against the baseline (paired, {ci})"
    ranked = (npv_cell(row) if key == "npv" else
              fmt_ci(BOOKINGS, row.diff_vs_baseline, row.diff_ci_low, row.diff_ci_high) + " a year")
    return f"{ranked} against the baseline (paired, {ci}), with a net gain of {net_gain} a year"


def _payback(row) -> str:
    """', and pays back in month 5 from its launch (its band: month 5 to 6)': payback_cell in
    words, '' without a curve (the scenario never differs from the baseline)."""
    months = row.window_months
    if not months:
        return ""
    never = f"within the {months} months measured"
    if math.isnan(row.payback_months):
        return f", and does not pay back on average {never}"
    said = f", and pays back in month {row.payback_months:.0f} from its launch"
    if row.pairs < 2 or math.isnan(row.payback_months_ci_low):
        return said
    latest = (f"or not {never}" if math.isnan(row.payback_months_ci_high)
              else f"to {row.payback_months_ci_high:.0f}")
    return f"{said} (its band: month {row.payback_months_ci_low:.0f} {latest})"


def _not_settled(row) -> str:
    """Where the net gain's interval does not clear 0: the first may return nothing."""
    low, high = row.net_gain_ci_low, row.net_gain_ci_high
    if math.isnan(low) or low > 0:
        return ""
    return ("Its net gain is not settled above zero (the interval includes 0): it may return nothing."
            if high >= 0 else "Its net gain is settled below zero: doing nothing does better.")


def _lead(result, first: str, call: Mapping[str, str]) -> str:
    """Whether the first by net gain stands apart from the others (contention)."""
    held = contention(result)
    if held is None or len(held.rows) < 2:
        return ""
    if held.first != first:
        ahead = call.get(held.first, held.first)
        return f"By net gain per year{within_the_budget(result)}, {ahead} comes first."
    tied = [call.get(s, s) for s in held.tied]
    if tied:
        return (f"It cannot be told apart in net gain from {first_few(tied, NAMED_IN_A_NOTE, '; ')} (each "
                "interval of the difference includes 0): more replications, or cost, risk and time to pay "
                "back, decide.")
    if not held.behind:
        return ""
    behind = [call.get(s, s) for s in held.behind]
    other = f"the other, {behind[0]}," if len(behind) == 1 else f"each of the other {len(behind)}"
    return f"Its lead in net gain over {other} is settled."


def _first_year(result) -> str:
    """Where scenarios ranked below the first gain more in their first year (first_year_note)."""
    found = ahead_in_first_year(result)
    if found is None:
        return ""
    n = len(found[1])
    return (f"In its first {MONTHS_A_YEAR} months, {counted(n, 'scenario')} ranked below it "
            f"gain{'s' if n == 1 else ''} more (named above).")


def _few(result) -> str:
    n = int(result.scenarios.pairs.min())
    if n >= FEW_REPLICATIONS:
        return ""
    return (f"With {counted(n, 'replication')}, rerun with sim.replications={RECOMMENDED_REPLICATIONS} "
            "or more before relying on it.")
