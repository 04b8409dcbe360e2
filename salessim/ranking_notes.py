"""What the ranking of a comparison settles, said as notes: which scenarios' differences may be
chance, how the first two stand against each other, which scenarios cannot be told apart from
the first by net gain, and the footnote marks of an ROI."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from salessim.comparability import NAMED_IN_A_NOTE, SAME_MONEY_USD, quotas_apart
from salessim.compare import (NPV, RANKINGS, budget_from, budget_of, ci_said, confidence_of,
                              first_year_estimated, first_year_spend, includes_zero, net_gain, npv_said,
                              paired_change, paired_ci, per_replication, percent, rank_by_of, shows_npv,
                              within_budget)
from salessim.errors import first_few
from salessim.job_selection import window_of
from salessim.payback import MONTHS_A_YEAR, first_year_ci, first_year_measured
from salessim.plural import and_listed, counted
from salessim.report_table import fmt_ci, fmt_diff, fmt_value
from salessim.stats import DEFAULT_CONFIDENCE, mean_interval, settled_side
from salessim.summary import COST_PARTS
from salessim.sweep_folder import BOOKINGS, COST, recorded_investments


RUNS_CHEAPER = "*"
MAY_NOT_PAY = "?"
# The cost parts of a net gain, as the notes and the report name them (summary.COST_PARTS, then the
# investment's own).
COST_PART_NAMES = {"seller_base_cost_usd": "base pay", "commission_cost_usd": "commission",
                   "fsm_cost_usd": "FSMs", "hiring_cost_usd": "hiring", "tools_cost_usd": "tools",
                   "investment_cost_usd": "investment"}
assert list(COST_PART_NAMES)[:-1] == [part for part, _ in COST_PARTS]


def _compared(scenarios: pd.DataFrame) -> pd.DataFrame:
    """The scenarios compared with the baseline, less those whose bookings equal the baseline's in
    every replication they share (an interval of [0, 0]; comparability.identical_notes names those
    run on the same replications): they cannot differ by chance, and a walk found one counted as
    'may not differ'."""
    others = scenarios[~scenarios.baseline.astype(bool)]
    if "diff_ci_low" not in others:
        return others
    return others[~((others.diff_ci_low == 0) & (others.diff_ci_high == 0))]


def unsettled_note(scenarios: pd.DataFrame, names: Mapping[str, str] | None = None) -> str:
    """A line naming the scenarios whose paired bookings intervals include 0 (the first few of
    them, and how many; ``names``: shorter names to call them by): the ranking orders their means,
    but their difference from the baseline may be none."""
    others = _compared(scenarios)
    crossing = others[includes_zero(others.diff_ci_low, others.diff_ci_high)]
    if crossing.empty:
        return ""
    named = first_few([(names or {}).get(s, s) for s in crossing.scenario], NAMED_IN_A_NOTE)
    one = len(crossing) == 1
    return (f"{len(crossing)} of {counted(len(others), 'scenario')} {'has' if one else 'have'} a bookings "
            f"interval that includes 0 ({named}): {'it' if one else 'they'} may not differ from the baseline")


def first_settled_note(scenarios: pd.DataFrame, names: Mapping[str, str] | None = None,
                       scope: str = "") -> str:
    """For the answer a report opens with: whether the ranking's first (the baseline aside) is
    settled against doing nothing, in bookings and net gain, and which other scenarios' net gain
    is. A ranking orders means: its first may be a scenario whose gain the intervals cannot tell
    from none, while another's is settled. ``scope``: which scenarios ``scenarios`` holds, where
    not all (' within the budget')."""
    others = scenarios[~scenarios.baseline.astype(bool)]
    if others.empty or others.net_gain_ci_low.isna().all():
        return ""  # one replication: no interval to judge by
    first, rest = others.iloc[0], others.iloc[1:]
    figures = (("change in bookings", first.diff_ci_low), ("net gain", first.net_gain_ci_low))
    unmeasured = [what for what, low in figures if math.isnan(low)]
    open_ = [what for what, low in figures if not math.isnan(low) and not low > 0]
    said = []
    if open_:
        many = len(open_) > 1
        said.append(f"Against the baseline, its {' and '.join(open_)} {'are' if many else 'is'} not "
                    f"settled above zero: the interval{'s' if many else ''} include{'' if many else 's'} "
                    f"0 or lie{'' if many else 's'} below it.")
    if unmeasured:
        many = len(unmeasured) > 1
        said.append(f"Its {' and '.join(unmeasured)} {'have' if many else 'has'} no interval (too few "
                    "replications paired with the baseline's).")
    if not said:
        return ""
    call = names or {}
    settled = [call.get(s, s) for s, low in zip(rest.scenario, rest.net_gain_ci_low) if low > 0]
    if settled:
        said.append(f"{'Other scenarios' if first.net_gain_ci_low > 0 else 'Scenarios'}{scope} whose net "
                    f"gain is settled above the baseline's: {first_few(settled, NAMED_IN_A_NOTE, '; ')}.")
    elif not first.net_gain_ci_low > 0:
        said.append(f"No scenario{scope} has a net gain settled above the baseline's.")
    return " ".join(said)


MANY_SCENARIOS = 4  # from this many compared with the baseline, chance findings are said to be likely


def many_scenarios_note(scenarios: pd.DataFrame, confidence: float = DEFAULT_CONFIDENCE,
                        names: Mapping[str, str] | None = None) -> str:
    """Each interval is at its confidence on its own: among many scenarios, one that changes
    nothing may clear 0 by chance, which a strategist reading the table for a winner should be told."""
    k = len(_compared(scenarios))
    if k < MANY_SCENARIOS:
        return ""
    return (f"{k} scenarios, each compared with the baseline at {percent(confidence)} on its own: were "
            f"none of them to make a difference, the chance that at least one interval still clears 0 "
            f"is up to {1.0 - confidence ** k:.0%}; an interval that only just clears 0 is a lead to rerun "
            "with more replications, not yet a finding" + _just_clearing(scenarios, names or {}) + ".")


JUST_CLEARS = 0.25  # an interval whose near end is within this share of its mean from 0 only just clears it


def _just_clearing(scenarios: pd.DataFrame, names: Mapping[str, str]) -> str:
    """The intervals that only just clear 0 (bookings or net gain), named for many_scenarios_note:
    a strategist asked which of the table's intervals the warning is about."""
    said = []
    for _, s in scenarios[~scenarios.baseline.astype(bool)].iterrows():
        for what, mean, low, high in (("bookings", s.get("diff_vs_baseline"), s.get("diff_ci_low"),
                                       s.get("diff_ci_high")),
                                      ("net gain", s.get("net_gain_usd_per_year"), s.get("net_gain_ci_low"),
                                       s.get("net_gain_ci_high"))):
            if mean is None or low is None or math.isnan(low) or math.isnan(high):
                continue
            near = low if mean > 0 else high  # the end nearer 0
            if (low > 0 or high < 0) and abs(near) < JUST_CLEARS * abs(mean):
                name = names.get(s.scenario, s.scenario)
                said.append(f"{name}'s {what} {fmt_ci(BOOKINGS, mean, low, high)}")
    return f" (here {first_few(said, NAMED_IN_A_NOTE, '; ')})" if said else ""


