"""Structured config schema: every key salessim understands, its type, default and allowed range.

The dataclasses are registered in Hydra's ConfigStore as the schemas that the YAML files under
``configs/`` extend. Each field carries its allowed range in ``metadata`` (``ge``/``le``/``gt``/
``choices``); :mod:`salessim.validation` checks them before any simulation starts. Defaults and
their sources are explained in ``docs/model.md``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from hydra.core.config_store import ConfigStore


def rng(default: Any, ge: float | None = None, le: float | None = None, gt: float | None = None,
        doc: str = "", why: str = "") -> Any:
    """A numeric field with its allowed range (checked by salessim.validation); a default of None
    means the field may be left unset (null). ``why``: the reason for a bound a user would not
    guess, said with its refusal."""
    return field(default=default, metadata={"ge": ge, "le": le, "gt": gt, "doc": doc,
                                            "nullable": default is None, "why": why})


def prob(default: float, doc: str = "") -> Any:
    return rng(default, ge=0.0, le=1.0, doc=doc)


def setting(default: Any, doc: str) -> Any:
    """A field with no range or choices to check (a true/false, a name), and what it means."""
    return field(default=default, metadata={"doc": doc})


def choice(default: str, choices: tuple[str, ...], doc: str = "") -> Any:
    return field(default=default, metadata={"choices": choices, "doc": doc})


def file_name(default: str, doc: str = "") -> Any:
    """A name that becomes a file or folder name: letters, digits, '_', '-' and '.', no path."""
    return field(default=default, metadata={"file_name": True, "doc": doc})


def seg_map(positive: bool = False, le: float | None = None, *, doc: str = "", **values: float) -> Any:
    """A per-segment mapping (keys must name segments of ``market.segments``); values >= 0, or
    > 0 where ``positive`` (a quota or a salary of zero means nothing), and at most ``le``."""
    return field(default_factory=lambda: dict(values),
                 metadata={"per_segment": True, "positive": positive, "value_le": le, "doc": doc})


SEGMENTS = ("smb", "mid_market", "enterprise")
INT64_MAX = 2**63 - 1  # seeds are stored in int64 columns
# Upper bounds that keep a run finite and in memory, far above any real organization's values:
MONEY_MAX_USD = 1e9
# A budget under it is a mistyped one: 150.000, 150 thousand as written in much of Europe, is 150.
SMALLEST_BUDGET_USD = 1e3
MOST_YEARS = 30.0  # sim.years' limit


# What a run with no sim.scenario and no override is named; a sweep's scenario so named is its
# baseline for salessim-compare (baseline.choose_baseline).
UNNAMED_SCENARIO = "baseline"


@dataclass
class SimConfig:
    seed: int = rng(20261128, ge=0, le=INT64_MAX,
                    doc="root seed; replication r uses SeedSequence((seed, r))")
    replications: int = rng(3, ge=1, le=10_000, doc="independent replications per scenario")
    years: float = rng(3.0, gt=0.0, le=MOST_YEARS, doc="simulated horizon in years, warm-up included")
    warmup_months: int = rng(6, ge=0, doc="months simulated but excluded from KPIs")
    scenario: str = setting("", "scenario name; empty: from the overrides, or 'baseline'")
    baseline: bool = setting(False, "marks the job that salessim-compare uses as baseline")
    trace: bool = setting(False, "also write one row per journey step (journey_events.parquet)")
    progress: bool = setting(True, "progress bar over the simulated months (only on a terminal)")
    workers: int = rng(1, ge=0, le=256, doc="replications run side by side (0: one per core); tables "
                       "the same for any number")
    resume: bool = setting(False, "skip a job whose folder holds complete results of this config")


@dataclass
class SegmentConfig:
    """A market segment and its buying environment (transactional <-> complex)."""
    complexity: float = prob(0.5, "0 transactional ... 1 complex; weights adaptive competency")
    stakeholders_min: int = rng(3, ge=1, le=30, doc="smallest initial buying group, stakeholders")
    stakeholders_max: int = rng(6, ge=1, le=30, doc="largest initial buying group, stakeholders")
    deal_value_median_usd: float = rng(35_000.0, gt=0.0, le=MONEY_MAX_USD, doc="median deal value, USD")
    deal_value_sigma: float = rng(0.6, ge=0.0, le=3.0, doc="lognormal sigma of deal value")
    deal_value_account_share: float = prob(0.5, "share of deal values' log variance from the "
                                           "account's spend potential")
    inbound_leads_per_account_year: float = rng(0.15, ge=0.0, le=100.0,
                                                doc="inbound (marketing) leads per account a year")
    self_educated_share: float = prob(0.2, "share of buyers who skip the awareness phase (engage late)")
    awareness_steps_max: int = rng(4, ge=1, le=50,
                                   doc="most awareness rounds before the deal stalls (status quo)")
    buying_steps: int = rng(4, ge=1, le=50, doc="buying rounds before due diligence adds more")
    step_hours: float = rng(3.0, gt=0.0, le=100.0,
                            doc="seller hours per round, before the group-size factor")
    response_days_mean: float = rng(11.0, gt=0.0, le=365.0, doc="buyer's mean time between rounds, days")
    competitor_presence: float = prob(0.7, "chance that a competitor is in the deal")
    competitor_strength_mean: float = rng(0.4, ge=-2.0, le=2.0,
                                          doc="mean utility of the competitor's offer, support scale")
    new_stakeholder_prob: float = prob(0.08, "chance per buying round that a stakeholder joins")
    escalation_prob: float = prob(0.04, "chance per buying round of an escalation needing the FSM")
    delivery_days: float = rng(60.0, ge=0.0, le=1000.0, doc="days from a win to delivered value")
    follow_up_months_mean: float = rng(9.0, gt=0.0, le=120.0,
                                       doc="mean delay from delivery to a follow-up lead, months")
    customer_churn: float = prob(0.0, "share of customers lost a year at satisfaction 0.5 "
                                 "(0: none)")


def _default_segments() -> Dict[str, SegmentConfig]:
    return {
        "smb": SegmentConfig(complexity=0.15, stakeholders_min=1, stakeholders_max=2,
                             deal_value_median_usd=9_000.0, inbound_leads_per_account_year=0.16,
                             self_educated_share=0.7, awareness_steps_max=2, buying_steps=2,
                             step_hours=1.5, response_days_mean=6.0, competitor_presence=0.6,
                             new_stakeholder_prob=0.02, escalation_prob=0.01, delivery_days=21.0),
        "mid_market": SegmentConfig(),
        "enterprise": SegmentConfig(complexity=0.85, stakeholders_min=5, stakeholders_max=10,
                                    deal_value_median_usd=150_000.0, inbound_leads_per_account_year=0.6,
                                    self_educated_share=0.0, awareness_steps_max=6, buying_steps=6,
                                    step_hours=4.0, response_days_mean=12.0, competitor_presence=0.8,
                                    new_stakeholder_prob=0.12, escalation_prob=0.08,
                                    delivery_days=120.0),
    }


@dataclass
class FormsConfig:
    """Constants of the functional forms a lever's return rests on most (docs/model.md, "Fixed
    constants"), set apart from MarketConfig: Python 3.11 reads an instance's attributes on a fast
    path up to 29 of them, and the journeys read the market's at every round."""
    transactional_process_weight: float = prob(
        0.5, "share of a transactional round's quality from process skill")
    complex_adaptive_weight: float = prob(
        0.4, "share of a complex round's quality from adaptive competency")
    economic_buyer_influence: float = rng(1.0, ge=0.0, le=10.0,
                                          doc="the economic buyer's influence above Exp(1)")
    stakeholder_influence: float = rng(0.2, ge=0.0, le=10.0,
                                       doc="any other stakeholder's influence above Exp(1)")
    self_educated_alignment: float = prob(0.8, "alignment a group that educated itself has at least, 0-1")
    competitor_appeal_sd: float = rng(0.2, ge=0.0, le=2.0,
                                      doc="spread of the competitor's appeal between stakeholders")
    competitor_risk_share: float = prob(0.8, "share of our deal's risk seen in the competitor's "
                                             "offer")


