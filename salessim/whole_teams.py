"""Spans of control that make the same whole FSM teams, told before a sweep runs.

The organization has ``teams_for(sellers, span)`` FSM teams, sellers / span rounded: at 20
sellers, spans 8.5 and 12 both make 2 teams of 10. The span asked changes nothing else that is
simulated, unless a coverage investment adds seats (they form new teams of the span in force), so
jobs that differ only in such spans simulate alike, with identical bookings in every replication.
salessim-compare says so once they have run (comparability.identical_notes); said before the
sweep starts, a sales-ops analyst can choose spans that tell something instead of running the
same simulation twice.
"""

from __future__ import annotations

import dataclasses
import hashlib

from salessim.config import Config, flatten
from salessim.model import levers
from salessim.model.organization import teams_for
from salessim.outputs import PRESENTATION_KEYS
from salessim.plural import and_listed
from salessim.rule_settings import unread_keys

SPAN = "fsm.span_of_control"
_SETS_LISTED, _SPANS_LISTED = 3, 5  # beyond these, the spans alike are counted, not listed
# Settings that change no simulated deal: how a job is named, shown, spread over cores or
# resumed, and whether its journeys are traced.
_NOT_SIMULATED = {"sim.scenario", "sim.baseline", "sim.trace", *(f"sim.{k}" for k in PRESENTATION_KEYS)}


def _adds_seats(config: Config) -> bool:
    """Whether a coverage investment adds seats, which then form teams of the span asked."""
    return any(getattr(levers.parse(name, raw), "added_sellers", 0) > 0
               for name, raw in config.investment.items())


def simulated_setup(config: Config, teams: bool = True) -> str:
    """A fingerprint of what decides a run's deals: two configs with the same setup simulate alike.
    Its span of control counts as the teams it makes where that is all the span does (unless not
    ``teams``: a calibration that scales the span or the sellers trial by trial), and a setting of
    the decision that its rule does not read (salessim.rule_settings) not at all. (A digest, not
    the settings: a sweep of 10,000 jobs holds one per job.)"""
    settings = {k: v for k, v in flatten(dataclasses.asdict(config)).items() if k not in _NOT_SIMULATED}
    for key in unread_keys(config):
        settings[key] = "unread"
    if teams and not _adds_seats(config):
        settings[SPAN] = ("teams", teams_for(config.org.sellers, config.fsm.span_of_control))
    return hashlib.sha256(repr(sorted((k, repr(v)) for k, v in settings.items())).encode()).hexdigest()


def span_making(sellers: int, teams: int) -> str:
    """The shortest span, as typed, that makes ``teams`` teams of ``sellers`` (20 / 3: 6.7)."""
    for places in range(1, 7):
        span = round(sellers / teams, places)
        if teams_for(sellers, span) == teams:
            return f"{span:g}"
    return f"{sellers / teams!r}"



class SpansAlike:
    """The spans of control of a sweep's jobs that make the same whole teams, where the jobs differ
    in nothing else simulated. The jobs are added one by one and not kept (a sweep may hold 10,000):
    only each setup's fingerprint, sellers and spans."""

    def __init__(self) -> None:
        self._jobs = 0
        self._groups: dict[str, tuple[int, set[float]]] = {}  # each setup: its sellers and the spans asked

    def add(self, config: Config) -> None:
        self._jobs += 1
        spans = self._groups.setdefault(simulated_setup(config), (config.org.sellers, set()))[1]
        spans.add(config.fsm.span_of_control)

    def notes(self) -> list[str]:
        """One line for each set of spans that make the same whole teams."""
        alike = [(sellers, sorted(spans)) for sellers, spans in self._groups.values() if len(spans) > 1]
        # Spans swept over a range (range(1,101) on 20 sellers) make many sets, many spans each: said
        # in one line, by how many jobs repeat another's simulation, rather than span by span.
        if len(alike) > _SETS_LISTED or any(len(spans) > _SPANS_LISTED for _, spans in alike):
            repeats = sum(len(spans) - 1 for _, spans in alike)
            sellers = sorted({sellers for sellers, _ in alike})
            return [f"{repeats:,} of the sweep's {self._jobs:,} jobs differ from another only in a span "
                    f"of control that makes the same whole FSM teams (sellers / span, rounded, of "
                    f"{and_listed([f'{n:,}' for n in sellers])} sellers), so each will simulate as that job "
                    f"does, with identical bookings in every replication: the sweep holds "
                    f"{self._jobs - repeats:,} different simulations; a span of sellers / n makes n teams, "
                    "so sweep one span per number of teams to compare them"]
        notes: dict[str, None] = {}  # a line once, however many other settings the spans are swept with
        for sellers, spans in alike:
            teams = teams_for(sellers, spans[0])
            shown = [f"{s:g}" for s in spans]
            others = [n for n in (teams + 1, teams - 1) if 1 <= n <= sellers]
            notes[f"{SPAN}={and_listed(shown)} {'both' if len(spans) == 2 else 'all'} make the same "
                  f"{teams:,} FSM team{'s' * (teams != 1)} of the {sellers:,} sellers (teams are whole: "
                  f"{and_listed([f'{sellers:,} / {s}' for s in shown])} round to {teams:,}), so jobs that "
                  "differ only in those spans will simulate alike, with identical bookings in every "
                  f"replication; for another number of teams, a span of {sellers:,} / n makes n: "
                  + and_listed([f"{span_making(sellers, n)} makes {n:,}" for n in others])] = None
        return list(notes)
