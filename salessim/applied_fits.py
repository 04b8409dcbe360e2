"""The calibrated fits a command applies (``+calibrated=NAME``): where each comes from, what a
command is told when it applies one on another setup than the study's, and what its scaled
levels replace there.

A fit holds parameters only: applied to another organization or horizon than the study ran
(``org.sellers``, ``sim.years``, ``sim.warmup_months``: its header's "Fitted with" line), it runs
as it is, and need not meet the targets there. A command that does so is told, once per setup.

A fit's name is one file that a later study of the same name replaces, so a run records which
fit it ran (its header's study, trials and objective, the setup it was fitted with, and the
file's SHA-256) in its manifest: two runs of ``+calibrated=NAME`` may have run different fits.

A parameter fitted with ``mode: scale`` (the quota level: every segment's quota times one factor)
goes into the fit's file as the values it gave, the study's own levels times the factor: a config
file cannot say "times". Run on an organization whose levels differ (a compensation preset of
its own), the fit would replace them with the study's levels times the factor, silently. So the
fit's header records, for each such key, the study's level and the factor, and a command that
applies the fit to other levels is told so, with the settings that scale its own levels instead.

Fits are applied in the order listed, the last value of a key winning. A fit made on top of
others (its study ran with ``+calibrated=OLD``) was fitted with their values in place: its header
says how to run it ('+calibrated=[OLD,NEW]') and records their files' SHA-256, and a command is
told when it lists fits made apart, lists them out of order, leaves out or changes a fit another
was made on top of, or lists a fit whose every key a later one sets again.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shlex
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from salessim.calibration.targets import OUTCOME_SHARES
from salessim.compose import compose_config
from salessim.config import flatten
from salessim.errors import first_few
from salessim.overrides import list_items, override_value, split_outside, split_override, typed_keys, under
from salessim.plural import and_listed, counted, plural
from salessim.summary import base_metric

FIT_LINE = "# Calibrated by salessim-calibrate: "
STUDY_LINE = "# Study: "
FITTED_LINE = "# Fitted with "  # the study's settings: sim.years=..., org.sellers=..., ...
SCALED_LINE = "# Scaled (the study's level and the factor fitted, by key): "
USE_LINE = "# Use: "  # how to run the fit; a fit made on top of others runs '+calibrated=[OLD,NEW]'
# Which figures a fit was made to, as labels (metric [condition]) separated by ", ": a validation
# checks the fit on others (docs/calibration.md, section 5), and salessim-compare says so.
TARGETS_LINE = "# Targets fitted (validate on figures and relationships not among them): "
# Targets of weight 0, simulated and shown beside the fit but not fitted: figures to validate on.
MONITORED_LINE = "# Targets monitored (weight 0, not fitted): "
# Each target's figure and its source, as JSON by label ({"win_rate": [0.466, "CSO Insights ..."]}):
# salessim-compare quotes them where runs of the fit are read against them (a researcher's walk
# read "the survey's figure" with no figure and no survey named).
FIGURES_LINE = "# Figures (JSON by target: value, source): "
# The fits a study ran on top of, each with the SHA-256 of its file then: one changed since (its
# study run again) no longer holds the values the fit was made with.
ON_TOP_LINE = "# Made on top of (each fit's file by its SHA-256): "
# How the fit met its targets over its fit's replications, as JSON: the fitted targets within two
# standard errors ("met" of "fitted") and the objective beside the model's as set up before the
# study ("objective", "setup_objective"); a run of a fit that missed most or did not beat its
# start says so (weak_fits: a walk ran a fit meeting 0 of 3 targets without a word).
QUALITY_LINE = "# Fit over its final replications: "
HEADER_LINES = 13  # a fit's header is its first lines


def scaled_line(scaled: dict[str, tuple[float, float]]) -> str:
    """The header line of a fit's file that records its scaled keys ("" when it has none)."""
    if not scaled:
        return ""
    return SCALED_LINE + json.dumps({key: [base, factor] for key, (base, factor) in scaled.items()}) + "\n"


def header_line(path: Path, start: str) -> str | None:
    """The rest of the header line of a fit's file that begins with ``start``; None if none does."""
    try:
        head = path.read_text().splitlines()[:HEADER_LINES]
    except (OSError, UnicodeDecodeError):
        return None
    return next((line[len(start):] for line in head if line.startswith(start)), None)


def files_hashed(fits: list[tuple[str, Path]]) -> dict[str, str]:
    """Each fit (fit_files) by name, with the SHA-256 of its file now."""
    return {name: file_sha256(path) for name, path in fits}


