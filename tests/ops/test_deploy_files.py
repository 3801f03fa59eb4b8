"""The deployment files in ops/ parse, name real `jgt` commands and set only known settings.

No image is built here (no docker); what can be checked without one is checked.
"""

from __future__ import annotations

import configparser
import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
import pytest
import yaml

from service.cli import main
from service.settings import ENV

ROOT = Path(__file__).resolve().parents[2]
OPS = ROOT / "ops"
SETTINGS = frozenset(ENV.values())
IMAGE = "jiaogongti:"
# The variables the image sets that are Python's or the shell's, not ours.
NOT_OURS = frozenset({"PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"})


def jgt_command(argv: list[str]) -> click.Command:
    """The `jgt` command that `argv` runs, its options parsed as click would: a typo fails."""
    assert argv, "no command"
    assert Path(argv[0]).name == "jgt", argv
    command: click.Command = main
    parent = click.Context(main, info_name="jgt")
    rest = argv[1:]
    while isinstance(command, click.Group):
        assert rest, f"{argv} names the group {command.name}, not a command"
        assert not rest[0].startswith("-"), f"{argv}: options of the group are not used here"
        sub = command.get_command(parent, rest[0])
        assert sub is not None, f"{argv}: jgt has no command {rest[0]!r}"
        command, rest = sub, rest[1:]
        parent = click.Context(command, info_name=command.name, parent=parent)
    command.make_context(command.name, list(rest), parent=parent.parent)  # UsageError if wrong
    return command


def test_the_command_check_can_fail() -> None:
    assert jgt_command(["jgt", "projections", "run"]).name == "run"
    assert jgt_command(["/opt/jiaogongti/bin/jgt", "serve", "--host", "127.0.0.1"]).name == "serve"
    for wrong in (["jgt", "serv"], ["jgt", "projections"], ["jgt", "serve", "--hots", "x"]):
        with pytest.raises((AssertionError, click.UsageError)):
            jgt_command(wrong)
    with pytest.raises(click.UsageError):
        jgt_command(["jgt", "verify"])  # --tenant is required


def assert_settings(names: object, where: str) -> None:
    assert isinstance(names, (dict, list, set, frozenset)), where
    unknown = set(names) - SETTINGS
    assert not unknown, f"{where} sets variables that are no setting: {sorted(unknown)}"


# Dockerfile


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", (OPS / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    instructions = [line.split(None, 1) for line in lines if line and not line.startswith("#")]
    return [(word.upper(), rest) for word, rest in instructions]


def test_the_image_is_slim_non_root_and_runs_jgt_serve_without_the_embedded_servers() -> None:
    steps = dockerfile()
    args = dict(rest.split("=", 1) for word, rest in steps if word == "ARG")
    bases = [rest.split()[0] for word, rest in steps if word == "FROM"]
    assert len(bases) == 2, bases  # build the wheels, then a runtime without a toolchain
    for base in bases:
        image = re.sub(r"\$\{(\w+)\}", lambda m: args[m.group(1)], base)
        match = re.fullmatch(r"python:3\.(\d+)-slim(-\w+)?(@sha256:[0-9a-f]{64})?", image)
        assert match, image
        pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
        lowest = int(pyproject["project"]["requires-python"].removeprefix(">=3."))
        assert int(match.group(1)) >= lowest
    runtime = steps[[i for i, (word, _) in enumerate(steps) if word == "FROM"][-1] :]
    users = [rest for word, rest in runtime if word == "USER"]
    assert users, "the runtime stage never leaves root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    installs = [rest for word, rest in steps if word == "RUN" and "pip" in rest]
    assert installs
    for step in installs:
        assert "embedded" not in step, step
        assert "[" not in step.replace("[embedded]", ""), f"an extra is installed: {step}"
    assert "--no-index" in next(step for step in installs if "pip install" in step)
    (cmd,) = [json.loads(rest) for word, rest in runtime if word == "CMD"]
    assert jgt_command(cmd).name == "serve"
    env_names = {
        shlex.split(rest)[i].split("=", 1)[0]
        for word, rest in runtime
        if word == "ENV"
        for i in range(len(shlex.split(rest)))
    }
    assert_settings(env_names - NOT_OURS, "the Dockerfile")
    assert {"JGT_HOST", "JGT_DATA_DIR"} <= env_names


