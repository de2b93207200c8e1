"""Social organizations: rules, scope (federations and the organization's own staff), import/export."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from orgs.models import SocialOrganization
from tests.factories import OrganizationFactory
from tests.scope_contract import ScopedAdminContract, ScopedAPIContract, listed_ids

pytestmark = [pytest.mark.django_db, pytest.mark.demo("orgs")]


class TestOrganizationAPI(ScopedAPIContract):
    list_url = "/api/v1/organizations/"

    def make(self, federation):
        return OrganizationFactory(guiding_federation=federation)


class TestOrganizationAdmin(ScopedAdminContract):
    admin_name = "orgs_socialorganization"

    def make(self, federation):
        return OrganizationFactory(guiding_federation=federation)


def org(name) -> SocialOrganization:
    return SocialOrganization.objects.get(name=name)


def test_organization_staff_see_only_their_own(api_as, demo):
    client = api_as("jinan-org")
    own, other = org("济南市女性社会组织联合会"), org("东营区希望心理咨询服务中心")
    assert listed_ids(client.get("/api/v1/organizations/")) == {own.pk}
    assert client.get(f"/api/v1/organizations/{other.pk}/").status_code == 404


def test_filters_by_domain_and_subtree(api_as, places):
    client = api_as("shandong")
    psych = listed_ids(client.get("/api/v1/organizations/", {"domain": "psychological"}))
    assert org("东营区希望心理咨询服务中心").pk in psych
    assert org("张店区筑仁成长公益服务中心").pk not in psych
    within = listed_ids(client.get("/api/v1/organizations/", {"within": places.dongying.pk}))
    assert within == {org("东营区希望心理咨询服务中心").pk}


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"credit_code": "52370104MK0000001X"}, "credit_code"),
        ({"credit_code": None}, "credit_code"),
        ({"staff_count": 3, "female_practitioner_count": 4}, "female_practitioner_count"),
    ],
)
def test_bad_organizations_are_refused(places, fields, field_in_error):
    organization = OrganizationFactory.build(guiding_federation=places.huaiyin, **fields)
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert field_in_error in error.value.message_dict


def test_unregistered_organizations_need_no_credit_code(places):
    OrganizationFactory.build(
        guiding_federation=places.huaiyin, legal_form="unregistered", credit_code=None
    ).full_clean()


# Import and export ----------------------------------------------------------------------

HEADER = "名称,统一社会信用代码,组织形式,登记日期,登记机关,指导妇联,关系,服务领域,从业人员,会员数,女性从业人员,荣誉,状态"
GOOD_ROW = "槐荫区巾帼心理服务中心,{code},社会服务机构/民办非企业单位,2023-05-01,槐荫区民政局,槐荫区妇联,培育,心理服务、家庭教育,6,0,5,,正常"


def import_csv(client, text: str):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "organizations.csv"
    return client.post(
        "/admin/orgs/socialorganization/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )


def csv_text(*rows) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def confirm_import(client, response):
    form = response.context["confirm_form"]
    return client.post("/admin/orgs/socialorganization/process_import/", form.initial)


def test_import_previews_then_commits(admin_client_as, places):
    from tests.factories import credit_code_for

    client = admin_client_as("huaiyin")
    preview = import_csv(client, csv_text(GOOD_ROW.format(code=credit_code_for(901))))
    assert preview.status_code == 200
    assert not SocialOrganization.objects.filter(name="槐荫区巾帼心理服务中心").exists()
    confirm_import(client, preview)
    created = SocialOrganization.objects.get(name="槐荫区巾帼心理服务中心")
    assert created.guiding_federation == places.huaiyin
    assert set(created.service_domains.values_list("name", flat=True)) == {"心理服务", "家庭教育"}
    assert created.relationship == "incubated"


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (GOOD_ROW.replace("{code}", "52370104MK0000902X"), "校验码"),
        (GOOD_ROW.replace("槐荫区妇联", "东营区妇联"), "您的管辖范围内没有"),
        (GOOD_ROW.replace("培育", "领养"), "不是以下之一"),
        (GOOD_ROW.replace("心理服务、", "占卜、"), "未知的服务领域"),
    ],
)
def test_one_bad_row_imports_nothing(admin_client_as, places, bad_row, message):
    from tests.factories import credit_code_for

    client = admin_client_as("huaiyin")
    good = GOOD_ROW.format(code=credit_code_for(903)).replace("槐荫区巾帼心理服务中心", "好组织")
    bad = bad_row.format(code=credit_code_for(904))
    before = SocialOrganization.objects.count()
    response = import_csv(client, csv_text(good, bad))
    page = response.content.decode()
    assert message in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert SocialOrganization.objects.count() == before


def test_duplicate_rows_are_reported(admin_client_as, places):
    from tests.factories import credit_code_for

    row = GOOD_ROW.format(code=credit_code_for(905))
    response = import_csv(admin_client_as("huaiyin"), csv_text(row, row))
    assert "重复" in response.content.decode()
    assert not SocialOrganization.objects.filter(name="槐荫区巾帼心理服务中心").exists()


def test_export_to_excel_holds_only_the_users_area_in_chinese(admin_client_as, demo):
    client = admin_client_as("jinan")
    response = client.post(
        "/admin/orgs/socialorganization/export/",
        {
            "format": "1",
            "resource": "0",
            **{
                f"socialorganizationresource_{f}": "on"
                for f in (
                    "name",
                    "credit_code",
                    "legal_form",
                    "guiding_federation",
                    "relationship",
                )
            },
        },
    )
    assert response.status_code == 200, response.content[:500]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "名称"
    names = {row[0] for row in rows[1:]}
    assert names == {"济南市女性社会组织联合会"}


def test_import_records_the_new_field_federations_that_cover_it(admin_client_as, places):
    """福建's coverage in practice: the "覆盖妇联" column names its covering federations."""
    from federation.choices import Kind, Level
    from federation.models import Federation
    from tests.factories import credit_code_for

    for name in ("槐荫区社会组织联合妇联", "槐荫区新业态妇联"):
        Federation.objects.create(
            name=name, level=Level.COUNTY, kind=Kind.NEW_FIELD, parent=places.huaiyin
        )
    client = admin_client_as("huaiyin")
    row = GOOD_ROW.format(code=credit_code_for(906))
    covered = f"{HEADER},覆盖妇联\n{row},槐荫区社会组织联合妇联、槐荫区新业态妇联\n"
    confirm_import(client, import_csv(client, covered))
    created = SocialOrganization.objects.get(name="槐荫区巾帼心理服务中心")
    assert set(created.covering_federations.values_list("name", flat=True)) == {
        "槐荫区社会组织联合妇联",
        "槐荫区新业态妇联",
    }
    other = GOOD_ROW.format(code=credit_code_for(907)).replace("中心", "站")
    unknown = f"{HEADER},覆盖妇联\n{other},福建省社会工作领域妇联\n"
    assert "您的管辖范围内没有" in import_csv(client, unknown).content.decode()
