"""The pace a command announces its work at: this machine's now, against the quiet host's."""

from __future__ import annotations

import pytest

from salessim import host_pace, notices
from salessim.config import Config


@pytest.fixture
def measured(monkeypatch):
    """slowdown() as a command measures it: no SALESSIM_HOST_SLOWDOWN, nothing cached."""
    monkeypatch.delenv(host_pace.SLOWDOWN_VARIABLE, raising=False)
    monkeypatch.setattr(host_pace, "LOAD_SAMPLE_GAP_S", 0.0)
    host_pace.slowdown.cache_clear()
    host_pace.others_busy.cache_clear()
    yield
    host_pace.slowdown.cache_clear()
    host_pace.others_busy.cache_clear()


def test_the_slowdown_is_the_reference_loops_rate_over_this_ones_within_bounds(measured, monkeypatch):
    rate = host_pace.bare_loop_events_per_second(5_000)
    assert 1e4 < rate < 1e8
    for here, factor in ((0.6e6, 3.0), (1.8e6, 1.0), (0.1e6, host_pace.SLOWEST), (9e6, host_pace.FASTEST)):
        monkeypatch.setattr(host_pace, "bare_loop_events_per_second", lambda events=0, here=here: here)
        host_pace.slowdown.cache_clear()
        assert host_pace.slowdown() == pytest.approx(factor)
    # measured once a command: a sweep's line and its jobs' estimates share one pace
    monkeypatch.setattr(host_pace, "bare_loop_events_per_second", lambda events=0: 1 / 0)
    assert host_pace.slowdown() == pytest.approx(host_pace.FASTEST)


def test_a_number_in_the_variable_stands_for_the_measured_pace(measured, monkeypatch):
    monkeypatch.setattr(host_pace, "bare_loop_events_per_second", lambda events=0: 0.45e6)  # 4 times slower
    for given, factor in (("1", 1.0), ("2.5", 2.5), ("100", host_pace.SLOWEST), ("fast", 4.0), ("nan", 4.0),
                          ("inf", 4.0), ("0", 4.0), ("-2", 4.0)):
        monkeypatch.setenv(host_pace.SLOWDOWN_VARIABLE, given)
        host_pace.slowdown.cache_clear()
        assert host_pace.slowdown() == pytest.approx(factor), given


def test_a_variable_that_is_no_number_is_said_once_and_the_pace_measured(measured, monkeypatch, capsys,
                                                                         tmp_path):
    """SALESSIM_HOST_SLOWDOWN=abc went unheeded without a word, and stood for the measure of the
    processes the workers share the cores with: they were counted as none."""
    monkeypatch.setattr(host_pace, "bare_loop_events_per_second", lambda events=0: 0.45e6)  # 4 times slower
    load = tmp_path / "loadavg"
    load.write_text("0.10 0.20 0.30 3/300 4242\n")
    monkeypatch.setattr(host_pace, "LOAD_FILE", load)
    monkeypatch.setenv(host_pace.SLOWDOWN_VARIABLE, "abc")
    assert host_pace.slowdown() == host_pace.slowdown() == pytest.approx(4.0)
    assert host_pace.others_busy() == pytest.approx(2.0)
    said = f"salessim: {host_pace.SLOWDOWN_VARIABLE}='abc' is not a finite number above 0: the machine's"
    assert capsys.readouterr().err == said + " pace is measured instead\n"  # once a command


