"""What a calibration writes: calibrated.yaml, the terminal fit table and fit_report.html."""

from __future__ import annotations

import html
import json
import math
import re
import shlex
from datetime import datetime
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import optuna
import pandas as pd
import yaml
from matplotlib.ticker import MaxNLocator

from salessim.applied_fits import (FIGURES_LINE, FIT_LINE, FITTED_LINE, MONITORED_LINE, STUDY_LINE,
                                   TARGETS_LINE, USE_LINE, condition_read, fitted_through, header_line,
                                   on_top_line, quality_line, scaled_line)
from salessim.calibrated_fits import calibrated_dir, fits_moved, searchpath_entry
from salessim.calibration.params import apply, locate, value_in
from salessim.calibration.storage import FIT_FILES, url_shown
from salessim.calibration.study import (MIN_NEAR_BEST, NEAR_BEST_SHARE, PINNED_SPREAD, RECOVERED_ERROR, Problem,
                                        UNREACHED_Z, best_trial, fresh_replications, objective_of,
                                        pruned_trials, trials_said, values_of)
from salessim.calibration.targets import fewer_facts
from salessim.config import CalibrationConfig
from salessim.overrides import list_items, split_outside, split_override
from salessim.plots import png
from salessim.plural import counted
from salessim.html_page import CSS, html_figure, html_table
from salessim.report_table import aligned


def study_origin(cal: CalibrationConfig, out: Path) -> str:
    """Which study a fit comes from: its name and where it is stored (a database's password left
    out), so that workers of one study, wherever they run, are known to be one."""
    if cal.storage:
        where = url_shown(cal.storage)
    else:
        where = str((out / "study.journal").resolve())
    return f"{cal.name!r} in {where}"


def study_of(calibrated: Path) -> str | None:
    """The study a calibrated.yaml names in its header: None when there is no such file, "" when
    its header names none (an older salessim-calibrate wrote it)."""
    if not calibrated.is_file():
        return None
    return header_line(calibrated, STUDY_LINE) or ""


def use_line(name: str, setup: list[str], installed: bool = True,
             replications: int | None = None) -> str:
    """How to run a calibration's fit: its parameters alone hold no organization or horizon, so
    the model settings the study was run with are named, to simulate the fit's own setup, and
    ``replications``, those of its fit table (fit.csv), which a run needs to give the same figures.
    A fit that is not installed (a recovery study's) is run from a copy in a folder of one's own."""
    own_setup = [o for o in setup if split_override(o)[0] != "calibrated"]
    own = " ".join(shlex.quote(o) for o in [_fits_applied(name, setup), *own_setup])
    copy = f"copy this file to FOLDER/calibrated/{name}.yaml and add hydra.searchpath=[file://FOLDER]; then "
    if not installed:
        where = f"not installed (a recovery study): {copy}"
    elif fits_moved() and not searchpath_entry(calibrated_dir()):
        # SALESSIM_CALIBRATED_DIR holds the fit where no search path entry finds it
        where = f"installed in {calibrated_dir()}, which +calibrated does not read: {copy}"
    else:
        where = ""
    return (f"{where}salessim +calibrated={name} runs the fitted values on the organization and "
            "horizon the command sets (the defaults if none"
            + (f"; fit.csv's figures are its own setup's with sim.replications={replications}"
               if replications else "") + "); the fit's own setup: "
            + (f"salessim {own}" if setup else "the defaults"))


def _fits_applied(name: str, setup: list[str]) -> str:
    """``+calibrated=NAME``, or, for a study run on top of earlier fits (``+calibrated=OLD`` in
    its setup), all of them in order, as one list: Hydra refuses ``+calibrated`` twice, and the
    new fit was made with the earlier one's values for the parameters it does not fit."""
    earlier = [part for key, value in map(split_override, setup) if key == "calibrated"
               for part in list_items(value)]
    fits = [*dict.fromkeys(f for f in earlier if f != name), name]  # a fit replaced by this one is gone
    return f"+calibrated={fits[0]}" if len(fits) == 1 else f"+calibrated=[{','.join(fits)}]"


