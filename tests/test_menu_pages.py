"""The menu pages, from inside and outside: browse and order, requests, every move, rating cards."""

from datetime import timedelta

import pytest
from django.utils import timezone

from menu import services
from menu.choices import OrderStatus as O
from menu.models import MenuItem, RatingCard, ServiceOrder
from orgs.models import ServiceDomain, SocialOrganization
from tests.factories import huaiyin_orders, the_day_comes
from tests.scope_contract import count_queries
from tests.test_menu_workflow import at_window
from tests.upload_files import png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.demo("menu")]

TOMORROW = timezone.localdate() + timedelta(days=1)


def order_form(places, **changes):
    fields = {
        "federation": places.yingshijie.pk,
        "window_start": str(TOMORROW),
        "window_end": str(TOMORROW + timedelta(days=7)),
        "expected_participants": "12",
    }
    fields.update(changes)
    return fields


@pytest.fixture
def order(workshop, places, user_named):
    return huaiyin_orders(workshop, places.yingshijie, days=7, participants=12)


def page_text(response):
    return response.content.decode()


# The menu --------------------------------------------------------------------------------------


def shown(response):
    assert response.status_code == 200
    return {item.pk for item in response.context["page"].object_list}


def test_the_menu_shows_what_is_published_in_ones_area(admin_client_as, workshop):
    response = admin_client_as("huaiyin").get("/menu/")
    assert workshop.pk in shown(response)
    assert "服务菜单" in page_text(response)


def test_a_federation_elsewhere_sees_neither_the_menu_nor_the_item(admin_client_as, workshop):
    client = admin_client_as("dongying")
    assert shown(client.get("/menu/")) == set()
    assert client.get(f"/menu/items/{workshop.pk}/").status_code == 404


def test_the_menu_filters_by_domain_format_organization_and_words(admin_client_as, workshop):
    client = admin_client_as("huaiyin")
    clinic = MenuItem.objects.get(title="健康义诊")
    assert shown(client.get("/menu/", {"domain": "health"})) == {clinic.pk}
    assert shown(client.get("/menu/", {"format": "clinic"})) == {clinic.pk}
    assert workshop.pk in shown(client.get("/menu/", {"q": "汽车"}))
    assert clinic.pk not in shown(client.get("/menu/", {"q": "汽车"}))
    assert workshop.pk in shown(client.get("/menu/", {"organization": workshop.organization_id}))
    outside_org = SocialOrganization.objects.get(name="东营区希望心理咨询服务中心")
    refused = client.get("/menu/", {"organization": outside_org.pk})
    assert "选择一个有效的选项" in page_text(refused)


def test_the_menu_filters_by_where_it_can_be_delivered(admin_client_as, workshop, places):
    workshop.areas.set([places.yingshijie])
    client = admin_client_as("huaiyin")
    assert workshop.pk in shown(client.get("/menu/", {"area": places.yingshijie.pk}))
    community = places.yingshijie.descendants().first()
    assert workshop.pk in shown(client.get("/menu/", {"area": community.pk}))
    assert workshop.pk not in shown(client.get("/menu/", {"area": places.huaiyin.pk}))


def test_the_menu_runs_constant_queries(admin_client_as, places, user_named):
    client = admin_client_as("huaiyin")
    organization = SocialOrganization.objects.get(name="济南市女性社会组织联合会")

    def add_items(count):
        for number in range(count):
            item = MenuItem.objects.create(
                organization=organization,
                title=f"测试服务{MenuItem.objects.count()}-{number}",
                domain=ServiceDomain.objects.get(code="health"),
                format="lecture",
                duration_minutes=60,
                capacity_per_session=30,
                sessions_per_month=2,
                unit_cost=100,
            )
            services.item_publish(actor=user_named("jinan"), item=item, federation=places.jinan)

    add_items(3)
    few = count_queries(lambda: client.get("/menu/"))
    add_items(12)
    many = count_queries(lambda: client.get("/menu/"))
    assert few == many


# Ordering ---------------------------------------------------------------------------------------


