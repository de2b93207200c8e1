"""Volunteer teams from the seeds: 交通暖“新” and 村播姐姐 incubated by the 巾帼暖“新” project,
大枣庄村's five standard teams guided by 张店's 姊妹花 expert group, 丹东's 爱心妈妈, women once
helped who now volunteer, and `huaiyin-volunteer` with an opportunity to sign up for.

Names and numbers are invented (valid in form only).
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from core.personal_data import phone_hash
from federation.choices import Kind
from federation.demo import seed_user
from federation.models import Federation
from projects.models import Project
from volunteers.choices import SignUpStatus, TeamKind
from volunteers.models import (
    ExpertMatch,
    Opportunity,
    SignUp,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
)
from volunteers.services import standard_teams_of


def federation(code):
    return Federation.objects.get(division_code=code, kind=Kind.REGIONAL)


def volunteer(name, phone, home, **fields):
    person, _created = Volunteer.objects.get_or_create(
        name=name,
        federation=home,
        defaults={
            "phone": phone,
            "phone_hash": phone_hash(phone),
            "registered_on": date(2025, 3, 8),
            **fields,
        },
    )
    return person


def team(name, kind, owner, members=(), **fields):
    squad, _created = VolunteerTeam.objects.get_or_create(
        federation=owner, name=name, defaults={"kind": kind, **fields}
    )
    for member in members:
        TeamMembership.objects.get_or_create(
            team=squad, volunteer=member, left_on=None, defaults={"joined_on": date(2025, 3, 8)}
        )
    return squad


def seed_teams():
    jinan, huaiyin = federation("370100"), federation("370104")
    project = Project.objects.filter(code="JN-2024-001").first()
    drivers = [
        volunteer(f"{family}师傅", f"1396410{n:04d}", huaiyin) for n, family in enumerate("王刘张")
    ]
    team("交通暖“新”志愿服务队", TeamKind.THEMATIC, jinan, drivers, project=project)
    anchors = [
        volunteer(f"{family}姐", f"1396411{n:04d}", huaiyin) for n, family in enumerate("孙周")
    ]
    team("村播姐姐志愿服务队", TeamKind.THEMATIC, jinan, anchors, project=project)
    village_teams = standard_teams_of(federation("370404100201"))
    experts = team("张店姊妹花专家指导团", TeamKind.EXPERT_GROUP, federation("370303"))
    for village_team in village_teams:
        ExpertMatch.objects.get_or_create(
            expert_group=experts, team=village_team, defaults={"since": date(2025, 5, 1)}
        )
    dandong = federation("210600")
    mothers = [
        volunteer(f"{family}妈妈", f"1384150{n:04d}", dandong)
        for n, family in enumerate("赵钱孙李吴")
    ]
    team("爱心妈妈志愿服务队", TeamKind.THEMATIC, dandong, mothers)
    dongying = federation("370502")
    for n, family in enumerate("郑冯"):
        volunteer(f"{family}女士", f"1390546{n:04d}", dongying, former_beneficiary=True)


def seed_huaiyin_volunteer():
    huaiyin = federation("370104")
    account = seed_user("huaiyin-volunteer", "槐荫区巾帼志愿者", is_staff=False)
    person, _created = Volunteer.objects.get_or_create(
        user=account,
        defaults={
            "name": "林晓",
            "phone": "13964100999",
            "phone_hash": phone_hash("13964100999"),
            "federation": huaiyin,
            "skills": ["摄影", "写作"],
            "registered_on": date(2025, 6, 1),
        },
    )
    if Opportunity.objects.filter(federation=huaiyin).exists():
        return
    # Mornings at nine, local time.
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    past = Opportunity.objects.create(
        title="巾帼暖“新”汽车故障速解工坊活动保障",
        federation=huaiyin,
        starts_at=now - timedelta(days=20),
        ends_at=now - timedelta(days=20) + timedelta(hours=3),
        place="槐荫区新业态聚集区巾帼服务站",
        places=4,
    )
    SignUp.objects.create(
        opportunity=past,
        volunteer=person,
        status=SignUpStatus.ATTENDED,
        hours=3,
        hours_confirmed_at=past.ends_at,
    )
    Opportunity.objects.create(
        title="周六亲子活动摄影志愿者",
        description="为营市街社区亲子工作坊拍摄活动照片。",
        federation=huaiyin,
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=5, hours=2),
        place="营市街社区妇女之家",
        skills=["摄影"],
        places=2,
    )


def seed_applicant():
    """A woman who registered on her phone, waiting in 槐荫区's 志愿者审核."""
    from accounts.models import User

    account, created = User.objects.get_or_create(
        username="公众示例乙", defaults={"is_public": True, "phone": "13800138001"}
    )
    if created:
        account.set_unusable_password()
        account.save()
    if not Volunteer.objects.filter(user=account).exists():
        Volunteer.objects.create(
            user=account,
            federation=federation("370104006001"),
            name="刘晓燕",
            phone=account.phone,
            phone_hash=account.phone_hash,
            id_number="11010519491231002X",
            skills=["宣讲", "摄影"],
            availability="weekends",
            status="pending",
            consented_at=timezone.now(),
            registered_on=timezone.localdate(),
        )


@transaction.atomic
def seed():
    seed_teams()
    seed_huaiyin_volunteer()
    seed_applicant()
