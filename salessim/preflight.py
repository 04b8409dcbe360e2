"""Check every job of a command before any simulation starts.

Hydra composes a multirun's jobs one at a time, inside the launcher, so a bad value in the tenth
job would surface after nine had run, as a multi-line report with exit status 1. salessim first
expands the command line the way Hydra's basic sweeper does (including ``hydra.sweeper.params``
set by an experiment), composes every job's config and validates it, and checks where the
command would write (Hydra finds a folder it cannot make only when it makes it). Anything wrong
becomes one :class:`~salessim.errors.UserError` line naming the key, the value and what is allowed.
Hydra's own flags are checked too, and handed to Hydra after the overrides (see ``hydra_argv``).
Composing one job, with its errors in one line, is :mod:`salessim.compose`; the launcher's and
sweeper's settings are checked by :mod:`salessim.launchers`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import os
import pickle
import re
import sys
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

from hydra import initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.core.object_type import ObjectType
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.utils import setup_globals
from omegaconf import DictConfig, OmegaConf, open_dict
from omegaconf.errors import InterpolationResolutionError, OmegaConfBaseException

from salessim.applied_fits import fit_files, fit_notices, fits_changed_said, rules_fitted_under
from salessim.compose import (CONFIG_DIR, app_configs, check_other_apps_keys, check_searchpath, chosen_file,
                              command_of,
                              compose_config, detach_hydra, first_line, naming_the_file,
                              refuse_a_forced_group, schema_of, without_other_apps_groups)
from salessim.config import MISSING, Config, changed_settings, flatten, register_configs
from salessim.config_files import SWEEPER_PARAMS, file_sweeping
from salessim.errors import (AsTyped, ConfigError, UserError, as_written, first_few, nearest_name,
                             refuse_a_name_too_long, shown_value, why_no_folder_can_be_made)
from salessim.folder_claim import MARKER, SWEEP_RECORD
from salessim.key_meanings import with_meanings
from salessim.launchers import (JOBLIB_SETTINGS, LAUNCHER, RAY_INIT, RAY_REMOTE, check_launcher,
                                is_ray_launcher, worker_processes)
from salessim.overrides import (key_and_value_typed, repeated_keys, split_override, swept_keys, typed_value,
                                without_overridden)
from salessim.plural import counted
from salessim.rule_settings import UnreadInTheJobs
from salessim.sweep_expansion import (BASELINE_INSTEAD, CHECK_SECONDS_PER_JOB, MANY_JOBS,
                                      gives_several_values, parse_overrides,
                                      refuse_a_comma_not_meant_as_a_sweep,
                                      refuse_replications_swept_with_settings, sweep_jobs)
from salessim.terminal import terminal_width
from salessim.typed_folders import folder_setting
from salessim.validation import FILE_NAME, FILE_NAME_ALLOWED, raw_value, to_validated

_ALIASES = {"-h": "--help", "-c": "--cfg", "-i": "--info", "-p": "--package", "-m": "--multirun",
            "-sc": "--shell-completion", "-cd": "--config-dir", "-cn": "--config-name",
            "-cp": "--config-path"}
# Hydra's flags by long name, in the order salessim's messages list them: None for a switch, the
# values allowed, or what the value is.
_FLAGS: dict[str, tuple[str, ...] | str | None] = {
    "--multirun": None, "--help": None, "--hydra-help": None, "--version": None,
    "--cfg": ("job", "hydra", "all"), "--package": "KEY", "--resolve": None,
    "--info": ("all", "config", "defaults", "defaults-tree", "plugins", "searchpath"),
    "--shell-completion": None, "--config-dir": "DIR", "--config-name": "NAME", "--config-path": "DIR",
    "--experimental-rerun": "FILE"}
_SWITCHES = {name for name, kind in _FLAGS.items() if kind is None}
_CHOICES = {name: kind for name, kind in _FLAGS.items() if isinstance(kind, tuple)}
_VALUES = {name for name, kind in _FLAGS.items() if isinstance(kind, str)}
# Hydra exits after these without composing the app's config ...
_NO_COMPOSE = {"--hydra-help", "--version", "--shell-completion"}
# ... and after these it shows the composed config (or help) instead of running a job.
_SHOW = {"--help", "--cfg", "--info"}
_SHELLS = ("bash", "fish", "zsh")  # Hydra's own completion plugins
_REFUSED = {"--config-path"}  # by every command: -cd DIR adds a folder instead
# Flags Hydra takes that a command refuses itself (salessim-calibrate runs one study, not a sweep).
_NOT_TAKEN = {"salessim-calibrate": {"--multirun"}}


@dataclasses.dataclass
class Command:
    """A command line as Hydra reads it: overrides, and Hydra's flags by long name (value None for
    a switch, or for --info without a value)."""

    overrides: list[str]
    flags: dict[str, str | None]

    @property
    def multirun(self) -> bool:
        return "--multirun" in self.flags

    @property
    def composes(self) -> bool:
        return not self.flags.keys() & _NO_COMPOSE

    @property
    def runs(self) -> bool:
        return not self.flags.keys() & (_NO_COMPOSE | _SHOW)

    def hydra_argv(self) -> list[str]:
        """Overrides first, then the flags: Hydra's argparse takes the overrides only as one run
        of words, so ``a=1 -m b=1,2`` would leave ``b=1,2`` "unrecognized". A key typed twice is
        given once, its last value, which is what Hydra runs (without_overridden). Hydra's help
        composes one config: with ``--help``, a sweep's values and -m are left out (a walk's
        ``salessim -m fsm.span_of_control=8,12 --help`` ended in Hydra's traceback)."""
        helped = "--help" in self.flags
        flags = [k if v is None else f"{k}={v}" for k, v in self.flags.items()
                 if not (helped and k == "--multirun")]
        overrides = without_overridden(self.overrides)
        return [o for o in overrides if not (helped and gives_several_values(o))] + flags


def accepted(config_name: str) -> str:
    """The options of the command whose primary config is ``config_name``, as its messages list
    them: every flag of Hydra's that salessim passes on, less those the command refuses."""
    prog = command_of(config_name)
    short = {name: alias for alias, name in _ALIASES.items()}
    shown = ["key=value overrides"]
    for name, kind in _FLAGS.items():
        if name in _REFUSED | _NOT_TAKEN.get(prog, set()):
            continue
        flag = f"{short[name]}/{name}" if name in short else name
        if isinstance(kind, tuple):  # --info may go without one
            flag += f" {'|'.join(kind)}" if name == "--cfg" else f" [{'|'.join(kind)}]"
        if name == "--config-name":  # its own only (_refuse_another_config)
            kind = config_name
        shown.append(f"{flag} {kind}" if isinstance(kind, str) else flag)
    return ", ".join(shown)


