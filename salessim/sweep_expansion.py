"""How Hydra's basic sweeper expands a command line into jobs, with the limits salessim puts on a
sweep (at most MAX_SWEEP_JOBS, each value once, no sampled intervals) and one-line errors for what
cannot be read. Used to check a command before it runs (preflight) and to read back which jobs a
finished sweep planned (sweep_folder)."""

from __future__ import annotations

import dataclasses
import math
import re
from itertools import takewhile
from typing import Any, Mapping

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import IntervalSweep, RangeSweep
from hydra.errors import HydraException

from salessim.compose import command_of, first_line, key_alone, listed_twice, schema_node, schema_of
from salessim.config import Config
from salessim.errors import ConfigError, UserError
from salessim.overrides import is_hydras_own, key_and_value_typed, overrides_parser, swept_keys
from salessim.typed_folders import FOLDER_KEYS, for_the_shell, hydra_quoted
from salessim.validation import FILE_NAME_ALLOWED


def sweep_jobs(params: Mapping[str, Any], overrides: list[str],
               parser: OverridesParser | None = None) -> list[list[str]]:
    """The jobs of a basic-sweeper sweep, as Hydra expands them: the sweeper's ``params``, then the
    command line's ``overrides`` (which win). A UserError for what cannot be read."""
    parser = parser or overrides_parser()
    return _combinations(parse_overrides(parser, [f"{k}={v}" for k, v in params.items()] + overrides))


def parse_overrides(parser: OverridesParser, overrides: list[str], config_name: str = "config",
                    runs_one: str | None = None, shell: bool = True):
    """The overrides as Hydra reads them; a UserError that says why one cannot be read.
    ``runs_one`` is what a caller that takes no sweep says of itself ("salessim.run runs one
    scenario"): its line then offers one value where the command line's offers a sweep (-m).
    salessim-calibrate's is said of its config; salessim sweeps. ``shell``: the overrides were
    typed in a shell, so a quoted value is offered inside the shell's quotes too."""
    try:
        return parser.parse_overrides(overrides)
    except (HydraException, ValueError) as e:  # ValueError: an integer of over 4,300 digits
        error, typed = e, overrides
    for override in overrides:  # name the one that cannot be read, not the whole command
        try:
            parser.parse_overrides([override])
        except (HydraException, ValueError) as e:
            error, typed = e, [override]
            break
    shown = " ".join(o if len(o) <= 80 else o[:77] + "..." for o in typed)
    if runs_one is None and command_of(config_name) != command_of("config"):
        runs_one = f"{command_of(config_name)} runs one study"
    why, quote = (_what_hydra_cannot_read(parser, overrides, typed[0], config_name, runs_one, shell)
                  if len(typed) == 1 else (None, ""))
    raise UserError(f"could not read the override{'' if len(typed) == 1 else '(s)'} {shown!r}: "
                    f"{why or first_line(error)}; allowed: key=value"
                    f"{'' if runs_one else ', key=a,b,c (with -m)'}{quote}") from None


def _what_hydra_cannot_read(parser: OverridesParser, overrides: list[str], unread: str,
                            config_name: str, runs_one: str | None, shell: bool) -> tuple[str | None, str]:
    """Why Hydra cannot read override ``unread``, in words where its parser names only tokens
    ("no viable alternative at input 'range(5,8'", "LexerNoViableAltException"), and how to quote
    its value where quoting is what reads it. (None, ...) for what is not recognised."""
    key, _, value = unread.partition("=")
    if _is_file_name(key.lstrip("+"), config_name):  # quoted, it would be refused as a name
        refused = "'='" if "=" in value else "a letter beyond ASCII" if not value.isascii() else None
        if refused:
            return _not_a_name(refused, key), ""
    # A value holding '=' (a folder named a=b) reads as a second assignment unless quoted.
    quote = (f"; quote a value that holds '=' ({_quoted('key', 'a=b', shell)})" if "=" in value else
             f"; quote a value with letters beyond ASCII ({_quoted(key, value, shell)})"
             if not value.isascii() else "")
    why = (_a_prefix_doubled(unread) or _split_by_a_space(overrides, unread) or _left_open(parser, unread)
           or _a_key_alone(parser, overrides, unread, config_name) or _a_value_alone(parser, unread)
           or _a_quote_unpaired(parser, unread, config_name, shell))
    if why is None and (between := _refused_between_values(parser, unread, config_name, runs_one, shell)):
        return between
    return why, quote


