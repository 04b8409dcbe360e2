"""The terminal's short answer (salessim.short_answer): the first of the ranking, what it returns,
when it pays back and whether its lead holds, in a few lines printed last."""

import math
from types import SimpleNamespace

import pandas as pd
import pytest

from salessim.short_answer import short_answer
from tests.test_compare import _scenario, compare_in_process, copy_sweep, run_cli, sweep  # noqa: F401


def reps(gain):
    return pd.DataFrame({"bookings_usd": [0.0] * 3, "gross_margin_usd": gain, "total_cost_usd": [0.0] * 3})


GAINS = {"a": [5.0, 6.0, 7.0], "b": [1.0, 1.5, 1.2], "c": [0.5, 1.0, 0.8], "base": [0.0, 0.0, 0.0]}


def result(gains=GAINS, rank_by="net_gain", **changes):
    """Scenarios ranked by their mean net gain, the baseline where its 0 falls."""
    means = {n: sum(g) / len(g) for n, g in gains.items()}
    rows = [_scenario(n, n == "base", **{"net_gain_usd_per_year": m, "net_gain_ci_low": m - 1,
                                         "net_gain_ci_high": m + 1, **changes}) for n, m in means.items()]
    return SimpleNamespace(scenarios=pd.DataFrame(rows), values={n: reps(g) for n, g in gains.items()},
                           rank_by=rank_by)


def test_the_first_its_gain_its_payback_and_its_settled_lead():
    assert short_answer(result(), {"a": "A"}) == (
        "In short: A comes first by the net gain per year, +6 [+5, +7] a year against the baseline (paired, "
        "95% CI); it pays back in month 7 from its launch (by the 95% band of its cumulative net gain, "
        "between month 5 and month 9); its extra investment in its first 12 months from launch is +50,000. "
        "Its lead in net gain over each of the other 2 "
        "is settled.")
    two = result({k: GAINS[k] for k in ("a", "b", "base")})
    assert "Its lead in net gain over b is settled." in short_answer(two)
    # a scenario sharing too few replications to pair is said apart, not counted among the others (a review)
    untold = result()
    untold.values["c"] = untold.values["c"].iloc[:1]
    assert short_answer(untold).endswith(
        "Its lead in net gain over each of b is settled. It shares too few replications with c to tell.")
    assert short_answer(result({"base": [0.0] * 3})) == ""  # nothing compared with the baseline
    # one replication: nothing can be told apart, for want of replications, not of pairing (a review)
    one = result()
    one.values = {n: v.iloc[:1] for n, v in one.values.items()}
    one.scenarios["pairs"] = 1
    said = short_answer(one)
    assert "too few replications with it" not in said and "lead" not in said, said
    assert said.endswith("With 1 replication there is no interval: rerun with sim.replications=10 or more "
                         "before relying on it.")


def test_a_run_set_beside_the_sweep_is_the_mark_each_of_its_scenarios_is_held_against():
    """A follow-up sweep (the first at half and three quarters of its effect) with the runner-up's
    own run set beside it (--with) asks whether each keeps a net gain above that run's: a walk found
    it answered for the first alone, as a tie, and the half-effect run said nowhere."""
    follow_up = result()
    follow_up.beside = [SimpleNamespace(scenario="b")]
    said = short_answer(follow_up)
    assert ("In short: Against b, set beside the sweep's runs (--with), by net gain per year, paired "
            "[95% CI], of 2, 1 settled above it, 1 settled below it: a +5 [" in said), said
    assert "] (settled above it); c 0 [" in said and "] (settled below it)." in said, said
    # first: it is the follow-up's question; the first's sentences follow, 'It' after its name
    assert said.index("Against b") < said.index(" a comes first") < said.index("Its lead"), said
    assert "set beside" not in short_answer(result())


