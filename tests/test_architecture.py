"""The layers of docs/architecture.md, checked on every import of the project's own code.

core → (nothing of ours); notifications → core; federation → notifications, core; the domain
apps (accounts, orgs, projects, menu, cases, volunteers, people, public) → federation and below, and each other;
dashboards, which reads every app, and scale, the benchmarks' data generator, → all of them; config, which wires everything, → anything.
An import "upward" (core importing federation, federation importing cases …) fails the test,
whether at the top of a module or inside a function.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LAYERS = {
    "core": 0,
    "notifications": 1,
    "federation": 2,
    "accounts": 3,
    "orgs": 3,
    "projects": 3,
    "menu": 3,
    "cases": 3,
    "volunteers": 3,
    "people": 3,
    "public": 3,
    "dashboards": 4,
    "scale": 4,
    "config": 5,
}


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(top-level package, line) of every import of ours in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS:
                found.add((top, node.lineno))
    return found


def project_modules():
    for package in LAYERS:
        yield from sorted((ROOT / package).rglob("*.py"))


def upward_imports() -> list[str]:
    problems = []
    for path in project_modules():
        package = path.relative_to(ROOT).parts[0]
        for imported, line in imported_packages(path):
            if LAYERS[imported] > LAYERS[package]:
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {imported} (upward)")
    return sorted(problems)


def test_no_module_imports_upward():
    assert upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The walk itself works: a core module that imports federation is caught."""
    fake_root = tmp_path
    (fake_root / "core").mkdir()
    (fake_root / "core" / "bad.py").write_text("def f():\n    from federation.models import X\n")
    for package in LAYERS:
        (fake_root / package).mkdir(exist_ok=True)
    monkeypatch.setitem(globals(), "ROOT", fake_root)
    assert upward_imports() == ["core/bad.py:2 imports federation (upward)"]


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_every_layer_is_a_package_of_the_project(package):
    assert (ROOT / package / "__init__.py").exists()


def enqueued_task_names() -> set[str]:
    """Every task a module names to enqueue_on_commit("app.tasks.name", …)."""
    names = set()
    for path in project_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "enqueue_on_commit"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


def test_services_never_import_their_tasks():
    """Tasks call services; services name the tasks they start (core.tasks.enqueue_on_commit)."""
    offenders = [
        f"{path.relative_to(ROOT)} imports {imported}.tasks"
        for path in ROOT.glob("*/services.py")
        for imported, _line in imported_modules(path)
        if imported == f"{path.parent.name}.tasks"
    ]
    assert offenders == []


def test_every_task_named_to_the_queue_exists():
    """Those named to enqueue_on_commit, and each process's notice task (core.workflow)."""
    from django.utils.module_loading import autodiscover_modules

    from config.celery_app import app
    from core.workflow import PROCESSES

    app.loader.import_default_modules()
    autodiscover_modules("workflows")
    names = enqueued_task_names() | {p.notify_task for p in PROCESSES.values() if p.notify_task}
    assert {"cases.tasks.notify_case_event", "menu.tasks.notify_order_event"} <= names
    assert names <= set(app.tasks)


def imported_modules(path: Path) -> set[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name, node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module, node.lineno))
            found |= {(f"{node.module}.{alias.name}", node.lineno) for alias in node.names}
    return found
