"""The terminal's answer in a few lines, printed last: which scenario comes first, what it returns
against doing nothing, when it pays back, and whether its lead holds. The notes above it qualify
it at length (300-700 characters each); a sales-ops analyst reading a terminal's last lines gets
the decision first, as the report's 'In short' gives it."""

from __future__ import annotations

import math
from collections.abc import Mapping

from salessim.comparability import fits_alone_said, unlike_the_baseline
from salessim.compare import (budget_of, ci_said, confidence_of, discount_rate, first_year_estimated,
                              first_year_spend, level_said, npv_said, rank_by_of, ranking_said,
                              unfinished_jobs, unfinished_said, within_budget)
from salessim.comparison_table import npv_cell, payback_edges, payback_words
from salessim.errors import first_few
from salessim.job_selection import differences, in_value_order, setting_of
from salessim.payback import MONTHS_A_YEAR, first_year_ci, first_year_measured
from salessim.plural import and_listed, counted
from salessim.ranking_notes import (NAMED_IN_A_NOTE, SAVING_NOT_SELLING, STANDINGS, ahead_in_first_year,
                                    assumption_rows, baseline_invests, contention, does_better, net_gain_lead,
                                    saving_not_selling, spending_less, spending_said, standing,
                                    within_the_budget)
from salessim.report_table import FEW_REPLICATIONS, RECOMMENDED_REPLICATIONS, fmt_ci, fmt_diff, fmt_value
from salessim.stats import mean_interval, settled_side
from salessim.sweep_folder import BOOKINGS, recorded_investments
from salessim.together import ADDING_UP, pairs_with_parts, together_said

HEAD = "In short:"
RIVALS_NAMED = 8  # the scenarios the first cannot be told apart from, named (more are counted)
REPORT = "report.html"


def short_answer(result, names: Mapping[str, str] | None = None, in_report: bool = False) -> str:
    """'In short: ...', or '' where no scenario but the baseline is compared. ``names``: the
    shorter names the table calls scenarios by. ``in_report``: the paragraph that opens the
    report's 'In short', under its heading (no 'In short:'), pointing to the details below it."""
    call, where = names or {}, "below" if in_report else REPORT
    rows = result.scenarios[within_budget(result.scenarios)]
    others = rows[~rows.baseline.astype(bool)]
    choices = others[~others.scenario.isin(assumption_rows(result))]
    others = others if choices.empty else choices
    if others.empty:  # none within the budget: what the first beyond it costs over it, if any is
        beyond = beyond_the_budget(result, None, call)
        none = f"{'N' if in_report else 'n'}o scenario fits the budget."
        return "" if not beyond else f"{none} {beyond}" if in_report else f"{HEAD} {none} {beyond}"
    first = others.iloc[0]
    name, scope = call.get(first.scenario, first.scenario), within_the_budget(result)
    side = standing(first, result)
    by = _by(result)
    # a follow-up's own question answered first (a walk found it after the first's figures): its
    # pairs against their parts added up, its scenarios against a run set beside them; then the
    # first, whose 'It' and 'Its' follow it
    held, pairs = contention(result), pairs_with_parts(result)
    # A pair against its parts added up comes first where the sweep asks that (a together step's
    # follow-up) or asks nothing; after the first where it asks a question of its own (a sales-ops
    # walk asked which of two options, and read first of the pair both made).
    together = together_said(result, call, pairs)
    question = getattr(result, "question", None)
    together_asked = not question or ADDING_UP in question
    # the sweep's unfinished jobs before all: the answer is of the finished ones alone
    asked = [x for x in (_unfinished(result, in_report), fits_alone_said(getattr(result, "jobs", [])),
                         together if together_asked else "",
                         _against_beside(result, call, pairs)) if x]
    capital = in_report or bool(asked)
    if side == "above":
        # 'on average' where others cannot be told apart from it: 'comes first' alone named a
        # winner the intervals do not support (a strategist's walk)
        level = " on average" if held is not None and held.first == first.scenario and held.tied else ""
        opening = f"{name} comes first{level}{scope} by {by}"
    else:  # doing nothing ranks first: its rival is the nearest scenario (the report's 'In short' too)
        # a review: a baseline that invests; a walk: a sweep's first job, a cut as its others are
        nothing = ("" if baseline_invests(result) else
                   f", {call.get(result.baseline.scenario, result.baseline.scenario)}, "
                   f"{result.baseline_said_as},"
                   if getattr(result, "baseline_said_as", "") else " (doing nothing)")
        opening = (f"{'T' if capital else 't'}he baseline{nothing} ranks first{scope} by {by}; the "
                   f"first of the scenarios, {name}, {STANDINGS[side][0]} it")
    said = [*asked, f"{opening}{_apart(first)}, {_ranked_figures(result, first)}"
            + (f"; {payback_words(first, level_said(result))}" if first.window_months else "")
            + _first_year_cost(first) + "."]
    said[0] = ("" if in_report else f"{HEAD} ") + said[0]
    # what is said of the first before what is said of another ('Its' is the first's), and first
    # of all what a reader who stops at the first sentence must not miss
    said += [x for x in (_each_value(result), _crossed(result),
                         _unlike_the_baseline(result, first, in_report),
                         _lead(result, held, first, call), _not_settled(result, first),
                         _a_saving(result, first), _first_year(result, first, where),
                         assumed_effects(result, first.scenario, where), _few(first),
                         _first_by_net_gain(result, held, first.scenario, call),
                         # after what 'Its' says of the first, where the sweep asks its own question
                         "" if together_asked else together,
                         beyond_the_budget(result, first, call)) if x]
    return " ".join(said)


