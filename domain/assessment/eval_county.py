"""County measures: shares of a population (ratio) and quality trends against the last period."""

import math
from statistics import fmean

from domain.assessment.calendar import Window
from domain.assessment.measures import Ratio, Trend
from domain.assessment.outcome import Excluded, Outcome
from domain.assessment.selection import Ask, Reason, View
from domain.errors import InvalidPeriodError
from domain.periods import SchoolYear, Semester


def ratio(view: View, period: Window, measure: Ratio) -> Outcome:
    out = Outcome(required=0, done=0)
    day = min(period.ends_on, view.as_of)
    communities = [
        c
        for c in view.facts.communities
        if view.known(c.known_at) and c.starts_on <= day <= c.ends_on
    ]
    if measure.population == "communities":
        population = [c.id for c in communities]
        hits = [c.id for c in communities if c.type in measure.types]
    else:
        schools = [
            s
            for s in view.schools.values()
            if (measure.public is None or s.public == measure.public)
            and (measure.compulsory is None or s.compulsory == measure.compulsory)
            and (not measure.stages or s.stage in measure.stages)
        ]
        inside = {c.lead_school_id for c in communities} | {
            sid for c in communities for sid in c.member_ids(day)
        }
        population = [s.id for s in schools]
        hits = [
            s.id
            for s in schools
            if (not measure.in_community or s.id in inside)
            and (not measure.flag or measure.flag in s.flags)
        ]
    out.required = math.ceil(measure.min_share * len(population) - 1e-9)
    out.done = len(hits)
    out.counted = sorted(hits, key=str)
    out.excluded = [Excluded(i, Reason.INELIGIBLE) for i in population if i not in set(hits)]
    return out


def _previous(code: str) -> str | None:
    """The period a trend compares with: the school year before, or the same term a year before."""
    try:
        return SchoolYear(SchoolYear.parse(code).start_year - 1).code
    except InvalidPeriodError:
        pass
    try:
        semester = Semester.parse(code)
    except InvalidPeriodError:
        return None
    return Semester(semester.year - 1, semester.term).code


def trend(ask: Ask, measure: Trend) -> Outcome:
    """Each measure's mean over the school's results rises from the period before."""
    view, scope, period = ask.view, ask.scope, ask.period
    out = Outcome(required=len(measure.measures), done=0)
    school = scope.school_id or scope.community.lead_school_id
    before = _previous(period.code)
    rows = [q for q in view.facts.quality if q.school_id == school and view.known(q.known_at)]
    now = [q for q in rows if q.period == period.code]
    then = [q for q in rows if q.period == before]
    pairs = {(q.subject, q.grade) for q in now} & {(q.subject, q.grade) for q in then}
    if not pairs:
        return out
    for name in measure.measures:
        current = fmean(getattr(q, name) for q in now if (q.subject, q.grade) in pairs)
        previous = fmean(getattr(q, name) for q in then if (q.subject, q.grade) in pairs)
        if current - previous > measure.min_rise:
            out.done += 1
    return out
