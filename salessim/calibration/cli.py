"""``salessim-calibrate``: fit free parameters of the model to survey targets with Optuna.

    salessim-calibrate                                  # targets=cso_insights, default parameters
    salessim-calibrate calibration.name=mine calibration.targets_file=my_survey.csv
    salessim-calibrate calibration.storage=postgresql://user@host/db   # one of several workers

The study lives in results/calibration/<name>/ (a journal file unless calibration.storage names
an RDB): running the same command again resumes it, and several workers given the same storage
share it. Outputs: calibrated.yaml (use it with ``salessim +calibrated=<name>``), fit.csv,
parameter_spread.csv, trials.csv and fit_report.html. See docs/calibration.md.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import hydra
import optuna
import pandas as pd
from hydra import compose
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf
from tqdm.auto import tqdm

from salessim import notices
from salessim.applied_fits import files_hashed, fit_files, fitted_anew, fitted_by, other_figures
from salessim.calibrated_fits import (calibrated_dir, check_fits_folder, elsewhere_said, fits_moved,
                                     help_naming_the_fits_folder, searchpath_entry)
from salessim.calibration.params import FreeParam, check_ends, locate, parse_params, values_at
from salessim.calibration.study import (FINISHED, NOT_OBJECTIVE, STUDY_IGNORES, NoValidModel, Problem,
                                        TrialSeededTPE, best_trial, check_setup, finished_trials,
                                        fingerprint, fit_table,
                                        fresh_replications, optimize, pruner, setup_of, spread_table,
                                        trials_said, trials_table, unreached, values_of,
                                        with_fresh_replications, with_the_setup)
from salessim.calibration.storage import (FIT_FILES, cannot_open, check_storage_url, existing_study,
                                          keep_password_out_of_record, refuse_a_studys_folder,
                                          refuse_another_study_folder, storage_for)
from salessim.calibration.targets import fewer_facts, parse_targets, read_target_file, segment_of, unsourced
from salessim.commands import version_asked
from salessim.config import INT64_MAX, CalibrationConfig, Config, flatten, register_configs
from salessim.errors import ConfigError, UserError, as_written, exit_with, nearest_name, reader_may_leave
from salessim.folder_claim import drop_hydras_record_alone
from salessim.typed_folders import folder_setting, with_home_expanded
from salessim.interrupt import (caused_by_interrupt, interrupt_ends_quietly,
                                interrupt_seen_through)
from salessim.model.organization import largest_remainder, teams_for
from salessim.plural import counted
from salessim.rule_settings import unread_by_any_rule, unread_keys, why_unread
from salessim.outputs import folders_missing, os_error_said, remove_if_empty, write_text_atomic, written_as
from salessim.compose import CONFIG_DIR, chosen_file, compose_config
from salessim.overrides import NOT_TYPED, inside_typed_mapping, split_override, typed_value
from salessim.preflight import check_command, help_of_this_command, hydra_argv, parse_argv
from salessim.runner import replication_workers
from salessim.summary import RUN_COLUMNS
from salessim.sweep_expansion import gives_several_values
from salessim.validation import check_ranges, to_validated, without_point_zero
from salessim.whole_teams import SPAN, simulated_setup

PROG = "salessim-calibrate"
# The keys of a targets config: what calibrated.yaml calls the targets, and the targets.
TARGETS_KEYS = ("name", "items")

register_configs()


def model_part(cfg: DictConfig) -> DictConfig:
    """The model's config (salessim's schema) without the study's keys."""
    keep = OmegaConf.masked_copy(cfg, [k for k in cfg if k not in ("calibration", "targets")])
    return OmegaConf.merge(OmegaConf.structured(Config), keep)


