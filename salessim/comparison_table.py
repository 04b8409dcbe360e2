"""The comparison as salessim-compare prints it: a ranked table fitted to the terminal's width,
its legend and notes, and the cells (payback, net present value) the report shares."""

from __future__ import annotations

import math

from salessim.comparability import (OTHER_QUOTAS, PARTLY_PAIRED, QUOTA_SHARE, SAME_MONEY_USD,
                                    apart_from_sweep, other_quotas_footnote, partly_paired, quotas_apart)
from salessim.compare import (OVER_BUDGET, Comparison, RANKINGS, ci_said, confidence_of, discount_rate,
                              discounting_said, first_year_spend, in_order, payback_said, rank_by_of,
                              ranking_said, shows_npv, within_budget)
from salessim.plural import counted
from salessim.ranking_notes import (budget_note, contenders_note, cost_changes, first_year_note,
                                    late_payback_note, leaders_note, many_scenarios_note, may_not_pay,
                                    roi_cell, runs_cheaper, spends_less_note, unsettled_note)
from salessim.report_table import (aligned, few_replications_note, fitted, fmt_ci, fmt_value, label,
                                   millions, names_above, short_names, signed_millions, years_said)
from salessim.sweep_folder import BOOKINGS, KEY_METRICS


HEADS = {"turnover": "turnover/yr"}  # a column's head where its key does not say it whole
# The terminal's optional columns (ranking.csv and the report have them all). A table too wide
# in dollars is shown in millions (its intervals, and so the table, narrower) without these, and
# they come back in this order as long as each fits: so a wider terminal never shows fewer. The column the
# scenarios are ranked by is never left out; ranked by NPV, the yearly net gain is optional
# instead, the first given back.
# The NPV is not among them: it is shown only where asked for (shows_npv), and then never left out.
# What each option costs comes first: a walk presenting to a VP found it only in the report.
GIVEN_BACK_IN_MILLIONS = ("invest yr 1", "payback", "win rate", "at quota", "turnover")
# What the figures of the optional columns are, for the legend (an analyst read `at quota` as the
# sellers' average attainment).
COLUMN_TERMS = {"invest yr 1": "Invest yr 1: the extra investment (fees, programmes and licences; not "
                               "pay or commission) in the first 12 months from the launch, which --budget "
                               "bounds; a fee per trained seller counts the hires trained too, so it "
                               "moves a little with turnover.",
                "win rate": "Win rate: the share of forecast deals won.",
                "at quota": "At quota: the share of sellers making their yearly quota, not their average "
                            "attainment.",
                "turnover": "Turnover/yr: the sellers who leave in a year per seat filled."}
RANKED_COLUMN = {"bookings": "paired", "net_gain": "net gain", "npv": "npv"}  # by RANKINGS key


def no_curve_cell(row) -> str:
    """The payback or NPV of a scenario without a payback curve: 'no change' when it never differs
    from the baseline in a month both measure, '(other window)' added when its window is not the
    baseline's (its yearly changes are then the window's alone: window_only_note); 'n/a' when it
    shares no replication with the baseline."""
    if not row.pairs:
        return "n/a (no replication shared)"
    return "no change (other window)" if row.get("other_window", False) else "no change"


def npv_cell(row, interval=None) -> str:
    """The paired net present value of the window with its interval, as the terminal and the
    report show it; no_curve_cell for a scenario without a payback curve."""
    if math.isnan(row.npv_usd):
        return no_curve_cell(row)
    return (interval or (lambda *v: fmt_ci(BOOKINGS, *v)))(row.npv_usd, row.npv_ci_low, row.npv_ci_high)


def payback_cell(row) -> str:
    """When a scenario pays back, in months after its launch, with the earliest and latest month
    its band allows, as the terminal and the report say it: '6 [4, 8]'; '>30' past the
    window's last month; no range with one replication."""
    def month(x: float) -> str:
        return f">{row.window_months}" if math.isnan(x) else f"{x:.0f}"

    if not row.window_months:  # no curve: the scenario never differs from the baseline
        return no_curve_cell(row)
    if row.pairs < 2:
        return f"{month(row.payback_months)} (1 replication: no range)"
    if math.isnan(row.payback_months_ci_low):  # not even the band's upper edge stays above 0
        return f"not in {row.window_months}"
    return (f"{month(row.payback_months)} [{month(row.payback_months_ci_low)}, "
            f"{month(row.payback_months_ci_high)}]")


