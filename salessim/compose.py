"""Compose an app's config with Hydra, with one-line errors.

Hydra and OmegaConf report a bad override or config file as a multi-line error, or not at all
when they apply a value otherwise than it reads (investment=[crm,crm], market.segments={}, an
investment file that defines another investment, ~ on a setting). ``compose_config`` refuses
those first, then turns whatever Hydra or OmegaConf raises into one
:class:`~salessim.errors.UserError` line naming the key, the value and what is allowed. The
checks of hydra.searchpath live here too: composing needs them first. An override's key and
value as typed are read by :mod:`salessim.overrides`; the config files themselves are found and
read by :mod:`salessim.config_files`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
import re
import shlex
import typing
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from hydra import compose
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException, MissingConfigException
from omegaconf import DictConfig, open_dict
from omegaconf.errors import OmegaConfBaseException

from salessim.calibrated_fits import calibrated_dir, fits_moved, moved_fits_said
from salessim.config import (FREE_PARAM_FIELDS, FREE_PARAM_FIELDS_ALLOWED, CalibrateConfig, Config, SimConfig,
                             flatten)
from salessim.config_files import (BOM, CONFIG_DIR, SWEEPER_PARAMS, TruthsAsWritten, chosen_files,
                                   config_folders, defaults_choices, file_that_set, files_setting,
                                   find_config, groups_chosen_in, last_setting,
                                   own_options, package_header, placed_at, placed_content,
                                   searchpath_entries, searchpath_folders, shadowed_config)
from salessim.errors import (NAME_MAX, AsTyped, ConfigError, UserError, as_written, first_few,
                             meant_key_said, nearest_name)
from salessim.interrupt import interrupt_seen_through
from salessim.overrides import (NOT_TYPED, adds_key, inside_typed_mapping, is_hydras_own, key_and_value_typed,
                                list_items, override_value, overrides_parser, split_override, typed_override,
                                typed_value)
from salessim.terminal import wrapped
from salessim.typed_folders import folder_setting, for_the_shell
from salessim.validation import as_truth, range_text, segment_maps, segment_value_range

# Where the Ray launcher comes from, as docs/distributed.md installs it.
RAY_EXTRA = ("salessim's ray extra: make install-ray, then .venv-ray/bin/salessim (or pip install -e "
             "'.[ray]' in a venv of your own; docs/distributed.md)")


def check_searchpath(overrides: list[str]) -> None:
    """Every folder of the command line's hydra.searchpath exists (Hydra would only warn), and
    none holds a file with a shipped config's name (Hydra reads the shipped one, silently)."""
    for o in overrides:
        typed = o.partition("=")[2].strip()
        if o.startswith("hydra.searchpath=") and not (typed.startswith("[") and typed.endswith("]")):
            raise ConfigError("hydra.searchpath", typed, "a list of folders, e.g. "
                              "hydra.searchpath=[file:///abs/FOLDER] (or -cd FOLDER)")
    for entry, folder in searchpath_folders(overrides):
        if not Path(folder).is_dir():
            raise ConfigError("hydra.searchpath", entry, "folders that exist (file://DIR)")
        shadowed = shadowed_config(Path(folder))
        if shadowed and not shadowed[0]:
            raise UserError(f"{Path(folder) / shadowed[1]}.yaml has the name of salessim's own primary "
                            f"config, which is read instead of yours, so your file would be ignored "
                            f"(allowed: presets of your own as GROUP/NAME.yaml there, chosen with "
                            f"GROUP=NAME, or experiment/NAME.yaml for settings across groups)")
        if shadowed:
            group, name = shadowed
            choose = f"{group}=[{name}_own]" if group == "investment" else f"{group}={name}_own"
            raise UserError(f"{Path(folder) / group / name}.yaml has the name of a config salessim "
                            f"ships, which is read instead of yours, so your file would be ignored "
                            f"(allowed: a name of your own, e.g. {group}/{name}_own.yaml chosen with "
                            f"{choose}{', its top key renamed to match' if group == 'investment' else ''})")
    for entry in searchpath_entries(overrides):
        package = entry[len("pkg://"):].split("/")[0]
        if entry.startswith("pkg://") and not _importable(package):
            raise ConfigError("hydra.searchpath", entry, "installed packages (pkg://PACKAGE) or folders "
                              "that exist (file://DIR)")


def _importable(package: str) -> bool:
    import importlib.util
    try:
        return bool(package) and importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):  # a parent package that is not installed, or an empty name
        return False


def detach_hydra(cfg: DictConfig) -> DictConfig:
    """Take Hydra's own node out of a config composed with it (the app's schema does not know
    it), and return that node."""
    hydra_node = cfg.hydra
    with open_dict(cfg):
        del cfg["hydra"]
    return hydra_node


# Mappings whose keys hold dots, so that each is set whole, with a '+', and how.
_WHOLE_MAPPINGS = {"calibration.params": "+calibration.params={KEY:{low:L,high:H}}",
                   "calibration.recover": "+calibration.recover={KEY:VALUE,...}"}
# Lists whose items the general advice (a list such as [a,b], or [] for none) does not fit.
_LISTS = {"calibration.free": "a list of keys of calibration.params such as [market.neutral_quality] "
                              "(at least one), or null to fit them all",
          "enablement.content_roles": "a list of buyer roles such as [economic_buyer,finance] "
                                      "(economic_buyer or roles of market.stakeholder_roles), or null "
                                      "for the share of roles enablement.content_role_coverage gives"}
# What to write instead of KEY={} where the general advice does not fit.
_EMPTY_HINTS = {
    "investment": "investment=[] selects no investment; ",
    "calibration.params": "an entry is added whole, +calibration.params={KEY:{low:L,high:H}}, as its "
                          "key holds dots; not ",
    "calibration.recover": "the known values are set whole, +calibration.recover={KEY:VALUE,...}, as "
                           "its keys hold dots; not ",
}


def check_override_values(job: list[str], schema: type = Config) -> None:
    """Refuse values Hydra accepts but applies otherwise than they read.

    - A group list naming one config twice (investment=[crm,crm]): Hydra merges it once,
      silently, and the scenario would not be what its name says.
    - Fits given in more than one override (+calibrated=a +calibrated=b): Hydra stops on the
      second '+', or on the same one twice with its own words, and runs only the last of
      +calibrated=[a] calibrated=b, silently.
    - An empty mapping set on a mapping (market.segments={}): Hydra merges a mapping into the
      configured one, so ``{}`` changes nothing, though it reads as "none". Only plain overrides
      of keys the schema types as mappings: ``+`` and ``~`` do other things, and a value of
      another type gets the schema's own message from compose.
    """
    try:
        parsed = overrides_parser().parse_overrides(job)
    except HydraException:
        return  # compose reports what cannot be read
    _refuse_fits_given_twice([o.input_line for o in parsed if o.key_or_group == "calibrated"
                              and not o.is_delete()])
    for o in parsed:
        _check_key(o, schema)
        _check_other_apps_key(o, schema)
        _check_new_investment(o, job)
        refuse_a_forced_group(o, job, schema)
        if o.is_delete():
            _check_deletion(o, schema, {c.key_or_group for c in parsed if c.is_delete()})
            chosen = [c.input_line for c in parsed if not c.is_delete() and c.key_or_group == o.key_or_group]
            if chosen:  # Hydra applies the deletion whatever the order: the choice is dropped
                raise UserError(f"{o.input_line} is not allowed with {chosen[0]}, which it would undo "
                                f"whatever their order: give one of them")
            continue
        value = o.value()
        # OmegaConf reads 2, 'yes' and 'on' as true: sim.baseline=2 ran as a marked baseline
        if (not o.is_sweep_override() and value is not None and as_truth(value) is None
                and o.key_or_group in _truth_keys(schema)):
            raise ConfigError(*key_and_value_typed(o), "true or false")
        if isinstance(value, float) and not math.isfinite(value) and "." not in o.key_or_group:
            options = _options_of(o.key_or_group, job)  # org=nan: Hydra reads a number, then stops
            if options:
                typed = key_and_value_typed(o)[1]
                raise ConfigError(o.key_or_group, AsTyped(typed), _one_of(o.key_or_group, options)
                                  + _quoted_if_named(o.key_or_group, typed, options))
        if isinstance(value, list) and "." not in o.key_or_group:  # a config group, not a key
            options = _options_of(o.key_or_group, job)
            if not options:  # a key, not a group (experiment_question=[1]): compose types it
                continue
            if not all(isinstance(v, str) for v in value):  # [1], [[crm]]: Hydra would crash
                raise ConfigError(*key_and_value_typed(o),
                                  f"a list of the group's config names: {', '.join(options)}")
            if o.key_or_group not in LIST_GROUPS:  # Hydra merges them, the last one's keys winning
                raise ConfigError(*key_and_value_typed(o), f"one config, not a list: "
                                  f"{_one_of(o.key_or_group, options)}")
            twice = listed_twice([str(v) for v in value])
            if twice:
                raise ConfigError(*key_and_value_typed(o),
                                  f"a list naming each config once ({', '.join(twice)} is listed twice)")
        if isinstance(value, dict) and not (o.is_add() or o.is_delete()):
            for key in _empty_mappings(value, o.key_or_group):
                parts = key.split(".")
                node = schema_node(schema, parts)
                # An investment's settings are a mapping too, though the schema names none.
                an_investment = parts[0] == "investment" and len(parts) == 2
                if isinstance(node, dict) or dataclasses.is_dataclass(node) or an_investment:
                    typed = key_and_value_typed(o)[1]
                    raise ConfigError(o.key_or_group, value if typed == "{}" else typed,
                                      f"a mapping with a key to set; {{}} changes nothing"
                                      f"{'' if key == o.key_or_group else f' at {key}'}, since a mapping "
                                      f"is merged into the configured one ({_EMPTY_HINTS.get(key, '')}"
                                      f"set {key}.NAME=VALUE for each key to change)")


# The groups a command selects several configs of, as a list; each other group takes one config.
LIST_GROUPS = frozenset({"investment", "calibrated"})


def _options_of(group: str, overrides: list[str]) -> list[str]:
    """The configs ``group`` can choose, shipped and the user's own; [] for no group of that name."""
    try:
        return sorted(set(group_options(group)) | set(own_options(group, overrides)))
    except Exception:  # no config group of that name: compose will say so
        return []


def refuse_a_forced_group(o, job: list[str], schema: type) -> None:
    """Refuse ``++GROUP=VALUE`` of a group salessim ships (calibrated: none yet) or the user's;
    a sweep's is refused as typed, before its jobs (each named one job's value)."""
    if o.is_force_add() and "." not in o.key_or_group and (
            (CONFIG_DIR / o.key_or_group).is_dir() or _options_of(o.key_or_group, job)):
        raise _group_forced(o, schema)


def _group_forced(o, schema: type) -> ConfigError:
    """``++org=large``: Hydra's "force-add of config groups is not supported" said nothing of what
    to write; a group is chosen without '+' where the defaults list has it (Hydra's own groups
    too), and added with one '+' where it does not (+calibrated=NAME)."""
    group, value = key_and_value_typed(o)
    chosen = group in _app_groups(_app_of(schema)[1]) or is_hydras_own(group)
    how = (f"whose choice needs no '+': {group}={value}" if chosen else
           f"which the defaults do not choose: add it with one '+', +{group}={value}")
    return ConfigError(f"++{group}", value, f"a key to add or replace ('++' sets keys); {group} is a group, "
                       + how)