# How a scenario stands to the baseline by the ranking's figure (standing()), said of one and of two.
STANDINGS = {"above": ("ranks above", "rank above"), "tie": ("ties with", "tie with"),
             "below": ("ranks below", "rank below"),
             None: ("has no paired change with", "have no paired change with")}


def standing(row, result) -> str | None:
    """Whether a row of ``result.scenarios`` ranks 'above' the baseline, ties with it ('tie': a
    change of exactly 0) or ranks 'below' it, by the figure of the ranking; None when no change
    was measured (no replication shared with the baseline), which the ranking puts below it."""
    value = row.get(RANKINGS[rank_by_of(result)][0], math.nan)
    return None if math.isnan(value) else "above" if value > 0 else "tie" if value == 0 else "below"


def leaders_note(result, names: Mapping[str, str] | None = None) -> str:
    """The first two scenarios of the ranking (the baseline aside) against each other, replication
    by replication: each is measured against the baseline, and a strategist choosing between the
    two needs their own difference, in bookings and in net gain."""
    values = getattr(result, "values", None)
    fits = within_budget(result.scenarios)
    order = list(zip(result.scenarios.scenario[fits], result.scenarios.baseline[fits].astype(bool)))
    ranked = [s for s, b in order if not b]
    if values is None or len(ranked) < 2:
        return ""
    of_the_ranking = "of the ranking" + within_the_budget(result)
    # Where the baseline ranks among them: doing nothing may beat them both, or tie with them
    # (a change of 0, which ranks below it).
    base_at = next((i for i, (_, b) in enumerate(order) if b), len(order))
    rows = result.scenarios.set_index("scenario")
    first_side, second_side = ("above" if at < base_at else standing(rows.loc[s], result)
                               for at, s in enumerate(ranked[:2]))
    if second_side == "above":
        below = ""
    elif first_side == "above":
        below = f" The second {STANDINGS[second_side][0]} the baseline."
    elif first_side == second_side:
        below = f" Both {STANDINGS[first_side][1]} the baseline."
    else:
        below = f" The first {STANDINGS[first_side][0]} the baseline, the second {STANDINGS[second_side][0]} it."
    call = names or {}
    a, b = (call.get(s, s) for s in ranked[:2])
    windows = {j.scenario: window_of(j) for j in getattr(result, "jobs", [])}
    if windows.get(ranked[0]) != windows.get(ranked[1]):
        return (f"The first two {of_the_ranking}, the baseline aside, {a} and {b}, measure different "
                "windows (sim.years or sim.warmup_months): a difference between them would be partly "
                "the window's, so they are not set side by side. Compare them at one horizon and warm-up."
                + below)
    first, second = (values[s] for s in ranked[:2])
    # The replications the ranking measured both on: those the baseline has too, so that the two
    # differ here by what their paired changes say (not by replications of seeds it lacks).
    shared = first.index.intersection(second.index)
    base_name = next((s for s, b in order if b), None)
    on = shared if base_name is None else shared.intersection(values[base_name].index)
    if base_name is not None and len(on) == 0:  # no pair the ranking measured: nothing to set side by side
        return ""
    first, second = first.loc[on], second.loc[on]
    level = confidence_of(result)
    measures = {"bookings": ("bookings per year", paired_ci(second[BOOKINGS], first[BOOKINGS], level)[:3]),
                "net gain": ("net gain per year", paired_ci(net_gain(second), net_gain(first), level)[:3])}
    if shows_npv(result) and NPV in first:
        measures["NPV"] = (f"NPV of the window {npv_said(result)}", paired_ci(second[NPV], first[NPV], level)[:3])
    # Per measure: +1 the first is ahead, -1 the second is, 0 the interval includes 0 (not settled).
    sides = {name: settled_side(lo, hi) for name, (_, (_, lo, hi)) in measures.items() if not math.isnan(lo)}
    said = {1: f"{a} leads", -1: f"{b} leads", 0: "not settled (the interval includes 0)"}
    every = {2: ("both", "either (both intervals include 0)"),
             3: ("all three", "any of them (every interval includes 0)")}.get(len(measures))
    if first[BOOKINGS].equals(second[BOOKINGS]) and net_gain(first).equals(net_gain(second)):
        # spans of control that round to the same FSMs: 'not settled' would promise a difference
        verdict = ("neither leads: the two are the same simulation, identical in every replication (the "
                   "settings that differ between them change nothing here)")
    elif not sides:  # one replication: no interval to judge by
        verdict = "which leads cannot be told without intervals (two replications or more)"
    elif len(set(sides.values())) == 1 and len(sides) == len(measures):
        side = next(iter(sides.values()))
        verdict = (f"{said[side]} on {every[0]}" if side else
                   f"which of the two leads is not settled on {every[1]}")
    else:
        verdict = "; ".join(f"on {name}, {said[side]}" for name, side in sides.items())
    shown = ", ".join(f"{label} {fmt_ci(BOOKINGS, *ci)}" for label, ci in measures.values())
    over = (f" over the {counted(len(on), 'replication')} of the {len(shared)} they share that the baseline has "
            f"too, as the ranking is" if len(on) < len(shared) else "")
    # the verdict first: 'The first two ..., a minus b, paired: ...: a leads' had no verb (a walk)
    return (f"Of the first two {of_the_ranking} (the baseline aside), {verdict}: {a} minus {b}, "
            f"paired{over} [{ci_said(result)}], {shown}." + below)


