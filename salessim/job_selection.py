"""The jobs a comparison keeps, and the baseline it measures them against.

A sweep that crosses investments with another setting (a horizon, a warm-up, an assumption such
as ``market.forms.complex_adaptive_weight``) ranks every job against one baseline, so a row at
another value of that setting mixes the setting's change with the investment's. ``--years``,
``--warmup-months`` and ``--at KEY=VALUE`` keep the jobs at one value (:class:`Selection`), measured
against the baseline's configuration at it (:func:`in_selection`); the plain comparison's notes
give the commands that do (:func:`window_baseline_note`, :func:`setting_baseline_note`).
"""

from __future__ import annotations

import dataclasses
import math
import re
import shlex
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from salessim.config import MISSING, changed_settings, flatten
from salessim.errors import AsTyped, UserError, first_few, meant_key_said, nearest_name
from salessim.overrides import split_outside, split_override, under
from salessim.plural import and_listed, counted
from salessim.sweep_folder import NOT_DIFFERENCES, OUT_NAME, SOURCE_SUFFIX, Job, job_choices

WINDOW_KEYS = ("sim.years", "sim.warmup_months")
# What --at does not select by: the window has its own options, and an investment's settings exist
# only in the jobs that select it (measured against a baseline run apart: README).
_NOT_AT = (*WINDOW_KEYS, "investment")


def window_of(job: Job) -> tuple[float, int]:
    """What a job's yearly figures measure: its horizon and the warm-up left out of it."""
    return job.cfg.sim.years, job.cfg.sim.warmup_months


def setting_of(job: Job, key: str) -> Any:
    """The value ``job`` ran ``key`` at (a dotted key of its validated config, as ``flatten`` names
    its settings); MISSING if none, or if the key names a section rather than a setting. Looked up
    along the key, not by flattening the whole config at each call."""
    node: Any = job.cfg
    for part in key.split("."):
        node = node.get(part, MISSING) if isinstance(node, dict) else getattr(node, part, MISSING)
        if node is MISSING:
            return MISSING
    return MISSING if dataclasses.is_dataclass(node) or isinstance(node, dict) and node else node


def _typed(job: Job) -> dict[str, str]:
    """The overrides ``job`` was run with, key to value as typed: Hydra's record of them, else the
    job's name, which is made of them (a run whose record was not kept, hydra.output_subdir=null)."""
    named = SOURCE_SUFFIX.sub("", job.scenario)
    typed = job.overrides if job.overrides is not None else split_outside(named, ",")
    return dict(split_override(o) for o in typed if "=" in o)


def choice_of(job: Job, group: str) -> Any:
    """The config ``job`` chose for config group ``group`` (org: small), as Hydra's record of the
    job has it, else as typed; MISSING if neither says."""
    chosen = job_choices(job.path).get(group, MISSING)
    return _typed(job).get(group, MISSING) if chosen is MISSING else chosen


def value_at(job: Job, key: str) -> Any:
    """What ``job`` ran ``key`` at: a setting's value, or, for a config group (org), the config it
    chose (small); MISSING if neither."""
    value = setting_of(job, key)
    return choice_of(job, key) if value is MISSING else value


def _from_choices(baseline: Job, job: Job, apart: set[str], keys: tuple[str, ...]) -> bool:
    """Whether the settings in ``apart``, where ``job`` differs from the baseline, are ``keys``
    themselves or come from the configs chosen for those of them that are groups: none typed on
    either's command line (org=small with org.skill_mean=0.6 is not the baseline's configuration
    at org=small, a review found)."""
    typed = set(_typed(baseline)) | set(_typed(job))
    return all(k in keys or under(k, keys) and k not in typed for k in apart)


def as_typed(value: Any) -> str:
    """A setting's value as it is typed in an override (``true``, ``0.2``, ``soft_veto``, ``null``,
    ``[economic_buyer]``), to be typed back into --at."""
    if value is None:
        return "null"
    if isinstance(value, (list, tuple)):
        return f"[{','.join(as_typed(v) for v in value)}]"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):  # 12 as typed, not 12.0; 0.1 + 0.2 whole
        short = f"{value:g}"
        return short if float(short) == value else repr(value)
    return str(value)


def in_value_order(value: Any) -> tuple:
    """A sort key for values of one setting: null first, numbers by size (2 before 10), others by
    their text."""
    if value is None:
        return (-1, 0, "")
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)
    return (0, value, "") if is_number else (1, 0, as_typed(value))