def _quoted_if_named(group: str, typed: str, options: list[str]) -> str:
    """Advice for a config named as a number reads (nan, inf): quoted, it is a name."""
    return f"; the config {typed} is chosen with {group}='{typed}', quoted" if typed in options else ""


def _refuse_fits_given_twice(given: list[str]) -> None:
    """One override names a command's fits, as a list for several (applied in that order)."""
    if len(given) < 2:
        return
    names = list(dict.fromkeys(n for o in given for n in list_items(split_override(o)[1])))
    instead = f"+calibrated={names[0]}" if len(names) == 1 else f"+calibrated=[{','.join(names)}]"
    raise UserError(f"{given[1]} is not allowed with {given[0]}: a command names its fits once, in one "
                    f"+calibrated, a list for several (+calibrated=[A,B], applied in that order): "
                    f"here {instead}")


def _check_key(o, schema: type) -> None:
    """A key Hydra would take for a file name or a package: ``org@foo=small`` moves the group's
    config elsewhere in the config, which salessim's fixed layout has no place for (Hydra only says
    "Could not override"), and a part longer than a file name can be makes Hydra's search for a
    group of that name fail with a traceback."""
    key, value = key_and_value_typed(o)
    if o.package is not None:
        shown = f"{key}@{o.package}"
        instead = f"delete the group's choice with ~{key}" if o.is_delete() else \
            f"choose the group's config with {key}={value}"
        raise ConfigError(shown, value, f"a key or group without '@' (salessim's configs have fixed "
                                        f"places): {instead}")
    longest = max(re.split(r"[./]", key), key=len)
    if len(longest.encode()) > NAME_MAX:
        missing = _first_unknown(schema, key)
        shown = f"{key[:40]}... ({len(key)} characters)"
        raise ConfigError(shown, value, "a known key" + (f" ({missing[1]})" if missing else "")
                          + f", each part of it at most {NAME_MAX} bytes")


def _check_other_apps_key(o, schema: type) -> None:
    """A key of the other command's config (``calibration.n_trials=2`` given to salessim), or a
    group only its defaults list has (``+experiment=X`` given to salessim-calibrate): said to be
    the other command's, with the command line that takes it. The key was refused as unknown,
    without naming the command; the group, added with '+', was composed from the config folder
    the commands share and refused for what its config sets; either, deleted with '~', got
    Hydra's words that it cannot be deleted. A sweep (``-m calibration.n_trials=2,3``)
    is named as typed: it is checked before its values are spread over jobs."""
    key, value = key_and_value_typed(o)
    group_of = _other_apps_group(key, schema)
    top = key.split(".")[0]
    app = None if group_of or top in _fields(schema) else next((a for a in _APPS if top in _fields(a)), None)
    if group_of is None and app is None:
        return
    other = group_of or _APPS[app][0]
    if o.is_delete():
        whose = (f"{key} is a group of {other}, not of this command, which chooses none to delete" if group_of
                 else f"{f'{top}.*' if '.' in key else top} belongs to {other}, so this command has no "
                      f"{key} to delete ('~' deletes only what a config file adds)")
        raise UserError(f"{o.input_line} is not allowed: {whose}")
    if group_of:  # a group choice: GROUP=NAME or +GROUP=NAME
        raise _other_apps_error(key, value, group_of, _taken_by(other, f"{key}={value}", o))
    # A setting the other config has is set there without the '+' (which it would refuse).
    has_it = _is_setting(app, key) and key not in _WHOLE_MAPPINGS
    typed = o.input_line.lstrip("+") if has_it else o.input_line
    raise ConfigError(key, value, f"a key of this command; {f'{top}.*' if '.' in key else top} belongs "
                                  f"to {other}: {_taken_by(other, typed, o)}")


def _taken_by(other: str, typed: str, o) -> str:
    """The command line of ``other`` that takes override ``typed`` (``o`` parsed): a sweep runs
    with -m in salessim; salessim-calibrate runs one study, so a command for each value."""
    if not o.is_sweep_override():
        return _one_command(other, typed)
    if other == _APPS[Config][0]:
        return f"{other} -m {shlex.quote(typed)}"
    try:
        first = next(iter(o.sweep_string_iterator()))
    except Exception:  # interval(): no values to list
        first = "VALUE"
    return (f"{other} {shlex.quote(typed.partition('=')[0] + '=' + first)} and so on, one command for each "
            "value (it runs one study, so give each its own calibration.name)")


def check_other_apps_keys(overrides: list, config_name: str) -> None:
    """``_check_other_apps_key`` for each parsed override of a command line, sweeps included."""
    for o in overrides:
        _check_other_apps_key(o, schema_of(config_name))


def _fields(schema: type) -> set[str]:
    return {f.name for f in dataclasses.fields(schema)}


def _is_setting(schema: type, key: str) -> bool:
    """Whether dotted ``key`` names a field of ``schema`` (not an entry of a free-form mapping)."""
    parts = key.split(".")
    parent = schema_node(schema, parts[:-1])
    return dataclasses.is_dataclass(parent) and parts[-1] in _fields(parent)


def _free_form_key(key: str, value: Any, lacking: str) -> ConfigError:
    """A key under the targets' free-form mapping, which the schema cannot check: a field an entry
    leaves out is added with '+' (and checked where the mapping is read); a mapping above it that
    does not exist is a misspelling, which a '+' would only hide."""
    if lacking != key:
        parent, _, part = lacking.rpartition(".")
        return ConfigError(key, value, f"a known key ({part} is not a key of {parent})")
    entry = re.fullmatch(r"(targets\.items\.\d+)\.(\w+)", key)
    if entry:
        from salessim.calibration.targets import FILE_COLUMNS  # pandas: only for this message
        field = entry.group(2)
        if field not in FILE_COLUMNS:
            return ConfigError(key, value, "a field of a target: " + ", ".join(FILE_COLUMNS))
        other = {"std_error": "n", "n": "std_error"}.get(field)
        either = (f" (an entry gives std_error or n, not both: if it has {other}, remove it "
                  f"with ~{entry.group(1)}.{other})" if other else "")
        return ConfigError(key, value, f"a field the entry has; one it leaves out is added with a "
                           f"'+': +{key}={value}{either}")
    return ConfigError(key, value, f"a key the targets have; one they do not have yet is added "
                       f"with a '+': +{key}={value}")


def _check_new_investment(o, job: list[str]) -> None:
    """``+investment.NAME.KEY=V`` defines an investment on the spot; under the name of one that a
    file defines (crm) it would run as a new one with every other setting at its kind's default
    (no fee, no rollout), silently, under the file's name."""
    parts = o.key_or_group.split(".")
    if not ((o.is_add() or o.is_force_add()) and len(parts) >= 2 and parts[0] == "investment"):
        return
    name = parts[1]
    if name in group_options("investment") and not _selects_investment(job, name):
        raise ConfigError(o.input_line.partition("=")[0], o.input_line.partition("=")[2],
                          f"a new investment under a name of its own: {name} is one of the "
                          f"investment files'; select it with investment=[{name}] and change its "
                          f"settings with investment.{name}.KEY=VALUE, or give yours another name")


def _check_deletion(o, schema: type, deleted: Collection[str] = ()) -> None:
    """``~KEY`` deletes what a config file added; a setting of the schema, or an investment group
    the defaults list, cannot be deleted (Hydra then reports the setting as missing, or a group
    with no match in the defaults list). ``deleted``: every key the command deletes."""
    key = o.key_or_group
    if key == "investment":
        raise UserError(f"{o.input_line} is not allowed: investment=[] for no investment ({_ONLY_ADDED})")
    # ~org deletes a group's choice, which is allowed
    if _is_setting(schema, key) and not group_options(key):
        raise UserError(f"{o.input_line} is not allowed: {key} is a setting {_app_of(schema)[0]} always has, "
                        f"so it cannot be deleted: set it with {key}=VALUE ({_ONLY_ADDED})")
    # A segment's entry: Hydra deleted it, and the check that followed blamed a key not typed
    # (org.segment_mix.smb of ~market.segments.smb). A segment goes whole, its value in every
    # per-segment setting with it, or is left without seats (org.segment_mix alone, as before).
    mapping, _, segment = key.rpartition(".")
    segments = list(schema_node(schema, ["market", "segments"]) or ())
    if segment not in segments or mapping == "org.segment_mix":
        return
    values = [f"{group}.{name}.{segment}" for group, name, _ in segment_maps(schema())]
    kept = [v for v in values if v not in deleted]
    if mapping == "market.segments" and kept:
        what = (f"alone: the per-segment settings keep values for {segment} ({first_few(kept, 3)}), "
                "so delete those too")
    elif _per_segment(schema, mapping.split(".")) and f"market.segments.{segment}" not in deleted:
        what = f"while {segment} is a segment: {mapping} holds a value for each, set with {key}=VALUE"
    else:
        return
    mix = ",".join(f"{s}:{0 if s == segment else 1 / (len(segments) - 1):g}" for s in segments)
    raise UserError(f"{o.input_line} is not allowed {what}; or leave a segment without seats by a share of 0 "
                    f"in org.segment_mix, the shares summing to 1, e.g. "
                    f"{for_the_shell(f'org.segment_mix={{{mix}}}')} (README, 'Your own organization')")


_ONLY_ADDED = "'~' deletes only what a config file adds"


def _nothing_to_delete(text: str, overrides: list[str], schema: type) -> UserError | None:
    """Hydra's "Could not delete ..." as one line: ``~KEY`` of a key the config does not have (a
    misspelling, or what no file added), or ``~GROUP[=NAME]`` of a group choice the defaults list
    does not make (``~calibrated`` with no fits added, ``~org=large`` when org is default)."""
    absent = re.search(r"Could not delete from config\. '([^']+)' does not exist", text)
    if absent:
        key = absent.group(1)
        typed = next((o for o in overrides if o.startswith("~") and split_override(o)[0] == key), f"~{key}")
        missing = _first_unknown(schema, key)
        # no setting of a group is found for a deletion: salessim's own settings cannot be deleted
        known = f"{_near(missing, key, schema, by_group=False)}{_has(missing)}; " if missing else ""
        return UserError(f"{typed} is not allowed: there is no {key} to delete ({known}{_ONLY_ADDED})")
    unmatched = re.search(r"Could not delete '([^'=]+)(?:=([^']*))?'\. No match in the defaults list", text)
    if not unmatched:
        return None
    group, name = unmatched.groups()
    typed = f"~{group}" + (f"={name}" if name is not None else "")
    try:  # the choices the command line makes, without its deletions
        kept = [o for o in overrides if not o.startswith("~")]
        chosen = compose(config_name=_app_of(schema)[1], overrides=kept,
                         return_hydra_config=True).hydra.runtime.choices.get(group)
    except Exception:  # the choices cannot be told: Hydra's own line, not a guess
        return None
    if chosen is None:
        how = group if group in _app_groups(_app_of(schema)[1]) else f"+{group}"  # in the defaults list
        return UserError(f"{typed} is not allowed: no {group} is chosen, so there is none to delete (one is "
                         f"chosen with {how}=NAME)")
    return UserError(f"{typed} is not allowed: {group} is {chosen} here, not {name}: ~{group} deletes "
                     f"the choice")