def _a_prefix_doubled(unread: str) -> str | None:
    """A key after '~~', '+~' or '+++' (Hydra: "no viable alternative at input '~'"; '~~org' alone
    read as a value split from the override before it): an override starts with one '~' to
    delete, '+' to add or '++' to add or replace, or with its key."""
    prefix, rest = re.fullmatch(r"([+~]*)(.*)", unread, re.S).groups()
    if prefix in ("", "~", "+", "++") or not re.match(_KEY, rest):
        return None
    key, eq, value = rest.partition("=")
    if set(prefix) == {"~"}:
        return f"no override starts with {prefix!r}: a deletion has one '~' (~{rest})"
    return (f"no override starts with {prefix!r}: one starts with '~' to delete (~{key}), '+' to add "
            f"(+{key}={value if eq else 'VALUE'}), '++' to add or replace, or with its key")


def _split_by_a_space(overrides: list[str], unread: str) -> str | None:
    """What a list of values typed with spaces (``key=5, 8, 11`` or ``key=5 ,8``) became: the
    shell passes ``key=5,``, ``8,`` and ``11`` as arguments of their own, and Hydra's parser says
    only what it expected. The override to write joins them again."""
    at = overrides.index(unread)
    if "=" in unread and unread.endswith(","):
        rest = list(takewhile(lambda a: "=" not in a, overrides[at + 1:]))
        if not rest:
            return "its values end with a comma"
        joined = unread + ",".join(a.strip(",") for a in rest)
        follow = (f"{rest[0]!r} follows as an argument of its own" if len(rest) == 1 else
                  f"{', '.join(map(repr, rest))} follow as arguments of their own")
        return (f"its values end with a comma, and {follow}: a space after a comma splits the list for "
                f"the shell; write {joined}")
    before = overrides[at - 1] if at else None
    # A value left on its own (8, [crm], ,8), not a key whose '=VALUE' was left out (experiment).
    looks_like_a_value = not re.fullmatch(_KEY, unread)
    if "=" not in unread and looks_like_a_value and before is not None and "=" in before:
        if before.endswith("="):  # org.sellers= 8: the value of an '=' with nothing after it
            return (f"it has no '=', and follows {before!r}: a space after its '=' splits it for the "
                    f"shell; write {before}{unread.lstrip(',')}")
        return (f"it has no '=', and follows {before!r}: a space in a list of values splits it for "
                f"the shell; write {before.rstrip(',')},{unread.lstrip(',')}")
    return None


# A key typed alone: org.sellers, +org.sellers, hydra/launcher (not 8, [crm] or ,8).
_KEY = r"[+~]?[A-Za-z_][\w-]*([./][\w-]+)*"

# What Hydra's override grammar refuses in a value unless it is quoted (its lexer stops there).
_REFUSED = "!#&;<>^`~"

_CLOSING = {"(": ")", "[": "]", "{": "}", "${": "}"}

# Hydra's own keys whose values are free texts (salessim's schema knows only its own keys).
_HYDRA_TEXTS = ("hydra.sweep.subdir", "hydra.output_subdir")


def _unquoted(value: str) -> str:
    """``value`` without its quoted strings (a bracket in 'a(b' is no bracket of the grammar)."""
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "", value)


def _listed(tokens) -> str:
    return " and ".join(f"'{t}'" for t in tokens)


def _parsed(parser: OverridesParser, override: str):
    """``override`` as Hydra reads it, or None when it cannot."""
    try:
        return parser.parse_overrides([override])[0]
    except (HydraException, ValueError):
        return None