def on_top_line(hashes: dict[str, str]) -> str:
    """The header line of a fit's file that records the fits its study ran on top of (files_hashed,
    as the study began; "" when none)."""
    return ON_TOP_LINE + json.dumps(hashes) + "\n" if hashes else ""


def _on_top_hashes(path: Path) -> dict[str, str]:
    """The fits a fit's file records it was made on top of, by name, with their files' SHA-256."""
    try:
        found = json.loads(header_line(path, ON_TOP_LINE) or "{}")
    except ValueError:  # edited by hand: nothing to say rather than a wrong word
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def scaled_of(path: Path) -> dict[str, tuple[float, float]]:
    """The scaled keys a fit's file records: key -> (the study's level, the factor)."""
    line = header_line(path, SCALED_LINE)
    if line is None:
        return {}
    try:
        return {key: (float(base), float(factor)) for key, (base, factor) in json.loads(line).items()}
    except (ValueError, TypeError):  # edited by hand: nothing to say rather than a wrong word
        return {}


def fit_files(job: list[str], hydra_node: DictConfig) -> list[tuple[str, Path]]:
    """Each fit the job's ``+calibrated=...`` names, with the file Hydra took it from: the first
    folder of the config search path that has ``calibrated/NAME.yaml``."""
    names = [name for key, value in map(split_override, job) if key == "calibrated"
             for name in list_items(value)]
    folders = [Path(source.path) for source in hydra_node.runtime.config_sources
               if source.schema == "file" and source.path]
    found = []
    for name in names:
        path = next((f / "calibrated" / f"{name}.yaml" for f in folders
                     if (f / "calibrated" / f"{name}.yaml").is_file()), None)
        if path is not None:
            found.append((name, path))
    return found


def provenance(fits: list[tuple[str, Path]]) -> list[dict[str, str]]:
    """Which fit each name held when the run read it: for its manifest. A header line the file
    lacks (a fit written by hand, or by an older salessim-calibrate) is ""."""
    return [{"name": name, "file": str(path.resolve()), "fit": header_line(path, FIT_LINE) or "",
             "study": header_line(path, STUDY_LINE) or "",
             "fitted_with": (header_line(path, FITTED_LINE) or "").rstrip("."),
             "targets": header_line(path, TARGETS_LINE) or "",
             "monitored": header_line(path, MONITORED_LINE) or "",
             "figures": header_line(path, FIGURES_LINE) or "", "sha256": file_sha256(path)}
            for name, path in fits]


def file_sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # gone since Hydra read it: nothing to vouch for
        return ""


def fits_changed(recorded: list) -> tuple[list[str], list[str]]:
    """The names of the fits runs recorded (their manifests' ``calibrated``) whose files no longer
    hold what the runs read, and of those whose files are gone, each name once."""
    changed, gone = {}, {}
    for fit in recorded:
        if isinstance(fit, dict) and fit.get("file") and fit.get("sha256"):
            now = file_sha256(Path(fit["file"]))
            if not now:
                gone[str(fit.get("name"))] = None
            elif now != fit["sha256"]:
                changed[str(fit.get("name"))] = None
    return list(changed), list(gone)


def fits_changed_said(recorded: list) -> str:
    """'; the file of +calibrated=NAME has changed since ...' for each fit a run recorded whose
    file no longer holds what the run read, or is gone (fits_changed): the reason a resume finds
    another config, which the settings alone do not say."""
    changed, gone = fits_changed(recorded)
    said = [f"the {plural(len(names), 'file')} of {', '.join(f'+calibrated={n}' for n in names)} "
            f"{'has' if len(names) == 1 else 'have'} {what}" for names, what in (
                (changed, "changed since the results were made (a study of that name run again or "
                          "resumed)"), (gone, "gone since the results were made")) if names]
    return "".join(f"; {part}" for part in said)


def quality_line(met: int, fitted: int, objective: float, setup_objective: float) -> str:
    """The header line of a fit's file that records how it met its targets (QUALITY_LINE)."""
    def finite(x: float) -> float | None:  # JSON has no inf or NaN: none where the model gave no figure
        return x if math.isfinite(x) else None
    return QUALITY_LINE + json.dumps({"met": met, "fitted": fitted, "objective": finite(objective),
                                      "setup_objective": finite(setup_objective)}) + "\n"


