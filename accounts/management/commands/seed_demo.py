from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

# Each app owns its demo data; they load in the order they build on each other.
DEMO_SEEDERS = [
    "federation.demo.seed",
    "orgs.demo.seed",
    "projects.demo.seed",
    "menu.demo.seed",
    "cases.demo.seed",
    "volunteers.demo.seed",
    "people.demo.seed",
    "accounts.demo.seed",
]

DEMO_LOGINS = [
    ("admin", "superuser / 平台超级管理员"),
    ("shandong", "山东省妇联 admin"),
    ("jinan", "济南市妇联 admin"),
    ("huaiyin", "槐荫区妇联 admin"),
    ("dongying", "东营区妇联 case supervisor"),
    ("fuzhou", "福州市妇联 admin"),
    ("jinan-org", "济南市女性社会组织联合会 staff (portal)"),
    ("dongying-org", "东营区希望心理咨询服务中心 staff (portal)"),
    ("dongying-worker", "东营区希望心理咨询服务中心 case worker (cases)"),
    ("huaiyin-volunteer", "volunteer of 槐荫区 (volunteer pages)"),
    ("dandong", "丹东市妇联 admin"),
    ("dandong-city", "丹东市妇联 beneficiary officer (releases stipends)"),
    ("dandong-county", "凤城市妇联 beneficiary officer (pairs, checks stipends)"),
    ("dandong-village", "大黑山村妇联 beneficiary officer (registers, confirms stipends)"),
    ("huaiyin-officer", "槐荫区妇联 beneficiary officer (register, attendance)"),
    ("fuzhou-officer", "福州市妇联 beneficiary officer (funds, insurance)"),
]


class Command(BaseCommand):
    help = "Load the demo data built from the seed reports (idempotent: safe to run twice)."

    def handle(self, *args, **options):
        from accounts.demo import demo_secret
        from accounts.models import User

        for dotted_path in DEMO_SEEDERS:
            import_string(dotted_path)()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins (password demo-pass-2026):"))
        for username, what in DEMO_LOGINS:
            self.stdout.write(f"  {username:<12} {what}")
        self.stdout.write(
            "Two factors: case staff and administrators also type a code. Add the key below to "
            "an authenticator app, or print the current code with "
            "`.venv/bin/python manage.py demo_code USERNAME`:"
        )
        for user in User.objects.filter(username__in=[name for name, _what in DEMO_LOGINS]):
            secret = demo_secret(user)
            if secret:
                self.stdout.write(f"  {user.username:<12} {secret}")
