"""In a real browser at 375 px, from the public link: a woman signs in with her phone and posts
a need; 槐荫区妇联 accepts it; an order answers it and is delivered; she is told and rates it."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from federation.models import Federation
from menu.models import Need
from notifications import sms
from tests.conftest import ARTIFACTS, open_top_bar, sign_in_to_admin, sign_in_to_portal
from tests.factories import need_answered_and_delivered

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.demo("menu"),
]

PHONE = {"width": 375, "height": 812}
WIDE = {"width": 1366, "height": 900}
NUMBER = "13812345678"


def shoot(page, name, width=375):
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}-{width}.png"), full_page=True)


def sign_in_with_phone(page):
    page.fill("#id_phone", NUMBER)
    page.click("button:has-text('获取验证码')")
    code = [message for message in sms.outbox if message.phone == NUMBER][-1].params[0]
    page.fill("#id_code", code)
    shoot(page, "public-sign-in-code")
    page.click("button:has-text('登录')")


def test_a_woman_posts_a_need_it_is_answered_and_she_rates_it(
    live_server, demo, browser, eager_tasks, user_named, workshop
):
    sms.outbox.clear()
    woman = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    woman.goto(f"{live_server.url}/m/")
    shoot(woman, "public-home")
    woman.click("a:has-text('提需求')")
    sign_in_with_phone(woman)
    woman.fill("#id_q", "营市街")
    woman.click("button:has-text('搜索')")
    shoot(woman, "public-places")
    woman.click("li:has-text('营市街社区妇联') a:has-text('选择')")
    woman.fill("#id_title", "想办一场防诈骗讲座")
    woman.fill("#id_description", "村里老人常接到诈骗电话")
    woman.select_option("#id_domain", index=1)
    woman.select_option("#id_target_group", index=1)
    woman.fill("#id_people_count", "30")
    shoot(woman, "public-need-form")
    woman.click("button:has-text('提交')")
    assert "已收到" in woman.locator("#need-progress").inner_text()
    need = Need.objects.get(title="想办一场防诈骗讲座")

    federation = browser.new_context(locale="zh-CN", viewport=WIDE).new_page()
    sign_in_to_admin(federation, live_server.url, "huaiyin")
    federation.click("#header a.platform-link:has-text('需求审核')")
    shoot(federation, "public-need-review", 1366)
    federation.click(f"#need-{need.pk} button:has-text('受理并发布')")
    assert federation.locator(f"#need-{need.pk}").count() == 0  # reviewed: off the list

    woman.reload()
    assert "已受理" in woman.locator("#need-progress").inner_text()
    need_answered_and_delivered(need, user_named, workshop)
    texts = [message.text() for message in sms.outbox if message.phone == NUMBER]
    assert any("已受理" in text for text in texts) and any("请评价" in text for text in texts)

    woman.goto(f"{live_server.url}/m/")
    woman.click("a:has-text('我的需求')")
    woman.click("a:has-text('想办一场防诈骗讲座')")
    assert woman.locator("#need-progress").inner_text() == "已服务"
    woman.check("input[name=rating][value='5']")
    shoot(woman, "public-need-rate")
    woman.click("button:has-text('提交评价')")
    assert "5 分" in woman.locator("#need-rating").inner_text()
    assert Need.objects.get(pk=need.pk).rating == 5


@pytest.mark.demo("cases")
def test_a_woman_asks_for_help_it_heads_the_hotline_queue_and_she_leaves_without_a_trace(
    live_server, demo, browser, settings
):
    # No outside site here: a page of the server stands for the everyday one.
    neutral = f"{live_server.url}/static/css/platform.css"
    settings.QUICK_EXIT_URL = neutral
    sms.outbox.clear()
    woman = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    woman.goto(f"{live_server.url}/m/")
    woman.click("a:has-text('求助')")
    shoot(woman, "public-help-start")
    woman.click("a:has-text('开始')")
    sign_in_with_phone(woman)
    woman.fill("#id_q", "文汇")
    woman.click("button:has-text('搜索')")
    woman.click("li:has-text('文汇街道妇联') a:has-text('选择')")
    woman.check("#id_in_danger_now_0")  # 是: the risk questions come first
    woman.check("#id_hurt_or_threatened_0")
    woman.check("#id_children_at_risk_1")
    woman.check("input[name=categories][value=domestic_violence]")
    woman.fill("#id_words", "他喝了酒就打我")
    woman.check("input[name=contact_way][value=sms]")
    woman.check("input[name=contact_time][value=evening]")
    woman.fill("#id_phone", "13912340000")
    woman.check("#id_consent")
    shoot(woman, "public-help-form")
    woman.click("button:has-text('提交')")
    case = Case.objects.get(channel="online", risk="crisis", received_by__is_public=True)
    assert case.number in woman.locator("#help-sent").inner_text()
    assert "他喝了酒就打我" not in woman.content()

    worker = browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    sign_in_to_portal(worker, live_server.url, "dongying-worker")
    open_top_bar(worker)
    worker.click("#topbar a:has-text('全部在办个案')")
    shoot(worker, "public-help-in-queue")
    assert worker.locator(f"#case-queue a[href='/cases/{case.pk}/']").is_visible()

    before = woman.evaluate("history.length")
    woman.click("#quick-exit")
    woman.wait_for_url(neutral)
    assert woman.evaluate("history.length") == before
    woman.goto(f"{live_server.url}/m/help/mine/")  # she is signed out: nothing of hers shows
    assert "/m/sign-in/" in woman.url


@pytest.mark.demo("volunteers")
def test_a_new_volunteer_registers_serves_by_the_qr_code_and_gets_her_certificate(
    live_server, demo, browser, eager_tasks
):
    import re

    import pypdf

    from volunteers.models import Opportunity, Volunteer

    sms.outbox.clear()
    community = Federation.objects.get(division_code="370104006001")
    start = timezone.now() + timedelta(minutes=20)
    opportunity = Opportunity.objects.create(
        federation=community,
        title="社区反诈宣传",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="营市街社区广场",
        places=5,
    )

    woman = browser.new_context(locale="zh-CN", viewport=PHONE, accept_downloads=True).new_page()
    woman.goto(f"{live_server.url}/m/")
    woman.click("a:has-text('志愿者')")
    sign_in_with_phone(woman)
    woman.click("a:has-text('志愿者注册')")
    woman.fill("#id_q", "营市街社区")
    woman.click("button:has-text('搜索')")
    woman.click("li:has-text('营市街社区妇联') a:has-text('选择')")
    woman.fill("#id_name", "王小芳")
    woman.fill("#id_id_number", "11010519491231002X")
    woman.fill("#id_skills", "摄影、宣讲")
    woman.check("input[name=availability][value=weekends]")
    woman.check("#id_consent")
    shoot(woman, "public-volunteer-form")
    woman.click("button:has-text('注册')")
    assert "审核" in woman.locator("#volunteer-status").inner_text()

    coordinator = browser.new_context(locale="zh-CN", viewport=WIDE).new_page()
    sign_in_to_admin(coordinator, live_server.url, "huaiyin")
    coordinator.goto(f"{live_server.url}/volunteers/opportunities/")
    coordinator.click("nav.col-md-2 a:has-text('志愿者审核')")
    shoot(coordinator, "public-volunteer-applicants", 1366)
    volunteer = Volunteer.objects.get(name="王小芳")
    coordinator.click(f"#applicant-{volunteer.pk} button:has-text('通过')")
    assert coordinator.locator(f"#applicant-{volunteer.pk}").count() == 0

    woman.reload()
    woman.click("#opportunities li:has-text('社区反诈宣传') button:has-text('报名')")
    assert "社区反诈宣传" in woman.locator("#my-signups").inner_text()

    coordinator.goto(f"{live_server.url}/volunteers/opportunities/{opportunity.pk}/")
    coordinator.click("a:has-text('显示签到二维码')")
    shoot(coordinator, "public-check-in-qr", 1366)
    scanned = coordinator.locator("#check-in-link").get_attribute("href")
    woman.goto(scanned)  # what her phone opens from the code
    woman.click("#check-button")
    assert "已于" in woman.locator("#check-state").inner_text()
    Opportunity.objects.filter(pk=opportunity.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() + timedelta(hours=1)
    )  # two hours later
    from volunteers.models import SignUp

    SignUp.objects.filter(opportunity=opportunity).update(
        checked_in_at=timezone.now() - timedelta(hours=2)
    )
    woman.reload()
    woman.click("#check-button")
    shoot(woman, "public-check-out")
    assert "2.0" in woman.locator("#check-state").inner_text()

    coordinator.goto(f"{live_server.url}/volunteers/opportunities/{opportunity.pk}/")
    coordinator.click("#confirm-proposed")
    woman.goto(f"{live_server.url}/m/volunteer/")
    assert "2.0" in woman.locator("#volunteer-hours").inner_text()
    with woman.expect_download() as download:
        woman.click("a:has-text('下载服务时长证明')")
    document = pypdf.PdfReader(download.value.path())
    text = document.pages[0].extract_text().replace(" ", "").replace("\x00", "").replace("\n", "")
    [code] = re.findall(r"/v/([^/]+)/", text)
    woman.goto(f"{live_server.url}/v/{code}/")
    shoot(woman, "public-certificate-check")
    check = woman.locator("#certificate").inner_text()
    assert "王**" in check and "2.0" in check and "王小芳" not in check