def weak_fits(fits: list[tuple[str, Path]], seen: dict | None = None) -> list[str]:
    """A line for each fit applied that met fewer than half its fitted targets within two standard
    errors, or scored no better than the model it started from, when it was made (its header's
    QUALITY_LINE; a fit made before the line has none, and is not judged). ``seen``: a sweep's
    reads, ("quality", path) -> the line."""
    seen = {} if seen is None else seen
    lines = []
    for name, path in fits:
        if ("quality", path) not in seen:
            seen["quality", path] = header_line(path, QUALITY_LINE)
        try:
            quality = json.loads(seen["quality", path] or "null")
            met, fitted = int(quality["met"]), int(quality["fitted"])
            objective, start = quality["objective"], quality["setup_objective"]
        except (ValueError, TypeError, KeyError):
            continue
        said = ([f"met {met} of its {fitted} fitted targets within two standard errors"]
                if (fitted - met) * 2 > fitted else [])
        compared = all(isinstance(x, (int, float)) and math.isfinite(x) for x in (objective, start))
        if compared and not objective < start:
            said.append(f"scored no better than the model it started from (objective {objective:.3g} "
                        f"against {start:.3g} over its fit's replications)")
        if said:
            lines.append(f"+calibrated={name} {' and '.join(said)} when it was made: its values are not "
                         "yet a fit to rely on (docs/calibration.md, section 4)")
    return lines


def fit_notices(job: list[str], fits: list[tuple[str, Path]], config_name: str, cfg: DictConfig,
                seen: dict | None = None) -> list[str]:
    """All a command is told of the ``fits`` (fit_files) a job applies: each one weak when made
    (weak_fits), fitted on another setup (setups_differ) or under another decision rule
    (rules_differ), fits listed together though made apart, or without the fits they were made on
    top of, or after those changed (fits_made_apart), fits whose keys later ones set again
    (fits_without_effect), and the levels they replace (levels_fits_replace). ``seen``, shared by a
    sweep's jobs, holds their reads: ("setup", path), ("rule", path), ("values", path), ("on top
    of", path), ("hashes", path), ("sha256", path) and ("quality", path) -> a fit file's setup,
    rule, settings, the fits it was made on top of and their files' hashes then, its own file's
    hash and how it met its targets; and (the fits' files, the job's overrides of their scaled
    groups) -> what those replace."""
    return (weak_fits(fits, seen) + setups_differ(fits, cfg, seen) + rules_differ(fits, cfg, seen)
            + fits_made_apart(job, fits, seen) + fits_without_effect(job, fits, seen)
            + levels_fits_replace(job, fits, config_name, cfg, seen))


def _read_fits(fits: list[tuple[str, Path]], seen: dict) -> None:
    """Each fit file's settings and the fits it was made on top of, into ``seen``: read once for a
    sweep's jobs, not once per pair of fits and job."""
    for name, path in fits:
        if ("values", path) not in seen:
            seen["values", path] = _values_set(path)
            seen["on top of", path] = _made_on_top_of(name, path)
            seen["hashes", path] = _on_top_hashes(path)
            seen["sha256", path] = file_sha256(path)


def fits_without_effect(job: list[str], fits: list[tuple[str, Path]], seen: dict | None = None) -> list[str]:
    """A line for each fit every key of which a fit listed after it (and the command) sets again:
    it changes nothing in the run (the last value given to a key is the one run)."""
    seen = {} if seen is None else seen
    return [f"+calibrated={name} changes nothing in this run: every key it sets is set again by "
            f"{' and '.join(by)}; drop it (docs/calibration.md, section 4)"
            for name, by in _changing_nothing(job, fits, seen).items()]


def _changing_nothing(job: list[str], fits: list[tuple[str, Path]], seen: dict) -> dict[str, list[str]]:
    """The fits fits_without_effect speaks of, each with what sets its keys again. Not one that a
    later fit was made on top of: that list is the way to run the later fit, as fitted."""
    _read_fits(fits, seen)
    typed = typed_keys(job)
    found = {}
    for i, (name, path) in enumerate(fits):
        keys = seen["values", path].keys()
        later = [(n, seen["values", p].keys()) for n, p in fits[i + 1:] if n != name]
        # Set again by the command alone, it is what salessim advises for a scaled fit's levels
        # (levels_fits_replace): its values, written out; the fit names where they came from.
        if (keys and keys <= typed.union(*(k for _, k in later)) and any(keys & k for _, k in later)
                and not any(name in seen["on top of", p] for _, p in fits[i + 1:])):
            found[name] = [f"+calibrated={n}, listed after it" for n, k in later if keys & k] + (
                ["the command"] if keys & typed else [])
    return found


