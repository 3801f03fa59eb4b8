"""The demo county's research, money and commendations.

Three projects through their stages (a joint county project approved, a school project
concluded, a city application waiting), a paper of each outcome, the lead school's funding of
each year paid so far, and the commendations of the first year: the community and a teacher
it sent.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.codes import CommendationKind, MoneyKind, PaperOutcome, ResearchLevel, Subject
from domain.research.project import Project
from service.command import change, create
from service.commands.commendation.commendations import AwardCommendation, award_commendation
from service.commands.money.entries import RecordEntry, record_entry
from service.commands.research.papers import RecordPaper, record_paper
from service.commands.research.projects import (
    ApplyProject,
    ApproveProject,
    ConcludeProject,
    apply_project,
    approve_project,
    conclude_project,
)

if TYPE_CHECKING:
    from uuid import UUID

    from service.command import Env

FUNDING_FEN = 1_000_000  # ¥10,000 a year to the lead school


async def record_research(
    writer: Env,
    *,
    lead: UUID,
    partners: list[UUID],
    community_id: UUID,
    starts_on: date,
    authors: list[UUID],
) -> None:
    """The projects and their papers; `authors` are teachers of the lead school."""
    year = starts_on.year
    joint, _ = await create(
        writer,
        apply_project,
        ApplyProject(
            title="农村小学整本书阅读的实践研究",
            owner_school_ids=[lead, partners[0]],
            community_id=community_id,
            participant_ids=authors[:2],
            subjects=[Subject.CHINESE],
            level=ResearchLevel.COUNTY,
            applied_on=date(year, 10, 8),
        ),
    )
    approval = ApproveProject(
        level=ResearchLevel.COUNTY, approved_on=date(year, 12, 1), reference=f"JK{year}-017"
    )
    await change(writer, None, approve_project, Project, joint.id, approval)
    small, _ = await create(
        writer,
        apply_project,
        ApplyProject(
            title="小学数学分层作业设计",
            owner_school_ids=[partners[1]],
            community_id=community_id,
            subjects=[Subject.MATH],
            level=ResearchLevel.SCHOOL,
            applied_on=date(year, 9, 20),
        ),
    )
    school_level = ApproveProject(
        level=ResearchLevel.SCHOOL, approved_on=date(year, 10, 10), reference=f"XK{year}-03"
    )
    await change(writer, None, approve_project, Project, small.id, school_level)
    done = ConcludeProject(concluded_on=date(year + 1, 6, 30), note="结题报告已通过学校评审")
    await change(writer, None, conclude_project, Project, small.id, done)
    await create(
        writer,
        apply_project,
        ApplyProject(
            title="城乡教育共同体同步课堂的实践研究",
            owner_school_ids=[lead, *partners],
            community_id=community_id,
            subjects=[Subject.ENGLISH],
            level=ResearchLevel.CITY,
            applied_on=date(year + 1, 3, 15),
        ),
    )
    papers = (
        ("整本书阅读在农村小学中段的实践", partners[0], joint.id, ResearchLevel.CITY,
         PaperOutcome.AWARDED, "二等奖", "市教育学会论文评比", date(year + 1, 5, 20)),
        ("分层作业让每个孩子都有收获", partners[1], small.id, ResearchLevel.COUNTY,
         PaperOutcome.EXCHANGED, "", "县小学数学教研年会", date(year + 1, 4, 12)),
        ("送教下乡中的课堂观察", lead, None, ResearchLevel.PROVINCE,
         PaperOutcome.PUBLISHED, "", "《小学教学研究》", date(year + 1, 6, 8)),
    )  # fmt: skip
    for title, school, project, level, outcome, grade, venue, dated_on in papers:
        await create(
            writer,
            record_paper,
            RecordPaper(
                title=title,
                school_id=school,
                community_id=community_id,
                project_id=project,
                author_ids=authors[:1] if school == lead else [],
                level=level,
                outcome=outcome,
                award_grade=grade,
                venue=venue,
                dated_on=dated_on,
            ),
        )


async def record_money_and_honours(
    writer: Env, *, lead: UUID, community_id: UUID, starts_on: date, today: date, sent: UUID
) -> None:
    """Each year's funding paid so far, and the first year's commendations."""
    for year in range(starts_on.year + 1, today.year + 1):
        paid_on = date(year, 3, 1)
        if paid_on > today:
            break
        entry = RecordEntry(
            kind=MoneyKind.FUNDING,
            amount_fen=FUNDING_FEN,
            school_id=lead,
            community_id=community_id,
            year=year,
            paid_on=paid_on,
            note="县教共体工作经费",
        )
        await create(writer, record_entry, entry)
    awarded_on = date(starts_on.year + 1, 7, 10)
    await create(
        writer,
        award_commendation,
        AwardCommendation(
            kind=CommendationKind.COMMUNITY,
            year=starts_on.year,
            title=f"{starts_on.year}学年优秀教育共同体",
            community_id=community_id,
            basis="年度考核优秀：送教下乡、集体备课全覆盖，成员校质量检测合格率提高。",
            awarded_on=awarded_on,
        ),
    )
    await create(
        writer,
        award_commendation,
        AwardCommendation(
            kind=CommendationKind.DISPATCHED_TEACHER,
            year=starts_on.year,
            title=f"{starts_on.year}学年优秀支教教师",
            teacher_id=sent,
            school_id=lead,
            community_id=community_id,
            basis="支教期间任备课组长，所带班级数学合格率提高12个百分点。",
            document=f"县教发[{starts_on.year + 1}]21号",
            awarded_on=awarded_on,
        ),
    )
