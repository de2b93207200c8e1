from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from projects.models import Application, ProjectReport


class ApplicationForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["organization", "proposal", "requested_amount", "proposal_document"]
        widgets = {"proposal": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "proposal_document": _("The filled-in application form, as PDF or Word (.docx)."),
        }

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal_document"].required = True  # a call is applied to with its 申报书
        self.fields["organization"].queryset = organizations
        self.fields["organization"].empty_label = None


def value_field(indicator, current):
    """A count is a whole number (5, not 5.00); amounts and percentages keep two decimals."""
    label = f"{indicator.name}（{indicator.unit}）"
    if indicator.kind == "count":
        return forms.IntegerField(
            label=label,
            required=False,
            min_value=0,
            initial=int(current.value) if current else None,
        )
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        initial=current.value if current else None,
    )


class ReportForm(BootstrapFormMixin, forms.ModelForm):
    """The report's figures, one field per indicator, and an optional attachment."""

    attachment = forms.FileField(
        label=_("Add an attachment (photos, sign-in sheets)"),
        required=False,
        help_text=_("PDF, JPG, PNG, Word or Excel; at most 20 MB."),
    )

    class Meta:
        model = ProjectReport
        fields = [
            "narrative",
            "activities_held",
            "women_served",
            "children_served",
            "families_served",
            "spending",
        ]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, indicators, **kwargs):
        self.indicators = list(indicators)
        super().__init__(*args, **kwargs)
        saved = {value.indicator_id: value for value in self.instance.values.all()}
        for indicator in self.indicators:
            current = saved.get(indicator.pk)
            self.fields[f"indicator_{indicator.pk}"] = value_field(indicator, current)
            if indicator.kind == "percentage":
                self.fields[f"indicator_{indicator.pk}_denominator"] = forms.DecimalField(
                    label=_("%(name)s: denominator") % {"name": indicator.name},
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    initial=current.denominator if current else None,
                )
        self.style_widgets()

    def report_bound_fields(self):
        return [self[name] for name in [*self.Meta.fields, "attachment"]]

    def indicator_bound_fields(self):
        return [self[name] for name in self.fields if name.startswith("indicator_")]

    def indicator_values(self) -> dict:
        return {
            indicator: (
                self.cleaned_data.get(f"indicator_{indicator.pk}"),
                self.cleaned_data.get(f"indicator_{indicator.pk}_denominator"),
            )
            for indicator in self.indicators
        }

    def report_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
