"""Research and quality records of a county's history, written through the real store."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from domain.codes import (
    CommendationKind,
    MoneyKind,
    PaperOutcome,
    ResearchLevel,
    SittingKind,
    Subject,
)
from domain.commendation.commendation import Commendation
from domain.community.community import Community
from domain.community.school import School
from domain.money.entry import Entry
from domain.quality.sitting import Result, Sitting
from domain.research.paper import Paper
from domain.research.project import Project
from infra.event_store import EventStore, WriteContext

TODAY = date(2025, 8, 31)


async def write_research(
    store: EventStore, ctx: WriteContext, schools: list[School], community: Community
) -> list[UUID]:
    """Two projects, two papers (one voided), three sittings over two years, two payments (one
    reversed) and a commendation; their ids."""
    lead, member, other = schools[0], schools[1], schools[2]
    by = ctx.actor_id
    joint = Project.apply(
        id=uuid4(),
        title="整本书阅读",
        owners=(lead, member),
        community=community,
        participant_ids=(uuid4(),),
        subjects=(Subject.CHINESE,),
        level=ResearchLevel.COUNTY,
        applied_on=date(2022, 10, 8),
        note="",
        today=TODAY,
        by=by,
    )
    joint.approve(ResearchLevel.CITY, date(2022, 12, 1), "SJ-17", TODAY, by=by)
    joint.conclude(date(2024, 6, 20), "", TODAY, by=by)
    own = Project.apply(
        id=uuid4(),
        title="分层作业",
        owners=(other,),
        community=None,
        participant_ids=(),
        subjects=(),
        level=ResearchLevel.SCHOOL,
        applied_on=date(2023, 9, 18),
        note="",
        today=TODAY,
        by=by,
    )
    own.abandon(date(2024, 1, 5), "主持人调离", TODAY, by=by)
    papers = [
        Paper.record(
            id=uuid4(),
            title=f"论文{i}",
            school=member,
            community=community,
            project_id=joint.id,
            author_ids=(),
            level=ResearchLevel.CITY,
            outcome=PaperOutcome.EXCHANGED,
            award_grade="",
            venue="",
            dated_on=date(2023, 5, 20 + i),
            today=TODAY,
            by=by,
        )
        for i in range(2)
    ]
    papers[1].void("重复登记", by=by)
    sittings = []
    for held_on, kind, pass_rate in (
        (date(2023, 6, 25), SittingKind.JOINT, 8550),
        (date(2024, 4, 20), SittingKind.MIDTERM, 8800),
        (date(2024, 6, 25), SittingKind.END_OF_TERM, 9286),
    ):
        sitting = Sitting.hold(
            id=uuid4(),
            kind=kind,
            title=f"{held_on} 质量检测",
            held_on=held_on,
            grades=(4,),
            subjects=(Subject.MATH, Subject.CHINESE),
            schools=(lead, member),
            community=community,
            today=TODAY,
            by=by,
        )
        figures = [
            Result(school, subject, 4, 42, pass_rate, 6000, 8000, 100)
            for school in (lead.id, member.id)
            for subject in (Subject.MATH, Subject.CHINESE)
        ]
        sitting.record_results(figures, "", by=by)
        sittings.append(sitting)
    sittings[2].record_results(
        [Result(member.id, Subject.MATH, 4, 41, 9500, 6100, 8100, 100)], "复核", by=by
    )
    sittings[2].record_analysis(member.id, "合格率提高", by=by)
    money = [
        Entry.record(
            id=uuid4(),
            kind=MoneyKind.SUBSIDY,
            amount_fen=20_000,
            school=lead,
            community=community,
            teacher_id=joint.participant_ids[0],
            month=date(2023, month, 1),
            year=None,
            paid_on=date(2023, 6, 30),
            note="",
            today=TODAY,
            by=by,
        )
        for month in (3, 4)
    ]
    money[1].reverse("重复", by=by)
    commendation = Commendation.award(
        id=uuid4(),
        kind=CommendationKind.COMMUNITY,
        year=2023,
        title="2023年度优秀教育共同体",
        teacher_id=None,
        school=None,
        community=community,
        basis="年度考核优秀",
        document="",
        awarded_on=date(2024, 3, 1),
        today=TODAY,
        by=by,
    )
    records = [joint, own, *papers, *sittings, *money, commendation]
    for record in records:
        await store.save(record, ctx)
    return [record.id for record in records]
