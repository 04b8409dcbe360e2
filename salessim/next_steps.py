"""What to do next with a comparison, as its own figures call for: settle what the intervals leave
open (with the replications that would likely do it), test the assumptions the first scenario by
net gain rests on, run the first two together, and measure long enough to see the first pay back.
A strategist should not have to work these out from the notes."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping

from salessim.compare import DEFAULT_RANKING, confidence_of, level_said, net_gain, rank_by_of
from salessim.errors import ConfigError
from salessim.model.levers import SCALED_KINDS
from salessim.plural import counted
from salessim.ranking_notes import contention
from salessim.report_table import fmt_diff
from salessim.seed_pooling import seeds_of
from salessim.stats import PLANNED_POWER, half_width_at, replications_to_settle
from salessim.sweep_folder import BOOKINGS
from salessim.validation import check_relations

PRACTICAL_REPLICATIONS = 100  # beyond this, a planned number is said to be out of reach


def next_steps(result, names: Mapping[str, str] | None = None) -> list[str]:
    """The steps, each a sentence or a few, about the first scenario by net gain; none where no
    scenario has a net gain to judge by."""
    held = contention(result)
    base = getattr(result, "baseline", None)
    if held is None or base is None:
        return []
    call = names or {}
    name = call.get(held.first, held.first)
    row = held.rows.iloc[0]
    plan = _Plan(result, next((j for j in result.jobs if j.scenario == held.first), None))
    steps = []
    if row.net_gain_ci_high < 0:  # settled below the baseline: nothing of it is worth testing
        stay = "Staying with the baseline" if base.cfg.investment else "Doing nothing"
        return [f"{stay} does better: even the first by net gain, {name}, returns less than the "
                f"baseline, settled over {counted(plan.now, 'replication')}. Look for other investments "
                "or settings before spending on these."]
    if row.net_gain_ci_low <= 0:
        gains = net_gain(result.values[held.first]) - net_gain(result.values[base.scenario])
        steps.append(f"Settle whether {name} pays at all: over {counted(plan.now, 'replication')}, its net "
                     f"gain's {level_said(result)} interval includes 0. " + plan.more(gains, "its net gain"))
    if held.tied:
        each = "; ".join(f"{call.get(s, s)}, {plan.count(lead)}" for s, lead in held.tied.items())
        lows = held.rows.set_index("scenario").net_gain_ci_low
        settled = [call.get(s, s) for s in held.tied if lows[s] > 0]
        steps.append(f"Tell {name} apart from the {counted(len(held.tied), 'scenario')} its net gain cannot "
                     f"yet be told from. The replications that would likely settle each difference "
                     f"({PLANNED_POWER:.0%} of the time, were it and its spread as measured): {each}."
                     + (f" Of them, settled above the baseline on its own: {'; '.join(settled)}." if settled
                        else ""))
    job = plan.job
    own = sorted(set(job.cfg.investment) - set(base.cfg.investment)) if job is not None else []
    if own:
        scaled = [n for n in own if (job.cfg.investment[n] or {}).get("kind") in SCALED_KINDS]
        how = (f"at half and three quarters of its effect, at the same cost ("
               + ", ".join(f"investment.{n}.effect_scale=0.5,0.75" for n in scaled) + ", added to its settings)"
               if scaled else "over the values you find plausible for its settings")
        second = held.rows.iloc[1] if len(held.rows) > 1 else None
        now = ("" if second is None or math.isnan(second.net_gain_usd_per_year)
               else f", {fmt_diff(BOOKINGS, second.net_gain_usd_per_year)} a year as measured")
        ahead = ("above zero" if second is None else
                 f"above that of the next by net gain ({call.get(second.scenario, second.scenario)}{now})")
        steps.append(f"Test the assumptions {name} rests on ('What the investments assume' lists them): "
                     f"rerun it {how}, and compare the runs with the baseline (salessim-compare SWEEP "
                     f"--baseline RUN_FOLDER). If its net gain stays {ahead}, the choice does not hinge on "
                     "the effect sizes assumed.")
    if together := _together(result, held, call):
        steps.append(together)
    if plan.now >= 2 and math.isnan(row.payback_months_ci_high) and row.window_months:
        steps.append(f"Measure long enough to see {name} pay back: its {level_said(result)} band does not "
                     f"stay above 0 within the {row.window_months} months measured. A longer horizon "
                     "(sim.years) shows whether and when it does.")
    if steps and rank_by_of(result) != DEFAULT_RANKING:
        steps[0] = (f"These steps are for {name}, the first scenario by net gain per year (the ranking "
                    "above is by another figure). " + steps[0])
    return steps


def _together(result, held, call: Mapping[str, str]) -> str:
    """The first two by net gain run together, where both add investments the baseline lacks, no
    job already holds them all, and the model takes them at once: a comparison of each alone
    cannot say whether their gains add up."""
    if len(held.rows) < 2:
        return ""
    first, second = held.rows.scenario.iloc[0], held.rows.scenario.iloc[1]
    jobs = {j.scenario: j for j in result.jobs}
    if first not in jobs or second not in jobs:
        return ""
    base = set(result.baseline.cfg.investment)
    held_by = [jobs[s].cfg.investment for s in (first, second)]
    own = [set(h) - base for h in held_by]
    if not all(own) or own[0] & own[1]:
        return ""
    both = {**held_by[0], **held_by[1]}
    if any(set(j.cfg.investment) == set(both) for j in result.jobs):
        return ""  # already run
    combined = copy.deepcopy(jobs[first].cfg)
    combined.investment = both
    try:
        check_relations(combined)  # two that regroup teams in one month, or convert 1.5 of the seats
    except ConfigError:
        return ""
    return (f"Try the first two by net gain together, {call.get(first, first)} with "
            f"{call.get(second, second)} (investment=[{','.join(sorted(both))}]): each was measured "
            "alone, and their gains may add up, overlap or get in each other's way.")


class _Plan:
    """Replications for the first scenario's job: how many it has, and what to ask for more, per
    seed where its jobs ran on several (each of them runs sim.replications)."""

    def __init__(self, result, job) -> None:
        self.job = job
        self.confidence = confidence_of(result)
        self.seeds = len(seeds_of(job)) if job is not None else 1
        row = result.scenarios.set_index("scenario").loc[job.scenario] if job is not None else None
        self.now = int(row.pairs) if row is not None else 0

    def needed(self, differences) -> int | None:
        """The replications that would likely settle a difference; None beyond a practical count."""
        n = replications_to_settle(differences, self.confidence)
        return None if n is None or n > PRACTICAL_REPLICATIONS else max(n, self.now + 1)

    def out_of_reach(self, differences) -> str:
        """How narrow a difference's interval would be at a practical count, beside the difference."""
        width = half_width_at(differences, PRACTICAL_REPLICATIONS, self.confidence)
        return (f"more than {PRACTICAL_REPLICATIONS} (at {PRACTICAL_REPLICATIONS}, its interval would be "
                f"about ±{fmt_diff(BOOKINGS, width).lstrip('+')} a year, beside the "
                f"{fmt_diff(BOOKINGS, float(differences.mean()))} measured)")

    def count(self, differences) -> str:
        n = self.needed(differences)
        return f"about {n}" if n else self.out_of_reach(differences)

    def more(self, differences, what: str) -> str:
        """The step's sentence on the replications that would likely settle ``what``."""
        n = self.needed(differences)
        if n is None:
            return f"Settling {what} would take {self.out_of_reach(differences)}."
        asked = (f"sim.replications={n}" if self.seeds == 1 else  # each seed's job runs sim.replications
                 f"{n} in all: sim.replications={math.ceil(n / self.seeds)} on each of its "
                 f"{self.seeds} seeds")
        return (f"About {n} replications would likely settle {what} ({PLANNED_POWER:.0%} of the time, "
                f"were it and its spread as measured; {asked}).")
