"""Stable codes of DOMAIN.md "Identifiers", with their Chinese and English labels."""

from enum import StrEnum

from domain.assessment.codes import (
    ASSESSMENT_LABELS,
    CommunityRole,
    EvaluationMode,
    ExclusionReason,
    PeriodGrain,
    RuleSetState,
    Strictness,
)
from domain.label import Label
from domain.ledger_codes import (
    LEDGER_LABELS,
    AssignmentKind,
    AssignmentSide,
    BackboneLevel,
    CommendationKind,
    EligibilityBasis,
    Gender,
    GroupRole,
    MoneyKind,
    PaperOutcome,
    PhaseKind,
    Post,
    ProjectStage,
    Relation,
    SittingKind,
)
from domain.periods import Term

__all__ = [
    "AssignmentKind",
    "AssignmentSide",
    "BackboneLevel",
    "CommendationKind",
    "CommunityRole",
    "EligibilityBasis",
    "EvaluationMode",
    "ExclusionReason",
    "Gender",
    "GroupRole",
    "Label",
    "MoneyKind",
    "PaperOutcome",
    "PeriodGrain",
    "PhaseKind",
    "Post",
    "ProjectStage",
    "Relation",
    "RuleSetState",
    "SittingKind",
    "Strictness",
]


class CommunityType(StrEnum):
    """融合型 / 共建型 / 协作型: selects how the community is assessed."""

    FUSED = "fused"
    CO_BUILT = "co_built"
    COLLABORATIVE = "collaborative"


class SchoolStage(StrEnum):
    KINDERGARTEN = "kindergarten"
    PRIMARY = "primary"
    JUNIOR = "junior"
    SENIOR = "senior"
    SPECIAL = "special"


class SchoolLocation(StrEnum):
    URBAN = "urban"
    TOWN = "town"
    VILLAGE = "village"


class ActivityKind(StrEnum):
    MANAGEMENT_VISIT = "management_visit"
    MANAGEMENT_EXCHANGE = "management_exchange"
    COLLECTIVE_LESSON_PREP = "collective_lesson_prep"
    SENDING_LESSONS = "sending_lessons"
    SYNCHRONOUS_LESSON = "synchronous_lesson"
    DEMONSTRATION_LESSON = "demonstration_lesson"
    PUBLIC_LESSON = "public_lesson"
    SPOT_CHECK_LESSON = "spot_check_lesson"
    TEACHING_RESEARCH = "teaching_research"
    TEACHER_TRAINING = "teacher_training"
    EXPERT_LECTURE = "expert_lecture"
    QUALITY_TEST = "quality_test"
    ROUTINE_INSPECTION = "routine_inspection"
    MORAL_EDUCATION_EXCHANGE = "moral_education_exchange"
    ARTS_SPORTS_EVENT = "arts_sports_event"
    STUDENT_EXCHANGE = "student_exchange"
    RESOURCE_SHARING = "resource_sharing"
    HOME_SCHOOL = "home_school"
    # RULES-CATALOGUE §5: the kinds the seeds' rules count that DOMAIN.md had no code for.
    RESEARCH_PROJECT = "research_project"
    PAPER_RESULT = "paper_result"
    QUALITY_ANALYSIS = "quality_analysis"
    LESSON_PLAN_CHECK = "lesson_plan_check"
    LESSON_PREP_SHOWCASE = "lesson_prep_showcase"
    TEACHING_CONTEST = "teaching_contest"
    STUDENT_CONTEST = "student_contest"
    WORK_MEETING = "work_meeting"
    SUMMARY_REPORT = "summary_report"
    ACTIVITY_REVIEW = "activity_review"
    SAME_TOPIC_LESSONS = "same_topic_lessons"
    READING_CLUB = "reading_club"
    SURVEY = "survey"
    FOLLOW_UP_INTERVIEW = "follow_up_interview"
    PARENT_CLASS = "parent_class"
    FAMILY_PRACTICE = "family_practice"
    HOME_VISIT = "home_visit"
    SYNC_TEACHING_SEMINAR = "sync_teaching_seminar"  # 同步教学研讨, after a 同步课堂


