"""The public's way in: a phone number and a six-digit code (issue 15).

The code flow refuses reuse, expiry, wrong codes past the cap and numbers that are not mobile
numbers; it is limited per number and per address; no answer tells whether a number has an
account."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts import phone as codes
from accounts.models import PhoneCode, User
from core.errors import ServiceError, TooManyRequests
from notifications import sms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commits_at_once")]

NUMBER = "13812345678"


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()


def last_code(number=NUMBER) -> str:
    [message] = [m for m in sms.outbox if m.phone == number][-1:]
    return message.params[0]


def sent_code(number=NUMBER) -> str:
    codes.phone_code_send(phone=number)
    return last_code(number)


def test_the_right_code_creates_her_public_account_once():
    user = codes.phone_code_verify(phone=NUMBER, code=sent_code())
    assert user.is_public and not user.is_staff and not user.has_usable_password()
    assert user.phone == NUMBER
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        again = codes.phone_code_verify(phone="+86 138-1234-5678", code=sent_code())
    assert again == user and User.objects.filter(is_public=True).count() == 1


def test_only_hashes_are_stored():
    code = sent_code()
    stored = PhoneCode.objects.get()
    assert NUMBER not in stored.phone_hash and code not in stored.code_hash


def test_a_code_is_used_once():
    code = sent_code()
    codes.phone_code_verify(phone=NUMBER, code=code)
    with pytest.raises(ServiceError):
        codes.phone_code_verify(phone=NUMBER, code=code)


def test_an_expired_code_is_refused():
    code = sent_code()
    expired = timezone.now() + timedelta(minutes=codes.CODE_MINUTES, seconds=1)
    with time_machine.travel(expired), pytest.raises(ServiceError):
        codes.phone_code_verify(phone=NUMBER, code=code)
    assert not User.objects.filter(is_public=True).exists()


def test_past_the_cap_even_the_right_code_is_refused():
    code = sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _attempt in range(codes.MAX_WRONG):
        with pytest.raises(ServiceError):
            codes.phone_code_verify(phone=NUMBER, code=wrong)
    with pytest.raises(ServiceError):
        codes.phone_code_verify(phone=NUMBER, code=code)
    assert not User.objects.filter(is_public=True).exists()


def test_many_wrong_codes_lock_the_number_for_an_hour():
    started = timezone.now()
    for minute in range(codes.LOCKOUT_WRONG // codes.MAX_WRONG):
        with time_machine.travel(started + timedelta(minutes=2 * minute)):
            code = sent_code()
            for _attempt in range(codes.MAX_WRONG):
                with pytest.raises(ServiceError):
                    codes.phone_code_verify(phone=NUMBER, code=f"{(int(code) + 1) % 10**6:06d}")
    with time_machine.travel(started + timedelta(minutes=10)), pytest.raises(TooManyRequests):
        codes.phone_code_send(phone=NUMBER)
    with time_machine.travel(started + timedelta(minutes=75)):
        codes.phone_code_verify(phone=NUMBER, code=sent_code())


@pytest.mark.parametrize("number", ["12812345678", "1381234567", "138123456789", "abc", ""])
def test_a_number_that_is_not_a_mobile_number_is_refused(number):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        codes.phone_code_send(phone=number)
    assert sms.outbox == [] and not PhoneCode.objects.exists()


def test_a_new_code_waits_a_minute_and_five_an_hour_at_most():
    started = timezone.now()
    sent_code()
    with pytest.raises(TooManyRequests):
        codes.phone_code_send(phone=NUMBER)
    for minute in range(1, codes.CODES_PER_HOUR):
        with time_machine.travel(started + timedelta(minutes=2 * minute)):
            sent_code()
    with time_machine.travel(started + timedelta(minutes=30)), pytest.raises(TooManyRequests):
        codes.phone_code_send(phone=NUMBER)
    assert PhoneCode.objects.count() == codes.CODES_PER_HOUR


# The pages ----------------------------------------------------------------------------------


def sign_in_page(client, number):
    return client.post("/m/sign-in/", {"phone": number, "next": "/m/needs/"})


def test_the_pages_sign_her_in_and_back_to_where_she_was(client):
    response = sign_in_page(client, NUMBER)
    assert response.status_code == 302 and response["Location"].startswith("/m/sign-in/code/")
    response = client.post(response["Location"], {"code": last_code()})
    assert response.status_code == 302 and response["Location"] == "/m/needs/"
    assert client.get("/m/needs/").status_code == 200


def test_the_page_does_not_tell_whether_a_number_has_an_account(client):
    known = User.objects.create(username="known", is_public=True, phone="13900001111")
    known.phone_hash = codes.phone_hash("13900001111")
    known.save()
    pages = []
    for number in ("13900001111", "13900002222"):
        client.cookies.clear()
        response = sign_in_page(client, number)
        code_page = client.get(response["Location"]).content.decode()
        code_page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", code_page)
        pages.append((response.status_code, re.sub(r"139\*{4}\d{4}", "N", code_page)))
    assert pages[0] == pages[1]


def test_a_wrong_code_keeps_her_on_the_page_with_a_message(client):
    response = sign_in_page(client, NUMBER)
    page = client.post(
        response["Location"], {"code": "000000" if last_code() != "000000" else "111111"}
    )
    assert page.status_code == 400
    assert "验证码" in page.content.decode()


def test_staff_accounts_are_not_signed_in_by_a_code(client, django_user_model):
    staff = django_user_model.objects.create_user("staff-with-phone", password="x", is_staff=True)
    response = sign_in_page(client, NUMBER)
    client.post(response["Location"], {"code": last_code()})
    public = User.objects.get(is_public=True)
    assert public != staff and not public.is_staff


def test_public_accounts_cannot_be_staff():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create(username="both", is_public=True, is_staff=True)


def test_the_sign_in_is_limited_per_address_with_a_translated_429(client):
    statuses = []
    for n in range(12):
        statuses.append(sign_in_page(client, f"1390000{n:04d}").status_code)
    assert statuses[:10] == [302] * 10
    assert statuses[10:] == [429, 429]
    refused = sign_in_page(client, "13900009999")
    assert "请稍候再试" in refused.content.decode() or "太频繁" in refused.content.decode()
    assert PhoneCode.objects.count() == 10
