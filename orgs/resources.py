"""Import and export of social organizations (django-import-export).

Columns carry Chinese headers and Chinese choice labels, so a federation's staff can
fill the spreadsheet by hand. Federations are looked up by name among those the
importing user may see; a file with any bad row imports nothing.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, widgets

from core.spreadsheets import FormulaSafeResource
from federation.choices import Kind
from federation.models import Federation
from orgs.choices import LegalForm, OrgStatus, Relationship
from orgs.models import ServiceDomain, SocialOrganization

NOT_AVAILABLE_HERE = gettext_lazy(
    "This name or unified social credit code cannot be used for an organization of your area."
)


class ChoiceLabelWidget(widgets.Widget):
    """Reads a choice by its label (as exported) or its stored value; writes the label."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        for stored, label in self.choices.choices:
            if value in (stored, str(label)):
                return stored
        allowed = "、".join(str(label) for _stored, label in self.choices.choices)
        raise ValueError(
            _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key looked up by name among the rows the importing user may see."""

    def __init__(self, queryset, field):
        self.queryset = queryset
        super().__init__(queryset.model, field=field)

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("No federation named “%(name)s” in your area.") % {"name": value}
            ) from None


class NamesWidget(widgets.ManyToManyWidget):
    """Rows of `queryset` by their names, separated by 、 or commas; `unknown`: the refusal of
    a name it does not hold (with %(names)s)."""

    def __init__(self, queryset, unknown):
        super().__init__(queryset.model, field="name")
        self.queryset, self.unknown = queryset, unknown

    def clean(self, value, row=None, **kwargs):
        names = [n.strip() for n in str(value or "").replace("、", ",").split(",") if n.strip()]
        found = list(self.queryset.filter(name__in=names))
        unknown = set(names) - {row.name for row in found}
        if unknown:
            raise ValueError(self.unknown % {"names": "、".join(sorted(unknown))})
        return found

    def render(self, value, obj=None, **kwargs):
        return "、".join(row.name for row in value.all()) if value is not None else ""


class SocialOrganizationResource(FormulaSafeResource):
    name = fields.Field("name", column_name="名称")
    credit_code = fields.Field("credit_code", column_name="统一社会信用代码")
    legal_form = fields.Field(
        "legal_form", column_name="组织形式", widget=ChoiceLabelWidget(LegalForm)
    )
    registered_on = fields.Field(
        "registered_on", column_name="登记日期", widget=widgets.DateWidget("%Y-%m-%d")
    )
    registration_authority = fields.Field("registration_authority", column_name="登记机关")
    guiding_federation = fields.Field("guiding_federation", column_name="指导妇联")
    relationship = fields.Field(
        "relationship", column_name="关系", widget=ChoiceLabelWidget(Relationship)
    )
    service_domains = fields.Field(
        "service_domains",
        column_name="服务领域",
        widget=NamesWidget(
            ServiceDomain.objects.all(), gettext_lazy("Unknown service domain: %(names)s.")
        ),
    )
    # 福建's coverage (974 federation organizations covering 1,517 organizations): the new-field
    # federations that cover it, by name, among those of her area.
    covering_federations = fields.Field("covering_federations", column_name="覆盖妇联")
    staff_count = fields.Field(
        "staff_count", column_name="从业人员", widget=widgets.IntegerWidget()
    )
    member_count = fields.Field(
        "member_count", column_name="会员数", widget=widgets.IntegerWidget()
    )
    female_practitioner_count = fields.Field(
        "female_practitioner_count", column_name="女性从业人员", widget=widgets.IntegerWidget()
    )
    honours = fields.Field("honours", column_name="荣誉")
    status = fields.Field("status", column_name="状态", widget=ChoiceLabelWidget(OrgStatus))

    class Meta:
        model = SocialOrganization
        import_id_fields = ["name"]
        fields = [
            "name",
            "credit_code",
            "legal_form",
            "registered_on",
            "registration_authority",
            "guiding_federation",
            "relationship",
            "service_domains",
            "staff_count",
            "member_count",
            "female_practitioner_count",
            "honours",
            "status",
            "covering_federations",
        ]
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = False

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.fields["guiding_federation"].widget = ScopedForeignKeyWidget(
            Federation.objects.visible_to(user), field="name"
        )
        self.fields["covering_federations"].widget = NamesWidget(
            Federation.objects.visible_to(user).filter(kind=Kind.NEW_FIELD),
            gettext_lazy("No new-field federation named %(names)s in your area."),
        )
        self.seen_names: set[str] = set()

    def before_import_row(self, row, **kwargs):
        # An empty credit code is stored as NULL so that unregistered organizations don't collide.
        if not (row.get("统一社会信用代码") or "").strip():
            row["统一社会信用代码"] = None
        name = (row.get("名称") or "").strip()
        if name in self.seen_names:
            raise ValueError(_("“%(name)s” appears twice in the file.") % {"name": name})
        self.seen_names.add(name)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Names and credit codes are unique across the country, but the rows are looked up in
        # the user's area only: "already exists" would confirm an organization she cannot see.
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(
                {
                    field: [
                        ValidationError(NOT_AVAILABLE_HERE) if message.code == "unique" else message
                        for message in messages
                    ]
                    for field, messages in error.error_dict.items()
                }
            ) from None

    def get_queryset(self):
        return SocialOrganization.objects.visible_to(self.user).prefetch_related("service_domains")
