"""`manage.py seed_demo`: the demo tree with the official codes, loaded idempotently."""

import csv
import lzma

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from federation.choices import Kind
from federation.divisions import DIVISIONS
from federation.models import Federation

pytestmark = pytest.mark.django_db

# The official list the project vendors (federation/data, every division down to the villages).
REFERENCE = DIVISIONS


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "federation", "orgs", "projects", "menu"}
    }


def test_seed_demo_twice_changes_nothing(capsys):
    call_command("seed_demo")
    first = row_counts()
    paths = dict(Federation.objects.values_list("name", "path"))
    call_command("seed_demo")
    assert row_counts() == first
    assert dict(Federation.objects.values_list("name", "path")) == paths
    assert "huaiyin" in capsys.readouterr().out


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared/data is not beside the repository")
def test_division_codes_match_the_official_reference(demo):
    with lzma.open(REFERENCE, "rt", encoding="utf-8") as rows:
        official = {row["code"]: row for row in csv.DictReader(rows)}
    for node in Federation.objects.filter(kind=Kind.REGIONAL).exclude(division_code=""):
        if len(node.division_code) == 12:
            assert node.division_code[:9] == node.parent.division_code  # illustrative village code
            continue
        row = official[node.division_code]
        assert node.name.startswith(row["name"]), node.name
        assert node.level == row["level"]
        if row["parent_code"]:
            assert node.parent.division_code == row["parent_code"]


def test_demo_tree_holds_the_places_of_the_seeds(demo):
    chain = Federation.objects.get(name="大枣庄村妇联").ancestors()
    assert [f.name for f in chain][-3:] == ["枣庄市妇联", "峄城区妇联", "古邵镇妇联"]
    new_field = Federation.objects.filter(kind=Kind.NEW_FIELD)
    assert set(new_field.values_list("name", flat=True)) == {
        "福建省社会工作领域妇联",
        "漳州市台商协会妇联",
        "闽侯县社会组织孵化基地妇联",
        "柘荣县剪纸协会妇联",
    }
    for node in Federation.objects.all():
        node.full_clean()


@pytest.mark.parametrize(
    ("username", "federation", "role"),
    [
        ("shandong", "山东省妇联", "admin"),
        ("jinan", "济南市妇联", "admin"),
        ("huaiyin", "槐荫区妇联", "admin"),
        ("dongying", "东营区妇联", "case_supervisor"),
        ("fuzhou", "福州市妇联", "admin"),
    ],
)
def test_demo_logins(demo, username, federation, role):
    user = User.objects.get(username=username)
    assert user.check_password("demo-pass-2026")
    membership = user.staff_memberships.get()
    assert (membership.federation.name, membership.role) == (federation, role)


def test_admin_is_a_superuser(demo):
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo-pass-2026")