@dataclass
class Contention:
    """The first scenario by net gain per year, of the baseline's window, against each other."""
    rows: pd.DataFrame  # the scenarios of the baseline's window, by net gain, first first
    first: str
    tied: dict[str, pd.Series]  # scenario -> the first's net gain less its own, by replication
    behind: list[str]  # the scenarios the first's lead over is settled


def assumption_rows(result) -> set[str]:
    """The scenarios that are the baseline's configuration at another value of a setting the
    sweep crosses with its scenarios (an assumption's own rows, job_selection.crossed_settings):
    no choice to rank against the scenarios (a walk's answer offered doing nothing under another
    assumption as the first's rival, a review's named it first)."""
    return {s for c in getattr(result, "crossed", []) for s in c.twins}


def contention(result) -> Contention | None:
    """Each scenario paired with the first by net gain: those the interval of the difference
    cannot tell from it (tied), and those it leads by a settled margin. Only scenarios of the
    baseline's window take part, and none of an assumption's own rows; None where no scenario has
    a net gain."""
    values = getattr(result, "values", None)
    flags = result.scenarios.baseline.astype(bool)
    base_name = result.scenarios.scenario[flags].iloc[0] if flags.any() else None
    windows = {j.scenario: window_of(j) for j in getattr(result, "jobs", [])}
    # Over the baseline's window only: another window's net gain is partly the window's (the
    # baseline's own settings over a longer horizon could come first).
    in_its_window = result.scenarios.scenario.map(lambda s: windows.get(s) == windows.get(base_name))
    if "other_window" in result.scenarios:  # compare's own mark of the same (a table without jobs has it)
        in_its_window &= ~result.scenarios.other_window.astype(bool)
    rows = result.scenarios[~flags & in_its_window & within_budget(result.scenarios)]
    rows = rows[~rows.scenario.isin(assumption_rows(result))]
    rows = rows.sort_values("net_gain_usd_per_year", ascending=False, na_position="last")
    if values is None or rows.empty or rows.net_gain_usd_per_year.isna().iloc[0]:
        return None
    first, *others = rows.scenario
    level = confidence_of(result)
    tied, behind = {}, []
    for s in others:
        lead = net_gain_lead(result, first, s)
        if lead is None:
            continue  # no interval to judge by
        if mean_interval(lead, level)[1] > 0:  # settled behind only when the first's lead clears 0
            behind.append(s)
        else:
            tied[s] = lead
    return Contention(rows=rows, first=first, tied=tied, behind=behind)


def lead_unsettled(differences, level: float) -> bool:
    """Whether the interval of the mean of ``differences`` includes 0: neither side settled."""
    return bool(includes_zero(*mean_interval(differences, level)[1:]))


def second_place_note(result, held: Contention, names: Mapping[str, str]) -> str:
    """The scenarios the second by net gain cannot be told from, where the first's lead over them
    all is settled: who comes second is then the open question (a new user's walk found +4,145,679
    and +4,133,998 a year ranked second and third, said to be a tie only in the report's next
    steps). '' where the second's lead over each is settled."""
    if held.tied or len(held.behind) < 2:
        return ""
    second, *rest = held.behind
    level = confidence_of(result)
    measured = {s: lead for s in rest if (lead := net_gain_lead(result, second, s)) is not None}
    leads = {s: lead for s, lead in measured.items() if lead_unsettled(lead, level)}
    if not leads:
        return ""
    b = names.get(second, second)
    said = [f"{b} minus {names.get(s, s)} {fmt_ci(BOOKINGS, *mean_interval(lead, level))}"
            for s, lead in leads.items()]
    # Those it is settled ahead of, said too: the unsettled can be ranks 3 and 5, and rank 4 unsaid
    # read as a third rival (a new user's walk).
    ahead_of = [names.get(s, s) for s in measured if s not in leads]
    return (f" Who comes second is not settled: by net gain per year{within_the_budget(result)}, paired "
            f"[{ci_said(result)}], "
            f"{first_few(said, NAMED_IN_A_NOTE, '; ')} "
            f"({'the interval includes' if len(said) == 1 else 'each interval includes'} 0). Cost, risk, "
            "time to pay back or more replications decide between them."
            + (f" The lead of {b} over the other, {ahead_of[0]}, is settled." if len(ahead_of) == 1 else
               f" The lead of {b} over each of the other {len(ahead_of)} is settled: "
               f"{first_few(ahead_of, NAMED_IN_A_NOTE)}." if ahead_of else ""))


def net_gain_lead(result, ahead: str, behind: str) -> pd.Series | None:
    """``ahead``'s net gain less ``behind``'s, replication by replication, over the replications
    both share with the baseline (those their paired changes are measured on); None with fewer
    than two, which give no interval."""
    values = result.values
    flags = result.scenarios.baseline.astype(bool)
    on = values[ahead].index.intersection(values[behind].index)
    if flags.any():
        on = on.intersection(values[result.scenarios.scenario[flags].iloc[0]].index)
    if len(on) < 2:
        return None
    return net_gain(values[ahead].loc[on]) - net_gain(values[behind].loc[on])