def calibrated_yaml(problem: Problem, best: optuna.trial.FrozenTrial, cal: CalibrationConfig,
                    targets_name: str, trials: str, study: str, setup: list[str],
                    on_top: dict[str, str] | None = None, fit: pd.DataFrame | None = None) -> str:
    """The best parameters as a config to pass back: ``salessim +calibrated=<name>``; its header
    says what they were fitted to and with which simulation settings (``setup``: the study's
    overrides of the model's settings), on top of which fits (``on_top``: files_hashed), and how
    the fit met its targets (``fit``: the fit table, with the model as set up beside it)."""
    base, fitted = problem.bases[()], values_of(problem, best.params)
    cfg = apply(base, fitted)
    # A scaled key's value is the study's level times the factor: on other levels it replaces them.
    scaled = {".".join(path): (float(value_in(node, name)), float(fitted[p]))
              for p in problem.params if p.mode == "scale" for path, node, name in locate(base, p.key)}
    tree: dict = {}
    for p in problem.params:
        for path, node, name in locate(cfg, p.key):
            value = value_in(node, name)
            cur = tree
            for part in path[:-1]:
                cur = cur.setdefault(part, {})
            cur[path[-1]] = float(value) if isinstance(value, float) else value
    # A label fitted under one weight is fitted, whatever another target of it weighs.
    monitored = [t for t in problem.targets if not t.weight
                 and not any(u.weight and u.label == t.label for u in problem.targets)]
    head = (f"# @package _global_\n{FIT_LINE}study {cal.name!r}, targets "
            f"{targets_of(problem, targets_name)}, trial {best.number}, best of {trials}, objective "
            # no full stop: manifests and salessim-compare's report quote this line within theirs
            f"{best.value:.4g} (weighted mean squared z-score), {datetime.now():%Y-%m-%d %H:%M}\n"
            f"{FITTED_LINE}{settings_of(problem, cal)}.\n"
            f"{USE_LINE}{use_line(cal.name, setup, problem.truth is None, cal.final_replications)}\n"
            f"{STUDY_LINE}{study}\n{TARGETS_LINE}{labels(t for t in problem.targets if t.weight)}\n"
            + (f"{MONITORED_LINE}{labels(monitored)}\n" if monitored else "")
            + f"{FIGURES_LINE}{figures_json(problem.targets)}\n" + scaled_line(scaled)
            + ("" if fit is None or "setup_z" not in fit else quality_line(
                int(fit[fit.weight > 0].within_2se.sum()), int((fit.weight > 0).sum()),
                objective_of(fit.z, fit.weight), objective_of(fit.setup_z, fit.weight)))
            # not a fit this one replaces: its file is rewritten now
            + on_top_line({n: h for n, h in (on_top or {}).items() if n != cal.name}))
    return head + yaml.safe_dump(tree, sort_keys=True)


_MADE_AT = re.compile(r", \d{4}-\d{2}-\d{2} \d{2}:\d{2}\n")  # the end of the header's first line


def fit_kept(new: str, path: Path) -> str | None:
    """The text of the fit file at ``path`` where ``new`` differs from it only by when it was
    made, else None: a fit made again from the same trials keeps its file, and a fit made on top
    of it the file's hash it checks (a walk: a resume that ran no trial made every fit on top of
    it say that it had changed)."""
    try:
        old = path.read_text()
    except OSError:
        return None
    return old if _MADE_AT.sub("\n", old, count=1) == _MADE_AT.sub("\n", new, count=1) else None


def labels(targets) -> str:
    """Targets' labels as a header line lists them, each once."""
    return ", ".join(dict.fromkeys(t.label for t in targets))


def figures_json(targets) -> str:
    """Each target's figure and source by label, as JSON: salessim-compare quotes them, and a score
    that applies the fit reads which figures it was made to (applied_fits.fitted_by). A label both
    fitted and monitored (weight 0) gives the figure it was fitted to; one fitted from several
    sources gives each figure and source after the first's ([0.41, "ours", 0.46, "pilot"])."""
    figures: dict[str, list] = {}
    for t in sorted(targets, key=lambda t: not t.weight):  # the fitted first
        if t.label not in figures:
            figures[t.label] = [float(t.value), t.source]
        elif t.weight:
            figures[t.label] += [float(t.value), t.source]
    return json.dumps(figures, ensure_ascii=False)


def targets_of(problem: Problem, targets_name: str) -> str:
    """The targets a fit was made to, as calibrated.yaml's header and fit_report.html name them."""
    if problem.truth is None:
        return targets_name
    # a recovery study's targets are the model's own: not a fit to data
    return (f"made by salessim at calibration.recover={problem.truth} (a recovery study, not a fit "
            f"to data; not installed for +calibrated) from {targets_name}")


def settings_of(problem: Problem, cal: CalibrationConfig) -> str:
    """The settings a fit was made with, as calibrated.yaml's header and fit_report.html say them."""
    sim = problem.bases[()].sim
    return (f"sim.years={sim.years:g}, sim.warmup_months={sim.warmup_months}, sim.seed={sim.seed}, "
            f"org.sellers={problem.bases[()].org.sellers}, "
            f"market.decision_rule={problem.bases[()].market.decision_rule}, "
            f"calibration.replications={cal.replications} "
            f"per trial, calibration.final_replications={cal.final_replications} for the fit, "
            f"calibration.seed={cal.seed}")


def recovery_said(r) -> str:
    """How far a recovery study's best value is from the truth, and whether the near-best hold it."""
    where = ("too few trials to tell whether the near-best range holds it" if pd.isna(r.truth_in_near_best)
             else ("inside" if r.truth_in_near_best else "outside") + " the near-best range")
    verdict = ("" if pd.isna(r.truth_in_near_best) else
               ": not settled (the near-best range is wide)" if pd.isna(r.recovered) else
               ": recovered" if r.recovered else ": not recovered")
    return f"off by {r.error_share:.1%} of the range, {where}{verdict}"


