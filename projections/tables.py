"""Rows of projections in their PostgreSQL tables: one column per field, the tenant first.

Plain values map to columns of their own type, tuples of them to arrays, enums to their codes,
and fields holding structs (or tuples of structs) to jsonb.
"""

from __future__ import annotations

from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from projections.collection import no_collection

if TYPE_CHECKING:
    from collections import Counter
    from collections.abc import Collection, Iterable, Mapping, Sequence
    from uuid import UUID

    import asyncpg

    from infra.db import Connection
    from projections.base import Keyed, Projection, ReadModel, Tally

R = TypeVar("R", bound=msgspec.Struct)
K = TypeVar("K", bound=msgspec.Struct)

# From this many rows on, an upsert goes through COPY and a staging table.
STAGED = 64


@cache
def _json_fields(row_type: type[msgspec.Struct]) -> frozenset[str]:
    def holds_structs(info: msgspec.inspect.Type) -> bool:
        if isinstance(info, msgspec.inspect.StructType):
            return True
        if isinstance(info, msgspec.inspect.UnionType):
            return any(holds_structs(t) for t in info.types)
        if isinstance(info, (msgspec.inspect.ListType, msgspec.inspect.VarTupleType)):
            return holds_structs(info.item_type)
        return False

    info = msgspec.inspect.type_info(row_type)
    assert isinstance(info, msgspec.inspect.StructType)  # noqa: S101 - rows are structs
    return frozenset(f.name for f in info.fields if holds_structs(f.type))


def columns(row_type: type[msgspec.Struct]) -> tuple[str, ...]:
    return row_type.__struct_fields__


def _column_value(value: Any, *, as_json: bool) -> Any:  # noqa: ANN401 - any field's value
    if as_json:
        return msgspec.json.encode(value).decode()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [item.value if isinstance(item, Enum) else item for item in value]
    return value


def values(row: msgspec.Struct) -> list[Any]:
    """The row's column values, in the order of `columns`."""
    found = list(msgspec.structs.astuple(row))
    for index, as_json in _converted(type(row)):
        found[index] = _column_value(found[index], as_json=as_json)
    return found


@cache
def _converted(row_type: type[msgspec.Struct]) -> tuple[tuple[int, bool], ...]:
    """The fields asyncpg cannot take as they are: their index, and whether as JSON.

    A str enum is its code already, and a tuple of plain values an array.
    """
    json_fields = _json_fields(row_type)
    info = msgspec.inspect.type_info(row_type)
    assert isinstance(info, msgspec.inspect.StructType)  # noqa: S101 - rows are structs

    def plain(t: msgspec.inspect.Type) -> bool:
        if isinstance(t, msgspec.inspect.UnionType):
            return all(plain(u) for u in t.types)
        if isinstance(t, msgspec.inspect.EnumType):
            return issubclass(t.cls, str)
        if isinstance(t, msgspec.inspect.VarTupleType):
            return plain(t.item_type)
        return isinstance(
            t,
            (
                msgspec.inspect.StrType,
                msgspec.inspect.IntType,
                msgspec.inspect.FloatType,
                msgspec.inspect.BoolType,
                msgspec.inspect.NoneType,
                msgspec.inspect.UUIDType,
                msgspec.inspect.DateType,
                msgspec.inspect.DateTimeType,
            ),
        )

    return tuple(
        (index, f.name in json_fields)
        for index, f in enumerate(info.fields)
        if f.name in json_fields or not plain(f.type)
    )


def row_of(record: asyncpg.Record | Mapping[str, Any], row_type: type[R]) -> R:
    """The row a table record holds (extra columns such as tenant_id are ignored)."""
    fields = {
        name: msgspec.json.decode(record[name]) if as_json else record[name]
        for name, as_json in _columns(row_type)
    }
    return msgspec.convert(fields, row_type)


