"""Examples of people and review before counting (审核)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import msgspec

from domain.codes import ReviewLevel, ReviewState
from service.commands.review.review import (
    ApproveActivity,
    ResubmitActivity,
    ReturnActivity,
    SetReviewLevels,
)
from service.http.users import CreateUser, UserView
from service.reference.examples.community import SUMMARY
from service.reference.ids import ACTIVITY, LEAD
from service.views.labels import text
from service.views.people import ActedBy, Change, History
from service.views.review.review import (
    LevelView,
    PolicyView,
    QueueItem,
    QueuePage,
    ReviewStatus,
    ReviewView,
    StepView,
)

USER = UUID("f6a8c0e2-7b9d-4f1a-9c3e-5d7f9b1d3e5a")
AT = datetime(2024, 4, 16, 1, 30, tzinfo=UTC)
SCHOOL = LevelView(code=ReviewLevel.SCHOOL.value, label=text(ReviewLevel.SCHOOL, "zh"))
COMMUNITY = LevelView(code=ReviewLevel.COMMUNITY.value, label=text(ReviewLevel.COMMUNITY, "zh"))
TOKEN = UUID("0b7d9e1f-3a5c-4e7a-9b1d-3f5a7c9e1b3d")
RECORDER = ActedBy(
    id=USER,
    user_id=USER,
    name="周雨桐",
    role="recorder",
    role_label="学校填报员",
    through_token=False,
)
STATUS = ReviewStatus(
    activity_id=ACTIVITY,
    state=ReviewState.PENDING.value,
    state_label=text(ReviewState.PENDING, "zh"),
    awaiting=COMMUNITY,
    levels=[SCHOOL, COMMUNITY],
    round=1,
    version=2,
)

EXAMPLES = (
    History(
        id=ACTIVITY,
        changes=[
            Change(
                version=1,
                change="Recorded",
                at=AT,
                by=msgspec.structs.replace(RECORDER, id=TOKEN, through_token=True),
                reason="",
            ),
            Change(version=2, change="Corrected", at=AT, by=RECORDER, reason="补充参与学校"),
        ],
    ),
    CreateUser(name="周雨桐", role="recorder", school_id=LEAD),
    UserView(
        id=USER,
        name="周雨桐",
        role="recorder",
        school_id=LEAD,
        active=True,
        created_at=AT,
        deactivated_at=None,
    ),
    SetReviewLevels(levels=[ReviewLevel.SCHOOL, ReviewLevel.COMMUNITY]),
    PolicyView(levels=[SCHOOL, COMMUNITY], applies_from=None, every_action_counts=False, version=1),
    ApproveActivity(level=ReviewLevel.SCHOOL, note="签到表、照片齐全"),
    ReturnActivity(level=ReviewLevel.COMMUNITY, reason="签到表缺少两所成员校的签名"),
    ResubmitActivity(note="已补签到表"),
    STATUS,
    ReviewView(
        **msgspec.structs.asdict(STATUS),
        steps=[
            StepView(
                step="approved",
                level=SCHOOL,
                by=RECORDER,
                at=AT,
                activity_version=1,
                note="签到表、照片齐全",
                reason="",
            )
        ],
    ),
    QueuePage(
        items=[
            QueueItem(
                **msgspec.structs.asdict(SUMMARY),
                review_state=ReviewState.PENDING.value,
                awaiting=SCHOOL,
                round=0,
            )
        ],
        next_cursor=None,
    ),
)