def _left_open(parser: OverridesParser, unread: str) -> str | None:
    """A bracket left open (org.sellers=range(5,8, of which Hydra says "no viable alternative at
    input 'range(5,8'"): said when closing what is open gives an override Hydra reads."""
    opened: list[str] = []
    for token in re.findall(r"\$\{|[][(){}]", _unquoted(unread.partition("=")[2])):
        if token in _CLOSING:
            opened.append(token)
        elif not opened or _CLOSING[opened.pop()] != token:
            return None  # closed by another bracket, or never opened
    closed = unread + "".join(_CLOSING[o] for o in reversed(opened))
    if not opened or _parsed(parser, closed) is None:
        return None
    return f"its {_listed(opened)} {'is' if len(opened) == 1 else 'are'} not closed; write {closed}"


def _refused_between_values(parser: OverridesParser, unread: str, config_name: str,
                            runs_one: str | None, shell: bool) -> tuple[str, str] | None:
    """A character Hydra refuses in a value unless quoted (org.sellers=5;8, hydra.sweep.dir=run#2,
    of which it says "LexerNoViableAltException: ..."). In a text (a folder, a name) it is the
    text's own: quoting keeps it there (a ',' in its place made a sweep of the folder's two
    halves). Between a number's values, ',' in its place gives a sweep."""
    key, _, value = unread.partition("=")
    refused = "".join(dict.fromkeys(c for c in value if c in _REFUSED))
    if not refused or re.search(r"['\"]", value):
        return None
    if _is_file_name(key.lstrip("+"), config_name):  # quoted, it would be refused as a name
        return _not_a_name(_listed(refused), key), ""
    if _is_text(key.lstrip("+"), config_name):
        said = f"Hydra reads {_listed(refused)} in a value only quoted; write "
        if runs_one is None and "," in value:  # a sweep of texts, or one text with a ',' in it
            pieces = ",".join(hydra_quoted(p) if any(c in p for c in refused) else p for p in value.split(","))
            sweep = f"{key}={pieces}"
            return (f"{said}{_as_typed(sweep, shell)} for a sweep of its values, or "
                    f"{_quoted(key, value, shell)} for one value"), ""
        return f"{said}{_quoted(key, value, shell)}", ""
    separated = re.sub(rf"\s*[{re.escape(refused)}]+\s*", ",", value)
    swept = _parsed(parser, f"{key}={separated}")
    if swept is None or not swept.is_sweep_override():
        return None
    if not runs_one and (single := not_swept(key.lstrip("+"))) is not None:
        return f"{_listed(refused)} does not separate values, and {key} takes one value: {single}", ""
    if runs_one:  # salessim-calibrate, salessim.run
        return (f"{_listed(refused)} does not separate values, and {runs_one}, with one value of each "
                f"key; write {key}={next(iter(swept.sweep_string_iterator()))}"), ""
    return (f"{_listed(refused)} does not separate values: the values of a sweep are separated by ','; "
            f"write {swept.input_line}"), ""


def _is_text(key: str, config_name: str) -> bool:
    """A key whose value is a free text, such as a name or a folder: not a number, a choice, a
    true/false or a config group, whose values a ',' separates."""
    if key in FOLDER_KEYS or key in _HYDRA_TEXTS:
        return True
    f = _schema_field(key, config_name)
    return f is not None and str(f.type) in ("str", "Optional[str]") and not f.metadata.get("choices")


def _is_file_name(key: str, config_name: str) -> bool:
    """A key whose value names files (a job's log, a calibration's folder): validation refuses
    any character but letters, digits, '_', '-' and '.'."""
    if key == "hydra.job.name":
        return True
    f = _schema_field(key, config_name)
    return f is not None and bool(f.metadata.get("file_name"))


def _not_a_name(what: str, key: str) -> str:
    """Why ``what`` cannot be in the value of a file-name key, quoted or not."""
    return f"{what} cannot be in it: {key} takes {FILE_NAME_ALLOWED}"