class ActivityMode(StrEnum):
    ON_SITE = "on_site"
    ONLINE = "online"


class AssignmentRole(StrEnum):
    VICE_PRINCIPAL = "vice_principal"
    MID_LEVEL_CADRE = "mid_level_cadre"
    BACKBONE_TEACHER = "backbone_teacher"
    SHADOWING_TEACHER = "shadowing_teacher"


class TeacherTitle(StrEnum):
    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"


class ResearchLevel(StrEnum):
    SCHOOL = "school"
    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"
    NATIONAL = "national"


class AssessmentGrade(StrEnum):
    EXCELLENT = "excellent"
    PASS = "pass"  # noqa: S105 (a grade, not a password)
    FAIL = "fail"


class ComplianceStatus(StrEnum):
    MET = "met"
    AT_RISK = "at_risk"
    MISSED = "missed"
    # Issue 9 adds: not due yet and on track; the rule does not apply to the community.
    OPEN = "open"
    NOT_APPLICABLE = "not_applicable"


class ReviewLevel(StrEnum):
    """The levels that review an action before it counts (审核), in this order."""

    SCHOOL = "school"
    COMMUNITY = "community"
    COUNTY = "county"


class ReviewState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"


class Subject(StrEnum):
    CHINESE = "chinese"
    MATH = "math"
    ENGLISH = "english"
    PHYSICS = "physics"
    CHEMISTRY = "chemistry"
    BIOLOGY = "biology"
    MORALITY_LAW = "morality_law"
    HISTORY = "history"
    GEOGRAPHY = "geography"
    SCIENCE = "science"
    MUSIC = "music"
    ART = "art"
    PE = "pe"
    IT = "it"
    LABOR = "labor"
    PSYCHOLOGY = "psychology"
    CALLIGRAPHY = "calligraphy"
    COMPREHENSIVE = "comprehensive"
    PRESCHOOL = "preschool"
    SPECIAL_EDUCATION = "special_education"
    MORNING_READING = "morning_reading"
    READING_WRITING_DRAWING = "reading_writing_drawing"
    OTHER = "other"


