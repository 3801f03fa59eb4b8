"""Errors of the quality context (test sittings, results, analyses): a stable code each."""

from domain.errors import DomainError


class SittingInFutureError(DomainError):
    code = "sitting_in_future"
    zh = "检测日期 {day} 晚于今天 {today}：只能记录已经举行的检测。"
    en = "The test date {day} is after today ({today}); record a sitting once it took place."


class SittingScopeError(DomainError):
    """A sitting names at least one school, subject and grade; a joint one two schools."""

    code = "sitting_scope"
    zh = "检测须至少列出一所学校、一个学科和一个年级；联合检测至少两所学校（缺少：{missing}）。"
    en = (
        "A sitting lists at least one school, subject and grade, and a joint one two schools "
        "(missing: {missing})."
    )


class DuplicateSittingItemError(DomainError):
    code = "duplicate_sitting_item"
    zh = "{field} 中的 {value} 重复出现，每项只能列出一次。"
    en = "{value} is listed more than once in {field}; list each once."


class GradeRangeError(DomainError):
    code = "grade_range"
    zh = "年级 {grade} 无效：年级为 1（一年级）到 12（高三）。"
    en = "Grade {grade} is not valid: grades run from 1 (first grade) to 12 (senior three)."


class SittingSchoolError(DomainError):
    code = "sitting_school"
    zh = "学校 {school_id} 在 {on} 不是教共体 {community_id} 的牵头学校或成员校，不能参加本次检测。"
    en = (
        "School {school_id} is not the lead or a member of community {community_id} on {on}, "
        "so it cannot sit this test."
    )


class SittingSchoolClosedError(DomainError):
    code = "sitting_school_closed"
    status = 409
    zh = "学校 {school_id} 已于 {closed_on} 关闭，不能参加 {day} 的检测。"
    en = "School {school_id} was closed on {closed_on}; it cannot sit a test on {day}."


class ResultOutsideSittingError(DomainError):
    """A result is for a school, subject and grade the sitting lists."""

    code = "result_outside_sitting"
    zh = "检测 {sitting_id} 不包含 {field} {value}，不能登记该成绩。"
    en = "Sitting {sitting_id} does not include {field} {value}; the result cannot be recorded."


class DuplicateResultError(DomainError):
    code = "duplicate_result"
    zh = "学校 {school_id} {grade} 年级 {subject} 的成绩在本次提交中重复出现。"
    en = "The result of school {school_id}, grade {grade}, {subject} is given twice."


class ResultRecordedError(DomainError):
    """Results already recorded are replaced only with a reason: the ledger keeps both."""

    code = "result_recorded"
    status = 409
    zh = (
        "学校 {school_id} {grade} 年级 {subject} 的成绩已登记；如需更正，请填写更正原因（reason）。"
    )
    en = (
        "The result of school {school_id}, grade {grade}, {subject} is recorded already; "
        "give a reason to correct it."
    )


class ResultRangeError(DomainError):
    code = "result_range"
    zh = "{field} 的值 {value} 超出范围：应在 {low} 到 {high} 之间。"
    en = "The {field} {value} is out of range: it must be from {low} to {high}."


class RatesOrderError(DomainError):
    """Students good or excellent (优良) have passed (合格): 优良率 cannot exceed 合格率."""

    code = "rates_order"
    zh = "优良率 {good_rate}% 不能高于合格率 {pass_rate}%。"
    en = "The good-or-excellent rate {good_rate}% cannot exceed the pass rate {pass_rate}%."


class TooPreciseError(DomainError):
    code = "too_precise"
    zh = "{field} 的值 {value} 最多保留两位小数。"
    en = "The {field} {value} takes at most two decimal places."


class NoResultsError(DomainError):
    code = "no_results"
    zh = "请至少登记一条成绩。"
    en = "Record at least one result."