def fits_made_apart(job: list[str], fits: list[tuple[str, Path]],
                    seen: dict | None = None) -> list[str]:
    """A line for each fit of salessim-calibrate's listed after others it was not made on top of
    (its header's way to run it, '+calibrated=[OLD,NEW]', does not name them), other than those
    that change nothing in the run (fits_without_effect's): each was fitted without the other's
    values, so together they need not meet either's targets; keys both set, with other values and
    not typed by the command, take the later fit's. A fit listed before one it was made on top of
    is told the order to list them in; one made on top of fits the command does not list, to list
    them; one made on top of a fit whose file has changed since, that it has. ``seen`` keeps each
    file's settings, read once for a sweep's jobs."""
    seen = {} if seen is None else seen
    typed, moot = typed_keys(job), _changing_nothing(job, fits, seen)
    listed = [n for n, _ in fits]
    said = []
    for i, (name, path) in enumerate(fits):
        on_top = seen["on top of", path]
        apart, out_of_order = [], []
        for earlier, earlier_path in fits[:i]:
            if name in seen["on top of", earlier_path]:
                out_of_order.append(earlier)
            elif earlier not in on_top and earlier != name and earlier not in moot:
                apart.append(earlier)
        said += [f"+calibrated={earlier} was made on top of +calibrated={name}: list it after, "
                 f"'+calibrated=[{name},{earlier}]', to run it as it was fitted (docs/calibration.md, "
                 "section 4)" for earlier in out_of_order]
        said += [f"+calibrated={name} was made on top of +calibrated={base} as its file was then, and that "
                 "file has changed since (its study run again or resumed, or the file edited): "
                 f"{name} was fitted with {base}'s earlier values in place, and need not meet its targets "
                 f"with these; calibrate {name} again on top of it (docs/calibration.md, section 4)"
                 for base, base_path in fits[:i]
                 if seen["hashes", path].get(base) not in (None, seen["sha256", base_path])]
        if missing := [base for base in on_top if base not in listed]:
            as_fitted = [*listed[:i], *missing, *listed[i:]]
            bases = " and ".join(f"+calibrated={m}" for m in missing)
            owners = " and ".join(f"{m}'s" for m in missing)
            said.append(f"+calibrated={name} was made on top of {bases}, which this command does not apply: "
                        f"{name} was fitted with {owners} values in place, and need not meet its targets "
                        "without them; to run it as it was fitted, "
                        f"'+calibrated=[{','.join(as_fitted)}]' (docs/calibration.md, section 4)")
        if not apart or header_line(path, FIT_LINE) is None:  # one written by hand: no study to speak of
            continue
        mine = seen["values", path]
        theirs = {k: v for earlier, p in fits[:i] if earlier in apart for k, v in seen["values", p].items()}
        replaced = sorted(k for k in mine.keys() & theirs.keys() if k not in typed and mine[k] != theirs[k])
        named = ", ".join(f"+calibrated={earlier}" for earlier in apart)
        several = len(apart) > 1
        whose = "others'" if several else "other's"
        said.append(f"+calibrated={name} was fitted without {named} (its header's way to run it does not "
                    f"name {'them' if several else 'it'}): each was fitted without the {whose} values, so "
                    f"together they need not meet {'any one' if several else 'either'}'s targets"
                    + (f"; it sets {first_few(replaced)} otherwise, and, listed after, its values are the "
                       "ones run" if replaced else "")
                    # on top of every fit listed before it, those it was made on top of too
                    + f"; to fit {name} with them, calibrate it with "
                    f"'+calibrated=[{','.join(earlier for earlier, _ in fits[:i])}]' (docs/calibration.md, "
                    "section 4)")
    return said


def fitted_anew(fits: list[tuple[str, Path]], free: list[str]) -> list[str]:
    """A line for each fit a study is run on top of (fit_files) that sets keys the study fits
    itself (``free``: its free parameters' keys; a scaled group's levels under its key): the study
    searches them over their ranges, and its fit's values replace the earlier ones; a fit that
    sets nothing else has no effect on the study at all."""
    said = []
    for name, path in fits:
        values = _values_set(path)
        anew = sorted(k for k in values if under(k, free))
        if not anew:
            continue
        them = "it" if len(anew) == 1 else "them"
        if len(anew) == len(values):
            said.append(f"+calibrated={name} sets only what calibration.free fits anew ({first_few(anew)}): "
                        "it has no effect on this study, nor on its fit; drop it, or, to fit the other "
                        f"parameters with its values, leave {them} out of calibration.free")
        else:
            one = len(anew) == 1
            said.append(f"+calibrated={name} sets {first_few(anew)}, which calibration.free fits anew: the "
                        f"study searches {them} over {'its range' if one else 'their ranges'}, and the "
                        f"fit's {'value replaces' if one else 'values replace'} {name}'s; to hold "
                        f"{name}'s, leave {them} out of calibration.free")
    return said


