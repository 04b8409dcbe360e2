"""The Optuna study: each trial sets the free parameters, simulates every condition the targets
name, and scores the weighted distance between simulated and target moments.

Every trial replays the same replication seeds (common random numbers across trials), so two
parameter sets are compared on the same simulated luck and the objective surface is smooth.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import socket
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable

import numpy as np
import optuna
import pandas as pd
from optuna.study import MaxTrialsCallback
from optuna.trial import TrialState

from salessim.calibration.params import FreeParam, apply, checked
from salessim.calibration.targets import Target
from salessim.config import MISSING, CalibrationConfig, Config, changed_settings, flatten
from salessim.errors import ConfigError, UserError, first_few
from salessim.outputs import PRESENTATION_KEYS
from salessim.plural import counted
from salessim.runner import replication_workers, summary_rows
from salessim.summary import WINDOW_COUNTS, is_money_total, mean_ci_within

# What the spread table calls near-best, and a narrow spread (fit_report.html and the docs say so).
NEAR_BEST_SHARE = 0.1  # the best 10% of the finished trials (complete or pruned) ...
MIN_NEAR_BEST = 5  # ... and at least this many: with fewer, any spread is luck, so no verdict
PINNED_SPREAD = 0.25  # near-best values within less than this share of the range: narrow
EDGE_SHARE = 0.05  # a best value within this share of the range from an end: at the range's edge
RANDOM_TRIALS = 10  # the TPE sampler's first trials, drawn at random (Optuna's n_startup_trials)
# Trials per free parameter under which a narrow verdict is said to be early: near-best trials of a
# search of 8 parameters agreed after 30 trials on values that a study of 800 moved far from along
# a ridge (a researcher's walk, against the documented fit).
TRIALS_PER_PARAMETER = 10
# A recovery study's parameter is recovered when the near-best range is narrow and holds its truth,
# and the best value lies within this share of the range searched from it (docs/calibration.md,
# section 4).
RECOVERED_ERROR = 0.10


class TrialSeededTPE(optuna.samplers.BaseSampler):
    """Optuna's TPE sampler, drawing trial k's random numbers from ``SeedSequence((seed, k))``.

    A sampler seeded once per process starts its random stream over in every process: a resumed
    study proposed its first trials again, and workers started together proposed the same
    values. The storage numbers a study's trials uniquely, across runs and workers, so a seed per
    trial number keeps a fresh single-worker study reproducible from ``seed`` while resumed runs
    and concurrent workers never replay each other's draws. Built on BaseSampler's public hooks
    only: each trial gets a TPESampler of its own, kept from ``before_trial`` to ``after_trial``.
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._by_trial: dict[int, optuna.samplers.TPESampler] = {}

    def _tpe(self, trial: optuna.trial.FrozenTrial) -> optuna.samplers.TPESampler:
        if trial.number not in self._by_trial:
            seed = int(np.random.SeedSequence((self.seed, trial.number)).generate_state(1)[0])
            self._by_trial[trial.number] = optuna.samplers.TPESampler(seed=seed)
        return self._by_trial[trial.number]

    def before_trial(self, study, trial) -> None:
        self._tpe(trial).before_trial(study, trial)

    def infer_relative_search_space(self, study, trial):
        return self._tpe(trial).infer_relative_search_space(study, trial)

    def sample_relative(self, study, trial, search_space):
        return self._tpe(trial).sample_relative(study, trial, search_space)

    def sample_independent(self, study, trial, param_name, param_distribution):
        return self._tpe(trial).sample_independent(study, trial, param_name, param_distribution)

    def after_trial(self, study, trial, state, values) -> None:
        self._tpe(trial).after_trial(study, trial, state, values)
        del self._by_trial[trial.number]


