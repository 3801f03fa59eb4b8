"""Commands on community actions (教共体活动): record, correct, void. Never edited in place."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID, uuid4

import msgspec

from domain.codes import ActivityKind, ActivityMode, Subject
from domain.community.activity import (
    EVIDENCE_NAME_LIMIT,
    MEDIA_TYPE_LIMIT,
    NOTE_LIMIT,
    PARTICIPANT_NAME_LIMIT,
    REASON_LIMIT,
    TITLE_LIMIT,
    Activity,
    ActivityFacts,
    Evidence,
    Participant,
)
from domain.community.community import Community
from infra.outbox import outbox_message
from service.access import act_for_school
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced
from service.jobs import NotifyLeadSchool

if TYPE_CHECKING:
    from infra.event_store import OutboxMessage
    from service.command import Env

Title = Annotated[
    RequiredText,
    msgspec.Meta(min_length=1, max_length=TITLE_LIMIT, examples=["送教下乡：四年级数学"]),
]
Note = Annotated[str, msgspec.Meta(max_length=NOTE_LIMIT)]
Reason = Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REASON_LIMIT)]
Schools = Annotated[list[UUID], msgspec.Meta(max_length=50)]
Subjects = Annotated[list[Subject], msgspec.Meta(max_length=30)]


class ParticipantIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[
        RequiredText,
        msgspec.Meta(min_length=1, max_length=PARTICIPANT_NAME_LIMIT, examples=["李华"]),
    ]
    school_id: UUID
    role: Annotated[str, msgspec.Meta(max_length=PARTICIPANT_NAME_LIMIT, examples=["授课教师"])] = (
        ""
    )


class EvidenceIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A file that proves the action: its name, SHA-256 and size (签到簿, photos, reflections)."""

    name: Annotated[
        RequiredText,
        msgspec.Meta(min_length=1, max_length=EVIDENCE_NAME_LIMIT, examples=["签到表.jpg"]),
    ]
    sha256: Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[int, msgspec.Meta(gt=0, le=10 * 1024**3)]
    media_type: Annotated[str, msgspec.Meta(min_length=1, max_length=MEDIA_TYPE_LIMIT)] = (
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


def notice_for_lead_school(community: Community, activity: Activity) -> OutboxMessage:
    """Tells the community's lead school (牵头学校) that an action was recorded."""
    facts = activity.facts
    return outbox_message(
        NotifyLeadSchool(
            activity_id=activity.id,
            community_id=community.id,
            lead_school_id=community.lead_school_id,
            host_school_id=facts.host_school_id,
            kind=facts.kind,
            title=facts.title,
            held_on=facts.held_on,
        )
    )


async def record_activity(env: Env, cmd: RecordActivity) -> Decision[Activity]:
    act_for_school(env, cmd.host_school_id)
    community = await referenced(env, Community, "community_id", cmd.community_id)
    facts = _facts(msgspec.structs.asdict(cmd))
    activity = Activity.record(
        id=uuid4(), community=community, facts=facts, today=env.today, by=env.actor_id
    )
    return Decision(activity, outbox=[notice_for_lead_school(community, activity)])


async def correct_activity(
    env: Env, activity: Activity, cmd: CorrectActivity
) -> Decision[Activity]:
    act_for_school(env, activity.facts.host_school_id)
    changes = {
        name: value
        for name, value in msgspec.structs.asdict(cmd).items()
        if value is not msgspec.UNSET and name != "reason"
    }
    recorded = {f.name: getattr(activity.facts, f.name) for f in dataclasses.fields(activity.facts)}
    facts = _facts({**recorded, **changes})
    if "host_school_id" in changes:
        act_for_school(env, facts.host_school_id)
    community = await env.store.get(Community, env.tenant_id, activity.community_id)
    activity.correct(community, facts, cmd.reason, env.today, by=env.actor_id)
    return Decision(activity)


async def void_activity(env: Env, activity: Activity, cmd: VoidActivity) -> Decision[Activity]:
    act_for_school(env, activity.facts.host_school_id)
    activity.void(cmd.reason, by=env.actor_id)
    return Decision(activity)
