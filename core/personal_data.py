"""Personal data at rest (DESIGN.md §5): survivors in cases, volunteers.

Values are encrypted with Fernet (AES-CBC with an HMAC: authenticated) under keys from the
environment, separate from SECRET_KEY. `PERSONAL_DATA_KEYS` lists them newest first: new
values are written under the first, values written under any listed key stay readable, and
`manage.py reencrypt_personal_data` rewrites everything under the newest. "Has this phone or ID number
been seen before" is answered by a keyed hash (HMAC-SHA256 under `PERSONAL_DATA_HASH_KEY`), never by a
plaintext column.
"""

import hashlib
import hmac
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def keyring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS is empty.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def current_keyring() -> MultiFernet:
    return keyring(tuple(settings.PERSONAL_DATA_KEYS))


def encrypt(value: str) -> str:
    return current_keyring().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return current_keyring().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A personal value cannot be decrypted: its key is missing from PERSONAL_DATA_KEYS."
        ) from error


class EncryptedTextField(models.TextField):
    """Text stored encrypted; Python sees plain text. Empty stays empty (nothing to hide)."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value


# Keyed hashes for lookups ------------------------------------------------------------------


def normalized_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits[-11:] if len(digits) > 11 and digits.startswith("86") else digits


def normalized_id(value: str) -> str:
    return (value or "").strip().upper()


def keyed_hash(kind: str, normalized: str) -> str:
    """HMAC of a normalized value; empty for an empty value (an absent number matches none)."""
    if not normalized:
        return ""
    message = f"{kind}:{normalized}".encode()
    return hmac.new(settings.PERSONAL_DATA_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()


def phone_hash(phone: str) -> str:
    return keyed_hash("phone", normalized_phone(phone))


def id_hash(id_number: str) -> str:
    return keyed_hash("id", normalized_id(id_number))


# Masking: what lists, exports and notifications show ------------------------------------


def mask_name(name: str) -> str:
    return f"{name[0]}{'*' * max(len(name) - 1, 1)}" if name else ""


def mask_phone(phone: str) -> str:
    digits = normalized_phone(phone)
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "*" * len(digits)


def mask_id(id_number: str) -> str:
    value = normalized_id(id_number)
    return (
        f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}" if len(value) > 8 else "*" * len(value)
    )


def mask_text(text: str) -> str:
    """Free text (addresses, notes) is never shown in part."""
    return "****" if text else ""


class MaskedContacts:
    """What lists and exports show of a model's `phone` and `id_number`."""

    @property
    def masked_phone(self):
        return mask_phone(self.phone) if self.phone else ""

    @property
    def masked_id_number(self):
        return mask_id(self.id_number) if self.id_number else ""
