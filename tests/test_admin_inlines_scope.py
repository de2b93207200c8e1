"""Admin inlines and autocompletes stay inside the user's part of the tree (finding 6).

The review found that the organization's membership inline (OrgMembership.user) and the
team's membership inline (TeamMembership.volunteer) took any id and then showed that
person's name. The first tests replay it; the walk then renders every admin page and asks
the autocomplete endpoint for every relation in the project, as a user of one subtree, and
looks for names from another one.
"""

from collections.abc import Iterator

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.forms import ModelChoiceField, MultiWidget
from django.test import RequestFactory

from accounts.models import User
from core.admin_base import ScopedInlineMixin, ScopedModelAdmin, is_scoped
from federation.roles import ROLE_PERMISSIONS
from orgs.models import OrgMembership, SocialOrganization
from volunteers.models import TeamMembership, Volunteer, VolunteerTeam

pytestmark = pytest.mark.django_db

JINAN_ORG = "济南市女性社会组织联合会"
JINAN_TEAM = "交通暖“新”志愿服务队"
CHANGE_PAGES_PER_ADMIN = 3


# Posting a change form the way the browser would ----------------------------------------


def field_values(form, prefix_from=None, prefix_to=None) -> dict:
    """A form's fields as the browser posts them, from their initial values."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        key = form.add_prefix(name)
        if prefix_from:
            key = key.replace(prefix_from, prefix_to)
        if value is None or value is False or value == "":
            continue
        if isinstance(field.widget, MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                if part is not None:
                    data[f"{key}_{index}"] = str(part)
        elif value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        else:
            data[key] = str(value)
    return data


def unchanged_post(response) -> dict:
    """What the change page posts back when nothing is touched."""
    data = field_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(field_values(formset.management_form))
        for form in formset.forms:
            data.update(field_values(form))
    return data


def with_new_row(data: dict, response, model, **values) -> dict:
    """Add one row to the inline of `model`, as "Add another" would, with these values."""
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    )
    index = int(data[f"{formset.prefix}-TOTAL_FORMS"])
    row_prefix = f"{formset.prefix}-{index}-"
    row = field_values(formset.empty_form, f"{formset.prefix}-__prefix__-", row_prefix)
    row.update({row_prefix + name: str(value) for name, value in values.items()})
    return {**data, **row, f"{formset.prefix}-TOTAL_FORMS": str(index + 1)}


def inline_errors(response, model) -> list[dict]:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return [form.errors.as_data() for form in inline.formset.forms]
    raise AssertionError(f"no inline for {model.__name__}")


def error_codes(errors: list[dict], field: str) -> set[str]:
    return {error.code for form in errors for error in form.get(field, [])}


# Finding 6, replayed --------------------------------------------------------------------


def test_org_membership_inline_refuses_a_user_from_another_area(admin_client_as, demo):
    organization = SocialOrganization.objects.get(name=JINAN_ORG)
    stranger = User.objects.get(username="fuzhou")
    client = admin_client_as("jinan")
    url = f"/admin/orgs/socialorganization/{organization.pk}/change/"
    page = client.get(url)
    data = with_new_row(unchanged_post(page), page, OrgMembership, user=stranger.pk)

    response = client.post(url, data)

    assert response.status_code == 200  # the form comes back with the error
    assert "invalid_choice" in error_codes(inline_errors(response, OrgMembership), "user")
    assert not OrgMembership.objects.filter(user=stranger, organization=organization).exists()
    assert stranger.name not in response.content.decode()


def test_team_membership_inline_refuses_a_volunteer_from_another_area(admin_client_as, demo):
    team = VolunteerTeam.objects.get(name=JINAN_TEAM)
    stranger = Volunteer.objects.get(name="冯女士")  # 东营区
    client = admin_client_as("jinan")
    url = f"/admin/volunteers/volunteerteam/{team.pk}/change/"
    page = client.get(url)
    data = with_new_row(
        unchanged_post(page), page, TeamMembership, volunteer=stranger.pk, joined_on="2026-03-01"
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "invalid_choice" in error_codes(inline_errors(response, TeamMembership), "volunteer")
    assert not TeamMembership.objects.filter(volunteer=stranger).exists()
    assert stranger.name not in response.content.decode()


def test_the_inline_offers_only_people_of_the_area(admin_client_as, demo):
    organization = SocialOrganization.objects.get(name=JINAN_ORG)
    page = admin_client_as("jinan").get(f"/admin/orgs/socialorganization/{organization.pk}/change/")
    formset = next(inline.formset for inline in page.context["inline_admin_formsets"])
    offered = set(formset.empty_form.fields["user"].queryset.values_list("username", flat=True))
    assert "jinan-org" in offered  # the organization's own staff
    assert "huaiyin" in offered  # a colleague below
    assert not offered & {"fuzhou", "dongying", "dongying-org", "shandong", "admin"}


def test_pages_with_the_organizations_own_staff_save_unchanged(admin_client_as, demo):
    """Its members are in the federation's area, so the page posts back as it came."""
    organization = SocialOrganization.objects.get(name=JINAN_ORG)
    client = admin_client_as("jinan")
    url = f"/admin/orgs/socialorganization/{organization.pk}/change/"
    response = client.post(url, unchanged_post(client.get(url)))
    assert response.status_code == 302, response.context and inline_errors(response, OrgMembership)


