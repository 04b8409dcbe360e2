"""Every shipped experiment composes, validates and runs in a shrunken form."""

import re
from pathlib import Path

import pandas as pd

from salessim.preflight import check_command
from tests.conftest import ROOT, run_cli

EXPERIMENTS = sorted(p.stem for p in (ROOT / "experiments").glob("*.yaml"))
# One year: the investments start in month 6, which must lie inside the horizon.
SHRINK = ["sim.replications=1", "sim.years=1", "sim.warmup_months=1", "org=small"]


def test_every_experiment_states_its_question():
    for name in EXPERIMENTS:
        text = (ROOT / "experiments" / f"{name}.yaml").read_text()
        assert text.startswith("# @package _global_"), name
        assert "Question:" in text and "experiment_question" in text, name


def test_every_experiment_runs_shrunk(tmp_path: Path):
    """Every job of every experiment: one sweep per experiment, as the experiments' files say to
    run them (a sweep over experiments is refused: it would run only their baselines). Each sweep
    composes and validates all its jobs before the first starts, so this is also the test that
    every experiment composes and validates."""
    for name in EXPERIMENTS:
        folder = tmp_path / name
        # One job at a time: the suite already runs a test per core, and starting the launcher's
        # worker processes cost more than they gained (test_launchers runs jobs side by side)
        proc = run_cli("-m", f"experiment={name}", *SHRINK, f"hydra.sweep.dir={folder}",
                       "hydra.launcher.n_jobs=1")
        assert proc.returncode == 0, proc.stderr[-2000:]
        jobs = [p for p in folder.iterdir() if p.is_dir()]
        # every job the command checked and announced
        announced = int(re.search(r"salessim: (\d+) jobs to run", proc.stderr).group(1))
        assert len(jobs) == announced > 1, name
        for job in jobs:
            assert (job / "manifest.json").exists(), job
            summary = pd.read_parquet(job / "summary.parquet")
            assert len(summary) == 1 and summary.bookings_usd.iloc[0] > 0

def test_a_sweep_over_experiments_that_do_not_sweep_is_allowed(tmp_path: Path):
    """Only experiments that sweep something make a sweep over experiments lose jobs."""
    (tmp_path / "experiment").mkdir()
    for name, span in (("mine1", 6), ("mine2", 7)):
        (tmp_path / "experiment" / f"{name}.yaml").write_text(
            f"# @package _global_\nfsm:\n  span_of_control: {span}\n")
    assert check_command(["-cd", str(tmp_path), "-m", "experiment=mine1,mine2", *SHRINK]) == 2


def test_every_investment_sweeps_each_shipped_investment_alone_against_none():
    """experiment=every_investment ranks them all in one comparison: it must not fall behind the
    investments shipped."""
    import yaml

    params = yaml.safe_load((ROOT / "experiments" / "every_investment.yaml").read_text())
    swept = [v.strip() for v in params["hydra"]["sweeper"]["params"]["investment"].split(",")]
    shipped = sorted(p.stem for p in (ROOT / "configs" / "investment").glob("*.yaml"))
    assert swept == ["[]"] + [f"[{name}]" for name in shipped]
