"""Simulation time: the clock runs in days, on a 4-4-5 calendar.

A year is 52 weeks (364 days) in 12 months of 4, 4 and 5 weeks per quarter, the retail and
sales-operations convention that makes every week belong to exactly one month. Hours, bookings
and coaching therefore reconcile month by month.
"""

from __future__ import annotations

import math

DAYS_PER_WEEK = 7.0
WEEKS_PER_YEAR = 52
DAYS_PER_YEAR = DAYS_PER_WEEK * WEEKS_PER_YEAR
DAYS_PER_MONTH = DAYS_PER_YEAR / 12.0  # an average month, the unit of tenure and of monthly rates
_MONTH_WEEKS = (4, 4, 5) * 4


def horizon_weeks(years: float) -> int:
    """The whole weeks a horizon of ``years`` simulates (at least one)."""
    return max(1, round(years * WEEKS_PER_YEAR))


def shortest_years_holding(months: int) -> float:
    """The shortest horizon, in hundredths of a year, whose calendar holds ``months`` months (the
    last of them from its first week): what to write where a warm-up leaves no month to measure."""
    last = months - 1
    first_week = WEEKS_PER_YEAR * (last // 12) + sum(_MONTH_WEEKS[: last % 12])
    years = max(0.01, math.floor((first_week + 0.5) / WEEKS_PER_YEAR * 100) / 100)
    while horizon_weeks(years) <= first_week:
        years = round(years + 0.01, 2)
    return years


class Calendar:
    """Weeks and months of a horizon of ``years`` (rounded to whole weeks)."""

    def __init__(self, years: float) -> None:
        self.weeks = horizon_weeks(years)
        self.horizon_days = self.weeks * DAYS_PER_WEEK
        self.month_of_week: list[int] = []
        self.month_start_weeks: list[int] = []
        month = 0
        while len(self.month_of_week) < self.weeks:
            self.month_start_weeks.append(len(self.month_of_week))
            self.month_of_week.extend([month] * _MONTH_WEEKS[month % 12])
            month += 1
        self.month_of_week = self.month_of_week[: self.weeks]
        self.months = self.month_of_week[-1] + 1
        self._starts = set(self.month_start_weeks)

    def month_of_day(self, day: float) -> int:
        week, last = int(day // DAYS_PER_WEEK), self.weeks - 1
        # A conditional, not min(): this runs for every lead, and min() costs ten times as much.
        return self.month_of_week[week if week < last else last]

    def starts_month(self, week: int) -> bool:
        return week in self._starts

    def weeks_in_month(self, month: int) -> int:
        """Weeks of ``month`` inside the horizon (the last month may be cut short)."""
        return self.month_of_week.count(month)

    def full_weeks_of_month(self, month: int) -> int:
        """Weeks of ``month`` on the calendar, whether or not the horizon cuts it short."""
        return _MONTH_WEEKS[month % 12]

    def weeks_from_month(self, month: int) -> int:
        """Weeks from the start of ``month`` to the horizon."""
        return self.weeks - (self.month_start_weeks[month] if month < len(self.month_start_weeks)
                             else self.weeks)

    def years_from_month(self, month: int) -> float:
        """Years from the start of ``month`` to the horizon: the measured window after a warm-up
        of ``month`` months (the summary's window_years)."""
        return self.weeks_from_month(month) / WEEKS_PER_YEAR

    def month_start_day(self, month: int) -> float:
        if month >= len(self.month_start_weeks):
            return self.horizon_days
        return self.month_start_weeks[month] * DAYS_PER_WEEK
