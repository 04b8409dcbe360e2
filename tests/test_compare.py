"""salessim-compare on a small real sweep: the files and their columns, paired versus unpaired
intervals (common random numbers), incomplete jobs reported rather than dropped, bad input ending
with one line and exit status 2, and a report that opens without a network."""

from __future__ import annotations

import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from salessim.compare import COMPARISON_COLUMNS, paired_ci, welch_ci
from salessim.finished_order import SWEEP_RECORDS  # the sweep's, which a comparison leaves alone
from salessim.compare_command import COMPARISON_WRITES, main
from salessim.stats import mean_ci, t_quantile, two_sided_t
from tests.commands import run_module
from tests.conftest import ROOT, run_cli

# The baseline (job 0) has the wider span; job 1 pays for more FSMs, so it has an ROI.
SWEEP_ARGS = ["-m", "fsm.span_of_control=12,5", "sim.replications=8", "sim.years=1",
              "sim.warmup_months=2", "org=small", "hydra.launcher.n_jobs=2"]


def swept(folder: Path, args: list[str]) -> Path:
    """``folder``, into which ``salessim ARGS`` has written its sweep (the test fails with the
    command's last words if it did not)."""
    done = run_cli(*args, f"hydra.sweep.dir={folder}")
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    """A two-scenario sweep written by the real command (a few seconds), compared once."""
    folder = swept(tmp_path_factory.mktemp("sweep"), SWEEP_ARGS)
    assert (folder / "0" / "manifest.json").is_file() and (folder / "1" / "manifest.json").is_file()
    return folder


@pytest.fixture(scope="module")
def compared(sweep) -> tuple[Path, subprocess.CompletedProcess]:
    out = run_module("salessim.compare_command", str(sweep), timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return sweep / "comparison", out


def unspanned(page: str) -> str:
    """A report's HTML with the spans that keep a figure and its interval whole taken out, so that
    a cell reads as the terminal writes it."""
    return re.sub(r"</?span>", "", page)


def scenario_of(job: Path) -> str:
    return json.loads((job / "manifest.json").read_text())["scenario"]


def copy_sweep(sweep: Path, dest: Path) -> Path:
    shutil.copytree(sweep, dest, ignore=shutil.ignore_patterns("comparison"))
    return dest


def job_moved_out(sweep: Path, job: str, outside: Path) -> tuple[Path, Path]:
    """A copy of ``sweep`` whose job ``job`` was moved out of it, to ``outside``: a run elsewhere."""
    copy = copy_sweep(sweep, outside.parent.parent / "sweep")
    outside.parent.mkdir()
    shutil.move(copy / job, outside)
    return copy, outside


def assert_same_comparison(a: Path, b: Path) -> None:
    """comparison.parquet of ``a`` and of ``b`` hold the same rows, in whatever order."""
    first, second = (pd.read_parquet(f / "comparison.parquet")
                     .sort_values(["scenario", "metric"], ignore_index=True) for f in (a, b))
    pd.testing.assert_frame_equal(first, second)


def in_table(job: Path) -> str:
    """What the table and the notes call the fixture sweep's job: its span of control, the one
    setting its scenarios do not share (org=small and the short horizon they do)."""
    return scenario_of(job).split(",")[0]


def compare_in_process(capsys, *argv: str) -> tuple[int, str, str]:
    """main() as the console script runs it: exit status (0 if it returned), stdout, stderr."""
    try:
        main(list(argv))
        code = 0
    except SystemExit as e:
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


# --- the files -------------------------------------------------------------------------------------

def test_comparison_files_have_the_documented_columns(compared, sweep):
    folder, out = compared
    for name in ("comparison.parquet", "comparison.csv", "incomplete_jobs.csv", "report.html"):
        assert (folder / name).is_file(), name
    table = pd.read_parquet(folder / "comparison.parquet")
    written = ("scenario", "scenario_shown", *COMPARISON_COLUMNS[1:])  # the name the table shows beside
    assert tuple(table.columns) == written
    assert list(pd.read_csv(folder / "comparison.csv").columns) == list(written)
    assert len(pd.read_csv(folder / "incomplete_jobs.csv")) == 0
    # one row per scenario x metric; run-control columns are not metrics
    scenarios = {scenario_of(sweep / "0"), scenario_of(sweep / "1")}
    assert set(table.scenario) == scenarios
    assert table.groupby("scenario").metric.apply(list).apply(len).nunique() == 1
    assert {"bookings_usd", "win_rate", "quota_attainment_share", "seller_turnover_rate"} <= set(table.metric)
    assert not {"replication", "seed", "events", "wall_seconds", "window_years"} & set(table.metric)
    assert (table.n <= 8).all()  # NaN where a replication has no such deal (e.g. no enterprise win)
    assert (table[table.metric.isin(["bookings_usd", "win_rate"])].n == 8).all()


def test_money_is_yearly_and_the_first_job_is_the_baseline(compared, sweep):
    folder, out = compared
    table = pd.read_parquet(folder / "comparison.parquet").set_index(["scenario", "metric"])
    base, other = scenario_of(sweep / "0"), scenario_of(sweep / "1")
    s0 = pd.read_parquet(sweep / "0" / "summary.parquet")
    s1 = pd.read_parquet(sweep / "1" / "summary.parquet")
    row = table.loc[(base, "bookings_usd")]
    assert row["mean"] == pytest.approx((s0.bookings_usd / s0.window_years).mean())
    assert row.per_year and not table.loc[(base, "win_rate")].per_year
    assert not table.loc[(base, "mean_deal_usd_smb")].per_year  # a mean per deal, not a total
    assert row.diff_vs_baseline == 0 and math.isnan(row.roi)
    diff = table.loc[(other, "bookings_usd")]
    paired = (s1.bookings_usd / s1.window_years - s0.bookings_usd / s0.window_years).mean()
    assert diff.diff_vs_baseline == pytest.approx(paired)
    assert diff.incremental_bookings_usd_per_year == pytest.approx(paired)
    cost = (s1.total_cost_usd / s1.window_years - s0.total_cost_usd / s0.window_years).mean()
    assert diff.incremental_cost_usd_per_year == pytest.approx(cost)
    market = json.loads((sweep / "0" / "manifest.json").read_text())["config"]["market"]
    margin = market.get("gross_margin", 1.0)
    assert cost > 0  # more FSMs
    assert diff.roi == pytest.approx((margin * paired - cost) / cost)  # no fee: per extra cost
    assert "the first job (0) is the baseline" in out.stdout
    # the scenarios by their names in the table: what sets them apart (the span of control)
    for word in ("bookings USD/yr", "paired diff", "net gain USD/yr", "win rate", "at quota", "turnover",
                 "ROI",
                 in_table(sweep / "0"), in_table(sweep / "1")):
        assert word in out.stdout
    assert base not in out.stdout and "Every scenario also has org=small" in out.stdout
    notes = (folder / "report.html").read_text().split("<div class='note'><ul>")[1].split("</ul>")[0]
    assert f"<li>Baseline: {in_table(sweep / '0')} (job 0), " in notes and base not in notes  # the report's too


def test_pairing_narrows_the_bookings_interval(compared, sweep):
    """Common random numbers: the paired CI of the bookings difference is narrower than Welch's."""
    table = pd.read_parquet(compared[0] / "comparison.parquet")
    row = table[(table.scenario == scenario_of(sweep / "1")) & (table.metric == "bookings_usd")].iloc[0]
    paired = row.diff_ci_high - row.diff_ci_low
    unpaired = row.diff_ci_unpaired_high - row.diff_ci_unpaired_low
    assert paired < unpaired, (f"paired [{row.diff_ci_low:,.0f}, {row.diff_ci_high:,.0f}] is not narrower "
                               f"than unpaired [{row.diff_ci_unpaired_low:,.0f}, "
                               f"{row.diff_ci_unpaired_high:,.0f}]")


def test_the_report_says_where_each_net_gain_comes_from(compared):
    """A net gain made of a saving read as one made of margin: the report sets out the extra gross
    margin and each cost's change, which add up to the net gain (USD a year, paired). A span of 5
    instead of 12 adds FSMs: their salaries are a cost change of their own."""
    import html
    import re

    page = (compared[0] / "report.html").read_text()
    section = page[page.index("<h2>Where each net gain comes from</h2>"):]
    row = re.search(r"<tr[^>]*><td>([^<]*span_of_control=5[^<]*)</td>(.*?)</tr>", section).group(2)
    cells = [float(html.unescape(c).replace(",", "")) for c in re.findall(r"<span>([^<]*)</span>", row)]
    margin, *costs, gain = cells
    assert len(costs) == 6 and costs[2] > 0  # Δ FSMs: more of them at the narrower span
    assert margin - sum(costs) == pytest.approx(gain, abs=4.0)  # each rounded to the dollar


def test_report_is_self_contained(compared):
    page = (compared[0] / "report.html").read_text()
    assert page.count("data:image/png;base64,") >= 4  # distributions, differences, months, ROI
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert "://" not in page  # no http(s) or file links at all (':' is not in base64)
    assert "Incomplete jobs" in page and "None: all 2 job folders finished" in page


def test_the_ranking_csv_holds_the_tables_figures_a_row_per_scenario(compared):
    """An analyst looking in comparison.csv for the table's net gain found it as the paired change of
    contribution_usd, and the ROI and payback repeated on every metric row: ranking.csv has the
    ranking a row per scenario, in the terminal's order, each figure once."""
    folder = compared[0]
    ranking = pd.read_csv(folder / "ranking.csv")
    long = pd.read_csv(folder / "comparison.csv").set_index(["scenario", "metric"])
    assert list(ranking["rank"]) == list(range(1, len(ranking) + 1)) and ranking.baseline.sum() == 1
    assert ranking.scenario.is_unique and set(ranking.scenario) == set(long.index.get_level_values(0))
    assert ranking.net_gain_usd_per_year.is_monotonic_decreasing  # ranked by it, the default
    for r in ranking.itertuples():
        gain, bookings = long.loc[(r.scenario, "contribution_usd")], long.loc[(r.scenario, "bookings_usd")]
        assert r.net_gain_usd_per_year == pytest.approx(gain.diff_vs_baseline, rel=1e-9, abs=1e-6)
        assert r.bookings_usd_per_year == pytest.approx(bookings["mean"], rel=1e-9)
        assert r.bookings_diff_ci_low == pytest.approx(bookings.diff_ci_low, rel=1e-9, nan_ok=True)
        assert r.roi == pytest.approx(bookings.roi, rel=1e-9, nan_ok=True)
        assert r.payback_months == pytest.approx(bookings.payback_months, nan_ok=True)
    base = ranking[ranking.baseline].iloc[0]
    assert base.net_gain_usd_per_year == 0 and math.isnan(base.net_gain_ci_low)
    # each scenario also as the terminal names it, without the settings all share (an analyst
    # filtering ranking.csv by the terminal's name found no row)
    assert set(ranking.scenario_shown) == {"fsm.span_of_control=12", "fsm.span_of_control=5"}
    assert all(name in compared[1].stdout for name in ranking.scenario_shown)
    for table in (long.reset_index(), pd.read_csv(folder / "payback.csv")):
        shown = table.scenario.map(dict(zip(ranking.scenario, ranking.scenario_shown)))
        assert (shown == table.scenario_shown).all()


def test_a_second_run_replaces_the_comparison_and_leaves_no_temporary_folder(sweep, tmp_path, capsys):
    copy = copy_sweep(sweep, tmp_path / "s")
    (copy / "comparison").mkdir()
    (copy / "comparison" / "report.html").write_text("old")
    (copy / "comparison" / ".DS_Store").write_text("")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--metrics", "bookings_usd,win_rate")
    assert code == 0, err
    assert sorted(p.name for p in (copy / "comparison").iterdir()) == sorted(COMPARISON_WRITES)
    assert sorted(p.name for p in copy.iterdir()
                  if p.name.startswith(".") and p.name not in SWEEP_RECORDS) == []
    table = pd.read_parquet(copy / "comparison" / "comparison.parquet")
    assert set(table.metric) == {"bookings_usd", "win_rate"}
    assert "Plots were skipped" in (copy / "comparison" / "report.html").read_text()
    assert "replaced the earlier comparison" not in out  # a stray folder, not a comparison
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    # Say so: a comparison made with another --baseline would be gone without a word.
    assert f"replaced the earlier comparison in {copy / 'comparison'}" in " ".join(out.split())


def test_a_comparison_folder_holding_what_compare_did_not_write_is_not_replaced(sweep, tmp_path, capsys):
    """A comparison replaces its folder whole: a run placed in it, or a user's notes, went with it."""
    copy = copy_sweep(sweep, tmp_path / "s")
    assert compare_in_process(capsys, str(copy), "--no-plots")[0] == 0
    (copy / "comparison" / "notes.txt").write_text("mine")
    (copy / "comparison" / "myrun").mkdir()
    before = sorted(p.name for p in (copy / "comparison").iterdir())
    for argv in ([str(copy)], [str(copy), "--out", str(copy / "comparison")]):
        code, out, err = compare_in_process(capsys, *argv, "--no-plots")
        assert code == 2 and err.count("\n") == 1, err
        assert (f"{copy / 'comparison'} holds what salessim-compare did not write (myrun, notes.txt), "
                "which replacing its comparison would delete") in err, err
        assert sorted(p.name for p in (copy / "comparison").iterdir()) == before


_TERMINATED_WHILE_WRITING = """
import os, signal, sys, time
import salessim.report
def build_report(*args, **kwargs):  # a batch scheduler's stop, mid-write
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)
salessim.report.build_report = build_report
from salessim.compare_command import main
sys.argv = ["salessim-compare", sys.argv[1], "--no-plots"]
main()
"""


def test_a_sigterm_while_writing_is_one_line_exit_143_and_leaves_no_half_built_folder(sweep, tmp_path):
    """A SIGTERM (kill, timeout, a batch scheduler) ended salessim-compare at once without a word,
    and its half-built .comparison.tmp-PID stayed beside the sweep for good."""
    copy = copy_sweep(sweep, tmp_path / "s")
    done = subprocess.run([sys.executable, "-c", _TERMINATED_WHILE_WRITING, str(copy)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr.splitlines()[-1:]) == (
        143, ["salessim-compare: terminated; a comparison folder is replaced only by a complete one"]), done.stderr
    assert sorted(p.name for p in copy.iterdir()
                  if p.name.startswith(".") and p.name not in SWEEP_RECORDS or p.name == "comparison") == []


def test_what_a_comparison_killed_outright_left_is_cleared_and_a_moved_comparison_put_back(tmp_path):
    """SIGKILL leaves the half-built folder, or, between the two renames, the previous comparison
    moved aside and none in its place: the next comparison clears the one and puts back the other,
    leaving what a running comparison is writing."""
    from salessim.compare_command import clear_leftovers

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    for name in (f".comparison.tmp-{gone}", f".comparison.old-{gone}", f".comparison.tmp-{os.getpid()}"):
        (tmp_path / name).mkdir()
    (tmp_path / f".comparison.old-{gone}" / "report.html").write_text("the previous comparison")
    clear_leftovers(tmp_path / "comparison")
    assert (tmp_path / "comparison" / "report.html").read_text() == "the previous comparison"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".comparison.tmp-{os.getpid()}", "comparison"]
    (tmp_path / f".comparison.tmp-{gone}").mkdir()
    clear_leftovers(tmp_path / "comparison")  # a comparison in place: a stale tmp goes
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".comparison.tmp-{os.getpid()}", "comparison"]


def test_a_comparison_of_many_scenarios_says_it_is_drawing_the_figures(sweep, tmp_path, capsys,
                                                                      monkeypatch):
    """Nothing else is printed until the report is written, which takes a minute for 100
    scenarios; the fixture's two scenarios stand in for many."""
    import salessim.compare_command as command
    monkeypatch.setattr(command, "FIGURES_SAID_FROM", 2)
    copy = copy_sweep(sweep, tmp_path / "s")
    code, out, err = compare_in_process(capsys, str(copy), "--metrics", "bookings_usd")
    assert code == 0, err
    assert "2 scenarios compared; drawing the report's figures" in err and "--no-plots" in err
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--metrics", "bookings_usd")
    assert code == 0 and "drawing" not in err
    monkeypatch.setattr(command, "FIGURES_SAID_FROM", 3)
    code, out, err = compare_in_process(capsys, str(copy), "--metrics", "bookings_usd")
    assert code == 0 and "drawing" not in err


def test_the_terminal_shows_the_figures_metrics_selects(sweep, tmp_path, capsys):
    """A validation sweep is read from the figure it validates, not from bookings: --metrics
    prints each selected figure but bookings, mean and paired change, by scenario: the ranking's
    table has the win rate's mean alone (and drops it in a narrow terminal)."""
    copy = copy_sweep(sweep, tmp_path / "s")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--metrics",
                                        "win_rate,status_quo_share")
    assert code == 0, err
    block = out[out.index("Stalled before the buying phase (status_quo_share):"):]
    table = pd.read_parquet(copy / "comparison" / "comparison.parquet").set_index(["scenario", "metric"])
    other = table.loc[(scenario_of(copy / "1"), "status_quo_share")]
    assert f"{100 * other['mean']:.1f}% [{100 * other.ci_low:.1f}%, {100 * other.ci_high:.1f}%]" in block
    assert f"{100 * other.diff_vs_baseline:+.1f} pp [" in block and "baseline" in block
    assert "Win rate of forecast deals (win_rate):" in out
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert "(status_quo_share):" not in out  # without --metrics, the table alone


def test_the_figures_metrics_selects_read_in_the_jobs_order_not_the_rankings(sweep, tmp_path, capsys):
    """A validation sweep's relationship reads down the swept values: with job 1 as the baseline,
    the ranking puts it first, the figures' rows keep job 0 before job 1."""
    copy = copy_sweep(sweep, tmp_path / "s")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--baseline", "1",
                                        "--metrics", "win_rate")
    assert code == 0, err
    ranked = [line.split()[0] for line in out[:out.index("(win_rate):")].splitlines()
              if line.startswith("fsm.")]
    assert ranked == ["fsm.span_of_control=5", "fsm.span_of_control=12"], out  # the baseline first
    block = out[out.index("(win_rate):"):].splitlines()
    rows = [line for line in block if line.split()[:1] and line.split()[0].startswith("fsm.")]
    assert [row.split()[0] for row in rows] == ["fsm.span_of_control=12", "fsm.span_of_control=5"], block


# --- payback ----------------------------------------------------------------------------------------

def test_months_to_pay_back_counts_to_the_last_month_at_or_below_zero():
    from salessim.payback import months_to_pay_back

    def months(*values):
        return months_to_pay_back(pd.Series(values, dtype=float))

    assert months(-3, -1, 2, 5) == 3
    assert months(-1, 2, -1, 3) == 4  # paid back for good: a relapse below 0 starts again
    assert months(1, 2) == 1  # above 0 from the first month
    assert math.isnan(months(-1, -2)) and math.isnan(months(1, 0))  # ends at or below 0: not paid back
    assert math.isnan(months(math.nan, math.nan))  # one replication: no interval to settle it
    assert math.isnan(months())


def test_the_payback_curve_sums_to_the_rankings_net_gain(compared, sweep):
    """payback.csv: one row per scenario but the baseline and month from its launch (a span of
    control differs from the start: the warm-up's end); at the horizon, the cumulative net gain
    is the paired change in contribution_usd, so over the window's years it is the ranking's net
    gain per year, and the sum of the months' extra margin less extra cost."""
    from salessim.payback import PAYBACK_COLUMNS

    folder, _ = compared
    curves = pd.read_csv(folder / "payback.csv")
    assert tuple(curves.columns) == ("scenario", "scenario_shown", *PAYBACK_COLUMNS[1:])
    assert set(curves.scenario) == {scenario_of(sweep / "1")}
    # sim.years=1 with a 2-month warm-up: months 2 to 11, 1 to 10 after the warm-up
    assert curves.month.tolist() == list(range(2, 12))
    assert curves.months_after_start.tolist() == list(range(1, 11))
    assert (curves.pairs == 8).all()
    base, other = (pd.read_parquet(sweep / job / "summary.parquet").set_index("replication")
                   for job in ("0", "1"))
    gain = other.contribution_usd - base.contribution_usd
    last = curves.iloc[-1]
    assert last.cumulative_net_gain_usd == pytest.approx(gain.mean(), rel=1e-9)
    assert (curves.extra_gross_margin_usd - curves.extra_cost_usd).sum() == pytest.approx(gain.mean(), rel=1e-9)
    m, h = mean_ci(gain)
    assert (last.ci_low, last.ci_high) == pytest.approx((m - h, m + h), rel=1e-9)
    table = pd.read_parquet(folder / "comparison.parquet")
    row = table[table.scenario == scenario_of(sweep / "1")].iloc[0]
    mean = curves.cumulative_net_gain_usd
    if math.isnan(row.payback_months):  # not paid back: it ends at or below 0
        assert mean.iloc[-1] <= 0
    else:  # above 0 from that month on, and not the month before
        k = int(row.payback_months)
        assert (mean.iloc[k - 1:] > 0).all() and (k == 1 or mean.iloc[k - 2] <= 0)
    per_year = table[table.metric == "contribution_usd"].set_index("scenario").diff_vs_baseline
    assert per_year[row.scenario] == pytest.approx(gain.mean() / base.window_years.mean(), rel=1e-9)
    # undiscounted, the net present value is the window's net gain, with its interval
    assert (row.npv_usd, row.npv_ci_low, row.npv_ci_high) == pytest.approx((m, m - h, m + h), rel=1e-9)
    assert (curves.discount_rate == 0).all()


def test_a_discount_rate_sums_each_months_net_gain_at_its_present_value(sweep, tmp_path, capsys):
    """--discount-rate: each month's paired net gain at its value at the end of the warm-up, money
    in mid-month; the sum at the horizon is the NPV the ranking shows; the terminal and the report
    show it and say what it is."""
    from salessim.model.calendar import Calendar

    copy = copy_sweep(sweep, tmp_path / "sweep")
    code, out, _ = compare_in_process(capsys, str(copy), "--no-plots")
    plain = pd.read_csv(copy / "comparison" / "payback.csv")
    assert (pd.read_csv(copy / "comparison" / "comparison.csv").discount_rate == 0).all()
    code, out, _ = compare_in_process(capsys, str(copy), "--no-plots", "--discount-rate", "0.25",
                                      "--rank-by", "npv")
    assert code == 0
    # the payback's legend and the NPV's on one line, apart ("...and the report.NPV: ..." once)
    assert "its course month by month is in payback.csv and the report. NPV: the paired" in out, out
    curves = pd.read_csv(copy / "comparison" / "payback.csv")
    assert (curves.discount_rate == 0.25).all()
    cal = Calendar(1.0)  # the sweep's years; its warm-up is 2 months
    middle = [(cal.month_start_day(m) + cal.month_start_day(m + 1)) / 2 - cal.month_start_day(2)
              for m in curves.month]
    factors = 1.25 ** (-pd.Series(middle) / 364.0)
    net = plain.extra_gross_margin_usd - plain.extra_cost_usd  # means of the paired differences
    assert curves.cumulative_net_gain_usd.tolist() == pytest.approx((net * factors).cumsum().tolist(), rel=1e-9)
    assert (curves.extra_cost_usd == plain.extra_cost_usd).all()  # the month's own money, undiscounted
    table = pd.read_csv(copy / "comparison" / "comparison.csv")
    assert (table.discount_rate == 0.25).all()  # a comparison at 25% told from one without
    row = table.dropna(subset=["npv_usd"]).iloc[0]
    assert row.npv_usd == pytest.approx(curves.cumulative_net_gain_usd.iloc[-1], rel=1e-9)
    assert row.npv_usd != pytest.approx(plain.cumulative_net_gain_usd.iloc[-1], rel=1e-3)
    assert "NPV (25%) [95% CI]" in out and "Ranked by the paired net present value of the window" in out
    assert "discounted at 25% a year (the payback is too)" in out
    page = (copy / "comparison" / "report.html").read_text()
    assert "NPV at 25%/yr of the window [95% CI]" in page and "discounted as the NPV is" in page
    assert ("nominal and not discounted, but for the NPV, the payback and the deepest shortfall, which "
            "sum the months&#x27; net gains at their present value (at 25%/yr)") in page


def test_a_confidence_level_sets_every_interval_and_is_said_where_they_are(sweep, tmp_path, capsys):
    """--confidence 0.9: every interval, paired, unpaired, of a mean, of the net gain and of the
    payback band, narrows by Student's t at 90% over t at 95% at its own degrees of freedom; the
    tables record the level and the terminal and the report name it."""
    from salessim.stats import two_sided_t

    copy = copy_sweep(sweep, tmp_path / "sweep")
    compare_in_process(capsys, str(copy), "--no-plots")
    at95 = pd.read_csv(copy / "comparison" / "comparison.csv")
    band95 = pd.read_csv(copy / "comparison" / "payback.csv")
    code, out, _ = compare_in_process(capsys, str(copy), "--no-plots", "--confidence", "0.9")
    assert code == 0
    at90 = pd.read_csv(copy / "comparison" / "comparison.csv")
    band90 = pd.read_csv(copy / "comparison" / "payback.csv")
    assert (at95.confidence == 0.95).all() and (at90.confidence == 0.9).all()
    assert (band95.confidence == 0.95).all() and (band90.confidence == 0.9).all()
    money = at90[(at90.metric == "bookings_usd") & at90.diff_ci_low.notna()]
    assert len(money) and (money.n == money.n.iloc[0]).all()
    df = int(money.n.iloc[0]) - 1
    shrink = two_sided_t(0.9, df) / two_sided_t(0.95, df)
    ref = at95.loc[money.index]
    assert (money.diff_ci_high - money.diff_ci_low).tolist() == pytest.approx(
        (shrink * (ref.diff_ci_high - ref.diff_ci_low)).tolist(), rel=1e-9)
    assert (money.ci_high - money["mean"]).tolist() == pytest.approx(  # the low edge may stop at 0
        (shrink * (ref.ci_high - ref["mean"])).tolist(), rel=1e-9)
    unpaired = (money.diff_ci_unpaired_high - money.diff_ci_unpaired_low) / (
        ref.diff_ci_unpaired_high - ref.diff_ci_unpaired_low)
    assert ((unpaired < 1) & (unpaired > two_sided_t(0.9, 1) / two_sided_t(0.95, 1))).all()  # Welch's df
    assert (band90.ci_high - band90.ci_low).tolist() == pytest.approx(
        (shrink * (band95.ci_high - band95.ci_low)).tolist(), rel=1e-9)
    assert (band90.cumulative_net_gain_usd == band95.cumulative_net_gain_usd).all()
    assert "paired diff vs baseline [90% CI]" in out and "95%" not in out
    page = (copy / "comparison" / "report.html").read_text()
    assert "change vs baseline, paired [90% CI]" in page and "with 90% confidence" in page
    assert "95%" not in page


def test_in_short_and_the_leaders_line_name_the_level_of_their_intervals(sweep, tmp_path, capsys):
    """A figure in brackets is read at the level it is said to be: "In short" and the line setting
    the first two against each other are read on their own, away from the ranking's column heads."""
    from types import SimpleNamespace

    from salessim.ranking_notes import leaders_note

    copy = copy_sweep(sweep, tmp_path / "sweep")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--confidence", "0.9")
    assert code == 0, err
    page = unspanned((copy / "comparison" / "report.html").read_text())
    short = page[page.index("<h2>In short</h2>"):page.index("<h2>The organization</h2>")]
    assert "</b>, paired against the baseline [90% CI]: bookings " in short, short
    values = {s: pd.DataFrame({"bookings_usd": [1.0, 2.0, 4.0], "gross_margin_usd": [1.0, 1.0, 2.0],
                               "total_cost_usd": [0.0, 0.0, 1.0]}) for s in ("base", "a", "b")}
    scenarios = pd.DataFrame([_scenario("a", False), _scenario("b", False), _scenario("base", True)])
    note = leaders_note(SimpleNamespace(scenarios=scenarios, values=values, confidence=0.9))
    assert ": a minus b, paired [90% CI], bookings per year 0 [0, 0]" in note, note


def test_the_report_opens_with_links_to_its_sections():
    """A report of many scenarios runs to 100,000 characters: a line of links under its head leads
    to each section, whose heading is left as it was."""
    from salessim.report import _with_contents

    body = ["<h1>Scenario comparison</h1>", "<p class='alert'>1 job incomplete</p>", "<h2>In short</h2>",
            "<p>x</p>", "<h2>Where each net gain comes from</h2>", "<h2 id='incomplete'>Incomplete jobs</h2>"]
    made = _with_contents(body)
    assert made[:2] == body[:2]  # the head and its alerts first
    assert made[2] == ("<nav class='sub'>Contents: <a href='#in-short'>In short</a> · <a "
                       "href='#where-each-net-gain-comes-from'>Where each net gain comes from</a> · <a "
                       "href='#incomplete'>Incomplete jobs</a></nav>")
    assert made[3:] == ["<a id='in-short'></a>", "<h2>In short</h2>", "<p>x</p>",
                        "<a id='where-each-net-gain-comes-from'></a>",
                        "<h2>Where each net gain comes from</h2>", "<h2 id='incomplete'>Incomplete jobs</h2>"]


def test_a_budget_is_read_as_a_planner_types_it():
    from salessim.compare_command import parse_args

    for typed, amount in (("500000", 5e5), ("500,000", 5e5), ("500k", 5e5), ("1.5M", 1.5e6), ("2e6", 2e6),
                          ("1,500,000", 1.5e6), ("1,250.5k", 1.2505e6), ("1500.5", 1500.5),
                          ("1500.50", 1500.5)):
        assert parse_args(["s", "--budget", typed]).budget == amount, typed
    assert parse_args(["s"]).budget is None


def test_a_first_year_is_said_to_be_estimated_only_where_it_is():
    """'(…, estimated from its 1 months)' was said of a yearly figure that stood in for a first year
    with a single month measured; a first year from 10 months is an estimate, one from 12 is not."""
    from salessim.compare import first_year_estimated, first_year_spend

    ten = pd.Series({"first_year_investment_usd": 1e5, "window_months": 10})
    assert first_year_estimated(ten) == ", estimated from its 10 months"
    assert first_year_estimated(ten.copy().replace({10: 12})) == ""
    single = pd.Series({"first_year_investment_usd": math.nan, "window_months": 1,
                        "incremental_investment_usd_per_year": 6e5})
    assert first_year_estimated(single) == "" and first_year_spend(single) == 6e5
    assert first_year_spend(pd.Series({"first_year_investment_usd": math.nan})) == 0.0  # none differs


def test_a_budget_over_settings_alone_is_said_to_bound_nothing(sweep, tmp_path, capsys):
    """Spans of control change FSMs' pay, not investments: a budget bounds nothing there, which
    'every scenario fits' left unsaid."""
    copy = copy_sweep(sweep, tmp_path / "sweep")
    code, out, _ = compare_in_process(capsys, str(copy), "--no-plots", "--budget", "50k")
    assert code == 0
    assert ("No scenario spends more on investments than the baseline: the budget (--budget) bounds nothing "
            "here (it bounds investments' fees, not pay or headcount).") in " ".join(out.split())


def test_a_sweeps_own_budget_holds_where_the_comparison_gives_none(sweep, tmp_path, capsys):
    """A sales-ops analyst could not keep the budget with the experiment: experiment_budget_usd,
    set for the sweep, is the comparison's budget unless --budget gives another; it changes no
    table, so the jobs' fingerprints hold without it, and a sweep run under two is refused."""
    from salessim.outputs import config_hash, manifest_edited

    copy = copy_sweep(sweep, tmp_path / "sweep")

    def budget_jobs(*budgets):
        for job, budget in zip(("0", "1"), budgets):
            meta = json.loads((copy / job / "manifest.json").read_text())
            meta["config"]["experiment_budget_usd"] = budget
            (copy / job / "manifest.json").write_text(json.dumps(meta))
            assert not manifest_edited(meta) and config_hash(meta["config"]) == meta["config_hash"]

    budget_jobs(50_000.0, 50_000.0)
    code, out, _ = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0
    assert ("the budget (experiment_budget_usd, the sweep's; --budget sets another) bounds nothing here"
            in " ".join(out.split()))
    code, out, _ = compare_in_process(capsys, str(copy), "--no-plots", "--budget", "60k")
    assert code == 0 and "the budget (--budget) bounds nothing here" in " ".join(out.split())
    assert pd.read_csv(copy / "comparison" / "ranking.csv").budget_usd.eq(60_000).all()
    budget_jobs(50_000.0, None)  # a job run before the budget was set (a resume skipped it) has none
    code, out, _ = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0 and "experiment_budget_usd, the sweep's" in " ".join(out.split())
    # a resume that set it skipped the finished jobs: the sweep's record holds it, the manifests not
    record = yaml.safe_load((copy / "multirun.yaml").read_text())
    budget_jobs(50_000.0, 80_000.0)
    (copy / "multirun.yaml").write_text(yaml.safe_dump({**record, "experiment_budget_usd": 300_000.0}))
    code, out, _ = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0 and pd.read_csv(copy / "comparison" / "ranking.csv").budget_usd.eq(300_000).all()
    (copy / "multirun.yaml").write_text(yaml.safe_dump(record))  # none recorded: the manifests'
    code, _, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 2 and err.strip() == (
        "salessim-compare: error: experiment_budget_usd=50000, 80000 is not allowed: one budget for the "
        "sweep's jobs, which were run under several (allowed: one, or the comparison's own, --budget USD)")


def test_a_confidence_level_is_named_as_it_was_given():
    """The heads and notes name the level the intervals were computed at, not a rounding of it:
    --confidence 0.98765 gave intervals at 98.765% under heads saying 98.77%."""
    from salessim.compare import percent

    assert [percent(c) for c in (0.95, 0.9, 0.5, 0.999, 0.955, 0.57)] == ["95%", "90%", "50%", "99.9%",
                                                                         "95.5%", "57%"]
    assert percent(0.98765) == "98.765%" and percent(0.9876543) == "98.76543%"


