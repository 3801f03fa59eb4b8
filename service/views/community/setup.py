"""A community's set-up as its record shows it: agreement, leading group, studios, phases."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

import msgspec

from service.views.labels import text

if TYPE_CHECKING:
    from domain.community.community import Community


class AgreementView(msgspec.Struct, frozen=True, kw_only=True):
    rights: str
    duties: str
    mode: str
    targets: str
    evaluation: str
    signed_on: date
    document_name: str
    document_sha256: str


class GroupMemberView(msgspec.Struct, frozen=True, kw_only=True):
    role: str
    role_label: str
    teacher_id: UUID | None  # a teacher of the county; their name is read from /v1/teachers
    name: str | None  # staff who are not teachers
    post: str


class StudioView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    leader_id: UUID
    member_ids: list[UUID]
    opened_on: date


class PhaseView(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    kind_label: str
    starts_on: date
    ends_on: date


class ExternalSchoolView(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    county: str
    paired_on: date
    note: str


class SetUpView(msgspec.Struct, frozen=True, kw_only=True):
    agreement_signed: AgreementView | None  # the latest signed
    leading_group: list[GroupMemberView]
    base_school_ids: list[UUID]  # 基地校
    studios: list[StudioView]
    phases: list[PhaseView]
    external_schools: list[ExternalSchoolView]  # of other counties


def set_up_view(community: Community, lang: str) -> SetUpView:
    signed = community.signed
    return SetUpView(
        agreement_signed=None if signed is None else AgreementView(**vars(signed)),
        leading_group=[
            GroupMemberView(
                role=m.role.value,
                role_label=text(m.role, lang),
                teacher_id=m.teacher_id,
                name=m.name or None,
                post=m.post,
            )
            for m in community.leading_group
        ],
        base_school_ids=list(community.base_school_ids),
        studios=[
            StudioView(
                id=s.studio_id,
                name=s.name,
                leader_id=s.leader_id,
                member_ids=list(s.member_ids),
                opened_on=s.opened_on,
            )
            for s in community.studios
        ],
        phases=[
            PhaseView(
                kind=p.kind.value,
                kind_label=text(p.kind, lang),
                starts_on=p.starts_on,
                ends_on=p.ends_on,
            )
            for p in community.phases
        ],
        external_schools=[
            ExternalSchoolView(name=e.name, county=e.county, paired_on=e.paired_on, note=e.note)
            for e in community.external_schools
        ],
    )
