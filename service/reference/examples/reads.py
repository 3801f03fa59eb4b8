"""Examples of what supervisors, auditors and operators read, and of the public answers."""

from __future__ import annotations

from datetime import UTC, date, datetime

from domain.codes import ActivityKind
from infra.inbox import ActivityNotice, ActivityRecordedNotification, InboxPage, text_of
from infra.migrate import available
from service.http.audit import (
    Actor,
    AuditEvent,
    AuditPage,
    ChainCheck,
    CheckpointList,
    SignedHead,
)
from service.http.catalogue import catalogue_in
from service.http.health import Health
from service.http.projections import (
    CountyStatusView,
    ParkedView,
    ProjectionStatus,
    SchoolMonths,
    SchoolMonthView,
)
from service.reference.ids import (
    ACTIVITY,
    ADMIN_TOKEN,
    COMMUNITY,
    COUNTY,
    LEAD,
    MEMBER,
)
from service.views.community.activity_counts import ActivityCounts, ActivityCountView, term_label
from service.views.labels import text

AT = datetime(2024, 4, 15, 8, 30, tzinfo=UTC)
HASH = "5e0c3a7f9b1d2e4c6a8f0b2d4e6c8a1f3b5d7e9c0a2e4f6b8d1c3e5a7f9b0d2e"
PREVIOUS = "b7d9f1a3c5e7092b4d6f8a0c2e4b6d8f1a3c5e7b9d0f2a4c6e8b1d3f5a7c9e0b"
PUBLIC_KEY = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
SIGNATURE = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" * 2
TITLE = "送教下乡：青山乡中心小学四年级数学"
NOTICE = ActivityNotice(
    activity_id=ACTIVITY,
    community_id=COMMUNITY,
    lead_school_id=LEAD,
    host_school_id=LEAD,
    kind=ActivityKind.SENDING_LESSONS,
    title=TITLE,
    held_on=date(2024, 4, 15),
)

EXAMPLES = (
    AuditPage(
        items=[
            AuditEvent(
                seq=42,
                global_position=10_381,
                recorded_at=AT,
                stream_id=ACTIVITY,
                stream_type="Activity",
                version=1,
                event_type="Activity.Recorded",
                schema_version=1,
                data={"title": TITLE, "kind": "sending_lessons", "held_on": "2024-04-15"},
                metadata={
                    "actor": str(ADMIN_TOKEN),
                    "role": "admin",
                    "request_id": "4f9c2a7d1e3b5a60",
                    "idempotency_key": "lesson-2024-04-15-01",
                    "causation": None,
                },
                actor=Actor(id=ADMIN_TOKEN, role="admin", label="云和县教育局 管理员"),
                prev_hash=PREVIOUS,
                hash=HASH,
            )
        ],
        next_after=42,
    ),
    ChainCheck(
        intact=True,
        events_checked=1_284,
        head_seq=1_284,
        head_hash=HASH,
        checkpoints_checked=3,
        first_bad=None,
    ),
    CheckpointList(
        public_key=PUBLIC_KEY,
        items=[
            SignedHead(
                seq=1_284,
                head_hash=HASH,
                signed_at=AT,
                public_key=PUBLIC_KEY,
                signature=SIGNATURE,
            )
        ],
    ),
    ActivityCounts(
        items=[
            ActivityCountView(
                community_id=COMMUNITY,
                community_name="城关一小教育共同体",
                school_year="2023-2024",
                semester="2024-spring",
                term="spring",
                term_label=term_label("spring", "zh"),
                kind=ActivityKind.SENDING_LESSONS.value,
                kind_label=text(ActivityKind.SENDING_LESSONS, "zh"),
                count=4,
            )
        ],
        total=4,
        folded_seq=1_284,
        pending_events=0,
    ),
    SchoolMonths(
        items=[
            SchoolMonthView(
                school_id=MEMBER,
                school_name="青山乡中心小学",
                month="2024-04",
                school_year="2023-2024",
                semester="2024-spring",
                term="spring",
                term_label=term_label("spring", "zh"),
                count=3,
            )
        ],
        folded_seq=1_284,
        pending_events=0,
    ),
    ProjectionStatus(
        counties=[
            CountyStatusView(
                tenant_id=COUNTY,
                name="云和县教育局",
                head_seq=1_284,
                folded_seq=1_280,
                lag=4,
                parked=ParkedView(
                    position=1_281,
                    error="KeyError: 'held_on'",
                    parked_at=AT,
                    attempts=3,
                ),
            )
        ]
    ),
    InboxPage(
        items=[
            ActivityRecordedNotification(
                notification_id=42,
                school_id=LEAD,
                created_at=AT,
                read_at=None,
                activity=NOTICE,
                text=text_of(NOTICE),
            )
        ],
        next_cursor=None,
    ),
    Health(
        status="ok",
        degraded=[],
        database=True,
        redis=True,
        schema_version=len(available()),
        schema_expected=len(available()),
        projection_lag=0,
    ),
    catalogue_in("zh"),
)
