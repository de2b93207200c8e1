"""The shared vocabularies every deployment starts with (DESIGN.md section 2)."""

from django.db import migrations

SERVICE_DOMAINS = [
    ("family-education", "家庭教育"),
    ("psychological", "心理服务"),
    ("legal-rights", "法律维权"),
    ("child-care", "儿童关爱"),
    ("marriage-mediation", "婚姻家庭调解"),
    ("skills-training", "技能培训"),
    ("employment", "就业创业"),
    ("domestic-service", "家政"),
    ("elderly-care", "养老"),
    ("health", "健康"),
]

TARGET_GROUPS = [
    ("new-employment-women", "新就业群体女性"),
    ("left-behind-children", "留守儿童"),
    ("children-in-difficulty", "困境儿童"),
    ("women-in-difficulty", "困境妇女"),
    ("elderly", "老年人"),
    ("families", "家庭"),
    ("executive-members", "妇联执委"),
]


def add_vocabularies(apps, schema_editor):
    for model_name, terms in (("ServiceDomain", SERVICE_DOMAINS), ("TargetGroup", TARGET_GROUPS)):
        model = apps.get_model("orgs", model_name)
        for code, name in terms:
            model.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    operations = [migrations.RunPython(add_vocabularies, migrations.RunPython.noop)]
