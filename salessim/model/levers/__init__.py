"""Investment levers: one module per family of the 2014 MHI study, combinable in a scenario.

Configs name each investment and its ``kind``; :func:`parse` checks it against the kind's spec
(unknown keys, types and ranges) and :func:`build` makes the lever that acts on the World.

Adding a kind (what the tests and a reader expect; a new engineer found it by reading them):

1. A module here with its spec (a frozen dataclass of ``base.InvestmentSpec``, or of
   ``base.EffectSpec`` where the effect is a size it is given, which ``effect_scale`` scales) and
   its ``Lever``: ``on_month`` changes a mechanism (skills, hours, seats, pay, coaching, leads),
   never a booking or an outcome (``tests/test_levers.py`` reads every lever's code for it), and
   adds its cost to ``world.unit_costs``. Set ``sets_state`` where two of it in one scenario would
   overwrite each other: it then holds one a scenario (``ONE_PER_SCENARIO``).
2. Its entry in ``KINDS`` below. The spec's field metadata (``base`` ranges) gives the bad-input
   checks of its settings; a check across settings or against the organization (a segment that
   must have seats, a list of names) goes in ``validation._check_investments``.
3. State a lever keeps between months lives in the lever, on the seats (``sellers.Territory``)
   or on the FSMs; the World's attributes are capped (``tests/test_invariants.py``).
4. A shipped investment of it in ``configs/investment/`` and in
   ``experiments/every_investment.yaml``, and a test of the direction and size of its effect,
   paired on fixed seeds (``tests/test_levers.py``).
5. docs/model.md: a subsection ``### 16.N Title (`kind: NAME`)``, its number the lever's
   ``doc_section``, before the shipped investments' section (``SHIPPED_SECTION``, which keeps its
   title whatever its number), with a row per setting and its default (``tests/test_docs.py``
   checks each); the kind in section 16's ``kind`` row and MHI table; its shipped values and their
   sources in the shipped investments' section. docs/results.md where it adds a cost part or a
   column.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from typing import Any, Mapping, Sequence

from salessim.errors import ConfigError, meant_key_said
from salessim.model.levers.base import EffectSpec, InvestmentSpec, Lever
from salessim.model.levers.compensation_plan import CompensationLever
from salessim.model.levers.content import ContentLever
from salessim.model.levers.coverage import CoverageLever
from salessim.model.levers.fsm_development import FsmDevelopmentLever, FsmSpanLever
from salessim.model.levers.overlay import OverlayLever
from salessim.model.levers.tools import ToolsLever
from salessim.model.levers.training import TrainingLever

KINDS: dict[str, type[Lever]] = {
    "training": TrainingLever,
    "content": ContentLever,
    "coverage": CoverageLever,
    "overlay": OverlayLever,
    "compensation": CompensationLever,
    "tools": ToolsLever,
    "fsm_development": FsmDevelopmentLever,
    "fsm_span": FsmSpanLever,
}
# Where docs/model.md explains each kind's mechanism (Lever.doc_section), for the report's table of
# assumptions, and where it gives the shipped investments' values and sources (the section after
# the kinds').
SECTIONS = {kind: lever.doc_section for kind, lever in KINDS.items()}
SHIPPED_SECTION = ("16.9", "The shipped investments: values and sources")
# Kinds whose effect is a size they are given, which effect_scale scales (base.EffectSpec).
SCALED_KINDS = tuple(kind for kind, lever in KINDS.items() if issubclass(lever.spec_class, EffectSpec))
# Kinds a scenario holds once, with what their lever sets (Lever.sets_state).
ONE_PER_SCENARIO = {kind: lever.sets_state for kind, lever in KINDS.items() if lever.sets_state}


def parse(name: str, raw: Any, held: Sequence[str] = ()) -> InvestmentSpec:
    """A checked spec for investment ``name`` (ConfigError naming key, value and what is allowed).
    ``held``: the names of the scenario's investments, for a setting given to one it does not hold."""
    from salessim.validation import allowed_text, as_truth, check_ranges
    prefix = f"investment.{name}"
    if not isinstance(raw, Mapping):
        raise ConfigError(prefix, raw, "a mapping with a 'kind' and its settings")
    kind = raw.get("kind")
    if kind is None and raw and "kind" not in raw:  # +investment.NAME.KEY=V: NAME has nothing else
        key = next(iter(raw))
        near = difflib.get_close_matches(name, [h for h in held if h != name], n=1)
        holds = ", ".join(h for h in held if h != name) or "none"
        raise ConfigError(f"{prefix}.{key}", raw[key], (
            f"a setting of an investment the scenario holds ({holds}), and {name} is not one: "
            + (f"did you mean {near[0]}? " if near else "")
            + f"select it in investment=[...], or make it a new one with its kind, +{prefix}.kind=KIND "
            f"(one of {', '.join(KINDS)})"))
    if not isinstance(kind, str) or kind not in KINDS:
        raise ConfigError(f"{prefix}.kind", kind, "one of " + ", ".join(KINDS))
    spec_class = KINDS[kind].spec_class
    hints = settings(kind)
    foreign = [key for key in raw if key not in hints]
    # Settings that all belong to another kind: the kind was changed, not each setting misspelt.
    # (effect_scale alone tells no kind: four have it.)
    fits = [other for other in KINDS if foreign and other != kind and set(foreign) != {"effect_scale"}
            and all(key == "kind" or key in settings(other) for key in raw)]
    if fits:
        raise ConfigError(f"{prefix}.kind", kind, f"the kind whose settings {prefix} has, "
                          f"{' or '.join(fits)} ({', '.join(foreign)} are not settings of "
                          f"{_a(kind)} investment); an investment of another kind is a new one: "
                          "+investment.NAME.kind=KIND")
    if foreign:
        raise unknown_setting(f"{prefix}.{foreign[0]}", raw[foreign[0]], kind)
    fields = {f.name: f for f in dataclasses.fields(spec_class)}
    values = dict(raw)
    for key, value in values.items():
        expected = hints[key]
        optional = typing.get_origin(expected) in (typing.Union, types.UnionType)
        plain = typing.get_args(expected)[0] if optional else expected
        if typing.get_origin(plain) is list:
            # a content's roles, the only list setting: validation checks it, knowing the roles
            continue
        if isinstance(value, str) and plain is bool:  # a quoted 'true' or 'false'
            truth = as_truth(value)
            value = values[key] = value if truth is None else truth
        elif isinstance(value, str) and plain is not str:
            # A quoted number ('0.5') reads as the main schema reads it.
            value = values[key] = _unquoted(value)
        # null only where a setting may be unset (start_month, a plan's terms); text only where wanted
        if value is None and not optional or value is not None and (plain is str) != isinstance(value, str):
            raise ConfigError(f"{prefix}.{key}", value, allowed_text(fields[key].metadata, plain))
        if expected is bool and not isinstance(value, bool):
            raise ConfigError(f"{prefix}.{key}", value, "true or false")
        if (expected in (float, typing.Optional[float]) and isinstance(value, int)
                and not isinstance(value, bool)):
            values[key] = float(value)
        if value is None and expected == typing.Optional[int]:
            continue
        if expected in (int, typing.Optional[int]) and isinstance(value, float):
            if not value.is_integer():
                raise ConfigError(f"{prefix}.{key}", value, "an integer")
            values[key] = int(value)
        if expected in (int, typing.Optional[int]) and (isinstance(value, bool)
                                                       or not isinstance(values[key], int)):
            raise ConfigError(f"{prefix}.{key}", value, "an integer")
    spec = spec_class(**values)
    check_ranges(spec, prefix + ".")
    return spec