def test_a_first_the_replications_cannot_tell_from_others_says_so():
    tied = result({**GAINS, "b": [4.0, 7.0, 6.5], "c": [6.0, 4.0, 7.5]})
    # what may decide between them said beside each: a strategist was told time to pay back decides;
    # with its band's months ('month 8' alone was read as settled where the band left it open: a walk)
    assert short_answer(tied).endswith(
        "It cannot be told apart in net gain from b (which pays back in month 7 on average (its band: "
        "between month 5 and month 9)); c (which pays back in month 7 on average (its band: between month 5 "
        "and month 9)): the interval of each difference includes 0, so more replications, or cost, risk and "
        "time to pay back, decide.")
    tied.scenarios = tied.scenarios.assign(payback_months_ci_high=math.nan)
    assert ("from b (which pays back in month 7 on average (its band: month 5 at the earliest, or not "
            "within the 30 months measured)); c (") in short_answer(tied)
    tied.scenarios = tied.scenarios.assign(payback_months_ci_high=9.0)
    tied.scenarios = tied.scenarios.assign(first_year_net_gain_usd=1e5,
                                           payback_months=[7.0, math.nan, 3.0, 7.0])
    assert "from b (which does not pay back within the 30 months measured and gains +100,000 in its own " \
        "first 12 months); c (which pays back in month 3 on average (its band: between month 5 and " \
        "month 9) and gains +100,000 in its own first 12 months):" \
        in short_answer(tied)
    # a loss in the first year is said as one, not 'gains -100,000' (a strategist's walk)
    tied.scenarios = tied.scenarios.assign(first_year_net_gain_usd=-1e5)
    assert "(its band: between month 5 and month 9) and loses 100,000 in its own first 12 months):" in \
        short_answer(tied)


def test_a_gain_not_settled_above_zero_and_a_first_below_the_baseline():
    unsure = result(net_gain_ci_low=-1.0, net_gain_ci_high=13.0)
    assert "Its net gain is not settled above zero (the interval includes 0): it may return nothing." in \
        short_answer(unsure)
    losing = result({"base": [0.0] * 3, "a": [-1.0, -2.0, -1.5]}, net_gain_ci_low=-3.0, net_gain_ci_high=-1.0)
    said = short_answer(losing)
    assert said.startswith("In short: the baseline (doing nothing) ranks first by the net gain per year; "
                           "the first of the scenarios, a, ranks below it, -2 [-3, -1] a year against")
    assert "Its net gain is settled below zero: doing nothing does better." in said


def test_other_rankings_give_the_net_gain_beside_their_own_figure():
    by_bookings = short_answer(result(rank_by="bookings", diff_vs_baseline=10.0, diff_ci_low=8.0,
                                      diff_ci_high=12.0))
    assert by_bookings.startswith(
        "In short: a comes first by the change in bookings per year, +10 [+8, +12] a year against the "
        "baseline (paired, 95% CI), with a net gain of +6 [+5, +7] a year; it pays back")


def test_a_payback_the_band_or_the_mean_leaves_open():
    """Said as the report's 'In short' says it (comparison_table.payback_words): '7 [5, 9]' was
    read as an interval of the month."""
    late = short_answer(result(payback_months_ci_high=math.nan))
    assert "month 5 at the earliest, or not within the 30 months measured);" in late
    never = short_answer(result(payback_months=math.nan, payback_months_ci_high=math.nan))
    assert ("; on average it does not pay back within the 30 months measured (by the 95% band of its "
            "cumulative net gain, month 5 at the earliest);") in never
    assert "cumulative net gain, month 7);" in short_answer(result(payback_months_ci_low=7.0,
                                                                   payback_months_ci_high=7.0))
    assert "pays back" not in short_answer(result(window_months=0))  # it never differs: no curve


def test_one_replication_and_a_discounted_npv_say_what_they_are():
    one = short_answer(result(net_gain_ci_low=math.nan, net_gain_ci_high=math.nan, pairs=1))
    assert "+6 [no CI] a year against the baseline;" in one and "(paired" not in one
    npv = SimpleNamespace(**{**vars(result(rank_by="npv", npv_usd=20.0, npv_ci_low=18.0, npv_ci_high=22.0)),
                             "discount_rate": 0.1})
    assert short_answer(npv).startswith(
        "In short: a comes first by the net present value of the window at 10%/yr, +20 [+18, +22] against "
        "the baseline (paired, 95% CI), with a net gain of +6 [+5, +7] a year;")