def parse_argv(argv: list[str], config_name: str = "config") -> Command:
    """The command line of the command whose primary config is ``config_name``, each flag
    checked the way Hydra would, so that Hydra itself never stops with its multi-line usage or a
    traceback."""
    prog = command_of(config_name)
    overrides, flags = [], {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, eq, inline = arg.partition("=")
        name = _ALIASES.get(name, name)
        if name in _CHOICES:
            value = inline if eq else (args.pop(0) if args and not args[0].startswith("-")
                                       and "=" not in args[0] else None)
            if value is None and name == "--cfg":
                raise UserError(f"{arg} needs a value; allowed: {', '.join(_CHOICES[name])}")
            if value is not None and value not in _CHOICES[name]:
                raise UserError(f"{name}={value} is not allowed: one of {', '.join(_CHOICES[name])}")
            flags[name] = value
        elif name in _SWITCHES and not eq:
            flags[name] = None
        elif name in _VALUES:
            value = inline if eq else (args.pop(0) if args else None)
            if not value:
                raise UserError(f"{name} needs a value (allowed: {name} VALUE)")
            flags[name] = value
        elif arg.startswith("-"):
            raise UserError(f"unknown option {arg!r}; allowed: {accepted(config_name)}")
        else:
            overrides.append(arg)
    _check_flags(flags, overrides, prog)
    return Command(overrides, flags)


def hydra_argv(argv: list[str], config_name: str = "config") -> list[str]:
    """``argv`` in the order Hydra's argparse reads it (see :meth:`Command.hydra_argv`)."""
    return parse_argv(argv, config_name).hydra_argv()


@contextlib.contextmanager
def help_of_this_command(argv: list[str], config_name: str = "config", hidden: Collection[str] = (),
                         edit: Callable[[str], str] = str) -> Iterator[None]:
    """Hydra prints ``--help`` itself, listing the groups of the whole config folder and every
    key: held back and printed without the groups of the other command and the ``hidden`` keys,
    which this one refuses, and with the command's own ``edit``."""
    command = parse_argv(argv, config_name)
    if "--help" not in command.flags:
        yield
        return
    held = io.StringIO()
    try:
        with contextlib.redirect_stdout(held):
            yield
    finally:
        shown = without_other_apps_groups(held.getvalue(), config_name, hidden, width=terminal_width())
        shown = with_meanings(shown, schema_of(config_name))
        overrides = _with_config_dir(command.overrides, command.flags.get("--config-dir"))
        sys.stdout.write(edit(_with_the_experiments_sweep(shown, overrides)))


_FOLDED_COMMA = re.compile(r",\s+")


def _with_the_experiments_sweep(help_text: str, overrides: list[str]) -> str:
    """The help of a command choosing an experiment, with what the experiment sweeps (with -m)
    before Hydra's closing line: the config shown holds its question, not its jobs, which a
    sales-ops walk found only in the experiment's file."""
    experiment = chosen_file("experiment", overrides)
    try:
        params = OmegaConf.select(OmegaConf.load(experiment[1]), SWEEPER_PARAMS) if experiment else None
    except Exception:  # unreadable: compose has said why, or the run will
        params = None
    if not isinstance(params, DictConfig) or not params:
        return help_text
    # a file's folded values (>-) come with a space after a line's last comma
    sweep = "".join(f"  {key}: {_FOLDED_COMMA.sub(',', str(values).strip())}\n"
                    for key, values in params.items())
    said = (f"== The sweep of experiment={experiment[0]} ==\nRun with -m: one job for each combination of "
            f"these values ({SWEEPER_PARAMS});\na key typed on the command line replaces its values.\n\n"
            f"{sweep}\n")
    footer = help_text.rfind("\nHydra's own options")
    return help_text[:footer + 1] + said + help_text[footer + 1:] if footer >= 0 else help_text + "\n" + said


def _check_flags(flags: dict[str, str | None], overrides: list[str], prog: str) -> None:
    """What Hydra would refuse with a traceback, in the order it checks."""
    if "--config-dir" in flags and not Path(flags["--config-dir"]).is_dir():
        given = Path(flags["--config-dir"])
        tried = "" if given.is_absolute() else f"; from {Path.cwd()}, that is {given.resolve()}"
        raise UserError(f"--config-dir {flags['--config-dir']} is not a folder{tried} (allowed: a "
                        "folder of config files to add to the search path)")
    if "--experimental-rerun" in flags:
        _check_a_runs_pickle(flags["--experimental-rerun"])
    if "--config-path" in flags:
        raise UserError(f"--config-path is not supported by {prog} (allowed: -cd DIR to add a "
                        "folder of configs to the search path)")
    if flags.keys() & {"--help", "--version"}:
        return
    # Without --cfg, Hydra ignores -p (and runs the whole scenario) and refuses --resolve.
    for option, name, usage in (("--package", "-p/--package", "-p sim"),
                                ("--resolve", "--resolve", "--resolve")):
        if option in flags and "--cfg" not in flags:
            raise UserError(f"{name} only works with --cfg (allowed: --cfg job {usage})")
    if "--hydra-help" in flags:
        other = [o for o in overrides if not split_override(o)[0].startswith("hydra")]
        if other:  # Hydra composes only its own config for it, and fails on the app's keys
            raise UserError(f"--hydra-help shows Hydra's own help and takes none of the app's "
                            f"overrides ({other[0]}) (allowed: --hydra-help, with hydra/... choices)")
        return
    # a flag the command does not take at all is refused as such, not as a combination
    commands = [f for f in ("--multirun", "--cfg", "--info", "--shell-completion")
                if f in flags and f not in _NOT_TAKEN.get(prog, set())]
    if len(commands) > 1:
        taken = [f for f in ("-m", "--cfg", "--info", "--shell-completion")
                 if _ALIASES.get(f, f) not in _NOT_TAKEN.get(prog, set())]
        raise UserError(f"{commands[0]} and {commands[1]} cannot be combined (allowed: one of "
                        f"{', '.join(taken)})")
    if "--shell-completion" in flags:
        given = dict(o.partition("=")[::2] for o in overrides)
        chosen = [k for k in ("install", "uninstall", "query") if k in given]
        if len(chosen) != 1 or given[chosen[0]] not in _SHELLS:  # query=SHELL too: a completion script's
            raise UserError(f"--shell-completion {' '.join(overrides)} is not allowed: one of "
                            f"install=SHELL, uninstall=SHELL, query=SHELL (SHELL: {', '.join(_SHELLS)})")
        if chosen == ["query"] and "COMP_LINE" not in os.environ:  # Hydra reads the line from there
            raise UserError(f"--shell-completion query={given['query']} is what the completion script "
                            "installed with install=SHELL runs, with the line being typed in COMP_LINE, "
                            "which is not set (allowed: install=SHELL, uninstall=SHELL)")


# What Hydra's --experimental-rerun reads, and how salessim runs a run again.
RERUN_ALLOWED = ("the config.pickle of an earlier run, which Hydra writes only with its "
                 "PickleJobInfoCallback; salessim-rerun RUN_FOLDER runs a finished run again from its "
                 "manifest.json, README")


def _check_a_runs_pickle(file: str) -> None:
    """--experimental-rerun FILE: Hydra loads FILE as a pickle and reads its hydra node, and ended
    in a traceback (UnpicklingError, AttributeError) on a file that is no run's config.pickle."""
    if not Path(file).is_file():
        raise UserError(f"--experimental-rerun {file} does not exist (allowed: {RERUN_ALLOWED})")
    try:
        with open(file, "rb") as f:
            config = pickle.load(f)  # nosec: Hydra loads it next, as it is
    except Exception:  # any byte stream: pickle raises what it meets
        config = None
    if not (isinstance(config, DictConfig) and "hydra" in config):
        raise UserError(f"--experimental-rerun {file} is not a run's config.pickle, a config Hydra "
                        f"composed and pickled (allowed: {RERUN_ALLOWED})")


def _refuse_a_package_not_shown(cfg: DictConfig, package: str, shown: str) -> None:
    """``--cfg job -p hydra.sweeper``: Hydra said "package 'hydra.sweeper' not found in config"
    and exited 1, as it does for a misspelt package. ``shown``: job (the config without Hydra's
    settings), hydra (those alone) or all."""
    if package == "_global_":  # Hydra's word for the whole config
        return
    hydras = package == "hydra" or package.startswith("hydra.")
    if shown == "job" and hydras or shown == "hydra" and not hydras:
        other = "hydra" if hydras else "job"
        raise UserError(f"-p {package} is not allowed with --cfg {shown}, which shows "
                        f"{'the config without Hydra' if shown == 'job' else 'Hydra'}'s settings "
                        f"(allowed: --cfg {other} -p {package}, or --cfg all)")
    try:
        found = OmegaConf.select(cfg, package, throw_on_missing=False)
    except InterpolationResolutionError:  # a value that cannot be resolved: the checks of values say so
        return
    except OmegaConfBaseException:  # not a key's path: a..b
        found = None
    if found is not None:
        return
    parent, _, last = package.rpartition(".")
    try:
        node = OmegaConf.select(cfg, parent) if parent else cfg
    except OmegaConfBaseException:
        node = None
    # A key set to null, or with no value yet (???), which Hydra calls not found
    if isinstance(node, DictConfig) and last in node.keys():
        around = f"-p {parent}" if parent else f"--cfg {shown} without -p"
        what = ("is null, which Hydra cannot show alone" if not OmegaConf.is_missing(node, last) else
                f"has no value {'before a job starts' if hydras else 'yet'} (???), and Hydra shows "
                "no such key alone")
        raise UserError(f"-p {package} is not allowed: {package} {what} (allowed: {around}, which shows it)")
    keys = ([str(k) for k in node.keys() if parent or hydras or k != "hydra"]
            if isinstance(node, DictConfig) else [])
    near = nearest_name(last, keys)
    sections = ", ".join(str(k) for k in cfg.keys() if k != "hydra")
    allowed = (f"did you mean {parent + '.' if parent else ''}{near}?" if near else
               "allowed: hydra or a key under it, such as hydra.sweeper" if hydras else
               f"allowed: a section of the config ({sections}) or a key in one, such as org.sellers")
    raise UserError(f"-p {package} is not allowed: the config has no {package} ({allowed})")


def _refuse_another_config(chosen: str | None, config_name: str) -> None:
    """-cn NAME other than the command's own config: the other command's has keys this command
    does not know (Hydra's error named one of them, or a whole section, not the flag); and a
    primary config of one's own is not found: the checks compose with -cd DIR as an entry of
    hydra.searchpath, which Hydra reads only from the primary config."""
    chosen = chosen and chosen.removesuffix(".yaml")  # Hydra takes the name with its suffix too
    if not chosen or chosen == config_name:
        return
    prog = command_of(config_name)
    other = app_configs().get(chosen, prog)
    why = (f"the config of {other}; run {other} for it" if other != prog else
           f"{prog} reads one config, its own; configs of your own go in a folder added with -cd DIR, "
           "one file per group choice")
    raise UserError(f"--config-name={chosen} is not allowed: {why} (allowed: -cn {config_name}, "
                    "which is what the command reads without -cn)")


def _with_config_dir(overrides: list[str], config_dir: str | None) -> list[str]:
    """What -cd DIR does in Hydra: DIR joins the config search path, after the shipped configs
    and before the hydra.searchpath entries, so a file in both DIR and an entry comes from DIR."""
    if config_dir:
        overrides = _with_searchpath_entry(overrides, f"file://{Path(config_dir).resolve()}")
    check_searchpath(overrides)
    return overrides


def _with_searchpath_entry(overrides: list[str], entry: str) -> list[str]:
    """``overrides`` with ``entry`` first on hydra.searchpath."""
    for i, o in enumerate(overrides):
        if o.startswith("hydra.searchpath=[") and o.endswith("]"):
            inner = o[len("hydra.searchpath=["):-1].strip()
            entries = f"{entry},{inner}" if inner else entry
            return overrides[:i] + [f"hydra.searchpath=[{entries}]"] + overrides[i + 1:]
    return overrides + [f"hydra.searchpath=[{entry}]"]


def _refuse_a_sweep_given_again(overrides: list[str]) -> None:
    """``-m fsm.span_of_control=6,10 fsm.span_of_control=8``: Hydra takes a key's last value, so
    the sweep silently became one job. A plain key typed twice is Hydra's usual 'the last wins'
    (a wrapper's defaults, then the user's), and stays allowed."""
    for earlier, o in repeated_keys(overrides):
        if gives_several_values(o) or gives_several_values(earlier):
            raise UserError(f"{o} is not allowed with {earlier}: a key swept is given once (Hydra "
                            f"would run only the last); for more values, one sweep: "
                            f"-m {split_override(o)[0]}=A,B,C")


def _refuse_the_other_modes_folder(command: Command, config_name: str) -> None:
    """hydra.sweep.dir typed for a single run (or hydra.run.dir for a sweep), where Hydra reads
    the other: a sales-ops walk's results went to results/runs/<time> without a word, and the
    comparison then found no sweep in the folder typed. Both typed (a wrapper's habit) pass."""
    if "--help" in command.flags:  # the help composes no run: nothing is written anywhere
        return
    typed = {split_override(o)[0] for o in command.overrides}
    read, ignored = (("hydra.sweep.dir", "hydra.run.dir") if command.multirun else
                     ("hydra.run.dir", "hydra.sweep.dir"))
    if ignored in typed and read not in typed:
        value = typed_value(command.overrides, ignored)
        study = config_name == "calibrate"  # a study runs alone: no -m
        reader = "a sweep (-m)" if command.multirun else command_of(config_name) if study else "a single run"
        raise UserError(f"{ignored}={value} is not read by {reader}, which writes to {read} (allowed: "
                        f"{read}={value}{'' if command.multirun or study else ', or -m for a sweep'})")


def _checking_bar(jobs: int):
    """A bar of the jobs checked, on a terminal, for a sweep whose check is announced as long
    (MANY_JOBS and more: 10,000 jobs take half an hour); None otherwise. Cleared when closed."""
    if jobs < MANY_JOBS or not sys.stderr.isatty():
        return None
    from tqdm.auto import tqdm  # here: a command that checks few jobs need not import it

    return tqdm(total=jobs, desc="checking jobs", unit="job", leave=False, file=sys.stderr)


def check_command(argv: list[str], config_name: str = "config",
                  validate: Callable[[DictConfig, list[str], str | None], Any] | None = None,
                  output: dict[str, Any] | None = None) -> int:
    """Validate every job ``salessim argv`` would run, and where it would write. Returns the
    number of jobs checked; ``output``, if given, receives where the command writes: ``key``
    (hydra.run.dir, or hydra.sweep.dir for a sweep), ``folder`` (resolved) and ``chosen_by_clock``
    (its value holds ${now:...}, so the next second would give another folder), and for the
    model's command ``jobs`` and the overrides of each (``checked``), how many of them a resume
    will not skip (``to_run``), the ``hours``
    those are expected to take on one core, for a sweep the seconds each is ``expected`` to take by
    its folder's name (a resume without its folder is refused here).

    ``validate(cfg, overrides, run_dir)`` checks one composed job (default: the model config's
    checks); ``run_dir`` is the folder a single run will write to, None for a sweep or a command
    that only shows something (--cfg, --help, --info).
    """
    command = parse_argv(argv, config_name)
    _refuse_another_config(command.flags.get("--config-name"), config_name)
    if not command.composes:
        return 0
    _refuse_a_sweep_given_again(command.overrides)
    _refuse_the_other_modes_folder(command, config_name)
    overrides = _with_config_dir(command.overrides, command.flags.get("--config-dir"))
    config_name = command.flags.get("--config-name") or config_name
    register_configs()
    GlobalHydra.instance().clear()
    try:
        # Hydra names the job after the module of the decorated task (cli.py for both commands),
        # and ${hydra.job.name} may place the output folder checked below.
        sweep_lines: list[str] = []  # what is said of the sweep, once its jobs are checked
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3", job_name="cli"), \
                _clock_read_once():
            try:
                jobs = expand_jobs(overrides, command.multirun, config_name,
                                   ONE_STUDY if config_name == "calibrate" else RUN_A_SWEEP,
                                   command.flags.get("--config-dir"), said=sweep_lines)
            except ConfigError as e:
                raise in_the_sweeping_file(e, overrides) from None
            outputs, hours, to_run, resume = [], 0.0, 0, False
            expected: dict[str, float] = {}  # a sweep's jobs to run: the seconds each should take
            labels: list[tuple[str, bool]] = []  # each job's sim.scenario and sim.baseline
            unread = UnreadInTheJobs()  # settings the jobs' decision rules do not read
            spans_alike = None  # the jobs' spans of control that make the same teams (with the model)
            # salessim's own runs, when every job invests: then no job is the baseline of doing nothing
            every_job_invests = validate is None
            fit_lines: dict[str, None] = {}  # what is said of the fits applied, once for a sweep's jobs
            once: dict[str, None] = {}  # notices.said_once_for_a_sweep, each line once for its jobs
            fit_cache: dict = {}  # fit_notices' reads, made once for a sweep's jobs

            def composed(job: list[str]) -> DictConfig:
                try:
                    return compose_config(job, config_name, with_hydra=True)
                except ConfigError as e:
                    raise in_the_sweeping_file(e, overrides) from None

            def validated(cfg: DictConfig, job: list[str], run_dir: str | None) -> Any:
                try:  # salessim's own checks, or the command's (salessim-calibrate's)
                    return to_validated(cfg) if validate is None else validate(cfg, job, run_dir)
                except ConfigError as e:
                    raise in_the_sweeping_file(naming_the_file(e, job), overrides) from None

            if len(jobs) >= MANY_JOBS:
                # The last job first: a range's largest value is there, and one out of range is
                # refused at once, not after a minute spent on the jobs before it.
                last = composed(jobs[-1])
                where = _where_job_writes(last, len(jobs) - 1, command.multirun) if command.runs else {}
                detach_hydra(last)
                checked = validated(last, jobs[-1], None)
                if validate is None and where and checked.sim.resume and where["dir reads clock"]:
                    _refuse_a_resume_without_its_folder(command.multirun, where)  # before the wait
                # checking them takes a while: say what is going on
                print(f"{command_of(config_name)}: checking the {len(jobs):,} jobs of the sweep before "
                      f"the first starts (about {len(jobs) * CHECK_SECONDS_PER_JOB:,.0f} s)", file=sys.stderr)
            bar = _checking_bar(len(jobs))  # None unless many jobs are checked at a terminal
            try:
                for num, job in enumerate(jobs):
                    cfg = composed(job)
                    _refuse_hydra_mode(cfg, job, config_name)
                    if command.runs and not command.multirun:
                        refuse_a_sweep_in_a_single_run(cfg, job)
                    if "--package" in command.flags:
                        _refuse_a_package_not_shown(cfg, command.flags["--package"], command.flags["--cfg"])
                    where = _where_job_writes(cfg, num, command.multirun) if command.runs else {}
                    if command.runs and num == 0:  # Hydra's own settings: the same in every job
                        _check_log_levels(cfg)
                    if where:
                        outputs.append(where)
                    hydra_node = detach_hydra(cfg)
                    config = validated(cfg, job, where.get("hydra.run.dir"))
                    if command.runs:
                        fits = fit_files(job, hydra_node)
                        fit_lines.update(dict.fromkeys(fit_notices(job, fits, config_name, cfg, fit_cache)))
                        if command.multirun and validate is None:
                            from salessim.notices import said_once_for_a_sweep  # pandas: a command that runs
                            fitted_under = rules_fitted_under(fits)
                            once.update(dict.fromkeys(said_once_for_a_sweep(config, fitted_under,
                                                                            hydra_node.launcher, job)))
                    if validate is None and where:
                        from salessim.runner import expected_hours  # pandas: a command that runs
                        try:
                            kept = _check_earlier_results(where, config, command.multirun)
                        except ConfigError:  # another config there: perhaps the same jobs in another
                            # order, or fewer of them (the jobs after a value left out move up: a walk)
                            if command.multirun and config.sim.resume:
                                _refuse_the_jobs_in_another_order(Path(where["hydra.sweep.dir"]), jobs)
                                _check_the_plan_kept(Path(where["hydra.sweep.dir"]), jobs)
                            raise
                        if not kept:
                            hours += expected_hours(config, of_one_core=True)  # said as one core's work
                            to_run += 1
                            if command.multirun:  # the time its jobs left take (finished_order.py)
                                expected[_job_folder(where).name] = expected_hours(config) * 3600
                        resume = resume or config.sim.resume
                        if resume and where["dir reads clock"]:
                            _refuse_a_resume_without_its_folder(command.multirun, where)
                        every_job_invests = every_job_invests and bool(config.investment)
                        labels.append((config.sim.scenario, config.sim.baseline))
                        unread.add(config, {split_override(o)[0] for o in job})
                        if command.multirun:
                            if spans_alike is None:
                                from salessim.whole_teams import SpansAlike  # the model: a sweep that runs
                                spans_alike = SpansAlike()
                            spans_alike.add(config)
                    if bar is not None:
                        bar.update(1)
            finally:
                if bar is not None:  # cleared before any line that follows, a refusal's too
                    bar.close()
            if outputs:
                _check_outputs(outputs)
                if validate is None:  # salessim's own runs (salessim-calibrate checks its folder)
                    _refuse_a_study_folder(outputs[0], command.multirun)
                if command.multirun and validate is None:
                    _refuse_labels_of_one_job_on_many(jobs, labels)
                    _check_no_job_left_out(outputs)
                    sweep_lines += [*(spans_alike.notes() if spans_alike else []), *unread.notes()]
                    if resume:
                        _check_the_plan_kept(Path(outputs[0]["hydra.sweep.dir"]), jobs)
                if output is not None:
                    key = "hydra.sweep.dir" if command.multirun else "hydra.run.dir"
                    output.update(key=key, folder=str(outputs[0][key]),
                                  chosen_by_clock=outputs[0]["dir reads clock"],
                                  jobs=len(jobs), checked=jobs, to_run=to_run, hours=hours,
                                  expected=expected,
                                  workers=min(to_run, worker_processes(outputs[0])),
                                  every_job_invests=every_job_invests,
                                  # the jobs' folders, by name: one level down (_check_outputs)
                                  job_folders=[_job_folder(o).name for o in outputs]
                                  if command.multirun else [],
                                  on_ray=is_ray_launcher(hydra_node.launcher.get("_target_")))
            # Said once every check has passed: a refused command ends in its one line
            for line in [*sweep_lines, *fit_lines, *once]:
                print(f"{command_of(config_name)}: {line}", file=sys.stderr)
            return len(jobs)
    finally:
        GlobalHydra.instance().clear()


def _refuse_a_resume_without_its_folder(multirun: bool, where: dict[str, Any]) -> None:
    """Asked to resume, a command whose folder the clock names would run every job again into a new
    folder: hours, for a slip. Refused at the first job, before the rest are checked (a sweep of
    many takes minutes) and before any notice: a refusal is its one line (a walk)."""
    key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    raise UserError(f"sim.resume=true is not allowed without the folder to resume: {key}=FOLDER (the "
                    f"results would go to a new folder named by the clock, and everything would run "
                    f"again){_latest_beside(key, str(where[key]))}")


def _latest_beside(key: str, folder: str) -> str:
    """'; the latest there: hydra.sweep.dir=results/sweeps/2026-12-06_05-54-55', the newest sweep
    (or run, for hydra.run.dir) beside the folder the clock names (the one a resume most likely
    meant), as its setting; '' where there is none."""
    from salessim.outputs import MANIFEST  # pandas, only for a command that runs
    record = SWEEP_RECORD if key == "hydra.sweep.dir" else MANIFEST
    with contextlib.suppress(OSError):
        earlier = [p for p in Path(folder).parent.iterdir() if (p / record).is_file()]
        if earlier:
            latest = max(earlier, key=lambda p: p.stat().st_mtime)
            return f"; the latest there: {folder_setting(key, str(latest))}"
    return ""


@contextlib.contextmanager
def _clock_read_once() -> Iterator[None]:
    """Hydra reads the clock (${now:...}) once for a run or a sweep; each job's config composed
    here would read it again, and a second later name another folder. So the check reads it once,
    whichever key holds it (hydra.sweep.dir=${hydra.run.dir}, too), and compares the jobs' folders
    as Hydra will place them. (Hydra's own resolver is set again as it starts.)"""
    now = datetime.now()
    OmegaConf.register_new_resolver("now", lambda pattern: now.strftime(pattern), use_cache=True, replace=True)
    try:
        yield
    finally:
        setup_globals()


# --- where a command writes: Hydra finds a bad folder only as it creates it, with a traceback -

# Where a job keeps its record (salessim-compare and salessim-rerun read .hydra/) and the name of
# its log file: Hydra fails on a name that is not a file's with a traceback, once the job starts.
_JOB_KEYS = ("hydra.output_subdir", "hydra.job.name")
_SWEEP_KEYS = ("hydra.sweep.dir", "hydra.sweep.subdir", "hydra.launcher._target_", "hydra.sweeper._target_",
               "hydra.sweeper.max_batch_size")
def _where_job_writes(cfg: DictConfig, num: int, multirun: bool) -> dict[str, Any]:
    """The settings that place the job's output, resolved as Hydra resolves them for job ``num``."""
    with open_dict(cfg):  # as Hydra's launchers number a sweep's jobs
        cfg.hydra.job.num = num
        cfg.hydra.job.id = f"{cfg.hydra.job.name}_{num}"
    own = {key: _resolved(cfg, key) for key in _JOB_KEYS}
    dir_key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    folder = raw_value(cfg, dir_key)
    if not multirun:
        return {"dir as set": folder, "dir reads clock": _reads_clock(cfg, dir_key),
                "hydra.run.dir": _resolved(cfg, "hydra.run.dir"), **own}
    subdir = raw_value(cfg, "hydra.sweep.subdir")
    return {**own, "dir as set": folder, "dir reads clock": _reads_clock(cfg, dir_key),
            "subdir as set": subdir, "subdir reads clock": _reads_clock(cfg, "hydra.sweep.subdir"),
            **{key: _resolved(cfg, key) for key in _SWEEP_KEYS},
            **{f"hydra.launcher.{key}": _resolved(cfg, f"hydra.launcher.{key}") for key in JOBLIB_SETTINGS},
            RAY_REMOTE: _resolved(cfg, RAY_REMOTE, whole=True),
            RAY_INIT: _resolved(cfg, RAY_INIT, whole=True),
            LAUNCHER: _resolved(cfg, LAUNCHER, whole=True)}


def _check_log_levels(cfg: DictConfig) -> None:
    """The levels of Hydra's logging settings (hydra.job_logging.root.level=INFO): Python's logging
    refuses another name only as the job starts, with a traceback."""
    import logging

    known = logging.getLevelNamesMapping()

    def levels(node: Any, key: str):
        if isinstance(node, dict):
            for name, value in node.items():
                yield from levels(value, f"{key}.{name}")
                # ${oc.env:LEVEL,INFO}: resolved as the job starts, not here
                if name == "level" and not isinstance(value, (dict, list)) and "${" not in str(value):
                    yield f"{key}.{name}", value

    for part in ("hydra.job_logging", "hydra.hydra_logging"):
        node = OmegaConf.select(cfg, part, default=None)
        settings = OmegaConf.to_container(node, resolve=False) if OmegaConf.is_config(node) else None
        for key, value in levels(settings, part):
            if not (isinstance(value, int) and not isinstance(value, bool)
                    or isinstance(value, str) and value in known):
                raise ConfigError(key, value, "a level of Python's logging: "
                                  + ", ".join(sorted(known, key=known.get)))


def _resolved(cfg: DictConfig, key: str, whole: bool = False) -> Any:
    """The setting at ``key``, resolved; ``whole``: with everything inside it resolved too, as
    plain Python values (a section's own interpolations resolve only when read)."""
    try:
        node = OmegaConf.select(cfg, key, default=None)
        return OmegaConf.to_container(node, resolve=True) if whole and OmegaConf.is_config(node) else node
    except OmegaConfBaseException as e:
        raise ConfigError(key, raw_value(cfg, key),
                          f"a value that can be resolved ({first_line(e)})") from None


def _job_folder(output: dict[str, Any]) -> Path:
    """A sweep's job's folder, as its output settings place it: hydra.sweep.subdir in hydra.sweep.dir."""
    return Path(os.path.normpath(Path(output["hydra.sweep.dir"]) / str(output["hydra.sweep.subdir"])))


def _check_outputs(outputs: list[dict[str, Any]]) -> None:
    # pandas, only for a command that runs
    from salessim.outputs import (MANIFEST, is_sweep_folder, refuse_a_folder_inside_salessims,
                                  refuse_a_run_inside_a_sweep, refuse_someone_elses_folder)

    first = outputs[0]
    record = first["hydra.output_subdir"]
    if record is not None and (os.path.isabs(str(record)) or os.path.normpath(str(record)).startswith("..")
                               or os.path.normpath(str(record)) == "."):  # '' or '.': the job's folder itself
        raise ConfigError("hydra.output_subdir", record, "a folder inside the job's folder for Hydra's "
                          "record of the job (.hydra, which salessim-compare reads), or null for none")
    if not FILE_NAME.fullmatch(str(first["hydra.job.name"])):
        raise ConfigError("hydra.job.name", first["hydra.job.name"], f"{FILE_NAME_ALLOWED} (it names "
                          "the job's log file)")
    _refuse_a_record_named_as_salessims(record, first["hydra.job.name"])
    if "hydra.run.dir" in first:
        _check_folder("hydra.run.dir", first["hydra.run.dir"])
        refuse_a_folder_inside_salessims("hydra.run.dir", first["hydra.run.dir"])
        refuse_someone_elses_folder(Path(first["hydra.run.dir"]), "hydra.run.dir")
        if is_sweep_folder(Path(first["hydra.run.dir"])):
            raise ConfigError("hydra.run.dir", first["hydra.run.dir"], "a folder of its own for the "
                              "run (this one is a sweep's, which would then read as a single run)")
        refuse_a_run_inside_a_sweep("hydra.run.dir", first["hydra.run.dir"])
        _check_record_writable("hydra.run.dir", first["hydra.run.dir"], Path(first["hydra.run.dir"]), record)
        return
    _check_folder("hydra.sweep.dir", first["hydra.sweep.dir"])
    refuse_a_folder_inside_salessims("hydra.sweep.dir", first["hydra.sweep.dir"])
    refuse_someone_elses_folder(Path(first["hydra.sweep.dir"]), "hydra.sweep.dir")
    sweep = Path(first["hydra.sweep.dir"])
    sweep_record = sweep / SWEEP_RECORD
    if os.path.lexists(sweep_record) and (sweep_record.is_dir() or not os.access(sweep_record, os.W_OK)):
        raise ConfigError("hydra.sweep.dir", first["hydra.sweep.dir"], "a sweep folder where Hydra can "
                          f"write its record of the sweep ({sweep_record} is "
                          f"{'a folder' if sweep_record.is_dir() else 'a file salessim cannot write'})")
    if (sweep / MANIFEST).exists():
        whole = Path(os.path.abspath(sweep))  # '.' typed from inside a job's folder has a name here
        held = (f"job {whole.name} of the sweep in {whole.parent}" if is_sweep_folder(whole.parent)
                else "a single run's results")
        raise ConfigError("hydra.sweep.dir", first["hydra.sweep.dir"], "a folder of its own for the "
                          f"sweep (this one holds {held})")
    for num, o in enumerate(outputs):  # the comparison finds a sweep's jobs in its folder, one level down
        if os.path.normpath(str(o["hydra.sweep.dir"])) != os.path.normpath(str(first["hydra.sweep.dir"])):
            # set from what the jobs sweep (sw_${org.sellers}): Hydra would scatter them
            raise ConfigError("hydra.sweep.dir", first["dir as set"], "one folder for the whole "
                              f"sweep, the same for every job (job {num}'s would be "
                              f"{o['hydra.sweep.dir']}, job 0's {first['hydra.sweep.dir']})")
        job = _job_folder(o)
        if job.parent != Path(os.path.normpath(sweep)):
            raise ConfigError("hydra.sweep.subdir", first["subdir as set"], "a folder name inside "
                              f"hydra.sweep.dir, one level down (a job would write to {job})")
        if os.path.lexists(job) and not job.is_dir():  # Hydra would stop mid-sweep, a traceback
            raise ConfigError("hydra.sweep.dir", first["hydra.sweep.dir"], "a sweep folder without "
                              f"files where its jobs' folders go ({job} is a file: job "
                              f"{o['hydra.sweep.subdir']} writes its results there)")
        _check_record_writable("hydra.sweep.dir", first["hydra.sweep.dir"], job, record)
    batch = first["hydra.sweeper.max_batch_size"]
    if batch is not None and not (isinstance(batch, int) and batch >= 1):
        raise ConfigError("hydra.sweeper.max_batch_size", batch, "null (every job at once) or a "
                          "number of jobs >= 1 handed to the launcher at a time")
    check_launcher(first)
    if first["subdir reads clock"]:
        # Read once more as each job starts, the clock names its folder other than the one planned:
        # a resume would not find the job's results, nor a stopped sweep the folders to clear.
        raise ConfigError("hydra.sweep.subdir", first["subdir as set"], "a job's folder name without "
                          "the clock (${now:...}), such as ${hydra.job.num}, the default: a resume finds "
                          "a job's results by that name (the sweep's folder, hydra.sweep.dir, may "
                          "carry the time)")
    _check_distinct_subdirs([o["hydra.sweep.subdir"] for o in outputs], first["subdir as set"],
                            first["hydra.sweep.dir"])


def _refuse_a_study_folder(first: dict[str, Any], multirun: bool) -> None:
    """A calibration study's folder is not a run's: the run's tables and .hydra/ would land among
    the study's, and the next salessim-calibrate there would read the run's record as its own."""
    from salessim.outputs import study_in_folder  # a command that runs

    key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    held = study_in_folder(Path(first[key]))
    if held is not None:
        raise ConfigError(key, first[key], f"a folder of its own for the {'sweep' if multirun else 'run'} "
                          f"(this one holds calibration study {held[0]!r}, whose files its tables "
                          "would land among)")


def _check_earlier_results(where: dict[str, Any], config: Config, multirun: bool) -> bool:
    """A job's folder that holds results is written to only by a resume of the same command:
    another run there would replace them, or mix two sweeps' jobs in one folder. True when the
    resume will skip the job: its results are complete for this config."""
    key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    folder = Path(where[key]) / (str(where["hydra.sweep.subdir"]) if multirun else "")
    return earlier_results_kept(key, where[key], folder, config)


def earlier_results_kept(key: str, value: str, folder: Path, config: Config) -> bool:
    """The results in job ``folder`` (given as ``key``=``value``) meet a run of ``config``: True
    when its resume keeps them (complete for this config); False when it runs the job there (no
    results, or none a resume could keep); a ConfigError when it may not write there at all."""
    from salessim.outputs import is_complete, job_manifest, manifest_edited, same_config  # pandas

    meta = job_manifest(folder)
    if meta is None:
        return False  # no results there, or none a resume could keep: the job runs
    if not config.sim.resume:
        raise ConfigError(key, value, f"{folder} holds a job's results (allowed: a folder "
                          "without results, or this one with sim.resume=true, which keeps the results "
                          "complete for the same config and runs the rest)")
    if manifest_edited(meta):
        return False  # it vouches for nothing: the resume runs the job again
    if not same_config(meta, dataclasses.asdict(config)):
        changed = (_changed_settings(meta["config"], dataclasses.asdict(config))
                   + fits_changed_said(meta.get("calibrated") or []))
        raise ConfigError(key, value, f"{folder} holds results of another config{_scenario_of(meta)}: "
                          f"{changed} (allowed: a folder without results, or sim.resume=true with the "
                          "command or call that made them, the only one it resumes)")
    return is_complete(folder, dataclasses.asdict(config))


# ${now:...} in a folder's value, not escaped as \${ (text): the next second names another folder.
_CLOCK = re.compile(r"(?<!\\)\$\{\s*now\s*:")
# Another key's value: ${hydra.run.dir}, relative to the key's own section ${..run.dir}, or
# selected ${oc.select:hydra.run.dir,default}
_REFERENCE = re.compile(r"(?<!\\)\$\{\s*(?:oc\.select\s*:\s*)?([\w.]+)\s*[,}]")


def _reads_clock(cfg: DictConfig, key: str, through: tuple[str, ...] = ()) -> bool:
    """Whether the folder ``key`` sets (its value unresolved) reads the clock: ${now:...} in it,
    or in a key it refers to (hydra.sweep.dir=${hydra.run.dir}, the run's folder named by the
    clock)."""
    text = str(raw_value(cfg, key))
    return bool(_CLOCK.search(text)) or any(
        _reads_clock(cfg, other, (*through, key))
        for other in (_absolute(ref, key) for ref in _REFERENCE.findall(text))
        if other is not None and other not in through)


def _absolute(ref: str, key: str) -> str | None:
    """The key an interpolation in ``key``'s value names: ``..run.dir`` in hydra.sweep.dir is
    hydra.run.dir (one dot: the value's own section, each more dot a section up); None for one
    above the config's root, or naming no key (``${..}``), which OmegaConf refuses."""
    up = len(ref) - len(ref.lstrip("."))
    parts = key.split(".")
    if not up:
        return ref
    if up > len(parts) or not ref[up:]:
        return None
    return ".".join([*parts[:-up], ref[up:]])


def _refuse_labels_of_one_job_on_many(jobs: list[list[str]], labels: list[tuple[str, bool]]) -> None:
    """``sim.scenario`` names one scenario and ``sim.baseline=true`` marks the one job a comparison
    measures against; typed once on a sweep, they reach every job: its scenarios all got one name
    (told apart only as job 0, job 1), or every job was the baseline (the first was taken). Jobs
    that differ only in their seed are one scenario's (docs/results.md), and may share a name."""
    from salessim.seed_pooling import SEED
    from salessim.sweep_folder import NOT_DIFFERENCES, job_key, override_key

    if len(jobs) > 1 and all(marked for _, marked in labels):
        raise ConfigError("sim.baseline", True, "true for one job only, the one a comparison "
                          f"measures against: given to the sweep, it marks all {len(jobs)} of its jobs; "
                          f"{BASELINE_INSTEAD}")
    first: dict[str, tuple[int, tuple[str, ...]]] = {}  # a name's first job and its settings
    for num, (job, (name, _)) in enumerate(zip(jobs, labels)):
        if not name:
            continue
        settings = job_key([o for o in job if override_key(o) not in (*NOT_DIFFERENCES, SEED)])
        there = first.setdefault(name, (num, settings))
        if there[1] != settings:
            # the first job's settings, then the later one's: "6, 12" for jobs 0 and 1, not sorted as text
            differ = [o for o in there[1] if o not in settings] + [o for o in settings if o not in there[1]]
            raise ConfigError("sim.scenario", name, f"a name for one scenario: jobs {there[0]} and "
                              f"{num} of this sweep differ ({first_few(differ)}) and would both be "
                              f"named {name}; leave sim.scenario out of a sweep (each job is then "
                              "named by the settings it sweeps), and name the sweep by its folder "
                              "(hydra.sweep.dir) or its question (experiment_question)")


def _check_no_job_left_out(outputs: list[dict[str, Any]]) -> None:
    """A sweep folder holds one sweep: a command run there (a resume) must run every job whose
    results it holds, or the folder's record of the sweep (multirun.yaml, rewritten by Hydra)
    would no longer name them, and the comparison would take them for another sweep's."""
    from salessim.outputs import job_manifest  # pandas, only for a command that runs

    sweep = Path(outputs[0]["hydra.sweep.dir"])
    if not sweep.is_dir():
        return
    planned = {_job_folder(o).name for o in outputs}
    left = sorted((p.name for p in sweep.iterdir() if p.is_dir() and p.name not in planned
                   and job_manifest(p) is not None), key=lambda n: (len(n), n))
    if left:
        many = len(left) > 1
        raise ConfigError("hydra.sweep.dir", str(sweep), "a folder of this sweep's jobs only (it holds "
                          f"finished job{'s' if many else ''} {', '.join(left)}, which this "
                          f"{len(outputs)}-job sweep does not include): resume with the sweep's own "
                          "command, with all its values, or choose a new folder")


def _planned(sweep: Path):
    """The jobs the sweep in folder ``sweep`` planned (its multirun.yaml; none if it cannot be read
    as a sweep's), the keys it swept, and a function giving a job's point: its swept keys' values,
    a number as its number."""
    from salessim.sweep_folder import planned_jobs, read_yaml  # pandas: a sweep that runs

    record = sweep / SWEEP_RECORD
    planned = (planned_jobs(read_yaml(record)) if record.is_file() else None) or []
    swept = swept_keys(planned)

    def point(job: list[str]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted((k, _as_number(v)) for k, v in map(split_override, job) if k in swept))

    return planned, swept, point


def _refuse_the_jobs_in_another_order(sweep: Path, jobs: list[list[str]]) -> None:
    """A resume that types the sweep's swept keys or values in another order numbers the same jobs
    otherwise (Hydra numbers them in the order typed), so a job folder holds another job's config,
    which its refusal named setting by setting, never saying why."""
    planned, swept, point = _planned(sweep)
    # a key this command sweeps and the folder's did not: its own refusal says what differs
    if not swept or swept_keys(jobs) != swept:
        return
    there, here = [point(job) for job in planned], [point(job) for job in jobs]
    if not set(there) <= set(here) or there == here[:len(there)]:
        return
    num = next(i for i, (a, b) in enumerate(zip(there, here)) if a != b)
    said = lambda job: ",".join(o.lstrip("+~") for o in job if split_override(o)[0] in swept)  # as typed
    how = ("types the same jobs in another order" if len(here) == len(there) else
           "adds jobs among the sweep's, not after them")
    raise ConfigError("hydra.sweep.dir", str(sweep), f"a resume that numbers the sweep's jobs as it did: "
                      f"this command {how}, so its job {num} ({said(jobs[num])}) is the folder's job {num} "
                      f"({said(planned[num])}); Hydra numbers the jobs by the order of the swept keys and "
                      "values as typed: resume with the sweep's own command, in its order"
                      + ("" if len(here) == len(there) else ", new values only after the sweep's own of "
                         "the key typed first, or the new values as a sweep of their own"))


def _check_the_plan_kept(sweep: Path, jobs: list[list[str]]) -> None:
    """A resume runs the sweep it resumes, whole: one with fewer of the swept values would
    rewrite the folder's record of the sweep (multirun.yaml) without the jobs it leaves out, and
    the comparison would then count the sweep as complete without them."""

    planned, swept, point = _planned(sweep)
    if not planned:
        return
    here = {point(job) for job in jobs}
    dropped = [job for job in planned if point(job) not in here]
    if swept and dropped:
        example = " ".join(o.lstrip("+~") for o in dropped[0] if split_override(o)[0] in swept)  # as typed
        raise ConfigError("hydra.sweep.dir", str(sweep), f"a folder whose sweep this command runs whole "
                          f"(its {SWEEP_RECORD} plans {counted(len(planned), 'job')}, and this command leaves out "
                          f"{len(dropped)} of them, e.g. {example}): resume with the sweep's own "
                          "command, or choose a new folder")


def _as_number(value: str) -> str:
    """A swept value as its number where it is one (5 and 5.0 are one value), else as typed."""
    try:
        return repr(float(value))
    except ValueError:
        return value


def _changed_settings(there: dict, here: dict) -> str:
    """The settings a job folder's config and this command's disagree on, as a user would fix them."""
    from salessim.outputs import RUN_CONTROL

    here = json.loads(json.dumps(here, default=str))  # as the manifest stores it
    said = lambda v: v if v == MISSING else shown_value(v)  # noqa: E731 ('None here' of a question: a walk)
    changed = [f"{k} is {said(a)} there and {said(b)} here" for k, a, b in changed_settings(there, here)
               if k not in RUN_CONTROL]
    return first_few(changed) or "a config that salessim no longer writes the same way"


def _scenario_of(meta: dict) -> str:
    return f", scenario {meta['scenario']!r}" if isinstance(meta.get("scenario"), str) else ""


# Hydra's record of a job (hydra.output_subdir), as it writes it: a job whose record could not be
# written stopped with a traceback, a sweep's after its first jobs.
_RECORD_FILES = ("config.yaml", "hydra.yaml", "overrides.yaml")


def _refuse_a_record_named_as_salessims(record: Any, job_name: str) -> None:
    """hydra.output_subdir named as a file salessim writes in the job's folder (manifest.json,
    summary.parquet): the folder took the file's place, and the run stopped with a traceback."""
    from salessim.outputs import JOURNAL, MANIFEST, TABLES  # pandas, only for a command that runs

    if record is None:
        return
    first_part = Path(os.path.normpath(str(record))).parts[0]
    ours = {MANIFEST, MARKER, JOURNAL, f"{job_name}.log", *(f"{t}.parquet" for t in TABLES)}
    if first_part in ours:
        raise ConfigError("hydra.output_subdir", record, "a folder inside the job's folder for Hydra's "
                          f"record of the job (.hydra, the default), not named as a file salessim writes "
                          f"there ({first_part})")


def _check_record_writable(key: str, value: str, job: Path, record: Any) -> None:
    """Hydra's record of a job in ``job`` (``record``, hydra.output_subdir) can be written: no file
    where its folders go, and neither the folder nor its files closed to salessim."""
    if record is None:
        return
    folder = job

    def refuse(said: str) -> None:
        raise ConfigError(key, value, f"a folder where Hydra can write its record of the job "
                          f"(hydra.output_subdir; {said})")

    for name in Path(str(record)).parts:
        folder = folder / name
        if not os.path.lexists(folder):
            return  # Hydra makes it, where _check_folder found it can
        if not folder.is_dir():
            refuse(f"{folder} is a file")
    if not os.access(folder, os.W_OK | os.X_OK):
        refuse(f"salessim cannot write in {folder}")
    closed = [f for f in _RECORD_FILES if os.path.lexists(folder / f) and not os.access(folder / f, os.W_OK)]
    if closed:
        refuse(f"salessim cannot write {folder / closed[0]}")


def _check_folder(key: str, folder: str) -> None:
    """The nearest part of the path that exists must be a folder in which salessim can make one,
    so that Hydra can create the output folder."""
    allowed = "a folder salessim can create and write"
    if not str(folder).strip():  # Hydra would write into the current folder, among its files
        raise ConfigError(key, folder, f"{allowed}: a path, not an empty value")
    refuse_a_name_too_long(folder, key, allowed)
    why_not = why_no_folder_can_be_made(folder)
    if why_not:
        raise ConfigError(key, folder, f"{allowed} ({why_not})")


def _check_distinct_subdirs(subdirs: list[str], as_set: str, sweep_dir: str) -> None:
    """Jobs that share a folder overwrite each other's results, and Hydra does not mind."""
    seen: dict[str, int] = {}
    for num, subdir in enumerate(subdirs):
        first = seen.setdefault(os.path.normpath(str(subdir)), num)
        if first != num:
            raise ConfigError("hydra.sweep.subdir", as_set, "a folder that differs per job, e.g. "
                              f"${{hydra.job.num}} (jobs {first} and {num} would both write to "
                              f"{Path(sweep_dir) / str(subdir)})")


# What a command that runs one scenario says to do with a sweep; salessim.run says it for Python.
RUN_A_SWEEP = ", or run a sweep with salessim -m"

# salessim-calibrate runs one study, and a study takes no sweep (salessim does not take its keys).
ONE_STUDY = " (salessim-calibrate runs one study; for several, one command each, with its calibration.name)"


def _decimal_point(key: str, typed: str) -> str:
    """For two whole numbers a comma parts, as a decimal comma writes a number (a strategist's
    fsm.span_of_control=8,5 for 8.5), where the setting holds fractions: the number with a point."""
    whole = re.fullmatch(r"\s*(\d+),(\d+)\s*", typed)
    if not whole:
        return ""
    fractional = isinstance(flatten(dataclasses.asdict(Config())).get(key), float)
    if key.startswith("investment.") and key.count(".") == 2:  # investment.NAME.SETTING, of any kind
        from salessim.model.levers import KINDS  # numpy: a refusal's hint only
        setting = key.rsplit(".", 1)[1]
        fractional = any(isinstance(getattr(lever.spec_class(), setting, None), float)
                         for lever in KINDS.values())
    return f"; {whole.group(1)}.{whole.group(2)} is written with a point" if fractional else ""


def expand_jobs(overrides: list[str], multirun: bool, config_name: str = "config",
                sweep_advice: str = RUN_A_SWEEP, config_dir: str | None = None,
                said: list[str] | None = None) -> list[list[str]]:
    """The jobs of the command: each its list of overrides. ``said`` gathers what the command is
    told of its sweep (a value typed for a key an experiment sweeps, which replaces its values)."""
    loader = GlobalHydra.instance().config_loader()
    if config_dir:  # glob(...) lists -cd DIR's configs too, as Hydra's sweep does
        loader = _ListingConfigDir(loader, f"hydra.searchpath=[file://{Path(config_dir).resolve()}]")
    parser = OverridesParser.create(config_loader=loader)
    parsed = parse_overrides(parser, overrides, config_name)
    check_other_apps_keys(parsed, config_name)  # a sweep named as typed, before it is spread over jobs
    for o in parsed:
        if o.key_or_group.startswith(SWEEPER_PARAMS):  # Hydra asserts on it: a traceback
            raise ConfigError(*key_and_value_typed(o),
                              "a key of an experiment file; on the command line a sweep is typed "
                              "as KEY=a,b with -m (e.g. -m fsm.span_of_control=5,8)")
    if not multirun:
        for o in parsed:
            refuse_a_comma_not_meant_as_a_sweep(o)
            if o.is_sweep_override():
                raise UserError(f"{o.input_line!r} is a sweep; allowed: a single value{sweep_advice}"
                                f"{_decimal_point(*key_and_value_typed(o))}")
        return [overrides]
    search = [o for o in overrides if o.startswith("hydra.searchpath=")]  # -cd: user experiments
    for o in parsed:
        if o.key_or_group == "experiment" and o.is_sweep_override():
            _refuse_sweeping_over_sweeps(o, search, config_name)
        if o.is_sweep_override():
            refuse_a_forced_group(o, overrides, schema_of(config_name))
    # As Hydra does: the sweep's own params (hydra.sweeper.params, e.g. set by an experiment)
    # come from the config composed without the command line's sweeps, and the command line
    # comes after them, so it wins.
    fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
    cfg = compose_config(fixed, config_name, with_hydra=True)
    params = OmegaConf.select(cfg, SWEEPER_PARAMS) or {}
    for key, values in params.items():  # a file's sweep that cannot be read: name the file
        try:
            param, = parse_overrides(parser, [f"{key}={values}"], config_name)
            refuse_a_forced_group(param, overrides, schema_of(config_name))  # '++org': small,large
        except UserError as e:
            swept = file_sweeping(str(key), overrides)
            raise UserError(e.message + (f" (in {swept[0]}, {SWEEPER_PARAMS})" if swept else "")) from None
    if said is not None:
        said += _swept_values_replaced(parsed, params, overrides)
    jobs = sweep_jobs(params, overrides, parser)
    refuse_replications_swept_with_settings(jobs, parsed, params)
    return jobs


def _swept_values_replaced(parsed: list, params: dict, overrides: list[str]) -> list[str]:
    """A single value typed for a key an experiment sweeps replaces the experiment's values
    (Hydra's rule: the command line wins), so the sweep shrinks without a word: `-m
    experiment=investments investment=[crm]` ran one job. Narrowing may be meant; it is said,
    unless the command asks a question of its own (experiment_question, as salessim-compare's next
    steps do): a sweep designed for its question narrows on purpose (a walk copied a step and was
    told its own narrowing)."""
    typed = {o.key_or_group.lstrip("+~"): o.input_line for o in parsed if not o.is_sweep_override()}
    if "experiment_question" in typed:
        return []
    experiment = next((o.input_line for o in parsed if o.key_or_group == "experiment"), None)
    lines = []
    for key, values in params.items():
        line = typed.get(str(key).lstrip("+~"))
        if line is None:
            continue
        swept = file_sweeping(str(key), overrides)
        whose = experiment or (f"{swept[0].name}'s hydra.sweeper.params" if swept
                               else "the sweep's hydra.sweeper.params")
        shown = str(values) if len(str(values)) <= 60 else str(values)[:57] + "..."
        lines.append(f"{line} replaces the values {whose} sweeps for {str(key).lstrip('+~')} ({shown}): "
                     f"its jobs run this one alone; to sweep values of your own, type them: {str(key).lstrip('+~')}=a,b")
    return lines


class _ListingConfigDir:
    """The config loader as a sweep's ``glob(...)`` reads it under ``-cd DIR``. Hydra puts DIR on
    the search path the sweep lists a group's configs from; the check reaches DIR through a
    hydra.searchpath entry (``_with_config_dir``), which listing ignores unless given: without
    it, DIR's configs were left out of the jobs checked and counted ('4 of 3 jobs finished'), and
    a bad one ran after the others had."""

    def __init__(self, loader, entry: str):
        self._loader, self._entry = loader, entry

    def get_group_options(self, group_name: str, results_filter=ObjectType.CONFIG, config_name=None,
                          overrides=None):
        return self._loader.get_group_options(group_name, results_filter, config_name,
                                              [self._entry, *(overrides or [])])

    def __getattr__(self, name: str):
        return getattr(self._loader, name)


def in_the_sweeping_file(error: ConfigError, overrides: list[str]) -> ConfigError:
    """A refused value of a job that a file of the user's sweeps (an experiment's
    hydra.sweeper.params), named with that file: Hydra gives it to the job as if typed. A key
    typed with several values keeps them in the key it is told it meant (the job's one value
    alone, copied, would run one job); a key refused as unknown is shown with them too, as typed
    (its values are not what is wrong)."""
    typed = typed_value(overrides, error.key)  # typed, with a '+' or not
    if typed and gives_several_values(f"{error.key}={typed}"):
        job_value = f"={shown_value(error.value)}? "
        shown = AsTyped(typed) if error.allowed.startswith("a known key") else error.value
        return ConfigError(error.key, shown, error.allowed.replace(job_value, f"={typed}? ", 1))
    if typed:
        return error
    swept = file_sweeping(error.key, overrides)
    if swept is None or f"(in {swept[0]}" in error.allowed:  # named already (naming_the_file)
        return error
    # the file is edited where the key is: the key it meant alone, not one job's value, and a key
    # refused as unknown shown with the values the file gives it
    allowed = error.allowed.replace(f"={shown_value(error.value)}? ", "? ", 1)
    shown = AsTyped(as_written(swept[1])) if error.allowed.startswith("a known key") else error.value
    return ConfigError(error.key, shown, f"{allowed} (in {swept[0]}, {SWEEPER_PARAMS})")


def _refuse_sweeping_over_sweeps(o, search: list[str], config_name: str) -> None:
    """-m experiment=a,b: an experiment's own sweep is read once, from the config composed without
    the command line's sweeps, so Hydra would run only the baselines of experiments that sweep."""
    for choice in o.sweep_string_iterator():
        composed = compose_config([*search, f"experiment={choice}"], config_name, with_hydra=True)
        params = OmegaConf.select(composed, SWEEPER_PARAMS)
        if params:
            raise ConfigError("experiment", key_and_value_typed(o)[1],
                              f"one experiment that sweeps per command ({choice} sweeps "
                              f"{', '.join(params)}): run -m experiment=NAME once for each")


def _refuse_hydra_mode(cfg: DictConfig, job: list[str], config_name: str) -> None:
    """hydra.mode, typed or set by a file: Hydra reads it in place of -m, and a sweep asked that way
    passed none of the checks of a sweep's folder (it replaced another sweep's jobs)."""
    mode = OmegaConf.select(cfg, "hydra.mode")
    if mode is not None:
        allowed = ("not set" + ONE_STUDY if config_name == "calibrate" else
                   "not set: a sweep is asked with -m (e.g. -m fsm.span_of_control=5,8), a single run "
                   "without it")
        raise naming_the_file(ConfigError(
            "hydra.mode", typed_value(job, "hydra.mode") or getattr(mode, "name", mode), allowed), job)


def refuse_a_sweep_in_a_single_run(cfg: DictConfig, job: list[str], more_advice: str = "") -> None:
    """A composed single run whose config sweeps keys the job leaves open (an experiment): without
    -m, Hydra would silently run only the experiment's baseline. ``more_advice`` ends the message."""
    params = OmegaConf.select(cfg, SWEEPER_PARAMS) or {}
    fixed = {split_override(o)[0] for o in job}
    open_keys = [k for k in params if k not in fixed]
    if open_keys:
        chosen = typed_value(job, "experiment")
        raise ConfigError("experiment" if chosen else SWEEPER_PARAMS, chosen or dict(params),
                          f"a single run: this config sweeps {', '.join(open_keys)}; run it as a "
                          f"sweep (-m), or set each of them{more_advice}")
