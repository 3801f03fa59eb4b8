"""Both times: as known on a date against as happened; late entries, voids, corrections, review."""

from dataclasses import replace
from datetime import date

from domain.assessment.calendar import Window
from domain.assessment.codes import EvaluationMode, ExclusionReason
from domain.assessment.evaluate import in_force, status_of
from domain.assessment.facts import ActionFact
from domain.assessment.outcome import Outcome
from domain.codes import ComplianceStatus
from tests.domain.rules_support import action, at, facts, judge, one, rule, uid, version

S, R = ComplianceStatus, ExclusionReason
RULES = version(
    rule({"type": "count", "min": 2}, counts={"kinds": ["sending_lessons"]}),
    require_approval=True,
    grace_days=7,
)


def approved(n: int, held_on: date, known: date | None = None) -> ActionFact:
    known = known or held_on
    return action(n, "sending_lessons", held_on, known_at=at(known), approved_at=at(known, 18))


def test_a_late_entry_counts_as_happened_and_is_marked_late() -> None:
    found = facts(
        actions=(approved(1, date(2022, 10, 1)), approved(2, date(2022, 11, 1), date(2023, 2, 20)))
    )
    asked = date(2023, 2, 1)
    known = one(judge(RULES, found, asked), "2022-autumn")
    assert (known.done, known.status) == (1, S.MISSED)
    assert known.excluded[0].reason == R.RECORDED_AFTER_AS_OF
    happened = one(
        judge(RULES, found, date(2023, 3, 1), mode=EvaluationMode.AS_HAPPENED), "2022-autumn"
    )
    assert (happened.done, happened.status) == (2, S.MET)
    assert happened.late[0].record_id == uid(1002)
    assert happened.late[0].days == (date(2023, 2, 20) - date(2022, 11, 8)).days
    assert happened.version == "test@1"


def test_a_void_and_a_correction_count_from_when_they_are_known() -> None:
    first = approved(1, date(2022, 10, 1))
    second = replace(approved(2, date(2022, 10, 2)), voided_at=at(date(2022, 12, 1)))
    fixed = replace(approved(3, date(2022, 10, 3), date(2022, 12, 5)), corrected_from=first.id)
    found = facts(actions=(first, second, fixed))
    before = one(judge(RULES, found, date(2022, 11, 30)), "2022-autumn")
    assert set(before.counted) == {first.id, second.id}
    after = one(judge(RULES, found, date(2022, 12, 10)), "2022-autumn")
    assert after.counted == (fixed.id,)
    assert {(e.record_id, e.reason) for e in after.excluded} == {
        (first.id, R.CORRECTED),
        (second.id, R.VOIDED),
    }


def test_review_pending_and_returned_do_not_count() -> None:
    pending = action(1, "sending_lessons", date(2022, 10, 1))
    returned = replace(approved(2, date(2022, 10, 2)), returned_at=at(date(2022, 10, 3)))
    again = replace(
        returned, id=uid(7), returned_at=at(date(2022, 10, 3)), approved_at=at(date(2022, 10, 9))
    )
    result = one(
        judge(RULES, facts(actions=(pending, returned, again)), date(2022, 12, 1)), "2022-autumn"
    )
    assert result.counted == (uid(7),)
    assert {e.reason for e in result.excluded} == {R.NOT_APPROVED, R.RETURNED_IN_REVIEW}


def test_at_risk_by_time_elapsed_and_work_done() -> None:
    period = Window(date(2023, 2, 1), date(2023, 7, 31))
    out = Outcome(required=4, done=1)
    # 1 of 4 done; elapsed after 3 months is about 0.49: 0.25 < 0.49 - 0.2, so at risk.
    assert status_of(out, period, date(2023, 4, 30), 0.2) == S.AT_RISK
    assert status_of(out, period, date(2023, 2, 20), 0.2) == S.OPEN
    assert status_of(out, period, date(2023, 1, 20), 0.2) == S.OPEN
    assert status_of(out, period, date(2023, 8, 1), 0.2) == S.MISSED
    assert status_of(Outcome(required=4, done=4), period, date(2023, 3, 1), 0.2) == S.MET


def test_the_version_in_force_judges() -> None:
    first = version(rule({"type": "count", "min": 1}, counts={"kinds": ["sending_lessons"]}))
    second = version(
        rule({"type": "count", "min": 2}, counts={"kinds": ["sending_lessons"]}),
        version=2,
        in_force={"from": "2023-02-01"},
    )
    assert in_force([first, second], date(2023, 1, 31)) == first
    assert in_force([first, second], date(2023, 7, 31)) == second
    assert in_force([second], date(2023, 1, 1)) is None
