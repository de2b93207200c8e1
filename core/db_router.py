"""Reads that may come from a replica: the dashboards and their exports, when one is configured.

Set DATABASE_REPLICA_URL and the database alias `replica` exists (config/settings/base.py);
code that only reads aggregates runs inside `replica_reads()` (dashboards.selectors' `dashboard`
and `children_ranking`, which the page, the API and the exports call), and this router sends
its reads there. Who may see what (scope, roles) is always read from `default` first, so a role
just taken away is not honoured by a replica a few seconds behind. Every write goes to
`default`. Without a replica the router has no say and Django uses `default`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads go to the replica when there is one (a few seconds behind)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(function):
    """A function that only reads aggregates: its reads may come from the replica."""

    @wraps(function)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return function(*args, **kwargs)

    return wrapped


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _replica_reads.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: a row read from either is the same row

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
