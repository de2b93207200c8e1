from datetime import date

import factory

from accounts.models import User
from federation.choices import Kind, Level, Role, VenueKind
from federation.models import Federation, StaffMembership, Venue


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"测试用户{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "demo-pass-2026")


class FederationFactory(factory.django.DjangoModelFactory):
    """A village-level node under `parent` (division codes are left blank: not validated here)."""

    class Meta:
        model = Federation

    name = factory.Sequence(lambda n: f"测试妇联{n}")
    level = Level.VILLAGE
    kind = Kind.REGIONAL


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    role = Role.ADMIN


def org_case_worker(organization, username="hotline-colleague"):
    """A case worker of the organization whose role was granted and approved (two people)."""
    from orgs.choices import OrgRole
    from orgs.models import OrgMembership

    user = UserFactory(username=username, is_staff=False)
    user.save()  # the factory set a password without saving it
    OrgMembership.objects.create(user=user, organization=organization, role=OrgRole.CASE_WORKER)
    return user


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"妇女之家{n}")
    kind = VenueKind.WOMENS_HOME


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orgs.SocialOrganization"

    name = factory.Sequence(lambda n: f"测试社会组织{n}")
    credit_code = factory.Sequence(lambda n: credit_code_for(n))
    legal_form = "social_service"
    relationship = "member"


def credit_code_for(serial: int) -> str:
    from core.validators import credit_code_check_char

    first17 = f"52370104MK{serial:07d}"
    return first17 + credit_code_check_char(first17)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project in progress with one quarterly period and its draft report."""

    class Meta:
        model = "projects.Project"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"P-{n:05d}")
    title = factory.Sequence(lambda n: f"测试项目{n}")
    domain = factory.LazyFunction(lambda: _service_domain())
    procurement_mode = "commission"
    budget = 100000
    period_start = date(2026, 1, 1)
    period_end = date(2026, 3, 31)
    reporting_frequency = "quarter"
    status = "in_progress"

    @factory.post_generation
    def schedule(self, create, extracted, **kwargs):
        if create:
            from projects.services import project_generate_schedule

            project_generate_schedule(self)


def _service_domain():
    from orgs.models import ServiceDomain

    return ServiceDomain.objects.get_or_create(code="employment", defaults={"name": "就业创业"})[0]


def the_day_comes(order):
    """The scheduled day of a service order has come (a service is delivered from then on)."""
    from django.utils import timezone

    from menu.models import ServiceOrder

    ServiceOrder.objects.filter(pk=order.pk).update(scheduled_at=timezone.now())
    order.refresh_from_db()
    return order


def huaiyin_orders(item, federation, *, days=14, participants=15):
    """槐荫区妇联's admin orders `item` for `federation` (hers or below), from tomorrow on."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from menu.services import order_request

    tomorrow = timezone.localdate() + timedelta(days=1)
    return order_request(
        actor=User.objects.get(username="huaiyin"),
        item=item,
        federation=federation,
        window_start=tomorrow,
        window_end=tomorrow + timedelta(days=days),
        expected_participants=participants,
    )


def application_to(project, organization):
    """An application of `organization` to `project`'s call, as 济南's portal user sent it."""
    from accounts.models import User
    from projects.models import Application

    return Application.objects.create(
        project=project,
        organization=organization,
        proposal="方案",
        requested_amount=1,
        submitted_by=User.objects.get(username="jinan-org"),
    )


def need_answered_and_delivered(need, user_named, item, participants=12):
    """槐荫区妇联 answers a need of its area with a request dispatched to the item's
    organization (jinan-org), which accepts, schedules and delivers it."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from menu import services

    huaiyin, staff = user_named("huaiyin"), user_named("jinan-org")
    start = timezone.localdate() + timedelta(days=1)
    order = services.request_create(
        actor=huaiyin,
        federation=Federation.objects.get(division_code="370104", kind="regional"),
        title=f"回应需求：{need.title}",
        domain=need.domain,
        window_start=start,
        window_end=start + timedelta(days=10),
        expected_participants=participants,
        needs=[need],
    )
    order = services.order_dispatch(actor=huaiyin, order=order, to_organization=item.organization)
    order = services.order_accept(actor=staff, order=order, item=item)
    scheduled = timezone.make_aware(datetime.combine(order.window_start, time(14)))
    order = services.order_schedule(actor=staff, order=order, scheduled_at=scheduled, place="社区")
    return services.order_deliver(
        actor=staff, order=the_day_comes(order), actual_participants=participants
    )
