"""Calibration: targets as data, parameter recovery, resuming a killed study, shared workers,
and malformed targets."""

import dataclasses
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import optuna
import pandas as pd
import pytest
import yaml
from omegaconf import OmegaConf

from salessim.errors import ConfigError, UserError
from tests.commands import run_module
from tests.conftest import ROOT, run_cli

SMALL = ["org=small", "sim.years=1", "sim.warmup_months=2"]
TWO_PARAMS = ["calibration.free=[market.neutral_quality,org.attrition_base_monthly]",
              "calibration.params={market.neutral_quality:{low:0.44,high:0.58},"
              "org.attrition_base_monthly:{low:0.005,high:0.04}}"]


def calibrate(*args, cwd=ROOT, timeout=600, env=None, fresh=False):
    return run_module("salessim.calibration.cli", *args, cwd=cwd, timeout=timeout, env=env, fresh=fresh)


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
        if journal.exists() and _finished(journal, "resume") >= 3:
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = _finished(journal, "resume")
    assert 3 <= before < 500
    again = calibrate(*args, f"calibration.n_trials={before + 2}")
    assert again.returncode == 0, again.stderr[-3000:]
    assert (f"resuming study 'resume' with {before} trials; 2 more trials to reach "
            f"calibration.n_trials={before + 2}") in again.stderr
    # One replication a trial leaves the pruner no step to judge: the command says so.
    assert "calibration.prune stops no trial here: a trial runs one replication" in again.stderr
    assert _finished(journal, "resume") == before + 2


def _finished(journal: Path, name: str) -> int:
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    study = optuna.load_study(study_name=name, storage=JournalStorage(JournalFileBackend(str(journal))))
    return len(study.get_trials(states=(optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED)))


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
    assert len(_proposals(complete)) == len(complete)  # and neither repeated the other


TINY = [*SMALL, *TWO_PARAMS, "calibration.replications=1", "calibration.final_replications=2"]


def _proposals(trials) -> set:
    return {tuple(sorted(t.params.items())) for t in trials}


def _trials(folder: Path, name: str) -> list:
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    study = optuna.load_study(study_name=name, storage=JournalStorage(JournalFileBackend(
        str(folder / "study.journal"))))
    return study.get_trials(states=(optuna.trial.TrialState.COMPLETE,))


def test_a_fresh_study_is_reproducible_and_resumed_or_shared_ones_never_repeat_a_trial(tmp_path):
    """Each trial's sampler is seeded from calibration.seed and the trial's number: a resumed
    study used to propose its first trials again, and workers started together the same values."""
    for folder in ("a", "b"):
        done = calibrate(*TINY, "calibration.name=norepeat", "calibration.n_trials=3",
                         f"hydra.run.dir={tmp_path / folder}", fresh=folder == "a")  # apart
        assert done.returncode == 0, done.stderr[-3000:]
    first = [t.params for t in _trials(tmp_path / "a", "norepeat")]
    assert [t.params for t in _trials(tmp_path / "b", "norepeat")] == first  # same seed, same study
    again = calibrate(*TINY, "calibration.name=norepeat", "calibration.n_trials=6",
                      f"hydra.run.dir={tmp_path / 'b'}")
    assert again.returncode == 0, again.stderr[-3000:]
    resumed = _trials(tmp_path / "b", "norepeat")
    assert len(resumed) == 6 and len(_proposals(resumed)) == 6, [t.params for t in resumed]

    workers = [subprocess.Popen([sys.executable, "-m", "salessim.calibration.cli", *TINY,
                                 "calibration.name=norepeat", "calibration.n_trials=4",
                                 f"hydra.run.dir={tmp_path / 'shared'}"], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]  # one journal file, as docs/calibration.md suggests
    for w in workers:
        _, err = w.communicate(timeout=600)
        assert w.returncode == 0, err[-3000:]
    shared = _trials(tmp_path / "shared", "norepeat")
    assert len(shared) >= 4 and len(_proposals(shared)) == len(shared), [t.params for t in shared]


def test_resuming_with_another_setup_is_refused_and_other_settings_are_not(tmp_path):
    out = tmp_path / "study"
    args = [*TINY, "calibration.name=setup", f"hydra.run.dir={out}"]
    assert calibrate(*args, "calibration.n_trials=2").returncode == 0
    targets = tmp_path / "targets.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.4, "std_error": 0.02}]).to_csv(targets, index=False)
    hydra_config = (out / ".hydra" / "config.yaml").read_text()
    journal = (out / "study.journal").read_bytes()
    for change, named in (("sim.years=2", "sim.years was 1.0, now 2.0"),
                          ("calibration.replications=2", "calibration.replications was 1, now 2"),
                          ("calibration.free=[market.neutral_quality]",
                           "org.attrition_base_monthly was fitted (0.005 to 0.04), now not"),
                          ("calibration.params={market.neutral_quality:{low:0.45,high:0.58},"
                           "org.attrition_base_monthly:{low:0.005,high:0.04}}",
                           "calibration.params.market.neutral_quality was 0.44 to 0.58, now 0.45 to 0.58"),
                          (f"calibration.targets_file={targets}",
                           "target fsm_coaching_share was 0.16 ± 0.02, weight 1, now absent")):
        done = calibrate(*args, "calibration.n_trials=3", change)
        assert done.returncode == 2, (change, done.stderr[-3000:])
        lines = [x for x in done.stderr.splitlines() if x.strip()]
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith("salessim-calibrate: error: calibration.name='setup' is not allowed")
        assert named in lines[0] and "pick a new calibration.name" in lines[0], lines[0]
    # Refused before anything was written: the study and the folder's record of its config.
    assert (out / "study.journal").read_bytes() == journal
    assert (out / ".hydra" / "config.yaml").read_text() == hydra_config
    assert calibrate(*args, "sim.years=2", "--cfg", "job").returncode == 0  # shows, runs nothing
    # What does not change the objective does not block a resume.
    done = calibrate(*args, "calibration.n_trials=3", "calibration.final_replications=3",
                     "calibration.seed=7", "sim.progress=false", "sim.workers=2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "resuming study 'setup' with 2 trials; 1 more trial to reach calibration.n_trials=3" in done.stderr


def test_a_changed_setup_is_said_as_the_user_changed_it():
    """Dropping +calibration.recover was said as 'calibration.final_replications was 4, now absent'
    too, and narrowing calibration.free as a range 'now absent': neither was typed."""
    from salessim.calibration.study import as_changed, check_setup, fingerprint
    from salessim.config import changed_settings

    recorded = {"calibration.recover": {"market.neutral_quality": 0.5}, "calibration.final_replications": 4,
                "calibration.params.market.neutral_quality": "0.45 to 0.57",
                "calibration.params.org.attrition_base_monthly": "0.005 to 0.04",
                "target win_rate": "0.47 ± 0.02, weight 1"}
    study = optuna.create_study(study_name="s")
    study.set_user_attr("setup", recorded)
    study.set_user_attr("setup_fingerprint", fingerprint(recorded))
    now = {"calibration.params.market.neutral_quality": "0.45 to 0.57",
           "calibration.params.tools.internal_hours": "10.0 to 20.0", "target win_rate": "0.44 ± 0.02, weight 1",
           "target seller_turnover_rate": "0.3 ± 0.05, weight 1"}  # a target the user added
    assert check_setup(study, now, record=False)  # no trial to compare with: taken
    running = optuna.create_study(study_name="r")  # but not from under another worker's first trial
    running.set_user_attr("setup", recorded)
    running.set_user_attr("setup_fingerprint", fingerprint(recorded))
    running.ask()
    with pytest.raises(ConfigError):
        check_setup(running, now, record=False)
    study.add_trial(optuna.trial.create_trial(params={}, distributions={}, value=1.0))
    with pytest.raises(ConfigError) as info:
        check_setup(study, now, record=False)
    assert info.value.allowed.startswith(
        "a name for a new study: study 's' was made with another setup (calibration.recover."
        "market.neutral_quality was 0.5, now absent; org.attrition_base_monthly was fitted (0.005 to "
        "0.04), now not; tools.internal_hours was not fitted, now fitted (10.0 to 20.0); and 1 more), "
    ), info.value.allowed
    recorded["target win_rate"] = "0.47 ± 0.02, weight 2"  # its weight changed: the user's change
    study.set_user_attr("setup", recorded)
    study.set_user_attr("setup_fingerprint", fingerprint(recorded))
    with pytest.raises(ConfigError) as info:
        check_setup(study, now, record=False)
    assert "and 2 more" in info.value.allowed, info.value.allowed
    # without the recovery, the targets' values are the user's own change
    del recorded["calibration.recover"], recorded["calibration.final_replications"]
    recorded["target win_rate"] = "0.47 ± 0.02, weight 1"
    assert "target win_rate was 0.47 ± 0.02, weight 1, now 0.44 ± 0.02, weight 1" in as_changed(
        changed_settings(recorded, now))


def test_a_study_with_minus_m_is_refused_even_alone(tmp_path):
    """-m put one study in Hydra's multirun/ folder, where the same command without -m did not
    find it to resume (it started a new one)."""
    done = calibrate("-m", *TINY, "calibration.name=alone", cwd=tmp_path)
    assert done.returncode == 2 and "runs one study; allowed: overrides without -m" in done.stderr, done.stderr
    assert [x for x in done.stderr.splitlines() if x.strip()] == [done.stderr.strip()]
    assert not (tmp_path / "multirun").exists()
    # with --cfg too: refused for the -m it does not take, not as a pair offering -m
    shown = calibrate("-m", "--cfg", "job", *TINY, cwd=tmp_path)
    assert shown.returncode == 2 and "runs one study" in shown.stderr and "combined" not in shown.stderr


def test_a_database_study_refuses_another_setup_in_the_run(tmp_path):
    """Preflight does not reach a database: the run checks the setup before any trial."""
    url = f"sqlite:///{tmp_path / 'setup.db'}"
    args = [*TINY, "calibration.name=setup_db", f"calibration.storage={url}",
            f"hydra.run.dir={tmp_path / 'study'}"]
    assert calibrate(*args, "calibration.n_trials=2").returncode == 0
    done = calibrate(*args, "calibration.n_trials=3", "sim.years=2")
    assert done.returncode == 2, done.stderr[-3000:]
    assert [x for x in done.stderr.splitlines() if x.strip()] == [done.stderr.strip()]
    assert "sim.years was 1.0, now 2.0" in done.stderr
    study = optuna.load_study(study_name="setup_db", storage=url)
    assert len(study.trials) == 2


def test_a_study_without_a_recorded_setup_is_not_taken_over_by_other_free_parameters():
    """A study made before setups were recorded takes the setup of the command that resumes it,
    but only if that command frees the parameters its trials varied: otherwise its best trial
    lacks their values (a KeyError once, after the trials)."""
    from salessim.calibration.study import check_setup
    from salessim.errors import ConfigError

    study = optuna.create_study()
    study.enqueue_trial({"market.neutral_quality": 0.5})
    study.optimize(lambda t: t.suggest_float("market.neutral_quality", 0.44, 0.58), n_trials=1)
    other = {"calibration.params.org.attrition_base_monthly": "0.005 to 0.04"}
    with pytest.raises(ConfigError) as info:
        check_setup(study, other)
    assert info.value.key == "calibration.free"
    assert "calibration.free=[market.neutral_quality]," in str(info.value)
    assert "setup_fingerprint" not in study.user_attrs  # nothing recorded
    assert check_setup(study, {"calibration.params.market.neutral_quality": "0.44 to 0.58"}) is False
    assert "setup_fingerprint" in study.user_attrs


@pytest.fixture(scope="module")
def four_trials(tmp_path_factory):
    """A study of four trials fitted to a targets file: fewer than the five near-best trials a
    verdict on the spread needs."""
    tmp = tmp_path_factory.mktemp("four")
    targets = tmp / "my_targets.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.45, "std_error": 0.02},
                  {"metric": "seller_turnover_rate", "value": 0.3, "std_error": 0.05}]).to_csv(targets, index=False)
    out = tmp / "study"
    done = calibrate(*TINY, "calibration.name=four", "calibration.n_trials=4", "calibration.seed=3",
                     f"calibration.targets_file={targets}", f"hydra.run.dir={out}")
    assert done.returncode == 0, done.stderr[-3000:]
    # off a terminal, no bar: a line for each trial of four (test_trials_off_a_terminal_are_logged)
    assert "salessim-calibrate: 3 of 4 trials done; about" in done.stderr, done.stderr
    return out, targets, done.stdout


def test_a_condition_on_a_scaled_parameter_is_kept(tmp_path):
    """A parameter fitted with mode: scale multiplies the condition's own value, so the condition
    holds and is not refused (compensation.quota_usd.* is scaled by default)."""
    from salessim.calibration.cli import _validate
    from salessim.calibration.params import FreeParam, apply
    from salessim.config import Config
    from salessim.preflight import check_command

    path = tmp_path / "t.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.41, "std_error": 0.03,
                   "condition": "compensation.quota_usd.enterprise=2000000"}]).to_csv(path, index=False)
    assert check_command([*SMALL, f"calibration.targets_file={path}"], "calibrate", _validate) == 1
    cfg = Config()
    cfg.compensation.quota_usd["enterprise"] = 2_000_000.0
    scaled = apply(cfg, {FreeParam("compensation.quota_usd.*", 0.7, 1.3, "scale"): 0.9})
    assert scaled.compensation.quota_usd["enterprise"] == pytest.approx(1_800_000.0)


def test_a_fitted_key_set_by_a_preset_of_ones_own_or_left_out_of_the_search_is_allowed(tmp_path):
    """A preset that sets a fitted key is the study's setup: the fit's own setup picks it too, and
    the fit then overrides it (a scaled level: the preset's is the level scaled). A key typed
    while another is searched is held there."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command

    (tmp_path / "compensation").mkdir()
    (tmp_path / "compensation" / "acme.yaml").write_text(
        "defaults:\n  - default\n  - _self_\nquota_usd:\n  smb: 700000\n")
    (tmp_path / "market").mkdir()
    (tmp_path / "market" / "acme.yaml").write_text("defaults:\n  - default\n  - _self_\nneutral_quality: 0.5\n")
    assert check_command(["-cd", str(tmp_path), *SMALL, "compensation=acme", "market=acme"],
                         "calibrate", _validate) == 1
    assert check_command([*SMALL, "calibration.free=[market.neutral_quality]", "org.attrition_base_monthly=0.02",
                          "compensation.quota_usd.smb=700000"], "calibrate", _validate) == 1


def test_a_recovery_study_makes_its_targets_at_the_truth_and_says_how_far_it_lands(tmp_path):
    """calibration.recover: the targets' values are the model's own figures at the known values
    (the mean of calibration.final_replications, as salessim itself gives them), and the spread
    table says how far the best trial is from the truth."""
    targets = tmp_path / "t.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.45, "std_error": 0.02},
                  {"metric": "seller_turnover_rate", "value": 0.3, "std_error": 0.05}]).to_csv(targets, index=False)
    out = tmp_path / "study"
    command = [*TINY, "calibration.name=rec", f"calibration.targets_file={targets}", f"hydra.run.dir={out}",
               "+calibration.recover={market.neutral_quality:0.5,org.attrition_base_monthly:0.02}"]
    env = {**os.environ, "SALESSIM_CALIBRATED_DIR": str(tmp_path / "fits")}
    done = calibrate(*command, "calibration.n_trials=4", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    seed = 20261128 + 1  # luck of their own: a seed the trials never replay
    assert (f"recovery: making the targets with the model at calibration.recover (2 replications of "
            f"seed {seed})") in done.stderr
    assert "recovery: making" not in done.stdout
    assert not (tmp_path / "fits").exists()  # the model's own figures: no fit to install
    assert "its fit is not installed for +calibrated" in done.stdout
    assert "a recovery study, not a fit to data" in (out / "calibrated.yaml").read_text()
    again = calibrate(*command, "calibration.n_trials=6", env=env)  # the same command resumes
    assert again.returncode == 0, again.stderr[-3000:]
    assert "resuming study 'rec' with 4 trials" in again.stderr
    other = calibrate(*[c.replace("0.02}", "0.03}") for c in command], "calibration.n_trials=7", env=env)
    assert other.returncode == 2 and other.stderr.count("\n") == 1, other.stderr
    assert "calibration.recover.org.attrition_base_monthly was 0.02, now 0.03" in other.stderr
    assert "target " not in other.stderr  # the targets it would make are not a change of their own
    truth = run_cli(*SMALL, "market.neutral_quality=0.5", "org.attrition_base_monthly=0.02",
                    "sim.replications=2", f"sim.seed={seed}", f"hydra.run.dir={tmp_path / 'truth'}")
    assert truth.returncode == 0, truth.stderr[-2000:]
    made = pd.read_parquet(tmp_path / "truth" / "summary.parquet")[["win_rate", "seller_turnover_rate"]].mean()
    fit = pd.read_csv(out / "fit.csv").set_index("metric")
    assert fit.target.to_dict() == pytest.approx(made.to_dict(), rel=1e-12)
    assert (fit.std_error.to_list()) == [0.02, 0.05]  # the errors are the targets' own
    spread = pd.read_csv(out / "parameter_spread.csv").set_index("parameter")
    assert spread.truth.to_dict() == {"market.neutral_quality": 0.5, "org.attrition_base_monthly": 0.02}
    # docs/calibration.md names every column (a recovery study's too)
    row = next(line for line in (ROOT / "docs" / "calibration.md").read_text().splitlines()
               if line.startswith("| `parameter_spread.csv`"))
    assert [c for c in ["parameter", *spread.columns] if f"`{c}`" not in row] == []
    best = spread.best["market.neutral_quality"]
    assert spread.error_share["market.neutral_quality"] == pytest.approx(abs(best - 0.5) / (0.58 - 0.44))
    assert "truth 0.5: off by" in again.stdout and "inside the near-best range" in again.stdout or \
        "outside the near-best range" in again.stdout
    assert "too few trials to tell whether the near-best range holds it" in done.stdout  # 4 trials


@pytest.mark.parametrize("recover,words", [
    # the value as typed, key: value (it showed the keys alone, '{market.neutral_quality}')
    ("+calibration.recover={market.neutral_quality:0.5}", ["calibration.recover='{market.neutral_quality: 0.5}' "
                                                           "is not allowed: a known value for every "
                                                           "free parameter", "org.attrition_base_monthly: 0.005 to 0.04",
                                                           "org.attrition_base_monthly is missing"]),
    ("+calibration.recover={market.neutral_quality:0.5,org.attrition_base_monthly:0.02,fsm.x:1}",
     ["calibration.recover='{market.neutral_quality: 0.5, org.attrition_base_monthly: 0.02, fsm.x: 1}'",
      "(fsm.x is not fitted)"]),
    ("+calibration.recover={market.neutral_quality:0.9,org.attrition_base_monthly:0.02}",
     ["calibration.recover.market.neutral_quality=0.9", "market.neutral_quality: 0.44 to 0.58"]),
    ("calibration.recover={market.neutral_quality:0.5,org.attrition_base_monthly:0.02}",
     ["with a '+'", "+calibration.recover={"]),
])
def test_a_recovery_without_a_truth_for_each_free_parameter_is_refused(recover, words):
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    with pytest.raises(UserError) as info:
        check_command([*TINY, recover], "calibrate", _validate)
    assert "\n" not in info.value.message
    for word in words:
        assert word in info.value.message, info.value.message


@pytest.mark.parametrize("params,said", [
    # a listed entry's range needs no '+': a mistyped field is named (it was told to add a '+')
    ("calibration.params={market.neutral_quality:{low:0.44,hi:0.58}}",
     "calibration.params.market.neutral_quality.hi=0.58 is not allowed: low, high, mode or log"),
    ("+calibration.params={market.neutral_quality:{low:0.44,hi:0.58}}",
     "calibration.params.market.neutral_quality.hi=0.58 is not allowed: low, high, mode or log"),
    # a new entry does need it
    ("calibration.params={market.stance_mean:{low:-0.2,high:0.2}}", "an entry set whole, with a '+'"),
])
def test_a_mistyped_field_of_a_free_parameter_is_named_with_or_without_a_plus(params, said):
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    with pytest.raises(UserError) as info:
        check_command([*TINY, params], "calibrate", _validate)
    assert said in info.value.message and "\n" not in info.value.message, info.value.message


def test_a_recovery_whose_known_values_make_no_valid_model_together_is_refused():
    """Each value inside its range, but together no time to sell: the study's folder was made,
    then making its targets ended in a traceback."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    free = ["calibration.free=[org.weekly_hours,tools.internal_hours]",
            "+calibration.params={org.weekly_hours:{low:30,high:60},tools.internal_hours:{low:10,high:30}}"]
    with pytest.raises(UserError) as info:
        check_command([*SMALL, *free, "+calibration.recover={org.weekly_hours:30,tools.internal_hours:28}"],
                      "calibrate", _validate)
    assert info.value.message == (
        "calibration.recover='{org.weekly_hours: 30, tools.internal_hours: 28}' is not allowed: known values "
        "that make a valid model together (the values org.weekly_hours=30, tools.internal_hours=28 make no "
        "valid model in the study's setup: tools.admin_hours + tools.internal_hours + "
        "enablement.search_hours=41 is not allowed: a sum below org.weekly_hours (30), leaving time to "
        "sell (here 10 + 28 + 3))")
    check_command([*SMALL, *free, "+calibration.recover={org.weekly_hours:30,tools.internal_hours:15}"],
                  "calibrate", _validate)


