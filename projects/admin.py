from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_base import ScopedModelAdmin, ScopedTabularInline, WorkflowActionsAdminMixin
from core.admin_history import TrackedHistoryAdminMixin
from core.errors import ServiceError
from core.views import service_with_message
from federation.admin_filters import FederationTreeFilter
from projects import services
from projects.choices import ProjectStatus
from projects.models import (
    Activity,
    Application,
    CallDocument,
    Disbursement,
    FundingLine,
    Indicator,
    IndicatorValue,
    Project,
    ProjectReport,
    ReportAttachment,
    ReportTransition,
    ReviewScore,
    StandardIndicator,
)
from projects.workflows import APPLICATION, OWN_SERVICE, PROJECT, REPORT


class FunderFilter(FederationTreeFilter):
    path_lookup = "funder__path"


class ProjectFunderFilter(FederationTreeFilter):
    path_lookup = "project__funder__path"


class IndicatorInline(ScopedTabularInline):
    model = Indicator
    extra = 0
    fields = ["name", "unit", "kind", "cumulative", "target", "target_denominator", "standard"]
    readonly_fields = ["standard"]


class FundingLineInline(ScopedTabularInline):
    model = FundingLine
    extra = 0


class DisbursementInline(ScopedTabularInline):
    model = Disbursement
    extra = 0
    readonly_fields = ["amount", "paid_on", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # tranches go through disbursement_add, which checks the budget


def download_link(url_name, pk, name):
    """A stored file's link through its scoped download view (no URL serves MEDIA_ROOT)."""
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=[pk]), name)


