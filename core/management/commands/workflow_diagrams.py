"""Write docs/workflows.md: each process's state diagram, drawn from its table."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.workflow import workflows_document

DOCUMENT = Path(settings.BASE_DIR) / "docs" / "workflows.md"


class Command(BaseCommand):
    help = "Write docs/workflows.md from the processes' tables (core.workflow)."

    def handle(self, *args, **options):
        DOCUMENT.write_text(workflows_document(), encoding="utf-8")
        self.stdout.write(f"Wrote {DOCUMENT}")
