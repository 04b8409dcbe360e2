"""Whether investments run together gain more or less than each alone, added up: the question of
the report's step that runs the first two together, which its follow-up's comparison holds the
answer to (the pair, each alone and the baseline, paired) and a walk found unsaid, the sum of the
parts worked out by hand. A pair's net gain less its parts' is, replication by replication,
NG(pair) - NG(a) - NG(b) + NG(baseline): common random numbers pair it as they pair each gain."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace

from salessim.compare import ci_said, confidence_of, net_gain
from salessim.errors import first_few
from salessim.report_table import fmt_ci, fmt_diff
from salessim.stats import mean_interval, settled_side
from salessim.sweep_folder import BOOKINGS

NAMED = 3  # pairs said at most
VERDICTS = {1: "more, settled", -1: "less, settled: they overlap or get in each other's way",
            0: "not settled (the interval includes 0)"}
# what names, asks or shows a run, not what it simulates
NOT_SIMULATED = ("investment", "experiment_question", "experiment_budget_usd")
NOT_SIMULATED_SIM = ("scenario", "baseline", "trace", "progress", "workers", "resume")


def pairs_with_parts(result) -> list[tuple[str, str, str]]:
    """(pair, a, b): the compared scenarios whose investments beyond the baseline's are those of
    two others, in the ranking's order: each keeping the baseline's own investments as it runs
    them, run with its settings otherwise and on its seeds (a review found parts that dropped the
    baseline's CRM, or ran another horizon, set against a pair)."""
    base = getattr(result, "baseline", None)
    if base is None or getattr(base, "cfg", None) is None:
        return []
    kept, held = _simulated(base), base.cfg.investment
    seeds = set(getattr(base, "manifest", {}).get("seeds", []))
    jobs = {j.scenario: j for j in getattr(result, "jobs", []) if j is not base and j.cfg is not None
            and _simulated(j) == kept and set(j.manifest.get("seeds", [])) == seeds
            and all(j.cfg.investment.get(n) == v for n, v in held.items())}
    own = {s: {n: v for n, v in j.cfg.investment.items() if n not in held} for s, j in jobs.items()}
    found = []
    for pair in result.scenarios.scenario:
        held = own.get(pair)
        if not held or len(held) < 2:
            continue
        parts = [s for s, h in own.items() if s != pair and h and h.items() <= held.items()]
        found += [(pair, a, b) for i, a in enumerate(parts) for b in parts[i + 1:]
                  if own[a].keys().isdisjoint(own[b]) and {**own[a], **own[b]} == held][:1]
    return found


def _simulated(job) -> dict:
    """What ``job`` simulates besides its investments: its config less what names, asks or shows it."""
    cfg = job.cfg
    sim = replace(cfg.sim, **{k: getattr(type(cfg.sim)(), k) for k in NOT_SIMULATED_SIM})
    return {f.name: getattr(cfg, f.name) for f in fields(cfg) if f.name not in NOT_SIMULATED} | {"sim": sim}


# The end of the question a together step's sweep asks (next_steps), by which its comparison
# answers it first.
ADDING_UP = "investments alone, added up?"


def together_said(result, names: Mapping[str, str] | None = None,
                  pairs: list[tuple[str, str, str]] | None = None) -> str:
    """'Together, by net gain per year, paired [95% CI]: investment=[a,b] gains +12,559,648 a year,
    +2,167,564 [...] against investment=[a] and investment=[b] alone added up: more, settled.' for
    each pair whose parts were compared too; '' where none. ``pairs``: pairs_with_parts(result),
    where the caller has them."""
    pairs = pairs_with_parts(result) if pairs is None else pairs
    values = getattr(result, "values", None)
    if not pairs or values is None:
        return ""
    call, level, base = names or {}, confidence_of(result), result.baseline.scenario
    rows = result.scenarios.set_index("scenario")
    said = []
    for pair, a, b in pairs:
        # the replications all four ran: the pair's own, where its parts or the baseline lack some
        on = values[pair].index.intersection(values[a].index).intersection(values[b].index)
        on, alone = on.intersection(values[base].index), f"{call.get(a, a)} and {call.get(b, b)} alone"
        if len(on) < 2:  # said, not left out: it is the question the sweep asks (a review)
            said.append(f"{call.get(pair, pair)} against {alone} added up: too few replications shared by "
                        f"the four to tell ({len(on)})")
            continue
        more = (net_gain(values[pair].loc[on]) - net_gain(values[a].loc[on]) - net_gain(values[b].loc[on])
                + net_gain(values[base].loc[on]))
        mean, low, high = mean_interval(more, level)
        verdict = VERDICTS[settled_side(low, high)]
        gain = fmt_diff(BOOKINGS, rows.loc[pair, "net_gain_usd_per_year"])
        over = ("" if len(on) == len(values[pair].index) else
                f" over the {len(on)} replications all four share")
        said.append(f"{call.get(pair, pair)} gains {gain} a year, {fmt_ci(BOOKINGS, mean, low, high)} "
                    f"against {alone} added up{over}: {verdict}")
    if not said:
        return ""
    return (f"Together, by net gain per year, paired [{ci_said(result)}]: "
            f"{first_few(said, NAMED, '; ')}.")