ECONOMIC_BUYER = "economic_buyer"  # the first stakeholder of every buying group
STAKEHOLDER_ROLES = {"technical": 0.3, "user": 0.3, "finance": 0.15, "procurement": 0.1,
                     "executive_sponsor": 0.15}


@dataclass
class MarketConfig:
    segments: Dict[str, SegmentConfig] = field(default_factory=_default_segments)
    forms: FormsConfig = field(default_factory=FormsConfig)
    gross_margin: float = prob(0.7, "gross margin on bookings, a share 0-1 (for contribution, ROI)")
    decision_rule: str = choice("weighted_consensus",
                                ("weighted_consensus", "unanimity_veto", "soft_veto", "economic_buyer"),
                                "how the buying group decides")
    stance_mean: float = rng(0.0, ge=-1.0, le=1.0, doc="mean initial support of a stakeholder, -1 to 1")
    stance_sd: float = rng(0.3, ge=0.0, le=2.0, doc="spread (sd) of initial support between stakeholders")
    known_stakeholder_bonus: float = rng(0.2, ge=0.0, le=1.0,
                                         doc="initial support gained if the seller knows them, -1 to 1 scale")
    new_stakeholder_stance: float = rng(-0.15, ge=-1.0, le=1.0,
                                        doc="mean initial support of a late joiner, -1 to 1")
    rounds_per_joiner: int = rng(0, ge=0, le=10, doc="buying rounds a stakeholder joining midway "
                                                      "asks for")
    support_learning_rate: float = rng(0.9, ge=0.0, le=10.0,
                                       doc="support change per unit of (quality - neutral)")
    neutral_quality: float = prob(0.51, "interaction quality that leaves support unchanged, 0-1")
    support_noise_sd: float = rng(0.08, ge=0.0, le=1.0,
                                  doc="noise (sd) in each stakeholder's response to a round")
    contacts_per_round: int = rng(3, ge=1, le=30, doc="stakeholders a seller reaches per round")
    awareness_gate: float = rng(0.15, ge=-1.0, le=1.0,
                                doc="influence-weighted support that confirms the pain, -1 to 1")
    risk_reference_usd: float = rng(20_000.0, ge=1.0, le=MONEY_MAX_USD,
                                    doc="deal value that sets the scale of perceived risk, USD")
    risk_weight: float = rng(0.12, ge=0.0, le=5.0,
                             doc="perceived risk per ln(1 + deal value / risk_reference_usd)")
    rounds_per_risk: float = rng(1.5, ge=0.0, le=20.0,
                                 doc="extra buying rounds per unit of log deal size (due diligence)")
    alignment_rate: float = prob(0.5, "share of the concept gap one awareness round closes at quality 1")
    vision_indecision: float = rng(0.3, ge=0.0, le=10.0,
                                   doc="status-quo pull per unit of missing shared vision")
    momentum_loss_per_month: float = rng(0.15, ge=0.0, le=5.0,
                                         doc="support lost per 30 days a round waits for the seller")
    status_quo_utility: float = rng(-0.06, ge=-5.0, le=5.0,
                                    doc="base utility of doing nothing, support scale")
    dissent_indecision: float = rng(0.5, ge=0.0, le=10.0,
                                    doc="status-quo pull per unit of disagreement in the group")
    decision_temperature: float = rng(0.25, gt=0.0, le=10.0,
                                      doc="logit temperature of the decision (lower: more certain)")
    veto_threshold: float = rng(-0.3, ge=-2.0, le=2.0,
                                doc="utility below which a stakeholder vetoes (soft_veto: 50% at it)")
    escalation_penalty: float = rng(0.25, ge=0.0, le=2.0,
                                    doc="support every stakeholder loses at an unanswered escalation")
    quality_noise_sd: float = rng(0.08, ge=0.0, le=1.0, doc="noise (sd) in a round's quality, 0-1 scale")
    follow_up_satisfaction: float = prob(
        0.6, "satisfaction at or above which follow-up business opens, 0-1")
    disruption_penalty: float = rng(0.1, ge=0.0, le=2.0,
                                    doc="support lost when a deal's seller leaves")
    # The roles of the stakeholders beside the economic buyer (the first), by share. They tell
    # stakeholders apart only where content addresses roles (enablement.content_roles, or a
    # content investment's roles); without such content no role is drawn.
    stakeholder_roles: Dict[str, float] = field(
        default_factory=lambda: dict(STAKEHOLDER_ROLES),
        metadata={"doc": "share of each buyer role beside the economic buyer, sum 1"})


