"""Calibration targets: what a survey reports, how sure it is, and under which conditions.

A target names a summary metric (any column of summary.parquet, per-segment ones included), its
value, its uncertainty (``std_error``, or ``n`` respondents for a proportion), optionally the
config overrides under which it holds (``condition``), a ``weight`` and its ``source``. Targets
come from the ``targets`` config group or from a CSV/Parquet file with those columns
(``condition`` as space-separated overrides).
"""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from salessim.errors import ConfigError, UserError, names_quoted, nearest_name
from salessim.plural import counted, plural
from salessim.summary import RUN_COLUMNS, SEGMENT_METRICS, SUMMARY_COLUMNS, base_metric, value_range

FILE_COLUMNS = ("metric", "value", "std_error", "n", "condition", "weight", "source")
# Bounds that keep the objective (weighted squared z-scores) finite and meaningful.
LARGEST, SMALLEST, MAX_WEIGHT = 1e9, 1e-9, 1e6
MAX_PROPORTION_SE = 0.5  # the largest standard deviation a share can have (half at 0, half at 1)
# Turnover is exits per seat a year, and customer churn customers lost per customer a year: either
# may pass 1, but a figure above this (a seller or customer staying under four months on average)
# is a percentage typed, 32.5 for 32.5%, which a study would chase.
MAX_YEARLY_RATE = 3.0
# A standard error at which the figure's two-standard-error interval spans that whole range says
# nothing: it is percentage points typed, 2.5 for 0.025, which leaves the target without weight.
MAX_YEARLY_RATE_SE = MAX_YEARLY_RATE / 4
# Ratios of the summary, shown as percentages (quota_attainment_mean: 1.15 is 115% of quota): a
# mean of more than five quotas is a percentage typed, 115 for 115%, and so is a standard error
# of more than a quarter of that.
RATIOS = ("quota_attainment_mean",)
MAX_RATIO = 5.0
MAX_RATIO_SE = MAX_RATIO / 4


@dataclass(frozen=True)
class Target:
    metric: str
    value: float
    std_error: float
    condition: tuple[str, ...] = ()
    weight: float = 1.0
    source: str = ""
    n: float | None = None

    @property
    def label(self) -> str:
        return self.metric + (f" [{' '.join(self.condition)}]" if self.condition else "")


def is_proportion(metric: str) -> bool:
    """A share of something, between 0 and 1 (turnover, a rate per year, can pass 1)."""
    return value_range(metric) == (0.0, 1.0)


def metric_names(segments: Iterable[str]) -> list[str]:
    """Every figure a target can name: the summary's metrics, per-segment ones included."""
    return ([m for m in SUMMARY_COLUMNS if m not in RUN_COLUMNS]
            + [f"{m}_{s}" for s in segments for m in SEGMENT_METRICS])


def known_metric(metric: str, segments: Iterable[str]) -> bool:
    if metric in SUMMARY_COLUMNS and metric not in RUN_COLUMNS:
        return True
    return segment_of(metric, segments) is not None


OUTCOME_SHARES = ("win_rate", "lost_competitor_rate", "no_decision_rate")  # of closed deals: they sum to 1


def independent_facts(targets: Iterable[Target]) -> int:
    """How many independent facts the targets fitted (weight above 0) give: a metric under a
    condition once, however many sources report it, and the three outcome shares of deals under
    one condition as two, since they sum to 1 (docs/calibration.md, section 2)."""
    facts = {(t.metric, t.condition) for t in targets if t.weight > 0}
    outcomes = Counter(condition for metric, condition in facts if metric in OUTCOME_SHARES)
    return len(facts) - sum(n == len(OUTCOME_SHARES) for n in outcomes.values())


