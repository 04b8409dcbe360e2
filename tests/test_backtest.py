"""Two small frozen runs: any silent change to the model's numbers fails here (see tests/backtest.py)."""

import pandas as pd
import pytest

from tests.backtest import DATA, backtest_tables


@pytest.mark.parametrize("name", ["summary", "kpis", "outcomes", "investments_summary"])
def test_backtest_matches_frozen_tables(name):
    expected = pd.read_csv(DATA / f"backtest_{name}.csv")
    actual = backtest_tables()[name].copy()
    # Through CSV and back, so both sides carry the same dtypes and float formatting.
    actual = pd.read_csv(pd.io.common.StringIO(actual.to_csv(index=False)))
    pd.testing.assert_frame_equal(actual, expected, check_exact=False, rtol=1e-9, atol=1e-9)
