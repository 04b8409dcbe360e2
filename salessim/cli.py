"""The ``salessim`` command: a Hydra app that runs one scenario, or a sweep with ``-m``.

Every job of the command is composed and validated before the first simulation starts
(:mod:`salessim.preflight`); a bad value ends the command with one line and exit status 2.
"""

from __future__ import annotations

import csv
import json
import math
import os
import shlex
import sys
import time
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import asdict
from functools import partial
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.plugins.sweeper import Sweeper
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from salessim import host_pace, notices
from salessim.applied_fits import fit_files, provenance, rules_fitted_under
from salessim.commands import version_asked
from salessim.comparability import one_off_in_a_short_run
from salessim.config import register_configs
from salessim.errors import EXIT_BAD_INPUT, ConfigError, UserError, exit_with, reader_may_leave
from salessim.finished_order import expected_of, finished_before, write_expected
from salessim.folder_claim import claimed, drop_hydras_record_alone, drop_sweep_record_alone
from salessim.typed_folders import folder_setting, hydra_quoted, with_home_expanded
from salessim.compose import CONFIG_DIR
from salessim.overrides import is_hydras_own, split_override
from salessim.plural import counted
from salessim.launchers import jobs_at_a_time, last_finish
from salessim.preflight import check_command, help_of_this_command, hydra_argv, parse_argv
from salessim.report_table import (SHARED_ONLY, headline_table, organization_said, run_name, scenario_name_of,
                                   split_overrides)
from salessim.interrupt import interrupt_ends_quietly, stop_ray
from salessim.outputs import MANIFEST, is_complete
from salessim.runner import LARGE_RUN_HOURS, SECONDS_PER_WORKER_START, run_scenario
from salessim.terminal import terminal_line, terminal_width
from salessim.validation import to_validated

PROG = "salessim"

register_configs()


def scenario_name(explicit: str) -> str:
    try:
        dirname = HydraConfig.get().job.override_dirname
    except ValueError:  # not inside a Hydra job (a test calling the task): no overrides
        dirname = ""
    return run_name(explicit, dirname)


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _task(cfg: DictConfig) -> float:
    try:
        config = to_validated(cfg)
    except UserError as e:
        exit_with(e)
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    scenario = scenario_name(config.sim.scenario)
    hydra_cfg = HydraConfig.get()
    sweep = hydra_cfg.mode == RunMode.MULTIRUN
    job = f"job {hydra_cfg.job.num} ({_job_named(scenario)})" if sweep else scenario
    if config.sim.resume and is_complete(out_dir, asdict(config)):  # named as its "done" line names it
        typed = _as_typed(out_dir)
        print(terminal_line(f"salessim: {job} skipped: complete results of this config already in {typed}",
                            whole=[typed]))
        return float("nan")
    # A resume runs this job again: its old manifest must not count it as finished meanwhile
    # (the sweep's "N of M jobs finished" counts the manifests in place).
    (out_dir / MANIFEST).unlink(missing_ok=True)
    typed = list(hydra_cfg.overrides.task)
    applied = fit_files(typed, hydra_cfg)
    for line in notices.before_run(config, sweep, rules_fitted_under(applied), typed):
        print(terminal_line(f"salessim: {scenario}: {line}", sys.stderr), file=sys.stderr)
    # Jobs a sweep runs side by side would draw their bars on one terminal line, over each other:
    # there, each job's "done" line shows the sweep's progress.
    side_by_side = sweep and hydra_cfg.launcher.get("n_jobs", 1) != 1
    fits = provenance(applied)
    tic = time.perf_counter()
    try:
        results = run_scenario(config, scenario=scenario, out_dir=out_dir,
                               progress=False if side_by_side else None, fits=fits)
    except UserError as e:  # its tables could not be written
        if sweep:  # the jobs that finished before are there to be resumed
            e = UserError(f"{job}: {e.message}; {_sweep_kept(out_dir, hydra_cfg.sweep.dir)}")
        exit_with(e)
    window = float(results.summary.window_years.mean())
    short = notices.short_window(config)
    if short:
        print(terminal_line(f"salessim: {scenario}: {short}", sys.stderr), file=sys.stderr)
    # `salessim ... | head`: a sweep stops at its next line, with its jobs to run said

    def left() -> str:  # said only if the reader leaves: it counts the sweep's finished jobs
        return ("salessim: the output's reader left (| head?), so the sweep stopped; "
                f"{_sweep_kept(out_dir, hydra_cfg.sweep.dir)}")
    with reader_may_leave(left if sweep else None):
        if sweep:
            bookings = results.summary.bookings_usd.mean() / window
            # One write with its newline, flushed: jobs side by side share the terminal, and a
            # line printed in two writes can be cut by another job's.
            progress = _sweep_progress(out_dir, jobs_at_a_time(hydra_cfg.launcher),
                                       time.perf_counter() - tic)
            done = (f"salessim: {job} done{progress}: bookings {bookings:,.0f} USD a year, "
                    f"results in {_as_typed(out_dir)}")
            sys.stdout.write(terminal_line(done, whole=[_as_typed(out_dir)]) + "\n")
            sys.stdout.flush()
        else:
            gap = "\n" if sys.stderr.isatty() else ""  # apart from the progress bars, on a terminal
            ran = counted(config.sim.replications, "replication")
            print(gap + terminal_line(f"salessim: {scenario}: {ran}, results in {_as_typed(out_dir)}",
                                      whole=[_as_typed(out_dir)]))
            print(terminal_line(organization_said(config)))
            print(headline_table(results.summary, columns=terminal_width()))
            if note := one_off_in_a_short_run(config, float(results.summary.window_years.max())):
                print(terminal_line(note))
    return float(results.summary.bookings_usd.mean())


