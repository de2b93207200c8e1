"""Secure by default: deploy checks, headers, sessions, errors without tracebacks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def production_env(db_settings) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 20 + "-production-test-key-" + "y" * 30,
        "ALLOWED_HOSTS": "testserver,platform.example.cn",
        "DATABASE_URL": database_url(db_settings),
        "PERSONAL_DATA_KEYS": "Gd0dU2Bq3XQ2kA2m4mHq8pQm3gQyq0E7yM6w5m2bZ1c=",
        "PERSONAL_DATA_HASH_KEY": "production-test-case-hash-key",
        "SMS_TENCENT_SECRET_ID": "AKIDproductiontest",
        "SMS_TENCENT_SECRET_KEY": "production-test-sms-key",
        "SMS_TENCENT_APP_ID": "1400000001",
        "SMS_SIGN_NAME": "妇联平台",
        "SMS_TEMPLATE_LOGIN_CODE": "1000001",
        "SMS_TEMPLATE_NOTICE": "1000002",
    }
    return env


def database_url(db) -> str:
    host = db["HOST"] or "localhost"
    if host.startswith("/"):
        return f"postgresql://{db['USER']}@/{db['NAME']}?host={host}&port={db['PORT'] or 5432}"
    return f"postgresql://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def production(db):
    return production_env(connection.settings_dict)


def run_in_production(env, code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_passes_in_production_mode_without_warnings(production):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_PROBE = """
import django
django.setup()
from django.test import Client
client = Client()
api = client.get("/api/v1/federations/", HTTP_ACCEPT="text/html", secure=True)
print("browsable", api.status_code, api["Content-Type"])
print("api", client.get("/api/v1/federations/", secure=True).status_code)
schema = client.get("/api/schema/", secure=True)
print("schema", schema.status_code)
docs = client.get("/api/docs/", secure=True)
print("docs", docs.status_code)
"""


def test_production_has_no_browsable_api_and_no_anonymous_schema(production):
    result = run_in_production(production, PRODUCTION_PROBE)
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    # Asked for HTML, production answers in JSON only (406), never the browsable page.
    assert lines["browsable"] == "406 application/json"
    assert lines["api"] == "401"
    assert lines["schema"] == "401"
    assert lines["docs"] == "401"


def test_security_headers_and_csp_on_every_page(client, db):
    response = client.get("/admin/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sessions_expire_when_idle(admin_client_as, settings):
    client = admin_client_as("huaiyin")
    assert settings.SESSION_COOKIE_AGE <= 3600
    client.get("/admin/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    # Idle past the limit: the stored session has expired and the user is signed out.
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.update(expire_date=timezone.now())
    assert client.get("/admin/").status_code == 302


@pytest.mark.urls("tests.crash_urls")
def test_api_errors_carry_no_traceback(client, db):
    client.raise_request_exception = False
    response = client.get("/api/crash/")
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器出错，已记录在案。"}
    assert "secret internal detail" not in response.content.decode()


@pytest.mark.urls("tests.crash_urls")
def test_page_errors_carry_no_traceback(client, db):
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Traceback" not in body
    assert "secret internal detail" not in body


def project_python_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {".venv", "var", "tests"} or "migrations" in parts:
            continue
        yield path


def test_no_serializer_exposes_all_fields():
    offenders = [
        str(path.relative_to(ROOT))
        for path in project_python_files()
        if re.search(r"fields\s*=\s*['\"]__all__['\"]", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_template_loads_anything_from_the_internet():
    pattern = re.compile(r"""(src|href)=["']?(https?:)?//""")
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