def test_ordering_from_the_item_page(admin_client_as, workshop, places):
    response = admin_client_as("huaiyin").post(f"/menu/items/{workshop.pk}/", order_form(places))
    order = ServiceOrder.objects.get(item=workshop)
    assert response.status_code == 302 and response.url == f"/menu/orders/{order.pk}/"
    assert (order.federation, order.status) == (places.yingshijie, O.REQUESTED)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"window_start": str(TOMORROW - timedelta(days=5))}, "日期"),
        ({"expected_participants": "21"}, "最多"),
        ({"expected_participants": "abc"}, "整数"),
        ({"window_end": str(TOMORROW - timedelta(days=1))}, "结束"),
    ],
)
def test_a_bad_order_keeps_what_was_typed_and_changes_nothing(
    admin_client_as, workshop, places, changes, message
):
    response = admin_client_as("huaiyin").post(
        f"/menu/items/{workshop.pk}/", order_form(places, **changes)
    )
    assert response.status_code == 200
    assert message in page_text(response)
    assert not ServiceOrder.objects.filter(item=workshop).exists()


def test_an_organization_sees_its_item_but_cannot_order_it(admin_client_as, workshop):
    response = admin_client_as("jinan-org").get(f"/menu/items/{workshop.pk}/")
    assert response.status_code == 200
    assert response.context["form"] is None


# Orders and their moves ------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["huaiyin", "jinan", "jinan-org"])
def test_an_order_opens_inside(admin_client_as, order, username):
    assert admin_client_as(username).get(f"/menu/orders/{order.pk}/").status_code == 200


@pytest.mark.parametrize("username", ["dongying", "dongying-org"])
def test_an_order_is_not_found_outside_and_never_listed(admin_client_as, order, username):
    client = admin_client_as(username)
    assert client.get(f"/menu/orders/{order.pk}/").status_code == 404
    assert order not in client.get("/menu/orders/").context["page"].object_list
    assert client.post(f"/menu/orders/{order.pk}/accept/").status_code == 404


def test_my_orders_by_status(admin_client_as, order):
    client = admin_client_as("huaiyin")
    requested = client.get("/menu/orders/", {"status": "requested"}).context["page"].object_list
    assert order in requested
    assert order not in client.get("/menu/orders/", {"status": "delivered"}).context["page"]


def test_the_order_list_runs_constant_queries(admin_client_as, workshop, places, user_named):
    client = admin_client_as("huaiyin")

    def add_orders(count):
        for _number in range(count):
            ServiceOrder.objects.create(
                item=workshop,
                organization=workshop.organization,
                title=workshop.title,
                domain=workshop.domain,
                federation=places.yingshijie,
                window_start=TOMORROW,
                window_end=TOMORROW,
                expected_participants=5,
                requested_by=user_named("huaiyin"),
            )

    add_orders(3)
    few = count_queries(lambda: client.get("/menu/orders/"))
    add_orders(12)
    many = count_queries(lambda: client.get("/menu/orders/"))
    assert few == many


def test_the_organization_moves_an_order_on_its_page(admin_client_as, order):
    client = admin_client_as("jinan-org")
    page = client.get(f"/menu/orders/{order.pk}/")
    assert [name for name, _move, _form in page.context["moves"]] == ["accept", "decline"]
    assert client.post(f"/menu/orders/{order.pk}/accept/").status_code == 302
    when = timezone.localtime(at_window(order)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        f"/menu/orders/{order.pk}/schedule/",
        {"schedule-scheduled_at": when, "schedule-place": "营市街社区妇女之家"},
    )
    the_day_comes(order)
    client.post(
        f"/menu/orders/{order.pk}/deliver/",
        {"deliver-actual_participants": "11", "deliver-volunteers": "2"},
    )
    order.refresh_from_db()
    assert (order.status, order.actual_participants, order.place) == (
        O.DELIVERED,
        11,
        "营市街社区妇女之家",
    )


