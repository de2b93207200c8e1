"""The 巾帼暖“新” service menu of 济南市女性社会组织联合会 (first seed report), needs of
new-employment women, orders from 槐荫区 and a community (some delivered and rated, also by
participants' rating cards), and requests to dispatch or claim.

Orders lie in the past or the near future of the day the demo is loaded.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from federation.choices import Kind
from federation.models import Federation
from menu.choices import OrderStatus
from menu.models import MenuItem, MenuPublication, Need, RatingCard, ServiceOrder
from menu.services import new_card_code
from orgs.models import ServiceDomain, SocialOrganization, TargetGroup
from projects.models import Activity, Project

# title, domain, format, minutes, capacity, sessions per month, cost, target groups
MENU = [
    (
        "汽车故障速解工坊",
        "skills-training",
        "workshop",
        120,
        20,
        4,
        "1500",
        ["new-employment-women"],
    ),
    ("健康义诊", "health", "clinic", 180, 60, 2, "3000", ["new-employment-women"]),
    (
        "心理疏导",
        "psychological",
        "group",
        90,
        12,
        8,
        "800",
        ["new-employment-women", "women-in-difficulty"],
    ),
    ("艺术疗愈", "psychological", "workshop", 120, 15, 4, "1200", ["new-employment-women"]),
    ("电商直播培训", "employment", "training", 240, 30, 2, "2500", ["new-employment-women"]),
    ("职场提升培训", "employment", "training", 180, 40, 2, "2000", ["new-employment-women"]),
    ("亲子工作坊", "family-education", "workshop", 120, 20, 4, "1000", ["families"]),
    ("课业支持", "child-care", "group", 90, 15, 8, "600", ["left-behind-children"]),
]

NEEDS = [
    ("网约车女司机希望学会处理车辆常见故障", "skills-training", 35),
    ("女配送员需要职业健康检查和讲座", "health", 50),
    ("新就业女性下班后孩子课业无人辅导", "child-care", 28),
]


def seed_menu(organization, jinan) -> dict[str, MenuItem]:
    items = {}
    for title, domain, fmt, minutes, capacity, sessions, cost, groups in MENU:
        item, created = MenuItem.objects.get_or_create(
            organization=organization,
            title=title,
            defaults={
                "domain": ServiceDomain.objects.get(code=domain),
                "format": fmt,
                "duration_minutes": minutes,
                "capacity_per_session": capacity,
                "sessions_per_month": sessions,
                "unit_cost": Decimal(cost),
            },
        )
        if created:
            item.target_groups.set(TargetGroup.objects.filter(code__in=groups))
            item.areas.set([jinan])
        MenuPublication.objects.get_or_create(
            item=item,
            federation=jinan,
            defaults={"status": "published", "decided_at": timezone.now()},
        )
        items[title] = item
    return items


def seed_needs(huaiyin, items):
    women = TargetGroup.objects.get(code="new-employment-women")
    for title, domain, people in NEEDS:
        need, created = Need.objects.get_or_create(
            federation=huaiyin,
            title=title,
            defaults={
                "domain": ServiceDomain.objects.get(code=domain),
                "target_group": women,
                "people_count": people,
                "source": "survey",
            },
        )
        if created and domain == "skills-training":
            items["汽车故障速解工坊"].needs.add(need)
            need.status = "answered"
            need.save(update_fields=["status"])


def seed_orders(items, huaiyin, community):
    if ServiceOrder.objects.filter(item__in=items.values()).exists():
        return
    today = timezone.localdate()
    orderer = User.objects.get(username="huaiyin")
    project = Project.objects.filter(code="JN-2024-001").first()
    # item, ordering federation, days from today, status, participants, rating
    orders = [
        ("汽车故障速解工坊", huaiyin, -40, OrderStatus.CONFIRMED, 16, 5),
        ("健康义诊", community, -25, OrderStatus.CONFIRMED, 48, 4),
        ("心理疏导", community, -10, OrderStatus.DELIVERED, 11, None),
        ("电商直播培训", huaiyin, 12, OrderStatus.SCHEDULED, None, None),
        ("亲子工作坊", community, 20, OrderStatus.REQUESTED, None, None),
    ]
    for title, federation, offset, status, participants, rating in orders:
        day = today + timedelta(days=offset)
        when = timezone.make_aware(datetime.combine(day, time(14)))
        order = ServiceOrder.objects.create(
            item=items[title],
            organization=items[title].organization,
            title=title,
            domain=items[title].domain,
            federation=federation,
            window_start=day,
            window_end=day + timedelta(days=7),
            expected_participants=min(15, items[title].capacity_per_session),
            cost=items[title].unit_cost,
            status=status,
            requested_by=orderer,
            project=project if federation == huaiyin else None,
            scheduled_at=when if status != OrderStatus.REQUESTED else None,
            place=f"{federation.name.removesuffix('妇联')}"
            if status != OrderStatus.REQUESTED
            else "",
            actual_participants=participants,
            rating=rating,
            feedback="服务贴心实用" if rating else "",
        )
        if participants and order.project:
            order.activity = Activity.objects.create(
                project=order.project,
                title=title,
                held_on=day,
                place=order.place,
                participants=participants,
            )
            order.save(update_fields=["activity"])
        if participants:
            issue_rating_cards(order, rated=participants // 2 if rating else 0)


def issue_rating_cards(order, rated):
    """Cards for the participants; some have rated the service already."""
    for number in range(order.actual_participants):
        RatingCard.objects.create(
            order=order,
            code=new_card_code(),
            rating=(5, 4, 5, 3)[number % 4] if number < rated else None,
            feedback="老师讲得很清楚" if number == 0 and rated else "",
            rated_at=timezone.now() if number < rated else None,
        )


def seed_requests(huaiyin, community):
    """A need turned into a request: one waiting for 槐荫区 to dispatch it, one open for
    claiming (派单 · 抢单)."""
    if ServiceOrder.objects.filter(channel__in=["dispatch", "claim"]).exists():
        return
    today = timezone.localdate()
    orderer = User.objects.get(username="huaiyin")
    child_care = ServiceDomain.objects.get(code="child-care")
    need = Need.objects.get(federation=huaiyin, title="新就业女性下班后孩子课业无人辅导")
    requests = [
        ("暑期托管课业辅导", huaiyin, "dispatch", "new"),
        ("周末课业支持小组", community, "claim", "open"),
    ]
    for title, federation, channel, status in requests:
        order = ServiceOrder.objects.create(
            federation=federation,
            handler=federation,
            channel=channel,
            status=status,
            title=title,
            domain=child_care,
            target_group=TargetGroup.objects.get(code="left-behind-children"),
            window_start=today + timedelta(days=14),
            window_end=today + timedelta(days=30),
            expected_participants=12,
            requested_by=orderer,
        )
        order.needs.add(need)


@transaction.atomic
def seed():
    organization = SocialOrganization.objects.get(name="济南市女性社会组织联合会")
    jinan = Federation.objects.get(division_code="370100", kind=Kind.REGIONAL)
    huaiyin = Federation.objects.get(division_code="370104", kind=Kind.REGIONAL)
    community = Federation.objects.get(division_code="370104006001", kind=Kind.REGIONAL)
    items = seed_menu(organization, jinan)
    seed_needs(huaiyin, items)
    seed_orders(items, huaiyin, community)
    seed_requests(huaiyin, community)
    seed_public_need(community)


def seed_public_need(community):
    """A need a woman of 营市街社区 posted on her phone, waiting in 槐荫区's review (需求审核)."""
    from accounts.models import User

    woman, created = User.objects.get_or_create(
        username="公众示例甲", defaults={"is_public": True, "phone": "13800138000"}
    )
    if created:
        woman.set_unusable_password()
        woman.save()
    Need.objects.get_or_create(
        federation=community,
        title="社区老人常接到诈骗电话，想请人来讲讲怎么防",
        defaults={
            "description": "我们小区独居老人多，上个月有两位被骗了钱。",
            "domain": ServiceDomain.objects.get(code="skills-training"),
            "target_group": TargetGroup.objects.get(code="new-employment-women"),
            "people_count": 40,
            "source": "public",
            "status": "pending",
            "posted_by": woman,
        },
    )