def build(cfg: DictConfig, overrides: list[str], composer) -> tuple[Problem, CalibrationConfig]:
    """Check everything and set up the problem: the base config of each target condition."""
    base = to_validated(model_part(cfg))
    refuse_what_a_study_ignores(base, overrides)
    cal: CalibrationConfig = OmegaConf.to_object(cfg.calibration)
    check_ranges(cal, "calibration.")
    check_storage_url(cal.storage)
    for key, typed in (("targets_file", cal.targets_file), ("storage", cal.storage)):
        if typed is not None and not typed.strip():  # $TARGETS unset: the shipped targets fitted instead
            raise ConfigError(f"calibration.{key}", typed, (
                "a file's path, not an empty value (leave the key out for the targets config, targets=NAME)"
                if key == "targets_file" else "a database URL, not an empty value (leave the key out for "
                "a journal file in the study's folder)"))
    if cal.targets_file:
        rows, where = read_target_file(Path(cal.targets_file)), f"targets file {cal.targets_file}"
    else:
        given = OmegaConf.to_container(cfg.targets)
        # targets is a free-form mapping: a misspelt items: (itemz:) was read as no target at all
        stray = next((k for k in given if k not in TARGETS_KEYS), None)
        if stray is not None:
            raise _in_targets_file(ConfigError(f"targets.{stray}", as_written(given[stray]), "a key of a "
                                               f"targets config: {' or '.join(TARGETS_KEYS)}"), cal, overrides)
        name = given.get("name", "targets")
        if not isinstance(name, str) or not name.strip():  # calibrated.yaml's header said 'targets None'
            raise _in_targets_file(ConfigError("targets.name", as_written(name), "a name for the targets, as "
                                               "text: calibrated.yaml's header gives it"), cal, overrides)
        items = given.get("items")
        if items is not None and not isinstance(items, list):  # a mapping would be read as its keys
            raise _in_targets_file(ConfigError("targets.items", items, "a list of targets, each a "
                                               "mapping of metric, value, std_error or n, ..."), cal, overrides)
        chosen = chosen_file("targets", overrides)
        rows = [(f"targets.items.{i}.", raw) for i, raw in enumerate(items or [])]
        where = "targets.items" + (f" (in {chosen[1]})" if chosen else "")
    bases = {(): base}
    first_at: dict[tuple[str, ...], str] = {}  # where each condition is first named

    def check_condition(at: str, condition: tuple[str, ...]) -> None:
        keys: set[str] = set()
        for c in condition:  # a trial sets these itself, whatever the condition says
            key, value = split_override(c)
            key = key.lstrip("+~")
            if key in keys:  # Hydra keeps the last without a word: the first was a slip
                raise ConfigError(f"{at}condition", " ".join(condition), f"each key once in a condition "
                                  f"({key} is set twice)")
            keys.add(key)
            if gives_several_values(c):  # Hydra: "Ambiguous value for argument"
                raise ConfigError(f"{at}condition", c, f"one value per condition: a target for each "
                                  f"value, e.g. {key}={value.split(',')[0]}")
            if key in NOT_OBJECTIVE or key.split(".")[0] in ("calibration", "targets"):
                raise ConfigError(f"{at}condition", c, "a setting of the model that changes the "
                                  "simulated figures (a trial runs calibration.replications "
                                  "replications; the study's own settings, calibration.* and "
                                  "targets, are the command's, not a target's; and how a run is "
                                  "named, shown or spread over cores changes no figure)")
        if condition and condition not in bases:
            try:
                bases[condition] = to_validated(model_part(composer(overrides + list(condition))))
            except UserError as e:  # its message names the override and what is allowed
                raise UserError(f"{at}condition: {e.message}") from None
            refuse_a_preset_overridden(at, condition, overrides, composer, bases[condition])
            # The same setup spelt two ways (6 and 6.0, keys in another order, or a condition
            # that only repeats the study's own setup) would be simulated twice, counted as two
            # facts, and named apart in the fit and in compare's notes.
            same = next((c for c, cfg in bases.items() if c != condition and cfg == bases[condition]), None)
            if same == ():
                raise ConfigError(f"{at}condition", " ".join(condition), "a condition that changes the "
                                  "study's setup: this one composes to the setup itself, so leave the "
                                  "target without a condition")
            if same is not None:
                raise ConfigError(f"{at}condition", " ".join(condition), f"write it {' '.join(same)}, "
                                  f"as {_place_said(first_at[same], at)} does (one spelling per setup: "
                                  "its targets are then simulated once, and named alike in the fit)")
            first_at[condition] = at

    try:
        targets = parse_targets(rows, where, list(base.market.segments), check_condition,
                                scoring=cal.free is not None and not cal.free)
        for (at, _), t in zip(rows, targets):  # a segment's figure needs sellers in that segment
            segment = segment_of(t.metric, base.market.segments)
            org = bases[t.condition].org
            if segment is not None and not largest_remainder(org.sellers, org.segment_mix).get(segment):
                under = f"condition {' '.join(t.condition)}" if t.condition else "the study's setup"
                raise ConfigError(f"{at}metric", t.metric,
                                  f"a figure of a segment with sellers: the {segment} segment has none "
                                  f"under {under} (org.segment_mix), so the figure does not exist")
    except UserError as e:
        raise _in_targets_file(e, cal, overrides) from None
    params = dict(cal.params)
    if cal.free is not None:
        unknown = [k for k in cal.free if k not in params]
        if not cal.free and cal.recover:
            raise ConfigError("calibration.free", [], "keys of calibration.params to recover in a "
                              "recovery study (calibration.recover); [] scores the targets, fitting nothing")
        if unknown:
            near = nearest_name(str(unknown[0]), params)
            # a key of the model not listed yet is added with its range (a walk was not told how)
            add = ("" if near else f", or add it with its range: '+calibration.params={{{unknown[0]}:"
                   "{low:...,high:...}}'")
            raise ConfigError("calibration.free", unknown[0], (f"did you mean {near}? " if near else "")
                              + "keys of calibration.params: " + ", ".join(params) + add)
        twice = next((k for i, k in enumerate(cal.free) if k in cal.free[:i]), None)
        if twice:
            raise ConfigError("calibration.free", f"[{','.join(cal.free)}]", f"each key once ({twice} "
                              "is listed twice)")
        params = {k: params[k] for k in cal.free}
    # none: a score, fitting nothing; ranges checked where the study's own setup runs
    free = [] if cal.free == [] else parse_params(params, base, any(not t.condition for t in targets))
    refuse_a_fitted_key_typed(free, base, overrides)
    try:
        for condition, at in first_at.items():
            if condition:  # a trial runs each condition's setup too: hours that fit the study's may not
                check_ends(free, bases[condition], params,
                           f" under the condition {' '.join(condition)} of {at.rstrip(': .')}")
        for (at, _), t in zip(rows, targets):
            # A scaled parameter multiplies the condition's own value, so only a set one overrides it.
            sets = next((p.key for p in free if t.condition and p.mode == "set"
                         and values_at(bases[t.condition], p.key) != values_at(base, p.key)), None)
            if sets:  # each trial's value would replace the condition's: its figure ignores it
                raise ConfigError(f"{at}condition", " ".join(t.condition),
                                  f"a condition that leaves the fitted parameters alone: it sets {sets}, "
                                  "which the study fits (calibration.free), and each trial's value "
                                  "would replace it")
    except UserError as e:
        raise _in_targets_file(e, cal, overrides) from None
    truth = recovery_truth(cal.recover, free)
    if truth is not None and base.sim.seed >= INT64_MAX:  # Problem.truth_seed: one past the largest
        raise ConfigError("sim.seed", base.sim.seed, f"at most {INT64_MAX - 1} in a recovery study "
                          "(calibration.recover), which makes its targets with sim.seed + 1")
    problem = Problem(bases, targets, free, truth=truth)
    if truth is not None:  # each inside its range, yet together they may leave no time to sell
        try:
            problem.configs(problem.truth_values())
        except NoValidModel as e:  # the run would stop at making its targets, its folder made
            raise ConfigError("calibration.recover", as_written(cal.recover),
                              f"known values that make a valid model together ({e.message})") from None
    return problem, cal


