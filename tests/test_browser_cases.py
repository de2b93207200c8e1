"""In a real browser: 东营区妇联's supervisor takes a crisis call, triages it to the hotline centre
and assigns dongying-worker, who logs a home visit and a referral to 卫健局 and resolves it; the
first follow-up then waits in her queue."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from cases.models import AccessLog, Case
from orgs.models import SocialOrganization
from tests.conftest import ARTIFACTS, sign_in_to_admin, sign_in_to_portal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.demo("cases"),
]

PHONE = {"width": 375, "height": 812}


def shoot(page, name):
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}-375.png"), full_page=True)


def open_move(page, name):
    page.click(f"#move-{name} summary")


def test_crisis_call_to_resolution_and_follow_up(live_server, demo, browser):
    supervisor = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    sign_in_to_admin(supervisor, live_server.url, "dongying")
    supervisor.click("#header a.platform-link:has-text('接听来电')")
    supervisor.check("#intake-form input[name=risk][value=crisis]")
    supervisor.check("#intake-form input[name=categories][value=domestic_violence]")
    supervisor.fill("#id_name", "韩梅")
    supervisor.fill("#id_phone", "13705469999")
    supervisor.fill("#id_summary", "丈夫酒后施暴，孩子受惊吓")
    supervisor.check("#id_consent_to_share")
    shoot(supervisor, "case-intake")
    supervisor.click("#intake-form button[type=submit]")
    shoot(supervisor, "case-after-intake")
    assert supervisor.locator("#case-status").inner_text() == "已受理"
    case = Case.objects.get(status="received")

    open_move(supervisor, "triage")
    hotline = SocialOrganization.objects.get(name="东营区希望心理咨询服务中心")
    supervisor.select_option("#id_triage-organization", str(hotline.pk))
    supervisor.click("#move-triage button[type=submit]")
    assert supervisor.locator("#case-status").inner_text() == "已研判"
    open_move(supervisor, "assign")
    worker_user = User.objects.get(username="dongying-worker")
    supervisor.select_option("#id_assign-worker", str(worker_user.pk))
    supervisor.click("#move-assign button[type=submit]")
    assert supervisor.locator("#case-status").inner_text() == "已指派"

    worker = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    sign_in_to_portal(worker, live_server.url, "dongying-worker")
    worker.goto(f"{live_server.url}/cases/?mine=1")
    shoot(worker, "case-queue")
    worker.click(f"#case-queue a[href='/cases/{case.pk}/']")
    assert "韩梅" in worker.locator("#parties").inner_text()  # her case: the full record
    open_move(worker, "event")
    worker.select_option("#id_event-kind", "home_visit")
    worker.fill("#id_event-result", "当天入户走访，孩子已安顿")
    worker.click("#move-event button[type=submit]")
    assert worker.locator("#case-status").inner_text() == "处置中"
    open_move(worker, "referral")
    worker.select_option("#id_referral-department", "health")
    due = timezone.localtime() + timedelta(days=2)
    worker.fill("#id_referral-respond_by", due.strftime("%Y-%m-%dT%H:%M"))
    worker.fill("#id_referral-note", "请开通就医绿色通道")
    worker.click("#move-referral button[type=submit]")
    assert "卫健" in worker.locator("#referrals").inner_text()
    open_move(worker, "resolve")
    worker.select_option("#id_resolve-outcome", "de_escalated")
    shoot(worker, "case-page")
    worker.click("#move-resolve button[type=submit]")
    assert worker.locator("#case-status").inner_text() == "已解决"

    worker.goto(f"{live_server.url}/cases/?mine=1")
    assert case.number in worker.locator("#follow-ups-due").inner_text()
    shoot(worker, "case-queue-follow-up")
    assert AccessLog.objects.filter(case=case, user=worker_user).exists()