@dataclass
class OrgConfig:
    sellers: int = rng(100, ge=1, le=100_000, doc="territories (seats), one seller each when staffed")
    segment_mix: Dict[str, float] = seg_map(smb=0.4, mid_market=0.4, enterprise=0.2,
                                            doc="per segment: share of the seats, summing to 1")
    weekly_hours: float = rng(50.0, gt=0.0, le=100.0, doc="seller work week, hours")
    skill_mean: float = prob(0.5, "mean process and adaptive skill level, 0-1 (0.5: competent)")
    skill_sd: float = rng(0.12, ge=0.0, le=1.0, doc="spread (sd) of skill potentials between sellers")
    potential_gap_mean: float = rng(0.15, ge=0.0, le=1.0,
                                    doc="mean headroom from skill level to potential, 0-1 scale")
    skill_erosion_monthly: float = prob(0.006, "share of process and adaptive skill lost a month "
                                        "(coaching offsets it)")
    new_hire_knowledge_share: float = prob(0.35, "new hire's knowledge as share of potential")
    onboarding_months: float = rng(3.0, gt=0.0, le=60.0,
                                   doc="time constant of learning on the job (ramp), months")
    hiring_lag_months: float = rng(4.0, ge=0.0, le=36.0, doc="mean time to fill a vacant seat, months")
    hiring_cost_usd: float = rng(25_000.0, ge=0.0, le=MONEY_MAX_USD,
                                 doc="one-off recruiting cost per hire, USD")
    attrition_base_monthly: float = prob(0.014, "chance a month that a seller leaves, before its multiples")
    attrition_attainment_sensitivity: float = rng(
        2.5, ge=0.0, le=10.0, doc="exit hazard times exp(this x shortfall below quota pace)")
    attrition_pay_sensitivity: float = rng(2.0, ge=0.0, le=20.0,
                                           doc="exit hazard times exp(this x (1 - pay ratio to market))")
    attrition_poor_manager_top: float = rng(2.0, ge=0.0, le=20.0,
                                            doc="extra hazard multiple for top performers under poor FSMs")
    top_performer_attainment: float = rng(1.2, gt=0.0, le=10.0,
                                          doc="quota attainment pace that marks a top performer (1.2: 120%)")
    vacancy_cover_hours: float = rng(4.0, ge=0.0, le=100.0,
                                     doc="FSM hours a week covering a vacant territory")