def _app_of(schema: type) -> tuple[str, str]:
    """The command whose config ``schema`` is, and its primary config's name."""
    return _APPS.get(schema, _APPS[Config])


def listed_twice(values: list[str], numeric: bool = False, selection: bool = False) -> list[str]:
    """The values of a sweep that name one job twice: the same text, or for a key that holds a
    number, the same number (8, 8.0; a scenario name "1" is not "1.0"), or for a ``selection`` of
    a group's configs (investment), the same configs in any order and with or without brackets
    ([crm,product_training] and [product_training,crm]; crm and [crm])."""
    def same(v: str) -> Any:
        if selection:
            return frozenset(list_items(v))
        try:
            return float(v) if numeric else v
        except ValueError:
            return v
    seen = [same(v) for v in values]
    return sorted({v for v, s in zip(values, seen) if seen.count(s) > 1})


def _empty_mappings(value: dict, key: str):
    """The keys at which a mapping set on ``key`` (nested ones included) is empty."""
    if not value:
        yield key
    for name, inner in value.items():
        if isinstance(inner, dict):
            yield from _empty_mappings(inner, f"{key}.{name}")


# The schema of each app's primary config: it names the keys and types that are allowed.
_SCHEMAS = {"config": Config, "calibrate": CalibrateConfig}


def schema_of(config_name: str) -> type:
    """The schema of the app whose primary config is ``config_name`` (salessim's for any other)."""
    return _SCHEMAS.get(config_name, Config)


def compose_config(overrides: list[str], config_name: str = "config", with_hydra: bool = False,
                   list_advice: str | None = None) -> DictConfig:
    """Hydra's compose, with its errors turned into one-line UserErrors; ``list_advice``: what a
    list given for one value is told (None: how the command line writes a sweep's values)."""
    check_override_values(overrides, schema_of(config_name))
    check_sweep_params(overrides)
    check_file_shapes(overrides)  # before the checks that read where a file puts its keys
    check_file_truths(overrides, schema_of(config_name))
    check_investment_files(overrides)
    check_experiment_defaults(overrides)
    try:
        with interrupt_seen_through():  # Ctrl-C in OmegaConf's clean-up is no error of the input
            return compose(config_name=config_name, overrides=overrides, return_hydra_config=with_hydra)
    except MissingConfigException as e:
        raise _missing_option(e, overrides) from None
    except (HydraException, OmegaConfBaseException) as e:
        raise translate(e, overrides, schema_of(config_name), list_advice) from None
    except yaml.MarkedYAMLError as e:  # a malformed YAML file
        mark = e.problem_mark or e.context_mark
        where = f"{mark.name}, line {mark.line + 1}" if mark else "a config file"
        raise UserError(f"could not read {where}: {e.problem or e.context}{_left_open(e)} "
                        "(allowed: valid YAML)") from None
    except UnicodeDecodeError:  # which file, Hydra does not say
        raise UserError(f"could not read {_not_utf8(overrides) or 'a config file'}: it is not UTF-8 "
                        "text (allowed: config files saved as UTF-8)") from None
    except (OSError, ValueError, yaml.YAMLError) as e:  # unreadable files, a group set to null
        raise _null_group(overrides) or UserError(
            f"could not read the configuration: {first_line(e)}") from None
    except KeyError as e:  # Hydra copies hydra.job.env_copy's variables as it composes: one not set
        if not e.args or not isinstance(e.args[0], str) or e.args[0] in os.environ:
            raise
        raise ConfigError("hydra.job.env_copy", e.args[0], "names of variables set in this command's "
                          "environment, which Hydra copies into each job's (set it, or leave it "
                          "out)") from None
    except RecursionError:  # a defaults list that includes itself, or a YAML alias of itself
        chosen = [o for o in overrides if "=" in o and "." not in o.split("=", 1)[0]]
        raise UserError("could not compose the configuration: a config file includes itself, "
                        "directly or through others (its defaults list, or a YAML alias of itself)"
                        + (f"; the files chosen were {' '.join(chosen)}" if chosen else "")
                        + " (allowed: config files whose includes end)") from None


# What YAML was reading when a file ended early or went on wrongly: a bracket or quote left open.
_OPENED = {"while parsing a flow mapping": "the '{'", "while parsing a flow sequence": "the '['",
           "while scanning a quoted scalar": "the quote"}


def _left_open(e: yaml.MarkedYAMLError) -> str:
    """'; the '{' on line 3 (segment_mix: {smb: 0.15, ...) is not closed': YAML names the line
    where it noticed, often the line after (or past the end), not the one to mend."""
    opened, mark = _OPENED.get(e.context or ""), e.context_mark
    if not opened or mark is None or (e.problem_mark is not None and e.problem_mark.line == mark.line):
        return ""
    try:
        text = Path(mark.name).read_text().splitlines()[mark.line].strip()
    except (OSError, ValueError, IndexError):
        text = ""
    shown = f" ({text if len(text) <= 60 else text[:57] + '...'})" if text else ""
    return f"; {opened} on line {mark.line + 1}{shown} is not closed"


def naming_the_file(error: ConfigError, overrides: list[str]) -> ConfigError:
    """A refused value (a range, a sum, a choice checked once the config is composed) with the
    user's file it came from, when a file of theirs set it and the command line did not. An
    unknown key given a mapping is named as typed: added below it too (+foo.bar=1 adds foo,
    refused with the mapping made of it, {'bar': 1})."""
    if isinstance(error.value, Mapping) and error.allowed.startswith("a known key"):
        key, value = typed_override(overrides, error.key)
        if (key == error.key or key.startswith(f"{error.key}.")) and value != "?":
            return ConfigError(key, AsTyped(value), error.allowed)
    if typed_value(overrides, error.key) or error.allowed.endswith(".yaml)"):  # named already
        return error
    file = file_that_set(error.key, error.value, overrides)
    return error if file is None else ConfigError(error.key, error.value, f"{error.allowed} (in {file})")


def first_line(e: BaseException) -> str:
    """The first line of an error, with the line after it when it only announces that line
    ("In 'experiment/x': ConfigTypeError raised while composing config:")."""
    lines = [line.strip() for line in str(e).strip().splitlines() if line.strip()]
    if not lines:
        return type(e).__name__
    return f"{lines[0]} {lines[1]}" if lines[0].endswith(":") and len(lines) > 1 else lines[0]


def _where_fits_are(name: str, overrides: list[str]) -> str:
    """Where salessim-calibrate put its fits and how +calibrated=``name`` finds them: the fits
    SALESSIM_CALIBRATED_DIR moved out of the folders the command reads are not among its options;
    a search path that names the fits' own folder, not the one that holds calibrated/."""
    for _, folder in searchpath_folders(overrides):
        if (Path(folder) / f"{name}.yaml").is_file():  # one level too deep
            return (f"; {Path(folder) / name}.yaml is not read: the search path names the folder that "
                    f"holds calibrated/, here hydra.searchpath=[file://{Path(folder).resolve().parent}]")
    moved = moved_fits_said(name, overrides)
    if moved:
        return f"; {moved}"
    # SALESSIM_CALIBRATED_DIR's folder already on the search path: its fits are among the options
    where = (f"{calibrated_dir()}/NAME.yaml (SALESSIM_CALIBRATED_DIR)" if fits_moved()
             else "results/calibrated/NAME.yaml")
    return (f"; salessim-calibrate copies each fit to {where}, and a copy kept "
            "elsewhere is found with hydra.searchpath=[file://FOLDER] when it is FOLDER/calibrated/NAME.yaml")


def _missing_option(e: MissingConfigException, overrides: list[str]) -> UserError:
    text = str(e)
    m = re.search(r"Could not (?:find|load) '([^']+)'", text)
    if not (m and "/" in m.group(1)):
        return UserError(first_line(e))
    typed = typed_value(overrides, "targets")
    if m.group(1).startswith("targets/") and str(typed).lower().endswith(TARGET_FILE_SUFFIXES):
        return ConfigError("targets", typed, "the name of a targets config; a file of targets is read "
                           f"with {folder_setting('calibration.targets_file', typed)}")
    path_like = _path_as_option(m.group(1), overrides)
    if path_like:
        return path_like
    group, option = m.group(1).rsplit("/", 1)
    without_slash = _group_without_slash(group, overrides)  # '- org: acme' in an experiment
    if without_slash:
        return without_slash
    # Hydra lists the options of the search path only for a single choice, not for a list.
    options = set(e.options or []) | set(_options_of(group, overrides))
    # It lists a folder or a link to nothing named NAME.yaml too, and cannot read it.
    unread = {name: found for name in options if (found := _unreadable_config(group, name, overrides))}
    options -= unread.keys()
    extra = _where_fits_are(option, overrides) if group == "calibrated" else {
        ("hydra/launcher", "ray"): f"; ray comes with {RAY_EXTRA}"}.get((group, option))
    if option in unread:
        extra = f"; {unread[option][0]} {unread[option][1]}"
    if extra is None:
        extra = _where_own_configs_go(group, option, overrides)
    near = nearest_name(option, options)
    return ConfigError(group, option, (f"did you mean {near}? " if near else "")
                       + _one_of(group, sorted(options)) + extra + _chosen_in(group, option, overrides))


TARGET_FILE_SUFFIXES = (".csv", ".parquet")  # a file of targets typed as the targets group's choice


def _unreadable_config(group: str, name: str, overrides: list[str]) -> tuple[Path, str] | None:
    """The GROUP/NAME.yaml of the search path that Hydra lists as a config and cannot read, and
    what it is (a folder, a link to nothing or to itself); None where the config is read."""
    if find_config(group, name, overrides):
        return None
    for folder in config_folders(overrides):
        file = folder / group / f"{name}.yaml"
        if not os.path.lexists(file):
            continue
        try:
            file.stat()
        except OSError as e:
            return file, ("is a link to nothing" if isinstance(e, FileNotFoundError)
                          else f"cannot be read: {e.strerror}")
        return file, "is a folder, not a file" if file.is_dir() else "is not a file"
    return None


def _chosen_in(group: str, option: str, overrides: list[str]) -> str:
    """' (in FILE)': the file of the user's whose defaults list chooses ``group: option`` (an
    experiment's '- override /org: acme'), when the command line does not."""
    if typed_value(overrides, group):  # '+org=...' too: the typed key is read without its '+'
        return ""
    for file, file_group, _ in chosen_files(overrides):
        for chosen_group, chosen in defaults_choices(file, file_group):
            if chosen_group == group and option in (chosen if isinstance(chosen, list) else [chosen]):
                return f" (in {file})"
    return ""


