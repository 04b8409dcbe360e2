"""What to do next with a comparison, as its own figures call for: settle what the intervals leave
open (with the replications that would likely do it), test the assumptions the first scenario by
net gain rests on, run the first two together, and measure long enough to see the first pay back.
A strategist should not have to work these out from the notes."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from salessim.comparability import another_seed
from salessim.compare import (DEFAULT_RANKING, budget_from, budget_of, ci_said, confidence_of, discount_rate,
                              first_year_spend, level_said, net_gain, over_budget, rank_by_of,
                              unfinished_jobs, unfinished_said)
from salessim.errors import ConfigError
from salessim.job_selection import differences
from salessim.model.levers import SCALED_KINDS
from salessim.next_commands import (compare_command, recorded_overrides, replaced, run_commands, search_path,
                                    sweep_command)
from salessim.overrides import under
from salessim.plural import and_listed, counted
from salessim.ranking_notes import contention, lead_unsettled, net_gain_lead, within_the_budget
from salessim.report_table import FEW_REPLICATIONS, RECOMMENDED_REPLICATIONS, fmt_ci, fmt_diff, fmt_value
from salessim.seed_pooling import seeds_of
from salessim.stats import (DEFAULT_CONFIDENCE, PLANNED_POWER, half_width_at, mean_interval,
                            replications_to_settle)
from salessim.step_time import Commands, step_launcher, step_took
from salessim.sweep_folder import BOOKINGS, recorded_investments
from salessim.together import ADDING_UP
from salessim.typed_folders import folder_setting
from salessim.validation import check_relations

PRACTICAL_REPLICATIONS = 100  # beyond this, a planned number is said to be out of reach


@dataclass(frozen=True)
class Step:
    """What to learn next, in a sentence or a few, and the commands that run it where the compared
    jobs' overrides make them (next_commands.py): the sweep, then its comparison."""
    said: str
    commands: tuple[str, ...] = ()

    @property
    def took(self) -> str:
        """What running the commands takes, said ('' without them, or where it cannot be judged)."""
        return getattr(self.commands, "took", "")


def next_steps(result, names: Mapping[str, str] | None = None) -> list[Step]:
    """The steps about the first scenario by net gain, after finishing the sweep where some of its
    jobs have not finished; none where no scenario has a net gain to judge by."""
    finish = _finish_the_sweep(result)
    return [*finish, *_steps_about_the_first(result, names)]


def _finish_the_sweep(result) -> list[Step]:
    """The first step where jobs of the sweep have not finished: a walk was sent to rerun the first
    of 2 finished jobs at more replications, the 16 others of its sweep left unfinished."""
    left, total = unfinished_jobs(result)
    if not left:
        return []
    these = unfinished_said(left, total)
    if getattr(result, "running", False):
        return [Step(f"Let the sweep finish: {these}, and a salessim command still writes to it. "
                     "Compare again when it has ended; the ranking and the steps below may change.")]
    sweep = Path(result.sweep).resolve()
    return [Step(f"Finish the sweep: {these} and {'is' if left == 1 else 'are'} left out, so the ranking "
                 f"and the steps below may change when {'it has' if left == 1 else 'they have'}. Run the "
                 "sweep's command again with "
                 f"{folder_setting('hydra.sweep.dir', sweep)} sim.resume=true, which keeps the finished "
                 "jobs, then compare again.")]