def contenders_note(result, names: Mapping[str, str] | None = None, standing_said: str | None = None,
                    lead_said: bool = False) -> str:
    """The scenarios that cannot be told apart from the first by net gain per year, each paired
    with it: a ranking orders means, and a strategist choosing an investment needs to know how many
    are still in contention for the top, not only whether the first two differ (leaders_note).
    Only scenarios of the baseline's window take part. '' with fewer than three of them. Unless its
    own net gain is settled above the baseline's, the first's is said to be not, but not of
    ``standing_said``, the scenario a note beside it has said that of already. ``lead_said``: the
    answer above has said that the first's lead is settled (short_answer): only who comes second."""
    held = contention(result)
    if held is None or len(held.rows) < 3:
        return ""
    rows, first, tied, behind = held.rows, held.first, list(held.tied), held.behind
    call = names or {}
    if not tied and not behind:
        return ""
    name, ci = call.get(first, first), ci_said(result)

    def contenders(whom: str) -> str:
        return (f"{counted(len(tied), 'other')} cannot be told apart from {whom}, paired [{ci}, each on "
                "its own; the interval of the difference includes 0]: "
                + first_few([call.get(t, t) for t in tied], NAMED_IN_A_NOTE, "; ")
                + (f". The other, {call.get(behind[0], behind[0])}, is settled below it."
                   if len(behind) == 1 else
                   f". The other {len(behind)} are settled below it." if behind else ".")
                + " More replications, or what else sets them apart (cost, risk, time to pay back), "
                  "decide among those.")
    said_of_first = first != standing_said
    by_net_gain = "By net gain per year" + within_the_budget(result)
    if rank_by_of(result) == "net_gain" and first == _ranked_first(result):
        # The ranking has named it first by net gain already: what is new is whether its lead holds.
        said = (f"{by_net_gain}, {contenders(name)}" if tied else
                second_place_note(result, held, call).strip() if lead_said else
                f"The lead of {name} in net gain per year over {each_other(behind, call)} is "
                f"settled, paired [{ci}, each on its own]." + second_place_note(result, held, call))
        against = said_of_first and _against_doing_nothing(result, rows.iloc[0],
                                                           f"the net gain of {name} itself")
        return said + (f" {against[0].upper()}{against[1:]}." if against else "")
    against = _against_doing_nothing(result, rows.iloc[0]) if said_of_first else ""
    head = f"{by_net_gain}, {name} comes first" + (f" ({against})" if against else "")
    if not tied:
        return (f"{head}, and its lead over {each_other(behind, call)} is settled, paired [{ci}, "
                "each on its own]." + second_place_note(result, held, call))
    return f"{head}; {contenders('it')}"


def each_other(scenarios: list[str], names: Mapping[str, str]) -> str:
    """'each of the other 6', or 'the other, X,' for one: 'each of the other 1' was read as a
    count, and left the scenario unnamed."""
    if len(scenarios) == 1:
        return f"the other, {names.get(scenarios[0], scenarios[0])},"
    return f"each of the other {len(scenarios)}"


def _ranked_first(result) -> str | None:
    """The scenario the ranking puts first within the budget (--budget), the baseline aside."""
    rows = result.scenarios
    others = rows.scenario[~rows.baseline.astype(bool) & within_budget(rows)]
    return others.iloc[0] if len(others) else None


def within_the_budget(result) -> str:
    """' within the budget' where --budget leaves a scenario out of what is said, else ''."""
    return "" if within_budget(result.scenarios).all() else " within the budget"


def budget_note(result, names: Mapping[str, str] | None = None, in_report: bool = False) -> str:
    """With --budget, the scenarios whose extra investment in their first 12 months from their
    launch exceeds it, each with that cost: the answer, the notes on the first scenarios and the
    next steps are about those within it. Said also when every scenario fits, that a reader
    who asked need not look for them. Without one, the pay investments add beside their fees."""
    budget = budget_of(result)
    if budget is None:
        return pay_beside_the_investment(result, names, in_report)
    rows = result.scenarios[~result.scenarios.baseline.astype(bool)]
    limit = (f"the budget of {fmt_value(BOOKINGS, budget)} USD for a scenario's extra investment (its "
             f"investments' own costs: fees, programmes, licences, an overlay's specialists; not the "
             f"organization's pay or commission) in its first 12 months from its launch "
             f"({budget_from(result)})")
    fits = within_budget(rows)
    over = rows[~fits]
    spent = {s: first_year_spend(r) for s, (_, r) in zip(rows.scenario, rows.iterrows())}
    if all(spend < SAME_MONEY_USD for spend in spent.values()):
        return ("No scenario spends more on investments than the baseline: the budget "
                f"({budget_from(result)}) bounds nothing here (it bounds investments' fees, not pay or "
                "headcount).")
    call = names or {}

    def costs(some) -> str:  # 'crm (first year +270,000)': the whole first year, not what is over
        said = [f"{call.get(s, s)} (first year {fmt_diff(BOOKINGS, spent[s])}{first_year_estimated(r)})"
                for s, (_, r) in zip(some.scenario, some.iterrows()) if abs(spent[s]) >= SAME_MONEY_USD]
        return first_few(said, NAMED_IN_A_NOTE, "; ")
    within = costs(rows[fits])
    paid = pay_beyond_the_budget(result, rows[fits], spent, budget, call)
    if over.empty:
        return f"Every scenario fits {limit}" + (f": {within}." if within else ".") + paid
    return (f"Over {limit}: {costs(over)}. "
            + ("No scenario fits it." if len(over) == len(rows) else
               (f"Within it: {within}. " if within else "")
               + "The answer, the notes on the first scenarios and the next steps are about those "
               "within it.") + paid)


