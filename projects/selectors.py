"""Reads that are more than a filter: what the portal and the API list."""

from django.db.models import Q, Sum

from core.scoping import user_scope
from federation.models import path_and_ancestors
from orgs.models import SocialOrganization
from projects.choices import ProjectStatus, ReportStatus
from projects.models import Application, CallDocument, Project


def open_calls_for(user):
    """Open calls of the federations that guide the user's organizations, or those above them."""
    guiding_paths = SocialOrganization.objects.filter(
        pk__in=user_scope(user).organization_ids
    ).values_list("guiding_federation__path", flat=True)
    above_or_at = Q(pk__in=[])
    for path in guiding_paths:
        above_or_at |= Q(funder__path__in=path_and_ancestors(path))
    return Project.objects.filter(above_or_at, status=ProjectStatus.CALL_OPEN)


def call_documents_for(user):
    """A call's files: for those the call is open to, and for those who see its project."""
    return CallDocument.objects.filter(
        Q(project__in=open_calls_for(user)) | Q(project__in=Project.objects.visible_to(user))
    )


def proposal_documents_for(user):
    """Applications whose 申报书 the user may read: her organization's, or her area's calls'."""
    return Application.objects.visible_to(user).exclude(proposal_document="")


def report_totals(reports) -> dict:
    """Figures of a set of reports: approved ones count; pending ones are shown apart.

    Returns {"approved": {...}, "pending": {...}} with the sums of activities,
    beneficiaries and spending. Drafts and returned reports count in neither.
    """
    figures = {
        "activities_held": Sum("activities_held"),
        "women_served": Sum("women_served"),
        "children_served": Sum("children_served"),
        "families_served": Sum("families_served"),
        "spending": Sum("spending"),
    }
    pending = [ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED]
    return {
        "approved": zero_for_none(
            reports.filter(status=ReportStatus.APPROVED).aggregate(**figures)
        ),
        "pending": zero_for_none(reports.filter(status__in=pending).aggregate(**figures)),
    }


def zero_for_none(sums: dict) -> dict:
    return {name: value or 0 for name, value in sums.items()}
