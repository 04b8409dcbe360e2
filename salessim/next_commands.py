"""The commands that run a next step: a sweep made of the compared jobs' own overrides (as Hydra
recorded them) with what the step changes, into a folder beside the compared sweep, and the
comparison to make of it. An analyst copies them instead of working out which settings a job ran.

A command is made only where one Hydra sweep runs exactly the jobs asked for: every job has the same
keys, and their values differ in one key at most (its values then become that key's sweep). Jobs
that differ in two keys would be swept as every pairing of their values, so they get no command."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from salessim.compose import split_override


def sweep_command(runs: Sequence[Sequence[str]], changes: Sequence[str], dest: Path) -> str | None:
    """``salessim -m ...`` running each of ``runs`` (a job's overrides each) with ``changes`` (overrides
    that replace the runs' own of the same key, or are added), into ``dest``; None where one sweep
    cannot run just these (see the module's note) or a change would replace the key they vary in."""
    parsed = [dict(_keyed(o) for o in run) for run in runs]
    if not parsed or any(p.keys() != parsed[0].keys() for p in parsed):
        return None
    varying = [k for k in parsed[0] if len({p[k] for p in parsed}) > 1]
    changed = dict(_keyed(c) for c in changes)
    if len(varying) > 1 or set(varying) & changed.keys():
        return None
    args = []
    for key, override in parsed[0].items():
        if key in changed:
            continue
        if key in varying:  # the sweep over that key: one value per run, the first run's first
            values = dict.fromkeys(p[key].partition("=")[2] for p in parsed)
            override = f"{override.partition('=')[0]}={','.join(values)}"
        args.append(override)
    return shlex.join(["salessim", "-m", *args, *changes, f"hydra.sweep.dir={dest}"])


def compare_command(dest: Path, baseline: Path) -> str:
    """The comparison of the step's sweep with the baseline ``baseline`` (a job folder)."""
    return shlex.join(["salessim-compare", str(dest), "--baseline", str(baseline)])


def replaced(run: Sequence[str], key: str, value: str) -> list[str] | None:
    """``run`` with its override of ``key`` set to ``value``; None where ``run`` has none."""
    keys = [_keyed(o)[0] for o in run]
    if key not in keys:
        return None
    at = keys.index(key)
    return [*run[:at], f"{run[at].partition('=')[0]}={value}", *run[at + 1:]]


def _keyed(override: str) -> tuple[str, str]:
    """An override by the key it sets, whether typed plain, with + or ++ (add) or ~ (delete)."""
    return split_override(override)[0], override