def _steps_about_the_first(result, names: Mapping[str, str] | None) -> list[Step]:
    """The steps about the first scenario by net gain."""
    held = contention(result)
    base = getattr(result, "baseline", None)
    if held is None or base is None:
        return []
    call = names or {}
    name = call.get(held.first, held.first)
    scope = within_the_budget(result)  # the steps are about the scenarios within --budget
    row = held.rows.iloc[0]
    plan = _Plan(result, _job_of(result, held.first))
    run = _Commands(result)
    steps = []
    if row.net_gain_ci_high < 0:  # settled below the baseline: nothing of it is worth testing
        stay = "Staying with the baseline" if base.cfg.investment else "Doing nothing"
        return [Step(f"{stay} does better: even the first by net gain, {name}, returns less than the "
                     f"baseline, settled over {counted(plan.now, 'replication')}. Look for other "
                     "investments or settings before spending on these.")]
    gains = _gain_over(result, held.first, base.scenario)
    guessed = False  # whether a step has said its count is a first guess: said once
    if row.net_gain_ci_low <= 0 and _differs(gains):  # none: the same simulation, as a note says
        needed = plan.needed(gains)
        rough = plan.rough([needed])
        guessed = bool(rough)
        steps.append(Step(f"Settle whether {name} pays at all: over {counted(plan.now, 'replication')}, its "
                          f"net gain's {level_said(result)} interval includes 0. "
                          + plan.more(gains, "its net gain") + rough,
                          run.more(held.first, {held.first: needed}, "replications")))
    # not the same simulation as the first, nor as the baseline (settling whether it pays covers that)
    tied = {s: lead for s, lead in held.tied.items()
            if _differs(lead) and _differs(_gain_over(result, s, base.scenario))}
    if tied:
        each = "; ".join(f"{call.get(s, s)}, {plan.count(lead)}" for s, lead in tied.items())
        lows = held.rows.set_index("scenario").net_gain_ci_low
        settled = [call.get(s, s) for s in tied if lows[s] > 0]
        apart = {s: plan.needed(lead) for s, lead in tied.items()}
        commands = run.more(held.first, apart, "apart")
        left_out = [call.get(s, s) for s, n in apart.items() if n is None]
        steps.append(Step(f"Tell {name} apart from the {counted(len(tied), 'scenario')} its net gain "
                          f"cannot yet be told from. The replications that would likely settle each "
                          f"difference ({PLANNED_POWER:.0%} of the time, were it and its spread as "
                          f"measured): {each}." + (f" Of them, settled above the baseline on its own: "
                                        f"{'; '.join(settled)}." if settled else "")
                          + (_left_out(name, left_out) if commands else "")
                          + ("" if guessed else plan.rough(apart.values())),
                          commands))
    confirming = not steps and plan.now < FEW_REPLICATIONS and plan.seeds == 1 and _differs(gains)
    if confirming:
        steps.append(_confirm(result, held, plan, call, run))
    job = plan.job
    own = sorted(set(job.cfg.investment) - set(base.cfg.investment)) if job is not None else []
    second = held.rows.iloc[1] if len(held.rows) > 1 else None
    # Its lead over the next rests on the investments the next lacks: a walk was told to halve the
    # one both ran, which moves both, beside accelerators, which set them apart.
    apart = sorted(set(own) - _investments_of(result, second))
    tested = apart or own
    if tested and not _scaled_already(result, tested):
        scaled = {n: (job.cfg.investment[n] or {}).get("effect_scale", 1.0) for n in tested
                  if (job.cfg.investment[n] or {}).get("kind") in SCALED_KINDS}
        scalings = _scalings(scaled)
        how = (f"at half and three quarters of its effect, at the same cost ({' '.join(scalings)}, added to "
               "its settings)" if scaled else "over the values you find plausible for its settings")
        now = ("" if second is None or math.isnan(second.net_gain_usd_per_year)
               else f", {fmt_diff(BOOKINGS, second.net_gain_usd_per_year)} a year as measured")
        ahead = ("above zero" if second is None else
                 f"above that of the next{scope} by net gain "
                 f"({call.get(second.scenario, second.scenario)}{now})")
        # The mark goes with the sweep, as its question, which its comparison opens with: a walk
        # found the follow-up's figures set against nothing, the mark left in this report. The
        # next's own run is set beside the reruns (--with) where it is one job: the follow-up's
        # ranking then answers the question paired (a walk found it answered as a ranking of the
        # two strengths alone).
        beside = [] if second is None else [second.scenario]
        paired = bool(scaled) and bool(run.folders(beside))
        mark = ("above zero" if not now else
                f"above that of {call.get(second.scenario, second.scenario)} (set beside it)" if paired else
                f"above {fmt_diff(BOOKINGS, second.net_gain_usd_per_year)} a "
                f"year (that of {call.get(second.scenario, second.scenario)}, as measured)")
        question = asking(f"Does {name} keep a net gain {mark} at half and three quarters of its effect?")
        commands = (run.of("effect_scale", [held.first], [*scalings, *question], beside=beside)
                    if scaled else ())
        whose = (f"of {', '.join(apart)}, which {'sets' if len(apart) == 1 else 'set'} {name} apart from "
                 f"{call.get(second.scenario, second.scenario)}" if apart and apart != own
                 else f"{name} rests on")
        steps.append(Step(f"Test the assumptions {whose} ('What the investments assume' lists them): "
                          f"rerun it {how}, and compare the runs with the baseline"
                          + ("" if commands else " (salessim-compare SWEEP --baseline RUN_FOLDER)")
                          + (f", with the next's own run beside them (--with), paired as here"
                             if commands and paired else "")
                          + f". If its net gain stays {ahead}, the choice does not hinge on the effect sizes "
                          "assumed.", commands))
    if together := _together(result, held, call, run):
        steps.append(together)
    if plan.now >= 2 and math.isnan(row.payback_months_ci_high) and row.window_months:
        years = 2 * base.cfg.sim.years
        steps.append(Step(f"Measure long enough to see {name} pay back: its {level_said(result)} band does "
                          f"not stay above 0 within the {row.window_months} months measured. A longer "
                          f"horizon (sim.years, here twice as long: {years:g}) shows whether and when it "
                          "does.",
                          run.of("years", [held.first], [f"sim.years={years:g}"],
                                 with_baseline=True)))
    if confirming and len(steps) > 1:
        # The steps after it run at the compared replications; a walk asked for them at the
        # confirmation's, which its own comparison offers (paired with its runs, for its first).
        # 'as the runs compared here; ... offers them again ..., for its own first' was not understood
        # 'The steps below run at 3 replications' read as a contradiction after 'too few to trust'
        # (a new user's walk): the order is said, and what the confirmation's comparison gives
        later = (f" Run it before the steps below: they run at {counted(plan.now, 'replication')}, like "
                 f"the runs compared here, and the confirmation's own comparison gives its own next "
                 f"steps at sim.replications={RECOMMENDED_REPLICATIONS}, for whichever scenario then "
                 "comes first.")
        steps[0] = Step(steps[0].said + later, steps[0].commands)
    if steps and rank_by_of(result) != DEFAULT_RANKING:
        steps[0] = Step(f"These steps are for {name}, the first scenario{scope} by net gain per year (the "
                        "ranking above is by another figure). " + steps[0].said, steps[0].commands)
    return steps


