"""Coverage model: roles, headcount and the accounts each seat covers, by segment.

At the start month a share of the segment's seats changes role (e.g. field to inside sales: lower
pay, remote rounds that take fewer seller hours, no travel), and ``added_sellers`` new seats open
in the segment, taking ``account_share`` of its accounts: any of them, or each seat's largest by
spend potential (named accounts: dedicated sellers for the accounts that can buy the most). New
seats are filled after the hiring lag and ramp like any hire; they form new FSM teams of the
span in force. (2014 MHI study: 62% of firms invested in their coverage model.)
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from salessim.config import MONEY_MAX_USD, choice, prob, rng, setting
from salessim.model.counting import round_half_up
from salessim.model.levers.base import InvestmentSpec, Lever


@dataclass
class CoverageSpec(InvestmentSpec):
    segment: str = setting("smb", "segment whose seats change")
    role: str = choice("inside_sales", ("field", "inside_sales", "named_account"),
                       "role of the converted and added seats")
    convert_share: float = prob(0.0, "share of the segment's seats that change to the role")
    added_sellers: int = rng(0, ge=0, le=10_000, doc="new seats opened in the segment")
    account_share: float = prob(0.0, "share of the segment's accounts the added seats take over")
    accounts_taken: str = choice("any", ("any", "largest"),
                                 "which of a seat's accounts the added seats take: any (the seat's "
                                 "first ones), or the largest by spend potential (named accounts)")
    on_target_earnings_usd: float = rng(75_000.0, gt=0.0, le=MONEY_MAX_USD,
                                        doc="on-target earnings of the role")
    quota_usd: float = rng(400_000.0, gt=0.0, le=MONEY_MAX_USD, doc="annual quota of the role")
    step_hours_factor: float = rng(0.6, gt=0.0, le=5.0, doc="seller hours per round vs field")
    internal_hours_change: float = rng(-4.0, ge=-40.0, le=40.0, doc="weekly travel saved (-)")
    fsm_hiring_cost_usd: float = rng(40_000.0, ge=0.0, le=MONEY_MAX_USD,
                                     doc="cost per FSM hired to lead added seats")


class CoverageLever(Lever):
    spec_class = CoverageSpec
    doc_section = "16.3"
    acts_once = True
    changes_structure = True

    def on_month(self, world, month: int) -> None:
        s: CoverageSpec = self.spec
        if month != s.start_month:
            return
        seats = [t for t in world.territories if t.segment == s.segment]
        # Seats another coverage investment converted or added keep their role: two of them on
        # one segment (some seats to inside sales, others to named accounts) convert different
        # seats, as many as there are left.
        unchanged = [t for t in seats if not t.coverage_seat]
        for t in unchanged[: round_half_up(s.convert_share * len(seats))]:
            self._set_role(world, t)
        fsms = len(world.fsms)
        added = [world.add_territory(s.segment) for _ in range(s.added_sellers)]
        self.unit_costs += (len(world.fsms) - fsms) * s.fsm_hiring_cost_usd  # as a span change pays
        for t in added:
            self._set_role(world, t)
        if added and s.account_share > 0:
            self._hand_over_accounts(world, seats, added, s.account_share,
                                     largest=s.accounts_taken == "largest")

    def _set_role(self, world, t) -> None:
        s: CoverageSpec = self.spec
        t.role = s.role
        t.coverage_seat = True
        # The role's pay and quota as configured, moved as every seat's were if a compensation
        # investment changed the pay against the market or the quotas before this one, so that a
        # compensation and a coverage investment of one month give the same seats in either order.
        # (Two compensation investments of one month setting the same term: the last by name wins.)
        pay_moved = world.comp.market_pay_ratio / world.cfg.compensation.market_pay_ratio
        t.ote_usd = s.on_target_earnings_usd * pay_moved
        t.quota_usd = s.quota_usd * world.quota_scale
        t.step_hours_factor = s.step_hours_factor
        t.internal_hours = max(0.0, world.cfg.tools.internal_hours + s.internal_hours_change)

    @staticmethod
    def _hand_over_accounts(world, seats, added, share: float, largest: bool) -> None:
        """Each existing seat gives ``share`` of its prospects and of its customers, its first ones
        or its ``largest`` by spend potential, dealt round-robin to the new seats.

        A seat's count is rounded so that the segment's running total stays the share of its
        accounts so far: seats of a few accounts each (a share of 5% of 6 prospects rounds to 0)
        still hand over the segment's share between them.
        """
        k = 0
        wanted = {"prospects": 0.0, "customers": 0.0}  # the share of the accounts seen so far
        given = {"prospects": 0, "customers": 0}
        for t in seats:
            for pool in ("prospects", "customers"):
                accounts = getattr(t, pool)
                wanted[pool] += share * len(accounts)
                n = min(len(accounts), round_half_up(wanted[pool]) - given[pool])
                given[pool] += n
                if largest:  # the seat keeps the others in their order
                    moving = heapq.nlargest(n, accounts, key=lambda a: a.potential)
                    chosen = set(moving)  # accounts are equal only to themselves
                    keep = [a for a in accounts if a not in chosen]
                else:
                    moving, keep = accounts[:n], accounts[n:]
                setattr(t, pool, keep)
                for acc in moving:
                    new = added[k % len(added)]
                    k += 1
                    acc.territory_id = new.territory_id
                    getattr(new, pool).append(acc)
