"""Scope of the federation models in the API and the admin, via the shared contracts."""

import pytest

from federation.choices import Level
from federation.models import ExecutiveMember, StaffMembership, WomenGroup
from tests.factories import FederationFactory, StaffMembershipFactory, VenueFactory
from tests.scope_contract import ScopedAdminContract, ScopedAPIContract, listed_ids

pytestmark = pytest.mark.django_db


class TestFederationAPI(ScopedAPIContract):
    list_url = "/api/v1/federations/"

    def make(self, federation):
        return FederationFactory(parent=federation)


class TestFederationAdmin(ScopedAdminContract):
    admin_name = "federation_federation"

    def make(self, federation):
        return FederationFactory(parent=federation)


class TestVenueAdmin(ScopedAdminContract):
    admin_name = "federation_venue"

    def make(self, federation):
        return VenueFactory(federation=federation)


class TestExecutiveMemberAdmin(ScopedAdminContract):
    admin_name = "federation_executivemember"

    def make(self, federation):
        return ExecutiveMember.objects.create(
            federation=federation, name="执委", term_start="2024-01-01"
        )


class TestWomenGroupAdmin(ScopedAdminContract):
    admin_name = "federation_womengroup"

    def make(self, federation):
        village = FederationFactory(parent=federation, level=Level.VILLAGE)
        return WomenGroup.objects.create(federation=village, name="第一网格妇女小组")


class TestStaffMembershipAdmin(ScopedAdminContract):
    admin_name = "federation_staffmembership"

    def make(self, federation):
        return StaffMembershipFactory(federation=federation)


# The acceptance, named as it is written ------------------------------------


def test_huaiyin_gets_404_for_dongying_and_never_lists_it(api_as, places):
    client = api_as("huaiyin")
    assert client.get(f"/api/v1/federations/{places.dongying.pk}/").status_code == 404
    listed = listed_ids(client.get("/api/v1/federations/", {"page_size": 200}))
    assert places.dongying.pk not in listed
    assert places.huaiyin.pk in listed
    assert places.jinan.pk not in listed  # the parent is outside her subtree too


def test_jinan_sees_huaiyin_and_not_dongying(api_as, places):
    listed = listed_ids(api_as("jinan").get("/api/v1/federations/", {"page_size": 200}))
    assert places.huaiyin.pk in listed
    assert places.dongying.pk not in listed


def test_shandong_sees_both_and_nothing_of_fujian(api_as, places):
    client = api_as("shandong")
    listed = listed_ids(client.get("/api/v1/federations/", {"page_size": 200}))
    assert {places.huaiyin.pk, places.dongying.pk} <= listed
    assert places.fujian.pk not in listed
    assert places.fuzhou.pk not in listed
    assert client.get(f"/api/v1/federations/{places.fuzhou.pk}/").status_code == 404


def test_huaiyin_admin_changelist_has_only_her_subtree(admin_client_as, places):
    response = admin_client_as("huaiyin").get("/admin/federation/federation/")
    shown = {obj.pk for obj in response.context["cl"].result_list}
    expected = set(places.huaiyin.descendants(include_self=True).values_list("pk", flat=True))
    assert shown == expected


def test_admin_foreign_key_choices_are_scoped(admin_client_as, places):
    response = admin_client_as("huaiyin").get("/admin/federation/venue/add/")
    choices = response.context["adminform"].form.fields["federation"].queryset
    assert places.yingshijie in choices
    assert places.dongying not in choices


def test_admin_autocomplete_offers_only_own_subtree(admin_client_as, places):
    response = admin_client_as("huaiyin").get(
        "/admin/autocomplete/",
        {
            "app_label": "federation",
            "model_name": "venue",
            "field_name": "federation",
            "term": "妇联",
        },
    )
    names = {row["text"] for row in response.json()["results"]}
    assert "营市街街道妇联" in names
    assert "东营区妇联" not in names


def test_admin_cannot_save_a_record_into_another_subtree(admin_client_as, places):
    venue = VenueFactory(federation=places.yingshijie)
    response = admin_client_as("huaiyin").post(
        f"/admin/federation/venue/{venue.pk}/change/",
        {
            "name": venue.name,
            "kind": venue.kind,
            "federation": places.dongying.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "federation" in response.context["adminform"].form.errors
    venue.refresh_from_db()
    assert venue.federation == places.yingshijie


def test_viewer_here_and_admin_there_cannot_edit_here(admin_client_as, places, user_named):
    huaiyin = user_named("huaiyin")
    StaffMembership.objects.create(user=huaiyin, federation=places.dongying, role="viewer")
    venue = VenueFactory(federation=places.dongying)
    client = admin_client_as("huaiyin")
    response = client.get(f"/admin/federation/venue/{venue.pk}/change/")
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    mine = VenueFactory(federation=places.yingshijie)
    assert client.get(f"/admin/federation/venue/{mine.pk}/change/").context["has_change_permission"]


def test_user_without_any_membership_sees_nothing(api_as, places):
    from tests.factories import UserFactory

    client = api_as(None)
    client.force_authenticate(UserFactory())
    assert listed_ids(client.get("/api/v1/federations/")) == set()


def test_changelist_links_each_node_to_its_children(admin_client_as, places):
    client = admin_client_as("huaiyin")
    response = client.get("/admin/federation/federation/", {"parent__id__exact": places.huaiyin.pk})
    assert response.status_code == 200
    shown = {obj.name for obj in response.context["cl"].result_list}
    assert shown == {"振兴街街道妇联", "营市街街道妇联", "张庄路街道妇联"}
