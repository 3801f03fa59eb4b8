"""A community action (教共体活动): whole, and as the list shows it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from projections.community.activity_list import activity_row
from service.views.labels import text

if TYPE_CHECKING:
    from domain.community.activity import Activity
    from projections.community.activity_list import ActivityRow


class SubjectView(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str


class ParticipantView(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    school_id: UUID
    role: str


class EvidenceView(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    sha256: str
    size: int
    media_type: str


class AttendanceCountView(msgspec.Struct, frozen=True, kw_only=True):
    """应到 / 实到 / 迟到 / 早退 / 请假 / 缺席: by the sheet, else by phone sign-ins."""

    expected: int
    signed_in: int
    late: int
    left_early: int
    on_leave: int
    absent: int


class AttendanceView(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    school_id: UUID
    signed_in_at: datetime | None
    late: bool
    left_early: bool
    leave_reason: str


class SignInView(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    school_id: UUID
    at: datetime
    late: bool


class ReflectionView(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    school_id: UUID
    chars: int
    text: str


class ActivitySummary(msgspec.Struct, frozen=True, kw_only=True):
    """An action as lists show it."""

    id: UUID
    community_id: UUID
    kind: str
    kind_label: str
    title: str
    host_school_id: UUID
    participating_school_ids: list[UUID]
    held_on: date
    ends_on: date | None
    semester: str | None  # None in August, the summer break between school years
    school_year: str
    subjects: list[SubjectView]
    mode: str
    mode_label: str
    is_void: bool
    version: int
    venue_school_id: UUID | None
    notified_at: datetime | None
    online_stand_in: bool
    follows_up: UUID | None
    attendance_count: AttendanceCountView
    reflection_count: int


class ActivityView(ActivitySummary, frozen=True, kw_only=True):
    """An action whole: who took part, the evidence, and why it was voided."""

    participants: list[ParticipantView]
    evidence: list[EvidenceView]
    note: str
    void_reason: str | None
    starts_at: datetime | None
    online_reason: str
    attendance: list[AttendanceView]  # the sheet's lines
    sign_ins: list[SignInView]  # by phone
    reflections: list[ReflectionView]


def activity_summary(row: ActivityRow, lang: str) -> ActivitySummary:
    return ActivitySummary(
        id=row.activity_id,
        community_id=row.community_id,
        kind=row.kind.value,
        kind_label=text(row.kind, lang),
        title=row.title,
        host_school_id=row.host_school_id,
        participating_school_ids=list(row.school_ids[1:]),
        held_on=row.held_on,
        ends_on=row.ends_on,
        semester=row.semester,
        school_year=row.school_year,
        subjects=[SubjectView(code=s.value, label=text(s, lang)) for s in row.subjects],
        mode=row.mode.value,
        mode_label=text(row.mode, lang),
        is_void=row.is_void,
        version=row.version,
        venue_school_id=row.venue_school_id,
        notified_at=row.notified_at,
        online_stand_in=row.online_stand_in,
        follows_up=row.follows_up,
        attendance_count=AttendanceCountView(
            expected=row.expected,
            signed_in=row.signed_in,
            late=row.late,
            left_early=row.left_early,
            on_leave=row.on_leave,
            absent=row.absent,
        ),
        reflection_count=row.reflection_count,
    )


def activity_view(activity: Activity, lang: str) -> ActivityView:
    """The action as the event store rebuilds it; its summary is what the list would show."""
    facts = activity.facts
    summary = activity_summary(activity_row(activity), lang)
    return ActivityView(
        **msgspec.structs.asdict(summary),
        participants=[
            ParticipantView(name=p.name, school_id=p.school_id, role=p.role)
            for p in facts.participants
        ],
        evidence=[
            EvidenceView(name=e.name, sha256=e.sha256, size=e.size, media_type=e.media_type)
            for e in facts.evidence
        ],
        note=facts.note,
        void_reason=activity.void_reason,
        starts_at=facts.starts_at,
        online_reason=facts.online_reason,
        attendance=[
            AttendanceView(
                name=a.name,
                school_id=a.school_id,
                signed_in_at=a.signed_in_at,
                late=a.late,
                left_early=a.left_early,
                leave_reason=a.leave_reason,
            )
            for a in facts.attendance
        ],
        sign_ins=[
            SignInView(name=s.name, school_id=s.school_id, at=s.at, late=s.late)
            for s in activity.sign_ins.values()
        ],
        reflections=[
            ReflectionView(name=name, school_id=school_id, chars=len(text), text=text)
            for (name, school_id), text in activity.reflections.items()
        ],
    )


class ActivityPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ActivitySummary]
    next_cursor: str | None
