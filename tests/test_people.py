"""The register of people served, one-to-one sponsorship, special funds and insurance."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from core.errors import InvalidTransition, NotAllowed, ServiceError
from dashboards import rollup_upkeep
from dashboards.selectors import dashboard, dashboard_from_facts
from menu.choices import OrderStatus
from menu.models import ServiceOrder
from orgs.models import ServiceDomain, TargetGroup
from people import services
from people.choices import ConsentUse, PayoutKind, StipendStatus
from people.models import Attendance, Person, PersonAccess, Stipend, StipendCheck
from projects.models import Activity
from tests.factories import ProjectFactory
from tests.people_tree import ID_NUMBER, build_tree, fund_with, officer, pairing_of, register_child
from tests.races import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    return build_tree()


# The register --------------------------------------------------------------------------------


def test_search_before_create_finds_her_by_phone_or_id_number_through_the_keyed_hash(tree):
    child = register_child(tree)
    officer = tree.county_officer
    assert list(services.person_find(actor=officer, phone="+86 138-4150-0001")) == [child]
    assert list(services.person_find(actor=officer, id_number=ID_NUMBER.lower())) == [child]
    assert not services.person_find(actor=officer, phone="13800000000").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone, id_number, phone_hash FROM people_person")
        stored = cursor.fetchone()
    assert "王小雨" not in stored[0] and "13841500001" not in stored[1]
    assert ID_NUMBER not in stored[2] and stored[3] == child.phone_hash


def test_the_same_person_is_not_registered_twice_even_elsewhere(tree):
    register_child(tree)
    with pytest.raises(ServiceError, match="已登记"):
        register_child(tree, phone="", name="王小雨")
    with pytest.raises(ServiceError, match="其他妇联"):
        register_child(tree, actor=tree.other_officer, federation=tree.other_village, id_number="")
    assert Person.objects.count() == 1


def test_only_the_register_officers_of_her_area_see_and_open_her(tree):
    child = register_child(tree)
    admin = officer(tree.county, "county-admin", role="admin")
    assert Person.objects.visible_to(tree.county_officer).filter(pk=child.pk).exists()
    assert not Person.objects.visible_to(tree.other_officer).exists()
    assert not Person.objects.visible_to(admin).exists()  # not the administrator's role
    services.person_open(actor=tree.county_officer, person=child)
    with pytest.raises(NotAllowed):
        services.person_open(actor=tree.other_officer, person=child)
    assert list(PersonAccess.objects.values_list("user__username", flat=True)) == ["county-officer"]


def test_a_person_is_kept_at_a_village(tree):
    with pytest.raises(ServiceError):
        register_child(tree, federation=tree.township, actor=tree.county_officer)


def test_a_wrong_id_number_is_refused_with_a_clear_error(tree):
    with pytest.raises(ServiceError, match="校验码"):
        register_child(tree, id_number="210603201501010024")
    assert not Person.objects.exists()


# Unique persons and person-times -------------------------------------------------------------


def test_two_projects_and_an_order_count_her_three_times_and_once(tree):
    woman = register_child(
        tree,
        kind="woman",
        name="李秀英",
        id_number="",
        phone="13841500002",
        target_groups=[TargetGroup.objects.get_or_create(name="困境妇女")[0]],
    )
    domain = ServiceDomain.objects.get_or_create(name="家庭教育")[0]
    activities = [
        Activity.objects.create(
            project=ProjectFactory(funder=tree.county, domain=domain),
            title=f"活动{n}",
            held_on=date(2026, 3, n),
        )
        for n in (1, 2)
    ]
    order = ServiceOrder.objects.create(
        federation=tree.village,
        title="家庭教育讲座",
        domain=domain,
        window_start=date(2026, 3, 5),
        window_end=date(2026, 3, 9),
        expected_participants=20,
        status=OrderStatus.DELIVERED,
        requested_by=tree.village_officer,
    )
    for activity in activities:
        services.attendance_take(actor=tree.village_officer, people=[woman], activity=activity)
    services.attendance_take(actor=tree.village_officer, people=[woman], order=order)
    # taken twice, counted once
    assert services.attendance_take(actor=tree.village_officer, people=[woman], order=order) == 0
    served = Attendance.objects.filter(person__federation__path__startswith=tree.county.path)
    assert served.count() == 3
    assert served.values("person").distinct().count() == 1
    # the dashboard shows both, from the roll-ups (the county) and from the facts (the village)
    march = (date(2026, 3, 1), date(2026, 3, 31))
    for node in (tree.county, tree.city, tree.village):
        figures = dashboard(node, *march)["people"]
        assert (figures["unique_served"], figures["person_times"]) == (1, 3)
        assert figures["served_by_target_group"] == {"困境妇女": 1}
        assert figures == dashboard_from_facts(node, *march)["people"]
    assert (
        dashboard(tree.county, date(2026, 3, 2), date(2026, 3, 31))["people"]["person_times"] == 2
    )
    assert rollup_upkeep.differences() == (0, [])


def test_attendance_by_service_card_and_not_before_the_order_is_delivered(tree):
    child = register_child(tree)
    domain = ServiceDomain.objects.get_or_create(name="儿童关爱")[0]
    order = ServiceOrder.objects.create(
        federation=tree.village,
        title="暑期托管",
        domain=domain,
        window_start=date(2026, 7, 1),
        window_end=date(2026, 7, 9),
        expected_participants=20,
        requested_by=tree.village_officer,
    )
    with pytest.raises(ServiceError):
        services.attendance_by_card(
            actor=tree.village_officer, card_code=child.card_code, order=order
        )
    order.status = OrderStatus.DELIVERED
    order.save()
    found = services.attendance_by_card(
        actor=tree.village_officer, card_code=child.card_code.lower(), order=order
    )
    assert found == child and child.attendances.get().method == "card"
    with pytest.raises(ServiceError):
        services.attendance_by_card(
            actor=tree.other_officer, card_code=child.card_code, order=order
        )


# Stipends: three checks ----------------------------------------------------------------------


@pytest.fixture
def stipend(tree):
    child = register_child(tree)
    pairing = pairing_of(tree, child, fund_with(tree, 10_000))
    assert pairing.stipends.count() == 3
    return pairing.stipends.first()


def test_a_stipend_passes_three_checks_by_three_people_and_is_paid_from_the_fund(tree, stipend):
    services.stipend_confirm(actor=tree.village_officer, stipend=stipend)
    services.stipend_check(actor=tree.county_officer, stipend=stipend)
    paid = services.stipend_release(actor=tree.city_officer, stipend=stipend)
    assert paid.status == StipendStatus.PAID
    assert paid.payout.kind == PayoutKind.STIPEND and paid.payout.amount == Decimal("300")
    paid.pairing.fund.refresh_from_db()
    assert paid.pairing.fund.balance == Decimal("9700")
    assert list(StipendCheck.objects.values_list("move", "by__username")) == [
        ("confirm", "village-officer"),
        ("check", "county-officer"),
        ("release", "city-officer"),
    ]


def test_a_stipend_cannot_be_released_before_the_village_and_the_county(tree, stipend):
    with pytest.raises(InvalidTransition):
        services.stipend_release(actor=tree.city_officer, stipend=stipend)
    with pytest.raises(InvalidTransition):
        services.stipend_check(actor=tree.county_officer, stipend=stipend)
    services.stipend_confirm(actor=tree.village_officer, stipend=stipend)
    with pytest.raises(InvalidTransition):
        services.stipend_release(actor=tree.city_officer, stipend=stipend)
    stipend.refresh_from_db()
    assert stipend.status == StipendStatus.VILLAGE_CONFIRMED and stipend.payout is None


def test_each_level_checks_only_its_own_step(tree, stipend):
    with pytest.raises(NotAllowed):
        services.stipend_confirm(actor=tree.county_officer, stipend=stipend)
    with pytest.raises(NotAllowed):
        services.stipend_confirm(actor=tree.other_officer, stipend=stipend)
    services.stipend_confirm(actor=tree.village_officer, stipend=stipend)
    with pytest.raises(NotAllowed):
        services.stipend_check(actor=tree.city_officer, stipend=stipend)


def test_one_person_cannot_make_two_checks_even_holding_both_levels(tree, stipend):
    both = officer(tree.village, "both-levels")
    from federation.models import StaffMembership

    StaffMembership.objects.create(user=both, federation=tree.county, role="beneficiary_officer")
    services.stipend_confirm(actor=both, stipend=stipend)
    with pytest.raises(NotAllowed, match="不同的人"):
        services.stipend_check(actor=both, stipend=stipend)
    services.stipend_check(actor=tree.county_officer, stipend=stipend)
    StaffMembership.objects.create(
        user=tree.county_officer, federation=tree.city, role="beneficiary_officer"
    )
    del tree.county_officer._scope_cache  # her scope, read again with the new role
    with pytest.raises(NotAllowed, match="不同的人"):
        services.stipend_release(actor=tree.county_officer, stipend=stipend)


def test_a_returned_check_goes_back_to_the_village_with_its_reason(tree, stipend):
    services.stipend_confirm(actor=tree.village_officer, stipend=stipend)
    with pytest.raises(ServiceError):
        services.stipend_return(actor=tree.county_officer, stipend=stipend, reason=" ")
    returned = services.stipend_return(
        actor=tree.county_officer, stipend=stipend, reason="缺少监护人签字的领取凭证"
    )
    assert returned.status == StipendStatus.RETURNED
    assert returned.return_reason == "缺少监护人签字的领取凭证"
    assert returned.village_confirmed_by is None
    with pytest.raises(InvalidTransition):
        services.stipend_check(actor=tree.county_officer, stipend=returned)
    services.stipend_confirm(actor=tree.village_officer, stipend=returned)
    services.stipend_check(actor=tree.county_officer, stipend=returned)
    services.stipend_return(actor=tree.city_officer, stipend=returned, reason="金额与协议不符")
    returned.refresh_from_db()
    assert returned.status == StipendStatus.RETURNED and returned.payout is None
    moves = list(StipendCheck.objects.values_list("move", flat=True))
    assert moves == ["confirm", "return", "confirm", "check", "return"]


def test_a_village_cannot_return_and_a_paid_stipend_cannot_move(tree, stipend):
    services.stipend_confirm(actor=tree.village_officer, stipend=stipend)
    with pytest.raises(NotAllowed):
        services.stipend_return(actor=tree.village_officer, stipend=stipend, reason="x")
    services.stipend_check(actor=tree.county_officer, stipend=stipend)
    services.stipend_release(actor=tree.city_officer, stipend=stipend)
    makers = {
        "confirm": tree.village_officer,
        "check": tree.county_officer,
        "release": tree.city_officer,
        "return": tree.county_officer,
        "cancel": tree.county_officer,
    }
    for move, actor in makers.items():
        with pytest.raises(InvalidTransition):
            services.stipend_move(move, actor=actor, stipend=stipend, reason="x")


def test_a_stipend_the_fund_cannot_cover_is_not_released(tree):
    child = register_child(tree)
    pairing = pairing_of(tree, child, fund_with(tree, 100))
    stipend = pairing.stipends.first()
    services.stipend_confirm(actor=tree.village_officer, stipend=stipend)
    services.stipend_check(actor=tree.county_officer, stipend=stipend)
    with pytest.raises(ServiceError, match="余额"):
        services.stipend_release(actor=tree.city_officer, stipend=stipend)
    stipend.refresh_from_db()
    assert stipend.status == StipendStatus.COUNTY_CHECKED


def test_ending_a_pairing_cancels_its_stipends_not_yet_checked(tree, stipend):
    services.stipend_confirm(actor=tree.village_officer, stipend=stipend)
    pairing = stipend.pairing
    with pytest.raises(ServiceError):
        services.pairing_end(actor=tree.county_officer, pairing=pairing, reason="")
    with pytest.raises(NotAllowed):
        services.pairing_end(actor=tree.village_officer, pairing=pairing, reason="升学")
    services.pairing_end(
        actor=tree.county_officer, pairing=pairing, reason="考入大学，结对圆满结束"
    )
    statuses = sorted(pairing.stipends.values_list("status", flat=True))
    assert statuses == ["cancelled", "cancelled", "village_confirmed"]
    with pytest.raises(InvalidTransition):
        services.pairing_end(actor=tree.county_officer, pairing=pairing, reason="again")


def test_a_pairing_needs_her_consent_and_a_fund_above_her(tree):
    child = register_child(tree, consents=[ConsentUse.SERVICES])
    fund = fund_with(tree, 1000)
    with pytest.raises(ServiceError, match="同意"):
        pairing_of(tree, child, fund)
    services.consent_give(actor=tree.village_officer, person=child, use=ConsentUse.SPONSORSHIP)
    elsewhere = services.fund_open(
        actor=tree.other_officer,
        federation=tree.other_village,
        name="别村基金",
        opened_on=date(2026, 1, 1),
    )
    with pytest.raises(ServiceError):
        pairing_of(tree, child, elsewhere)
    with pytest.raises(NotAllowed):
        services.pairing_create(
            actor=tree.village_officer,
            person=child,
            sponsor=None,
            fund=fund,
            monthly_amount=100,
            months=1,
            starts_on=date(2026, 1, 1),
            village_contact=tree.village_officer,
        )
    assert pairing_of(tree, child, fund).stipends.count() == 3


# Funds ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_twenty_payouts_at_once_against_a_balance_for_five(commits_at_once):
    tree = build_tree()
    fund = fund_with(tree, 500)
    refusals = []

    def pay():
        services.fund_pay(
            actor=tree.city_officer,
            fund=fund,
            kind=PayoutKind.OTHER,
            amount=100,
            paid_on=date(2026, 2, 1),
        )

    assert race(20, pay, refusals) == 5
    assert len(refusals) == 15
    fund.refresh_from_db()
    assert fund.balance == 0 and fund.payouts.count() == 5
    statement = services.fund_statement(fund, date(2026, 1, 1), date(2026, 12, 31))
    assert statement["opening"] == 0 and statement["raised"] == Decimal("500")
    assert statement["spent"] == Decimal("500") and statement["closing"] == fund.balance


def test_a_statement_reconciles_to_the_cent_across_periods(tree):
    fund = fund_with(tree, Decimal("1000.10"))
    actor = tree.city_officer
    services.donation_record(
        actor=actor,
        fund=fund,
        donor="春蕾爱心人士",
        amount=Decimal("0.35"),
        received_on=date(2026, 2, 3),
    )
    for day, amount in ((10, "333.33"), (20, "0.01")):
        services.fund_pay(
            actor=actor, fund=fund, kind=PayoutKind.OTHER, amount=amount, paid_on=date(2026, 2, day)
        )
    fund.refresh_from_db()
    january = services.fund_statement(fund, date(2026, 1, 1), date(2026, 1, 31))
    february = services.fund_statement(fund, date(2026, 2, 1), date(2026, 2, 28))
    assert january["closing"] == february["opening"] == Decimal("1000.10")
    assert february["closing"] == Decimal("667.11") == fund.balance == services.ledger_balance(fund)
    assert [d.receipt_number for d in fund.donations.order_by("pk")] == [
        f"2026-{fund.pk:04d}-00001",
        f"2026-{fund.pk:04d}-00002",
    ]


def test_money_is_never_negative_nor_kept_by_others(tree):
    fund = fund_with(tree, 10)
    with pytest.raises(ServiceError):
        services.donation_record(
            actor=tree.city_officer, fund=fund, donor="x", amount=0, received_on=date(2026, 1, 1)
        )
    with pytest.raises(NotAllowed):
        services.fund_pay(
            actor=tree.other_officer, fund=fund, kind="other", amount=1, paid_on=date(2026, 1, 1)
        )


# Insurance and the growth archive ------------------------------------------------------------


def test_a_policy_pays_its_premiums_for_a_list_of_women_and_records_claims(tree):
    fund = fund_with(tree, 1000)
    rows = [("张丽", "13841500011", ""), ("赵敏", "13841500012", ""), ("张丽", "13841500011", "")]
    women = services.people_from_rows(
        actor=tree.village_officer, federation=tree.village, rows=rows
    )
    assert len({w.pk for w in women}) == 2  # the same woman twice in the list is one person
    policy = services.policy_buy(
        actor=tree.city_officer,
        fund=fund,
        name="2026年女性安康保险",
        insurer="中国人寿丹东分公司",
        starts_on=date(2026, 3, 1),
        ends_on=date(2027, 2, 28),
        premium_per_head=Decimal("50"),
        people=women,
    )
    fund.refresh_from_db()
    assert fund.balance == Decimal("900") and policy.insured.count() == 2
    claim = services.claim_record(
        actor=tree.village_officer,
        policy=policy,
        person=women[0],
        claimed_on=date(2026, 6, 1),
        amount=5000,
        reason="乳腺癌确诊",
    )
    assert claim.amount == 5000
    stranger = register_child(tree, name="路人", phone="13841500013", id_number="")
    with pytest.raises(ServiceError):
        services.claim_record(
            actor=tree.village_officer,
            policy=policy,
            person=stranger,
            claimed_on=date(2026, 6, 1),
            amount=1,
        )


def test_a_visit_with_a_photo_needs_consent_to_photos(tree, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.upload_files import jpeg_bytes

    def jpeg_upload():
        return SimpleUploadedFile("探访.jpg", jpeg_bytes(), content_type="image/jpeg")

    settings.MEDIA_ROOT = tmp_path
    child = register_child(tree, consents=[ConsentUse.SPONSORSHIP])
    with pytest.raises(ServiceError):
        services.growth_record(
            actor=tree.village_officer,
            person=child,
            kind="visit",
            on=date(2026, 3, 1),
            photo=jpeg_upload(),
        )
    services.consent_give(actor=tree.village_officer, person=child, use=ConsentUse.PHOTOS)
    entry = services.growth_record(
        actor=tree.village_officer,
        person=child,
        kind="visit",
        on=date(2026, 3, 1),
        notes="孩子在奶奶家，学习用品已送到",
        photo=jpeg_upload(),
    )
    assert entry.photo.name.endswith(".jpg")


def test_a_visit_reminder_goes_to_the_village_contact_once(tree):
    from notifications.models import Notification
    from people.tasks import remind_visits

    child = register_child(tree)
    pairing = pairing_of(tree, child, fund_with(tree, 1000))
    due_day = pairing.starts_on + timedelta(days=pairing.visit_every_days)
    assert remind_visits((due_day - timedelta(days=10)).isoformat()) == 0
    assert remind_visits((due_day - timedelta(days=3)).isoformat()) == 1
    assert remind_visits((due_day - timedelta(days=2)).isoformat()) == 0
    notice = Notification.objects.get(user=tree.village_officer)
    assert pairing.code in notice.title and "王" not in notice.title


def test_the_sponsor_sees_progress_never_the_child(tree, stipend):
    from people.services import pairing_for_sponsor

    shown = str(pairing_for_sponsor(stipend.pairing))
    for identifier in ("王小雨", "13841500001", ID_NUMBER, "王桂兰", "江海社区"):
        assert identifier not in shown
    assert stipend.pairing.code in shown


def test_stipends_late_are_those_unpaid_past_their_date(tree, stipend):
    late = services.stipends_late(
        Stipend.objects.all(), today=timezone.localdate() + timedelta(days=40)
    )
    assert late.count() == 2


def test_a_month_to_come_is_not_confirmed_before_it_is_due(tree, stipend):
    later = stipend.pairing.stipends.order_by("due_on").last()
    with pytest.raises(ServiceError):
        services.stipend_confirm(actor=tree.village_officer, stipend=later)
    later.refresh_from_db()
    assert later.status == StipendStatus.SCHEDULED


def test_a_pairing_is_refused_absurd_lengths_and_dates(tree):
    child = register_child(tree)
    fund = fund_with(tree, 1000)
    for months, starts_on in (
        (0, date(2026, 1, 1)),
        (241, date(2026, 1, 1)),
        (1, date(9999, 1, 1)),
    ):
        with pytest.raises(ServiceError):
            services.pairing_create(
                actor=tree.county_officer,
                person=child,
                sponsor=services.sponsor_add(
                    actor=tree.county_officer, federation=tree.county, kind="person", name="x"
                ),
                fund=fund,
                monthly_amount=100,
                months=months,
                starts_on=starts_on,
                village_contact=tree.village_officer,
            )


def test_she_is_not_paired_twice_at_once(tree, stipend):
    with pytest.raises(ServiceError, match="进行中的结对"):
        pairing_of(tree, stipend.pairing.person, stipend.pairing.fund)
    services.pairing_end(actor=tree.county_officer, pairing=stipend.pairing, reason="换帮扶人")
    assert pairing_of(tree, stipend.pairing.person, stipend.pairing.fund).status == "active"


def test_a_woman_is_not_insured_twice_for_the_same_dates(tree):
    fund = fund_with(tree, 1000)
    her = services.people_from_rows(
        actor=tree.city_officer, federation=tree.village, rows=[("张丽", "13841500011", "")]
    )
    cover = {
        "actor": tree.city_officer,
        "fund": fund,
        "insurer": "中国人寿",
        "premium_per_head": 50,
        "people": her,
    }
    services.policy_buy(
        name="2026年", starts_on=date(2026, 3, 1), ends_on=date(2027, 2, 28), **cover
    )
    with pytest.raises(ServiceError, match="张"):
        services.policy_buy(
            name="再保", starts_on=date(2026, 6, 1), ends_on=date(2027, 5, 31), **cover
        )
    services.policy_buy(
        name="2027年", starts_on=date(2027, 3, 1), ends_on=date(2028, 2, 28), **cover
    )
    fund.refresh_from_db()
    assert fund.balance == 900
