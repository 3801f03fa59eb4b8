"""A county's staff written through the real store: teachers (sealed when a keyring is given),
their changes, a leave and an erasure, assignments with a replacement and an early end, and
mentor pairs, over the community of `write_history`."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from domain.codes import (
    AssignmentKind,
    AssignmentRole,
    AssignmentSide,
    BackboneLevel,
    Gender,
    Post,
    Relation,
    Subject,
    TeacherTitle,
)
from domain.community.community import Community
from domain.community.school import School
from domain.staff.assignment import Assignment
from domain.staff.mentorship import Mentorship
from domain.staff.teacher import Teacher
from domain.staff.term import CommunityPeriod
from infra.crypto import PersonalData
from service.demo_staff import made_up_name
from tests.projections.history import History, writer

if TYPE_CHECKING:
    from infra.crypto import Keyring
    from infra.event_store import EventStore


@dataclass
class Staff:
    teachers: list[UUID] = field(default_factory=list)
    assignments: list[UUID] = field(default_factory=list)
    mentorships: list[UUID] = field(default_factory=list)
    erased: UUID | None = None


async def write_staff(
    store: EventStore,
    history: History,
    *,
    seed: int = 1,
    teachers: int = 20,
    keyring: Keyring | None = None,
) -> Staff:
    """`teachers` teachers at the county's schools; a third are sent to member schools."""
    assert history.community_id is not None
    rng = random.Random(seed)
    tenant_id, ctx = history.tenant_id, writer(history.tenant_id)
    schools = [await store.get(School, tenant_id, school_id) for school_id in history.schools]
    community = await store.get(Community, tenant_id, history.community_id)
    staff, registered = Staff(), []
    for i in range(teachers):
        teacher_id = uuid4()
        data = PersonalData(name=made_up_name(rng), phone=f"139{rng.randrange(10**8):08d}")
        sealed = (
            rng.randbytes(61)
            if keyring is None
            else await keyring.seal(tenant_id, teacher_id, data)
        )
        teacher = Teacher.register(
            id=teacher_id,
            school=schools[i % len(schools)],
            personal=sealed,
            gender=rng.choice(list(Gender)),
            birth_year=rng.randrange(1965, 2000),
            subjects=rng.sample(list(Subject), rng.randrange(1, 3)),
            title=rng.choice([None, *TeacherTitle]),
            backbone_level=rng.choice([None, None, *BackboneLevel]),
            posts=rng.sample([Post.CLASS_TEACHER, Post.PREP_GROUP_LEADER], rng.randrange(0, 2)),
            by=ctx.actor_id,
        )
        if i % 4 == 1 and teacher.title is not TeacherTitle.SENIOR:
            teacher.change_title(TeacherTitle.SENIOR, date(2023, 12, 1), by=ctx.actor_id)
        await store.save(teacher, ctx)
        registered.append(teacher)
        staff.teachers.append(teacher_id)
    period = CommunityPeriod.of(community)
    lead, members = schools[0], [s for s in schools[1:] if s.id in community.stints]
    for n, teacher in enumerate(registered[: teachers // 3]):
        assignment = Assignment.arrange(
            id=uuid4(),
            kind=AssignmentKind.DISPATCH,
            teacher=teacher,
            role=AssignmentRole.BACKBONE_TEACHER,
            from_school=lead,
            to_school=members[n % len(members)],
            host_posts=(Post.PREP_GROUP_LEADER,),
            starts_on=date(2022, 9, 1),
            planned_ends_on=date(2024, 8, 31),
            community=period,
            personnel_relation=Relation.UNCHANGED,
            party_relation=rng.choice(list(Relation)),
            others=(),
            by=ctx.actor_id,
        )
        successor = registered[-1 - n]
        if n % 3 == 0:
            assignment.replace(
                successor,
                on=date(2023, 9, 1),
                side=AssignmentSide.SENDING,
                reason="轮换",
                others=(),
                by=ctx.actor_id,
            )
        elif n % 3 == 1:
            assignment.end_early(date(2024, 1, 31), "借调", by=ctx.actor_id)
        await store.save(assignment, ctx)
        staff.assignments.append(assignment.id)
        mentorship = Mentorship.pair(
            id=uuid4(),
            mentor=teacher,
            apprentice=successor,
            school=lead,
            starts_on=date(2022, 9, 1),
            planned_ends_on=date(2023, 8, 31),
            by=ctx.actor_id,
        )
        if n % 2:
            mentorship.end_early(date(2023, 6, 30), "调动", by=ctx.actor_id)
        await store.save(mentorship, ctx)
        staff.mentorships.append(mentorship.id)
    leaving, erased = registered[teachers // 2], registered[teachers // 2 + 1]
    leaving.leave(date(2024, 7, 1), "退休", by=ctx.actor_id)
    await store.save(leaving, ctx)
    if keyring is not None:
        await keyring.erase(tenant_id, erased.id)
    erased.erase(by=ctx.actor_id)
    await store.save(erased, ctx)
    staff.erased = erased.id
    return staff
