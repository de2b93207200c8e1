from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_base import ScopedModelAdmin, ScopedTabularInline
from core.admin_history import TrackedHistoryAdminMixin
from core.errors import ServiceError
from core.scoping import has_role_at
from federation.admin_filters import FederationTreeFilter
from projects import services
from projects.choices import ProjectStatus
from projects.models import (
    Activity,
    Application,
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


def transition_action(to_status):
    """An admin action moving the selected projects to `to_status` through the service."""

    def move(modeladmin, request, queryset):
        moved = 0
        for project in queryset:
            try:
                services.project_transition(
                    actor=request.user, project=project, to_status=to_status
                )
                moved += 1
            except ServiceError as error:
                modeladmin.message_user(request, f"{project.code}: {error.message}", messages.ERROR)
        if moved:
            modeladmin.message_user(
                request, _("%(count)d project(s) moved.") % {"count": moved}, messages.SUCCESS
            )

    move.__name__ = f"move_to_{to_status}"
    move.short_description = _("Set status: %(status)s") % {
        "status": ProjectStatus(to_status).label
    }
    move.allowed_permissions = ("change",)
    return move


PROJECT_ACTIONS = [
    transition_action(to_status)
    for to_status in dict.fromkeys(to for _from, to in services.PROJECT_TRANSITIONS)
]


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
    inlines = [IndicatorInline, FundingLineInline, DisbursementInline]
    actions = PROJECT_ACTIONS

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.project_inherit_standard_indicators(obj)


class IndicatorValueInline(ScopedTabularInline):
    model = IndicatorValue
    extra = 0
    can_delete = False
    readonly_fields = ["indicator", "value", "denominator"]

    def has_add_permission(self, request, obj=None):
        return False


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
        return format_html(
            '<a href="{}">{}</a>', reverse("attachment-download", args=[obj.pk]), obj.original_name
        )


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

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("<int:object_id>/review/", review, name="projects_projectreport_review"),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        report = self.get_object(request, str(object_id))
        if request.method == "POST":
            approve = "approve" in request.POST
            try:
                services.report_review(
                    actor=request.user,
                    report=report,
                    approve=approve,
                    comment=request.POST.get("comment", ""),
                )
            except ServiceError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                done = _("Report approved.") if approve else _("Report returned with your comment.")
                self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:projects_projectreport_change", object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_review": report.status in {"submitted", "resubmitted"}
            and has_role_at(request.user, report.project.funder, services.FUNDER_STAFF),
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
class ApplicationAdmin(ScopedModelAdmin):
    """Applications are read here; the award goes through the service, as everywhere."""

    list_display = ["project", "organization", "requested_amount", "status", "submitted_at"]
    list_filter = [ProjectFunderFilter, "status"]
    search_fields = ["project__title", "organization__name"]
    list_select_related = ["project", "organization"]
    readonly_fields = [
        "project",
        "organization",
        "proposal",
        "requested_amount",
        "status",
        "submitted_by",
        "submitted_at",
    ]
    inlines = [ReviewScoreInline]
    actions = ["award"]

    def has_add_permission(self, request):
        return False

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