def _values_set(path: Path) -> dict[str, Any]:
    """The settings a fit's file sets, by dotted key ({} for a file that cannot be read)."""
    try:
        return flatten(OmegaConf.to_container(OmegaConf.load(path)) or {})
    except (OSError, ValueError, OmegaConfBaseException):  # unreadable since Hydra read it
        return {}


SETUP_KEYS = ("org.sellers", "sim.years", "sim.warmup_months")  # what a fit's setup is said by
RULE_KEY = "market.decision_rule"  # how the study's buying groups decided, also on that line


def _fitted_with(path: Path) -> dict[str, str]:
    """The settings of a fit's "Fitted with" line, by key, as written ({} without the line)."""
    return fitted_with_settings(header_line(path, FITTED_LINE) or "")


def fitted_with_settings(line: str) -> dict[str, str]:
    """The settings of a "Fitted with" line (or a manifest's ``fitted_with``), by key, as written."""
    return dict(item.partition("=")[::2] for item in line.rstrip(".").split(", ") if "=" in item)


def fitted_setup(path: Path) -> dict[str, float]:
    """The setup a fit's header says it was made on, by key of SETUP_KEYS; {} when it lacks a
    "Fitted with" line (written by hand, or by an older salessim-calibrate) or any of the keys."""
    return fitted_setup_of(_fitted_with(path))


def fitted_setup_of(written: dict[str, str]) -> dict[str, float]:
    """The setup (by key of SETUP_KEYS) of a "Fitted with" line's settings; {} when one lacks."""
    try:
        found = {key: float(written[key].split(" ")[0]) for key in SETUP_KEYS if key in written}
    except ValueError:  # edited by hand: nothing to say rather than a wrong word
        return {}
    return found if len(found) == len(SETUP_KEYS) else {}


def rules_differ(fits: list[tuple[str, Path]], cfg: DictConfig, seen: dict | None = None) -> list[str]:
    """A line for each fit made under another market.decision_rule than ``cfg`` runs: its values
    (the status-quo pull among them, when it fitted it) were fitted to how groups decide under
    that rule, so the outcome mix moves under this one. A fit whose header does not say its rule
    (written by hand, or by an older salessim-calibrate) gets no word, nor one fitted under this
    rule too (a target's condition sets it). ``seen`` keeps each file's rules."""
    seen = {} if seen is None else seen
    here = str(OmegaConf.select(cfg, RULE_KEY))
    rules = []
    for _, path in fits:
        if ("rule", path) not in seen:  # read once for a sweep's jobs: the header and the pull
            seen["rule", path] = (_fitted_with(path).get(RULE_KEY), _rules_of_targets(path),
                                  _pull_among(path))
        rules.append(seen["rule", path])
    # A fit made on top of earlier ones under this rule (its header's way to run it names them:
    # '+calibrated=[OLD,NEW]') was fitted with their values applied under it: theirs need no word.
    taken_in = {old for (name, path), (rule, also, _) in zip(fits, rules) if here in (rule, *also)
                for old in _made_on_top_of(name, path)}
    said = []
    for (name, _), (fitted, also, pull) in zip(fits, rules):
        if not fitted or here in (fitted, *also) or name in taken_in:
            continue
        others = [rule for rule in dict.fromkeys(also) if rule != fitted]
        rules_said = fitted + (f" (and {', '.join(others)}, for the targets whose conditions set "
                               f"{'them' if len(others) > 1 else 'it'})" if others else "")
        said.append(f"+calibrated={name} was fitted under {RULE_KEY}={rules_said}; this command runs "
                    f"{here}: its fitted values{pull} were made for how buying groups decide under "
                    f"{'those rules' if others else fitted}, so the outcome mix need not meet its targets "
                    f"under {here} (docs/calibration.md, section 4)")
    return said


def rules_fitted_under(fits: list[tuple[str, Path]]) -> set[str]:
    """Every decision rule the ``fits`` (fit_files) were fitted under: their studies' own and
    those their targets' conditions set. A veto rule among them was calibrated for, so the word
    the veto gets at the shipped pull (notices) is not said."""
    return {rule for _, path in fits
            for rule in (_fitted_with(path).get(RULE_KEY), *_rules_of_targets(path)) if rule}


PULL_KEY = "market.status_quo_utility"  # the pull of doing nothing, which a rule's outcome mix leans on


def _pull_among(path: Path) -> str:
    """' (the status-quo pull among them)' when the fit's file sets the pull, else ''."""
    try:
        fitted = OmegaConf.select(OmegaConf.load(path), PULL_KEY)
    except (OSError, ValueError, OmegaConfBaseException):  # unreadable since Hydra read it
        return ""
    return "" if fitted is None else " (the status-quo pull among them)"


