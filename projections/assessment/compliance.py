"""Compliance as known now, kept as rows: what a batch of events touched, judged again.

The runner keeps a county's facts folded (`CountyFacts`) and, at the end of each batch, judges
again only the communities whose facts the batch changed (an action, its review, a project or a
paper names its community), and everything when it changed what every community reads (schools,
staff, money, quality, rule sets, review levels, or any event the fold gained since).
County-wide rules are judged at every batch. Each row is one result of `judge_now`: the same as
the pure evaluation of today.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

import msgspec

from domain.assessment.calendar import Window
from domain.assessment.codes import EvaluationMode, ExclusionReason, Strictness
from domain.assessment.outcome import Excluded, Late, Result
from domain.codes import ComplianceStatus
from domain.community.activity import Activity
from domain.community.community import Community
from domain.periods import EARLIEST, LATEST
from domain.research.paper import Paper
from domain.research.project import Project
from domain.review.review import Review
from projections.assessment.judge import Question, judged, known_versions
from projections.collection import no_collection

if TYPE_CHECKING:
    from collections.abc import Iterable

    from domain.assessment.rules import RuleSetVersion
    from domain.label import Label
    from projections.assessment.facts import CountyFacts, Links

TABLE = "compliance_results"
JUDGING = 3  # the evaluation's own version: rows judged by another are judged again
# 2: excluded and late records by kind in the rule's order (1: a set's, which varied by process)
# 3: a record's reference stored as an array ([id, href, reason]), not an object
ALL_TIME = Window(EARLIEST, LATEST, "all")
COUNTY = "county"  # the community key of a county-wide rule's result


# The rows and their references hold no reference cycles (ids, text, tuples of these): the
# cyclic collector need not track them (`gc=False`), so the rows the runner's judge keeps for
# each county (some 100,000 objects a county-year) are never walked by a full collection.
# A reference is stored as a JSON array (`array_like`): a county-year's rows name some 70,000
# records, and the field names were most of their bytes.


class Title(msgspec.Struct, frozen=True, gc=False):
    zh: str
    en: str


class RecordRef(msgspec.Struct, frozen=True, kw_only=True, gc=False, array_like=True):
    record_id: UUID
    href: str | None


class ExcludedRef(RecordRef, frozen=True, kw_only=True, gc=False, array_like=True):
    reason: ExclusionReason


class LateRef(RecordRef, frozen=True, kw_only=True, gc=False, array_like=True):
    days: int


class ComplianceRow(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One result as known on `as_of` (the county's row in compliance_judged says which day)."""

    community_key: str  # the community's id, or "county"
    rule_id: str
    period: str
    school_key: str  # the school's id for a per-school result, else ""
    community_id: UUID | None
    school_id: UUID | None
    starts_on: date
    ends_on: date
    version: str  # the rule-set version that judged (id@number)
    title: Title
    status: ComplianceStatus
    required: int
    done: int
    maximum: int | None
    strictness: Strictness
    points: float
    score: float
    assessor: str
    counted: tuple[RecordRef, ...]
    excluded: tuple[ExcludedRef, ...]
    late: tuple[LateRef, ...]


def community_key(community_id: UUID | None) -> str:
    return COUNTY if community_id is None else str(community_id)


def row_of_result(
    result: Result,
    title: Label | None,
    links: Links,
    refs: dict[object, Any] | None = None,
) -> ComplianceRow:
    """The row of `result`; `refs` shares equal record references between rows (fewer objects).

    Their keys hold the record's number (`UUID.int`: a UUID hashes in Python), and a
    reference's link is formatted only when it is first made.
    """
    made: dict[object, Any] = {} if refs is None else refs
    known = made.get

    def counted(i: UUID) -> RecordRef:
        found = known(i.int)
        if found is None:
            found = made[i.int] = RecordRef(record_id=i, href=links.link(i))
        return cast("RecordRef", found)

    def excluded(e: Excluded) -> ExcludedRef:
        key = (e.record_id.int, e.reason)
        found = known(key)
        if found is None:
            i = e.record_id
            found = made[key] = ExcludedRef(record_id=i, href=links.link(i), reason=e.reason)
        return cast("ExcludedRef", found)

    def late(x: Late) -> LateRef:
        key = (x.record_id.int, x.days)
        found = known(key)
        if found is None:
            i = x.record_id
            found = made[key] = LateRef(record_id=i, href=links.link(i), days=x.days)
        return cast("LateRef", found)

    return ComplianceRow(
        community_key=community_key(result.community_id),
        rule_id=result.rule_id,
        period=result.period.code,
        school_key="" if result.school_id is None else str(result.school_id),
        community_id=result.community_id,
        school_id=result.school_id,
        starts_on=result.period.starts_on,
        ends_on=result.period.ends_on,
        version=result.version,
        title=Title(title.zh, title.en) if title is not None else Title(result.rule_id, ""),
        status=result.status,
        required=result.required,
        done=result.done,
        maximum=result.maximum,
        strictness=result.strictness,
        points=result.points,
        score=result.score,
        assessor=result.assessor,
        counted=tuple(map(counted, result.counted)),
        excluded=tuple(map(excluded, result.excluded)),
        late=tuple(map(late, result.late)),
    )


