"""What evaluation answers: per community x rule x period, required, done, status and why."""

from dataclasses import dataclass, field
from uuid import UUID

from domain.assessment.calendar import Window
from domain.assessment.codes import ExclusionReason, Strictness
from domain.codes import ComplianceStatus


@dataclass(frozen=True)
class Excluded:
    record_id: UUID
    reason: ExclusionReason


@dataclass(frozen=True)
class Late:
    """A counted record entered after the rule set's grace (补录), by `days`."""

    record_id: UUID
    days: int


@dataclass
class Outcome:
    """A measure's figures before the status: `final` when no later record can mend a shortfall."""

    required: int
    done: int
    maximum: int | None = None
    counted: list[UUID] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    late: list[Late] = field(default_factory=list)
    final: bool = False


@dataclass(frozen=True)
class Result:
    rule_id: str
    community_id: UUID | None  # None: a county-wide rule
    school_id: UUID | None  # the member (or lead) school a per-school rule judged
    period: Window
    required: int
    done: int
    maximum: int | None
    status: ComplianceStatus
    counted: tuple[UUID, ...]
    excluded: tuple[Excluded, ...]
    late: tuple[Late, ...]
    version: str  # rule-set id@version
    strictness: Strictness
    points: float  # what the rule is worth here (0 when not applicable)
    score: float
    assessor: str
