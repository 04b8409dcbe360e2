"""The frozen back-test: two small runs whose tables are stored in tests/data/.

A change that moves any number of the model shows up as a failing test_backtest. When the change
is intended, regenerate the frozen tables and commit them with the change that explains why:

    .venv/bin/python -m tests.backtest
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from salessim.runner import run_scenario
from tests.conftest import tiny_config

DATA = Path(__file__).resolve().parent / "data"
SEED = 424242


# A second, richer run through the same path as the command line: 40 sellers over two years,
# with investments of four kinds, so that the people system (hires judged after their ramp, exits,
# coaching) and the levers are frozen too, not only a year of a tiny organization.
WITH_INVESTMENTS = ["org.sellers=40", "sim.years=2", "sim.replications=2", f"sim.seed={SEED}",
                    "investment=[accelerators,crm,fsm_integrated_development,methodology_training_connected]"]


@functools.cache
def backtest_tables() -> dict[str, pd.DataFrame]:
    import salessim

    res = run_scenario(tiny_config(seed=SEED), scenario="backtest", progress=False)
    invested = salessim.run(WITH_INVESTMENTS, scenario="backtest_investments").summary
    opp = res.opportunities
    outcomes = (opp.groupby(["replication", "segment", "outcome"])
                .agg(n=("opportunity_id", "size"), value_usd=("value_usd", "sum"),
                     cycle_days=("closed_day", "sum"))
                .reset_index())
    return {
        "summary": res.summary.drop(columns=["wall_seconds"]),
        "kpis": res.kpis,
        "outcomes": outcomes,
        "investments_summary": invested.drop(columns=["wall_seconds"]),
    }


if __name__ == "__main__":
    DATA.mkdir(exist_ok=True)
    for name, df in backtest_tables().items():
        df.to_csv(DATA / f"backtest_{name}.csv", index=False)
        print(f"wrote {DATA / f'backtest_{name}.csv'} ({len(df)} rows)")
