"""How work is handed to Celery: ids only, and only once the transaction commits."""

from functools import partial

from django.db import transaction


def enqueue_on_commit(task, *ids, **options):
    """Queue `task(*ids)` after the current transaction commits (at once outside one).

    A task queued inside a transaction that rolls back would act on rows that
    never existed; one queued before commit might not yet see them.
    """
    transaction.on_commit(partial(task.apply_async, args=ids, **options))
