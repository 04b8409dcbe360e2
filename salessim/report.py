"""The comparison report: one self-contained HTML page (inline CSS, plots as base64 PNG data URIs)
that opens from disk with no network, written for a strategist rather than a programmer."""

from __future__ import annotations

import html
import math
import re
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any, Sequence

from salessim import plots
from salessim.applied_fits import fitted_setup_of, fitted_with_settings, setup_said
from salessim.comparability import (OTHER_QUOTAS, PARTLY_PAIRED, apart_from_sweep,
                                   other_quotas_footnote, partly_paired, quotas_apart)
from salessim.compare import (DRIVERS, OVER_BUDGET, DEFAULT_RANKING, budget_of, ci_said, confidence_of,
                              discount_rate, discounting_said, driver_rows, first_year_estimated, level_said,
                              monthly_bands, npv_said, rank_by_of, ranking_said, shows_npv, within_budget)
from salessim.comparison_table import npv_cell, payback_cell
from salessim.html_page import CSS, escaped as _e, html_figure, html_table
from salessim.config import MISSING, Config, flatten, older_code_at_default
from salessim.investment_assumptions import investments_assumed
from salessim.model.calendar import Calendar
from salessim.model.levers import SCALED_KINDS, SECTIONS, SHIPPED_SECTION
from salessim.next_steps import next_steps, why_no_commands
from salessim.overrides import split_override
from salessim.payback import first_year_ci, first_year_measured
from salessim.plural import counted, plural
from salessim.ranking_notes import (COST_PART_NAMES, MAY_NOT_PAY, RUNS_CHEAPER, budget_note,
                                    contenders_note, cost_changes, first_settled_note, first_year_note,
                                    late_payback_note, leaders_note, many_scenarios_note, may_not_pay,
                                    roi_cell, runs_cheaper, spends_less_note, unsettled_note,
                                    within_the_budget)
from salessim.report_table import (digits_to_tell, few_replications_note, fmt_ci, fmt_diff, fmt_interval,
                                   fmt_value, fsms_said, kind, label, named_as_in_the_table, seats_by_segment,
                                   segment_label, setting_said, short_names, years_said)
from salessim.seed_pooling import SEED, seeds_of, seeds_said
from salessim.short_answer import short_answer
from salessim.sweep_folder import NOT_DIFFERENCES

if TYPE_CHECKING:
    from salessim.compare import Comparison

MAX_DEFAULTS_CHANGED = 12  # settings of the baseline other than the defaults, named in the report
SAID_AS_SIMULATED = ("sim.years", "sim.warmup_months", "sim.seed", "sim.replications")


# --- config differences ----------------------------------------------------------------------------

_ABSENT = object()  # a key one of the two configs does not have


def config_differences(config: dict, baseline: dict,
                       overrides: Sequence[str] | None = None) -> list[tuple[str, Any, Any]]:
    """(key, baseline value, this value) for every key that differs, scenario naming left out.

    An investment the baseline does not have is one entry, its description, not its settings,
    except those its job set on the command line (``overrides``), which tell apart the jobs of a
    sweep that add it with settings of their own (effect_scale=0.5).
    """
    base_inv, inv = baseline.get("investment") or {}, config.get("investment") or {}
    whole = [(f"investment {name}", _ABSENT, (spec.get("description") or name)
              + _set_on_command_line(overrides or (), name))
             for name, spec in sorted(inv.items()) if name not in base_inv]
    whole += [(f"investment {name}", base_inv[name].get("description") or name, _ABSENT)
              for name in sorted(base_inv) if name not in inv]
    skip = {f"investment.{name}" for name in set(inv) ^ set(base_inv)}
    a, b = flatten(baseline), flatten(config)
    return whole + [(k, a.get(k, _ABSENT), b.get(k, _ABSENT)) for k in sorted(set(a) | set(b))
                    if k not in NOT_DIFFERENCES and k != "investment"
                    and not any(k.startswith(p + ".") for p in skip)
                    and a.get(k, _ABSENT) != b.get(k, _ABSENT)
                    # a key a job's older salessim lacked, which the other holds at its default
                    and not older_code_at_default(k, a.get(k, MISSING), b.get(k, MISSING))]


def _set_on_command_line(overrides: Sequence[str], name: str) -> str:
    """' (effect_scale=0.5)': the settings of investment ``name`` that a job's command set."""
    prefix = f"investment.{name}."
    given = [f"{key[len(prefix):]}={value}" for key, value in map(split_override, overrides)
             if key.startswith(prefix) and value]  # a deletion (~KEY) sets nothing
    return f" ({', '.join(given)})" if given else ""


def describe_difference(key: str, before: Any, after: Any) -> str:
    """One entry of config_differences as a reader would say it."""
    if key.startswith("investment "):  # a whole investment, named by its description
        return f"adds {key}: {after}" if before is _ABSENT else f"drops {key}: {before}"
    return f"{key}: {_show(before)} → {_show(after)}"


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "(not set)"
    return "unset" if value is None else setting_said(value)  # as 'What the investments assume' says it


def _boxes_caption(replications: list[int]) -> str:
    """How the distributions figure draws a scenario's values of a metric (``replications``: how
    many there are, for each scenario and metric): a box from plots.MIN_BOXED of them."""
    mean = "The dotted black line is the mean, the figure the tables give. "
    if min(replications, default=0) >= plots.MIN_BOXED:
        return mean + "The box holds the middle half of the replications and the line in it is the median. "
    if max(replications, default=0) < plots.MIN_BOXED:
        return (mean + f"With fewer than {plots.MIN_BOXED} replications a scenario has no box: its "
                "dots are all there is to show. ")
    return (mean + "The box holds the middle half of the replications and the solid line in it is "
            f"the median; a scenario with fewer than {plots.MIN_BOXED} replications has no box. ")


def _window_said(r: Comparison) -> str:
    """The measured window every figure covers: the baseline's, and that some scenarios have their
    own where a sweep of sim.years or sim.warmup_months gives them another."""
    years = years_said(float(r.baseline.summary.window_years.mean()))
    others = int(r.scenarios.other_window.sum()) if "other_window" in r.scenarios else 0
    if not others:
        return (f"Every figure covers the measured window: the years after the "
                f"{r.baseline.cfg.sim.warmup_months}-month warm-up ({years} here)"
                f"{_quota_years_said(r.baseline.cfg)}.")
    return (f"Every figure covers its scenario's measured window: the years after its warm-up "
            f"({years} after {r.baseline.cfg.sim.warmup_months} months for the baseline; {counted(others, 'scenario')} "
            f"{'measures' if others == 1 else 'measure'} another window, as a note above says).")