class NoValidModel(UserError):
    """Free parameters' values that make no valid model under a target's condition or the
    study's own setup (preflight checks each range's ends, alone and together, but not every mix
    of them: hours that fit under one condition may not under another)."""

    def __init__(self, values: dict[FreeParam, float], condition: tuple[str, ...], error: ConfigError):
        shown = ", ".join(f"{p.key}={v:.6g}" for p, v in values.items())
        under = f"under condition {' '.join(condition)}" if condition else "in the study's setup"
        super().__init__(f"the values {shown} make no valid model {under}: {error.message}")


def yearly(rows: list[dict]) -> pd.DataFrame:
    """Per-replication summary rows as a table, money totals and the window's counts per year
    (targets speak of yearly figures: 1,500 leads a year, whatever the horizon)."""
    s = pd.DataFrame(rows)
    for col in [c for c in s.columns if is_money_total(c) or c in WINDOW_COUNTS]:  # bookings_usd_smb too
        s[col] = s[col] / s.window_years
    return s


@dataclass
class Problem:
    bases: dict[tuple[str, ...], Config]  # one validated config per condition of the targets
    targets: list[Target]
    params: list[FreeParam]
    truth: dict[str, float] | None = None  # calibration.recover: the values the targets were made at

    def simulated_conditions(self) -> list[tuple[str, ...]]:
        """The conditions some target is scored under, in the bases' order: the study's own setup
        (()) is simulated only where a target has no condition (a held-out score of conditioned
        targets alone ran it and counted it for nothing, a researcher's walk)."""
        used = {t.condition for t in self.targets}
        return [c for c in self.bases if c in used]

    def truth_seed(self) -> int:
        """The seed a recovery study makes its targets with: one its trials never replay, so the
        targets carry luck of their own, as a survey's figures do."""
        return self.bases[()].sim.seed + 1

    def made_at_truth(self, replications: int) -> "Problem":
        """The same problem with each target's value made by the model at ``truth`` (the mean of
        ``replications`` of truth_seed()), its uncertainty and weight kept: a recovery study's
        targets."""
        seed = self.truth_seed()
        other_luck = {c: dataclasses.replace(cfg, sim=dataclasses.replace(cfg.sim, seed=seed))
                      for c, cfg in self.bases.items()}
        sims = dataclasses.replace(self, bases=other_luck).simulate(self.truth_values(), replications)
        made = [dataclasses.replace(t, value=float(sims[t.condition][t.metric].mean()),
                                    source=f"salessim at calibration.recover, {replications} "
                                           f"replications of seed {seed}")
                for t in self.targets]
        return dataclasses.replace(self, targets=made)

    def configs(self, values: dict[FreeParam, float]) -> dict[tuple, Config]:
        """Each simulated condition's config at ``values``, checked (NoValidModel if one is not
        valid): a setup no target runs scores no trial inf (a review)."""
        cfgs = {}
        for cond in self.simulated_conditions():  # the study's own setup only where a target runs it
            base = self.bases[cond]
            try:
                cfgs[cond] = checked(apply(base, values))
            except ConfigError as e:
                raise NoValidModel(values, cond, e) from None
        return cfgs

    def truth_values(self) -> dict[FreeParam, float]:
        return {p: self.truth[p.key] for p in self.params}

    def simulate(self, values: dict[FreeParam, float], replications: int,
                 on_step: Callable[[int, dict[tuple, pd.DataFrame]], None] | None = None,
                 first: int = 0) -> dict[tuple, pd.DataFrame]:
        """Every condition's yearly summary over ``replications`` (sim.workers of them side by
        side), numbered from ``first`` (a fit's check on replications no trial ran). With
        ``on_step``, they run a step at a time (as many as run side by side), and
        ``on_step(k, sims)`` is called after each step but the last, with the first ``k``
        replications of every condition: a pruned trial stops there by raising."""
        cfgs = self.configs(values)
        for cfg in cfgs.values():
            cfg.sim.replications = replications
            cfg.sim.progress = False
        rows: dict[tuple, list[dict]] = {cond: [] for cond in self.simulated_conditions()}
        # A trial runs in steps, reporting after each (to the pruner, a no-op one without
        # calibration.prune); the recovery targets and the final fit run all at once.
        step = replication_workers(next(iter(cfgs.values()))) if on_step is not None else replications
        for start in range(0, replications, step):
            done = min(start + step, replications)
            for cond in rows:
                rows[cond] += summary_rows(cfgs[cond], range(first + start, first + done))
            if on_step is not None and done < replications:
                on_step(done, {cond: yearly(r) for cond, r in rows.items()})
        return {cond: yearly(r) for cond, r in rows.items()}

    def score(self, sims: dict[tuple, pd.DataFrame]) -> float:
        # monitored targets (weight 0) are left out: even a missing figure decides nothing
        return weighted_mean_square(
            (t.weight, (float(sims[t.condition][t.metric].mean()) - t.value) / t.std_error)
            for t in self.targets if t.weight)

    def suggest(self, trial: optuna.Trial) -> dict[FreeParam, float]:
        return {p: trial.suggest_int(p.key, int(p.low), int(p.high), log=p.log) if p.integer
                else trial.suggest_float(p.key, p.low, p.high, log=p.log) for p in self.params}