@pytest.fixture(scope="module")
def training_sweep(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("training")
    done = run_cli("-m", "investment=[],[methodology_training_connected]", "org=small", "sim.years=2",
                   "sim.replications=6", "sim.warmup_months=2", "hydra.launcher.n_jobs=2",
                   f"hydra.sweep.dir={folder}")
    assert done.returncode == 0, done.stderr[-2000:]
    out = run_module("salessim.compare_command", str(folder), "--no-plots", timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return folder


def test_a_change_in_place_from_the_first_day_names_what_its_warm_up_cost(compared, sweep, training_sweep):
    """A span of control differs from the baseline from day 0, so its payback counts from the
    window's start as if it were in place by then: the note gives what its warm-up cost beyond
    the baseline's (more FSMs' pay), which no figure counts. A training launched at the warm-up's
    end differs in nothing before it, and gets no such note."""
    _, out = compared
    kpis = {job: pd.read_parquet(sweep / job / "kpis.parquet") for job in ("0", "1")}
    warm = {job: k[k.month < 2].drop_duplicates(["replication", "month"]).cost_total_usd.sum() / 8
            for job, k in kpis.items()}
    extra = warm["1"] - warm["0"]
    assert extra > 10_000  # span 5 against 12: more FSMs for two months
    note = next(line for line in out.stdout.splitlines() if "from the first day" in line)
    assert f"cost {extra:,.0f} USD more" in note and in_table(sweep / "1") in note
    assert "from the first day" not in (training_sweep / "comparison" / "report.html").read_text()


def test_a_job_with_another_seed_is_said_to_differ_by_chance_not_by_its_settings(sweep, tmp_path, capsys):
    """Another seed is other luck from the first day: what its warm-up cost beyond the baseline's is
    chance, not the cost of a change, and the baseline's settings with another seed alone measure
    nothing but chance, which no note should call the effect of its settings. (A job of the sweep
    with the configuration of another and another seed would be pooled with it: test_seed_pooling.py;
    a baseline run apart is pooled with none.)"""
    copy = copy_sweep(sweep, tmp_path / "s")
    (copy / "1" / "manifest.json").unlink()  # only job 0, the baseline's config, is compared
    apart = tmp_path / "apart"
    shutil.copytree(copy / "0", apart)
    _edit_manifest(apart, lambda meta: (meta["config"]["sim"].update(seed=meta["seed"] + 1),
                                        meta.update(seed=meta["seed"] + 1)))
    # its luck costs 100,000 USD less than the sweep's: doing nothing then "spends" more
    _table("summary", lambda t: t.assign(total_cost_usd=t.total_cost_usd - 100_000))(apart)
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--baseline", str(apart))
    assert code == 0, err
    assert "pairing does not narrow their intervals, and part of every difference" in out
    assert "the baseline's settings with another seed alone: every change shown for them" in out
    assert "from the first day (its settings)" not in out  # its warm-up differs by chance
    assert "costs its settings changed" not in out and "other costs its settings changed" not in out
    # nor a return: its changes are chance (an ROI of -136.2%*? was shown, its '*' calling a chance
    # cost a saving)
    row = pd.read_csv(copy / "comparison" / "comparison.csv").query("metric == 'bookings_usd'")
    assert row.roi.isna().all() and "*: its other running costs fall below" not in out
    # the report's opening answer says so too: a reader may stop there (it read 'The baseline ranks
    # first ... every scenario ranks below it', with the seed said only in the notes below)
    short = unspanned((copy / "comparison" / "report.html").read_text()).split("<h2>In short</h2>")[1]
    assert "Read it with care: it ran on other random numbers than the baseline (another sim.seed), so " \
           "part of its difference is chance, not its settings&#x27; (the notes below say more)." in \
           short.split("</p>")[0], short[:2000]
    # and the terminal's, whose notes are above it
    assert "Read it with care: it ran on other random numbers than the baseline (another sim.seed), so " \
           "part of its difference is chance, not its settings' (the notes above say more)." in \
           " ".join(out.split("In short: ")[1].split()), out


def test_a_training_dips_below_zero_before_it_pays(training_sweep):
    """An investment that costs up front starts below the baseline: connected methodology
    training's design fee and its first sellers' fees (166,667 USD more in its first month, 20
    sellers), and their hours in class, put the cumulative net gain 231,000 USD under the baseline
    after one month, settled (the interval's top -134,000), and lowest in the third month
    (-276,000). Measured: 6 replications of 2 years, 2-month warm-up. (The training as an event,
    which this sweep used to hold, ends the 22 months below the baseline on some model paths:
    6 replications of 20 sellers cannot settle its return.)"""
    curves = pd.read_csv(training_sweep / "comparison" / "payback.csv")
    kpis = [pd.read_parquet(training_sweep / job / "kpis.parquet").set_index(["replication", "month"])
            for job in ("0", "1")]
    extra = (kpis[1].cost_investment_usd - kpis[0].cost_investment_usd).groupby("month").mean()
    first = curves.iloc[0]
    assert extra[first.month] > 50_000  # the fees charged in the first month
    assert first.cumulative_net_gain_usd < -extra[first.month] * 0.5 and first.ci_high < 0
    trough = curves.cumulative_net_gain_usd.idxmin()
    assert curves.months_after_start[trough] <= 4 and curves.cumulative_net_gain_usd[trough] < -100_000
    assert first.extra_investment_usd == pytest.approx(extra[first.month])  # the fees, month by month
    row = pd.read_csv(training_sweep / "comparison" / "comparison.csv").dropna(subset=["deepest_shortfall_usd"]).iloc[0]
    assert row.deepest_shortfall_usd == pytest.approx(curves.cumulative_net_gain_usd[trough])
    assert row.deepest_shortfall_month == curves.months_after_start[trough]
    # and it pays back within the 22 months measured (month 9 on the mean, 6 replications)
    assert curves.cumulative_net_gain_usd.iloc[-1] > 0 and 4 < row.payback_months <= 22


def test_the_report_says_whose_organization_it_is_about(compared):
    """A report forwarded without its command line still says what was simulated: the baseline's
    sellers, managers, quotas and pay, and every setting it changes from salessim's defaults; the
    settings every scenario shares are said once and left out of the names."""
    page = (compared[0] / "report.html").read_text().replace("<wbr>", "")  # line-break hints
    org = page[page.index("<h2>The organization</h2>"):page.index("<h2>Scenarios</h2>")]
    for said in ("20: SMB 8 (40%), mid-market 8 (40%), enterprise 4 (20%)",
                 "2, 10.0 sellers per FSM on average (span of control 12 asked, in whole teams)",
                 "quota per seller a year (USD)", "SMB 580,000", "1 year, the first 2 months a warm-up",
                 "fsm.span_of_control: 8.5 → 12", "org.sellers: 100 → 20", "8 replications"):
        assert html.escape(said) in org, said
    from salessim.report_table import fsms_said
    assert fsms_said(100, 8.5) == ("12, 8.3 sellers per FSM on average (span of control 8.5 asked, in whole "
                                   "teams)")
    assert fsms_said(24, 8.0) == "3 (span of control 8)"
    # How long and how often it ran is said once, as what was simulated, not as a setting.
    assert "sim.warmup_months" not in org and "sim.replications" not in org and "sim.years" not in org
    scenarios = page[page.index("<h2>Scenarios</h2>"):page.index("<h2>Ranking</h2>")]
    assert ("Every scenario also has org=small, sim.warmup_months=2, sim.years=1, left out of the names "
            "in this report.") in scenarios
    assert "<td>fsm.span_of_control=5</td>" in scenarios


def test_the_report_opens_with_the_answer(compared, sweep):
    """'In short', before the scenarios: the first of the ranking, its paired changes and
    payback as the ranking shows them, and the replications note, once."""
    from salessim.report_table import fmt_ci, short_names

    page = unspanned((compared[0] / "report.html").read_text())
    short = page[page.index("<h2>In short</h2>"):page.index("<h2>The organization</h2>")]
    table = pd.read_parquet(compared[0] / "comparison.parquet")
    row = table[(table.scenario == scenario_of(sweep / "1")) & (table.metric == "bookings_usd")].iloc[0]
    names, shared = short_names(list(table.scenario.unique()))
    assert shared == ["org=small", "sim.warmup_months=2", "sim.years=1"]
    assert names[row.scenario] == "fsm.span_of_control=5"
    assert f"<b>{html.escape(names[row.scenario])}</b>" in short  # what every scenario shares, left out
    assert fmt_ci("bookings_usd", row.diff_vs_baseline, row.diff_ci_low, row.diff_ci_high) in short
    ranking = page[page.index("<h2>Ranking</h2>"):page.index("<h2>Figures</h2>")]
    # the ranking's own cell, in words: '6 [4, 8]' is month 6, 4 at the earliest, 8 at the latest
    said = re.search(r"pays back in month (\d+) from its launch \(by the 95% band of its cumulative net "
                     r"gain, (?:between month (\d+) and month (\d+)|month (\d+) at the earliest, or not "
                     r"within the (\d+) months measured|month (\d+))\)", short)
    month, low, high, earliest, measured, only = said.groups()
    earliest = low or earliest or only
    latest = high or (None if measured else only)  # 'month 7': both edges in one month
    assert f">{month} [{earliest}, {latest or '&gt;' + measured}]<" in ranking
    assert "own width is uncertain" not in page  # 8 replications: no such note


def test_the_payback_clock_starts_at_the_launch():
    """Months in which a scenario is identical to the baseline (common random numbers: an
    investment that starts after the warm-up) are not counted as months of waiting."""
    from salessim.payback import cumulative_gain

    months = pd.Index([6, 7, 8, 9, 10], name="month")
    frame = lambda rows: pd.DataFrame(rows, index=months, columns=pd.Index([0, 1], name="replication"))
    base = {k: frame([[100.0, 120.0]] * 5) for k in ("margin", "cost")} | {"investment": frame([[0.0, 0.0]] * 5)}
    other = {"margin": frame([[100.0, 120.0], [100.0, 120.0], [100.0, 120.0], [150.0, 170.0], [200.0, 220.0]]),
             "cost": frame([[100.0, 120.0], [100.0, 120.0], [160.0, 180.0], [100.0, 120.0], [100.0, 120.0]]),
             "investment": frame([[0.0, 0.0], [0.0, 0.0], [60.0, 60.0], [0.0, 0.0], [0.0, 0.0]])}
    c = cumulative_gain("later", base, other)
    assert c.month.tolist() == [8, 9, 10] and c.months_after_start.tolist() == [1, 2, 3]
    assert c.cumulative_net_gain_usd.tolist() == [-60.0, -10.0, 90.0]
    assert c.extra_investment_usd.tolist() == [60.0, 0.0, 0.0]
    assert cumulative_gain("same", base, base).empty  # never differs: no launch, no curve
    assert cumulative_gain("apart", base, {k: v.set_axis([5, 6], axis=1) for k, v in other.items()}).empty


def test_a_payback_is_read_from_the_scenarios_own_warm_up():
    """A scenario with a shorter warm-up than the baseline's starts its investment, and its
    window, earlier: its first costs count, read against the baseline's same months."""
    from types import SimpleNamespace

    from salessim.payback import payback_curves
    from salessim.sweep_folder import Job

    def job(name, warmup, cost):
        monthly = pd.DataFrame({"replication": [0, 1] * 9, "month": [m for m in range(9) for _ in (0, 1)],
                                "bookings_usd": 100.0, "cost_total_usd": [cost(m) for m in range(9) for _ in (0, 1)],
                                "cost_investment_usd": 0.0})
        return Job(name, Path(name), scenario=name, cfg=SimpleNamespace(sim=SimpleNamespace(warmup_months=warmup)),
                   monthly=monthly)

    base = job("base", 6, lambda m: 50.0)
    early = job("early", 3, lambda m: 250.0 if m == 3 else 40.0)  # a fee at its own warm-up's end
    c = payback_curves([base, early], base, {"base": 1.0, "early": 1.0})
    assert c.month.tolist()[0] == 3 and c.cumulative_net_gain_usd.tolist()[0] == -200.0


def test_the_first_years_investment_holds_a_one_off_fee_whole():
    """A fee of 240 in the launch month and 10 a month after it, over 30 months: 12 months from
    the launch cost 350 (what a first year's budget must hold), while the window's yearly figure
    spreads the fee (740 over 2.5 years: 296). The report shows both; the same figure twice once."""
    from types import SimpleNamespace

    from salessim.payback import payback_curves, payback_months
    from salessim.report import investment_cell
    from salessim.sweep_folder import Job

    def job(name, fee):
        months = range(36)
        investment = [fee(m) for m in months for _ in (0, 1)]
        monthly = pd.DataFrame({"replication": [0, 1] * 36, "month": [m for m in months for _ in (0, 1)],
                                "bookings_usd": 100.0, "cost_total_usd": [50.0 + x for x in investment],
                                "cost_investment_usd": investment})
        return Job(name, Path(name), scenario=name, cfg=SimpleNamespace(sim=SimpleNamespace(warmup_months=6)),
                   monthly=monthly)

    base = job("base", lambda m: 0.0)
    fee = job("fee", lambda m: 0.0 if m < 6 else 240.0 if m == 6 else 10.0)
    figures = payback_months(payback_curves([base, fee], base, {"base": 1.0, "fee": 1.0})).iloc[0]
    assert figures.first_year_investment_usd == pytest.approx(240.0 + 11 * 10.0)
    # the first 12 months' net gain: the cumulative curve there, no margin added, the fees spent
    assert figures.first_year_net_gain_usd == pytest.approx(-(240.0 + 11 * 10.0))
    assert figures.first_year_net_gain_ci_low == figures.first_year_net_gain_ci_high == pytest.approx(-350.0)
    short = job("short", lambda m: 0.0 if m < 6 else 240.0 if m == 6 else 10.0)
    short.monthly = short.monthly[short.monthly.month < 6 + 10]  # 10 months measured: the last month's
    # for each of the 2 left, not the window's yearly figure (the one-off over 10 months: 1.2 of it)
    figures = payback_months(payback_curves([base, short], base, {"base": 1.0, "short": 1.0})).iloc[0]
    assert figures.first_year_investment_usd == pytest.approx(240.0 + 11 * 10.0)
    assert math.isnan(figures.first_year_net_gain_usd)  # not measured: no estimate of a gain
    row = pd.Series(_scenario("fee", False, incremental_investment_usd_per_year=296.0,
                              first_year_investment_usd=350.0))
    assert investment_cell(row) == "+296 (year 1: +350)"
    same = row.copy()
    same["first_year_investment_usd"] = 296.0
    assert investment_cell(same) == "+296"
    assert investment_cell(pd.Series(_scenario("base", True, incremental_investment_usd_per_year=math.nan))) == "—"


def test_a_one_off_fee_in_a_window_under_a_year_is_said_to_count_more_than_once():
    """A CRM's one-off fee falls whole in the measured window: over half a year the yearly cost
    bears it twice, which a strategist must be told; over a year or more, or with the fee already
    in the baseline, nothing is said."""
    from types import SimpleNamespace

    from salessim.comparability import one_off_in_a_short_window
    from salessim.config import Config
    from salessim.sweep_folder import Job

    crm = {"kind": "tools", "one_off_cost_usd": 150_000.0}

    def job(name, investment, window):
        cfg = SimpleNamespace(investment=investment, sim=Config().sim)
        return Job(name, Path(name), scenario=name, cfg=cfg,
                   summary=pd.DataFrame({"window_years": [window, window]}))

    base = job("base", {}, 0.5)
    note = one_off_in_a_short_window(base, [job("crm", {"crm": crm}, 0.5)])
    assert note == ["crm (job crm): its one-off cost falls whole in the 6 months measured after the warm-up, "
                    "so the yearly cost, net gain and ROI count it 2.0 times a year; judge it by the "
                    "payback and the NPV (shown with --rank-by npv or --discount-rate RATE), or over the "
                    "horizon it must pay back in (a larger sim.years)"]
    [two] = one_off_in_a_short_window(base, [job("crm", {"crm": crm}, 0.5), job("crm2", {"crm": crm}, 0.5)])
    assert two.startswith("crm (job crm); crm2 (job crm2): each one's one-off cost falls whole in "), two
    assert "judge each by the payback" in two
    assert one_off_in_a_short_window(base, [job("crm", {"crm": crm}, 2.5)]) == []
    assert one_off_in_a_short_window(job("base", {"crm": crm}, 0.5), [job("crm", {"crm": crm}, 0.5)]) == []
    assert one_off_in_a_short_window(base, [job("span", {}, 0.5)]) == []


def test_the_payback_legend_says_which_edge_is_which():
    """'2 [2, 26]': a new user could not tell which edge of the range was which, nor where the
    average stands in it (at or between them: the band's edges hold the mean between them)."""
    from types import SimpleNamespace

    from salessim.compare import payback_said
    said = payback_said(SimpleNamespace(confidence=0.95))
    assert ("in brackets the range its 95% band allows: [the month its upper edge pays back in, the month "
            "its lower edge does], the average at or between them") in said, said


def test_in_short_explains_the_brackets_only_when_the_payback_has_a_range():
    """With one replication the payback has no range: 'In short' said '7 (1 replication: no
    range) (in brackets, the range its 95% band allows)', which contradicts itself."""
    from types import SimpleNamespace

    from salessim.report import _in_short

    many = pd.DataFrame([_scenario("x", False), _scenario("base", True)])
    one = many.assign(pairs=1, payback_months_ci_low=math.nan, payback_months_ci_high=math.nan)
    # '7 [5, 9]' was read as a 95% interval of the month: it is said in words
    open_ended = many.assign(payback_months_ci_high=math.nan)
    for scenarios, said in ((many, "it pays back in month 7 from its launch (by the 95% band of its "
                                   "cumulative net gain, between month 5 and month 9);"),
                            (open_ended, "gain, month 5 at the earliest, or not within the 30 months "
                                         "measured);"),
                            (many.assign(payback_months_ci_low=7.0, payback_months_ci_high=7.0),
                             "cumulative net gain, month 7);"),
                            (many.assign(payback_months=math.nan, payback_months_ci_high=math.nan),
                             "on average it does not pay back within the 30 months measured (by the 95% "
                             "band of its cumulative net gain, month 5 at the earliest);"),
                            (one, "payback: 7 (1 replication: no range);")):
        result = SimpleNamespace(scenarios=scenarios, values={}, discount_rate=0.0, jobs=[],
                                 payback=pd.DataFrame(columns=["scenario", "months_after_start"]),
                                 table=pd.DataFrame(columns=["scenario", "metric"]))
        text = "".join(_in_short(result, "", {}))
        assert said in text and "in brackets" not in text, text


def test_many_scenarios_are_said_to_make_a_chance_finding_likely():
    from salessim.ranking_notes import many_scenarios_note

    def scenarios(k):
        return pd.DataFrame({"scenario": [f"s{i}" for i in range(k + 1)], "baseline": [True] + [False] * k})

    assert many_scenarios_note(scenarios(3)) == ""
    assert "7 scenarios" in many_scenarios_note(scenarios(7)) and "up to 30%" in many_scenarios_note(scenarios(7))
    assert many_scenarios_note(scenarios(7)).endswith("not yet a finding.")
    # the intervals the warning is about, named: those whose near end is within a quarter of the mean
    table = pd.DataFrame([_scenario("base", True), *(_scenario(f"s{i}", False) for i in range(5)),
                          _scenario("thin", False, net_gain_usd_per_year=777.0, net_gain_ci_low=169.0,
                                    net_gain_ci_high=1385.0),
                          _scenario("low", False, diff_vs_baseline=-100.0, diff_ci_low=-190.0,
                                    diff_ci_high=-10.0),
                          _scenario("wide", False, net_gain_usd_per_year=777.0, net_gain_ci_low=300.0,
                                    net_gain_ci_high=1254.0)])
    assert many_scenarios_note(table, names={"thin": "T"}).endswith(
        "not yet a finding (here T's net gain +777 [+169, +1,385]; low's bookings -100 [-190, -10]).")
    # the baseline's own simulation again (bookings equal in every replication) cannot differ by
    # chance: neither counted nor said 'may not differ' (a walk)
    from salessim.ranking_notes import unsettled_note
    twin = _scenario("twin", False, diff_vs_baseline=0.0, diff_ci_low=0.0, diff_ci_high=0.0)
    assert many_scenarios_note(pd.concat([table, pd.DataFrame([twin])])).startswith("8 scenarios")
    crossing = _scenario("open", False, diff_vs_baseline=5.0, diff_ci_low=-1.0, diff_ci_high=11.0)
    assert unsettled_note(pd.DataFrame([_scenario("base", True), twin, crossing])) == (
        "1 of 1 scenario has a bookings interval that includes 0 (open): it may not differ from the baseline")


def test_a_payback_cell_says_what_it_can():
    from salessim.comparison_table import npv_cell, payback_cell

    row = pd.Series(_scenario("x", False, window_months=30))
    assert payback_cell(row) == "7 [5, 9]"
    one = row.copy(); one["pairs"], one["payback_months_ci_low"], one["payback_months_ci_high"] = 1, math.nan, math.nan
    assert payback_cell(one) == "7 (1 replication: no range)"  # no band: not 'not in 30'
    late = row.copy(); late["payback_months_ci_high"] = math.nan
    assert payback_cell(late) == "7 [5, >30]"
    never = row.copy(); never["payback_months"] = never["payback_months_ci_low"] = never["payback_months_ci_high"] = math.nan
    assert payback_cell(never) == "not in 30"
    same = row.copy(); same["window_months"] = 0
    assert payback_cell(same) == "no change"
    # Over another window, the net gain beside it is the window's: a bare 'no change' contradicts it.
    horizon = same.copy(); horizon["other_window"], horizon["npv_usd"] = True, math.nan
    assert payback_cell(horizon) == npv_cell(horizon) == "no change (other window)"


# --- baseline and gross margin ------------------------------------------------------------------------

def _edit_manifest(job: Path, change) -> None:
    meta = json.loads((job / "manifest.json").read_text())
    change(meta)
    (job / "manifest.json").write_text(json.dumps(meta))


def test_baseline_from_the_flag_then_from_the_option(sweep, tmp_path, capsys):
    copy = copy_sweep(sweep, tmp_path / "s")
    _edit_manifest(copy / "1", lambda m: m["config"]["sim"].update(baseline=True))
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert "sim.baseline=true" in out
    table = pd.read_parquet(copy / "comparison" / "comparison.parquet")
    assert table[table.scenario == scenario_of(copy / "1")].diff_vs_baseline.eq(0).all()
    # --baseline wins over the flag, by scenario name as well as by job folder
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots",
                                        "--baseline", scenario_of(copy / "0"))
    assert code == 0, err
    table = pd.read_parquet(copy / "comparison" / "comparison.parquet")
    assert table[table.scenario == scenario_of(copy / "0")].diff_vs_baseline.eq(0).all()
    # a name copied from the report, with its line-break hints after the commas
    copied = scenario_of(copy / "0").replace(",", ",\u200b")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--baseline", copied)
    assert code == 0, err
    # the name the table shows, without the settings every scenario shares (org=small)
    shown = "fsm.span_of_control=5"
    assert scenario_of(copy / "1") != shown
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--baseline", shown)
    assert code == 0, err
    table = pd.read_parquet(copy / "comparison" / "comparison.parquet")
    assert table[table.scenario == scenario_of(copy / "1")].diff_vs_baseline.eq(0).all()


def _without_margin_column(job: Path) -> None:
    path = job / "summary.parquet"
    pd.read_parquet(path).drop(columns="gross_margin_usd", errors="ignore").to_parquet(path)


@pytest.mark.parametrize("source", ["summary column", "manifest", "assumed"])
def test_roi_takes_the_gross_margin_from_the_summary_else_the_manifest_else_100(sweep, tmp_path, capsys,
                                                                                source):
    copy = copy_sweep(sweep, tmp_path / "s")
    for job in ("0", "1"):
        if source == "summary column":  # a margin the manifest does not say, to tell them apart
            path = copy / job / "summary.parquet"
            s = pd.read_parquet(path)
            s.assign(gross_margin_usd=s.bookings_usd * 0.3).to_parquet(path)
        else:
            _without_margin_column(copy / job)
        _edit_manifest(copy / job, lambda m: m["config"]["market"].update(gross_margin=0.5))
        if source == "assumed":
            _edit_manifest(copy / job, lambda m: m["config"]["market"].pop("gross_margin"))
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--metrics", "win_rate")
    assert code == 0, err
    margin, words = {"summary column": (0.3, "gross_margin_usd"), "manifest": (0.5, "market.gross_margin"),
                     "assumed": (1.0, "ASSUMED 100%")}[source]
    assert words in out
    row = pd.read_parquet(copy / "comparison" / "comparison.parquet").iloc[-1]
    b, c = row.incremental_bookings_usd_per_year, row.incremental_cost_usd_per_year
    if c > 0:
        assert row.roi == pytest.approx((margin * b - c) / c)
    else:  # no investment fee and cheaper than the baseline: nothing spent to return on
        assert math.isnan(row.roi)
        assert row.incremental_bookings_usd_per_year * margin - c == pytest.approx(
            (margin * b - c))
    page = (copy / "comparison" / "report.html").read_text()
    assert words in page
    assert "Every compared figure (1 metric)" in page  # not "1 metrics"


# --- incomplete jobs ----------------------------------------------------------------------------------

def _drop_manifest(job: Path) -> None:
    (job / "manifest.json").unlink()


def _drop_table(job: Path) -> None:
    (job / "kpis.parquet").unlink()


def _truncate_table(job: Path) -> None:
    path = job / "opportunities.parquet"
    path.write_bytes(path.read_bytes()[:200])


@pytest.mark.parametrize("damage,problem", [(_drop_manifest, "no manifest.json (not finished: still "
                                                              "running, interrupted, or stopped by an error)"),
                                            (_drop_table, "kpis.parquet listed in manifest.json but missing"),
                                            (_truncate_table, "opportunities.parquet unreadable")],
                         ids=["no manifest", "missing table", "truncated table"])
def test_an_incomplete_job_is_reported_not_dropped(sweep, tmp_path, capsys, damage, problem):
    copy = copy_sweep(sweep, tmp_path / "s")
    damage(copy / "1")
    code, out, err = compare_in_process(capsys, str(copy))
    assert code == 0, err
    assert "INCOMPLETE" in out and "job 1" in out and problem in out
    listed = pd.read_csv(copy / "comparison" / "incomplete_jobs.csv", dtype=str)
    assert listed.job.tolist() == ["1"] and problem in listed.problem.iloc[0]
    page = (copy / "comparison" / "report.html").read_text()
    assert "1 job incomplete</b> and left out (job folder 1)" in page
    assert problem in page.replace("<wbr>", "")  # a break may follow a comma
    table = pd.read_parquet(copy / "comparison" / "comparison.parquet")
    assert set(table.scenario) == {scenario_of(copy / "0")}


# --- corrupt jobs: damaged manifests and tables --------------------------------------------------------

def _config(change):
    """Corrupt a job by editing the config in its manifest."""
    return lambda job: _edit_manifest(job, lambda m: change(m["config"]))


def _manifest_text(text: str):
    return lambda job: (job / "manifest.json").write_text(text)


def _table(name: str, change):
    """Corrupt a job by rewriting one of its tables (still a valid Parquet file)."""
    def corrupt(job: Path) -> None:
        path = job / f"{name}.parquet"
        change(pd.read_parquet(path)).to_parquet(path)
    return corrupt


# A horizon of 1e12 years is not here: should it get through, it would exhaust the memory of the
# test process; test_a_huge_horizon_is_refused_before_anything_is_sized runs it in a fenced one.
CORRUPT = [
    # (id, corrupt(job folder), words its problem must contain: the key, the value, what is allowed)
    ("investment not a mapping", _config(lambda c: c.update(investment={"x": 5})),
     ["investment.x=5", "a mapping"]),
    ("horizon of 0 years", _config(lambda c: c["sim"].update(years=0)), ["sim.years=0", "> 0"]),
    ("horizon of -1 years", _config(lambda c: c["sim"].update(years=-1)), ["sim.years=-1", "> 0"]),
    ("horizon as text", _config(lambda c: c["sim"].update(years="three")),
     ["sim.years='three'", "a number"]),
    ("horizon null", _config(lambda c: c["sim"].update(years=None)), ["sim.years", "a number"]),
    ("warm-up beyond the horizon", _config(lambda c: c["sim"].update(warmup_months=10**6)),
     ["sim.warmup_months=1000000", "horizon"]),
    ("section as a list", _config(lambda c: c.update(sim=[1])), ["sim=", "a section of settings", "sim.NAME=VALUE"]),
    ("segment as a number", _config(lambda c: c["market"]["segments"].update(smb=5)),
     ["market.segments.smb", "5", "a section of settings"]),
    ("unknown key", _config(lambda c: c["fsm"].update(spanofcontrol=6)),
     ["fsm.spanofcontrol", "known key"]),
    ("count as text", _config(lambda c: c["org"].update(sellers="many")), ["org.sellers", "many"]),
    ("manifest is a JSON list", _manifest_text("[1, 2]"), ["no readable manifest.json", "allowed"]),
    ("manifest is not JSON", _manifest_text("{\"config\": "), ["no readable manifest.json", "allowed"]),
    ("manifest without config", lambda job: _edit_manifest(job, lambda m: m.pop("config")),
     ["no readable manifest.json", "allowed"]),
    ("config is a list", lambda job: _edit_manifest(job, lambda m: m.update(config=[1])),
     ["no readable manifest.json", "allowed"]),
    ("manifest without tables", lambda job: _edit_manifest(job, lambda m: m.pop("tables")),
     ["tables=null", "a list"]),
    ("tables as text", lambda job: _edit_manifest(job, lambda m: m.update(tables="summary")),
     ["tables='summary'", "a list"]),
    ("summary not listed", lambda job: _edit_manifest(job, lambda m: m["tables"].remove("summary")),
     ["does not list summary"]),
    ("summary without bookings", _table("summary", lambda t: t.drop(columns="bookings_usd")),
     ["summary.parquet lacks", "bookings_usd", "allowed"]),
    ("opportunities without values", _table("opportunities", lambda t: t.drop(columns="value_usd")),
     ["opportunities.parquet lacks", "value_usd"]),
    ("kpis months as text", _table("kpis", lambda t: t.astype({"month": str})),
     ["kpis.parquet", "month", "allowed: numbers"]),
    ("win rate as text", _table("summary", lambda t: t.assign(win_rate="high")),
     ["summary.parquet", "win_rate", "allowed: numbers"]),
    # A figure outside the key metrics as text dropped out of the comparison without a word.
    ("deals won as text", _table("summary", lambda t: t.assign(won="many")),
     ["summary.parquet", "column won", "allowed: numbers"]),
    ("a segment's figure as text", _table("summary", lambda t: t.assign(win_rate_smb="high")),
     ["summary.parquet", "column win_rate_smb", "allowed: numbers"]),
    ("summary without rows", _table("summary", lambda t: t.iloc[:0]), ["summary.parquet has no rows"]),
    ("replication twice", _table("summary", lambda t: pd.concat([t, t])),
     ["summary.parquet replication=0", "one row each"]),
    ("window of 0 years", _table("summary", lambda t: t.assign(window_years=0.0)),
     ["summary.parquet window_years=0.0", "> 0"]),
    ("deal won after the horizon", _table("opportunities", lambda t: t.assign(closed_day=1e300)),
     ["opportunities.parquet closed_day=1e+300", "horizon"]),
    # Infinite bookings would top the ranking; missing ones would read as no replications.
    ("infinite bookings", _table("summary", lambda t: t.assign(bookings_usd=math.inf)),
     ["summary.parquet bookings_usd=inf", "a finite amount of USD"]),
    ("missing cost", _table("summary", lambda t: t.assign(total_cost_usd=math.nan)),
     ["summary.parquet total_cost_usd=nan", "a finite amount of USD"]),
]
CORRUPT_IDS = [c[0] for c in CORRUPT]
CORRUPT_CASES = [c[1:] for c in CORRUPT]


@pytest.mark.parametrize("corrupt,words", CORRUPT_CASES, ids=CORRUPT_IDS)
def test_a_corrupt_job_is_listed_as_incomplete(sweep, tmp_path, capsys, corrupt, words):
    copy = copy_sweep(sweep, tmp_path / "s")
    corrupt(copy / "1")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert "INCOMPLETE" in out and "Traceback" not in err
    listed = pd.read_csv(copy / "comparison" / "incomplete_jobs.csv", dtype=str)
    assert listed.job.tolist() == ["1"]
    problem = listed.problem.iloc[0]
    assert "\n" not in problem
    for word in words:
        assert word in problem, problem
    assert "1 job incomplete" in (copy / "comparison" / "report.html").read_text()
    table = pd.read_parquet(copy / "comparison" / "comparison.parquet")
    assert set(table.scenario) == {scenario_of(copy / "0")}


@pytest.mark.parametrize("corrupt,words", CORRUPT_CASES, ids=CORRUPT_IDS)
def test_a_sweep_of_corrupt_jobs_is_refused_in_one_line(sweep, tmp_path, capsys, corrupt, words):
    copy = copy_sweep(sweep, tmp_path / "s")
    for job in ("0", "1"):
        corrupt(copy / job)
    code, out, err = compare_in_process(capsys, str(copy))
    _one_line_error(code, err, "no job of this sweep is complete", "job 0: ", *words)
    assert not list(copy.glob("*comparison*"))


def test_a_column_salessim_does_not_write_that_is_text_in_one_job_is_no_metric(sweep, tmp_path, capsys):
    """A column of one's own in a summary is a metric where it is numbers in every job; text in
    one job makes it none, and the job stays (a salessim figure as text makes the job incomplete:
    the corrupt-job cases above)."""
    copy = copy_sweep(sweep, tmp_path / "s")
    _table("summary", lambda t: t.assign(my_score="wide"))(copy / "1")
    _table("summary", lambda t: t.assign(my_score=1.0))(copy / "0")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    table = pd.read_parquet(copy / "comparison" / "comparison.parquet")
    assert "my_score" not in set(table.metric) and table.scenario.nunique() == 2


@pytest.mark.parametrize("jobs,code", [(["1"], 0), (["0", "1"], 2)], ids=["one job", "every job"])
def test_a_huge_horizon_is_refused_before_anything_is_sized(sweep, tmp_path, jobs, code):
    """sim.years=1e12 once made a 23 GB calendar. Under a 2 GB address-space limit, a real process
    lists such a job as incomplete and compares the rest, or refuses a sweep of nothing else."""
    resource = pytest.importorskip("resource")
    limit = 2 * 1024 ** 3
    copy = copy_sweep(sweep, tmp_path / "s")
    for job in jobs:
        _config(lambda c: c["sim"].update(years=1e12))(copy / job)
    out = subprocess.run([sys.executable, "-m", "salessim.compare_command", str(copy), "--no-plots"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120,
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))
    assert out.returncode == code and "Traceback" not in out.stderr, out.stderr[-2000:]
    said = out.stdout if code == 0 else out.stderr
    assert "sim.years=1000000000000 is not allowed: a number > 0 and <= 30" in said


# --- bad input ----------------------------------------------------------------------------------------

def _one_line_error(code: int, err: str, *words: str) -> None:
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("salessim-compare: error: ") and "Traceback" not in err
    for word in words:
        assert word in lines[0], lines[0]


def test_missing_folder_from_the_command_line(tmp_path):
    out = subprocess.run([sys.executable, "-m", "salessim.compare_command", str(tmp_path / "nope")],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    _one_line_error(out.returncode, out.stderr, "does not exist", "allowed")
    assert out.stdout == ""


def _a_file(tmp: Path) -> Path:
    (tmp / "f.txt").write_text("x")
    return tmp / "f.txt"


def _empty(tmp: Path) -> Path:
    (tmp / "e").mkdir()
    return tmp / "e"


def _no_jobs(tmp: Path) -> Path:
    (tmp / "n" / "notes").mkdir(parents=True)
    (tmp / "n" / "multirun.yaml").write_text("x: 1")
    return tmp / "n"


@pytest.mark.parametrize("make,words", [(_a_file, ["is a file"]), (_empty, ["empty folder"]),
                                        (_no_jobs, ["not a sweep folder"])],
                         ids=["file", "empty", "not a sweep"])
def test_a_path_that_is_not_a_sweep(tmp_path, capsys, make, words):
    code, out, err = compare_in_process(capsys, str(make(tmp_path)))
    _one_line_error(code, err, *words)


def test_the_folder_of_ones_sweeps_names_the_newest_sweep_in_it(sweep, tmp_path, capsys):
    """salessim-compare results/sweeps said only that it was not a sweep folder."""
    sweeps = tmp_path / "sweeps"
    for name in ("older", "newer"):
        copy_sweep(sweep, sweeps / name)
        os.utime(sweeps / name / "multirun.yaml", (1e9, 1e9) if name == "older" else None)
    code, out, err = compare_in_process(capsys, str(sweeps))
    _one_line_error(code, err, f"{sweeps} is not a sweep folder: no job folders; it holds 2 sweeps, "
                    f"the newest {sweeps / 'newer'} (allowed: ")
    copy_sweep(sweep, tmp_path / "one" / "the only")
    code, out, err = compare_in_process(capsys, str(tmp_path / "one"))
    _one_line_error(code, err, f"no job folders; it holds the sweep '{tmp_path / 'one' / 'the only'}' (allowed: ")
    # with a run of its own beside the sweeps (a sales-ops walk's results folder): not 'a sweep of one job'
    shutil.copytree(sweep / "0", sweeps / "base1")
    code, out, err = compare_in_process(capsys, str(sweeps))
    _one_line_error(code, err, f"{sweeps} is not a sweep folder: no multirun.yaml; it holds 2 sweeps, "
                    f"the newest {sweeps / 'newer'} (allowed: ")
    assert not (sweeps / "comparison").exists()


def test_a_single_job_folder_or_a_sweep_without_finished_jobs(sweep, tmp_path, capsys):
    code, out, err = compare_in_process(capsys, str(sweep / "0"))
    _one_line_error(code, err, "single job folder")
    copy = copy_sweep(sweep, tmp_path / "s")
    for job in ("0", "1"):
        _drop_manifest(copy / job)
    code, out, err = compare_in_process(capsys, str(copy))
    _one_line_error(code, err, f"no job of {copy} has finished: none of its 2 job folders holds "
                    "manifest.json", "interrupted", "sim.resume=true")
    assert not (copy / "comparison").exists()
    # results/calibration was told to resume a sweep it never was
    studies = tmp_path / "calibration"
    for name in ("ours", "theirs"):
        (studies / name / ".hydra").mkdir(parents=True)
        (studies / name / ".hydra" / "config.yaml").write_text(f"calibration:\n  name: {name}\n")
    code, out, err = compare_in_process(capsys, str(studies))
    _one_line_error(code, err, f"{studies} is a folder of calibration studies (salessim-calibrate's), not "
                    "a sweep", "+calibrated=NAME")


@pytest.mark.parametrize("argv,words", [
    (["--baseline", "nosuch"], ["--baseline 'nosuch'", "allowed", "'0'", "'1'"]),
    # the scenarios as the table names them, and the one whose name holds the word typed
    (["--baseline", "12"], ["(did you mean 'fsm.span_of_control=12'? allowed: scenarios "
                            "'fsm.span_of_control=12', 'fsm.span_of_control=5', job folders"]),
    (["--metrics", "bookings_usd,nosuch"], ["'nosuch'", "allowed", "'win_rate'"]),
    (["--metrics", "seed"], ["'seed'", "run-control"]),
    (["--metrics", "bookings_usd,winrate"], ["'winrate'", "(did you mean win_rate? allowed: "]),
    (["--frobnicate"], ["--frobnicate", "allowed"]),
    # the option's own word on what it allows, not followed by the whole usage as well
    (["--confidence", "95"], ["--confidence", "'95' is not allowed", "from 0.5 to 0.999", "0.9 for 90% "
                              "intervals"]),
    (["results/sweeps/other"], ["one SWEEP_DIR at a time, not also 'results/sweeps/other'",
                                "allowed: one sweep folder", "--baseline FOLDER"]),
    # an empty path reads as the current folder, and was refused by that name, '.'
    (["--out", ""], ["--out '' is not allowed: a folder's path, not an empty value"]),
], ids=["unknown baseline", "a baseline's value alone", "unknown metric", "run-control column", "misspelt metric",
        "unknown option", "confidence in per cent",
        "two sweep folders", "empty --out"])
def test_bad_options_end_with_one_line_and_write_nothing(sweep, tmp_path, capsys, argv, words):
    copy = copy_sweep(sweep, tmp_path / "s")
    code, out, err = compare_in_process(capsys, str(copy), *argv)
    _one_line_error(code, err, *words)
    assert not (copy / "comparison").exists()
    if "is not allowed" in err and "--confidence" in argv:
        assert err.rstrip().endswith("e.g. 0.9 for 90% intervals"), err


def test_the_sweeps_own_folder_as_its_baseline_is_said_to_be_it(sweep, tmp_path, capsys):
    """It was said to be 'not a scenario or job folder of this sweep, nor a folder elsewhere'."""
    copy = copy_sweep(sweep, tmp_path / "s")
    code, out, err = compare_in_process(capsys, str(copy), "--baseline", str(copy))
    _one_line_error(code, err, f"--baseline '{copy}' is this sweep's own folder, not one of its jobs "
                    "(allowed: ")


# --- statistics ---------------------------------------------------------------------------------------

def test_t_quantiles_are_students_at_every_level_and_degrees_of_freedom():
    """Each quantile's tail, integrated from Student's density apart from the code's own
    incomplete beta function, is the one asked for; and the published values."""
    published = {(0.975, 1): 12.7062, (0.975, 2): 4.3027, (0.975, 10): 2.2281, (0.95, 5): 2.0150,
                 (0.995, 3): 5.8409, (0.9995, 1): 636.6192, (0.9, 30): 1.3104, (0.75, 3): 0.7649}
    for (p, df), t in published.items():
        assert t_quantile(p, df) == pytest.approx(t, abs=5e-5), (p, df)
    for p, df in [(0.95, 1.36), (0.9, 4.7), (0.975, 2.5), (0.995, 17.2), (0.8, 1.01)]:
        x = np.linspace(t_quantile(p, df), t_quantile(p, df) + 4000.0, 2_000_001)
        log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
        density = np.exp(log_c - (df + 1) / 2 * np.log1p(x * x / df))
        far = t_quantile(p, df) + 4000.0  # the tail beyond, in closed form for large t
        beyond = math.exp(log_c) * df ** ((df + 1) / 2) * far ** -df / df
        assert float(np.trapezoid(density, x)) + beyond == pytest.approx(1 - p, rel=1e-4), (p, df)
    assert two_sided_t(0.95, 1e7) == pytest.approx(1.959964, abs=1e-6)
    assert math.isnan(t_quantile(0.95, 0.5)) and math.isnan(t_quantile(1.0, 3))


def test_t_quantiles_with_endless_degrees_of_freedom_are_the_normal_ones():
    """Student's t tends to the normal as its degrees of freedom grow: the quantile stays right
    where the tail's incomplete beta function loses its digits (t(0.975, 1e15) was 1.75, and
    t(0.975, inf) 1e-60); no degrees of freedom are NaN."""
    from statistics import NormalDist

    for p in (0.75, 0.95, 0.975, 0.9995):
        z = NormalDist().inv_cdf(p)
        for df in (1e6, 1e10, 1e15, math.inf):
            assert t_quantile(p, df) == pytest.approx(z + (z ** 3 + z) / (4 * df), rel=1e-11), (p, df)
        # Either side of where the expansion takes over, the quantile runs on smoothly.
        assert t_quantile(p, 999.999) == pytest.approx(t_quantile(p, 1000.001), rel=1e-8), p
    assert math.isnan(t_quantile(0.95, math.nan)) and math.isnan(two_sided_t(0.95, math.nan))


def test_paired_and_welch_intervals():
    base = pd.Series([10.0, 20.0, 30.0, 40.0])
    shifted = base + pd.Series([1.0, 2.0, 1.0, 2.0])  # strongly correlated with the base
    mean, low, high, n = paired_ci(base, shifted)
    assert (mean, n) == (1.5, 4)
    half = 3.182446 * np.std([1, 2, 1, 2], ddof=1) / 2  # t(0.975, 3)
    assert (low, high) == pytest.approx((1.5 - half, 1.5 + half))
    w_low, w_high = welch_ci(base, shifted)
    assert w_low < low and w_high > high  # ignoring the pairing throws the correlation away
    assert welch_ci(base, base + 1) == pytest.approx((1 - 2.446912 * math.sqrt(2 * base.var() / 4),
                                                      1 + 2.446912 * math.sqrt(2 * base.var() / 4)))
    # Welch's df is fractional: its quantile is Student's own at that df, not the lower df's.
    exact = {1.36: 6.9655, 1.5: 6.0167, 2.5: 3.5747, 2.93: 3.2259, 3.53: 2.9285, 5.5: 2.5019,
             12.4: 2.1710, 29.5: 2.0437}
    for df, t in exact.items():  # t(0.975, df), by integrating Student's density, to 4 decimals
        assert two_sided_t(0.95, df) == pytest.approx(t, abs=5e-5), df
    a, b = pd.Series([10.0, 14.0, 30.0, 12.0]), pd.Series([1.0, 6.0, 1.5])
    va, vb = a.var() / 4, b.var() / 3
    df = (va + vb) ** 2 / (va ** 2 / 3 + vb ** 2 / 2)
    assert 3.3 < df < 3.7
    low, high = welch_ci(a, b)
    assert (high - low) / 2 == pytest.approx(two_sided_t(0.95, df) * math.sqrt(va + vb))
    assert two_sided_t(0.95, df) < two_sided_t(0.95, 3)
    # pairs are joined on replication, not position
    assert paired_ci(pd.Series([1.0, 2.0], index=[0, 1]), pd.Series([5.0, 3.0], index=[1, 2]))[3] == 1


PAYBACK = "7 [5, 9]"  # _scenario's payback, as the terminal shows it


def _before_payback(line: str) -> str:
    """A terminal row without its last cell, the payback: it ends with the ROI."""
    return line.rstrip().removesuffix(PAYBACK).rstrip()


def _scenario(name, baseline, roi=math.nan, extra_cost=math.nan, **changes):
    """A row of Comparison.scenarios, for the terminal table and the report's ranking."""
    return {"scenario": name, "baseline": baseline, "bookings_usd": 1e6, "win_rate": 0.5,
            "quota_attainment_share": 0.5, "seller_turnover_rate": 0.3,
            "diff_vs_baseline": 0.0, "diff_ci_low": -1.0, "diff_ci_high": 1.0,
            "diff_ci_unpaired_low": -2.0, "diff_ci_unpaired_high": 2.0,
            "incremental_margin_usd_per_year": 0.0, "net_gain_usd_per_year": 2.0,
            "net_gain_ci_low": 1.0, "net_gain_ci_high": 3.0,
            "roi": roi, "incremental_cost_usd_per_year": extra_cost,
            "incremental_investment_usd_per_year": 0.0 if baseline else 5e4, "n": 8, "pairs": 8,
            "payback_months": math.nan if baseline else 7.0,
            "payback_months_ci_low": math.nan if baseline else 5.0,
            "payback_months_ci_high": math.nan if baseline else 9.0,
            "deepest_shortfall_usd": math.nan if baseline else -1e5,
            "deepest_shortfall_month": math.nan if baseline else 2.0,
            "first_year_investment_usd": math.nan if baseline else 5e4,
            "window_months": 0 if baseline else 30, **changes}


def test_the_reports_ranking_shows_the_paired_change_and_the_extra_investment():
    """With replications not all shared (†), the paired difference is over the shared ones; the
    unpaired interval is left to the figure and the list of figures. The extra investment, which
    an ROI may be per dollar of, has its own column."""
    from types import SimpleNamespace

    from salessim.report import _ranking_section

    scenarios = pd.DataFrame([
        _scenario("base", True, n=2, pairs=2),
        _scenario("wider", False, bookings_usd=0.7e6, diff_vs_baseline=-0.5e6, diff_ci_low=-0.9e6,
                  diff_ci_high=-0.1e6, diff_ci_unpaired_low=-0.6e6, diff_ci_unpaired_high=0.0,
                  n=4, pairs=2)])
    page = unspanned(_ranking_section(SimpleNamespace(scenarios=scenarios)))
    assert ">-500,000 [-900,000, -100,000]†<" in page  # paired, on the 2 shared replications
    assert "[-600,000, 0]" not in page  # the unpaired interval is not in the ranking
    assert "<th>extra investment (USD/yr)</th>" in page and ">+50,000<" in page


def test_terminal_table_and_report_mark_a_scenario_whose_other_costs_fall():
    from types import SimpleNamespace

    from salessim.comparison_table import terminal_table
    from salessim.report import _ranking_section

    row = _scenario

    # "dearer" spends its 50,000 fee and more; "cheaper" saves 300,000 of running cost; "saver"
    # still costs 3,700 more in all, but its other costs fell by 46,300: its ROI is per fee too.
    scenarios = pd.DataFrame([row("base", True, math.nan, math.nan),
                              row("dearer", False, 2.0, 6e4), row("cheaper", False, 40.0, -3e5),
                              row("saver", False, 18.6, 3.7e3)])
    lines = terminal_table(SimpleNamespace(scenarios=scenarios)).splitlines()
    assert _before_payback(lines[2]).endswith("200.0%") and _before_payback(lines[3]).endswith("4000.0%*")
    assert _before_payback(lines[4]).endswith("1860.0%*")
    assert any(x.startswith("*: its other running costs fall below the baseline's") for x in lines)
    page = unspanned(_ranking_section(SimpleNamespace(scenarios=scenarios)))
    assert "4000.0%*</td>" in page and "200.0%</td>" in page and "1860.0%*</td>" in page
    assert "<p class='sub'>*: its other running costs fall" in page
    scenarios = scenarios[~scenarios.scenario.isin(["cheaper", "saver"])]
    # the fee's own cost summed in another order: its last digits are no saving
    scenarios = pd.concat([scenarios, pd.DataFrame([row("same", False, -1.0, 5e4 - 3e-10)])])
    assert "-100.0%*" not in terminal_table(SimpleNamespace(scenarios=scenarios))
    assert "*: its other running costs" not in terminal_table(SimpleNamespace(scenarios=scenarios))
    assert "*: its other running costs" not in _ranking_section(SimpleNamespace(scenarios=scenarios))


def test_the_footnote_of_a_scenario_whose_other_costs_fall_names_what_it_saves():
    """A new user's walk read 'less commission' into a saving of base pay: the footnote says what
    each saves, paired, largest first, from the jobs' cost parts; without them it lists the kinds."""
    from types import SimpleNamespace

    from salessim.ranking_notes import COST_PART_NAMES, cost_changes, runs_cheaper
    from salessim.sweep_folder import Job

    def job(name, **costs):
        parts = {part: [100.0, 120.0] for part in COST_PART_NAMES} | {
            part: [100.0 + c, 120.0 + c] for part, c in costs.items()}
        return Job(name, Path(name), scenario=name, summary=pd.DataFrame(
            {"replication": [0, 1], "window_years": [1.0, 1.0], **parts}))

    scenarios = pd.DataFrame([_scenario("base", True), _scenario("inside", False, 40.0, -3e5),
                              _scenario("dearer", False, 2.0, 6e4)])
    jobs = [job("base"), job("inside", seller_base_cost_usd=-800.0, hiring_cost_usd=-20.0,
                             commission_cost_usd=50.0, investment_cost_usd=40.0),
            job("dearer", commission_cost_usd=30.0)]
    result = SimpleNamespace(scenarios=scenarios, jobs=jobs, baseline=jobs[0])
    changes = cost_changes(result)
    assert set(changes) == {"inside", "dearer"} and changes["inside"]["seller_base_cost_usd"] == -800.0
    cheaper, note = runs_cheaper(scenarios, changes, {"inside": "in"})
    assert cheaper == {"inside"}
    # what rose beside the savings is named too; the investment itself is not a running cost
    assert "(paired, per year: in base pay -800 and hiring -20 while commission +50 rises): what they" in note
    assert "investment +" not in note
    # beside an ROI per dollar of all the extra cost, it is said not to be set against it (a
    # strategist's walk read 3947%* above 1394% as the better return)
    assert note.endswith("so it is not to be set against an ROI without *, per dollar of all the extra cost: "
                         "compare those by net gain"), note
    assert not runs_cheaper(scenarios[scenarios.scenario != "dearer"], changes)[1].endswith("by net gain")
    assert "less commission on lower bookings" in runs_cheaper(scenarios)[1]  # no cost parts: the kinds
    jobs[2].summary = jobs[2].summary.drop(columns="tools_cost_usd")  # written before the cost parts
    assert cost_changes(result) == {} and cost_changes(SimpleNamespace(scenarios=scenarios)) == {}


def test_a_budget_says_which_scenarios_within_it_would_not_fit_with_the_pay_they_add():
    """A sales-ops walk read two FSMs hired to narrow the span as fitting 300,000 (their hiring
    fees, 80,000), though their salaries cost 400,000 a year: the budget counts investments, and
    the note says which scenarios within it the pay of the headcount they add would take over it.
    Base pay that rises because fewer seats stand vacant is no headcount added."""
    from types import SimpleNamespace

    from salessim.ranking_notes import COST_PART_NAMES, budget_note
    from salessim.sweep_folder import Job

    def job(name, investments, **costs):
        parts = {part: [100.0, 120.0] for part in COST_PART_NAMES} | {
            part: [100.0 + c, 120.0 + c] for part, c in costs.items()}
        return Job(name, Path(name), scenario=name, manifest={"investments": investments},
                   summary=pd.DataFrame({"replication": [0, 1], "window_years": [1.0, 1.0], **parts}))

    def scenario(name, first_year):
        return _scenario(name, name == "base", first_year_investment_usd=first_year, within_budget=True)

    jobs = [job("base", {}), job("span", {"two_more": {"kind": "fsm_span", "span_of_control": 7.1}},
                                 fsm_cost_usd=400_000.0, hiring_cost_usd=5_000.0),
            job("coach", {"fsm_dev": {"kind": "fsm_development"}}, seller_base_cost_usd=120_000.0),
            job("seats", {"ent": {"kind": "coverage", "added_sellers": 4}}, seller_base_cost_usd=600_000.0),
            # a pay plan's commission (a strategist's walk: accelerators first within the budget)
            job("acc", {"acc": {"kind": "compensation"}}, commission_cost_usd=3_200_000.0),
            job("crm", {"crm": {"kind": "tools"}}, commission_cost_usd=400_000.0)]  # more bookings' own
    scenarios = pd.DataFrame([scenario("base", math.nan), scenario("span", 80_000.0),
                              scenario("coach", 250_000.0), scenario("seats", 100_000.0),
                              scenario("acc", 70_000.0), scenario("crm", 150_000.0)])
    result = SimpleNamespace(scenarios=scenarios, jobs=jobs, baseline=jobs[0], budget=300_000.0)
    note = budget_note(result, {"span": "two FSMs"})
    assert note.startswith("Every scenario fits the budget of 300,000 USD"), note
    assert note.endswith(
        " The budget counts investments, not pay: were the pay they add counted (headcount's, a pay plan's "
        "commission), these would not fit it (paired, a year): two FSMs, FSMs +400,000; seats, base pay "
        "+600,000; acc, commission +3,200,000."), note
    assert "coach," not in note  # its base pay rose with fewer vacancies, over the budget or not
    assert "crm," not in note  # its commission rose with its bookings: no pay plan's
    result.budget = 4e6  # room for the pay too: nothing to say
    assert "The budget counts investments, not pay" not in budget_note(result)
    # without a budget, the pay beside the first year's investment (a sales-ops walk read two FSMs'
    # hiring fees as what they cost, their salaries said only under a --budget)
    result.budget = None
    assert budget_note(result, {"span": "two FSMs"}) == (
        "The first year's investment (invest yr 1) counts fees, not pay; the pay the investments add, "
        "paired, a year: two FSMs, FSMs +400,000; seats, base pay +600,000; acc, commission +3,200,000 (in "
        "the net gain, and in the report's 'Where each net gain comes from').")
    # the report points to its own section (it read "in the report's" inside the report)
    assert budget_note(result, {}, in_report=True).endswith(
        "(in the net gain, and in 'Where each net gain comes from' below).")
    result.budget, result.jobs = 300_000.0, jobs[:3]  # one named, said of it alone
    assert budget_note(result, {}).endswith(
        "were the pay it adds counted (headcount's, a pay plan's commission), span would not fit it "
        "(paired, a year: FSMs +400,000)."), budget_note(result, {})


def test_a_pay_plans_commission_is_counted_beyond_what_the_baselines_rate_pays_on_its_bookings():
    """A review: a plan's whole commission change was called pay it adds, commission on the extra
    bookings it brings included, where a CRM's equal bookings count none. Beyond the baseline's
    commission per dollar booked (6% here), on the 2 M more it books: 3.2 M - 0.12 M."""
    from types import SimpleNamespace

    from salessim.ranking_notes import COST_PART_NAMES, budget_note
    from salessim.sweep_folder import Job

    def job(name, investments, commission, bookings):
        parts = {part: [100.0, 120.0] for part in COST_PART_NAMES} | {"commission_cost_usd": commission}
        return Job(name, Path(name), scenario=name, manifest={"investments": investments},
                   summary=pd.DataFrame({"replication": [0, 1], "window_years": [1.0, 1.0],
                                         "bookings_usd": bookings, **parts}))

    jobs = [job("base", {}, [540e3, 780e3], [9e6, 13e6]),
            job("acc", {"acc": {"kind": "compensation"}}, [3_740e3, 3_980e3], [11e6, 15e6])]
    scenarios = pd.DataFrame([_scenario("base", True), _scenario("acc", False, first_year_investment_usd=20e3,
                                                                 within_budget=True)])
    result = SimpleNamespace(scenarios=scenarios, jobs=jobs, baseline=jobs[0], budget=None)
    assert "acc, commission beyond the baseline's rate on its bookings +3,080,000 (" in budget_note(result), \
        budget_note(result)


def test_scenarios_that_gain_more_than_the_first_in_their_first_year_are_named_with_when_it_overtakes():
    """A strategist found the first by +6.2 M a year returned +2.2 M in its first 12 months, behind
    three ranked below it, said only in payback.csv: the note names each that gains more then, and
    the month from the first's launch from which the first's mean stays ahead of it."""
    from types import SimpleNamespace

    from salessim.ranking_notes import first_year_note

    def scenario(name, first_year, window=30):
        return _scenario(name, name == "base", first_year_net_gain_usd=first_year,
                         first_year_net_gain_ci_low=first_year - 1.0,
                         first_year_net_gain_ci_high=first_year + 1.0, window_months=window)

    months = range(6, 36)
    curves = pd.DataFrame(
        [("first", m, 10.0 * (m - 5)) for m in months]  # 10 a month
        + [("quick", m, 100.0 + 4.0 * (m - 5)) for m in months]  # behind it from month 17 from launch
        + [("steady", m, 300.0 + (m - 5)) for m in months]  # ahead to the end
        + [("slow", m, 1.0 * (m - 5)) for m in months],
        columns=["scenario", "month", "cumulative_net_gain_usd"])
    table = pd.DataFrame([scenario("first", 120.0), scenario("quick", 148.0), scenario("steady", 312.0),
                          scenario("slow", 12.0), scenario("base", math.nan)])
    result = SimpleNamespace(scenarios=table, payback=curves)
    note = first_year_note(result, {"first": "F"})
    assert note == (
        "In the first 12 months from launch, F gains +120 [+119, +121] (its cumulative net gain there, "
        "paired [95% CI]); 2 scenarios ranked below it gain more than it on average, each paired against "
        "the baseline [95% CI] (with the month from launch in which F's mean overtakes it for good): "
        "steady +312 [+311, +313] (not within the window's 30 "
        "months); "
        "quick +148 [+147, +149] (month 17). A budget year judged alone would rank them ahead; the "
        "ranking's yearly figures average the whole window (payback.csv has the cumulative net gains "
        "month by month)."), note
    assert first_year_note(result, own=False).startswith(
        "In the first 12 months from launch, 2 scenarios ranked below first gain more than it on average, "
        "each paired against the baseline [95% CI] (with the month from launch in which first's mean "
        "overtakes it for good): steady")
    behind = table.assign(first_year_net_gain_usd=[120.0, 100.0, 90.0, 12.0, math.nan])
    assert first_year_note(SimpleNamespace(scenarios=behind)) == ""
    assert first_year_note(SimpleNamespace(scenarios=table.assign(window_months=12), payback=curves)) == ""
    assert first_year_note(SimpleNamespace(scenarios=table, payback=curves, rank_by="bookings")) == ""
    # still behind at the window's end: not 'month 31'; a later launch counts 0 before it
    late = curves.assign(cumulative_net_gain_usd=curves.cumulative_net_gain_usd.where(
        curves.scenario != "quick", 1e4))
    assert "quick +148 [+147, +149] (not within the window's 30 months)" in first_year_note(
        SimpleNamespace(scenarios=table, payback=late))
    later = pd.concat([curves[curves.scenario != "quick"],
                       pd.DataFrame({"scenario": "quick", "month": range(18, 36),
                                     "cumulative_net_gain_usd": 100.0})])  # behind it throughout
    assert "quick +148 [+147, +149] (month 1)" in first_year_note(
        SimpleNamespace(scenarios=table, payback=later))
    over = table.assign(within_budget=[True, False, False, True, True])  # ranked within the budget
    assert first_year_note(SimpleNamespace(scenarios=over, payback=curves)) == ""


def test_scenarios_whose_interval_includes_zero_are_said_to_be_unsettled():
    from types import SimpleNamespace

    from salessim.comparison_table import terminal_table
    from salessim.report import _ranking_section

    row = _scenario
    scenarios = pd.DataFrame([row("base", True), row("clear", False, diff_ci_low=1e5, diff_ci_high=3e5),
                              row("maybe", False)])  # -1 to 1: includes 0
    note = "1 of 2 scenarios has a bookings interval that includes 0 (maybe)"
    assert note in terminal_table(SimpleNamespace(scenarios=scenarios))
    assert note in _ranking_section(SimpleNamespace(scenarios=scenarios))
    settled = scenarios[scenarios.scenario != "maybe"]
    assert "includes 0" not in terminal_table(SimpleNamespace(scenarios=settled))
    many = pd.concat([scenarios, pd.DataFrame([row(f"m{i}", False) for i in range(5)])])
    assert "6 of 7 scenarios have a bookings interval that includes 0 (maybe, m0, m1 and 3 more)" \
        in terminal_table(SimpleNamespace(scenarios=many))


def test_a_payback_whose_band_pays_back_a_year_later_is_said():
    """'3 [1, 27]' was quoted as month 3, though the band's lower edge stays below 0 until month
    27: a band that pays back 12 months or more after the average is named with both months, and
    one whose lower edge does not pay back within the window ('2 [2, >30]') too."""
    from types import SimpleNamespace

    from salessim.comparison_table import terminal_table
    from salessim.report import _ranking_section

    row = _scenario
    scenarios = pd.DataFrame([row("base", True),
                              row("late", False, payback_months=3.0, payback_months_ci_low=1.0,
                                  payback_months_ci_high=27.0),
                              row("soon", False, payback_months=5.0, payback_months_ci_high=16.0),  # 11 later
                              row("open", False, payback_months=2.0, payback_months_ci_high=math.nan)])
    note = ("2 scenarios pay back on average a year or more before their 95% band says so or before the "
            "end of a window in which their 95% band does not: late in month 3 on average, month 27 by its "
            "band's lower edge; open in month 2 on average, not within the 30 months measured by its band's "
            "lower edge. A budget that must not run short plans on the band's month, not the average's, "
            "which can rest on a few replications' luck.")
    assert note in terminal_table(SimpleNamespace(scenarios=scenarios))
    assert html.escape(note) in _ranking_section(SimpleNamespace(scenarios=scenarios))
    assert "months from launch [earliest, latest]" in _ranking_section(SimpleNamespace(scenarios=scenarios))
    # a terminal too narrow for the payback column leaves its note out too
    assert "pay back on average" not in terminal_table(SimpleNamespace(scenarios=scenarios), width=60)
    assert "back on average" not in terminal_table(SimpleNamespace(scenarios=scenarios.iloc[[0, 2]]))
    assert terminal_table(SimpleNamespace(scenarios=scenarios.iloc[[0, 1]])).count(
        "One scenario pays back on average a year or more before its 95% band says so: late in") == 1
    # in a short window no band is a year late: only the window's clause (a sales-ops walk)
    assert ("One scenario pays back on average before the end of a window in which its 95% band does not: "
            "open in month 2") in terminal_table(SimpleNamespace(scenarios=scenarios.iloc[[0, 3]]))


def test_scenarios_measured_over_other_windows_are_said_for_what_their_figures_count():
    """Against a baseline of another warm-up, a payback counts from the scenario's own warm-up's
    end, months of the baseline's warm-up included, and the two organizations differ even doing
    nothing (quota periods start when the warm-up ends); leaders of different windows are not set
    side by side, and a scenario of another window gets no '*' (its yearly costs cover another
    window); a scenario without a curve has no shortfall to show."""
    from types import SimpleNamespace

    from salessim.comparability import pairing_notes
    from salessim.config import Config
    from salessim.ranking_notes import leaders_note, runs_cheaper
    from salessim.report import shortfall_cell
    from salessim.sweep_folder import Job

    def job(name, years=2.0, warmup=6):
        cfg = Config()
        cfg.sim.years, cfg.sim.warmup_months = years, warmup
        return Job(name, Path(name), scenario=name, manifest={"seed": 7}, cfg=cfg,
                   summary=pd.DataFrame({"replication": range(3)}))

    base = job("base", warmup=6)
    note, = pairing_notes(base, [job("early", warmup=3)])
    assert ("count from the end of their own warm-up, over the months both simulate, months of the "
            "baseline's warm-up included" in note and "quota periods start when it ends" in note), note
    note, = pairing_notes(base, [job("late", warmup=9)])
    assert "warm-up included" not in note and "quota periods start when it ends" in note, note
    row = _scenario
    scenarios = pd.DataFrame([row("a", False), row("b", False), row("base", True)])
    reps = pd.DataFrame({"bookings_usd": [14.0, 16.0, 15.0], "gross_margin_usd": [9.0, 10.0, 9.5],
                         "total_cost_usd": [5.0, 5.0, 5.0]})
    values = {"base": reps, "a": reps + 1.0, "b": reps}
    apart = leaders_note(SimpleNamespace(scenarios=scenarios, values=values,
                                         jobs=[base, job("a", years=3.0), job("b")]))
    assert "a and b, measure different windows" in apart and "paired" not in apart, apart
    alike = leaders_note(SimpleNamespace(scenarios=scenarios, values=values,
                                         jobs=[base, job("a"), job("b")]))
    assert alike.startswith("Of the first two of the ranking (the baseline aside), "), alike
    assert ": a minus b, paired [95% CI], bookings per year" in alike, alike
    cheaper = pd.DataFrame([row("a", False, roi=2.0, extra_cost=1e4, other_window=True),
                            row("b", False, roi=2.0, extra_cost=1e4, other_window=False)])
    assert runs_cheaper(cheaper)[0] == {"b"}
    assert runs_cheaper(cheaper.assign(other_window=False, other_seed=[False, True]))[0] == {"a"}  # chance's
    assert shortfall_cell(pd.Series(row("same", False, window_months=0))) == "-"
    assert shortfall_cell(pd.Series(row("a", False))) != "-"


def test_the_scenarios_in_contention_with_the_first_by_net_gain_are_named():
    """Four investments whose net gains the replications cannot tell apart were presented as a
    race of two (leaders_note): every scenario is paired with the first by net gain, and those
    whose difference from it includes 0 are named as in contention."""
    from types import SimpleNamespace

    from salessim.ranking_notes import contenders_note

    def reps(gain):
        return pd.DataFrame({"bookings_usd": [0.0] * 3, "gross_margin_usd": gain, "total_cost_usd": [0.0] * 3})

    gains = {"base": [0.0, 0.0, 0.0], "a": [5.0, 6.0, 7.0], "b": [4.0, 7.0, 6.5], "c": [6.0, 4.0, 7.5],
             "d": [1.0, 2.0, 1.5]}
    values = {name: reps(g) for name, g in gains.items()}
    scenarios = pd.DataFrame([_scenario(n, n == "base", net_gain_usd_per_year=sum(g) / 3)
                              for n, g in gains.items()])
    def note(table, rank_by="bookings", **more):  # ranked by bookings, the first by net gain may be another
        return contenders_note(SimpleNamespace(rank_by=rank_by, scenarios=table, values=values), **more)
    assert note(scenarios).startswith(
        "By net gain per year, a comes first; 2 others cannot be told apart from it")
    assert "interval of the difference includes 0]: b; c. The other, d, is settled below it." in \
        note(scenarios)
    # Ranked by net gain, the ranking has named its first: the note says whether its lead holds.
    assert note(scenarios, "net_gain").startswith(
        "By net gain per year, 2 others cannot be told apart from a, paired [95% CI, each on its own; the "
        "interval of the difference includes 0]: b; c. The other, d, is settled below it.")
    values["b"], values["c"] = reps([1.0, 1.5, 1.2]), reps([0.5, 1.0, 0.8])
    # the first's lead settled, who comes second is the open question: d cannot be told from b
    assert note(scenarios, "net_gain") == (
        "The lead of a in net gain per year over each of the other 3 is settled, paired [95% CI, each on its "
        "own]. Who comes second is not settled: by net gain per year, paired [95% CI], b minus d 0 [-1, +0] "
        "(the interval includes 0). Cost, risk, time to pay back or more replications decide between them. "
        "The lead of b over the other, c, is settled.")  # c, ranked between them, is not a rival
    assert note(scenarios).endswith("(the interval includes 0). Cost, risk, time to pay back or more "
                                    "replications decide between them. The lead of b over the other, c, "
                                    "is settled.")
    # under a budget that leaves one out, the second is the second within it, and said so
    over = pd.concat([scenarios, pd.DataFrame([_scenario("x", False, net_gain_usd_per_year=9.0)])],
                     ignore_index=True).assign(within_budget=lambda t: t.scenario != "x")
    values["x"] = reps([9.0, 9.0, 9.0])
    assert "Who comes second is not settled: by net gain per year within the budget, paired" in note(over)
    del values["x"]
    values["d"] = reps([0.1, 0.2, 0.1])  # b's lead over d settled too
    assert note(scenarios).startswith(
        "By net gain per year, a comes first, and its lead over each of the other 3 is settled")
    assert note(scenarios, "net_gain") == ("The lead of a in net gain per year over each of the other 3 is "
                                           "settled, paired [95% CI, each on its own].")
    assert note(scenarios.iloc[:3]) == ""  # two: leaders_note
    # A settled lead over the others is not a settled gain over doing nothing: said when it is not
    unsure = scenarios.assign(net_gain_ci_low=-1.0)
    assert note(unsure).startswith(
        "By net gain per year, a comes first (against the baseline, its own net gain is not settled above "
        "zero: its interval includes 0), and its lead over each of the other 3 is settled")
    assert note(unsure, "net_gain").endswith(
        " settled, paired [95% CI, each on its own]. Against the baseline, the net gain of a itself is not "
        "settled above zero: its interval includes 0.")
    below = scenarios.assign(net_gain_ci_low=-3.0, net_gain_ci_high=-1.0)
    assert "a comes first (against the baseline, its own net gain is settled below zero: doing nothing does " \
        "better), and" in note(below)
    # the report's 'In short' has said it of the ranking's first already: not twice
    assert note(unsure, standing_said="a").startswith("By net gain per year, a comes first, and its lead")
    assert note(unsure, "net_gain", standing_said="a").endswith("each on its own].")
    # Only the baseline's window takes part: the baseline's own settings over a longer horizon
    # came first once ('investment=[],sim.years=1 comes first').
    from salessim.config import Config
    from salessim.sweep_folder import Job

    def job(name, years):
        cfg = Config()
        cfg.sim.years = years
        return Job(name, Path(name), scenario=name, cfg=cfg)
    values["longer"] = reps([50.0, 60.0, 70.0])
    wider = pd.concat([scenarios, pd.DataFrame([_scenario("longer", False, net_gain_usd_per_year=60.0)])],
                      ignore_index=True)
    jobs = [job(n, 2.0) for n in gains] + [job("longer", 3.0)]
    said = contenders_note(SimpleNamespace(rank_by="bookings", scenarios=wider, values=values, jobs=jobs))
    assert said.startswith("By net gain per year, a comes first") and "longer" not in said, said


def test_the_first_two_of_the_ranking_are_compared_with_each_other():
    """Each scenario's interval is against the baseline; a choice between the leaders needs theirs."""
    from types import SimpleNamespace

    from salessim.ranking_notes import leaders_note

    def reps(bookings, margin, cost):
        return pd.DataFrame({"bookings_usd": bookings, "gross_margin_usd": margin, "total_cost_usd": cost})

    row = _scenario
    scenarios = pd.DataFrame([row("a", False), row("b", False), row("base", True)])
    values = {"base": reps([10.0, 12.0, 11.0], [7.0, 8.0, 7.5], [5.0, 5.0, 5.0]),
              "a": reps([14.0, 16.0, 15.0], [9.0, 10.0, 9.5], [5.0, 5.0, 5.0]),
              "b": reps([12.0, 14.5, 12.5], [8.0, 9.0, 8.0], [5.0, 5.0, 5.0])}
    note = leaders_note(SimpleNamespace(scenarios=scenarios, values=values))
    # a - b by replication: bookings 2, 1.5, 2.5 (mean 2); net gain 1, 1, 1.5
    # the verdict first, then the figures it rests on
    assert note.startswith("Of the first two of the ranking (the baseline aside), a leads on both: a minus "
                           "b, paired [95% CI], bookings per year +2 ["), note
    verdict = "Of the first two of the ranking (the baseline aside), {}: a minus b"
    values["b"] = reps([16.0, 14.5, 13.0], [9.5, 9.0, 9.0], [5.0, 5.0, 5.0])
    assert leaders_note(SimpleNamespace(scenarios=scenarios, values=values)).startswith(verdict.format(
        "which of the two leads is not settled on either (both intervals include 0)"))
    values["b"] = reps([12.0, 14.5, 12.5], [8.0, 9.0, 8.0], [1.0, 1.5, 1.0])  # b costs far less
    assert leaders_note(SimpleNamespace(scenarios=scenarios, values=values)).startswith(verdict.format(
        "on bookings, a leads; on net gain, b leads"))
    # A verdict per measure: a lead on net gain is settled though the bookings one is not
    values["b"] = reps([16.0, 14.5, 13.0], [8.0, 9.0, 8.0], [5.0, 5.0, 5.0])
    assert leaders_note(SimpleNamespace(scenarios=scenarios, values=values)).startswith(verdict.format(
        "on bookings, not settled (the interval includes 0); on net gain, a leads"))
    assert leaders_note(SimpleNamespace(scenarios=scenarios.iloc[1:], values=values)) == ""  # one alone
    # the same simulation twice (spans that round to the same FSMs): not 'not settled', but the same
    same = {**values, "b": values["a"].copy()}
    assert leaders_note(SimpleNamespace(scenarios=scenarios, values=same)).startswith(verdict.format(
        "neither leads: the two are the same simulation, identical in every replication (the settings "
        "that differ between them change nothing here)"))
    # Replications the baseline lacks (a seed it did not finish) are left out, as the ranking
    # leaves them out: a leads b by 2 on the three the baseline has, b leads on the other two.
    lacking = {"base": values["base"],
               "a": reps([14.0, 16.0, 15.0, 10.0, 10.0], [9.0, 10.0, 9.5, 7.0, 7.0], [5.0] * 5),
               "b": reps([12.0, 14.5, 12.5, 20.0, 20.0], [8.0, 9.0, 8.0, 14.0, 14.0], [5.0] * 5)}
    note = leaders_note(SimpleNamespace(scenarios=scenarios, values=lacking))
    assert (": a minus b, paired over the 3 replications of the 5 they share that the baseline has too, as "
            "the ranking is [95% CI], bookings per year +2 [") in note, note
    assert leaders_note(SimpleNamespace(scenarios=scenarios, values={  # no pair the ranking measured
        **lacking, "base": lacking["base"].set_axis([7, 8, 9])})) == ""
    # Ranked by a figure other than the one the note measures, doing nothing can come first: the
    # note says where the baseline stands.
    first = pd.DataFrame([row("base", True), row("a", False, diff_vs_baseline=-1.0),
                          row("b", False, diff_vs_baseline=-2.0)])
    assert leaders_note(SimpleNamespace(scenarios=first, values=values, rank_by="bookings")).endswith(
        " Both rank below the baseline.")
    between = pd.DataFrame([row("a", False, diff_vs_baseline=1.0), row("base", True),
                            row("b", False, diff_vs_baseline=-1.0)])
    assert leaders_note(SimpleNamespace(scenarios=between, values=values, rank_by="bookings")).endswith(
        " The second ranks below the baseline.")
    # One replication: no interval, no verdict
    one = {name: v.iloc[:1] for name, v in values.items()}
    assert leaders_note(SimpleNamespace(scenarios=scenarios, values=one)).startswith(verdict.format(
        "which leads cannot be told without intervals (two replications or more)"))
    # With a discount rate, their net present values are compared too, replication by replication.
    values["b"] = reps([12.0, 14.5, 12.5], [8.0, 9.0, 8.0], [5.0, 5.0, 5.0])
    for name, npv in (("base", [0.0, 0.0, 0.0]), ("a", [3.0, 3.5, 3.2]), ("b", [1.0, 1.2, 0.9])):
        values[name]["npv_usd"] = npv
    note = leaders_note(SimpleNamespace(scenarios=scenarios, values=values, discount_rate=0.08))
    assert ", NPV of the window at 8%/yr +2 [" in note, note
    assert note.startswith(verdict.format("a leads on all three")), note
    values["b"]["npv_usd"] = [3.5, 3.0, 3.4]
    assert leaders_note(SimpleNamespace(scenarios=scenarios, values=values, discount_rate=0.08)).startswith(
        verdict.format("on bookings, a leads; on net gain, a leads; on NPV, not settled (the interval "
                       "includes 0)"))


# --- what the walkthrough found ------------------------------------------------------------------------

def _yearly(summary: pd.DataFrame, column: str) -> pd.Series:
    return summary[column] / summary.window_years


def test_roi_does_not_depend_on_the_metrics_shown(sweep, tmp_path, capsys):
    """--metrics chooses what is shown; ROI always reads the cost, margin and investment columns."""
    copy = copy_sweep(sweep, tmp_path / "s")
    s0, s1 = (pd.read_parquet(copy / job / "summary.parquet") for job in ("0", "1"))
    extra_cost = (_yearly(s1, "total_cost_usd") - _yearly(s0, "total_cost_usd")).mean()
    extra_margin = (_yearly(s1, "gross_margin_usd") - _yearly(s0, "gross_margin_usd")).mean()
    fee = 10 * abs(extra_cost) + 1e6  # a yearly fee above the extra cost: ROI is per dollar of it
    _table("summary", lambda t: t.assign(investment_cost_usd=fee * t.window_years))(copy / "1")
    rois, made = [], []
    for argv in ([], ["--metrics", "win_rate"]):
        code, out, err = compare_in_process(capsys, str(copy), "--no-plots", *argv)
        assert code == 0, err
        table = pd.read_parquet(copy / "comparison" / "comparison.parquet")
        rois.append(table[table.scenario == scenario_of(copy / "1")].roi.iloc[0])
        page = (copy / "comparison" / "report.html").read_text()
        made.append(page[page.index("<h2>How each gain is made</h2>"):page.index("<h2>Figures</h2>")])
    assert rois[0] == pytest.approx((extra_margin - extra_cost) / fee)
    assert rois[1] == pytest.approx(rois[0])
    # nor how each gain is made (a sales-ops walk found it cut to the win rate): the drivers are
    # measured whatever --metrics selects, and the table keeps to what it selects
    assert made[1] == made[0] and "<th>time spent selling</th><th>leads</th>" in made[1]
    assert set(table.metric) == {"win_rate"}
    # A narrower comparison.csv is said to be one (it replaces the whole one)
    assert "--metrics win_rate: comparison.csv, comparison.parquet and the report's list of figures " \
           "hold 1 of the" in out


def test_rank_by_net_gain_ranks_by_what_a_scenario_returns(sweep, tmp_path, capsys):
    """Job 1 (span 5) here also pays a fee of 100 million a year: by net gain it ranks below the
    baseline, whose net gain is 0 by definition, whatever it sells; the ROI says it cannot pay."""
    from salessim.compare_command import run

    copy = copy_sweep(sweep, tmp_path / "s")
    fee = 1e8
    _table("summary", lambda t: t.assign(investment_cost_usd=fee * t.window_years,
                                         total_cost_usd=t.total_cost_usd + fee * t.window_years))(copy / "1")
    dear = scenario_of(copy / "1")
    for rank_by, column in (("bookings", "diff_vs_baseline"), ("net_gain", "net_gain_usd_per_year")):
        result = run([str(copy), "--no-plots", "--rank-by", rank_by])
        ranked = result.scenarios
        assert list(ranked[column]) == sorted(ranked[column], reverse=True), rank_by
        out = capsys.readouterr().out
        assert f"Ranked by {'the paired net gain' if rank_by == 'net_gain' else 'the paired change in bookings'}" in out
    assert list(ranked.scenario) == [scenario_of(copy / "0"), dear]
    assert ranked.net_gain_usd_per_year.iloc[1] < -0.9 * fee
    page = (copy / "comparison" / "report.html").read_text()
    assert "Ranked by the paired net gain per year (the default; " in page
    # Unasked, the ranking is by net gain: what an investment is chosen on.
    assert list(run([str(copy), "--no-plots"]).scenarios.scenario) == list(ranked.scenario)
    code, _, err = compare_in_process(capsys, str(copy), "--rank-by", "roi")
    assert code == 2 and "--rank-by" in err and "net_gain" in err


def test_an_roi_whose_net_gain_may_be_none_is_marked():
    """An ROI has no interval; a large one can stand on a net gain whose interval includes 0."""
    from types import SimpleNamespace

    from salessim.comparison_table import terminal_table
    from salessim.report import _ranking_section

    row = _scenario
    scenarios = pd.DataFrame([row("base", True), row("sure", False, 0.5, 6e4),
                              row("unsure", False, 0.8, 6e4, net_gain_ci_low=-1e5, net_gain_ci_high=3e5),
                              row("loss", False, -0.5, 6e4, net_gain_usd_per_year=-3e4,
                                  net_gain_ci_low=-2e5, net_gain_ci_high=1e5)])
    lines = terminal_table(SimpleNamespace(scenarios=scenarios)).splitlines()
    assert _before_payback(lines[2]).endswith(" 50.0%") and _before_payback(lines[3]).endswith(" 80.0%?")
    assert _before_payback(lines[4]).endswith(" -50.0%?")  # a loss that may not be one
    note = ("?: its net gain's interval includes 0: whether it pays at all is not settled, whatever "
            "its ROI (2 of the 3 scenarios with an ROI are so marked)")
    assert note in lines
    page = unspanned(_ranking_section(SimpleNamespace(scenarios=scenarios)))
    assert "80.0%?</td>" in page and "50.0%</td>" in page and html.escape(note) in page
    assert "?:" not in terminal_table(SimpleNamespace(scenarios=scenarios.iloc[:2]))
    # one replication: no interval, so nothing settles that it pays
    single = scenarios.iloc[:2].assign(net_gain_ci_low=math.nan, net_gain_ci_high=math.nan)
    lines = terminal_table(SimpleNamespace(scenarios=single)).splitlines()
    assert _before_payback(lines[2]).endswith(" 50.0%?")
    assert ("?: its net gain has no interval (one replication shared with the baseline): whether "
            "it pays at all is not settled, whatever its ROI (the one scenario with an ROI is so "
            "marked)" in lines)


def test_a_sweep_of_one_job_is_refused_in_one_line_before_anything_is_written(sweep, tmp_path, capsys):
    """It wrote a report of one run's figures compared with nothing, and exit 0 (a strategist's
    walk expected the refusal a single run's folder gets). A sweep with a job left out as
    incomplete is compared: its report says which, and why (tests above)."""
    copy = copy_sweep(sweep, tmp_path / "s")
    shutil.rmtree(copy / "1")
    record = yaml.safe_load((copy / "multirun.yaml").read_text())
    task = record["hydra"]["overrides"]["task"]
    record["hydra"]["overrides"]["task"] = [o.replace("=12,5", "=12") for o in task]
    (copy / "multirun.yaml").write_text(yaml.safe_dump(record))
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 2 and out == "", out
    job = f"{scenario_of(copy / '0')} (job 0)"
    assert err == (f"salessim-compare: error: {copy} is a sweep of one job ({job}), with nothing to "
                   "compare it with (allowed: a sweep of two jobs or more, key=a,b, or its job against a run "
                   f"apart: salessim-compare {copy} --baseline RUN_FOLDER)\n"), err
    assert not (copy / "comparison").exists()
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--baseline", str(sweep / "1"))
    assert code == 0, err


def test_jobs_that_share_the_name_baseline_are_named_once(sweep, tmp_path, capsys):
    """A sweep over run-control keys only (sim.replications=2,3) names every job 'baseline'."""
    copy = copy_sweep(sweep, tmp_path / "s")
    for job in ("0", "1"):
        _edit_manifest(copy / job, lambda m: m.update(scenario="baseline"))
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    line = next(x for x in out.splitlines() if x.strip().startswith("Baseline:"))
    # as the table calls it: both jobs have the name
    assert line.strip() == "Baseline: job 0, the scenario named 'baseline' (the first of the 2 jobs so named)."


@pytest.fixture(scope="module")
def horizons(tmp_path_factory) -> Path:
    """A sweep over the horizon alone (a second or two): the same settings over 1 and 1.5 years."""
    folder = tmp_path_factory.mktemp("horizons")
    done = run_cli("-m", "sim.years=1,1.5", "sim.warmup_months=2", "sim.replications=2", "org=small",
                   f"hydra.sweep.dir={folder}")
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


def test_a_sweep_over_the_horizon_names_its_scenarios_by_it(horizons, capsys):
    """sim.years changes what is simulated: two horizons are two scenarios by name, not one name
    told apart by job folder."""
    assert [scenario_of(horizons / j) for j in ("0", "1")] == [
        "org=small,sim.warmup_months=2,sim.years=1", "org=small,sim.warmup_months=2,sim.years=1.5"]
    code, out, err = compare_in_process(capsys, str(horizons), "--no-plots")
    assert code == 0, err
    rows = [line.split("  ")[0] for line in out.splitlines() if line.startswith("sim.years=")]
    assert rows == ["sim.years=1", "sim.years=1.5"] or rows == ["sim.years=1.5", "sim.years=1"], out


def test_a_scenario_of_another_horizon_alone_does_not_say_no_change_beside_a_net_gain(horizons, capsys):
    """The same settings over 1 and 1.5 years: common random numbers simulate the months both have
    alike, so no month's money differs and there is no payback curve, while the yearly figures,
    from different windows, differ. The payback says so ('no change (other window)', with one
    replication or several), and a note says the yearly changes are the window's."""
    code, out, err = compare_in_process(capsys, str(horizons), "--no-plots")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.startswith("sim.years=1.5 "))
    assert row.endswith("  no change (other window)"), row
    table = pd.read_csv(horizons / "comparison" / "comparison.csv")
    gain = table[(table.scenario == scenario_of(horizons / "1")) & (table.metric == "contribution_usd")]
    assert abs(gain.diff_vs_baseline.iloc[0]) > 1.0  # a non-zero net gain, the window's alone
    assert pd.read_csv(horizons / "comparison" / "payback.csv").empty
    assert ("the same as the baseline in every month both measure (bookings and costs, replication by "
            "replication), so the yearly changes shown for it (bookings, net gain) are its window's") in out
    assert gain.roi.isna().all()  # a return of nothing: its cost changes with the window alone (545.9% was shown)
    assert "no investment cost differs" not in out  # its ROI is no setting's: said by the note above
    assert "no change (other window)" in unspanned((horizons / "comparison" / "report.html").read_text())
    short = unspanned((horizons / "comparison" / "report.html").read_text()).split("<h2>In short</h2>")[1]
    # said once, in the answer's first sentence, not again in a caveat after it (a review)
    answer = short.split("</p>")[0]
    assert "(it measures another window than the baseline&#x27;s, sim.years or sim.warmup_months: its " \
           "yearly figures are partly the window&#x27;s)" in answer, short[:2000]
    assert "it ran over another window" not in answer
    assert ("Every figure covers its scenario&#x27;s measured window: the years after its warm-up (0.85 "
            "years after 2 months for the baseline; 1 scenario measures another window") in unspanned(
        (horizons / "comparison" / "report.html").read_text())


def test_a_paired_difference_over_fewer_replications_than_the_means_is_footnoted(sweep, tmp_path, capsys):
    copy = copy_sweep(sweep, tmp_path / "s")
    _table("summary", lambda t: t[t.replication < 5])(copy / "1")  # 5 of the baseline's 8
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    # The table names a scenario by what sets it apart; the settings all share are said once.
    short = scenario_of(copy / "1").split(",")[0]  # fsm.span_of_control=5
    row = next(x for x in out.splitlines() if x.startswith(short + " "))
    assert ("Every scenario also has org=small sim.warmup_months=2 sim.years=1 "
            "(left out of the names above)") in out.splitlines()
    assert "]†" in row
    assert ("†: the paired difference uses only the replications shared with the baseline, which "
            f"replay the same seeds ({short}: 5 of its 5; the baseline has 8)") in out
    page = (copy / "comparison" / "report.html").read_text()
    assert "]†" in page and "uses only the replications shared with the baseline" in page
    assert "5 to 8 replications per job" in page
    # with every replication shared, no footnote
    code, out, err = compare_in_process(capsys, str(sweep), "--no-plots")
    assert code == 0, err
    assert "†" not in out


def test_a_scenario_that_ties_with_the_baseline_ranks_below_it_and_is_said_to_tie(sweep, tmp_path, capsys):
    """A change of exactly 0 (the same results under another setting) is no rank above or below
    doing nothing: the baseline comes first whatever the jobs' order, and nothing is said to rank
    below it that ties with it."""
    from types import SimpleNamespace

    from salessim.ranking_notes import leaders_note

    copy = copy_sweep(sweep, tmp_path / "s")
    for table in (copy / "0").glob("*.parquet"):
        shutil.copy(table, copy / "1" / table.name)  # job 0's results under job 1's settings
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--baseline", "1")
    assert code == 0, err
    rows = [line.split()[0] for line in out.splitlines() if line.startswith("fsm.span_of_control=")]
    assert rows == ["fsm.span_of_control=5", "fsm.span_of_control=12"], out  # the baseline (5) first
    page = (copy / "comparison" / "report.html").read_text()
    assert ("The baseline (doing nothing) ranks first by the net gain per year; the first of the scenarios, "
            "fsm.span_of_control=12, ties with it") in page
    assert "every scenario ranks below it" not in page
    # The first two of the ranking, against each other, say where they stand by the ranking's figure.
    row = _scenario
    values = {s: pd.DataFrame({"bookings_usd": [1.0, 2.0], "gross_margin_usd": [1.0, 1.0],
                               "total_cost_usd": [0.0, 0.0]}) for s in ("base", "a", "b")}
    for ranks, said in (((0.0, 0.0), " Both tie with the baseline."),
                        ((0.0, -1.0), " The first ties with the baseline, the second ranks below it."),
                        ((1.0, 0.0), " The second ties with the baseline."),
                        ((-1.0, -2.0), " Both rank below the baseline."),
                        # no replication shared with the baseline: no change measured, no tie
                        ((1.0, math.nan), " The second has no paired change with the baseline."),
                        ((-1.0, math.nan), " The first ranks below the baseline, the second has no "
                                           "paired change with it.")):
        scenarios = pd.DataFrame([*([row("a", False, diff_vs_baseline=ranks[0])] if ranks[0] > 0 else []),
                                  row("base", True),
                                  *([row("a", False, diff_vs_baseline=ranks[0])] if ranks[0] <= 0 else []),
                                  row("b", False, diff_vs_baseline=ranks[1])])
        assert leaders_note(SimpleNamespace(scenarios=scenarios, values=values, rank_by="bookings")
                            ).endswith(said), ranks


def _sweep_spans(copy: Path, spans: str, *more: str) -> list[str]:
    """Rewrite a copied sweep's multirun.yaml as if run with fsm.span_of_control=SPANS (and MORE)."""
    path = copy / "multirun.yaml"
    multirun = yaml.safe_load(path.read_text())
    task = multirun["hydra"]["overrides"]["task"]
    task[task.index("fsm.span_of_control=12,5")] = f"fsm.span_of_control={spans}"
    task.extend(more)
    path.write_text(yaml.safe_dump(multirun))
    return task


def test_the_job_count_is_the_sweeps_not_the_folders(sweep, tmp_path, capsys):
    """An interrupted sweep has fewer job folders than multirun.yaml lists jobs. (Its folder has a
    space: the command to resume it, said unquoted, ran into two folders.)"""
    copy = copy_sweep(sweep, tmp_path / "my s")
    _sweep_spans(copy, "12,5,8", "investment=[],[crm]")
    for job in ("0", "1"):  # as the larger sweep would have recorded them
        record = copy / job / ".hydra" / "overrides.yaml"
        record.write_text(yaml.safe_dump(yaml.safe_load(record.read_text()) + ["investment=[]"]))
    (copy / "1").rename(copy / "b")  # a custom hydra.sweep.subdir: names say nothing
    _drop_manifest(copy / "b")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert out.splitlines()[0] == (f"salessim-compare: 1 finished job of 6 in {copy} "
                                   "(4 not started: no job folder)")
    page = (copy / "comparison" / "report.html").read_text()
    assert "4 jobs of the sweep have no folder" in page
    # Which 4: told apart by their overrides. Jobs run in the order (12, []), (12, [crm]), (5, []),
    # ...; folder 0 ran the first and folder b the third.
    listed = pd.read_csv(copy / "comparison" / "incomplete_jobs.csv", dtype=str, keep_default_na=False)
    assert listed.job.tolist() == ["b", "#1", "#3", "#4", "#5"]  # the incomplete folder first
    unstarted = listed[listed.problem.str.startswith("not started")]
    assert set(unstarted.path) == {""}
    assert unstarted.scenario.str.contains("fsm.span_of_control=8").sum() == 2
    assert unstarted.scenario.str.contains("investment=[crm]", regex=False).sum() == 3
    assert (f"NOT STARTED jobs (4, each by its number in the sweep, #N, having no folder; to run them, "
            f"run the sweep's command again with "
            f"\"hydra.sweep.dir='{copy}'\" sim.resume=true):") in out
    assert "  job #5 (overrides: " in out and "fsm.span_of_control=8" in page


def test_the_answer_and_the_next_steps_open_with_the_jobs_not_finished(sweep, tmp_path, capsys):
    """A walk compared 2 finished jobs of 18: 'In short' named a first without a word of the 16
    others (said only under it), and the first next step was to rerun that first with more
    replications. Now the answer opens with them, and the first step finishes the sweep."""
    copy = copy_sweep(sweep, tmp_path / "s")
    _sweep_spans(copy, "12,5,8")  # a third job, not started
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    answer = " ".join(out[out.index("In short:"):].split())
    assert answer.startswith("In short: 1 of the sweep's 3 jobs has not finished and is left out of this "
                             "answer (listed below), and it may yet come first; finish it (the sweep's "
                             "command again with sim.resume=true, as said below) and compare again. "
                             "fsm.span_of_control="), answer
    page = " ".join(html.unescape(unspanned((copy / "comparison" / "report.html").read_text())).split())
    steps = page[page.index("<h2>Next steps</h2>"):]
    first = re.sub(r"<[^>]+>", " ", steps[steps.index("<li"):steps.index("</li>")])
    assert " ".join(first.split()).startswith(
        "Finish the sweep: 1 of the sweep's 3 jobs has not finished and is left out, so the ranking and the "
        f"steps below may change when it has. Run the sweep's command again with hydra.sweep.dir={copy} "
        "sim.resume=true"), first
    # counted from the sweep's plan: runs apart (--baseline, --with) are none of its jobs (a review
    # read '3 finished jobs of 4' above '1 of the sweep's 6'); strays are no job of it; under a
    # selection (--at), a job not started cannot be told to be in it
    from types import SimpleNamespace

    from salessim.compare import unfinished_jobs
    from salessim.sweep_folder import STRAY, Plan
    left = SimpleNamespace(plan=Plan(4, 2, []), incomplete=[SimpleNamespace(problem="no manifest.json"),
                                                            SimpleNamespace(problem=STRAY)],
                           jobs=[SimpleNamespace()] * 5)
    assert unfinished_jobs(left) == (3, 4)
    assert unfinished_jobs(SimpleNamespace(**vars(left), kept_as="span 8")) == (1, 4)


def test_a_job_folder_left_by_another_sweep_is_not_compared(sweep, tmp_path, capsys):
    """A sweep run into a folder that held another leaves the old job folders there."""
    copy = copy_sweep(sweep, tmp_path / "s")
    task = _sweep_spans(copy, "12,20")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert out.splitlines()[0] == (f"salessim-compare: 1 finished job of 2 in {copy} "
                                   "(1 not started: no job folder)")
    assert "job 1 (" in out and "not a job of this sweep: its overrides match none" in out
    listed = pd.read_csv(copy / "comparison" / "incomplete_jobs.csv", dtype=str, keep_default_na=False)
    assert listed.job.tolist() == ["1", "#1"]  # folder 1 (span 5, stray), then job #1 (span 20)
    assert listed.scenario.iloc[1] == "overrides: " + ",".join(
        o.replace("12,20", "20") for o in task if "=" in o)


def test_a_sweep_being_resumed_keeps_its_finished_jobs(sweep, tmp_path, capsys):
    """Resuming adds sim.resume=true to multirun.yaml at once, and to a job's record only when the
    resume reaches it: the jobs it has not reached yet are still this sweep's."""
    copy = copy_sweep(sweep, tmp_path / "s")
    _sweep_spans(copy, "12,5", "sim.resume=true", "sim.progress=false")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert out.splitlines()[0] == f"salessim-compare: 2 finished jobs of 2 in {copy}"
    assert "not a job of this sweep" not in out


def test_unstarted_jobs_are_counted_but_not_named_when_a_folder_has_no_record(sweep, tmp_path, capsys):
    copy = copy_sweep(sweep, tmp_path / "s")
    _sweep_spans(copy, "12,5,8")
    (copy / "1" / ".hydra" / "overrides.yaml").unlink()
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert "(1 not started: no job folder)" in out.splitlines()[0]
    assert "NOT STARTED" not in out  # job 1 or job 2 of the plan? Folder 1 cannot tell.
    listed = pd.read_csv(copy / "comparison" / "incomplete_jobs.csv")
    assert listed.empty


def test_jobs_with_identical_results_are_noted(sweep, tmp_path, capsys):
    """Settings that change nothing here (spans that round to the same number of FSMs) would show
    as a measured zero: the comparison says the results are identical instead."""
    code, out, err = compare_in_process(capsys, str(sweep), "--no-plots")
    assert code == 0 and "identical bookings" not in out
    copy = copy_sweep(sweep, tmp_path / "s")
    shutil.copy(copy / "0" / "summary.parquet", copy / "1" / "summary.parquet")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert (f"{in_table(copy / '0')} (job 0), {in_table(copy / '1')} (job 1): identical bookings "
            "in every replication") in out
    assert "identical bookings in every replication" in (copy / "comparison" / "report.html").read_text()
    assert "change nothing in this organization" in out
    # the same deals at another cost (an investment's fee): not "nothing changes"
    summary = pd.read_parquet(copy / "1" / "summary.parquet")
    summary["total_cost_usd"] += 100_000.0
    summary.to_parquet(copy / "1" / "summary.parquet")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert "identical bookings in every replication: the settings that differ between them change no deal, only what they cost" in out
    assert "change nothing in this organization" not in out


def test_jobs_of_one_configuration_are_said_to_be_one_scenario_run_again(sweep, tmp_path, capsys):
    """Two runs of the same command compared: no setting differs between them, so "the settings
    that differ between them change nothing" named settings there are none of."""
    runs = tmp_path / "runs"  # as results/runs holds two runs of one command
    for run in ("a", "b"):
        shutil.copytree(sweep / "0", runs / run)
    code, out, err = compare_in_process(capsys, str(runs), "--no-plots")
    assert code == 0, err
    assert ("job a, job b: the same configuration, run 2 times, so the same results: one scenario listed "
            "twice.") in out, out
    assert "the settings that differ between them" not in out


def test_one_configuration_run_with_fewer_replications_is_said_to_be_one_scenario(sweep, tmp_path,
                                                                                   capsys):
    """A sweep of sim.replications alone: its jobs are one simulation on the replications they
    share, so their 0 [0, 0] is no measured effect; "In short" said the one "ties with" the other
    and "may return nothing"."""
    runs = tmp_path / "runs"
    for run in ("a", "b"):
        shutil.copytree(sweep / "0", runs / run)
    fewer = runs / "b"  # the same configuration, run with 5 of the 8 replications
    for table in ("summary", "kpis"):
        frame = pd.read_parquet(fewer / f"{table}.parquet")
        frame[frame.replication < 5].to_parquet(fewer / f"{table}.parquet")
    manifest = json.loads((fewer / "manifest.json").read_text())
    manifest["config"]["sim"]["replications"] = 5
    (fewer / "manifest.json").write_text(json.dumps(manifest))
    code, out, err = compare_in_process(capsys, str(runs), "--no-plots", "--baseline", "a")
    assert code == 0, err
    assert ("job a, job b: the same configuration, run with 5 and 8 replications, so the same results "
            "in the replications they share: one scenario, its paired differences 0 by construction, "
            "not a measured effect.") in out, out
    assert "It gains nothing: its net gain equals the baseline's in every replication they share" in out
    assert "may return nothing" not in out


def test_a_sweep_still_being_written_is_said_to_be(sweep, tmp_path, capsys):
    from salessim.folder_claim import claimed

    copy = copy_sweep(sweep, tmp_path / "s")
    (copy / "1" / "manifest.json").unlink()  # a job still running
    note = "A salessim command is still writing to this sweep"
    with claimed("hydra.sweep.dir", str(copy), chosen_by_clock=False):
        code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert note in out
    # not the resume that the running command's hold on the folder refuses
    assert "they may still be running: compare again when the command writing to the sweep has ended" in out
    assert "sim.resume=true" not in out
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0 and note not in out and "sim.resume=true, which keeps the finished jobs" in out


def test_few_replications_are_said_to_give_wide_intervals(sweep, tmp_path, capsys):
    code, out, err = compare_in_process(capsys, str(sweep), "--no-plots")
    assert code == 0, err
    assert "intervals this wide" not in out  # 8 replications
    copy = copy_sweep(sweep, tmp_path / "s")
    for job in ("0", "1"):
        _table("summary", lambda t: t[t.replication < 3])(copy / job)
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    note = ("(3 replications: intervals this wide are expected with so few; sim.replications=10 or "
            "more narrows them)")
    assert note in out.splitlines()
    # the report's answer says why more are needed, where its own settled lead might seem enough
    assert ("With 3 replications, the intervals&#x27; own width is uncertain: rerun with "
            "sim.replications=10 or more before committing a budget.") in \
        (copy / "comparison" / "report.html").read_text()


def test_the_net_gain_interval_is_the_paired_difference_of_contribution(compared, sweep):
    """docs/results.md: the report's net gain / yr and its interval are contribution_usd's paired
    difference (comparison.parquet); ROI has no interval of its own."""
    from salessim.report_table import fmt_ci

    table = pd.read_parquet(compared[0] / "comparison.parquet").set_index(["scenario", "metric"])
    row = table.loc[(scenario_of(sweep / "1"), "contribution_usd")]
    page = unspanned((compared[0] / "report.html").read_text())
    ranking = page[page.index("<h2>Ranking</h2>"):page.index("<h2>Figures</h2>")]
    assert fmt_ci("contribution_usd", row.diff_vs_baseline, row.diff_ci_low, row.diff_ci_high) in ranking
    assert "A ratio of two averages, it has no interval" in ranking and "sim.years" in ranking


def test_results_md_names_the_column_behind_every_report_label():
    from salessim.report import ranking_head
    from salessim.report_table import HEADLINES, METRIC_LABELS, SEGMENT_LABELS

    text = (ROOT / "docs" / "results.md").read_text()
    section = text[text.index("## The comparison of a sweep"):]
    for column, label in METRIC_LABELS.items():
        assert f"| {label} | `{column}`" in section, label
    for metric, label in SEGMENT_LABELS.items():
        assert f"| {label.format(segment='<segment>')} | `{metric}_<segment>`" in section, label
    assert {column for column, _, _ in HEADLINES} - set(METRIC_LABELS) == {"median_cycle_days_mid_market"}
    for label in ranking_head():
        assert f"| {label} |" in section, label


def test_the_reports_ranking_gives_the_first_12_months_net_gain_beside_the_yearly_one():
    """A strategist read '+1,265,691 a year' as what a first year returns (+424,740), which only
    ranking.csv gave."""
    from salessim.report import first_year_cell

    row = pd.Series({"window_months": 30, "first_year_net_gain_usd": 424_740.0,
                     "first_year_net_gain_ci_low": 101_000.0, "first_year_net_gain_ci_high": 748_480.0})
    assert first_year_cell(row) == "+424,740 [+101,000, +748,480]"
    # a window of a year: the yearly figure is that year's
    assert first_year_cell(pd.Series({**row, "window_months": 12})) == "—"


def test_every_summary_figure_has_a_readable_label():
    """The report shows no raw column names as labels: every summary figure a comparison can
    compare, per-segment ones included, has one, and the window totals say so."""
    from salessim.report_table import label
    from salessim.summary import SEGMENT_METRICS, SUMMARY_COLUMNS, WINDOW_COUNTS

    run_control = {"scenario", "replication", "seed", "window_years", "events", "wall_seconds"}
    columns = [c for c in SUMMARY_COLUMNS if c not in run_control]
    columns += [f"{m}_{s}" for m in SEGMENT_METRICS for s in ("smb", "mid_market", "enterprise")]
    for column in columns:
        assert label(column) != column and "_" not in label(column), column
    assert all(label(c).endswith("(window total)") for c in WINDOW_COUNTS)
    assert label("win_rate_smb") == "Win rate, SMB"
    assert label("bookings_usd_public_sector") == "Bookings per year, public-sector (USD)"
    assert label("my_cost_usd") == "my_cost_usd per year"  # a column salessim does not know
    assert label("my_figure") == "my_figure"


def test_one_huge_roi_turns_the_roi_axis_logarithmic():
    from salessim.plots import roi_needs_log_scale
    # The walkthrough's sweep: inside sales at 14,558% flattened ROIs of 46-432% onto 0.
    assert roi_needs_log_scale(pd.Series([432.3, 374.4, 361.4, 350.9, 46.2, 68.1, 14557.8]))
    assert not roi_needs_log_scale(pd.Series([432.3, 374.4, 361.4, 350.9, 46.2, 68.1]))
    assert not roi_needs_log_scale(pd.Series([5000.0]))  # one point: nothing to flatten
    assert roi_needs_log_scale(pd.Series([404.3, 376.0, 349.2, 290.1, 120.5, 98.7, 2289.0]))


def test_the_roi_plots_tick_labels_name_their_ticks():
    """Ticks 0.25 apart were labelled with one decimal: 1.25 read "1.2", beside a tick at 1.0
    reading "1.0", so points at 1.19 and 1.29 seemed to straddle 1.2."""
    from salessim.plots import tick_label
    assert [tick_label(v) for v in (-0.25, 0.0, 1.25, 1.2000000000000002, 0.025)] == [
        "-0.25", "0", "1.25", "1.2", "0.025"]
    assert tick_label(12.5) == "12.5" and tick_label(-2500.0) == "-2,500"


def test_the_report_says_an_investment_is_added_or_dropped_and_a_setting_changed():
    from salessim.report import config_differences, describe_difference
    baseline = {"fsm": {"span_of_control": 8.5}, "investment": {"old": {"description": "Old tool"}}}
    config = {"fsm": {"span_of_control": 12.0},
              "investment": {"crm": {"kind": "tools", "description": "New CRM", "cost": 1}}}
    said = [describe_difference(*d) for d in config_differences(config, baseline)]
    assert said == ["adds investment crm: New CRM", "drops investment old: Old tool",
                    "fsm.span_of_control: 8.5 → 12"]  # 12.0 as the scenario's name writes it
    # the settings of an added investment that the job's command set tell a sweep's jobs apart
    overrides = ["investment=[crm]", "investment.crm.effect_scale=0.5", "+investment.crm.cost=1",
                 "investment.crmx.cost=2"]
    said = [describe_difference(*d) for d in config_differences(config, baseline, overrides)]
    assert said[0] == "adds investment crm: New CRM (effect_scale=0.5, cost=1)"
    # a setting left unset reads as 'What the investments assume' says it
    unset = {"compensation": {"quota_usd": None}}
    quota = {"compensation": {"quota_usd": 4e5}}
    assert [describe_difference(*d) for d in config_differences(quota, unset)] == [
        "compensation.quota_usd: unset → 400,000"]


def test_jobs_measured_over_different_or_short_windows_are_noted(sweep, tmp_path, capsys):
    """Jobs of another horizon or warm-up compare yearly figures of different windows, and a
    window of a few weeks gives yearly figures that are mostly noise: the comparison says so."""
    code, out, err = compare_in_process(capsys, str(sweep), "--no-plots")
    assert code == 0 and "different windows" not in out and "measures only" not in out
    copy = copy_sweep(sweep, tmp_path / "s")
    _edit_manifest(copy / "1", lambda m: m["config"]["sim"].update(warmup_months=11))
    _table("summary", lambda t: t.assign(window_years=5 / 52))(copy / "1")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    job1 = in_table(copy / "1")
    assert (f"{job1}: 1 year with a 11-month warm-up, the baseline 1 with 2: their yearly "
            "figures come from different windows") in out
    assert f"{job1} (job 1) measures only 5 weeks after its 11-month warm-up (sim.years=1)" in out


def test_baseline_by_job_folder_path_and_a_shared_name_asks_for_a_folder(sweep, tmp_path, capsys):
    copy = copy_sweep(sweep, tmp_path / "s")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--baseline", str(copy / "1"))
    assert code == 0, err
    table = pd.read_parquet(copy / "comparison" / "comparison.parquet")
    assert table[table.scenario == scenario_of(copy / "1")].diff_vs_baseline.eq(0).all()
    # Span 5 returns more than span 12: the baseline tops the report's ranking, and its "In short"
    # says so instead of calling the scenario it ranks second "First in the ranking".
    page = (copy / "comparison" / "report.html").read_text()
    short = page[page.index("<h2>In short</h2>"):page.index("</p>", page.index("<h2>In short</h2>"))]
    assert ("The baseline (doing nothing) ranks first by the net gain per year; the first of the scenarios, "
            "fsm.span_of_control=12, ranks below it, -") in short, short
    assert "comes first" not in short
    # Two jobs of one scenario name (a sweep over run-control keys): the name alone is ambiguous.
    _edit_manifest(copy / "1", lambda m: m.update(scenario=scenario_of(copy / "0")))
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--baseline", scenario_of(copy / "0"))
    _one_line_error(code, err, f"--baseline '{scenario_of(copy / '0')}' names 2 jobs of this sweep",
                    "allowed: one of their job folders, '0', '1'")


def test_an_roi_without_an_investment_is_said_to_be_per_dollar_of_changed_cost(sweep, tmp_path, capsys):
    """Job 1 narrows the span (settings alone): its ROI is per dollar of FSM pay, not an
    investment's return. A scenario that adds an investment gets no such note."""
    code, out, err = compare_in_process(capsys, str(sweep), "--no-plots")
    assert code == 0, err
    note = "no investment cost differs from the baseline's, so the ROI is per dollar of the other costs"
    assert f"{in_table(sweep / '1')} (job 1): {note}" in out
    assert "The baseline invests too" not in out
    copy = copy_sweep(sweep, tmp_path / "s")
    _edit_manifest(copy / "1", lambda m: m["config"].update(
        investment={"crm": {"kind": "tools", "start_month": 2}}))
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert note in out  # an investment that costs nothing extra returns nothing of its own
    summary = pd.read_parquet(copy / "1" / "summary.parquet")
    for column in ("investment_cost_usd", "total_cost_usd"):
        summary[column] += 50_000.0
    summary.to_parquet(copy / "1" / "summary.parquet")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert "no investment cost differs" not in out
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--baseline", str(copy / "1"))
    assert code == 0, err
    assert ("The baseline invests too (crm): the investment cost in an ROI is the cost beyond the "
            "baseline's (an ROI divides by the larger of that and the extra total cost" in out)


def test_intervals_stop_at_the_values_a_metric_can_take():
    """Two replications make a t interval 12.7 standard errors wide: a share's must still lie in
    [0, 1] and its difference in [-1, 1]; money is never negative, contribution may be."""
    from salessim.compare import contrast

    base, other = pd.Series([0.1, 0.6]), pd.Series([0.05, 0.9])
    share = contrast("quota_attainment_share", base, other, is_base=False)
    assert share["ci_low"] == 0.0 and share["ci_high"] == 1.0
    assert share["diff_ci_low"] == -1.0 and share["diff_ci_high"] == 1.0
    assert share["diff_ci_unpaired_low"] == -1.0 and share["diff_ci_unpaired_high"] == 1.0
    assert share["mean"] == pytest.approx(0.475) and share["diff_vs_baseline"] == pytest.approx(0.125)
    money = contrast("bookings_usd_smb", base * 1e6, other * 1e6, is_base=False)
    assert money["ci_low"] == 0.0 and money["diff_ci_low"] < -1e6  # a difference may be negative
    assert contrast("mean_deal_usd_smb", base, other, is_base=True)["ci_low"] == 0.0
    signed = contrast("contribution_usd", base * 1e6, other * 1e6, is_base=True)
    assert signed["ci_low"] < 0.0
    empty = contrast("win_rate_enterprise", pd.Series([math.nan, math.nan]), pd.Series([math.nan] * 2), True)
    assert empty["n"] == 0 and math.isnan(empty["diff_vs_baseline"])  # nothing to differ from


def test_a_difference_that_rounds_to_zero_has_no_sign_but_an_interval_end_keeps_it():
    from salessim.report_table import fmt_ci, fmt_diff

    assert fmt_diff("win_rate", -2.78e-17) == "0.0 pp" and fmt_diff("win_rate", 0.0006) == "+0.1 pp"
    assert fmt_ci("fsm_coaching_share", 2.78e-17, -1e-9, 0.037) == "0.0 pp [0.0 pp, +3.7 pp]"
    assert fmt_diff("bookings_usd", -0.4) == "0" and fmt_diff("mean_span", -0.04) == "0.0"
    # An interval's end keeps its sign: whether the interval holds zero shows (a strategist read
    # [0.0, +3.0] for a cycle whose lower end was -0.0034, and for one at +0.031, alike).
    assert fmt_ci("mean_cycle_days_won", 1.5, -0.0034, 3.0) == "+1.5 [-0.0, +3.0]"
    assert fmt_ci("median_cycle_days", 0.6, 0.031, 1.1) == "+0.6 [+0.0, +1.1]"
    assert fmt_ci("no_decision_rate_smb", -0.012, -0.023, -0.000255) == "-1.2 pp [-2.3 pp, -0.0 pp]"
    assert fmt_ci("bookings_usd", 5.0, -0.4, 9.0) == "+5 [-0, +9]"
    # An interval whose ends both round to zero takes the decimals that tell them apart (up to 3):
    # an analyst read 0.0 [-0.0, -0.0] for -0.0134 [-0.026, -0.0004], as if outside its interval.
    assert fmt_ci("stakeholders_per_group", -0.0134, -0.026, -0.0004) == "-0.01 [-0.03, -0.00]"
    assert fmt_ci("win_rate", 0.0001, -0.00002, 0.0003) == "+0.01 pp [-0.00 pp, +0.03 pp]"
    assert fmt_ci("mean_span", 0.0, 0.0, 0.0) == "0.0 [0.0, 0.0]"  # no width: nothing to tell apart
    # nor a change shown as zero beside an interval above it
    assert fmt_ci("stakeholders_per_group", 0.004, 0.0004, 0.009) == "+0.004 [+0.000, +0.009]"


def test_with_no_baseline_marked_the_job_of_the_unswept_config_is_the_baseline(tmp_path):
    """fsm_span sweeps span 5, 8.5, 12, 16 and coaching quality 0.3, 0.5, 0.7: the baseline is the
    organization as configured (8.5, 0.5, which multirun.yaml holds), not the corner (5, 0.3)."""
    from salessim.baseline import choose_baseline
    from salessim.sweep_folder import Job
    from salessim.config import Config

    jobs = [Job(str(n), tmp_path / str(n), scenario=f"s{n}", cfg=Config(), overrides=[
                f"fsm.span_of_control={span}", f"fsm.coaching_quality={quality}", "org=small"],
                manifest={"config": {"fsm": {"span_of_control": span, "coaching_quality": quality},
                                     "org": {"sellers": 20}}})
            for n, (span, quality) in enumerate([(5, 0.3), (5, 0.5), (8.5, 0.3), (8.5, 0.5)])]
    unswept = {"fsm": {"span_of_control": 8.5, "coaching_quality": 0.5}, "org": {"sellers": 20}}
    (tmp_path / "multirun.yaml").write_text(yaml.safe_dump(unswept))
    baseline, reason = choose_baseline(jobs, None)
    assert baseline.name == "3", reason
    assert reason.endswith("every setting the sweep varies at its usual value "
                           "(fsm.span_of_control=8.5, fsm.coaching_quality=0.5)")
    # not again where the scenario's name says them (a new user read "investment=[] (job 0), ...
    # (investment=[])")
    for name in ("fsm.span_of_control=8.5,fsm.coaching_quality=0.5",
                 "fsm.coaching_quality=0.5,fsm.span_of_control=8.5,org=small"):  # a shared setting too
        jobs[3].scenario = name
        assert choose_baseline(jobs, None)[1].endswith("every setting the sweep varies at its usual value")
    unswept["fsm"]["span_of_control"] = 12
    (tmp_path / "multirun.yaml").write_text(yaml.safe_dump(unswept))
    assert choose_baseline(jobs, None)[0].name == "0"  # no job runs it: the first job


def test_a_sweep_of_one_job_names_its_baseline_without_a_usual_value(tmp_path):
    """salessim -m 'investment=[crm]': the one job runs the sweep's configuration, which invests;
    "every setting the sweep varies at its usual value" would say it invests nothing."""
    from salessim.baseline import choose_baseline
    from salessim.sweep_folder import Job
    from salessim.config import Config

    (tmp_path / "multirun.yaml").write_text(yaml.safe_dump({"investment": {"crm": {"seats": 1}}}))
    job = Job("0", tmp_path / "0", scenario="investment=[crm]", cfg=Config(), overrides=["investment=[crm]"],
              manifest={"config": {"investment": {"crm": {"seats": 1}}}})
    baseline, reason = choose_baseline([job], None)
    assert baseline.name == "0"
    assert reason == "the one configuration the sweep runs (nothing is swept)"


def test_a_sweep_over_a_group_that_writes_elsewhere_is_told_by_its_choice(tmp_path):
    """+calibrated=a,b writes market.* and org.*, not a `calibrated` node: the config alone
    cannot tell that neither job runs the sweep's unswept configuration (no calibration); the
    group choices Hydra records can."""
    from salessim.baseline import choose_baseline
    from salessim.sweep_folder import Job
    from salessim.config import Config

    (tmp_path / "multirun.yaml").write_text(yaml.safe_dump(
        {"org": {"sellers": 12}, "hydra": {"runtime": {"choices": {"org": "default"}}}}))
    jobs = []
    for n, name in enumerate(("a", "b")):
        (tmp_path / str(n) / ".hydra").mkdir(parents=True)
        (tmp_path / str(n) / ".hydra" / "hydra.yaml").write_text(yaml.safe_dump(
            {"hydra": {"runtime": {"choices": {"org": "default", "calibrated": name}}}}))
        jobs.append(Job(str(n), tmp_path / str(n), scenario=name, cfg=Config(),
                        overrides=[f"+calibrated={name}", "org.sellers=12"],
                        manifest={"config": {"org": {"sellers": 12}}}))
    baseline, reason = choose_baseline(jobs, None)
    assert baseline.name == "0" and "the first job (0) is the baseline" in reason


def test_an_unfinished_baseline_is_never_replaced_by_another_job(tmp_path):
    """Job 0 runs the sweep's configuration as it stands, but its summary is unreadable: the
    comparison must not measure every scenario against job 1 instead."""
    from salessim.baseline import choose_baseline
    from salessim.sweep_folder import Job
    from salessim.config import Config
    from salessim.errors import UserError

    (tmp_path / "multirun.yaml").write_text(yaml.safe_dump({"fsm": {"span_of_control": 8.5}}))
    jobs = [Job(str(n), tmp_path / str(n), scenario=f"fsm.span_of_control={span}", cfg=Config(),
                overrides=[f"fsm.span_of_control={span}"],
                manifest={"config": {"fsm": {"span_of_control": span}}})
            for n, span in enumerate([8.5, 12])]
    jobs[0].problem = "summary.parquet unreadable (ArrowInvalid)"
    with pytest.raises(UserError) as e:
        choose_baseline(jobs, None)
    assert "the baseline, job 0" in e.value.message and "sim.resume=true" in e.value.message
    assert choose_baseline(jobs, "1")[0].name == "1"  # named, it is the user's choice


def test_a_sweep_whose_unfinished_jobs_may_hold_the_baseline_names_them(tmp_path):
    """Job 0's folder is gone (never started, or deleted): no finished job is the baseline, and
    the first finished job is not taken in its place."""
    from salessim.baseline import choose_baseline
    from salessim.sweep_folder import Job, NotStarted
    from salessim.config import Config
    from salessim.errors import UserError

    (tmp_path / "multirun.yaml").write_text(yaml.safe_dump({"fsm": {"span_of_control": 8.5}}))
    jobs = [Job("1", tmp_path / "1", scenario="fsm.span_of_control=12", cfg=Config(),
                overrides=["fsm.span_of_control=12"],
                manifest={"config": {"fsm": {"span_of_control": 12}}})]
    gone = NotStarted(0, ("fsm.span_of_control=8.5",))
    with pytest.raises(UserError) as e:
        choose_baseline(jobs, None, unstarted=[gone])
    assert "may be one that did not finish: job #0" in e.value.message
    assert "--baseline" in e.value.message
    # A job that did not finish but sets the span to 16 cannot be the configuration as it stands:
    # the comparison goes on, against the first job.
    other = NotStarted(0, ("fsm.span_of_control=16",))
    planned = [["fsm.span_of_control=16"], ["fsm.span_of_control=12"]]
    with pytest.raises(UserError) as e:  # ... which is #0 here, and did not finish
        choose_baseline(jobs, None, planned, unstarted=[other])
    assert "the first job, which would be, did not finish (job #0)" in e.value.message
    planned.reverse()  # the first job is the finished one, whatever its folder's name
    assert choose_baseline(jobs, None, planned, unstarted=[other])[0].name == "1"


def test_a_scenario_with_few_replications_gets_no_box_and_every_scenario_its_mean_marked(monkeypatch):
    """A box drawn from three dots would pass for a distribution: below plots.MIN_BOXED
    replications a scenario has no box, and the caption says so. Every scenario has its mean
    marked, the figure the tables give (a box's line is its median, which differs)."""
    from salessim import plots, report
    drawn = []
    monkeypatch.setattr(plots, "png", lambda fig, **layout: drawn.append(fig) or b"")
    values = {"base": pd.DataFrame({"win_rate": [0.40, 0.41, 0.54]}),
              "other": pd.DataFrame({"win_rate": np.linspace(0.4, 0.6, plots.MIN_BOXED)})}
    plots.distributions(values, ["win_rate"], "base", {"win_rate": "Win rate"}, {"win_rate": "pct"},
                        ranked=["other", "base"])
    ax = drawn[0].axes[0]
    means = [line for line in ax.lines if line.get_color() == "black" and line.get_linestyle() != "-"]
    # the three-dot scenario's mean (45%, not its median 41%) on its row, and the other's (50%)
    assert len(means) == 2
    assert any(np.allclose(line.get_xdata(), 45.0) and max(line.get_ydata()) < 0.5 for line in means)
    assert any(np.allclose(line.get_xdata(), 50.0) and min(line.get_ydata()) > 0.5 for line in means)
    boxes = [line for line in ax.lines if line.get_color() == "#888888"]
    assert boxes and all(min(line.get_ydata()) > 0.5 for line in boxes)  # only at the other's row (ranked first: y = 1)
    assert "no box" not in report._boxes_caption([5, 8])
    assert "a scenario with fewer than 5 replications has no box" in report._boxes_caption([3, 8])
    assert "With fewer than 5 replications a scenario has no box" in report._boxes_caption([3, 3])
    assert report._boxes_caption([3, 8]).startswith("The dotted black line is the mean")


def _heads(table: str) -> str:
    """A terminal table's line of heads: its first, or its second where each name is above its
    figures (a first line 'scenario')."""
    lines = table.splitlines()
    return lines[1] if lines[0] == "scenario" else lines[0]


def test_the_terminal_table_leaves_out_secondary_figures_to_fit_a_narrow_terminal():
    from types import SimpleNamespace

    from salessim.comparison_table import terminal_table

    scenarios = pd.DataFrame([_scenario("base", True, math.nan, math.nan),
                              _scenario("investment=[fsm_integrated_development]", False, 2.0, 6e4)])
    result = SimpleNamespace(scenarios=scenarios)
    full = terminal_table(result).splitlines()
    assert "turnover" in full[0] and "left out" not in "\n".join(full)
    assert terminal_table(result, width=len(full[0])) == "\n".join(full)  # it fits: nothing left out
    # One column short of the whole table: money in millions, the intervals narrower, nothing
    # left out while the millions fit.
    narrower = terminal_table(result, width=len(full[0]) - 1).splitlines()
    assert "M USD/yr" in narrower[0] and "turnover" in narrower[0] and "payback" in narrower[0]
    assert "(money in millions for a terminal" in "\n".join(narrower)
    # Narrower still: turnover goes first, then at quota, win rate and the payback; ROI and the
    # paired difference stay.
    width = len(narrower[0]) - 1
    narrow = terminal_table(result, width=width).splitlines()
    assert "turnover" not in narrow[0] and "at quota" in narrow[0] and "ROI" in narrow[0]
    assert f"(turnover/yr left out; money in millions for a terminal {width} columns wide" in "\n".join(narrow)
    tiny = terminal_table(result, width=20).splitlines()
    # the names above their figures, which are narrower without them
    assert tiny[0] == "scenario" and tiny[2] == "base" and tiny[4] == "investment=[fsm_integrated_development]"
    assert tiny[1].split() == ["bookings", "M", "USD/yr", "paired", "diff", "[95%", "CI]",
                               "net", "gain/yr", "[95%", "CI]", "ROI"]  # never dropped
    # A table that cannot fit says so, where it said it was fitted 'for a terminal 20 columns wide'
    assert next(line for line in tiny if "left out" in line).startswith(
        "(invest yr 1, win rate, at quota, turnover/yr, payback mo [range] left out; money in millions; "
        "each name "
        f"above its figures and still {len(tiny[1])} columns wide, wider than this terminal's 20: ")


def test_names_too_long_for_the_terminal_go_above_their_figures():
    """At 100 columns (and 80) a real sweep's table was 117 wide in millions with every optional
    figure left out: the names, such as investment=[methodology_training_connected], took 43
    columns. Each name now has a line of its own above its figures, and figures come back."""
    from types import SimpleNamespace

    from salessim.comparison_table import selected_figures, terminal_table

    money = dict(bookings_usd=63_567_157.0, diff_vs_baseline=8_734_408.0, diff_ci_low=7_296_418.0,
                 diff_ci_high=10_172_397.0, net_gain_usd_per_year=4_824_740.0,
                 net_gain_ci_low=4_024_534.0, net_gain_ci_high=5_624_946.0)
    names = ["investment=[methodology_training_connected]", "investment=[crm]", "investment=[]"]
    scenarios = pd.DataFrame([_scenario(names[0], False, 3.631, 1e6, **money),
                              _scenario(names[1], False, 3.259, 1e6, **money),
                              _scenario(names[2], True, bookings_usd=54_832_750.0)])
    result = SimpleNamespace(scenarios=scenarios)
    for width in (80, 100):
        lines = terminal_table(result, width=width).splitlines()
        table = lines[:2 * (len(names) + 1)]
        assert table[0::2] == ["scenario", *names]  # each name whole, on its own line
        assert all(row.startswith("  ") and len(row) <= width for row in table[1::2])
        assert "+8.73 [+7.30, +10.17]" in table[3] and "63.57" in table[3] and "363.1%" in table[3]
        assert "baseline" in table[7]
        assert f"each name above its figures for a terminal {width} columns wide" in " ".join(lines)
    assert "invest yr 1" in terminal_table(result, width=100).splitlines()[1]  # given back at 100
    # Where the names fit beside their figures, they stay there.
    assert terminal_table(result, width=140).splitlines()[1].startswith(names[0])

    # The figures --metrics selects are set out the same way in a terminal too narrow for them.
    rows = pd.DataFrame({"scenario": names, "metric": "win_rate", "mean": [0.52, 0.49, 0.48],
                         "ci_low": [0.5, 0.47, 0.46], "ci_high": [0.54, 0.51, 0.5],
                         "diff_vs_baseline": [0.04, 0.01, 0.0], "diff_ci_low": [0.03, 0.0, 0.0],
                         "diff_ci_high": [0.05, 0.02, 0.0]})
    picked = SimpleNamespace(scenarios=scenarios, metrics=["bookings_usd", "win_rate"], table=rows,
                             jobs=[SimpleNamespace(scenario=n) for n in names],
                             baseline=SimpleNamespace(scenario=names[2]))
    whole = selected_figures(picked).splitlines()
    assert whole[2].startswith(names[0]) and "+4.0 pp [+3.0 pp, +5.0 pp]" in whole[2]
    narrow = selected_figures(picked, width=60).splitlines()
    assert narrow[1] == "scenario" and narrow[3] == names[0] and "+4.0 pp [+3.0 pp, +5.0 pp]" in narrow[4]
    assert max(map(len, narrow[2::2])) <= 60


def test_a_sweeps_table_of_real_sizes_fits_a_terminal_of_120_columns():
    """Intervals in dollars of a real sweep with long investment names were 135 columns wide with
    every optional figure left out; in millions they fit, and the figures come back."""
    from types import SimpleNamespace

    from salessim.comparison_table import terminal_table

    row = _scenario
    money = dict(bookings_usd=63_567_157.0, diff_vs_baseline=8_734_408.0, diff_ci_low=7_296_418.0,
                 diff_ci_high=10_172_397.0, net_gain_usd_per_year=4_824_740.0,
                 net_gain_ci_low=4_024_534.0, net_gain_ci_high=5_624_946.0)
    scenarios = pd.DataFrame([row("investment=[enterprise_solution_specialists]", False, 3.742, 1e6, **money),
                              row("investment=[methodology_training_connected]", False, 3.631, 1e6, **money),
                              row("investment=[]", True, bookings_usd=54_832_750.0)])
    lines = terminal_table(SimpleNamespace(scenarios=scenarios), width=120).splitlines()
    assert max(len(line) for line in lines[:4]) <= 120
    assert "+8.73 [+7.30, +10.17]" in lines[1] and "63.57" in lines[1] and "374.2%" in lines[1]
    assert "money in millions for a terminal 120 columns wide" in "\n".join(lines)
    wider = terminal_table(SimpleNamespace(scenarios=scenarios), width=130).splitlines()
    # Given back in order, the first year's investment first (what each option costs, which a walk
    # presenting to a VP missed), then the payback, while each fits: a wider terminal never shows less.
    assert "invest yr 1" in wider[0] and "payback" not in wider[0] and "win rate" not in wider[0]
    assert "+8.73 [+7.30, +10.17]  +4.82 [+4.02, +5.62]        0.050" in wider[1], wider[1]
    assert "Invest yr 1: the extra investment (fees, programmes and licences; not pay or commission)" \
        in "\n".join(wider)
    small = scenarios.assign(first_year_investment_usd=[3_000.0, 5e4, math.nan])
    assert "        0.003" in terminal_table(SimpleNamespace(scenarios=small), width=130).splitlines()[1]
    assert wider[3].endswith("baseline") or "0.0" not in wider[3].split("baseline")[1]  # none for it
    wide = [terminal_table(SimpleNamespace(scenarios=scenarios), width=w).splitlines()
            for w in (150, 160, 170)]
    assert wide[0][1].endswith(PAYBACK) and "win rate" not in wide[0][0]
    assert "win rate" in wide[1][0] and "at quota" not in wide[1][0]
    assert "win rate" in wide[2][0] and "at quota" in wide[2][0] and "turnover" not in wide[2][0]
    # a sweep whose scenarios invest no more than the baseline has no column of zeros
    alike = scenarios.assign(first_year_investment_usd=[0.0, 0.0, math.nan])
    assert "invest yr 1" not in terminal_table(SimpleNamespace(scenarios=alike), width=200)


def test_a_wider_terminal_never_shows_fewer_columns():
    """At 164 columns a real sweep's table was in millions with win rate, at quota and the payback;
    at 166 it was in dollars without win rate and at quota: dollars that only just fit left out
    more than millions gave back. Millions are shown whenever they show more. (Where the names take
    lines of their own, in a terminal too narrow for them beside even the fewest figures, the
    figures have more room: the rule holds within each layout.)"""
    from types import SimpleNamespace

    from salessim.comparison_table import terminal_table

    money = dict(bookings_usd=63_567_157.0, diff_vs_baseline=8_734_408.0, diff_ci_low=7_296_418.0,
                 diff_ci_high=10_172_397.0, net_gain_usd_per_year=4_824_740.0,
                 net_gain_ci_low=4_024_534.0, net_gain_ci_high=5_624_946.0,
                 npv_usd=1.1e7, npv_ci_low=9e6, npv_ci_high=1.3e7)
    scenarios = pd.DataFrame([_scenario("investment=[methodology_training_connected]", False, 3.631, 1e6, **money),
                              _scenario("investment=[crm]", False, 3.259, 1e6, **money),
                              _scenario("investment=[]", True, bookings_usd=54_832_750.0)])
    heads = ("win rate", "at quota", "turnover", "payback", "NPV", "net gain")
    for result in (SimpleNamespace(scenarios=scenarios),
                   SimpleNamespace(scenarios=scenarios, discount_rate=0.08, rank_by="npv")):
        whole = terminal_table(result).splitlines()[0]
        tables = [terminal_table(result, width=w) for w in range(90, len(whole) + 1)]
        apart = [t.startswith("scenario\n") for t in tables]
        assert apart == sorted(apart, reverse=True) and any(apart) and not all(apart)
        for layout in (True, False):
            shown = [sum(h in _heads(t) for h in heads) for t, a in zip(tables, apart) if a == layout]
            assert shown == sorted(shown), (layout, shown)
        assert shown[-1] == sum(h in whole for h in heads)


def test_the_organization_names_a_baselines_investment_and_its_warm_up_as_a_reader_would():
    from dataclasses import asdict
    from types import SimpleNamespace

    from salessim.report import _organization_section
    from tests.conftest import study_config

    for warmup, said in ((0, "no warm-up"), (1, "the first month a warm-up"), (6, "the first 6 months a warm-up")):
        cfg = study_config(sim__warmup_months=warmup, investment={"crm": {
            "kind": "tools", "description": "New CRM and productivity apps"}})
        page = _organization_section(SimpleNamespace(baseline=SimpleNamespace(cfg=cfg, config=asdict(cfg),
                                                                              manifest={})))
        page = page.replace("<wbr>", "")
        assert f"2 years, {said}; seed 11" in page
        assert "adds investment crm: New CRM and productivity apps" in page and "(not set)" not in page
    # A fit applied is said, and its fitted levels read as a reader takes them in.
    cfg = study_config(compensation__quota_usd={"smb": 580_000.0, "mid_market": 600_000.0,
                                                "enterprise": 780675.0586091388})
    page = _organization_section(SimpleNamespace(baseline=SimpleNamespace(
        cfg=cfg, config=asdict(cfg), manifest={"calibrated": [
            {"name": "acmefit", "fit": "study 'acmefit', best of 2", "file": "/fits/calibrated/acmefit.yaml",
             "fitted_with": "sim.years=1.5, sim.warmup_months=6, sim.seed=0, org.sellers=20"},
            {"name": "byhand", "fit": "", "fitted_with": ""}]})))
    page = html.unescape(page.replace("<wbr>", ""))
    assert "compensation.quota_usd.enterprise: 690,000 → 780,675" in page
    assert "calibrated fits applied (+calibrated)" in page
    # where each fit was made, beside the baseline's own setup above it
    assert ("acmefit: study 'acmefit', best of 2, fitted on 20 sellers over 1.5 years (6-month warm-up) "
            "(file /fits/calibrated/acmefit.yaml); byhand: a fit whose file names no study. Their") in page


def test_the_npv_column_says_no_change_and_stays_in_a_narrow_terminal():
    """With a discount rate the terminal shows the NPV beside the net gain: 'no change' for a
    scenario that never differs from the baseline (the report says the same). In a terminal too
    narrow for the table it stays: it was the first figure left out, so a 100-column terminal
    never showed the NPV that --discount-rate asked for."""
    from types import SimpleNamespace

    from salessim.comparison_table import npv_cell, terminal_table

    npv = dict(npv_usd=4e5, npv_ci_low=1e5, npv_ci_high=7e5)
    none = dict(npv_usd=math.nan, npv_ci_low=math.nan, npv_ci_high=math.nan)
    scenarios = pd.DataFrame([_scenario("gains", False, 2.0, 6e4, **npv),
                              _scenario("same", False, 2.0, 6e4, **none),
                              _scenario("base", True, **none)])
    result = SimpleNamespace(scenarios=scenarios, discount_rate=0.08)
    full = terminal_table(result).splitlines()
    assert "NPV (8%) [95% CI]" in full[0] and "+400,000 [+100,000, +700,000]" in full[1]
    assert full[2].count("no change") == 1 and npv_cell(scenarios.iloc[1]) == "no change"
    without = [_heads(terminal_table(result, width=w)) for w in range(len(full[0]) - 1, 60, -1)]
    assert all("M USD/yr" in h for h in without)  # too narrow for dollars: millions
    assert all("NPV" in h for h in without) and "payback" not in without[-1]
    assert "NPV" not in terminal_table(SimpleNamespace(scenarios=scenarios)).splitlines()[0]  # no rate: none


def test_the_terminal_never_leaves_out_the_figure_the_ranking_is_by():
    """Ranked by NPV in a terminal 120 columns wide, the NPV was left out while ROI stayed: the
    ranking's own column stays at every width, and the yearly net gain gives way first."""
    from types import SimpleNamespace

    from salessim.comparison_table import terminal_table

    money = dict(bookings_usd=63_567_157.0, diff_vs_baseline=8_734_408.0, diff_ci_low=7_296_418.0,
                 diff_ci_high=10_172_397.0, net_gain_usd_per_year=4_824_740.0,
                 net_gain_ci_low=4_024_534.0, net_gain_ci_high=5_624_946.0,
                 npv_usd=18_200_000.0, npv_ci_low=15_500_000.0, npv_ci_high=20_900_000.0)
    scenarios = pd.DataFrame([
        _scenario("investment=[enterprise_solution_specialists]", False, 3.742, 1e6, **money),
        _scenario("investment=[methodology_training_connected]", False, 3.631, 1e6, **money),
        _scenario("investment=[]", True, bookings_usd=54_832_750.0)])
    for rank_by, head in (("npv", "NPV (10%)"), ("net_gain", "net gain"),
                          ("bookings", "paired diff")):
        result = SimpleNamespace(scenarios=scenarios, discount_rate=0.10, rank_by=rank_by)
        for width in (20, 100, 120, 140):
            assert head in _heads(terminal_table(result, width=width)), (rank_by, width)
    by_npv = SimpleNamespace(scenarios=scenarios, discount_rate=0.10, rank_by="npv")
    lines = terminal_table(by_npv, width=120).splitlines()
    assert "+18.20 [+15.50, +20.90]" in lines[1] and max(len(x) for x in lines[:4]) <= 120
    assert "net gain/yr" in next(x for x in lines if "left out" in x)


def test_a_reports_figure_and_its_interval_may_wrap_apart_but_not_inside():
    """At 1,400 pixels the ranking scrolled sideways, hiding ROI, payback and shortfall: a cell's
    figure and its interval (or month) are each kept whole, and the page may put one under the
    other."""
    from salessim.html_page import numeric_cell as _numeric_cell

    assert _numeric_cell("+26,253,582 [+25,063,115, +27,444,049]") == (
        "<span>+26,253,582</span> <span>[+25,063,115, +27,444,049]</span>")
    assert _numeric_cell("-560,348 (month 1)") == "<span>-560,348</span> <span>(month 1)</span>"
    assert _numeric_cell("403.5%") == "<span>403.5%</span>"
    assert _numeric_cell("a < b") == "<span>a &lt; b</span>"
    from salessim.html_page import CSS
    assert "td.n span{white-space:nowrap}" in CSS  # each part whole ...
    numeric = CSS[CSS.index("td.n{"):]
    assert "nowrap" not in numeric[:numeric.index("}")]  # ... the cell free to wrap between them


def test_a_baseline_run_elsewhere_compares_as_it_would_inside_the_sweep(compared, sweep, tmp_path, capsys):
    """A sweep of an investment's settings cannot hold the run without the investment (its
    settings exist only where it is selected): the baseline is run on its own and named with
    --baseline FOLDER. Its figures are those it gives as a job of the sweep."""
    copy, outside = job_moved_out(sweep, "0", tmp_path / "runs" / "baseline")
    code, out, err = compare_in_process(capsys, str(copy), "--baseline", str(outside), "--no-plots")
    assert code == 0, err
    assert f"1 finished job of 2, and the baseline from {outside} in {copy}" in out
    # named by where it is, once: a run of its own here (a new user read "(job /home/.../0)")
    assert f" (run {outside}), chosen with --baseline." in " ".join(out.split()), out
    assert_same_comparison(compared[0], copy / "comparison")
    page = (copy / "comparison" / "report.html").read_text()
    assert f"1 finished job of 2, and the baseline from {outside}" in page
    # A sweep folder, or a folder no run finished in, is refused in one line, nothing written.
    shutil.rmtree(copy / "comparison")
    for folder, words in ((tmp_path / "runs", "a folder of runs, not a run"),
                          (tmp_path / "empty", "a folder without manifest.json")):
        folder.mkdir(exist_ok=True)
        code, out, err = compare_in_process(capsys, str(copy), "--baseline", str(folder))
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err
        assert not (copy / "comparison").exists()


def test_a_baseline_whose_bookings_drift_is_said_to():
    """The model's customer base grows, so a default baseline books more in the window's last year
    than in its first: a reader comparing reports of two horizons is told, with both figures."""
    from types import SimpleNamespace

    from salessim.comparability import baseline_drift_note
    from salessim.sweep_folder import Job

    def baseline(months, per_month, manifest=None):
        monthly = pd.DataFrame({"replication": 0, "month": list(range(months)),
                                "bookings_usd": [per_month(m) for m in range(months)]})
        return Job("0", Path("0"), scenario="base", cfg=SimpleNamespace(sim=SimpleNamespace(warmup_months=6)),
                   monthly=monthly, manifest=manifest or {})

    rising = baseline_drift_note(baseline(36, lambda m: 1e6 + 1e4 * m))
    assert "rise from 13.38M USD in the window's first 12 months to 15.54M in its last 12 (+16%)" in rising
    assert ("and the model loses none of them unless told to (market.segments.<segment>.customer_churn, "
            "the yearly share of customers lost, is 0 by default): set it to your market's to see what "
            "losing them changes, the baseline's level and a gain alike (a gain can rise with it, where "
            "better selling keeps customers who would leave) (docs/model.md") in rising
    churning = {"config": {"market": {"segments": {"smb": {"customer_churn": 0.2}, "enterprise": {}}}}}
    assert "while customers leave at the yearly shares" in baseline_drift_note(
        baseline(36, lambda m: 1e6 + 1e4 * m, churning))
    assert baseline_drift_note(baseline(36, lambda m: 1e6 + 1e3 * m)) == ""  # +1%: steady enough
    assert baseline_drift_note(baseline(29, lambda m: 1e6 + 1e4 * m)) == ""  # under two years measured


def test_a_sweep_of_an_investments_settings_is_compared_with_a_baseline_run_apart(tmp_path, capsys,
                                                                                  monkeypatch):
    """The case --baseline FOLDER is for: a sweep of a CRM's saved hours, which cannot hold the
    run without the CRM, and a baseline run on its own, named by a relative path. The sweep's
    question opens the report (the baseline's run has none), both counts say where the baseline
    came from, the baseline is named by its whole path, and a baseline run with other settings
    than the sweep's (another organization size) is said to differ in them."""
    small = ["org=small", "sim.years=1", "sim.warmup_months=1", "sim.replications=2"]
    sweep, runs = tmp_path / "sweep", tmp_path / "runs"
    done = run_cli("-m", "investment=[crm]", "investment.crm.admin_hours_saved=2,6",
                   "experiment_question='Does a CRM pay?'", *small, f"hydra.sweep.dir={sweep}")
    assert done.returncode == 0, done.stderr[-2000:]
    for name, extra in (("base", []), ("other_size", ["org.sellers=30"])):
        done = run_cli(*small, *extra, f"hydra.run.dir={runs / name}")
        assert done.returncode == 0, done.stderr[-2000:]
    monkeypatch.chdir(tmp_path)
    code, out, err = compare_in_process(capsys, "sweep", "--baseline", "runs/base", "--no-plots")
    assert code == 0, err
    whole = (runs / "base").resolve()
    assert f"2 finished jobs of 2, and the baseline from {whole} in sweep" in out
    assert "differs from all its jobs" not in out
    # named by its settings, all of which the sweep's jobs share: whether it invests is said (a walk
    # could not tell)
    assert f"(run {whole}), chosen with --baseline; it runs no investment." in " ".join(out.split()), out
    page = (sweep / "comparison" / "report.html").read_text()
    assert "Does a CRM pay?" in page and "does not state its question" not in page
    assert f"2 finished jobs of 2, and the baseline from {whole}" in page
    assert "None: all 2 job folders finished and were compared." in page
    code, out, err = compare_in_process(capsys, "sweep", "--baseline", "runs/other_size", "--no-plots")
    assert code == 0, err
    assert ("differs from all its jobs in settings the sweep does not vary (org.sellers: 30 in the "
            "baseline, 20 in every job)") in out
    # the answer such a sweep asks for: does it pay at each value (a strategist was told only that
    # the larger effect beats the smaller)
    code, out, err = compare_in_process(capsys, "sweep", "--baseline", "runs/base", "--no-plots")
    short = next(line for line in out.splitlines() if line.startswith("In short:"))
    assert re.search(r"By investment\.crm\.admin_hours_saved, its net gain per year against the baseline: "
                     r"at 2(\.0)?, [-+][\d,]+ \[[^]]+\] \((settled above 0|not settled|settled below 0)\); "
                     r"at 6(\.0)?, ", short), short
    # one of the sweep's own jobs, by the override as typed on the command line (the table shows
    # crm.admin_hours_saved=6: the whole key was refused)
    code, out, err = compare_in_process(capsys, "sweep", "--baseline", "investment.crm.admin_hours_saved=6",
                                        "--no-plots")
    assert code == 0, err
    assert "Baseline: crm.admin_hours_saved=6 (job 1), chosen with --baseline " in out, out
    code, out, err = compare_in_process(capsys, "sweep", "--baseline", "org=small", "--no-plots")
    assert code == 2 and "did you mean" not in err  # in every job's name: no one job


def test_fixed_fees_are_said_not_to_scale_with_an_organization_far_from_the_default():
    """A strategist compared the shipped investments at 20 sellers: a content library's 250,000 and
    a CRM's 150,000, set for 100 sellers, weighed five times as much per seller, unsaid."""
    from types import SimpleNamespace

    from salessim.comparability import fixed_fees_note
    from salessim.sweep_folder import Job

    def job(name, sellers, investments):
        return Job(name, Path(name), manifest={"investments": investments},
                   cfg=SimpleNamespace(org=SimpleNamespace(sellers=sellers)))

    content = {"enablement_content": {"one_off_cost_usd": 250_000.0, "running_cost_usd_per_year": 100_000.0}}
    training = {"training": {"one_off_cost_usd": 0.0, "running_cost_usd_per_year": 0.0}}  # per seller
    jobs = [job("0", 20, {}), job("1", 20, content), job("2", 20, training)]
    note, = fixed_fees_note(jobs, jobs[0])
    assert note.startswith("Fixed fees of shipped investments, which do not grow or shrink with the "
                           "organization (enablement_content: 250,000 at its start and 100,000 a year): this "
                           "one has 20 sellers (org.sellers), and those fees are set for 100 (docs/model.md, "
                           "section 16.9), so here each weighs 5.0 times as much per seller"), note
    # how, in a sweep whose baseline selects none: a walk typed the setting and was refused
    assert note.endswith("in a sweep whose baseline selects none, in a copy of the investment's file under "
                         "a name of your own (README, 'Your own organization'), since a setting typed on "
                         "the command line reaches every job."), note
    near = [job("0", 90, {}), job("1", 90, content)]
    assert fixed_fees_note(near, near[0]) == []  # near the default's size: nothing to say
    assert fixed_fees_note(jobs[::2], jobs[0]) == []  # no fixed fee
    # a user's own investment, or a shipped one priced anew, has the user's fees (a walk found its
    # own 35-seller CRM said to carry "the shipped investments' fees")
    own = {"crm_cheap": {"one_off_cost_usd": 60_000.0, "running_cost_usd_per_year": 0.0}}
    priced = {"crm": {"one_off_cost_usd": 60_000.0, "running_cost_usd_per_year": 0.0}}
    assert fixed_fees_note([jobs[0], job("3", 20, own), job("4", 20, priced)], jobs[0]) == []
    shipped = {"crm": {"one_off_cost_usd": 150_000.0, "running_cost_usd_per_year": 0.0}}
    assert "(crm: 150,000 at its start)" in fixed_fees_note([jobs[0], job("5", 20, shipped)], jobs[0])[0]


def test_names_drop_what_the_sweep_shares_when_its_baseline_ran_apart():
    """Against a baseline run apart, every name of a sweep of a CRM's hours repeated
    investment=[crm] (names of 100 characters): what the sweep's own scenarios share is left out
    of their names, and the baseline keeps its own."""
    from salessim.report_table import short_names

    sweep = ["investment.crm.admin_hours_saved=2,investment=[crm],org=small",
             "investment.crm.admin_hours_saved=6,investment=[crm],org=small"]
    assert short_names([*sweep, "org=small"])[1] == ["org=small"]  # shared by all three only
    names, shared = short_names([*sweep, "org=small"], apart=["org=small"])
    assert shared == ["investment=[crm]", "org=small"]
    # the investment every job selects is said beside the names: its settings drop 'investment.'
    assert names == {sweep[0]: "crm.admin_hours_saved=2",
                     sweep[1]: "crm.admin_hours_saved=6", "org=small": "org=small"}
    # runs from outside the sweep (its baseline, a run set beside it with --with) drop what they share
    # with the sweep's jobs: a walk read 'investment=[m],experiment=investments,...' beside short names
    follow = ["experiment=investments,investment.f.effect_scale=0.5,investment=[f]",
              "experiment=investments,investment.f.effect_scale=0.75,investment=[f]",
              "experiment=investments,investment=[m]", "experiment=investments,investment=[]"]
    names, shared = short_names(follow, apart=follow[2:])
    assert shared == ["experiment=investments", "investment=[f]"]
    assert list(names.values()) == ["f.effect_scale=0.5", "f.effect_scale=0.75", "investment=[m]",
                                    "investment=[]"]
    # ... where it is, ' (run FOLDER)', is no setting: the last setting it shares goes too (a baseline
    # run apart kept the sweep's shared sim.years=1 in its name)
    swept = ["investment=[],org=small,sim.years=1", "investment=[crm],org=small,sim.years=1"]
    base = "investment=[],org=small,sim.years=1 (run /runs/base)"
    assert short_names([*swept, base], apart=[base])[0][base] == "investment=[] (run /runs/base)"
    both = ["investment.crm.effect_scale=0.5,investment=[crm,accelerators]",
            "investment.crm.effect_scale=1,investment=[crm,accelerators]", "investment=[crm]"]
    assert short_names(both)[0][both[0]] == "investment.crm.effect_scale=0.5,investment=[crm,accelerators]"
    assert short_names(both[:2])[0][both[0]] == "crm.effect_scale=0.5"
    tools = ["investment.tools.effect_scale=0.5,investment=[tools]", "investment.tools.effect_scale=1,investment=[tools]"]
    assert short_names(tools)[0][tools[0]] == "investment.tools.effect_scale=0.5"  # not the tools group's
    # a scenario with nothing but the shared settings: its whole name, above the line that says every
    # scenario has them, read as if it alone set them
    runs = ["org=small,sim.years=1", "investment=[crm],org=small,sim.years=1"]
    assert short_names(runs) == ({runs[0]: "(the shared settings only)", runs[1]: "investment=[crm]"},
                                 ["org=small", "sim.years=1"])


def test_jobs_that_break_pairing_alike_are_named_in_one_note():
    """A sweep's jobs against a baseline run apart share their replications and horizon: one line
    says it for all of them, not one line each."""
    from salessim.comparability import pairing_notes
    from salessim.config import Config
    from salessim.sweep_folder import Job

    def job(name, replications, years=2.0):
        cfg = Config()
        cfg.sim.years = years
        return Job(name, Path(name), scenario=f"s{name}", manifest={"seed": 7}, cfg=cfg,
                   summary=pd.DataFrame({"replication": range(replications)}))

    notes = pairing_notes(job("base", 2), [job("1", 3), job("2", 3), job("3", 2, years=3.0)])
    assert notes == ["s1; s2: 3 replications, the baseline 2: paired differences use the 2 they share.",
                     "s3: 3 years with a 6-month warm-up, the baseline 2 with 6: their yearly figures "
                     "come from different windows, so part of the difference is the window's, not the "
                     "settings'; their paybacks and NPVs count the months both simulate, to the "
                     "shorter horizon."]


def test_out_keeps_comparisons_of_one_sweep_apart(sweep, tmp_path, capsys):
    """--out FOLDER writes the comparison there (SWEEP/comparison stays as it was); a comparison
    folder inside the sweep is not taken for a job; a job folder, the sweep folder, a file and a
    folder of other files are refused before anything is written."""
    copy = copy_sweep(sweep, tmp_path / "s")
    assert compare_in_process(capsys, str(copy), "--no-plots")[0] == 0
    first = (copy / "comparison" / "comparison.csv").read_bytes()
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--baseline", "1",
                                        "--out", str(copy / "against_1"))
    assert code == 0, err
    assert f"results in {copy / 'against_1'} (report.html" in out
    assert (copy / "comparison" / "comparison.csv").read_bytes() == first
    assert (copy / "against_1" / "comparison.csv").read_bytes() != first
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0 and "2 finished jobs of 2" in out and "INCOMPLETE" not in out
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep")
    for out_dir, said in [(copy / "0", "is in the job folder"), (copy, "is the sweep folder"),
                          (tmp_path, "holds the sweep folder"), (copy / "0" / "summary.parquet", "job folder"),
                          (tmp_path / "notes", "a folder that holds other files")]:
        code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--out", str(out_dir))
        assert code == 2 and f"--out {out_dir} is not allowed: a new folder" in err and said in err, err
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep"
    # Another sweep's own comparison is not an earlier comparison of this one: a typo in --out
    # replaced it, and left that sweep with this one's report.
    other = copy_sweep(sweep, tmp_path / "other")
    assert compare_in_process(capsys, str(other), "--no-plots")[0] == 0
    kept = (other / "comparison" / "comparison.csv").read_bytes()
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots", "--out", str(other / "comparison"))
    assert code == 2 and f"it is the comparison folder of the sweep {other}, whose own" in err, err
    assert (other / "comparison" / "comparison.csv").read_bytes() == kept
    assert compare_in_process(capsys, str(copy), "--no-plots", "--out", str(copy / "comparison"))[0] == 0


