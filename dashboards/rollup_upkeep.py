"""Keeping the roll-ups: pausing them for a bulk load, rebuilding them from the facts, checking
them against the facts, and carrying a subtree's sums when a federation moves."""

from contextlib import contextmanager

from django.db import connection, transaction
from django.dispatch import receiver

from federation.signals import subtree_moved, subtree_moving

# source → (its model, the lookup of the federation its facts count under)
SOURCE_FEDERATIONS = {
    "case": ("cases.Case", "federation"),
    "followup": ("cases.FollowUp", "case__federation"),
    "order": ("menu.ServiceOrder", "federation"),
    "need": ("menu.Need", "federation"),
    "signup": ("volunteers.SignUp", "volunteer__federation"),
    "volunteer": ("volunteers.Volunteer", "federation"),
    "team": ("volunteers.VolunteerTeam", "federation"),
    "project": ("projects.Project", "funder"),
    "report": ("projects.ProjectReport", "project__funder"),
    "disbursement": ("projects.Disbursement", "project__funder"),
    "indicator": ("projects.Indicator", "project__funder"),
    "organization": ("orgs.SocialOrganization", "guiding_federation"),
    "person": ("people.Person", "federation"),
    "attendance": ("people.Attendance", "person__federation"),
    "pairing": ("people.Pairing", "person__federation"),
    "stipend": ("people.Stipend", "pairing__person__federation"),
    "donation": ("people.Donation", "fund__federation"),
    "payout": ("people.Payout", "fund__federation"),
}


@contextmanager
def paused():
    """No trigger keeps the sums in this session meanwhile: rebuild() afterwards."""
    with connection.cursor() as cursor:
        cursor.execute("SET rollups.paused = 'on'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET rollups.paused")


@transaction.atomic
def rebuild() -> int:
    """Every sum recomputed from the facts. Writers wait meanwhile (the table is locked), and
    readers until it commits: about a minute and a half at the province preset."""
    with connection.cursor() as cursor:
        cursor.execute(
            "LOCK TABLE dashboards_rollup, dashboards_volunteeryear IN ACCESS EXCLUSIVE MODE"
        )
        cursor.execute("SET LOCAL work_mem = '512MB'")
        # The foreign keys' deferred checks of this transaction first: TRUNCATE waits for none.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE dashboards_rollup, dashboards_volunteeryear")
        # In the order the dashboards read them: a node's rows on neighbouring pages.
        cursor.execute(
            "INSERT INTO dashboards_rollup (federation_id, figure, grain, period, value) "
            "SELECT * FROM rollup_computed() ORDER BY 1, 3, 4, 2"
        )
        rows = cursor.rowcount
        cursor.execute(
            "INSERT INTO dashboards_volunteeryear (volunteer_id, year, hours, times) "
            "SELECT * FROM rollup_computed_volunteer_year()"
        )
        rows += cursor.rowcount
        cursor.execute("ANALYZE dashboards_rollup, dashboards_volunteeryear")
    return rows


@transaction.atomic
def differences(limit=20) -> tuple[int, list[tuple]]:
    """Sums that differ from the facts' (zero and missing are the same): how many, and the
    first few as (federation or volunteer id, figure, grain, period, kept, computed)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '512MB'")
        cursor.execute(
            """SELECT *, count(*) OVER () FROM (
                   SELECT coalesce(r.federation_id, c.federation_id) AS subject,
                          coalesce(r.figure, c.figure) AS figure,
                          coalesce(r.grain, c.grain) AS grain,
                          coalesce(r.period, c.period) AS period, r.value AS kept,
                          c.value AS computed
                   FROM dashboards_rollup r FULL JOIN rollup_computed() c
                     ON c.federation_id = r.federation_id AND c.figure = r.figure
                    AND c.grain = r.grain
                    AND coalesce(c.period, 'epoch') = coalesce(r.period, 'epoch')
                   WHERE coalesce(r.value, 0) <> coalesce(c.value, 0)
                   UNION ALL
                   SELECT coalesce(y.volunteer_id, c.volunteer_id), 'volunteer_year', 'y',
                          make_date(coalesce(y.year, c.year), 1, 1), y.hours, c.hours
                   FROM dashboards_volunteeryear y FULL JOIN rollup_computed_volunteer_year() c
                     ON c.volunteer_id = y.volunteer_id AND c.year = y.year
                   WHERE coalesce(y.hours, 0) <> coalesce(c.hours, 0)
                      OR coalesce(y.times, 0) <> coalesce(c.times, 0)
               ) AS different
               ORDER BY 1, 2, 3, 4 LIMIT %s""",
            [limit],
        )
        rows = cursor.fetchall()
        return (rows[0][-1] if rows else 0), [row[:-1] for row in rows]


def apply_under(path: str, sign: int) -> None:
    """Add (+1) or take away (-1) the sums of every fact under the node at `path`."""
    from django.apps import apps

    with connection.cursor() as cursor:
        for source, (label, lookup) in SOURCE_FEDERATIONS.items():
            ids = apps.get_model(label).objects.filter(**{f"{lookup}__path__startswith": path})
            sql, params = ids.values("pk").query.sql_with_params()
            cursor.execute(f"SELECT rollup_apply(%s, ARRAY({sql}), %s)", [source, *params, sign])


@receiver(subtree_moving)
def take_away_a_moving_subtree(sender, old_path, **kwargs):
    """A moving subtree's facts leave the sums above it (and those inside it, added back
    after: they do not change)."""
    apply_under(old_path, -1)


@receiver(subtree_moved)
def add_a_moved_subtree(sender, new_path, **kwargs):
    apply_under(new_path, +1)