def refuse_a_preset_overridden(at: str, condition: tuple[str, ...], overrides: list[str],
                               composer, composed: Config) -> None:
    """A condition that picks a preset (org=large, +calibrated=NAME) sets its keys as the preset
    would under the command's other settings; a key of the model the command types itself
    (org.sellers=20) is set after every preset, so where the preset sets it otherwise the
    condition could not take effect there (the target would be simulated as if unconditioned)."""
    if all("." in split_override(c)[0] for c in condition):
        return  # overrides of keys only: typed after the command's, they win
    own = {split_override(c)[0] for c in condition}  # the condition's own keys win anyway
    typed = {split_override(o)[0]: o for o in overrides if not o.startswith("~")
             and "." in split_override(o)[0] and split_override(o)[0] not in own
             and split_override(o)[0].split(".")[0] not in ("calibration", "targets", "hydra")}
    if not typed:
        return
    rest = [o for o in overrides if split_override(o)[0] not in typed]
    alone, before = (flatten(OmegaConf.to_container(model_part(composer(rest + extra)), resolve=True))
                     for extra in (list(condition), []))
    runs = flatten(asdict(composed))  # what the target is simulated under
    for key, override in typed.items():
        for k, preset in alone.items():
            changes, kept = preset != before.get(k), preset == runs.get(k)
            if (k == key or k.startswith(key + ".")) and changes and not kept:
                raise ConfigError(f"{at}condition", " ".join(condition),
                                  f"a condition that can take effect: it sets {k} to {preset}, but "
                                  f"the command's {override} sets it under every condition; drop "
                                  f"{key} from the command (a target's condition can set it)")


def refuse_a_fitted_key_typed(free: list[FreeParam], base: Config, overrides: list[str]) -> None:
    """A key the study fits, typed on its command line, alone or in a mapping typed whole: fitted
    by value, each trial set its own and the one typed was never run; scaled, the fit's own setup
    typed it after the fit, which replaced the fitted level. A preset that sets it (org=acme) is
    the study's setup, which the fit's own setup picks too and the fit then overrides."""
    # each key of the model a free parameter stands for (a '*' key: every segment's)
    fitted = {".".join(path): p for p in free for path, _, _ in locate(base, p.key)}
    last = dict(split_override(o) for o in overrides if not o.startswith("~"))  # Hydra takes the last
    for key, value in last.items():
        named = next((k for k in fitted if k == key or k.startswith(key + ".") and inside_typed_mapping(
            value, k[len(key) + 1:].split(".")) is not NOT_TYPED), None)
        if named is None:
            continue
        p, it = fitted[named], named if named == key else f"{named} from it"
        others = [q.key for q in free if q is not p]
        hold = (f", or hold it at the value typed: leave {p.key} out of calibration.free "
                f"(calibration.free=[{','.join(others)}])" if others else "")
        if p.mode == "set":
            why, fix = ", so each trial sets its own value and the one typed is never run", f"drop {it}"
        else:
            why = (" by scaling its level, and the fit's own setup would type it after the fit, "
                   "replacing the fitted level")
            fix = (f"set the level in a preset of your own (-cd FOLDER {named.split('.')[0]}=NAME), "
                   f"which the fit's own setup picks too, or drop {it}")
        raise ConfigError(key, value, f"a key the study does not fit: {named} is fitted "
                          f"(calibration.params.{p.key}){why}; {fix}{hold}")


def refuse_what_a_study_ignores(base: Config, overrides: list[str]) -> None:
    """A key of salessim's that a study has no use for (STUDY_IGNORES), typed or set by a file:
    it was accepted and ignored, sim.replications even copied into the fit's own setup."""
    default, given = flatten(asdict(Config())), flatten(asdict(base))
    for key, instead in STUDY_IGNORES.items():
        if typed_value(overrides, key) or given[key] != default[key]:
            raise ConfigError(key, without_point_zero(given[key]), instead)


def _in_targets_file(error: UserError, cal: CalibrationConfig, overrides: list[str]) -> UserError:
    """A target refused, with the targets=NAME file of the user's it is in (targets.items.0 says
    where in the file, not which file)."""
    chosen = None if cal.targets_file else chosen_file("targets", overrides)
    if chosen is None or f"(in {chosen[1]})" in error.message:  # targets.items (in FILE) holds no target
        return error
    if isinstance(error, ConfigError):
        return ConfigError(error.key, error.value, f"{error.allowed} (in {chosen[1]})")
    return UserError(f"{error.message} (in {chosen[1]})")


def recovery_truth(recover: dict | None, free: list) -> dict[str, float] | None:
    """calibration.recover, checked: a number inside its range for every free parameter."""
    if not recover:
        return None
    allowed = ("a known value for every free parameter, inside its range: "
               + ", ".join(f"{p.key}: {p.low:g} to {p.high:g}" for p in free))
    unknown = sorted(set(recover) - {p.key for p in free})
    missing = [p.key for p in free if p.key not in recover]
    if unknown or missing:
        said = "; ".join(x for x in (f"{', '.join(unknown)} is not fitted" if unknown else "",
                                     f"{', '.join(missing)} is missing" if missing else "") if x)
        raise ConfigError("calibration.recover", as_written(recover),
                          f"{allowed} ({said})")
    for p in free:
        value = recover[p.key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"calibration.recover.{p.key}", value, "a number (unquoted): " + allowed)
        if not p.low <= value <= p.high:
            raise ConfigError(f"calibration.recover.{p.key}", value, allowed)
        if p.integer and not float(value).is_integer():  # the model would run it rounded
            raise ConfigError(f"calibration.recover.{p.key}", value,
                              f"a whole number ({p.key} is an integer): " + allowed)
    return {p.key: float(recover[p.key]) for p in free}


