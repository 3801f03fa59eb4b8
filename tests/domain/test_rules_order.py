"""A result lists its excluded and late records in one order in every process.

By kind in the rule's order, then by day: a set of kinds would iterate in the order of the
strings' hashes, which differ from process to process (the runner's judge and a route's replay
run in different ones).
"""

from datetime import date

from domain.assessment.codes import ExclusionReason
from tests.domain.rules_support import action, at, facts, judge, one, rule, uid, version

KINDS = ["teacher_training", "public_lesson", "sending_lessons", "management_visit"]


def test_excluded_and_late_records_follow_the_rules_kinds_then_the_days() -> None:
    rules = version(rule({"type": "count", "min": 1}, counts={"kinds": KINDS}))
    actions = []
    for n, kind in enumerate(reversed(KINDS)):
        day = date(2022, 10, 20 - n)
        actions.append(action(n, kind, day, voided_at=at(day)))
        actions.append(action(10 + n, kind, day, known_at=at(date(2022, 12, 1))))  # late
    results = judge(rules, facts(actions=tuple(actions)), date(2023, 3, 1))
    found = one(results, "2022-autumn")
    # action n has kind KINDS[3 - n]: in the rule's order, the kinds' actions are 3, 2, 1, 0
    assert [e.record_id for e in found.excluded] == [uid(1000 + n) for n in (3, 2, 1, 0)]
    assert {e.reason for e in found.excluded} == {ExclusionReason.VOIDED}
    assert [x.record_id for x in found.late] == [uid(1010 + n) for n in (3, 2, 1, 0)]
