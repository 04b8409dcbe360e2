"""Random streams: one SeedSequence per replication, one named child stream per activity.

Replication ``r`` of any scenario is seeded by ``SeedSequence((seed, r))`` alone, so every
scenario of a sweep sees the same replication seeds (common random numbers). Each activity draws
from its own stream, spawned in sorted-name order, so adding draws to one activity does not
shift the numbers another activity sees. Draws are made in blocks (numpy is fast per block,
slow per call) and handed out one at a time.
"""

from __future__ import annotations

import math

import numpy as np

# Sorted on purpose: the spawn order fixes which child seed each activity gets.
STREAM_NAMES = tuple(sorted((
    "accounts", "attrition", "buying_group", "competition", "decision",
    "deal_value", "delivery", "escalation", "hiring", "inbound", "interaction", "leads",
    "response", "sellers",
)))

_BLOCK = 2048


class Stream:
    """A numpy Generator that serves scalars from pre-drawn blocks."""

    __slots__ = ("gen", "_u", "_ui", "_n", "_ni", "_e", "_ei")

    def __init__(self, seed_seq: np.random.SeedSequence) -> None:
        self.gen = np.random.Generator(np.random.PCG64(seed_seq))
        self._u: list[float] = []
        self._ui = 0
        self._n: list[float] = []
        self._ni = 0
        self._e: list[float] = []
        self._ei = 0

    def random(self) -> float:
        if self._ui >= len(self._u):
            self._u = self.gen.random(_BLOCK).tolist()
            self._ui = 0
        self._ui += 1
        return self._u[self._ui - 1]

    def normal(self, mean: float = 0.0, sd: float = 1.0) -> float:
        if self._ni >= len(self._n):
            self._n = self.gen.standard_normal(_BLOCK).tolist()
            self._ni = 0
        self._ni += 1
        return mean + sd * self._n[self._ni - 1]

    def exponential(self, mean: float) -> float:
        if self._ei >= len(self._e):
            self._e = self.gen.standard_exponential(_BLOCK).tolist()
            self._ei = 0
        self._ei += 1
        return mean * self._e[self._ei - 1]

    def integers(self, low: int, high_inclusive: int) -> int:
        return low + int(self.random() * (high_inclusive - low + 1))

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(self.normal(0.0, sigma))

    def poisson(self, lam: float) -> int:
        return int(self.gen.poisson(lam)) if lam > 0 else 0

    def bernoulli(self, p: float) -> bool:
        return self.random() < p


class Streams:
    """The named streams of one replication."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed_sequence = np.random.SeedSequence((seed, replication))
        children = self.seed_sequence.spawn(len(STREAM_NAMES))
        for name, child in zip(STREAM_NAMES, children):
            setattr(self, name, Stream(child))

    def __getattr__(self, name: str) -> Stream:  # only reached for unknown names
        raise AttributeError(f"no random stream named {name!r}; known: {', '.join(STREAM_NAMES)}")
