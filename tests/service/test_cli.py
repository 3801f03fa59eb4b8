"""The `jgt` command line, run in-process (click's runner) and, for signals, as a real process."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg
import pytest
from click.testing import CliRunner, Result

from infra.event_store import EventStore, WriteContext
from infra.tenancy import authenticate
from projections.runner import ProjectionRunner
from service.cli import main
from service.cli_compliance import cut, width
from tests.conftest import Database, new_tenant
from tests.infra.sample import Tally
from tests.projections.history import snapshot, write_history

# Sync tests: the commands run their own event loop with asyncio.run.


def jgt(database: Database, *args: str, env: dict[str, str] | None = None) -> Result:
    environment = {"DATABASE_URL": database.owner_url, "REDIS_URL": ""}
    environment.update(env or {})
    return CliRunner().invoke(main, list(args), env=environment, catch_exceptions=False)


def test_help_explains_each_command(database: Database) -> None:
    result = jgt(database, "--help")
    assert result.exit_code == 0
    for command in (
        "serve",
        "worker",
        "migrate",
        "tenant",
        "token",
        "verify",
        "projections",
        "demo",
        "rules",
    ):
        assert re.search(rf"^\s+{command}\s+\S", result.output, re.MULTILINE), command
    sub = jgt(database, "token", "create", "--help")
    assert "--role" in sub.output
    assert "supervisor" in sub.output


def test_an_operator_creates_a_county_and_its_first_admin_token(database: Database) -> None:
    result = jgt(database, "tenant", "create", "  云和县教育局 ")
    assert result.exit_code == 0, result.output
    tenant_line, token_line = result.output.strip().splitlines()
    tenant_id = UUID(tenant_line.removeprefix("tenant "))
    secret = token_line.removeprefix("admin token ")

    async def check() -> None:
        conn = await asyncpg.connect(database.app_url)
        try:
            async with conn.transaction():
                principal = await authenticate(conn, secret)
            assert (principal.tenant_id, principal.role, principal.label) == (
                tenant_id,
                "admin",
                "云和县教育局 管理员",
            )
        finally:
            await conn.close()

    asyncio.run(check())
    listing = jgt(database, "tenant", "list")
    assert f"{tenant_id}" in listing.output
    assert "云和县教育局" in listing.output

    supervisor = jgt(
        database, "token", "create", "--tenant", str(tenant_id), "--role", "supervisor"
    )
    assert supervisor.exit_code == 0
    assert supervisor.output.startswith("jgt_")


def test_verify_reports_an_intact_chain_and_names_a_tampered_event(database: Database) -> None:
    created = jgt(database, "tenant", "create", "验证县").output.splitlines()
    tenant_id = created[0].removeprefix("tenant ")
    school = uuid4()
    # A recorder token needs a school; that also checks the pairing rule of the CLI.
    schoolless = jgt(database, "token", "create", "--tenant", tenant_id, "--role", "recorder")
    assert schoolless.exit_code == 1
    # The message names both ways of giving the school (the README's).
    assert "--school (or --user of a recorder)" in schoolless.output

    async def record_and_tamper(*, tamper: bool) -> None:
        if tamper:
            conn = await asyncpg.connect(database.owner_url)
            try:
                await conn.execute("set session_replication_role = replica")
                await conn.execute(
                    "update events set payload = payload || ' '::bytea"
                    " where tenant_id = $1 and tenant_seq = 2",
                    UUID(tenant_id),
                )
            finally:
                await conn.close()
            return
        pool = await asyncpg.create_pool(database.app_url)
        store = EventStore(pool)
        for _ in range(3):
            await store.save(
                Tally.open(),
                WriteContext(tenant_id=UUID(tenant_id), actor_id=school, role="admin"),
            )
        await store.close()
        await pool.close()

    asyncio.run(record_and_tamper(tamper=False))
    intact = jgt(database, "verify", "--tenant", tenant_id)
    assert intact.exit_code == 0, intact.output
    assert intact.output.startswith("chain intact: 3 events, head ")

    asyncio.run(record_and_tamper(tamper=True))
    broken = jgt(database, "verify", "--tenant", tenant_id)
    assert broken.exit_code == 2
    assert broken.output.startswith("chain broken at event 2 ")
    assert "altered" in broken.output


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["token", "create", "--tenant", str(uuid4()), "--role", "admin"], {}, "no county with id"),
        (["verify", "--tenant", str(uuid4())], {}, "no county with id"),
        (["tenant", "create", "   "], {}, "1 to 100 characters"),
        (["tenant", "create", "云和\x1b[31m县"], {}, "none of them a control character"),
        (["tenant", "create", "\u3000"], {}, "1 to 100 characters"),
        (
            ["token", "create", "--tenant", str(uuid4()), "--role", "admin", "--label", "张\x07"],
            {},
            "the label must have 1 to 100 characters, none of them a control character",
        ),
        (
            ["tenant", "list"],
            {"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nowhere"},
            "cannot reach the database",
        ),
        (["tenant", "list"], {"JGT_POOL_SIZE": "many"}, "bad setting"),
    ],
)
def test_bad_input_gets_one_line_and_a_non_zero_exit(
    database: Database, args: list[str], env: dict[str, str], message: str
) -> None:
    result = jgt(database, *args, env=env)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_a_bad_role_is_a_usage_error(database: Database) -> None:
    result = jgt(database, "token", "create", "--tenant", str(uuid4()), "--role", "king")
    assert result.exit_code == 2
    assert "'king' is not one of" in result.output


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_serve_on_embedded_servers_stops_them_cleanly(tmp_path: Path, stop: signal.Signals) -> None:
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(JGT_DATA_DIR=str(data_dir), JGT_PORT="0")
    with subprocess.Popen(
        [sys.executable, "-m", "service", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "listening on" in line or not line:
                break
        assert any("listening on http://127.0.0.1:" in line for line in lines), "".join(lines)
        postgres_pid = int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
        process.send_signal(stop)
        assert process.wait(timeout=30) == 0, process.stdout.read()
        rest = process.stdout.read()
    assert "Traceback" not in rest, rest  # a graceful stop: the app's shutdown ran
    assert "Application shutdown complete" in rest, rest
    assert not _running(postgres_pid), "embedded PostgreSQL was left running"
    assert not (data_dir / "valkey.sock").exists() or not _answers(data_dir / "valkey.sock")


def _running(pid: int) -> bool:
    """Alive and not a zombie, within a few seconds (the server is reparented to init)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False
        if state == "Z":
            return False
        time.sleep(0.1)
    return True


