"""The service menu: publishing, ordering with capacity and money enforced, every order move."""

import threading
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import InvalidTransition, NotAllowed, ServiceError
from federation.models import Federation, Venue
from menu import services
from menu.choices import OrderStatus as O
from menu.models import MenuItem, ServiceOrder
from orgs.models import ServiceDomain, SocialOrganization
from tests.factories import ProjectFactory, huaiyin_orders, the_day_comes
from tests.races import race
from tests.scope_contract import ScopedAdminContract

pytestmark = [pytest.mark.django_db, pytest.mark.demo("menu")]

TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def order(workshop, places, user_named):
    return huaiyin_orders(workshop, places.huaiyin)


def at_window(order):
    return timezone.make_aware(datetime.combine(order.window_start, time(14)))


def test_the_menu_is_seen_below_the_publishing_federation_only(workshop, places):
    assert MenuItem.objects.published_for(places.yingshijie).filter(pk=workshop.pk).exists()
    assert not MenuItem.objects.published_for(places.dongying).exists()


def test_withdrawn_items_leave_the_menu(workshop, places, user_named):
    publication = workshop.publications.get()
    services.item_withdraw(actor=user_named("jinan"), publication=publication)
    assert not MenuItem.objects.published_for(places.huaiyin).filter(pk=workshop.pk).exists()
    with pytest.raises(InvalidTransition):
        services.item_withdraw(actor=user_named("jinan"), publication=publication)


def test_only_the_federations_staff_publish(workshop, places, user_named):
    with pytest.raises(NotAllowed):
        services.item_publish(actor=user_named("huaiyin"), item=workshop, federation=places.jinan)
    with pytest.raises(NotAllowed):
        services.item_publish(actor=user_named("jinan-org"), item=workshop, federation=places.jinan)


def test_the_whole_life_of_an_order(order, user_named):
    org_user, huaiyin = user_named("jinan-org"), user_named("huaiyin")
    order = services.order_accept(actor=org_user, order=order)
    order = services.order_schedule(
        actor=org_user, order=order, scheduled_at=at_window(order), place="营市街社区妇女之家"
    )
    order = services.order_deliver(
        actor=org_user, order=the_day_comes(order), actual_participants=14, volunteers=2
    )
    order = services.order_confirm(actor=huaiyin, order=order, rating=5, feedback="很实用")
    assert (order.status, order.rating, order.actual_participants) == (O.CONFIRMED, 5, 14)
    with pytest.raises(InvalidTransition):  # rating twice
        services.order_confirm(actor=huaiyin, order=order, rating=4)


def test_a_delivered_order_charged_to_a_project_is_one_of_its_activities(
    workshop, places, user_named
):
    project = ProjectFactory(funder=places.huaiyin, budget=10000)
    order = services.order_request(
        actor=user_named("huaiyin"),
        item=workshop,
        federation=places.huaiyin,
        window_start=TOMORROW,
        window_end=TOMORROW,
        expected_participants=10,
        project=project,
    )
    org_user = user_named("jinan-org")
    services.order_accept(actor=org_user, order=order)
    services.order_schedule(
        actor=org_user, order=order, scheduled_at=at_window(order), place="社区"
    )
    before = project.activities.count()
    services.order_deliver(actor=org_user, order=the_day_comes(order), actual_participants=12)
    assert project.activities.count() == before + 1


def jinan_org():
    return SocialOrganization.objects.get(name="济南市女性社会组织联合会")


MOVES = {
    "accept": lambda o, u: services.order_accept(actor=u("jinan-org"), order=o),
    "decline": lambda o, u: services.order_decline(
        actor=u("jinan-org"), order=o, reason="时间冲突"
    ),
    "schedule": lambda o, u: services.order_schedule(
        actor=u("jinan-org"), order=o, scheduled_at=at_window(o), place="社区"
    ),
    "deliver": lambda o, u: services.order_deliver(
        actor=u("jinan-org"), order=the_day_comes(o), actual_participants=5
    ),
    "confirm": lambda o, u: services.order_confirm(actor=u("huaiyin"), order=o, rating=4),
    "cancel": lambda o, u: services.order_cancel(actor=u("huaiyin"), order=o),
    "dispatch": lambda o, u: services.order_dispatch(
        actor=u("huaiyin"), order=o, to_organization=jinan_org()
    ),
    "dispatch_down": lambda o, u: services.order_dispatch(
        actor=u("huaiyin"), order=o, to_federation=Federation.objects.get(division_code="370104006")
    ),
    "open_for_claim": lambda o, u: services.order_open_for_claim(actor=u("huaiyin"), order=o),
    "claim": lambda o, u: services.order_claim(actor=u("jinan-org"), order=o, item=o.item),
}
ALLOWED = {
    ("dispatch", O.NEW): O.REQUESTED,
    ("dispatch_down", O.NEW): O.NEW,
    ("open_for_claim", O.NEW): O.OPEN,
    ("claim", O.OPEN): O.ACCEPTED,
    ("accept", O.REQUESTED): O.ACCEPTED,
    ("decline", O.REQUESTED): O.DECLINED,
    ("schedule", O.ACCEPTED): O.SCHEDULED,
    ("schedule", O.SCHEDULED): O.SCHEDULED,
    ("deliver", O.SCHEDULED): O.DELIVERED,
    ("confirm", O.DELIVERED): O.CONFIRMED,
    ("cancel", O.NEW): O.CANCELLED,
    ("cancel", O.OPEN): O.CANCELLED,
    ("cancel", O.REQUESTED): O.CANCELLED,
    ("cancel", O.ACCEPTED): O.CANCELLED,
    ("cancel", O.SCHEDULED): O.CANCELLED,
}


