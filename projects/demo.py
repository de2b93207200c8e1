"""Demo projects from the seed reports, with a reporting history.

Numbers named in the reports (e.g. 爱润榴乡: 培训 316 人次, 服务儿童 1021 人次) are the
indicator targets; the reported values and money are invented but plausible.
"""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from federation.choices import Kind
from federation.models import Federation
from orgs.models import ServiceDomain, SocialOrganization, TargetGroup
from projects.choices import ProjectStatus, ReportStatus
from projects.models import (
    Disbursement,
    Indicator,
    IndicatorValue,
    Project,
    ReportTransition,
    StandardIndicator,
)
from projects.services import project_generate_schedule, project_inherit_standard_indicators

STANDARD_INDICATORS = [  # 山东省妇联's, inherited by every project it or a federation below funds
    ("活动场次", "场", "count"),
    ("服务人次", "人次", "count"),
    ("受益妇女", "人次", "count"),
]  # spending is the report's own figure (支出), not an indicator beside it

# code, title, funder's division code, implementer, domain, targets, mode, budget, start, end,
# status, {indicator: target}
PROJECTS = [
    (
        "JN-2024-001",
        "巾帼暖“新”服务项目",
        "370100",
        "济南市女性社会组织联合会",
        "employment",
        ["new-employment-women"],
        "venture",
        "300000",
        date(2024, 1, 1),
        date(2026, 12, 31),
        ProjectStatus.IN_PROGRESS,
        {"服务人次": 5000, "活动场次": 120},
    ),
    (
        "DY-2025-12338",
        "“12338”妇联维权服务中心项目",
        "370502",
        "东营区希望心理咨询服务中心",
        "legal-rights",
        ["women-in-difficulty", "families"],
        "commission",
        "200000",
        date(2025, 1, 1),
        date(2026, 12, 31),
        ProjectStatus.IN_PROGRESS,
        {"化解纠纷": 50},
    ),
    (
        "YC-2025-001",
        "爱润榴乡 赋能共融 家庭支持项目",
        "370404",
        "峄城区知邻社会工作服务中心",
        "family-education",
        ["left-behind-children", "families"],
        "venture",
        "150000",
        date(2025, 3, 1),
        date(2026, 2, 28),
        ProjectStatus.FINAL_REPORT,
        {"培训人次": 316, "服务儿童": 1021},
    ),
    (
        "ZD-2025-001",
        "婚姻家庭辅导与离婚调解项目",
        "370303",
        "张店区婚姻家庭辅导中心",
        "marriage-mediation",
        ["families"],
        "commission",
        "120000",
        date(2025, 1, 1),
        date(2026, 12, 31),
        ProjectStatus.IN_PROGRESS,
        {"调解案件": 200},
    ),
    (
        "ZD-2025-002",
        "筑仁成长·儿童关爱项目",
        "370303",
        "张店区筑仁成长公益服务中心",
        "child-care",
        ["children-in-difficulty"],
        "venture",
        "80000",
        date(2025, 6, 1),
        date(2026, 5, 31),
        ProjectStatus.IN_PROGRESS,
        {"服务儿童": 600},
    ),
    (
        "JZ-2025-001",
        "心理健康进社区项目",
        "210700",
        "锦州市心理卫生协会",
        "psychological",
        ["families"],
        "commission",
        "100000",
        date(2025, 1, 1),
        date(2025, 12, 31),
        ProjectStatus.EVALUATED,
        {"心理疏导": 300},
    ),
    (
        "SY-2025-001",
        "“巾帼红·幸福家”家政服务项目",
        "210100",
        "沈阳市家政服务行业协会",
        "domestic-service",
        ["elderly", "families"],
        "public_tender",
        "260000",
        date(2025, 1, 1),
        date(2026, 12, 31),
        ProjectStatus.IN_PROGRESS,
        {"服务家庭": 10000},
    ),
]

OPEN_CALL = ("JN-2027-CALL", "2027年济南市巾帼公益创投项目", "370100", "family-education")
OPEN_CALL_GUIDELINES = """一、资助方向：家庭教育指导、婚姻家庭辅导、妇女儿童关爱服务，优先支持进社区、进村居的项目。
二、申报主体：在济南市登记、由市或区县妇联联系指导的女性社会组织，成立满一年。
三、资助额度：单个项目不超过10万元，项目周期2027年1月至12月，按季度报告。
四、评审方式：需求契合度、服务设计、组织能力、预算合理性四项，各占25分。
五、申报材料：在线填写申报表并上传盖章的申报书（PDF或Word）。"""
SCORING_SHEET = [
    ("评审项", "分值", "说明"),
    ("需求契合度", 25, "服务对象与需求调研是否清楚"),
    ("服务设计", 25, "活动安排、频次与成效指标是否可行"),
    ("组织能力", 25, "团队、经验与过往项目评估"),
    ("预算合理性", 25, "各项支出是否必要、标准是否合理"),
]


