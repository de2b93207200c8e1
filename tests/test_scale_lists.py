"""Lists that cost what they show: the API's large lists page by keyset without counting the
table, and the admin's change lists count at most a capped number of rows (issue 14)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseEvent
from core.admin_base import CappedPaginator
from menu.models import ServiceOrder
from projects.models import Activity, ProjectReport
from volunteers.models import Opportunity, SignUp

pytestmark = pytest.mark.django_db

LARGE_LISTS = [
    ("/api/v1/signups/", SignUp),
    ("/api/v1/case-events/", CaseEvent),
    ("/api/v1/project-reports/", ProjectReport),
    ("/api/v1/service-orders/", ServiceOrder),
    ("/api/v1/opportunities/", Opportunity),
]


def unbounded_counts(queries, model) -> list[str]:
    """Counts of the model's table that are not bounded by a LIMIT."""
    table = f'"{model._meta.db_table}"'
    return [
        q["sql"]
        for q in queries
        if "COUNT(" in q["sql"].upper() and table in q["sql"] and "LIMIT" not in q["sql"]
    ]


@pytest.fixture
def a_second_of_each(demo):
    """The demo has one sign-up and one activity: a second of each, so that lists have pages."""
    from datetime import date

    signup = SignUp.objects.first()
    other = Opportunity.objects.exclude(pk=signup.opportunity_id).first()
    SignUp.objects.create(opportunity=other, volunteer=signup.volunteer, status="applied")
    activity = Activity.objects.first()
    Activity.objects.create(project=activity.project, title="第二场", held_on=date(2026, 6, 1))


@pytest.mark.parametrize(("url", "model"), LARGE_LISTS)
def test_large_api_lists_page_by_keyset_without_counting(
    api_as, user_named, a_second_of_each, url, model
):
    """Every row the user may see comes once, newest first, by following `next`; no page
    counts the table."""
    client = api_as("admin")
    seen, page, queries = [], f"{url}?page_size=1", []
    while page:
        with CaptureQueriesContext(connection) as captured:
            body = client.get(page).json()
        queries += captured.captured_queries
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        page = body["next"]
    expected = list(
        model.objects.visible_to(user_named("admin")).order_by("-pk").values_list("pk", flat=True)
    )
    assert seen == expected and len(expected) >= 2
    assert unbounded_counts(queries, model) == []


def test_a_keyset_page_stays_in_the_users_area(api_as, user_named):
    rows = api_as("huaiyin").get("/api/v1/signups/?page_size=200").json()["results"]
    mine = set(SignUp.objects.visible_to(user_named("huaiyin")).values_list("pk", flat=True))
    assert {row["id"] for row in rows} == mine


@pytest.mark.parametrize(
    ("url", "model"),
    [
        ("/admin/volunteers/signup/", SignUp),
        ("/admin/cases/case/", Case),
        ("/admin/projects/projectreport/", ProjectReport),
        ("/admin/menu/serviceorder/", ServiceOrder),
        ("/admin/projects/activity/", Activity),
    ],
)
def test_admin_change_lists_count_at_most_a_cap(
    admin_client_as, a_second_of_each, monkeypatch, url, model
):
    """Past the cap the list says "1+", and no query counts the whole table."""
    monkeypatch.setattr(CappedPaginator, "cap", 1)
    client = admin_client_as("admin")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    assert '<span id="result-count">1+</span>' in page.content.decode()
    assert unbounded_counts(captured.captured_queries, model) == []
