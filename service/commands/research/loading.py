"""The schools and community a research or quality command names, and whose they are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.community.community import Community
from domain.community.school import School
from infra.tenancy import Role
from service.commands.community.loading import referenced
from service.errors import NotYourSchoolError

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from uuid import UUID

    from service.command import Env


async def schools_named(env: Env, field: str, school_ids: Sequence[UUID]) -> list[School]:
    return [await referenced(env, School, field, school_id) for school_id in school_ids]


async def community_named(env: Env, community_id: UUID | None) -> Community | None:
    if community_id is None:
        return None
    return await referenced(env, Community, "community_id", community_id)


def act_for_one_of(env: Env, school_ids: Iterable[UUID]) -> None:
    """A recorder acts only on records its own school owns or takes part in."""
    if env.role is Role.RECORDER and env.school_id not in set(school_ids):
        raise NotYourSchoolError(school_id=env.school_id)