def _one_of(group: str, options: list[str]) -> str:
    """'one of a, b', or, when there is none, what that means: no fit yet where the command looks."""
    if options and group == "investment":  # a selection: none, or several (investment= listed no [])
        return "[] for none, or a list such as [crm,accelerators] of these: " + ", ".join(options)
    if options:
        return "one of " + ", ".join(options)
    return "one of the fits this command finds (none yet)" if group == "calibrated" else "one of (none)"


def _path_as_option(missing: str, overrides: list[str]) -> UserError | None:
    """``org=myconf/org/acme.yaml``: a file's path where a config's name belongs (Hydra looks for
    the config 'acme.yaml' of a group 'org/myconf/org'); ``+calibrated=fits/calibrated/ours``, a
    file's path without its .yaml. Where the file is in a folder named as its group, the search
    path that finds it is said whole."""
    for o in reversed(overrides):  # Hydra takes the last of a key typed twice
        key, value = split_override(o)
        plus, key = o[:len(o) - len(o.lstrip("+"))], key.lstrip("+~")  # +calibrated=NAME, as typed
        rest = missing[len(key) + 1:] if missing.startswith(key + "/") else ""
        if not rest:
            continue
        study = _study_folder(rest) if key == "calibrated" else None
        if study is not None:
            return ConfigError(key, value, _study_fit_said(study, plus))
        # (org=eu/acme is a config in a sub-folder of org/, which Hydra allows, unless it is a file)
        file = Path(rest if rest.endswith((".yaml", ".yml")) else f"{rest}.yaml").expanduser()
        if rest.endswith((".yaml", ".yml")) or rest.startswith(("/", "./", "../", "~")) or file.is_file():
            name = Path(rest).stem
            chosen = f"{plus}{key}={name}"
            if file.is_file() and file.parent.name == key:
                return ConfigError(key, value, f"a config's name, not a file: {chosen} "
                                   f"hydra.searchpath=[file://{file.resolve().parent.parent}] reads {file}")
            return ConfigError(key, value, f"a config's name, not a file: the file goes in "
                               f"FOLDER/{key}/{name}.yaml, chosen with {chosen} and "
                               "hydra.searchpath=[file:///abs/FOLDER]")
    return None


def _study_folder(typed: str) -> Path | None:
    """The study folder (results/calibration/NAME, holding its calibrated.yaml) that ``typed``, the
    value of +calibrated, names, itself or by its calibrated.yaml; None where it names none."""
    path = Path(typed).expanduser()
    folder = path.parent if path.name == "calibrated.yaml" else path
    return folder if (folder / "calibrated.yaml").is_file() else None


def _study_fit_said(study: Path, plus: str) -> str:
    """How +calibrated reads the fit of the study in ``study``: by the name salessim-calibrate
    installed it under (its folder's, by default), or from a copy on the search path."""
    name = study.resolve().name
    installed = calibrated_dir() / f"{name}.yaml"
    # SALESSIM_CALIBRATED_DIR's folder, which +calibrated does not read, is not looked into
    if not fits_moved() and installed.is_file():
        return f"a fit's name, not its study's folder: {plus}calibrated={name} reads the fit of {study}"
    return (f"a fit's name, not its study's folder: copy {study / 'calibrated.yaml'} to "
            f"FOLDER/calibrated/{name}.yaml, then {plus}calibrated={name} "
            "hydra.searchpath=[file:///abs/FOLDER] reads it")


def _where_own_configs_go(group: str, option: str, overrides: list[str]) -> str:
    """Where a config of the user's own is read from, and what the search path holds instead."""
    folders = [Path(folder) for _, folder in searchpath_folders(overrides)]
    if not option or group.startswith("hydra/"):  # Hydra's own groups are its plugins'
        return ""
    if not folders:
        return (f"; a config of your own is read from FOLDER/{group}/{option}.yaml with -cd FOLDER "
                "(or hydra.searchpath=[file:///abs/FOLDER])")
    groups = {d.name for d in CONFIG_DIR.iterdir() if d.is_dir()} | {"calibrated", "hydra"}
    for folder in folders:
        near = [(folder / group / f"{option}.yml", "only .yaml files are read")]
        if folder.name == group:
            near.append((folder / f"{option}.yaml", f"the search path names the folder that holds "
                                                     f"{group}/, here {folder.parent}"))
        near.append((folder / f"{option}.yaml", f"it belongs in {folder / group}/"))
        if folder.is_dir():
            near += [(sub / f"{option}.yaml", f"configs of {group} go in {folder / group}/")
                     for sub in sorted(folder.iterdir()) if sub.is_dir() and sub.name not in groups]
        for file, why in near:
            if file.is_file():
                return f"; {file} is not read: {why}"
    shown = ", ".join(str(f) for f in folders)
    return f"; no folder of the search path ({shown}) has {group}/{option}.yaml"


def _not_utf8(overrides: list[str]) -> Path | None:
    """The first config file of the search path that is not UTF-8 text."""
    for folder in config_folders(overrides):
        for file in sorted(folder.rglob("*.yaml")):
            try:
                file.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                return file
            except OSError:
                continue
    return None


def _null_group(overrides: list[str]) -> UserError | None:
    """``experiment=null``, ``fsm=3``, ``=5``: Hydra only says that a group override must be a
    string or a list."""
    for o in reversed(overrides):
        name, value = split_override(o)
        if not name:
            return UserError(f"the override {o!r} has no key (allowed: key=value)")
        options = sorted(group_options(name)) if not _names_a_config(value) else []
        if options:  # investments are chosen as a list; the other groups one config at a time
            return ConfigError(name, value, f"one of {', '.join(options)}" + (
                f", or a list of them such as {name}=[{options[0]}]; {name}=[] for none"
                if name == "investment" else ""))
    return None


def _names_a_config(value: str) -> bool:
    """Whether a group's value reads as a config's name or a list (not null, a number or a bool)."""
    try:
        return isinstance(yaml.safe_load(value), (str, list))
    except yaml.YAMLError:
        return True


def group_options(group: str) -> list[str]:
    return GlobalHydra.instance().config_loader().get_group_options(group)


def translate(e: BaseException, overrides: list[str], schema: type = Config,
              list_advice: str | None = None) -> UserError:
    """Hydra's and OmegaConf's multi-line errors as one line naming key, value and what is allowed
    (``list_advice``: as compose_config takes it)."""
    cause = e.__cause__ if isinstance(e.__cause__, OmegaConfBaseException) else e
    key = getattr(cause, "full_key", None)
    text = str(e)
    chosen = re.search(r"Multiple values for (\S+)\. To override a value use 'override \S+: (\S+)'", text)
    twice = re.search(r"^(\S+) appears more than once in the final defaults list", text)
    if twice:  # +fsm=default, or an experiment's '- /fsm: default': the option chosen again
        group = twice.group(1)
        chosen = (group, typed_value(overrides, group) or _chosen_by_experiment(group, overrides))
    elif chosen:
        chosen = chosen.group(1), chosen.group(2)
    if chosen:  # +org=large: the group is chosen already; '+' adds one that is not
        group, value = chosen
        experiment = chosen_file("experiment", overrides)
        if experiment and not adds_key(overrides, group):  # its defaults list, not a '+' typed
            return ConfigError("experiment", experiment[0], f"an experiment whose defaults list changes "
                               f"a preset the defaults choose with 'override': write '- override "
                               f"/{group}: {value}' for '- /{group}: {value}' (in {experiment[1]})")
        return ConfigError("+" + group, value, f"a group the defaults do not choose yet ('+' adds one); "
                           f"{group} is chosen already: set it with {group}={value}")
    appended = re.search(r"Could not append to config\. An item is already at '([^']+)'", text)
    if appended:  # +KEY=V on a key the config has: the value is fine, the '+' is not
        name = appended.group(1)
        value = next((o.split("=", 1)[1] for o in overrides if o.startswith(f"+{name}=")), "?")
        return ConfigError("+" + name, value, f"a key the config does not have yet ('+' adds one); "
                           f"{name} is there already: set it with {name}={value}")
    merging = re.search(r"Error merging override ([^=\s]+)=(.*)", text)
    if merging and merging.group(1).lstrip("+~") == key:  # not the last one of a repeated key
        expected = _expected_type(schema, key)
        value = merging.group(2)
        if expected and value.startswith("[") and not expected.startswith(("a list", "a mapping")):
            # [6,10] for a number: a sweep's values, written as a list
            values = value.strip("[]")
            default = flatten(dataclasses.asdict(schema())).get(key)
            example = (f"{key}={default}" if isinstance(default, (int, float))
                       and not isinstance(default, bool) else "")
            if not values.strip():  # [] is no value: without its brackets it would be refused too
                expected += ("; [] is an empty list, not a value: give one"
                             + (f", e.g. {example}" if example else ""))
            elif schema is CalibrateConfig and not list_advice:  # a study sweeps nothing: no -m
                # the default as the example: the first value typed may be out of range itself
                expected += ("; a study runs at one setting: give one value, without brackets"
                             + (f" (e.g. {example}, its default)" if example else ""))
            else:
                expected += list_advice or (f"; a sweep's values are written without brackets: "
                                            f"{key}={values} on the command line, '{key}: {values}' in "
                                            "hydra.sweeper.params")
        return ConfigError(key, value, expected or _not_converted(key, cause))
    if key is None:
        m = re.search(r"override '([^']+)'", text) or re.search(r"full_key: (\S+)", text)
        key = m.group(1) if m else None
    if not key:
        return (_nothing_to_delete(text, overrides, schema) or _misshapen_file_value(text, overrides, schema)
                or UserError(first_line(e)))
    key = re.sub(r"\[(\d+)\]", r".\1", key)  # OmegaConf's items[0] is typed items.0
    split = re.search(r"In '([^']+)': KeyValidationError.*?Key (\S+) \((?:int|float)\) is incompatible",
                      text, re.S)
    if split:  # {mid_market: 900,000}: YAML reads 900 and a key 000 inside {...}
        parent = key.rpartition(".")[0]
        hits = files_setting(parent, overrides)
        return ConfigError(parent, hits[-1][1] if hits else "?", f"a mapping of names to values (in "
                           f"{hits[-1][0] if hits else split.group(1)}); a number key ({split.group(2)}) "
                           "comes from a comma inside {...}, where YAML reads 'mid_market: 900,000' as "
                           "900 and a key 000: write 900000 (and a decimal comma, 0,6, as 0.6)")
    lacking = key  # the first key the config lacks: the one typed, or a mapping above it
    # Hydra merges the files before the command line, and stopped at a file's value: one typed for the
    # key was never reached (org.weekly_hours=40 was refused for the file's 'weekly_hours: forty')
    key, value = (key, "?") if _FILES_VALUE.match(text) else typed_override(overrides, key)
    in_file, file = "", None
    if value == "?":  # the value came from a file: OmegaConf's message may name it
        m = re.search(r"Value '([^']*)'", str(cause))
        hits = files_setting(key, overrides)
        file = last_setting(hits, m.group(1)) if m else hits[-1][0] if hits else None
        value = m.group(1) if m else next((v for f, v in hits if f == file), value)
        in_file = "" if file is None else f" (in {file})"
    unknown = "not in struct" in text or "not in" in str(cause) and "Key" in str(cause)
    if unknown and key.startswith("calibration.params."):  # its keys hold dots: no dotted override
        name, typed = typed_override(overrides, "calibration.params")
        entry, _, field = key.removeprefix("calibration.params.").rpartition(".")
        mistyped = inside_typed_mapping(typed, [entry, field])
        if mistyped is not NOT_TYPED and field not in FREE_PARAM_FIELDS:  # {low:0.4,hi:0.6}: not the '+'
            return ConfigError(key, mistyped, FREE_PARAM_FIELDS_ALLOWED)
        return ConfigError(name, typed, "an entry set whole, with a '+' (its key holds dots), e.g. "
                           "+calibration.params={market.stance_mean:{low:-0.2,high:0.2}}; entries "
                           "join the defaults, and calibration.free=[...] picks the ones to fit")
    if unknown and key.startswith("calibration.recover."):  # as params: its keys hold dots
        name, typed = typed_override(overrides, "calibration.recover")
        return ConfigError(name, typed, "the free parameters' known values set whole, with a '+' (its "
                           "keys hold dots), e.g. +calibration.recover={market.neutral_quality:0.48,"
                           "org.attrition_base_monthly:0.02}")
    if unknown and key.startswith("investment.") and key.count(".") >= 2:
        return _investment_setting_error(key, value, overrides)
    if unknown and key.startswith("investment.") and key.count(".") == 1:
        found = _unselected_investment_error(key, value, overrides)
        if found is not None:
            return found
    if "No match in the defaults list" in text:  # an optional group, e.g. calibrated=NAME
        return _optional_group_error(key, value, overrides, schema)
    # An unknown key, or a new entry of a typed map (+market.segments.foo.x: "Invalid type").
    found = _unknown_key_error(key, value, lacking, unknown, file, text, overrides, schema)
    if found is not None:
        return found
    expected = _expected_type(schema, key) or _not_converted(key, cause)
    return ConfigError(key, value, (_as_written_in_a_file(expected) if in_file else expected) + in_file)


