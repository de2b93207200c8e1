from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.services import cases_anonymise


class Command(BaseCommand):
    help = (
        "Turn cases closed longer than CASE_RETENTION_DAYS ago into anonymised archives: no "
        "names, contacts or notes; age bands instead of birth years. They still count in "
        "statistics."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.CASE_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        count = cases_anonymise(closed_before=timezone.now() - timedelta(days=days))
        self.stdout.write(f"{count} cases anonymised")