def asking(question: str) -> list[str]:
    """The override that makes ``question`` a step's sweep's own, which its comparison opens with:
    in Hydra's double quotes, which a shell's single quotes keep whole; none where it holds either."""
    return [] if '"' in question or "\\" in question else [f'experiment_question="{question}"']


def _together_commands(run: _Commands, alone: list[str], together: list[list[str]],
                       asked: list[str]) -> tuple[str, ...]:
    """The pairs' sweep and its comparison, with each investment alone set beside them (--with) as
    it ran here, paired on the same seed and replications; else, where one cannot be (pooled over
    seeds, another seed), each alone run again beside them with the baseline (a walk found four
    runs repeated, half the sweep's time)."""
    if len(run.folders(alone)) == len(alone):
        return run.of("together", alone, asked, first_runs=together, beside=alone, rerun=False)
    return run.of("together", alone, asked, with_baseline=True, first_runs=together)


def _adding_up(*pairs: str) -> list[str]:
    """The together step's question, which its comparison answers (together.together_said)."""
    said = and_listed(pairs)
    return asking(f"Does {said} gain more than its {ADDING_UP}" if len(pairs) == 1 else
                  f"Do {said} gain more than their {ADDING_UP}")


def _job_of(result, scenario: str):
    """The compared job of ``scenario``; None for none."""
    return next((j for j in result.jobs if j.scenario == scenario), None)


def _investments_of(result, row) -> set[str]:
    """The investments of the compared job of ``row`` (a ranking's); none for no row or job."""
    job = None if row is None else _job_of(result, row.scenario)
    return set() if job is None else set(job.cfg.investment)


