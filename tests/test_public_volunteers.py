"""志愿者注册 to the hours certificate (issue 15): a woman registers on her phone, a coordinator
approves her, she signs up, checks in and out by the activity's rotating QR code, the
coordinator confirms the proposed hours in one step, and her certificate's QR code opens a
public check page that shows only her masked name, the hours and the issuing federation."""

import io
import re
import subprocess
from datetime import timedelta
from decimal import Decimal

import pypdf
import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from core.errors import InvalidTransition, NotAllowed, ServiceError
from federation.models import Federation
from notifications import sms
from tests.test_public_needs import public_user
from tests.test_security import database_url
from volunteers import services
from volunteers.models import Opportunity, SignUp, TeamMembership, Volunteer, VolunteerTeam
from volunteers.tasks import remind_signups

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_at_once")]

ID_NUMBER = "11010519491231002X"  # GB 11643's own example


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()


@pytest.fixture
def community(places):
    return Federation.objects.get(division_code="370104006001")


@pytest.fixture
def woman(demo):
    return public_user("13812340001")


def applied(woman, place, **changes):
    fields = {
        "name": "王小芳",
        "id_number": ID_NUMBER,
        "skills": ["摄影"],
        "availability": "weekends",
        "consent": True,
        **changes,
    }
    return services.volunteer_apply(actor=woman, federation=place, **fields)


@pytest.fixture
def volunteer(woman, community, user_named):
    return services.volunteer_approve(
        actor=user_named("huaiyin"), volunteer=applied(woman, community)
    )


def opportunity_at(federation, starts_in=timedelta(days=2), hours=3):
    start = timezone.now() + starts_in
    return Opportunity.objects.create(
        federation=federation,
        title="社区反诈宣传",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        place="营市街社区广场",
        places=5,
    )


# Registering and approval --------------------------------------------------------------


def test_she_registers_and_waits_for_approval(woman, community):
    registered = applied(woman, community)
    assert registered.status == "pending" and registered.user == woman
    assert registered.phone == woman.phone and registered.consented_at is not None
    with pytest.raises(InvalidTransition):
        applied(woman, community)


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"id_number": "110105194912310021"}, ServiceError),  # a wrong check digit
        ({"consent": False}, ServiceError),
        ({"name": " "}, ServiceError),
    ],
)
def test_bad_registrations_are_refused_and_store_nothing(woman, community, changes, refusal):
    with pytest.raises(refusal):
        applied(woman, community, **changes)
    assert not Volunteer.objects.filter(user=woman).exists()


def test_staff_do_not_register_here(community, user_named):
    with pytest.raises(NotAllowed):
        applied(user_named("huaiyin"), community)


def test_a_coordinator_approves_her_into_the_team_she_chose(woman, community, user_named):
    team = VolunteerTeam.objects.create(
        federation=community, name="营市街社区宣传教育队", kind="publicity"
    )
    registered = applied(woman, community, team=team)
    with pytest.raises(NotAllowed):
        services.volunteer_approve(actor=user_named("dongying"), volunteer=registered)
    approved = services.volunteer_approve(actor=user_named("huaiyin"), volunteer=registered)
    assert approved.status == "active"
    assert TeamMembership.objects.filter(team=team, volunteer=approved).exists()
    assert any("志愿者" in message.text() for message in sms.outbox)


def test_a_rejection_needs_a_reason_and_tells_her(woman, community, user_named):
    registered = applied(woman, community)
    with pytest.raises(ServiceError):
        services.volunteer_reject(actor=user_named("huaiyin"), volunteer=registered, reason="")
    services.volunteer_reject(actor=user_named("huaiyin"), volunteer=registered, reason="年龄不符")
    assert Volunteer.objects.get(pk=registered.pk).status == "rejected"
    assert "年龄不符" in sms.outbox[-1].text()


def test_a_volunteer_the_coordinator_entered_is_found_by_her_number(woman, community, places):
    entered = Volunteer.objects.create(
        federation=places.huaiyin,
        name="王小芳",
        phone=woman.phone,
        phone_hash=woman.phone_hash,
        registered_on=timezone.localdate(),
    )
    registered = applied(woman, community)
    assert registered.pk == entered.pk and registered.status == "active"


