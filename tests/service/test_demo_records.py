"""The demo county holds every kind of record, as the API shows them (issue 8, item 13)."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
import httpx

from domain.codes import ActivityKind, AssignmentKind, PaperOutcome, ProjectStage
from infra.db import tenant_transaction
from infra.event_store import EventStore
from service.demo_assignments import SUBSIDY_FEN
from service.settings import Settings
from tests.service.demo_support import folded_demo

TODAY = date(2024, 4, 15)  # a fixed day: the community began on 2022-09-01


async def every(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **query: str
) -> list[Any]:
    """Every item of a paged list."""
    items: list[Any] = []
    params: dict[str, Any] = {"limit": 200, **query}
    while True:
        answer = await client.get(path, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        items += page["items"]
        if not page.get("next_cursor"):
            return items
        params["cursor"] = page["next_cursor"]


async def test_the_demo_county_holds_every_kind_of_record(
    client: httpx.AsyncClient,
    app_pool: asyncpg.Pool,
    system_pool: asyncpg.Pool,
    store: EventStore,
    settings: Settings,
) -> None:
    county = await folded_demo(app_pool, system_pool, store, settings, TODAY, "全记录示范县")
    bureau = {"Authorization": f"Bearer {county.tokens['supervisor']}"}
    listed = await has_actions(client, bureau)
    await has_staff(client, bureau, {a["id"]: a["kind"] for a in listed})
    await has_ledgers(client, bureau)
    sealed = await names_apart(client, bureau, [a["id"] for a in listed])
    async with tenant_transaction(app_pool, county.tenant_id) as conn:
        for name in sealed:  # as a JSON string in no event: only inside the sealed data
            quoted = f'"{name}"'
            found = await conn.fetchval(
                "select count(*) from events where tenant_id = $1"
                " and position(convert_to($2, 'UTF8') in payload) > 0",
                county.tenant_id,
                quoted,
            )
            assert found == 0, name
    # The community's set-up: the signed agreement (its document stored), group, base, studio,
    # phases, and a school of another county.
    answer = await client.get(f"/v1/communities/{county.community_id}", headers=bureau)
    set_up = answer.json()["set_up"]
    agreement = set_up["agreement_signed"]
    assert agreement["document_name"].endswith(".pdf")
    document = await client.get(f"/v1/files/{agreement['document_sha256']}", headers=bureau)
    assert document.status_code == 200 and document.content.startswith(b"%PDF-")
    assert set_up["leading_group"] and set_up["studios"] and set_up["base_school_ids"]
    assert len(set_up["phases"]) == 3
    assert [s["county"] for s in set_up["external_schools"]] == ["云溪县"]


async def has_actions(client: httpx.AsyncClient, bureau: dict[str, str]) -> list[Any]:
    """Every kind, each semester; places, notices, stand-ins, follow-ups, attendance, review."""
    # Actions of every kind, in each semester since the community began, with what rules check.
    listed = await every(client, "/v1/activities", bureau)
    assert {a["kind"] for a in listed} == {kind.value for kind in ActivityKind}
    assert {a["semester"] for a in listed} == {
        "2022-autumn",
        "2023-spring",
        "2023-autumn",
        "2024-spring",
    }
    assert any(a["venue_school_id"] not in (None, a["host_school_id"]) for a in listed)
    assert any(a["notified_at"] for a in listed if a["kind"] == "spot_check_lesson")
    assert any(a["online_stand_in"] for a in listed if a["kind"] == "sending_lessons")
    seminar = next(a for a in listed if a["kind"] == "sync_teaching_seminar")
    followed = next(a for a in listed if a["id"] == seminar["follows_up"])
    assert followed["kind"] == "synchronous_lesson"
    counts = [a["attendance_count"] for a in listed]
    for field in ("signed_in", "late", "left_early", "on_leave", "absent"):
        assert any(c[field] > 0 for c in counts), field
    assert any(a["reflection_count"] > 0 for a in listed)
    void = await every(client, "/v1/activities", bureau, include_void="true")
    assert len(void) == len(listed) + 1  # the duplicate, voided

    phoned = []
    for summary in listed:
        if summary["attendance_count"]["signed_in"] > len(summary["participating_school_ids"]):
            answer = await client.get(f"/v1/activities/{summary['id']}", headers=bureau)
            if answer.json()["sign_ins"]:
                phoned.append(answer.json())
                break
    assert phoned, "an action signed in by phone"
    training = next(a for a in listed if a["kind"] == "teacher_training")
    detail = (await client.get(f"/v1/activities/{training['id']}", headers=bureau)).json()
    lengths = sorted(r["chars"] for r in detail["reflections"])
    assert lengths[0] < 2000 <= lengths[-1]  # one too short for the training's rule
    assert detail["evidence"] and detail["attendance"] and detail["starts_at"]
    photo = detail["evidence"][0]
    served = await client.get(f"/v1/files/{photo['sha256']}", headers=bureau)
    assert served.status_code == 200 and served.content.startswith(b"\x89PNG")

    # Review: approved, returned, waiting, and one sent back, corrected and resubmitted.
    states = {}
    for state in ("approved", "returned", "pending"):
        found = await every(client, "/v1/activities", bureau, review=state)
        states[state] = len(found)
    assert states == {"approved": len(listed) - 2, "returned": 1, "pending": 1}
    return listed


async def has_staff(
    client: httpx.AsyncClient, bureau: dict[str, str], lessons: dict[str, str]
) -> None:
    # Staff: each kind of assignment, a replacement, an early end; pairs with report lessons.
    assignments = await every(client, "/v1/assignments", bureau)
    assert {a["kind"] for a in assignments} == {kind.value for kind in AssignmentKind}
    assert any(len(a["teacher_ids"]) == 2 for a in assignments)
    assert any(a["ended_on"] for a in assignments)
    assert {"vice_principal", "mid_level_cadre", "backbone_teacher", "shadowing_teacher"} <= {
        a["role"] for a in assignments
    }
    pairs = await every(client, "/v1/mentorships", bureau)
    assert pairs and all(len(p["lesson_ids"]) == 1 for p in pairs)
    assert {lessons[p["lesson_ids"][0]] for p in pairs} == {"public_lesson"}


async def has_ledgers(client: httpx.AsyncClient, bureau: dict[str, str]) -> None:
    # Research through its stages, a paper of each outcome.
    projects = await every(client, "/v1/research/projects", bureau)
    assert {p["stage"] for p in projects} == {
        ProjectStage.APPLIED,
        ProjectStage.APPROVED,
        ProjectStage.CONCLUDED,
    }
    papers = await every(client, "/v1/research/papers", bureau)
    assert {p["outcome"] for p in papers} == {outcome.value for outcome in PaperOutcome}

    # Quality: results of two school years; this year's compare with the year before.
    results = await every(client, "/v1/quality/results", bureau)
    assert {r["school_year"] for r in results} >= {"2021-2022", "2022-2023", "2023-2024"}
    compared = [r for r in results if r["year_before"] is not None]
    assert compared and all(r["pass_rate_change"] is not None for r in compared)
    assert {r["grade"] for r in results} == {4, 5}

    # Money and commendations.
    entries = await every(client, "/v1/money/entries", bureau)
    subsidies = [e for e in entries if e["kind"] == "subsidy"]
    assert subsidies and all(e["amount_fen"] == SUBSIDY_FEN and e["teacher_id"] for e in subsidies)
    assert len({e["teacher_id"] for e in subsidies}) >= 4
    assert any(e["kind"] == "funding" for e in entries)
    commended = await every(client, "/v1/commendations", bureau)
    assert {c["kind"] for c in commended} == {"community", "dispatched_teacher"}


async def names_apart(
    client: httpx.AsyncClient, bureau: dict[str, str], ids: list[str]
) -> set[str]:
    """No action names a teacher of the staff ledger: erasing one leaves no name behind.

    Returns the teachers' names, as opened.
    """
    teachers = await every(client, "/v1/teachers", bureau, include_left="true")
    sealed = {t["name"] for t in teachers}
    assert teachers and None not in sealed  # every name opened
    named = set()
    for activity_id in ids:
        answer = await client.get(f"/v1/activities/{activity_id}", headers=bureau)
        named |= {p["name"] for p in answer.json()["participants"]}
    assert named and not named & sealed
    return sealed
