"""Detached processes (model/detached.py) behave like SimPy processes for what journeys use."""

import pytest
import simpy

from salessim.model.detached import call_after, start_detached


def test_runs_at_once_and_resumes_with_event_values():
    env = simpy.Environment()
    seen = []

    def gen():
        seen.append(("start", env.now))
        got = yield env.timeout(2.0, value="two")
        seen.append((got, env.now))
        ev = env.event()
        env.timeout(1.0).callbacks.append(lambda _: ev.succeed(True))
        got = yield ev
        seen.append((got, env.now))

    start_detached(env, gen())
    assert seen == [("start", 0.0)]  # ran up to its first yield, no start event
    env.run()
    assert seen == [("start", 0.0), ("two", 2.0), (True, 3.0)]


def test_the_clock_the_model_reads_is_simpys():
    """The model's hot paths read ``env._now``, behind SimPy's ``now`` property."""
    env = simpy.Environment(initial_time=3.0)
    seen = []

    def gen():
        for days in (0.5, 2.0, 0.0):
            yield days
            seen.append((env._now, env.now))

    start_detached(env, gen())
    env.run()
    assert seen == [(3.5, 3.5), (5.5, 5.5), (5.5, 5.5)]


def _trace(start, pause):
    """Four workers started half a day apart, each pausing three times; the pauses end together
    (and a zero pause ties with a timeout of zero) so the order among ties is checked too."""
    env = simpy.Environment()
    log = []

    def worker(i):
        for k in range(3):
            yield pause(env, [2.0 - 0.5 * i, 1.0, 0.25 * (i % 2)][k])
            log.append((i, k, env.now))
            env.timeout(0.0).callbacks.append(lambda _, i=i, k=k: log.append(("t", i, k)))

    def source():
        for i in range(4):
            start(env, worker(i))
            yield env.timeout(0.5)

    env.process(source())
    env.run()
    return log, env.now, next(env._eid)


def _timeout(env, days):
    return env.timeout(days)


def test_same_order_and_times_as_a_simpy_process():
    # A SimPy process has start and end events of its own, so only the event ids differ.
    assert _trace(start_detached, _timeout)[:2] == _trace(simpy.Environment.process, _timeout)[:2]


def test_a_number_yielded_pauses_exactly_as_a_timeout():
    # The same event ids as well: every later event keeps its place in the queue.
    assert _trace(start_detached, lambda env, days: float(days)) == _trace(start_detached, _timeout)


def test_an_already_processed_event_resumes_at_once():
    env = simpy.Environment()
    done = env.event().succeed("x")
    env.run()  # processes it
    out = []

    def gen():
        out.append((yield done))

    start_detached(env, gen())
    assert out == ["x"]


def test_a_failed_event_is_thrown_into_the_generator_and_an_error_escapes():
    env = simpy.Environment()
    caught = []

    def handles():
        ev = env.event()
        env.timeout(1.0).callbacks.append(lambda _: ev.fail(ValueError("bad")))
        try:
            yield ev
        except ValueError as e:
            caught.append(str(e))

    def breaks():
        yield env.timeout(2.0)
        raise RuntimeError("journey bug")

    start_detached(env, handles())
    start_detached(env, breaks())
    with pytest.raises(RuntimeError, match="journey bug"):
        env.run()
    assert caught == ["bad"]


def test_call_after_is_scheduled_as_a_timeout_callback():
    def trace(after):
        env = simpy.Environment()
        log = []
        for i, d in enumerate([2.0, 1.0, 2.0, 0.0, 1.0]):
            after(env, d, lambda _, i=i: log.append((i, env.now)))
            env.timeout(d).callbacks.append(lambda _, i=i: log.append(("t", i, env.now)))
        env.run()
        return log

    assert trace(call_after) == trace(lambda env, d, f: env.timeout(d).callbacks.append(f))
    with pytest.raises(ValueError, match="Negative delay"):
        call_after(simpy.Environment(), -1.0, print)


def test_any_number_pauses_and_anything_else_is_refused():
    import numpy as np

    assert (_trace(start_detached, lambda env, days: np.float64(days) if days % 1 else int(days))
            == _trace(start_detached, _timeout))
    env = simpy.Environment()

    def wrong():
        yield "two days"

    with pytest.raises(TypeError, match="yields a SimPy event or a number of days, not 'two days'"):
        start_detached(env, wrong())
