"""Accounts: the companies a territory covers, prospects or customers, with a relationship network."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, eq=False)  # an entity: equal only to itself
class Account:
    account_id: int
    segment: str
    territory_id: int
    is_customer: bool
    network: float  # share of a buying group the seller already knows (account management)
    culture: float  # account's decision culture: added to the status quo's pull (indecision)
