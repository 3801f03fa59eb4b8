"""Errors of the community context (schools, communities, activities): a stable code each."""

from domain.errors import DomainError


class SchoolClosedError(DomainError):
    code = "school_closed"
    status = 409
    zh = "学校 {school_id} 已于 {closed_on} 关闭，不能再修改或加入教共体。"
    en = (
        "School {school_id} was closed on {closed_on}; it can no longer be changed "
        "or added to a community."
    )


class SchoolUnchangedError(DomainError):
    code = "school_unchanged"
    status = 409
    zh = "学校 {school_id} 的名称已经是“{name}”，无需更名。"
    en = "School {school_id} is already named '{name}'; nothing to rename."


class CommunityPeriodError(DomainError):
    code = "community_period"
    zh = "教共体的结束日期 {ends_on} 必须晚于开始日期 {starts_on}，请修改协议期限。"
    en = "The community's end date {ends_on} must be after its start date {starts_on}."


class LeadIsMemberError(DomainError):
    code = "lead_is_member"
    zh = "学校 {school_id} 是牵头学校，不能同时作为成员校，请从成员校中移除。"
    en = (
        "School {school_id} is the lead school and cannot also be a member school; "
        "remove it from the members."
    )


class DuplicateSchoolError(DomainError):
    code = "duplicate_school"
    zh = "学校 {school_id} 重复出现，每所学校只能列出一次。"
    en = "School {school_id} is listed more than once; list each school once."


class NoMemberSchoolsError(DomainError):
    code = "no_member_schools"
    zh = "以 {lead_school_id} 为牵头学校的教共体至少需要一所成员校。"
    en = "A community led by school {lead_school_id} needs at least one member school."


class AlreadyMemberError(DomainError):
    code = "already_member"
    status = 409
    zh = "学校 {school_id} 在 {on} 已是教共体 {community_id} 的成员（或牵头学校）。"
    en = "School {school_id} is already the lead or a member of community {community_id} on {on}."


class JoinBeforeLeftError(DomainError):
    code = "join_before_left"
    status = 409
    zh = "学校 {school_id} 于 {left_on} 退出教共体 {community_id}，重新加入日期 {on} 不能早于该日。"
    en = (
        "School {school_id} left community {community_id} on {left_on}; it can rejoin "
        "on that day or later, not on {on}."
    )


class NotMemberError(DomainError):
    code = "not_member"
    status = 409
    zh = "学校 {school_id} 在 {on} 不是教共体 {community_id} 的在册成员校。"
    en = "School {school_id} is not a current member school of community {community_id} on {on}."


class LastMemberError(DomainError):
    code = "last_member"
    status = 409
    zh = "学校 {school_id} 是教共体 {community_id} 最后一所成员校，不能退出；如需结束请解散教共体。"
    en = (
        "School {school_id} is the last member school of community {community_id} and cannot "
        "leave; dissolve the community instead."
    )


class CommunityDissolvedError(DomainError):
    code = "community_dissolved"
    status = 409
    zh = "教共体 {community_id} 已于 {dissolved_on} 解散，该日及以后不能再变更或记录活动。"
    en = (
        "Community {community_id} was dissolved on {dissolved_on}; nothing can change or be "
        "recorded for it from that day on."
    )


class OutsideCommunityPeriodError(DomainError):
    code = "outside_community_period"
    zh = "日期 {day} 不在教共体 {community_id} 的协议期限 {starts_on} 至 {ends_on} 内。"
    en = (
        "The date {day} is outside the period of community {community_id} "
        "({starts_on} to {ends_on})."
    )


class SchoolNotInCommunityError(DomainError):
    code = "school_not_in_community"
    zh = "学校 {school_id} 在 {on} 不是教共体 {community_id} 的牵头学校或成员校。"
    en = "School {school_id} is not the lead or a member of community {community_id} on {on}."


class ActivityInFutureError(DomainError):
    code = "activity_in_future"
    zh = "活动日期 {day} 晚于今天 {today}：只能记录已经开展的活动。"
    en = "The activity date {day} is after today ({today}); record activities once they happen."


class ActivitySpanError(DomainError):
    code = "activity_span"
    zh = "活动结束日期 {ends_on} 不能早于开始日期 {held_on}。"
    en = "The activity's end date {ends_on} must not be before its start date {held_on}."


class ModeNotAllowedError(DomainError):
    code = "mode_not_allowed"
    zh = (
        "{kind} 类活动必须以 {required} 方式开展，不能是 {mode}："
        "送教下乡是线下活动，确实无法正常开展时可改为线上，但须在 online_reason 中写明原因；"
        "线上同步课堂请记为 synchronous_lesson。"
    )
    en = (
        "Activities of kind {kind} must be {required}, not {mode}: sending lessons (送教下乡) "
        "happen on site, online only when they cannot, with the reason in online_reason; an "
        "online synchronous lesson is recorded as synchronous_lesson."
    )


class DuplicateSubjectError(DomainError):
    code = "duplicate_subject"
    zh = "学科 {subject} 重复出现，每个学科只能列出一次。"
    en = "The subject {subject} is listed more than once; list each subject once."


class DuplicateEvidenceError(DomainError):
    code = "duplicate_evidence"
    zh = "佐证材料 {sha256} 重复上传，每份材料只能附一次。"
    en = "The evidence file {sha256} is attached more than once; attach each file once."


