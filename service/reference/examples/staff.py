"""Examples of teachers, assignments and mentor pairs, and of a community's set-up.

The names, phone and ID number are made up; the service seals such data (README, staff).
"""

from __future__ import annotations

from datetime import date

from domain.codes import (
    AssignmentKind,
    AssignmentRole,
    AssignmentSide,
    BackboneLevel,
    EligibilityBasis,
    Gender,
    GroupRole,
    PhaseKind,
    Post,
    Relation,
    Subject,
    TeacherTitle,
)
from service.commands.community.setup import (
    AppointLeadingGroup,
    DesignateBaseSchools,
    GroupMemberIn,
    OpenStudio,
    PairExternalSchool,
    PhaseIn,
    PlanPhases,
    SignAgreement,
)
from service.commands.staff.assignments import ArrangeAssignment, EndAssignment, ReplacePerson
from service.commands.staff.mentorships import EndMentorship, LinkLesson, PairMentorship
from service.commands.staff.teachers import (
    ChangeBackboneLevel,
    ChangePersonalData,
    ChangePosts,
    ChangeTitle,
    LeaveStaff,
    RegisterTeacher,
    TransferTeacher,
)
from service.reference.ids import (
    ACTIVITY,
    APPRENTICE,
    ASSIGNMENT,
    COMMUNITY,
    LEAD,
    MEMBER,
    MENTORSHIP,
    TEACHER,
)
from service.views.labels import text
from service.views.staff.assignment import (
    AssignmentPage,
    AssignmentSummary,
    AssignmentView,
    HolderView,
)
from service.views.staff.mentorship import MentorshipPage, MentorshipView
from service.views.staff.teacher import CodeView, TeacherPage, TeacherView

NAME = "欧阳明远"
SHA256 = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f0a2c4e6b8d1f"
STARTS, ENDS = date(2024, 9, 1), date(2025, 7, 15)

TEACHER_VIEW = TeacherView(
    id=TEACHER,
    name=NAME,
    display_name=NAME,
    phone="13800000000",
    id_number="000000198603150000",
    erased=False,
    school_id=LEAD,
    gender=Gender.MALE.value,
    gender_label=text(Gender.MALE, "zh"),
    birth_year=1986,
    subjects=[CodeView(code=Subject.MATH.value, label=text(Subject.MATH, "zh"))],
    title=TeacherTitle.SENIOR.value,
    title_label=text(TeacherTitle.SENIOR, "zh"),
    backbone_level=BackboneLevel.COUNTY.value,
    backbone_level_label=text(BackboneLevel.COUNTY, "zh"),
    posts=[],
    left_on=None,
    version=1,
)
SUMMARY = AssignmentSummary(
    id=ASSIGNMENT,
    kind=AssignmentKind.DISPATCH.value,
    kind_label=text(AssignmentKind.DISPATCH, "zh"),
    teacher_id=TEACHER,
    teacher_ids=[TEACHER],
    role=AssignmentRole.BACKBONE_TEACHER.value,
    role_label=text(AssignmentRole.BACKBONE_TEACHER, "zh"),
    from_school_id=LEAD,
    to_school_id=MEMBER,
    host_posts=[],
    starts_on=STARTS,
    planned_ends_on=ENDS,
    ended_on=None,
    community_id=COMMUNITY,
    full_time=True,
    personnel_relation=Relation.UNCHANGED.value,
    personnel_relation_label=text(Relation.UNCHANGED, "zh"),
    party_relation=Relation.UNCHANGED.value,
    party_relation_label=text(Relation.UNCHANGED, "zh"),
    eligibility_basis=EligibilityBasis.YOUNG_NEVER_ROTATED.value,
    eligibility_basis_label=text(EligibilityBasis.YOUNG_NEVER_ROTATED, "zh"),
    version=1,
)
MENTORSHIP_VIEW = MentorshipView(
    id=MENTORSHIP,
    mentor_id=TEACHER,
    apprentice_id=APPRENTICE,
    school_id=LEAD,
    starts_on=STARTS,
    planned_ends_on=ENDS,
    ended_on=None,
    lesson_ids=[ACTIVITY],
    version=2,
)

