"""Keyed draws: a deal's, a seat-week's and a vacancy's numbers are found by their key, so two
scenarios give the same entity the same numbers however differently their other events went."""

import math
import warnings

import numpy as np
import pytest

from salessim.rng import Streams, poisson_quantile


def _first(draws, n):
    return ([draws.uniform() for _ in range(n)], [draws.std_normal() for _ in range(n)],
            [draws.std_exponential() for _ in range(n)])


def test_a_keys_draws_do_not_depend_on_what_was_drawn_before():
    keyed = Streams(7, 0).journeys
    alone = _first(keyed.draws(12345, 4, 4, 4), 40)  # past the block drawn at once: keyed chunks
    fresh = Streams(7, 0).journeys
    for key in (1, 99, 12344, 12346):  # other deals first, some using more than their block
        _first(fresh.draws(key, 4, 4, 4), 50)
    other = fresh.draws(12345, 4, 4, 4)
    assert _first(other, 40) == alone


def test_a_keys_numbers_are_the_same_every_time_and_its_own():
    """The same key gives the same numbers at the same block sizes, past the block too; other
    keys and other replications give others."""
    keyed = Streams(7, 0).journeys
    assert _first(keyed.draws(5, 8, 8, 8), 30) == _first(keyed.draws(5, 8, 8, 8), 30)
    assert keyed.draws(5, 8, 8, 8).uniform() != keyed.draws(6, 8, 8, 8).uniform()
    assert Streams(7, 1).journeys.draws(5, 8, 8, 8).uniform() != keyed.draws(5, 8, 8, 8).uniform()


def test_a_rows_numbers_do_not_depend_on_how_many_rows_the_table_has():
    """A week's table has a row per seat: a scenario with more seats (a coverage lever) gives
    the seats both have the same rows."""
    keyed = Streams(7, 0).lead_weeks
    assert keyed.uniform_rows(3 << 20, 5, 16) == keyed.uniform_rows(3 << 20, 9, 16)[:5]
    assert keyed.uniform_rows(3 << 20, 5, 16) != keyed.uniform_rows(4 << 20, 5, 16)


def test_neighbouring_keys_give_independent_uniform_numbers():
    """Keys a deal at a time apart (as the model makes them: an account's id shifted past its
    deal count) give numbers spread evenly and uncorrelated from one key to the next. A generator
    jumped to such keys in one period (PCG64 at multiples of 2**80) fails both: its numbers at
    those keys share their low bits."""
    keyed = Streams(11, 0).journeys
    first = np.array([keyed.draws(account << 20, 2, 2, 2).uniform() for account in range(3000)])
    counts, _ = np.histogram(first, bins=10, range=(0.0, 1.0))
    chi2 = ((counts - 300.0) ** 2 / 300.0).sum()
    assert chi2 < 27.9  # 9 degrees of freedom, p = 0.001
    assert abs(np.corrcoef(first[:-1], first[1:])[0, 1]) < 0.06  # 3.3 standard errors


def test_keyed_numbers_have_their_distributions():
    keyed = Streams(3, 0).journeys
    u, z, e = (np.array(x) for x in zip(*[[f() for f in (d.uniform, d.std_normal, d.std_exponential)]
                                           for d in (keyed.draws(k, 1, 1, 1) for k in range(4000))]))
    assert u.mean() == pytest.approx(0.5, abs=0.015) and u.var() == pytest.approx(1 / 12, abs=0.006)
    assert z.mean() == pytest.approx(0.0, abs=0.05) and z.std() == pytest.approx(1.0, abs=0.04)
    assert e.mean() == pytest.approx(1.0, abs=0.05) and e.min() >= 0.0


def test_keyed_draws_cannot_be_pickled_or_copied():
    import copy
    import pickle

    draws = Streams(7, 3).journeys.draws(1, 2, 2, 2)
    for duplicate in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="cannot be pickled or copied"):
            duplicate(draws)