def _quota_years_said(cfg: Config) -> str:
    """How sellers making quota read the window (docs/results.md): whole 12-month blocks from its
    start, a part-year at its end left out; a window under a year is one block."""
    months = Calendar(cfg.sim.years).months - cfg.sim.warmup_months
    if months < 12:
        return f"; sellers making quota count its {months} months as one block"
    if months % 12:
        return (f"; sellers making quota count whole quota years from its start, so its last "
                f"{counted(months % 12, 'month')} {'is' if months % 12 == 1 else 'are'} left out of that figure")
    return ""


def _discounting(r: Comparison) -> str:
    """How money is counted: not discounted, but for the NPV, the payback and the deepest shortfall
    when a discount rate is given."""
    if not discount_rate(r):
        return "not discounted"
    return (f"not discounted, but for the NPV, the payback and the deepest shortfall, which sum "
            f"the months' net gains at their present value ({npv_said(r)})")


def _organization_section(r: Comparison) -> str:
    """What was simulated, in the terms of a sales plan: the baseline's organization, and every
    setting in which it differs from salessim's defaults, so that a report read without the
    command line still says whose organization it is about."""
    cfg = r.baseline.cfg
    segments = [seg for seg, share in cfg.org.segment_mix.items() if share > 0]

    def by_segment(mapping: dict[str, float]) -> str:
        return " · ".join(f"{segment_label(seg)} {mapping[seg]:,.0f}" for seg in segments if seg in mapping)

    rows = [["sellers", f"{cfg.org.sellers:,}: " + ", ".join(
                f"{segment_label(seg)} {seats} ({cfg.org.segment_mix[seg]:.0%})"
                for seg, seats in seats_by_segment(cfg).items())],
            ["frontline sales managers", fsms_said(cfg.org.sellers, cfg.fsm.span_of_control)],
            ["quota per seller a year (USD)", by_segment(cfg.compensation.quota_usd)],
            ["on-target earnings a year (USD)", by_segment(cfg.compensation.on_target_earnings_usd)],
            ["simulated", f"{years_said(cfg.sim.years)}, {_warmup(cfg.sim.warmup_months)}; {_luck(r.baseline)}"]]
    # How long, how often and with which luck are said in the row above, not as settings.
    changed = [d for d in config_differences(r.baseline.config, asdict(Config()))
               if d[0] not in SAID_AS_SIMULATED]
    said = [describe_difference(*difference) for difference in changed]
    shown = MAX_DEFAULTS_CHANGED
    rows.append(["settings other than salessim's defaults (docs/model.md)",
                 "; ".join(said[:shown]) + (f"; and {len(said) - shown} more (the baseline job's "
                                            "manifest.json holds them all)" if len(said) > shown else "")
                 if said else "none: salessim's defaults"])
    fits = [f for f in r.baseline.manifest.get("calibrated") or [] if isinstance(f, dict)]
    if fits:  # what a fit sets reads above as the organization's own
        rows.append(["calibrated fits applied (+calibrated)", "; ".join(
            # a fit written before 30 November 2026 ends its line with a full stop
            f"{f.get('name')}: {(f.get('fit') or 'a fit whose file names no study').rstrip('.')}"
            + _fitted_on(f) + (f" (file {f['file']})" if f.get("file") else "") for f in fits)
            + ". Their fitted values replace those of the organization's own files; a level fitted "
              "with mode: scale is the study's level times the factor (docs/calibration.md, section 4)"])
    return ("<p class='sub'>The baseline's organization; the scenarios differ from it only as the "
            "Scenarios table says.</p>" + html_table([], rows))


def _fitted_on(fit: dict) -> str:
    """', fitted on 20 sellers over 1.5 years (6-month warm-up)', from a fit's manifest record;
    '' for a fit whose header does not say (the Notes say when the runs' setup is another)."""
    fitted = fitted_setup_of(fitted_with_settings(str(fit.get("fitted_with") or "")))
    return f", fitted on {setup_said(fitted)}" if fitted else ""


def _luck(job) -> str:
    """The seeds and replications a job ran: "seed 0; 10 replications", or for jobs pooled by
    seed "seeds 1, 2; 6 replications in all"."""
    if len(seeds_of(job)) > 1:
        return f"{seeds_said(job)}; {counted(len(job.summary), 'replication')} in all"
    return f"{seeds_said(job)}; {counted(job.cfg.sim.replications, 'replication')}"


def _warmup(months: int) -> str:
    return ("no warm-up" if months == 0 else "the first month a warm-up" if months == 1
            else f"the first {months} months a warm-up")


OPEN_UP_TO = 4  # investments whose settings the report shows open; more are listed folded


def _assumptions_section(r: Comparison) -> str:
    """Each investment's settings, effect sizes and costs, as the model read them: the ranking
    follows from these assumptions, and a strategist should see them beside it."""
    held = investments_assumed(r.jobs)
    if not held:
        return ""
    parts = ["<p>The settings each investment is given, as the model reads them (salessim's defaults "
             "where a file leaves one out). Most effect sizes are assumptions: published studies "
             f"support their direction, seldom their size (docs/model.md, section {SHIPPED_SECTION[0]}, "
             "gives each shipped value's source, or says it is an assumption). The costs are what the "
             "comparison "
             "charges. The ranking follows from both: to see how much one matters, sweep it over the "
             "values you find plausible, "
             "<code>salessim -m 'investment=[NAME]' investment.NAME.SETTING=a,b,c</code>"
             + (", or scale a whole effect at the same cost, <code>investment.NAME.effect_scale=0.5,1</code>"
                if any(a.kind in SCALED_KINDS for a in held) else "")
             + ", with the sweep's other settings (its organization, horizon and replications), and "
             "compare with a run without it, <code>salessim-compare SWEEP --baseline RUN_FOLDER</code>; "
             "the next steps above give these commands in full where the first scenario's effect is "
             "the question.</p>"]
    for a in held:
        jobs = ", ".join(a.jobs)
        where = (f"{a.kind}, docs/model.md section {SECTIONS[a.kind]}" if a.kind in SECTIONS
                 else f"{a.kind or 'no kind'}, a kind this salessim does not know")
        summary = (f"<b>{_e(a.name)}</b>: {_e(a.description or a.name)} ({_e(where)}); "
                   f"{plural(len(jobs.split(', ')), 'job')} {_e(jobs)}"  # a pooled job is named '1, 5'
                   + (" (the baseline)" if a.jobs == [r.baseline.name] else ""))
        table = html_table(["setting", "value", "what it means"],
                           [[key, value, meaning] for key, meaning, value in a.settings])
        parts.append(f"<details{' open' if len(held) <= OPEN_UP_TO else ''}><summary>{summary}"
                     f"</summary>{table}</details>")
    return "".join(parts)