LABELS: dict[type[StrEnum], dict[StrEnum, Label]] = {
    CommunityType: {
        CommunityType.FUSED: Label("融合型", "Fused"),
        CommunityType.CO_BUILT: Label("共建型", "Co-built"),
        CommunityType.COLLABORATIVE: Label("协作型", "Collaborative"),
    },
    SchoolStage: {
        SchoolStage.KINDERGARTEN: Label("幼儿园", "Kindergarten"),
        SchoolStage.PRIMARY: Label("小学", "Primary school"),
        SchoolStage.JUNIOR: Label("初中", "Junior middle school"),
        SchoolStage.SENIOR: Label("高中", "Senior high school"),
        SchoolStage.SPECIAL: Label("特殊教育", "Special education"),
    },
    SchoolLocation: {
        SchoolLocation.URBAN: Label("城区/县城", "Urban (county town)"),
        SchoolLocation.TOWN: Label("乡镇", "Town"),
        SchoolLocation.VILLAGE: Label("村", "Village"),
    },
    ActivityKind: {
        ActivityKind.MANAGEMENT_VISIT: Label("管理视导", "Management supervision visit"),
        ActivityKind.MANAGEMENT_EXCHANGE: Label(
            "管理交流/专题报告会/座谈会", "Management exchange (report meeting, forum)"
        ),
        ActivityKind.COLLECTIVE_LESSON_PREP: Label(
            "集体备课/研课", "Collective lesson preparation"
        ),
        ActivityKind.SENDING_LESSONS: Label("送教下乡", "Sending lessons to rural schools"),
        ActivityKind.SYNCHRONOUS_LESSON: Label("线上同步课堂", "Online synchronous lesson"),
        ActivityKind.DEMONSTRATION_LESSON: Label("示范课", "Demonstration lesson"),
        ActivityKind.PUBLIC_LESSON: Label("公开课/汇报课/研究课/观摩课", "Public lesson"),
        ActivityKind.SPOT_CHECK_LESSON: Label("抽测评估课", "Spot-check assessment lesson"),
        ActivityKind.TEACHING_RESEARCH: Label("教研活动", "Teaching-research activity"),
        ActivityKind.TEACHER_TRAINING: Label("教师培训", "Teacher training"),
        ActivityKind.EXPERT_LECTURE: Label("专家/名师讲座", "Expert lecture"),
        ActivityKind.QUALITY_TEST: Label("教学质量检测", "Teaching quality test"),
        ActivityKind.ROUTINE_INSPECTION: Label("教学常规检查", "Teaching routine inspection"),
        ActivityKind.MORAL_EDUCATION_EXCHANGE: Label("德育交流", "Moral-education exchange"),
        ActivityKind.ARTS_SPORTS_EVENT: Label("艺体活动", "Arts and sports event"),
        ActivityKind.STUDENT_EXCHANGE: Label("学生交流/手拉手", "Student exchange"),
        ActivityKind.RESOURCE_SHARING: Label("资源共享/图书漂流", "Resource sharing"),
        ActivityKind.HOME_SCHOOL: Label("家校共育", "Home-school co-education"),
        ActivityKind.RESEARCH_PROJECT: Label("课题研究", "Research project"),
        ActivityKind.PAPER_RESULT: Label(
            "论文获奖/交流/发表", "Paper awarded, exchanged or published"
        ),
        ActivityKind.QUALITY_ANALYSIS: Label("质量分析", "Quality analysis"),
        ActivityKind.LESSON_PLAN_CHECK: Label("备课检查", "Lesson-plan check"),
        ActivityKind.LESSON_PREP_SHOWCASE: Label("备课展示", "Lesson-preparation showcase"),
        ActivityKind.TEACHING_CONTEST: Label(
            "比武/基本功比赛/案例评比", "Teaching contest (skills, cases, papers, courseware)"
        ),
        ActivityKind.STUDENT_CONTEST: Label("学生比赛", "Student contest"),
        ActivityKind.WORK_MEETING: Label("工作会议/例会/推进会", "Work meeting"),
        ActivityKind.SUMMARY_REPORT: Label("总结/汇报", "Summary report"),
        ActivityKind.ACTIVITY_REVIEW: Label("活动后总结评估", "Activity review"),
        ActivityKind.SAME_TOPIC_LESSONS: Label("同课异构", "Same topic, different lessons"),
        ActivityKind.READING_CLUB: Label("阅读会", "Reading club"),
        ActivityKind.SURVEY: Label("问卷调查", "Survey"),
        ActivityKind.FOLLOW_UP_INTERVIEW: Label("约谈", "Follow-up interview"),
        ActivityKind.PARENT_CLASS: Label("家长学校授课", "Parent-school class"),
        ActivityKind.FAMILY_PRACTICE: Label("家庭教育实践", "Family-education practice"),
        ActivityKind.HOME_VISIT: Label("家访", "Home visit"),
        ActivityKind.SYNC_TEACHING_SEMINAR: Label(
            "同步教学研讨", "Teaching seminar after a synchronous lesson"
        ),
    },
    ActivityMode: {
        ActivityMode.ON_SITE: Label("线下", "On site"),
        ActivityMode.ONLINE: Label("线上", "Online"),
    },
    AssignmentRole: {
        AssignmentRole.VICE_PRINCIPAL: Label("副校长", "Vice principal"),
        AssignmentRole.MID_LEVEL_CADRE: Label("中层干部", "Mid-level cadre"),
        AssignmentRole.BACKBONE_TEACHER: Label("骨干教师", "Backbone teacher"),
        AssignmentRole.SHADOWING_TEACHER: Label("跟岗教师", "Shadowing teacher"),
    },
    TeacherTitle: {
        TeacherTitle.JUNIOR: Label("初级", "Junior"),
        TeacherTitle.INTERMEDIATE: Label("中级", "Intermediate"),
        TeacherTitle.SENIOR: Label("高级", "Senior"),
    },
    ResearchLevel: {
        ResearchLevel.SCHOOL: Label("校级", "School"),
        ResearchLevel.COUNTY: Label("县级", "County"),
        ResearchLevel.CITY: Label("市级", "City"),
        ResearchLevel.PROVINCE: Label("省级", "Province"),
        ResearchLevel.NATIONAL: Label("国家级", "National"),
    },
    AssessmentGrade: {
        AssessmentGrade.EXCELLENT: Label("优秀", "Excellent"),
        AssessmentGrade.PASS: Label("合格", "Pass"),
        AssessmentGrade.FAIL: Label("不合格", "Fail"),
    },
    ReviewLevel: {
        ReviewLevel.SCHOOL: Label("学校审核", "School review"),
        ReviewLevel.COMMUNITY: Label("共同体审核", "Community review"),
        ReviewLevel.COUNTY: Label("县局审核", "County bureau review"),
    },
    ReviewState: {
        ReviewState.PENDING: Label("待审核", "Awaiting review"),
        ReviewState.APPROVED: Label("已通过", "Approved"),
        ReviewState.RETURNED: Label("已退回", "Returned"),
    },
    ComplianceStatus: {
        ComplianceStatus.MET: Label("达标", "Met"),
        ComplianceStatus.AT_RISK: Label("预警", "At risk"),
        ComplianceStatus.MISSED: Label("未达标", "Missed"),
        ComplianceStatus.OPEN: Label("进行中", "Open"),
        ComplianceStatus.NOT_APPLICABLE: Label("不适用", "Not applicable"),
    },
    Subject: {
        Subject.CHINESE: Label("语文", "Chinese"),
        Subject.MATH: Label("数学", "Mathematics"),
        Subject.ENGLISH: Label("英语", "English"),
        Subject.PHYSICS: Label("物理", "Physics"),
        Subject.CHEMISTRY: Label("化学", "Chemistry"),
        Subject.BIOLOGY: Label("生物", "Biology"),
        Subject.MORALITY_LAW: Label("道德与法治", "Morality and law"),
        Subject.HISTORY: Label("历史", "History"),
        Subject.GEOGRAPHY: Label("地理", "Geography"),
        Subject.SCIENCE: Label("科学", "Science"),
        Subject.MUSIC: Label("音乐", "Music"),
        Subject.ART: Label("美术", "Art"),
        Subject.PE: Label("体育与健康", "Physical education and health"),
        Subject.IT: Label("信息科技", "Information technology"),
        Subject.LABOR: Label("劳动", "Labour"),
        Subject.PSYCHOLOGY: Label("心理健康", "Mental health"),
        Subject.CALLIGRAPHY: Label("书法", "Calligraphy"),
        Subject.COMPREHENSIVE: Label("综合实践", "Comprehensive practice"),
        Subject.PRESCHOOL: Label("学前教育", "Preschool education"),
        Subject.SPECIAL_EDUCATION: Label("特殊教育", "Special education"),
        Subject.MORNING_READING: Label("晨诵", "Morning reading"),
        Subject.READING_WRITING_DRAWING: Label("读写绘", "Reading, writing and drawing"),
        Subject.OTHER: Label("其他", "Other"),
    },
    Term: {
        Term.AUTUMN: Label("秋季学期", "Autumn semester"),
        Term.SPRING: Label("春季学期", "Spring semester"),
    },
    **LEDGER_LABELS,
    **ASSESSMENT_LABELS,
}


def label(code: StrEnum) -> Label:
    return LABELS[type(code)][code]
