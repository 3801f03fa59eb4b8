"""Commands on staff assignments (支教/轮岗/挂职, 跟岗, 跟班, 互派): arrange, replace, end early."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.codes import (
    AssignmentKind,
    AssignmentRole,
    AssignmentSide,
    EligibilityBasis,
    Post,
    Relation,
)
from domain.community.community import Community
from domain.community.school import School
from domain.staff.assignment import REASON_LIMIT, Assignment
from domain.staff.errors import OverlappingAssignmentError
from domain.staff.teacher import Teacher
from domain.staff.term import CommunityPeriod
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced

if TYPE_CHECKING:
    from infra.event_store import AppendFailedError
    from service.command import Env

Posts = Annotated[list[Post], msgspec.Meta(max_length=20)]


class ArrangeAssignment(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    kind: AssignmentKind
    teacher_id: UUID
    role: AssignmentRole
    from_school_id: UUID
    to_school_id: UUID
    host_posts: Posts = []
    starts_on: date
    planned_ends_on: date  # the last day of the term, included
    community_id: UUID | None = None
    full_time: bool = True
    personnel_relation: Relation = Relation.UNCHANGED
    party_relation: Relation = Relation.UNCHANGED
    eligibility_basis: EligibilityBasis | None = None


class ReplacePerson(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    teacher_id: UUID  # the successor
    replaced_on: date  # the successor's first day
    side: AssignmentSide
    reason: Annotated[str, msgspec.Meta(max_length=REASON_LIMIT)] = ""


class EndAssignment(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    ended_on: date  # the last day served
    reason: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REASON_LIMIT)]


async def assignments_of(env: Env, teacher_id: UUID) -> list[Assignment]:
    """Every assignment the person ever filled, as recorded (for the overlap rule)."""
    ids = await env.store.streams_naming(Assignment, env.tenant_id, teacher_id)
    return [await env.store.get(Assignment, env.tenant_id, found) for found in ids]


class _Overlap(msgspec.Struct, frozen=True):
    teacher_id: UUID
    other_assignment_id: UUID
    starts_on: date
    ends_on: date


_OVERLAP = "overlapping_assignment "
_EXCLUSION_VIOLATION = "23P01"


def overlap_refused(error: AppendFailedError) -> OverlappingAssignmentError | None:
    """The domain's refusal, when the guard of migration 0017 refused the append.

    Another full-time assignment of the person was appended between this command's check and
    its append (a race): the database names it.
    """
    if error.sqlstate != _EXCLUSION_VIOLATION or not error.message.startswith(_OVERLAP):
        return None
    found = msgspec.json.decode(error.message.removeprefix(_OVERLAP), type=_Overlap)
    return OverlappingAssignmentError(**msgspec.structs.asdict(found))


async def arrange_assignment(env: Env, cmd: ArrangeAssignment) -> Decision[Assignment]:
    teacher = await referenced(env, Teacher, "teacher_id", cmd.teacher_id)
    from_school = await referenced(env, School, "from_school_id", cmd.from_school_id)
    to_school = await referenced(env, School, "to_school_id", cmd.to_school_id)
    period = None
    if cmd.community_id is not None:
        community = await referenced(env, Community, "community_id", cmd.community_id)
        period = CommunityPeriod.of(community)
    assignment = Assignment.arrange(
        id=uuid4(),
        kind=cmd.kind,
        teacher=teacher,
        role=cmd.role,
        from_school=from_school,
        to_school=to_school,
        host_posts=cmd.host_posts,
        starts_on=cmd.starts_on,
        planned_ends_on=cmd.planned_ends_on,
        community=period,
        personnel_relation=cmd.personnel_relation,
        party_relation=cmd.party_relation,
        others=await assignments_of(env, teacher.id) if cmd.full_time else (),
        by=env.by,
        full_time=cmd.full_time,
        eligibility_basis=cmd.eligibility_basis,
    )
    return Decision(assignment, refused=overlap_refused)


async def replace_person(
    env: Env, assignment: Assignment, cmd: ReplacePerson
) -> Decision[Assignment]:
    successor = await referenced(env, Teacher, "teacher_id", cmd.teacher_id)
    assignment.replace(
        successor,
        on=cmd.replaced_on,
        side=cmd.side,
        reason=cmd.reason,
        others=await assignments_of(env, successor.id) if assignment.full_time else (),
        by=env.by,
    )
    return Decision(assignment, refused=overlap_refused)


async def end_assignment(
    env: Env, assignment: Assignment, cmd: EndAssignment
) -> Decision[Assignment]:
    assignment.end_early(cmd.ended_on, cmd.reason, by=env.by)
    return Decision(assignment)
