"""Two-factor sign-in (TOTP) for case staff and every federation administrator: the admin, the
pages, the session API and API tokens; enrolment with a QR code, backup codes, and recovery by
an administrator (logged)."""

import time

import pytest
from django.contrib.admin.models import LogEntry
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.demo import DEMO_DEVICE
from accounts.models import User
from accounts.two_factor import needs_two_factors

pytestmark = [pytest.mark.django_db, pytest.mark.demo("cases", "volunteers")]

PASSWORD = "demo-pass-2026"


@pytest.fixture(autouse=True)
def two_factors(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code_of(device, offset=0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():0{device.digits}d}"


def demo_device(username) -> TOTPDevice:
    return TOTPDevice.objects.get(user__username=username, name=DEMO_DEVICE)


@pytest.fixture
def verified_as(admin_client_as):
    """Signed in with both factors (the session names the device, as django_otp.login does)."""

    def make(username):
        client = admin_client_as(username)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = demo_device(username).persistent_id
        session.save()
        return client

    return make


def sign_in(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize(
    ("username", "needs"),
    [
        ("admin", True),
        ("shandong", True),  # federation administrator
        ("dongying", True),  # case supervisor
        ("dongying-worker", True),  # an organization's case worker
        ("jinan-org", False),  # portal staff
        ("dongying-org", False),
        ("huaiyin-volunteer", False),
    ],
)
def test_who_needs_two_factors(user_named, username, needs):
    assert needs_two_factors(user_named(username)) is needs


@pytest.mark.parametrize("path", ["/admin/", "/cases/", "/dashboards/", "/portal/"])
def test_after_the_password_every_page_asks_for_the_code(client, demo, path):
    sign_in(client, "shandong")
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/?next=")


def test_the_session_api_is_refused_until_the_code(client, demo):
    sign_in(client, "dongying")
    response = client.get("/api/v1/me/")
    assert response.status_code == 403 and "验证码" in response.json()["detail"]


def test_the_right_code_opens_the_admin_and_a_wrong_one_does_not(client, demo):
    sign_in(client, "shandong")
    wrong = client.post("/accounts/two-factor/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 200 and "不正确" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    time.sleep(1.1)  # after a wrong code the device waits a second (django-otp's throttle)
    right = client.post(
        "/accounts/two-factor/", {"code": code_of(demo_device("shandong")), "next": "/admin/"}
    )
    assert right.status_code == 302 and right.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


def test_the_admin_login_leads_to_the_second_step_too(client, demo):
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "jinan", "password": PASSWORD, "next": "/admin/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith("/accounts/two-factor/")


def test_a_foreign_next_is_not_followed(client, demo):
    sign_in(client, "shandong")
    response = client.post(
        "/accounts/two-factor/",
        {"code": code_of(demo_device("shandong")), "next": "https://evil.example.com/"},
    )
    assert response.url == "/"


def test_portal_staff_and_volunteers_sign_in_with_the_password_only(client, demo):
    sign_in(client, "jinan-org")
    assert client.get("/portal/").status_code == 200


def test_enrolment_with_a_qr_code_then_backup_codes(client, demo, user_named):
    TOTPDevice.objects.filter(user__username="huaiyin").delete()
    sign_in(client, "huaiyin")
    assert client.get("/admin/").url.startswith("/accounts/two-factor/setup/")
    page = client.get("/accounts/two-factor/setup/?next=/admin/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user__username="huaiyin", confirmed=False)
    wrong = client.post("/accounts/two-factor/setup/", {"code": "123456", "next": "/admin/"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(
        confirmed=True, user=device.user
    )
    time.sleep(1.1)  # django-otp's throttle after a wrong code
    done = client.post("/accounts/two-factor/setup/", {"code": code_of(device), "next": "/admin/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200

    # A backup code signs in once.
    other = type(client)()
    sign_in(other, "huaiyin")
    assert other.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 302
    third = type(client)()
    sign_in(third, "huaiyin")
    assert third.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 200


def test_api_tokens_are_issued_only_against_a_code(demo):
    api = APIClient()
    body = {"username": "dongying", "password": PASSWORD}
    assert api.post("/api/v1/auth/token/", body, format="json").status_code == 401
    wrong = api.post("/api/v1/auth/token/", {**body, "otp_code": "000000"}, format="json")
    assert wrong.status_code == 401
    time.sleep(1.1)  # django-otp's throttle after a wrong code
    right = api.post(
        "/api/v1/auth/token/",
        {**body, "otp_code": code_of(demo_device("dongying"))},
        format="json",
    )
    assert right.status_code == 200 and right.json()["token"]
    portal = api.post(
        "/api/v1/auth/token/", {"username": "jinan-org", "password": PASSWORD}, format="json"
    )
    assert portal.status_code == 200


def test_an_administrator_resets_a_lost_second_factor_and_it_is_logged(verified_as, demo):
    dongying = User.objects.get(username="dongying")
    StaticDevice.objects.create(user=dongying, name="backup")
    response = verified_as("shandong").post(
        "/admin/accounts/user/",
        {"action": "reset_two_factors", "_selected_action": [dongying.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=dongying).exists()
    assert not StaticDevice.objects.filter(user=dongying).exists()
    entry = LogEntry.objects.get(object_id=str(dongying.pk), change_message="two-factor reset")
    assert entry.user.username == "shandong"


@pytest.mark.parametrize(("actor", "target"), [("shandong", "shandong"), ("fuzhou", "dongying")])
def test_nobody_resets_her_own_second_factor_nor_one_outside_her_area(
    verified_as, demo, actor, target
):
    user = User.objects.get(username=target)
    verified_as(actor).post(
        "/admin/accounts/user/", {"action": "reset_two_factors", "_selected_action": [user.pk]}
    )
    assert TOTPDevice.objects.filter(user=user).exists()


def test_the_key_to_scan_stays_the_same_across_reloads(client, demo):
    TOTPDevice.objects.filter(user__username="huaiyin").delete()
    sign_in(client, "huaiyin")
    first = client.get("/accounts/two-factor/setup/").context["secret"]
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/two-factor/setup/"})
    assert client.get("/accounts/two-factor/setup/").context["secret"] == first
    assert TOTPDevice.objects.filter(user__username="huaiyin").count() == 1


def test_before_the_second_step_no_menu_leads_elsewhere(client, demo):
    sign_in(client, "shandong")
    page = client.get("/accounts/two-factor/").content.decode()
    assert 'href="/cases/' not in page and 'href="/notifications/' not in page
    assert 'href="/dashboards/' not in page


def test_the_home_page_signs_in_then_sends_each_to_her_work(client, demo):
    assert client.get("/").url == "/accounts/login/?next=/"
    response = client.post(
        "/accounts/login/?next=/", {"username": "shandong", "password": PASSWORD, "next": "/"}
    )
    assert response.url == "/"
    assert client.get("/").url == "/accounts/two-factor/?next=/"
    code = {"code": code_of(demo_device("shandong")), "next": "/"}
    assert client.post("/accounts/two-factor/", code).url == "/"
    assert client.get("/").url == "/admin/"
