"""Errors of the commendation context: a stable code each."""

from domain.errors import DomainError


class CommendedError(DomainError):
    """A dispatched teacher's commendation names the teacher; a community's, no teacher."""

    code = "commended"
    zh = "{kind_label}的表彰{rule_text}。"
    en = "A commendation as {kind_label} {rule_text}."

    def _wording(self, *, english: bool) -> dict[str, str]:
        kinds = {
            "dispatched_teacher": ("优秀轮岗支教教师", "outstanding dispatched teacher"),
            "community": ("优秀教育共同体", "outstanding community"),
        }
        rules = {
            "teacher_required": ("须注明受表彰的教师", "names the teacher"),
            "teacher_not_allowed": ("不注明教师", "names no teacher"),
            "community_required": ("须注明受表彰的教共体", "names the community"),
        }
        kind = kinds.get(self.params.get("kind", ""), ("", ""))
        rule = rules.get(self.params.get("rule", ""), ("", ""))
        i = 1 if english else 0
        return {
            "kind_label": kind[i] or self.params.get("kind", ""),
            "rule_text": rule[i] or self.params.get("rule", ""),
        }


class CommendationYearError(DomainError):
    code = "commendation_year"
    zh = "表彰年度 {year} 无效：应在 2000 年到 {last} 年之间（不晚于表彰日期所在年份）。"
    en = "The year {year} is not valid: from 2000 to {last} (not after the year it was awarded)."


class CommendationInFutureError(DomainError):
    code = "commendation_in_future"
    zh = "表彰日期 {day} 晚于今天 {today}：只能记录已经作出的表彰。"
    en = "The award date {day} is after today ({today}); record a commendation once made."


class CommendationRevokedError(DomainError):
    code = "commendation_revoked"
    status = 409
    zh = "表彰记录 {commendation_id} 已撤销，不能再撤销。"
    en = "Commendation {commendation_id} has been revoked already."
