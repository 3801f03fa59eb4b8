"""Stable codes of the staff, research, quality, money and set-up ledgers, with their labels."""

from enum import StrEnum

from domain.label import Label


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"


class BackboneLevel(StrEnum):
    """骨干教师 level: who recognised the teacher as a backbone teacher (none: not one)."""

    SCHOOL = "school"
    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"


class Post(StrEnum):
    """A post a teacher holds at a school: their own, or the host of an assignment (seed 001)."""

    PRINCIPAL = "principal"
    PARTY_SECRETARY = "party_secretary"
    VICE_PRINCIPAL = "vice_principal"
    CLASS_TEACHER = "class_teacher"
    PREP_GROUP_LEADER = "prep_group_leader"
    RESEARCH_GROUP_LEADER = "research_group_leader"
    GRADE_LEADER = "grade_leader"


class AssignmentKind(StrEnum):
    """Relations with a term (RULES-CATALOGUE §5): who goes where, and for how long."""

    DISPATCH = "dispatch"
    SHADOWING = "shadowing"
    MANAGEMENT_SHADOWING = "management_shadowing"
    TEACHER_EXCHANGE = "teacher_exchange"


class Relation(StrEnum):
    """Where a dispatched person's personnel or party relation (组织人事关系) is held."""

    UNCHANGED = "unchanged"
    MOVED_TO_HOST = "moved_to_host"


class AssignmentSide(StrEnum):
    """The side of an assignment: the school that sends the person, or the one that hosts them."""

    SENDING = "sending"
    HOST = "host"


class EligibilityBasis(StrEnum):
    """The basis the bureau claims for a shadowing teacher (seed 001 篇四 (二)); rules judge it."""

    GENERAL_TEACHER_TERM_SERVED = "general_teacher_term_served"
    YOUNG_NEVER_ROTATED = "young_never_rotated"


class ProjectStage(StrEnum):
    """Where a research project (课题) stands: applied, approved, then concluded or abandoned."""

    APPLIED = "applied"
    APPROVED = "approved"
    CONCLUDED = "concluded"
    ABANDONED = "abandoned"


class PaperOutcome(StrEnum):
    """What became of a paper (论文): each counts for seed 003's rule (获奖、交流或发表)."""

    AWARDED = "awarded"
    EXCHANGED = "exchanged"
    PUBLISHED = "published"


class SittingKind(StrEnum):
    """A quality test sitting (教学质量检测)."""

    MIDTERM = "midterm"
    END_OF_TERM = "end_of_term"
    JOINT = "joint"


class MoneyKind(StrEnum):
    """A ledger entry of money paid (seed 001 篇四 保障(二)); amounts in fen."""

    FUNDING = "funding"
    SUBSIDY = "subsidy"


class CommendationKind(StrEnum):
    """Annual commendations (seed 001 篇四 保障(三), 篇三 管理2)."""

    DISPATCHED_TEACHER = "dispatched_teacher"
    COMMUNITY = "community"


class GroupRole(StrEnum):
    """A place in a community's leading group (领导小组)."""

    LEADER = "leader"
    DEPUTY = "deputy"
    MEMBER = "member"


class PhaseKind(StrEnum):
    """The phases of a community's work (seed plans: 启动, 实施, 长效), in this order."""

    LAUNCH = "launch"
    IMPLEMENTATION = "implementation"
    LONG_TERM = "long_term"


# Keyed by enum class first: members of different enums with the same code ("junior",
# "senior") are equal strings and would collide in one flat dict.