# Trials that count toward calibration.n_trials: run to the end, or stopped early by the pruner.
FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)
# The pruner judges a step only against as many complete trials as TPE draws at random before it
# models the objective, so that the median comes from a spread of the search space; counted at
# that step, since trials of an older salessim or of another sim.workers reported elsewhere.
PRUNE_AFTER_TRIALS = 10


class MedianAtStep(optuna.pruners.BasePruner):
    """Prunes a trial whose objective after its latest step is worse than the median of the
    complete trials' objectives after the same step, once PRUNE_AFTER_TRIALS of them have one
    (Optuna's median pruner compares the trial's best step instead, and, once 5 trials are
    complete, against as few as one value at that step). Every trial replays the same replication
    seeds, so objectives after k replications share their luck and compare. A trial whose
    objective cannot be told yet (a figure missing from its first replications) goes on."""

    def prune(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> bool:
        step = trial.last_step
        if step is None or not math.isfinite(value := trial.intermediate_values[step]):
            return False
        at_step = [v for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
                   if math.isfinite(v := t.intermediate_values.get(step, math.nan))]
        return len(at_step) >= PRUNE_AFTER_TRIALS and value > float(np.median(at_step))


def pruner(prune: bool) -> optuna.pruners.BasePruner:
    """calibration.prune: stop a trial after any step of replications but the last when it is
    worse than the complete trials were after as many (MedianAtStep)."""
    return MedianAtStep() if prune else optuna.pruners.NopPruner()


INVALID = "invalid"  # a trial's user attribute: why its values made no valid model


def best_trial(study: optuna.Study) -> optuna.trial.FrozenTrial:
    """The complete trial of the lowest objective among those whose values made a valid model
    (an invalid trial scores inf, and may tie with the best of a study whose every trial does)."""
    valid = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
             if INVALID not in t.user_attrs]
    if not valid:
        invalid = [t for t in study.get_trials(deepcopy=False) if INVALID in t.user_attrs]
        why = f": trial {invalid[-1].number}'s {invalid[-1].user_attrs[INVALID]}" if invalid else ""
        raise UserError(f"study {study.study_name!r} has no complete trial with a valid model, so no "
                        f"fit{why} (allowed: calibration.params ranges whose values make a valid model "
                        "together; narrow them, or run more trials)")
    return min(valid, key=lambda t: t.value)


def finished_trials(study: optuna.Study) -> int:
    return len(study.get_trials(deepcopy=False, states=FINISHED))


def pruned_trials(study: optuna.Study) -> int:
    return len(study.get_trials(deepcopy=False, states=(TrialState.PRUNED,)))


