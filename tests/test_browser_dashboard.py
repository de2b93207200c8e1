"""In a real browser: jinan opens her dashboard, the charts are drawn, she drills into 槐荫区."""

import os

import pytest

from federation.models import Federation
from tests.conftest import ARTIFACTS, sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CANVAS_HAS_INK = """() => {
  const canvas = document.querySelector('#chart-trend canvas');
  if (!canvas) return false;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) return true; }
  return false;
}"""


def test_jinan_sees_the_charts_and_drills_down(live_server, demo, browser):
    huaiyin = Federation.objects.get(division_code="370104", kind="regional")
    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    sign_in_to_admin(page, live_server.url, "jinan")
    page.click("#header a.platform-link:has-text('数据看板')")
    page.wait_for_selector("#chart-trend canvas")
    assert page.evaluate(CANVAS_HAS_INK)
    page.screenshot(path=os.path.join(ARTIFACTS, "dashboard-jinan.png"), full_page=True)
    page.click(f"#ranking a[href^='/dashboards/{huaiyin.pk}/']")
    assert "槐荫区妇联" in page.locator("h1").inner_text()
    page.wait_for_selector("#chart-trend canvas")

    # Every level below, made in the background: the bar fills and the link appears.
    page.click("#export-all")
    page.wait_for_selector("#export-download", state="visible")
    assert page.locator("#export-bar").inner_text() == "100%"
