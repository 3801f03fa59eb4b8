"""Every projection the runner keeps current, in the order it folds them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.community.activity_list import activity_list
from projections.community.roster import community_roster
from projections.community.school_list import school_list
from projections.community.school_months import school_months

if TYPE_CHECKING:
    from projections.base import ReadModel

PROJECTIONS: tuple[ReadModel, ...] = (school_list, community_roster, activity_list, school_months)