# The main process tells a sweep's jobs how many there are through the jobs' own config
# (hydra.job.env_set, which Hydra sets in the job's process wherever it runs: a worker of a Ray
# cluster started before the command inherits nothing from the command's environment).
SWEEP_JOBS_VARIABLE = "SALESSIM_SWEEP_JOBS"
SWEEP_STARTED_VARIABLE = "SALESSIM_SWEEP_STARTED"  # when the command started its jobs, Unix time
# The settings every job has, which its lines leave out: JSON as hex digits after an 'x' (a value
# Hydra reads as the text it is, whatever the settings hold).
SWEEP_SHARED_VARIABLE = "SALESSIM_SWEEP_SHARED"
SHARED_ONLY_JOB = SHARED_ONLY.strip("()")  # in a job line's own brackets


def _sweep_size_override(jobs: int, shared: list[str], started: str) -> list[str]:
    return [f"++hydra.job.env_set.{SWEEP_JOBS_VARIABLE}={jobs}",
            f"++hydra.job.env_set.{SWEEP_STARTED_VARIABLE}={started}",
            f"++hydra.job.env_set.{SWEEP_SHARED_VARIABLE}=x{json.dumps(shared).encode().hex()}"]


def shared_settings(jobs: list[list[str]]) -> list[str]:
    """The settings of its name every job of a sweep has (org=small sim.years=2): its job lines
    leave them out, as salessim-compare's table does; lines of 170 characters wrapped on a
    terminal. (A key a name leaves out, sim.replications, is in no line to leave out.)"""
    unnamed = set(OmegaConf.load(CONFIG_DIR / "config.yaml").hydra.job.config.override_dirname.exclude_keys)
    tasks = [[o for o in _task_overrides(job) if split_override(o)[0] not in unnamed] for job in jobs]
    return [o for o in tasks[0] if all(o in t for t in tasks[1:])] if len(tasks) > 1 else []


def _job_named(scenario: str) -> str:
    """A sweep's job as its lines name it: its scenario without the settings every job has."""
    try:
        shared = json.loads(bytes.fromhex(os.environ.get(SWEEP_SHARED_VARIABLE, "")[1:]) or b"[]")
    except ValueError:  # set by hand, or by an older salessim: the whole name
        shared = []
    # as the name writes them: +calibrated=fit typed, +calibrated=[fit] in the name
    shared = split_overrides(scenario_name_of(",".join(shared)))
    return ",".join(p for p in split_overrides(scenario) if p not in shared) or SHARED_ONLY_JOB


