"""Stable codes and their labels."""

import re
from enum import StrEnum

import pytest

from domain import codes
from domain.codes import (
    LABELS,
    ActivityKind,
    CommunityType,
    Label,
    SchoolStage,
    Subject,
    TeacherTitle,
    label,
)
from domain.periods import Term

ENUMS: list[type[StrEnum]] = [
    value
    for value in vars(codes).values()
    if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
]


def test_every_code_enum_is_covered() -> None:
    assert {e.__name__ for e in ENUMS} == {
        "CommunityType",
        "SchoolStage",
        "SchoolLocation",
        "ActivityKind",
        "ActivityMode",
        "AssignmentRole",
        "TeacherTitle",
        "ResearchLevel",
        "AssessmentGrade",
        "ComplianceStatus",
        "Subject",
        "Term",
        # The staff context (issue 8).
        "Gender",
        "BackboneLevel",
        "Post",
        "AssignmentKind",
        "Relation",
        "AssignmentSide",
        "EligibilityBasis",
        # The research and quality contexts (issue 8).
        "ProjectStage",
        "PaperOutcome",
        "SittingKind",
        "MoneyKind",
        "CommendationKind",
        # The rule language (issue 9).
        "PeriodGrain",
        "Strictness",
        "CommunityRole",
        "EvaluationMode",
        "ExclusionReason",
        "RuleSetState",
        # Communities' set-up (issue 8 item 9).
        "GroupRole",
        "PhaseKind",
        # Review before counting (issue 8).
        "ReviewLevel",
        "ReviewState",
    }
    assert set(LABELS) == set(ENUMS)


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_a_chinese_and_an_english_label(enum: type[StrEnum]) -> None:
    for member in enum:
        found = label(member)
        assert found.zh.strip(), member
        assert found.en.strip(), member
    assert set(LABELS[enum]) == set(enum)


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_codes_are_lowercase_snake_case(enum: type[StrEnum]) -> None:
    for member in enum:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", member.value), member


def test_labels_follow_domain_md() -> None:
    assert label(CommunityType.FUSED) == Label("融合型", "Fused")
    assert label(ActivityKind.MANAGEMENT_VISIT) == Label("管理视导", "Management supervision visit")
    assert label(ActivityKind.SENDING_LESSONS).zh == "送教下乡"
    assert label(Subject.MORALITY_LAW).zh == "道德与法治"
    assert label(Term.AUTUMN).zh == "秋季学期"


def test_the_same_code_in_two_groups_keeps_its_own_label() -> None:
    assert SchoolStage.JUNIOR.value == TeacherTitle.JUNIOR.value == "junior"
    assert label(SchoolStage.JUNIOR).zh == "初中"
    assert label(TeacherTitle.JUNIOR).zh == "初级"


DOMAIN_MD_CODES: dict[type[StrEnum], str] = {
    codes.CommunityType: "fused co_built collaborative",
    codes.SchoolStage: "kindergarten primary junior senior special",
    codes.SchoolLocation: "urban town village",
    codes.ActivityKind: (
        "management_visit management_exchange collective_lesson_prep sending_lessons "
        "synchronous_lesson demonstration_lesson public_lesson spot_check_lesson "
        "teaching_research teacher_training expert_lecture quality_test routine_inspection "
        "moral_education_exchange arts_sports_event student_exchange resource_sharing home_school "
        # RULES-CATALOGUE.md §5 (and §4.22: 同步教学研讨, a follow-up) (issue 8).
        "research_project paper_result quality_analysis lesson_plan_check lesson_prep_showcase "
        "teaching_contest student_contest work_meeting summary_report activity_review "
        "same_topic_lessons reading_club survey follow_up_interview parent_class family_practice "
        "home_visit sync_teaching_seminar"
    ),
    codes.ActivityMode: "on_site online",
    codes.AssignmentRole: "vice_principal mid_level_cadre backbone_teacher shadowing_teacher",
    codes.TeacherTitle: "junior intermediate senior",
    codes.ResearchLevel: "school county city province national",
    codes.AssessmentGrade: "excellent pass fail",
    codes.ComplianceStatus: "met at_risk missed open not_applicable",  # issue 9 adds the last two
    Term: "autumn spring",
    # RULES-CATALOGUE.md §5 proposes these; the staff context uses them (issue 8).
    codes.AssignmentKind: "dispatch shadowing management_shadowing teacher_exchange",
    codes.Relation: "unchanged moved_to_host",
}


@pytest.mark.parametrize("enum", list(DOMAIN_MD_CODES), ids=lambda e: e.__name__)
def test_codes_are_exactly_those_of_domain_md(enum: type[StrEnum]) -> None:
    assert [member.value for member in enum] == DOMAIN_MD_CODES[enum].split()


def test_subject_catalogue_has_stable_codes() -> None:
    assert [s.value for s in Subject] == [
        "chinese",
        "math",
        "english",
        "physics",
        "chemistry",
        "biology",
        "morality_law",
        "history",
        "geography",
        "science",
        "music",
        "art",
        "pe",
        "it",
        "labor",
        "psychology",
        "calligraphy",
        "comprehensive",
        "preschool",
        "special_education",
        "morning_reading",
        "reading_writing_drawing",
        "other",
    ]


def test_staff_labels_follow_the_seeds() -> None:
    assert label(codes.Post.PARTY_SECRETARY).zh == "党组织书记"
    assert label(codes.Post.PREP_GROUP_LEADER).zh == "备课组长"
    assert label(codes.AssignmentKind.SHADOWING).zh == "跟岗学习"
    assert label(codes.BackboneLevel.COUNTY).zh == "县级骨干教师"
    # "school" is a research level and a 骨干 level: each keeps its own label.
    assert codes.BackboneLevel.SCHOOL.value == codes.ResearchLevel.SCHOOL.value
    assert label(codes.ResearchLevel.SCHOOL).zh == "校级"