def _answers(path: Path) -> bool:
    import socket  # noqa: PLC0415

    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(path))
    except OSError:
        return False
    return True


def test_embedded_data_survives_a_restart(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["JGT_DATA_DIR"] = str(tmp_path / "data")

    def jgt_process(*args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "service", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    tenant_line = jgt_process("tenant", "create", "龙泉市教育局").splitlines()[0]
    listing = jgt_process("tenant", "list")  # a new process, a new start of the server
    assert tenant_line.removeprefix("tenant ") in listing
    assert "龙泉市教育局" in listing


async def test_projections_rebuild_folds_a_county_again_from_its_events(
    database: Database, store: EventStore, app_pool: asyncpg.Pool, system_pool: asyncpg.Pool
) -> None:
    tenant_id = await new_tenant(app_pool, "重建县")
    history = await write_history(store, tenant_id, activities=6)
    await ProjectionRunner(system_pool).catch_up([tenant_id])
    folded = await snapshot(app_pool, tenant_id)
    owner = await asyncpg.connect(database.owner_url)
    try:  # a read model gone wrong (say, a bug since fixed): the events still say what is true
        async with owner.transaction():
            await owner.execute("select set_config('jgt.tenant_id', $1, true)", str(tenant_id))
            await owner.execute(
                "update school_list set name = '错' where tenant_id = $1", tenant_id
            )
            await owner.execute("delete from activity_counts where tenant_id = $1", tenant_id)
    finally:
        await owner.close()
    assert await snapshot(app_pool, tenant_id) != folded

    result = await asyncio.to_thread(
        jgt, database, "projections", "rebuild", "--tenant", str(tenant_id)
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{tenant_id}  ")
    assert "重建县" in result.output
    assert await snapshot(app_pool, tenant_id) == folded
    assert len(folded["activity_list"]) == len(history.activities)

    unknown = await asyncio.to_thread(
        jgt, database, "projections", "rebuild", "--tenant", str(uuid4())
    )
    assert unknown.exit_code == 1
    assert "no county with id" in unknown.output


def test_checkpoint_signs_the_head_and_verify_checks_the_chain_against_it(
    database: Database, tmp_path: Path
) -> None:
    env = {"JGT_DATA_DIR": str(tmp_path)}
    tenant_id = jgt(database, "tenant", "create", "签名县").output.splitlines()[0].split()[1]

    async def record() -> None:
        pool = await asyncpg.create_pool(database.app_url)
        store = EventStore(pool)
        context = WriteContext(tenant_id=UUID(tenant_id), actor_id=uuid4(), role="admin")
        await store.save(Tally.open(), context)
        await store.close()
        await pool.close()

    asyncio.run(record())
    signed = jgt(database, "checkpoint", "--tenant", tenant_id, env=env)
    assert signed.exit_code == 0, signed.output
    assert f"{tenant_id} event 1 signed " in signed.output
    assert stat.S_IMODE((tmp_path / "signing_key.pem").stat().st_mode) == 0o600
    checked = jgt(database, "verify", "--tenant", tenant_id, env=env)
    assert checked.exit_code == 0, checked.output
    assert "1 signed checkpoints match" in checked.output
    moved = jgt(database, "checkpoint", env=env)  # every county whose head moved: not this one
    assert tenant_id not in moved.output


def test_rules_load_template_drafts_or_publishes_a_seed_plan(database: Database) -> None:
    created = jgt(database, "tenant", "create", "融安县教育局")
    tenant_id = created.output.strip().splitlines()[0].removeprefix("tenant ")
    result = jgt(
        database, "rules", "load-template", "rongan-2022", "--tenant", tenant_id, "--publish"
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("rongan-2022@1 published ")
    assert "in force 2022-09-01..2024-08-31" in result.output
    again = jgt(database, "rules", "load-template", "rongan-2022", "--tenant", tenant_id)
    assert again.exit_code == 1
    assert "rongan-2022@1" in again.output
    draft = jgt(
        database,
        "rules",
        "load-template",
        "yongli-pairing",
        "--tenant",
        tenant_id,
        "--version",
        "3",
    )
    assert draft.output.startswith("yongli-pairing@3 draft "), draft.output
    unknown = jgt(database, "rules", "load-template", "nowhere", "--tenant", tenant_id)
    assert unknown.exit_code == 2


def test_compliance_prints_the_county_table_aligned_with_chinese_labels(
    database: Database,
) -> None:
    created = jgt(database, "tenant", "create", "融安县教育局")
    tenant_id = created.output.strip().splitlines()[0].removeprefix("tenant ")
    loaded = jgt(
        database, "rules", "load-template", "rongan-2022", "--tenant", tenant_id, "--publish"
    )
    assert loaded.exit_code == 0, loaded.output
    # No community yet: the county-wide rules alone, each judged by the published version.
    shown = jgt(database, "compliance", "--tenant", tenant_id, "--period", "2022-2023")
    assert shown.exit_code == 0, shown.output
    header, *rows = shown.output.splitlines()
    assert header.split() == ["共同体", "学校", "规则", "周期", "要求", "完成", "状态", "判定版本"]
    assert rows
    assert all(row.startswith("全县") and row.endswith("rongan-2022@1") for row in rows)
    assert all(width(row) == width(rows[0]) for row in rows)  # the version column lines up
    assert {row.split()[-2] for row in rows} <= {"达标", "预警", "未达标", "进行中", "不适用"}
    before = jgt(
        database, "compliance", "--tenant", tenant_id, "--period", "2022-2023",
        "--as-of", "2022-01-01",
    )  # fmt: skip
    assert (before.exit_code, before.output.splitlines()[1:]) == (0, [])
    bad = jgt(database, "compliance", "--tenant", tenant_id, "--period", "2023-winter")
    assert bad.exit_code == 1
    unknown = jgt(database, "compliance", "--tenant", str(UUID(int=5)))
    assert (unknown.exit_code, "no county" in unknown.output) == (1, True)


def test_width_counts_chinese_characters_as_two_columns() -> None:
    assert (width("达标"), width("ab"), width("全县 R1")) == (4, 2, 7)
    assert cut("每学期送教不少于一次", 9) == "每学期送…"
