"""Regression tests for the lower-severity findings of the security review (issue 11):
formula injection in exports (4), consent in statistics (5), and the findings of 7 —
long notification titles, API tokens, the email backend, the development personal-data key,
neutral error messages, demo rating-card codes and pooled database connections."""

import csv
import io
import re
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import openpyxl
import pytest
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.test_security import ROOT, production_env, run_in_production

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x","y")'
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PASSWORD = "demo-pass-2026"
YEAR = (date(2020, 1, 1), timezone.localdate() + timedelta(days=400))


# 4. Formula injection in every export ----------------------------------------------------


def assert_no_formula(cells):
    """No cell a spreadsheet would run: neither a formula cell nor text starting like one."""
    cells = list(cells)
    assert cells
    for cell in cells:
        value = cell.value if hasattr(cell, "value") else cell
        if hasattr(cell, "data_type"):
            assert cell.data_type != "f", value
        assert not (isinstance(value, str) and value.startswith(FORMULA_STARTS)), value


def workbook_cells(content: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_the_dashboard_export_writes_a_federations_formula_as_text(admin_client_as, places):
    from federation.models import Federation

    Federation.objects.filter(pk=places.huaiyin.pk).update(name=FORMULA)
    response = admin_client_as("jinan").get(
        f"/dashboards/{places.jinan.pk}/export/", {"start": "2020-01-01", "end": str(YEAR[1])}
    )
    assert response.status_code == 200
    cells = list(workbook_cells(response.content))
    assert_no_formula(cells)
    assert "'" + FORMULA in {cell.value for cell in cells}


def test_the_large_dashboard_export_writes_a_formula_as_text(places):
    from dashboards.exports import large_workbook
    from federation.models import Federation

    Federation.objects.filter(pk=places.yingshijie.pk).update(name="@SUM(1+1)")
    content = large_workbook(places.jinan, *YEAR, advance=lambda percent: None)
    cells = list(workbook_cells(content))
    assert_no_formula(cells)
    assert "'@SUM(1+1)" in {cell.value for cell in cells}


def export_from_admin(client, url, resource_prefix, fields, file_format):
    return client.post(
        url,
        {
            "format": file_format,
            "resource": "0",
            **{f"{resource_prefix}_{field}": "on" for field in fields},
        },
    )


ORG_FIELDS = ("name", "credit_code", "registration_authority", "guiding_federation", "honours")


def exported_cells(response, file_format):
    """The cells of an admin export (xlsx: openpyxl cells; csv: strings) and their values."""
    if file_format == "1":
        cells = list(workbook_cells(response.content))
        return cells, {cell.value for cell in cells}
    text = io.StringIO(response.content.decode("utf-8-sig"))
    cells = [value for row in csv.reader(text) for value in row]
    return cells, set(cells)


@pytest.mark.parametrize("file_format", ["0", "1"], ids=["csv", "xlsx"])
def test_the_organization_export_writes_formulas_as_text(admin_client_as, places, file_format):
    from orgs.models import SocialOrganization

    organization = SocialOrganization.objects.get(name="济南市女性社会组织联合会")
    SocialOrganization.objects.filter(pk=organization.pk).update(
        name=FORMULA, registration_authority="+1+1", honours="-2+3"
    )
    response = export_from_admin(
        admin_client_as("jinan"),
        "/admin/orgs/socialorganization/export/",
        "socialorganizationresource",
        ORG_FIELDS,
        file_format,
    )
    assert response.status_code == 200
    cells, values = exported_cells(response, file_format)
    assert_no_formula(cells)
    assert {"'" + FORMULA, "'+1+1", "'-2+3"} <= values


@pytest.mark.parametrize("file_format", ["0", "1"], ids=["csv", "xlsx"])
def test_the_volunteer_export_writes_formulas_as_text(admin_client_as, places, file_format):
    from volunteers.models import Volunteer

    Volunteer.objects.create(
        name="=cmd|' /C calc'!A0",
        federation=places.huaiyin,
        skills=["@SUM(A1)"],
        registered_on=timezone.localdate(),
    )
    response = export_from_admin(
        admin_client_as("huaiyin"),
        "/admin/volunteers/volunteer/export/",
        "volunteerresource",
        ("name", "phone", "federation", "skills"),
        file_format,
    )
    assert response.status_code == 200
    cells, values = exported_cells(response, file_format)
    assert_no_formula(cells)
    assert {"'=cmd|' /C calc'!A0", "'@SUM(A1)"} <= values


def test_the_organization_export_keeps_numbers_and_empty_cells(admin_client_as, places):
    """What the neutralising leaves alone: a number stays a number, an empty date empty (the
    package's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT would write "12" and "None")."""
    from orgs.models import SocialOrganization

    SocialOrganization.objects.filter(name="济南市女性社会组织联合会").update(
        staff_count=12, registered_on=None
    )
    response = export_from_admin(
        admin_client_as("jinan"),
        "/admin/orgs/socialorganization/export/",
        "socialorganizationresource",
        ("name", "registered_on", "staff_count"),
        "1",
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert ("济南市女性社会组织联合会", None, 12) in rows


def test_every_import_export_resource_and_the_case_export_use_the_one_helper():
    from django.contrib import admin

    from cases import exports as case_exports
    from core import spreadsheets

    assert case_exports.neutralised is spreadsheets.neutralised
    resources = [
        resource
        for model_admin in admin.site._registry.values()
        for resource in getattr(model_admin, "resource_classes", [])
    ]
    assert len(resources) >= 2
    for resource in resources:
        assert issubclass(resource, spreadsheets.FormulaSafeResource), resource


# 5. Consent: a refusal of anonymous statistics keeps the case out of every count ----------


def take_call(places, user_named, **changes):
    from cases import services

    fields = {
        "federation": places.dongying,
        "channel": "hotline",
        "risk": "high",
        "categories": ["domestic_violence"],
        "name": "周丽",
        "phone": "13705461234",
    }
    fields.update(changes)
    return services.case_intake(actor=user_named("dongying"), **fields)


def case_counts(places, client):
    from cases.statistics import case_statistics
    from dashboards.selectors import dashboard

    start = timezone.make_aware(timezone.datetime(2020, 1, 1))
    end = timezone.make_aware(timezone.datetime.combine(YEAR[1], timezone.datetime.min.time()))
    city = dashboard(places.dongying_city, *YEAR)
    api = client.get(
        "/api/v1/dashboard/",
        {"federation": places.dongying.pk, "from": str(YEAR[0]), "to": str(YEAR[1])},
    ).json()
    statistics = case_statistics(places.dongying, start, end)
    return {
        "statistics": statistics["total"],
        "statistics_by_risk": statistics["by_risk"]["high"],
        "overdue_follow_ups": statistics["overdue_follow_ups"],
        "api": api["cases"]["total"],
        "api_by_category": api["cases"]["by_category"]["domestic_violence"],
        "api_trend": sum(month["cases"] for month in api["trend"]),
        "city": city["cases"]["total"],
        "ranking": next(
            row["cases"] for row in city["children"] if row["id"] == places.dongying.pk
        ),
    }


def test_a_case_whose_help_seeker_refused_statistics_is_counted_nowhere(places, user_named, api_as):
    from cases.models import FollowUp

    client = api_as("dongying")
    before = case_counts(places, client)
    refused = take_call(places, user_named, consent_to_statistics=False)
    FollowUp.objects.create(case=refused, due_on=timezone.localdate() - timedelta(days=1))
    assert case_counts(places, client) == before
    # A consenting case is counted everywhere: the comparison above measures something.
    consenting = take_call(places, user_named, phone="13705469999")
    FollowUp.objects.create(case=consenting, due_on=timezone.localdate() - timedelta(days=1))
    assert case_counts(places, client) == {key: value + 1 for key, value in before.items()}


# 7. A long title: the notification is cut, never lost ------------------------------------

LONG_TITLE = "周末课业辅导" + "与家庭陪伴" * 38  # 196 characters, under the order's 200


def new_request(client, federation):
    response = client.post(
        "/api/v1/service-orders/",
        {
            "title": LONG_TITLE,
            "domain": "skills-training",
            "federation": federation.pk,
            "window_start": str(timezone.localdate() + timedelta(days=1)),
            "window_end": str(timezone.localdate() + timedelta(days=10)),
            "expected_participants": 10,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return f"/api/v1/service-orders/{response.json()['id']}/"


def cut_titles(key_start):
    from notifications.models import Notification

    titles = list(Notification.objects.filter(key__startswith=key_start).values_list("title"))
    assert titles
    for (title,) in titles:
        assert len(title) == 200 and title.endswith("…")
        assert LONG_TITLE[:100] in title
    return titles


def test_a_long_request_dispatched_and_declined_tells_everyone(
    api_as, workshop, places, django_capture_on_commit_callbacks
):
    huaiyin, organization = api_as("huaiyin"), api_as("jinan-org")
    url = new_request(huaiyin, places.huaiyin)
    order_id = url.rstrip("/").rsplit("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = huaiyin.post(
            url + "dispatch/", {"to_organization": workshop.organization_id}, format="json"
        )
    assert response.status_code == 200, response.json()
    cut_titles(f"order-requested:{order_id}")
    with django_capture_on_commit_callbacks(execute=True):
        response = organization.post(url + "decline/", {"reason": "人手不足"}, format="json")
    # Back with the federation, out of the organization's sight: still an answer, not a 500.
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["organization"]) == ("new", None)
    cut_titles(f"order-returned:{order_id}")


def test_a_long_request_dispatched_to_a_federation_below_tells_it(
    api_as, places, django_capture_on_commit_callbacks
):
    from federation.choices import Role
    from tests.factories import StaffMembershipFactory

    StaffMembershipFactory(federation=places.yingshijie, role=Role.ADMIN)
    huaiyin = api_as("huaiyin")
    url = new_request(huaiyin, places.huaiyin)
    with django_capture_on_commit_callbacks(execute=True):
        response = huaiyin.post(
            url + "dispatch/", {"to_federation": places.yingshijie.pk}, format="json"
        )
    assert response.status_code == 200, response.json()
    cut_titles("order-dispatched:")


def test_notify_keeps_a_title_that_fits_and_the_whole_title_of_one_cut(user_named):
    from notifications.services import notify

    user = user_named("huaiyin")
    short = notify(user=user, key="short", title="短标题")
    assert short.title == "短标题" and short.body == ""
    long = notify(user=user, key="long", title="长" * 250, body="正文")
    assert long.title == "长" * 199 + "…"
    assert "长" * 250 in long.body and "正文" in long.body


# 7. API tokens: revoked by a password change, and limited per user ------------------------


def tokens_of(user):
    return AuthToken.objects.filter(user=user).count()


def token_client(user):
    _instance, token = AuthToken.objects.create(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_setting_a_new_password_revokes_every_token(user_named):
    user = user_named("huaiyin")
    client = token_client(user)
    token_client(user)
    assert client.get("/api/v1/me/").status_code == 200
    user.set_password("a-new-long-password-2026")
    user.save()
    assert tokens_of(user) == 0
    assert client.get("/api/v1/me/").status_code == 401


def test_the_admin_password_change_revokes_every_token(admin_client_as, user_named):
    user = user_named("huaiyin")
    client = token_client(user)
    new = "a-new-long-password-2026"
    response = admin_client_as("huaiyin").post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302, response.content[:500]
    assert tokens_of(user) == 0
    assert client.get("/api/v1/me/").status_code == 401


def test_saving_a_user_without_a_new_password_keeps_her_tokens(user_named, settings):
    from django.contrib.auth.hashers import make_password

    user = user_named("huaiyin")
    token_client(user)
    user.first_name = "改名"
    user.save()
    # A hash upgrade at sign-in is not a password change (Django clears it as such).
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ]
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha1")
    user.save()
    assert user.check_password(PASSWORD)
    assert user.password.startswith("md5$")
    assert tokens_of(user) == 1


def test_tokens_beyond_the_limit_are_refused_with_a_clear_message(user_named, settings):
    from knox.settings import knox_settings

    limit = knox_settings.TOKEN_LIMIT_PER_USER
    assert limit
    user = user_named("huaiyin")
    for _ in range(limit):
        AuthToken.objects.create(user)
    client = APIClient()
    ask = {"username": "huaiyin", "password": PASSWORD}
    response = client.post("/api/v1/auth/token/", ask, format="json", REMOTE_ADDR="10.7.0.1")
    assert response.status_code == 403
    assert str(limit) in response.json()["detail"]
    assert tokens_of(user) == limit
    # An expired token no longer counts.
    AuthToken.objects.filter(pk=AuthToken.objects.filter(user=user).first().pk).update(
        expiry=timezone.now() - timedelta(seconds=1)
    )
    response = client.post("/api/v1/auth/token/", ask, format="json", REMOTE_ADDR="10.7.0.1")
    assert response.status_code == 200


# 7. A real email backend in production ---------------------------------------------------

EMAIL_PROBE = """
import django
django.setup()
from django.conf import settings
for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
             "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL"):
    print(name, getattr(settings, name))
"""

EMAIL_VARIABLES = (
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
)


@pytest.fixture
def production():
    env = production_env(connection.settings_dict)
    for name in EMAIL_VARIABLES:
        env.pop(name, None)
    return env


def email_settings(env) -> dict:
    result = run_in_production(env, EMAIL_PROBE)
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())


def test_production_sends_email_over_smtp_by_default(production):
    assert email_settings(production)["EMAIL_BACKEND"] == (
        "django.core.mail.backends.smtp.EmailBackend"
    )


def test_production_takes_its_mail_server_from_the_environment(production):
    server = {
        "EMAIL_HOST": "smtp.example.cn",
        "EMAIL_PORT": "587",
        "EMAIL_HOST_USER": "platform",
        "EMAIL_HOST_PASSWORD": "mail-secret",
        "EMAIL_USE_TLS": "true",
        "DEFAULT_FROM_EMAIL": "platform@example.cn",
    }
    found = email_settings({**production, **server})
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert {name: found[name] for name in server} == {**server, "EMAIL_USE_TLS": "True"}


def test_only_local_development_prints_email_to_the_console(production):
    local = {**production, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    assert email_settings(local)["EMAIL_BACKEND"] == (
        "django.core.mail.backends.console.EmailBackend"
    )


# 7. The development personal-data key is refused in production ----------------------------


def deploy_check(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_fails_with_the_development_personal_data_key(production):
    from config.settings.base import DEV_PERSONAL_DATA_KEY

    real = production["PERSONAL_DATA_KEYS"]
    result = deploy_check({**production, "PERSONAL_DATA_KEYS": f"{real},{DEV_PERSONAL_DATA_KEY}"})
    assert result.returncode != 0
    assert "config.E001" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("keys", "hash_key", "errors"),
    [
        ("real", "real", []),
        ("dev", "real", ["config.E001"]),
        ("real", "dev", ["config.E002"]),
        ("dev", "dev", ["config.E001", "config.E002"]),
    ],
)
def test_the_personal_data_check_names_each_development_key(settings, keys, hash_key, errors):
    from config.settings.base import DEV_PERSONAL_DATA_HASH_KEY, DEV_PERSONAL_DATA_KEY
    from core.checks import check_personal_data_keys

    settings.PERSONAL_DATA_KEYS = (
        [DEV_PERSONAL_DATA_KEY]
        if keys == "dev"
        else ["Gd0dU2Bq3XQ2kA2m4mHq8pQm3gQyq0E7yM6w5m2bZ1c="]
    )
    settings.PERSONAL_DATA_HASH_KEY = (
        DEV_PERSONAL_DATA_HASH_KEY if hash_key == "dev" else "a-real-hash-key"
    )
    assert [error.id for error in check_personal_data_keys(None)] == errors


def test_the_check_is_a_deploy_check():
    from django.core import checks

    from core.checks import check_personal_data_keys

    assert check_personal_data_keys in checks.registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert check_personal_data_keys not in checks.registry.registry.get_checks()


# 7. Neutral error messages: nonexistent and out of reach read the same -------------------

ORG_HEADER = "名称,统一社会信用代码,组织形式,登记日期,登记机关,指导妇联,关系,服务领域,从业人员,会员数,女性从业人员,荣誉,状态"
ORG_ROW = "{name},{code},社会服务机构/民办非企业单位,2023-05-01,槐荫区民政局,槐荫区妇联,培育,心理服务,6,0,5,,正常"


def import_errors(client, row) -> str:
    upload = io.BytesIO(f"{ORG_HEADER}\n{row}\n".encode())
    upload.name = "organizations.csv"
    response = client.post(
        "/admin/orgs/socialorganization/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    return response.content.decode()


def test_importing_the_name_or_code_of_an_organization_elsewhere_does_not_say_it_exists(
    admin_client_as, places
):
    from orgs.models import SocialOrganization
    from tests.factories import credit_code_for

    elsewhere = SocialOrganization.objects.get(name="东营区希望心理咨询服务中心")
    SocialOrganization.objects.filter(pk=elsewhere.pk).update(credit_code=credit_code_for(951))
    from orgs.resources import NOT_AVAILABLE_HERE

    client = admin_client_as("huaiyin")
    by_name = import_errors(client, ORG_ROW.format(name=elsewhere.name, code=credit_code_for(952)))
    by_code = import_errors(client, ORG_ROW.format(name="新组织", code=credit_code_for(951)))
    for page in (by_name, by_code):
        assert "已存在" not in page and "already exists" not in page
        assert str(NOT_AVAILABLE_HERE) in page


def assign(client, case, worker_id):
    return client.post(f"/api/v1/cases/{case.pk}/assign/", {"worker": worker_id}, format="json")


def test_assigning_a_worker_out_of_reach_reads_like_one_who_does_not_exist(
    api_as, places, user_named
):
    from cases import services
    from orgs.models import SocialOrganization

    case = take_call(places, user_named)
    services.case_triage(
        actor=user_named("dongying"),
        case=case,
        risk="high",
        categories=["domestic_violence"],
        organization=SocialOrganization.objects.get(name="东营区希望心理咨询服务中心"),
    )
    client = api_as("dongying")
    outsider = assign(client, case, user_named("huaiyin").pk)
    nobody = assign(client, case, 10**7)
    assert (outsider.status_code, outsider.json()) == (nobody.status_code, nobody.json())
    assert outsider.status_code == 400
    assert "10000000" not in str(nobody.json())
    assert assign(client, case, user_named("dongying-worker").pk).status_code == 200


def test_another_projects_indicator_reads_like_one_that_does_not_exist(api_as, places):
    from orgs.models import SocialOrganization
    from projects.models import IndicatorValue
    from tests.factories import ProjectFactory

    own = ProjectFactory(
        funder=places.jinan,
        implementer=SocialOrganization.objects.get(name="济南市女性社会组织联合会"),
    )
    other = ProjectFactory(
        funder=places.dongying,
        implementer=SocialOrganization.objects.get(name="东营区希望心理咨询服务中心"),
    )
    foreign = other.indicators.create(name="外", unit="次", kind="count", target=1)
    report = own.reports.get()
    client = api_as("jinan-org")

    def save_value(indicator_id):
        return client.patch(
            f"/api/v1/project-reports/{report.pk}/",
            {"values": [{"indicator": indicator_id, "value": "1"}]},
            format="json",
        )

    elsewhere, nowhere = save_value(foreign.pk), save_value(10**7)
    assert (elsewhere.status_code, elsewhere.json()) == (nowhere.status_code, nowhere.json())
    assert elsewhere.status_code == 400
    assert "其他项目" not in str(elsewhere.json())
    assert not IndicatorValue.objects.filter(report=report).exists()
    mine = own.indicators.create(name="培训人次", unit="人次", kind="count", target=300)
    assert save_value(mine.pk).status_code == 200


def test_the_service_refuses_another_projects_indicator_with_the_same_message(places, user_named):
    from core.errors import ServiceError
    from orgs.models import SocialOrganization
    from projects import services
    from tests.factories import ProjectFactory

    own = ProjectFactory(
        funder=places.jinan,
        implementer=SocialOrganization.objects.get(name="济南市女性社会组织联合会"),
    )
    other = ProjectFactory(funder=places.jinan, implementer=own.implementer)
    foreign = other.indicators.create(name="外", unit="次", kind="count", target=1)
    with pytest.raises(ServiceError) as refused:
        services.report_save(
            actor=user_named("jinan-org"),
            report=own.reports.get(),
            values={foreign: (1, None)},
        )
    assert "其他项目" not in str(refused.value.message)


# 7. Demo rating cards carry random codes ------------------------------------------------

CARD_ALPHABET = set(string.ascii_letters + string.digits + "-_")


def test_demo_rating_cards_have_random_codes_like_real_ones(demo):
    from menu.models import RatingCard

    codes = list(RatingCard.objects.values_list("code", flat=True))
    assert len(codes) >= 10
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == 12 and set(code) <= CARD_ALPHABET, code
        assert not re.fullmatch(r"[a-z]*\d+", code), code
    # Codes of one order share no prefix a guesser could count from.
    assert len({code[:6] for code in codes}) == len(codes)


# 7. Pooled database connections ---------------------------------------------------------


def test_connections_come_from_a_bounded_pool(settings):
    database = settings.DATABASES["default"]
    pool = database["OPTIONS"]["pool"]
    assert database["CONN_MAX_AGE"] == 0
    assert 0 < pool["min_size"] <= pool["max_size"]


def test_the_pool_size_comes_from_the_environment(monkeypatch):
    from config.env import database_config

    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/db")
    monkeypatch.setenv("DB_POOL_MIN", "3")
    monkeypatch.setenv("DB_POOL_MAX", "7")
    pool = database_config()["OPTIONS"]["pool"]
    assert (pool["min_size"], pool["max_size"]) == (3, 7)


BURST = 60


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_parallel_requests_is_served_within_the_pool(live_server, settings):
    from federation.models import Federation
    from tests.factories import FederationFactory, UserFactory

    assert live_server.url.startswith("http://localhost:") or "127.0.0.1" in live_server.url
    root = FederationFactory()
    user = UserFactory(is_superuser=True, is_staff=True)
    _instance, token = AuthToken.objects.create(user)
    assert Federation.objects.visible_to(user).filter(pk=root.pk).exists()
    url = f"{live_server.url}/api/v1/dashboard/?federation={root.pk}"
    database = connection.settings_dict["NAME"]
    max_size = settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]
    assert max_size < BURST  # the burst asks for more connections than the pool lends

    def ask(_number):
        request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    peak = 0
    deadline = time.monotonic() + 120
    with connection.cursor() as cursor:

        def connections_now():
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [database])
            return cursor.fetchone()[0]

        with ThreadPoolExecutor(max_workers=BURST) as executor:
            futures = [executor.submit(ask, number) for number in range(BURST)]
            while not all(future.done() for future in futures) and time.monotonic() < deadline:
                peak = max(peak, connections_now())
                time.sleep(0.005)
            statuses = [future.result(timeout=60) for future in futures]
    assert len(statuses) == BURST
    assert all(status < 500 for status in statuses), statuses
    assert statuses.count(200) == BURST
    # The live server's requests share the pool; the test's own connection is the one more.
    assert peak <= max_size + 1
