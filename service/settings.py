"""Configuration from the environment: every setting, its default and its variable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from infra.crypto import MASTER_KEY_ENV, MasterKeyError, parse_master_key
from infra.embedded import default_data_dir
from infra.signing import Signer

MAX_PORT = 65535
PostgresUrl = Annotated[str, msgspec.Meta(pattern=r"^postgres(ql)?://")]
RedisUrl = Annotated[str, msgspec.Meta(pattern=r"^(rediss?|unix)://")]
# host:port of the metrics listener; an IPv6 host in brackets ("[::1]:9108").
Address = Annotated[
    str, msgspec.Meta(pattern=r"^(\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.\-]{1,253}):[0-9]{1,5}$")
]


class Settings(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Read once at start-up by `from_env`; the README lists each field with its variable.

    Every value is checked here, so a bad one stops any command at once instead of
    surfacing later as failed writes or a silent default.
    """

    database_url: PostgresUrl | None = None
    redis_url: RedisUrl | None = None
    app_database_url: PostgresUrl | None = None
    system_database_url: PostgresUrl | None = None
    app_db_password: str | None = None  # any text is a password
    system_db_password: str | None = None
    data_dir: Path = msgspec.field(default_factory=default_data_dir)
    host: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9.:\-]{1,253}$")] = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=0, le=MAX_PORT)] = 8000
    pool_size: Annotated[int, msgspec.Meta(ge=2, le=200)] = 10
    queue_name: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_:.\-]{1,100}$")] = "jgt:queue"
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024)] = 256 * 1024
    timezone: str = "Asia/Shanghai"
    poll_seconds: Annotated[float, msgspec.Meta(gt=0, le=60)] = 0.5
    log_level: Literal["critical", "error", "warning", "info", "debug", "trace"] = "info"
    log_format: Literal["text", "json"] = "text"  # json: one object per line (service/logs.py)
    access_log: bool = True  # one line per request (service/observe.py)
    metrics: bool = True  # request metrics and GET /metrics (service/metrics.py)
    metrics_address: Address | None = None  # a listener of its own, without a token
    signing_key: str | None = None  # PEM; else the key file in data_dir (infra/signing.py)
    checkpoint_seconds: Annotated[float, msgspec.Meta(gt=0)] = 3600.0
    max_file_bytes: Annotated[int, msgspec.Meta(ge=1024, le=2**31)] = 20 * 1024 * 1024
    file_grace_seconds: Annotated[float, msgspec.Meta(gt=0)] = 86400.0
    file_sweep_seconds: Annotated[float, msgspec.Meta(gt=0)] = 3600.0
    sign_in_link_minutes: Annotated[int, msgspec.Meta(ge=1, le=7 * 24 * 60)] = 120
    sign_ins_per_minute: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 120
    master_key: str | None = None  # base64; else the key file in data_dir (infra/crypto.py)
    # False: `jgt serve` answers requests only, and `jgt worker` processes do the rest.
    serve_background: bool = True
    # The runner's compliance judge in a process of its own, on another core than the read
    # models' (projections/judge_process.py); false: in the runner's process.
    judge_process: bool = True
    web_processes: Annotated[int, msgspec.Meta(ge=1, le=64)] = 1  # of `jgt serve`, on one port
    # Read-model answers kept in memory until the county's read models move (service/read_cache.py).
    read_cache: Literal["on", "off"] = "on"
    session_idle_minutes: Annotated[int, msgspec.Meta(ge=1, le=24 * 60)] = 30
    insecure_cookies: bool = False  # plain http (a laptop's localhost): no Secure flag

    def __post_init__(self) -> None:
        # msgspec turns a ValueError here into a ValidationError, reported like the others.
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"JGT_TIMEZONE: unknown time zone {self.timezone!r}") from error
        if self.data_dir.exists() and not self.data_dir.is_dir():
            raise ValueError(f"JGT_DATA_DIR: {self.data_dir} is not a folder")
        if self.metrics_address is not None and metrics_port(self.metrics_address) > MAX_PORT:
            raise ValueError(f"JGT_METRICS_ADDRESS: no such port in {self.metrics_address!r}")
        if self.signing_key is not None:
            _ = Signer(pem=self.signing_key).public_key  # a SigningKeyError names JGT_SIGNING_KEY
        if self.master_key is not None:
            try:
                parse_master_key(self.master_key, MASTER_KEY_ENV)
            except MasterKeyError as error:
                raise ValueError(str(error)) from None


