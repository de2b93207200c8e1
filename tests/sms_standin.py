"""A local stand-in for Tencent Cloud SMS (API 2021-01-11, SendSms), as its documentation
describes the exchange: a JSON POST signed with TC3-HMAC-SHA256, answered with
`{"Response": {"SendStatusSet": [...], "RequestId": ...}}` or `{"Response": {"Error": {...}}}`.

It checks the signature with the secret key as the service would, so a client that signs
wrongly is refused exactly as it would be. Numbers in BLACKLISTED get the provider's per-number
refusal; a TemplateId not in TEMPLATES gets its template error."""

import hashlib
import hmac
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET_ID = "AKIDstandin0000000000000000000000000"
SECRET_KEY = "standin-secret-key-0000000000000000"
APP_ID = "1400000001"
SIGN_NAME = "妇联平台"
TEMPLATES = {"1000001", "1000002"}
BLACKLISTED = {"+8613900000666"}


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hmac_sha256(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def expected_signature(headers, body: bytes, date: str, service: str, signed: str) -> str:
    canonical_headers = "".join(
        f"{name}:{headers[name].strip().lower()}\n" for name in signed.split(";")
    )
    canonical = f"POST\n/\n\n{canonical_headers}\n{signed}\n{sha256_hex(body)}"
    scope = f"{date}/{service}/tc3_request"
    to_sign = (
        f"TC3-HMAC-SHA256\n{headers['X-TC-Timestamp']}\n{scope}\n{sha256_hex(canonical.encode())}"
    )
    key = hmac_sha256(("TC3" + SECRET_KEY).encode(), date)
    key = hmac_sha256(hmac_sha256(key, service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def error(code: str, message: str) -> dict:
    return {
        "Response": {"Error": {"Code": code, "Message": message}, "RequestId": str(uuid.uuid4())}
    }


class Handler(BaseHTTPRequestHandler):
    received: list[dict] = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.answer(self.respond(body))

    def respond(self, body: bytes) -> dict:
        authorization = self.headers.get("Authorization", "")
        parts = dict(
            part.strip().split("=", 1)
            for part in authorization.removeprefix("TC3-HMAC-SHA256 ").split(",")
            if "=" in part
        )
        credential = parts.get("Credential", "").split("/")
        if len(credential) != 4 or credential[0] != SECRET_ID:
            return error("AuthFailure.SecretIdNotFound", "The SecretId is not found.")
        if parts.get("Signature") != expected_signature(
            self.headers, body, credential[1], credential[2], parts.get("SignedHeaders", "")
        ):
            return error(
                "AuthFailure.SignatureFailure", "The provided credentials could not be validated."
            )
        if (
            self.headers.get("X-TC-Action") != "SendSms"
            or self.headers.get("X-TC-Version") != "2021-01-11"
        ):
            return error("InvalidAction", "The action is not supported.")
        request = json.loads(body)
        Handler.received.append(request)
        if request.get("SmsSdkAppId") != APP_ID:
            return error("FailedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId verify fail.")
        if request.get("TemplateId") not in TEMPLATES:
            return error(
                "FailedOperation.TemplateIncorrectOrUnapproved",
                "Template is not approved or not exist.",
            )
        return {
            "Response": {
                "SendStatusSet": [self.status(number) for number in request["PhoneNumberSet"]],
                "RequestId": str(uuid.uuid4()),
            }
        }

    @staticmethod
    def status(number: str) -> dict:
        refused = number in BLACKLISTED
        return {
            "SerialNo": "" if refused else f"2028:{uuid.uuid4().hex[:20]}",
            "PhoneNumber": number,
            "Fee": 0 if refused else 1,
            "SessionContext": "",
            "Code": "FailedOperation.PhoneNumberInBlacklist" if refused else "Ok",
            "Message": "phone number in blacklist" if refused else "send success",
            "IsoCode": "CN",
        }

    def answer(self, payload: dict):
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class StandIn:
    """The stand-in on a free local port, for the length of a `with` block."""

    def __enter__(self):
        Handler.received = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.endpoint = f"127.0.0.1:{self.server.server_address[1]}"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def received(self) -> list[dict]:
        return Handler.received

    def config(self, **changes) -> dict:
        return {
            "secret_id": SECRET_ID,
            "secret_key": SECRET_KEY,
            "app_id": APP_ID,
            "sign_name": SIGN_NAME,
            "region": "ap-guangzhou",
            "endpoint": self.endpoint,
            "scheme": "http",
            "templates": {"login_code": "1000001", "notice": "1000002"},
            **changes,
        }