def _unfinished(result, in_report: bool) -> str:
    """Where jobs of the sweep have not finished: the answer ranks the finished ones alone (a walk
    read a first named from 2 of 18 jobs, the 16 others said only under the answer)."""
    left, total = unfinished_jobs(result)
    if not left:
        return ""
    where = "under 'Incomplete jobs'" if in_report else "below"
    one = left == 1
    them, it = ("it", "it") if one else ("them", "one of them")
    then = (f"{'it' if one else 'they'} may still be running, so compare again when the sweep has ended"
            if getattr(result, "running", False) else
            f"finish {them} (the sweep's command again with sim.resume=true, as said {where}) and compare "
            "again")
    return (f"{unfinished_said(left, total)} and {'is' if one else 'are'} left out of this answer "
            f"(listed {where}), and {it} may yet come first; {then}.")


def _by(result) -> str:
    """'the net gain per year': the figure the ranking orders by, as the answer says it."""
    by = ranking_said(result).replace("paired ", "")
    return by + (f" {npv_said(result)}" if rank_by_of(result) == "npv" else "")


def _apart(row) -> str:
    return (" (it measures another window than the baseline's, sim.years or sim.warmup_months: its yearly "
            "figures are partly the window's)" if row.get("other_window", False) else "")


def _ranked_figures(result, row) -> str:
    """The figure the ranking orders by, with its interval, and the net gain beside another."""
    key = rank_by_of(result)
    net_gain = fmt_ci(BOOKINGS, row.net_gain_usd_per_year, row.net_gain_ci_low, row.net_gain_ci_high)
    paired = "" if math.isnan(row.net_gain_ci_low) else f" (paired, {ci_said(result)})"  # none: '[no CI]'
    against = f"against the baseline{paired}"
    if key == "net_gain":
        return f"{net_gain} a year {against}"
    ranked = (npv_cell(row) if key == "npv" else
              fmt_ci(BOOKINGS, row.diff_vs_baseline, row.diff_ci_low, row.diff_ci_high) + " a year")
    return f"{ranked} {against}, with a net gain of {net_gain} a year"


def _not_settled(result, row) -> str:
    """Where the net gain's interval does not clear 0: the first may return nothing."""
    low, high = row.net_gain_ci_low, row.net_gain_ci_high
    if math.isnan(low) or low > 0:
        return ""
    if low == high == 0.0:  # not 'may return nothing': it is the baseline's simulation (a walk)
        return ("It gains nothing: its net gain equals the baseline's in every replication they share "
                "(an interval of [0, 0]).")
    return ("Its net gain is not settled above zero (the interval includes 0): it may return nothing."
            if high >= 0 else f"Its net gain is settled below zero: {does_better(result)}.")


