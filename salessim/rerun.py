"""``salessim-rerun RUN_DIR``: run a finished job again from its manifest and check that every
table comes out identical (same config, same seeds: the same numbers on any machine).

Exit status 0 when identical, 1 when a table differs (named, with the first difference), 2 for
bad input. The new tables go to ``--out`` (default: a temporary folder, removed afterwards).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from salessim.config import Config
from salessim.errors import ConfigError, OneLineArgumentParser, UserError, exit_with
from salessim.preflight import translate
from salessim.outputs import MANIFEST, TABLES
from salessim.validation import to_validated

PROG = "salessim-rerun"
VOLATILE = {"summary": ["wall_seconds"]}  # timings are measured, not simulated


def read_manifest(folder: Path) -> tuple[Config, dict]:
    """A job folder's manifest and its config, checked like a command line's config.

    Shared with salessim-compare: a manifest is input like any other, and a hand-edited or foreign
    one must not size anything (``sim.years`` sets the calendar) before its ranges are checked.
    Anything salessim would not have written is one UserError line naming key, value and allowed.
    """
    path = folder / MANIFEST
    if not folder.is_dir():
        raise UserError(f"{folder} is not a folder (allowed: a finished job folder with a {MANIFEST})")
    try:
        meta = json.loads(path.read_text())
        resolved = meta["config"]  # TypeError when the manifest is a JSON list, number or string
        if not isinstance(resolved, dict):
            raise ValueError
    except (OSError, ValueError, KeyError, TypeError):
        raise UserError(f"{folder} has no readable {MANIFEST} with a config "
                        "(allowed: a folder that salessim wrote, e.g. results/runs/<time>)") from None
    try:
        cfg = _validated(resolved)
    except UserError as e:  # say where the value came from: there is no command line to look at
        raise UserError(f"the config in {path} does not fit this salessim: {e.message}") from None
    tables = meta.get("tables")
    if not isinstance(tables, list) or not all(t in TABLES for t in tables):
        raise ConfigError("tables", tables, f"a list of the table names the job wrote "
                          f"(of {', '.join(TABLES)}) in {path}")
    return cfg, meta


def _validated(resolved: dict) -> Config:
    """The schema's checks on a resolved config; a merge error (a manifest from another version of
    salessim, a wrong type) is translated into the same one line as a bad override."""
    try:
        return to_validated(OmegaConf.merge(OmegaConf.structured(Config), resolved))
    except OmegaConfBaseException as e:
        if not getattr(e, "full_key", None):
            e = _refusal(OmegaConf.structured(Config), resolved) or e
        key = getattr(e, "full_key", None) or ""
        value: object = resolved
        for part in key.split(".") if key else []:
            value = value.get(part, "?") if isinstance(value, dict) else "?"
        raise translate(e, [f"{key}={value}"] if key else []) from None


def _refusal(cfg: DictConfig, resolved: dict, prefix: str = "") -> OmegaConfBaseException | None:
    """The error of the first value the schema refuses, set key by key: a merge that meets a
    value of the wrong shape (a number where a section belongs) names no key; setting it does."""
    for key, value in resolved.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            found = _refusal(cfg, value, name + ".")
            if found:
                return found
            continue
        try:
            OmegaConf.update(cfg, name, value, merge=True)
        except OmegaConfBaseException as e:
            return e
    return None


def differences(old_dir: Path, new_dir: Path, tables: list[str]) -> list[str]:
    found = []
    for name in tables:
        drop = VOLATILE.get(name, [])
        old = pd.read_parquet(old_dir / f"{name}.parquet").drop(columns=drop, errors="ignore")
        new = pd.read_parquet(new_dir / f"{name}.parquet").drop(columns=drop, errors="ignore")
        try:
            pd.testing.assert_frame_equal(old, new, check_exact=True)
        except AssertionError as e:
            found.append(f"{name}: {' '.join(str(e).split())[:300]}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = OneLineArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0],
                                   allowed=f"{PROG} RUN_DIR [--out DIR]")
    parser.add_argument("run_dir", type=Path, help="a finished job folder (results/runs/<time> or a sweep job)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the new tables")
    try:
        args = parser.parse_args(argv)
        cfg, meta = read_manifest(args.run_dir)
    except UserError as e:
        exit_with(e, PROG)
    cfg.sim.progress = False
    # The engine is imported here, not at the top: salessim-compare imports read_manifest and
    # should not pay for loading the simulation.
    from salessim.runner import run_scenario
    tables = [t for t in meta["tables"] if t in TABLES]
    with tempfile.TemporaryDirectory(prefix="salessim-rerun-") as tmp:
        out = args.out or Path(tmp)
        run_scenario(cfg, scenario=meta.get("scenario", "baseline"), out_dir=out)
        found = differences(args.run_dir, out, tables)
    if found:
        print(f"{PROG}: the rerun differs from {args.run_dir}:", *found, sep="\n  ")
        return 1
    print(f"{PROG}: identical: {', '.join(tables)} reproduced exactly from {args.run_dir / MANIFEST} "
          f"(seed {meta.get('seed')}, {meta.get('replications')} replication(s), made at commit "
          f"{meta.get('git_commit')})")
    return 0


def cli() -> None:
    sys.exit(main())


if __name__ == "__main__":
    cli()