RECOVERED_MEANS = (f"recovered: the near-best range is narrow and holds the truth, and the best value "
                   f"lies within {RECOVERED_ERROR:.0%} of the searched range from it")


def recovery_summary(spread: pd.DataFrame) -> str:
    """A recovery study's answer in one line: how many free parameters came back."""
    told = spread.recovered.dropna()
    unsettled = [p for p, r, inside in zip(spread.parameter, spread.recovered, spread.truth_in_near_best)
                 if pd.isna(r) and not pd.isna(inside)]
    if told.empty and not unsettled:
        return f"recovery: too few trials to tell ({MIN_NEAR_BEST} near-best needed); {RECOVERED_MEANS}"
    missed = [p for p, r in zip(spread.parameter, spread.recovered) if not pd.isna(r) and not r]
    return (f"recovery: {int(told.sum())} of {counted(len(spread), 'free parameter')} recovered"
            + (f", not {', '.join(missed)}" if missed else "")
            + (f"; not settled: {', '.join(unsettled)} (near the truth, but the near-best range is "
               "wide)" if unsettled else "") + f" ({RECOVERED_MEANS})"
            + ("; resume the study with more trials before reading a miss as the targets'"
               if missed or unsettled else ""))


NOISY = 1.0  # a trial's chance error, in the target's standard errors, above which the search is blind
QUIET = 0.5  # what the advice on replications aims for


def missed_note(fit: pd.DataFrame, out_of_reach: bool = False) -> str:
    """A study's verdict where its fit misses most of the targets it fitted (outside two standard
    errors): it is installed for +calibrated all the same, and a researcher's walk found a fit
    missing 6 of its 8 targets given no word beyond the count. '' where half or more are met.
    ``out_of_reach``: a target no trial came near (unreached_note), which more trials do not mend."""
    fitted = fit[fit.weight > 0]
    missed = int((~fitted.within_2se.astype(bool)).sum())
    if not missed * 2 > len(fitted):
        return ""
    return (f"Most fitted targets are missed ({missed} of {len(fitted)} outside two standard errors): the "
            "fit is not yet one to rely on. "
            + ("Mend the targets out of reach first (above)." if out_of_reach else
               "Resume the study for more trials (the same command), or revisit its free parameters' "
               "ranges and its targets (docs/calibration.md, section 4)."))


def unreached_note(out_of_reach: list) -> str:
    """The fitted targets no complete trial came near (study.unreached): one such target weighs
    more in the objective than all the others, so the search trades their fit for a step towards
    it (a walk's 700-day cycle, typed for 70, took the others to z 2.4), and more trials are
    unlikely to reach it. '' where every target was come near."""
    if not out_of_reach:
        return ""
    said = "; ".join(f"{t.label} ({significant(t.value, 4)} ± {significant(t.std_error, 3)}; nearest, "
                     f"trial {number}: {significant(nearest, 4)})" for t, nearest, number in out_of_reach)
    it, its = ("it", "its") if len(out_of_reach) == 1 else ("them", "their")
    return (f"No trial came within {UNREACHED_Z:g} standard errors of {said}: more trials are unlikely to "
            f"reach {it}, and the search gives up the other targets' fit to step towards {it}. Check "
            f"{its} value and unit, or free a parameter that moves {it} over a wider range "
            "(docs/calibration.md, section 4).")


def start_note(fit: pd.DataFrame, cal: CalibrationConfig, out_of_reach: bool = False,
               installed: bool = True) -> str:
    """The fit's objective over its own replications, beside the model's as set up before the
    study over the same ones (fit.csv's setup_z): the best trial's objective is over its few
    replications, whose luck the search fits, and a walk found a fit scoring worse than its start
    (0.571 against 0.485) under a headline of 0.309. '' for a fit table without the setup's.
    ``out_of_reach``: a target no trial came near (unreached_note, above it), to mend first;
    ``installed``: whether +calibrated holds the fit (a recovery study's is not installed)."""
    if "setup_z" not in fit:
        return ""
    now, before = objective_of(fit.z, fit.weight), objective_of(fit.setup_z, fit.weight)
    said = (f"Objective over the fit's {cal.final_replications} replications: {now:.3g}; the model as "
            f"set up before the study (its free parameters where the command left them) scores "
            f"{before:.3g} over the same replications (z as set up).")
    if "fresh_z" in fit:
        fresh = objective_of(fit.fresh_z, fit.weight)
        ones = fresh_replications(cal)
        said += (f" Over as many replications that no trial ran ({ones.start} to {ones[-1]}; "
                 f"fit.csv's fresh_z): {fresh:.3g}"
                 + (", the fit's own replications flattering it: read its values as fitted partly to their "
                    "luck, or run more replications per trial (calibration.replications)."
                    if fresh > 2 * now and fresh - now > 1 else "."))
    held = f"; +calibrated={cal.name} holds it all the same" if installed else ""
    if not now < before and out_of_reach:
        said += (" The fit does not beat the model it started from: mend the targets out of reach "
                 f"(above) first{held}.")
    elif not now < before:
        said += (" The fit does not beat the model it started from: the best trial's objective rests on "
                 f"the luck of its {counted(cal.replications, 'replication')} as much as on its values, or "
                 "the search has not yet found a better point. Resume the study with more trials "
                 f"(calibration.n_trials), or start a new one (another calibration.name) with a larger "
                 f"calibration.replications, part of a study's setup, before reading it{held}.")
    return said