def test_the_image_gets_every_package_of_the_wheel() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {
        p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    copied = {
        source
        for word, rest in dockerfile()
        if word == "COPY" and not rest.startswith("--from")
        for source in rest.split()[:-1]  # the last word is the destination
    }
    assert packages | {"pyproject.toml", "README.md"} <= copied, packages - copied
    for source in copied:
        assert (ROOT / source).exists(), source
    ignored = (OPS / "Dockerfile.dockerignore").read_text().splitlines()
    for source in copied:
        kept = f"!{source}/" if (ROOT / source).is_dir() else f"!{source}"
        assert kept in ignored, f"{source} is copied but the dockerignore leaves it out"


# compose


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((OPS / "compose.yaml").read_text())
    return loaded


def interpolated(value: str) -> str:
    """What compose makes of `${NAME:?message}`, `${NAME}` and `$$`, with NAME set to "x"."""
    return re.sub(r"\$\{\w+(:?[?-][^}]*)?\}", "x", value).replace("$$", "$")


def ours(service: dict[str, Any]) -> bool:
    return str(service.get("image", "")).startswith(IMAGE) or "build" in service


def test_compose_runs_postgres_redis_a_migration_one_serve_and_one_worker() -> None:
    services = compose()["services"]
    assert {"postgres", "redis", "migrate", "web", "worker"} <= set(services)
    commands = {name: jgt_command(s["command"]).name for name, s in services.items() if ours(s)}
    assert commands == {"migrate": "migrate", "web": "serve", "worker": "worker"}
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully", name
        assert needs["redis"]["condition"] == "service_healthy", name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name, service in services.items():
        if ours(service):
            build = service["build"]
            assert (OPS / build["context"] / build["dockerfile"]).resolve() == OPS / "Dockerfile"
            assert_settings(service["environment"], f"compose service {name}")
            env = {k: interpolated(v) for k, v in service["environment"].items()}
            assert urlsplit(env["DATABASE_URL"]).hostname == "postgres"
            assert urlsplit(env["REDIS_URL"]).hostname == "redis"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    declared = set(compose()["volumes"])
    for service in services.values():
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in declared, volume


# systemd


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign] # systemd keys keep their case
    parser.read_string((OPS / "systemd" / name).read_text(), source=name)
    assert parser.sections() == ["Unit", "Service", "Install"], name
    return parser


def environment_assignments(line: str) -> dict[str, str]:
    return dict(word.split("=", 1) for word in shlex.split(line))


def test_systemd_units_parse_and_run_real_commands_as_a_service_user() -> None:
    names = sorted(p.name for p in (OPS / "systemd").glob("*.service"))
    assert names == [
        "jiaogongti-migrate.service",
        "jiaogongti-web.service",
        "jiaogongti-worker.service",
    ]
    commands = {}
    for name in names:
        service = unit(name)["Service"]
        argv = shlex.split(service["ExecStart"])
        assert argv[0].startswith("/"), "systemd wants an absolute path"
        commands[name] = jgt_command(argv).name
        assert service["User"] not in {"root", "0"}, name
        assert service["EnvironmentFile"] == "/etc/jiaogongti/env", name
        if "Environment" in service:
            assert_settings(environment_assignments(service["Environment"]), name)
        assert service["StateDirectory"] == "jiaogongti", name
    assert commands == {
        "jiaogongti-migrate.service": "migrate",
        "jiaogongti-web.service": "serve",
        "jiaogongti-worker.service": "worker",
    }
    assert unit("jiaogongti-migrate.service")["Service"]["Type"] == "oneshot"
    for name in ("jiaogongti-web.service", "jiaogongti-worker.service"):
        parsed = unit(name)
        assert "jiaogongti-migrate.service" in parsed["Unit"]["Requires"].split(), name
        assert "jiaogongti-migrate.service" in parsed["Unit"]["After"].split(), name
        assert parsed["Service"]["KillSignal"] == "SIGTERM"
        assert parsed["Install"]["WantedBy"] == "multi-user.target"


