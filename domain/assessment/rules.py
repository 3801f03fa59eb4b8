"""The rule language: a rule-set version, its rules, and what each rule counts and requires.

`docs/rules.md` gives the JSON form of every part; `parse.py` reads it.
"""

from dataclasses import dataclass, field
from datetime import date

from domain.assessment.codes import CommunityRole, PeriodGrain, Strictness
from domain.assessment.measures import Measure
from domain.assessment.predicates import Predicate
from domain.codes import (
    ActivityMode,
    AssessmentGrade,
    CommunityType,
    ResearchLevel,
    SchoolStage,
)
from domain.label import Label

ASSESSORS = (
    "bureau",
    "supervision_office",
    "research_office",
    "host_school",
    "lead_school",
    "both_counties",
)
SCOPES = ("community", "each_member", "lead", "county")
SIDES = ("lead", "member", "any")
POSITIONS = ("start", "middle", "end", "before_start")
SOURCES = ("actions", "projects", "papers")
OWNERS = ("member", "joint", "any")


@dataclass(frozen=True)
class Source:
    """Where in its plan a rule comes from: `001 篇四`, clause `(一)1`, the words quoted."""

    plan: str
    clause: str
    quote: str = ""


@dataclass(frozen=True)
class AppliesTo:
    community_types: tuple[CommunityType, ...] = ()  # empty: every type
    roles: tuple[CommunityRole, ...] = ()  # the roles of the schools the rule is about
    stages: tuple[SchoolStage, ...] = ()  # the stages of the scoped school


@dataclass(frozen=True)
class PeriodSpec:
    grain: PeriodGrain
    starts_on: date | None = None  # a window's
    ends_on: date | None = None
    phase: str = ""  # a phase's name
    months: tuple[int, ...] = ()  # month grain: only these months (a schedule)
    teaching_only: bool = False  # weeks and fortnights: only those inside a semester


@dataclass(frozen=True)
class Substitute:
    """Another kind or mode that counts too, only with a recorded reason when `needs_reason`."""

    kinds: tuple[str, ...] = ()
    modes: tuple[ActivityMode, ...] = ()
    needs_reason: bool = True


@dataclass(frozen=True)
class Position:
    part: str  # start · middle · end · before_start
    days: int


@dataclass(frozen=True)
class Counts:
    """Which records count: their source and kind, and the conditions each must meet."""

    source: str = "actions"
    kinds: tuple[str, ...] = ()
    modes: tuple[ActivityMode, ...] = ()
    substitute: Substitute | None = None
    host: str = "any"  # which side hosts it
    place: str = "any"  # which side it takes place at
    joint: bool = False  # both sides take part
    min_evidence: int = 0
    sign_in_sheet: bool = False
    all_present: bool = False  # present + written leave = expected
    no_late: bool = False  # nobody late or leaving early
    min_reflection: int = 0  # characters of each reflection
    reflection_each: bool = False  # every participant has one
    position: Position | None = None
    presenters: Predicate | None = None
    distinct_presenter_schools: int = 0  # 同课异构: presenters of this many schools
    level_min: ResearchLevel | None = None
    stages: tuple[str, ...] = ()  # project stages
    outcomes: tuple[str, ...] = ()  # paper outcomes
    owner: str = "any"
    theme: str = ""
    member_participant: bool = False  # a member school's teacher takes part (projects)


@dataclass(frozen=True)
class Score:
    points: float = 0
    partial: bool = False  # points by the fraction done when not met


@dataclass(frozen=True)
class Rule:
    id: str
    title: Label
    source: Source
    measure: Measure
    period: PeriodSpec
    strictness: Strictness = Strictness.HARD
    applies_to: AppliesTo = field(default_factory=AppliesTo)
    scope: str = "community"
    counts: Counts = field(default_factory=Counts)
    score: Score = field(default_factory=Score)
    assessor: str = "bureau"
    covers: tuple[str, ...] = ()  # other catalogue rows this rule also expresses


@dataclass(frozen=True)
class Band:
    grade: AssessmentGrade
    min_score: float


@dataclass(frozen=True)
class Funding:
    grade: AssessmentGrade
    amount: int


@dataclass(frozen=True)
class Unexpressed:
    """A catalogue rule the template does not express, and why."""

    id: str
    reason: str


@dataclass(frozen=True)
class Weights:
    """共建型 bundling: the lead's score from its own results and from its members' (sum 1)."""

    lead_own: float = 0.3
    members: float = 0.7


@dataclass(frozen=True)
class RuleSetVersion:
    id: str
    county: str
    version: int
    title: Label
    in_force_from: date
    in_force_to: date | None
    rules: tuple[Rule, ...]
    bands: tuple[Band, ...] = ()
    weights: Weights = field(default_factory=Weights)
    funding: tuple[Funding, ...] = ()
    grace_days: int = 7  # a record entered later than this after it happened is late (补录)
    at_risk_margin: float = 0.2
    require_approval: bool = False
    target_credit: float = 0.5  # share of the points a missed target still earns
    unexpressed: tuple[Unexpressed, ...] = ()
    plan: str = ""

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"

    def grade_for(self, score: float) -> AssessmentGrade | None:
        """The first band (highest first) whose minimum the score reaches."""
        return next((band.grade for band in self.bands if score >= band.min_score), None)

    def funding_for(self, grade: AssessmentGrade) -> int | None:
        return next((f.amount for f in self.funding if f.grade == grade), None)

    def in_force_on(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)
