"""Fictional cases modelled on the seeds: the 12338 crisis family case of 东营区 (a call to the
city hotline, escalated to the district, a same-day home visit, the hospital's green channel, a
crisis-intervention plan with weekly counselling, 政法委 / 卫健 / 教育 involved, follow-ups),
and marriage-registry mediations in 凌海市 and 张店区 whose outcomes give a reconciliation rate.

Every name, phone and ID number here is invented (valid in form only).
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cases.choices import (
    CaseStatus,
    Channel,
    Department,
    EventKind,
    MediationStep,
    Outcome,
    PartyRole,
    ReferralStatus,
    Risk,
)
from cases.models import Call, Case, CaseEvent, Consent, FollowUp, Party, Referral
from cases.services import set_due_times
from core.personal_data import id_hash, phone_hash
from core.validators import resident_id_check_char
from federation.choices import Kind
from federation.demo import seed_user
from federation.models import Federation
from orgs.choices import OrgRole
from orgs.models import OrgMembership, SocialOrganization

HOTLINE_ORGANIZATION = "东营区希望心理咨询服务中心"


def invented_id(region: str, birth: str, serial: int) -> str:
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + resident_id_check_char(first17)


def federation(code):
    return Federation.objects.get(division_code=code, kind=Kind.REGIONAL)


def seed_worker() -> User:
    worker = seed_user("dongying-worker", "东营区希望心理咨询服务中心个案社工", is_staff=False)
    # The demo's case role is approved as any would be: granted by one administrator
    # (东营区妇联's) and approved by another (the platform's).
    OrgMembership.objects.get_or_create(
        user=worker,
        organization=SocialOrganization.objects.get(name=HOTLINE_ORGANIZATION),
        defaults={
            "role": OrgRole.CASE_WORKER,
            "granted_by": User.objects.get(username="shandong"),
            "approved_by": User.objects.get(username="admin"),
            "approved_at": timezone.now(),
        },
    )
    return worker


def new_case(*, federation, received_by, days_ago, person, **fields) -> Case:
    received_at = timezone.now() - timedelta(days=days_ago)
    case = Case.objects.create(
        received_at=received_at, received_by=received_by, federation=federation, **fields
    )
    case.number = f"{timezone.localtime(received_at):%Y%m%d}-{case.pk:06d}"
    case.save(update_fields=["number"])
    name, phone, id_number, address = person
    Party.objects.create(
        case=case,
        role=PartyRole.HELP_SEEKER,
        name=name,
        phone=phone,
        id_number=id_number,
        address=address,
        phone_hash=phone_hash(phone),
        id_hash=id_hash(id_number),
        birth_year=int(id_number[6:10]),
    )
    Consent.objects.create(case=case, to_share=True, recorded_by=received_by)
    Call.objects.create(
        case=case,
        at=received_at,
        operator=received_by,
        channel=case.channel,
        outcome="reached",
        phone_hash=phone_hash(phone),
    )
    return case


def seed_crisis_case(supervisor, worker):
    """李女士's family: a call to 12338, escalated from 东营市 to 东营区, handled by the centre."""
    received = 150
    case = new_case(
        federation=federation("370502"),
        received_by=supervisor,
        days_ago=received,
        person=("李晓梅", "13905460123", invented_id("370502", "19880312", 24), "东营区黄河路88号"),
        channel=Channel.HOTLINE,
        organization=SocialOrganization.objects.get(name=HOTLINE_ORGANIZATION),
        assigned_to=worker,
        categories=["domestic_violence", "childrens_rights", "psychological_crisis"],
        risk=Risk.CRISIS,
        status=CaseStatus.FOLLOW_UP,
        outcome=Outcome.DE_ESCALATED,
        summary="母亲住院，孩子情绪危机，需多部门联动。",
    )
    Party.objects.create(
        case=case, role=PartyRole.CHILD, name="王小雨", birth_year=2013, vulnerabilities=["minor"]
    )
    start = case.received_at
    case.first_contact_due = start + timedelta(hours=2)
    case.resolution_due = start + timedelta(hours=72)
    case.first_contacted_at = start + timedelta(hours=1)
    case.resolved_at = start + timedelta(days=120)
    case.save()
    timeline = [
        (0, EventKind.ESCALATION, "", "东营市妇联12338热线接报后上报东营区妇联"),
        (0, EventKind.HOME_VISIT, "", "居委会工作人员当天入户走访"),
        (1, EventKind.PLAN, "", "心理团队评估孩子后制定危机干预方案：每周心理辅导"),
        (8, EventKind.COUNSELLING, "", "第1次心理辅导"),
        (15, EventKind.COUNSELLING, "", "第2次心理辅导"),
        (120, EventKind.NOTE, "", "孩子情绪稳定，经教育部门协调9月转学复学"),
    ]
    for day, kind, step, result in timeline:
        CaseEvent.objects.create(
            case=case,
            kind=kind,
            at=start + timedelta(days=day),
            worker=worker,
            step=step,
            result=result,
        )
    for department, status, day in [
        (Department.HOSPITAL, ReferralStatus.DONE, 0),
        (Department.HEALTH, ReferralStatus.DONE, 0),
        (Department.POLITICAL_LEGAL, ReferralStatus.DONE, 1),
        (Department.EDUCATION, ReferralStatus.ACCEPTED, 100),
    ]:
        Referral.objects.create(
            case=case,
            department=department,
            status=status,
            respond_by=start + timedelta(days=day + 2),
            sent_by=worker,
            answered_at=start + timedelta(days=day + 1),
            note="请协助",
        )
    resolved_on = timezone.localdate(case.resolved_at)
    FollowUp.objects.create(
        case=case,
        due_on=resolved_on + timedelta(days=7),
        done_at=case.resolved_at + timedelta(days=7),
        done_by=worker,
        result="孩子在校表现良好，担任班干部",
    )
    FollowUp.objects.create(case=case, due_on=timezone.localdate() + timedelta(days=3))


