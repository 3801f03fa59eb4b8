"""The School aggregate."""

from datetime import date
from uuid import UUID, uuid4, uuid5

import pytest

from domain.codes import SchoolLocation, SchoolStage
from domain.community.errors import SchoolClosedError, SchoolUnchangedError
from domain.community.school import School
from domain.errors import InvalidValueError
from tests.domain.support import CLERK, NAMESPACE, raises, rebuilt, school


def register(**changes: object) -> School:
    values: dict[str, object] = {
        "name": "Chengguan No. 1 Primary",
        "code": "CG-01",
        "district": "Chengguan",
    }
    values.update(changes)
    return School.register(
        namespace=NAMESPACE,
        name=str(values["name"]),
        code=str(values["code"]),
        stage=SchoolStage.PRIMARY,
        location=SchoolLocation.URBAN,
        district=str(values["district"]),
        by=CLERK,
    )


def test_registering_a_school_records_registered_with_stripped_values() -> None:
    registered = School.register(
        namespace=NAMESPACE,
        name="  Chengguan No. 1 Primary ",
        code=" CG-01 ",
        stage=SchoolStage.PRIMARY,
        location=SchoolLocation.URBAN,
        district=" Chengguan ",
        by=CLERK,
    )
    [event] = registered.collect_events()
    assert isinstance(event, School.Registered)
    assert event.originator_id == School.id_for(NAMESPACE, "CG-01")
    assert (event.name, event.code, event.district) == (
        "Chengguan No. 1 Primary",
        "CG-01",
        "Chengguan",
    )
    assert (event.stage, event.location, event.registered_by) == (
        SchoolStage.PRIMARY,
        SchoolLocation.URBAN,
        CLERK,
    )
    assert registered.name == "Chengguan No. 1 Primary"
    assert registered.is_open
    assert registered.closed_on is None


def test_the_same_code_in_one_county_gives_the_same_stream_id() -> None:
    assert register(code="cg-01").id == register(code=" CG-01").id
    assert School.id_for(NAMESPACE, " cg-01 ") == uuid5(NAMESPACE, "CG-01")


def test_the_same_code_in_another_county_gives_another_stream_id() -> None:
    assert School.id_for(NAMESPACE, "CG-01") != School.id_for(uuid4(), "CG-01")


def test_district_may_be_blank() -> None:
    assert register(district="  ").district == ""


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"name": "   "}, "name", "blank"),
        ({"name": "x" * 101}, "name", "too_long"),
        ({"code": ""}, "code", "blank"),
        ({"code": "C" * 33}, "code", "too_long"),
        ({"code": "CG 01"}, "code", "bad_characters"),
        ({"code": "城关01"}, "code", "bad_characters"),
        ({"district": "d" * 101}, "district", "too_long"),
    ],
)
def test_registering_with_an_invalid_value_is_refused(
    changes: dict[str, object], field: str, reason: str
) -> None:
    with raises(InvalidValueError, field=field, reason=reason):
        register(**changes)


def test_names_and_codes_at_their_limits_are_accepted() -> None:
    registered = register(name="x" * 100, code="A_b-9" + "C" * 27, district="d" * 100)
    assert len(registered.code) == 32


def test_renaming_records_renamed() -> None:
    registered = register()
    registered.collect_events()
    registered.rename(" Chengguan Central Primary ", "merged with No. 2", by=CLERK)
    [event] = registered.collect_events()
    assert isinstance(event, School.Renamed)
    assert (event.name, event.reason, event.renamed_by) == (
        "Chengguan Central Primary",
        "merged with No. 2",
        CLERK,
    )
    assert registered.name == "Chengguan Central Primary"


def test_renaming_to_the_same_name_is_refused() -> None:
    registered = register()
    with raises(SchoolUnchangedError, school_id=registered.id, name=registered.name):
        registered.rename(f" {registered.name} ", "typo", by=CLERK)


def test_renaming_to_a_blank_name_is_refused() -> None:
    with raises(InvalidValueError, field="name", reason="blank"):
        register().rename(" ", "typo", by=CLERK)


def test_closing_records_closed() -> None:
    registered = register()
    registered.collect_events()
    registered.close(date(2023, 7, 15), " merged into No. 2 ", by=CLERK)
    [event] = registered.collect_events()
    assert isinstance(event, School.Closed)
    assert (event.closed_on, event.reason, event.closed_by) == (
        date(2023, 7, 15),
        "merged into No. 2",
        CLERK,
    )
    assert registered.closed_on == date(2023, 7, 15)
    assert not registered.is_open


def test_closing_without_a_reason_is_refused() -> None:
    with raises(InvalidValueError, field="reason", reason="blank"):
        register().close(date(2023, 7, 15), "  ", by=CLERK)


def test_closing_a_closed_school_is_refused() -> None:
    registered = register()
    registered.close(date(2023, 7, 15), "merged", by=CLERK)
    with raises(SchoolClosedError, school_id=registered.id, closed_on=date(2023, 7, 15)):
        registered.close(date(2023, 7, 16), "again", by=CLERK)


def test_renaming_a_closed_school_is_refused() -> None:
    registered = register()
    registered.close(date(2023, 7, 15), "merged", by=CLERK)
    with raises(SchoolClosedError, school_id=registered.id):
        registered.rename("New name", "too late", by=CLERK)


def test_replaying_the_events_rebuilds_the_same_school() -> None:
    original = school("XC-07")
    original.rename("Xincun Primary", "new village name", by=CLERK)
    original.close(date(2024, 1, 20), "merged", by=CLERK)
    events = original.collect_events()
    assert [type(e) for e in events] == [School.Registered, School.Renamed, School.Closed]
    copy = rebuilt(School, events)
    assert copy == original
    assert (copy.name, copy.code, copy.closed_on) == ("Xincun Primary", "XC-07", date(2024, 1, 20))
    assert copy.version == 3
    assert isinstance(copy.id, UUID)
