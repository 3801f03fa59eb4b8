"""Envelope encryption of personal data against the real database: seal, open, erase."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import msgspec
import pytest

from domain.codes import Gender, SchoolLocation, SchoolStage, Subject
from domain.community.school import School
from domain.staff.teacher import Teacher
from infra.chain import verify
from infra.crypto import (
    ERASED,
    MASTER_KEY_ENV,
    KeyErasedError,
    Keyring,
    MasterKey,
    MasterKeyError,
    PersonalData,
    SealBrokenError,
    UnknownKeyError,
    load_master_key,
)
from infra.event_store import EventStore, WriteContext
from tests.conftest import Database, new_tenant

# Made up: no real person.
NAME = "欧阳明远"
PHONE = "13912345678"
ID_NUMBER = "33032719900101123X"
ZHANG = PersonalData(name=NAME, phone=PHONE, id_number=ID_NUMBER)


@pytest.fixture(scope="module")
def master() -> MasterKey:
    return MasterKey.generate()


@pytest.fixture(scope="module")
def keyring(app_pool: asyncpg.Pool, master: MasterKey) -> Keyring:
    return Keyring(app_pool, master)


@pytest.fixture(scope="module")
async def owner(database: Database) -> Any:
    conn = await asyncpg.connect(database.owner_url)
    yield conn
    await conn.close()


async def key_row(owner: asyncpg.Connection, tenant_id: UUID, teacher_id: UUID) -> asyncpg.Record:
    row = await owner.fetchrow(
        "select * from teacher_keys where tenant_id = $1 and teacher_id = $2", tenant_id, teacher_id
    )
    assert row is not None
    return row


async def test_personal_data_comes_back_as_sealed(keyring: Keyring, tenant_id: UUID) -> None:
    teacher_id = uuid4()
    sealed = await keyring.seal(tenant_id, teacher_id, ZHANG)
    assert NAME.encode() not in sealed
    assert await keyring.open(tenant_id, teacher_id, sealed, PersonalData) == ZHANG
    # A second seal for the same teacher uses the same key, with a fresh nonce.
    again = await keyring.seal(tenant_id, teacher_id, ZHANG)
    assert again != sealed
    assert await keyring.open(tenant_id, teacher_id, again, PersonalData) == ZHANG


async def test_sealed_lengths_do_not_tell_names_apart(keyring: Keyring, tenant_id: UUID) -> None:
    short = await keyring.seal(tenant_id, uuid4(), PersonalData(name="李丽"))
    longer = await keyring.seal(tenant_id, uuid4(), PersonalData(name="司马相如明"))
    assert len(short) == len(longer)


async def test_after_erasure_open_says_erased_and_no_key_material_remains(
    keyring: Keyring, master: MasterKey, tenant_id: UUID, owner: asyncpg.Connection
) -> None:
    teacher_id = uuid4()
    sealed = await keyring.seal(tenant_id, teacher_id, ZHANG)
    before = await key_row(owner, tenant_id, teacher_id)
    wrapped = before["wrapped_key"]
    assert isinstance(wrapped, bytes)
    assert len(wrapped) > 32

    assert await keyring.erase(tenant_id, teacher_id) is True
    assert await keyring.open(tenant_id, teacher_id, sealed, PersonalData) is ERASED
    after = await key_row(owner, tenant_id, teacher_id)
    assert after["wrapped_key"] is None
    assert after["erased_at"] is not None
    for column, value in after.items():
        assert not isinstance(value, (bytes, bytearray, memoryview)), column
        assert wrapped.hex() not in str(value), column
    # Erased for good: no new key, a second erasure changes nothing.
    with pytest.raises(KeyErasedError):
        await keyring.seal(tenant_id, teacher_id, ZHANG)
    assert await keyring.erase(tenant_id, teacher_id) is False
    assert await key_row(owner, tenant_id, teacher_id) == after
    # Another process (its own keyring, same master key) sees the erasure at once.
    other = Keyring(keyring.pool, master)
    assert await other.open(tenant_id, teacher_id, sealed, PersonalData) is ERASED


async def test_erasing_a_teacher_never_sealed_leaves_a_tombstone(
    keyring: Keyring, tenant_id: UUID, owner: asyncpg.Connection
) -> None:
    teacher_id = uuid4()
    assert await keyring.erase(tenant_id, teacher_id) is True
    assert (await key_row(owner, tenant_id, teacher_id))["wrapped_key"] is None
    with pytest.raises(KeyErasedError):
        await keyring.seal(tenant_id, teacher_id, ZHANG)


async def test_an_erased_key_cannot_be_put_back_or_its_row_removed_even_by_the_owner(
    keyring: Keyring, tenant_id: UUID, owner: asyncpg.Connection
) -> None:
    kept, erased = uuid4(), uuid4()
    await keyring.seal(tenant_id, kept, ZHANG)
    await keyring.seal(tenant_id, erased, ZHANG)
    await keyring.erase(tenant_id, erased)
    wrapped = (await key_row(owner, tenant_id, kept))["wrapped_key"]
    for sql, args in (
        ("update teacher_keys set wrapped_key = $3, erased_at = null", (wrapped,)),
        ("update teacher_keys set erased_at = clock_timestamp()", ()),
        ("delete from teacher_keys", ()),
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await owner.execute(
                sql + " where tenant_id = $1 and teacher_id = $2", tenant_id, erased, *args
            )
    with pytest.raises(asyncpg.InsufficientPrivilegeError):  # a live key is never replaced
        await owner.execute(
            "update teacher_keys set wrapped_key = $3 where tenant_id = $1 and teacher_id = $2",
            tenant_id,
            kept,
            wrapped[:-1] + bytes([wrapped[-1] ^ 1]),
        )
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await owner.execute("delete from county_keys where tenant_id = $1", tenant_id)


async def test_another_county_cannot_open_a_teacher_s_data(
    keyring: Keyring, app_pool: asyncpg.Pool
) -> None:
    a, b = await new_tenant(app_pool, "甲县"), await new_tenant(app_pool, "乙县")
    teacher_id = uuid4()
    sealed = await keyring.seal(a, teacher_id, ZHANG)
    with pytest.raises(UnknownKeyError):  # row-level security: B sees no key of A's
        await keyring.open(b, teacher_id, sealed, PersonalData)
    await keyring.seal(b, teacher_id, PersonalData(name="B's own"))  # B's key, same teacher id
    with pytest.raises(SealBrokenError):  # bound to county A by its associated data
        await keyring.open(b, teacher_id, sealed, PersonalData)
    assert await keyring.open(a, teacher_id, sealed, PersonalData) == ZHANG


async def test_a_tampered_or_moved_sealed_value_is_refused(
    keyring: Keyring, tenant_id: UUID
) -> None:
    teacher_id, other_id = uuid4(), uuid4()
    sealed = await keyring.seal(tenant_id, teacher_id, ZHANG)
    await keyring.seal(tenant_id, other_id, ZHANG)
    for at in (0, 1, 13, len(sealed) // 2, len(sealed) - 1):  # format, nonce, body, tag
        tampered = bytearray(sealed)
        tampered[at] ^= 0x01
        with pytest.raises(SealBrokenError):
            await keyring.open(tenant_id, teacher_id, bytes(tampered), PersonalData)
    for cut in (sealed[:-1], sealed[:20], b""):
        with pytest.raises(SealBrokenError):
            await keyring.open(tenant_id, teacher_id, cut, PersonalData)
    with pytest.raises(SealBrokenError):  # another teacher's key, same county
        await keyring.open(tenant_id, other_id, sealed, PersonalData)


async def test_a_county_key_wrapped_by_another_master_key_is_named_as_such(
    keyring: Keyring, tenant_id: UUID
) -> None:
    teacher_id = uuid4()
    sealed = await keyring.seal(tenant_id, teacher_id, ZHANG)
    stranger = Keyring(keyring.pool, MasterKey.generate())
    with pytest.raises(MasterKeyError, match="another master key"):
        await stranger.open(tenant_id, teacher_id, sealed, PersonalData)


def forms_of(text: str) -> dict[str, bytes]:
    """Byte patterns that would give `text` away in a stored payload."""
    utf8 = text.encode()
    # JSON may escape each character as \uXXXX, in either case (names are in the BMP).
    lower = "".join(f"\\u{ord(char):04x}" for char in text)
    upper = "".join(f"\\u{ord(char):04X}" for char in text)
    forms = {
        "plain UTF-8": utf8,
        "GBK": text.encode("gbk"),
        "JSON \\u escapes": lower.encode(),
        "JSON \\u escapes, upper case": upper.encode(),
    }
    # Base64 of the text at each of the three alignments, without the characters that also
    # depend on the bytes around it.
    for shift in range(3):
        for name, encode in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            encoded = encode(b"\0" * shift + utf8)
            forms[f"{name} +{shift}"] = encoded[4 if shift else 0 : -4]
    return forms


def assert_absent(text: str, stored: bytes, where: str) -> None:
    for form, pattern in forms_of(text).items():
        assert pattern not in stored, f"{text!r} as {form} in {where}"

    # Every JSON string that is base64 of something: what it decodes to does not hold it.
    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    for string in strings(msgspec.json.decode(stored)):
        try:
            decoded = base64.b64decode(string, validate=True)
        except ValueError:
            continue
        assert text.encode() not in decoded, f"{text!r} base64-decodable in {where}"


def test_the_check_finds_a_name_in_each_form() -> None:
    """The absence check below can fail: each form, embedded in a payload, is caught."""
    for form, pattern in forms_of(NAME).items():
        with pytest.raises(AssertionError, match="as "):
            assert_absent(NAME, b'{"x": "' + pattern + b'"}', form)
    hidden = base64.b64encode(NAME.encode() + b"!").decode()
    with pytest.raises(AssertionError):
        assert_absent(NAME, msgspec.json.encode({"x": hidden}), "decoded")


async def test_the_raw_events_table_holds_no_teacher_name_in_any_form(
    keyring: Keyring, store: EventStore, tenant_id: UUID, owner: asyncpg.Connection
) -> None:
    ctx = WriteContext(tenant_id=tenant_id, actor_id=uuid4(), role="admin")
    school = School.register(
        namespace=tenant_id,
        name=NAME,  # the control: a name stored in the clear is found by the same check
        code="CZ-01",
        stage=SchoolStage.PRIMARY,
        location=SchoolLocation.VILLAGE,
        district="",
        by=ctx.actor_id,
    )
    await store.save(school, ctx)
    teacher_id = uuid4()
    teacher = Teacher.register(
        id=teacher_id,
        school=school,
        personal=await keyring.seal(tenant_id, teacher_id, ZHANG),
        gender=Gender.MALE,
        birth_year=1990,
        subjects=(Subject.MATH,),
        title=None,
        backbone_level=None,
        posts=(),
        by=ctx.actor_id,
    )
    await store.save(teacher, ctx)
    teacher.change_personal_data(
        await keyring.seal(tenant_id, teacher_id, PersonalData(name=NAME, phone="13900000000")),
        by=ctx.actor_id,
    )
    await store.save(teacher, ctx)
    rows = await owner.fetch(
        "select stream_id, event_type, payload, metadata from events where tenant_id = $1",
        tenant_id,
    )
    teacher_rows = [row for row in rows if row["stream_id"] == teacher_id]
    assert [row["event_type"] for row in teacher_rows] == [
        "domain.staff.teacher:Teacher.Registered",
        "domain.staff.teacher:Teacher.PersonalDataChanged",
    ]
    for row in teacher_rows:
        for secret in (NAME, PHONE, ID_NUMBER, "13900000000"):
            assert_absent(secret, row["payload"], f"{row['event_type']} payload")
            assert_absent(secret, row["metadata"], f"{row['event_type']} metadata")
    [school_row] = [row for row in rows if row["stream_id"] == school.id]
    with pytest.raises(AssertionError, match="plain UTF-8"):
        assert_absent(NAME, school_row["payload"], "the school's payload")
    # The store gives the sealed bytes back, and they open.
    again = await store.get(Teacher, tenant_id, teacher_id)
    assert again.personal is not None
    opened = await keyring.open(tenant_id, teacher_id, again.personal, PersonalData)
    assert opened == PersonalData(name=NAME, phone="13900000000")


async def test_after_erasure_the_events_stay_and_the_chain_still_verifies(
    keyring: Keyring, store: EventStore, tenant_id: UUID, app_pool: asyncpg.Pool
) -> None:
    ctx = WriteContext(tenant_id=tenant_id, actor_id=uuid4(), role="admin")
    school = School.register(
        namespace=tenant_id,
        name="青山小学",
        code="QS-01",
        stage=SchoolStage.PRIMARY,
        location=SchoolLocation.VILLAGE,
        district="",
        by=ctx.actor_id,
    )
    await store.save(school, ctx)
    teacher_id = uuid4()
    sealed = await keyring.seal(tenant_id, teacher_id, ZHANG)
    teacher = Teacher.register(
        id=teacher_id,
        school=school,
        personal=sealed,
        gender=Gender.FEMALE,
        birth_year=1988,
        subjects=(),
        title=None,
        backbone_level=None,
        posts=(),
        by=ctx.actor_id,
    )
    await store.save(teacher, ctx)
    # The command's order: destroy the key, then append the fact.
    await keyring.erase(tenant_id, teacher_id)
    teacher.erase(by=ctx.actor_id)
    await store.save(teacher, ctx)
    replayed = await store.get(Teacher, tenant_id, teacher_id)
    assert replayed.is_erased
    recorded = await store.read_stream(tenant_id, teacher_id)
    registered = store.decode(recorded[0])
    assert registered.personal == sealed  # the ciphertext is still there, unreadable
    assert await keyring.open(tenant_id, teacher_id, registered.personal, PersonalData) is ERASED
    async with app_pool.acquire() as conn:
        report = await verify(conn, tenant_id)
    assert report.intact, report.problem
    assert report.events_checked == 3


def test_the_master_key_comes_from_the_environment_first(tmp_path: Path) -> None:
    key = MasterKey.generate()
    assert load_master_key({MASTER_KEY_ENV: key.encoded()}, tmp_path) == key
    standard = base64.b64encode(key.key).decode()
    assert load_master_key({MASTER_KEY_ENV: f" {standard}\n"}, tmp_path) == key
    assert not (tmp_path / "master.key").exists()
    for bad in ("not base64!", base64.b64encode(b"short").decode()):
        with pytest.raises(MasterKeyError, match=MASTER_KEY_ENV):
            load_master_key({MASTER_KEY_ENV: bad}, tmp_path)


def test_without_the_variable_a_private_key_file_is_made_once_and_reused(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    made = load_master_key({MASTER_KEY_ENV: ""}, folder)
    path = folder / "master.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_master_key({}, folder) == made
    assert path.read_text().strip() == made.encoded()


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    load_master_key({}, tmp_path)
    os.chmod(tmp_path / "master.key", 0o644)  # noqa: PTH101 (the same call as in ops notes)
    with pytest.raises(MasterKeyError, match="chmod 600"):
        load_master_key({}, tmp_path)


def test_the_master_key_is_not_shown_in_its_repr() -> None:
    key = MasterKey.generate()
    assert key.encoded() not in repr(key)
    assert key.key.hex() not in repr(key)
