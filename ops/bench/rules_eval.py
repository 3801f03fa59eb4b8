"""Pure evaluation of a county-year: the 融安 template over 10 communities' records.

    python -m ops.bench.rules_eval [--actions 20000] [--json]

No database: the facts are made in memory (10 communities of a lead and three members, their
actions spread over a school year, some late, voided, corrected or returned in review), then
the `rongan-2022` template judges the school year as known on a day mid-year and as happened,
side by side. The median of three runs each.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from uuid import UUID

import msgspec

from domain.assessment.calendar import Window
from domain.assessment.codes import CommunityRole, EvaluationMode
from domain.assessment.evaluate import evaluate
from domain.assessment.facts import ActionFact, CommunityFact, Facts, Member, SchoolFact
from domain.assessment.templates import load_template
from domain.codes import ActivityMode, CommunityType, SchoolStage, Subject

KINDS = (
    "management_visit", "collective_lesson_prep", "sending_lessons", "synchronous_lesson",
    "teacher_training", "public_lesson", "teaching_research", "work_meeting", "quality_test",
)  # fmt: skip
START = date(2022, 9, 1)


def at(day: date) -> datetime:
    return datetime.combine(day, clock(12), tzinfo=UTC)


def county(actions: int, seed: int = 7) -> Facts:
    rng = random.Random(seed)
    communities: list[CommunityFact] = []
    schools: list[SchoolFact] = []
    found: list[ActionFact] = []
    for c in range(10):
        lead, members = UUID(int=100 * c + 1), [UUID(int=100 * c + m) for m in (2, 3, 4)]
        communities.append(
            CommunityFact(
                UUID(int=c + 1), CommunityType.CO_BUILT, lead,
                tuple(Member(m, CommunityRole.MEMBER, START) for m in members),
                START, date(2024, 8, 31), at(START),
            )
        )  # fmt: skip
        schools += [SchoolFact(s, SchoolStage.PRIMARY, at(START)) for s in (lead, *members)]
    for n in range(actions):
        community = rng.choice(communities)
        held = START + timedelta(days=rng.randrange(365))
        known = held + timedelta(days=rng.choice((0, 0, 1, 3, 20)))
        member = rng.choice(community.members).school_id
        action = ActionFact(
            id=UUID(int=10**6 + n), community_id=community.id, kind=rng.choice(KINDS),
            held_on=held, known_at=at(known), host_school_id=community.lead_school_id,
            participating_school_ids=(member,), place_school_id=member,
            mode=rng.choice(list(ActivityMode)), subjects=(rng.choice(list(Subject)[:11]),),
            approved_at=at(known),
        )  # fmt: skip
        if rng.random() < 0.03:
            action = replace(action, voided_at=at(known + timedelta(days=5)))
        if found and rng.random() < 0.03:
            action = replace(action, corrected_from=rng.choice(found).id)
        found.append(action)
    return Facts(communities=tuple(communities), schools=tuple(schools), actions=tuple(found))


def timed(facts: Facts, as_of: date, mode: EvaluationMode) -> tuple[float, int]:
    rules = load_template("rongan-2022")
    year = Window.of_school_year("2022-2023")
    runs = []
    for _ in range(3):
        began = time.perf_counter()
        results = evaluate(rules, facts, year, as_of, mode)
        runs.append(time.perf_counter() - began)
    return statistics.median(runs), len(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=20_000, help="actions in the year")
    parser.add_argument("--json", action="store_true", help="print one JSON object, last line")
    args = parser.parse_args()
    facts = county(args.actions)
    known_s, known_n = timed(facts, date(2023, 3, 1), EvaluationMode.AS_KNOWN)
    happened_s, happened_n = timed(facts, date(2023, 9, 1), EvaluationMode.AS_HAPPENED)
    rules = len(load_template("rongan-2022").rules)
    print(f"{args.actions:,} actions, 10 communities, rongan-2022 ({rules} rules)")
    print(f"{'':22}{'as known 2023-03-01':>22}{'as happened':>16}")
    print(f"{'seconds (median of 3)':22}{known_s:>22.3f}{happened_s:>16.3f}")
    print(f"{'results':22}{known_n:>22,}{happened_n:>16,}")
    if args.json:
        figures = {
            "asof_s": round(known_s, 4),
            "as_happened_s": round(happened_s, 4),
            "results": happened_n,
        }
        print(msgspec.json.encode(figures).decode())


if __name__ == "__main__":
    main()
