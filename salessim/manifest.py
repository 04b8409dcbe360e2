"""Reading a finished job's manifest: its config checked like a command line's, its table names.

Shared by salessim-rerun and salessim-compare: a manifest is input like any other, and a
hand-edited or foreign one must not size anything (``sim.years`` sets the calendar) before its
ranges are checked. (Writing one is salessim.outputs.)
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from salessim.config import Config
from salessim.errors import ConfigError, UserError, refuse_a_name_too_long
from salessim.outputs import MANIFEST, TABLES
from salessim.compose import translate
from salessim.validation import to_validated


def read_manifest(folder: Path) -> tuple[Config, dict]:
    """A job folder's manifest and its config, checked like a command line's config.

    Anything salessim would not have written is one UserError line naming key, value and allowed.
    """
    path = folder / MANIFEST
    refuse_a_name_too_long(folder, "folder", f"a finished job folder with a {MANIFEST}")
    if not folder.is_dir():
        raise UserError(not_a_folder(folder, f"a finished job folder with a {MANIFEST}"))
    read = False
    try:
        meta = json.loads(path.read_text())
        read = True
        resolved = meta["config"]  # TypeError when the manifest is a JSON list, number or string
        if not isinstance(resolved, dict):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError):
        refuse_a_sweep_folder(folder)
        what = ("none there (a job that has not finished has none yet: it is written last)"
                if not path.exists() else "it holds no config" if read else "it cannot be read")
        raise UserError(f"{folder} has no readable {MANIFEST} with a config: {what} (allowed: a "
                        "finished job folder, e.g. results/runs/<time>)") from None
    try:
        cfg = _validated(resolved)
    except UserError as e:  # say where the value came from: there is no command line to look at
        raise UserError(f"the config in {path} does not fit this salessim (it was edited, or written "
                        f"by a salessim other than this one: made {made_at(meta)}): {e.message}") from None
    tables = meta.get("tables")
    if not isinstance(tables, list) or not all(t in TABLES for t in tables):
        raise ConfigError("tables", tables, f"a list of the table names the job wrote "
                          f"(of {', '.join(TABLES)}) in {path}")
    return cfg, meta


def code_of(meta: dict) -> tuple[str | None, str | None]:
    """(commit, version) of the salessim code that wrote a manifest: its git commit (ending in
    +dirty for uncommitted changes), or, where the code was not its git checkout (an installed
    salessim, a copy without its .git) and the commit is recorded as "unknown", the package's
    version; None for what the manifest does not record."""
    commit = meta.get("git_commit")
    if commit and commit != "unknown":
        return str(commit), None
    versions = meta.get("versions")
    version = versions.get("salessim") if isinstance(versions, dict) else None
    return None, (version if isinstance(version, str) and version != "not installed" else None)


def made_at(meta: dict) -> str:
    """Which salessim code wrote a manifest, said after "made" (code_of)."""
    commit, version = code_of(meta)
    if commit:
        return f"at commit {commit}"
    return f"at {f'version {version}' if version else 'a version it does not record'}, run outside a git checkout"


def refuse_a_sweep_folder(folder: Path) -> None:
    """A sweep's folder, given where a job's is expected: its jobs are one level down."""
    if (folder / MANIFEST).exists():
        return  # a job's own folder: nothing to list
    from salessim.sweep_folder import is_comparison  # it reads manifests with this module
    if is_comparison(folder):  # SWEEP/comparison, given for a job (it was said to be unfinished)
        jobs = sorted(p.parent for p in folder.parent.glob(f"*/{MANIFEST}"))
        raise UserError(f"{folder} is a comparison that salessim-compare wrote, not a job (allowed: "
                        + (f"one of the sweep's job folders, e.g. {jobs[0]})" if jobs else
                           "a finished job folder, e.g. results/runs/<time>)"))
    jobs = sorted(p.parent.name for p in folder.glob(f"*/{MANIFEST}"))
    if jobs:
        # Hydra writes multirun.yaml into a sweep's folder; results/runs, or a folder of
        # salessim.run's runs, holds jobs without being a sweep.
        what = "a sweep folder" if (folder / "multirun.yaml").is_file() else "a folder of jobs, not a job"
        raise UserError(f"{folder} is {what} (allowed: one of its job folders, e.g. "
                        f"{folder / jobs[0]})")


def not_a_folder(folder: Path, allowed: str) -> str:
    """What to say of a path that is not a folder; a job's manifest.json, given for its job (the
    manifest is what a rerun reads), is answered with the folder that holds it."""
    if folder.name == MANIFEST and folder.is_file():
        return (f"{folder} is a job's {MANIFEST}, not its folder (allowed: the folder that holds it, "
                f"{folder.parent})")
    return f"{folder} is not a folder (allowed: {allowed})"


@functools.cache
def _schema() -> DictConfig:
    """The config schema as OmegaConf holds it, built once a process: building it takes 50 ms,
    as long as the merge itself, and salessim-compare reads a manifest per job (OmegaConf.merge
    copies it, so it is never changed)."""
    return OmegaConf.structured(Config)


def _validated(resolved: dict) -> Config:
    """The schema's checks on a resolved config; a merge error (a manifest from another version of
    salessim, a wrong type) is translated into the same one line as a bad override."""
    try:
        return to_validated(OmegaConf.merge(_schema(), resolved))
    except OmegaConfBaseException as e:
        if not getattr(e, "full_key", None):
            e = _refusal(OmegaConf.structured(Config), resolved) or e
        key = getattr(e, "full_key", None) or ""
        value: object = resolved
        for part in key.split(".") if key else []:
            value = value.get(part, "?") if isinstance(value, dict) else "?"
        raise translate(e, [f"{key}={value}"] if key else []) from None


def _refusal(cfg: DictConfig, resolved: dict, prefix: str = "") -> OmegaConfBaseException | None:
    """The error of the first value the schema refuses, set key by key: a merge that meets a
    value of the wrong shape (a number where a section belongs) names no key; setting it does."""
    for key, value in resolved.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            found = _refusal(cfg, value, name + ".")
            if found:
                return found
            continue
        try:
            OmegaConf.update(cfg, name, value, merge=True)
        except OmegaConfBaseException as e:
            return e
    return None
