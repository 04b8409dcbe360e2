"""What to do next with a comparison, as its own figures call for: settle what the intervals leave
open (with the replications that would likely do it), test the assumptions the first scenario
rests on, and measure long enough to see it pay back. A strategist should not have to work these
out from the notes."""

from __future__ import annotations

import math
from collections.abc import Mapping

from salessim.compare import ci_said, confidence_of, net_gain
from salessim.model.levers import SCALED_KINDS
from salessim.plural import counted
from salessim.ranking_notes import contention
from salessim.stats import replications_to_settle


def next_steps(result, names: Mapping[str, str] | None = None) -> list[str]:
    """The steps, each a sentence or two; none where no scenario has a net gain to judge by."""
    held = contention(result)
    if held is None:
        return []
    call = names or {}
    first = held.first
    name = call.get(first, first)
    row = held.rows.iloc[0]
    level, ci = confidence_of(result), ci_said(result)
    now = int(row.pairs)
    steps = []
    base = next((j for j in result.jobs if j is result.baseline), None)
    if row.net_gain_ci_low <= 0 <= row.net_gain_ci_high and base is not None:
        gains = net_gain(result.values[first]) - net_gain(result.values[base.scenario])
        steps.append(f"Settle whether {name}, first by net gain, pays at all: over "
                     f"{counted(now, 'replication')}, its net gain's {ci.split()[0]} interval includes 0."
                     + _more(replications_to_settle(gains, level), now))
    if held.tied:
        needed = {call.get(s, s): replications_to_settle(lead, level) for s, lead in held.tied.items()}
        close = [s for s, n in needed.items() if n is None or n > PRACTICAL_REPLICATIONS]
        each = "; ".join(f"{s}, " + (f"about {max(n, now + 1)}" if s not in close else
                                      f"too close to settle (about {n:,})" if n else "too close to settle")
                         for s, n in needed.items())
        steps.append(f"Tell {name} apart from the {counted(len(needed), 'scenario')} its net gain cannot "
                     f"yet be told from. The replications that would likely settle each, were the "
                     f"difference and its spread to stay as measured: {each}."
                     + (f" Treat {'that one' if len(close) == 1 else 'those'} too close to settle as "
                        "equal to it on net gain, and choose by what else sets them apart." if close else ""))
    job = next((j for j in result.jobs if j.scenario == first), None)
    own = sorted(set(job.cfg.investment) - set(result.baseline.cfg.investment)) if job else []
    if own:
        scaled = [n for n in own if (job.cfg.investment[n] or {}).get("kind") in SCALED_KINDS]
        how = (f"at half and three quarters of its effect, at the same cost ("
               + ", ".join(f"investment.{n}.effect_scale=0.5,0.75" for n in scaled) + ", added to its settings)"
               if scaled else "over the values you find plausible for its settings")
        steps.append(f"Test the assumptions {name} rests on ('What the investments assume' lists them): "
                     f"rerun it {how}, and compare the runs with the baseline, salessim-compare SWEEP "
                     "--baseline RUN_FOLDER. If its net gain stays ahead of the second's, the choice does "
                     "not hinge on the effect sizes assumed.")
    if now >= 2 and math.isnan(row.payback_months_ci_high) and row.window_months:
        steps.append(f"Measure long enough to see {name} pay back: its {ci.split()[0]} band does not "
                     f"stay above 0 within the {row.window_months} months measured. A longer horizon "
                     "(sim.years) shows whether and when it does.")
    return steps


PRACTICAL_REPLICATIONS = 100  # beyond this, a difference is said to be too small to settle by running more


def _more(needed: int | None, now: int) -> str:
    """How many replications would likely settle a first's net gain against the baseline, were it
    and its spread to stay as measured; beyond PRACTICAL_REPLICATIONS, that it is too small."""
    if needed is None or needed > PRACTICAL_REPLICATIONS:
        return (" Its net gain is small beside its spread: settling it would take "
                + (f"about {needed:,} replications" if needed else "more replications than salessim runs")
                + ". Treat it as no better than doing nothing.")
    needed = max(needed, now + 1)  # not settled now: the spread of the few measured said too little
    return (f" About {needed} replications would likely settle it, were its net gain and spread to stay "
            f"as measured (sim.replications={needed}; a few more if the spread of {now} was low by chance).")
