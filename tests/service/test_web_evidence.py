"""An action's evidence in the pages: photos as thumbnails, files to preview and download."""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote
from uuid import UUID

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient
from PIL import Image

from infra.db import tenant_transaction
from infra.tenancy import Role
from infra.thumbnails import MAX_PIXELS, MAX_SIDE, make
from service.runtime import Urls
from service.settings import Settings
from service.web.evidence import CSP
from tests.conftest import new_tenant
from tests.service.api import PDF, activity_body, evidence, setup_community, upload
from tests.service.conftest import County, issue
from tests.service.web_helpers import pages_app, person, signed_in

PHOTO_NAME = "签到表 第1页.jpg"
PDF_NAME = "活动方案.pdf"


def photo(width: int, height: int, kind: str = "JPEG") -> bytes:
    """A photo of noise (every run its own bytes, so its own digest)."""
    pixels = random.randbytes(width * height * 3)
    image = Image.frombytes("RGB", (width, height), pixels)
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header that claims a huge image, with a few bytes of data: a bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
async def web(settings: Settings, urls: Urls) -> AsyncIterator[httpx.AsyncClient]:
    async with AsyncTestClient(pages_app(settings, urls)) as client:
        client.follow_redirects = False
        yield client


async def recorded_action(
    client: httpx.AsyncClient, county: County, files: list[tuple[bytes, str]]
) -> tuple[str, list[dict[str, Any]]]:
    """An action naming the files; its id and the uploads' answers."""
    community_id, lead, first, _ = await setup_community(client, county, "V")
    uploads = [await upload(client, county, content) for content, _ in files]
    recorded = await client.post(
        "/v1/activities",
        json=activity_body(
            community_id,
            lead,
            first,
            evidence=[evidence(u, name) for u, (_, name) in zip(uploads, files, strict=True)],
        ),
        headers=county.auth("admin"),
    )
    assert recorded.status_code == 201, recorded.text
    return recorded.json()["id"], uploads


