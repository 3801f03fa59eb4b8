"""Terms (任期) of assignments and mentorships, and the community period they fall in."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Self
from uuid import UUID

from domain.community.community import Community
from domain.community.errors import OutsideCommunityPeriodError
from domain.periods import check_in_range
from domain.staff.errors import AlreadyEndedError, EarlyEndDateError, TermDatesError

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Span:
    """Days `starts_on` to `ends_on`, both included."""

    starts_on: date
    ends_on: date

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def overlaps(self, other: "Span") -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on


@dataclass(frozen=True)
class CommunityPeriod:
    """The days a community is active, as the caller read them from it.

    Its agreed period, cut short by a dissolution (no longer active from that day).
    """

    community_id: UUID
    starts_on: date
    ends_on: date

    @classmethod
    def of(cls, community: Community) -> Self:
        last = community.ends_on
        if community.dissolved_on is not None:
            last = min(last, community.dissolved_on - _DAY)
        return cls(community.id, community.starts_on, last)

    def check_covers(self, *days: date) -> None:
        for day in days:
            if not self.starts_on <= day <= self.ends_on:
                raise OutsideCommunityPeriodError(
                    community_id=self.community_id,
                    day=day,
                    starts_on=self.starts_on,
                    ends_on=self.ends_on,
                )


def check_term(starts_on: date, planned_ends_on: date) -> None:
    check_in_range("starts_on", starts_on)
    check_in_range("planned_ends_on", planned_ends_on)
    if planned_ends_on < starts_on:
        raise TermDatesError(starts_on=starts_on, ends_on=planned_ends_on)


def check_early_end(
    record_id: UUID,
    *,
    since: date,
    planned_ends_on: date,
    ended_on: date | None,
    on: date,
) -> None:
    """An early end falls on a day served (from `since`) before the planned last day."""
    check_in_range("ended_on", on)
    if ended_on is not None:
        raise AlreadyEndedError(record_id=record_id, ended_on=ended_on)
    if not since <= on < planned_ends_on:
        raise EarlyEndDateError(ended_on=on, starts_on=since, planned_ends_on=planned_ends_on)


def one_year_after(day: date) -> date:
    """The first anniversary; 29 February's is 1 March."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 3, 1)
