"""Text messages through one interface (settings.SMS_BACKEND).

A message in China goes out on a template approved by the provider beforehand, with a few
parameters: the platform names its templates (SmsTemplate) and each provider's settings map
them to the provider's template ids. `ConsoleSender` (development and tests) keeps what it
would have sent in `outbox`, as Django's locmem mail backend does; `TencentSender` sends through
Tencent Cloud SMS with its maintained SDK. Production refuses to start with the console
(config/settings/production.py).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class SmsTemplate(models.TextChoices):
    """The approved texts; the provider fills in the parameters, in this order."""

    LOGIN_CODE = "login_code", _("Your sign-in code is {1}; it is valid for {2} minutes.")
    NOTICE = "notice", _("Women's federation platform: {1}. Please sign in to see it.")


@dataclass(frozen=True)
class TextMessage:
    phone: str
    template: str
    params: tuple[str, ...]

    def text(self) -> str:
        """The message as the recipient reads it (the console shows it)."""
        text = str(SmsTemplate(self.template).label)
        for number, value in enumerate(self.params, start=1):
            text = text.replace(f"{{{number}}}", value)
        return text


class SmsError(Exception):
    """The provider did not send the message; `code` is its own error code."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(f"{code}: {message}")
        self.code = code


outbox: list[TextMessage] = []


class ConsoleSender:
    """Development and tests: the message is logged and kept in `outbox`."""

    def send(self, message: TextMessage) -> str:
        outbox.append(message)
        logger.info("SMS to %s: %s", message.phone, message.text())
        return f"console-{len(outbox)}"


class TencentSender:
    """Tencent Cloud SMS (API 2021-01-11, SendSms) through tencentcloud-sdk-python.

    settings.SMS_TENCENT: secret_id, secret_key, app_id (SmsSdkAppId), sign_name, region,
    templates (ours → the provider's template id), and for the tests' stand-in, endpoint and
    scheme."""

    def __init__(self, config=None):
        self.config = config or settings.SMS_TENCENT

    def client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        http = HttpProfile(
            protocol=self.config.get("scheme", "https"),
            endpoint=self.config.get("endpoint", "sms.tencentcloudapi.com"),
            reqTimeout=10,
        )
        return sms_client.SmsClient(
            credential.Credential(self.config["secret_id"], self.config["secret_key"]),
            self.config.get("region", "ap-guangzhou"),
            ClientProfile(httpProfile=http),
        )

    def send(self, message: TextMessage) -> str:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models as sms

        request = sms.SendSmsRequest()
        request.PhoneNumberSet = [f"+86{message.phone}"]
        request.SmsSdkAppId = self.config["app_id"]
        request.SignName = self.config["sign_name"]
        request.TemplateId = self.config["templates"][message.template]
        request.TemplateParamSet = list(message.params)
        try:
            response = self.client().SendSms(request)
        except TencentCloudSDKException as error:
            raise SmsError(error.code or "ClientError", error.message) from error
        [status] = response.SendStatusSet
        if status.Code != "Ok":
            raise SmsError(status.Code, status.Message)
        return status.SerialNo


def sender():
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, template: str, *params: str) -> str:
    """Send one message now; raises SmsError when the provider refuses it."""
    return sender().send(TextMessage(phone=phone, template=template, params=params))
