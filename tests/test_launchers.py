"""A sweep's tables do not depend on the launcher that ran it, nor on the order of its jobs.

Every sweep here is the real command (``python -m salessim -m ...``) writing into ``tmp_path``:
two scenarios (FSM span of control 6 and 12) of the small organization, one simulated year after
a two-month warm-up, two replications each; a few seconds per sweep. Tables are read back per
scenario (the manifest names it) and compared exactly, less the summary's ``wall_seconds``.

The Ray tests need the optional extra (``pip install -e '.[ray]'``) and are skipped without it.
They keep Ray on this machine's loopback interface: a new local instance (``address=local``, so a
Ray cluster that happens to be running is never joined), and a cluster started for the test with
``ray start --head --block`` on free ports and its own temporary folder, stopped by ending that
one process.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest

from salessim.plural import counted
from tests.conftest import ROOT

TABLES = ("summary", "opportunities", "sellers", "kpis", "fsm_months")
SWEEP = ["-m", "sim.replications=2", "sim.years=1", "sim.warmup_months=2", "org=small"]
SPANS = "fsm.span_of_control=6,12"
SPANS_REVERSED = "fsm.span_of_control=12,6"
SCENARIOS = {"fsm.span_of_control=6,org=small,sim.warmup_months=2,sim.years=1",
             "fsm.span_of_control=12,org=small,sim.warmup_months=2,sim.years=1"}

RAY_MISSING = importlib.util.find_spec("hydra_plugins.hydra_ray_launcher") is None
needs_ray = pytest.mark.skipif(
    RAY_MISSING, reason="hydra-ray-launcher is not installed (pip install -e '.[ray]' or make test-ray)")

# Ray picks the machine's outward address unless told it runs on one machine; no usage reports.
RAY_ENV = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0", "RAY_USAGE_STATS_ENABLED": "0"}
# A new local Ray instance for the sweep, without the dashboard (it only costs start-up time).
RAY_LOCAL = ["hydra/launcher=ray", "hydra.launcher.ray.init.address=local",
             "+hydra.launcher.ray.init.include_dashboard=false"]


def run_sweep(folder: Path, *args: str, env: dict[str, str] | None = None,
              timeout: float = 300) -> dict[str, dict[str, pd.DataFrame]]:
    """Run ``salessim`` with ``args`` into ``folder``; its tables by scenario, then by name."""
    proc = subprocess.run([sys.executable, "-m", "salessim", *SWEEP, *args, f"hydra.sweep.dir={folder}"],
                          check=False, capture_output=True, text=True, cwd=ROOT, timeout=timeout,
                          env={**os.environ, **(env or {})})
    assert proc.returncode == 0, (f"salessim {' '.join(args)} failed:\n"
                                  f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    # Every job says it is done, whichever launcher ran it (Ray folds alike lines unless told not to).
    for num in (0, 1):
        assert f"salessim: job {num} (" in proc.stdout, proc.stdout[-3000:]
    # ... and how many of the sweep's jobs have finished (a running Ray cluster's workers inherit
    # nothing from the command's environment: the size comes with the job's config)
    assert "(2 of 2 jobs finished)" in proc.stdout, proc.stdout[-3000:]
    assert "repeated" not in proc.stdout and "\x1b[" not in proc.stdout
    return read_sweep(folder)


def read_sweep(folder: Path) -> dict[str, dict[str, pd.DataFrame]]:
    jobs = sorted(p for p in folder.iterdir() if p.is_dir() and p.name.isdigit())
    assert len(jobs) == 2, f"expected 2 job folders in {folder}, found {[p.name for p in jobs]}"
    tables = {}
    for job in jobs:
        scenario = json.loads((job / "manifest.json").read_text())["scenario"]
        tables[scenario] = {name: pd.read_parquet(job / f"{name}.parquet") for name in TABLES}
        tables[scenario]["summary"] = tables[scenario]["summary"].drop(columns=["wall_seconds"])
    assert set(tables) == SCENARIOS
    return tables


def scenario_of_job(folder: Path, num: int) -> str:
    return json.loads((folder / str(num) / "manifest.json").read_text())["scenario"]


def assert_same_tables(a: dict, b: dict, what: str) -> None:
    assert set(a) == set(b), what
    for scenario in sorted(a):
        for name in TABLES:
            pd.testing.assert_frame_equal(a[scenario][name], b[scenario][name], check_exact=True,
                                          obj=f"{what}: {scenario}: {name}")
        assert len(a[scenario]["opportunities"]) > 0


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("launchers")


@pytest.fixture(scope="module")
def basic_sweep(sweeps) -> dict:
    """The reference: Hydra's basic launcher runs the jobs one after the other in this process."""
    return run_sweep(sweeps / "basic", SPANS, "hydra/launcher=basic")


