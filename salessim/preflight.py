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


def split_argv(argv: list[str]) -> tuple[bool, list[str], bool]:
    """(multirun, overrides, info_only) from a salessim command line."""
    multirun, overrides, info = False, [], False
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("-m", "--multirun"):
            multirun = True
        elif arg in _INFO_FLAGS or arg.split("=", 1)[0] in _INFO_FLAGS:
            info = True
        elif arg in _VALUE_FLAGS:
            skip = True
        elif arg.startswith("-"):
            raise UserError(f"unknown option {arg!r}; allowed: -m/--multirun, --help, --cfg job, "
                            "key=value overrides")
        else:
            overrides.append(arg)
    return multirun, overrides, info


def check_command(argv: list[str], config_name: str = "config",
                  validate: Callable[[DictConfig, list[str]], Any] | None = None) -> int:
    """Validate every job ``salessim argv`` would run. Returns the number of jobs checked.

    ``validate(cfg, overrides)`` checks one composed job (default: the model config's checks).
    """
    multirun, overrides, info = split_argv(argv)
    if info:
        return 0
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