def trials_said(study: optuna.Study) -> str:
    """'120 trials, 48 of them pruned' (the pruned part only when there are some)."""
    pruned = pruned_trials(study)
    return counted(finished_trials(study), 'trial') + (f", {pruned} of them pruned" if pruned else "")


def trials_table(study: optuna.Study) -> pd.DataFrame:
    """trials.csv: each trial's number, objective, parameters, state and the replications it ran.
    A pruned trial's objective is over the replications it ran (Optuna keeps its last report)."""
    trials = study.trials_dataframe(attrs=("number", "value", "params", "state")).rename(
        columns={"value": "objective"})
    ran = {t.number: t.user_attrs.get("replications") for t in study.get_trials(deepcopy=False)}
    if not trials.empty:
        trials.insert(len(trials.columns) - 1, "replications", trials.number.map(ran).astype("Int64"))
    return trials


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def optimize(problem: Problem, study: optuna.Study, n_trials: int, replications: int,
             on_trial: Callable[[], None] | None = None, say: Callable[[str], None] = _to_stderr,
             first_sims: Callable[[dict[tuple, pd.DataFrame]], None] | None = None) -> None:
    """Run trials until the study holds ``n_trials`` finished ones, complete or pruned (across all
    its workers). A trial reports its objective after each step of replications; the study's
    pruner may stop it there. A trial whose values make no valid model scores inf, as one whose
    model gives no figure does, and ``say`` says why in a line; the study goes on. ``first_sims``
    sees the figures of the first trial this call completes (a check that need not wait for the
    whole study)."""
    unseen = [first_sims] if first_sims is not None else []

    def objective(trial: optuna.Trial) -> float:
        trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
        values = problem.suggest(trial)

        def step(k: int, sims: dict[tuple, pd.DataFrame]) -> None:
            trial.report(problem.score(sims), k)
            if trial.should_prune():
                trial.set_user_attr("replications", k)
                raise optuna.TrialPruned()

        try:
            sims = problem.simulate(values, replications, on_step=step)
        except NoValidModel as e:  # raised before any replication runs
            trial.set_user_attr(INVALID, e.message)
            trial.set_user_attr("replications", 0)
            say(f"trial {trial.number} scores inf (no fit): {e.message}")
            return math.inf
        trial.set_user_attr("replications", replications)
        if unseen:
            unseen.pop()(sims)
        for t in problem.targets:
            trial.set_user_attr(t.label, float(sims[t.condition][t.metric].mean()))
        return problem.score(sims)

    done = finished_trials(study)
    if done >= n_trials:
        return
    callbacks = [MaxTrialsCallback(n_trials, states=FINISHED)]
    if on_trial is not None:
        callbacks.append(lambda study, trial: on_trial())
    study.optimize(objective, n_trials=n_trials - done, callbacks=callbacks,
                   gc_after_trial=False)


_UNSET = object()  # a key one setup has and the other lacks
SETUP_SETTLE_SECONDS = 0.5  # how long workers that create a study together take to write their setups

# Model keys a study has no use for, with what to use instead: salessim's, which a trial sets
# itself (sim.replications) or which label, keep or resume a run of salessim's. Refused on the
# study's command line and in a target's condition.
STUDY_IGNORES = {
    "sim.replications": "a study runs calibration.replications per trial and "
                        "calibration.final_replications for the fit",
    "sim.trace": "a study keeps no journey events; trace the fit with salessim +calibrated=NAME "
                 "sim.trace=true",
    "sim.resume": "a study resumes by itself: run the same command, with the same "
                  "calibration.name, again",
    "sim.scenario": "a study is named by calibration.name",
    "sim.baseline": "a study has no baseline for salessim-compare; compare the fit with salessim -m "
                    "+calibrated=NAME ...",
    "experiment_question": "a study answers no experiment's question: its targets (targets=NAME or "
                           "calibration.targets_file) say what it fits, and calibration.name names it",
    "experiment_budget_usd": "a study compares no investments: give the budget to salessim-compare "
                             "(--budget) of a sweep of the fit",
}
# Model keys that never change a trial's score: those above, and how a run is shown or spread
# over cores (sim.progress, sim.workers), which a study does use.
NOT_OBJECTIVE = {f"sim.{k}" for k in PRESENTATION_KEYS} | set(STUDY_IGNORES)


