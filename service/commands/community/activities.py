"""Commands on community actions (教共体活动): record, correct, void. Never edited in place."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
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
from domain.community.attendance import LEAVE_REASON_LIMIT, Attendance
from domain.community.community import Community
from infra.evidence_files import claim
from infra.outbox import outbox_message
from service.access import act_for_school
from service.body import RequiredText
from service.command import Decision
from service.commands.community.loading import referenced
from service.errors import EvidenceNotUploadedError
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
# A moment with its offset (2023-05-10T08:30:00+08:00): a bare 08:30 is refused.
Moment = Annotated[datetime, msgspec.Meta(tz=True)]


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


class AttendanceIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An expected participant's line of the sign-in sheet.

    Signed in (late? left early?), or on leave with a written reason; a participant with no
    line and no phone sign-in was absent.
    """

    name: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=PARTICIPANT_NAME_LIMIT)]
    school_id: UUID
    signed_in_at: Moment | None = None
    late: bool = False
    left_early: bool = False
    leave_reason: Annotated[str, msgspec.Meta(max_length=LEAVE_REASON_LIMIT)] = ""


Participants = Annotated[list[ParticipantIn], msgspec.Meta(max_length=500)]
EvidenceList = Annotated[list[EvidenceIn], msgspec.Meta(max_length=100)]
AttendanceList = Annotated[list[AttendanceIn], msgspec.Meta(max_length=500)]
OnlineReason = Annotated[str, msgspec.Meta(max_length=REASON_LIMIT)]


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
    starts_at: Moment | None = None
    venue_school_id: UUID | None = None
    notified_at: Moment | None = None
    online_reason: OnlineReason = ""
    follows_up: UUID | None = None
    attendance: AttendanceList = []


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
    starts_at: Moment | msgspec.UnsetType | None = msgspec.UNSET
    venue_school_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    notified_at: Moment | msgspec.UnsetType | None = msgspec.UNSET
    online_reason: OnlineReason | msgspec.UnsetType = msgspec.UNSET
    follows_up: UUID | msgspec.UnsetType | None = msgspec.UNSET
    attendance: AttendanceList | msgspec.UnsetType = msgspec.UNSET


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
        starts_at=values["starts_at"],
        venue_school_id=values["venue_school_id"],
        notified_at=values["notified_at"],
        online_reason=values["online_reason"],
        follows_up=values["follows_up"],
        attendance=tuple(
            a
            if isinstance(a, Attendance)
            else Attendance(
                name=a.name,
                school_id=a.school_id,
                signed_in_at=a.signed_in_at,
                late=a.late,
                left_early=a.left_early,
                leave_reason=a.leave_reason,
            )
            for a in values["attendance"]
        ),
    )


async def _uploaded(env: Env, facts: ActivityFacts, before: ActivityFacts | None) -> ActivityFacts:
    """The evidence as the county uploaded it (its size and media type as stored).

    A file the action named before may stay even if it was swept since: the events name it.
    """
    kept = set() if before is None else {e.sha256 for e in before.evidence}
    found = await claim(env.store.pool, env.tenant_id, [e.sha256 for e in facts.evidence])
    evidence = []
    for item in facts.evidence:
        stored = found.get(item.sha256)
        if stored is None:
            if item.sha256 not in kept:
                raise EvidenceNotUploadedError(sha256=item.sha256)
            evidence.append(item)
        else:
            evidence.append(
                dataclasses.replace(item, size=stored.size, media_type=stored.media_type)
            )
    return dataclasses.replace(facts, evidence=tuple(evidence))


async def _followed(env: Env, facts: ActivityFacts) -> Activity | None:
    if facts.follows_up is None:
        return None
    return await referenced(env, Activity, "follows_up", facts.follows_up)


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
    facts = await _uploaded(env, _facts(msgspec.structs.asdict(cmd)), None)
    activity = Activity.record(
        id=uuid4(),
        community=community,
        facts=facts,
        today=env.today,
        by=env.by,
        follows=await _followed(env, facts),
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
    if "evidence" in changes:
        facts = await _uploaded(env, facts, activity.facts)
    community = await env.store.get(Community, env.tenant_id, activity.community_id)
    follows = await _followed(env, facts)
    activity.correct(community, facts, cmd.reason, env.today, by=env.by, follows=follows)
    return Decision(activity)


async def void_activity(env: Env, activity: Activity, cmd: VoidActivity) -> Decision[Activity]:
    act_for_school(env, activity.facts.host_school_id)
    activity.void(cmd.reason, by=env.by)
    return Decision(activity)
