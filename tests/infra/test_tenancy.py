"""Counties never see each other: every table, every role of the service, read and write."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.assessment.assessment import Unit, assess
from domain.assessment.record import Assessment
from domain.assessment.rule_set import RuleSet
from domain.assessment.templates import template_source
from domain.codes import ActivityKind, AssessmentGrade, CommunityType, ReviewLevel
from domain.review.policy import ReviewPolicy, policy_id
from domain.review.review import Review
from infra.checkpoints import sign_head
from infra.crypto import Keyring, MasterKey, PersonalData
from infra.db import tenant_transaction
from infra.event_store import AppendRequest, EventStore, NewEvent, OutboxMessage, WriteContext
from infra.evidence_files import keep
from infra.file_store import FolderStore
from infra.inbox import ActivityNotice, deliver
from infra.logins import new_session_secret, set_credential, start_session
from infra.signing import Signer
from infra.tenancy import Role, TokenError, authenticate, issue_token, parse_token, revoke_token
from infra.users import create_user
from projections.runner import ProjectionRunner
from tests.conftest import Database, new_tenant
from tests.infra.sample import Tally
from tests.projections.history import write_history
from tests.projections.staff_history import write_staff

_TABLES = """
    select c.relname, c.relrowsecurity, c.relforcerowsecurity,
           (select a.attname from pg_index i
              join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
            where i.indrelid = c.oid and i.indisprimary) as first_key_column
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'schema_migrations'
    order by c.relname
