"""Errors of the money context (funding and subsidy entries): a stable code each."""

from domain.errors import DomainError


class EntryPayeeError(DomainError):
    """Funding goes to a community's lead school; a subsidy to a person, for a month."""

    code = "entry_payee"
    zh = "{kind_label}{rule_text}。"
    en = "A {kind_label} entry {rule_text}."

    def _wording(self, *, english: bool) -> dict[str, str]:
        kinds = {"funding": ("工作经费", "funding"), "subsidy": ("交流人员补助", "subsidy")}
        rules = {
            "community_required": ("须注明教共体", "names its community"),
            "not_lead_school": (
                "只拨给教共体的牵头学校",
                "goes to the community's lead school only",
            ),
            "teacher_required": ("须注明受补助的教师", "names the teacher it is paid to"),
            "teacher_not_allowed": ("不注明教师", "names no teacher"),
            "month_required": ("须注明所补助的月份", "names the month it is for"),
            "month_not_allowed": ("不注明月份", "names no month"),
        }
        kind = kinds.get(self.params.get("kind", ""), ("", ""))
        rule = rules.get(self.params.get("rule", ""), ("", ""))
        i = 1 if english else 0
        return {
            "kind_label": kind[i] or self.params.get("kind", ""),
            "rule_text": rule[i] or self.params.get("rule", ""),
        }


class AmountRangeError(DomainError):
    code = "amount_range"
    zh = "金额 {amount_fen} 分超出范围：应在 1 分到 {limit} 分之间。"
    en = "The amount of {amount_fen} fen is out of range: from 1 fen to {limit} fen."


class EntryDateError(DomainError):
    code = "entry_date"
    zh = "日期 {day}（{field}）{rule_text}。"
    en = "The date {day} ({field}) {rule_text}."

    def _wording(self, *, english: bool) -> dict[str, str]:
        rules = {
            "in_future": (
                "晚于今天，只能记录已经支付的款项",
                "is after today: record what was paid",
            ),
            "not_first_of_month": ("应为月份的第一天", "must be the first day of a month"),
        }
        rule = rules.get(self.params.get("rule", ""), ("", ""))
        return {"rule_text": rule[1 if english else 0] or self.params.get("rule", "")}


class EntryYearError(DomainError):
    code = "entry_year"
    zh = "年度 {year} 无效：应在 2000 到 2099 之间，补助的年度即其月份所在年份（{month_year}）。"
    en = (
        "The year {year} is not valid: it runs from 2000 to 2099, and a subsidy's is the year "
        "of its month ({month_year})."
    )


class EntryReversedError(DomainError):
    code = "entry_reversed"
    status = 409
    zh = "款项记录 {entry_id} 已冲销，不能再冲销。"
    en = "Entry {entry_id} has been reversed already."
