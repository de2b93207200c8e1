"""The register of people served, one-to-one sponsorship, special funds and insurance, from the
seed reports:

- 丹东's 一对一直通车 (丹东市慈善总会儿童励志分会: more than 3000 volunteers help 483 children,
  each month's stipend going straight to the family, under three levels of supervision): a fund
  at 丹东市妇联 and five children of 凤城市通远堡镇大黑山村 paired with 爱心妈妈, a woman and an
  enterprise. Their stipends are confirmed by the village, checked by 凤城市 and released by the
  city, three officers; one is returned, some wait; the growth archive holds visits and a school
  result. The monthly amounts are invented (the report gives none); 省市妇联's help with a
  freshman's first year of tuition is a restricted donation and its payout.
- 福州's 点亮小桔灯 and 春蕾计划 funds at 福州市妇联 (春蕾's donations add up to the report's
  261.67万元), with project spending; 女性安康保险 for women of 闽侯县昙石村 at ¥100 a head (the
  report's 700多万元 for 7.01万 women), and one claim.
- 济南 槐荫区's new-employment women (巾帼暖“新”), served at the project's workshop and at the
  community's delivered orders, some more than once; two of them now volunteer in the teams the
  project incubated (被服务者 → 志愿者).

Everything is written through people.services, as the officers would; only the users and their
roles are created here, the register's roles already approved by a second administrator. Names,
phones and ID numbers are invented (valid in form only). Dates follow the day the demo is loaded;
a part that exists already (a fund, a person, a pairing) is left as it is.
"""

from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.validators import resident_id_check_char
from federation.choices import Kind, Role
from federation.demo import seed_user
from federation.models import Federation, StaffMembership
from menu.models import ServiceOrder
from orgs.models import TargetGroup
from people import services
from people.choices import (
    ConsentUse,
    GrowthKind,
    PayoutKind,
    PersonKind,
    SponsorKind,
    Vulnerability,
)
from people.models import Fund, Person, Sponsor
from projects.models import Activity
from volunteers.models import Volunteer

OFFICER = Role.BENEFICIARY_OFFICER

# (username, name, federation's division code, role, granted by, approved by). The register's
# role is a case role: granted by one administrator of the node or above, approved by another.
DEMO_USERS = [
    ("dandong", "丹东市妇联管理员", "210600", Role.ADMIN, None, None),
    ("dandong-city", "丹东市妇联服务对象管理员", "210600", OFFICER, "dandong", "admin"),
    ("dandong-county", "凤城市妇联服务对象管理员", "210682", OFFICER, "dandong", "admin"),
    ("dandong-village", "大黑山村妇联主席", "210682118201", OFFICER, "dandong", "admin"),
    ("huaiyin-officer", "槐荫区妇联服务对象管理员", "370104", OFFICER, "huaiyin", "jinan"),
    ("fuzhou-officer", "福州市妇联服务对象管理员", "350100", OFFICER, "fuzhou", "admin"),
]


def federation(code) -> Federation:
    return Federation.objects.get(division_code=code, kind=Kind.REGIONAL)


def user(username) -> User:
    """Read afresh: a user's scope is kept on the object once asked for."""
    return User.objects.get(username=username)


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def invented_id(region: str, birth: str, serial: int) -> str:
    first17 = f"{region}{birth}{serial:03d}"
    return first17 + resident_id_check_char(first17)


def seed_users():
    for username, name, code, role, granted_by, approved_by in DEMO_USERS:
        account = seed_user(username, name)
        approval = {}
        if approved_by:
            approval = {
                "granted_by": user(granted_by),
                "approved_by": user(approved_by),
                "approved_at": timezone.now(),
            }
        StaffMembership.objects.get_or_create(
            user=account, federation=federation(code), role=role, defaults=approval
        )


