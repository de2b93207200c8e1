"""In a real browser at 375 px, from the public link: a woman signs in with her phone and posts
a need; 槐荫区妇联 accepts it; an order answers it and is delivered; she is told and rates it."""

import os

import pytest

from cases.models import Case
from menu.models import Need
from notifications import sms
from tests.conftest import ARTIFACTS, sign_in_to_admin, sign_in_to_portal
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
    assert federation.locator("#no-needs").is_visible()

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
    settings.QUICK_EXIT_URL = "about:blank"  # no outside site here; the browser's neutral page
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
    worker.click(".navbar-toggler")
    worker.click("#topbar a:has-text('全部在办个案')")
    shoot(worker, "public-help-in-queue")
    assert worker.locator(f"#case-queue a[href='/cases/{case.pk}/']").is_visible()

    before = woman.evaluate("history.length")
    woman.click("#quick-exit")
    woman.wait_for_url("about:blank")
    assert woman.evaluate("history.length") == before