@dataclass(frozen=True)
class Selection:
    """The jobs a comparison keeps: those of a horizon and warm-up (--years, --warmup-months) and
    at a value of other settings (--at KEY=VALUE); None, or no settings: any."""
    years: float | None = None
    warmup_months: int | None = None
    settings: tuple[tuple[str, Any], ...] = ()

    @property
    def asked(self) -> bool:
        return self.years is not None or self.warmup_months is not None or bool(self.settings)

    @property
    def keys(self) -> tuple[str, ...]:
        """The settings whose values the selection fixes."""
        return (*(k for k, v in zip(WINDOW_KEYS, (self.years, self.warmup_months)) if v is not None),
                *(k for k, _ in self.settings))

    def holds(self, job: Job) -> bool:
        """Whether ``job`` is one of the selection; a job whose config could not be read is kept, to
        be listed as incomplete rather than dropped unseen."""
        if job.cfg is None:
            return True
        years, warmup = window_of(job)
        return (self.years in (None, years) and self.warmup_months in (None, warmup)
                and all(value_at(job, key) == value for key, value in self.settings))

    def of(self, job: Job) -> Selection:
        """The selection of the same kind that holds ``job``: its whole window where a window is
        asked, and its values of the settings asked."""
        years, warmup = window_of(job) if self.years is not None or self.warmup_months is not None else (None, None)
        return Selection(years, warmup, tuple((key, value_at(job, key)) for key, _ in self.settings))

    def order(self) -> tuple:
        """A sort key: by window, then by the settings' values."""
        return (self.years or 0.0, self.warmup_months or 0, *(in_value_order(v) for _, v in self.settings))

    @property
    def options(self) -> str:
        return " ".join([*(f"--{name} {value:g}" for name, value in
                           (("years", self.years), ("warmup-months", self.warmup_months)) if value is not None),
                         *(f"--at {key}={as_typed(value)}" for key, value in self.settings)])

    @property
    def window_said(self) -> str:
        parts = [counted(self.years, 'year', fmt='g') if self.years is not None else "",
                 f"a {self.warmup_months}-month warm-up" if self.warmup_months is not None else ""]
        return " with ".join(p for p in parts if p)

    @property
    def settings_said(self) -> str:
        return ", ".join(f"{key}={as_typed(value)}" for key, value in self.settings)

    @property
    def kept_said(self) -> str:
        """'the jobs measuring 1.5 years', 'the jobs at market.forms.x=0.6', or both."""
        return " ".join(["the jobs", *([f"measuring {self.window_said}"] if self.window_said else []),
                         *([f"at {self.settings_said}"] if self.settings else [])])

    @property
    def said(self) -> str:
        """What the selected jobs run: 'measures 1.5 years', 'runs market.forms.x=0.6', or both."""
        return " and ".join([*([f"measures {self.window_said}"] if self.window_said else []),
                             *([f"runs {self.settings_said}"] if self.settings else [])])

    @property
    def folder_name(self) -> str:
        """comparison_1.5y, comparison_market.forms.complex_adaptive_weight_0.6."""
        return OUT_NAME + self.named_as

    @property
    def named_as(self) -> str:
        """What the comparison's folder, and its next steps' sweeps, add to their names: '_1.5y',
        '_market.forms.complex_adaptive_weight_0.6', '' for all the jobs; in characters a command
        line types unquoted (Hydra reads '=' and ',' in a value as its own)."""
        return "".join([*(f"_{value:g}{unit}" for value, unit in
                          ((self.years, "y"), (self.warmup_months, "m")) if value is not None),
                        *(re.sub(r"[^\w.\-]+", "_", f"_{key}_{as_typed(value)}")
                          for key, value in self.settings)])


def differences(baseline: Job, job: Job) -> set[str]:
    """The settings ``job`` runs otherwise than the baseline, what only names or steers a run aside."""
    return {k for k, _, _ in changed_settings(asdict(baseline.cfg), asdict(job.cfg)) if k not in NOT_DIFFERENCES}


def same_but(baseline: Job, job: Job, keys: tuple[str, ...] = WINDOW_KEYS) -> bool:
    """Whether ``job`` runs the baseline's configuration at other values of ``keys`` (by default,
    over another window): its settings differ from the baseline's in some of them alone."""
    apart = differences(baseline, job)
    return bool(apart) and _from_choices(baseline, job, apart, keys)


