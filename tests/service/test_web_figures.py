"""The compliance trend: the share met by the semester each result's period ends in."""

from __future__ import annotations

import re
from datetime import date
from uuid import uuid4

from domain.assessment.calendar import Window
from domain.assessment.codes import Strictness
from domain.assessment.outcome import Result
from domain.codes import ComplianceStatus
from domain.periods import Semester, Term
from service.assessment.judging import Judged
from service.web.figures import compliance_trend, trend_semesters

MET, MISSED, OPEN = ComplianceStatus.MET, ComplianceStatus.MISSED, ComplianceStatus.OPEN


def result(starts_on: str, ends_on: str, status: ComplianceStatus) -> Result:
    period = Window(date.fromisoformat(starts_on), date.fromisoformat(ends_on), "p")
    return Result(
        rule_id="r", community_id=uuid4(), school_id=None, period=period, required=1, done=0,
        maximum=None, status=status, counted=(), excluded=(), late=(), version="r@1",
        strictness=Strictness.HARD, points=1, score=0, assessor="bureau",
    )  # fmt: skip


def test_the_semesters_run_back_in_order() -> None:
    codes = [s.code for s in trend_semesters(Semester(2023, Term.SPRING))]
    assert codes == [
        "2020-autumn", "2021-spring", "2021-autumn", "2022-spring", "2022-autumn", "2023-spring",
    ]  # fmt: skip


def test_each_result_counts_in_the_semester_its_period_ends_in_a_school_year_in_its_spring() -> (
    None
):
    semesters = trend_semesters(Semester(2023, Term.SPRING))
    judged = Judged(
        [],
        [
            result("2022-09-01", "2023-08-31", MET),  # a school year: spring 2023
            result("2023-03-01", "2023-03-31", MISSED),  # a month of spring 2023
            result("2023-06-01", "2023-06-30", MET),
            result("2023-05-01", "2023-05-31", OPEN),  # not yet judged: left out of the share
            result("2022-01-01", "2022-12-31", MISSED),  # a calendar year: autumn 2022
        ],
    )
    chart = compliance_trend(judged, semesters, [s.code for s in semesters], "zh")
    figures = re.findall(r'class="figure">([\d.]+)</text>', chart)
    assert figures == ["0", "66.7"]  # autumn 2022: none of one met; spring 2023: two of three