def seed_fund(*, actor, place, name, purpose, opened_days_ago, donations, payouts=()):
    """The fund with its donations and spending, once: (donor, amount, days ago, restricted to)
    and (kind, amount, days ago, note)."""
    fund = Fund.objects.filter(federation=place, name=name).first()
    if fund is not None:
        return fund, False
    fund = services.fund_open(
        actor=actor,
        federation=place,
        name=name,
        purpose=purpose,
        opened_on=days_ago(opened_days_ago),
    )
    for donor, amount, days, restricted_to in donations:
        services.donation_record(
            actor=actor,
            fund=fund,
            donor=donor,
            amount=Decimal(amount),
            received_on=days_ago(days),
            restricted_to=restricted_to,
        )
    for kind, amount, days, note in payouts:
        services.fund_pay(
            actor=actor,
            fund=fund,
            kind=kind,
            amount=Decimal(amount),
            paid_on=days_ago(days),
            note=note,
        )
    return fund, True


def registered(*, actor, phone="", id_number="", flags=(), **fields) -> Person:
    """The person found by her phone or ID number (search before create), or registered."""
    person = services.people_matching(phone=phone, id_number=id_number).first()
    if person is not None:
        return person
    person = services.person_register(actor=actor, phone=phone, id_number=id_number, **fields)
    for kind in flags:
        services.person_flag(actor=actor, person=person, kind=kind, review_on=days_ago(-180))
    return person


# 丹东: 一对一直通车 -----------------------------------------------------------------------------

DANDONG_FUND = "一对一直通车助学基金"
DANDONG_DONATIONS = [
    ("丹东市某食品有限公司", "24000", 170, ""),
    ("爱心妈妈志愿服务队", "14400", 160, ""),
    ("孙丽华", "3600", 150, ""),
    ("辽宁省妇联", "10000", 90, "当年参加高考的困境家庭大学新生第一年学费"),
    ("社会爱心人士（零散捐赠）", "1860.50", 30, ""),
]
DANDONG_PAYOUTS = [
    (PayoutKind.OTHER, "5000", 60, "困境家庭大学新生第一年学费资助（1名）"),
]

# (name, kind, phone, the volunteer she is)
DANDONG_SPONSORS = [
    ("赵妈妈", SponsorKind.VOLUNTEER, "13841500000", "赵妈妈"),
    ("钱妈妈", SponsorKind.VOLUNTEER, "13841500001", "钱妈妈"),
    ("孙丽华", SponsorKind.PERSON, "13941523456", None),
    ("丹东市某食品有限公司", SponsorKind.ENTERPRISE, "", None),
]

# (name, date of birth, serial, guardian, household, flags, sponsor, monthly stipend, started
# so many months ago, where this month's stipend stands)
DANDONG_CHILDREN = [
    (
        "李思彤",
        "20140315",
        22,
        "李桂芝（奶奶）",
        "父母在外务工，随奶奶生活",
        [Vulnerability.LEFT_BEHIND],
        "赵妈妈",
        "300",
        3,
        "paid",
    ),
    (
        "张浩然",
        "20120908",
        35,
        "张玉梅（母亲）",
        "母亲患癌治疗中，母子相依为命",
        [Vulnerability.SINGLE_PARENT, Vulnerability.SERIOUS_ILLNESS],
        "孙丽华",
        "300",
        3,
        "returned",
    ),
    (
        "刘欣怡",
        "20160521",
        42,
        "刘建国（父亲）",
        "父亲残疾，家庭享受低保",
        [Vulnerability.LOW_INCOME, Vulnerability.DISABILITY],
        "丹东市某食品有限公司",
        "300",
        2,
        "county_checked",
    ),
    (
        "陈子涵",
        "20090117",
        58,
        "陈淑华（外婆）",
        "事实孤儿，由外婆抚养；读高三",
        [Vulnerability.ORPHAN],
        "丹东市某食品有限公司",
        "500",
        2,
        "village_confirmed",
    ),
    (
        "王佳琪",
        "20130704",
        64,
        "王秀英（母亲）",
        "单亲家庭，母亲打零工",
        [Vulnerability.SINGLE_PARENT],
        "钱妈妈",
        "300",
        2,
        "scheduled",
    ),
]
RETURN_REASON = "银行回执显示资助金被退回：监护人的银行卡已注销，请村妇联核实新的收款账户后重新确认"