def _scenarios_section(r: Comparison, names: dict[str, str], shared: list[str]) -> str:
    base_cfg = r.baseline.config
    rows = []
    for j in r.jobs:
        if j is r.baseline:
            what = "the baseline"
        else:
            diffs = config_differences(j.config, base_cfg, j.overrides)
            # A pooled job's config holds its first seed: say the seeds of all its jobs.
            diffs = [d for d in diffs if d[0] != SEED]
            base_seeds, seeds = seeds_of(r.baseline), seeds_of(j)
            if seeds != base_seeds:
                diffs.append((SEED, ", ".join(map(str, base_seeds)), ", ".join(map(str, seeds))))
            what = "; ".join(describe_difference(*d) for d in diffs) or "no config difference"
        rows.append([j.name, names.get(j.scenario, j.scenario), str(len(j.summary)), what])
    said = (f"<p class='sub'>Every scenario{' of the sweep' if apart_from_sweep(r) else ''} also "
            f"has {_e(', '.join(shared))}, left out of the names in this report.</p>") if shared else ""
    return said + html_table(["job", "scenario", "replications", "settings that differ from the baseline"],
                  rows, numeric={2}, row_class=["base" if j is r.baseline else "" for j in r.jobs])


# The net gain of a scenario's first 12 months from its launch, beside the window's yearly one: a
# strategist read '+1,265,691 a year' as what a first year returns, +424,740 (a walk).
FIRST_YEAR_HEAD = "net gain, its first 12 months from launch (USD) [{ci}]"


def first_year_cell(row) -> str:
    """The first 12 months' net gain from launch; '—' where the window holds a year or less (the
    yearly figure is then that year's) or none was measured."""
    return first_year_ci(row) if first_year_measured(row) else "—"


def ranking_head(ci: str = "95% CI", npv: str | None = None) -> list[str]:
    """The ranking's columns after rank and scenario, their intervals at level ``ci`` ("90% CI"),
    with the NPV's column when ``npv`` says how it is discounted; docs/results.md says where each
    comes from (at the default level, the NPV included)."""
    return ["bookings per year (USD)", f"change vs baseline, paired [{ci}]", "extra gross margin (USD/yr)",
            "extra investment (USD/yr)", "extra total cost (USD/yr; pay and commission included)",
            f"net gain (USD/yr) [{ci}]", FIRST_YEAR_HEAD.format(ci=ci),
            *([f"NPV {npv} of the window [{ci}]"] if npv else []), "ROI",
            "payback, months from launch [earliest, latest]",
            "deepest shortfall, cumulative USD (month)"]


def shortfall_cell(row) -> str:
    """The deepest the average cumulative net gain falls below 0, and when; 'none' if never; '-'
    without a curve (a scenario that never differs from the baseline, as its payback says). With
    how deep the band's lower edge goes, where it goes deeper: 'none' read as no money at risk
    where a fee was paid and a few replications' gains happened to cover it."""
    if not row.window_months:
        return "-"
    mean = ("none" if math.isnan(row.deepest_shortfall_month) else
            f"{fmt_diff('bookings_usd', row.deepest_shortfall_usd)} (month {row.deepest_shortfall_month:.0f})")
    band = row.get("deepest_shortfall_ci_low_usd", math.nan)
    deeper = band < min(row.deepest_shortfall_usd, 0.0)  # NaN (one replication): no band
    return mean + (f"; its band's lower edge {fmt_diff('bookings_usd', band)} (month "
                   f"{row.deepest_shortfall_ci_low_month:.0f})" if deeper else "")


