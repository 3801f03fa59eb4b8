"""The pages' words in Chinese and English, and which of the two a request reads."""
# ruff: noqa: E501 - one pair of words a line reads better than wrapped strings

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.codes import label
from domain.errors import InvalidPeriodError
from domain.periods import SchoolYear, Semester
from service.problems import preferred_language

if TYPE_CHECKING:
    from litestar.connection import ASGIConnection

LANG_COOKIE = "jgt_lang"
LANGUAGES = ("zh", "en")

WORDS: dict[str, tuple[str, str]] = {
    "app": ("教共体台账", "Education community ledger"),
    "overview": ("全县概览", "County overview"),
    "communities": ("教共体", "Communities"),
    "community": ("教共体", "Community"),
    "schools": ("学校", "Schools"),
    "school": ("学校", "School"),
    "activities": ("活动", "Actions"),
    "activity": ("活动", "Action"),
    "quality": ("质量数据库", "Quality database"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出", "Sign out"),
    "county": ("县（租户）编号", "County id"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "new_password": ("新密码", "New password"),
    "repeat_password": ("再次输入新密码", "New password again"),
    "change_password": ("修改密码", "Change password"),
    "must_change": (
        "首次登录请先修改管理员设置的密码。",
        "First sign-in: change the password the admin set.",
    ),
    "bad_login": ("用户名或密码不正确。", "Wrong username or password."),
    "throttled": (
        "登录失败次数过多，请 {retry_after} 秒后再试。",
        "Too many failed sign-ins; try again in {retry_after} s.",
    ),
    "password_rules": (
        "新密码至少 {min} 个字符，两次输入须一致，且不能与旧密码相同。",
        "The new password needs at least {min} characters, typed twice the same, and differ from the old one.",
    ),
    "wrong_password": ("当前密码不正确。", "The current password is wrong."),
    "current_password": ("当前密码", "Current password"),
    "save": ("保存", "Save"),
    "communities_count": ("教共体数", "Communities"),
    "schools_count": ("学校数", "Schools"),
    "in_community": ("在教共体中的学校", "Schools in a community"),
    "not_in_community": ("不在任何教共体中的学校", "Schools in none"),
    "by_kind": ("本学期活动（按类型）", "Actions this semester by kind"),
    "trend": ("近几个学期的活动数", "Actions over the last semesters"),
    "actions_count": ("活动数", "Actions"),
    "name": ("名称", "Name"),
    "type": ("类型", "Type"),
    "lead": ("牵头学校", "Lead school"),
    "members": ("成员学校", "Member schools"),
    "roster": ("成员名单", "Roster"),
    "joined": ("加入", "Joined"),
    "left": ("退出", "Left"),
    "period": ("起止", "Period"),
    "code": ("代码", "Code"),
    "stage": ("学段", "Stage"),
    "location": ("城乡", "Location"),
    "district": ("乡镇", "District"),
    "closed": ("已撤并", "Closed"),
    "held_on": ("日期", "Date"),
    "title": ("标题", "Title"),
    "kind": ("类型", "Kind"),
    "host": ("主办学校", "Host school"),
    "participating": ("参与学校", "Participating schools"),
    "participants": ("参与人员", "Participants"),
    "subjects": ("学科", "Subjects"),
    "mode": ("形式", "Mode"),
    "evidence": ("佐证材料", "Evidence"),
    "download": ("下载", "Download"),
    "full_size": ("查看原图", "Full size"),
    "note": ("说明", "Note"),
    "void": ("已作废", "Voided"),
    "attendance": ("出勤", "Attendance"),
    "expected": ("应到", "Expected"),
    "present": ("实到", "Present"),
    "late": ("迟到", "Late"),
    "left_early": ("早退", "Left early"),
    "on_leave": ("请假", "On leave"),
    "absent": ("缺席", "Absent"),
    "sheet": ("签到表", "Sign-in sheet"),
    "phone_sign_ins": ("手机签到", "Phone sign-ins"),
    "reflections": ("反思", "Reflections"),
    "review": ("审核", "Review"),
    "review_state": ("审核状态", "Review state"),
    "review_level": ("待审级别", "Waiting at"),
    "review_round": ("轮次", "Round"),
    "no_review": ("无审核记录", "No review recorded"),
    "step_opened": ("提交审核", "Submitted for review"),
    "step_approved": ("审核通过", "Approved"),
    "step_returned": ("退回修改", "Returned"),
    "step_resubmitted": ("修改后重新提交", "Resubmitted"),
    "step_reopened": ("更正后重新审核", "Reopened by a correction"),
    "school_year": ("{start}—{end}学年", "school year {start}-{end}"),
    "none": ("暂无", "None yet"),
    "months": ("各月参与的活动", "Actions by month"),
    "subject": ("学科", "Subject"),
    "grade": ("年级", "Grade"),
    "students": ("人数", "Students"),
    "pass_rate": ("合格率", "Pass rate"),
    "good_rate": ("优良率", "Good rate"),
    "mean": ("平均分", "Mean"),
    "quality_trend": (
        "合格率、优良率走势（按人数加权）",
        "Pass and good rates over periods (weighted by students)",
    ),
    "semester": ("学期", "Semester"),
    "all": ("全部", "All"),
    "filter": ("筛选", "Filter"),
    "print": ("打印", "Print"),
    "screen": ("大屏", "Large screen"),
    "screen_off": ("退出大屏", "Leave the large screen"),
    "lang_other": ("English", "中文"),
    "signed_in_as": ("当前用户", "Signed in as"),
    "not_found": ("没有找到这条记录。", "No such record."),
    "forbidden": ("您的角色无权查看此页。", "Your role may not see this page."),
    "bad_form": (
        "表单内容有误，请刷新页面后重试。",
        "The form was not accepted; reload the page and try again.",
    ),
    "users": ("用户", "Users"),
    "role": ("角色", "Role"),
    "role_admin": ("管理员", "Admin"),
    "role_recorder": ("学校填报员", "School recorder"),
    "role_supervisor": ("督导", "Supervisor"),
    "role_auditor": ("审计", "Auditor"),
    "active": ("在用", "Active"),
    "deactivated": ("已停用", "Deactivated"),
    "first_password": ("设置初始密码", "Set a first password"),
    "first_password_set": (
        "已设置初始密码，该用户首次登录时须修改。",
        "First password set; the user changes it at the first sign-in.",
    ),
    "waits_change": ("待修改", "To be changed"),
    "username_rules": (
        "用户名为 1 到 64 个 a-z、0-9、.、_、- 字符，且在本县唯一。",
        "A username is 1 to 64 of a-z, 0-9, '.', '_', '-', and one person's in the county.",
    ),
    "first_password_rules": (
        "初始密码至少 {min} 个字符。",
        "A first password needs at least {min} characters.",
    ),
    "compliance": ("达标情况", "Compliance"),
    "compliance_share": ("达标、预警、未达标的结果", "Results met, at risk, missed"),
    "compliance_trend": ("近几个学期的达标率", "Share of results met over the last semesters"),
    "met_share": ("达标率 %", "Met %"),
    "progress": ("各项细则的完成进度", "Each rule's progress against its quota"),
    "actions_kinds": ("活动（按类型）", "Actions by kind"),
    "rules": ("考核细则", "Rules"),
    "assignments": ("人员交流", "Staff assignments"),
    "county_wide": ("全县", "County-wide"),
    "judged_by": ("评定所用细则版本", "Judged by"),
    "no_rules_then": ("该日尚无已发布的细则", "No published rules on that day"),
    "rule": ("细则", "Rule"),
    "required": ("要求", "Required"),
    "done": ("完成", "Done"),
    "status": ("状态", "Status"),
    "late_records": ("含 {n} 条补录", "{n} entered late"),
    "source": ("出处", "Source"),
    "maximum": ("上限", "at most"),
    "score": ("得分", "Score"),
    "counted": ("计入的记录", "Records counted"),
    "excluded": ("未计入的记录及原因", "Records not counted, and why"),
    "late_entries": ("补录的记录", "Records entered late"),
    "in_force_on": ("{day} 生效的版本", "The version in force on {day}"),
    "in_force_from": ("生效期", "In force"),
    "in_force": ("生效中", "in force"),
    "grace_days": ("补录宽限 {days} 天", "{days} days' grace for late entries"),
    "strictness": ("要求程度", "Strictness"),
    "points": ("分值", "Points"),
    "versions": ("历次版本", "Versions"),
    "version": ("版本", "Version"),
    "state": ("状态", "State"),
    "published_at": ("发布日期", "Published"),
    "published_later": ("该日之后才发布", "published after that day"),
    "ending_soon": ("{days} 天内期满", "Ending within {days} days"),
    "ending": ("即将期满", "ending soon"),
    "last_day": ("最后一天", "last day"),
    "who_where": ("在岗人员", "Who is where"),
    "teacher": ("教师", "Teacher"),
    "from_school": ("派出学校", "From"),
    "to_school": ("接收学校", "To"),
    "host_post": ("任职岗位", "Host post"),
    "as_of": ("查询日期", "As of"),
    "as_of_mode": ("口径", "Counted"),
    "as_known": ("按当日所知", "As known on the date"),
    "as_happened": ("按实际发生", "As happened"),
    "show": ("查看", "Show"),
    "back_to_today": ("回到今天", "Back to today"),
    "when_known": (
        "数据：截至 {day} 已录入的记录（按当日所知）",
        "Figures: the records entered by {day} (as known)",
    ),
    "when_happened": (
        "数据：截至 {day} 实际发生的一切，含之后补录的记录（已标出）",
        "Figures: everything that happened by {day}, late entries included (marked)",
    ),
    "late_by": ("补录，晚 {days} 天", "Entered {days} days late"),
    "not_known_then": ("该日尚未录入此活动。", "This action was not yet recorded on that day."),
    "add_user": ("新增用户", "Add a user"),
    "user_created": (
        "已新增用户，其首次登录时须修改初始密码。",
        "User added; they change the first password at the first sign-in.",
    ),
    "user_disabled": (
        "已停用该用户：其会话和令牌立即失效。",
        "User disabled: their sessions and tokens stop at once.",
    ),
    "user_enabled": (
        "已重新启用该用户，并设置了新的初始密码。",
        "User enabled again, with a new first password.",
    ),
    "disable": ("停用", "Disable"),
    "enable": ("启用（设置新的初始密码）", "Enable (with a new first password)"),
    "reset_password": ("重设密码", "Reset the password"),
    "school_for_recorder": ("学校（仅学校填报员）", "School (school recorders only)"),
    "name_rules": ("姓名为 1 到 {limit} 个字符。", "A name has 1 to {limit} characters."),
    "role_rules": ("请选择一个角色。", "Choose a role."),
    "school_rules": (
        "学校填报员须指定本县一所在办学校，其他角色不指定学校。",
        "A school recorder needs one open school of the county; no other role takes one.",
    ),
    "not_yourself": ("不能停用自己的账号。", "You cannot disable your own account."),
    "latest_only": (
        "只列出最近的 {limit} 条；请按教共体、学校、学期或类型筛选。",
        "Only the latest {limit} are listed; filter by community, school, semester or kind.",
    ),
}


def word(key: str, lang: str, **params: object) -> str:
    zh, en = WORDS[key]
    text = en if lang == "en" else zh
    return text.format(**params) if params else text


def period_label(code: str, lang: str) -> str:
    """A semester or school year in words (2026-autumn: 2026 秋季学期); other codes as they are."""
    try:
        semester = Semester.parse(code)
    except InvalidPeriodError:
        pass
    else:
        found = label(semester.term)
        return f"{semester.year} {found.en if lang == 'en' else found.zh}"
    try:
        year = SchoolYear.parse(code)
    except InvalidPeriodError:
        return code
    return word("school_year", lang, start=year.start_year, end=year.start_year + 1)


def page_language(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """`?lang=` first, then the cookie it leaves, then Accept-Language; Chinese by default."""
    asked: str | None = connection.query_params.get("lang")
    if asked in LANGUAGES:
        return str(asked)
    kept = connection.cookies.get(LANG_COOKIE)
    if kept in LANGUAGES:
        return str(kept)
    return preferred_language(connection.headers.get("accept-language", ""))