# (child, kind, days ago, result, notes)
DANDONG_GROWTH = [
    (
        "李思彤",
        GrowthKind.VISIT,
        20,
        "",
        "村妇联主席陪同赵妈妈入户走访：学习用品已备齐，奶奶身体尚好。",
    ),
    ("李思彤", GrowthKind.SCHOOL, 45, "良好", "期末考试语文、数学均有进步，班主任反映上课更专注。"),
    (
        "张浩然",
        GrowthKind.VISIT,
        12,
        "",
        "母亲化疗期间孩子情绪低落，爱心妈妈每周电话陪伴，已请学校心理老师关注。",
    ),
]


def seed_dandong():
    city, village = federation("210600"), federation("210682118201")
    city_officer = user("dandong-city")
    county_officer = user("dandong-county")
    village_officer = user("dandong-village")
    fund, _created = seed_fund(
        actor=city_officer,
        place=city,
        name=DANDONG_FUND,
        purpose="“一对一，直通车”助学：每月资助金直接送达困境儿童家庭，村、县、市三级核查",
        opened_days_ago=200,
        donations=DANDONG_DONATIONS,
        payouts=DANDONG_PAYOUTS,
    )
    sponsors = {}
    for name, kind, phone, volunteer_name in DANDONG_SPONSORS:
        sponsor = Sponsor.objects.filter(federation=city, name=name).first()
        if sponsor is None:
            volunteer = (
                Volunteer.objects.filter(federation=city, name=volunteer_name).first()
                if volunteer_name
                else None
            )
            sponsor = services.sponsor_add(
                actor=city_officer,
                federation=city,
                kind=kind,
                name=name,
                phone=phone,
                volunteer=volunteer,
            )
        sponsors[name] = sponsor
    children = {}
    for row in DANDONG_CHILDREN:
        name, birth, serial, guardian, household, flags, sponsor, monthly, started, last = row
        child = registered(
            actor=village_officer,
            federation=village,
            kind=PersonKind.CHILD,
            name=name,
            id_number=invented_id("210682", birth, serial),
            birth_year=int(birth[:4]),
            address="凤城市通远堡镇大黑山村",
            household=household,
            guardian=guardian,
            target_groups=TargetGroup.objects.filter(code="children-in-difficulty"),
            consents=[ConsentUse.SERVICES, ConsentUse.SPONSORSHIP, ConsentUse.PHOTOS],
            flags=flags,
        )
        children[name] = child
        if child.pairings.exists():
            continue
        this_month = timezone.localdate().replace(day=1)
        pairing = services.pairing_create(
            actor=county_officer,
            person=child,
            sponsor=sponsors[sponsor],
            fund=fund,
            monthly_amount=Decimal(monthly),
            months=12,
            starts_on=this_month - relativedelta(months=started),
            village_contact=village_officer,
        )
        check_stipends(pairing, last, village_officer, county_officer, city_officer)
    for name, kind, days, result, notes in DANDONG_GROWTH:
        child = children[name]
        if not child.growth.filter(kind=kind).exists():
            services.growth_record(
                actor=village_officer,
                person=child,
                kind=kind,
                on=days_ago(days),
                result=result,
                notes=notes,
            )


def check_stipends(pairing, last, village, county, city):
    """The months already due: paid through the three checks, but for the latest, which stands
    at `last` (paid, returned by the city, checked, confirmed, or still awaiting the village)."""
    due = list(pairing.stipends.filter(due_on__lte=timezone.localdate()).order_by("due_on"))
    for number, stipend in enumerate(due):
        step = last if number == len(due) - 1 else "paid"
        if step == "scheduled":
            continue
        stipend = services.stipend_confirm(actor=village, stipend=stipend)
        if step == "village_confirmed":
            continue
        stipend = services.stipend_check(actor=county, stipend=stipend)
        if step == "county_checked":
            continue
        if step == "returned":
            services.stipend_return(actor=city, stipend=stipend, reason=RETURN_REASON)
            continue
        services.stipend_release(actor=city, stipend=stipend)


# 福州: 小桔灯, 春蕾计划, 女性安康保险 ---------------------------------------------------------

