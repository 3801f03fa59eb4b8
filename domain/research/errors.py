"""Errors of the research context (projects and papers): a stable code each."""

from domain.errors import DomainError


class ProjectStageError(DomainError):
    code = "project_stage"
    status = 409
    zh = "课题 {project_id} 当前为“{stage_label}”，不能{action_label}。"
    en = "Project {project_id} is {stage_label}; it cannot be {action_label}."

    def _wording(self, *, english: bool) -> dict[str, str]:
        stage = _STAGES.get(self.params.get("stage", ""), ("", ""))
        action = _ACTIONS.get(self.params.get("action", ""), ("", ""))
        return {
            "stage_label": stage[1 if english else 0] or self.params.get("stage", ""),
            "action_label": action[1 if english else 0] or self.params.get("action", ""),
        }


# The project's stages and actions worded per language (zh, en).
_STAGES = {
    "applied": ("已申报", "applied for"),
    "approved": ("已立项", "approved"),
    "concluded": ("已结题", "concluded"),
    "abandoned": ("已撤项", "abandoned"),
}
_ACTIONS = {
    "approve": ("立项", "approved"),
    "conclude": ("结题", "concluded"),
    "abandon": ("撤项", "abandoned"),
}


class ResearchDateOrderError(DomainError):
    code = "research_date_order"
    zh = "日期 {day}（{field}）不能早于 {earlier}：课题的各阶段按申报、立项、结题的先后进行。"
    en = (
        "The date {day} ({field}) must not be before {earlier}: a project is applied for, "
        "approved and concluded in that order."
    )


class ResearchInFutureError(DomainError):
    code = "research_in_future"
    zh = "日期 {day}（{field}）晚于今天 {today}：只能记录已经发生的事。"
    en = "The date {day} ({field}) is after today ({today}); record it once it has happened."


class NoOwnerSchoolError(DomainError):
    code = "no_owner_school"
    zh = "课题至少需要一所承担学校（两所及以上为共同研究课题）。"
    en = "A project needs at least one owner school (two or more make it a joint project)."


class DuplicateOwnerSchoolError(DomainError):
    code = "duplicate_owner_school"
    zh = "学校 {school_id} 重复出现，每所学校只能列出一次。"
    en = "School {school_id} is listed more than once; list each school once."


class DuplicateTeacherError(DomainError):
    code = "duplicate_research_teacher"
    zh = "教师 {teacher_id} 重复出现，每位教师只能列出一次。"
    en = "Teacher {teacher_id} is listed more than once; list each teacher once."


class ResearchSchoolClosedError(DomainError):
    code = "research_school_closed"
    status = 409
    zh = "学校 {school_id} 已于 {closed_on} 关闭，不能在 {day} 承担课题或署名论文。"
    en = (
        "School {school_id} was closed on {closed_on}; it cannot own a project or a paper on {day}."
    )


class OwnerNotInCommunityError(DomainError):
    code = "owner_not_in_community"
    zh = "学校 {school_id} 在 {on} 不是教共体 {community_id} 的牵头学校或成员校。"
    en = "School {school_id} is not the lead or a member of community {community_id} on {on}."


class PaperOutcomeDetailError(DomainError):
    """Awarded needs its grade (一等奖), published its venue; the other detail stays blank."""

    code = "paper_outcome_detail"
    zh = "论文结果为“{outcome}”时，{needs}。"
    en = "A paper whose outcome is {outcome} {needs}."

    def _wording(self, *, english: bool) -> dict[str, str]:
        words = {
            "award_grade_required": ("须填写获奖等次（如 一等奖）", "needs its award grade"),
            "venue_required": ("须填写发表的刊物", "needs the venue it was published in"),
            "award_grade_not_allowed": ("不能填写获奖等次", "takes no award grade"),
        }
        found = words.get(self.params.get("rule", ""), ("", ""))
        return {"needs": found[1 if english else 0] or self.params.get("rule", "")}


class PaperVoidedError(DomainError):
    code = "paper_voided"
    status = 409
    zh = "论文记录 {paper_id} 已作废，不能再作废。"
    en = "Paper {paper_id} has been voided already."
