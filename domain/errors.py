"""Base errors of the domain: a stable code and status each, with Chinese and English messages."""

# ruff: noqa: RUF001

from typing import ClassVar


class _Params(dict[str, str]):
    """Leaves an unknown placeholder as written: a wrong template must not hide the real error."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class DomainError(Exception):
    """A rule of the domain was broken; `code` is the problem type, `params` its details."""

    code: ClassVar[str] = "domain_error"
    status: ClassVar[int] = 422
    zh: ClassVar[str] = "请求违反了业务规则，请检查后重试。"
    en: ClassVar[str] = "The request breaks a rule of the domain; check it and try again."

    def __init__(self, **params: object) -> None:
        self.params: dict[str, str] = {key: str(value) for key, value in params.items()}
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        english = lang.lower().startswith("en")
        template = self.en if english else self.zh
        return template.format_map(_Params(self.params, **self._wording(english=english)))

    def _wording(self, *, english: bool) -> dict[str, str]:  # noqa: ARG002 (for subclasses)
        """Words for the message beyond the params, in the chosen language."""
        return {}


# (zh, en) wording of InvalidValueError's `field` and `reason` codes; `{limit}` is a param.
_FIELDS: dict[str, tuple[str, str]] = {
    "name": ("名称", "name"),
    "code": ("代码", "code"),
    "district": ("学区", "district"),
    "reason": ("原因", "reason"),
    "title": ("活动标题", "title"),
    "participant_name": ("参与教师姓名", "participant's name"),
    "participant_role": ("参与教师角色", "participant's role"),
    "evidence_name": ("佐证材料文件名", "evidence file name"),
    "evidence_sha256": ("佐证材料的 SHA-256 摘要", "evidence SHA-256 digest"),
    "evidence_size": ("佐证材料大小", "evidence size"),
    "evidence_media_type": ("佐证材料类型", "evidence media type"),
    "note": ("备注", "note"),
    "agreement": ("合作协议", "agreement"),
    "project_title": ("课题名称", "project title"),
    "paper_title": ("论文题目", "paper title"),
    "sitting_title": ("检测名称", "test title"),
    "award_grade": ("获奖等次", "award grade"),
    "venue": ("刊物或会议", "venue"),
    "reference": ("立项编号", "approval number"),
    "analysis_text": ("质量分析", "quality analysis"),
    "commendation_title": ("表彰名称", "commendation title"),
    "basis": ("表彰依据", "basis"),
    "document": ("文号", "document number"),
    "starts_at": ("开始时间", "start time"),
    "notified_at": ("通知时间", "notice time"),
    "online_reason": ("改为线上的原因", "reason for going online"),
    "leave_reason": ("请假原因", "reason for leave"),
    "reflection": ("研修心得", "reflection"),
    "attendance_signed_in_at": ("签到时间", "sign-in time"),
    "sign_in_at": ("签到时间", "sign-in time"),
    "expires_at": ("有效期", "expiry"),
    "rights": ("协议中的权利", "agreement's rights"),
    "duties": ("协议中的义务", "agreement's duties"),
    "mode": ("合作方式", "mode of work"),
    "targets": ("协议目标", "agreement's targets"),
    "evaluation": ("考核评价办法", "evaluation"),
    "document_name": ("协议文件名", "document's file name"),
    "document_sha256": ("协议文件的 SHA-256 摘要", "document's SHA-256 digest"),
    "post": ("职务", "post"),
    "county": ("所在县（市、区）", "county"),
    "criterion": ("项目评估指标", "project criterion"),
}
_REASONS: dict[str, tuple[str, str]] = {
    "blank": ("不能为空", "must not be blank"),
    "too_long": ("不能超过 {limit} 个字符", "must be at most {limit} characters long"),
    "bad_characters": (
        "只能包含英文字母、数字、下划线和连字符",
        "may contain only letters A-Z, digits, '_' and '-'",
    ),
    "not_sha256": (
        "必须是 64 位小写十六进制字符",
        "must be 64 lowercase hexadecimal characters",
    ),
    "not_positive": ("必须大于 0", "must be greater than 0"),
    "no_time_zone": ("须带时区（如 +08:00）", "must carry its time zone (like +08:00)"),
    "control_character": (
        "不能包含控制字符（换行和制表符除外）或孤立的代理字符",
        "must not contain control characters (but newline and tab) or lone surrogates",
    ),
}


class InvalidValueError(DomainError):
    """A single value is malformed; `field` and `reason` are stable codes worded per language."""

    code = "invalid_value"
    zh = "{field_label}{reason_text}，请修改后重试。"
    en = "The {field_label} {reason_text}; correct it and try again."

    def __init__(self, *, field: str, reason: str, **params: object) -> None:
        super().__init__(field=field, reason=reason, **params)

    def _wording(self, *, english: bool) -> dict[str, str]:
        field, reason = self.params["field"], self.params["reason"]
        field_label = _FIELDS.get(field, (field, field))[1 if english else 0]
        reason_text = _REASONS.get(reason, (reason, reason))[1 if english else 0]
        return {
            "field_label": field_label,
            "reason_text": reason_text.format_map(_Params(self.params)),
        }


class InvalidPeriodError(DomainError):
    code = "invalid_period"
    zh = (
        "“{value}”不是有效的学期或学年：学期写作 2022-autumn 或 2023-spring，"
        "学年写作 2022-2023（年份 2000–2099）。"
    )
    en = (
        "'{value}' is not a valid semester or school year: write a semester as 2022-autumn or "
        "2023-spring and a school year as 2022-2023 (years 2000-2099)."
    )


class DateOutOfRangeError(DomainError):
    """Dates are accepted from 2000 to 2099: anything else is a typing mistake."""

    code = "date_out_of_range"
    zh = "{field} 的日期 {date} 超出可接受的范围（2000 年至 2099 年）。"
    en = "The date {date} of {field} is out of range (2000 to 2099)."
