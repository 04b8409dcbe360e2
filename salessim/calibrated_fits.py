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
from pathlib import Path

from salessim.config_files import CONFIG_DIR, searchpath_entries, searchpath_folders
from salessim.errors import nearest_name

# configs/calibrated links here.
OWN_CALIBRATED_DIR = CONFIG_DIR.parent / "results" / "calibrated"


def calibrated_dir() -> Path:
    """The folder salessim-calibrate installs fits in: SALESSIM_CALIBRATED_DIR, else the project's
    own. Read when asked, so that a process which sets the variable after importing salessim
    (the tests do) installs its fits there."""
    return Path(os.environ.get("SALESSIM_CALIBRATED_DIR") or OWN_CALIBRATED_DIR)


def fits_moved() -> bool:
    """Whether SALESSIM_CALIBRATED_DIR sends the fits elsewhere than the folder +calibrated reads."""
    return calibrated_dir().resolve() != OWN_CALIBRATED_DIR.resolve()


def check_fits_folder() -> None:
    """Before a study runs for hours: the folder its fit is installed in can take it (a folder,
    or one that can be made where the first existing folder above it is writable)."""
    from salessim.errors import UserError  # light: this module is read on every command's start

    folder = calibrated_dir()
    what = "SALESSIM_CALIBRATED_DIR=" if fits_moved() else "the fits' folder "
    allowed = "a folder salessim-calibrate can write the fit in" + (
        "" if fits_moved() else "; SALESSIM_CALIBRATED_DIR=FOLDER names another")
    existing = next((p for p in (folder, *folder.absolute().parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise UserError(f"{what}{folder} is not allowed: {existing} is a file (allowed: {allowed})")
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"{what}{folder} is not allowed: {existing} is not writable (allowed: {allowed})")


def searchpath_entry(folder: Path) -> str:
    """The entry of hydra.searchpath with which +calibrated=NAME finds the fits in ``folder``: it
    reads results/calibrated, or FOLDER/calibrated/ on the search path ("" when ``folder`` is not
    one)."""
    folder = folder.resolve()
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
    folder = installed.parent.resolve()
    return (f"SALESSIM_CALIBRATED_DIR is set: the fit is in {folder / installed.name}, not in "
            f"results/calibrated, so for +calibrated={installed.stem} to find it, "
            + _how_found(folder, installed.stem, []))


def moved_fits_said(name: str, overrides: list[str]) -> str:
    """For an error about +calibrated=``name`` not found: the fits salessim-calibrate put in
    SALESSIM_CALIBRATED_DIR's folder, and how the command finds them; "" when the variable moves
    no fit out of the folders the command reads."""
    folder = calibrated_dir().resolve()
    read = {Path(f).resolve() for _, f in searchpath_folders(overrides)}
    # on the search path (as FOLDER/calibrated, the one place a search path's fits are read): its
    # fits are the options named
    if not fits_moved() or (folder.parent in read and folder.name == "calibrated"):
        return ""
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
    folder, name = calibrated_dir().resolve(), "<calibration.name>"
    return text.replace(_FITS_IN_HELP, f"{folder / name}.yaml (the folder\nSALESSIM_CALIBRATED_DIR names), "
                                       f"which +calibrated={name} reads once you\n"
                                       + _how_found(folder, name, []))
