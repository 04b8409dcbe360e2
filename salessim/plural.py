"""Counts and lists said as a reader says them: '1 job', '8 jobs', never '8 job(s)'; 'a, b and c'."""

from __future__ import annotations


def plural(n: float, noun: str, nouns: str | None = None) -> str:
    """``noun`` for exactly one, else its plural: ``nouns``, or ``noun`` with an s."""
    return noun if n == 1 else (nouns or f"{noun}s")


def counted(n: float, noun: str, nouns: str | None = None, fmt: str = "") -> str:
    """'1 job', '8 jobs', '1.5 years' (``fmt``: how ``n`` is written, as in an f-string)."""
    return f"{n:{fmt}} {plural(n, noun, nouns)}"


def and_listed(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