def noise_note(fit: pd.DataFrame, cal: CalibrationConfig) -> str:
    """A warning when chance moves a trial's simulated mean by more than the target's own standard
    error. Every trial replays the same replications (common random numbers), so that chance is
    mostly one shared draw: the search fits the luck of those few replications, and their best
    objective says little about the fit with more. The fit's replications tell the model's spread
    between replications. Monitored targets (weight 0) are left out: the search does not fit them."""
    fit = fit[fit.weight > 0]
    sd = fit.simulation_se * np.sqrt(fit.replications)
    noise = sd / math.sqrt(cal.replications) / fit.std_error
    noisy = fit[noise > NOISY]
    if noisy.empty:
        return ""
    per_target = ((sd / (QUIET * fit.std_error)) ** 2)[noise > NOISY]
    needed, noisiest = int(math.ceil(float(per_target.max()))), fit.loc[per_target.idxmax()]
    named = ", ".join(f"{_label(r)} ({noise[i]:.1f} standard errors)" for i, r in noisy.iterrows())
    return (f"WARNING: with calibration.replications={cal.replications}, chance moves a trial's "
            f"simulated mean by more than the target's standard error for {named}: every trial "
            "replays the same replications, so the search fits their luck there, and the best "
            "objective says little about the fit with more replications. About "
            f"calibration.replications={needed} would bring it to {QUIET:g} standard errors for all "
            f"of them ({_label(noisiest)} needs the most), and more "
            "sellers or years per replication (org, sim.years) quieten it too (in a new study: "
            "both are part of a study's setup).")


def _label(row) -> str:
    """A fit table row's target as the targets name it: ``metric`` or ``metric [condition]``."""
    return f"{row.metric} [{row.condition}]" if row.condition else row.metric


def significant(x: float, digits: int) -> str:
    """``x`` to ``digits`` significant figures, without an exponent and with thousands separated
    (12,000,000, 6,112,000, 0.466, 0.0014), as a terminal table reads any target's figure; '-'
    where there is none."""
    if not math.isfinite(x):
        return "-"
    if x == 0:
        return "0"
    places = digits - 1 - math.floor(math.log10(abs(x)))
    x = round(x, places)  # 0.00999 to 2 figures is 0.01: count the places again
    places = max(0, digits - 1 - math.floor(math.log10(abs(x)))) if x else 0
    text = f"{x:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def fit_lines(fit: pd.DataFrame) -> list[str]:
    """The fit as a terminal table: figures to significant figures (a money target's millions
    and a share's thousandths alike), each column as wide as its content (a long condition's
    label too); the weight only where a target's is not 1."""
    weighted, before = _shows_weight(fit), "setup_z" in fit
    rows = [["target", "value", "± se", "simulated", "z", *(["z as set up"] * before),
             *(["weight"] * weighted), "within 2 se"]]
    for r in fit.itertuples():
        rows.append([r.metric + (f" [{r.condition}]" if r.condition else ""), significant(r.target, 4),
                     significant(r.std_error, 3), significant(r.simulated_mean, 4), _z(r.z),
                     *([_z(r.setup_z)] if before else []), *([f"{r.weight:g}"] * weighted),
                     "yes" if r.within_2se else "NO"])
    # the last column, words, left-aligned
    return [f"{line}  {row[-1]}" for line, row in zip(aligned([row[:-1] for row in rows]), rows)]


def _z(z: float) -> str:
    return f"{z:.2f}" if math.isfinite(z) else "-"


def source_lines(fit: pd.DataFrame) -> list[str]:
    """Where each target's figure comes from, under the terminal's table: each source once, after
    the targets it gives (a researcher's walk found the sources only in fit.csv and the report)."""
    sources = fit.get("source", pd.Series(None, index=fit.index, dtype=object))
    given: dict[str, list[str]] = {}
    for r, source in zip(fit.itertuples(), sources):
        source = source.strip() if isinstance(source, str) else ""  # NaN where a targets file gives none
        if source:
            given.setdefault(source, []).append(r.metric + (f" [{r.condition}]" if r.condition else ""))
    said = [f"  {', '.join(labels)}: {source}" for source, labels in given.items()]
    return ["sources:", *said] if said else []


def _shows_weight(fit: pd.DataFrame) -> bool:
    """The fit's tables (terminal and report) show the weight column where a target's is not 1."""
    return bool((fit.weight != 1).any())