def pay_added(job) -> list[str]:
    """The pay (cost parts) ``job``'s investments add: FSMs for a span of control (fsm_span), base
    pay and FSMs for added seats (coverage with added_sellers), commission for a pay plan
    (compensation: a strategist's walk found accelerators first within 600,000 on a 70,000 fee,
    their commission +3.2 M a year), as the job ran them (its manifest's record, else its config)."""
    specs = recorded_investments(job) or getattr(getattr(job, "cfg", None), "investment", None) or {}
    kinds = {(spec or {}).get("kind") for spec in specs.values()}
    adds_seats = any((spec or {}).get("kind") == "coverage" and (spec or {}).get("added_sellers")
                     for spec in specs.values())
    # added seats come with the FSMs their teams need (coverage: whole teams)
    return ((["fsm_cost_usd"] if adds_seats or "fsm_span" in kinds else [])
            + (["seller_base_cost_usd"] if adds_seats else [])
            + (["commission_cost_usd"] if "compensation" in kinds else []))


def pay_beyond_the_budget(result, within: pd.DataFrame, spent: Mapping[str, float], budget: float,
                          names: Mapping[str, str]) -> str:
    """The scenarios within the budget that would not be, were the pay their investments add
    (pay_added) counted beside their investment: the budget bounds fees, and two FSMs hired to
    narrow the span cost their salaries far more than their hiring fees (a sales-ops walk read such
    a scenario as fitting 300,000). Pay is its part's paired yearly change, rises only (base pay
    rises too where fewer seats stand vacant, which is no headcount added); '' where none."""
    said = [(names.get(s, s), _pay_said(rises)) for s, rises in pay_rises(result, within.scenario).items()
            if spent[s] + sum(rises.values()) > budget]
    if not said:
        return ""
    if len(said) == 1:
        (name, pay), = said
        return (f" The budget counts investments, not pay: were the pay it adds counted (headcount's, a "
                f"pay plan's commission), {name} would not fit it (paired, a year: {pay}).")
    return (" The budget counts investments, not pay: were the pay they add counted (headcount's, a pay "
            "plan's commission), these would not fit it "
            f"(paired, a year): {first_few([f'{n}, {pay}' for n, pay in said], NAMED_IN_A_NOTE, '; ')}.")


def pay_rises(result, scenarios) -> dict[str, dict[str, float]]:
    """For each of ``scenarios`` whose investments add pay (pay_added) that rises, paired, a year,
    that pay by cost part; rises only (base pay rises too where fewer seats stand vacant, which is
    no headcount added)."""
    changes = cost_changes(result)
    jobs = {j.scenario: j for j in getattr(result, "jobs", [])}
    base = functools.cache(lambda: _baseline_figures(result, jobs))  # read once, where a plan needs it
    rising = {}
    for s in scenarios:
        mine = changes.get(s, {})
        rises = {}
        for part in pay_added(jobs[s]) if s in jobs else []:
            change = mine.get(part, 0.0)
            beyond = _plan_commission(base(), jobs[s], change) if part == COMMISSION else None
            if beyond is not None:
                part, change = PLAN_COMMISSION, beyond
            if change > SAME_MONEY_USD:
                rises[part] = change
        if rises:
            rising[s] = rises
    return rising


COMMISSION = "commission_cost_usd"


def _baseline_figures(result, jobs: Mapping) -> pd.DataFrame | None:
    """The baseline job's per_replication figures with its commission; None without its job."""
    base_job = jobs.get(getattr(getattr(result, "baseline", None), "scenario", None))
    return None if base_job is None else per_replication(base_job, [COMMISSION], None)


def _plan_commission(base: pd.DataFrame | None, job, change: float) -> float | None:
    """A pay plan's commission ``change`` beyond what the baseline's plan pays on the bookings it
    adds (the baseline's commission per dollar booked times the paired change in bookings): more
    bookings earn a CRM commission too, which is no pay its investment adds (a review). ``base``:
    the baseline's per_replication figures. None where the bookings cannot be read: the whole
    change is said, as commission."""
    if base is None:
        return None
    mine = per_replication(job, [COMMISSION], None)
    booked = base[BOOKINGS].mean()
    if not booked > 0 or mine[BOOKINGS].isna().all():
        return None
    return change - base[COMMISSION].mean() / booked * paired_ci(base[BOOKINGS], mine[BOOKINGS])[0]


def _pay_said(rises: Mapping[str, float]) -> str:
    return ", ".join(f"{COST_PART_NAMES.get(p, p)} {fmt_diff(BOOKINGS, c)}" for p, c in rises.items())


# pay_rises' share of a pay plan's commission change, named as said
PLAN_COMMISSION = "commission beyond the baseline's rate on its bookings"


def pay_beside_the_investment(result, names: Mapping[str, str] | None = None, in_report: bool = False) -> str:
    """Without a budget, the pay some scenarios' investments add, beside the first year's investment,
    which counts their fees: a sales-ops walk read two FSMs' hiring fees, 80,000, as what they cost,
    their salaries 400,000 a year said only under a --budget. ``in_report``: the report points to its
    own section below, not to "the report's"."""
    rows = result.scenarios[~result.scenarios.baseline.astype(bool)]
    said = [f"{(names or {}).get(s, s)}, {_pay_said(rises)}"
            for s, rises in pay_rises(result, rows.scenario).items()]
    if not said:
        return ""
    return ("The first year's investment (invest yr 1) counts fees, not pay; the pay the investments add, "
            f"paired, a year: {first_few(said, NAMED_IN_A_NOTE, '; ')} (in the net gain, and in "
            + ("'Where each net gain comes from' below)." if in_report else
               "the report's 'Where each net gain comes from')."))