def _sweep_progress(out_dir: Path, side_by_side: int | None = None, seconds: float = math.nan) -> str:
    """' (5 of 8 jobs finished)': the jobs of the sweep folder that finished before the command
    started (a resume skips them) or said they finished before this one (finished_order.py),
    this one included, whichever process ran them; where that log cannot be kept, those whose
    manifest, written last, was in place when this one's was. (Counting every manifest present
    would give two jobs that finish together the same number.) ``side_by_side``: the jobs the
    launcher runs at a time, and ``seconds``, the time this job took, for the time left
    (_time_left)."""
    def written(manifest: Path) -> tuple[float, str]:
        try:
            return manifest.stat().st_mtime_ns, manifest.parent.name
        except OSError:  # a folder removed meanwhile: not counted
            return math.inf, ""
    own = written(out_dir / MANIFEST)
    started = os.environ.get(SWEEP_STARTED_VARIABLE, "")
    try:
        started_ns = float(started) * 1e9
    except ValueError:
        started_ns = math.nan
    # The log first, then the manifests: a job that said so before this one has its manifest in
    # place by then (written before its line).
    said = (finished_before(out_dir.parent, out_dir.name, started, seconds)
            if not math.isnan(started_ns) else None)
    manifests = [written(m) for m in _with_results(str(out_dir.parent))]
    if said is None:
        before = [ns for ns, name in manifests if (ns, name) <= own]
    else:  # the jobs finished before the command (a resume skipped them), those that said so, itself
        earlier = [ns for ns, name in manifests if ns < started_ns and name not in said and name != own[1]]
        times = dict((name, ns) for ns, name in manifests)
        before = [*earlier, *(times.get(name, own[0]) for name in said), own[0]]
    finished = len(before)
    total = os.environ.get(SWEEP_JOBS_VARIABLE, "")
    if total.isdigit():
        took = None if said is None else {**said, out_dir.name: seconds}
        left = _time_left(before, own[0], int(total), side_by_side, took,
                          expected_of(out_dir.parent, started) if took else None)
        return f" ({finished} of {counted(int(total), 'job')} finished{left})"
    return f" ({counted(finished, 'job')} finished)"


PACE_FROM = 3  # jobs finished before the time left is said: a pace from fewer is mostly noise


def _time_left(finished_ns: list[float], now_ns: float, total: int, side_by_side: int | None = None,
               took: dict[str, float] | None = None, expected: dict[str, float] | None = None) -> str:
    """'; about 2 minutes left': the jobs left at the pace this command has kept (a resume's
    skipped jobs, finished before it started, set no pace). With the seconds each job of the
    command took (``took``, by folder, from the log of finished jobs), each job left takes the
    seconds it was ``expected`` to take (_jobs_left), run ``side_by_side`` at a time (_scheduled);
    where that is not known (Ray), the work left is shared among as many workers as the jobs
    finished kept busy since the command started. (A sweep of 30 to 300 sellers said a third of the
    time its larger jobs left took, by the mean of the small ones finished.) Without the seconds,
    the pace runs from the command's first finished job, once more than a round of them has
    finished (the workers' start, a second or more importing salessim, then sets no pace); this
    runs low by up to a third while rounds of jobs side by side finish together (two workers: at
    the fourth job, three counted over one round's time). Not known (Ray), it is the command's
    time since it started over the jobs it finished."""
    try:
        started_ns = float(os.environ.get(SWEEP_STARTED_VARIABLE, "")) * 1e9
    except ValueError:
        return ""
    here = [ns for ns in finished_ns if ns >= started_ns]
    left = total - len(finished_ns)
    if took and len(took) >= PACE_FROM and left > 0 and not any(math.isnan(t) for t in took.values()):
        jobs, spent = _jobs_left(took, expected, left), sum(took.values())
        if side_by_side is not None:
            return f"; about {notices.duration(_scheduled(jobs, side_by_side) / 3600.0)} left"
        if spent > 0 and now_ns > started_ns:  # busy workers: the seconds taken per second passed
            seconds = sum(jobs) * (now_ns - started_ns) / 1e9 / spent
            return f"; about {notices.duration(seconds / 3600.0)} left"
    if side_by_side is None:
        enough, since, paced = PACE_FROM, started_ns, len(here)
    else:
        enough, since, paced = max(PACE_FROM, side_by_side + 1), min(here, default=now_ns), len(here) - 1
    if len(here) < enough or left <= 0 or now_ns <= since:
        return ""
    return f"; about {notices.duration((now_ns - since) / paced * left / 3.6e12)} left"


