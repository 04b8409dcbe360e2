"""salessim-compare on a sweep of seeds: the jobs of one configuration are one scenario, paired
with the baseline on (seed, replication), the replications that replay the same random numbers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from salessim.compare import paired_ci
from salessim.compare_command import main
from salessim.config import Config
from salessim.seed_pooling import pool_seeds, seeds_of
from salessim.sweep_folder import Job
from tests.conftest import run_cli
from tests.test_compare import compare_in_process, copy_sweep, swept

# Job order (Hydra's): 0 span 12 seed 1, 1 span 12 seed 2, 2 span 5 seed 1, 3 span 5 seed 2.
SWEEP_ARGS = ["-m", "fsm.span_of_control=12,5", "sim.seed=1,2", "sim.replications=4", "sim.years=1",
              "sim.warmup_months=2", "org=small", "hydra.launcher.n_jobs=2"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    return swept(tmp_path_factory.mktemp("seeds"), SWEEP_ARGS)


def compare(capsys, *argv: str) -> str:
    code, out, err = compare_in_process(capsys, *argv, "--no-plots")
    assert code == 0, err
    return out


def bookings(job: Path) -> pd.Series:
    """Bookings a year by (seed, replication), as the job's summary holds them."""
    s = pd.read_parquet(job / "summary.parquet")
    return (s.bookings_usd / s.window_years).set_axis(pd.MultiIndex.from_arrays([s.seed, s.replication]))


def test_each_configuration_is_one_scenario_paired_on_seed_and_replication(sweep, tmp_path, capsys):
    copy = copy_sweep(sweep, tmp_path / "s")
    out = compare(capsys, str(copy))
    assert "4 finished jobs of 4" in out
    assert "sim.seed alone are one scenario each, on seeds 1, 2: jobs 0, 1; jobs 2, 3. " in out
    # The baseline is the first job's configuration at every seed, not the first job alone.
    assert "Baseline: fsm.span_of_control=12 (jobs 0, 1), no --baseline" in out  # as the table names it
    table = pd.read_csv(copy / "comparison" / "comparison.csv")
    assert set(table.scenario) == {"fsm.span_of_control=12,org=small,sim.warmup_months=2,sim.years=1",
                                   "fsm.span_of_control=5,org=small,sim.warmup_months=2,sim.years=1"}
    row = table[(table.metric == "bookings_usd") & table.scenario.str.contains("=5,")].iloc[0]
    assert row.n == 8
    # The paired difference over the 8 replications that share their random numbers.
    base = pd.concat([bookings(copy / "0"), bookings(copy / "1")])
    other = pd.concat([bookings(copy / "2"), bookings(copy / "3")])
    diff, low, high, pairs = paired_ci(base, other)
    assert pairs == 8
    assert row.diff_vs_baseline == pytest.approx(diff) and row.diff_ci_low == pytest.approx(low)
    assert row.diff_ci_high == pytest.approx(high)
    # Paired across seeds, the mean would be the same but not its interval: the pooling pairs
    # by (seed, replication).
    crossed = paired_ci(pd.concat([bookings(copy / "1"), bookings(copy / "0")]).reset_index(drop=True),
                        other.reset_index(drop=True))
    assert crossed[0] == pytest.approx(diff) and crossed[1] != pytest.approx(low)
    page = (copy / "comparison" / "report.html").read_text()
    assert "seeds 1,<wbr> 2; 8 replications in all" in page
    assert "all 4 job folders finished and were compared" in page and "sim.seed:" not in page
    assert "<td>2,<wbr> 3</td>" in page or "<td>2, 3</td>" in page


def test_a_job_of_a_pooled_configuration_that_did_not_finish_leaves_the_others_paired(sweep, tmp_path, capsys):
    copy = copy_sweep(sweep, tmp_path / "s")
    (copy / "3" / "manifest.json").unlink()
    out = compare(capsys, str(copy))
    assert "3 finished jobs of 4" in out and "jobs 0, 1)" in out
    table = pd.read_csv(copy / "comparison" / "comparison.csv")
    row = table[(table.metric == "bookings_usd") & table.scenario.str.contains("=5,")].iloc[0]
    assert row.n == 4 and "sim.seed=1" in row.scenario  # job 2 alone keeps its seed in its name
    diff = paired_ci(bookings(copy / "0"), bookings(copy / "2"))[0]
    assert row.diff_vs_baseline == pytest.approx(diff)
    assert "4 replications, the baseline 8: paired differences use the 4 they share" in out