def test_a_first_over_another_window_is_said_so_and_not_read_against_the_baseline_windows_notes():
    """A review: the first of the ranking measured another window; the notes read the first over the
    baseline's window, and the short answer had said another's first year was behind it."""
    other = result({"long": [9.0] * 3, **GAINS})  # over another window, first
    other.scenarios["other_window"] = other.scenarios.scenario == "long"
    other.scenarios = other.scenarios.assign(first_year_net_gain_usd=[9.0, 1.0, 3.0, 4.0, math.nan],
                                             first_year_net_gain_ci_low=8.0, first_year_net_gain_ci_high=10.0)
    said = short_answer(other)
    assert said.startswith("In short: long comes first by the net gain per year (it measures another "
                           "window than the baseline's, sim.years or sim.warmup_months: its yearly figures "
                           "are partly the window's), ")
    assert "By net gain per year over the baseline's window, a comes first." in said
    # after what is said of the first: the 'Its' that followed it was read as a's (a review)
    assert said.index("By net gain per year") > said.index("+9 [+8, +10].")
    assert "+9 [+8, +10]." in said and "more in" not in said  # its own first year, no one ahead of it


def test_few_replications_and_a_first_year_led_by_others_are_said():
    few = result(pairs=3)
    assert short_answer(few).endswith(
        "With 3 replications, the intervals' own width is uncertain: rerun with sim.replications=10 or "
        "more before committing a budget.")
    # the first's own replications: a run beside it with fewer said 1 while it had 3 (a review)
    fewer = result(pairs=3)
    fewer.scenarios.loc[fewer.scenarios.scenario == "c", "pairs"] = 1
    assert "With 3 replications" in short_answer(fewer) and "With 1" not in short_answer(fewer)
    later = result()  # b and c ahead in year 1
    later.scenarios = later.scenarios.assign(first_year_net_gain_usd=[10.0, 30.0, 40.0, math.nan],
                                             first_year_net_gain_ci_low=5.0, first_year_net_gain_ci_high=15.0)
    said = short_answer(later)
    assert "Over its first 12 months from launch it gains +10 [+5, +15]; 2 scenarios ranked below it " \
        "gain more in theirs on average (named above)." in said, said
    one = result()  # b alone ahead in year 1
    one.scenarios = one.scenarios.assign(first_year_net_gain_usd=[10.0, 30.0, 4.0, math.nan],
                                         first_year_net_gain_ci_low=5.0, first_year_net_gain_ci_high=15.0)
    assert "; 1 scenario ranked below it gains more in its own on average (named above)." in short_answer(one)
    # the yearly figure is that year's
    assert "Over its first 12 months" not in short_answer(result(window_months=12))
    # discounted (--discount-rate), the curve is a present value; a table without the band has no interval
    later.discount_rate = 0.08
    assert "Over its first 12 months from launch it gains at its present value +10 [+5, +15]" in \
        short_answer(later)
    later.scenarios = later.scenarios.drop(columns=["first_year_net_gain_ci_low",
                                                    "first_year_net_gain_ci_high"])
    assert "it gains at its present value +10 [no CI]" in short_answer(later)
    later.scenarios = later.scenarios.assign(first_year_net_gain_usd=[-10.0, 30.0, 40.0, math.nan])
    assert "from launch its net gain at its present value is -10 [no CI]" in short_answer(later)


def test_a_budget_says_what_the_first_beyond_it_costs_over_it_and_returns():
    """A strategist under a budget of 300k was not told that the first without it, 50k over it,
    returns +2.1 M a year more: how much more budget buys is what they negotiate."""
    held = result()
    held.scenarios = held.scenarios.assign(within_budget=held.scenarios.scenario != "a",
                                           first_year_investment_usd=[3.5e5, 1e5, 1e5, math.nan])
    held.budget = 3e5
    said = short_answer(held)
    assert said.startswith("In short: b comes first within the budget by the net gain per year")
    assert said.endswith("Without the budget, a comes first by the net gain per year: its first year's "
                         "investment, +350,000, is 50,000 over it; its net gain is +6 a year against the "
                         "baseline (the first within it: +1)."), said
    held.scenarios["within_budget"] = held.scenarios.baseline  # none fits: the first beyond it is said
    assert short_answer(held) == (
        "In short: no scenario fits the budget. Without the budget, a comes first by the net gain per year: "
        "its first year's investment, +350,000, is 50,000 over it; its net gain is +6 a year against the "
        "baseline.")
    held.scenarios["within_budget"] = True  # the first fits: nothing beyond it to say
    assert "Without the budget" not in short_answer(held)
    # doing nothing ranks above the first beyond the budget: more budget buys no gain, and is not said
    losing = result({"base": [0.0] * 3, "a": [-1.0] * 3, "b": [-2.0] * 3})
    losing.scenarios = losing.scenarios.assign(within_budget=losing.scenarios.scenario != "a",
                                               first_year_investment_usd=[math.nan, 3.5e5, 1e5])
    losing.budget = 3e5
    assert "Without the budget" not in short_answer(losing)


