"""The shared vocabularies every deployment starts with (DESIGN.md section 2).

The data migration loads them; so does the demo seeder, because tests that
truncate tables (transactional tests) take migration-loaded rows with them.
"""

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


def load_vocabularies(service_domain_model, target_group_model) -> None:
    for model, terms in (
        (service_domain_model, SERVICE_DOMAINS),
        (target_group_model, TARGET_GROUPS),
    ):
        for code, name in terms:
            model.objects.update_or_create(code=code, defaults={"name": name})