def _ranking_section(r: Comparison, names: dict[str, str] | None = None) -> str:
    """The ranking's table and its notes; ``names``: shorter names to call the scenarios by."""
    level = level_said(r)  # "95%"
    names = names or {}
    b = "bookings_usd"
    marked, footnote = partly_paired(r.scenarios, names)
    cheaper, cheaper_note = runs_cheaper(r.scenarios, cost_changes(r), names)
    unsure, unsure_note = may_not_pay(r.scenarios)
    rows = []
    npv = shows_npv(r)
    fits = within_budget(r.scenarios)
    head = ranking_head(ci_said(r), npv_said(r) if npv else None)
    for (i, s), fit in zip(r.scenarios.iterrows(), fits):
        # The investment's own cost, beside the total's: an ROI may be per dollar of either.
        cells = [fmt_ci(b, s.diff_vs_baseline, s.diff_ci_low, s.diff_ci_high)
                 + (PARTLY_PAIRED if s.scenario in marked else ""),
                 fmt_diff(b, s.incremental_margin_usd_per_year),
                 investment_cell(s),
                 fmt_diff(b, s.incremental_cost_usd_per_year),
                 fmt_ci(b, s.net_gain_usd_per_year, s.net_gain_ci_low, s.net_gain_ci_high),
                 first_year_cell(s),
                 *([npv_cell(s)] if npv else []),
                 ("n/a (nothing extra spent)" if not s.incremental_cost_usd_per_year > 0
                  else "n/a (see the notes)") if math.isnan(s.roi)
                 else roi_cell(s, cheaper, unsure),
                 payback_cell(s), shortfall_cell(s)]
        rows.append([str(i + 1), names.get(s.scenario, s.scenario) + (" (baseline)" if s.baseline else "")
                     + ("" if fit else OVER_BUDGET),
                     fmt_value(b, s[b]),
                     *(["—"] * len(cells) if s.baseline else cells)])
    table = html_table(["rank", "scenario", *head], rows, numeric=set(range(len(head) + 2)) - {1},
                       row_class=["base" if s else "" for s in r.scenarios.baseline])
    notes = "".join(f"<p class='sub'>{_e(note)}</p>"
                    # the first two against each other, and the contenders, are in 'In short'
                    for note in (cheaper_note, unsure_note, footnote, unsettled_note(r.scenarios, names),
                                 late_payback_note(r.scenarios, names, confidence_of(r)),
                                 many_scenarios_note(r.scenarios, confidence_of(r), names),
                                 spends_less_note(r, names), budget_note(r, names, in_report=True))
                    if note)
    return table + notes + (
        f"<ul class='sub'><li>Ranked by {ranking_said(r)} ("
        + ("the default; " if rank_by_of(r) == DEFAULT_RANKING else "")
        + "salessim-compare --rank-by net_gain, bookings or npv).</li><li><i>Net gain</i> = extra gross "
        "margin − extra cost (all costs: pay, hiring, FSMs, tools and the investment), with its "
        f"{level} interval computed replication by replication, as for bookings (it is the paired "
        "change of <code>contribution_usd</code>).</li><li><i>ROI</i> = net gain / dollars spent: "
        "the larger of the extra investment cost (fees, programmes, licences beyond the baseline's) "
        "and the extra total cost (extra pay and commission included). A ratio of two averages, it "
        "has no interval: whether a scenario pays at all is whether its net gain's interval excludes "
        "0. The commission on extra bookings makes the ROIs of investments with small fees alike, "
        "whatever their gains: rank by net gain, as by default, or by the window's net present "
        "value (<code>--rank-by npv</code>). No ROI where nothing extra is spent, nor where no "
        "investment cost differs from the baseline's and the extra total cost is not settled above 0 "
        "(a ratio to chance's cost). A scenario that "
        "saves running costs (pay, hiring, FSMs or tools below the baseline's) counts the saving in "
        "its net gain, and its ROI is per dollar of its extra investment cost alone, so a small fee "
        "can show a very large ROI.</li><li><i>Pays back</i>: the months from the scenario's launch "
        "(its first month after the warm-up that differs from the baseline's) until the paired "
        "cumulative net gain rises above 0 for good; in brackets, the months at which the upper and "
        f"the lower edge of its {level} band do, each month's own interval (not a joint one). "
        "'&gt;N': not within the N months measured; 'not in N': not even the upper edge stays above "
        f"0. The margin counts when deals are won (bookings, not cash), {_discounted(r)}; months "
        "are of the 4-4-5 calendar (4 or 5 weeks).</li><li><i>Deepest shortfall</i>: how far the "
        "average cumulative net gain falls below 0 before it pays back, and in which month after "
        "launch: the money at risk (the figure 'Cumulative net gain vs baseline' shows the course); "
        "where its band's lower edge goes deeper, how deep and when, since an average of a few "
        "replications can stay above 0 by chance while a fee is paid. The band can dip below 0 "
        "mid-window though the window's net gain is settled: a deal won a month earlier or later "
        "in one replication moves a month's interval.</li><li><i>Money</i> is per year of the "
        "measured window (the years after the warm-up). A one-off investment cost falls whole in "
        "the window, spread over it, so the yearly cost, net gain and ROI depend on the horizon "
        "(<code>sim.years</code>); where the first 12 months from the launch cost another amount, "
        "the extra investment column gives it in brackets: the fees a first year's budget must "
        "hold."
        f"{_e(discounting_said(r))}</li></ul>")


def _net_gain_sources_section(r: Comparison, names: dict[str, str]) -> str:
    """Where each scenario's net gain comes from: its paired extra gross margin, and the paired
    change of each cost, per year. A gain made of a saving (sellers paid less) reads otherwise
    than one made of margin, whatever its size."""
    changes = cost_changes(r)  # {} for jobs written before the summary had its cost parts
    b, rows = "bookings_usd", []
    for _, s in r.scenarios.iterrows():
        if s.scenario in changes:
            rows.append([names.get(s.scenario, s.scenario), fmt_diff(b, s.incremental_margin_usd_per_year),
                         *(fmt_diff(b, c) for c in changes[s.scenario].values()),
                         fmt_diff(b, s.net_gain_usd_per_year)])
    if not rows:
        return ""
    head = ["scenario", "extra gross margin", *(f"Δ {name}" for name in COST_PART_NAMES.values()),
            "net gain"]
    return (html_table(head, rows, numeric=set(range(1, len(head))))
            + "<p class='sub'>USD a year, each a paired change against the baseline, in the ranking's "
              "order: net gain = extra gross margin − the six cost changes (a negative change is a "
              "saving). <i>Tools</i> is the organization's standing tools cost per seat; an "
              "investment's own licences and fees (a new CRM's) count under <i>investment</i>. "
              "Commission rises with the bookings an investment adds; a gain that comes from "
              "base pay or headcount below the baseline's comes from paying sellers less or having "
              "fewer, not from selling more.</p>")


def _discounted(r: Comparison) -> str:
    if discount_rate(r):
        return "discounted as the NPV is"
    return "undiscounted (salessim-compare --discount-rate RATE discounts it)"


def _metrics_section(r: Comparison, names: dict[str, str]) -> str:
    order = {m: i for i, m in enumerate(r.metrics)}  # metric by metric, scenarios in sweep order
    quotas = {m: quotas_apart(r, m) for m in order}  # sellers making quota, and a segment's
    rows = []
    for _, t in r.table.sort_values("metric", key=lambda s: s.map(order), kind="stable").iterrows():
        m = t.metric
        base = t.scenario == r.baseline.scenario
        mark = OTHER_QUOTAS if t.scenario in quotas[m] else ""
        rows.append([label(m), m, names.get(t.scenario, t.scenario), str(t.n), fmt_value(m, t["mean"]),
                     f"[{fmt_value(m, t.ci_low)}, {fmt_value(m, t.ci_high)}]",
                     "—" if base else fmt_ci(m, t.diff_vs_baseline, t.diff_ci_low, t.diff_ci_high) + mark,
                     "—" if base else fmt_interval(m, t.diff_ci_unpaired_low, t.diff_ci_unpaired_high,
                                                   digits_to_tell(m, t.diff_vs_baseline, t.diff_ci_low,
                                                                  t.diff_ci_high))])
    n = len(r.metrics)
    return (f"<details><summary>Every compared figure ({counted(n, 'metric')})</summary>"
            + html_table(["metric", "column", "scenario", "n", "mean", ci_said(r),
                          f"change vs baseline, paired [{ci_said(r)}]", f"unpaired {ci_said(r)}"], rows,
                         numeric={3, 4, 5, 6, 7})
            + (f"<p class='sub'>{_e(other_quotas_footnote(marked))}</p>"
               if (marked := set().union(*quotas.values())) else "")
            + "</details>")