def test_a_recovery_study_refuses_a_seed_whose_next_one_is_no_seed():
    """Its targets are made with sim.seed + 1: the largest seed crashed after the folder was made."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    truth = "+calibration.recover={market.neutral_quality:0.5,org.attrition_base_monthly:0.02}"
    with pytest.raises(UserError) as info:
        check_command([*TINY, truth, "sim.seed=9223372036854775807"], "calibrate", _validate)
    assert info.value.message == (
        "sim.seed=9223372036854775807 is not allowed: at most 9223372036854775806 in a recovery "
        "study (calibration.recover), which makes its targets with sim.seed + 1")
    check_command([*TINY, truth, "sim.seed=9223372036854775806"], "calibrate", _validate)
    check_command([*TINY, "sim.seed=9223372036854775807"], "calibrate", _validate)  # no recovery


def test_trials_csv_calls_the_objective_the_objective(four_trials):
    out, _, _ = four_trials
    trials = pd.read_csv(out / "trials.csv")
    assert list(trials.columns[:2]) == ["number", "objective"] and trials.columns[-1] == "state"
    assert {f"params_{k}" for k in ("market.neutral_quality", "org.attrition_base_monthly")} <= set(trials.columns)
    page = (out / "fit_report.html").read_text()
    best = trials.loc[trials.objective.idxmin()]
    assert f"best objective {best.objective:.3g} (trial {int(best.number)}," in page


def test_the_search_traces_are_darker_for_better_trials():
    """The colour bar and the caption say darker is better, and the objective is minimized: the
    colour map must run from dark at its low end (it ran the other way)."""
    import matplotlib

    from salessim.calibration.report import TRACE_COLORS

    def luminance(rgba) -> float:
        r, g, b, _ = rgba
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    cmap = matplotlib.colormaps[TRACE_COLORS]
    assert luminance(cmap(0.0)) < 0.5 * luminance(cmap(1.0))


@pytest.mark.parametrize("trials", [1, 14])
def test_the_search_trace_panels_keep_their_titles_whole_and_apart_with_trial_numbers(monkeypatch, trials):
    """Titles overlapped each other and the tick labels of the panel above, the longest key was
    cut at the colour bar, and 14 trials had ticks at 2.5 and 7.5 (one trial at -0.02)."""
    from types import SimpleNamespace

    from optuna.distributions import FloatDistribution

    from salessim.calibration import report
    from salessim.calibration.params import parse_params
    from salessim.config import CalibrationConfig, Config

    params = parse_params(dict(CalibrationConfig().params), Config())  # the longest keys shipped
    study = optuna.create_study()
    for k in range(trials):
        study.add_trial(optuna.trial.create_trial(
            params={p.key: p.low + (p.high - p.low) * ((k * 7 + i) % 10) / 10 for i, p in enumerate(params)},
            distributions={p.key: FloatDistribution(p.low, p.high) for p in params}, value=1.0 + k % 4))
    drawn = []
    monkeypatch.setattr(report, "png", lambda fig, **layout: drawn.append(fig) or b"")
    report._trace_plot(SimpleNamespace(params=params), study)
    fig = drawn[0]
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    panels = [ax for ax in fig.axes if ax.axison]  # the colour bar's too
    assert len(panels) == len(params) + 2
    whole = fig.bbox
    for ax in panels:
        if ax.get_title():
            title = ax.title.get_window_extent(renderer)
            assert whole.x0 <= title.x0 and title.x1 <= whole.x1, ax.get_title()
            for other in panels:
                if other is ax:
                    continue
                around = [other.get_window_extent(renderer), *(t.get_window_extent(renderer) for t in
                          [other.title, *other.get_xticklabels(), *other.get_yticklabels()] if t.get_text())]
                assert not any(title.overlaps(box) for box in around), (ax.get_title(), other.get_title())
            low, high = ax.get_xlim()
            ticks = [t for t in ax.get_xticks() if low <= t <= high]
            assert ticks and all(float(t).is_integer() for t in ticks), (ax.get_title(), ticks)
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_a_trace_without_a_finite_objective_is_drawn():
    """Every trial scored inf (the model produced no value for a target): the objective's log
    axis had nothing to show and the report ended in a traceback."""
    import math
    from types import SimpleNamespace

    import optuna

    from salessim.calibration.report import _trace_plot

    study = optuna.create_study()
    study.add_trial(optuna.trial.create_trial(params={"x": 0.5}, value=math.inf,
                                              distributions={"x": optuna.distributions.FloatDistribution(0, 1)}))
    problem = SimpleNamespace(params=[SimpleNamespace(key="x", low=0.0, high=1.0)])
    assert _trace_plot(problem, study).startswith(b"\x89PNG")


def test_the_traces_draw_pruned_trials_too(monkeypatch):
    """fit_report.html's traces are each parameter's value by trial: the pruned trials were left
    out of every panel (a researcher's walk)."""
    from types import SimpleNamespace

    import optuna
    from optuna.trial import TrialState

    from salessim.calibration import report

    x = optuna.distributions.FloatDistribution(0, 1)
    study = optuna.create_study()
    for k, state in enumerate((TrialState.COMPLETE, TrialState.PRUNED, TrialState.COMPLETE)):
        value = 1.0 if state == TrialState.COMPLETE else None
        study.add_trial(optuna.trial.create_trial(params={"x": 0.2 + 0.3 * k}, distributions={"x": x},
                                                  state=state, value=value))
    drawn = []
    monkeypatch.setattr(report, "png", lambda fig, **layout: drawn.append(fig) or b"")
    report._trace_plot(SimpleNamespace(params=[SimpleNamespace(key="x", low=0.0, high=1.0)]), study)
    panel = drawn[0].axes[1]
    shown = sorted((float(a), round(float(b), 9)) for c in panel.collections for a, b in c.get_offsets())
    assert shown == [(0.0, 0.2), (1.0, 0.5), (2.0, 0.8)]
    assert [t.get_text() for t in panel.get_legend().get_texts()] == ["pruned"]
    assert not any("pruned" in t.get_text() for t in drawn[0].axes[0].get_legend().get_texts())
    import matplotlib.pyplot as plt
    plt.close(drawn[0])
    # and the caption says so: it said "Pruned trials ... are not shown" under their crosses (a walk)
    assert report.traces_caption(1).endswith(
        "Pruned trials, stopped early as worse than most, have no objective of their own: they are left "
        "out of the first panel and drawn as grey crosses in the others.")
    assert "not shown" not in report.traces_caption(1) and "runed" not in report.traces_caption(0)


def test_a_recovery_study_says_which_parameters_it_recovered():
    """The terminal said only "off by 37% of the range, inside the near-best range" for each
    parameter: whether that is recovered was left to the reader. It says so per parameter, and
    sums it up: the near-best range holds the truth and the best is within 10% of the range."""
    from optuna.distributions import FloatDistribution
    from salessim.calibration.params import FreeParam
    from salessim.calibration.report import recovery_said, recovery_summary
    from salessim.calibration.study import Problem, spread_table
    study = optuna.create_study()
    problem = Problem({}, [], [FreeParam("x", 0.0, 1.0), FreeParam("y", 0.0, 1.0)], truth={"x": 0.5, "y": 0.2})
    ranges = {"x": FloatDistribution(0.0, 1.0), "y": FloatDistribution(0.0, 1.0)}
    for i, (x, y) in enumerate(((0.52, 0.6), (0.55, 0.1), (0.48, 0.7), (0.51, 0.5), (0.6, 0.4))):
        if i == 4:
            few = spread_table(problem, study)
            assert few.recovered.isna().all() and "too few trials to tell" in recovery_summary(few)
        study.add_trial(optuna.trial.create_trial(params={"x": x, "y": y}, distributions=ranges, value=float(i)))
    spread = spread_table(problem, study)
    assert spread.recovered.tolist() == [True, False]  # y: the truth inside, but the best 40% off
    assert recovery_said(spread.iloc[0]).endswith("inside the near-best range: recovered")
    assert recovery_said(spread.iloc[1]).endswith("inside the near-best range: not recovered")
    summary = recovery_summary(spread)
    assert summary.startswith("recovery: 1 of 2 free parameters recovered, not y (recovered: the "
                              "near-best range is narrow and holds the truth, and the best value lies "
                              "within 10%"), summary
    # Near the truth, but the near-best range spans most of the search: any truth would lie in it,
    # and the best value's closeness may be luck. It was called recovered.
    problem = Problem({}, [], [FreeParam("z", 0.0, 1.0)], truth={"z": 0.5})
    study = optuna.create_study()
    for i, z in enumerate((0.52, 0.1, 0.9, 0.3, 0.7)):
        study.add_trial(optuna.trial.create_trial(params={"z": z}, distributions={"z": ranges["x"]},
                                                  value=float(i)))
    wide = spread_table(problem, study)
    assert wide.narrow.tolist() == [False] and wide.recovered.isna().all()
    assert recovery_said(wide.iloc[0]).endswith("inside the near-best range: not settled (the near-best "
                                                "range is wide)")
    assert recovery_summary(wide).startswith("recovery: 0 of 1 free parameter recovered; not settled: z "
                                             "(near the truth, but the near-best range is wide)")


def test_a_noisy_search_is_said_to_be_one():
    """Chance moving a trial's figure by more than the target's standard error is warned of,
    with the targets, by how much, and the replications that would quieten it."""
    from types import SimpleNamespace

    from salessim.calibration.report import noise_note

    # The fit's 4 replications spread by sd = se x 2: turnover 0.2, win rate 0.01.
    fit = pd.DataFrame({"metric": ["seller_turnover_rate", "win_rate"], "condition": ["", ""],
                        "std_error": [0.03, 0.02], "simulation_se": [0.1, 0.005], "replications": [4, 4],
                        "weight": [1.0, 1.0]})
    cal = SimpleNamespace(replications=2, final_replications=10)  # the spread is from the 4 with a value
    note = noise_note(fit, cal)
    # turnover: 0.2 / sqrt(2) / 0.03 = 4.7 standard errors; win rate 0.01 / sqrt(2) / 0.02 = 0.35
    assert "seller_turnover_rate (4.7 standard errors)" in note and "win_rate" not in note
    assert "calibration.replications=178" in note  # (0.2 / (0.5 x 0.03))^2 = 177.8
    # the count is the noisiest target's, named when several are noisy
    both = noise_note(fit.assign(simulation_se=[0.1, 0.05]), cal)  # win rate: 0.1 / sqrt(2) / 0.02 = 3.5
    assert "seller_turnover_rate (4.7 standard errors), win_rate (3.5 standard errors)" in both
    assert "calibration.replications=178 would bring it to 0.5 standard errors for all of them " \
        "(seller_turnover_rate needs the most)" in both, both
    assert noise_note(fit.assign(simulation_se=[0.01, 0.005]), cal) == ""  # 0.47: quiet enough
    # A monitored target (weight 0) is not searched on, so its luck is not fitted: not counted
    monitored = noise_note(fit.assign(simulation_se=[0.1, 0.05], weight=[0.0, 1.0]), cal)
    assert "win_rate (3.5 standard errors)" in monitored and "seller_turnover_rate" not in monitored
    assert "calibration.replications=100 " in monitored  # (0.05 x 2 / (0.5 x 0.02))^2: win rate's, not 178
    assert noise_note(fit.assign(weight=[0.0, 1.0]), cal) == ""


def test_calibrated_yaml_names_the_targets_file_and_the_sim_settings(four_trials):
    out, targets, stdout = four_trials
    head = [x for x in (out / "calibrated.yaml").read_text().splitlines() if x.startswith("#")]
    assert f"targets file {targets.resolve()}," in head[1], head
    assert "cso_insights" not in "\n".join(head)
    assert ("sim.years=1, sim.warmup_months=2, sim.seed=20261128, org.sellers=20, "
            "market.decision_rule=weighted_consensus, calibration.replications=1 per trial, calibration.final_replications=2 for the fit, "
            "calibration.seed=3") in head[2], head
    # The parameters alone would run on the default organization: the fit's own setup is named.
    assert head[3].endswith(f"the fit's own setup: {own_setup('four', SMALL)}"), head
    assert stdout.rstrip().endswith(f"the fit's own setup: {own_setup('four', SMALL)}"), stdout
    # which figures were fitted, so that a validation run with the fit knows what is held out
    assert ("# Targets fitted (validate on figures and relationships not among them): win_rate, "
            "seller_turnover_rate") in head, head


def own_setup(name: str, setup: list[str]) -> str:
    """The command that runs a fit on its study's setup, finding the fit where the tests put it
    (SALESSIM_CALIBRATED_DIR; a folder named calibrated is found with hydra.searchpath)."""
    import shlex

    from salessim.calibrated_fits import searchpath_finding
    finding = searchpath_finding(Path(os.environ["SALESSIM_CALIBRATED_DIR"]))
    return shlex.join(["salessim", f"+calibrated={name}", *setup, *[finding] * bool(finding)])


def test_fit_report_names_the_targets_and_the_setup_as_calibrated_yaml_does(four_trials):
    """The page named neither the targets nor the organization, horizon, seed or replications."""
    import html
    out, targets, _ = four_trials
    head = [x for x in (out / "calibrated.yaml").read_text().splitlines() if x.startswith("#")]
    page = html.unescape((out / "fit_report.html").read_text())
    settings = head[2].removeprefix("# Fitted with ")
    assert settings.startswith("sim.years=1, sim.warmup_months=2, sim.seed=20261128, org.sellers=20,")
    assert f"Targets file {targets.resolve()}. Fitted with {settings}" in page
    use = head[3].removeprefix("# Use: ")
    assert use.endswith(own_setup("four", SMALL)) and f"Use: {use}</p>" in page


def test_the_fits_own_setup_reads_the_studys_config_folders_and_leaves_out_what_changes_no_result(tmp_path):
    """A study run with -cd FOLDER (a relative one here) or hydra.searchpath printed an own setup
    without them, which failed on the presets found there; and it held sim.workers."""
    import shlex

    own, more = tmp_path / "own", tmp_path / "more"
    (own / "compensation").mkdir(parents=True)
    (own / "compensation" / "acme.yaml").write_text(
        (ROOT / "configs" / "compensation" / "default.yaml").read_text())
    (more / "org").mkdir(parents=True)
    (more / "org" / "mine.yaml").write_text("# @package org\nsellers: 20\n")
    done = calibrate("-cd", "own", "compensation=acme", "org=mine", f"hydra.searchpath=[file://{more}]",
                     *TINY[1:], "calibration.name=cd1", "calibration.n_trials=1", "sim.workers=2",
                     "sim.progress=false", f"hydra.run.dir={tmp_path / 'out'}", cwd=tmp_path,
                     env={**os.environ, "SALESSIM_CALIBRATED_DIR": str(tmp_path / "fits" / "calibrated")})
    assert done.returncode == 0, done.stderr[-3000:]
    command = done.stdout.rstrip().split("the fit's own setup: ")[1]
    head = (tmp_path / "out" / "calibrated.yaml").read_text().splitlines()[3]
    assert head.endswith(command)
    words = shlex.split(command)
    assert words[:4] == ["salessim", "+calibrated=cd1", "-cd", str(own)], command
    assert not any(w.startswith(("sim.workers", "sim.progress")) for w in words), command
    assert words[-1] == f"hydra.searchpath=[file://{more},file://{tmp_path / 'fits'}]", command
    shown = run_cli(*words[1:], "--cfg", "job", timeout=120)
    assert shown.returncode == 0, shown.stderr


def test_the_fit_line_reads_whole_where_a_comparison_report_quotes_it(four_trials):
    """salessim-compare's report quotes the fit line in a sentence of its own: it read
    '2026-11-30 04:06.. Their fitted values'."""
    import html
    from dataclasses import asdict
    from types import SimpleNamespace

    from salessim.applied_fits import provenance
    from salessim.config import Config
    from salessim.report import _organization_section

    out, _, _ = four_trials
    fits = provenance([("four", out / "calibrated.yaml")])
    assert fits[0]["fit"].startswith("study 'four', targets file ") and not fits[0]["fit"].endswith(".")
    baseline = SimpleNamespace(cfg=Config(), config=asdict(Config()), manifest={"calibrated": fits})
    said = html.unescape(_organization_section(SimpleNamespace(baseline=baseline)))
    assert "four: study 'four'" in said and ".." not in said, said
    # a fit written before the change ends its line with a full stop: the report drops it
    old = [{**fits[0], "fit": fits[0]["fit"] + "."}]
    baseline.manifest = {"calibrated": old}
    assert ".." not in html.unescape(_organization_section(SimpleNamespace(baseline=baseline)))


def test_the_use_line_of_a_fit_made_on_top_of_an_earlier_one_applies_both(tmp_path):
    """A study run with +calibrated=OLD fitted its parameters with OLD's values for the others:
    its own setup applies both, as one list (Hydra refuses +calibrated twice), OLD first."""
    from salessim.calibration.report import use_line
    fit = use_line("new", ["+calibrated=old", "org=small"]).split("the fit's own setup: ")[1]
    assert fit == "salessim '+calibrated=[old,new]' org=small"
    assert use_line("new", ["+calibrated=[a,b]"]).endswith("salessim '+calibrated=[a,b,new]'")
    # A study that replaces the fit it started from cannot apply the fit it replaced.
    assert use_line("four", ["+calibrated=four", "org=small"]).endswith("salessim +calibrated=four org=small")
    assert use_line("four", []).endswith("the fit's own setup: the defaults")
    # the replications that give fit.csv's figures (a run's 3 by default did not)
    assert use_line("four", ["org=small"], replications=10).endswith(
        "(the defaults if none; fit.csv's figures are its own setup's with sim.replications=10); the "
        "fit's own setup: salessim +calibrated=four org=small")
    assert use_line("rec", [], installed=False).startswith(
        "not installed (a recovery study): copy this file to FOLDER/calibrated/rec.yaml and add "
        "hydra.searchpath=[file://FOLDER]; then salessim +calibrated=rec runs")
    # The line Hydra is given composes: the later fit wins where both set a value.
    fits = tmp_path / "calibrated"
    fits.mkdir()
    (fits / "old.yaml").write_text("# @package _global_\nmarket:\n  neutral_quality: 0.45\n"
                                   "org:\n  attrition_base_monthly: 0.01\n")
    (fits / "new.yaml").write_text("# @package _global_\nmarket:\n  neutral_quality: 0.55\n")
    shown = run_cli("--cfg", "job", "+calibrated=[old,new]", f"hydra.searchpath=[file://{tmp_path}]",
                    timeout=120)
    assert shown.returncode == 0, shown.stderr
    cfg = yaml.safe_load(shown.stdout)
    assert (cfg["market"]["neutral_quality"], cfg["org"]["attrition_base_monthly"]) == (0.55, 0.01)


def test_a_fit_whose_keys_the_study_fits_itself_is_said_to_be_replaced(tmp_path):
    """A study run on top of a fit that sets what calibration.free fits anew used to say nothing,
    and its way to run the fit named the earlier one, which changed nothing."""
    from salessim.applied_fits import fitted_anew
    fits = tmp_path / "calibrated"
    fits.mkdir()
    (fits / "alone.yaml").write_text("# @package _global_\nmarket:\n  neutral_quality: 0.6\n")
    (fits / "more.yaml").write_text("# @package _global_\nmarket:\n  neutral_quality: 0.6\n"
                                    "compensation:\n  quota_usd:\n    smb: 700000\n")
    (fits / "apart.yaml").write_text("# @package _global_\nmarket:\n  segments:\n    smb:\n"
                                     "      customer_churn: 0.02\n")
    found = [(n, fits / f"{n}.yaml") for n in ("alone", "more", "apart")]
    # a scaled group fits its levels anew
    assert fitted_anew(found, ["market.neutral_quality", "compensation.quota_usd"]) == [
        "+calibrated=alone sets only what calibration.free fits anew (market.neutral_quality): it has "
        "no effect on this study, nor on its fit; drop it, or, to fit the other parameters with its "
        "values, leave it out of calibration.free",
        "+calibrated=more sets only what calibration.free fits anew (compensation.quota_usd.smb, "
        "market.neutral_quality): it has no effect on this study, nor on its fit; drop it, or, to fit "
        "the other parameters with its values, leave them out of calibration.free"]
    assert fitted_anew(found, ["market.neutral_quality"])[1] == (
        "+calibrated=more sets market.neutral_quality, which calibration.free fits anew: the study "
        "searches it over its range, and the fit's value replaces more's; to hold more's, leave it out "
        "of calibration.free")
    done = calibrate(*TINY, f"hydra.searchpath=[file://{tmp_path}]", "+calibrated=[apart,more]",
                     "calibration.name=anew", "calibration.n_trials=1", f"hydra.run.dir={tmp_path / 'study'}")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "salessim-calibrate: +calibrated=more sets market.neutral_quality, which calibration.free fits " \
           "anew" in done.stderr
    assert "+calibrated=apart" not in done.stderr  # it sets what the study holds: said nothing of
    # the fit's header records the fits it was made on top of, as their files were
    from salessim.applied_fits import ON_TOP_LINE, file_sha256
    hashes = {n: file_sha256(fits / f"{n}.yaml") for n in ("apart", "more")}
    assert f"{ON_TOP_LINE}{json.dumps(hashes)}\n" in (tmp_path / "study" / "calibrated.yaml").read_text()


def test_the_fit_is_checked_on_replications_no_trial_ran(four_trials):
    """A researcher's fit, z 1.2 for turnover over its own replications (which include the trials',
    whose luck chose its values), came out at z 5.1 on another seed: the fit's values run again on
    as many replications past those, their figures and z beside the fit's, their objective said."""
    from salessim.calibration.study import objective_of
    out, _, stdout = four_trials
    fit = pd.read_csv(out / "fit.csv")
    assert fit.fresh_simulated_mean.notna().all() and fit.fresh_z.notna().all()
    assert (fit.fresh_simulated_mean != fit.simulated_mean).all()  # other luck
    fresh_z = (fit.fresh_simulated_mean - fit.target) / fit.std_error
    assert fit.fresh_z.to_numpy() == pytest.approx(fresh_z.to_numpy())
    # TINY: 1 replication a trial, 2 for the fit (0 and 1): the check runs 2 and 3
    assert (f"Over as many replications that no trial ran (2 to 3; fit.csv's fresh_z): "
            f"{objective_of(fit.fresh_z, fit.weight):.3g}") in stdout, stdout


def test_too_few_trials_give_no_verdict_on_the_spread(four_trials):
    out, _, stdout = four_trials
    spread = pd.read_csv(out / "parameter_spread.csv")
    assert (spread.near_best_trials == 4).all()
    assert spread.narrow.isna().all(), spread
    assert (spread.verdict == "too few trials to tell (4 near-best, 5 needed)").all()
    assert stdout.count("too few trials to tell (4 near-best, 5 needed)") == 2, stdout
    assert "pinned down" not in stdout and "narrow" not in stdout
    report = (out / "fit_report.html").read_text().replace("<wbr>", "")  # break opportunities
    assert report.count("too few trials to tell (4 near-best, 5 needed)") == 2


def test_a_fit_missing_most_of_its_fitted_targets_is_said_not_to_be_one_to_rely_on():
    """A researcher's walk: a fit missing 6 of its 8 targets got no word beyond the count. Monitored
    targets (weight 0) are not counted; half met is no majority missed."""
    from salessim.calibration.report import missed_note

    fit = pd.DataFrame({"within_2se": [False, False, True, False], "weight": [1.0, 1.0, 1.0, 0.0]})
    assert missed_note(fit) == (
        "Most fitted targets are missed (2 of 3 outside two standard errors): the fit is not yet one to "
        "rely on. Resume the study for more trials (the same command), or revisit its free parameters' "
        "ranges and its targets (docs/calibration.md, section 4).")
    assert missed_note(fit, out_of_reach=True).endswith("not yet one to rely on. Mend the targets out of "
                                                        "reach first (above).")
    assert missed_note(fit.assign(within_2se=[False, True, True, False])) == ""
    assert missed_note(fit.iloc[[0, 2]]) == ""  # one of two: half


def test_a_fit_is_set_beside_the_model_it_started_from(four_trials):
    """A walk's 60-trial fit scored 0.571 over its 10 replications where the model it started from
    scored 0.485, under a headline best objective of 0.309: the fit table gives both, per target
    and as the objective, and says where the fit does not beat its start."""
    out, _, stdout = four_trials
    fit = pd.read_csv(out / "fit.csv")
    assert {"setup_simulated_mean", "setup_z"} <= set(fit.columns)
    assert "z as set up" in stdout and "Objective over the fit's 2 replications: " in stdout, stdout
    assert "scores " in stdout and "over the same replications (z as set up)." in stdout
    assert "z as set up" in (out / "fit_report.html").read_text()


def test_a_fit_weak_when_made_is_said_so_where_it_runs(tmp_path, four_trials):
    """A walk's fit met 0 of its 3 targets and ran with +calibrated without a word: its file's
    header records how it met them, and a run of it says so when it missed most or did not beat
    the model it started from. A fit made before the header line is not judged."""
    from salessim.applied_fits import QUALITY_LINE, quality_line, weak_fits

    study, _, _ = four_trials
    made = json.loads(next(line for line in (study / "calibrated.yaml").read_text().splitlines()
                           if line.startswith(QUALITY_LINE))[len(QUALITY_LINE):])
    fit = pd.read_csv(study / "fit.csv")
    assert made["met"] == int(fit.within_2se.sum()) and made["fitted"] == 2
    assert made["objective"] == pytest.approx((fit.z ** 2).mean(), rel=1e-9)
    assert made["setup_objective"] == pytest.approx((fit.setup_z ** 2).mean(), rel=1e-9)

    def fit_made(name: str, *quality) -> tuple[str, Path]:
        path = _fit_file(tmp_path, name)
        head, rest = path.read_text().split("market:", 1)
        path.write_text(head + (quality_line(*quality) if quality else "") + "market:" + rest)
        return name, path

    assert weak_fits([fit_made("good", 2, 3, 1.0, 2.0), fit_made("older")]) == []
    # a fit whose model gave no figure has no objective to compare: JSON's null, not Infinity
    nofigure = fit_made("nofigure", 2, 3, math.inf, math.inf)
    assert '"objective": null' in nofigure[1].read_text() and weak_fits([nofigure]) == []
    assert weak_fits([fit_made("missed", 1, 3, 1.0, 2.0)]) == [
        "+calibrated=missed met 1 of its 3 fitted targets within two standard errors when it was made: its "
        "values are not yet a fit to rely on (docs/calibration.md, section 4)"]
    assert weak_fits([fit_made("start", 3, 3, 0.571, 0.485)]) == [
        "+calibrated=start scored no better than the model it started from (objective 0.571 against 0.485 "
        "over its fit's replications) when it was made: its values are not yet a fit to rely on "
        "(docs/calibration.md, section 4)"]


def test_a_fit_no_better_than_its_start_says_so():
    from salessim.calibration.report import start_note
    from salessim.config import CalibrationConfig

    cal = CalibrationConfig(name="ours", replications=3, final_replications=10)
    fit = pd.DataFrame({"z": [1.0, -1.0, 9.0], "setup_z": [0.5, 0.5, 0.0], "weight": [1.0, 1.0, 0.0]})
    said = start_note(fit, cal)
    assert said.startswith("Objective over the fit's 10 replications: 1; the model as set up before the "
                           "study (its free parameters where the command left them) scores 0.25 over the "
                           "same replications (z as set up). The fit does not beat the model it started "
                           "from: the best trial's objective rests on the luck of its 3 replications"), said
    assert said.endswith("+calibrated=ours holds it all the same.")
    # a resume refuses a larger calibration.replications (a change of setup): a researcher's walk
    # followed "Resume the study with ... a larger calibration.replications" and was refused
    assert ("Resume the study with more trials (calibration.n_trials), or start a new one (another "
            "calibration.name) with a larger calibration.replications, part of a study's setup") in said
    better = start_note(fit.assign(z=[0.1, 0.1, 9.0]), cal)
    assert better.endswith("(z as set up).") and "does not beat" not in better
    assert start_note(fit, cal, out_of_reach=True).endswith(
        "The fit does not beat the model it started from: mend the targets out of reach (above) first; "
        "+calibrated=ours holds it all the same.")
    assert start_note(fit.drop(columns="setup_z"), cal) == ""
    # a recovery study installs no fit: none is said to be held (a review)
    assert "+calibrated" not in start_note(fit, cal, installed=False)


def test_a_target_no_trial_came_near_is_said_to_be_out_of_reach(tmp_path):
    """A walk's 700-day cycle (typed for 70) took over the objective, and the fit was advised more
    trials: no trial came near it, which more trials do not mend."""
    targets = tmp_path / "t.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.45, "std_error": 0.02},
                  {"metric": "median_cycle_days_mid_market", "value": 700, "std_error": 9}]).to_csv(
        targets, index=False)
    done = calibrate(*TINY, "calibration.name=far", "calibration.n_trials=10",
                     f"calibration.targets_file={targets}", f"hydra.run.dir={tmp_path / 'study'}")
    assert done.returncode == 0, done.stderr[-3000:]
    said = " ".join(done.stdout.split())
    assert ("No trial came within 5 standard errors of median_cycle_days_mid_market (700 ± 9; nearest, "
            "trial ") in said
    assert "more trials are unlikely to reach it" in said and "Check its value and unit" in said, said
    assert "Resume the study" not in said, said  # neither the start's line nor the missed one advises it
    assert "No trial came within" in (tmp_path / "study" / "fit_report.html").read_text()


def test_five_near_best_trials_give_a_verdict():
    from optuna.distributions import FloatDistribution
    from salessim.calibration.params import FreeParam
    from salessim.calibration.study import Problem, spread_table
    study = optuna.create_study()
    problem = Problem({}, [], [FreeParam("x", 0.0, 1.0)])
    for i, x in enumerate((0.50, 0.55, 0.52, 0.51, 0.9)):
        study.add_trial(optuna.trial.create_trial(params={"x": x}, distributions={
            "x": FloatDistribution(0.0, 1.0)}, value=float(i)))
        verdict = spread_table(problem, study).iloc[0]
        assert (verdict.verdict.startswith("wide: the near-best trials disagree")) is (i == 4), verdict
    study.add_trial(optuna.trial.create_trial(params={"x": 0.53}, distributions={
        "x": FloatDistribution(0.0, 1.0)}, value=3.5))  # 0.9 drops out of the best five
    # six trials, all of them the sampler's random draws at the start of a study: said so
    assert spread_table(problem, study).iloc[0].verdict == (
        "narrow: the near-best trials agree (after 6 trials, all drawn at random: resume the "
        "study before relying on it)")
    for i in range(14):  # 12 trials: the first 10 random; 20 trials: the plain verdict
        study.add_trial(optuna.trial.create_trial(params={"x": 0.1 + i * 0.05}, distributions={
            "x": FloatDistribution(0.0, 1.0)}, value=10.0 + i))
        if i == 5:
            assert spread_table(problem, study).iloc[0].verdict == (
                "narrow: the near-best trials agree (after 12 trials, the first 10 drawn at random: "
                "resume the study before relying on it)")
    assert spread_table(problem, study).iloc[0].verdict == "narrow: the near-best trials agree"
    # the same 20 trials of a search of 3 parameters: fewer than 10 a parameter, said so
    wider = Problem({}, [], [FreeParam("x", 0.0, 1.0), FreeParam("y", 0.0, 1.0), FreeParam("z", 0.0, 1.0)])
    assert spread_table(wider, study).iloc[0].verdict == (
        "narrow: the near-best trials agree (after 20 trials for 3 parameters, fewer than 10 each: "
        "resume the study before relying on it)")


