"""The lint STYLE §8 asks for, as a small walk over the code's syntax trees.

1. Views, admin and API code read rows only through a scope (`visible_to`) or a named selector (a
   queryset method or a function of selectors.py): never `Model.objects.get/filter/exclude(...)`,
   which is how a page comes to show what is outside its user's area.
2. A service (a function of services.py, or of federation/grants.py, that takes the actor and
   writes) is called with keywords only, and what it writes happens in one transaction: more than
   one write outside `transaction.atomic` is refused.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = [
    "core",
    "notifications",
    "federation",
    "accounts",
    "orgs",
    "projects",
    "menu",
    "cases",
    "volunteers",
    "dashboards",
]
UNSCOPED_READS = {"get", "filter", "exclude"}
WRITES = {
    "save",
    "create",
    "update",
    "delete",
    "bulk_create",
    "bulk_update",
    "update_or_create",
    "get_or_create",
    "set",
    "add",
    "remove",
    "clear",
}


def page_modules(root=ROOT):
    """Views, admin and API code."""
    for app in APPS:
        folder = root / app
        yield from (path for path in folder.glob("*.py") if path.stem in {"views", "admin"})
        yield from folder.glob("*_admin.py")
        yield from folder.glob("api/*.py")


def service_modules(root=ROOT):
    yield from (root / app / "services.py" for app in APPS if (root / app / "services.py").exists())
    yield root / "federation" / "grants.py"


# Django's own queryset methods: a chain of these alone from `Model.objects` selects without a
# scope. A chain through any other method (visible_to, available_to, staffed_by …) is a selector.
PLAIN_QUERYSET = {
    "all",
    "filter",
    "exclude",
    "get",
    "select_related",
    "prefetch_related",
    "order_by",
    "annotate",
    "only",
    "defer",
    "values",
    "values_list",
    "distinct",
    "none",
    "first",
    "last",
}
MANAGERS = {"objects", "_default_manager", "_base_manager"}


def plain_chain_from_a_manager(call) -> bool:
    """Whether `call` reads rows by a chain of Django's own methods from a model's manager."""
    node = call
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr not in PLAIN_QUERYSET:
            return False
        node = node.func.value
    return isinstance(node, ast.Attribute) and node.attr in MANAGERS


def unscoped_reads(root=ROOT) -> list[str]:
    found = []
    for path in page_modules(root):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            reads = (
                isinstance(node.func, ast.Attribute)
                and node.func.attr in UNSCOPED_READS
                and plain_chain_from_a_manager(node)
            ) or (
                # get_object_or_404(Model, …): the model's whole table
                getattr(node.func, "id", "") in {"get_object_or_404", "get_list_or_404"}
                and node.args
                and isinstance(node.args[0], ast.Name)
            )
            if reads:
                found.append(f"{path.relative_to(root)}:{node.lineno} {ast.unparse(node.func)}")
    return found


def is_atomic_block(node) -> bool:
    return isinstance(node, ast.With) and any(
        "atomic" in ast.unparse(item.context_expr) for item in node.items
    )


def writes_outside_transaction(function) -> int:
    """The writes a function makes outside `with transaction.atomic()` (none if decorated)."""
    if any("atomic" in ast.unparse(decorator) for decorator in function.decorator_list):
        return 0
    count = 0
    pending = [(statement, False) for statement in function.body]
    while pending:
        node, inside = pending.pop()
        inside = inside or is_atomic_block(node)
        if (
            not inside
            and isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            count += 1
        pending.extend((child, inside) for child in ast.iter_child_nodes(node))
    return count


def writes(function) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
        for node in ast.walk(function)
    )


def service_problems(root=ROOT) -> list[str]:
    problems = []
    for path in service_modules(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in tree.body:
            if not isinstance(function, ast.FunctionDef):
                continue
            arguments = function.args
            positional = [a.arg for a in arguments.posonlyargs + arguments.args]
            if "actor" not in positional + [a.arg for a in arguments.kwonlyargs]:
                continue
            if not writes(function):
                continue  # a check (require_…, is_…), not a service
            where = f"{path.relative_to(root)}:{function.lineno} {function.name}"
            if positional:
                problems.append(f"{where} takes {', '.join(positional)} by position")
            if writes_outside_transaction(function) > 1:
                problems.append(f"{where} writes more than once outside a transaction")
    return problems


def test_views_admin_and_api_read_through_a_scope_or_a_selector():
    assert unscoped_reads() == []


def test_services_are_keyword_only_and_write_in_one_transaction():
    assert service_problems() == []


def test_the_lint_sees_what_it_forbids(tmp_path):
    """Each rule catches its fault in a planted module."""
    (tmp_path / "menu" / "api").mkdir(parents=True)
    (tmp_path / "federation").mkdir()
    (tmp_path / "menu" / "views.py").write_text(
        "def page(request):\n    return Order.objects.filter(pk=1)\n"
        "def other(request):\n    return Order.objects.select_related('item').get(pk=1)\n"
        "def third(request):\n    return get_object_or_404(Order, pk=1)\n"
        "def fine(request):\n    return Order.objects.visible_to(request.user).get(pk=1)\n"
    )
    (tmp_path / "menu" / "services.py").write_text(
        "def order_do(order, *, actor):\n    order.save()\n    Log.objects.create()\n"
    )
    (tmp_path / "federation" / "grants.py").write_text("")
    assert unscoped_reads(tmp_path) == [
        "menu/views.py:2 Order.objects.filter",
        "menu/views.py:4 Order.objects.select_related('item').get",
        "menu/views.py:6 get_object_or_404",
    ]
    assert service_problems(tmp_path) == [
        "menu/services.py:1 order_do takes order by position",
        "menu/services.py:1 order_do writes more than once outside a transaction",
    ]
