"""Two commands never write to one output folder at the same time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from salessim.errors import ConfigError
from salessim.folder_claim import MARKER, claimed


def _held_by_another_live_process(folder) -> None:
    folder.mkdir(parents=True)
    (folder / MARKER).write_text(str(os.getppid()))  # the process that started the tests


def test_a_folder_salessim_chose_by_the_clock_moves_on_when_another_command_holds_it(tmp_path):
    folder = tmp_path / "2026-11-28_10-00-00"
    _held_by_another_live_process(folder)
    with claimed("hydra.run.dir", str(folder), named_by_user=False) as ours:
        assert ours == str(tmp_path / "2026-11-28_10-00-00_2")
        assert (tmp_path / "2026-11-28_10-00-00_2" / MARKER).read_text() == str(os.getpid())
    assert not (tmp_path / "2026-11-28_10-00-00_2" / MARKER).exists()
    assert (folder / MARKER).exists()  # the other command's claim is left alone


def test_a_folder_the_user_named_is_refused_while_another_command_writes_to_it(tmp_path):
    folder = tmp_path / "mine"
    _held_by_another_live_process(folder)
    with pytest.raises(ConfigError, match=r"hydra.sweep.dir=.*mine.* a folder no other salessim command is writing to"):
        with claimed("hydra.sweep.dir", str(folder), named_by_user=True):
            pass


def test_a_claim_left_by_a_command_that_is_gone_is_taken_over(tmp_path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / MARKER).write_text(gone)
    with claimed("hydra.run.dir", str(folder), named_by_user=True) as ours:
        assert ours == str(folder)
    assert sorted(p.name for p in folder.iterdir()) == []


def test_salessim_refuses_in_one_line_a_folder_another_command_is_writing_to(tmp_path):
    from tests.conftest import run_cli

    folder = tmp_path / "busy"
    _held_by_another_live_process(folder)
    proc = run_cli("org=small", "sim.years=1", "sim.replications=1", f"hydra.run.dir={folder}")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().count("\n") == 0
    assert "a folder no other salessim command is writing to" in proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == [MARKER]  # nothing written
