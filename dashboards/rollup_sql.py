"""The roll-ups' SQL: what each fact adds to the dashboard, and the triggers that keep the sums.

A *source* is a kind of fact (a case, a sign-up, a report …). Its function
`rollup_facts_<source>(ids)` says what the rows with these ids (all rows when ids is NULL) add:
(federation, day, figure, value), day NULL for figures that are not of a period (snapshots).
`rollup_apply(source, ids, sign)` adds (+1) or takes away (-1) those contributions on every
rolled-up node above the fact's federation (national to county: below the county a subtree is
small and is read from the facts), once for the day and once for its month.

Triggers take a row's contributions away BEFORE it changes and add them back AFTER, in the same
transaction as the change, so the sums are never stale. A row of another table that a source
reads (a case's events, a sign-up's opportunity …) does the same for the facts it touches.
`SET rollups.paused = 'on'` stops the triggers in a session (bulk loads then rebuild).

Installed by migrations (`install_sql()`), idempotent: every function is CREATE OR REPLACE and
every trigger dropped before it is created.
"""

from django.conf import settings

from cases.choices import CaseStatus, Category, EventKind, Outcome
from cases.statistics import DONE, RIGHTS_CATEGORIES
from menu.choices import NeedStatus
from people.choices import UNPAID, PairingStatus, StipendStatus
from projects.choices import IndicatorKind, ReportStatus
from volunteers.choices import SignUpStatus, VolunteerStatus

ROLLED_LEVELS = ("national", "province", "city", "county")
REPORT_FIGURES = ("spending", "women_served", "children_served", "families_served")


