"""Which finished job of a sweep is the baseline the other scenarios are compared with, and a
sentence saying why: the one named with --baseline, else the job marked sim.baseline=true, the
scenario named 'baseline', the job that runs the sweep's configuration as it stands, or the first
job. A baseline that did not finish is never replaced silently by another job."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from salessim.config import UNNAMED_SCENARIO
from salessim.errors import UserError, names_quoted, nearest_name
from salessim.outputs import MANIFEST, SWEEP_RECORD
from salessim.overrides import split_outside, swept_keys
from salessim.report_table import short_names
from salessim.seed_pooling import ON_FINISHED_SEEDS, SEED, baseline_named, compared_names, on_other_seeds, seed_asked
from salessim.sweep_folder import (PRESENTATION_OVERRIDES, STRAY, Job, NotStarted, job_key, job_suffix,
                                   job_choices, override_key, read_job, read_yaml, recorded_choices,
                                   unique_names)

ELSEWHERE_ALLOWED = ("a scenario or job folder of this sweep, or the folder of a finished run elsewhere: "
                     "a single run's, e.g. results/runs/<time>, or a job of another sweep")


def as_given(wanted: str) -> tuple[str, Path]:
    """--baseline as typed, and the folder it names if it is one: a name copied from the report
    carries the zero-width spaces older reports put there as line-break hints (newer ones use
    <wbr>, which copies as nothing), and a path may start with '~'."""
    wanted = wanted.replace("\u200b", "").strip()
    return wanted, Path(wanted).expanduser()


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:  # one of them does not exist
        return False


def baseline_elsewhere(wanted: str | None, sweep: Path, jobs: list[Job]) -> Job | None:
    """--baseline naming a finished run outside the sweep, read to be compared with the sweep's
    jobs: a sweep of an investment's settings cannot hold the run without it (the settings exist
    only where it is selected), so its baseline is run on its own. None when ``wanted`` names
    nothing outside the sweep (a scenario or job of it, the sweep itself, or no folder at all)."""
    if wanted is None:
        return None
    wanted, folder = as_given(wanted)
    if any(wanted in (j.scenario, j.name) for j in jobs) or not folder.is_dir():
        return None
    if _same_folder(folder, sweep) or any(_same_folder(folder, j.path) for j in jobs):
        return None  # choose_baseline says what it is
    return _run_elsewhere("--baseline", wanted, folder, ELSEWHERE_ALLOWED)


def runs_beside(wanted: Sequence[str], sweep: Path, jobs: list[Job]) -> list[Job]:
    """The finished runs outside the sweep that --with names, compared as scenarios beside its
    jobs: the runner-up of an earlier sweep, set against a follow-up's scenarios, pairs with them
    (the same seed and replications) where its figure, copied as a number, would not. ``jobs``:
    the sweep's, and a baseline run apart from it."""
    beside: list[Job] = []
    for typed in wanted:
        name, folder = as_given(typed)
        taken = next((j for j in [*jobs, *beside] if _same_folder(folder, j.path)), None)
        what = ("this sweep's own folder" if _same_folder(folder, sweep) else "" if taken is None else
                "named twice" if any(taken is b for b in beside) else
                "the baseline, compared with already" if taken.elsewhere else
                f"job {taken.name} of this sweep, compared already")
        if what:
            raise UserError(f"--with {name!r} is {what} (allowed: {BESIDE_ALLOWED})")
        if not folder.is_dir():
            raise UserError(f"--with {name!r} is not a folder (allowed: {BESIDE_ALLOWED})")
        run = _run_elsewhere("--with", name, folder, BESIDE_ALLOWED)
        # a run named for want of a name: beside a sweep, whose baseline is another run, the word
        # alone was read as that baseline ('Against baseline, ...')
        if run.scenario == UNNAMED_SCENARIO:
            run.scenario = f"{UNNAMED_SCENARIO} ({run.elsewhere})"
        beside.append(run)
    return beside


