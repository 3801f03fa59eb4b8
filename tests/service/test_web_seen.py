"""The actions a page sees as of a day: known by then or as happened, corrected, voided, late."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import uuid4

from domain.assessment.codes import EvaluationMode
from domain.assessment.facts import ActionFact
from domain.assessment.rules import RuleSetVersion
from domain.codes import Label
from service.web.seen import seen_actions
from service.web.when import When

COMMUNITY, HOST = uuid4(), uuid4()


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


def action(held_on: str, known: str, **changes: object) -> ActionFact:
    fact = ActionFact(
        id=uuid4(),
        community_id=COMMUNITY,
        kind="public_lesson",
        held_on=date.fromisoformat(held_on),
        known_at=at(known),
        host_school_id=HOST,
    )
    return replace(fact, **changes)  # type: ignore[arg-type]


def when(day: str, mode: EvaluationMode = EvaluationMode.AS_KNOWN) -> When:
    return When(date.fromisoformat(day), date(2026, 12, 1), mode, given=True)


def test_as_known_only_what_was_recorded_by_the_day_and_held_by_it() -> None:
    on_time = action("2023-03-01", "2023-03-02")
    late = action("2023-03-01", "2023-05-01")
    later = action("2023-06-01", "2023-06-01")
    records = [on_time, late, later]
    assert set(seen_actions(records, when("2023-04-01"))) == {on_time.id}
    happened = seen_actions(records, when("2023-04-01", EvaluationMode.AS_HAPPENED))
    assert set(happened) == {on_time.id, late.id}  # held by the day, whenever recorded
    assert (happened[on_time.id].late_days, happened[late.id].late_days) == (1, 61)


def test_a_correction_is_the_same_action_and_a_void_counts_from_when_it_was_recorded() -> None:
    first = action("2023-03-01", "2023-03-01")
    corrected = action("2023-03-02", "2023-04-10", corrected_from=first.id, kind="expert_lecture")
    voided = action("2023-03-05", "2023-03-05", voided_at=at("2023-05-01"))
    records = [first, corrected, voided]
    before = seen_actions(records, when("2023-04-01"))
    assert list(before) == [voided.id, first.id]  # the latest held first, as the lists
    assert before[first.id].kind == "public_lesson"
    after = seen_actions(records, when("2023-04-20"))
    assert after[first.id].kind == "expert_lecture"  # its latest version known then
    assert set(seen_actions(records, when("2023-05-02"))) == {first.id}  # voided by then


def test_late_is_after_the_grace_of_the_version_in_force_when_held() -> None:
    rules = RuleSetVersion(
        id="r", county="c", version=1, title=Label("细则", "Rules"),
        in_force_from=date(2022, 9, 1), in_force_to=None, rules=(), grace_days=7,
    )  # fmt: skip
    within, beyond = action("2023-03-01", "2023-03-08"), action("2023-03-01", "2023-03-20")
    seen = seen_actions([within, beyond], when("2023-04-01"), [rules])
    assert (seen[within.id].late_days, seen[beyond.id].late_days) == (0, 12)
