"""Settings of a buying group's decision that only some decision rules read.

``market.veto_threshold`` acts only where a stakeholder can block an option (``unanimity_veto``,
``soft_veto``), and ``market.dissent_indecision`` only where the group's disagreement counts,
which it does not when one person decides (``economic_buyer``; docs/model.md, section 9.5). Set
under a rule that does not read it, such a setting changes nothing: a sweep of it shows identical
jobs, and a calibration that fits it fits a value no trial's score depends on. Both are said
before anything runs.
"""

from __future__ import annotations

from collections.abc import Collection

from salessim.config import Config, MarketConfig

# Each setting, the rules that read it, and why the others do not.
READ_UNDER: dict[str, tuple[tuple[str, ...], str]] = {
    "veto_threshold": (("unanimity_veto", "soft_veto"),
                       "read only under market.decision_rule=unanimity_veto or soft_veto, the rules "
                       "that let one stakeholder block an option"),
    "dissent_indecision": (("weighted_consensus", "unanimity_veto", "soft_veto"),
                           "read under every market.decision_rule but economic_buyer, where one person "
                           "decides and no disagreement holds the group back"),
}
DOCS = "docs/model.md, section 9.5"


def unread_keys(config: Config) -> list[str]:
    """The keys of READ_UNDER (``market.<name>``) that ``config``'s decision rule does not read."""
    return [f"market.{name}" for name, (rules, _) in READ_UNDER.items()
            if config.market.decision_rule not in rules]


def unread_under_the_rule(config: Config) -> list[str]:
    """The settings of READ_UNDER that ``config`` sets away from their defaults (typed, a preset's
    or a fit's) under a rule that does not read them: each changes nothing in the run."""
    market, default = config.market, MarketConfig()
    notes = []
    for name, (rules, reason) in READ_UNDER.items():
        value = getattr(market, name)
        if market.decision_rule not in rules and value != getattr(default, name):
            notes.append(f"market.{name}={value:g} is {reason}; this run's is {market.decision_rule}, so "
                         f"the value changes nothing here ({DOCS})")
    return notes


class UnreadInTheJobs:
    """For a sweep, once: each setting of READ_UNDER that jobs set under a rule that does not read
    it, with the values they set it to, none of which changes anything in them. The jobs are added
    one by one and not kept (a sweep may hold 10,000)."""

    def __init__(self) -> None:
        self._jobs = 0
        self._values: dict[str, set[float]] = {}  # setting -> its values in the jobs that do not read it
        self._rules: dict[str, dict[str, None]] = {}  # setting -> those jobs' rules, in order
        self._unread_by: dict[str, int] = {}  # setting -> how many jobs do not read it

    def add(self, config: Config, typed: Collection[str]) -> None:
        """A job: its config and the keys its overrides set (``typed``); a setting counts when the
        job types it or holds it away from its default (a preset's, a fit's)."""
        self._jobs += 1
        market, default = config.market, MarketConfig()
        for name, (rules, _) in READ_UNDER.items():
            if market.decision_rule not in rules and (
                    f"market.{name}" in typed or getattr(market, name) != getattr(default, name)):
                self._values.setdefault(name, set()).add(getattr(market, name))
                self._rules.setdefault(name, {})[market.decision_rule] = None
                self._unread_by[name] = self._unread_by.get(name, 0) + 1

    def notes(self) -> list[str]:
        notes = []
        for name, jobs in self._unread_by.items():
            values = sorted(self._values[name])
            which = ("the sweep's jobs run" if jobs == self._jobs
                     else f"{jobs:,} of the sweep's {self._jobs:,} jobs run")
            rules = " or ".join(self._rules[name])
            notes.append(f"market.{name} is {READ_UNDER[name][1]}; {which} {rules}, so "
                         + (f"its value there, {values[0]:g}, changes" if len(values) == 1 else
                            f"its values there, {', '.join(f'{v:g}' for v in values)}, change")
                         + f" nothing in them ({DOCS})")
        return notes


def unread_by_any_rule(keys: Collection[str], rules: Collection[str]) -> list[str]:
    """The keys among ``keys`` (a study's free parameters) that none of ``rules`` (the decision
    rules its setup and its targets' conditions run) reads, each with why."""
    return [f"market.{name}" for name, (read_by, _) in READ_UNDER.items()
            if f"market.{name}" in keys and not set(rules) & set(read_by)]


def why_unread(key: str) -> str:
    """Why ``key`` (``market.<name>`` of READ_UNDER) is read by some rules only."""
    return READ_UNDER[key.removeprefix("market.")][1]
