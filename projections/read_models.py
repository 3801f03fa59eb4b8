"""Every projection the runner keeps current, in the order it folds them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.assessment.assessment_list import assessment_list
from projections.assessment.rule_set_list import rule_set_list
from projections.commendation.commendation_list import commendation_list
from projections.community.activity_list import activity_list
from projections.community.roster import community_roster
from projections.community.school_list import school_list
from projections.money.entry_list import money_entries
from projections.quality.results import quality_results
from projections.quality.sitting_list import sitting_list
from projections.research.paper_list import paper_list
from projections.research.project_list import project_list
from projections.review.review_state import activity_review, review_policy
from projections.staff.assignment_list import assignment_list
from projections.staff.mentorship_list import mentorship_list
from projections.staff.teacher_list import teacher_list

if TYPE_CHECKING:
    from projections.base import ReadModel

PROJECTIONS: tuple[ReadModel, ...] = (
    school_list,
    community_roster,
    activity_list,
    # The research and quality contexts.
    project_list,
    paper_list,
    sitting_list,
    quality_results,
    # Money and commendations.
    money_entries,
    commendation_list,
    # The staff context.
    teacher_list,
    assignment_list,
    mentorship_list,
    review_policy,
    activity_review,
    # The assessment context.
    rule_set_list,
    assessment_list,
)