def _jobs_left(took: dict[str, float], expected: dict[str, float] | None, left: int) -> list[float]:
    """The seconds each of the ``left`` jobs takes, in the order they start: the seconds it was
    ``expected`` to take, times what the finished jobs took (``took``) over what they were
    expected to take; where a job is not among the expected (their folders named otherwise), the
    mean of ``took``."""
    spent = sum(took.values())
    if expected and all(name in expected for name in took):
        to_come = [x for name, x in expected.items() if name not in took]
        foreseen = sum(expected[name] for name in took)
        if len(to_come) == left and foreseen > 0:
            return [x * spent / foreseen for x in to_come]
    return [spent / len(took)] * left


def _scheduled(jobs: list[float], side_by_side: int) -> float:
    """When the last of ``jobs`` (their seconds, in the order they start) ends, ``side_by_side`` at
    a time, counted from the moment a job has just finished: the other workers' jobs are the first
    ones, half done (their start is not known); the worker just freed starts the next; each job
    after goes to the first worker free. The tail counts: the last large job runs alone."""
    busy = [x / 2 for x in jobs[:side_by_side - 1]] + jobs[side_by_side - 1:side_by_side]
    return last_finish(jobs[side_by_side:], side_by_side, busy)


def _as_typed(folder: Path) -> str:
    """A results folder as a user types it: from the working folder when it lies there
    (results/sweeps/<time>/3, as the sweep's last line says it), else whole. Hydra's is absolute,
    which made each of a sweep's job lines some 40 characters longer than it needs. The working
    folder is the command's, which hydra.job.chdir=true leaves for the job's ('results in .')."""
    try:
        return str(folder.relative_to(HydraConfig.get().runtime.cwd))
    except ValueError:
        return str(folder)


def _sweep_ended(folder: str, jobs: int, every_job_invests: bool = False) -> str:
    """The sweep's last line: how many of its jobs have results, where, and the command that
    compares them (each job's own line names its job folder, not the sweep's); with a baseline run
    apart when every job invests (a sweep of an investment's own settings, say)."""
    from salessim.sweep_folder import COMPARISON_FILES, is_comparison  # pandas, once the sweep is done

    manifests = _with_results(folder)
    finished = len(manifests)
    said = f"{finished} of {counted(jobs, 'job')} {'has' if finished == 1 else 'have'}"
    if jobs == 1:  # salessim-compare refuses a sweep of one job, investing or not
        return (f"salessim: sweep ended: {said} results in {folder}; a sweep of one job has nothing to "
                f"compare within it: compare it with a run apart, salessim-compare {shlex.quote(folder)} "
                "--baseline RUN_FOLDER, or sweep two values or more, key=a,b")
    # A resumed sweep holds the comparison of its earlier jobs, which a reader may take for
    # today's: said when a job finished after it (a resume that only skipped jobs leaves it current),
    # or when it left out a job that has results now (compared while the sweep ran: written after
    # the last job's, it read the folder before).
    newest = max((m.stat().st_mtime for m in manifests), default=0.0)
    done = {m.parent.name for m in manifests}
    earlier = any(is_comparison(p) and ((p / COMPARISON_FILES[0]).stat().st_mtime < newest
                                        or bool(_left_out(p) & done))
                  for p in Path(folder).glob("comparison*") if p.is_dir())
    again = " (again: its comparisons are older than some of these results)" if earlier else ""
    if every_job_invests:
        return (f"salessim: sweep ended: {said} results in {folder}; every job invests, so its "
                f"baseline does too{again}: salessim-compare {shlex.quote(folder)}; against not "
                "investing, add --baseline with a run of the sweep's other settings and investment=[] "
                "(an earlier sweep's job, as a report's next step names it, or a run of your own, into "
                "results/runs/<time>)")
    from salessim.baseline import first_job_instead
    first = first_job_instead(Path(folder))
    if first:  # the comparison's baseline is one of the settings swept, not the organization as set
        return (f"salessim: sweep ended: {said} results in {folder}; no job runs the swept settings at "
                f"their usual values, so a comparison measures them against the first job "
                f"({', '.join(first)}; against the usual values, sweep them too, or add --baseline with a "
                f"run of them){again}: salessim-compare {shlex.quote(folder)}")
    return (f"salessim: sweep ended: {said} results in {folder}; compare them with the baseline{again}: "
            f"salessim-compare {shlex.quote(folder)}")


