"""Two commands never write to one output folder at the same time."""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager

import pytest

from salessim.errors import ConfigError
from salessim.folder_claim import MARKER, claimed
from tests.conftest import run_cli


@contextmanager
def _held_by_another_command(folder):
    """A lock on the folder's marker, as a running command holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / MARKER, os.O_CREAT | os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        os.close(fd)


def test_a_folder_the_clock_chose_moves_on_when_another_command_holds_it(tmp_path):
    folder = tmp_path / "2026-11-28_10-00-00"
    with _held_by_another_command(folder):
        with claimed("hydra.run.dir", str(folder), chosen_by_clock=True) as ours:
            assert ours == str(tmp_path / "2026-11-28_10-00-00_2")
            assert (tmp_path / "2026-11-28_10-00-00_2" / MARKER).read_text() == str(os.getpid())
        assert not (tmp_path / "2026-11-28_10-00-00_2" / MARKER).exists()
        assert (folder / MARKER).exists()  # the other command's claim is left alone


def test_moving_on_skips_a_folder_that_holds_results(tmp_path):
    folder = tmp_path / "t"
    (tmp_path / "t_2").mkdir()
    (tmp_path / "t_2" / "manifest.json").write_text("{}")
    with _held_by_another_command(folder):
        with claimed("hydra.run.dir", str(folder), chosen_by_clock=True) as ours:
            assert ours == str(tmp_path / "t_3")


def test_the_clocks_folder_is_checked_again_once_held(tmp_path):
    """A command of the same second may have finished in it after this one's checks ran."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "manifest.json").write_text("{}")
    with claimed("hydra.run.dir", str(folder), chosen_by_clock=True) as ours:
        assert ours == str(tmp_path / "t_2")
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json"]  # left as it was


def test_a_folder_the_claim_made_goes_if_nothing_was_written(tmp_path):
    """Ctrl-C between the claim and the run: no empty folder is left behind."""
    with claimed("hydra.run.dir", str(tmp_path / "new" / "run"), chosen_by_clock=True):
        pass
    assert not (tmp_path / "new" / "run").exists()


def test_a_folder_the_user_chose_is_refused_while_another_command_writes_to_it(tmp_path):
    folder = tmp_path / "mine"
    with _held_by_another_command(folder):
        with pytest.raises(ConfigError, match=r"hydra.sweep.dir=.*mine.* a folder no other salessim "
                                              r"command is writing to \(one holds .*\.salessim-writing\)"):
            with claimed("hydra.sweep.dir", str(folder), chosen_by_clock=False):
                pass


def test_a_marker_left_by_a_command_that_is_gone_blocks_nothing(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / MARKER).write_text("12345")  # a killed command's: its lock went with it
    with claimed("hydra.run.dir", str(folder), chosen_by_clock=False) as ours:
        assert ours == str(folder)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("argv", [
    ("hydra.run.dir",),
    # a sweep said how many jobs it would run before it found its folder held: two lines
    ("hydra.sweep.dir", "-m", "fsm.span_of_control=5,10")], ids=["run", "sweep"])
def test_salessim_refuses_in_one_line_a_folder_another_command_is_writing_to(argv, tmp_path):
    folder = tmp_path / "busy"
    with _held_by_another_command(folder):
        proc = run_cli(*argv[1:], "org=small", "sim.years=1", "sim.replications=1", f"{argv[0]}={folder}")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().count("\n") == 0, proc.stderr
    assert "a folder no other salessim command is writing to" in proc.stderr
    assert sorted(p.name for p in folder.iterdir()) == [MARKER]  # nothing written


def test_salessim_moves_a_clock_named_folder_on_and_writes_where_it_says(tmp_path):
    """The clock's folder, written out as an override Hydra reads whatever characters it holds."""
    pattern = str(tmp_path / "it's, a=b\\c ${now:%Y}")
    year_folder = tmp_path / pattern.rsplit("/", 1)[1].replace("${now:%Y}", _year())
    with _held_by_another_command(year_folder):
        quoted = "'" + pattern.replace("'", "\\'") + "'"
        proc = run_cli("org=small", "sim.years=1", "sim.replications=1", f"hydra.run.dir={quoted}")
    assert proc.returncode == 0, proc.stderr
    moved = year_folder.with_name(year_folder.name + "_2")
    assert f"results in {moved}" in proc.stdout
    assert (moved / "manifest.json").exists() and not (moved / MARKER).exists()


@pytest.mark.parametrize("reference", ["${hydra.run.dir}", "${..run.dir}", "${oc.select:hydra.run.dir,x}"],
                         ids=["absolute", "relative", "selected"])
def test_a_sweep_folder_reaching_the_clock_through_another_key_is_moved_on_too(tmp_path, reference):
    """hydra.sweep.dir=${hydra.run.dir}, the run folder named by the clock, was taken for a folder
    the user chose: held by another command, it was refused rather than moved on."""
    year_folder = tmp_path / f"sweep {_year()}"
    with _held_by_another_command(year_folder):
        proc = run_cli("-m", "fsm.span_of_control=5", "org=small", "sim.years=1", "sim.replications=1",
                       f"hydra.run.dir='{tmp_path}/sweep ${{now:%Y}}'", f"hydra.sweep.dir={reference}")
    assert proc.returncode == 0, proc.stderr
    moved = year_folder.with_name(year_folder.name + "_2")
    assert (moved / "0" / "manifest.json").exists() and not (moved / MARKER).exists()


def _year() -> str:
    from datetime import datetime
    return datetime.now().strftime("%Y")


def test_an_interpolation_is_followed_to_the_key_it_names():
    from salessim.preflight import _absolute
    assert _absolute("hydra.run.dir", "hydra.sweep.dir") == "hydra.run.dir"
    assert _absolute(".subdir", "hydra.sweep.dir") == "hydra.sweep.subdir"
    assert _absolute("..run.dir", "hydra.sweep.dir") == "hydra.run.dir"
    assert _absolute("...out", "hydra.sweep.dir") == "out"  # the config's root
    # above the root, or no key at all: OmegaConf refuses them, and nothing is followed
    assert _absolute("....run.dir", "hydra.sweep.dir") is None
    assert _absolute("..", "hydra.sweep.dir") is None
