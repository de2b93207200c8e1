"""The volunteer's hours certificate (志愿服务时长证明) as a PDF, with the Chinese font embedded
(fpdf2 subsets settings.PDF_CJK_FONT into the file) and a QR code of its check page."""

import io

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from volunteers.services import certificate_code, volunteer_hours

FONT = "cjk"
MAX_ROWS = 20  # the newest services listed; the total counts them all


def certificate_pdf(volunteer, check_url) -> bytes:
    """`check_url(code)`: the absolute address of the public check page for a code."""
    hours = volunteer_hours(volunteer)
    issued = timezone.localdate()
    pdf = FPDF(format="A4")
    pdf.add_font(
        FONT, fname=settings.PDF_CJK_FONT, collection_font_number=settings.PDF_CJK_FONT_INDEX
    )
    pdf.add_page()
    pdf.set_font(FONT, size=22)
    pdf.cell(
        0, 16, _("Certificate of volunteer service hours"), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, size=13)
    pdf.ln(6)
    pdf.multi_cell(
        0,
        9,
        _(
            "%(name)s, a volunteer of %(federation)s since %(since)s, has served %(hours)s "
            "confirmed hours of volunteer service up to %(issued)s."
        )
        % {
            "name": volunteer.name,
            "federation": volunteer.federation.name,
            "since": volunteer.registered_on.isoformat(),
            "hours": hours,
            "issued": issued.isoformat(),
        },
    )
    pdf.ln(4)
    services = (
        volunteer.signups.credited()
        .select_related("opportunity")
        .order_by("-opportunity__starts_at")[:MAX_ROWS]
    )
    pdf.set_font(FONT, size=11)
    for signup in services:
        pdf.cell(
            0,
            7,
            f"{timezone.localdate(signup.opportunity.starts_at):%Y-%m-%d}  "
            f"{signup.opportunity.title}  {signup.hours} {_('hours')}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    code_url = check_url(certificate_code(volunteer, hours, issued))
    picture = io.BytesIO()
    segno.make(code_url, error="m").save(picture, kind="png", scale=4)
    pdf.ln(6)
    pdf.image(picture, w=40)
    pdf.set_font(FONT, size=10)
    pdf.multi_cell(0, 6, _("Scan to check this certificate: %(url)s") % {"url": code_url})
    pdf.set_font(FONT, size=13)
    pdf.cell(
        0, 10, _("Issued by %(federation)s") % {"federation": volunteer.federation.name}, align="R"
    )
    return bytes(pdf.output())
