"""The county KPIs of a school year as the API shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from domain.codes import Subject
from service.views.labels import text

if TYPE_CHECKING:
    from domain.assessment.kpis import Figures, Share, Subsidies, WeakSchool


class ShareView(msgspec.Struct, frozen=True, kw_only=True):
    part: int
    whole: int
    share: float | None  # part / whole; None when there is none


class FiguresView(msgspec.Struct, frozen=True, kw_only=True):
    pass_rate: float
    good_rate: float
    mean: float


class WeakSchoolView(msgspec.Struct, frozen=True, kw_only=True):
    school_id: UUID
    community_id: UUID
    subject: str
    subject_label: str
    grade: int
    term: str
    fell: list[str]  # pass_rate · good_rate · mean
    now: FiguresView
    year_before: FiguresView


class SubsidiesView(msgspec.Struct, frozen=True, kw_only=True):
    rule_set: str  # the version whose per-person-month rules say what is due
    due_fen: int
    paid_fen: int
    shortfall_fen: int  # due - paid, never below 0
    persons: int


class CountyKpis(msgspec.Struct, frozen=True, kw_only=True):
    school_year: str
    ownership_recorded: bool  # False: every compulsory school counts as public
    compulsory_schools_in_communities: ShareView
    fused_or_co_built_communities: ShareView
    weak_schools: list[WeakSchoolView]
    subsidies: SubsidiesView | None  # None when no published rule set is in force


def share_view(found: Share) -> ShareView:
    return ShareView(part=found.part, whole=found.whole, share=found.ratio)


def _figures(found: Figures) -> FiguresView:
    return FiguresView(
        pass_rate=found.pass_rate / 100, good_rate=found.good_rate / 100, mean=found.mean / 100
    )


def weak_view(found: WeakSchool, lang: str) -> WeakSchoolView:
    return WeakSchoolView(
        school_id=found.school_id,
        community_id=found.community_id,
        subject=found.subject,
        subject_label=text(Subject(found.subject), lang),
        grade=found.grade,
        term=found.term,
        fell=list(found.fell),
        now=_figures(found.now),
        year_before=_figures(found.year_before),
    )


def subsidies_view(rule_set: str, found: Subsidies) -> SubsidiesView:
    return SubsidiesView(
        rule_set=rule_set,
        due_fen=found.due_fen,
        paid_fen=found.paid_fen,
        shortfall_fen=max(0, found.due_fen - found.paid_fen),
        persons=found.persons,
    )