def test_jobs_that_ran_different_fits_under_one_name_are_noted():
    """A study resumed under the same name replaces +calibrated=NAME's file: jobs run before and
    after ran different fits, which their manifests record."""
    from salessim.comparability import fits_apart_note
    from salessim.sweep_folder import Job

    def job(name, *fits):
        return Job(name, Path(name), scenario=f"s{name}",
                   manifest={"calibrated": [{"name": "small1", "fit": f} for f in fits]})

    old, new = "study 'small1', best of 40 trials", "study 'small1', best of 70 trials"
    assert fits_apart_note([job("0", old), job("1", old), job("2")]) == []
    note, = fits_apart_note([job("0", old), job("1", new), job("2", new)])
    assert note.startswith("+calibrated=small1 held 2 different fits when these jobs ran")
    assert f": {old} (s0 (job 0)) | {new} (s1 (job 1); s2 (job 2)). Part of every" in note


def test_scenarios_apart_by_their_fits_alone_are_said_to_be_no_investment():
    """A researcher compared two fits and read that one came first by a net gain, paid back in
    month 1 and returned 472%: nothing buys a fit's figures."""
    from salessim.comparability import fits_alone_said
    from salessim.sweep_folder import Job

    def jobs(*typed):
        return [Job(str(i), Path(str(i)), scenario=f"s{i}", overrides=list(o), manifest={"calibrated": [
            {"name": v.split("=")[1], "sha256": v} for v in o if v.startswith("+calibrated=")]})
            for i, o in enumerate(typed)]

    said = fits_alone_said(jobs(["+calibrated=ours", "org=small"], ["+calibrated=try", "org=small"]))
    assert said.startswith("These scenarios differ by their calibrated fits alone (+calibrated), not by an "
                           "investment: the ranking reads one fit's figures"), said
    with_investments = jobs(["+calibrated=ours", "investment=[]"], ["+calibrated=try", "investment=[crm]"])
    assert fits_alone_said(with_investments) == ""
    assert fits_alone_said(jobs(["investment=[]"], ["investment=[crm]"])) == ""
    assert fits_alone_said(jobs(["+calibrated=ours"])) == ""
    # a setting that changes no figure does not hide it; a run apart, whose files may differ, does (a review)
    assert fits_alone_said(jobs(["+calibrated=ours", "sim.workers=2"], ["+calibrated=try"])) == said
    apart = jobs(["+calibrated=ours"], ["+calibrated=try"])
    apart[0].elsewhere = "run results/runs/x"
    assert fits_alone_said(apart) == ""


