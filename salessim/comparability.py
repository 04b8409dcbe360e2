"""How far a sweep's scenarios can be compared with their baseline: notes on the settings, fits,
code versions, seeds and windows that set the jobs apart, on costs that fall in the warm-up or in
a short window, and on scenarios that cannot be told from one another or from the baseline; and
the † mark of a scenario paired with the baseline on only some replications. Which jobs a comparison
keeps (--years, --warmup-months, --at) is :mod:`salessim.job_selection`'s."""

from __future__ import annotations

import functools
import json
import math
from functools import reduce
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from salessim.applied_fits import (RULE_KEY, SETUP_KEYS, another_setup_said, condition_overrides,
                                   fits_changed, fitted_setup_of, fitted_through, fitted_with_settings,
                                   metric_and_segment, metric_of, setup_differs, setup_said, target_labels)
from salessim.calibration.targets import OUTCOME_SHARES
from salessim.config import MISSING, Config, changed_settings, flatten
from salessim.config_files import CONFIG_DIR, placed_content
from salessim.errors import UserError, first_few
from salessim.manifest import code_of
from salessim.model.calendar import WEEKS_PER_YEAR
from salessim.outputs import COMPARISON_KEYS, config_hash
from salessim.payback import warm_up_extra, warm_up_money
from salessim.plural import and_listed, counted, plural
from salessim.job_selection import window_of
from salessim.overrides import override_value, split_override, swept_keys, under
from salessim.report_table import LIST_GROUPS, fmt_value, millions, segment_label
from salessim.seed_pooling import seeds_of, seeds_said
from salessim.sweep_folder import (BOOKINGS, COST, KEY_METRICS, NOT_DIFFERENCES, Job,
                                   recorded_investments)


# Yearly amounts within a dollar of each other are the same: the same costs summed in another
# order differ in their last digits (1.75e5 against 174999.9999999997).
SAME_MONEY_USD = 1.0
NAMED_IN_A_NOTE = 3  # scenarios a note names; more are counted


def one_off_cost_usd(cfg: Config) -> float:
    """What a config's investments cost once (their one-off fees), all paid in the measured window."""
    from salessim.model import levers
    return sum(lever.spec.one_off_cost_usd for lever in levers.build(cfg.investment, cfg.sim.warmup_months))


def short_window_said(window_years: float) -> str | None:
    """A window shorter than a year, in which a one-off fee counts more than once a year, as its
    notes say it: '6 months', or in weeks where it is not whole months ('10 weeks', as the
    note of a short window says it); None for a window of a year or more, or of under half a
    month, of which the short window's note speaks (notices.short_window)."""
    if window_years >= 1.0 - 1e-9 or window_years * 12 < 0.5:
        return None
    months = window_years * 12
    if abs(months - round(months)) < 1e-6:
        return counted(round(months), "month")
    return counted(round(window_years * WEEKS_PER_YEAR), "week")


def times_a_year(window_years: float) -> str:
    """How often a cost per year counts a fee that falls whole in a window of ``window_years``:
    '5.2 times a year'; to two decimals where one would say 1.0 (51 weeks: 1.02), and 'just over
    once a year' where two would (a window a few days short of a year)."""
    times = 1 / window_years
    if round(times, 1) > 1.0:
        return f"{times:.1f} times a year"
    return f"{times:.2f} times a year" if round(times, 2) > 1.0 else "just over once a year"


def one_off_in_a_short_run(cfg: Config, window_years: float) -> str:
    """The single run's note under its table when a one-off fee falls in a window shorter than a
    year, which its "Cost per year" counts more than once (as one_off_in_a_short_window says of a
    sweep's scenarios); "" otherwise."""
    window, fees = short_window_said(window_years), one_off_cost_usd(cfg)
    if not window or fees <= SAME_MONEY_USD:
        return ""
    return (f"(the one-off fees, {fees:,.0f} USD, fall whole in the {window} measured "
            f"after the warm-up, so the cost per year counts them {times_a_year(window_years)}; a "
            "larger sim.years spreads them over the horizon they must pay back in, and salessim-compare "
            "gives their payback, and their NPV with --rank-by npv)")


def one_off_in_a_short_window(baseline: Job, jobs: list[Job]) -> list[str]:
    """A note on scenarios whose one-off costs beyond the baseline's fall in a window shorter than
    a year: their yearly cost bears a one-off fee at more than its amount a year (a CRM's one-off
    implementation cost counts twice in a half-year window), so their yearly net gain and ROI say
    less of the investment than of the horizon."""
    base = one_off_cost_usd(baseline.cfg)
    short: dict[float, list[str]] = {}  # the window measured, in years -> the scenarios
    for j in jobs:
        years = float(j.summary.window_years.mean())
        if short_window_said(years) and one_off_cost_usd(j.cfg) - base > SAME_MONEY_USD:
            short.setdefault(years, []).append(j.label)

    def said(years: float, labels: list[str]) -> str:
        its, it = ("its", "it") if len(labels) == 1 else ("each one's", "each")
        return (f"{first_few(labels, NAMED_IN_A_NOTE, '; ')}: {its} one-off cost falls whole in the "
                f"{short_window_said(years)} measured after the warm-up, so the yearly cost, net gain "
                f"and ROI count it {times_a_year(years)}; judge {it} by the payback and the NPV (shown "
                "with --rank-by npv or --discount-rate RATE), or over the horizon it must pay back in "
                "(a larger sim.years)")
    return [said(years, labels) for years, labels in short.items()]


def changed_in_the_warm_up(baseline: Job, jobs: list[Job], rates: dict[str, float]) -> list[str]:
    """A note on scenarios that differ from the baseline before their window opens (a change of
    settings, in place from the first day): their figures and payback count from the window's
    start, and what their warm-up cost and won beyond the baseline's counts in none of them. A job
    with another seed is left out: chance moves its warm-up money too, so the figure could not be
    read as what a change cost (the pairing note says that part of its differences is chance)."""
    base_money = warm_up_money(baseline, rates[baseline.scenario])
    said = {}  # by label: the warm-up's months, what it cost and earned beyond the baseline's
    for j in (j for j in jobs if not another_seed(baseline, j)):
        cost, margin = warm_up_extra(j, rates[j.scenario], base_money, baseline.cfg.sim.warmup_months)
        if abs(cost) > SAME_MONEY_USD or abs(margin) > SAME_MONEY_USD:
            said[j.label] = (j.cfg.sim.warmup_months, _more_or_less(cost), _more_or_less(margin))
    if not said:
        return []
    if len(said) == 1:
        (label, amounts), = said.items()
        return [f"{label} differs from the baseline from the first day (its settings): its figures "
                "and payback count from the end of the warm-up as if the difference were in place "
                f"by then; {_warm_up_said(amounts)}, counted in none of them"]
    return [f"{first_few(list(said), NAMED_IN_A_NOTE)} differ from the baseline from the first day "
            "(their settings): their figures and paybacks count from the end of the warm-up as if "
            "the difference were in place by then, and what the warm-up cost and earned beyond "
            "the baseline's is counted in none of them ("
            + first_few(_grouped_by_amounts(said), NAMED_IN_A_NOTE, "; ") + ")"]


def _grouped_by_amounts(said: dict[str, tuple[int, str, str]]) -> list[str]:
    """'a and b: over their warm-up ...' for scenarios whose warm-up money is the same (a walk read
    one sentence three times, word for word: settings that change nothing before the launch)."""
    by_amounts: dict[tuple[int, str, str], list[str]] = {}
    for label, amounts in said.items():
        by_amounts.setdefault(amounts, []).append(label)
    return [f"{and_listed(labels)}: {_warm_up_said(amounts, len(labels))}"
            for amounts, labels in by_amounts.items()]


def _warm_up_said(amounts: tuple[int, str, str], scenarios: int = 1) -> str:
    months, cost, margin = amounts
    its, it = ("its", "it") if scenarios == 1 else ("their", "each")
    return (f"over {its} {months}-month warm-up {it} cost {cost} and earned {margin} of gross margin than "
            "the baseline")


