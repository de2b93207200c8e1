"""The register's journey on a phone, by links and buttons only: a village worker registers a
child, the county pairs her with a sponsor, a stipend passes the village's, the county's and the
city's checks (each told by a notice), and the village records a visit with a photo."""

from datetime import date

import pytest
from django.utils import timezone

from people.models import Person, Stipend
from tests.people_tree import build_tree, fund_with
from tests.test_journeys import Journey
from tests.upload_files import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_child_is_registered_paired_paid_after_three_checks_and_visited(
    browser, live_server, eager_tasks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    tree = build_tree()
    fund = fund_with(tree, 50_000)
    photo = tmp_path / "入户走访.jpg"
    photo.write_bytes(jpeg_bytes())

    def person(username):
        return Journey(browser, live_server.url, username, "people-register-and-sponsor")

    village = person("village-officer")
    village.click("a.platform-link[href='/people/']")
    village.page.fill("#id_phone", "13841500001")
    village.click("#person-search button[type=submit]")
    assert "没有人登记过" in village.text("#search-results")
    village.step("search-before-create")
    village.click("#register-found-none")
    assert village.page.input_value("#id_phone") == "13841500001"
    village.page.select_option("#id_kind", "child")
    village.page.fill("#id_name", "王小雨")
    village.page.fill("#id_id_number", "210603201501010023")
    village.page.fill("#id_guardian", "王桂兰（奶奶）")
    for use in ("services", "sponsorship", "photos"):
        village.page.check(f"#id_consents input[value={use}]")
    village.step("register-form")
    village.click("#person-form button[type=submit]")
    assert "已登记" in village.text("main")
    assert village.text("h1").startswith("王小雨")
    village.step("registered")

    county = person("county-officer")
    county.click("a.platform-link[href='/people/']")
    county.click("#person-list a:has-text('王*')")
    county.step("her-record")
    county.click("#pair-her")
    county.page.fill("#id_new_sponsor_name", "刘建国")
    county.page.select_option("#id_fund", str(fund.pk))
    county.page.fill("#id_monthly_amount", "300")
    county.page.fill("#id_months", "12")
    county.page.fill("#id_starts_on", f"{timezone.localdate():%Y-%m-%d}")
    county.page.select_option("#id_village_contact", index=1)
    county.step("pairing-form")
    county.click("#pairing-form button[type=submit]")
    assert "结对成功" in county.text("main")
    county.step("paired")

    village.click("a.navbar-brand")
    village.click("a.platform-link[href='/pairings/']")
    village.step("stipends-waiting")
    village.click("#stipends-waiting button:has-text('确认')")
    assert "已确认" in village.text("main")

    county.click("a.navbar-brand")
    county.notice("待县（区）审核")
    county.step("stipend-to-check")
    county.click("#stipends button:has-text('审核通过')")
    assert "已审核" in county.text("main")

    city = person("city-officer")
    city.notice("待市放款")
    city.step("stipend-to-release")
    city.page.click("#stipends details.confirm-move summary")
    city.step("release-asks-first")
    city.click("#stipends details.confirm-move button")
    assert "已放款" in city.text("main")
    city.step("released")
    stipend = Stipend.objects.get(status="paid")
    assert {stipend.village_confirmed_by, stipend.county_checked_by, stipend.released_by} == {
        tree.village_officer,
        tree.county_officer,
        tree.city_officer,
    }
    fund.refresh_from_db()
    assert fund.balance == 50_000 - 300

    village.click("a.navbar-brand")
    village.click("a.platform-link[href='/people/']")
    village.click("#person-list a:has-text('王*')")
    village.click("#record-growth")
    village.page.select_option("#id_kind", "visit")
    village.page.fill("#id_on", f"{date.today():%Y-%m-%d}")
    village.page.fill("#id_notes", "孩子在奶奶家，学习用品已送到")
    village.page.set_input_files("#id_photo", str(photo))
    village.step("visit-form")
    village.click("#growth-form button[type=submit]")
    assert "已记入成长档案" in village.text("main")
    assert village.page.locator("#growth img.growth-photo").count() == 1
    village.step("visit-recorded")
    assert Person.objects.get().growth.get().photo
