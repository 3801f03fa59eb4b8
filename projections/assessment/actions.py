"""An action's records for the rules: one per version, with its attendance and reflections."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid5

from domain.assessment.facts import ActionFact, Attendance, Reflection
from domain.community.attendance import count_attendance

if TYPE_CHECKING:
    from datetime import datetime

    from domain.community.activity_facts import ActivityFacts

# Participants are named with their school, not by a person's id: one id per (school, name).
PEOPLE = UUID("6a1b0c52-7c1e-5b8e-9d3f-0a4c2e6f8b10")


_PERSON_IDS: dict[tuple[int, str], UUID] = {}  # by the school's number: a UUID hashes in Python
_PERSON_IDS_KEPT = 65536


def person_id(school_id: UUID, name: str) -> UUID:
    key = (school_id.int, name)
    found = _PERSON_IDS.get(key)
    if found is None:
        if len(_PERSON_IDS) >= _PERSON_IDS_KEPT:
            _PERSON_IDS.clear()  # a process that has seen many counties: start again
        found = _PERSON_IDS[key] = uuid5(PEOPLE, f"{school_id}:{name}")
    return found


@dataclass(slots=True)
class Action:
    """An action's versions (one record each) and what its sign-ins and reflections say.

    The two maps are made at an action's first sign-in or reflection: most have none.
    """

    versions: list[ActionFact]
    facts: ActivityFacts
    sign_ins: dict[tuple[str, UUID], bool] | None = None
    reflections: dict[tuple[str, UUID], int] | None = None

    def refresh(self) -> None:
        """The latest version with the attendance and reflections known now."""
        f = self.facts
        if not (f.attendance or self.sign_ins or self.reflections or self.versions[-1].reflections):
            return  # nothing recorded of either: the record as built
        expected = [(p.name, p.school_id) for p in f.participants]
        attendance = None
        if f.attendance or self.sign_ins:
            seen = count_attendance(expected, f.attendance, self.sign_ins or {})
            attendance = Attendance(
                expected=seen.expected,
                present=seen.signed_in,
                late=seen.late,
                left_early=seen.left_early,
                written_leave=seen.on_leave,
            )
        self.versions[-1] = amended(
            self.versions[-1],
            attendance=attendance,
            sign_in_sheet=bool(f.attendance),
            reflections=tuple(
                Reflection(person_id(school, name), chars)
                for (name, school), chars in (self.reflections or {}).items()
            ),
        )


# An action's record is built for nine in ten of a county's events: its fields set at once, as
# the codec builds events, rather than one by one through the frozen dataclass's constructor.
# (In the fields' order, the required ones set below, as the constructor would have them.)
_DEFAULTS = {f.name: None if f.default is MISSING else f.default for f in fields(ActionFact)}


def action_fact(
    record_id: UUID,
    community_id: UUID,
    f: ActivityFacts,
    at: datetime,
    corrected_from: UUID | None = None,
) -> ActionFact:
    found = object.__new__(ActionFact)
    values = dict(_DEFAULTS)
    values.update(
        id=record_id,
        corrected_from=corrected_from,
        community_id=community_id,
        kind=f.kind._value_,  # the code: `.value` is a property that runs in Python
        held_on=f.held_on,
        known_at=at,
        host_school_id=f.host_school_id,
        participating_school_ids=f.participating_school_ids,
        place_school_id=f.venue_school_id,
        mode=f.mode,
        subjects=f.subjects,
        participant_ids=tuple([person_id(p.school_id, p.name) for p in f.participants]),
        evidence_count=len(f.evidence),
        follow_up_of=f.follows_up,
        substitution_reason=f.online_reason,
    )
    object.__setattr__(found, "__dict__", values)
    return found


def amended(record: ActionFact, **values: Any) -> ActionFact:  # noqa: ANN401 - any field's value
    """`replace(record, **values)` at a fifth of its cost: the fields copied, not constructed."""
    found = object.__new__(ActionFact)
    object.__setattr__(found, "__dict__", {**record.__dict__, **values})
    return found