def refuse_unknown_settings(selection: Selection, jobs: list[Job]) -> None:
    """--at KEY=VALUE names a setting the sweep's jobs run at different values, or is refused in
    one line naming those there are."""
    if not selection.settings:  # a window alone: its own options' checks
        return
    read = [j for j in jobs if j.cfg is not None]
    values: dict[str, set] = {}
    for j in read:
        for key, value in flatten(asdict(j.cfg)).items():
            values.setdefault(key, set()).add(as_typed(value))
    varied = [k for k, seen in values.items() if len(seen) > 1 and k not in NOT_DIFFERENCES
              and not under(k, _NOT_AT)]
    # the groups the jobs choose differently (org=small), among the sections of those settings
    varied = sorted({*varied, *(g for g in {k.split(".")[0] for k in varied}
                                if len({as_typed(choice_of(j, g)) for j in read} - {MISSING}) > 1)})
    for key, value in selection.settings:
        if key in varied:
            continue
        group = sorted(k for k in values if k.startswith(key + "."))
        alike = choice_of(read[0], key) if read else MISSING
        why = ("is a window: select it with --years or --warmup-months" if key in WINDOW_KEYS else
               "is what the comparison ranks: each investment is a row of its own" if key == "investment" else
               "is an investment's setting, in the jobs that select it alone: sweep it without the "
               "baseline and name a baseline run with --baseline" if key.startswith("investment.") else
               "is run at one value by every job" if key in values else
               f"is a group of settings every job chooses alike ({as_typed(alike)}): select by one of "
               "its settings" if group and alike is not MISSING else
               f"is a group of settings ({first_few(group, 2)}): select by one of them" if group else
               "is no setting of this sweep's jobs")
        meant = nearest_name(key, varied) if why.startswith("is no setting") else None
        typed = AsTyped(as_typed(value))
        allowed = (f"a setting its jobs run at different values, or a group they choose differently: "
                   f"{first_few(varied, 6)}" if varied
                   else "none: its jobs differ in no setting but their window or investments")
        raise UserError(f"--at {key}={as_typed(value)}: {key} {why} "
                        f"({meant_key_said(meant, typed) if meant else ''}allowed: {allowed})")


def in_selection(selection: Selection, jobs: list[Job], baseline: Job, reason: str,
                 named: str | None) -> tuple[list[Job], Job, str, int]:
    """The jobs of ``selection``, its baseline and why, and how many jobs were left out. The
    baseline is the one chosen, if the selection holds it; else, unless it was ``named``
    (--baseline), the finished job of the selection that runs its configuration."""
    refuse_unknown_settings(selection, jobs)
    kept = [j for j in jobs if selection.holds(j)]
    # it wrote the plain comparison again; a job whose config is unread (unfinished) may be another window's
    if not selection.settings and len(kept) == len(jobs) and all(j.cfg is not None for j in jobs):
        raise UserError(f"{selection.options} keeps every job of this sweep: they all measure that window "
                        "(allowed: a window the jobs differ in; with one window, the plain comparison, "
                        "without the option, compares them all)")
    if not any(j.cfg is not None for j in kept):
        offered = {s.options: s for s in (selection.of(j) for j in jobs if j.cfg is not None)}
        raise UserError(f"{selection.options} keeps no job of this sweep (allowed: what its jobs run: "
                        f"{', '.join(s.options for s in sorted(offered.values(), key=Selection.order))})")
    if baseline in kept:
        return kept, baseline, reason, len(jobs) - len(kept)
    if named is not None:
        raise UserError(f"--baseline {named} ({baseline.label}) {selection.of(baseline).said}, outside "
                        f"{selection.options} (allowed: a baseline the comparison keeps, or no --baseline: "
                        "the baseline's configuration there)")
    own = next((j for j in kept if not j.problem and same_but(baseline, j, selection.keys)), None)
    if own is None:
        raise UserError(f"{selection.options}: no finished job it keeps runs the baseline's configuration "
                        f"({baseline.label}) (allowed: a selection with such a job, or --baseline "
                        "NAME_OR_JOB of the jobs it keeps)")
    where = " ".join([*([f"run over {selection.window_said}"] if selection.window_said else []),
                      *([f"at {selection.settings_said}"] if selection.settings else [])])
    at_baseline = selection.of(baseline)
    apart = Selection(settings=tuple(s for s, kept in zip(at_baseline.settings, selection.settings)
                                     if as_typed(s[1]) != as_typed(kept[1])))
    other_window = any(asked is not None and asked != ran for asked, ran in
                       ((selection.years, at_baseline.years), (selection.warmup_months, at_baseline.warmup_months)))
    other = " and ".join([*(["measures another window"] if other_window else []),
                          *([f"runs {apart.settings_said}"] if apart.settings else [])])
    return (kept, own, f"the configuration of the sweep's baseline {where} (the sweep's baseline itself, "
                       f"{baseline.label}, {other})", len(jobs) - len(kept))


