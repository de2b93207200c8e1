"""Women's groups (妇女小组) under any federation, new-field ones included (福建's "1+N"), and the
federation list showing each node with its N groups."""

import pytest
from django.core.exceptions import ValidationError

from federation.choices import Kind, Level
from federation.models import ExecutiveMember, Federation, WomenGroup

pytestmark = [pytest.mark.django_db, pytest.mark.demo("federation")]


def test_a_group_is_accepted_under_a_federation_of_every_level_and_kind(places):
    papercut = Federation.objects.get(name="柘荣县剪纸协会妇联")
    assert papercut.kind == Kind.NEW_FIELD
    nodes = [papercut] + [
        Federation.objects.filter(level=level, kind=Kind.REGIONAL).first() for level in Level.values
    ]
    for node in nodes:
        group = WomenGroup(federation=node, name=f"{node.name}第一妇女小组", leader_name="张秀英")
        group.full_clean()
        group.save()
    assert WomenGroup.objects.filter(federation__kind=Kind.NEW_FIELD).count() == 1
    assert WomenGroup.objects.values("federation__level").distinct().count() == len(Level.values)


def test_a_group_is_led_by_one_executive_member_of_its_own_or_a_named_member(places):
    village = Federation.objects.get(division_code="370104006001")
    member = ExecutiveMember.objects.create(
        federation=village, name="李执委", term_start="2024-01-01"
    )
    with pytest.raises(ValidationError):
        WomenGroup(federation=village, name="甲", leader=member, leader_name="王").full_clean()
    with pytest.raises(ValidationError):
        WomenGroup(federation=places.huaiyin, name="乙", leader=member).full_clean()
    WomenGroup(federation=village, name="丙", leader=member).full_clean()


def test_the_federation_list_shows_each_node_with_its_groups(admin_client_as, places):
    papercut = Federation.objects.get(name="柘荣县剪纸协会妇联")
    for number in range(1, 8):
        WomenGroup.objects.create(federation=papercut, name=f"剪纸妇女小组{number}")
    page = admin_client_as("admin").get("/admin/federation/federation/", {"q": "剪纸"})
    assert ">1+7</a>" in page.content.decode()
