"""Generated data at county, city or province scale, written with PostgreSQL COPY.

The tree hangs under a root of its own (规模测试省妇联), apart from the demo. Rows are random but
reproducible (a seeded generator); they carry no personal data.
"""

import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from accounts.models import User
from cases.models import Case, CaseEvent
from core.bulk import copy_rows, next_id
from dashboards import rollup_upkeep
from federation.divisions import import_divisions
from federation.models import Federation, path_segment
from menu.models import MenuItem, ServiceOrder
from orgs.models import ServiceDomain, SocialOrganization
from projects.models import Activity, Project, ProjectReport, ReportingPeriod
from volunteers.models import Opportunity, SignUp, Volunteer

ROOT_NAME = "规模测试省妇联"


@dataclass(frozen=True)
class Preset:
    cities: int
    counties_per_city: int
    townships_per_county: int
    villages_per_township: int
    organizations: int
    projects: int
    reports_per_project: int
    activities_per_project: int
    cases: int
    events_per_case: int
    volunteers: int
    signups: int
    orders: int
    # A province's official tree (federation/divisions.py) instead of a generated one.
    divisions: str = ""


PRESETS = {
    # One county: about 1/100 of the province.
    "county": Preset(1, 1, 14, 11, 50, 200, 10, 50, 3_000, 5, 1_000, 10_000, 500),
    "city": Preset(1, 9, 13, 11, 500, 2_000, 10, 50, 30_000, 5, 10_000, 100_000, 5_000),
    "province": Preset(
        16, 9, 13, 11, 5_000, 20_000, 10, 50, 300_000, 5, 100_000, 1_000_000, 50_000
    ),
    # 山东's real tree (16 cities, 151 counties, 1,853 townships, 62,075 villages: three times the
    # province preset's villages) under the demo's 山东省妇联, with three times its facts.
    "shandong": Preset(
        0, 0, 0, 0, 15_000, 60_000, 10, 50, 900_000, 5, 300_000, 3_000_000, 150_000, "37"
    ),
}


def scale_root(preset: Preset) -> Federation:
    """The node the preset's facts hang under."""
    if preset.divisions:
        return Federation.objects.get(division_code=preset.divisions + "0000", kind="regional")
    return Federation.objects.get(name=ROOT_NAME)


