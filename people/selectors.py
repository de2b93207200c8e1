"""What waits for whom in the register."""

from django.db.models import Q
from django.utils import timezone

from core.scoping import user_scope
from federation.choices import Level
from federation.models import Federation
from people.choices import PairingStatus, StipendStatus
from people.models import FUND_ROLES, PERSON_ROLES, Stipend

# The check each level makes, by the stipend's state when it waits for that level.
WAITING_FOR = {
    Level.VILLAGE: (StipendStatus.SCHEDULED, StipendStatus.RETURNED),
    Level.COUNTY: (StipendStatus.VILLAGE_CONFIRMED,),
    Level.CITY: (StipendStatus.COUNTY_CHECKED,),
}


def stipends_awaiting(user):
    """The stipends due by today whose next check is hers: the village's at her village, the
    county's under her county, the city's under her city."""
    paths = user_scope(user).paths_with(PERSON_ROLES)
    waiting = Q(pk__in=[])
    for path, level in Federation.objects.filter(path__in=paths).values_list("path", "level"):
        if level in WAITING_FOR:
            waiting |= Q(
                pairing__person__federation__path__startswith=path, status__in=WAITING_FOR[level]
            )
    return Stipend.objects.filter(
        waiting, pairing__status=PairingStatus.ACTIVE, due_on__lte=timezone.localdate()
    )


def reads_the_ledger(user, fund) -> bool:
    """Whether the fund is of her area (its donations, payouts and statements hers to read), not
    only one above it that her area draws on."""
    paths = user_scope(user).paths_with(FUND_ROLES)
    return user.is_superuser or any(fund.federation.path.startswith(path) for path in paths)
