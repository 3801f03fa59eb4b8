"""One of every event of the research and quality contexts, for the event and golden tests."""

from datetime import date
from uuid import UUID

from eventsourcing.domain import CanMutateAggregate

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
from tests.domain.support import CLERK, TODAY


def every_kind_of_research_event(
    lead: School, town: School, group: Community
) -> list[CanMutateAggregate[UUID]]:
    teacher = UUID(int=0x7E01)
    project = Project.apply(
        id=UUID(int=11),
        title="Whole-book reading in rural schools",
        owners=(lead, town),
        community=group,
        participant_ids=(teacher,),
        subjects=(Subject.CHINESE,),
        level=ResearchLevel.COUNTY,
        applied_on=date(2022, 10, 8),
        note="",
        today=TODAY,
        by=CLERK,
    )
    project.approve(ResearchLevel.CITY, date(2022, 12, 1), "SJ-2022-17", TODAY, by=CLERK)
    project.conclude(date(2023, 6, 20), "report filed", TODAY, by=CLERK)
    dropped = Project.apply(
        id=UUID(int=12),
        title="Homework design",
        owners=(town,),
        community=None,
        participant_ids=(),
        subjects=(),
        level=ResearchLevel.SCHOOL,
        applied_on=date(2022, 10, 8),
        note="",
        today=TODAY,
        by=CLERK,
    )
    dropped.abandon(date(2023, 1, 5), "leader moved", TODAY, by=CLERK)
    paper = Paper.record(
        id=UUID(int=13),
        title="Layered maths homework",
        school=town,
        community=group,
        project_id=project.id,
        author_ids=(teacher,),
        level=ResearchLevel.CITY,
        outcome=PaperOutcome.AWARDED,
        award_grade="first prize",
        venue="",
        dated_on=date(2023, 5, 20),
        today=TODAY,
        by=CLERK,
    )
    paper.void("duplicate", by=CLERK)
    sitting = Sitting.hold(
        id=UUID(int=14),
        kind=SittingKind.JOINT,
        title="Joint end-of-term test",
        held_on=date(2023, 6, 25),
        grades=(4,),
        subjects=(Subject.MATH,),
        schools=(lead, town),
        community=group,
        today=TODAY,
        by=CLERK,
    )
    sitting.record_results(
        [Result(town.id, Subject.MATH, 4, 42, 9286, 6190, 8325, 100)], "", by=CLERK
    )
    sitting.record_analysis(None, "analysis", by=CLERK)
    entry = Entry.record(
        id=UUID(int=15),
        kind=MoneyKind.SUBSIDY,
        amount_fen=20_000,
        school=lead,
        community=group,
        teacher_id=teacher,
        month=date(2023, 3, 1),
        year=None,
        paid_on=date(2023, 3, 31),
        note="",
        today=TODAY,
        by=CLERK,
    )
    entry.reverse("wrong amount", by=CLERK)
    commendation = Commendation.award(
        id=UUID(int=16),
        kind=CommendationKind.DISPATCHED_TEACHER,
        year=2022,
        title="Outstanding dispatched teacher 2022",
        teacher_id=teacher,
        school=lead,
        community=group,
        basis="assessed excellent",
        document="",
        awarded_on=date(2023, 3, 10),
        today=TODAY,
        by=CLERK,
    )
    commendation.revoke("in error", by=CLERK)
    return [
        *entry.collect_events(),
        *commendation.collect_events(),
        *project.collect_events(),
        *dropped.collect_events(),
        *paper.collect_events(),
        *sitting.collect_events(),
    ]
