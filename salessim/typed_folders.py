"""Folders on a command line: read as a shell user means them, and written back, in messages, as
a setting they can paste.

'~' at the start of a folder typed on a command line means the home folder, as a shell reads
it, in every command. Hydra's overrides do not expand it (its grammar refuses it unquoted, and
quoted it named a folder '~' in the working folder), and pandas expands it where pathlib does
not: a sweep written to ./~/sweep was then compared with the tables of another sweep in the
home folder, under its own jobs' names."""

from __future__ import annotations

import argparse
import os
import re
import shlex
from pathlib import Path

from salessim.errors import UserError

# The overrides whose values are folders or files a user types.
FOLDER_KEYS = ("hydra.sweep.dir", "hydra.run.dir", "calibration.targets_file")
# A folder that reads as itself on a command line and in an override (else it is quoted for both).
_PLAIN_PATH = re.compile(r"[\w./@+:-]+")


def typed_folder(text: str, name: str = "") -> Path:
    """A folder argument of salessim-compare or salessim-rerun (``name``: the argument's, for a
    message argparse does not prefix with it), '~' expanded. An empty one is
    refused: as a path it reads as the current folder, and was refused by that name, '.'."""
    if not text.strip():
        raise _EmptyPath(f"{name} {text!r} is not allowed: a folder's path, not an empty value".lstrip())
    return Path(text).expanduser()


class _EmptyPath(UserError, argparse.ArgumentTypeError):
    """Said by argparse for an argument it reads, and as a UserError by a command reading one."""


def with_home_expanded(argv: list[str]) -> list[str]:
    """The command line with '~' expanded at the start of each FOLDER_KEYS value (with or without
    '+' or '++', quoted or not), and of each of several values typed unquoted (refused later as a
    sweep of Hydra's folder: quoted whole, they were one folder named 'HOME/a,~/b'); each value the
    expansion leaves unreadable to Hydra unquoted (a home folder with a space) is quoted."""
    out = []
    for arg in argv:
        key, eq, value = arg.partition("=")
        quote = value[0] if len(value) > 1 and value[0] in "'\"" and value[-1] == value[0] else ""
        inner = value[1:-1] if quote else value
        if eq and key.lstrip("+") in FOLDER_KEYS and inner.startswith("~"):
            if quote:  # one folder
                arg = f"{key}={hydra_quoted(os.path.expanduser(inner))}"
            else:  # each of several, which a sweep or a single run's check then refuses in its words
                values = [os.path.expanduser(v) if v.startswith("~") else v for v in value.split(",")]
                arg = f"{key}=" + ",".join(v if _PLAIN_PATH.fullmatch(v) else hydra_quoted(v) for v in values)
        out.append(arg)
    return out



def hydra_quoted(value: str) -> str:
    """``value`` as a quoted string of Hydra's override grammar, read back as it is whatever
    characters a path holds: inside quotes a backslash counts only before a quote or before the
    ``${`` of an interpolation, which must stay text."""
    value = re.sub(r"(\\*)\$\{", lambda m: "\\" * (2 * len(m[1]) + 1) + "${", value)
    value = re.sub(r"(\\*)('|$)", lambda m: m[1] * 2 + ("\\'" if m[2] else ""), value)
    return f"'{value}'"


def folder_setting(key: str, folder: str | os.PathLike) -> str:
    """``key=folder`` as a user pastes it into a shell: quoted for Hydra, then for the shell (in
    double quotes where nothing in it is special to them), where the folder needs it."""
    folder = str(folder)
    if _PLAIN_PATH.fullmatch(folder):
        return f"{key}={folder}"
    return for_the_shell(f"{key}={hydra_quoted(folder)}")


def for_the_shell(setting: str) -> str:
    """A setting quoted for the shell, to be pasted as one word that reaches Hydra whole: in double
    quotes where nothing in it is special to them, else in single quotes (bash expands '!', '$'
    and '`' inside double quotes, and a backslash before '$', '`', '"', a backslash or the end; a
    backslash before a quote, as Hydra escapes one, stays as it is)."""
    return shlex.quote(setting) if re.search(r'["$`!]|\\(?=[$`"\\\n]|$)', setting) else f'"{setting}"'
