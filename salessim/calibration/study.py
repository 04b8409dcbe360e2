"""The Optuna study: each trial sets the free parameters, simulates every condition the targets
name, and scores the weighted distance between simulated and target moments.

Every trial replays the same replication seeds (common random numbers across trials), so two
parameter sets are compared on the same simulated luck and the objective surface is smooth.
"""

from __future__ import annotations

import math
import os
import time
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import optuna
import pandas as pd
from optuna.study import MaxTrialsCallback
from optuna.trial import TrialState

from salessim.calibration.params import FreeParam, apply, checked
from salessim.calibration.targets import Target
from salessim.config import Config
from salessim.runner import run_scenario
from salessim.stats import mean_ci


def storage_for(url: str | None, folder: Path):
    """Embedded journal file by default (a killed study resumes with nothing lost), else an RDB
    URL (postgresql://..., sqlite:///...) that several workers share."""
    if url:
        # Workers that start together race to create the schema of a new database; the loser
        # finds it made and simply connects again. Other errors (a malformed URL, an unknown
        # database kind) cannot pass on a retry, so they are raised at once.
        from sqlalchemy.exc import IntegrityError, OperationalError
        for attempt in range(5):
            try:
                return optuna.storages.RDBStorage(url)
            except (IntegrityError, OperationalError):
                if attempt == 4:
                    raise
                time.sleep(0.5 + attempt)
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    folder.mkdir(parents=True, exist_ok=True)
    return JournalStorage(JournalFileBackend(str(folder / "study.journal")))


def moments(cfg: Config) -> pd.DataFrame:
    """Per-replication summary, money totals per year (targets speak of yearly figures)."""
    s = run_scenario(cfg, progress=False).summary
    for col in [c for c in s.columns if c.endswith("_usd") and not c.startswith("mean_deal_usd")]:
        s[col] = s[col] / s.window_years
    return s


@dataclass
class Problem:
    bases: dict[tuple[str, ...], Config]  # one validated config per condition of the targets
    targets: list[Target]
    params: list[FreeParam]

    def simulate(self, values: dict[FreeParam, float], replications: int) -> dict[tuple, pd.DataFrame]:
        out = {}
        for cond, base in self.bases.items():
            cfg = checked(apply(base, values))
            cfg.sim.replications = replications
            cfg.sim.progress = False
            out[cond] = moments(cfg)
        return out

    def score(self, sims: dict[tuple, pd.DataFrame]) -> float:
        total = weights = 0.0
        for t in self.targets:
            m = float(sims[t.condition][t.metric].mean())
            if not math.isfinite(m):
                return math.inf  # the model produced no such figure: not a fit
            total += t.weight * ((m - t.value) / t.std_error) ** 2
            weights += t.weight
        return total / weights

    def suggest(self, trial: optuna.Trial) -> dict[FreeParam, float]:
        return {p: trial.suggest_float(p.key, p.low, p.high, log=p.log) for p in self.params}


def optimize(problem: Problem, study: optuna.Study, n_trials: int, replications: int,
             on_trial: Callable[[], None] | None = None) -> None:
    """Run trials until the study holds ``n_trials`` complete ones (across all its workers)."""
    def objective(trial: optuna.Trial) -> float:
        trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
        values = problem.suggest(trial)
        sims = problem.simulate(values, replications)
        for t in problem.targets:
            trial.set_user_attr(t.label, float(sims[t.condition][t.metric].mean()))
        return problem.score(sims)

    done = len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))
    if done >= n_trials:
        return
    callbacks = [MaxTrialsCallback(n_trials, states=(TrialState.COMPLETE,))]
    if on_trial is not None:
        callbacks.append(lambda study, trial: on_trial())
    study.optimize(objective, n_trials=n_trials - done, callbacks=callbacks, gc_after_trial=False)


def values_of(problem: Problem, params: dict[str, float]) -> dict[FreeParam, float]:
    return {p: params[p.key] for p in problem.params}


def fit_table(problem: Problem, sims: dict[tuple, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for t in problem.targets:
        v = sims[t.condition][t.metric]
        m, h = mean_ci(v.to_numpy(dtype=float))
        z = (m - t.value) / t.std_error
        rows.append({"metric": t.metric, "condition": " ".join(t.condition), "target": t.value,
                     "std_error": t.std_error, "simulated_mean": m, "simulated_ci_low": m - h,
                     "simulated_ci_high": m + h, "simulation_se": h / 1.96 if math.isfinite(h) else math.nan,
                     "z": z, "within_2se": bool(abs(z) <= 2.0), "weight": t.weight, "source": t.source})
    return pd.DataFrame(rows)


def spread_table(problem: Problem, study: optuna.Study, share: float = 0.1) -> pd.DataFrame:
    """How tightly the near-best trials (the best ``share``, at least 5) agree on each parameter."""
    trials = sorted((t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
                     if math.isfinite(t.value)), key=lambda t: t.value)
    near = trials[: max(5, int(len(trials) * share))]
    best = trials[0].params if trials else {}
    rows = []
    for p in problem.params:
        xs = np.array([t.params[p.key] for t in near if p.key in t.params], dtype=float)
        width = (xs.max() - xs.min()) / (p.high - p.low) if len(xs) else math.nan
        rows.append({"parameter": p.key, "mode": p.mode, "best": best.get(p.key, math.nan),
                     "near_best_min": xs.min() if len(xs) else math.nan,
                     "near_best_max": xs.max() if len(xs) else math.nan,
                     "range_low": p.low, "range_high": p.high, "share_of_range": width,
                     "pinned_down": bool(width < 0.25) if math.isfinite(width) else False,
                     "near_best_trials": len(xs)})
    return pd.DataFrame(rows)