def within_said(fit: pd.DataFrame) -> str:
    """How many targets the fit meets, the fitted ones apart from those monitored (weight 0), which
    the objective left out: counted together, a monitored target met looked like a fitted one."""
    monitored = fit.weight == 0
    fitted = fit[~monitored]
    said = (f"{int(fitted.within_2se.sum())} of {len(fitted)} "
            f"{'fitted targets' if monitored.any() else 'targets'} within two standard errors")
    if monitored.any():
        said += (f"; of the {int(monitored.sum())} monitored (weight 0, not fitted), "
                 f"{int(fit[monitored].within_2se.sum())}" + _partly_fitted(fit, monitored))
    return said + "." + _within_with_simulation_se(fit)


def _partly_fitted(fit: pd.DataFrame, monitored: pd.Series) -> str:
    """' (partly fitted all the same: no_decision_rate through win_rate; ...)': a monitored figure
    beside one fitted under its condition that it is part of, or holds (a segment's and the whole's;
    another outcome share: applied_fits.fitted_through), as scores and salessim-compare call it (a
    researcher read a monitored share as untouched by the fit)."""
    if "metric" not in fit:
        return ""

    def condition(r) -> tuple:  # as Hydra reads it: 'fsm.span_of_control=6.0' is '...=6'
        return condition_read(split_outside(r.condition, " ") if isinstance(r.condition, str) else [])
    fitted = [(r.metric, condition(r)) for r in fit[~monitored].itertuples()]
    tied = []
    for r in fit[monitored].itertuples():
        through = fitted_through(r.metric, [m for m, at in fitted if at == condition(r)])
        if through:
            tied.append(f"{_label(r)} through {' and '.join(through)}")
    return (f" (partly fitted all the same: {'; '.join(tied)}; a segment's figure is part of the whole's, "
            "and the three outcome shares sum to 1)" if tied else "")


def _within_with_simulation_se(fit: pd.DataFrame) -> str:
    """The targets outside two standard errors that are within two of both errors, the simulated
    mean's included (z_with_simulation_se): z leaves out the model's own noise, and a researcher
    read a small setup's misses as failures that chance explains (a walk)."""
    if "z_with_simulation_se" not in fit:
        return ""
    chance = fit[~fit.within_2se.astype(bool) & (fit.z_with_simulation_se.abs() <= 2.0)]
    if chance.empty:
        return ""
    named = ", ".join(f"{_label(r)} ({r.z_with_simulation_se:+.2f})" for r in chance.itertuples())
    return (f" Of those outside, {len(chance)} {'is' if len(chance) == 1 else 'are'} within two counting "
            f"the simulated mean's own standard error too (z_with_simulation_se in fit.csv): {named}; "
            "the simulation's chance may explain the gap (more replications tell).")


def _study_notes(fit: pd.DataFrame, cal: CalibrationConfig, out_of_reach: list,
                 recovery: bool) -> list[str]:
    """What a study's fit table is followed by, on the terminal and in its report."""
    return [note for note in (unreached_note(out_of_reach),
                              start_note(fit, cal, bool(out_of_reach), installed=not recovery),
                              missed_note(fit, bool(out_of_reach)), noise_note(fit, cal)) if note]


def terminal(fit: pd.DataFrame, spread: pd.DataFrame, best, cal: CalibrationConfig, out: Path,
             setup: list[str], trials: str, out_of_reach: list = ()) -> str:
    lines = [f"\nsalessim-calibrate: study {cal.name!r}, {trials}: best objective {best.value:.3g} "
             f"(trial {best.number}, over its {counted(cal.replications, 'replication')}; the weighted "
             f"mean squared z-score, 0 a perfect fit); fit with {cal.final_replications} replications:",
             *fit_lines(fit)]
    lines.append(within_said(fit))
    lines += _study_notes(fit, cal, list(out_of_reach), "truth" in spread)
    lines += source_lines(fit)
    lines.append("\nparameters (best; spread among near-best trials as a share of the range):")
    width = max(map(len, spread.parameter), default=0)  # a long key pushed its row's columns
    for r in spread.itertuples():
        lines.append(f"  {r.parameter:<{width}} {significant(r.best, 4):>10}  spread "
                     f"{r.share_of_range:>5.0%}  {r.verdict}")
        if "truth" in spread:  # a recovery study
            lines.append(f"  {'':<{width}} truth {significant(r.truth, 4)}: {recovery_said(r)}")
    if "truth" in spread:
        lines.append(recovery_summary(spread))
    lines.append(f"\nresults in {out} ({', '.join(FIT_FILES)})")
    lines.append(use_line(cal.name, setup, replications=cal.final_replications) if "truth" not in spread else
                 "a recovery study: its targets are salessim's own figures at calibration.recover, so "
                 "its fit is not installed for +calibrated")
    return "\n".join(lines)