def test_the_autocomplete_offers_the_organizations_staff_and_no_stranger(admin_client_as, demo):
    rows = autocomplete_rows(admin_client_as("jinan"), OrgMembership, "user")
    usernames = set(
        User.objects.filter(pk__in=[row["id"] for row in rows]).values_list("username", flat=True)
    )
    assert "jinan-org" in usernames
    assert not usernames & {"fuzhou", "dongying", "dongying-org", "dongying-worker"}


# Every inline uses the scoped base ------------------------------------------------------


def registered() -> Iterator[tuple[type, admin.ModelAdmin]]:
    return iter(list(admin.site._registry.items()))


def all_inlines() -> Iterator[tuple[admin.ModelAdmin, type[InlineModelAdmin]]]:
    for _model, model_admin in registered():
        for inline in model_admin.inlines:
            yield model_admin, inline


def reached_by_a_role(model) -> bool:
    """Whether any role's permissions open this model's admin (otherwise only superusers do,
    as with the admins of knox and django-otp)."""
    granted = set().union(*ROLE_PERMISSIONS.values())
    label, name = model._meta.app_label, model._meta.model_name
    return any(
        f"{label}.{action}_{name}" in granted for action in ("view", "add", "change", "delete")
    )


def test_every_inline_uses_the_scoped_base():
    unscoped = [
        f"{type(model_admin).__name__}.{inline.__name__}"
        for model_admin, inline in all_inlines()
        if reached_by_a_role(model_admin.model) and not issubclass(inline, ScopedInlineMixin)
    ]
    assert not unscoped, f"inlines outside ScopedInlineMixin: {unscoped}"


def test_every_scoped_related_model_has_a_scoped_admin_behind_its_autocomplete():
    """The autocomplete endpoint lists rows through the related model's admin."""
    unscoped = []
    for model, model_admin in registered():
        sources = [(model, name) for name in model_admin.autocomplete_fields]
        sources += [
            (inline.model, name)
            for inline in model_admin.inlines
            for name in inline.autocomplete_fields
        ]
        for source, name in sources:
            related = source._meta.get_field(name).related_model
            behind = admin.site._registry.get(related)
            if is_scoped(related) and not isinstance(behind, ScopedModelAdmin):
                unscoped.append(f"{source.__name__}.{name}")
    assert not unscoped


def test_raw_id_fields_only_where_no_role_reaches():
    """A raw id widget labels its value without the scope, so admins that roles open use
    autocomplete_fields instead (knox's token admin keeps its raw id: superusers only)."""
    raw = [
        type(model_admin).__name__
        for model, model_admin in registered()
        if (model_admin.raw_id_fields or any(i.raw_id_fields for i in model_admin.inlines))
        and reached_by_a_role(model)
    ]
    assert not raw


def test_inlines_pick_people_by_autocomplete():
    """Users and volunteers are large tables: an inline that edits one searches for it."""
    request = request_as(User(username="root", is_superuser=True))
    listed = []
    for model_admin, inline in all_inlines():
        formset = inline(model_admin.model, admin.site).get_formset(request)
        for name, field in formset.form.base_fields.items():
            if name == formset.fk.name:  # the parent, set by the formset
                continue
            people = isinstance(field, ModelChoiceField) and field.queryset.model in (
                User,
                Volunteer,
            )
            if people and name not in inline.autocomplete_fields and not field.widget.is_hidden:
                listed.append(f"{inline.__name__}.{name}")
    assert not listed


# The walk -------------------------------------------------------------------------------


def on_the_line(path: str, root: str) -> bool:
    """Whether a node is the root, above it or below it: anything else is another subtree."""
    return path.startswith(root) or root.startswith(path)


