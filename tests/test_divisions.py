"""A province's regional tree from the official divisions, in one step (issue 14)."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from federation.divisions import import_divisions
from federation.models import Federation

pytestmark = [pytest.mark.django_db, pytest.mark.demo("federation")]


def test_shandong_down_to_the_villages_keeps_what_exists(places):
    jinan_before = Federation.objects.get(pk=places.jinan.pk)
    counts = import_divisions("37")
    shandong = Federation.objects.filter(path__startswith=places.shandong.path)
    by_level = dict(shandong.values_list("level").annotate(n=Count("pk")))
    assert by_level == {
        "province": 1,
        "city": 16,
        "county": 151,
        "township": 1853,
        "village": 62075,
    }
    assert counts["created"] + counts["kept"] == sum(by_level.values())
    # The demo's nodes are kept as they were, with their paths; the new ones hang in place.
    jinan = Federation.objects.get(pk=places.jinan.pk)
    assert (jinan.path, jinan.name) == (jinan_before.path, jinan_before.name)
    qingdao = Federation.objects.get(division_code="370200", kind="regional")
    assert (qingdao.name, qingdao.parent_id) == ("青岛市妇联", places.shandong.pk)
    village = Federation.objects.get(division_code="370202001001")
    assert village.name == "云霄路社区妇联"
    assert village.parent.division_code == "370202001"
    misplaced = shandong.exclude(pk=places.shandong.pk).exclude(path__startswith=F("parent__path"))
    assert not misplaced.exists()
    assert import_divisions("37")["created"] == 0  # once only


def test_a_municipalitys_districts_hang_under_it():
    import_divisions("11", down_to="county")
    beijing = Federation.objects.get(division_code="110000", kind="regional")
    dongcheng = Federation.objects.get(division_code="110101")
    assert dongcheng.parent == beijing and dongcheng.name == "东城区妇联"
    assert not Federation.objects.filter(name="市辖区妇联").exists()


def test_the_command_refuses_a_code_that_is_no_province():
    with pytest.raises(CommandError):
        call_command("import_divisions", "--province", "99")
    with pytest.raises(CommandError):
        call_command("import_divisions", "--province", "shandong")


@pytest.mark.demo("projects")
def test_the_shandong_preset_puts_its_facts_on_the_real_tree(places):
    """The preset's generator on 山东's official tree, at a tiny size: every fact hangs under a
    county or below, and the province's dashboard counts them."""
    from dashboards.selectors import dashboard
    from projects.models import Project
    from scale.generator import Generator, Preset
    from volunteers.models import Volunteer

    tiny = Preset(0, 0, 0, 0, 20, 12, 2, 2, 30, 2, 100, 100, 10, divisions="37")
    Generator(tiny).run()
    generated = Project.objects.filter(code__startswith="SCALE-")
    assert generated.count() == 12
    assert not generated.exclude(funder__level__in=["county", "township", "village"]).exists()
    assert not generated.exclude(funder__path__startswith=places.shandong.path).exists()
    volunteers = Volunteer.objects.filter(federation__path__startswith=places.shandong.path)
    assert volunteers.filter(federation__division_code__regex=r"^\d{9}(\d{3})?$").exists()
    figures = dashboard(places.shandong, date(2020, 1, 1), date(2030, 12, 31))
    assert figures["projects"]["total"] >= 12
