"""Accounts: the companies a territory covers, prospects or customers, with a relationship
network, a decision culture and a spend potential."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from salessim.model.customer_churn import NEUTRAL_SATISFACTION

if TYPE_CHECKING:
    from salessim.config import SegmentConfig


PROSPECT_NETWORK = 0.05  # share of a prospect's buying group a seller knows (none is a customer)


@dataclass(slots=True, eq=False)  # an entity: equal only to itself
class Account:
    account_id: int
    segment: str
    territory_id: int
    is_customer: bool
    network: float  # share of a buying group the seller already knows (account management)
    culture: float  # account's decision culture: added to the status quo's pull (indecision)
    potential: float = 1.0  # spend potential: its typical deal over the segment's median deal
    satisfaction: float = NEUTRAL_SATISFACTION  # of its last delivery (customer_churn.py)
    deliveries_due: int = 0  # won deals still being delivered: a customer buying now stays
    journeys: int = 0  # leads that reached it so far, worked or not: with the account's id, a deal's key
    losses: int = 0  # times it stopped being a customer: a customer's lead made before one is void


def deal_spread(segment: "SegmentConfig") -> tuple[float, float]:
    """(between accounts, within an account): the lognormal sigmas that split a segment's
    ``deal_value_sigma`` by ``deal_value_account_share`` of its log variance.

    An account's potential is exp(between × Z), median 1, and a deal there is drawn around
    median × potential with the within sigma: over accounts drawn alike, deal values keep the
    segment's median and sigma, while deals at one account resemble each other.
    """
    variance, share = segment.deal_value_sigma ** 2, segment.deal_value_account_share
    return math.sqrt(share * variance), math.sqrt((1.0 - share) * variance)
