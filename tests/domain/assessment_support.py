"""Hand-made evaluation results for the assessment tests."""

from uuid import UUID

from domain.assessment.calendar import Window
from domain.assessment.codes import Strictness
from domain.assessment.outcome import Result
from domain.assessment.rules import RuleSetVersion
from domain.codes import ComplianceStatus
from tests.domain.rules_support import COMMUNITY, rule, version

AUTUMN = Window.of_semester("2022-autumn")
SPRING = Window.of_semester("2023-spring")


def rules_of(*points: float, **fields: object) -> RuleSetVersion:
    """A version of rules R1, R2, … worth the points given, bands 90/60."""
    return version(
        *(
            rule({"type": "count", "min": 1}, id=f"R{n}", score={"points": p})
            for n, p in enumerate(points, start=1)
        ),
        bands=[
            {"grade": "excellent", "min_score": 90},
            {"grade": "pass", "min_score": 60},
            {"grade": "fail", "min_score": 0},
        ],
        funding=[{"grade": "excellent", "amount": 12000}, {"grade": "pass", "amount": 10000}],
        **fields,
    )


def result(
    rule_id: str,
    status: ComplianceStatus,
    points: float,
    score: float | None = None,
    *,
    school: UUID | None = None,
    period: Window = AUTUMN,
    community: UUID | None = COMMUNITY,
) -> Result:
    if score is None:
        score = points if status == ComplianceStatus.MET else 0.0
    if status == ComplianceStatus.NOT_APPLICABLE:
        points, score = 0.0, 0.0
    return Result(
        rule_id=rule_id,
        community_id=community,
        school_id=school,
        period=period,
        required=1,
        done=1 if status == ComplianceStatus.MET else 0,
        maximum=None,
        status=status,
        counted=(),
        excluded=(),
        late=(),
        version="test@1",
        strictness=Strictness.HARD,
        points=points,
        score=score,
        assessor="bureau",
    )
