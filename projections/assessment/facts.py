"""The facts adapter: a county's log folded into the plain records evaluation reads.

Pure: it takes each decoded event with the time the store recorded it (`recorded_at`), which
becomes the record's `known_at`, so "as known on D" sees exactly what was recorded by D. An
action's correction is a new record (its id derived from the action's id and version) that
supersedes the one before; every record links back to the resource it came from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from domain.assessment.codes import CommunityRole
from domain.assessment.facts import (
    CommunityFact,
    Facts,
    Member,
    MoneyFact,
    PaperFact,
    ProjectFact,
    QualityFact,
    SchoolFact,
)
from domain.assessment.parse import rule_set
from domain.assessment.rule_set import RuleSet
from domain.codes import MoneyKind
from domain.community.activity import Activity
from domain.community.community import Community
from domain.community.school import School
from domain.money.entry import Entry
from domain.periods import school_year_of, semester_of
from domain.quality.sitting import Sitting
from domain.research.paper import Paper
from domain.research.project import Project
from projections.assessment.actions import Action, action_fact, amended
from projections.assessment.review_facts import HANDLED as REVIEW
from projections.assessment.review_facts import Reviews
from projections.assessment.staff import HANDLERS as STAFF
from projections.assessment.staff import Staff

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date, datetime

    from domain.assessment.rules import RuleSetVersion

# What the rule language calls the money each kind of entry is (docs/rules.md, `money`).
PURPOSES = {MoneyKind.FUNDING: "lead_grant", MoneyKind.SUBSIDY: "dispatch_subsidy"}


@dataclass(frozen=True)
class Published:
    """A published rule-set version and when it was published (it judges from then on)."""

    stream_id: UUID
    label: str
    rules: RuleSetVersion
    published_at: datetime


class Links(Mapping[UUID, str]):
    """Each record's resource path, formatted when first read: most records' are never read."""

    def __init__(self) -> None:
        self._to: dict[UUID, tuple[str, UUID] | str] = {}

    def add(self, record_id: UUID, kind: str, resource_id: UUID) -> None:
        """`record_id` links to `/v1/{kind}/{resource_id}`."""
        self._to[record_id] = (kind, resource_id)

    def __getitem__(self, record_id: UUID) -> str:
        found = self.link(record_id)
        if found is None:
            raise KeyError(record_id)
        return found

    def link(self, record_id: UUID) -> str | None:
        """The record's path, None if it has none (`get` without the mapping's exception)."""
        found = self._to.get(record_id)
        if found is None or isinstance(found, str):
            return found
        kind, resource_id = found
        path = self._to[record_id] = f"/v1/{kind}/{resource_id}"
        return path

    def __iter__(self) -> Iterator[UUID]:
        return iter(self._to)

    def __len__(self) -> int:
        return len(self._to)


@dataclass
class _Community:
    fact: CommunityFact
    members: dict[UUID, list[Member]] = field(default_factory=dict)


@dataclass
class _Project:
    fact: ProjectFact
    stages: list[ProjectFact] = field(default_factory=list)


@dataclass
class CountyFacts:
    """The fold: feed it every event of one county in log order (`apply`), read `facts()`."""

    last_seq: int = 0
    communities: dict[UUID, _Community] = field(default_factory=dict)
    schools: dict[UUID, SchoolFact] = field(default_factory=dict)
    actions: dict[UUID, Action] = field(default_factory=dict)
    projects: dict[UUID, _Project] = field(default_factory=dict)
    papers: dict[UUID, PaperFact] = field(default_factory=dict)
    quality: dict[tuple[UUID, UUID, str, int], QualityFact] = field(default_factory=dict)
    sittings: dict[UUID, Sitting.Held] = field(default_factory=dict)
    money: dict[UUID, list[MoneyFact]] = field(default_factory=dict)
    drafts: dict[UUID, RuleSet.Drafted | RuleSet.Revised] = field(default_factory=dict)
    rule_sets: dict[UUID, str] = field(default_factory=dict)  # stream id -> label
    published: list[Published] = field(default_factory=list)
    links: Links = field(default_factory=Links)  # record id -> its resource's path
    names: dict[UUID, str] = field(default_factory=dict)  # schools' and communities' names
    staff: Staff = field(default_factory=Staff)
    reviews: Reviews = field(default_factory=Reviews)

    def apply(self, event: Any, seq: int, at: datetime) -> None:  # noqa: ANN401 - any event
        self.last_seq = seq
        handler = _HANDLERS.get(type(event))
        if handler is not None:
            handler(self, event, at)
        elif type(event) in STAFF:
            self.staff.apply(event, at)
        if type(event) in REVIEW:  # after the action's own handler: its record exists
            self.reviews.apply(self.actions, event, at)

    def facts(self) -> Facts:
        return Facts(
            communities=tuple(c.fact for c in self.communities.values()),
            schools=tuple(self.schools.values()),
            teachers=tuple(self.staff.teachers.values()),
            assignments=self.staff.assignment_facts(),
            mentorships=tuple(self.staff.mentorships.values()),
            actions=tuple(a for found in self.actions.values() for a in found.versions),
            projects=tuple(s for p in self.projects.values() for s in p.stages),
            papers=tuple(self.papers.values()),
            quality=tuple(self.quality.values()),
            money=tuple(m for entries in self.money.values() for m in entries),
        )


# Schools and communities


def _school(fold: CountyFacts, e: School.Registered, at: datetime) -> None:
    fold.schools[e.originator_id] = SchoolFact(e.originator_id, e.stage, at)
    fold.names[e.originator_id] = e.name


def _renamed(fold: CountyFacts, e: School.Renamed, _: datetime) -> None:
    fold.names[e.originator_id] = e.name


def _formed(fold: CountyFacts, e: Community.Formed, at: datetime) -> None:
    members = {s: [Member(s, CommunityRole.MEMBER, e.starts_on)] for s in e.member_school_ids}
    fact = CommunityFact(e.originator_id, e.type, e.lead_school_id, (), e.starts_on, e.ends_on, at)
    fold.communities[e.originator_id] = _Community(fact, members)
    fold.names[e.originator_id] = e.name
    _members(fold.communities[e.originator_id])


def _members(found: _Community) -> None:
    members = tuple(m for stints in found.members.values() for m in stints)
    found.fact = replace(found.fact, members=members)


def _joined(fold: CountyFacts, e: Community.MemberSchoolJoined, _: datetime) -> None:
    found = fold.communities[e.originator_id]
    found.members.setdefault(e.school_id, []).append(
        Member(e.school_id, CommunityRole.MEMBER, e.joined_on)
    )
    _members(found)


def _left(fold: CountyFacts, e: Community.MemberSchoolLeft, _: datetime) -> None:
    found = fold.communities[e.originator_id]
    stints = found.members[e.school_id]
    stints[-1] = replace(stints[-1], left_on=e.left_on)
    _members(found)


def _dissolved(fold: CountyFacts, e: Community.Dissolved, _: datetime) -> None:
    found = fold.communities[e.originator_id]
    found.fact = replace(found.fact, ends_on=min(found.fact.ends_on, e.dissolved_on))


# Actions


def _recorded(fold: CountyFacts, e: Activity.Recorded, at: datetime) -> None:
    first = action_fact(e.originator_id, e.community_id, e.facts, at)
    fold.actions[e.originator_id] = found = Action([first], e.facts)
    found.refresh()
    fold.links.add(e.originator_id, "activities", e.originator_id)


def _corrected(fold: CountyFacts, e: Activity.Corrected, at: datetime) -> None:
    found = fold.actions[e.originator_id]
    before = found.versions[-1]
    record_id = uuid5(e.originator_id, f"version:{e.originator_version}")
    found.versions.append(action_fact(record_id, before.community_id, e.facts, at, before.id))
    found.facts = e.facts
    found.refresh()
    fold.links.add(record_id, "activities", e.originator_id)


def _voided(fold: CountyFacts, e: Activity.Voided, at: datetime) -> None:
    versions = fold.actions[e.originator_id].versions
    versions[-1] = amended(versions[-1], voided_at=at)


def _signed_in(fold: CountyFacts, e: Activity.SignedIn, _: datetime) -> None:
    found = fold.actions[e.originator_id]
    if found.sign_ins is None:
        found.sign_ins = {}
    found.sign_ins[(e.name, e.school_id)] = e.late
    found.refresh()


def _reflected(fold: CountyFacts, e: Activity.ReflectionSubmitted, _: datetime) -> None:
    found = fold.actions[e.originator_id]
    if found.reflections is None:
        found.reflections = {}
    found.reflections[(e.name, e.school_id)] = len(e.text)
    found.refresh()


# Research


def _applied(fold: CountyFacts, e: Project.Applied, at: datetime) -> None:
    if e.community_id is None:
        return  # rules count a community's projects; one of no community counts for none
    fact = ProjectFact(
        id=e.originator_id,
        community_id=e.community_id,
        owner_school_ids=e.owner_school_ids,
        level=e.level,
        stage="applied",
        on=e.applied_on,
        known_at=at,
        participant_ids=e.participant_ids,
        subject=e.subjects[0] if e.subjects else None,
    )
    fold.projects[e.originator_id] = _Project(fact, [fact])
    fold.links.add(e.originator_id, "research/projects", e.originator_id)


def _stage(fold: CountyFacts, project_id: UUID, stage: str, on: date, at: datetime) -> None:
    found = fold.projects.get(project_id)
    if found is not None:
        found.fact = replace(found.fact, stage=stage, on=on, known_at=at)
        found.stages.append(found.fact)


def _approved(fold: CountyFacts, e: Project.Approved, at: datetime) -> None:
    _stage(fold, e.originator_id, "approved", e.approved_on, at)
    found = fold.projects.get(e.originator_id)
    if found is not None:
        found.stages[-1] = found.fact = replace(found.fact, level=e.level)


def _concluded(fold: CountyFacts, e: Project.Concluded, at: datetime) -> None:
    _stage(fold, e.originator_id, "concluded", e.concluded_on, at)


def _paper(fold: CountyFacts, e: Paper.Recorded, at: datetime) -> None:
    if e.community_id is None:
        return
    fold.papers[e.originator_id] = PaperFact(
        id=e.originator_id,
        community_id=e.community_id,
        school_id=e.school_id,
        person_id=e.author_ids[0] if e.author_ids else e.school_id,
        level=e.level,
        outcome=e.outcome.value,
        on=e.dated_on,
        known_at=at,
    )
    fold.links.add(e.originator_id, "research/papers", e.originator_id)


def _paper_voided(fold: CountyFacts, e: Paper.Voided, _: datetime) -> None:
    # Papers carry no void time in the rule language: a voided paper leaves the facts.
    fold.papers.pop(e.originator_id, None)


# Quality


def _held(fold: CountyFacts, e: Sitting.Held, _: datetime) -> None:
    fold.sittings[e.originator_id] = e


def _results(fold: CountyFacts, e: Sitting.ResultsRecorded, at: datetime) -> None:
    sitting = fold.sittings[e.originator_id]
    semester = semester_of(sitting.held_on)
    period = semester.code if semester is not None else school_year_of(sitting.held_on).code
    for r in e.results:
        key = (e.originator_id, r.school_id, r.subject.value, r.grade)
        fold.quality[key] = QualityFact(
            school_id=r.school_id,
            subject=r.subject,
            grade=r.grade,
            period=period,
            pass_rate=r.pass_rate / 100,
            good_rate=r.good_rate / 100,
            mean=r.mean / 100,
            known_at=at,
        )


# Money


def _entry(fold: CountyFacts, e: Entry.Recorded, at: datetime) -> None:
    fold.money[e.originator_id] = [
        MoneyFact(
            id=e.originator_id,
            purpose=PURPOSES[e.kind],
            amount=e.amount_fen // 100,
            paid_on=e.paid_on,
            known_at=at,
            community_id=e.community_id,
            school_id=e.school_id,
            person_id=e.teacher_id,
        )
    ]
    fold.links.add(e.originator_id, "money/entries", e.originator_id)


def _reversed(fold: CountyFacts, e: Entry.Reversed, at: datetime) -> None:
    # A reversal is money given back on the day it was recorded: the sum before it stays known.
    paid = fold.money[e.originator_id][0]
    back = replace(
        paid,
        id=uuid5(paid.id, "reversal"),
        amount=-paid.amount,
        paid_on=at.date(),
        known_at=at,
    )
    fold.money[e.originator_id].append(back)
    fold.links.add(back.id, "money/entries", e.originator_id)


# Rule sets


def _drafted(fold: CountyFacts, e: RuleSet.Drafted, _: datetime) -> None:
    fold.drafts[e.originator_id] = e
    fold.rule_sets[e.originator_id] = f"{e.rule_set_id}@{e.version}"


def _revised(fold: CountyFacts, e: RuleSet.Revised, _: datetime) -> None:
    fold.drafts[e.originator_id] = e


def _published(fold: CountyFacts, e: RuleSet.Published, at: datetime) -> None:
    parsed = rule_set(json.loads(fold.drafts[e.originator_id].source))
    rules = replace(parsed, in_force_from=e.in_force_from, in_force_to=e.in_force_to)
    label = fold.rule_sets[e.originator_id]
    fold.published.append(Published(e.originator_id, label, rules, at))


_HANDLERS: dict[type, Any] = {
    School.Registered: _school,
    School.Renamed: _renamed,
    Community.Formed: _formed,
    Community.MemberSchoolJoined: _joined,
    Community.MemberSchoolLeft: _left,
    Community.Dissolved: _dissolved,
    Activity.Recorded: _recorded,
    Activity.Corrected: _corrected,
    Activity.Voided: _voided,
    Activity.SignedIn: _signed_in,
    Activity.ReflectionSubmitted: _reflected,
    Project.Applied: _applied,
    Project.Approved: _approved,
    Project.Concluded: _concluded,
    Paper.Recorded: _paper,
    Paper.Voided: _paper_voided,
    Sitting.Held: _held,
    Sitting.ResultsRecorded: _results,
    Entry.Recorded: _entry,
    Entry.Reversed: _reversed,
    RuleSet.Drafted: _drafted,
    RuleSet.Revised: _revised,
    RuleSet.Published: _published,
}

HANDLED = tuple(dict.fromkeys((*_HANDLERS, *STAFF, *REVIEW)))
