"""What the tree tells the apps built on it."""

from django.dispatch import Signal

# Sent around the UPDATE that rewrites a moving subtree's paths, with old_path and new_path:
# before it while the facts still hang under old_path, after it once they hang under new_path.
subtree_moving = Signal()
subtree_moved = Signal()