def _assumed_in_the_report(job) -> str:
    from salessim.short_answer import assumed_effects
    return assumed_effects(SimpleNamespace(jobs=[job]), job.scenario, where="below")  # as report.py says it


def test_the_effect_sizes_the_intervals_rest_on_are_said_where_the_first_invests():
    """A strategist read 'settled' as a certainty about the investment: the intervals are the
    simulation's chance at the effects the investments are given."""
    from salessim.short_answer import assumed_effects

    job = SimpleNamespace(scenario="a", manifest={"investments": {"crm": {"kind": "tools"}}})
    assert assumed_effects(SimpleNamespace(jobs=[job]), "a") == (
        "Its intervals measure the simulation's chance alone, at the effect sizes assumed for it "
        "(report.html, 'What the investments assume').")
    assert _assumed_in_the_report(job).endswith("(below, 'What the investments assume').")
    job.manifest = {"investments": {}}  # a setting's change, no investment: nothing assumed
    assert assumed_effects(SimpleNamespace(jobs=[job]), "a") == "" == assumed_effects(result(), "a")


def test_the_terminal_ends_with_the_short_answer(sweep, tmp_path, capsys):  # noqa: F811
    copy = copy_sweep(sweep, tmp_path / "s")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    paragraphs = out.strip().split("\n\n")
    assert paragraphs[-2].startswith("In short: ") and paragraphs[-1].startswith("results in ")


def test_the_reports_in_short_says_the_first_beyond_the_budget():
    """The report's answer says what the terminal's does: a strategist reading report.html alone
    was not told what more budget would buy (the assumed effects' sentence: above, by its 'where')."""
    from salessim.report import _in_short

    held = result()
    held.scenarios = held.scenarios.assign(within_budget=held.scenarios.scenario != "a",
                                           first_year_investment_usd=[3.5e5, 1e5, 1e5, math.nan])
    held.budget, held.discount_rate, held.jobs = 3e5, 0.0, []
    held.payback = pd.DataFrame(columns=["scenario", "months_after_start"])
    held.table = pd.DataFrame(columns=["scenario", "metric"])
    text = "".join(_in_short(held, "", {}))
    assert "Without the budget, a comes first by the net gain per year: its first year&#x27;s investment, " \
        "+350,000, is 50,000 over it" in text, text
    # none fits: the answer says so and what the first beyond it costs, as the terminal's does
    held.scenarios["within_budget"] = held.scenarios.baseline
    text = "".join(_in_short(held, "", {}))
    assert "<p class='answer'>No scenario fits the budget. Without the budget, a comes first" in text, text
    # the first's settled lead said in the answer, not again in the list below it (a walk)
    held.scenarios["within_budget"] = True
    text = "".join(_in_short(held, "", {}))
    assert "over each of the other 2 is settled" in text.split("</p>")[0] and "The lead of a" not in text


def test_a_first_that_saves_investment_and_a_baseline_that_invests_are_said_as_such():
    """A review: 'its extra investment ... is -83,333', and 'the baseline (doing nothing)' for a
    baseline that invests."""
    saving = result()
    saving.scenarios = saving.scenarios.assign(first_year_investment_usd=-83_333.0)
    assert "; in its first 12 months from launch it spends 83,333 less on investments than the baseline." \
        in short_answer(saving)
    from salessim.config import Config
    below = result({"base": [0.0] * 3, "a": [-1.0, -2.0, -1.5]})
    invests = Config()
    invests.investment = {"crm": {"kind": "tools"}}
    below.baseline = SimpleNamespace(scenario="base", cfg=invests)
    assert short_answer(below).startswith("In short: the baseline ranks first by the net gain per year; ")
    below.baseline.cfg = Config()
    assert short_answer(below).startswith("In short: the baseline (doing nothing) ranks first")