@pytest.mark.parametrize("status", list(O))
@pytest.mark.parametrize("move", list(MOVES))
def test_every_order_move(order, user_named, move, status):
    ServiceOrder.objects.filter(pk=order.pk).update(status=status, scheduled_at=at_window(order))
    order.refresh_from_db()
    expected = ALLOWED.get((move, status))
    if expected is None:
        with pytest.raises(InvalidTransition):
            MOVES[move](order, user_named)
        order.refresh_from_db()
        assert order.status == status
    else:
        assert MOVES[move](order, user_named).status == expected


@pytest.mark.parametrize(
    ("move", "outsider"),
    [
        ("accept", "dongying-org"),
        ("decline", "huaiyin"),
        ("cancel", "jinan-org"),
        ("cancel", "dongying"),
    ],
)
def test_the_wrong_side_cannot_move_an_order(order, user_named, move, outsider):
    with pytest.raises(NotAllowed):
        MOVES[move](order, lambda _name: user_named(outsider))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"window_start": TOMORROW - timedelta(days=3)}, "日期"),
        ({"expected_participants": 21}, "最多"),
        ({"federation": "dongying"}, "菜单"),
    ],
)
def test_bad_orders_are_refused_in_chinese(workshop, places, user_named, changes, message):
    fields = {
        "item": workshop,
        "federation": places.huaiyin,
        "window_start": TOMORROW,
        "window_end": TOMORROW + timedelta(days=7),
        "expected_participants": 10,
    }
    actor = user_named("huaiyin")
    if changes.pop("federation", None):
        fields["federation"], actor = places.dongying, user_named("dongying")
        from accounts.models import User
        from federation.models import StaffMembership

        StaffMembership.objects.create(user=actor, federation=places.dongying, role="admin")
        actor = User.objects.get(pk=actor.pk)
    fields.update(changes)
    with pytest.raises(ServiceError) as error:
        services.order_request(actor=actor, **fields)
    assert message in str(error.value.message)
    assert not ServiceOrder.objects.filter(item=workshop).exists()


def test_a_citys_project_may_pay_for_a_districts_order(workshop, places, user_named):
    citys = ProjectFactory(funder=places.jinan, budget=10000)
    order = services.order_request(
        actor=user_named("huaiyin"),
        item=workshop,
        federation=places.huaiyin,
        window_start=TOMORROW,
        window_end=TOMORROW,
        expected_participants=5,
        project=citys,
    )
    assert order.project == citys


def test_charging_a_project_of_another_federation_is_refused(workshop, places, user_named):
    foreign = ProjectFactory(funder=places.dongying, budget=10000)
    with pytest.raises(ServiceError):
        services.order_request(
            actor=user_named("huaiyin"),
            item=workshop,
            federation=places.huaiyin,
            window_start=TOMORROW,
            window_end=TOMORROW,
            expected_participants=5,
            project=foreign,
        )


def test_a_venue_outside_the_area_is_refused(workshop, places, user_named):
    venue = Venue.objects.create(federation=places.dongying, name="别处", kind="school")
    with pytest.raises(ServiceError):
        services.order_request(
            actor=user_named("huaiyin"),
            item=workshop,
            federation=places.huaiyin,
            window_start=TOMORROW,
            window_end=TOMORROW,
            expected_participants=5,
            venue=venue,
        )