@cache
def _columns(row_type: type[msgspec.Struct]) -> tuple[tuple[str, bool], ...]:
    """Each field of a row type, and whether its column holds JSON."""
    json_fields = _json_fields(row_type)
    return tuple((name, name in json_fields) for name in row_type.__struct_fields__)


async def load_rows(
    conn: Connection, tenant_id: UUID, projection: Projection[R], stream_ids: Iterable[UUID]
) -> dict[UUID, R]:
    records = await conn.fetch(
        f"select * from {projection.name} where tenant_id = $1 and {projection.key} = any($2)",  # noqa: S608 - names are ours
        tenant_id,
        list(stream_ids),
    )
    return {record[projection.key]: row_of(record, projection.row_type) for record in records}


async def save_rows(
    conn: Connection,
    tenant_id: UUID,
    projection: Projection[R],
    rows: Mapping[UUID, R | None],
    stored: Collection[UUID] | None = None,
) -> None:
    """Writes each stream's row; None removes it.

    `stored`, when known: the streams the table holds a row of (the others' are inserted).
    """
    await _save(conn, tenant_id, projection.name, (projection.key,), rows, stored)
    removed = [stream_id for stream_id, row in rows.items() if row is None]
    if removed:
        await conn.execute(
            f"delete from {projection.name} where tenant_id = $1 and {projection.key} = any($2)",  # noqa: S608 - names are ours
            tenant_id,
            removed,
        )


async def _save(  # noqa: PLR0917 - the rows, their table and key, and which the table holds
    conn: Connection,
    tenant_id: UUID,
    table: str,
    key: Sequence[str],
    rows: Mapping[Any, msgspec.Struct | None],
    stored: Collection[Any] | None,
) -> None:
    if stored is None:
        await upsert(conn, tenant_id, table, key, rows.values())
        return
    # Rows the table does not hold yet are inserted: no conflict to look for (the runner holds
    # the county's checkpoints, so no one else writes them meanwhile).
    await upsert(conn, tenant_id, table, key, (r for k, r in rows.items() if k in stored))
    added = (r for k, r in rows.items() if k not in stored)
    await upsert(conn, tenant_id, table, key, added, new=True)


def _given_keys(table: str, key_type: type[msgspec.Struct]) -> tuple[str, str]:
    """Rows passed as JSON in $2, as rows `k` of the table's type; how `t` matches their keys."""
    match = " and ".join(f"t.{name} = k.{name}" for name in columns(key_type))
    return f"jsonb_populate_recordset(null::{table}, $2::jsonb) as k", match


async def load_keyed(
    conn: Connection, tenant_id: UUID, projection: Keyed[K, R], keys: Iterable[K]
) -> dict[K, R]:
    given, match = _given_keys(projection.name, projection.key_type)
    records = await conn.fetch(
        f"select t.* from {projection.name} as t join {given} on {match}"  # noqa: S608 - names are ours
        " where t.tenant_id = $1",
        tenant_id,
        msgspec.json.encode(list(keys)).decode(),
    )
    found = (row_of(record, projection.row_type) for record in records)
    return {projection.key_of(row): row for row in found}


async def save_keyed(
    conn: Connection,
    tenant_id: UUID,
    projection: Keyed[K, R],
    rows: Mapping[K, R | None],
    stored: Collection[K] | None = None,
) -> None:
    """Writes each key's row; None removes it. `stored`: as for `save_rows`."""
    await _save(conn, tenant_id, projection.name, columns(projection.key_type), rows, stored)
    removed = [key for key, row in rows.items() if row is None]
    if removed:
        given, match = _given_keys(projection.name, projection.key_type)
        await conn.execute(
            f"delete from {projection.name} as t using {given}"  # noqa: S608 - names are ours
            f" where t.tenant_id = $1 and {match}",
            tenant_id,
            msgspec.json.encode(removed).decode(),
        )