def sql_list(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


# A sign-up whose hours count ({row}: its alias, or OLD / NEW in a trigger's condition).
CREDITED = (
    f"({{row}}.status = '{SignUpStatus.ATTENDED}' AND {{row}}.hours_confirmed_at IS NOT NULL)"
)


def local_day(column: str) -> str:
    return f"({column} AT TIME ZONE '{settings.TIME_ZONE}')::date"


def figures(*rows) -> str:
    """A LATERAL list of (figure, value) rows: (figure, value, condition) kept when the
    condition holds, or a whole SELECT of such rows."""
    selects = [
        row
        if isinstance(row, str)
        else f"SELECT {row[0]}::text, ({row[1]})::numeric WHERE {row[2]}"
        for row in rows
    ]
    return "CROSS JOIN LATERAL (" + " UNION ALL ".join(selects) + ") AS x(figure, value)"


CASE_FIGURES = figures(
    ("'cases.total'", 1, "true"),
    # each category once, however often the case lists it
    "(SELECT DISTINCT 'cases.category:' || v, 1::numeric FROM unnest(c.categories) v)",
    ("'cases.risk:' || c.risk", 1, "true"),
    ("'cases.status:' || c.status", 1, "true"),
    ("'cases.channel:' || c.channel", 1, "true"),
    (
        "'cases.disputes_resolved'",
        1,
        f"c.categories @> ARRAY['{Category.MARRIAGE}']::varchar[] "
        f"AND c.status IN ({sql_list(DONE)}) AND c.outcome <> '{Outcome.UNRESOLVED}'",
    ),
    (
        "'cases.rights_matters_handled'",
        1,
        f"c.categories && ARRAY[{sql_list(RIGHTS_CATEGORIES)}]::varchar[] "
        f"AND c.status IN ({sql_list(DONE)})",
    ),
    (
        "'cases.with_deadline_contacted'",
        1,
        "c.first_contacted_at IS NOT NULL AND c.first_contact_due IS NOT NULL",
    ),
    ("'cases.contacted_in_time'", 1, "c.first_contacted_at <= c.first_contact_due"),
    # the first response as a histogram of whole hours, and of whole minutes (kept apart,
    # see MINUTE_GRAINS): the median is found in the hours, then in that hour's minutes
    (
        "'cases.response_hours:' || "
        "floor(extract(epoch FROM c.first_contacted_at - c.received_at) / 3600)::bigint",
        1,
        "c.first_contacted_at IS NOT NULL",
    ),
    (
        "'cases.response_minutes:' || "
        "floor(extract(epoch FROM c.first_contacted_at - c.received_at) / 60)::bigint",
        1,
        "c.first_contacted_at IS NOT NULL",
    ),
    ("'cases.mediated_closed'", 1, "med.mediated"),
    ("'cases.reconciled'", 1, f"med.mediated AND c.outcome = '{Outcome.RECONCILED}'"),
)


# source → the query of what its rows add; `ids` is the function's argument.
FACTS = {
    "case": f"""
        SELECT c.federation_id, {local_day("c.received_at")}, x.figure, x.value
        FROM cases_case c LEFT JOIN cases_consent cs ON cs.case_id = c.id
        CROSS JOIN LATERAL (
            SELECT EXISTS (
                SELECT 1 FROM cases_caseevent e
                WHERE e.case_id = c.id AND e.kind = '{EventKind.MEDIATION}'
            ) AND c.categories @> ARRAY['{Category.MARRIAGE}']::varchar[]
              AND c.status = '{CaseStatus.CLOSED}' AS mediated
        ) med
        {CASE_FIGURES}
        WHERE cs.to_statistics IS NOT false AND (ids IS NULL OR c.id = ANY(ids))
        """,
    "followup": """
        SELECT c.federation_id, f.due_on, 'cases.followups_open', 1
        FROM cases_followup f JOIN cases_case c ON c.id = f.case_id
        LEFT JOIN cases_consent cs ON cs.case_id = c.id
        WHERE f.done_at IS NULL AND cs.to_statistics IS NOT false
        AND (ids IS NULL OR f.id = ANY(ids))
        """,
    "order": f"""
        SELECT o.federation_id, o.window_start, x.figure, x.value FROM menu_serviceorder o
        {
        figures(
            ("'menu.status:' || o.status", 1, "true"),
            ("'menu.rating_sum'", "o.rating", "o.rating IS NOT NULL"),
            ("'menu.rating_count'", 1, "o.rating IS NOT NULL"),
        )
    }
        WHERE ids IS NULL OR o.id = ANY(ids)
        """,
    # now: open and answered needs, every need by source (a duplicate counts once, in the need
    # it repeats); on the day it was answered: its hours from posting to an order answering it
    "need": f"""
        SELECT n.federation_id, NULL::date, x.figure, x.value FROM menu_need n
        {
        figures(
            (
                "'menu.needs:' || n.status",
                1,
                f"n.status IN ({sql_list([NeedStatus.OPEN, NeedStatus.ANSWERED])})",
            ),
            ("'menu.needs_source:' || n.source", 1, f"n.status <> '{NeedStatus.MERGED}'"),
        )
    }
        WHERE ids IS NULL OR n.id = ANY(ids)
        UNION ALL
        SELECT n.federation_id, {local_day("n.answered_at")}, x.figure, x.value FROM menu_need n
        {
        figures(
            (
                "'menu.answer_hours'",
                "extract(epoch FROM n.answered_at - n.created_at) / 3600",
                "true",
            ),
            ("'menu.answered'", 1, "true"),
        )
    }
        WHERE n.answered_at IS NOT NULL AND (ids IS NULL OR n.id = ANY(ids))
        """,
    # confirmed hours, and check-ins at the venue (扫码签到), on the day the activity began
    "signup": f"""
        SELECT v.federation_id, {local_day("o.starts_at")}, x.figure, x.value
        FROM volunteers_signup s JOIN volunteers_opportunity o ON o.id = s.opportunity_id
        JOIN volunteers_volunteer v ON v.id = s.volunteer_id
        {
        figures(
            ("'volunteers.hours'", "s.hours", CREDITED.format(row="s")),
            ("'volunteers.check_ins'", 1, "s.checked_in_at IS NOT NULL"),
        )
    }
        WHERE ({CREDITED.format(row="s")} OR s.checked_in_at IS NOT NULL)
        AND (ids IS NULL OR s.id = ANY(ids))
        """,
    # every volunteer, those once helped, those who registered on the public pages (and were
    # not turned down)
    "volunteer": f"""
        SELECT v.federation_id, NULL::date, x.figure, x.value FROM volunteers_volunteer v
        {
        figures(
            ("'volunteers.total'", 1, "true"),
            ("'volunteers.former'", 1, "v.former_beneficiary"),
            (
                "'volunteers.self_registered'",
                1,
                f"v.consented_at IS NOT NULL AND v.status <> '{VolunteerStatus.REJECTED}'",
            ),
        )
    }
        WHERE ids IS NULL OR v.id = ANY(ids)
        """,
    "team": """
        SELECT t.federation_id, NULL::date, 'volunteers.team:' || t.kind, 1
        FROM volunteers_volunteerteam t WHERE ids IS NULL OR t.id = ANY(ids)
        """,
    "project": f"""
        SELECT p.funder_id, NULL::date, x.figure, x.value FROM projects_project p
        {
        figures(
            ("'projects.total'", 1, "true"),
            ("'projects.budget'", "p.budget", "p.budget IS NOT NULL"),
            ("'projects.status:' || p.status", 1, "true"),
        )
    }
        WHERE ids IS NULL OR p.id = ANY(ids)
        """,
    # The timeliness counts carry the report's due date (`…@2026-01-15`): a report is expected
    # once its due date has come, which the reader decides.
    "report": f"""
        SELECT p.funder_id, rp.ends_on, x.figure, x.value FROM projects_projectreport r
        JOIN projects_reportingperiod rp ON rp.id = r.period_id
        JOIN projects_project p ON p.id = r.project_id
        {
        figures(
            ("'projects.reports@' || rp.due_on", 1, "true"),
            (
                "'projects.reports_submitted@' || rp.due_on",
                1,
                f"r.status <> '{ReportStatus.DRAFT}'",
            ),
            ("'projects.reports_on_time@' || rp.due_on", 1, "r.on_time"),
            ("'projects.reports_late@' || rp.due_on", 1, "NOT r.on_time"),
            (
                "'projects.reports_open@' || rp.due_on",
                1,
                f"r.status IN ({sql_list([ReportStatus.DRAFT, ReportStatus.RETURNED])})",
            ),
            *(
                (
                    f"'projects.approved:{name}'",
                    f"r.{name}",
                    f"r.status = '{ReportStatus.APPROVED}'",
                )
                for name in REPORT_FIGURES
            ),
            *(
                (
                    f"'projects.pending:{name}'",
                    f"r.{name}",
                    f"r.status IN ({sql_list([ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED])})",
                )
                for name in REPORT_FIGURES
            ),
        )
    }
        WHERE ids IS NULL OR r.id = ANY(ids)
        """,
    "disbursement": """
        SELECT p.funder_id, d.paid_on, 'projects.disbursed', d.amount
        FROM projects_disbursement d JOIN projects_project p ON p.id = d.project_id
        WHERE ids IS NULL OR d.id = ANY(ids)
        """,
    # The same share as the dashboard's (approved values to date against the target, at most
    # 1), kept as a sum and a count: their quotient is the average.
    "indicator": f"""
        SELECT p.funder_id, NULL::date, x.figure, x.value FROM projects_indicator i
        JOIN projects_project p ON p.id = i.project_id
        CROSS JOIN LATERAL (
            SELECT sum(iv.value) AS achieved FROM projects_indicatorvalue iv
            JOIN projects_projectreport r ON r.id = iv.report_id
            WHERE iv.indicator_id = i.id AND r.status = '{ReportStatus.APPROVED}'
        ) a
        {
        figures(
            ("'projects.indicator_share'", "LEAST(COALESCE(a.achieved, 0) / i.target, 1)", "true"),
            ("'projects.indicators'", 1, "true"),
        )
    }
        WHERE i.kind IN ({sql_list([IndicatorKind.COUNT, IndicatorKind.AMOUNT])})
        AND i.target > 0 AND (ids IS NULL OR i.id = ANY(ids))
        """,
    "organization": f"""
        SELECT o.guiding_federation_id, NULL::date, x.figure, x.value
        FROM orgs_socialorganization o
        CROSS JOIN LATERAL (SELECT EXISTS (
            SELECT 1 FROM orgs_socialorganization_covering_federations cf
            WHERE cf.socialorganization_id = o.id
        ) AS covered) cov
        {
        figures(
            ("'organizations.total'", 1, "true"),
            ("'organizations.covered'", 1, "cov.covered"),
            ("'organizations.form:' || o.legal_form", 1, "true"),
            ("'organizations.relationship:' || o.relationship", 1, "true"),
        )
    }
        WHERE ids IS NULL OR o.id = ANY(ids)
        """,
    # The people served: registered, served (at an occasion, by a pairing or an insurance) at
    # least once — unique persons, to date — and by target group, became volunteers;
    # person-times on the day she was served.
    "person": f"""
        SELECT p.federation_id, NULL::date, x.figure, x.value FROM people_person p
        CROSS JOIN LATERAL (SELECT
            EXISTS (SELECT 1 FROM people_attendance a WHERE a.person_id = p.id)
            OR EXISTS (SELECT 1 FROM people_pairing pr WHERE pr.person_id = p.id)
            OR EXISTS (SELECT 1 FROM people_insured i WHERE i.person_id = p.id) AS served
        ) s
        {
        figures(
            ("'people.registered'", 1, "true"),
            ("'people.served'", 1, "s.served"),
            ("'people.became_volunteers'", 1, "p.volunteer_id IS NOT NULL"),
            "(SELECT 'people.served_group:' || g.targetgroup_id, 1::numeric "
            "FROM people_person_target_groups g WHERE g.person_id = p.id AND s.served)",
        )
    }
        WHERE ids IS NULL OR p.id = ANY(ids)
        """,
    "attendance": """
        SELECT p.federation_id, a.served_on, 'people.times', 1 FROM people_attendance a
        JOIN people_person p ON p.id = a.person_id
        WHERE ids IS NULL OR a.id = ANY(ids)
        """,
    "pairing": f"""
        SELECT p.federation_id, NULL::date, 'people.pairings_active', 1 FROM people_pairing pr
        JOIN people_person p ON p.id = pr.person_id
        WHERE pr.status = '{PairingStatus.ACTIVE}' AND (ids IS NULL OR pr.id = ANY(ids))
        """,
    # unpaid on the day each is due (late: due before today); returned now; paid on the day
    "stipend": f"""
        SELECT p.federation_id, s.due_on, 'people.stipends_unpaid', 1 FROM people_stipend s
        JOIN people_pairing pr ON pr.id = s.pairing_id JOIN people_person p ON p.id = pr.person_id
        WHERE s.status IN ({sql_list(UNPAID)}) AND (ids IS NULL OR s.id = ANY(ids))
        UNION ALL
        SELECT p.federation_id, NULL::date, 'people.stipends_returned', 1 FROM people_stipend s
        JOIN people_pairing pr ON pr.id = s.pairing_id JOIN people_person p ON p.id = pr.person_id
        WHERE s.status = '{StipendStatus.RETURNED}' AND (ids IS NULL OR s.id = ANY(ids))
        UNION ALL
        SELECT p.federation_id, po.paid_on, x.figure, x.value FROM people_stipend s
        JOIN people_pairing pr ON pr.id = s.pairing_id JOIN people_person p ON p.id = pr.person_id
        JOIN people_payout po ON po.id = s.payout_id
        {
        figures(
            ("'people.stipends_paid'", 1, "true"),
            ("'people.stipends_paid_amount'", "s.amount", "true"),
        )
    }
        WHERE s.status = '{StipendStatus.PAID}' AND (ids IS NULL OR s.id = ANY(ids))
        """,
    # money in and out on its day, and the balance now (what came in less what went out)
    "donation": """
        SELECT f.federation_id, x.day, x.figure, x.value FROM people_donation d
        JOIN people_fund f ON f.id = d.fund_id
        CROSS JOIN LATERAL (VALUES
            (d.received_on, 'funds.raised', d.amount), (NULL::date, 'funds.balance', d.amount)
        ) AS x(day, figure, value)
        WHERE ids IS NULL OR d.id = ANY(ids)
        """,
    "payout": """
        SELECT f.federation_id, x.day, x.figure, x.value FROM people_payout po
        JOIN people_fund f ON f.id = po.fund_id
        CROSS JOIN LATERAL (VALUES
            (po.paid_on, 'funds.spent', po.amount), (NULL::date, 'funds.balance', -po.amount)
        ) AS x(day, figure, value)
        WHERE ids IS NULL OR po.id = ANY(ids)
        """,
}


# The same sign-ups per volunteer and year, for the rankings (dashboards.models.VolunteerYear).
VOLUNTEER_YEAR_FACTS = f"""
        SELECT s.volunteer_id, extract(year FROM {local_day("o.starts_at")})::int, s.hours, 1
        FROM volunteers_signup s JOIN volunteers_opportunity o ON o.id = s.opportunity_id
        WHERE s.status = '{SignUpStatus.ATTENDED}' AND s.hours_confirmed_at IS NOT NULL
        AND s.hours IS NOT NULL AND (ids IS NULL OR s.id = ANY(ids))
"""

# The minutes' histogram has hundreds of rows a month where every other figure has one: its
# rows take the grains M and D (not m and d), so that the dashboard's main read never touches
# them and the median reads them for one or two hours only.
MINUTE_GRAINS = (
    "CASE WHEN f.figure LIKE 'cases.response_minutes:%' THEN upper(g.grain) ELSE g.grain END"
)

# A fact of a day counts for its day and its month; one without a day, now (a snapshot).
EACH_GRAIN = """CROSS JOIN LATERAL (VALUES
            ('s', NULL::date), ('m', date_trunc('month', f.day)::date), ('d', f.day)
        ) AS g(grain, period)
        WHERE f.value IS NOT NULL AND (f.day IS NULL) = (g.grain = 's')"""

ROLLED_NODES = f"""
CREATE OR REPLACE FUNCTION rollup_paused() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('rollups.paused', true), '') = 'on'
$$;

-- A path and its ancestors' (each node adds 8 characters to its parent's path).
CREATE OR REPLACE FUNCTION rollup_path_and_ancestors(path text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT array(SELECT left(path, n) FROM generate_series(8, length(path), 8) AS n)
$$;

-- The rolled-up nodes at and above a federation: a handful of lookups of the path's index (a
-- join on generate_series was planned as a hash of every rolled-up node, 3 ms a write).
CREATE OR REPLACE FUNCTION rollup_nodes(federation bigint) RETURNS TABLE(id bigint)
LANGUAGE sql STABLE AS $$
    SELECT a.id FROM federation_federation own
    JOIN federation_federation a ON a.path = ANY(rollup_path_and_ancestors(own.path))
    WHERE own.id = federation AND a.level IN ({sql_list(ROLLED_LEVELS)})
$$;
"""


def apply_function(source: str) -> str:
    """`rollup_apply_<source>(ids, sign)`: static SQL, so PL/pgSQL keeps its plan for the
    session (a dynamic EXECUTE was planned anew on every write)."""
    if source == "volunteer_year":
        upsert = """
        INSERT INTO dashboards_volunteeryear AS y (volunteer_id, year, hours, times)
        SELECT f.volunteer_id, f.year, sum(f.hours) * sign, sum(f.times) * sign
        FROM rollup_facts_volunteer_year(ids) f
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (volunteer_id, year)
        DO UPDATE SET hours = y.hours + excluded.hours, times = y.times + excluded.times;"""
    else:
        # In key order, so that two writers meet on the same rows in the same order.
        upsert = f"""
        INSERT INTO dashboards_rollup AS r (federation_id, figure, grain, period, value)
        SELECT a.id, f.figure, {MINUTE_GRAINS}, g.period, sum(f.value) * sign
        FROM rollup_facts_{source}(ids) f
        CROSS JOIN LATERAL rollup_nodes(f.federation_id) a
        {EACH_GRAIN}
        GROUP BY 1, 2, 3, 4
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (federation_id, figure, grain, period)
        DO UPDATE SET value = r.value + excluded.value;"""
    return f"""
CREATE OR REPLACE FUNCTION rollup_apply_{source}(ids bigint[], sign integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN {upsert}
END $$;
"""


SOURCES = (*FACTS, "volunteer_year")


def dispatch_function(sources=SOURCES) -> str:
    """`rollup_apply(source, ids, sign)`: adds (+1) or takes away (-1) what the source's rows
    with these ids contribute."""
    branches = "\n".join(
        f"        WHEN '{source}' THEN PERFORM rollup_apply_{source}(ids, sign);"
        for source in sources
    )
    return f"""
CREATE OR REPLACE FUNCTION rollup_apply(source text, ids bigint[], sign integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF rollup_paused() OR ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    CASE source
{branches}
    END CASE;
END $$;
"""


TRIGGER_FUNCTION = """
-- TG_ARGV[0]: the sources, comma-separated; TG_ARGV[1] (optional): the query of the sources'
-- ids this row touches, given the row as jsonb in $1 (without it: the row's own id).
CREATE OR REPLACE FUNCTION rollup_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    subject record;
    touched bigint[];
    source text;
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND TG_WHEN = 'BEFORE') THEN
        subject := OLD;
    ELSE
        subject := NEW;
    END IF;
    IF NOT rollup_paused() THEN
        IF TG_NARGS > 1 THEN
            EXECUTE 'SELECT array(' || TG_ARGV[1] || ')' INTO touched USING to_jsonb(subject);
        ELSE
            touched := ARRAY[subject.id];
        END IF;
        FOREACH source IN ARRAY string_to_array(TG_ARGV[0], ',') LOOP
            PERFORM rollup_apply(source, touched, CASE TG_WHEN WHEN 'BEFORE' THEN -1 ELSE 1 END);
        END LOOP;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END $$;
"""


def facts_function(source: str, query: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION rollup_facts_{source}(ids bigint[])
RETURNS TABLE(federation_id bigint, day date, figure text, value numeric)
LANGUAGE sql STABLE AS $$ {query} $$;
"""


def volunteer_year_functions() -> str:
    return f"""
CREATE OR REPLACE FUNCTION rollup_facts_volunteer_year(ids bigint[])
RETURNS TABLE(volunteer_id bigint, year integer, hours numeric, times integer)
LANGUAGE sql STABLE AS $$ {VOLUNTEER_YEAR_FACTS} $$;

CREATE OR REPLACE FUNCTION rollup_computed_volunteer_year()
RETURNS TABLE(volunteer_id bigint, year integer, hours numeric, times bigint)
LANGUAGE sql STABLE AS $$
    SELECT volunteer_id, year, sum(hours), sum(times) FROM rollup_facts_volunteer_year(NULL)
    GROUP BY 1, 2
$$;
"""


def computed_function(sources=tuple(FACTS)) -> str:
    """Every roll-up row as the facts make it, for rebuild_rollups and its check."""
    facts = " UNION ALL ".join(f"SELECT * FROM rollup_facts_{source}(NULL)" for source in sources)
    return f"""
CREATE OR REPLACE FUNCTION rollup_computed()
RETURNS TABLE(federation_id bigint, figure text, grain text, period date, value numeric)
LANGUAGE sql STABLE AS $$
    WITH nodes AS (
        SELECT own.id AS federation_id, a.id AS node_id FROM federation_federation own
        CROSS JOIN LATERAL generate_series(8, length(own.path), 8) AS g(n)
        JOIN federation_federation a ON a.path = left(own.path, g.n)
        WHERE a.level IN ({sql_list(ROLLED_LEVELS)})
    ), facts AS ({facts})
    SELECT n.node_id, f.figure, {MINUTE_GRAINS}, g.period, sum(f.value)
    FROM facts f JOIN nodes n ON n.federation_id = f.federation_id
    {EACH_GRAIN}
    GROUP BY 1, 2, 3, 4
$$;
"""


# (table, source, the ids it touches or None for its own, columns whose change matters, events,
#  condition on the row for inserts and deletes)
def row_ids(column: str) -> str:
    return f"SELECT ($1->>'{column}')::bigint"


def ids_where(table: str, column: str, of: str = "id") -> str:
    return f"SELECT id FROM {table} WHERE {column} = ($1->>'{of}')::bigint"


ALL = ("insert", "update", "delete")
TRIGGERS = [
    (
        "cases_case",
        "case",
        None,
        "federation_id received_at categories risk status channel outcome first_contact_due "
        "first_contacted_at",
        ALL,
        None,
    ),
    (
        "cases_case",
        "followup",
        ids_where("cases_followup", "case_id"),
        "federation_id",
        ("update",),
        None,
    ),
    (
        "cases_caseevent",
        "case",
        row_ids("case_id"),
        "case_id kind",
        ALL,
        f"{{row}}.kind = '{EventKind.MEDIATION}'",
    ),
    ("cases_consent", "case", row_ids("case_id"), "case_id to_statistics", ALL, None),
    (
        "cases_consent",
        "followup",
        ids_where("cases_followup", "case_id", of="case_id"),
        "case_id to_statistics",
        ALL,
        None,
    ),
    ("cases_followup", "followup", None, "case_id due_on done_at", ALL, None),
    ("menu_serviceorder", "order", None, "federation_id window_start status rating", ALL, None),
    ("menu_need", "need", None, "federation_id status source answered_at", ALL, None),
    # one trigger for the two sums a sign-up is in (a trigger's call costs as much as a sum)
    (
        "volunteers_signup",
        "signup,volunteer_year",
        None,
        "opportunity_id volunteer_id status hours hours_confirmed_at checked_in_at",
        ALL,
        f"({CREDITED} OR {{row}}.checked_in_at IS NOT NULL)",
    ),
    (
        "volunteers_opportunity",
        "signup,volunteer_year",
        ids_where("volunteers_signup", "opportunity_id"),
        "starts_at",
        ("update",),
        None,
    ),
    (
        "volunteers_volunteer",
        "volunteer",
        None,
        "federation_id former_beneficiary consented_at status",
        ALL,
        None,
    ),
    (
        "volunteers_volunteer",
        "signup",
        ids_where("volunteers_signup", "volunteer_id"),
        "federation_id",
        ("update",),
        None,
    ),
    ("volunteers_volunteerteam", "team", None, "federation_id kind", ALL, None),
    ("projects_project", "project", None, "funder_id budget status", ALL, None),
    *(
        ("projects_project", source, ids_where(table, "project_id"), "funder_id", ("update",), None)
        for source, table in (
            ("report", "projects_projectreport"),
            ("disbursement", "projects_disbursement"),
            ("indicator", "projects_indicator"),
        )
    ),
    (
        "projects_projectreport",
        "report",
        None,
        "project_id period_id status on_time " + " ".join(REPORT_FIGURES),
        ALL,
        None,
    ),
    (
        "projects_projectreport",
        "indicator",
        "SELECT indicator_id FROM projects_indicatorvalue WHERE report_id = ($1->>'id')::bigint",
        "status",
        ("update",),
        None,
    ),
    (
        "projects_reportingperiod",
        "report",
        ids_where("projects_projectreport", "period_id"),
        "ends_on due_on",
        ("update",),
        None,
    ),
    ("projects_disbursement", "disbursement", None, "project_id amount paid_on", ALL, None),
    ("projects_indicator", "indicator", None, "project_id kind target", ALL, None),
    (
        "projects_indicatorvalue",
        "indicator",
        row_ids("indicator_id"),
        "indicator_id report_id value",
        ALL,
        None,
    ),
    (
        "orgs_socialorganization",
        "organization",
        None,
        "guiding_federation_id legal_form relationship",
        ALL,
        None,
    ),
    ("people_person", "person", None, "federation_id volunteer_id", ALL, None),
    *(
        (table, "person", row_ids("person_id"), "person_id", ALL, None)
        for table in ("people_attendance", "people_pairing", "people_insured")
    ),
    (
        "people_person_target_groups",
        "person",
        row_ids("person_id"),
        "person_id targetgroup_id",
        ALL,
        None,
    ),
    ("people_attendance", "attendance", None, "person_id served_on", ALL, None),
    ("people_pairing", "pairing", None, "person_id status", ALL, None),
    ("people_stipend", "stipend", None, "pairing_id status due_on amount payout_id", ALL, None),
    (
        "people_pairing",
        "stipend",
        ids_where("people_stipend", "pairing_id"),
        "person_id",
        ("update",),
        None,
    ),
    (
        "people_payout",
        "stipend",
        ids_where("people_stipend", "payout_id"),
        "paid_on",
        ("update",),
        None,
    ),
    *(
        ("people_person", source, ids, "federation_id", ("update",), None)
        for source, ids in (
            ("attendance", ids_where("people_attendance", "person_id")),
            ("pairing", ids_where("people_pairing", "person_id")),
            (
                "stipend",
                "SELECT s.id FROM people_stipend s JOIN people_pairing pr ON pr.id = s.pairing_id "
                "WHERE pr.person_id = ($1->>'id')::bigint",
            ),
        )
    ),
    ("people_donation", "donation", None, "fund_id amount received_on", ALL, None),
    ("people_payout", "payout", None, "fund_id amount paid_on", ALL, None),
    *(
        ("people_fund", source, ids_where(table, "fund_id"), "federation_id", ("update",), None)
        for source, table in (("donation", "people_donation"), ("payout", "people_payout"))
    ),
    (
        "orgs_socialorganization_covering_federations",
        "organization",
        row_ids("socialorganization_id"),
        "socialorganization_id",
        ALL,
        None,
    ),
]


def trigger_sql(table, source, ids, columns, events, condition) -> str:
    """A row's contributions taken away before it changes and added after. A row of the
    source's own table is only added on insert and only taken away on delete; a row another
    source reads is both, around the change. `condition` ({row} for OLD or NEW): for a row of
    the source's own table, when it contributes at all (a sign-up not yet credited is skipped,
    before and after); for another table's, which inserts and deletes matter."""
    args = f"'{source}'" + (f", $q${ids}$q$" if ids else "")
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns.split())
    own = ids is None
    old = condition.format(row="OLD") if condition else None
    new = condition.format(row="NEW") if condition else None
    plans = []  # (when, event, condition)
    if "update" in events:
        if own and condition:
            plans += [
                ("BEFORE", "UPDATE", f"({changed}) AND {old}"),
                ("AFTER", "UPDATE", f"({changed}) AND {new}"),
            ]
        else:
            plans += [("BEFORE", "UPDATE", changed), ("AFTER", "UPDATE", changed)]
    if "insert" in events:
        plans += [("AFTER", "INSERT", new)] + ([] if own else [("BEFORE", "INSERT", new)])
    if "delete" in events:
        plans += [("BEFORE", "DELETE", old)] + ([] if own else [("AFTER", "DELETE", old)])
    statements = []
    for when, event, when_condition in plans:
        name = f"rollup_{source.replace(',', '_')}_{when}_{event}".lower()
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        statements.append(
            f"CREATE TRIGGER {name} {when} {event} ON {table} FOR EACH ROW "
            + (f"WHEN ({when_condition}) " if when_condition else "")
            + f"EXECUTE FUNCTION rollup_trigger({args});"
        )
    return "\n".join(statements)


