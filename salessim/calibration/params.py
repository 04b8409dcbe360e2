"""Free parameters of a calibration: which config keys, over which range, set or scaled.

A key may hold ``*`` for every key of a per-segment level, e.g.
``market.segments.*.competitor_strength_mean`` (one value for every segment) or
``compensation.quota_usd.*`` with ``mode: scale`` (every segment's quota times one factor).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from typing import Any, Mapping

from salessim.config import FREE_PARAM_FIELDS, FREE_PARAM_FIELDS_ALLOWED, Config
from salessim.errors import ConfigError, UserError, as_written, nearest_name
from salessim.validation import as_truth, check_ranges, check_relations


@dataclass(frozen=True)
class FreeParam:
    key: str
    low: float
    high: float
    mode: str = "set"  # set the value, or scale the study's own (its preset's, or a condition's)
    log: bool = False
    integer: bool = False  # a whole-number key set by value: searched over whole numbers


def parse_params(raw: Mapping[str, Any], base: Config, simulated: bool = True) -> list[FreeParam]:
    """The free parameters of ``raw`` (calibration.params), their ranges checked at ``base``, the
    study's own setup, where it is ``simulated`` (a target without a condition)."""
    if not raw:
        raise ConfigError("calibration.params", {}, "at least one free parameter, e.g. "
                          "calibration.params.market.neutral_quality: {low: 0.45, high: 0.57}")
    params = []
    for key, spec in raw.items():
        where = f"calibration.params.{key}"
        if key.startswith("sim."):  # the run's setup, which the fit's command line sets again
            raise ConfigError(where, as_written(spec), "a parameter of the model to fit (market.*, org.*, "
                              "fsm.*, ...): sim.* sets how the study runs, which it holds fixed")
        if not isinstance(spec, Mapping) or "low" not in spec or "high" not in spec:
            raise ConfigError(where, as_written(spec), "a mapping with low and high (and optional mode: "
                              "set|scale, log)")
        unknown = set(spec) - set(FREE_PARAM_FIELDS)
        if unknown:
            raise ConfigError(f"{where}.{sorted(unknown)[0]}", spec[sorted(unknown)[0]], FREE_PARAM_FIELDS_ALLOWED)
        try:
            low, high = float(spec["low"]), float(spec["high"])
        except (TypeError, ValueError):
            raise ConfigError(where, as_written(spec), "numbers low < high") from None
        if not low < high:
            raise ConfigError(where, as_written(spec), "numbers low < high")
        mode = spec.get("mode", "set")
        if mode not in ("set", "scale"):
            raise ConfigError(f"{where}.mode", mode, "set or scale")
        log = as_truth(spec.get("log", False))  # bool('no') is True: a word would search on a log scale
        if log is None:
            raise ConfigError(f"{where}.log", spec["log"], "true or false")
        if log and low <= 0:
            raise ConfigError(f"{where}.low", low, "a number > 0 with log: true")
        locate(base, key)  # an unknown key is said as such, not as a range the schema refuses
        integer = mode == "set" and all(isinstance(v, int) and not isinstance(v, bool)
                                        for v in values_at(base, key))
        if integer and not (low.is_integer() and high.is_integer()):  # the model runs whole ones
            raise ConfigError(where, as_written(spec), f"whole numbers low < high: {key} is an integer")
        p = FreeParam(key, low, high, mode, log, integer)
        if mode == "scale" and not any(values_at(base, key)):  # every trial would score the same
            raise ConfigError(key, 0, f"a value to scale for {where}.mode: scale (0 times any factor "
                              "is 0, so the parameter would change nothing); fit it with mode: set, "
                              "or set the key first")
        params.append(p)
    if simulated:  # each condition's setup is checked as its own (salessim.calibration.cli)
        check_ends(params, base, raw)
    return params


def check_ends(params: list[FreeParam], cfg: Config, raw: Mapping[str, Any], under: str = "") -> None:
    """Each range's ends make a valid model of ``cfg`` (its relations included), alone and with
    every other range at the same end (hours that fit one by one may not fit together); ``under``
    says which setup ``cfg`` is, for the message."""
    for p in params:
        for end in (p.low, p.high):
            try:
                checked(apply(cfg, {p: end}))
            except ConfigError as e:
                raise ConfigError(f"calibration.params.{p.key}", as_written(raw[p.key]),
                                  f"a range inside the schema's{under} ({e.message})") from None
    for corner in ("low", "high"):
        try:
            checked(apply(cfg, {p: getattr(p, corner) for p in params}))
        except ConfigError as e:
            corners = as_written({p.key: getattr(p, corner) for p in params})
            raise ConfigError("calibration.params", corners, f"ranges whose {corner} ends make a valid "
                              f"model together{under} ({e.message})") from None


def value_in(node: Any, name: str) -> Any:
    """The value ``name`` of a config node: a mapping's item or a dataclass's field."""
    return node[name] if isinstance(node, dict) else getattr(node, name)


def values_at(cfg: Any, key: str) -> list[Any]:
    """The values the dotted ``key`` names in ``cfg`` (with ``*``, every segment's)."""
    return [value_in(node, name) for _, node, name in locate(cfg, key)]


def locate(obj: Any, key: str) -> list[tuple[list[str], Any, str]]:
    """(path from the root, container, name) of every value the dotted ``key`` names; a ``*``
    part stands for every key of a per-segment level."""
    found: list[tuple[list[str], Any, str, Any]] = [([], None, "", obj)]
    for part in key.split("."):
        step = []
        for path, _, _, node in found:
            if part == "*" and not isinstance(node, dict):
                raise UserError(f"calibration.params.{key}: '*' must stand for a per-segment level")
            for name in (list(node) if part == "*" else [part]):
                step.append((path + [name], node, name, _child(node, name, key, path)))
        found = step
    return [(path, container, name) for path, container, name, _ in found]


def _child(node: Any, name: str, key: str, path: list[str]) -> Any:
    """The value ``name`` of ``node``, found at ``path`` of the free parameter ``key``."""
    names = (list(node) if isinstance(node, dict) else
             [f.name for f in dataclasses.fields(node)] if dataclasses.is_dataclass(node) else None)
    if names is None:
        raise ConfigError("calibration.params", key, "a numeric config key")
    if name not in names:
        near = nearest_name(name, names)
        parent = ".".join(path) or "the config"
        # the key as typed ('*' kept: not one segment's), as calibration.free's hint gives it
        whole = ".".join([*key.split(".")[:len(path)], near]) if near else None
        raise ConfigError("calibration.params", key, "a key of the config ("
                          + (f"did you mean {whole}? " if near else "") + f"{parent} has "
                          + ", ".join(names) + ")")
    return node[name] if isinstance(node, dict) else getattr(node, name)


def apply(base: Config, values: Mapping[FreeParam, float]) -> Config:
    cfg = copy.deepcopy(base)
    for p, value in values.items():
        for _, node, name in locate(cfg, p.key):
            old = value_in(node, name)
            if isinstance(old, bool) or not isinstance(old, (int, float)):
                raise ConfigError(f"calibration.params.{p.key}", old, "a numeric config key")
            new = old * value if p.mode == "scale" else value
            new = int(round(new)) if isinstance(old, int) else float(new)
            if isinstance(node, dict):
                node[name] = new
            else:
                setattr(node, name, new)
    return cfg


def checked(cfg: Config) -> Config:
    check_ranges(cfg, "")
    check_relations(cfg)
    return cfg
