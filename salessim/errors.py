"""User-facing errors: one readable line, exit status 2, no traceback."""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

EXIT_BAD_INPUT = 2
EXIT_READER_GONE = 141  # 128 + SIGPIPE, what a shell reports for `yes | head`
# The longest file or folder name: 255 bytes on Linux's file systems, 255 characters on macOS's
# and Windows' (APFS, NTFS).
NAME_MAX = 255


def first_few(items: list[str], shown: int = 3, sep: str = ", ") -> str:
    """``items`` joined for a message, the first ``shown`` of them and how many more. Items joined
    by another separator than a comma are phrases of their own, so the count takes it too
    ("a; b; c; and 4 more"), not to be read as part of the last."""
    more = len(items) - shown
    if more <= 0:
        return sep.join(items)
    return sep.join(items[:shown]) + (" and" if sep == ", " else sep + "and") + f" {more} more"


def nearest_name(word: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The name of ``known`` a mistyped ``word`` most likely meant, for a "did you mean": the same
    letters in another case (Fsm for fsm), else the one name of the same words in another order
    (cycle_days_median for median_cycle_days), else the one name it is the start of (span for
    span_of_control; at least 3 letters), else the closest spelling by difflib's ratio, if at
    least ``cutoff``; None when none is near."""
    by_lower = {name.lower(): name for name in known}
    typed = word.lower()
    if typed in by_lower:
        return by_lower[typed]
    # the same words in another order: cycle_days_median for median_cycle_days
    words = sorted(typed.split("_"))
    reordered = [name for lower, name in by_lower.items() if sorted(lower.split("_")) == words]
    if len(words) > 1 and len(reordered) == 1:
        return reordered[0]
    started = [name for lower, name in by_lower.items() if lower.startswith(typed)]
    if len(typed) >= 3 and len(started) == 1:
        return started[0]
    near = difflib.get_close_matches(typed, list(by_lower), n=1, cutoff=cutoff)
    return by_lower[near[0]] if near else None


def names_quoted(names: Sequence[str]) -> str:
    """'a', 'b', 'c': names as a message lists what is allowed."""
    return ", ".join(repr(n) for n in names)


def too_long_name(path: str | os.PathLike) -> int | None:
    """The length of ``path``'s longest name when it is longer than a file or folder name can be
    (the system refuses even to look such a path up: ``Path.exists`` raises); else None."""
    size = (lambda part: len(os.fsencode(part))) if sys.platform.startswith("linux") else len
    longest = max(map(size, Path(path).parts), default=0)
    return longest if longest > NAME_MAX else None


def refuse_a_name_too_long(path: str | os.PathLike, what: str, allowed: str) -> None:
    longest = too_long_name(path)
    if longest:
        unit = "bytes" if sys.platform.startswith("linux") else "characters"
        raise UserError(f"{what} {shown_value(os.fspath(path))} has a name of {longest} {unit} (allowed: "
                        f"{allowed}, with names of at most {NAME_MAX} {unit})")


def why_no_folder_can_be_made(path: str | os.PathLike) -> str:
    """Why salessim cannot make a folder at ``path`` and write in it ("" when it can): the system
    cannot look the path up (a path too long), the nearest part of it that exists is not a folder,
    or no folder can be made there. Making one is tried, and removed at once: run as root,
    os.access says yes of /proc and of a read-only file system, where making one fails."""
    full = Path(path).absolute()
    try:
        existing = next(p for p in (full, *full.parents) if _is_there(p))
    except OSError as e:
        return e.strerror
    if not existing.is_dir():
        return f"{existing} is not a folder"
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".salessim-check-", dir=existing))
    except OSError as e:
        return f"cannot create a folder in {existing}: {e.strerror}"
    return ""


def _is_there(path: Path) -> bool:
    """Whether ``path`` exists (a link, even one to nothing, does); raises what else the system
    says of it (a path too long), which os.path.lexists would take for 'not there'."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # under a file: what is there is looked for above
        return False
    return True


class UserError(Exception):
    """Bad input from the user (config, overrides, files). Reported as one line."""

    def __init__(self, message: str) -> None:
        self.message = " ".join(message.split())  # always one line, str(error) too
        super().__init__(self.message)


class ConfigError(UserError):
    """A config value that is not allowed: names the key, the value and what is allowed."""

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key, self.value, self.allowed = key, value, allowed
        hint = _as_a_number(key, value, allowed)
        super().__init__(f"{key}={shown_value(value)} is not allowed: {allowed}{hint}")


def meant_key_said(meant: str, value: Any = None) -> str:
    """"did you mean sim.replications=3? ": the whole key a mistyped one most likely meant, with
    the value typed where it is short enough to copy (a sales-ops walk was told 'did you mean
    replications?' of sim.replicatons=3, a part to put back in place by hand)."""
    scalar = isinstance(value, (str, int, float, bool))  # a mapping's or a list's text is not Hydra's
    shown = f"={shown_value(value)}" if scalar else ""
    return f"did you mean {meant}{'' if shown.endswith('...') else shown}? "


# A number a person writes with a unit a config value cannot hold: 500k, 1.5M, 70%.
_SHORTHAND = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmM%])\s*")


