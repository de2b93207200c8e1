"""Volunteer teams, recruitment and hours: every sign-up move, bad input, the capacity race,
scope, the five standard teams, import, and the hours rankings."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from core.errors import InvalidTransition, NotAllowed, ServiceError
from federation.models import Federation
from tests.factories import UserFactory
from tests.races import race
from tests.scope_contract import ScopedAdminContract, ScopedAPIContract, listed_ids
from volunteers import services
from volunteers.choices import SignUpStatus as S
from volunteers.models import Opportunity, SignUp, TeamMembership, Volunteer, VolunteerTeam

pytestmark = [pytest.mark.django_db, pytest.mark.demo("volunteers")]


def opportunity_at(federation, *, places=5, days=3, hours=3):
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return Opportunity.objects.create(
        title="周六活动摄影",
        federation=federation,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        place="营市街社区",
        places=places,
    )


def volunteer_in(federation, number=0):
    account = UserFactory(is_staff=False)
    account.save()  # the factory sets the password without saving it
    return Volunteer.objects.create(
        user=account,
        name=f"志愿者{number}",
        federation=federation,
        registered_on=timezone.localdate(),
    )


@pytest.fixture
def opportunity(places):
    return opportunity_at(places.huaiyin)


@pytest.fixture
def me(places):
    return volunteer_in(places.yingshijie)


def begun(opportunity):
    """The day has come: attendance can be confirmed."""
    start = timezone.now() - timedelta(hours=1)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=3)
    )
    opportunity.refresh_from_db()


# Signing up ------------------------------------------------------------------------------


def test_signing_up_is_first_come_first_served(places, user_named):
    opportunity = opportunity_at(places.huaiyin, places=1)
    first, second = volunteer_in(places.huaiyin, 1), volunteer_in(places.huaiyin, 2)
    assert services.signup_create(actor=first.user, opportunity=opportunity).status == S.CONFIRMED
    waiting = services.signup_create(actor=second.user, opportunity=opportunity)
    assert waiting.status == S.APPLIED
    with pytest.raises(ServiceError):  # full
        services.signup_confirm(actor=user_named("huaiyin"), signup=waiting)
    services.signup_cancel(actor=first.user, signup=SignUp.objects.get(volunteer=first))
    assert (
        services.signup_confirm(actor=user_named("huaiyin"), signup=waiting).status == S.CONFIRMED
    )


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("twice", "已经报名"),
        ("past", "截止"),
        ("closed", "截止"),
    ],
)
def test_bad_sign_ups_are_refused(opportunity, me, setup, message):
    if setup == "twice":
        services.signup_create(actor=me.user, opportunity=opportunity)
    elif setup == "past":
        Opportunity.objects.filter(pk=opportunity.pk).update(
            starts_at=timezone.now() - timedelta(days=1)
        )
    else:
        Opportunity.objects.filter(pk=opportunity.pk).update(status="closed")
    before = SignUp.objects.count()
    with pytest.raises(ServiceError) as error:
        services.signup_create(actor=me.user, opportunity=opportunity)
    assert message in str(error.value.message)
    assert SignUp.objects.count() == before


def test_an_opportunity_elsewhere_cannot_be_signed_up_for(places, me):
    elsewhere = opportunity_at(places.dongying)
    with pytest.raises(NotAllowed):
        services.signup_create(actor=me.user, opportunity=elsewhere)
    assert not Opportunity.objects.visible_to(me.user).filter(pk=elsewhere.pk).exists()


def test_only_volunteers_sign_up(opportunity, user_named):
    with pytest.raises(NotAllowed):
        services.signup_create(actor=user_named("jinan-org"), opportunity=opportunity)


# Every move from every state --------------------------------------------------------------

MOVES = {
    "confirm": lambda s, u, mine: services.signup_confirm(actor=u("huaiyin"), signup=s),
    "attend": lambda s, u, mine: services.signup_attend(actor=u("huaiyin"), signup=s, hours=2),
    "no_show": lambda s, u, mine: services.signup_no_show(actor=u("huaiyin"), signup=s),
    "cancel": lambda s, u, mine: services.signup_cancel(actor=mine, signup=s),
}
ALLOWED = {
    ("confirm", S.APPLIED): S.CONFIRMED,
    ("attend", S.CONFIRMED): S.ATTENDED,
    ("no_show", S.CONFIRMED): S.NO_SHOW,
    ("cancel", S.APPLIED): S.CANCELLED,
    ("cancel", S.CONFIRMED): S.CANCELLED,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("move", list(MOVES))
def test_every_sign_up_move(opportunity, me, user_named, move, status):
    signup = services.signup_create(actor=me.user, opportunity=opportunity)
    begun(opportunity)
    SignUp.objects.filter(pk=signup.pk).update(status=status)
    signup.refresh_from_db()
    expected = ALLOWED.get((move, status))
    if expected is None:
        with pytest.raises(InvalidTransition):
            MOVES[move](signup, user_named, me.user)
        signup.refresh_from_db()
        assert signup.status == status
    else:
        assert MOVES[move](signup, user_named, me.user).status == expected


def test_hours_count_once_a_coordinator_confirms_them(opportunity, me, user_named):
    signup = services.signup_create(actor=me.user, opportunity=opportunity)
    with pytest.raises(ServiceError):  # not begun yet
        services.signup_attend(actor=user_named("huaiyin"), signup=signup, hours=2)
    begun(opportunity)
    for hours in (0, 4, Decimal("3.5")):
        with pytest.raises(ServiceError) as error:
            services.signup_attend(actor=user_named("huaiyin"), signup=signup, hours=hours)
        assert "时长" in str(error.value.message)
    assert services.volunteer_hours(me) == 0
    with pytest.raises(NotAllowed):  # a volunteer does not confirm her own hours
        services.signup_attend(actor=me.user, signup=signup, hours=2)
    services.signup_attend(actor=user_named("huaiyin"), signup=signup, hours=Decimal("2.5"))
    assert services.volunteer_hours(me) == Decimal("2.5")


@pytest.mark.django_db(transaction=True)
def test_twenty_sign_ups_for_five_places_exactly_five_confirmed(places):
    opportunity = opportunity_at(places.huaiyin, places=5)
    volunteers = iter([volunteer_in(places.huaiyin, n) for n in range(20)])

    def attempt():
        services.signup_create(actor=next(volunteers).user, opportunity=opportunity)

    assert race(20, attempt) == 20
    statuses = list(opportunity.signups.values_list("status", flat=True))
    assert statuses.count(S.CONFIRMED) == 5 and statuses.count(S.APPLIED) == 15


# Scope -------------------------------------------------------------------------------------


def test_a_coordinator_of_huaiyin_cannot_see_or_confirm_dongyings_sign_ups(
    places, user_named, api_as, client
):
    elsewhere = opportunity_at(places.dongying, places=1)
    first, second = volunteer_in(places.dongying, 1), volunteer_in(places.dongying, 2)
    services.signup_create(actor=first.user, opportunity=elsewhere)
    waiting = services.signup_create(actor=second.user, opportunity=elsewhere)
    api = api_as("huaiyin")
    assert waiting.pk not in listed_ids(api.get("/api/v1/signups/", {"page_size": 200}))
    assert api.post(f"/api/v1/signups/{waiting.pk}/confirm/").status_code == 404
    client.force_login(user_named("huaiyin"), backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(f"/volunteers/signups/{waiting.pk}/confirm/").status_code == 404
    assert client.get(f"/volunteers/opportunities/{elsewhere.pk}/").status_code == 404
    with pytest.raises(NotAllowed):
        services.signup_confirm(actor=user_named("huaiyin"), signup=waiting)
    waiting.refresh_from_db()
    assert waiting.status == S.APPLIED


class TestVolunteerAPI(ScopedAPIContract):
    list_url = "/api/v1/volunteers/"

    def make(self, federation):
        return Volunteer.objects.create(
            name="测试志愿者",
            phone="13912345678",
            federation=federation,
            registered_on=timezone.localdate(),
        )


class TestSignUpAdmin(ScopedAdminContract):
    admin_name = "volunteers_signup"

    def make(self, federation):
        return SignUp.objects.create(
            opportunity=opportunity_at(federation), volunteer=volunteer_in(federation)
        )

    def test_change_page_inside_opens(self, admin_client_as, places):
        inside = self.make(places.yingshijie)
        assert admin_client_as("huaiyin").get(self.change_url(inside)).status_code == 200


class TestVolunteerTeamAdmin(ScopedAdminContract):
    admin_name = "volunteers_volunteerteam"

    def make(self, federation):
        return VolunteerTeam.objects.create(
            federation=federation, name=f"服务队{VolunteerTeam.objects.count()}", kind="thematic"
        )


def test_lists_show_phone_numbers_masked(api_as, places):
    Volunteer.objects.create(
        name="王芳",
        phone="13912345678",
        federation=places.huaiyin,
        registered_on=timezone.localdate(),
    )
    listed = api_as("huaiyin").get("/api/v1/volunteers/", {"page_size": 200}).content.decode()
    assert "13912345678" not in listed and "139****5678" in listed


# Teams -------------------------------------------------------------------------------------


def test_a_village_gets_its_five_standard_teams_once(places, user_named):
    village = Federation.objects.get(division_code="370104006001")
    teams = services.village_teams_create(actor=user_named("huaiyin"), federation=village)
    again = services.village_teams_create(actor=user_named("huaiyin"), federation=village)
    assert len(teams) == 5 and {t.pk for t in teams} == {t.pk for t in again}
    assert {team.kind for team in teams} == {
        "publicity",
        "care_rights",
        "family",
        "beautiful_home",
        "entrepreneurship",
    }
    with pytest.raises(ServiceError):
        services.village_teams_create(actor=user_named("huaiyin"), federation=places.huaiyin)
    with pytest.raises(NotAllowed):
        services.village_teams_create(actor=user_named("dongying"), federation=village)


def test_leaving_a_team_keeps_the_history(places, user_named, me):
    huaiyin = user_named("huaiyin")
    team = VolunteerTeam.objects.create(federation=places.huaiyin, name="摄影队", kind="thematic")
    membership = services.team_join(actor=huaiyin, team=team, volunteer=me)
    with pytest.raises(InvalidTransition):
        services.team_join(actor=huaiyin, team=team, volunteer=me)
    services.team_leave(actor=huaiyin, membership=membership)
    services.team_join(actor=huaiyin, team=team, volunteer=me)
    assert TeamMembership.objects.filter(team=team, volunteer=me).count() == 2


def test_an_invalid_phone_is_refused(places, user_named):
    with pytest.raises(ServiceError) as error:
        services.volunteer_register(
            actor=user_named("huaiyin"), federation=places.huaiyin, name="张三", phone="1234"
        )
    assert "手机" in str(error.value.message)
    assert not Volunteer.objects.filter(name="张三").exists()


# Hours rankings ------------------------------------------------------------------------------


def test_hours_by_volunteer_team_and_federation(places, user_named):
    coordinator = user_named("jinan")
    opportunity = opportunity_at(places.jinan, places=3)
    here, there = volunteer_in(places.yingshijie, 1), volunteer_in(places.dongying, 2)
    Volunteer.objects.filter(pk=there.pk).update(federation=places.huaiyin)
    there.refresh_from_db()
    team = VolunteerTeam.objects.create(federation=places.huaiyin, name="队", kind="thematic")
    TeamMembership.objects.create(
        team=team, volunteer=here, joined_on=timezone.localdate() - timedelta(30)
    )
    signups = [
        (services.signup_create(actor=person.user, opportunity=opportunity), hours)
        for person, hours in ((here, 3), (there, 2))
    ]
    begun(opportunity)
    for signup, hours in signups:
        services.signup_attend(actor=coordinator, signup=signup, hours=hours)
    today = timezone.localdate()
    period = (today - timedelta(days=2), today + timedelta(days=2))
    ranking = list(services.hours_by_volunteer(places.jinan, *period))
    assert [(row["volunteer_id"], row["hours"]) for row in ranking] == [(here.pk, 3), (there.pk, 2)]
    assert [row["hours"] for row in services.hours_by_team(places.jinan, *period)] == [3]
    children = {
        row["federation"]: row["hours"]
        for row in services.hours_by_federation(places.jinan, *period)
    }
    assert children[places.huaiyin] == 5


# Import --------------------------------------------------------------------------------------


def import_csv(client, text):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "volunteers.csv"
    return client.post(
        "/admin/volunteers/volunteer/import/",
        {"import_file": upload, "format": "0", "resource": "0"},
    )


HEADER = "姓名,手机,身份证号,所属妇联,技能,曾受助,登记日期\n"


def test_volunteers_import_all_or_nothing_with_row_errors(admin_client_as, places):
    client = admin_client_as("huaiyin")
    good = "李娜,13964101234,,营市街街道妇联,摄影、写作,1,2025-03-08\n"
    bad = "王静,1234,,营市街街道妇联,,0,2025-03-08\n"
    response = import_csv(client, HEADER + good + bad)
    assert "手机" in response.content.decode()
    assert not Volunteer.objects.filter(name__in=["李娜", "王静"]).exists()
    preview = import_csv(client, HEADER + good)
    assert preview.status_code == 200 and not Volunteer.objects.filter(name="李娜").exists()
    form = preview.context["confirm_form"]
    client.post("/admin/volunteers/volunteer/process_import/", form.initial)
    imported = Volunteer.objects.get(name="李娜")
    assert imported.phone == "13964101234" and imported.skills == ["摄影", "写作"]
    assert imported.former_beneficiary and imported.phone_hash


def test_the_page_flow_for_a_volunteer(client, places, me, opportunity):
    client.force_login(me.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/").url == "/volunteer/"
    client.post(f"/volunteer/opportunities/{opportunity.pk}/sign-up/")
    signup = SignUp.objects.get(volunteer=me)
    assert signup.status == S.CONFIRMED
    client.post(f"/volunteers/signups/{signup.pk}/cancel/")
    signup.refresh_from_db()
    assert signup.status == S.CANCELLED
    assert User.objects.filter(pk=me.user_id).exists()


def test_the_whole_sign_up_through_the_api(api_as, places, me, opportunity, user_named):
    from rest_framework.test import APIClient

    mine = APIClient()
    mine.force_authenticate(me.user)
    url = f"/api/v1/opportunities/{opportunity.pk}/"
    assert mine.get(url).json()["places_taken"] == 0
    signed = mine.post(url + "sign-up/")
    assert signed.json()["status"] == "confirmed"
    assert mine.post(url + "sign-up/").status_code == 409
    assert mine.post(url + "cancel/").json()["status"] == "cancelled"
    signup_id = mine.post(url + "sign-up/").json()["id"]
    coordinator = api_as("huaiyin")
    begun(opportunity)
    assert (
        coordinator.post(
            f"/api/v1/signups/{signup_id}/attend/", {"hours": "9"}, format="json"
        ).status_code
        == 400
    )
    attended = coordinator.post(
        f"/api/v1/signups/{signup_id}/attend/", {"hours": "2"}, format="json"
    )
    assert attended.json()["hours"] == "2.0"
    assert coordinator.post(f"/api/v1/signups/{signup_id}/no-show/").status_code == 409
    assert mine.post(f"/api/v1/signups/{signup_id}/confirm/").status_code == 403


def test_the_export_masks_phone_numbers(admin_client_as, places):
    Volunteer.objects.create(
        name="王芳",
        phone="13912345678",
        federation=places.huaiyin,
        registered_on=timezone.localdate(),
    )
    fields = {f"volunteerresource_{field}": "on" for field in ("name", "phone", "federation")}
    response = admin_client_as("huaiyin").post(
        "/admin/volunteers/volunteer/export/", {"format": "0", "resource": "0", **fields}
    )
    text = response.content.decode("utf-8-sig")
    assert "139****5678" in text and "13912345678" not in text


def test_the_hours_and_teams_pages(admin_client_as, places):
    client = admin_client_as("jinan")
    assert client.get("/volunteers/hours/").status_code == 200
    village = Federation.objects.get(division_code="370104006001")
    client.post("/volunteers/teams/", {"federation": village.pk})
    assert VolunteerTeam.objects.filter(federation=village).count() == 5
    assert admin_client_as("dongying").get("/volunteers/hours/").status_code == 200
