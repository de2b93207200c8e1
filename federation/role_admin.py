"""The admin's side of federation.grants: membership forms, admins and inlines that give,
approve and end roles only through its services."""

from copy import copy

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.errors import NotAllowed, ServiceError
from federation import grants


def membership_form_for(form_class, actor):
    """The form class with the acting user, so that it refuses her own roles while validating."""
    return type(form_class.__name__, (GrantedRoleFormMixin, form_class), {"actor": actor})


class GrantedRoleFormMixin:
    """Refuses a change to the actor's own roles, and one she may not make, with a form error.

    The refusal of her own roles is recorded (and reported) by the service even so.
    """

    actor = None

    def clean(self):
        cleaned = super().clean()
        if self.actor is None or not self.has_changed() or self.errors:
            return cleaned
        probe = copy(self.instance)
        for name in ("user", "federation", "organization", "role"):
            if name in cleaned:
                setattr(probe, name, cleaned[name])
        try:
            grants.refuse_own(self.actor, probe)
            if grants.node_known(probe):
                grants.require_administrator(self.actor, probe)
        except NotAllowed as refusal:
            raise ValidationError(refusal.message) from refusal
        return cleaned


class GrantedRoleAdminMixin:
    """A ModelAdmin of memberships: saves, deletions and approvals through federation.grants."""

    grant_fields = ["approval", "granted_by", "approved_by", "approved_at"]
    actions = ["approve_roles", "reject_roles"]

    @admin.display(description=_("approval"), ordering="awaiting_approval")
    def approval(self, membership):
        return approval_state(membership)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.grant_fields]

    def get_form(self, request, obj=None, **kwargs):
        return membership_form_for(super().get_form(request, obj, **kwargs), request.user)

    def has_change_permission(self, request, obj=None):
        return not grants_own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not grants_own(request, obj) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        grants.role_save(
            actor=request.user,
            membership=obj,
            changed_fields=set(form.changed_data),
            is_new=not change,
        )
        self.ensure_still_visible(request, obj)
        say_if_awaiting(request, obj)

    def delete_model(self, request, obj):
        grants.role_revoke(actor=request.user, membership=obj, delete=True)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            if not grants_own(request, membership):
                grants.role_revoke(actor=request.user, membership=membership, delete=True)

    @admin.action(description=_("Approve the selected case roles"))
    def approve_roles(self, request, queryset):
        self.run_grant_move(
            request, queryset, grants.role_approve, _("%(count)d role(s) approved.")
        )

    @admin.action(description=_("Reject the selected case roles"))
    def reject_roles(self, request, queryset):
        self.run_grant_move(request, queryset, grants.role_reject, _("%(count)d role(s) rejected."))

    def run_grant_move(self, request, queryset, move, done_message):
        done = 0
        for membership in queryset:
            try:
                move(actor=request.user, membership=membership)
                done += 1
            except ServiceError as refusal:
                self.message_user(request, f"{membership}: {refusal.message}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)


class GrantedRoleInlineMixin:
    """An inline of memberships; the parent admin saves it with save_membership_formset."""

    readonly_fields = ["approval"]

    @admin.display(description=_("approval"))
    def approval(self, membership):
        return approval_state(membership)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("approved_by")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = membership_form_for(formset.form, request.user)
        return formset


def save_membership_formset(request, formset):
    """Grants, changes and revocations of an inline, each through federation.grants."""
    formset.save(commit=False)
    for membership in formset.deleted_objects:
        grants.role_revoke(actor=request.user, membership=membership, delete=True)
    for membership in formset.new_objects:
        grants.role_grant(actor=request.user, membership=membership)
        say_if_awaiting(request, membership)
    for membership, changed in formset.changed_objects:
        grants.role_save(
            actor=request.user, membership=membership, changed_fields=set(changed), is_new=False
        )
        say_if_awaiting(request, membership)


def say_if_awaiting(request, membership):
    if membership.awaiting_approval:
        message = _(
            "%(membership)s awaits the approval of another administrator of this federation or "
            "above; until then it gives no access."
        ) % {"membership": membership}
        messages.warning(request, message)


def grants_own(request, obj) -> bool:
    return obj is not None and obj.user_id == request.user.pk


def approval_state(membership) -> str:
    """In words: a tick would read as "yes, it works" when the role does not work yet."""
    if membership.pk is None:
        return "—"
    if membership.awaiting_approval and membership.is_active:
        return _("awaiting approval: gives no access yet")
    if membership.approved_by_id:
        return _("approved by %(user)s") % {"user": membership.approved_by}
    return "—"