def _scaled_already(result, investments: Sequence[str]) -> bool:
    """Whether the compared jobs run one of ``investments`` at several effect sizes: a follow-up of
    the step testing them, which a walk found offered that step again, at half of a half."""
    for name in investments:
        scales = {(j.cfg.investment.get(name) or {}).get("effect_scale", 1.0)
                  for j in result.jobs if name in j.cfg.investment}
        if len(scales) > 1:
            return True
    return False


def _confirm(result, held, plan, call: Mapping[str, str], run) -> Step:
    """Where the intervals settle what they can but rest on few replications: the first, the next
    by net gain and the baseline again at the replications a reading needs (a walk was told to
    rerun with 10 before relying on the answer, and given commands at 3 alone)."""
    first = held.first
    # the next that is not the same simulation as the first (a review: 'and the next, X' was X)
    second = next((s for s in held.rows.scenario[1:]
                   if (lead := net_gain_lead(result, first, s)) is None or _differs(lead)), None)
    # and those the second cannot be told from: who comes second is what a walk found left open
    level = confidence_of(result)
    rivals = [] if second is None else [
        s for s in held.rows.scenario if s not in (first, second)
        and (lead := net_gain_lead(result, second, s)) is not None and lead_unsettled(lead, level)
        and _differs(lead)][:MOST_PARTNERS - 1]
    rerun = [first, *([second] if second is not None else []), *rivals]
    a, n = call.get(first, first), RECOMMENDED_REPLICATIONS
    # 'Rerun X, the next by net gain, Y, and the baseline' read as if X were the next (a walk)
    b = call.get(second, second)
    rivals_said = and_listed([call.get(s, s) for s in rivals]) if rivals else ""
    also = (" and the baseline" if second is None else
            f", the baseline and the next by net gain, {b}," if not rivals else
            f", the baseline, the next by net gain, {b}, and {rivals_said}, whose net gain cannot yet be "
            f"told from {b}'s,")
    second_place = (f" ahead of {b}" if not rivals else
                    f", and which of {and_listed([b, *(call.get(s, s) for s in rivals)])} comes second,")
    return Step(f"Confirm the answer with more replications: it rests on {counted(plan.now, 'replication')}, "
                "whose spread is too uncertain for the width of its intervals to be trusted. Rerun "
                f"{a}{also} with sim.replications={n}, and compare them.",
                run.more(first, {s: n for s in rerun}, "replications",
                         asking(f"Does {a} stay first by net gain{second_place} at sim.replications={n}?")))


MOST_PARTNERS = 3  # scenarios tried with the first in one sweep: the second and its ties, as fit


def compare_options(result) -> list[str]:
    """The options of salessim-compare a comparison was made with, other than their defaults, for
    the comparison of a step's sweep: its ranking, discount rate, budget and confidence level."""
    budget, rate = budget_of(result), discount_rate(result)
    return [*(["--rank-by", rank_by_of(result)] if rank_by_of(result) != DEFAULT_RANKING else []),
            *(["--discount-rate", f"{rate:g}"] if rate else []),
            *(["--budget", f"{budget:.0f}"] if budget is not None else []),
            *(["--confidence", f"{confidence_of(result):g}"] if confidence_of(result) != DEFAULT_CONFIDENCE
              else [])]


def why_no_commands(result) -> str:
    """Why the steps come without commands to copy, where a compared job cannot give them: said
    once for the comparison, since the reasons are its jobs' (a strategist given steps in
    brackets alone wondered what to type)."""
    jobs = [result.baseline, *(j for j in result.jobs if j is not result.baseline)]
    if any(getattr(j, "pooled", False) for j in jobs):
        return ("its scenarios pool jobs run on several seeds, each its own command: run a step with "
                "the settings in brackets on each seed")
    if getattr(result, "sweep", None) is None:
        return "it was made without a sweep's folder"
    bare = next((j for j in jobs if recorded_overrides(j) is None), None)
    if bare is not None:
        return (f"{getattr(bare, 'label', bare.scenario)} kept no record of its overrides "
                "(.hydra/overrides.yaml; hydra.output_subdir was set to null)")
    folders = {None if (found := search_path(j)) is None else tuple(found) for j in jobs}
    if None in folders:
        return ("a job ran another primary config (-cn) or kept no record of how Hydra ran it "
                "(.hydra/hydra.yaml), which a command cannot repeat")
    if len(folders) > 1:
        return "its jobs ran with different config folders (-cd, hydra.searchpath)"
    return ""