def test_a_slow_machine_announces_a_larger_run_and_says_why(measured, monkeypatch):
    """A strategist's walk: a sweep announced as 36 s of work took 138 s of a core on a host
    shared with another job; the large-run notice scales the same way, and says by how much."""
    config = Config()
    config.sim.replications = 600  # about 14 minutes of a core on the quiet host
    monkeypatch.setattr(host_pace, "bare_loop_events_per_second", lambda events=0: 1.8e6)
    assert notices.large_run(config) is None
    assert host_pace.pace_said(host_pace.slowdown()) == ""
    monkeypatch.setattr(host_pace, "bare_loop_events_per_second", lambda events=0: 0.45e6)
    host_pace.slowdown.cache_clear()
    said = notices.large_run(config)
    assert said is not None and said.startswith("a large run, roughly ") and (
        ", this machine running 4.0 times slower now than the quiet host of docs/performance.md "
        "(org.sellers=100") in said, said
    # a run small on any host is not probed at all
    host_pace.slowdown.cache_clear()
    monkeypatch.setattr(host_pace, "bare_loop_events_per_second", lambda events=0: 1 / 0)
    config.sim.replications = 3
    assert notices.large_run(config) is None


def test_a_sweep_announces_its_work_at_the_machines_pace(measured, monkeypatch, capsys, tmp_path):
    from salessim import cli

    output = {"workers": 2, "hours": 60 / 3600, "shared": [], "to_run": 4}
    # with the wait on its workers, side by side ('of one core's work' alone read as the wait: a walk)
    for given, said in (("1", "roughly 1 minute of one core's work in all (2 workers' start included), "
                              "about 31 s on its 2 workers side by side; each job says when it is done"),
                        ("3", "roughly 3 minutes of one core's work in all (2 workers' start included), "
                              "this machine running 3.0 times slower now than the quiet host of "
                              "docs/performance.md, about 2 minutes on its 2 workers side by side; each job "
                              "says when it is done")):
        monkeypatch.setenv(host_pace.SLOWDOWN_VARIABLE, given)
        host_pace.slowdown.cache_clear()
        cli._prepare_sweep(output, str(tmp_path))
        assert capsys.readouterr().err == f"salessim: 4 jobs to run into {tmp_path}, {said}\n"


def test_a_sweeps_wait_counts_the_cores_its_workers_share_with_other_busy_processes(measured, monkeypatch,
                                                                                    capsys, tmp_path):
    """A strategist's walk: 'about 1 minute on its 2 workers side by side' took 3.5 minutes on two
    cores beside two other busy jobs. The probe ran as one process beside them (2 of 3 processes
    on 2 cores: its slowdown counts that), the workers then run as two of four: a third longer."""
    from salessim import cli

    monkeypatch.setattr(host_pace, "bare_loop_events_per_second", lambda events=0: 1.8e6)
    monkeypatch.setattr(host_pace.os, "cpu_count", lambda: 2)
    load = tmp_path / "loadavg"
    monkeypatch.setattr(host_pace, "LOAD_FILE", load)
    output = {"workers": 2, "hours": 60 / 3600, "shared": [], "to_run": 4}
    for ready, said in (("1/300", "about 31 s on its 2 workers side by side; each"),  # this command alone
                        ("3/300", "about 41 s on its 2 workers side by side, its 2 workers sharing 2 cores "
                                  "with about 2 other busy processes; each")):
        load.write_text(f"0.10 0.20 0.30 {ready} 4242\n")
        host_pace.others_busy.cache_clear()
        cli._prepare_sweep(output, str(tmp_path / "sweep"))
        assert said in capsys.readouterr().err
    assert host_pace.shared_out(1) == pytest.approx(1.0)  # one process: as the probe ran
    load.write_text("0.10 0.20 0.30 1/300 4242\n")  # nothing else busy: 4 workers share 2 cores alone
    host_pace.others_busy.cache_clear()
    assert host_pace.sharing_said(4) == ", its 4 workers sharing 2 cores"
    load.write_text("garbled")  # a system that does not count them: the quiet host's sharing
    host_pace.others_busy.cache_clear()
    assert host_pace.others_busy() == 0.0 and host_pace.sharing_said(2) == ""
    monkeypatch.setenv(host_pace.SLOWDOWN_VARIABLE, "2")  # the variable stands for the whole measure
    load.write_text("0.10 0.20 0.30 9/300 4242\n")
    host_pace.others_busy.cache_clear()
    assert host_pace.others_busy() == 0.0
