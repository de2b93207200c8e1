"""Loading many rows at once with PostgreSQL COPY (the scale presets, the division tree)."""

import itertools

from django.db import connection, models
from django.utils import timezone


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
        return cursor.fetchone()[0]


def copy_rows(model, rows) -> int:
    """COPY rows (dicts by attribute name) into the model's table; missing fields get their
    defaults. Returns how many were written."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    # Rows without an id get theirs from the sequence.
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and "id" not in first)]
    now = timezone.now()
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            defaults[field.attname] = now
        elif field.has_default():
            defaults[field.attname] = field.get_default()
        elif (
            isinstance(field, models.CharField | models.TextField | models.FileField)
            and not field.null
        ):
            defaults[field.attname] = ""
        else:
            defaults[field.attname] = None
    columns = ", ".join(f'"{field.column}"' for field in fields)
    count = 0
    raw = connection.connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy,
    ):
        for row in itertools.chain([first], rows):
            copy.write_row([row.get(field.attname, defaults[field.attname]) for field in fields])
            count += 1
    with connection.cursor() as cursor:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
            f'(SELECT MAX(id) FROM "{table}"))'
        )
    return count
