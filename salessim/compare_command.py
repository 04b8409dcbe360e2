"""``salessim-compare SWEEP_DIR``: compare the scenarios of a sweep against a baseline.

Results go to ``SWEEP_DIR/comparison/``: comparison.parquet/.csv, payback.csv, incomplete_jobs.csv
and a self-contained report.html. This module holds the command and writes its folder;
sweep_folder.py reads the jobs, baseline.py chooses the baseline, compare.py compares them,
payback.py sums the net gain month by month, plots.py draws and report.py writes the page.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import math
import os
import re
import shlex
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from salessim.baseline import baseline_elsewhere, choose_baseline, is_first_job, runs_beside
from salessim.commands import version_asked
from salessim.comparability import fitted_targets_note, monitored_targets_note
from salessim.compare import (Comparison, DEFAULT_RANKING, PLOT_METRICS, RANKINGS,
                              available_metrics, choose_metrics, compare, ranking_table, sweep_budget)
from salessim.comparison_table import names_in_table, selected_figures, table_and_footer
from salessim.config import MONEY_MAX_USD, SMALLEST_BUDGET_USD, SimConfig
from salessim.errors import (OneLineArgumentParser, UserError, exit_with, first_few, reader_may_leave,
                             refuse_a_name_too_long)
from salessim.folder_claim import being_written
from salessim.typed_folders import folder_setting, typed_folder
from salessim.interrupt import interrupt_ends_quietly
from salessim.job_selection import Selection, as_typed, in_selection
from salessim.outputs import BUDGET_SETTING, os_error_said, process_alive
from salessim.overrides import override_value
from salessim.plural import counted
from salessim.report_table import named_as_in_the_table
from salessim.short_answer import short_answer
from salessim.stats import DEFAULT_CONFIDENCE
from salessim.sweep_expansion import gives_several_values
from salessim.sweep_folder import (NOT_STARTED, OUT_NAME, STRAY, Job, Plan, is_comparison, job_folders, load_sweep,
                                   overrides_label, unique_scenario_names)
from salessim.terminal import terminal_width, wrapped


PROG = "salessim-compare"
KEPT = "a comparison folder is replaced only by a complete one"
INCOMPLETE_COLUMNS = ("job", "scenario", "problem", "path")


# --- output ----------------------------------------------------------------------------------------

SHOWN_UNSTARTED = 10  # in the terminal; incomplete_jobs.csv lists them all


def incomplete_table(result: Comparison) -> pd.DataFrame:
    """The jobs left out: incomplete folders, then the jobs that never started (no path)."""
    rows = [(j.name, j.scenario, j.problem, str(j.path)) for j in result.incomplete]
    rows += [(n.label, overrides_label(n.overrides), NOT_STARTED, "") for n in result.unstarted]
    return pd.DataFrame(rows, columns=list(INCOMPLETE_COLUMNS))


# Figures in the CSV files to 12 significant digits: more than any figure here means, and short of
# the noise that sums leave in a double's last digits (a mean of costs read 269999.99999999994, a
# difference 0.0937500000000001 at 15 digits). comparison.parquet keeps every bit.
CSV_FLOATS = "%.12g"
# What write_outputs writes in a comparison's folder, all of which it replaces.
COMPARISON_WRITES = ("comparison.parquet", "comparison.csv", "ranking.csv", "payback.csv",
                     "incomplete_jobs.csv", "report.html")
# Scenarios from which the command says, before it draws the report's figures, that it is drawing
# them: a row or panel a scenario each, they took 46 s of a 100-scenario comparison's 69 s (a busy
# host, 2 December 2026), 5 s of 8 scenarios' 11 s.
FIGURES_SAID_FROM = 20


def write_outputs(result: Comparison, plots: bool, dest: Path | None = None) -> Path:
    """Write the comparison folder (``dest``, by default SWEEP/comparison) atomically: build it
    beside the old one, then swap."""
    from salessim.report import build_report  # matplotlib is imported only when writing

    dest = dest or result.sweep / OUT_NAME
    tmp = dest.parent / f".{dest.name}.tmp-{os.getpid()}"
    old = dest.parent / f".{dest.name}.old-{os.getpid()}"
    try:
        clear_leftovers(dest)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        names = names_in_table(result)[0]
        table = with_names_shown(result.table, names)
        table.to_parquet(tmp / "comparison.parquet", index=False)
        table.to_csv(tmp / "comparison.csv", index=False, float_format=CSV_FLOATS)
        with_names_shown(ranking_table(result), names).to_csv(tmp / "ranking.csv", index=False,
                                                              float_format=CSV_FLOATS)
        with_names_shown(result.payback, names).to_csv(tmp / "payback.csv", index=False,
                                                       float_format=CSV_FLOATS)
        incomplete_table(result).to_csv(tmp / "incomplete_jobs.csv", index=False)
        (tmp / "report.html").write_text(build_report(result, with_plots=plots), encoding="utf-8")
        try:
            if dest.exists():
                os.replace(dest, old)
            os.replace(tmp, dest)
        except BaseException:  # an error, or Ctrl-C between the two renames
            if old.exists() and not dest.exists():
                os.replace(old, dest)  # keep the previous comparison rather than none
            raise
    except OSError as e:
        raise UserError(f"cannot write {dest}: {os_error_said(e)} (allowed: a folder you can "
                        "write to)") from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return dest


def _invests_in_nothing(baseline: Job, jobs: list[Job]) -> str:
    """'; it runs no investment' for a baseline run apart that runs none, as it ran, where every
    finished job of the sweep runs some: named by its settings alone (all of which the sweep's jobs
    may share), a walk could not tell whether it invested."""
    if "investment=" in baseline.scenario or baseline.cfg is None or baseline.cfg.investment:
        return ""  # its name says so (investment=[]), or it invests
    ran = [j.cfg for j in jobs if not j.problem]
    return "; it runs no investment" if ran and all(c and c.investment for c in ran) else ""


def with_names_shown(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """``table`` with ``scenario_shown`` beside ``scenario``: each scenario as the terminal's table
    and the report name it, without the settings every scenario shares (an analyst filtering
    ranking.csv by the name the terminal showed found no row: the files keep the whole name)."""
    if "scenario" not in table:
        return table
    out = table.copy()
    out.insert(list(out.columns).index("scenario") + 1, "scenario_shown",
               table.scenario.map(lambda s: names.get(s, s)))
    return out


def clear_leftovers(dest: Path) -> None:
    """What a comparison stopped outright (SIGKILL, a lost machine) left beside ``dest``: its
    half-built folder, or the previous comparison it had moved aside and not put back."""
    for kind in ("old", "tmp"):  # a comparison put back first, then none replaces it with a tmp
        for leftover in dest.parent.glob(f".{dest.name}.{kind}-*"):
            pid = leftover.name.rpartition("-")[2]
            if not pid.isdigit() or process_alive(int(pid)):
                continue
            if kind == "old" and not dest.exists():
                os.replace(leftover, dest)
            else:
                shutil.rmtree(leftover, ignore_errors=True)


# --- command ---------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = OneLineArgumentParser(
        prog=PROG, allowed=f"{PROG} SWEEP_DIR [--baseline NAME_OR_JOB] [--metrics a,b,...] "
                           "[--rank-by bookings|net_gain|npv] [--discount-rate RATE] [--budget USD] "
                           "[--confidence LEVEL] [--years YEARS] [--warmup-months MONTHS] "
                           "[--at KEY=VALUE ...] "
                           "[--with RUN_FOLDER ...] [--no-plots] [--out FOLDER]",
        description="Compare the scenarios of a salessim sweep with a baseline: "
                "paired differences over common random numbers, ROI, and an HTML report in "
                "SWEEP_DIR/comparison/ (or --out FOLDER).")
    p.add_argument("sweep_dir", metavar="SWEEP_DIR", help="a sweep folder, e.g. results/sweeps/<time>")
    # a default, or argparse names it among the required arguments when SWEEP_DIR is missing
    p.add_argument("more_dirs", nargs="*", default=[], help=argparse.SUPPRESS)  # refused below, in words
    p.add_argument("--baseline", metavar="NAME_OR_JOB",
                   help="baseline scenario name (as the table shows it, or whole, or overrides "
                        "as typed that only its name holds), or job folder "
                        "(its name or path), or the folder "
                        "of a finished run outside the sweep, e.g. results/runs/<time> (run with the "
                        "same seed and replications, it pairs as a job of the sweep would) "
                        "(default: the job with sim.baseline=true, else the scenario 'baseline', else "
                        "the job that keeps every swept setting at its value before the sweep, else "
                        "the first job)")
    p.add_argument("--with", metavar="RUN_FOLDER", dest="beside", action="append", default=[],
                   help="the folder of a finished run outside the sweep to compare as one more scenario "
                        "beside its jobs, e.g. a job of an earlier sweep (run with the same seed and "
                        "replications, it pairs as a job of the sweep would); may be given more than once")
    p.add_argument("--metrics", metavar="a,b,...",
                   help="summary columns to compare (default: every numeric column)")
    p.add_argument("--rank-by", choices=tuple(RANKINGS), default=DEFAULT_RANKING,
                   help="rank the scenarios by the paired net gain per year (extra gross margin - "
                        "extra total cost; the default), by the paired change in bookings per year, "
                        "or by the paired net present value of the window (see --discount-rate); "
                        "not by ROI, a ratio without an interval whose denominator is the extra "
                        "investment cost for some scenarios and the extra total cost for others")
    p.add_argument("--discount-rate", metavar="RATE", type=_yearly_rate, default=0.0,
                   help="a yearly rate, e.g. 0.08, at which the payback and the net present value "
                        "discount each month's net gain to the end of the warm-up (default 0: "
                        "undiscounted)")
    p.add_argument("--budget", metavar="USD", type=_budget,
                   help="the most a scenario's extra investment (fees, programmes, licences beyond the "
                        "baseline's) may cost in its first 12 months from its launch, e.g. 500000 or "
                        "1.5M: scenarios above it are marked over budget, and the report's answer and "
                        "next steps are about the first within it (default: the sweep's "
                        "experiment_budget_usd, else no budget)")
    p.add_argument("--confidence", metavar="LEVEL", type=_confidence_level, default=DEFAULT_CONFIDENCE,
                   help="the confidence level of every interval, e.g. 0.9 for 90%% intervals "
                        f"(default {DEFAULT_CONFIDENCE:g}; from 0.5 to 0.999)")
    p.add_argument("--years", metavar="YEARS", type=_horizon,
                   help="compare only the jobs of this horizon (sim.years), with the baseline's "
                        "configuration at it, for a sweep of several horizons (default: every job, "
                        "against one baseline); written to SWEEP_DIR/comparison_YEARSy unless --out")
    p.add_argument("--warmup-months", metavar="MONTHS", type=_warm_up,
                   help="compare only the jobs of this warm-up (sim.warmup_months), as --years does")
    p.add_argument("--at", metavar="KEY=VALUE", type=_setting_at, action="append", default=[],
                   help="compare only the jobs that run the setting KEY at VALUE, with the baseline's "
                        "configuration at it, for a sweep that crosses investments with another setting "
                        "(an assumption such as market.forms.complex_adaptive_weight=0.6); may be given "
                        "once for each of several settings; written to SWEEP_DIR/comparison_KEY_VALUE "
                        "unless --out")
    p.add_argument("--no-plots", action="store_true", help="write the report without plots (faster)")
    p.add_argument("--out", metavar="FOLDER",
                   help="write the comparison to FOLDER instead of SWEEP_DIR/comparison, e.g. to keep "
                        "comparisons of one sweep against two baselines (a new or empty folder, or an "
                        "earlier comparison's, which it replaces)")
    args = p.parse_args(argv)
    if args.more_dirs:  # two sweeps' jobs do not pair: one sweep, and a baseline from elsewhere
        raise UserError(f"one SWEEP_DIR at a time, not also {args.more_dirs[0]!r} (allowed: one sweep "
                        "folder; to measure its jobs against a job or run of another folder, name that "
                        "with --baseline FOLDER, or set it beside them with --with FOLDER)")
    if args.baseline is not None and not args.baseline.strip():  # as a path, '' is the current folder
        raise UserError("--baseline '' is empty (allowed: a scenario name, a job folder of the sweep, "
                        "or the folder of a finished run)")
    return args


def comparison_folder(out: str | None, sweep: Path, jobs: list[Job], name: str = OUT_NAME) -> Path:
    """Where the comparison goes: SWEEP/``name`` (comparison, or comparison_2y for one window), or
    --out's folder, which must be new, empty or an earlier comparison: a comparison replaces the
    folder it writes."""
    if out is None:
        dest = sweep / name
        if os.path.lexists(dest) and not dest.is_dir():  # the comparison would replace it
            raise UserError(f"{dest} is a file, where salessim-compare writes its folder (allowed: a "
                            f"sweep folder whose {name} is salessim-compare's folder or absent: "
                            "move the file)")
        _refuse_to_replace_what_it_did_not_write(dest, f"a sweep folder whose {name} is "
                                                 "salessim-compare's folder or absent")
        return dest
    dest = typed_folder(out, "--out")
    allowed = ("a new folder, an empty one or an earlier comparison's, outside the job folders "
               "(a comparison replaces the folder it writes)")
    refuse_a_name_too_long(dest, "--out", allowed)
    inside = [j.path for j in jobs if _within(dest, j.path)]
    if _within(sweep, dest) or inside:
        raise UserError(f"--out {out} is not allowed: {allowed}; it "
                        + (f"is in the job folder {inside[0]}" if inside else "is the sweep folder"
                           if _within(dest, sweep) else f"holds the sweep folder {sweep}"))
    if os.path.lexists(dest) and (not dest.is_dir() or any(dest.iterdir()) and not is_comparison(dest)):
        raise UserError(f"--out {out} is not allowed: {allowed}; it is "
                        + ("a file" if not dest.is_dir() else "a folder that holds other files"))
    _refuse_to_replace_what_it_did_not_write(dest, allowed)
    if dest.name == OUT_NAME and dest.parent.resolve() != sweep.resolve() and _is_a_sweep(dest.parent):
        # An earlier comparison of this sweep may be replaced, another sweep's own may not.
        raise UserError(f"--out {out} is not allowed: {allowed}; it is the comparison folder of the "
                        f"sweep {dest.parent}, whose own comparison would replace this one's, or be replaced")
    return dest


def _refuse_to_replace_what_it_did_not_write(dest: Path, allowed: str) -> None:
    """A comparison replaces its folder whole: a folder holding anything it did not write (a run
    placed there, notes of the user's) is not replaced, or those would go with it. Hidden files
    (.DS_Store) do not count."""
    if not dest.is_dir():
        return
    others = sorted(p.name for p in dest.iterdir()
                    if p.name not in COMPARISON_WRITES and not p.name.startswith("."))  # .DS_Store
    if others:
        raise UserError(f"{dest} holds what salessim-compare did not write ({first_few(others)}), which "
                        f"replacing its comparison would delete (allowed: {allowed}; move them out, or "
                        "write this comparison elsewhere with --out FOLDER)")


def _is_a_sweep(folder: Path) -> bool:
    try:
        job_folders(folder)
    except UserError:
        return False
    return True


def _within(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or lies inside it."""
    path, folder = path.resolve(), folder.resolve()
    return path == folder or folder in path.parents


def _number_option(fits: Callable[[float], bool], allowed: str,
                   read: Callable[[str], float] = float) -> Callable[[str], float]:
    """An option's value as a number that ``fits``, or one line saying what is ``allowed``
    (argparse turns the ArgumentTypeError into it); ``read`` makes the number of the text."""
    def parse(text: str) -> float:
        try:
            x = read(text)
        except ValueError:
            x = math.nan
        if not fits(x):
            raise argparse.ArgumentTypeError(f"{text!r} is not allowed: {allowed}")
        return x
    return parse


def _usd(text: str) -> float:
    """An amount as a planner types it: 500000, 500,000, 500k or 1.5M. Commas only between
    thousands: '1,5M', a decimal comma, was read as 15,000,000 and is refused; so is a point with
    three decimals, a thousands point (1500.000 was read as 1,500)."""
    amount = text.strip()
    if "," in amount and not re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?[kKmM]?", amount):
        raise ValueError(amount)
    if re.fullmatch(r"[\d,]*\d\.\d{3}[kKmM]?", amount):  # 1500.000, 1.500k: a thousands point
        raise ValueError(amount)
    amount = amount.replace(",", "")
    scale = {"k": 1e3, "m": 1e6}.get(amount[-1:].lower(), 1.0)
    return float(amount[:-1] if scale != 1.0 else amount) * scale


_budget = _number_option(lambda x: SMALLEST_BUDGET_USD <= x <= MONEY_MAX_USD,
                         "an amount in USD from 1,000 to 1,000M, e.g. 500000, 500,000, 500k or 1.5M (a point "
                         "marks decimals, so 1500.000 is refused: three decimals read as thousands)",
                         read=_usd)
_yearly_rate = _number_option(lambda x: 0.0 <= x < 1.0,
                              "a yearly rate from 0 to below 1, e.g. 0.08 for 8% a year")
_confidence_level = _number_option(lambda x: 0.5 <= x <= 0.999,
                                   "a confidence level from 0.5 to 0.999, e.g. 0.9 for 90% intervals")
# The bounds of sim.years, which a run's warm-up cannot outlast either.
_LONGEST_YEARS = next(f.metadata["le"] for f in dataclasses.fields(SimConfig) if f.name == "years")
_horizon = _number_option(lambda x: 0.0 < x <= _LONGEST_YEARS, "a horizon in years, as sim.years, e.g. 2")


def _setting_at(text: str) -> tuple[str, Any]:
    """--at KEY=VALUE: a dotted setting and its value, read as Hydra reads an override's (0.6, 6e-1,
    true, null, [economic_buyer], soft_veto; 'on' and '010' stay text, as Hydra keeps them)."""
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    allowed = ("a setting and the one value its jobs run, KEY=VALUE, e.g. "
               "market.forms.complex_adaptive_weight=0.6")
    if not sep or not re.fullmatch(r"[A-Za-z_]\w*(\.\w+)*", key) or not value or gives_several_values(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: {allowed}"
                                         + ("; for each value, one comparison" if sep and value else ""))
    return key, override_value(value)


_warm_up = _number_option(lambda x: x >= 0 and float(x).is_integer() and x <= 12 * _LONGEST_YEARS,
                          "a whole number of months, as sim.warmup_months, e.g. 6")


def run(argv: Sequence[str] | None = None) -> Comparison:
    """Parse, load, compare and write; raises UserError on bad input before writing anything."""
    args = parse_args(argv)
    sweep = typed_folder(args.sweep_dir, "SWEEP_DIR")
    jobs, plan = load_sweep(sweep)
    # the sweep's own budget where the command gives none (not a baseline's run apart)
    budget = args.budget if args.budget is not None else sweep_budget(jobs, plan.record)
    elsewhere = baseline_elsewhere(args.baseline, sweep, jobs)
    if elsewhere is not None:  # first, where a sweep's own baseline usually is
        chosen_apart = "chosen with --baseline" + _invests_in_nothing(elsewhere, jobs)
        jobs = [elsewhere, *jobs]
    beside = runs_beside(args.beside, sweep, jobs)
    typed_twice = next((key for i, (key, _) in enumerate(args.at) if key in dict(args.at[:i])), None)
    if typed_twice is not None:  # the jobs at two values of one setting: two comparisons
        values = " and ".join(f"--at {k}={as_typed(v)}" for k, v in args.at if k == typed_twice)
        raise UserError(f"{values}: --at gives {typed_twice} once (allowed: one value of each setting; "
                        "for each value, one comparison)")
    selection = Selection(args.years, None if args.warmup_months is None else int(args.warmup_months),
                          tuple(args.at))
    if beside and selection.asked:  # a selection's rules read a sweep's jobs, not runs from elsewhere
        raise UserError(f"--with {args.beside[0]!r} and {selection.options} together are not allowed "
                        "(allowed: --with without --years, --warmup-months and --at; compare a selection "
                        "with a run beside it from a sweep of the selection alone)")
    # the baseline is one of the sweep's own jobs, or the run --baseline names: never a run beside
    baseline, reason = ((elsewhere, chosen_apart) if elsewhere is not None
                        else _baseline_of(selection, jobs, args.baseline, plan, beside))
    # said of the baseline before a selection's rules name its configuration's job in it
    first_job = "the sweep's first job" if is_first_job(reason) else ""
    jobs += beside  # last: the sweep's own come first where they tie
    unique_scenario_names(jobs)
    dest = comparison_folder(args.out, sweep, jobs, selection.folder_name)
    left_out = 0
    if selection.asked:
        chosen = baseline
        jobs, baseline, reason, left_out = in_selection(selection, jobs, baseline, reason, args.baseline)
        if first_job and baseline is not chosen:
            first_job = "the configuration of the sweep's first job"
    done = [j for j in jobs if not j.problem]
    if len(jobs) == 1 and plan.total == 1 and done:  # it wrote a report of one run's figures, exit 0
        _refuse_a_sweep_of_one_job(sweep, done[0])
    available = available_metrics(done)
    metrics = choose_metrics(args.metrics, available)
    # Plots show what was asked for, else the headline figures (PLOT_METRICS).
    plot_metrics = metrics if args.metrics else [m for m in PLOT_METRICS if m in metrics]
    result = compare(sweep, jobs, plan, baseline, reason, metrics, plot_metrics, args.rank_by,
                     args.discount_rate, baseline_elsewhere=elsewhere is not None,
                     confidence=args.confidence, budget=budget, baseline_said_as=first_job)
    result.kept_as = selection.named_as
    if args.budget is None and budget is not None:
        result.budget_from = f"{BUDGET_SETTING}, the sweep's; --budget sets another"
    running = result.running = being_written(sweep)
    if running:
        result.notes.insert(0, "A salessim command is still writing to this sweep: its unfinished jobs "
                               "are left out as incomplete; compare again when it has ended.")
    if len(metrics) < len(available):  # say so: comparison.csv is replaced by the narrower one
        result.notes.append(f"--metrics {args.metrics}: comparison.csv, comparison.parquet and the "
                            f"report's list of figures hold {len(metrics)} of the {len(available)} "
                            "figures (run without --metrics for all); the ranking, net gain and ROI "
                            "read the bookings, margin and cost columns, and the report's account of "
                            "how each gain is made its time selling, leads, win and no-decision rates, "
                            "quota attainment and turnover, whatever it selects.")
    # the figures the report plots and lists: those asked for, else the headline ones
    result.notes += fitted_targets_note(done, plot_metrics) + monitored_targets_note(done, plot_metrics)
    if left_out:
        result.notes.insert(0, f"{selection.options}: {selection.kept_said}; the sweep's "
                               f"{counted(left_out, 'other job')} {'is' if left_out == 1 else 'are'} left out.")
    if not args.no_plots and len(result.scenarios) >= FIGURES_SAID_FROM:
        # Nothing else is printed until the report is written: a minute, for 100 scenarios.
        print(f"{PROG}: {len(result.scenarios)} scenarios compared; drawing the report's figures, "
              "a few seconds for every ten scenarios (--no-plots leaves them out)", file=sys.stderr, flush=True)
    replacing = is_comparison(dest)  # said at the end: a comparison with another --baseline is lost
    dest = write_outputs(result, plots=not args.no_plots, dest=dest)
    missing = f" ({result.not_started} not started: no job folder)" if result.not_started else ""
    print(f"{PROG}: {result.finished_said} in {sweep}{missing}")
    width = terminal_width()
    said = functools.partial(wrapped, width=width, whole=(str(sweep), str(dest), str(baseline.path),
                                                          *(str(j.path) for j in result.beside)))
    names = names_in_table(result)[0]
    # the sweep's question first, as the report opens with it (the mark a follow-up is read against)
    asked = [f"Question: {' '.join(result.question.split())}"] if result.question else []
    for note in [*asked, *result.notes, f"Gross margin for ROI: {result.margin_note}."]:
        print(said(named_as_in_the_table(note, names)))
    print()
    rows, below = table_and_footer(result, width)
    print("\n".join([*rows, *(said(line, indent="") for line in below)]))
    if args.metrics and (figures := selected_figures(result, width)):
        print(f"\n{figures}")
    if answer := short_answer(result, names):  # the decision last, where a terminal's reader looks
        print("\n" + said(answer, indent=""))
    # A plain compare of the resumed sweep would take one of its own jobs as the baseline, and
    # leave out the runs set beside it.
    again = [*(["--baseline", str(baseline.path)] if result.baseline_elsewhere else []),
             *(x for j in result.beside for x in ("--with", str(j.path)))]
    with_baseline = f", then compare again with {shlex.join(again)}" if again else ""
    # While the sweep runs, a resume is refused (its folder is held), and its jobs may yet finish.
    resume = f"run the sweep's command again with {folder_setting('hydra.sweep.dir', sweep)} sim.resume=true"
    if result.incomplete:
        again = ("" if all(j.problem == STRAY for j in result.incomplete) else
                 "; they may still be running: compare again when the command writing to the sweep "
                 "has ended" if running else
                 f"; to run them again, {resume}, which keeps the finished jobs{with_baseline}")
        print("\n" + said(f"INCOMPLETE jobs, left out of the comparison ({len(result.incomplete)}{again}):",
                           indent=""))
        for j in result.incomplete:
            print(f"  job {j.name}" + (f" ({j.scenario})" if j.scenario else "") + f": {j.problem}")
    if result.unstarted:
        print("\n" + said(f"NOT STARTED jobs ({len(result.unstarted)}, each by its number in the sweep, "
                           "#N, having no folder; " + (
            "the command writing to the sweep may yet start them: compare again when it has ended"
            if running else f"to run them, {resume}{with_baseline}") + "):", indent=""))
        for n in result.unstarted[:SHOWN_UNSTARTED]:
            print(f"  job {n.label} ({overrides_label(n.overrides)})")
        if len(result.unstarted) > SHOWN_UNSTARTED:
            print(f"  ... and {len(result.unstarted) - SHOWN_UNSTARTED} more, in incomplete_jobs.csv")
    left_out = len(result.incomplete) + len(result.unstarted)
    print("\n" + said(f"results in {dest} (report.html, ranking.csv, comparison.csv, comparison.parquet, "
                       "payback.csv; "
                       + (f"incomplete_jobs.csv lists the {left_out} left out)" if left_out
                          else "incomplete_jobs.csv lists no job: every job finished)"), indent=""))
    if replacing:
        print(said(f"replaced the earlier comparison in {dest} (to keep one, compare with --out FOLDER)",
                   indent=""))
    return result


def _refuse_a_sweep_of_one_job(sweep: Path, job: Job) -> None:
    """A sweep of one job (-m with one value) has nothing to compare it with: said before anything
    is written, with the run apart the job can be compared with. A sweep with jobs yet to finish,
    or left out as incomplete, is compared: its report lists them, and why. (--at or --years on it
    are refused before: its one job runs every value there is.)"""
    raise UserError(f"{sweep} is a sweep of one job ({job.label}), with nothing to compare it with "
                    "(allowed: a sweep of two jobs or more, key=a,b, or its job against a run apart: "
                    f"salessim-compare {shlex.quote(str(sweep))} --baseline RUN_FOLDER)")


def _baseline_of(selection: Selection, jobs: list[Job], wanted: str | None, plan: Plan,
                 beside: Sequence[Job] = ()) -> tuple[Job, str]:
    """choose_baseline; a baseline named with --years or --at first among the selected jobs, by
    the names their table shows (which leave out what they share), then among all (in_selection
    refuses one outside the selection, saying so)."""
    if selection.asked and wanted is not None:
        with contextlib.suppress(UserError):
            return choose_baseline([j for j in jobs if selection.holds(j)], wanted, plan.planned,
                                   plan.unstarted, plan.record)
    return choose_baseline(jobs, wanted, plan.planned, plan.unstarted, plan.record, beside)


def main(argv: Sequence[str] | None = None) -> None:
    if version_asked(sys.argv[1:] if argv is None else list(argv), PROG):
        return
    with reader_may_leave(), interrupt_ends_quietly(PROG, KEPT, starts_workers=False):
        try:
            run(argv)
        except UserError as e:
            exit_with(e, prog=PROG)



if __name__ == "__main__":
    main()
