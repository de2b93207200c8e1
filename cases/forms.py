"""Forms of the case desk. They gather input and limit choices to the user's area; the rules
live in cases.services, whose refusals the views put back on the form."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from cases.choices import (
    Category,
    Channel,
    ContactMethod,
    Department,
    EventKind,
    FollowUpKind,
    MediationStep,
    Outcome,
    Risk,
    Vulnerability,
)
from cases.models import case_paths
from core.forms import BootstrapFormMixin
from core.scoping import user_scope
from core.validators import validate_mobile, validate_resident_id
from federation.choices import Role
from federation.models import Federation, StaffMembership
from orgs.choices import OrgRole
from orgs.models import OrgMembership, SocialOrganization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
RECORDED_EVENTS = [
    (value, label)
    for value, label in EventKind.choices
    if value not in {EventKind.STATUS, EventKind.ESCALATION, EventKind.URGE}
]


def categories_field():
    return forms.MultipleChoiceField(
        label=_("categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )


def risk_field():
    return forms.ChoiceField(label=_("risk level"), choices=Risk.choices, widget=forms.RadioSelect)


class IntakeForm(BootstrapFormMixin, forms.Form):
    """A call, risk first: what the operator must know before anything else."""

    risk = risk_field()
    categories = categories_field()
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    federation = forms.ModelChoiceField(
        label=_("owning federation"), queryset=Federation.objects.none(), empty_label=None
    )
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50, required=False)
    # Every mistake shown at once, beside its field (the service checks them again).
    phone = forms.CharField(
        label=_("phone"), max_length=20, required=False, validators=[validate_mobile]
    )
    id_number = forms.CharField(
        label=_("resident ID number"),
        max_length=18,
        required=False,
        validators=[validate_resident_id],
    )
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    vulnerabilities = forms.MultipleChoiceField(
        label=_("vulnerabilities"),
        choices=Vulnerability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent_to_share = forms.BooleanField(
        label=_("consents to sharing with departments"), required=False
    )
    consent_to_statistics = forms.BooleanField(
        label=_("consents to anonymous statistics"), required=False, initial=True
    )
    do_not_tell = forms.CharField(
        label=_("who must not be told"),
        required=False,
        help_text=_("For domestic violence the abuser may be a relative."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The call is taken where she works: the federations she holds a case role at, and
        # those guiding the organizations whose hotline she answers.
        federations = Federation.objects.filter(
            Q(path__in=case_paths(user))
            | Q(guided_organizations__in=user_scope(user).case_organization_ids)
        ).distinct()
        self.fields["federation"].queryset = federations.order_by("path")


# Moves of a case ------------------------------------------------------------------------------


class CaseMoveForm(BootstrapFormMixin, forms.Form):
    def __init__(self, *args, case, user, **kwargs):
        self.case, self.user = case, user
        super().__init__(*args, **kwargs)


class EmptyForm(CaseMoveForm):
    """Moves that need only the button."""


class NoteForm(CaseMoveForm):
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class RequiredNoteForm(CaseMoveForm):
    note = forms.CharField(label=_("note"), max_length=500)


class ReasonForm(CaseMoveForm):
    reason = forms.CharField(label=_("reason"), max_length=500)


class TriageForm(CaseMoveForm):
    risk = risk_field()
    categories = categories_field()
    organization = forms.ModelChoiceField(
        label=_("handling organization"), queryset=SocialOrganization.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = SocialOrganization.objects.serving(
            self.case.federation
        ).order_by("name")
        self.initial.setdefault("risk", self.case.risk)
        self.initial.setdefault("categories", self.case.categories)
        self.initial.setdefault("organization", self.case.organization_id)


class AssignForm(CaseMoveForm):
    worker = forms.ModelChoiceField(label=_("assigned worker"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case.organization_id:
            memberships = OrgMembership.objects.effective().filter(
                organization_id=self.case.organization_id, role=OrgRole.CASE_WORKER
            )
        else:
            memberships = StaffMembership.objects.effective().filter(
                federation=self.case.federation,
                role__in=[Role.CASE_WORKER, Role.CASE_SUPERVISOR],
            )
        workers = User.objects.filter(pk__in=memberships.values("user_id"))
        self.fields["worker"].queryset = workers.order_by("username")


class EscalateForm(CaseMoveForm):
    to_federation = forms.ModelChoiceField(
        label=_("to a federation below"), queryset=Federation.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_federation"].queryset = self.case.federation.descendants().order_by("path")


class ResolveForm(CaseMoveForm):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class EventForm(CaseMoveForm):
    kind = forms.ChoiceField(label=_("kind"), choices=RECORDED_EVENTS)
    at = forms.DateTimeField(label=_("when"), widget=DATETIME)
    step = forms.ChoiceField(
        label=_("mediation step"), choices=[("", "—"), *MediationStep.choices], required=False
    )
    result = forms.CharField(label=_("result"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))


class ReferralForm(CaseMoveForm):
    department = forms.ChoiceField(
        label=_("department"), choices=[("", "—"), *Department.choices], required=False
    )
    organization = forms.ModelChoiceField(
        label=_("organization"), queryset=SocialOrganization.objects.none(), required=False
    )
    respond_by = forms.DateTimeField(label=_("respond by"), widget=DATETIME)
    note = forms.CharField(label=_("note"), max_length=500, required=False)
    override_reason = forms.CharField(
        label=_("why without consent"),
        max_length=500,
        required=False,
        help_text=_("Only when she has not consented to sharing (supervisors)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = SocialOrganization.objects.serving(
            self.case.federation
        ).order_by("name")


class FollowUpForm(CaseMoveForm):
    due_on = forms.DateField(label=_("due on"), widget=DATE)
    kind = forms.ChoiceField(label=_("kind"), choices=FollowUpKind.choices)
    method = forms.ChoiceField(label=_("method"), choices=ContactMethod.choices)


class FollowUpDoneForm(CaseMoveForm):
    result = forms.CharField(label=_("result"), widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.ChoiceField(label=_("method"), choices=ContactMethod.choices)


class ReferralAnswerForm(CaseMoveForm):
    answer = forms.CharField(label=_("answer"), max_length=500, required=False)


class BreakGlassForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why must you open this case?"),
        max_length=500,
        help_text=_(
            "Your name, the time and this reason are logged and shown to the owning federation."
        ),
    )
