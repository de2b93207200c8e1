"""A small tree of its own for the register's tests: a province, a city, a county, a township and
two villages, with the register's officers at each level and a fund at the city."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from federation.choices import Level, Role
from federation.models import Federation, StaffMembership
from people import services
from people.choices import ConsentUse, PersonKind, SponsorKind
from tests.factories import FederationFactory, UserFactory

ID_NUMBER = "210603201501010023"  # a child born in 2015 (the check digit is right)


def officer(federation, username, role=Role.BENEFICIARY_OFFICER):
    user = UserFactory(username=username)
    user.save()
    StaffMembership.objects.create(user=user, federation=federation, role=role)
    return user


@dataclass
class Tree:
    province: Federation
    city: Federation
    county: Federation
    township: Federation
    village: Federation
    other_village: Federation
    village_officer: object
    county_officer: object
    city_officer: object
    other_officer: object


def build_tree() -> Tree:
    province = FederationFactory(name="辽宁省妇联", level=Level.PROVINCE)
    city = FederationFactory(name="丹东市妇联", level=Level.CITY, parent=province)
    county = FederationFactory(name="振兴区妇联", level=Level.COUNTY, parent=city)
    township = FederationFactory(name="帽盔山街道妇联", level=Level.TOWNSHIP, parent=county)
    village = FederationFactory(name="江海社区妇联", level=Level.VILLAGE, parent=township)
    other_county = FederationFactory(name="元宝区妇联", level=Level.COUNTY, parent=city)
    other_township = FederationFactory(level=Level.TOWNSHIP, parent=other_county)
    other_village = FederationFactory(
        name="六道口社区妇联", level=Level.VILLAGE, parent=other_township
    )
    return Tree(
        province,
        city,
        county,
        township,
        village,
        other_village,
        officer(village, "village-officer"),
        officer(county, "county-officer"),
        officer(city, "city-officer"),
        officer(other_village, "other-officer"),
    )


def register_child(tree, **fields):
    values = {
        "actor": tree.village_officer,
        "federation": tree.village,
        "kind": PersonKind.CHILD,
        "name": "王小雨",
        "phone": "13841500001",
        "id_number": ID_NUMBER,
        "guardian": "王桂兰（奶奶）",
        "consents": [ConsentUse.SERVICES, ConsentUse.SPONSORSHIP, ConsentUse.PHOTOS],
    }
    return services.person_register(**{**values, **fields})


def fund_with(tree, amount, name="一对一直通车专项基金"):
    fund = services.fund_open(
        actor=tree.city_officer, federation=tree.city, name=name, opened_on=date(2026, 1, 1)
    )
    if amount:
        services.donation_record(
            actor=tree.city_officer,
            fund=fund,
            donor="丹东市某爱心企业",
            amount=amount,
            received_on=date(2026, 1, 5),
        )
    fund.refresh_from_db()
    return fund


def pairing_of(tree, person, fund, months=3, monthly_amount=300):
    sponsor = services.sponsor_add(
        actor=tree.county_officer,
        federation=tree.county,
        kind=SponsorKind.PERSON,
        name="刘先生",
    )
    return services.pairing_create(
        actor=tree.county_officer,
        person=person,
        sponsor=sponsor,
        fund=fund,
        monthly_amount=monthly_amount,
        months=months,
        starts_on=timezone.localdate(),
        village_contact=tree.village_officer,
    )
