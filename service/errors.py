"""Rules the service checks (they span aggregates or the store), shaped like domain errors."""

from domain.errors import DomainError


class SchoolCodeTakenError(DomainError):
    """A county's school codes (学校代码) are unique: the code names the school's stream."""

    code = "school_code_taken"
    status = 409
    zh = "代码为 {school_code} 的学校已经登记，不能重复登记。"
    en = "A school with code {school_code} is already registered."


class UnknownReferenceError(DomainError):
    """The request names a record that does not exist in this county."""

    code = "unknown_reference"
    zh = "{field} 所指的记录 {id} 在本县不存在。"
    en = "{field} refers to {id}, which does not exist in this county."


class NotYourSchoolError(DomainError):
    """A recorder (a school's account) records and corrects only its own school's activities."""

    code = "not_your_school"
    status = 403
    zh = "学校账号只能为本校（{school_id}）登记或更正活动。"
    en = "A school's recorder may record or correct only its own school's ({school_id}) activities."


class EvidenceNotUploadedError(DomainError):
    """An action names its evidence by digest: the county must have uploaded the file first."""

    code = "evidence_not_uploaded"
    zh = "佐证材料 {sha256} 尚未上传到本县，请先通过 POST /v1/files 上传。"
    en = "The evidence file {sha256} was never uploaded in this county; POST it to /v1/files first."


class AssessmentExistsError(DomainError):
    """One record per community and school year: the bureau records it once."""

    code = "assessment_exists"
    status = 409
    zh = "教共体 {community_id} 的 {school_year} 学年考核已记录，不能重复记录。"
    en = "The {school_year} assessment of community {community_id} is recorded already."


class NoRuleSetInForceError(DomainError):
    """An assessment is graded by the version in force on the school year's last day."""

    code = "no_rule_set_in_force"
    status = 409
    zh = "没有在 {last_day}（{school_year} 学年末）生效、且截至 {as_of} 已发布的规则集，无法考核。"
    en = (
        "No rule set in force on {last_day} (the end of {school_year}) was published by"
        " {as_of}: nothing can assess the year."
    )


class AsOfAfterTodayError(DomainError):
    """An assessment is computed as known on a day that has come: never on a later one."""

    code = "as_of_after_today"
    zh = "考核依据的日期 {as_of} 晚于今天（{today}），只能按已知的情况考核。"
    en = "The assessment's as_of ({as_of}) is after today ({today}): only what is known assesses."


class RuleSetExistsError(DomainError):
    """A rule set's id and version name its stream: each is drafted once."""

    code = "rule_set_exists"
    status = 409
    zh = "规则集 {rule_set} 已存在；请换一个版本号。"
    en = "Rule set {rule_set} exists already; choose another version number."


class PersonRequiredError(DomainError):
    """Who approved must outlive a token: a review step is taken by a person (a user)."""

    code = "person_required"
    status = 403
    zh = "审核须由具名用户进行：此令牌未签发给任何用户，请使用签发给用户的令牌。"
    en = "A review step is taken by a person: this token was issued to no user; use a user's token."


_WHO = {
    "school": ("承办学校的学校账号或县局管理员", "the host school's recorder or an admin"),
    "community": ("牵头学校的学校账号或县局管理员", "the lead school's recorder or an admin"),
    "county": ("县局管理员", "an admin of the bureau"),
}


class NotYourLevelError(DomainError):
    code = "not_your_review_level"
    status = 403
    zh = "此账号不能进行 {level} 级审核：该级由{who}审核。"
    en = "This account may not review at level {level}: {who} does."

    def _wording(self, *, english: bool) -> dict[str, str]:
        who = _WHO.get(self.params["level"], (self.params["level"],) * 2)
        return {"who": who[1 if english else 0]}
