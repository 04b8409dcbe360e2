"""Where salessim-calibrate installs its fits, and how ``+calibrated=NAME`` then finds them.

``+calibrated=NAME`` reads ``calibrated/NAME.yaml`` in the folders of the config search path:
the shipped configs' ``calibrated`` links to the project's results/calibrated, where
salessim-calibrate installs each fit, unless the environment variable SALESSIM_CALIBRATED_DIR
names another folder (the tests, or a study run only to try settings). A fit there is found
with that folder's parent on hydra.searchpath, when the folder is named ``calibrated``.

Light on purpose: salessim's errors about a fit they did not find use it on every command's
start, and salessim-calibrate (which imports Optuna) on installing a fit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from salessim.config_files import CONFIG_DIR, searchpath_entries, searchpath_folders
from salessim.errors import (UserError, nearest_name, refuse_a_name_too_long,
                             why_no_folder_can_be_made)

# configs/calibrated links here.
OWN_CALIBRATED_DIR = CONFIG_DIR.parent / "results" / "calibrated"


def calibrated_dir() -> Path:
    """The folder salessim-calibrate installs fits in: SALESSIM_CALIBRATED_DIR, else the project's
    own. Read when asked, so that a process which sets the variable after importing salessim
    (the tests do) installs its fits there."""
    return Path(os.environ.get("SALESSIM_CALIBRATED_DIR") or OWN_CALIBRATED_DIR)


def _resolved(path: Path) -> Path:
    """``path`` with its links followed. os.path.realpath leaves a symlink loop in it, for what then
    looks into the folder to refuse in one line; Path.resolve (Python 3.11) raised a RuntimeError."""
    return Path(os.path.realpath(path))


def fits_moved() -> bool:
    """Whether SALESSIM_CALIBRATED_DIR sends the fits elsewhere than the folder +calibrated reads."""
    return _resolved(calibrated_dir()) != _resolved(OWN_CALIBRATED_DIR)


def check_fits_folder() -> None:
    """Before a study runs for hours: the folder its fit is installed in can take it (a folder,
    or one that can be made). It is not made here, where a study refused or stopped later would
    leave it behind, perhaps under a mistyped name: a folder is made where it would go, and
    removed, which tells what os.access cannot, run as root (/proc, a read-only file system)."""
    with _fits_folder_examined() as folder:
        why_not = why_no_folder_can_be_made(folder)
    if why_not:
        raise _refused(folder, why_not)


@contextmanager
def _fits_folder_examined() -> Iterator[Path]:
    """The folder salessim-calibrate installs fits in, to look at: a name in it longer than the
    system takes, or any OSError from looking (a path too long), ends the command in one line
    that names SALESSIM_CALIBRATED_DIR (when it set the folder), its value and what is allowed."""
    folder = calibrated_dir()
    what, allowed = _as_refused()
    refuse_a_name_too_long(folder, what.rstrip("= "), allowed)
    try:
        yield folder
    except OSError as e:
        raise _refused(folder, e.strerror or str(e)) from None


# What the folder salessim-calibrate installs fits in must be.
_FOLDER_ALLOWED = "a folder salessim-calibrate can write the fit in"


def _as_refused() -> tuple[str, str]:
    """How a refusal of the fits' folder names it, and what it allows."""
    if os.environ.get("SALESSIM_CALIBRATED_DIR"):
        return "SALESSIM_CALIBRATED_DIR=", _FOLDER_ALLOWED
    return "the fits' folder ", f"{_FOLDER_ALLOWED}; SALESSIM_CALIBRATED_DIR=FOLDER names another"


def _refused(folder: Path, why_not: str) -> UserError:
    what, allowed = _as_refused()
    return UserError(f"{what}{folder} is not allowed: {why_not} (allowed: {allowed})")


def searchpath_entry(folder: Path) -> str:
    """The entry of hydra.searchpath with which +calibrated=NAME finds the fits in ``folder``: it
    reads results/calibrated, or FOLDER/calibrated/ on the search path ("" when ``folder`` is not
    one)."""
    folder = _resolved(folder)
    return f"file://{folder.parent}" if folder.name == "calibrated" else ""


def searchpath_finding(folder: Path) -> str:
    """The hydra.searchpath with which +calibrated=NAME finds the fits in ``folder`` ("" when none
    does)."""
    entry = searchpath_entry(folder)
    return f"hydra.searchpath=[{entry}]" if entry else ""


def _how_found(folder: Path, name: str, overrides: list[str]) -> str:
    """What makes +calibrated=``name`` read its fit in ``folder``, said to the user."""
    finding = searchpath_finding(folder)
    if not finding:
        return f"copy it to FOLDER/calibrated/{name}.yaml and add hydra.searchpath=[file://FOLDER]"
    more = " (as one more entry of its hydra.searchpath)" if searchpath_entries(overrides) else ""
    return f"add {finding} to the command{more}"


def elsewhere_said(installed: Path) -> str:
    """Where a fit went when SALESSIM_CALIBRATED_DIR moved it, and how salessim then finds it."""
    folder = _resolved(installed.parent)
    return (f"SALESSIM_CALIBRATED_DIR is set: the fit is in {folder / installed.name}, not in "
            f"results/calibrated, so for +calibrated={installed.stem} to find it, "
            + _how_found(folder, installed.stem, []))


def moved_fits_said(name: str, overrides: list[str]) -> str:
    """For an error about +calibrated=``name`` not found: the fits salessim-calibrate put in
    SALESSIM_CALIBRATED_DIR's folder, and how the command finds them; "" when the variable moves
    no fit out of the folders the command reads."""
    folder = _resolved(calibrated_dir())
    read = {_resolved(Path(f)) for _, f in searchpath_folders(overrides)}
    # on the search path (as FOLDER/calibrated, the one place a search path's fits are read): its
    # fits are the options named
    if not fits_moved() or (folder.parent in read and folder.name == "calibrated"):
        return ""
    with _fits_folder_examined():
        fits = sorted(f.stem for f in folder.glob("*.yaml"))
    near = nearest_name(name, fits) if name not in fits else None
    there = (f"{name} is there" if name in fits else
             f"fits there: {', '.join(fits)}" + (f"; did you mean {near}?" if near else "") if fits
             else "none there yet")
    named = name if name in fits else "NAME"
    return (f"SALESSIM_CALIBRATED_DIR is set, so salessim-calibrate puts each fit in {folder}/NAME.yaml, "
            f"not in results/calibrated/NAME.yaml ({there}): for +calibrated={named} to find "
            f"{'it' if name in fits else 'one'}, "
            + _how_found(folder, named, overrides))


# How salessim-calibrate's --help (configs/calibrate.yaml) says where a fit goes and what reads it.
_FITS_IN_HELP = "results/calibrated/<calibration.name>.yaml, which\n+calibrated=<calibration.name> reads"


def help_naming_the_fits_folder(text: str) -> str:
    """salessim-calibrate's --help, naming the folder SALESSIM_CALIBRATED_DIR moves its fits to
    (the help's own words name results/calibrated), and how +calibrated then finds them."""
    if not fits_moved():
        return text
    folder, name = _resolved(calibrated_dir()), "<calibration.name>"
    return text.replace(_FITS_IN_HELP, f"{folder / name}.yaml (the folder\nSALESSIM_CALIBRATED_DIR names), "
                                       f"which +calibrated={name} reads once you\n"
                                       + _how_found(folder, name, []))