def _rules_of_targets(path: Path) -> tuple[str, ...]:
    """The decision rules the conditions of a fit's targets fitted it under, as its header's
    '# Targets fitted' line writes them."""
    return tuple(str(override_value(value)) for label in target_labels(header_line(path, TARGETS_LINE) or "")
                 for key, value in map(split_override, condition_overrides(label)) if key == RULE_KEY)


def target_labels(line: str) -> list[str]:
    """The targets' labels ("metric" or "metric [condition]") of a '# Targets fitted' line."""
    return [label for label in split_outside(line, ", ") if label]


def fitted_by(fits: list[tuple[str, Path]], targets) -> list[str]:
    """For a score (calibration.free=[]) of ``targets`` with ``fits`` applied: for each target, in
    order, which fit was made to it, as its file's '# Targets fitted' line lists its metric under the
    same condition and its '# Figures' line the same value: its score then checks the fit, not the
    model on a fact it was not fitted to (a researcher's walk scored a fit's own win rate as a
    held-out fact, without a word). A fit made to another figure of it is not (other_figures says
    so; a walk saw a fit of its own win rate of 0.40 named for the survey's 0.466); one whose file
    records no figures (an older fit) is taken to be made to it. A target is partly fitted where a
    fit fitted, under its condition, a figure it is part of or holds (fitted_through: another outcome
    share, the three summing to 1; a segment's figure and the whole's), to the figure the score's
    target of that one has, if it has one. 'acme', 'acme (through win_rate)'; '' for a
    target no fit was made to."""
    made = {name: _made_to(path) for name, path in fits}
    ours = _score_figures(targets)
    said = []
    for t in targets:
        at = condition_read(t.condition)
        whole = [name for name, _ in fits
                 if _figure_among(made[name].get((t.metric, at), False), [t.value])]
        # a fit made to another figure of this very one is not made to it through others (a review:
        # the shares' sum implied the fit's own figure, which other_figures says is not this one)
        through = {} if whole else {
            name: fitted_through(t.metric, [m for (m, cond), values in made[name].items() if cond == at
                                            and _figure_among(values, ours.get((m, at)))])
            for name, _ in fits if not made[name].get((t.metric, at))}
        named = whole or [f"{name} (through {' and '.join(shares)})"
                          for name, shares in through.items() if shares]
        said.append(", ".join(dict.fromkeys(named)))
    return said


def metric_and_segment(metric: str) -> tuple[str | None, str | None]:
    """('win_rate', 'smb') for win_rate_smb, ('win_rate', None) for the whole's win_rate; (None,
    None) for a column salessim does not write."""
    base = base_metric(metric)
    return (base, metric[len(base) + 1:] or None) if base else (None, None)


def fitted_through(metric: str, labels: list[str]) -> list[str]:
    """The targets among ``labels`` that fit part of ``metric`` without being its own: its whole's
    where it is a segment's figure (win_rate for win_rate_smb), a segment's where it is the
    whole's, and another outcome share's of the same deals, a segment's or the whole's (the three
    sum to 1); another segment's figure is no part of it. [] where ``metric`` is a target itself."""
    base, segment = metric_and_segment(metric)
    if base is None or metric in map(metric_of, labels):
        return []
    family = OUTCOME_SHARES if base in OUTCOME_SHARES else (base,)
    parts = [(label, *metric_and_segment(metric_of(label))) for label in labels]
    return [label for label, other, at in parts
            if other in family and (at == segment or None in (at, segment))]


def other_figures(fits: list[tuple[str, Path]], targets) -> list[str]:
    """A line for each fit that a score applies and was made to other figures of the score's
    targets (their metric under the same condition, another value): their scores set the fit
    against figures it was not fitted to, and its own targets are scored with the file or config
    its study fitted, which the line names where the fit's header does."""
    ours = _score_figures(targets)
    said = []
    for name, path in fits:
        made = _made_to(path)
        labels = {}  # by (metric, condition): the label as the score's targets write it
        for t in targets:
            key = (t.metric, condition_read(t.condition))
            if made.get(key) and not _figure_among(made[key], ours[key]):
                labels.setdefault(key, t.label)
        if not labels:
            continue
        one = sum(len(ours[key]) for key in labels) == 1  # a label fitted from two sources is two
        # a label fitted from several sources: 'win_rate 0.41/0.46'
        fitted, here = (and_listed(f"{label} {'/'.join(f'{v:g}' for v in figures[key])}"
                                   for key, label in labels.items()) for figures in (made, ours))
        targets_are = "target is" if one else "targets are"
        said.append(f"+calibrated={name} was fitted to {fitted}; this score's {targets_are} {here}: "
                    f"{'its score sets' if one else 'their scores set'} "
                    f"the fit against {'a figure' if one else 'figures'} it was not made to; to score the "
                    f"fit's own targets, {_own_targets(path)} (docs/calibration.md, section 5)")
    return said