@dataclass
class CoverageConfig:
    accounts_per_seller: Dict[str, float] = seg_map(le=10_000.0, smb=150.0, mid_market=40.0,
                                                    enterprise=8.0, doc="per segment: accounts in a territory")
    customer_share: Dict[str, float] = seg_map(le=1.0, smb=0.3, mid_market=0.4, enterprise=0.6,
                                               doc="per segment: chance an account starts as a customer")
    network_strength: Dict[str, float] = seg_map(
        le=1.0, smb=0.3, mid_market=0.3, enterprise=0.35,
        doc="per segment: mean share of a customer's buyers the seller knows")
    prospecting_share: float = prob(0.5, "share of free hours spent prospecting for new logos")
    prospecting_leads_per_hour: Dict[str, float] = seg_map(le=10.0, smb=0.26, mid_market=0.14,
                                                           enterprise=0.065,
                                                           doc="per segment: leads per prospecting hour")
    account_leads_per_hour: Dict[str, float] = seg_map(
        le=10.0, smb=0.24, mid_market=0.16, enterprise=0.1,
        doc="per segment: account ideas per account-management hour")
    # At most this many leads (prospecting) or account ideas a year that seller effort can find
    # at one account: the yield per hour falls as effort nears it (model/lead_yield.py).
    lead_ceiling_per_account_year: Dict[str, float] = seg_map(
        positive=True, le=1000.0, smb=3.0, mid_market=3.0, enterprise=12.0,
        doc="per segment: most leads effort can find per account a year")
    qualify_hours: float = rng(1.0, ge=0.0, le=40.0, doc="seller hours to qualify a lead")
    lead_ttl_days: float = rng(21.0, gt=0.0, le=365.0, doc="days after which an unworked lead goes cold")