BESIDE_ALLOWED = ("the folder of a finished run outside the sweep: a single run's, e.g. results/runs/<time>, "
                  "or a job of another sweep")


def _run_elsewhere(option: str, wanted: str, folder: Path, allowed: str) -> Job:
    """The finished run in ``folder``, outside the sweep, named by where it is."""
    if not (folder / MANIFEST).is_file():
        what = ("a folder of runs, not a run: name one of its job folders" if any(folder.glob(f"*/{MANIFEST}"))
                else f"a folder without {MANIFEST}, which a finished run writes last")
        raise UserError(f"{option} {wanted!r} is {what} (allowed: {allowed})")
    job = read_job(folder.resolve())  # named by its whole path: the report is read elsewhere
    job.name = str(job.path)
    sweep = job.path.parent  # looked up once: the label is said in many notes
    job.elsewhere = (f"job {job.path.name} of {sweep}" if (sweep / SWEEP_RECORD).is_file()
                     else f"run {job.path}")
    if job.problem:
        raise UserError(f"{option} {wanted!r} is incomplete: {job.problem} (allowed: {allowed})")
    return job


def _named_beside_runs(wanted: str, done: list[Job], beside: Sequence[Job]) -> list[Job]:
    """The sweep's jobs ``wanted`` names as the table shows them beside runs set beside the sweep
    (--with): with its job where a run beside shares its name (a walk was refused 'X (job 2)'),
    and without what a run beside does not share. A run beside itself is refused, with the
    --baseline that takes it."""
    names = unique_names([*done, *beside])
    labels, _ = short_names(names, names[len(done):])
    shown = [j for j, n in zip(done, names) if wanted in (labels[n], n)]
    aside = [j for j, n in zip(beside, names[len(done):]) if wanted in (labels[n], n)]
    if aside and not shown:
        where = aside[0].path
        raise UserError(f"--baseline {wanted!r} is the run set beside the sweep from {where} (--with), "
                        f"never its baseline (allowed: a scenario or job folder of this sweep, or "
                        f"--baseline {where} in place of --with {where})")
    return shown


def _named_by_overrides(wanted: str, done: list[Job]) -> list[Job]:
    """The one job whose name holds every override of ``wanted`` as typed (a name is its
    overrides, comma-joined), where only one does; else none."""
    typed = set(split_outside(wanted, ","))
    holding = [j for j in done if typed <= set(split_outside(j.scenario, ","))]
    return holding if len(holding) == 1 else []


