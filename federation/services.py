"""State changes of the federation tree: the only place the tree is rearranged."""

from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.errors import NotAllowed
from core.scoping import has_role_at
from core.tasks import enqueue_on_commit
from federation.choices import Role
from federation.models import SEGMENT_WIDTH, Federation


def federation_move(*, actor, federation: Federation, new_parent: Federation) -> Federation:
    """Hang a federation and its whole subtree under another node.

    The actor must administer both the node's current parent and the new parent.
    """
    if not (
        federation.parent is not None
        and has_role_at(actor, federation.parent, [Role.ADMIN])
        and has_role_at(actor, new_parent, [Role.ADMIN])
    ):
        raise NotAllowed(_("You may only move federations between nodes you administer."))
    with transaction.atomic():
        federation.parent = new_parent
        federation.full_clean()
        federation.save()
    return federation


REBUILD_PATHS_SQL = """
WITH RECURSIVE tree (id, path) AS (
    SELECT id, lpad(to_hex(id), %(width)s, '0')
      FROM federation_federation WHERE parent_id IS NULL
    UNION ALL
    SELECT child.id, tree.path || lpad(to_hex(child.id), %(width)s, '0')
      FROM federation_federation child JOIN tree ON child.parent_id = tree.id
)
UPDATE federation_federation node
   SET path = tree.path, depth = length(tree.path) / %(width)s
  FROM tree
 WHERE node.id = tree.id
   AND (node.path <> tree.path OR node.depth <> length(tree.path) / %(width)s)
"""


def federation_rebuild_paths() -> int:
    """Recompute every path from the parent links; returns how many rows were wrong.

    The parent link is the truth; the path is derived from it. Bulk loads (COPY)
    write parent ids only and call this once afterwards.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE federation_federation IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(REBUILD_PATHS_SQL, {"width": SEGMENT_WIDTH})
        return cursor.rowcount


def schedule_path_rebuild() -> None:
    enqueue_on_commit("federation.tasks.rebuild_federation_paths")
