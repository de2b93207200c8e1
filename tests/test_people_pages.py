"""The register's pages and admin: inside her area they open, outside they are 404 and never
listed; lists and changelists run the same number of queries for 3 rows or 12; the sponsor's
page shows progress and never who the child is; a backup shows no person in plaintext."""

import os
import subprocess
from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User
from people import services
from people.choices import ConsentUse, PersonKind
from people.models import PersonAccess
from tests.conftest import postgres_program, require_or_skip
from tests.people_tree import ID_NUMBER, build_tree, fund_with, pairing_of, register_child
from tests.scope_contract import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    return build_tree()


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def woman(tree, n, federation=None, actor=None):
    return services.person_register(
        actor=actor or tree.village_officer,
        federation=federation or tree.village,
        kind=PersonKind.WOMAN,
        name=f"测试{n}",
        phone=f"1384150{n:04d}",
        consents=[ConsentUse.SPONSORSHIP],
    )


def test_her_record_opens_inside_her_area_and_the_opening_is_logged(client, tree):
    child = register_child(tree)
    page = signed_in(client, tree.county_officer).get(f"/people/{child.pk}/")
    assert page.status_code == 200 and "王小雨" in page.content.decode()
    assert 'class="service-card-qr"' in page.content.decode()  # her card, to print
    assert PersonAccess.objects.filter(person=child, user=tree.county_officer).count() == 1
    listed = client.get("/people/").content.decode()
    assert "王**" in listed and "王小雨" not in listed  # the list is masked


def test_outside_her_area_the_record_and_its_pairing_are_404_and_never_listed(client, tree):
    child = register_child(tree)
    pairing = pairing_of(tree, child, fund_with(tree, 1000))
    client = signed_in(client, tree.other_officer)
    for url in (f"/people/{child.pk}/", f"/pairings/{pairing.pk}/", f"/people/{child.pk}/pair/"):
        assert client.get(url).status_code == 404, url
    assert "王**" not in client.get("/people/").content.decode()
    assert pairing.code not in client.get("/pairings/").content.decode()
    assert client.post(f"/stipends/{pairing.stipends.first().pk}/confirm/").status_code == 404
    assert not PersonAccess.objects.exists()


def test_an_administrator_without_the_register_role_has_no_register(client, tree):
    from tests.people_tree import officer

    admin = officer(tree.county, "county-admin", role="admin")
    client = signed_in(client, admin)
    assert client.get("/people/").status_code == 404
    assert client.get("/admin/people/person/").status_code in {403, 404}


def test_the_fund_page_opens_for_her_area_and_above_it_only(client, tree):
    fund = fund_with(tree, 500)
    assert signed_in(client, tree.county_officer).get(f"/funds/{fund.pk}/").status_code == 200
    elsewhere = services.fund_open(
        actor=tree.other_officer,
        federation=tree.other_village,
        name="六道口基金",
        opened_on=date(2026, 1, 1),
    )
    assert client.get(f"/funds/{elsewhere.pk}/").status_code == 404
    assert "六道口基金" not in client.get("/funds/").content.decode()


def test_a_donation_gets_a_numbered_receipt_as_a_pdf(client, tree):
    fund = fund_with(tree, 0)
    client = signed_in(client, tree.city_officer)
    response = client.post(
        f"/funds/{fund.pk}/",
        {"donor": "丹东某爱心企业", "amount": "12000.50", "received_on": "2026-11-02"},
    )
    assert response.status_code == 302
    donation = fund.donations.get()
    receipt = client.get(f"/funds/donations/{donation.pk}/receipt/")
    assert receipt["Content-Type"] == "application/pdf" and receipt.content.startswith(b"%PDF")
    statement = client.get(f"/funds/{fund.pk}/", {"start": "2026-11-01", "end": "2026-11-30"})
    assert statement.context["statement"]["closing"] == donation.amount


def test_bad_input_is_a_clear_error_and_changes_nothing(client, tree):
    client = signed_in(client, tree.village_officer)
    response = client.post(
        "/people/new/",
        {"federation": tree.village.pk, "kind": "child", "name": "王", "id_number": "123"},
    )
    assert response.status_code == 200 and "身份证" in response.content.decode()
    response = client.post(f"/funds/{fund_with(tree, 0).pk}/", {"donor": "x", "amount": "-1"})
    assert response.status_code == 200
    from people.models import Donation, Person

    assert not Person.objects.exists() and not Donation.objects.exists()


@pytest.mark.parametrize("url", ["/people/", "/pairings/"])
def test_lists_run_constant_queries(client, tree, url):
    fund = fund_with(tree, 100_000)
    client = signed_in(client, tree.village_officer)

    def add(start, count):
        for n in range(start, start + count):
            pairing_of(tree, woman(tree, n), fund, months=1)

    add(0, 3)
    few = count_queries(lambda: client.get(url))
    add(3, 12)
    many = count_queries(lambda: client.get(url))
    assert few == many


