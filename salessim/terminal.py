"""Lines for a reader at a terminal: wrapped at its width, with the lines after the first indented
further; into a file or a pipe, one line, for a reader to grep it whole."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Sequence
from typing import TextIO


def terminal_width(stream: TextIO | None = None) -> int | None:
    """The columns of the terminal ``stream`` (stdout by default) goes to (COLUMNS first, as shells
    set it); None into a file or a pipe, or when the terminal does not say (0 columns). Measured
    on ``stream`` itself: stderr's terminal, not stdout's, when stdout goes to a file."""
    stream = sys.stdout if stream is None else stream
    try:
        if not stream.isatty():
            return None
        columns = int(os.environ.get("COLUMNS", "0"))
    except (AttributeError, ValueError):  # a stream without a file, or closed; COLUMNS not a number
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, ValueError, OSError):
        return None


def wrapped(note: str, width: int | None, indent: str = "  ", whole: Sequence[str] = ()) -> str:
    """``note`` after ``indent``; at a ``width``, wrapped there with the lines after the first
    indented two more, never inside the folders ``whole`` names, which a reader copies from the
    terminal (`my results/sweep one`). Without one (a file or a pipe), one line."""
    if width is None:
        return f"{indent}{note}"
    # its spaces as NULs, which textwrap does not break at (the longest first: one may hold another)
    for folder in sorted(whole, key=len, reverse=True):
        note = note.replace(folder, folder.replace(" ", "\0"))
    return textwrap.fill(note, width, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False).replace("\0", " ")


def terminal_line(line: str, stream: TextIO | None = None, whole: Sequence[str] = ()) -> str:
    """A command's line (``salessim: ...``) as ``stream`` shows it: wrapped at its terminal's width,
    else whole (``wrapped``)."""
    return wrapped(line, terminal_width(stream), indent="", whole=whole)