def test_a_fit_whose_file_changed_since_the_jobs_ran_is_noted(tmp_path):
    """A researcher resumed a study after its sweep: the comparison named +calibrated=ours as the
    jobs ran it, and its next steps' commands would have run the new fit without a word."""
    from salessim.applied_fits import file_sha256
    from salessim.comparability import fits_changed_note
    from salessim.sweep_folder import Job

    fit = tmp_path / "ours.yaml"
    fit.write_text("# trial 27\n")
    ran = {"name": "ours", "fit": "trial 27", "file": str(fit), "sha256": file_sha256(fit)}
    jobs = [Job(n, Path(n), scenario=f"s{n}", manifest={"calibrated": [ran]}) for n in "01"]
    assert fits_changed_note(jobs) == []
    fit.write_text("# trial 31\n")
    assert fits_changed_note(jobs) == [
        "The file of +calibrated=ours has changed since these jobs read it (a study of that name run again "
        "or resumed): these results are of the fits the jobs read, as their manifests record them; a command "
        "that names the fit now, the next steps' included, runs what its file holds now."]
    # two versions of the fit among the jobs, both changed since: one name, once (a review)
    jobs[1].manifest["calibrated"] = [{**ran, "sha256": "0" * 64}]
    assert fits_changed_note(jobs)[0].startswith("The file of +calibrated=ours has changed since these jobs")
    # gone (moved, or results copied from another machine): not said to run what it holds now
    fit.unlink()
    assert fits_changed_note(jobs) == [
        "The file these jobs read +calibrated=ours from (as their manifests record it) is not there now "
        "(moved, or the results made on another machine): a command that names the fit now runs the file "
        "of that name it finds, if any, which need not hold the fit these jobs ran."]


