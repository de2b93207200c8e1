"""The workbench (工作台): each role's waiting work as counts that link to where it is done, on
the admin's index and the portal's home, in a constant number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboards.workbench import workbench
from orgs.models import SocialOrganization
from tests.factories import ProjectFactory, huaiyin_orders
from tests.scope_contract import count_queries

pytestmark = [pytest.mark.django_db, pytest.mark.demo("cases", "menu", "volunteers")]

TOMORROW = timezone.localdate() + timedelta(days=1)
JINAN_ORG = "济南市女性社会组织联合会"


def submitted_reports(places, how_many):
    for _number in range(how_many):
        project = ProjectFactory(
            funder=places.jinan, implementer=SocialOrganization.objects.get(name=JINAN_ORG)
        )
        project.reports.update(status="submitted")


def order_of(workshop, places, user_named):
    return huaiyin_orders(workshop, places.huaiyin)


def counts(user) -> dict:
    return {str(item.label): item.count for item in workbench(user)}


def test_the_federations_workbench_counts_its_reports_to_review(
    admin_client_as, places, user_named
):
    before = counts(user_named("jinan"))["待审核报告"]
    submitted_reports(places, 2)
    assert counts(user_named("jinan"))["待审核报告"] == before + 2
    page = admin_client_as("jinan").get("/admin/").content.decode()
    assert 'id="workbench"' in page and "待审核报告" in page
    assert "/admin/projects/projectreport/?status__in=submitted%2Cresubmitted" in page
    # Another funder's reviewer has none of these.
    assert "待审核报告" not in counts(user_named("dongying"))


def test_the_organizations_workbench_counts_orders_to_accept(client, places, user_named, workshop):
    order_of(workshop, places, user_named)
    assert counts(user_named("jinan-org"))["待接单"] >= 1
    client.force_login(user_named("jinan-org"))
    page = client.get("/portal/").content.decode()
    assert 'id="workbench"' in page and "/menu/orders/?status=requested" in page


def test_the_case_workers_workbench(user_named):
    work = counts(user_named("dongying-worker"))
    assert {"一天内到期的个案", "待回访"} <= set(work)
    assert "待研判或分派的个案" in counts(user_named("dongying"))


def test_the_workbench_takes_the_same_queries_however_much_work(places, user_named, workshop):
    jinan = user_named("jinan")
    submitted_reports(places, 1)
    few = count_queries(lambda: workbench(jinan))
    submitted_reports(places, 5)
    for _number in range(3):
        order_of(workshop, places, user_named)
    jinan = user_named("jinan")  # a fresh user: her scope is read again, as per request
    assert count_queries(lambda: workbench(jinan)) == few
