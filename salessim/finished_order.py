"""The order in which a sweep's jobs finish, as each job's "done" line counts it.

A job counts the finished jobs when it says it is done ("5 of 8 jobs finished"). Ordering them by
their manifests' times fails for jobs side by side: a file system stamps times by its clock's
tick (a few milliseconds), and two jobs whose manifests landed in one tick both said "1 of 2".
Each job therefore writes its folder's name to a log in the sweep's folder, ``.salessim-finished``,
under an exclusive lock, and reads there which jobs said so before it. Each line carries the
command's start (``SALESSIM_SWEEP_STARTED``), so a resumed sweep reads its own lines only, and the
seconds the job took, by which the jobs left are timed (cli._time_left).

On a system without POSIX file locks (Windows), where the log cannot be written or read, or where
another process holds the lock for seconds (a file system whose locks hang), the caller falls
back on the manifests' times.
"""

from __future__ import annotations

import json
import math
import time
from contextlib import suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system
    fcntl = None

FINISHED_LOG = ".salessim-finished"
# The seconds each job the command runs is expected to take (runner.expected_hours), by job folder,
# written by the command before its jobs start: the jobs left are timed by them (cli._time_left).
EXPECTED_FILE = ".salessim-expected"
SWEEP_RECORDS = (FINISHED_LOG, EXPECTED_FILE)  # the files salessim keeps in a sweep's folder
LOCK_TRIES, LOCK_PAUSE_S = 50, 0.1  # a job's results are written: its line waits 5 s at most


def finished_before(sweep: Path, job: str, started: str,
                    seconds: float = math.nan) -> dict[str, float] | None:
    """The job folders of ``sweep`` that said they finished before ``job`` in the command started
    at ``started`` (its SALESSIM_SWEEP_STARTED), without ``job``, each with the seconds it took
    (NaN where not said); ``job`` is added to the log with its ``seconds``. None where the log
    cannot be used."""
    if fcntl is None or not started:
        return None
    try:
        with open(sweep / FINISHED_LOG, "a+", encoding="utf-8", errors="replace") as log:
            for _ in range(LOCK_TRIES):
                try:
                    fcntl.flock(log, fcntl.LOCK_EX | fcntl.LOCK_NB)  # let go of when the file is closed
                    break
                except BlockingIOError:
                    time.sleep(LOCK_PAUSE_S)
            else:
                return None
            log.seek(0)
            before = [_said(line) for line in log.read().splitlines() if line.partition(" ")[0] == started]
            log.write(f"{started} {seconds:.3f} {job}\n")
            log.flush()
    except (OSError, ValueError):
        return None
    return {name: took for name, took in before if name != job}


def _said(line: str) -> tuple[str, float]:
    """(job folder, seconds it took) of a line: '<command's start> <seconds> <job folder>'. The
    folder comes last, whatever it holds (a space, in a folder named by hand)."""
    rest = line.partition(" ")[2]
    took, space, name = rest.partition(" ")
    try:
        return (name, float(took)) if space else (rest, math.nan)  # without its seconds: by hand
    except ValueError:
        return rest, math.nan


def write_expected(sweep: Path, started: str, seconds: dict[str, float]) -> None:
    """EXPECTED_FILE for the command started at ``started``: ``seconds`` each job folder is expected
    to take. Where it cannot be written, the jobs' time left rests on the seconds they took alone
    (an earlier command's file is not read: its start is another)."""
    with suppress(OSError):
        (sweep / EXPECTED_FILE).write_text(json.dumps({"started": started, "seconds": seconds}),
                                           encoding="utf-8")


def expected_of(sweep: Path, started: str) -> dict[str, float] | None:
    """The seconds each job of the command started at ``started`` is expected to take, by folder;
    None where the file is not this command's, or cannot be read."""
    with suppress(OSError, ValueError, TypeError, AttributeError, KeyError):
        held = json.loads((sweep / EXPECTED_FILE).read_text(encoding="utf-8"))
        # as numbers: Hydra hands the jobs the command's start as a float (1796539976.880 as ...976.88)
        if float(held["started"]) == float(started):
            return {str(name): float(x) for name, x in held["seconds"].items()}
    return None