def test_a_fit_the_jobs_ran_on_another_setup_than_its_studys_is_said_again_in_the_comparison():
    """salessim says it as the jobs run; the strategist reading the comparison was not there."""
    from salessim.comparability import fits_on_another_setup_note
    from salessim.sweep_folder import Job
    from tests.conftest import study_config

    made_on = "sim.years=1.5, sim.warmup_months=6, sim.seed=0, org.sellers=20, replications 3"

    def job(name, sellers, fitted_with=made_on):
        return Job(name, Path(name), scenario=f"s{name}", cfg=study_config(sellers, 1.5),
                   manifest={"calibrated": [{"name": "small1", "fit": "study 'small1'",
                                             "fitted_with": fitted_with}]})

    assert fits_on_another_setup_note([job("0", 20), job("1", 20)]) == []
    assert fits_on_another_setup_note([job("0", 40, ""), job("1", 40, "")]) == []  # a fit that does not say
    note, = fits_on_another_setup_note([job("0", 40), job("1", 40)])
    assert note == ("+calibrated=small1 was fitted on 20 sellers over 1.5 years (6-month warm-up); these "
                    "jobs ran 40 sellers over 1.5 years: its fitted values are applied unchanged and need "
                    "not meet its targets on this setup (docs/calibration.md, section 4).")
    note, = fits_on_another_setup_note([job("0", 20), job("1", 40), job("2", 80)])
    assert note.startswith("+calibrated=small1 was fitted on 20 sellers over 1.5 years (6-month warm-up); "
                           "of the jobs that ran it, s1 (job 1); s2 (job 2) ran 40 sellers over 1.5 years | "
                           "80 sellers over 1.5 years: its fitted values are applied unchanged and need not "
                           "meet its targets on these setups"), note
    # a baseline without the fit is not among "these jobs"
    without = Job("b", Path("b"), scenario="sb", cfg=study_config(40, 1.5), manifest={})
    note, = fits_on_another_setup_note([without, job("0", 40), job("1", 40)])
    assert "(6-month warm-up); the jobs that ran it (s0 (job 0); s1 (job 1)) ran 40 sellers over" in note
    # horizons the same as the fit's header writes them (to six digits) are one setup, said once
    apart = job("1", 40)
    apart.cfg.sim.years = 1.5000001
    note, = fits_on_another_setup_note([job("0", 40), apart])
    assert "these jobs ran 40 sellers over 1.5 years: its" in note, note


