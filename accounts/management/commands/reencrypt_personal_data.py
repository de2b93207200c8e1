from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.personal_data import EncryptedTextField

BATCH = 500


def encrypted_fields(model) -> list[str]:
    return [field.name for field in model._meta.fields if isinstance(field, EncryptedTextField)]


class Command(BaseCommand):
    help = (
        "Rewrite every encrypted personal value (cases, volunteers) under the newest key of "
        "PERSONAL_DATA_KEYS (after adding a key; older keys can go once this has run)."
    )

    def handle(self, *args, **options):
        for model in apps.get_models():
            names = encrypted_fields(model)
            if not names:
                continue
            # Reading decrypts under any listed key; writing encrypts under the newest.
            with transaction.atomic():
                rows = list(model._default_manager.select_for_update().only("pk", *names))
                model._default_manager.bulk_update(rows, names, batch_size=BATCH)
            self.stdout.write(f"{model._meta.label}: {len(rows)} rows re-encrypted")
