"""The order in which a sweep's jobs finish, as each job's "done" line counts it.

A job counts the finished jobs when it says it is done ("5 of 8 jobs finished"). Ordering them by
their manifests' times fails for jobs side by side: a file system stamps times by its clock's
tick (a few milliseconds), and two jobs whose manifests landed in one tick both said "1 of 2".
Each job therefore writes its folder's name to a log in the sweep's folder, ``.salessim-finished``,
under an exclusive lock, and reads there which jobs said so before it. Each line carries the
command's start (``SALESSIM_SWEEP_STARTED``), so a resumed sweep reads its own lines only.

On a system without POSIX file locks (Windows), or where the log cannot be written, the caller
falls back on the manifests' times.
"""

from __future__ import annotations

from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system
    fcntl = None

FINISHED_LOG = ".salessim-finished"


def finished_before(sweep: Path, job: str, started: str) -> list[str] | None:
    """The job folders of ``sweep`` that said they finished before ``job`` in the command started
    at ``started`` (its SALESSIM_SWEEP_STARTED), ``job`` then added; None where the log cannot
    be used."""
    if fcntl is None or not started:
        return None
    try:
        with open(sweep / FINISHED_LOG, "a+", encoding="utf-8") as log:
            fcntl.flock(log, fcntl.LOCK_EX)  # let go of when the file is closed
            log.seek(0)
            before = [line.partition(" ")[2] for line in log.read().splitlines()
                      if line.partition(" ")[0] == started]
            log.write(f"{started} {job}\n")
            log.flush()
    except OSError:
        return None
    return [name for name in before if name != job]
