from django.db import migrations

from orgs.vocabularies import load_vocabularies


def add_vocabularies(apps, schema_editor):
    load_vocabularies(apps.get_model("orgs", "ServiceDomain"), apps.get_model("orgs", "TargetGroup"))


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(add_vocabularies, migrations.RunPython.noop)]
