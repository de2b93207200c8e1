"""提需求: a woman posts a need from her phone, the federation reviews it, an order answers it,
she is told each step and rates the service (issue 15)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from core.errors import InvalidTransition, NotAllowed, ServiceError
from core.personal_data import phone_hash
from federation.models import Federation
from menu import services
from menu.models import Need
from notifications import sms
from notifications.models import Notification
from orgs.models import ServiceDomain, TargetGroup
from tests.factories import need_answered_and_delivered
from tests.scope_contract import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_at_once")]

TOMORROW = timezone.localdate() + timedelta(days=1)


def public_user(number="13812345678", sms_notices=True) -> User:
    user = User(username=f"phone-{number}", is_public=True, phone=number, sms_notices=sms_notices)
    user.phone_hash = phone_hash(number)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def community(places):
    return Federation.objects.get(division_code="370104006001")  # 营市街社区妇联


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()


@pytest.fixture
def woman():
    return public_user()


def post(actor, federation, **changes):
    fields = {
        "title": "社区里的女司机想学处理爆胎",
        "description": "我们有十几个人跑网约车，遇到爆胎不知道怎么办。",
        "domain": ServiceDomain.objects.get(code="skills-training"),
        "target_group": TargetGroup.objects.get(code="new-employment-women"),
        "people_count": 12,
        **changes,
    }
    return services.need_post(actor=actor, federation=federation, **fields)


def told(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True)
    )


def texted(user) -> list[str]:
    return [message.text() for message in sms.outbox if message.phone == user.phone]


# The services ---------------------------------------------------------------------------------


def test_the_whole_way_of_a_need_and_every_word_she_gets(woman, community, user_named, workshop):
    need = post(woman, community)
    assert need.status == "pending" and need.source == "public"
    assert need.progress()[0] == "received"
    services.need_publish(actor=user_named("huaiyin"), need=need)
    need.refresh_from_db()
    assert need.progress()[0] == "accepted"
    need_answered_and_delivered(need, user_named, workshop)
    need.refresh_from_db()
    assert need.status == "answered" and need.progress()[0] == "delivered"
    assert told(woman) == [
        "您的需求已受理：社区里的女司机想学处理爆胎",
        "有服务回应了您的需求：社区里的女司机想学处理爆胎",
        "您需求的服务已完成，请评价",
    ]
    assert len(texted(woman)) == 3
    services.need_rate(actor=woman, need=need, rating=5, feedback="很实用")
    with pytest.raises(InvalidTransition):
        services.need_rate(actor=woman, need=need, rating=1)
    assert Need.objects.get(pk=need.pk).rating == 5


def test_she_rates_only_once_it_is_delivered_and_only_hers(woman, community, user_named):
    need = post(woman, community)
    services.need_publish(actor=user_named("huaiyin"), need=need)
    with pytest.raises(InvalidTransition):
        services.need_rate(actor=woman, need=need, rating=4)
    with pytest.raises(NotAllowed):
        services.need_rate(actor=public_user("13900000001"), need=need, rating=4)


def test_a_rejected_need_tells_her_why_by_text_message(woman, community, user_named):
    need = post(woman, community)
    with pytest.raises(ServiceError):
        services.need_reject(actor=user_named("huaiyin"), need=need, reason="  ")
    services.need_reject(actor=user_named("huaiyin"), need=need, reason="不属于妇联服务范围")
    need.refresh_from_db()
    assert need.status == "rejected" and "不属于妇联服务范围" in need.progress()[1]
    assert told(woman) == ["您的需求未被受理：不属于妇联服务范围"]
    assert "不属于妇联服务范围" in texted(woman)[0]


def test_without_her_agreement_there_is_no_text_message(community, user_named):
    quiet = public_user("13900000002", sms_notices=False)
    need = post(quiet, community)
    services.need_publish(actor=user_named("huaiyin"), need=need)
    assert told(quiet) and sms.outbox == []


def test_a_duplicate_follows_the_need_it_repeats(woman, community, user_named, workshop):
    first = post(public_user("13900000003"), community)
    services.need_publish(actor=user_named("huaiyin"), need=first)
    again = post(woman, community)
    services.need_merge(actor=user_named("huaiyin"), need=again, into=first)
    again.refresh_from_db()
    assert again.status == "merged" and again.progress()[0] == "accepted"
    need_answered_and_delivered(first, user_named, workshop)
    again.refresh_from_db()
    assert again.progress()[0] == "delivered"
    assert told(woman)[-1] == "您需求的服务已完成，请评价"
    services.need_rate(actor=woman, need=again, rating=4)


@pytest.mark.parametrize(
    ("move", "kwargs"),
    [("need_publish", {}), ("need_reject", {"reason": "重复"})],
)
def test_only_staff_of_the_place_or_above_review(woman, community, user_named, move, kwargs):
    need = post(woman, community)
    for outsider in (user_named("dongying"), woman, user_named("jinan-org")):
        with pytest.raises(NotAllowed):
            getattr(services, move)(actor=outsider, need=need, **kwargs)
    getattr(services, move)(actor=user_named("jinan"), need=need, **kwargs)


def test_a_reviewed_need_is_not_reviewed_again(woman, community, user_named):
    need = post(woman, community)
    services.need_publish(actor=user_named("huaiyin"), need=need)
    with pytest.raises(InvalidTransition):
        services.need_reject(actor=user_named("huaiyin"), need=need, reason="晚了")
    with pytest.raises(InvalidTransition):
        services.need_publish(actor=user_named("huaiyin"), need=need)


def test_a_need_is_posted_at_a_village_or_township_by_a_public_account(
    woman, places, community, user_named
):
    before = Need.objects.count()
    with pytest.raises(ServiceError):
        post(woman, places.huaiyin)  # a county
    with pytest.raises(NotAllowed):
        post(user_named("huaiyin"), community)
    with pytest.raises(ServiceError):
        post(woman, community, people_count=0)
    assert Need.objects.count() == before


# The pages ------------------------------------------------------------------------------------


@pytest.fixture
def her_client(client, woman):
    client.force_login(woman, backend="django.contrib.auth.backends.ModelBackend")
    return client


def need_form(community, **changes):
    return {
        "place": community.pk,
        "title": "想办一场防诈骗讲座",
        "description": "村里老人常接到诈骗电话",
        "domain": ServiceDomain.objects.get(code="skills-training").pk,
        "target_group": TargetGroup.objects.get(code="new-employment-women").pk,
        "people_count": 30,
        "sms_notices": "on",
        **changes,
    }


def test_she_finds_her_place_by_name_and_posts_from_there(her_client, community):
    page = her_client.get("/m/places/", {"q": "营市街社区"})
    assert f"/m/needs/new/?place={community.pk}" in page.content.decode()
    assert "槐荫区" in page.content.decode()  # the place is shown with the places above it
    response = her_client.post(f"/m/needs/new/?place={community.pk}", need_form(community))
    need = Need.objects.get(title="想办一场防诈骗讲座")
    assert response["Location"] == f"/m/needs/{need.pk}/"
    assert need.federation == community and need.posted_by.is_public
    page = her_client.get(response["Location"]).content.decode()
    assert "已收到" in page


def test_bad_input_keeps_the_form_and_creates_nothing(her_client, community):
    before = Need.objects.count()
    response = her_client.post("/m/needs/new/", need_form(community, people_count=0, title=""))
    assert response.status_code == 200
    assert response.context["form"].errors and Need.objects.count() == before


def test_she_sees_only_her_own_needs(her_client, woman, community):
    mine = post(woman, community)
    other = post(public_user("13900000004"), community)
    listed = her_client.get("/m/needs/").content.decode()
    assert mine.title in listed
    assert her_client.get(f"/m/needs/{other.pk}/").status_code == 404
    assert her_client.get(f"/m/needs/{mine.pk}/").status_code == 200


def test_the_public_pages_ask_for_the_phone_sign_in(client, admin_client_as):
    assert client.get("/m/needs/")["Location"].startswith("/m/sign-in/")
    staff = admin_client_as("huaiyin")
    assert staff.get("/m/needs/")["Location"].startswith("/m/sign-in/")


def test_public_posts_are_limited_per_address_and_nothing_is_stored_beyond(
    her_client, community, monkeypatch
):
    monkeypatch.setattr("public.challenge.FREE_POSTS", 100)  # the limit alone, without the question
    before = Need.objects.count()
    statuses = [
        her_client.post("/m/needs/new/", need_form(community, title=f"需求{n}")).status_code
        for n in range(22)
    ]
    assert statuses[:20] == [302] * 20 and statuses[20:] == [429, 429]
    assert Need.objects.count() == before + 20
    refused = her_client.post("/m/needs/new/", need_form(community))
    assert "请稍后再试" in refused.content.decode()


def test_the_review_page_and_its_buttons(admin_client_as, woman, community):
    need = post(woman, community)
    elsewhere = admin_client_as("dongying")  # one client, signed in again below
    assert need.title not in elsewhere.get("/menu/needs/review/").content.decode()
    assert elsewhere.post(f"/menu/needs/{need.pk}/publish/").status_code == 404
    staff = admin_client_as("huaiyin")
    page = staff.get("/menu/needs/review/").content.decode()
    assert need.title in page and need.description in page
    response = staff.post(
        f"/menu/needs/{need.pk}/reject/", {f"reject-{need.pk}-reason": "不在服务范围"}
    )
    assert response.status_code == 302
    assert Need.objects.get(pk=need.pk).status == "rejected"


def test_the_review_page_runs_constant_queries(admin_client_as, community):
    staff = admin_client_as("huaiyin")
    post(public_user("13900000010"), community)
    few = count_queries(lambda: staff.get("/menu/needs/review/"))
    for n in range(8):
        post(public_user(f"1390000002{n}"), community)
    assert count_queries(lambda: staff.get("/menu/needs/review/")) == few


# The API for a mini-program -----------------------------------------------------------------


def public_api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_api_signs_in_with_a_code_and_posts_a_need(community):
    sms.outbox.clear()
    client = public_api()
    assert (
        client.post("/api/v1/public/code/", {"phone": "13812340000"}, format="json").status_code
        == 202
    )
    code = sms.outbox[-1].params[0]
    token = client.post(
        "/api/v1/public/token/", {"phone": "13812340000", "code": code}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = need_form(community)
    body.pop("sms_notices")
    created = client.post("/api/v1/public/needs/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["progress"] == "received"
    assert [row["id"] for row in client.get("/api/v1/public/needs/").json()["results"]] == [
        created.json()["id"]
    ]


def test_the_api_shows_her_only_hers_and_refuses_staff(woman, community, user_named):
    mine = post(woman, community)
    other = post(public_user("13900000005"), community)
    client = public_api(woman)
    assert {row["id"] for row in client.get("/api/v1/public/needs/").json()["results"]} == {mine.pk}
    assert client.get(f"/api/v1/public/needs/{other.pk}/").status_code == 404
    assert public_api(user_named("huaiyin")).get("/api/v1/public/needs/").status_code == 403
    assert public_api().get("/api/v1/public/needs/").status_code == 401


def test_the_api_code_answers_alike_for_any_number_and_refuses_a_bad_one():
    client = public_api()
    known = public_user("13900000006")
    answers = [
        client.post("/api/v1/public/code/", {"phone": number}, format="json").json()
        for number in (known.phone, "13900000007")
    ]
    assert answers[0] == answers[1]
    bad = client.post("/api/v1/public/code/", {"phone": "12345"}, format="json")
    assert bad.status_code == 400 and "phone" in bad.json()


def test_the_api_sign_in_is_throttled_per_address():
    client = public_api()
    statuses = [
        client.post("/api/v1/public/code/", {"phone": f"1390001{n:04d}"}, format="json").status_code
        for n in range(12)
    ]
    assert statuses[:10] == [202] * 10 and statuses[10:] == [429, 429]


def test_after_five_posts_from_one_address_a_question_is_asked(her_client, community):
    for n in range(5):
        assert (
            her_client.post("/m/needs/new/", need_form(community, title=f"需求{n}")).status_code
            == 302
        )
    asked = her_client.get(f"/m/needs/new/?place={community.pk}")
    form = asked.context["form"]
    assert "answer" in form.fields
    token = form.initial["challenge"]
    first, second = (int(n) for n in re.findall(r"(\d+) \+ (\d+)", form.fields["answer"].label)[0])
    wrong = her_client.post(
        "/m/needs/new/",
        need_form(community, title="第六条", challenge=token, answer=first + second + 1),
    )
    assert wrong.status_code == 200 and "answer" in wrong.context["form"].errors
    assert not Need.objects.filter(title="第六条").exists()
    right = her_client.post(
        "/m/needs/new/",
        need_form(community, title="第六条", challenge=token, answer=first + second),
    )
    assert right.status_code == 302 and Need.objects.filter(title="第六条").exists()