def _has_payback_band(row) -> bool:
    """Whether a row's payback has a band: a curve measured, two replications or more, and the
    band's lower edge paying back."""
    return bool(row.window_months) and row.pairs >= 2 and not math.isnan(row.payback_months_ci_low)


def payback_words(row, level: str) -> str:
    """The payback of a ranking's row in words, for the answers 'In short' (the report's and the
    terminal's): '4 [1, 12]' read as a 95% interval of the month, which it is not (it is the
    months each edge of the band pays back). ``level``: '95%'."""
    if not _has_payback_band(row):
        return f"months from its launch to its payback: {payback_cell(row)}"
    months, low = row.window_months, row.payback_months_ci_low
    band = f"by the {level} band of its cumulative net gain"
    if math.isnan(row.payback_months):  # then the band's lower edge does not pay back either
        return (f"on average it does not pay back within the {months} months measured ({band}, month "
                f"{low:.0f} at the earliest)")
    return f"it pays back in month {row.payback_months:.0f} from its launch ({band}, {payback_edges(row)})"


def payback_edges(row) -> str:
    """The months the edges of a row's payback band pay back in, in words: 'between month 5 and
    month 6', 'month 3 at the earliest, or not within the 12 months measured'; '' where there is
    no band (one replication, no curve, or an average that does not pay back)."""
    if not _has_payback_band(row) or math.isnan(row.payback_months):
        return ""
    months, low, high = row.window_months, row.payback_months_ci_low, row.payback_months_ci_high
    # 'the band allows month 5 at the earliest and month 6 at the latest' was read twice (a walk)
    return (f"month {low:.0f} at the earliest, or not within the {months} months measured" if math.isnan(high)
            else f"month {low:.0f}" if high == low else f"between month {low:.0f} and month {high:.0f}")


def terminal_table(result: Comparison, width: int | None = None) -> str:
    """The headline comparison, ranked like the report; columns as wide as their content.
    ``width``: the columns of the terminal it is printed to; a table too wide for it is shown in
    millions, with the optional figures that fit (GIVEN_BACK_IN_MILLIONS; None: all shown, in
    dollars)."""
    rows, below = table_and_footer(result, width)
    return "\n".join([*rows, *below])


def names_in_table(result: Comparison) -> tuple[dict[str, str], list[str]]:
    """What the table calls each scenario, and the settings every scenario shares (short_names)."""
    return short_names(list(result.scenarios.scenario), apart_from_sweep(result))