@dataclass
class CompensationConfig:
    quota_usd: Dict[str, float] = seg_map(positive=True, le=MONEY_MAX_USD, smb=580_000.0,
                                          mid_market=600_000.0, enterprise=690_000.0,
                                          doc="per segment: yearly quota of a seat, USD")
    on_target_earnings_usd: Dict[str, float] = seg_map(positive=True, le=MONEY_MAX_USD,
                                                       smb=110_000.0, mid_market=150_000.0,
                                                       enterprise=220_000.0,
                                                       doc="per segment: on-target earnings, USD a year")
    base_share: float = rng(0.6, ge=0.0, le=0.95, doc="share of on-target earnings paid as base salary",
                            why="the organization's plan, whose commission is the unit of a seller's "
                                "effort; an all-salary plan is a compensation investment's base_share "
                                "of 1: docs/model.md, section 13")
    accelerator: float = rng(1.5, ge=0.0, le=10.0, doc="commission multiple above quota")
    cap_attainment: float = rng(3.0, gt=0.0, le=100.0,
                                doc="attainment beyond which no commission, a multiple of quota")
    market_pay_ratio: float = rng(1.0, gt=0.0, le=5.0,
                                  doc="pay relative to the market, a multiple (1: at market)")
    quota_period: str = choice("annual", ("annual", "quarterly"),
                               "quota and commission period, a year or 13 weeks")
    new_logo_bonus_share: float = rng(0.0, ge=0.0, le=5.0,
                                      doc="extra commission on new-logo deals, x the normal commission")
    new_logo_allocation_sensitivity: float = rng(
        0.5, ge=0.0, le=5.0, doc="share of free time moved to prospecting per unit of bonus")
    effort_hours_per_rate: float = rng(4.0, ge=0.0, le=40.0,
                                       doc="extra weekly hours per unit of marginal commission multiple")
    max_effort_hours: float = rng(8.0, ge=0.0, le=40.0, doc="most weekly hours effort adds or takes away")
    push_weeks: int = rng(2, ge=0, le=13, doc="weeks before a period's end when sellers push")
    push_discount: float = rng(0.1, ge=0.0, le=0.9,  # a whole discount would win deals worth $0
                               doc="discount to close a deal in the push, a share of its value")
    push_utility: float = rng(0.15, ge=0.0, le=2.0,
                              doc="appeal the discount adds for every stakeholder, support scale")


@dataclass
class EnablementConfig:
    content_quality: float = prob(0.5, "quality of the enablement content, 0-1")
    content_fit_awareness: float = prob(0.3, "fit of content to the awareness phase, 0-1")
    content_fit_buying: float = prob(0.5, "fit of content to the buying phase, 0-1")
    content_role_coverage: float = prob(0.4, "share of buyer roles the content addresses")
    # The buyer roles the content addresses, by name (economic_buyer or a key of
    # market.stakeholder_roles; content_role_coverage is then not read, and a role of share 0
    # addresses no one); unset: content_role_coverage gives the share, role by role alike.
    content_roles: Optional[List[str]] = setting(None, "buyer roles the content addresses, by name "
                                                       "(unset: by share)")
    content_lift: float = rng(0.15, ge=0.0, le=1.0, doc="knowledge-equivalent lift of perfect content")
    onboarding_boost: float = rng(0.15, ge=0.0, le=1.0,
                                  doc="process skill taught in new-hire training (forgets)")
    onboarding_training_hours: float = rng(40.0, ge=0.0, le=500.0, doc="new-hire classroom hours")
    onboarding_training_weeks: int = rng(2, ge=1, le=52,
                                         doc="weeks over which new-hire classroom hours are spread")
    event_training_reinforcement: float = prob(0.1, "coaching's reinforcement of training not designed "
                                                "with it, 0-1")
    retention_days: float = rng(90.0, gt=0.0, le=3650.0,
                                doc="stability s of trained skill in R = exp(-t/s), days")
    search_hours: float = rng(3.0, ge=0.0, le=40.0, doc="weekly hours searching for content")


