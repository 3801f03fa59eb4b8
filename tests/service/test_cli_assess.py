"""`jgt assess`: each community computed now beside its record, aligned with wide characters."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import asyncpg

from domain.assessment.record import Assessment
from domain.codes import (
    AssessmentGrade,
    CommunityType,
    SchoolLocation,
    SchoolStage,
)
from domain.community.community import Community
from domain.community.school import School
from infra.codec import EventMapper
from infra.db import tenant_transaction
from infra.event_store import EventStore, WriteContext
from projections.assessment.facts import CountyFacts
from service.assessment.assessing import assessed
from service.assessment.facts import catch_up
from service.cli_assess import HEADER, table, width
from tests.conftest import Database
from tests.service.test_cli import jgt


def test_width_counts_wide_characters_twice_and_columns_line_up() -> None:
    assert width("教共体A") == 7
    printed = table(
        [
            (
                "城关小学教共体",
                "共建型",
                "30.00",
                "不合格",
                "30.00",
                "不合格",
                "合格",
                "10,000",
                "r@1（2023-08-01）",
                "进步",
            )
        ]
    )
    lines = printed.splitlines()
    assert lines[0].startswith(HEADER[0])
    # Every column starts at the same terminal column on each line.
    second = [
        width(line[: line.index(cell)])
        for line, cell in zip(lines, ("类型", "共建型"), strict=True)
    ]
    assert second[0] == second[1]


def test_assess_prints_each_community_computed_now_beside_its_record(database: Database) -> None:
    created = jgt(database, "tenant", "create", "融安县教育局")
    tenant_id = UUID(created.output.strip().splitlines()[0].removeprefix("tenant "))
    loaded = jgt(
        database, "rules", "load-template", "rongan-2022", "--tenant", str(tenant_id), "--publish"
    )
    assert loaded.exit_code == 0, loaded.output
    zone = ZoneInfo("Asia/Shanghai")
    today = datetime.now(zone).date()

    async def record() -> float | None:
        pool = await asyncpg.create_pool(database.app_url)
        store = EventStore(pool)
        ctx = WriteContext(tenant_id=tenant_id, actor_id=uuid4(), role="admin")
        by = ctx.actor_id
        lead, member, other_lead, other_member = (
            School.register(
                namespace=tenant_id,
                name=name,
                code=code,
                stage=SchoolStage.PRIMARY,
                location=SchoolLocation.TOWN,
                district="",
                by=by,
            )
            for name, code in (
                ("城关小学", "CG01"),
                ("大良小学", "DL02"),
                ("长安小学", "CA01"),
                ("浮石小学", "FS02"),
            )
        )
        groups = [
            Community.form(
                id=uuid4(),
                name=name,
                type=CommunityType.CO_BUILT,
                lead=head,
                members=[one],
                starts_on=date(2022, 9, 1),
                ends_on=date(2024, 8, 31),
                agreement="",
                by=by,
            )
            for name, head, one in (
                ("城关小学教共体", lead, member),
                ("长安小学教共体", other_lead, other_member),
            )
        ]
        for aggregate in (lead, member, other_lead, other_member, *groups):
            await store.save(aggregate, ctx)
        # Recorded as the route records it: computed from the county's facts as known today.
        fold = CountyFacts()
        async with tenant_transaction(pool, tenant_id) as conn:
            await catch_up(conn, tenant_id, fold, EventMapper(), zone)
        found = assessed(fold, groups[0].id, "2022-2023", today)
        recorded = Assessment.record(
            namespace=tenant_id,
            school_year="2022-2023",
            rule_set_id=found.rule_set.stream_id,
            rules=found.rule_set.rules,
            computed=found.computed,
            as_of=found.as_of,
            folded_seq=found.folded_seq,
            grade=AssessmentGrade.EXCELLENT,
            reason="成员校进步明显",
            by=by,
        )
        await store.save(recorded, ctx)
        await store.close()
        await pool.close()
        return found.computed.total

    total = asyncio.run(record())
    assert total is not None
    printed = jgt(database, "assess", "--tenant", str(tenant_id), "--school-year", "2022-2023")
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    assert f"截至 {today}" in lines[0]
    assert "rongan-2022@1" in lines[0]
    assert lines[1].split() == list(HEADER)
    score = f"{total:.2f}"
    first, second = lines[2].split(), lines[3].split()
    grade = first[3]
    # Nothing changed since it was recorded: computed now is what was recorded.
    assert first == [
        "城关小学教共体",
        "共建型",
        score,
        grade,
        score,
        grade,
        "优秀",
        "12,000",
        f"rongan-2022@1（{today}）",
        "成员校进步明显",
    ]
    assert second[:4] == ["长安小学教共体", "共建型", score, grade]
    assert second[4:] == ["—"] * 6
    assert lines[-1] == "共 2 个教共体，已记录 1 个"
    # The columns line up on every line, wide characters counted twice.
    starts = {
        width(line[: line.index(cell)])
        for line, cell in zip(lines[1:4], ("类型", "共建型", "共建型"), strict=True)
    }
    assert len(starts) == 1
    before = jgt(database, "assess", "--tenant", str(tenant_id), "--school-year", "2021-2022")
    assert before.exit_code == 1
    assert "2021-2022" in before.output
    bad = jgt(database, "assess", "--tenant", str(tenant_id), "--school-year", "2023")
    assert bad.exit_code == 1
    assert "2023" in bad.output
    assert "学年写作 2025-2026" in bad.output  # what a school year looks like, not a semester
    assert "学期" not in bad.output