def _together(result, held, call: Mapping[str, str], run: _Commands) -> Step | None:
    """The first two by net gain run together, where both add investments the baseline lacks, no
    job already holds them all and the model takes them at once: a comparison of each alone
    cannot say whether their gains add up. Where the second's net gain cannot be told from the
    next ones', the first is tried with those too (a second ahead of a third by +11,681 [-1.6 M,
    +1.6 M] a year was chosen on its point estimate), MOST_PARTNERS at most. Under --budget, only
    the pairs whose first years fit are tried, what the first two would cost is said where they
    do not, and a pair that cannot be costed (_first_years_together) is tried and said to be; where
    none fits, the first is tried with the next by net gain that fits beside it (_cheaper_partner),
    or the step says none does. Its sweep runs each alone again beside them together."""
    if len(held.rows) < 2:
        return None
    first, second, *rest = held.rows.scenario
    jobs = run.jobs
    if first not in jobs:
        return None
    level = confidence_of(result)
    leads = {s: lead for s in rest if s in jobs and (lead := net_gain_lead(result, second, s)) is not None
             and lead_unsettled(lead, level)}
    pairs = {s: both for s in [second, *leads]
             if s in jobs and (both := _combination(result, jobs[first], jobs[s]))}
    if second not in pairs:
        return None
    budget = budget_of(result)
    costs = _first_years_together(result, held.rows, jobs, first, pairs) if budget is not None else {}
    over = {s: cost for s, cost in costs.items() if over_budget(cost, budget)}
    fitting = [s for s in pairs if s not in over]
    names = {s: f"[{','.join(sorted(both))}]" for s, both in pairs.items()}
    a, b = call.get(first, first), call.get(second, second)
    beyond = (f" {a} with {b} (investment={names[second]}) would cost about "
              f"{fmt_value(BOOKINGS, over[second])} USD in their first 12 months, over the budget of "
              f"{fmt_value(BOOKINGS, budget)} USD ({budget_from(result)})." if second in over else "")
    alone = recorded_overrides(jobs[first])
    if not fitting:
        cheaper, uncosted = _cheaper_partner(result, held.rows, jobs, first, set(pairs))
        if cheaper is None:
            unknown = (f" (what {and_listed([call.get(s, s) for s in uncosted])} would cost beside it these "
                       "runs cannot tell: they drop an investment the baseline holds)" if uncosted else "")
            return Step(f"Running the first two by net gain together is out of reach:{beyond} No other "
                        f"scenario with a net gain above zero fits beside {a} within it{unknown}. Each was "
                        "measured alone, so whether their gains add up is left open.")
        other, both, cost = cheaper
        name = f"[{','.join(sorted(both))}]"
        run_together = alone and replaced(alone, "investment", name)
        commands = run_together and _together_commands(run, [first, other], [run_together],
                                                       _adding_up(f"investment={name}"))
        return Step(f"Running the first two by net gain together is out of reach:{beyond} Within it, "
                    f"try {a} with {call.get(other, other)} (investment={name}), the first after them by "
                    f"net gain whose first 12 months fit beside {a}'s (about {fmt_value(BOOKINGS, cost)} USD "
                    "together): each was measured alone, and their gains may add up, overlap or get in "
                    "each other's way.", commands)
    chosen = fitting[:MOST_PARTNERS]
    uncosted = [s for s in chosen if math.isnan(costs.get(s, 0.0))]
    beyond += (f" What {a} would cost with {and_listed([call.get(s, s) for s in uncosted])} in their "
               "first 12 months these runs cannot tell (they drop an investment the baseline holds, whose "
               "fee they save): check it against the budget." if uncosted else "")
    runs = [alone and replaced(alone, "investment", names[s]) for s in chosen]  # None: no investment=
    asked = _adding_up(*(f"investment={names[s]}" for s in chosen))
    commands = all(runs) and _together_commands(run, [first, *chosen], runs, asked)
    if chosen == [second]:
        return Step(f"Try the first two by net gain together, {a} with {b} (investment={names[second]}): "
                    "each was measured alone, and their gains may add up, overlap or get in each other's "
                    "way.", commands)
    others = [s for s in chosen if s != second]
    leads_said = "; ".join(f"{b} minus {call.get(s, s)} " + fmt_ci(BOOKINGS, *mean_interval(leads[s], level))
                           for s in others)
    runs_said = and_listed([f"investment={names[s]}" for s in chosen])
    left = [call.get(s, s) for s in fitting[MOST_PARTNERS:]]
    with_second = f"together with the second, {b}, and with" if second in chosen else "together with"
    return Step(f"Try the first by net gain, {a}, {with_second} "
                f"{and_listed([call.get(s, s) for s in others])}, "
                f"whose net gain cannot yet be told from the second's{'' if second in chosen else f', {b}'}: "
                f"{runs_said}.{beyond} The second's lead, paired [{ci_said(result)}], a year: {leads_said}."
                + (f" Left out of this sweep, which tries {MOST_PARTNERS} at most, though "
                   f"{'its' if len(left) == 1 else 'their'} net gain cannot be told from the second's "
                   f"either: {and_listed(left)}." if left else "")
                + " Each was measured alone, and their gains may add up, overlap or get in each other's way.",
                commands)