def table_and_footer(result: Comparison, width: int | None = None) -> tuple[list[str], list[str]]:
    """terminal_table's lines: the table's rows, aligned, and the lines below it (what the table
    leaves out, how it is ranked, its marks), one line each."""

    short, shared = names_in_table(result)
    marked, footnote = partly_paired(result.scenarios, short)
    cheaper, cheaper_note = runs_cheaper(result.scenarios, cost_changes(result), short)
    unsure, unsure_note = may_not_pay(result.scenarios)
    base = getattr(result, "baseline", None)  # a table built without compare() has none
    quotas = quotas_apart(result)
    ci = ci_said(result)
    # a column of zeros says nothing: shown where some scenario's investment differs from the baseline's
    invests = "first_year_investment_usd" in result.scenarios and any(
        abs(first_year_spend(r)) > SAME_MONEY_USD for _, r in result.scenarios.iterrows() if not r.baseline)

    def table(money_in_millions: bool) -> dict[str, list[str]]:
        """Each column by its key: its head, then a cell per scenario."""
        unit = "M USD" if money_in_millions else "USD"
        money = millions if money_in_millions else lambda x: fmt_value(BOOKINGS, x)
        interval = lambda *v: fmt_ci(BOOKINGS, *v, show=signed_millions if money_in_millions else None)
        rows = [r for _, r in result.scenarios.iterrows()]
        # Net gain's unit where its values leave room for it: in millions the width is short,
        # and the bookings column's head gives the unit.
        columns = {
            "scenario": ["scenario", *(short[r.scenario] + ("" if fit else OVER_BUDGET)
                                       for r, fit in zip(rows, within_budget(result.scenarios)))],
            "bookings": [f"bookings {unit}/yr", *(money(r[BOOKINGS]) for r in rows)],
            "paired": [f"paired diff [{ci}]" if money_in_millions else f"paired diff vs baseline [{ci}]",
                       *("baseline" if r.baseline else interval(r.diff_vs_baseline, r.diff_ci_low,
                                                                r.diff_ci_high)
                         + (PARTLY_PAIRED if r.scenario in marked else "") for r in rows)],
            "net gain": [f"net gain{'' if money_in_millions else ' USD'}/yr [{ci}]",
                         *("" if r.baseline else interval(r.net_gain_usd_per_year, r.net_gain_ci_low,
                                                          r.net_gain_ci_high) for r in rows)],
        }
        if shows_npv(result):
            # "NPV (8%)": a window's total at a yearly rate; "NPV at 8%/yr" read as a yearly figure
            columns["npv"] = [f"NPV ({100 * discount_rate(result):g}%) [{ci}]",
                              *("" if r.baseline else npv_cell(r, interval) for r in rows)]
        if invests:
            # in millions to the thousand: a small organization's fees (20,000) read 0.02 at two places,
            # and 3,000 as no investment at all (a review)
            cost = (lambda x: f"{x / 1e6:,.3f}") if money_in_millions else money
            columns["invest yr 1"] = [f"invest yr 1{'' if money_in_millions else ' USD'}",
                                      *("" if r.baseline else cost(first_year_spend(r)) for r in rows)]
        for key, metric in zip(("win rate", "at quota", "turnover"), KEY_METRICS[1:]):
            columns[key] = [HEADS.get(key, key),
                            *(fmt_value(metric, r[metric])
                              + (OTHER_QUOTAS if metric == QUOTA_SHARE and r.scenario in quotas else "")
                              for r in rows)]
        columns["ROI"] = ["ROI", *(roi_cell(r, cheaper, unsure) for r in rows)]
        columns["payback"] = ["payback mo [range]", *("" if r.baseline else payback_cell(r) for r in rows)]
        return columns

    names_apart = False  # each name on a line of its own, above its figures (names_above)

    def table_width(columns: dict[str, list[str]], shown: list[str]) -> int:
        # names apart, the scenario column is the figures' 2-space indent
        widths = [0 if names_apart and k == "scenario" else max(map(len, columns[k])) for k in shown]
        return sum(widths) + 2 * (len(widths) - 1)

    def fits(columns: dict[str, list[str]], shown: list[str]) -> bool:
        return width is None or table_width(columns, shown) <= width

    def with_what_fits(columns: dict[str, list[str]]) -> list[str]:
        """The columns never left out, and the optional ones given back in order while each fits."""
        shown = [k for k in columns if k not in given_back]
        for optional in given_back:
            wider = [k for k in columns if k in shown or k == optional]
            if not fits(columns, wider):
                break
            shown = wider
        return shown

    ranked = RANKED_COLUMN[rank_by_of(result)]
    given_back = [*(["net gain"] if ranked == "npv" else []),
                  *(k for k in GIVEN_BACK_IN_MILLIONS if k != ranked)]
    columns = table(money_in_millions=False)
    shown = list(columns)
    in_millions = not fits(columns, shown)
    if in_millions:  # the intervals in dollars are what is wide
        columns = table(money_in_millions=True)
        shown = with_what_fits(columns)
        # Long scenario names can keep even the narrowest table wider than the terminal.
        names_apart = not fits(columns, shown)
        if names_apart:
            shown = with_what_fits(columns)
    lines = list(zip(*(columns[k] for k in shown)))
    rows = names_above(lines) if names_apart else aligned(lines)
    below: list[str] = []
    left_out = [columns[k][0] for k in columns if k not in shown]
    if left_out or in_millions:
        said = [f"{', '.join(left_out)} left out"] if left_out else []
        what = "; ".join(said + (["money in millions"] if in_millions else [])
                         + (["each name above its figures"] if names_apart else []))
        fit = (f"for a terminal {width} columns wide" if fits(columns, shown) else
               f"and still {table_width(columns, shown)} columns wide, wider than this terminal's {width}")
        below.append(f"({what} {fit}: ranking.csv and report.html have them whole)")
    if shared:
        below.append(f"Every scenario{' of the sweep' if apart_from_sweep(result) else ''} also has "
                     f"{' '.join(shared)} (left out of the names above)")
    others = [f"--rank-by {k}: by {RANKINGS[k][1]}" for k in RANKINGS if k != rank_by_of(result)]
    apart = int(result.scenarios.other_window.sum()) if "other_window" in result.scenarios else 0
    window = ("" if base is None else f"Yearly figures: per year of the measured window, the "
              f"{years_said(float(base.summary.window_years.mean()))} after the "
              f"{base.cfg.sim.warmup_months}-month warm-up"
              + (f" for the baseline ({counted(apart, 'scenario')} {'measures' if apart == 1 else 'measure'} "
                 "another, as a note says). "
                 if apart else ". "))
    # The legend, a line per subject: one line of some 700 characters was hard to read in a file.
    below.append(f"Ranked by {ranking_said(result)} ({'; '.join(others)}). {window}".rstrip())
    below.append("Net gain: extra gross margin − extra total cost. ROI: net gain per dollar spent (the "
                 "larger of the extra investment cost and the extra total cost); '-' where nothing "
                 "extra was spent, or where a note says why none is shown."
                 + "".join(f" {COLUMN_TERMS[k]}" for k in COLUMN_TERMS if k in shown))
    if "payback" in shown or shows_npv(result):
        below.append(" ".join(said for said in (
            f"{payback_said(result)}; its course month by month is in payback.csv and the report."
            if "payback" in shown else "", discounting_said(result).strip()) if said))
    late = late_payback_note(result.scenarios, short, confidence_of(result)) if "payback" in shown else ""
    quota_note = other_quotas_footnote(quotas) if "at quota" in shown else ""
    below += [x for x in (cheaper_note, unsure_note, footnote, quota_note) if x]  # the marks' keys
    # what the figures say, apart from the legend above it: one block of eleven long lines read as
    # dense to a new user between the table and the answer
    findings = [x for x in (unsettled_note(result.scenarios, short), late,
                            many_scenarios_note(result.scenarios, confidence_of(result), short),
                            spends_less_note(result, short), budget_note(result, short),
                            leaders_note(result, short),
                            contenders_note(result, short), first_year_note(result, short),
                            few_replications_note(int(result.scenarios.pairs.min()))) if x]
    return rows, below + ([""] * bool(below) + findings if findings else [])


