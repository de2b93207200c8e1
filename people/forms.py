from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import BootstrapFormMixin
from core.personal_data import normalized_phone
from core.validators import validate_mobile
from federation.choices import Level
from federation.models import Federation, StaffMembership, path_and_ancestors
from orgs.models import TargetGroup
from people.choices import ConsentUse, GrowthKind, PersonKind, SponsorKind, Vulnerability
from people.models import PERSON_ROLES, Fund, Person, Sponsor


def officer_villages(user):
    return Federation.objects.under_user_holding(user, PERSON_ROLES).filter(level=Level.VILLAGE)


class PhoneField(forms.CharField):
    def clean(self, value):
        value = normalized_phone(super().clean(value))
        if value:
            validate_mobile(value)
        return value


class SearchForm(BootstrapFormMixin, forms.Form):
    """Search before create: her phone or ID number."""

    phone = PhoneField(label=_("her mobile number"), max_length=20, required=False)
    id_number = forms.CharField(label=_("resident ID number"), max_length=18, required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("phone") or data.get("id_number")):
            raise forms.ValidationError(_("Give her mobile number or her ID number."))
        return data


class PersonForm(BootstrapFormMixin, forms.Form):
    federation = forms.ModelChoiceField(
        label=_("village or community"), queryset=Federation.objects.none()
    )
    kind = forms.ChoiceField(label=_("woman or child"), choices=PersonKind.choices)
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    phone = PhoneField(label=_("her mobile number"), max_length=20, required=False)
    id_number = forms.CharField(label=_("resident ID number"), max_length=18, required=False)
    birth_year = forms.IntegerField(label=_("year of birth"), min_value=1900, required=False)
    guardian = forms.CharField(label=_("guardian (for a child)"), max_length=100, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    household = forms.CharField(
        label=_("household"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("groups she belongs to"),
        queryset=TargetGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consents = forms.MultipleChoiceField(
        label=_("she (or her guardian) agrees to"),
        choices=ConsentUse.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        villages = officer_villages(user)
        self.fields["federation"].queryset = villages
        if villages.count() == 1:
            self.fields["federation"].initial = villages.first()

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        return year


class FlagForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("vulnerability"), choices=Vulnerability.choices)
    review_on = forms.DateField(
        label=_("review by"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ConsentForm(BootstrapFormMixin, forms.Form):
    use = forms.ChoiceField(label=_("use"), choices=ConsentUse.choices)


class GrowthForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=GrowthKind.choices)
    on = forms.DateField(
        label=_("date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    result = forms.CharField(
        label=_("result"),
        max_length=50,
        required=False,
        help_text=_("For school results: a short grade the sponsor may see (良好, 优秀)."),
    )
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    # Checked by the service (the upload policy): a refusal is shown on the form.
    photo = forms.FileField(label=_("photo"), required=False)


class PairingForm(BootstrapFormMixin, forms.Form):
    sponsor = forms.ModelChoiceField(
        label=_("sponsor"),
        queryset=Sponsor.objects.none(),
        required=False,
        help_text=_("Or add a new sponsor below."),
    )
    new_sponsor_kind = forms.ChoiceField(
        label=_("new sponsor: kind"), choices=SponsorKind.choices, required=False
    )
    new_sponsor_name = forms.CharField(label=_("new sponsor: name"), max_length=100, required=False)
    new_sponsor_phone = PhoneField(
        label=_("new sponsor: mobile number"), max_length=20, required=False
    )
    fund = forms.ModelChoiceField(label=_("paid from fund"), queryset=Fund.objects.none())
    monthly_amount = forms.DecimalField(
        label=_("monthly stipend (CNY)"), min_value=1, max_digits=10, decimal_places=2
    )
    months = forms.IntegerField(label=_("for months"), min_value=1, max_value=240)
    starts_on = forms.DateField(
        label=_("starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    village_contact = forms.ModelChoiceField(
        label=_("contact at the village"), queryset=StaffMembership.objects.none()
    )
    visit_every_days = forms.IntegerField(
        label=_("visit at least every (days)"), min_value=7, max_value=366, initial=90
    )

    def __init__(self, *args, user, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = Sponsor.objects.visible_to(user)
        self.fields["fund"].queryset = Fund.objects.visible_to(user).filter(
            federation__path__in=path_and_ancestors(person.federation.path)
        )
        contacts = StaffMembership.objects.effective().filter(
            federation=person.federation, role__in=PERSON_ROLES
        )
        self.fields["village_contact"].queryset = contacts.select_related("user")
        self.fields["village_contact"].label_from_instance = lambda m: (
            m.user.name or m.user.username
        )

    def clean(self):
        data = super().clean()
        if not data.get("sponsor") and not data.get("new_sponsor_name"):
            raise forms.ValidationError(_("Choose a sponsor or give a new sponsor's name."))
        return data


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


class DonationForm(BootstrapFormMixin, forms.Form):
    donor = forms.CharField(label=_("donor"), max_length=100)
    amount = forms.DecimalField(
        label=_("amount (CNY)"), min_value=0.01, max_digits=14, decimal_places=2
    )
    received_on = forms.DateField(
        label=_("received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    restricted_to = forms.CharField(
        label=_("restricted to"),
        max_length=200,
        required=False,
        help_text=_("Empty: for any use of the fund."),
    )


class PeriodForm(BootstrapFormMixin, forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("date window", "from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=pgettext_lazy("date window", "until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end comes before the start."))
        return data


class CardForm(BootstrapFormMixin, forms.Form):
    card_code = forms.CharField(label=_("service card code (scan or type)"), max_length=16)


class AttendanceSheetForm(BootstrapFormMixin, forms.Form):
    sheet = forms.FileField(
        label=_("Excel sheet"),
        help_text=_("Columns: name, mobile number, ID number; the first row is the heading."),
    )


class PolicyForm(BootstrapFormMixin, forms.Form):
    """女性安康保险 for the women listed in a sheet."""

    name = forms.CharField(label=_("policy name"), max_length=100)
    insurer = forms.CharField(label=_("insurer"), max_length=100)
    starts_on = forms.DateField(
        label=_("cover from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("cover until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    premium_per_head = forms.DecimalField(
        label=_("premium per woman (CNY)"), min_value=0.01, max_digits=10, decimal_places=2
    )
    village = forms.ModelChoiceField(
        label=_("village or community of the women not yet registered"),
        queryset=Federation.objects.none(),
    )
    sheet = forms.FileField(
        label=_("Excel sheet"),
        help_text=_("Columns: name, mobile number, ID number; the first row is the heading."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = officer_villages(user)


class ClaimForm(BootstrapFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("woman insured"), queryset=Person.objects.none())
    claimed_on = forms.DateField(
        label=_("claimed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    amount = forms.DecimalField(
        label=_("amount paid by the insurer (CNY)"), min_value=0.01, max_digits=14, decimal_places=2
    )
    reason = forms.CharField(label=_("reason"), max_length=200, required=False)

    def __init__(self, *args, user, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).filter(policies=policy)
        self.fields["person"].label_from_instance = lambda person: (
            f"{person.masked_name} {person.masked_phone}"
        )
