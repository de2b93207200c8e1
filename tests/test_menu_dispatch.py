"""派单 · 抢单 · 评单: requests without an item, dispatched down or to an organization, opened for
claiming (ten organizations at once: exactly one wins), and rating cards without an account."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from core.errors import InvalidTransition, NotAllowed, ServiceError
from federation.models import Federation
from menu import services
from menu.choices import OrderChannel
from menu.choices import OrderStatus as O
from menu.models import MenuItem, Need, RatingCard, ServiceOrder
from notifications.models import Notification
from orgs.models import OrgMembership, ServiceDomain, SocialOrganization, TargetGroup
from tests.factories import OrganizationFactory, ProjectFactory, UserFactory, the_day_comes
from tests.races import race
from tests.test_menu_workflow import at_window

pytestmark = [pytest.mark.django_db, pytest.mark.demo("menu")]

TOMORROW = timezone.localdate() + timedelta(days=1)


def make_request(federation, actor, **changes):
    fields = {
        "federation": federation,
        "title": "网约车女司机车辆应急处置培训",
        "domain": ServiceDomain.objects.get(code="skills-training"),
        "window_start": TOMORROW,
        "window_end": TOMORROW + timedelta(days=20),
        "expected_participants": 15,
    }
    fields.update(changes)
    return services.request_create(actor=actor, **fields)


@pytest.fixture
def request_(places, user_named):
    """槐荫区's request for skills training, made from a need it collected."""
    need = Need.objects.create(
        federation=places.yingshijie,
        title="女司机希望学会处理爆胎",
        domain=ServiceDomain.objects.get(code="skills-training"),
        target_group=TargetGroup.objects.get(code="new-employment-women"),
        source="visit",
    )
    return make_request(places.huaiyin, user_named("huaiyin"), needs=[need])


def jinan_org():
    return SocialOrganization.objects.get(name="济南市女性社会组织联合会")


def test_a_request_answers_needs_and_waits_for_dispatch(request_, places):
    assert (request_.status, request_.handler, request_.item) == (O.NEW, places.huaiyin, None)
    assert request_.needs.get().title == "女司机希望学会处理爆胎"


def test_dispatched_down_then_to_an_organization_which_accepts_with_its_item(
    request_, places, user_named, workshop
):
    street = User.objects.create(username="yingshijie")
    street.staff_memberships.create(federation=places.yingshijie, role="admin")
    request_ = services.order_dispatch(
        actor=user_named("huaiyin"), order=request_, to_federation=places.yingshijie
    )
    assert (request_.status, request_.handler) == (O.NEW, places.yingshijie)
    # 营市街 now decides; it sees the request although 槐荫区 made it.
    assert ServiceOrder.objects.visible_to(street).filter(pk=request_.pk).exists()
    request_ = services.order_dispatch(actor=street, order=request_, to_organization=jinan_org())
    assert (request_.status, request_.organization) == (O.REQUESTED, jinan_org())
    with pytest.raises(ServiceError):  # which of its services? it must say
        services.order_accept(actor=user_named("jinan-org"), order=request_)
    request_ = services.order_accept(actor=user_named("jinan-org"), order=request_, item=workshop)
    assert (request_.status, request_.item, request_.cost) == (O.ACCEPTED, workshop, 1500)
    assert request_.channel == OrderChannel.DISPATCH


def test_a_declined_dispatch_comes_back_to_the_dispatcher(request_, user_named):
    services.order_dispatch(
        actor=user_named("huaiyin"), order=request_, to_organization=jinan_org()
    )
    request_ = services.order_decline(
        actor=user_named("jinan-org"), order=request_, reason="人手不足"
    )
    assert (request_.status, request_.organization, request_.decline_reason) == (
        O.NEW,
        None,
        "人手不足",
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ({"to_federation": "dongying"}, "下级"),
        ({"to_federation": "jinan"}, "下级"),
        ({"to_organization": "东营区希望心理咨询服务中心"}, "服务"),
        ({}, "之一"),
    ],
)
def test_bad_dispatches_are_refused_and_change_nothing(
    request_, places, user_named, target, message
):
    if "to_federation" in target:
        target = {"to_federation": getattr(places, target["to_federation"])}
    elif target:
        target = {"to_organization": SocialOrganization.objects.get(name=target["to_organization"])}
    with pytest.raises(ServiceError) as error:
        services.order_dispatch(actor=user_named("huaiyin"), order=request_, **target)
    assert message in str(error.value.message)
    request_.refresh_from_db()
    assert (request_.status, request_.handler, request_.organization) == (
        O.NEW,
        places.huaiyin,
        None,
    )


def test_only_the_handling_federation_dispatches(request_, user_named):
    for outsider in ("dongying", "jinan-org"):
        with pytest.raises(NotAllowed):
            services.order_dispatch(
                actor=user_named(outsider), order=request_, to_organization=jinan_org()
            )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "什么服务"),
        ({"window_start": TOMORROW - timedelta(days=2)}, "日期"),
        ({"expected_participants": 0}, "至少"),
    ],
)
def test_bad_requests_are_refused(places, user_named, changes, message):
    with pytest.raises(ServiceError) as error:
        make_request(places.huaiyin, user_named("huaiyin"), **changes)
    assert message in str(error.value.message)
    assert not ServiceOrder.objects.filter(channel=OrderChannel.DISPATCH, title="  ").exists()