EXAMPLES = (
    RegisterTeacher(
        name=NAME,
        phone="13800000000",
        id_number="000000198603150000",
        school_id=LEAD,
        gender=Gender.MALE,
        birth_year=1986,
        subjects=[Subject.MATH],
        title=TeacherTitle.SENIOR,
        backbone_level=BackboneLevel.COUNTY,
    ),
    ChangePersonalData(name=NAME, phone="13900000000"),
    TransferTeacher(school_id=MEMBER, transferred_on=date(2024, 8, 26)),
    ChangeTitle(title=TeacherTitle.SENIOR, changed_on=date(2024, 1, 10)),
    ChangeBackboneLevel(backbone_level=BackboneLevel.CITY, changed_on=date(2024, 6, 1)),
    ChangePosts(posts=[Post.VICE_PRINCIPAL], changed_on=date(2024, 9, 1)),
    LeaveStaff(left_on=date(2025, 7, 31), reason="退休"),
    TEACHER_VIEW,
    TeacherPage(items=[TEACHER_VIEW], next_cursor=None),
    ArrangeAssignment(
        kind=AssignmentKind.DISPATCH,
        teacher_id=TEACHER,
        role=AssignmentRole.BACKBONE_TEACHER,
        from_school_id=LEAD,
        to_school_id=MEMBER,
        starts_on=STARTS,
        planned_ends_on=ENDS,
        community_id=COMMUNITY,
        eligibility_basis=EligibilityBasis.YOUNG_NEVER_ROTATED,
    ),
    ReplacePerson(
        teacher_id=APPRENTICE,
        replaced_on=date(2025, 9, 1),
        side=AssignmentSide.SENDING,
        reason="原支教教师借调县教研室",
    ),
    EndAssignment(ended_on=date(2025, 1, 20), reason="病休"),
    AssignmentView(
        **{field: getattr(SUMMARY, field) for field in SUMMARY.__struct_fields__},
        holders=[HolderView(teacher_id=TEACHER, since=STARTS, side=None, side_label=None)],
    ),
    AssignmentPage(items=[SUMMARY], next_cursor=None),
    PairMentorship(
        mentor_id=TEACHER,
        apprentice_id=APPRENTICE,
        school_id=LEAD,
        starts_on=STARTS,
        planned_ends_on=ENDS,
    ),
    LinkLesson(activity_id=ACTIVITY),
    EndMentorship(ended_on=date(2025, 1, 20), reason="徒弟调往他校"),
    MENTORSHIP_VIEW,
    MentorshipPage(items=[MENTORSHIP_VIEW], next_cursor=None),
    SignAgreement(
        rights="共享成员校的教研资源与考核结果",
        duties="每学期送教下乡不少于两次，集体备课每月一次",
        mode="共建型：师资互派、集体备课、质量共测",
        targets="三年内成员校教学质量进入全县中游",
        evaluation="考核捆绑，年度评价",
        signed_on=date(2023, 9, 1),
        document_name="合作协议.pdf",
        document_sha256=SHA256,
    ),
    AppointLeadingGroup(
        members=[
            GroupMemberIn(role=GroupRole.LEADER, teacher_id=TEACHER, post="城关第一小学校长"),
            GroupMemberIn(role=GroupRole.DEPUTY, name="陈静", post="教育局副局长"),
        ],
        appointed_on=date(2023, 9, 5),
    ),
    DesignateBaseSchools(school_ids=[LEAD], designated_on=date(2023, 9, 5)),
    OpenStudio(
        name="小学数学名师工作室",
        leader_id=TEACHER,
        member_ids=[APPRENTICE],
        opened_on=date(2023, 10, 9),
    ),
    PlanPhases(
        phases=[
            PhaseIn(kind=PhaseKind.LAUNCH, starts_on=date(2023, 9, 1), ends_on=date(2023, 12, 31)),
            PhaseIn(
                kind=PhaseKind.IMPLEMENTATION,
                starts_on=date(2024, 1, 1),
                ends_on=date(2025, 12, 31),
            ),
        ]
    ),
    PairExternalSchool(
        name="平阳县实验小学", county="平阳县", paired_on=date(2024, 3, 1), note="教研共富"
    ),
)