@pytest.fixture(scope="module")
def joblib_sweep(sweeps) -> dict:
    """The default launcher (joblib, one process per job)."""
    return run_sweep(sweeps / "joblib", SPANS, "hydra.launcher.n_jobs=2")


def test_joblib_sweep_equals_serial_sweep(basic_sweep, joblib_sweep, sweeps):
    assert_same_tables(basic_sweep, joblib_sweep, "joblib vs basic")
    for num in (0, 1):
        assert scenario_of_job(sweeps / "joblib", num) == scenario_of_job(sweeps / "basic", num)


def test_same_sweep_twice_gives_identical_tables(joblib_sweep, sweeps):
    again = run_sweep(sweeps / "joblib_again", SPANS, "hydra.launcher.n_jobs=2")
    assert_same_tables(joblib_sweep, again, "second run vs first run")


def test_reversed_job_order_gives_identical_tables_per_scenario(joblib_sweep, sweeps):
    reversed_ = run_sweep(sweeps / "reversed", SPANS_REVERSED, "hydra.launcher.n_jobs=2")
    # The order really is reversed: job 0 is span 12 here and span 6 in the forward sweep.
    assert scenario_of_job(sweeps / "reversed", 0) == scenario_of_job(sweeps / "joblib", 1)
    assert scenario_of_job(sweeps / "reversed", 1) == scenario_of_job(sweeps / "joblib", 0)
    assert_same_tables(joblib_sweep, reversed_, "12,6 vs 6,12")