def _lead(result, held, row, call: Mapping[str, str]) -> str:
    """Whether the first by net gain stands apart from the others (``held``, contention, over the
    baseline's window), and the scenarios too few shared replications leave untold."""
    first = row.scenario
    if held is None or len(held.rows) < 2 or held.first != first or row.pairs < 2:
        return ""  # with one replication nothing can be told apart: _few says so
    rows = held.rows.set_index("scenario")
    tied = [call.get(s, s) + _what_else(result, rows.loc[s]) for s in held.tied]
    behind = [call.get(s, s) for s in held.behind]
    untold = [call.get(s, s) for s in held.rows.scenario[1:] if s not in held.tied and s not in held.behind]
    said = ""
    if tied:
        said = (f"It cannot be told apart in net gain from {first_few(tied, RIVALS_NAMED, '; ')}: the "
                "interval of each difference includes 0, so more replications, or cost, risk and time to "
                "pay back, decide.")
    elif behind:
        other = (f"{behind[0]}" if len(behind) == 1 and not untold else
                 f"each of the other {len(behind)}" if not untold else
                 f"each of {first_few(behind, NAMED_IN_A_NOTE, '; ')}")
        said = f"Its lead in net gain over {other} is settled."
    if untold:  # the first stays the subject: 'Its' follows (a review read it as the other's)
        said += f" It shares too few replications with {first_few(untold, NAMED_IN_A_NOTE, '; ')} to tell."
    return said.strip()


def _against_beside(result, call: Mapping[str, str], pairs: list[tuple[str, str, str]]) -> str:
    """How each of the sweep's own scenarios stands by net gain against each run set beside them
    (--with), paired: the question such a follow-up asks (does the first at half its effect keep a
    net gain above the runner-up's?), which a walk found answered for the first alone. ``pairs``:
    pairs_with_parts(result), whose parts together_said sets against their pairs instead."""
    parts = {s for _, a, b in pairs for s in (a, b)}
    beside = [j.scenario for j in getattr(result, "beside", []) if j.scenario not in parts]
    if not beside:
        return ""
    rows = result.scenarios
    own = [s for s, base in zip(rows.scenario, rows.baseline.astype(bool)) if not base and s not in beside]
    level, said = confidence_of(result), []
    for other in beside:
        each, sides = [], []
        for s in own:
            lead = net_gain_lead(result, s, other)
            if lead is None:
                each.append(f"{call.get(s, s)} (too few replications shared to tell)")
                continue
            mean, low, high = mean_interval(lead, level)
            sides.append(settled_side(low, high))
            each.append(f"{call.get(s, s)} {fmt_ci(BOOKINGS, mean, low, high)} ({STOOD[sides[-1]]})")
        if each:
            listed = first_few(each, NAMED_IN_A_NOTE, "; ")
            said.append(f"Against {call.get(other, other)}, set beside the sweep's runs (--with), by net "
                        f"gain per year, paired [{ci_said(result)}], {_verdict(sides)}: {listed}.")
    return " ".join(said)


STOOD = {1: "settled above it", -1: "settled below it", 0: "not settled: the interval includes 0"}


def _verdict(sides: list[int]) -> str:
    """How the sweep's scenarios stand against a run beside them, in a few words, before each
    figure: a walk read the list and could not tell whether the choice hinged on it."""
    n, up, down = len(sides), sides.count(1), sides.count(-1)
    if n == 1:
        return ("the one stays above it, settled" if up else "the one falls below it, settled" if down
                else "not settled above or below it")
    if up == n or down == n:
        return f"each {'stays above' if up else 'falls below'} it, settled"
    if not up and not down:  # 'of 2, 2 not settled' was read twice
        return "none settled above or below it"
    counts = [f"{k} {what}" for k, what in ((up, "settled above it"), (down, "settled below it"),
                                            (n - up - down, "not settled")) if k]
    return f"of {n}, " + ", ".join(counts)


def _first_by_net_gain(result, held, first: str, call: Mapping[str, str]) -> str:
    """The first by net gain per year over the baseline's window (``held``, contention), where it
    is not the first of the ranking (another ranking, or a first that measures another window);
    said after all that is said of the first, since a reader took the 'Its' that followed for this
    one's (a review)."""
    if held is None or len(held.rows) < 2 or held.first == first:
        return ""
    ahead = call.get(held.first, held.first)
    window = " over the baseline's window" if held.rows.scenario.ne(first).all() else ""
    return f"By net gain per year{within_the_budget(result)}{window}, {ahead} comes first."


_SIDES = {1: "settled above 0", 0: "not settled", -1: "settled below 0"}


