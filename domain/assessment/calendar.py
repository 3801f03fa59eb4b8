"""The periods a rule counts in: weeks to agreement terms, clipped to where the rule is in force."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from domain.assessment.codes import PeriodGrain
from domain.assessment.facts import CommunityFact
from domain.assessment.rules import PeriodSpec
from domain.periods import SchoolYear, Semester, Term, school_year_of, semester_of

_WEEK = 7
_FORTNIGHT = 14


@dataclass(frozen=True, order=True)
class Window:
    """Days `starts_on` to `ends_on`, both included; `code` names the period it is."""

    starts_on: date
    ends_on: date
    code: str = ""

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def overlaps(self, other: "Window") -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on

    def clip(self, other: "Window") -> "Window":
        return Window(
            max(self.starts_on, other.starts_on), min(self.ends_on, other.ends_on), self.code
        )

    @classmethod
    def of_school_year(cls, code: str) -> "Window":
        year = SchoolYear.parse(code)
        return cls(year.starts_on, year.ends_on, year.code)

    @classmethod
    def of_semester(cls, code: str) -> "Window":
        semester = Semester.parse(code)
        return cls(semester.starts_on, semester.ends_on, semester.code)


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _walk(grain: PeriodGrain, within: Window, anchor: date) -> Iterator[Window]:  # noqa: C901
    """The periods of `grain` that overlap `within`, whole; fortnights count from `anchor`."""
    if grain == PeriodGrain.WEEK:
        day = within.starts_on - timedelta(days=within.starts_on.weekday())
        while day <= within.ends_on:
            iso = day.isocalendar()
            yield Window(day, day + timedelta(days=_WEEK - 1), f"{iso.year}-W{iso.week:02d}")
            day += timedelta(days=_WEEK)
    elif grain == PeriodGrain.FORTNIGHT:
        offset = (within.starts_on - anchor).days // _FORTNIGHT
        day = anchor + timedelta(days=offset * _FORTNIGHT)
        while day <= within.ends_on:
            yield Window(day, day + timedelta(days=_FORTNIGHT - 1), f"F{day.isoformat()}")
            day += timedelta(days=_FORTNIGHT)
    elif grain == PeriodGrain.MONTH:
        day = within.starts_on.replace(day=1)
        while day <= within.ends_on:
            yield Window(day, _month_end(day), f"{day.year}-{day.month:02d}")
            day = _month_end(day) + timedelta(days=1)
    elif grain == PeriodGrain.SEMESTER:
        first = semester_of(within.starts_on) or Semester(within.starts_on.year, Term.AUTUMN)
        current = first
        while current.starts_on <= within.ends_on:
            yield Window(current.starts_on, current.ends_on, current.code)
            current = (
                Semester(current.year + 1, Term.SPRING)
                if current.term == Term.AUTUMN
                else Semester(current.year, Term.AUTUMN)
            )
    elif grain == PeriodGrain.SCHOOL_YEAR:
        year = school_year_of(within.starts_on)
        while year.starts_on <= within.ends_on:
            yield Window(year.starts_on, year.ends_on, year.code)
            year = SchoolYear(year.start_year + 1)
    elif grain == PeriodGrain.CALENDAR_YEAR:
        for number in range(within.starts_on.year, within.ends_on.year + 1):
            yield Window(date(number, 1, 1), date(number, 12, 31), str(number))


def periods(  # noqa: C901 (one branch a grain)
    spec: PeriodSpec, community: CommunityFact | None, in_force: Window, asked: Window
) -> list[Window]:
    """The rule's periods that overlap the asked window, clipped to the rule set and community."""
    bounds = in_force
    if community is not None:
        bounds = bounds.clip(Window(community.starts_on, community.ends_on))
    if bounds.ends_on < bounds.starts_on:
        return []
    found: list[Window]
    if spec.grain == PeriodGrain.WINDOW:
        start, end = spec.starts_on or bounds.starts_on, spec.ends_on or bounds.ends_on
        found = [Window(start, end, f"{start}..{end}")]
    elif spec.grain == PeriodGrain.PHASE:
        phases = community.phases if community is not None else ()
        found = [
            Window(p.starts_on, p.ends_on, f"phase:{p.name}")
            for p in phases
            if p.name == spec.phase
        ]
    elif spec.grain == PeriodGrain.AGREEMENT_TERM:
        if community is None:
            return []
        start = community.agreement_starts_on or community.starts_on
        end = community.agreement_ends_on or community.ends_on
        found = [Window(start, end, f"term:{start}..{end}")]
    elif spec.grain == PeriodGrain.COMMUNITY_PERIOD:
        if community is None:
            found = [Window(in_force.starts_on, in_force.ends_on, "in_force")]
        else:
            found = [Window(community.starts_on, community.ends_on, "community")]
    else:
        found = list(_walk(spec.grain, bounds, bounds.starts_on))
    if spec.months:
        found = [w for w in found if w.starts_on.month in spec.months]
    if spec.teaching_only:
        found = [w for w in found if semester_of(w.starts_on) or semester_of(w.ends_on)]
    # A period is asked for by the days it has once clipped, as it is listed.
    clipped = [w.clip(bounds) for w in found if w.overlaps(bounds)]
    return [w for w in clipped if w.overlaps(asked)]


def sub_periods(grain: PeriodGrain, period: Window) -> list[Window]:
    """The `grain` periods inside `period` (a rotation's months), clipped to it."""
    return [w.clip(period) for w in _walk(grain, period, period.starts_on)]