def result_of_row(row: ComplianceRow) -> Result:
    return Result(
        rule_id=row.rule_id,
        community_id=row.community_id,
        school_id=row.school_id,
        period=Window(row.starts_on, row.ends_on, row.period),
        required=row.required,
        done=row.done,
        maximum=row.maximum,
        status=row.status,
        counted=tuple(r.record_id for r in row.counted),
        excluded=tuple(Excluded(e.record_id, e.reason) for e in row.excluded),
        late=tuple(Late(x.record_id, x.days) for x in row.late),
        version=row.version,
        strictness=row.strictness,
        points=row.points,
        score=row.score,
        assessor=row.assessor,
    )


def links_of(row: ComplianceRow) -> dict[UUID, str]:
    refs: Iterable[RecordRef] = (*row.counted, *row.excluded, *row.late)
    return {r.record_id: r.href for r in refs if r.href is not None}


class Touched:
    """What a batch changed: some communities' facts, or what every community reads."""

    def __init__(self) -> None:
        self.every = False
        self.communities: set[UUID] = set()

    def add(self, fold: CountyFacts, event: Any) -> None:  # noqa: ANN401 - any event
        """Notes what `event` changes; call it before the fold applies it."""
        if not self.every:
            found = _community_of(fold, event)
            if found is _EVERY:
                self.every = True
            elif isinstance(found, UUID):
                self.communities.add(found)

    @property
    def part(self) -> set[UUID] | None:
        """The communities to judge again (None: every one)."""
        return None if self.every else self.communities


_EVERY = object()


def _community_of(fold: CountyFacts, event: Any) -> object:  # noqa: ANN401, PLR0911 - by kind
    """The community whose facts `event` changes, None for none, _EVERY for all."""
    kind = type(event)
    if kind is Activity.Recorded:
        return event.community_id
    if isinstance(event, Activity.Event):
        action = fold.actions.get(event.originator_id)
        return _EVERY if action is None else action.versions[-1].community_id
    if kind is Project.Applied or kind is Paper.Recorded:
        return event.community_id  # of no community (None): the rules count it for none
    if isinstance(event, Project.Event):
        project = fold.projects.get(event.originator_id)
        return None if project is None else project.fact.community_id
    if isinstance(event, Paper.Event):
        paper = fold.papers.get(event.originator_id)
        return None if paper is None else paper.community_id
    if isinstance(event, Community.Event):
        return event.originator_id
    if isinstance(event, Review.Event):  # a step of one action's review: its community
        activity_id = (
            event.activity_id
            if isinstance(event, Review.Opened)
            else fold.reviews.reviewed.get(event.originator_id)
        )
        action = None if activity_id is None else fold.actions.get(activity_id)
        return None if action is None else action.versions[-1].community_id
    return _EVERY


def _county_rules(version: RuleSetVersion) -> RuleSetVersion:
    return replace(version, rules=tuple(r for r in version.rules if r.scope == "county"))


def judge_now(fold: CountyFacts, today: date, part: set[UUID] | None = None) -> list[Result]:
    """Every result of all time as known `today` (`part`: those communities' and the county's)."""
    q = Question(ALL_TIME, today, EvaluationMode.AS_KNOWN)
    versions = [p.rules for p in known_versions(fold.published, q)]
    facts = fold.facts()
    if part is None:
        return judged(versions, facts, q)
    county = judged([_county_rules(v) for v in versions], facts, q)
    # A community's results read its own actions, projects and papers, and what all share.
    # (Its id's number: a UUID hashes in Python, and every action is asked.)
    numbers = {c.int for c in part}
    mine = replace(
        facts,
        communities=tuple(c for c in facts.communities if c.id.int in numbers),
        actions=tuple(a for a in facts.actions if a.community_id.int in numbers),
        projects=tuple(p for p in facts.projects if p.community_id.int in numbers),
        papers=tuple(p for p in facts.papers if p.community_id.int in numbers),
    )
    return county + [r for r in judged(versions, mine, q) if r.community_id is not None]


def known_labels(fold: CountyFacts, today: date) -> list[str]:
    """The published versions known `today`, as the judgement lists them."""
    q = Question(ALL_TIME, today, EvaluationMode.AS_KNOWN)
    return [p.rules.label for p in known_versions(fold.published, q)]


def rule_titles(fold: CountyFacts) -> dict[tuple[str, str], Label]:
    return {(p.label, r.id): r.title for p in fold.published for r in p.rules.rules}


def rows_of(results: Iterable[Result], fold: CountyFacts) -> list[ComplianceRow]:
    titles = rule_titles(fold)
    refs: dict[object, Any] = {}
    with no_collection():  # the rows stay until written: no cyclic scans over them meanwhile
        return [
            row_of_result(r, titles.get((r.version, r.rule_id)), fold.links, refs) for r in results
        ]
