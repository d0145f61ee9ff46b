"""docker-compose.yml and the Dockerfile describe a runnable production stack (parsed, not run)."""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path

from django.core.management import get_commands

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SECRET_NAMES = (
    "SECRET_KEY",
    "PSEUDONYM_KEYS",
    "FIELD_ENCRYPTION_KEYS",
    "POSTGRES_PASSWORD",
    "APP_DB_PASSWORD",
    "PURGE_DB_PASSWORD",
    "AUDIT_SIGNING_KEY",
)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _command(service: dict) -> list[str]:
    command = service["command"]
    return command if isinstance(command, list) else command.split()


def _assert_points_at_real_code(command: list[str]) -> None:
    program = command[0]
    if program == "gunicorn":
        module_name, _, attribute = command[1].partition(":")
        assert hasattr(importlib.import_module(module_name), attribute), command
    elif program == "celery":
        app_module = command[command.index("--app") + 1]
        assert hasattr(importlib.import_module(app_module), "celery_app"), command
        assert command[command.index("--app") + 2] in {"worker", "beat"}, command
    elif program == "python" and command[1] == "-m":
        assert importlib.util.find_spec(command[2]) is not None, command
    elif program == "python" and command[1] == "manage.py":
        assert command[2] in get_commands(), command
    else:
        pytest.fail(f"unknown program in command: {command}")


def test_compose_has_the_production_services(compose: dict) -> None:
    assert set(compose["services"]) == {
        "db",
        "redis",
        "migrate",
        "web",
        "worker",
        "audit-purge",
        "beat",
    }


def test_every_long_running_service_has_a_healthcheck(compose: dict) -> None:
    for name, service in compose["services"].items():
        if name == "migrate":
            assert service["restart"] == "no"
            continue
        healthcheck = service.get("healthcheck")
        assert healthcheck and healthcheck.get("test"), f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), name


def test_app_services_wait_for_migrate_and_their_dependencies(compose: dict) -> None:
    services = compose["services"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully", name
        assert depends["redis"]["condition"] == "service_healthy", name


def test_redis_keeps_its_data_and_never_evicts(compose: dict) -> None:
    command = " ".join(_command(compose["services"]["redis"]))
    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command


def test_app_services_share_one_environment_block(compose: dict) -> None:
    services = compose["services"]
    environments = [
        services[name]["environment"]
        for name in ("migrate", "web", "worker", "audit-purge", "beat")
    ]
    # One block; only the database login differs (owner / application / purge).
    without_login = [
        {key: value for key, value in environment.items() if key != "DATABASE_URL"}
        for environment in environments
    ]
    assert all(environment == without_login[0] for environment in without_login)
    assert environments[0]["DEBUG"] == "false"
    assert environments[0]["DEMO_MODE"] == "false"


def test_only_migrate_logs_in_as_the_owner_of_the_tables(compose: dict) -> None:
    """The owner could switch off the audit log's append-only triggers; the application cannot
    (tests/audit/test_database_roles.py), and only the purge worker may act as the purge role."""
    services = compose["services"]
    login = {
        name: services[name]["environment"]["DATABASE_URL"].split("//")[1].split(":")[0]
        for name in ("migrate", "web", "worker", "audit-purge", "beat")
    }
    assert login == {
        "migrate": "ketenregie",
        "web": "ketenregie_app",
        "worker": "ketenregie_app",
        "audit-purge": "ketenregie_purge",
        "beat": "ketenregie_app",
    }
    assert services["db"]["environment"]["POSTGRES_USER"] == "ketenregie"
    script = (ROOT / "deploy" / "postgres" / "10-roles.sh").read_text()
    assert "CREATE ROLE ketenregie_app LOGIN" in script
    assert "IN ROLE ketenregie_audit_purger" in script
    # The purge role has one member, the purge login; the application's login is not one.
    members = [line for line in script.splitlines() if "ketenregie_audit_purger" in line]
    assert [line for line in members if "IN ROLE" in line or "GRANT ketenregie_audit" in line] == [
        "CREATE ROLE ketenregie_purge LOGIN PASSWORD :'purge_password' IN ROLE ketenregie_audit_purger;"
    ]
    assert services["audit-purge"]["command"][-5:] == [
        "audit_purge",
        "--loglevel",
        "INFO",
        "--concurrency",
        "1",
    ]


def test_checkpoints_are_on_a_volume_of_their_own(compose: dict) -> None:
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        assert "audit-checkpoints:/app/var/audit-checkpoints" in services[name]["volumes"]
    assert "audit-checkpoints:/app/var/audit-checkpoints" not in services["db"]["volumes"]
    assert services["web"]["environment"]["AUDIT_SIGNING_KEY"].startswith("${AUDIT_SIGNING_KEY:?")


def test_no_secret_is_written_in_the_compose_file(compose: dict) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    for name in SECRET_NAMES:
        for match in re.finditer(rf"^\s*{name}:\s*(\S.*)$", text, re.MULTILINE):
            value = match.group(1)
            assert value.startswith("${") and ":?" in value, (
                f"{name} must come from the environment"
            )
    database_url = compose["services"]["web"]["environment"]["DATABASE_URL"]
    assert "${APP_DB_PASSWORD:?" in database_url
    assert "${POSTGRES_PASSWORD:?" in compose["services"]["migrate"]["environment"]["DATABASE_URL"]


@pytest.mark.parametrize("service", ["migrate", "web", "worker", "beat"])
def test_commands_point_at_real_modules(compose: dict, service: str) -> None:
    _assert_points_at_real_code(_command(compose["services"][service]))


def test_healthcheck_commands_point_at_real_modules(compose: dict) -> None:
    for name in ("web", "beat"):
        test = compose["services"][name]["healthcheck"]["test"]
        assert test[0] == "CMD"
        _assert_points_at_real_code(test[1:])


def test_dockerfile_runs_gunicorn_as_an_unprivileged_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^USER ketenregie$", dockerfile, re.MULTILINE)
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert cmd is not None
    _assert_points_at_real_code(yaml.safe_load(cmd.group(1)))
    for copied in re.findall(r"^COPY (\S+) ", dockerfile, re.MULTILINE):
        assert (ROOT / copied).exists(), f"Dockerfile copies missing path {copied}"


def test_the_worker_may_finish_its_jobs_before_it_is_stopped(compose: dict) -> None:
    """Longer than the longest job (and longer than the job outbox's leases)."""
    grace = compose["services"]["worker"]["stop_grace_period"]
    assert grace.endswith("m") and int(grace[:-1]) >= 5, grace