def choose_baseline(jobs: list[Job], wanted: str | None,
                    planned: list[list[str]] | None = None,
                    unstarted: Sequence[NotStarted] = (), record: object = None,
                    beside: Sequence[Job] = ()) -> tuple[Job, str]:
    """The baseline job and a sentence saying why it was chosen; ``planned``: every job's
    overrides as the sweep's plan lists them (Plan.planned), else the job folders' are used;
    ``unstarted``: the planned jobs known to have no folder (Plan.unstarted); ``record``: the
    sweep's multirun.yaml as load_sweep read it (Plan.record), else it is read here; ``beside``:
    the runs set beside the jobs (--with), never the baseline, but in the names the table gives."""
    if wanted is not None:
        wanted, folder = as_given(wanted)
        for j in jobs:
            if wanted in (j.scenario, j.name) or _same_folder(folder, j.path):
                if j.problem:
                    raise UserError(f"--baseline {wanted!r} is job {j.name}, which is incomplete: "
                                    f"{j.problem} (allowed: a finished job)")
                return j, f"chosen with --baseline {wanted}"
        # The name a scenario pooled by seed goes by (compare.py pools the baseline's group too).
        first = baseline_named(wanted, jobs)
        if first is not None:
            return next(j for j in jobs if j.name == first), f"chosen with --baseline {wanted}"
        done = [j for j in jobs if not j.problem]
        # The name the table shows, without the settings every scenario shares (org=small).
        labels, _ = short_names([j.scenario for j in done])
        shown = [j for j in done if labels[j.scenario] == wanted]
        if not shown and beside:
            shown = _named_beside_runs(wanted, done, beside)
        if not shown:  # overrides as typed on the command line, investment.crm.x=4 (the table: crm.x=4)
            shown = _named_by_overrides(wanted, done)
        if len(shown) == 1:
            return shown[0], f"chosen with --baseline {wanted}"
        shared = shown or [j for j in done if j.scenario == wanted + job_suffix(j.name)]
        if shared:
            raise UserError(f"--baseline {wanted!r} names {len(shared)} jobs of this sweep (allowed: "
                            f"one of their job folders, {names_quoted([j.name for j in shared])})")
        # as the table names them (a sales-ops walk was offered names it had never seen whole)
        named = [labels.get(n, n) for n in compared_names(jobs)]
        holding = [n for n in named if re.search(rf"(?<![\w.]){re.escape(wanted)}(?![\w.])", n)]
        near = holding[0] if len(holding) == 1 else nearest_name(wanted, named)
        sweep_itself = any(_same_folder(folder, j.path.parent) for j in jobs)
        what = ("is this sweep's own folder, not one of its jobs" if sweep_itself
                else "is not a scenario or job folder of this sweep, nor a folder elsewhere")
        raise UserError(f"--baseline {wanted!r} {what} ({f'did you mean {near!r}? ' if near else ''}allowed: "
                        f"scenarios "
                        f"{names_quoted(named)}, job folders {names_quoted([j.name for j in done])}, or "
                        "the folder of a finished run elsewhere, e.g. results/runs/<time>)")
    done = [j for j in jobs if not j.problem]
    if not done:
        raise UserError(f"no job of this sweep is complete ({len(jobs)} incomplete: "
                        f"{names_quoted([j.name for j in jobs])}; job {jobs[0].name}: {jobs[0].problem}; "
                        "allowed: a sweep with at least one finished job — rerun it with "
                        "sim.resume=true)")
    # A baseline that did not finish must never be replaced silently by another job: the rules
    # look at unfinished jobs too, by their config where their manifest could be read, else by
    # the overrides that started them (folders left by another sweep are not this sweep's).
    sweep = jobs[0].path.parent
    # The sweep's config before it sweeps anything.
    unswept = record if record is not None else read_yaml(sweep / SWEEP_RECORD)
    readable = [j for j in jobs if j.cfg is not None and j.problem != STRAY]
    pick = _automatic_baseline(readable, unswept, planned or [j.overrides for j in jobs if j.overrides])
    how = (f"finish it by running the sweep's command again with hydra.sweep.dir={sweep} "
           "sim.resume=true, or name the baseline with --baseline")
    none_is = ("no finished job is the baseline (none is marked sim.baseline=true, named "
               "'baseline' or runs the sweep's configuration as it stands)")
    if pick is not None:
        baseline, reason = pick
        if baseline.problem and (left := _on_the_seeds_that_finished(baseline.overrides, jobs, baseline.name)):
            return left[0], f"{reason}{left[1]}"
        if baseline.problem:
            raise UserError(f"the baseline, job {baseline.name} ({baseline.scenario}: {reason}), is "
                            f"incomplete: {baseline.problem} (allowed: {how})")
        return baseline, reason
    unread = [(f"job {j.name}", j.overrides) for j in jobs if j.cfg is None and j.problem != STRAY]
    unread += [(f"job {n.label}", list(n.overrides)) for n in unstarted]
    maybe = [label for label, overrides in unread if _may_be_baseline(unswept, overrides)]
    if maybe:
        raise UserError(f"{none_is}, and it may be one that did not finish: {', '.join(maybe[:5])}"
                        f"{', ...' if len(maybe) > 5 else ''} (allowed: {how})")
    # Else the sweep's first job (Hydra's #0, whatever its folder's name), if it finished.
    if planned:
        first = next((j for j in jobs if j.overrides is not None
                      and job_key(j.overrides) == job_key(planned[0])), None)
    else:
        first = jobs[0]
    first_asked = planned[0] if planned else first.overrides
    if (first is None or first.problem) and (left := _on_the_seeds_that_finished(
            first_asked, jobs, "#0" if first is None else first.name)):
        return left[0], f"{FIRST_JOBS_CONFIGURATION}{left[1]}"
    if first is None or first.problem:
        raise UserError(f"{none_is}, and the first job, which would be, did not finish "
                        f"(job {'#0' if first is None else first.name}) (allowed: {how})")
    return first, f"{FIRST_JOB_INSTEAD}: the first job ({first.name}) is the baseline"