def test_a_best_value_at_the_end_of_its_range_is_said_to_be_there():
    """market.neutral_quality's best 0.568 of 0.45-0.57 read 'narrow: the near-best trials agree':
    the narrowness was the range's end, and the fit may lie beyond it."""
    from optuna.distributions import FloatDistribution
    from salessim.calibration.params import FreeParam
    from salessim.calibration.study import Problem, range_edge, spread_table
    study = optuna.create_study()
    problem = Problem({}, [], [FreeParam("x", 0.45, 0.57)])
    near_the_end = (0.5683, 0.5697, 0.5544, 0.5650, 0.5600)
    for i, x in enumerate(near_the_end + tuple(0.46 + 0.005 * k for k in range(20))):
        study.add_trial(optuna.trial.create_trial(params={"x": x}, distributions={
            "x": FloatDistribution(0.45, 0.57)}, value=float(i)))
    row = spread_table(problem, study).iloc[0]
    assert row.narrow and row.at_edge == "high"
    assert row.verdict == ("narrow: the near-best trials agree; best at the high end of the range searched: "
                           "the fit may lie beyond it, so widen the range in a new study where values "
                           "beyond are plausible")
    assert range_edge(FreeParam("x", 0.7, 1.3), 0.7296) == "low"
    assert range_edge(FreeParam("x", 0.7, 1.3), 1.0) == range_edge(FreeParam("x", 0.7, 1.3), math.nan) == ""
    # on the scale searched: 0.02 of 0.01-1 is near the low end in a linear range, not on a log one
    assert range_edge(FreeParam("x", 0.01, 1.0), 0.02) == "low"
    assert range_edge(FreeParam("x", 0.01, 1.0, log=True), 0.02) == ""


BAD_TARGETS = [
    ({"metric": "happiness", "value": 0.5, "std_error": 0.1}, ["happiness", "summary metric"]),
    ({"metric": "win_rate", "value": 1.7, "n": 100}, ["1.7", "between 0 and 1"]),
    ({"metric": "win_rate", "std_error": 0.1}, ["value", "missing"]),
    ({"metric": "win_rate", "value": None, "std_error": 0.1, "n": 3}, ["value='' is not allowed", "number"]),
    ({"metric": "win_rate", "value": 0.4}, ["std_error='' is not allowed", "n"]),
    ({"metric": "win_rate", "value": 0.4, "n": 310.5}, ["n=310.5", "whole number of respondents"]),
    ({"metric": "median_cycle_days", "value": 70, "n": 50}, ["only for proportions"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": -1}, ["std_error", "> 0"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 0.1, "condition": "fsm.spanx=3"}, ["condition", "fsm.spanx"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 0.1, "condition": "fsm.span_of_control=0"}, ["condition", "span_of_control"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 0.1, "condition": "not an override"}, ["condition"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 1e-300}, ["std_error", "from 1e-09"]),
    ({"metric": "median_cycle_days", "value": 1e308, "std_error": 1}, ["value", "between -1e+09 and 1e+09"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 0.1, "weight": 1e308}, ["weight", "<= 1e+06"]),
    ({"metric": "win_rate", "value": 0.4, "n": 1e300}, ["n=1e+300", "<= 1e+09"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 0.02, "n": 300},  # n would be ignored
     ["line 2: n=300", "empty when std_error is given (0.02): give one of them"]),
    ({"metric": "seller_turnover_rate", "value": -0.1, "std_error": 0.05}, ["value=-0.1", "a number >= 0"]),
    ({"metric": "win_rate", "value": "nan", "std_error": 0.05}, ["value='nan' is not allowed: a number"]),
    ({"metric": "win_rate", "value": "NA", "std_error": 0.05}, ["value='NA' is not allowed"]),
    ({"metric": "median_cycle_days", "value": "7_2", "std_error": 3}, ["value=7_2 is not allowed: a number"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 0.05, "weight": 0}, [
        "t.csv: every target has weight 0 (allowed: at least one target with weight > 0)"]),
    # A standard error typed in percentage points would leave the target without weight.
    ({"metric": "quota_attainment_share", "value": 0.52, "std_error": 4}, [
        "std_error=4 is not allowed", "at most 0.5 for the proportion quota_attainment_share"]),
    ({"metric": "win_rat", "value": 0.4, "std_error": 0.05}, ["metric='win_rat'", "did you mean win_rate?"]),
    # A percentage typed for a fraction: turnover, which may pass 1 a year, ran a study that chased
    # 32.5 exits per seat a year (z -12.9 at the best trial).
    ({"metric": "seller_turnover_rate", "value": 32.5, "std_error": 2.5},
     ["value=32.5 is not allowed: exits per seat a year for seller_turnover_rate, from 0 to 3",
      "0.325 for 32.5%"]),
    ({"metric": "seller_turnover_rate_smb", "value": 250, "std_error": 2.5}, ["value=250", "from 0 to 3"]),
    # A yearly rate's standard error typed in percentage points left the target without weight.
    ({"metric": "seller_turnover_rate", "value": 0.325, "std_error": 2.5},
     ["line 2: std_error=2.5 is not allowed: a standard error of at most 0.75 for seller_turnover_rate "
      "(exits per seat a year): two of them either side of the figure would span all it can be, 0 to 3 "
      "(0.025 for 2.5 percentage points)"]),
    ({"metric": "seller_turnover_rate_smb", "value": 0.3, "std_error": 1}, ["std_error=1 is not allowed", "at most 0.75"]),
    ({"metric": "customer_churn_rate", "value": 0.12, "std_error": 2}, ["std_error=2 is not allowed", "at most 0.75"]),
    ({"metric": "customer_churn_rate", "value": "12%", "std_error": 0.02},
     ["value='12%' is not allowed: a number without '%': customers lost per customer a year", "0.12 for 12%"]),
    ({"metric": "customer_churn_rate", "value": 12.5, "std_error": 2},
     ["value=12.5 is not allowed: customers lost per customer a year for customer_churn_rate, from 0 to 3",
      "0.125 for 12.5%"]),
    # a mean attainment is a ratio the terminal shows as a percentage: 115 typed for 115% (a review)
    ({"metric": "quota_attainment_mean", "value": 115, "std_error": 0.05},
     ["value=115 is not allowed: a ratio for quota_attainment_mean, from 0 to 5 (1.15 for 115%)"]),
    ({"metric": "quota_attainment_mean_smb", "value": 1.28, "std_error": 5},
     ["std_error=5 is not allowed: a standard error of at most 1.25 for the ratio quota_attainment_mean_smb "
      "(0.05 for 5 percentage points)"]),
    # echoed as typed: 41, not the 41.0 it is read as
    ({"metric": "win_rate", "value": 41, "n": 310}, ["value=41 is not allowed", "between 0 and 1 for win_rate (0.41 for 41%)"]),
    ({"metric": "median_cycle_days_mid_market", "value": 72, "std_error": -3}, ["std_error=-3 is not allowed"]),
    ({"metric": "win_rate", "value": 0.4, "n": 0}, ["n=0 is not allowed"]),
    ({"metric": "win_rate", "value": 0.4, "std_error": 0.05, "weight": -2}, ["weight=-2 is not allowed"]),
    ({"metric": "win_rate", "value": "41%", "n": 310},
     ["value='41%' is not allowed: a number without '%': a proportion between 0 and 1", "0.41 for 41%"]),
    # A condition on a fitted parameter: each trial's value replaced it, so the target's figure
    # followed the trial, not the condition (win rate 0.43 at neutral quality 0.514, the
    # condition's 0.5 ignored).
    ({"metric": "win_rate", "value": 0.41, "std_error": 0.03, "condition": "market.neutral_quality=0.5"},
     ["condition='market.neutral_quality=0.5'", "it sets market.neutral_quality, which the study fits"]),
    ({"metric": "win_rate", "value": 0.41, "std_error": 0.03,
      "condition": "market.segments.smb.competitor_strength_mean=0.3"},
     ["it sets market.segments.*.competitor_strength_mean, which the study fits"]),
    ({"metric": "win_rate", "value": 0.41, "std_error": 0.03, "condition": "sim.replications=1"},
     ["condition='sim.replications=1'", "a trial runs calibration.replications replications"]),
    # a condition of two values: Hydra's "Ambiguous value for argument"
    ({"metric": "win_rate", "value": 0.41, "std_error": 0.03, "condition": "fsm.span_of_control=6,8"},
     ["condition='fsm.span_of_control=6,8'", "one value per condition", "fsm.span_of_control=6"]),
    # overrides parted by a comma or a semicolon: Hydra's parser said "mismatched input '<EOF>'"
    ({"metric": "win_rate", "value": 0.41, "std_error": 0.03,
      "condition": "fsm.span_of_control=6, fsm.coaching_quality=0.7"},
     ["condition='fsm.span_of_control=6, fsm.coaching_quality=0.7' is not allowed: config overrides "
      "separated by spaces, e.g. fsm.span_of_control=6 fsm.coaching_quality=0.7"]),
    ({"metric": "win_rate", "value": 0.41, "std_error": 0.03,
      "condition": "fsm.span_of_control=6;sim.years=2"},
     ["separated by spaces, e.g. fsm.span_of_control=6 sim.years=2"]),
    ({"metric": "win_rate", "value": 0.41, "std_error": 0.03,
      "condition": "fsm.span_of_control=6,, ;sim.years=2,"},
     ["separated by spaces, e.g. fsm.span_of_control=6 sim.years=2"]),
    # the study's own settings: the figure was measured the same way, the condition ignored
    ({"metric": "win_rate", "value": 0.41, "std_error": 0.03, "condition": "calibration.replications=3"},
     ["condition='calibration.replications=3'", "calibration.* and targets, are the command's"]),
    ({"metric": "win_rate", "value": 0.41, "std_error": 0.03, "condition": "fsm.span_of_contrl=6"},
     ["line 2: condition: fsm.span_of_contrl=6 is not allowed"]),
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


@pytest.mark.parametrize("target,said", [
    ("std_eror: 0.02", "targets.items.0.std_eror"),
    # these three were refused without naming the file
    ("std_error: 0.02\n    condition: fsm.span_of_contrl=6", "targets.items.0.condition: fsm.span_of_contrl=6"),
    ("std_error: 0.02\n    condition: market.neutral_quality=0.5",
     "it sets market.neutral_quality, which the study fits"),
    ("std_error: 0.02\n    condition: org.segment_mix={smb:1,mid_market:0,enterprise:0}",
     "targets.items.0.metric='win_rate_enterprise'"),
], ids=["misspelt field", "misspelt condition key", "condition on a fitted key", "segment without sellers"])
def test_a_target_refused_in_a_targets_file_of_ones_own_names_the_file(tmp_path, target, said):
    """targets.items.0 says where in the file; a user's targets=NAME file is named too."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command

    (tmp_path / "targets").mkdir()
    mine = tmp_path / "targets" / "mine.yaml"
    metric = "win_rate_enterprise" if "segment_mix" in target else "win_rate"
    mine.write_text(f"# @package targets\nname: mine\nitems:\n  - metric: {metric}\n    value: 0.44\n"
                    f"    {target}\n")
    with pytest.raises(UserError) as info:
        check_command(["-cd", str(tmp_path), "targets=mine", *SMALL], "calibrate", _validate)
    assert info.value.message.endswith(f"(in {mine})"), info.value.message
    assert said in info.value.message, info.value.message


def test_a_targets_config_with_a_key_beside_name_and_items_is_refused_naming_it_and_the_file(tmp_path):
    """A misspelt items: (itemz:) was ignored: the study was said to hold no target, naming
    neither the key nor the file; a stray key beside items: was dropped without a word."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command

    (tmp_path / "targets").mkdir()
    target = "  - {metric: win_rate, value: 0.44, n: 300}\n"
    for name, text in (("typo", f"itemz:\n{target}"), ("stray", f"items:\n{target}weights: 2\n"),
                       ("none", "")):
        (tmp_path / "targets" / f"{name}.yaml").write_text(f"# @package targets\nname: {name}\n{text}")

    def refused(*args):
        with pytest.raises(UserError) as info:
            check_command(["-cd", str(tmp_path), *SMALL, *args], "calibrate", _validate)
        return info.value.message

    assert refused("targets=typo") == (
        "targets.itemz='[{metric: win_rate, value: 0.44, n: 300}]' is not allowed: a key of a "
        f"targets config: name or items (in {tmp_path / 'targets' / 'typo.yaml'})")
    assert refused("targets=stray") == ("targets.weights=2 is not allowed: a key of a targets config: "
                                        f"name or items (in {tmp_path / 'targets' / 'stray.yaml'})")
    assert refused("+targets.foo=1") == "targets.foo=1 is not allowed: a key of a targets config: name or items"
    assert refused("targets=none") == (f"targets.items (in {tmp_path / 'targets' / 'none.yaml'}) holds "
                                       "no target (allowed: at least one target)")
    # a file of targets where a config's name belongs: it was told to move to targets/t.csv.yaml
    assert refused("targets=data/t.csv") == ("targets='data/t.csv' is not allowed: the name of a targets "
                                             "config; a file of targets is read with "
                                             "calibration.targets_file=data/t.csv")
    # a path from the root too (it was told to move the file to FOLDER/targets/t.yaml)
    assert refused(f"targets={tmp_path}/t.parquet").endswith(f"calibration.targets_file={tmp_path}/t.parquet")
    # YAML's readings of what was meant as text: kept as a list's repr in fit.csv, or 'targets None'
    # in calibrated.yaml's header
    sourced = "  - {metric: win_rate, value: 0.44, n: 300, source: [CSO 2016, Bridge 2017]}\n"
    for name, text in (("listed", f"name: listed\nitems:\n{sourced}"),
                       ("unnamed", f"name:\nitems:\n{target}"), ("names", f"name: [a, b]\nitems:\n{target}")):
        (tmp_path / "targets" / f"{name}.yaml").write_text(f"# @package targets\n{text}")
    assert refused("targets=listed").startswith(
        "targets.items.0.source=['CSO 2016', 'Bridge 2017'] is not allowed: text naming where the figure "
        "comes from; in a YAML file, quote text with a comma, brackets or a colon")
    unnamed = tmp_path / "targets" / "unnamed.yaml"
    assert refused("targets=unnamed") == ("targets.name=null is not allowed: a name for the targets, as "
                                          f"text: calibrated.yaml's header gives it (in {unnamed})")
    assert refused("targets=names").startswith("targets.name='[a, b]' is not allowed: a name for the targets")
    # an empty value, a shell's unset $TARGETS: the shipped targets were fitted in their place
    assert refused("calibration.targets_file=") == (
        "calibration.targets_file='' is not allowed: a file's path, not an empty value (leave the key out "
        "for the targets config, targets=NAME)")
    assert refused("calibration.storage=").startswith("calibration.storage='' is not allowed: a database URL")


def test_a_study_name_too_long_for_a_file_or_a_targets_path_that_is_no_file_is_refused(tmp_path):
    """These used to surface after the study had run (a name of 300 letters failed as its fit was
    copied) or with the wrong reason (a folder "does not exist", a JSON file's first line taken for
    unknown columns, an empty calibration.free blamed on calibration.params)."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    (tmp_path / "t.json").write_text('[{"metric": "win_rate", "value": 0.5}]')
    for args, words in (([f"calibration.name={'b' * 101}"], "a name of at most 100 letters"),
                        ([f"calibration.targets_file={tmp_path}"], f"targets file {tmp_path} is a folder"),
                        ([f"calibration.targets_file={tmp_path / 't.json'}"], "is a .json file"),
                        (["calibration.free=[]", "+calibration.recover={market.neutral_quality:0.5}"],
                         "calibration.free=[] is not allowed: keys of calibration.params to recover")):
        with pytest.raises(UserError) as info:
            check_command([*SMALL, *args], "calibrate", _validate)
        assert words in info.value.message


def test_a_csv_row_with_more_fields_than_its_header_is_refused_at_its_line(tmp_path):
    """pandas would take the row's first fields for its index and blame the wrong column (an
    unquoted condition holding a comma: "metric=0.05 is not a summary metric"). The hint's example
    is a field that may hold a comma: a source (a condition holds one value: a researcher's walk
    followed an example of one with two, and was refused)."""
    from salessim.calibration.targets import read_target_file
    path = tmp_path / "t.csv"
    path.write_text("metric,value,std_error,source\nwin_rate,0.45,0.05,\"Acme survey, 2026\"\n"
                    "win_rate,0.40,0.05,Acme survey, 2026\n")
    with pytest.raises(UserError) as info:
        read_target_file(path)
    assert info.value.message.startswith(f"{path} line 3: 5 fields where the header has 4")
    assert 'quote a field that holds a comma, such as a source: "Acme survey, Q3 2026"' in info.value.message
    # a row over two lines is said at its first, as a row's other errors are
    path.write_text('metric,value,std_error,condition\nwin_rate,0.45,0.05,"fsm.span_of_control=5\n",8\n')
    with pytest.raises(UserError) as info:
        read_target_file(path)
    assert info.value.message.startswith(f"{path} line 2: 5 fields where the header has 4")
    # fewer: a comma left out shifted the source into weight ("weight='HR 2025' is not allowed")
    path.write_text("metric,value,std_error,n,condition,weight,source\n"
                    "seller_turnover_rate,0.30,0.05,,1,HR 2025\n")
    with pytest.raises(UserError) as info:
        read_target_file(path)
    assert info.value.message.startswith(f"{path} line 2: 6 fields where the header has 7")


def test_targets_that_name_no_source_are_said_before_the_trials():
    """A file without its source column was fitted without a word, and the fit published with an
    empty source."""
    from types import SimpleNamespace

    from salessim.calibration.targets import Target, unsourced
    targets = [Target("win_rate", 0.45, 0.02), Target("selling_time_share", 0.41, 0.02, source="CSO 2011"),
               Target("win_rate", 0.4, 0.02, condition=("org=small",))]
    [said] = unsourced(SimpleNamespace(targets=targets))
    assert said.startswith("2 targets name no source: win_rate, win_rate [org=small]; name the "
                           "publication"), said
    shipped = yaml.safe_load((ROOT / "configs" / "targets" / "cso_insights.yaml").read_text())["items"]
    assert unsourced(SimpleNamespace(targets=[Target(t["metric"], t["value"], 0.01, source=t["source"])
                                              for t in shipped])) == []


def test_a_targets_file_error_names_the_line_a_csv_user_sees(tmp_path):
    """The header is line 1; an empty line still counts. A Parquet file has rows, from 1."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    path = tmp_path / "bad1.csv"
    path.write_text("metric,value,std_error\nwin_rate,0.4,0.1\n\nwin_rat,0.4,0.1\n")
    with pytest.raises(UserError) as info:
        check_command([*SMALL, f"calibration.targets_file={path}"], "calibrate", _validate)
    assert info.value.message.startswith(f"{path} line 4: metric='win_rat' is not allowed: did you "
                                         "mean win_rate? a summary metric"), info.value.message
    # a column of the run's own record is a column of summary.parquet, and no metric: said so
    path.write_text("metric,value,std_error\nwall_seconds,2,0.1\n")
    with pytest.raises(UserError) as info:
        check_command([*SMALL, f"calibration.targets_file={path}"], "calibrate", _validate)
    assert info.value.message.endswith("any numeric column of summary.parquet (docs/results.md) except the "
                                       "run's own record (replication, seed, window_years, events, "
                                       "wall_seconds)"), info.value.message
    path.write_text("\n\nmetric,value,std_error\nwin_rate,0.4,0.1\nwin_rat,0.4,0.1\n")  # blank lines on top
    with pytest.raises(UserError) as info:
        check_command([*SMALL, f"calibration.targets_file={path}"], "calibrate", _validate)
    assert info.value.message.startswith(f"{path} line 5: metric='win_rat'"), info.value.message
    # a quoted cell over two lines: the rows below it were said a line too early (pandas' row)
    path.write_text('metric,value,std_error,source\nwin_rate,0.4,0.1,"our\nsurvey"\nwin_rat,0.4,0.1,x\n')
    with pytest.raises(UserError) as info:
        check_command([*SMALL, f"calibration.targets_file={path}"], "calibrate", _validate)
    assert info.value.message.startswith(f"{path} line 4: metric='win_rat'"), info.value.message
    path.write_text('metric,value,std_error,source\nwin_rate,0.4,0.1,"a\fb"\nwin_rat,0.4,0.1,x\n')
    with pytest.raises(UserError) as info:  # a form feed breaks no line an editor shows
        check_command([*SMALL, f"calibration.targets_file={path}"], "calibrate", _validate)
    assert info.value.message.startswith(f"{path} line 3: metric='win_rat'"), info.value.message
    parquet = tmp_path / "bad.parquet"
    pd.DataFrame([{"metric": "win_rate", "value": 0.4, "std_error": 0.1},
                  {"metric": "win_rate", "value": 0.4, "std_error": -1.0}]).to_parquet(parquet)
    with pytest.raises(UserError) as info:
        check_command([*SMALL, f"calibration.targets_file={parquet}"], "calibrate", _validate)
    assert info.value.message.startswith(f"{parquet} row 2: std_error=-1.0 is not allowed: a "
                                         "standard error > 0"), info.value.message


def test_a_targets_file_separated_by_semicolons_says_so(tmp_path):
    """A spreadsheet saving CSV with ';' between columns (locales with decimal commas): the error
    listed the whole header as one unknown column, or, with a decimal comma in a row, counted
    the row's fields and asked to quote a field holding a comma."""
    from salessim.calibration.targets import read_target_file
    path = tmp_path / "t.csv"
    for rows in ("win_rate;0.41;310\n", "win_rate;0,41;310\n"):
        path.write_text("metric;value;n\n" + rows)
        with pytest.raises(UserError) as info:
            read_target_file(path)
        assert "its columns are separated by ';'" in info.value.message, info.value.message
        assert info.value.message.endswith("separated by commas, with decimal points: 0.41)")


def test_a_targets_file_as_a_spreadsheet_writes_it_is_read(tmp_path):
    """A hunt: a header ending in a comma (a last column left empty) was refused as the unknown
    column 'Unnamed: 4', and Excel's 'sep=,' line above the header as a row of too many fields.
    Both are read; an unnamed column that holds values is said to lack its name."""
    from salessim.calibration.targets import read_target_file
    path = tmp_path / "t.csv"
    for text in ("metric,value,std_error,source,\nwin_rate,0.45,0.02,x,\n",
                 "sep=,\nmetric,value,std_error,source\n\nwin_rate,0.45,0.02,x\n"):
        path.write_text(text)
        (where, row), = [r for r in read_target_file(path) if r[1].get("metric")]
        assert row["metric"] == "win_rate" and row["value"] == "0.45" and "Unnamed: 4" not in row, row
        assert where.endswith(f"line {text.count(chr(10))}: "), where  # the line an editor shows
    path.write_text("metric,value,std_error,source,\nwin_rate,0.45,0.02,x,9\n")
    with pytest.raises(UserError) as info:
        read_target_file(path)
    assert "column 5 holds values but has no name in the header line" in info.value.message


def test_a_targets_file_without_a_std_error_column_says_so(tmp_path):
    """A file with an n column only, and a target without its n: the error named a std_error cell
    that the file does not have."""
    from salessim.calibration.targets import parse_targets, read_target_file
    path = tmp_path / "t.csv"
    path.write_text("metric,value,n,source\nwin_rate,0.41,310,review\nquota_attainment_share,0.52,,comp\n")
    with pytest.raises(UserError) as info:
        parse_targets(read_target_file(path), str(path), ["smb"], lambda *_: None)
    assert info.value.message == (f"{path} line 3: std_error='' is not allowed: a standard error > 0, or n "
                                  "(respondents) for a proportion (there is no std_error column or field: "
                                  "add one)"), info.value.message


def test_both_std_error_and_n_blame_the_one_typed_as_text():
    """'NA' typed for no standard error beside an n: the NA is what to empty, not the n."""
    from salessim.calibration.targets import parse_target

    def refused(**raw) -> str:
        with pytest.raises(UserError) as info:
            parse_target({"metric": "win_rate", "value": 0.45, **raw}, "t.csv line 2: ", ["smb"],
                         lambda *_: None)
        return info.value.message

    assert refused(std_error="NA", n=310).startswith(
        "t.csv line 2: std_error='NA' is not allowed: an empty cell when n is given (310)")
    assert refused(std_error=0.02, n=310).startswith("t.csv line 2: n=310 is not allowed: empty when")


def test_an_empty_weight_cell_weighs_a_target_as_the_default_does(tmp_path):
    """A weight column with some cells left empty, as docs/calibration.md says unused cells are:
    the empty ones were refused ("weight='' is not allowed: a weight >= 0")."""
    from salessim.calibration.targets import parse_targets, read_target_file
    path = tmp_path / "t.csv"
    path.write_text("metric,value,std_error,n,condition,weight,source\n"
                    "win_rate,0.41,,310,,,Our review\nquota_attainment_share,0.52,0.04,,,2,Comp data\n")
    targets = parse_targets(read_target_file(path), str(path), ["smb"], lambda *_: None)
    assert [t.weight for t in targets] == [1.0, 2.0]


def test_turnover_and_customer_churn_are_rates_that_may_pass_one_and_shares_may_not():
    from salessim.calibration.targets import is_proportion, parse_target
    turnover = parse_target({"metric": "seller_turnover_rate", "value": 1.2, "std_error": 0.1}, "",
                            ["smb"], lambda *_: None)
    assert turnover.value == 1.2 and not is_proportion("seller_turnover_rate")
    churn = parse_target({"metric": "customer_churn_rate", "value": 1.5, "std_error": 0.1}, "",
                         ["smb"], lambda *_: None)
    assert churn.value == 1.5 and not is_proportion("customer_churn_rate")
    assert is_proportion("win_rate_smb") and is_proportion("selling_time_share")
    with pytest.raises(UserError, match="n=50 is not allowed: only for proportions"):
        parse_target({"metric": "seller_turnover_rate", "value": 0.3, "n": 50}, "", ["smb"], lambda *_: None)


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


@pytest.mark.parametrize("override,instead", [
    # trials still ran calibration.replications, and the fit's own setup then held the 5
    ("sim.replications=5", "a study runs calibration.replications per trial and "
                           "calibration.final_replications for the fit"),
    ("sim.trace=true", "a study keeps no journey events; trace the fit with salessim +calibrated=NAME"),
    ("sim.resume=true", "a study resumes by itself"),
    ("sim.scenario=foo", "a study is named by calibration.name"),
    ("sim.baseline=true", "a study has no baseline for salessim-compare"),
    ("experiment_question=why", "a study answers no experiment's question"),
    ("experiment_budget_usd=500000", "a study compares no investments"),
    ("sim.trace=false", "a study keeps no journey events"),  # typed: ignored whatever its value
])
def test_a_key_of_salessims_that_a_study_ignores_is_refused(override, instead):
    """Each was accepted, listed by --help, and ignored; the keys a study reads pass."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    with pytest.raises(UserError) as info:
        check_command([*SMALL, override], "calibrate", _validate)
    # as typed: a true/false as YAML writes it (not Python's True/False), a text quoted
    key, value = override.split("=")
    shown = value if value in ("true", "false") or value.isdigit() else repr(value)
    assert info.value.message.startswith(f"{key}={shown} is not allowed: {instead}"), info.value.message


def test_the_sim_keys_a_study_reads_pass_and_an_ignored_one_set_by_a_file_is_refused(tmp_path):
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    assert check_command([*SMALL, "sim.seed=3", "sim.workers=2", "sim.progress=false"],
                         "calibrate", _validate) == 1
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "mine.yaml").write_text("# @package _global_\norg:\n  sellers: 20\n"
                                                "sim:\n  replications: 5\n")
    with pytest.raises(UserError) as info:
        check_command(["-cd", str(tmp_path), "org=mine", "sim.years=1"], "calibrate", _validate)
    assert info.value.message.startswith("sim.replications=5 is not allowed: a study runs "
                                         "calibration.replications per trial"), info.value.message
    assert str(tmp_path / "org" / "mine.yaml") in info.value.message


def test_an_ignored_key_exits_2_before_the_study_starts(tmp_path):
    out = tmp_path / "out"
    done = calibrate(*TINY, "calibration.n_trials=1", "sim.replications=5", f"hydra.run.dir={out}")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == ("salessim-calibrate: error: sim.replications=5 is not allowed: a "
                                   "study runs calibration.replications per trial and "
                                   "calibration.final_replications for the fit"), done.stderr
    assert not out.exists()


def test_sim_progress_false_hides_the_bar_over_trials(tmp_path):
    """The bar shows on a terminal; sim.progress=false, which salessim reads, hid nothing."""
    import fcntl
    import pty
    import struct
    import termios

    def stderr_on_a_terminal(*args: str) -> str:
        main, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 0 wide: no bar
        study = subprocess.Popen([sys.executable, "-m", "salessim.calibration.cli", *TINY, *args,
                                  f"hydra.run.dir={tmp_path / args[0].partition('=')[2]}"], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=terminal)
        os.close(terminal)
        said = b""
        try:  # read as it writes: a full terminal would stop it
            while chunk := os.read(main, 65536):
                said += chunk
        except OSError:  # its end of the terminal is closed: all is read
            pass
        os.close(main)
        assert study.wait(timeout=600) == 0, said.decode(errors="replace")
        return said.decode(errors="replace")

    assert "trials: 100%" in stderr_on_a_terminal("calibration.name=bar", "calibration.n_trials=1")
    assert "trials:" not in stderr_on_a_terminal("calibration.name=nobar", "calibration.n_trials=1",
                                                 "sim.progress=false")


def test_trials_off_a_terminal_are_logged_at_each_tenth(monkeypatch, capsys):
    """A researcher's three-minute study, its stderr in a file, said nothing between its first lines
    and its fit: off a terminal, a line at each tenth of the trials, the last trial's left to the fit."""
    from salessim.calibration import cli

    clock = iter(range(0, 1000, 2))  # 2 s between readings: at the start, and at each line
    monkeypatch.setattr(cli.time, "monotonic", lambda: next(clock))
    logged = cli._TrialsLogged(done=4, total=30)  # a resumed study: 4 ran before
    for _ in range(26):
        logged.one_more()
    lines = capsys.readouterr().err.splitlines()
    assert [x.split(";")[0] for x in lines] == [f"salessim-calibrate: {n} of 30 trials done"
                                               for n in (6, 9, 12, 15, 18, 21, 24, 27)], lines
    assert lines[0].endswith("about 24 s left"), lines  # 2 trials in 2 s, 24 left


def test_a_score_under_conditions_applies_a_fit_found_on_the_search_path(tmp_path):
    """A researcher scored held-out targets with conditions on a fit kept outside the calibrated
    folder: each condition's setup was composed without the command line's hydra.searchpath, and
    Hydra's own 'Could not find calibrated/mine' ended the study (exit 1)."""
    (tmp_path / "calibrated").mkdir()
    values = "# @package _global_\nmarket:\n  neutral_quality: 0.5\n"
    (tmp_path / "calibrated" / "mine.yaml").write_text(values)
    targets = tmp_path / "t.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.45, "std_error": 0.05},
                  {"metric": "win_rate", "value": 0.45, "std_error": 0.05,
                   "condition": "fsm.span_of_control=5"}]).to_csv(targets, index=False)
    done = calibrate(*SMALL, "calibration.free=[]", "calibration.final_replications=2", "+calibrated=mine",
                     f"hydra.searchpath=[file://{tmp_path}]", "calibration.name=held",
                     f"calibration.targets_file={targets}", f"hydra.run.dir={tmp_path / 'out'}")
    assert done.returncode == 0, done.stderr[-3000:]
    fit = pd.read_csv(tmp_path / "out" / "fit.csv")
    assert len(fit) == 2 and fit.simulated_mean.notna().all(), fit