def _against_doing_nothing(result, row, whose: str = "its own net gain") -> str:
    """Said of the first by net gain unless its own net gain is settled above the baseline's: its
    lead over the others is not a gain over doing nothing (a span of control first by a settled
    lead, its net gain over the baseline [-1,394, +668,289], read as a proven gain)."""
    low, high = row.net_gain_ci_low, row.net_gain_ci_high
    if math.isnan(low) or math.isnan(high) or low > 0:
        return ""
    return (f"against the baseline, {whose} is not settled above zero: its interval includes 0"
            if high >= 0 else f"against the baseline, {whose} is settled below zero: "
            f"{does_better(result)}")


def baseline_invests(result) -> bool:
    """Whether the comparison's baseline holds an investment: staying with it is not doing nothing."""
    base = getattr(result, "baseline", None)
    return base is not None and getattr(base, "cfg", None) is not None and bool(base.cfg.investment)


def does_better(result) -> str:
    """'doing nothing does better', or 'the baseline does better' where the baseline is not doing
    nothing: it invests, or it is the sweep's first job, one of the settings compared (a review
    found a cut of 30 sellers called doing nothing)."""
    nothing = not baseline_invests(result) and not getattr(result, "baseline_said_as", "")
    return "doing nothing does better" if nothing else "the baseline does better"


def ahead_in_first_year(result) -> tuple[pd.Series, pd.DataFrame] | None:
    """The first of a net-gain ranking (within the budget, over the baseline's window) and the
    scenarios ranked below it whose cumulative net gain 12 months from launch is above its own,
    most first; None where none is, the ranking is by another figure, or the window holds no
    more than a year (the yearly figure is then that year's)."""
    if rank_by_of(result) != "net_gain":
        return None  # a yearly net-gain ranking is what its first year is read against
    rows = result.scenarios[~result.scenarios.baseline.astype(bool) & within_budget(result.scenarios)]
    if "other_window" in rows:
        rows = rows[~rows.other_window.astype(bool)]
    if rows.empty or "first_year_net_gain_usd" not in rows:
        return None
    first = rows.iloc[0]
    if not first_year_measured(first):
        return None
    ahead = rows.iloc[1:][rows.iloc[1:].first_year_net_gain_usd > first.first_year_net_gain_usd].sort_values(
        "first_year_net_gain_usd", ascending=False)
    return None if ahead.empty else (first, ahead)


def first_year_note(result, names: Mapping[str, str] | None = None, own: bool = True) -> str:
    """The scenarios ranked below the first (within the budget, over the baseline's window) whose
    cumulative net gain 12 months from their launch is above the first's, and the month from the
    first's launch from which its mean stays ahead of each: a yearly figure averaged over the
    window hides the budget year a strategist plans (a coaching programme first by +6.2 M a year
    returned +2.2 M in its first year, behind two scenarios ranked below it). ``own``: say the
    first's own first-year figure (the report's answer has said it). '' where none is ahead then,
    or the window holds no more than a year."""
    found = ahead_in_first_year(result)
    if found is None:
        return ""
    first, ahead = found
    call = names or {}
    curves = getattr(result, "payback", None)
    course = ({} if curves is None else
              {s: c.set_index("month").cumulative_net_gain_usd for s, c in curves.groupby("scenario")})

    def overtakes(other: str) -> str:  # the first's months from launch, by calendar month
        if first.scenario not in course or other not in course:
            return "-"
        # on every calendar month either holds: 0 before a launch, the last value over a gap
        months = course[first.scenario].index.union(course[other].index)
        mine_ = course[first.scenario].reindex(months).ffill().fillna(0.0)
        theirs = course[other].reindex(months).ffill().fillna(0.0)
        launch = int(course[first.scenario].index.min())
        months = months[months >= launch]
        behind = months[(mine_[months] <= theirs[months]).to_numpy()]
        if len(behind) and behind.max() == months.max():  # still behind at the window's end
            return f"not within the window's {len(months)} months"
        return f"month {int(behind.max()) - launch + 2 if len(behind) else 1}"

    ci = ci_said(result)
    present = " at present value" if getattr(result, "discount_rate", 0.0) else ""
    said = [f"{call.get(s.scenario, s.scenario)} {first_year_ci(s)} ({overtakes(s.scenario)})"
            for _, s in ahead.iterrows()]
    name, one = call.get(first.scenario, first.scenario), len(ahead) == 1
    whom = f"{counted(len(ahead), 'scenario')} ranked below {'it' if own else name}"
    gains = first_year_ci(first)
    # each interval is a scenario's against the baseline, not against the first (a walk)
    return (f"In the first {MONTHS_A_YEAR} months from launch{present}, "
            # 'less on average than 3 scenarios' was read as 'fewer than 3' (a walk)
            + (f"{name} gains {gains} (its cumulative net gain there, paired [{ci}]); " if own else "")
            + f"{whom} gain{'s' if one else ''} more than it on average, each paired against the baseline "
            f"[{ci}]"
            # named, not 'its': a strategist read the month as the one the other leads from
            + f" (with the month from launch in which {name}'s mean overtakes it for good): "
            f"{first_few(said, NAMED_IN_A_NOTE, '; ')}. A budget year judged alone would rank "
            f"{'that one' if one else 'them'} ahead; the ranking's yearly figures average the whole "
            "window (payback.csv has the cumulative net gains month by month).")


LATE_PAYBACK_MONTHS = 12  # a band's latest payback this much later than the average's is said


