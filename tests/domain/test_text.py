"""The one rule of storable text, as the aggregates apply it."""

import pytest

from domain._text import optional, required, storable
from domain.codes import CommunityType
from domain.community.activity import Evidence, Participant
from domain.community.community import Community
from domain.community.school import School
from domain.errors import InvalidValueError
from tests.domain.support import ENDS_ON, SHA_A, STARTS_ON, community, raises, school
from tests.domain.test_activity import LEAD, VILLAGE, record, sending_lessons

UNSTORABLE = [
    "t\x00",
    "\x07bell",
    "esc\x1b[31m",
    "del\x7f",
    "c1\x85",
    "cr\r\n",
    "\ud800",
    "x\udfffy",
]


@pytest.mark.parametrize("text", UNSTORABLE)
def test_control_characters_and_lone_surrogates_are_not_storable(text: str) -> None:
    assert not storable(text)


@pytest.mark.parametrize("text", ["", "送教下乡", "two\nlines", "a\tb", "emoji 😀", "\u3000全角"])
def test_text_with_newlines_tabs_and_any_character_is_storable(text: str) -> None:
    assert storable(text)


@pytest.mark.parametrize("text", UNSTORABLE)
def test_required_and_optional_refuse_unstorable_text(text: str) -> None:
    # Inside the text: stripping takes the whitespace controls (CR, NEL) off its ends.
    with raises(InvalidValueError, field="note", reason="control_character"):
        optional(f"x{text}y", field="note", limit=100)
    with raises(InvalidValueError, field="title", reason="control_character"):
        required(f"x{text}y", field="title", limit=100)


def test_an_activity_refuses_a_nul_in_any_of_its_texts() -> None:
    cases = [
        ("title", sending_lessons(title="t\x00")),
        ("note", sending_lessons(note="n\x00")),
        ("participant_name", sending_lessons(participants=(Participant("李\x00", LEAD.id),))),
        (
            "participant_role",
            sending_lessons(participants=(Participant("李华", VILLAGE.id, "r\x00"),)),
        ),
        ("evidence_name", sending_lessons(evidence=(Evidence("a\x00.jpg", SHA_A, 1, "image/jpeg"),))),
        ("evidence_media_type", sending_lessons(evidence=(Evidence("a.jpg", SHA_A, 1, "image\x00"),))),
    ]  # fmt: skip
    for field, facts in cases:
        with raises(InvalidValueError, field=field, reason="control_character"):
            record(facts)


def test_schools_and_communities_refuse_unstorable_names_reasons_and_agreements() -> None:
    lead = school("A1")
    with raises(InvalidValueError, field="name", reason="control_character"):
        school("A2").rename("新\x00名", "", by=lead.id)
    with raises(InvalidValueError, field="district", reason="control_character"):
        School.register(
            namespace=lead.id,
            name="学校",
            code="A3",
            stage=lead.stage,
            location=lead.location,
            district="\ud800",
            by=lead.id,
        )
    member = school("A4")
    with raises(InvalidValueError, field="agreement", reason="control_character"):
        Community.form(
            id=lead.id,
            name="教共体",
            type=CommunityType.CO_BUILT,
            lead=lead,
            members=[member],
            starts_on=STARTS_ON,
            ends_on=ENDS_ON,
            agreement="协议\x00",
            by=lead.id,
        )
    formed = community(lead, [member])
    with raises(InvalidValueError, field="reason", reason="control_character"):
        formed.dissolve(STARTS_ON, "\x1b", by=lead.id)
