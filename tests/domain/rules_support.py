"""Builders for the rule-language tests: a community of one lead and two members, and rules."""

from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from domain.assessment.calendar import Window
from domain.assessment.codes import CommunityRole, EvaluationMode
from domain.assessment.evaluate import evaluate
from domain.assessment.facts import (
    ActionFact,
    CommunityFact,
    Facts,
    Member,
    SchoolFact,
    TeacherFact,
)
from domain.assessment.outcome import Result
from domain.assessment.parse import rule_set
from domain.assessment.rules import RuleSetVersion
from domain.codes import ActivityMode, CommunityType, SchoolStage


def uid(n: int) -> UUID:
    return UUID(int=n)


COMMUNITY = uid(1)
LEAD, MEMBER_A, MEMBER_B = uid(10), uid(11), uid(12)
STARTS, ENDS = date(2022, 9, 1), date(2024, 8, 31)
YEAR = Window.of_school_year("2022-2023")


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def community(type_: CommunityType = CommunityType.CO_BUILT, **changes: Any) -> CommunityFact:
    found = CommunityFact(
        id=COMMUNITY,
        type=type_,
        lead_school_id=LEAD,
        members=(
            Member(MEMBER_A, CommunityRole.MEMBER, STARTS),
            Member(MEMBER_B, CommunityRole.MEMBER, STARTS),
        ),
        starts_on=STARTS,
        ends_on=ENDS,
        known_at=at(STARTS),
    )
    return replace(found, **changes)


def schools(stage: SchoolStage = SchoolStage.PRIMARY) -> tuple[SchoolFact, ...]:
    return tuple(SchoolFact(s, stage, at(STARTS)) for s in (LEAD, MEMBER_A, MEMBER_B))


def teacher(n: int, school: UUID, birth_year: int = 1990, **changes: Any) -> TeacherFact:
    return replace(TeacherFact(uid(n), school, birth_year, at(STARTS)), **changes)


def action(n: int, kind: str, held_on: date, host: UUID = LEAD, **changes: Any) -> ActionFact:
    """An action of the community, recorded the day it happened (on time)."""
    found = ActionFact(
        id=uid(1000 + n),
        community_id=COMMUNITY,
        kind=kind,
        held_on=held_on,
        known_at=at(held_on),
        host_school_id=host,
        participating_school_ids=(MEMBER_A,) if host == LEAD else (LEAD,),
        mode=ActivityMode.ON_SITE,
    )
    return replace(found, **changes)


def facts(**parts: Any) -> Facts:
    parts.setdefault("communities", (community(),))
    parts.setdefault("schools", schools())
    return Facts(**parts)


def rule(measure: dict[str, Any], **fields: Any) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": "R1",
        "title": {"zh": "规则", "en": "A rule"},
        "source": {"plan": "test", "clause": "1"},
        "period": {"grain": "semester"},
        "measure": measure,
    }
    found.update(fields)
    return found


def version(*rules: dict[str, Any], **fields: Any) -> RuleSetVersion:
    found: dict[str, Any] = {
        "id": "test",
        "county": "测试县",
        "version": 1,
        "title": {"zh": "测试", "en": "Test"},
        "in_force": {"from": "2022-09-01"},
        "rules": list(rules),
    }
    found.update(fields)
    return rule_set(found)


def judge(
    rules: RuleSetVersion,
    found: Facts,
    as_of: date,
    asked: Window = YEAR,
    mode: EvaluationMode = EvaluationMode.AS_KNOWN,
) -> list[Result]:
    return evaluate(rules, found, asked, as_of, mode)


def one(results: list[Result], period: str, school: UUID | None = None) -> Result:
    found = [r for r in results if r.period.code == period and r.school_id == school]
    assert len(found) == 1, [(r.period.code, r.school_id) for r in results]
    return found[0]
