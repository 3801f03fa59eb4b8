"""Research projects (课题) and papers (论文): stages in order, owners, outcomes."""

from datetime import date
from typing import Any
from uuid import UUID

from domain.codes import PaperOutcome, ProjectStage, ResearchLevel, SchoolLocation, Subject
from domain.community.errors import DuplicateSubjectError
from domain.errors import DateOutOfRangeError, InvalidValueError
from domain.research.errors import (
    DuplicateOwnerSchoolError,
    DuplicateTeacherError,
    NoOwnerSchoolError,
    OwnerNotInCommunityError,
    PaperOutcomeDetailError,
    PaperVoidedError,
    ProjectStageError,
    ResearchDateOrderError,
    ResearchInFutureError,
    ResearchSchoolClosedError,
)
from domain.research.paper import Paper
from domain.research.project import Project
from tests.domain.support import CLERK, TODAY, community, raises, rebuilt, school

LEAD = school("CG-01", location=SchoolLocation.URBAN)
VILLAGE = school("CZ-03")
OUTSIDER = school("QS-09")
GROUP = community(LEAD, (VILLAGE,))
TEACHERS = (UUID(int=0x7E01), UUID(int=0x7E02))
APPLIED_ON = date(2022, 10, 8)


def project(**changes: Any) -> Project:
    values: dict[str, Any] = {
        "id": UUID(int=0x9E01),
        "title": " 农村小学整本书阅读的实践研究 ",
        "owners": (VILLAGE,),
        "community": GROUP,
        "participant_ids": TEACHERS,
        "subjects": (Subject.CHINESE,),
        "level": ResearchLevel.COUNTY,
        "applied_on": APPLIED_ON,
        "note": "",
        "today": TODAY,
        "by": CLERK,
    }
    values.update(changes)
    return Project.apply(**values)


def paper(**changes: Any) -> Paper:
    values: dict[str, Any] = {
        "id": UUID(int=0x9E02),
        "title": "小学数学分层作业设计",
        "school": VILLAGE,
        "community": GROUP,
        "project_id": None,
        "author_ids": TEACHERS[:1],
        "level": ResearchLevel.CITY,
        "outcome": PaperOutcome.AWARDED,
        "award_grade": "一等奖",
        "venue": "市教育学会论文评比",
        "dated_on": date(2023, 5, 20),
        "today": TODAY,
        "by": CLERK,
    }
    values.update(changes)
    return Paper.record(**values)


def test_a_project_goes_from_application_to_approval_to_conclusion() -> None:
    found = project(owners=(LEAD, VILLAGE))
    assert (found.stage, found.title, found.is_joint) == (ProjectStage.APPLIED, found.title, True)
    assert found.title == "农村小学整本书阅读的实践研究"
    found.approve(ResearchLevel.CITY, date(2022, 12, 1), "SJ-2022-17", TODAY, by=CLERK)
    assert (found.stage, found.level, found.applied_level) == (
        ProjectStage.APPROVED,
        ResearchLevel.CITY,
        ResearchLevel.COUNTY,
    )
    found.conclude(date(2023, 6, 20), "结题报告已提交", TODAY, by=CLERK)
    assert found.stage is ProjectStage.CONCLUDED
    again = rebuilt(Project, found.collect_events())
    assert (again.stage, again.reference, again.concluded_on, again.conclusion) == (
        ProjectStage.CONCLUDED,
        "SJ-2022-17",
        date(2023, 6, 20),
        "结题报告已提交",
    )
    assert again.owner_school_ids == (LEAD.id, VILLAGE.id)


def test_stages_follow_each_other_and_dates_go_forward() -> None:
    found = project()
    with raises(ProjectStageError, stage="applied", action="conclude"):
        found.conclude(date(2023, 1, 1), "", TODAY, by=CLERK)
    with raises(ResearchDateOrderError, field="approved_on", earlier=APPLIED_ON):
        found.approve(ResearchLevel.COUNTY, date(2022, 10, 1), "", TODAY, by=CLERK)
    with raises(ResearchInFutureError, field="approved_on"):
        found.approve(ResearchLevel.COUNTY, date(2023, 7, 1), "", TODAY, by=CLERK)
    found.approve(ResearchLevel.COUNTY, date(2022, 11, 1), "", TODAY, by=CLERK)
    with raises(ProjectStageError, stage="approved", action="approve"):
        found.approve(ResearchLevel.CITY, date(2022, 11, 2), "", TODAY, by=CLERK)
    with raises(InvalidValueError, field="reason", reason="blank"):
        found.abandon(date(2023, 1, 1), "  ", TODAY, by=CLERK)
    found.abandon(date(2023, 1, 1), "主持人调离", TODAY, by=CLERK)
    assert (found.stage, found.abandon_reason) == (ProjectStage.ABANDONED, "主持人调离")
    with raises(ProjectStageError, stage="abandoned", action="abandon"):
        found.abandon(date(2023, 1, 2), "again", TODAY, by=CLERK)


def test_an_application_names_its_owners_teachers_and_subjects_once() -> None:
    with raises(NoOwnerSchoolError):
        project(owners=())
    with raises(DuplicateOwnerSchoolError, school_id=VILLAGE.id):
        project(owners=(VILLAGE, VILLAGE))
    with raises(OwnerNotInCommunityError, school_id=OUTSIDER.id):
        project(owners=(OUTSIDER,))
    assert project(owners=(OUTSIDER,), community=None).community_id is None
    with raises(DuplicateTeacherError, teacher_id=TEACHERS[0]):
        project(participant_ids=(TEACHERS[0], TEACHERS[0]))
    with raises(DuplicateSubjectError, subject="chinese"):
        project(subjects=(Subject.CHINESE, Subject.CHINESE))
    with raises(InvalidValueError, field="project_title", reason="blank"):
        project(title="\u3000")
    with raises(ResearchInFutureError, field="applied_on"):
        project(applied_on=date(2023, 7, 1))
    with raises(DateOutOfRangeError):
        project(applied_on=date(1999, 7, 1))
    closed = school("CZ-05")
    closed.close(date(2022, 9, 1), "merged", by=CLERK)
    with raises(ResearchSchoolClosedError, school_id=closed.id):
        project(owners=(closed,), community=None)


def test_a_paper_is_awarded_with_a_grade_published_in_a_venue_or_exchanged() -> None:
    assert paper().award_grade == "一等奖"
    assert paper(outcome=PaperOutcome.EXCHANGED, award_grade="", venue="").venue == ""
    assert (
        paper(outcome=PaperOutcome.PUBLISHED, award_grade="", venue="《小学数学教师》").is_void
        is False
    )
    with raises(PaperOutcomeDetailError, rule="award_grade_required"):
        paper(award_grade=" ")
    with raises(PaperOutcomeDetailError, rule="venue_required"):
        paper(outcome=PaperOutcome.PUBLISHED, award_grade="", venue="")
    with raises(PaperOutcomeDetailError, rule="award_grade_not_allowed"):
        paper(outcome=PaperOutcome.EXCHANGED)
    with raises(OwnerNotInCommunityError, school_id=OUTSIDER.id):
        paper(school=OUTSIDER)
    with raises(ResearchInFutureError, field="dated_on"):
        paper(dated_on=date(2023, 7, 1))


def test_a_wrong_paper_is_voided_once_and_stays_in_the_ledger() -> None:
    found = paper()
    found.void("重复登记", by=CLERK)
    with raises(PaperVoidedError, paper_id=found.id):
        found.void("again", by=CLERK)
    again = rebuilt(Paper, found.collect_events())
    assert (again.is_void, again.void_reason, again.title) == (True, "重复登记", found.title)
