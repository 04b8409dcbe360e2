"""Random streams: one SeedSequence per replication, one named child stream per activity.

Replication ``r`` of any scenario is seeded by ``SeedSequence((seed, r))`` alone, so every
scenario of a sweep sees the same replication seeds (common random numbers). Each activity draws
from its own stream, spawned in sorted-name order (streams added since, after them), so adding
draws to one activity does not shift the numbers another activity sees. Draws are made in blocks
(numpy is fast per block, slow per call) and handed out one at a time.
"""

from __future__ import annotations

import math
from itertools import chain, repeat
from operator import methodcaller

import numpy as np

# Sorted on purpose: the spawn order fixes which child seed each activity gets. A stream added
# since ("customers", then "roles") is spawned after them, in the order added, so the others keep their seeds
# (and a run that does not draw from it, its numbers).
STREAM_NAMES = tuple(sorted((
    "accounts", "attrition", "buying_group", "competition", "decision",
    "deal_value", "delivery", "escalation", "hiring", "inbound", "interaction", "leads",
    "response", "sellers",
))) + ("customers", "roles")

_BLOCK = 2048


def _served(draw_block):
    """Scalars from blocks of ``draw_block(_BLOCK)``; a new block is drawn when the last is used.

    Built from C iterators (no Python frame per scalar). Lazily, as the generator it replaced: a
    block is drawn, and turned into Python floats, at the first call after the last scalar of
    the block before was handed out, so draws from the same numpy Generator interleave as before.
    """
    return chain.from_iterable(map(methodcaller("tolist"), map(draw_block, repeat(_BLOCK))))


class Stream:
    """A numpy Generator that serves scalars from pre-drawn blocks.

    ``uniform``, ``std_normal`` and ``std_exponential`` are the bound ``__next__`` of an iterator
    over blocks: one C-level call per scalar, a fraction of the cost of a Python method, for the
    model's hot paths. The methods below wrap them for readable code elsewhere. A stream is not
    meant to be pickled or copied (a copy would hand out the same numbers twice): each
    replication builds its own.
    """

    __slots__ = ("gen", "uniform", "std_normal", "std_exponential")

    def __init__(self, seed_seq: np.random.SeedSequence) -> None:
        self.gen = np.random.Generator(np.random.PCG64(seed_seq))
        self.uniform = _served(self.gen.random).__next__
        self.std_normal = _served(self.gen.standard_normal).__next__
        self.std_exponential = _served(self.gen.standard_exponential).__next__

    def random(self) -> float:
        return self.uniform()

    def normal(self, mean: float = 0.0, sd: float = 1.0) -> float:
        return mean + sd * self.std_normal()

    def exponential(self, mean: float) -> float:
        return mean * self.std_exponential()

    def integers(self, low: int, high_inclusive: int) -> int:
        return low + int(self.uniform() * (high_inclusive - low + 1))

    def lognormal(self, median: float, sigma: float) -> float:
        return median * math.exp(self.normal(0.0, sigma))

    # Python 3.11 can pickle the iterators and 3.14 cannot: refuse on every version alike
    # (pickle, copy and deepcopy all ask this method).
    def __reduce__(self):
        raise TypeError("a random Stream cannot be pickled or copied; build one per replication")


class Streams:
    """The named streams of one replication.

    Slots, not a ``__getattr__`` for a friendlier error: a class with ``__getattr__`` makes every
    attribute read take Python's slow path, and the journeys read a stream at every round.
    """

    __slots__ = ("seed_sequence",) + STREAM_NAMES

    def __init__(self, seed: int, replication: int) -> None:
        self.seed_sequence = np.random.SeedSequence((seed, replication))
        children = self.seed_sequence.spawn(len(STREAM_NAMES))
        for name, child in zip(STREAM_NAMES, children):
            setattr(self, name, Stream(child))
