"""What the API answers about one record: stable codes with a label in the asked language."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.codes import Label, label
from projections.community.activity_list import activity_row

if TYPE_CHECKING:
    from enum import StrEnum

    from domain.activity import Activity
    from domain.community import Community
    from domain.school import School
    from projections.community.activity_list import ActivityRow
    from projections.community.school_list import SchoolRow


def in_language(found: Label, lang: str) -> str:
    """A label in `lang` (zh unless en)."""
    return found.en if lang == "en" else found.zh


def text(code: StrEnum, lang: str) -> str:
    """The label of a code in `lang` (zh unless en)."""
    return in_language(label(code), lang)


class SchoolView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    code: str
    stage: str
    stage_label: str
    location: str
    location_label: str
    district: str
    is_open: bool
    closed_on: date | None
    version: int


def school_view(school: School | SchoolRow, lang: str) -> SchoolView:
    """A school as the event store rebuilds it, or as the lists hold it: the same view."""
    return SchoolView(
        id=school.id,
        name=school.name,
        code=school.code,
        stage=school.stage.value,
        stage_label=text(school.stage, lang),
        location=school.location.value,
        location_label=text(school.location, lang),
        district=school.district,
        is_open=school.is_open,
        closed_on=school.closed_on,
        version=school.version,
    )


class StintView(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    joined_on: date
    left_on: date | None


class CommunityView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    type: str
    type_label: str
    lead_school_id: UUID
    members: list[StintView]
    starts_on: date
    ends_on: date
    agreement: str
    dissolved_on: date | None
    version: int


def community_view(community: Community, lang: str) -> CommunityView:
    members = [
        StintView(school_id=school_id, joined_on=stint.joined_on, left_on=stint.left_on)
        for school_id, stints in community.stints.items()
        for stint in stints
    ]
    return CommunityView(
        id=community.id,
        name=community.name,
        type=community.type.value,
        type_label=text(community.type, lang),
        lead_school_id=community.lead_school_id,
        members=members,
        starts_on=community.starts_on,
        ends_on=community.ends_on,
        agreement=community.agreement,
        dissolved_on=community.dissolved_on,
        version=community.version,
    )


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


class ActivityView(ActivitySummary, frozen=True, kw_only=True):
    """An action whole: who took part, the evidence, and why it was voided."""

    participants: list[ParticipantView]
    evidence: list[EvidenceView]
    note: str
    void_reason: str | None


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
    )
