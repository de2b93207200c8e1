"""Reads that are more than a filter: what the portal and the API list."""

from django.db.models import Q

from accounts.scoping import user_scope
from federation.models import path_and_ancestors
from orgs.models import SocialOrganization
from projects.choices import ProjectStatus
from projects.models import Project


def open_calls_for(user):
    """Open calls of the federations that guide the user's organizations, or those above them."""
    guiding_paths = SocialOrganization.objects.filter(
        pk__in=user_scope(user).organization_ids
    ).values_list("guiding_federation__path", flat=True)
    above_or_at = Q(pk__in=[])
    for path in guiding_paths:
        above_or_at |= Q(funder__path__in=path_and_ancestors(path))
    return Project.objects.filter(above_or_at, status=ProjectStatus.CALL_OPEN)
