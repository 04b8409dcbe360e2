"""Detached processes: generators driven by event callbacks, for the thousands of buying journeys.

A SimPy ``Process`` costs two events of its own: one to start it and one when it ends, so that
others can wait for it. Nothing ever waits for a buying journey, and a journey starts at the
moment its lead arrives, so both events are pure overhead -- a quarter of all events in a run.
A detached process runs its generator at once, up to its first ``yield``, and from then on is
resumed by the callback of each event it yields, through SimPy's public ``Event.callbacks``.
The FSMs' weeks and the inbound lead streams, which nothing waits for either, are detached too;
only the clock, which a run waits for, is a SimPy process.

A detached process may also yield a number: a pause of that many days (a ``float`` takes the
fast path), scheduled exactly as
``env.timeout(days)`` would be (same time, priority and event id, so the same order), but without
building a SimPy ``Timeout``: the rounds of interaction pause this way, and it saves three Python
calls per round (``env.timeout``'s binding, ``Timeout.__init__``, ``Environment.schedule``).
``call_after`` schedules a plain callback the same way. Both rely on SimPy 4's queue entries,
``(time, priority, event id, event)``, which tests/test_detached.py checks against SimPy's own.
For the same reason the model's hot paths read the clock as ``env._now``, behind SimPy's ``now``
property: a property is a Python call, and the clock is read about twice per event (2% of a run).

Unlike a SimPy process, a detached one is not ``env.active_process`` while it runs, cannot be
waited for or interrupted, and a journey started with no delay runs its first steps inside the
step of whatever started it (an inbound stream, itself detached): an error there surfaces from
``env.run`` as it was raised, naming no process.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Generator
from heapq import heappush

import simpy
from simpy.events import NORMAL


class _Wake:
    """A timeout reduced to what SimPy's ``step`` reads of an event: its callbacks, and success."""

    __slots__ = ("callbacks",)
    _ok = True
    _value = None


_START = _Wake()  # what a new generator is resumed with, as if by an event: send(None) starts it


def call_after(env: simpy.Environment, delay: float, callback: Callable) -> None:
    """Call ``callback(event)`` in ``delay`` days, scheduled as ``env.timeout(delay)`` would be."""
    if delay < 0.0:
        raise ValueError(f"Negative delay {delay}")
    wake = _Wake()
    wake.callbacks = (callback,)  # SimPy only iterates it; a tuple is one allocation
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), wake))


class Detached:
    """Drives one generator. It is referenced only by the event it waits on, so it (and the
    journey's state) is freed by reference counting as soon as the generator returns."""

    __slots__ = ("_generator", "_env")

    def __init__(self, env: simpy.Environment,
                 generator: Generator[simpy.Event | float, object, None]) -> None:
        self._generator = generator
        self._env = env
        self._resume(_START)

    def _resume(self, event: simpy.Event | _Wake) -> None:
        # Runs once per journey event, so it reads SimPy's ``_ok`` and ``_value`` behind the
        # ``ok`` and ``value`` properties, as SimPy's own Process does.
        while True:
            try:
                if event._ok:
                    event = self._generator.send(event._value)
                else:  # hand the failure to the generator (SimPy would hand it a copy)
                    event.defused = True
                    event = self._generator.throw(event._value)
            except StopIteration:
                return
            if event.__class__ is float:  # a pause of that many days
                call_after(self._env, event, self._resume)
                return
            try:
                callbacks = event.callbacks
            except AttributeError:  # not an event: another kind of number, or a mistake
                if not isinstance(event, numbers.Real):
                    raise TypeError("a detached process yields a SimPy event or a number of days, "
                                    f"not {event!r}") from None
                call_after(self._env, float(event), self._resume)
                return
            if callbacks is not None:
                callbacks.append(self._resume)
                return
            # Already processed: go on at once with its value, as a SimPy process would.


def start_detached(env: simpy.Environment,
                   generator: Generator[simpy.Event | float, object, None]) -> None:
    """Run ``generator`` now, as a detached process (see the module's docstring)."""
    Detached(env, generator)
