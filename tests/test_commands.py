"""The tests' command server (tests/commands.py) runs a command as a new interpreter does."""

import signal
import subprocess

import pandas as pd
import pytest

from tests.commands import run_module


@pytest.mark.parametrize("module,args", [
    ("salessim", ["org.sellers=-1"]),  # refused: one line on stderr, exit status 2
    ("salessim", ["--version"]),
    ("salessim.compare_command", ["no-such-folder"]),
    ("salessim.rerun", ["no-such-folder"]),
    ("salessim.calibration.cli", ["--help"]),
])
def test_a_command_says_and_ends_as_in_a_new_interpreter(module, args, tmp_path):
    served = run_module(module, *args, cwd=tmp_path)
    fresh = run_module(module, *args, cwd=tmp_path, fresh=True)
    assert (served.returncode, served.stdout, served.stderr) == (fresh.returncode, fresh.stdout,
                                                                  fresh.stderr)


def test_a_run_writes_the_tables_a_new_interpreter_writes(tmp_path):
    tiny = ["org.sellers=3", "sim.years=0.5", "sim.warmup_months=1", "sim.replications=1"]
    for name, fresh in (("served", False), ("fresh", True)):
        done = run_module("salessim", *tiny, f"hydra.run.dir={tmp_path / name}", fresh=fresh)
        assert done.returncode == 0, done.stderr
    for table in ("summary", "kpis", "sellers"):
        served, fresh = (pd.read_parquet(tmp_path / name / f"{table}.parquet")
                         for name in ("served", "fresh"))
        pd.testing.assert_frame_equal(served.drop(columns=["wall_seconds"], errors="ignore"),
                                      fresh.drop(columns=["wall_seconds"], errors="ignore"))


def test_a_command_past_its_timeout_is_killed_and_the_next_runs(tmp_path):
    with pytest.raises(subprocess.TimeoutExpired):  # a run of minutes
        run_module("salessim", "org.sellers=2000", "sim.years=10", "sim.replications=1",
                   f"hydra.run.dir={tmp_path}", timeout=1)
    assert run_module("salessim", "--version").returncode == 0


def test_a_test_interrupted_mid_command_leaves_no_server_waiting_on_it(tmp_path):
    """A signal's exception in the test (as a timeout plugin raises) ends the command and its
    server: a server given back mid-command answered the next command with the last one's status."""
    class Interrupted(Exception):
        pass

    def interrupt(signum, frame):
        raise Interrupted

    before = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(2)
    try:
        with pytest.raises(Interrupted):  # a run of minutes
            run_module("salessim", "org.sellers=2000", "sim.years=10", "sim.replications=1",
                       f"hydra.run.dir={tmp_path}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)
    done = run_module("salessim", "--version")
    assert done.returncode == 0 and done.stdout.startswith("salessim "), done
