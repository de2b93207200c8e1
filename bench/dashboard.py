"""Dashboard benchmark: the API end to end against raw SQL answering the same questions.

    make bench                        # county, city and province presets (province loads ~4M rows)
    make bench PRESETS=county,city    # a quicker run

For each preset it creates a fresh database next to DATABASE_URL's (womenfed_bench_<preset>),
migrates, loads the demo and `seed_scale --preset <preset>`, then for the generated province,
its first city and that city's first county it times GET /api/v1/dashboard/ in-process (one
cold request, then warm ones: median and p95) and the raw SQL below, and prints the ratio and
the number of queries. Not part of the test suite.
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
    }
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "-v0"], env)
    run([*manage, "seed_demo"], env)
    load = run([*manage, "seed_scale", "--preset", preset], env)
    return {"env": env, "load_seconds": load}


def measure() -> dict:
    """Runs inside the preset's database (called as `bench/dashboard.py --measure`)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from scale.generator import PRESETS, scale_root

    root = scale_root(PRESETS[os.environ["BENCH_PRESET"]])
    # The first city and county that hold facts (the shandong preset's tree holds the demo's).
    city = root.children.filter(level="city").order_by("pk").first()
    county = city.children.filter(level="county").order_by("pk").first()
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    results = {}
    for label, node in (("province", root), ("city", city), ("county", county)):
        url = f"/api/v1/dashboard/?federation={node.pk}&from={PERIOD[0]}&to={PERIOD[1]}"
        connection.close()  # cold: a new connection, nothing cached by this process
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        cold = time.perf_counter() - started
        warm = []
        for _run in range(WARM_RUNS):
            started = time.perf_counter()
            client.get(url)
            warm.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
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
        results[label] = {
            "cold": cold,
            "median": statistics.median(warm),
            "p95": sorted(warm)[int(0.95 * (len(warm) - 1))],
            "raw_median": statistics.median(raw),
            "queries": len(queries),
            "raw_statements": len(RAW_SQL),
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
    print(
        f"{'preset':<9}{'node':<10}{'cold ms':>9}{'median ms':>11}{'p95 ms':>9}{'raw SQL ms':>12}{'ratio':>7}{'queries':>9}"
    )
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
        for node, figures in json.loads(output.strip().splitlines()[-1]).items():
            print(
                f"{preset:<9}{node:<10}{figures['cold'] * 1000:9.1f}{figures['median'] * 1000:11.1f}"
                f"{figures['p95'] * 1000:9.1f}{figures['raw_median'] * 1000:12.1f}"
                f"{figures['median'] / figures['raw_median']:7.2f}{figures['queries']:9d}"
            )
        print(f"{preset:<9}loaded in {prepared['load_seconds']:.0f} s (migrate + demo excluded)")


if __name__ == "__main__":
    main()
