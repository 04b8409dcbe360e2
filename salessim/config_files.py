"""The config files a command reads, found and read the way Hydra finds and reads them.

Hydra searches the shipped config folder first, then the folders of ``hydra.searchpath`` (with
``-cd DIR`` first among them), and places a file's content at the package its ``# @package``
header names. Its own errors about those files name neither the file nor the value, and a user's
file that has a shipped file's name is ignored in silence. The errors of
:mod:`salessim.compose` use what is here to name both.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def searchpath_entries(overrides: list[str]) -> list[str]:
    """The entries of the command line's hydra.searchpath, as typed."""
    return [entry.strip().strip("'\"") for o in overrides if o.startswith("hydra.searchpath=")
            for entry in o.split("=", 1)[1].strip("[]").split(",")]


def searchpath_folders(overrides: list[str]) -> list[tuple[str, str]]:
    """(entry as typed, folder) for the folders of the command line's hydra.searchpath: file://DIR
    entries, and entries with no scheme, which Hydra reads as folders too (pkg:// are packages)."""
    folders = []
    for entry in searchpath_entries(overrides):
        if entry.startswith("file://"):
            folders.append((entry, entry[len("file://"):]))
        elif entry and "://" not in entry:
            folders.append((entry, entry))
    return folders


def config_folders(overrides: list[str]) -> list[Path]:
    """The folders Hydra reads configs from, in the order it searches them."""
    return [CONFIG_DIR, *(Path(folder) for _, folder in searchpath_folders(overrides))]


def find_config(group: str, name: str, overrides: list[str]) -> Path | None:
    """The file Hydra reads for ``group=name``: the first GROUP/NAME.yaml of the search path."""
    for folder in config_folders(overrides):
        file = folder / group / f"{name}.yaml"
        if file.is_file():
            return file
    return None


def own_options(group: str, overrides: list[str]) -> list[str]:
    """The names of the configs of ``group`` in the search path's folders (not the shipped ones)."""
    return sorted({file.stem for folder in config_folders(overrides)[1:]
                   for file in (folder / group).glob("*.yaml")})


def shadowed_config(folder: Path) -> tuple[str, str] | None:
    """(group, name) of the first file of ``folder`` at GROUP/NAME.yaml that the shipped configs
    also have: Hydra searches the shipped folder first, whatever hydra.searchpath says."""
    if folder.resolve() == CONFIG_DIR:
        return None
    for shipped in sorted(CONFIG_DIR.glob("*/*.yaml")):
        if (folder / shipped.parent.name / shipped.name).is_file():
            return shipped.parent.name, shipped.stem
    return None


def placed_content(file: Path, group: str, name: str) -> Any:
    """A config file's content placed at its package, from the config's root: what it sets, as
    Hydra merges it (the group's own package by default, ``_global_`` for the root, ``_name_``
    for the config's name). None when the file cannot be read."""
    try:
        text = file.read_text()
        node = yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError):  # ValueError: not UTF-8
        return None
    package = (package_header(text) or "_group_").replace("_group_", group)
    package = package.replace("_name_", name).replace("_global_", "").strip(".")
    for part in reversed(package.split(".") if package else []):
        node = {part: node}
    return node


def package_header(text: str) -> str | None:
    """The package of a config file's ``# @package PACKAGE`` header, read as Hydra reads it: from
    the ``# @KEY VALUE`` lines at the top, blank lines skipped, up to the first other line."""
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if not re.match(r"#\s*@", line):
            return None
        key, _, value = line.lstrip("#").strip().partition(" ")
        if key == "@package":
            return value.strip()
    return None


def chosen_files(overrides: list[str]) -> list[tuple[Path, str, str]]:
    """(file, group, name) of every config the command line chooses by name that one of the
    search path's folders holds (``org=acme``, ``investment=[a,b]``): the user's own files, whose
    values Hydra's errors do not show. The shipped files are checked by the tests."""
    found = []
    for o in overrides:
        key, _, value = o.lstrip("+").partition("=")
        if not key or "." in key or "/" in key or key.startswith("~"):
            continue
        for name in re.findall(r"[\w.-]+", value):
            file = find_config(key, name, overrides)
            if file is not None and not file.is_relative_to(CONFIG_DIR):
                found.append((file, key, name))
    return found


def value_in_files(key: str, overrides: list[str]) -> tuple[Path, Any] | None:
    """(file, value) of the last of the user's chosen files that sets the dotted ``key``; None
    when none does."""
    hit = None
    for file, group, name in chosen_files(overrides):
        node = placed_content(file, group, name)
        for part in key.split("."):
            node = node.get(part, _ABSENT) if isinstance(node, dict) else _ABSENT
        if node is not _ABSENT:
            hit = (file, node)
    return hit


_ABSENT = object()