class Generator:
    def __init__(self, preset: Preset, seed=2026):
        self.preset = preset
        self.rng = random.Random(seed)  # noqa: S311 - generated test data
        self.timings: dict[str, float] = {}

    def timed(self, name, work):
        started = time.monotonic()
        result = work()
        self.timings[name] = time.monotonic() - started
        return result

    # The tree -----------------------------------------------------------------------

    def tree(self):
        if self.preset.divisions:
            return self.official_tree()
        preset = self.preset
        next_pk = next_id(Federation)
        rows, levels = [], {"province": [], "city": [], "county": [], "township": [], "village": []}

        def node(name, level, parent):
            nonlocal next_pk
            pk, next_pk = next_pk, next_pk + 1
            path = (parent["path"] if parent else "") + path_segment(pk)
            row = {
                "id": pk,
                "name": name,
                "level": level,
                "kind": "regional",
                "division_code": "",
                "parent_id": parent["id"] if parent else None,
                "path": path,
                "depth": len(path) // 8,
            }
            rows.append(row)
            levels[level].append(row)
            return row

        root = node(ROOT_NAME, "province", None)
        for c in range(preset.cities):
            city = node(f"规模测试{c + 1}市妇联", "city", root)
            for k in range(preset.counties_per_city):
                county = node(f"{city['name'][:-2]}{k + 1}县妇联", "county", city)
                for t in range(preset.townships_per_county):
                    township = node(f"{county['name'][:-2]}{t + 1}镇妇联", "township", county)
                    for v in range(preset.villages_per_township):
                        node(f"{township['name'][:-2]}{v + 1}村妇联", "village", township)
        copy_rows(Federation, rows)
        self.levels = levels
        self.all_nodes = rows
        return len(rows)

    def official_tree(self):
        """The province's divisions as federations; facts go to its counties and below."""
        import_divisions(self.preset.divisions)
        root = scale_root(self.preset)
        self.levels = {"county": [], "township": [], "village": []}
        nodes = Federation.objects.filter(path__startswith=root.path, level__in=self.levels)
        for node in nodes.values("id", "path", "level"):
            self.levels[node["level"]].append(node)
        self.all_nodes = [node for level in self.levels.values() for node in level]
        return len(self.all_nodes)

    def place(self):
        """A random node, weighted towards the grassroots like real records."""
        level = self.rng.choices(["county", "township", "village"], weights=[2, 3, 5])[0]
        return self.rng.choice(self.levels[level])

    # Organizations and projects -------------------------------------------------------

    def organizations(self):
        next_pk = next_id(SocialOrganization)
        forms = ["social_group", "social_service", "foundation", "unregistered"]
        relations = ["incubated", "member", "connected"]
        self.organization_ids = list(range(next_pk, next_pk + self.preset.organizations))
        return copy_rows(
            SocialOrganization,
            (
                {
                    "id": pk,
                    "name": f"规模测试社会组织{pk}",
                    "credit_code": None,
                    "legal_form": self.rng.choice(forms),
                    "guiding_federation_id": self.place()["id"],
                    "relationship": self.rng.choice(relations),
                    "status": "active",
                }
                for pk in self.organization_ids
            ),
        )

    def projects(self):
        preset, rng = self.preset, self.rng
        domain = ServiceDomain.objects.order_by("pk").first().pk
        first = next_id(Project)
        self.project_ids = list(range(first, first + preset.projects))
        statuses = ["in_progress"] * 6 + ["closed", "evaluated", "awarded", "draft"]
        copy_rows(
            Project,
            (
                {
                    "id": pk,
                    "code": f"SCALE-{pk}",
                    "title": f"规模测试项目{pk}",
                    "funder_id": self.place()["id"],
                    "implementer_id": rng.choice(self.organization_ids),
                    "domain_id": domain,
                    "procurement_mode": "venture",
                    "budget": Decimal(rng.randrange(10_000, 500_000)),
                    "period_start": date(2025, 1, 1),
                    "period_end": date(2026, 12, 31),
                    "reporting_frequency": "quarter",
                    "status": rng.choice(statuses),
                }
                for pk in self.project_ids
            ),
        )
        self.periods_and_reports()
        return preset.projects

    def periods_and_reports(self):
        preset, rng = self.preset, self.rng
        quarters = [
            (date(2024 + (q + 2) // 4, (q + 2) % 4 * 3 + 1, 1))
            for q in range(preset.reports_per_project)
        ]
        period_pk, report_pk = next_id(ReportingPeriod), next_id(ProjectReport)
        periods, reports = [], []
        today = timezone.localdate()
        for project in self.project_ids:
            for start in quarters:
                end = (start.replace(day=28) + timedelta(days=70)).replace(day=1) - timedelta(
                    days=1
                )
                due = end + timedelta(days=10)
                periods.append(
                    {
                        "id": period_pk,
                        "project_id": project,
                        "starts_on": start,
                        "ends_on": end,
                        "due_on": due,
                    }
                )
                status = (
                    rng.choice(["approved"] * 6 + ["submitted", "returned", "draft"])
                    if due < today
                    else "draft"
                )
                reports.append(
                    {
                        "id": report_pk,
                        "project_id": project,
                        "period_id": period_pk,
                        "status": status,
                        "activities_held": rng.randrange(0, 12),
                        "women_served": rng.randrange(0, 300),
                        "children_served": rng.randrange(0, 200),
                        "families_served": rng.randrange(0, 100),
                        "spending": Decimal(rng.randrange(0, 50_000)),
                        "on_time": None if status == "draft" else rng.random() < 0.8,
                    }
                )
                period_pk, report_pk = period_pk + 1, report_pk + 1
        copy_rows(ReportingPeriod, periods)
        copy_rows(ProjectReport, reports)

    def activities(self):
        rng = self.rng
        return copy_rows(
            Activity,
            (
                {
                    "project_id": project,
                    "title": "活动",
                    "held_on": date(2025, 1, 1) + timedelta(days=rng.randrange(0, 690)),
                    "participants": rng.randrange(5, 80),
                    "volunteers": rng.randrange(0, 6),
                }
                for project in self.project_ids
                for _n in range(self.preset.activities_per_project)
            ),
        )

    # Cases ------------------------------------------------------------------------------

    def cases(self):
        preset, rng = self.preset, self.rng
        operator = User.objects.get(username="admin").pk
        first = next_id(Case)
        start = datetime(2025, 1, 1, 9, tzinfo=timezone.get_default_timezone())
        categories = ["marriage", "domestic_violence", "womens_rights", "legal_advice", "property"]
        statuses = ["closed"] * 5 + ["resolved", "follow_up", "in_progress", "assigned", "received"]
        case_rows, event_rows = [], []
        for pk in range(first, first + preset.cases):
            received = start + timedelta(minutes=rng.randrange(0, 690 * 24 * 60))
            status = rng.choice(statuses)
            contacted = received + timedelta(minutes=rng.randrange(10, 600))
            case_rows.append(
                {
                    "id": pk,
                    "number": f"S-{pk}",
                    "channel": rng.choice(["hotline", "walk_in", "registry", "online"]),
                    "received_at": received,
                    "received_by_id": operator,
                    "federation_id": self.place()["id"],
                    "categories": [rng.choice(categories)],
                    "risk": rng.choice(["low", "low", "medium", "high", "crisis"]),
                    "status": status,
                    "outcome": rng.choice(["reconciled", "de_escalated", "unresolved"])
                    if status in {"closed", "resolved", "follow_up"}
                    else "",
                    "first_contact_due": received + timedelta(hours=24),
                    "resolution_due": received + timedelta(days=14),
                    "first_contacted_at": contacted,
                    "closed_at": received + timedelta(days=20) if status == "closed" else None,
                }
            )
            for n in range(preset.events_per_case):
                event_rows.append(
                    {
                        "case_id": pk,
                        "kind": "mediation" if n < 2 else "call",
                        "step": "assessment" if n < 2 else "",
                        "at": received + timedelta(days=n),
                        "worker_id": operator,
                    }
                )
            if len(event_rows) > 100_000:
                copy_rows(Case, case_rows)
                copy_rows(CaseEvent, event_rows)
                case_rows, event_rows = [], []
        copy_rows(Case, case_rows)
        copy_rows(CaseEvent, event_rows)
        return preset.cases

    # Volunteers and the menu -----------------------------------------------------------------

    def volunteers(self):
        preset, rng = self.preset, self.rng
        first = next_id(Volunteer)
        volunteer_ids = list(range(first, first + preset.volunteers))
        copy_rows(
            Volunteer,
            (
                {
                    "id": pk,
                    "name": f"志愿者{pk}",
                    "federation_id": self.place()["id"],
                    "former_beneficiary": rng.random() < 0.1,
                    "registered_on": date(2025, 1, 1),
                }
                for pk in volunteer_ids
            ),
        )
        opportunities = max(preset.signups // 100, 1)
        first_opportunity = next_id(Opportunity)
        start = datetime(2025, 1, 4, 9, tzinfo=timezone.get_default_timezone())
        copy_rows(
            Opportunity,
            (
                {
                    "id": pk,
                    "title": "志愿服务",
                    "federation_id": self.place()["id"],
                    "starts_at": start + timedelta(days=rng.randrange(0, 680)),
                    "ends_at": start + timedelta(days=700),
                    "place": "社区",
                    "places": 100,
                }
                for pk in range(first_opportunity, first_opportunity + opportunities)
            ),
        )
        confirmed = timezone.now()
        return copy_rows(
            SignUp,
            (
                {
                    "opportunity_id": first_opportunity + n // 100,
                    "volunteer_id": volunteer_ids[(n * 7919) % len(volunteer_ids)],
                    "status": "attended",
                    "hours": Decimal(rng.randrange(1, 8)),
                    "hours_confirmed_at": confirmed,
                }
                for n in range(preset.signups)
            ),
        )

    def orders(self):
        preset, rng = self.preset, self.rng
        domain = ServiceDomain.objects.order_by("pk").first().pk
        first_item = next_id(MenuItem)
        items = list(range(first_item, first_item + max(preset.orders // 25, 1)))
        copy_rows(
            MenuItem,
            (
                {
                    "id": pk,
                    "organization_id": rng.choice(self.organization_ids),
                    "title": f"服务{pk}",
                    "domain_id": domain,
                    "format": "workshop",
                    "duration_minutes": 90,
                    "capacity_per_session": 30,
                    "sessions_per_month": 8,
                    "unit_cost": Decimal(1000),
                }
                for pk in items
            ),
        )
        orderer = User.objects.get(username="admin").pk
        statuses = ["confirmed", "delivered", "scheduled", "accepted", "requested", "cancelled"]
        return copy_rows(
            ServiceOrder,
            (
                {
                    "federation_id": self.place()["id"],
                    "item_id": rng.choice(items),
                    "title": "服务",
                    "domain_id": domain,
                    "window_start": date(2025, 1, 1) + timedelta(days=rng.randrange(0, 680)),
                    "window_end": date(2026, 12, 31),
                    "expected_participants": 20,
                    "cost": Decimal(1000),
                    "status": (status := rng.choice(statuses)),
                    "rating": rng.randrange(3, 6) if status == "confirmed" else None,
                    "requested_by_id": orderer,
                }
                for _n in range(preset.orders)
            ),
        )

    def run(self) -> dict[str, float]:
        # The dashboards' sums are computed once at the end, not row by row while copying.
        with rollup_upkeep.paused():
            self.load_facts()
        self.timed("dashboard roll-ups", rollup_upkeep.rebuild)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return self.timings

    def load_facts(self):
        for name, work in [
            ("federations", self.tree),
            ("organizations", self.organizations),
            ("projects and reports", self.projects),
            ("activities", self.activities),
            ("cases and events", self.cases),
            ("volunteers and sign-ups", self.volunteers),
            ("menu and orders", self.orders),
        ]:
            self.timed(name, work)
