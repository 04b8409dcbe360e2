"""Random numbers: one SeedSequence per replication, named child streams, shared or keyed.

Replication ``r`` of any scenario is seeded by ``SeedSequence((seed, r))`` alone, so every
scenario of a sweep sees the same replication seeds (common random numbers). A shared stream
hands out numbers in the order the model asks (the accounts at the start, marketing's leads); a
keyed source gives each deal, seat-week and vacancy numbers of its own, found by its key, so
that two scenarios give the same entity the same numbers however their other events went
(docs/model.md, section 3). Draws are made in blocks (numpy is fast per block, slow per call)
and handed out one at a time.
"""

from __future__ import annotations

import math
from itertools import chain, repeat
from operator import methodcaller

import numpy as np

# The streams that entities share, drawn in the order events happen; spawned first, in this order.
STREAM_NAMES = ("accounts", "customers", "inbound", "sellers")
# The keyed sources: a month's exits, a seat's vacancies, an account's deals, a week's leads, and
# the buyer roles of a deal's stakeholders (apart, so that drawing roles moves no other draw).
# Spawned after the shared streams, in this order.
KEYED_NAMES = ("exits", "hires", "journeys", "lead_weeks", "roles")

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


class Keyed:
    """Numbers found by a key: the draws at a key are the same whatever was drawn before.

    A Philox generator (a counter-based generator: its numbers are a cipher of a counter under
    the replication's key, so any two counters give independent numbers, however alike), its
    counter set to ``key << 64`` for each key: one jump of a few µs, not a generator of its own
    (20 µs). Each key has 2**64 counters (4 numbers each) to itself. (PCG64 would not do: its
    states a multiple of a large power of two apart share their low bits, and their numbers are
    correlated; keys set side by side in its period make deals alike within a replication.)
    """

    __slots__ = ("bits", "gen", "_state", "_counter")

    def __init__(self, seed_seq: np.random.SeedSequence) -> None:
        self.bits = np.random.Philox(seed_seq)
        self.gen = np.random.Generator(self.bits)
        # The state at a key, set in one assignment: the counter's words 1 and 2 hold the key
        # (what advance(key << 64) from counter 0 makes, without its cost), no buffered numbers.
        # Its words as lists of Python ints, not numpy arrays: the state's setter reads them
        # element by element, a third of the time from a list (the same state, the same numbers).
        state = self.bits.state
        state["state"] = {name: words.tolist() for name, words in state["state"].items()}
        state["buffer"] = state["buffer"].tolist()
        self._state = state
        self._counter = state["state"]["counter"]

    def at(self, key: int) -> np.random.Generator:
        """The generator, at the start of ``key``'s numbers (``key`` below 2**128)."""
        counter = self._counter
        counter[1] = key & _WORD
        counter[2] = key >> 64
        self.bits.state = self._state
        return self.gen

    def uniform_rows(self, key: int, rows: int, width: int) -> list[list[float]]:
        """``rows`` lists of ``width`` uniforms at ``key``: row ``i`` is the same whatever the
        number of rows (a table filled row by row), so entity ``i`` can own row ``i``."""
        return self.at(key << 16).random((rows, width)).tolist()

    def uniforms(self, key: int, n: int) -> list[float]:
        """``n`` uniforms at ``key``: a table of one row."""
        return self.uniform_rows(key, 1, n)[0]

    def draws(self, key: int, uniforms: int, normals: int, exponentials: int) -> "KeyedDraws":
        """Draws of one entity: ``uniforms``, ``normals`` and ``exponentials`` drawn at once
        (enough for most entities), any further ones in keyed chunks."""
        return KeyedDraws(self, key, uniforms, normals, exponentials)


_WORD = (1 << 64) - 1
_KINDS = ("random", "standard_normal", "standard_exponential")
_CHUNK = 32  # numbers per further chunk, once an entity has used those drawn at once
_CHUNKS_AT_MOST = 1 << 14  # further chunks of a kind a key can have: far more than any uses


