"""What each figure of the dashboard is called and how it is defined (shown on hover)."""

from django.utils.translation import gettext_lazy as _

from cases.choices import CaseStatus, Category, Channel, Risk
from federation.choices import BuildMode
from menu.choices import NeedSource, OrderStatus
from orgs.choices import LegalForm, Relationship
from projects.choices import ProjectStatus
from volunteers.choices import TeamKind

# Figures broken down by a choice: (block, key) → the choices that name the parts.
BREAKDOWNS = {
    ("organizations", "by_legal_form"): (_("by legal form"), LegalForm),
    ("organizations", "by_relationship"): (_("by relationship"), Relationship),
    ("organizations", "new_field_by_build_mode"): (
        _("new-field federations by build mode"),
        BuildMode,
    ),
    ("projects", "by_status"): (_("projects by status"), ProjectStatus),
    ("menu", "orders_by_status"): (_("orders by status"), OrderStatus),
    ("menu", "needs_by_source"): (_("needs by source"), NeedSource),
    ("cases", "by_category"): (_("cases by category"), Category),
    ("cases", "by_risk"): (_("cases by risk"), Risk),
    ("cases", "by_status"): (_("cases by status"), CaseStatus),
    ("cases", "by_channel"): (_("cases by channel"), Channel),
    ("volunteers", "teams_by_kind"): (_("teams by kind"), TeamKind),
}

# key: (label, definition)
FIGURES = {
    "total": (_("total"), _("Records of the whole subtree.")),
    "covered": (
        _("covered by a federation organization"),
        _("Organizations that at least one (new-field) federation covers."),
    ),
    "coverage_rate": (_("coverage rate (%)"), _("Covered organizations ÷ all organizations.")),
    "leaders_on_executive_committees": (
        _("organization leaders on executive committees"),
        _("Executive members in office at the end of the period who come from an organization."),
    ),
    "budget": (_("budget (CNY)"), _("Budgets of the projects funded in the subtree.")),
    "disbursed": (_("disbursed (CNY)"), _("Tranches paid within the period.")),
    "approved": (
        _("approved reports"),
        _("Reports of periods ending within the period, counted once approved."),
    ),
    "pending": (_("awaiting review (not counted)"), _("Submitted or resubmitted reports.")),
    "spending": (_("spending (CNY)"), ""),
    "women_served": (_("women served (person-times)"), ""),
    "children_served": (_("children served (person-times)"), ""),
    "families_served": (_("families served (person-times)"), ""),
    "indicator_completion": (
        _("indicator completion (%)"),
        _(
            "Count and amount indicators: approved values to date against the target, each "
            "counted at most 100%, averaged over the indicators."
        ),
    ),
    "reports_expected": (
        _("reports expected"),
        _("Reports whose due date has come, of periods ending within the period."),
    ),
    "reports_submitted": (_("reports submitted"), _("Expected reports not in draft.")),
    "reports_on_time": (_("reports on time"), _("First submitted by the due date.")),
    "reports_late": (_("reports late"), _("First submitted after the due date.")),
    "reports_overdue": (_("reports overdue"), _("Past due and still a draft or returned.")),
    "published_items": (_("published menu items"), _("Items on a menu of the subtree.")),
    "needs_open": (_("needs open"), _("Needs collected and not yet answered.")),
    "needs_answered": (_("needs answered"), ""),
    "average_days_to_answer": (
        _("days to answer a need"),
        _("From posting to the order that answered it, for needs answered within the period."),
    ),
    "delivery_rate": (
        _("delivery rate (%)"),
        _("Delivered ÷ taken (accepted, scheduled, delivered) orders starting within the period."),
    ),
    "average_rating": (_("average rating"), _("Ratings of confirmed orders, 1–5.")),
    "disputes_resolved": (
        _("disputes resolved"),
        _("Marriage and family cases resolved with an outcome other than unresolved."),
    ),
    "rights_matters_handled": (_("rights matters handled"), _("Rights cases resolved.")),
    "mediated_closed": (_("mediated cases closed"), _("Marriage cases closed after mediation.")),
    "reconciled": (_("reconciled"), ""),
    "reconciliation_rate": (
        _("reconciliation rate (%)"),
        _("Reconciled ÷ mediated marriage cases closed (调处劝和率)."),
    ),
    "median_first_response_minutes": (
        _("median first response (minutes)"),
        _("From reception to the first contact with her, each counted in whole minutes."),
    ),
    "sla_compliance": (
        _("SLA compliance (%)"),
        _("First contacts made by their due time ÷ first contacts made."),
    ),
    "overdue_follow_ups": (_("overdue follow-ups"), _("Follow-ups past due and not done.")),
    "volunteers": (_("volunteers"), ""),
    "former_beneficiaries": (
        _("former beneficiaries"),
        _("Volunteers who were once helped themselves."),
    ),
    "confirmed_hours": (_("confirmed hours"), _("Hours confirmed by coordinators.")),
    "self_registered": (
        _("registered on the public pages"),
        _("Volunteers who registered themselves on their phones and were not turned down."),
    ),
    "check_ins": (
        _("check-ins by QR code"),
        _("Volunteers who checked in at activities that began within the period."),
    ),
    "registered": (_("people registered"), _("Women and children in the register, to date.")),
    "unique_served": (
        _("unique persons served"),
        _(
            "People who attended a service, were paired with a sponsor or insured, each counted "
            "once, to date."
        ),
    ),
    "person_times": (
        _("person-times served"),
        _("Attendances at activities and delivered orders within the period."),
    ),
    "served_by_target_group": (
        _("unique persons served by target group"),
        _("Each person once in each of her target groups, to date."),
    ),
    "became_volunteers": (
        _("people served who became volunteers"),
        _("被服务者 → 志愿者: people served who have a volunteer record."),
    ),
    "pairings_active": (_("active pairings"), _("One-to-one sponsorships not ended.")),
    "stipends_due": (
        _("stipends due, unpaid"),
        _("Stipends due within the period and not yet paid (nor cancelled)."),
    ),
    "stipends_late": (_("stipends late"), _("Unpaid stipends whose due date has passed.")),
    "stipends_returned": (
        _("stipends returned"),
        _("Stipends sent back to the village by the county or the city, now."),
    ),
    "stipends_paid": (_("stipends paid"), _("Released by the city within the period.")),
    "stipends_paid_amount": (_("stipends paid (CNY)"), ""),
    "funds_raised": (_("funds raised (CNY)"), _("Donations received within the period.")),
    "funds_spent": (_("funds spent (CNY)"), _("Payouts of special funds within the period.")),
    "funds_balance": (
        _("funds' balance (CNY)"),
        _("All donations less all payouts of the subtree's special funds, now."),
    ),
}