@pytest.mark.skipif(not RAY_MISSING, reason="the ray launcher is installed here")
def test_the_ray_launcher_without_its_extra_says_how_to_install_it():
    proc = subprocess.run([sys.executable, "-m", "salessim", "-m", "hydra/launcher=ray", "sim.seed=1,2"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stderr.strip().splitlines() == [
        "salessim: error: hydra/launcher='ray' is not allowed: one of basic, joblib; ray comes with "
        "salessim's ray extra: make install-ray, then .venv-ray/bin/salessim (or pip install -e '.[ray]' "
        "in a venv of your own; docs/distributed.md)"], proc.stderr


@pytest.mark.skipif(not RAY_MISSING, reason="the ray launcher is installed here")
def test_the_ray_launcher_named_by_hand_without_its_extra_says_how_to_install_it(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "salessim", "-m", "sim.seed=1,2",
                           "hydra.launcher._target_=hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher",
                           "+hydra.launcher.ray.remote.num_cpus=1", f"hydra.sweep.dir={tmp_path / 'sweep'}"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stderr.strip().splitlines() == [
        "salessim: error: hydra.launcher._target_='hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher' "
        "is not allowed: a launcher that is installed; Ray's comes with salessim's ray extra: make "
        "install-ray, then .venv-ray/bin/salessim (or pip install -e '.[ray]' in a venv of your own; "
        "docs/distributed.md)"], proc.stderr
    assert not (tmp_path / "sweep").exists()


@needs_ray
def test_a_misspelt_ray_setting_lists_the_ray_launchers_settings():
    proc = subprocess.run([sys.executable, "-m", "salessim", "-m", *RAY_LOCAL, "sim.seed=1,2",
                           "hydra.launcher.ray.init.adress=local"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and ("(did you mean hydra.launcher.ray.init.address='local'? "
                                     "hydra.launcher.ray.init has address") in proc.stderr, proc.stderr


@needs_ray
def test_a_ray_setting_its_config_does_not_list_is_refused_with_the_plus_that_adds_it():
    proc = subprocess.run([sys.executable, "-m", "salessim", "-m", *RAY_LOCAL, "sim.seed=1,2",
                           "hydra.launcher.ray.remote.num_cpus=1"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2 and proc.stderr.strip().endswith(
        "is added with '+': +hydra.launcher.ray.remote.num_cpus=1"), proc.stderr


@needs_ray
@pytest.mark.parametrize("option, said", [
    ("+hydra.launcher.ray.remote.num_cpu=1", "hydra.launcher.ray.remote.num_cpu=1 is not allowed: an option "
     "of ray.remote() Ray accepts (Ray: Invalid option keyword num_cpu for remote functions"),
    ("+hydra.launcher.ray.remote.num_cpus=-1", "hydra.launcher.ray.remote.num_cpus=-1 is not allowed: an "
     "option of ray.remote() Ray accepts (Ray: The quantity of resource num_cpus cannot be negative; "),
    ("+hydra.launcher.ray.remote.memory=2GB", "hydra.launcher.ray.remote.memory='2GB' is not allowed: an "
     "option of ray.remote() Ray accepts (Ray: The type of keyword 'memory' must be"),
    ("+hydra.launcher.ray.remote.num_cpus=${oops}", "hydra.launcher.ray.remote={'num_cpus': '${oops}'} is not "
     "allowed: a value that can be resolved (Interpolation key 'oops' not found)"),
])
def test_ray_remote_options_ray_refuses_are_one_line_before_ray_starts(tmp_path, option, said):
    """Ray checks ray.remote()'s options only as the launcher hands it the first job: a misspelt
    one ended in Ray's traceback through Hydra's, exit 1, with the sweep's folder left behind."""
    proc = subprocess.run([sys.executable, "-m", "salessim", "-m", *RAY_LOCAL, "sim.seed=1,2", option,
                           f"hydra.sweep.dir={tmp_path / 'sweep'}"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, **RAY_ENV})
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()] and said in proc.stderr, proc.stderr
    assert "Started a local Ray instance" not in proc.stderr and not (tmp_path / "sweep").exists()


@needs_ray
@pytest.mark.parametrize("options, said", [
    (["+hydra.launcher.ray.remote.num_cpus=99"], "hydra.launcher.ray.remote.num_cpus=99 is not allowed: "
     "at most the {cpus_said} of the Ray instance this command starts (hydra.launcher.ray.init.address="
     "local; this machine's CPUs, as Ray counts them): Ray would wait forever for a node that could take "
     "a job asking for more; ask for at most {cpus}, or set hydra.launcher.ray.init.num_cpus"),
    (["+hydra.launcher.ray.remote.num_cpus=2", "+hydra.launcher.ray.init.num_cpus=1.0"],
     "hydra.launcher.ray.remote.num_cpus=2 is not allowed: at most the 1 CPU of the Ray instance this "
     "command starts (hydra.launcher.ray.init.address=local; hydra.launcher.ray.init.num_cpus=1)"),
    (["+hydra.launcher.ray.init.num_cpus=0"], "hydra.launcher.ray.init.num_cpus=0 is not allowed: at least "
     "the 1 CPU each job asks Ray for (hydra.launcher.ray.remote.num_cpus, 1 unless set): Ray would wait "
     "forever for a node that could take one (docs/distributed.md)"),
])
def test_a_job_asking_for_more_cpus_than_the_local_ray_has_is_refused(tmp_path, options, said):
    """Such a job never started: Ray waited forever for a node that could take it."""
    from ray._private.utils import get_num_cpus

    proc = subprocess.run([sys.executable, "-m", "salessim", "-m", *RAY_LOCAL, "sim.seed=1,2", *options,
                           f"hydra.sweep.dir={tmp_path / 'sweep'}"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env={**os.environ, **RAY_ENV})
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1, proc.stderr
    cpus = get_num_cpus()
    said = said.format(cpus=cpus, cpus_said=counted(cpus, "CPU", fmt="g"))
    assert lines[0].startswith(f"salessim: error: {said}"), proc.stderr
    assert not (tmp_path / "sweep").exists()


@needs_ray
def test_ray_sweep_on_a_local_instance_equals_serial_sweep(basic_sweep, sweeps):
    result = run_sweep(sweeps / "ray_local", SPANS, *RAY_LOCAL, env=RAY_ENV)
    assert_same_tables(basic_sweep, result, "ray (local instance) vs basic")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def ray_cluster():
    """A one-node Ray cluster as ``ray start --head`` makes one; yields (address, env)."""
    env = {**RAY_ENV, "RAY_AUTH_MODE": "disabled"}  # head and driver agree; loopback only
    ray_cli = Path(sys.executable).parent / "ray"
    # Short on purpose: Ray's socket paths under it must stay within the OS limit.
    temp = Path(tempfile.mkdtemp(prefix="salessim-ray-", dir="/tmp"))
    port = _free_port()
    log = temp / "head.log"
    try:
        with open(log, "w") as out:
            # Its own process group, so that a head that will not stop can be ended with all it started.
            head = subprocess.Popen(
                [str(ray_cli), "start", "--head", "--block", f"--port={port}", "--num-cpus=2",
                 "--include-dashboard=false", f"--ray-client-server-port={_free_port()}",
                 f"--dashboard-agent-listen-port={_free_port()}", f"--temp-dir={temp}",
                 "--disable-usage-stats"],
                stdout=out, stderr=subprocess.STDOUT, cwd=temp, env={**os.environ, **env},
                start_new_session=True)
            try:
                deadline = time.monotonic() + 90
                while "Ray runtime started" not in log.read_text():
                    assert head.poll() is None, f"ray start failed:\n{log.read_text()[-3000:]}"
                    assert time.monotonic() < deadline, "ray start took over 90 s"
                    time.sleep(0.5)
                yield f"127.0.0.1:{port}", env
            finally:
                head.terminate()  # --block: the head drains and stops every process it started
                try:
                    head.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(head.pid, signal.SIGKILL)
                    head.wait()
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def test_a_ray_address_where_nothing_answers_is_refused_at_once(monkeypatch):
    """A sales-ops walk's address=192.0.2.2:1: Ray retried for minutes, then left the sweep's folder
    behind. A cluster's head answers at once; nothing answering is refused before anything is
    written (a port closed at once; an address that never answers, after RAY_CONNECT_SECONDS)."""
    import socket

    from salessim import launchers
    from salessim.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        launchers.check_ray_reachable("127.0.0.1:1")
    assert "nothing answers at 127.0.0.1:1: Connection refused); start it with ray start --head" in str(
        info.value.message)

    def never_answers(*args, **kwargs):
        raise TimeoutError
    monkeypatch.setattr(socket, "create_connection", never_answers)
    with pytest.raises(ConfigError) as info:
        launchers.check_ray_reachable("ray://head.example:10001")
    assert "nothing answers at head.example:10001: no answer within 5 s" in info.value.message
    for left_to_ray in ("auto", "local", None, "not an address"):
        launchers.check_ray_reachable(left_to_ray)


@needs_ray
def test_a_sweep_on_ray_at_an_address_where_nothing_answers_leaves_no_folder(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "salessim", *SWEEP, SPANS, "hydra/launcher=ray",
                           "hydra.launcher.ray.init.address=127.0.0.1:1",
                           f"hydra.sweep.dir={tmp_path / 's'}"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, **RAY_ENV})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert "hydra.launcher.ray.init.address='127.0.0.1:1' is not allowed" in proc.stderr
    assert not (tmp_path / "s").exists()


@needs_ray
def test_ray_sweep_on_a_running_cluster_equals_serial_sweep(basic_sweep, sweeps, ray_cluster):
    address, env = ray_cluster
    # The plugin asks for a small object store, which Ray refuses when joining a cluster: unset it.
    result = run_sweep(sweeps / "ray_cluster", SPANS, "hydra/launcher=ray",
                       f"hydra.launcher.ray.init.address={address}",
                       "+hydra.launcher.ray.init.object_store_memory=null", env=env)
    assert_same_tables(basic_sweep, result, "ray (running cluster) vs basic")
    # without it, one line names the key and the override to add, not the address (a walk's
    # 'address=... is not allowed' sent a user looking for another address)
    refused = subprocess.run([sys.executable, "-m", "salessim", *SWEEP, SPANS, "hydra/launcher=ray",
                              f"hydra.launcher.ray.init.address={address}",
                              f"hydra.sweep.dir={sweeps / 'ray_cluster_refused'}"], capture_output=True,
                             text=True, cwd=ROOT, timeout=300, env={**os.environ, **env})
    assert refused.returncode == 2, refused.stderr[-2000:]
    assert ("hydra.launcher.ray.init.object_store_memory" in refused.stderr
            and "add +hydra.launcher.ray.init.object_store_memory=null" in refused.stderr), refused.stderr
    assert not (sweeps / "ray_cluster_refused").exists()


@needs_ray
@pytest.mark.parametrize("sig, status, word", [(signal.SIGTERM, 143, "terminated"),
                                               (signal.SIGINT, 130, "interrupted")])
def test_a_stopped_ray_sweep_ends_with_its_line_and_starts_no_more_jobs(tmp_path, sig, status, word):
    """ray.init takes SIGTERM for itself (an exit, and an abort 3 s later with a stack dump): the
    sweep takes it back, and a stop, SIGTERM (a batch scheduler's) or Ctrl-C to the whole group,
    shuts Ray down, so that the jobs queued behind the running ones do not start after the line."""
    folder = tmp_path / "sweep"
    # started with Ctrl-C in Python's hands, as in a terminal, even where the tests run with SIGINT
    # ignored (a CI job started in the background, whose command would inherit that and not stop)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "salessim", "-m", "fsm.span_of_control=4,6,8,10,12,16",
                                 "org=small", "sim.years=3", "sim.replications=3", *RAY_LOCAL,
                                 f"hydra.sweep.dir={folder}"], cwd=ROOT, text=True, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True, env={**os.environ, **RAY_ENV})
    finally:
        signal.signal(signal.SIGINT, previous)
    deadline = time.monotonic() + 180
    while not list(folder.glob("*/manifest.json")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert proc.poll() is None, "the sweep ended before the stop"
    if sig == signal.SIGTERM:
        proc.send_signal(sig)
    else:
        os.killpg(proc.pid, sig)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == status, err[-3000:]
    finished = len(list(folder.glob("*/manifest.json")))
    # the jobs finished, counted (a walk's stop while Ray connected was told 'finished jobs are kept')
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"salessim: {word}; {finished} of 6 jobs had finished: "), err[-3000:]
    assert "results are kept (resume: the same command with hydra.sweep.dir=" in line, line
    assert "SIGTERM received" not in err
    time.sleep(3)  # nothing runs on behind the line
    assert len(list(folder.glob("*/manifest.json"))) == finished