def test_a_figure_asked_for_that_the_runs_fit_was_made_to_is_said_not_to_validate_it(tmp_path):
    """A validation compares runs with a fit on figures it was not fitted to: a --metrics figure
    among the targets of a fit the jobs ran (+calibrated, as the manifest records its file's
    header) is named, with its condition, and other figures are not."""
    from salessim.applied_fits import TARGETS_LINE, provenance
    from salessim.comparability import fitted_targets_note
    from salessim.sweep_folder import Job

    from salessim.calibration.report import labels
    from salessim.calibration.targets import Target

    # the header as salessim-calibrate writes it: each target's label, a condition's overrides
    # parted by spaces (a list's items by ", " inside its brackets)
    fit = tmp_path / "ours.yaml"
    fit.write_text(f"# @package _global_\n{TARGETS_LINE}" + labels([
        Target("win_rate", 0.47, 0.02), Target("no_decision_rate_mid_market", 0.24, 0.02,
                                               ("investment=[crm]", "org.sellers=40")),
        Target("seller_turnover_rate", 0.3, 0.03)]) + "\nmarket: {}\n")
    recorded, = provenance([("ours", fit)])
    assert recorded["targets"].startswith("win_rate, no_decision_rate_mid_market [investment=[crm] org.sellers=40]")

    def job(name, fits, config=None):
        return Job(name, Path(name), scenario=f"s{name}", manifest={"calibrated": fits, "config": config or {}})

    # a sweep of investments at 40 sellers: the no-decision rate's change with them was fitted
    at_40 = {"org": {"sellers": 40}}
    jobs = [job("0", [recorded], at_40), job("1", [recorded], {**at_40, "investment": {"crm": {"cost": 1}}}),
            job("2", [recorded], {**at_40, "investment": {"training": {"cost": 2}}})]
    note, = fitted_targets_note(jobs, ["no_decision_rate_mid_market", "win_rate", "cycle_days_median"])
    assert note.startswith("win_rate, no_decision_rate_mid_market [investment=[crm] org.sellers=40]: "
                           "among the targets +calibrated=ours was fitted to"), note
    assert "not a validation" in note and "seller_turnover_rate" not in note
    # a condition sets what the jobs vary (investment), not what they share (org.sellers)
    assert "how no_decision_rate_mid_market changes with investment was fitted too (a condition of its " \
        "targets sets it): validate on figures and relationships the fit was not made to; how win_rate " \
        "changes across the swept values was not fitted, and is a validation" in note, note
    # none of the figures compared fitted: said, so that silence does not leave it a question (a walk)
    assert fitted_targets_note(jobs, ["cycle_days_median"]) == [
        "None of the figures compared is among the targets +calibrated=ours was fitted to (win_rate, "
        "no_decision_rate_mid_market [investment=[crm] org.sellers=40], seller_turnover_rate): their "
        "levels, and how they change across the jobs, are a validation of the model (docs/calibration.md, "
        "section 5)."]
    # the level alone was fitted: how it changes across a sweep (fsm_span's question) still validates
    level, = fitted_targets_note(jobs, ["seller_turnover_rate", "win_rate"])
    assert level.startswith("win_rate, seller_turnover_rate: among the targets") and level.endswith(
        "how the figure changes across the swept values was not fitted (no condition of its targets sets "
        "a value the jobs vary with the settings they share), and is a validation (docs/calibration.md, "
        "section 5)."), level
    # a sweep of spans: the condition's investment and sellers are not what it varies, so how the
    # no-decision rate changes across spans still validates
    spans = [job(str(i), [recorded], {**at_40, "fsm": {"span_of_control": span}}) for i, span in enumerate((6, 8))]
    across, = fitted_targets_note(spans, ["no_decision_rate_mid_market"])
    assert "was fitted too" not in across, across
    assert "the settings they share), and is a validation" in across, across
    # spans that make the same teams simulate alike: no change across them to call a validation
    for j in spans:
        j.summary = pd.DataFrame({"replication": [0, 1], "bookings_usd": [5.0e6, 6.0e6]})
    alike, = fitted_targets_note(spans, ["no_decision_rate_mid_market"])
    assert alike.endswith("not a validation; the jobs simulated alike, so they show no change across the "
                          "swept values to validate (docs/calibration.md, section 5)."), alike
    spans[1].summary = pd.DataFrame({"replication": [0, 1], "bookings_usd": [5.0e6, 6.1e6]})
    assert "and is a validation" in fitted_targets_note(spans, ["no_decision_rate_mid_market"])[0]
    # a preset in the condition (org=large) sets every org.* key: a sweep of org.sellers is one
    preset = {**recorded, "targets": "win_rate [org=large]"}
    sized = [job(str(i), [preset], {"org": {"sellers": n}}) for i, n in enumerate((20, 40))]
    assert "how win_rate changes with org was fitted too" in fitted_targets_note(sized, ["win_rate"])[0]
    # every override of a condition counts, not only its first; a list's items stay one override
    several = {**recorded, "targets": labels([Target("win_rate", 0.4, 0.02, (
        "+investment=[crm, training]", "fsm.span_of_control=6", "market.decision_rule=soft_veto"))])}
    rules = [job(str(i), [several], {"market": {"decision_rule": r}}) for i, r in enumerate(("weighted_consensus",
                                                                                            "soft_veto"))]
    assert "how win_rate changes with market.decision_rule was fitted too" in fitted_targets_note(
        rules, ["win_rate"])[0]
    # a condition's other settings must be the jobs' own: a target at span 6 under the soft veto
    # fitted the figure there, not how it changes with the span under weighted consensus
    vetoed = {**recorded,
              "targets": "win_rate, win_rate [fsm.span_of_control=6 market.decision_rule=soft_veto]"}

    def span_sweep(rule, overrides=None):
        return [Job(str(i), Path(str(i)), scenario=f"s{i}", overrides=overrides,
                    manifest={"calibrated": [vetoed], "config": {"market": {"decision_rule": rule},
                                                                 "fsm": {"span_of_control": span}}})
                for i, span in enumerate((6, 8))]
    assert "was fitted too" not in fitted_targets_note(span_sweep("weighted_consensus"), ["win_rate"])[0]
    assert fitted_targets_note(span_sweep("weighted_consensus"), ["win_rate"])[0].startswith("win_rate: ")
    assert "how win_rate changes with fsm.span_of_control was fitted too" in fitted_targets_note(
        span_sweep("soft_veto"), ["win_rate"])[0]
    # a preset is read from the jobs' overrides; one they leave at its default may be the condition's
    preset = {**recorded, "targets": "win_rate [org=large fsm.span_of_control=6]"}
    for overrides, fitted in ((["org=small"], False), (["org=large"], True), (None, True)):
        sweep = [Job(str(i), Path(str(i)), scenario=f"s{i}", overrides=overrides, manifest={
            "calibrated": [preset], "config": {"fsm": {"span_of_control": span}}})
            for i, span in enumerate((6, 8))]
        assert ("was fitted too" in "".join(fitted_targets_note(sweep, ["win_rate"]))) == fitted, overrides
    # the three outcome shares sum to 1: a no-decision rate fitted under the soft veto fits part of
    # how the win rate changes with the rule; and a target at a rule no job runs is not theirs
    shares = {**recorded, "targets": "win_rate, no_decision_rate [market.decision_rule=soft_veto]"}
    rules = [job(str(i), [shares], {"market": {"decision_rule": r}})
             for i, r in enumerate(("weighted_consensus", "soft_veto"))]
    assert ("how win_rate changes with market.decision_rule was fitted too (a condition of its targets, or "
            "of another outcome share's (the three sum to 1), sets it)") in fitted_targets_note(
                rules, ["win_rate"])[0]
    consensus = [job(str(i), [shares], {"market": {"decision_rule": "weighted_consensus"},
                                        "fsm": {"span_of_control": span}}) for i, span in enumerate((6, 8))]
    pinned = ("no_decision_rate: not among the targets +calibrated=ours was fitted to (win_rate), but "
              "win_rate is, and the three outcome shares sum to 1, so it was fitted in part: only in part "
              "a validation of the model (docs/calibration.md, section 5).")
    assert fitted_targets_note(consensus, ["no_decision_rate"]) == [pinned]  # the three sum to 1
    # beside a figure that was fitted too: said all the same (a walk found it left unsaid)
    note, partly = fitted_targets_note(consensus, ["win_rate", "no_decision_rate"])
    assert note.startswith("win_rate: among the targets") and partly == pinned, note
    # one job: no change across jobs to speak of
    assert fitted_targets_note(consensus[:1], ["cycle_days_median"]) == [
        "None of the figures compared is among the targets +calibrated=ours was fitted to (win_rate): their "
        "levels are a validation of the model (docs/calibration.md, section 5)."]
    # a sweep of fits: a change across the jobs is partly the fits' own
    other = {**shares, "name": "theirs"}
    fits = [job("0", [shares]), job("1", [other])]
    assert all(n.endswith("the jobs do not all run the same fits, so a change across them is partly the "
                          "fits' own, not a validation (docs/calibration.md, section 5).")
               for n in fitted_targets_note(fits, ["win_rate"])), fitted_targets_note(fits, ["win_rate"])
    unfitted = fitted_targets_note(fits, ["cycle_days_median"])
    assert len(unfitted) == 2 and all(n.endswith("the jobs do not all run the same fits, so a change across "
                                                 "them is partly the fits' own (docs/calibration.md, section "
                                                 "5).") for n in unfitted), unfitted
    # one job shows no change: the note says nothing of one
    alone, = fitted_targets_note(rules[:1], ["win_rate"])
    assert alone.endswith("show the fit at work, not a validation (docs/calibration.md, section 5)."), alone
    # investments as the jobs' configs name them, in any order; a value as Hydra reads it
    listed = {**recorded, "targets": "win_rate [investment=[training, crm] fsm.span_of_control=6 "
                                     "market.decision_rule='soft_veto']"}
    invested = [job(str(i), [listed], {"investment": {"crm": {"cost": 1}, "training": {"cost": 2}},
                                        "market": {"decision_rule": "soft_veto"},
                                        "fsm": {"span_of_control": span}}) for i, span in enumerate((6, 8))]
    assert "how win_rate changes with fsm.span_of_control was fitted too" in fitted_targets_note(
        invested, ["win_rate"])[0]
    # a run recorded before fits named their targets, or a fit written by hand: nothing to say
    assert fitted_targets_note([job("0", [{**recorded, "targets": ""}]), job("1", [])], ["win_rate"]) == []


def test_a_segments_figure_whose_whole_was_fitted_is_said_to_be_partly_fitted_not_a_validation():
    """A segment's figure is part of the whole's: with a fit to win_rate and no_decision_rate,
    --metrics no_decision_rate_mid_market,win_rate_smb was said to be 'a validation of the model'
    (a researcher's walk), and beside a fitted figure a segment's got no word. Its level is partly
    fitted; how it changes with a setting no condition of those targets sets (CEB's group size,
    docs/calibration.md) still validates."""
    from salessim.comparability import fitted_targets_note
    from salessim.sweep_folder import Job

    cso = {"name": "cso", "fit": "study 'cso'", "fitted_with": "", "monitored": "", "sha256": "",
           "targets": "win_rate, no_decision_rate, quota_attainment_share"}

    def sweep(fit, key, values):  # a job for each value of the setting ``key``
        jobs = []
        for i, config in enumerate(values):
            for part in reversed(key.split(".")):
                config = {part: config}
            jobs.append(Job(str(i), Path(str(i)), scenario=f"s{i}",
                            manifest={"calibrated": [fit], "config": config}))
        return jobs
    # experiment=buying_group_size, as its jobs' configs hold it
    sizes = sweep(cso, "market.segments.mid_market.stakeholders_min", (1, 2, 3))
    targets = "the targets +calibrated=cso was fitted to (win_rate, no_decision_rate, quota_attainment_share)"
    level = (f"not among {targets}, but win_rate and no_decision_rate are (a segment's figure is part of the "
             "whole's, and the three outcome shares sum to 1), so ")
    assert fitted_targets_note(sizes, ["no_decision_rate_mid_market"]) == [
        f"no_decision_rate_mid_market: {level}its level was partly fitted through them, and does not "
        "validate the model; how it changes across the swept values was not fitted (no condition of those "
        "targets sets a value the jobs vary with the settings they share), and is a validation "
        "(docs/calibration.md, section 5)."]
    assert fitted_targets_note(sizes, ["no_decision_rate_mid_market", "win_rate_smb"]) == [
        f"no_decision_rate_mid_market, win_rate_smb: {level}their levels were partly fitted through them, "
        "and do not validate the model; how they change across the swept values was not fitted (no "
        "condition of those targets sets a value the jobs vary with the settings they share), and is a "
        "validation (docs/calibration.md, section 5)."]
    # beside a fitted figure, and a figure neither fitted nor part of one: the first two said once,
    # the third, as before, not at all
    fitted, partly = fitted_targets_note(sizes, ["no_decision_rate", "win_rate_smb", "bookings_usd"])
    assert fitted.startswith("no_decision_rate: among the targets"), fitted
    assert partly.startswith("win_rate_smb: not among") and "its level was partly fitted" in partly, partly
    partly, others = fitted_targets_note(sizes, ["win_rate_smb", "bookings_usd"])
    assert others == (f"The other figure compared, bookings_usd, is not among {targets}: its level, and how "
                      "it changes across the jobs, is a validation of the model (docs/calibration.md, "
                      "section 5).")
    # two fits, one made to each share: each figure said fitted by its own fit, and not also fitted in
    # part, or a validation, by the other's (a review found the two fits' notes contradict each other)
    fits = [{**cso, "name": "a", "targets": "win_rate"}, {**cso, "name": "b", "targets": "no_decision_rate"}]
    two = [Job(str(i), Path(str(i)), scenario=f"s{i}",
               manifest={"calibrated": fits, "config": {"fsm": {"span_of_control": span}}})
           for i, span in enumerate((6, 8))]
    notes = fitted_targets_note(two, ["win_rate", "no_decision_rate"])
    assert [n.split(":")[0] for n in notes] == ["win_rate", "no_decision_rate"], notes
    assert "+calibrated=a" in notes[0] and "+calibrated=b" in notes[1], notes
    # one job: no change to speak of
    assert fitted_targets_note(sizes[:1], ["win_rate_smb"])[0].endswith("and does not validate the model "
                                                                        "(docs/calibration.md, section 5).")
    # a condition of the whole's target sets what the jobs vary: the change was partly fitted too
    spans = sweep({**cso, "targets": "win_rate [fsm.span_of_control=6], median_cycle_days_mid_market"},
                  "fsm.span_of_control", (6, 8))
    note, = fitted_targets_note(spans, ["win_rate_smb", "median_cycle_days"])
    assert ("win_rate_smb, median_cycle_days: not among the targets +calibrated=cso was fitted to "
            "(win_rate [fsm.span_of_control=6], median_cycle_days_mid_market), but win_rate "
            "[fsm.span_of_control=6] and median_cycle_days_mid_market are (a segment's figure is part of the "
            "whole's), so their levels were partly fitted through them") in note, note
    assert note.endswith("how win_rate_smb changes with fsm.span_of_control was partly fitted too (a "
                         "condition of a target it is fitted through sets it); how median_cycle_days changes "
                         "across the swept values was not fitted, and is a validation (docs/calibration.md, "
                         "section 5)."), note
    # another segment's figure is no part of it
    assert fitted_targets_note(spans, ["median_cycle_days_smb"])[0].startswith("None of the figures compared")


def test_a_plain_comparison_says_which_headline_figures_the_jobs_fit_was_made_to(sweep, tmp_path, capsys):
    """Without --metrics, the plots show win rate, attainment and turnover, a fit's usual targets,
    and nothing said they were fitted."""
    copy = copy_sweep(sweep, tmp_path / "fitted")
    for manifest in copy.glob("*/manifest.json"):
        recorded = json.loads(manifest.read_text())
        recorded["calibrated"] = [{"name": "ours", "fit": "study 'ours'", "fitted_with": "",
                                   "targets": "win_rate", "monitored": "", "sha256": ""}]
        manifest.write_text(json.dumps(recorded))
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    assert "win_rate: among the targets +calibrated=ours was fitted to" in " ".join(out.split()), out


def test_a_figure_asked_for_that_the_runs_fit_only_monitored_is_said_to_validate_it(tmp_path):
    """A target of weight 0 is simulated beside the fit, not fitted: a --metrics figure the jobs'
    fit only monitored was met with silence, while a fitted one is noted. Now it is said to
    validate the model, unless the fit fitted the same figure under another condition."""
    from salessim.applied_fits import MONITORED_LINE, TARGETS_LINE, provenance
    from salessim.comparability import monitored_targets_note
    from salessim.sweep_folder import Job

    fit = tmp_path / "ours.yaml"
    monitored = "median_cycle_days_mid_market [org.sellers=40], win_rate [fsm.span_of_control=6]"
    fit.write_text(f"# @package _global_\n{TARGETS_LINE}win_rate, seller_turnover_rate\n"
                   f"{MONITORED_LINE}{monitored}\nmarket: {{}}\n")
    recorded, = provenance([("ours", fit)])
    assert recorded["monitored"] == monitored
    def jobs_at(config, fits=(recorded,), overrides=None):
        return [Job(str(i), Path(str(i)), scenario=f"s{i}", overrides=overrides,
                    manifest={"calibrated": list(fits), "config": config}) for i in range(2)]
    jobs = jobs_at({"org": {"sellers": 40}})
    note, = monitored_targets_note(jobs, ["median_cycle_days_mid_market", "win_rate"])
    assert note == ("median_cycle_days_mid_market [org.sellers=40]: monitored by +calibrated=ours (weight 0: "
                    "simulated beside the fit, not fitted; no target of the figure was fitted, under any "
                    "condition), so runs at its condition coming close to the survey's figure validate the "
                    "model (docs/calibration.md, section 5).")
    assert monitored_targets_note(jobs, ["win_rate", "cycle_days_median"]) == []
    # a segment's outcome share, part of the whole's that win_rate pins: partly fitted, which
    # fitted_targets_note says, not a validation
    segment = {**recorded, "monitored": "no_decision_rate_mid_market [org.sellers=40]"}
    assert monitored_targets_note(jobs_at({"org": {"sellers": 40}}, [segment]),
                                  ["no_decision_rate_mid_market"]) == []
    # an outcome share monitored beside another that was fitted: the three sum to 1, so it was
    # partly fitted through it (a researcher's walk found it said to validate, win_rate fitted at
    # span 6 and no_decision_rate monitored, in a sweep of the span)
    shares = {**recorded, "monitored": "no_decision_rate", "targets": "win_rate [fsm.span_of_control=6]"}
    assert monitored_targets_note(jobs_at({}, [shares]), ["no_decision_rate"]) == [
        "no_decision_rate: monitored by +calibrated=ours (weight 0), but win_rate was fitted by the fits "
        "these jobs ran, and the three outcome shares sum to 1: its level, and how it changes across the "
        "swept values, were partly fitted through it, and do not validate the model (docs/calibration.md, "
        "section 5)."]
    both = {**shares, "targets": "win_rate, lost_competitor_rate"}  # the third pinned whole
    assert "were fitted through them" in monitored_targets_note(jobs_at({}, [both]), ["no_decision_rate"])[0]
    # unsure whether the jobs run the condition (a key their record lacks, a preset left at its
    # default): a validation is not claimed; sellers typed as Hydra reads them ('4e1') are 40
    assert monitored_targets_note(jobs_at({}), ["median_cycle_days_mid_market"]) == []
    preset = {**recorded, "monitored": "cycle_days_median [org=large]", "targets": "win_rate"}
    assert monitored_targets_note(jobs_at({}, [preset]), ["cycle_days_median"]) == []
    assert monitored_targets_note(jobs_at({}, [preset], ["org=large"]), ["cycle_days_median"])
    typed = {**recorded, "monitored": "cycle_days_median [org.sellers=4e1]", "targets": "win_rate"}
    assert monitored_targets_note(jobs, ["cycle_days_median"]) == [] != monitored_targets_note(
        jobs_at({"org": {"sellers": 40}}, [typed]), ["cycle_days_median"])
    # without a rule of its own, a target was simulated under the fit's: not met under another
    ruled = {**typed, "fitted_with": "sim.years=1, org.sellers=40, market.decision_rule=weighted_consensus."}
    under = {"org": {"sellers": 40}, "sim": {"years": 1}, "market": {"decision_rule": "weighted_consensus"}}
    assert monitored_targets_note(jobs_at(under, [ruled]), ["cycle_days_median"])
    assert monitored_targets_note(jobs_at({**under, "market": {"decision_rule": "soft_veto"}}, [ruled]),
                                  ["cycle_days_median"]) == []
    # without a condition, a target was simulated at the study's own sellers, horizon and warm-up
    plain = {**recorded, "monitored": "cycle_days_median", "targets": "win_rate",
             "fitted_with": "sim.years=1.5, sim.warmup_months=6, sim.seed=0, org.sellers=20, "
                            "market.decision_rule=weighted_consensus, calibration.replications=3"}
    own = {"org": {"sellers": 20}, "sim": {"years": 1.5, "warmup_months": 6},
           "market": {"decision_rule": "weighted_consensus"}}
    assert monitored_targets_note(jobs_at(own, [plain]), ["cycle_days_median"])
    for other in ({"org": {"sellers": 100}}, {"sim": {"years": 3, "warmup_months": 6}},
                  {"sim": {"years": 1.5, "warmup_months": 0}}):
        assert monitored_targets_note(jobs_at({**own, **other}, [plain]), ["cycle_days_median"]) == [], other
    # a preset in the condition sets the sellers itself: the study's 20 are not implied on top
    large = {**plain, "monitored": "cycle_days_median [org=large]"}
    at_large = {**own, "org": {"sellers": 1000}}
    assert monitored_targets_note(jobs_at(at_large, [large], ["org=large"]), ["cycle_days_median"])
    # no job at the study's 20 sellers, though the jobs vary the sellers: no run meets it
    varied = [Job(str(i), Path(str(i)), scenario=f"s{i}", manifest={"calibrated": [plain], "config": {
        **own, "org": {"sellers": sellers}}}) for i, sellers in enumerate((50, 100))]
    assert monitored_targets_note(varied, ["cycle_days_median"]) == []
    at_own = Job("2", Path("2"), scenario="s2", manifest={"calibrated": [plain], "config": own})
    note, = monitored_targets_note([*varied, at_own], ["cycle_days_median"])
    assert note.startswith("cycle_days_median (in s2 (job 2)): monitored by +calibrated=ours"), note
    # a job at the setup that did not run the fit (a baseline without it) is not among them
    without = Job("3", Path("3"), scenario="s3", manifest={"config": own})
    note, = monitored_targets_note([without, at_own], ["cycle_days_median"])
    assert note.startswith("cycle_days_median (in s2 (job 2)): monitored"), note
    # a horizon the header wrote to six digits is the study's
    thirds = {**plain, "fitted_with": plain["fitted_with"].replace("sim.years=1.5", "sim.years=1.33333")}
    assert monitored_targets_note(jobs_at({**own, "sim": {"years": 4 / 3, "warmup_months": 6}}, [thirds]),
                                  ["cycle_days_median"])
    # another fit the jobs ran fitted the figure: not a validation
    fitting = {**recorded, "name": "theirs", "targets": "cycle_days_median", "monitored": ""}
    assert monitored_targets_note(jobs_at({"org": {"sellers": 40}}, [typed, fitting]),
                                  ["cycle_days_median"]) == []
    # monitored under a condition the jobs do not run (20 sellers, not 40): not theirs to meet
    at_20 = [Job(str(i), Path(str(i)), scenario=f"s{i}", manifest={"calibrated": [recorded], "config": {
        "org": {"sellers": 20}, "fsm": {"span_of_control": span}}}) for i, span in enumerate((6, 8))]
    assert monitored_targets_note(at_20, ["median_cycle_days_mid_market"]) == []
    # a run recorded before manifests kept the line: nothing to say
    assert monitored_targets_note([Job("0", Path("0"), manifest={"calibrated": [
        {k: v for k, v in recorded.items() if k != "monitored"}]})], ["median_cycle_days_mid_market"]) == []


