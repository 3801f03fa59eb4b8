"""Evidence files: uploaded by content type, read back only in the county, named by actions."""

from __future__ import annotations

import asyncio
import hashlib
import io
import zipfile
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient

from infra.db import create_pool, tenant_transaction
from infra.evidence_files import claim, sweep, sweep_every
from infra.file_store import FolderStore
from infra.media_types import DOCX, XLSX
from infra.tenancy import Role
from projections.runner import ProjectionRunner
from service.app import create_app
from service.runtime import Urls
from service.services import file_store_of
from service.settings import Settings
from tests.conftest import Database, new_tenant
from tests.service.api import PDF, PNG, activity_body, evidence, setup_community, upload
from tests.service.conftest import County, issue
from tests.service.test_api_commands import event_count

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 16


def office(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


async def files_of(pool: asyncpg.Pool, county: County) -> list[str]:
    async with tenant_transaction(pool, county.tenant_id) as conn:
        rows = await conn.fetch(
            "select sha256 from evidence_files where tenant_id = $1 order by sha256",
            county.tenant_id,
        )
    return [row["sha256"] for row in rows]


@pytest.mark.parametrize(
    ("content", "media_type"),
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (PDF, "application/pdf"),
        (office("word/document.xml"), DOCX),
        (office("xl/workbook.xml"), XLSX),
        (MP4, "video/mp4"),
    ],
    ids=["png", "jpeg", "pdf", "docx", "xlsx", "mp4"],
)
async def test_an_upload_is_kept_by_its_digest_as_its_content_shows_and_read_back(
    client: httpx.AsyncClient, county: County, content: bytes, media_type: str
) -> None:
    # Sent as image/png whatever it is: the content decides.
    uploaded = await upload(client, county, content)
    digest = hashlib.sha256(content).hexdigest()
    assert (uploaded["sha256"], uploaded["size"], uploaded["media_type"]) == (
        digest,
        len(content),
        media_type,
    )
    read = await client.get(f"/v1/files/{digest}", headers=county.auth("auditor"))
    assert read.status_code == 200, read.text
    assert read.content == content
    assert read.headers["content-type"].startswith(media_type)
    assert read.headers["x-content-type-options"] == "nosniff"
    again = await upload(client, county, content, role="admin")  # the same file: one row
    assert again["sha256"] == digest


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"just some text, not evidence", 415, "file_type_not_allowed"),
        (b"<html><script>alert(1)</script></html>", 415, "file_type_not_allowed"),
        (b"PK\x03\x04 not really a zip", 415, "file_type_not_allowed"),
        (office("content.xml"), 415, "file_type_not_allowed"),  # a zip, but no Office part
        (b"", 400, "empty_file"),
    ],
    ids=["text", "html", "broken zip", "other zip", "empty"],
)
async def test_a_file_of_another_kind_or_empty_is_refused_and_nothing_is_kept(
    client: httpx.AsyncClient,
    county: County,
    app_pool: asyncpg.Pool,
    content: bytes,
    status: int,
    code: str,
) -> None:
    answer = await client.post(
        "/v1/files", files={"file": ("x.png", content, "image/png")}, headers=county.auth("admin")
    )
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert await files_of(app_pool, county) == []


