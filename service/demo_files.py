"""The demo's files (a sign-in sheet's photo, the signed agreement's scan), and `at_once`.

The demo's independent commands overlap their database round trips (`at_once`), so that
`jgt serve --demo` starts quickly.
"""

from __future__ import annotations

import asyncio
import hashlib
import struct
import zlib
from typing import TYPE_CHECKING, TypeVar

from infra.evidence_files import keep
from service.commands.community.activities import EvidenceIn

if TYPE_CHECKING:
    from collections.abc import Awaitable, Iterable

    import asyncpg

    from infra.file_store import FileStore
    from service.command import Env

T = TypeVar("T")
AT_ONCE = 6  # commands at a time (the demo's pool has as many connections)


async def at_once(works: Iterable[Awaitable[T]], limit: int = AT_ONCE) -> list[T]:
    """Each work's result, in order, `limit` running at a time."""
    gate = asyncio.Semaphore(limit)

    async def one(work: Awaitable[T]) -> T:
        async with gate:
            return await work

    return await asyncio.gather(*(one(work) for work in works))


def demo_photo(seed: str) -> bytes:
    """A valid 1x1 PNG standing for a photo of the sign-in sheet, `seed` in its comment."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Comment\x00" + seed.encode("ascii", "replace"))
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def signed_pdf(seed: object) -> bytes:
    """A one-page PDF standing for the scan of the signed agreement."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    body, offsets = b"%PDF-1.4\n%" + str(seed).encode() + b"\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return body + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )


async def upload(  # noqa: PLR0917 - a file's name, bytes and type, in this order
    pool: asyncpg.Pool, files: FileStore, writer: Env, name: str, data: bytes, media_type: str
) -> EvidenceIn:
    """A file uploaded as a recorder would before naming it (the photo, the signed agreement)."""
    stored = await keep(
        pool,
        files,
        writer.tenant_id,
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        media_type=media_type,
        by=writer.actor_id,
    )
    return EvidenceIn(name=name, sha256=stored.sha256, size=stored.size, media_type=media_type)
