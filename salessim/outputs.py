"""Writing results: every file goes to a temporary name first and is renamed into place, so a
reader never sees a half-written table; the manifest is written last and marks a complete job."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import platform
import re
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pyarrow.parquet as pq

from salessim.errors import ConfigError, UserError, refuse_a_name_too_long
from salessim.folder_claim import MARKER, SWEEP_RECORD

MANIFEST = "manifest.json"
JOURNAL = "study.journal"  # a calibration study's trials, in its folder (salessim.calibration.storage)
TABLES = ("summary", "opportunities", "sellers", "kpis", "fsm_months", "journey_events")
ALWAYS_WRITTEN = TABLES[:-1]  # journey_events only with sim.trace
_DEPENDENCIES = ("simpy", "numpy", "pandas", "pyarrow", "hydra-core", "omegaconf",
                 "hydra-joblib-launcher", "joblib", "tqdm", "optuna", "matplotlib", "ray",
                 "hydra-ray-launcher")


def is_sweep_folder(path: Path) -> bool:
    return (path / SWEEP_RECORD).exists()


def journal_storage(path: Path):
    """The Optuna storage of a study's journal file ``path`` (opened, not created)."""
    from optuna.storages import JournalStorage  # only where a study is read
    from optuna.storages.journal import JournalFileBackend
    return JournalStorage(JournalFileBackend(str(path)))


def study_in_folder(path: Path) -> tuple[str, str | None] | None:
    """The calibration study a folder holds, as (calibration.name, calibration.storage), from
    Hydra's record of its command (.hydra/config.yaml), or from its journal file when that record
    is missing (the first study there; storage None: the journal); None for a folder that holds
    no study."""
    import yaml  # only where a folder is checked

    try:
        record = yaml.safe_load((path / ".hydra" / "config.yaml").read_text())
    except (OSError, ValueError, yaml.YAMLError):
        record = None
    cal = record.get("calibration") if isinstance(record, dict) else None
    if isinstance(cal, dict) and cal.get("name"):
        # As Hydra records them: an interpolation (${oc.env:DB_URL}) unresolved
        return str(cal["name"]), cal.get("storage") or None
    if not (path / JOURNAL).is_file():
        return None
    import optuna  # a journal without Hydra's record (hydra.output_subdir=null)
    try:
        names = optuna.get_all_study_names(journal_storage(path / JOURNAL))
    except Exception:  # a journal the run itself will report on
        names = []
    return (names[0], None) if names else None


def refuse_someone_elses_folder(path: Path, option: str) -> None:
    """A folder that holds files, none of them written by salessim or Hydra (nor a folder of
    theirs), is not written into: tables, manifest and logs would land among someone's files
    (``hydra.run.dir=$HOME``, ``hydra.run.dir=results``). Hidden files (.DS_Store) do not count."""
    ours = (".hydra", MANIFEST, SWEEP_RECORD, MARKER, JOURNAL)
    if not path.is_dir() or any(os.path.lexists(path / name) for name in ours):
        return
    with os.scandir(path) as entries:
        visible = [e for e in entries if not e.name.startswith(".")]
    if any(e.is_dir() and any(os.path.lexists(Path(e.path) / name) for name in ours) for e in visible):
        return  # a sweep's folder: its jobs' folders are salessim's
    from salessim.sweep_folder import is_comparison  # it reads this module

    if is_comparison(path):  # salessim-compare's, whose files it would replace on its next run
        raise UserError(f"{option} {path} holds a comparison salessim-compare wrote, among whose files "
                        "its tables and logs would land (allowed: a new or empty folder)")
    if visible:
        names = sorted(e.name for e in visible)
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        raise UserError(f"{option} {path} holds files salessim did not write ({shown}), which its "
                        "tables and logs would land among (allowed: a new or empty folder, or one "
                        "salessim wrote)")


