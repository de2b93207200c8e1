"""Recompute the dashboards' roll-ups from the facts, or (--check) compare the two."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from dashboards import rollup_upkeep


class Command(BaseCommand):
    help = "Recompute every dashboard roll-up from the facts; --check only compares."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the roll-ups with the facts and fail if any differs; change nothing.",
        )

    def handle(self, *args, check=False, **options):
        if check:
            count, first = rollup_upkeep.differences()
            for row in first:
                self.stderr.write(" ".join(str(value) for value in row))
            if count:
                raise CommandError(
                    _("%(count)d roll-up figures differ from the facts.") % {"count": count}
                )
            self.stdout.write(_("The roll-ups match the facts."))
            return
        rows = rollup_upkeep.rebuild()
        self.stdout.write(_("Roll-ups rebuilt: %(rows)d rows.") % {"rows": rows})
