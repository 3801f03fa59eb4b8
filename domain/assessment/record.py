"""The Assessment aggregate: the bureau's record of one community's school year.

The computed assessment is stored as the bureau saw it when it recorded (events keep no floats:
points are hundredths), with the rule-set version, the day it was known as of and the county's
log position it was computed from, so that an auditor can replay it; the bureau's final grade
stands beside it, with a reason when it differs, and the funding for the next year follows from
the final grade by the rule set.
"""

from dataclasses import dataclass
from datetime import date
from typing import Self
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain._text import optional, required
from domain.assessment import assessment as pure
from domain.assessment.assessment import Criterion
from domain.assessment.errors import GradeReasonRequiredError, ProjectScoreError
from domain.assessment.rules import RuleSetVersion
from domain.codes import AssessmentGrade, CommunityType

REASON_LIMIT = 500
CRITERION_LIMIT = 100
MAX_CRITERIA = 20


def centi(value: float) -> int:
    return round(value * 100)


def centi_or_none(value: float | None) -> int | None:
    return None if value is None else centi(value)


@dataclass(frozen=True)
class RuleLine:
    """A rule's score as recorded, in hundredths of a point."""

    rule_id: str
    points: int
    earned: int
    results: int
    met: int


@dataclass(frozen=True)
class MemberLine:
    school_id: UUID
    total: int | None  # hundredths of the 0-100 total


@dataclass(frozen=True)
class ProjectLine:
    """A 协作型 project criterion as the bureau scored it, in hundredths."""

    name: str
    points: int
    score: int


def check_criteria(type_: CommunityType, criteria: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
    collaborative = type_ == CommunityType.COLLABORATIVE
    if collaborative and not criteria:
        raise ProjectScoreError(rule="required")
    if len(criteria) > MAX_CRITERIA or (criteria and not collaborative):
        raise ProjectScoreError(rule="not_allowed")
    checked = []
    for found in criteria:
        name = required(found.name, field="criterion", limit=CRITERION_LIMIT)
        if not 0 <= found.score <= found.points or found.points <= 0:
            raise ProjectScoreError(rule="out_of_range", name=name)
        checked.append(Criterion(name, found.points, found.score))
    return tuple(checked)


class Assessment(Aggregate):
    class Computed(Aggregate.Created):
        community_id: UUID
        community_type: CommunityType
        school_year: str
        rule_set_id: UUID  # the rule-set version's stream
        rule_set: str  # its id@version
        rules: tuple[RuleLine, ...]
        own_total: int | None
        members: tuple[MemberLine, ...]
        project: tuple[ProjectLine, ...]
        total: int | None
        grade: AssessmentGrade | None
        computed_by: UUID
        # v2: computed from compliance as known on `as_of`, the log folded up to `folded_seq`
        # (v1 records took the results in the request's body: both None).
        as_of: date | None
        folded_seq: int | None
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, object]) -> None:
            state["as_of"] = None
            state["folded_seq"] = None

    class Graded(Aggregate.Event):
        grade: AssessmentGrade
        reason: str
        funding: int | None  # next year's, by the rule set
        graded_by: UUID

    @staticmethod
    def id_for(namespace: UUID, community_id: UUID, school_year: str) -> UUID:
        """One record per community and school year: recording one twice conflicts."""
        return uuid5(namespace, f"assessment:{community_id}:{school_year}")

    @classmethod
    def record(
        cls,
        *,
        namespace: UUID,
        school_year: str,
        rule_set_id: UUID,
        rules: RuleSetVersion,
        computed: pure.Computed,
        as_of: date,
        folded_seq: int,
        grade: AssessmentGrade,
        reason: str,
        by: UUID,
    ) -> Self:
        """Store the computed assessment as it stands, then the bureau's final grade."""
        project = check_criteria(computed.community_type, computed.project)
        found = cls(
            id=cls.id_for(namespace, computed.community_id, school_year),
            community_id=computed.community_id,
            community_type=computed.community_type,
            school_year=school_year,
            rule_set_id=rule_set_id,
            rule_set=computed.version,
            rules=tuple(
                RuleLine(r.rule_id, centi(r.points), centi(r.earned), r.results, r.met)
                for r in computed.own.rules
            ),
            own_total=centi_or_none(computed.own.total),
            members=tuple(
                MemberLine(m.school_id, centi_or_none(m.score.total)) for m in computed.members
            ),
            project=tuple(ProjectLine(c.name, centi(c.points), centi(c.score)) for c in project),
            total=centi_or_none(computed.total),
            grade=computed.grade,
            computed_by=by,
            as_of=as_of,
            folded_seq=folded_seq,
        )
        found.grade_final(grade, reason, rules, by)
        return found

    @event(Computed)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        community_id: UUID,
        community_type: CommunityType,
        school_year: str,
        rule_set_id: UUID,
        rule_set: str,
        rules: tuple[RuleLine, ...],
        own_total: int | None,
        members: tuple[MemberLine, ...],
        project: tuple[ProjectLine, ...],
        total: int | None,
        grade: AssessmentGrade | None,
        computed_by: UUID,  # noqa: ARG002 (kept in the event only)
        as_of: date | None,
        folded_seq: int | None,
    ) -> None:
        self.community_id = community_id
        self.community_type = community_type
        self.school_year = school_year
        self.rule_set_id = rule_set_id
        self.rule_set = rule_set
        self.rules = rules
        self.own_total = own_total
        self.members = members
        self.project = project
        self.total = total
        self.computed_grade = grade
        self.as_of = as_of
        self.folded_seq = folded_seq
        self.final_grade: AssessmentGrade | None = None
        self.reason = ""
        self.funding: int | None = None

    def grade_final(
        self, grade: AssessmentGrade, reason: str, rules: RuleSetVersion, by: UUID
    ) -> None:
        """The bureau's grade; one that differs from the computed one needs a reason."""
        reason = optional(reason, field="reason", limit=REASON_LIMIT)
        if grade != self.computed_grade and not reason:
            raise GradeReasonRequiredError(
                field="reason", grade=grade, computed=self.computed_grade or "—"
            )
        self._graded(grade=grade, reason=reason, funding=rules.funding_for(grade), graded_by=by)

    @event(Graded)
    def _graded(
        self,
        *,
        grade: AssessmentGrade,
        reason: str,
        funding: int | None,
        graded_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.final_grade = grade
        self.reason = reason
        self.funding = funding
