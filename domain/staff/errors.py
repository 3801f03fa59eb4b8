"""Errors of the staff context (teachers, assignments, mentorships): a stable code each."""

from domain.errors import DomainError


class BirthYearError(DomainError):
    code = "birth_year_out_of_range"
    zh = "出生年份 {birth_year} 不在可接受的范围（{first} 年至 {last} 年）内。"
    en = "The birth year {birth_year} is out of range ({first} to {last})."


class DuplicatePostError(DomainError):
    code = "duplicate_post"
    zh = "职务 {post} 重复出现，每个职务只能列出一次。"
    en = "The post {post} is listed more than once; list each post once."


class TeacherUnchangedError(DomainError):
    code = "teacher_unchanged"
    status = 409
    zh = "教师 {teacher_id} 的{field_label}已是所填内容，无需变更。"
    en = "Teacher {teacher_id} already has this {field_label}; nothing to change."

    def _wording(self, *, english: bool) -> dict[str, str]:
        words = _TEACHER_FIELDS.get(self.params.get("field", ""), ("信息", "value"))
        return {"field_label": words[1] if english else words[0]}


_TEACHER_FIELDS: dict[str, tuple[str, str]] = {
    "school": ("所在学校", "school"),
    "title": ("职称", "title"),
    "backbone_level": ("骨干教师级别", "backbone level"),
    "posts": ("职务", "posts"),
}


class TeacherLeftError(DomainError):
    code = "teacher_left"
    status = 409
    zh = "教师 {teacher_id} 已于 {left_on} 离开本县教师队伍，不能再变更或安排。"
    en = (
        "Teacher {teacher_id} left the county's staff on {left_on}; they can no longer be "
        "changed or assigned."
    )


class TeacherErasedError(DomainError):
    code = "teacher_erased"
    status = 409
    zh = "教师 {teacher_id} 的个人信息已按申请删除，该记录不能再变更或安排。"
    en = (
        "The personal data of teacher {teacher_id} has been erased on request; the record can "
        "no longer be changed or assigned."
    )


class TermDatesError(DomainError):
    code = "term_dates"
    zh = "计划结束日期 {ends_on} 不能早于开始日期 {starts_on}。"
    en = "The planned end date {ends_on} must not be before the start date {starts_on}."


class AlreadyEndedError(DomainError):
    code = "already_ended"
    status = 409
    zh = "记录 {record_id} 已于 {ended_on} 结束，不能再变更。"
    en = "Record {record_id} ended on {ended_on}; it can no longer be changed."


class EarlyEndDateError(DomainError):
    code = "early_end_date"
    zh = (
        "提前结束日期 {ended_on} 必须在 {starts_on} 至计划结束日期 {planned_ends_on} 之前；"
        "到期结束无需登记。"
    )
    en = (
        "An early end on {ended_on} must fall from {starts_on} to before the planned end "
        "{planned_ends_on}; a term that runs its course needs no end recorded."
    )


class SameSchoolAssignmentError(DomainError):
    code = "same_school_assignment"
    zh = "派出学校和接收学校不能同为 {school_id}。"
    en = "The sending and the host school cannot both be {school_id}."


class OverlappingAssignmentError(DomainError):
    code = "overlapping_assignment"
    status = 409
    zh = (
        "教师 {teacher_id} 在 {starts_on} 至 {ends_on} 已有全职安排 {other_assignment_id}，"
        "同一人不能同时有两项全职安排。"
    )
    en = (
        "Teacher {teacher_id} already has full-time assignment {other_assignment_id} from "
        "{starts_on} to {ends_on}; one person cannot hold two full-time assignments at once."
    )


class ReplacementTooEarlyError(DomainError):
    code = "replacement_too_early"
    status = 409
    zh = (
        "安排 {assignment_id} 满一年（{earliest}）后双方才可更换人选，{on} 太早；"
        "如需提前，请登记提前结束并重新安排。"
    )
    en = (
        "Either side may replace the person of assignment {assignment_id} once its first year "
        "is over ({earliest}); {on} is too early: end it early and arrange a new one instead."
    )


class ReplacementDateError(DomainError):
    code = "replacement_date"
    zh = (
        "更换日期 {on} 必须晚于现任人员的开始日期 {current_since}，"
        "并早于计划结束日期 {planned_ends_on}。"
    )
    en = (
        "The replacement date {on} must be after the current person's start {current_since} "
        "and before the planned end {planned_ends_on}."
    )


class SameTeacherError(DomainError):
    code = "same_teacher"
    zh = "教师 {teacher_id} 不能既是{first_label}又是{second_label}。"
    en = "Teacher {teacher_id} cannot be both the {first_label} and the {second_label}."

    def _wording(self, *, english: bool) -> dict[str, str]:
        return {
            key: _ROLES.get(self.params.get(param, ""), ("人员", "person"))[1 if english else 0]
            for key, param in (("first_label", "first"), ("second_label", "second"))
        }


_ROLES: dict[str, tuple[str, str]] = {
    "mentor": ("师傅", "mentor"),
    "apprentice": ("徒弟", "apprentice"),
    "current": ("现任人员", "current person"),
    "successor": ("接替人员", "successor"),
}


class LessonKindError(DomainError):
    code = "lesson_kind"
    zh = (
        "活动 {activity_id} 的类型是 {kind}；只有公开课/汇报课（public_lesson）可以关联到师徒结对。"
    )
    en = (
        "Activity {activity_id} is of kind {kind}; only a public or report lesson "
        "(public_lesson) can be linked to a mentorship."
    )


class LessonOutsideTermError(DomainError):
    code = "lesson_outside_term"
    zh = (
        "活动 {activity_id} 于 {held_on} 开展，"
        "不在师徒结对 {mentorship_id} 的期限 {starts_on} 至 {ends_on} 内。"
    )
    en = (
        "Activity {activity_id} was held on {held_on}, outside the term of mentorship "
        "{mentorship_id} ({starts_on} to {ends_on})."
    )


class LessonAlreadyLinkedError(DomainError):
    code = "lesson_already_linked"
    status = 409
    zh = "活动 {activity_id} 已关联到师徒结对 {mentorship_id}。"
    en = "Activity {activity_id} is already linked to mentorship {mentorship_id}."