class ParticipantSchoolError(DomainError):
    code = "participant_school"
    zh = "参与教师“{participant}”所在学校 {school_id} 不是本次活动的承办或参与学校。"
    en = (
        "Participant '{participant}' belongs to school {school_id}, which neither hosts nor "
        "takes part in this activity; add the school or correct the participant."
    )


class ActivityVoidedError(DomainError):
    code = "activity_voided"
    status = 409
    zh = "活动记录 {activity_id} 已作废，不能再更正或作废；如需要请重新记录。"
    en = "Activity {activity_id} has been voided; it cannot be corrected or voided again."


class NothingToCorrectError(DomainError):
    code = "nothing_to_correct"
    status = 409
    zh = "更正内容与活动记录 {activity_id} 的现有内容相同，无需更正。"
    en = "The corrected facts equal the current facts of activity {activity_id}; nothing changed."


class CommunityMismatchError(DomainError):
    code = "community_mismatch"
    zh = (
        "活动记录 {activity_id} 属于教共体 {community_id}，不能按教共体 {given_community_id} 更正。"
    )
    en = (
        "Activity {activity_id} belongs to community {community_id}, not to "
        "community {given_community_id}."
    )


class DuplicateParticipantError(DomainError):
    code = "duplicate_participant"
    zh = "参与教师“{participant}”（学校 {school_id}）重复出现，每人只能列出一次。"
    en = "Participant '{participant}' of school {school_id} is listed more than once."


class NotExpectedError(DomainError):
    code = "not_expected"
    zh = "“{participant}”（学校 {school_id}）不在本次活动的应到名单中。"
    en = "'{participant}' of school {school_id} is not among the action's expected participants."


class DuplicateAttendanceError(DomainError):
    code = "duplicate_attendance"
    zh = "“{participant}”（学校 {school_id}）的考勤重复登记，每人只能登记一次。"
    en = "The attendance of '{participant}' of school {school_id} is given more than once."


class AttendanceMarkError(DomainError):
    """A line of the sign-in sheet that contradicts itself; `reason` says how."""

    code = "attendance_mark"
    zh = "“{participant}”的考勤自相矛盾（{reason}）：请假者不能签到，迟到或早退须先有签到时间。"
    en = (
        "The attendance of '{participant}' contradicts itself ({reason}): one on leave has no "
        "sign-in, and lateness or early leave needs a sign-in time."
    )


class AlreadySignedInError(DomainError):
    code = "already_signed_in"
    status = 409
    zh = "“{participant}”已在 {at} 签到（或已登记考勤），无需重复签到。"
    en = "'{participant}' signed in at {at} (or their attendance is recorded) already."


class OnlineReasonError(DomainError):
    code = "online_reason_not_needed"
    zh = "只有以线上方式代替线下活动时才填写 online_reason；{kind} 类 {mode} 活动不需要。"
    en = (
        "online_reason is given only when an online session stands in for an on-site one; "
        "a {mode} action of kind {kind} takes none."
    )


class VenueSchoolError(DomainError):
    code = "venue_school"
    zh = "活动地点学校 {school_id} 不是本次活动的承办或参与学校。"
    en = "The venue school {school_id} neither hosts nor takes part in this action."


class NoticeAfterActivityError(DomainError):
    code = "notice_after_activity"
    zh = "通知时间 {notified_at} 晚于活动日期 {held_on}，通知应在活动之前。"
    en = "The notice at {notified_at} comes after the action's day {held_on}; notice comes first."


class FollowUpError(DomainError):
    """A follow-up (同步教学研讨 after 同步课堂) continues an earlier action of its community."""

    code = "follow_up"
    zh = "后续活动须接续同一教共体中更早的活动：活动 {follows_up} 不符合（{reason}）。"
    en = (
        "A follow-up continues an earlier action of the same community: {follows_up} does not"
        " ({reason})."
    )


class SignInLinkError(DomainError):
    """A sign-in link this action never issued, or one past its time."""

    code = "sign_in_link"
    status = 409
    zh = "签到链接 {link_id} 无效（{reason}）：请向组织者索取新的签到二维码。"
    en = "The sign-in link {link_id} is not valid ({reason}); ask the organiser for a new one."


class LeadingGroupLeaderError(DomainError):
    code = "leading_group_leader"
    zh = "领导小组须有且只有一名组长（现有 {leaders} 名）。"
    en = "A leading group needs exactly one leader (it has {leaders})."


class GroupMemberError(DomainError):
    code = "group_member"
    zh = (
        "领导小组成员须为本县教师（只填教师编号，不填姓名）或非教师人员（只填姓名），"
        "且每名教师只列一次（教师 {teacher_id}）。"
    )
    en = (
        "A leading group member is a teacher of the county (by id, without a name) or staff who"
        " are not teachers (by name), each teacher listed once (teacher {teacher_id})."
    )


class StudioMembersError(DomainError):
    code = "studio_members"
    zh = "工作室成员不能重复，领衔人 {leader_id} 也不能同时列为成员。"
    en = "A studio lists each member once, and its leader {leader_id} not among them."


class PhaseOrderError(DomainError):
    code = "phase_order"
    zh = (
        "阶段 {kind} 须按启动、实施、长效的顺序依次排列、互不重叠，"
        "且在教共体期限 {starts_on} 至 {ends_on} 内。"
    )
    en = (
        "Phase {kind} must follow launch, implementation, long-term in order, without"
        " overlapping, within the community's period {starts_on} to {ends_on}."
    )
