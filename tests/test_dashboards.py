"""The dashboard's numbers against brute-force counts in Python, its scope and its payload."""

import json
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dashboards.selectors import dashboard
from menu.models import ServiceOrder
from orgs.models import SocialOrganization
from projects.models import Project, ProjectReport
from tests.factories import FederationFactory, OrganizationFactory
from tests.scope_contract import count_queries
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

YEAR = (date(2020, 1, 1), timezone.localdate() + timedelta(days=400))


def within(federation, node):
    return node.path.startswith(federation.path)


@pytest.fixture
def random_tree(places):
    """Villages under two districts of 济南, each with random organizations and volunteers."""
    rng = random.Random(7)
    villages = [
        FederationFactory(parent=parent)
        for parent in (places.huaiyin, places.yingshijie)
        for _ in range(rng.randint(1, 3))
    ]
    for village in villages:
        for _ in range(rng.randint(0, 4)):
            OrganizationFactory(
                guiding_federation=village,
                legal_form=rng.choice(["social_group", "social_service", "foundation"]),
                relationship=rng.choice(["incubated", "member", "connected"]),
            )
        for number in range(rng.randint(0, 3)):
            Volunteer.objects.create(
                name=f"志愿者{number}",
                federation=village,
                former_beneficiary=rng.random() < 0.4,
                registered_on=date(2025, 1, 1),
            )
    return villages


@pytest.mark.parametrize("node", ["jinan", "huaiyin", "yingshijie", "dongying", "shandong"])
def test_every_figure_matches_a_brute_force_count(random_tree, places, node):
    federation = getattr(places, node)
    figures = dashboard(federation, *YEAR)

    organizations = [
        o
        for o in SocialOrganization.objects.select_related("guiding_federation")
        if within(federation, o.guiding_federation)
    ]
    assert figures["organizations"]["total"] == len(organizations)
    for form, count in figures["organizations"]["by_legal_form"].items():
        assert count == sum(o.legal_form == form for o in organizations)

    projects = [p for p in Project.objects.select_related("funder") if within(federation, p.funder)]
    assert figures["projects"]["total"] == len(projects)
    assert figures["projects"]["budget"] == sum((p.budget for p in projects), Decimal("0"))
    reports = [
        r
        for r in ProjectReport.objects.select_related("project__funder", "period")
        if within(federation, r.project.funder) and YEAR[0] <= r.period.ends_on <= YEAR[1]
    ]
    assert figures["projects"]["approved"]["women_served"] == sum(
        r.women_served for r in reports if r.status == "approved"
    )

    orders = [
        o
        for o in ServiceOrder.objects.select_related("federation")
        if within(federation, o.federation) and YEAR[0] <= o.window_start <= YEAR[1]
    ]
    for status, count in figures["menu"]["orders_by_status"].items():
        assert count == sum(o.status == status for o in orders)

    volunteers = [
        v
        for v in Volunteer.objects.select_related("federation")
        if within(federation, v.federation)
    ]
    assert figures["volunteers"]["volunteers"] == len(volunteers)
    assert figures["volunteers"]["former_beneficiaries"] == sum(
        v.former_beneficiary for v in volunteers
    )


def test_the_childrens_additive_figures_sum_to_the_parents(random_tree, places):
    parent = places.huaiyin
    children = list(parent.children.all())
    own = SocialOrganization.objects.filter(guiding_federation=parent).count()
    total = sum(dashboard(child, *YEAR)["organizations"]["total"] for child in children)
    assert total + own == dashboard(parent, *YEAR)["organizations"]["total"]