# Every sum again from the facts, in a migration that adds figures (after install_sql()).
RECOMPUTE_SQL = (
    "SET LOCAL work_mem = '512MB'; "
    "DELETE FROM dashboards_rollup; "
    "INSERT INTO dashboards_rollup (federation_id, figure, grain, period, value) "
    "SELECT * FROM rollup_computed() ORDER BY 1, 3, 4, 2; "
    "ANALYZE dashboards_rollup"
)


# The sources of the people served (issue 16): migrations before people's tables install the
# others only (`install_sql(without=PEOPLE_SOURCES)`); dashboards 0005 installs them all.
PEOPLE_SOURCES = ("person", "attendance", "pairing", "stipend", "donation", "payout")


def install_sql(without=()) -> str:
    """Every function and trigger; `without`: sources whose tables do not exist yet when an
    earlier migration runs."""
    facts = {source: query for source, query in FACTS.items() if source not in without}
    sources = (*facts, "volunteer_year")
    triggers = [t for t in TRIGGERS if not set(t[1].split(",")) & set(without)]
    return "\n".join(
        [
            ROLLED_NODES,
            *(facts_function(source, query) for source, query in facts.items()),
            volunteer_year_functions(),
            *(apply_function(source) for source in sources),
            dispatch_function(sources),
            TRIGGER_FUNCTION,
            computed_function(tuple(facts)),
            *(trigger_sql(*trigger) for trigger in triggers),
        ]
    )


def uninstall_sql() -> str:
    """The functions, and with them (CASCADE) every trigger that calls them."""
    return "\n".join(
        [
            "DROP FUNCTION IF EXISTS rollup_trigger() CASCADE;",
            "DROP FUNCTION IF EXISTS rollup_apply(text, bigint[], integer);",
            *(
                f"DROP FUNCTION IF EXISTS rollup_apply_{source}(bigint[], integer);"
                for source in SOURCES
            ),
            "DROP FUNCTION IF EXISTS rollup_computed();",
            "DROP FUNCTION IF EXISTS rollup_computed_volunteer_year();",
            "DROP FUNCTION IF EXISTS rollup_facts_volunteer_year(bigint[]);",
            *(f"DROP FUNCTION IF EXISTS rollup_facts_{source}(bigint[]);" for source in FACTS),
            "DROP FUNCTION IF EXISTS rollup_nodes(bigint);",
            "DROP FUNCTION IF EXISTS rollup_path_and_ancestors(text);",
            "DROP FUNCTION IF EXISTS rollup_paused();",
        ]
    )