def _schema_field(key: str, config_name: str) -> dataclasses.Field | None:
    """The schema's field of ``key``, or None (a key of Hydra's, or none of the schema's)."""
    parts = key.split(".")
    parent = schema_node(schema_of(config_name), parts[:-1])
    fields = {f.name: f for f in dataclasses.fields(parent)} if dataclasses.is_dataclass(parent) else {}
    return fields.get(parts[-1])


def _quoted(key: str, value: str, shell: bool) -> str:
    """key='value', as Hydra reads a value with characters of its grammar; typed in a shell, quoted
    for it too, since it would otherwise remove the quotes (or expand what they hold) before
    Hydra sees them."""
    return _as_typed(f"{key}={hydra_quoted(value)}", shell)


def _as_typed(setting: str, shell: bool) -> str:
    """``setting`` as the advice gives it to type: in a shell, quoted for it (typed_folders.for_the_shell)."""
    return for_the_shell(setting) if shell else setting


def _a_quote_unpaired(parser: OverridesParser, unread: str, config_name: str, shell: bool) -> str | None:
    """A quote that Hydra cannot pair (sim.scenario='abc or sim.scenario=it's, of which it says
    "LexerNoViableAltException: ..."): a quoted value opened and never closed is closed; a quote
    inside a word is kept, in a value quoted whole."""
    key, _, value = unread.partition("=")
    if not value or not re.fullmatch(_KEY, key) or not re.search(r"['\"]", value):
        return None
    if value[0] in "'\"" and value[0] not in value[1:]:
        closed = f"{unread}{value[0]}"
        if _parsed(parser, closed) is not None:
            return f"its opening quote is not closed; write {_as_typed(closed, shell)}"
    if _is_file_name(key.lstrip("+"), config_name):  # quoted, it would be refused as a name
        return _not_a_name("a quote", key)
    if _parsed(parser, f"{key}={hydra_quoted(value)}") is None:
        return None
    return f"a quote inside a value reads only in a quoted value; write {_quoted(key, value, shell)}"


def _a_value_alone(parser: OverridesParser, unread: str) -> str | None:
    """A value typed on its own (8, of which Hydra says "LexerNoViableAltException: 8"), where
    no key=value comes before it to join (_split_by_a_space)."""
    value = unread.strip(",")
    if "=" in unread or re.fullmatch(_KEY, unread) or not value or _parsed(parser, f"KEY={value}") is None:
        return None
    return f"it has no '=', so {value} is a value without its key; write KEY={value}"


def _a_key_alone(parser: OverridesParser, overrides: list[str], unread: str, config_name: str) -> str | None:
    """A key typed without '=VALUE' (org.sellers, of which Hydra says "Error parsing override
    'org.sellers'"), or with a space for its '=' (org.sellers 8), in one argument or two, or a
    ':' (org.sellers: 8, as a YAML file writes it): the key meant, as compose says it of an
    unknown key, and the override to write."""
    within = re.fullmatch(rf"(?P<key>{_KEY})(?P<sep>\s*[:=]\s*|\s+)(?P<value>\S.*)", unread)
    typed = within["key"] if within else unread.strip()
    if not re.fullmatch(_KEY, typed) or typed.startswith("~"):  # ~KEY deletes: Hydra reads it
        return None
    said, meant = key_alone(typed, config_name)
    key = typed.lstrip("+")
    if within:
        value = within["value"]
        if _parsed(parser, f"{meant or typed}={value}") is None:
            return None
        sep = within["sep"].strip()
        why = ("a space before its '=' is not read" if sep == "=" else
               f"it has no '=': {'a space' if not sep else repr(':')} stands for it")
    else:
        at = overrides.index(unread)
        after = overrides[at + 1] if at + 1 < len(overrides) else None
        # org.sellers = 8 or org.sellers =8: the '=' is an argument of its own, or starts one
        apart = after is not None and after.startswith("=")
        if apart:
            after = after[1:] or (overrides[at + 2] if at + 2 < len(overrides) else None)
        # an argument after a key alone may be the next key (experiment), one after '=' is its value
        value = after if (after and "=" not in after and (apart or not re.fullmatch(_KEY, after))
                          and _parsed(parser, f"{meant or typed}={after}")) else None
        why = ("its '=' follows as an argument of its own: a space before it splits it for the shell"
               if apart and value else
               f"it has no '=', and {value!r} follows as an argument of its own: a space for its '=' "
               f"splits it for the shell" if value else f"it has no '=', so {key} is given no value")
    return why + (f", and {key} is not a known key ({said})" if said else "") + (
        f"; write {meant}={value or 'VALUE'}" if meant else "")


