from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.personal_data import normalized_phone
from core.validators import validate_mobile
from federation.choices import Level
from federation.models import Federation


class AttendForm(BootstrapFormMixin, forms.Form):
    hours = forms.DecimalField(label=_("hours"), min_value=0, max_digits=6, decimal_places=1)


class StandardTeamsForm(BootstrapFormMixin, forms.Form):
    federation = forms.ModelChoiceField(
        label=_("village or community federation"), queryset=Federation.objects.none()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["federation"].queryset = (
            Federation.objects.visible_to(user).filter(level=Level.VILLAGE).order_by("path")
        )


class WalkInForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("her name"), max_length=50)
    phone = forms.CharField(label=_("her mobile number"), max_length=20)

    def clean_phone(self):
        phone = normalized_phone(self.cleaned_data["phone"])
        validate_mobile(phone)
        return phone


class RejectVolunteerForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason (she is told)"), max_length=200)