def test_a_refused_move_says_why_and_changes_nothing(admin_client_as, order):
    client = admin_client_as("jinan-org")
    client.post(f"/menu/orders/{order.pk}/accept/")
    outside = (order.window_end + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    response = client.post(
        f"/menu/orders/{order.pk}/schedule/",
        {"schedule-scheduled_at": outside, "schedule-place": "社区"},
    )
    assert response.status_code == 400
    assert "日期范围" in page_text(response)
    assert 'value="社区"' in page_text(response)  # what was typed is kept
    order.refresh_from_db()
    assert order.status == O.ACCEPTED


def test_the_wrong_side_is_refused_on_the_page(admin_client_as, order):
    response = admin_client_as("huaiyin").post(f"/menu/orders/{order.pk}/accept/")
    assert response.status_code == 400
    assert "只有承接该服务的社会组织" in page_text(response)
    order.refresh_from_db()
    assert order.status == O.REQUESTED


def test_an_unknown_move_is_not_found(admin_client_as, order):
    assert admin_client_as("huaiyin").post(f"/menu/orders/{order.pk}/explode/").status_code == 404


def test_the_orderer_confirms_and_rates(admin_client_as, order, user_named):
    org_user = user_named("jinan-org")
    services.order_accept(actor=org_user, order=order)
    services.order_schedule(
        actor=org_user, order=order, scheduled_at=at_window(order), place="社区"
    )
    services.order_deliver(actor=org_user, order=the_day_comes(order), actual_participants=10)
    client = admin_client_as("huaiyin")
    response = client.post(
        f"/menu/orders/{order.pk}/confirm/", {"confirm-rating": "5", "confirm-feedback": "实用"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.rating) == (O.CONFIRMED, 5)
    again = client.post(f"/menu/orders/{order.pk}/confirm/", {"confirm-rating": "1"})
    assert again.status_code == 400
    order.refresh_from_db()
    assert order.rating == 5


# Requests: dispatch and claim ----------------------------------------------------------------


def test_a_request_made_dispatched_and_claimed_on_the_pages(admin_client_as, workshop, places):
    client = admin_client_as("huaiyin")
    response = client.post(
        "/menu/requests/new/",
        {
            "title": "女司机车辆应急处置培训",
            "domain": ServiceDomain.objects.get(code="skills-training").pk,
            **order_form(places, federation=places.huaiyin.pk),
        },
    )
    request_ = ServiceOrder.objects.get(title="女司机车辆应急处置培训")
    assert response.url == f"/menu/orders/{request_.pk}/"
    moves = [name for name, _move, _form in client.get(response.url).context["moves"]]
    assert moves == ["dispatch-down", "dispatch-organization", "open", "cancel"]
    client.post(f"/menu/orders/{request_.pk}/open/")
    request_.refresh_from_db()
    assert request_.status == O.OPEN

    organization = admin_client_as("jinan-org")
    claim = organization.get(f"/menu/orders/{request_.pk}/").context["moves"][0][2]
    assert workshop in claim.fields["item"].queryset
    organization.post(f"/menu/orders/{request_.pk}/claim/", {"claim-item": workshop.pk})
    request_.refresh_from_db()
    assert (request_.status, request_.item) == (O.ACCEPTED, workshop)


def test_a_request_form_with_errors_creates_nothing(admin_client_as, places):
    response = admin_client_as("huaiyin").post(
        "/menu/requests/new/", {"title": "", **order_form(places)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"title", "domain"}
    assert not ServiceOrder.objects.filter(channel="dispatch", federation=places.yingshijie)


# Rating cards (评单) ------------------------------------------------------------------------------


@pytest.fixture
def delivered(order, user_named):
    org_user = user_named("jinan-org")
    services.order_accept(actor=org_user, order=order)
    services.order_schedule(
        actor=org_user, order=order, scheduled_at=at_window(order), place="社区"
    )
    return services.order_deliver(actor=org_user, order=the_day_comes(order), actual_participants=2)


def test_the_cards_page_prints_a_qr_code_per_participant(admin_client_as, delivered):
    response = admin_client_as("huaiyin").get(f"/menu/orders/{delivered.pk}/cards/")
    assert response.status_code == 200
    assert page_text(response).count("<svg") == 2
    assert admin_client_as("dongying").get(f"/menu/orders/{delivered.pk}/cards/").status_code == 404


def test_a_participant_rates_once_without_an_account(client, delivered):
    card = delivered.rating_cards.first()
    url = f"/rate/{card.code}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"rating": "9"}).status_code == 400
    response = client.post(url, {"rating": "4", "feedback": "很实用"})
    assert "感谢" in page_text(response)
    again = client.post(url, {"rating": "1"})
    assert "已经评价过" in page_text(again)
    assert RatingCard.objects.get(pk=card.pk).rating == 4
    assert client.get("/rate/no-such-card/").status_code == 404


# An organization's own services ------------------------------------------------------------


def service_form(organization, **changes):
    fields = {
        "organization": organization.pk,
        "title": "女性安全驾驶讲座",
        "domain": ServiceDomain.objects.get(code="skills-training").pk,
        "format": "lecture",
        "duration_minutes": "90",
        "capacity_per_session": "50",
        "sessions_per_month": "2",
        "unit_cost": "800.00",
        "status": "active",
    }
    fields.update(changes)
    return fields


def test_an_organization_offers_a_service_and_the_federation_approves_it(
    admin_client_as, places, user_named, eager_tasks, django_capture_on_commit_callbacks
):
    organization = SocialOrganization.objects.get(name="济南市女性社会组织联合会")
    client = admin_client_as("jinan-org")
    response = client.post("/portal/services/new/", service_form(organization))
    assert response.status_code == 302, response.context["form"].errors
    item = MenuItem.objects.get(title="女性安全驾驶讲座")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/portal/services/{item.pk}/submit/")
    publication = item.publications.get()
    assert (
        user_named("jinan")
        .notifications.filter(title="待审核上架：女性安全驾驶讲座（济南市女性社会组织联合会）")
        .exists()
    )
    assert (publication.federation, publication.status) == (places.jinan, "pending")
    assert item.pk not in {i.pk for i in MenuItem.objects.published_for(places.huaiyin)}

    admin = admin_client_as("jinan")
    admin.post(
        "/admin/menu/menupublication/",
        {"action": "approve", "_selected_action": [publication.pk]},
    )
    publication.refresh_from_db()
    assert publication.status == "published"
    assert item.pk in {i.pk for i in MenuItem.objects.published_for(places.huaiyin)}


def test_bad_service_input_is_refused_and_saves_nothing(admin_client_as):
    organization = SocialOrganization.objects.get(name="济南市女性社会组织联合会")
    response = admin_client_as("jinan-org").post(
        "/portal/services/new/",
        service_form(organization, capacity_per_session="0", min_age="60", max_age="18"),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"capacity_per_session", "max_age"}
    assert not MenuItem.objects.filter(title="女性安全驾驶讲座").exists()


def test_another_organizations_service_is_not_found(admin_client_as, workshop):
    client = admin_client_as("dongying-org")
    assert client.get(f"/portal/services/{workshop.pk}/").status_code == 404
    assert client.post(f"/portal/services/{workshop.pk}/submit/").status_code == 404
    # Nor can she file a service under another organization's name.
    response = client.post("/portal/services/new/", service_form(workshop.organization))
    assert "organization" in response.context["form"].errors


def test_a_district_cannot_approve_for_the_citys_menu(admin_client_as, workshop, places):
    publication = workshop.publications.get()
    publication.status = "pending"
    publication.save()
    admin_client_as("huaiyin").post(
        "/admin/menu/menupublication/",
        {"action": "approve", "_selected_action": [publication.pk]},
    )
    publication.refresh_from_db()
    assert publication.status == "pending"


# Photos (private) -----------------------------------------------------------------------------

PNG = png_bytes()


def scheduled(order, user_named):
    org_user = user_named("jinan-org")
    services.order_accept(actor=org_user, order=order)
    services.order_schedule(
        actor=org_user, order=order, scheduled_at=at_window(order), place="社区"
    )
    return the_day_comes(order)


def test_a_delivery_photo_is_shown_only_to_those_who_see_the_order(
    admin_client_as, order, user_named, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    scheduled(order, user_named)
    admin_client_as("jinan-org").post(
        f"/menu/orders/{order.pk}/deliver/",
        {
            "deliver-actual_participants": "9",
            "deliver-volunteers": "1",
            "deliver-photo": SimpleUploadedFile("现场.png", PNG),
        },
    )
    photo = order.photos.get()
    response = admin_client_as("huaiyin").get(f"/menu/photos/{photo.pk}/")
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert admin_client_as("dongying").get(f"/menu/photos/{photo.pk}/").status_code == 404


def test_a_bad_photo_undoes_the_delivery(admin_client_as, order, user_named, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    scheduled(order, user_named)
    response = admin_client_as("jinan-org").post(
        f"/menu/orders/{order.pk}/deliver/",
        {"deliver-actual_participants": "9", "deliver-photo": SimpleUploadedFile("x.png", b"MZ")},
    )
    assert response.status_code == 400
    assert "文件内容与其类型不符" in page_text(response)
    order.refresh_from_db()
    assert order.status == O.SCHEDULED and not order.activity_id and not order.photos.exists()


def test_photos_wait_for_the_delivery(order, user_named):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.errors import InvalidTransition

    with pytest.raises(InvalidTransition):
        services.order_add_photo(
            actor=user_named("jinan-org"), order=order, upload=SimpleUploadedFile("a.png", PNG)
        )


def test_an_items_photo_is_seen_where_the_item_is(admin_client_as, workshop, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = admin_client_as("jinan-org").post(
        f"/portal/services/{workshop.pk}/",
        {
            **service_form(workshop.organization, title=workshop.title),
            "photo": SimpleUploadedFile("工坊.png", PNG),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert admin_client_as("huaiyin").get(f"/menu/items/{workshop.pk}/photo/").status_code == 200
    assert admin_client_as("dongying").get(f"/menu/items/{workshop.pk}/photo/").status_code == 404
