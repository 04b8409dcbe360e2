"""What each compared investment assumes: every setting the model reads for it, with what the
setting means and its value in each job that holds it. A comparison's results follow from these
effect sizes and costs, which are assumptions (docs/model.md, section 16.9, gives the shipped
values' sources): a strategist weighing a ranking needs them beside it, not in a YAML file."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from salessim.model.levers import KINDS, settings
from salessim.report_table import setting_said

TIMING = ("start_month", "rollout_months")


@dataclass
class Assumed:
    """One investment of a comparison: what it is, which jobs hold it, and its settings as
    (setting, what it means, the value in words, with the jobs it holds in when they differ)."""
    name: str
    kind: str
    description: str
    jobs: list[str]
    settings: list[tuple[str, str, str]]


def investments_assumed(jobs: list) -> list[Assumed]:
    """Every investment a job of ``jobs`` holds (each with ``name``, ``config`` and ``cfg``), by
    name; its settings in the order a reader weighs them: the effect, its scale, its timing,
    then what it costs."""
    held: dict[str, list] = {}
    for j in jobs:
        for name in (j.config.get("investment") or {}):
            held.setdefault(name, []).append(j)
    return [_assumed(name, holders) for name, holders in sorted(held.items())]


def _assumed(name: str, holders: list) -> Assumed:
    raws = [holder.config["investment"][name] or {} for holder in holders]
    kind = str(raws[0].get("kind", ""))
    meanings, defaults = _schema(kind, raws)
    values: dict[str, dict[str, list[str]]] = {}  # setting -> value said -> jobs
    for holder, raw in zip(holders, raws):
        for key in meanings:
            said = _said(key, raw.get(key, defaults.get(key)), holder.cfg.sim.warmup_months)
            values.setdefault(key, {}).setdefault(said, []).append(holder.name)
    # A term no holder sets (a plan's accelerator left as it was, content's roles by share) says nothing.
    unset = {key for key in meanings if key != "start_month"
             and all(raw.get(key, defaults.get(key)) is None for raw in raws)}
    rows = [(key, meanings[key], _by_job(values[key])) for key in sorted(meanings, key=_weighed)
            if key not in unset]
    return Assumed(name=name, kind=kind, description=str(raws[0].get("description") or ""),
                   jobs=[h.name for h in holders], settings=rows)


def _schema(kind: str, raws: list[dict]) -> tuple[dict[str, str], dict[str, Any]]:
    """The settings of ``kind`` with what each means, and their defaults. A kind this salessim does
    not know (a job of another version) shows the settings its jobs gave, without meanings."""
    lever = KINDS.get(kind)
    if lever is None:
        keys = dict.fromkeys(k for raw in raws for k in raw if k not in ("kind", "description"))
        return {k: "" for k in keys}, {}
    taken = settings(kind)
    fields = [f for f in dataclasses.fields(lever.spec_class)
              if f.name in taken and f.name not in ("kind", "description")]
    defaults = {f.name: f.default if f.default is not dataclasses.MISSING else f.default_factory()
                for f in fields if f.default is not dataclasses.MISSING
                or f.default_factory is not dataclasses.MISSING}
    return {f.name: f.metadata.get("doc", "") for f in fields}, defaults


def _weighed(key: str) -> tuple[int, str]:
    """Effect settings first, then effect_scale, the timing, and the costs last."""
    if key in TIMING:
        return 2, str(TIMING.index(key))
    if "cost" in key or key.startswith("license"):
        return 3, key
    return (1 if key == "effect_scale" else 0), ""  # the schema's own order within the effects


def _said(key: str, value: Any, warmup_months: int) -> str:
    if key == "start_month" and value is None:
        return f"the end of the warm-up (month {warmup_months})"
    if value is None:
        return "unset"
    if isinstance(value, (list, tuple)):  # a content's roles
        return ", ".join(map(str, value)) or "none"
    return setting_said(value)


def _by_job(said: dict[str, list[str]]) -> str:
    """One value, or each value with the jobs that hold it: '0.5 (job 3); 1 (jobs 4, 5)'."""
    if len(said) == 1:
        return next(iter(said))
    return "; ".join(f"{value} (job{'s' if len(jobs) > 1 else ''} {', '.join(jobs)})"
                     for value, jobs in said.items())