def targets_named(cfg: DictConfig, cal: CalibrationConfig) -> str:
    """The targets a study fits, as calibrated.yaml names them: the file, or the config's name."""
    if cal.targets_file:
        return f"file {Path(cal.targets_file).resolve()}"
    return str(cfg.targets.get("name", "targets"))


class _HideInterruptedTrial(logging.Filter):
    """Optuna reports the trial that Ctrl-C stopped as failed, with a traceback: the one line
    salessim-calibrate prints on Ctrl-C says enough. Hides that report and what follows it."""

    interrupted = False

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and caused_by_interrupt(record.exc_info[1]):
            self.interrupted = True
        return not self.interrupted


_HIDE_INTERRUPTED_TRIAL = _HideInterruptedTrial()


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="calibrate")
@interrupt_seen_through()  # Ctrl-C in Optuna's journal lock surfaces as another error
def _task(cfg: DictConfig) -> None:
    hydra_cfg = HydraConfig.get()
    overrides = list(hydra_cfg.overrides.task)
    out = Path(hydra_cfg.runtime.output_dir)
    # First of all: Hydra has just written the command, storage password and all, into the folder
    subdir = hydra_cfg.output_subdir
    left = keep_password_out_of_record(out / subdir if subdir is not None else None,
                                       OmegaConf.to_container(cfg.calibration, resolve=False)["storage"])
    if left:
        print(f"{PROG}: {left} still holds calibration.storage's password as typed; remove it "
              "by hand before sharing the study's folder", file=sys.stderr)
    if _BY_CLOCK["named"] and cfg.calibration.storage is None:  # the study's journal goes there
        _BY_CLOCK["folder"] = out
    # a score (calibration.free=[]) says so when stopped, from its first moment
    _EARLIER_FIT.update(out=out, mtime=_fit_time(out), fit_trials=_fit_trials(out), setting_up=True,
                        scoring=OmegaConf.select(cfg, "calibration.free") == [])
    # A score writes nothing before its end, and a study nothing before its storage opens: stopped
    # as either sets itself up (matplotlib's import takes seconds on a busy host) or later in a
    # score, the folder holding Hydra's record alone goes (_stopped, whatever the stop raised).
    try:
        # a condition's setup is composed here, inside the study: with the command line's search
        # path, where a fit it applies (+calibrated=NAME) may be found
        searchpath = [o for o in hydra_cfg.overrides.hydra if split_override(o)[0] == "hydra.searchpath"]
        problem, cal = build(cfg, overrides, lambda o: compose(config_name="calibrate",
                                                               overrides=[*o, *searchpath]))
    except UserError as e:
        exit_with(e, PROG)
    if not problem.params:  # a score: _EARLIER_FIT says so from the start
        return _score(problem, cal, cfg, overrides, out)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    _HIDE_INTERRUPTED_TRIAL.interrupted = False  # main() may run more than once in a process
    logging.getLogger("optuna.study._optimize").addFilter(_HIDE_INTERRUPTED_TRIAL)
    try:  # preflight opened the storage; a database gone since is refused here, in one line
        study = optuna.create_study(study_name=cal.name, storage=storage_for(cal.storage, out),
                                    sampler=TrialSeededTPE(cal.seed), pruner=pruner(cal.prune),
                                    direction="minimize", load_if_exists=True)
    except Exception as e:
        if caused_by_interrupt(e):
            raise  # the decorator above _task takes it for the Ctrl-C it was
        _leave_no_folder(out)
        exit_with(e if isinstance(e, UserError) else cannot_open(cal.storage, e), PROG)
    _EARLIER_FIT["setting_up"] = False  # the study is open: a stop from here keeps its trials
    _EARLIER_FIT["study"] = study
    if _BY_CLOCK["folder"] is not None:  # said once the study is there to resume
        print(f"{PROG}: the clock names the study's folder, {out}: the same command later may name "
              f"another, and start a new study there; to resume this one, give it "
              f"{folder_setting('hydra.run.dir', out)}", file=sys.stderr)
    done = finished_trials(study)
    was = study.user_attrs.get("setup_fingerprint")
    try:  # also here: preflight checked the study as it was then, not one a worker made since
        recorded = check_setup(study, setup_of(problem, cal))
    except UserError as e:
        exit_with(e, PROG)
    # said: the study is not new (not of one recorded before keys this setup holds at their defaults)
    if not done and was is not None and was != fingerprint(setup_of(problem, cal)):
        print(f"{PROG}: study {cal.name!r} had no trial that finished under the setup it was made with; it "
              "takes this command's", file=sys.stderr)
    if done:
        more = cal.n_trials - done
        to_run = (f"{counted(more, 'more trial')} to reach calibration.n_trials={cal.n_trials}"
                  if more > 0 else f"no trial runs (calibration.n_trials={cal.n_trials}, and the study holds "
                  f"{'as many' if more == 0 else 'more'}): the fit is made again from them; a larger "
                  "calibration.n_trials runs more")
        print(f"{PROG}: resuming study {cal.name!r} with {trials_said(study)}; {to_run}", file=sys.stderr)
        if not recorded:
            print(f"{PROG}: study {cal.name!r} had no setup recorded (an older salessim-calibrate "
                  "made it); it is taken to be this command's", file=sys.stderr)
    # A recovery study's targets follow from its setup (the known values, the targets, and the
    # replications that make them), which preflight checks without simulating: made once checked.
    if problem.truth is not None:
        print(f"{PROG}: recovery: making the targets with the model at calibration.recover "
              f"({cal.final_replications} replications of seed {problem.truth_seed()})", file=sys.stderr)
        problem = problem.made_at_truth(cal.final_replications)
    if cal.prune and replication_workers(problem.bases[()], cal.replications) >= cal.replications:
        how = ("a trial runs one replication" if cal.replications == 1 else
               f"a trial runs its {cal.replications} replications side by side "
               f"(sim.workers={problem.bases[()].sim.workers})")
        print(f"{PROG}: calibration.prune stops no trial here: {how}, and a trial is judged only "
              "between its steps of replications", file=sys.stderr)
    # Said before the trials, which may run for hours
    applied = fit_files(overrides, hydra_cfg)
    on_top = files_hashed(applied)  # the fits' files as the trials read them, for the fit's header
    fitted_again = fitted_anew(applied, [p.key for p in problem.params])
    trials_to_run = done < cal.n_trials
    # each with its reason, said again after the fit
    known_alike = {(c, same): alike_reasons(c, same, problem)
                   for c, same in conditions_simulating_alike(problem)}
    alike_lines = [f"{alike_said(c, same, 'would be', reasons=why)}; {_how_to_change(same, trials_to_run)}"
                   for (c, same), why in known_alike.items()]
    for line in [*short_windows(problem), *fewer_facts(problem), *unsourced(problem), *fitted_again,
                 *alike_lines, *free_unread(problem)]:
        print(f"{PROG}: {line}", file=sys.stderr)
    shown = problem.bases[()].sim.progress
    bar = tqdm(total=cal.n_trials, initial=min(done, cal.n_trials), desc="trials", unit="trial",
               disable=not (shown and sys.stderr.isatty()))
    say = lambda line: tqdm.write(f"{PROG}: {line}", file=sys.stderr)  # above the bar
    logged = _TrialsLogged(done, cal.n_trials) if shown and bar.disable else None  # a log's lines

    def first_trial_seen(sims: dict) -> None:  # said at once: the trials may take hours
        told = {c for c, _ in known_alike}  # before the trials
        for condition, same in conditions_alike(sims):
            if condition not in told:
                say(f"{alike_said(condition, same, 'would be', 'the first trial')}; "
                    f"{_how_to_change(same, True)}")

    try:  # closed before a Ctrl-C's line, which a walk saw the bar drawn again after
        optimize(problem, study, cal.n_trials, cal.replications, say=say, first_sims=first_trial_seen,
                 on_trial=lambda: (bar.update(1), logged and logged.one_more()))
    finally:
        bar.close()
    try:
        best, said = best_trial(study), trials_said(study)
    except UserError as e:
        exit_with(e, PROG)
    fresh_ones = fresh_replications(cal)
    print(f"{PROG}: the fit: {counted(cal.final_replications, 'replication')} "
          "(calibration.final_replications) of the best trial's values, then as many of the model "
          f"as set up before the study, to compare them, and of the best values on replications no "
          f"trial ran ({fresh_ones.start} to {fresh_ones[-1]}), to check them "
          "there", file=sys.stderr)
    best_values = values_of(problem, best.params)
    sims = problem.simulate(best_values, cal.final_replications)
    as_set_up = problem.simulate({}, cal.final_replications)
    fresh = problem.simulate(best_values, len(fresh_ones), first=fresh_ones.start)
    for condition, same in conditions_alike(sims):
        why = known_alike.get((condition, same), "")
        print(f"{PROG}: {alike_said(condition, same, 'were', 'the fit', why)}", file=sys.stderr)
    try:
        _write_the_fit(problem, study, best, sims, as_set_up, fresh, said, cal, cfg, overrides, out, on_top)
    except OSError as e:  # a full disk, a folder gone since the checks: the trials are in the study
        exit_with(_cannot_write(e, out, f"; {_kept()}"), PROG)


