"""The dashboard page of a federation and its Excel export: the numbers of dashboards.selectors."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.tasks import enqueue_on_commit
from core.uploads import XLSX, serve_stored_file
from core.views import only_for, works_for_a_federation, xlsx_response
from dashboards import rollups
from dashboards.choices import ExportStatus
from dashboards.exports import BLOCKS, dashboard_workbook, heading, workbook_name
from dashboards.forms import PeriodForm
from dashboards.labels import (
    BLOCK_TITLES,
    BREAKDOWNS,
    FIGURES,
    HEADLINES,
    RANKING_LABELS,
    flat_rows,
)
from dashboards.models import DashboardExport
from dashboards.selectors import dashboard
from dashboards.tasks import run_dashboard_export
from federation.models import Federation
from volunteers.services import hours_by_federation, hours_by_team, hours_by_volunteer


def preset_period(preset, today) -> tuple[date, date]:
    if preset == "month":
        return today.replace(day=1), today
    if preset == "quarter":
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
    return today.replace(month=1, day=1), today


def period_of(request) -> tuple[PeriodForm, date, date]:
    """This year unless a preset (month, quarter, year) or valid custom dates are asked for."""
    today = timezone.localdate()
    start, end = preset_period(request.GET.get("period", "year"), today)
    form = PeriodForm(
        request.GET if "start" in request.GET else None, initial={"start": start, "end": end}
    )
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


def federation_for(request, pk) -> Federation:
    return get_object_or_404(Federation.objects.visible_to(request.user), pk=pk)


@login_required
def dashboard_home(request):
    """The dashboard of the highest node the user works at."""
    node = Federation.objects.highest_of(request.user)
    if node is None:
        raise Http404
    return redirect("dashboard-page", pk=node.pk)


def chart_data(figures) -> dict:
    """What the charts draw: labels and values, already translated."""

    def breakdown(block, key):
        _title, choices = BREAKDOWNS[(block, key)]
        parts = figures[block][key]
        return {
            "labels": [str(choices(part).label) for part in parts],
            "values": list(parts.values()),
        }

    return {
        "cases_by_category": breakdown("cases", "by_category"),
        "orders_by_status": breakdown("menu", "orders_by_status"),
        "projects_by_status": breakdown("projects", "by_status"),
        "trend": {
            "months": [row["month"] for row in figures["trend"]],
            "series": [
                {
                    "name": str(RANKING_LABELS[key]),
                    "values": [float(row[key]) for row in figures["trend"]],
                }
                for key in ("cases", "orders_delivered", "hours")
            ],
        },
    }


def headline_cards(figures) -> list[tuple[str, object, str]]:
    """(label, value, definition) of the figures the page opens on."""
    return [(label, figures[block][key], FIGURES[key][1]) for block, key, label in HEADLINES]


def figure_blocks(figures) -> list[dict]:
    """Each block's rows, those that are zero for the whole period set apart (shown on demand)."""
    blocks = []
    for block in BLOCKS:
        rows = flat_rows(block, figures[block])
        blocks.append(
            {
                "key": block,
                "title": BLOCK_TITLES[block],
                "rows": [row for row in rows if row[1] != 0],
                "zero_rows": [row for row in rows if row[1] == 0],
            }
        )
    return blocks


def map_of(federation, children) -> dict | None:
    """The boundaries of the places below, when the vendored maps have them (province and city
    level), and the ranking's figures keyed by each place's six-digit division code."""
    code = federation.division_code[:6]
    path = f"vendor/china-maps/{code}.json"
    if not code or not finders.find(path):
        return None
    measures = [key for key in RANKING_LABELS if key != "name"]
    return {
        "url": static(path),
        "measures": [{"key": key, "label": str(RANKING_LABELS[key])} for key in measures],
        "places": [
            {
                "code": row["division_code"][:6],
                "name": row["name"],
                "url": reverse("dashboard-page", args=[row["id"]]),
                **{key: float(row[key]) for key in measures},
            }
            for row in children
        ],
    }


@login_required
def dashboard_page(request, pk):
    federation = federation_for(request, pk)
    form, start, end = period_of(request)
    figures = dashboard(federation, start, end)
    above = federation.ancestors().filter(pk__in=Federation.objects.visible_to(request.user))
    context = {
        "federation": federation,
        "above": above,
        "form": form,
        "start": start,
        "end": end,
        "headlines": headline_cards(figures),
        "blocks": figure_blocks(figures),
        "map": map_of(federation, figures["children"]),
        "ranking_columns": [(key, RANKING_LABELS[key]) for key in RANKING_LABELS],
        "children": figures["children"],
        "charts": chart_data(figures),
        "query": request.GET.urlencode(),
    }
    return render(request, "dashboards/page.html", context)


@login_required
def dashboard_export(request, pk):
    federation = federation_for(request, pk)
    _form, start, end = period_of(request)
    return xlsx_response(
        dashboard_workbook(
            dashboard(federation, start, end), BLOCK_TITLES, heading(federation, start, end)
        ),
        workbook_name(federation, start, end),
    )


# Large exports, made by Celery -------------------------------------------------------------


@require_POST
@login_required
def export_start(request, pk):
    """Every level below the node, in the background; the next page follows its progress."""
    federation = federation_for(request, pk)
    _form, start, end = period_of(request)
    export = DashboardExport.objects.create(
        user=request.user, federation=federation, start=start, end=end
    )
    enqueue_on_commit(run_dashboard_export, export.pk)
    return redirect("dashboard-export-status", pk=export.pk)


def own_export(request, pk) -> DashboardExport:
    return get_object_or_404(
        DashboardExport.objects.of_user(request.user).select_related("federation"), pk=pk
    )


@login_required
def export_status(request, pk):
    export = own_export(request, pk)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"status": export.status, "progress": export.progress})
    return render(request, "dashboards/export.html", {"export": export})


@login_required
def export_download(request, pk):
    export = own_export(request, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    return serve_stored_file(
        export.file,
        content_type=XLSX.content_type,
        filename=workbook_name(export.federation, export.start, export.end, below=True),
    )


@only_for(works_for_a_federation)
def volunteer_hours(request):
    """Confirmed hours by the node's children (any period), and the year's volunteers and the
    period's teams, each ranked."""
    node = Federation.objects.highest_of(request.user)
    if node is None:
        raise Http404
    form, start, end = period_of(request)
    children = list(node.children.order_by("name"))
    context = {
        "form": form,
        "node": node,
        "year": end.year,
        "by_volunteer": rollups.top_volunteers(node, end.year)
        if rollups.is_rolled_up(node)
        else hours_by_volunteer(node, date(end.year, 1, 1), date(end.year, 12, 31))[:50],
        "by_team": hours_by_team(node, start, end)[:50],
        "by_federation": rollups.hours_of_children(children, start, end)
        if all(rollups.is_rolled_up(child) for child in children)
        else hours_by_federation(node, start, end),
    }
    return render(request, "volunteers/hours.html", context)
