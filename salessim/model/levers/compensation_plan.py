"""Compensation and quota strategy: new plan terms from the start month.

The plan changes incentives only; sellers respond through the model's mechanisms: effort (weekly
hours follow the marginal commission multiple: accelerators above quota, nothing above the cap,
all of it scaled by the variable share of pay against the configured plan's),
allocation of free time (a new-logo bonus shifts it to prospecting), the end-of-period push with
discounts (more often with quarterly quotas), and attrition (attainment and pay relative to the
market). (2014 MHI study: 60% of firms invested in compensation and quota strategy.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from salessim.config import rng
from salessim.model.levers.base import InvestmentSpec, Lever


@dataclass
class CompensationSpec(InvestmentSpec):
    quota_multiplier: float = rng(1.0, gt=0.0, le=10.0, doc="new quotas as a multiple of the old")
    accelerator: Optional[float] = rng(None, ge=0.0, le=10.0, doc="new commission multiple above quota "
                                       "(unset: unchanged)")
    cap_attainment: Optional[float] = rng(None, ge=1.0, le=100.0, doc="new attainment beyond which no "
                                          "commission is paid (unset: unchanged)")
    base_share: Optional[float] = rng(None, ge=0.0, le=1.0, doc="new share of on-target earnings paid as "
                                      "base salary (unset: unchanged)")
    new_logo_bonus_share: Optional[float] = rng(None, ge=0.0, le=5.0, doc="new extra commission on new-logo "
                                                "deals (unset: unchanged)")
    quota_period: Optional[str] = field(default=None, metadata={
        "choices": (None, "annual", "quarterly"), "doc": "new quota period (unset: unchanged)"})
    market_pay_ratio: Optional[float] = rng(None, gt=0.0, le=5.0, doc="new pay relative to the market "
                                            "(unset: unchanged)")


PLAN_TERMS = ("accelerator", "cap_attainment", "base_share", "new_logo_bonus_share", "quota_period",
              "market_pay_ratio")


class CompensationLever(Lever):
    spec_class = CompensationSpec
    doc_section = "16.4"
    acts_once = True

    def on_month(self, world, month: int) -> None:
        s: CompensationSpec = self.spec
        if month != s.start_month:
            return
        if s.market_pay_ratio is not None:
            # Paying more (or less) than before against the market is a pay rise (or cut) for
            # every seat: on-target earnings move with the ratio (base_share, new or not, splits them).
            raise_ = s.market_pay_ratio / world.comp.market_pay_ratio
            for t in world.territories:
                t.ote_usd *= raise_
        for term in PLAN_TERMS:
            value = getattr(s, term)
            if value is not None:
                setattr(world.comp, term, value)
        world.quota_scale *= s.quota_multiplier
        for t in world.territories:
            t.quota_usd *= s.quota_multiplier