def _more_or_less(usd: float) -> str:
    """'574,544 USD more' or '68,759 USD less': a signed amount in words, which reads in a sentence."""
    return f"{abs(usd):,.0f} USD {'more' if usd >= 0 else 'less'}"


SETTINGS_SHOWN = 3  # of the settings in which a baseline run elsewhere differs from the sweep
# what the sweep adds, or how it runs
NOT_APART = ("investment", "sim.", "experiment_question", *COMPARISON_KEYS)


def settings_apart_note(baseline: Job, jobs: list[Job]) -> list[str]:
    """A baseline run apart from the sweep should differ from its jobs only in what they sweep:
    name the settings every job of the sweep shares and the baseline has otherwise (a 100-seller
    baseline for a sweep of 20: part of every difference is theirs). Investments, which the
    sweep's jobs add, and how a run is shown, named or run are left out."""
    if not jobs:
        return []
    per_job = [changed_settings(asdict(baseline.cfg), asdict(j.cfg)) for j in jobs]
    apart = [d for d in per_job[0] if not d[0].startswith(NOT_APART) and all(d in c for c in per_job[1:])]
    # what the jobs have first, then what they lack; the setup (sellers, horizon, warm-up, rule),
    # which moves every figure, before the rest
    apart.sort(key=lambda d: (d[2] is MISSING, d[0] not in (*SETUP_KEYS, RULE_KEY)))
    if not apart:
        return []
    said = "; ".join(f"{k}: {was} in the baseline, {now} in every job" for k, was, now in apart[:SETTINGS_SHOWN])
    more = f"; and {len(apart) - SETTINGS_SHOWN} more" if len(apart) > SETTINGS_SHOWN else ""
    return [f"The baseline, run apart from the sweep, differs from all its jobs in settings the sweep "
            f"does not vary ({said}{more}): part of every difference is theirs; run the baseline "
            "with the sweep's other settings."]


def beside_note(jobs: list[Job]) -> list[str]:
    """The runs from outside the sweep compared as scenarios beside its jobs (--with), named by
    where they are: the table ranks them with the sweep's own."""
    if not jobs:
        return []
    return [f"Compared beside the sweep's jobs (--with): {'; '.join(j.label for j in jobs)}. "
            f"{'Each pairs' if len(jobs) > 1 else 'It pairs'} with the baseline as the sweep's jobs do "
            "where it ran on the same seed and replications (a note says where not)."]


def fitted_targets_note(jobs: list[Job], metrics: list[str]) -> list[str]:
    """Figures a comparison shows (those --metrics asks for, else the headline ones) that a fit the
    jobs ran (+calibrated) was made to match, as their manifests record its header, under a
    condition the jobs run (but for the settings they vary): runs with the fit meeting them show
    the fit at work, not a validation of the model (docs/calibration.md, section 5). How a figure
    changes with what the jobs vary, the relationship, was fitted too only where a condition of
    one of the figure's targets (or, for an outcome share, of another share's: the three sum to 1)
    sets a setting the jobs vary; elsewhere it still validates. A single job shows no change to
    read, nor do jobs that simulated alike. A figure asked for that is no target but a part of one,
    or holds one (a segment's figure and the whole's; another outcome share), is said to be
    partly fitted through it (a walk found win_rate_smb called a validation of a fit to win_rate)."""
    swept, ran = _varied_settings(jobs), _Ran.of(jobs[0])
    # jobs that simulated alike (identical_notes says so) show no change to validate
    alike = len(jobs) > 1 and all(j.summary is not None for j in jobs) and len(_alike(jobs)) == 1
    fitted: dict[str, list[str]] = {}  # fit name -> the labels of its targets fitted
    figures: dict[str, dict[str, str]] = {}  # fit name -> label -> its figure and source
    for fit in _fits_of(jobs):
        if not fit.get("targets"):
            continue  # a fit whose file names no targets, or a run recorded before they were
        labels = fitted.setdefault(str(fit.get("name")), [])
        labels += [label for label in target_labels(str(fit["targets"])) if label not in labels]
        figures.setdefault(str(fit.get("name")), {}).update(_figures_of(fit, labels))
    # a figure fitted where the jobs do not run (another rule, size) is not theirs to meet
    theirs_by_fit = {name: [label for label in every if _among_the_jobs(label, swept, ran)]
                     for name, every in fitted.items()}
    # a figure one fit was made to is said fitted by it, not also fitted in part, or a validation,
    # by another's notes (a review found two fits' notes contradict each other)
    targeted = {metric_of(label) for theirs in theirs_by_fit.values() for label in theirs}
    notes = []
    for name, theirs in theirs_by_fit.items():
        if not theirs:
            continue
        targets = f"the targets +calibrated={name} was fitted to ({first_few(theirs, SETTINGS_SHOWN)})"
        labels = [label for label in theirs if metric_of(label) in metrics]
        through = {metric: by for metric in metrics
                   if metric not in targeted and (by := fitted_through(metric, theirs))}
        partly = _partly_fitted_notes(targets, through, jobs, alike, swept)
        if labels:
            notes += [_fitted_note(name, labels, theirs, figures[name], jobs, alike, swept), *partly]
        else:  # said, so that silence does not leave it a question (a walk)
            others = [m for m in metrics if m not in through and m not in targeted]
            notes += partly + _none_fitted_note(targets, others, jobs, alike,
                                                named=len(others) < len(metrics))
    return notes


def _fitted_note(name: str, labels: list[str], theirs: list[str], figures: dict[str, str],
                 jobs: list[Job], alike: bool, swept: set[str]) -> str:
    """That the figures of ``labels``, among the targets of the fit ``name`` whose condition the
    jobs run (``theirs``), show the fit at work; and whether how each changes across the jobs
    was fitted too."""
    # the settings the jobs vary that each figure's targets fitted it under, figure by figure
    set_by: dict[str, list[str]] = {}
    for metric in dict.fromkeys(map(metric_of, labels)):
        family = OUTCOME_SHARES if metric in OUTCOME_SHARES else (metric,)
        set_by[metric] = _swept_in_conditions([label for label in theirs if metric_of(label) in family],
                                              swept)
    related = {metric: keys for metric, keys in set_by.items() if keys}
    unrelated = [metric for metric in set_by if metric not in related]
    said = "; ".join(f"how {metric} changes with {', '.join(keys)} was fitted too (a condition of its "
                     + ("targets, or of another outcome share's (the three sum to 1), sets it)"
                        if metric in OUTCOME_SHARES else "targets sets it)")
                     for metric, keys in related.items())
    level = (f"{_with_figures(labels, figures)}: among the targets +calibrated={name} was fitted "
             "to (its file's '# Targets fitted' line), so these runs coming close to the survey's figure "
             "show the fit at work, not a validation")
    if len(jobs) < 2:
        return f"{level} (docs/calibration.md, section 5)."
    if alike:
        return (f"{level}; the jobs simulated alike, so they show no change across the swept "
                "values to validate (docs/calibration.md, section 5).")
    if len({_fits_run(j) for j in jobs}) > 1:  # a sweep of fits (or of a fit and none)
        return (f"{level}; the jobs do not all run the same fits, so a change across them is "
                "partly the fits' own, not a validation (docs/calibration.md, section 5).")
    return (f"{level}; "
            + (f"{said}: validate on figures and relationships the fit was not made to"
               + (f"; how {', '.join(unrelated)} changes across the swept values was not fitted, and "
                  "is a validation" if unrelated else "") if related else
               "how the figure changes across the swept values was not fitted (no condition of its "
               "targets sets a value the jobs vary with the settings they share), and is a validation")
            + " (docs/calibration.md, section 5).")


def _swept_in_conditions(labels: list[str], swept: set[str]) -> list[str]:
    """The settings the jobs vary (``swept``) that the conditions of the targets ``labels`` set."""
    keys = (key for label in labels for key, _ in map(split_override, condition_overrides(label)))
    return list(dict.fromkeys(key for key in keys if _varies(key, swept)))


