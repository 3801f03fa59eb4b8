"""`jgt assess` prints the recorded assessments of a school year, aligned with wide characters."""

from __future__ import annotations

import asyncio
from datetime import date
from uuid import UUID, uuid4

import asyncpg

from domain.assessment.assessment import Unit, assess
from domain.assessment.record import Assessment
from domain.assessment.templates import load_template
from domain.codes import (
    AssessmentGrade,
    CommunityType,
    ComplianceStatus,
    SchoolLocation,
    SchoolStage,
)
from domain.community.community import Community
from domain.community.school import School
from infra.event_store import EventStore, WriteContext
from service.cli_assess import HEADER, table, width
from tests.conftest import Database
from tests.domain.assessment_support import result
from tests.service.test_cli import jgt


def test_width_counts_wide_characters_twice_and_columns_line_up() -> None:
    assert width("教共体A") == 7
    printed = table(
        [("城关小学教共体", "共建型", "r@1", "30.00", "不合格", "合格", "10,000", "进步")]
    )
    lines = printed.splitlines()
    assert lines[0].startswith(HEADER[0])
    # Every column starts at the same terminal column on each line.
    second = [
        width(line[: line.index(cell)])
        for line, cell in zip(lines, ("类型", "共建型"), strict=True)
    ]
    assert second[0] == second[1]


def test_assess_prints_the_year_s_recorded_assessments(database: Database) -> None:
    created = jgt(database, "tenant", "create", "融安县教育局")
    tenant_id = UUID(created.output.strip().splitlines()[0].removeprefix("tenant "))
    loaded = jgt(
        database, "rules", "load-template", "rongan-2022", "--tenant", str(tenant_id), "--publish"
    )
    assert loaded.exit_code == 0, loaded.output
    rule_set_id = UUID(loaded.output.split()[2])

    async def record() -> None:
        pool = await asyncpg.create_pool(database.app_url)
        store = EventStore(pool)
        ctx = WriteContext(tenant_id=tenant_id, actor_id=uuid4(), role="admin")
        by = ctx.actor_id
        lead, member = (
            School.register(
                namespace=tenant_id,
                name=name,
                code=code,
                stage=SchoolStage.PRIMARY,
                location=SchoolLocation.TOWN,
                district="",
                by=by,
            )
            for name, code in (("城关小学", "CG01"), ("大良小学", "DL02"))
        )
        group = Community.form(
            id=uuid4(),
            name="城关小学教共体",
            type=CommunityType.CO_BUILT,
            lead=lead,
            members=[member],
            starts_on=date(2022, 9, 1),
            ends_on=date(2024, 8, 31),
            agreement="",
            by=by,
        )
        rules = load_template("rongan-2022")
        unit = Unit(group.id, CommunityType.CO_BUILT, lead.id, (member.id,))
        points = rules.rules[0].score.points
        results = [result(rules.rules[0].id, ComplianceStatus.MET, points, community=group.id)]
        recorded = Assessment.record(
            namespace=tenant_id,
            school_year="2022-2023",
            rule_set_id=rule_set_id,
            rules=rules,
            computed=assess(rules, unit, results),
            as_of=date(2023, 8, 1),
            folded_seq=4,
            grade=AssessmentGrade.PASS,
            reason="成员校进步明显",
            by=by,
        )
        for aggregate in (lead, member, group, recorded):
            await store.save(aggregate, ctx)
        await store.close()
        await pool.close()

    asyncio.run(record())
    printed = jgt(database, "assess", "--tenant", str(tenant_id), "--school-year", "2022-2023")
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    assert "取自已记录的考核" in lines[0]
    assert lines[1].split() == list(HEADER)
    assert lines[2].split() == [
        "城关小学教共体",
        "共建型",
        "rongan-2022@1",
        "100.00",
        "优秀",
        "合格",
        "10,000",
        "成员校进步明显",
    ]
    assert lines[-1] == "共 1 个教共体"
    other = jgt(database, "assess", "--tenant", str(tenant_id), "--school-year", "2023-2024")
    assert other.output.splitlines()[-1] == "共 0 个教共体"
    bad = jgt(database, "assess", "--tenant", str(tenant_id), "--school-year", "2023")
    assert bad.exit_code == 1
    assert "2023" in bad.output
