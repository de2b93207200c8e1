"""What each role may do, as Django permissions ("app.codename").

Where it may do it is the scope (core.scoping). Later apps add their
models' permissions here, next to the roles that need them.
"""

from federation.choices import Role


def model_perms(app_model: str, *actions: str) -> set[str]:
    app, model = app_model.split(".")
    return {f"{app}.{action}_{model}" for action in actions}


READ = ("view",)
WRITE = ("view", "add", "change", "delete")

FEDERATION_MODELS = (
    "federation.federation",
    "federation.venue",
    "federation.executivemember",
    "federation.womengroup",
)


ORG_MODELS = ("orgs.socialorganization", "orgs.orgmembership")
VOCABULARIES = ("orgs.servicedomain", "orgs.targetgroup")
PROJECT_MODELS = (
    "projects.project",
    "projects.standardindicator",
    "projects.indicator",
    "projects.fundingline",
    "projects.disbursement",
    "projects.activity",
)
MENU_MODELS = ("menu.need", "menu.menuitem", "menu.menupublication", "menu.serviceorder")
CASE_MODELS = (
    "cases.case",
    "cases.party",
    "cases.caseevent",
    "cases.referral",
    "cases.followup",
    "cases.call",
)
VOLUNTEER_MODELS = (
    "volunteers.volunteer",
    "volunteers.volunteerteam",
    "volunteers.teammembership",
    "volunteers.expertmatch",
    "volunteers.opportunity",
    "volunteers.signup",
)
# The register of people served (服务对象管理): only its officers open it.
PEOPLE_MODELS = (
    "people.person",
    "people.personflag",
    "people.personconsent",
    "people.attendance",
    "people.sponsor",
    "people.pairing",
    "people.stipend",
    "people.growthentry",
    "people.insured",
    "people.claim",
)
# Special funds are money, not people: administrators keep them, viewers read them.
FUND_MODELS = ("people.fund", "people.donation", "people.payout", "people.insurancepolicy")
# Cases change only through cases.services (the case pages, the API): the admin only shows them.
# Reports and applications are written by organizations; federations view and review them.
REVIEWED_MODELS = ("projects.projectreport", "projects.application")
# What a reviewer must see beside a report or an application: its evidence and its history.
REVIEW_EVIDENCE = (
    "projects.reportattachment",
    "projects.indicatorvalue",
    "projects.reporttransition",
    "projects.reviewscore",
)


def _all(models, actions) -> set[str]:
    return set().union(*(model_perms(m, *actions) for m in models))


ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.ADMIN: _all(FEDERATION_MODELS + ORG_MODELS + PROJECT_MODELS + MENU_MODELS, WRITE)
    | _all(VOCABULARIES + REVIEWED_MODELS + REVIEW_EVIDENCE, READ)
    | _all(REVIEWED_MODELS, ("change",))
    | model_perms("federation.staffmembership", *WRITE)
    | model_perms("accounts.user", "view")
    | model_perms("cases.slapolicy", *WRITE)
    | _all((*CASE_MODELS, "cases.accesslog"), READ)
    | _all(VOLUNTEER_MODELS, WRITE)
    | _all(FUND_MODELS, READ),
    Role.BENEFICIARY_OFFICER: _all(FEDERATION_MODELS + ORG_MODELS + VOCABULARIES, READ)
    | _all(PEOPLE_MODELS + FUND_MODELS, READ)
    | _all(("people.personaccess", "people.stipendcheck"), READ)
    | {"people.open_person"},
    Role.PROJECT_OFFICER: _all(
        FEDERATION_MODELS + VOCABULARIES + REVIEWED_MODELS + REVIEW_EVIDENCE, READ
    )
    | _all(ORG_MODELS + PROJECT_MODELS + MENU_MODELS, WRITE)
    | _all(REVIEWED_MODELS, ("change",)),
    Role.CASE_WORKER: _all(FEDERATION_MODELS + ORG_MODELS + CASE_MODELS, READ),
    Role.CASE_SUPERVISOR: _all(FEDERATION_MODELS + ORG_MODELS + CASE_MODELS, READ)
    | _all(("cases.slapolicy", "cases.accesslog"), READ)
    | {"cases.export_case"},
    Role.VOLUNTEER_COORDINATOR: _all(FEDERATION_MODELS + ORG_MODELS, READ)
    | _all(VOLUNTEER_MODELS, WRITE),
    Role.VIEWER: _all(
        FEDERATION_MODELS
        + ORG_MODELS
        + VOCABULARIES
        + PROJECT_MODELS
        + MENU_MODELS
        + VOLUNTEER_MODELS
        + REVIEWED_MODELS
        + REVIEW_EVIDENCE
        + FUND_MODELS,
        READ,
    ),
}
