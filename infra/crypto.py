"""Envelope encryption of teachers' personal data, and erasure by destroying the key.

Each teacher's personal data is sealed with a key of their own (AES-256-GCM); that key is
stored wrapped by a key of the county, which is stored wrapped by the master key. The master
key never enters the database: it comes from `JGT_MASTER_KEY` or a file in the data folder.
Every ciphertext is bound by its associated data to its county and teacher, so a sealed value
copied to another county or teacher does not open. Erasing a teacher overwrites their wrapped
key with nothing: the events keep the ciphertext (the hash chain still verifies), and no one
can open it any more.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import secrets
import stat
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, TypeVar

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from infra.db import tenant_transaction

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Mapping
    from pathlib import Path
    from uuid import UUID

    import asyncpg

    from infra.db import Connection

MASTER_KEY_ENV = "JGT_MASTER_KEY"
MASTER_KEY_FILE = "master.key"
KEY_BYTES = 32  # AES-256
_NONCE_BYTES = 12
_TAG_BYTES = 16
_FORMAT = b"\x01"  # the first byte of every sealed value and wrapped key
_PAD = 32  # plaintexts are padded to a multiple of this, so lengths say little about names
_COUNTY_AAD = b"jgt county key v1"
_TEACHER_AAD = b"jgt teacher key v1"
_PERSONAL_AAD = b"jgt personal data v1"

S = TypeVar("S", bound=msgspec.Struct)


class PersonalData(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """What is sealed for a teacher: the data that names the person."""

    name: str
    phone: str | None = None
    id_number: str | None = None


class Erased:
    """The teacher's key was destroyed: their personal data can no longer be opened."""

    def __repr__(self) -> str:
        return "ERASED"


ERASED: Final = Erased()


class CryptoError(Exception):
    """Base of the key store's errors."""


class MasterKeyError(CryptoError):
    """The master key is missing, malformed, too widely readable, or not the one in use."""


class KeyErasedError(CryptoError):
    """Sealing for a teacher whose key was destroyed: nothing is sealed for them again."""


class UnknownKeyError(CryptoError):
    """No key for this teacher in this county (never sealed here, or another county's value)."""


class SealBrokenError(CryptoError):
    """The sealed value was altered, or belongs to another county or teacher."""


@dataclass(frozen=True)
class MasterKey:
    """The key that wraps every county key; `key_id` tells which one wrapped a county key."""

    key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.key) != KEY_BYTES:
            raise MasterKeyError(f"the master key must be {KEY_BYTES} bytes, not {len(self.key)}")

    @classmethod
    def generate(cls) -> MasterKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    @property
    def key_id(self) -> bytes:
        return hashlib.sha256(b"jgt master key id\x00" + self.key).digest()[:8]

    def encoded(self) -> str:
        """The form `JGT_MASTER_KEY` and the key file hold: URL-safe base64."""
        return base64.urlsafe_b64encode(self.key).decode()


def load_master_key(environ: Mapping[str, str], data_dir: Path) -> MasterKey:
    """The master key from `JGT_MASTER_KEY`, else from `<data_dir>/master.key` (mode 0600).

    Without either, the file is created with a new key: the default run needs nothing set.
    Losing the key loses every county's personal data, so back it up apart from the database.
    """
    value = environ.get(MASTER_KEY_ENV, "").strip()
    if value:
        return parse_master_key(value, MASTER_KEY_ENV)
    path = data_dir / MASTER_KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: use theirs
        else:
            with os.fdopen(fd, "w") as file:
                file.write(MasterKey.generate().encoded() + "\n")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise MasterKeyError(f"{path} is readable by others (mode {mode:04o}); chmod 600 it")
    return MasterKey(_decode(path.read_text().strip(), str(path)))


def parse_master_key(value: str, source: str) -> MasterKey:
    """The master key that `value` (URL-safe base64) holds; `source` names it in an error."""
    return MasterKey(_decode(value, source))


def _decode(value: str, source: str) -> bytes:
    try:
        key = base64.b64decode(value.replace("-", "+").replace("_", "/"), validate=True)
    except binascii.Error as error:
        raise MasterKeyError(f"{source} is not base64: {error}") from None
    if len(key) != KEY_BYTES:
        raise MasterKeyError(f"{source} must hold {KEY_BYTES} bytes in base64, not {len(key)}")
    return key