MAX_SWEEP_JOBS = 10_000  # each is composed and checked before the first starts
# Composing and checking one job (mostly Hydra's composition): 0.14-0.3 s of one core, measured on
# sweeps of 60 to 1,000 jobs of the shipped configs.
CHECK_SECONDS_PER_JOB = 0.2
MANY_JOBS = 100  # from here, checking the jobs takes long enough to be announced


def _sweep_size(o) -> int:
    """The number of values of a sweep override, counted without listing a long range."""
    value = o.value()
    if not isinstance(value, RangeSweep):
        return len(list(o.sweep_string_iterator()))
    if not value.step:  # Hydra would stop in Python's range() with a traceback
        raise ConfigError(*key_and_value_typed(o),
                          "a sweep Hydra can expand (range() arg 3 must not be zero)")
    return max(0, math.ceil((value.stop - value.start) / value.step))


def refuse_a_question_with_a_comma(o) -> None:
    """Hydra reads a comma as a sweep: an unquoted question would run identical jobs, or be
    refused as a sweep in a single run, neither of which says why."""
    if o.key_or_group == "experiment_question" and o.is_sweep_override():
        typed = key_and_value_typed(o)[1]
        raise UserError(f"{o.input_line!r} is not allowed: one question, and Hydra reads its comma "
                        "as a sweep of identical jobs; quote it for Hydra inside the shell's "
                        f"quotes: \"experiment_question='{typed}'\"")


# A comma-separated group of three digits that starts with 0 (90,000 or 1,050): a thousands
# separator, which Hydra reads as a sweep (90 and 000); no one writes a value of a sweep as 000.
_SEPARATED = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})*,0\d{2}(?![\w.])")


def refuse_a_comma_not_meant_as_a_sweep(o) -> None:
    """A comma Hydra reads as a sweep where none was meant: in a question (identical jobs, or a
    single run refused as a sweep) or a number's thousands separator (one_off_cost_usd=90,000:
    jobs of 90 and 000), neither of which Hydra's own word explains."""
    refuse_a_question_with_a_comma(o)
    typed = key_and_value_typed(o)[1]
    if o.is_sweep_override() and (separated := _SEPARATED.search(typed)):
        raise ConfigError(o.key_or_group, typed, "a number without thousands separators, e.g. "
                          f"{separated.group(0).replace(',', '')}: Hydra reads a comma as a sweep of "
                          "the values around it")


# Settings of how a job runs, not of what it simulates: jobs that differ in them alone simulate
# alike (a sweep over them ran each job twice). They are outputs.PRESENTATION_KEYS (left out of a
# run's config hash; not imported here, which would load pandas for --help), the trace and the
# baseline's mark. sim.replications is not among them: jobs of 2 and 3 replications are a sweep
# of how the intervals narrow (docs/results.md), when nothing else is swept.
_HOW_JOBS_RUN = {
    "sim.workers": "how many replications run side by side",
    "sim.progress": "whether a bar shows the progress",
    "sim.trace": "whether the journeys' steps are written as well",
    "sim.resume": "whether finished jobs are skipped",
    "sim.baseline": "which job a comparison measures against",
    "experiment_budget_usd": "the budget a comparison of the jobs holds them to",
}
BASELINE_INSTEAD = ("leave it out (the baseline is then the job that runs every swept setting at its usual "
                     "value, docs/results.md), or compare with salessim-compare SWEEP --baseline RUN_FOLDER")