CHUNLEI_DONATIONS = [  # 募集助学金261.67万元
    ("福州市教育基金会", "1000000", 700, "春蕾女童助学金"),
    ("福建某集团有限公司", "800000", 520, ""),
    ("福州市女企业家商会", "500000", 400, ""),
    ("福州市直机关干部职工爱心捐款", "216700", 300, ""),
    ("社会爱心人士（网络募捐）", "100000", 200, ""),
]
CHUNLEI_PAYOUTS = [
    (PayoutKind.PROJECT, "900000", 480, "春蕾助学金发放（秋季学期）"),
    (PayoutKind.PROJECT, "900000", 290, "春蕾助学金发放（春季学期）"),
    (PayoutKind.PROJECT, "500000", 100, "春蕾助学金发放（秋季学期）"),
    (PayoutKind.OTHER, "30000", 60, "春蕾女童夏令营"),
]
XIAOJUDENG_DONATIONS = [
    ("福州某科技有限公司", "200000", 330, "“星星点灯 与爱同行”儿童困境帮扶项目"),
    ("福州市妇联执委爱心捐款", "36800", 250, ""),
    ("三八红旗手、最美家庭代表", "25000", 180, ""),
    ("大学生志愿者爱心义卖", "8600.50", 90, ""),
]
XIAOJUDENG_PAYOUTS = [
    (PayoutKind.PROJECT, "120000", 300, "“星星点灯 与爱同行”儿童困境帮扶项目"),
    (PayoutKind.PROJECT, "60000", 150, "留守困境儿童心理关爱服务"),
    (PayoutKind.OTHER, "12000", 75, "关爱儿童巾帼志愿者培训"),
]
INSURANCE_DONATIONS = [  # 市扶贫发展基金会、市人口福利基金会、市教育基金会等
    ("福州市扶贫发展基金会", "5000", 140, "女性特殊疾病保险"),
    ("福州市人口福利基金会", "3000", 140, "女性特殊疾病保险"),
    ("福州市教育基金会", "2000", 130, "女性特殊疾病保险"),
]
PREMIUM = Decimal("100")  # 700多万元 for 7.01万 women

# (name, phone, ID number's date of birth and serial, household, flags)
FUZHOU_WOMEN = [
    (
        "林秀珍",
        "13859110001",
        ("19720312", 24),
        "丈夫常年卧病，家庭低保",
        [Vulnerability.LOW_INCOME],
    ),
    (
        "陈美玉",
        "13859110002",
        ("19800705", 46),
        "单亲母亲，抚养两个孩子",
        [Vulnerability.SINGLE_PARENT],
    ),
    ("黄丽清", "13859110003", ("19680918", 62), "肢体残疾，独居", [Vulnerability.DISABILITY]),
    ("郑春兰", "13859110004", ("19751126", 88), "丈夫外出务工，照顾公婆", []),
    ("吴玉华", "13859110005", ("19830402", 120), "家庭低保", [Vulnerability.LOW_INCOME]),
]
CLAIM = ("陈美玉", 30, "20000", "确诊乳腺癌，按女性特殊疾病条款一次性给付")