LEDGER_LABELS: dict[type[StrEnum], dict[StrEnum, Label]] = {
    Gender: {
        Gender.FEMALE: Label("女", "Female"),
        Gender.MALE: Label("男", "Male"),
    },
    BackboneLevel: {
        BackboneLevel.SCHOOL: Label("校级骨干教师", "School backbone teacher"),
        BackboneLevel.COUNTY: Label("县级骨干教师", "County backbone teacher"),
        BackboneLevel.CITY: Label("市级骨干教师", "City backbone teacher"),
        BackboneLevel.PROVINCE: Label("省级骨干教师", "Province backbone teacher"),
    },
    Post: {
        Post.PRINCIPAL: Label("校长", "Principal"),
        Post.PARTY_SECRETARY: Label("党组织书记", "Party secretary"),
        Post.VICE_PRINCIPAL: Label("副校长", "Vice principal"),
        Post.CLASS_TEACHER: Label("班主任", "Class teacher"),
        Post.PREP_GROUP_LEADER: Label("备课组长", "Lesson-preparation group leader"),
        Post.RESEARCH_GROUP_LEADER: Label("教研组长", "Teaching-research group leader"),
        Post.GRADE_LEADER: Label("年级组长", "Grade leader"),
    },
    AssignmentKind: {
        AssignmentKind.DISPATCH: Label("支教/轮岗/挂职", "Dispatch (rotation, secondment)"),
        AssignmentKind.SHADOWING: Label("跟岗学习", "Shadowing"),
        AssignmentKind.MANAGEMENT_SHADOWING: Label("跟班学习", "Management shadowing"),
        AssignmentKind.TEACHER_EXCHANGE: Label("互派交流", "Teacher exchange"),
    },
    Relation: {
        Relation.UNCHANGED: Label("不变", "Unchanged"),
        Relation.MOVED_TO_HOST: Label("转入接收学校", "Moved to the host school"),
    },
    AssignmentSide: {
        AssignmentSide.SENDING: Label("派出学校", "Sending school"),
        AssignmentSide.HOST: Label("接收学校", "Host school"),
    },
    EligibilityBasis: {
        EligibilityBasis.GENERAL_TEACHER_TERM_SERVED: Label(
            "服务期满的小学全科教师", "Primary general teacher whose service term is over"
        ),
        EligibilityBasis.YOUNG_NEVER_ROTATED: Label(
            "35岁及以下且未参加过支教轮岗", "Aged 35 or under and never rotated"
        ),
    },
    ProjectStage: {
        ProjectStage.APPLIED: Label("已申报", "Applied"),
        ProjectStage.APPROVED: Label("已立项", "Approved"),
        ProjectStage.CONCLUDED: Label("已结题", "Concluded"),
        ProjectStage.ABANDONED: Label("已撤项", "Abandoned"),
    },
    PaperOutcome: {
        PaperOutcome.AWARDED: Label("获奖", "Awarded"),
        PaperOutcome.EXCHANGED: Label("交流", "Exchanged"),
        PaperOutcome.PUBLISHED: Label("发表", "Published"),
    },
    SittingKind: {
        SittingKind.MIDTERM: Label("期中检测", "Midterm test"),
        SittingKind.END_OF_TERM: Label("期末检测", "End-of-term test"),
        SittingKind.JOINT: Label("联合检测", "Joint test"),
    },
    MoneyKind: {
        MoneyKind.FUNDING: Label("教共体工作经费", "Community funding"),
        MoneyKind.SUBSIDY: Label("交流人员补助", "Dispatched staff subsidy"),
    },
    CommendationKind: {
        CommendationKind.DISPATCHED_TEACHER: Label(
            "优秀轮岗支教教师", "Outstanding dispatched teacher"
        ),
        CommendationKind.COMMUNITY: Label("优秀教育共同体", "Outstanding community"),
    },
    GroupRole: {
        GroupRole.LEADER: Label("组长", "Leader"),
        GroupRole.DEPUTY: Label("副组长", "Deputy leader"),
        GroupRole.MEMBER: Label("成员", "Member"),
    },
    PhaseKind: {
        PhaseKind.LAUNCH: Label("启动阶段", "Launch"),
        PhaseKind.IMPLEMENTATION: Label("实施阶段", "Implementation"),
        PhaseKind.LONG_TERM: Label("长效阶段", "Long-term"),
    },
}