def _unquoted(text: str) -> Any:
    """``text`` as a number where it reads as one, else ``text`` itself."""
    try:
        return float(text)
    except ValueError:
        return text


def settings(kind: str) -> dict[str, Any]:
    """The settings an investment of ``kind`` takes, with their types."""
    hints = typing.get_type_hints(KINDS[kind].spec_class)
    if KINDS[kind].acts_once:
        del hints["rollout_months"]  # it would be accepted and do nothing
    return hints


def unknown_setting(key: str, value: Any, kind: str) -> ConfigError:
    given = key.split(".")[2]  # investment.NAME.SETTING(.more): the setting
    if KINDS[kind].acts_once and given == "rollout_months":
        why = " (it acts once, in its start month: no rollout)"
    elif given == "effect_scale":
        why = (f" (only {', '.join(SCALED_KINDS[:-1])} and {SCALED_KINDS[-1]} investments have an "
               f"effect_scale: their effect is a size they are given, while {_a(kind)} investment's "
               "comes from what it changes)")
    else:
        near = difflib.get_close_matches(given, settings(kind), n=1)
        meant = ".".join([*key.split(".")[:2], *near[:1]])
        whole = key.count(".") == 2  # investment.NAME.SETTING, not a key below one: its value fits the key
        why = f" ({meant_key_said(meant, value if whole else None).strip()})" if near else ""
    return ConfigError(key, value, f"a setting of {_a(kind)} investment: "
                       + ", ".join(settings(kind)) + why)


def _a(kind: str) -> str:
    """'an overlay', 'an fsm_span', 'a coverage': the kind with its article, as it is said."""
    return ("an " if kind[0] in "aeiou" or kind.startswith("fsm") else "a ") + kind


def build(investments: Mapping[str, Any], warmup_months: int) -> list[Lever]:
    """The scenario's levers, in the order they act in a month: those that change seats or teams
    first, then the others, each group by name. An investment with no start month starts when
    the warm-up ends."""
    built = []
    for name, raw in investments.items():
        spec = parse(name, raw)
        if spec.start_month is None:
            spec.start_month = warmup_months
        built.append(KINDS[spec.kind](name, spec))
    return sorted(built, key=lambda lever: (not lever.changes_structure, lever.name))


def every_setting(investments: Mapping[str, Any], warmup_months: int) -> dict[str, dict[str, Any]]:
    """Each investment with all of its kind's settings, the defaults it took included and its start
    month resolved: what the scenario really ran (a config holds only what was written)."""
    return {lever.name: {key: value for key, value in dataclasses.asdict(lever.spec).items()
                         if key in settings(lever.spec.kind)}
            for lever in sorted(build(investments, warmup_months), key=lambda lever: lever.name)}


__all__ = ["KINDS", "ONE_PER_SCENARIO", "SCALED_KINDS", "parse", "build", "every_setting", "settings", "unknown_setting",
           "Lever", "InvestmentSpec"]