def _own_targets(path: Path) -> str:
    """How to score a fit's own targets, as its header names them: the file, or the config."""
    given = re.search(r", targets (.+?), trial \d+, best of ", header_line(path, FIT_LINE) or "")
    if given is None:  # written by hand, or by an older salessim-calibrate
        return "score the targets its study fitted"
    if given.group(1).startswith("file "):
        return f"pass calibration.targets_file={shlex.quote(given.group(1).removeprefix('file '))}"
    return f"pass targets={given.group(1)} and no calibration.targets_file"


def _made_to(path: Path) -> dict[tuple[str, tuple], list[float] | None]:
    """The targets a fit's file lists as fitted, by metric and condition (as Hydra reads it), each
    with the figures its '# Figures' line gives it; None where the line gives none (an older fit)."""
    try:
        figures = json.loads(header_line(path, FIGURES_LINE) or "{}")
    except ValueError:  # edited by hand: taken as an older fit's
        figures = {}
    made = {}
    for label in target_labels(header_line(path, TARGETS_LINE) or ""):
        given = figures.get(label) if isinstance(figures, dict) else None
        # [value, source], and for a label fitted from several sources the others' after it
        values = given[::2] if isinstance(given, list) else []
        made[metric_of(label), condition_read(condition_overrides(label))] = [
            float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)] or None
    return made


def _score_figures(targets) -> dict[tuple[str, tuple], list[float]]:
    """A score's targets' figures by metric and condition (as Hydra reads it)."""
    figures: dict[tuple[str, tuple], list[float]] = {}
    for t in targets:
        figures.setdefault((t.metric, condition_read(t.condition)), []).append(float(t.value))
    return figures


def _figure_among(made: list[float] | None | bool, figures: list[float] | None) -> bool:
    """Whether a fit made to ``made`` (False: not fitted; None: to figures its file does not give)
    was made to one of a score's ``figures`` (None: the score has none to set beside it)."""
    if made is False:
        return False
    return made is None or figures is None or any(math.isclose(v, f, rel_tol=1e-9)
                                                  for v in made for f in figures)


def condition_read(overrides) -> tuple[tuple[str, str], ...]:
    """A condition's overrides as Hydra reads them, in any order: '+fsm.span_of_control=6.0' and
    'fsm.span_of_control=6' alike (a review found them told apart as text)."""
    read = []
    for o in overrides:
        key, value = split_override(o)
        number = override_value(value)
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        read.append((key.lstrip("+~"), str(number)))
    return tuple(sorted(read))


def metric_of(label: str) -> str:
    """A target label's metric: 'win_rate [fsm.span_of_control=6]' -> 'win_rate'."""
    return label.partition(" [")[0]


def condition_overrides(label: str) -> list[str]:
    """The overrides of a target's condition, as the '# Targets fitted' line writes its label
    (parted by spaces: "metric [+investment=[crm, training] org=large]"); [] without one."""
    return [o for o in split_outside(label.partition(" [")[2][:-1], " ") if o]


def _made_on_top_of(name: str, path: Path) -> list[str]:
    """The fits a fit's study ran on top of, as its header's way to run it lists them before it
    ('+calibrated=[OLD,NEW]'); [] for a fit made on its own."""
    found = re.search(r"\+calibrated=\[([^\]]*)\]", header_line(path, USE_LINE) or "")
    return [] if found is None else [f.strip() for f in found.group(1).split(",") if f.strip() != name]


def setups_differ(fits: list[tuple[str, Path]], cfg: DictConfig, seen: dict | None = None) -> list[str]:
    """A line for each fit made on another number of sellers, horizon or warm-up than ``cfg``
    runs. ``seen`` keeps each file's setup, read once for a sweep's jobs."""
    said = []
    seen = {} if seen is None else seen
    for name, path in fits:
        if ("setup", path) not in seen:
            seen["setup", path] = fitted_setup(path)
        here = {key: float(OmegaConf.select(cfg, key)) for key in SETUP_KEYS}
        if setup_differs(seen["setup", path], here):
            said.append(another_setup_said(name, seen["setup", path], [here], "this command runs"))
    return said


def setup_differs(fitted: dict[str, float], here: dict[str, float]) -> bool:
    """Whether a run's setup is not the one a fit was made on ({}: a fit that does not say)."""
    # sim.years as the header writes it (:g), whose six digits may round the study's
    return bool(fitted) and (f"{fitted['sim.years']:g}" != f"{here['sim.years']:g}" or any(
        fitted[key] != here[key] for key in ("org.sellers", "sim.warmup_months")))


