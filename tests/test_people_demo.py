"""The demo of the register: 丹东's 一对一直通车 with its three checks, 福州's funds and insurance,
济南's women served more than once; loaded idempotently."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Count

from accounts.models import User
from federation.choices import Role
from federation.models import Federation, StaffMembership
from people import demo as people_demo
from people import services
from people.choices import PairingStatus, PayoutKind, StipendStatus
from people.models import Attendance, Claim, Fund, Insured, Person, Stipend, StipendCheck

pytestmark = [pytest.mark.django_db, pytest.mark.demo("people")]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"people", "accounts", "federation", "volunteers"}
    }


def fund_named(name) -> Fund:
    return Fund.objects.get(name=name)


def test_seeding_again_adds_nothing(demo):
    before = row_counts()
    balances = dict(Fund.objects.values_list("name", "balance"))
    people_demo.seed()
    assert row_counts() == before
    assert dict(Fund.objects.values_list("name", "balance")) == balances


def test_the_officers_hold_approved_roles_at_three_levels(demo):
    where = {}
    for username in ("dandong-village", "dandong-county", "dandong-city", "huaiyin-officer"):
        membership = StaffMembership.objects.effective().get(user__username=username)
        assert membership.role == Role.BENEFICIARY_OFFICER
        assert membership.granted_by and membership.approved_by
        assert membership.granted_by != membership.approved_by
        where[username] = membership.federation.level
    assert where == {
        "dandong-village": "village",
        "dandong-county": "county",
        "dandong-city": "city",
        "huaiyin-officer": "county",
    }
    assert list(Federation.objects.get(division_code="210682118201").ancestors())[-3:] == [
        Federation.objects.get(division_code=code) for code in ("210600", "210682", "210682118")
    ]


def test_a_paid_stipend_was_checked_by_three_different_people(demo):
    paid = Stipend.objects.filter(status=StipendStatus.PAID).select_related("payout")
    assert paid.count() > 5
    stipend = paid.first()
    checkers = {stipend.village_confirmed_by, stipend.county_checked_by, stipend.released_by}
    assert {user.username for user in checkers} == {
        "dandong-village",
        "dandong-county",
        "dandong-city",
    }
    assert stipend.payout.kind == PayoutKind.STIPEND and stipend.payout.amount == stipend.amount
    moves = list(stipend.checks.values_list("move", "by__username"))
    assert moves == [
        ("confirm", "dandong-village"),
        ("check", "dandong-county"),
        ("release", "dandong-city"),
    ]
    assert stipend.pairing.status == PairingStatus.ACTIVE
    assert stipend.pairing.stipends.count() == 12


def test_exactly_one_stipend_is_returned_with_its_reason(demo):
    returned = Stipend.objects.get(status=StipendStatus.RETURNED)
    assert "银行卡已注销" in returned.return_reason
    check = StipendCheck.objects.get(stipend=returned, move="return")
    assert check.reason == returned.return_reason and check.by.username == "dandong-city"
    assert returned.payout is None


def test_some_stipends_wait_at_each_level(demo):
    today = people_demo.timezone.localdate()
    waiting = set(
        Stipend.objects.filter(due_on__lte=today)
        .exclude(status__in=[StipendStatus.PAID, StipendStatus.RETURNED])
        .values_list("status", flat=True)
    )
    assert waiting == {
        StipendStatus.SCHEDULED,
        StipendStatus.VILLAGE_CONFIRMED,
        StipendStatus.COUNTY_CHECKED,
    }


def test_every_funds_balance_is_its_ledgers(demo):
    dandong = fund_named("一对一直通车助学基金")
    assert dandong.federation.division_code == "210600"
    assert dandong.balance == services.ledger_balance(dandong) > 0
    assert dandong.payouts.filter(kind=PayoutKind.STIPEND).count() == (
        Stipend.objects.filter(pairing__fund=dandong, status=StipendStatus.PAID).count()
    )
    for fund in Fund.objects.all():
        assert fund.balance == services.ledger_balance(fund), fund.name


def test_fuzhou_funds_follow_the_report(demo):
    chunlei = fund_named("春蕾计划助学基金")
    raised = sum(chunlei.donations.values_list("amount", flat=True))
    assert raised == Decimal("2616700")  # 募集助学金261.67万元
    assert chunlei.donations.exclude(restricted_to="").exists()
    kinds = set(
        Fund.objects.filter(federation__division_code="350100")
        .values_list("payouts__kind", flat=True)
        .distinct()
    )
    assert {PayoutKind.PROJECT, PayoutKind.OTHER, PayoutKind.PREMIUM} <= kinds
    insured = Insured.objects.filter(policy__fund__name="女性安康保险专项资金")
    assert insured.count() == 5
    assert {row.person.federation.division_code for row in insured} == {"350121001211"}
    assert Claim.objects.get().person in [row.person for row in insured]


def test_jinan_has_women_served_more_than_once(demo):
    jinan = Federation.objects.get(division_code="370100")
    served = Attendance.objects.filter(person__federation__path__startswith=jinan.path)
    times = served.values("person").annotate(n=Count("pk"))
    assert max(row["n"] for row in times) > 1
    assert len(times) < served.count()  # unique persons < person-times
    assert served.filter(activity__isnull=False).exists()
    assert served.filter(order__isnull=False).exists()
    became = Person.objects.filter(volunteer__isnull=False)
    assert became.count() == 2 and all(p.volunteer.former_beneficiary for p in became)


def test_the_demo_logins_are_listed(demo):
    from accounts.management.commands.seed_demo import DEMO_LOGINS

    listed = {username for username, _what in DEMO_LOGINS}
    for username, *_rest in people_demo.DEMO_USERS:
        assert username in listed
        assert User.objects.get(username=username).check_password("demo-pass-2026")