def seed_fuzhou():
    city, village = federation("350100"), federation("350121001211")
    admin, officer = user("fuzhou"), user("fuzhou-officer")
    seed_fund(
        actor=admin,
        place=city,
        name="春蕾计划助学基金",
        purpose="“春蕾计划”助学关爱工程：资助困难家庭女童完成学业",
        opened_days_ago=730,
        donations=CHUNLEI_DONATIONS,
        payouts=CHUNLEI_PAYOUTS,
    )
    seed_fund(
        actor=admin,
        place=city,
        name="点亮小桔灯困境儿童关爱基金",
        purpose="“点亮小桔灯·构筑大联盟”：关爱留守困境儿童",
        opened_days_ago=365,
        donations=XIAOJUDENG_DONATIONS,
        payouts=XIAOJUDENG_PAYOUTS,
    )
    insurance, created = seed_fund(
        actor=officer,
        place=city,
        name="女性安康保险专项资金",
        purpose="为困境妇女赠送女性特殊疾病保险，筑牢大病保障防线",
        opened_days_ago=150,
        donations=INSURANCE_DONATIONS,
    )
    women = {
        name: registered(
            actor=officer,
            federation=village,
            kind=PersonKind.WOMAN,
            name=name,
            phone=phone,
            id_number=invented_id("350121", *born),
            birth_year=int(born[0][:4]),
            address="闽侯县甘蔗街道昙石村",
            household=household,
            target_groups=TargetGroup.objects.filter(code="women-in-difficulty"),
            consents=[ConsentUse.SERVICES, ConsentUse.INSURANCE],
            flags=flags,
        )
        for name, phone, born, household, flags in FUZHOU_WOMEN
    }
    if not created:
        return
    starts_on = days_ago(120)
    policy = services.policy_buy(
        actor=officer,
        fund=insurance,
        name=f"{starts_on.year}年度女性安康保险（昙石村）",
        insurer="人保财险福州市分公司",
        starts_on=starts_on,
        ends_on=starts_on + relativedelta(years=1) - timedelta(days=1),
        premium_per_head=PREMIUM,
        people=women.values(),
    )
    name, days, amount, reason = CLAIM
    services.claim_record(
        actor=officer,
        policy=policy,
        person=women[name],
        claimed_on=days_ago(days),
        amount=Decimal(amount),
        reason=reason,
    )


# 济南: the women 巾帼暖“新” served ---------------------------------------------------------------

# (name, phone, community's code, year of birth, the volunteer she became). The two volunteers
# are volunteers.demo's, with their phones: a 交通暖“新” driver and a 村播姐姐.
JINAN_WOMEN = [
    ("王红梅", "13964100000", "370104006001", 1986, "王师傅"),
    ("孙秀云", "13964110000", "370104006001", 1990, "孙姐"),
    ("马丽", "13964120001", "370104006001", 1988, None),
    ("高静", "13964120002", "370104006002", 1992, None),
    ("杜晓燕", "13964120003", "370104006002", 1985, None),
    ("田蕾", "13964120004", "370104006001", 1995, None),
]
# Who was there: at the project's workshop (an activity) and at two delivered orders.
SERVED = {
    "汽车故障速解工坊": ["王红梅", "孙秀云", "马丽", "田蕾"],
    "健康义诊": ["王红梅", "马丽", "高静", "杜晓燕"],
    "心理疏导": ["王红梅", "杜晓燕"],
}


def seed_jinan():
    jinan, huaiyin = federation("370100"), federation("370104")
    officer = user("huaiyin-officer")
    women = {}
    for name, phone, code, born, volunteer_name in JINAN_WOMEN:
        community = federation(code)
        woman = registered(
            actor=officer,
            federation=community,
            kind=PersonKind.WOMAN,
            name=name,
            phone=phone,
            birth_year=born,
            address=f"槐荫区{community.name.removesuffix('妇联')}",
            target_groups=TargetGroup.objects.filter(code="new-employment-women"),
            consents=[ConsentUse.SERVICES, ConsentUse.STATISTICS],
        )
        women[name] = woman
        if volunteer_name and woman.volunteer_id is None:
            volunteer = Volunteer.objects.filter(federation=huaiyin, name=volunteer_name).first()
            if volunteer is not None:
                services.person_became_volunteer(actor=officer, person=woman, volunteer=volunteer)
    activities = Activity.objects.filter(project__funder__path__startswith=jinan.path)
    # An order held as a project's activity is counted at the activity.
    orders = ServiceOrder.objects.filter(
        federation__path__startswith=huaiyin.path,
        status__in=services.DELIVERED,
        activity__isnull=True,
    )
    for title, names in SERVED.items():
        people = [women[name] for name in names]
        activity = activities.filter(title=title).order_by("held_on").first()
        order = None if activity else orders.filter(title=title).order_by("pk").first()
        if activity or order:
            services.attendance_take(actor=officer, people=people, activity=activity, order=order)


@transaction.atomic
def seed():
    seed_users()
    seed_dandong()
    seed_fuzhou()
    seed_jinan()