def test_a_net_gain_made_by_spending_less_is_said_to_be_a_saving():
    """A strategist's walk: a pay cut came first 'paying back in month 1' and a quota stretch ranked
    sixth on a commission saving, while bookings fell and more sellers left, with neither said in
    the terminal. A scenario that spends less, settled, and nothing extra (no ROI) is named with
    what it saves and what its bookings and (where it rises, settled) its turnover do; where its
    net gain is above 0 and its bookings not settled above the baseline's, the gain is a saving,
    not more selling. A saving whose interval includes 0 (commission moving by chance) is not one."""
    from salessim.config import Config
    from salessim.ranking_notes import spends_less_note

    cut = result({k: GAINS[k] for k in ("a", "b", "base")}, roi=math.nan)
    cut.baseline = SimpleNamespace(scenario="base", label="base (job 0)", cfg=Config(), manifest={})
    rows = cut.scenarios
    rows.loc[rows.scenario == "a", ["incremental_cost_usd_per_year", "diff_vs_baseline", "diff_ci_low",
                                    "diff_ci_high"]] = [-1.3e6, -2e5, -9e5, 5e5]
    rows.loc[rows.scenario == "b", "incremental_cost_usd_per_year"] = 4e4  # spends more: not named
    cut.values["a"] = cut.values["a"].assign(total_cost_usd=[-1.31e6, -1.3e6, -1.29e6],
                                             seller_turnover_rate=[0.37, 0.38, 0.39])
    cut.values["base"] = cut.values["base"].assign(seller_turnover_rate=[0.30, 0.31, 0.29])
    said = short_answer(cut)
    assert ("Its net gain is a saving, not more selling: it spends 1,300,000 less, its bookings change by "
            "-200,000 [-900,000, +500,000] and its turnover rises +8.0 pp [") in said, said
    note = spends_less_note(cut)
    assert note.startswith("Spending less than the baseline, a saving settled (no ROI: nothing extra "
                           "spent), paired, per year [95% CI]: a spends 1,300,000 less, its bookings "
                           "change by "), note
    assert " b " not in note, note
    assert "]: its net gain is a saving, not more selling. What each saves" in note, note
    # fewer of its sellers making quota, settled: said too (a walk found a quota stretch first within a
    # budget, 11% of its sellers making quota against 48%, unsaid in the answer)
    cut.values["a"] = cut.values["a"].assign(quota_attainment_share=[0.10, 0.12, 0.11])
    cut.values["base"] = cut.values["base"].assign(quota_attainment_share=[0.47, 0.48, 0.46])
    assert ("its bookings change by -200,000 [-900,000, +500,000], its turnover rises +8.0 pp ["
            in short_answer(cut)) and "] and its sellers making quota fall -36.0 pp [" in short_answer(cut)
    cut.other_quotas = {"a": {None}}  # it sets quotas of its own (the table's ‡): partly theirs
    assert "] against quotas of its own." in short_answer(cut), short_answer(cut)
    del cut.other_quotas
    cut.values["a"] = cut.values["a"].assign(quota_attainment_share=[0.47, 0.48, 0.46])
    # turnover not settled above the baseline's: not said
    cut.values["a"] = cut.values["a"].assign(seller_turnover_rate=[0.25, 0.38, 0.30])
    assert "turnover" not in spends_less_note(cut)
    # bookings settled above the baseline's: the saving comes with more selling, and is not called one
    rows.loc[rows.scenario == "a", ["diff_vs_baseline", "diff_ci_low"]] = [6e5, 1e5]
    assert "a saving, not" not in short_answer(cut) and "a saving, not" not in spends_less_note(cut)
    # a saving by chance (its interval includes 0, a review), or with one replication: no note
    cut.values["a"] = cut.values["a"].assign(total_cost_usd=[-2.6e6, -1.3e6, 0.1e6])
    assert spends_less_note(cut) == ""
    cut.values = {n: v.iloc[:1] for n, v in cut.values.items()}
    assert spends_less_note(cut) == ""