def not_swept(key: str) -> str | None:
    """Why ``key``, a setting of how a sweep's jobs run, takes one value, and what to do instead."""
    said = _HOW_JOBS_RUN.get(key)
    if said is None:
        return None
    instead = BASELINE_INSTEAD if key == "sim.baseline" else "give it once, to the whole sweep"
    return (f"it sets {said}, not what a job simulates, so jobs that differ in it alone would simulate "
            f"alike; {instead}")


def _combinations(parsed) -> list[list[str]]:
    sweeps = [o for o in parsed if o.is_sweep_override()]
    for o in sweeps:
        refuse_a_comma_not_meant_as_a_sweep(o)
        if is_hydras_own(o.key_or_group):
            # Hydra refuses it only once the sweep has begun, with a traceback hint
            raise ConfigError(*key_and_value_typed(o),
                              "a single value: Hydra's own settings (the launcher, its workers, the "
                              "sweep's folder) hold for the whole sweep; run one sweep per value")
        if (single := not_swept(o.key_or_group)) is not None:
            raise ConfigError(*key_and_value_typed(o), f"a single value: {single}")
        if isinstance(o.value(), IntervalSweep):  # for a sweeper that samples, not the basic one
            raise ConfigError(*key_and_value_typed(o), "a sweep the basic "
                              "sweeper can list: a,b,c, choice(a,b,c) or range(start,stop,step)")
    try:
        size = math.prod(_sweep_size(o) for o in sweeps)
        if size > MAX_SWEEP_JOBS:
            raise UserError(f"the sweep {' '.join(o.input_line for o in sweeps)} is not allowed: a "
                            f"sweep of at most {MAX_SWEEP_JOBS:,} jobs (this one has {size:,}): split "
                            "it into several sweeps, or raise sim.replications for more replications "
                            "of one scenario")
        jobs = BasicSweeper.split_arguments(parsed, None)[0]
        for o in sweeps:
            values = list(o.sweep_string_iterator())
            if not values:  # glob over a key, not a group: no job at all
                raise ConfigError(*key_and_value_typed(o),
                                  "a sweep with at least one value (this one has none: glob(...) "
                                  "lists the configs of a group such as investment or org, "
                                  "range(...) the numbers from its start up to its stop)")
            numeric = schema_node(Config, o.key_or_group.split(".")) in ("int", "float")
            # would run the same job twice
            twice = listed_twice(values, numeric, selection=o.key_or_group == "investment")
            if twice:
                raise ConfigError(*key_and_value_typed(o),
                                  f"a sweep listing each value once (it lists the same job twice: "
                                  f"{', '.join(twice)})")
        return jobs
    except HydraException as e:
        raise UserError(first_line(e)) from None


def refuse_replications_swept_with_settings(jobs: list[list[str]], parsed, params: Mapping[str, Any]) -> None:
    """sim.replications swept alone shows how the intervals narrow; crossed with settings, each
    scenario ran once per value, and a comparison ranked those runs against each other: the same
    simulation over the replications they share (a strategist's walk read one ranked above the
    other). Judged on the command's ``jobs`` (a value typed for it replaces an experiment's sweep),
    and named as typed (``parsed``), else as the experiment's ``params`` give it (the command's
    checks name its file: preflight.in_the_sweeping_file)."""
    swept = swept_keys(jobs)
    if "sim.replications" not in swept or not swept - {"sim.replications"}:
        return
    others = ", ".join(sorted(swept - {"sim.replications"}))
    typed = next((o for o in parsed if o.key_or_group == "sim.replications" and o.is_sweep_override()), None)
    key, value = (key_and_value_typed(typed) if typed is not None
                  else ("sim.replications", str(params.get("sim.replications"))))
    raise ConfigError(key, value, f"a single value when the sweep varies settings too ({others}): each "
                      "scenario would run once per value, and a comparison would rank those runs, one "
                      "simulation, against each other; give the most replications you want, or sweep "
                      "sim.replications alone to see how the intervals narrow")


def gives_several_values(override: str) -> bool:
    """Whether ``override`` gives several values (a=1,2; a=range(1,3)), as Hydra reads it."""
    try:
        return overrides_parser().parse_override(override).is_sweep_override()
    except HydraException:
        return False  # composing it says what is wrong