def test_the_notes_on_a_fits_targets_quote_each_figure_and_its_source(tmp_path):
    """'coming close to the survey's figure' named neither the figure nor the survey (a
    researcher's walk): a fit's file now records each target's figure and source, and the notes on
    fitted and monitored targets quote them; a fit written before it gives the labels alone."""
    from salessim.applied_fits import FIGURES_LINE, MONITORED_LINE, TARGETS_LINE, provenance
    from salessim.comparability import fitted_targets_note, monitored_targets_note
    from salessim.sweep_folder import Job

    fit = tmp_path / "ours.yaml"
    figures = {"win_rate": [0.466, "CSO Insights 2016 study (675 firms), forecast deals"],
               "cycle_days_median": [72.0, ""]}
    fit.write_text(f"# @package _global_\n{TARGETS_LINE}win_rate\n{MONITORED_LINE}cycle_days_median\n"
                   f"{FIGURES_LINE}{json.dumps(figures)}\nmarket: {{}}\n")
    recorded, = provenance([("ours", fit)])
    jobs = [Job(str(i), Path(str(i)), scenario=f"s{i}", manifest={"calibrated": [recorded], "config": {}})
            for i in range(2)]
    fitted, = fitted_targets_note(jobs, ["win_rate"])
    assert fitted.startswith("win_rate (46.6%, CSO Insights 2016 study (675 firms), forecast deals): among "
                             "the targets +calibrated=ours was fitted to"), fitted
    monitored, = monitored_targets_note(jobs, ["cycle_days_median"])
    assert monitored.startswith("cycle_days_median (72.0): monitored by +calibrated=ours"), monitored
    # a figure as salessim-calibrate writes them, or none: a hand-edited line says nothing odd (a review
    # found '1, 2' for "12", 'nan, x' and 'None' as a source); a source is quoted as written (its '; '
    # made ', ' ran two sources together, a researcher's walk), inside its target's parentheses
    from salessim.comparability import figure_of
    for odd in ('{"win_rate": ["12", "x"]}', '{"win_rate": [NaN, "x"]}', '{"win_rate": [0.4, null]}',
                '{"win_rate": [true, "x"]}', '{"win_rate": 0.4}', "not json"):
        assert figure_of({"figures": odd}, "win_rate") == "", odd
    assert figure_of({"figures": '{"win_rate": [0.57, "a; b"]}'}, "win_rate") == "57.0%, a; b"
    older = [Job(j.name, j.path, scenario=j.scenario, manifest={"calibrated": [
        {k: v for k, v in recorded.items() if k != "figures"}], "config": {}}) for j in jobs]
    assert fitted_targets_note(older, ["win_rate"])[0].startswith("win_rate: among the targets")
    assert monitored_targets_note(older, ["cycle_days_median"])[0].startswith("cycle_days_median: monitored")


def test_jobs_run_by_different_salessim_code_are_noted():
    """A baseline run by an older salessim (--baseline FOLDER) differed from an unchanged job by
    +707k USD a year, the code's alone, and the comparison said nothing of it: the manifests record
    the git commit (or, outside a checkout, the package's version)."""
    from salessim.comparability import versions_apart_note
    from salessim.sweep_folder import Job

    def job(name, commit, version="0.1.0"):
        return Job(name, Path(name), scenario=f"s{name}",
                   manifest={"git_commit": commit, "versions": {"salessim": version}})

    same = "a" * 40
    assert versions_apart_note([job("0", same), job("1", same), job("2", same)]) == []
    note, = versions_apart_note([job("0", "b" * 40), job("1", same), job("2", same + "+dirty")])
    assert note.startswith("These jobs were run by different salessim code: commit bbbbbbbbbb (s0 (job 0)) | "
                           "commit aaaaaaaaaa (s1 (job 1)) | commit aaaaaaaaaa with uncommitted changes "
                           "(s2 (job 2)). Part of every difference between them is the code's"), note
    note, = versions_apart_note([job("0", "unknown", "0.1.0"), job("1", "unknown", "0.2.0")])
    assert "salessim 0.1.0 (s0 (job 0)) | salessim 0.2.0 (s1 (job 1))" in note
    assert note.endswith("run them again with one version.")
    # a figure the older code did not write is blank for its jobs, and said so (a walk found it unsaid)
    older, newer = job("0", "b" * 40), job("1", same)
    older.summary = pd.DataFrame({"bookings_usd": [1.0]})
    newer.summary = pd.DataFrame({"bookings_usd": [1.0], "quota_attainment_mean": [1.1]})
    note, = versions_apart_note([older, newer])
    assert note.endswith("version. Figures blank ('-') where a job lacks them: s0 (job 0) did not write "
                         "quota_attainment_mean."), note
    # each job with what it lacks (a review: two jobs lacking one figure each were said to lack both)
    other = job("2", "b" * 40)
    other.summary = pd.DataFrame({"quota_attainment_mean": [1.0]})
    note, = versions_apart_note([older, newer, other])
    assert note.endswith("s0 (job 0) did not write quota_attainment_mean; s2 (job 2) did not write "
                         "bookings_usd."), note


def _the_crm_is_paired_with_the_baseline_kept(result) -> None:
    """The CRM's change in bookings is the paired mean against the baseline the comparison kept."""
    crm = next(j for j in result.jobs if j.cfg.investment)
    per_year = lambda j: j.summary.set_index("replication").bookings_usd / j.summary.window_years.iloc[0]
    row = result.scenarios.set_index("job").loc[crm.name]
    assert row.diff_vs_baseline == pytest.approx((per_year(crm) - per_year(result.baseline)).mean())


@pytest.fixture(scope="module")
def two_horizons(tmp_path_factory) -> Path:
    """Doing nothing and a CRM, each over 1 and 1.5 years (a few seconds)."""
    folder = tmp_path_factory.mktemp("two_horizons")
    done = run_cli("-m", "investment=[],[crm]", "sim.years=1,1.5", "sim.warmup_months=2",
                   "sim.replications=2", "org=small", f"hydra.sweep.dir={folder}")
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


def test_each_window_is_compared_with_the_baselines_configuration_over_it(two_horizons, tmp_path, capsys):
    """A sweep of horizons and investments ranked every job against one baseline, a CRM over 1
    year against doing nothing over 1.5. --years keeps one horizon's jobs, against the
    baseline's configuration over that horizon, and the plain comparison names the commands."""
    from salessim.compare_command import run as compare
    from salessim.errors import UserError

    whole = compare([str(two_horizons), "--no-plots"])
    said = capsys.readouterr().out
    assert whole.baseline.cfg.sim.years == 1.0 and len(whole.jobs) == 4
    assert (f"salessim-compare {two_horizons} --years 1 --warmup-months 2; "
            f"salessim-compare {two_horizons} --years 1.5 --warmup-months 2.") in said, said

    longer = compare([str(two_horizons), "--years", "1.5", "--no-plots"])
    said = capsys.readouterr().out
    assert {j.cfg.sim.years for j in longer.jobs} == {1.5} and len(longer.jobs) == 2
    assert not longer.baseline.cfg.investment and longer.baseline.cfg.sim.years == 1.5
    assert "the sweep's 2 other jobs are left out" in said
    # one baseline named as such, the sweep's own set apart (an analyst read two jobs as baselines)
    assert (f"the configuration of the sweep's baseline run over 1.5 years (the sweep's baseline itself, "
            f"{whole.baseline.scenario} (job {whole.baseline.name}), measures another window).") in said, said
    assert f"results in {two_horizons / 'comparison_1.5y'}" in said
    _the_crm_is_paired_with_the_baseline_kept(longer)
    assert len(compare([str(two_horizons), "--no-plots"]).jobs) == 4  # comparison_1.5y is no job
    # named as the window's table shows it (without the horizon every job of it shares)
    named = compare([str(two_horizons), "--years", "1.5", "--baseline", "investment=[]", "--no-plots"])
    assert named.baseline.name == longer.baseline.name
    capsys.readouterr()

    for argv, words in ((["--years", "2"], "--years 2 keeps no job of this sweep (allowed: what "
                                           "its jobs run: --years 1 --warmup-months 2, --years 1.5"),
                        (["--warmup-months", "2"],
                         "--warmup-months 2 keeps every job of this sweep: they all measure that window "
                         "(allowed: a window the jobs differ in; with one window, the plain comparison"),
                        (["--years", "1.5", "--baseline", whole.baseline.name],
                         f"--baseline {whole.baseline.name} ({whole.baseline.label}) measures 1 year "
                         "with a 2-month warm-up, outside --years 1.5")):
        with pytest.raises(UserError) as info:
            compare([str(two_horizons), *argv, "--no-plots"])
        assert words in info.value.message, info.value.message
    # the other window's jobs unfinished (their configs unread): one window, not every job, is kept
    copy = copy_sweep(two_horizons, tmp_path / "unfinished")
    for job in (copy / name for name in ("0", "1", "2", "3")):
        if json.loads((job / "manifest.json").read_text())["config"]["sim"]["years"] == 1.5:
            (job / "manifest.json").unlink()
    assert {j.cfg.sim.years for j in compare([str(copy), "--years", "1", "--no-plots"]).jobs
            if j.cfg is not None} == {1.0}


@pytest.fixture(scope="module")
def two_assumptions(tmp_path_factory) -> Path:
    """Doing nothing and a CRM, each where a complex deal's round rests on adaptive competency at
    0.2 and at 0.6 (a few seconds)."""
    folder = tmp_path_factory.mktemp("two_assumptions")
    done = run_cli("-m", "investment=[],[crm]", "market.forms.complex_adaptive_weight=0.2,0.6",
                   "sim.years=1", "sim.warmup_months=2", "sim.replications=2", "org=small",
                   f"hydra.sweep.dir={folder}")
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


WEIGHT = "market.forms.complex_adaptive_weight"


def test_each_value_of_an_assumption_is_compared_with_the_baselines_configuration_at_it(two_assumptions,
                                                                                         capsys):
    """A strategist's sweep of investments across an assumption ranked a CRM at 0.6 against doing
    nothing at 0.2, the assumption's change in its row, and doing nothing at 0.6 as a scenario of
    its own. --at keeps one value's jobs, against the baseline's configuration there, and the plain
    comparison names the commands."""
    from salessim.compare_command import run as compare
    from salessim.errors import UserError

    whole = compare([str(two_assumptions), "--no-plots"])
    said = capsys.readouterr().out
    assert len(whole.jobs) == 4
    assert (f"{WEIGHT}: the sweep runs the baseline's configuration at 0.2 and 0.6, and other scenarios at "
            "0.6 too, so their rows here mix its change with their own") in said, said
    assert (f"salessim-compare {two_assumptions} --at {WEIGHT}=0.2; "
            f"salessim-compare {two_assumptions} --at {WEIGHT}=0.6.") in said, said
    # the answer says so too, and names doing nothing at 0.6 neither first nor as a rival (a walk
    # offered it as the first's rival, a review found it named first)
    short = next(line for line in said.splitlines() if line.startswith("In short:"))
    assert (f"The sweep crosses {WEIGHT} (0.2 and 0.6) with its scenarios, so this ranking mixes its change "
            "with theirs (its own rows, the baseline's configuration at another value, are left out of this "
            f"answer): the answer at each value is salessim-compare {two_assumptions} --at {WEIGHT}=0.2; "
            f"salessim-compare {two_assumptions} --at {WEIGHT}=0.6.") in short, short
    twin = next(j.scenario for j in whole.jobs if not j.cfg.investment and j is not whole.baseline)
    from salessim.ranking_notes import assumption_rows, contention
    from salessim.report_table import short_names
    assert assumption_rows(whole) == {twin}
    held = contention(whole)
    assert twin not in (held.first, *held.tied, *held.behind)
    shown = short_names(list(whole.scenarios.scenario))[0][twin]
    assert shown not in short.split("The sweep crosses")[1] and not short.startswith(f"In short: {shown} ")

    at = compare([str(two_assumptions), "--at", f"{WEIGHT}=0.6", "--no-plots"])
    said = capsys.readouterr().out
    assert {j.cfg.market.forms.complex_adaptive_weight for j in at.jobs} == {0.6} and len(at.jobs) == 2
    assert not at.baseline.cfg.investment
    assert "the sweep's 2 other jobs are left out" in said
    # the answer names it as what it is (not 'the sweep's first job' nor 'doing nothing')
    assert (whole.baseline_said_as, at.baseline_said_as) == (
        "the sweep's first job", "the configuration of the sweep's first job")
    assert (f"the configuration of the sweep's baseline at {WEIGHT}=0.6 (the sweep's baseline itself, "
            f"{whole.baseline.label}, runs {WEIGHT}=0.2).") in said, said
    assert f"results in {two_assumptions / f'comparison_{WEIGHT}_0.6'}" in said
    _the_crm_is_paired_with_the_baseline_kept(at)
    assert len(compare([str(two_assumptions), "--no-plots"]).jobs) == 4  # its folder is no job
    # its next steps' sweeps are its own (not another value's), in folders a command line can type
    import shlex

    from salessim.next_steps import _Commands
    from salessim.preflight import check_command
    run, _ = _Commands(at).of("more", [j.scenario for j in at.jobs], ["sim.replications=4"])
    assert f"hydra.sweep.dir={two_assumptions}_{WEIGHT}_0.6_more" in run, run
    assert check_command(shlex.split(run)[1:]) == 2
    # as typed in an override: 0.60 and 6e-1 are 0.6
    typed = compare([str(two_assumptions), "--at", f"{WEIGHT}=6e-1", "--no-plots"])
    assert typed.baseline.name == at.baseline.name
    capsys.readouterr()

    # beside a window all its jobs measure, the baseline's reason names only what differs (a review
    # read 'measures another window' of a baseline measuring the same one)
    both = compare([str(two_assumptions), "--at", f"{WEIGHT}=0.6", "--years", "1", "--no-plots"])
    assert both.baseline.name == at.baseline.name
    said = capsys.readouterr().out
    assert f"{whole.baseline.label}, runs {WEIGHT}=0.2)." in said and "another window" not in said, said
    # a sweep of the assumption alone measures its own effect: no note
    from salessim.job_selection import crossed_settings
    twin = next(j for j in whole.jobs if not j.cfg.investment and j is not whole.baseline)
    assert crossed_settings(two_assumptions, whole.baseline, [twin]) == []

    for argv, words in (
            ([f"{WEIGHT}=0.4"], f"--at {WEIGHT}=0.4 keeps no job of this sweep (allowed: what its jobs run: "
                                f"--at {WEIGHT}=0.2, --at {WEIGHT}=0.6)"),
            (["market.forms.complex_adaptiv_weight=0.2"],
             f"is no setting of this sweep's jobs (did you mean {WEIGHT}=0.2? allowed: a setting its jobs "
             f"run at different values, or a group they choose differently: {WEIGHT})"),
            (["org=small"], "org is a group of settings every job chooses alike (small): select by one of "
                            "its settings"),
            (["org.sellers=20"], "org.sellers is run at one value by every job"),
            (["sim.years=1"], "is a window: select it with --years or --warmup-months"),
            ([f"{WEIGHT}=0.2", "--baseline", "3"], f"runs {WEIGHT}=0.6, outside --at {WEIGHT}=0.2"),
            (["investment=[crm]"], "investment is what the comparison ranks"),
            ([f"{WEIGHT}=0.2", "--at", f"{WEIGHT}=0.6"],
             f"--at {WEIGHT}=0.2 and --at {WEIGHT}=0.6: --at gives {WEIGHT} once")):
        with pytest.raises(UserError) as info:
            compare([str(two_assumptions), "--at", *argv, "--no-plots"])
        assert words in info.value.message, info.value.message


def test_at_selects_the_jobs_by_the_config_a_group_chose(tmp_path, capsys):
    """A strategist's walk swept investments across org=small,default and typed --at org=small, as
    the rows name the jobs: it was refused (a group of settings), and the plain comparison's note
    offered --at org.sellers=20 instead."""
    from salessim.compare_command import run as compare
    from salessim.errors import UserError

    own = tmp_path / "own"
    (own / "org").mkdir(parents=True)
    (own / "org" / "tiny.yaml").write_text("# @package org\nsellers: 8\n")
    sweep = tmp_path / "s"
    done = run_cli("-m", "investment=[],[crm]", "org=small,tiny", "sim.years=1", "sim.warmup_months=2",
                   "sim.replications=2", f"hydra.searchpath=[file://{own}]", f"hydra.sweep.dir={sweep}")
    assert done.returncode == 0, done.stderr[-2000:]
    compare([str(sweep), "--no-plots"])
    said = capsys.readouterr().out
    assert ("org: the sweep runs the baseline's configuration at small and tiny, and other scenarios at "
            "tiny too") in said, said
    assert f"salessim-compare {sweep} --at org=small; salessim-compare {sweep} --at org=tiny." in said, said
    with pytest.raises(UserError) as info:  # a group is named among what the jobs differ in
        compare([str(sweep), "--at", "orgg=tiny", "--no-plots"])
    assert ("did you mean org=tiny? allowed: a setting its jobs run at different values, or a group they "
            "choose differently: org, org.sellers)") in info.value.message, info.value.message
    for choice, sellers in (("small", 20), ("tiny", 8)):
        kept = compare([str(sweep), "--at", f"org={choice}", "--no-plots"])
        assert {j.cfg.org.sellers for j in kept.jobs} == {sellers} and len(kept.jobs) == 2
        assert not kept.baseline.cfg.investment and kept.baseline.cfg.org.sellers == sellers
    assert (sweep / "comparison_org_tiny" / "report.html").is_file()
    # a run apart without Hydra's record (hydra.output_subdir=null) chose what its name says
    apart = tmp_path / "apart"
    shutil.copytree(sweep / "1", apart)
    shutil.rmtree(apart / ".hydra")
    kept = compare([str(sweep), "--at", "org=tiny", "--baseline", str(apart), "--no-plots",
                    "--out", str(tmp_path / "against_apart")])
    assert kept.baseline.path == apart and len(kept.jobs) == 3


def test_at_a_group_keeps_the_baselines_configuration_not_one_with_a_setting_of_the_group_typed(
        tmp_path, capsys):
    """A review: with org.skill_mean swept too, --at org=small took the job at org=small and another
    org.skill_mean for the baseline's configuration there, its difference being under org. (The
    baseline runs every swept setting at its usual value: org=default, org.skill_mean=0.5.)"""
    from salessim.compare_command import run as compare

    sweep = tmp_path / "s"
    done = run_cli("-m", "org=default,small", "org.skill_mean=0.6,0.5", "investment=[],[crm]",
                   "sim.years=0.5", "sim.warmup_months=1", "sim.replications=2", f"hydra.sweep.dir={sweep}")
    assert done.returncode == 0, done.stderr[-2000:]
    whole = compare([str(sweep), "--no-plots"])
    assert whole.baseline.cfg.org.sellers == 100 and whole.baseline.cfg.org.skill_mean == 0.5
    kept = compare([str(sweep), "--at", "org=small", "--no-plots"])
    assert kept.baseline.cfg.org.sellers == 20 and not kept.baseline.cfg.investment
    assert kept.baseline.cfg.org.skill_mean == 0.5, kept.baseline.label


def test_a_sweep_across_a_list_setting_is_compared_and_each_value_kept_as_typed(tmp_path, capsys):
    """A review's sweep of investments across enablement.content_roles=null,[economic_buyer] ended
    the plain comparison in a TypeError (a list in a set), and --at could not type either value
    back: null and [economic_buyer], as Hydra reads them, select them."""
    from salessim.compare_command import run as compare
    from salessim.errors import UserError

    roles = "enablement.content_roles"
    done = run_cli("-m", "investment=[],[enablement_content]", f"{roles}=null,[economic_buyer]",
                   "sim.years=1", "sim.warmup_months=2", "sim.replications=2", "org=small",
                   f"hydra.sweep.dir={tmp_path / 's'}")
    assert done.returncode == 0, done.stderr[-2000:]
    compare([str(tmp_path / "s"), "--no-plots"])
    said = capsys.readouterr().out
    assert (f"salessim-compare {tmp_path / 's'} --at {roles}=null; "
            f"salessim-compare {tmp_path / 's'} --at '{roles}=[economic_buyer]'.") in said, said
    for value, count in (("null", 2), ("[economic_buyer]", 2)):
        kept = compare([str(tmp_path / "s"), "--at", f"{roles}={value}", "--no-plots"])
        assert len(kept.jobs) == count and not kept.baseline.cfg.investment
    with pytest.raises(UserError) as info:
        compare([str(tmp_path / "s"), "--at", f"{roles}=[champion]", "--no-plots"])
    assert f"(allowed: what its jobs run: --at {roles}=null, --at {roles}=[economic_buyer])" in info.value.message
    with pytest.raises(UserError) as info:
        compare([str(tmp_path / "s"), "--at", "sim.seed=1,2", "--no-plots"])
    assert "'sim.seed=1,2' is not allowed: a setting and the one value" in info.value.message


def test_a_payback_the_band_leaves_open_gets_no_line_in_the_cumulative_figure():
    """'4 [2, >30]' drew the same solid payback line as a settled '4 [1, 12]': a strategist read a
    month to plan on where the band's lower edge never pays back."""
    from types import SimpleNamespace

    from salessim.report import _settled_paybacks

    scenarios = pd.DataFrame([_scenario("settled", False, payback_months_ci_high=12.0),
                              _scenario("open", False, payback_months_ci_high=math.nan)])
    shown = _settled_paybacks(SimpleNamespace(scenarios=scenarios))
    assert shown["settled"] == 7.0 and math.isnan(shown["open"])


def test_the_roi_figure_marks_what_the_ranking_marks(monkeypatch):
    """Six ROIs without their '?' or '*' looked equally sure: a scenario whose net gain is not
    settled is drawn hollow and labelled '?', one that saves running costs '*'."""
    from types import SimpleNamespace

    from matplotlib.collections import LineCollection, PathCollection

    from salessim import plots
    from salessim.report import _roi_marks

    scenarios = pd.DataFrame([
        _scenario("sure", False, roi=3.0, extra_cost=1e6),
        _scenario("unsure", False, roi=2.0, extra_cost=5e5, net_gain_ci_low=-1.0),
        _scenario("cheaper", False, roi=50.0, extra_cost=-4e5),
        _scenario("base", True)])
    marks, unsettled = _roi_marks(SimpleNamespace(scenarios=scenarios))
    assert marks == {"unsure": "?", "cheaper": "*"} and unsettled == {"unsure"}
    drawn = []
    monkeypatch.setattr(plots, "png", lambda fig, **layout: drawn.append(fig) or b"")
    plots.roi_scatter(scenarios, ["sure", "unsure", "cheaper", "base"], "base", None, marks, unsettled)
    roi_ax, gain_ax = drawn[0].axes
    labels = [t.get_text() for t in drawn[0].legends[0].get_texts()]
    assert [label.split()[0] for label in labels] == ["1", "2?", "3*"], labels
    points = {ax: [c for c in ax.collections if isinstance(c, PathCollection)] for ax in (roi_ax, gain_ax)}
    for ax, drawn_points in points.items():
        hollow = [c for c in drawn_points if (c.get_facecolor()[0][:3] == 1.0).all()]
        assert len(hollow) == 1
    # Beside the ROI, each net gain with its interval: what to compare scenarios by (in M USD).
    assert [tuple(c.get_offsets()[0]) for c in points[gain_ax]] == [(1.0, 2e-6), (0.5, 2e-6), (-0.4, 2e-6)]
    bars = [c.get_segments()[0][:, 1].tolist() for c in gain_ax.collections if isinstance(c, LineCollection)]
    assert bars == [pytest.approx([1e-6, 3e-6]), pytest.approx([-1e-6, 3e-6]), pytest.approx([1e-6, 3e-6])]


def test_the_roi_figure_puts_the_label_of_a_point_close_to_anothers_left_on_its_left(monkeypatch):
    """CRM and enablement content, of about the same cost and ROI: their labels '5' and '4' ran
    into each other."""
    from salessim import plots

    scenarios = pd.DataFrame([_scenario("content", False, roi=3.9, extra_cost=8.0e5),
                              _scenario("crm", False, roi=3.8, extra_cost=7.5e5),
                              _scenario("alone", False, roi=0.5, extra_cost=1.7e6), _scenario("base", True)])
    drawn = []
    monkeypatch.setattr(plots, "png", lambda fig, **layout: drawn.append(fig) or b"")
    plots.roi_scatter(scenarios, ["content", "crm", "alone", "base"], "base")
    roi_ax = drawn[0].axes[0]
    sides = {t.get_text(): t.get_horizontalalignment() for t in roi_ax.texts}
    assert sides == {"1": "left", "2": "right", "3": "left"}, sides


def test_the_roi_figures_labels_stay_apart_in_a_cluster_and_its_legend_leaves_the_panels_whole(monkeypatch):
    """A strategist's walk: small changes near 0 labelled '3?', '7?', '8?', '9?' on top of one
    another, and a legend of long names beside the panels narrowed them until their axis labels
    ran into each other."""
    from salessim import plots

    cluster = [(3.64e6, 10.1), (2.3e6, 5.7), (1.17e6, 1.5), (-1.27e6, 1.3), (0.5e6, 0.7), (1.28e6, -0.1),
               (0.8e6, -0.3), (1.4e6, -0.9), (0.27e6, -1.3)]  # the walk's, in M USD
    names = [f"investment=[a_long_investment_name_{i},another_long_investment,a_third_one]" for i in range(9)]
    scenarios = pd.DataFrame([_scenario(n, False, roi=gain / 2, extra_cost=cost,
                                        net_gain_usd_per_year=gain * 1e6, net_gain_ci_low=gain * 1e6 - 1e6,
                                        net_gain_ci_high=gain * 1e6 + 1e6)
                              for n, (cost, gain) in zip(names, cluster)] + [_scenario("base", True)])
    drawn = []
    monkeypatch.setattr(plots, "png", lambda fig, **layout: drawn.append(fig) or b"")
    plots.roi_scatter(scenarios, [*names, "base"], "base")
    fig = drawn[0]
    plots._tight_layout(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        boxes = [t.get_window_extent(renderer) for t in ax.texts]
        assert len(boxes) == 9
        for i, box in enumerate(boxes):
            assert not any(box.overlaps(other) for other in boxes[i + 1:]), [t.get_text() for t in ax.texts]
    roi_label, gain_label = (ax.xaxis.label.get_window_extent(renderer) for ax in fig.axes)
    assert not roi_label.overlaps(gain_label)
    assert fig.legends and fig.axes[1].get_legend() is None


def test_the_cumulative_figure_puts_every_panel_on_one_scale_fitted_to_the_lines(monkeypatch):
    """Panels on scales of their own made a gain of 4M look as large as one of 12M; a scale fitted
    to the bands of two replications flattened every line."""
    from salessim import plots

    drawn = []
    monkeypatch.setattr(plots, "png", lambda fig, **layout: drawn.append(fig) or b"")
    names = [f"s{i}" for i in range(5)]
    months = np.arange(1, 13)
    curves = pd.concat([pd.DataFrame({"scenario": s, "months_after_start": months,
                                      "cumulative_net_gain_usd": (i + 1) * 1e6 * months / 12,
                                      "ci_low": -50e6, "ci_high": 50e6}) for i, s in enumerate(names)])
    plots.cumulative_net_gain(curves, ["base", *names], names, "base", {})
    shown = [ax for ax in drawn[0].axes if ax.get_visible() and ax.lines]
    assert len(shown) == 6 and len({ax.get_ylim() for ax in shown}) == 1
    low, high = shown[0].get_ylim()
    assert 5.0 < high < 10.0 and -3.0 < low <= 0.0  # the lines' range (0 to 5M), not the bands' ±50M
    # the first panel holds every line, without bands or payback lines, where crossings show
    overview = shown[0]
    assert [line.get_label() for line in overview.lines if line.get_label() in names] == names
    assert len(overview.collections) == 0 and len(shown[1].collections) == 1  # bands: in their own panels
    assert sorted(t.get_text() for t in overview.texts) == ["1", "2", "3", "4", "5"]  # as the panels' titles
    assert shown[1].get_title() == "1  s0"
    # numbered by rank, the baseline's counted, as the ranking and the ROI figure number them (a walk
    # found one scenario numbered 6 there and 5 here)
    plots.cumulative_net_gain(curves, ["base", *names], [names[0], "base", *names[1:]], "base", {})
    titles = [ax.get_title() for ax in drawn[-1].axes if ax.get_visible() and ax.lines][1:]
    assert titles == ["1  s0", "3  s1", "4  s2", "5  s3", "6  s4"], titles
    assert sorted(t.get_text() for t in drawn[-1].axes[0].texts) == ["1", "3", "4", "5", "6"]
    many = [f"m{i}" for i in range(plots.OVERVIEW_MOST + 1)]  # more lines than colours tell apart: none
    one_curve = curves[curves.scenario == "s0"]
    plots.cumulative_net_gain(pd.concat([one_curve.assign(scenario=s) for s in many]), ["base", *many], many,
                              "base", {})
    assert len([ax for ax in drawn[-1].axes if ax.get_visible() and ax.lines]) == len(many)


def test_panel_titles_with_long_scenario_names_do_not_run_into_each_other(monkeypatch):
    """Three panels to a row left a third of the figure for a title: a scenario named by two
    overrides ran over its neighbours' titles, in both figures with a panel for each scenario."""
    from salessim import plots

    drawn = []
    monkeypatch.setattr(plots, "png", lambda fig, **layout: drawn.append(fig) or b"")
    names = ["investment=[methodology_training,crm_productivity_tools],fsm.span_of_control=12",
             "investment=[enablement_content,fsm_development],market.forms.complex_adaptive_weight=0.6",
             "investment=[coverage_model],compensation.accelerator=2.0", "investment=[fsm_development]",
             "investment=[methodology_training]"]
    months = np.arange(1, 25)
    curves = pd.concat([pd.DataFrame({"scenario": s, "months_after_start": months, "ci_low": 0.0,
                                      "ci_high": 2e6, "cumulative_net_gain_usd": 1e6}) for s in names])
    plots.cumulative_net_gain(curves, ["base", *names], names, "base", {})
    bands = pd.concat([pd.DataFrame({"scenario": s, "month": months, "mean": 1e6, "low": 0.9e6,
                                     "high": 1.1e6}) for s in ["base", *names]])
    plots.monthly_bookings(bands, ["base", *names], "base", 2)
    for fig in drawn:
        plots._tight_layout(fig)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        boxes = [ax.title.get_window_extent(renderer) for ax in fig.axes if ax.get_visible()]
        assert len(boxes) == 6
        for i, box in enumerate(boxes):
            assert not any(box.overlaps(other) for other in boxes[i + 1:]), [a.get_title() for a in fig.axes]


def test_long_scenario_labels_of_the_dot_figures_do_not_run_into_each_other(monkeypatch):
    """A sales-ops walk's names broke into four or five lines in rows sized for two: each label
    printed over its neighbours' (the figures of each metric and of the changes vs baseline)."""
    from salessim import plots

    drawn = []
    monkeypatch.setattr(plots, "png", lambda fig, **layout: drawn.append(fig) or b"")
    names = [f"investment=[methodology_training_connected,fsm_integrated_development],market.forms."
             f"complex_adaptive_weight=0.{i}5" for i in range(3)] + ["base"]
    values = {s: pd.DataFrame({"bookings_usd": [1e6 + i, 2e6 + i]}) for i, s in enumerate(names)}
    labels, kinds = {"bookings_usd": "Bookings"}, {"bookings_usd": "usd"}
    plots.distributions(values, ["bookings_usd"], "base", labels, kinds, names)
    table = pd.DataFrame([{"scenario": s, "metric": "bookings_usd", "diff_vs_baseline": 1.0,
                           "diff_ci_low": 0.0, "diff_ci_high": 2.0, "diff_ci_unpaired_low": -1.0,
                           "diff_ci_unpaired_high": 3.0} for s in names[:3]])
    plots.paired_differences(table, names, ["bookings_usd"], "base", labels, kinds, names)
    for fig in drawn:
        plots._tight_layout(fig)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in fig.axes[0].get_yticklabels()]
        assert len(boxes) >= 3 and max(t.get_text().count("\n") for t in fig.axes[0].get_yticklabels()) >= 3
        for i, box in enumerate(boxes):
            assert not any(box.overlaps(other) for other in boxes[i + 1:])


def test_the_overviews_numbers_stand_apart_inside_the_panel():
    """A review drew a dozen lines ending at the top: their numbers ran over the panel's title, and
    lines ending far apart were numbered beside each other's ends."""
    import matplotlib.pyplot as plt

    from salessim.plots import _number_line_ends

    fig, ax = plt.subplots()
    ax.set_ylim(-6.15, 8.1)
    ends = {f"s{i}": (30.0, 8.0 if i < 8 else -6.0 + i * 0.1) for i in range(12)}
    _number_line_ends(ax, ends, {s: i + 1 for i, s in enumerate(ends)}, {s: "k" for s in ends})
    at = {t.get_text(): t.get_position()[1] for t in ax.texts}
    plt.close(fig)
    ys = sorted(at.values())
    assert -6.15 < ys[0] and ys[-1] < 8.1 and min(b - a for a, b in zip(ys, ys[1:])) > 0.9
    assert all(at[str(i + 1)] > 0 for i in range(8)) and all(at[str(i + 1)] < 0 for i in range(8, 12))


def test_the_cumulative_figures_caption_counts_the_scenarios_it_draws(sweep, tmp_path, monkeypatch):
    """'Each scenario has its own panel' is said where the figure draws more than four curves: a
    scenario without a launch (the baseline's settings) has no curve, and was counted."""
    import dataclasses

    from salessim import plots, report
    from salessim.compare_command import run as compare
    from salessim.report_table import short_names

    for figure in ("distributions", "paired_differences", "monthly_bookings", "cumulative_net_gain",
                   "roi_scatter"):  # the captions are read, not the figures
        monkeypatch.setattr(plots, figure, lambda *args, **kwargs: b"")
    r = compare([str(copy_sweep(sweep, tmp_path / "s")), "--no-plots"])
    names, shared = short_names([j.scenario for j in r.jobs])
    own_panels = "Each scenario has its own panel, in the ranking's order"
    drawn = [s for s in r.scenarios.scenario if s != r.baseline.scenario]  # the one other, launched
    assert plots.curved_scenarios(r.payback, drawn, r.baseline.scenario) == drawn
    # five more in the ranking without a curve: six counted, one drawn, one panel
    alike = [f"alike{i}" for i in range(5)]
    ranked = pd.concat([r.scenarios, pd.DataFrame([_scenario(s, False) for s in alike])], ignore_index=True)
    many = dataclasses.replace(r, scenarios=ranked)
    assert own_panels not in report._plots_section(many, names, shared)
    # with a curve each, six drawn: a panel each
    curves = pd.concat([r.payback, *(r.payback[r.payback.scenario == drawn[0]].assign(scenario=s)
                                     for s in alike)], ignore_index=True)
    assert own_panels in report._plots_section(dataclasses.replace(many, payback=curves), names, shared)