def another_setup_said(name: str, fitted: dict[str, float], runs: list[dict[str, float]], who: str) -> str:
    """The word for a fit applied on other setups (``runs``) than it was made on: ``who`` ("this
    command runs") leads them. A warm-up is named only when one of them differs from the fit's."""
    warmup = any(fitted["sim.warmup_months"] != run["sim.warmup_months"] for run in runs)
    return (f"+calibrated={name} was fitted on {setup_said(fitted)}; {who} "
            f"{' | '.join(setup_said(run, warmup) for run in runs)}: its fitted values are applied "
            f"unchanged and need not meet its targets on {'these setups' if len(runs) > 1 else 'this setup'} "
            "(docs/calibration.md, section 4)")


def setup_said(setup: dict[str, float], warmup: bool = True) -> str:
    """'20 sellers over 1.5 years (6-month warm-up)'."""
    sellers, years, months = setup["org.sellers"], setup["sim.years"], setup["sim.warmup_months"]
    return (f"{counted(sellers, 'seller', fmt=',.0f')} over {counted(years, 'year', fmt='g')}"
            + ((f" ({months:.0f}-month warm-up)" if months else " (no warm-up)") if warmup else ""))


def levels_fits_replace(job: list[str], fits: list[tuple[str, Path]], config_name: str,
                        cfg: DictConfig, seen: dict | None = None) -> list[str]:
    """What the ``fits`` a job applies (fit_files) replace of its own scaled levels: composed
    again (inside Hydra's initialisation) with only the fits before each one, the levels that fit
    found, set beside the study's. A fit made on top of an earlier one ('+calibrated=[OLD,NEW]',
    as the study's own line says to run it) recorded OLD's levels: with OLD before it, nothing
    is replaced. ``seen`` keeps what jobs of a sweep alike in the settings of the scaled keys'
    groups were told: composing each job twice would double a large sweep's checks."""
    said: list[str] = []
    others = [o for o in job if split_override(o)[0] != "calibrated"]
    groups = {key.split(".")[0] for _, path in fits for key in scaled_of(path)}
    alike = (tuple(str(p) for _, p in fits),
             tuple(o for o in others if split_override(o)[0].split(".")[0] in groups))
    if not groups:
        return []
    if seen is not None and alike in seen:
        return seen[alike]
    for i, fit in enumerate(fits):
        before = [name for name, _ in fits[:i]]
        own = compose_config(others + ([f"+calibrated=[{','.join(before)}]"] if before else []),
                             config_name)
        said += replaced_levels([fit], own, cfg)
    if seen is not None:
        seen[alike] = said
    return said


def replaced_levels(fits: list[tuple[str, Path]], own: DictConfig, ran: DictConfig) -> list[str]:
    """A line for each fit whose scaled keys replace levels this command sets otherwise than the
    study did: ``own`` is the command's config without the fits, ``ran`` what it runs with them.
    A key the command line sets itself (its value is not the fit's) is not named."""
    said = []
    for name, path in fits:
        replaced = []
        for key, (base, factor) in scaled_of(path).items():
            mine, now = OmegaConf.select(own, key), OmegaConf.select(ran, key)
            if not all(isinstance(v, (int, float)) for v in (mine, now)):
                continue
            fitted = base * factor
            # (the command's level may be an earlier fit's that this one happens to match)
            if (math.isclose(mine, base, rel_tol=1e-9) or math.isclose(mine, fitted, rel_tol=1e-6)
                    or not math.isclose(now, fitted, rel_tol=1e-6)):
                continue
            replaced.append((key, mine, base, factor))
        # the largest change first: a segment without seats may hold the first key
        replaced.sort(key=lambda r: -abs(r[2] * r[3] - r[1]) / abs(r[1]) if r[1] else 0.0)
        if replaced:
            key, mine, base, factor = replaced[0]
            more = f", and {counted(len(replaced) - 1, 'more key', 'more keys')} so" if len(replaced) > 1 else ""
            # every key, as a command line takes them (no thousands separators): to copy whole
            instead = " ".join(f"{k}={m * f:.0f}" if abs(m * f) >= 1000 else f"{k}={m * f:.6g}"
                               for k, m, _, f in replaced)
            said.append(f"+calibrated={name} replaces this command's {key} {_number(mine)} with "
                        f"{_number(base * factor)}, the study's {_number(base)} × {factor:.4g} "
                        f"(fitted with mode: scale){more}; to scale this command's own levels "
                        f"instead, add {instead} (docs/calibration.md, section 4)")
    return said


def _number(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"
