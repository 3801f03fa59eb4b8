"""Which published version judges which period, and the results it gives, as known or happened.

A period is judged by the version in force on its last day (the latest to come into force);
as known on D, only versions published by D count, so an auditor sees the judge of that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.assessment.codes import EvaluationMode
from domain.assessment.evaluate import evaluate, in_force
from domain.assessment.selection import view_of
from projections.collection import no_collection

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from domain.assessment.calendar import Window
    from domain.assessment.facts import Facts
    from domain.assessment.outcome import Result
    from domain.assessment.rules import RuleSetVersion
    from projections.assessment.facts import Published


@dataclass(frozen=True)
class Question:
    asked: Window
    as_of: date
    mode: EvaluationMode = EvaluationMode.AS_KNOWN


def known_versions(published: Sequence[Published], question: Question) -> list[Published]:
    if question.mode == EvaluationMode.AS_HAPPENED:
        return list(published)
    return [p for p in published if p.published_at.date() <= question.as_of]


def judged(versions: Sequence[RuleSetVersion], facts: Facts, question: Question) -> list[Result]:
    """Every result of the periods overlapping the asked window, each by the version judging it."""
    found: list[Result] = []
    with no_collection():
        view = view_of(facts, question.as_of, question.mode)  # the same for every version
        for version in versions:
            results = evaluate(
                version, facts, question.asked, question.as_of, question.mode, view=view
            )
            found.extend(r for r in results if in_force(versions, r.period.ends_on) is version)
    return found


def results_of(published: Sequence[Published], facts: Facts, question: Question) -> list[Result]:
    return judged([p.rules for p in known_versions(published, question)], facts, question)
