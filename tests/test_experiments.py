"""Every shipped experiment composes, validates and runs in a shrunken form."""

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


def test_every_experiment_composes_and_validates():
    for name in EXPERIMENTS:
        assert check_command(["-m", f"experiment={name}", *SHRINK]) >= 1


def test_every_experiment_runs_shrunk(tmp_path: Path):
    proc = run_cli("-m", "experiment=glob(*)", *SHRINK, f"hydra.sweep.dir={tmp_path}",
                   "hydra.launcher.n_jobs=2")
    assert proc.returncode == 0, proc.stderr[-2000:]
    expected = check_command(["-m", "experiment=glob(*)", *SHRINK])
    jobs = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert len(jobs) == expected
    for job in jobs:
        assert (job / "manifest.json").exists(), job
        summary = pd.read_parquet(job / "summary.parquet")
        assert len(summary) == 1 and summary.bookings_usd.iloc[0] > 0
