"""Examples of the community context: schools, communities, their actions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from domain.codes import (
    ActivityKind,
    ActivityMode,
    CommunityType,
    GroupRole,
    PhaseKind,
    SchoolLocation,
    SchoolStage,
    Subject,
)
from service.commands.community.activities import (
    CorrectActivity,
    EvidenceIn,
    ParticipantIn,
    RecordActivity,
    VoidActivity,
)
from service.commands.community.communities import (
    DissolveCommunity,
    FormCommunity,
    JoinCommunity,
    LeaveCommunity,
)
from service.commands.community.schools import CloseSchool, RegisterSchool, RenameSchool
from service.commands.community.sign_in import IssueSignInLink, SignIn, SubmitReflection
from service.http.community.sign_in import SignedInView
from service.reference.ids import (
    ACTIVITY,
    COMMUNITY,
    LEAD,
    LINK,
    MEMBER,
    SECOND_MEMBER,
    STUDIO,
    TEACHER,
)
from service.views.community.activity import (
    ActivityPage,
    ActivitySummary,
    ActivityView,
    AttendanceCountView,
    AttendanceView,
    EvidenceView,
    ParticipantView,
    ReflectionView,
    SignInView,
    SubjectView,
)
from service.views.community.community import (
    CommunityPage,
    CommunitySummary,
    CommunityView,
    Roster,
    RosterEntry,
    StintView,
)
from service.views.community.evidence import FileView, SignInLinkView
from service.views.community.school import SchoolPage, SchoolView
from service.views.community.setup import (
    AgreementView,
    ExternalSchoolView,
    GroupMemberView,
    PhaseView,
    SetUpView,
    StudioView,
)
from service.views.labels import text

if TYPE_CHECKING:
    from uuid import UUID

CURSOR = "WyIzMzExMjcwMDAxIiwiM2Y2YTJjMWUtOGI0ZC00ZTdhLTljMmYtMWE1YjdkOWUwYzNhIl0"
SERVER = "http://127.0.0.1:8000"  # the server a request reached: links name it
SIGN_IN_TOKEN = "s1_Bv7Qk2xLw9mZp4sYc8nHd3gJa6eU0oWi5rTqXyE1vBnMlKjHgFdSaPoIuYt"  # noqa: S105 - of the form only
SHA256 = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f0a2c4e6b8d1f"

SCHOOL = SchoolView(
    id=LEAD,
    name="城关第一小学",
    code="3311270001",
    stage=SchoolStage.PRIMARY.value,
    stage_label=text(SchoolStage.PRIMARY, "zh"),
    location=SchoolLocation.URBAN.value,
    location_label=text(SchoolLocation.URBAN, "zh"),
    district="城关学区",
    is_open=True,
    closed_on=None,
    version=1,
)
STARTS, ENDS = date(2023, 9, 1), date(2026, 8, 31)
COMMUNITY_VIEW = CommunityView(
    id=COMMUNITY,
    name="城关一小教育共同体",
    type=CommunityType.CO_BUILT.value,
    type_label=text(CommunityType.CO_BUILT, "zh"),
    lead_school_id=LEAD,
    members=[
        StintView(school_id=MEMBER, joined_on=STARTS, left_on=None),
        StintView(school_id=SECOND_MEMBER, joined_on=STARTS, left_on=None),
    ],
    starts_on=STARTS,
    ends_on=ENDS,
    agreement="共建型教共体合作协议：师资互派、集体备课、送教下乡、质量共测，考核捆绑。",
    dissolved_on=None,
    version=1,
    set_up=SetUpView(
        agreement_signed=AgreementView(
            rights="共享成员校的教研资源与考核结果",
            duties="每学期送教下乡不少于两次，集体备课每月一次",
            mode="共建型：师资互派、集体备课、质量共测",
            targets="三年内成员校教学质量进入全县中游",
            evaluation="考核捆绑，年度评价",
            signed_on=STARTS,
            document_name="合作协议.pdf",
            document_sha256="9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b7d9f0a2c4e6b8d1f",
        ),
        leading_group=[
            GroupMemberView(
                role=GroupRole.LEADER.value,
                role_label=text(GroupRole.LEADER, "zh"),
                teacher_id=TEACHER,
                name=None,
                post="城关第一小学校长",
            )
        ],
        base_school_ids=[LEAD],
        studios=[
            StudioView(
                id=STUDIO,
                name="小学数学名师工作室",
                leader_id=TEACHER,
                member_ids=[TEACHER],
                opened_on=date(2023, 10, 9),
            )
        ],
        phases=[
            PhaseView(
                kind=PhaseKind.LAUNCH.value,
                kind_label=text(PhaseKind.LAUNCH, "zh"),
                starts_on=STARTS,
                ends_on=date(2023, 12, 31),
            )
        ],
        external_schools=[
            ExternalSchoolView(
                name="平阳县实验小学", county="平阳县", paired_on=date(2024, 3, 1), note="教研共富"
            )
        ],
    ),
)


def _entry(school_id: UUID, name: str, code: str, location: SchoolLocation) -> RosterEntry:
    role = "lead" if school_id == LEAD else "member"
    return RosterEntry(
        school_id=school_id,
        name=name,
        code=code,
        location=location.value,
        location_label=text(location, "zh"),
        role=role,
        role_label="牵头学校" if role == "lead" else "成员学校",
        joined_on=None if role == "lead" else STARTS,
        left_on=None,
        is_member=True,
    )


SUMMARY = ActivitySummary(
    id=ACTIVITY,
    community_id=COMMUNITY,
    kind=ActivityKind.SENDING_LESSONS.value,
    kind_label=text(ActivityKind.SENDING_LESSONS, "zh"),
    title="送教下乡：青山乡中心小学四年级数学",
    host_school_id=LEAD,
    participating_school_ids=[MEMBER],
    held_on=date(2024, 4, 15),
    ends_on=None,
    semester="2024-spring",
    school_year="2023-2024",
    subjects=[SubjectView(code=Subject.MATH.value, label=text(Subject.MATH, "zh"))],
    mode=ActivityMode.ON_SITE.value,
    mode_label=text(ActivityMode.ON_SITE, "zh"),
    is_void=False,
    version=1,
    venue_school_id=MEMBER,
    notified_at=datetime(2024, 4, 8, 1, 30, tzinfo=UTC),
    online_stand_in=False,
    follows_up=None,
    attendance_count=AttendanceCountView(
        expected=12, signed_in=11, late=1, left_early=0, on_leave=1, absent=0
    ),
    reflection_count=1,
)
REFLECTION = "示范课中的分层提问值得借鉴，下周在本班试用并记录效果。"
STARTS_AT = datetime(2024, 4, 15, 1, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai

EXAMPLES = (
    RegisterSchool(
        name="城关第一小学",
        code="3311270001",
        stage=SchoolStage.PRIMARY,
        location=SchoolLocation.URBAN,
        district="城关学区",
    ),
    RenameSchool(name="城关第一实验小学", reason="县教育局文件更名"),
    CloseSchool(closed_on=date(2024, 7, 31), reason="撤并至青山乡中心小学"),
    SCHOOL,
    SchoolPage(items=[SCHOOL], next_cursor=CURSOR),
    FormCommunity(
        name="城关一小教育共同体",
        type=CommunityType.CO_BUILT,
        lead_school_id=LEAD,
        member_school_ids=[MEMBER, SECOND_MEMBER],
        starts_on=STARTS,
        ends_on=ENDS,
        agreement="共建型教共体合作协议：师资互派、集体备课、送教下乡、质量共测，考核捆绑。",
    ),
    JoinCommunity(school_id=SECOND_MEMBER, joined_on=date(2024, 2, 26)),
    LeaveCommunity(left_on=date(2024, 7, 15), reason="学校撤并"),
    DissolveCommunity(dissolved_on=date(2026, 8, 31), reason="协议期满"),
    COMMUNITY_VIEW,
    CommunityPage(
        items=[
            CommunitySummary(
                id=COMMUNITY,
                name=COMMUNITY_VIEW.name,
                type=COMMUNITY_VIEW.type,
                type_label=COMMUNITY_VIEW.type_label,
                lead_school_id=LEAD,
                member_school_ids=[MEMBER, SECOND_MEMBER],
                starts_on=STARTS,
                ends_on=ENDS,
                dissolved_on=None,
                is_active=True,
                version=1,
            )
        ],
        next_cursor=None,
    ),
    Roster(
        community_id=COMMUNITY,
        name=COMMUNITY_VIEW.name,
        type=COMMUNITY_VIEW.type,
        type_label=COMMUNITY_VIEW.type_label,
        on=date(2024, 4, 15),
        is_active=True,
        lead=_entry(LEAD, "城关第一小学", "3311270001", SchoolLocation.URBAN),
        members=[
            _entry(MEMBER, "青山乡中心小学", "3311270002", SchoolLocation.TOWN),
            _entry(SECOND_MEMBER, "白云村小学", "3311270003", SchoolLocation.VILLAGE),
        ],
        version=1,
    ),
    RecordActivity(
        community_id=COMMUNITY,
        kind=ActivityKind.SENDING_LESSONS,
        title="送教下乡：青山乡中心小学四年级数学",
        host_school_id=LEAD,
        participating_school_ids=[MEMBER],
        held_on=date(2024, 4, 15),
        subjects=[Subject.MATH],
        participants=[ParticipantIn(name="李华", school_id=LEAD, role="主讲教师")],
        mode=ActivityMode.ON_SITE,
        evidence=[
            EvidenceIn(name="签到表.jpg", sha256=SHA256, size=184_320, media_type="image/jpeg")
        ],
    ),
    CorrectActivity(reason="授课学科登记有误", subjects=[Subject.MATH, Subject.SCIENCE]),
    VoidActivity(reason="重复登记"),
    ActivityView(
        **{field: getattr(SUMMARY, field) for field in SUMMARY.__struct_fields__},
        participants=[ParticipantView(name="李华", school_id=LEAD, role="主讲教师")],
        evidence=[
            EvidenceView(name="签到表.jpg", sha256=SHA256, size=184_320, media_type="image/jpeg")
        ],
        note="",
        void_reason=None,
        starts_at=STARTS_AT,
        online_reason="",
        attendance=[
            AttendanceView(
                name="王芳",
                school_id=MEMBER,
                signed_in_at=datetime(2024, 4, 15, 0, 52, tzinfo=UTC),
                late=False,
                left_early=False,
                leave_reason="",
            )
        ],
        sign_ins=[
            SignInView(
                name="王芳",
                school_id=MEMBER,
                at=datetime(2024, 4, 15, 0, 52, tzinfo=UTC),
                late=False,
            )
        ],
        reflections=[
            ReflectionView(
                name="王芳",
                school_id=MEMBER,
                chars=len(REFLECTION),
                text=REFLECTION,
            )
        ],
    ),
    ActivityPage(items=[SUMMARY], next_cursor=None),
    SubmitReflection(name="王芳", school_id=MEMBER, text=REFLECTION),
    IssueSignInLink(minutes=120),
    SignInLinkView(
        activity_id=ACTIVITY,
        link_id=LINK,
        expires_at=datetime(2024, 4, 15, 3, 0, tzinfo=UTC),
        url=f"{SERVER}/v1/sign-in/{SIGN_IN_TOKEN}",
        qr_svg_url=f"{SERVER}/v1/sign-in/{SIGN_IN_TOKEN}/qr.svg",
    ),
    SignIn(name="王芳", school_id=MEMBER),
    SignedInView(
        activity_id=str(ACTIVITY),
        name="王芳",
        at=datetime(2024, 4, 15, 0, 52, tzinfo=UTC),
        late=False,
    ),
    FileView(
        sha256=SHA256,
        size=184_320,
        media_type="image/jpeg",
        uploaded_at=datetime(2024, 4, 15, 2, 10, tzinfo=UTC),
    ),
)
