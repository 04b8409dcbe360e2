"""Interrupted work loses nothing, and any finished run can be reproduced exactly."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from salessim import rerun
from salessim.outputs import TABLES
from tests.conftest import ROOT, run_cli

SWEEP = ["-m", "fsm.span_of_control=4,6,8,10", "sim.replications=2", "sim.years=1",
         "sim.warmup_months=2", "org=small", "hydra/launcher=basic"]


def _tables(job: Path) -> dict[str, pd.DataFrame]:
    out = {}
    for name in TABLES:
        path = job / f"{name}.parquet"
        if path.exists():
            out[name] = pd.read_parquet(path).drop(columns=["wall_seconds"], errors="ignore")
    return out


def _assert_same_sweep(a: Path, b: Path) -> None:
    jobs = sorted(p.name for p in a.iterdir() if p.is_dir())
    assert jobs == sorted(p.name for p in b.iterdir() if p.is_dir() and p.name != "comparison")
    for job in jobs:
        ta, tb = _tables(a / job), _tables(b / job)
        assert ta.keys() == tb.keys(), job
        for name in ta:
            pd.testing.assert_frame_equal(ta[name], tb[name], check_exact=True, obj=f"{job}/{name}")


def test_rerun_reproduces_a_finished_run_exactly(tmp_path, capsys):
    run = tmp_path / "run"
    done = run_cli("org=small", "sim.years=1", "sim.warmup_months=2", "sim.replications=2",
                   f"hydra.run.dir={run}")
    assert done.returncode == 0, done.stderr
    assert rerun.main([str(run)]) == 0
    assert "identical" in capsys.readouterr().out
    # A job from a leaner or heavier engine (another count of SimPy events) simulated the same.
    summary = pd.read_parquet(run / "summary.parquet")
    summary["events"] += 5
    summary.to_parquet(run / "summary.parquet", index=False)
    assert rerun.main([str(run)]) == 0


def test_rerun_notices_a_changed_table(tmp_path, capsys):
    run = tmp_path / "run"
    assert run_cli("org=small", "sim.years=1", "sim.warmup_months=2", "sim.replications=1",
                   f"hydra.run.dir={run}").returncode == 0
    kpis = pd.read_parquet(run / "kpis.parquet")
    kpis.loc[3, "leads"] += 1
    kpis.to_parquet(run / "kpis.parquet", index=False)
    assert rerun.main([str(run)]) == 1
    # Named as a reader looks it up: the table, the column, the replication and the month.
    assert ("kpis: row 3 (replication 0, month 3) differs first in column 'leads': "
            f"{int(kpis.leads[3])} in the job, {int(kpis.leads[3]) - 1} in the rerun; 1 column differs"
            ) in capsys.readouterr().out
    # A job made by other code: the difference may be the model's change, and the line says so.
    manifest = run / "manifest.json"
    meta = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**meta, "git_commit": "0123abc"}))
    assert rerun.main([str(run)]) == 1
    assert "(the job was made at commit 0123abc; this salessim is at " in capsys.readouterr().out


def test_rerun_names_the_earliest_row_that_differs_whatever_the_column():
    old = pd.DataFrame({"replication": [0, 0, 1], "month": [0, 1, 0], "a": [1.0, 2.0, 3.0],
                        "b": [5, 6, 7]})
    new = old.copy()
    new.loc[2, "a"], new.loc[0, "b"] = 9.0, 4
    assert rerun.first_difference(old, new) == (
        "row 0 (replication 0, month 0) differs first in column 'b': 5 in the job, 4 in the rerun; "
        "2 columns differ")


def test_a_killed_sweep_resumes_and_equals_an_uninterrupted_one(tmp_path):
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    done = run_cli(*SWEEP, f"hydra.sweep.dir={whole}", fresh=True)  # a hash seed apart from the resume's
    assert done.returncode == 0, done.stderr
    # Each job's line says how far the sweep is: the finished jobs of its folder, of all four.
    progress = [x for x in done.stdout.splitlines() if " done (" in x]
    assert len(progress) == 4 and all(re.search(r" of 4 jobs finished(; about .* left)?\)", x)
                                      for x in progress), done.stdout
    assert "(4 of 4 jobs finished)" in done.stdout

    # Kill the whole process group once the first job has finished.
    proc = subprocess.Popen([sys.executable, "-m", "salessim", *SWEEP, f"hydra.sweep.dir={broken}"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 120
    while not (broken / "0" / "manifest.json").exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = [p for p in broken.iterdir() if (p / "manifest.json").exists()]
    assert 1 <= len(finished) < 4, "the sweep should have been killed part-way"

    resumed = run_cli(*SWEEP, f"hydra.sweep.dir={broken}", "sim.resume=true")
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.count("skipped") == len(finished)
    _assert_same_sweep(whole, broken)


def test_resume_reruns_a_job_whose_table_is_damaged(tmp_path):
    sweep = tmp_path / "s"
    args = SWEEP[:2] + ["fsm.span_of_control=4,6"] + SWEEP[2:]
    args = [a for a in args if a != "fsm.span_of_control=4,6,8,10"]
    assert run_cli(*args, f"hydra.sweep.dir={sweep}", fresh=True).returncode == 0  # a hash seed apart
    before = _tables(sweep / "1")
    # A table no longer readable, or readable but short of a column it was written with (the
    # comparison leaves such a job out and says to resume): the resume runs the job again.
    # A manifest edited by hand (its settings no longer give its fingerprint) vouched for the job,
    # which the comparison refused, telling the user to resume: a loop.
    def edit_manifest():
        manifest = sweep / "1" / "manifest.json"
        meta = json.loads(manifest.read_text())
        meta["config"]["fsm"]["span_of_control"] = 0
        manifest.write_text(json.dumps(meta))

    for damage in (lambda: (sweep / "1" / "sellers.parquet").write_bytes(b"not a parquet file"),
                   lambda: before["summary"].drop(columns=["bookings_usd"]).to_parquet(
                       sweep / "1" / "summary.parquet", index=False),
                   edit_manifest):
        damage()
        again = run_cli(*args, f"hydra.sweep.dir={sweep}", "sim.resume=true")
        assert again.returncode == 0, again.stderr
        assert again.stdout.count("skipped") == 1  # job 0 only
        after = _tables(sweep / "1")
        for name in before:
            pd.testing.assert_frame_equal(before[name], after[name], check_exact=True)


def test_results_are_never_replaced_by_another_run_nor_taken_for_another_configs(tmp_path):
    """A folder that holds results is written to only by a resume of the same command: another
    config, resumed or not, is refused in one line before it runs, and the results stay."""
    run = tmp_path / "s"
    base = ["org=small", "sim.years=1", "sim.warmup_months=2", "sim.replications=1",
            f"hydra.run.dir={run}"]
    assert run_cli(*base, fresh=True).returncode == 0  # a hash seed apart from the resume's
    before = _tables(run)
    changed = ("results of another config, scenario 'org=small,sim.warmup_months=2,sim.years=1': "
               "fsm.coaching_quality is 0.5 there and 0.9 here (allowed:")
    for extra, words in ((["fsm.coaching_quality=0.9", "sim.resume=true"], changed),
                         (["fsm.coaching_quality=0.9"], "holds a job's results"),
                         ([], "(allowed: a folder without results, or this one with sim.resume=true")):
        other = run_cli(*base, *extra)
        assert other.returncode == 2 and words in other.stderr, other.stderr
        assert len(other.stderr.strip().splitlines()) == 1 and "Traceback" not in other.stderr
    same = run_cli(*base, "sim.resume=true")
    assert same.returncode == 0 and "skipped" in same.stdout
    for name, table in _tables(run).items():
        pd.testing.assert_frame_equal(before[name], table, check_exact=True)


def test_a_reader_that_leaves_early_ends_the_command_quietly():
    """`salessim-compare SWEEP | head`: the pipe closes under the command's feet."""
    code = ("from salessim.errors import reader_may_leave\n"
            "with reader_may_leave():\n"
            "    print('a table')\n"
            "    raise BrokenPipeError(32, 'Broken pipe')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (141, "")


@pytest.mark.parametrize("module", ["salessim", "salessim.calibration.cli", "salessim.compare_command",
                                    "salessim.rerun"])
def test_help_read_by_head_ends_quietly(module):
    """`salessim --help | head -1` (and every other command's): the help goes into a pipe whose
    reader has gone (here before the first line, so that the test does not race the writer)."""
    read, write = os.pipe()
    proc = subprocess.Popen([sys.executable, "-m", module, "--help"], stdout=write,
                            stderr=subprocess.PIPE, cwd=ROOT)
    os.close(write)
    os.close(read)  # the reader leaves
    _, err = proc.communicate(timeout=120)
    assert (proc.returncode, err.decode()) == (141, "")


def test_an_interrupted_write_leaves_no_temporary_and_a_rewrite_removes_old_ones(tmp_path):
    """A table is written under a temporary name and renamed into place: Ctrl-C mid-write must not
    leave the temporary behind, and one that a killed process left is removed by the job's next
    write (a resumed sweep)."""
    from salessim.outputs import write_parquet_atomic, write_results

    class Interrupting(pd.DataFrame):
        def to_parquet(self, path, **kwargs):
            Path(path).write_bytes(b"half a table")
            raise KeyboardInterrupt

    try:
        write_parquet_atomic(Interrupting({"a": [1]}), tmp_path / "summary.parquet")
    except KeyboardInterrupt:
        pass
    assert list(tmp_path.iterdir()) == []
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    (tmp_path / f".opportunities.parquet.tmp-{dead}").write_bytes(b"left by a killed process")
    (tmp_path / f".kpis.parquet.tmp-{os.getpid()}").write_bytes(b"being written by a live one")
    (tmp_path / ".notes.md.tmp-draft").write_bytes(b"a user's file")
    write_results(tmp_path, {"summary": pd.DataFrame({"a": [1]})}, {"tables": ["summary"]})
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".kpis.parquet.tmp-{os.getpid()}", ".notes.md.tmp-draft", "manifest.json", "summary.parquet"]


