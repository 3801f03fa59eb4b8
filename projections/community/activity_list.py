"""Community actions as they stand (corrections applied), one row per action.

A voided action stays in the list, marked, and no longer counts. An action in August (the
summer break) belongs to its school year but to no semester: its term is "summer". The row
carries what the rules count: attendance, reflections and their length, place, notice, the
online stand-in, the follow-up link, and every evidence file its events ever named.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from domain.codes import ActivityKind, ActivityMode, Subject
from domain.community.activity import Activity
from domain.community.attendance import count_attendance
from domain.periods import school_year_of, semester_of
from projections.base import Projection
from projections.community.activity_counts import activity_counts
from projections.community.school_months import school_months

if TYPE_CHECKING:
    from domain.community.activity import ActivityFacts

SUMMER = "summer"


@cache
def period_labels(day: date) -> tuple[str, str]:
    """The school year's code and the term of `day` ("summer" in August); kept per day."""
    semester = semester_of(day)
    return school_year_of(day).code, SUMMER if semester is None else semester.term.value


class SignInMark(msgspec.Struct, frozen=True, kw_only=True):
    """A sign-in by phone, as the row remembers it to count again after a correction."""

    name: str
    school_id: UUID
    late: bool


class ReflectionLength(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    school_id: UUID
    chars: int  # its length in characters (a training's is ≥ 2000: seed 001 篇一)


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
    starts_at: datetime | None = None
    venue_school_id: UUID | None = None  # where it took place: the host or a member school
    notified_at: datetime | None = None
    online_stand_in: bool = False  # online in place of on site, with its reason
    follows_up: UUID | None = None
    expected: int = 0  # 应到
    signed_in: int = 0  # 实到, by the sheet or by phone
    late: int = 0
    left_early: int = 0
    on_leave: int = 0  # 请假, with a written reason
    absent: int = 0
    sign_ins: tuple[SignInMark, ...] = ()
    reflections: tuple[ReflectionLength, ...] = ()
    reflection_count: int = 0
    file_hashes: tuple[str, ...] = ()  # every evidence file its events named, for the sweep

    @property
    def semester(self) -> str | None:
        """The semester's code (2023-spring), None in the summer break."""
        found = semester_of(self.held_on)
        return None if found is None else found.code


def _row(
    activity_id: UUID,
    community_id: UUID,
    facts: ActivityFacts,
    version: int,
    before: ActivityRow | None = None,
) -> ActivityRow:
    """The row of `facts`; what phone sign-ins, reflections and older evidence added is kept."""
    school_year, term = period_labels(facts.held_on)
    sign_ins = () if before is None else before.sign_ins
    counted = count_attendance(
        ((p.name, p.school_id) for p in facts.participants),
        facts.attendance,
        {(s.name, s.school_id): s.late for s in sign_ins},
    )
    hashes = () if before is None else before.file_hashes
    hashes += tuple(e.sha256 for e in facts.evidence if e.sha256 not in hashes)
    return ActivityRow(
        activity_id=activity_id,
        community_id=community_id,
        kind=facts.kind,
        title=facts.title,
        host_school_id=facts.host_school_id,
        school_ids=(facts.host_school_id, *facts.participating_school_ids),
        held_on=facts.held_on,
        ends_on=facts.ends_on,
        school_year=school_year,
        term=term,
        subjects=facts.subjects,
        mode=facts.mode,
        is_void=False if before is None else before.is_void,
        version=version,
        starts_at=facts.starts_at,
        venue_school_id=facts.venue_school_id,
        notified_at=facts.notified_at,
        online_stand_in=bool(facts.online_reason),
        follows_up=facts.follows_up,
        expected=counted.expected,
        signed_in=counted.signed_in,
        late=counted.late,
        left_early=counted.left_early,
        on_leave=counted.on_leave,
        absent=counted.absent,
        sign_ins=sign_ins,
        reflections=() if before is None else before.reflections,
        reflection_count=0 if before is None else before.reflection_count,
        file_hashes=hashes,
    )


def activity_row(activity: Activity) -> ActivityRow:
    """The row of an action as its aggregate stands (the list's row once folded)."""
    row = _row(activity.id, activity.community_id, activity.facts, activity.version)
    sign_ins = tuple(
        SignInMark(name=s.name, school_id=s.school_id, late=s.late)
        for s in activity.sign_ins.values()
    )
    reflections = tuple(
        ReflectionLength(name=name, school_id=school_id, chars=len(text))
        for (name, school_id), text in activity.reflections.items()
    )
    before = msgspec.structs.replace(
        row, sign_ins=sign_ins, reflections=reflections, reflection_count=len(reflections)
    )
    again = _row(activity.id, activity.community_id, activity.facts, activity.version, before)
    return msgspec.structs.replace(again, is_void=activity.is_void)


def _signed_in(row: ActivityRow, event: Activity.SignedIn) -> ActivityRow:
    """The domain signs in only an expected participant not on the sheet: one more came."""
    mark = SignInMark(name=event.name, school_id=event.school_id, late=event.late)
    return msgspec.structs.replace(
        row,
        sign_ins=(*row.sign_ins, mark),
        signed_in=row.signed_in + 1,
        late=row.late + event.late,
        absent=row.absent - 1,
        version=event.originator_version,
    )


def _reflected(row: ActivityRow, event: Activity.ReflectionSubmitted) -> ActivityRow:
    person = (event.name, event.school_id)
    kept = tuple(r for r in row.reflections if (r.name, r.school_id) != person)
    mine = ReflectionLength(name=event.name, school_id=event.school_id, chars=len(event.text))
    reflections = (*kept, mine)
    return msgspec.structs.replace(
        row,
        reflections=reflections,
        reflection_count=len(reflections),
        version=event.originator_version,
    )


def evolve(row: ActivityRow | None, event: Any) -> ActivityRow | None:  # noqa: ANN401
    match event:
        case Activity.Recorded():
            return _row(
                event.originator_id, event.community_id, event.facts, event.originator_version
            )
        case Activity.Corrected() if row is not None:
            return _row(
                row.activity_id, row.community_id, event.facts, event.originator_version, row
            )
        case Activity.Voided() | Activity.SignInLinkIssued() if row is not None:
            voided = row.is_void or isinstance(event, Activity.Voided)
            return msgspec.structs.replace(row, is_void=voided, version=event.originator_version)
        case Activity.SignedIn() if row is not None:
            return _signed_in(row, event)
        case Activity.ReflectionSubmitted() if row is not None:
            return _reflected(row, event)
        case _:
            return row


activity_list = Projection(
    name="activity_list",
    aggregate=Activity,
    row_type=ActivityRow,
    key="activity_id",
    evolve=evolve,
    tallies=(activity_counts, school_months),
)