def _cheaper_partner(result, rows, jobs: Mapping, first: str, tried: set[str]):
    """Under --budget, where no pair of the first with a tie fits: ((scenario, investments, first
    year's cost) of the next by net gain after ``tried``, with a net gain above zero, that the model
    takes with ``first`` and whose first year costed with ``first``'s fits the budget, or None),
    and the scenarios passed over because these runs cannot cost them beside ``first``."""
    budget, uncosted = budget_of(result), []
    # ranked by net gain: those after the first that gain above zero, in order
    gaining = [s for s, gain in zip(rows.scenario.iloc[1:], rows.net_gain_usd_per_year.iloc[1:])
               if gain > 0 and s not in tried and s in jobs]
    costs = _first_years_together(result, rows, jobs, first, gaining)
    for other in gaining:
        both = _combination(result, jobs[first], jobs[other])
        if not both:
            continue
        cost = costs[other]
        if math.isnan(cost):
            uncosted.append(other)
        elif not over_budget(cost, budget):
            return (other, both, cost), uncosted
    return None, uncosted


def _first_years_together(result, rows, jobs: Mapping, first: str, others) -> dict[str, float]:
    """About what ``first`` would cost with each of ``others`` in their first 12 months from the
    launch, beyond the baseline: the two scenarios' first years added up; NaN where either drops
    an investment the baseline holds, whose fee their extra costs both leave out (added up, they
    would leave it out twice)."""
    held = set(result.baseline.cfg.investment)
    spend = {s: first_year_spend(r) for s, (_, r) in zip(rows.scenario, rows.iterrows())}
    keeps = {s: held <= set(jobs[s].cfg.investment) for s in (first, *others)}
    return {s: spend[first] + spend[s] if keeps[first] and keeps[s] else math.nan for s in others}


def _gain_over(result, scenario: str, base: str):
    """``scenario``'s net gain less ``base``'s, replication by replication."""
    return net_gain(result.values[scenario]) - net_gain(result.values[base])


def _replications(job) -> set | None:
    """The replications a job ran (None where its summary is not at hand)."""
    summary = getattr(job, "summary", None)
    return None if summary is None else set(summary.replication)


def _differs(differences) -> bool:
    """Whether paired differences are not all 0: two jobs that are not the same simulation."""
    return differences.abs().max() > 0



