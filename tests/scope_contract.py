"""Scope tests written once (after NetBox's ViewTestCases).

A model's test class supplies its data — `make(federation)` returns a record that
belongs to that node — and inherits the tests every scoped endpoint must pass:
the owner's subtree sees it, a sibling subtree gets 404 and never lists it, the
parent sees it, and a list runs the same number of queries for 3 rows or 12.

The demo users: `huaiyin` administers 槐荫区, `jinan` 济南市; 东营区 is a cousin.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

ALL_ROWS = {"page_size": 200}


def listed_ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


class ScopedAPIContract:
    list_url: str

    def make(self, federation):
        raise NotImplementedError

    def detail_url(self, obj) -> str:
        return f"{self.list_url}{obj.pk}/"

    def test_own_subtree_lists_and_opens_it(self, api_as, places):
        inside = self.make(places.yingshijie)
        client = api_as("huaiyin")
        assert inside.pk in listed_ids(client.get(self.list_url, ALL_ROWS))
        assert client.get(self.detail_url(inside)).status_code == 200

    def test_other_subtree_is_404_and_never_listed(self, api_as, places):
        outside = self.make(places.dongying)
        client = api_as("huaiyin")
        assert outside.pk not in listed_ids(client.get(self.list_url, ALL_ROWS))
        assert client.get(self.detail_url(outside)).status_code == 404

    def test_parent_federation_sees_it(self, api_as, places):
        inside = self.make(places.yingshijie)
        assert api_as("jinan").get(self.detail_url(inside)).status_code == 200

    def test_anonymous_is_refused(self, api_as, places):
        inside = self.make(places.yingshijie)
        client = api_as(None)
        assert client.get(self.list_url).status_code == 401
        assert client.get(self.detail_url(inside)).status_code == 401

    def test_list_runs_constant_queries(self, api_as, places):
        for _ in range(3):
            self.make(places.yingshijie)
        few = count_queries(lambda: api_as("huaiyin").get(self.list_url, {"page_size": 3}))
        for _ in range(12):
            self.make(places.yingshijie)
        many = count_queries(lambda: api_as("huaiyin").get(self.list_url, {"page_size": 15}))
        assert few == many


class ScopedAdminContract:
    admin_name: str  # e.g. "federation_venue"

    def make(self, federation):
        raise NotImplementedError

    @property
    def changelist_url(self) -> str:
        return f"/admin/{self.admin_name.replace('_', '/', 1)}/"

    def change_url(self, obj) -> str:
        return f"{self.changelist_url}{obj.pk}/change/"

    def test_changelist_shows_own_subtree_only(self, admin_client_as, places):
        inside = self.make(places.yingshijie)
        outside = self.make(places.dongying)
        response = admin_client_as("huaiyin").get(self.changelist_url)
        assert response.status_code == 200
        shown = {obj.pk for obj in response.context["cl"].result_list}
        assert inside.pk in shown
        assert outside.pk not in shown

    def test_change_page_outside_is_not_found(self, admin_client_as, places):
        outside = self.make(places.dongying)
        client = admin_client_as("huaiyin")
        response = client.get(self.change_url(outside))
        assert response.status_code == 404
        assert str(outside) not in response.content.decode()

    def test_change_page_inside_opens(self, admin_client_as, places):
        inside = self.make(places.yingshijie)
        assert admin_client_as("huaiyin").get(self.change_url(inside)).status_code == 200

    def test_changelist_runs_constant_queries(self, admin_client_as, places):
        client = admin_client_as("huaiyin")
        for _ in range(3):
            self.make(places.yingshijie)
        few = count_queries(lambda: client.get(self.changelist_url))
        for _ in range(12):
            self.make(places.yingshijie)
        many = count_queries(lambda: client.get(self.changelist_url))
        assert few == many