def setup_of(problem: Problem, cal: CalibrationConfig) -> dict[str, Any]:
    """Everything that defines the objective, key by key (readable, and exact so that any change
    shows): the model's config and what each target's condition changes in it, the free
    parameters' ranges, the targets and the replications.
    Not the sampler's seed, the trial counts, the storage or how a run is shown."""
    base = {k: v for k, v in flatten(asdict(problem.bases[()])).items() if k not in NOT_OBJECTIVE}
    setup: dict[str, Any] = dict(base)
    for condition, cfg in problem.bases.items():  # what a target's condition changes (its files too)
        for k, v in flatten(asdict(cfg)).items():
            if condition and k not in NOT_OBJECTIVE and base.get(k, _UNSET) != v:
                setup[f"condition {' '.join(condition)}: {k}"] = v
    setup["calibration.replications"] = cal.replications
    if problem.truth is not None:  # the targets' values below were made at these
        setup["calibration.recover"] = dict(sorted(problem.truth.items()))
        setup["calibration.final_replications"] = cal.final_replications
    for p in problem.params:
        setup[f"calibration.params.{p.key}"] = " ".join(
            [f"{p.low!r} to {p.high!r}"] + ["scale"] * (p.mode == "scale") + ["log"] * p.log
            + ["integer"] * p.integer)  # an older study searched it as a float: not resumed
    for t in problem.targets:
        key, n = f"target {t.label}", 2
        while key in setup:  # the same metric and condition twice
            key, n = f"target {t.label} #{n}", n + 1
        setup[key] = (f"{t.value!r}" + (f", n={t.n:g}" if t.n is not None else f" ± {t.std_error!r}")
                      + f", weight {t.weight:g}")
    return json.loads(json.dumps(setup))  # as the storage gives it back (lists, not tuples)


def fingerprint(setup: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(setup, sort_keys=True).encode()).hexdigest()[:16]




def check_setup(study: optuna.Study, setup: dict[str, Any], record: bool = True,
                settling: bool = False) -> bool:
    """Refuses to add trials to a study made with another setup: their scores would not be
    comparable. A study without a recorded setup (new, or made before setups were recorded), or
    with no trial but failed ones to compare with (stopped before its first ended: a researcher's
    walk found it refused; not one another worker runs), takes this one if ``record``. Returns
    whether the study had a setup recorded. ``settling``: the check after this command recorded
    its setup, which another worker's may have replaced."""
    attrs = study.user_attrs
    recorded = "setup_fingerprint" in attrs
    if not recorded or (not settling and attrs["setup_fingerprint"] != fingerprint(setup)
                        and not _trials_but_failed(study)):
        if record:
            _check_trials_vary(study, setup)
            study.set_user_attr("setup", setup)
            study.set_user_attr("setup_fingerprint", fingerprint(setup))
            # Workers that made the study together each found no record and wrote their own; the
            # last write stands, and a worker whose setup it is not must stop before any trial.
            time.sleep(SETUP_SETTLE_SECONDS)
            check_setup(study, setup, record=False, settling=True)
        return recorded
    if attrs["setup_fingerprint"] == fingerprint(setup):
        return True
    changed = changed_settings(attrs.get("setup", {}), setup)
    if not changed and attrs.get("setup"):  # made before keys this setup holds at their defaults
        return True
    shown = first_few(as_changed(changed), sep="; ")
    raise ConfigError("calibration.name", study.study_name,
                      f"a name for a new study: study {study.study_name!r} was made with another "
                      f"setup ({shown or 'recorded differently'}), and its trials would not be "
                      "comparable; pick a new calibration.name, or go back to the study's setup to "
                      "resume it")


