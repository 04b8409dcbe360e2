"""Detached processes (model/detached.py) behave like SimPy processes for what journeys use."""

import pytest
import simpy

from salessim.model.detached import start_detached


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

    start_detached(gen())
    assert seen == [("start", 0.0)]  # ran up to its first yield, no start event
    env.run()
    assert seen == [("start", 0.0), ("two", 2.0), (True, 3.0)]


def test_same_order_and_times_as_a_simpy_process():
    def trace(start):
        env = simpy.Environment()
        log = []

        def worker(i):
            for k in range(3):
                yield env.timeout(0.5 + i + 0.25 * k)
                log.append((i, k, env.now))

        def source():
            for i in range(4):
                start(env, worker(i))
                yield env.timeout(0.3)

        env.process(source())
        env.run()
        return log, env.now

    assert trace(lambda env, g: start_detached(g)) == trace(lambda env, g: env.process(g))


def test_an_already_processed_event_resumes_at_once():
    env = simpy.Environment()
    done = env.event().succeed("x")
    env.run()  # processes it
    out = []

    def gen():
        out.append((yield done))

    start_detached(gen())
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

    start_detached(handles())
    start_detached(breaks())
    with pytest.raises(RuntimeError, match="journey bug"):
        env.run()
    assert caught == ["bad"]
