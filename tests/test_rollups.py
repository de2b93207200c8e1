"""The dashboards' roll-ups: kept by triggers in the same transaction, equal to the facts after
any sequence of moves through the services, rebuilt and checked by a command."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accounts.models import User
from cases.choices import CaseStatus
from cases.models import Case
from cases.services import case_close
from core.errors import ServiceError
from dashboards import rollup_upkeep, rollups
from dashboards.models import Rollup
from dashboards.selectors import dashboard, dashboard_from_facts
from federation.models import Federation
from menu.choices import OrderStatus
from menu.models import Need, ServiceOrder
from menu.services import order_deliver
from orgs.models import SocialOrganization
from projects.choices import ReportStatus
from projects.models import ProjectReport
from projects.services import report_review
from tests.conftest import EVERY_DEMO
from volunteers.choices import SignUpStatus
from volunteers.models import Opportunity, SignUp, Volunteer
from volunteers.services import hours_by_federation, hours_by_volunteer, signup_attend

pytestmark = [pytest.mark.django_db, pytest.mark.demo(*EVERY_DEMO)]


def periods():
    """Whole years, a window with partial months at both ends, and this year to today (the
    page's default)."""
    today = timezone.localdate()
    return [
        (date(2020, 1, 1), today + timedelta(days=400)),
        (today - timedelta(days=47), today + timedelta(days=13)),
        (today.replace(month=1, day=1), today),
    ]


def rolled_up_nodes():
    return [node for node in Federation.objects.order_by("path") if rollups.is_rolled_up(node)]


def assert_rollups_answer_as_the_facts(nodes, within=None):
    for node in nodes:
        for start, end in within or periods():
            assert dashboard(node, start, end) == dashboard_from_facts(node, start, end), (
                node,
                start,
                end,
            )


def test_every_rolled_up_dashboard_equals_the_facts_on_the_demo(places):
    nodes = rolled_up_nodes()
    assert {places.shandong, places.jinan, places.huaiyin, places.dongying} <= set(nodes)
    assert_rollups_answer_as_the_facts(nodes)
    assert rollup_upkeep.differences() == (0, [])


def test_the_demo_seeded_through_the_triggers_sums_as_a_rebuild_does(db):
    from tests.conftest import demo_seeders

    for seeder in demo_seeders(EVERY_DEMO):
        import_string(seeder)()
    assert rollup_upkeep.differences() == (0, [])
    assert Rollup.objects.exists()


def test_a_node_below_the_county_is_read_from_the_facts(places):
    assert not rollups.is_rolled_up(places.yingshijie)
    assert not Rollup.objects.filter(federation=places.yingshijie).exists()
    assert Rollup.objects.filter(federation=places.huaiyin).exists()


def test_a_write_changes_the_sums_in_its_own_transaction(places):
    before = dashboard(places.jinan, *periods()[0])["organizations"]["total"]
    with transaction.atomic():
        organization = SocialOrganization.objects.filter(
            guiding_federation__path__startswith=places.jinan.path
        ).first()
        organization.guiding_federation = places.dongying
        organization.save()
        assert dashboard(places.jinan, *periods()[0])["organizations"]["total"] == before - 1
        transaction.set_rollback(True)
    assert dashboard(places.jinan, *periods()[0])["organizations"]["total"] == before


def test_the_check_finds_a_wrong_sum_and_the_rebuild_mends_it(places):
    call_command("rebuild_rollups", "--check")
    Rollup.objects.filter(federation=places.shandong, figure="cases.total", grain="m").update(
        value=999
    )
    with pytest.raises(CommandError, match="汇总数与明细数据不符"):
        call_command("rebuild_rollups", "--check")
    call_command("rebuild_rollups")
    call_command("rebuild_rollups", "--check")
    assert_rollups_answer_as_the_facts([places.shandong])


def test_paused_writes_leave_the_sums_until_the_rebuild(places):
    with rollup_upkeep.paused():
        moved = SocialOrganization.objects.filter(
            guiding_federation__path__startswith=places.jinan.path
        ).update(guiding_federation=places.dongying)
    assert moved
    assert rollup_upkeep.differences()[0] > 0
    rollup_upkeep.rebuild()
    assert rollup_upkeep.differences()[0] == 0


# Random sequences of moves through the services --------------------------------------------

REFUSED = (ServiceError, PermissionDenied, ValidationError)
# 全国, 山东, 济南, 槐荫, 东营市, 东营区
WATCHED = ["100000", "370000", "370100", "370104", "370500", "370502"]


MADE = Counter()  # moves made, by service: each kind must have happened


def by_whoever_may(service, **arguments) -> None:
    """The move made by the first demo user its workflow lets make it (a refused move changes
    nothing)."""
    for user in User.objects.filter(is_active=True).order_by("pk"):
        try:
            with transaction.atomic():
                service(actor=user, **arguments)
        except REFUSED:
            continue
        MADE[service.__name__] += 1
        return


class Moves(RuleBasedStateMachine):
    """Each step makes one move; after each, every figure of every rolled-up node equals its
    brute-force count on the facts."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.give_the_moves_something_to_move()

    @staticmethod
    def give_the_moves_something_to_move():
        """The demo's scheduled orders fall due, and its volunteers have signed up for
        opportunities that have begun (set up directly: these are not the moves tested)."""
        now = timezone.now()
        ServiceOrder.objects.filter(status=OrderStatus.SCHEDULED).update(
            scheduled_at=now - timedelta(days=1)
        )
        begun = Opportunity.objects.filter(starts_at__lte=now).order_by("pk")[:3]
        for opportunity in begun:
            for volunteer in Volunteer.objects.exclude(signups__opportunity=opportunity)[:3]:
                SignUp.objects.create(
                    opportunity=opportunity, volunteer=volunteer, status=SignUpStatus.CONFIRMED
                )

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def pick(self, queryset, rng):
        candidates = list(queryset.order_by("pk")[:50])
        return rng.choice(candidates) if candidates else None

    @rule(rng=st.randoms(use_true_random=False))
    def approve_a_report(self, rng):
        pending = ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED
        report = self.pick(ProjectReport.objects.filter(status__in=pending), rng)
        if report:
            by_whoever_may(report_review, report=report, approve=True)

    @rule(rng=st.randoms(use_true_random=False), participants=st.integers(1, 40))
    def deliver_an_order(self, rng, participants):
        order = self.pick(ServiceOrder.objects.filter(status=OrderStatus.SCHEDULED), rng)
        if order:
            by_whoever_may(order_deliver, order=order, actual_participants=participants)

    @rule(rng=st.randoms(use_true_random=False))
    def close_a_case(self, rng):
        done = [CaseStatus.RESOLVED, CaseStatus.FOLLOW_UP]
        case = self.pick(Case.objects.filter(status__in=done), rng)
        if case:
            by_whoever_may(case_close, case=case, note="回访完毕")

    @rule(rng=st.randoms(use_true_random=False), hours=st.integers(1, 3))
    def confirm_hours(self, rng, hours):
        signup = self.pick(
            SignUp.objects.filter(
                status=SignUpStatus.CONFIRMED, opportunity__starts_at__lte=timezone.now()
            ),
            rng,
        )
        if signup:
            by_whoever_may(signup_attend, signup=signup, hours=hours)

    @rule(rng=st.randoms(use_true_random=False))
    def move_an_organization(self, rng):
        organization = self.pick(SocialOrganization.objects.all(), rng)
        if organization:
            organization.guiding_federation = self.pick(Federation.objects.all(), rng)
            organization.save()
            MADE["move_an_organization"] += 1

    @rule(rng=st.randoms(use_true_random=False))
    def move_a_federation(self, rng):
        """A township or county to another parent one level up (the tree stays regular)."""
        node = self.pick(Federation.objects.filter(level__in=["county", "township"]), rng)
        if node:
            above = {"county": "city", "township": "county"}[node.level]
            node.parent = self.pick(Federation.objects.filter(level=above), rng)
            node.save()
            MADE["move_a_federation"] += 1

    @invariant()
    def every_figure_equals_the_facts(self):
        # every sum of every node against the facts (one query) …
        assert rollup_upkeep.differences() == (0, [])
        # … and the dashboards read from them, where the demo's facts are
        watched = Federation.objects.filter(division_code__in=WATCHED, kind="regional")
        assert_rollups_answer_as_the_facts(watched, periods()[:2])


def test_random_moves_keep_every_figure_equal_to_the_facts(places):
    run_state_machine_as_test(
        Moves,
        settings=settings(
            max_examples=5,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert set(MADE) == {
        "report_review",
        "order_deliver",
        "case_close",
        "signup_attend",
        "move_an_organization",
        "move_a_federation",
    }
    # the sums left by the moves were rolled back with them
    assert rollup_upkeep.differences()[0] == 0


def test_a_moved_federation_carries_its_subtree_s_sums(places):
    before = {
        node: dashboard(node, *periods()[0])
        for node in (places.jinan, places.dongying_city, places.shandong)
    }
    places.huaiyin.parent = places.dongying_city
    places.huaiyin.save()
    jinan, dongying_city = (
        dashboard(n, *periods()[0]) for n in (places.jinan, places.dongying_city)
    )
    moved = before[places.jinan]["volunteers"]["volunteers"] - jinan["volunteers"]["volunteers"]
    assert moved > 0
    assert (
        dongying_city["volunteers"]["volunteers"]
        == before[places.dongying_city]["volunteers"]["volunteers"] + moved
    )
    assert dashboard(places.shandong, *periods()[0]) == before[places.shandong] | {
        "children": dashboard(places.shandong, *periods()[0])["children"]
    }
    assert rollup_upkeep.differences()[0] == 0


def test_connection_is_not_left_paused(places):
    with rollup_upkeep.paused():
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT rollup_paused()")
        assert cursor.fetchone()[0] is False


def test_the_hours_page_ranks_as_the_facts_do(admin_client_as, places):
    year = timezone.localdate().year
    response = admin_client_as("jinan").get(
        "/volunteers/hours/", {"start": f"{year}-01-01", "end": f"{year}-12-31"}
    )
    whole_year = (date(year, 1, 1), date(year, 12, 31))
    expected = list(hours_by_volunteer(places.jinan, *whole_year)[:50])
    assert expected, "the demo's volunteers of 济南 have hours this year"
    assert response.context["by_volunteer"] == expected
    assert response.context["by_federation"] == hours_by_federation(places.jinan, *whole_year)
    assert f"{year}" in response.content.decode()


def test_the_volunteers_ranking_is_of_the_period_s_whole_year(admin_client_as, places):
    year = timezone.localdate().year
    response = admin_client_as("jinan").get(
        "/volunteers/hours/", {"start": f"{year}-02-01", "end": f"{year}-02-02"}
    )
    whole_year = (date(year, 1, 1), date(year, 12, 31))
    assert response.context["by_volunteer"] == list(
        hours_by_volunteer(places.jinan, *whole_year)[:50]
    )
    assert response.context["by_federation"] == hours_by_federation(
        places.jinan, date(year, 2, 1), date(year, 2, 2)
    )


def test_the_public_s_figures_sum_as_the_facts_do(places, user_named, workshop):
    """Needs posted by the public and answered, volunteers who registered themselves and
    checked in by the QR code (issue 15)."""
    from menu import services as menu
    from tests.factories import need_answered_and_delivered
    from tests.test_public_needs import post, public_user
    from tests.test_public_volunteers import applied, opportunity_at
    from volunteers import services as volunteers

    community = Federation.objects.get(division_code="370104006001")
    before = dashboard(places.huaiyin, *periods()[0])  # the demo's pending need and applicant
    woman = public_user("13900000071")
    need = post(woman, community)
    menu.need_publish(actor=user_named("huaiyin"), need=need)
    need_answered_and_delivered(Need.objects.get(pk=need.pk), user_named, workshop)
    duplicate = post(public_user("13900000072"), community)
    menu.need_merge(actor=user_named("huaiyin"), need=duplicate, into=need)
    registered = applied(woman, community)
    volunteers.volunteer_approve(actor=user_named("huaiyin"), volunteer=registered)
    applied(public_user("13900000073"), community)  # waiting: counted as registered
    opportunity = opportunity_at(community, starts_in=timedelta(minutes=10))
    volunteers.signup_create(actor=woman, opportunity=opportunity)
    volunteers.signup_scan(actor=woman, token=volunteers.check_in_token(opportunity))
    figures = dashboard(places.huaiyin, *periods()[0])
    gained = {
        "public needs": figures["menu"]["needs_by_source"]["public"]
        - before["menu"]["needs_by_source"]["public"],
        "self-registered": figures["volunteers"]["self_registered"]
        - before["volunteers"]["self_registered"],
        "check-ins": figures["volunteers"]["check_ins"] - before["volunteers"]["check_ins"],
    }
    assert gained == {"public needs": 1, "self-registered": 2, "check-ins": 1}
    assert figures["menu"]["average_days_to_answer"] is not None
    assert_rollups_answer_as_the_facts(rolled_up_nodes())
    assert rollup_upkeep.differences() == (0, [])