def test_the_environment_file_sets_only_known_settings() -> None:
    assignments = {}
    for line in (OPS / "systemd" / "env").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            assignments[name] = value
    assert_settings(assignments, "ops/systemd/env")
    assert {"DATABASE_URL", "REDIS_URL", "JGT_APP_DB_PASSWORD", "JGT_SYSTEM_DB_PASSWORD"} <= set(
        assignments
    )


# Kubernetes


def manifests() -> list[dict[str, Any]]:
    found = []
    for path in sorted((OPS / "k8s").glob("*.yaml")):
        found += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    return found


def named(kind: str, name: str) -> dict[str, Any]:
    (found,) = [m for m in manifests() if m["kind"] == kind and m["metadata"]["name"] == name]
    return found


def pod_specs() -> dict[str, dict[str, Any]]:
    return {
        m["metadata"]["name"]: m["spec"]["template"]["spec"]
        for m in manifests()
        if m["kind"] in {"Deployment", "Job"}
    }


def test_kubernetes_has_web_and_worker_deployments_and_a_migration_job() -> None:
    kinds = {(m["kind"], m["metadata"]["name"]) for m in manifests()}
    assert {
        ("Deployment", "jiaogongti-web"),
        ("Deployment", "jiaogongti-worker"),
        ("Job", "jiaogongti-migrate"),
        ("Service", "jiaogongti-web"),
        ("Secret", "jiaogongti-env"),
        ("ConfigMap", "jiaogongti-config"),
    } <= kinds
    commands = {}
    for name, spec in pod_specs().items():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] != 0, name
        (container,) = spec["containers"]
        assert container["image"].startswith(IMAGE), name
        commands[name] = jgt_command(container["command"] + container.get("args", [])).name
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert commands == {
        "jiaogongti-web": "serve",
        "jiaogongti-worker": "worker",
        "jiaogongti-migrate": "migrate",
    }
    assert pod_specs()["jiaogongti-migrate"]["restartPolicy"] in {"Never", "OnFailure"}
    for name in ("jiaogongti-web", "jiaogongti-worker"):
        deployment = named("Deployment", name)
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_kubernetes_pods_get_only_known_settings_from_secrets_and_config_maps() -> None:
    sources = {(m["kind"], m["metadata"]["name"]): m for m in manifests()}
    for name, spec in pod_specs().items():
        (container,) = spec["containers"]
        assert_settings([e["name"] for e in container.get("env", [])], name)
        for source in container["envFrom"]:
            ((ref, target),) = source.items()
            kind = {"configMapRef": "ConfigMap", "secretRef": "Secret"}[ref]
            found = sources[(kind, target["name"])]
            keys = {**found.get("data", {}), **found.get("stringData", {})}
            assert_settings(keys, f"{kind} {target['name']} (envFrom of {name})")
    secret_keys = set(named("Secret", "jiaogongti-env")["stringData"])
    assert {"DATABASE_URL", "REDIS_URL", "JGT_APP_DB_PASSWORD", "JGT_SYSTEM_DB_PASSWORD"} <= (
        secret_keys
    )
    assert not secret_keys & set(named("ConfigMap", "jiaogongti-config")["data"])


def test_web_is_ready_on_healthz_at_the_port_it_listens_on() -> None:
    (container,) = pod_specs()["jiaogongti-web"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    probe = container["readinessProbe"]["httpGet"]
    assert probe["path"] == "/healthz"
    port = ports.get(probe["port"], probe["port"])
    config = named("ConfigMap", "jiaogongti-config")["data"]
    assert int(config["JGT_PORT"]) == port
    assert config["JGT_HOST"] == "0.0.0.0"  # noqa: S104 - a pod listens on its own address
    assert "httpGet" not in container["livenessProbe"], "a database outage must not kill pods"
    service = named("Service", "jiaogongti-web")["spec"]
    assert (
        service["selector"].items()
        <= named("Deployment", "jiaogongti-web")["spec"]["template"]["metadata"]["labels"].items()
    )
    assert {p["targetPort"] for p in service["ports"]} <= set(ports) | set(ports.values())
