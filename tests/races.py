"""Races between real concurrent database connections."""

import threading

from django.db import connection

from core.errors import ServiceError


def race(count, attempt, refusals=None):
    """Run `attempt()` in `count` threads at once; return how many succeeded.
    The services' refusals of the others are appended to `refusals`, if given."""
    barrier = threading.Barrier(count)
    won = []
    refusals = [] if refusals is None else refusals

    def run():
        try:
            barrier.wait()
            attempt()
            won.append(1)
        except ServiceError as error:
            refusals.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(won)