def test_a_need_of_another_area_cannot_be_answered(places, user_named):
    elsewhere = Need.objects.create(
        federation=places.dongying,
        title="别处的需求",
        domain=ServiceDomain.objects.get(code="skills-training"),
        target_group=TargetGroup.objects.get(code="new-employment-women"),
        source="survey",
    )
    with pytest.raises(ServiceError):
        make_request(places.huaiyin, user_named("huaiyin"), needs=[elsewhere])


# Claiming (抢单) ----------------------------------------------------------------------------


def qualified_organizations(count, places):
    """`count` organizations, each with one skills-training item on 济南市妇联's menu, and a
    staff member each."""
    jinan_admin = User.objects.get(username="jinan")
    people = []
    for _number in range(count):
        organization = OrganizationFactory(guiding_federation=places.jinan)
        item = MenuItem.objects.create(
            organization=organization,
            title=f"{organization.name}的汽车维修课",
            domain=ServiceDomain.objects.get(code="skills-training"),
            format="training",
            duration_minutes=60,
            capacity_per_session=30,
            sessions_per_month=2,
            unit_cost=500,
        )
        services.item_publish(actor=jinan_admin, item=item, federation=places.jinan)
        staff = UserFactory(is_staff=False)
        OrgMembership.objects.create(user=staff, organization=organization, role="staff")
        people.append((staff, item))
    return people


def test_opening_for_claiming_tells_the_qualified_organizations(
    request_, places, user_named, eager_tasks, django_capture_on_commit_callbacks
):
    [(staff, _item)] = qualified_organizations(1, places)
    assert not ServiceOrder.objects.claimable_by(staff).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.order_open_for_claim(actor=user_named("huaiyin"), order=request_)
    assert list(ServiceOrder.objects.claimable_by(staff)) == [request_]
    assert not ServiceOrder.objects.visible_to(user_named("dongying-org")).filter(pk=request_.pk)
    assert Notification.objects.filter(user=staff, key=f"order-open:{request_.pk}").exists()


def test_a_request_nobody_on_the_menu_can_answer_is_not_opened(places, user_named):
    request_ = make_request(
        places.huaiyin, user_named("huaiyin"), domain=ServiceDomain.objects.get(code="elderly-care")
    )
    with pytest.raises(ServiceError):
        services.order_open_for_claim(actor=user_named("huaiyin"), order=request_)
    request_.refresh_from_db()
    assert request_.status == O.NEW


def test_an_item_of_another_domain_or_area_cannot_claim(request_, places, user_named):
    [(staff, item)] = qualified_organizations(1, places)
    services.order_open_for_claim(actor=user_named("huaiyin"), order=request_)
    MenuItem.objects.filter(pk=item.pk).update(domain=ServiceDomain.objects.get(code="health"))
    with pytest.raises(ServiceError):
        services.order_claim(actor=staff, order=request_, item=item)
    MenuItem.objects.filter(pk=item.pk).update(
        domain=ServiceDomain.objects.get(code="skills-training")
    )
    item.areas.set([places.dongying])  # delivered only in 东营区
    with pytest.raises(ServiceError):
        services.order_claim(actor=staff, order=request_, item=item)
    assert not ServiceOrder.objects.claimable_by(staff).exists()
    with pytest.raises(NotAllowed):  # somebody else's item
        services.order_claim(actor=user_named("jinan-org"), order=request_, item=item)
    request_.refresh_from_db()
    assert request_.status == O.OPEN


def test_the_claim_checks_the_projects_money(places, user_named):
    project = ProjectFactory(funder=places.huaiyin, budget=300)
    request_ = make_request(places.huaiyin, user_named("huaiyin"), project=project)
    [(staff, item)] = qualified_organizations(1, places)
    services.order_open_for_claim(actor=user_named("huaiyin"), order=request_)
    with pytest.raises(ServiceError) as error:
        services.order_claim(actor=staff, order=request_, item=item)
    assert "预算" in str(error.value.message)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_ten_organizations_claim_at_once_exactly_one_wins(places, user_named, round_, eager_tasks):
    request_ = make_request(places.huaiyin, user_named("huaiyin"))
    services.order_open_for_claim(actor=user_named("huaiyin"), order=request_)
    organizations = qualified_organizations(10, places)
    claimants = iter(organizations)
    refusals = []

    def attempt():
        staff, item = next(claimants)
        services.order_claim(actor=staff, order=request_, item=item)

    assert race(10, attempt, refusals) == 1
    assert len(refusals) == 9
    assert all(isinstance(refusal, InvalidTransition) for refusal in refusals)
    assert {str(refusal.message) for refusal in refusals} == {"该需求已被其他组织接单。"}
    request_.refresh_from_db()
    assert (request_.status, request_.channel) == (O.ACCEPTED, OrderChannel.CLAIM)
    assert request_.item.organization_id == request_.organization_id
    # The other nine are told it is taken, once each; the winner is not.
    told = Notification.objects.filter(key=f"order-taken:{request_.pk}")
    for staff, item in organizations:
        expected = 0 if item.organization_id == request_.organization_id else 1
        assert told.filter(user=staff).count() == expected