def fewer_facts(problem) -> list[str]:
    """A notice when the targets fitted give fewer independent facts than there are free
    parameters: the fit cannot pin every parameter down, and sets the others by chance. Said
    before the trials and on fit_report.html. ``problem``: a study's Problem (targets, params)."""
    facts, free = independent_facts(problem.targets), len(problem.params)
    if free <= facts:
        return []
    return [f"{free} free parameters and {counted(facts, 'independent fact')} in the targets fitted (a "
            "figure from several sources is one fact; the three outcome shares of deals, which sum "
            "to 1, are two): the targets cannot pin every parameter down, and the fit sets the "
            "others by chance within their ranges (parameter_spread.csv shows which are left open); "
            "search fewer (calibration.free) and fix the rest at documented values, or add targets "
            "(docs/calibration.md, section 2)"]


def unsourced(problem) -> list[str]:
    """A notice naming the targets that name no source: a fit is read, and published, by the
    figures it was fitted to, and a figure without its publication cannot be checked. Said before
    the trials; fit.csv and fit_report.html show the empty source."""
    bare = [t.label for t in problem.targets if not t.source.strip()]
    if not bare:
        return []
    return [f"{counted(len(bare), 'target')} {plural(len(bare), 'names', 'name')} no source: "
            f"{', '.join(bare[:5])}{', ...' if len(bare) > 5 else ''}; name the publication each figure "
            "comes from in the source column (e.g. 'CSO Insights 2016 study'), so that the fit can be "
            "checked and cited"]


def segment_of(metric: str, segments: Iterable[str]) -> str | None:
    """The segment of a per-segment metric (``win_rate_smb``: smb), None for any other."""
    return next((s for s in segments for m in SEGMENT_METRICS if metric == f"{m}_{s}"), None)


def yearly_rate_unit(metric: str) -> str | None:
    """What a yearly rate that can pass 1 counts: seller turnover (a segment's too,
    seller_turnover_rate_smb) and customer churn; None for any other metric."""
    if metric == "seller_turnover_rate" or metric.startswith("seller_turnover_rate_"):
        return "exits per seat a year"
    return "customers lost per customer a year" if metric == "customer_churn_rate" else None


def as_fraction(x: float) -> str:
    """How a figure typed as a percentage is written instead: '0.41 for 41%'."""
    return f"{x / 100:g} for {x:g}%"


def _percent_typed(value: Any) -> float | None:
    """The number of a cell such as '41%' (None for any other)."""
    if not isinstance(value, str) or not value.strip().endswith("%"):
        return None
    try:
        x = float(value.strip()[:-1])
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _number(key: str, value: Any, allowed: str) -> float:
    if value is None:  # an empty cell of a targets file (or a missing field)
        raise ConfigError(key, "", allowed)
    if isinstance(value, bool) or isinstance(value, str) and "_" in value:  # float() reads 7_2 as 72
        raise ConfigError(key, value, allowed)
    try:
        x = float(value)
    except (TypeError, ValueError):
        typed = value.strip() if isinstance(value, str) else ""
        if _DECIMAL_COMMA.fullmatch(typed):  # a spreadsheet's locale, or a thousands separator
            whole, _, part = typed.partition(",")
            allowed += (f", written without separators: {whole}{part} for a thousands separator, "
                        f"{whole}.{part} for a decimal comma" if len(part) == 3 else
                        f", with a decimal point ({whole}.{part}, not {typed})")
        raise ConfigError(key, value, allowed) from None
    if not math.isfinite(x):
        raise ConfigError(key, value, allowed)
    return x


_OVERRIDE = re.compile(r"^\+?[A-Za-z_][\w.]*=.+$")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
# A comma or semicolon between two overrides (span=6, quality=0.7), or one ending the condition
_SEPARATOR = re.compile(r"\s*(?:[,;]\s*)+(?=\+?[A-Za-z_][\w.]*=)|\s*(?:[,;]\s*)+$")


def _is_text(value: Any) -> bool:
    """A cell that holds text, not a number ('NA', 'none')."""
    if not isinstance(value, str):
        return False
    try:
        float(value)
        return False
    except ValueError:
        return True


