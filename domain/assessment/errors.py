"""Errors of the assessment context: a bad rule names the path of the bad field."""

from domain.errors import DomainError

# (zh, en) wording of InvalidRuleError's `reason` codes; other params fill the placeholders.
_REASONS: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填字段", "is required"),
    "unknown_field": ("不是可用的字段", "is not a known field"),
    "not_object": ("应为对象", "must be an object"),
    "not_list": ("应为列表", "must be a list"),
    "empty_list": ("不能为空列表", "must not be an empty list"),
    "not_text": ("应为文本", "must be text"),
    "not_integer": ("应为整数", "must be a whole number"),
    "not_number": ("应为数字", "must be a number"),
    "not_boolean": ("应为 true 或 false", "must be true or false"),
    "not_date": ("应为 YYYY-MM-DD 格式的日期", "must be a date written YYYY-MM-DD"),
    "negative": ("不能为负数", "must not be negative"),
    "not_fraction": ("应在 0 到 1 之间", "must be between 0 and 1"),
    "bad_code": ("不是可用的代码（可用：{allowed}）", "is not a known code (known: {allowed})"),
    "blank": ("不能为空", "must not be blank"),
    "too_long": ("不能超过 {limit} 个字符", "must be at most {limit} characters long"),
    "control_character": ("不能包含控制字符", "must not contain control characters"),
    "min_above_max": ("下限不能大于上限", "has its minimum above its maximum"),
    "ends_before_start": ("结束日期早于开始日期", "ends before it starts"),
    "no_threshold": ("需要 min、max 或 exactly 之一", "needs one of min, max or exactly"),
    "exact_with_bounds": ("exactly 不能与 min/max 同时使用", "cannot give exactly with min or max"),
    "duplicate_id": ("编号 {id} 重复", "repeats the id {id}"),
    "window_needs_dates": ("指定时段需要 from 和 to", "needs from and to for a window"),
    "phase_needs_name": ("工作阶段需要 phase", "needs phase for a phase grain"),
    "bands_not_descending": ("分数段应从高到低排列", "must list bands from the highest down"),
}


class InvalidRuleError(DomainError):
    """A rule set's JSON form is malformed at `path` (e.g. `rules[3].measure.min`)."""

    code = "invalid_rule"
    zh = "规则集中 {path} {reason_text}，请修改后重试。"
    en = "In the rule set, {path} {reason_text}; correct it and try again."

    def __init__(self, *, path: str, reason: str, **params: object) -> None:
        super().__init__(path=path, reason=reason, **params)

    def _wording(self, *, english: bool) -> dict[str, str]:
        zh, en = _REASONS.get(self.params["reason"], (self.params["reason"],) * 2)
        text = en if english else zh
        return {"reason_text": text.format_map(self.params)}


class UnknownTemplateError(DomainError):
    code = "unknown_template"
    zh = "没有名为“{name}”的规则集模板（可用：{known}）。"
    en = "There is no rule-set template named '{name}' (known: {known})."


class RuleSetPublishedError(DomainError):
    code = "rule_set_published"
    status = 409
    zh = "规则集 {rule_set} 已发布，已发布的版本不能再修改；请起草新版本。"
    en = "Rule set {rule_set} is published and can no longer change; draft a new version."


class RuleSetNotValidatedError(DomainError):
    code = "rule_set_not_validated"
    status = 409
    zh = "规则集 {rule_set} 尚未校验，校验通过后才能发布。"
    en = "Rule set {rule_set} has not been validated; validate it before publishing."


class RuleSetNotPublishedError(DomainError):
    code = "rule_set_not_published"
    status = 409
    zh = "规则集 {rule_set} 尚未发布，只能按已发布的规则集考核。"
    en = "Rule set {rule_set} is not published; only a published rule set can assess."


class GradeReasonRequiredError(DomainError):
    code = "grade_reason_required"
    zh = "最终等级（{grade}）与计算等级（{computed}）不同，须填写理由。"
    en = "The final grade ({grade}) differs from the computed one ({computed}); give a reason."


class ProjectScoreError(DomainError):
    """协作型 communities are scored by project criteria; the other types are not."""

    code = "invalid_project_score"
    zh = "项目评估评分有误：{rule_text}。"
    en = "The project scores are wrong: {rule_text}."

    _RULES: dict[str, tuple[str, str]] = {  # noqa: RUF012 (read only)
        "required": (
            "协作型教共体须按项目评估，请填写各项评分",
            "a collaborative community needs them",
        ),
        "not_allowed": (
            "只有协作型教共体按项目评估（至多 20 项）",
            "only a collaborative community has them (20 at most)",
        ),
        "out_of_range": (
            "“{name}”的满分应大于 0，得分应在 0 到满分之间",
            "'{name}' needs points above 0 and a score from 0 to its points",
        ),
    }

    def _wording(self, *, english: bool) -> dict[str, str]:
        zh, en = self._RULES[self.params["rule"]]
        return {"rule_text": (en if english else zh).format_map(self.params)}
