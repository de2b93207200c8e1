"""The menu API: the menu as each caller sees it, and an order's life through the actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from menu.models import MenuItem, ServiceOrder
from orgs.models import ServiceDomain, SocialOrganization
from tests.factories import the_day_comes
from tests.scope_contract import listed_ids

pytestmark = [pytest.mark.django_db, pytest.mark.demo("menu")]

TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def unpublished(places):
    return MenuItem.objects.create(
        organization=SocialOrganization.objects.get(name="东营区希望心理咨询服务中心"),
        title="心理疏导",
        domain=ServiceDomain.objects.get(code="psychological"),
        format="group",
        duration_minutes=90,
        capacity_per_session=12,
        sessions_per_month=8,
        unit_cost="800",
    )


def test_a_federation_sees_only_items_published_in_its_area(api_as, workshop, unpublished):
    huaiyins_menu = listed_ids(api_as("huaiyin").get("/api/v1/menu-items/", {"page_size": 200}))
    assert workshop.pk in huaiyins_menu and unpublished.pk not in huaiyins_menu
    assert listed_ids(api_as("dongying").get("/api/v1/menu-items/")) == set()
    assert api_as("dongying").get(f"/api/v1/menu-items/{workshop.pk}/").status_code == 404
    # An organization sees its own items, published or not.
    assert listed_ids(api_as("dongying-org").get("/api/v1/menu-items/")) == {unpublished.pk}


def test_an_order_through_the_api(api_as, workshop, places):
    huaiyin, org = api_as("huaiyin"), api_as("jinan-org")
    response = huaiyin.post(
        "/api/v1/service-orders/",
        {
            "item": workshop.pk,
            "federation": places.yingshijie.pk,
            "window_start": str(TOMORROW),
            "window_end": str(TOMORROW + timedelta(days=7)),
            "expected_participants": 12,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    url = f"/api/v1/service-orders/{response.json()['id']}/"
    assert api_as("dongying-org").get(url).status_code == 404
    assert org.post(url + "accept/").json()["status"] == "accepted"
    when = timezone.make_aware(
        timezone.datetime.combine(TOMORROW, timezone.datetime.min.time())
    ).isoformat()
    assert (
        org.post(
            url + "schedule/", {"scheduled_at": when, "place": "营市街社区"}, format="json"
        ).status_code
        == 200
    )
    the_day_comes(ServiceOrder.objects.get(pk=response.json()["id"]))
    assert (
        org.post(url + "deliver/", {"actual_participants": 11}, format="json").json()["status"]
        == "delivered"
    )
    assert huaiyin.post(url + "confirm/", {"rating": 6}, format="json").status_code == 400
    assert (
        huaiyin.post(url + "confirm/", {"rating": 5, "feedback": "好"}, format="json").json()[
            "rating"
        ]
        == 5
    )
    assert huaiyin.post(url + "confirm/", {"rating": 4}, format="json").status_code == 409


def test_ordering_for_a_place_outside_ones_area_reads_as_nonexistent(api_as, workshop, places):
    response = api_as("huaiyin").post(
        "/api/v1/service-orders/",
        {
            "item": workshop.pk,
            "federation": places.dongying.pk,
            "window_start": str(TOMORROW),
            "window_end": str(TOMORROW),
            "expected_participants": 5,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "federation" in response.json()


def test_needs_are_listed_to_the_federations_above(api_as, places):
    from menu.models import Need
    from orgs.models import TargetGroup

    need = Need.objects.create(
        federation=places.yingshijie,
        title="女配送员需要职业健康讲座",
        source="survey",
        domain=ServiceDomain.objects.get(code="health"),
        target_group=TargetGroup.objects.get(code="new-employment-women"),
        people_count=40,
    )
    assert need.pk in listed_ids(api_as("jinan").get("/api/v1/needs/", {"unanswered": "true"}))
    assert need.pk not in listed_ids(api_as("dongying").get("/api/v1/needs/"))


def new_request(client, federation, **changes):
    body = {
        "title": "周末课业辅导",
        "domain": "skills-training",
        "federation": federation.pk,
        "window_start": str(TOMORROW),
        "window_end": str(TOMORROW + timedelta(days=10)),
        "expected_participants": 10,
    }
    body.update(changes)
    return client.post("/api/v1/service-orders/", body, format="json")


def test_a_request_dispatched_to_an_organization_through_the_api(api_as, workshop, places):
    huaiyin, org = api_as("huaiyin"), api_as("jinan-org")
    response = new_request(huaiyin, places.huaiyin)
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["item"]) == ("new", None)
    url = f"/api/v1/service-orders/{response.json()['id']}/"
    jinan_org = workshop.organization_id
    assert huaiyin.post(url + "dispatch/", {}, format="json").status_code == 400
    dispatched = huaiyin.post(url + "dispatch/", {"to_organization": jinan_org}, format="json")
    assert dispatched.json()["status"] == "requested"
    assert org.post(url + "accept/", {}, format="json").status_code == 400  # which item?
    accepted = org.post(url + "accept/", {"item": workshop.pk}, format="json").json()
    assert (accepted["status"], accepted["item"], accepted["cost"]) == (
        "accepted",
        workshop.pk,
        "1500.00",
    )


def test_a_request_opened_and_claimed_through_the_api(api_as, workshop, places):
    huaiyin, org = api_as("huaiyin"), api_as("jinan-org")
    url = f"/api/v1/service-orders/{new_request(huaiyin, places.huaiyin).json()['id']}/"
    assert org.get(url).status_code == 404  # not open yet: not hers to see
    opened = huaiyin.post(url + "dispatch/", {"open_for_claim": True}, format="json")
    assert opened.json()["status"] == "open"
    assert org.get(url).status_code == 200
    assert api_as("dongying-org").get(url).status_code == 404
    claimed = org.post(url + "claim/", {"item": workshop.pk}, format="json")
    assert claimed.json()["status"] == "accepted", claimed.json()
    again = org.post(url + "claim/", {"item": workshop.pk}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == "该需求已被其他组织接单。"


def test_dispatching_outside_the_area_reads_as_nonexistent(api_as, places):
    huaiyin = api_as("huaiyin")
    url = f"/api/v1/service-orders/{new_request(huaiyin, places.huaiyin).json()['id']}/"
    for target in ({"to_federation": places.dongying.pk}, {"to_organization": 10**6}):
        response = huaiyin.post(url + "dispatch/", target, format="json")
        assert response.status_code == 400
        assert list(response.json()) == list(target)


def test_a_request_needs_a_title_and_domain_or_an_item(api_as, places):
    response = new_request(api_as("huaiyin"), places.huaiyin, title="", domain=None)
    assert response.status_code == 400


def test_a_citys_project_may_be_charged_through_the_api(api_as, workshop, places):
    from projects.models import Project

    project = Project.objects.get(code="JN-2024-001")
    response = api_as("huaiyin").post(
        "/api/v1/service-orders/",
        {
            "item": workshop.pk,
            "federation": places.huaiyin.pk,
            "window_start": str(TOMORROW),
            "window_end": str(TOMORROW),
            "expected_participants": 5,
            "project": project.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["project"] == project.pk