def test_the_studys_own_setup_is_simulated_only_where_a_target_has_no_condition(monkeypatch):
    """A researcher's held-out score of one conditioned target said "under each of 2 conditions":
    the study's own setup ran too, its figures scored against nothing."""
    from salessim.calibration import study
    from salessim.calibration.targets import Target
    from salessim.config import Config

    base, narrow = Config(), Config()
    narrow.fsm.span_of_control = 5.0
    ran = []
    monkeypatch.setattr(study, "summary_rows", lambda cfg, reps: ran.append(cfg.fsm.span_of_control) or [])
    monkeypatch.setattr(study, "yearly", lambda rows: rows)
    condition = ("fsm.span_of_control=5",)
    problem = study.Problem(bases={(): base, condition: narrow}, params=[],
                            targets=[Target("win_rate", 0.45, 0.05, condition)])
    assert problem.simulated_conditions() == [condition]
    assert set(problem.simulate({}, 2)) == {condition} and ran == [5.0]
    assert set(problem.configs({})) == {condition}  # nor is it checked: no trial scores inf by it
    both = dataclasses.replace(problem, targets=[*problem.targets, Target("win_rate", 0.45, 0.05)])
    assert both.simulated_conditions() == [(), condition]


def test_a_range_is_checked_where_the_study_runs_not_in_a_setup_no_target_runs(tmp_path):
    """A review: with every target under org.weekly_hours=50, a range of internal hours that a
    32-hour week cannot hold was refused for the study's own setup, which nothing simulates."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command

    targets = tmp_path / "t.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.45, "std_error": 0.05,
                   "condition": "org.weekly_hours=50"}]).to_csv(targets, index=False)
    command = [*SMALL, "org.weekly_hours=32", "calibration.free=[tools.internal_hours]",
               "+calibration.params={tools.internal_hours:{low:10,high:20}}",
               f"calibration.targets_file={targets}"]
    assert check_command(command, "calibrate", _validate) == 1
    pd.DataFrame([{"metric": "win_rate", "value": 0.45, "std_error": 0.05}]).to_csv(targets, index=False)
    with pytest.raises(UserError) as info:  # run there, it is refused there
        check_command(command, "calibrate", _validate)
    assert "a sum below org.weekly_hours (32)" in info.value.message


def test_a_short_measured_window_is_said_as_salessim_says_it(tmp_path):
    """sim.years=0.6 fitted annual turnover to 5 measured weeks without a word, where salessim
    says its figures are extrapolated; a condition with a window of its own is named."""
    targets = tmp_path / "t.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.45, "std_error": 0.05},
                  {"metric": "seller_turnover_rate", "value": 0.3, "std_error": 0.1},
                  {"metric": "win_rate", "value": 0.45, "std_error": 0.05, "condition": "sim.years=0.35"},
                  {"metric": "win_rate", "value": 0.45, "std_error": 0.05,
                   "condition": "sim.years=1"}]).to_csv(targets, index=False)
    done = calibrate(*TINY, "sim.years=0.3", "calibration.name=short", "calibration.n_trials=1",
                     f"calibration.targets_file={targets}", f"hydra.run.dir={tmp_path / 'out'}")
    assert done.returncode == 0, done.stderr[-3000:]
    said = [x for x in done.stderr.splitlines() if "extrapolated" in x]
    assert said == [
        "salessim-calibrate: only 8 weeks measured after the 2-month warm-up (sim.years=0.3): "
        "yearly figures such as turnover are extrapolated from them",
        "salessim-calibrate: under a condition: only 10 weeks measured after the "
        "2-month warm-up (sim.years=0.35): yearly figures such as turnover are extrapolated from them",
    ], done.stderr  # sim.years=1 measures 44 weeks: nothing to say
    # said before the trials, which may run for hours: before what is said once they end (the
    # tests set SALESSIM_CALIBRATED_DIR, so where the fit went is said then)
    assert done.stderr.index("extrapolated") < done.stderr.index("SALESSIM_CALIBRATED_DIR is set")
    # a key typed twice (TINY's sim.years=1, then 0.3) is repeated once, as Hydra took it
    setup = done.stdout.rstrip().split("the fit's own setup: ")[1].split()
    assert [w for w in setup if w.startswith("sim.years=")] == ["sim.years=0.3"], setup


def test_a_new_free_parameter_is_added_with_a_plus():
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    new = "{market.stance_mean:{low:-0.2,high:0.2}}"
    with pytest.raises(UserError) as info:
        check_command([*SMALL, f"calibration.params={new}"], "calibrate", _validate)
    assert "+calibration.params=" in info.value.message
    assert check_command([*SMALL, f"+calibration.params={new}", "calibration.free=[market.stance_mean]"],
                         "calibrate", _validate) == 1


def test_a_conditions_config_is_part_of_the_setup():
    """Editing a file a target's condition composes (an investment's settings) changes the
    objective, so it must change the setup a resume is checked against."""
    import copy

    from salessim.calibration.study import Problem, fingerprint, setup_of
    from salessim.config import CalibrationConfig, Config

    base, with_crm = Config(), Config()
    with_crm.investment = {"crm": {"kind": "tools", "admin_hours_saved": 4.0}}
    edited = copy.deepcopy(with_crm)
    edited.investment["crm"]["admin_hours_saved"] = 6.0
    cond = ("investment=[crm]",)
    setup = setup_of(Problem({(): base, cond: with_crm}, [], []), CalibrationConfig())
    assert setup["condition investment=[crm]: investment.crm.admin_hours_saved"] == 4.0
    assert "investment.crm.admin_hours_saved" not in setup  # the base has no investment
    assert fingerprint(setup) != fingerprint(setup_of(Problem({(): base, cond: edited}, [], []),
                                                      CalibrationConfig()))


def test_a_second_folder_taking_a_calibrations_name_says_so(four_trials, tmp_path):
    """`+calibrated=NAME` is one file for every folder that runs salessim-calibrate: a study of the
    same name in another folder replaces it, and says whose fit it replaced."""
    first, _, _ = four_trials
    # A fits folder of its own, holding the fit four_trials installed: the session's is shared by
    # the test workers, each of which may run four_trials and install its own study's fit there.
    fits = tmp_path / "fits"
    fits.mkdir()
    shutil.copy(first / "calibrated.yaml", fits / "four.yaml")  # as salessim-calibrate installs it
    env = {**os.environ, "SALESSIM_CALIBRATED_DIR": str(fits)}
    done = calibrate(*TINY, "calibration.name=four", "calibration.n_trials=1",
                     f"hydra.run.dir={tmp_path / 'elsewhere'}", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (f"salessim-calibrate: +calibrated=four now holds this study's fit; it held the fit of "
            f"study 'four' in {(first / 'study.journal').resolve()}") in done.stderr
    assert "SALESSIM_CALIBRATED_DIR is set: the fit is in " in done.stderr  # the tests set it
    # the same folder: nothing to say
    again = calibrate(*TINY, "calibration.name=four", "calibration.n_trials=1",
                      f"hydra.run.dir={tmp_path / 'elsewhere'}", env=env)
    assert again.returncode == 0 and "now holds" not in again.stderr


@pytest.mark.parametrize("args,words", [
    (["+targets.items=[win_rate]"], ["targets.items.0", "win_rate", "a mapping with metric"]),
    (["targets.items=5"], ["targets.items=5", "a list of targets"]),
    (["+targets.items=[{metric:win_rate,value:0.4,std_error:0.1,sourc:CSO}]"], ["sourc", "a field of a target"]),
    (["+targets.items=[{metric:median_cycle_days_enterprise,value:100,std_error:5,"
      "condition:'org.segment_mix.enterprise=0 org.segment_mix.smb=0.6'}]"],
     ["targets.items.0.metric='median_cycle_days_enterprise'", "the enterprise segment has none under "
      "condition org.segment_mix.enterprise=0"]),
    (["calibration.free=[tools.admin_hours]", "+calibration.params={tools.admin_hours:{low:5,high:40}}"],
     ["calibration.params.tools.admin_hours", "a range inside the schema's", "org.weekly_hours"]),
    # a misspelt free parameter is said as unknown, with the near name (it was said as a range
    # the schema refuses, around the inner error)
    (["calibration.free=[market.neutral_qualty]", "+calibration.params={market.neutral_qualty:{low:0.4,high:0.6}}"],
     ["calibration.params='market.neutral_qualty' is not allowed: a key of the config (did you mean "
      "market.neutral_quality? market has "]),  # the whole key, as calibration.free's hint gives it
    (["calibration.free=[market.segments.*.complexitx]",  # '*' kept: one segment's would fit it alone
      "+calibration.params={market.segments.*.complexitx:{low:0.4,high:0.6}}"],
     ["did you mean market.segments.*.complexity? market.segments.smb has "]),
    # the shipped entry has n, not std_error: a key an entry leaves out is added with '+' (the
    # message named targets.items[0] and a value of '?')
    (["targets.items.0.std_error=0.02"], ["targets.items.0.std_error=0.02 is not allowed: a field the "
                                          "entry has", "+targets.items.0.std_error=0.02",
                                          "remove it with ~targets.items.0.n"]),
    # a misspelt mapping above the field: a '+' would add it, and nothing would read it
    (["targets.itemz.0.n=10"], ["targets.itemz.0.n=10 is not allowed: a known key (itemz is not a key "
                                "of targets)"]),
    (["targets.items.0.foo=1"], ["targets.items.0.foo=1 is not allowed: a field of a target: metric"]),
    # a range that fits the study's week but not a condition's: its trials crashed the study
    (["calibration.free=[tools.internal_hours]",
      "+targets.items=[{metric:selling_time_share,value:0.3,std_error:0.02,condition:'org.weekly_hours=32'}]"],
     ["calibration.params.tools.internal_hours='{low: 10.0, high: 20.0}' is not allowed: a range inside "
      "the schema's under the condition org.weekly_hours=32 of targets.items.0 (tools.admin_hours + "
      "tools.internal_hours + enablement.search_hours=33 is not allowed: a sum below org.weekly_hours (32)"]),
    (["calibration.free=[tools.internal_hours,tools.admin_hours]",
      "+calibration.params={tools.admin_hours:{low:5,high:12}}",
      "+targets.items=[{metric:selling_time_share,value:0.3,std_error:0.02,condition:'org.weekly_hours=34'}]"],
     ["calibration.params='{tools.internal_hours: 20.0, tools.admin_hours: 12.0}' is not allowed: ranges "
      "whose high ends make a valid model together under the condition org.weekly_hours=34 of targets.items.0"]),
    # log: no was read as bool('no'), True: the range was searched on a log scale
    (["calibration.free=[market.neutral_quality]",
      "+calibration.params={market.neutral_quality:{low:0.45,high:0.57,log:no}}"],
     ["calibration.params.market.neutral_quality.log='no' is not allowed: true or false"]),
    (["calibration.free=[market.neutral_quality]",
      "+calibration.params={market.neutral_quality:{low:0.45,high:0.57,log:1}}"],
     ["calibration.params.market.neutral_quality.log=1 is not allowed: true or false"]),
    # the horizon fitted: the fit's own command line (sim.years=1) set it back
    (["calibration.free=[sim.years]", "+calibration.params={sim.years:{low:1,high:2}}"],
     ["calibration.params.sim.years='{low: 1, high: 2}' is not allowed", "sim.* sets how the study runs"]),
    # each trial set its own neutral quality: the 0.5 typed was never run, and the fit's own setup
    # repeated it after the fit, replacing the fitted value
    (["market.neutral_quality=0.4", "market.neutral_quality=0.5"],  # Hydra takes the last
     ["market.neutral_quality=0.5 is not allowed: a key the study does not fit: market.neutral_quality is "
      "fitted (calibration.params.market.neutral_quality), so each trial sets its own value and the one "
      "typed is never run; drop market.neutral_quality, or hold it at the value typed: leave "
      "market.neutral_quality out of calibration.free (calibration.free=[market.status_quo_utility,"]),
    (["market.segments.smb.competitor_strength_mean=0.3"],
     ["market.segments.smb.competitor_strength_mean is fitted (calibration.params.market.segments.*."
      "competitor_strength_mean)"]),
    # in a mapping, at the value it has: the fit's own setup typed it after the fit all the same
    (["market={neutral_quality:0.51}"],
     ["market='{neutral_quality:0.51}' is not allowed", "drop market.neutral_quality from it"]),
    # a scaled level typed: the fit's own setup typed it after the fit, replacing the fitted level
    (["compensation.quota_usd.smb=700000"],
     ["compensation.quota_usd.smb=700000 is not allowed: a key the study does not fit: "
      "compensation.quota_usd.smb is fitted (calibration.params.compensation.quota_usd.*) by scaling its "
      "level", "set the level in a preset of your own (-cd FOLDER compensation=NAME)"]),
    (["compensation.quota_usd={smb:700000}"], ["drop compensation.quota_usd.smb from it"]),
    (["calibration.free=[market.neutral_quality]", "market.neutral_quality=0.5"],
     ["is never run; drop market.neutral_quality"]),  # the only key searched: no calibration.free without it
])
def test_targets_and_free_parameters_that_would_fail_a_trial_are_refused_first(args, words):
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    with pytest.raises(UserError) as info:
        check_command([*SMALL, *args], "calibrate", _validate)
    assert "\n" not in info.value.message
    for word in words:
        assert word in info.value.message, info.value.message


def test_the_fit_tables_simulation_se_is_the_standard_error_of_the_simulated_mean():
    """sd / sqrt(n) of the replications, to set beside a target's standard error, not the
    interval's half-width over 1.96 (6.5 times too large with 2 replications)."""
    from types import SimpleNamespace

    from salessim.calibration.study import fit_table
    target = SimpleNamespace(metric="median_cycle_days_mid_market", condition=(), value=70.0,
                             std_error=5.0, weight=1.0, source="test")
    sims = {(): pd.DataFrame({"median_cycle_days_mid_market": [60.0, 64.0, float("nan"), 68.0]})}
    row = fit_table(SimpleNamespace(targets=[target]), sims).iloc[0]
    assert row.simulated_mean == 64.0
    assert row.simulation_se == pytest.approx(4.0 / 3 ** 0.5)  # sd 4 over 3 replications
    assert row.z == pytest.approx(-1.2)
    # the gap over both errors: the target's 5 and the simulated mean's 2.31
    assert row.z_with_simulation_se == pytest.approx(-6.0 / math.hypot(5.0, 4.0 / 3 ** 0.5))
    one = fit_table(SimpleNamespace(targets=[target]), {(): pd.DataFrame({target.metric: [60.0]})}).iloc[0]
    assert math.isnan(one.z_with_simulation_se) and one.z == pytest.approx(-2.0)  # no se of its own


def test_money_and_count_targets_are_yearly_for_every_segment_too():
    """A target of bookings_usd_smb is a yearly figure, as bookings_usd is: the model's window
    totals are turned into yearly ones for every money total, not only the columns ending in _usd
    (bookings_usd_smb was compared as a total over the window); a mean deal size is not divided."""
    from salessim.calibration.study import yearly as per_year
    from salessim.runner import summary_rows
    from tests.conftest import tiny_config

    cfg = tiny_config()
    cfg.sim.years = 2.0
    yearly = per_year(summary_rows(cfg, range(cfg.sim.replications)))
    from salessim.runner import run_scenario
    totals = run_scenario(cfg, progress=False).summary
    # and so are the window's counts (1,500 leads a year); deals open at the horizon are not a flow
    for col in ("bookings_usd", "bookings_usd_smb", "total_cost_usd", "leads", "won", "hires", "exits"):
        assert yearly[col].tolist() == pytest.approx((totals[col] / totals.window_years).tolist())
    assert yearly.mean_deal_usd_smb.tolist() == pytest.approx(totals.mean_deal_usd_smb.tolist(), nan_ok=True)
    assert yearly.open.tolist() == totals.open.tolist()


def test_a_proportions_standard_error_from_its_respondents_is_that_of_a_sample_share():
    """A target given as a share of n respondents has the standard error sqrt(p (1 - p) / n):
    0.049 for 40% of 100."""
    from salessim.calibration.targets import parse_target

    target = parse_target({"metric": "win_rate", "value": 0.4, "n": 100}, "", ["smb"], lambda *_: None)
    assert target.std_error == pytest.approx((0.4 * 0.6 / 100) ** 0.5)
    assert target.n == 100


def _pruning_study(prune: bool, n_trials: int = 24, replications: int = 3):
    """A one-parameter study on the tiny organization, run in this process."""
    from salessim.calibration.params import FreeParam
    from salessim.calibration.study import Problem, TrialSeededTPE, optimize, pruner
    from salessim.calibration.targets import Target
    from tests.conftest import tiny_config

    problem = Problem({(): tiny_config()}, [Target("win_rate", 0.5, 0.02)],
                      [FreeParam("market.neutral_quality", 0.40, 0.62)])
    study = optuna.create_study(sampler=TrialSeededTPE(0), pruner=pruner(prune), direction="minimize")
    optimize(problem, study, n_trials, replications)
    return problem, study


def test_pruned_trials_stop_early_and_complete_ones_score_as_without_pruning():
    """calibration.prune: a trial worse than the median of the complete trials after as many
    replications stops there (fewer replications simulated); a trial that runs to the end scores
    exactly what it would without pruning (the same replications, the same objective), so one
    study may be run with and without it."""
    from salessim.calibration.study import PRUNE_AFTER_TRIALS, finished_trials, values_of

    problem, study = _pruning_study(prune=True)
    states = optuna.trial.TrialState
    pruned = study.get_trials(states=(states.PRUNED,))
    complete = study.get_trials(states=(states.COMPLETE,))
    assert finished_trials(study) == 24 and len(pruned) >= 2, [t.state for t in study.trials]
    assert all(t.user_attrs["replications"] < 3 for t in pruned)
    assert all(t.user_attrs["replications"] == 3 for t in complete)
    assert all(t.number >= PRUNE_AFTER_TRIALS for t in pruned)  # the median needs complete trials first
    for t in pruned:  # stopped because it was worse than the median of the complete ones then
        k = t.last_step
        before = [c.intermediate_values[k] for c in complete if c.number < t.number]
        assert t.intermediate_values[k] > statistics.median(before)
    from salessim.calibration.params import apply, checked
    for t in complete[-3:]:  # as a trial was scored before it could be pruned: from whole runs
        cfg = checked(apply(problem.bases[()], values_of(problem, t.params)))
        assert t.value == problem.score({(): _yearly_runs(cfg, 3)})


def _yearly_runs(cfg, replications):
    """The yearly summary of a whole run of ``replications``, as trials read it before pruning."""
    from salessim.runner import run_scenario
    from salessim.summary import WINDOW_COUNTS, is_money_total

    cfg = dataclasses.replace(cfg, sim=dataclasses.replace(cfg.sim, replications=replications))
    s = run_scenario(cfg, progress=False).summary
    return s.assign(**{c: s[c] / s.window_years for c in s.columns if is_money_total(c) or c in WINDOW_COUNTS})


@pytest.mark.parametrize("workers", [1, 2])
def test_a_trial_run_step_by_step_scores_what_whole_runs_do(workers):
    """Two conditions, three replications, run a step at a time (one replication, or two side by
    side): every condition's figures, and so the objective, are those of whole runs."""
    from salessim.calibration.params import FreeParam
    from salessim.calibration.study import Problem
    from salessim.calibration.targets import Target
    from tests.conftest import tiny_config

    base = tiny_config(workers=workers)
    wide = dataclasses.replace(base, fsm=dataclasses.replace(base.fsm, span_of_control=10.0))
    cond = ("fsm.span_of_control=10",)
    problem = Problem({(): base, cond: wide},
                      [Target("win_rate", 0.5, 0.02), Target("bookings_usd", 4e6, 1e6, condition=cond)],
                      [FreeParam("market.neutral_quality", 0.40, 0.62)])
    steps = []
    sims = problem.simulate({problem.params[0]: 0.5}, 3, on_step=lambda k, s: steps.append(k))
    whole = {}
    for c, cfg in problem.bases.items():
        cfg = dataclasses.replace(cfg, market=dataclasses.replace(cfg.market, neutral_quality=0.5))
        whole[c] = _yearly_runs(cfg, 3)
    assert steps == ([1, 2] if workers == 1 else [2])
    for c in whole:
        pd.testing.assert_frame_equal(sims[c].drop(columns="wall_seconds"),
                                      whole[c].drop(columns="wall_seconds")[sims[c].columns.drop("wall_seconds")],
                                      check_dtype=False)
    assert problem.score(sims) == problem.score(whole)


