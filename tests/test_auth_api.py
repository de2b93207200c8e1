"""Signing in to the API: expiring hashed tokens, /me/, throttled logins, auth everywhere."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient, APIRequestFactory

from accounts.api.views import TokenView
from public.api.views import CodeView as PublicCodeView
from public.api.views import TokenView as PublicTokenView

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "demo-pass-2026"


def get_token(client, username="huaiyin", password=PASSWORD, address="10.0.0.1"):
    return client.post(
        TOKEN_URL, {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_token_is_issued_expires_and_is_stored_hashed(demo):
    response = get_token(APIClient())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    stored = AuthToken.objects.get(user__username="huaiyin")
    assert body["token"] not in (stored.digest, stored.token_key)
    assert stored.expiry > timezone.now()


def test_token_authenticates_until_it_expires(demo):
    token = get_token(APIClient()).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["username"] == "huaiyin"
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 401


def test_logout_revokes_the_token(demo):
    token = get_token(APIClient()).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_wrong_password_is_refused_in_chinese(demo):
    response = get_token(APIClient(), password="wrong", address="10.0.0.2")
    assert response.status_code == 401
    assert "密码" in response.json()["detail"]


def test_bad_token_request_says_which_field(demo):
    response = APIClient().post(TOKEN_URL, {"username": "huaiyin"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_logins_are_locked_per_username_and_address_after_five_failures(demo, settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        get_token(client, password="wrong", address="10.9.9.9")
    assert get_token(client, address="10.9.9.9").status_code == 429
    # Another address, or another user from the same address, is not locked.
    assert get_token(client, address="10.9.9.10").status_code == 200
    assert get_token(client, username="jinan", address="10.9.9.9").status_code == 200


def test_me_lists_memberships_and_roles(api_as):
    body = api_as("dongying").get("/api/v1/me/").json()
    assert body["username"] == "dongying"
    assert body["roles"] == ["case_supervisor"]
    assert body["memberships"][0]["federation_name"] == "东营区妇联"


# Every API view requires authentication unless it is on this list.
ANONYMOUS_ALLOWLIST = {TokenView, PublicCodeView, PublicTokenView}


def api_views(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from api_views(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api"):
            yield route, pattern.callback


def test_every_api_view_requires_authentication_unless_allowlisted(db):
    anonymous = APIRequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    anonymous.user = AnonymousUser()
    checked = 0
    for route, callback in api_views():
        view_class = getattr(callback, "cls", None)
        assert view_class is not None, f"{route} is not a REST framework view"
        if view_class in ANONYMOUS_ALLOWLIST:
            continue
        view = view_class()
        allowed = all(
            permission().has_permission(anonymous, view) for permission in view.permission_classes
        )
        assert not allowed, f"{route} ({view_class.__name__}) lets anonymous users in"
        checked += 1
    assert checked >= 5


def test_allowlisted_views_are_still_there():
    views = {getattr(callback, "cls", None) for _, callback in api_views()}
    assert views >= ANONYMOUS_ALLOWLIST