def parse_target(raw: dict, at: str, segments: Iterable[str], check_condition) -> Target:
    """One target; ``at`` starts the key of each field in an error (``targets.items.0.``, as a
    command line types it, or ``my.csv line 2: ``)."""
    segments = list(segments)
    unknown = sorted(set(raw) - set(FILE_COLUMNS))
    if unknown:
        raise ConfigError(f"{at}{unknown[0]}", raw[unknown[0]],
                          "a field of a target: " + ", ".join(FILE_COLUMNS))
    metric = raw.get("metric")
    if not isinstance(metric, str) or not known_metric(metric, segments):
        near = nearest_name(str(metric), metric_names(segments))
        raise ConfigError(f"{at}metric", metric, (f"did you mean {near}? " if near else "")
                          + "a summary metric (e.g. win_rate, quota_attainment_share, "
                          "median_cycle_days_mid_market): any numeric column of summary.parquet "
                          "(docs/results.md) except the run's own record ("
                          + ", ".join(c for c in RUN_COLUMNS if c != "scenario") + ")")
    percent = _percent_typed(raw.get("value"))
    yearly = yearly_rate_unit(metric)
    if percent is not None:
        what = (f": a proportion between 0 and 1 for {metric}" if is_proportion(metric) else
                f": {yearly} for {metric}" if yearly else "")
        raise ConfigError(f"{at}value", raw.get("value"), f"a number without '%'{what} ({as_fraction(percent)})")
    # Each refusal echoes the cell as typed (41, not the 41.0 it is read as).
    typed = raw.get("value")
    value = _number(f"{at}value", typed, "a number")
    if abs(value) > LARGEST:
        raise ConfigError(f"{at}value", typed, f"a number between -{LARGEST:g} and {LARGEST:g}")
    if is_proportion(metric) and not 0.0 <= value <= 1.0:
        raise ConfigError(f"{at}value", typed, f"a proportion between 0 and 1 for {metric}"
                          + (f" ({as_fraction(value)})" if 1.0 < value <= 100.0 else ""))
    if yearly and value > MAX_YEARLY_RATE:
        raise ConfigError(f"{at}value", typed, f"{yearly} for {metric}, from 0 to "
                          f"{MAX_YEARLY_RATE:g}" + (f" ({as_fraction(value)} a year)"
                                                    if value <= 100.0 else ""))
    if value < value_range(metric)[0]:
        raise ConfigError(f"{at}value", typed, f"a number >= 0 for {metric}")
    # 115 typed for a mean attainment of 115% was taken for 11,500% (a review)
    ratio = base_metric(metric) in RATIOS
    if ratio and value > MAX_RATIO:
        raise ConfigError(f"{at}value", typed, f"a ratio for {metric}, from 0 to {MAX_RATIO:g}"
                          + (f" ({as_fraction(value)})" if value <= 1000.0 else ""))
    se, n = raw.get("std_error"), raw.get("n")
    if n is not None and se is not None:
        if _is_text(se) and not _is_text(n):  # "NA" typed for none: it is the one to empty
            raise ConfigError(f"{at}std_error", se, f"an empty cell when n is given ({n}), or a "
                              "standard error > 0 with n empty: give one of them")
        raise ConfigError(f"{at}n", n, f"empty when std_error is given ({se}): give one of them")
    if se is None:
        if n is None:  # a file without the column: said, or the user looks for the cell
            raise ConfigError(f"{at}std_error", "", "a standard error > 0, or n (respondents) "
                              "for a proportion" + ("" if "std_error" in raw else
                                                    " (there is no std_error column or field: add one)"))
        if not is_proportion(metric):
            raise ConfigError(f"{at}n", n, f"only for proportions; give std_error for {metric}")
        typed_n, n = n, _number(f"{at}n", n, "a whole number of respondents >= 1")
        if n < 1 or n != int(n) or n > LARGEST:
            raise ConfigError(f"{at}n", typed_n, f"a whole number of respondents >= 1 and <= {LARGEST:g}")
        se = math.sqrt(max(value * (1.0 - value), 1e-4) / n)
    else:
        typed_se, se = se, _number(f"{at}std_error", se, "a standard error > 0")
        if not SMALLEST <= se <= LARGEST:  # past these, squared z-scores overflow or mean nothing
            raise ConfigError(f"{at}std_error", typed_se, f"a standard error > 0, from {SMALLEST:g} to {LARGEST:g}")
        if is_proportion(metric) and se > MAX_PROPORTION_SE:  # 4 typed for 4 points: no weight at all
            raise ConfigError(f"{at}std_error", typed_se, f"a standard error of at most {MAX_PROPORTION_SE:g} "
                              f"for the proportion {metric}, no share's can be larger (0.04 for 4 "
                              "percentage points)")
        if ratio and se > MAX_RATIO_SE:
            raise ConfigError(f"{at}std_error", typed_se, f"a standard error of at most {MAX_RATIO_SE:g} "
                              f"for the ratio {metric} ({se / 100:g} for {se:g} percentage points)")
        if yearly and se > MAX_YEARLY_RATE_SE:
            raise ConfigError(f"{at}std_error", typed_se, f"a standard error of at most {MAX_YEARLY_RATE_SE:g} "
                              f"for {metric} ({yearly}): two of them either side of the figure would "
                              f"span all it can be, 0 to {MAX_YEARLY_RATE:g} ({se / 100:g} for {se:g} "
                              "percentage points)")
    # An empty weight cell is the default weight, as the docs' "leave unused cells empty" says.
    typed_weight = raw.get("weight")
    weight = _number(f"{at}weight", 1.0 if typed_weight is None else typed_weight, "a weight >= 0")
    if not 0 <= weight <= MAX_WEIGHT:
        raise ConfigError(f"{at}weight", typed_weight, f"a weight >= 0 and <= {MAX_WEIGHT:g}")
    condition = raw.get("condition") or []
    cell = isinstance(condition, str)
    if cell and condition.lstrip().startswith("{"):  # a file's cell written as YAML writes a mapping
        condition = _mapping_typed(condition)
    if isinstance(condition, dict):  # YAML's condition: {fsm.span_of_control: 6}
        typed = ", ".join(f"{k}: {v}" for k, v in _flat(condition).items())
        overrides = " ".join(f"{k}={v}" for k, v in _flat(condition).items())
        raise ConfigError(f"{at}condition", "{" + typed + "}", "config overrides written KEY=VALUE, "
                          "e.g. " + (f"the cell {overrides}" if cell else f"condition: {overrides}"))
    if isinstance(condition, str):
        spaced = _SEPARATOR.sub(" ", condition).strip(" ,;")
        if spaced.split() != condition.split():  # Hydra's parser would say "mismatched input '<EOF>'"
            raise ConfigError(f"{at}condition", condition, f"config overrides separated by spaces, "
                              f"e.g. {spaced}")
        condition = condition.split()
    condition = tuple(str(c) for c in condition)
    for c in condition:
        if not _OVERRIDE.match(c):
            raise ConfigError(f"{at}condition", c, "config overrides like fsm.span_of_control=12")
    check_condition(at, condition)
    source = raw.get("source")
    if isinstance(source, (list, dict)):  # YAML's reading of [CSO 2016, Bridge 2017]: kept as its repr
        raise ConfigError(f"{at}source", source, "text naming where the figure comes from; in a YAML "
                          "file, quote text with a comma, brackets or a colon: 'CSO 2016, Bridge 2017'")
    # stripped: 'CSO 2016 ' and 'CSO 2016' are one source, a row pasted twice
    return Target(metric, value, se, condition, weight, str(source or "").strip(),
                  None if n is None else float(n))


