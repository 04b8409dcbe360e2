"""How long a next step's commands are said to take: from the compared jobs' own recorded times,
at the step's replications and years, its jobs handed out to the launcher's workers in turn."""

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import yaml

from salessim.config import Config
from salessim.step_time import (RUN_START_SECONDS, SWEEP_START_SECONDS, seconds_per_replication_year,
                                step_launcher, step_took)

JOBLIB = "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"
BASIC = "hydra._internal.core_plugins.basic_launcher.BasicLauncher"
RAY = "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher"


def _job(seconds: float, replications: int = 3, years: float = 3.0, workers: int = 1, path=None):
    """A compared job that took ``seconds`` by its manifest, its Hydra record in ``path``."""
    cfg = Config()
    cfg.sim.replications, cfg.sim.years, cfg.sim.workers = replications, years, workers
    started = datetime(2026, 12, 7, 15, tzinfo=timezone.utc)
    manifest = {"started_utc": started.isoformat(timespec="seconds"),
                "finished_utc": (started + timedelta(seconds=seconds)).isoformat(timespec="seconds")}
    return SimpleNamespace(manifest=manifest, cfg=cfg, path=path)


def _recorded(folder, mode="MULTIRUN", typed=(), **launcher):
    """A job folder whose Hydra record says it ran in ``mode`` on ``launcher``, with the Hydra
    overrides ``typed`` on the command line."""
    (folder / ".hydra").mkdir(parents=True)
    (folder / ".hydra" / "hydra.yaml").write_text(yaml.safe_dump(
        {"hydra": {"mode": mode, "launcher": launcher, "overrides": {"hydra": list(typed)}}}))
    return folder


def test_a_job_costs_its_recorded_time_per_replication_and_year_on_each_process(tmp_path):
    assert seconds_per_replication_year(_job(18, replications=3, years=3)) == 2.0
    # two replication workers side by side, each a process: twice the work of one core in the time
    assert seconds_per_replication_year(_job(18, replications=3, years=3, workers=2)) == 4.0
    alone = _recorded(tmp_path / "run", mode="RUN", _target_=JOBLIB, n_jobs=2)
    assert seconds_per_replication_year(_job(18, workers=2, path=alone)) == 4.0
    # ... but threads of one process in a joblib worker beside other jobs: one core's time
    beside = _recorded(tmp_path / "swept", _target_=JOBLIB, n_jobs=2)
    assert seconds_per_replication_year(_job(18, workers=2, path=beside)) == 2.0
    one_at_a_time = _recorded(tmp_path / "one", _target_=JOBLIB, n_jobs=1)
    assert seconds_per_replication_year(_job(18, workers=2, path=one_at_a_time)) == 4.0
    assert seconds_per_replication_year(_job(0)) > 0  # whole seconds: under one is not nothing
    assert seconds_per_replication_year(SimpleNamespace(manifest={}, cfg=Config())) is None


def test_a_sweep_takes_its_rounds_of_jobs_on_the_workers_and_runs_one_after_another():
    two = {"_target_": JOBLIB, "n_jobs": 2}
    jobs = [_job(15), _job(15), _job(15)]
    # three jobs of 15 s on two workers: two rounds, not one and a half, and the command's start
    assert step_took(jobs, [], True, two) == (
        f"Its sweep of 3 jobs takes about {round(30 + SWEEP_START_SECONDS)} s on 2 workers side by side, "
        "judging by how long the jobs compared here took.")
    # at 10 replications instead of 3, twice the years: 15 s -> 100 s a job
    assert "takes about 3 minutes on 2 workers" in step_took(jobs, ["sim.replications=10", "sim.years=6"],
                                                             True, two)
    # a change of two values runs each job twice
    assert step_took(jobs[:1], ["investment.crm.effect_scale=0.5,0.75"], True, two).startswith(
        "Its sweep of 2 jobs takes about 20 s on 2 workers")
    # the basic launcher runs them in turn; single runs too, each its own command
    assert "sweep of 3 jobs takes about 50 s," in step_took(jobs, [], True, {"_target_": BASIC})
    assert step_took(jobs, [], False, two).startswith(
        f"Its 3 runs take about {round(45 + 3 * RUN_START_SECONDS)} s one after another")
    # Ray's cluster shares the work among workers the command cannot count
    assert "sweep of 3 jobs is about 45 s of one core's work" in step_took(jobs, [], True, {"_target_": RAY})
    # a job without its times: nothing said
    assert step_took([*jobs, SimpleNamespace(manifest={}, cfg=Config())], [], True, two) == ""
    # a launcher not known, or an n_jobs Hydra kept as typed: the work alone, no crash
    assert "is about 45 s of one core's work" in step_took(jobs, [], True, None)
    for n_jobs in ("${oc.env:JOBS,2}", 0, 2.5, True):
        assert "of one core's work" in step_took(jobs, [], True, {"_target_": JOBLIB, "n_jobs": n_jobs})


def test_replication_workers_share_a_job_where_they_are_processes(tmp_path):
    """Jobs of 4 replications that took 40 s of one core each, as threads beside each other in a
    joblib sweep: with two replication workers, a run of each or a sweep one job at a time halves
    them; a sweep of jobs side by side runs them as threads of its workers again."""
    beside = _recorded(tmp_path / "swept", _target_=JOBLIB, n_jobs=2)
    jobs = [_job(40, replications=4, years=1, workers=2, path=beside)] * 2
    runs = step_took(jobs, [], False, None)
    assert runs.startswith(f"Its 2 runs take about {round(40 + 2 * RUN_START_SECONDS)} s one after "), runs
    basic = {"_target_": BASIC}
    assert f"takes about {round(40 + SWEEP_START_SECONDS)} s," in step_took(jobs, [], True, basic)
    assert f"takes about {round(20 + SWEEP_START_SECONDS)} s," in step_took(jobs[:1], [], True, basic)
    two = {"_target_": JOBLIB, "n_jobs": 2}
    assert f"takes about {round(40 + SWEEP_START_SECONDS)} s on 2 workers" in step_took(jobs, [], True, two)
    # one job on two joblib workers still runs in a worker, its replications as threads
    assert f"takes about {round(40 + SWEEP_START_SECONDS)} s," in step_took(jobs[:1], [], True, two)


def test_a_step_runs_on_the_launcher_recorded_unless_it_was_typed(tmp_path):
    """A step's command holds the job's own overrides, not Hydra's: a launcher chosen or set on the
    command line is not the one the step runs on."""
    recorded = _recorded(tmp_path / "a", _target_=JOBLIB, n_jobs=-1)
    assert step_launcher(SimpleNamespace(path=recorded))["n_jobs"] == -1
    for typed in ("hydra.launcher.n_jobs=1", "hydra/launcher=ray", "+hydra.launcher.batch_size=2"):
        chosen = _recorded(tmp_path / typed.replace("/", "_"), typed=["hydra.mode=MULTIRUN", typed],
                           _target_=JOBLIB, n_jobs=1)
        assert step_launcher(SimpleNamespace(path=chosen)) is None, typed
    assert step_launcher(SimpleNamespace(path=tmp_path / "none")) is None
    assert step_launcher(SimpleNamespace()) is None
