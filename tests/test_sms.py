"""Text messages through one interface: the console in development and tests, Tencent Cloud
SMS in production — its client tested against a local stand-in of the provider (issue 15)."""

import pytest

from notifications import sms
from tests.sms_standin import StandIn
from tests.test_security import production_env, run_in_production


@pytest.fixture
def standin():
    with StandIn() as running:
        yield running


def test_the_console_keeps_the_message_with_its_text(settings):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSender"
    sms.outbox.clear()
    sms.send_sms("13812345678", "login_code", "402913", "5")
    [message] = sms.outbox
    assert message.phone == "13812345678"
    assert "402913" in message.text() and "5" in message.text()


def test_tencent_sends_a_signed_request_and_returns_the_serial_number(standin):
    message = sms.TextMessage(phone="13812345678", template="login_code", params=("402913", "5"))
    serial = sms.TencentSender(standin.config()).send(message)
    assert serial.startswith("2028:")
    [request] = standin.received
    assert request["PhoneNumberSet"] == ["+8613812345678"]
    assert request["TemplateId"] == "1000001"
    assert request["TemplateParamSet"] == ["402913", "5"]
    assert request["SignName"] == "妇联平台"


def test_a_wrong_secret_key_is_the_providers_signature_failure(standin):
    sender = sms.TencentSender(standin.config(secret_key="not-the-key"))
    with pytest.raises(sms.SmsError) as refused:
        sender.send(sms.TextMessage("13812345678", "login_code", ("1", "5")))
    assert refused.value.code == "AuthFailure.SignatureFailure"
    assert standin.received == []


def test_an_unapproved_template_is_the_providers_template_error(standin):
    sender = sms.TencentSender(standin.config(templates={"login_code": "999"}))
    with pytest.raises(sms.SmsError) as refused:
        sender.send(sms.TextMessage("13812345678", "login_code", ("1", "5")))
    assert refused.value.code == "FailedOperation.TemplateIncorrectOrUnapproved"


def test_a_number_the_provider_refuses_is_an_error_though_the_call_succeeded(standin):
    with pytest.raises(sms.SmsError) as refused:
        sms.TencentSender(standin.config()).send(
            sms.TextMessage("13900000666", "notice", ("您有一项待办",))
        )
    assert refused.value.code == "FailedOperation.PhoneNumberInBlacklist"


def test_an_unreachable_provider_is_an_error_too(standin):
    sender = sms.TencentSender(standin.config(endpoint="127.0.0.1:9"))
    with pytest.raises(sms.SmsError):
        sender.send(sms.TextMessage("13812345678", "login_code", ("1", "5")))


@pytest.mark.django_db
def test_production_refuses_to_start_with_the_console_sender(production_settings_env):
    refused = run_in_production(
        {**production_settings_env, "SMS_BACKEND": "notifications.sms.ConsoleSender"},
        "import django; django.setup()",
    )
    assert refused.returncode != 0 and "SMS_BACKEND" in refused.stderr
    started = run_in_production(production_settings_env, "import django; django.setup()")
    assert started.returncode == 0, started.stderr


@pytest.fixture
def production_settings_env(db):
    from django.db import connection

    return production_env(connection.settings_dict)


@pytest.mark.django_db
def test_a_notice_that_asks_her_to_act_goes_by_text_message_where_she_agreed(
    django_capture_on_commit_callbacks,
):
    from accounts.models import User
    from notifications.services import notify

    sms.outbox.clear()
    agreed = User.objects.create(username="agreed", phone="13812345670", sms_notices=True)
    silent = User.objects.create(username="silent", phone="13812345671")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            user=agreed,
            key="order-requested:1",
            title="新订单：济南市女性社会组织联合会的汽车故障速解工坊",
        )
        notify(user=silent, key="order-requested:1", title="新订单：汽车故障速解工坊")
    [message] = sms.outbox
    assert message.phone == "13812345670" and message.template == "notice"
    assert len(message.params[0]) <= 20 and message.params[0].endswith("…")


@pytest.mark.django_db
def test_a_staff_number_must_be_a_mobile_number():
    from django.core.exceptions import ValidationError

    from accounts.models import User

    with pytest.raises(ValidationError):
        User(username="x", phone="12345").full_clean(exclude=["password"])
