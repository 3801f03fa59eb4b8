"""Every kind of event of the bureau's assessment record, for the event and golden tests."""

from datetime import date
from uuid import UUID

from eventsourcing.domain import CanMutateAggregate

from domain.assessment.assessment import Criterion, Unit, assess
from domain.assessment.record import Assessment
from domain.assessment.rule_set import RuleSet
from domain.codes import AssessmentGrade, CommunityType, ComplianceStatus
from domain.community.community import Community
from tests.domain.assessment_support import result

CLERK = UUID(int=1)


def every_kind_of_assessment_event(
    rules: RuleSet, group: Community
) -> list[CanMutateAggregate[UUID]]:
    version = rules.rules
    rule_id = version.rules[0].id
    unit = Unit(group.id, CommunityType.COLLABORATIVE, group.lead_school_id, ())
    results = [result(rule_id, ComplianceStatus.MET, 10, community=group.id)]
    computed = assess(version, unit, results, (Criterion("成员校提升", 60, 45.5),))
    recorded = Assessment.record(
        namespace=UUID(int=10),
        school_year="2022-2023",
        rule_set_id=rules.id,
        rules=version,
        computed=computed,
        as_of=date(2023, 7, 1),
        folded_seq=12,
        grade=AssessmentGrade.EXCELLENT,
        reason="项目成效显著",
        by=CLERK,
    )
    return list(recorded.collect_events())