class Keyring:
    """Seals, opens and erases teachers' personal data.

    Keys live in `county_keys` and `teacher_keys`, behind row-level security like every
    table. Each method runs on `conn` when given (a transaction with the tenant set), else in a
    transaction of its own on `pool`. Unwrapped county keys are kept in memory (they are
    never destroyed); teacher keys are not, so an erasure holds at once in every process.
    """

    def __init__(self, pool: asyncpg.Pool, master: MasterKey) -> None:
        self.pool = pool
        self._master = AESGCM(master.key)
        self._master_id = master.key_id
        self._counties: dict[UUID, AESGCM] = {}

    async def seal(
        self,
        tenant_id: UUID,
        teacher_id: UUID,
        data: msgspec.Struct,
        *,
        conn: Connection | None = None,
    ) -> bytes:
        """`data` encrypted with the teacher's key (made on first use), for an event."""
        plain = msgspec.json.encode(data)
        plain += b" " * (-len(plain) % _PAD)  # JSON ignores trailing spaces
        async with self._transaction(tenant_id, conn) as tx:
            key = await self._teacher_key(tx, tenant_id, teacher_id, create=True)
        if key is None:
            raise KeyErasedError(f"teacher {teacher_id} was erased: nothing is sealed for them")
        return _encrypt(key, plain, _PERSONAL_AAD + tenant_id.bytes + teacher_id.bytes)

    async def open(
        self,
        tenant_id: UUID,
        teacher_id: UUID,
        sealed: bytes,
        into: type[S],
        *,
        conn: Connection | None = None,
    ) -> S | Erased:
        """The data sealed for the teacher, or ERASED once their key is destroyed."""
        async with self._transaction(tenant_id, conn) as tx:
            key = await self._teacher_key(tx, tenant_id, teacher_id, create=False)
        if key is None:
            return ERASED
        plain = _decrypt(key, sealed, _PERSONAL_AAD + tenant_id.bytes + teacher_id.bytes)
        return msgspec.json.decode(plain, type=into)

    async def open_many(
        self,
        tenant_id: UUID,
        sealed: Mapping[UUID, bytes | None],
        into: type[S],
        *,
        conn: Connection | None = None,
    ) -> dict[UUID, S | Erased]:
        """Each teacher's data (a page of a list) with one read of their keys.

        A value of None (a read model drops it on erasure) is ERASED, as is a destroyed key.
        """
        wanted = [teacher_id for teacher_id, value in sealed.items() if value is not None]
        keys: dict[UUID, bytes | None] = {}
        county: AESGCM | None = None
        if wanted:
            async with self._transaction(tenant_id, conn) as tx:
                rows = await tx.fetch(
                    "select teacher_id, wrapped_key from teacher_keys"
                    " where tenant_id = $1 and teacher_id = any($2)",
                    tenant_id,
                    wanted,
                )
                keys = {row["teacher_id"]: row["wrapped_key"] for row in rows}
                if any(wrapped is not None for wrapped in keys.values()):
                    county = await self._county_key(tx, tenant_id)
        opened: dict[UUID, S | Erased] = {}
        for teacher_id, value in sealed.items():
            if value is not None and teacher_id not in keys:
                raise UnknownKeyError(f"no key for teacher {teacher_id} in county {tenant_id}")
            wrapped = keys.get(teacher_id)
            if value is None or wrapped is None or county is None:
                opened[teacher_id] = ERASED
                continue
            ids = tenant_id.bytes + teacher_id.bytes
            key = AESGCM(_decrypt(county, wrapped, _TEACHER_AAD + ids))
            plain = _decrypt(key, value, _PERSONAL_AAD + ids)
            opened[teacher_id] = msgspec.json.decode(plain, type=into)
        return opened

    async def erase(
        self, tenant_id: UUID, teacher_id: UUID, *, conn: Connection | None = None
    ) -> bool:
        """Destroy the teacher's key; False when it was already destroyed.

        The row stays, holding no key material, so that no new key is ever made for the
        teacher and reads can tell "erased" from "unknown". The Erased event is the command's.
        """
        async with self._transaction(tenant_id, conn) as tx:
            status = await tx.execute(
                "update teacher_keys set wrapped_key = null, erased_at = clock_timestamp()"
                " where tenant_id = $1 and teacher_id = $2 and erased_at is null",
                tenant_id,
                teacher_id,
            )
            if status == "UPDATE 1":
                return True
            # Never sealed: a tombstone all the same, so no key is made for them later.
            status = await tx.execute(
                "insert into teacher_keys (tenant_id, teacher_id, wrapped_key, erased_at)"
                " values ($1, $2, null, clock_timestamp()) on conflict do nothing",
                tenant_id,
                teacher_id,
            )
            return bool(status == "INSERT 0 1")

    @asynccontextmanager
    async def _transaction(
        self, tenant_id: UUID, conn: Connection | None
    ) -> AsyncIterator[Connection]:
        if conn is not None:
            yield conn
            return
        async with tenant_transaction(self.pool, tenant_id) as own:
            yield own

    async def _teacher_key(
        self, conn: Connection, tenant_id: UUID, teacher_id: UUID, *, create: bool
    ) -> AESGCM | None:
        """The teacher's key; None once erased. Raises UnknownKeyError if none and not `create`."""
        aad = _TEACHER_AAD + tenant_id.bytes + teacher_id.bytes
        if create:
            # One round trip for a new teacher: the insert wins, or someone's key exists.
            county = await self._county_key(conn, tenant_id)
            new_key = secrets.token_bytes(KEY_BYTES)
            made = await conn.fetchval(
                "insert into teacher_keys (tenant_id, teacher_id, wrapped_key) values ($1, $2, $3)"
                " on conflict do nothing returning true",
                tenant_id,
                teacher_id,
                _encrypt(county, new_key, aad),
            )
            if made:
                return AESGCM(new_key)
        wrapped = await conn.fetchrow(
            "select wrapped_key from teacher_keys where tenant_id = $1 and teacher_id = $2",
            tenant_id,
            teacher_id,
        )
        if wrapped is None:
            raise UnknownKeyError(f"no key for teacher {teacher_id} in county {tenant_id}")
        if wrapped["wrapped_key"] is None:
            return None
        county = await self._county_key(conn, tenant_id)
        return AESGCM(_decrypt(county, wrapped["wrapped_key"], aad))

    async def _county_key(self, conn: Connection, tenant_id: UUID) -> AESGCM:
        cached = self._counties.get(tenant_id)
        if cached is not None:
            return cached
        select = "select master_key_id, wrapped_key from county_keys where tenant_id = $1"
        row = await conn.fetchrow(select, tenant_id)
        if row is None:
            wrapped = _encrypt(
                self._master, secrets.token_bytes(KEY_BYTES), _COUNTY_AAD + tenant_id.bytes
            )
            await conn.execute(
                "insert into county_keys (tenant_id, master_key_id, wrapped_key)"
                " values ($1, $2, $3) on conflict do nothing",
                tenant_id,
                self._master_id,
                wrapped,
            )
            row = await conn.fetchrow(select, tenant_id)
        if row is None:  # pragma: no cover - the insert above or a racer's made it
            raise UnknownKeyError(f"no key for county {tenant_id}")
        if row["master_key_id"] != self._master_id:
            raise MasterKeyError(
                f"county {tenant_id}'s key is wrapped by another master key than the one given"
            )
        key = AESGCM(_decrypt(self._master, row["wrapped_key"], _COUNTY_AAD + tenant_id.bytes))
        self._counties[tenant_id] = key
        return key


def _encrypt(key: AESGCM, plain: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return _FORMAT + nonce + key.encrypt(nonce, plain, aad)


def _decrypt(key: AESGCM, sealed: bytes, aad: bytes) -> bytes:
    if len(sealed) < 1 + _NONCE_BYTES + _TAG_BYTES or sealed[:1] != _FORMAT:
        raise SealBrokenError("not a sealed value of this format")
    nonce = sealed[1 : 1 + _NONCE_BYTES]
    try:
        return key.decrypt(nonce, sealed[1 + _NONCE_BYTES :], aad)
    except InvalidTag:
        raise SealBrokenError(
            "the sealed value was altered, or belongs to another county or teacher"
        ) from None