def test_a_volunteer_awaiting_approval_cannot_sign_up(woman, community):
    applied(woman, community)
    with pytest.raises(NotAllowed):
        services.signup_create(actor=woman, opportunity=opportunity_at(community))


# The QR code at the venue ----------------------------------------------------------------


@pytest.fixture
def signed_up(volunteer, woman, community):
    opportunity = opportunity_at(community)
    return services.signup_create(actor=woman, opportunity=opportunity)


def test_in_and_out_by_the_code_propose_her_hours_and_one_step_confirms_them(
    signed_up, woman, user_named
):
    opportunity = signed_up.opportunity
    start = opportunity.starts_at
    with time_machine.travel(start - timedelta(hours=2)):
        token = services.check_in_token(opportunity)
        with pytest.raises(ServiceError):
            services.signup_scan(actor=woman, token=token)  # too early
    with time_machine.travel(start - timedelta(minutes=10)):
        token = services.check_in_token(opportunity)
        assert services.signup_scan(actor=woman, token=token).checked_in_at is not None
    with time_machine.travel(start + timedelta(hours=2, minutes=40)):
        token = services.check_in_token(opportunity)
        scanned = services.signup_scan(actor=woman, token=token)
        assert scanned.proposed_hours == Decimal("2.5")  # from the start, in half hours
        with pytest.raises(InvalidTransition):
            services.signup_scan(actor=woman, token=token)
        assert (
            services.hours_confirm_proposed(actor=user_named("huaiyin"), opportunity=opportunity)
            == 1
        )
    signup = SignUp.objects.get(pk=signed_up.pk)
    assert signup.status == "attended" and signup.hours == Decimal("2.5")


def test_an_old_or_forged_code_is_refused(signed_up, woman):
    opportunity = signed_up.opportunity
    with time_machine.travel(opportunity.starts_at - timedelta(minutes=20)):
        token = services.check_in_token(opportunity)
    with time_machine.travel(opportunity.starts_at), pytest.raises(ServiceError):
        services.signup_scan(actor=woman, token=token)  # four minutes is the most a code lives
    with pytest.raises(ServiceError):
        services.signup_scan(actor=woman, token=f"{opportunity.pk}:forged:code")


def test_without_a_place_the_scan_is_refused(volunteer, community):
    opportunity = opportunity_at(community, starts_in=timedelta(minutes=5))
    stranger = public_user("13900000021")
    with pytest.raises(NotAllowed):
        services.signup_scan(actor=stranger, token=services.check_in_token(opportunity))


def test_a_walk_in_is_added_and_checked_in_on_site(community, user_named, places):
    opportunity = opportunity_at(community, starts_in=timedelta(minutes=5))
    signup = services.signup_walk_in(
        actor=user_named("huaiyin"), opportunity=opportunity, name="李阿姨", phone="13900000031"
    )
    assert signup.status == "confirmed" and signup.checked_in_at is not None
    assert signup.volunteer.phone == "13900000031"
    with pytest.raises(NotAllowed):
        services.signup_walk_in(
            actor=user_named("dongying"),
            opportunity=opportunity,
            name="李阿姨",
            phone="13900000031",
        )


def test_the_day_before_she_is_reminded_once(signed_up, woman):
    day_before = timezone.localdate(signed_up.opportunity.starts_at) - timedelta(days=1)
    assert remind_signups(day_before.isoformat()) == 1
    assert remind_signups(day_before.isoformat()) == 0
    assert "明天" in sms.outbox[-1].text()


# Her record, the certificate and its check -------------------------------------------------


@pytest.fixture
def served(signed_up, user_named):
    Opportunity.objects.filter(pk=signed_up.opportunity_id).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now()
    )
    signup = SignUp.objects.get(pk=signed_up.pk)
    return services.signup_attend(actor=user_named("huaiyin"), signup=signup, hours=3)