def _not_started(r: Comparison) -> str:
    return (f"{counted(r.not_started, 'job')} of the sweep {'has' if r.not_started == 1 else 'have'} no "
            "folder: not started (the sweep was "
            f"interrupted, or is still running); multirun.yaml lists {r.total_jobs}.")


def _incomplete_section(r: Comparison) -> str:
    missing = f"<p class='alert'>{_e(_not_started(r))}</p>" if r.not_started else ""
    if r.unstarted:
        missing += html_table(["job", "overrides"], [[n.label, " ".join(n.overrides) or "(none)"]
                                                     for n in r.unstarted])
    if not r.incomplete:
        own = r.own_jobs
        done = ("the one job folder finished and was" if own == 1
                else f"all {own} job folders finished and were")
        return missing or f"<p>None: {done} compared.</p>"
    return missing + ("<p class='alert'>These job folders are incomplete (still running, interrupted, stopped by an error, or with a "
            "manifest or table that cannot be used, or left by another sweep) and are <b>not</b> in any figure above. Re-run them, or "
            "wait until they finish, or move out a folder another sweep left, then compare again.</p>"
            + html_table(["job", "scenario", "problem", "folder"],
                     [[j.name, j.scenario or "(unknown)", j.problem, str(j.path)] for j in r.incomplete]))


def _plots_section(r: Comparison, short: dict[str, str], shared: list[str]) -> str:
    """The figures; ``short``, ``shared``: the scenarios' short names and what they leave out."""
    # marked as the ranking marks them: a strategist's walk found a panel of a scenario over the
    # budget without the word the table gave it
    fits = dict(zip(r.scenarios.scenario, within_budget(r.scenarios)))
    short = {s: name + ("" if fits.get(s, True) else OVER_BUDGET) for s, name in short.items()}
    level = level_said(r)  # "95%"
    names = [j.scenario for j in r.jobs]
    base = r.baseline.scenario
    shown = r.plot_metrics
    labels = {m: label(m) for m in shown}
    kinds = {m: kind(m) for m in shown}
    values = {s: r.values[s] for s in names}
    parts = [] if not shared else [
        f"<p class='sub'>Settings every scenario{' of the sweep' if apart_from_sweep(r) else ''} shares "
        f"({_e(', '.join(shared))}) are left out of the scenario labels in the figures.</p>"]
    parts.append(html_figure(
        plots.distributions(values, shown, base, labels, kinds, ranked=list(r.scenarios.scenario),
                            short=short),
        "distributions by scenario",
        "<b>What each scenario produced, replication by replication.</b> Scenarios run from the "
        "top in the ranking's order, here and in the next figure. Every dot is one "
        "replication: the same simulated market, buyers and luck, replayed under each scenario. "
        # As plots.distributions counts them: a metric's replications with a value.
        + _boxes_caption([int(v[m].notna().sum()) for v in values.values() for m in shown])
        + "Yearly money figures are in millions of USD a year; shares in per cent."))
    if len(names) > 1:
        parts.append(html_figure(
            plots.paired_differences(r.table, names, shown, base, labels, kinds,
                                     ranked=list(r.scenarios.scenario), short=short,
                                     titles={"contribution_usd": "Net gain per year (USD): the change "
                                                                 "in contribution"}),
            "paired differences vs baseline",
            "<b>How much each scenario changes a figure, compared with the baseline.</b> The black "
            "dot is the average change over replications. The thick coloured bar is the range that "
            f"holds the true average change with {level} confidence, computed replication by "
            "replication against the baseline (both started from the same random numbers, which "
            "stay paired until the scenarios' deals diverge). If it crosses the zero "
            "line, this many replications cannot tell the scenario apart from the baseline. The "
            "thin grey bar below it is the same range computed as if the scenarios had been run "
            "with different luck: the difference in length shows how much replaying the same luck "
            "usually sharpens the comparison (with few replications either can be the wider). "
            "The contribution is gross margin less every cost: its change is the net gain the "
            "ranking gives." + _other_quotas_caption(r, short)))
    warmup = r.baseline.cfg.sim.warmup_months
    parts.append(html_figure(
        plots.monthly_bookings(monthly_bands(r.jobs, confidence_of(r)), names, base, warmup, short,
                               ranked=list(r.scenarios.scenario)),
        "monthly bookings",
        "<b>Bookings month by month.</b> The line is the value of deals won in each month, "
        f"averaged over replications; the shaded band is the {level} confidence range of that "
        "average." + (" Each scenario has its own panel, with the baseline as a dashed line for "
                      "reference." if len(names) > 3 else "")
        + " Months follow the 4-4-5 calendar (4, 4 and 5 weeks a quarter), so every third "
        "month looks higher. The grey area on the left is the warm-up, when the organization "
        "starts without deals in progress; it is left out of every other figure in this report."))
    if len(r.payback):
        ranked = list(r.scenarios.scenario)  # the baseline too: panels numbered by rank, as the table's
        curved = len(plots.curved_scenarios(r.payback, ranked, base))
        parts.append(html_figure(
            plots.cumulative_net_gain(r.payback, names, ranked, base, _settled_paybacks(r), short,
                                      discounted=bool(discount_rate(r))),
            "cumulative net gain vs baseline",
            "<b>Cumulative net gain vs baseline: when the extra spend has paid for itself.</b> The "
            "line is the net gain over the baseline summed month by month from the scenario's "
            "launch (the first month after the warm-up in which it differs from the baseline): the "
            "extra gross margin of the deals won, when they are won, less the extra cost (pay, "
            "hiring, FSMs, tools and the investment), replication by replication, averaged; the "
            f"band is the {level} confidence range of that average, month by month. An investment that "
            "costs up front dips below zero first; the dotted line marks the month from which the "
            "average stays above zero (its payback), drawn only where the band's lower edge too "
            "comes to stay above zero within the window: a payback the band leaves open (shown "
            "'&gt;N' in the ranking) is not a month to plan on. "
            + (f"Each month counts at its present value at the end of the warm-up, discounted at "
               f"{100 * discount_rate(r):g}% a year: at the right edge, the line is the window's net "
               "present value (NPV)." if discount_rate(r) else
               "At the right edge, the line divided by the window's years is the net gain per year "
               "the ranking gives.")
            + (" Each scenario has its own panel, in the ranking's order, all on one scale so that "
               "their sizes compare, fitted to the lines (a band wider than that runs past the "
               "panel's edge); how deep each dips before it pays back is the ranking's deepest "
               "shortfall." if curved > 4 else "")
            + (" The first panel holds every line, without its band, numbered at its end as its own "
               "panel is: where one overtakes another shows there (a scenario that gains more in its "
               "first year, left of the dashed line at month 12, can be passed later)."
               if 4 < curved <= plots.OVERVIEW_MOST else "")))
    others = r.scenarios[~r.scenarios.baseline.astype(bool)]
    if len(others) and others.roi.notna().any():
        parts.append(html_figure(
            plots.roi_scatter(r.scenarios, names, base, short, *_roi_marks(r), level=level_said(r)),
            "ROI and net gain versus extra cost",
            "<b>Return on the extra spend.</b> Each point is a scenario, numbered by its rank in "
            "the ranking table; across, in both panels, how much more it costs in all a year than the "
            "baseline. On the left, up, its ROI: the net gain (extra gross margin minus extra cost) "
            "per dollar spent, the larger of the extra investment cost and the extra total cost; a "
            "scenario that spends nothing extra has no ROI and is shown on the right only. On the "
            f"right, up, its net gain a year with its {level_said(r)} interval: what to compare "
            "scenarios by. An ROI has no interval, and a small fee with a large gain (or a saving "
            "elsewhere) makes it very large: a high point on the left need not be a large gain on "
            "the right. The marks are the ranking's: <i>?</i> its net gain's interval includes 0 "
            "(the point is drawn hollow: whether it pays at all is not settled, whatever its ROI), "
            "<i>*</i> its ROI is per dollar of its investment cost alone (it saves other costs). "
            "When the largest ROI is above 1,000% and ten times the median, the ROI axis is "
            "logarithmic beyond ±100%, so the others stay apart. Gross margin: "
            f"{_e(r.margin_note)}."))
    else:
        parts.append("<p class='note'>No ROI plot: no scenario costs a different amount from the "
                     "baseline, so there is no extra spend to return anything on.</p>")
    return "\n".join(parts)