def _partly_fitted_notes(targets: str, through: dict[str, list[str]], jobs: list[Job], alike: bool,
                         swept: set[str]) -> list[str]:
    """That the figures asked for that are no target of a fit but are fitted in part through its
    targets (``through``: figure -> those targets) are only in part a validation. Another outcome
    share of the same deals (the three sum to 1) pins a share's level and change alike; a segment's
    figure is part of the whole's, so a fit to one fits the other's level in part, while how it
    changes across the jobs is a validation unless a condition of those targets sets what the jobs
    vary (docs/calibration.md, section 5: CEB's fall of purchases with a group's size)."""
    # another share of the same deals among the targets: the share is pinned as a whole's is
    shares = {metric: by for metric, by in through.items()
              if any(metric_and_segment(metric_of(label))[1] == metric_and_segment(metric)[1]
                     for label in by)}
    parts = {metric: by for metric, by in through.items() if metric not in shares}
    notes = []
    if shares:
        by = list(dict.fromkeys(label for labels in shares.values() for label in labels))
        notes.append(f"{', '.join(shares)}: not among {targets}, but {and_listed(by)} "
                     f"{'is' if len(by) == 1 else 'are'}, and the three outcome shares sum to 1, so "
                     f"{'it was' if len(shares) == 1 else 'they were'} fitted in part: only in part a "
                     "validation of the model (docs/calibration.md, section 5).")
    if parts:
        notes.append(_part_of_fitted_note(targets, parts, jobs, alike, swept))
    return notes


def _part_of_fitted_note(targets: str, parts: dict[str, list[str]], jobs: list[Job], alike: bool,
                         swept: set[str]) -> str:
    """That a segment's figure, or the whole's, is fitted in part through the whole's or a
    segment's targets (``parts``: figure -> those targets): its level does not validate the model,
    how it changes across the jobs does, but where a condition of those targets sets what the jobs
    vary (or the jobs show no change, or run other fits)."""
    by = list(dict.fromkeys(label for labels in parts.values() for label in labels))
    one, it = len(parts) == 1, len(by) == 1
    # through another outcome share than its own (no_decision_rate_mid_market through win_rate)
    sums = ", and the three outcome shares sum to 1" if any(
        metric_and_segment(metric_of(label))[0] != metric_and_segment(metric)[0]
        for metric, labels in parts.items() for label in labels) else ""
    whose = "its level was" if one else "their levels were"
    level = (f"{', '.join(parts)}: not among {targets}, but {and_listed(by)} {'is' if it else 'are'} (a "
             f"segment's figure is part of the whole's{sums}), so {whose} partly fitted through "
             f"{'it' if it else 'them'}, and {'does' if one else 'do'} not validate the model")
    related = {metric: keys for metric, labels in parts.items()
               if (keys := _swept_in_conditions(labels, swept))}
    unrelated = [metric for metric in parts if metric not in related]
    if len(jobs) < 2:
        change = ""
    elif alike:
        change = "; the jobs simulated alike, so they show no change across the swept values to validate"
    elif len({_fits_run(j) for j in jobs}) > 1:  # a sweep of fits (or of a fit and none)
        change = "; the jobs do not all run the same fits, so a change across them is partly the fits' own"
    elif related:
        change = "".join(f"; how {metric} changes with {', '.join(keys)} was partly fitted too (a "
                         "condition of a target it is fitted through sets it)"
                         for metric, keys in related.items())
        change += (f"; how {', '.join(unrelated)} changes across the swept values was not fitted, and is a "
                   "validation" if unrelated else "")
    else:
        change = (f"; how {'it changes' if one else 'they change'} across the swept values was not fitted "
                  f"(no condition of {'that target' if it else 'those targets'} sets a value the jobs vary "
                  "with the settings they share), and is a validation")
    return f"{level}{change} (docs/calibration.md, section 5)."


def figure_of(fit: dict, label: str) -> str:
    """A target's figure and source as a fit's manifest entry records them (its 'figures' line):
    '46.6%, CSO Insights 2016 ...', as the tables show the figure; '' for a fit whose file does not
    give them (an older fit), or gives them otherwise than as salessim-calibrate writes them."""
    try:
        # the first figure of a label fitted from several sources (figures_json)
        value, source = json.loads(str(fit.get("figures") or "{}"))[label][:2]
    except (ValueError, KeyError, TypeError):
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not isinstance(source, str):
        return ""
    # quoted as written: its '; ' made ', ' ran two sources together (a researcher's walk); the
    # parentheses around each target's figure part it from the next target's '; '
    source = source.strip()
    figure = fmt_value(metric_of(label), float(value))
    return f"{figure}, {source}" if source else figure


def _figures_of(fit: dict, labels: list[str]) -> dict[str, str]:
    """The figures and sources of ``labels`` that a fit's manifest entry records."""
    return {label: figure for label in labels if (figure := figure_of(fit, label))}


def _with_figures(labels: list[str], figures: dict[str, str]) -> str:
    """Targets' labels, each with its figure and source where known ('win_rate (46.6%, CSO
    Insights 2016 ...)'), parted by '; ' then, since a source may hold commas; a source's own
    '; ' stand inside its target's parentheses."""
    if not any(label in figures for label in labels):
        return ", ".join(labels)
    return "; ".join(f"{label} ({figures[label]})" if label in figures else label for label in labels)


def _none_fitted_note(targets: str, others: list[str], jobs: list[Job], alike: bool,
                      named: bool) -> list[str]:
    """That the figures compared (``others``: all of them, or, ``named``, those not fitted in
    part through one) are none among ``targets`` (those of the jobs' setup of a fit): what they
    validate, with what qualifies it."""
    if not others:
        return []
    one = named and len(others) == 1
    said = (f"The other figure compared, {others[0]}, is not among {targets}: its level" if one else
            f"None of the other figures compared ({first_few(others, SETTINGS_SHOWN)}) is among {targets}: "
            "their levels" if named else f"None of the figures compared is among {targets}: their levels")
    are = "is" if one else "are"
    if len(jobs) < 2 or alike:
        return [f"{said} {are} a validation of the model (docs/calibration.md, section 5)."]
    if len({_fits_run(j) for j in jobs}) > 1:
        return [f"{said} {are} a validation of the model; the jobs do not all run the same fits, so a change "
                "across them is partly the fits' own (docs/calibration.md, section 5)."]
    change = "how it changes" if one else "how they change"
    return [f"{said}, and {change} across the jobs, {are} a validation of the model "
            "(docs/calibration.md, section 5)."]


def _fits_run(job: Job) -> tuple[str, ...]:
    """The names of the fits a job ran (+calibrated), in order."""
    return tuple(str(fit.get("name")) for fit in _fits_of([job]))


def _fits_of(jobs: list[Job]) -> list[dict]:
    """The fits the jobs ran, as their manifests record them (applied_fits.provenance), each once."""
    fits = [fit for j in jobs for fit in j.manifest.get("calibrated") or [] if isinstance(fit, dict)]
    return list({str(sorted(fit.items())): fit for fit in fits}.values())  # a sweep's jobs share them