class _TrialsLogged:
    """Progress off a terminal (a log file, a cluster's job), where no bar is drawn: a line at each
    tenth of the trials, with the time left at the pace of those this command ran (a researcher's
    three-minute study said nothing between its first lines and its fit)."""

    def __init__(self, done: int, total: int) -> None:
        self.done, self.total, self.ran = min(done, total), total, 0
        self.every = math.ceil(total / 10)  # 19 trials: a line at 2, 4, ..., 18
        self.started = time.monotonic()

    def one_more(self) -> None:
        self.done, self.ran = self.done + 1, self.ran + 1
        if self.done % self.every or self.done >= self.total:
            return
        hours = (time.monotonic() - self.started) / self.ran * (self.total - self.done) / 3600.0
        print(f"{PROG}: {self.done} of {counted(self.total, 'trial')} done; about {notices.duration(hours)} "
              "left", file=sys.stderr, flush=True)


def _cannot_write(e: OSError, out: Path, kept: str = "") -> UserError:
    """The one line for a study's or a score's files that could not be written into ``out``."""
    where = written_as(Path(e.filename2 or e.filename or out))
    return UserError(f"cannot write {where}: {os_error_said(e)} (allowed: a folder salessim-calibrate "
                     f"can write to){kept}")


def _write_the_fit(problem: Problem, study, best, sims, as_set_up, fresh, said: str, cal: CalibrationConfig,
                   cfg: DictConfig, overrides: list[str], out: Path, on_top: dict[str, str]) -> None:
    """The study's tables, its calibrated.yaml (``on_top``: the fits it ran on top of, files_hashed),
    the report, the fit installed for +calibrated, and the fit on the terminal; ``as_set_up``: the
    model before the study over the fit's replications, which the fit is set beside; ``fresh``:
    the fit's values over as many replications that no trial ran."""
    # Here, not on top: the report's plots bring matplotlib, half a second of every command's start
    from salessim.calibration import report

    fit = with_the_setup(fit_table(problem, sims), problem, as_set_up)
    fit = with_fresh_replications(fit, problem, fresh)
    spread = spread_table(problem, study)
    # Optuna calls a trial's objective its value; the docs and the fit call it the objective.
    trials = trials_table(study)
    for name, df in (("fit", fit), ("parameter_spread", spread), ("trials", trials)):
        write_text_atomic(df.to_csv(index=False), out / f"{name}.csv")
    origin = report.study_origin(cal, out)
    setup = fit_setup(overrides, HydraConfig.get(), installed=problem.truth is None)
    targets = targets_named(cfg, cal)
    calibrated = report.calibrated_yaml(problem, best, cal, targets, said, origin, setup, on_top, fit)
    # the file the fits made on top of it hashed: the installed one, or a recovery's own
    hashed = out / "calibrated.yaml" if problem.truth is not None else calibrated_dir() / f"{cal.name}.yaml"
    kept = report.fit_kept(calibrated, hashed)
    calibrated = calibrated if kept is None else kept
    write_text_atomic(calibrated, out / "calibrated.yaml")
    out_of_reach = unreached(problem, study)
    write_text_atomic(report.fit_report(problem, study, fit, spread, cal, targets, setup, out_of_reach),
                      out / "fit_report.html")
    # Installed last: a study folder that could not take its files (a full disk) installs no fit.
    if problem.truth is None:  # a recovery study fits the model's own figures: no fit to install
        fits = calibrated_dir()  # results/calibrated, or SALESSIM_CALIBRATED_DIR's folder
        fits.mkdir(parents=True, exist_ok=True)
        installed = fits / f"{cal.name}.yaml"
        before = report.study_of(installed)
        write_text_atomic(calibrated, installed)
        if before is not None and before != origin:  # same name, another study
            earlier = (f"study {before}" if before else
                       "a study it does not name (an older salessim-calibrate wrote it)")
            print(f"{PROG}: +calibrated={cal.name} now holds this study's fit; it held the fit of "
                  f"{earlier}", file=sys.stderr)
        if fits_moved():
            print(f"{PROG}: {elsewhere_said(installed)}", file=sys.stderr)
        if kept is not None:
            print(f"{PROG}: +calibrated={cal.name} is the fit its file held, unchanged: the file is kept as "
                  "it was, so the fits made on top of it still match it", file=sys.stderr)
    with reader_may_leave():  # `salessim-calibrate ... | head`
        print(report.terminal(fit, spread, best, cal, out, setup, said, out_of_reach))


