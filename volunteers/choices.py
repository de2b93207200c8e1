from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TeamKind(models.TextChoices):
    # The five standard teams of every village federation.
    PUBLICITY = "publicity", _("Publicity and education (宣传教育)")
    CARE_RIGHTS = "care_rights", _("Care and rights (关爱维权)")
    FAMILY = "family", _("Family civility (家庭文明)")
    BEAUTIFUL_HOME = "beautiful_home", _("Beautiful home and village (美家美城)")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship and innovation (创业创新)")
    THEMATIC = "thematic", _("Thematic team")
    EXPERT_GROUP = "expert_group", _("Expert guidance group (专家指导团)")


STANDARD_VILLAGE_TEAMS = [
    (TeamKind.PUBLICITY, "宣传教育"),
    (TeamKind.CARE_RIGHTS, "关爱维权"),
    (TeamKind.FAMILY, "家庭文明"),
    (TeamKind.BEAUTIFUL_HOME, "美家美城"),
    (TeamKind.ENTREPRENEURSHIP, "创业创新"),
]


class TeamStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant")
    DISSOLVED = "dissolved", _("Dissolved")


class OpportunityStatus(models.TextChoices):
    # "Open" and "Closed" are other things' states elsewhere (a need, a case).
    OPEN = "open", pgettext_lazy("opportunity", "Open")
    CLOSED = "closed", pgettext_lazy("opportunity", "Closed")


class SignUpStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    CONFIRMED = "confirmed", _("Confirmed")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


# Sign-ups that hold one of the opportunity's places.
HOLDING_PLACE = (SignUpStatus.CONFIRMED, SignUpStatus.ATTENDED, SignUpStatus.NO_SHOW)


class VolunteerStatus(models.TextChoices):
    """A volunteer who registered herself (志愿者注册) waits for a coordinator's approval."""

    PENDING = "pending", _("Awaiting approval")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Not approved")


class Availability(models.TextChoices):
    WEEKDAYS = "weekdays", _("Weekdays")
    WEEKENDS = "weekends", _("Weekends")
    EVENINGS = "evenings", _("Evenings")
    ANY = "any", _("Any time")
