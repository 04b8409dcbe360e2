"""The commands that run a next step: a sweep made of the compared jobs' own overrides (as Hydra
recorded them) with what the step changes, into a folder beside the compared sweep, and the
comparison to make of it. An analyst copies them instead of working out which settings a job ran.

One Hydra sweep runs the jobs where it runs exactly them: every job has the same keys, and their
values differ in one key at most (its values then become that key's sweep). Jobs that differ in
two keys would be swept as every pairing of their values; they run one by one instead, each a
single run into a job folder of its own (DEST/0, DEST/1, ...), which salessim-compare reads as a
sweep's. Paths are whole, so the commands run from any folder."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

from salessim.overrides import split_outside, split_override
from salessim.sweep_folder import read_yaml

# Keys a job's record holds that say how it was run, not what: copied, sim.resume=true would let the
# new sweep write into a folder that already holds results.
# run control, and the question of the sweep a job ran in: a step's sweep asks its own (a walk
# found a follow-up's question copied into the runs of the steps its report gave)
RUN_CONTROL = ("sim.resume", "experiment_question")


def recorded_overrides(job) -> list[str] | None:
    """A job's overrides as Hydra recorded them, less RUN_CONTROL's; None for a job without a
    record, or one pooled over seeds (several jobs, each its own record)."""
    recorded = getattr(job, "overrides", None)
    if recorded is None or getattr(job, "pooled", False):
        return None
    return [o for o in recorded if split_override(o)[0] not in RUN_CONTROL]


def search_path(job) -> list[str] | None:
    """The config folders a job was run with besides salessim's own (-cd DIR, hydra.searchpath), as
    a hydra.searchpath lists them; [] for none; None where Hydra's record cannot say, or the job
    ran another primary config (-cn), which an override cannot choose."""
    path = getattr(job, "path", None)
    record = read_yaml(Path(path) / ".hydra" / "hydra.yaml") if path is not None else None
    runtime = record.get("hydra", {}).get("runtime") if isinstance(record, dict) else None
    if not isinstance(runtime, dict) or record["hydra"].get("job", {}).get("config_name") != "config":
        return None
    return [f"{source['schema']}://{source['path']}" for source in runtime.get("config_sources") or []
            if isinstance(source, dict) and source.get("provider") not in ("hydra", "main", "schema")]


def sweep_command(runs: Sequence[Sequence[str]], changes: Sequence[str], dest: Path) -> str | None:
    """``salessim -m ...`` running each of ``runs`` (a job's overrides each) with ``changes`` (overrides
    that replace the runs' own of the same key, or are added), into ``dest``; None where one sweep
    cannot run just these (see the module's note), a key they vary in is deleted in one (~KEY), or
    a change would replace it."""
    parsed = [{split_override(o)[0]: o for o in run} for run in runs]
    if not parsed or any(p.keys() != parsed[0].keys() for p in parsed):
        return None
    varying = [k for k in parsed[0] if len({split_override(p[k])[1] for p in parsed}) > 1]
    changed = {split_override(c)[0] for c in changes}
    deleted = any(p[k].startswith("~") for k in varying for p in parsed)
    if len(varying) > 1 or changed & set(varying) or deleted:
        return None
    args = []
    for key, override in parsed[0].items():
        if key in changed:
            continue
        if key in varying:  # the sweep over that key: one value per run, the first run's first
            values = dict.fromkeys(split_override(p[key])[1] for p in parsed)
            override = f"{override.partition('=')[0]}={','.join(values)}"
        args.append(override)
    return shlex.join(["salessim", "-m", *args, *changes, f"hydra.sweep.dir={dest}"])


def run_commands(runs: Sequence[Sequence[str]], changes: Sequence[str], dest: Path) -> list[str] | None:
    """One ``salessim`` run for each of ``runs``, with ``changes`` as sweep_command takes them, into
    ``dest``/0, ``dest``/1, ...: for jobs one sweep cannot run alone; None where a change is itself
    a sweep of values (a single run takes one)."""
    if any(_sweeps(c) for c in changes):
        return None
    changed = {split_override(c)[0] for c in changes}
    return [shlex.join(["salessim", *(o for o in run if split_override(o)[0] not in changed), *changes,
                        f"hydra.run.dir={dest / str(number)}"]) for number, run in enumerate(runs)]


def _sweeps(override: str) -> bool:
    """Whether ``override`` gives several values (a,b; range(...), choice(...) and the like)."""
    value = split_override(override)[1]
    return len(values_of(override)) > 1 or value.split("(")[0] in ("range", "choice", "glob")


def values_of(override: str) -> list[str]:
    """The values an override lists: several for a sweep of them (a,b), else its one value."""
    return split_outside(split_override(override)[1], ",")


def compare_command(dest: Path, baseline: Path, options: Sequence[str] = ()) -> str:
    """The comparison of the step's sweep with the baseline ``baseline`` (a job folder), with the
    compared comparison's own ``options`` (--budget 400000, --confidence 0.9)."""
    return shlex.join(["salessim-compare", str(dest), "--baseline", str(baseline), *options])


def replaced(run: Sequence[str], key: str, value: str) -> list[str] | None:
    """``run`` with its override of ``key`` set to ``value``; None where ``run`` has none."""
    keys = [split_override(o)[0] for o in run]
    if key not in keys:
        return None
    at = keys.index(key)
    return [*run[:at], f"{run[at].partition('=')[0]}={value}", *run[at + 1:]]
