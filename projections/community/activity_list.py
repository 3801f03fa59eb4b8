"""Community actions as they stand (corrections applied), one row per action.

A voided action stays in the list, marked, and no longer counts. An action in August (the
summer break) belongs to its school year but to no semester: its term is "summer".
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from domain.codes import ActivityKind, ActivityMode, Subject
from domain.community.activity import Activity
from domain.periods import school_year_of, semester_of
from projections.base import Projection
from projections.community.activity_counts import activity_counts

if TYPE_CHECKING:
    from domain.community.activity import ActivityFacts

SUMMER = "summer"


class ActivityRow(msgspec.Struct, frozen=True, kw_only=True):
    activity_id: UUID
    community_id: UUID
    kind: ActivityKind
    title: str
    host_school_id: UUID
    school_ids: tuple[UUID, ...]  # the host, then the participating schools
    held_on: date
    ends_on: date | None
    school_year: str
    term: str  # "autumn", "spring", or "summer" for the August break
    subjects: tuple[Subject, ...]
    mode: ActivityMode
    is_void: bool
    version: int

    @property
    def semester(self) -> str | None:
        """The semester's code (2023-spring), None in the summer break."""
        found = semester_of(self.held_on)
        return None if found is None else found.code


def _row(activity_id: UUID, community_id: UUID, facts: ActivityFacts, version: int) -> ActivityRow:
    semester = semester_of(facts.held_on)
    return ActivityRow(
        activity_id=activity_id,
        community_id=community_id,
        kind=facts.kind,
        title=facts.title,
        host_school_id=facts.host_school_id,
        school_ids=(facts.host_school_id, *facts.participating_school_ids),
        held_on=facts.held_on,
        ends_on=facts.ends_on,
        school_year=school_year_of(facts.held_on).code,
        term=SUMMER if semester is None else semester.term.value,
        subjects=facts.subjects,
        mode=facts.mode,
        is_void=False,
        version=version,
    )


def activity_row(activity: Activity) -> ActivityRow:
    """The row of an action as its aggregate stands (the list's row once folded)."""
    row = _row(activity.id, activity.community_id, activity.facts, activity.version)
    return msgspec.structs.replace(row, is_void=activity.is_void)


def evolve(row: ActivityRow | None, event: Any) -> ActivityRow | None:  # noqa: ANN401
    match event:
        case Activity.Recorded():
            return _row(
                event.originator_id, event.community_id, event.facts, event.originator_version
            )
        case Activity.Corrected() if row is not None:
            return _row(row.activity_id, row.community_id, event.facts, event.originator_version)
        case Activity.Voided() if row is not None:
            return msgspec.structs.replace(row, is_void=True, version=event.originator_version)
        case _:
            return row


activity_list = Projection(
    name="activity_list",
    aggregate=Activity,
    row_type=ActivityRow,
    key="activity_id",
    evolve=evolve,
    tallies=(activity_counts,),
)
