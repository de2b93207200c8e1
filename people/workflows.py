"""The moves of a stipend (three checks, as 丹东 supervises its 一对一直通车) and of a pairing.

A stipend is confirmed by the village (the family received the last one and is still eligible),
checked by the county and released by the city, which pays it from the fund. Each check is made
by the register's officer of that level, and by a different person from the checks before it
(people.services). The county or the city may send it back to the village with a
reason. Read by people.services, the pages, the API and the admin: see core.workflow.
"""

from django.utils.translation import gettext_lazy

from core.errors import NotAllowed
from core.scoping import user_scope
from core.workflow import Move, Process
from federation.choices import Level
from federation.models import Federation, path_and_ancestors
from people.choices import PairingStatus, StipendStatus
from people.models import PERSON_ROLES, Pairing, Stipend

S = StipendStatus

LEVEL_REFUSALS = {
    Level.VILLAGE: gettext_lazy("Only the register's officer of her village may do this."),
    Level.COUNTY: gettext_lazy("Only the register's officer of her county may do this."),
    Level.CITY: gettext_lazy("Only the register's officer of her city may do this."),
}


def officer_at_level(level):
    """The party of the register's officer at the person's own federation of this level (for
    the village: her own federation), held at that very node, not above it, so that the three
    checks are three levels' work."""

    def require(actor, record):
        path = level_path(person_of(record).federation, level)
        held = user_scope(actor).roles_by_path.get(path, frozenset()) if path else frozenset()
        if not held & PERSON_ROLES:
            raise NotAllowed(LEVEL_REFUSALS[level])

    return require


def person_of(record):
    """The person a stipend, a pairing (or she herself) is about."""
    if isinstance(record, Stipend):
        return record.pairing.person
    return record.person if isinstance(record, Pairing) else record


def level_path(federation, level) -> str | None:
    """The path of the federation itself or of its ancestor at `level` (for the village: her
    own federation)."""
    if level == Level.VILLAGE or federation.level == level:
        return federation.path
    if not hasattr(federation, "paths_by_level"):
        remember_levels([federation])
    return federation.paths_by_level.get(level)


def remember_levels(federations):
    """Each federation's ancestors by level, read in one query for all of them (a list of
    stipends asks for each row's county and city)."""
    federations = list(federations)
    wanted = {path for f in federations for path in path_and_ancestors(f.path)}
    levels = dict(Federation.objects.filter(path__in=wanted).values_list("path", "level"))
    for federation in federations:
        federation.paths_by_level = {
            levels[path]: path for path in path_and_ancestors(federation.path) if path in levels
        }


STIPEND = Process(
    name="stipend",
    states=StipendStatus,
    initial=(S.SCHEDULED,),
    notify_task="people.tasks.notify_stipend",
    parties={
        "village": officer_at_level(Level.VILLAGE),
        "county": officer_at_level(Level.COUNTY),
        "city": officer_at_level(Level.CITY),
    },
    moves=[
        Move(
            "confirm",
            gettext_lazy("Confirm: the family received it and still qualifies"),
            frozenset({S.SCHEDULED, S.RETURNED}),
            (S.VILLAGE_CONFIRMED,),
            ("village",),
            notice="to-check",
        ),
        Move(
            "check",
            gettext_lazy("Check and pass to the city"),
            frozenset({S.VILLAGE_CONFIRMED}),
            (S.COUNTY_CHECKED,),
            ("county",),
            notice="to-release",
        ),
        Move(
            "release",
            gettext_lazy("Release and pay from the fund"),
            frozenset({S.COUNTY_CHECKED}),
            (S.PAID,),
            ("city",),
            confirm=True,
        ),
        Move(
            "return",
            gettext_lazy("Return to the village"),
            frozenset({S.VILLAGE_CONFIRMED, S.COUNTY_CHECKED}),
            (S.RETURNED,),
            ("county", "city"),
            reason=gettext_lazy("Say why it is returned."),
            notice="returned",
        ),
        Move(
            "cancel",
            gettext_lazy("Cancel this stipend"),
            frozenset({S.SCHEDULED, S.RETURNED}),
            (S.CANCELLED,),
            ("county",),
            reason=gettext_lazy("Say why it is cancelled."),
            confirm=True,
        ),
    ],
)


PAIRING = Process(
    name="pairing",
    states=PairingStatus,
    initial=(PairingStatus.ACTIVE,),
    parties={"county": officer_at_level(Level.COUNTY)},
    moves=[
        Move(
            "end",
            gettext_lazy("End the pairing"),
            frozenset({PairingStatus.ACTIVE}),
            (PairingStatus.ENDED,),
            ("county",),
            reason=gettext_lazy("Say why the pairing ends."),
            confirm=True,
        )
    ],
)