def monitored_targets_note(jobs: list[Job], metrics: list[str]) -> list[str]:
    """Figures a comparison shows (those --metrics asks for, else the headline ones) that a fit the
    jobs ran only monitored (weight 0: simulated beside the fit, not fitted, its file's '# Targets
    monitored' line, as the manifests record it), and that no fit they ran fitted under any
    condition: runs at its condition coming close to them validate the model; an outcome share,
    where another share was fitted (the three sum to 1), is said to be partly fitted; a segment's
    figure whose whole's was fitted (or the whole's, a segment's) is left to fitted_targets_note,
    which says it is partly fitted where the jobs run that target's condition. A job that ran the
    fit must be known to run the target's whole condition: its settings, and the study's own
    sellers, horizon, warm-up and decision rule where it sets none (a target without a condition
    was simulated at the study's setup); unsure, nothing is claimed."""
    ran, fits = [_Ran.of(j) for j in jobs], _fits_of(jobs)
    every = [label for fit in fits for label in target_labels(str(fit.get("targets") or ""))]
    fitted = set(map(metric_of, every))
    shares_fitted = [m for m in OUTCOME_SHARES if m in fitted]  # the three sum to 1
    monitored: dict[str, list[str]] = {}  # fit name -> its monitored labels among the metrics
    monitored_figures: dict[str, dict[str, str]] = {}  # fit name -> label -> its figure and source
    partly: dict[str, list[str]] = {}  # fit name -> its monitored outcome shares another share pins
    for fit in fits:
        if not fit.get("monitored"):
            continue  # a fit that monitored nothing, or a run recorded before they were kept
        written = fitted_with_settings(str(fit.get("fitted_with") or ""))
        study = {**fitted_setup_of(written), **({RULE_KEY: written[RULE_KEY]} if RULE_KEY in written else {})}
        labels = monitored.setdefault(str(fit.get("name")), [])
        known = monitored_figures.setdefault(str(fit.get("name")), {})
        for label in target_labels(str(fit["monitored"])):
            if metric_of(label) not in set(metrics) - fitted:
                continue
            if metric_of(label) in OUTCOME_SHARES and shares_fitted:
                siblings = partly.setdefault(str(fit.get("name")), [])
                siblings += [label] if label not in siblings else []
                continue
            if fitted_through(metric_of(label), every):
                continue  # a segment's figure, or the whole's, fitted in part: fitted_targets_note says so
            at = [j.label for j, r in zip(jobs, ran)
                  if _ran_fit(j, fit) and _runs_whole_condition(label, study, r)]
            # the jobs that run it, named when not all of them do
            said = label if len(at) == len(jobs) else f"{label} (in {first_few(at, NAMED_IN_A_NOTE, '; ')})"
            if at and said not in labels:
                labels.append(said)
                known.update({said: figure} if (figure := figure_of(fit, label)) else {})
    return [f"{_with_figures(labels, monitored_figures[name])}: monitored by +calibrated={name} (weight 0: "
            "simulated beside the fit, not fitted; no target of the figure was fitted, under any condition), "
            "so runs at its condition coming close to the survey's figure validate the model "
            "(docs/calibration.md, section 5)."
            for name, labels in monitored.items() if labels] + [
        _pinned_share_note(labels, name, shares_fitted) for name, labels in partly.items()]


def _pinned_share_note(labels: list[str], name: str, fitted: list[str]) -> str:
    """Outcome shares a fit monitored beside one or two shares the jobs' fits fitted: the three sum
    to 1, so one fitted pins them in part, two in whole."""
    one = len(fitted) == 1
    whose = "its level, and how it changes" if len(labels) == 1 else "their levels, and how they change"
    how = "partly fitted through it" if one else "fitted through them"
    return (f"{', '.join(labels)}: monitored by +calibrated={name} (weight 0), but {' and '.join(fitted)} "
            f"{'was' if one else 'were'} fitted by the fits these jobs ran, and the three outcome shares "
            f"sum to 1: {whose} across the swept values, were {how}, and do not validate the model "
            "(docs/calibration.md, section 5).")


def _ran_fit(job: Job, fit: dict) -> bool:
    """Whether ``job`` ran ``fit`` (a manifest's record of one): the same name and file."""
    which = (fit.get("name"), fit.get("sha256"))
    return any(isinstance(f, dict) and (f.get("name"), f.get("sha256")) == which
               for f in job.manifest.get("calibrated") or [])


def _runs_whole_condition(label: str, study: dict[str, Any], ran: _Ran) -> bool:
    """Whether a job (``ran``) is known to run a target's condition, and the ``study``'s own
    settings (its setup and rule, by key) where the condition sets none, itself or by a preset
    (org=large sets org.sellers)."""
    overrides = [(key.lstrip("+"), value) for key, value in map(split_override, condition_overrides(label))]
    if not all(_runs(key, value, ran, unsure=False) for key, value in overrides):
        return False
    for key, value in study.items():
        if under(key, [own for own, _ in overrides]):
            continue
        held = ran.flat.get(key)
        if held is None or (str(held) != str(value) if key == RULE_KEY else
                            # sim.years as the fit's header writes it (:g), which may round the study's
                            f"{float(held):g}" != f"{value:g}"):
            return False
    return True


class _Ran(NamedTuple):
    """What a job ran, as its record says: its config, flattened, and the presets its overrides chose."""
    config: dict
    flat: dict[str, Any]
    chosen: dict[str, Any]

    @classmethod
    def of(cls, job: Job) -> _Ran:
        return cls(job.config, flatten(job.config),
                   {k: override_value(v) for k, v in map(split_override, job.overrides or [])})


def _among_the_jobs(label: str, swept: set[str], ran: _Ran) -> bool:
    """Whether the jobs may run a target's condition (its label's), but for the settings they vary
    (``swept``): each of its other settings is as one job ``ran`` it, as every job shares them.
    Where the record cannot tell, they may."""
    return all(_varies(key, swept) or _runs(key, value, ran, unsure=True)
               for key, value in map(split_override, condition_overrides(label)))


def _varies(key: str, swept: set[str]) -> bool:
    """Whether the jobs vary ``key``: a setting, or a preset (org) and so any of its settings."""
    return any(under(v, (key,)) for v in swept)


def _runs(key: str, value: str, ran: _Ran, unsure: bool) -> bool:
    """Whether the job ``ran`` describes runs a condition's ``key=value`` (read as Hydra reads
    it): a setting as its config holds it, the investments (a list group) as its config names
    them, a preset (org=large) as its overrides choose it. Where the record cannot tell (a preset
    left at its default, a key its config lacks): ``unsure``."""
    typed = override_value(value)
    if key in LIST_GROUPS and isinstance(ran.config.get(key), dict):
        return set(typed if isinstance(typed, list) else [typed]) == set(ran.config[key])
    if key in ran.flat:
        held = ran.flat[key]
        if isinstance(typed, bool) or isinstance(held, bool):
            return typed is held
        return typed == held or str(typed) == str(held)
    return ran.chosen[key] == typed if key in ran.chosen else unsure


def _varied_settings(jobs: list[Job]) -> set[str]:
    """The settings (flattened keys) whose values are not the same in every job."""
    flat = [flatten(j.config) for j in jobs]
    keys = set().union(*flat) if flat else set()
    return {k for k in keys if any(f.get(k, MISSING) != flat[0].get(k, MISSING) for f in flat[1:])}


def _fits_ran(jobs: list[Job]) -> list[tuple[Job, dict]]:
    """Each job with each named fit its manifest records it ran (applied_fits.provenance)."""
    return [(j, fit) for j in jobs for fit in j.manifest.get("calibrated") or []
            if isinstance(fit, dict) and fit.get("name")]


def fits_apart_note(jobs: list[Job]) -> list[str]:
    """A fit's name is one file that a later study of that name replaces: when the jobs compared
    ran different fits under one name (their manifests say which), part of every difference
    between them is the change of fit, which their configs show only as changed values."""
    held: dict[str, dict[str, list[str]]] = {}  # name -> fit -> the jobs that ran it
    for j, fit in _fits_ran(jobs):
        held.setdefault(str(fit["name"]), {}).setdefault(str(fit.get("fit") or "a fit whose file names "
                                                         "no study"), []).append(j.label)
    return [f"+calibrated={name} held {len(fits)} different fits when these jobs ran (a study of that "
            f"name resumed or run again in between): "
            + " | ".join(f"{fit} ({first_few(labels, NAMED_IN_A_NOTE, '; ')})" for fit, labels in fits.items())
            + ". Part of every difference between them is the fit's; run them again with one fit."
            for name, fits in held.items() if len(fits) > 1]


