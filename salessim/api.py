"""The Python API for notebooks: run a scenario or load a finished one as pandas DataFrames.

    import salessim
    res = salessim.run(["fsm.span_of_control=12", "sim.replications=5"])
    res.summary.win_rate.mean()
    old = salessim.load("results/runs/2026-11-28_10-00-00")
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import threading
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd
from hydra import initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException
from hydra.initialize import get_gh_backup, restore_gh_from_backup

from salessim import notices
from salessim.applied_fits import fit_files, fit_notices, provenance, rules_fitted_under
from salessim.config import register_configs
from salessim.compose import CONFIG_DIR, check_searchpath, compose_config, detach_hydra, naming_the_file
from salessim.errors import ConfigError, UserError, refuse_a_name_too_long
from salessim.folder_claim import claimed
from salessim.manifest import not_a_folder, refuse_a_sweep_folder
from salessim.model.records import FLOAT, TABLE_KINDS, kind_problem
from salessim.outputs import (ALWAYS_WRITTEN, MANIFEST, TABLES, check_new_output_folder, job_manifest,
                              read_parquet_checked, remove_if_empty, table_problem, written_columns)
from salessim.overrides import overrides_parser, repeated_keys, split_override
from salessim.plural import counted
from salessim.preflight import earlier_results_kept, expand_jobs, refuse_a_sweep_in_a_single_run
from salessim.report_table import run_name
from salessim.runner import Results, run_scenario
from salessim.summary import summary_numbers
from salessim.sweep_expansion import parse_overrides
from salessim.validation import to_validated


RUNS_ONE = "salessim.run runs one scenario"
PYTHON_SWEEP_ADVICE = (f"; {RUNS_ONE}: call it once for each of a sweep's values, or run the sweep "
                       "with salessim -m (a value that holds a comma is quoted: "
                       "{'sim.scenario': \"'a,b'\"})")


def _as_overrides(overrides: Sequence[str] | Mapping[str, object] | None) -> list[str]:
    if overrides is None:
        return []
    if dataclasses.is_dataclass(overrides):  # its repr, the whole config, would be the message
        raise UserError(f"overrides={type(overrides).__name__}(...) is not allowed: a list of "
                        "'key=value' strings, a mapping of keys to values, or None (a Config built "
                        "in Python runs with salessim.runner.run_scenario(cfg))")
    if isinstance(overrides, str):
        overrides = [overrides]
    if hasattr(overrides, "to_dict") and not isinstance(overrides, Mapping):  # pandas' Series, DataFrame
        raise UserError(f"overrides: a pandas {type(overrides).__name__} is not allowed: a mapping of "
                        "keys to values, or a list of 'key=value' strings (a Series' .to_dict(), or "
                        "a DataFrame's row as df.iloc[i].to_dict())")
    if isinstance(overrides, Mapping):
        odd = next((k for k in overrides if not isinstance(k, str)), None)
        if odd is not None:
            raise ConfigError("overrides", {odd: overrides[odd]}, "a mapping whose keys are texts, "
                              "dotted config keys such as 'fsm.span_of_control'")
        spaced = next((k for k in overrides if k != k.strip() or " " in k), None)
        if spaced is not None:
            near = f", such as '{spaced.strip()}'" if " " not in spaced.strip() else ""
            raise ConfigError(repr(spaced), overrides[spaced], f"a key without spaces{near}")
        flat = [o for k, v in overrides.items() for o in _flat_overrides(k, v)]
        _refuse_a_key_set_twice(flat, "the mapping")
        return flat
    items = list(overrides) if isinstance(overrides, Iterable) else None
    if items is None or not all(isinstance(o, str) for o in items):
        raise UserError(f"overrides={overrides!r} is not allowed: a list of 'key=value' strings, "
                        "a mapping of keys to values, or None")
    items = [o.strip() for o in items]  # as a shell splits a command line ('sim.years=2 ' built in Python)
    if "" in items:
        raise UserError(f"overrides={overrides!r} is not allowed: 'key=value' strings, and one of them "
                        "is empty")
    # A command's flag (-m, -cd FOLDER): Hydra's parser would answer with its lexer's exception
    # and the command line's advice.
    flag = next((o for o in items if o.startswith("-")), None)
    if flag is not None:
        raise UserError(f"{flag!r} is a flag of the salessim command, not an override (allowed: "
                        f"'key=value' strings; {RUNS_ONE}: call it once for each of a sweep's "
                        "values; a folder of your own configs is 'hydra.searchpath=[file:///abs/FOLDER]')")
    _refuse_a_key_set_twice(items, "the list")
    return items


def _flat_overrides(key: str, value: object) -> list[str]:
    """``{"sim": {"years": 2}}`` as ``sim.years=2``, as the command line would type it, so that a
    nested mapping runs, is checked and is named like the dotted keys (run-control keys stay out
    of the scenario's name; a ``hydra`` mapping is checked as its dotted keys are). An empty
    mapping stays whole, to be refused as on the command line."""
    if isinstance(value, Mapping) and value:
        return [o for k, v in value.items() for o in _flat_overrides(f"{key}.{k}", v)]
    if key.lstrip("+") == "investment" and value is None:  # Python's "none": no investment
        return [f"{key}=[]"]
    if isinstance(value, (set, frozenset)):  # Hydra would read {'crm'} as a mapping's text
        raise ConfigError(key, value, "a list, e.g. ['crm'] (a set has no order, which the "
                          "scenario's name and the investments' order need)")
    return [f"{key}={_as_value(value)}"]


def _refuse_a_key_set_twice(flat: list[str], given_as: str) -> None:
    """``{"fsm": {"span_of_control": 12}, "fsm.span_of_control": 9}``, or a base list with a
    variant's item added: merging them easily sets one key both ways; Hydra would take the last
    silently, under a scenario named after both. (A deletion, '~key', is Hydra's own.)"""
    for earlier, later in repeated_keys(flat):
        key, value = split_override(later)
        how = ("nested and dotted, or with and without a '+'" if given_as == "the mapping"
               else "Hydra would take the last alone")
        raise ConfigError(key, value, f"one value: {given_as} sets {key} twice, to "
                          f"{split_override(earlier)[1]} and to {value} ({how})")


def _as_value(value: object) -> str:
    """A Python value as a command line would type it: [crm,accelerators], true, null; text that
    Hydra cannot read as typed (parentheses, an apostrophe, letters beyond ASCII) quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value is pd.NA or value is pd.NaT:
        return "null"
    if isinstance(value, str):
        if value.strip() == "":
            return value
        value = value.strip()  # as the command line reads it, and so named
        if _typed(value):
            return value
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if getattr(value, "ndim", 0) >= 1 and hasattr(value, "tolist"):  # a numpy array, a pandas Series
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(map(_as_value, value)) + "]"
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{k}:{_as_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _typed(text: str) -> bool:
    """Whether Hydra reads ``text`` as the command line would ([crm,a], {x:1}, 5, 'a,b', crm)."""
    try:
        overrides_parser().parse_override(f"key={text}")
    except HydraException:
        return False
    return True


# Hydra keeps its composition state in one global per process.
_HYDRA_IS_GLOBAL = threading.Lock()


def run(overrides: Sequence[str] | Mapping[str, object] | None = None, *, scenario: str | None = None,
        out_dir: str | Path | None = None, progress: bool | None = None) -> Results:
    """Compose the config with Hydra-style ``overrides``, validate it, run it and return its tables.

    The scenario is named ``scenario``, else ``sim.scenario``, else as ``salessim`` on the command
    line names it: the overrides sorted, without run-control keys (``sim.replications``,
    ``sim.workers``, ...), e.g. ``fsm.span_of_control=9,investment=[crm],sim.years=2``;
    ``baseline`` if none.
    A mapping's values are written as a command line types them (``["crm"]`` as ``[crm]``,
    ``True`` as ``true``, ``None`` as ``null``, but ``{"investment": None}`` as ``investment=[]``,
    no investment; a nested mapping as its dotted keys, ``{"sim": {"years": 2}}`` as
    ``sim.years=2``; a key set twice, in a mapping or a list, is refused); a string is
    passed as typed when it reads as a value (``"[crm,accelerators]"``), else quoted for you
    (``"Q3 (EMEA)"``); quote one that holds a comma yourself: ``{"sim.scenario": "'Q3, EMEA'"}``.
    Of Hydra's own keys only ``hydra.searchpath`` (folders of your own configs, e.g.
    investments) does anything here; the others are refused.
    ``progress``: a progress bar on stderr; None (the default) shows one when ``sim.progress``
    is true and stderr is a terminal, as the command line does. What the command line says of a
    run on stderr (a long run, an investment still rolling out at the end, a window too short
    for yearly figures, a veto rule at the status-quo pull calibrated for consensus, a fit
    applied to another organization or horizon than it was fitted on, or replacing levels the
    call sets otherwise) comes as a :class:`salessim.notices.RunNotice` warning.
    Raises :class:`salessim.errors.UserError` (one readable line) for a bad override.
    Nothing is written unless ``out_dir`` is given (``~`` is the home folder): a new or empty
    folder, held for the run as a command holds its folder, so another run given the same one is
    refused; the folders a failed run made are removed. With ``sim.resume=True``, an ``out_dir``
    that holds complete results of this very config is read (as :func:`load` reads it) instead of
    run again, as the command skips a finished job: a notebook run again does not redo its runs;
    one that holds another config's results is refused.
    """
    args = _as_overrides(overrides)
    # What Hydra cannot read (a key without its value, a value without its key, a bracket left
    # open) is said as the command line says it, before the checks that take each for key=value;
    # where the command line offers a sweep (-m), one value.
    parse_overrides(overrides_parser(), args, runs_one=RUNS_ONE, shell=False)
    if scenario is not None and not isinstance(scenario, str):
        raise ConfigError("scenario", scenario, "a text, or None to name the scenario by its overrides")
    if progress is not None and not isinstance(progress, bool):  # "no" would show the bar
        raise ConfigError("progress", progress, "True, False, or None (a bar when stderr is a terminal)")
    for key, value in map(split_override, args):
        if key.startswith(("hydra.", "hydra/")) and key != "hydra.searchpath":  # a command's run only
            raise ConfigError(key, value, "a key of the model's config, or hydra.searchpath: "
                              "salessim.run writes only to out_dir=..., and only when given one")
    check_searchpath(args)
    folder = None if out_dir is None else _a_path(out_dir, "out_dir", "a folder to write the tables "
                                                  "to, or None to write nothing")
    with contextlib.ExitStack() as holding:
        with _HYDRA_IS_GLOBAL:  # calls from several threads compose one at a time, then run side by side
            register_configs()
            callers = get_gh_backup()  # a notebook's own Hydra, if it has one, is given back as it was
            GlobalHydra.instance().clear()
            try:
                with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3",
                                           job_name="salessim"):
                    # The command line's advice, -m, is not at hand here: say what is.
                    expand_jobs(args, multirun=False, sweep_advice=PYTHON_SWEEP_ADVICE)
                    composed = compose_config(args, with_hydra=True, list_advice=PYTHON_SWEEP_ADVICE)
                    refuse_a_sweep_in_a_single_run(composed, args, more_advice=PYTHON_SWEEP_ADVICE)
                    fits = fit_files(args, composed.hydra)
                    fit_lines = fit_notices(args, fits, "config", composed)
            finally:
                GlobalHydra.instance().clear()
                if callers is not None:
                    restore_gh_from_backup(callers)
            job = detach_hydra(composed).job
            try:
                cfg = to_validated(composed)
            except ConfigError as e:
                raise naming_the_file(e, args) from None
            # Named as the command line names a job: Hydra's override_dirname (sorted overrides,
            # without the run-control keys that configs/config.yaml excludes), read once checked.
            name = run_name(scenario or cfg.sim.scenario, job.override_dirname)
            if folder is not None:
                held = job_manifest(folder) if folder.is_dir() else None
                if held is not None and earlier_results_kept("out_dir", str(folder), folder, cfg):
                    stored = held.get("scenario")
                    if stored != name:  # the same config under another name: its tables say that name
                        raise ConfigError("out_dir", str(folder), f"a folder of this scenario's "
                                          f"results: it holds this config's under the scenario "
                                          f"name {stored!r}, not {name!r} (give scenario={stored!r}, "
                                          "or another folder)")
                    notices.warn(name, f"complete results of this config already in {folder}: "
                                       "read, not run again (sim.resume=true)")
                    return load(folder)
                if held is None:  # else a resume runs again there, as a command's
                    check_new_output_folder(folder, "out_dir")
                # Folders the claim makes above the run's own go again if the run ends without
                # its tables (bad input, an error, Ctrl-C): the claim removes only its own.
                made = [p for p in folder.absolute().parents if not p.exists()]
                holding.callback(remove_if_empty, made)
                # Held to the end of the write, as a command holds its folder; checked and claimed
                # under one lock, so another thread's run given the same folder (or a command's)
                # is refused instead of overwriting these tables.
                holding.enter_context(claimed("out_dir", str(folder), chosen_by_clock=False))
        said = notices.before_run(cfg, fitted_under=rules_fitted_under(fits), typed=args)
        for notice in [*fit_lines, *said]:
            notices.warn(name, notice)
        results = run_scenario(cfg, scenario=name, out_dir=folder, progress=progress,
                               fits=provenance(fits))
    short = notices.short_window(cfg)
    if short:
        notices.warn(name, short)
    return results


def _a_path(value: object, name: str, allowed: str) -> Path:
    """A folder given as a str or a path-like object; anything else is a UserError, not the
    TypeError that Path() would raise from deep inside."""
    if isinstance(value, (str, os.PathLike)):
        return Path(value).expanduser()  # '~/runs' as a shell reads it, not a folder named '~'
    raise ConfigError(name, value, f"{allowed}, as a str or a pathlib.Path")


def load(path: str | Path) -> Results:
    """Read the tables of a finished job folder (one with a manifest.json): a single run's
    ``results/runs/<time>`` or one job of a sweep, ``results/sweeps/<time>/<job>``.

    Returns :class:`salessim.runner.Results`: ``summary``, ``opportunities``, ``sellers``,
    ``kpis``, ``fsm_months`` (and ``journey_events`` with tracing) as DataFrames, every column as
    docs/results.md describes it, and ``manifest`` (the job's config, seed and versions).
    Raises :class:`salessim.errors.UserError` (one readable line) when the folder is not a
    finished job, is a sweep's folder, or holds a table that is missing, unreadable or not as
    it was written. Old results are read whatever their config: nothing is validated again.
    """
    folder = _a_path(path, "path", "a finished job folder, e.g. 'results/runs/<time>'")
    refuse_a_name_too_long(folder, "folder", "a finished job folder, e.g. results/runs/<time>")
    if not folder.is_dir():
        raise UserError(not_a_folder(folder, "a finished job folder, e.g. results/runs/<time>"))
    refuse_a_sweep_folder(folder)
    if not (folder / MANIFEST).is_file():
        raise UserError(f"{folder} is not a finished salessim job: no {MANIFEST} "
                        "(allowed: a folder that salessim wrote, e.g. results/runs/<time>)")
    try:  # not manifest.read_manifest: a notebook may read old results whose config this version refuses
        meta = json.loads((folder / MANIFEST).read_text())
        listed = meta.get("tables", ALWAYS_WRITTEN)  # AttributeError when the manifest is not an object
        names = [n for n in listed if n in TABLES]  # TypeError when "tables" is not a list
    except (OSError, ValueError, AttributeError, TypeError):
        raise UserError(f"{folder / MANIFEST} cannot be read as a salessim manifest (allowed: the "
                        "manifest.json salessim wrote)") from None
    unlisted = [n for n in ALWAYS_WRITTEN if n not in names]
    if unlisted:
        raise UserError(f"{folder / MANIFEST} lists no {', '.join(unlisted)} (allowed: the manifest.json "
                        f"salessim wrote, which lists {', '.join(ALWAYS_WRITTEN)})")
    missing = [n for n in names if not (folder / f"{n}.parquet").is_file()]
    if missing:
        raise UserError(f"{folder} is incomplete: {', '.join(missing)} listed in {MANIFEST} but "
                        "missing (allowed: a folder whose manifest's tables are all present)")
    for n in names:
        problem = table_problem(folder / f"{n}.parquet", written_columns(meta, n))
        if problem:
            raise UserError(f"{folder / (n + '.parquet')} is {problem} (allowed: the tables "
                            "salessim wrote)")
    try:
        tables = {n: read_parquet_checked(folder / f"{n}.parquet") for n in names}
    except UserError as e:
        raise UserError(f"{folder}: {e.message} (allowed: the tables salessim wrote)") from None
    for n, table in tables.items():
        # The summary's every figure is a number, as salessim-compare reads it; the other tables
        # declare each column's kind.
        kinds = ({c: FLOAT for c in summary_numbers(table.columns)} if n == "summary"
                 else TABLE_KINDS.get(n, {}))
        problem = kind_problem(table, kinds) or (_summary_problem(table, meta) if n == "summary" else None)
        if problem:
            raise UserError(f"{folder / (n + '.parquet')} is not as it was written: {problem} "
                            "(allowed: the tables salessim wrote)")
    return Results(manifest=meta, **tables)


def _summary_problem(summary, meta: dict) -> str | None:
    """A summary copied in from another job (the columns match, the runs do not): its scenario or
    its number of replications is not the manifest's."""
    scenario, replications = meta.get("scenario"), meta.get("replications")
    other = next((s for s in summary.get("scenario", ()) if s != scenario), None)
    if isinstance(scenario, str) and other is not None:
        return f"it is of scenario {other!r}, the manifest's {scenario!r}"
    if isinstance(replications, int) and len(summary) != replications:
        return f"it has {counted(len(summary), 'replication')}, the manifest {replications}"
    return None


__all__ = ["run", "load", "Results"]