def test_a_scenario_without_the_baselines_first_seed_pairs_on_the_seeds_both_ran(sweep, tmp_path, capsys):
    """Span 5 on seed 2 alone (its seed-1 job did not finish) pairs with the baseline's seed-2
    replications, not with its seed-1 ones, which come first."""
    copy = copy_sweep(sweep, tmp_path / "s")
    (copy / "2" / "manifest.json").unlink()
    out = compare(capsys, str(copy))
    table = pd.read_csv(copy / "comparison" / "comparison.csv")
    row = table[(table.metric == "bookings_usd") & table.scenario.str.contains("=5,")].iloc[0]
    diff, low, high, _ = paired_ci(bookings(copy / "1"), bookings(copy / "3"))
    assert (row.diff_vs_baseline, row.diff_ci_low, row.diff_ci_high) == pytest.approx((diff, low, high))
    assert "4 replications, the baseline 8: paired differences use the 4 they share" in out


def test_a_baseline_whose_job_did_not_finish_is_its_configuration_on_the_other_seeds(sweep, tmp_path, capsys):
    copy = copy_sweep(sweep, tmp_path / "s")
    (copy / "0" / "manifest.json").unlink()
    out = compare(capsys, str(copy))
    assert ("(job 1), the first job's configuration, on the seeds whose jobs finished (job 0, on "
            "sim.seed 1, did not)") in out
    assert "(the baseline ran no seed 1: those replications count in the scenarios' means" in out
    table = pd.read_csv(copy / "comparison" / "comparison.csv")
    row = table[(table.metric == "bookings_usd") & table.scenario.str.contains("=5,")].iloc[0]
    assert row.n == 8 and row.diff_vs_baseline == pytest.approx(
        paired_ci(bookings(copy / "1"), bookings(copy / "3"))[0])
    assert "sim.seed: 2 → 1,<wbr> 2" in (copy / "comparison" / "report.html").read_text()


def test_a_replication_the_baseline_lacks_has_no_npv_rather_than_one_of_zero(sweep, tmp_path, capsys):
    """The head-to-head of the leaders paired an NPV of 0 for each replication without a baseline
    pair, shrinking their NPV difference by that share (+269,227 where it was +403,841)."""
    from salessim.compare import NPV
    from salessim.compare_command import run
    copy = copy_sweep(sweep, tmp_path / "s")
    (copy / "0" / "manifest.json").unlink()  # the baseline ran seed 2 alone
    result = run([str(copy), "--no-plots", "--discount-rate", "0.05"])
    capsys.readouterr()
    span5 = next(v for s, v in result.values.items() if "=5," in s)
    assert len(span5) == 8 and span5[NPV].isna().sum() == 4 and span5[NPV].notna().sum() == 4
    baseline = result.values[result.scenarios.scenario[result.scenarios.baseline].iloc[0]]
    assert (baseline[NPV] == 0.0).all() and len(baseline) == 4


def test_a_sweep_of_seeds_alone_is_one_configuration(tmp_path, capsys):
    folder = tmp_path / "alone"
    done = run_cli("-m", "sim.seed=3,4", "sim.replications=2", "sim.years=0.5", "sim.warmup_months=1",
                   "org.sellers=6", f"hydra.sweep.dir={folder}")
    assert done.returncode == 0, done.stderr[-2000:]
    out = compare(capsys, str(folder))
    assert "the one configuration the sweep runs (nothing but sim.seed is swept)" in out
    assert "Only one configuration, run on seeds 3, 4: there is nothing to compare" in out
    table = pd.read_csv(folder / "comparison" / "comparison.csv")
    assert table[table.metric == "bookings_usd"].n.tolist() == [4]


def test_a_baseline_on_another_seed_pairs_by_number_and_is_said_to_share_no_luck(sweep, tmp_path, capsys):
    """A baseline run apart on a seed the sweep never ran: a pooled scenario would share no
    replication with it, so the jobs stay apart and pair with the baseline's replications by
    number, as jobs of another seed do, which the note says is chance."""
    copy = copy_sweep(sweep, tmp_path / "s")
    apart = tmp_path / "apart"
    shutil.copytree(copy / "0", apart)
    meta = json.loads((apart / "manifest.json").read_text())
    meta["config"]["sim"]["seed"] = meta["seed"] = 9
    (apart / "manifest.json").write_text(json.dumps(meta))
    summary = pd.read_parquet(apart / "summary.parquet").assign(seed=9)
    summary.to_parquet(apart / "summary.parquet", index=False)
    out = compare(capsys, str(copy), "--baseline", str(apart))
    assert "seed 1, the baseline seed 9: their replications do not share" in out
    assert "seed 2, the baseline seed 9: their replications do not share" in out
    assert "one scenario each" not in out and "jobs 0, 1" not in out
    table = pd.read_csv(copy / "comparison" / "comparison.csv")
    assert table[table.metric == "bookings_usd"].n.tolist() == [4] * 5