async def test_a_form_is_checked_part_by_part_and_json_is_not_an_upload(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    admin = county.auth("admin")
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"files": {"file": ("a.png", PNG), "other": ("b.png", PNG)}}, 400, "unexpected_form_field"),
        ({"data": {"file": "not a file"}, "files": {"x": ("a.png", PNG)}}, 400, "unexpected_form_field"),
        ({"data": {"file": "not a file"}}, 415, "unsupported_media_type"),  # urlencoded
        ({"files": {"attachment": ("a.png", PNG)}}, 400, "unexpected_form_field"),
        ({"json": {"file": "x"}}, 415, "unsupported_media_type"),
        ({"content": PNG, "headers": {"Content-Type": "image/png"}}, 415, "unsupported_media_type"),
    ]  # fmt: skip
    for request, status, code in cases:
        extra = request.pop("headers", {})
        answer = await client.post("/v1/files", headers={**admin, **extra}, **request)
        assert (answer.status_code, answer.json()["code"]) == (status, code), (request, answer.text)
    # Only the upload route takes multipart: anywhere else it is refused before it is read.
    community_id, _, _, _ = await setup_community(client, county)
    elsewhere = await client.post(
        "/v1/activities",
        files={"file": ("a.png", PNG)},
        data={"community_id": str(community_id)},
        headers=admin,
    )
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (415, "unsupported_media_type")
    # A form field alone named `file` (text, not a file) is not a file.
    texts_only = await client.post(
        "/v1/files",
        content=b'--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nhello\r\n--b--\r\n',
        headers={**admin, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert (texts_only.status_code, texts_only.json()["code"]) == (400, "file_missing")
    assert await files_of(app_pool, county) == []


@pytest.fixture(scope="module")
async def small_client(settings: Settings, urls: Urls) -> AsyncIterator[httpx.AsyncClient]:
    """An app that takes files of up to 2 KiB."""
    small = msgspec.structs.replace(settings, max_file_bytes=2048)
    async with AsyncTestClient(create_app(small, urls, background=False)) as test_client:
        yield test_client


async def test_a_file_over_the_limit_is_refused_with_413(
    small_client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    fits = PNG + b"\x00" * (2048 - len(PNG))
    answer = await small_client.post(
        "/v1/files", files={"file": ("a.png", fits)}, headers=county.auth("admin")
    )
    assert answer.status_code == 201, answer.text
    for size, code in ((2049, "file_too_large"), (200_000, None)):  # the body itself too big
        over = PNG + b"\x00" * (size - len(PNG))
        answer = await small_client.post(
            "/v1/files", files={"file": ("a.png", over)}, headers=county.auth("admin")
        )
        assert answer.status_code == 413, answer.text
        if code is not None:
            assert answer.json()["code"] == code
    assert await files_of(app_pool, county) == [hashlib.sha256(fits).hexdigest()]


async def test_a_file_larger_than_a_json_body_may_be_is_taken(
    client: httpx.AsyncClient, county: County, settings: Settings
) -> None:
    big = PDF + b"%" * (settings.max_body_bytes * 2)  # the upload route has its own limit
    uploaded = await upload(client, county, big)
    assert (uploaded["size"], uploaded["media_type"]) == (len(big), "application/pdf")


async def test_a_county_reads_only_its_own_files(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    mine = await upload(client, county, PDF + b"% ours\n")
    other = County(await new_tenant(app_pool, "别县教育局"))
    other.tokens["admin"] = await issue(app_pool, other.tenant_id, Role.ADMIN)
    theirs = await client.get(f"/v1/files/{mine['sha256']}", headers=other.auth("admin"))
    assert (theirs.status_code, theirs.json()["code"]) == (404, "file_not_found")
    for path in ("/v1/files/" + "0" * 64, "/v1/files/not-a-digest", "/v1/files/..%2F..%2Fetc"):
        answer = await client.get(path, headers=county.auth("admin"))
        assert answer.status_code == 404, (path, answer.text)
    # Uploading the same bytes makes them the other county's too; the first keeps them.
    await upload(client, other, PDF + b"% ours\n")
    for who in (county, other):
        read = await client.get(f"/v1/files/{mine['sha256']}", headers=who.auth("admin"))
        assert read.status_code == 200


async def test_an_action_names_only_files_its_county_uploaded_as_they_were_stored(
    client: httpx.AsyncClient, county: County, app_pool: asyncpg.Pool
) -> None:
    community_id, lead, first, _ = await setup_community(client, county)
    admin = county.auth("admin")
    before = await event_count(app_pool, county.tenant_id)
    unknown = {"name": "签到表.jpg", "sha256": "ab" * 32, "size": 2048}
    refused = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first, evidence=[unknown]),
        headers=admin,
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "evidence_not_uploaded")
    assert refused.json()["params"]["sha256"] == "ab" * 32
    assert await event_count(app_pool, county.tenant_id) == before
    photo = await upload(client, county)
    claimed = {**evidence(photo), "size": 1, "media_type": "text/plain"}
    recorded = await client.post(
        "/v1/activities",
        json=activity_body(community_id, lead, first, evidence=[claimed]),
        headers=admin,
    )
    assert recorded.status_code == 201, recorded.text
    [item] = recorded.json()["evidence"]
    assert (item["size"], item["media_type"]) == (len(PNG), "image/png")  # as stored
    corrected = await client.post(
        f"/v1/activities/{recorded.json()['id']}/corrections",
        json={"reason": "补充材料", "evidence": [evidence(photo), unknown]},
        headers=admin,
    )
    assert (corrected.status_code, corrected.json()["code"]) == (422, "evidence_not_uploaded")


async def _age(pool: asyncpg.Pool, county: County, seconds: int) -> None:
    """Moves the county's files back in time, as if uploaded (and named) `seconds` ago."""
    async with tenant_transaction(pool, county.tenant_id) as conn:
        await conn.execute(
            "update evidence_files set uploaded_at = uploaded_at - make_interval(secs => $2),"
            " claimed_at = claimed_at - make_interval(secs => $2) where tenant_id = $1",
            county.tenant_id,
            seconds,
        )


async def test_files_no_event_names_are_swept_after_the_grace_and_only_those(
    client: httpx.AsyncClient,
    county: County,
    settings: Settings,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
) -> None:
    store = file_store_of(settings)
    community_id, lead, first, _ = await setup_community(client, county)
    named = await upload(client, county, PNG + b"named")
    dropped = await upload(client, county, PNG + b"dropped by a correction")
    loose = await upload(client, county, PNG + b"never named")
    recorded = await client.post(
        "/v1/activities",
        json=activity_body(
            community_id, lead, first, evidence=[evidence(named), evidence(dropped)]
        ),
        headers=county.auth("admin"),
    )
    assert recorded.status_code == 201, recorded.text
    corrected = await client.post(
        f"/v1/activities/{recorded.json()['id']}/corrections",
        json={"reason": "删去一张", "evidence": [evidence(named)]},
        headers=county.auth("admin"),
    )
    assert corrected.status_code == 200, corrected.text
    await _age(app_pool, county, 3600)

    async def swept(grace: timedelta) -> list[tuple[Any, str]]:
        return [r for r in await sweep(system_pool, store, grace) if r[0] == county.tenant_id]

    # The list has not folded the county's last events: nothing of it is swept yet.
    assert await swept(timedelta(minutes=30)) == []
    await ProjectionRunner(system_pool).catch_up([county.tenant_id])
    # Within the grace nothing goes; past it only the file no event ever named.
    assert await swept(timedelta(hours=2)) == []
    assert await swept(timedelta(minutes=30)) == [(county.tenant_id, loose["sha256"])]
    assert await files_of(app_pool, county) == sorted([named["sha256"], dropped["sha256"]])
    assert await store.get(loose["sha256"]) is None
    assert await store.get(named["sha256"]) == PNG + b"named"
    gone = await client.get(f"/v1/files/{loose['sha256']}", headers=county.auth("admin"))
    assert gone.status_code == 404


async def test_the_background_sweep_runs_on_its_own_and_keeps_bytes_another_county_holds(
    client: httpx.AsyncClient,
    county: County,
    settings: Settings,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
) -> None:
    """A real grace of two seconds: the first county's copy outlives it, the second's not yet."""
    store = FolderStore(settings.data_dir / "files")
    other = County(await new_tenant(app_pool, "邻县教育局"))
    other.tokens["admin"] = await issue(app_pool, other.tenant_id, Role.ADMIN)
    shared = await upload(client, county, PDF + b"% shared\n")
    await asyncio.sleep(2.2)
    await upload(client, other, PDF + b"% shared\n")
    await ProjectionRunner(system_pool).catch_up([county.tenant_id, other.tenant_id])
    task = asyncio.create_task(
        sweep_every(system_pool, store, grace=timedelta(seconds=2), seconds=0.05)
    )
    try:
        for _ in range(100):
            if not await files_of(app_pool, county):
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert await files_of(app_pool, county) == []
    assert await files_of(app_pool, other) == [shared["sha256"]]  # within its grace
    assert await store.get(shared["sha256"]) == PDF + b"% shared\n"


async def test_actions_naming_the_same_files_at_once_wait_for_each_other_without_deadlock(
    county: County, app_pool: asyncpg.Pool, database: Database
) -> None:
    """Claims lock the rows by digest. Here one pool's statements scan the table in the order
    the rows were written and the other's in digest order (the plans the planner may pick):
    crossing orders like these deadlock unless the locks are taken in one order."""
    digests = [hashlib.sha256(f"photo {i}".encode()).hexdigest() for i in range(60)]
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        await conn.executemany(
            "insert into evidence_files (tenant_id, sha256, size, media_type, uploaded_by)"
            " values ($1, $2, 1, 'image/png', $1)",
            [(county.tenant_id, d) for d in digests],
        )
    scans = {"enable_indexscan": "off", "enable_bitmapscan": "off"}
    by_rows = await create_pool(database.app_url, max_size=6, settings=scans)
    by_index = await create_pool(database.app_url, max_size=6, settings={"enable_seqscan": "off"})
    try:
        found = await asyncio.gather(
            *(claim(by_rows if i % 2 else by_index, county.tenant_id, digests) for i in range(60))
        )
    finally:
        await by_rows.close()
        await by_index.close()
    assert all(sorted(f) == sorted(digests) for f in found)