def _left_out(comparison: Path) -> set[str]:
    """The job folders (by name) a comparison left out as not yet finished or not started (its
    incomplete_jobs.csv: a job not started is '#N'); not those it left out for a broken table,
    which stay left out."""
    from salessim.sweep_folder import NOT_STARTED, UNFINISHED

    try:
        with open(comparison / "incomplete_jobs.csv", newline="") as f:
            return {str(row.get("job")).lstrip("#") for row in csv.DictReader(f)
                    if row.get("problem") in (UNFINISHED, NOT_STARTED)}
    except (OSError, csv.Error):  # none: it left none out (or an older salessim's comparison)
        return set()


@contextmanager
def _jobs_composed_once(checked: list[list[str]]):
    """Hydra's basic sweeper composes each batch of a sweep's jobs before launching it
    (``Sweeper.validate_batch_is_legal``), to stop a bad job early. salessim's check of the command
    has composed and validated the jobs it expanded, ``checked``, in this process, where a second
    worker cannot help; the launcher composes each job once more, as the job needs. So a batch of
    the basic sweeper whose jobs were all checked is launched without the sweeper's composition,
    which cost 0.14-0.22 s of one core a job (docs/performance.md). A job the check did not
    expand keeps Hydra's check (the check's glob(...) once missed a -cd folder's configs), as do
    the jobs of another sweeper, which may sample them."""
    hydras = Sweeper.validate_batch_is_legal
    ours = {_task_overrides(job) for job in checked}

    def unless_checked(sweeper: Sweeper, batch) -> None:
        # by name: Hydra's plugin scan may load the basic sweeper's module a second time
        if type(sweeper).__name__ != "BasicSweeper" or any(_task_overrides(j) not in ours for j in batch):
            hydras(sweeper, batch)

    Sweeper.validate_batch_is_legal = unless_checked
    try:
        yield
    finally:
        Sweeper.validate_batch_is_legal = hydras


@contextmanager
def _a_job_past_its_timeout_said(folder: str, job_folders: list[str]):
    """hydra.launcher.timeout: a job that runs past it stops joblib's sweep with a TimeoutError,
    which Hydra printed as a traceback, the sweep's folder left behind. Said in one line instead,
    what the sweep keeps tidied as after a stop (_stopped_sweep_tidied)."""
    import multiprocessing

    from hydra_plugins.hydra_joblib_launcher.joblib_launcher import JoblibLauncher

    launch = JoblibLauncher.launch

    def launch_or_say(launcher, *args, **kwargs):
        try:
            return launch(launcher, *args, **kwargs)
        except (TimeoutError, multiprocessing.TimeoutError):
            if launcher.joblib.get("timeout") is None:  # a job's own (a network share's), not the launcher's
                raise
            kept = _stopped_sweep_tidied(folder, job_folders)
            exit_with(ConfigError("hydra.launcher.timeout", launcher.joblib.get("timeout"), "null (none), or "
                                  "more seconds than any job takes: a job ran past it, and joblib stopped "
                                  f"the sweep; {kept}"))

    JoblibLauncher.launch = launch_or_say
    try:
        yield
    finally:
        JoblibLauncher.launch = launch


def _task_overrides(job: list[str]) -> tuple[str, ...]:
    """A job's overrides but Hydra's own (hydra.*, hydra/...), which Hydra keeps apart from the
    job's and salessim adds to after its check (the sweep's size, its folder)."""
    return tuple(o for o in job if not is_hydras_own(split_override(o)[0]))