def fits_alone_said(jobs: list[Job]) -> str:
    """That the scenarios differ by their fits alone (the sweep varies +calibrated and nothing
    else): a researcher compared two fits and was told one came first by a net gain, paid back
    in month 1 and returned 472% on what nothing buys. '' for any other sweep."""
    typed = [getattr(j, "overrides", None) for j in jobs]  # a result built by hand may not say
    if len(jobs) < 2 or any(o is None for o in typed) or any(getattr(j, "elsewhere", "") for j in jobs):
        return ""  # a run apart may differ in files its overrides do not show
    apart = {k.lstrip("+~") for k in swept_keys(typed)}
    ran = {tuple((f.get("name"), f.get("sha256")) for f in j.manifest.get("calibrated") or []
                 if isinstance(f, dict)) for j in jobs}
    # sim.workers, sim.scenario and the like change no figure
    if "calibrated" not in apart or len(ran) < 2 or apart - {"calibrated", "sim.replications",
                                                             *NOT_DIFFERENCES}:
        return ""
    return ("These scenarios differ by their calibrated fits alone (+calibrated), not by an investment: "
            "the ranking reads one fit's figures against another's as a net gain, ROI and payback that "
            "nothing buys. Read their figures as what each fit makes of the same organization, and score "
            "each fit on its targets: salessim-calibrate calibration.name=NEW calibration.free=[] "
            "+calibrated=NAME (docs/calibration.md, section 5).")


def fits_changed_note(jobs: list[Job]) -> list[str]:
    """A fit whose file has changed, or gone, since the jobs read it (a study of its name resumed
    after the sweep): a researcher's comparison named +calibrated=ours as the jobs ran it, and its
    next steps' commands would have run the fit the file holds now, without a word."""
    changed, gone = fits_changed([fit for _, fit in _fits_ran(jobs)])
    named = lambda names: ", ".join(f"+calibrated={n}" for n in names)  # noqa: E731
    notes = []
    if changed:
        notes.append(f"The {plural(len(changed), 'file')} of {named(changed)} "
                     f"{'has' if len(changed) == 1 else 'have'} changed since these jobs read "
                     f"{'it' if len(changed) == 1 else 'them'} (a study of that name run again or resumed): "
                     "these results are of the fits the jobs read, as their manifests record them; a command "
                     "that names the fit now, the next steps' included, runs what its file holds now.")
    if gone:  # moved, or results made on another machine: +calibrated may find a file elsewhere
        one = len(gone) == 1
        notes.append(f"The {plural(len(gone), 'file')} these jobs read {named(gone)} from (as their "
                     f"manifests record {'it' if one else 'them'}) {'is' if one else 'are'} not there now "
                     "(moved, or the results made on another machine): a command that names the fit now runs "
                     "the file of that name it finds, if any, which need not hold the fit these jobs ran.")
    return notes


def fits_on_another_setup_note(jobs: list[Job]) -> list[str]:
    """salessim's word at run time, said again for the reader of the comparison: each fit the
    jobs ran on another number of sellers, horizon or warm-up than its study's (its manifest's
    ``fitted_with``), so its values need not meet its targets in these runs."""
    ran: dict[tuple[str, str], list[Job]] = {}  # (name, its "Fitted with" line) -> the jobs
    for j, fit in _fits_ran(jobs):
        ran.setdefault((str(fit["name"]), str(fit.get("fitted_with") or "")), []).append(j)
    notes = []
    for (name, line), ran_it in ran.items():
        fitted = fitted_setup_of(fitted_with_settings(line))
        setups = {}  # the setups apart from the fit's, each once as said, in the jobs' order
        for j in (ran_it if fitted else []):  # a fit whose header does not say: no word
            here = {key: float(reduce(getattr, key.split("."), j.cfg)) for key in SETUP_KEYS}
            if setup_differs(fitted, here):
                setups.setdefault(setup_said(here), (here, []))[1].append(j.label)
        if not setups:
            continue
        labels = [label for _, apart in setups.values() for label in apart]
        named = first_few(labels, NAMED_IN_A_NOTE, "; ")
        who = ("these jobs ran" if len(labels) == len(jobs) else f"the jobs that ran it ({named}) ran"
               if len(labels) == len(ran_it) else f"of the jobs that ran it, {named} ran")
        notes.append(another_setup_said(name, fitted, [here for here, _ in setups.values()], who) + ".")
    return notes


def versions_apart_note(jobs: list[Job]) -> list[str]:
    """Jobs run by different salessim code (their manifests' git commit, or the package's version
    where the code was not a git checkout): part of every difference between them is the code's,
    which no setting shows, and settings an older version lacked were read at today's defaults."""
    made: dict[str, list[str]] = {}  # the code -> the jobs it ran
    for j in jobs:
        commit, version = code_of(j.manifest)
        code = (f"commit {commit[:10]}" + (" with uncommitted changes" if commit.endswith("+dirty") else "")
                if commit else f"salessim {version}" if version else "an unrecorded version")
        made.setdefault(code, []).append(j.label)
    if len(made) < 2:
        return []
    return ["These jobs were run by different salessim code: "
            + " | ".join(f"{code} ({first_few(labels, NAMED_IN_A_NOTE, '; ')})"
                         for code, labels in made.items())
            + ". Part of every difference between them is the code's, not the settings' (and settings "
            "older code lacked were read at today's defaults); run them again with one version."
            + _figures_not_written(jobs)]


def _figures_not_written(jobs: list[Job]) -> str:
    """The summary figures some of the jobs' code did not write, blank ('-') for those jobs, named
    job by job (jobs that lack the same figures together): a comparison with older runs showed a
    new figure's rows empty without a word why."""
    read = [j for j in jobs if j.summary is not None]
    written = list(dict.fromkeys(c for j in read for c in j.summary.columns))
    lacking: dict[tuple[str, ...], list[str]] = {}  # the figures a job lacks -> the jobs
    for j in read:
        absent = tuple(c for c in written if c not in j.summary.columns)
        if absent:
            lacking.setdefault(absent, []).append(j.label)
    said = [f"{first_few(labels, NAMED_IN_A_NOTE, '; ')} did not write "
            f"{first_few(list(absent), NAMED_IN_A_NOTE)}" for absent, labels in lacking.items()]
    return f" Figures blank ('-') where a job lacks them: {'; '.join(said)}." if said else ""


DRIFT_SAID = 0.05  # a change of the baseline's bookings between the window's first and last year


def baseline_drift_note(baseline: Job) -> str:
    """The baseline's bookings in the window's first and last 12 months, when they differ by
    DRIFT_SAID or more: the model's customer base grows (docs/model.md, limits), so the levels and
    a lever's yearly effect depend on the horizon, which a reader comparing two reports of
    different sim.years should know. '' for a window shorter than two years."""
    warmup = baseline.cfg.sim.warmup_months
    monthly = baseline.monthly[baseline.monthly.month >= warmup]
    months = sorted(monthly.month.unique())
    if len(months) < 2 * 12:
        return ""
    by_month = monthly.groupby("month")[BOOKINGS].mean()
    first, last = float(by_month.loc[months[:12]].sum()), float(by_month.loc[months[-12:]].sum())
    if first <= 0 or abs(last / first - 1.0) < DRIFT_SAID:
        return ""
    return (f"The baseline's bookings {'rise' if last > first else 'fall'} from "
            f"{millions(first)}M USD in the window's first 12 months to {millions(last)}M in its last 12 "
            f"({last / first - 1.0:+.0%}): won prospects become customers who buy again, "
            + ("while customers leave at the yearly shares market.segments.<segment>.customer_churn sets"
               if _loses_customers(baseline)
               else "and the model loses none of them unless told to (market.segments.<segment>."
                    "customer_churn, the yearly share of customers lost, is 0 by default): set it to your "
                    "market's to see what losing them changes, the baseline's level and a gain alike (a gain "
                    "can rise with it, where better selling keeps customers who would leave)")
               # a strategist's walk read 'gains ... run higher than where customers leave' and
               # found a pair's gain higher with churn on (docs/model.md, section 9.7)
            + " (docs/model.md, 'Limits and assumptions'); levels and yearly effects depend on "
            "sim.years, so compare scenarios at one horizon.")