def _other_quotas_caption(r: Comparison, short: dict[str, str]) -> str:
    """Said under the figures of paired changes where sellers making quota is among them and some
    scenarios measure it against other quotas (other_quotas_note): their bar there is partly the
    quotas'."""
    quotas = set().union(*(quotas_apart(r, m) for m in r.plot_metrics))  # a segment's share too
    if not quotas:
        return ""
    named = "; ".join(_e(short.get(s, s)) for s in r.scenarios.scenario if s in quotas)
    return (f" Sellers making quota of {named} is measured against other quotas than the baseline's "
            f"(marked {OTHER_QUOTAS} in 'All compared figures' below): its change there is partly the "
            "quotas', not more selling.")


def _roi_marks(r: Comparison) -> tuple[dict[str, str], set[str]]:
    """The ranking's ROI marks by scenario ('*' runs cheaper, '?' may not pay), and the scenarios
    whose net gain is not settled ('?'), which the ROI figure draws hollow."""
    cheaper, _ = runs_cheaper(r.scenarios)
    unsure, _ = may_not_pay(r.scenarios)
    marks = {s: (RUNS_CHEAPER if s in cheaper else "") + (MAY_NOT_PAY if s in unsure else "")
             for s in cheaper | unsure}
    return marks, unsure


def _settled_paybacks(r: Comparison):
    """Each scenario's payback month, where its band's lower edge pays back within the window too
    (payback_months_ci_high finite); else NaN, which draws no payback line."""
    rows = r.scenarios.set_index("scenario")
    return rows.payback_months.where(rows.payback_months_ci_high.notna())


def investment_cell(row) -> str:
    """The extra investment cost a year of the window, and that of the first year from the launch
    when it differs (a one-off fee falls in it whole, while the yearly figure spreads it)."""
    per_year, first = row.incremental_investment_usd_per_year, row.first_year_investment_usd
    if math.isnan(per_year):
        return "—"
    said = fmt_diff("bookings_usd", per_year)
    if math.isnan(first) or abs(first - per_year) < max(1.0, 0.005 * abs(per_year)):
        return said
    return f"{said} (year 1{first_year_estimated(row)}: {fmt_diff('bookings_usd', first)})"


SHARE_OF_BASELINE = ("leads",)  # counts: a change said as a share of the baseline's mean


def _behind_it(r: Comparison, scenario: str) -> str:
    """Where a scenario's gain comes from in the organization's terms: its paired changes in the
    time sellers spend selling, the leads that time makes, win rate, no decisions, sellers making
    quota and turnover (a CRM's or an accelerator's gain is more deals from more selling, a
    training's more of them won)."""
    changes = _driver_changes(r, scenario)
    said = [f"{_driver_name(m)} {change}" for m, change in changes.items() if change]
    return f" Behind it, paired against the baseline: {'; '.join(said)}." if said else ""