def interval_bars(fit: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """How far the simulated 95% interval of each target reaches below and above its simulated
    mean, in the target's standard errors: fit.csv's interval as drawn. A share's interval is cut
    at 0 and 1, so the two differ (one half mirrored drew a bar past the cut)."""
    below = (fit.simulated_mean - fit.simulated_ci_low) / fit.std_error
    above = (fit.simulated_ci_high - fit.simulated_mean) / fit.std_error
    return below.to_numpy(dtype=float), above.to_numpy(dtype=float)


def _fit_plot(fit: pd.DataFrame) -> bytes:
    fig, ax = plt.subplots(figsize=(10, 0.5 * len(fit) + 1.5))
    y = np.arange(len(fit))[::-1]
    z = fit.z.to_numpy(dtype=float)
    ax.axvspan(-2, 2, color="#e8f3e8")
    ax.axvline(0, color="#555", lw=1)
    below, above = interval_bars(fit)
    # A target of weight 0 is watched, not fitted: drawn hollow, in grey, and said so in its label.
    watched = (fit.weight == 0).to_numpy() if "weight" in fit else np.zeros(len(fit), dtype=bool)
    for group, color, face in ((~watched, "#4a7fb5", "#4a7fb5"), (watched, "#999", "white")):
        if group.any():
            ax.errorbar(z[group], y[group], xerr=np.vstack([below[group], above[group]]), fmt="o",
                        color=color, markerfacecolor=face, capsize=3)
    ax.set_yticks(y, [_label(row) + (" (weight 0: not fitted)" if w else "")
                      for row, w in zip(fit.itertuples(), watched)])
    ax.set_xlabel("simulated − target, in the target's standard errors (green: within 2; hollow grey: "
                  "weight 0, not fitted)" if watched.any() else
                  "simulated − target, in the target's standard errors (green: within 2)")
    # the interval's far ends, whole in the frame
    reach = np.maximum(np.abs(z - np.nan_to_num(below)), np.abs(z + np.nan_to_num(above)))
    lim = max(3.0, float(np.nanmax(reach)) + 1.0) if len(z) else 3.0
    ax.set_xlim(-lim, lim)
    ax.grid(axis="x", alpha=0.3)
    return png(fig)


def traces_caption(pruned: int) -> str:
    """What the search's figure (_trace_plot) shows, with ``pruned`` trials among them: the caption
    said they were not shown, under grey crosses drawn for them (a researcher's walk)."""
    return ("<b>The search.</b> First panel: the objective (weighted mean squared z-score) of every "
            "complete trial and the best so far. Other panels: each parameter's value by trial, darker "
            "for better trials; where the dark points gather, the data agree."
            + (" Pruned trials, stopped early as worse than most, have no objective of their own: "
               "they are left out of the first panel and drawn as grey crosses in the others."
               if pruned else ""))


def _trace_plot(problem: Problem, study: optuna.Study) -> bytes:
    trials = [t for t in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
              if math.isfinite(t.value)]
    n = len(problem.params) + 1
    cols = 3
    rows = math.ceil(n / cols)
    # Constrained: titles, tick labels and the colour bar each get their room, none over another.
    fig, axes = plt.subplots(rows, cols, figsize=(12, 3.2 * rows), squeeze=False, layout="constrained")
    values = np.array([t.value for t in trials])
    order = np.array([t.number for t in trials])
    color = np.log10(values + 1e-9) if len(values) else values
    ax = axes[0][0]
    ax.plot(order, np.minimum.accumulate(values) if len(values) else values, color="#c0392b", label="best so far")
    ax.scatter(order, values, s=8, color="#999")
    if (values > 0).any():  # a log axis needs a positive value to show
        ax.set_yscale("log")
    elif not len(values):
        ax.text(0.5, 0.5, "no trial with a finite objective yet", ha="center", va="center",
                transform=ax.transAxes, fontsize=9)
    ax.set_title("objective by trial", fontsize=10)
    ax.legend(fontsize=8)
    # stopped early, with no objective to colour them by: drawn apart, so that every trial the
    # search drew is there (a walk missed the pruned ones)
    pruned = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.PRUNED,))
    for i, p in enumerate(problem.params, start=1):
        ax = axes[i // cols][i % cols]
        xs = np.array([t.params.get(p.key, np.nan) for t in trials])
        sc = ax.scatter(order, xs, c=color, s=10, cmap=TRACE_COLORS)
        if pruned:
            ax.scatter([t.number for t in pruned], [t.params.get(p.key, np.nan) for t in pruned], s=14,
                       marker="x", color="#999", linewidths=0.8, label="pruned" if i == 1 else None)
        ax.set_ylim(p.low, p.high)
        ax.set_title(wrapped_key(p.key), fontsize=9)
    if pruned:
        axes[1 // cols][1 % cols].legend(fontsize=8)
    for j in range(n):
        # trial numbers: whole ones only
        axes[j // cols][j % cols].xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    for j in range(n, rows * cols):
        axes[j // cols][j % cols].axis("off")
    if len(values):
        fig.colorbar(sc, ax=axes, shrink=0.6, label="log10 objective (darker: better)")
    return png(fig, tight=False)  # tight_layout cannot place a colorbar over several panels


TITLE_WIDTH = 34  # characters of a panel's title per line: about 80% of a panel's width at 9 points


def wrapped_key(key: str, width: int = TITLE_WIDTH) -> str:
    """A config key as a panel's title, broken after a dot where a line would grow wider than
    ``width`` (market.segments.mid_market.response_days_mean was cut at the panel's edges)."""
    lines = [""]
    for part in key.split("."):
        piece = part if not lines[-1] else "." + part
        if lines[-1] and len(lines[-1]) + len(piece) > width:
            lines[-1] += "."
            lines.append(part)
        else:
            lines[-1] += piece
    return "\n".join(lines)


# Dark for low objectives, the better trials, as the colour bar and the caption say (viridis runs
# from dark purple at its low end to light yellow at its high end).
TRACE_COLORS = "viridis"


def fit_report(problem: Problem, study: optuna.Study, fit: pd.DataFrame, spread: pd.DataFrame,
               cal: CalibrationConfig, targets_name: str, setup: list[str], out_of_reach: list = ()) -> str:
    """``targets_name`` and ``setup`` as for calibrated_yaml, whose header the page's head repeats."""
    e = _e
    recovery = "truth" in spread
    spread_rows = [[r.parameter, r.mode, f"{r.best:.4g}", f"{r.near_best_min:.4g} – {r.near_best_max:.4g}",
                    f"{r.range_low:.4g} – {r.range_high:.4g}", f"{r.share_of_range:.0%}",
                    r.verdict, *([f"{r.truth:.4g}: {recovery_said(r)}"] if recovery else [])]
                   for r in spread.itertuples()]
    best = best_trial(study)
    notes = _study_notes(fit, cal, list(out_of_reach), recovery)
    fit_section = _fit_section(fit, "the calibrated model", notes)
    body = [
        f"<h1>{'Recovery study' if problem.truth is not None else 'Calibration'}: {e(cal.name)}</h1>",
        *([f"<p class='note'>The targets were made by salessim at calibration.recover "
           f"({e(problem.truth)}): the table below says how far each parameter lands from them.</p>"]
          if problem.truth is not None else []),
        f"<p class='sub'>{e(trials_said(study))} · best objective {best.value:.3g} (trial "
        f"{best.number}, the weighted mean squared z-score of its own {cal.replications} replications) "
        f"· made {datetime.now():%Y-%m-%d %H:%M}</p>",
        f"<p class='sub'>Targets {e(targets_of(problem, targets_name))}. Fitted with "
        f"{e(settings_of(problem, cal))}.<br>Use: "
        f"{e(use_line(cal.name, setup, problem.truth is None, cal.final_replications))}</p>",
        *fit_section,
        "<h2>How tightly the near-best trials agree</h2>",
        html_table(["parameter", "mode", "best", "near-best trials", "range searched",
                    "spread (share of range)", "verdict", *(["truth (recovery study)"] if recovery else [])],
                   spread_rows, numeric={2, 5}),
        f"<p class='sub'>Near-best trials: the best complete trials, as many as {NEAR_BEST_SHARE:.0%} "
        f"of all the trials (the pruned ones count in that share, though none is near-best), at least "
        f"{MIN_NEAR_BEST}; with fewer complete trials there are too few to tell. A wide spread (over "
        f"{PINNED_SPREAD:.0%} of the range searched) means the near-best trials disagree: the targets "
        "cannot tell the parameter's values apart, or the search has not settled (a young search's "
        "near-best trials are spread too: read it again after more trials). One that stays wide is "
        "the targets': fit it to other facts, or hold it at a documented default. A narrow one means "
        "the near-best trials agree, which a parameter the targets pin down shows, but which does "
        "not prove it: the search may have settled on one point of a ridge of fits as good, far from "
        "the model's true values (docs/calibration.md: a recovery study of the shipped targets found "
        "four parameters narrow and wrong). A recovery study of your own setup tells.</p>",
        *([f"<p class='note'>{e(recovery_summary(spread))}</p>"] if recovery else []),
        *(f"<p class='alert'>{e(line)}</p>" for line in fewer_facts(problem)),
        html_figure(_trace_plot(problem, study), "traces", traces_caption(pruned_trials(study))),
    ]
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Calibration {e(cal.name)}</title>"
            f"<style>{CSS}</style></head><body><main>{''.join(body)}</main></body></html>")


def _fit_section(fit: pd.DataFrame, model: str, alerts: list[str]) -> list[str]:
    """The fit's table, its count within two standard errors, ``alerts`` and its figure, as a
    study's report and a score's show them; ``model``: what was run against the targets."""
    weighted, before = _shows_weight(fit), "setup_z" in fit
    rows = [[r.metric + (f" [{r.condition}]" if r.condition else ""), f"{r.target:.4g}",
             f"{r.std_error:.3g}", f"{r.simulated_mean:.4g}",
             f"[{r.simulated_ci_low:.4g}, {r.simulated_ci_high:.4g}]", f"{r.z:.2f}",
             *([_z(r.setup_z)] if before else []),
             *([f"{r.weight:g}" + (" (monitored)" if r.weight == 0 else "")] * weighted),
             "yes" if r.within_2se else "NO", r.source] for r in fit.itertuples()]
    return [
        "<h2>Fit</h2>",
        html_table(["target", "value", "std error", "simulated", "simulated 95% CI", "z",
                    *(["z as set up"] * before), *(["weight"] * weighted), "within 2 se", "source"], rows,
                   numeric={1, 2, 3, 5, *range(6, 6 + before + weighted)}),
        f"<p class='sub'>{_e(within_said(fit))} z = (simulated − target) / the target's standard "
        "error.</p>",
        *(f"<p class='alert'>{_e(alert)}</p>" for alert in alerts),
        html_figure(_fit_plot(fit), "fit", f"<b>Target against simulated.</b> Each row is a target; "
                    f"the dot is how far {model} lands from it, in the target's standard "
                    "errors, with the simulation's own 95% interval. Inside the green band the model "
                    "agrees with the survey within its uncertainty."),
    ]


def scored(fit: pd.DataFrame) -> pd.DataFrame:
    """A score's fit table as its terminal and report show it: every target scored alike (a weight
    says what a study fits, and a score fits nothing)."""
    return fit.assign(weight=1.0)


def fitted_note(fit: pd.DataFrame) -> str:
    """A score's targets that a fit it applied was made to (fit.csv's fitted_by): their scores
    check the fit, not the model on facts it was not fitted to; '' where there are none."""
    by = fit.get("fitted_by", pd.Series("", index=fit.index)).fillna("")
    rows = fit[by != ""]
    if rows.empty:
        return ""
    said = []
    for r in rows.itertuples():
        fits = [re.fullmatch(r"(\S+)(?: \(through (.+)\))?", entry).groups()
                for entry in r.fitted_by.split(", ")]
        said.append(r.metric + (f" [{r.condition}]" if r.condition else "") + " " + ", ".join(
            f"by +calibrated={name}" if shares is None else
            # the outcome shares sum to 1: one fitted leaves the other two a sum, two fix the third
            f"through {shares}, which +calibrated={name} fitted (the three outcome shares sum to 1, so "
            "the two fix it)" if " and " in shares else
            f"partly, through {shares}, which +calibrated={name} fitted (the three outcome shares sum to 1)"
            for name, shares in fits))
    partly = ", in whole or in part," if rows.fitted_by.str.contains(r"through [^ )]+\)").any() else ""
    one = len(rows) == 1
    return (f"{len(rows)} of {counted(len(fit), 'target')} {'was' if one else 'were'} fitted{partly} by a "
            f"fit this score applied: {'; '.join(said)}. "
            f"{'Its score checks' if one else 'Their scores check'} the fit on this command's seed and "
            "setup, not the model on a fact it was not fitted to (docs/calibration.md, section 5).")


def _score_head(problem: Problem, cal: CalibrationConfig, setup: list[str]) -> str:
    """What a score ran: the model as set up (its command's settings, a fit applied), against the
    targets, with how many replications of which seed."""
    sim = problem.bases[()].sim
    return (f"the model as set up{(': ' + ' '.join(setup)) if setup else ' (the defaults)'}; "
            f"{counted(cal.final_replications, 'replication')} (calibration.final_replications) of "
            f"sim.seed={sim.seed}, sim.years={sim.years:g}, org.sellers={problem.bases[()].org.sellers}")


def score_terminal(fit: pd.DataFrame, cal: CalibrationConfig, out: Path, setup: list[str],
                   problem: Problem) -> str:
    """A score on the terminal: its fit table, how many targets it meets, where its files are."""
    shown = scored(fit)
    return "\n".join([f"\nsalessim-calibrate: score {cal.name!r}, nothing fitted (calibration.free=[]): "
                      f"{_score_head(problem, cal, setup)}:", *fit_lines(shown), within_said(shown),
                      *[note for note in (score_objective(fit), fitted_note(fit)) if note],
                      *source_lines(fit),
                      f"\nresults in {out} (fit.csv, fit_report.html)"])


def score_objective(fit: pd.DataFrame) -> str:
    """A score's objective as a study of its targets would have it, weights and all, to set beside
    a study's (a walk compared a fit with the defaults by working it out from fit.csv by hand)."""
    if not (fit.weight > 0).any():  # a file of monitored facts: a study of it would fit nothing
        return ""
    return (f"Objective (the weighted mean squared z-score a study of these targets minimizes, over "
            f"these replications): {objective_of(fit.z, fit.weight):.3g}.")


def score_report(problem: Problem, fit: pd.DataFrame, cal: CalibrationConfig, targets_name: str,
                 setup: list[str]) -> str:
    """A score's page: the targets against the model as set up, as a study's fit section shows them."""
    e = _e
    body = [f"<h1>Score: {e(cal.name)}</h1>",
            f"<p class='sub'>Targets {e(targets_name)}, scored with nothing fitted (calibration.free=[]) "
            f"against {e(_score_head(problem, cal, setup))} · made {datetime.now():%Y-%m-%d %H:%M}</p>",
            *_fit_section(scored(fit), "the model as set up",
                          [note for note in (score_objective(fit), fitted_note(fit)) if note])]
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Score {e(cal.name)}</title>"
            f"<style>{CSS}</style></head><body><main>{''.join(body)}</main></body></html>")


def _e(x) -> str:
    return html.escape(str(x))
