"""Jobs of a sweep that differ in their seed alone, compared as one scenario.

A sweep of ``sim.seed`` (``salessim -m sim.seed=1,2,3 'investment=[],[crm]'``) runs every
configuration on several sets of random numbers, as Hydra users sweep a seed for more samples.
Replication ``r`` of seed ``s`` is seeded by ``(s, r)`` alone in every scenario (docs/model.md,
random numbers), so the jobs of one configuration are that scenario's replications, and two
scenarios share their luck replication by replication wherever they share a seed and a
replication number. ``pool_seeds`` makes each such group one job and numbers every replication
of the comparison by its (seed, replication), so that the paired differences pair exactly the
replications that replay the same random numbers.

A group is pooled only when its jobs ran the same configuration, by the same salessim code, on
different seeds: two jobs of one seed are a repeat, which the comparison's notes name, not more
replications.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace

import pandas as pd

from salessim.config import flatten
from salessim.manifest import code_of
from salessim.report_table import short_names, split_overrides
from salessim.sweep_folder import NOT_DIFFERENCES, Job

# The settings that tell a job's replications apart without changing what is simulated. An
# explicit sim.scenario name stays part of the configuration: jobs named apart are kept apart.
NOT_THE_CONFIGURATION = (*(k for k in NOT_DIFFERENCES if k != "sim.scenario"), "sim.seed",
                         "sim.replications")
SEED_ITEM = "sim.seed="  # how Hydra's job name (override_dirname) holds a swept seed


def seeds_of(job: Job) -> list[int]:
    """The seeds a job's replications ran on: several for a pooled job, in its jobs' order."""
    return job.manifest.get("seeds") or [_seed(job)]


def pool_seeds(jobs: list[Job], baseline: Job,
               apart: Job | None = None) -> tuple[list[Job], Job, list[str]]:
    """The jobs with each group that differs in its seed alone made one job (in the place of its
    first), the baseline among them, and a note saying what was pooled; the jobs unchanged when
    nothing is. ``apart``: a baseline run outside the sweep (--baseline FOLDER), pooled with none."""
    pooled = seed_groups(jobs, apart)
    if not pooled:
        return jobs, baseline, []
    numbers = _numbers([j for j in jobs if not j.problem], baseline)
    first = {id(g[0]): g for g in pooled}
    members = {id(j) for g in pooled for j in g}
    out, new_baseline = [], baseline
    for j in jobs:
        if j.problem:
            out.append(j)
            continue
        if id(j) in members and id(j) not in first:
            continue
        group = first.get(id(j), [j])
        made = _one_job(group, numbers, set(seeds_of(baseline)))
        if any(m is baseline for m in group):
            new_baseline = made
        out.append(made)
    return out, new_baseline, [_pooled_note(pooled)]


def seed_groups(jobs: list[Job], apart: Job | None = None) -> list[list[Job]]:
    """The finished jobs to pool, group by group, each in job order: two or more jobs of one
    configuration, each on its own seed."""
    groups: dict[str, list[Job]] = {}
    for j in jobs:
        if not j.problem and j is not apart:
            groups.setdefault(_configuration(j), []).append(j)
    return [g for g in groups.values() if len(g) > 1 and len({_seed(j) for j in g}) == len(g)]


def baseline_named(wanted: str, jobs: list[Job], apart: Job | None = None) -> str | None:
    """The job folder of the first job of the pooled scenario that ``wanted`` (--baseline) names,
    as the comparison shows it: its name, the name the table shows (without the settings every
    scenario shares) or its jobs ("0, 2"); None when it names none."""
    groups = seed_groups(jobs, apart)
    labels, _ = short_names(compared_names(jobs, apart), [apart.scenario] if apart is not None else [])
    for g in groups:
        name = _group_name(g)
        if wanted in (name, labels[name], ", ".join(j.name for j in g)):
            return g[0].name
    return None


def compared_names(jobs: list[Job], apart: Job | None = None) -> list[str]:
    """The scenarios of the finished jobs as the comparison names them, a pooled one once."""
    groups = seed_groups(jobs, apart)
    first = {id(g[0]): _group_name(g) for g in groups}
    later = {id(j) for g in groups for j in g[1:]}
    return [first.get(id(j), j.scenario) for j in jobs if not j.problem and id(j) not in later]


def _configuration(job: Job) -> str:
    """What a job simulates, apart from its luck, and which code simulated it: jobs alike here
    differ in their random numbers alone."""
    settings = {k: v for k, v in flatten(asdict(job.cfg)).items() if k not in NOT_THE_CONFIGURATION}
    return json.dumps([settings, code_of(job.manifest), job.manifest.get("calibrated")],
                      sort_keys=True, default=str)


def _seed(job: Job) -> int:
    return int(job.cfg.sim.seed)


Numbers = dict[tuple[int, int], int]  # (seed, replication) -> the replication's number


def _numbers(jobs: list[Job], baseline: Job) -> Numbers:
    """The replication numbers of the comparison: the baseline's 0 to n − 1, seed by seed, and a
    replication of a seed the baseline ran the same number as the baseline's that replays its
    random numbers; those of the seeds it did not run come after, alike in every job."""
    def pairs(job: Job) -> list[tuple[int, int]]:
        return [(_seed(job), int(r)) for r in job.summary.replication]

    base = sorted(set(pairs(baseline)))
    others = sorted({p for j in jobs for p in pairs(j)} - set(base))
    return {p: n for n, p in enumerate([*base, *others])}


def _renumbered(table: pd.DataFrame, seed: int, numbers: Numbers) -> pd.DataFrame:
    out = table.copy()
    out["replication"] = [numbers[(seed, int(r))] for r in table.replication]
    return out


def _one_job(group: list[Job], numbers: Numbers, baseline_seeds: set[int]) -> Job:
    """The jobs of ``group`` as one, its replications numbered by (seed, replication). A job that
    shares no seed with the baseline keeps its order instead, 0 to n − 1, so that it pairs with
    the baseline's replications as jobs of another seed do (by number; the comparison's notes say
    that such pairs share no random numbers)."""
    head = group[0]
    if not {_seed(j) for j in group} & baseline_seeds:
        pairs = sorted((_seed(j), int(r)) for j in group for r in j.summary.replication)
        numbers = {p: n for n, p in enumerate(pairs)}
    summary = pd.concat([_renumbered(j.summary, _seed(j), numbers) for j in group], ignore_index=True)
    monthly = pd.concat([_renumbered(j.monthly, _seed(j), numbers) for j in group], ignore_index=True)
    if len(group) == 1:
        return replace(head, summary=summary, monthly=monthly)
    seeds = [_seed(j) for j in group]
    return replace(head, name=", ".join(j.name for j in group), scenario=_group_name(group),
                   summary=summary, monthly=monthly,
                   manifest={**head.manifest, "seeds": seeds},
                   overrides=[o for o in head.overrides or [] if not o.startswith(SEED_ITEM)])


def _group_name(group: list[Job]) -> str:
    """The first job's name without its seed; "seeds 1, 2" when the seed was all it said."""
    items = [i for i in split_overrides(group[0].scenario) if not i.startswith(SEED_ITEM)]
    # A name of one's own (sim.scenario) holds no seed item and is kept whole.
    return ",".join(items) or "seeds " + ", ".join(str(_seed(j)) for j in group)


def _pooled_note(pooled: list[list[Job]]) -> str:
    seeds = sorted({_seed(j) for g in pooled for j in g})
    jobs = "; ".join(", ".join(j.name for j in g) for g in pooled)
    return (f"Jobs that differ in sim.seed alone are one scenario each (seeds "
            f"{', '.join(map(str, seeds))}; jobs {jobs}): their replications together, each paired "
            "with the baseline's of the same seed and replication number, which replay the same "
            "random numbers.")
