"""Errors of the review context: a stable code each, in Chinese and English."""

from domain.errors import DomainError


class LevelsOrderError(DomainError):
    code = "review_levels_order"
    zh = "审核层级须按 学校 → 共同体 → 县局 的顺序排列，且每级只出现一次：{levels}。"
    en = "Review levels go in the order school → community → county, each once: {levels}."


class LevelsUnchangedError(DomainError):
    code = "review_levels_unchanged"
    status = 409
    zh = "审核层级已是这样设置的，无需更改。"
    en = "The review levels are already set so; nothing to change."


class ReviewNotRequiredError(DomainError):
    code = "review_not_required"
    status = 409
    zh = "活动 {activity_id} 无需审核：本县未设置审核层级，或活动早于审核的起始日期，已直接计入。"
    en = (
        "Action {activity_id} needs no review: the county sets no review levels, or it was held"
        " before they apply; it counts as it is."
    )


class NotAwaitingReviewError(DomainError):
    code = "not_awaiting_review"
    status = 409
    zh = "活动 {activity_id} 当前不在待审核状态（{state}），不能审核。"
    en = "Action {activity_id} is not awaiting review ({state})."


class WrongReviewLevelError(DomainError):
    code = "wrong_review_level"
    status = 409
    zh = "活动 {activity_id} 正等待 {expected} 级审核，不是 {level} 级。"
    en = "Action {activity_id} awaits review at level {expected}, not {level}."


class NotReturnedError(DomainError):
    code = "not_returned"
    status = 409
    zh = "活动 {activity_id} 未被退回（{state}），无需重新提交。"
    en = "Action {activity_id} was not returned ({state}); there is nothing to resubmit."


class NotCorrectedError(DomainError):
    code = "not_corrected"
    status = 409
    zh = "活动 {activity_id} 退回后尚未更正，请先按退回意见更正再重新提交。"
    en = "Action {activity_id} was not corrected since it was returned; correct it first."
