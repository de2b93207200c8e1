"""The demo federation tree, from the places the seed reports name.

Codes up to township level are the official GB/T 2260 / statistics codes
(shared/data/demo-divisions.csv). Village and community codes are illustrative:
the township's nine digits plus three (those of 昙石村 and 大黑山村 are their real ones, from
federation/data/divisions.csv.xz).
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from federation.choices import BuildMode, HostType, Kind, Level, Role, VenueKind
from federation.models import Federation, StaffMembership, Venue

DEMO_PASSWORD = "demo-pass-2026"

# (name, level, division code, children)
REGIONAL_TREE = (
    "全国妇联",
    Level.NATIONAL,
    "",
    [
        (
            "山东省妇联",
            Level.PROVINCE,
            "370000",
            [
                (
                    "济南市妇联",
                    Level.CITY,
                    "370100",
                    [
                        (
                            "槐荫区妇联",
                            Level.COUNTY,
                            "370104",
                            [
                                (
                                    "振兴街街道妇联",
                                    Level.TOWNSHIP,
                                    "370104001",
                                    [
                                        ("振兴街社区妇联", Level.VILLAGE, "370104001001", []),
                                    ],
                                ),
                                (
                                    "营市街街道妇联",
                                    Level.TOWNSHIP,
                                    "370104006",
                                    [
                                        ("营市街社区妇联", Level.VILLAGE, "370104006001", []),
                                        ("西杜社区妇联", Level.VILLAGE, "370104006002", []),
                                    ],
                                ),
                                (
                                    "张庄路街道妇联",
                                    Level.TOWNSHIP,
                                    "370104010",
                                    [
                                        ("张庄路社区妇联", Level.VILLAGE, "370104010001", []),
                                    ],
                                ),
                            ],
                        ),
                    ],
                ),
                (
                    "东营市妇联",
                    Level.CITY,
                    "370500",
                    [
                        (
                            "东营区妇联",
                            Level.COUNTY,
                            "370502",
                            [
                                ("文汇街道妇联", Level.TOWNSHIP, "370502001", []),
                            ],
                        ),
                    ],
                ),
                (
                    "枣庄市妇联",
                    Level.CITY,
                    "370400",
                    [
                        (
                            "峄城区妇联",
                            Level.COUNTY,
                            "370404",
                            [
                                (
                                    "古邵镇妇联",
                                    Level.TOWNSHIP,
                                    "370404100",
                                    [
                                        ("大枣庄村妇联", Level.VILLAGE, "370404100201", []),
                                    ],
                                ),
                            ],
                        ),
                    ],
                ),
                (
                    "淄博市妇联",
                    Level.CITY,
                    "370300",
                    [
                        (
                            "张店区妇联",
                            Level.COUNTY,
                            "370303",
                            [
                                ("车站街道妇联", Level.TOWNSHIP, "370303001", []),
                            ],
                        ),
                    ],
                ),
            ],
        ),
        (
            "福建省妇联",
            Level.PROVINCE,
            "350000",
            [
                (
                    "福州市妇联",
                    Level.CITY,
                    "350100",
                    [
                        (
                            "闽侯县妇联",
                            Level.COUNTY,
                            "350121",
                            [
                                (
                                    "甘蔗街道妇联",
                                    Level.TOWNSHIP,
                                    "350121001",
                                    [
                                        # The women insured from 福州's fund (people.demo).
                                        ("昙石村妇联", Level.VILLAGE, "350121001211", []),
                                    ],
                                ),
                            ],
                        ),
                    ],
                ),
                ("漳州市妇联", Level.CITY, "350600", []),
                (
                    "宁德市妇联",
                    Level.CITY,
                    "350900",
                    [
                        ("柘荣县妇联", Level.COUNTY, "350926", []),
                    ],
                ),
                (
                    "泉州市妇联",
                    Level.CITY,
                    "350500",
                    [
                        ("晋江市妇联", Level.COUNTY, "350582", []),
                    ],
                ),
            ],
        ),
        (
            "辽宁省妇联",
            Level.PROVINCE,
            "210000",
            [
                (
                    "沈阳市妇联",
                    Level.CITY,
                    "210100",
                    [
                        ("浑南区妇联", Level.COUNTY, "210112", []),
                    ],
                ),
                (
                    "锦州市妇联",
                    Level.CITY,
                    "210700",
                    [
                        ("凌海市妇联", Level.COUNTY, "210781", []),
                    ],
                ),
                (
                    "丹东市妇联",
                    Level.CITY,
                    "210600",
                    [
                        # 一对一直通车: the children paired and their three levels of checks
                        # (people.demo).
                        (
                            "凤城市妇联",
                            Level.COUNTY,
                            "210682",
                            [
                                (
                                    "通远堡镇妇联",
                                    Level.TOWNSHIP,
                                    "210682118",
                                    [
                                        ("大黑山村妇联", Level.VILLAGE, "210682118201", []),
                                    ],
                                ),
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ],
)

# (name, parent's division code, build mode, host type)
NEW_FIELD_FEDERATIONS = [
    ("福建省社会工作领域妇联", "350000", BuildMode.INDUSTRY, HostType.INDUSTRY_ASSOCIATION),
    ("漳州市台商协会妇联", "350600", BuildMode.OWN, HostType.INDUSTRY_ASSOCIATION),
    ("闽侯县社会组织孵化基地妇联", "350121", BuildMode.REGIONAL_JOINT, HostType.INCUBATION_BASE),
    ("柘荣县剪纸协会妇联", "350926", BuildMode.OWN, HostType.SOCIAL_ORGANIZATION),
]

# (username, name, federation's division code, role)
DEMO_STAFF = [
    ("shandong", "山东省妇联管理员", "370000", Role.ADMIN),
    ("jinan", "济南市妇联管理员", "370100", Role.ADMIN),
    ("huaiyin", "槐荫区妇联管理员", "370104", Role.ADMIN),
    ("dongying", "东营区妇联个案督导", "370502", Role.CASE_SUPERVISOR),
    ("fuzhou", "福州市妇联管理员", "350100", Role.ADMIN),
]

VENUES = [
    ("370104006001", "营市街社区妇女之家", VenueKind.WOMENS_HOME),
    ("370104", "槐荫区新业态聚集区巾帼服务站", VenueKind.GIG_HUB),
    ("370404100201", "大枣庄村妇儿家园", VenueKind.WOMEN_CHILDREN_HOME),
]


def upsert_regional(name, level, code, parent):
    lookup = (
        {"division_code": code, "kind": Kind.REGIONAL} if code else {"name": name, "parent": parent}
    )
    node, _ = Federation.objects.update_or_create(
        **lookup, defaults={"name": name, "level": level, "parent": parent}
    )
    return node


def seed_regional(branch, parent=None):
    name, level, code, children = branch
    node = upsert_regional(name, level, code, parent)
    for child in children:
        seed_regional(child, node)


def seed_new_field():
    for name, parent_code, build_mode, host_type in NEW_FIELD_FEDERATIONS:
        parent = Federation.objects.get(division_code=parent_code, kind=Kind.REGIONAL)
        Federation.objects.update_or_create(
            name=name,
            kind=Kind.NEW_FIELD,
            defaults={
                "parent": parent,
                "level": parent.level,
                "build_mode": build_mode,
                "host_type": host_type,
            },
        )


def seed_user(username, name, *, is_staff=True, is_superuser=False):
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"name": name, "is_staff": is_staff, "is_superuser": is_superuser},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_staff():
    seed_user("admin", "平台管理员", is_superuser=True)
    for username, name, code, role in DEMO_STAFF:
        user = seed_user(username, name)
        federation = Federation.objects.get(division_code=code, kind=Kind.REGIONAL)
        StaffMembership.objects.get_or_create(user=user, federation=federation, role=role)


def seed_venues():
    for code, name, kind in VENUES:
        federation = Federation.objects.get(division_code=code, kind=Kind.REGIONAL)
        Venue.objects.get_or_create(federation=federation, name=name, defaults={"kind": kind})


@transaction.atomic
def seed():
    seed_regional(REGIONAL_TREE)
    seed_new_field()
    seed_staff()
    seed_venues()
