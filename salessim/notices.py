"""What a run says of itself, before and after, whether it runs from the command line (on
stderr) or from Python (as warnings): a run expected to take long, an investment still rolling
out when the run ends, and a measured window too short for yearly figures."""

from __future__ import annotations

import warnings
from collections.abc import Collection, Mapping

from salessim import host_pace
from salessim.config import CompensationConfig, Config, MarketConfig
from salessim.launchers import side_by_side, threads_replications
from salessim.model import levers
from salessim.model.calendar import Calendar
from salessim.overrides import typed_keys
from salessim.plural import counted
from salessim.rule_settings import unread_under_the_rule
from salessim.runner import (DEFAULT_INBOUND_LEADS_PER_SELLER_YEAR, LARGE_RUN_HOURS, expected_hours,
                             inbound_leads_per_seller_year, replication_workers)
from salessim.summary import SHORT_WINDOW_YEARS


# Inbound leads a seller a year this many times the defaults' are named in a large run's notice:
# they, not the sellers or years, are then what the run's time is made of.
MANY_TIMES_THE_DEFAULT = 10


class RunNotice(UserWarning):
    """salessim.run's word on a run: what the command line prints on stderr."""


def duration(hours: float) -> str:
    if hours < 1 / 60:
        return f"{max(1, round(hours * 3600))} s"
    if hours < 1:
        return counted(round(hours * 60), 'minute')
    return f"{hours:,.1f} hours" if hours < 48 else f"{hours / 24:,.0f} days"


def large_run(config: Config) -> str | None:
    """A run expected to take long: a typo (sim.replications=10000) should not pass unnoticed."""
    hours = expected_hours(config)
    if hours * host_pace.SLOWEST <= LARGE_RUN_HOURS:  # small on any host: no probe of its pace
        return None
    factor = host_pace.slowdown()
    workers = replication_workers(config)
    hours *= factor * host_pace.shared_out(workers)
    if hours <= LARGE_RUN_HOURS:
        return None
    leads = inbound_leads_per_seller_year(config)
    many = (f", {leads:,.0f} inbound leads a seller a year (coverage.accounts_per_seller × "
            "market.segments.<segment>.inbound_leads_per_account_year)"
            if leads > MANY_TIMES_THE_DEFAULT * DEFAULT_INBOUND_LEADS_PER_SELLER_YEAR else "")
    return (f"a large run, roughly {duration(hours)}{host_pace.where_said(factor)}"
            f"{host_pace.sharing_said(workers)} "
            f"(org.sellers={config.org.sellers}, sim.years={config.sim.years:g}, "
            f"sim.replications={config.sim.replications}{many}); Ctrl-C stops it")


def rollouts_cut_short(config: Config, built: list) -> list[str]:
    """A note for each investment still rolling out when the run ends: its return is measured
    part-way, on the costs and effects of a programme not yet in place. ``built``: the run's
    levers (levers.build), as the notices below read them too."""
    horizon = Calendar(config.sim.years).months  # the months the run has, a last short one included
    notes = []
    for lever in built:
        spec = lever.spec
        left = horizon - spec.start_month
        if not lever.acts_once and spec.rollout_months > left:
            notes.append(f"investment {lever.name} rolls out over {spec.rollout_months:g} months, "
                         f"and the run ends {counted(left, 'month')} after it starts: it is measured before "
                         "it is fully in place")
    return notes


# The weekly hours an investment kind saves: its setting, the sign of a saving, and the hours it
# saves from, in words. At most, a tool saves its setting at its highest adoption (adoption_max),
# content once rolled out, a coverage role in its seats from the start.
_HOURS_SAVED = {"tools": ("admin_hours_saved", 1.0, "tools.admin_hours", "admin"),
                "content": ("search_hours_change", -1.0, "enablement.search_hours", "search"),
                "coverage": ("internal_hours_change", -1.0, "tools.internal_hours", "internal")}