# Hydra's error about what a config file holds, as it merges the file (not an override of the command line).
_FILES_VALUE = re.compile(r"In '[^']+': \w+ raised while composing config")


def _investment_setting_error(key: str, value: str, overrides: list[str]) -> UserError:
    """A key under investment.NAME. that the config lacks: a misspelt setting, an investment not
    selected (it has no settings until then), one no file defines, or a setting its file leaves
    at the kind's default."""
    name = key.split(".")[1]
    defined = _investment_file(name, overrides)[1]
    kind = _kind_defined(defined, name)
    from salessim.model import levers
    if kind in levers.KINDS and key.split(".")[2] not in levers.settings(kind):
        return levers.unknown_setting(key, value, kind)  # a misspelt setting: '+' would not help
    # The advice below gives the value back in a command (choice(50k), +KEY=50k): one that would
    # be refused in turn is told first, what it lacks, with the advice's gist and no value.
    refused = _refused_setting(key, value, kind, defined)
    if kind is not None and not _selects_investment(overrides, name):
        chosen = typed_value(overrides, "investment")
        if refused is not None:
            inner = chosen.strip("[]")
            return ConfigError(key, value, f"{refused.allowed} (and {name} is not selected: select it "
                               f"with investment=[{inner + ',' if inner else ''}{name}], as it has no "
                               "settings until then)")
        # Hydra gives a key typed on the command line to every job of a sweep.
        own_file = (f"to set it only in the jobs of a sweep that select {name}, copy its file "
                    "under a new name into FOLDER/investment/, rename its top key to that name, "
                    "change the setting there, and sweep that name with -cd FOLDER (README, "
                    "'Your own organization')")
        if not chosen:  # also a sweep's keys, which Hydra composes before it picks the jobs
            return ConfigError(key, value, f"a setting of a selected investment, and {name} is "
                               f"not selected: select it with investment=[{name}] (it has no "
                               "settings until then); in a sweep whose every job selects it, "
                               f"sweep the setting over one value, {key}=choice({value}); "
                               + own_file)
        inner = chosen.strip("[]")
        return ConfigError(key, value, f"a setting of a selected investment, and {name} is not "
                           f"selected in the job with investment={chosen}: select it with "
                           f"investment=[{inner + ',' if inner else ''}{name}] (it has no settings "
                           f"until then); {own_file}"
                           + ("; or sweep only the jobs that select it, run the one without "
                              "investments on its own (salessim with the sweep's other settings), "
                              "and compare them with salessim-compare SWEEP --baseline RUN_FOLDER"
                              if not inner else ""))
    if kind is None:  # no investment of that name: one defined on the spot must be added whole
        known = {*group_options("investment"), *own_options("investment", overrides)}
        # a kind set is a new investment being made (my_crm), not a misspelt one
        near = None if key.split(".")[2] == "kind" else nearest_name(name, known, cutoff=0.75)
        return ConfigError(key, value, f"a setting of an investment salessim or a file of yours "
                           f"defines, and {name} is neither: " + (f"did you mean {near}? " if near else "")
                           + "add a new one whole, with a '+', "
                           f"+investment.{name}={{kind:KIND,...}} (from Python, "
                           f"{{'+investment.{name}': {{'kind': ...}}}}), or write it in "
                           f"FOLDER/investment/{name}.yaml (README, 'Your own organization')")
    # A setting of its kind that the investment's file leaves at the kind's default.
    if refused is not None:
        return ConfigError(key, value, f"{refused.allowed} (added with a '+', as this investment leaves "
                           f"it at its default: +{key}=VALUE)")
    return ConfigError(key, value, "one of the settings this investment sets (this one it "
                       f"leaves at its default: add it with +{key}={value})")


def _refused_setting(key: str, value: str, kind: str | None, defined: Any) -> ConfigError | None:
    """The refusal of ``value``, typed for ``key`` (investment.NAME.SETTING), as a setting of an
    investment of ``kind`` with the other settings its file ``defined`` (levers.parse); None when
    it is taken, or cannot be judged here: another kind, a deeper key, an interpolation only a job
    resolves."""
    from salessim.model import levers
    name, _, setting = key.removeprefix("investment.").partition(".")
    if kind not in levers.KINDS or "." in setting or "${" in value or not isinstance(defined, dict):
        return None
    try:
        levers.parse(name, {**defined[name], setting: override_value(value)})
    except ConfigError as e:
        return e if e.key == key else None  # another setting's value is not the one typed
    return None


def _unselected_investment_error(key: str, value: str, overrides: list[str]) -> UserError | None:
    """``investment.crm=1``: Hydra finds no such key and says only "a known key", which lists
    nothing. An investment has keys once selected, and its settings are set one by one. None
    when the name is selected (the value is what is wrong)."""
    name = key.split(".")[1]
    if _selects_investment(overrides, name):
        return None
    kind = _file_investment_kind(name, overrides)
    chosen = typed_value(overrides, "investment")
    inner = (chosen or "").strip("[]")
    if kind is None:
        known = sorted({*group_options("investment"), *own_options("investment", overrides)})
        near = nearest_name(name, known)
        return ConfigError(key, value, f"an investment salessim or a file of yours defines, and "
                           f"{name} is neither: " + (f"did you mean {near}? " if near else "")
                           + "select one with investment=[NAME] (one of " + ", ".join(known) + ")")
    from salessim.model import levers
    return ConfigError(key, value, f"a selected investment, and {name} is not selected: select it "
                       f"with investment=[{inner + ',' if inner else ''}{name}], then set its "
                       f"settings one by one, {key}.SETTING=VALUE (one of "
                       + ", ".join(levers.settings(kind)) + ")")


def _root_groups(overrides: list[str]) -> list[str]:
    """The config groups at the root of the search path's folders (org, fsm, experiment, ...)."""
    return sorted({d.name for folder in config_folders(overrides) if folder.is_dir()
                   for d in folder.iterdir() if d.is_dir()})


def _group_without_slash(group: str, overrides: list[str]) -> ConfigError | None:
    """An experiment's defaults list naming a root group without its '/' ('- override org: acme',
    '- org: acme'): Hydra looks for a group experiment/org, inside the experiments' folder."""
    experiment = chosen_file("experiment", overrides)
    named = group.split("@")[0].removeprefix("experiment/")
    if not experiment or not group.startswith("experiment/") or named not in _root_groups(overrides):
        return None
    return ConfigError("experiment", experiment[0], "an experiment whose defaults list names the "
                       f"config's groups from its root, with a '/': '- override /{named}: NAME' (without "
                       f"the '/', Hydra looks for a group experiment/{named}, inside the experiments' own "
                       f"folder) (in {experiment[1]})")


def _optional_group_error(key: str, value: str, overrides: list[str], schema: type) -> UserError:
    """A group the defaults list does not choose (calibrated=NAME): the other command's group, a
    misspelt group in an experiment's defaults list, an option it does not have, or one to add
    with '+'."""
    other = _other_apps_group(key, schema)
    if other:  # a group of the shared config folder that only the other command takes
        return _other_apps_error(key, value, other)
    options = sorted({*group_options(key), *own_options(key, overrides)})  # the search path's too
    experiment = chosen_file("experiment", overrides)
    if not options and value == "?" and experiment:  # '- override /fsmm: x' in its defaults list
        without_slash = _group_without_slash(key, overrides)
        if without_slash:
            return without_slash
        groups = _root_groups(overrides)
        named = key.split("@")[0].removeprefix("experiment/")  # '- override orgg: x', no '/' either
        near = nearest_name(named, groups)
        return ConfigError("experiment", experiment[0], f"an experiment whose defaults list names "
                           f"groups salessim has, and /{named} is none: "
                           + (f"did you mean /{near}? " if near else "") + "one of "
                           + ", ".join(groups) + f" (in {experiment[1]})")
    if value not in options:
        where = _where_fits_are(value, overrides) if key == "calibrated" else ""
        return ConfigError(key, value, _one_of(key, options) + f", added with +{key}=NAME{where}")
    return ConfigError(key, value, f"a group the defaults do not list: add it with +{key}={value}")


