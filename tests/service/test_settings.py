"""A bad setting stops every command with one line on stderr, before it does anything."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from infra.crypto import MasterKey
from service.cli import main
from service.services import master_key_of
from service.settings import ENV, Settings, SettingsError, from_env, metrics_host, metrics_port

# One bad value per variable; a password may be any text, so none can be bad.
BAD = {
    "DATABASE_URL": "mysql://db.example/jgt",
    "REDIS_URL": "http://queue.example",
    "JGT_APP_DATABASE_URL": "jgt_app@db.example",
    "JGT_SYSTEM_DATABASE_URL": "db.example:5432",
    "JGT_DATA_DIR": "{file}",
    "JGT_HOST": "not a host",
    "JGT_PORT": "70000",
    "JGT_POOL_SIZE": "1",
    "JGT_QUEUE_NAME": "my queue",
    "JGT_MAX_BODY_BYTES": "10",
    "JGT_TIMEZONE": "Mars/Olympus",
    "JGT_POLL_SECONDS": "0",
    "JGT_LOG_LEVEL": "loud",
    "JGT_LOG_FORMAT": "xml",
    "JGT_ACCESS_LOG": "maybe",
    "JGT_METRICS": "sometimes",
    "JGT_METRICS_ADDRESS": "127.0.0.1:99999",
    "JGT_SIGNING_KEY": "not a key",
    "JGT_CHECKPOINT_SECONDS": "0",
    "JGT_MAX_FILE_BYTES": "100",
    "JGT_FILE_GRACE_SECONDS": "-1",
    "JGT_FILE_SWEEP_SECONDS": "soon",
    "JGT_SIGN_IN_LINK_MINUTES": "0",
    "JGT_SIGN_INS_PER_MINUTE": "many",
    "JGT_MASTER_KEY": "not base64!",
    "JGT_SERVE_BACKGROUND": "maybe",
    "JGT_JUDGE_PROCESS": "maybe",
    "JGT_WEB_PROCESSES": "0",
    "JGT_READ_CACHE": "yes",
    "JGT_SESSION_IDLE_MINUTES": "0",
    "JGT_INSECURE_COOKIES": "maybe",
}
COMMANDS = [
    ["serve"],
    ["worker"],
    ["migrate"],
    ["tenant", "list"],
    ["token", "list"],
    ["verify", "--tenant", "00000000-0000-0000-0000-000000000002"],
    ["projections", "run"],
    ["projections", "rebuild"],
    ["demo"],
]


def test_every_setting_but_the_passwords_has_a_bad_value_here() -> None:
    assert set(BAD) == set(ENV.values()) - {"JGT_APP_DB_PASSWORD", "JGT_SYSTEM_DB_PASSWORD"}


@pytest.mark.parametrize("variable", sorted(BAD))
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_bad_setting_is_one_line_on_stderr_and_a_non_zero_exit(
    variable: str, command: list[str], tmp_path: Path
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    env = {"DATABASE_URL": "postgresql://127.0.0.1:1/none", "REDIS_URL": ""}
    env[variable] = BAD[variable].format(file=a_file)
    result = CliRunner().invoke(main, command, env=env, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: bad setting: ")
    assert variable in lines[0]
    assert result.stdout == ""


def test_the_defaults_and_good_values_are_accepted() -> None:
    settings = from_env(
        {"JGT_TIMEZONE": "Europe/Berlin", "JGT_LOG_LEVEL": "debug", "REDIS_URL": "unix:///s"}
    )
    assert (settings.timezone, settings.log_level, settings.redis_url) == (
        "Europe/Berlin",
        "debug",
        "unix:///s",
    )
    assert from_env({}) == Settings(data_dir=from_env({}).data_dir)
    assert from_env({}).serve_background
    assert not from_env({"JGT_SERVE_BACKGROUND": "false"}).serve_background
    assert not from_env({"JGT_SERVE_BACKGROUND": "0"}).serve_background
    assert from_env({}).read_cache == "on"
    assert from_env({"JGT_READ_CACHE": "off"}).read_cache == "off"


def test_a_good_master_key_is_taken_and_used_by_the_keyring(tmp_path: Path) -> None:
    key = MasterKey.generate()
    settings = from_env({"JGT_MASTER_KEY": key.encoded(), "JGT_DATA_DIR": str(tmp_path)})
    assert master_key_of(settings).key_id == key.key_id
    assert not (tmp_path / "master.key").exists()  # the variable wins: no key file is made
    # Without it, the key file in the data folder, made once and kept.
    made = master_key_of(from_env({"JGT_DATA_DIR": str(tmp_path)}))
    assert master_key_of(from_env({"JGT_DATA_DIR": str(tmp_path)})).key_id == made.key_id


def test_the_log_and_metrics_settings_take_their_values() -> None:
    settings = from_env(
        {
            "JGT_LOG_FORMAT": "json",
            "JGT_ACCESS_LOG": "false",
            "JGT_METRICS": "0",
            "JGT_METRICS_ADDRESS": "[::1]:9108",
        }
    )
    assert (settings.log_format, settings.access_log, settings.metrics) == ("json", False, False)
    assert (metrics_host("[::1]:9108"), metrics_port("[::1]:9108")) == ("::1", 9108)
    assert from_env({"JGT_METRICS_ADDRESS": "metrics.internal:0"}).metrics_address == (
        "metrics.internal:0"
    )
    for bad in ("9108", "host:", "a b:1", "[::1]", "host:123456"):
        with pytest.raises(SettingsError, match="JGT_METRICS_ADDRESS"):
            from_env({"JGT_METRICS_ADDRESS": bad})