def _each_value(result) -> str:
    """Where the scenarios are one investment at several values of one of its settings (its
    effect_scale, a sensitivity sweep against a run without it): each value's net gain against
    the baseline and whether it is settled, the question such a sweep asks (a strategist asking
    whether a CRM at half its effect still pays was told the whole effect beats the half)."""
    jobs = {j.scenario: j for j in getattr(result, "jobs", []) if j is not result.baseline}
    rows = result.scenarios[~result.scenarios.baseline.astype(bool)]
    if len(rows) < 2 or not all(s in jobs and jobs[s].cfg is not None for s in rows.scenario):
        return ""
    first, *rest = (jobs[s] for s in rows.scenario)
    keys = set().union(*(differences(first, j) for j in rest))
    if len(keys) != 1 or not (key := keys.pop()).startswith("investment."):
        return ""
    said = []
    for r in sorted(rows.itertuples(), key=lambda r: in_value_order(setting_of(jobs[r.scenario], key))):
        low, high = r.net_gain_ci_low, r.net_gain_ci_high
        side = "no interval" if math.isnan(low) else _SIDES[settled_side(low, high)]
        said.append(f"at {setting_of(jobs[r.scenario], key)}, "
                    f"{fmt_ci(BOOKINGS, r.net_gain_usd_per_year, low, high)} ({side})")
    return f"By {key}, its net gain per year against the baseline: {'; '.join(said)}."


def _crossed(result) -> str:
    """That the ranking mixes the change of a setting the sweep crosses with its scenarios (an
    assumption) with theirs, and the commands that answer at each value; the setting's own rows
    are left out of the answer (ranking_notes.assumption_rows)."""
    return " ".join(f"The sweep crosses {c.key} ({and_listed(c.at)}) with its scenarios, so this ranking "
                    f"mixes its change with theirs (its own rows, the baseline's configuration at "
                    f"another value, are left out of this answer): the answer at each value is "
                    f"{'; '.join(c.commands)}." for c in getattr(result, "crossed", []))


def _unlike_the_baseline(result, first, in_report: bool) -> str:
    """That the first ran on other random numbers than the baseline (or over another window,
    unless its opening said so), for a reader who stops at the answer."""
    job = _job(result, first.scenario)
    if job is None:
        return ""
    return unlike_the_baseline(result.baseline, job, window_said=bool(first.get("other_window", False)),
                               notes="below" if in_report else "above")


def _a_saving(result, first) -> str:
    """That the first's net gain is a saving, not more selling, where it spends less than the
    baseline and its bookings are not settled above it (a pay cut came first 'paying back in
    month 1', its turnover unsaid: a strategist's walk)."""
    if first.scenario not in set(spending_less(result).scenario) or not saving_not_selling(first):
        return ""
    return f"{SAVING_NOT_SELLING[0].upper()}{SAVING_NOT_SELLING[1:]}: {spending_said(result, first, 'it')}."


def _first_year_cost(row) -> str:
    """'; its extra investment in its first 12 months from launch is +350,000': what the choice
    costs, which a strategist found only in the report's list below the answer (a walk)."""
    spend = row.get("first_year_investment_usd", math.nan)
    if not abs(spend) >= 1.0:  # none, or NaN (a table made before the column)
        return ""
    if spend < 0:  # it drops an investment the baseline holds
        return (f"; in its first {MONTHS_A_YEAR} months from launch it spends {fmt_value(BOOKINGS, -spend)} "
                f"less on investments than the baseline{first_year_estimated(row)}")
    return (f"; its extra investment in its first {MONTHS_A_YEAR} months from launch is "
            f"{fmt_diff(BOOKINGS, spend)}{first_year_estimated(row)}")


def _what_else(result, row) -> str:
    """' (pays back in month 10; +655,866 in its first 12 months)': what may decide between
    scenarios the net gain cannot tell apart, said beside each (a strategist was told time to pay
    back decides, and given no month)."""
    said = []
    if row.window_months:
        # with its band's months: 'month 8' alone read as settled where the band left it open (a walk)
        edges = payback_edges(row)
        said.append(f"does not pay back within the {row.window_months} months measured"
                    if math.isnan(row.payback_months) else
                    f"pays back in month {row.payback_months:.0f} on average (its band: {edges})" if edges
                    else f"pays back in month {row.payback_months:.0f}")
    if first_year_measured(row):
        present = " at present value" if discount_rate(result) else ""
        gain = row.first_year_net_gain_usd  # 'gains -1,000,585' of a loss (a strategist's walk)
        change = f"gains {fmt_diff(BOOKINGS, gain)}" if gain >= 0 else f"loses {fmt_value(BOOKINGS, -gain)}"
        said.append(f"{change} in its own first {MONTHS_A_YEAR} months{present}")
    # 'which': the bracket is the other's, not the first's (a walk)
    return f" (which {' and '.join(said)})" if said else ""