async def test_a_photo_is_a_thumbnail_linked_to_itself_and_every_file_downloads(
    client: httpx.AsyncClient, web: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    image = photo(1200, 900)
    activity_id, (shot, pdf) = await recorded_action(
        client, county, [(image, PHOTO_NAME), (PDF, PDF_NAME)]
    )
    base = f"/app/activities/{activity_id}/evidence"
    for suffix in ("", "/download", "/thumbnail"):  # no session yet: the sign-in form
        away = await web.get(f"{base}/{shot['sha256']}{suffix}")
        assert away.status_code == 303, away.text
        assert away.headers["location"].startswith("/app/sign-in?next=")
    for role in (Role.SUPERVISOR, Role.AUDITOR):
        web.cookies.clear()
        await signed_in(web, await person(app_pool, county.tenant_id, role))
        page = await web.get(f"/app/activities/{activity_id}")
        assert page.status_code == 200, page.text
        assert (
            f'<a href="{base}/{shot["sha256"]}" title="查看原图"><img'
            f' src="{base}/{shot["sha256"]}/thumbnail" alt="{PHOTO_NAME}"'
        ) in page.text
        assert f'<a href="{base}/{pdf["sha256"]}/download" download>{PDF_NAME}</a>' in page.text
        assert f"{pdf['sha256']}/thumbnail" not in page.text  # a PDF gets none
        assert f"({len(PDF)} Bytes, 下载)" in page.text

        shown = await web.get(f"{base}/{shot['sha256']}")
        assert shown.status_code == 200, shown.text
        assert shown.content == image
        assert shown.headers["content-type"] == "image/jpeg"
        assert (
            shown.headers["content-disposition"] == f"inline; filename*=UTF-8''{quote(PHOTO_NAME)}"
        )
        saved = await web.get(f"{base}/{pdf['sha256']}/download")
        assert saved.status_code == 200, saved.text
        assert saved.content == PDF
        assert saved.headers["content-type"] == "application/pdf"
        assert saved.headers["content-disposition"] == (
            "attachment; filename*=UTF-8''%E6%B4%BB%E5%8A%A8%E6%96%B9%E6%A1%88.pdf"
        )
        for answer, digest in ((shown, shot["sha256"]), (saved, pdf["sha256"])):
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["content-security-policy"] == CSP
            assert answer.headers["etag"] == f'"{digest}"'
            assert answer.headers["cache-control"].startswith("private, max-age=")
        again = await web.get(
            f"{base}/{pdf['sha256']}", headers={"If-None-Match": f'"{pdf["sha256"]}"'}
        )
        assert (again.status_code, again.content) == (304, b"")

        small = await web.get(f"{base}/{shot['sha256']}/thumbnail")
        assert small.status_code == 200, small.text
        assert small.headers["content-type"] == "image/jpeg"
        with Image.open(io.BytesIO(small.content)) as thumb:
            assert thumb.format == "JPEG"
            assert thumb.size == (MAX_SIDE, MAX_SIDE * 3 // 4)  # the photo's shape, smaller
        none = await web.get(f"{base}/{pdf['sha256']}/thumbnail")
        assert (none.status_code, none.json()["code"]) == (404, "no_thumbnail")
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        read = await conn.fetch(
            "select path from audit_reads where tenant_id = $1 and path like '%/evidence/%'",
            county.tenant_id,
        )
    assert f"{base}/{pdf['sha256']}/download" in {row["path"] for row in read}  # the auditor's


async def test_a_huge_or_damaged_image_gets_no_thumbnail_and_the_page_still_shows(
    client: httpx.AsyncClient, web: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    bomb = png_claiming(8000, 8000)  # 64 M pixels claimed in a few hundred bytes
    assert MAX_PIXELS["PNG"] < 8000 * 8000
    broken = photo(64, 64, "PNG")[:200]  # a PNG cut short
    activity_id, (huge, cut) = await recorded_action(
        client, county, [(bomb, "巨图.png"), (broken, "坏图.png")]
    )
    await signed_in(web, await person(app_pool, county.tenant_id, Role.SUPERVISOR))
    page = await web.get(f"/app/activities/{activity_id}")
    assert page.status_code == 200, page.text
    base = f"/app/activities/{activity_id}/evidence"
    for digest in (huge["sha256"], cut["sha256"]):
        for _ in range(2):  # made, then the refusal kept
            none = await web.get(f"{base}/{digest}/thumbnail")
            assert (none.status_code, none.json()["code"]) == (404, "no_thumbnail"), none.text
        whole = await web.get(f"{base}/{digest}/download")
        assert whole.status_code == 200
    assert make(photo(100, 50, "PNG")) is not None  # a small PNG does get one


def test_a_photo_of_several_pictures_gets_the_first_as_its_thumbnail() -> None:
    first = Image.new("RGB", (640, 480), (200, 10, 10))
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (640, 480))])
    assert out.getvalue().startswith(b"\xff\xd8\xff")  # a JPEG to the upload's check
    made = make(out.getvalue())
    assert made is not None
    with Image.open(io.BytesIO(made)) as thumb:
        assert thumb.size == (MAX_SIDE, MAX_SIDE * 3 // 4)
        red, green, _ = thumb.convert("RGB").getpixel((10, 10))  # type: ignore[misc]
        assert red > 150 > green


def test_the_pixel_limit_is_what_refuses_a_large_image(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    Image.new("1", (5200, 5000)).save(out, "PNG")  # 26 M pixels in a few kilobytes
    large = out.getvalue()
    assert len(large) < 100_000
    assert make(large) is None
    monkeypatch.setitem(MAX_PIXELS, "PNG", 30_000_000)
    made = make(large)
    assert made is not None
    with Image.open(io.BytesIO(made)) as thumb:
        assert (thumb.width, round(thumb.height / 10)) == (MAX_SIDE, 38)  # its shape, smaller


async def test_another_countys_file_is_not_found_as_an_unknown_one(
    client: httpx.AsyncClient, web: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    activity_id, (mine,) = await recorded_action(client, county, [(photo(40, 30), PHOTO_NAME)])
    other = await _other_county(app_pool)
    other_id, (theirs,) = await recorded_action(client, other, [(photo(40, 30), "别县.jpg")])
    await signed_in(web, await person(app_pool, county.tenant_id, Role.SUPERVISOR))
    unknown = "0" * 64
    unnamed = await upload(client, county, photo(40, 30))  # the county's, named by no action
    for path in (
        f"/app/activities/{activity_id}/evidence/{theirs['sha256']}",  # my action, their file
        f"/app/activities/{other_id}/evidence/{theirs['sha256']}",  # their action
        f"/app/activities/{activity_id}/evidence/{unknown}",
        f"/app/activities/{activity_id}/evidence/{unnamed['sha256']}",
        f"/app/activities/{activity_id}/evidence/not-a-digest",
        f"/app/activities/{UUID(int=7)}/evidence/{mine['sha256']}",
    ):
        for suffix in ("", "/download", "/thumbnail"):
            answer = await web.get(path + suffix)
            assert answer.status_code == 404, (path, suffix, answer.text)
            assert answer.json()["code"] == "file_not_found"
            assert theirs["sha256"] not in answer.text.replace(path, "")
    assert (
        await web.get(f"/app/activities/{activity_id}/evidence/{mine['sha256']}")
    ).status_code == 200


async def _other_county(pool: asyncpg.Pool) -> County:
    other = County(await new_tenant(pool, "别县教育局"))
    other.tokens["admin"] = await issue(pool, other.tenant_id, Role.ADMIN)
    return other