def _as_a_number(key: str, value: Any, allowed: str) -> str:
    """For a number refused as text because it carries a unit ('500k', '1.5M', '70%'), where a
    number is allowed: the number to write instead ('; write 500000'), which salessim-compare's
    --budget reads and a config value does not (a sales-ops walk typed experiment_budget_usd=500k)."""
    if not allowed.startswith(("a number", "an integer")):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _as_a_share(value, allowed)
    found = isinstance(value, str) and _SHORTHAND.fullmatch(value)
    if not found:
        return ""
    unit = found.group(2).lower()
    top = re.search(r"<= ([0-9.e+]+)", allowed)
    bottom = re.search(r">=? ([0-9.e+-]+)", allowed)
    # k and M are money's (m is months elsewhere), % a share's (a range that ends at 1)
    if (unit == "%") != bool(top and float(top.group(1)) == 1.0) or unit != "%" and "_usd" not in key:
        return ""
    number = float(found.group(1)) * {"k": 1e3, "m": 1e6, "%": 1e-2}[unit]
    if (top and number > float(top.group(1)) or bottom and number < float(bottom.group(1))
            or allowed.startswith("an integer") and not number.is_integer()):
        return ""  # a hint must not name a value refused in turn
    return f"; write {f'{number:.6f}'.rstrip('0').rstrip('.')}"


def _as_a_share(value: float, allowed: str) -> str:
    """For a share typed as a whole percentage (market.gross_margin=70 where at most 1 is allowed):
    the share to write, where it is allowed (a strategist's walk found none said)."""
    top = re.search(r"<= ([0-9.]+)", allowed)
    bottom = re.search(r">=? ([0-9.]+)", allowed)
    share = value / 100
    # a whole percentage: 1.5 for a share is no more likely 1.5% than a slip (a review)
    if (not top or float(top.group(1)) > 1.0 or not 2 <= value <= 100 or value != int(value)
            or share > float(top.group(1)) or bottom and share < float(bottom.group(1))):
        return ""
    return f"; for {value:g}% write {share:g}"


class AsTyped(str):
    """A command line's text shown as typed, unquoted: a sweep's values ('6,8') beside a key
    refused as unknown, where one job's value alone ('6') read as all that was typed."""