class CallDocumentInline(ScopedTabularInline):
    """The call's files (申报指南, forms to fill), shown to the organizations it is open to."""

    model = CallDocument
    extra = 0
    fields = ["title", "download", "file", "uploaded_at"]
    readonly_fields = ["download", "uploaded_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # The stored path means nothing to her (and no URL serves it): the file is downloaded
        # through its own link, and the input only chooses a new one.
        if db_field.name == "file":
            kwargs["widget"] = forms.FileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("file"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        return download_link("call-document-download", obj.pk, obj.title)


def confirmation_page(modeladmin, request, queryset, move, action):
    """Asked before an irreversible move (the table's `confirm`): the records and one button."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Are you sure? %(move)s") % {"move": move.label},
        "opts": modeladmin.model._meta,
        "move": move,
        "records": queryset,
        "action": action,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
    }
    return TemplateResponse(request, "admin/confirm_move.html", context)


def status_action(move):
    """An admin action making `move` (of projects.workflows.PROJECT) on the selected projects
    through the service."""

    def make(modeladmin, request, queryset):
        if move.confirm and "confirmed" not in request.POST:
            return confirmation_page(modeladmin, request, queryset, move, make.__name__)
        moved = 0
        for project in queryset:
            try:
                services.project_transition(
                    actor=request.user, project=project, to_status=move.target, name=move.name
                )
                moved += 1
            except ServiceError as error:
                modeladmin.message_user(request, f"{project.code}: {error.message}", messages.ERROR)
        if moved:
            modeladmin.message_user(
                request, _("%(count)d project(s) moved.") % {"count": moved}, messages.SUCCESS
            )

    make.__name__ = f"move_{move.name.replace('-', '_')}"
    make.short_description = _("%(move)s (set status: %(status)s)") % {
        "move": move.label,
        "status": ProjectStatus(move.target).label,
    }
    make.allowed_permissions = ("change",)
    return make


@admin.register(Project)
class ProjectAdmin(TrackedHistoryAdminMixin, ScopedModelAdmin):
    list_display = [
        "code",
        "title",
        "funder",
        "implementer",
        "status",
        "budget",
        "period_start",
        "period_end",
    ]
    list_filter = [FunderFilter, "status", "procurement_mode", "domain", "reporting_frequency"]
    search_fields = ["code", "title", "implementer__name"]
    autocomplete_fields = ["funder", "implementer", "areas_served"]
    list_select_related = ["funder", "implementer"]
    date_hierarchy = "period_start"
    readonly_fields = ["status"]
    filter_horizontal = ["target_groups"]
    inlines = [CallDocumentInline, IndicatorInline, FundingLineInline, DisbursementInline]

    def get_actions(self, request):
        """With the status moves the table declares now: a move taken out of it has none."""
        actions = super().get_actions(request)
        if IS_POPUP_VAR in request.GET:
            return actions
        moves = [
            self.get_action(status_action(move))
            for move in PROJECT.table.values()
            if move.name not in OWN_SERVICE
        ]
        for func, name, description in self._filter_actions_by_permissions(request, moves):
            actions[name] = (func, name, description)
        return actions

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.project_inherit_standard_indicators(obj)


class IndicatorValueInline(ScopedTabularInline):
    model = IndicatorValue
    extra = 0
    can_delete = False
    fields = ["indicator", "value_as_typed", "denominator"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")

    @admin.display(description=_("value"))
    def value_as_typed(self, obj):
        return obj.shown_value


class AttachmentInline(ScopedTabularInline):
    model = ReportAttachment
    extra = 0
    can_delete = False
    fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return download_link("attachment-download", obj.pk, obj.original_name)


class TransitionInline(ScopedTabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "comment", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProjectReport)
class ProjectReportAdmin(ScopedModelAdmin):
    """Federation staff review reports here: approve, or return with a comment."""

    list_display = [
        "project",
        "period",
        "status",
        "on_time",
        "spending",
        "women_served",
        "first_submitted_at",
    ]
    list_filter = [ProjectFunderFilter, "status", "on_time"]
    search_fields = ["project__title", "project__code"]
    list_select_related = ["project", "period"]
    readonly_fields = [
        "project",
        "organization",
        "period",
        "status",
        "narrative",
        "activities_held",
        "women_served",
        "children_served",
        "families_served",
        "spending",
        "reviewer_comment",
        "first_submitted_at",
        "on_time",
        "approved_at",
    ]
    inlines = [IndicatorValueInline, AttachmentInline, TransitionInline]
    change_form_template = "admin/projects/projectreport/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # nothing here is edited: the review form below makes the moves

    @admin.display(description=_("implementing organization"))
    def organization(self, report):
        return report.project.implementer

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("<int:object_id>/review/", review, name="projects_projectreport_review"),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        report = self.get_object(request, str(object_id))
        if report is None:
            raise Http404
        if request.method == "POST":
            approve = "approve" in request.POST
            service_with_message(
                request,
                lambda: services.report_review(
                    actor=request.user,
                    report=report,
                    approve=approve,
                    comment=request.POST.get("comment", ""),
                ),
                _("Report approved.") if approve else _("Report returned with your comment."),
            )
        return redirect("admin:projects_projectreport_change", object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "review_moves": [
                move.name
                for move in (REPORT.available(request.user, report) if report else [])
                if move.name in {"approve", "return"}
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)


class ReviewScoreInline(ScopedTabularInline):
    model = ReviewScore
    extra = 0
    can_delete = False
    readonly_fields = ["reviewer", "criterion", "score", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(WorkflowActionsAdminMixin, ScopedModelAdmin):
    """Applications are read here; the award goes through the service, as everywhere."""

    list_display = ["project", "organization", "requested_amount", "status", "submitted_at"]
    list_filter = [ProjectFunderFilter, "status"]
    search_fields = ["project__title", "organization__name"]
    list_select_related = ["project", "organization"]
    readonly_fields = [
        "project",
        "organization",
        "proposal",
        "proposal_document_link",
        "requested_amount",
        "status",
        "submitted_by",
        "submitted_at",
    ]
    fields = readonly_fields
    inlines = [ReviewScoreInline]
    actions = ["award"]
    action_moves = {"award": [(APPLICATION, "award"), (PROJECT, "award")]}
    change_form_template = "admin/projects/application/change_form.html"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("proposal document"))
    def proposal_document_link(self, obj):
        if not obj.proposal_document:
            return "—"
        return download_link("proposal-document-download", obj.pk, obj.proposal_document_name)

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:object_id>/decide/", decide, name="projects_application_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, object_id):
        """The decision on one application, from its page: award it, or not chosen."""
        application = self.get_object(request, str(object_id))
        if application is None:
            raise Http404
        if request.method == "POST" and "award" in request.POST:
            service_with_message(
                request,
                lambda: services.project_award(
                    actor=request.user, project=application.project, application=application
                ),
                _("Awarded: %(application)s") % {"application": application},
            )
        elif request.method == "POST":
            service_with_message(
                request,
                lambda: services.application_reject(actor=request.user, application=application),
                _("Not chosen: %(application)s") % {"application": application},
            )
        return redirect("admin:projects_application_change", object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self.get_object(request, object_id)
        decisions = (
            [
                move
                for move in APPLICATION.available(request.user, application)
                if move.name in {"award", "not-awarded"}
            ]
            if application
            else []
        )
        # Nothing here is edited (the change permission is for the award action): no save
        # buttons, and the page is called what it is.
        extra_context = {
            **(extra_context or {}),
            "decisions": decisions,
            "show_save": False,
            "show_save_and_continue": False,
            "title": gettext("View %s") % self.opts.verbose_name,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Award the project to this application"), permissions=["change"])
    def award(self, request, queryset):
        for application in queryset:
            try:
                services.project_award(
                    actor=request.user, project=application.project, application=application
                )
            except ServiceError as error:
                self.message_user(request, f"{application}: {error.message}", messages.ERROR)
            else:
                self.message_user(
                    request, _("Awarded: %(application)s") % {"application": application}
                )


@admin.register(StandardIndicator)
class StandardIndicatorAdmin(ScopedModelAdmin):
    list_display = ["name", "unit", "kind", "cumulative", "federation"]
    list_filter = [FederationTreeFilter, "kind"]
    autocomplete_fields = ["federation"]
    list_select_related = ["federation"]


@admin.register(Activity)
class ActivityAdmin(ScopedModelAdmin):
    list_display = ["title", "project", "held_on", "place", "participants", "volunteers"]
    list_filter = [ProjectFunderFilter]
    search_fields = ["title", "project__title"]
    autocomplete_fields = ["project"]
    list_select_related = ["project"]
    date_hierarchy = "held_on"
