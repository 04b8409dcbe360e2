"""Jobs of a sweep that differ in their seed alone, compared as one scenario.

A sweep of ``sim.seed`` (``salessim -m sim.seed=1,2,3 'investment=[],[crm]'``) runs every
configuration on several sets of random numbers, as Hydra users sweep a seed for more samples.
Replication ``r`` of seed ``s`` is seeded by ``(s, r)`` alone in every scenario (docs/model.md,
section 3), so the jobs of one configuration are that scenario's replications, and two
scenarios share their luck replication by replication wherever they share a seed and a
replication number. ``pool_seeds`` makes each such group one job and numbers every replication
of the comparison by its (seed, replication), so that the paired differences pair exactly the
replications that replay the same random numbers.

A group is pooled only when its jobs ran the same configuration (number of replications
included), by the same salessim code, each on its own seed, and when it shares a seed with the
baseline: a group on other seeds only would share no replication with it, and is left as jobs
of another seed, which the comparison's notes name.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace

import pandas as pd

from salessim.config import flatten
from salessim.errors import first_few
from salessim.manifest import code_of
from salessim.report_table import short_names, split_overrides
from salessim.sweep_folder import NOT_DIFFERENCES, Job, job_key, unique_scenario_names

SEED = "sim.seed"
SEED_ITEM = SEED + "="  # how Hydra's job name (override_dirname) and overrides hold a seed
# The settings that tell a job's luck apart without changing what is simulated. An explicit
# sim.scenario name stays part of the configuration: jobs named apart are kept apart.
NOT_THE_CONFIGURATION = (*(k for k in NOT_DIFFERENCES if k != "sim.scenario"), SEED)
# How a baseline chosen on other seeds than its own job's is said (baseline.py).
ON_FINISHED_SEEDS = ", on the seeds whose jobs finished"
NAMED_GROUPS = 3  # pooled scenarios the note names; more are counted

Numbers = dict[tuple[int, int], int]  # (seed, replication) -> the replication's number


def seeds_of(job: Job) -> list[int]:
    """The seeds a job's replications ran on: several for a pooled job, in its jobs' order."""
    return job.manifest.get("seeds") or [_seed(job)]


def seeds_said(job: Job) -> str:
    """"seed 1", or "seeds 1, 2" for a pooled job."""
    seeds = seeds_of(job)
    return f"seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}"


def pool_seeds(jobs: list[Job], baseline: Job) -> tuple[list[Job], Job, list[str]]:
    """The jobs with each group that differs in its seed alone made one job (in the place of its
    first), the baseline among them, and a note saying what was pooled; the jobs unchanged when
    nothing is. A run from outside the sweep (--baseline FOLDER, --with) is pooled with none."""
    groups = seed_groups(jobs)
    base_group = next((g for g in groups if any(j is baseline for j in g)), [baseline])
    base_seeds = {_seed(j) for j in base_group}
    groups = [g for g in groups if {_seed(j) for j in g} & base_seeds]
    if not groups:
        return jobs, baseline, []
    numbers = _numbers(jobs, base_group)
    first = {id(g[0]): g for g in groups}
    later = {id(j) for g in groups for j in g[1:]}
    out, new_baseline = [], baseline
    for j in jobs:
        if j.problem:
            out.append(j)
        elif id(j) not in later:  # a group's first job stands for all of it
            group = first.get(id(j), [j])
            made = _one_job(group, numbers, base_seeds)
            if group is base_group or j is baseline:
                new_baseline = made
            out.append(made)
    unique_scenario_names(out)  # names were made again from the jobs' own
    return out, new_baseline, [_pooled_note(groups, base_seeds)]


def seed_groups(jobs: list[Job]) -> list[list[Job]]:
    """The finished jobs that may be pooled, group by group, each in job order: two or more jobs
    of one configuration, each on its own seed."""
    groups: dict[str, list[Job]] = {}
    for j in jobs:
        if not j.problem and not j.elsewhere:
            groups.setdefault(_configuration(j), []).append(j)
    return [g for g in groups.values() if len(g) > 1 and len({_seed(j) for j in g}) == len(g)]


def on_other_seeds(asked: list[str] | None, jobs: list[Job]) -> list[Job]:
    """The finished jobs that ran what a job that did not finish was asked to run (``asked``, its
    overrides), on another seed: what is left of its configuration's pooled scenario. None of a
    sweep that did not sweep the seed."""
    seed = seed_asked(asked or [])
    if seed is None:
        return []
    wanted = _without_seed(asked)
    return [j for j in jobs if not j.problem and j.overrides is not None
            and _without_seed(j.overrides) == wanted and seed_asked(j.overrides) not in (None, seed)]


def seed_asked(overrides: list[str]) -> str | None:
    """The seed a job's overrides set, as typed; None when they set none."""
    return next((o[len(SEED_ITEM):] for o in overrides if o.startswith(SEED_ITEM)), None)


