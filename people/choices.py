from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PersonKind(models.TextChoices):
    WOMAN = "woman", pgettext_lazy("person served", "Woman")
    CHILD = "child", pgettext_lazy("person served", "Child")


class Vulnerability(models.TextChoices):
    """Flags that decide who is visited and helped first; each is reviewed by a date."""

    LEFT_BEHIND = "left_behind", _("Left-behind child")
    SINGLE_PARENT = "single_parent", _("Single-parent family")
    LOW_INCOME = "low_income", _("Low-income household (低保)")
    DISABILITY = "disability", _("Disability")
    SERIOUS_ILLNESS = "illness", _("Serious illness")
    ORPHAN = "orphan", _("Orphan or de-facto orphan")
    VIOLENCE = "violence", _("Affected by domestic violence")


class ConsentUse(models.TextChoices):
    """What she (or a child's guardian) agreed that her record may be used for."""

    SERVICES = "services", _("Receiving services")
    SPONSORSHIP = "sponsorship", _("One-to-one sponsorship")
    PHOTOS = "photos", _("Photos in her growth archive")
    INSURANCE = "insurance", _("Insurance cover")
    STATISTICS = "statistics", _("Anonymous statistics")


class AttendanceMethod(models.TextChoices):
    LIST = "list", _("Ticked on the list")
    CARD = "card", _("Service card scanned")
    IMPORT = "import", _("Imported from Excel")


class SponsorKind(models.TextChoices):
    PERSON = "person", _("Individual")
    VOLUNTEER = "volunteer", _("Volunteer")
    ORGANIZATION = "organization", _("Social organization")
    ENTERPRISE = "enterprise", _("Enterprise")


class PairingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class StipendStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Awaiting the village's confirmation")
    RETURNED = "returned", _("Returned to the village")
    VILLAGE_CONFIRMED = "village_confirmed", _("Confirmed by the village")
    COUNTY_CHECKED = "county_checked", _("Checked by the county")
    PAID = "paid", _("Released and paid")
    CANCELLED = "cancelled", _("Cancelled")


class StipendMove(models.TextChoices):
    """A step of a stipend's checks (people.workflows.STIPEND), as its audit trail names it."""

    CONFIRM = "confirm", pgettext_lazy("stipend check", "Confirmed (village)")
    CHECK = "check", pgettext_lazy("stipend check", "Checked (county)")
    RELEASE = "release", pgettext_lazy("stipend check", "Released (city)")
    RETURN = "return", pgettext_lazy("stipend check", "Returned")
    CANCEL = "cancel", pgettext_lazy("stipend check", "Cancelled")


# A stipend still to be paid: it is late once its due date has passed.
UNPAID = (
    StipendStatus.SCHEDULED,
    StipendStatus.RETURNED,
    StipendStatus.VILLAGE_CONFIRMED,
    StipendStatus.COUNTY_CHECKED,
)


class GrowthKind(models.TextChoices):
    VISIT = "visit", _("Home visit")
    SCHOOL = "school", _("School results")
    NOTE = "note", _("Note")


class PayoutKind(models.TextChoices):
    STIPEND = "stipend", _("Stipend")
    PROJECT = "project", _("Project disbursement")
    PREMIUM = "premium", _("Insurance premium")
    OTHER = "other", _("Other spending")