def refuse_a_folder_inside_salessims(key: str, value: str) -> None:
    """An output folder inside a job's folder or a comparison's: the next comparison replaced its
    folder whole, and a run inside it with it; a job's folder is replaced by its job's run again.
    Where a sweep's comparison goes too: salessim-compare then refused to replace what it holds."""
    from salessim.sweep_folder import OUT_NAME, is_comparison  # it reads this module

    folder = Path(os.path.abspath(value))
    allowed = "a folder outside the folders of salessim's jobs and comparisons"
    # where the sweep's comparison goes (one already there is refused as salessim-compare's own)
    if folder.name == OUT_NAME and is_sweep_folder(folder.parent) and not is_comparison(folder):
        raise ConfigError(key, value, f"{allowed} (salessim-compare writes the comparison of the sweep "
                          f"{folder.parent} there)")
    for above in folder.parents:
        if is_comparison(above):
            raise ConfigError(key, value, f"{allowed} (it is inside {above}, a comparison that "
                              "salessim-compare replaces whole when it compares again)")
        if above.name == OUT_NAME and is_sweep_folder(above.parent):
            raise ConfigError(key, value, f"{allowed} (it is inside {above}, where salessim-compare writes "
                              f"the comparison of the sweep {above.parent}, replacing the folder whole)")
        if (above / MANIFEST).is_file():
            raise ConfigError(key, value, f"{allowed} (it is inside {above}, the folder of a job's results)")


def refuse_a_run_inside_a_sweep(key: str, value: str) -> None:
    """SWEEP/9: a run's folder inside a sweep's read as a job the sweep never planned, which
    salessim-compare ranked and the sweep's own command could not resume."""
    inside = Path(os.path.abspath(value)).parent
    if is_sweep_folder(inside):
        raise ConfigError(key, value, "a folder of its own for the run, outside a sweep's folder "
                          f"({inside} is a sweep's, which would take the run for one of its jobs)")


def check_new_output_folder(path: Path, option: str) -> None:
    """Refuse, before any work, an output folder given by the user (``--out``, ``out_dir=``) that
    is a file, cannot be created, or already holds a job's results (writing there would replace a
    finished job's tables). Creating it is tried, and undone, so nothing is left behind."""
    allowed = "a new folder, or one without a salessim job's results"
    refuse_a_name_too_long(path, option, allowed)
    if os.path.normpath(path) == ".":  # '' reads as the current folder too
        raise UserError(f"{option} {str(path)!r} is not allowed: a folder of its own for the new "
                        "tables (the current folder is not one)")
    if path.exists() and not path.is_dir():
        raise UserError(f"{option} {path} is a file (allowed: {allowed})")
    if (path / MANIFEST).exists():
        raise UserError(f"{option} {path} already holds a job's results ({MANIFEST}); writing there "
                        f"would replace them (allowed: {allowed})")
    if is_sweep_folder(path):
        raise UserError(f"{option} {path} is a sweep's folder, which would then read as a single "
                        f"run (allowed: {allowed})")
    # as salessim refuses them for hydra.run.dir: tables in a sweep's folder read as a job it never
    # planned, and in a job's or a comparison's are in the way of the next run or comparison
    refuse_a_folder_inside_salessims(option, str(path))
    refuse_a_run_inside_a_sweep(option, str(path))
    refuse_someone_elses_folder(path, option)
    full = Path(os.path.abspath(path))
    missing = folders_missing(full)
    try:
        full.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"{option} {path} cannot be created: {e.strerror or e} "
                        f"(allowed: {allowed})") from None
    if not os.access(full, os.W_OK | os.X_OK):
        raise UserError(f"{option} {path} is not writable (allowed: {allowed})")
    remove_if_empty(missing)


def folders_missing(path: str | os.PathLike) -> list[Path]:
    """``path`` and the folders above it that do not exist yet, deepest first: those that making
    it makes (absolute, no '..' left: the folders made are the ones a remove_if_empty removes)."""
    full = Path(os.path.abspath(path))
    return [p for p in (full, *full.parents) if not p.exists()]


def remove_if_empty(folders: list[Path]) -> None:
    """Remove ``folders``, in their order (deepest first), each only if empty."""
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def read_parquet_checked(file: Path, read=pd.read_parquet):
    """read(file); any reader error means the same thing to a user: an unusable table."""
    try:
        return read(file)
    except Exception as e:  # pyarrow raises many types (ArrowInvalid, OSError, ...) for bad files
        raise UserError(f"{file.name} unreadable ({type(e).__name__})") from None


