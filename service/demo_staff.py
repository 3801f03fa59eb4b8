"""The demo county's staff and its community's set-up.

Some 20 teachers with made-up names, assignments of each kind and mentor pairs; the community's
agreement, leading group, base school, a studio, its phases and a school of another county.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from domain.codes import (
    BackboneLevel,
    Gender,
    GroupRole,
    PhaseKind,
    Post,
    Subject,
    TeacherTitle,
)
from domain.community.community import Community
from domain.staff.teacher import Teacher
from service.command import change, create
from service.commands.community.setup import (
    AppointLeadingGroup,
    DesignateBaseSchools,
    GroupMemberIn,
    OpenStudio,
    PairExternalSchool,
    PhaseIn,
    PlanPhases,
    SignAgreement,
    appoint_leading_group,
    designate_base_schools,
    open_studio,
    pair_external_school,
    plan_phases,
    sign_agreement,
)
from service.commands.staff.mentorships import PairMentorship, pair_mentorship
from service.commands.staff.teachers import (
    ChangeBackboneLevel,
    LeaveStaff,
    RegisterTeacher,
    change_backbone_level,
    leave_staff,
    register_teacher,
)
from service.demo_assignments import Served, arrange_all
from service.demo_files import at_once

if TYPE_CHECKING:
    from uuid import UUID

    import msgspec

    from domain.staff.mentorship import Mentorship
    from service.command import Env
    from service.commands.community.activities import EvidenceIn

# Common surnames and given-name characters; combined at random they name no one in particular.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "子涵欣怡梓萱思远浩然雨桐明轩若汐俊杰语嫣嘉懿晨曦一诺宇航静雯志强丽华"
TEACHERS_PER_SCHOOL = 4
LEAD_EXTRA = 3  # the lead school sends most: its head, five sent, one apprentice
SUBJECTS = (Subject.CHINESE, Subject.MATH, Subject.ENGLISH, Subject.SCIENCE, Subject.MUSIC)


def made_up_name(rng: random.Random) -> str:
    """A plausible Chinese name (a surname and one or two given characters) of no real person."""
    return rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2, 2))))


@dataclass(frozen=True)
class Staff:
    teachers: list[UUID]
    pairs: list[Mentorship]
    served: list[Served]  # who is paid a subsidy, for which days
    names: frozenset[str]  # the teachers' names, which no action's participant shares


async def add_staff(
    writer: Env,
    lead: UUID,
    partners: list[UUID],
    *,
    starts_on: date,
    community_id: UUID,
    document: EvidenceIn,
) -> Staff:
    """Teachers at each school, assignments of each kind, mentor pairs, the community's set-up.

    `document` is the signed agreement, uploaded.
    """
    rng = random.Random(str(writer.tenant_id))  # noqa: S311 - made-up names, not secrets
    registered = [  # the names drawn in order: the same county, the same names
        RegisterTeacher(
            name=made_up_name(rng),
            phone=f"139{rng.randrange(10**8):08d}",
            school_id=school_id,
            gender=rng.choice(list(Gender)),
            birth_year=rng.randrange(1970, 2000),
            subjects=[SUBJECTS[n % len(SUBJECTS)]],
            title=[TeacherTitle.SENIOR, TeacherTitle.INTERMEDIATE, None][n % 3],
            backbone_level=BackboneLevel.COUNTY if n == 0 else None,
            posts=[Post.PREP_GROUP_LEADER] if n == 0 else [],
        )
        for school_id in (lead, *partners)
        for n in range(TEACHERS_PER_SCHOOL + (LEAD_EXTRA if school_id == lead else 0))
    ]
    by_school: dict[UUID, list[Teacher]] = {}
    for teacher, _ in await at_once(create(writer, register_teacher, r) for r in registered):
        by_school.setdefault(teacher.school_id, []).append(teacher)
    first_year_end = starts_on.replace(year=starts_on.year + 1) - timedelta(days=1)
    served = await arrange_all(
        writer, by_school, lead, partners, starts_on=starts_on, community_id=community_id
    )
    pairs = []
    for school_id, staff in by_school.items():
        pair, _ = await create(
            writer,
            pair_mentorship,
            PairMentorship(
                mentor_id=staff[0].id,
                apprentice_id=staff[-1].id,
                school_id=school_id,
                starts_on=starts_on,
                planned_ends_on=first_year_end,
            ),
        )
        pairs.append(pair)
    promoted = by_school[partners[0]][1]
    await change(
        writer,
        None,
        change_backbone_level,
        Teacher,
        promoted.id,
        ChangeBackboneLevel(backbone_level=BackboneLevel.SCHOOL, changed_on=first_year_end),
    )
    retired = by_school[partners[1]][-2]
    await change(
        writer,
        None,
        leave_staff,
        Teacher,
        retired.id,
        LeaveStaff(left_on=first_year_end, reason="退休"),
    )
    await _set_up(writer, community_id, lead, by_school, starts_on=starts_on, document=document)
    teachers = [teacher.id for staff in by_school.values() for teacher in staff]
    return Staff(teachers, pairs, served, frozenset(r.name for r in registered))


async def _set_up(
    writer: Env,
    community_id: UUID,
    lead: UUID,
    by_school: dict[UUID, list[Teacher]],
    *,
    starts_on: date,
    document: EvidenceIn,
) -> None:
    """The community's agreement, leading group, base school, a studio and its phases.

    And a school of another county paired with the lead (each county records its own side).
    """
    heads = [staff[0].id for staff in by_school.values()]
    year = starts_on.year
    steps: list[tuple[Any, msgspec.Struct]] = [
        (
            sign_agreement,
            SignAgreement(
                rights="共享牵头学校的课程、师资与教研资源",
                duties="牵头学校每学期送教、视导各成员校不少于两次；成员校按期参加集体备课",
                mode="共建型：师资互派、集体备课、送教下乡、质量共测",
                targets="三年内成员校教学质量达到全县平均水平",
                evaluation="牵头学校与成员校捆绑考核",
                signed_on=starts_on - timedelta(days=7),
                document_name=document.name,
                document_sha256=document.sha256,
            ),
        ),
        (
            appoint_leading_group,
            AppointLeadingGroup(
                members=[
                    GroupMemberIn(role=GroupRole.LEADER, name="县教育局分管副局长", post="副局长"),
                    GroupMemberIn(role=GroupRole.DEPUTY, teacher_id=heads[0], post="牵头学校校长"),
                    *(
                        GroupMemberIn(role=GroupRole.MEMBER, teacher_id=head, post="成员校校长")
                        for head in heads[1:]
                    ),
                ],
                appointed_on=starts_on,
            ),
        ),
        (designate_base_schools, DesignateBaseSchools(school_ids=[lead], designated_on=starts_on)),
        (
            open_studio,
            OpenStudio(
                name="城关一小数学名师工作室",
                leader_id=heads[0],
                member_ids=heads[1:],
                opened_on=starts_on + timedelta(days=30),
            ),
        ),
        (
            plan_phases,
            PlanPhases(
                phases=[
                    PhaseIn(
                        kind=PhaseKind.LAUNCH, starts_on=starts_on, ends_on=date(year + 1, 1, 31)
                    ),
                    PhaseIn(
                        kind=PhaseKind.IMPLEMENTATION,
                        starts_on=date(year + 1, 2, 1),
                        ends_on=date(year + 2, 8, 31),
                    ),
                    PhaseIn(
                        kind=PhaseKind.LONG_TERM,
                        starts_on=date(year + 2, 9, 1),
                        ends_on=date(year + 3, 8, 31),
                    ),
                ]
            ),
        ),
        (
            pair_external_school,
            PairExternalSchool(
                name="云溪县实验小学",
                county="云溪县",
                paired_on=starts_on + timedelta(days=45),
                note="跨县结对：每学期互派教师听课一次",
            ),
        ),
    ]
    for handler, body in steps:
        await change(writer, None, handler, Community, community_id, body)