def test_the_certificate_embeds_its_font_and_its_check_shows_only_the_masked_name(
    client, woman, served
):
    client.force_login(woman, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/m/volunteer/certificate/")
    assert response["Content-Type"] == "application/pdf"
    document = pypdf.PdfReader(io.BytesIO(response.content))
    text = document.pages[0].extract_text().replace(" ", "").replace("\x00", "")
    assert "王小芳" in text and "3.0" in text and "营市街社区妇联" in text
    fonts = document.pages[0]["/Resources"]["/Font"].values()
    descendants = [font.get_object()["/DescendantFonts"][0].get_object() for font in fonts]
    assert all(
        "/FontFile3" in d["/FontDescriptor"] or "/FontFile2" in d["/FontDescriptor"]
        for d in descendants
    )
    [code] = re.findall(r"/v/([^/]+)/", text.replace("\n", ""))  # the URL the QR code holds
    page = client.get(f"/v/{code}/").content.decode()
    assert "王**" in page and "3.0" in page and "营市街社区妇联" in page and "王小芳" not in page


def test_a_forged_certificate_code_is_not_found(client):
    assert client.get("/v/not-a-code/").status_code == 404


def test_her_page_lists_only_her_sign_ups(client, woman, signed_up, community, user_named):
    other = public_user("13900000041")
    services.volunteer_approve(
        actor=user_named("huaiyin"), volunteer=applied(other, community, name="赵某")
    )
    elsewhere = opportunity_at(community)
    elsewhere.title = "另一场活动"
    elsewhere.save()
    hers_not = services.signup_create(actor=other, opportunity=elsewhere)
    client.force_login(woman, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/m/volunteer/").content.decode()
    assert 'id="my-signups"' in page and signed_up.opportunity.title in page
    assert "赵某" not in page
    assert client.post(f"/m/volunteer/signups/{hers_not.pk}/cancel/").status_code == 404
    assert SignUp.objects.get(pk=hers_not.pk).status == "confirmed"


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_plaintext_id_number(woman, community):
    applied(woman, community)
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--table=volunteers_volunteer",
            database_url(connection.settings_dict),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "volunteers_volunteer" in dump and ID_NUMBER not in dump and woman.phone not in dump


# The same through the API (/api/v1/public/) ---------------------------------------------------


def public_api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_registers_her_signs_her_up_and_checks_her_in(woman, community, user_named):
    client = public_api(woman)
    assert client.get("/api/v1/public/volunteer/").status_code == 404
    body = {
        "place": community.pk,
        "name": "王小芳",
        "id_number": ID_NUMBER,
        "skills": ["摄影"],
        "availability": "weekends",
        "consent": True,
    }
    created = client.post("/api/v1/public/volunteer/", body, format="json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert "id_number" not in created.json()
    services.volunteer_approve(
        actor=user_named("huaiyin"), volunteer=Volunteer.objects.get(user=woman)
    )
    opportunity = opportunity_at(community, starts_in=timedelta(minutes=10))
    listed = [row["id"] for row in client.get("/api/v1/public/opportunities/").json()["results"]]
    assert opportunity.pk in listed
    signed = client.post(f"/api/v1/public/opportunities/{opportunity.pk}/sign-up/")
    assert signed.status_code == 201 and signed.json()["status"] == "confirmed"
    token = services.check_in_token(opportunity)
    checked = client.post("/api/v1/public/signups/check/", {"token": token}, format="json")
    assert checked.status_code == 200 and checked.json()["checked_in_at"]
    assert (
        client.post("/api/v1/public/signups/check/", {"token": "x:y:z"}, format="json").status_code
        == 400
    )


def test_the_api_shows_her_only_her_sign_ups(woman, signed_up, community, user_named):
    other = public_user("13900000051")
    services.volunteer_approve(actor=user_named("huaiyin"), volunteer=applied(other, community))
    theirs = services.signup_create(actor=other, opportunity=opportunity_at(community))
    client = public_api(woman)
    assert [row["id"] for row in client.get("/api/v1/public/signups/").json()["results"]] == [
        signed_up.pk
    ]
    assert client.post(f"/api/v1/public/signups/{theirs.pk}/cancel/").status_code == 404