def _score(problem: Problem, cal: CalibrationConfig, cfg: DictConfig, overrides: list[str],
           out: Path) -> None:
    """calibration.free=[]: no study. The model as the command sets it up (a fit applied with
    +calibrated=NAME, another sim.seed) is run calibration.final_replications times under every
    target's condition and scored against the targets: the fit table of a study, for facts a fit
    was not made to (docs/calibration.md, section 5). Writes fit.csv and fit_report.html."""
    from salessim.calibration import report  # matplotlib, as in _write_the_fit

    setup = fit_setup(overrides, HydraConfig.get(), installed=False)
    applied = fit_files(overrides, HydraConfig.get())
    for line in [*short_windows(problem), *unsourced(problem), *other_figures(applied, problem.targets)]:
        print(f"{PROG}: {line}", file=sys.stderr)
    conditions = problem.simulated_conditions()
    under = (f", under each of {len(conditions)} conditions" if len(conditions) > 1 else
             f", under the condition {' '.join(conditions[0])}" if conditions[0] else "")
    print(f"{PROG}: scoring {counted(len(problem.targets), 'target')}, fitting nothing "
          f"(calibration.free=[]): {counted(cal.final_replications, 'replication')} "
          f"(calibration.final_replications) of the model as set up{under}", file=sys.stderr)
    fit = fit_table(problem, problem.simulate({}, cal.final_replications))
    fit["fitted_by"] = fitted_by(applied, problem.targets)  # fit_table's rows, in order
    targets = targets_named(cfg, cal)
    try:
        write_text_atomic(fit.to_csv(index=False), out / "fit.csv")
        write_text_atomic(report.score_report(problem, fit, cal, targets, setup), out / "fit_report.html")
    except OSError as e:
        exit_with(_cannot_write(e, out), PROG)
    with reader_may_leave():
        print(report.score_terminal(fit, cal, out, setup, problem))


def _place_said(place: str, at: str) -> str:
    """Where a target is (``place``, as its ``at`` reads), for a message about the target ``at``:
    "line 2" (or "row 2") alone when both are in one file."""
    place = place.rstrip(": .")
    for unit in (" line ", " row "):
        file, found, number = place.rpartition(unit)
        if found and at.startswith(f"{file}{unit}"):
            return f"{unit.strip()} {number}"
    return place


def alike_said(condition: tuple[str, ...], same: tuple[str, ...], were: str, run: str | None = None,
               reasons: str = "") -> str:
    """The word on a condition that simulates as the study's own setup (``same`` empty) or as an
    earlier condition does; ``were``: 'were' or 'would be'; ``run``: the run whose figures showed
    it ('the first trial', 'the fit'), if any; ``reasons``: why, when known (alike_reasons)."""
    seen = "" if run is None else f"every figure of {run} came out " + (
        "the same" if same else "as the study's own setup's")
    why = f"{seen}, since {reasons}" if seen and reasons else seen or reasons
    if not same:
        return (f"under the condition {' '.join(condition)}, {why}: it changes nothing simulated here, so "
                f"its targets {were} fitted to the same simulation as those without it")
    return (f"under the conditions {' '.join(same)} and {' '.join(condition)}, {why}: the two simulate the "
            f"same here, so their targets {were} fitted to one simulation, which does not tell the two "
            "conditions apart")


