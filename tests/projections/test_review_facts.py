"""Review in the compliance facts: an action counts for a rule that requires approval only once
the last of the county's levels approved its current version, from when that step was recorded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.assessment.codes import EvaluationMode, ExclusionReason
from domain.assessment.rule_set import RuleSet
from domain.codes import ActivityKind, CommunityType, ReviewLevel, SchoolLocation, SchoolStage
from domain.community.activity import Activity
from domain.community.community import Community
from domain.community.school import School
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import Review
from projections.assessment.facts import CountyFacts
from service.assessment.judging import judge, question
from tests.projections.history import activity_facts
from tests.service.compliance_api import lessons_rule_set

TENANT = UUID(int=42)
CLERK = UUID(int=1)
SCHOOL, COMMUNITY, COUNTY = ReviewLevel
HAPPENED, KNOWN = EvaluationMode.AS_HAPPENED, EvaluationMode.AS_KNOWN


def at(month: int, day: int) -> datetime:
    return datetime(2023, month, day, 10, tzinfo=UTC)


@dataclass
class County:
    """A county's fold fed event by event, each at the time given."""

    fold: CountyFacts = field(default_factory=CountyFacts)
    community: Community | None = None
    policy: ReviewPolicy | None = None

    def feed(self, aggregate: Any, when: datetime) -> None:
        for event in aggregate.collect_events():
            self.fold.apply(event, self.fold.last_seq + 1, when)

    def action(self, when: datetime, held_on: date = date(2023, 3, 15)) -> Activity:
        assert self.community is not None
        facts = activity_facts(random.Random(7), self.community)
        facts = replace(facts, kind=ActivityKind.SENDING_LESSONS, held_on=held_on)
        recorded = Activity.record(
            id=uuid4(), community=self.community, facts=facts, today=date(2025, 8, 31), by=CLERK
        )
        self.feed(recorded, when)
        return recorded

    def correct(self, activity: Activity, when: datetime) -> None:
        assert self.community is not None
        moved = replace(activity.facts, title=activity.facts.title + "（更正）")
        activity.correct(self.community, moved, "登记有误", date(2025, 8, 31), by=CLERK)
        self.feed(activity, when)

    def outcome(self, as_of: date, mode: EvaluationMode = KNOWN) -> dict[UUID, ExclusionReason]:
        """The spring's excluded records by reason, and counted ones (reason None)."""
        [result] = judge(self.fold, question("2023-spring", as_of, mode)).results
        found: dict[UUID, Any] = {e.record_id: e.reason for e in result.excluded}
        found.update(dict.fromkeys(result.counted))
        return found


def county(*levels: ReviewLevel, applies_from: date | None = None) -> County:
    made = County()
    lead, member = (
        School.register(
            namespace=TENANT,
            name=f"第{i}小学",
            code=f"S{i}",
            stage=SchoolStage.PRIMARY,
            location=SchoolLocation.URBAN,
            district="城关学区",
            by=CLERK,
        )
        for i in (1, 2)
    )
    made.community = Community.form(
        id=uuid4(),
        name="城关教共体",
        type=CommunityType.CO_BUILT,
        lead=lead,
        members=[member],
        starts_on=date(2022, 9, 1),
        ends_on=date(2025, 8, 31),
        agreement="共建协议",
        by=CLERK,
    )
    for aggregate in (lead, member, made.community):
        made.feed(aggregate, at(1, 2))
    source = {**lessons_rule_set(minimum=1), "require_approval": True}
    rules = RuleSet.draft(namespace=TENANT, source=source, template="", by=CLERK)
    rules.validate(CLERK)
    rules.publish(date(2022, 9, 1), date(2024, 8, 31), CLERK)
    made.feed(rules, at(1, 3))
    if levels:
        made.policy = ReviewPolicy.adopt(
            id=policy_id(TENANT), levels=levels, applies_from=applies_from, by=CLERK
        )
        made.feed(made.policy, at(1, 4))
    return made


def test_an_action_counts_once_approved_at_every_level_from_the_last_approval() -> None:
    made = county(SCHOOL, COMMUNITY, COUNTY)
    action = made.action(at(3, 16))
    review = Review.open(activity_id=action.id, levels=(SCHOOL, COMMUNITY, COUNTY), by=CLERK)
    review.approve(SCHOOL, action.version, "", by=CLERK)
    made.feed(review, at(3, 17))
    review.approve(COMMUNITY, action.version, "", by=CLERK)
    made.feed(review, at(3, 18))
    pending = {action.id: ExclusionReason.NOT_APPROVED}
    assert made.outcome(date(2023, 6, 30)) == pending
    assert made.outcome(date(2023, 6, 30), HAPPENED) == pending
    review.approve(COUNTY, action.version, "", by=CLERK)
    made.feed(review, at(3, 25))
    # As known before the county's approval it still waited; from that day, and as happened,
    # it counts.
    assert made.outcome(date(2023, 3, 24)) == pending
    assert made.outcome(date(2023, 3, 25)) == {action.id: None}
    assert made.outcome(date(2023, 6, 30), HAPPENED) == {action.id: None}


