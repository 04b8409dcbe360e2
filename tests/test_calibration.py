"""Calibration: targets as data, parameter recovery, resuming a killed study, shared workers,
and malformed targets."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import optuna
import pandas as pd
import pytest
import yaml

from salessim.errors import UserError
from tests.conftest import ROOT

SMALL = ["org=small", "sim.years=1", "sim.warmup_months=2"]
TWO_PARAMS = ["calibration.free=[market.neutral_quality,org.attrition_base_monthly]",
              "calibration.params={market.neutral_quality:{low:0.44,high:0.58},"
              "org.attrition_base_monthly:{low:0.005,high:0.04}}"]


def calibrate(*args, cwd=ROOT, timeout=600, **popen):
    return subprocess.run([sys.executable, "-m", "salessim.calibration.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, **popen)


def model_targets(path: Path, neutral: float, attrition: float, replications: int) -> None:
    """Targets made by the model itself from known parameter values (same seeds as the study)."""
    import salessim
    s = salessim.run({"org": "small", "sim.years": 1, "sim.warmup_months": 2,
                      "sim.replications": replications, "market.neutral_quality": neutral,
                      "org.attrition_base_monthly": attrition}).summary
    pd.DataFrame([
        # Uncertainties of the order of the simulation's own noise with 20 sellers and 4
        # replications: a target cannot be held tighter than the model can measure it.
        {"metric": "win_rate", "value": s.win_rate.mean(), "std_error": 0.02, "source": "model"},
        {"metric": "seller_turnover_rate", "value": s.seller_turnover_rate.mean(), "std_error": 0.06,
         "source": "model"},
    ]).to_csv(path, index=False)


def test_parameter_recovery(tmp_path):
    """Known values in, the same values out: within 0.025 for neutral quality (a range 0.14 wide)
    and within 0.008 for the monthly attrition base (a range 0.035 wide)."""
    truth = {"neutral": 0.50, "attrition": 0.02}
    targets = tmp_path / "targets.csv"
    model_targets(targets, truth["neutral"], truth["attrition"], replications=4)
    out = tmp_path / "study"
    done = calibrate(*SMALL, *TWO_PARAMS, "calibration.name=recovery", f"calibration.targets_file={targets}",
                     "calibration.n_trials=40", "calibration.replications=4",
                     "calibration.final_replications=4", f"hydra.run.dir={out}")
    assert done.returncode == 0, done.stderr[-3000:]
    spread = pd.read_csv(out / "parameter_spread.csv").set_index("parameter")
    assert abs(spread.loc["market.neutral_quality", "best"] - truth["neutral"]) < 0.025
    assert abs(spread.loc["org.attrition_base_monthly", "best"] - truth["attrition"]) < 0.008
    fit = pd.read_csv(out / "fit.csv")
    assert fit.within_2se.all()
    calibrated = yaml.safe_load((out / "calibrated.yaml").read_text())
    assert set(calibrated) == {"market", "org"}
    assert "fit_report.html" in os.listdir(out)
    assert "data:image/png;base64," in (out / "fit_report.html").read_text()


def test_a_killed_study_resumes_the_same_study(tmp_path):
    out = tmp_path / "study"
    args = [*SMALL, *TWO_PARAMS, "calibration.name=resume", "calibration.replications=1",
            "calibration.final_replications=2", f"hydra.run.dir={out}"]
    proc = subprocess.Popen([sys.executable, "-m", "salessim.calibration.cli", *args,
                             "calibration.n_trials=500"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    journal = out / "study.journal"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if journal.exists() and _complete(journal, "resume") >= 3:
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = _complete(journal, "resume")
    assert 3 <= before < 500
    again = calibrate(*args, f"calibration.n_trials={before + 2}")
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"resuming study 'resume' with {before} complete trial(s)" in again.stdout
    assert _complete(journal, "resume") == before + 2


def _complete(journal: Path, name: str) -> int:
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    study = optuna.load_study(study_name=name, storage=JournalStorage(JournalFileBackend(str(journal))))
    return len(study.get_trials(states=(optuna.trial.TrialState.COMPLETE,)))


def test_two_workers_share_one_study_through_an_rdb_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    args = [*SMALL, *TWO_PARAMS, "calibration.name=shared", f"calibration.storage={url}",
            "calibration.n_trials=8", "calibration.replications=1", "calibration.final_replications=2"]
    workers = [subprocess.Popen([sys.executable, "-m", "salessim.calibration.cli", *args,
                                 f"hydra.run.dir={tmp_path / f'w{i}'}"], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for i in range(2)]
    for w in workers:
        _, err = w.communicate(timeout=600)
        assert w.returncode == 0, err[-3000:]
    study = optuna.load_study(study_name="shared", storage=url)
    complete = study.get_trials(states=(optuna.trial.TrialState.COMPLETE,))
    assert len(complete) >= 8
    assert len({t.user_attrs["worker"] for t in complete}) == 2  # both did work


BAD_TARGETS = [
    ({"metric": "happiness", "value": 0.5, "std_error": 0.1}, ["happiness", "summary metric"]),
    ({"metric": "win_rate", "value": 1.7, "n": 100}, ["1.7", "between 0 and 1"]),
    ({"metric": "win_rate", "std_error": 0.1}, ["value", "missing"]),
    ({"metric": "win_rate", "value": None, "std_error": 0.1, "n": 3}, ["value", "number"]),
    ({"metric": "win_rate", "value": 0.4}, ["std_error", "n"]),
    ({"metric": "median_cycle_days", "value": 70, "n": 50}, ["only for proportions"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": -1}, ["std_error", "> 0"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 0.1, "condition": "fsm.spanx=3"}, ["condition", "fsm.spanx"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 0.1, "condition": "fsm.span_of_control=0"}, ["condition", "span_of_control"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 0.1, "condition": "not an override"}, ["condition"]),
]


@pytest.mark.parametrize("row,words", BAD_TARGETS, ids=[str(r) for r, _ in BAD_TARGETS])
def test_malformed_targets_end_with_one_line(tmp_path, row, words):
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    path = tmp_path / "t.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    with pytest.raises(UserError) as info:
        check_command([*SMALL, f"calibration.targets_file={path}"], "calibrate", _validate)
    assert "\n" not in info.value.message
    for word in words:
        assert word in info.value.message, info.value.message


def test_malformed_targets_on_the_command_line_exit_2(tmp_path):
    out = tmp_path / "out"
    for args in (["calibration.targets_file=/nonexistent.csv"],
                 ["+targets.items=[{metric:win_rate,value:2,n:10}]"],
                 ["calibration.n_trials=0"],
                 ["calibration.name=../../escaped"],  # the name becomes a file name
                 ["calibration.name="],
                 ["calibration.params={market.stance_mean:{low:-0.2,high:0.2}}"],  # needs a '+'
                 ["+calibration.params.fsm.span_of_control={low:0,high:5}"]):
        done = calibrate(*SMALL, *args, f"hydra.run.dir={out}")
        assert done.returncode == 2, (args, done.stderr)
        lines = [x for x in done.stderr.splitlines() if x.strip()]
        assert len(lines) == 1 and lines[0].startswith("salessim-calibrate: error:"), done.stderr
        assert not out.exists()


def test_a_new_free_parameter_is_added_with_a_plus():
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    new = "{market.stance_mean:{low:-0.2,high:0.2}}"
    with pytest.raises(UserError) as info:
        check_command([*SMALL, f"calibration.params={new}"], "calibrate", _validate)
    assert "+calibration.params=" in info.value.message
    assert check_command([*SMALL, f"+calibration.params={new}", "calibration.free=[market.stance_mean]"],
                         "calibrate", _validate) == 1