def _prepare_sweep(output: dict, folder: str) -> None:
    """Before a sweep's jobs start: say once what a large sweep will cost, and where its results
    go (``folder``, which the clock names by default: said only by each job's line, it came too late
    to watch), and keep Ray from folding their 'done' lines into '[repeated 5x across cluster]' or
    colouring them in a log file."""
    os.environ.setdefault("RAY_DEDUP_LOGS", "0")
    if not sys.stdout.isatty():
        os.environ.setdefault("RAY_COLOR_PREFIX", "0")
    workers = output["workers"]
    factor = host_pace.slowdown() if output["to_run"] else 1.0
    hours = (output["hours"] + workers * SECONDS_PER_WORKER_START / 3600) * factor
    pace = host_pace.pace_said(factor)
    starts = f" ({workers} workers' start included)" if workers > 1 else ""
    shared = output["shared"]
    named = f"; every job has {' '.join(shared)}, left out of its lines" if shared else ""
    jobs = f"{counted(output['to_run'], 'job')} to run into {folder}"
    if hours > LARGE_RUN_HOURS:
        where = host_pace.where_said(factor)
        print(terminal_line(f"salessim: a large sweep: {jobs}, roughly "
                            f"{notices.duration(hours)} of one core's work{where}, shared among the jobs "
                            f"run side by side (hydra.launcher.n_jobs); Ctrl-C stops it{named}", sys.stderr,
                            whole=[folder]), file=sys.stderr)
    elif output["to_run"]:  # the jobs' bars are off when they share the terminal: say what to expect
        # and how long to wait, where workers share it out ('of one core's work' alone read as the wait)
        side = min(workers, output["to_run"])
        wait = (f", about {notices.duration(hours / side * host_pace.shared_out(side))} on its {side} "
                f"workers side by side{host_pace.sharing_said(side)}" if side > 1 else "")
        print(terminal_line(f"salessim: {jobs}, roughly "
                            f"{notices.duration(hours)} of one core's work in all{starts}{pace}{wait}; each "
                            f"job says when it is done{named}", sys.stderr, whole=[folder]), file=sys.stderr)


def _kept(sweep: bool, folder: str | None = None) -> str:
    """What an interrupted command leaves: a sweep keeps its finished jobs (and a resume must name
    its folder: one named by the clock is not found again), a run writes nothing."""
    if not sweep:
        return "no tables were written (a run writes them when it finishes)"
    if folder is None:
        return "finished jobs are kept (resume a sweep with sim.resume=true)"
    return f"finished jobs are kept {_resume_hint(folder)}"


def _as_written(folder: str) -> list[str]:
    """The ways a line writes a sweep's folder, each to be kept whole when it wraps: as it is,
    quoted for a shell (salessim-compare's), and as the resume's setting (an apostrophe escaped)."""
    return [folder, shlex.quote(folder), folder_setting("hydra.sweep.dir", folder)]


def _resume_hint(folder: str) -> str:
    return f"(resume: the same command with {folder_setting('hydra.sweep.dir', folder)} sim.resume=true)"


def _stopped_sweep_tidied(folder: str, job_folders: list[str]) -> str:
    """What a stopped sweep keeps, said: its jobs with results. The folders of the jobs it stopped
    before their results hold Hydra's record of them alone, and go, as a stopped run's folder does
    (a resume runs those jobs anyway); with no job finished, so does the sweep's record. Other
    folders there are not the sweep's to clear. Not on Ray, whose jobs may write on other machines,
    where this command cannot see them."""
    for name in job_folders:
        job = Path(folder) / name
        if job.is_dir() and not job.is_symlink():
            drop_hydras_record_alone(job)
            with suppress(OSError):
                job.rmdir()  # only if empty
    finished = len(_with_results(folder))
    if not finished:
        drop_sweep_record_alone(Path(folder))
        return "no job had finished, so nothing is kept"
    return _finished_kept(folder, len(job_folders), finished)


def _sweep_kept(out_dir: Path, sweep_dir: str) -> str:
    """What a sweep one of its jobs stopped keeps: its finished jobs, counted in the job folder's
    sweep, whole (hydra.job.chdir=true runs the job inside its folder); a full disk's first job
    had said that finished jobs were kept, though none had finished."""
    total = os.environ.get(SWEEP_JOBS_VARIABLE, "")
    if not total.isdigit():
        return _kept(True, sweep_dir)
    sweep = str(out_dir.parent)
    finished = len(_with_results(sweep))
    return _finished_kept(sweep, int(total), finished) if finished else "no job had finished"


def _ray_sweep_kept(folder: str, jobs: int) -> str:
    """What a sweep on Ray stopped keeps, counted in its folder (shared by its nodes, as
    docs/distributed.md asks): a walk's stop while Ray was still connecting was told that finished
    jobs were kept. Nothing is cleared: a node's job may write there yet as Ray shuts down."""
    finished = len(_with_results(folder))
    if finished:
        return _finished_kept(folder, jobs, finished)
    return f"no job had finished {_resume_hint(folder)}"


