from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from projects.models import Project
from scale.generator import PRESETS, ROOT_NAME, Generator


class Command(BaseCommand):
    help = (
        "Generate county-, city- or province-scale data with PostgreSQL COPY under a root of its "
        f"own ({ROOT_NAME}), or 山东's real tree with facts in proportion (shandong), and say how "
        "long each part took."
    )

    def add_arguments(self, parser):
        parser.add_argument("--preset", choices=sorted(PRESETS), required=True)

    def handle(self, *args, preset, **options):
        if Project.objects.filter(code__startswith="SCALE-").exists():
            raise CommandError("A scale preset is loaded already: use a fresh database.")
        if not User.objects.filter(username="admin").exists():
            call_command("seed_demo", stdout=self.stdout)
        timings = Generator(PRESETS[preset]).run()
        for part, seconds in timings.items():
            self.stdout.write(f"{part:<26} {seconds:8.1f} s")
        self.stdout.write(f"{'total':<26} {sum(timings.values()):8.1f} s")
