"""The measures a rule can take (RULES-CATALOGUE §2): what is required, and of what."""

from dataclasses import dataclass

from domain.assessment.codes import CommunityRole, PeriodGrain
from domain.assessment.predicates import Predicate
from domain.codes import AssignmentKind, AssignmentRole, CommunityType, Post, SchoolStage, Subject


@dataclass(frozen=True)
class Threshold:
    """≥ min, ≤ max, or both (= n is min = max); `by_stage` overrides min per school stage."""

    min: int = 0
    max: int | None = None
    by_stage: tuple[tuple[SchoolStage, int], ...] = ()

    def minimum(self, stage: SchoolStage | None) -> int:
        return next((n for s, n in self.by_stage if s == stage), self.min)


@dataclass(frozen=True)
class Count:
    """Shapes 1-4, 14-21, 25, 26: how many counted records."""

    threshold: Threshold


@dataclass(frozen=True)
class Roster:
    """The persons a per-person quota or a coverage is over."""

    school_role: CommunityRole | None = None  # teachers of the schools of this role
    assignment_kind: AssignmentKind | None = None  # or the holders of these assignments
    predicate: Predicate | None = None


@dataclass(frozen=True)
class PerPerson:
    """Shape 5: each person of the roster reaches the threshold (as presenter, participant...)."""

    roster: Roster
    threshold: Threshold
    role: str = "presenter"  # presenter · participant · reflection


@dataclass(frozen=True)
class Coverage:
    """Shape 6: every subject of a set, or every person of a roster, covered in the period."""

    of: str  # subjects · teachers
    subjects: tuple[Subject, ...] = ()  # empty: the scoped school's stage's subjects
    roster: Roster | None = None


@dataclass(frozen=True)
class Ratio:
    """Shape 7: a share of a population of schools or communities (county scope)."""

    population: str  # schools · communities
    min_share: float
    public: bool | None = None
    compulsory: bool | None = None
    stages: tuple[SchoolStage, ...] = ()
    in_community: bool = False  # numerator: schools in some active community
    flag: str = ""  # numerator: schools with this flag
    types: tuple[CommunityType, ...] = ()  # numerator: communities of these types


@dataclass(frozen=True)
class Trend:
    """Shape 8: each measure rises over the previous period by more than `min_rise`."""

    measures: tuple[str, ...]  # pass_rate · good_rate · mean
    min_rise: float = 0.0


@dataclass(frozen=True)
class Eligibility:
    """Shape 9: every person of the assignments (or mentors) meets the predicate."""

    of: str  # assignments · mentors
    person: Predicate
    assignment_kind: AssignmentKind | None = None
    at_host: bool = False  # mentors: teaching at the apprentice's host school
    direction: str = ""  # lead_to_member · member_to_lead · empty: both


@dataclass(frozen=True)
class RoleQuota:
    role: AssignmentRole
    min: int
    max: int | None
    posts: tuple[Post, ...] = ()  # one of these held at the host


@dataclass(frozen=True)
class Staffing:
    """Shape 10: roles x numbers in post during the period, with posts and terms."""

    assignment_kind: AssignmentKind
    direction: str  # lead_to_member · member_to_lead
    roles: tuple[RoleQuota, ...]
    term_days: int = 0  # planned term at least this long
    replace_after_days: int = 0  # a replacement before this needs a reason


@dataclass(frozen=True)
class Symmetry:
    """Shape 11: both sides within [min_each, max_each]; or per subject equal both ways."""

    source: str  # actions (hosted by each side) · assignments (sent each way)
    by: str = "count"  # count · subject
    min_each: int = 1
    max_each: int | None = None
    assignment_kind: AssignmentKind | None = None


@dataclass(frozen=True)
class Rotation:
    """Shape 12: the host side of each sub-period follows `order`, cycled."""

    every: PeriodGrain
    order: tuple[str, ...]  # lead · member


@dataclass(frozen=True)
class Money:
    """Shape 27: due = rate x person-months (capped per year) or a fixed amount; done = paid."""

    purpose: str
    amount: int
    per: str  # person_month · lead_school
    months_cap: int = 0
    assignment_kind: AssignmentKind | None = None
    direction: str = "lead_to_member"


@dataclass(frozen=True)
class FollowUp:
    """Shape 22: every counted record has a follow-up of these kinds within `within_days`."""

    kinds: tuple[str, ...]
    within_days: int


Measure = (
    Count
    | PerPerson
    | Coverage
    | Ratio
    | Trend
    | Eligibility
    | Staffing
    | Symmetry
    | Rotation
    | Money
    | FollowUp
)