def baseline_named(wanted: str, jobs: list[Job]) -> str | None:
    """The job folder of the first job of the pooled scenario that ``wanted`` (--baseline) names,
    as the comparison shows it: its name, the name the table shows (without the settings every
    scenario shares) or its jobs ("0, 2", spaces or not); None when it names none."""
    groups = seed_groups(jobs)
    labels, _ = short_names(compared_names(jobs, groups))
    for g in groups:
        name = _group_name(g)
        if (wanted in (name, labels.get(name))
                or wanted.replace(" ", "") == ",".join(j.name for j in g)):
            return g[0].name
    return None


def compared_names(jobs: list[Job], groups: list[list[Job]] | None = None) -> list[str]:
    """The scenarios of the finished jobs as the comparison names them, a pooled one once
    (``groups``: seed_groups(jobs), when the caller has them)."""
    groups = seed_groups(jobs) if groups is None else groups
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


def _without_seed(overrides: list[str]) -> tuple[str, ...]:
    return job_key([o for o in overrides if not o.startswith(SEED_ITEM)])


def _own_name(job: Job) -> str:
    """A job's name as its run gave it, before any job folder was added to tell it apart."""
    return str(job.manifest.get("scenario") or job.path.name)


def _numbers(jobs: list[Job], base_group: list[Job]) -> Numbers:
    """The replication numbers of the comparison: the baseline's 0 to n − 1, seed by seed; a
    replication of a seed the baseline ran gets the number of the baseline's that replays its
    random numbers; those of the seeds it did not run come after, alike in every job."""
    def pairs(job: Job) -> list[tuple[int, int]]:
        return [(_seed(job), int(r)) for r in job.summary.replication]

    base = sorted({p for j in base_group for p in pairs(j)})
    others = sorted({p for j in jobs if not j.problem for p in pairs(j)} - set(base))
    return {p: n for n, p in enumerate([*base, *others])}


def _renumbered(table: pd.DataFrame, seed: int, numbers: Numbers) -> pd.DataFrame:
    out = table.copy()
    out["replication"] = [numbers[(seed, int(r))] for r in table.replication]
    return out


def _one_job(group: list[Job], numbers: Numbers, base_seeds: set[int]) -> Job:
    """The jobs of ``group`` as one, its replications numbered by (seed, replication). A job pooled
    with no other, on a seed the baseline did not run, keeps its order instead, 0 to n − 1, and
    pairs with the baseline's replications by number as jobs of another seed always have (the
    comparison's notes say that such pairs share no random numbers); in a pooled group, such a
    seed's replications are numbered after the baseline's and pair with none."""
    head = group[0]
    if len(group) == 1 and _seed(head) not in base_seeds:
        numbers = {(_seed(head), int(r)): n for n, r in enumerate(sorted(head.summary.replication))}
    summary = pd.concat([_renumbered(j.summary, _seed(j), numbers) for j in group], ignore_index=True)
    monthly = pd.concat([_renumbered(j.monthly, _seed(j), numbers) for j in group], ignore_index=True)
    if len(group) == 1:
        return replace(head, scenario=_own_name(head), summary=summary, monthly=monthly)
    return replace(head, name=", ".join(j.name for j in group), scenario=_group_name(group),
                   summary=summary, monthly=monthly, pooled=True,
                   manifest={**head.manifest, "seeds": [_seed(j) for j in group]},
                   overrides=[o for o in head.overrides or [] if not o.startswith(SEED_ITEM)])


def _group_name(group: list[Job]) -> str:
    """The first job's own name without its seed; "seeds 1, 2" when the seed was all it said."""
    items = [i for i in split_overrides(_own_name(group[0])) if not i.startswith(SEED_ITEM)]
    # A name of one's own (sim.scenario) holds no seed item and is kept whole.
    return ",".join(items) or "seeds " + ", ".join(str(_seed(j)) for j in group)


def _pooled_note(groups: list[list[Job]], base_seeds: set[int]) -> str:
    seeds = sorted({_seed(j) for g in groups for j in g})
    each = [f"jobs {', '.join(j.name for j in g)}" for g in groups]
    unpaired = sorted(set(seeds) - base_seeds)
    return (f"Jobs that differ in sim.seed alone are one scenario each, on seeds "
            f"{', '.join(map(str, seeds))}: {first_few(each, NAMED_GROUPS, '; ')}. A scenario's "
            "replications are those of all its jobs, each paired with the baseline's of the same "
            "seed and replication number, which replay the same random numbers"
            + (f" (the baseline ran no seed {', '.join(map(str, unpaired))}: those replications "
               "count in the scenarios' means, not in their paired differences)." if unpaired else "."))
