"""Commands on community actions (教共体活动): record, correct, void. Never edited in place."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID, uuid4

import msgspec

from domain.codes import ActivityKind, ActivityMode, Subject
from domain.community.activity import Activity, ActivityFacts, Evidence, Participant
from domain.community.community import Community
from domain.periods import check_in_range
from infra.event_store import OutboxMessage
from service.body import RequiredText
from service.commands.community.loading import referenced
from service.errors import NotYourSchoolError

if TYPE_CHECKING:
    from infra.event_store import Appended, EventStore, WriteContext

Title = Annotated[
    RequiredText, msgspec.Meta(min_length=1, max_length=200, examples=["送教下乡：四年级数学"])
]
Note = Annotated[str, msgspec.Meta(max_length=2000)]
Reason = Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=500)]
Schools = Annotated[list[UUID], msgspec.Meta(max_length=50)]
Subjects = Annotated[list[Subject], msgspec.Meta(max_length=30)]


class ParticipantIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=50, examples=["李华"])]
    school_id: UUID
    role: Annotated[str, msgspec.Meta(max_length=50, examples=["授课教师"])] = ""


class EvidenceIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A file that proves the action: its name, SHA-256 and size (签到簿, photos, reflections)."""

    name: Annotated[
        RequiredText, msgspec.Meta(min_length=1, max_length=255, examples=["签到表.jpg"])
    ]
    sha256: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[int, msgspec.Meta(gt=0, le=10 * 1024**3)]
    media_type: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] = (
        "application/octet-stream"
    )


Participants = Annotated[list[ParticipantIn], msgspec.Meta(max_length=500)]
EvidenceList = Annotated[list[EvidenceIn], msgspec.Meta(max_length=100)]


class RecordActivity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    community_id: UUID
    kind: ActivityKind
    title: Title
    host_school_id: UUID
    participating_school_ids: Schools = []
    held_on: date
    ends_on: date | None = None
    subjects: Subjects = []
    participants: Participants = []
    mode: ActivityMode = ActivityMode.ON_SITE
    evidence: EvidenceList = []
    note: Note = ""


class CorrectActivity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The fields to change and why; fields left out keep their recorded values."""

    reason: Reason
    kind: ActivityKind | msgspec.UnsetType = msgspec.UNSET
    title: Title | msgspec.UnsetType = msgspec.UNSET
    host_school_id: UUID | msgspec.UnsetType = msgspec.UNSET
    participating_school_ids: Schools | msgspec.UnsetType = msgspec.UNSET
    held_on: date | msgspec.UnsetType = msgspec.UNSET
    ends_on: date | msgspec.UnsetType | None = msgspec.UNSET
    subjects: Subjects | msgspec.UnsetType = msgspec.UNSET
    participants: Participants | msgspec.UnsetType = msgspec.UNSET
    mode: ActivityMode | msgspec.UnsetType = msgspec.UNSET
    evidence: EvidenceList | msgspec.UnsetType = msgspec.UNSET
    note: Note | msgspec.UnsetType = msgspec.UNSET


class VoidActivity(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Reason


def _facts(values: dict[str, Any]) -> ActivityFacts:
    check_in_range("held_on", values["held_on"])
    check_in_range("ends_on", values["ends_on"])
    return ActivityFacts(
        kind=values["kind"],
        title=values["title"],
        host_school_id=values["host_school_id"],
        participating_school_ids=tuple(values["participating_school_ids"]),
        held_on=values["held_on"],
        ends_on=values["ends_on"],
        subjects=tuple(values["subjects"]),
        participants=tuple(
            p if isinstance(p, Participant) else Participant(p.name, p.school_id, p.role)
            for p in values["participants"]
        ),
        mode=values["mode"],
        evidence=tuple(
            e if isinstance(e, Evidence) else Evidence(e.name, e.sha256, e.size, e.media_type)
            for e in values["evidence"]
        ),
        note=values["note"],
    )


def _check_own_school(ctx: WriteContext, school_id: UUID, recorder_school: UUID | None) -> None:
    if ctx.role == "recorder" and school_id != recorder_school:
        raise NotYourSchoolError(school_id=recorder_school)


def notice_for_lead_school(community: Community, activity: Activity) -> OutboxMessage:
    """Tells the community's lead school (牵头学校) that an action was recorded."""
    facts = activity.facts
    return OutboxMessage(
        "notify_lead_school",
        {
            "activity_id": str(activity.id),
            "community_id": str(community.id),
            "lead_school_id": str(community.lead_school_id),
            "host_school_id": str(facts.host_school_id),
            "kind": facts.kind.value,
            "title": facts.title,
            "held_on": facts.held_on.isoformat(),
        },
    )


async def record_activity(
    store: EventStore,
    ctx: WriteContext,
    cmd: RecordActivity,
    *,
    today: date,
    recorder_school: UUID | None,
) -> Appended:
    _check_own_school(ctx, cmd.host_school_id, recorder_school)
    community = await referenced(store, Community, ctx.tenant_id, "community_id", cmd.community_id)
    facts = _facts(msgspec.structs.asdict(cmd))
    activity = Activity.record(
        id=uuid4(), community=community, facts=facts, today=today, by=ctx.actor_id
    )
    return await store.save(activity, ctx, outbox=[notice_for_lead_school(community, activity)])


async def correct_activity(
    store: EventStore,
    ctx: WriteContext,
    activity_id: UUID,
    cmd: CorrectActivity,
    *,
    expected: int | None,
    today: date,
    recorder_school: UUID | None,
) -> Appended:
    activity = await store.get(Activity, ctx.tenant_id, activity_id, expected_version=expected)
    _check_own_school(ctx, activity.facts.host_school_id, recorder_school)
    changes = {
        name: value
        for name, value in msgspec.structs.asdict(cmd).items()
        if value is not msgspec.UNSET and name != "reason"
    }
    recorded = {f.name: getattr(activity.facts, f.name) for f in dataclasses.fields(activity.facts)}
    facts = _facts({**recorded, **changes})
    if "host_school_id" in changes:
        _check_own_school(ctx, facts.host_school_id, recorder_school)
    community = await store.get(Community, ctx.tenant_id, activity.community_id)
    activity.correct(community, facts, cmd.reason, today, by=ctx.actor_id)
    return await store.save(activity, ctx)


async def void_activity(
    store: EventStore,
    ctx: WriteContext,
    activity_id: UUID,
    cmd: VoidActivity,
    *,
    expected: int | None,
    recorder_school: UUID | None,
) -> Appended:
    activity = await store.get(Activity, ctx.tenant_id, activity_id, expected_version=expected)
    _check_own_school(ctx, activity.facts.host_school_id, recorder_school)
    activity.void(cmd.reason, by=ctx.actor_id)
    return await store.save(activity, ctx)
