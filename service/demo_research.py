"""The demo county's research and quality records: a project, a paper, test sittings."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING

from domain.codes import (
    CommendationKind,
    MoneyKind,
    PaperOutcome,
    ResearchLevel,
    SittingKind,
    Subject,
)
from domain.quality.sitting import Sitting
from domain.research.project import Project
from service.command import change, create
from service.commands.commendation.commendations import AwardCommendation, award_commendation
from service.commands.money.entries import RecordEntry, record_entry
from service.commands.quality.sittings import (
    HoldSitting,
    RecordAnalysis,
    RecordResults,
    ResultIn,
    hold_sitting,
    record_analysis,
    record_results,
)
from service.commands.research.papers import RecordPaper, record_paper
from service.commands.research.projects import (
    ApplyProject,
    ApproveProject,
    apply_project,
    approve_project,
)

if TYPE_CHECKING:
    from uuid import UUID

    from service.command import Env


def _figure(key: str, low: int, high: int) -> int:
    """A plausible figure from `low` to `high`, the same for the same key."""
    digest = hashlib.sha256(key.encode()).digest()
    return low + int.from_bytes(digest[:4]) % (high - low + 1)


def _sittings(starts_on: date, today: date) -> list[tuple[date, SittingKind, str]]:
    """The first autumn's and spring's end-of-term tests, and this autumn's midterm once held."""
    year = starts_on.year
    held = [
        (date(year + 1, 1, 10), SittingKind.JOINT, f"{year}学年第一学期期末联考"),
        (date(year + 1, 6, 25), SittingKind.END_OF_TERM, f"{year}学年第二学期期末检测"),
    ]
    midterm = date(year + 1, 11, 12)
    if midterm <= today:
        held.append((midterm, SittingKind.MIDTERM, f"{year + 1}学年第一学期期中检测"))
    return held


async def record_research(
    writer: Env,
    *,
    lead: UUID,
    partners: list[UUID],
    community_id: UUID,
    starts_on: date,
    today: date,
) -> None:
    """A project, a paper, sittings with results, and the first year's funding and commendation.

    The project is joint and approved at county level; the paper awarded at city level.
    """
    project, _ = await create(
        writer,
        apply_project,
        ApplyProject(
            title="农村小学整本书阅读的实践研究",
            owner_school_ids=[lead, partners[0]],
            community_id=community_id,
            subjects=[Subject.CHINESE],
            level=ResearchLevel.COUNTY,
            applied_on=date(starts_on.year, 10, 8),
        ),
    )
    await change(
        writer,
        None,
        approve_project,
        Project,
        project.id,
        ApproveProject(
            level=ResearchLevel.COUNTY,
            approved_on=date(starts_on.year, 12, 1),
            reference=f"JK{starts_on.year}-017",
        ),
    )
    await create(
        writer,
        record_paper,
        RecordPaper(
            title="整本书阅读在农村小学中段的实践",
            school_id=partners[0],
            community_id=community_id,
            project_id=project.id,
            level=ResearchLevel.CITY,
            outcome=PaperOutcome.AWARDED,
            award_grade="二等奖",
            venue="市教育学会论文评比",
            dated_on=date(starts_on.year + 1, 5, 20),
        ),
    )
    schools = [lead, *partners]
    for number, (held_on, kind, title) in enumerate(_sittings(starts_on, today)):
        sitting, _ = await create(
            writer,
            hold_sitting,
            HoldSitting(
                kind=kind,
                title=title,
                held_on=held_on,
                grades=[4],
                subjects=[Subject.CHINESE, Subject.MATH],
                school_ids=schools,
                community_id=community_id,
            ),
        )
        results = []
        for school in schools:
            for subject in (Subject.CHINESE, Subject.MATH):
                key = f"{school}:{subject}:{number}"
                passed = _figure(key, 8000 + 200 * number, 9800)  # rising each term
                results.append(
                    ResultIn(
                        school_id=school,
                        subject=subject,
                        grade=4,
                        students=_figure(key + "n", 18, 48),
                        pass_rate=passed / 100,
                        good_rate=_figure(key + "g", 3000, passed) / 100,
                        mean=_figure(key + "m", 7000, 9000) / 100,
                    )
                )
        await change(
            writer, None, record_results, Sitting, sitting.id, RecordResults(results=results)
        )
        await change(
            writer,
            None,
            record_analysis,
            Sitting,
            sitting.id,
            RecordAnalysis(text=f"{title}质量分析：成员校合格率、优良率与上次相比均有提高。"),
        )
    first_year = starts_on.year + 1
    await create(
        writer,
        record_entry,
        RecordEntry(
            kind=MoneyKind.FUNDING,
            amount_fen=1_000_000,
            school_id=lead,
            community_id=community_id,
            year=first_year,
            paid_on=date(first_year, 3, 1),
            note="县教共体工作经费",
        ),
    )
    await create(
        writer,
        award_commendation,
        AwardCommendation(
            kind=CommendationKind.COMMUNITY,
            year=starts_on.year,
            title=f"{starts_on.year}学年优秀教育共同体",
            community_id=community_id,
            basis="年度考核优秀：送教下乡、集体备课全覆盖，成员校质量检测合格率提高。",
            awarded_on=date(first_year, 7, 10),
        ),
    )
