"""Small statistics helpers: Student's t quantiles, and means with their confidence intervals."""

from __future__ import annotations

import functools
import math
from statistics import NormalDist

import numpy as np

DEFAULT_CONFIDENCE = 0.95
# From this many degrees of freedom on, the Cornish-Fisher expansion of the t quantile is within
# 2e-13 of it (relative, up to p = 0.9995), while the incomplete beta function of its tail loses
# digits (1 - x, x near 1) and then fails: t(0.975, 1e15) came out 1.75, and t(0.975, inf) 1e-60.
EXPANDED_DF = 1000.0


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularized incomplete beta function, by the modified Lentz
    method (Press et al., Numerical Recipes, 3rd ed., section 6.4); converges for x < (a+1)/(a+b+2)."""
    tiny, c, d = 1e-300, 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return fraction


def _regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularized incomplete beta function."""
    if x <= 0.0 or x >= 1.0:
        return 0.0 if x <= 0.0 else 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def _t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for Student's t with ``df`` degrees of freedom, t ≥ 0."""
    return 0.5 * _regularized_beta(df / 2.0, 0.5, df / (df + t * t))


def _t_density(t: float, df: float) -> float:
    return math.exp(math.lgamma((df + 1.0) / 2.0) - math.lgamma(df / 2.0) - 0.5 * math.log(df * math.pi)
                    - (df + 1.0) / 2.0 * math.log1p(t * t / df))


@functools.lru_cache(maxsize=1024)
def t_quantile(p: float, df: float) -> float:
    """Student's t quantile t(p, df) for 0.5 ≤ p < 1 and any df ≥ 1, fractional ones (Welch's)
    included: the root of its exact tail by Newton's method, kept inside a bracket that bisection
    narrows whenever a step would leave it, to 1e-12 of its value. From EXPANDED_DF degrees of
    freedom on (infinity included), the Cornish-Fisher expansion, which is closer there than the
    tail's incomplete beta function can tell. Cached: a comparison asks for the same few again and
    again."""
    if not (df >= 1 and 0.5 <= p < 1):  # NaN included
        return math.nan
    if df >= EXPANDED_DF:
        return _cornish_fisher(p, df)
    tail = 1.0 - p
    low, high = 0.0, math.inf
    t = _cornish_fisher(p, df)  # within a few parts in a thousand from 5 df on: two or three steps
    for _ in range(200):
        excess = _t_upper_tail(t, df) - tail  # > 0: t is below the quantile
        low, high = (t, high) if excess > 0 else (low, t)
        step = t + excess / _t_density(t, df)
        t_next = step if low < step < high else (0.5 * (low + high) if high < math.inf else 2.0 * t)
        if abs(t_next - t) <= 1e-12 * t_next:
            return t_next
        t = t_next
    return t


def _cornish_fisher(p: float, df: float) -> float:
    """The Cornish-Fisher expansion of t(p, df) about the normal quantile (Abramowitz and Stegun,
    26.7.5): Newton's starting point, and the quantile itself from EXPANDED_DF degrees of freedom."""
    z = NormalDist().inv_cdf(p)
    return (z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
            + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3)
            + (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / (92160 * df ** 4))


def two_sided_t(confidence: float, df: float) -> float:
    """The t quantile of a two-sided interval at ``confidence``: its half-width in standard errors
    (12.706 at 95% and 1 df, 1.960 at 95% and endless df)."""
    return t_quantile(0.5 + confidence / 2.0, df)


def mean_ci(values, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float]:
    """Mean and the half-width of its Student-t confidence interval (NaN values ignored)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return math.nan, math.nan
    if len(v) == 1:
        return float(v[0]), math.nan
    return float(v.mean()), two_sided_t(confidence, len(v) - 1) * float(v.std(ddof=1)) / math.sqrt(len(v))


def mean_interval(values, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float, float]:
    """Mean and the ends of its Student-t confidence interval (NaN ends for one value)."""
    mean, half_width = mean_ci(values, confidence)
    return mean, mean - half_width, mean + half_width


def settled_side(low: float, high: float) -> int:
    """Which side of 0 an interval settles a difference on: +1 above, -1 below, 0 neither (it
    includes 0)."""
    return 1 if low > 0 else -1 if high < 0 else 0


MOST_REPLICATIONS = 10_000  # sim.replications' own limit: beyond it, no number is said
PLANNED_POWER = 0.8  # the chance a planned number of replications settles a difference that is there


def replications_to_settle(differences, confidence: float = DEFAULT_CONFIDENCE,
                           power: float = PLANNED_POWER) -> int | None:
    """The fewest replications whose interval of the mean of ``differences`` would exclude 0 with
    chance ``power``, were their true mean and spread those measured (a paired t-test's sample
    size): a planning figure, not a promise (the spread of a few replications is itself
    uncertain). At the measured mean alone, without the power term, an interval excludes 0 only
    about half the time. None where no number can be told: fewer than two values, a mean of 0, or
    more than MOST_REPLICATIONS needed."""
    v = np.asarray(differences, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) < 2 or v.mean() == 0:
        return None
    ratio = float(v.std(ddof=1)) / abs(float(v.mean()))  # the half-width is t * ratio / sqrt(n) means

    def settles(n: int) -> bool:  # the half-width shrinks as n grows: a search by halves finds the first
        return (two_sided_t(confidence, n - 1) + t_quantile(power, n - 1)) * ratio / math.sqrt(n) < 1.0
    if not settles(MOST_REPLICATIONS):
        return None
    low, high = 1, MOST_REPLICATIONS  # settles(high), and not settles(low): 1 replication has no interval
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if settles(middle) else (middle, high)
    return high


def half_width_at(differences, n: int, confidence: float = DEFAULT_CONFIDENCE) -> float:
    """The half-width the interval of the mean of ``differences`` would have over ``n``
    replications, were their spread the one measured."""
    v = np.asarray(differences, dtype=float)
    v = v[~np.isnan(v)]
    return two_sided_t(confidence, n - 1) * float(v.std(ddof=1)) / math.sqrt(n) if len(v) > 1 else math.nan