def names_from_other_subtrees(root: str) -> set[str]:
    """Names of people and organizations that belong only to subtrees beside `root`."""
    names = set()
    for user in User.objects.prefetch_related(
        "staff_memberships__federation", "org_memberships__organization__guiding_federation"
    ):
        anchors = [m.federation.path for m in user.staff_memberships.all()]
        anchors += [m.organization.guiding_federation.path for m in user.org_memberships.all()]
        anchors += list(
            Volunteer.objects.filter(user=user).values_list("federation__path", flat=True)
        )
        if anchors and not any(on_the_line(path, root) for path in anchors):
            names.add(str(user))
    for volunteer in Volunteer.objects.select_related("federation"):
        if not on_the_line(volunteer.federation.path, root):
            names.add(volunteer.name)
    for organization in SocialOrganization.objects.select_related("guiding_federation"):
        if not on_the_line(organization.guiding_federation.path, root):
            names.add(organization.name)
    return names


def request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def admin_pages(user) -> Iterator[str]:
    """The add page and a few change pages of every admin the user may open."""
    request = request_as(user)
    for model, model_admin in registered():
        if not model_admin.has_module_permission(request):
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        if model_admin.has_add_permission(request):
            yield f"{base}add/"
        if model_admin.has_view_or_change_permission(request):
            visible = model_admin.get_queryset(request).order_by("pk")[:CHANGE_PAGES_PER_ADMIN]
            for pk in visible.values_list("pk", flat=True):
                yield f"{base}{pk}/change/"


def choice_fields(response) -> Iterator[tuple[str, ModelChoiceField]]:
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [*inline.formset.forms, inline.formset.empty_form]
    for form in forms:
        for name, field in form.fields.items():
            # A row's own id is a hidden choice of the whole table, but it renders no choices
            # and the formset looks the row up in the inline's (scoped) queryset.
            if isinstance(field, ModelChoiceField) and not field.widget.is_hidden:
                yield f"{form.prefix or ''}{name}", field


def autocomplete_rows(client, source, field_name, term="") -> list[dict]:
    rows, page = [], 1
    while True:
        response = client.get(
            "/admin/autocomplete/",
            {
                "app_label": source._meta.app_label,
                "model_name": source._meta.model_name,
                "field_name": field_name,
                "term": term,
                "page": page,
            },
        )
        if response.status_code in (403, 404):  # no such autocomplete, or not hers to view
            return rows
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body["pagination"]["more"]:
            return rows
        page += 1


def relation_fields() -> Iterator[tuple[type, str]]:
    """Every forward relation in the project: the endpoint takes any of them by name."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model in admin.site._registry:
                yield model, field.name


def visible_pks(model, user) -> set[str]:
    return {str(pk) for pk in model._default_manager.visible_to(user).values_list("pk", flat=True)}


WALKERS = [("huaiyin", "huaiyin"), ("jinan", "jinan")]  # user, her node in `places`


@pytest.mark.parametrize(("username", "node"), WALKERS)
def test_admin_pages_show_nobody_from_another_subtree(
    admin_client_as, places, user_named, username, node
):
    user = user_named(username)
    root = getattr(places, node).path
    strangers = names_from_other_subtrees(root)
    assert {"福州市妇联管理员（fuzhou）", "冯女士", "东营区希望心理咨询服务中心"} <= strangers
    client = admin_client_as(username)
    opened = 0
    for url in admin_pages(user):
        response = client.get(url)
        if response.status_code in (403, 404):
            continue
        assert response.status_code == 200, url
        opened += 1
        html = response.content.decode()
        shown = {name for name in strangers if name in html}
        assert not shown, f"{url} shows {shown}"
        for name, field in choice_fields(response):
            if is_scoped(field.queryset.model):
                offered = {str(pk) for pk in field.queryset.values_list("pk", flat=True)}
                outside = offered - visible_pks(field.queryset.model, user)
                assert not outside, f"{url} {name} offers {outside}"
    assert opened > 10


@pytest.mark.parametrize(("username", "node"), WALKERS)
def test_every_autocomplete_shows_nobody_from_another_subtree(
    admin_client_as, places, user_named, username, node
):
    user = user_named(username)
    root = getattr(places, node).path
    strangers = names_from_other_subtrees(root)
    client = admin_client_as(username)
    answered = 0
    for source, field_name in relation_fields():
        rows = autocomplete_rows(client, source, field_name)
        answered += bool(rows)
        related = source._meta.get_field(field_name).related_model
        label = f"{source._meta.label}.{field_name}"
        shown = {row["text"] for row in rows if any(name in row["text"] for name in strangers)}
        assert not shown, f"{label} offers {shown}"
        if is_scoped(related):
            outside = {row["id"] for row in rows} - visible_pks(related, user)
            assert not outside, f"{label} offers {outside}"
    assert answered > 10
