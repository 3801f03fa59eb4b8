"""Commands on an action's attendance: sign-in links, phone sign-ins and reflections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated
from uuid import UUID, uuid4

import msgspec

from domain.community.activity import PARTICIPANT_NAME_LIMIT, Activity
from domain.community.attendance import REFLECTION_LIMIT
from infra.event_store import StreamConflictError, WriteContext
from service.access import act_for_school
from service.body import RequiredText
from service.command import ATTEMPTS, Decision

if TYPE_CHECKING:
    from infra.event_store import Appended, EventStore
    from infra.sign_in_links import SignInLink
    from service.command import Env

Name = Annotated[
    RequiredText, msgspec.Meta(min_length=1, max_length=PARTICIPANT_NAME_LIMIT, examples=["王芳"])
]
# The role the events of a phone sign-in carry in their metadata: the link, not a token.
SIGN_IN_ROLE = "sign_in_link"


class IssueSignInLink(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How long the link stays good; at most (and by default) `JGT_SIGN_IN_LINK_MINUTES`."""

    minutes: Annotated[int, msgspec.Meta(ge=1, le=7 * 24 * 60)] | None = None


class SignIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Who signs in: one of the action's expected participants, by name and school."""

    name: Name
    school_id: UUID


class SubmitReflection(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A participant's reflection (研修心得); a later one of the same person replaces it."""

    name: Name
    school_id: UUID
    text: Annotated[RequiredText, msgspec.Meta(min_length=1, max_length=REFLECTION_LIMIT)]


def link_expiry(now: datetime, cmd: IssueSignInLink, longest_minutes: int) -> datetime:
    minutes = min(cmd.minutes or longest_minutes, longest_minutes)
    # Whole seconds: the link's text carries them, and the event must say the same moment.
    return (now + timedelta(minutes=minutes)).replace(microsecond=0)


async def issue_sign_in_link(
    env: Env, activity: Activity, cmd: IssueSignInLink, longest_minutes: int
) -> Decision[Activity]:
    """Records a new link of the action (the organiser's QR code); the route signs it."""
    act_for_school(env, activity.facts.host_school_id)
    now = datetime.now(UTC)
    activity.issue_sign_in_link(uuid4(), link_expiry(now, cmd, longest_minutes), now, env.by)
    return Decision(activity)


async def submit_reflection(
    env: Env, activity: Activity, cmd: SubmitReflection
) -> Decision[Activity]:
    act_for_school(env, activity.facts.host_school_id)
    activity.submit_reflection(cmd.name, cmd.school_id, cmd.text, by=env.by)
    return Decision(activity)


async def sign_in_by_link(
    store: EventStore, link: SignInLink, cmd: SignIn, request_id: str
) -> tuple[Activity, Appended]:
    """A phone sign-in, on the authority of a signed link: the link stands as the actor.

    Without a token there is no `Env`; the load, decide and save are the command ceremony's,
    decided again after a conflict with a concurrent sign-in.
    """
    write = WriteContext(
        tenant_id=link.tenant_id,
        actor_id=link.link_id,
        role=SIGN_IN_ROLE,
        request_id=request_id,
    )
    for attempt in range(1, ATTEMPTS + 1):
        activity = await store.get(Activity, link.tenant_id, link.activity_id)
        activity.sign_in(cmd.name, cmd.school_id, datetime.now(UTC), link.link_id)
        try:
            return activity, await store.save(activity, write)
        except StreamConflictError:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover
