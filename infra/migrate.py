"""Applies the numbered SQL files in `infra/migrations` in order, each once, under a lock."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import asyncpg

if TYPE_CHECKING:
    from infra.db import Connection

# Any constant works; it only has to be the same for every process that migrates.
_LOCK_KEY = 0x6A67745F6D696772  # "jgt_migr"
SERVICE_ROLES = ("jgt_app", "jgt_system")
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


class MigrationError(Exception):
    """A migration file changed after it was applied, or the files are misnumbered."""


def available() -> list[Migration]:
    """The migration files shipped with the package, in version order."""
    found = []
    for entry in resources.files("infra.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise MigrationError(f"migration files must be numbered 0001, 0002, ...: {versions}")
    return found


async def migrate(dsn: str, passwords: dict[str, str] | None = None) -> list[str]:
    """Applies pending migrations as the schema owner; returns the names applied.

    Two processes starting together serialise on an advisory lock, so each file runs once.
    """
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("select pg_advisory_lock($1)", _LOCK_KEY)
        try:
            return await _apply_pending(conn, passwords or {})
        finally:
            await conn.execute("select pg_advisory_unlock($1)", _LOCK_KEY)
    finally:
        await conn.close()


async def schema_version(conn: Connection) -> int:
    """The highest applied migration, 0 on an empty database."""
    exists = await conn.fetchval("select to_regclass('public.schema_migrations') is not null")
    if not exists:
        return 0
    return int(await conn.fetchval("select coalesce(max(version), 0) from schema_migrations"))


async def _apply_pending(conn: Connection, passwords: dict[str, str]) -> list[str]:
    await conn.execute(
        """
        create table if not exists schema_migrations (
            version integer primary key,
            name text not null,
            checksum text not null,
            applied_at timestamptz not null default clock_timestamp()
        )
        """
    )
    applied = {
        row["version"]: row["checksum"]
        for row in await conn.fetch("select version, checksum from schema_migrations")
    }
    done = []
    for migration in available():
        if migration.version in applied:
            if applied[migration.version] != migration.checksum:
                raise MigrationError(
                    f"{migration.name} changed after it was applied; add a new migration instead"
                )
            continue
        async with conn.transaction():
            await conn.execute(migration.sql)
            await conn.execute(
                "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)",
                migration.version,
                migration.name,
                migration.checksum,
            )
        done.append(migration.name)
    for role, password in passwords.items():
        if role not in SERVICE_ROLES:
            raise MigrationError(f"unknown role {role!r}; expected one of {SERVICE_ROLES}")
        literal = await conn.fetchval("select quote_literal($1)", password)
        await conn.execute(f"alter role {role} password {literal}")
    return done
