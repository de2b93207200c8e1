from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("Social group (社会团体)")
    SOCIAL_SERVICE = "social_service", _("Social service agency (社会服务机构/民办非企业单位)")
    FOUNDATION = "foundation", _("Foundation (基金会)")
    UNREGISTERED = "unregistered", _("Unregistered community organization")


class Relationship(models.TextChoices):
    """How the guiding federation relates to it: the "三个一批"."""

    INCUBATED = "incubated", _("Incubated (培育)")
    MEMBER = "member", _("Member (吸纳)")
    CONNECTED = "connected", _("Connected (联系)")


class OrgStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVED = "dissolved", _("Dissolved")


class OrgRole(models.TextChoices):
    ADMIN = "admin", _("Organization administrator")
    STAFF = "staff", _("Organization staff")
    # Only this role sees and takes the organization's cases (a report writer does not).
    CASE_WORKER = "case_worker", _("Organization case worker")
