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
SWEEPER_PARAMS = "hydra.sweeper.params"  # a sweep's own keys and values, as an experiment sets them


def searchpath_entries(overrides: list[str]) -> list[str]:
    """The entries of the command line's hydra.searchpath, as typed. The overrides of a sweep's
    jobs carry them as Hydra escapes them (file\\:///...), and lose the escapes here."""
    return [re.sub(r"\\(.)", r"\1", entry.strip().strip("'\""))
            for o in overrides if o.startswith("hydra.searchpath=")
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
        try:
            if file.is_file():
                return file
        except OSError:  # a name longer than the system looks up: no file of the user's
            continue
    return None


def own_options(group: str, overrides: list[str]) -> list[str]:
    """The names of the configs of ``group`` in the search path's folders (not the shipped ones)."""
    return sorted({file.stem for folder in config_folders(overrides)[1:]
                   for file in (folder / group).glob("*.yaml")})


def shadowed_config(folder: Path) -> tuple[str, str] | None:
    """(group, name) of the first file of ``folder`` at GROUP/NAME.yaml that the shipped configs
    also have, or ('', name) for a primary config's name (config.yaml): Hydra searches the shipped
    folder first, whatever hydra.searchpath says."""
    if folder.resolve() == CONFIG_DIR:
        return None
    for shipped in sorted(CONFIG_DIR.glob("*.yaml")):
        if (folder / shipped.name).is_file():
            return "", shipped.stem
    for shipped in sorted(CONFIG_DIR.glob("*/*.yaml")):
        if (folder / shipped.parent.name / shipped.name).is_file():
            return shipped.parent.name, shipped.stem
    return None


class TruthsAsWritten(yaml.SafeLoader):
    """A YAML loader that reads only true and false as booleans: an unquoted yes, no, on or off
    stays the text written, which OmegaConf (as YAML 1.1) would read as true or false."""


TruthsAsWritten.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
TruthsAsWritten.add_implicit_resolver("tag:yaml.org,2002:bool",
                                      re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def placed_content(file: Path, group: str, name: str, loader: type = yaml.SafeLoader) -> Any:
    """A config file's content placed at its package, from the config's root: what it sets, as
    Hydra merges it (the group's own package by default, ``_global_`` for the root, ``_name_``
    for the config's name). None when the file cannot be read."""
    try:
        text = file.read_text()
        node = yaml.load(text, Loader=loader)
    except (OSError, ValueError, yaml.YAMLError):  # ValueError: not UTF-8
        return None
    package = placed_at(package_header(text), group, name)
    for part in reversed(package.split(".") if package else []):
        node = {part: node}
    return node


def placed_at(header: str | None, group: str, name: str) -> str:
    """The dotted key a file of ``group/name`` with package ``header`` puts its keys under ("" for
    the config's root), as Hydra places it (no header: the group's own)."""
    package = (header or "_group_").replace("_group_", group)
    return package.replace("_name_", name).replace("_global_", "").strip(".")


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


BOM = "\ufeff"  # a UTF-8 byte-order mark, which some editors write at the start of a file


def chosen_files(overrides: list[str]) -> list[tuple[Path, str, str]]:
    """(file, group, name) of every config of the user's own that the command line chooses
    (``org=acme``, ``investment=[a,b]``), and those its files choose in turn through their
    defaults lists (``- override /org: acme`` in an experiment), each after the files it was
    chosen by, roughly the order Hydra merges them in. The shipped files are checked by the tests."""
    found: list[tuple[Path, str, str]] = []

    def choose(group: str, names: object, depth: int = 0) -> None:
        for name in names if isinstance(names, list) else [names]:
            file = find_config(group, str(name), overrides) if isinstance(name, str) else None
            if file is None or any(file == f for f, _, _ in found) or depth > _DEFAULTS_DEPTH:
                continue
            if not file.is_relative_to(CONFIG_DIR):
                found.append((file, group, str(name)))
            for chosen_group, chosen in defaults_choices(file, group):
                choose(chosen_group, chosen, depth + 1)

    for o in overrides:
        key, _, value = o.lstrip("+").partition("=")
        if key and "." not in key and "/" not in key and not key.startswith("~"):
            choose(key, re.findall(r"[\w.-]+", value))
    return found


_DEFAULTS_DEPTH = 5  # defaults lists that choose configs that choose configs ...: enough


def defaults_choices(file: Path, group: str) -> list[tuple[str, object]]:
    """(group, name or names) that a config file's defaults list chooses: ``- override /org:
    acme`` and ``- /org: acme`` for a group from the root, ``- /experiment/fsm_span`` for a file
    of one included whole (a review: its investments, headers and choices went unread), ``- crm``
    for a config of its own group (an investment that builds on another)."""
    out: list[tuple[str, object]] = []
    for entry in _defaults_list(file):
        if isinstance(entry, str) and entry.startswith("/") and entry.count("/") == 2:
            out.append(tuple(entry[1:].split("/")))  # - /experiment/NAME: a file included from the root
        elif isinstance(entry, str) and entry != "_self_":
            out.append((group, entry))
        elif isinstance(entry, dict):
            out += [(chosen, value) for chosen, _, value in _root_choices(entry)]
    return out


def _root_choices(entry: dict) -> list[tuple[str, str, object]]:
    """(group, key as written, name or names) of each group from the root that an entry of a
    defaults list chooses (``override /org: acme``, ``/org: acme``)."""
    found = []
    for key, value in entry.items():
        group = str(key).removeprefix("override ").strip()
        if group.startswith("/"):
            found.append((group[1:], str(key), value))
    return found


def _defaults_list(file: Path) -> list:
    """A config file's defaults list, as written; [] when it has none or cannot be read."""
    try:
        defaults = yaml.safe_load(file.read_text()).get("defaults") or []
    except (OSError, ValueError, AttributeError, yaml.YAMLError):
        return []
    return defaults if isinstance(defaults, list) else []


def groups_chosen_in(file: Path) -> list[tuple[str, str, object]]:
    """(group, key as written, name or names) of each group from the root that a config file's
    defaults list chooses."""
    return [found for entry in _defaults_list(file) if isinstance(entry, dict)
            for found in _root_choices(entry)]


def files_setting(key: str, overrides: list[str],
                  loader: type = yaml.SafeLoader) -> list[tuple[Path, Any]]:
    """(file, value) of each of the user's chosen files that sets the dotted ``key``, each file read
    with ``loader`` (TruthsAsWritten: a yes as written)."""
    hits = []
    for file, group, name in chosen_files(overrides):
        node = placed_content(file, group, name, loader)
        for part in key.split("."):
            node = node.get(part, _ABSENT) if isinstance(node, dict) else _ABSENT
        if node is not _ABSENT:
            hits.append((file, node))
    return hits


def file_sweeping(key: str, overrides: list[str]) -> tuple[Path, Any] | None:
    """The last of the user's chosen files whose ``hydra.sweeper.params`` sweeps ``key`` (an
    experiment's; a key there holds dots, so it is no dotted path), and the values it gives, as
    written."""
    found = None
    for file, params in files_setting(SWEEPER_PARAMS, overrides):
        for swept, values in params.items() if isinstance(params, dict) else ():
            if str(swept).lstrip("+~") == key.lstrip("+~"):
                found = file, values
    return found


def file_that_set(key: str, value: Any, overrides: list[str]) -> Path | None:
    """The last of the user's chosen files that sets ``key`` to ``value`` (a mapping: to entries
    that ``value`` holds, since the configured one is merged in); None when none does."""
    return last_setting(files_setting(key, overrides), value)


def last_setting(hits: list[tuple[Path, Any]], value: Any) -> Path | None:
    """The file of the last of ``hits`` (files_setting) whose value is ``value``, as
    file_that_set matches it."""
    def same(written: Any) -> bool:
        if isinstance(written, dict) and isinstance(value, dict):
            return all(k in value and same_value(v, value[k]) for k, v in written.items())
        return same_value(written, value)
    return next((file for file, written in reversed(hits) if same(written)), None)


def same_value(written: Any, value: Any) -> bool:
    """Whether a file's value is the one an error reports: as written, as text (OmegaConf's
    messages quote it), or as the same number (250 and 250.0)."""
    if written == value or str(written) == str(value):
        return True
    try:
        return float(written) == float(value)
    except (TypeError, ValueError):
        return False


_ABSENT = object()
