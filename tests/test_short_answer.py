"""The terminal's short answer (salessim.short_answer): the first of the ranking, what it returns,
when it pays back and whether its lead holds, in a few lines printed last."""

import math
from types import SimpleNamespace

import pandas as pd

from salessim.short_answer import short_answer
from tests.test_compare import _scenario, compare_in_process, copy_sweep, sweep  # noqa: F401 (fixture)


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
        "95% CI), and pays back in month 7 from its launch (its band: month 5 to 9). Its lead in net gain "
        "over each of the other 2 is settled.")
    two = result({k: GAINS[k] for k in ("a", "b", "base")})
    assert "Its lead in net gain over the other, b, is settled." in short_answer(two)
    assert short_answer(result({"base": [0.0] * 3})) == ""  # nothing compared with the baseline


def test_a_first_the_replications_cannot_tell_from_others_says_so():
    tied = result({**GAINS, "b": [4.0, 7.0, 6.5], "c": [6.0, 4.0, 7.5]})
    assert short_answer(tied).endswith(
        "It cannot be told apart in net gain from b; c (each interval of the difference includes 0): more "
        "replications, or cost, risk and time to pay back, decide.")


def test_a_gain_not_settled_above_zero_and_a_first_below_the_baseline():
    unsure = result(net_gain_ci_low=-1.0, net_gain_ci_high=13.0)
    assert "Its net gain is not settled above zero (the interval includes 0): it may return nothing." in \
        short_answer(unsure)
    losing = result({"base": [0.0] * 3, "a": [-1.0, -2.0, -1.5]}, net_gain_ci_low=-3.0, net_gain_ci_high=-1.0)
    said = short_answer(losing)
    assert said.startswith("In short: a comes first by the net gain per year, though it ranks below the "
                           "baseline (doing nothing), ")
    assert "Its net gain is settled below zero: doing nothing does better." in said


def test_other_rankings_give_the_net_gain_beside_their_own_figure():
    by_bookings = short_answer(result(rank_by="bookings", diff_vs_baseline=10.0, diff_ci_low=8.0,
                                      diff_ci_high=12.0))
    assert by_bookings.startswith(
        "In short: a comes first by the change in bookings per year, +10 [+8, +12] a year against the "
        "baseline (paired, 95% CI), with a net gain of +6 [+5, +7] a year, and pays back")


def test_a_payback_the_band_or_the_mean_leaves_open():
    late = short_answer(result(payback_months_ci_high=math.nan))
    assert "pays back in month 7 from its launch (its band: month 5 or not within the 30 months " \
        "measured)" in late
    never = short_answer(result(payback_months=math.nan))
    assert ", and does not pay back on average within the 30 months measured." in never
    assert "pays back" not in short_answer(result(window_months=0))  # it never differs: no curve


def test_few_replications_and_a_first_year_led_by_others_are_said():
    few = result(pairs=3)
    assert short_answer(few).endswith(
        "With 3 replications, rerun with sim.replications=10 or more before relying on it.")
    later = result()
    later.scenarios["first_year_net_gain_usd"] = [1.0, 3.0, 4.0, math.nan]  # b and c ahead in year 1
    said = short_answer(later)
    assert "In its first 12 months, 2 scenarios ranked below it gain more (named above)." in said


def test_the_terminal_ends_with_the_short_answer(sweep, tmp_path, capsys):  # noqa: F811
    copy = copy_sweep(sweep, tmp_path / "s")
    code, out, err = compare_in_process(capsys, str(copy), "--no-plots")
    assert code == 0, err
    paragraphs = out.strip().split("\n\n")
    assert paragraphs[-2].startswith("In short: ") and paragraphs[-1].startswith("results in ")
