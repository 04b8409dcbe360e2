"""An override as the user typed it: its key, its value as Hydra reads it, and the overrides of a
command line or a sweep read together (the keys a sweep varies, a key set twice, the one Hydra
keeps). Shared by composing (:mod:`salessim.compose`), the checks before a command runs
(:mod:`salessim.preflight`) and the commands that read a sweep's record."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException


@functools.cache
def overrides_parser() -> OverridesParser:
    """Hydra's parser of overrides, made once: making it builds a grammar, a third of a parse's
    time (a sweep of 10,000 jobs parses each of its overrides several times)."""
    return OverridesParser.create()


def key_and_value_typed(o) -> tuple[str, str]:
    """A parsed override's key (or group) and its value as the user typed it: what a refusal names."""
    return o.key_or_group, o.input_line.partition("=")[2]


def split_override(text: str) -> tuple[str, str]:
    """An override's key and value as typed, without its '+', '++' or '~'."""
    key, _, value = text.lstrip("+~").partition("=")
    return key, value


def override_value(value: str) -> Any:
    """A value typed in an override as Hydra reads it ('4e1': 40.0, "'soft_veto'": soft_veto,
    '[a, b]': a list); the text itself where Hydra cannot read it."""
    try:
        return overrides_parser().parse_override(f"k={value}").value()
    except (HydraException, ValueError):
        return value


def split_outside(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside brackets and quotes: a scenario name into its overrides
    (sep ","; investment=[crm,enablement_content] and a='x,y' stay whole), a fit's '# Targets
    fitted' line into its labels (sep ", "), a label's condition into its overrides (sep " ")."""
    parts, depth, quote, start, escaped = [], 0, "", 0, False
    for i, c in enumerate(text):
        if quote:  # a quote escaped inside a quoted value ('it\'s, here') does not end it
            quote = "" if c == quote and not escaped else quote
            escaped = c == "\\" and not escaped
        elif c in "'\"":
            quote = c
        else:
            depth += (c in "[{(") - (c in "]})")
            if depth == 0 and text.startswith(sep, i) and i >= start:
                parts.append(text[start:i])
                start = i + len(sep)
    return parts + [text[start:]]


def swept_keys(jobs: Sequence[Sequence[str]]) -> set[str]:
    """The keys a sweep varies: over ``jobs`` (each a job's overrides), those that take more than
    one value, a job that does not set a key counting as one more value."""
    settings = [dict(map(split_override, job)) for job in jobs]  # a key set twice: the later, as Hydra
    return {key for key in set().union(*settings) if len({s.get(key) for s in settings}) > 1}


def is_hydras_own(key: str) -> bool:
    """Whether an override's key (without its '+' or '~') sets Hydra's own settings: hydra.*, or
    one of its groups (hydra/launcher=...), which Hydra keeps apart from the job's config."""
    return key == "hydra" or key.startswith(("hydra.", "hydra/"))


def repeated_keys(overrides: Sequence[str]) -> Iterator[tuple[str, str]]:
    """(earlier, later) for each override that sets a key an earlier one set, as typed; a
    deletion ('~key') is Hydra's own and takes no part. Hydra keeps the later one, silently."""
    seen: dict[str, str] = {}
    for o in overrides:
        if o.startswith("~"):
            continue
        key = split_override(o)[0]
        if key in seen:
            yield seen[key], o
        seen[key] = o


def without_overridden(overrides: Sequence[str]) -> list[str]:
    """``overrides`` without each one that a later one of the same key replaces, as Hydra would
    (the last wins), so that the name Hydra makes of a run's overrides names the value it ran
    with: 'fsm.coaching_quality=0.3,fsm.coaching_quality=0.7' ran 0.7. A later key=value replaces
    an earlier one; a later ++key=value (set, added if need be) replaces any earlier setting of
    the key. An earlier '+key' stays before a later key=value, which needs the key it adds, and
    deletions ('~key') stay."""
    kept: list[str] = []
    later_plain: set[str] = set()
    later_forced: set[str] = set()
    for o in reversed(overrides):
        key = split_override(o)[0]
        if o.startswith("++"):
            if key in later_forced:
                continue
            later_forced.add(key)
        elif o.startswith("+"):
            if key in later_forced:
                continue
        elif not o.startswith("~"):
            if key in later_forced or key in later_plain:
                continue
            later_plain.add(key)
        kept.append(o)
    return kept[::-1]


def list_items(value: str) -> list[str]:
    """The items of a value typed as a list or a single one: ``[a,b]`` or ``a``."""
    return [part.strip() for part in value.strip("[] ").split(",") if part.strip()]


def typed_keys(overrides: Iterable[str]) -> set[str]:
    """The keys ``overrides`` set, as typed ('+' and '~' off)."""
    return {split_override(o)[0].lstrip("+~") for o in overrides}


def adds_key(overrides: list[str], key: str) -> bool:
    """Whether the command line adds ``key`` with '+' or '++' (``+org=large``)."""
    return any(o.startswith("+") and split_override(o)[0] == key for o in overrides)


def typed_value(overrides: list[str], key: str) -> str:
    """The value typed for ``key`` (the last, as Hydra uses it); "" when it is not typed."""
    return next((value for name, value in map(split_override, reversed(overrides)) if name == key), "")


def typed_override(overrides: list[str], key: str) -> tuple[str, Any]:
    """The key and value of the override an error is about, as the user typed them (the last of a
    repeated key: Hydra uses the last). OmegaConf may name only a part of the typed key (``foo``
    for ``+market.segments.foo.complexity``); ``(key, "?")`` when the value came from a file."""
    typed = [split_override(o) for o in reversed(overrides)]
    for name, value in typed:
        if name == key:
            return name, value
    for name, value in typed:
        if f".{key}." in f".{name}.":
            return name, value
    for name, value in typed:  # the key is inside a mapping typed whole: org={sellers:20,foo:1}
        if key.startswith(name + "."):
            inner = inside_typed_mapping(value, key[len(name) + 1:].split("."))
            if inner is not NOT_TYPED:
                return key, inner
    return key, "?"


NOT_TYPED = object()


def inside_typed_mapping(value: str, path: list[str]) -> Any:
    """The item at ``path`` of a mapping typed on the command line, as Hydra reads it; NOT_TYPED
    where the value is no mapping or lacks the path."""
    try:
        node = overrides_parser().parse_override(f"k={value}").value()
    except (HydraException, ValueError):  # text Hydra cannot read: the caller says "?"
        return NOT_TYPED
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return NOT_TYPED
        node = node[part]
    return node


def under(key: str, sections: Iterable[str]) -> bool:
    """Whether dotted ``key`` is one of ``sections`` or inside one (investment.crm.cost_usd)."""
    return any(key == s or key.startswith(s + ".") for s in sections)