def _first_year(result, first, where: str = REPORT) -> str:
    """The first's net gain over its first 12 months from launch (the budget year, which the
    yearly figure averaged over the window hides), and the scenarios ranked below it that gain
    more in theirs (first_year_note); '' where a year or less is measured."""
    if not first_year_measured(first):
        return ""
    present = " at its present value" if discount_rate(result) else ""  # the curve is discounted
    gains = (f"it gains{present}" if first.first_year_net_gain_usd >= 0
             else f"its net gain{present} is")  # not 'gains -1,000,585'
    said = f"Over its first {MONTHS_A_YEAR} months from launch {gains} {first_year_ci(first)}"
    found = ahead_in_first_year(result)
    if found is not None and found[0].scenario == first.scenario:  # the note's first is the baseline window's
        n = len(found[1])
        # 'less than 3 scenarios ... gain' was read as 'fewer than three' (a walk)
        named = "above" if where == REPORT else "below"  # the terminal's notes, or the report's list
        said += (f"; {counted(n, 'scenario')} ranked below it {'gains' if n == 1 else 'gain'} more in "
                 f"{'its own' if n == 1 else 'theirs'} on average (named {named})")
    return said + "."


def beyond_the_budget(result, first, call: Mapping[str, str]) -> str:
    """The first of the whole ranking, where the budget leaves it out and it ranks above doing
    nothing, with what its first year costs beyond the budget and what it returns: how much more
    budget buys a strategist (a walk found the first without the budget 50,000 over it, for
    +6.2 M a year against +4.1 M, unsaid). ``first``: the first within the budget, None for none."""
    budget, rows = budget_of(result), result.scenarios
    others = rows[~rows.baseline.astype(bool)]
    if budget is None or others.empty or first is not None and others.scenario.iloc[0] == first.scenario:
        return ""
    over, b = others.iloc[0], BOOKINGS
    if standing(over, result) != "above":
        return ""  # doing nothing ranks above it: no more budget buys a gain
    spend, gain = first_year_spend(over), fmt_diff(b, over.net_gain_usd_per_year)
    beside = "" if first is None else f" (the first within it: {fmt_diff(b, first.net_gain_usd_per_year)})"
    return (f"Without the budget, {call.get(over.scenario, over.scenario)} comes first by {_by(result)}"
            f"{_apart(over)}: its first year's investment, {fmt_diff(b, spend)}{first_year_estimated(over)}, "
            f"is {fmt_value(b, spend - budget)} over it; its net gain is {gain} a year against the "
            f"baseline{beside}.")


def assumed_effects(result, first: str, where: str = REPORT) -> str:
    """That the intervals are the simulation's chance alone, at the effects the investments are
    given: a strategist read 'settled' as a certainty about the investment itself."""
    job = _job(result, first)
    if job is None or not recorded_investments(job):
        return ""
    return ("Its intervals measure the simulation's chance alone, at the effect sizes assumed for it "
            f"({where}, 'What the investments assume').")


def _job(result, scenario: str):
    """The compared job of ``scenario``; None for a result made without its jobs."""
    return next((j for j in getattr(result, "jobs", []) if j.scenario == scenario), None)


def _few(first) -> str:
    """Why to rerun with more replications, even where a lead is settled: a walk read 'settled'
    and 'rerun before relying on it' as a contradiction. The first's replications, paired with
    the baseline, as the report's step confirming it counts them (a run set beside with fewer
    made it say 1 while the first had 3)."""
    n = int(first.pairs)
    if n >= FEW_REPLICATIONS:
        return ""
    if n < 2:
        return (f"With {counted(n, 'replication')} there is no interval: rerun with "
                f"sim.replications={RECOMMENDED_REPLICATIONS} or more before relying on it.")
    return (f"With {n} replications, the intervals' own width is uncertain: rerun with "
            f"sim.replications={RECOMMENDED_REPLICATIONS} or more before committing a budget.")
