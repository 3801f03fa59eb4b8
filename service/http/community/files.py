"""Evidence files (佐证材料): uploaded once, named by digest in actions, read back in the county.

The upload is the one route that takes `multipart/form-data` (the body gate lets it through
there only); it checks its own parts: one file, in the field `file`, of an allowed kind by its
content, not empty, not larger than JGT_MAX_FILE_BYTES.
"""

from __future__ import annotations

import hashlib
import re
from typing import Annotated, Any

from litestar import Controller, Response, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from infra import evidence_files
from infra.media_types import ALLOWED, sniff
from service.body import MULTIPART
from service.context import Caller, reading
from service.http.common import problems, query
from service.problems import ApiError
from service.services import Shared
from service.views.community.evidence import FileView, file_view

FIELD = "file"
_SHA256 = re.compile(r"[0-9a-f]{64}")
Form = Annotated[
    dict[str, Any],
    Body(
        media_type=RequestEncodingType.MULTI_PART,
        description=f"One file in the field `{FIELD}`: JPEG, PNG, PDF, DOCX, XLSX or MP4.",
        multipart_form_part_limit=4,
    ),
]


def _bad_form(code: str, zh: str, en: str, **params: object) -> ApiError:
    return ApiError(400, code, zh, en, **params)


async def _the_file(data: dict[str, Any], limit: int) -> bytes:
    """The bytes of the one file the form holds; a problem for anything else."""
    others = sorted(name for name in data if name != FIELD)
    if others:
        raise _bad_form(
            "unexpected_form_field",
            "表单只接受一个字段 file（文件），不接受 {fields}。",
            "The form takes one field, file; not {fields}.",
            fields=", ".join(others),
        )
    upload = data.get(FIELD)
    if not isinstance(upload, UploadFile):
        raise _bad_form(
            "file_missing",
            "请在表单字段 file 中上传一个文件。",
            "Send one file in the form field `file`.",
        )
    content = await upload.read(limit + 1)
    if len(content) > limit:
        raise ApiError(
            413,
            "file_too_large",
            "文件超过了 {limit} 字节的上限。",
            "The file is larger than the limit of {limit} bytes.",
            limit=limit,
        )
    if not content:
        raise _bad_form("empty_file", "上传的文件是空的。", "The file is empty.")
    return content


class FileController(Controller):
    path = "/v1/files"
    tags = ["evidence"]  # noqa: RUF012 - Litestar's declared attribute

    @query(
        "/{sha256:str}",
        summary="An evidence file of the county",
        description="Its bytes, served only to the county that uploaded it.",
        media_type="application/octet-stream",
    )
    async def read(
        self, *, services: Shared, ctx: Caller, sha256: FromPath[str]
    ) -> Response[bytes]:
        stored = None
        if _SHA256.fullmatch(sha256):
            async with reading(services, ctx) as conn:
                stored = await evidence_files.find(conn, ctx.tenant_id, sha256)
        content = None if stored is None else await services.files.get(sha256)
        if stored is None or content is None:
            raise ApiError(
                404, "file_not_found", "本县没有这份材料。", "No such file in this county."
            )
        return Response(
            content,
            media_type=stored.media_type,
            headers={
                "ETag": f'"{sha256}"',
                "Content-Disposition": f'attachment; filename="{sha256}"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, max-age=86400, immutable",
            },
        )

    @post(
        summary="Upload an evidence file",
        description="multipart/form-data with one file in the field `file`; stored by its"
        " SHA-256, which an action's evidence then names. Its kind is judged by its content:"
        " " + ", ".join(ALLOWED) + ". A file no action names is removed after a grace period.",
        status_code=201,
        opt={MULTIPART: True},
        responses=problems(400, 401, 403, 413, 415),
    )
    async def upload(self, *, services: Shared, ctx: Caller, data: Form) -> Response[FileView]:
        content = await _the_file(data, services.settings.max_file_bytes)
        media_type = sniff(content)
        if media_type is None:
            raise ApiError(
                415,
                "file_type_not_allowed",
                "只能上传 JPEG、PNG、PDF、Word（DOCX）、Excel（XLSX）或 MP4 文件（按内容判断）。",
                "Only JPEG, PNG, PDF, Word (DOCX), Excel (XLSX) or MP4 files are taken (judged by"
                " their content).",
                allowed=", ".join(ALLOWED),
            )
        sha256 = hashlib.sha256(content).hexdigest()
        stored = await evidence_files.keep(
            services.pool,
            services.files,
            ctx.tenant_id,
            sha256=sha256,
            data=content,
            media_type=media_type,
            by=ctx.actor_id,
        )
        return Response(
            file_view(stored), status_code=201, headers={"Location": f"{self.path}/{sha256}"}
        )