def test_the_api_is_scoped_and_carries_no_personal_data(api_as, places, demo):
    jinan = api_as("jinan")
    response = jinan.get(
        "/api/v1/dashboard/", {"federation": places.huaiyin.pk, "from": "2020-01-01"}
    )
    assert response.status_code == 200
    payload = json.dumps(response.json(), ensure_ascii=False)
    assert "13905460123" not in payload and "李晓梅" not in payload
    assert jinan.get("/api/v1/dashboard/", {"federation": places.dongying.pk}).status_code == 404
    assert (
        jinan.get(
            "/api/v1/dashboard/",
            {"federation": places.jinan.pk, "from": "2026-02-01", "to": "2026-01-01"},
        ).status_code
        == 400
    )
    assert jinan.get("/api/v1/dashboard/").status_code == 400


def test_the_query_count_does_not_grow_with_the_data(api_as, places, random_tree):
    def ask():
        return api_as("shandong").get("/api/v1/dashboard/", {"federation": places.shandong.pk})

    few = count_queries(ask)
    for village in random_tree:
        OrganizationFactory(guiding_federation=village)
    assert count_queries(ask) == few


def test_the_page_is_scoped_and_drills_down(admin_client_as, places, demo):
    client = admin_client_as("jinan")
    page = client.get(f"/dashboards/{places.jinan.pk}/", {"period": "year"})
    assert page.status_code == 200
    assert f'href="/dashboards/{places.huaiyin.pk}/' in page.content.decode()
    assert client.get(f"/dashboards/{places.dongying.pk}/").status_code == 404
    assert client.get("/dashboards/").url == f"/dashboards/{places.jinan.pk}/"
    # The same client, now signed in as huaiyin: the city above is outside her area.
    assert admin_client_as("huaiyin").get(f"/dashboards/{places.jinan.pk}/").status_code == 404


def test_the_export_holds_the_same_numbers(admin_client_as, places, demo):
    from io import BytesIO

    from openpyxl import load_workbook

    response = admin_client_as("jinan").get(
        f"/dashboards/{places.jinan.pk}/export/", {"start": "2020-01-01", "end": str(YEAR[1])}
    )
    workbook = load_workbook(BytesIO(response.content))
    figures = dashboard(places.jinan, date(2020, 1, 1), YEAR[1])
    ranking = {row[0]: row for row in workbook["下级排名"].iter_rows(min_row=2, values_only=True)}
    for child in figures["children"]:
        assert ranking[child["name"]][1] == child["organizations"]
        assert Decimal(str(ranking[child["name"]][3])) == child["budget"]
    organizations = dict(workbook["社会组织"].iter_rows(min_row=2, values_only=True))
    assert organizations["合计"] == figures["organizations"]["total"]


def test_indicator_completion_matches_a_brute_force_average(places, demo):
    from projects.models import Indicator, IndicatorValue

    shares = []
    for indicator in Indicator.objects.select_related("project__funder"):
        if not within(places.jinan, indicator.project.funder):
            continue
        if indicator.kind == "percentage" or indicator.target <= 0:
            continue
        achieved = sum(
            v.value
            for v in IndicatorValue.objects.filter(indicator=indicator, report__status="approved")
        )
        shares.append(min(achieved / indicator.target, 1))
    expected = (Decimal(100) * sum(shares) / len(shares)).quantize(Decimal("0.1"))
    assert shares and dashboard(places.jinan, *YEAR)["projects"]["indicator_completion"] == expected


def test_a_large_export_runs_in_the_background_and_follows_its_progress(
    admin_client_as, places, demo, settings, tmp_path, django_capture_on_commit_callbacks
):
    from io import BytesIO

    from openpyxl import load_workbook

    from dashboards.models import DashboardExport

    settings.MEDIA_ROOT = tmp_path
    client = admin_client_as("jinan")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dashboards/{places.jinan.pk}/exports/?start=2020-01-01&end={YEAR[1]}"
        )
    export = DashboardExport.objects.get()
    assert response.url == f"/dashboards/exports/{export.pk}/"
    status = client.get(response.url, HTTP_ACCEPT="application/json").json()
    assert status == {"status": "done", "progress": 100}
    workbook = load_workbook(
        BytesIO(b"".join(client.get(f"{response.url}download/").streaming_content))
    )
    levels = [name for name in workbook.sheetnames if name.startswith("下") and name.endswith("级")]
    deepest = places.jinan.descendants().order_by("-depth").first().depth
    assert len(levels) == deepest - places.jinan.depth
    first_level = {
        row[0]: row for row in workbook[levels[0]].iter_rows(min_row=2, values_only=True)
    }
    for child in dashboard(places.jinan, date(2020, 1, 1), YEAR[1])["children"]:
        assert first_level[child["name"]][1] == child["organizations"]
    # Somebody else's export is not found.
    other = admin_client_as("huaiyin")
    assert other.get(f"/dashboards/exports/{export.pk}/").status_code == 404
    assert other.get(f"/dashboards/exports/{export.pk}/download/").status_code == 404


