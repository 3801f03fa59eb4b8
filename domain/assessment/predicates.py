"""Predicates on persons (eligibility, rosters): all / any / not over plain tests of a teacher."""

from dataclasses import dataclass
from datetime import date

from domain.assessment.facts import TeacherFact
from domain.codes import BackboneLevel, Post, TeacherTitle

_TITLES = list(TeacherTitle)
_BACKBONE = list(BackboneLevel)


@dataclass(frozen=True)
class Test:
    """One test; only the fields given are checked (all of them must hold)."""

    age_max: int | None = None
    age_min: int | None = None
    title_min: TeacherTitle | None = None
    backbone_min: BackboneLevel | None = None
    rotated_before: bool | None = None
    general_teacher_term_served: bool | None = None
    posts_any: tuple[Post, ...] = ()
    subject_lead: bool | None = None
    studio_host: bool | None = None

    def holds(self, teacher: TeacherFact, on: date) -> bool:  # noqa: PLR0911 (one test a line)
        age = on.year - teacher.birth_year
        if self.age_max is not None and age > self.age_max:
            return False
        if self.age_min is not None and age < self.age_min:
            return False
        if self.title_min is not None and (
            teacher.title is None or _TITLES.index(teacher.title) < _TITLES.index(self.title_min)
        ):
            return False
        if self.backbone_min is not None and (
            teacher.backbone is None
            or _BACKBONE.index(teacher.backbone) < _BACKBONE.index(self.backbone_min)
        ):
            return False
        if self.rotated_before is not None and teacher.rotated_before != self.rotated_before:
            return False
        if (
            self.general_teacher_term_served is not None
            and teacher.general_teacher_term_served != self.general_teacher_term_served
        ):
            return False
        if self.posts_any and not set(self.posts_any) & set(teacher.posts):
            return False
        if self.subject_lead is not None and teacher.lead_of_subject != self.subject_lead:
            return False
        return self.studio_host is None or teacher.studio_host == self.studio_host


@dataclass(frozen=True)
class Predicate:
    """`all` of its parts, `any` of them, `not` the one, or a plain test."""

    op: str  # all · any · not · test
    parts: tuple["Predicate", ...] = ()
    test: Test | None = None

    def holds(self, teacher: TeacherFact, on: date) -> bool:
        if self.op == "all":
            return all(p.holds(teacher, on) for p in self.parts)
        if self.op == "any":
            return any(p.holds(teacher, on) for p in self.parts)
        if self.op == "not":
            return not self.parts[0].holds(teacher, on)
        return self.test is not None and self.test.holds(teacher, on)