"""


async def filled(
    store: EventStore, pool: asyncpg.Pool, system_pool: asyncpg.Pool, files: Path
) -> UUID:
    """A county with a row in every table."""
    tenant_id = await new_tenant(pool, "隔离县")
    history = await write_history(store, tenant_id, activities=3)
    await write_staff(store, history, teachers=6)
    # A user, the county's review levels and one action's review (rows of their read models).
    async with tenant_transaction(pool, tenant_id) as conn:
        user = await create_user(conn, tenant_id, name="审核人", role=Role.ADMIN)
        # The user's sign-in to the pages and a session of it.
        await set_credential(conn, tenant_id, user.user_id, "reviewer", "not-a-real-hash")
        await start_session(conn, tenant_id, user.user_id, new_session_secret(tenant_id)[1])
    levels = (ReviewLevel.COUNTY,)
    writer = WriteContext(tenant_id=tenant_id, actor_id=uuid4(), user_id=user.user_id, role="admin")
    policy = ReviewPolicy.adopt(
        id=policy_id(tenant_id), levels=levels, applies_from=None, by=user.user_id
    )
    await store.save(policy, writer)
    await store.save(Review.open(activity_id=uuid4(), levels=levels, by=user.user_id), writer)
    # A published rule set and an assessment recorded under it (rows of the assessment lists).
    rules = RuleSet.draft(
        namespace=tenant_id,
        source=template_source("rongan-2022"),
        template="rongan-2022",
        by=writer.actor_id,
    )
    rules.validate(by=writer.actor_id)
    rules.publish(date(2022, 9, 1), None, by=writer.actor_id)
    unit = Unit(uuid4(), CommunityType.FUSED, uuid4(), ())
    assessment = Assessment.record(
        namespace=tenant_id,
        school_year="2022-2023",
        rule_set_id=rules.id,
        rules=rules.rules,
        computed=assess(rules.rules, unit, []),
        as_of=date(2023, 8, 1),
        folded_seq=1,
        grade=AssessmentGrade.PASS,
        reason="测试",
        by=writer.actor_id,
    )
    for aggregate in (rules, assessment):
        await store.save(aggregate, writer)
    retry = WriteContext(
        tenant_id=tenant_id, actor_id=uuid4(), role="admin", idempotency_key=f"k-{uuid4()}"
    )
    appended = await store.save(
        Tally.open(), retry, outbox=[OutboxMessage("notify_lead_school", {})]
    )
    notice = ActivityNotice(
        activity_id=appended.stream_id,
        community_id=uuid4(),
        lead_school_id=uuid4(),
        host_school_id=uuid4(),
        kind=ActivityKind.SENDING_LESSONS,
        title="送教下乡",
        held_on=appended.recorded_at.date(),
    )
    async with tenant_transaction(pool, tenant_id) as conn:
        await issue_token(conn, tenant_id, Role.AUDITOR, label="审计")
        await deliver(conn, tenant_id, appended.last_seq, notice)
        await conn.execute(
            "insert into audit_reads (tenant_id, actor_id, method, path, query)"
            " values ($1, $2, 'GET', '/v1/audit/events', '')",
            tenant_id,
            uuid4(),
        )
    # The rule set judged before the county is parked: rows of the compliance table.
    await ProjectionRunner(system_pool).catch_up([tenant_id])
    unfoldable = NewEvent("domain.school:School.Registered", 1, b"not an event")
    await store.append(
        AppendRequest(
            stream_id=uuid4(),
            stream_type="domain.school:School",
            expected_version=0,
            events=[unfoldable],
            context=WriteContext(tenant_id=tenant_id, actor_id=uuid4(), role="admin"),
        )
    )
    # An evidence file of the county.
    photo = b"\x89PNG\r\n\x1a\n" + tenant_id.bytes
    await keep(
        pool,
        FolderStore(files),
        tenant_id,
        sha256=hashlib.sha256(photo).hexdigest(),
        data=photo,
        media_type="image/png",
        by=uuid4(),
    )
    # A teacher's key, wrapped by a county key: a row in each key table.
    await Keyring(pool, MasterKey.generate()).seal(tenant_id, uuid4(), PersonalData(name="教师"))
    await ProjectionRunner(system_pool).catch_up([tenant_id])  # folds all but that: parked
    async with system_pool.acquire() as conn:
        await sign_head(conn, tenant_id, Signer.of(Ed25519PrivateKey.generate()))
    return tenant_id


@pytest.fixture(scope="module")
async def owner(database: Database) -> Any:
    conn = await asyncpg.connect(database.owner_url)
    yield conn
    await conn.close()


async def test_every_table_is_keyed_by_tenant_first_and_forces_row_level_security(
    owner: asyncpg.Connection,
) -> None:
    tables = await owner.fetch(_TABLES)
    assert len(tables) >= 13  # the query finds them all, not none
    for table in tables:
        assert table["first_key_column"] == "tenant_id", table["relname"]
        assert table["relrowsecurity"], table["relname"]
        assert table["relforcerowsecurity"], table["relname"]


@pytest.mark.parametrize("role", ["jgt_app", "jgt_system"])
async def test_with_county_a_set_no_role_of_the_service_reads_or_writes_county_bs_rows(
    role: str,
    database: Database,
    owner: asyncpg.Connection,
    store: EventStore,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    tmp_path: Path,
) -> None:
    a = await filled(store, app_pool, system_pool, tmp_path)
    b = await filled(store, app_pool, system_pool, tmp_path)
    tables = [row["relname"] for row in await owner.fetch(_TABLES)]
    url = database.app_url if role == "jgt_app" else database.system_url
    before = await _counts(owner, tables, b)
    conn = await asyncpg.connect(url)
    try:
        for table in tables:
            b_row = await owner.fetchrow(f"select * from {table} where tenant_id = $1", b)  # noqa: S608
            assert b_row is not None, f"the test gives county B no row in {table}"
            own = await owner.fetchval(f"select count(*) from {table} where tenant_id = $1", a)  # noqa: S608
            async with conn.transaction():
                await conn.execute("select set_config('jgt.tenant_id', $1, true)", str(a))
                if role == "jgt_app":  # the system role reads across counties by design
                    seen = await conn.fetchval(f"select count(*) from {table}")  # noqa: S608
                    assert seen == own, table
                    hidden = await conn.fetchval(
                        f"select count(*) from {table} where tenant_id = $1",  # noqa: S608
                        b,
                    )
                    assert hidden == 0, table
            for sql, args in (
                (f"delete from {table} where tenant_id = $1", (b,)),  # noqa: S608
                (f"update {table} set tenant_id = tenant_id where tenant_id = $1", (b,)),  # noqa: S608
                (f"update {table} set tenant_id = $1 where tenant_id = $2", (b, a)),  # noqa: S608
            ):
                await _refused_or_nothing(conn, a, table, sql, *args)
            columns = list(b_row.keys())
            marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
            copy = f"insert into {table} ({', '.join(columns)}) values ({marks})"  # noqa: S608
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await _as_tenant(conn, a, copy, *b_row.values())
    finally:
        await conn.close()
    assert await _counts(owner, tables, b) == before  # B's rows are all still there


async def _counts(owner: asyncpg.Connection, tables: list[str], tenant_id: UUID) -> list[int]:
    return [
        await owner.fetchval(f"select count(*) from {table} where tenant_id = $1", tenant_id)  # noqa: S608
        for table in tables
    ]


async def _as_tenant(conn: asyncpg.Connection, tenant_id: UUID, sql: str, *args: Any) -> str:
    async with conn.transaction():
        await conn.execute("select set_config('jgt.tenant_id', $1, true)", str(tenant_id))
        status: str = await conn.execute(sql, *args)
    return status


async def _refused_or_nothing(
    conn: asyncpg.Connection, tenant_id: UUID, table: str, sql: str, *args: Any
) -> None:
    """The statement is refused (privilege, policy or the immutability trigger) or changes no row."""
    try:
        status = await _as_tenant(conn, tenant_id, sql, *args)
    except asyncpg.InsufficientPrivilegeError:
        return
    assert status.split()[-1] == "0", (table, sql, status)


async def test_a_token_is_stored_only_as_a_hash_and_stops_working_when_revoked(
    app_pool: asyncpg.Pool, owner: asyncpg.Connection
) -> None:
    tenant_id = await new_tenant(app_pool)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        issued = await issue_token(conn, tenant_id, Role.SUPERVISOR, label="督导室")
    _, token_id, secret_hash = parse_token(issued.secret)
    stored = await owner.fetchrow(
        "select * from tokens where tenant_id = $1 and token_id = $2", tenant_id, token_id
    )
    assert stored is not None
    assert stored["secret_hash"] == secret_hash
    secret = issued.secret.encode()
    assert not any(
        isinstance(v, (str, bytes)) and v in (issued.secret, secret) for v in stored.values()
    )
    assert hashlib.sha256(secret).digest() != stored["secret_hash"]  # the random part is hashed

    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert (await authenticate(conn, issued.secret)).role is Role.SUPERVISOR
    wrong = issued.secret[:-2] + ("AA" if not issued.secret.endswith("AA") else "BB")
    async with app_pool.acquire() as conn, conn.transaction():
        with pytest.raises(TokenError):
            await authenticate(conn, wrong)
    async with tenant_transaction(app_pool, tenant_id) as conn:
        assert await revoke_token(conn, tenant_id, token_id)
    async with app_pool.acquire() as conn, conn.transaction():
        with pytest.raises(TokenError):
            await authenticate(conn, issued.secret)
