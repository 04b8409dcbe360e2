"""One command at a time in an output folder.

Two commands started in the same second resolve the same time-stamped folder
(``results/runs/<time>``), and the second would silently replace the first one's tables. A
command therefore claims its folder before it runs: it creates a marker file that names its
process, which no other live command can create at the same time. A folder salessim chose by the
clock moves on to ``<time>_2``, ``<time>_3``…; a folder the user named is refused while another
command writes to it. A marker left by a killed command (its process gone) is taken over.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from salessim.errors import ConfigError

MARKER = ".salessim-writing"  # holds the process id of the command writing to the folder


@contextmanager
def claimed(key: str, folder: str, named_by_user: bool) -> Iterator[str]:
    """Hold ``folder`` (the value of ``key``, hydra.run.dir or hydra.sweep.dir) for this command;
    yields the folder claimed, which differs from ``folder`` only when salessim chose it."""
    base = Path(folder)
    for n in range(1, 1000):
        candidate = base if n == 1 else base.with_name(f"{base.name}_{n}")
        holder = _claim(candidate)
        if holder is None:
            break
        if named_by_user:
            raise ConfigError(key, folder, f"a folder no other salessim command is writing to "
                              f"(process {holder} is): wait for it to end, or choose another folder")
    try:
        yield str(candidate)
    finally:
        (candidate / MARKER).unlink(missing_ok=True)


def _claim(folder: Path) -> int | None:
    """Put the marker in ``folder``; None when claimed, else the live process holding it.

    The marker is written under a name of this process's own and linked into place, so that it
    never exists without its process id (a link fails if the marker is there already).
    """
    folder.mkdir(parents=True, exist_ok=True)
    marker, mine = folder / MARKER, folder / f"{MARKER}.{os.getpid()}"
    mine.write_text(str(os.getpid()))
    try:
        while True:
            try:
                _link(mine, marker)
                return None
            except FileExistsError:
                holder = _holder(marker)
                if holder is not None:
                    return holder
                marker.unlink(missing_ok=True)  # its command is gone: take the folder over
    finally:
        mine.unlink(missing_ok=True)


def _link(source: Path, target: Path) -> None:
    """Hard-link ``source`` to ``target``; on a file system without hard links, create ``target``
    exclusively and write the process id into it (a moment exists when it is empty)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        with os.fdopen(fd, "w") as f:
            f.write(str(os.getpid()))


def _holder(marker: Path) -> int | None:
    """The live process named in ``marker``, None if it is gone (or the marker unreadable)."""
    try:
        pid = int(marker.read_text().strip())
    except FileNotFoundError:
        return None  # released this instant
    except (OSError, ValueError):
        return None  # damaged: treated as gone
    if pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid  # alive, another user's
    return pid
