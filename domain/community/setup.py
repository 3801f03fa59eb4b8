"""What a community sets up beside its schools: agreement, leading group, studios, phases.

Issue 8 item 9: the agreement, the leading group, base schools (基地校), studios (工作室),
phases, and partner schools of other counties.

Values of the Community's events, and the checks that keep them whole; the aggregate
(`community.py`) records them.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from domain._text import optional, required
from domain.codes import GroupRole, PhaseKind
from domain.community.errors import (
    GroupMemberError,
    LeadingGroupLeaderError,
    PhaseOrderError,
    StudioMembersError,
)
from domain.errors import InvalidValueError
from domain.periods import check_in_range

TEXT_LIMIT = 2000  # each part of an agreement
NAME_LIMIT = 100
NOTE_LIMIT = 500
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Agreement:
    """The signed 合作协议: rights, duties, the mode of work, targets, how it is evaluated.

    The signed document is a file referenced by its SHA-256 (stored by hash like evidence).
    """

    rights: str
    duties: str
    mode: str
    targets: str
    evaluation: str
    signed_on: date
    document_name: str
    document_sha256: str


@dataclass(frozen=True)
class GroupMember:
    """A place in the leading group: a teacher of the county by id, or named staff (局领导…)."""

    role: GroupRole
    teacher_id: UUID | None
    name: str  # only for staff who are not teachers: a teacher's name is never plain here
    post: str  # e.g. 教育局副局长, 牵头学校校长


@dataclass(frozen=True)
class Studio:
    """A studio (名师/名校长工作室) with a leading teacher and member teachers."""

    studio_id: UUID
    name: str
    leader_id: UUID
    member_ids: tuple[UUID, ...]
    opened_on: date


@dataclass(frozen=True)
class Phase:
    kind: PhaseKind
    starts_on: date
    ends_on: date  # included


@dataclass(frozen=True)
class ExternalSchool:
    """A school of another county paired with it (乐清 and 平阳); each side records its own."""

    name: str
    county: str
    paired_on: date
    note: str


def checked_agreement(agreement: Agreement) -> Agreement:
    check_in_range("signed_on", agreement.signed_on)
    if not _SHA256.fullmatch(agreement.document_sha256):
        raise InvalidValueError(field="document_sha256", reason="not_sha256")
    return replace(
        agreement,
        rights=required(agreement.rights, field="rights", limit=TEXT_LIMIT),
        duties=required(agreement.duties, field="duties", limit=TEXT_LIMIT),
        mode=required(agreement.mode, field="mode", limit=TEXT_LIMIT),
        targets=required(agreement.targets, field="targets", limit=TEXT_LIMIT),
        evaluation=required(agreement.evaluation, field="evaluation", limit=TEXT_LIMIT),
        document_name=required(agreement.document_name, field="document_name", limit=NAME_LIMIT),
    )


def checked_group(members: Sequence[GroupMember]) -> tuple[GroupMember, ...]:
    """One leader; each a teacher (no name) or named staff; no teacher twice."""
    checked, teachers = [], set()
    for member in members:
        name = optional(member.name, field="name", limit=NAME_LIMIT)
        if (member.teacher_id is None) == (not name):
            raise GroupMemberError(teacher_id=member.teacher_id)
        if member.teacher_id is not None:
            if member.teacher_id in teachers:
                raise GroupMemberError(teacher_id=member.teacher_id)
            teachers.add(member.teacher_id)
        post = optional(member.post, field="post", limit=NAME_LIMIT)
        checked.append(replace(member, name=name, post=post))
    leaders = sum(member.role is GroupRole.LEADER for member in checked)
    if leaders != 1:
        raise LeadingGroupLeaderError(leaders=leaders)
    return tuple(checked)


def checked_studio(studio: Studio) -> Studio:
    check_in_range("opened_on", studio.opened_on)
    name = required(studio.name, field="name", limit=NAME_LIMIT)
    members = studio.member_ids
    if studio.leader_id in members or len(set(members)) != len(members):
        raise StudioMembersError(leader_id=studio.leader_id)
    return replace(studio, name=name)


def checked_phases(phases: Sequence[Phase], starts_on: date, ends_on: date) -> tuple[Phase, ...]:
    """Phases in the order 启动, 实施, 长效 (each once at most), one after another, in it."""
    order = list(PhaseKind)
    previous: Phase | None = None
    for phase in phases:
        check_in_range("starts_on", phase.starts_on)
        check_in_range("ends_on", phase.ends_on)
        in_order = previous is None or (
            order.index(phase.kind) > order.index(previous.kind)
            and phase.starts_on > previous.ends_on
        )
        inside = starts_on <= phase.starts_on <= phase.ends_on <= ends_on
        if not (in_order and inside):
            raise PhaseOrderError(kind=phase.kind, starts_on=starts_on, ends_on=ends_on)
        previous = phase
    return tuple(phases)


def checked_external(school: ExternalSchool) -> ExternalSchool:
    check_in_range("paired_on", school.paired_on)
    return replace(
        school,
        name=required(school.name, field="name", limit=NAME_LIMIT),
        county=required(school.county, field="county", limit=NAME_LIMIT),
        note=optional(school.note, field="note", limit=NOTE_LIMIT),
    )
