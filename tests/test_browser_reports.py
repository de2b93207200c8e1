"""In a real browser: jinan-org submits a report with an attachment, jinan returns it in the
admin with a comment, jinan-org reads the comment and resubmits."""

import os

import pytest

from projects.models import Project, ProjectReport
from tests.conftest import ARTIFACTS, sign_in_to_admin
from tests.upload_files import png_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.demo("projects"),
]


def sign_in_to_portal(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/portal/")


def test_report_submitted_returned_and_resubmitted(live_server, demo, browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = Project.objects.get(code="JN-2024-001").reports.order_by("-period__starts_on").first()
    ProjectReport.objects.filter(pk=report.pk).update(status="draft")
    photo = tmp_path / "活动照片.png"
    photo.write_bytes(png_bytes())

    organization = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    page = organization.new_page()
    sign_in_to_portal(page, live_server.url, "jinan-org")
    page.screenshot(path=os.path.join(ARTIFACTS, "portal-home-375.png"), full_page=True)
    page.click(f"a[href='/portal/reports/{report.pk}/']")
    page.fill("#id_narrative", "为网约车女司机开展汽车故障速解工坊两场")
    page.fill("#id_activities_held", "2")
    page.fill("#id_women_served", "26")
    page.fill("#id_spending", "1800.00")
    page.set_input_files("#id_attachment", str(photo))
    page.screenshot(path=os.path.join(ARTIFACTS, "portal-report-375.png"), full_page=True)
    page.click("#confirm-submit summary")
    page.click("button[name=submit]")
    assert page.locator("#report-status").inner_text() == "已提交"
    assert page.get_by_text("活动照片.png").count() == 1

    federation = browser.new_context(locale="zh-CN").new_page()
    sign_in_to_admin(federation, live_server.url, "jinan")
    federation.goto(f"{live_server.url}/admin/projects/projectreport/{report.pk}/change/")
    federation.fill("#id_review_comment", "请补充活动签到表")
    with federation.expect_navigation():
        federation.click("input[name=return]")
    federation.screenshot(path=os.path.join(ARTIFACTS, "admin-report-returned.png"), full_page=True)
    assert "报告已退回" in federation.locator("ul.messagelist").inner_text()

    page.reload()
    assert "请补充活动签到表" in page.locator("#reviewer-comment").inner_text()
    page.click("#confirm-submit summary")
    page.click("button[name=submit]")
    assert page.locator("#report-status").inner_text() == "已重新提交"
    report.refresh_from_db()
    assert report.status == "resubmitted"
    assert report.attachments.count() == 1