def _unknown_key_error(key: str, value: str, lacking: str, unknown: bool, file: Path | None, text: str,
                       overrides: list[str], schema: type) -> UserError | None:
    """A key the config does not have (or a group the other command lists): None when the key
    is known, and its value is what is wrong. ``file``: the user's file that set it, if one did."""
    in_file = "" if file is None else f" (in {file})"
    other = "." not in key and _other_apps_group(key, schema)
    if other:  # +targets=NAME: a group the other command lists
        return _other_apps_error(key, value, other)
    missing = _first_unknown(schema, key)
    if key == "experiment" and unknown or "@experiment." in key:
        # A file without the header lands under its group's key (its defaults list too: org@experiment.org)
        where = re.search(r"In '(experiment/[^']+)'", text)
        if key != "experiment":  # the file's defaults list: the file is what to name
            key, value = "experiment", typed_value(overrides, "experiment") or value
        return ConfigError(key, value, "an experiment file whose first line is '# @package _global_' "
                           "(an experiment sets keys of the whole config, as experiments/*.yaml do)"
                           + (f"; {where.group(1)}.yaml has none" if where else ""))
    if unknown or missing and missing[0] != key:
        missing = missing or _first_unknown_hydra_key(key, overrides, _app_of(schema)[1])
        group = key.split(".")[0]
        if in_file and key.split(".")[:2] == [group, group]:  # org: inside a '# @package org' file
            return ConfigError(key, value, f"a known key: the file's '# @package {group}' header puts "
                               f"its keys under {group} already, so the file lists them without "
                               f"'{group}:' above them{in_file}")
        own = Path(file).parent.name if file else group
        rest = key.split(".")[1:]
        if own != group and rest and schema_node(schema, [own, *rest]) is not None:
            # a file of one group with another's header ('# @package org' atop a compensation file)
            return ConfigError(key, value, f"a known key: {'.'.join(rest)} is a key of {own}, the file's "
                               f"group, but its header '# @package {group}' puts its keys under {group}: "
                               f"start it '# @package {own}'{in_file}")
        hits = files_setting(lacking, overrides) if "." not in lacking else []
        group = Path(hits[-1][0]).parent.name if hits else ""
        if hits and (lacking != key or group in _fields(schema)):
            # A file of the user's put a key at the top (a '# @package _global_' header on a
            # group's file): that key is the error, not one typed beside it.
            file, found = hits[-1]
            header = ("" if group not in _fields(schema) else f": a header '# @package _global_' puts the "
                      f"file's keys at the top of the config; a file of {group} starts '# @package {group}'")
            return ConfigError(lacking, found, "a known key (" + ", ".join(
                f.name for f in dataclasses.fields(schema)) + f") (in {file}{header})")
        if not missing and not in_file and key.startswith("targets."):
            return _free_form_key(key, value, lacking)
        if missing and missing[0].count(".") == 2 and missing[0].startswith("hydra.launcher."):
            return _unknown_launcher_setting(key, value, missing, in_file)
        # A launcher takes settings its config does not list (Ray's remote and init options,
        # docs/distributed.md): Hydra adds them with '+'.
        add = (f"; a launcher setting its config does not list is added with '+': +{key}={value}"
               if key.startswith("hydra.launcher.") and not missing and not adds_key(overrides, key) else "")
        typed = None if in_file else value  # a file is edited where the key is, not copied from here
        near = missing and _near(missing, key, schema, typed)
        return ConfigError(key, value, "a known key" + (f" ({near}{_has(missing)})" if missing else "")
                           + add + in_file)
    return None


def _unknown_launcher_setting(key: str, value: str, missing: tuple[str, str], in_file: str) -> ConfigError:
    """hydra.launcher.X that the sweep's launcher does not have (its '_target_' is no setting to
    suggest)."""
    has = [k for k in missing[1].split(" has ", 1)[-1].split(", ") if k != "_target_"]
    # known by its settings: the launchers salessim ships configs for; another plugin's is unnamed
    launcher = "Ray" if "ray" in has else "joblib" if "n_jobs" in has else None if has else "basic"
    return launcher_lacks(key, value, missing[0].rsplit(".", 1)[1], launcher, has, in_file)


def launcher_lacks(key: str, value: Any, setting: str, launcher: str | None, has: list[str],
                   after: str = "") -> ConfigError:
    """A setting ``key`` (hydra.launcher.SETTING...) that the sweep's launcher does not have: a Ray
    one needs the Ray launcher, the basic launcher has none, a misspelt one is named. ``launcher``:
    its name, None for one of another plugin's."""
    of = f"the {launcher} launcher" if launcher else "the launcher"
    if setting == "ray" and launcher != "Ray":
        return ConfigError(key, value, f"a setting of {of} this sweep runs on; the Ray "
                           f"launcher's settings need hydra/launcher=ray (docs/distributed.md){after}")
    if not has:
        return ConfigError(key, value, "a setting of the launcher this sweep runs on, hydra/launcher=basic, "
                           "which has none: it runs one job at a time in this process (n_jobs and the "
                           f"like are the joblib launcher's, the default){after}")
    near = nearest_name(setting, has)
    return ConfigError(key, value, f"a setting of {of} this sweep runs on ("
                       + (f"did you mean {near}? " if near else "") + f"it has {', '.join(has)}){after}")


def _as_written_in_a_file(expected: str) -> str:
    """What is allowed, said for a file: a mapping there is not set KEY.NAME=VALUE but written as
    lines under its key."""
    return re.sub(r", (one entry|each) set as \S+", ", written as NAME: VALUE lines under it", expected)


def _near(missing: tuple[str, str], key: str, schema: type, value: Any = None, by_group: bool = True) -> str:
    """"did you mean sim.replications=3? " for a key whose unknown part is close to a known one
    (_meant); the value only where the whole key is meant."""
    meant = _meant(missing, key, schema, by_group)
    if meant is None:
        return ""
    whole = meant.endswith(key[len(missing[0]):])  # not where _meant kept only the part it corrected
    return meant_key_said(meant, value if whole else None)


def _has(missing: tuple[str, str]) -> str:
    """What the unknown part's parent has: 'org has sellers, ...', 'the config has sim, org, ...'
    for a top-level key (its bare list, after a suggestion, read as part of it)."""
    return missing[1] if " has " in missing[1] else f"the config has {missing[1]}"


def _meant(missing: tuple[str, str], key: str, schema: type, by_group: bool = True) -> str | None:
    """The known key ``key`` most likely meant: its unknown part (``missing``, from _first_unknown)
    replaced by the nearest name its parent has, the rest kept where the config has it too
    (market.segments.smbb.win_rate is not smb.win_rate, which no segment has); or, ``by_group``,
    for a setting typed without its group (replications=3), that group's setting where only one
    group has one of that name."""
    unknown, rest = missing[0], key[len(missing[0]):]
    near = _nearest(missing)
    if near is not None:
        parent = unknown.rpartition(".")[0]
        meant = (f"{parent}." if parent else "") + near
        return meant + rest if rest and _first_unknown(schema, meant + rest) is None else meant
    if "." in unknown or not by_group:
        return None
    groups = [f.name for f in dataclasses.fields(schema)
              if dataclasses.is_dataclass(node := schema_node(schema, [f.name])) and unknown in _fields(node)]
    return f"{groups[0]}.{unknown}{rest}" if len(groups) == 1 else None


def _nearest(missing: tuple[str, str]) -> str | None:
    """The known key closest to the unknown part of a key, if one is close."""
    unknown = missing[0].split(".")[-1]
    known = missing[1].split(" has ", 1)[-1].split(", ")
    return nearest_name(unknown, known)


def key_alone(typed: str, config_name: str = "config") -> tuple[str | None, str | None]:
    """An override that is a key without '=VALUE' (org.selers, +org.sellers): Hydra cannot read
    it, so compose never says what it says of an unknown key. Returns what that is ("did you mean
    sellers?", else what the key's parent has; None for a key the command's config has, or one it
    cannot tell: a group, Hydra's own, another command's, an entry of a free-form mapping), and
    the key to write: the one meant, without a '+' where the config has the key (a '+' adds only
    what it lacks); None for an unknown key with no known one close to it."""
    schema = schema_of(config_name)
    plus, key = "+" if typed.startswith("+") else "", typed.removeprefix("+")
    missing = _first_unknown(schema, key)
    top = key.split(".")[0]
    if missing and "." not in missing[0] and ("/" in top or (CONFIG_DIR / top).is_dir()
                                             or any(top in _fields(app) for app in _APPS)):
        missing = None  # said once it is given a value, as any group's or other command's key
    if missing is None:
        return None, ("" if _is_setting(schema, key) else plus) + key
    near, meant = _nearest(missing), _meant(missing, key, schema)
    if meant is None:
        return missing[1], None
    return f"did you mean {near or meant}?", ("" if _is_setting(schema, meant) else plus) + meant


def _misshapen_file_value(text: str, overrides: list[str], schema: type) -> UserError | None:
    """"In 'org/acme': ConfigTypeError ... Cannot merge DictConfig with ListConfig": a user's file
    gives a list or a number where a mapping or a section of settings belongs. Hydra names the
    file but not the key: the first such key of the file is found here."""
    m = re.search(r"In '([^']+)/([^'/]+)'", text)
    file = m and find_config(m.group(1), m.group(2), overrides)
    if not file:
        return None
    content = placed_content(file, m.group(1), m.group(2))
    found = _first_misshapen(content, [], schema)
    if found is None:
        return None
    key, value = found
    expected = _expected_type(schema, key) or "a mapping, written as NAME: VALUE lines under it"
    chosen = ""  # 'org: acme' in an experiment's body, meant as choosing the preset
    if isinstance(value, str) and "." not in key and (group_options(key) or own_options(key, overrides)):
        chosen = f"; a preset is chosen in the file's defaults list: '- override /{key}: {value}'"
    return ConfigError(key, value, f"{_as_written_in_a_file(expected)}{chosen} (in {file})")


def _first_misshapen(node: Any, path: list[str], schema: type) -> tuple[str, Any] | None:
    """The first dotted key under ``path`` where ``node`` is not a mapping though the schema holds
    one there (a section of settings, or a mapping such as org.segment_mix)."""
    if not isinstance(node, dict):
        return None
    for name, value in node.items():
        here = [*path, str(name)]
        expected = schema_node(schema, here)
        mapping = isinstance(expected, dict) or dataclasses.is_dataclass(expected) or (
            "Dict[" in str(_field_type(schema, here)))
        if mapping and not isinstance(value, dict):
            return ".".join(here), value
        if isinstance(value, dict):
            inner = _first_misshapen(value, here, schema)
            if inner:
                return inner
    return None


def _field_type(schema: type, path: list[str]) -> Any:
    parent = schema_node(schema, path[:-1])
    if dataclasses.is_dataclass(parent):
        return next((f.type for f in dataclasses.fields(parent) if f.name == path[-1]), None)
    return None


# as sim.workers: as many jobs side by side as a job's replications
MOST_JOBS_AT_A_TIME = next(f.metadata["le"] for f in dataclasses.fields(SimConfig) if f.name == "workers")
N_JOBS_ALLOWED = (f"from 1 to {MOST_JOBS_AT_A_TIME} jobs at a time, or a negative number counting back "
                  "from all cores (-1 = all, -2 = all but one)")

# OmegaConf's conversion errors, for keys outside salessim's schema (hydra.launcher.n_jobs=abc).
_CONVERSIONS = {"Integer": "an integer", "Float": "a number", "bool": "true or false"}


# Each app's command and primary config: they share the config folder, not every group.
_APPS = {Config: ("salessim", "config"), CalibrateConfig: ("salessim-calibrate", "calibrate")}


def app_configs() -> dict[str, str]:
    """The command that reads each primary config, by the config's name."""
    return {config_name: prog for prog, config_name in _APPS.values()}


def command_of(config_name: str) -> str:
    """The command whose primary config is ``config_name``: salessim for any config not shipped."""
    return app_configs().get(config_name, _APPS[Config][0])


@functools.cache  # read for every override of every job a sweep checks; the shipped files stay
def _app_groups(config_name: str) -> frozenset[str]:
    defaults = yaml.safe_load((CONFIG_DIR / f"{config_name}.yaml").read_text())["defaults"]
    return frozenset(key.removeprefix("override ") for d in defaults if isinstance(d, dict) for key in d)