@pytest.mark.parametrize("lam", [0.0, 0.3, 2.5, 40.0, 900.0])
def test_poisson_counts_by_inversion_have_the_poisson_distribution(lam):
    """The count at quantile u is the smallest k whose cumulative probability reaches u; over a
    fine grid of u the counts have the Poisson mean and variance (the rate of 900 takes the
    path in logs)."""
    grid = (np.arange(20000) + 0.5) / 20000
    counts = np.array([poisson_quantile(lam, u) for u in grid])
    assert counts.mean() == pytest.approx(lam, abs=0.01 + 0.002 * lam)
    assert counts.var() == pytest.approx(lam, abs=0.02 + 0.01 * lam)


@pytest.mark.parametrize("lam", [0.3, 2.5, 40.0, 699.0, 701.0])
def test_the_count_is_the_smallest_whose_cumulative_probability_reaches_u(lam):
    """Just below the cumulative probability of k the count is k, just above it k + 1, on both
    sides of the rate of 700 where the terms are built in logs; a u within rounding of 1 ends."""
    def term(k: int) -> float:
        return math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1))

    cumulative, k = 0.0, 0
    while cumulative < 0.999:
        cumulative += term(k)
        if term(k) > 1e-7 and term(k + 1) > 1e-7:  # u 1e-9 either side stays within k, k + 1
            assert poisson_quantile(lam, cumulative - 1e-9) == k
            assert poisson_quantile(lam, cumulative + 1e-9) == k + 1
        k += 1
    assert poisson_quantile(lam, 1.0 - 2.0 ** -53) < lam + 40.0 * math.sqrt(lam) + 40.0


def test_a_rate_that_is_not_a_number_is_refused():
    for lam in (math.nan, math.inf):
        with pytest.raises(ValueError, match="a rate of"):
            poisson_quantile(lam, 0.5)


def test_a_slightly_larger_rate_gives_the_same_count_or_one_more():
    """A rate 1% larger changes a count only where it must: one more, at about 1% × rate of
    the quantiles (the difference of the means), the rest the same."""
    grid = (np.arange(5000) + 0.5) / 5000
    for lam in (0.2, 1.0, 3.0, 12.0):
        lower = [poisson_quantile(lam, u) for u in grid]
        higher = [poisson_quantile(lam * 1.01, u) for u in grid]
        steps = {h - low for low, h in zip(lower, higher)}
        assert steps <= {0, 1}
        assert sum(h != low for low, h in zip(lower, higher)) <= 1.1 * 0.01 * lam * len(grid) + 2


def test_a_change_that_does_nothing_gives_the_baselines_tables():
    """Enablement content at no effect (its fees paid): every deal, seat and month as in the
    baseline, to the last digit."""
    import pandas as pd

    import salessim

    base = ["org.sellers=20", "sim.years=1", "sim.replications=2"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = salessim.run(base, progress=False)
        b = salessim.run(base + ["investment=[enablement_content]",
                                 "investment.enablement_content.effect_scale=0"], progress=False)
    pd.testing.assert_frame_equal(a.opportunities, b.opportunities, check_exact=True)
    assert a.summary.bookings_usd.tolist() == b.summary.bookings_usd.tolist()


def test_a_change_a_hundredth_of_an_investment_leaves_the_other_deals_as_they_were():
    """Common random numbers that hold: enablement content at a hundredth of its effect changes
    a few decisions; every other deal (the same account, lead day and value) is the same deal in
    both scenarios, and decides the same way. With streams shared by all deals, each changed
    decision moved every later draw to other deals: half of the deals were the same."""
    import salessim

    base = ["org.sellers=20", "sim.years=2", "sim.replications=2"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = salessim.run(base, progress=False).opportunities
        b = salessim.run(base + ["investment=[enablement_content]",
                                 "investment.enablement_content.effect_scale=0.01"],
                         progress=False).opportunities
    same = a.merge(b, on=["replication", "account_id", "lead_day", "value_usd"],
                   suffixes=("_a", "_b"))
    assert len(same) >= 0.9 * max(len(a), len(b))
    assert (same.outcome_a == same.outcome_b).mean() >= 0.98
