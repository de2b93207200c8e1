"""How work is handed to Celery: ids only, and only once the transaction commits."""

from functools import partial

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task, *ids, **options):
    """Queue `task(*ids)` after the current transaction commits (at once outside one).

    A task queued inside a transaction that rolls back would act on rows that
    never existed; one queued before commit might not yet see them. `task` is a task or its
    name ("cases.tasks.notify_case_event"): a service names the tasks it starts, so that it
    never imports its app's tasks module (the tasks call the services).
    """
    if isinstance(task, str):
        # Imported here, when it runs: a web process has not necessarily loaded every tasks
        # module, and a name Celery does not know would go to the broker even when tasks run
        # eagerly.
        task = import_string(task)
    transaction.on_commit(partial(task.apply_async, args=ids, **options))