# (federation's code, cases closed reconciled, closed otherwise, family names)
MEDIATIONS = [
    ("210781", 2, 4, "赵钱孙李周吴"),
    ("370303", 5, 8, "郑王冯陈褚卫蒋沈韩杨朱秦尤"),
]
OTHER_OUTCOMES = [Outcome.DIVORCE_BY_AGREEMENT, Outcome.LEGAL_AID, Outcome.UNRESOLVED]


def seed_mediations(admin):
    for code, reconciled, others, families in MEDIATIONS:
        owner = federation(code)
        for number, family in enumerate(families[: reconciled + others]):
            outcome = Outcome.RECONCILED if number < reconciled else OTHER_OUTCOMES[number % 3]
            case = new_case(
                federation=owner,
                received_by=admin,
                days_ago=30 + number * 5,
                person=(
                    f"{family}女士",
                    f"1380{code[:3]}{number:04d}",
                    invented_id(code, f"19{80 + number % 15}0{1 + number % 9}15", number),
                    f"{owner.name.removesuffix('妇联')}某小区",
                ),
                channel=Channel.REGISTRY,
                categories=["marriage"],
                risk=Risk.LOW,
                status=CaseStatus.CLOSED,
                outcome=outcome,
            )
            for step_number, step in enumerate(MediationStep):
                CaseEvent.objects.create(
                    case=case,
                    kind=EventKind.MEDIATION,
                    at=case.received_at + timedelta(days=step_number * 3),
                    worker=admin,
                    step=step,
                    result="按四步工作法开展调解",
                )
            set_due_times(case)
            case.first_contacted_at = case.received_at + timedelta(hours=3)
            case.resolved_at = case.received_at + timedelta(days=12)
            case.closed_at = case.received_at + timedelta(days=20)
            case.save()


@transaction.atomic
def seed():
    worker = seed_worker()
    if Case.objects.exists():
        return
    seed_crisis_case(User.objects.get(username="dongying"), worker)
    seed_mediations(User.objects.get(username="admin"))
