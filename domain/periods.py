"""Semesters (学期) and school years (学年): the periods every quota counts in."""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache, total_ordering
from typing import Self

from domain.errors import DateOutOfRangeError, InvalidPeriodError

_FIRST_YEAR, _LAST_YEAR = 2000, 2099
_JANUARY, _JULY, _SEPTEMBER = 1, 7, 9
_SCHOOL_YEAR = re.compile(r"([0-9]{4})-([0-9]{4})")
_SEMESTER = re.compile(r"([0-9]{4})-(autumn|spring)")


class Term(StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"


def _check_year(year: int, code: str) -> int:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise InvalidPeriodError(value=code)
    return year


@dataclass(frozen=True, order=True)
class SchoolYear:
    """September 1 to August 31 of the next year, written 2022-2023."""

    start_year: int

    @classmethod
    def parse(cls, code: str) -> Self:
        match = _SCHOOL_YEAR.fullmatch(code)
        if match is None or int(match[2]) != int(match[1]) + 1:
            raise InvalidPeriodError(value=code)
        return cls(_check_year(int(match[1]), code))

    @property
    def code(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def starts_on(self) -> date:
        return date(self.start_year, _SEPTEMBER, 1)

    @property
    def ends_on(self) -> date:
        return date(self.start_year + 1, 8, 31)

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def semester(self, term: Term) -> "Semester":
        """The school year's autumn semester, or its spring one (in the next calendar year)."""
        return Semester(self.start_year if term == Term.AUTUMN else self.start_year + 1, term)


@total_ordering
@dataclass(frozen=True)
class Semester:
    """Autumn runs September to January, spring February to July; written 2022-autumn.

    Ordered by time, not by field: spring 2023 comes after autumn 2022 (so no `order=True`,
    which would sort "autumn" before "spring" within one calendar year).
    """

    year: int
    term: Term

    @classmethod
    def parse(cls, code: str) -> Self:
        match = _SEMESTER.fullmatch(code)
        if match is None:
            raise InvalidPeriodError(value=code)
        return cls(_check_year(int(match[1]), code), Term(match[2]))

    @property
    def code(self) -> str:
        return f"{self.year}-{self.term}"

    @property
    def starts_on(self) -> date:
        if self.term == Term.AUTUMN:
            return date(self.year, _SEPTEMBER, 1)
        return date(self.year, 2, 1)

    @property
    def ends_on(self) -> date:
        if self.term == Term.AUTUMN:
            return date(self.year + 1, 1, 31)
        return date(self.year, 7, 31)

    @property
    def school_year(self) -> SchoolYear:
        return SchoolYear(self.year if self.term == Term.AUTUMN else self.year - 1)

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Semester):
            return NotImplemented
        return self.starts_on < other.starts_on


@lru_cache(maxsize=4096)  # a list of 50 actions asks for it 50 times; days repeat
def semester_of(day: date) -> Semester | None:
    """Return the semester `day` falls in, or None in August (the summer break)."""
    if day.month >= _SEPTEMBER:
        return Semester(day.year, Term.AUTUMN)
    if day.month == _JANUARY:
        return Semester(day.year - 1, Term.AUTUMN)
    if day.month <= _JULY:
        return Semester(day.year, Term.SPRING)
    return None


def school_year_of(day: date) -> SchoolYear:
    return SchoolYear(day.year if day.month >= _SEPTEMBER else day.year - 1)


EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def check_in_range(field: str, day: date | None) -> None:
    """Dates run from 2000 to 2099, the years a period code can name; others are typing slips."""
    if day is not None and not EARLIEST <= day <= LATEST:
        raise DateOutOfRangeError(field=field, date=day.isoformat())
