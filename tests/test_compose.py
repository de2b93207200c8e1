"""docker-compose.yml cannot run here; check that every command names a real entry point."""

import importlib
import shlex
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def commands_of(service: dict) -> list[list[str]]:
    """The command lines a service runs (a `sh -c "a && b"` holds several)."""
    command = service.get("command")
    if command is None:
        return []
    if isinstance(command, str):
        command = shlex.split(command)
    if command[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in command[2].split("&&")]
    return [command]


def check_entry_point(argv: list[str]) -> None:
    program = argv[0]
    if program == "gunicorn":
        module, attribute = argv[1].split(":")
        assert callable(getattr(importlib.import_module(module), attribute))
    elif program == "celery":
        app_module = argv[argv.index("-A") + 1]
        assert hasattr(importlib.import_module(app_module), "celery_app")
        assert argv[argv.index("-A") + 2] in {"worker", "beat"}
    elif program == "python" and argv[1] == "manage.py":
        assert (ROOT / "manage.py").exists()
        assert argv[2] in get_commands(), f"no management command {argv[2]}"
    else:
        raise AssertionError(f"unknown entry point: {argv}")


def test_the_stack_has_its_five_services():
    assert set(COMPOSE["services"]) == {"postgres", "redis", "web", "worker", "beat"}


def test_every_service_command_names_a_real_entry_point():
    checked = 0
    for name, service in COMPOSE["services"].items():
        for argv in commands_of(service):
            check_entry_point(argv)
            checked += 1
        if "build" in service or "<<" in service:
            assert (ROOT / "Dockerfile").exists(), name
    assert checked >= 4


def test_dockerfile_command_is_a_real_entry_point():
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    cmd = next(line for line in lines if line.startswith("CMD"))
    argv = yaml.safe_load(cmd.removeprefix("CMD").strip())
    check_entry_point(argv)


def test_the_app_services_use_production_settings_from_the_environment():
    for name in ("web", "worker", "beat"):
        environment = COMPOSE["services"][name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert environment["SECRET_KEY"].startswith("${")