def more_hours_saved_than_held(config: Config, built: list) -> list[str]:
    """A note where tools, content or a coverage role save more hours a week, at most, than a
    seller has of that work (tools.admin_hours, enablement.search_hours, tools.internal_hours):
    the hours cannot go below zero, so the saving runs smaller than its setting reads (a month's
    figure given for a week's, a vendor's claim). Tools add up; a coverage role's seats are its
    own. Said, not refused: a sweep of the hours held may go below an investment's saving.
    ``built``: as rollouts_cut_short."""
    # (the hours held, the work in words, a coverage role's seats) -> (its setting, most saved)
    savings: dict[tuple[str, str, str], list[tuple[str, float]]] = {}
    for lever in built:
        spec = lever.spec
        if spec.kind not in _HOURS_SAVED:
            continue
        setting, sign, key, work = _HOURS_SAVED[spec.kind]
        scale = getattr(spec, "effect_scale", 1.0)
        most = sign * getattr(spec, setting) * scale * getattr(spec, "adoption_max", 1.0)
        if most > 0.0:
            scaled = f" (× effect_scale {scale:g})" if scale != 1 else ""
            typed = f"investment.{lever.name}.{setting}={getattr(spec, setting):g}{scaled}"
            seats = lever.name if spec.kind == "coverage" else ""  # a role's seats are its own
            savings.setdefault((key, work, seats), []).append((typed, most))
    notes = []
    for (key, work, _), saved in savings.items():
        section, name = key.split(".")
        held = getattr(getattr(config, section), name)
        total, one = sum(most for _, most in saved), len(saved) == 1
        if total <= held:
            continue
        names = " and ".join(typed for typed, _ in saved)
        if held == 0.0:
            notes.append(f"a seller has no {work} hours to save ({key}=0): {names} "
                         f"save{'s' * one} none")
        else:
            notes.append(f"{names} {'saves' if one else 'save together'} up to {total:.3g} {work} hours a "
                         f"week, more than the {held:g} a seller has ({key}): "
                         f"{'it saves' if one else 'they save'} at most {held:g}")
    return notes


# An investment's fees for each seller: a vendor's whole price typed as one seller's passes every
# range (900k a year, 900 meant: a sales-ops walk followed the hint to write 900000).
PER_SELLER_FEES = ("license_per_seller_year_usd", "cost_per_seller_usd")


def fees_above_a_sellers_pay(config: Config, built: list) -> list[str]:
    """A note for a fee per seller above the best paid seat's whole on-target earnings: said, not
    refused, since a price is the user's to set. ``built``: as rollouts_cut_short."""
    most_paid = max(config.compensation.on_target_earnings_usd.values(), default=0.0)
    notes = []
    for lever in built:
        for setting in PER_SELLER_FEES:
            fee = getattr(lever.spec, setting, 0.0)
            if most_paid and fee > most_paid:
                notes.append(f"investment.{lever.name}.{setting}={fee:.15g} is a fee for each seller, more "
                             f"than a seller's whole on-target earnings (at most {most_paid:,.0f}): is it "
                             f"the price for all sellers, typed as one seller's?")
    return notes


def short_window(config: Config) -> str | None:
    """A measured window too short for yearly figures: rates from a few weeks are mostly noise.
    Known from the config alone (the summary's window_years), so it can be said before a study."""
    cal, warmup = Calendar(config.sim.years), config.sim.warmup_months
    if cal.years_from_month(warmup) >= SHORT_WINDOW_YEARS:
        return None
    return (f"only {counted(cal.weeks_from_month(warmup), 'week')} measured after the {warmup}-month "
            f"warm-up (sim.years={config.sim.years:g}): yearly figures such as turnover are "
            "extrapolated from them")


def veto_at_the_consensus_calibration(config: Config, fitted_under: Collection[str] = ()) -> str | None:
    """A veto rule at the shipped status-quo pull, which was calibrated under weighted consensus:
    its extra stalls are the rule's effect at that level, not a calibrated organization's. Not
    said when a fit the run applies was fitted under the rule (``fitted_under``: the rules of its
    study and of its targets' conditions): the run is calibrated for it, pull and all."""
    rule, pull = config.market.decision_rule, config.market.status_quo_utility
    if (rule not in ("soft_veto", "unanimity_veto") or pull != MarketConfig().status_quo_utility
            or rule in fitted_under):
        return None
    # A pull fitted under soft_veto is documented; none under unanimity_veto, which is calibrated.
    shifted = "add market.status_quo_utility=-0.37, or " if rule == "soft_veto" else ""
    return (f"market.decision_rule={rule} runs at market.status_quo_utility={pull:g}, calibrated "
            "under weighted_consensus, so more groups stall than the published outcome mix has; "
            f"for that mix under {rule} {shifted}calibrate under it (docs/calibration.md, section 5)")


