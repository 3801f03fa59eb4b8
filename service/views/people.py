"""Who acted, as reads show it: the person's name and role next to the id an event names.

An event's `*_by` field names the person (the user) since people act; older events, and those
of a token issued to no one, name the token. Events are never edited: the read maps a token to
the user it was issued to, where the tokens table knows it, and says it did (`through_token`).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import msgspec

from infra.tenancy import Role

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from infra.users import Acting

_ROLES = {
    Role.OPERATOR: ("运维", "Operator"),
    Role.ADMIN: ("管理员", "Admin"),
    Role.RECORDER: ("学校填报员", "School recorder"),
    Role.SUPERVISOR: ("督导", "Supervisor"),
    Role.AUDITOR: ("审计", "Auditor"),
}


class ActedBy(msgspec.Struct, frozen=True, kw_only=True):
    """The person behind an event; `id` is what the event names (a user, or a token)."""

    id: UUID
    user_id: UUID | None  # None: a token issued to no one, or an id this county does not know
    name: str | None
    role: str | None
    role_label: str | None
    through_token: bool  # the event names a token; the person is the token's user


def acted_by(named: UUID, known: Mapping[UUID, Acting | str], lang: str) -> ActedBy:
    """`known` from infra.users.acting; a user's bare name (user_names) is taken as well."""
    found = known.get(named)
    if isinstance(found, str):
        return ActedBy(
            id=named, user_id=named, name=found, role=None, role_label=None, through_token=False
        )
    role = None if found is None else found.role
    return ActedBy(
        id=named,
        user_id=None if found is None else found.user_id,
        name=None if found is None else found.name,
        role=None if role is None else role.value,
        role_label=None if role is None else _ROLES[role][lang == "en"],
        through_token=found is not None and found.through_token,
    )


def actor_field(event: Any) -> UUID | None:  # noqa: ANN401 - any aggregate's event
    """The id in the event's `*_by` field (each event has at most one); None without one."""
    for field in dataclasses.fields(event):
        if field.name.endswith("_by"):
            value = getattr(event, field.name)
            return value if isinstance(value, UUID) else None
    return None


def actors_of(events: Iterable[Any]) -> list[UUID]:
    return [found for event in events if (found := actor_field(event)) is not None]


class Change(msgspec.Struct, frozen=True, kw_only=True):
    """One event of a record: what changed, when, who, and why when a reason was given."""

    version: int
    change: str  # the event's name: Recorded, Corrected, Voided, …
    at: datetime
    by: ActedBy | None  # None for an event that names no one (a phone sign-in: its link)
    reason: str


class History(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    changes: list[Change]


def history(
    record_id: UUID, events: Sequence[Any], known: Mapping[UUID, Acting], lang: str
) -> History:
    changes = []
    for event in events:
        named = actor_field(event)
        changes.append(
            Change(
                version=event.originator_version,
                change=type(event).__name__,
                at=event.timestamp,
                by=None if named is None else acted_by(named, known, lang),
                reason=getattr(event, "reason", "") or "",
            )
        )
    return History(id=record_id, changes=changes)