# Why the baseline is the sweep's first job (or its configuration on the seeds that finished): none
# is marked, named or runs the sweep's settings at their usual values. Such a baseline is one of the
# settings compared, not doing nothing.
FIRST_JOB_INSTEAD = "no --baseline, no job with sim.baseline=true and no scenario named 'baseline'"
FIRST_JOBS_CONFIGURATION = "the first job's configuration"


def first_job_instead(sweep: Path) -> list[str] | None:
    """The first job's swept settings (``['org.sellers=30']``) where salessim-compare will take it for
    the baseline for want of another: no job is marked, named or runs the swept settings at their
    usual values (``_may_be_baseline``, from the job folders' recorded overrides); None where one
    may be. For the sweep's last line: a cut of 30 and 20 sellers was compared with 30, not 100."""
    if not sweep.is_dir():
        return None
    unswept = read_yaml(sweep / SWEEP_RECORD)
    planned = []
    for folder in sorted((p for p in sweep.iterdir() if p.name.isdigit()), key=lambda p: int(p.name)):
        overrides = read_yaml(folder / ".hydra" / "overrides.yaml")
        if not isinstance(overrides, list):
            return None
        planned.append([str(o) for o in overrides])
        # a sweep of seeds pools them: the baseline is its configuration on every seed
        if _may_be_baseline(unswept, [o for o in planned[-1] if override_key(o) != SEED]):
            return None
    swept = swept_keys(planned) - {SEED} if len(planned) > 1 else set()
    return [o for o in planned[0] if override_key(o) in swept] if swept else None


def is_first_job(reason: str) -> bool:
    """Whether choose_baseline's ``reason`` says the baseline is the sweep's first job for want of
    another."""
    return reason.startswith((FIRST_JOB_INSTEAD, FIRST_JOBS_CONFIGURATION))


def _on_the_seeds_that_finished(asked: list[str] | None, jobs: list[Job],
                                name: str) -> tuple[Job, str] | None:
    """When the baseline's job ``name`` (run with the overrides ``asked``) did not finish: the
    first finished job of its configuration on another seed, which the comparison pools with the
    rest of them, and the words that say so; None when there is none."""
    left = on_other_seeds(asked, jobs)
    if not left:
        return None
    return left[0], f"{ON_FINISHED_SEEDS} (job {name}, on {SEED} {seed_asked(asked)}, did not)"


def _may_be_baseline(base: object, overrides: list[str] | None) -> bool:
    """Whether a job known only by its overrides could be the baseline: marked or named so by an
    override, or none of its overrides moves a setting from its value before the sweep (group
    choices that write a config node, such as investment=[crm], cannot be told and count as
    not moving). Without a record of its overrides it may be anything. ``base``: the sweep's
    unswept config (multirun.yaml)."""
    if overrides is None:
        return True
    choices = recorded_choices(base)
    unswept = True
    for o in overrides:
        key, text = override_key(o), o.partition("=")[2].strip()
        if (key == "sim.baseline" and _yaml_value(text) is True
                or key == "sim.scenario" and text == UNNAMED_SCENARIO):
            return True
        if key in PRESENTATION_OVERRIDES or not isinstance(base, dict):
            continue
        value = _at(base, key)
        if value is None:
            unswept = unswept and (key not in choices or choices[key] == text)
        elif not isinstance(value, dict):
            unswept = unswept and _yaml_value(text) == value
    return unswept