def _job(name: str, seed: int, span: float = 8.5, scenario: str = "", commit: str = "abc",
         replications: int = 2) -> Job:
    cfg = Config()
    cfg.sim.seed, cfg.fsm.span_of_control, cfg.sim.scenario = seed, span, scenario
    cfg.sim.replications = replications
    summary = pd.DataFrame({"replication": [0, 1], "seed": seed, "bookings_usd": [1.0, 2.0],
                            "window_years": 1.0})
    monthly = pd.DataFrame({"replication": [0, 1], "month": 0, "bookings_usd": 1.0})
    scenario = scenario or f"fsm.span_of_control={span},sim.seed={seed}"
    return Job(name, Path(name), scenario=scenario,
               manifest={"seed": seed, "git_commit": commit, "scenario": scenario}, cfg=cfg,
               summary=summary, monthly=monthly,
               overrides=[f"fsm.span_of_control={span}", f"sim.seed={seed}"])


def test_only_jobs_alike_but_for_their_seed_are_pooled():
    base, other = _job("0", 1), _job("1", 2)
    jobs, baseline, notes = pool_seeds([base, other], base)
    assert len(jobs) == 1 and baseline is jobs[0] and seeds_of(baseline) == [1, 2]
    assert baseline.name == "0, 1" and baseline.label.endswith("(jobs 0, 1)")
    assert baseline.scenario == "fsm.span_of_control=8.5" and baseline.overrides == ["fsm.span_of_control=8.5"]
    assert sorted(baseline.summary.replication) == [0, 1, 2, 3] and len(notes) == 1
    # Not pooled: a repeat of one seed, another setting, another code, a name of one's own,
    # another number of replications.
    for second in (_job("1", 1), _job("1", 2, span=5), _job("1", 2, commit="def"),
                   _job("1", 2, scenario="mine"), _job("1", 2, replications=3)):
        jobs, baseline, notes = pool_seeds([base, second], base)
        assert jobs == [base, second] and baseline is base and notes == []


def test_a_pooled_scenario_pairs_only_the_seeds_the_baseline_ran():
    base = _job("0", 1)
    jobs, baseline, _ = pool_seeds([base, _job("1", 1, span=5), _job("2", 2, span=5)], base)
    pooled = jobs[1]
    assert baseline.summary.replication.tolist() == [0, 1]
    # Seed 1's replications take the baseline's numbers; seed 2's come after, paired with none.
    assert list(zip(pooled.summary.seed, pooled.summary.replication)) == [(1, 0), (1, 1), (2, 2), (2, 3)]


def test_a_pooled_scenario_is_named_for_baseline_as_the_table_shows_it(sweep, tmp_path, capsys):
    copy = copy_sweep(sweep, tmp_path / "s")
    for wanted in ("fsm.span_of_control=5", "2, 3", "3"):
        out = compare(capsys, str(copy), "--baseline", wanted)
        assert (f"Baseline: fsm.span_of_control=5 (jobs 2, 3), chosen with --baseline {wanted}, with its configuration's "
                "jobs on the other seeds.") in out
    try:
        main([str(copy), "--no-plots", "--baseline", "nonsense"])
    except SystemExit as e:
        assert e.code == 2
    err = capsys.readouterr().err
    assert "scenarios 'fsm.span_of_control=12,org=small,sim.warmup_months=2,sim.years=1', " in err
    assert "sim.seed" not in err


def test_pooled_scenarios_of_one_name_are_told_apart_by_their_jobs():
    """Configurations whose names differ in a key names leave out (sim.replications): each is
    pooled, and named by its jobs."""
    jobs = [_job(str(n), seed, replications=reps) for n, (reps, seed) in
            enumerate([(2, 1), (2, 2), (3, 1), (3, 2)])]
    for j in jobs:
        j.scenario = j.manifest["scenario"] = f"sim.seed={j.cfg.sim.seed}"
    pooled, baseline, _ = pool_seeds(jobs, jobs[0])
    assert [j.scenario for j in pooled] == ["seeds 1, 2 (jobs 0, 1)", "seeds 1, 2 (jobs 2, 3)"]
    assert baseline is pooled[0]