def _other_apps_groups(config_name: str) -> dict[str, str]:
    """Each group that another command's defaults list has and the one of ``config_name``
    lacks: its command."""
    return {group: prog for prog, name in _APPS.values() if name != config_name
            for group in _app_groups(name) - _app_groups(config_name)}


def _other_apps_group(group: str, schema: type) -> str | None:
    """The other command, when ``group`` is in its defaults list and not in this one's."""
    return _other_apps_groups(_app_of(schema)[1]).get(group)


def without_other_apps_groups(help_text: str, config_name: str, hidden: Collection[str] = (),
                              width: int | None = None) -> str:
    """Hydra's ``--help`` of the command reading ``config_name`` lists every group of the config
    folder the two commands share, and every key of the config: the lines of the groups only the
    other command takes, and of the ``hidden`` keys (dotted, at most two levels: what the
    command refuses), are left out. At a terminal's ``width``, a group's list of options (the
    investments': some 350 characters) is wrapped there."""
    others = _other_apps_groups(config_name)
    lines, section, parent = [], "", ""
    for line in help_text.splitlines(keepends=True):
        if line.startswith("== "):
            section = line
        key = line.strip().partition(":")[0]
        if line[:1].strip():  # a key at the top of the config, or a line of the groups' list
            parent = key
        dotted = key if line[:1].strip() else f"{parent}.{key}"
        if section.startswith("== Configuration groups ==") and key in others:
            continue
        if section.startswith("== Configuration groups ==") and ": " in line and width:
            line = wrapped(line.rstrip("\n"), width, indent="") + "\n"
        if section.startswith("== Config ==") and dotted in hidden:
            continue
        lines.append(line)
    return "".join(lines)


def _one_command(other: str, typed: str) -> str:
    """The command line of ``other`` that takes ``typed``: salessim runs an experiment, a sweep,
    with -m (it refuses one without)."""
    sweep = other == _APPS[Config][0] and typed.lstrip("+").startswith("experiment=")
    return f"{other}{' -m' * sweep} {shlex.quote(typed)}"


def _other_apps_error(group: str, value: Any, other: str, command: str = "") -> ConfigError:
    return ConfigError(group, value, f"a group of {other}, not of this command: "
                                     f"{command or _one_command(other, f'{group}={value}')}")


def _not_converted(key: str, cause: BaseException) -> str:
    """What a key outside salessim's schema allows, when its value could not be converted."""
    if key == "hydra.launcher.n_jobs":  # 'two': what preflight says of 0, not just 'an integer'
        return N_JOBS_ALLOWED
    return _conversion(str(cause)) or first_line(cause)


def _conversion(message: str) -> str | None:
    m = re.search(r"could not be converted to (\w+)|is not a valid (bool)", message)
    return _CONVERSIONS.get(m.group(1) or m.group(2)) if m else None


def _selects_investment(overrides: list[str], name: str) -> bool:
    """Does the command line choose the investment ``name`` (investment=[..., name, ...])?"""
    return name in _chosen_investments(overrides)


def _chosen_investments(overrides: list[str]) -> list[str]:
    return re.findall(r"[\w.-]+", typed_value(overrides, "investment"))


def _file_investment_kind(name: str, overrides: list[str]) -> str | None:
    """The kind of an investment that has a file (investment/NAME.yaml, shipped or in a folder of
    the search path, as -cd DIR adds), None for any other."""
    return _kind_defined(_investment_file(name, overrides)[1], name)


def _kind_defined(defined: Any, name: str) -> str | None:
    """The kind that what an investment's file puts under ``investment`` gives ``name``, if any."""
    try:
        return defined[name]["kind"]
    except (TypeError, KeyError):
        return None


def _investment_file(name: str, overrides: list[str]) -> tuple[Path, Any] | tuple[None, None]:
    """The file of investment ``name`` (investment/NAME.yaml, shipped or in a folder of the search
    path, as -cd DIR adds) and what it puts under ``investment`` (None when it puts nothing
    there); (None, None) when there is no such readable file."""
    file = find_config("investment", name, overrides)
    node = None if file is None else placed_content(file, "investment", name)
    if node is None:
        return None, None
    return file, node.get("investment") if isinstance(node, dict) else None


def check_file_truths(overrides: list[str], schema: type) -> None:
    """A true/false setting that a user's file, or a mapping typed whole (``sim={trace: 2}``),
    writes otherwise (``trace: 2``, ``resume: "no"``, ``trace: yes`` unquoted): OmegaConf reads 2,
    'yes' and yes as true, as check_override_values refuses when typed as the key. A value typed
    for the key, itself or in a mapping above it, replaces the file's, so the file's is then not
    read. An investment's true/false settings (connected: yes) are read in its file the same way."""
    for key in (*_truth_keys(schema), *_investment_truth_keys(overrides)):
        typed_for, typed = _typed_within(overrides, key)
        if typed is not NOT_TYPED:
            # The key's own value is refused as typed by check_override_values; a mapping typed
            # after it (sim.trace=true 'sim={trace: 2}') is the one Hydra applies, so checked here.
            if as_truth(typed) is None and typed_for != key:
                raise ConfigError(key, typed, "true or false")
            continue
        for file, written in files_setting(key, overrides, TruthsAsWritten):
            if as_truth(written) is None:
                raise ConfigError(key, written, f"true or false (in {file})")
    _check_params_log_as_written(overrides)


def _check_params_log_as_written(overrides: list[str]) -> None:
    """calibration.params' ``log: yes`` unquoted in a user's file, which OmegaConf reads as true,
    refused as the quoted word is (calibration/params.py). A key of params holds dots, so no dotted
    path reaches it: each file's entries are read here. An entry typed on the command line
    (calibration.params={KEY: {...}}) is left to the check of what it types."""
    typed = " ".join(o for o in overrides if split_override(o)[0].startswith("calibration"))
    for file, written in files_setting("calibration.params", overrides, TruthsAsWritten):
        for key, spec in written.items() if isinstance(written, dict) else ():
            if isinstance(spec, dict) and "log" in spec and str(key) not in typed \
                    and as_truth(spec["log"]) is None:
                raise ConfigError(f"calibration.params.{key}.log", spec["log"], f"true or false (in {file})")


def _typed_within(overrides: list[str], key: str) -> tuple[str | None, Any]:
    """The key typed and the value it gives the dotted ``key``, as itself (sim.trace=...) or inside
    a mapping typed for a key above it (sim={trace: ...}), the last that sets it, as Hydra applies
    it; (None, NOT_TYPED) where none does."""
    parts = key.split(".")
    for name, value in map(split_override, reversed(overrides)):
        above = name.split(".")
        if name == key:
            return name, value
        if parts[:len(above)] == above and (inner := inside_typed_mapping(value, parts[len(above):])) \
                is not NOT_TYPED:
            return name, inner
    return None, NOT_TYPED


def _investment_truth_keys(overrides: list[str]) -> list[str]:
    """investment.NAME.SETTING of each true/false setting of an investment a user's chosen file
    defines with its kind (the schema types investments only as a mapping)."""
    from salessim.model import levers
    keys: list[str] = []
    for file, group, name in chosen_files(overrides):
        node = placed_content(file, group, name)
        investments = node.get("investment") if isinstance(node, dict) else None
        for investment, spec in investments.items() if isinstance(investments, dict) else ():
            kind = spec.get("kind") if isinstance(spec, dict) else None
            if isinstance(kind, str) and kind in levers.KINDS:
                keys += [f"investment.{investment}.{setting}"
                         for setting, hint in levers.settings(kind).items() if hint is bool]
    return list(dict.fromkeys(keys))


@functools.cache
def _truth_keys(schema: type, prefix: str = "") -> tuple[str, ...]:
    """The dotted keys of a schema's true/false settings (those of its nested sections too)."""
    hints = typing.get_type_hints(schema)
    keys: list[str] = []
    for f in dataclasses.fields(schema):
        if dataclasses.is_dataclass(hints[f.name]):
            keys.extend(_truth_keys(hints[f.name], f"{prefix}{f.name}."))
        elif hints[f.name] in (bool, bool | None):
            keys.append(prefix + f.name)
    return tuple(keys)


def check_investment_files(overrides: list[str]) -> None:
    """Each investment chosen on the command line (investment=[a, b]) has a file that defines it,
    and only it, under its own name: Hydra merges whatever a file holds, so an empty file would
    run no investment, and a misnamed top key another one, under the name chosen. A defaults
    list that chooses another investment (``defaults: [crm, _self_]``) is merged too: crm ran
    beside it, fee and all, in a scenario named for the one chosen (a walk). One without a kind,
    which nothing else gives it, was told to select it, though it was (a walk)."""
    for name in _chosen_investments(overrides):
        file, defined = _investment_file(name, overrides)
        if file is None:
            continue  # no file of that name: compose says which there are
        # A defaults list is Hydra's, not an investment.
        names = [k for k in defined if k != "defaults"] if isinstance(defined, dict) else []
        typed = typed_value(overrides, "investment")
        if names != [name]:
            holds = f"defines {', '.join(map(str, names))}" if names else "defines no investment"
            raise ConfigError("investment", typed, f"files that each define one investment under the file's "
                              f"name ({file} {holds}: give it one top key, {name}:, holding kind and its "
                              "settings)")
        kind = f"investment.{name}.kind"
        if (isinstance(defined[name], dict) and "kind" not in defined[name]
                and _typed_within(overrides, kind)[1] is NOT_TYPED and not files_setting(kind, overrides)):
            from salessim.model import levers
            raise ConfigError("investment", typed, f"files that each define one investment with its kind "
                              f"({file} gives {name} no kind: add 'kind: KIND' under {name}:, KIND one of "
                              f"{', '.join(levers.KINDS)})")
        added = _investments_added(file, name, overrides)
        if added:
            # a file that defines an investment of its own name can be selected as such
            both = ",".join(dict.fromkeys([*list_items(typed), *(i for i, f in added.items() if i == f)]))
            it = "it" if len(added) == 1 else "them"
            raise ConfigError("investment", typed, f"files that each define one investment under the file's "
                              f"name ({file}'s defaults list adds {', '.join(added)}, which would run beside "
                              f"{name}, each as an investment of its own: take {it} out of the defaults "
                              f"list, and select {it} as investment=[{both}] where meant)")


def _investments_added(file: Path, name: str, overrides: list[str]) -> dict[str, str]:
    """The investments an investment file's defaults list merges in beside ``name`` (each with the
    file that defines it), those the command line selects aside: a base file that sets part of
    ``name`` itself adds none (a review found it refused, as adding the file's name)."""
    chosen, added = _chosen_investments(overrides), {}
    for entry in (str(c) for group, picked in defaults_choices(file, "investment") if group == "investment"
                  for c in (picked if isinstance(picked, list) else [picked])):
        defined = _investment_file(entry, overrides)[1]
        for other in (k for k in defined if k != "defaults") if isinstance(defined, dict) else ():
            if other != name and other not in chosen:
                added.setdefault(str(other), entry)
    return added


