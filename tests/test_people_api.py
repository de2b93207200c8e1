"""The register's API: masked lists and logged openings, search before create, scope, the
stipends' three checks, funds' statements, and the sponsor's view without the child."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from people import services
from people.choices import ConsentUse, GrowthKind, PayoutKind, SponsorKind, StipendStatus
from people.models import Person, PersonAccess, StipendCheck
from tests.factories import UserFactory
from tests.people_tree import ID_NUMBER, build_tree, fund_with, officer, pairing_of, register_child
from tests.upload_files import jpeg_bytes

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"
PAIRINGS = "/api/v1/pairings/"
STIPENDS = "/api/v1/stipends/"
SPONSOR = "/api/v1/sponsor/pairings/"
# What tells who the child is: none of it may leave the register unmasked.
CHILD_IDENTIFIERS = ("王小雨", "13841500001", ID_NUMBER, "王桂兰", "江海社区")


@pytest.fixture
def tree(db):
    return build_tree()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def text_of(response) -> str:
    """The body as sent, and again as parsed (whatever escaping the renderer chose)."""
    return response.content.decode() + json.dumps(response.json(), ensure_ascii=False)


@pytest.fixture
def stipend(tree):
    child = register_child(tree)
    return pairing_of(tree, child, fund_with(tree, 10_000)).stipends.first()


# The register ---------------------------------------------------------------------------------


def test_the_list_is_masked_and_every_opening_of_her_record_is_logged(tree):
    child = register_child(tree)
    client = api(tree.county_officer)
    listed = client.get(PEOPLE)
    assert listed.status_code == 200
    for identifier in CHILD_IDENTIFIERS[:4]:
        assert identifier not in text_of(listed)
    [row] = listed.json()["results"]
    assert row["id"] == child.pk and row["masked_name"] == "王**"
    assert row["masked_phone"] == "138****0001" and row["kind"] == "child"
    assert row["federation_name"] == "江海社区妇联"
    assert not PersonAccess.objects.exists()  # a list opens nobody's record

    full = client.get(f"{PEOPLE}{child.pk}/")
    assert full.status_code == 200
    record = full.json()
    assert (record["name"], record["phone"], record["id_number"]) == (
        "王小雨",
        "13841500001",
        ID_NUMBER,
    )
    assert record["guardian"] == "王桂兰（奶奶）"
    assert record["consents"] == sorted(["services", "sponsorship", "photos"])
    assert record["attendances"] == {
        "count": 0,
        "activities": 0,
        "orders": 0,
        "last_served_on": None,
    }
    assert record["source_case_number"] is None and record["became_volunteer"] is False
    client.get(f"{PEOPLE}{child.pk}/")
    opened = PersonAccess.objects.filter(person=child)
    assert list(opened.values_list("user__username", "via")) == [("county-officer", "api")] * 2


def test_search_before_create_finds_her_by_phone_or_id_number(tree):
    child = register_child(tree)
    client = api(tree.village_officer)
    found = client.get(PEOPLE, {"phone": "+86 138-4150-0001"})
    assert found.status_code == 200
    assert [row["id"] for row in found.json()["results"]] == [child.pk]
    assert "王小雨" not in text_of(found)
    by_id = client.get(PEOPLE, {"id_number": ID_NUMBER.lower()}).json()["results"]
    assert [row["id"] for row in by_id] == [child.pk]
    assert client.get(PEOPLE, {"phone": "13800000000"}).json()["results"] == []


def test_registering_through_the_api_goes_through_the_service(tree):
    client = api(tree.village_officer)
    body = {
        "federation": tree.village.pk,
        "kind": "woman",
        "name": "李秀英",
        "phone": "+86 138 4150 0002",
        "consents": ["services", "services"],
    }
    created = client.post(PEOPLE, body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["masked_name"] == "李**" and "李秀英" not in text_of(created)
    person = Person.objects.get(pk=created.json()["id"])
    assert person.phone == "13841500002" and person.registered_by == tree.village_officer
    assert list(person.consents.values_list("use", flat=True)) == [ConsentUse.SERVICES]
    # Registered once: the same number again is refused (a service error, a 400).
    again = client.post(PEOPLE, {**body, "name": "李秀"}, format="json")
    assert again.status_code == 400 and "detail" in again.json()
    # Another village's officer may not register her at this village.
    elsewhere = api(tree.other_officer).post(
        PEOPLE, {**body, "phone": "13841500003"}, format="json"
    )
    assert elsewhere.status_code == 400 and "federation" in elsewhere.json()
    wrong = client.post(PEOPLE, {**body, "phone": "12345"}, format="json")
    assert wrong.status_code == 400 and "phone" in wrong.json()
    assert Person.objects.count() == 1


def test_an_officer_of_another_village_finds_nothing_and_opens_nothing(tree):
    child = register_child(tree)
    client = api(tree.other_officer)
    assert client.get(PEOPLE).json()["results"] == []
    assert client.get(PEOPLE, {"phone": "13841500001"}).json()["results"] == []
    assert client.get(f"{PEOPLE}{child.pk}/").status_code == 404
    assert client.get(f"{PEOPLE}{child.pk}/growth/").status_code == 404
    assert not PersonAccess.objects.exists()


def test_a_user_without_the_registers_role_sees_nobody(tree, stipend):
    child = stipend.pairing.person
    admin = officer(tree.city, "city-admin", role="admin")
    client = api(admin)
    for url in (PEOPLE, PAIRINGS, STIPENDS, "/api/v1/insurance-claims/"):
        response = client.get(url)
        assert response.status_code == 200 and response.json()["results"] == [], url
    assert client.get(f"{PEOPLE}{child.pk}/").status_code == 404
    assert client.get(f"{STIPENDS}{stipend.pk}/").status_code == 404
    assert client.get(f"{PEOPLE}{child.pk}/growth/").status_code == 404
    # Funds are money, not people: their administrators see them.
    funds = client.get("/api/v1/funds/").json()["results"]
    assert [fund["id"] for fund in funds] == [stipend.pairing.fund_id]
    assert not PersonAccess.objects.exists()


def test_the_growth_archive_takes_a_photo_and_never_shows_where_it_is_stored(
    tree, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    child = register_child(tree)
    client = api(tree.village_officer)
    url = f"{PEOPLE}{child.pk}/growth/"
    photo = SimpleUploadedFile("探访.jpg", jpeg_bytes(), content_type="image/jpeg")
    body = {"kind": GrowthKind.VISIT, "on": "2026-03-01", "notes": "学习用品已送到", "photo": photo}
    created = client.post(url, body, format="multipart")
    assert created.status_code == 201, created.json()
    entry = child.growth.get()
    assert entry.photo.name and entry.photo.name not in text_of(created)
    assert created.json()["photo_url"].endswith(reverse("growth-photo", args=[entry.pk]))
    listed = client.get(url)
    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [entry.pk]
    assert entry.photo.name not in text_of(listed)
    # Reading her archive opens her record: logged.
    assert PersonAccess.objects.filter(person=child, via="api").count() == 1


# Pairings and stipends ------------------------------------------------------------------------


def test_a_pairing_is_made_by_her_county_and_ended_with_a_reason(tree):
    child = register_child(tree)
    fund = fund_with(tree, 1000)  # the city's: the county pairs children on it
    sponsor = services.sponsor_add(
        actor=tree.county_officer, federation=tree.county, kind=SponsorKind.PERSON, name="刘先生"
    )
    body = {
        "person": child.pk,
        "sponsor": sponsor.pk,
        "fund": fund.pk,
        "monthly_amount": "300.00",
        "months": 2,
        "starts_on": "2026-03-01",
        "village_contact": tree.village_officer.pk,
    }
    # The city and the village see the county's sponsor and the child, but only the county
    # pairs (403); an officer of another village sees neither (400: no such person).
    assert api(tree.city_officer).post(PAIRINGS, body, format="json").status_code == 403
    assert api(tree.village_officer).post(PAIRINGS, body, format="json").status_code == 403
    refused = api(tree.other_officer).post(PAIRINGS, body, format="json")
    assert refused.status_code == 400 and "person" in refused.json()
    client = api(tree.county_officer)
    created = client.post(PAIRINGS, body, format="json")
    assert created.status_code == 201, created.json()
    pairing = created.json()
    assert pairing["code"].startswith("JD") and pairing["person_name"] == "王**"
    assert pairing["sponsor_name"] == "刘先生" and pairing["moves"] == ["end"]
    assert "王小雨" not in text_of(created)
    end = f"{PAIRINGS}{pairing['id']}/end/"
    assert client.post(end, {}, format="json").status_code == 400
    ended = client.post(end, {"reason": "考入大学，结对圆满结束"}, format="json")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert client.post(end, {"reason": "again"}, format="json").status_code == 409


def test_a_stipend_moves_through_the_api_by_the_three_officers_in_order(tree, stipend):
    url = f"{STIPENDS}{stipend.pk}/"
    village, county, city = (
        api(user) for user in (tree.village_officer, tree.county_officer, tree.city_officer)
    )
    assert city.post(url + "release/").status_code == 409  # before the village and the county
    assert county.post(url + "confirm/").status_code == 403  # the village's step
    confirmed = village.post(url + "confirm/")
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == StipendStatus.VILLAGE_CONFIRMED
    assert county.get(url).json()["moves"] == ["check", "return"]
    assert county.post(url + "return/", {}, format="json").status_code == 400  # no reason
    assert county.post(url + "return/", {"reason": " "}, format="json").status_code == 400
    assert city.post(url + "release/").status_code == 409  # the county has not checked
    assert county.post(url + "check/").json()["status"] == StipendStatus.COUNTY_CHECKED
    released = city.post(url + "release/")
    assert released.status_code == 200
    assert released.json()["status"] == StipendStatus.PAID and released.json()["payout"]
    assert released.json()["moves"] == []
    fund = stipend.pairing.fund
    fund.refresh_from_db()
    assert fund.balance == Decimal("9700")
    assert list(StipendCheck.objects.values_list("move", "by__username")) == [
        ("confirm", "village-officer"),
        ("check", "county-officer"),
        ("release", "city-officer"),
    ]


def test_a_returned_stipend_goes_back_to_the_village_with_its_reason(tree, stipend):
    url = f"{STIPENDS}{stipend.pk}/"
    api(tree.village_officer).post(url + "confirm/")
    returned = api(tree.county_officer).post(
        url + "return/", {"reason": "缺少监护人签字的领取凭证"}, format="json"
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == StipendStatus.RETURNED
    assert returned.json()["return_reason"] == "缺少监护人签字的领取凭证"
    assert api(tree.village_officer).get(url).json()["moves"] == ["confirm"]


def test_stipends_waiting_for_the_callers_check(tree, stipend):
    waiting = api(tree.village_officer).get(STIPENDS, {"waiting": "true"}).json()["results"]
    assert [row["id"] for row in waiting] == [stipend.pk]  # due today; the others later
    assert api(tree.county_officer).get(STIPENDS, {"waiting": "true"}).json()["results"] == []


# Funds ----------------------------------------------------------------------------------------


def test_a_funds_statement_reconciles_to_the_cent(tree):
    fund = fund_with(tree, Decimal("1000.10"))  # received on 5 January
    client = api(tree.city_officer)
    donated = client.post(
        "/api/v1/donations/",
        {"fund": fund.pk, "donor": "春蕾爱心人士", "amount": "0.35", "received_on": "2026-02-03"},
        format="json",
    )
    assert donated.status_code == 201, donated.json()
    assert donated.json()["receipt_number"] == f"2026-{fund.pk:04d}-00002"
    for day, amount in ((10, "333.33"), (20, "0.01")):
        services.fund_pay(
            actor=tree.city_officer,
            fund=fund,
            kind=PayoutKind.OTHER,
            amount=amount,
            paid_on=date(2026, 2, day),
        )
    fund.refresh_from_db()
    url = f"/api/v1/funds/{fund.pk}/statement/"
    january = client.get(url, {"start": "2026-01-01", "end": "2026-01-31"}).json()
    february = client.get(url, {"start": "2026-02-01", "end": "2026-02-28"})
    assert february.status_code == 200
    february = february.json()
    assert january["closing"] == february["opening"] == "1000.10"
    assert (february["raised"], february["spent"], february["closing"]) == (
        "0.35",
        "333.34",
        "667.11",
    )
    for period in (january, february):
        assert Decimal(period["opening"]) + Decimal(period["raised"]) - Decimal(
            period["spent"]
        ) == Decimal(period["closing"])
    assert Decimal(february["closing"]) == fund.balance == services.ledger_balance(fund)
    assert [p["amount"] for p in february["payouts"]] == ["333.33", "0.01"]
    assert [d["amount"] for d in february["donations"]] == ["0.35"]
    assert client.get(f"/api/v1/funds/{fund.pk}/").json()["balance"] == "667.11"
    assert client.get(url, {"start": "2026-02-28", "end": "2026-02-01"}).status_code == 400
    assert client.get(url).status_code == 400
    # A village under the city draws on the fund: she sees its balance, not its ledger.
    village = api(tree.other_officer)
    assert village.get(f"/api/v1/funds/{fund.pk}/").json()["balance"] == "667.11"
    assert village.get(url, {"start": "2026-01-01", "end": "2026-01-31"}).status_code == 403
    assert village.get("/api/v1/donations/").json()["results"] == []
    assert village.get("/api/v1/payouts/").json()["results"] == []


# The sponsor ----------------------------------------------------------------------------------


def test_the_sponsor_sees_her_pairings_progress_and_nothing_of_who_the_child_is(tree):
    child = register_child(tree, address="振兴区江海街12号")
    fund = fund_with(tree, 10_000)
    account = UserFactory(username="sponsor-liu", is_staff=False)
    account.save()
    sponsor = services.sponsor_add(
        actor=tree.county_officer,
        federation=tree.county,
        kind=SponsorKind.PERSON,
        name="刘先生",
        user=account,
    )
    pairing = services.pairing_create(
        actor=tree.county_officer,
        person=child,
        sponsor=sponsor,
        fund=fund,
        monthly_amount=300,
        months=3,
        starts_on=timezone.localdate(),
        village_contact=tree.village_officer,
    )
    services.growth_record(
        actor=tree.village_officer,
        person=child,
        kind=GrowthKind.SCHOOL,
        on=timezone.localdate(),
        result="良好",
        notes="数学进步明显，奶奶身体不好",
    )
    client = api(account)
    response = client.get(SPONSOR)
    assert response.status_code == 200
    [shown] = response.json()["results"]
    assert shown["code"] == pairing.code and shown["monthly_amount"] == "300.00"
    assert len(shown["stipends"]) == 3 and [v["result"] for v in shown["visits"]] == ["良好"]
    body = text_of(response)
    for identifier in (*CHILD_IDENTIFIERS, child.masked_name, "江海街", "奶奶", "振兴区妇联"):
        assert identifier not in body, identifier
    # The officers' endpoints do not show her the child, even masked.
    assert client.get(PAIRINGS).json()["results"] == []
    assert client.get(STIPENDS).json()["results"] == []
    assert client.get(f"{PAIRINGS}{pairing.pk}/").status_code == 404
    assert client.get(f"{PEOPLE}{child.pk}/").status_code == 404
    # And an officer has no pairings of her own as a sponsor.
    assert api(tree.county_officer).get(SPONSOR).json()["results"] == []


# Constant queries -----------------------------------------------------------------------------


def queries_for(client, url) -> tuple[int, int]:
    """(queries, rows) of one page, after a first request (the caller's scope is read once)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


def test_the_people_list_costs_the_same_for_one_row_or_many(tree):
    register_child(tree)
    client = api(tree.county_officer)
    one, rows = queries_for(client, PEOPLE)
    assert rows == 1
    for n in range(2, 8):
        register_child(tree, name=f"孩子{n}", phone=f"1384150010{n}", id_number="")
    many, rows = queries_for(client, PEOPLE)
    assert rows == 7 and many == one


def test_the_stipend_list_costs_the_same_for_one_row_or_many(tree):
    fund = fund_with(tree, 100_000)
    pairing_of(tree, register_child(tree), fund, months=1)
    client = api(tree.county_officer)
    one, rows = queries_for(client, STIPENDS)
    assert rows == 1
    for n in range(2, 5):
        child = register_child(tree, name=f"孩子{n}", phone=f"1384150010{n}", id_number="")
        pairing = pairing_of(tree, child, fund, months=4)
        services.stipend_confirm(actor=tree.village_officer, stipend=pairing.stipends.first())
    many, rows = queries_for(client, STIPENDS)
    assert rows == 13 and many == one
