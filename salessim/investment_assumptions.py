"""What each compared investment assumes: every setting the model reads for it, with what the
setting means and its value in each job that holds it. A comparison's results follow from these
effect sizes and costs, which are assumptions (docs/model.md, 'The shipped investments', gives the shipped
values' sources): a strategist weighing a ranking needs them beside it, not in a YAML file."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from salessim.model.levers import KINDS, settings
from salessim.plural import plural
from salessim.report_table import setting_said
from salessim.sweep_folder import recorded_investments

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
    meanings, defaults = _schema(kind)
    ran = [_settings_ran(holder, name, raw, defaults) for holder, raw in zip(holders, raws)]
    keys = list(dict.fromkeys([*meanings, *(key for values in ran for key in values)]))
    said: dict[str, dict[str, list[str]]] = {}  # setting -> value said -> jobs
    for holder, values in zip(holders, ran):
        for key in keys:
            value = (_said(key, values.get(key), holder.cfg.sim.warmup_months)
                     + (_field_seats_said(key, values, holder.cfg) if kind == "coverage" else ""))
            said.setdefault(key, {}).setdefault(value, []).append(holder.name)
    # A term no holder sets (a plan's accelerator left as it was, content's roles by share) says nothing.
    unset = {key for key in keys if key != "start_month" and all(values.get(key) is None for values in ran)}
    rows = [(key, meanings.get(key, ""), _by_job(said[key])) for key in sorted(keys, key=_weighed)
            if key not in unset]
    return Assumed(name=name, kind=kind, description=str(raws[0].get("description") or ""),
                   jobs=[h.name for h in holders], settings=rows)


def _settings_ran(holder, name: str, raw: dict, defaults: dict) -> dict:
    """The settings ``holder``'s job ran the investment with: as its manifest recorded them (every
    setting, with the defaults of the salessim that ran it and the start month resolved), or, for
    a job that recorded none, its file's settings over today's defaults."""
    recorded = recorded_investments(holder) or {}
    values = recorded.get(name) if isinstance(recorded.get(name), dict) else {**defaults, **raw}
    return {key: value for key, value in values.items() if key not in ("kind", "description")}


def _schema(kind: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The settings of ``kind`` with what each means, and their defaults; none for a kind this
    salessim does not know (a job of another version)."""
    lever = KINDS.get(kind)
    if lever is None:
        return {}, {}
    taken = settings(kind)
    meanings = {f.name: f.metadata.get("doc", "") for f in dataclasses.fields(lever.spec_class)
                if f.name in taken and f.name not in ("kind", "description")}
    defaults = dataclasses.asdict(lever.spec_class())  # every setting has a default
    return meanings, {key: defaults[key] for key in meanings}


def _weighed(key: str) -> tuple[int, str]:
    """Effect settings first, then effect_scale, the timing, and the costs last."""
    if key in TIMING:
        return 2, str(TIMING.index(key))
    if "cost" in key or key.startswith("license"):
        return 3, key
    return (1 if key == "effect_scale" else 0), ""  # the schema's own order within the effects


def _said(key: str, value: Any, warmup_months: int) -> str:
    if key == "start_month" and value in (None, warmup_months):  # build() starts it then when unset
        return f"month {warmup_months}, the end of the warm-up"
    if value is None:
        return "unset"
    if isinstance(value, (list, tuple)):  # a content's roles
        return ", ".join(map(str, value)) or "none"
    return setting_said(value)


# A coverage role's pay and quota replace those of the segment's seats: a strategist's walk read
# inside sales' 75,000 without learning that the SMB sellers it converts earn 110,000 now.
FIELD_TERMS = ("on_target_earnings_usd", "quota_usd")


def _field_seats_said(key: str, values: dict, cfg) -> str:
    """' (the segment's field seats: 110,000)' beside a coverage role's pay or quota."""
    field_terms = getattr(getattr(cfg, "compensation", None), key, None) if key in FIELD_TERMS else None
    now = field_terms.get(values.get("segment")) if isinstance(field_terms, dict) else None
    return "" if now is None else f" (the segment's field seats: {setting_said(now)})"


def _by_job(said: dict[str, list[str]]) -> str:
    """One value, or each value with the jobs that hold it: '0.5 (job 3); 1 (jobs 4, 5)'."""
    if len(said) == 1:
        return next(iter(said))
    return "; ".join(f"{value} ({plural(len(jobs), 'job')} {', '.join(jobs)})"
                     for value, jobs in said.items())
