import os
import shutil

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from federation.choices import Kind
from federation.models import Federation

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_or_skip(available: bool, reason: str) -> None:
    """Skip for want of a tool on a workstation; under CI a missing tool is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI must not skip this test)")
    pytest.skip(reason)


# The apps whose demo data each app's is built on (seed_demo's DEMO_SEEDERS gives the order;
# accounts' comes last: the second factors of whoever was seeded).
DEMO_BUILT_ON = {
    "federation": (),
    "orgs": ("federation",),
    "projects": ("orgs",),
    "menu": ("projects",),
    "cases": ("orgs",),
    "volunteers": ("projects",),
    "people": ("volunteers", "menu"),
    "accounts": (),
}
# Seeded only for the tests that name them (its demo runs the stipends' checks through the
# services: a second a test, for the hundreds that never look at it). EVERY_DEMO names all.
OPT_IN_DEMO = {"people"}
EVERY_DEMO = tuple(DEMO_BUILT_ON)


def demo_seeders(wanted=None) -> list[str]:
    """seed_demo's seeders of the apps a test needs (all but OPT_IN_DEMO without `wanted`),
    with those their demo is built on, in seed_demo's order."""
    from accounts.management.commands.seed_demo import DEMO_SEEDERS

    seeded = {seeder.split(".")[0] for seeder in DEMO_SEEDERS}
    assert seeded == set(DEMO_BUILT_ON), "DEMO_BUILT_ON must name every app seed_demo seeds"
    needed, pending = {"accounts"}, list(wanted or seeded - OPT_IN_DEMO)
    while pending:
        app = pending.pop()
        if app not in needed:
            needed.add(app)
            pending.extend(DEMO_BUILT_ON[app])
    return [seeder for seeder in DEMO_SEEDERS if seeder.split(".")[0] in needed]


@pytest.fixture
def demo(db, request):
    """The demo data and logins of `seed_demo`: only the apps a module names with
    `pytestmark = pytest.mark.demo("menu", …)` (and those they are built on), so that a change to
    one app's demo cannot break another app's tests; without the mark, all of it but the apps
    of OPT_IN_DEMO (`pytest.mark.demo(*EVERY_DEMO)` for everything)."""
    from django.utils.module_loading import import_string

    from dashboards import rollup_upkeep

    marker = request.node.get_closest_marker("demo")
    # Seeded with the roll-ups' triggers paused and summed once after (row by row they more
    # than doubled every test's set-up); tests/test_rollups.py seeds through them once.
    with rollup_upkeep.paused():
        for seeder in demo_seeders(marker.args if marker else None):
            import_string(seeder)()
    rollup_upkeep.rebuild()


def federation(code: str) -> Federation:
    return Federation.objects.get(division_code=code, kind=Kind.REGIONAL)


@pytest.fixture
def places(demo):
    """The demo nodes the scope tests talk about, by name."""

    class Places:
        shandong = federation("370000")
        jinan = federation("370100")
        huaiyin = federation("370104")
        yingshijie = federation("370104006")
        dongying_city = federation("370500")
        dongying = federation("370502")
        fujian = federation("350000")
        fuzhou = federation("350100")

    return Places


@pytest.fixture
def user_named(demo):
    return lambda username: User.objects.get(username=username)


@pytest.fixture
def api_as(user_named):
    """An API client signed in as a demo user (or anonymous with None)."""

    def make(username):
        client = APIClient()
        if username:
            client.force_authenticate(user_named(username))
        return client

    return make


@pytest.fixture
def admin_client_as(client, user_named):
    def make(username):
        client.force_login(
            user_named(username), backend="django.contrib.auth.backends.ModelBackend"
        )
        return client

    return make


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )
    require_or_skip(path is not None, "Debian's chromium is not installed")
    return path


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def postgres_program(name: str) -> str | None:
    """A PostgreSQL program of the test server's own major version (pg_dump refuses a newer
    server): Debian's for the machine's server, pgserver's for the embedded one."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("show server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    candidates = [f"/usr/lib/postgresql/{major}/bin/{name}"]
    try:
        import pgserver

        candidates.append(
            os.path.join(os.path.dirname(pgserver.__file__), "pginstall", "bin", name)
        )
    except ImportError:
        pass
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")


@pytest.fixture
def browser(chromium_path, monkeypatch):
    """Headless Debian Chromium driven by Playwright (no downloaded browser)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls stay synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    os.makedirs(ARTIFACTS, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def sign_in(page, base_url: str, username: str, *, form: str, submit: str, lands: str) -> None:
    """A demo user signs in on the `form` page and lands on `lands`."""
    page.goto(f"{base_url}{form}")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-pass-2026")
    page.click(submit)
    page.wait_for_url(f"{base_url}{lands}")


def sign_in_to_portal(page, base_url: str, username: str) -> None:
    sign_in(
        page,
        base_url,
        username,
        form="/accounts/login/",
        submit="button[type=submit]",
        lands="/portal/",
    )


def open_top_bar(page) -> None:
    """A phone keeps the navigation behind the top bar's button: open it and wait until it has
    stopped moving (a click while it unfolds lands on whatever passes under the pointer)."""
    page.click(".navbar-toggler")
    page.wait_for_selector("#topbar.show:not(.collapsing)")


def sign_in_to_admin(page, base_url: str, username: str) -> None:
    sign_in(
        page, base_url, username, form="/admin/login/", submit="input[type=submit]", lands="/admin/"
    )


@pytest.fixture
def commits_at_once(monkeypatch):
    """The test's own transaction behaves as autocommit: what waits for the commit (a text
    message, a notice's task) runs when the outermost atomic block the code opened ends — or at
    once, when the code opened none — as it would outside a test. For tests that follow a
    message through several requests without the cost of transactional tests."""
    from django.db import connection, transaction

    test_depth = len(connection.atomic_blocks)
    original_exit, original_on_commit = transaction.Atomic.__exit__, transaction.on_commit

    def run_committed():
        pending, connection.run_on_commit = connection.run_on_commit, []
        for _savepoints, func, _robust in pending:
            func()

    def exit_then_commit(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        if len(connection.atomic_blocks) == test_depth:
            run_committed()
        return result

    def on_commit(func, using=None, robust=False):
        original_on_commit(func, using=using, robust=robust)
        if len(connection.atomic_blocks) == test_depth:
            run_committed()

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_then_commit)
    monkeypatch.setattr(transaction, "on_commit", on_commit)


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits and sign-in counters start afresh (the cache is this process's own)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language (a request may have switched the thread's)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process (use with transactional tests, so that commits happen)."""
    from config.celery_app import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def workshop(places, user_named):
    """汽车故障速解工坊 of 济南市女性社会组织联合会, on 济南市妇联's menu."""
    from decimal import Decimal

    from menu.models import MenuItem
    from menu.services import item_publish
    from orgs.models import ServiceDomain, SocialOrganization

    item = MenuItem.objects.create(
        organization=SocialOrganization.objects.get(name="济南市女性社会组织联合会"),
        title="汽车故障速解工坊",
        domain=ServiceDomain.objects.get(code="skills-training"),
        format="workshop",
        duration_minutes=120,
        capacity_per_session=20,
        sessions_per_month=4,
        unit_cost=Decimal("1500.00"),
    )
    item_publish(actor=user_named("jinan"), item=item, federation=places.jinan)
    return item
