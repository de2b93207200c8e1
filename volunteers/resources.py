"""Import of volunteers from Excel/CSV (django-import-export), all or nothing, with Chinese
headers; exports mask phone and ID numbers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.personal_data import mask_id, mask_phone, phone_hash
from core.spreadsheets import FormulaSafeResource, YesNoWidget
from core.validators import validate_mobile, validate_resident_id
from federation.models import Federation
from orgs.resources import ScopedForeignKeyWidget
from volunteers.models import Volunteer


class CheckedTextWidget(widgets.CharWidget):
    """Text that must pass a validator (phone, resident ID); empty is allowed."""

    def __init__(self, validator, **kwargs):
        self.validator = validator
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        if value:
            try:
                self.validator(value)
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
        return value


class SkillsWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return [
            skill.strip()
            for skill in str(value or "").replace("、", ",").split(",")
            if skill.strip()
        ]

    def render(self, value, obj=None, **kwargs):
        return "、".join(value or [])


class VolunteerResource(FormulaSafeResource):
    name = fields.Field("name", column_name="姓名")
    phone = fields.Field("phone", column_name="手机", widget=CheckedTextWidget(validate_mobile))
    id_number = fields.Field(
        "id_number", column_name="身份证号", widget=CheckedTextWidget(validate_resident_id)
    )
    federation = fields.Field("federation", column_name="所属妇联")
    skills = fields.Field("skills", column_name="技能", widget=SkillsWidget())
    former_beneficiary = fields.Field(
        "former_beneficiary", column_name="曾受助", widget=YesNoWidget()
    )
    registered_on = fields.Field(
        "registered_on", column_name="登记日期", widget=widgets.DateWidget("%Y-%m-%d")
    )

    class Meta:
        model = Volunteer
        fields = [
            "name",
            "phone",
            "id_number",
            "federation",
            "skills",
            "former_beneficiary",
            "registered_on",
        ]
        import_id_fields = []
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = False

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.fields["federation"].widget = ScopedForeignKeyWidget(
            Federation.objects.visible_to(user), field="name"
        )
        self.seen_phones: set[str] = set()

    def before_import_row(self, row, **kwargs):
        phone = str(row.get("手机") or "").strip()
        if phone and phone in self.seen_phones:
            raise ValueError(
                _("The phone number %(phone)s appears twice in the file.")
                % {"phone": mask_phone(phone)}
            )
        self.seen_phones.add(phone)

    def before_save_instance(self, instance, row, **kwargs):
        instance.phone_hash = phone_hash(instance.phone)

    def dehydrate_phone(self, volunteer):
        return mask_phone(volunteer.phone) if volunteer.phone else ""

    def dehydrate_id_number(self, volunteer):
        return mask_id(volunteer.id_number) if volunteer.id_number else ""

    def get_queryset(self):
        return Volunteer.objects.visible_to(self.user).select_related("federation")
