"""求助: a woman asks for help from her phone. The request becomes a case at her county's
federation, triaged to its contracted 12338 line, risk first; what she wrote is encrypted and
never shown back to her (issue 15)."""

import subprocess

import pytest
from django.db import connection

from cases.models import Case
from cases.services import help_request
from core.errors import NotAllowed, ServiceError
from federation.models import Federation
from tests.test_public_needs import public_user
from tests.test_security import database_url

pytestmark = [pytest.mark.django_db, pytest.mark.demo("cases")]

WORDS = "他喝了酒就打我，昨晚又动手了"


@pytest.fixture
def wenhui():
    return Federation.objects.get(division_code="370502001")  # 文汇街道, 东营区


@pytest.fixture
def woman(demo):
    return public_user("13812349876")


def asked(woman, place, **changes):
    answers = {
        "in_danger_now": False,
        "hurt_or_threatened": True,
        "children_at_risk": False,
        "categories": ["domestic_violence"],
        "words": WORDS,
        "name": "小芳",
        "phone": "13812349876",
        "contact_way": "sms",
        "contact_time": "workday",
        **changes,
    }
    return help_request(actor=woman, place=place, **answers)


def test_it_lands_at_her_county_triaged_to_its_hotline_with_her_risk(woman, wenhui, user_named):
    case = asked(woman, wenhui, in_danger_now=True)
    assert case.federation.division_code == "370502" and case.channel == "online"
    assert case.risk == "crisis" and case.status == "triaged"
    assert case.organization.name == "东营区希望心理咨询服务中心"
    assert Case.objects.visible_to(user_named("dongying-worker")).filter(pk=case.pk).exists()
    assert case.consent.contact_way == "sms" and case.consent.contact_time == "workday"
    assert case.parties.get().phone == "13812349876"


@pytest.mark.parametrize(
    ("answers", "risk"),
    [
        ({"in_danger_now": True}, "crisis"),
        ({"hurt_or_threatened": True}, "high"),
        ({"hurt_or_threatened": False, "children_at_risk": True}, "high"),
        ({"hurt_or_threatened": False}, "medium"),
    ],
)
def test_her_first_answers_are_the_risk(woman, wenhui, answers, risk):
    assert asked(woman, wenhui, **answers).risk == risk


def test_it_heads_the_hotline_workers_queue(woman, wenhui, admin_client_as):
    case = asked(woman, wenhui, in_danger_now=True)
    queue = admin_client_as("dongying-worker").get("/cases/")
    assert queue.status_code == 200
    listed = list(queue.context["cases"])
    ahead = listed[: [row.pk for row in listed].index(case.pk)]
    assert all(row.risk == "crisis" for row in ahead)  # only other crises, due sooner


def test_what_she_wrote_is_stored_encrypted(woman, wenhui):
    case = asked(woman, wenhui)
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM cases_case WHERE id = %s", [case.pk])
        [stored] = cursor.fetchone()
        cursor.execute("SELECT name, phone FROM cases_party WHERE case_id = %s", [case.pk])
        name, phone = cursor.fetchone()
    assert WORDS not in stored and "小芳" not in name and "13812349876" not in phone
    assert Case.objects.get(pk=case.pk).summary == WORDS


def test_bad_input_is_refused_and_changes_nothing(woman, wenhui, user_named, places):
    before = Case.objects.count()
    with pytest.raises(ServiceError):
        asked(woman, wenhui, categories=[])
    with pytest.raises(ServiceError):
        asked(woman, wenhui, phone="")  # she wants a text message but gives no number
    with pytest.raises(ServiceError):
        asked(woman, wenhui, phone="12345")
    with pytest.raises(ServiceError):
        asked(woman, places.shandong)  # a province is no place to send her case
    with pytest.raises(NotAllowed):
        asked(user_named("huaiyin"), wenhui)
    assert Case.objects.count() == before


def test_without_a_number_she_may_choose_to_call_herself(woman, wenhui):
    case = asked(woman, wenhui, phone="", contact_way="wait")
    assert case.consent.contact_way == "wait"


# The pages --------------------------------------------------------------------------------


def help_form(**changes):
    return {
        "in_danger_now": "False",
        "hurt_or_threatened": "True",
        "children_at_risk": "False",
        "categories": ["domestic_violence"],
        "words": WORDS,
        "contact_way": "call",
        "contact_time": "evening",
        "phone": "13812349876",
        "name": "",
        "consent": "on",
        **changes,
    }