def free_unread(problem: Problem) -> list[str]:
    """A free parameter that no decision rule the study runs (its setup's, its conditions') reads:
    no trial's score depends on it, so its fitted value would be a draw of the sampler's."""
    rules = list(dict.fromkeys(base.market.decision_rule for base in problem.bases.values()))
    return [f"calibration.free fits {key}, which is {why_unread(key)}; the study runs "
            f"{' and '.join(rules)} (its setup and its targets' conditions), so no trial's score depends "
            "on it and its fitted value would be arbitrary: leave it out of calibration.free, or give a "
            "target a condition that sets a rule that reads it"
            for key in unread_by_any_rule([p.key for p in problem.params], rules)]


def _how_to_change(same: tuple[str, ...], trials_to_run: bool) -> str:
    start = "stop the study (Ctrl-C) and start one" if trials_to_run else "start a study"
    return f"to change or drop {'one of them' if same else 'it'}, {start} with a new calibration.name"


def conditions_simulating_alike(problem: Problem) -> list[tuple[tuple, tuple]]:
    """Each condition that simulates as the study's own setup (paired with ()) or an earlier
    condition (paired with it), known before any trial (salessim.whole_teams.simulated_setup): its
    span of control makes the same whole FSM teams, or it sets what its decision rule does not read.
    conditions_alike finds the others from the first trial's figures, which a large study gives
    minutes in."""
    # A trial that scales the span or the sellers may make the teams of two spans differ.
    teams = not {p.key for p in problem.params} & {SPAN, "org.sellers"}
    first: dict[str, tuple] = {}  # each setup simulated, by the first condition that makes it
    return [(condition, same) for condition in problem.simulated_conditions()
            if (same := first.setdefault(simulated_setup(problem.bases[condition], teams), condition))
            != condition]


def alike_reasons(condition: tuple[str, ...], same: tuple[str, ...], problem: Problem) -> str:
    """Why a condition of conditions_simulating_alike simulates as ``same`` (() for the study's own
    setup) does."""
    base, other = problem.bases[condition], problem.bases[same]
    why = []
    if base.fsm.span_of_control != other.fsm.span_of_control:
        why.append(f"the study's {counted(base.org.sellers, 'seller')} make the same "
                   f"{counted(teams_for(base.org.sellers, base.fsm.span_of_control), 'whole FSM team')}"
                   + ("" if same else " as in its own setup"))
    # Configs that differ (checked when the targets were read) yet simulate alike: what else differs
    # is a setting of the decision that the rule of both does not read.
    for key in unread_keys(base):
        if values_at(base, key) != values_at(other, key):
            why.append(f"{key} is {why_unread(key)}, and {'it runs' if not same else 'both run'} "
                       f"{base.market.decision_rule}")
    return " and ".join(why) or "nothing it sets is simulated"  # the checks refuse such conditions


def conditions_alike(sims: dict) -> list[tuple[tuple, tuple]]:
    """Each condition (a key of ``sims``, each condition's summary by replication) whose every
    figure equals, replication by replication, the study's own setup's (paired with ()) or an
    earlier condition's (paired with it): common random numbers make them equal only when nothing
    simulated differs."""
    alike, apart = [], [c for c in [()] if c in sims]  # () where a target has no condition
    for condition, df in sims.items():
        if not condition:
            continue
        figures = [c for c in df.columns if c not in RUN_COLUMNS]
        # A condition with other segments has other per-segment columns: it changes something.
        same = next((other for other in apart if list(sims[other].columns) == list(df.columns)
                     and sims[other][figures].equals(df[figures])), None)
        if same is None:
            apart.append(condition)
        else:
            alike.append((condition, same))
    return alike


def short_windows(problem: Problem) -> list[str]:
    """salessim's notice of a measured window too short for yearly figures, for the study's setup
    and for each condition whose window differs (the notice names its sim.years): the targets
    speak of yearly figures."""
    said: dict[str, tuple[str, ...]] = {}
    for condition, cfg in problem.bases.items():
        short = notices.short_window(cfg)
        if short and short not in said:
            said[short] = condition
    return [("under a condition: " if c else "") + short for short, c in said.items()]


def fit_setup(overrides: list[str], hydra_cfg: DictConfig, installed: bool) -> list[str]:
    """The words of the study's command line that its fit's own setup repeats: the folders of
    configs it read (-cd FOLDER, as an absolute path, and hydra.searchpath) and its overrides of
    the model's settings that change results (not sim.workers or sim.progress, nor the study's
    own); with the folder that finds an ``installed`` fit moved by SALESSIM_CALIBRATED_DIR."""
    cd = [["-cd", s.path] for s in hydra_cfg.runtime.config_sources if s.provider == "command-line"]
    last = {split_override(o)[0]: o for o in overrides}  # a key typed twice: Hydra takes the last
    words = [*(cd[0] if cd else []), *(o for key, o in last.items() if key not in NOT_OBJECTIVE
                                       and not o.lstrip("+~").startswith(("calibration.", "targets")))]
    searchpath = list(hydra_cfg.searchpath)
    finding = searchpath_entry(calibrated_dir())
    if installed and fits_moved() and finding and finding not in searchpath:
        searchpath.append(finding)  # the study's own command line then finds the fit
    return words + ([f"hydra.searchpath=[{','.join(searchpath)}]"] if searchpath else [])


# The study's folder and the folders above it that preflight found missing (deepest first): the
# ones Hydra makes for this command.
_FOLDERS_MADE: list[Path] = []


def _leave_no_folder(out: Path) -> None:
    """A study whose storage could not be opened leaves no folder it made: Hydra's record of the
    command in it claimed the study's name for that storage (outputs.study_in_folder), and the
    next command of that name, in another storage, was refused. A folder holding anything else
    stays."""
    if _FOLDERS_MADE[:1] == [Path(os.path.abspath(out))]:
        with contextlib.suppress(OSError):
            drop_hydras_record_alone(out)
        remove_if_empty(_FOLDERS_MADE)