def _loses_customers(job: Job) -> bool:
    """Whether a job ran with customers lost (market.segments.<segment>.customer_churn above 0),
    as its manifest's config says (a config from before the key has none)."""
    segments = (job.config.get("market") or {}).get("segments") or {}
    return any((s or {}).get("customer_churn", 0) > 0 for s in segments.values())


def apart_from_sweep(result) -> list[str]:
    """The names of the runs from outside the sweep, the baseline (--baseline FOLDER) and those set
    beside its jobs (--with): they share none of the sweep's own settings, and the names of the
    sweep's jobs drop those (short_names), as the sweep's own lines do."""
    apart = [result.baseline.scenario] if getattr(result, "baseline_elsewhere", False) else []
    return apart + [j.scenario for j in getattr(result, "beside", [])]


def pairing_notes(baseline: Job, jobs: list[Job]) -> list[str]:
    """Pairing assumes common random numbers: say when jobs break that assumption, in one line
    for the jobs that break it alike (a sweep's jobs against a baseline run apart share them)."""
    named: dict[str, list[str]] = {}  # what breaks it -> the scenarios that do
    base_sim, base_reps = baseline.cfg.sim, set(baseline.summary.replication)
    for job in jobs:
        sim, reps = job.cfg.sim, set(job.summary.replication)
        if another_seed(baseline, job):
            named.setdefault(f"{seeds_said(job)}, the baseline "
                             f"{seeds_said(baseline)}: their replications do not share the "
                             "baseline's random numbers, so pairing does not narrow their intervals, "
                             "and part of every difference, from the first day on (the warm-up's "
                             "too), is chance.", []).append(job.scenario)
            if seed_alone(baseline, job):
                named.setdefault("the baseline's settings with another seed alone: every change shown "
                                 "for them (bookings, net gain, ROI, payback) is chance, how far two "
                                 "sets of replications of one configuration fall apart, not the effect "
                                 "of a setting.", []).append(job.scenario)
        if window_of(job) != window_of(baseline):
            named.setdefault(f"{counted(sim.years, 'year', fmt='g')} with a {sim.warmup_months}-month warm-up, the "
                             f"baseline {base_sim.years:g} with {base_sim.warmup_months}: their yearly "
                             "figures come from different windows, so part of the difference is the "
                             f"window's, not the settings'; {_window_counted(sim, base_sim)}",
                             []).append(job.scenario)
        if reps != base_reps:
            named.setdefault(f"{counted(len(reps), 'replication')}, the baseline {len(base_reps)}: paired "
                             f"differences use the {len(reps & base_reps)} they share.",
                             []).append(job.scenario)
    # "; " between names: a scenario's name may hold commas
    return [f"{first_few(scenarios, NAMED_IN_A_NOTE, '; ')}: {said}" for said, scenarios in named.items()]


def unlike_the_baseline(baseline: Job, job: Job, window_said: bool = False, notes: str = "below") -> str:
    """The caveat of the opening answer when its scenario was not paired with the baseline as a
    ranking assumes (pairing_notes says how, further down, where a reader who stops at the answer
    did not look): '' when it was. ``window_said``: the answer has said it measures another window;
    ``notes``: where the notes are, 'below' the report's answer, 'above' the terminal's."""
    other_window = not window_said and window_of(job) != window_of(baseline)
    reasons = [why for unlike, why in (
        (another_seed(baseline, job), "on other random numbers than the baseline (another sim.seed), "
                                      "so part of its difference is chance"),
        (other_window, "over another window than the baseline (sim.years, sim.warmup_months), so part of "
                       "its difference is the window's"))
        if unlike]
    if not reasons:
        return ""
    return (f"Read it with care: it ran {'; and '.join(reasons)}, not its settings' (the notes {notes} say "
            "more).")


def _window_counted(sim, base_sim) -> str:
    """What a scenario's payback and NPV count when its window is not the baseline's, and that a
    warm-up of another length changes what is simulated as well as what is measured."""
    horizon = ("the months both simulate" if sim.years == base_sim.years else
               "the months both simulate, to the shorter horizon")
    if sim.warmup_months == base_sim.warmup_months:
        return f"their paybacks and NPVs count {horizon}."
    included = (", months of the baseline's warm-up included"
                if sim.warmup_months < base_sim.warmup_months else "")
    return (f"their paybacks and NPVs count from the end of their own warm-up, over {horizon}"
            f"{included}; and a warm-up of another length is another organization's calendar, not "
            "only another window (its quota periods start when it ends), so even doing nothing "
            "differs.")


def another_seed(baseline: Job, job: Job) -> bool:
    """Whether ``job`` ran on other random numbers than the baseline (no sim.seed they share)."""
    return not set(seeds_of(job)) & set(seeds_of(baseline))


def seed_alone(baseline: Job, job: Job) -> bool:
    """Whether ``job`` is the baseline's configuration run with another seed (and perhaps another
    number of replications): whatever it shows against the baseline is chance."""
    keys = {k for k, _, _ in changed_settings(asdict(baseline.cfg), asdict(job.cfg))
            if k not in NOT_DIFFERENCES and k != "sim.replications"}
    return another_seed(baseline, job) and keys == {"sim.seed"}


def window_only_scenarios(baseline: Job, jobs: list[Job], paid_back: pd.DataFrame) -> list[Job]:
    """The jobs measured over another window than the baseline's whose money is the baseline's in
    every month and replication both measure (no payback curve, yet replications shared): the
    same settings on the same random numbers, another sim.years or sim.warmup_months."""
    shared = set(baseline.summary.replication)
    return [j for j in jobs if window_of(j) != window_of(baseline)
            and not paid_back.at[j.scenario, "window_months"] and shared & set(j.summary.replication)]


FIXED_FEES = ("one_off_cost_usd", "running_cost_usd_per_year")  # an investment's costs not per seller
SIZE_FEES_ARE_SET_FOR = Config().org.sellers  # the shipped investments' fees: docs/model.md, 16.9
SIZE_APART = 1.5  # a size this many times larger or smaller than that is named


def fixed_fees_note(jobs: list[Job], baseline: Job) -> list[str]:
    """The investments whose fees do not scale with the organization's size, where it is far from
    the default's, for which the shipped investments' fees are set: at 20 sellers a content
    library's 250,000 weighs five times as much per seller, which a strategist's walk found
    unsaid, its ROI the lower for it."""
    sellers = baseline.cfg.org.sellers if baseline.cfg is not None else SIZE_FEES_ARE_SET_FOR
    if 1 / SIZE_APART < sellers / SIZE_FEES_ARE_SET_FOR < SIZE_APART:
        return []
    fees: dict[str, str] = {}
    for j in jobs:
        for name, settings in (recorded_investments(j) or {}).items():
            paid = {k: float(settings.get(k) or 0.0) for k in FIXED_FEES}
            # the shipped fees alone: a user's own investment, or fees set anew, are theirs (a walk
            # found its own 35-seller CRM named among "the shipped investments' fees")
            if name not in fees and any(paid.values()) and paid == _shipped_fees(name):
                fees[name] = " and ".join(f"{v:,.0f} {'a year' if 'year' in k else 'at its start'}"
                                          for k, v in paid.items() if v)
    if not fees:
        return []
    said = "; ".join(f"{name}: {fee}" for name, fee in fees.items())
    return [f"Fixed fees of shipped investments, which do not grow or shrink with the organization "
            f"({said}): this one has {sellers} sellers (org.sellers), and those fees are set for "
            f"{SIZE_FEES_ARE_SET_FOR} (docs/model.md, section 16.9), so here each weighs "
            f"{SIZE_FEES_ARE_SET_FOR / sellers:.1f} times as much per seller; set them to what they would "
            "cost you (investment.NAME.one_off_cost_usd, investment.NAME.running_cost_usd_per_year) "
            "before reading their net gain and ROI: in a sweep whose baseline selects none, in a copy "
            "of the investment's file under a name of your own (README, 'Your own organization'), since "
            "a setting typed on the command line reaches every job."]


