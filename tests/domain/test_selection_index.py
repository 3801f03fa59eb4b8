"""A view's per-school index of actions lists what the plain filter over the community lists."""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.assessment.calendar import Window
from domain.assessment.codes import EvaluationMode
from domain.assessment.facts import ActionFact, Facts
from domain.assessment.outcome import Late
from domain.assessment.selection import Lane, View, involves, view_of
from tests.domain.rules_support import COMMUNITY, LEAD, MEMBER_A, MEMBER_B, uid
from tests.domain.test_rules_properties import FIRST, KINDS, histories

SCHOOLS = (LEAD, MEMBER_A, MEMBER_B, uid(13))  # the last: of no community here


@st.composite
def places(draw: st.DrawFn) -> Facts:
    """Histories whose actions take place at, and are joined by, any of the schools."""
    found = draw(histories())
    actions = tuple(
        replace(
            a,
            place_school_id=draw(st.sampled_from((None, *SCHOOLS))),
            participating_school_ids=tuple(draw(st.lists(st.sampled_from(SCHOOLS), max_size=3))),
        )
        for a in found.actions
    )
    return replace(found, actions=actions)


def flat(view: View, runs: list[Lane], grace: int) -> list[ActionFact]:
    """The runs' actions, each run's reasons and lateness checked against the action's own."""
    for run in runs:
        assert [g and g.reason for g in run.gone] == [view.gone(a) for a in run.actions]
        assert [g and g.record_id for g in run.gone] == [view.gone(a) and a.id for a in run.actions]
        lateness = [max(0, (a.known_at.date() - a.held_on).days - grace) for a in run.actions]
        assert run.late == [
            Late(a.id, d) if d else None for a, d in zip(run.actions, lateness, strict=True)
        ]
    return [a for run in runs for a in run.actions]


@settings(max_examples=150, deadline=None)
@given(
    places(),
    st.integers(0, 364),
    st.integers(0, 364),
    st.lists(st.sampled_from(KINDS)),
    st.sampled_from(EvaluationMode),
    st.dates(date(2022, 9, 1), date(2023, 9, 1)),
    st.integers(0, 40),
)
def test_a_schools_candidates_are_the_plain_filter(
    found: Facts,
    start: int,
    length: int,
    kinds: list[str],
    mode: EvaluationMode,
    as_of: date,
    grace: int,
) -> None:
    window = Window(FIRST + timedelta(days=start), FIRST + timedelta(days=start + length))
    view = view_of(found, as_of, mode)
    for school in SCHOOLS:
        plain = flat(view, view.candidates(COMMUNITY, kinds, window, grace), grace)
        # The lead sees its community's all, a member school those it is involved in.
        expected = plain if school == LEAD else [a for a in plain if involves(a, school)]
        got = flat(view, view.candidates(COMMUNITY, kinds, window, grace, school), grace)
        assert sorted(id(a) for a in got) == sorted(id(a) for a in expected)
        for kind in set(kinds):  # each kind's own list keeps the order of the days
            mine = flat(view, view.candidates(COMMUNITY, [kind], window, grace, school), grace)
            assert mine == [
                a
                for a in flat(view, view.candidates(COMMUNITY, [kind], window, grace), grace)
                if school == LEAD or involves(a, school)
            ]