def test_the_pruner_judges_a_trials_latest_step_against_complete_trials_at_that_step():
    """Against the median of the complete trials that reported at the same step, once there are
    10 of them: trials of an older study (no step reported) or of another sim.workers (other
    steps) do not count; the trial's latest step is judged, not its best; an objective that
    cannot be told yet (infinite) is not judged."""
    from optuna.distributions import FloatDistribution
    from optuna.trial import create_trial

    from salessim.calibration.study import MedianAtStep

    dist = {"x": FloatDistribution(0.0, 1.0)}
    study = optuna.create_study()
    for i in range(12):  # an older study's: no intermediate values
        study.add_trial(create_trial(params={"x": 0.5}, distributions=dist, value=1.0))
    for i in range(9):
        study.add_trial(create_trial(params={"x": 0.5}, distributions=dist, value=1.0,
                                     intermediate_values={1: 1.0 + i, 2: 1.0 + i}))

    def judged(steps):
        return MedianAtStep().prune(study, create_trial(params={"x": 0.5}, distributions=dist, value=None,
                                                        state=optuna.trial.TrialState.RUNNING,
                                                        intermediate_values=steps))
    assert not judged({1: 100.0})  # 9 complete trials at step 1: too few to judge
    study.add_trial(create_trial(params={"x": 0.5}, distributions=dist, value=1.0,
                                 intermediate_values={1: 10.0, 2: 10.0}))  # the 10th; median 5.5
    assert judged({1: 6.0}) and not judged({1: 5.0})
    assert judged({1: 1.0, 2: 6.0})  # its latest step is worse, whatever its first
    assert not judged({1: math.inf})
    assert not judged({3: 100.0})  # no complete trial reported at step 3


def test_without_pruning_every_trial_runs_every_replication():
    _, study = _pruning_study(prune=False, n_trials=12)
    assert {t.state for t in study.trials} == {optuna.trial.TrialState.COMPLETE}
    assert {t.user_attrs["replications"] for t in study.trials} == {3}



def test_a_fit_moved_by_salessim_calibrated_dir_says_how_salessim_finds_it(tmp_path):
    """With SALESSIM_CALIBRATED_DIR set, +calibrated=NAME does not read the fit where it went: the
    study says how it will (and the way it says works)."""
    from salessim.calibrated_fits import elsewhere_said

    fits = tmp_path / "calibrated"
    fits.mkdir()
    (fits / "mine.yaml").write_text("# @package _global_\nmarket:\n  neutral_quality: 0.55\n")
    said = elsewhere_said(fits / "mine.yaml")
    assert said.endswith(f"add hydra.searchpath=[file://{tmp_path.resolve()}] to the command")
    shown = run_cli("--cfg", "job", "+calibrated=mine", f"hydra.searchpath=[file://{tmp_path.resolve()}]",
                    timeout=120)
    assert shown.returncode == 0 and "neutral_quality: 0.55" in shown.stdout, shown.stderr
    assert "copy it to FOLDER/calibrated/mine.yaml" in elsewhere_said(tmp_path / "fits" / "mine.yaml")


def test_a_fit_not_found_names_salessim_calibrated_dirs_folder_whatever_its_search_path(tmp_path,
                                                                                      monkeypatch):
    """A search path naming the folder that holds SALESSIM_CALIBRATED_DIR's (not named calibrated)
    finds none of its fits, but the message said fits go to results/calibrated."""
    from salessim.calibrated_fits import moved_fits_said

    fits = tmp_path / "fits"
    fits.mkdir()
    (fits / "mine.yaml").write_text("# @package _global_\nmarket:\n  neutral_quality: 0.55\n")
    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", str(fits))
    said = moved_fits_said("mine", [f"hydra.searchpath=[file://{tmp_path}]"])
    assert said.startswith(f"SALESSIM_CALIBRATED_DIR is set, so salessim-calibrate puts each fit in "
                           f"{fits.resolve()}/NAME.yaml, not in results/calibrated/NAME.yaml (mine is "
                           "there): "
                           "for +calibrated=mine to find it, copy it to FOLDER/calibrated/mine.yaml"), said
    # a folder named calibrated whose parent is on the search path: its fits are the options named
    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", str(tmp_path / "calibrated"))
    assert moved_fits_said("mine", [f"hydra.searchpath=[file://{tmp_path}]"]) == ""
    # ... and the line after them says where salessim-calibrate puts its fits: there, not
    # results/calibrated (a researcher's walk)
    from salessim.compose import _where_fits_are
    assert _where_fits_are("mine", [f"hydra.searchpath=[file://{tmp_path}]"]).startswith(
        f"; salessim-calibrate copies each fit to {tmp_path / 'calibrated'}/NAME.yaml "
        "(SALESSIM_CALIBRATED_DIR), ")
    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", "")  # the project's own folder
    assert "copies each fit to results/calibrated/NAME.yaml," in _where_fits_are("mine", [])


def test_a_scaled_fit_applied_to_levels_of_your_own_says_what_it_replaces(tmp_path, capsys):
    """A quota level fitted with mode: scale is written as the study's quotas times the factor:
    on a compensation preset of one's own it would replace those quotas silently. The fit's header
    records the study's levels and the factor; a command that applies it to other levels is told,
    with the settings that scale its own levels instead, and those settings silence it."""
    from salessim.applied_fits import scaled_of
    from salessim.preflight import check_command

    own = tmp_path / "own"
    (own / "compensation").mkdir(parents=True)
    (own / "compensation" / "acme.yaml").write_text(
        "# @package compensation\nquota_usd:\n  smb: 700000.0\n  mid_market: 900000.0\n  enterprise: 1000000.0\n")
    env = {**os.environ, "SALESSIM_CALIBRATED_DIR": str(own / "calibrated")}
    done = calibrate(*SMALL, "calibration.free=[compensation.quota_usd.*]", "calibration.name=lvl",
                     "calibration.n_trials=2", "calibration.replications=1",
                     "calibration.final_replications=2", f"hydra.run.dir={tmp_path / 'study'}", env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    # the fit went to own/calibrated: the study's own command line finds it there
    assert f"salessim +calibrated=lvl {' '.join(SMALL)} 'hydra.searchpath=[file://{own.resolve()}]'" \
        in done.stdout.strip().splitlines()[-1]
    scaled = scaled_of(own / "calibrated" / "lvl.yaml")
    assert set(scaled) == {f"compensation.quota_usd.{s}" for s in ("smb", "mid_market", "enterprise")}
    (base, factor), = {scaled["compensation.quota_usd.mid_market"]}
    assert base == 600_000.0 and 0.7 <= factor <= 1.3

    def said(*extra) -> str:
        check_command(["-cd", str(own), "compensation=acme", "+calibrated=lvl", *SMALL, *extra,
                       f"hydra.run.dir={tmp_path / 'run'}"])
        return capsys.readouterr().err

    err = said()
    # the largest change first: mid-market's 900,000 against the study's 600,000
    assert (f"+calibrated=lvl replaces this command's compensation.quota_usd.mid_market 900,000 with "
            f"{600_000 * factor:,.0f}, the study's 600,000 × {factor:.4g} (fitted with mode: scale), "
            "and 2 more keys so; to scale this command's own levels instead, add ") in err
    instead = err.split("instead, add ")[1].split(" (docs/")[0].split()
    assert sorted(instead) == sorted(f"compensation.quota_usd.{seg}={level * factor:.0f}" for seg, level
                                     in (("smb", 700_000), ("mid_market", 900_000), ("enterprise", 1_000_000)))
    # nothing replaced then (a fit of two trials may be weak, which its own line says)
    assert [line for line in said(*instead).splitlines() if "when it was made" not in line] == []
    check_command(["-cd", str(own), "+calibrated=lvl", *SMALL, f"hydra.run.dir={tmp_path / 'run'}"])
    # the study's own levels: nothing replaced
    assert [line for line in capsys.readouterr().err.splitlines() if "when it was made" not in line] == []
    # From Python: the same word as a warning, and the manifest says which fit ran.
    import salessim
    from salessim.notices import RunNotice
    # (its study's few trials scored no better than its start: said too, as the command says it)
    replaces = r"\+calibrated=lvl replaces this command's compensation.quota_usd.mid_market"
    with pytest.warns(RunNotice, match=replaces), pytest.warns(RunNotice, match="not yet a fit to rely on"):
        ran = salessim.run([f"hydra.searchpath=[file://{own}]", "compensation=acme", "+calibrated=lvl",
                            *SMALL, "sim.replications=1"])
    fit, = ran.manifest["calibrated"]
    assert fit["name"] == "lvl" and fit["file"] == str((own / "calibrated" / "lvl.yaml").resolve())
    # which trial was best, before the count of trials and of those pruned ("best of 20 trials, 3 of
    # them pruned (trial 6)" read as if trial 6 were pruned)
    assert re.match(r"study 'lvl', targets cso_insights, trial [01], best of 2 trials, objective ", fit["fit"])
    assert fit["study"] == f"'lvl' in {(tmp_path / 'study' / 'study.journal').resolve()}"
    assert salessim.run([*SMALL, "sim.replications=1"]).manifest["calibrated"] == []


def test_a_fit_made_on_top_of_another_is_set_beside_the_levels_the_other_gives(tmp_path, capsys):
    """'+calibrated=[OLD,NEW]' (as a study run on top of OLD says to run it): NEW scaled OLD's
    quotas, so with OLD before it NEW replaces nothing; alone, on the defaults, it does."""
    from salessim.applied_fits import FIT_LINE, SCALED_LINE, USE_LINE
    from salessim.preflight import check_command

    fits = tmp_path / "calibrated"
    fits.mkdir()
    for name, base, factor in (("old", 580_000.0, 0.8), ("new", 464_000.0, 1.1)):
        (fits / f"{name}.yaml").write_text(
            "# @package _global_\n" + SCALED_LINE + json.dumps({"compensation.quota_usd.smb": [base, factor]})
            # the way to run it that a study made on top of OLD writes in its header
            + (f"\n{USE_LINE}salessim '+calibrated=[old,new]'" if name == "new" else "")
            + f"\ncompensation:\n  quota_usd:\n    smb: {base * factor}\n")

    def said(*args) -> str:
        check_command([f"hydra.searchpath=[file://{tmp_path}]", *args, *SMALL,
                       f"hydra.run.dir={tmp_path / 'run'}"])
        return capsys.readouterr().err

    assert said("+calibrated=[old,new]") == ""
    assert said("+calibrated=old") == ""
    alone = said("+calibrated=new")
    assert ("+calibrated=new replaces this command's compensation.quota_usd.smb 580,000 with 510,400, "
            "the study's 464,000 × 1.1") in alone
    # Two fits made apart, listed together: the later one's values replace the earlier's, though
    # it was fitted without them (a level it happens to match is not said to be replaced).
    (fits / "apart.yaml").write_text(
        f"# @package _global_\n{FIT_LINE}study 'apart', ...\n" + SCALED_LINE
        + json.dumps({"compensation.quota_usd.smb": [580_000.0, 0.8]})
        + "\ncompensation:\n  quota_usd:\n    smb: 464000.0\n    mid_market: 500000.0\n")
    (fits / "old.yaml").write_text((fits / "old.yaml").read_text() + "    mid_market: 480000.0\n"
                                   "market:\n  segments:\n    smb:\n      customer_churn: 0.02\n")
    made_apart = ("salessim: +calibrated=apart was fitted without +calibrated=old (its header's way to run "
                  "it does not name it): each was fitted without the other's values, so together they need "
                  "not meet either's targets")
    assert said("+calibrated=[old,apart]") == (
        f"{made_apart}; it sets compensation.quota_usd.mid_market otherwise, and, listed after, its values "
        "are the ones run; to fit apart with them, calibrate it with '+calibrated=[old]' "
        "(docs/calibration.md, section 4)\n")
    # a key the command sets is its own, whichever fit sets it too
    assert said("+calibrated=[old,apart]", "compensation.quota_usd.mid_market=490000").startswith(
        f"{made_apart}; to fit apart")
    # a third fit made on top of the first, listed after both: it is to be fitted with both
    (fits / "third.yaml").write_text(
        f"# @package _global_\n{FIT_LINE}study 'third', ...\n{USE_LINE}salessim '+calibrated=[old,third]'\n"
        "market:\n  neutral_quality: 0.52\n")
    assert said("+calibrated=[old,apart,third]").endswith(
        "salessim: +calibrated=third was fitted without +calibrated=apart (its header's way to run it does "
        "not name it): each was fitted without the other's values, so together they need not meet either's "
        "targets; to fit third with them, calibrate it with '+calibrated=[old,apart]' (docs/calibration.md, "
        "section 4)\n")
    # listed before the fit it was made on top of: told the order
    (fits / "new.yaml").write_text((fits / "new.yaml").read_text().replace(
        "# @package _global_\n", f"# @package _global_\n{FIT_LINE}study 'new', ...\n"))
    assert said("+calibrated=[new,old]").startswith(
        "salessim: +calibrated=new was made on top of +calibrated=old: list it after, "
        "'+calibrated=[old,new]', to run it as it was fitted (docs/calibration.md, section 4)\n")

    # A rerun of a run that applied fits records them as the run did.
    import salessim
    from salessim import rerun
    ran = tmp_path / "ran"
    salessim.run([f"hydra.searchpath=[file://{tmp_path}]", "+calibrated=[old,new]", *SMALL,
                  "sim.replications=1"], out_dir=ran)
    rerun.main([str(ran), "--out", str(tmp_path / "again")])
    recorded = lambda folder: json.loads((folder / "manifest.json").read_text())["calibrated"]
    assert [f["name"] for f in recorded(ran)] == ["old", "new"]
    assert recorded(tmp_path / "again") == recorded(ran)


FITTED_WITH = ("sim.years=1, sim.warmup_months=2, sim.seed=20261128, org.sellers=20, calibration.replications=1 "
               "per trial, calibration.final_replications=2 for the fit, calibration.seed=0.")


def test_a_fit_whose_every_key_a_later_one_sets_again_is_said_to_change_nothing(tmp_path):
    """'+calibrated=[A,B]' where B, made apart, sets every key A sets: A changes nothing in the run
    (it was told only that the two were made apart); three fits made apart are not 'either's'."""
    from salessim.applied_fits import USE_LINE, fits_made_apart, fits_without_effect

    def fit(name: str, keys: dict, on_top: str = "") -> tuple[str, Path]:
        path = _fit_file(tmp_path, name)
        body = "".join(f"{k.split('.')[0]}:\n  {k.split('.')[1]}: {v}\n" for k, v in keys.items())
        use = f"{USE_LINE}salessim '+calibrated=[{on_top},{name}]'\n" if on_top else ""
        path.write_text(path.read_text().split("market:")[0] + use + body)
        return name, path

    a = fit("a", {"market.neutral_quality": 0.5})
    b = fit("b", {"market.neutral_quality": 0.52, "org.attrition_base_monthly": 0.02, "fsm.weekly_hours": 45})
    c = fit("c", {"org.attrition_base_monthly": 0.03, "fsm.span_of_control": 7})
    on_a = fit("on_a", {"market.neutral_quality": 0.55}, on_top="a")
    moot = ("+calibrated=a changes nothing in this run: every key it sets is set again by +calibrated=b, "
            "listed after it; drop it (docs/calibration.md, section 4)")
    assert fits_without_effect([], [a, b]) == [moot]
    assert fits_made_apart([], [a, b]) == []  # a changes nothing: nothing to run together
    # set again by a later fit and the command, together
    assert fits_without_effect(["org.attrition_base_monthly=0.01"], [b, c]) == []  # b's quality stays
    assert fits_without_effect(["market.neutral_quality=0.5", "fsm.weekly_hours=40"], [b, c]) == [
        "+calibrated=b changes nothing in this run: every key it sets is set again by +calibrated=c, listed "
        "after it and the command; drop it (docs/calibration.md, section 4)"]
    # by the command alone: what salessim advises for a scaled fit's levels; made on top of: as fitted
    assert fits_without_effect(["market.neutral_quality=0.5"], [a]) == []
    assert fits_without_effect([], [a, on_a]) == []
    # made on top of a fit the command does not apply: told to list it (said nothing before)
    assert fits_made_apart([], [on_a]) == [
        "+calibrated=on_a was made on top of +calibrated=a, which this command does not apply: on_a was "
        "fitted with a's values in place, and need not meet its targets without them; to run it as it was "
        "fitted, '+calibrated=[a,on_a]' (docs/calibration.md, section 4)"]
    assert "to run it as it was fitted, '+calibrated=[c,a,on_a]'" in fits_made_apart([], [c, on_a])[0]
    # made on top of a fit whose file has changed since: told so (said nothing before)
    from salessim.applied_fits import files_hashed, on_top_line
    recorded = on_top_line(files_hashed([a]))
    _, later = fit("later", {"fsm.weekly_hours": 44}, on_top="a")
    later.write_text(later.read_text().replace(USE_LINE, recorded + USE_LINE))
    assert fits_made_apart([], [a, (_, later)]) == []
    a[1].write_text(a[1].read_text().replace("0.5", "0.51"))
    assert fits_made_apart([], [a, (_, later)]) == [
        "+calibrated=later was made on top of +calibrated=a as its file was then, and that file has changed "
        "since (its study run again or resumed, or the file edited): later was fitted with a's earlier "
        "values in place, and need not meet its targets with these; calibrate later again on top of it "
        "(docs/calibration.md, section 4)"]
    # three made apart: each without the others' values
    d = fit("d", {"fsm.span_of_control": 6, "market.neutral_quality": 0.4})
    assert fits_made_apart([], [b, c, d])[-1].startswith(
        "+calibrated=d was fitted without +calibrated=b, +calibrated=c (its header's way to run it does not "
        "name them): each was fitted without the others' values, so together they need not meet any one's "
        "targets")


def _moot(earlier: str, later: str) -> str:
    """What salessim says of two fits of _fit_file's (the same keys), made apart and listed
    together: the later one sets every key of the earlier one again."""
    return (f"salessim: +calibrated={earlier} changes nothing in this run: every key it sets is set again by "
            f"+calibrated={later}, listed after it; drop it (docs/calibration.md, section 4)\n")


def _fit_file(folder: Path, name: str, fitted_with: str | None = FITTED_WITH) -> Path:
    """A fit's file as salessim-calibrate writes its header (FITTED_WITH: made on SMALL), or without
    its "Fitted with" line, as one written by hand or by an older salessim-calibrate."""
    from salessim.applied_fits import FIT_LINE, FITTED_LINE, STUDY_LINE

    path = folder / "calibrated" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# @package _global_\n" + f"{FIT_LINE}study {name!r}, targets cso_insights, best of 2 "
                    "trials (trial 0), objective 1.0 (weighted mean squared z-score), 2026-11-30 04:21.\n"
                    + (f"{FITTED_LINE}{fitted_with}\n" if fitted_with else "")
                    + f"{STUDY_LINE}{name!r} in /nowhere/study.journal\nmarket:\n  neutral_quality: 0.5\n")
    return path


def test_a_runs_manifest_records_the_setup_each_fit_was_made_with_and_its_files_hash(tmp_path):
    """Two runs of +calibrated=NAME may have run different fits, or one fitted on another setup:
    the manifest holds the fit's "Fitted with" line and the SHA-256 of the file the run read."""
    import hashlib

    import salessim
    from salessim.notices import RunNotice

    made = _fit_file(tmp_path, "made")
    _fit_file(tmp_path, "by_hand", fitted_with=None)
    with pytest.warns(RunNotice, match="changes nothing in this run"):  # by_hand sets what made does
        ran = salessim.run([f"hydra.searchpath=[file://{tmp_path}]", "+calibrated=[made,by_hand]", *SMALL,
                            "sim.replications=1"], out_dir=tmp_path / "run")
    made_fit, by_hand = ran.manifest["calibrated"]
    assert made_fit["fitted_with"] == FITTED_WITH.rstrip(".")  # quoted in sentences: no full stop
    assert made_fit["sha256"] == hashlib.sha256(made.read_bytes()).hexdigest()
    assert by_hand["fitted_with"] == "" and len(by_hand["sha256"]) == 64
    assert json.loads((tmp_path / "run" / "manifest.json").read_text())["calibrated"] == [made_fit, by_hand]


def test_a_fit_applied_to_another_organization_or_horizon_is_said_once_per_setup(tmp_path, capsys):
    """A fit holds parameters only: made on 20 sellers over 1.5 years, it ran on the default
    organization without a word (there it gave a 54.1% win rate against targets of 46.6%). A
    command that applies it on another setup is told, once per setup however many jobs share it;
    on the fit's own setup, or for a fit without a "Fitted with" line, nothing is said."""
    import salessim
    from salessim.calibration.cli import _validate
    from salessim.notices import RunNotice
    from salessim.preflight import check_command

    _fit_file(tmp_path, "made", "sim.years=1.5, sim.warmup_months=6, sim.seed=20261128, org.sellers=20, "
              "calibration.replications=4 per trial, calibration.final_replications=10 for the fit, "
              "calibration.seed=0.")
    _fit_file(tmp_path, "by_hand", fitted_with=None)
    where = [f"hydra.searchpath=[file://{tmp_path}]", f"hydra.run.dir={tmp_path / 'run'}",
             f"hydra.sweep.dir={tmp_path / 'sweep'}"]
    fitted = "+calibrated=made was fitted on 20 sellers over 1.5 years (6-month warm-up); this command runs "
    applied = (": its fitted values are applied unchanged and need not meet its targets on this setup "
               "(docs/calibration.md, section 4)\n")

    def said(*argv: str, config: str = "config", validate=None) -> str:
        check_command([*where, *argv], config, validate)
        return capsys.readouterr().err

    assert said("+calibrated=made", "org=large", "sim.years=1") == f"salessim: {fitted}1,000 sellers over 1 year{applied}"
    assert said("+calibrated=made", "org=small", "sim.years=1.5") == ""  # its own setup
    assert said("+calibrated=by_hand", "org=large", "sim.years=1") == ""  # no setup to compare
    assert said("+calibrated=[by_hand,made]", "org=small", "sim.years=1.5", "sim.warmup_months=3") == (
        f"salessim: {fitted}20 sellers over 1.5 years (3-month warm-up){applied}"
        + _moot("by_hand", "made"))
    assert said("+calibrated=made", "org=small", "sim.years=1.5", "sim.warmup_months=0") == (
        f"salessim: {fitted}20 sellers over 1.5 years (no warm-up){applied}")
    # a sweep: once per setup its jobs run, not once per job; none for the jobs on the fit's own
    assert said("-m", "+calibrated=made", "org=small", "sim.years=1.5", "org.sellers=20,30,40",
                "fsm.span_of_control=6,9") == "".join(f"salessim: {fitted}{n} sellers over 1.5 years{applied}"
                                                      for n in (30, 40))
    # a study run on top of the fit
    assert said("+calibrated=made", *SMALL, "calibration.n_trials=2", config="calibrate", validate=_validate) == (
        f"salessim-calibrate: {fitted}20 sellers over 1 year (2-month warm-up){applied}")
    # from Python, as a warning
    with pytest.warns(RunNotice, match=re.escape(f"salessim: org=small: {fitted}20 sellers over 1 year (2-month")):
        salessim.run([where[0], "+calibrated=made", *SMALL, "sim.replications=1"], scenario="org=small")


def test_a_resume_refused_for_a_fit_changed_since_says_so(tmp_path):
    """A resume after the fit's file changed (its study run again) was refused in terms of the
    values alone ('market.neutral_quality is 0.5 there and 0.55 here'), never naming the fit."""
    import salessim
    from salessim.preflight import check_command

    fit = _fit_file(tmp_path, "made")
    command = [f"hydra.searchpath=[file://{tmp_path}]", "+calibrated=made", *SMALL, "sim.replications=1"]
    salessim.run(command, out_dir=tmp_path / "ran")
    fit.write_text(fit.read_text().replace("neutral_quality: 0.5", "neutral_quality: 0.55"))
    with pytest.raises(UserError) as info:
        check_command([*command, f"hydra.run.dir={tmp_path / 'ran'}", "sim.resume=true"])
    assert ("market.neutral_quality is 0.5 there and 0.55 here; the file of +calibrated=made has changed "
            "since the results were made (a study of that name run again or resumed) (allowed:") \
        in info.value.message
    from salessim.applied_fits import fits_changed_said
    recorded = [{"name": n, "file": str(tmp_path / f"{n}.yaml"), "sha256": "ab"} for n in ("a", "b", "c")]
    (tmp_path / "a.yaml").write_text("x")
    (tmp_path / "b.yaml").write_text("y")
    assert fits_changed_said(recorded) == (
        "; the files of +calibrated=a, +calibrated=b have changed since the results were made (a study of "
        "that name run again or resumed); the file of +calibrated=c has gone since the results were made")