def test_a_baseline_that_is_the_sweeps_first_job_is_not_called_doing_nothing():
    """A sweep of org.sellers=90,80 measures against its first job, itself a cut: the answer called
    it 'the baseline (doing nothing)' (a strategist's walk)."""
    below = result(net_gain_ci_low=-3.0, net_gain_ci_high=-1.0, net_gain_usd_per_year=-2.0)
    from salessim.config import Config

    below.baseline = SimpleNamespace(scenario="base", label="base (job 0)", cfg=Config(), manifest={})
    assert "the baseline (doing nothing) ranks first" in short_answer(below)
    below.baseline_said_as = "the sweep's first job"
    said = short_answer(below, {"base": "org.sellers=90"})
    assert said.startswith("In short: the baseline, org.sellers=90, the sweep's first job, ranks first"), said


@pytest.fixture(scope="module")
def cut_sweep(tmp_path_factory):
    """Two FSM salaries over two horizons, none at the usual 200,000: the first job, 250,000, is the
    baseline, and 150,000 spends less and changes nothing else (a few seconds)."""
    folder = tmp_path_factory.mktemp("cut") / "sweep"
    done = run_cli("-m", "org=small", "fsm.salary_usd=250000,150000", "sim.years=1,1.5",
                   "sim.warmup_months=2", "sim.replications=3", f"hydra.sweep.dir={folder}")
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


@pytest.mark.parametrize("window", [("--years", "1"), ("--years", "1.5")])  # the baseline's, and another
def test_a_saving_against_the_sweeps_first_job_end_to_end(cut_sweep, tmp_path, capsys, window):
    """A review: the answer named the first-job baseline but still said 'doing nothing does better',
    and under --years (whose rules reword the baseline's reason) called it doing nothing again. A
    cheaper FSM that changes no deal gains by its saving alone: the terminal and the report say so."""
    out_dir = tmp_path / "c"
    code, out, err = compare_in_process(capsys, str(cut_sweep), *window, "--no-plots", "--out", str(out_dir))
    assert code == 0, err
    said = " ".join(out.split())
    short = said.split("In short: ")[1]
    assert "doing nothing" not in short, short
    assert short.startswith("fsm.salary_usd=150000 comes first by the net gain per year"), short
    assert ("Its net gain is a saving, not more selling: it spends 200,000 less (FSMs -200,000), its "
            "bookings change by 0 [0, 0].") in short, short
    assert ("Spending less than the baseline, a saving settled (no ROI: nothing extra spent), paired, per "
            "year [95% CI]: fsm.salary_usd=150000 spends 200,000 less (FSMs -200,000), its bookings change "
            "by 0 [0, 0]: its net gain is a saving, not more selling.") in said, said
    report = " ".join((out_dir / "report.html").read_text().split())
    assert "Spending less than the baseline, a saving settled" in report
    # the first job as the baseline, against which the cheaper one is settled above: no 'doing nothing'
    assert "the sweep's first job" not in short  # it ranks below the first, which says its own


@pytest.fixture(scope="module")
def dearer_sweep(tmp_path_factory):
    """The cheaper FSM first: it is the baseline, and the dearer one loses its extra salary."""
    folder = tmp_path_factory.mktemp("dearer") / "sweep"
    done = run_cli("-m", "org=small", "fsm.salary_usd=150000,250000", "sim.years=1", "sim.warmup_months=2",
                   "sim.replications=3", f"hydra.sweep.dir={folder}")
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


def test_a_first_job_baseline_that_ranks_first_is_not_doing_nothing(dearer_sweep, tmp_path, capsys):
    """A review: 'the baseline, X, the sweep's first job, ranks first ... Its net gain is settled
    below zero: doing nothing does better', of a baseline that is one of the settings compared."""
    code, out, err = compare_in_process(capsys, str(dearer_sweep), "--no-plots", "--out", str(tmp_path / "c"))
    assert code == 0, err
    short = " ".join(out.split()).split("In short: ")[1]
    assert short.startswith("the baseline, fsm.salary_usd=150000, the sweep's first job, ranks first"), short
    assert "Its net gain is settled below zero: the baseline does better." in short, short
    assert "doing nothing" not in short, short
