"""The roll-ups' functions and triggers again, with issue 16's figures (people registered and
served, person-times, pairings, stipends, special funds), and the sums recomputed."""

from django.db import migrations

from dashboards.rollup_sql import RECOMPUTE_SQL, install_sql



class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0004_public_figures"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(install_sql(), reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(RECOMPUTE_SQL, reverse_sql=migrations.RunSQL.noop),
    ]
