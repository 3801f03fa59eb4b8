"""Stable codes of the rule language (issue 9), labelled; `domain.codes` serves them too."""

from enum import StrEnum

from domain.label import Label


class PeriodGrain(StrEnum):
    """The periods a rule counts in (RULES-CATALOGUE §2 shapes 4, 15-17)."""

    WEEK = "week"
    FORTNIGHT = "fortnight"
    MONTH = "month"
    SEMESTER = "semester"
    SCHOOL_YEAR = "school_year"
    CALENDAR_YEAR = "calendar_year"
    AGREEMENT_TERM = "agreement_term"
    COMMUNITY_PERIOD = "community_period"
    WINDOW = "window"
    PHASE = "phase"


class Strictness(StrEnum):
    """必须/保证/应当 (hard) against 争取/力求/原则上 (target): a missed target weighs less."""

    HARD = "hard"
    TARGET = "target"


class CommunityRole(StrEnum):
    """A school's role in a community; 基地校 is a third role (seed 004 篇1)."""

    LEAD = "lead"
    MEMBER = "member"
    BASE_SCHOOL = "base_school"


class RuleSetState(StrEnum):
    """A rule-set version: drafted, validated, published (then it never changes)."""

    DRAFT = "draft"
    VALIDATED = "validated"
    PUBLISHED = "published"


class EvaluationMode(StrEnum):
    """As known on a date (what was recorded by then), or as happened (everything, by when)."""

    AS_KNOWN = "as_known"
    AS_HAPPENED = "as_happened"


class ExclusionReason(StrEnum):
    """Why a record did not count for a rule (ASSESSMENT.md "Evaluation")."""

    VOIDED = "voided"
    CORRECTED = "corrected"
    RECORDED_AFTER_AS_OF = "recorded_after_as_of"
    NOT_APPROVED = "not_approved"
    RETURNED_IN_REVIEW = "returned_in_review"
    WRONG_MODE = "wrong_mode"
    SUBSTITUTE_WITHOUT_REASON = "substitute_without_reason"
    WRONG_PLACE = "wrong_place"
    NOT_JOINT = "not_joint"
    MISSING_EVIDENCE = "missing_evidence"
    ATTENDANCE = "attendance"
    SHORT_REFLECTION = "short_reflection"
    WRONG_POSITION = "wrong_position"
    WRONG_HOST = "wrong_host"
    SUBJECT_ALREADY_COVERED = "subject_already_covered"
    ABOVE_MAXIMUM = "above_maximum"
    BELOW_LEVEL = "below_level"
    INELIGIBLE = "ineligible"
    MISSING_POST = "missing_post"
    EARLY_REPLACEMENT = "early_replacement"
    SHORT_TERM = "short_term"
    NO_FOLLOW_UP = "no_follow_up"


ASSESSMENT_LABELS: dict[type[StrEnum], dict[StrEnum, Label]] = {
    PeriodGrain: {
        PeriodGrain.WEEK: Label("每周", "Week"),
        PeriodGrain.FORTNIGHT: Label("每两周", "Fortnight"),
        PeriodGrain.MONTH: Label("每月", "Month"),
        PeriodGrain.SEMESTER: Label("每学期", "Semester"),
        PeriodGrain.SCHOOL_YEAR: Label("每学年", "School year"),
        PeriodGrain.CALENDAR_YEAR: Label("每年（自然年）", "Calendar year"),
        PeriodGrain.AGREEMENT_TERM: Label("协议期内", "Agreement term"),
        PeriodGrain.COMMUNITY_PERIOD: Label("共同体周期内", "Community period"),
        PeriodGrain.WINDOW: Label("指定时段", "Dated window"),
        PeriodGrain.PHASE: Label("工作阶段", "Phase"),
    },
    Strictness: {
        Strictness.HARD: Label("硬性要求（必须/保证/应当）", "Hard (must)"),
        Strictness.TARGET: Label("目标要求（争取/力求/原则上）", "Target (strive for)"),
    },
    CommunityRole: {
        CommunityRole.LEAD: Label("牵头学校", "Lead school"),
        CommunityRole.MEMBER: Label("成员学校", "Member school"),
        CommunityRole.BASE_SCHOOL: Label("基地校", "Base school"),
    },
    RuleSetState: {
        RuleSetState.DRAFT: Label("草稿", "Draft"),
        RuleSetState.VALIDATED: Label("已校验", "Validated"),
        RuleSetState.PUBLISHED: Label("已发布", "Published"),
    },
    EvaluationMode: {
        EvaluationMode.AS_KNOWN: Label("按当日所知", "As known on the date"),
        EvaluationMode.AS_HAPPENED: Label("按实际发生", "As happened"),
    },
    ExclusionReason: {
        ExclusionReason.VOIDED: Label("已作废", "Voided"),
        ExclusionReason.CORRECTED: Label("已被更正记录取代", "Replaced by a correction"),
        ExclusionReason.RECORDED_AFTER_AS_OF: Label(
            "查询日之后才录入", "Recorded after the date asked"
        ),
        ExclusionReason.NOT_APPROVED: Label(
            "待审核：尚未通过全部审核层级", "Awaiting review: not yet approved at every level"
        ),
        ExclusionReason.RETURNED_IN_REVIEW: Label(
            "审核退回，待更正后重新提交", "Returned in review, to be corrected"
        ),
        ExclusionReason.WRONG_MODE: Label("开展方式不符", "Wrong mode"),
        ExclusionReason.SUBSTITUTE_WITHOUT_REASON: Label(
            "替代方式未说明原因", "Substitute without the reason required"
        ),
        ExclusionReason.WRONG_PLACE: Label("开展地点不符", "Wrong place"),
        ExclusionReason.NOT_JOINT: Label("未由各方共同参加", "Not joint"),
        ExclusionReason.MISSING_EVIDENCE: Label("佐证材料不全", "Evidence missing"),
        ExclusionReason.ATTENDANCE: Label("出勤不符合要求", "Attendance short"),
        ExclusionReason.SHORT_REFLECTION: Label("反思字数不足", "Reflection too short"),
        ExclusionReason.WRONG_POSITION: Label(
            "不在规定时段内", "Not at the required point of the period"
        ),
        ExclusionReason.WRONG_HOST: Label("承办方不符（应轮换）", "Wrong side hosted"),
        ExclusionReason.SUBJECT_ALREADY_COVERED: Label("学科已覆盖", "Subject already covered"),
        ExclusionReason.ABOVE_MAXIMUM: Label("超出规定次数", "Above the maximum"),
        ExclusionReason.BELOW_LEVEL: Label("级别不够", "Below the required level"),
        ExclusionReason.INELIGIBLE: Label("人员不符合条件", "Person not eligible"),
        ExclusionReason.MISSING_POST: Label("未担任规定职务", "Required post not held"),
        ExclusionReason.EARLY_REPLACEMENT: Label(
            "未满期限即更换", "Replaced before the allowed time"
        ),
        ExclusionReason.SHORT_TERM: Label("任期短于规定", "Term shorter than required"),
        ExclusionReason.NO_FOLLOW_UP: Label("缺少后续活动", "No follow-up"),
    },
}
