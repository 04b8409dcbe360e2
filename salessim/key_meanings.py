"""What each config key means, beside its value in ``--help``: the doc its schema field carries.

Hydra's ``--help`` lists every key with its default and nothing else; a sales-ops walk could not
tell hours a week from hours a year, or a share from a count, without docs/model.md. The meaning
and unit live where the key is declared (salessim.config, each field's ``metadata["doc"]``), so
the help and the schema cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from typing import Any

# The column the meanings start at, so they read as one column; a longer line puts its own two
# spaces after the value.
MEANING_COLUMN = 44
MEANING_MARK = "  # "
CONFIG_SECTION = "== Config =="


@functools.cache
def _fields(schema: type) -> dict[str, tuple[Any, str]]:
    """A dataclass's fields: their resolved types and docs, a choice's values after its doc (a
    sales-ops walk found market.decision_rule's only in the refusal of a wrong one)."""
    hints = typing.get_type_hints(schema)
    return {f.name: (hints[f.name], f.metadata.get("doc", "") + _choices_said(f.metadata))
            for f in dataclasses.fields(schema)}


def _choices_said(metadata) -> str:
    choices = [str(c) for c in metadata.get("choices") or () if c is not None]
    return f": {' | '.join(choices)}" if choices else ""


def _node(tp: Any) -> Any:
    """What a key's lines below it are: a dataclass's fields, ``("entries", X)`` for a mapping of
    dataclasses (market.segments: each segment's fields), or None (values, or a mapping of them)."""
    if dataclasses.is_dataclass(tp):
        return tp
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) is typing.Union and len(args) == 1:  # Optional[X]
        return _node(args[0])
    if typing.get_origin(tp) is dict and len(args) == 2 and dataclasses.is_dataclass(args[1]):
        return ("entries", args[1])
    return None


def with_meanings(help_text: str, schema: type) -> str:
    """``help_text`` with each key of its config section followed by ``# what it means, unit``.
    The fields of a mapping's entries (each segment's) are explained at their first entry only:
    the same words three times over hid the values that differ."""
    lines, stack, said, section = [], [(-1, schema)], set(), ""
    scalar = -1  # the indent of a key whose value may go on over deeper lines (a long text, wrapped)
    for line in help_text.splitlines(keepends=True):
        if line.startswith("== "):
            section, stack, scalar = line, [(-1, schema)], -1
        body = line.rstrip("\n")
        indent = len(body) - len(body.lstrip())
        if body.strip() and indent > scalar >= 0:  # a wrapped value's next line: its meaning moves on
            lines[-1], line = _moved_meaning(lines[-1], body)
            lines.append(line)
            continue
        scalar = -1
        key, colon, value = body.strip().partition(":")
        if not section.startswith(CONFIG_SECTION) or not colon or body.lstrip().startswith("- "):
            lines.append(line)
            continue
        if value.strip():
            scalar = indent
        while stack[-1][0] >= indent:
            stack.pop()
        parent, doc, node = stack[-1][1], "", None
        if isinstance(parent, tuple):  # a segment's name: its fields follow
            node = parent[1]
        elif parent is not None and key in _fields(parent):
            tp, doc = _fields(parent)[key]
            node = _node(tp)
            if (parent, key) in said:
                doc = ""
            said.add((parent, key))
        stack.append((indent, node))
        lines.append(_with_meaning(body, doc) if doc else line)
    return "".join(lines)


def _with_meaning(body: str, doc: str) -> str:
    return f"{body.ljust(MEANING_COLUMN - 2)}{MEANING_MARK}{doc}\n"


def _moved_meaning(previous: str, body: str) -> tuple[str, str]:
    """The line before and ``body``, a wrapped value's next line, with the meaning moved from the
    one to the other: written after the value's first line, it ended a plain text early (the YAML
    no longer read) or became part of a quoted one (a review)."""
    head, mark, doc = previous.rstrip("\n").partition(MEANING_MARK)
    if not mark:
        return previous, body + "\n"
    return head.rstrip() + "\n", _with_meaning(body, doc)
