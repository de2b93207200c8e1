"""Separation of duties for case data (issue 11, finding 2): nobody changes her own roles, a
case role waits for a second administrator, every move is recorded and supervisors are told.
And the history of the records that decide who may see what (django-pghistory)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from accounts.models import User
from cases import services as case_services
from cases.models import Case
from core.errors import InvalidTransition, NotAllowed
from core.scoping import user_scope
from federation import grants
from federation.choices import Role
from federation.models import RoleChange, StaffMembership
from notifications.models import Notification
from orgs.choices import OrgRole
from orgs.models import OrgMembership, SocialOrganization

pytestmark = [pytest.mark.django_db, pytest.mark.demo("cases", "projects")]

HOTLINE = "东营区希望心理咨询服务中心"


@pytest.fixture
def second_admin(places):
    """Another administrator of 山东省妇联, who may approve what shandong grants."""
    user = User.objects.create_user("shandong-2", password="demo-pass-2026", is_staff=True)
    StaffMembership.objects.create(user=user, federation=places.shandong, role=Role.ADMIN)
    return user


@pytest.fixture
def colleague(places):
    """A viewer at 东营区妇联 who is to become a case worker there."""
    user = User.objects.create_user("dy-colleague", password="demo-pass-2026", is_staff=True)
    StaffMembership.objects.create(user=user, federation=places.dongying, role=Role.VIEWER)
    return user


@pytest.fixture
def hotline(demo):
    return SocialOrganization.objects.get(name=HOTLINE)


def told(username) -> list[str]:
    return list(
        Notification.objects.filter(user__username=username).values_list("title", flat=True)
    )


def membership_form(federation, user, role):
    return {"user": user.pk, "federation": federation.pk, "role": role, "is_active": "on"}


def sees_cases(user) -> bool:
    user = User.objects.get(pk=user.pk)  # a fresh scope
    return Case.objects.visible_to(user).exists()


# Finding 2 (a): the StaffMembership admin ----------------------------------------------


def test_an_administrator_cannot_give_herself_a_case_role(admin_client_as, places, user_named):
    shandong = user_named("shandong")
    response = admin_client_as("shandong").post(
        "/admin/federation/staffmembership/add/",
        membership_form(places.dongying, shandong, Role.CASE_SUPERVISOR),
    )
    assert response.status_code == 200  # the form again, with the error
    assert "不能更改自己的角色" in response.content.decode()
    assert not StaffMembership.objects.filter(user=shandong, role=Role.CASE_SUPERVISOR).exists()
    crisis = Case.objects.filter(federation=places.dongying).first()
    assert not case_services.opens_in_full(User.objects.get(pk=shandong.pk), crisis)
    refused = RoleChange.objects.get(user=shandong, action=RoleChange.Action.REFUSED)
    assert refused.actor == shandong and refused.federation == places.dongying
    assert any("shandong" in title and "拒绝" in title for title in told("dongying"))


def test_a_case_role_for_a_colleague_waits_for_a_second_administrator(
    admin_client_as, places, user_named, colleague, second_admin
):
    response = admin_client_as("shandong").post(
        "/admin/federation/staffmembership/add/",
        membership_form(places.dongying, colleague, Role.CASE_WORKER),
    )
    assert response.status_code == 302
    granted = StaffMembership.objects.get(user=colleague, role=Role.CASE_WORKER)
    assert granted.awaiting_approval and granted.granted_by == user_named("shandong")
    assert not sees_cases(colleague)
    assert any("待批准" in title for title in told("dongying"))  # the node's supervisor
    assert any("待批准" in title for title in told("shandong-2"))  # who may approve

    # The granting administrator may not approve her own grant.
    admin_client_as("shandong").post(
        "/admin/federation/staffmembership/",
        {"action": "approve_roles", "_selected_action": [granted.pk]},
    )
    granted.refresh_from_db()
    assert granted.awaiting_approval and not sees_cases(colleague)

    admin_client_as("shandong-2").post(
        "/admin/federation/staffmembership/",
        {"action": "approve_roles", "_selected_action": [granted.pk]},
    )
    granted.refresh_from_db()
    assert not granted.awaiting_approval and granted.approved_by == second_admin
    assert sees_cases(colleague)
    assert list(
        RoleChange.objects.filter(user=colleague).order_by("at").values_list("action", flat=True)
    ) == [RoleChange.Action.REQUESTED, RoleChange.Action.APPROVED]
    assert any("已批准" in title for title in told("dongying"))


def test_an_administrator_cannot_edit_or_delete_her_own_membership(admin_client_as, user_named):
    own = StaffMembership.objects.get(user=user_named("jinan"))
    client = admin_client_as("jinan")
    url = f"/admin/federation/staffmembership/{own.pk}/change/"
    client.post(url, {"federation": own.federation_id, "user": own.user_id, "role": "admin"})
    assert client.post(f"/admin/federation/staffmembership/{own.pk}/delete/", {"post": "yes"})
    assert StaffMembership.objects.filter(pk=own.pk, is_active=True).exists()


def test_changing_a_colleagues_role_to_a_case_role_needs_approval_again(
    admin_client_as, places, colleague
):
    viewer = StaffMembership.objects.get(user=colleague)
    admin_client_as("shandong").post(
        f"/admin/federation/staffmembership/{viewer.pk}/change/",
        membership_form(places.dongying, colleague, Role.CASE_SUPERVISOR),
    )
    viewer.refresh_from_db()
    assert viewer.role == Role.CASE_SUPERVISOR and viewer.awaiting_approval
    assert not sees_cases(colleague)


def test_a_superuser_cannot_change_her_own_roles_in_the_user_admin(admin_client_as, places):
    admin = User.objects.get(username="admin")
    response = admin_client_as("admin").post(
        f"/admin/accounts/user/{admin.pk}/change/",
        {
            "username": "admin",
            "name": admin.name,
            "email": "",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "staff_memberships-TOTAL_FORMS": "1",
            "staff_memberships-INITIAL_FORMS": "0",
            "staff_memberships-0-federation": places.dongying.pk,
            "staff_memberships-0-role": Role.CASE_SUPERVISOR,
            "staff_memberships-0-is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not admin.staff_memberships.exists()
    assert RoleChange.objects.filter(user=admin, action=RoleChange.Action.REFUSED).exists()


# Finding 2 (b): the organization's membership inline ------------------------------------


def inline_post(organization, user, role, prefix="memberships", existing=None):
    from django.forms.models import model_to_dict

    data = {
        key: value
        for key, value in model_to_dict(organization).items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "service_domains": [domain.pk for domain in organization.service_domains.all()],
            "covering_federations": [],
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1" if existing else "0",
            f"{prefix}-0-id": existing.pk if existing else "",
            f"{prefix}-0-organization": organization.pk,
            f"{prefix}-0-user": user.pk,
            f"{prefix}-0-role": role,
            f"{prefix}-0-is_active": "on",
        }
    )
    return data


def test_an_administrator_cannot_join_the_handling_organization_and_claim(
    admin_client_as, user_named, hotline
):
    shandong = user_named("shandong")
    response = admin_client_as("shandong").post(
        f"/admin/orgs/socialorganization/{hotline.pk}/change/",
        inline_post(hotline, shandong, OrgRole.CASE_WORKER),
    )
    assert response.status_code == 200 and "不能更改自己的角色" in response.content.decode()
    assert not OrgMembership.objects.filter(user=shandong).exists()
    assert RoleChange.objects.filter(user=shandong, action=RoleChange.Action.REFUSED).exists()
    case = Case.objects.filter(organization=hotline, assigned_to__isnull=True).first()
    if case is not None:
        with pytest.raises(NotAllowed):
            case_services.case_claim(actor=shandong, case=case)


def test_an_organization_case_worker_waits_for_approval_through_the_inline(
    admin_client_as, user_named, hotline, second_admin
):
    writer = user_named("dongying-org")  # a report writer of the hotline's organization
    response = admin_client_as("shandong").post(
        f"/admin/orgs/socialorganization/{hotline.pk}/change/",
        inline_post(
            hotline, writer, OrgRole.CASE_WORKER, existing=OrgMembership.objects.get(user=writer)
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    granted = OrgMembership.objects.get(user=writer)
    assert granted.role == OrgRole.CASE_WORKER and granted.awaiting_approval
    assert not sees_cases(writer)
    with pytest.raises(NotAllowed):
        grants.role_approve(actor=user_named("shandong"), membership=granted)
    admin_client_as("shandong-2").post(
        "/admin/orgs/orgmembership/",
        {"action": "approve_roles", "_selected_action": [granted.pk]},
    )
    assert sees_cases(writer)


# The services: every way a role changes ------------------------------------------------


@pytest.mark.parametrize("move", ["role_grant", "role_revoke", "role_reject"])
def test_no_service_lets_her_change_her_own_role(user_named, places, move):
    shandong = user_named("shandong")
    own = StaffMembership.objects.get(user=shandong)
    if move == "role_reject":
        StaffMembership.objects.filter(pk=own.pk).update(awaiting_approval=True)
        own.refresh_from_db()
    with pytest.raises(NotAllowed):
        getattr(grants, move)(actor=shandong, membership=own)
    assert RoleChange.objects.filter(user=shandong, action=RoleChange.Action.REFUSED).exists()


def test_approval_needs_an_administrator_of_the_node_or_above(
    user_named, places, colleague, second_admin
):
    granted = grants.role_grant(
        actor=user_named("shandong"),
        membership=StaffMembership(user=colleague, federation=places.dongying, role="case_worker"),
    )
    for outsider in ("fuzhou", "huaiyin", "dongying"):  # other province, sibling, supervisor
        with pytest.raises(NotAllowed):
            grants.role_approve(actor=user_named(outsider), membership=granted)
    with pytest.raises(NotAllowed):
        grants.role_approve(actor=colleague, membership=granted)
    grants.role_approve(actor=second_admin, membership=granted)
    with pytest.raises(InvalidTransition):
        grants.role_approve(actor=second_admin, membership=granted)


def test_a_rejected_case_role_never_takes_effect(user_named, places, colleague, second_admin):
    granted = grants.role_grant(
        actor=user_named("shandong"),
        membership=StaffMembership(user=colleague, federation=places.dongying, role="case_worker"),
    )
    grants.role_reject(actor=second_admin, membership=granted)
    granted.refresh_from_db()
    assert not granted.is_active and not sees_cases(colleague)
    with pytest.raises(InvalidTransition):
        grants.role_approve(actor=second_admin, membership=granted)


def test_revoking_a_case_role_is_immediate_recorded_and_told(user_named, places):
    worker = OrgMembership.objects.get(user=user_named("dongying-worker"))
    assert sees_cases(worker.user)
    grants.role_revoke(actor=user_named("shandong"), membership=worker)
    assert not sees_cases(worker.user)
    assert RoleChange.objects.filter(user=worker.user, action=RoleChange.Action.REVOKED).exists()
    assert any("撤销" in title for title in told("dongying"))


def test_a_non_case_role_takes_effect_at_once(user_named, places, colleague):
    granted = grants.role_grant(
        actor=user_named("shandong"),
        membership=StaffMembership(
            user=colleague, federation=places.dongying, role=Role.PROJECT_OFFICER
        ),
    )
    assert not granted.awaiting_approval
    assert RoleChange.objects.get(user=colleague).action == RoleChange.Action.GRANTED


def test_the_api_offers_no_way_to_change_roles(api_as):
    client = api_as("shandong")
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/api/v1/me/", {}).status_code == 405


def test_the_role_record_cannot_be_changed_or_deleted(user_named, places, colleague):
    grants.role_grant(
        actor=user_named("shandong"),
        membership=StaffMembership(
            user=colleague, federation=places.dongying, role=Role.PROJECT_OFFICER
        ),
    )
    for statement in (
        "UPDATE federation_rolechange SET role = 'x'",
        "DELETE FROM federation_rolechange",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert RoleChange.objects.filter(user=colleague).count() == 1


def test_role_changes_are_listed_only_in_the_users_area(
    admin_client_as, user_named, places, colleague
):
    grants.role_grant(
        actor=user_named("shandong"),
        membership=StaffMembership(user=colleague, federation=places.dongying, role="case_worker"),
    )
    assert (
        "dy-colleague"
        in admin_client_as("shandong").get("/admin/federation/rolechange/").content.decode()
    )
    assert (
        "dy-colleague"
        not in admin_client_as("fuzhou").get("/admin/federation/rolechange/").content.decode()
    )


# History (django-pghistory) ----------------------------------------------------------------


def test_history_records_bulk_updates_and_shows_them_in_the_admin(
    admin_client_as, places, colleague
):
    membership = StaffMembership.objects.get(user=colleague)
    StaffMembership.objects.filter(pk=membership.pk).update(role=Role.CASE_SUPERVISOR)  # a shell
    page = admin_client_as("shandong").get(
        f"/admin/federation/staffmembership/{membership.pk}/history/"
    )
    body = page.content.decode()
    assert page.status_code == 200
    with translation.override("zh-hans"):
        labels = str(Role.VIEWER.label), str(Role.CASE_SUPERVISOR.label)
    assert f"{labels[0]} → {labels[1]}" in body  # in words, not codes
    assert "命令行" in body  # made outside the pages: nobody is named


def test_history_names_who_changed_it_through_the_admin(admin_client_as, places, colleague):
    viewer = StaffMembership.objects.get(user=colleague)
    admin_client_as("shandong").post(
        f"/admin/federation/staffmembership/{viewer.pk}/change/",
        membership_form(places.dongying, colleague, Role.PROJECT_OFFICER),
    )
    body = (
        admin_client_as("shandong")
        .get(f"/admin/federation/staffmembership/{viewer.pk}/history/")
        .content.decode()
    )
    with translation.override("zh-hans"):
        assert str(Role.PROJECT_OFFICER.label) in body and "shandong" in body


@pytest.mark.parametrize(
    "url",
    [
        "/admin/orgs/socialorganization/{hotline}/history/",
        "/admin/federation/staffmembership/{membership}/history/",
    ],
)
def test_history_outside_the_area_is_404(admin_client_as, hotline, user_named, url):
    membership = StaffMembership.objects.get(user=user_named("dongying"))
    url = url.format(hotline=hotline.pk, membership=membership.pk)
    assert admin_client_as("fuzhou").get(url).status_code == 404
    assert admin_client_as("shandong").get(url).status_code == 200


def test_project_history_includes_its_disbursements(admin_client_as, demo):
    from projects.models import Disbursement

    disbursement = Disbursement.objects.select_related("project").first()
    Disbursement.objects.filter(pk=disbursement.pk).update(note="改过的备注")
    body = (
        admin_client_as("admin")
        .get(f"/admin/projects/project/{disbursement.project_id}/history/")
        .content.decode()
    )
    assert "改过的备注" in body


def test_a_report_writer_keeps_her_portal_while_her_case_role_awaits_approval(
    admin_client_as, user_named, hotline
):
    writer = user_named("dongying-org")
    data = inline_post(hotline, writer, OrgRole.CASE_WORKER)
    existing = OrgMembership.objects.get(user=writer)
    data.update(
        {
            "memberships-TOTAL_FORMS": "2",
            "memberships-INITIAL_FORMS": "1",
            "memberships-1-id": "",
            "memberships-1-organization": hotline.pk,
            "memberships-1-user": writer.pk,
            "memberships-1-role": OrgRole.CASE_WORKER,
            "memberships-1-is_active": "on",
            "memberships-0-id": existing.pk,
            "memberships-0-role": existing.role,
        }
    )
    response = admin_client_as("shandong").post(
        f"/admin/orgs/socialorganization/{hotline.pk}/change/", data, follow=True
    )
    assert "须经本级或上级妇联的另一位管理员批准" in response.content.decode()
    fresh = User.objects.get(pk=writer.pk)
    assert OrgMembership.objects.filter(user=writer).count() == 2
    assert hotline.pk in user_scope(fresh).organization_ids  # the portal still works
    assert not sees_cases(writer)
