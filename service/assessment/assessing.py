"""A community's school year assessed from compliance, as known on a day (README).

The results are those GET /v1/compliance gives for the school year as known on `as_of`: each
period judged by the version in force on its last day. The version that scores, totals, grades
and funds the year is the one in force on the school year's last day (published by `as_of`).
Pure over the county's fold: the same fold and day give the same assessment, so an auditor who
folds the log up to the recorded `folded_seq` and asks as of the recorded day replays it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.assessment.assessment import Computed, Criterion, Unit, assess
from domain.assessment.evaluate import in_force
from domain.errors import InvalidPeriodError
from domain.periods import SchoolYear
from projections.assessment.judge import known_versions
from service.assessment.judging import AS_KNOWN, judge, question
from service.errors import AsOfAfterTodayError, NoRuleSetInForceError, UnknownReferenceError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from uuid import UUID

    from domain.assessment.facts import CommunityFact
    from domain.assessment.outcome import Result
    from projections.assessment.facts import CountyFacts, Published


@dataclass(frozen=True)
class Assessed:
    computed: Computed
    rule_set: Published  # the version that scored it
    as_of: date
    folded_seq: int  # the county's log position the fold had reached


class InvalidSchoolYearError(InvalidPeriodError):
    """A bad school year where only a school year is asked (not a semester): say what one is."""

    zh = "“{value}”不是有效的学年：学年写作 2025-2026（相连的两年，2000 至 2099 年）。"
    en = (
        "'{value}' is not a valid school year: write it as 2025-2026"
        " (two years in a row, 2000-2099)."
    )


def school_year_of(text: str) -> SchoolYear:
    try:
        return SchoolYear.parse(text)
    except InvalidPeriodError:
        raise InvalidSchoolYearError(value=text) from None


def grading_version(fold: CountyFacts, year: SchoolYear, as_of: date) -> Published:
    """The published version in force on the year's last day, as known on `as_of`."""
    known = known_versions(fold.published, question(year.code, as_of, AS_KNOWN))
    version = in_force([p.rules for p in known], year.ends_on)
    found = next((p for p in known if p.rules is version), None)
    if found is None:
        raise NoRuleSetInForceError(
            school_year=year.code, last_day=year.ends_on.isoformat(), as_of=as_of.isoformat()
        )
    return found


def unit_of(community: CommunityFact, year: SchoolYear) -> Unit:
    """Its members: the schools with a stint overlapping the school year."""
    members = sorted(
        {
            m.school_id
            for m in community.members
            if m.joined_on <= year.ends_on and (m.left_on is None or m.left_on > year.starts_on)
        }
    )
    return Unit(community.id, community.type, community.lead_school_id, tuple(members))


def community_of(fold: CountyFacts, community_id: UUID, as_of: date) -> CommunityFact:
    for community in fold.facts().communities:
        if community.id == community_id and community.known_at.date() <= as_of:
            return community
    raise UnknownReferenceError(field="community_id", id=community_id)


def year_results(results: Sequence[Result], community_id: UUID, year: SchoolYear) -> list[Result]:
    """The community's results of periods ending within the year (each counts in one year)."""
    return [
        r
        for r in results
        if r.community_id == community_id and year.starts_on <= r.period.ends_on <= year.ends_on
    ]


def assessed(
    fold: CountyFacts,
    community_id: UUID,
    school_year: str,
    as_of: date,
    criteria: Sequence[Criterion] = (),
    *,
    today: date | None = None,
) -> Assessed:
    """The computed assessment of one community's school year as known on `as_of`.

    Given `today`, a later `as_of` is refused: an assessment is of what is known.
    """
    if today is not None and as_of > today:
        raise AsOfAfterTodayError(field="as_of", as_of=as_of, today=today)
    year = school_year_of(school_year)
    community = community_of(fold, community_id, as_of)
    version = grading_version(fold, year, as_of)
    judged = judge(fold, question(year.code, as_of, AS_KNOWN))
    results = year_results(judged.results, community_id, year)
    computed = assess(version.rules, unit_of(community, year), results, tuple(criteria))
    return Assessed(computed, version, as_of, fold.last_seq)