def _finished_kept(folder: str, jobs: int, finished: int) -> str:
    """'4 of 8 jobs had finished: their results are kept (resume: ...)', of a stopped sweep."""
    return (f"{finished} of {counted(jobs, 'job')} had finished: "
            f"{'its' if finished == 1 else 'their'} results are kept {_resume_hint(folder)}")


def _with_results(folder: str) -> list[Path]:
    """The manifests of a sweep's jobs with results: one level down (preflight holds
    hydra.sweep.subdir there); a rerun written inside a job's folder is not one of the sweep's jobs."""
    return list(Path(folder).glob(f"*/{MANIFEST}"))


def _is_sweep(argv: list[str]) -> bool:
    try:
        return parse_argv(argv).multirun
    except UserError:  # preflight will name the bad input
        return False


def main() -> None:
    if version_asked(sys.argv[1:], PROG):
        return
    sys.argv[1:] = with_home_expanded(sys.argv[1:])  # hydra.sweep.dir=~/sweeps/x as a shell means it
    sweep = _is_sweep(sys.argv[1:])
    kept = _kept(sweep)
    output: dict = {}
    # Stopped while its jobs are checked, a sweep has started none and written nothing.
    checking = "this command started no job and wrote nothing" if sweep else kept
    with interrupt_ends_quietly(PROG, checking, starts_workers=False):
        try:
            check_command(sys.argv[1:], output=output)
        except UserError as e:
            exit_with(e)
    if not output:  # --help, --cfg and the like write nothing, and may be piped to `head`
        with interrupt_ends_quietly(PROG, kept), reader_may_leave(), help_of_this_command(sys.argv[1:]):
            sys.argv[1:] = hydra_argv(sys.argv[1:])
            _task()
        return
    key, folder = output["key"], output["folder"]
    with interrupt_ends_quietly(PROG, kept, starts_workers=False):  # while the folder is claimed
        try:
            with claimed(key, folder, chosen_by_clock=output["chosen_by_clock"]) as ours:
                if key == "hydra.sweep.dir":  # once the folder is ours: a refusal is its one line
                    output["shared"] = shared_settings(output["checked"])
                    _prepare_sweep(output, ours)
                tidied = (partial(_stopped_sweep_tidied, ours, output["job_folders"])
                          if key == "hydra.sweep.dir" and not output["on_ray"] else None)
                kept = (partial(_ray_sweep_kept, ours, len(output["job_folders"])) if output["on_ray"]
                        and key == "hydra.sweep.dir" else _kept(sweep, ours))
                with interrupt_ends_quietly(PROG, kept, on_ray=output["on_ray"], tidied=tidied,
                                           whole=_as_written(ours)):
                    # The folder as claimed, not the clock read again: a second may have passed.
                    # Ray's workers would read a relative folder from their own working folders
                    # (docs/distributed.md): they get this command's, whole.
                    placed = output["chosen_by_clock"] or output["on_ray"]
                    moved = [f"{key}={hydra_quoted(os.path.abspath(ours) if output['on_ray'] else ours)}"] if placed else []
                    if key == "hydra.sweep.dir":
                        started = f"{time.time():.3f}"
                        write_expected(Path(ours), started, output["expected"])
                        moved += _sweep_size_override(output["jobs"], output["shared"], started)
                    # the folder once, as Hydra records it
                    typed = [a for a in sys.argv[1:] if not (placed and split_override(a)[0] == key)]
                    sys.argv[1:] = hydra_argv(typed + moved)
                    try:
                        with (_jobs_composed_once(output["checked"]) if key == "hydra.sweep.dir"
                              else nullcontext()), \
                                (_a_job_past_its_timeout_said(ours, output["job_folders"])
                                 if key == "hydra.sweep.dir" and not output["on_ray"] else nullcontext()):
                            _task()
                    except SystemExit as e:
                        # Refused once Hydra had begun the sweep (Ray's launcher could not
                        # start): nothing ran, so nothing half-written stays.
                        if e.code == EXIT_BAD_INPUT and key == "hydra.sweep.dir":
                            drop_sweep_record_alone(Path(ours))
                        raise
                    if key == "hydra.sweep.dir":
                        stop_ray()
                        with reader_may_leave():
                            ended = _sweep_ended(ours, output["jobs"], output["every_job_invests"])
                            print(terminal_line(ended, whole=_as_written(ours)), flush=True)
        except UserError as e:
            exit_with(e)


if __name__ == "__main__":
    main()