def test_a_fit_applied_under_another_decision_rule_is_said_once_per_rule(tmp_path, capsys):
    """A fit made under weighted consensus supplies a status-quo pull: run under the soft veto, the
    pull is no longer the shipped one, so the veto's own notice was silent, and nothing said that
    the fit's outcome mix was made for another rule. A fit whose header does not name its rule
    (written by hand, or by an older salessim-calibrate) gets no word."""
    from salessim.preflight import check_command

    _fit_file(tmp_path, "consensus", FITTED_WITH.replace("org.sellers=20, ", "org.sellers=20, "
                                                         "market.decision_rule=weighted_consensus, "))
    _fit_file(tmp_path, "older")  # FITTED_WITH names no rule
    where = [f"hydra.searchpath=[file://{tmp_path}]", f"hydra.run.dir={tmp_path / 'run'}",
             f"hydra.sweep.dir={tmp_path / 'sweep'}", *SMALL]

    def said(*argv: str) -> str:
        check_command([*where, *argv])
        return capsys.readouterr().err

    def told(rule: str, name: str = "consensus", pull: str = "") -> str:
        return (f"salessim: +calibrated={name} was fitted under market.decision_rule=weighted_consensus; "
                f"this command runs {rule}: its fitted values{pull} were made for how buying groups decide "
                "under weighted_consensus, so the outcome mix need not meet its targets under "
                f"{rule} (docs/calibration.md, section 4)\n")

    assert said("+calibrated=consensus", "market.decision_rule=soft_veto") == told("soft_veto")
    # the file says which parameters it fitted: the pull is named only when it is among them
    from salessim.applied_fits import TARGETS_LINE
    pulled = _fit_file(tmp_path, "pulled", FITTED_WITH.replace("org.sellers=20, ", "org.sellers=20, "
                                                               "market.decision_rule=weighted_consensus, "))
    pulled.write_text(pulled.read_text() + "  status_quo_utility: -0.3\n")
    assert said("+calibrated=pulled", "market.decision_rule=soft_veto") == told(
        "soft_veto", "pulled", " (the status-quo pull among them)")
    # a target's condition fitted it under the command's rule too: no word for that rule
    pulled.write_text(pulled.read_text().replace("market:", f"{TARGETS_LINE}win_rate, no_decision_rate "
                                                 "[market.decision_rule=soft_veto org.sellers=40]\nmarket:"))
    assert said("+calibrated=pulled", "market.decision_rule=soft_veto") == ""
    # nor the shipped pull's word: a fit made to figures under the soft veto at that pull
    veto_target = _fit_file(tmp_path, "veto_target", FITTED_WITH.replace(
        "org.sellers=20, ", "org.sellers=20, market.decision_rule=weighted_consensus, "))
    veto_target.write_text(veto_target.read_text().replace("market:", f"{TARGETS_LINE}no_decision_rate "
                                                           "[market.decision_rule=soft_veto]\nmarket:"))
    import warnings

    import salessim
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        salessim.run([where[0], "+calibrated=veto_target", *SMALL, "sim.replications=1",
                      "market.decision_rule=soft_veto"])
    warned = [str(w.message) for w in caught]
    assert not [message for message in warned if "decision_rule" in message], warned
    assert said("+calibrated=pulled", "market.decision_rule=unanimity_veto") == (
        "salessim: +calibrated=pulled was fitted under market.decision_rule=weighted_consensus (and "
        "soft_veto, for the targets whose conditions set it); this command runs unanimity_veto: its fitted "
        "values (the status-quo pull among them) were made for how buying groups decide under those rules, "
        "so the outcome mix need not meet its targets under unanimity_veto (docs/calibration.md, section 4)\n")
    assert said("+calibrated=consensus") == ""  # its own rule
    assert said("+calibrated=older", "market.decision_rule=soft_veto") == ""
    # a fit made on top of it under the command's rule was fitted with its values under that rule
    # (its header's way to run it lists both); one made on its own was not
    from salessim.applied_fits import USE_LINE
    under_veto = FITTED_WITH.replace("org.sellers=20, ", "org.sellers=20, market.decision_rule=soft_veto, ")
    on_top = _fit_file(tmp_path, "on_top", under_veto)
    on_top.write_text(on_top.read_text().replace(
        "market:", f"{USE_LINE}salessim +calibrated=on_top runs ...; the fit's own setup: salessim "
        "'+calibrated=[consensus,on_top]' org=small\nmarket:"))
    _fit_file(tmp_path, "alone", under_veto)
    assert said("+calibrated=[consensus,on_top]", "market.decision_rule=soft_veto") == ""
    assert said("+calibrated=[consensus,alone]", "market.decision_rule=soft_veto") == (
        told("soft_veto") + _moot("consensus", "alone"))
    # a sweep: once per rule its jobs run under another, none for the jobs under the fit's own
    # and the veto rules' own word on the shipped pull, once each before the first job (not once a job)
    swept = said("-m", "+calibrated=consensus", "fsm.span_of_control=6,9",
                 "market.decision_rule=weighted_consensus,soft_veto,unanimity_veto")
    assert swept.startswith(told("soft_veto") + told("unanimity_veto")), swept
    rest = swept[len(told("soft_veto") + told("unanimity_veto")):].splitlines()
    assert [line.split(" runs at ")[0] for line in rest] == [
        "salessim: market.decision_rule=soft_veto", "salessim: market.decision_rule=unanimity_veto"], rest


def test_a_condition_picking_a_preset_the_command_overrides_is_refused(tmp_path):
    """A condition org=large under a command typing org.sellers=20 was simulated with 20 sellers,
    its rows the same as the unconditioned ones: the command's key was set after the preset."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    path = tmp_path / "t.csv"

    def check(condition, *command):
        pd.DataFrame([{"metric": "win_rate", "value": 0.3, "std_error": 0.02, "condition": condition},
                      {"metric": "win_rate", "value": 0.3, "std_error": 0.02}]).to_csv(path, index=False)
        check_command([*command, "sim.years=1", f"calibration.targets_file={path}"], "calibrate",
                      _validate)

    with pytest.raises(UserError) as info:
        check("org=large", "org.sellers=20")
    assert info.value.message == (
        f"{path} line 2: condition='org=large' is not allowed: a condition that can take effect: it "
        "sets org.sellers to 1000, but the command's org.sellers=20 sets it under every condition; "
        "drop org.sellers from the command (a target's condition can set it)")
    check("org=large", "org=small")  # a preset of the command's is replaced by the condition's
    check("org=large org.sellers=30", "org.sellers=20")  # the condition sets the key itself
    # the command's key says what the preset says: not refused as one that cannot take effect,
    # but as the study's own setup, which a target without a condition is
    with pytest.raises(UserError) as info:
        check("org=large", "org.sellers=1000")
    assert "this one composes to the setup itself, so leave the target without a condition" in str(info.value)


def test_a_scaled_parameter_whose_value_is_zero_is_refused():
    """market.segments.*.customer_churn is 0 by default: scaled, it stayed 0 and every trial
    scored the same."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    with pytest.raises(UserError) as info:
        check_command([*SMALL, "+calibration.params={market.segments.*.customer_churn:"
                       "{low:0.5,high:2,mode:scale}}", "calibration.free=[market.segments.*.customer_churn]"],
                      "calibrate", _validate)
    assert info.value.message.startswith("market.segments.*.customer_churn=0 is not allowed: a value "
                                         "to scale for calibration.params."), info.value.message


def test_calibration_free_not_a_list_is_told_what_is_allowed():
    """It said "a list such as [a,b], or [] for none", and [] was then refused."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    with pytest.raises(UserError) as info:
        check_command([*SMALL, "calibration.free=market.neutral_quality"], "calibrate", _validate)
    assert info.value.message == (
        "calibration.free='market.neutral_quality' is not allowed: a list of keys of calibration.params "
        "such as [market.neutral_quality] (at least one), or null to fit them all")


def test_a_study_in_a_folder_named_by_the_clock_says_how_to_resume_it(tmp_path, monkeypatch):
    """Stopped, it said "run the same command again to resume the study": the clock then named
    another folder, and the same command started a new study there, silently."""
    from tests.test_cli import interrupt

    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", str(tmp_path / "fits"))
    args = [*SMALL, *TWO_PARAMS, "calibration.name=clk", "calibration.replications=1",
            "calibration.final_replications=2"]
    journals = lambda: list(tmp_path.glob("clk_*/study.journal"))
    # Ctrl-C as a terminal sends it, once two trials are in
    done = interrupt(["salessim.calibration.cli", *args, "calibration.n_trials=500",
                      f"hydra.run.dir={tmp_path}/clk_${{now:%H-%M-%S-%f}}"],
                     lambda: bool(journals()) and _finished(journals()[0], "clk") >= 2)
    err, (journal,) = done.stderr, journals()
    folder, before = journal.parent, _finished(journal, "clk")
    assert done.returncode == 130, err[-3000:]
    assert (f"salessim-calibrate: the clock names the study's folder, {folder}: the same command later may "
            f"name another, and start a new study there; to resume this one, give it "
            f"hydra.run.dir={folder}") in err, err
    said = " ".join(err.split())  # the line wraps at the terminal's width
    assert (f"interrupted; finished trials are kept in {folder} (resume: the same command with "
            f"hydra.run.dir={folder}: the clock may name another folder)") in said, err
    again = calibrate(*args, f"calibration.n_trials={before + 1}", f"hydra.run.dir={folder}")
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"resuming study 'clk' with {before} trials" in again.stderr
    assert "the clock names" not in again.stderr


def test_a_misspelt_key_of_calibration_free_is_told_the_key_it_meant():
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    with pytest.raises(UserError) as info:
        check_command([*SMALL, "calibration.free=[market.neutral_qualty]"], "calibrate", _validate)
    assert info.value.message.startswith(
        "calibration.free='market.neutral_qualty' is not allowed: did you mean market.neutral_quality? "
        "keys of calibration.params: "), info.value.message
    # a key of the model not listed yet: how to add it (a walk was not told)
    with pytest.raises(UserError) as info:
        check_command([*SMALL, "calibration.free=[market.stance_mean]"], "calibrate", _validate)
    said = info.value.message
    assert said.endswith(", or add it with its range: "
                         "'+calibration.params={market.stance_mean:{low:...,high:...}}'"), said


@pytest.mark.parametrize("first,second,said", [
    # one setup spelt two ways: simulated twice, counted as two facts, named apart in the fit
    ("fsm.span_of_control=6", "fsm.span_of_control=6.0",
     "line 3: condition='fsm.span_of_control=6.0' is not allowed: write it fsm.span_of_control=6, as "
     "line 2 does (one spelling per setup"),
    ("fsm.span_of_control=6 sim.years=2", "sim.years=2 fsm.span_of_control=6",
     "condition='sim.years=2 fsm.span_of_control=6' is not allowed: write it fsm.span_of_control=6 "
     "sim.years=2, as"),
    # the study's own setup spelt as a condition: one simulation, twice
    ("fsm.span_of_control=6", "org.sellers=20",
     "line 3: condition='org.sellers=20' is not allowed: a condition that changes the study's setup: this "
     "one composes to the setup itself, so leave the target without a condition"),
    # Hydra keeps the last value of a key set twice, without a word
    ("fsm.span_of_control=6", "fsm.span_of_control=6 fsm.span_of_control=8",
     "line 3: condition='fsm.span_of_control=6 fsm.span_of_control=8' is not allowed: each key once in a "
     "condition (fsm.span_of_control is set twice)"),
], ids=["6 and 6.0", "keys in another order", "the setup itself", "a key twice"])
def test_a_condition_is_written_one_way_for_one_setup(tmp_path, first, second, said):
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    path = tmp_path / "t.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.41, "std_error": 0.03, "condition": first},
                  {"metric": "no_decision_rate", "value": 0.3, "std_error": 0.03, "condition": second}]
                 ).to_csv(path, index=False)
    with pytest.raises(UserError) as info:
        check_command([*SMALL, f"calibration.targets_file={path}"], "calibrate", _validate)
    assert said in info.value.message and "\n" not in info.value.message, info.value.message
    # in a Parquet file, the other row is named by its number too
    pd.read_csv(path).to_parquet(path.with_suffix(".parquet"))
    if "write it" in said:
        with pytest.raises(UserError) as info:
            check_command([*SMALL, f"calibration.targets_file={path.with_suffix('.parquet')}"], "calibrate",
                          _validate)
        assert info.value.message.startswith(f"{path.with_suffix('.parquet')} row 2: condition="), info.value
        assert ", as row 1 does (one spelling per setup" in info.value.message, info.value.message
    # the same spelling twice is one setup, as before
    pd.DataFrame([{"metric": "win_rate", "value": 0.41, "std_error": 0.03, "condition": first},
                  {"metric": "no_decision_rate", "value": 0.3, "std_error": 0.03, "condition": first}]
                 ).to_csv(path, index=False)
    check_command([*SMALL, f"calibration.targets_file={path}"], "calibrate", _validate)


def test_an_integer_key_is_searched_over_whole_numbers(tiny):
    """market.contacts_per_round was searched as a float: trials.csv listed 3.14 where the model
    ran 3."""
    from salessim.calibration.params import parse_params
    from salessim.calibration.study import Problem
    free = parse_params({"market.contacts_per_round": {"low": 1, "high": 6},
                         "market.neutral_quality": {"low": 0.45, "high": 0.57}}, tiny)
    assert [p.integer for p in free] == [True, False]
    study = optuna.create_study()
    values = [Problem({(): tiny}, [], free).suggest(study.ask()) for _ in range(10)]
    assert all(isinstance(v[free[0]], int) and 1 <= v[free[0]] <= 6 for v in values)
    with pytest.raises(UserError, match="whole numbers low < high: market.contacts_per_round is an integer"):
        parse_params({"market.contacts_per_round": {"low": 1.5, "high": 6}}, tiny)


def test_a_recovery_truth_for_an_integer_key_is_a_whole_number():
    """The model runs an integer key's value rounded: a truth of 3.5 could never be recovered."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    with pytest.raises(UserError) as info:
        check_command([*SMALL, "+calibration.params={market.contacts_per_round:{low:1,high:6}}",
                       "calibration.free=[market.contacts_per_round]",
                       "+calibration.recover={market.contacts_per_round:3.5}"], "calibrate", _validate)
    assert info.value.message.startswith("calibration.recover.market.contacts_per_round=3.5 is not "
                                         "allowed: a whole number"), info.value.message


def test_a_key_listed_twice_in_calibration_free_is_refused():
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    with pytest.raises(UserError) as info:
        check_command([*SMALL, "calibration.free=[market.neutral_quality,tools.internal_hours,"
                       "market.neutral_quality]"], "calibrate", _validate)
    assert info.value.message.endswith("each key once (market.neutral_quality is listed twice)")


def test_a_targets_file_s_header_and_rows_are_told_in_readable_lines(tmp_path):
    """Spaces after the header's commas made 'value missing; unknown column(s) std_error, value'; a
    tab-separated file got no hint; a header alone said 'PATH=[] is not allowed'; weights of 0
    said 'weight=[0.0]'; a condition typed as a YAML mapping showed its key, not what was typed."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command

    def refused(*args):
        with pytest.raises(UserError) as info:
            check_command([*SMALL, *args], "calibrate", _validate)
        return info.value.message

    spaced = tmp_path / "spaced.csv"
    spaced.write_text("metric, value, std_error\nwin_rate, 0.3, 0.02\n")
    check_command([*SMALL, f"calibration.targets_file={spaced}"], "calibrate", _validate)
    # A quoted condition after a space too: the row check read it as two fields
    spaced.write_text('metric, value, std_error, weight, condition\n'
                      'win_rate, 0.3, 0.02, 1, "investment=[crm,enablement_content]"\n')
    check_command([*SMALL, f"calibration.targets_file={spaced}"], "calibrate", _validate)
    spaced.write_text("metric, valu, std_error\nwin_rate, 0.3, 0.02\n")
    said = refused(f"calibration.targets_file={spaced}")
    assert f"{spaced}: column 'value' missing; unknown column 'valu' (did you mean 'value'? allowed" in said
    spaced.write_text("metric,value,stderr\nwin_rate,0.3,0.02\n")  # a walk's
    assert "unknown column 'stderr' (did you mean 'std_error'? allowed columns: " in refused(
        f"calibration.targets_file={spaced}")
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("metric\tvalue\tstd_error\nwin_rate\t0.3\t0.02\n")
    assert f"{tabs}: its columns are separated by tabs (allowed: " in refused(f"calibration.targets_file={tabs}")
    header = tmp_path / "header.csv"
    header.write_text("metric,value,std_error\n")
    assert refused(f"calibration.targets_file={header}") == (
        f"targets file {header} holds no target (allowed: at least one target)")
    (tmp_path / "targets").mkdir()
    (tmp_path / "targets" / "m.yaml").write_text(
        "# @package targets\nname: m\nitems:\n  - {metric: win_rate, value: 0.3, std_error: 0.02,\n"
        "     condition: {fsm: {span_of_control: 6}}}\n")
    assert refused("-cd", str(tmp_path), "targets=m").startswith(
        "targets.items.0.condition='{fsm.span_of_control: 6}' is not allowed: config overrides written "
        "KEY=VALUE, e.g. condition: fsm.span_of_control=6")
    # the same in a file's cell: refused whole, not by its first fragment ('{fsm.span_of_control:')
    cell = tmp_path / "cell.csv"
    cell.write_text('metric,value,std_error,condition\n'
                    'win_rate,0.3,0.02,"{fsm.span_of_control: 6, sim.years: 2}"\n')
    assert refused(f"calibration.targets_file={cell}") == (
        f"{cell} line 2: condition='{{fsm.span_of_control: 6, sim.years: 2}}' is not allowed: config "
        "overrides written KEY=VALUE, e.g. the cell fsm.span_of_control=6 sim.years=2")


def test_a_study_folder_holds_one_study_in_one_storage_and_no_run(tmp_path):
    """hydra.run.dir aimed at another study's folder, or at a salessim run's, overwrote its fit
    and tables (and added a second study to its journal); salessim wrote its run there too; and
    the study's own name with another calibration.storage started afresh over its fit."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command
    folder = tmp_path / "s1"
    study = [*SMALL, "calibration.n_trials=1", "calibration.replications=1",
             "calibration.final_replications=2", "calibration.free=[tools.internal_hours]"]
    done = calibrate(*study, "calibration.name=s1", f"hydra.run.dir={folder}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*")}

    def refused(config_name, *args, validate=_validate):
        with pytest.raises(UserError) as info:
            check_command([*study, *args], config_name, validate)
        return info.value.message

    assert refused("calibrate", "calibration.name=zz", f"hydra.run.dir={folder}") == (
        f"hydra.run.dir='{folder}' is not allowed: a folder for study 'zz' alone (leave hydra.run.dir "
        "out for results/calibration/zz); this one holds study 's1', whose fit and trials this "
        "study's would overwrite")
    # (the value is cut at 80 characters, as every refused value is: tmp_path's length varies)
    assert refused("calibrate", "calibration.name=s1", f"hydra.run.dir={folder}",
                   f"calibration.storage=sqlite:///{tmp_path}/s.db").endswith(
        f" is not allowed: the storage of study 's1', which {folder} holds: its journal file, "
        "calibration.storage=null (resume it there; for a new study in this storage, a new "
        "calibration.name)")
    assert not (tmp_path / "s.db").exists()
    model = [*SMALL, f"hydra.run.dir={folder}"]
    with pytest.raises(UserError, match="a folder of its own for the run .this one holds calibration "
                                        "study 's1', whose files its tables would land among"):
        check_command(model)
    check_command([*study, "calibration.name=s1", "calibration.n_trials=2", f"hydra.run.dir={folder}"],
                  "calibrate", _validate)  # its own study resumes
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*")} == before
    run = tmp_path / "run"
    run.mkdir()
    (run / "manifest.json").write_text("{}")
    assert "this one holds a salessim run's or sweep's results" in refused(
        "calibrate", "calibration.name=zz", f"hydra.run.dir={run}")
    sweep = tmp_path / "sweep"
    sweep.mkdir()
    (sweep / "multirun.yaml").write_text("{}")
    assert "this one holds a salessim run's or sweep's results" in refused(
        "calibrate", "calibration.name=zz", f"hydra.run.dir={sweep}")


def test_a_study_recorded_with_an_interpolated_storage_is_not_refused_as_another(tmp_path, monkeypatch):
    """Hydra records the command as typed: a storage given as ${oc.env:DB_URL} is recorded so,
    and every resume was refused as 'another storage'."""
    from salessim.calibration.storage import refuse_another_study_folder
    from salessim.config import CalibrationConfig
    (tmp_path / ".hydra").mkdir()
    (tmp_path / ".hydra" / "config.yaml").write_text(
        "calibration:\n  name: s1\n  storage: ${oc.env:DB_URL}\n")
    refuse_another_study_folder(tmp_path, CalibrationConfig(name="s1", storage=f"sqlite:///{tmp_path}/s.db"))
    with pytest.raises(ConfigError):  # another name is still another study
        refuse_another_study_folder(tmp_path, CalibrationConfig(name="s2"))


def test_a_storage_that_cannot_be_opened_is_refused_before_anything_is_written(tmp_path):
    """postgresql://u:secretpw@... echoed the password, left the study folder with .hydra/ files
    holding it, and did not name the driver to install."""
    done = calibrate(*SMALL, "calibration.name=pg", "calibration.storage=postgresql+pg8000://u:secretpw@nohost/db",
                     cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "salessim-calibrate: error: calibration.storage='postgresql+pg8000://u:***@nohost/db' is not "
        "allowed: an RDB URL Optuna can open, e.g. postgresql://user:password@host/db: its driver, the "
        "Python module pg8000, is not installed (pip install 'pg8000')\n")
    assert not (tmp_path / "results").exists()
    from salessim.calibration.storage import cannot_open
    said = cannot_open("postgresql://u:secretpw@nohost/db", OSError("u:secretpw refused")).message
    assert "secretpw" not in said and "u:***@nohost" in said
    # a database with another program's tables: Optuna's advice, cut at 160 characters, ended
    # mid-command ("by `$ )"), and updating Optuna would not help
    optunas = ("The runtime optuna version 5.1.0 is no longer compatible with the table schema (set up "
               "by optuna 5.1.0). Please try updating optuna to the latest version by `$ pip install -U "
               "optuna`.")
    said = cannot_open("sqlite:///other.db", RuntimeError(optunas)).message
    assert said.endswith("(The runtime optuna version 5.1.0 is no longer compatible with the table schema "
                         "(set up by optuna 5.1.0). The database holds tables of another program or of "
                         "another Optuna version: give the study a database of its own.)"), said
    said = cannot_open("sqlite:///x.db", RuntimeError("word " * 60)).message
    assert said.endswith(" word ...)") and len(said) < 300, said


def test_the_study_folder_keeps_no_storage_password_and_the_same_command_resumes(tmp_path):
    """Hydra records the command as typed (.hydra/config.yaml, hydra.yaml, overrides.yaml): a
    storage URL's password stayed in the study's folder, which is shared for its fit and report.
    The run replaces it there by ***, and the folder still names the storage, so the same command
    resumes the study. The database is a stand-in (an SQLite file behind the postgresql URL):
    none with a password runs here."""
    stand_in = f"sqlite:///{tmp_path / 'stand_in.db'}"
    code = ("import sys, optuna; import salessim.calibration.cli as c; "
            "c.check_storage_url = lambda url: None; c.existing_study = lambda cal, folder: None; "
            f"c.storage_for = lambda url, folder: optuna.storages.RDBStorage({stand_in!r}); "
            "sys.argv[0] = 'salessim-calibrate'; c.main()")
    url = "postgresql://analyst:s3cret-pw@dbhost:5432/salessim"
    out = tmp_path / "study"
    args = [*SMALL, *TWO_PARAMS, "org.sellers=10", "calibration.name=pw", f"calibration.storage={url}",
            "calibration.n_trials=1", "calibration.replications=1", "calibration.final_replications=2",
            f"hydra.run.dir={out}"]
    env = {**os.environ, "SALESSIM_CALIBRATED_DIR": str(tmp_path / "fits")}
    for attempt in range(2):
        done = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=600, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "s3cret" not in done.stdout + done.stderr
        record = {f.name: f.read_text() for f in (out / ".hydra").iterdir()}
        assert set(record) == {"config.yaml", "hydra.yaml", "overrides.yaml"}
        for name, text in record.items():
            assert "s3cret" not in text and "analyst:***@dbhost" in text, name
        assert "s3cret" not in "".join(f.read_text(errors="replace") for f in out.iterdir() if f.is_file())
    assert "resuming study 'pw'" in done.stderr  # the second command found its study
    assert yaml.safe_load(record["config.yaml"])["calibration"]["storage"] == (
        "postgresql://analyst:***@dbhost:5432/salessim")


def test_a_password_hydra_recorded_in_a_form_not_replaced_is_said():
    """A record holding the password in another form than the URL typed (quoted by Hydra, say)
    is named for the command to say, not left silently."""
    from salessim.calibration.storage import keep_password_out_of_record
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        record = Path(folder)
        (record / "overrides.yaml").write_text("- calibration.storage='postgresql://u:pw@h/db'\n")
        (record / "config.yaml").write_text("calibration:\n  storage: \"postgresql://u:pw@h\\/db\"\n")
        left = keep_password_out_of_record(record, "postgresql://u:pw@h/db")
        assert (record / "overrides.yaml").read_text() == "- calibration.storage='postgresql://u:***@h/db'\n"
        assert left == str(record / "config.yaml")
        # Nothing to do: no password, a URL from the environment, no record
        for typed in ("sqlite:///s.db", "${oc.env:DB_URL}", None):
            assert keep_password_out_of_record(record, typed) is None
        assert keep_password_out_of_record(None, "postgresql://u:pw@h/db") is None


def test_preflight_leaves_a_new_sqlite_storage_for_the_run_to_create(tmp_path):
    """Preflight looks for the study in its storage before Hydra writes anything; opening a
    SQLite URL creates its file, which a command refused afterwards left behind. A file that does
    not exist holds no study: it is not opened; one that exists is."""
    from salessim.calibration.storage import existing_study
    from salessim.config import CalibrationConfig
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert existing_study(CalibrationConfig(name="s1", storage=url), tmp_path / "study") is None
    assert list(tmp_path.iterdir()) == []
    optuna.create_study(study_name="s1", storage=url)
    assert existing_study(CalibrationConfig(name="s1", storage=url), tmp_path / "study") is not None
    # Not opened, a new file in a folder that cannot be written is refused by its URL's check
    from salessim.calibration import storage
    new = f"sqlite:///{tmp_path / 'other.db'}"
    storage.check_storage_url(new)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storage.os, "access", lambda path, mode: False)
        with pytest.raises(ConfigError, match="a SQLite file in a folder that can be written"):
            storage.check_storage_url(new)
        storage.check_storage_url(url)  # an existing file is opened, as before


def test_a_journal_that_cannot_be_opened_is_said_as_the_journal():
    """A study without calibration.storage keeps its journal in its folder: a failure to open it
    was said as 'calibration.storage=None is not allowed: an RDB URL Optuna can open'."""
    from salessim.calibration.storage import cannot_open
    said = str(cannot_open(None, PermissionError("Permission denied")))
    assert said.startswith("the study's journal file (study.journal in its folder) could not be "
                           "opened (Permission denied)"), said
    assert "calibration.storage=None" not in said
    assert "u:***@h" in str(cannot_open("postgresql://u:secretpw@h/db", OSError("no")))


def test_log_is_true_or_false():
    """log: true searches a log scale, log: false (or no log) a linear one."""
    from salessim.calibration.params import parse_params
    from salessim.config import Config
    for log in (True, False):
        [p] = parse_params({"market.neutral_quality": {"low": 0.45, "high": 0.57, "log": log}}, Config())
        assert p.log is log
    [p] = parse_params({"market.neutral_quality": {"low": 0.45, "high": 0.57}}, Config())
    assert p.log is False


