"""Scale benchmark: what a scoped administrator opens, at every level of every preset.

    make bench                                 # county, city and province (province: ~4M rows)
    make bench PRESETS=county,city             # a quicker run
    make bench PRESETS=county,province,shandong

For each preset it creates a fresh database next to DATABASE_URL's (womenfed_bench_<preset>),
migrates, loads the demo and `seed_scale --preset <preset>`; then, as an administrator of the
preset's province, of its first city and of that city's first county, it times in-process (one
cold request, then warm ones: median and p95) the dashboard's API and page, the hours rankings,
the first page of the five largest lists and /api/v1/me/ (the floor), the raw SQL below that
answers the dashboard's questions on the base tables, and a write that changes a figure
(confirming a volunteer's hours). It prints Markdown: each page against its own median at the
county preset (when the run includes it), the dashboard against the raw SQL, the writes.
Not part of the test suite.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_RUNS = 15
PERIOD = ("2025-01-01", "2026-12-31")

# The dashboard's questions, written by hand on the base tables. %(p)s: the node's path and
# everything below (a prefix pattern); %(start)s / %(end)s: the period.
RAW_SQL = [
    # organizations
    """SELECT o.legal_form, o.relationship, count(*) FROM orgs_socialorganization o
       JOIN federation_federation f ON f.id = o.guiding_federation_id
       WHERE f.path LIKE %(p)s GROUP BY 1, 2""",
    """SELECT count(DISTINCT c.socialorganization_id) FROM orgs_socialorganization_covering_federations c
       JOIN orgs_socialorganization o ON o.id = c.socialorganization_id
       JOIN federation_federation f ON f.id = o.guiding_federation_id WHERE f.path LIKE %(p)s""",
    """SELECT count(*) FROM federation_executivemember e JOIN federation_federation f
       ON f.id = e.federation_id WHERE f.path LIKE %(p)s AND e.organization_id IS NOT NULL""",
    # projects
    """SELECT p.status, count(*), sum(p.budget) FROM projects_project p
       JOIN federation_federation f ON f.id = p.funder_id WHERE f.path LIKE %(p)s GROUP BY 1""",
    """SELECT sum(d.amount) FROM projects_disbursement d JOIN projects_project p ON p.id = d.project_id
       JOIN federation_federation f ON f.id = p.funder_id
       WHERE f.path LIKE %(p)s AND d.paid_on BETWEEN %(start)s AND %(end)s""",
    """SELECT r.status, sum(r.spending), sum(r.women_served), sum(r.children_served),
              sum(r.families_served), count(*) FILTER (WHERE r.on_time), count(*) FILTER (WHERE NOT r.on_time)
       FROM projects_projectreport r JOIN projects_reportingperiod rp ON rp.id = r.period_id
       JOIN projects_project p ON p.id = r.project_id JOIN federation_federation f ON f.id = p.funder_id
       WHERE f.path LIKE %(p)s AND rp.ends_on BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    # menu and orders
    """SELECT count(DISTINCT m.item_id) FROM menu_menupublication m JOIN federation_federation f
       ON f.id = m.federation_id WHERE f.path LIKE %(p)s AND m.status = 'published'""",
    """SELECT n.status, count(*) FROM menu_need n JOIN federation_federation f ON f.id = n.federation_id
       WHERE f.path LIKE %(p)s GROUP BY 1""",
    """SELECT o.status, count(*), avg(o.rating) FROM menu_serviceorder o
       JOIN federation_federation f ON f.id = o.federation_id
       WHERE f.path LIKE %(p)s AND o.window_start BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    # cases
    """SELECT c.status, c.risk, c.channel, c.categories, count(*),
              count(*) FILTER (WHERE c.first_contacted_at <= c.first_contact_due),
              count(*) FILTER (WHERE c.first_contacted_at IS NOT NULL)
       FROM cases_case c JOIN federation_federation f ON f.id = c.federation_id
       WHERE f.path LIKE %(p)s AND c.received_at::date BETWEEN %(start)s AND %(end)s GROUP BY 1, 2, 3, 4""",
    """SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY c.first_contacted_at - c.received_at)
       FROM cases_case c JOIN federation_federation f ON f.id = c.federation_id
       WHERE f.path LIKE %(p)s AND c.received_at::date BETWEEN %(start)s AND %(end)s""",
    """SELECT count(*), count(*) FILTER (WHERE c.outcome = 'reconciled') FROM cases_case c
       JOIN federation_federation f ON f.id = c.federation_id
       WHERE f.path LIKE %(p)s AND c.received_at::date BETWEEN %(start)s AND %(end)s
         AND c.status = 'closed' AND c.categories @> ARRAY['marriage']::varchar[]
         AND EXISTS (SELECT 1 FROM cases_caseevent e WHERE e.case_id = c.id AND e.kind = 'mediation')""",
    """SELECT count(*) FROM cases_followup u JOIN cases_case c ON c.id = u.case_id
       JOIN federation_federation f ON f.id = c.federation_id
       WHERE f.path LIKE %(p)s AND u.done_at IS NULL AND u.due_on < current_date""",
    # volunteers
    """SELECT t.kind, count(*) FROM volunteers_volunteerteam t JOIN federation_federation f
       ON f.id = t.federation_id WHERE f.path LIKE %(p)s GROUP BY 1""",
    """SELECT count(*), count(*) FILTER (WHERE v.former_beneficiary) FROM volunteers_volunteer v
       JOIN federation_federation f ON f.id = v.federation_id WHERE f.path LIKE %(p)s""",
    """SELECT sum(s.hours) FROM volunteers_signup s JOIN volunteers_volunteer v ON v.id = s.volunteer_id
       JOIN federation_federation f ON f.id = v.federation_id JOIN volunteers_opportunity o ON o.id = s.opportunity_id
       WHERE f.path LIKE %(p)s AND s.status = 'attended' AND s.hours_confirmed_at IS NOT NULL
         AND o.starts_at::date BETWEEN %(start)s AND %(end)s""",
    # month by month
    """SELECT date_trunc('month', c.received_at), count(*) FROM cases_case c
       JOIN federation_federation f ON f.id = c.federation_id
       WHERE f.path LIKE %(p)s AND c.received_at::date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    """SELECT date_trunc('month', o.window_start), count(*) FROM menu_serviceorder o
       JOIN federation_federation f ON f.id = o.federation_id
       WHERE f.path LIKE %(p)s AND o.status IN ('delivered', 'confirmed')
         AND o.window_start BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    """SELECT date_trunc('month', o.starts_at), sum(s.hours) FROM volunteers_signup s
       JOIN volunteers_volunteer v ON v.id = s.volunteer_id JOIN federation_federation f ON f.id = v.federation_id
       JOIN volunteers_opportunity o ON o.id = s.opportunity_id
       WHERE f.path LIKE %(p)s AND s.status = 'attended' AND s.hours_confirmed_at IS NOT NULL
         AND o.starts_at::date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    # the children side by side
    """SELECT substr(f.path, 1, %(child)s), count(*) FROM orgs_socialorganization o
       JOIN federation_federation f ON f.id = o.guiding_federation_id WHERE f.path LIKE %(below)s GROUP BY 1""",
    """SELECT substr(f.path, 1, %(child)s), count(*), sum(p.budget) FROM projects_project p
       JOIN federation_federation f ON f.id = p.funder_id WHERE f.path LIKE %(below)s GROUP BY 1""",
    """SELECT substr(f.path, 1, %(child)s), count(*) FROM volunteers_volunteer v
       JOIN federation_federation f ON f.id = v.federation_id WHERE f.path LIKE %(below)s GROUP BY 1""",
    """SELECT substr(f.path, 1, %(child)s), count(*) FROM menu_serviceorder o
       JOIN federation_federation f ON f.id = o.federation_id WHERE f.path LIKE %(below)s
         AND o.status IN ('delivered', 'confirmed') AND o.window_start BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    """SELECT substr(f.path, 1, %(child)s), count(*) FROM cases_case c
       JOIN federation_federation f ON f.id = c.federation_id WHERE f.path LIKE %(below)s
         AND c.received_at::date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
    """SELECT substr(f.path, 1, %(child)s), sum(s.hours) FROM volunteers_signup s
       JOIN volunteers_volunteer v ON v.id = s.volunteer_id JOIN federation_federation f ON f.id = v.federation_id
       JOIN volunteers_opportunity o ON o.id = s.opportunity_id WHERE f.path LIKE %(below)s
         AND s.status = 'attended' AND s.hours_confirmed_at IS NOT NULL
         AND o.starts_at::date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
]


def database_url(name: str) -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/womenfed")
    return base.rsplit("/", 1)[0] + f"/{name}"


def run(command, env):
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def prepare(preset: str) -> dict:
    """A fresh database holding the preset; returns its URL and how long loading took."""
    import psycopg

    name = f"womenfed_bench_{preset}"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": database_url(name),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "WARNING",
        "BENCH_PRESET": preset,
        # The bench signs in without a phone: the second factor is the test suite's business.
        "TWO_FACTOR_REQUIRED": "false",
    }
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "-v0"], env)
    run([*manage, "seed_demo"], env)
    load = run([*manage, "seed_scale", "--preset", preset], env)
    return {"env": env, "load_seconds": load}


# What a scoped administrator opens, timed at every level (issue 14): the dashboard (API and
# page), the hours rankings, the first page of the five largest lists, and /api/v1/me/ — the
# floor of any request.
PAGES = {
    "dashboard API": "/api/v1/dashboard/?federation={id}&from={start}&to={end}",
    "dashboard page": "/dashboards/{id}/?start={start}&end={end}",
    "hours page": "/volunteers/hours/?start={start}&end={end}",
    "sign-ups": "/api/v1/signups/",
    "opportunities": "/api/v1/opportunities/",
    "case events": "/api/v1/case-events/",
    "orders": "/api/v1/service-orders/",
    "reports": "/api/v1/project-reports/",
    "me (floor)": "/api/v1/me/",
}
WRITES = 40


def timed_page(client, url) -> dict:
    from django.db import connection

    connection.close()  # cold: a new connection, nothing cached by this process
    started = time.perf_counter()
    assert client.get(url).status_code == 200, url
    cold = time.perf_counter() - started
    warm = []
    for _run in range(WARM_RUNS):
        started = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - started)
    return {
        "cold": cold,
        "median": statistics.median(warm),
        "p95": sorted(warm)[int(0.95 * (len(warm) - 1))],
    }


def raw_sql_median(node) -> float:
    from django.db import connection

    params = {
        "p": node.path + "%",
        "below": node.path + "_%",
        "child": len(node.path) + 8,
        "start": PERIOD[0],
        "end": PERIOD[1],
    }
    raw = []
    with connection.cursor() as cursor:
        for _run in range(WARM_RUNS):
            started = time.perf_counter()
            for sql in RAW_SQL:
                cursor.execute(sql, params)
                cursor.fetchall()
            raw.append(time.perf_counter() - started)
    return statistics.median(raw)


def administrator_of(node):
    """A staff user holding the roles that open every page above, at `node`."""
    from accounts.models import User
    from federation.choices import Role
    from federation.models import StaffMembership

    user, _created = User.objects.get_or_create(
        username=f"bench-{node.pk}", defaults={"is_staff": True}
    )
    for role in (Role.ADMIN, Role.CASE_SUPERVISOR, Role.VOLUNTEER_COORDINATOR):
        StaffMembership.objects.get_or_create(user=user, federation=node, role=role)
    return user


def write_medians(node, user) -> tuple[float, float]:
    """A write that changes a dashboard figure: a coordinator confirms a volunteer's hours.
    The median of WRITES with the roll-ups' triggers, and of WRITES with them paused (the write
    as it was before them), taken in turns, each on its own sign-up."""
    from datetime import timedelta

    from django.utils import timezone

    from dashboards.rollup_upkeep import paused
    from volunteers.models import Opportunity, SignUp, Volunteer
    from volunteers.services import signup_attend

    volunteers = list(Volunteer.objects.filter(federation=node)[: 2 * WRITES])
    volunteers += [
        Volunteer.objects.create(
            federation=node, name=f"测量志愿者{n}", registered_on=timezone.localdate()
        )
        for n in range(2 * WRITES - len(volunteers))
    ]
    begun = timezone.now() - timedelta(hours=1)
    opportunity = Opportunity.objects.create(
        federation=node,
        title="测量用志愿服务",
        starts_at=begun,
        ends_at=begun + timedelta(hours=3),
        place="测量",
        places=2 * WRITES,
    )
    timings = {True: [], False: []}
    for number, volunteer in enumerate(volunteers):
        signup = SignUp.objects.create(
            opportunity=opportunity, volunteer=volunteer, status="confirmed"
        )
        with_rollups = number % 2 == 0
        started = time.perf_counter()
        if with_rollups:
            signup_attend(actor=user, signup=signup, hours=2)
        else:
            with paused():
                signup_attend(actor=user, signup=signup, hours=2)
        timings[with_rollups].append(time.perf_counter() - started)
    return statistics.median(timings[True]), statistics.median(timings[False])


def measure() -> dict:
    """Runs inside the preset's database (called as `bench/dashboard.py --measure`)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from scale.generator import PRESETS, scale_root

    root = scale_root(PRESETS[os.environ["BENCH_PRESET"]])
    # The first city and county that hold facts (the shandong preset's tree holds the demo's).
    city = root.children.filter(level="city").order_by("pk").first()
    county = city.children.filter(level="county").order_by("pk").first()
    results = {}
    for label, node in (("province", root), ("city", city), ("county", county)):
        user = administrator_of(node)
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        pages = {
            name: timed_page(client, url.format(id=node.pk, start=PERIOD[0], end=PERIOD[1]))
            for name, url in PAGES.items()
        }
        with CaptureQueriesContext(connection) as queries:
            client.get(PAGES["dashboard API"].format(id=node.pk, start=PERIOD[0], end=PERIOD[1]))
        results[label] = {
            "pages": pages,
            "raw_median": raw_sql_median(node),
            "queries": len(queries),
            "write_medians": write_medians(node, user),
        }
    return results


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--presets", default="county,city,province")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.measure:
        print(json.dumps(measure()))
        return
    measured, loads = {}, {}
    for preset in args.presets.split(","):
        prepared = prepare(preset)
        output = subprocess.run(
            [sys.executable, __file__, "--measure"],
            cwd=ROOT,
            env=prepared["env"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        measured[preset] = json.loads(output.strip().splitlines()[-1])
        loads[preset] = prepared["load_seconds"]
    report(measured, loads)


ACCEPTANCE = [
    # (what, the page at the province preset, its level, the page at the county preset, its
    #  level, at most ×)
    ("province dashboard", "dashboard API", "province", "dashboard API", "county", 3),
    ("city dashboard", "dashboard API", "city", "dashboard API", "county", 2),
]


def acceptance(measured: dict) -> list[tuple[str, float, float]]:
    """(what, ratio, bound) of issue 14's acceptance, from one run holding county and
    province."""
    county, province = measured["county"], measured["province"]
    rows = [
        (
            what,
            province[level]["pages"][page]["median"] / county[base_level]["pages"][base]["median"],
            bound,
        )
        for what, page, level, base, base_level, bound in ACCEPTANCE
    ]
    for level in ("province", "city", "county"):
        for page, timing in province[level]["pages"].items():
            if page.startswith("dashboard") or page.startswith("me"):
                continue
            base = county[level]["pages"][page]["median"]
            rows.append((f"{level}: {page}", timing["median"] / base, 2))
    for level in ("province", "city", "county"):
        with_rollups, without = province[level]["write_medians"]
        rows.append((f"{level}: write (confirm hours)", with_rollups / without, 1.5))
    return rows


def report(measured: dict, loads: dict) -> None:
    """Markdown tables: every page's median at every level, against its own median at the
    county preset, and the dashboard against the raw SQL; then the writes."""
    baseline = measured.get("county")
    print("| preset | node | page | median ms | p95 ms | × county preset |")
    print("|---|---|---|---:|---:|---:|")
    for preset, nodes in measured.items():
        for node, figures in nodes.items():
            for page, timing in figures["pages"].items():
                base = baseline[node]["pages"][page]["median"] if baseline else None
                ratio = f"{timing['median'] / base:.2f}" if base else "—"
                print(
                    f"| {preset} | {node} | {page} | {timing['median'] * 1000:.1f} "
                    f"| {timing['p95'] * 1000:.1f} | {ratio} |"
                )
    print()
    print(
        "| preset | node | dashboard API ms | raw SQL ms | × raw SQL | queries "
        "| write ms | without roll-ups ms | × |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for preset, nodes in measured.items():
        for node, figures in nodes.items():
            api = figures["pages"]["dashboard API"]["median"]
            with_rollups, without = figures["write_medians"]
            print(
                f"| {preset} | {node} | {api * 1000:.1f} | {figures['raw_median'] * 1000:.1f} "
                f"| {api / figures['raw_median']:.2f} | {figures['queries']} "
                f"| {with_rollups * 1000:.1f} | {without * 1000:.1f} "
                f"| {with_rollups / without:.2f} |"
            )
    for preset, seconds in loads.items():
        print(f"\n{preset}: loaded in {seconds:.0f} s (migrate and demo excluded)")
    if {"county", "province"} <= set(measured):
        print("\n| acceptance (issue 14) | × | at most | |")
        print("|---|---:|---:|---|")
        for what, ratio, bound in acceptance(measured):
            print(f"| {what} | {ratio:.2f} | {bound} | {'ok' if ratio <= bound else 'OVER'} |")


if __name__ == "__main__":
    main()