def _chunks(keyed: Keyed, key: int, kind: int):
    """Further chunks of one kind, each at its own sub-key of ``key``."""
    draw = _KINDS[kind]
    for c in range(1, _CHUNKS_AT_MOST):
        yield memoryview(getattr(keyed.at((key << 16) | (c << 2) | kind), draw)(_CHUNK))
    raise RuntimeError(f"keyed draws: key {key} used more than {_CHUNKS_AT_MOST} chunks of {draw}")


class _Later(tuple):
    """(keyed, key, kind): the numbers of an entity's further chunks of one kind, drawn when first
    iterated. ``chain`` iterates its second part only once the first is used up, which 99% of
    deals never do; a generator made for every deal instead would be closed, with a GeneratorExit
    raised inside it, when the deal is freed (three per deal: 1.1% of a run's instructions)."""

    __slots__ = ()

    def __iter__(self):
        keyed, key, kind = self[0], self[1], self[2]  # not *self: that would iterate self
        return chain.from_iterable(_chunks(keyed, key, kind))


class KeyedDraws:
    """One entity's own draws (a deal's, a hire's), served as a :class:`Stream` serves them.

    The numbers drawn at once sit at sub-key 0 of the entity's key; chunk ``c`` of a kind at
    sub-key ``c << 2 | kind``: an entity that needs more in one scenario than in another sees
    the same numbers in both, up to where its needs part.
    """

    __slots__ = ("uniform", "std_normal", "std_exponential")

    def __init__(self, keyed: Keyed, key: int, uniforms: int, normals: int,
                 exponentials: int) -> None:
        gen = keyed.at(key << 16)
        # memoryviews, not lists: a float is made only for a number used (most are not)
        self.uniform = chain(memoryview(gen.random(uniforms)),
                             _Later((keyed, key, 0))).__next__
        self.std_normal = chain(memoryview(gen.standard_normal(normals)),
                                _Later((keyed, key, 1))).__next__
        self.std_exponential = chain(memoryview(gen.standard_exponential(exponentials)),
                                     _Later((keyed, key, 2))).__next__

    random = Stream.random
    normal = Stream.normal
    exponential = Stream.exponential
    integers = Stream.integers
    lognormal = Stream.lognormal

    def __reduce__(self):
        raise TypeError("keyed draws cannot be pickled or copied; build them per replication")


def poisson_quantile(lam: float, u: float) -> int:
    """The Poisson(``lam``) count at quantile ``u``: the smallest k with P(N <= k) >= u.

    Counts by inversion move little with the rate: a slightly larger rate gives the same count
    or one more, so two scenarios whose rates differ a little mostly see the same leads.
    Above a rate of 700 (where e**-lam nears the smallest float) the terms are built in logs.
    A ``u`` within rounding of 1, which the summed terms may never reach, ends where the terms
    past the mode no longer add to the sum.
    """
    if not lam < math.inf:  # NaN or infinite: a count would never end
        raise ValueError(f"poisson_quantile: a rate of {lam}")
    if lam <= 0.0:
        return 0
    k = 0
    if lam < 700.0:
        p = total = math.exp(-lam)
        while u > total and (k < lam or total + p != total):
            k += 1
            p *= lam / k
            total += p
        return k
    log_p, total, log_lam = -lam, 0.0, math.log(lam)
    while True:
        term = math.exp(log_p)
        if u <= total + term or (k > lam and total + term == total):
            return k
        total += term
        k += 1
        log_p += log_lam - math.log(k)


class Streams:
    """The named streams of one replication.

    Slots, not a ``__getattr__`` for a friendlier error: a class with ``__getattr__`` makes every
    attribute read take Python's slow path, and the model reads these streams on its hot paths
    (each deal as it starts, each seat-week).
    """

    __slots__ = ("seed_sequence",) + STREAM_NAMES + KEYED_NAMES

    def __init__(self, seed: int, replication: int) -> None:
        self.seed_sequence = np.random.SeedSequence((seed, replication))
        children = self.seed_sequence.spawn(len(STREAM_NAMES) + len(KEYED_NAMES))
        for name, child in zip(STREAM_NAMES, children):
            setattr(self, name, Stream(child))
        for name, child in zip(KEYED_NAMES, children[len(STREAM_NAMES):]):
            setattr(self, name, Keyed(child))
