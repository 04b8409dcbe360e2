"""salessim-rerun RUN_DIR: run a finished job again from its manifest and check that every
table comes out identical (same config, same seeds: the same numbers on any machine).

Exit status 0 when identical, 1 when a table differs (named, with the first difference), 2 for
bad input.

The new tables go to ``--out`` (default: a temporary folder, removed afterwards).
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
from pathlib import Path

import pandas as pd

from salessim.commands import version_asked
from salessim.config import flatten
from salessim.errors import OneLineArgumentParser, UserError, exit_with, first_few, reader_may_leave
from salessim.typed_folders import typed_folder
from salessim.interrupt import interrupt_ends_quietly
from salessim.manifest import made_at, read_manifest
from salessim.outputs import (MANIFEST, TABLES, check_new_output_folder, manifest_edited, table_problem,
                              written_columns)
from salessim.plural import counted

PROG = "salessim-rerun"
KEPT = "the check did not finish (tables already written to --out are kept)"
# Not model outputs: timings are measured, and `events` counts the engine's own work, which
# changes when the engine is made leaner while every simulated number stays the same.
VOLATILE = {"summary": ["wall_seconds", "events"]}


# Columns that say where a row belongs, to name the first difference as a reader would look it up.
_ROW_KEYS = ("replication", "month", "opportunity_id", "seller_id", "fsm_id", "day", "event")


def differences(old_dir: Path, new_dir: Path, tables: list[str]) -> list[str]:
    found = []
    for name in tables:
        drop = VOLATILE.get(name, [])
        old = pd.read_parquet(old_dir / f"{name}.parquet").drop(columns=drop, errors="ignore")
        new = pd.read_parquet(new_dir / f"{name}.parquet").drop(columns=drop, errors="ignore")
        try:
            pd.testing.assert_frame_equal(old, new, check_exact=True)
        except AssertionError as e:
            found.append(f"{name}: {first_difference(old, new) or ' '.join(str(e).split())[:300]}")
    return found


def first_difference(old: pd.DataFrame, new: pd.DataFrame) -> str | None:
    """The first row that differs, named by its keys, with the first column that differs in it;
    None when the tables differ in shape, columns or types (pandas' own message says how)."""
    if old.shape != new.shape or list(old.columns) != list(new.columns):
        return None
    old, new = old.reset_index(drop=True), new.reset_index(drop=True)
    try:
        differs = {col: (~((old[col] == new[col]) | (old[col].isna() & new[col].isna()))).fillna(True)
                   for col in old.columns}
    except TypeError:  # values that cannot be compared (categories that differ)
        return None
    rows = [int(d.idxmax()) for d in differs.values() if d.any()]
    if not rows:
        return None
    row = min(rows)
    col = next(c for c, d in differs.items() if d[row])
    where = ", ".join(f"{k} {_plain(old.at[row, k])}" for k in _ROW_KEYS if k in old.columns and k != col)
    columns = sum(int(d.any()) for d in differs.values())
    return (f"row {row}" + (f" ({where})" if where else "") + f" differs first in column {col!r}: "
            f"{_plain(old.at[row, col])!r} in the job, {_plain(new.at[row, col])!r} in the rerun; "
            f"{counted(columns, 'column')} {'differs' if columns == 1 else 'differ'}")


def _plain(value):
    """A numpy scalar as the Python value it holds (3.0, not np.float64(3.0))."""
    return value.item() if hasattr(value, "item") else value


def _check_tables(run_dir: Path, meta: dict, tables: list[str]) -> None:
    """Every table the manifest lists is there to compare with, before minutes of rerunning."""
    for name in tables:
        file = run_dir / f"{name}.parquet"
        problem = table_problem(file, written_columns(meta, name))
        if problem:
            raise UserError(f"{file} is listed in {run_dir / MANIFEST} but {problem}; allowed: a "
                            "job folder with every table it wrote")


def _check_complete(cfg, meta: dict, path: Path) -> None:
    """A rerun runs the manifest's config: a key it lacks would be filled with today's default,
    and a rerun that then differed would blame the model for an edit (or for an older salessim
    that had no such key)."""
    as_written = "allowed: the manifest as salessim wrote it"
    lacking = sorted(set(flatten(dataclasses.asdict(cfg))) - set(flatten(meta["config"])))
    if lacking:
        raise UserError(f"the config in {path} lacks {first_few(lacking)}: it was edited, "
                        f"or written by a salessim without that key (made {made_at(meta)}), and a "
                        f"rerun would run today's default in its place ({as_written}; rerun with the "
                        "salessim that wrote it)")
    if manifest_edited(meta):
        raise UserError(f"the config in {path} is not the one the job ran: its fingerprint "
                        f"(config_hash {meta.get('config_hash')!r}) does not match it, so it was "
                        f"edited ({as_written})")
    if not isinstance(meta.get("scenario"), str):
        raise UserError(f"{path} has no scenario name ({as_written})")
    for key, value in (("seed", cfg.sim.seed), ("replications", cfg.sim.replications)):
        if key in meta and meta[key] != value:
            raise UserError(f"{path} says {key} {meta[key]!r}, but its config's sim.{key} is "
                            f"{value!r}: it was edited ({as_written})")


def main(argv: list[str] | None = None) -> int:
    parser = OneLineArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                   epilog=" ".join(__doc__.split("\n\n")[1].split()),
                                   allowed=f"{PROG} RUN_DIR [--out DIR]")
    parser.add_argument("run_dir", type=typed_folder, help="a finished job folder (results/runs/<time> or a sweep job)")
    parser.add_argument("--out", type=typed_folder, default=None, metavar="DIR",
                        help="a new folder to keep the new tables in (default: a temporary folder, "
                             "removed afterwards; a folder that holds a job's results, or lies in a "
                             "sweep's, a job's or a comparison's folder, is refused)")
    if version_asked(sys.argv[1:] if argv is None else list(argv), PROG):
        return 0
    try:
        args = parser.parse_args(argv)
        cfg, meta = read_manifest(args.run_dir)
        _check_complete(cfg, meta, args.run_dir / MANIFEST)
        if args.out is not None:
            check_new_output_folder(args.out, "--out")
        tables = [t for t in meta["tables"] if t in TABLES]
        if not tables:
            raise UserError(f"{args.run_dir / MANIFEST} lists no tables of salessim's to compare "
                            f"(allowed: the manifest of a finished job, whose tables are among "
                            f"{', '.join(TABLES)})")
        _check_tables(args.run_dir, meta, tables)
    except UserError as e:
        exit_with(e, PROG)
    cfg.sim.progress = False
    # The engine is imported once the input is known good: bad input answers without loading it.
    from salessim.runner import run_scenario
    with tempfile.TemporaryDirectory(prefix="salessim-rerun-") as tmp:
        out = args.out or Path(tmp)
        try:
            rerun = run_scenario(cfg, scenario=meta["scenario"], out_dir=out, fits=meta.get("calibrated"))
        except UserError as e:  # its tables could not be written
            exit_with(e, PROG)
        found = differences(args.run_dir, out, tables)
    if found:
        made, now = made_at(meta), made_at(rerun.manifest)  # recorded by the rerun
        code = ("" if made == now else
                f" (the job was made {made}; this salessim is {now}: a change to the "
                f"model changes its numbers, as does an edit of the job's tables)")
        print(f"{PROG}: the rerun differs from {args.run_dir}{code}:", *found, sep="\n  ")
        return 1
    print(f"{PROG}: identical: {', '.join(tables)} reproduced exactly from {args.run_dir / MANIFEST} "
          f"(seed {cfg.sim.seed}, {counted(cfg.sim.replications, 'replication')}, made {made_at(meta)})")
    return 0


def cli() -> None:
    with reader_may_leave(), interrupt_ends_quietly(PROG, KEPT):
        code = main()
    sys.exit(code)


if __name__ == "__main__":
    cli()
