"""Exports of case data: masked, and safe to open in a spreadsheet."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from cases.choices import Category
from core.personal_data import mask_name, mask_phone
from core.spreadsheets import neutralised, neutralised_row

__all__ = ["case_row", "masked_workbook", "neutralised"]


def case_row(case) -> list:
    seeker = next((party for party in case.parties.all() if party.role == "help_seeker"), None)
    return [
        case.number,
        timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
        case.federation.name,
        case.organization.name if case.organization else "",
        case.get_channel_display(),
        "、".join(str(Category(value).label) for value in case.categories),
        case.get_risk_display(),
        case.get_status_display(),
        case.get_outcome_display(),
        mask_name(seeker.name) if seeker else "",
        mask_phone(seeker.phone) if seeker and seeker.phone else "",
    ]


def masked_workbook(cases) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("cases")
    sheet.append(
        [
            _("case number"),
            _("received at"),
            _("owning federation"),
            _("handling organization"),
            _("channel"),
            _("categories"),
            _("risk level"),
            _("status"),
            _("outcome"),
            _("help-seeker"),
            _("phone"),
        ]
    )
    for case in cases:
        sheet.append(neutralised_row(case_row(case)))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