def test_fewer_levels_approve_sooner_and_no_levels_count_as_recorded() -> None:
    made = county(SCHOOL)
    action = made.action(at(3, 16))
    review = Review.open(activity_id=action.id, levels=(SCHOOL,), by=CLERK)
    review.approve(SCHOOL, action.version, "", by=CLERK)
    made.feed(review, at(3, 20))
    assert made.outcome(date(2023, 3, 19)) == {action.id: ExclusionReason.NOT_APPROVED}
    assert made.outcome(date(2023, 3, 20)) == {action.id: None}

    free = county()
    counted = free.action(at(3, 16))
    assert free.outcome(date(2023, 3, 16)) == {counted.id: None}
    # Held before the levels apply: counts as recorded; one held after waits.
    later = county(SCHOOL, applies_from=date(2023, 4, 1))
    before = later.action(at(3, 16))
    after = later.action(at(4, 11), held_on=date(2023, 4, 10))
    assert later.outcome(date(2023, 6, 30)) == {
        before.id: None,
        after.id: ExclusionReason.NOT_APPROVED,
    }


def test_a_returned_action_is_excluded_as_returned_until_corrected_and_approved() -> None:
    made = county(SCHOOL, COUNTY)
    action = made.action(at(3, 16))
    review = Review.open(activity_id=action.id, levels=(SCHOOL, COUNTY), by=CLERK)
    review.approve(SCHOOL, action.version, "", by=CLERK)
    review.send_back(COUNTY, action.version, "缺签到表", by=CLERK)
    made.feed(review, at(3, 20))
    assert made.outcome(date(2023, 3, 19)) == {action.id: ExclusionReason.NOT_APPROVED}
    assert made.outcome(date(2023, 3, 20)) == {action.id: ExclusionReason.RETURNED_IN_REVIEW}
    made.correct(action, at(3, 22))
    corrected = made.fold.actions[action.id].versions[-1].id
    review.resubmit((SCHOOL, COUNTY), action.version, "已补", by=CLERK)
    made.feed(review, at(3, 22))
    for level in (SCHOOL, COUNTY):
        review.approve(level, action.version, "", by=CLERK)
    made.feed(review, at(3, 27))
    assert made.outcome(date(2023, 3, 23)) == {
        action.id: ExclusionReason.CORRECTED,
        corrected: ExclusionReason.NOT_APPROVED,
    }
    assert made.outcome(date(2023, 3, 27)) == {
        action.id: ExclusionReason.CORRECTED,
        corrected: None,
    }


def test_a_corrected_approved_action_no_longer_counts_until_approved_again() -> None:
    made = county(SCHOOL, COUNTY)
    action = made.action(at(3, 16))
    review = Review.open(activity_id=action.id, levels=(SCHOOL, COUNTY), by=CLERK)
    for level in (SCHOOL, COUNTY):
        review.approve(level, action.version, "", by=CLERK)
    made.feed(review, at(3, 18))
    made.correct(action, at(4, 2))
    corrected = made.fold.actions[action.id].versions[-1].id
    assert review.needs_reopening(action.version)
    review.reopen((SCHOOL, COUNTY), action.version, by=None)
    made.feed(review, at(4, 2))
    # Until the correction the first version counted; then the new one waits for both levels.
    assert made.outcome(date(2023, 4, 1)) == {
        action.id: None,
        corrected: ExclusionReason.RECORDED_AFTER_AS_OF,
    }
    waiting = {action.id: ExclusionReason.CORRECTED, corrected: ExclusionReason.NOT_APPROVED}
    assert made.outcome(date(2023, 4, 2)) == waiting
    review.approve(SCHOOL, action.version, "", by=CLERK)
    made.feed(review, at(4, 5))
    assert made.outcome(date(2023, 6, 30), HAPPENED) == waiting
    review.approve(COUNTY, action.version, "", by=CLERK)
    made.feed(review, at(4, 9))
    assert made.outcome(date(2023, 4, 8)) == waiting
    assert made.outcome(date(2023, 4, 9)) == {action.id: ExclusionReason.CORRECTED, corrected: None}


@pytest.mark.parametrize("later", [date(2023, 4, 1), None])
def test_a_change_of_levels_moves_actions_no_step_was_taken_on(later: date | None) -> None:
    made = county()
    action = made.action(at(3, 16))
    policy = ReviewPolicy.adopt(id=policy_id(TENANT), levels=(SCHOOL,), applies_from=None, by=CLERK)
    made.feed(policy, at(4, 1))
    assert made.outcome(date(2023, 6, 30)) == {action.id: ExclusionReason.NOT_APPROVED}
    # Levels that no longer cover it (held before they apply, or none): approved from then.
    policy.change(() if later is None else (SCHOOL,), later, by=CLERK)
    made.feed(policy, at(4, 3))
    assert made.outcome(date(2023, 4, 2)) == {action.id: ExclusionReason.NOT_APPROVED}
    assert made.outcome(date(2023, 4, 3)) == {action.id: None}


def test_a_correction_the_levels_no_longer_cover_counts_from_the_correction() -> None:
    made = county(SCHOOL)
    action = made.action(at(3, 16))
    review = Review.open(activity_id=action.id, levels=(SCHOOL,), by=CLERK)
    review.approve(SCHOOL, action.version, "", by=CLERK)
    made.feed(review, at(3, 17))
    assert made.policy is not None
    made.policy.change((), None, by=CLERK)  # the county drops its levels: nothing reopens
    made.feed(made.policy, at(4, 1))
    made.correct(action, at(4, 2))
    corrected = made.fold.actions[action.id].versions[-1].id
    assert made.outcome(date(2023, 4, 1)) == {
        action.id: None,
        corrected: ExclusionReason.RECORDED_AFTER_AS_OF,
    }
    assert made.outcome(date(2023, 4, 2)) == {action.id: ExclusionReason.CORRECTED, corrected: None}
