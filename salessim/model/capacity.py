"""Seller time as a contended resource: a weekly bank of hours with a FIFO queue of waiting work.

Work that finds hours in the bank takes them at once (no SimPy event). Work that does not waits
in line until the next week's refill, so an overloaded territory stretches every cycle it holds.
Hours left unused at the week's end become prospecting and account-management time.
"""

from __future__ import annotations

import math
from collections import deque

import simpy


class _Waiter:
    __slots__ = ("need", "deadline", "event")

    def __init__(self, need: float, deadline: float, event: simpy.Event) -> None:
        self.need, self.deadline, self.event = need, deadline, event


class HoursBank:
    __slots__ = ("env", "left", "used", "_queue")

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.left = 0.0   # hours still free this week
        self.used = 0.0   # opportunity and qualification hours used since the last close
        self._queue: deque[_Waiter] = deque()

    def take_now(self, hours: float) -> bool:
        """Take ``hours`` at once if nothing waits ahead and the week still holds them."""
        if not self._queue and self.left >= hours:
            self.left -= hours
            self.used += hours
            return True
        return False

    def work(self, hours: float, deadline: float = math.inf):
        """Generator: take ``hours`` of this week's time, waiting for later weeks if needed.

        Returns True when the work is done, False when ``deadline`` passed before it was done:
        the work is dropped, and any hours already given to it are lost. Callers on a hot path
        try :meth:`take_now` first and fall back to this generator only when they must wait.
        """
        if self.take_now(hours):
            return True
        if math.isinf(deadline) and not self._queue:
            # Open-ended work starts now with what is left and finishes in later weeks.
            hours -= self.left
            self.used += self.left
            self.left = 0.0
        waiter = _Waiter(hours, deadline, self.env.event())
        self._queue.append(waiter)
        done = yield waiter.event
        return done

    def refill(self, hours: float) -> None:
        """Start a week with ``hours`` free and serve the queue in order."""
        self.left = hours
        now = self.env._now
        queue = self._queue
        while queue and self.left > 0.0:
            waiter = queue[0]
            if waiter.deadline < now:
                queue.popleft()
                waiter.event.succeed(False)
                continue
            take = min(waiter.need, self.left)
            self.left -= take
            self.used += take
            waiter.need -= take
            if waiter.need <= 1e-9:
                queue.popleft()
                waiter.event.succeed(True)

    def release(self) -> None:
        """Drop the work still waiting (at the end of a run). A waiting journey and the event it
        waits on hold each other, so the event lets go of it."""
        for waiter in self._queue:
            waiter.event.callbacks = None
        self._queue.clear()

    def close_week(self) -> tuple[float, float]:
        """(hours used on opportunities, hours left unused) since the last close; resets both."""
        used, left = self.used, self.left
        self.used, self.left = 0.0, 0.0
        return used, left
