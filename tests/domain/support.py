"""Builders and checks shared by the domain tests."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate, CanMutateAggregate

from domain.codes import (
    ActivityKind,
    ActivityMode,
    BackboneLevel,
    CommunityType,
    Gender,
    Post,
    SchoolLocation,
    SchoolStage,
    Subject,
    TeacherTitle,
)
from domain.community.activity import ActivityFacts, Evidence, Participant
from domain.community.community import Community
from domain.community.school import School
from domain.errors import DomainError
from domain.staff.teacher import Teacher

NAMESPACE = UUID("6f1c2a4e-0000-4000-8000-000000000001")
CLERK = UUID("6f1c2a4e-0000-4000-8000-0000000000c1")
COMMUNITY_ID = UUID("6f1c2a4e-0000-4000-8000-0000000000e1")
STARTS_ON = date(2022, 9, 1)
ENDS_ON = date(2024, 8, 31)
TODAY = date(2023, 6, 30)
SHA_A = "a" * 64
SHA_B = "0123456789abcdef" * 4
# What infra's seal returns is opaque to the domain: any bytes stand for it here.
SEALED = b"\x01sealed personal data"

A = TypeVar("A", bound=Aggregate)


def school(code: str, *, location: SchoolLocation = SchoolLocation.VILLAGE) -> School:
    return School.register(
        namespace=NAMESPACE,
        name=f"School {code}",
        code=code,
        stage=SchoolStage.PRIMARY,
        location=location,
        district="North",
        by=CLERK,
    )


def community(lead: School, members: Sequence[School]) -> Community:
    return Community.form(
        id=COMMUNITY_ID,
        name="Chengguan Primary Community",
        type=CommunityType.CO_BUILT,
        lead=lead,
        members=members,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        agreement="Agreement 2022-07",
        by=CLERK,
    )


def teacher(at: School, number: int, **changes: Any) -> Teacher:
    """Teacher `number` of school `at`: a county backbone maths teacher of intermediate title."""
    values: dict[str, Any] = {
        "id": UUID(int=0x7E00 + number),
        "school": at,
        "personal": SEALED + bytes([number]),
        "gender": Gender.FEMALE,
        "birth_year": 1990,
        "subjects": (Subject.MATH,),
        "title": TeacherTitle.INTERMEDIATE,
        "backbone_level": BackboneLevel.COUNTY,
        "posts": (Post.CLASS_TEACHER,),
        "by": CLERK,
    }
    values.update(changes)
    return Teacher.register(**values)


def facts(host: UUID, *participating: UUID, **changes: Any) -> ActivityFacts:
    """Sending lessons (送教下乡) from `host` on 2023-05-10, with `changes` applied."""
    values: dict[str, Any] = {
        "kind": ActivityKind.SENDING_LESSONS,
        "title": "Sending lessons: grade 4 maths",
        "host_school_id": host,
        "participating_school_ids": participating,
        "held_on": date(2023, 5, 10),
        "ends_on": None,
        "subjects": (Subject.MATH, Subject.CHINESE),
        "participants": (Participant("Li Hua", host, "teacher"),),
        "mode": ActivityMode.ON_SITE,
        "evidence": (Evidence("sign-in.jpg", SHA_A, 2048, "image/jpeg"),),
        "note": "",
    }
    values.update(changes)
    return ActivityFacts(**values)


def rebuilt(cls: type[A], events: Sequence[CanMutateAggregate[UUID]]) -> A:
    """Replay `events` as the store would, from nothing."""
    aggregate: Aggregate | None = None
    for each in events:
        aggregate = each.mutate(aggregate)
    assert isinstance(aggregate, cls)
    return aggregate


def assert_renders(error: DomainError) -> None:
    """Both messages fill every placeholder from the params the raising code passed."""
    for lang in ("zh", "en"):
        message = error.message(lang)
        assert message
        assert "{" not in message, message
    assert str(error) == error.message("en")


@contextmanager
def raises(error: type[DomainError], **params: object) -> Iterator[None]:
    """Expect `error` with at least these params, and check that it renders in both languages."""
    with pytest.raises(error) as caught:
        yield
    assert type(caught.value) is error
    for key, value in params.items():
        assert caught.value.params[key] == str(value), key
    assert_renders(caught.value)
