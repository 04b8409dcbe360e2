"""How salessim shows its figures: labels, number formats, and a short, readable table of a run's
headline figures for the terminal."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from salessim.config import SEGMENTS, UNNAMED_SCENARIO, Config
from salessim.overrides import list_items, split_outside
from salessim.plural import counted
from salessim.summary import base_metric, is_money_total, mean_ci_within
from salessim.sweep_folder import JOB_SUFFIX, SOURCE_SUFFIX
from salessim.terminal import wrapped


def split_overrides(name: str) -> list[str]:
    """A scenario name (comma-joined overrides) back into its overrides: a comma inside brackets
    or quotes belongs to a value (investment=[crm,enablement_content], a='x,y')."""
    return split_outside(name, ",")


# Config groups that take a list of options: investment=crm and investment=[crm] compose the same
# config, and Hydra names the jobs apart unless the name is made one way.
LIST_GROUPS = ("investment", "calibrated")


def scenario_name_of(override_dirname: str) -> str:
    """A job's name from Hydra's override_dirname, with a list group chosen without brackets
    (investment=crm) written as the list it composes (investment=[crm])."""
    items = split_overrides(override_dirname) if override_dirname else []
    for i, item in enumerate(items):
        key, sep, value = item.partition("=")
        if sep and key.lstrip("+") in LIST_GROUPS and value and value != "null" and value[0] not in "[\"'":
            items[i] = f"{key}=[{value}]"
    return ",".join(items)


def run_name(explicit: str, override_dirname: str) -> str:
    """A run's scenario name: sim.scenario (or the API's scenario=) as given, else its overrides as
    Hydra names them (scenario_name_of), else UNNAMED_SCENARIO."""
    return explicit or scenario_name_of(override_dirname) or UNNAMED_SCENARIO


# The label of a scenario with no setting but those every scenario has (said under the table):
# its whole name there read as if it set them where the others did not.
SHARED_ONLY = "(the shared settings only)"


def short_names(scenarios: Sequence[str], apart: Sequence[str] = ()) -> tuple[dict[str, str], list[str]]:
    """Scenario names are comma-joined overrides; drop the overrides every scenario shares
    (e.g. org=small) so the labels show what differs. Returns the labels and the shared parts.
    Scenarios ``apart`` (runs from outside the sweep: its baseline, runs beside it) do not count in
    what the others share; they drop what they share with them, and keep their names whole where
    that is all they have (a walk read a run beside a sweep named by its every setting)."""
    # A name shared by several jobs ends with the jobs it names, ' (job 1)': not a setting
    suffixes = {s: m.group(0) if (m := JOB_SUFFIX.search(s)) else "" for s in scenarios}
    parts = [split_overrides(s[:len(s) - len(suffixes[s])]) for s in scenarios]
    among = [ps for s, ps in zip(scenarios, parts) if s not in apart]
    among = among if len(among) > 1 else parts  # one job of the sweep's own shares nothing alone
    shared = [p for p in among[0] if all(p in q for q in among[1:])] if len(among) > 1 else []
    # the investments every scenario selects: their settings read without 'investment.'
    selected = {name for p in shared if p.startswith("investment=") for name in list_items(p.split("=", 1)[1])}

    def label(s: str, ps: list[str]) -> str:
        if s in apart:  # where it is, ' (run FOLDER)', is no setting (read as one, a baseline run
            # apart kept the sweep's shared sim.years=1 in its name)
            where = m.group(0) if (m := SOURCE_SUFFIX.search(s)) else ""
            kept = [p for p in split_overrides(s[:len(s) - len(where)]) if p not in shared]
            return ",".join(kept) + where if kept else s
        differs = ",".join(_within_selected(p, selected) for p in ps if p not in shared)
        if not ps:
            return s
        if not (differs or suffixes[s]):  # its whole name is what the line under the table says
            return SHARED_ONLY
        return differs + suffixes[s] if differs else suffixes[s].strip(" ()")  # 'job 1'

    out = {s: label(s, ps) for s, ps in zip(scenarios, parts)}
    if len(set(out.values())) < len(set(scenarios)):  # never merge two scenarios into one label
        return {s: s for s in scenarios}, []
    return out, shared


def named_as_in_the_table(note: str, names: Mapping[str, str]) -> str:
    """``note`` with each scenario's whole name replaced by its name in the table (short_names'
    ``names``): a note names a scenario by all its overrides, org=small,sim.years=1 and all, which
    the table strips of what every scenario shares. One pass, longest names first, and only where
    a name stands whole, not as part of a longer one (x=1 in y.x=1 or in x=1,z=2)."""
    renamed = {full: short for full, short in names.items() if full != short}
    if not renamed:
        return note
    whole = "|".join(map(re.escape, sorted(renamed, key=len, reverse=True)))
    return re.sub(rf"(?<![\w.=,\[])(?:{whole})(?![\w.=\]]|,\S)", lambda m: renamed[m.group(0)], note)


_GROUPS = {f.name for f in dataclasses.fields(Config)}  # sim, org, market, fsm, tools, ...


def _within_selected(part: str, selected: set[str]) -> str:
    """A setting of an investment every scenario selects, without its 'investment.' prefix
    (crm.effect_scale=0.5): the shared investment=[...] said beside the labels gives it."""
    name = part.split(".")[1] if part.startswith("investment.") and part.count(".") >= 2 else None
    # an investment named as a config group (fsm, tools) would read as that group's setting
    return part[len("investment."):] if name in selected and name not in _GROUPS else part


FEW_REPLICATIONS = 5  # below this, the table says why its intervals are wide
RECOMMENDED_REPLICATIONS = 10

# What every summary figure is called where people read it: the report, its plots and the
# terminal tables. Keys are summary columns (docs/results.md lists them with these labels).
METRIC_LABELS = {
    "bookings_usd": "Bookings per year (USD)",
    "won": "Deals won (window total)",
    "lost_competitor": "Deals lost to a competitor (window total)",
    "no_decision": "Deals ending in no decision (window total)",
    "open": "Opportunities open at the end",
    "win_rate": "Win rate of forecast deals",
    "lost_competitor_rate": "Lost to competitor",
    "no_decision_rate": "No decision",
    "status_quo_share": "Stalled before the buying phase",
    "quota_attainment_share": "Sellers making quota",
    "quota_attainment_mean": "Mean quota attainment",
    "seller_turnover_rate": "Seller turnover per year",
    "mean_cycle_days": "Mean cycle of won deals (days)",
    "median_cycle_days": "Median cycle of won deals (days)",
    "selling_time_share": "Time spent selling",
    "fsm_coaching_share": "FSM time coaching",
    "coaching_hours_per_seller_month": "Coaching hours per seller a month",
    "mean_span": "Span: territories per FSM",
    "mean_buying_group": "Stakeholders per buying group",
    "leads": "Leads (window total)",
    "leads_unworked_share": "Leads gone cold",
    "hires": "Hires (window total)",
    "exits": "Exits (window total)",
    "exits_top_share": "Top performers among leavers",
    "mean_tenure_months": "Seller tenure (months)",
    "customer_churn_rate": "Customer churn per year",
    "seller_base_cost_usd": "Seller base pay per year (USD)",
    "commission_cost_usd": "Commission per year (USD)",
    "fsm_cost_usd": "FSM salaries per year (USD)",
    "hiring_cost_usd": "Hiring cost per year (USD)",
    "tools_cost_usd": "Tools cost per year (USD)",
    "investment_cost_usd": "Investment cost per year (USD)",
    "total_cost_usd": "Cost per year (USD)",
    "gross_margin_usd": "Gross margin per year (USD)",
    "contribution_usd": "Contribution per year (USD)",
}
# Per-segment columns, <metric>_<segment> (summary.SEGMENT_METRICS), name their segment.
SEGMENT_LABELS = {
    "bookings_usd": "Bookings per year, {segment} (USD)",
    "win_rate": "Win rate, {segment}",
    "no_decision_rate": "No decision, {segment}",
    "median_cycle_days": "Median cycle, {segment} (days)",
    "mean_deal_usd": "Mean won deal, {segment} (USD)",
    "quota_attainment_share": "Sellers making quota, {segment}",
    "quota_attainment_mean": "Mean quota attainment, {segment}",
    "seller_turnover_rate": "Seller turnover per year, {segment}",
}


def segment_label(segment: str) -> str:
    """A segment as readers write it: SMB, mid-market, enterprise."""
    return "SMB" if segment == "smb" else segment.replace("_", "-")


def seats_by_segment(cfg) -> dict[str, int]:
    """The seats of each staffed segment at the start, as the model deals them out."""
    from salessim.model.organization import largest_remainder

    return {seg: n for seg, n in largest_remainder(cfg.org.sellers, cfg.org.segment_mix).items() if n}


def fsms_said(sellers: int, span: float) -> str:
    """The FSMs a plan of ``sellers`` at ``span`` has, and the span their whole teams make (20
    sellers at 8.5 make 2 teams of 10, which "2 (span of control 8.5)" left to a reader's sum)."""
    from salessim.model.organization import teams_for

    teams = teams_for(sellers, span)
    made = sellers / teams
    if abs(made - span) < 0.05:
        return f"{teams:,} (span of control {setting_said(span)})"
    asked = f"(span of control {setting_said(span)} asked, in whole teams)"
    if teams == 1:
        return f"1, over {counted(sellers, 'seller')} {asked}"
    return f"{teams:,}, {made:,.1f} sellers per FSM on average {asked}"


def organization_said(cfg) -> str:
    """'organization at the start: 60 sellers (mid-market 40, enterprise 20), FSMs 6 (span of
    control 10)': a sales-ops walk modelling its own could not check the seats and teams built
    without reading the tables in Python."""
    seats = ", ".join(f"{segment_label(seg)} {n:,}" for seg, n in seats_by_segment(cfg).items())
    return (f"organization at the start: {counted(cfg.org.sellers, 'seller')} ({seats}), FSMs "
            f"{fsms_said(cfg.org.sellers, cfg.fsm.span_of_control)}")


def metric_label(metric: str) -> str:
    """A summary column as readers see it; a column salessim does not know keeps its name."""
    if metric in METRIC_LABELS:
        return METRIC_LABELS[metric]
    for base, text in SEGMENT_LABELS.items():
        if metric.startswith(base + "_"):
            return text.format(segment=segment_label(metric[len(base) + 1:]))
    return metric


# (column, label, format) of the single-run table and the report's headline metrics
HEADLINES = tuple((column, metric_label(column), kind) for column, kind in (
    ("bookings_usd", "usd_per_year"),
    ("win_rate", "pct"),
    ("lost_competitor_rate", "pct"),
    ("no_decision_rate", "pct"),
    ("quota_attainment_share", "pct"),
    ("quota_attainment_mean", "pct"),
    ("seller_turnover_rate", "pct"),
    ("selling_time_share", "pct"),
    ("fsm_coaching_share", "pct"),
    # what a seller gets: a narrower span raises it while the FSMs' share above may fall
    ("coaching_hours_per_seller_month", "num"),
    ("median_cycle_days_mid_market", "num"),
    ("total_cost_usd", "usd_per_year"),
))


def fmt(x: float, kind: str) -> str:
    if math.isnan(x):
        return "-"
    if kind == "pct":
        return f"{100 * x:.1f}%"
    if kind in ("usd_per_year", "usd"):
        return f"{x:,.0f}"
    return f"{x:,.1f}"


def millions(x: float) -> str:
    """Dollars in millions, '-' for none: '57.53'."""
    return "-" if math.isnan(x) else f"{x / 1e6:,.2f}"


def signed_millions(x: float) -> str:
    return f"{x / 1e6:+,.2f}"


def aligned(lines: Sequence[Sequence[str]]) -> list[str]:
    """Rows of cells as columns as wide as their content: the first left-aligned, numbers right."""
    widths = [max(len(x) for x in col) for col in zip(*lines)]
    return ["  ".join(x.ljust(w) if i == 0 else x.rjust(w) for i, (x, w) in enumerate(zip(line, widths)))
            for line in lines]


def names_above(lines: Sequence[Sequence[str]]) -> list[str]:
    """aligned, but each row's first cell (a scenario's name, the head's 'scenario') on a line of its
    own above the row's other cells, which are indented and aligned: long names such as
    investment=[methodology_training_connected] kept a table wider than a terminal of 100 columns
    whose figures alone fit."""
    figures = aligned([("", *line[1:]) for line in lines])  # the empty first column: a 2-space indent
    return [out for line, rest in zip(lines, figures) for out in (line[0], rest)]


def fitted(lines: Sequence[Sequence[str]], width: int | None) -> list[str]:
    """aligned, or names_above where the aligned rows are wider than ``width`` (None: any width)."""
    rows = aligned(lines)
    return names_above(lines) if width is not None and max(map(len, rows)) > width else rows


# How the comparison, its terminal table and its report show a metric.
_HEADLINE = {col: (label, kind) for col, label, kind in HEADLINES}


def kind(metric: str) -> str:
    """How to show a metric: the headline table's kinds, else guessed from the column name."""
    # a segment's column as its metric's: quota_attainment_mean_smb as quota_attainment_mean
    headline = _HEADLINE.get(metric) or _HEADLINE.get(base_metric(metric))
    if headline:
        return headline[1]
    if metric == "roi" or "_rate" in metric or "_share" in metric:
        return "pct"
    if is_money_total(metric):
        return "usd_per_year"
    return "usd" if "_usd" in metric else "num"  # a mean per deal: dollars, not per year


def years_said(n: float) -> str:
    n = round(n, 2)  # a window of 10 months: 0.83 years, not 0.833333
    return counted(n, 'year', fmt='g')


def label(metric: str) -> str:
    """A metric's label; a money total salessim does not know is still said to be yearly."""
    text = metric_label(metric)
    return f"{metric} per year" if text == metric and is_money_total(metric) else text


def setting_said(value) -> str:
    """A configured value as a reader takes it in: money with separators (690,000 → 780,675, not
    780675.0586…), a whole float as the scenario's name writes it (span_of_control=6, not 6.0),
    true/false as YAML writes them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and abs(value) >= 1000:
        return f"{value:,.0f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.4g}"
    return json.dumps(value) if isinstance(value, (dict, list)) else str(value)


def fmt_value(metric: str, x: float) -> str:
    return fmt(float(x), kind(metric))


def fmt_diff(metric: str, x: float, end: bool = False, digits: int = 1) -> str:
    """A signed difference; shares differ in percentage points, not per cent. One that rounds to
    zero has no sign (a float's -1e-17 is no loss), but an interval's ``end`` keeps it when it is
    more than a sum's noise: [-0.0, +3.0] holds zero and [+0.0, +3.0] does not, which [0.0, +3.0]
    left a reader to guess. ``digits``: decimals of a share's points or a count (money has none)."""
    x = float(x)
    if math.isnan(x):
        return "-"
    k = kind(metric)
    money = k in ("usd_per_year", "usd")
    text = f"{100 * x:+.{digits}f}" if k == "pct" else f"{x:+,.0f}" if money else f"{x:+,.{digits}f}"
    if not text.strip("+-0.,") and not (end and abs(x) > (1e-6 if money else 1e-9)):
        text = text[1:]
    return f"{text} pp" if k == "pct" else text


def fmt_ci(metric: str, diff: float, low: float, high: float, show=None) -> str:
    """A difference and its interval; ``show(x)`` writes each number (default: fmt_diff, the
    interval's ends with their sign, with as many decimals as digits_to_tell gives)."""
    if show is None:
        digits = digits_to_tell(metric, diff, low, high)
        return f"{fmt_diff(metric, diff, digits=digits)} {fmt_interval(metric, low, high, digits)}"
    if math.isnan(float(low)):
        return f"{show(diff)} [no CI]"
    return f"{show(diff)} [{show(low)}, {show(high)}]"


def fmt_interval(metric: str, low: float, high: float, digits: int = 1) -> str:
    """An interval of a difference, its ends with their sign: '[-0.0 pp, +3.7 pp]'."""
    if math.isnan(float(low)):
        return "[no CI]"
    ends = (fmt_diff(metric, x, end=True, digits=digits) for x in (low, high))
    return "[{}, {}]".format(*ends)


def digits_to_tell(metric: str, diff: float, low: float, high: float) -> int:
    """The decimals (1 to 3) of a change and its interval at which the change, if it is not zero,
    shows a number that is not zero, and so does one of the interval's ends: -0.01 [-0.03, -0.00]
    and 0.004 [+0.000, +0.009], not 0.0 [-0.0, -0.0], which read as if the change lay outside its
    interval, or 0.0 beside an interval above zero. 1 for money (whole dollars) and for values
    that are zero at 3."""
    k = kind(metric)
    if k in ("usd_per_year", "usd") or any(math.isnan(float(x)) for x in (diff, low, high)):
        return 1
    scale = 100.0 if k == "pct" else 1.0
    change, ends = abs(float(diff)) * scale, [abs(float(x)) * scale for x in (low, high)]
    for digits in (1, 2, 3):
        shown = round(change, digits) != 0.0 or change < 1e-9  # a sum's noise is no change
        if shown and (any(round(x, digits) for x in ends) or max(ends) < 1e-9):
            return digits
    return 3 if any(round(x, 3) for x in (change, *ends)) else 1


# Headline figures shown for each segment too, in a row of its own below the organization's;
# the shipped segments from the smallest deals up (config.SEGMENTS), then any of a user's own
BY_SEGMENT = ("quota_attainment_share", "quota_attainment_mean", "seller_turnover_rate")


def headline_table(summary: pd.DataFrame, years: float | None = None, columns: int | None = None) -> str:
    """Mean and 95% confidence interval over replications of the headline metrics; an interval
    stops at the values its metric can take (a share at 0% and 100%)."""
    rows = []
    per_year = years if years else _window_years(summary)

    def row(col: str, label: str, kind: str) -> tuple[str, str, str, str]:
        values = summary[col] / per_year if kind == "usd_per_year" else summary[col]
        m, low, high = mean_ci_within(col, values)
        interval = "-" if math.isnan(low) else f"[{fmt(low, kind)}, {fmt(high, kind)}]"
        # A rate with nothing to count in a replication (no seller to make quota) is NaN there:
        # the mean is then over fewer replications than the run's, which the row says.
        n = int(values.notna().sum())
        fewer = f"  ({n} of {len(values)} replications)" if 0 < n < len(values) else ""
        return label, fmt(m, kind), interval, fewer

    for col, label, kind in HEADLINES:
        if col not in summary:
            continue
        rows.append(row(col, label, kind))
        # the organization's share hides its segments' (SMB 68%, enterprise 42% at the defaults:
        # a walk entering its own quotas found enterprise seats far short, and leaving)
        if col in BY_SEGMENT:
            segments = [c[len(col) + 1:] for c in summary.columns if c.startswith(col + "_")]
            segments.sort(key=lambda seg: SEGMENTS.index(seg) if seg in SEGMENTS else len(SEGMENTS))
            rows += [row(f"{col}_{seg}", f"  {segment_label(seg)}", kind) for seg in segments
                     if summary[f"{col}_{seg}"].notna().any()]  # not a segment without sellers
    width = max([len("95% CI")] + [len(r[2]) for r in rows])
    lines = [f"{'metric':<34} {'mean':>16}  {'95% CI':<{width}}".rstrip()]
    lines += [f"{label:<34} {mean:>16}  {interval:<{width}}{fewer}".rstrip()
              for label, mean, interval, fewer in rows]
    # wrapped at a terminal's ``columns``; its rows never
    notes = [n for n in (few_replications_note(len(summary)), quotas_out_of_reach_note(summary)) if n]
    return "\n".join([*lines, *(wrapped(n, columns, indent="") for n in notes)])


# A segment whose sellers reach less than this share of their quota on average: the defaults' lowest
# is about 0.96 (mid-market); a walk's own enterprise quota of 1.2 M against the default deal sizes
# gave 0.44, with turnover at 48%.
OUT_OF_REACH_ATTAINMENT = 0.6


def quotas_out_of_reach_note(summary: pd.DataFrame) -> str:
    """A line naming the segments whose sellers reach far less than their quotas on average, and
    the settings to look at; "" where none does."""
    prefix = "quota_attainment_mean_"
    short = {c[len(prefix):]: float(summary[c].mean()) for c in summary.columns if c.startswith(prefix)}
    short = {seg: m for seg, m in short.items() if m < OUT_OF_REACH_ATTAINMENT}
    if not short:
        return ""
    said = ", ".join(f"{segment_label(seg)} {m:.0%}" for seg, m in short.items())
    seg = next(iter(short)) if len(short) == 1 else "<segment>"
    # a cause it may be, not one it knows: a few sellers over few replications can be short by luck
    return (f"(Sellers reach far less than their quota on average in {said}: the quotas may be out of "
            f"reach of the deals there (compensation.quota_usd.{seg} against "
            f"market.segments.{seg}.deal_value_median_usd and the lead rates), or a few sellers unlucky over "
            "these replications. Sellers far below quota leave more often (docs/model.md, section 14), which "
            "moves every figure: quotas of your own want deal sizes and lead rates of your own too.)")


def few_replications_note(n: int) -> str:
    """A line saying why intervals over ``n`` replications are wide, "" when there are enough."""
    if n >= FEW_REPLICATIONS:
        return ""
    # A t interval over 2 or 3 replications is many times their spread: say why it is wide.
    if n < 2:
        return (f"({counted(n, 'replication')}: an interval needs two or more; "
                f"sim.replications={RECOMMENDED_REPLICATIONS} or more gives intervals narrow enough to read)")
    return (f"({n} replications: intervals this wide are expected with so few; "
            f"sim.replications={RECOMMENDED_REPLICATIONS} or more narrows them)")


def _window_years(summary: pd.DataFrame) -> float:
    return float(np.nanmax(summary["window_years"])) if "window_years" in summary else 1.0
