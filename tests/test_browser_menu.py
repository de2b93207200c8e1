"""In a real browser: 槐荫区妇联 orders 汽车故障速解工坊 for a community and charges the city's
project; the organization accepts, schedules and delivers it; 槐荫区 rates it — and the project
has one more delivered activity."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from federation.models import Federation
from menu.models import ServiceOrder
from projects.models import Project
from tests.conftest import ARTIFACTS, open_top_bar, sign_in_to_admin, sign_in_to_portal
from tests.factories import the_day_comes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.demo("menu"),
]

PHONE = {"width": 375, "height": 812}


def shoot(page, name):
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}-375.png"), full_page=True)


def test_order_accept_schedule_deliver_and_rate(live_server, demo, browser, eager_tasks):
    project = Project.objects.get(code="JN-2024-001")
    community = Federation.objects.get(division_code="370104006001")
    day = timezone.localdate() + timedelta(days=2)
    activities_before = project.activities.count()

    federation = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    sign_in_to_admin(federation, live_server.url, "huaiyin")
    federation.click("#header a.platform-link:has-text('服务菜单')")
    federation.fill("#id_q", "汽车")
    federation.click("#menu-filters button[type=submit]")
    shoot(federation, "menu-browse")
    federation.click("#menu-items a:has-text('汽车故障速解工坊')")
    federation.select_option("#id_federation", str(community.pk))
    federation.fill("#id_window_start", day.isoformat())
    federation.fill("#id_window_end", (day + timedelta(days=5)).isoformat())
    federation.fill("#id_expected_participants", "15")
    federation.select_option("#id_project", str(project.pk))
    shoot(federation, "menu-order-form")
    federation.click("#order-form button[type=submit]")
    assert federation.locator("#order-status").inner_text() == "已点单"
    order = ServiceOrder.objects.get(federation=community, status="requested", project=project)

    organization = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    sign_in_to_portal(organization, live_server.url, "jinan-org")
    organization.goto(f"{live_server.url}/portal/projects/{project.pk}/")
    assert organization.locator("#activities-delivered").inner_text() == str(activities_before)
    # From her workbench: the orders waiting for her to accept.
    organization.goto(f"{live_server.url}/portal/")
    shoot(organization, "menu-workbench")
    organization.click("#workbench a:has-text('待接单')")
    shoot(organization, "menu-orders")
    organization.click(f"#orders a[href='/menu/orders/{order.pk}/']")
    organization.click("#move-accept button")
    assert organization.locator("#order-status").inner_text() == "已接单"
    organization.fill("#id_schedule-scheduled_at", f"{day.isoformat()}T14:00")
    organization.fill("#id_schedule-place", "营市街社区妇女之家")
    organization.click("#move-schedule button")
    assert organization.locator("#order-status").inner_text() == "已排期"
    the_day_comes(order)
    organization.reload()
    organization.fill("#id_deliver-actual_participants", "14")
    organization.fill("#id_deliver-volunteers", "2")
    shoot(organization, "menu-order-deliver")
    organization.click("#move-deliver button")
    assert organization.locator("#order-status").inner_text() == "已服务"

    # The orderer is told of the delivery, and the notice leads to the order.
    federation.reload()
    open_top_bar(federation)
    federation.click("#topbar a.btn-light[href='/notifications/']")
    shoot(federation, "menu-notices")
    federation.click("a:has-text('服务已交付')")
    assert federation.url.endswith(f"/menu/orders/{order.pk}/")
    federation.check("#move-confirm input[value='5']")
    federation.fill("#id_confirm-feedback", "女司机们学会了换胎，很实用")
    federation.click("#move-confirm button")
    assert federation.locator("#order-status").inner_text() == "已评价"
    assert federation.locator("#order-rating").inner_text().startswith("5 / 5")
    shoot(federation, "menu-order-rated")

    organization.goto(f"{live_server.url}/portal/projects/{project.pk}/")
    assert organization.locator("#activities-delivered").inner_text() == str(activities_before + 1)
    assert project.activities.count() == activities_before + 1

    # A participant rates it with her card, on a phone, without an account.
    card = order.rating_cards.first()
    participant = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    participant.goto(f"{live_server.url}/rate/{card.code}/")
    shoot(participant, "menu-rate")
    participant.check("#rate-form input[value='4']")
    shoot(participant, "menu-rate")
    participant.click("#rate-form button")
    assert "感谢" in participant.locator("#rate-result").inner_text()
