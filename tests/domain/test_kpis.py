"""County KPIs from hand-made schools, communities, quality figures and payments."""

from datetime import date

from domain.assessment.calendar import Window
from domain.assessment.kpis import (
    CommunityIn,
    Figures,
    Payment,
    Placement,
    QualityIn,
    SchoolIn,
    Stint,
    bundled_share,
    coverage,
    subsidies,
    warnings,
)
from domain.codes import CommunityType, SchoolStage
from tests.domain.rules_support import rule, uid, version

YEAR = Window.of_school_year("2022-2023")
LEAD, A, B, OUTSIDE, SENIOR, CLOSED = (uid(n) for n in range(10, 16))
START, END = date(2022, 9, 1), date(2024, 8, 31)


def group(n: int, type_: CommunityType, *stints: Stint, **changes: object) -> CommunityIn:
    fields: dict[str, object] = {
        "id": uid(n),
        "type": type_,
        "lead_school_id": LEAD,
        "stints": stints,
        "starts_on": START,
        "ends_on": END,
        "dissolved_on": None,
    }
    fields.update(changes)
    return CommunityIn(**fields)  # type: ignore[arg-type]


COMMUNITIES = [
    group(1, CommunityType.CO_BUILT, Stint(A, START, None), Stint(B, START, date(2022, 9, 1))),
    group(2, CommunityType.COLLABORATIVE, Stint(B, date(2023, 3, 1), None)),
    group(3, CommunityType.FUSED, starts_on=date(2024, 9, 1), ends_on=date(2025, 8, 31)),
]


def test_coverage_counts_open_compulsory_schools_in_a_community() -> None:
    schools = [
        SchoolIn(LEAD, SchoolStage.JUNIOR, None),
        SchoolIn(A, SchoolStage.PRIMARY, None),
        SchoolIn(B, SchoolStage.PRIMARY, None),
        SchoolIn(OUTSIDE, SchoolStage.PRIMARY, None),
        SchoolIn(SENIOR, SchoolStage.SENIOR, None),  # not compulsory
        SchoolIn(CLOSED, SchoolStage.PRIMARY, date(2022, 7, 1)),  # closed before the year
    ]
    found = coverage(schools, COMMUNITIES, YEAR)
    assert (found.part, found.whole, found.ratio) == (3, 4, 0.75)
    assert coverage([], COMMUNITIES, YEAR).ratio is None


def test_share_of_fused_and_co_built_among_the_year_s_communities() -> None:
    found = bundled_share(COMMUNITIES, YEAR)  # the fused one starts two years later
    assert (found.part, found.whole, found.ratio) == (1, 2, 0.5)


def test_a_member_school_whose_figures_fall_is_warned() -> None:
    before = Figures(9000, 6000, 8000)
    quality = [
        QualityIn(A, "math", 4, "autumn", Figures(8500, 6000, 8100), before),
        QualityIn(A, "chinese", 4, "autumn", Figures(9500, 6500, 8100), before),  # rose
        QualityIn(LEAD, "math", 4, "autumn", Figures(1000, 1000, 1000), before),  # the lead
        QualityIn(B, "math", 4, "autumn", Figures(8000, 5000, 7000), None),  # no year before
        QualityIn(OUTSIDE, "math", 4, "autumn", Figures(1, 1, 1), before),  # in no community
    ]
    found = warnings(COMMUNITIES, quality, YEAR)
    assert [(w.school_id, w.community_id, w.subject, w.fell) for w in found] == [
        (A, uid(1), "math", ("pass_rate",))
    ]


def test_subsidies_due_by_person_month_rules_against_those_paid() -> None:
    rules = version(
        rule(
            {
                "type": "money",
                "purpose": "dispatch_subsidy",
                "amount": 200,
                "per": "person_month",
                "months_cap": 10,
                "assignment_kind": "dispatch",
                "direction": "lead_to_member",
            },
            period={"grain": "school_year"},
        )
    )
    placements = [
        Placement(uid(100), "dispatch", LEAD, A, date(2022, 9, 1), date(2023, 8, 31)),  # 12: 10
        Placement(uid(101), "dispatch", LEAD, A, date(2023, 3, 1), date(2023, 5, 15)),  # 3
        Placement(uid(102), "shadowing", LEAD, A, date(2022, 9, 1), date(2023, 1, 31)),  # kind
        Placement(uid(103), "dispatch", A, LEAD, date(2022, 9, 1), date(2023, 1, 31)),  # way
    ]
    payments = [
        Payment(uid(100), 200_000, date(2022, 10, 1), date(2022, 10, 5)),
        Payment(uid(101), 60_000, None, date(2023, 6, 1)),
        Payment(uid(103), 99_999, None, date(2023, 1, 1)),  # not due by the rule
        Payment(uid(100), 5_000, date(2023, 9, 1), date(2023, 9, 2)),  # the next year's
    ]
    found = subsidies(rules, COMMUNITIES, placements, payments, YEAR)
    assert (found.due_fen, found.paid_fen, found.persons) == (13 * 200 * 100, 260_000, 2)
