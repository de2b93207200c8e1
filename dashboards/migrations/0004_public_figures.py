"""The roll-ups' functions and triggers again, with issue 15's figures (needs by source, time to
answer, volunteers registered on the public pages, check-ins), and the sums recomputed."""

from django.db import migrations

from dashboards.rollup_sql import PEOPLE_SOURCES, RECOMPUTE_SQL, install_sql



class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0003_rollups"),
        ("menu", "0005_need_answered_at"),
        ("volunteers", "0002_public_volunteers"),
    ]

    operations = [
        migrations.RunSQL(install_sql(without=PEOPLE_SOURCES), reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(RECOMPUTE_SQL, reverse_sql=migrations.RunSQL.noop),
    ]