def late_payback_note(scenarios: pd.DataFrame, names: Mapping[str, str] | None = None,
                      confidence: float = DEFAULT_CONFIDENCE) -> str:
    """The scenarios whose band pays back a year or more after their average does, or not within
    the window: '3 [1, 27]' is quoted as month 3, though the band's lower edge stays below 0 until
    month 27, and a budget that must not run short plans on the later month (the average's early
    payback can rest on a few replications' luck)."""
    others = scenarios[~scenarios.baseline.astype(bool)]
    open_band = others.payback_months.notna() & others.payback_months_ci_high.isna() & (others.pairs >= 2)
    late = others[(others.payback_months_ci_high - others.payback_months >= LATE_PAYBACK_MONTHS) | open_band]
    if late.empty:
        return ""
    call = names or {}
    said = [f"{call.get(r.scenario, r.scenario)} in month {r.payback_months:.0f} on average, "
            + (f"not within the {r.window_months} months measured by its band's lower edge"
               if math.isnan(r.payback_months_ci_high)
               else f"month {r.payback_months_ci_high:.0f} by its band's lower edge")
            for r in late.itertuples()]
    one = len(said) == 1
    band = f"{'its' if one else 'their'} {percent(confidence)} band"
    # each clause only where a scenario is so: in a short window none is a year late (a sales-ops walk)
    bounded = late.payback_months_ci_high.notna()
    when = " or ".join(x for x in (f"a year or more before {band} says so" if bounded.any() else "",
                                   f"before the end of a window in which {band} does not"
                                   if not bounded.all() else "") if x)
    return (f"{'One scenario pays' if one else f'{len(said)} scenarios pay'} back on average {when}: "
            f"{first_few(said, NAMED_IN_A_NOTE, '; ')}. A budget that must not run short plans on the band's "
            "month, not the average's, which can rest on a few replications' luck.")


def cost_changes(result) -> dict[str, dict[str, float]]:
    """Each scenario's paired change per year in each cost part (COST_PART_NAMES), the baseline
    aside; {} for a table built without compare(), or jobs written before the summary had its
    cost parts. Read from the jobs once per result: the footnote, the budget's line and the
    report's table each ask for them."""
    jobs = {j.scenario: j for j in getattr(result, "jobs", [])}
    read = tuple(id(getattr(j, "summary", None)) for j in jobs.values())  # the tables read
    cached = getattr(result, "_cost_changes", None)
    if cached is not None and cached[0] == read:
        return cached[1]
    baseline = getattr(result, "baseline", None)
    changes: dict[str, dict[str, float]] = {}
    if (baseline is not None and baseline.scenario in jobs
            and all(part in j.summary.columns for j in jobs.values() for part in COST_PART_NAMES)):
        base = per_replication(jobs[baseline.scenario], list(COST_PART_NAMES), None)
        for scenario in result.scenarios.scenario[~result.scenarios.baseline.astype(bool)]:
            if scenario in jobs:
                mine = per_replication(jobs[scenario], list(COST_PART_NAMES), None)
                changes[scenario] = {part: paired_ci(base[part], mine[part])[0] for part in COST_PART_NAMES}
    if jobs:
        result._cost_changes = (read, changes)
    return changes


def savings_said(changes: Mapping[str, float]) -> str:
    """The running costs a scenario saves, the largest saving first, and those that rise beside
    them: 'base pay -822,054 while hiring +73,333 and commission +64,733 rise'. A review read a
    saving named alone as the whole of the change."""
    running = [(change, part) for part, change in changes.items() if part != "investment_cost_usd"]
    saved = sorted(x for x in running if x[0] < -SAME_MONEY_USD)
    rose = sorted((x for x in running if x[0] > SAME_MONEY_USD), reverse=True)

    def said(parts) -> str:
        named = [f"{COST_PART_NAMES[part]} {fmt_diff(BOOKINGS, change)}" for change, part in parts]
        return ", ".join(named[:-1]) + " and " + named[-1] if len(named) > 1 else "".join(named)
    verb = "rises" if len(rose) == 1 else "rise"
    return said(saved) + (f" while {said(rose)} {verb}" if saved and rose else "")


def runs_cheaper(scenarios: pd.DataFrame, changes: Mapping[str, Mapping[str, float]] | None = None,
                 names: Mapping[str, str] | None = None) -> tuple[set[str], str]:
    """Scenarios with an ROI whose other costs (pay, hiring, FSMs, tools) fell below the
    baseline's, and a footnote saying what that ROI means: per dollar of the extra investment
    cost alone, with the saving in the gain. Their total cost then rose by less than the
    investment cost, or fell. With ``changes`` (cost_changes), the footnote names what each
    saves: a new user read 'less commission' into a saving of base pay."""
    saves = (scenarios.incremental_cost_usd_per_year
             < scenarios.incremental_investment_usd_per_year.fillna(0.0) - SAME_MONEY_USD)
    # Over another window than the baseline's, yearly costs differ by the window too, and on other
    # random numbers by chance: a note says so, and this footnote, a claim about the scenario's
    # running costs, would not hold.
    for apart in ("other_window", "other_seed"):
        if apart in scenarios:
            saves &= ~scenarios[apart].astype(bool)
    cheaper = scenarios[scenarios.roi.notna() & saves]
    if cheaper.empty:
        return set(), ""
    said = [f"{(names or {}).get(s, s)} {saved}" for s in cheaper.scenario
            if (saved := savings_said((changes or {}).get(s, {})))]
    what = (f"paired, per year: {first_few(said, NAMED_IN_A_NOTE, '; ')}" if len(said) == len(cheaper) else
            "pay, commission, hiring, FSMs, tools; less commission on lower bookings counts too")
    # A strategist's walk read 3947%* above 1394% as the better return, a weaker effect's smaller
    # commission having moved its ROI onto the smaller cost.
    mixed = (scenarios.roi.notna() & ~scenarios.scenario.isin(cheaper.scenario)).any()
    return set(cheaper.scenario), (
        f"{RUNS_CHEAPER}: its other running costs fall below the baseline's ({what}): what they save "
        "counts in its net gain, and its ROI is per dollar of its extra investment cost alone"
        + (f", so it is not to be set against an ROI without {RUNS_CHEAPER}, per dollar of all the extra "
           "cost: compare those by net gain" if mixed else ""))