def shown_value(value: Any) -> str:
    # A value as typed is a string: quoted, so that '' and ' 5' show, unless it reads as a number.
    # A missing or null value reads as the user writes it.
    if isinstance(value, AsTyped):
        return str.__str__(value)
    if value is None or isinstance(value, str) and value == "null":  # as Hydra read it, or as typed
        return "null"
    if isinstance(value, bool):  # as YAML and a command line write it
        return "true" if value else "false"
    text = repr(value) if isinstance(value, str) and not _number(value) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def as_written(value: Any) -> str:
    """A value as a command line or a YAML flow writes it: {key: value}, [a, b], true, null (for
    a message about what was typed; the API's, about Python values, show Python's)."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {as_written(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(as_written(v) for v in value) + "]"
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    return str(value)


class OneLineArgumentParser(argparse.ArgumentParser):
    """argparse whose errors are one UserError line (exit 2 via exit_with), not usage + error."""

    def __init__(self, *args: Any, allowed: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def parse_known_args(self, args=None, namespace=None):
        self.words = list(sys.argv[1:] if args is None else args)  # for error()
        words = self._negatives_joined(self.words)
        self._refuse_a_value_given_twice(words)
        return super().parse_known_args(words, namespace)

    def _refuse_a_value_given_twice(self, words: list[str]) -> None:
        """``--budget 400k --budget 500k``: argparse keeps the last without a word (a walk's
        comparison ran under one budget of the two typed); an option that may be given more than
        once (--with) is 'append'."""
        single = self._taking_a_value(once=True)
        seen: dict[str, str] = {}
        for i, word in enumerate(words):
            if word == "--":
                return
            name, eq, value = word.partition("=")
            if name not in single:
                continue
            given = value if eq else (words[i + 1] if i + 1 < len(words) else "")
            if name in seen:
                raise UserError(f"{name} is given twice ({name} {seen[name]} and {name} {given}) (allowed: "
                                f"{name} once: the command runs once for each value)")
            seen[name] = given

    def _taking_a_value(self, once: bool = False) -> set[str]:
        """The options that take one value each time (``once``: and hold one only, not 'append')."""
        return {o for action in self._actions if action.option_strings and action.nargs is None
                and not (once and isinstance(action, argparse._AppendAction)) for o in action.option_strings}

    def _negatives_joined(self, words: list[str]) -> list[str]:
        """``--budget -300k``: argparse reads a negative amount with a suffix as an option and said
        only "expected one argument"; joined to its option (``--budget=-300k``), the option's own
        check names what it allows."""
        takes_value = self._taking_a_value()
        out: list[str] = []
        for word in words:
            if out and out[-1] in takes_value and re.fullmatch(r"-[\d.,]+[kKmM]?", word):
                out[-1] = f"{out[-1]}={word}"
            else:
                out.append(word)
        return out

    def error(self, message: str) -> NoReturn:
        unknown = re.match(r"unrecognized arguments: (.+)", message)
        options = [o for action in self._actions for o in action.option_strings if o.startswith("--")]
        words = unknown[1].split() if unknown else []
        near = words and words[0].startswith("--") and nearest_name(words[0].partition("=")[0], options)
        hint = f"; did you mean {near}?" if near else self._list_cut_at_spaces(words)
        if " is not allowed: " in message:  # an option's own check said what it allows
            raise UserError(f"{message}{hint}")
        raise UserError(f"{message}{hint} (allowed: {self.allowed or self.format_usage().strip()})")

    def _list_cut_at_spaces(self, unknown: list[str]) -> str:
        """``--metrics a, b``: the shell made the list two words, and argparse names the second
        one only; the hint is the list written as one."""
        words = getattr(self, "words", [])
        for i, word in enumerate(words[1:], 1):
            if word.endswith(",") and words[i + 1:i + 2] == unknown[:1]:
                rest = [w for w in words[i + 1:] if w in unknown][:len(unknown)]
                option = words[i - 1] + " " if words[i - 1].startswith("--") else ""
                return (f"; a list is one word, with no spaces after its commas: {option}"
                        f"{word}{''.join(rest)}")
        return ""


# Control characters, written as escapes in a message: a typed ESC quoted back raw (in Hydra's
# word on an override it could not read) recoloured or moved the user's terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def exit_with(error: UserError, prog: str = "salessim") -> NoReturn:
    message = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", error.message)
    print(f"{prog}: error: {message}", file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def said_kept(kept: str | Callable[[], str]) -> str:
    """What a stopped command keeps: the text, or what the command says it is at the stop (a
    calibration's folder, known only once Hydra has named it; a sweep's finished jobs, counted then)."""
    return kept() if callable(kept) else kept


@contextmanager
def reader_may_leave(stopped: str | Callable[[], str] | None = None) -> Iterator[None]:
    """``salessim-compare SWEEP | head``: the reader closes the pipe early. Stop quietly, as Unix
    tools do, instead of a BrokenPipeError traceback; or, where stopping leaves work undone (a
    sweep's jobs), say so on stderr, ``stopped`` (a callable: worked out only then)."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        if stopped:
            try:
                print(said_kept(stopped), file=sys.stderr, flush=True)
            except OSError:  # stderr went to the same reader (2>&1 | head): nothing to tell
                pass
        # Python flushes stdout again at exit: point it at /dev/null so that flush is silent too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_READER_GONE)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower() not in ("nan", "inf", "-inf", "infinity", "-infinity")
