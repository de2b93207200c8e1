"""The dashboard's tables as an Excel workbook: the same numbers as the page and the API."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from dashboards.labels import RANKING_LABELS, flat_rows

BLOCKS = ["organizations", "projects", "menu", "cases", "volunteers"]
RANKING_COLUMNS = list(RANKING_LABELS)


def dashboard_workbook(figures, block_titles) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for block in BLOCKS:
        sheet = workbook.create_sheet(title=str(block_titles[block])[:31])
        sheet.append([_("figure"), _("value")])
        for label, value, _definition in flat_rows(block, figures[block]):
            sheet.append([label, value if value is not None else ""])
    ranking = workbook.create_sheet(title=_("Ranking"))
    ranking.append([str(RANKING_LABELS[column]) for column in RANKING_COLUMNS])
    for row in figures["children"]:
        ranking.append([row[column] for column in RANKING_COLUMNS])
    trend = workbook.create_sheet(title=_("Trend"))
    trend.append(
        [_("month"), *(str(RANKING_LABELS[k]) for k in ("cases", "orders_delivered", "hours"))]
    )
    for row in figures["trend"]:
        trend.append([row["month"], row["cases"], row["orders_delivered"], row["hours"]])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