def _trials_but_failed(study: optuna.Study) -> int:
    """The trials of a study that did not fail: finished, or running (another worker's first
    trial, which a new setup would take the study from under it)."""
    return sum(t.state != TrialState.FAIL for t in study.get_trials(deepcopy=False))


def as_changed(changed: list[tuple[str, Any, Any]]) -> list[str]:
    """A setup's changes as the user made them: a parameter left out of (or added to) the search
    is fitted no more (or now), not its range "now absent"; a recovery study's known values
    changed, not also the replications recorded with them or the target values made from them
    (a target's uncertainty or weight changed, or a target added or dropped, is the user's)."""
    known = [c for c in changed if c[0].startswith("calibration.recover")]  # the cause: said first
    said = []
    for k, was, now in known + [c for c in changed if c not in known]:
        if known and (k == "calibration.final_replications" or k.startswith("target ")
                      and not _absent(was) and not _absent(now)
                      and was.partition(" ")[2] == now.partition(" ")[2]):  # its value alone
            continue
        name = k.removeprefix("calibration.params.")
        if name != k and _absent(now):
            said.append(f"{name} was fitted ({_shown(was)}), now not")
        elif name != k and _absent(was):
            said.append(f"{name} was not fitted, now fitted ({_shown(now)})")
        else:
            said.append(f"{k} was {_shown(was)}, now {_shown(now)}")
    return said


def _absent(value: Any) -> bool:
    return value is _UNSET or value is MISSING


def _check_trials_vary(study: optuna.Study, setup: dict[str, Any]) -> None:
    """A study with no setup recorded still shows, in its trials, which parameters it varied:
    a command that frees others cannot take it over (its best trial would lack their values)."""
    varied = {k for t in study.get_trials(deepcopy=False, states=FINISHED) for k in t.params}
    freed = {k.removeprefix("calibration.params.") for k in setup if k.startswith("calibration.params.")}
    if varied and varied != freed:
        def typed(keys: set[str]) -> str:  # as calibration.free=[...] is typed
            return f"[{','.join(sorted(keys))}]"
        raise ConfigError("calibration.free", typed(freed),
                          f"the parameters study {study.study_name!r} varied (it has no setup "
                          "recorded: an older salessim-calibrate made it): calibration.free="
                          f"{typed(varied)}, or pick a new calibration.name")


def _shown(value: Any) -> str:
    text = ("absent" if _absent(value) else value if isinstance(value, str)
            else json.dumps(value))
    return text if len(text) <= 60 else text[:57] + "..."


def values_of(problem: Problem, params: dict[str, float]) -> dict[FreeParam, float]:
    return {p: params[p.key] for p in problem.params}