def test_a_sqlite_storage_behind_a_dangling_link_or_with_too_long_a_name_is_refused_by_preflight(tmp_path):
    """A link to a file in a folder that does not exist passed preflight (its own folder exists),
    and the run failed after Hydra had made the study's folder; a name too long for a file was a
    traceback (OSError: File name too long)."""
    from salessim.calibration.storage import check_storage_url
    link = tmp_path / "d.db"
    link.symlink_to(tmp_path / "nowhere" / "db.sqlite")
    with pytest.raises(ConfigError) as info:
        check_storage_url(f"sqlite:///{link}")
    assert info.value.message.endswith(f"a SQLite file in a folder that exists ({link} links to "
                                       f"{tmp_path / 'nowhere' / 'db.sqlite'})"), info.value.message
    (tmp_path / "nowhere").mkdir()
    check_storage_url(f"sqlite:///{link}")  # the linked file's folder exists: SQLite makes the file
    long = tmp_path / ("x" * 300 + ".db")
    with pytest.raises(UserError) as info:
        check_storage_url(f"sqlite:///{long}")
    assert info.value.message.startswith("calibration.storage's SQLite file '")
    assert info.value.message.endswith("has a name of 303 bytes (allowed: a file name the system can "
                                       "hold, with names of at most 255 bytes)"), info.value.message
    deep = "abcdefghijklmnop/" * 300 + "x.db"  # short names, too long a path
    with pytest.raises(ConfigError, match=r"a SQLite file the system can look up \(File name too long\)"):
        check_storage_url(f"sqlite:///{deep}")


GONE = """
import sys
from salessim.calibration import cli, storage
def gone(url, folder):
    raise storage.cannot_open(url, OSError("the database went away"))
cli.storage_for = gone  # preflight passed; the storage fails when the run opens it
cli.main()
"""


def test_a_study_whose_storage_fails_at_run_time_leaves_no_folder_that_claims_its_name(tmp_path):
    """Hydra's record of the command stayed in results/calibration/NAME, and the next command of
    that name with another storage was refused as 'the storage of study NAME'. A folder that was
    there before (a study resumed) stays."""
    study = [*SMALL, "calibration.name=s2", "calibration.free=[tools.internal_hours]",
             f"calibration.storage=sqlite:///{tmp_path / 'new.db'}"]
    done = subprocess.run([sys.executable, "-c", GONE, *study], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 2 and done.stderr.endswith("(the database went away)\n"), done.stderr
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "results").exists()
    (tmp_path / "results" / "calibration" / "s2").mkdir(parents=True)
    done = subprocess.run([sys.executable, "-c", GONE, *study], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 2
    assert (tmp_path / "results" / "calibration" / "s2" / ".hydra" / "config.yaml").is_file()


def test_a_trial_whose_values_make_no_valid_model_scores_inf_and_the_study_goes_on(tiny):
    """Tools.internal_hours 19 fits a 50-hour week but not a target's condition of 32 hours:
    checked() raised ConfigError inside the objective, Optuna printed its traceback and the study
    stopped (exit 1). Now the trial scores inf, as a trial without a figure does, one line says
    which trial, values, condition and setting, and the fit is the best valid trial's."""
    from salessim.calibration.params import FreeParam
    from salessim.calibration.study import INVALID, Problem, best_trial, optimize, trials_table
    from salessim.calibration.targets import Target

    part_time = dataclasses.replace(tiny, org=dataclasses.replace(tiny.org, weekly_hours=32))
    condition = ("org.weekly_hours=32",)
    problem = Problem({(): tiny, condition: part_time},
                      [Target("selling_time_share", 0.41, 0.02), Target("selling_time_share", 0.3, 0.02, condition)],
                      [FreeParam("tools.internal_hours", 10.0, 20.0)])
    study = optuna.create_study(direction="minimize")
    for hours in (19.0, 12.0, 19.5):
        study.enqueue_trial({"tools.internal_hours": hours})
    said: list[str] = []
    optimize(problem, study, 3, 1, say=said.append)
    trials = study.get_trials()
    assert [t.state for t in trials] == [optuna.trial.TrialState.COMPLETE] * 3
    assert [math.isinf(t.value) for t in trials] == [True, False, True]
    assert said[0] == (
        "trial 0 scores inf (no fit): the values tools.internal_hours=19 make no valid model under "
        "condition org.weekly_hours=32: tools.admin_hours + tools.internal_hours + enablement.search_hours"
        "=32 is not allowed: a sum below org.weekly_hours (32), leaving time to sell (here 10 + 19 + 3)")
    assert len(said) == 2 and said[1].startswith("trial 2 scores inf (no fit): the values tools.internal_hours=19.5")
    assert INVALID in trials[0].user_attrs and INVALID not in trials[1].user_attrs
    assert trials_table(study).replications.tolist() == [0, 1, 0]
    assert best_trial(study).number == 1


def test_a_study_without_a_valid_trial_has_no_fit_and_says_why():
    """Every trial inf, one of them with no valid model: Optuna's best trial could be that one,
    whose fit could not be simulated."""
    from optuna.distributions import FloatDistribution

    from salessim.calibration.study import INVALID, best_trial
    study = optuna.create_study(study_name="s1", direction="minimize")
    study.add_trial(optuna.trial.create_trial(params={"x": 0.9}, distributions={"x": FloatDistribution(0.0, 1.0)},
                                              value=math.inf, user_attrs={INVALID: "the values x=0.9 make no "
                                                                          "valid model in the study's setup: why"}))
    with pytest.raises(UserError) as info:
        best_trial(study)
    assert info.value.message == (
        "study 's1' has no complete trial with a valid model, so no fit: trial 0's the values x=0.9 make "
        "no valid model in the study's setup: why (allowed: calibration.params ranges whose values make a "
        "valid model together; narrow them, or run more trials)")
    study.add_trial(optuna.trial.create_trial(params={"x": 0.2}, distributions={"x": FloatDistribution(0.0, 1.0)},
                                              value=math.inf))  # no figure: a fit all the same
    assert best_trial(study).number == 1


def test_a_target_of_weight_0_is_monitored_never_fitted(tiny, tmp_path):
    """A weight-0 target without a figure made every trial score inf (the NaN check came before
    the weight), and calibrated.yaml listed it among the targets fitted, so salessim-compare took
    it for fitted rather than one to validate on."""
    from optuna.distributions import FloatDistribution

    from salessim.applied_fits import FIGURES_LINE, MONITORED_LINE, TARGETS_LINE, header_line
    from salessim.calibration.params import FreeParam
    from salessim.calibration.report import calibrated_yaml
    from salessim.calibration.study import Problem
    from salessim.calibration.targets import Target
    from salessim.config import CalibrationConfig

    short = ("sim.years=0.25", "sim.warmup_months=0")
    problem = Problem({(): tiny, short: tiny},
                      [Target("win_rate", 0.45, 0.02), Target("median_cycle_days_enterprise", 120, 20, short, 0.0),
                       Target("win_rate", 0.5, 0.05, (), 0.0)],  # weight 0, but its label is fitted
                      [FreeParam("market.neutral_quality", 0.4, 0.6)])
    sims = {(): pd.DataFrame({"win_rate": [0.45, 0.47]}),
            short: pd.DataFrame({"median_cycle_days_enterprise": [math.nan, math.nan]})}
    assert problem.score(sims) == pytest.approx(0.25)  # ((0.46 - 0.45) / 0.02)^2 over weight 1
    best = optuna.trial.create_trial(params={"market.neutral_quality": 0.5}, value=0.25,
                                     distributions={"market.neutral_quality": FloatDistribution(0.4, 0.6)})
    path = tmp_path / "w0.yaml"
    path.write_text(calibrated_yaml(problem, best, CalibrationConfig(name="w0"), "file t.csv", "1 trial",
                                    "'w0' in study.journal", []))
    assert header_line(path, TARGETS_LINE) == "win_rate"
    assert header_line(path, MONITORED_LINE) == "median_cycle_days_enterprise [sim.years=0.25 sim.warmup_months=0]"
    # each target's figure and source, the fitted one's where a label is also monitored
    assert json.loads(header_line(path, FIGURES_LINE)) == {
        "win_rate": [0.45, ""],
        "median_cycle_days_enterprise [sim.years=0.25 sim.warmup_months=0]": [120, ""]}


def test_the_fit_plot_draws_each_targets_interval_as_fit_csv_gives_it(monkeypatch):
    """Each bar was its interval's upper half mirrored: a share's interval cut at 0 (here 0.0 to
    0.05 around a mean of 0.01) was drawn reaching below 0, unlike fit.csv's."""
    from salessim.calibration import report
    fit = pd.DataFrame({"metric": ["exits_top_share", "win_rate"], "condition": ["", ""],
                        "target": [0.02, 0.45], "std_error": [0.01, 0.02], "simulated_mean": [0.01, 0.47],
                        "simulated_ci_low": [0.0, 0.43], "simulated_ci_high": [0.05, 0.50]})
    fit["z"] = (fit.simulated_mean - fit.target) / fit.std_error
    drawn = []
    monkeypatch.setattr(report, "png", lambda fig, **layout: drawn.append(fig) or b"")
    report._fit_plot(fit)
    bars = drawn[0].axes[0].containers[0].lines[2][0].get_segments()  # the error bars, row by row
    ends = [(float(seg[0][0]), float(seg[1][0])) for seg in bars]
    # in the target's standard errors from the target: (low - target) / se, (high - target) / se
    assert ends == [pytest.approx((-2.0, 3.0)), pytest.approx((-1.0, 2.5))]
    assert drawn[0].axes[0].get_xlim()[1] >= 3.0 + 1.0
    # a target of weight 0, watched and not fitted, is drawn apart and said so
    report._fit_plot(fit.assign(weight=[1.0, 0.0]))
    ax = drawn[1].axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["exits_top_share",
                                                            "win_rate (weight 0: not fitted)"]
    assert len(ax.containers) == 2 and "weight 0, not fitted" in ax.get_xlabel()


def test_the_docs_quote_the_short_window_notice_as_the_study_says_it(tiny):
    """docs/calibration.md said the notice came after the fit, as 'under condition sim.years=0.35:';
    the study says it before the trials, as short_windows() words it."""
    from salessim.calibration.cli import short_windows
    from salessim.calibration.study import Problem
    short = dataclasses.replace(tiny, sim=dataclasses.replace(tiny.sim, years=0.35))
    [line] = short_windows(Problem({(): tiny, ("sim.years=0.35",): short}, [], []))
    doc = " ".join((ROOT / "docs" / "calibration.md").read_text().split())
    assert line.startswith("under a condition: only 10 weeks")
    assert f"`{line.split(': yearly')[0]}: ...`" in doc
    assert "the study says so on stderr before its trials start" in doc


def test_the_terminal_fit_table_reads_for_money_counts_shares_and_long_conditions():
    """Fixed formats broke the columns for money and counts (12000000.000), a long condition's
    label pushed its row's figures right, and a standard error of 0.0014 printed as 0.001."""
    from types import SimpleNamespace

    from salessim.calibration.report import significant, terminal
    from salessim.config import CalibrationConfig
    fit = pd.DataFrame({
        "metric": ["bookings_usd", "leads", "exits_top_share", "win_rate"],
        "condition": ["", "", "", "fsm.span_of_control=6 investment=[crm] org.segment_mix.enterprise=0.2"],
        "target": [12e6, 1500.0, 0.0, 0.466], "std_error": [1e6, 100.0, 0.0014, 0.0192],
        "simulated_mean": [6111867.367, 1432.1, 0.004, math.nan], "z": [-5.89, -0.68, 2.86, math.nan],
        "within_2se": [False, True, False, False], "weight": [1.0, 1.0, 1.0, 1.0],
        "simulation_se": math.nan, "replications": 10})
    spread = pd.DataFrame({"parameter": ["market.neutral_quality"], "best": [0.5], "share_of_range": [0.1],
                           "verdict": ["narrow"]})

    def fit_lines(fit):  # the table's lines, as the terminal shows them after the study's line
        return terminal(fit, spread, SimpleNamespace(value=1.0, number=0), CalibrationConfig(name="t"),
                        Path("out"), [], "1 trial").splitlines()[2:3 + len(fit)]

    lines = fit_lines(fit)
    found = [list(re.finditer(r"\S+(?: \S+)*", line)) for line in lines]  # cells: two spaces or more apart
    cells = [[m.group() for m in row] for row in found]
    assert cells[0] == ["target", "value", "± se", "simulated", "z", "within 2 se"]
    assert cells[1][1:] == ["12,000,000", "1,000,000", "6,112,000", "-5.89", "NO"]
    assert cells[2][1:] == ["1,500", "100", "1,432", "-0.68", "yes"]
    assert cells[3][1:] == ["0", "0.0014", "0.004", "2.86", "NO"]
    assert cells[4][1:] == ["0.466", "0.0192", "-", "-", "NO"]  # no figure: nothing to show
    for k in range(1, 5):  # each figure's column ends where its header does, the long label's row too
        assert len({row[k].end() for row in found}) == 1, (k, lines)
    assert [significant(x, 2) for x in (0.00999, 99999, -0.31, 0)] == ["0.01", "100,000", "-0.31", "0"]
    weighted = fit_lines(fit.assign(weight=[1.0, 1.0, 0.0, 2.5]))  # the weight only where one differs
    assert re.findall(r"\S+(?: \S+)*", weighted[0])[5] == "weight" and weighted[3].split()[5] == "0"


def test_a_fits_folder_that_cannot_take_the_fit_is_refused_before_the_study(tmp_path):
    """The fit is installed after every trial: a SALESSIM_CALIBRATED_DIR that is a file used to end
    a study of hours in a traceback, with no report and no fit installed."""
    (tmp_path / "a_file").write_text("")
    out = tmp_path / "out"
    for fits in (tmp_path / "a_file", tmp_path / "a_file" / "calibrated"):
        done = calibrate(*TINY, "calibration.n_trials=1", f"hydra.run.dir={out}",
                         env={**os.environ, "SALESSIM_CALIBRATED_DIR": str(fits)})
        assert (done.returncode, done.stderr.strip()) == (2, (
            f"salessim-calibrate: error: SALESSIM_CALIBRATED_DIR={fits} is not allowed: "
            f"{tmp_path / 'a_file'} is not a folder (allowed: a folder salessim-calibrate can write the fit "
            "in)"))
        assert not out.exists()


def test_a_fits_folder_that_cannot_be_made_is_refused_before_the_study(tmp_path, monkeypatch):
    """Run as root, os.access says yes of /proc: SALESSIM_CALIBRATED_DIR=/proc/nope/x passed, and
    the study ran to its end, wrote its files and then failed in four lines that did not name
    the variable. Making a folder there is tried, and nothing is left of it."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command

    out = tmp_path / "out"
    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", "/proc/nope/x")
    with pytest.raises(UserError) as info:
        check_command([*TINY, f"hydra.run.dir={out}"], "calibrate", _validate)
    assert info.value.message == (
        "SALESSIM_CALIBRATED_DIR=/proc/nope/x is not allowed: cannot create a folder in /proc: No such "
        "file or directory (allowed: a folder salessim-calibrate can write the fit in)")
    assert not out.exists() and not os.path.lexists("/proc/nope")
    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", str(tmp_path / "fits" / "calibrated"))
    check_command([*TINY, f"hydra.run.dir={out}"], "calibrate", _validate)  # one that can be made
    assert list(tmp_path.iterdir()) == []  # and is not: the study makes it when it installs the fit


@pytest.mark.parametrize("command", ["salessim", "salessim-calibrate"])
@pytest.mark.parametrize("name,said", [
    ("x" * 300, "SALESSIM_CALIBRATED_DIR '{fits:.76}... has a name of 300 bytes (allowed: a folder "
                "salessim-calibrate can write the fit in, with names of at most 255 bytes)"),
    ("a/" * 2100, "SALESSIM_CALIBRATED_DIR={fits} is not allowed: File name too long (allowed: a "
                  "folder salessim-calibrate can write the fit in)")], ids=["a name", "a path"])
def test_a_fits_folder_too_long_to_look_up_is_refused_in_one_line(tmp_path, monkeypatch, command, name, said):
    """A SALESSIM_CALIBRATED_DIR longer than the system takes ended in an OSError's traceback, both
    where salessim lists the fits there (a +calibrated not found) and where salessim-calibrate
    checks the folder before its study."""
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command

    fits, out = tmp_path / name, tmp_path / "out"
    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", str(fits))
    with pytest.raises(UserError) as info:
        if command == "salessim":
            check_command(["org=small", "+calibrated=foo", f"hydra.run.dir={out}"])
        else:
            check_command([*TINY, f"hydra.run.dir={out}"], "calibrate", _validate)
    assert info.value.message == said.format(fits=str(fits))
    assert list(tmp_path.iterdir()) == []
    if command == "salessim":  # a study's folder typed for its fit: the fits' folder is not looked into
        (tmp_path / "study").mkdir()
        (tmp_path / "study" / "calibrated.yaml").write_text("")
        with pytest.raises(UserError, match="a fit's name, not its study's folder: copy "):
            check_command(["org=small", f"+calibrated={tmp_path / 'study'}", f"hydra.run.dir={out}"])


def test_a_fits_folder_in_a_symlink_loop_ends_in_one_line(tmp_path, monkeypatch):
    """Path.resolve (Python 3.11) raised a RuntimeError on a symlink loop: a traceback where
    salessim names the fits of SALESSIM_CALIBRATED_DIR, and in salessim-calibrate's check and --help."""
    from salessim.calibrated_fits import help_naming_the_fits_folder
    from salessim.calibration.cli import _validate
    from salessim.preflight import check_command

    loop, out = tmp_path / "loop", tmp_path / "out"
    loop.symlink_to(loop)
    fits = loop / "calibrated"
    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", str(fits))
    with pytest.raises(UserError) as info:
        check_command([*TINY, f"hydra.run.dir={out}"], "calibrate", _validate)
    assert info.value.message == (f"SALESSIM_CALIBRATED_DIR={fits} is not allowed: Too many levels of "
                                  "symbolic links (allowed: a folder salessim-calibrate can write the fit "
                                  "in)")
    with pytest.raises(UserError) as info:
        check_command(["org=small", "+calibrated=foo", f"hydra.run.dir={out}"])
    assert f"puts each fit in {fits}/NAME.yaml" in info.value.message
    assert f"{fits}/<calibration.name>.yaml" in help_naming_the_fits_folder(
        "results/calibrated/<calibration.name>.yaml, which\n+calibrated=<calibration.name> reads")
    assert sorted(tmp_path.iterdir()) == [loop]


def test_a_fit_that_cannot_be_written_ends_in_one_line_and_the_study_resumes(tmp_path):
    fits, out = tmp_path / "fits", tmp_path / "out"
    (fits / "blocked.yaml").mkdir(parents=True)  # in the way of the fit
    args = [*TINY, "calibration.name=blocked", "calibration.n_trials=2", f"hydra.run.dir={out}"]
    env = {**os.environ, "SALESSIM_CALIBRATED_DIR": str(fits)}
    done = calibrate(*args, env=env)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"salessim-calibrate: error: cannot write {fits / 'blocked.yaml'}: Is a directory (allowed: a "
        "folder salessim-calibrate can write to); finished trials are kept (run the same command "
        "again to resume the study)")
    (fits / "blocked.yaml").rmdir()
    again = calibrate(*args, env=env)
    assert again.returncode == 0, again.stderr
    # its trials all done: the fit alone is made again, and the command says so
    assert ("resuming study 'blocked' with 2 trials; no trial runs (calibration.n_trials=2, and the "
            "study holds as many): the fit is made again from them; a larger calibration.n_trials runs "
            "more") in again.stderr
    assert "resuming" not in again.stdout  # a notice, on stderr as every other is (a walk found it on stdout)
    assert (fits / "blocked.yaml").is_file() and (out / "fit_report.html").is_file()


def test_a_fit_made_again_from_the_same_trials_keeps_its_file(tmp_path):
    """A resume that runs no trial makes the fit again; its file differed only by the time in its
    header, and every fit made on top of it (which checks the file's hash) said it had changed
    since, its values the same (a researcher's walk)."""
    import re

    fits, out = tmp_path / "fits", tmp_path / "out"
    args = [*TINY, "calibration.name=same", "calibration.n_trials=1", f"hydra.run.dir={out}"]
    env = {**os.environ, "SALESSIM_CALIBRATED_DIR": str(fits)}
    assert calibrate(*args, env=env).returncode == 0
    installed = fits / "same.yaml"
    made_then = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}\n", "2000-01-01 00:00\n", installed.read_text(),
                       count=1)
    assert made_then != installed.read_text()
    installed.write_text(made_then)  # as if made long before
    again = calibrate(*args, env=env)
    assert again.returncode == 0, again.stderr
    assert installed.read_text() == made_then == (out / "calibrated.yaml").read_text()
    assert ("salessim-calibrate: +calibrated=same is the fit its file held, unchanged: the file is kept "
            "as it was, so the fits made on top of it still match it") in again.stderr
    # fitted values that differ: the file is made anew
    installed.write_text(made_then.replace("trial 0,", "trial 9,"))
    assert calibrate(*args, env=env).returncode == 0
    assert "2000-01-01 00:00" not in installed.read_text()


