"""Review before counting: the county's levels and one action's way through them."""

from datetime import date
from uuid import UUID

from domain.codes import ReviewLevel, ReviewState
from domain.errors import DateOutOfRangeError, InvalidValueError
from domain.review.errors import (
    LevelsOrderError,
    LevelsUnchangedError,
    NotAwaitingReviewError,
    NotCorrectedError,
    NotReturnedError,
    ReviewNotRequiredError,
    WrongReviewLevelError,
)
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import Review, review_id
from tests.domain.support import CLERK, raises

SCHOOL, COMMUNITY, COUNTY = ReviewLevel
ACTION = UUID(int=7)
OTHER = UUID("6f1c2a4e-0000-4000-8000-0000000000c2")


def policy(*levels: ReviewLevel, applies_from: date | None = None) -> ReviewPolicy:
    return ReviewPolicy.adopt(
        id=policy_id(UUID(int=1)), levels=levels, applies_from=applies_from, by=CLERK
    )


def where(review: Review) -> tuple[ReviewState, ReviewLevel | None]:
    return review.state, review.awaiting


def test_levels_go_school_community_county_each_once_or_fewer() -> None:
    assert policy(SCHOOL, COUNTY).levels == (SCHOOL, COUNTY)
    assert policy().levels == ()
    with raises(LevelsOrderError, levels="county, school"):
        policy(COUNTY, SCHOOL)
    with raises(LevelsOrderError):
        policy(SCHOOL, SCHOOL)
    with raises(DateOutOfRangeError):
        policy(SCHOOL, applies_from=date(1999, 9, 1))


def test_a_policy_says_which_actions_wait_and_changes_only_when_it_changes() -> None:
    county = policy(COUNTY, applies_from=date(2023, 9, 1))
    assert not county.needs_review(date(2023, 8, 31))
    assert county.needs_review(date(2023, 9, 1))
    assert not policy().needs_review(date(2023, 9, 1))
    with raises(LevelsUnchangedError):
        county.change((COUNTY,), date(2023, 9, 1), by=CLERK)
    county.change((), None, by=CLERK)
    assert not county.needs_review(date(2024, 1, 1))
    assert [type(e) for e in county.collect_events()] == [
        ReviewPolicy.Adopted,
        ReviewPolicy.Changed,
    ]
    assert policy_id(UUID(int=1)) != policy_id(UUID(int=2))


def test_each_level_approves_in_turn_and_the_last_makes_it_count() -> None:
    review = Review.open(activity_id=ACTION, levels=(SCHOOL, COMMUNITY, COUNTY), by=CLERK)
    assert review.id == review_id(ACTION)
    assert where(review) == (ReviewState.PENDING, SCHOOL)
    with raises(WrongReviewLevelError, level="community", expected="school"):
        review.approve(COMMUNITY, 1, "", by=CLERK)
    review.approve(SCHOOL, 1, "", by=CLERK)
    review.approve(COMMUNITY, 1, "  好  ", by=OTHER)
    assert review.awaiting is COUNTY
    review.approve(COUNTY, 1, "", by=CLERK)
    assert where(review) == (ReviewState.APPROVED, None)
    with raises(NotAwaitingReviewError, state="approved"):
        review.approve(COUNTY, 1, "", by=CLERK)
    events = review.collect_events()
    assert [getattr(e, "approved_by", None) for e in events] == [None, CLERK, OTHER, CLERK]
    assert getattr(events[2], "note", None) == "好"


def test_a_returned_action_is_corrected_then_resubmitted_through_the_levels_of_now() -> None:
    review = Review.open(activity_id=ACTION, levels=(SCHOOL, COUNTY), by=CLERK)
    with raises(NotReturnedError, state="pending"):
        review.resubmit((SCHOOL,), 2, "", by=CLERK)
    with raises(InvalidValueError, field="reason", reason="blank"):
        review.send_back(SCHOOL, 1, " ", by=CLERK)
    review.send_back(SCHOOL, 1, "缺签到表", by=OTHER)
    assert (review.state, review.return_reason) == (ReviewState.RETURNED, "缺签到表")
    with raises(NotAwaitingReviewError):
        review.approve(SCHOOL, 1, "", by=CLERK)
    with raises(NotCorrectedError):
        review.resubmit((SCHOOL,), 1, "", by=CLERK)
    review.resubmit((COUNTY,), 2, "已更正", by=CLERK)
    assert (review.state, review.awaiting, review.round) == (ReviewState.PENDING, COUNTY, 2)
    review.send_back(COUNTY, 2, "仍缺照片", by=CLERK)
    review.resubmit((), 3, "", by=CLERK)  # the county dropped its levels meanwhile
    assert review.state is ReviewState.APPROVED


def test_an_action_without_levels_has_no_review_to_open() -> None:
    with raises(ReviewNotRequiredError, activity_id=ACTION):
        Review.open(activity_id=ACTION, levels=(), by=CLERK)


def test_a_correction_after_approvals_reopens_the_review_from_the_first_level() -> None:
    review = Review.open(activity_id=ACTION, levels=(SCHOOL, COUNTY), by=CLERK)
    review.reopen((SCHOOL, COUNTY), 2, by=CLERK)  # nothing approved yet: nothing to reopen
    review.approve(SCHOOL, 1, "", by=CLERK)
    # A sign-in (version 2) is no correction: the caller asks only after a correction.
    assert not review.needs_reopening(1)
    assert review.needs_reopening(3)
    review.approve(COUNTY, 2, "", by=OTHER)
    assert review.state is ReviewState.APPROVED
    review.reopen((COUNTY,), 4, by=None)  # the levels in force at the correction
    assert (review.state, review.awaiting, review.round) == (ReviewState.PENDING, COUNTY, 2)
    assert not review.needs_reopening(4)
    review.approve(COUNTY, 4, "", by=CLERK)
    assert review.state is ReviewState.APPROVED
    review.reopen((), 5, by=CLERK)  # no levels now: it stays approved
    assert review.state is ReviewState.APPROVED
    events = review.collect_events()
    assert [type(e).__name__ for e in events] == [
        "Opened", "Approved", "Approved", "Reopened", "Approved"
    ]  # fmt: skip
    assert getattr(events[3], "activity_version", None) == 4
    # A returned action goes the resubmit way, not this one.
    back = Review.open(activity_id=ACTION, levels=(SCHOOL, COUNTY), by=CLERK)
    back.approve(SCHOOL, 1, "", by=CLERK)
    back.send_back(COUNTY, 1, "缺签到表", by=CLERK)
    assert not back.needs_reopening(2)
    back.resubmit((), 2, "", by=CLERK)  # approved at once: the county had dropped its levels
    assert (back.needs_reopening(2), back.needs_reopening(3)) == (False, True)
