"""Every filter the pages use has an index that serves it (issue 14).

At the county preset, one county's staff open each list and dashboard; every query that reads a
large table is explained with sequential scans switched off — a plan that still scans one of
them sequentially has no index that serves its filter."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from federation.choices import Role
from federation.models import StaffMembership
from scale.generator import PRESETS, Generator, scale_root

pytestmark = pytest.mark.django_db

LARGE_TABLES = {
    "cases_case",
    "cases_caseevent",
    "menu_serviceorder",
    "projects_activity",
    "projects_indicatorvalue",
    "projects_project",
    "projects_projectreport",
    "volunteers_opportunity",
    "volunteers_signup",
    "volunteers_volunteer",
}


def sequential_scans(plan) -> set[str]:
    found = set()
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in LARGE_TABLES:
        found.add(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found |= sequential_scans(child)
    return found


def unserved_filters(queries) -> dict[str, set[str]]:
    """Large tables that some query can only scan from end to end, by query."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if not any(f'"{table}"' in sql for table in LARGE_TABLES):
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            explained = cursor.fetchone()[0]
            [plan] = json.loads(explained) if isinstance(explained, str) else explained
            scans = sequential_scans(plan["Plan"])
            if scans:
                found[sql[:300]] = scans
        cursor.execute("RESET enable_seqscan")
    return found


@pytest.fixture
def county_staff(demo):
    Generator(PRESETS["county"]).run()
    county = scale_root(PRESETS["county"]).children.get().children.get()
    user = User.objects.create_user("county-staff", password="x", is_staff=True)
    for role in (Role.ADMIN, Role.CASE_SUPERVISOR, Role.VOLUNTEER_COORDINATOR):
        StaffMembership.objects.create(user=user, federation=county, role=role)
    return user, county


PAGES = [
    "/dashboards/{county}/",
    "/cases/",
    "/menu/orders/",
    "/volunteers/opportunities/",
    "/volunteers/hours/",
    "/api/v1/signups/",
    "/api/v1/case-events/",
    "/api/v1/project-reports/",
    "/api/v1/service-orders/",
    "/api/v1/opportunities/",
    "/api/v1/dashboard/?federation={county}",
    "/admin/volunteers/signup/",
    "/admin/cases/case/",
    "/admin/projects/projectreport/",
    "/admin/menu/serviceorder/",
    "/admin/projects/activity/",
]


def test_every_filter_of_every_page_has_an_index(client, county_staff):
    """One preset load for all the pages (it is most of the test's time)."""
    user, county = county_staff
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    unserved = {}
    for page in PAGES:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.format(county=county.pk))
        assert response.status_code == 200, page
        unserved.update(unserved_filters(captured.captured_queries))
    assert unserved == {}


def test_the_check_finds_a_filter_that_no_index_serves(county_staff):
    from volunteers.models import SignUp

    with CaptureQueriesContext(connection) as captured:
        list(SignUp.objects.filter(hours=3)[:5])  # no index on hours
    assert list(unserved_filters(captured.captured_queries).values()) == [{"volunteers_signup"}]


def plan_nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


def test_a_countys_newest_case_events_are_read_from_the_index_alone(client, county_staff):
    """The page's keys come from the index (federation, id) without the table; only the page's
    rows are then fetched. Gathering the area's events case by case read them all. The
    planner is shown a province's table: events spread over twenty thousand federations."""
    user, _county = county_staff
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE cases_caseevent ALTER federation_id SET (n_distinct = 20000)")
        cursor.execute("ANALYZE cases_caseevent")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/case-events/").status_code == 200
    [keys] = [q["sql"] for q in captured if '"cases_caseevent"' in q["sql"]][:1]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {keys}")
        explained = cursor.fetchone()[0]
    [plan] = json.loads(explained) if isinstance(explained, str) else explained
    event_indexes = {
        node["Index Name"]
        for node in plan_nodes(plan["Plan"])
        if node.get("Index Name", "").startswith(("caseevent", "cases_caseevent"))
    }
    # The keys alone are asked for: once autovacuum has marked the pages all-visible (a test's
    # transaction cannot VACUUM), the scan of this index is index-only.
    assert keys.startswith('SELECT "cases_caseevent"."id" FROM "cases_caseevent" WHERE')
    assert event_indexes == {"caseevent_by_area"}, keys
