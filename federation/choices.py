from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Administrative level of a federation node, top to bottom."""

    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / street")
    VILLAGE = "village", _("Village / community")


LEVEL_RANK = {level: rank for rank, level in enumerate(Level.values)}


class Kind(models.TextChoices):
    REGIONAL = "regional", _("Regional federation")
    NEW_FIELD = "new_field", _("New-field federation")


class BuildMode(models.TextChoices):
    """How a new-field federation (三新领域妇联) was built."""

    OWN = "own", _("Own (单建)")
    INDUSTRY = "industry", _("Industry-wide (统建)")
    REGIONAL_JOINT = "regional_joint", _("Regional joint (区域联建)")
    VILLAGE_CATCH_ALL = "village_catch_all", _("Village catch-all (村社兜底)")
    GROUP_EXTENSION = "group_extension", _("Via women's groups (小组延伸)")


class HostType(models.TextChoices):
    """What a new-field federation is built inside."""

    SOCIAL_ORGANIZATION = "social_organization", _("Social organization")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    INCUBATION_BASE = "incubation_base", _("Incubation base")
    PARK = "park", _("Park")
    OTHER = "other", _("Other")


class VenueKind(models.TextChoices):
    WOMENS_HOME = "womens_home", _("Women's home (妇女之家)")
    WOMEN_CHILDREN_HOME = "women_children_home", _("Women and children's home (妇儿家园)")
    SERVICE_STATION = "service_station", _("Women's service station (巾帼服务站)")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    OFFICE_BUILDING = "office_building", _("Office building (楼宇)")
    GIG_HUB = "gig_hub", _("New-employment hub (新业态聚集区)")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class Committee(models.TextChoices):
    EXECUTIVE = "executive", _("Executive committee (执委)")
    STANDING = "standing", _("Standing committee (常委)")


class Role(models.TextChoices):
    """A staff member's role at one federation (and so over its subtree)."""

    ADMIN = "admin", _("Administrator")
    PROJECT_OFFICER = "project_officer", _("Project officer")
    CASE_WORKER = "case_worker", _("Case worker")
    CASE_SUPERVISOR = "case_supervisor", _("Case supervisor")
    VOLUNTEER_COORDINATOR = "volunteer_coordinator", _("Volunteer coordinator")
    # 服务对象管理: the register of women and children served, sponsorships and special funds.
    BENEFICIARY_OFFICER = "beneficiary_officer", _("Beneficiary officer")
    VIEWER = "viewer", _("Viewer")