def test_the_page_never_shows_back_what_she_wrote(client, woman, wenhui):
    client.force_login(woman, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(f"/m/help/new/?place={wenhui.pk}", help_form())
    assert response["Location"] == "/m/help/sent/"
    sent = client.get("/m/help/sent/")
    case = Case.objects.get(received_by=woman)
    assert case.number in sent.content.decode() and WORDS not in sent.content.decode()
    assert "no-store" in sent["Cache-Control"]
    mine = client.get("/m/help/mine/").content.decode()
    assert case.number in mine and WORDS not in mine and "13812349876" not in mine


def test_consent_is_asked_and_nothing_is_kept_without_it(client, woman, wenhui):
    client.force_login(woman, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(f"/m/help/new/?place={wenhui.pk}", help_form(consent=""))
    assert response.status_code == 200 and "consent" in response.context["form"].errors
    assert not Case.objects.filter(received_by=woman).exists()


def test_she_sees_only_the_help_she_asked_for(client, woman, wenhui):
    other = asked(public_user("13900000011"), wenhui)
    client.force_login(woman, backend="django.contrib.auth.backends.ModelBackend")
    assert other.number not in client.get("/m/help/mine/").content.decode()


def test_the_start_page_shows_12338_and_110_without_signing_in(client):
    page = client.get("/m/help/").content.decode()
    assert 'href="tel:12338"' in page and 'href="tel:110"' in page and 'id="quick-exit"' in page


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_plaintext_of_her_request(woman, wenhui):
    asked(woman, wenhui)
    dump = subprocess.run(
        ["pg_dump", "--data-only", "--table=cases_*", database_url(connection.settings_dict)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "cases_case" in dump
    for secret in (WORDS, "小芳", "13812349876"):
        assert secret not in dump


def test_the_worker_sees_how_she_may_be_contacted(woman, wenhui, admin_client_as):
    case = asked(woman, wenhui, contact_way="sms", contact_time="evening")
    page = admin_client_as("dongying-worker").get(f"/cases/{case.pk}/").content.decode()
    assert 'id="safe-contact"' in page and "给我发短信" in page and "晚上" in page


def test_the_api_takes_her_request_and_never_sends_back_what_she_wrote(woman, wenhui, user_named):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(woman)
    body = {
        "place": wenhui.pk,
        "in_danger_now": True,
        "hurt_or_threatened": True,
        "children_at_risk": False,
        "categories": ["domestic_violence"],
        "words": WORDS,
        "phone": "13812349876",
        "contact_way": "sms",
        "contact_time": "evening",
        "consent": True,
    }
    created = client.post("/api/v1/public/help/", body, format="json")
    assert created.status_code == 201, created.content
    assert WORDS not in created.content.decode() and "13812349876" not in created.content.decode()
    case = Case.objects.get(pk=created.json()["id"])
    assert case.risk == "crisis" and case.organization is not None
    listed = client.get("/api/v1/public/help/").json()["results"]
    assert [row["number"] for row in listed] == [case.number]
    assert WORDS not in str(listed)
    refused = client.post("/api/v1/public/help/", {**body, "consent": False}, format="json")
    assert refused.status_code == 400 and "consent" in refused.json()
    other = APIClient()
    other.force_authenticate(public_user("13900000061"))
    assert other.get("/api/v1/public/help/").json()["results"] == []


def test_the_quick_exit_ends_her_session(client, woman, settings):
    client.force_login(woman, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/m/leave/")
    assert response["Location"] == settings.QUICK_EXIT_URL
    assert client.get("/m/help/mine/")["Location"].startswith("/m/sign-in/")


def test_a_call_or_a_text_needs_a_number_on_the_form(client, woman, wenhui):
    client.force_login(woman, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(f"/m/help/new/?place={wenhui.pk}", help_form(phone=""))
    assert response.status_code == 200 and "phone" in response.context["form"].errors


def test_the_hotline_worker_is_told_of_a_request(
    woman, wenhui, user_named, django_capture_on_commit_callbacks
):
    from notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        case = asked(woman, wenhui, in_danger_now=True)
    told = Notification.objects.filter(user=user_named("dongying-worker"))
    assert [notice.title for notice in told] == [
        f"有妇女在线求助：个案 {case.number}（风险：危机）"
    ]