def regional(code) -> Federation:
    return Federation.objects.get(division_code=code, kind=Kind.REGIONAL)


def seed_standard_indicators():
    shandong = regional("370000")
    for name, unit, kind in STANDARD_INDICATORS:
        StandardIndicator.objects.get_or_create(
            federation=shandong, name=name, defaults={"unit": unit, "kind": kind}
        )


def seed_project(row) -> None:
    code, title, funder, implementer, domain, groups, mode, budget, start, end, status, targets = (
        row
    )
    if Project.objects.filter(code=code).exists():
        return
    project = Project.objects.create(
        code=code,
        title=title,
        funder=regional(funder),
        implementer=SocialOrganization.objects.get(name=implementer),
        domain=ServiceDomain.objects.get(code=domain),
        procurement_mode=mode,
        budget=Decimal(budget),
        period_start=start,
        period_end=end,
        status=status,
    )
    project.target_groups.set(TargetGroup.objects.filter(code__in=groups))
    project.areas_served.set([project.funder])
    project_inherit_standard_indicators(project)
    for name, target in targets.items():
        unit = "件" if name in {"化解纠纷", "调解案件"} else "人次"
        # Targets of inherited standard indicators (服务人次, 活动场次) are set here too; they
        # keep the standard's unit.
        indicator, created = Indicator.objects.get_or_create(
            project=project, name=name, defaults={"unit": unit, "kind": "count", "target": target}
        )
        if not created:
            indicator.target = target
            indicator.save(update_fields=["target"])
    project_generate_schedule(project)
    Disbursement.objects.create(project=project, amount=project.budget / 2, paid_on=start)
    write_report_history(project)


def write_report_history(project) -> None:
    """Periods that ended long ago are approved, the last ended one is submitted, the rest drafts."""
    today = timezone.localdate()
    staff = User.objects.filter(org_memberships__organization=project.implementer).first()
    reviewer = User.objects.filter(staff_memberships__federation=project.funder).first()
    ended = [r for r in project.reports.select_related("period") if r.period.ends_on < today]
    for index, report in enumerate(ended):
        report.narrative = f"{report.period}：按计划开展服务活动。"
        report.activities_held = 6 + index % 4
        report.women_served = 120 + 15 * index
        report.children_served = 40 + 5 * index
        report.families_served = 30 + 3 * index
        report.spending = Decimal("8000") + 500 * index
        report.first_submitted_at = timezone.make_aware(
            datetime.combine(report.period.ends_on + timedelta(days=5), time(9))
        )
        report.on_time = True
        last = index == len(ended) - 1
        report.status = ReportStatus.SUBMITTED if last else ReportStatus.APPROVED
        report.approved_at = None if last else report.first_submitted_at + timedelta(days=3)
        report.save()
        for indicator in project.indicators.filter(kind="count"):
            IndicatorValue.objects.create(report=report, indicator=indicator, value=10 + index)
        if staff:
            ReportTransition.objects.create(
                report=report,
                from_status=ReportStatus.DRAFT,
                to_status=ReportStatus.SUBMITTED,
                actor=staff,
            )
        if reviewer and not last:
            ReportTransition.objects.create(
                report=report,
                from_status=ReportStatus.SUBMITTED,
                to_status=ReportStatus.APPROVED,
                actor=reviewer,
            )


def seed_open_call():
    code, title, funder, domain = OPEN_CALL
    project, created = Project.objects.get_or_create(
        code=code,
        defaults={
            "title": title,
            "funder": regional(funder),
            "domain": ServiceDomain.objects.get(code=domain),
            "procurement_mode": "venture",
            "budget": Decimal("100000"),
            "period_start": date(2027, 1, 1),
            "period_end": date(2027, 12, 31),
            "status": ProjectStatus.CALL_OPEN,
            "call_closes_on": date(2026, 12, 31),
        },
    )
    if created:
        project_inherit_standard_indicators(project)
        project.guidelines = OPEN_CALL_GUIDELINES
        project.save(update_fields=["guidelines"])
        project.call_documents.create(
            title="评审细则.xlsx", file=ContentFile(scoring_workbook(), name="评审细则.xlsx")
        )


def scoring_workbook() -> bytes:
    workbook = Workbook()
    for row in SCORING_SHEET:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@transaction.atomic
def seed():
    seed_standard_indicators()
    for row in PROJECTS:
        seed_project(row)
    seed_open_call()