@dataclass
class FsmConfig:
    span_of_control: float = rng(8.5, ge=1.0, le=100.0, doc="sellers per FSM")
    coaching_quality: float = prob(0.5, "coaching quality of a developed FSM, 0-1")
    coaching_focus: float = prob(0.4, "share of coaching on leading indicators (vs results)")
    results_only_effect: float = prob(0.2, "share of coaching's effect on skills a pure "
                                           "results focus keeps")
    developed_share: float = prob(0.3, "share of FSMs developed for the role (vs promoted)")
    promoted_quality_penalty: float = prob(0.15, "coaching quality a promoted FSM lacks, 0-1 scale")
    weekly_hours: float = rng(50.0, gt=0.0, le=100.0, doc="FSM work week, hours")
    business_hours_base: float = rng(12.0, ge=0.0, le=100.0,
                                     doc="FSM hours a week for forecasting, reporting, admin")
    business_hours_per_seller: float = rng(1.0, ge=0.0, le=20.0,
                                           doc="extra FSM business hours a week per seat in the team")
    coaching_time_share: float = prob(0.16, "share of the FSM's week set aside for coaching")
    one_to_one_hours: float = rng(1.0, ge=0.0, le=20.0, doc="ideal one-to-one length, hours")
    one_to_one_interval_weeks: int = rng(1, ge=1, le=52, doc="weeks between a seller's one-to-ones")
    deal_reviews_per_seller: int = rng(2, ge=0, le=20, doc="deal reviews per seller per week")
    deal_review_hours: float = rng(0.3, gt=0.0, le=20.0,
                                   doc="hours per deal review (no reviews: deal_reviews_per_seller=0)")
    hiring_hours_per_vacancy: float = rng(2.0, ge=0.0, le=40.0,
                                          doc="FSM hours a week spent hiring per vacant seat")
    escalation_hours: float = rng(3.0, ge=0.0, le=40.0, doc="FSM hours one escalation takes")
    skill_growth_rate: float = rng(0.05, ge=0.0, le=1.0,
                                   doc="skill gap share closed per coaching hour (FSM quality 1, focus 1)")
    deal_coaching_lift: float = rng(0.12, ge=0.0, le=1.0,
                                    doc="14-day quality lift of a reviewed deal (FSM quality 1, focus 1)")
    salary_usd: float = rng(200_000.0, ge=0.0, le=MONEY_MAX_USD, doc="fully loaded cost of an FSM, USD a year")


@dataclass
class ToolsConfig:
    admin_hours: float = rng(10.0, ge=0.0, le=60.0, doc="weekly seller admin hours (CRM, reports)")
    internal_hours: float = rng(15.0, ge=0.0, le=60.0,
                                doc="weekly seller hours of internal meetings, travel, other")
    cost_per_seller_year_usd: float = rng(1_500.0, ge=0.0, le=MONEY_MAX_USD,
                                          doc="CRM and sales tool cost per seat, USD a year")


