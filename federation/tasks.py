from celery import shared_task

from federation.services import federation_rebuild_paths


@shared_task
def rebuild_federation_paths() -> int:
    """Repair the tree's materialized paths from its parent links."""
    return federation_rebuild_paths()
