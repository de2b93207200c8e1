"""The organization portal: calls, projects, the reporting schedule and report forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ServiceError
from core.uploads import serve_stored_file
from core.views import only_for, service_on_form, works_for_an_organization
from orgs.models import SocialOrganization
from projects import services
from projects.forms import ApplicationForm, ReportForm
from projects.models import Application, Project, ProjectReport, ReportAttachment
from projects.selectors import (
    call_documents_for,
    open_calls_for,
    proposal_documents_for,
    report_totals,
)
from projects.workflows import REPORT


@login_required
def attachment_download(request, pk):
    """Attachments are private: served only to users who may see the report."""
    attachment = get_object_or_404(ReportAttachment.objects.visible_to(request.user), pk=pk)
    return serve_stored_file(
        attachment.file, content_type=attachment.content_type, filename=attachment.original_name
    )


@login_required
def call_document_download(request, pk):
    document = get_object_or_404(call_documents_for(request.user), pk=pk)
    return serve_stored_file(document.file, filename=document.title)


@login_required
def proposal_document_download(request, pk):
    """An application's 申报书: for its organization and the federations reviewing it."""
    application = get_object_or_404(proposal_documents_for(request.user), pk=pk)
    return serve_stored_file(
        application.proposal_document, filename=application.proposal_document_name
    )


@only_for(works_for_an_organization)
def portal_home(request):
    projects = (
        Project.objects.visible_to(request.user)
        .filter(implementer__in=SocialOrganization.objects.staffed_by(request.user))
        .select_related("funder")
    )
    reports = (
        ProjectReport.objects.visible_to(request.user)
        .filter(
            project__in=projects,
            status__in=["draft", "returned"],
            period__starts_on__lte=timezone.localdate(),  # future periods are not to fill yet
        )
        .select_related("project", "period")
        .order_by("period__due_on")
    )
    return render(
        request,
        "portal/home.html",
        {
            "projects": projects,
            "reports": reports,
            "today": timezone.localdate(),
        },
    )


@only_for(works_for_an_organization)
def open_calls(request):
    calls = open_calls_for(request.user).select_related("funder", "domain")
    return render(request, "portal/calls.html", {"calls": calls})


@only_for(works_for_an_organization)
def my_applications(request):
    """我的申报: her organizations' applications, the newest first, with where each stands."""
    applications = (
        Application.objects.visible_to(request.user)
        .filter(organization__in=SocialOrganization.objects.staffed_by(request.user))
        .select_related("project__funder", "organization")
        .order_by("-submitted_at", "-pk")
    )
    return render(request, "portal/applications.html", {"applications": applications})


@only_for(works_for_an_organization)
def call_detail(request, pk):
    """A call as grant portals show it: what it funds, its guidelines and files, and Apply."""
    project = get_object_or_404(
        open_calls_for(request.user).select_related("funder", "domain"), pk=pk
    )
    return render(
        request,
        "portal/call.html",
        {"project": project, "documents": project.call_documents.all()},
    )


@login_required
def apply_to_call(request, pk):
    project = get_object_or_404(open_calls_for(request.user), pk=pk)
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        organizations=SocialOrganization.objects.staffed_by(request.user),
    )
    if request.method == "POST" and form.is_valid():
        submitted = service_on_form(
            form,
            lambda: services.application_submit(
                actor=request.user, project=project, **form.cleaned_data
            ),
        )
        if submitted:
            messages.success(request, _("Your application has been submitted."))
            return redirect("portal-applications")
    return render(request, "portal/apply.html", {"project": project, "form": form})


@login_required
def project_detail(request, pk):
    project = get_object_or_404(
        Project.objects.visible_to(request.user).select_related("funder", "implementer"), pk=pk
    )
    reports = project.reports.select_related("period").order_by("period__starts_on")
    return render(
        request,
        "portal/project.html",
        {
            "project": project,
            "reports": reports,
            "totals": report_totals(project.reports.all()),
            "activities_delivered": project.activities.count(),
            "today": timezone.localdate(),
        },
    )


@login_required
def report_edit(request, pk):
    report = get_object_or_404(
        ProjectReport.objects.visible_to(request.user).select_related("project", "period"), pk=pk
    )
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        instance=report,
        indicators=report.project.indicators.all(),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and save_report_from_form(request, report, form)
    ):
        return redirect("portal-report", pk=report.pk)
    context = {
        "report": report,
        "form": form,
        "attachments": report.attachments.all(),
        "may_edit": REPORT.may("edit", request.user, report),
        "may_submit": REPORT.may("submit", request.user, report),
        "history": report.transitions.select_related("actor"),
    }
    return render(request, "portal/report.html", context)


def save_report_from_form(request, report, form) -> bool:
    """Save (and submit, if asked) in one transaction; errors go back onto the form."""
    try:
        with transaction.atomic():
            services.report_save(
                actor=request.user,
                report=report,
                values=form.indicator_values(),
                **form.report_fields(),
            )
            if form.cleaned_data.get("attachment"):
                services.report_attach(
                    actor=request.user, report=report, upload=form.cleaned_data["attachment"]
                )
            if "submit" in request.POST:
                services.report_submit(actor=request.user, report=report)
    except ServiceError as error:
        form.add_error(None, error.message)
        return False
    except ValidationError as error:
        form.add_error(None, error)
        return False
    if "submit" in request.POST:
        messages.success(request, _("The report has been submitted for review."))
    else:
        messages.success(request, _("Draft saved."))
    return True