@dataclass
class Config:
    sim: SimConfig = field(default_factory=SimConfig)
    org: OrgConfig = field(default_factory=OrgConfig)
    market: MarketConfig = field(default_factory=MarketConfig)
    coverage: CoverageConfig = field(default_factory=CoverageConfig)
    compensation: CompensationConfig = field(default_factory=CompensationConfig)
    enablement: EnablementConfig = field(default_factory=EnablementConfig)
    fsm: FsmConfig = field(default_factory=FsmConfig)
    tools: ToolsConfig = field(default_factory=ToolsConfig)
    investment: Dict[str, Any] = field(
        default_factory=dict,
        metadata={"doc": "the investments, chosen as investment=[NAME,...]; [] for none"})
    experiment_question: Optional[str] = setting(None, "the question an experiment answers (for reports)")
    # The first-year budget the question is asked under: salessim-compare's --budget when none is given.
    experiment_budget_usd: Optional[float] = rng(
        None, ge=SMALLEST_BUDGET_USD, le=MONEY_MAX_USD,
        doc="budget for a scenario's extra investment, first 12 months, USD",
        why="a budget under 1,000 USD is a mistyped one: 150.000, 150 thousand as written in much of "
        "Europe, is 150")


# The fields of an entry of calibration.params (salessim.calibration.params reads them).
FREE_PARAM_FIELDS = ("low", "high", "mode", "log")
FREE_PARAM_FIELDS_ALLOWED = "low, high, mode or log"


def _default_free_params() -> Dict[str, Any]:
    return {
        "market.neutral_quality": {"low": 0.45, "high": 0.57},
        "market.status_quo_utility": {"low": -0.3, "high": 0.15},
        "market.segments.*.competitor_strength_mean": {"low": 0.1, "high": 0.7},
        "org.attrition_base_monthly": {"low": 0.006, "high": 0.03},
        "compensation.quota_usd.*": {"low": 0.7, "high": 1.3, "mode": "scale"},
        "tools.internal_hours": {"low": 10.0, "high": 20.0},
        "fsm.coaching_time_share": {"low": 0.08, "high": 0.3},
        "market.segments.mid_market.response_days_mean": {"low": 6.0, "high": 18.0},
    }


@dataclass
class CalibrationConfig:
    name: str = file_name("default", "results/calibration/<name>/, and salessim +calibrated=<name>")
    n_trials: int = rng(60, ge=1, le=100_000, doc="trials the study should hold, complete or pruned")
    replications: int = rng(4, ge=1, le=1_000, doc="replications per trial")
    # Stop a trial between steps of replications when it is worse than the median of the complete
    # trials at that step, once 10 have one (study.pruner).
    prune: bool = setting(True, "stop a trial early when worse than the complete trials' median")
    final_replications: int = rng(10, ge=2, le=10_000, doc="replications of the fit table")
    storage: Optional[str] = setting(None, "an RDB URL shared by workers (unset: a journal file)")
    seed: int = rng(0, ge=0, le=INT64_MAX, doc="seed of the sampler")
    targets_file: Optional[str] = setting(None, "a CSV or Parquet file of targets (replaces targets.items)")
    params: Dict[str, Any] = field(default_factory=_default_free_params,
                                   metadata={"doc": "free parameters and their search ranges"})
    free: Optional[List[str]] = setting(None, "the keys of params to fit (unset: all of them)")
    # A recovery study: a known value for every free parameter (a factor for mode: scale); the
    # targets' values are then made by the model at them, and the fit says how far it lands.
    recover: Dict[str, Any] = field(
        default_factory=dict, metadata={"doc": "a known value of every free parameter: a recovery study"})


@dataclass
class CalibrateConfig(Config):
    """The salessim-calibrate app: the model config plus the study and its targets."""
    calibration: CalibrationConfig = field(default_factory=CalibrationConfig)
    targets: Dict[str, Any] = field(default_factory=dict,
                                    metadata={"doc": "the figures the study fits (targets=NAME picks a set)"})


def flatten(config: Any, prefix: str = "") -> dict[str, Any]:
    """Nested config dict -> {"fsm.span_of_control": 6, ...}; lists and empty mappings stay whole
    values."""
    if not isinstance(config, dict):
        return {prefix: config}
    out: dict[str, Any] = {}
    for key, value in config.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(flatten(value, name))
        else:
            out[name] = value
    return out


