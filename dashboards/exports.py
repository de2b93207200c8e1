"""The dashboard's tables as an Excel workbook: the same numbers as the page and the API.

Names come from users (a federation may be called `=HYPERLINK(…)`): every row is neutralised."""

from io import BytesIO

from django.db.models import Max
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import neutralised_row
from dashboards.labels import BLOCK_TITLES, RANKING_LABELS, flat_rows
from dashboards.selectors import children_ranking, dashboard
from federation.models import Federation

BLOCKS = ["organizations", "projects", "menu", "cases", "volunteers", "people"]
RANKING_COLUMNS = list(RANKING_LABELS)


def heading(federation, start, end) -> str:
    """The first row of every sheet: whose figures, and for when."""
    return _("%(federation)s, %(start)s to %(end)s") % {
        "federation": federation.name,
        "start": start,
        "end": end,
    }


def workbook_name(federation, start, end, *, below=False) -> str:
    """The file's name says whose figures and for when (in Chinese): the large export, with
    the levels below, is named apart from the page's."""
    template = (
        _("%(federation)s and below, dashboard %(start)s to %(end)s.xlsx")
        if below
        else _("%(federation)s dashboard %(start)s to %(end)s.xlsx")
    )
    return template % {"federation": federation.name, "start": start, "end": end}


def titled_sheet(workbook, title, first_row):
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.append([first_row])
    sheet.append([])
    return sheet


def dashboard_workbook(figures, block_titles, first_row) -> bytes:
    workbook = fill_workbook(figures, block_titles, first_row)
    return saved(workbook)


def saved(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill_workbook(figures, block_titles, first_row) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for block in BLOCKS:
        sheet = titled_sheet(workbook, block_titles[block], first_row)
        sheet.append([_("figure"), _("value")])
        for label, value, _definition in flat_rows(block, figures[block]):
            sheet.append(neutralised_row([label, value if value is not None else ""]))
    ranking = titled_sheet(workbook, _("Ranking"), first_row)
    ranking.append([str(RANKING_LABELS[column]) for column in RANKING_COLUMNS])
    for row in figures["children"]:
        ranking.append(neutralised_row(row[column] for column in RANKING_COLUMNS))
    trend = titled_sheet(workbook, _("Trend"), first_row)
    trend.append(
        [_("month"), *(str(RANKING_LABELS[k]) for k in ("cases", "orders_delivered", "hours"))]
    )
    for row in figures["trend"]:
        trend.append(
            neutralised_row([row["month"], row["cases"], row["orders_delivered"], row["hours"]])
        )
    return workbook


def large_workbook(federation, start, end, advance) -> bytes:
    """The node's dashboard, then one sheet per level below it with every node of that level
    side by side; `advance(percent)` is told how far it has come."""
    deepest = Federation.objects.within(federation).aggregate(depth=Max("depth"))["depth"]
    levels = deepest - federation.depth
    first_row = heading(federation, start, end)
    workbook = fill_workbook(dashboard(federation, start, end), BLOCK_TITLES, first_row)
    advance(100 // (levels + 1))
    for level in range(1, levels + 1):
        title = _("Level %(level)s below") % {"level": level}
        sheet = titled_sheet(workbook, title, first_row)
        sheet.append([str(RANKING_LABELS[column]) for column in RANKING_COLUMNS])
        for row in children_ranking(federation, start, end, levels_down=level):
            sheet.append(neutralised_row(row[column] for column in RANKING_COLUMNS))
        advance(100 * (level + 1) // (levels + 1))
    return saved(workbook)