def _driver_changes(r: Comparison, scenario: str) -> dict[str, str]:
    """Each of DRIVERS' paired change for ``scenario``, with its interval, a count's as a share of
    the baseline's; '' where it says nothing: not measured, measured against other quotas
    (other_quotas_note), or an interval of no width, which same_exits_note says is no measured
    effect (a turnover that moved no exit)."""
    measured = driver_rows(r)
    rows = measured[measured.scenario == scenario].set_index("metric")
    ends = ["diff_vs_baseline", "diff_ci_low", "diff_ci_high"]
    changes = {}
    for m in DRIVERS:
        changes[m] = ""
        if (m not in rows.index or math.isnan(rows.at[m, "diff_vs_baseline"])
                or rows.at[m, "diff_ci_low"] == rows.at[m, "diff_ci_high"]
                or scenario in quotas_apart(r, m)):
            continue
        if m not in SHARE_OF_BASELINE:
            changes[m] = fmt_ci(m, *rows.loc[m, ends])
        elif (of := _baseline_mean(r, m)) > 0:
            change, low, high = (f"{100 * x / of:+.1f}%".replace("-0.0%", "0.0%") for x in rows.loc[m, ends])
            # one replication: no interval, as fmt_ci says it
            changes[m] = (f"{change} [no CI]" if math.isnan(rows.at[m, "diff_ci_low"])
                          else f"{change} [{low}, {high}]")
    return changes


def _driver_name(metric: str) -> str:
    return label(metric).lower().removesuffix(" (window total)")  # a share of the baseline's: no total


def _baseline_mean(r: Comparison, metric: str) -> float:
    """The baseline's mean of ``metric``, one of DRIVERS; NaN where it was not measured."""
    base = getattr(getattr(r, "baseline", None), "scenario", None)
    measured = driver_rows(r)
    held = measured[(measured.scenario == base) & (measured.metric == metric)]
    return float(held["mean"].iloc[0]) if len(held) and "mean" in held else math.nan


def _drivers_section(r: Comparison, names: dict[str, str]) -> str:
    """How each scenario makes its gain, in the ranking's order: the paired changes _behind_it
    gives the first, for every scenario (why a CRM or an accelerator brings more leads: its
    sellers spend more of their time selling)."""
    held = [m for m in DRIVERS if m in set(driver_rows(r).metric)]  # a result built by hand may lack some
    changes = {s: _driver_changes(r, s) for s in r.scenarios.scenario[~r.scenarios.baseline.astype(bool)]}
    rows = [[names.get(s, s), *(made[m] or "—" for m in held)] for s, made in changes.items()]
    if not any(c != "—" for row in rows for c in row[1:]):
        return ""
    head = ["scenario", *map(_driver_name, held)]
    return (html_table(head, rows, numeric=set(range(1, len(head))))
            + "<p class='sub'>Each a paired change against the baseline, with its interval, in the "
              "ranking's order; leads as a share of the baseline's mean. More time selling makes more "
              "leads (the admin hours a CRM or content saves, the extra hours sellers work for an "
              "accelerator's higher rate); a higher win rate wins more of them (training, coaching). "
              "—: not measured, the same as the baseline's in every replication (an interval of no "
              "width: for turnover, no exit moved in the window), or sellers making quota measured against "
              "other quotas than the baseline's (the notes name them).</p>")


def _in_short(r: Comparison, few: str, names: dict[str, str]) -> list[str]:
    """The answer first, in the few sentences the terminal ends with (short_answer): the scenario
    that ranks first, what it returns and costs, when it pays back, whether its lead holds, whether
    the replications suffice. Then, one point each, what qualifies it: the first's bookings and
    where they come from, the budget, the first year, the runners-up. (One paragraph of it all ran
    to 4,300 characters: a strategist looked for the answer in it.)"""
    answer = short_answer(r, names, in_report=True)
    fits = r.scenarios[within_budget(r.scenarios)]  # all of them without --budget
    first = next((row for _, row in fits.iterrows() if not row.baseline), None)
    if first is None:  # no scenario fits the budget
        points = [x for x in (budget_note(r, names, in_report=True), few) if x]
        return (["<h2>In short</h2>", *([f"<p class='answer'>{_e(answer)}</p>"] if answer else []),
                 _points([_e(x) for x in points])] if budget_of(r) is not None else [])
    b = "bookings_usd"
    figures = (f"<b>{_e(names.get(first.scenario, first.scenario))}</b>, paired against the baseline "
               f"[{ci_said(r)}]: bookings "
               f"{_e(fmt_ci(b, first.diff_vs_baseline, first.diff_ci_low, first.diff_ci_high))} a year."
               # the answer gives the net present value where the ranking orders by it
               + (f" Net present value of the window {npv_said(r)}: {_e(npv_cell(first))}."
                  if shows_npv(r) and rank_by_of(r) != "npv" else "")
               + _e(_behind_it(r, first.scenario)))
    # the answer says whether the first's lead is settled, and why few replications call for more
    points = [figures, *(_e(x) for x in (budget_note(r, names, in_report=True),
                                         first_year_note(r, names, own=False),
                                         first_settled_note(fits, names, within_the_budget(r)),
                                         leaders_note(r, names),
                                         contenders_note(r, names, standing_said=first.scenario,
                                                         lead_said=True)) if x)]
    return ["<h2>In short</h2>", f"<p class='answer'>{_e(answer)}</p>", _points(points)]


def _points(items: list[str]) -> str:
    return "<ul class='points'>" + "".join(f"<li>{p}</li>" for p in items) + "</ul>" if items else ""


def _names_said(r: Comparison) -> str:
    """How scenarios are named, for a reader who does not type settings: by what sets them apart."""
    lists = [m for j in r.jobs for m in re.findall(r"investment=\[[^\]]*\]", j.scenario)]
    if not lists:
        return ""  # a setting's name and value (fsm.span_of_control=6) say what they set
    example = next((m for m in lists if m != "investment=[]"), None)
    said = ([f"<i>{_e(example)}</i> adds the investments it lists"] if example else []) + (
        ["<i>investment=[]</i> adds none, doing nothing"] if "investment=[]" in lists else [])
    return f" Scenarios are named by the settings that set them apart, as they were typed: {'; '.join(said)}."


