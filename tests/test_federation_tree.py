"""The materialized-path tree: subtree queries, moves, and the rules of the hierarchy."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.errors import NotAllowed
from federation.choices import BuildMode, HostType, Kind, Level
from federation.models import Federation
from federation.services import federation_move, federation_rebuild_paths
from tests.factories import FederationFactory

pytestmark = pytest.mark.django_db


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_subtree_is_the_node_and_everything_below(places):
    subtree = names(places.huaiyin.descendants(include_self=True))
    assert {"槐荫区妇联", "营市街街道妇联", "西杜社区妇联"} <= subtree
    assert "东营区妇联" not in subtree
    assert "济南市妇联" not in subtree


def test_ancestors_run_from_the_root_down(places):
    village = Federation.objects.get(name="西杜社区妇联")
    assert [f.name for f in village.ancestors()] == [
        "全国妇联",
        "山东省妇联",
        "济南市妇联",
        "槐荫区妇联",
        "营市街街道妇联",
    ]


def test_subtree_query_is_one_indexed_prefix_match(places):
    sql, params = Federation.objects.within(places.huaiyin).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "federation_federation_path" in plan, plan
    assert "Seq Scan" not in plan


def test_moving_a_subtree_rewrites_every_path_below_it(places):
    street = Federation.objects.get(name="营市街街道妇联")
    villages = list(street.children.all())
    street.parent = places.dongying
    street.save()
    for village in villages:
        village.refresh_from_db()
        assert village.path.startswith(street.path)
        assert village.depth == street.depth + 1
    assert not places.huaiyin.descendants().filter(pk=street.pk).exists()
    assert places.dongying.descendants().filter(pk__in=[v.pk for v in villages]).count() == 2


def test_moving_keeps_paths_equal_to_what_the_parent_links_say(places):
    street = Federation.objects.get(name="营市街街道妇联")
    street.parent = places.dongying
    street.save()
    assert federation_rebuild_paths() == 0


def test_a_node_cannot_move_under_its_own_subtree(places):
    village = Federation.objects.get(name="西杜社区妇联")
    places.huaiyin.parent = village
    with pytest.raises(ValidationError):
        places.huaiyin.full_clean()
    with pytest.raises(ValidationError):
        places.huaiyin.save()


def new_field_federation(parent) -> Federation:
    return Federation.objects.create(
        name="楼宇妇联",
        kind=Kind.NEW_FIELD,
        level=parent.level,
        parent=parent,
        build_mode=BuildMode.REGIONAL_JOINT,
        host_type=HostType.PARK,
    )


def test_move_service_needs_admin_of_both_places(places, user_named):
    building = new_field_federation(places.huaiyin)
    with pytest.raises(NotAllowed):
        federation_move(
            actor=user_named("huaiyin"), federation=building, new_parent=places.dongying
        )
    building.refresh_from_db()
    assert building.parent == places.huaiyin
    federation_move(actor=user_named("shandong"), federation=building, new_parent=places.dongying)
    building.refresh_from_db()
    assert building.is_within(places.dongying)


def test_move_service_validates_the_new_place(places, user_named):
    street = Federation.objects.get(name="营市街街道妇联")
    with pytest.raises(ValidationError):
        federation_move(actor=user_named("shandong"), federation=street, new_parent=places.dongying)
    street.refresh_from_db()
    assert street.parent == places.huaiyin


def test_rebuild_repairs_a_corrupted_path(places):
    village = Federation.objects.get(name="西杜社区妇联")
    Federation.objects.filter(pk=village.pk).update(path="ffffffff")
    assert federation_rebuild_paths() == 1
    village.refresh_from_db()
    assert village.is_within(places.huaiyin)


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"level": Level.TOWNSHIP, "division_code": "370105"}, "division_code"),  # a county code
        ({"level": Level.TOWNSHIP, "division_code": "370502001"}, "division_code"),  # other county
        ({"level": Level.COUNTY, "division_code": "370105"}, "level"),  # not below the parent
        ({"level": Level.TOWNSHIP, "division_code": ""}, "division_code"),
        ({"level": Level.TOWNSHIP, "division_code": "37010400"}, "division_code"),
        (
            {"level": Level.TOWNSHIP, "division_code": "370104099", "build_mode": "own"},
            "build_mode",
        ),
    ],
)
def test_regional_rules_refuse_bad_input(places, fields, field_in_error):
    node = Federation(name="新妇联", kind=Kind.REGIONAL, parent=places.huaiyin, **fields)
    with pytest.raises(ValidationError) as error:
        node.full_clean()
    assert field_in_error in error.value.message_dict


def test_a_valid_township_passes(places):
    node = Federation(
        name="玉清湖街道妇联",
        level=Level.TOWNSHIP,
        division_code="370104015",
        parent=places.huaiyin,
    )
    node.full_clean()


def test_new_field_federation_needs_build_mode_and_host(places):
    node = Federation(
        name="楼宇妇联", kind=Kind.NEW_FIELD, level=Level.COUNTY, parent=places.huaiyin
    )
    with pytest.raises(ValidationError) as error:
        node.full_clean()
    assert "build_mode" in error.value.message_dict
    node.build_mode, node.host_type = BuildMode.OWN, HostType.PARK
    node.full_clean()


def test_division_codes_are_unique_among_regional_federations(places):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        FederationFactory(parent=places.jinan, level=Level.COUNTY, division_code="370104")
