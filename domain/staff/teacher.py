"""The Teacher aggregate: a teacher (教师) of the county, whose personal data is sealed."""

from collections.abc import Hashable, Sequence
from datetime import date
from typing import Self, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain._text import required
from domain.codes import BackboneLevel, Gender, Post, Subject, TeacherTitle
from domain.community.errors import DuplicateSubjectError, SchoolClosedError
from domain.community.school import School
from domain.periods import check_in_range
from domain.staff.errors import (
    BirthYearError,
    DuplicatePostError,
    TeacherErasedError,
    TeacherLeftError,
    TeacherUnchangedError,
)

# The domain has no clock: the bounds only catch typing mistakes; age rules judge the rest.
FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR = 1940, 2080
REASON_LIMIT = 500
# Personal data reaches the domain only sealed; the service checks it against these at the door.
NAME_LIMIT = 50
PHONE_LIMIT = 20
ID_NUMBER_LIMIT = 18
_T = TypeVar("_T", bound=Hashable)


class Teacher(Aggregate):
    """A teacher of the county: school, subjects, title (职称), 骨干 level and posts.

    `personal` (name, phone, ID number) is sealed by infra with the teacher's own key before
    it reaches the domain: no rule reads it, and once the key is destroyed (erasure) no one
    can. The events keep the sealed bytes, so the hash chain still verifies.
    """

    class Registered(Aggregate.Created):
        school_id: UUID
        personal: bytes
        gender: Gender
        birth_year: int
        subjects: tuple[Subject, ...]
        title: TeacherTitle | None  # none yet: 未定级, e.g. in the probation year
        backbone_level: BackboneLevel | None
        posts: tuple[Post, ...]
        registered_by: UUID

    class Transferred(Aggregate.Event):
        school_id: UUID
        transferred_on: date
        transferred_by: UUID

    class TitleChanged(Aggregate.Event):
        title: TeacherTitle
        changed_on: date
        changed_by: UUID

    class BackboneLevelChanged(Aggregate.Event):
        backbone_level: BackboneLevel | None  # none: no longer a backbone teacher
        changed_on: date
        changed_by: UUID

    class PostsChanged(Aggregate.Event):
        posts: tuple[Post, ...]
        changed_on: date
        changed_by: UUID

    class PersonalDataChanged(Aggregate.Event):
        personal: bytes
        changed_by: UUID

    class Left(Aggregate.Event):
        left_on: date
        reason: str
        left_by: UUID

    class Erased(Aggregate.Event):
        # No free text: whatever it said would stay in the ledger after the key is gone.
        erased_by: UUID

    @classmethod
    def register(
        cls,
        *,
        id: UUID,  # noqa: A002 (the stream id, named as eventsourcing names it)
        school: School,
        personal: bytes,
        gender: Gender,
        birth_year: int,
        subjects: Sequence[Subject],
        title: TeacherTitle | None,
        backbone_level: BackboneLevel | None,
        posts: Sequence[Post],
        by: UUID,
    ) -> Self:
        check_school_open(school)
        if not FIRST_BIRTH_YEAR <= birth_year <= LAST_BIRTH_YEAR:
            raise BirthYearError(
                birth_year=birth_year, first=FIRST_BIRTH_YEAR, last=LAST_BIRTH_YEAR
            )
        return cls(
            id=id,
            school_id=school.id,
            personal=personal,
            gender=gender,
            birth_year=birth_year,
            subjects=_distinct_subjects(subjects),
            title=title,
            backbone_level=backbone_level,
            posts=distinct_posts(posts),
            registered_by=by,
        )

    @event(Registered)
    def __init__(
        self,
        *,
        id: UUID,  # noqa: A002, ARG002 (eventsourcing takes the stream id from here)
        school_id: UUID,
        personal: bytes,
        gender: Gender,
        birth_year: int,
        subjects: tuple[Subject, ...],
        title: TeacherTitle | None,
        backbone_level: BackboneLevel | None,
        posts: tuple[Post, ...],
        registered_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.school_id = school_id
        self.personal: bytes | None = personal
        self.gender = gender
        self.birth_year = birth_year
        self.subjects = subjects
        self.title = title
        self.backbone_level = backbone_level
        self.posts = posts
        self.left_on: date | None = None
        self.is_erased = False

    def check_can_serve(self) -> None:
        """Refuse a teacher who has left or been erased (for assignments and mentorships)."""
        if self.is_erased:
            raise TeacherErasedError(teacher_id=self.id)
        if self.left_on is not None:
            raise TeacherLeftError(teacher_id=self.id, left_on=self.left_on)

    def transfer(self, school: School, on: date, by: UUID) -> None:
        self._check_can_change(on)
        check_school_open(school)
        if school.id == self.school_id:
            raise TeacherUnchangedError(teacher_id=self.id, field="school")
        self._transferred(school_id=school.id, transferred_on=on, transferred_by=by)

    def change_title(self, title: TeacherTitle, on: date, by: UUID) -> None:
        self._check_can_change(on)
        if title is self.title:
            raise TeacherUnchangedError(teacher_id=self.id, field="title")
        self._title_changed(title=title, changed_on=on, changed_by=by)

    def change_backbone_level(self, level: BackboneLevel | None, on: date, by: UUID) -> None:
        self._check_can_change(on)
        if level is self.backbone_level:
            raise TeacherUnchangedError(teacher_id=self.id, field="backbone_level")
        self._backbone_level_changed(backbone_level=level, changed_on=on, changed_by=by)

    def change_posts(self, posts: Sequence[Post], on: date, by: UUID) -> None:
        self._check_can_change(on)
        distinct = distinct_posts(posts)
        if set(distinct) == set(self.posts):
            raise TeacherUnchangedError(teacher_id=self.id, field="posts")
        self._posts_changed(posts=distinct, changed_on=on, changed_by=by)

    def change_personal_data(self, personal: bytes, by: UUID) -> None:
        """Replace the sealed personal data (a new phone, a corrected name), sealed anew."""
        self.check_can_serve()
        self._personal_data_changed(personal=personal, changed_by=by)

    def leave(self, on: date, reason: str, by: UUID) -> None:
        """The teacher leaves the county's staff (retired, moved away); the record stays."""
        self._check_can_change(on)
        reason = required(reason, field="reason", limit=REASON_LIMIT)
        self._left(left_on=on, reason=reason, left_by=by)

    def erase(self, by: UUID) -> None:
        """Record that the teacher's key was destroyed on request: the events stay, unreadable."""
        if self.is_erased:
            raise TeacherErasedError(teacher_id=self.id)
        self._erased(erased_by=by)

    def _check_can_change(self, on: date) -> None:
        check_in_range("on", on)
        self.check_can_serve()

    @event(Transferred)
    def _transferred(
        self,
        *,
        school_id: UUID,
        transferred_on: date,  # noqa: ARG002 (kept in the event only)
        transferred_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.school_id = school_id

    @event(TitleChanged)
    def _title_changed(
        self,
        *,
        title: TeacherTitle,
        changed_on: date,  # noqa: ARG002 (kept in the event only)
        changed_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.title = title

    @event(BackboneLevelChanged)
    def _backbone_level_changed(
        self,
        *,
        backbone_level: BackboneLevel | None,
        changed_on: date,  # noqa: ARG002 (kept in the event only)
        changed_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.backbone_level = backbone_level

    @event(PostsChanged)
    def _posts_changed(
        self,
        *,
        posts: tuple[Post, ...],
        changed_on: date,  # noqa: ARG002 (kept in the event only)
        changed_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.posts = posts

    @event(PersonalDataChanged)
    def _personal_data_changed(
        self,
        *,
        personal: bytes,
        changed_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.personal = personal

    @event(Left)
    def _left(
        self,
        *,
        left_on: date,
        reason: str,  # noqa: ARG002 (kept in the event only)
        left_by: UUID,  # noqa: ARG002 (kept in the event only)
    ) -> None:
        self.left_on = left_on

    @event(Erased)
    def _erased(self, *, erased_by: UUID) -> None:  # noqa: ARG002 (kept in the event only)
        self.is_erased = True
        self.personal = None


def check_school_open(school: School) -> None:
    """Refuse a closed school: nobody is registered, moved, assigned or paired there."""
    if school.closed_on is not None:
        raise SchoolClosedError(school_id=school.id, closed_on=school.closed_on)


def _distinct_subjects(subjects: Sequence[Subject]) -> tuple[Subject, ...]:
    repeated = _first_repeated(subjects)
    if repeated is not None:
        raise DuplicateSubjectError(subject=repeated)
    return tuple(subjects)


def distinct_posts(posts: Sequence[Post]) -> tuple[Post, ...]:
    """The posts as a tuple; refuse one listed twice."""
    repeated = _first_repeated(posts)
    if repeated is not None:
        raise DuplicatePostError(post=repeated)
    return tuple(posts)


def _first_repeated(items: Sequence[_T]) -> _T | None:
    return next((item for i, item in enumerate(items) if item in items[:i]), None)