def _yaml_value(text: str) -> object:
    """An override's value as YAML reads it (8.5, true, [a, b]); the text itself if it cannot."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _at(tree: object, key: str) -> object:
    """The value at a dotted key of a nested mapping; None where there is none."""
    for part in key.split("."):
        tree = tree.get(part) if isinstance(tree, dict) else None
    return tree


def _automatic_baseline(jobs: list[Job], base: object,
                        planned: list[list[str]]) -> tuple[Job, str] | None:
    """The job marked sim.baseline=true, else the scenario named 'baseline', else the job of the
    sweep's configuration as it stands (``base``, multirun.yaml), with a sentence saying why;
    None when no job is."""
    marked = [j for j in jobs if j.cfg.sim.baseline]
    if marked:
        extra = f" (also marked: {names_quoted([j.scenario for j in marked[1:]])})" if len(marked) > 1 else ""
        return marked[0], f"marked with sim.baseline=true{extra}"
    # The manifest's name: jobs that share the name 'baseline' were told apart by their folder.
    named = [j for j in jobs if j.manifest.get("scenario") == UNNAMED_SCENARIO]
    if named:
        many = f" (the first of the {len(named)} jobs so named)" if len(named) > 1 else ""
        return named[0], f"the scenario named 'baseline'{many}"
    unswept = _jobs_of_the_unswept_config(base, jobs)
    if unswept:
        swept = swept_keys(planned)
        if not swept - {SEED}:  # one job, or jobs alike: "its usual value" would name nothing
            return unswept[0], ("the one configuration the sweep runs (nothing "
                                + ("but sim.seed " if swept else "") + "is swept)")
        swept.discard(SEED)
        shown = [o for o in unswept[0].overrides or [] if override_key(o) in swept]
        # not when the scenario's name already says them (investment=[], named investment=[])
        named = f",{unswept[0].scenario},"  # its overrides comma-joined, shared ones too (org=small)
        said = f" ({', '.join(shown)})" if shown and not all(f",{o}," in named for o in shown) else ""
        return unswept[0], ("the configuration without the sweep: every setting the sweep varies "
                            f"at its usual value{said}")
    return None


def _jobs_of_the_unswept_config(base: object, done: list[Job]) -> list[Job]:
    """The jobs whose every override leaves the sweep's own config as it is: the value swept is
    the one it has without the sweep (span 8.5 of 5, 8.5, 12, 16; no investment of [], [crm]).
    multirun.yaml holds that config: Hydra composes it from the command without its sweeps. A
    config group that writes elsewhere than under its name (+calibrated=NAME, experiment=NAME) is
    told by the choice Hydra records (hydra.runtime.choices), absent from the unswept config.
    ``base``: that config as multirun.yaml holds it (None when it cannot be read)."""
    if not isinstance(base, dict):
        return []
    base_choices = recorded_choices(base)
    def unswept(job: Job) -> bool:
        chosen = None
        # A seed is luck, not a setting: a sweep of seeds has its baseline on each of them, which
        # the comparison pools into one (seed_pooling).
        for key in {override_key(o) for o in job.overrides or []} - PRESENTATION_OVERRIDES - {SEED}:
            value = _at(base, key)
            if value != _at(job.config, key):
                return False
            if value is None:  # not a key of the config: a group, or a Hydra key
                if chosen is None:
                    chosen = job_choices(job.path)
                if base_choices.get(key) != chosen.get(key):
                    return False
        return bool(job.overrides)

    return [j for j in done if unswept(j)]