def test_the_answer_says_when_the_rankings_first_is_not_settled_against_doing_nothing():
    """The report opened with the first by bookings, whose gain the intervals could not tell from
    none, while a scenario further down had a settled net gain, unsaid."""
    from salessim.ranking_notes import first_settled_note

    def table(rows):
        return pd.DataFrame(rows, columns=["scenario", "baseline", "diff_ci_low", "diff_ci_high",
                                           "net_gain_ci_low", "net_gain_ci_high"])

    first_open = table([["fsm", False, -0.9e6, 4.4e6, -0.7e6, 2.5e6], ["crm", False, 0.6e6, 1.7e6, 0.2e6, 0.8e6],
                        ["none", True, math.nan, math.nan, math.nan, math.nan],
                        ["content", False, -2e6, -1e6, -1e6, -0.5e6]])
    assert first_settled_note(first_open, {"fsm": "FSM development"}) == (
        "Against the baseline, its change in bookings and net gain are not settled above zero: the "
        "intervals include 0 or lie below it. Scenarios whose net gain is settled above the "
        "baseline's: crm.")
    # its net gain settled, its bookings not: the others are named apart from it
    only_bookings = first_open.assign(net_gain_ci_low=[0.1e6, 0.2e6, math.nan, -1e6])
    assert first_settled_note(only_bookings) == (
        "Against the baseline, its change in bookings is not settled above zero: the interval "
        "includes 0 or lies below it. Other scenarios whose net gain is settled above the "
        "baseline's: crm.")
    assert first_settled_note(only_bookings.assign(net_gain_ci_low=[0.1e6, -1.0, math.nan, -1.0])) == (
        "Against the baseline, its change in bookings is not settled above zero: the interval "
        "includes 0 or lies below it.")
    none_settled = first_open.assign(net_gain_ci_low=-1.0)
    assert first_settled_note(none_settled).endswith(
        "No scenario has a net gain settled above the baseline's.")
    assert first_settled_note(none_settled, scope=" within the budget").endswith(
        "No scenario within the budget has a net gain settled above the baseline's.")
    # no interval for the first (too few replications shared with the baseline), others with one
    unmeasured = first_open.assign(diff_ci_low=[math.nan, 0.6e6, math.nan, -2e6],
                                   net_gain_ci_low=[math.nan, 0.2e6, math.nan, -1e6])
    assert first_settled_note(unmeasured) == (
        "Its change in bookings and net gain have no interval (too few replications paired with the "
        "baseline's). Scenarios whose net gain is settled above the baseline's: crm.")
    settled = first_open.assign(diff_ci_low=1.0, net_gain_ci_low=1.0)
    assert first_settled_note(settled) == ""
    one_replication = first_open.assign(net_gain_ci_low=math.nan)
    assert first_settled_note(one_replication) == ""


def test_scenarios_whose_warm_up_money_is_the_same_are_said_once():
    """A walk read 'over its 6-month warm-up it cost 503,194 USD less and earned ...' three times,
    word for word, one for each scenario at a span of control in place from the first day."""
    from salessim.comparability import _grouped_by_amounts
    from salessim.ranking_notes import _so_marked

    same, other = (6, "503,194 USD less", "621,818 USD less"), (6, "7,012 USD less", "49,167 USD less")
    assert _grouped_by_amounts({"a (job 1)": same, "b (job 2)": other, "c (job 3)": same}) == [
        "a (job 1) and c (job 3): over their 6-month warm-up each cost 503,194 USD less and earned 621,818 "
        "USD less of gross margin than the baseline", "b (job 2): over its 6-month warm-up it cost 7,012 USD "
        "less and earned 49,167 USD less of gross margin than the baseline"]
    # a walk read '(1 of the 1 scenario with an ROI is so marked)'
    assert [_so_marked(*n) for n in ((1, 1), (2, 2), (3, 3), (1, 3), (2, 3))] == [
        "the one scenario with an ROI is so marked", "both scenarios with an ROI are so marked",
        "all 3 scenarios with an ROI are so marked", "1 of the 3 scenarios with an ROI is so marked",
        "2 of the 3 scenarios with an ROI are so marked"]


def test_notes_above_the_table_wrap_at_a_terminals_width_and_stay_whole_in_a_pipe():
    """A note naming several scenarios ran to some 900 characters on one line of the terminal;
    into a file or a pipe a note stays one line, for a reader to grep it whole."""
    from salessim.terminal import wrapped as _note_said
    note = ("investment=[crm] (job 1); investment=[crm,accelerators] (job 2) differ from the baseline "
            "from the first day (their settings): their figures and paybacks count from the end of the "
            "warm-up as if the difference were in place by then")
    assert _note_said(note, None) == f"  {note}"
    lines = _note_said(note, 60).splitlines()
    assert len(lines) > 2 and all(len(line) <= 60 for line in lines)
    assert lines[0].startswith("  investment=[crm] (job 1);") and all(x.startswith("    ") for x in lines[1:])
    assert " ".join(line.strip() for line in lines) == note  # no word cut, none lost


def test_the_lines_below_the_table_wrap_at_a_terminals_width_too(sweep, tmp_path, capsys, monkeypatch):
    """The ranking's line below the table ran to some 400 characters on one line of the terminal;
    the table's rows are never wrapped (a row cut in two is no longer a row), nor is a folder at
    the spaces in its name (a reader copies it from the terminal)."""
    import salessim.compare_command as command
    copy = copy_sweep(sweep, tmp_path / "my results" / "sweep one")
    code, piped, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    ranked = next(line for line in piped.splitlines() if line.startswith("Ranked by"))
    assert len(ranked) > 200  # into a pipe: one line, whole
    monkeypatch.setattr(command, "terminal_width", lambda: 70)
    code, shown, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    lines = shown.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Ranked by")))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  "))
    paragraph = lines[start:end]
    assert len(paragraph) > 3 and all(len(line) <= 70 for line in paragraph)
    joined = " ".join(line.strip() for line in paragraph)  # no word cut, none lost
    assert ranked == joined and joined.endswith("warm-up.")
    # results in ..., then (the second comparison of this sweep) that it replaced the first
    replaced = next(i for i, line in enumerate(lines) if line.startswith("replaced the earlier"))
    assert lines[replaced - 1].startswith("  ") and lines[replaced - 1].endswith("every job finished)")
    assert lines[-1] == "  (to keep one, compare with --out FOLDER)"
    assert f"  {copy / 'comparison'}" in lines  # the folder whole, on a line of its own (wider than 70)
    heads = next(i for i, line in enumerate(lines) if "paired diff" in line)
    # at 70, each name above its figures, which then fit: no row is cut in two
    assert lines[heads - 1] == "scenario" and len(lines[heads]) <= 70 and len(lines[heads + 2]) <= 70
    assert lines[heads + 1] in piped and lines[heads + 3] in piped  # names, whole


def test_notes_call_the_scenarios_by_their_names_in_the_table():
    """A note named a scenario by all its overrides (fsm.span_of_control=5,org=small,sim.years=1),
    the table by what sets it apart (fsm.span_of_control=5)."""
    from salessim.report_table import named_as_in_the_table, short_names
    full = ["fsm.span_of_control=12,org=small,sim.years=1", "fsm.span_of_control=5,org=small,sim.years=1"]
    names = short_names(full)[0]
    note = (f"Baseline: {full[0]} (job 0). {full[1]}, and {full[1]}: differ. Not a scenario's: "
            f"a.{full[1]} and {full[1]},k=2 and [{full[1]}].")
    assert named_as_in_the_table(note, names) == (
        "Baseline: fsm.span_of_control=12 (job 0). fsm.span_of_control=5, and fsm.span_of_control=5: "
        f"differ. Not a scenario's: a.{full[1]} and {full[1]},k=2 and [{full[1]}].")
    assert named_as_in_the_table(note, {f: f for f in full}) == note


def test_a_mistyped_metric_names_the_first_figures_not_all_55():
    """--metrics win_rte listed every one of the 55 figures: a line of 2,400 characters."""
    from salessim.compare import choose_metrics
    from salessim.errors import UserError

    available = ["bookings_usd", "win_rate"] + [f"figure_{i}" for i in range(53)]
    with pytest.raises(UserError) as info:
        choose_metrics("win_rte", available)
    said = info.value.message
    assert said.startswith("--metrics: 'win_rte' is not a numeric summary column of these jobs (did you mean "
                           "win_rate? allowed: 'bookings_usd', 'win_rate', 'figure_0',"), said
    assert said.endswith("'figure_9' and 43 more numeric columns of the jobs' summary.parquet "
                         "(docs/results.md lists them))") and len(said) < 400, said
    assert choose_metrics("win_rate", available[:3]) == ["win_rate"]
    with pytest.raises(UserError) as info:
        choose_metrics(",", available[:3])
    assert info.value.message == ("--metrics is empty (allowed: a comma-separated list of 'bookings_usd', "
                                  "'win_rate', 'figure_0')")
    # figures parted by spaces, as a shell passes them quoted: it offered one of them
    with pytest.raises(UserError) as info:
        choose_metrics("win_rate bookings_usd", available)
    assert info.value.message == ("--metrics: 'win_rate bookings_usd' is 2 figures (allowed: a "
                                  "comma-separated list, e.g. --metrics win_rate,bookings_usd)")
    with pytest.raises(UserError) as info:  # the rest of the list is kept in the example
        choose_metrics("figure_1,win_rate bookings_usd,figure_2", available)
    assert info.value.message.endswith("e.g. --metrics figure_1,win_rate,bookings_usd,figure_2)")


def test_scenarios_whose_seller_exits_match_in_every_replication_are_noted():
    """A year of 20 sellers: every compensation plan, a 60% quota stretch included, had the same
    exits in every replication, and the turnover column alike read as 'no effect on attrition'."""
    from salessim.comparability import same_exits_note
    from salessim.sweep_folder import Job

    def job(name, bookings, turnover, seed=7, window=1.0):
        summary = pd.DataFrame({"replication": [0, 1, 2], "seed": seed, "window_years": window,
                                "bookings_usd": bookings, "seller_turnover_rate": turnover})
        return Job(name, Path(name), scenario=name, summary=summary)

    base, stretch = job("0", [5.0, 6.0, 7.0], [0.4, 0.45, 0.35]), job("1", [4.0, 6.5, 6.0], [0.4, 0.45, 0.35])
    note, = same_exits_note([base, stretch])
    assert note.startswith("Seller turnover is the same in every replication of both scenarios, though their "
                           "bookings differ"), note
    assert "all 3 scenarios" in same_exits_note([base, stretch, job("2", [1.0, 2.0, 3.0], [0.4, 0.45, 0.35])])[0]
    assert same_exits_note([base, job("1", [4.0, 6.5, 6.0], [0.4, 0.5, 0.35])]) == []  # one exit moved
    assert same_exits_note([base, job("1", [5.0, 6.0, 7.0], [0.4, 0.45, 0.35])]) == []  # identical_notes' case
    assert same_exits_note([base]) == []
    # no common random numbers, or another window: alike by chance, not by the seats' own numbers
    assert same_exits_note([base, job("1", [4.0, 6.5, 6.0], [0.4, 0.45, 0.35], seed=8)]) == []
    assert same_exits_note([base, job("1", [4.0, 6.5, 6.0], [0.4, 0.45, 0.35], window=2.0)]) == []
    # some scenarios only: those with the baseline's exits are named, their 0.0 pp being no measure
    moved = job("2", [1.0, 2.0, 3.0], [0.5, 0.45, 0.35])
    note, = same_exits_note([base, stretch, moved], base)
    assert note.startswith(f"{stretch.label}: seller turnover is the baseline's in every replication, "
                           "though the bookings differ"), note
    assert "A change in turnover of 0.0 pp, with an interval of no width, is not a measured" in note
    assert same_exits_note([base, stretch, moved], moved) == []  # none has the baseline's exits
    assert same_exits_note([base, stretch, moved]) == []  # no baseline known: only all alike is said


def test_a_segment_whose_seller_exits_match_the_baselines_is_noted():
    """60 sellers over 2 years: a training moved exits overall but none in SMB, whose turnover
    read 0.0 pp [0.0 pp, 0.0 pp] while its SMB bookings rose: no measured 'no effect' there. A
    segment whose bookings move by a little either way is not named: SMB inside sales moved
    mid-market's by -0.2% to +0.7% through shared FSMs, and its note there puzzled a first reader;
    one whose bookings move one way in every replication is."""
    from salessim.comparability import same_exits_note
    from salessim.sweep_folder import Job

    def job(name, turnover, smb_turnover, smb_bookings):
        summary = pd.DataFrame({"replication": [0, 1, 2], "seed": 7, "window_years": 2.0,
                                "bookings_usd": [4.0 + x for x in smb_bookings],
                                "seller_turnover_rate": turnover, "seller_turnover_rate_smb": smb_turnover,
                                "bookings_usd_smb": smb_bookings})
        return Job(name, Path(name), scenario=name, summary=summary)

    base = job("0", [0.3, 0.2, 0.25], [0.23, 0.18, 0.2], [1.0, 2.0, 1.5])
    training = job("1", [0.25, 0.2, 0.2], [0.23, 0.18, 0.2], [1.5, 2.4, 2.0])
    note, = same_exits_note([base, training], base)
    assert note.startswith("Seller turnover in some segments is the baseline's in every replication, though "
                           f"the bookings there differ: {training.label} in SMB. No seller's exit in those "
                           "segments moved between the scenarios"), note
    assert note.endswith("A change of 0.0 pp in such a segment's turnover, with an interval of no width, is "
                         "not a measured 'no effect on attrition'; a longer horizon (sim.years) or more "
                         "sellers might show one.")
    assert same_exits_note([base, job("1", [0.25, 0.2, 0.2], [0.2, 0.18, 0.2], [1.5, 2.4, 2.0])], base) == []
    unchanged = job("1", [0.25, 0.2, 0.2], [0.23, 0.18, 0.2], [1.0, 2.0, 1.5])
    assert same_exits_note([base, unchanged], base) == []  # the segment's bookings as the baseline's
    nudged = job("1", [0.25, 0.2, 0.2], [0.23, 0.18, 0.2], [1.01, 1.99, 1.51])  # up, down and up
    assert same_exits_note([base, nudged], base) == []
    # up in every replication, though not settled at three: an effect the exits do not show
    spread = job("1", [0.25, 0.2, 0.2], [0.23, 0.18, 0.2], [1.01, 2.9, 1.51])
    assert len(same_exits_note([base, spread], base)) == 1
    # one replication: no interval to judge by, so any move is named
    alone = [Job(j.name, j.path, scenario=j.scenario, summary=j.summary.iloc[:1]) for j in (base, nudged)]
    assert len(same_exits_note(alone, alone[0])) == 1
    # alike overall too: one note, for the whole organization
    notes = same_exits_note([base, job("1", [0.3, 0.2, 0.25], [0.23, 0.18, 0.2], [1.5, 2.4, 2.0])], base)
    assert len(notes) == 1 and notes[0].startswith("Seller turnover is the same in every replication")


def test_a_line_of_overrides_is_split_outside_brackets_and_quotes_an_escaped_quote_included():
    """A quote escaped inside a quoted value ('it\\'s, here') ended it, and the rest was split
    at its comma: a condition's or a scenario's overrides came apart."""
    from salessim.overrides import split_outside
    assert split_outside("a='it\\'s, here',investment=[crm,training],b=(1,2)", ",") == [
        "a='it\\'s, here'", "investment=[crm,training]", "b=(1,2)"]
    assert split_outside('win_rate [x="a \\" b" org=large], cycle_days_median', ", ") == [
        'win_rate [x="a \\" b" org=large]', "cycle_days_median"]
    assert split_outside("x='a\\\\' y=1", " ") == ["x='a\\\\'", "y=1"]  # an escaped backslash ends no quote


def test_a_baseline_run_apart_names_its_sellers_and_rule_before_other_settings():
    """A baseline of 20 sellers for a sweep of 40 differed in a dozen settings: what moves every
    figure (the sellers, the decision rule) could sit in 'and 10 more'."""
    from salessim.comparability import settings_apart_note
    from salessim.sweep_folder import Job
    from tests.conftest import study_config

    job = Job("1", Path("1"), scenario="s1", cfg=study_config(
        40, org__attrition_base_monthly=0.02, market__neutral_quality=0.55, fsm__coaching_quality=0.9,
        fsm__span_of_control=6, market__decision_rule="soft_veto"))
    baseline = Job("b", Path("b"), scenario="b", cfg=study_config(20))
    note, = settings_apart_note(baseline, [job])
    first = note.split(" does not vary (", 1)[1].split("; ")[:2]
    assert sorted(first) == [
        "market.decision_rule: weighted_consensus in the baseline, soft_veto in every job",
        "org.sellers: 20 in the baseline, 40 in every job"], note


def test_a_figure_whose_labels_do_not_fit_draws_without_a_warning():
    """A scenario named by 300 characters made matplotlib warn 'Tight layout not applied', with
    a source path, once per figure of the report."""
    import warnings

    import matplotlib.pyplot as plt

    from salessim.plots import _tight_layout, png

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.barh([0], [1.0])
    ax.set_yticks([0], ["x" * 300])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _tight_layout(fig)
        assert png(fig)[:4] == b"\x89PNG"
    plt.close(fig)


def test_the_report_defines_its_terms_first_and_says_each_verdict_once(sweep, tmp_path, capsys, monkeypatch):
    """Terms come before the answer that uses them; the next steps after the notes that qualify
    it; how the first two stand, and who is in contention, in 'In short' and not again under the
    ranking (a strategist read them twice)."""
    from salessim import compare as compare_module
    from salessim import report
    from salessim.compare_command import run
    from salessim.next_steps import Step

    monkeypatch.setattr(report, "leaders_note", lambda *a, **k: "LEADERS-NOTE")
    monkeypatch.setattr(report, "contenders_note", lambda *a, **k: "CONTENDERS-NOTE")
    monkeypatch.setattr(report, "next_steps", lambda *a, **k: [
        Step("A-NEXT-STEP", ("salessim -m A-COMMAND",))])
    monkeypatch.setattr(report, "first_year_note", lambda *a, **k: "FIRST-YEAR")
    monkeypatch.setattr(report, "_behind_it", lambda *a, **k: " BEHIND-IT")
    monkeypatch.setattr(compare_module, "other_quotas_note", lambda *a, **k: ["QUOTA-NOTE"])
    copy = copy_sweep(sweep, tmp_path / "s")
    run([str(copy), "--no-plots"])
    assert "QUOTA-NOTE" in capsys.readouterr().out
    page = (copy / "comparison" / "report.html").read_text()
    terms, short = page.index("<b>Terms.</b>"), page.index("<h2>In short</h2>")
    steps = page.index("<h2>Next steps")
    assert terms < short < page.index("Money figures are yearly") < steps < page.index("A-NEXT-STEP")
    assert "A-NEXT-STEP<pre>salessim -m A-COMMAND</pre></li>" in page  # a step's commands under it
    # how every scenario makes its gain, after where its net gain comes from
    made = page.index("<h2>How each gain is made</h2>")
    assert page.index("<h2>Where each net gain comes from</h2>") < made < page.index("<h2>Figures</h2>")
    assert "<th>time spent selling</th><th>leads</th><th>win rate of forecast deals</th>" in page[made:]
    for said in ("LEADERS-NOTE", "CONTENDERS-NOTE", "FIRST-YEAR", "BEHIND-IT"):
        assert page.count(said) == 1 and short < page.index(said) < steps, said
    assert short < page.index("QUOTA-NOTE") < steps
    assert "<ul class='sub'><li>Ranked by the paired net gain per year" in page  # a term an item
    assert "Scenarios are named by" not in page  # spans of control name themselves


def test_the_terms_say_how_investment_scenarios_are_named():
    from types import SimpleNamespace

    from salessim.report import _names_said

    def result(*names):
        return SimpleNamespace(jobs=[SimpleNamespace(scenario=n) for n in names])
    assert _names_said(result("investment=[]", "investment=[crm,content]")).endswith(
        "<i>investment=[crm,content]</i> adds the investments it lists; <i>investment=[]</i> adds none, "
        "doing nothing.")
    assert _names_said(result("baseline", "investment=[tools]")).endswith(
        "<i>investment=[tools]</i> adds the investments it lists.")
    assert _names_said(result("fsm.span_of_control=6", "fsm.span_of_control=8")) == ""


def test_in_short_says_what_is_behind_the_gain():
    """A strategist reads a gain in the organization's terms (win rate, no decisions, quota,
    turnover). (The first year's net gain is the short answer's: tests/test_short_answer.py.)"""
    from types import SimpleNamespace

    from salessim.report import _behind_it

    months = pd.DataFrame({"scenario": "a", "months_after_start": range(1, 31),
                           "cumulative_net_gain_usd": [1e5 * m for m in range(1, 31)]})
    gain = months.cumulative_net_gain_usd
    curves = months.assign(ci_low=gain - 5e4, ci_high=gain + 5e4, extra_investment_usd=0.0)
    table = pd.DataFrame({"scenario": "a", "metric": ["win_rate", "seller_turnover_rate", "bookings_usd"],
                          "diff_vs_baseline": [0.04, -0.054, 1e6], "diff_ci_low": [0.028, -0.063, 0.0],
                          "diff_ci_high": [0.052, -0.045, 2e6]})
    r = SimpleNamespace(payback=curves, table=table)
    assert _behind_it(r, "a") == (" Behind it, paired against the baseline: win rate of forecast deals "
                                  "+4.0 pp [+2.8 pp, +5.2 pp]; seller turnover per year -5.4 pp [-6.3 pp, "
                                  "-4.5 pp].")
    assert _behind_it(r, "b") == ""
    # no exit moved (an interval of no width), and a quota share against other quotas, are no driver
    still = SimpleNamespace(payback=curves, table=table.assign(diff_vs_baseline=[0.04, 0.0, 1e6],
                                                               diff_ci_low=[0.028, 0.0, 0.0],
                                                               diff_ci_high=[0.052, 0.0, 2e6]))
    assert "turnover" not in _behind_it(still, "a")
    from salessim.config import Config
    base, cut = Config(), Config()
    cut.investment = {"q": {"kind": "compensation", "quota_multiplier": 0.8}}
    quotas = pd.DataFrame({"scenario": "a", "metric": ["quota_attainment_share", "win_rate"],
                           "diff_vs_baseline": [0.2, 0.01], "diff_ci_low": [0.1, 0.0],
                           "diff_ci_high": [0.3, 0.02]})
    jobs = [SimpleNamespace(scenario="base", cfg=base, config={}),
            SimpleNamespace(scenario="a", cfg=cut, config={"investment": cut.investment})]
    said = _behind_it(SimpleNamespace(table=quotas, jobs=jobs, baseline=jobs[0]), "a")
    assert "win rate" in said and "quota" not in said
    # a count said as a share of the baseline's, in the order a gain is made: selling, leads, won
    counts = pd.DataFrame({"scenario": ["base", "a", "a"], "metric": ["leads", "leads", "selling_time_share"],
                           "mean": [2000.0, 2100.0, 0.47], "diff_vs_baseline": [0.0, 100.0, 0.045],
                           "diff_ci_low": [math.nan, 80.0, 0.044], "diff_ci_high": [math.nan, 120.0, 0.046]})
    crm = SimpleNamespace(table=pd.concat([counts, quotas]), jobs=jobs, baseline=jobs[0])
    assert _behind_it(crm, "a") == (" Behind it, paired against the baseline: time spent selling +4.5 pp "
                                    "[+4.4 pp, +4.6 pp]; leads +5.0% [+4.0%, +6.0%]; win rate of forecast "
                                    "deals +1.0 pp [0.0 pp, +2.0 pp].")
    alone = SimpleNamespace(table=counts.assign(diff_ci_low=math.nan, diff_ci_high=math.nan), jobs=jobs,
                            baseline=jobs[0])  # one replication: no interval, not '[+nan%, +nan%]'
    assert "leads +5.0% [no CI]" in _behind_it(alone, "a") and "nan" not in _behind_it(alone, "a")
    # every scenario's, in a table of the figures the comparison holds (--metrics may leave some out)
    from salessim.report import _drivers_section
    crm.scenarios = pd.DataFrame({"scenario": ["a", "base"], "baseline": [False, True]})
    made = _drivers_section(crm, {})
    assert "<th>time spent selling</th><th>leads</th><th>win rate of forecast deals</th>" \
           "<th>sellers making quota</th></tr>" in made
    assert "<span>+5.0%</span> <span>[+4.0%, +6.0%]</span>" in made
    assert "<td class=\"n\"><span>—</span>" in made  # a quota share against other quotas


def test_scenarios_with_other_quotas_are_said_to_measure_making_quota_against_them():
    """SMB inside sales showed +22 pp of sellers making quota on a quota cut from 580,000 to
    480,000: a change partly the quotas', not more selling."""
    from types import SimpleNamespace

    from salessim.comparability import other_quotas_note
    from salessim.config import Config

    def job(label, config=None, **investments):
        cfg = Config()
        cfg.investment = investments
        return SimpleNamespace(label=label, cfg=cfg, config={**(config or {}), "investment": investments})

    base = job("base")
    others = [job("inside", smb_inside_sales={"kind": "coverage", "convert_share": 1.0, "quota_usd": 4e5}),
              job("stretch", q={"kind": "compensation", "quota_multiplier": 1.2}),
              job("accelerators", a={"kind": "compensation", "accelerator": 2.5}),
              job("quarterly", a={"kind": "compensation", "quota_period": "quarterly"}),
              job("crm", crm={"kind": "tools"}),
              job("own quota", {"compensation": {"quota_usd": {"smb": 500_000}}})]
    note, = other_quotas_note(base, others)
    assert note == ("Sellers making quota is measured against each scenario's own quotas, and 3 set other "
                    "quotas than the baseline's: inside by investment.smb_inside_sales.quota_usd; stretch "
                    "by investment.q.quota_multiplier; own quota by compensation.quota_usd.smb. Their change "
                    "in sellers making quota is partly the quotas', not more selling: judge them by bookings "
                    "and net gain.")
    assert not {"accelerators", "quarterly", "crm"} & set(note.replace("(", " ").split())
    assert other_quotas_note(base, others[2:5]) == []
    # a sweep of an investment's quota the baseline holds too: 1.2 against 1.6 is another quota
    stretched = job("base 1.2", q={"kind": "compensation", "quota_multiplier": 1.2})
    assert ("one sets other quotas than the baseline's: more by investment.q.quota_multiplier. Its "
            "change in sellers making quota is partly the quotas', not more selling: judge it by") in (
        other_quotas_note(
            stretched, [job("more", q={"kind": "compensation", "quota_multiplier": 1.6})])[0])
    same = job("same", q={"kind": "compensation", "quota_multiplier": 1.2})
    assert other_quotas_note(stretched, [same]) == []
    # marked where the share is set beside the others': the terminal's at-quota column, with its line
    from salessim.comparison_table import terminal_table
    from salessim.report import _metrics_section, _other_quotas_caption

    inside = job("inside", smb_inside_sales={"kind": "coverage", "convert_share": 1.0, "quota_usd": 4e5,
                                             "segment": "smb"})
    crm = job("crm", crm={"kind": "tools"})
    for j, name in ((base, "base"), (inside, "inside"), (crm, "crm")):
        j.scenario = name
    base.summary = pd.DataFrame({"window_years": [2.0]})
    scenarios = pd.DataFrame([_scenario("inside", False, quota_attainment_share=0.655),
                              _scenario("crm", False, quota_attainment_share=0.606), _scenario("base", True)])
    result = SimpleNamespace(scenarios=scenarios, baseline=base, jobs=[base, inside, crm])
    table = terminal_table(result)
    assert "65.5%‡" in table and "60.6%‡" not in table and "50.0%‡" not in table
    assert ("‡: sellers making quota measured against other quotas than the baseline's (a note names the "
            "settings): its change is partly the quotas', not more selling") in table
    assert "‡" not in terminal_table(SimpleNamespace(scenarios=scenarios, baseline=base, jobs=[base, crm]))
    # the report's list of figures marks its paired change, and the figure of paired changes says so
    rows = pd.DataFrame([{"scenario": s, "metric": m, "n": 3, "mean": 0.6, "ci_low": 0.5, "ci_high": 0.7,
                          "diff_vs_baseline": 0.09, "diff_ci_low": 0.01, "diff_ci_high": 0.17,
                          "diff_ci_unpaired_low": 0.0, "diff_ci_unpaired_high": 0.18}
                         for m in ("quota_attainment_share", "win_rate") for s in ("base", "inside", "crm")])
    result.table, result.metrics = rows, ["quota_attainment_share", "win_rate"]
    listed = _metrics_section(result, {})
    assert listed.count("‡") == 2, listed  # inside's quota share, and the line below the list
    result.plot_metrics = ["quota_attainment_share"]
    assert _other_quotas_caption(result, {"inside": "in"}) == (
        " Sellers making quota of in is measured against other quotas than the baseline's (marked ‡ in 'All "
        "compared figures' below): its change there is partly the quotas', not more selling.")
    result.plot_metrics = ["win_rate"]
    assert _other_quotas_caption(result, {}) == ""
    # a segment's share: SMB inside sales sets SMB quotas alone; a compensation plan's multiplier,
    # and a quota of the configuration, the segments they set (a new user's walk found the SMB
    # row of the list of figures unmarked)
    from salessim.comparability import other_quotas, quotas_apart
    from salessim.comparison_table import selected_figures

    stretch = job("stretch", q={"kind": "compensation", "quota_multiplier": 1.2})
    own = job("own", {"compensation": {"quota_usd": {"enterprise": 7e5}}})
    for j in (stretch, own):
        j.scenario = j.label
    assert other_quotas(base, [base, inside, crm, stretch, own]) == {
        "inside": frozenset({"smb"}), "stretch": frozenset({None}), "own": frozenset({"enterprise"})}
    result.jobs = [base, inside, crm, stretch, own]
    assert quotas_apart(result) == {"inside", "stretch", "own"}
    assert quotas_apart(result, "quota_attainment_share_smb") == {"inside", "stretch"}
    assert quotas_apart(result, "quota_attainment_share_enterprise") == {"stretch", "own"}
    assert quotas_apart(result, "quota_attainment_share_mid_market") == {"stretch"}
    assert quotas_apart(result, "win_rate") == frozenset()
    result.jobs = [base, inside, crm]
    smb = "quota_attainment_share_smb"
    result.table = rows.assign(metric=rows.metric.replace({"quota_attainment_share": smb}))
    result.metrics = [smb, "win_rate"]
    assert _metrics_section(result, {}).count("‡") == 2
    result.scenarios = scenarios.assign(scenario=scenarios.scenario)
    result.baseline.label = "base"
    shown = selected_figures(result)
    smb_block, win_block = shown.split("\n\n")
    assert smb_block.count("‡") == 2 and "‡" not in win_block, shown  # inside's change, and the line
    assert "+9.0 pp [+1.0 pp, +17.0 pp]‡" in smb_block, smb_block
    result.plot_metrics = [smb]
    assert "Sellers making quota of inside" in _other_quotas_caption(result, {})


def test_a_run_elsewhere_set_beside_the_sweep_compares_as_it_would_inside_it(compared, sweep, tmp_path,
                                                                             capsys):
    """--with sets a finished run outside the sweep beside its jobs, as one more scenario: a
    follow-up sweep (an investment at half its effect) is set against the runner-up of the sweep
    before it, paired, and not against that runner-up's figure copied as a number. Its figures
    are those it gives as a job of the sweep; it is named by where it is, and counts as no job
    of the sweep."""
    copy, outside = job_moved_out(sweep, "1", tmp_path / "earlier" / "1")
    code, out, err = compare_in_process(capsys, str(copy), "--with", str(outside), "--no-plots")
    assert code == 0, err
    said = " ".join(out.split())
    assert f"1 finished job of 2, and 1 run from elsewhere (--with) in {copy}" in said, out
    assert (f"Compared beside the sweep's jobs (--with): fsm.span_of_control=5 (run {outside}). It "
            "pairs") in said
    assert_same_comparison(compared[0], copy / "comparison")
    # the sweep's own job, the baseline run apart, a folder named twice or one no run finished in:
    # refused in one line, nothing written
    shutil.rmtree(copy / "comparison")
    apart = tmp_path / "apart"
    shutil.copytree(copy / "0", apart)
    (tmp_path / "empty").mkdir()
    for argv, words in (((str(copy / "0"),), "is job 0 of this sweep, compared already"),
                        ((str(copy),), "is this sweep's own folder"),
                        ((str(outside), str(outside)), "is named twice"),
                        ((str(tmp_path / "empty"),), "is a folder without manifest.json"),
                        ((str(tmp_path / "none"),), "is not a folder")):
        code, out, err = compare_in_process(capsys, str(copy), *(x for a in argv for x in ("--with", a)))
        assert code == 2 and words in err and len(err.strip().splitlines()) == 1, err
        assert "(allowed: the folder of a finished run outside the sweep" in err
        assert not (copy / "comparison").exists()
    # a run beside of a job's own configuration is told apart from it by where it is, once (a review
    # found '(job /path) (job 0 of ...)')
    code, out, err = compare_in_process(capsys, str(copy), "--with", str(apart), "--no-plots", "--out",
                                        str(tmp_path / "twin"))
    assert code == 0, err
    said = " ".join(out.split())
    assert f"(run {apart})" in said and f"(run {apart}) (run" not in said and f"(job {apart})" not in said
    # and the baseline named as the table names it then, with its job (a walk was refused it)
    named = next(w for w in out.splitlines() if w.startswith("  Baseline: ")).split(": ", 1)[1].split(",")[0]
    assert named.endswith(" (job 0)"), named
    code, out, err = compare_in_process(capsys, str(copy), "--baseline", named, "--with", str(apart),
                                        "--no-plots", "--out", str(tmp_path / "twin_named"))
    assert code == 0 and f"chosen with --baseline {named}" in " ".join(out.split()), err
    aside = named.replace(" (job 0)", f" (run {apart})")
    code, out, err = compare_in_process(capsys, str(copy), "--baseline", aside, "--with", str(apart),
                                        "--no-plots", "--out", str(tmp_path / "twin_aside"))
    assert code == 2 and err.count("\n") == 1 and "(--with), never its baseline (allowed: " in err, err
    assert f"or --baseline {apart} in place of --with {apart})" in err, err
    assert not (tmp_path / "twin_aside").exists()
    code, out, err = compare_in_process(capsys, str(copy), "--baseline", str(apart), "--with", str(apart))
    assert code == 2 and "is the baseline, compared with already" in err, err
    # a single run of no override is named 'baseline': beside the sweep, whose baseline is another,
    # it is named by where it is too ('Against baseline, set beside...' was read as the baseline)
    plain = tmp_path / "plain"
    shutil.copytree(apart, plain)
    manifest = json.loads((plain / "manifest.json").read_text())
    (plain / "manifest.json").write_text(json.dumps({**manifest, "scenario": "baseline"}))
    code, out, err = compare_in_process(capsys, str(copy), "--with", str(plain), "--no-plots", "--out",
                                        str(tmp_path / "plain_beside"))
    said = " ".join(out.split())
    assert code == 0 and f"Compared beside the sweep's jobs (--with): baseline (run {plain}). " in said, out
    assert f"the first of the scenarios, baseline (run {plain}), ties with it" in said, out
    # a window's rules read the sweep's own jobs (a review: a run beside was dropped, or made the baseline)
    code, out, err = compare_in_process(capsys, str(copy), "--with", str(outside), "--years", "1")
    assert code == 2 and "--with" in err and "--years 1 together are not allowed" in err, err
    assert not (copy / "comparison").exists()


def test_a_scenario_over_the_budget_is_marked_in_the_figures_as_in_the_ranking(sweep, tmp_path, monkeypatch):
    """A strategist's walk found the panel of a scenario the ranking marked over the budget without
    the mark: every figure names it as the ranking does."""
    from salessim import plots, report
    from salessim.compare_command import run as compare
    from salessim.report_table import short_names

    seen = {}
    for figure in ("distributions", "paired_differences", "monthly_bookings", "cumulative_net_gain",
                   "roi_scatter"):
        monkeypatch.setattr(plots, figure, lambda *args, figure=figure, **kwargs: seen.update(
            {figure: kwargs.get("short")}) or b"")
    import dataclasses

    r = compare([str(copy_sweep(sweep, tmp_path / "s")), "--no-plots"])
    over = [s for s in r.scenarios.scenario if s != r.baseline.scenario][:1]
    r = dataclasses.replace(r, scenarios=r.scenarios.assign(within_budget=~r.scenarios.scenario.isin(over)))
    names, shared = short_names([j.scenario for j in r.jobs])
    report._plots_section(r, names, shared)
    labels = seen["distributions"]
    assert all(labels[s].endswith(" (over budget)") for s in over), labels
    assert not labels[r.baseline.scenario].endswith(" (over budget)")
