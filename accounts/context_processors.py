from accounts.scoping import user_scope


def workplaces(request):
    """Which navigation the user gets: a federation's, an organization's, or both."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cases.models import case_paths

    scope = user_scope(user)
    return {
        "works_for_federation": user.is_superuser or bool(scope.federation_paths),
        "works_for_organization": bool(scope.organization_ids),
        "is_volunteer": hasattr(user, "volunteer"),
        "works_on_cases": bool(case_paths(user) or scope.case_organization_ids),
    }
