from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.phone import checked_number
from cases.choices import Category, ContactTime, ContactWay
from core.forms import BootstrapFormMixin
from core.validators import validate_resident_id
from federation.models import path_and_ancestors
from menu.forms import RATINGS
from menu.models import Need
from orgs.models import ServiceDomain, TargetGroup
from public.challenge import ChallengeMixin
from volunteers.choices import Availability, TeamStatus
from volunteers.models import VolunteerTeam


class PhoneForm(BootstrapFormMixin, forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self):
        return checked_number(self.cleaned_data["phone"])


class CodeForm(BootstrapFormMixin, forms.Form):
    code = forms.RegexField(
        label=_("The six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits of the text message.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PlaceSearchForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Name of your village, community or street"), max_length=40)


class NeedForm(ChallengeMixin, BootstrapFormMixin, forms.ModelForm):
    """What she needs, in plain words; her place is chosen before (public-places)."""

    sms_notices = forms.BooleanField(
        label=_("Tell me by text message how it goes"), required=False, initial=True
    )

    class Meta:
        model = Need
        fields = ["title", "description", "domain", "target_group", "people_count", "photo"]
        labels = {
            "title": _("What is needed, in a few words"),
            "description": _("Tell us more (optional)"),
            "domain": _("Kind of help"),
            "target_group": _("Who it is for"),
            "people_count": _("How many people"),
            "photo": _("A photo (optional)"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = ServiceDomain.objects.order_by("pk")
        self.fields["target_group"].queryset = TargetGroup.objects.order_by("pk")


class RateForm(BootstrapFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=RATINGS,
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Anything to add (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


YES_NO = [(True, _("Yes")), (False, _("No"))]


def yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
    )


class HelpForm(ChallengeMixin, BootstrapFormMixin, forms.Form):
    """求助: the risk questions first, then what it is about, then how to reach her safely."""

    in_danger_now = yes_no(_("Are you in danger right now?"))
    hurt_or_threatened = yes_no(_("Has someone hit you, or threatened to hurt or kill you?"))
    children_at_risk = yes_no(_("Are children at home hurt or threatened?"))
    categories = forms.MultipleChoiceField(
        label=_("What do you need help with?"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    words = forms.CharField(
        label=_("Tell us a little about it (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
    )
    contact_way = forms.ChoiceField(
        label=_("How may we contact you safely?"),
        choices=ContactWay.choices,
        widget=forms.RadioSelect,
    )
    contact_time = forms.ChoiceField(
        label=_("When is it safe?"), choices=ContactTime.choices, widget=forms.RadioSelect
    )
    phone = forms.CharField(
        label=_("A number that is safe to use (needed for a call or a text message)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("What may we call you? (optional, not your real name if you prefer)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the women's federation and the organization it entrusts use what I "
            "write here, which is sensitive personal information, only to help me, and keep it "
            "no longer than the case needs."
        )
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return checked_number(phone) if phone.strip() else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("contact_way") in (ContactWay.CALL, ContactWay.SMS) and not cleaned.get(
            "phone"
        ):
            self.add_error(
                "phone",
                _("Give a number for us to call or text, or choose that we do not contact you."),
            )
        return cleaned


class VolunteerForm(BootstrapFormMixin, forms.Form):
    """志愿者注册: real name and ID number (checked), what she can do, when, and a team."""

    name = forms.CharField(label=_("Your real name"), max_length=50)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("The 18 digits of your resident ID card; stored encrypted."),
    )
    skills = forms.CharField(
        label=_("What you can do (separate with commas, optional)"), required=False, max_length=200
    )
    availability = forms.ChoiceField(
        label=_("When you are free"), choices=Availability.choices, widget=forms.RadioSelect
    )
    team = forms.ModelChoiceField(
        label=_("A team to join (optional)"), queryset=VolunteerTeam.objects.none(), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the women's federation uses my name, ID number and phone number, my "
            "ID number being sensitive personal information, to register and insure me as a "
            "volunteer and to certify my hours; they are kept while I am a volunteer and "
            "deleted on request when I leave."
        )
    )

    def __init__(self, *args, place, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = VolunteerTeam.objects.filter(
            federation__path__in=path_and_ancestors(place.path), status=TeamStatus.ACTIVE
        ).select_related("federation")

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        validate_resident_id(value)
        return value

    def clean_skills(self):
        text = self.cleaned_data["skills"].replace("，", ",").replace("、", ",")
        return [skill.strip()[:30] for skill in text.split(",") if skill.strip()][:10]