def _combination(result, first, other) -> dict | None:
    """The investments of jobs ``first`` and ``other`` at once, where both run the same settings
    apart from their investments, each adds some the baseline lacks and none the other does, no
    compared job holds them all already, and the model takes them together; else None. (A sweep of
    investments across spans of control paired the first with a CRM at another span, and with the
    CRM at its own, both as one command run at the first's span.)"""
    if any(not under(k, ("investment",)) for k in differences(first, other)):
        return None
    base = set(result.baseline.cfg.investment)
    held_by = [first.cfg.investment, other.cfg.investment]
    own = [set(h) - base for h in held_by]
    if not all(own) or own[0] & own[1]:
        return None
    both = {**held_by[0], **held_by[1]}
    if any(set(j.cfg.investment) == set(both) for j in result.jobs):
        return None  # already run
    # each with every setting it ran with, defaults filled in, as the manifest records them
    ran = [recorded_investments(j) or held for j, held in zip((first, other), held_by)]
    if any(_variants(ran[0].get(a), ran[1].get(b)) for a in own[0] for b in own[1]):
        return None  # one investment twice, at two prices or effects: its effect would count twice
    combined = copy.deepcopy(first.cfg)
    combined.investment = both
    try:
        check_relations(combined)  # two that regroup teams in one month, or convert 1.5 of the seats
    except ConfigError:
        return None
    return both


# An investment's settings that say what it costs, when and how much of it comes about, not what
# it does: two investments alike in all but these are one investment, priced or scaled twice.
_NOT_WHAT_IT_DOES = ("description", "start_month", "rollout_months", "effect_scale")


def _variants(a, b) -> bool:
    """Whether investments ``a`` and ``b`` (their settings) are one investment at two prices,
    starts or effect sizes: a walk was told to run a CRM together with a copy of it priced anew,
    whose hours saved the model then added up."""
    def mechanism(settings) -> dict:
        return {k: v for k, v in dict(settings or {}).items()
                if k not in _NOT_WHAT_IT_DOES and not str(k).endswith("_usd")}
    return bool(a) and bool(b) and mechanism(a) == mechanism(b)


def _scalings(scaled: Mapping[str, float]) -> list[str]:
    """The settings that run investments ``scaled`` (by name, at their own effect_scale) at half and
    three quarters of their effect together: the first swept, the others tied to it where they run
    at the same scale (each swept would run every pairing), else each swept."""
    if not scaled:
        return []
    first, *others = scaled
    at = scaled[first]
    if all(scaled[n] == at for n in others):
        return [f"investment.{first}.effect_scale={0.5 * at:g},{0.75 * at:g}",
                *(f"investment.{n}.effect_scale=${{investment.{first}.effect_scale}}" for n in others)]
    return [f"investment.{n}.effect_scale={0.5 * v:g},{0.75 * v:g}" for n, v in scaled.items()]