@functools.cache
def _shipped_fees(name: str) -> dict[str, float] | None:
    """The fixed fees of the shipped investment ``name`` (configs/investment/NAME.yaml), None for
    an investment salessim does not ship."""
    # placed at its package as Hydra places it; None where no such file is shipped
    shipped = placed_content(CONFIG_DIR / "investment" / f"{name}.yaml", "investment", name)
    try:
        settings = shipped["investment"][name]
        return {k: float(settings.get(k) or 0.0) for k in FIXED_FEES}
    except (KeyError, TypeError, AttributeError, ValueError):
        return None


def window_only_note(jobs: list[Job]) -> list[str]:
    """Their yearly changes are the window's alone: the baseline's own figures over another window
    (bookings grow over the years), not the effect of a setting, whatever their intervals say."""
    if not jobs:
        return []
    it, its = ("it", "its") if len(jobs) == 1 else ("them", "their")
    return [f"{first_few([j.label for j in jobs], NAMED_IN_A_NOTE, '; ')}: the same as the baseline in "
            "every month both measure (bookings and costs, replication by replication), so the yearly "
            f"changes shown for {it} (bookings, net gain) are {its} window's (sim.years, "
            "sim.warmup_months), not the effect of a setting: no ROI is shown, and the payback says "
            "'no change (other window)'. Compare settings at one horizon and warm-up."]


def _alike(jobs: list[Job]) -> list[list[Job]]:
    """The jobs grouped by their bookings, replication by replication: a group of several
    simulated alike (identical_notes)."""
    same: dict[tuple, list[Job]] = {}
    for j in jobs:
        bookings = j.summary.set_index("replication")[BOOKINGS].sort_index()
        same.setdefault((tuple(bookings.index), tuple(bookings)), []).append(j)
    return list(same.values())


def identical_notes(jobs: list[Job]) -> list[str]:
    """Jobs whose configs differ yet whose bookings match in every replication: what differs
    changes nothing in this organization (spans of control that round to the same number of
    FSMs in a small one), which a reader should not take for a measured zero effect."""
    notes = []
    for group in (g for g in _alike(jobs) if len(g) > 1):
        if len({config_hash(j.config) for j in group}) == 1:  # run again, as is: nothing differs
            notes.append(f"{', '.join(j.label for j in group)}: the same configuration, run "
                         f"{counted(len(group), 'time')}, so the same results: one scenario listed "
                         f"{'twice' if len(group) == 2 else f'{len(group)} times'}.")
            continue
        costs = {tuple(j.summary.sort_values("replication")[COST]) for j in group if COST in j.summary}
        notes.append(f"{', '.join(j.label for j in group)}: identical bookings in every replication: "
                     "the settings that differ between them "
                     + ("change nothing in this organization (e.g. spans of control that round to the "
                        "same number of FSMs)." if len(costs) <= 1
                        else "change no deal, only what they cost (e.g. an investment's fee), which "
                             "their net gains and ROIs show."))
    return notes + _replications_apart_notes(jobs)


def _without_replications(job: Job) -> str:
    """The fingerprint of what ``job`` ran, its number of replications aside."""
    sim = {k: v for k, v in job.config.get("sim", {}).items() if k != "replications"}
    return config_hash({**job.config, "sim": sim})


def _replications_apart_notes(jobs: list[Job]) -> list[str]:
    """Jobs of one configuration run with different numbers of replications (a sweep of
    sim.replications alone): on the replications they share they are one simulation, so a
    difference of 0 [0, 0] between them is no measured effect (a walk read 'ties with it' and 'it
    may return nothing')."""
    notes = []
    same: dict[str, list[Job]] = {}
    for j in jobs:
        same.setdefault(_without_replications(j), []).append(j)
    for group in same.values():
        counts = sorted({len(j.summary) for j in group})
        if len(counts) < 2:  # one number of replications: identical_notes' case, or one job
            continue
        bookings = [j.summary.set_index("replication")[BOOKINGS] for j in group]
        shared = bookings[0].index
        for b in bookings[1:]:
            shared = shared.intersection(b.index)
        if not all(b.reindex(shared).equals(bookings[0].reindex(shared)) for b in bookings):
            continue  # another version of the model ran one of them
        notes.append(f"{', '.join(j.label for j in group)}: the same configuration, run with "
                     f"{and_listed([str(n) for n in counts])} replications, so the same results in "
                     "the replications they share: one scenario, its paired differences 0 by "
                     "construction, not a measured effect.")
    return notes


def same_exits_note(jobs: list[Job], baseline: Job | None = None) -> list[str]:
    """Scenarios whose bookings differ but whose turnover matches in every replication, on the
    same random numbers and window: all of them, or else those that match ``baseline``'s; then,
    segment by segment, those whose turnover in a segment matches the baseline's though their
    bookings there differ (and their turnover overall does not). Each seat draws its exits from
    numbers of its own (common random numbers), so a small change in the exit hazard moves an
    exit only where it crosses one of them, which in a small organization or segment over a short
    window may be none. A turnover column alike down the table, or a change in turnover of 0.0 pp
    with an interval of no width, then reads as a measured 'no effect on attrition' (a 60% quota
    stretch, a year of 20 sellers; a training's SMB turnover, 60 sellers over 2 years)."""
    alike = ["replication", "seed", "window_years", "seller_turnover_rate"]
    if len(jobs) < 2 or any(not set(alike) <= set(j.summary) for j in jobs):
        return []
    turnover, bookings = _by_replication(jobs, alike), _by_replication(jobs, [BOOKINGS])
    if len(set(turnover)) == 1:
        if len(set(bookings)) == 1:  # identical_notes' case
            return []
        every = "both scenarios" if len(jobs) == 2 else f"all {len(jobs)} scenarios"
        return [f"Seller turnover is the same in every replication of {every}, though their bookings "
                f"differ. {_no_exit_moved()} Their turnover columns alike are {_NOT_NO_EFFECT}"]
    b = next((i for i, j in enumerate(jobs) if j is baseline), None)
    if b is None:  # a baseline apart (--baseline RUN_FOLDER) is among the jobs too
        return []
    same = [i for i in range(len(jobs))
            if i != b and turnover[i] == turnover[b] and bookings[i] != bookings[b]]
    notes = [f"{', '.join(jobs[i].label for i in same)}: seller turnover is the baseline's in every "
             f"replication, though the bookings differ. {_no_exit_moved()} A change in turnover of 0.0 pp, "
             f"with an interval of no width, is {_NOT_NO_EFFECT}"] if same else []
    segments: dict[int, list[str]] = {}  # scenario -> the segments where its exits are the baseline's
    for column in sorted(c for c in jobs[b].summary if c.startswith(TURNOVER_IN)):
        segment = column.removeprefix(TURNOVER_IN)
        if any(not {column, f"{BOOKINGS}_{segment}"} <= set(j.summary) for j in jobs):
            continue
        seg_turnover = _by_replication(jobs, [*alike[:3], column])
        seg_bookings = _by_replication(jobs, [f"{BOOKINGS}_{segment}"])
        for i in range(len(jobs)):
            if (i != b and i not in same and seg_turnover[i] == seg_turnover[b]
                    and _moved(seg_bookings[i], seg_bookings[b])):
                segments.setdefault(i, []).append(segment)
    if segments:
        where = "; ".join(f"{jobs[i].label} in {' and '.join(map(segment_label, segs))}"
                          for i, segs in segments.items())
        notes.append(f"Seller turnover in some segments is the baseline's in every replication, though the "
                     f"bookings there differ: {where}. {_no_exit_moved(' in those segments')} A change of "
                     f"0.0 pp in such a segment's turnover, with an interval of no width, is "
                     f"{_NOT_NO_EFFECT}")
    return notes