def selected_figures(result: Comparison, width: int | None = None) -> str:
    """The figures --metrics asked for, bookings aside (the ranking's own): for each, every
    scenario's mean and its paired change from the baseline, with their intervals (a
    validation sweep is read from such a figure, not from bookings). The rows come in the jobs'
    order, the order of the swept values as typed, so that a relationship reads down the column
    (group sizes 1 to 6, not as bookings rank them). The ranking's table shows the win rate, quota
    attainment and turnover as means alone, and drops them first when the terminal is narrow.
    ``width``: the terminal's columns; a block wider puts each name above its figures."""

    short = short_names(list(result.scenarios.scenario), apart_from_sweep(result))[0]
    blocks = []
    for metric in [m for m in result.metrics if m != BOOKINGS]:
        rows = in_order(result.table[result.table.metric == metric], (j.scenario for j in result.jobs))
        quotas = quotas_apart(result, metric)  # sellers making quota, a segment's too
        lines = [("scenario", f"mean [{ci_said(result)}]", f"paired diff vs baseline [{ci_said(result)}]")]
        for r in rows.itertuples():
            base = r.scenario == result.baseline.scenario
            lines.append((short[r.scenario], fmt_ci(metric, r.mean, r.ci_low, r.ci_high,
                                                    show=lambda x: fmt_value(metric, x)),
                          "baseline" if base else fmt_ci(metric, r.diff_vs_baseline, r.diff_ci_low,
                                                         r.diff_ci_high)
                          + (OTHER_QUOTAS if r.scenario in quotas else "")))
        footnote = other_quotas_footnote(quotas & set(rows.scenario))
        blocks.append(f"{label(metric)} ({metric}):\n" + "\n".join(fitted(lines, width))
                      + (f"\n{footnote}" if footnote else ""))
    return "\n\n".join(blocks)