class _Commands:
    """The commands of a step, where the compared jobs' records make them (next_commands.py): a
    sweep into a folder named after the compared one, and its comparison with the baseline."""

    def __init__(self, result) -> None:
        sweep = getattr(result, "sweep", None)
        self.sweep = None if sweep is None else Path(sweep).resolve()
        # a comparison of some of the sweep's jobs (--at, --years): its steps' folders are its own,
        # apart from those of another value's comparison of the same sweep
        self.kept = getattr(result, "kept_as", "")
        self.base = result.baseline
        self.jobs = {j.scenario: j for j in result.jobs}
        self._searched: dict[int, tuple[str, ...] | None] = {}  # by job: its Hydra record, read once
        self.options = compare_options(result)

    def _search_path(self, job) -> tuple[str, ...] | None:
        if id(job) not in self._searched:
            found = search_path(job)
            self._searched[id(job)] = None if found is None else tuple(found)
        return self._searched[id(job)]

    def of(self, what: str, scenarios: Sequence[str], changes: Sequence[str] = (),
           with_baseline: bool = False, first_runs: Sequence[list[str]] = (),
           beside: Sequence[str] = (), rerun: bool = True) -> tuple[str, ...]:
        """The sweep of ``scenarios``' jobs with ``changes`` into SWEEP_``what`` (SWEEP_KEPT_``what``
        for a comparison of some of its jobs, KEPT as its folder names them; one run each where
        one sweep cannot run them alone), and its comparison: with the baseline run again as its job
        0 where ``with_baseline`` (``changes`` change what it would measure, or the sweep should
        stand on its own), else with the compared baseline's own folder. ``first_runs``: overrides
        made from the first scenario's, run before the rest. ``beside``: scenarios whose own job
        folders the comparison sets beside the sweep's (--with), where each is one job; ``rerun``
        False: ``scenarios`` are not run again (they are set beside), only ``first_runs``. None
        where a job has no record, or the jobs ran with different config folders."""
        jobs = [self.base] * with_baseline + [self.jobs.get(s) for s in scenarios]
        runs = [recorded_overrides(j) for j in jobs]
        folders = {self._search_path(j) for j in jobs}
        if self.sweep is None or None in runs or len(folders) != 1 or None in folders:
            return ()
        runs[int(with_baseline):int(with_baseline)] = first_runs
        runs = runs if rerun else runs[:int(with_baseline) + len(first_runs)]
        searched = folders.pop()
        dest = Path(f"{self.sweep}{self.kept}_{what}")
        searching = [f"hydra.searchpath=[{','.join(searched)}]"] if searched else []
        command = sweep_command(runs, [*changes, *searching], dest)
        commands = [command] if command else run_commands(runs, [*changes, *searching], dest)
        if not commands:
            return ()
        baseline = dest / "0" if with_baseline else Path(self.base.path).resolve()
        with_runs = [x for folder in self.folders(beside) for x in ("--with", str(folder))]
        # the jobs run, each as the compared job it is made from (first_runs: from the first's)
        made_from = [*jobs[:int(with_baseline)], *[jobs[int(with_baseline)]] * len(first_runs),
                     *(jobs[int(with_baseline):] if rerun else [])]
        took = step_took(made_from, changes, bool(command), step_launcher(self.base))
        return Commands((*commands, compare_command(dest, baseline, [*with_runs, *self.options])), took)

    def folders(self, scenarios: Sequence[str]) -> list[Path]:
        """The job folders of ``scenarios`` that --with can set beside a step's sweep, paired as
        here: one each, on the baseline's seed; a scenario pooled over several seeds' jobs has
        none, nor one on another seed (a review found it said to be paired)."""
        if self.sweep is None:  # a comparison made without a sweep's folders: no commands
            return []
        jobs = [self.jobs.get(s) for s in scenarios]
        return [Path(j.path).resolve() for j in jobs if j is not None and not j.pooled
                and not another_seed(self.base, j) and _replications(j) == _replications(self.base)]

    def more(self, first: str, needed: Mapping[str, int | None], what: str,
             question: Sequence[str] = ()) -> tuple[str, ...]:
        """The commands running ``first``, the baseline and each scenario of ``needed`` within reach
        again, at the most replications those call for; ``question``: the sweep's (asking)."""
        reach = {s: n for s, n in needed.items() if n is not None}
        if not reach:
            return ()
        return self.of(what, list(dict.fromkeys([first, *reach])),
                       [f"sim.replications={max(reach.values())}", *question], with_baseline=True)


def _left_out(name: str, beyond: Sequence[str]) -> str:
    """What a step's commands leave out: the scenarios no practical count tells from the first (a
    walk read the rerun's 'lead over each of the other 2 is settled' as settled over all, the
    runner-up left out without a word)."""
    if not beyond:
        return ""
    them = "it" if len(beyond) == 1 else "them"
    return (f" Its commands leave out {'; '.join(beyond)}: not even {PRACTICAL_REPLICATIONS} replications "
            f"would likely tell {them} from {name}, whose lead over {them} stays as open as here, for "
            "cost, risk or time to pay back to decide.")


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

    def rough(self, counts) -> str:
        """Where any of a step's ``counts`` is within reach and planned from few replications: a
        first guess, the measured difference and its spread being rough, a large one more likely
        inflated by luck (a walk ran the 37 a step asked for and found the difference, a third of
        the one measured over 3, still open)."""
        if self.now >= FEW_REPLICATIONS or all(n is None for n in counts):
            return ""
        return (f" Measured over {counted(self.now, 'replication')}, a difference and its spread are "
                "rough, so take the replications planned here as a first guess: the rerun's own "
                "comparison plans again from its own figures.")

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
