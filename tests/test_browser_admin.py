"""In a real browser: `huaiyin` signs in to the admin, in Chinese, and sees only 槐荫区."""

import os

import pytest

from tests.conftest import ARTIFACTS, sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_huaiyin_sees_the_chinese_admin_and_only_her_subtree(live_server, demo, browser):
    page = browser.new_page(locale="zh-CN")
    sign_in_to_admin(page, live_server.url, "huaiyin")
    assert "妇联项目服务平台" in page.title()
    assert page.get_by_text("工作台").count() >= 1

    page.goto(f"{live_server.url}/admin/federation/federation/")
    table = page.locator("#result_list").inner_text()
    for name in ("槐荫区妇联", "营市街街道妇联", "西杜社区妇联"):
        assert name in table
    for name in ("东营区妇联", "济南市妇联", "福州市妇联"):
        assert name not in table
    page.locator("#changelist-filter").get_by_text("槐荫区妇联").first.wait_for()

    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=os.path.join(ARTIFACTS, "admin-federations-375.png"), full_page=True)


# The change lists people use on a phone, and who uses each.
PHONE_CHANGELISTS = [
    ("jinan", "/admin/projects/projectreport/", "状态"),
    ("jinan", "/admin/menu/serviceorder/", "状态"),
    ("dongying", "/admin/cases/case/", "状态"),
    ("huaiyin", "/admin/volunteers/signup/", "状态"),
]


@pytest.mark.parametrize(("username", "url", "label"), PHONE_CHANGELISTS)
def test_phone_changelists_read_as_cards(live_server, demo, browser, username, url, label):
    """At 375 px each record is a card: nothing is wider than the screen, and the status is on
    screen beside its column's name."""
    page = browser.new_page(locale="zh-CN", viewport={"width": 375, "height": 812})
    sign_in_to_admin(page, live_server.url, username)
    page.goto(live_server.url + url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    first = page.locator("#result_list tbody tr").first
    status = first.locator(f"[data-label='{label}']")
    box = status.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert first.bounding_box()["width"] <= 375
    name = url.strip("/").replace("/", "-")
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}-375.png"), full_page=True)
