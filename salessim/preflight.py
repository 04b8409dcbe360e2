"""Check every job of a command before any simulation starts.

Hydra composes a multirun's jobs one at a time, inside the launcher, so a bad value in the tenth
job would surface after nine had run, as a multi-line report with exit status 1. salessim first
expands the command line the way Hydra's basic sweeper does (including ``hydra.sweeper.params``
set by an experiment), composes every job's config and validates it. Anything wrong becomes one
:class:`~salessim.errors.UserError` line naming the key, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml
from hydra import compose, initialize_config_dir
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException, MissingConfigException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from salessim.config import Config, register_configs
from salessim.errors import ConfigError, UserError
from salessim.validation import range_text, to_validated

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"

# Flags that stop Hydra before any job runs (help, config printing): no preflight needed.
_INFO_FLAGS = {"-h", "--help", "--hydra-help", "--version", "-c", "--cfg", "-i", "--info",
               "--shell-completion", "-sc", "-p", "--package", "--resolve"}
_VALUE_FLAGS = {"-cn", "--config-name", "-cp", "--config-path", "-cd", "--config-dir",
                "--experimental-rerun"}


_CHOICES = {"-c": ("job", "hydra", "all"), "--cfg": ("job", "hydra", "all"),
            "-i": ("all", "config", "defaults", "defaults-tree", "plugins", "searchpath"),
            "--info": ("all", "config", "defaults", "defaults-tree", "plugins", "searchpath")}
_LONG = {"-cd": "--config-dir", "-cn": "--config-name", "-cp": "--config-path"}


def parse_argv(argv: list[str]) -> tuple[bool, list[str], bool, dict[str, str]]:
    """(multirun, overrides, info_only, Hydra's flags with values) — each flag checked the way
    Hydra would, so that Hydra itself never stops with its multi-line usage."""
    multirun, overrides, info, flags = False, [], False, {}
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, eq, inline = arg.partition("=")
        name = _LONG.get(name, name)
        if arg in ("-m", "--multirun"):
            multirun = True
        elif name in _CHOICES or arg in _INFO_FLAGS or name in _INFO_FLAGS:
            info = True
            if name in _CHOICES:
                value = inline if eq else (args.pop(0) if args and not args[0].startswith("-")
                                           and "=" not in args[0] else None)
                if value is None and name in ("-c", "--cfg"):
                    raise UserError(f"{arg} needs a value; allowed: {', '.join(_CHOICES[name])}")
                if value is not None and value not in _CHOICES[name]:
                    raise UserError(f"{name}={value} is not allowed: one of {', '.join(_CHOICES[name])}")
        elif name in _VALUE_FLAGS or name in _LONG.values():
            value = inline if eq else (args.pop(0) if args else None)
            if not value:
                raise UserError(f"{name} needs a value (allowed: {name} VALUE)")
            flags[name] = value
        elif arg.startswith("-"):
            raise UserError(f"unknown option {arg!r}; allowed: -m/--multirun, --help, --cfg job, "
                            "-cd DIR, -cn NAME, key=value overrides")
        else:
            overrides.append(arg)
    if "--config-dir" in flags and not Path(flags["--config-dir"]).is_dir():
        raise UserError(f"--config-dir {flags['--config-dir']} is not a folder (allowed: a folder "
                        "of config files to add to the search path)")
    if "--experimental-rerun" in flags and not Path(flags["--experimental-rerun"]).is_file():
        raise UserError(f"--experimental-rerun {flags['--experimental-rerun']} does not exist "
                        "(allowed: the config.pickle of an earlier run)")
    if "--config-path" in flags:
        raise UserError("--config-path is not supported by salessim (allowed: -cd DIR to add a "
                        "folder of configs to the search path)")
    return multirun, overrides, info, flags


def _with_config_dir(overrides: list[str], config_dir: str | None) -> list[str]:
    """What -cd DIR does in Hydra: DIR joins the config search path."""
    for o in overrides:
        if o.startswith("hydra.searchpath="):
            for entry in o.split("=", 1)[1].strip("[]").split(","):
                entry = entry.strip().strip("'\"")
                if entry.startswith("file://") and not Path(entry[7:]).is_dir():
                    raise ConfigError("hydra.searchpath", entry, "folders that exist (file://DIR)")
    if not config_dir:
        return overrides
    entry = f"file://{Path(config_dir).resolve()}"
    for i, o in enumerate(overrides):
        if o.startswith("hydra.searchpath=[") and o.endswith("]"):
            inner = o[len("hydra.searchpath=["):-1].strip()
            return overrides[:i] + [f"hydra.searchpath=[{inner + ',' if inner else ''}{entry}]"] + overrides[i + 1:]
    return overrides + [f"hydra.searchpath=[{entry}]"]


def check_command(argv: list[str], config_name: str = "config",
                  validate: Callable[[DictConfig, list[str]], Any] | None = None) -> int:
    """Validate every job ``salessim argv`` would run. Returns the number of jobs checked.

    ``validate(cfg, overrides)`` checks one composed job (default: the model config's checks).
    """
    multirun, overrides, info, flags = parse_argv(argv)
    if info:
        return 0
    overrides = _with_config_dir(overrides, flags.get("--config-dir"))
    config_name = flags.get("--config-name", config_name)
    register_configs()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3", job_name="salessim"):
            jobs = expand_jobs(overrides, multirun, config_name)
            for job in jobs:
                cfg = compose_config(job, config_name)
                if validate is None:
                    to_validated(cfg)
                else:
                    validate(cfg, job)
            return len(jobs)
    finally:
        GlobalHydra.instance().clear()


def expand_jobs(overrides: list[str], multirun: bool, config_name: str = "config") -> list[list[str]]:
    loader = GlobalHydra.instance().config_loader()
    parser = OverridesParser.create(config_loader=loader)
    parsed = _parse(parser, overrides)
    if not multirun:
        for o in parsed:
            if o.is_sweep_override():
                raise UserError(f"{o.input_line!r} is a sweep; allowed: a single value, or run "
                                "a sweep with salessim -m")
        return [overrides]
    # As Hydra does: the sweep's own params (hydra.sweeper.params, e.g. set by an experiment)
    # come from the config composed without the command line's sweeps, and the command line
    # comes after them, so it wins.
    fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
    params = _sweeper_params(fixed, config_name)
    return _combinations(_parse(parser, params + overrides))


def _parse(parser: OverridesParser, overrides: list[str]):
    try:
        return parser.parse_overrides(overrides)
    except HydraException as e:
        raise UserError(f"could not read the override(s) {' '.join(overrides)!r}: "
                        f"{_first_line(e)}; allowed: key=value, key=a,b,c (with -m)") from None


def _combinations(parsed) -> list[list[str]]:
    try:
        return BasicSweeper.split_arguments(parsed, None)[0]
    except HydraException as e:
        raise UserError(_first_line(e)) from None


def _sweeper_params(combo: list[str], config_name: str = "config") -> list[str]:
    cfg = compose_config(combo, config_name, with_hydra=True)
    params = OmegaConf.select(cfg, "hydra.sweeper.params") or {}
    return [f"{k}={v}" for k, v in params.items()]


def compose_validated(overrides: list[str]) -> Config:
    return to_validated(compose_config(overrides))


def compose_config(overrides: list[str], config_name: str = "config", with_hydra: bool = False) -> DictConfig:
    """Hydra's compose, with its errors turned into one-line UserErrors."""
    try:
        return compose(config_name=config_name, overrides=overrides, return_hydra_config=with_hydra)
    except MissingConfigException as e:
        raise _missing_option(e, overrides) from None
    except (HydraException, OmegaConfBaseException) as e:
        raise translate(e, overrides) from None
    except yaml.MarkedYAMLError as e:  # a malformed YAML file
        mark = e.problem_mark or e.context_mark
        where = f"{mark.name}, line {mark.line + 1}" if mark else "a config file"
        raise UserError(f"could not read {where}: {e.problem or e.context} (allowed: valid YAML)") from None
    except (OSError, ValueError, yaml.YAMLError) as e:  # unreadable files
        raise UserError(f"could not read the configuration: {_first_line(e)}") from None


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _missing_option(e: MissingConfigException, overrides: list[str]) -> UserError:
    text = str(e)
    m = re.search(r"Could not (?:find|load) '([^']+)'", text)
    if m and "/" in m.group(1):
        group, option = m.group(1).rsplit("/", 1)
        options = list(e.options or _group_options(group))
        return ConfigError(group, option, "one of " + (", ".join(sorted(options)) or "(none)"))
    return UserError(_first_line(e))


def _group_options(group: str) -> list[str]:
    return GlobalHydra.instance().config_loader().get_group_options(group)


def translate(e: BaseException, overrides: list[str]) -> UserError:
    """Hydra's and OmegaConf's multi-line errors as one line naming key, value and what is allowed."""
    cause = e.__cause__ if isinstance(e.__cause__, OmegaConfBaseException) else e
    key = getattr(cause, "full_key", None)
    text = str(e)
    if key is None:
        m = re.search(r"override '([^']+)'", text) or re.search(r"full_key: (\S+)", text)
        key = m.group(1) if m else None
    value = _override_value(overrides, key)
    if value == "?":  # the value came from a file: OmegaConf's message names it
        m = re.search(r"Value '([^']*)'", str(cause))
        value = m.group(1) if m else value
    if key and ("not in struct" in text or "not in" in str(cause) and "Key" in str(cause)):
        if key.startswith("investment.") and key.count(".") >= 2:
            return ConfigError(key, value, "a setting the investment's file already sets; add "
                               f"another with +{key}={value}")
        known = _known_keys(key)
        allowed = "a known key" + (f" ({', '.join(known)})" if known else "")
        return ConfigError(key, value, allowed)
    if key:
        expected = _expected_type(key)
        return ConfigError(key, value, expected or _first_line(cause))
    return UserError(_first_line(e))


def _override_value(overrides: Iterable[str], key: str | None) -> Any:
    for o in overrides:
        name, _, value = o.lstrip("+~").partition("=")
        if key is not None and name == key:
            return value
    return "?"


def _schema_node(path: list[str]) -> Any:
    node: Any = Config
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


def _known_keys(key: str) -> list[str]:
    parent = _schema_node(key.split(".")[:-1])
    if dataclasses.is_dataclass(parent):
        return [f.name for f in dataclasses.fields(parent)]
    if isinstance(parent, dict):
        return list(parent)
    return []


def _expected_type(key: str) -> str | None:
    parts = key.split(".")
    parent = _schema_node(parts[:-1])
    if not dataclasses.is_dataclass(parent):
        return None
    for f in dataclasses.fields(parent):
        if f.name == parts[-1]:
            kind = {"int": "an integer", "float": "a number", "bool": "true or false",
                    "str": "a string"}.get(str(f.type), f"a value of type {f.type}")
            meta = f.metadata
            if meta.get("ge") is not None or meta.get("gt") is not None or meta.get("le") is not None:
                kind += f" ({range_text(meta)})"
            return kind
    return None


