"""What auditors read: every event with who recorded it and its hash, and the chain's check."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller
from litestar.params import FromQuery, QueryParameter

from infra.chain import verify
from infra.checkpoints import list_checkpoints
from infra.codec import to_json_builtins
from infra.event_store import read_tenant
from infra.tenancy import TokenInfo, list_tokens
from infra.users import user_names
from service.context import Caller, reading
from service.http.common import query
from service.services import Shared


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID  # the token
    role: str
    label: str | None  # None when the token is not of this county (e.g. the platform's)
    # The person who acted (the user the token was issued to); None for a token without one.
    user_id: UUID | None = None
    user_name: str | None = None
    # The event's metadata names no person (recorded before people acted): the person is the
    # user the token was issued to, as the tokens table knows it now.
    through_token: bool = False


class AuditEvent(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    global_position: int
    recorded_at: datetime
    stream_id: UUID
    stream_type: str
    version: int
    event_type: str
    schema_version: int
    data: dict[str, Any]
    metadata: dict[str, Any]
    actor: Actor
    prev_hash: str
    hash: str


class AuditPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AuditEvent]
    next_after: int | None  # pass as `after` for the next page; None at the end


class BadEvent(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    stream_id: UUID | None
    version: int | None
    problem: str
    problem_code: str


class ChainCheck(msgspec.Struct, frozen=True, kw_only=True):
    intact: bool
    events_checked: int
    head_seq: int
    head_hash: str
    checkpoints_checked: int  # signed checkpoints the chain matched
    first_bad: BadEvent | None


class SignedHead(msgspec.Struct, frozen=True, kw_only=True):
    seq: int  # the chain had this many events
    head_hash: str
    signed_at: datetime
    public_key: str  # hex of the raw Ed25519 key
    signature: str  # hex; over the bytes infra/checkpoints.py:signed_message builds


class CheckpointList(msgspec.Struct, frozen=True, kw_only=True):
    public_key: str | None  # the service's key now (hex), None before its first checkpoint
    items: list[SignedHead]


def _person(metadata: dict[str, Any], tokens: dict[UUID, TokenInfo]) -> UUID | None:
    """Who acted: the person the metadata names (events since people act), else the token's."""
    if metadata.get("user"):
        return UUID(metadata["user"])
    token = tokens.get(UUID(metadata["actor"]))
    return None if token is None else token.user_id


_PROBLEMS_ZH = {
    "altered": "该事件的内容与其哈希不符：记录后被改动过。",
    "missing": "该事件之前缺少事件：有事件被删除。",
    "relinked": "该事件所记的前一哈希与前一事件不符：链条被改接。",
    "head_mismatch": "链头记录的事件数与日志不符：日志末尾被截断或链头被改动。",
    "truncated": "日志比已签名的检查点短：末尾的事件被删除，链头被改回。",
    "rewritten": "该事件的哈希与检查点所签的不符：链条被改动后重新计算了哈希。",
    "bad_signature": "该检查点不是由本服务的密钥签名的：它在服务之外被制作或改动。",
}


class AuditController(Controller):
    path = "/v1/audit"
    tags = ["audit"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        "/events",
        summary="The county's events in order",
        description="Every event with its data, who recorded it and when, and its hash; for"
        " auditors and admins. Each read by an auditor is itself recorded.",
    )
    async def events(
        self,
        *,
        services: Shared,
        ctx: Caller,
        after: Annotated[int, QueryParameter(ge=0, description="Events after this seq")] = 0,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        stream_id: FromQuery[UUID | None] = None,
    ) -> AuditPage:
        async with reading(services, ctx) as conn:
            if stream_id is None:
                recorded = await read_tenant(conn, ctx.tenant_id, after, limit + 1)
            else:
                recorded = [
                    event
                    for event in await services.store.read_stream(
                        ctx.tenant_id, stream_id, conn=conn
                    )
                    if event.tenant_seq > after
                ][: limit + 1]
            tokens = {t.token_id: t for t in await list_tokens(conn, ctx.tenant_id)}
            metadatas = [msgspec.json.decode(event.metadata) for event in recorded[:limit]]
            people = [_person(metadata, tokens) for metadata in metadatas]
            names = await user_names(conn, ctx.tenant_id, [p for p in people if p is not None])
        items = []
        for event, metadata, person in zip(recorded[:limit], metadatas, people, strict=True):
            actor_id = UUID(metadata["actor"])
            token = tokens.get(actor_id)
            data = to_json_builtins(services.store.decode(event))
            for envelope in ("originator_id", "originator_version"):
                data.pop(envelope, None)
            items.append(
                AuditEvent(
                    seq=event.tenant_seq,
                    global_position=event.global_position,
                    recorded_at=event.recorded_at,
                    stream_id=event.stream_id,
                    stream_type=event.stream_type.rsplit(":", 1)[-1],
                    version=event.version,
                    event_type=event.event_type,
                    schema_version=event.schema_version,
                    data=data,
                    metadata=metadata,
                    actor=Actor(
                        id=actor_id,
                        role=token.role.value if token else metadata.get("role", ""),
                        label=token.label if token else None,
                        user_id=person,
                        user_name=None if person is None else names.get(person),
                        through_token=person is not None and not metadata.get("user"),
                    ),
                    prev_hash=event.prev_hash.hex(),
                    hash=event.hash.hex(),
                )
            )
        more = len(recorded) > limit
        return AuditPage(items=items, next_after=items[-1].seq if more and items else None)

    @query(
        "/verify",
        summary="Check the county's hash chain",
        description="Recomputes every event's hash from the first; names the first event that"
        " was altered, removed or cut off.",
    )
    async def check(self, *, services: Shared, ctx: Caller) -> ChainCheck:
        async with reading(services, ctx):
            pass  # the read is recorded; verify reads in a read-only snapshot of its own
        public_key = services.signer.public_key_if_present()
        async with services.pool.acquire() as conn:
            report = await verify(conn, ctx.tenant_id, public_key=public_key)
        bad = None
        if report.problem_code is not None and report.first_bad_seq is not None:
            problem = report.problem or ""
            if ctx.lang == "zh":
                problem = _PROBLEMS_ZH.get(report.problem_code, problem)
            bad = BadEvent(
                seq=report.first_bad_seq,
                stream_id=report.first_bad_stream_id,
                version=report.first_bad_version,
                problem=problem,
                problem_code=report.problem_code,
            )
        return ChainCheck(
            intact=report.intact,
            events_checked=report.events_checked,
            head_seq=report.head_seq,
            head_hash=report.head_hash.hex(),
            checkpoints_checked=report.checkpoints_checked,
            first_bad=bad,
        )

    @query(
        "/checkpoints",
        summary="The county's signed chain heads",
        description="Every checkpoint (sequence, head hash, time, Ed25519 signature) and the"
        " service's public key, for auditors to keep a copy outside the database.",
    )
    async def checkpoints(self, *, services: Shared, ctx: Caller) -> CheckpointList:
        async with reading(services, ctx) as conn:
            signed = await list_checkpoints(conn, ctx.tenant_id)
        public_key = services.signer.public_key_if_present()
        return CheckpointList(
            public_key=public_key.hex() if public_key else None,
            items=[
                SignedHead(
                    seq=c.tenant_seq,
                    head_hash=c.head_hash.hex(),
                    signed_at=c.signed_at,
                    public_key=c.public_key.hex(),
                    signature=c.signature.hex(),
                )
                for c in signed
            ],
        )