def _terms(r: Comparison) -> str:
    """The words the report's answer uses, defined before it uses them."""
    level = level_said(r)
    return ("<div class='note'><b>Terms.</b> <i>Paired</i>: every scenario replays the same replication "
            "seeds (common random numbers), so each change is measured replication by replication "
            f"against the baseline. <i>{ci_said(r)}</i>: the range that holds the model's true average "
            f"(over endless replications of these settings) with {level} confidence; <i>settled</i>: an "
            "interval that excludes 0; a <i>band</i>: such a range month by month. An interval measures "
            "the simulation's chance variation only, not doubt about the model's assumptions "
            "(docs/model.md marks each): to see how much an assumption matters, sweep it."
            + (" An investment's effect sizes are such assumptions: 'What the investments assume' lists "
               "them." if any(j.cfg.investment for j in r.jobs) else "")
            + _names_said(r)
            + " <i>Net gain</i>: extra gross margin less every extra cost, a year. <i>Contribution</i>: "
            "gross margin less the organization's total cost. <i>pp</i>: percentage points, the change "
            "in a share. <i>Forecast deals</i>: those that passed the awareness gate into the buying "
            "phase, where a win rate is counted.</div>")


def build_report(r: Comparison, with_plots: bool = True) -> str:
    question = r.question
    reps = sorted({len(j.summary) for j in r.jobs})
    names, shared = short_names([j.scenario for j in r.jobs], apart_from_sweep(r))
    head = (f"<h1>Scenario comparison: {_e(r.sweep.resolve().name)}</h1>"
            f"<p class='sub'>{_e(r.sweep.resolve())} · {_e(r.finished_said)}, "
            + (f"{counted(reps[0], 'replication')} each" if len(reps) == 1
               else f"{reps[0]} to {reps[-1]} replications per "
                    + ("scenario" if any(j.pooled for j in r.jobs) else "job")) +
            f" · baseline <b>{_e(names.get(r.baseline.scenario, r.baseline.scenario))}</b>"
            f" · made {datetime.now().strftime('%Y-%m-%d %H:%M')}</p>")
    body = [head]
    if r.incomplete:
        folders = ", ".join(j.name for j in r.incomplete)
        body.append(f"<p class='alert'><b>{counted(len(r.incomplete), 'job')} incomplete</b> and left out "
                    f"({plural(len(r.incomplete), 'job folder')} {_e(folders)}). See "
                    "<a href='#incomplete'>Incomplete jobs</a>.</p>")
    if r.not_started:
        body.append(f"<p class='alert'>{_e(_not_started(r))}</p>")
    few = few_replications_note(int(r.scenarios.pairs.min()))
    body.append("<h2>The question</h2>")
    body.append(f"<p class='question'>{_e(question)}</p>" if question else
                "<p class='note'>The sweep does not state its question: add "
                "<code>experiment_question='…'</code> to the command (or to an experiment's file), "
                "and the report opens with it.</p>")
    short = _in_short(r, few, names)
    body.append(_terms(r))
    body += short
    body.append("<div class='note'><ul>" + "".join(f"<li>{_e(named_as_in_the_table(n, names))}</li>"
                                                  for n in (*r.notes, "" if short else few) if n)
                + f"<li>Gross margin for ROI: {_e(r.margin_note)}.</li>"
                f"<li>{_e(_window_said(r))} Money figures are yearly: window totals divided by those "
                f"years, nominal and {_e(_discounting(r))}. Counts marked <i>window total</i> "
                "are totals over the window, not yearly.</li></ul></div>")
    if steps := next_steps(r, names):  # after the notes that qualify 'In short'
        copyable = any(step.commands for step in steps)
        why = "" if copyable else why_no_commands(r)
        body += ["<h2>Next steps</h2>", "<p class='sub'>Each says what to learn next and, in brackets, "
                 "the settings an analyst runs it with"
                 + (f"; no commands to copy come with them, since {_e(why)}" if why else
                    "; below it, where the jobs' settings allow, the commands to copy: a sweep into a "
                    "new folder beside this sweep's (or one run each, where its jobs differ in more "
                    "settings than one sweep varies), then its comparison")
                 + ("; they run from any folder (their paths are whole) in a shell where the "
                    "<code>salessim</code> command is found (after <code>. .venv/bin/activate</code> in "
                    "salessim's folder)" if copyable else "")
                 + ".</p>",
                 "<ol>" + "".join(f"<li>{_e(step.said)}" + (f" {_e(step.took)}" if step.took else "")
                                  + (f"<pre>{_e(chr(10).join(step.commands))}</pre>" if step.commands else "")
                                  + "</li>" for step in steps) + "</ol>"]
    body += ["<h2>The organization</h2>", _organization_section(r),
             "<h2>Scenarios</h2>", _scenarios_section(r, names, shared)]
    if assumed := _assumptions_section(r):
        body += ["<h2>What the investments assume</h2>", assumed]
    body += ["<h2>Ranking</h2>", _ranking_section(r, names)]
    if sources := _net_gain_sources_section(r, names):
        body += ["<h2>Where each net gain comes from</h2>", sources]
    if drivers := _drivers_section(r, names):
        body += ["<h2>How each gain is made</h2>", drivers]
    body.append("<h2>Figures</h2>")
    body.append(_plots_section(r, names, shared) if with_plots else
                "<p class='note'>Plots were skipped (--no-plots).</p>")
    body += ["<h2>All compared figures</h2>", _metrics_section(r, names),
             "<h2 id='incomplete'>Incomplete jobs</h2>", _incomplete_section(r)]
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>salessim comparison: {_e(r.sweep.resolve().name)}</title><style>{CSS}</style>"
            "</head><body><main>" + "\n".join(_with_contents(body)) + "</main></body></html>")


def _with_contents(body: list[str]) -> list[str]:
    """``body`` with a line of links to its sections above the first, each section's heading
    preceded by the anchor a link leads to: a report of many scenarios runs to 100,000 characters,
    and a reader looks for the ranking or the figures without scrolling through the rest."""
    out, links = [], []
    for part in body:
        heading = re.fullmatch(r"<h2(?: id='([^']+)')?>(.*?)</h2>", part)
        if heading:
            anchor = heading[1] or re.sub(r"[^a-z0-9]+", "-", html.unescape(heading[2]).lower()).strip("-")
            if not heading[1]:
                out.append(f"<a id='{anchor}'></a>")
            links.append(f"<a href='#{anchor}'>{heading[2]}</a>")
        out.append(part)
    if not links:
        return out
    first = next(i for i, part in enumerate(out) if part.startswith(("<a id=", "<h2")))
    return [*out[:first], f"<nav class='sub'>Contents: {' · '.join(links)}</nav>", *out[first:]]
