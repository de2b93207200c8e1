from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A staff member's role at one federation (and so over its subtree)."""

    ADMIN = "admin", _("Administrator")
    PROJECT_OFFICER = "project_officer", _("Project officer")
    CASE_WORKER = "case_worker", _("Case worker")
    CASE_SUPERVISOR = "case_supervisor", _("Case supervisor")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Volunteer coordinator")
    VIEWER = "viewer", _("Viewer")