def test_a_write_that_fails_keeps_nothing_of_the_job_and_says_so_in_one_line(tmp_path):
    """A full disk or a lost mount at the end of a long run: the tables already in place are taken
    back (no job half there), and the user reads one line, not a traceback."""
    from salessim.errors import UserError
    from salessim.outputs import write_results

    class DiskFull(pd.DataFrame):
        def to_parquet(self, path, **kwargs):
            raise OSError(28, "Error writing bytes to file. Detail: [errno 28] No space left on device")

    tables = {"summary": pd.DataFrame({"a": [1]}), "sellers": DiskFull({"b": [2]})}
    with pytest.raises(UserError, match=r"cannot write the results to .*: No space left on device "
                                        r"\(allowed: .*\); nothing of this job was kept"):
        write_results(tmp_path, tables, {"tables": sorted(tables)})
    assert list(tmp_path.iterdir()) == []


def test_a_manifest_in_place_goes_too_when_the_write_fails_after_it(tmp_path, monkeypatch):
    from salessim import outputs
    from salessim.errors import UserError

    def refused(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted", str(tmp_path / "manifest.json"))

    monkeypatch.setattr(outputs.os, "utime", refused)
    with pytest.raises(UserError, match=r"Operation not permitted: manifest.json .* nothing of this job was kept"):
        outputs.write_results(tmp_path, {"summary": pd.DataFrame({"a": [1]})}, {"tables": ["summary"]})
    assert list(tmp_path.iterdir()) == []


def test_a_run_that_cannot_write_its_tables_ends_in_one_line(tmp_path):
    job = tmp_path / "run"
    (job / "kpis.parquet").mkdir(parents=True)  # in the way of a table
    (job / ".hydra").mkdir()  # as an earlier run of salessim's left it: the folder is taken as its own
    r = run_cli("org.sellers=6", "sim.years=1", "sim.warmup_months=3", "sim.replications=1",
                f"hydra.run.dir={job}")
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().splitlines() == [
        f"salessim: error: cannot write the results to {job}: Is a directory: kpis.parquet (allowed: "
        "a folder you can write to, with room for the tables); nothing of this job was kept"]
    assert sorted(p.name for p in job.iterdir() if not p.name.startswith(".")) == ["kpis.parquet"]


@pytest.mark.parametrize("blocked,kept", [("1", "1 of 2 jobs had finished: its results are kept (resume: "),
                                           ("0", "no job had finished")])
def test_a_sweep_job_that_cannot_write_its_tables_says_what_the_sweep_keeps(tmp_path, blocked, kept):
    """A full disk's first job said 'finished jobs are kept', though none had finished."""
    sweep = tmp_path / "sweep"
    (sweep / blocked / "kpis.parquet").mkdir(parents=True)  # in the way of a table
    (sweep / blocked / ".hydra").mkdir()
    (sweep / "multirun.yaml").write_text("hydra: {}\n")  # as a sweep stopped before this job left it
    r = run_cli("-m", "org.sellers=6", "sim.years=1", "sim.warmup_months=3", "sim.replications=1",
                "fsm.span_of_control=5,6", "hydra.launcher.n_jobs=1", f"hydra.sweep.dir={sweep}")
    assert r.returncode != 0, r.stderr
    said = next(line for line in r.stderr.splitlines() if "cannot write the results" in line)
    assert said.startswith(f"salessim: error: job {blocked} (fsm.span_of_control={5 + int(blocked)}): "
                           "cannot write the results"), said
    assert f"nothing of this job was kept; {kept}" in said, said


def test_a_job_past_the_launchers_timeout_ends_the_sweep_in_one_line(tmp_path):
    """hydra.launcher.timeout shorter than a job: joblib's TimeoutError was printed by Hydra as a
    traceback, the sweep's folder left behind."""
    sweep = tmp_path / "sweep"
    r = run_cli("-m", "org=small", "sim.years=1", "sim.replications=2", "fsm.span_of_control=5,8",
                "hydra.launcher.timeout=0.1", f"hydra.sweep.dir={sweep}")
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.strip().splitlines()[-1] == (
        "salessim: error: hydra.launcher.timeout=0.1 is not allowed: null (none), or more seconds than any "
        "job takes: a job ran past it, and joblib stopped the sweep; no job had finished, so nothing is kept")
    assert not sweep.exists()


def test_a_resume_that_leaves_out_planned_jobs_is_refused(tmp_path):
    """A resume with fewer swept values than its sweep planned would rewrite multirun.yaml without
    the jobs it leaves out, and the comparison would count the sweep complete without them."""
    from salessim.errors import ConfigError
    from salessim.preflight import check_command

    sweep = ["-m", "org=small", "sim.years=0.6", "sim.replications=1", f"hydra.sweep.dir={tmp_path}"]
    done = run_cli(*sweep, "fsm.span_of_control=5,6,7")
    assert done.returncode == 0, done.stderr
    (tmp_path / "2" / "manifest.json").unlink()  # the last job did not finish
    with pytest.raises(ConfigError) as refused:
        check_command([*sweep, "fsm.span_of_control=5,6", "sim.resume=true"])
    assert ("multirun.yaml plans 3 jobs, and this command leaves out 1 of them, e.g. "
            "fsm.span_of_control=7): resume with the sweep's own command") in refused.value.message
    check_command([*sweep, "fsm.span_of_control=5,6,7", "sim.resume=true"])  # the same sweep
    check_command([*sweep, "fsm.span_of_control=5.0,6,7", "sim.resume=true"])  # 5.0 is 5
    check_command([*sweep, "fsm.span_of_control=5,6,7,8", "sim.resume=true"])  # one that adds a value
    # a value left out before the last: the jobs after it move up, onto folders of other configs,
    # which were refused setting by setting, not as the values left out (a sales-ops walk)
    with pytest.raises(ConfigError) as refused:
        check_command([*sweep, "fsm.span_of_control=5,7", "sim.resume=true"])
    assert "this command leaves out 1 of them, e.g. fsm.span_of_control=6)" in refused.value.message, \
        refused.value.message


def test_the_keys_a_sweep_varies():
    """One rule for what a sweep varies, read by the resume's checks and by the comparison's
    choice of baseline: a key with two values, or set by some jobs only; not a key every job sets
    alike, however its '+' is typed."""
    from salessim.overrides import swept_keys

    jobs = [["org=small", "+investment=crm", "sim.seed=1", "fsm.span_of_control=5"],
            ["org=small", "investment=crm", "sim.seed=2"]]
    assert swept_keys(jobs) == {"sim.seed", "fsm.span_of_control"}
    assert swept_keys([["a=1", "a=2"], ["a=2"]]) == set()  # a key set twice: the later, as Hydra
    assert swept_keys([jobs[0]]) == swept_keys([]) == set()


def test_a_resume_that_types_the_sweeps_jobs_in_another_order_says_so(tmp_path):
    """Hydra numbers a sweep's jobs in the order its keys and values are typed: a resume that
    typed them in another order was refused setting by setting ('investment is (not set) there
    and {} here, ... and 11 more'), never saying why."""
    from salessim.errors import ConfigError
    from salessim.preflight import check_command

    sweep = ["-m", "org=small", "sim.years=0.6", "sim.replications=1", f"hydra.sweep.dir={tmp_path}"]
    done = run_cli(*sweep, "fsm.span_of_control=5,6", "sim.seed=1,2")
    assert done.returncode == 0, done.stderr
    (tmp_path / "3" / "manifest.json").unlink()  # the last job did not finish
    for swapped in (["sim.seed=1,2", "fsm.span_of_control=5,6"], ["fsm.span_of_control=6,5", "sim.seed=1,2"]):
        with pytest.raises(ConfigError) as refused:
            check_command([*sweep, *swapped, "sim.resume=true"])
        assert "this command types the same jobs in another order, so its job " in refused.value.message
        assert refused.value.message.endswith("resume with the sweep's own command, in its order")
    assert ("its job 0 (fsm.span_of_control=6,sim.seed=1) is the folder's job 0 "
            "(fsm.span_of_control=5,sim.seed=1)") in refused.value.message
    check_command([*sweep, "fsm.span_of_control=5,6", "sim.seed=1,2", "sim.resume=true"])  # in its order
    # Values added to the key typed last number the jobs anew; to the key typed first, they follow
    with pytest.raises(ConfigError) as refused:
        check_command([*sweep, "fsm.span_of_control=5,6", "sim.seed=1,2,3", "sim.resume=true"])
    assert ("this command adds jobs among the sweep's, not after them, so its job 2 "
            "(fsm.span_of_control=5,sim.seed=3) is the folder's job 2 "
            "(fsm.span_of_control=6,sim.seed=1)") in refused.value.message
    assert refused.value.message.endswith("new values only after the sweep's own of the key typed first, "
                                          "or the new values as a sweep of their own")
    check_command([*sweep, "fsm.span_of_control=5,6,7", "sim.seed=1,2", "sim.resume=true"])
    # A key the folder's sweep did not sweep: its own refusal names what differs, not the order
    with pytest.raises(ConfigError) as refused:
        check_command([*sweep, "fsm.span_of_control=5,6", "sim.seed=1,2", "market.decision_rule=weighted_consensus,"
                       "unanimity_veto", "sim.resume=true"])
    assert "another order" not in refused.value.message and "among the sweep's" not in refused.value.message
    (tmp_path / "multirun.yaml").write_text("- a damaged record\n")  # read as no plan: no traceback
    with pytest.raises(ConfigError) as refused:
        check_command([*sweep, "sim.seed=1,2", "fsm.span_of_control=5,6", "sim.resume=true"])


@pytest.mark.parametrize("app", ["config", "calibrate"])
def test_a_jobs_log_file_is_made_only_when_something_is_logged(app, tmp_path):
    """Every job's folder held an empty cli.log (Hydra's file handler opens its file at once)."""
    import logging
    import logging.config

    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    from salessim.compose import CONFIG_DIR
    from salessim.config import register_configs

    register_configs()
    GlobalHydra.instance().clear()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3", job_name="cli"):
        hydra = compose(config_name=app, return_hydra_config=True,
                        overrides=[f"hydra.runtime.output_dir={tmp_path}"]).hydra
    GlobalHydra.instance().clear()
    settings = OmegaConf.to_container(hydra.job_logging, resolve=True)
    root = logging.getLogger()
    kept = root.handlers[:], root.level
    try:
        logging.config.dictConfig(settings)
        assert not (tmp_path / "cli.log").exists()
        logging.getLogger("some.library").warning("a warning worth keeping")
        for handler in root.handlers:
            handler.flush()
        assert "a warning worth keeping" in (tmp_path / "cli.log").read_text()
    finally:
        for handler in root.handlers[:]:
            if handler not in kept[0]:
                root.removeHandler(handler)
                handler.close()
        root.handlers[:] = kept[0]
        root.setLevel(kept[1])


@pytest.mark.parametrize("logging_preset", ["disabled", "stdout", "none", "default"])
def test_hydras_own_logging_presets_run(logging_preset, tmp_path):
    """A setting merged into every preset (the file handler's delay) broke those without a file:
    hydra/job_logging=disabled or stdout, Hydra's ways to quiet a job, ended in a traceback."""
    done = run_cli("org=small", "sim.years=1", "sim.replications=1", f"hydra/job_logging={logging_preset}",
                   f"hydra.run.dir={tmp_path / 'run'}")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert (tmp_path / "run" / "manifest.json").is_file()


def test_a_folders_other_config_is_said_as_values_are_typed():
    """'experiment_question is Where should we invest? there and None here' (a sales-ops walk):
    a text quoted, a missing value null, a key one side lacks '(not set)'."""
    from salessim.preflight import _changed_settings

    assert _changed_settings({"experiment_question": "Where?", "a": 1},
                             {"experiment_question": None, "b": True}) == (
        "a is 1 there and (not set) here, b is (not set) there and true here, experiment_question is "
        "'Where?' there and null here")