# The variable of each setting; DATABASE_URL and REDIS_URL keep their conventional names.
ENV = {
    "database_url": "DATABASE_URL",
    "redis_url": "REDIS_URL",
    "app_database_url": "JGT_APP_DATABASE_URL",
    "system_database_url": "JGT_SYSTEM_DATABASE_URL",
    "app_db_password": "JGT_APP_DB_PASSWORD",
    "system_db_password": "JGT_SYSTEM_DB_PASSWORD",
    "data_dir": "JGT_DATA_DIR",
    "host": "JGT_HOST",
    "port": "JGT_PORT",
    "pool_size": "JGT_POOL_SIZE",
    "queue_name": "JGT_QUEUE_NAME",
    "max_body_bytes": "JGT_MAX_BODY_BYTES",
    "timezone": "JGT_TIMEZONE",
    "poll_seconds": "JGT_POLL_SECONDS",
    "log_level": "JGT_LOG_LEVEL",
    "log_format": "JGT_LOG_FORMAT",
    "access_log": "JGT_ACCESS_LOG",
    "metrics": "JGT_METRICS",
    "metrics_address": "JGT_METRICS_ADDRESS",
    "signing_key": "JGT_SIGNING_KEY",
    "checkpoint_seconds": "JGT_CHECKPOINT_SECONDS",
    "max_file_bytes": "JGT_MAX_FILE_BYTES",
    "file_grace_seconds": "JGT_FILE_GRACE_SECONDS",
    "file_sweep_seconds": "JGT_FILE_SWEEP_SECONDS",
    "sign_in_link_minutes": "JGT_SIGN_IN_LINK_MINUTES",
    "sign_ins_per_minute": "JGT_SIGN_INS_PER_MINUTE",
    "master_key": MASTER_KEY_ENV,
    "serve_background": "JGT_SERVE_BACKGROUND",
    "judge_process": "JGT_JUDGE_PROCESS",
    "web_processes": "JGT_WEB_PROCESSES",
    "read_cache": "JGT_READ_CACHE",
    "session_idle_minutes": "JGT_SESSION_IDLE_MINUTES",
    "insecure_cookies": "JGT_INSECURE_COOKIES",
}


def metrics_port(address: str) -> int:
    return int(address.rsplit(":", 1)[1])


def metrics_host(address: str) -> str:
    return address.rsplit(":", 1)[0].strip("[]")


class SettingsError(ValueError):
    """A setting in the environment has a value of the wrong kind."""


def from_env(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from the environment (empty variables count as unset), then `overrides`."""
    environ = dict(os.environ) if environ is None else environ
    raw: dict[str, object] = {
        field: environ[var] for field, var in ENV.items() if environ.get(var, "").strip()
    }
    raw.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return msgspec.convert(raw, Settings, strict=False, dec_hook=_decode_path)
    except msgspec.ValidationError as error:
        raise SettingsError(_explain(str(error))) from error


def _decode_path(kind: type, value: object) -> object:
    if kind is Path and isinstance(value, str):
        return Path(value).expanduser()
    raise NotImplementedError


def _explain(message: str) -> str:
    # msgspec names the field ("at `$.port`"); people set variables, so name the variable.
    for field, var in ENV.items():
        message = message.replace(f"`$.{field}`", var)
    return message