def fit_table(problem: Problem, sims: dict[tuple, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for t in problem.targets:
        v = sims[t.condition][t.metric]
        values = v.dropna().to_numpy(dtype=float)
        m, low, high = mean_ci_within(t.metric, values)  # a share's interval stops at 0 and 1
        # The standard error of the simulated mean, sd / sqrt(n): the model's own noise, next to
        # the target's standard error (not the interval's half-width, which adds Student's t).
        se = float(values.std(ddof=1)) / math.sqrt(len(values)) if len(values) > 1 else math.nan
        z = (m - t.value) / t.std_error
        # z as the objective counts it, against the target's error alone; beside it, the gap over
        # both errors, where the model's own noise may be as large (a researcher read z = -6.1 of a
        # turnover whose simulated mean was 3 times as uncertain as the survey's figure)
        both = (m - t.value) / math.hypot(t.std_error, se) if not math.isnan(se) else math.nan
        rows.append({"metric": t.metric, "condition": " ".join(t.condition), "target": t.value,
                     "std_error": t.std_error, "simulated_mean": m, "simulated_ci_low": low,
                     "simulated_ci_high": high, "simulation_se": se, "replications": len(values),
                     "z": z, "within_2se": bool(abs(z) <= 2.0), "z_with_simulation_se": both,
                     "weight": t.weight, "source": t.source})
    return pd.DataFrame(rows)


def with_the_setup(fit: pd.DataFrame, problem: Problem, setup: dict[tuple, pd.DataFrame]) -> pd.DataFrame:
    """The fit table with the model as set up before the study (its free parameters where the
    command left them), over the same replications: ``setup_simulated_mean`` and ``setup_z``. A
    researcher's walk found a 60-trial fit scoring worse than where it started (0.571 against
    0.485 over the fit's 10 replications), which only the two side by side can tell."""
    start = fit_table(problem, setup)
    return fit.assign(setup_simulated_mean=start.simulated_mean.to_numpy(), setup_z=start.z.to_numpy())


def fresh_replications(cal) -> range:
    """The replications of the fit's check: as many as the fit's own (calibration.final_replications),
    from the first that no trial ran and the fit's own table does not use."""
    first = max(cal.replications, cal.final_replications)
    return range(first, first + cal.final_replications)


def with_fresh_replications(fit: pd.DataFrame, problem: Problem,
                            fresh: dict[tuple, pd.DataFrame]) -> pd.DataFrame:
    """The fit table with the fit's values over replications no trial ran (``fresh``):
    ``fresh_simulated_mean`` and ``fresh_z``. The fit's own replications include the trials', whose
    luck the search chose the values on (a researcher's 60-trial fit, z 1.2 for turnover on its
    own replications, came out at 5.1 on another seed)."""
    check = fit_table(problem, fresh)
    return fit.assign(fresh_simulated_mean=check.simulated_mean.to_numpy(), fresh_z=check.z.to_numpy())


def weighted_mean_square(weighted_z: Iterable[tuple[float, float]]) -> float:
    """The objective a study minimizes: the weighted mean squared z-score of (weight, z) pairs;
    inf at the first z that is not finite (the model produced no such figure: not a fit), NaN
    with no pair."""
    total = weights = 0.0
    for weight, z in weighted_z:
        if not math.isfinite(z):
            return math.inf
        total += weight * z ** 2
        weights += weight
    return total / weights if weights else math.nan


def objective_of(z: pd.Series, weight: pd.Series) -> float:
    """The objective a study minimizes (Problem.score), from a fit table's z and weight columns:
    its fitted targets are those of weight above 0."""
    return weighted_mean_square((w, float(zz)) for zz, w in zip(z, weight) if w > 0)


UNREACHED_Z = 5.0  # a fitted target no trial came this near (in its standard errors) is out of reach


def unreached(problem: Problem, study: optuna.Study) -> list[tuple[Target, float, int]]:
    """The fitted targets no complete trial came within UNREACHED_Z standard errors of, each with
    the nearest trial's simulated figure and number, once the study holds the trials TPE draws
    at random over the ranges (RANDOM_TRIALS) or more: more trials are unlikely to reach
    them (a walk's 700-day cycle, typed for 70, took over the objective and was advised more
    trials). None before: a few trials say little of what the ranges can reach."""
    trials = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
              if INVALID not in t.user_attrs]
    if len(trials) < RANDOM_TRIALS:
        return []
    out = []
    for target in problem.targets:
        seen = [(abs(figure - target.value) / target.std_error, figure, t.number) for t in trials
                if math.isfinite(figure := t.user_attrs.get(target.label, math.nan))]
        if target.weight and seen and (closest := min(seen))[0] > UNREACHED_Z:
            out.append((target, closest[1], closest[2]))
    return out


def recovered(p: FreeParam, best: float, near: np.ndarray, truth: float,
              narrow: bool | None) -> dict[str, Any]:
    """How far a recovery study's best value lands from the truth, as a share of the range
    searched, whether the near-best trials' range holds the truth, and so whether the parameter is
    recovered: None with too few near-best trials to tell, and when the best value is near the
    truth but the near-best range is wide (not settled: a range over most of the search holds any
    truth, and a best value near it can be luck)."""
    error = abs(best - truth) / (p.high - p.low)
    inside = bool(near.min() <= truth <= near.max()) if len(near) >= MIN_NEAR_BEST else None
    close = bool(inside and error <= RECOVERED_ERROR)
    return {"truth": truth, "error_share": error, "truth_in_near_best": inside,
            "recovered": None if inside is None or (close and not narrow) else close}


def range_edge(p: FreeParam, best: float) -> str:
    """'low' or 'high' where ``best`` lies within EDGE_SHARE of that end of the range searched (on
    the scale searched: a log one for log: true), else ''."""
    if not math.isfinite(best):
        return ""
    scale = math.log if p.log else float
    share = (scale(best) - scale(p.low)) / (scale(p.high) - scale(p.low))
    return "low" if share <= EDGE_SHARE else "high" if share >= 1 - EDGE_SHARE else ""


def spread_table(problem: Problem, study: optuna.Study) -> pd.DataFrame:
    """How tightly the near-best trials (the best NEAR_BEST_SHARE, at least MIN_NEAR_BEST) agree
    on each parameter. With fewer near-best trials than that, ``narrow`` is left empty and
    the verdict says there are too few trials to tell."""
    trials = sorted((t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
                     if math.isfinite(t.value)), key=lambda t: t.value)
    # A share of every finished trial: the pruned ones, never near-best, were searched too.
    finished = finished_trials(study)
    near = trials[: max(MIN_NEAR_BEST, int(finished * NEAR_BEST_SHARE))]
    young = finished < 2 * RANDOM_TRIALS  # its near-best trials are mostly the sampler's random draws
    few = finished < TRIALS_PER_PARAMETER * len(problem.params)  # a short search of many parameters
    best = trials[0].params if trials else {}
    rows = []
    for p in problem.params:
        xs = np.array([t.params[p.key] for t in near if p.key in t.params], dtype=float)
        width = (xs.max() - xs.min()) / (p.high - p.low) if len(xs) else math.nan
        narrow = bool(width < PINNED_SPREAD) if len(xs) >= MIN_NEAR_BEST else None
        # Narrow is what a parameter the targets pin down shows, but not proof of it: a study can
        # settle on one point of a ridge of equally good fits (docs/calibration.md, recovery).
        early = ((f" (after {finished} trials, the first {RANDOM_TRIALS} drawn at random: "
                  if finished > RANDOM_TRIALS else f" (after {finished} trials, all drawn at random: ")
                 if young else f" (after {finished} trials for {len(problem.params)} parameters, fewer than "
                 f"{TRIALS_PER_PARAMETER} each: " if few else "")
        verdict = {True: "narrow: the near-best trials agree" + (
                       early + "resume the study before relying on it)" if early else ""),
                   False: "wide: the near-best trials disagree (the targets cannot tell its values "
                          "apart, or the search has not settled)",
                   None: f"too few trials to tell ({len(xs)} near-best, {MIN_NEAR_BEST} needed)"}[narrow]
        edge = range_edge(p, best.get(p.key, math.nan))
        if edge:  # a narrow spread there is the range's end, not the targets'
            verdict += (f"; best at the {edge} end of the range searched: the fit may lie beyond it, so "
                        f"widen the range in a new study where values beyond are plausible")
        rows.append({"parameter": p.key, "mode": p.mode, "best": best.get(p.key, math.nan),
                     "near_best_min": xs.min() if len(xs) else math.nan,
                     "near_best_max": xs.max() if len(xs) else math.nan,
                     "range_low": p.low, "range_high": p.high, "share_of_range": width,
                     "narrow": narrow, "at_edge": edge, "verdict": verdict, "near_best_trials": len(xs),
                     **(recovered(p, best.get(p.key, math.nan), xs, problem.truth[p.key], narrow)
                        if problem.truth is not None else {})})
    return pd.DataFrame(rows)