def test_after_claiming_it_is_an_order_like_any_other(request_, places, user_named):
    [(staff, item)] = qualified_organizations(1, places)
    services.order_open_for_claim(actor=user_named("huaiyin"), order=request_)
    order = services.order_claim(actor=staff, order=request_, item=item)
    order = services.order_schedule(
        actor=staff, order=order, scheduled_at=at_window(order), place="营市街社区"
    )
    order = services.order_deliver(actor=staff, order=the_day_comes(order), actual_participants=12)
    order = services.order_confirm(actor=user_named("huaiyin"), order=order, rating=5)
    assert order.status == O.CONFIRMED


# Rating cards (评单) --------------------------------------------------------------------------


@pytest.fixture
def delivered(workshop, places, user_named):
    org_user = user_named("jinan-org")
    order = services.order_request(
        actor=user_named("huaiyin"),
        item=workshop,
        federation=places.huaiyin,
        window_start=TOMORROW,
        window_end=TOMORROW,
        expected_participants=10,
    )
    services.order_accept(actor=org_user, order=order)
    services.order_schedule(
        actor=org_user, order=order, scheduled_at=at_window(order), place="社区"
    )
    return services.order_deliver(actor=org_user, order=the_day_comes(order), actual_participants=3)


def test_each_participant_gets_one_card_and_rates_once(delivered):
    cards = list(delivered.rating_cards.all())
    assert len(cards) == 3 and len({card.code for card in cards}) == 3
    services.card_rate(code=cards[0].code, rating=5, feedback="很有用")
    services.card_rate(code=cards[1].code, rating=4)
    with pytest.raises(InvalidTransition):
        services.card_rate(code=cards[0].code, rating=1)
    assert RatingCard.objects.get(pk=cards[0].pk).rating == 5
    assert delivered.public_rating == {"average": 4.5, "count": 2}


def test_a_bad_rating_changes_nothing(delivered):
    card = delivered.rating_cards.first()
    for rating in (0, 6):
        with pytest.raises(ServiceError):
            services.card_rate(code=card.code, rating=rating)
    card.refresh_from_db()
    assert card.rated_at is None


def test_requests_made_above_are_seen_below_only_once_dispatched(request_, places):
    below = Federation.objects.get(division_code="370104006001")
    officer = User.objects.create(username="community")
    officer.staff_memberships.create(federation=below, role="admin")
    assert not ServiceOrder.objects.visible_to(officer).filter(pk=request_.pk).exists()


def test_a_need_answered_by_a_request_is_no_longer_unanswered(request_, api_as):
    need = request_.needs.get()
    unanswered = api_as("jinan").get("/api/v1/needs/", {"unanswered": "true", "page_size": 200})
    assert need.pk not in {row["id"] for row in unanswered.json()["results"]}


# Publishing: the organization sends, the federation publishes or withdraws ------------------


def test_an_item_goes_to_the_menu_through_its_guiding_federation(workshop, places, user_named):
    publication = workshop.publications.get()
    with pytest.raises(InvalidTransition):  # on the menu already
        services.item_submit(actor=user_named("jinan-org"), item=workshop)
    services.item_withdraw(actor=user_named("jinan"), publication=publication)
    publication = services.item_submit(actor=user_named("jinan-org"), item=workshop)
    assert (publication.federation, publication.status) == (places.jinan, "pending")
    with pytest.raises(NotAllowed):
        services.item_submit(actor=user_named("dongying-org"), item=workshop)
    MenuItem.objects.filter(pk=workshop.pk).update(status="paused")
    workshop.refresh_from_db()
    with pytest.raises(InvalidTransition):
        services.item_submit(actor=user_named("jinan-org"), item=workshop)
    with pytest.raises(InvalidTransition):
        services.item_publish(actor=user_named("jinan"), item=workshop, federation=places.jinan)


def test_the_claim_form_offers_her_only_matching_service_chosen(client, places, user_named):
    """Seen: the claim form did not preselect the only matching service."""
    request_ = make_request(places.huaiyin, user_named("huaiyin"))
    [(staff, item)] = qualified_organizations(1, places)
    services.order_open_for_claim(actor=user_named("huaiyin"), order=request_)
    staff.save()  # the factory set her password without saving it
    client.force_login(staff)
    moves = {
        name: form for name, _move, form in client.get(request_.get_absolute_url()).context["moves"]
    }
    assert moves["claim"]["item"].value() == item.pk


def test_no_dispatch_down_from_a_village(client, places, user_named):
    """Seen: "派给下级" offered with an empty list at village level."""
    community = places.yingshijie.descendants().first()  # no federation below it
    request_ = make_request(community, user_named("huaiyin"))
    client.force_login(user_named("huaiyin"))
    names = [
        name for name, _move, _form in client.get(request_.get_absolute_url()).context["moves"]
    ]
    assert "dispatch-down" not in names and "open" in names