TURNOVER_IN = "seller_turnover_rate_"  # a segment's turnover column, by its name after this
_NOT_NO_EFFECT = ("not a measured 'no effect on attrition'; a longer horizon (sim.years) or more sellers "
                  "might show one.")


def _no_exit_moved(where: str = "") -> str:
    """Why a turnover the baseline's in every replication is no measured effect (``where``: of which
    sellers, ' in those segments')."""
    return (f"No seller's exit{where} moved between the scenarios: each seat draws its exits from random "
            "numbers of its own, so a small change in the chance of leaving seldom moves an exit in a small "
            "organization or a short window.")


def _moved(bookings: tuple, baseline: tuple) -> bool:
    """Whether a segment's bookings (_by_replication's, one value each) moved from the baseline's
    one way in every replication. A segment the scenario does not act on moves by a little either
    way (mid-market's under SMB inside sales, through FSMs shared across segments), and its exits
    the baseline's are then no puzzle to note; one it acts on moves one way, though with three
    replications its change may not be settled (a training's SMB bookings, +559,274 [-26,591,
    +1,145,140])."""
    differences = [mine[0] - theirs[0] for mine, theirs in zip(bookings, baseline)]
    return all(d > 0 for d in differences) or all(d < 0 for d in differences)


def _by_replication(jobs: list[Job], columns: list[str]) -> list[tuple]:
    """Each job's ``columns``, replication by replication: equal tuples are equal in every one."""
    return [tuple(j.summary.sort_values("replication")[columns].itertuples(index=False)) for j in jobs]


PARTLY_PAIRED = "†"


def partly_paired(scenarios: pd.DataFrame,
                  names: Mapping[str, str] | None = None) -> tuple[set[str], str]:
    """Scenarios whose paired bookings difference leaves out replications that their mean or the
    baseline's uses (jobs run with different sim.replications), and a footnote saying so (calling
    them by ``names`` where given): shared replications replay the same seeds, so two equal
    configs differ by exactly 0 while their means, over different replications, do not."""
    base_n = int(scenarios.n[scenarios.baseline.astype(bool)].iloc[0])
    part = scenarios[~scenarios.baseline.astype(bool) & (scenarios.pairs < scenarios.n.clip(lower=base_n))]
    if part.empty:
        return set(), ""
    which = "; ".join(f"{(names or {}).get(r.scenario, r.scenario)}: {r.pairs} of its {r.n}"
                      for r in part.itertuples())
    return set(part.scenario), (
        f"{PARTLY_PAIRED}: the paired difference uses only the replications shared with the baseline, "
        f"which replay the same seeds ({which}; the baseline has {base_n}). The means average all of "
        "each job's replications, so their gap need not match the paired difference.")


def _quotas_set(job: Job) -> dict[str, tuple[str, Any, str | None]]:
    """What each investment of ``job`` does to quotas: a compensation plan's multiplier (every
    segment's sellers), a coverage role's quota for the seats it converts or adds in its segment
    (None where it has none), as the job ran them (its manifest's record, else its config)."""
    out = {}
    for name, spec in (recorded_investments(job) or job.cfg.investment).items():
        spec = spec or {}
        if spec.get("kind") == "compensation":
            out[name] = ("quota_multiplier", spec.get("quota_multiplier", 1.0), None)
        elif spec.get("kind") == "coverage":
            seats = spec.get("convert_share") or spec.get("added_sellers")
            out[name] = ("quota_usd", spec.get("quota_usd") if seats else None, spec.get("segment"))
    return out


SEGMENT_QUOTA = "compensation.quota_usd."  # + a segment: that segment's quota


def _quota_changes(baseline: Job, job: Job) -> list[tuple[str, str | None]]:
    """quota_changes, each setting with the segment whose sellers' quotas it sets (None: every
    segment's)."""
    plain = [(key, key.removeprefix(SEGMENT_QUOTA) if key.startswith(SEGMENT_QUOTA) else None)
             for key, _, _ in changed_settings(
                 {k: v for k, v in baseline.config.items() if k != "investment"},
                 {k: v for k, v in job.config.items() if k != "investment"})
             if "quota" in key and "quota_period" not in key]
    mine, theirs = _quotas_set(job), _quotas_set(baseline)
    neutral = {"quota_multiplier": 1.0, "quota_usd": None}
    for name in sorted(set(mine) | set(theirs)):
        setting, _, segment = mine.get(name) or theirs[name]
        unset = (setting, neutral[setting], segment)  # an investment one of the two does not hold
        if mine.get(name, unset)[1] != theirs.get(name, unset)[1]:
            plain.append((f"investment.{name}.{setting}", segment))
    return plain


def quota_changes(baseline: Job, job: Job) -> list[str]:
    """The settings by which ``job``'s sellers carry other quotas than ``baseline``'s: a quota of
    the configuration, a compensation plan's multiplier, a coverage role's quota. (A quota period
    changes when attainment is judged, not the quota summed over a year, which making quota is
    measured against.)"""
    return [key for key, _ in _quota_changes(baseline, job)]


OTHER_QUOTAS = "‡"  # marks a share of sellers making quota measured against other quotas
QUOTA_SHARE = KEY_METRICS[2]  # sellers making quota; QUOTA_SHARE_<segment>, a segment's


def other_quotas(baseline: Job, jobs: list[Job]) -> dict[str, frozenset[str | None]]:
    """The scenarios of ``jobs`` whose sellers carry other quotas than ``baseline``'s
    (quota_changes), each with the segments whose quotas differ (None: every segment's): their
    share of sellers making quota, the whole one and those segments', is marked OTHER_QUOTAS
    wherever it is shown beside the others'."""
    found = {j.scenario: frozenset(seg for _, seg in _quota_changes(baseline, j))
             for j in jobs if j is not baseline}
    return {s: segments for s, segments in found.items() if segments}


def quotas_apart(result, metric: str = QUOTA_SHARE) -> frozenset[str]:
    """The scenarios whose ``metric`` is measured against other quotas than the baseline's (its
    sellers making quota, or a segment's, QUOTA_SHARE_<segment>), by other_quotas: as compare()
    found them once, else (a result built otherwise) worked out from its baseline and jobs; none
    without a baseline, nor for another metric."""
    segment = None if metric == QUOTA_SHARE else metric.removeprefix(f"{QUOTA_SHARE}_")
    if segment == metric:
        return frozenset()
    found = getattr(result, "other_quotas", None)
    if found is None:
        base = getattr(result, "baseline", None)
        found = other_quotas(base, getattr(result, "jobs", [])) if base is not None else {}
    return frozenset(s for s, segments in found.items()
                     if segment is None or None in segments or segment in segments)


def other_quotas_footnote(marked: set[str]) -> str:
    """The line under a table whose sellers-making-quota figures carry OTHER_QUOTAS."""
    return (f"{OTHER_QUOTAS}: sellers making quota measured against other quotas than the baseline's (a note "
            "names the settings): its change is partly the quotas', not more selling" if marked else "")


def other_quotas_note(baseline: Job, others: list[Job]) -> list[str]:
    """Scenarios whose sellers carry other quotas than the baseline's (quota_changes). Their share
    of sellers making quota is measured against those quotas, so its change is partly the quotas'
    (SMB inside sales: +22 pp making quota, on a quota cut from 580,000 to 480,000)."""
    said = [f"{j.label} by {', '.join(why)}" for j in others if (why := quota_changes(baseline, j))]
    if not said:
        return []
    one = len(said) == 1
    return [f"Sellers making quota is measured against each scenario's own quotas, and "
            f"{'one sets' if one else f'{len(said)} set'} other quotas than the baseline's: "
            f"{first_few(said, NAMED_IN_A_NOTE, '; ')}. {'Its' if one else 'Their'} change in sellers making "
            f"quota is partly the quotas', not more selling: judge {'it' if one else 'them'} by bookings and "
            "net gain."]
