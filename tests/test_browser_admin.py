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
