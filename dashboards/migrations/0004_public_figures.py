"""The roll-ups' functions and triggers again, with issue 15's figures (needs by source, time to
answer, volunteers registered on the public pages, check-ins), and the sums recomputed."""

from django.db import migrations

from dashboards.rollup_sql import install_sql

RECOMPUTE = (
    "SET LOCAL work_mem = '512MB'; "
    "DELETE FROM dashboards_rollup; "
    "INSERT INTO dashboards_rollup (federation_id, figure, grain, period, value) "
    "SELECT * FROM rollup_computed() ORDER BY 1, 3, 4, 2; "
    "ANALYZE dashboards_rollup"
)


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0003_rollups"),
        ("menu", "0005_need_answered_at"),
        ("volunteers", "0002_public_volunteers"),
    ]

    operations = [
        migrations.RunSQL(install_sql(), reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(RECOMPUTE, reverse_sql=migrations.RunSQL.noop),
    ]
