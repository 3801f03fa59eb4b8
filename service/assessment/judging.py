"""What the compliance routes ask of a county's facts: the window, the results, a draft's change."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from domain.assessment.calendar import Window
from domain.assessment.codes import EvaluationMode
from domain.periods import SchoolYear, check_in_range, school_year_of
from projections.assessment.judge import Question, judged, known_versions

if TYPE_CHECKING:
    from datetime import date
    from uuid import UUID

    from domain.assessment.outcome import Result
    from domain.assessment.rules import Rule, RuleSetVersion
    from domain.codes import ComplianceStatus
    from domain.label import Label
    from projections.assessment.facts import CountyFacts

_YEAR_LENGTH = 9  # "2022-2023"


def window_of(period: str | None, as_of: date) -> Window:
    """A school year (2022-2023) or a semester (2023-spring); by default as_of's school year."""
    if period is None:
        year = school_year_of(as_of)
        return Window(year.starts_on, year.ends_on, year.code)
    if len(period) == _YEAR_LENGTH and period[4] == "-" and period[5:].isdigit():
        SchoolYear.parse(period)
        return Window.of_school_year(period)
    return Window.of_semester(period)


def question(period: str | None, as_of: date, mode: EvaluationMode) -> Question:
    check_in_range("as_of", as_of)
    return Question(window_of(period, as_of), as_of, mode)


@dataclass(frozen=True)
class Filters:
    community_id: UUID | None = None
    school_id: UUID | None = None
    rule_id: str | None = None
    status: ComplianceStatus | None = None
    period: str | None = None  # one result period's code

    def keep(self, r: Result) -> bool:
        return (
            (self.community_id is None or r.community_id == self.community_id)
            and (self.school_id is None or r.school_id == self.school_id)
            and (self.rule_id is None or r.rule_id == self.rule_id)
            and (self.status is None or r.status == self.status)
            and (self.period is None or r.period.code == self.period)
        )


@dataclass(frozen=True)
class Judged:
    versions: list[RuleSetVersion]
    results: list[Result]

    @cached_property
    def rules(self) -> dict[tuple[str, str], Rule]:
        return {(v.label, r.id): r for v in self.versions for r in v.rules}

    def rule_of(self, result: Result) -> Rule | None:
        return self.rules.get((result.version, result.rule_id))

    def title_of(self, result: Result) -> Label | None:
        rule = self.rule_of(result)
        return None if rule is None else rule.title


def judge(fold: CountyFacts, q: Question, extra: RuleSetVersion | None = None) -> Judged:
    """The judgement of `q` by the versions known then (and `extra`, a draft, in its place)."""
    versions = [p.rules for p in known_versions(fold.published, q)]
    if extra is not None:
        versions = [v for v in versions if v.label != extra.label] + [extra]
    return Judged(versions, judged(versions, fold.facts(), q))


def key(r: Result) -> tuple[str, str, str, str]:
    return (str(r.community_id), str(r.school_id), r.rule_id, r.period.code)


@dataclass(frozen=True)
class Change:
    before: Result | None
    after: Result | None


def changes(before: list[Result], after: list[Result]) -> list[Change]:
    """Results whose status, figures or existence differ between two judgements."""
    old = {key(r): r for r in before}
    new = {key(r): r for r in after}
    found: list[Change] = []
    for k in sorted(old.keys() | new.keys()):
        a, b = old.get(k), new.get(k)
        if (
            a is None
            or b is None
            or (a.status, a.done, a.required) != (b.status, b.done, b.required)
        ):
            found.append(Change(a, b))
    return found


AS_KNOWN = EvaluationMode.AS_KNOWN