def os_error_said(e: OSError) -> str:
    """An OSError's reason in words: pyarrow's carry the errno inside a sentence of their own."""
    return os.strerror(e.errno) if e.errno else (e.strerror or str(e))


def written_as(path: Path) -> Path:
    """The file a temporary of _write_atomic stands for (.NAME.tmp-PID is NAME): what an error
    about it names."""
    m = re.fullmatch(r"\.(.+)\.tmp-\d+", path.name)
    return path.with_name(m.group(1)) if m else path


def _write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """``write`` to a temporary name beside ``path``, then rename it into place; a write that
    fails or is interrupted (Ctrl-C) leaves nothing behind."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_parquet_atomic(df: pd.DataFrame, path: Path) -> None:
    _write_atomic(path, lambda tmp: df.to_parquet(tmp, index=False))


def write_text_atomic(text: str, path: Path) -> None:
    _write_atomic(path, lambda tmp: tmp.write_text(text))


def _remove_temporaries(folder: Path) -> None:
    """The temporaries of a job's files that a killed process (SIGKILL, a power cut) could not
    remove; not a user's file of a similar name, nor one a live process is writing."""
    for name in (*(f"{t}.parquet" for t in TABLES), MANIFEST):
        for tmp in folder.glob(f".{name}.tmp-*"):
            pid = tmp.name.rpartition("-")[2]
            if tmp.is_file() and not (pid.isdigit() and process_alive(int(pid))):
                tmp.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


# Settings that change how a run is shown, resumed or spread over cores, never its tables.
PRESENTATION_KEYS = ("progress", "resume", "workers")
# A setting of the config that changes how the jobs are compared, never their tables.
BUDGET_SETTING = "experiment_budget_usd"
COMPARISON_KEYS = (BUDGET_SETTING,)
# The settings a resume lets differ from those a job's results were made with.
RUN_CONTROL = frozenset({*(f"sim.{k}" for k in PRESENTATION_KEYS), *COMPARISON_KEYS})


