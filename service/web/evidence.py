"""An action's evidence in the pages: a file to preview or download, a photo's thumbnail.

A file is served through the action that names it: its current facts must hold the digest,
and the county must keep the file's row (as `GET /v1/files/{sha256}` checks). Anything else,
another county's action or digest included, is the same 404 as a digest no one knows.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from uuid import UUID

from litestar import Request, Response, get
from litestar.params import FromPath

from domain.community.activity import Activity
from infra import evidence_files
from infra.event_store import AggregateNotFoundError
from infra.media_types import JPEG, PNG
from infra.thumbnails import MAX_SIDE, ThumbnailCache
from service.context import Caller, reading
from service.problems import ApiError
from service.services import Shared

if TYPE_CHECKING:
    from domain.community.activity_facts import Evidence
    from infra.evidence_files import StoredFile
    from service.context import RequestContext
    from service.services import Services

FILE = "/app/activities/{activity_id:uuid}/evidence/{sha256:str}"
PHOTOS = frozenset({JPEG, PNG})  # the kinds that get a thumbnail
THUMBNAILS = "thumbnails"  # their folder in the data directory
# The file is shown alone, never as a page of ours: no script, no form, no frame around it.
CSP = (
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline';"
    " frame-ancestors 'none'; form-action 'none'; base-uri 'none'; sandbox"
)
CACHE = "private, max-age=31536000, immutable"  # the bytes of a digest never change
_SHA256 = re.compile(r"[0-9a-f]{64}")


def not_found() -> ApiError:
    return ApiError(404, "file_not_found", "本县没有这份材料。", "No such file in this county.")


async def _named(
    services: Services, ctx: RequestContext, activity_id: UUID, sha256: str
) -> tuple[Evidence, StoredFile]:
    """The action's evidence item of the digest and the county's stored file, or a 404."""
    if not _SHA256.fullmatch(sha256):
        raise not_found()
    async with reading(services, ctx) as conn:
        try:
            found = await services.store.get(Activity, ctx.tenant_id, activity_id, conn=conn)
        except AggregateNotFoundError as error:
            raise not_found() from error
        item = next((e for e in found.facts.evidence if e.sha256 == sha256), None)
        stored = None if item is None else await evidence_files.find(conn, ctx.tenant_id, sha256)
    if item is None or stored is None:
        raise not_found()
    return item, stored


def disposition(kind: str, name: str) -> str:
    """RFC 6266 with the RFC 8187 form of the name: any Unicode name, percent-encoded."""
    return f"{kind}; filename*=UTF-8''{quote(name, safe='')}"


def _headers(etag: str, kind: str, name: str) -> dict[str, str]:
    return {
        "ETag": etag,
        "Cache-Control": CACHE,
        "Content-Disposition": disposition(kind, name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CSP,
        "Cross-Origin-Resource-Policy": "same-origin",
    }


def _unchanged(request: Request[Any, Any, Any], etag: str) -> bool:
    asked = request.headers.get("if-none-match", "")
    return etag in {tag.strip() for tag in asked.split(",")}


async def _file(
    request: Request[Any, Any, Any],
    services: Services,
    ctx: RequestContext,
    activity_id: UUID,
    sha256: str,
    *,
    kind: str,
) -> Response[bytes]:
    item, stored = await _named(services, ctx, activity_id, sha256)
    etag = f'"{sha256}"'
    headers = _headers(etag, kind, item.name)
    if _unchanged(request, etag):
        return Response(b"", status_code=304, headers=headers)
    content = await services.files.get(sha256)
    if content is None:
        raise not_found()
    return Response(content, media_type=stored.media_type, headers=headers)


@get(FILE, name="evidence_preview")
async def preview(
    request: Request[Any, Any, Any],
    services: Shared,
    ctx: Caller,
    activity_id: FromPath[UUID],
    sha256: FromPath[str],
) -> Response[bytes]:
    """The file to be shown in the browser (a photo at full size)."""
    return await _file(request, services, ctx, activity_id, sha256, kind="inline")


@get(f"{FILE}/download", name="evidence_download")
async def download(
    request: Request[Any, Any, Any],
    services: Shared,
    ctx: Caller,
    activity_id: FromPath[UUID],
    sha256: FromPath[str],
) -> Response[bytes]:
    """The file to be saved, under the name the action gives it."""
    return await _file(request, services, ctx, activity_id, sha256, kind="attachment")


@get(f"{FILE}/thumbnail", name="evidence_thumbnail")
async def thumbnail(
    request: Request[Any, Any, Any],
    services: Shared,
    ctx: Caller,
    activity_id: FromPath[UUID],
    sha256: FromPath[str],
) -> Response[bytes]:
    """A photo's small JPEG; 404 `no_thumbnail` for another kind or an image too large."""
    item, stored = await _named(services, ctx, activity_id, sha256)
    etag = f'"{sha256}-{MAX_SIDE}"'
    headers = _headers(etag, "inline", f"{PurePosixPath(item.name).stem}-{MAX_SIDE}.jpg")
    if stored.media_type in PHOTOS and _unchanged(request, etag):
        return Response(b"", status_code=304, headers=headers)
    cache = ThumbnailCache(services.settings.data_dir / THUMBNAILS)
    made = None
    if stored.media_type in PHOTOS:
        made = await cache.get(sha256, lambda: services.files.get(sha256))
    if made is None:
        raise ApiError(
            404,
            "no_thumbnail",
            "这份材料没有缩略图（不是照片，或图片过大、已损坏）；可以下载原文件。",
            "This file has no thumbnail (not a photo, or too large or damaged an image);"
            " download the file itself.",
        )
    return Response(made, media_type=JPEG, headers=headers)


ROUTES = (preview, download, thumbnail)