def check_experiment_defaults(overrides: list[str]) -> None:
    """The experiment file chosen does not choose another experiment in its defaults list: ``-
    override /experiment: fsm_span`` is ignored, the command line's choice winning (it ran one job
    at the default settings, without fsm_span's sweep: a walk). Its own settings, or the other's
    file included whole (``- /experiment/fsm_span``, which Hydra reads), are what it holds. (``-
    /experiment: NAME`` without 'override' includes itself: compose says so.)"""
    experiment = chosen_file("experiment", overrides)
    for group, key, value in groups_chosen_in(experiment[1]) if experiment else ():
        if group == "experiment" and key.startswith("override"):
            raise ConfigError("experiment", experiment[0], f"an experiment that holds its own settings, not "
                              f"one that chooses another: '- {key}: {value}' in its defaults list is "
                              f"ignored, the command line's choice winning; sweep in its own "
                              f"{SWEEPER_PARAMS}, or include {value}'s settings whole with "
                              f"'- /experiment/{value}' (or copy them) (in {experiment[1]})")


def check_file_shapes(overrides: list[str]) -> None:
    """Each file of the user's that the command chooses holds keys and values under a header of one
    package: Hydra said only "Invalid loaded object type: int" of a file whose body is a value
    (250, or 'sellers 30' with its colon forgotten, which it then blamed on org.sellers='?'), and
    "Too many components" of a header with a comment after it; 'sellers: ???' ran the default 100
    without a word; and a header after a byte-order mark is one Hydra does not read (a hunt)."""
    for file, group, name in chosen_files(overrides):
        try:
            text = file.read_text()
        except (OSError, ValueError):  # compose says why it cannot be read
            continue
        header = package_header(text.removeprefix(BOM))
        if (text.startswith(BOM) and header is not None
                and placed_at(header, group, name) != placed_at(None, group, name)):
            # Hydra reads no header after the mark: an experiment's '_global_' was said to be missing
            # from a file that has it, an org file's keys to need '# @package org'. A header that
            # places the keys where Hydra puts them anyway changes nothing: it runs.
            raise UserError(f"{file} starts with a byte-order mark (some editors write one), and Hydra reads "
                            f"no header after it: its '# @package {header}' would be ignored, its keys put "
                            f"under {group} (allowed: the file saved as UTF-8 without the mark, 'UTF-8' "
                            f"rather than 'UTF-8 with BOM')")
        if header is not None and len(header.split()) > 1:
            raise UserError(f"{file}: its header '# @package {header}' is read whole as the package, "
                            f"so what follows '{header.split()[0]}' breaks it (allowed: the header "
                            f"alone on its line, '# @package {header.split()[0]}'; a comment on a line "
                            "of its own)")
        if header is not None and re.search(r"\b_(group|name)_\b", header):  # Hydra 1.0's keywords
            raise UserError(f"{file}: its header '# @package {header}' uses Hydra 1.0's keywords, which "
                            f"this Hydra reads as keys of those names (allowed: the package named, "
                            f"'# @package {placed_at(header, group, name) or '_global_'}')")
        try:
            body = yaml.safe_load(text)
        except yaml.YAMLError:  # compose says where
            continue
        if body is not None and not isinstance(body, (dict, list)):
            raise UserError(f"{file}: it holds {as_written(body)!r}, a value, not keys with values "
                            f"(allowed: a 'key: value' line each, e.g. 'sellers: 30' in an org preset, "
                            "a colon after each key)")
        # a '???' the command line fills in is Hydra's mark of a value it must give: allowed
        unfilled = next((key for key in _unfilled(body, placed_at(header, group, name))
                         if _typed_within(overrides, key)[1] is NOT_TYPED), None)
        if unfilled:  # OmegaConf's mark of a value to fill in merges as nothing: the default ran
            raise ConfigError(unfilled, "???", f"a value: '???' marks one still to fill in, and the "
                              f"config's own would run in its place (in {file})")


def _unfilled(node: Any, at: str) -> Iterator[str]:
    """The dotted keys under ``at`` whose value in a file's ``node`` is '???'."""
    if node == "???":
        yield at
    elif isinstance(node, dict):
        for key, inner in node.items():
            yield from _unfilled(inner, f"{at}.{key}" if at else str(key))


_SWEPT_EXAMPLE = "'fsm.span_of_control: 6,8,10'"  # a line of a sweep's params, as a file writes it


def check_sweep_params(overrides: list[str]) -> None:
    """hydra.sweeper.params as a user's file writes them: Hydra types them as a mapping of texts
    and said only "Cannot assign str to Dict[str, str]" of a text, that a key "is not Optional" of
    null, without the file, and passed a mapping on as the text {'a': 1}, which then read as
    a quote misplaced. A list of values is told how to write it once composed."""
    for file, params in files_setting(SWEEPER_PARAMS, overrides):
        if params is None:  # 'params:' left empty sweeps nothing, as Hydra takes it
            continue
        if not isinstance(params, dict):
            raise ConfigError(SWEEPER_PARAMS, AsTyped(as_written(params)), "a mapping, a line under params "
                              f"for each key swept, e.g. {_SWEPT_EXAMPLE} (in {file})")
        for key, values in params.items():
            if values is None or isinstance(values, dict):
                raise ConfigError(str(key), AsTyped(as_written(values)), "a comma-separated list of values, "
                                  f"the key written whole with its dots, e.g. {_SWEPT_EXAMPLE} "
                                  f"(in {file}, {SWEEPER_PARAMS})")


def chosen_file(group: str, overrides: list[str]) -> tuple[str, Path] | None:
    """The config the command line chooses for ``group`` (GROUP=NAME or +GROUP=NAME) and the file
    Hydra reads it from, when it has one."""
    name = typed_value(overrides, group)  # GROUP=NAME or +GROUP=NAME: read without the '+'
    file = find_config(group, name, overrides) if name and name != "null" else None
    return (name, file) if file else None


def _chosen_by_experiment(group: str, overrides: list[str]) -> str:
    """The option the experiment's defaults list chooses for ``group``, as its file says it."""
    experiment = chosen_file("experiment", overrides)
    found = [chosen for g, chosen in defaults_choices(experiment[1], "experiment") if g == group] if experiment else []
    return str(found[-1]) if found else "?"


def schema_node(schema: type, path: list[str]) -> Any:
    node: Any = schema
    for part in path:
        if dataclasses.is_dataclass(node):
            fields = {f.name: f for f in dataclasses.fields(node)}
            if part not in fields:
                return None
            f = fields[part]
            default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            node = default if dataclasses.is_dataclass(default) or isinstance(default, dict) else f.type
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def _first_unknown(schema: type, key: str) -> tuple[str, str] | None:
    """(the first part of ``key`` the schema lacks, a text of what its parent has), or None when
    the schema knows every part, or cannot tell (a free-form map such as ``investment``, or
    Hydra's own ``hydra.*``)."""
    parts = key.split(".")
    if parts[0] == "hydra":
        return None
    for i in range(len(parts)):
        node = schema_node(schema, parts[:i])
        known = ([f.name for f in dataclasses.fields(node)] if dataclasses.is_dataclass(node)
                 else list(node) if isinstance(node, dict) else [])
        if not known:
            return None
        if parts[i] not in known:
            parent = ".".join(parts[:i])
            return ".".join(parts[:i + 1]), (f"{parent} has " if parent else "") + ", ".join(known)
    return None


def _first_unknown_hydra_key(key: str, overrides: list[str], config_name: str) -> tuple[str, str] | None:
    """As _first_unknown, for Hydra's own settings (``hydra.launcher.*``): read from the config the
    command's group choices compose (the launcher chosen decides which settings exist). None when
    that config cannot tell (a free-form or empty map, or choices that fail on their own)."""
    parts = key.split(".")
    if parts[0] != "hydra":
        return None
    keys = {o: split_override(o)[0] for o in overrides if "=" in o}
    choices = [o for o, k in keys.items() if "." not in k or k == "hydra.searchpath"]
    try:
        node = compose(config_name=config_name, overrides=choices, return_hydra_config=True)
    except Exception:  # the choices' own error is reported where they are composed
        return None
    for i, part in enumerate(parts):
        if not isinstance(node, DictConfig) or not node:
            return None
        if part not in node:
            parent = ".".join(parts[:i])
            return ".".join(parts[:i + 1]), f"{parent} has " + ", ".join(str(k) for k in node)
        node = node[part]
    return None


def _per_segment(schema: type, path: list[str]) -> dataclasses.Field | None:
    """The field at ``path`` when it is a mapping with a value for each segment (compensation.quota_usd)."""
    section = schema_node(schema, path[:-1])
    mapping = next((f for f in dataclasses.fields(section) if f.name == path[-1]), None) \
        if dataclasses.is_dataclass(section) else None
    return mapping if mapping and mapping.metadata.get("per_segment") else None


def _expected_type(schema: type, key: str) -> str | None:
    parts = key.split(".")
    parent = schema_node(schema, parts[:-1])
    if isinstance(parent, dict) and parent and all(map(dataclasses.is_dataclass, parent.values())):
        if parts[-1] in parent:  # market.segments.smb=5
            return f"a section of settings, each set as {key}.NAME=VALUE"
        # The entries are fixed: +market.segments.retail={...}
        return f"an entry that {'.'.join(parts[:-1])} has: {', '.join(parent)}"
    if isinstance(parent, dict) and len(parts) > 2:  # a segment's value: compensation.quota_usd.smb
        mapping = _per_segment(schema, parts[:-1])
        if mapping:
            return range_text(segment_value_range(mapping.metadata))
    if not dataclasses.is_dataclass(parent):
        return None
    for f in dataclasses.fields(parent):
        if f.name == parts[-1]:
            kinds = {"int": "an integer", "float": "a number", "bool": "true or false", "str": "a string"}
            kinds.update({f"Optional[{t}]": f"{k}, or null" for t, k in kinds.items()})
            kind = kinds.get(str(f.type))
            if kind is None:  # Dict[str, float] and the like: say it as a user would type it
                entries = schema_node(schema, parts)
                names = f" of {', '.join(entries)}" if isinstance(entries, dict) and entries else ""
                if key in _WHOLE_MAPPINGS:  # their keys hold dots: no dotted override reaches one
                    kind = f"a mapping set whole, with a '+': {_WHOLE_MAPPINGS[key]}"
                elif str(f.type).startswith("Dict"):
                    kind = f"a mapping{names}, one entry set as {key}.NAME=VALUE"
                elif dataclasses.is_dataclass(entries):  # a section of settings, such as sim
                    kind = f"a section of settings, each set as {key}.NAME=VALUE"
                elif "List[" in str(f.type):
                    kind = _LISTS.get(key, "a list such as [a,b], or [] for none")
                else:
                    kind = f"a value of type {f.type}"
            meta = f.metadata
            if meta.get("choices"):
                kind = "one of " + ", ".join(c for c in meta["choices"] if c)
            if meta.get("ge") is not None or meta.get("gt") is not None or meta.get("le") is not None:
                number = kind.removesuffix(", or null")  # an Optional's range says null itself
                numeric = number in ("an integer", "a number")
                kind = (range_text({**meta, "nullable": number != kind}, number) if numeric
                        else kind + f" ({range_text(meta)})")
            return kind
    return None