def config_hash(resolved: dict) -> str:
    """A fingerprint of everything that decides a run's tables."""
    sim = {k: v for k, v in resolved.get("sim", {}).items() if k not in PRESENTATION_KEYS}
    data = {**{k: v for k, v in resolved.items() if k not in COMPARISON_KEYS}, "sim": sim}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def job_manifest(out_dir: Path) -> dict | None:
    """The manifest of the job folder ``out_dir``, None when it holds none that can be read."""
    try:
        meta = json.loads((out_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def manifest_edited(meta: dict) -> bool:
    """Whether manifest ``meta``'s settings no longer give its fingerprint: edited by hand, so it
    vouches for nothing (salessim-rerun refuses it; a resume runs its job again)."""
    recorded = meta.get("config")
    return not isinstance(recorded, dict) or meta.get("config_hash") != config_hash(recorded)


def same_config(meta: dict, resolved: dict) -> bool:
    """Did the job of manifest ``meta`` run this config? Its fingerprint says so, or, for a job
    made before keys were added that this config holds at their defaults, its settings do
    (config.older_code_at_default); run-control keys aside. An edited manifest ran nothing."""
    if manifest_edited(meta):
        return False
    if meta.get("config_hash") == config_hash(resolved):
        return True
    from salessim.config import changed_settings  # the schema, for the keys' defaults

    return not [k for k, _, _ in changed_settings(meta["config"], resolved) if k not in RUN_CONTROL]


def is_complete(out_dir: Path, resolved: dict) -> bool:
    """Does ``out_dir`` hold every table of a finished run of this very config?"""
    meta = job_manifest(out_dir)
    if meta is None or not same_config(meta, resolved):
        return False
    # A table missing, unreadable or not as it was written: rerun the job.
    return not any(table_problem(out_dir / f"{name}.parquet", written_columns(meta, name))
                   for name in meta.get("tables", []))


def written_columns(meta: dict, table: str) -> list[str] | None:
    """The columns ``table`` was written with, as its manifest records them (None when it
    does not: a manifest of an older salessim)."""
    columns = meta.get("columns")
    found = columns.get(table) if isinstance(columns, dict) else None
    return found if isinstance(found, list) else None


def table_problem(file: Path, columns: list[str] | None = None) -> str | None:
    """None when ``file`` is a readable Parquet table (with exactly ``columns``, when given), else
    what is wrong with it."""
    try:
        names = pq.ParquetFile(file).schema_arrow.names
    except Exception as e:  # pyarrow raises several types (ArrowInvalid, OSError, ...)
        return "missing" if not file.exists() else f"unreadable ({type(e).__name__})"
    if columns is not None and names != columns:
        lost = [c for c in columns if c not in names]
        return ("not as it was written (" + (f"it lacks {', '.join(lost[:3])}" if lost else
                "its columns differ from its manifest's") + ")")
    return None


@functools.cache
def git_commit() -> str:
    """The commit of the salessim checkout that runs, "unknown" outside one: an installed copy (in
    site-packages, perhaps inside another project's work tree, whose commit is not salessim's)
    is a file that checkout does not track. Read once a process, near when it loaded the code: a
    sweep's workers read it again for each job, and one sweep, its code committed while it ran,
    was recorded as run by three versions (a sales-ops walk)."""
    root = Path(__file__).resolve().parent.parent
    try:
        subprocess.run(["git", "-C", str(root), "ls-files", "--error-unmatch", str(Path(__file__).resolve())],
                       capture_output=True, timeout=5, check=True)
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return out + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("salessim",) + _DEPENDENCIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def manifest(resolved: dict, *, scenario: str, started: str, events: int, tables: list[str],
             investments: dict[str, dict] | None = None,
             columns: dict[str, list[str]] | None = None,
             calibrated: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {
        "scenario": scenario,
        "seed": resolved["sim"]["seed"],
        "replications": resolved["sim"]["replications"],
        "config_hash": config_hash(resolved),
        "config": resolved,
        "investments": investments or {},
        "calibrated": calibrated or [],  # which fit each +calibrated=NAME held (applied_fits)
        "versions": package_versions(),
        "git_commit": git_commit(),
        "started_utc": started,
        "finished_utc": now_utc(),
        "simpy_events": events,
        "tables": tables,
        "columns": columns or {},
    }


def write_results(out_dir: Path, tables: dict[str, pd.DataFrame], manifest_data: dict) -> None:
    """Write a job's tables, then its manifest. A write that fails (a full disk, a mount lost at
    the end of a long run) takes back the tables it put in place, so that no job is half there,
    and says so in one line."""
    try:
        _write_results(out_dir, tables, manifest_data)
    except OSError as e:
        for name in (*(f"{t}.parquet" for t in tables), MANIFEST):  # the manifest too: a job is whole or none
            with contextlib.suppress(OSError):
                (out_dir / name).unlink(missing_ok=True)
        reason = os_error_said(e)
        failed = e.filename2 or e.filename
        if failed:
            reason += f": {written_as(Path(failed)).name}"
        raise UserError(f"cannot write the results to {out_dir}: {reason} (allowed: a folder you "
                        f"can write to, with room for the tables); nothing of this job was "
                        f"kept") from None


def _write_results(out_dir: Path, tables: dict[str, pd.DataFrame], manifest_data: dict) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_temporaries(out_dir)
    stale = out_dir / MANIFEST
    if stale.exists():
        stale.unlink()  # an old manifest must not vouch for the new tables
    for name in TABLES:
        old = out_dir / f"{name}.parquet"
        if name not in tables and old.exists():
            old.unlink()  # nor may an old table that this run did not write
    for name, df in tables.items():
        write_parquet_atomic(df, out_dir / f"{name}.parquet")
    write_text_atomic(json.dumps(manifest_data, indent=2, default=str), out_dir / MANIFEST)
    # Its time is when it was put in place, not when its temporary was written: a sweep orders its
    # finished jobs by it (cli._sweep_progress), and a job renamed later must come later.
    os.utime(out_dir / MANIFEST)
