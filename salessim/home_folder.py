"""'~' at the start of a folder typed on a command line means the home folder, as a shell reads
it, in every command. Hydra's overrides do not expand it (its grammar refuses it unquoted, and
quoted it named a folder '~' in the working folder), and pandas expands it where pathlib does
not: a sweep written to ./~/sweep was then compared with the tables of another sweep in the
home folder, under its own jobs' names."""

from __future__ import annotations

import os
import re
from pathlib import Path

# The overrides whose values are folders or files a user types.
FOLDER_KEYS = ("hydra.sweep.dir", "hydra.run.dir", "calibration.targets_file")
_PLAIN = re.compile(r"[\w/.\-]*")  # what Hydra reads in a value unquoted, for a path


def typed_folder(text: str) -> Path:
    """A folder argument of salessim-compare or salessim-rerun, '~' expanded."""
    return Path(text).expanduser()


def with_home_expanded(argv: list[str]) -> list[str]:
    """The command line with '~' expanded at the start of each FOLDER_KEYS value (with or without
    '+' or '++', quoted or not); a value the expansion leaves unreadable to Hydra unquoted is
    quoted."""
    out = []
    for arg in argv:
        key, eq, value = arg.partition("=")
        quote = value[0] if len(value) > 1 and value[0] in "'\"" and value[-1] == value[0] else ""
        inner = value[1:-1] if quote else value
        if eq and key.lstrip("+") in FOLDER_KEYS and inner.startswith("~"):
            expanded = os.path.expanduser(inner)
            quote = quote or ("" if _PLAIN.fullmatch(expanded) else "'")
            arg = f"{key}={quote}{expanded}{quote}"
        out.append(arg)
    return out