def _mapping_typed(cell: str) -> dict | str:
    """A condition cell typed as a YAML mapping ('{fsm.span_of_control: 6}'), read as one; the
    cell itself when it is not one."""
    import yaml  # only for this mistake

    try:
        read = yaml.safe_load(cell)
    except yaml.YAMLError:
        return cell
    return read if isinstance(read, dict) and read else cell


def _flat(mapping: dict, prefix: str = "") -> dict[str, Any]:
    """A condition typed as a (nested) mapping, as dotted keys and their values."""
    out: dict[str, Any] = {}
    for k, v in mapping.items():
        out.update(_flat(v, f"{prefix}{k}.") if isinstance(v, dict) and v else {f"{prefix}{k}": v})
    return out


def parse_targets(rows: Iterable[tuple[str, dict]], where: str, segments, check_condition,
                  scoring: bool = False) -> list[Target]:
    """Targets from (where the row is, the row) pairs; ``where`` names them all. ``scoring``: for
    a score (calibration.free=[]), which scores every target alike, whatever its weight (a file of
    monitored facts is one to score: a researcher's walk)."""
    targets, seen = [], {}
    for at, raw in rows:
        if not isinstance(raw, dict):
            raise ConfigError(at.rstrip(". ") or where, raw, "a target: a mapping with metric, value, "
                              "std_error or n (and optional weight, condition, source)")
        target = parse_target(dict(raw), at, segments, check_condition)
        # The same figure twice from two sources counts twice, as it should; from one source, a
        # row pasted twice would double its weight without a word.
        same, row_at = (target.label, target.source), at.rstrip(": .") or where
        if same in seen:
            from_where = f"source {target.source!r}" if target.source else "no source named"
            raise UserError(f"{row_at}: {target.label} again, with {from_where} as {seen[same]} "
                            "(allowed: a target once per source; the same figure from two sources "
                            "counts twice, each with its source)")
        seen[same] = row_at
        targets.append(target)
    if not targets:
        raise UserError(f"{where} holds no target (allowed: at least one target)")
    if not scoring and sum(t.weight for t in targets) <= 0:
        raise UserError(f"{where}: every target has weight 0 (allowed: at least one target with "
                        "weight > 0)")
    return targets