def test_the_page_opens_on_headline_cards_and_keeps_zero_rows_apart(admin_client_as, places):
    """A phone reader sees the headline figures first; rows that are zero for the whole period
    wait behind "show all"; definitions open on a tap (no hover-only title)."""
    page = admin_client_as("jinan").get(f"/dashboards/{places.jinan.pk}/", {"period": "year"})
    html = page.content.decode()
    labels = [str(label) for label, _value, _definition in page.context["headlines"]]
    assert labels[:2] == ["社会组织", "服务项目"] and 'id="headlines"' in html
    for block in page.context["blocks"]:
        assert all(value != 0 for _label, value, _definition in block["rows"])
        assert all(value == 0 for _label, value, _definition in block["zero_rows"])
        if block["zero_rows"]:
            assert f'id="zero-{block["key"]}"' in html
    assert any(block["zero_rows"] for block in page.context["blocks"])
    assert "点按" in html and "悬停" not in html
    assert ' title="' not in html.split('id="headlines"')[1]


def test_the_map_of_the_places_below_is_matched_by_division_code(admin_client_as, places):
    import json

    from django.contrib.staticfiles import finders

    page = admin_client_as("shandong").get(f"/dashboards/{places.shandong.pk}/")
    territory = page.context["map"]
    assert territory["url"] == "/static/vendor/china-maps/370000.json"
    with open(finders.find("vendor/china-maps/370000.json"), encoding="utf-8") as file:
        codes = {feature["properties"].get("code") for feature in json.load(file)["features"]}
    assert {place["code"] for place in territory["places"]} == {
        "370100",
        "370300",
        "370400",
        "370500",
    }
    assert {place["code"] for place in territory["places"]} <= codes
    assert None not in codes  # a place merged away is coloured as the one it joined
    jinan = next(place for place in territory["places"] if place["code"] == "370100")
    assert jinan["url"] == f"/dashboards/{places.jinan.pk}/"
    city = admin_client_as("jinan").get(f"/dashboards/{places.jinan.pk}/").context["map"]
    assert {"370104"} <= {place["code"] for place in city["places"]}
    # Below the county there are no boundaries to draw: no map, and no empty frame.
    county = admin_client_as("huaiyin").get(f"/dashboards/{places.huaiyin.pk}/")
    assert county.context["map"] is None and 'id="chart-map"' not in county.content.decode()


def test_new_field_federations_are_counted_by_build_mode_as_the_tree_holds_them(places):
    """福建's new-field federations (社会工作领域妇联, 剪纸协会妇联 …) by how they were built."""
    from federation.choices import BuildMode, Kind
    from federation.models import Federation

    new_field = [
        node
        for node in Federation.objects.filter(kind=Kind.NEW_FIELD)
        if within(places.fujian, node)
    ]
    assert new_field, "the demo has 福建's new-field federations"
    expected = dict.fromkeys(BuildMode.values, 0)
    for node in new_field:
        expected[node.build_mode] += 1
    figures = dashboard(places.fujian, *YEAR)["organizations"]
    assert figures["new_field_by_build_mode"] == expected
    assert dashboard(places.shandong, *YEAR)["organizations"][
        "new_field_by_build_mode"
    ] == dict.fromkeys(BuildMode.values, 0)