# Races: real concurrent connections --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_federations_racing_for_the_last_session_exactly_one_wins(workshop, places, user_named):
    MenuItem.objects.filter(pk=workshop.pk).update(sessions_per_month=1)
    ordering = {"huaiyin": places.huaiyin, "jinan": places.jinan}
    names = iter(ordering)
    lock = threading.Lock()

    def attempt():
        with lock:
            name = next(names)
        services.order_request(
            actor=user_named(name),
            item=workshop,
            federation=ordering[name],
            window_start=TOMORROW,
            window_end=TOMORROW,
            expected_participants=5,
        )

    assert race(2, attempt) == 1
    assert ServiceOrder.objects.filter(item=workshop).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_orders_racing_for_the_last_yuan_exactly_one_wins(workshop, places, user_named):
    project = ProjectFactory(funder=places.huaiyin, budget=Decimal("1500.00"))

    def attempt():
        services.order_request(
            actor=user_named("huaiyin"),
            item=workshop,
            federation=places.huaiyin,
            window_start=TOMORROW,
            window_end=TOMORROW,
            expected_participants=5,
            project=project,
        )

    assert race(2, attempt) == 1
    assert ServiceOrder.objects.filter(project=project).count() == 1
    assert Federation.objects.exists()


class TestServiceOrderAdmin(ScopedAdminContract):
    admin_name = "menu_serviceorder"

    def make(self, federation):
        from accounts.models import User

        item = MenuItem.objects.create(
            organization=SocialOrganization.objects.get(name="济南市女性社会组织联合会"),
            title="心理疏导",
            domain=ServiceDomain.objects.get(code="psychological"),
            format="group",
            duration_minutes=90,
            capacity_per_session=12,
            sessions_per_month=8,
            unit_cost=800,
        )
        return ServiceOrder.objects.create(
            item=item,
            organization=item.organization,
            title=item.title,
            domain=item.domain,
            federation=federation,
            window_start=TOMORROW,
            window_end=TOMORROW,
            expected_participants=5,
            cost=800,
            requested_by=User.objects.get(username="jinan"),
        )


def item_guided_by(federation):
    from tests.factories import OrganizationFactory

    return MenuItem.objects.create(
        organization=OrganizationFactory(guiding_federation=federation),
        title="艺术疗愈",
        domain=ServiceDomain.objects.get(code="psychological"),
        format="workshop",
        duration_minutes=120,
        capacity_per_session=15,
        sessions_per_month=4,
        unit_cost=1200,
    )


class TestMenuItemAdmin(ScopedAdminContract):
    admin_name = "menu_menuitem"

    def make(self, federation):
        return item_guided_by(federation)


class TestMenuPublicationAdmin(ScopedAdminContract):
    admin_name = "menu_menupublication"

    def make(self, federation):
        from menu.models import MenuPublication

        return MenuPublication.objects.create(
            item=item_guided_by(federation), federation=federation
        )


class TestNeedAdmin(ScopedAdminContract):
    admin_name = "menu_need"

    def make(self, federation):
        from menu.models import Need
        from orgs.models import TargetGroup

        return Need.objects.create(
            federation=federation,
            title="网约车女司机需要车辆维修技能",
            source="survey",
            domain=ServiceDomain.objects.get(code="skills-training"),
            target_group=TargetGroup.objects.get(code="new-employment-women"),
            people_count=30,
        )


def test_organizations_see_only_their_own_orders(order, places):
    from accounts.models import User

    assert (
        ServiceOrder.objects.visible_to(User.objects.get(username="jinan-org"))
        .filter(pk=order.pk)
        .exists()
    )
    for outsider in ("dongying-org", "dongying"):
        assert (
            not ServiceOrder.objects.visible_to(User.objects.get(username=outsider))
            .filter(pk=order.pk)
            .exists()
        )


def titles(username):
    from notifications.models import Notification

    return list(
        Notification.objects.filter(user__username=username).values_list("title", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_each_side_is_told_once(workshop, places, user_named, eager_tasks):
    from menu.tasks import remind_orders

    today = str(timezone.localdate())
    remind_orders(today)  # the demo's own delivered orders are reminded first
    order = services.order_request(
        actor=user_named("huaiyin"),
        item=workshop,
        federation=places.huaiyin,
        window_start=TOMORROW,
        window_end=TOMORROW,
        expected_participants=10,
    )
    services.order_accept(actor=user_named("jinan-org"), order=order)
    services.order_schedule(
        actor=user_named("jinan-org"), order=order, scheduled_at=at_window(order), place="社区"
    )
    # Besides the notice that the workshop went on the menu:
    assert [title for title in titles("jinan-org") if "菜单" not in title] == [
        "新订单：汽车故障速解工坊（槐荫区妇联）"
    ]
    assert {"订单已接单：汽车故障速解工坊", "订单已排期：汽车故障速解工坊"} <= set(
        titles("huaiyin")
    )
    assert remind_orders(today) == 2  # the day before: both sides
    assert remind_orders(today) == 0  # the task ran twice: nobody is told twice
    order.refresh_from_db()
    services.order_deliver(
        actor=user_named("jinan-org"), order=the_day_comes(order), actual_participants=9
    )
    assert remind_orders(today) == 1 and remind_orders(today) == 0
    assert "请为服务评价：汽车故障速解工坊" in titles("huaiyin")