def _row_lines(path: Path, lines: list[str], lead: int) -> list[int]:
    """The line an editor shows each row below the header starting on (a quoted cell may span
    lines, so rows and lines part ways); checked that no row has more fields than the header:
    pandas would make its first fields the row's index and read the rest under the wrong columns
    (an unquoted condition holding a comma does this)."""
    reader = csv.reader(lines[lead:], skipinitialspace=True)  # spaces after commas, as read_csv reads them
    header = next(reader, [])  # an empty file: pandas says so
    # A spreadsheet's CSV in a locale with decimal commas (';'), or a tab-separated export.
    separator = next((name for sep, name in ((";", "';'"), ("\t", "tabs")) if len(header) == 1
                      and sep in header[0]), None)
    if separator:
        raise UserError(f"targets file {path}: its columns are separated by {separator} (allowed: "
                        f"columns {', '.join(FILE_COLUMNS)}, separated by commas, with decimal points: 0.41)")
    names = [name.strip() for name in header]
    twice = [name for name in dict.fromkeys(names) if name and names.count(name) > 1]
    if twice:  # pandas reads the second as 'value.1', an unknown column
        raise UserError(f"targets file {path}: column {names_quoted(twice[:1])} is given twice (allowed: "
                        f"each column once: {', '.join(FILE_COLUMNS)})")
    starts = []
    while True:
        start = lead + reader.line_num + 1  # line_num: the lines read so far
        fields = next(reader, None)
        if fields is None:
            return starts
        starts.append(start)
        if len(fields) > len(header):
            raise UserError(f"{path} line {start}: {len(fields)} fields where the header has "
                            f"{len(header)} (allowed: one field per column; quote a field that holds "
                            "a comma, such as a source: \"Acme survey, Q3 2026\")")
        if 0 < len(fields) < len(header):  # a comma left out shifts every field after it
            raise UserError(f"{path} line {start}: {len(fields)} fields where the header has "
                            f"{len(header)} (allowed: one field per column, an empty one written as "
                            "nothing between two commas: win_rate,0.47,,310,,1,CSO Insights 2016)")


