from accounts.two_factor import second_step_pending
from core.scoping import user_scope


def workplaces(request):
    """Which navigation the user gets: a federation's, an organization's, or both."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if second_step_pending(user):
        # Until the second step, no link would lead anywhere but back to it.
        return {"second_step_pending": True}
    from cases.models import works_on_cases
    from people.models import keeps_funds, keeps_people

    scope = user_scope(user)
    return {
        "works_for_federation": user.is_superuser or bool(scope.federation_paths),
        "works_for_organization": bool(scope.organization_ids),
        "organization_names": organization_names(scope),
        "is_volunteer": hasattr(user, "volunteer"),
        "works_on_cases": works_on_cases(scope),
        "keeps_people": keeps_people(scope),
        "keeps_funds": keeps_funds(scope),
    }


def organization_names(scope) -> list[str]:
    """Each of her organizations once, whatever the number of roles she holds in it."""
    if not scope.organization_ids:
        return []
    from orgs.models import SocialOrganization

    return list(
        SocialOrganization.objects.filter(pk__in=scope.organization_ids).values_list(
            "name", flat=True
        )
    )
