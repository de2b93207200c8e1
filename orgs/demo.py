"""Demo social organizations from the seed reports.

Credit codes are invented but valid in format: registration authority 5 (civil
affairs), the organization's division code, a made-up body, the GB 32100 check.
"""

from django.db import transaction

from core.validators import credit_code_check_char
from federation.choices import Kind
from federation.demo import seed_user
from federation.models import Federation
from orgs.choices import LegalForm, OrgRole, Relationship
from orgs.models import OrgMembership, ServiceDomain, SocialOrganization, TargetGroup
from orgs.vocabularies import load_vocabularies

# (name, guiding federation's code, legal form, relationship, domains, staff, women, honours)
ORGANIZATIONS = [
    (
        "济南市女性社会组织联合会",
        "370100",
        LegalForm.SOCIAL_GROUP,
        Relationship.INCUBATED,
        ["employment", "psychological", "health", "skills-training"],
        12,
        10,
        "",
    ),
    (
        "东营区希望心理咨询服务中心",
        "370502",
        LegalForm.SOCIAL_SERVICE,
        Relationship.MEMBER,
        ["psychological", "legal-rights", "marriage-mediation"],
        18,
        15,
        "",
    ),
    (
        "峄城区知邻社会工作服务中心",
        "370404",
        LegalForm.SOCIAL_SERVICE,
        Relationship.INCUBATED,
        ["family-education", "child-care", "skills-training"],
        9,
        7,
        "",
    ),
    (
        "张店区婚姻家庭辅导中心",
        "370303",
        LegalForm.SOCIAL_SERVICE,
        Relationship.INCUBATED,
        ["marriage-mediation", "family-education"],
        8,
        7,
        "山东省三八红旗集体",
    ),
    (
        "张店区筑仁成长公益服务中心",
        "370303",
        LegalForm.SOCIAL_SERVICE,
        Relationship.INCUBATED,
        ["child-care", "family-education"],
        6,
        5,
        "",
    ),
    (
        "锦州市心理卫生协会",
        "210700",
        LegalForm.SOCIAL_GROUP,
        Relationship.CONNECTED,
        ["psychological", "marriage-mediation"],
        20,
        14,
        "",
    ),
    (
        "沈阳市家政服务行业协会",
        "210100",
        LegalForm.SOCIAL_GROUP,
        Relationship.MEMBER,
        ["domestic-service", "elderly-care", "skills-training"],
        15,
        12,
        "",
    ),
]

# (username, name, organization)
ORG_STAFF = [
    ("jinan-org", "济南市女性社会组织联合会工作人员", "济南市女性社会组织联合会"),
    ("dongying-org", "东营区希望心理咨询服务中心工作人员", "东营区希望心理咨询服务中心"),
]


def demo_credit_code(legal_form: str, division_code: str, serial: int) -> str:
    kind = {LegalForm.SOCIAL_GROUP: "1", LegalForm.SOCIAL_SERVICE: "2", LegalForm.FOUNDATION: "3"}
    first17 = f"5{kind[legal_form]}{division_code}MJ{serial:07d}"
    return first17 + credit_code_check_char(first17)


@transaction.atomic
def seed():
    load_vocabularies(ServiceDomain, TargetGroup)
    for serial, (name, code, form, relation, domains, staff, women, honours) in enumerate(
        ORGANIZATIONS, start=1
    ):
        federation = Federation.objects.get(division_code=code, kind=Kind.REGIONAL)
        organization, _ = SocialOrganization.objects.update_or_create(
            name=name,
            defaults={
                "credit_code": demo_credit_code(form, code, serial),
                "legal_form": form,
                "guiding_federation": federation,
                "relationship": relation,
                "staff_count": staff,
                "female_practitioner_count": women,
                "honours": honours,
                "registration_authority": f"{federation.name.removesuffix('妇联')}民政局",
            },
        )
        organization.service_domains.set(ServiceDomain.objects.filter(code__in=domains))
    for username, full_name, organization in ORG_STAFF:
        user = seed_user(username, full_name, is_staff=False)
        OrgMembership.objects.get_or_create(
            user=user,
            organization=SocialOrganization.objects.get(name=organization),
            defaults={"role": OrgRole.STAFF},
        )
