"""County KPIs of a school year, pure (README, "Assessment by community type and county KPIs").

- coverage: compulsory schools (小学, 初中) open on the year's first day that are the lead or a
  member of a community on some day of the year / all of them. School ownership (公办/民办) is not
  recorded, so every compulsory school counts as public;
- types: communities active on some day of the year that are 融合型 or 共建型 / all of them;
- 薄弱校 warnings: a member school (not a lead) of such a community whose pass rate, good rate or
  mean for a subject, grade and term is below the same figure one school year earlier;
- subsidies: due = Σ over the rule set's per-person-month money rules of rate x the months each
  person served in the year (lead to member, or member to lead, as the rule says; capped per
  person at the rule's `months_cap`), in fen; paid = the subsidy entries of those people for a
  month of the year (their payment day when no month is given), reversed ones left out.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.assessment.calendar import Window
from domain.assessment.measures import Money
from domain.assessment.rules import RuleSetVersion
from domain.codes import CommunityType, SchoolStage

COMPULSORY = (SchoolStage.PRIMARY, SchoolStage.JUNIOR)
BUNDLED = (CommunityType.FUSED, CommunityType.CO_BUILT)
FEN = 100
MEASURES = ("pass_rate", "good_rate", "mean")


@dataclass(frozen=True)
class SchoolIn:
    id: UUID
    stage: SchoolStage
    closed_on: date | None


@dataclass(frozen=True)
class Stint:
    school_id: UUID
    joined_on: date
    left_on: date | None  # the first day no longer a member


@dataclass(frozen=True)
class CommunityIn:
    id: UUID
    type: CommunityType
    lead_school_id: UUID
    stints: tuple[Stint, ...]
    starts_on: date
    ends_on: date
    dissolved_on: date | None

    def active_in(self, year: Window) -> bool:
        last = self.ends_on if self.dissolved_on is None else min(self.ends_on, self.dissolved_on)
        return self.starts_on <= year.ends_on and last >= year.starts_on

    def members_in(self, year: Window) -> set[UUID]:
        return {
            s.school_id
            for s in self.stints
            if s.joined_on <= year.ends_on and (s.left_on is None or s.left_on > year.starts_on)
        }


@dataclass(frozen=True)
class Figures:
    pass_rate: int  # hundredths, as the quality database keeps them
    good_rate: int
    mean: int


@dataclass(frozen=True)
class QualityIn:
    school_id: UUID
    subject: str
    grade: int
    term: str
    now: Figures
    year_before: Figures | None


@dataclass(frozen=True)
class WeakSchool:
    school_id: UUID
    community_id: UUID
    subject: str
    grade: int
    term: str
    fell: tuple[str, ...]  # which of MEASURES fell
    now: Figures
    year_before: Figures


@dataclass(frozen=True)
class Placement:
    """A person serving at another school (an assignment) for some days."""

    person_id: UUID
    kind: str
    from_school_id: UUID
    to_school_id: UUID
    starts_on: date
    ends_on: date  # the last day served or planned


@dataclass(frozen=True)
class Payment:
    person_id: UUID | None
    amount_fen: int
    month: date | None
    paid_on: date


@dataclass(frozen=True)
class Subsidies:
    due_fen: int
    paid_fen: int
    persons: int


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def ratio(self) -> float | None:
        return self.part / self.whole if self.whole else None


def coverage(
    schools: Iterable[SchoolIn], communities: Sequence[CommunityIn], year: Window
) -> Share:
    open_ = [
        s
        for s in schools
        if s.stage in COMPULSORY and (s.closed_on is None or s.closed_on > year.starts_on)
    ]
    inside: set[UUID] = set()
    for c in communities:
        if c.active_in(year):
            inside |= {c.lead_school_id, *c.members_in(year)}
    return Share(sum(1 for s in open_ if s.id in inside), len(open_))


def bundled_share(communities: Sequence[CommunityIn], year: Window) -> Share:
    active = [c for c in communities if c.active_in(year)]
    return Share(sum(1 for c in active if c.type in BUNDLED), len(active))


def _fell(now: Figures, before: Figures) -> tuple[str, ...]:
    return tuple(m for m in MEASURES if getattr(now, m) < getattr(before, m))


def warnings(
    communities: Sequence[CommunityIn], quality: Iterable[QualityIn], year: Window
) -> list[WeakSchool]:
    members: dict[UUID, UUID] = {}
    for c in communities:
        if c.active_in(year):
            for school in c.members_in(year) - {c.lead_school_id}:
                members.setdefault(school, c.id)
    found = []
    for q in quality:
        if q.school_id not in members or q.year_before is None:
            continue
        fell = _fell(q.now, q.year_before)
        if fell:
            community = members[q.school_id]
            found.append(
                WeakSchool(
                    q.school_id, community, q.subject, q.grade, q.term, fell, q.now, q.year_before
                )
            )
    return sorted(found, key=lambda w: (str(w.school_id), w.subject, w.grade, w.term))


def _months(p: Placement, year: Window) -> int:
    start, end = max(p.starts_on, year.starts_on), min(p.ends_on, year.ends_on)
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _direction(community: CommunityIn, year: Window, p: Placement) -> str | None:
    members = community.members_in(year)
    lead = community.lead_school_id
    if p.from_school_id == lead and p.to_school_id in members:
        return "lead_to_member"
    if p.from_school_id in members and p.to_school_id == lead:
        return "member_to_lead"
    return None


def subsidies(
    version: RuleSetVersion,
    communities: Sequence[CommunityIn],
    placements: Sequence[Placement],
    payments: Iterable[Payment],
    year: Window,
) -> Subsidies:
    due = 0
    persons: set[UUID] = set()
    for rule in version.rules:
        measure = rule.measure
        if not isinstance(measure, Money) or measure.per != "person_month":
            continue
        months: dict[UUID, int] = {}
        for p in placements:
            if measure.assignment_kind is not None and p.kind != measure.assignment_kind:
                continue
            active = (c for c in communities if c.active_in(year))
            if any(_direction(c, year, p) == measure.direction for c in active):
                months[p.person_id] = months.get(p.person_id, 0) + _months(p, year)
        cap = measure.months_cap or None
        due += sum(measure.amount * FEN * (min(n, cap) if cap else n) for n in months.values())
        persons |= {person for person, n in months.items() if n}
    paid = sum(
        pay.amount_fen
        for pay in payments
        if pay.person_id in persons and year.contains(pay.month or pay.paid_on)
    )
    return Subsidies(due, paid, len(persons))
