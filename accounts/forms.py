from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.two_factor import verify_code
from core.forms import BootstrapFormMixin


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    pass


class TwoFactorForm(BootstrapFormMixin, forms.Form):
    """The second step: a code from the authenticator app, or a one-time backup code."""

    code = forms.CharField(
        label=_("Code from your authenticator app (or a backup code)"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_code(self):
        self.device = verify_code(self.user, self.cleaned_data["code"])
        if self.device is None:
            raise forms.ValidationError(
                _("This code is not right, or has expired. Try the newest one.")
            )
        return self.cleaned_data["code"]


class TwoFactorSetupForm(TwoFactorForm):
    """Enrolment: the first code from the newly scanned authenticator confirms it."""

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_device = device

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not self.new_device.verify_token(code):
            raise forms.ValidationError(
                _("This code is not right, or has expired. Try the newest one.")
            )
        self.device = self.new_device
        return code