def test_a_score_of_monitored_facts_alone_runs(tmp_path):
    """A score scores every target alike, whatever its weight: a file of monitored facts (weight 0),
    a natural one to score, was refused as holding no target with weight above 0 (a walk). A study
    of it, which would fit nothing, still is."""
    targets = tmp_path / "watched.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.45, "std_error": 0.02, "weight": 0},
                  {"metric": "seller_turnover_rate", "value": 0.3, "std_error": 0.05, "weight": 0}]
                 ).to_csv(targets, index=False)
    out = tmp_path / "score"
    done = calibrate(*TINY, "calibration.name=watched", "calibration.free=[]",
                     f"calibration.targets_file={targets}", f"hydra.run.dir={out}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "of 2 targets within two standard errors" in done.stdout and "Objective" not in done.stdout
    assert "\n\n\n" not in done.stdout  # no blank line where the objective's was
    assert len(pd.read_csv(out / "fit.csv")) == 2
    study = calibrate(*TINY, "calibration.name=watched_study", f"calibration.targets_file={targets}",
                      f"hydra.run.dir={tmp_path / 'study'}")
    assert study.returncode == 2 and "every target has weight 0" in study.stderr


def test_a_study_whose_report_cannot_be_written_installs_no_fit(tmp_path):
    """A full disk ended a study in one line that said the trials were kept, after its fit had been
    installed for +calibrated: a fit without its report. The fit is installed last."""
    fits, out = tmp_path / "fits", tmp_path / "out"
    args = [*TINY, "calibration.name=unreported", "calibration.n_trials=1", f"hydra.run.dir={out}"]
    env = {**os.environ, "SALESSIM_CALIBRATED_DIR": str(fits)}
    assert calibrate(*args, env=env).returncode == 0
    (fits / "unreported.yaml").unlink()
    (out / "fit_report.html").unlink()
    (out / "fit_report.html").mkdir()  # in the way of the report, when the fit is made again
    done = calibrate(*args, env=env)
    assert done.returncode == 2 and done.stderr.strip().splitlines()[-1].startswith(
        f"salessim-calibrate: error: cannot write {out / 'fit_report.html'}: Is a directory"), done.stderr
    assert not (fits / "unreported.yaml").exists()


def test_the_fit_counts_monitored_targets_apart_from_fitted_ones():
    """'4 of 4 targets within two standard errors' counted a weight-0 target as fitted, and the
    report's table had no weight to tell them apart."""
    from salessim.calibration.report import within_said
    fit = pd.DataFrame({"weight": [1.0, 2.0, 0.0], "within_2se": [True, False, True]})
    assert within_said(fit) == ("1 of 2 fitted targets within two standard errors; of the 1 monitored "
                                "(weight 0, not fitted), 1.")
    assert within_said(fit.iloc[:2]) == "1 of 2 targets within two standard errors."
    # a monitored outcome share beside another one fitted under its condition is tied to it: the
    # three sum to 1 (a researcher's walk read it as untouched by the fit)
    shares = pd.DataFrame({"metric": ["win_rate", "no_decision_rate", "lost_competitor_rate"],
                           "condition": ["", "", "fsm.span_of_control=6"], "weight": [1.0, 0.0, 0.0],
                           "within_2se": [True, True, False]})
    assert within_said(shares) == ("1 of 1 fitted targets within two standard errors; of the 2 monitored "
                                   "(weight 0, not fitted), 1 (partly fitted all the same: no_decision_rate "
                                   "through win_rate; a segment's figure is part of the whole's, and the "
                                   "three outcome shares sum to 1).")
    # a segment's figure beside the whole's, fitted (as salessim-compare says it)
    segment = shares.assign(metric=["win_rate", "win_rate_smb", "no_decision_rate_mid_market"])
    assert "win_rate_smb through win_rate; no_decision_rate_mid_market through win_rate [" not in \
        within_said(segment)  # the third's condition is another: not through it
    assert "(partly fitted all the same: win_rate_smb through win_rate; " in within_said(segment)
    # a miss that both errors, the simulated mean's included, cover: said so (a researcher's walk
    # read a small setup's z of -2.94 as a failure; z_with_simulation_se was -0.79)
    fit = pd.DataFrame({"metric": ["win_rate", "quota_attainment_share", "seller_turnover_rate"],
                        "condition": ["", "", ""], "weight": [1.0, 1.0, 1.0],
                        "within_2se": [True, False, False], "z_with_simulation_se": [0.3, -0.79, 2.5]})
    assert within_said(fit) == (
        "1 of 3 targets within two standard errors. Of those outside, 1 is within two counting the "
        "simulated mean's own standard error too (z_with_simulation_se in fit.csv): quota_attainment_share "
        "(-0.79); the simulation's chance may explain the gap (more replications tell).")


def test_a_condition_that_changes_nothing_simulated_is_named():
    from salessim.calibration.cli import alike_said, conditions_alike
    base = pd.DataFrame({"replication": [0, 1], "win_rate": [0.44, 0.46], "wall_seconds": [1.0, 2.0]})
    same = ("fsm.span_of_control=10",)
    other = ("fsm.span_of_control=5",)
    fewer_segments = ("~market.segments.enterprise",)  # its per-segment columns are gone
    # two conditions alike, but unlike the study's setup: one simulation counted as two facts
    other_alike = ("fsm.span_of_control=5.4",)
    sims = {(): base.assign(win_rate_enterprise=[0.3, 0.4]), same: base.assign(win_rate_enterprise=[0.3, 0.4]),
            other: base.assign(win_rate=[0.44, 0.47], win_rate_enterprise=[0.3, 0.4]), fewer_segments: base,
            other_alike: base.assign(win_rate=[0.44, 0.47], win_rate_enterprise=[0.3, 0.4], wall_seconds=9.0)}
    assert conditions_alike(sims) == [(same, ()), (other_alike, other)]
    assert alike_said(other_alike, other, "were", "the fit") == (
        "under the conditions fsm.span_of_control=5 and fsm.span_of_control=5.4, every figure of the fit "
        "came out the same: the two simulate the same here, so their targets were fitted to one "
        "simulation, which does not tell the two conditions apart")


def test_a_condition_that_changes_nothing_is_said_before_the_trials_or_after_the_first_and_after_the_fit(
        tmp_path):
    """A condition that changes nothing simulated was named only once the trials were done, hours
    in. One whose span of control makes the same whole teams as the study's own (two, of its 20
    sellers) or as another condition's, or that sets a veto threshold under a consensus rule
    (which never vetoes), is said before the trials; one that changes nothing for another reason
    (how new logos weigh in a plan that pays no bonus for them) after the first trial, whose
    figures show it; each again after the fit, with how to change them."""
    targets = tmp_path / "t.csv"
    targets.write_text("metric,value,std_error,condition\nwin_rate,0.45,0.03,\n"
                       "win_rate,0.45,0.03,fsm.span_of_control=9\n"
                       # four whole teams both, unlike the study's two: alike, but not the setup's
                       "win_rate,0.4,0.03,fsm.span_of_control=5\n"
                       "no_decision_rate,0.4,0.03,fsm.span_of_control=5.4\n"
                       "win_rate,0.45,0.03,market.veto_threshold=-0.5\n"
                       "win_rate,0.45,0.03,compensation.new_logo_allocation_sensitivity=0.9\n")
    done = calibrate(*TINY, "calibration.n_trials=2", f"calibration.targets_file={targets}",
                     f"hydra.run.dir={tmp_path / 'out'}")
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stderr.splitlines()
    trials = next(i for i, line in enumerate(lines) if "trial 1" in line or "first trial" in line)
    change = "; to change or drop it, stop the study (Ctrl-C) and start one with a new calibration.name"
    assert [line for line in lines[:trials] if "simulate" in line] == [
        "salessim-calibrate: under the condition fsm.span_of_control=9, the study's 20 sellers make the "
        "same 2 whole FSM teams as in its own setup: it changes nothing simulated here, so its targets would "
        "be fitted to the same simulation as those without it" + change,
        "salessim-calibrate: under the conditions fsm.span_of_control=5 and fsm.span_of_control=5.4, the "
        "study's 20 sellers make the same 4 whole FSM teams: the two simulate the same here, so their "
        "targets would be fitted to one simulation, which does not tell the two conditions apart; to change "
        "or drop one of them, stop the study (Ctrl-C) and start one with a new calibration.name",
        "salessim-calibrate: under the condition market.veto_threshold=-0.5, market.veto_threshold is read "
        "only under market.decision_rule=unanimity_veto or soft_veto, the rules that let one stakeholder "
        "block an option, and it runs weighted_consensus: it changes nothing simulated here, so its targets "
        "would be fitted to the same simulation as those without it" + change]
    said = [line for line in lines if "changes nothing simulated" in line]
    veto = ("market.veto_threshold is read only under market.decision_rule=unanimity_veto or soft_veto, "
            "the rules that let one stakeholder block an option, and it runs weighted_consensus")
    # after the fit, with the reason when it was known before the trials (it gave a span's for any)
    assert said == [
        *said[:2],  # before the trials, above
        "salessim-calibrate: under the condition compensation.new_logo_allocation_sensitivity=0.9, every "
        "figure of the first trial came out as the study's own setup's: it changes nothing simulated "
        "here, so its targets would be fitted to the same simulation as those without it" + change,
        *(f"salessim-calibrate: under the condition {condition}, every figure of the fit came out as the "
          f"study's own setup's{why}: it changes nothing simulated here, so its targets were fitted to "
          "the same simulation as those without it"
          for condition, why in (
              ("fsm.span_of_control=9",
               ", since the study's 20 sellers make the same 2 whole FSM teams as in its own setup"),
              ("market.veto_threshold=-0.5", f", since {veto}"),
              ("compensation.new_logo_allocation_sensitivity=0.9", "")))]
    alike = [line for line in lines if "came out the same" in line]
    assert alike == [
        "salessim-calibrate: under the conditions fsm.span_of_control=5 and fsm.span_of_control=5.4, every "
        "figure of the fit came out the same, since the study's 20 sellers make the same 4 whole FSM teams: "
        "the two simulate the same here, so their targets were fitted to one simulation, which does not "
        "tell the two conditions apart"]
    # Resumed with no trial to run, no Ctrl-C is asked for
    again = calibrate(*TINY, "calibration.n_trials=2", f"calibration.targets_file={targets}",
                      f"hydra.run.dir={tmp_path / 'out'}")
    assert again.returncode == 0, again.stderr[-3000:]
    before = [line for line in again.stderr.splitlines() if "would be fitted" in line]
    assert len(before) == 3 and all(line.endswith("start a study with a new calibration.name")
                                    and "Ctrl-C" not in line for line in before), before


def test_spans_a_study_scales_are_not_said_to_make_the_same_teams():
    """A study whose free parameters scale the span of control (or the sellers) gives each trial
    spans of its own: spans that make the same teams in the setup may not in a trial, so only
    what no trial changes is said before the trials."""
    from types import SimpleNamespace

    from salessim.calibration.cli import conditions_simulating_alike
    from salessim.config import Config
    base = Config()  # 100 sellers
    bases = {(): base, ("fsm.span_of_control=8.2",): _with(base, "fsm", span_of_control=8.2),
             ("market.veto_threshold=-0.5",): _with(base, "market", veto_threshold=-0.5)}
    free = lambda key: SimpleNamespace(bases=bases, params=[SimpleNamespace(key=key)],
                                       simulated_conditions=lambda: list(bases))  # a target under each
    assert conditions_simulating_alike(free("market.neutral_quality")) == [
        (("fsm.span_of_control=8.2",), ()), (("market.veto_threshold=-0.5",), ())]
    for key in ("fsm.span_of_control", "org.sellers"):
        assert conditions_simulating_alike(free(key)) == [(("market.veto_threshold=-0.5",), ())]


def _with(config, part: str, **values):
    import dataclasses
    return dataclasses.replace(config, **{part: dataclasses.replace(getattr(config, part), **values)})


def test_a_study_with_fewer_independent_facts_than_free_parameters_says_so_before_its_trials():
    """Four targets on three metrics fitted eight free parameters without a word, and the fit
    set the five no target speaks to by chance. Facts are counted as docs/calibration.md counts
    them: a figure from two sources is one, the three outcome shares are two, weight 0 is none."""
    from types import SimpleNamespace

    from salessim.calibration.targets import Target, fewer_facts, independent_facts
    shipped = yaml.safe_load((ROOT / "configs" / "targets" / "cso_insights.yaml").read_text())["items"]
    assert len(shipped) == 8
    assert independent_facts(Target(t["metric"], t["value"], 0.01) for t in shipped) == 7
    two_sources = [Target("win_rate", 0.45, 0.02, source="a"), Target("win_rate", 0.47, 0.03, source="b"),
                   Target("selling_time_share", 0.41, 0.02),
                   Target("fsm_coaching_share", 0.16, 0.02, weight=0.0)]
    assert independent_facts(two_sources) == 2
    outcomes = [Target(m, 0.3, 0.02, condition=c) for c in ((), ("fsm.span_of_control=12",))
                for m in ("win_rate", "lost_competitor_rate", "no_decision_rate")]
    assert independent_facts(outcomes) == independent_facts(outcomes[1:]) == 4  # two shares: two facts
    assert independent_facts(outcomes[2:]) == 3
    problem = SimpleNamespace(targets=two_sources, params=[object()] * 3)
    [said] = fewer_facts(problem)
    assert said.startswith("3 free parameters and 2 independent facts in the targets fitted"), said
    assert fewer_facts(SimpleNamespace(targets=two_sources, params=[object()] * 2)) == []


def test_a_study_with_fewer_facts_than_free_parameters_says_so_on_its_page_too(tmp_path):
    """The notice was said on the terminal before the trials only: fit_report.html, the page a
    reader keeps, showed a narrow-looking fit without it."""
    import html
    targets = tmp_path / "t.csv"
    pd.DataFrame([{"metric": "win_rate", "value": 0.45, "std_error": 0.02}]).to_csv(targets, index=False)
    out = tmp_path / "study"
    done = calibrate(*TINY, "calibration.name=few", "calibration.n_trials=1",
                     f"calibration.targets_file={targets}", f"hydra.run.dir={out}")
    assert done.returncode == 0, done.stderr[-3000:]
    said = "2 free parameters and 1 independent fact in the targets fitted"
    assert f"salessim-calibrate: {said}" in done.stderr
    page = html.unescape((out / "fit_report.html").read_text())
    assert f"<p class='alert'>{said}" in page


def test_a_target_pasted_twice_from_one_source_is_refused(tmp_path):
    """A space after the source ('pipeline ') made the row pasted twice pass as from two sources."""
    targets = tmp_path / "t.csv"
    targets.write_text("metric,value,std_error,source\nwin_rate,0.45,0.03,pipeline\n"
                       "selling_time_share,0.36,0.02,time study\nwin_rate,0.45,0.03,pipeline \n"
                       "win_rate,0.47,0.03,survey\n")
    done = calibrate(*TINY, f"calibration.targets_file={targets}", f"hydra.run.dir={tmp_path / 'out'}")
    assert (done.returncode, done.stderr.strip()) == (2, (
        f"salessim-calibrate: error: {targets} line 4: win_rate again, with source 'pipeline' as "
        f"{targets} line 2 (allowed: a target once per source; the same figure from two sources "
        "counts twice, each with its source)"))
    assert not (tmp_path / "out").exists()


def test_a_fit_installed_where_calibrated_does_not_read_says_how_to_run_it(monkeypatch, tmp_path):
    """The study's last line gave a command that failed when SALESSIM_CALIBRATED_DIR is no folder
    named calibrated: the way to run the fit was said once, above the fit table."""
    from salessim.calibration.report import use_line
    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", str(tmp_path / "fits"))
    assert use_line("ours", ["org.sellers=20"]).startswith(
        f"installed in {tmp_path / 'fits'}, which +calibrated does not read: copy this file to "
        "FOLDER/calibrated/ours.yaml and add hydra.searchpath=[file://FOLDER]; then salessim "
        "+calibrated=ours runs")
    monkeypatch.setenv("SALESSIM_CALIBRATED_DIR", str(tmp_path / "calibrated"))
    assert use_line("ours", ["org.sellers=20"]).startswith("salessim +calibrated=ours runs")


def test_a_decimal_comma_is_named_as_such():
    from salessim.calibration.targets import _number
    from salessim.errors import ConfigError
    with pytest.raises(ConfigError, match=r"value='0,45' is not allowed: a number, with a decimal point "
                                          r"\(0.45, not 0,45\)"):
        _number("value", "0,45", "a number")
    with pytest.raises(ConfigError, match=r"value='many' is not allowed: a number$"):
        _number("value", "many", "a number")
    # three digits after the comma read as a thousands separator too: both readings are named
    with pytest.raises(ConfigError, match=r"value='1,500' is not allowed: a number, written without "
                                          r"separators: 1500 for a thousands separator, 1.500 for a "
                                          r"decimal comma$"):
        _number("value", "1,500", "a number")


def test_a_score_says_which_targets_a_fit_it_applied_was_made_to(tmp_path):
    """A researcher's walk scored a fit's own win rate as a held-out fact without a word: a target
    a fit applied lists among its '# Targets fitted' (its metric under the same condition, the
    overrides in any order) is marked with the fit's name, an outcome share with another share
    fitted under its condition as partly fitted through it; others are left unmarked."""
    from salessim.applied_fits import TARGETS_LINE, fitted_by
    from salessim.calibration.report import fitted_note
    from salessim.calibration.targets import Target

    fit = tmp_path / "acme.yaml"
    fit.write_text(f"# @package _global_\n{TARGETS_LINE}win_rate, seller_turnover_rate "
                   "[org.sellers=40 sim.years=2]\nmarket:\n  neutral_quality: 0.5\n")
    targets = [Target("win_rate", 0.4, 0.03), Target("no_decision_rate", 0.3, 0.04),
               Target("seller_turnover_rate", 0.3, 0.05, ("sim.years=2", "org.sellers=40")),
               Target("seller_turnover_rate", 0.3, 0.05), Target("win_rate", 0.4, 0.03, ("org.sellers=40",))]
    # a condition typed otherwise than the fit's line writes it is the same condition
    assert fitted_by([("acme", fit)], [Target("seller_turnover_rate", 0.3, 0.05,
                                              ("+org.sellers=40.0", "sim.years=2"))]) == ["acme"]
    by = fitted_by([("acme", fit)], targets)
    assert by == ["acme", "acme (through win_rate)", "acme", "", ""]
    table = pd.DataFrame({"metric": [t.metric for t in targets],
                          "condition": [" ".join(t.condition) for t in targets], "fitted_by": by})
    assert fitted_note(table) == (
        "3 of 5 targets were fitted, in whole or in part, by a fit this score applied: win_rate by "
        "+calibrated=acme; no_decision_rate partly, through win_rate, which +calibrated=acme fitted (the "
        "three outcome shares sum to 1); seller_turnover_rate [sim.years=2 org.sellers=40] by "
        "+calibrated=acme. Their scores check the fit on this command's seed and setup, not the model on "
        "a fact it was not fitted to (docs/calibration.md, section 5).")
    assert fitted_note(table.assign(fitted_by="")) == ""
    assert fitted_note(table.drop(columns="fitted_by")) == ""  # a study's fit.csv has no such column
    assert fitted_by([], targets) == [""] * 5
    # two shares fitted fix the third: said as fitted, not partly (a review)
    two = table.assign(fitted_by=["acme", "acme (through win_rate and lost_competitor_rate)", "", "", ""])
    assert fitted_note(two) == (
        "2 of 5 targets were fitted by a fit this score applied: win_rate by +calibrated=acme; "
        "no_decision_rate through win_rate and lost_competitor_rate, which +calibrated=acme fitted (the "
        "three outcome shares sum to 1, so the two fix it). Their scores check the fit on this command's seed and setup, not the "
        "model on a fact it was not fitted to (docs/calibration.md, section 5).")


def test_a_score_marks_a_target_fitted_only_where_the_fit_was_made_to_its_figure(tmp_path):
    """A researcher's walk scored a fit made to a win rate of 0.40 of its own against the shipped
    0.466 (the command section 5 gave left the targets file out): the score named the fit as
    having fitted the win rate, and the outcome shares through it. A target is fitted by a fit
    only where the fit's '# Figures' line gives its value; a fit made to another figure of it is
    said in one line, with the targets to pass to score the fit's own."""
    from salessim.applied_fits import FIGURES_LINE, FIT_LINE, TARGETS_LINE, fitted_by, other_figures
    from salessim.calibration.report import figures_json
    from salessim.calibration.targets import Target

    ours = [Target("win_rate", 0.40, 0.03, source="Our review"),
            Target("seller_turnover_rate", 0.25, 0.05, source="HR"),
            Target("win_rate", 0.46, 0.03, ("fsm.span_of_control=6",), source="Pilot"),
            Target("win_rate", 0.43, 0.03, ("fsm.span_of_control=6",), source="Pilot 2")]
    fit = tmp_path / "ours.yaml"
    fit.write_text(f"# @package _global_\n{FIT_LINE}study 'ours', targets file /my work/ours.csv, trial 3, "
                   "best of 8 trials, objective 1.2 (weighted mean squared z-score), 2026-12-07 18:00\n"
                   f"{TARGETS_LINE}win_rate, seller_turnover_rate, win_rate [fsm.span_of_control=6]\n"
                   f"{FIGURES_LINE}{figures_json(ours)}\nmarket:\n  neutral_quality: 0.5\n")
    # a label fitted from two sources keeps both figures, the first as salessim-compare quotes it
    two = json.loads(figures_json(ours))["win_rate [fsm.span_of_control=6]"]
    assert two == [0.46, "Pilot", 0.43, "Pilot 2"]
    assert fitted_by([("ours", fit)], ours) == ["ours"] * 4  # its own targets, another seed
    shipped = [Target("win_rate", 0.466, 0.0192), Target("no_decision_rate", 0.238, 0.0164),
               Target("seller_turnover_rate", 0.325, 0.025), Target("selling_time_share", 0.41, 0.02),
               Target("win_rate", 0.43, 0.03, ("+fsm.span_of_control=6.0",))]
    assert fitted_by([("ours", fit)], shipped) == ["", "", "", "", "ours"]
    assert other_figures([("ours", fit)], shipped) == [
        "+calibrated=ours was fitted to win_rate 0.4 and seller_turnover_rate 0.25; this score's targets are "
        "win_rate 0.466 and seller_turnover_rate 0.325: their scores set the fit against figures it was not "
        "made to; to score the fit's own targets, pass calibration.targets_file='/my work/ours.csv' "
        "(docs/calibration.md, section 5)"]
    assert other_figures([("ours", fit)], ours) == []
    # without the win rate among the score's targets, the one the fit fitted holds the shares in part
    assert fitted_by([("ours", fit)], shipped[1:2]) == ["ours (through win_rate)"]
    # a fit whose file gives no figures (an older one) is taken to be made to them
    older = tmp_path / "older.yaml"
    older.write_text(f"{TARGETS_LINE}win_rate\nmarket:\n  neutral_quality: 0.5\n")
    assert fitted_by([("older", older)], shipped[:2]) == ["older", "older (through win_rate)"]
    assert other_figures([("older", older)], shipped) == []
    # a fit made to the three shares, scored on another win rate alone: not fitted through the other
    # two, whose sum gives the fit's own win rate, which the line on other figures names (a review)
    shares = tmp_path / "shares.yaml"
    figures = json.dumps({"win_rate": [0.466, "s"], "no_decision_rate": [0.238, "s"],
                          "lost_competitor_rate": [0.296, "s"]})
    shares.write_text(f"{FIT_LINE}study 'shares', targets cso_insights, trial 3, best of 8 trials, "
                      f"objective 1 (weighted mean squared z-score), 2026-12-07 18:00\n"
                      f"{TARGETS_LINE}win_rate, no_decision_rate, lost_competitor_rate\n"
                      f"{FIGURES_LINE}{figures}\nmarket:\n  neutral_quality: 0.5\n")
    assert fitted_by([("shares", shares)], [Target("win_rate", 0.40, 0.02)]) == [""]
    assert other_figures([("shares", shares)], [Target("win_rate", 0.40, 0.02)]) == [
        "+calibrated=shares was fitted to win_rate 0.466; this score's target is win_rate 0.4: its score "
        "sets the fit against a figure it was not made to; to score the fit's own targets, pass "
        "targets=cso_insights and no calibration.targets_file (docs/calibration.md, section 5)"]


def test_the_documented_score_of_a_fits_own_targets_passes_the_file_it_was_fitted_to():
    """A walk ran section 5's and --help's score of 'ours' (made from my_targets.csv) as written:
    without the file, it scored the shipped targets, which 'ours' was not made to."""
    made = "calibration.name=ours calibration.targets_file=my_targets.csv"
    shown = calibrate("--help")
    assert shown.returncode == 0 and made in shown.stdout
    example = shown.stdout.split("calibration.free=[] +calibrated=ours", 1)[1].split("\n\n")[0]
    assert "calibration.targets_file=my_targets.csv" in example.split("score ours")[0], example
    docs = (ROOT / "docs" / "calibration.md").read_text()
    assert f"salessim-calibrate {made}" in docs
    score = docs.split("salessim-calibrate calibration.name=ours_seed_777", 1)[1].split("```")[0]
    assert "calibration.targets_file=my_targets.csv" in score and "+calibrated=ours" in score, score


def test_a_score_runs_the_model_as_set_up_against_the_targets_and_fits_nothing(four_trials, tmp_path):
    """A researcher's held-out facts, or a fit's targets on another seed: calibration.free=[] runs
    no trial and scores the model as the command sets it up (a fit applied with +calibrated, another
    seed) against the targets, as a study's fit table does; its simulated means are what salessim
    runs with those settings. It writes no fit to install and refuses a study's folder, whose fit
    it would replace."""
    import salessim
    from salessim.notices import RunNotice

    study, targets, _ = four_trials
    (tmp_path / "calibrated").mkdir()
    shutil.copy(study / "calibrated.yaml", tmp_path / "calibrated" / "four.yaml")
    searchpath = f"hydra.searchpath=[file://{tmp_path}]"
    out = tmp_path / "score"
    setup = [*SMALL, "+calibrated=four", "sim.seed=777", searchpath]
    done = calibrate(*setup, "calibration.name=held", "calibration.free=[]",
                     "calibration.final_replications=3", f"calibration.targets_file={targets}",
                     f"hydra.run.dir={out}")
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in out.iterdir()) == [".hydra", "fit.csv", "fit_report.html"]
    assert "scoring 2 targets, fitting nothing (calibration.free=[]): 3 replications" in done.stderr
    assert "score 'held', nothing fitted (calibration.free=[]): the model as set up: " in done.stdout
    assert f"results in {out} (fit.csv, fit_report.html)" in done.stdout
    fit = pd.read_csv(out / "fit.csv").set_index("metric")
    with pytest.warns(RunNotice, match="not yet a fit to rely on"):  # the fit its study made is weak
        ran = salessim.run({**dict(o.split("=", 1) for o in setup if not o.startswith("hydra.")),
                            "sim.replications": 3, "hydra.searchpath": [f"file://{tmp_path}"]}).summary
    assert fit.at["win_rate", "simulated_mean"] == pytest.approx(ran.win_rate.mean(), rel=1e-12)
    assert fit.at["seller_turnover_rate", "simulated_mean"] == pytest.approx(
        (ran.seller_turnover_rate).mean(), rel=1e-12)
    assert fit.at["win_rate", "z"] == pytest.approx((ran.win_rate.mean() - 0.45) / 0.02, rel=1e-9)
    # its objective, as a study of these targets would have it, to set beside a study's (a walk)
    objective = (fit.z ** 2).mean()
    assert ("Objective (the weighted mean squared z-score a study of these targets minimizes, over these "
            f"replications): {objective:.3g}.") in done.stdout, done.stdout
    # the fit's own targets, scored on another seed: said to check the fit, not to validate
    assert fit.fitted_by.tolist() == ["four", "four"]
    note = ("2 of 2 targets were fitted by a fit this score applied: win_rate by +calibrated=four; "
            "seller_turnover_rate by +calibrated=four. Their scores check the fit on this command's seed "
            "and setup, not the model on a fact it was not fitted to (docs/calibration.md, section 5).")
    assert note in done.stdout
    assert "it was not made to" not in done.stderr
    # the shipped targets, which the fit was not made to (a walk): no target marked, and a line says so
    shipped = calibrate(*setup, "calibration.name=shipped", "calibration.free=[]",
                        "calibration.final_replications=2", f"hydra.run.dir={tmp_path / 'shipped'}")
    assert shipped.returncode == 0, shipped.stderr[-3000:]
    assert pd.read_csv(tmp_path / "shipped" / "fit.csv").fitted_by.isna().all()
    assert "fitted by a fit this score applied" not in shipped.stdout
    assert ("salessim-calibrate: +calibrated=four was fitted to win_rate 0.45 and seller_turnover_rate 0.3; "
            "this score's targets are win_rate 0.466 and seller_turnover_rate 0.325: their scores set the "
            "fit against figures it was not made to; to score the fit's own targets, pass "
            f"calibration.targets_file={targets.resolve()} "
            "(docs/calibration.md, section 5)") in shipped.stderr
    assert "<h1>Score: held</h1>" in (out / "fit_report.html").read_text()
    assert not (tmp_path / "calibrated" / "held.yaml").exists()
    # into a study's folder: refused, its fit kept. Typed as hydra.run.dir, the folder is what to
    # change, whatever the score's name (a walk: 'e.g. calibration.name=zz_score' was refused again,
    # and the study named was the score's, not the one the folder holds)
    before = (study / "fit.csv").read_text()
    for name in ("four", "zz"):
        refused = calibrate(*SMALL, f"calibration.name={name}", "calibration.free=[]",
                            f"calibration.targets_file={targets}", f"hydra.run.dir={study}")
        assert refused.returncode == 2 and "Traceback" not in refused.stderr
        assert (f"hydra.run.dir='{study}' is not allowed: a folder of the score's own (leave hydra.run.dir "
                f"out for results/calibration/{name}); this one holds the study 'four', whose fit the "
                "score would replace") in refused.stderr, refused.stderr
    # in its usual folder, results/calibration/NAME, the name is what to change
    usual = tmp_path / "here" / "results" / "calibration" / "four"
    shutil.copytree(study, usual)
    refused = calibrate(*SMALL, "calibration.name=four", "calibration.free=[]",
                        f"calibration.targets_file={targets}", cwd=tmp_path / "here")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert ("calibration.name='four' is not allowed: a calibration.name of its own for a score "
            "(calibration.free=[] fits nothing): results/calibration/four holds the study 'four', whose "
            "fit the score would replace (e.g. calibration.name=four_score)") in refused.stderr, \
        refused.stderr
    assert (study / "fit.csv").read_text() == before
    # nor a study into the score's folder, whose fit.csv it would replace
    into = calibrate(*TINY, "calibration.name=held", f"calibration.targets_file={targets}",
                     f"hydra.run.dir={out}")
    assert into.returncode == 2 and "holds a score (calibration.free=[])" in into.stderr, into.stderr


def test_the_terminals_fit_table_is_followed_by_each_targets_source():
    """A researcher's walk found the sources only in fit.csv and the report: each source is said
    once under the terminal's table, after the targets it gives; none where the targets give none."""
    from salessim.calibration.report import source_lines

    fit = pd.DataFrame({"metric": ["win_rate", "no_decision_rate", "seller_turnover_rate", "x"],
                        "condition": ["", "", "org=large", ""],
                        "source": ["CSO Insights 2016", "CSO Insights 2016", "Xactly 2020", math.nan]})
    assert source_lines(fit) == ["sources:", "  win_rate, no_decision_rate: CSO Insights 2016",
                                 "  seller_turnover_rate [org=large]: Xactly 2020"]
    assert source_lines(fit.assign(source=math.nan)) == [] and source_lines(fit.drop(columns="source")) == []