def window_baseline_note(sweep: Path, baseline: Job, others: list[Job]) -> list[str]:
    """When other windows hold a job of the baseline's configuration: the commands that compare
    each window's jobs with the baseline's configuration over it (the baseline's window too)."""
    own = sorted({window_of(j) for j in others if same_but(baseline, j)} - {window_of(baseline)})
    if not own:
        return []
    commands = [f"salessim-compare {shlex.quote(str(sweep))} {Selection(*w).options}"
                for w in sorted([window_of(baseline), *own])]
    return ["To compare each window's scenarios with the baseline's configuration over that window, "
            f"paired at one horizon and warm-up: {'; '.join(commands)}."]


def _the_one_difference(baseline: Job, job: Job) -> str | None:
    """What ``job`` runs otherwise than the baseline, when it is one thing: the config it chose
    for a group (org=small, as the jobs' names say it), or a single setting; else None."""
    apart = differences(baseline, job)
    group = {k.split(".")[0] for k in apart}
    # typed settings first: a sweep of fsm.span_of_control reads no job's record of its choices
    if len(group) == 1 and _from_choices(baseline, job, apart, (g := group.pop(),)) \
            and choice_of(job, g) not in (MISSING, choice_of(baseline, g)):
        return g
    return apart.pop() if len(apart) == 1 else None


@dataclass
class CrossedSetting:
    """A setting the sweep crosses with its scenarios: it runs the baseline's configuration at
    other values of ``key`` (``twins``: an assumption's own rows) and other scenarios at those
    values too (``crossed``), whose rows mix the setting's change with their own."""
    key: str
    at: list[str]  # the values the baseline's configuration runs at, as typed, in order
    twins: dict[str, str]  # scenario -> its value: the baseline's configuration at another value
    crossed: list[Job]
    commands: list[str]  # salessim-compare ... --at KEY=VALUE, a value each


def crossed_settings(sweep: Path, baseline: Job, others: list[Job]) -> list[CrossedSetting]:
    """The settings the sweep crosses with its scenarios, one at a time (an assumption, a span)."""
    found = []
    twins: dict[str, list[Job]] = {}
    for j in others:
        key = _the_one_difference(baseline, j)
        if key is not None and not under(key, _NOT_AT):
            twins.setdefault(key, []).append(j)
    for key, own in twins.items():
        values = {as_typed(value_at(j, key)) for j in own}
        crossed = [j for j in others if j not in own and as_typed(value_at(j, key)) in values]
        if not crossed:  # a sweep of the setting alone: its rows are the setting's own effect
            continue
        # by their text: a list (enablement.content_roles) is no member of a set
        by_text = {as_typed(v): v for v in (value_at(j, key) for j in [baseline, *own])}
        at = sorted(by_text, key=lambda text: in_value_order(by_text[text]))
        commands = [f"salessim-compare {shlex.quote(str(sweep))} --at {shlex.quote(f'{key}={v}')}" for v in at]
        found.append(CrossedSetting(key, at, {j.scenario: as_typed(value_at(j, key)) for j in own},
                                    crossed, commands))
    return found


def setting_baseline_note(crossed: list[CrossedSetting]) -> list[str]:
    """Each crossed setting's rows mix its change with the scenarios' own: the commands that
    compare each value's jobs with the baseline's configuration at it, one setting at a time."""
    notes = []
    for c in crossed:
        crossed_at = sorted({as_typed(value_at(j, c.key)) for j in c.crossed}, key=c.at.index)
        notes.append(f"{c.key}: the sweep runs the baseline's configuration at {and_listed(c.at)}, and other "
                     f"scenarios at {and_listed(crossed_at)} too, so their rows here mix its change with their "
                     f"own ({first_few([j.label for j in c.crossed], 2, '; ')}). To measure each scenario "
                     f"against the baseline's configuration at its own value: {'; '.join(c.commands)}.")
    return notes