async def upsert(
    conn: Connection,
    tenant_id: UUID,
    table: str,
    key: Sequence[str],
    rows: Iterable[msgspec.Struct | None],
    *,
    new: bool = False,
) -> None:
    """Writes the rows (None: skipped) into `table`, replacing those of the same `key`.

    `new`: the table holds none of them (a plain insert, which fails on one it holds).
    """
    present = [row for row in rows if row is not None]
    if not present:
        return
    with no_collection():
        upserts = [(tenant_id, *values(row)) for row in present]
    names = ("tenant_id", *columns(type(present[0])))
    updates = ", ".join(f"{name} = excluded.{name}" for name in names[1:] if name not in key)
    conflict = "" if new else f"on conflict (tenant_id, {', '.join(key)}) do update set {updates}"
    if len(upserts) < STAGED:
        placeholders = ", ".join(f"${i}" for i in range(1, len(names) + 1))
        await conn.executemany(
            f"insert into {table} ({', '.join(names)}) values ({placeholders}) {conflict}",  # noqa: S608 - names are ours
            upserts,
        )
        return
    # Many rows (a catch-up, a rebuild): COPY them into a session's staging table, then one
    # upsert. COPY itself is refused on a table with row-level security; the staging table is
    # the session's own, left empty at the end of every use (a rollback empties it too).
    stage = f"stage_{table}"
    await conn.execute(f"create temp table if not exists {stage} (like {table})")
    await conn.copy_records_to_table(stage, records=upserts, columns=names)
    listed = ", ".join(names)
    await conn.execute(  # emptied as it is read: the next use starts empty
        f"with staged as (delete from {stage} returning {listed})"  # noqa: S608 - names are ours
        f" insert into {table} ({listed}) select {listed} from staged {conflict}"
    )


async def add_to_tally(
    conn: Connection, tenant_id: UUID, tally: Tally[Any, Any], change: Counter[Any]
) -> None:
    """Adds `change` to the tally's counts; a count that reaches zero goes.

    One statement each way, the keys and their changes passed as JSON rows of the table's
    type. Decrements are updates: PostgreSQL checks `count >= 0` on an upsert's proposed row
    before it finds the existing one.
    """
    names = columns(tally.key_type)
    key_list = ", ".join(names)
    given, matches = _given_keys(tally.name, tally.key_type)
    up = [(key, delta) for key, delta in change.items() if delta > 0]
    down = [(key, delta) for key, delta in change.items() if delta < 0]
    if up:
        await conn.execute(
            f"insert into {tally.name} (tenant_id, {key_list}, count)"  # noqa: S608 - names are ours
            f" select $1, {', '.join(f'k.{name}' for name in names)}, k.count from {given}"
            f" on conflict (tenant_id, {key_list})"
            f" do update set count = {tally.name}.count + excluded.count",
            tenant_id,
            _counted(up),
        )
    if down:
        await conn.execute(
            f"update {tally.name} as t set count = t.count + k.count from {given}"  # noqa: S608 - names are ours
            f" where t.tenant_id = $1 and {matches}",
            tenant_id,
            _counted(down),
        )
        gone = f"delete from {tally.name} where tenant_id = $1 and count = 0"  # noqa: S608 - ours
        await conn.execute(gone, tenant_id)


def _counted(changes: list[tuple[msgspec.Struct, int]]) -> str:
    """Keys and their changes as one JSON array of rows: each key's fields and its `count`."""
    with no_collection():
        rows = [msgspec.structs.asdict(key) | {"count": delta} for key, delta in changes]
    return msgspec.json.encode(rows).decode()


async def clear(conn: Connection, tenant_id: UUID, projections: Sequence[ReadModel]) -> None:
    """Removes one tenant's rows of `projections`, every table of theirs (for a rebuild)."""
    for projection in projections:
        for table in projection.tables:
            await conn.execute(f"delete from {table} where tenant_id = $1", tenant_id)  # noqa: S608 - names are ours
