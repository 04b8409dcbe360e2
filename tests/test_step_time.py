"""How long a next step's commands are said to take: from the compared jobs' own recorded times,
at the step's replications and years, its jobs handed out to the launcher's workers in turn."""

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import yaml

from salessim.config import Config
from salessim.step_time import (RUN_START_SECONDS, SWEEP_START_SECONDS, launcher_of,
                                seconds_per_replication_year, step_took)

JOBLIB = "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"
BASIC = "hydra._internal.core_plugins.basic_launcher.BasicLauncher"
RAY = "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher"


def _job(seconds: float, replications: int = 3, years: float = 3.0, workers: int = 1):
    """A compared job that took ``seconds`` by its manifest."""
    cfg = Config()
    cfg.sim.replications, cfg.sim.years, cfg.sim.workers = replications, years, workers
    started = datetime(2026, 12, 7, 15, tzinfo=timezone.utc)
    manifest = {"started_utc": started.isoformat(timespec="seconds"),
                "finished_utc": (started + timedelta(seconds=seconds)).isoformat(timespec="seconds")}
    return SimpleNamespace(manifest=manifest, cfg=cfg)


def test_a_job_costs_its_recorded_time_per_replication_and_year_on_each_worker():
    assert seconds_per_replication_year(_job(18, replications=3, years=3)) == 2.0
    # two replication workers side by side: twice the work of one core in the time
    assert seconds_per_replication_year(_job(18, replications=3, years=3, workers=2)) == 4.0
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


def test_the_launcher_is_read_from_the_jobs_record(tmp_path):
    (tmp_path / ".hydra").mkdir()
    (tmp_path / ".hydra" / "hydra.yaml").write_text(yaml.safe_dump(
        {"hydra": {"launcher": {"_target_": JOBLIB, "n_jobs": -1}}}))
    assert launcher_of(SimpleNamespace(path=tmp_path))["n_jobs"] == -1
    assert launcher_of(SimpleNamespace(path=tmp_path / "none")) is None
