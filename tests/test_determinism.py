"""Same config and seed -> identical tables; other seeds differ; replication seeds ignore the scenario."""

import pandas as pd
import pytest

from salessim.model.simulation import run_replication
from salessim.rng import Streams
from salessim.runner import run_scenario
from tests.conftest import clone

TABLES = ("summary", "opportunities", "sellers", "kpis", "fsm_months")


def _tables(cfg):
    res = run_scenario(cfg, progress=False)
    return {n: getattr(res, n).drop(columns=["wall_seconds"], errors="ignore") for n in TABLES}


def test_same_seed_gives_identical_tables(tiny):
    a, b = _tables(tiny), _tables(clone(tiny))
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


def test_different_seeds_differ(tiny):
    other = clone(tiny)
    other.sim.seed += 1
    a, b = _tables(tiny), _tables(other)
    assert not a["opportunities"].equals(b["opportunities"])
    assert a["summary"].bookings_usd.tolist() != b["summary"].bookings_usd.tolist()


def test_replications_differ_from_each_other(tiny):
    s = _tables(tiny)["summary"]
    assert s.bookings_usd.nunique() == len(s)


def test_replication_streams_depend_only_on_seed_and_replication():
    a, b = Streams(7, 3), Streams(7, 3)
    assert a.inbound.random() == b.inbound.random()
    assert Streams(7, 3).inbound.random() != Streams(7, 4).inbound.random()


def test_a_stream_serves_its_generators_blocks_lazily_and_in_order():
    """Scalars are numpy's blocks of 2,048 in order, as Python floats, and a block is drawn only
    when the one before is used up: other draws from the same Generator interleave as if every
    scalar had been drawn when it was asked for in blocks."""
    import numpy as np

    from salessim.rng import Stream

    stream = Stream(np.random.SeedSequence(5))
    reference = np.random.Generator(np.random.PCG64(np.random.SeedSequence(5)))
    served, expected = [], []
    for block in range(3):
        expected += reference.random(2048).tolist()
        served += [stream.uniform() for _ in range(2048)]
        # Between blocks, a direct draw from the same Generator (as lead counts are drawn).
        assert stream.gen.poisson(3.0) == reference.poisson(3.0)
    assert served == expected and all(type(x) is float for x in served[:5])


def test_a_stream_cannot_be_pickled_or_copied():
    import copy
    import pickle

    stream = Streams(7, 3).inbound
    for duplicate in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="cannot be pickled or copied"):
            duplicate(stream)


def test_common_random_numbers_across_scenarios(tiny):
    """A change that touches only FSMs leaves the first inbound leads of each replication alone."""
    other = clone(tiny)
    other.fsm.coaching_quality = 0.9
    a = run_replication(tiny, 0).tables["opportunities"]
    b = run_replication(other, 0).tables["opportunities"]
    first = lambda df: df[df.source == "inbound"].nsmallest(5, "lead_day")[["lead_day", "account_id"]]
    pd.testing.assert_frame_equal(first(a).reset_index(drop=True), first(b).reset_index(drop=True))


def test_no_global_random_state_is_touched(tiny):
    import random

    import numpy as np
    random.seed(1)
    np.random.seed(1)
    before = (random.random(), np.random.random())
    random.seed(1)
    np.random.seed(1)
    run_replication(tiny, 0)
    assert (random.random(), np.random.random()) == pytest.approx(before)


def test_progress_is_told_each_month_and_changes_nothing(tiny):
    ticks = []
    with_progress = run_replication(tiny, 0, on_month=lambda: ticks.append(1))
    without = run_replication(tiny, 0)
    assert len(ticks) == with_progress.calendar.months
    for name, df in without.tables.items():
        pd.testing.assert_frame_equal(with_progress.tables[name], df, check_exact=True)


def test_replications_in_worker_processes_give_the_same_tables(tiny):
    parallel = clone(tiny)
    parallel.sim.workers = 2
    a, b = _tables(tiny), _tables(parallel)
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], check_exact=True, obj=name)


def test_a_segments_account_spread_leaves_every_other_account_trait_as_it_was():
    """Common random numbers: every account draws its spend potential, even when the segment's
    spread is 0, so changing one segment's share leaves the accounts of every segment (status,
    network, culture) and the other segments' potentials as they were."""
    import simpy

    from salessim.model.organization import World
    from tests.conftest import study_config

    def accounts(share: float):
        key = "market__segments__mid_market__deal_value_account_share"
        world = World(study_config(**{key: share}), Streams(7, 0), simpy.Environment())
        return [(a.account_id, a.segment, a.is_customer, a.network, a.culture, a.potential)
                for t in world.territories for a in (*t.customers, *t.prospects)]

    spread, alike = accounts(0.5), accounts(0.0)
    assert [a[:5] for a in spread] == [a[:5] for a in alike]
    assert [a for a in spread if a[1] != "mid_market"] == [a for a in alike if a[1] != "mid_market"]
    assert {a[5] for a in alike if a[1] == "mid_market"} == {1.0}
