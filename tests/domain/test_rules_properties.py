"""Properties of evaluation over random histories: corrections, voids, reviews, late entries."""

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.assessment.codes import EvaluationMode, ExclusionReason
from domain.assessment.facts import ActionFact, Facts
from domain.assessment.outcome import Result
from domain.codes import ActivityMode, ComplianceStatus, Subject
from tests.domain.rules_support import (
    LEAD,
    MEMBER_A,
    MEMBER_B,
    action,
    at,
    facts,
    judge,
    rule,
    version,
)

KINDS = ("sending_lessons", "synchronous_lesson", "teaching_research")
FIRST = date(2022, 9, 1)
RULES = version(
    rule(
        {"type": "count", "min": 2},
        id="count",
        counts={"kinds": ["sending_lessons"], "substitute": {"kinds": ["synchronous_lesson"]}},
    ),
    rule(
        {"type": "count", "exactly": 1},
        id="exact",
        scope="each_member",
        counts={"kinds": ["teaching_research"], "joint": True},
    ),
    rule(
        {"type": "count", "min": 1},
        id="monthly",
        period={"grain": "month"},
        counts={"kinds": ["teaching_research"], "modes": ["on_site"]},
    ),
    rule(
        {"type": "coverage", "of": "subjects", "subjects": ["chinese", "math", "art"]},
        id="cover",
        period={"grain": "school_year"},
        counts={"kinds": ["sending_lessons"]},
    ),
    rule(
        {"type": "rotation", "every": "month", "order": ["lead", "member"]},
        id="rotate",
        counts={"kinds": ["teaching_research"]},
    ),
    rule(
        {"type": "follow_up", "kinds": ["teaching_research"], "within_days": 10},
        id="follow",
        counts={"kinds": ["synchronous_lesson"]},
    ),
    require_approval=True,
)


@st.composite
def histories(draw: st.DrawFn) -> Facts:
    actions: list[ActionFact] = []
    for n in range(draw(st.integers(0, 25))):
        held = FIRST + timedelta(days=draw(st.integers(0, 364)))
        known = held + timedelta(days=draw(st.integers(0, 90)))
        found = action(
            n,
            draw(st.sampled_from(KINDS)),
            held,
            host=draw(st.sampled_from((LEAD, MEMBER_A, MEMBER_B))),
            known_at=at(known),
            mode=draw(st.sampled_from(list(ActivityMode))),
            subjects=tuple(
                draw(
                    st.sets(
                        st.sampled_from((Subject.CHINESE, Subject.MATH, Subject.ART)), max_size=2
                    )
                )
            ),
            substitution_reason=draw(st.sampled_from(("", "暴雨"))),
        )
        review = draw(st.integers(0, 3))
        if review >= 1:
            found = replace(found, approved_at=at(known + timedelta(days=draw(st.integers(0, 20)))))
        if review == 3:
            found = replace(found, returned_at=at(known + timedelta(days=draw(st.integers(0, 30)))))
        if draw(st.booleans()) and draw(st.booleans()):
            found = replace(found, voided_at=at(known + timedelta(days=draw(st.integers(0, 60)))))
        if actions and draw(st.integers(0, 4)) == 0:
            old = draw(st.sampled_from(actions))
            found = replace(
                found, corrected_from=old.id, known_at=max(found.known_at, old.known_at)
            )
        if actions and found.kind == "teaching_research" and draw(st.booleans()):
            found = replace(found, follow_up_of=draw(st.sampled_from(actions)).id)
        actions.append(found)
    return facts(actions=tuple(actions))


def known_by(found: Facts, day: date) -> Facts:
    """The history as it stood at the end of `day`: later records and later changes left out."""

    def cut(stamp: datetime | None) -> datetime | None:
        return stamp if stamp is not None and stamp.date() <= day else None

    kept = tuple(
        replace(
            a,
            voided_at=cut(a.voided_at),
            approved_at=cut(a.approved_at),
            returned_at=cut(a.returned_at),
        )
        for a in found.actions
        if a.known_at.date() <= day
    )
    return replace(found, actions=kept)


def comparable(results: list[Result]) -> list[tuple[object, ...]]:
    return [
        (
            r.rule_id, r.school_id, r.period.code, r.required, r.done, r.status, r.counted, r.late,
            tuple(e for e in r.excluded if e.reason != ExclusionReason.RECORDED_AFTER_AS_OF),
        )
        for r in results
    ]  # fmt: skip


days = st.integers(0, 420).map(lambda n: FIRST + timedelta(days=n))


@settings(max_examples=60, deadline=None)
@given(histories(), days)
def test_as_known_on_d_is_as_happened_over_what_was_recorded_by_d(found: Facts, day: date) -> None:
    known = judge(RULES, found, day)
    replayed = judge(RULES, known_by(found, day), day, mode=EvaluationMode.AS_HAPPENED)
    assert comparable(known) == comparable(replayed)


@settings(max_examples=60, deadline=None)
@given(histories(), days)
def test_every_relevant_record_is_counted_or_excluded_once_and_statuses_agree(
    found: Facts, day: date
) -> None:
    for result in judge(RULES, found, day, mode=EvaluationMode.AS_HAPPENED):
        ids = list(result.counted) + [e.record_id for e in result.excluded]
        if result.rule_id in {"count", "exact", "monthly", "cover"}:
            assert len(ids) == len(set(ids))
            assert result.done == len(result.counted) or result.rule_id == "cover"
        if result.status == ComplianceStatus.MET:
            assert result.done >= result.required
        if day > result.period.ends_on:
            assert result.status in {ComplianceStatus.MET, ComplianceStatus.MISSED}
        assert {late.record_id for late in result.late} <= set(result.counted)
        assert all(late.days > 0 for late in result.late)
        assert result.version == "test@1"


@settings(max_examples=40, deadline=None)
@given(histories(), days)
def test_one_more_valid_record_never_lowers_a_minimum_count(found: Facts, day: date) -> None:
    extra = action(999, "sending_lessons", min(day, date(2023, 8, 31)), approved_at=at(FIRST))
    before = {
        (r.period.code, r.school_id): r.done
        for r in judge(RULES, found, day)
        if r.rule_id == "count"
    }
    more = replace(found, actions=(*found.actions, replace(extra, known_at=at(FIRST))))
    after = {
        (r.period.code, r.school_id): r.done
        for r in judge(RULES, more, day)
        if r.rule_id == "count"
    }
    assert all(after[key] >= done for key, done in before.items())
    assert sum(after.values()) >= sum(before.values())