def _validate(cfg: DictConfig, overrides: list[str], run_dir: str | None = None) -> None:
    """Preflight of one command; ``run_dir``: the study folder, when the command runs the study."""
    problem, cal = build(cfg, overrides, lambda o: compose_config(o, "calibrate"))
    if run_dir is not None:
        _FOLDERS_MADE[:] = folders_missing(run_dir)
        if not problem.params:  # a score: no study, no fit to install
            refuse_a_studys_folder(Path(run_dir), cal)
            return
        # The folder, the storage and a resumed study's setup are checked before Hydra makes the
        # folder or rewrites its .hydra/ (the run checks the setup again: a worker may add one).
        refuse_another_study_folder(Path(run_dir), cal)
        if problem.truth is None:  # a recovery study installs no fit
            check_fits_folder()
        study = existing_study(cal, Path(run_dir))
        if study is not None:
            check_setup(study, setup_of(problem, cal), record=False)


KEPT = "finished trials are kept (run the same command again to resume the study)"
# Whether the clock names the study's folder (hydra.run.dir=...${now:...}), and the folder once
# Hydra has named it, when the study's journal is there: the same command again would start a
# new study in another folder, so a resume names this one.
_BY_CLOCK: dict[str, Any] = {"named": False, "folder": None}


# The study's folder and its fit.csv's modification time as the command began (None: none there):
# a fit an earlier run wrote, which a stop before this run's fit leaves as it was.
# ``study`` once open, and the finished trials the fit in the folder was made from
# (``fit_trials``), to say what a stop keeps.
_EARLIER_FIT: dict[str, Any] = {"out": None, "mtime": None, "scoring": False, "setting_up": False,
                                "study": None, "fit_trials": None}


def _fit_trials(out: Path) -> int | None:
    """The finished trials the fit in ``out`` was made from (its trials.csv), None if unknown."""
    try:
        states = pd.read_csv(out / "trials.csv", usecols=["state"]).state
    except (OSError, ValueError):
        return None
    return int(states.isin([s.name for s in FINISHED]).sum())


def _fit_time(out: Path) -> float | None:
    try:
        return (out / "fit.csv").stat().st_mtime
    except OSError:
        return None


def _kept() -> str:
    """What a stopped or failed study keeps, and how to resume it; and that the fit files in its
    folder are an earlier run's, made from fewer trials, when this one stopped before its fit."""
    folder = _BY_CLOCK["folder"]
    kept = KEPT if folder is None else (
        f"finished trials are kept in {folder} (resume: the same command with "
        f"{folder_setting('hydra.run.dir', folder)}: the clock may name another folder)")
    if _EARLIER_FIT.get("scoring"):
        return "a score writes its fit.csv at its end: run the same command again"
    if _EARLIER_FIT.get("setting_up"):  # a new study has no trial, nor, since, a folder (a review)
        return ("it stopped before the study opened, so it ran no trial (run the same command again to "
                "start the study, or resume it)")
    finished = _finished_now()
    if finished == 0:  # the setup it was given is not held to: no trial to compare with (a walk)
        return ("no trial had finished, so none is kept (run the same command again to start the study, "
                "with these settings or others)")
    out, mtime = _EARLIER_FIT["out"], _EARLIER_FIT["mtime"]
    if out is not None and mtime is not None and _fit_time(out) == mtime:
        since = ("" if finished is not None and finished == _EARLIER_FIT.get("fit_trials") else
                 ", without the trials since")
        kept += (f"; the fit in {out} ({', '.join(FIT_FILES)}) is still the one its last finished "
                 f"run made{since}")
    return kept


def _stopped() -> str:
    """What a stop says (_kept), once a score's folder, or a new study's not yet open, is gone:
    here, whatever the stop surfaced as (a library can turn Ctrl-C into an error of its own, which
    _task's clean-up does not see: a CI run found a score's folder left)."""
    out = _EARLIER_FIT.get("out")
    if out is not None and (_EARLIER_FIT.get("scoring") or _EARLIER_FIT.get("setting_up")):
        _leave_no_folder(out)
    return _kept()


def _finished_now() -> int | None:
    """The trials the open study has finished, None if no study is open or its storage cannot
    say (a stop must still end in its line)."""
    study = _EARLIER_FIT.get("study")
    if study is None:
        return None
    try:
        return finished_trials(study)
    except Exception:  # a storage gone, or the interrupt landing inside its read
        return None


def main() -> None:
    if version_asked(sys.argv[1:], PROG):
        return
    sys.argv[1:] = with_home_expanded(sys.argv[1:])  # calibration.targets_file=~/targets.csv
    output: dict = {}
    with interrupt_ends_quietly(PROG, KEPT, starts_workers=False):
        try:
            # A study's folder is results/calibration/NAME: -m would put even one study in
            # Hydra's multirun/ folder, where running it again would not find it to resume.
            if (parse_argv(sys.argv[1:], "calibrate").multirun
                    or check_command(sys.argv[1:], "calibrate", _validate, output=output) > 1):
                raise UserError("salessim-calibrate runs one study; allowed: overrides without -m "
                                "(for several studies, one command each, with its calibration.name)")
        except UserError as e:
            exit_with(e, PROG)
    # --help may be piped to `head`, lists no key the study refuses, and names where fits go
    _BY_CLOCK.update(named=bool(output.get("chosen_by_clock")), folder=None)  # main() may run again
    _EARLIER_FIT.update(out=None, mtime=None, scoring=False, setting_up=False, study=None,
                        fit_trials=None)
    with (interrupt_ends_quietly(PROG, _stopped), reader_may_leave(),
          help_of_this_command(sys.argv[1:], "calibrate", STUDY_IGNORES, help_naming_the_fits_folder)):
        sys.argv[1:] = hydra_argv(sys.argv[1:], "calibrate")
        _task()


__all__ = ["main", "build"]


if __name__ == "__main__":
    main()