MISSING = "(not set)"  # how a key one of two configs lacks is shown


def changed_settings(before: dict, after: dict) -> list[tuple[str, Any, Any]]:
    """(key, value before, value after) for every setting of two nested (or flat) configs that
    differs, in key order; a key one of them lacks has the value MISSING there. A key one lacks
    that the other holds at its default is no change (older_code_at_default)."""
    a, b = flatten(before), flatten(after)
    return [(k, a.get(k, MISSING), b.get(k, MISSING)) for k in sorted(set(a) | set(b))
            if a.get(k, MISSING) != b.get(k, MISSING)
            and not older_code_at_default(k, a.get(k, MISSING), b.get(k, MISSING))]


def older_code_at_default(key: str, one: Any, other: Any) -> bool:
    """A setting one config lacks and the other holds at its default: a salessim made before the
    key existed ran what its default runs (a new key's default keeps the model as it was), so
    the two configs do not differ there (market.forms.*, added on 30 November 2026)."""
    if (one is MISSING) == (other is MISSING):
        return False
    value = other if one is MISSING else one
    default = schema_default(key)
    return default is not MISSING and value == default


# Mappings added to the schema since its first release, whose default entries a config made
# before holds none of and ran (market.stakeholder_roles, 1 December 2026). Other mappings' entries
# have no default a missing one ran: a segment left out of market.segments is a change.
MAPPINGS_ADDED = ("market.stakeholder_roles",)


def schema_default(key: str, schema: type = None) -> Any:
    """The default of a dotted key whose every part is a field of the schema's sections
    (fsm.results_only_effect, market.forms.competitor_risk_share) or an entry of a mapping added
    since (MAPPINGS_ADDED); MISSING for any other, such as an entry of another mapping
    (market.segments.smb.complexity) or a key the schema lacks."""
    node: Any = Config() if schema is None else schema()
    parts = key.split(".")
    for i, part in enumerate(parts):
        if isinstance(node, dict) and ".".join(parts[:i]) in MAPPINGS_ADDED and part in node:
            node = node[part]
            continue
        if not dataclasses.is_dataclass(node) or part not in {f.name for f in dataclasses.fields(node)}:
            return MISSING
        node = getattr(node, part)
    return MISSING if dataclasses.is_dataclass(node) or isinstance(node, (dict, list)) else node


SCHEMAS = {"salessim_schema": Config, "salessim_calibrate_schema": CalibrateConfig}
_stored: dict[str, Any] = {}  # what this process stored under each name


def register_configs() -> None:
    """salessim's schemas in Hydra's ConfigStore, stored once a process.

    OmegaConf builds a stored schema from its dataclasses: 0.3 s for the two. A command stored them
    when it started and again when it checked its arguments, and salessim.run at every call. A
    schema is stored again only when the store no longer holds the one stored (a new store)."""
    cs = ConfigStore.instance()
    for name, schema in SCHEMAS.items():
        if name not in _stored or cs.repo.get(f"{name}.yaml") is not _stored[name]:
            cs.store(name=name, node=schema)
            _stored[name] = cs.repo[f"{name}.yaml"]
    ConfigStore.__deepcopy__ = _the_store_itself


def _the_store_itself(store: ConfigStore, memo: dict) -> ConfigStore:
    """A deep copy of Hydra's ConfigStore: the store. Hydra 1.3 deep-copies its config repository
    for every composition and every listing of a group's options, and with it the store that its
    structured-config source keeps: salessim's two schemas, tens of thousands of objects, each time.
    `salessim --help` lists 103 groups: 3.9 s, of which 2.5 s copying; a composition (0.1 s for each
    job a sweep checks) 150 ms, 31 of them copying. The store is one per process, its load() already
    hands out copies, and Hydra since its pull request 2928 reads the live store instead of a copy.
    One effect beyond speed: Hydra's snapshot of its singletons (Singleton.get_state, which its
    pytest fixture restores) now holds the live store, so a config stored after a snapshot outlives
    the restore."""
    return store
