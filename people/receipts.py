"""The donor's acknowledgement (捐赠收据) as a PDF, with the Chinese font embedded as in the
volunteers' certificate."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

FONT = "cjk"


def receipt_pdf(donation) -> bytes:
    fund = donation.fund
    pdf = FPDF(format="A5", orientation="landscape")
    pdf.add_font(
        FONT, fname=settings.PDF_CJK_FONT, collection_font_number=settings.PDF_CJK_FONT_INDEX
    )
    pdf.add_page()
    pdf.set_font(FONT, size=18)
    pdf.cell(0, 14, _("Donation receipt"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    pdf.cell(0, 8, _("No. %(number)s") % {"number": donation.receipt_number}, align="R")
    pdf.ln(12)
    pdf.set_font(FONT, size=13)
    pdf.multi_cell(
        0,
        9,
        _(
            "Received with thanks from %(donor)s the sum of ¥%(amount)s on %(day)s for "
            "%(fund)s of %(federation)s%(restriction)s."
        )
        % {
            "donor": donation.donor,
            "amount": donation.amount,
            "day": donation.received_on.isoformat(),
            "fund": fund.name,
            "federation": fund.federation.name,
            "restriction": (
                _(", restricted to: %(use)s") % {"use": donation.restricted_to}
                if donation.restricted_to
                else ""
            ),
        },
    )
    pdf.ln(10)
    pdf.cell(
        0,
        10,
        _("%(federation)s, %(day)s")
        % {"federation": fund.federation.name, "day": timezone.localdate().isoformat()},
        align="R",
    )
    return bytes(pdf.output())
