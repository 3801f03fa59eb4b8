"""The stable codes the API takes and returns, with their labels (no county data: public)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec
from litestar import Request, get

from domain.codes import (
    ActivityKind,
    ActivityMode,
    CommunityType,
    SchoolLocation,
    SchoolStage,
    Subject,
)
from service.problems import language
from service.views.labels import text

if TYPE_CHECKING:
    from enum import StrEnum


class CodeView(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str


class Catalogue(msgspec.Struct, frozen=True, kw_only=True):
    community_types: list[CodeView]
    school_stages: list[CodeView]
    school_locations: list[CodeView]
    activity_kinds: list[CodeView]
    activity_modes: list[CodeView]
    subjects: list[CodeView]


def _codes(codes: type[StrEnum], lang: str) -> list[CodeView]:
    return [CodeView(code=code.value, label=text(code, lang)) for code in codes]


@get("/v1/catalogue", tags=["catalogue"], summary="Codes and their labels")
async def catalogue(request: Request) -> Catalogue:  # type: ignore[type-arg]  # Litestar's generic default
    """Every code the API uses, labelled in Chinese (default) or English (Accept-Language: en)."""
    lang = language(request)
    return Catalogue(
        community_types=_codes(CommunityType, lang),
        school_stages=_codes(SchoolStage, lang),
        school_locations=_codes(SchoolLocation, lang),
        activity_kinds=_codes(ActivityKind, lang),
        activity_modes=_codes(ActivityMode, lang),
        subjects=_codes(Subject, lang),
    )