@pytest.mark.parametrize(
    "model", ["person", "pairing", "stipend", "attendance", "fund", "donation", "payout", "sponsor"]
)
def test_admin_changelists_run_constant_queries_and_keep_to_her_area(client, tree, model):
    fund = fund_with(tree, 100_000)
    client = signed_in(client, tree.county_officer)

    def add(start, count):
        for n in range(start, start + count):
            pairing_of(tree, woman(tree, n), fund, months=1)
            services.donation_record(
                actor=tree.city_officer,
                fund=fund,
                donor=f"捐赠人{n}",
                amount=1,
                received_on=date(2026, 1, 1),
            )
            services.fund_pay(
                actor=tree.city_officer, fund=fund, kind="other", amount=1, paid_on=date(2026, 1, 2)
            )

    add(0, 3)
    url = f"/admin/people/{model}/"
    few = count_queries(lambda: client.get(url))
    add(3, 12)
    response = client.get(url)
    assert response.status_code == 200
    many = count_queries(lambda: client.get(url))
    assert few == many
    outside = woman(tree, 99, federation=tree.other_village, actor=tree.other_officer)
    if model == "person":
        shown = {obj.pk for obj in client.get(url).context["cl"].result_list}
        assert outside.pk not in shown and len(shown) == 15


def test_the_sponsor_sees_progress_never_the_child(client, tree):
    child = register_child(tree)
    pairing = pairing_of(tree, child, fund_with(tree, 10_000))
    sponsor_account = User.objects.create(username="公众138415009999", is_public=True)
    pairing.sponsor.user = sponsor_account
    pairing.sponsor.save()
    services.growth_record(
        actor=tree.village_officer,
        person=child,
        kind="school",
        on=timezone.localdate(),
        result="优秀",
    )
    page = signed_in(client, sponsor_account).get("/m/sponsor/").content.decode()
    assert pairing.code in page and "优秀" in page
    for identifier in ("王小雨", "13841500001", ID_NUMBER, "王桂兰", "江海社区", "王*"):
        assert identifier not in page
    assert client.get(f"/people/{child.pk}/").status_code == 404
    assert client.get(f"/pairings/{pairing.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_holds_no_person_s_name_phone_or_id_number():
    """The way an attacker with a backup would look: every table."""
    pg_dump = postgres_program("pg_dump")
    require_or_skip(pg_dump is not None, "PostgreSQL's pg_dump is not installed")
    tree = build_tree()
    child = register_child(tree, address="振兴区江海街12号", household="与奶奶同住")
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    command = [pg_dump, "--data-only", "--no-owner", "-U", db["USER"], "-d", db["NAME"]]
    command += ["-h", db["HOST"] or "localhost", "-p", str(db["PORT"] or 5432)]
    dump = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=True)
    assert child.card_code in dump.stdout  # the dump is real and holds her row
    for secret in ("王小雨", "13841500001", ID_NUMBER, "王桂兰", "江海街12号", "与奶奶同住"):
        assert secret not in dump.stdout


def test_women_of_a_sheet_are_insured_from_the_fund_and_a_claim_recorded(client, tree):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    fund = fund_with(tree, 1000)
    known = woman(tree, 1)
    book = Workbook()
    for row in (
        ("姓名", "手机号", "身份证号"),
        ("测试1", known.phone, ""),
        ("赵敏", "13841500012", ""),
    ):
        book.active.append(row)
    sheet = io.BytesIO()
    book.save(sheet)
    client = signed_in(client, tree.city_officer)  # the fund is the city's
    response = client.post(
        f"/funds/{fund.pk}/insure/",
        {
            "name": "2026年女性安康保险",
            "insurer": "中国人寿丹东分公司",
            "starts_on": "2026-03-01",
            "ends_on": "2027-02-28",
            "premium_per_head": "50",
            "village": tree.village.pk,
            "sheet": SimpleUploadedFile("名单.xlsx", sheet.getvalue()),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    policy = fund.policies.get()
    assert set(policy.insured.all()) >= {known} and policy.insured.count() == 2
    fund.refresh_from_db()
    assert fund.balance == 900
    response = client.post(
        f"/funds/policies/{policy.pk}/",
        {"person": known.pk, "claimed_on": "2026-06-01", "amount": "5000", "reason": "住院"},
    )
    assert response.status_code == 302 and policy.claims.get().person == known
    not_a_sheet = client.post(
        f"/funds/{fund.pk}/insure/",
        {
            "name": "再保一次",
            "insurer": "x",
            "starts_on": "2026-03-01",
            "ends_on": "2027-02-28",
            "premium_per_head": "50",
            "village": tree.village.pk,
            "sheet": SimpleUploadedFile("名单.xlsx", b"not a workbook"),
        },
    )
    assert not_a_sheet.status_code == 200 and fund.policies.count() == 1
