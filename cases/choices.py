from django.db import models
from django.utils.translation import gettext_lazy as _


class DataClass(models.TextChoices):
    """How sensitive a field is (DESIGN.md §5); every field of the case models has one."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    PERSONAL = "personal", _("Personal")
    SENSITIVE = "sensitive", _("Sensitive personal")


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12338 hotline")
    WALK_IN = "walk_in", _("Walk-in")
    ONLINE = "online", _("Online")
    REFERRAL = "referral", _("Referral")
    REGISTRY = "registry", _("Marriage-registry mediation")
    OUTREACH = "outreach", _("Outreach")


class Category(models.TextChoices):
    MARRIAGE = "marriage", _("Marriage and family dispute")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    WOMENS_RIGHTS = "womens_rights", _("Infringement of women's rights")
    CHILDRENS_RIGHTS = "childrens_rights", _("Children's rights")
    PSYCHOLOGICAL_CRISIS = "psychological_crisis", _("Psychological crisis")
    EMPLOYMENT = "employment", _("Labour and employment")
    PROPERTY = "property", _("Property and inheritance")
    LEGAL_ADVICE = "legal_advice", _("Legal advice")


class Risk(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRISIS = "crisis", _("Crisis")


# Most urgent first: the order of a worker's queue.
RISK_URGENCY = {Risk.CRISIS: 0, Risk.HIGH: 1, Risk.MEDIUM: 2, Risk.LOW: 3}
SUPERVISED_CLOSING = (Risk.HIGH, Risk.CRISIS)


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("Being handled")
    WAITING = "waiting", _("Waiting for a department")
    UNREACHABLE = "unreachable", _("Unreachable")
    RESOLVED = "resolved", _("Resolved")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The SLA clock stands still while the case waits on someone else.
PAUSED_STATUSES = (CaseStatus.WAITING, CaseStatus.UNREACHABLE)
ENDED_STATUSES = (CaseStatus.CLOSED, CaseStatus.TRANSFERRED, CaseStatus.WITHDRAWN)
OPEN_STATUSES = tuple(status for status in CaseStatus if status not in ENDED_STATUSES)


class Outcome(models.TextChoices):
    RECONCILED = "reconciled", _("Reconciled (劝和)")
    DE_ESCALATED = "de_escalated", _("De-escalated")
    DIVORCE_BY_AGREEMENT = "divorce_by_agreement", _("Divorce by agreement")
    LEGAL_AID = "legal_aid", _("Referred to legal aid")
    PROTECTION_ORDER = "protection_order", _("Protection order")
    RIGHTS_RESTORED = "rights_restored", _("Rights matter settled")
    ADVICE_GIVEN = "advice_given", _("Advice given")
    UNRESOLVED = "unresolved", _("Unresolved")


class PartyRole(models.TextChoices):
    HELP_SEEKER = "help_seeker", _("Help-seeker")
    CHILD = "child", _("Child")
    RESPONDENT = "respondent", _("Respondent")
    FAMILY = "family", _("Family member")


class Vulnerability(models.TextChoices):
    PREGNANT = "pregnant", _("Pregnant")
    DISABILITY = "disability", _("Disability")
    ELDERLY = "elderly", _("Elderly")
    MINOR = "minor", _("Minor")
    NO_INCOME = "no_income", _("No income")
    SUICIDE_RISK = "suicide_risk", _("Risk of self-harm")


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    VOICEMAIL = "voicemail", _("Voicemail")
    UNREACHABLE = "unreachable", _("Unreachable")


class EventKind(models.TextChoices):
    CALL = "call", _("Call")
    HOME_VISIT = "home_visit", _("Home visit")
    COUNSELLING = "counselling", _("Counselling session")
    MEDIATION = "mediation", _("Mediation session")
    PLAN = "plan", _("Intervention plan")
    ESCALATION = "escalation", _("Escalation")
    STATUS = "status", _("Status change")
    NOTE = "note", _("Note")
    URGE = "urge", _("Urged by a supervisor")


# Events that count as the first contact with the help-seeker.
CONTACT_EVENTS = (EventKind.CALL, EventKind.HOME_VISIT, EventKind.COUNSELLING, EventKind.MEDIATION)


class MediationStep(models.TextChoices):
    """The four-step method of marriage-registry mediation."""

    ASSESSMENT = "assessment", _("婚姻研判 · assessment")
    RELIEF = "relief", _("情绪舒缓 · emotional relief")
    RESOLUTION = "resolution", _("矛盾化解 · conflict resolution")
    REPAIR = "repair", _("关系修复 · relationship repair")


class Department(models.TextChoices):
    POLICE = "police", _("Public security (公安)")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil affairs (民政)")
    JUSTICE = "justice", _("Justice (司法)")
    HEALTH = "health", _("Health commission (卫健)")
    EDUCATION = "education", _("Education (教育)")
    COURT = "court", _("Court (法院)")
    POLITICAL_LEGAL = "political_legal", _("Political and legal affairs (政法委)")
    HUMAN_RESOURCES = "human_resources", _("Human resources (人社)")
    DISABLED_PERSONS = "disabled_persons", _("Disabled persons' federation (残联)")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    HOSPITAL = "hospital", _("Hospital")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DONE = "done", _("Done")
    REVOKED = "revoked", _("Revoked")


class FollowUpKind(models.TextChoices):
    VISIT = "visit", _("Follow-up visit")
    SESSION = "session", _("Recurring session")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    HOME = "home", _("Home visit")
    OFFICE = "office", _("At the office")
    ONLINE = "online", _("Online")


class AccessVia(models.TextChoices):
    PAGE = "page", _("Case page")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    LOOKUP = "lookup", _("Found at intake")


class ContactWay(models.TextChoices):
    """How a woman who asked for help online may be reached safely."""

    CALL = "call", _("Call me")
    SMS = "sms", _("Send me a text message")
    WAIT = "wait", _("Do not contact me: I will call 12338 myself")


class ContactTime(models.TextChoices):
    ANY = "any", _("Any time")
    WORKDAY = "workday", _("Working days, daytime")
    EVENING = "evening", _("Evenings")
