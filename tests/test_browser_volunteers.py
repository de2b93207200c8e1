"""In a real browser: huaiyin-volunteer signs up for an opportunity on her phone, 槐荫区妇联
confirms her attendance and hours, and her hours total rises."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import ARTIFACTS, sign_in_to_admin
from volunteers.models import Opportunity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.demo("volunteers"),
]

PHONE = {"width": 375, "height": 812}


def shoot(page, name):
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}-375.png"), full_page=True)


def test_sign_up_attend_and_hours(live_server, demo, browser):
    opportunity = Opportunity.objects.get(title="周六亲子活动摄影志愿者")
    volunteer = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    volunteer.goto(f"{live_server.url}/accounts/login/")
    volunteer.fill("#id_username", "huaiyin-volunteer")
    volunteer.fill("#id_password", "demo-pass-2026")
    volunteer.click("button[type=submit]")
    volunteer.wait_for_url(f"{live_server.url}/volunteer/")
    before = volunteer.locator("#my-hours").inner_text()
    assert before == "3.0"
    volunteer.click(
        f"#opportunities form[action='/volunteer/opportunities/{opportunity.pk}/sign-up/'] button"
    )
    assert "报名成功" in volunteer.locator(".alert").inner_text()
    shoot(volunteer, "volunteer-home")

    # The Saturday comes.
    start = timezone.now() - timedelta(hours=1)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=2)
    )

    coordinator = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    sign_in_to_admin(coordinator, live_server.url, "huaiyin")
    coordinator.goto(f"{live_server.url}/volunteers/opportunities/")
    coordinator.click(f"#opportunity-list a[href='/volunteers/opportunities/{opportunity.pk}/']")
    coordinator.fill("#signups input[name=hours]", "2")
    shoot(coordinator, "volunteer-opportunity")
    coordinator.click("#signups button:has-text('已到岗')")
    assert "到岗和时长已确认" in coordinator.locator(".alert").inner_text()

    volunteer.reload()
    assert volunteer.locator("#my-hours").inner_text() == "5.0"