PAY_MIX = "compensation.base_share"


def pay_mix_of_the_organization(config: Config, typed: Collection[str] | None = None) -> str | None:
    """A configured pay mix other than the default: it describes the plan under which sellers
    work the norm week, so it moves pay and not effort, which a sweep of it can be taken to test.
    Said where the command's overrides, ``typed`` (None: not known), set it: one set in a file
    describes the user's organization, and an analyst's own plan was told so at every command."""
    share = config.compensation.base_share
    if share == CompensationConfig().base_share or (typed is not None and PAY_MIX not in typed_keys(typed)):
        return None
    return (f"compensation.base_share={share:g} describes the organization's plan, under which its "
            "sellers work the norm week: it moves base and commission pay, not effort; to try a "
            "plan with another pay mix, give a compensation investment its base_share "
            "(docs/model.md, section 13)")


def before_run(config: Config, sweep: bool = False, fitted_under: Collection[str] = (),
               typed: Collection[str] | None = None) -> list[str]:
    """What is said before a run starts: a long run, the investments cut short by its end, hours
    saved beyond those sellers have, fees per seller above a seller's pay, what a sweep says once
    (said_once_for_a_sweep), and a setting of the decision that the run's rule does not read. A
    sweep says the first and the last two once for all its jobs, not job by job (preflight.py).
    ``typed``: the run's overrides, if known."""
    large = None if sweep else large_run(config)
    built = levers.build(config.investment, config.sim.warmup_months)  # once, for the three below
    return ([large] * bool(large) + rollouts_cut_short(config, built)
            + more_hours_saved_than_held(config, built) + fees_above_a_sellers_pay(config, built)
            + ([] if sweep else said_once_for_a_sweep(config, fitted_under, typed=typed)
               + unread_under_the_rule(config)))


def said_once_for_a_sweep(config: Config, fitted_under: Collection[str] = (),
                          launcher: Mapping | None = None, typed: Collection[str] | None = None) -> list[str]:
    """A veto rule at the pull calibrated for another rule (``fitted_under``: the rules the run's
    fits were fitted under), a pay mix of the organization's that moves no effort, and replication
    workers that ``launcher`` runs as threads: each names the setting it is about, so a sweep says
    each line once, not once a job (a walk's sweep of 9 jobs of one organization printed its pay
    mix's notice 9 times, over the jobs' own lines)."""
    veto = veto_at_the_consensus_calibration(config, fitted_under)
    mix = pay_mix_of_the_organization(config, typed)
    threads = workers_as_threads(config, launcher)
    return [veto] * bool(veto) + [mix] * bool(mix) + [threads] * bool(threads)


def workers_as_threads(config: Config, launcher: Mapping | None) -> str | None:
    """Replication workers (sim.workers) in a sweep whose joblib launcher runs jobs side by side:
    joblib runs them as threads of the job's worker process, which take turns at the interpreter's
    lock (two jobs of 4 replications, 60 sellers, 2 years, took 7-9 s each with sim.workers=2
    against 6-8 s with 1, side by side on two workers, twice each, 7 December 2026)."""
    if replication_workers(config) < 2 or not threads_replications(launcher):
        return None
    jobs = side_by_side(launcher)
    return (f"sim.workers={config.sim.workers} gains nothing in a sweep of {jobs} jobs at a time "
            "(hydra.launcher.n_jobs): joblib runs a job's replication workers as threads of its worker "
            "process, which take turns on one core and run slower than one worker; leave sim.workers at 1 "
            "here, or run the sweep one job at a time (hydra.launcher.n_jobs=1)")


def warn(scenario: str, notice: str) -> None:
    """A notice for salessim.run's caller, attributed to their call (two frames up)."""
    warnings.warn(f"salessim: {scenario}: {notice}", RunNotice, stacklevel=3)
