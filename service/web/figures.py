"""Compliance as the pages draw it: status counts, their share, the trend, each rule's progress.

The judgements are the API's (service.assessment.judging.judge of the same question), so a page's
figure equals the JSON's; each figure links to the page of what it counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from domain.assessment.calendar import Window
from domain.codes import ComplianceStatus
from domain.periods import EARLIEST, LATEST, Semester, Term
from projections.assessment.judge import Question
from service.assessment.kept import judge_kept as judge
from service.views.assessment.compliance import COUNTY
from service.views.labels import in_language, text
from service.web.charts import (
    STATUS_COLOURS,
    Bar,
    Progress,
    Series,
    line_chart,
    progress_bars,
    share_bar,
)
from service.web.i18n import period_label, word

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from uuid import UUID

    from domain.assessment.outcome import Result
    from projections.assessment.facts import CountyFacts
    from service.assessment.judging import Judged
    from service.web.when import When

SHOWN = (ComplianceStatus.MET, ComplianceStatus.AT_RISK, ComplianceStatus.MISSED)
TREND_SEMESTERS = 6
SUMMER = 8  # August: in no semester


@dataclass(frozen=True)
class StatusFigure:
    status: ComplianceStatus
    label: str
    results: int
    href: str  # the compliance list of these results


def judge_all(fold: CountyFacts, when: When) -> Judged:
    """Every period's results, as the API's one result is looked up (the whole time in force)."""
    return judge(fold, Question(Window(EARLIEST, LATEST, "all"), when.day, when.mode))


def compliance_href(link: Callable[[str], str], **filters: str | None) -> str:
    kept = {k: v for k, v in filters.items() if v}
    return link("/app/compliance" + ("?" + urlencode(kept) if kept else ""))


def result_href(result: Result, link: Callable[[str], str]) -> str:
    community = COUNTY if result.community_id is None else str(result.community_id)
    href = f"/app/compliance/{community}/{result.rule_id}/{result.period.code}"
    return link(href if result.school_id is None else f"{href}?school={result.school_id}")


def status_counts(
    results: Iterable[Result], lang: str, link: Callable[[str], str], **filters: str | None
) -> list[StatusFigure]:
    counts = Counter(r.status for r in results)
    return [
        StatusFigure(s, text(s, lang), counts[s], compliance_href(link, status=s.value, **filters))
        for s in ComplianceStatus
        if s in SHOWN or counts[s]
    ]


def status_share(figures: Sequence[StatusFigure], lang: str) -> str:
    return share_bar(
        word("compliance_share", lang),
        [
            Bar(f.label, f.results, f.href, STATUS_COLOURS.get(f.status.value))
            for f in figures
            if f.status in SHOWN
        ],
    )


def trend_semesters(current: Semester) -> list[Semester]:
    semesters = [current]
    while len(semesters) < TREND_SEMESTERS:
        last = semesters[-1]
        semesters.append(
            Semester(last.year - 1, Term.AUTUMN)  # spring 2023 follows autumn 2022
            if last.term is Term.SPRING
            else Semester(last.year, Term.SPRING)
        )
    return semesters[::-1]


def judge_trend(fold: CountyFacts, when: When, semesters: Sequence[Semester]) -> Judged:
    """The results of the periods overlapping the trend's semesters (not the whole time)."""
    window = Window(semesters[0].starts_on, semesters[-1].ends_on, "trend")
    return judge(fold, Question(window, when.day, when.mode))


def compliance_trend(
    everything: Judged, semesters: Sequence[Semester], labels: Sequence[str], lang: str
) -> str:
    """The share of results met (of those met, at risk or missed) by the semester each ends in."""
    counted: dict[str, Counter[ComplianceStatus]] = {s.code: Counter() for s in semesters}
    windows = [(s.code, s.starts_on, s.ends_on) for s in semesters]
    for result in everything.results:
        end = result.period.ends_on
        if end.month == SUMMER:  # a school year's results end in August: its spring's
            end = end.replace(day=31, month=SUMMER - 1)
        for code, starts_on, ends_on in windows:
            if starts_on <= end <= ends_on:
                counted[code][result.status] += 1
    shares: list[float | None] = []
    for s in semesters:
        judged = sum(counted[s.code][status] for status in SHOWN)
        met = counted[s.code][ComplianceStatus.MET]
        shares.append(round(100 * met / judged, 1) if judged else None)
    series = [Series(word("met_share", lang), tuple(shares))]
    return line_chart(word("compliance_trend", lang), list(labels), series, y_max=100)


def rule_title(judged: Judged, result: Result, lang: str) -> str:
    rule = judged.rule_of(result)
    return in_language(rule.title, lang) if rule is not None else result.rule_id


def progress_of(
    judged: Judged,
    results: Iterable[Result],
    lang: str,
    link: Callable[[str], str],
    names: dict[UUID, str],
) -> str:
    """A bar per rule (and school, for a per-school rule): done against required, by status."""
    bars = []
    for r in sorted(results, key=lambda r: (r.rule_id, r.period.starts_on, str(r.school_id))):
        label = f"{rule_title(judged, r, lang)} · {period_label(r.period.code, lang)}"
        if r.school_id is not None:
            label += f" · {names.get(r.school_id, str(r.school_id))}"
        bars.append(
            Progress(label, r.done, r.required, r.status.value, text(r.status, lang),
                     result_href(r, link))
        )  # fmt: skip
    return progress_bars(word("progress", lang), bars)