TURNOVER = "seller_turnover_rate"
AT_QUOTA = "quota_attainment_share"  # the share of sellers making quota


def spending_less(result) -> pd.DataFrame:
    """The scenarios that spend less than the baseline and nothing extra (no ROI: a cut, or a plan
    that pays less), their saving settled (the paired interval of the total cost below 0: a review
    found commission moving by chance called a saving), over the baseline's window and seed
    (elsewhere their costs differ by the window or by chance)."""
    rows = result.scenarios
    less = (~rows.baseline.astype(bool) & rows.roi.isna()
            & (rows.incremental_cost_usd_per_year < -SAME_MONEY_USD))
    for apart in ("other_window", "other_seed"):
        if apart in rows:
            less &= ~rows[apart].astype(bool)
    less &= pd.Series([bool(x) and paired_change(result, s, COST)[2] < 0
                       for s, x in zip(rows.scenario, less)], index=rows.index)
    return rows[less]


def spending_said(result, row, name: str) -> str:
    """What a scenario spending less saves, per year, and what its bookings and, where they move
    settled the wrong way, its turnover and its share of sellers making quota do meanwhile: 'X
    spends 1,341,125 less (base pay -902,346 ...), its bookings change by +127,552 [...], its
    turnover rises +5.3 pp [+1.2 pp, +9.4 pp] and its sellers making quota fall -36.6 pp [...]' (a
    walk found a quota stretch first within a budget, 11% of its sellers making quota, unsaid)."""
    parts = savings_said(cost_changes(result).get(row.scenario, {}))
    turnover = paired_change(result, row.scenario, TURNOVER)
    at_quota = paired_change(result, row.scenario, AT_QUOTA)
    worse = ([f"its turnover rises {fmt_ci(TURNOVER, *turnover)}"] if turnover[1] > 0 else []) + (
        [f"its sellers making quota fall {fmt_ci(AT_QUOTA, *at_quota)}"
         # partly the quotas' where it sets other ones (the table's ‡)
         + (" against quotas of its own" if row.scenario in quotas_apart(result) else "")]
        if at_quota[2] < 0 else [])
    bookings = ("its bookings change by "
                + fmt_ci(BOOKINGS, row.diff_vs_baseline, row.diff_ci_low, row.diff_ci_high))
    return (f"{name} spends {fmt_value(BOOKINGS, -row.incremental_cost_usd_per_year)} less"
            + (f" ({parts})" if parts else "") + f", {and_listed([bookings, *worse])}")


def saving_not_selling(row) -> bool:
    """Whether a scenario spending less gains by the saving alone: a net gain above 0 while its
    bookings are not settled above the baseline's."""
    return row.net_gain_usd_per_year > 0 and not row.diff_ci_low > 0


SAVING_NOT_SELLING = "its net gain is a saving, not more selling"


def spends_less_note(result, names: Mapping[str, str] | None = None) -> str:
    """The scenarios spending less (spending_less), each as spending_said says it, and whether its
    net gain is a saving rather than more selling. A strategist's walk found a quota stretch ranked
    sixth on a commission saving while its bookings fell and more sellers left, and a pay cut
    first 'paying back in month 1', with neither said in the terminal."""
    less = spending_less(result)
    if less.empty:
        return ""
    said = [spending_said(result, r, (names or {}).get(r.scenario, r.scenario))
            + (f": {SAVING_NOT_SELLING}" if saving_not_selling(r) else "") for _, r in less.iterrows()]
    weigh = any(saving_not_selling(r) for _, r in less.iterrows())
    return (f"Spending less than the baseline, a saving settled (no ROI: nothing extra spent), paired, per "
            f"year [{ci_said(result)}]: {first_few(said, NAMED_IN_A_NOTE, '; ')}. What each saves counts "
            "in its net gain" + ("; weigh what fewer bookings, or more sellers leaving, cost beyond "
                                 "the window." if weigh else "."))


def may_not_pay(scenarios: pd.DataFrame) -> tuple[set[str], str]:
    """Scenarios with an ROI whose net gain's paired interval includes 0, or that has none (one
    replication), and a footnote: an ROI has no interval of its own, and a large one can stand on
    a gain that may be none."""
    others = scenarios[~scenarios.baseline.astype(bool) & scenarios.roi.notna()]
    none = others.net_gain_ci_low.isna() | others.net_gain_ci_high.isna()
    unsure = others[includes_zero(others.net_gain_ci_low, others.net_gain_ci_high) | none]
    if unsure.empty:
        return set(), ""
    alone = "one replication shared with the baseline"
    which = (f"its net gain has no interval ({alone})" if none[unsure.index].all()
             else "its net gain's interval includes 0"
             + (f", or it has none ({alone})" if none.any() else ""))
    return set(unsure.scenario), (
        f"{MAY_NOT_PAY}: {which}: whether it pays at all is not settled, "
        f"whatever its ROI ({_so_marked(len(unsure), len(others))})")


def _so_marked(marked: int, of: int) -> str:
    """'2 of the 5 scenarios with an ROI are so marked'; 'the one scenario with an ROI is' where
    it is the only one (a walk read '1 of the 1 scenario'), 'both' or 'all 3' where all are."""
    if marked == of:
        said = ("the one scenario with an ROI is" if of == 1 else
                f"{'both' if of == 2 else f'all {of}'} scenarios with an ROI are")
        return f"{said} so marked"
    return f"{marked} of the {counted(of, 'scenario')} with an ROI {'is' if marked == 1 else 'are'} so marked"


def roi_cell(row, cheaper: set[str], unsure: set[str]) -> str:
    """An ROI as the terminal and the report show it, with its footnote marks."""
    return (fmt_value("roi", row.roi) + (RUNS_CHEAPER if row.scenario in cheaper else "")
            + (MAY_NOT_PAY if row.scenario in unsure else ""))