# Breakdowns whose parts are named by data (target groups), not by a choice.
NAMED_PARTS = {("people", "served_by_target_group")}

BLOCK_TITLES = {
    "organizations": _("Organizations"),
    "projects": _("Projects"),
    "menu": _("Menu and orders"),
    "cases": _("Cases"),
    "volunteers": _("Volunteers"),
    "people": _("People served and special funds"),
}

# The cards the dashboard opens on: (block, figure, short label).
HEADLINES = [
    ("organizations", "total", _("social organizations")),
    ("projects", "total", _("service projects")),
    ("menu", "delivery_rate", _("delivery rate (%)")),
    ("cases", "total", _("cases")),
    ("cases", "sla_compliance", _("first contact on time (%)")),
    ("volunteers", "confirmed_hours", _("confirmed hours")),
]

RANKING_LABELS = {
    "name": _("federation"),
    "organizations": _("organizations"),
    "projects": _("projects"),
    "budget": _("budget (CNY)"),
    "orders_delivered": _("orders delivered"),
    "cases": _("cases"),
    "volunteers": _("volunteers"),
    "hours": _("confirmed hours"),
}


def flat_rows(block_name, block) -> list[tuple[str, object, str]]:
    """(label, value, definition) for every figure of a block, breakdowns spelled out."""
    rows = []
    for key, value in block.items():
        if (block_name, key) in BREAKDOWNS:
            title, choices = BREAKDOWNS[(block_name, key)]
            rows += [
                (f"{title}：{choices(part).label}", count, "") for part, count in value.items()
            ]
        elif (block_name, key) in NAMED_PARTS:
            title, definition = FIGURES[key]
            rows += [(f"{title}：{part}", count, str(definition)) for part, count in value.items()]
        elif isinstance(value, dict):
            title, definition = FIGURES[key]
            rows += [
                (f"{title}：{FIGURES[part][0]}", count, definition) for part, count in value.items()
            ]
        else:
            label, definition = FIGURES[key]
            rows.append((str(label), value, str(definition)))
    return rows
