"""In a real browser, with both factors: 山东省妇联's administrator tries to give herself a case
role (refused, recorded, the supervisor told), grants one to a colleague (awaiting approval, no
access), and a second administrator approves it."""

import os
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from cases.models import Case
from federation.choices import Role
from federation.models import RoleChange, StaffMembership
from notifications.models import Notification
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_code(user) -> str:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in_with_two_factors(page, base_url, user):
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "demo-pass-2026")
    page.click("input[type=submit]")
    page.wait_for_url("**/accounts/two-factor/**")
    page.fill("#id_code", current_code(user))
    page.get_by_role("button", name="确认").click()
    page.wait_for_url(f"{base_url}/admin/")


def choose(page, field, search, option_text):
    page.click(f"[aria-labelledby='select2-id_{field}-container']")
    page.fill(".select2-search__field", search)
    page.locator(".select2-results__option", has_text=option_text).first.click()


def add_membership(page, base_url, user_search, user_text, role):
    page.goto(f"{base_url}/admin/")
    page.get_by_role("link", name="工作人员任职").first.click()
    page.get_by_role("link", name="增加 工作人员任职").click()
    page.wait_for_url("**/staffmembership/add/")
    page.wait_for_load_state("load")
    choose(page, "user", user_search, user_text)
    choose(page, "federation", "东营区", "东营区妇联")
    page.select_option("#id_role", role)
    page.get_by_role("button", name="保存", exact=True).click()


def test_a_self_grant_is_refused_and_a_colleagues_waits_for_approval(
    live_server, demo, browser, settings, places
):
    settings.TWO_FACTOR_REQUIRED = True
    shandong = User.objects.get(username="shandong")
    colleague = User.objects.create_user("dy-colleague", password="demo-pass-2026", name="东营同事")
    colleague.is_staff = True
    colleague.save()
    StaffMembership.objects.create(user=colleague, federation=places.dongying, role=Role.VIEWER)
    second = User.objects.create_user(
        "shandong-2", password="demo-pass-2026", name="省妇联第二管理员"
    )
    second.is_staff = True
    second.save()
    StaffMembership.objects.create(user=second, federation=places.shandong, role=Role.ADMIN)
    TOTPDevice.objects.create(user=second, name="phone", confirmed=True)

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in_with_two_factors(page, live_server.url, shandong)

    add_membership(page, live_server.url, "shandong", "shandong", Role.CASE_SUPERVISOR)
    page.get_by_text("任何人都不能更改自己的角色").first.wait_for()
    page.screenshot(
        path=os.path.join(ARTIFACTS, "role-self-grant-refused-1366.png"), full_page=True
    )
    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=os.path.join(ARTIFACTS, "role-self-grant-refused-375.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    assert not StaffMembership.objects.filter(user=shandong, role=Role.CASE_SUPERVISOR).exists()
    assert RoleChange.objects.filter(user=shandong, action=RoleChange.Action.REFUSED).exists()
    assert Notification.objects.filter(user__username="dongying", title__contains="拒绝").exists()

    add_membership(page, live_server.url, "dy-colleague", "dy-colleague", Role.CASE_WORKER)
    page.get_by_text("待批准").first.wait_for()
    page.screenshot(path=os.path.join(ARTIFACTS, "role-grant-awaiting-1366.png"), full_page=True)
    granted = StaffMembership.objects.get(user=colleague, role=Role.CASE_WORKER)
    assert granted.awaiting_approval
    assert not Case.objects.visible_to(User.objects.get(pk=colleague.pk)).exists()
    context.close()

    # The second administrator approves it from the list of roles awaiting approval.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in_with_two_factors(page, live_server.url, second)
    page.get_by_role("link", name="工作人员任职").first.click()
    page.get_by_role("link", name="是").first.click()  # the "awaiting approval: yes" filter
    page.locator(f"input[name=_selected_action][value='{granted.pk}']").check()
    page.select_option("select[name=action]", "approve_roles")
    page.get_by_role("button", name="执行").click()
    page.get_by_text("已批准 1 个角色").wait_for()
    page.screenshot(path=os.path.join(ARTIFACTS, "role-grant-approved-1366.png"), full_page=True)
    granted.refresh_from_db()
    assert not granted.awaiting_approval and granted.approved_by == second
    assert Case.objects.visible_to(User.objects.get(pk=colleague.pk)).exists()

    # The membership's history says who granted and who approved it, in words.
    page.get_by_role("link", name="工作人员任职").first.click()
    row = page.locator("#result_list tr", has_text="dy-colleague").filter(has_text="个案社工")
    row.get_by_role("link").first.click()
    page.get_by_role("link", name="历史记录").click()
    history = page.locator("#change-history").inner_text()
    assert "省妇联第二管理员" in history and "待批准" in history
    page.screenshot(path=os.path.join(ARTIFACTS, "role-history-1366.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=os.path.join(ARTIFACTS, "role-history-375.png"), full_page=True)
    context.close()
