"""One command at a time in an output folder.

Two commands started in the same second resolve the same time-stamped folder
(``results/runs/<time>``), and the second would silently replace the first one's tables. A
command therefore claims its folder before it runs: it holds a lock on a marker file in it,
``.salessim-writing``, which no other command can take while it runs. The operating system lets
go of the lock when the command ends, however it ends, so a killed command leaves nothing that
blocks the next one. A folder salessim chose by the clock moves on to ``<time>_2``, ``<time>_3``…;
a folder the user chose is refused while another command writes to it.

On a system without POSIX file locks (Windows) folders are not claimed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from salessim.errors import ConfigError, UserError
from salessim.finished_order import EXPECTED_FILE

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system
    fcntl = None

MARKER = ".salessim-writing"  # locked by the command writing to the folder; holds its process id
MOST_TRIES = 100


@contextmanager
def claimed(key: str, folder: str, chosen_by_clock: bool) -> Iterator[str]:
    """Hold ``folder`` (the value of ``key``, hydra.run.dir or hydra.sweep.dir) for this command;
    yields the folder claimed, which differs from ``folder`` only when the clock chose it."""
    if fcntl is None:
        yield folder
        return
    base = Path(folder)
    for n in range(1, MOST_TRIES + 1):
        candidate = base if n == 1 else base.with_name(f"{base.name}_{n}")
        if candidate.exists() and not candidate.is_dir():
            if chosen_by_clock:
                continue
            raise ConfigError(key, folder, "a folder (this is a file)")
        created = not candidate.exists()
        fd = _lock(candidate)
        if fd is None:
            if chosen_by_clock:
                continue
            raise ConfigError(key, folder, "a folder no other salessim command is writing to (one "
                              f"holds {candidate / MARKER}): wait for it to end, or choose another folder")
        # Checked again under the lock: a command of the same second may have finished there
        # since this one's checks ran. The clock's folder must be new; the user's was checked.
        if chosen_by_clock and any(p.name != MARKER for p in candidate.iterdir()):
            _release(candidate, fd, created=False)
            continue
        break
    else:
        raise UserError(f"{key}={folder} is not allowed: a folder no other command is writing to "
                        f"({MOST_TRIES} folders of that name are taken); choose another folder")
    try:
        yield str(candidate)
    finally:
        _release(candidate, fd, created)


def being_written(folder: Path) -> bool:
    """Whether a salessim command holds ``folder`` now (a sweep still running there): its marker
    names a live process. Read, not locked: a lock taken to look would turn away a command
    claiming the folder at that moment."""
    try:
        pid = int((folder / MARKER).read_text())
        os.kill(pid, 0)  # signal 0: is it there?
    except PermissionError:  # there, another user's
        return True
    except (OSError, ValueError):  # no marker (none, or one that ended), one being written, or gone
        return False
    return True


# What Hydra writes into a run's folder before the run: its record of the job, and the job's log.
HYDRA_RECORD = frozenset({"config.yaml", "hydra.yaml", "overrides.yaml"})
SWEEP_RECORD = "multirun.yaml"  # Hydra's record of a sweep, written before its first job starts


def _release(folder: Path, fd: int, created: bool) -> None:
    """Remove the marker before letting go of the lock (see _lock); a folder the claim created
    that holds nothing but what Hydra wrote before the run (Ctrl-C before or during a run, which
    writes its tables when it finishes) goes too."""
    if created:  # while still held: another command claiming the folder now keeps its own record
        try:
            drop_hydras_record_alone(folder)
        except OSError:
            pass
    (folder / MARKER).unlink(missing_ok=True)
    os.close(fd)
    if created:
        try:
            folder.rmdir()  # only if empty
        except OSError:
            pass


def drop_hydras_record_alone(folder: Path) -> None:
    """Remove Hydra's record of the job (.hydra, or hydra.output_subdir: a folder of its files
    alone) and an empty log from ``folder`` if they are all it holds (its marker aside): a run
    that ended without results leaves no folder behind. A log with lines in it, or anything
    else, keeps the folder whole."""
    entries = [e for e in folder.iterdir() if e.name != MARKER]
    records = [e for e in entries if e.is_dir() and not e.is_symlink()
               and set() < {f.name for f in e.iterdir()} <= HYDRA_RECORD]
    logs = [e for e in entries if e.is_file() and e.suffix == ".log" and e.stat().st_size == 0]
    if not entries or len(records) + len(logs) != len(entries):
        return
    for record in records:
        for f in record.iterdir():
            f.unlink()
        record.rmdir()
    for log in logs:
        log.unlink()


def drop_sweep_record_alone(folder: Path) -> None:
    """Remove a sweep's multirun.yaml from ``folder`` if it is all the folder holds (its marker
    and the jobs' expected seconds aside, which go with it). Only for a sweep refused once Hydra
    had written it, before any job started (a launcher that could not start), or stopped before
    any job finished, off Ray: a sweep on Ray with no job folder here may have its jobs' folders
    elsewhere (Ray's nodes), and a resume or a comparison reads that record."""
    entries = [e for e in folder.iterdir() if e.name != MARKER]
    # with the seconds its jobs were expected to take (finished_order.py), written before they start
    if (entries and {e.name for e in entries} <= {SWEEP_RECORD, EXPECTED_FILE}
            and all(e.is_file() and not e.is_symlink() for e in entries)):
        for e in entries:
            e.unlink()


def _lock(folder: Path) -> int | None:
    """The open, locked marker of ``folder``; None when another live command holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / MARKER
    while True:
        fd = os.open(marker, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            # A command that ended removed its marker before letting go of the lock: if the file
            # locked is no longer the one at the path, lock the one that is.
            try:
                current = os.stat(marker).st_ino
            except FileNotFoundError:
                current = None
            if current == os.fstat(fd).st_ino:
                os.ftruncate(fd, 0)
                os.write(fd, str(os.getpid()).encode())
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
