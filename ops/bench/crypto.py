"""Cost of sealing teachers' personal data, beside the plain path, in one run.

    python -m ops.bench.crypto [--events N] [--json]

Registers N teachers through the real event store twice in the same county: once with the
personal data merely encoded (the plain path, what it would cost without encryption), once
sealed with the teacher's own key (a key made and stored per teacher, the county key cached).
Then reads each back (decode against open), and erases each key.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import msgspec

from domain.codes import Gender, SchoolLocation, SchoolStage, Subject
from domain.community.school import School
from domain.staff.teacher import Teacher
from infra.crypto import Keyring, MasterKey, PersonalData
from infra.db import APP_ROLE, create_pool, with_user
from infra.event_store import EventStore, WriteContext
from infra.migrate import migrate
from infra.tenancy import create_tenant
from ops.bench.harness import bench_main, drop_database, fresh_database, rate

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from uuid import UUID

CONCURRENCY = 10


async def in_parallel(count: int, work: Callable[[int], Awaitable[Any]]) -> float:
    """Seconds to run `work(i)` for every i, CONCURRENCY at a time."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(i: int) -> None:
        async with gate:
            await work(i)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    return time.perf_counter() - started


def person(i: int) -> PersonalData:
    return PersonalData(name=f"教师{i:05d}", phone=f"139{i:08d}")


async def run(count: int, server_url: str) -> dict[str, Any]:
    name, owner_url = await fresh_database(server_url)
    try:
        await migrate(owner_url)
        pool = await create_pool(with_user(owner_url, APP_ROLE), max_size=CONCURRENCY + 2)
        try:
            return await measure(count, pool)
        finally:
            await pool.close()
    finally:
        await drop_database(server_url, name)


async def measure(count: int, pool: Any) -> dict[str, Any]:  # noqa: ANN401 - asyncpg's pool
    store, keyring = EventStore(pool), Keyring(pool, MasterKey.generate())
    async with pool.acquire() as conn, conn.transaction():
        tenant_id = await create_tenant(conn, "基准县")
    ctx = WriteContext(tenant_id=tenant_id, actor_id=uuid4(), role="admin")
    school = School.register(
        namespace=tenant_id,
        name="基准小学",
        code="JZ-01",
        stage=SchoolStage.PRIMARY,
        location=SchoolLocation.VILLAGE,
        district="",
        by=ctx.actor_id,
    )
    await store.save(school, ctx)
    await keyring.seal(tenant_id, uuid4(), person(0))  # the county key, made once
    plain_ids = [uuid4() for _ in range(count)]
    sealed_ids = [uuid4() for _ in range(count)]
    personal: dict[UUID, bytes] = {}

    async def register(teacher_id: UUID, data: bytes) -> None:
        teacher = Teacher.register(
            id=teacher_id,
            school=school,
            personal=data,
            gender=Gender.FEMALE,
            birth_year=1990,
            subjects=(Subject.MATH,),
            title=None,
            backbone_level=None,
            posts=(),
            by=ctx.actor_id,
        )
        personal[teacher_id] = data
        await store.save(teacher, ctx)

    async def plain_write(i: int) -> None:
        await register(plain_ids[i], msgspec.json.encode(person(i)))

    async def sealed_write(i: int) -> None:
        teacher_id = sealed_ids[i]
        await register(teacher_id, await keyring.seal(tenant_id, teacher_id, person(i)))

    async def plain_read(i: int) -> None:
        msgspec.json.decode(personal[plain_ids[i]], type=PersonalData)

    async def sealed_read(i: int) -> None:
        teacher_id = sealed_ids[i]
        await keyring.open(tenant_id, teacher_id, personal[teacher_id], PersonalData)

    async def erase(i: int) -> None:
        await keyring.erase(tenant_id, sealed_ids[i])

    return {
        "teachers": count,
        "register_plain_per_s": rate(count, await in_parallel(count, plain_write)),
        "register_sealed_per_s": rate(count, await in_parallel(count, sealed_write)),
        "read_plain_per_s": rate(count, await in_parallel(count, plain_read)),
        "read_opened_per_s": rate(count, await in_parallel(count, sealed_read)),
        "erase_per_s": rate(count, await in_parallel(count, erase)),
    }


def report(figures: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"{figures['teachers']} teachers, {CONCURRENCY} at a time, one county",
            f"register (event appended), plain   {figures['register_plain_per_s']:>10,.1f} /s",
            f"register (event appended), sealed  {figures['register_sealed_per_s']:>10,.1f} /s",
            f"personal data read, plain decode   {figures['read_plain_per_s']:>10,.1f} /s",
            f"personal data read, key + open     {figures['read_opened_per_s']:>10,.1f} /s",
            f"erase (key destroyed)              {figures['erase_per_s']:>10,.1f} /s",
        ]
    )


if __name__ == "__main__":
    bench_main(__doc__ or "", run, report, default_events=2000)