def _without_unnamed_empty_columns(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """A header line ending in a comma, as spreadsheets write a last column left empty: pandas names
    it 'Unnamed: 4', refused as an unknown column the user never typed (a hunt). Left out where all
    its cells are empty; one that holds values is a column without a name."""
    for i, column in enumerate(df.columns):
        if column.startswith("Unnamed: ") and df[column].notna().any():
            raise UserError(f"targets file {path}: column {i + 1} holds values but has no name in the header "
                            f"line (allowed: a name for each column: {', '.join(FILE_COLUMNS)})")
    return df[[c for c in df.columns if not c.startswith("Unnamed: ")]]


def read_target_file(path: Path) -> list[tuple[str, dict]]:
    """Rows of a user's CSV or Parquet file of targets (columns: FILE_COLUMNS), each with where
    it is as the user sees the file: a CSV's line as an editor numbers it (from 1 at the top, empty
    lines above the header included), a Parquet file's row (from 1). Empty lines are skipped but
    counted."""
    if path.is_file() and path.suffix.lower() in (".json", ".xlsx", ".xls", ".yaml", ".yml"):
        raise UserError(f"targets file {path} is a {path.suffix} file (allowed: a .csv or .parquet file "
                        f"with columns {', '.join(FILE_COLUMNS)})")
    if not path.is_file():
        what = ("is a folder" if path.is_dir() else "is not a regular file" if path.exists()
                else "does not exist")
        raise UserError(f"targets file {path} {what} (allowed: a .csv or .parquet file "
                        f"with columns {', '.join(FILE_COLUMNS)})")
    is_csv = path.suffix.lower() != ".parquet"
    lead, starts = 0, []  # blank lines above a CSV's header; the line each row starts on
    try:
        if is_csv:
            # Lines as an editor counts them: at line breaks only (splitlines also breaks at \f)
            lines = path.read_text().split("\n")
            lead = next((i for i, line in enumerate(lines) if line.strip()), 0)
            if lines[lead].strip().lower().startswith("sep="):  # Excel's note of its separator
                lead = next((i for i, line in enumerate(lines) if i > lead and line.strip()), lead + 1)
            # Blank lines below the header are kept as empty rows, so that rows count as lines.
            # Only an empty cell is missing: 'nan' or 'NA' typed in a cell is shown as typed.
            starts = _row_lines(path, lines, lead)
            # A space after a comma ("metric, value") belongs to no column name or cell.
            # Cells as text, checked by parse_target: a refusal echoes 41 as typed, not 41.0.
            df = pd.read_csv(path, skiprows=lead, skip_blank_lines=False, keep_default_na=False,
                             na_values=[""], skipinitialspace=True, dtype=str)
            df.columns = [str(c).strip() for c in df.columns]
            df = _without_unnamed_empty_columns(df, path)
        else:
            df = pd.read_parquet(path)
    except UserError:
        raise
    except Exception as e:
        raise UserError(f"could not read targets file {path}: {str(e).splitlines()[0] if str(e) else e} "
                        f"(allowed: a .csv file with a header line, or a .parquet file, with columns "
                        f"{', '.join(FILE_COLUMNS)})") from None
    missing = {"metric", "value"} - set(df.columns)
    unknown = set(df.columns) - set(FILE_COLUMNS)
    if missing or unknown:
        what = "; ".join(p for p in (f"{plural(len(missing), 'column')} {names_quoted(sorted(missing))} missing"
                                     if missing else "",
                                     f"unknown {plural(len(unknown), 'column')} "
                                     f"{names_quoted(sorted(map(str, unknown)))}"
                                     if unknown else "") if p)
        near = nearest_name(str(sorted(map(str, unknown))[0]), FILE_COLUMNS) if len(unknown) == 1 else None
        meant = f"did you mean {near!r}? " if near else ""  # 'stderr' for std_error (a walk)
        raise UserError(f"targets file {path}: {what} ({meant}allowed columns: {', '.join(FILE_COLUMNS)})")
    rows = []
    for i, rec in enumerate(df.to_dict("records")):
        rec = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
        if any(v is not None for v in rec.values()):
            rows.append((f"{path} line {starts[i]}: " if is_csv else f"{path} row {i + 1}: ", rec))
    return rows
