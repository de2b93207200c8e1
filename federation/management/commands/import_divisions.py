from django.core.management.base import BaseCommand, CommandError

from federation.choices import Level
from federation.divisions import LEVELS, import_divisions


class Command(BaseCommand):
    help = (
        "Create a province's regional federations from the official division tree, down to the "
        "villages, in one step (existing federations, matched by division code, are kept)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="two-digit code, e.g. 37 (山东)")
        parser.add_argument(
            "--down-to", choices=[str(level) for level in LEVELS], default=Level.VILLAGE
        )

    def handle(self, *args, province, down_to, **options):
        if not (province.isdigit() and len(province) in (2, 6)):
            raise CommandError("--province takes a two-digit code such as 37.")
        counts = import_divisions(province, down_to=down_to)
        if not counts["created"] and not counts["kept"]:
            raise CommandError(f"No division has the province code {province}.")
        self.stdout.write("created {created}, kept {kept}, skipped {skipped}".format(**counts))
