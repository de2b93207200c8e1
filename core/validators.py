"""Validators for Chinese identifiers, shared by every app.

Each raises ValidationError with a translated message and a stable code.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# First two digits of GB/T 2260 codes that name a province-level division.
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)

# GB 32100-2015: the 31 characters of a unified social credit code (no I, O, S, V, Z).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(
    rf"^[{CREDIT_CODE_ALPHABET}]{{2}}\d{{6}}[{CREDIT_CODE_ALPHABET}]{{10}}$"
)

# GB 11643-1999: weights are 2^(17-i) mod 11; the check is ISO 7064 MOD 11-2.
RESIDENT_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
RESIDENT_ID_CHECKS = "10X98765432"
RESIDENT_ID_RE = re.compile(r"^\d{17}[\dX]$")

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
DIVISION_CODE_RE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")


def credit_code_check_char(first17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Unified social credit code (统一社会信用代码), GB 32100-2015."""
    if not isinstance(value, str) or not CREDIT_CODE_RE.match(value):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters: digits and capital letters "
                "other than I, O, S, V and Z."
            ),
            code="credit_code_format",
        )
    if value[2:4] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("Characters 3 to 8 of a unified social credit code must be a division code."),
            code="credit_code_division",
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong; "
                "please check the code for a typing error."
            ),
            code="credit_code_check",
        )


def resident_id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECKS[total % 11]


def resident_id_birth_date(value: str) -> date | None:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_resident_id(value: str) -> None:
    """18-digit resident identity number (居民身份证号码), GB 11643-1999."""
    if not isinstance(value, str) or not RESIDENT_ID_RE.match(value):
        raise ValidationError(
            _("A resident ID number has 17 digits followed by a digit or X."),
            code="resident_id_format",
        )
    if value[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("A resident ID number starts with the code of a province."),
            code="resident_id_division",
        )
    birth = resident_id_birth_date(value)
    if birth is None or birth.year < 1850 or birth > date.today():  # noqa: DTZ011
        raise ValidationError(
            _("The birth date in this resident ID number is not a valid date."),
            code="resident_id_birth_date",
        )
    if resident_id_check_char(value[:17]) != value[17]:
        raise ValidationError(
            _(
                "The check digit of this resident ID number is wrong; "
                "please check the number for a typing error."
            ),
            code="resident_id_check",
        )


def validate_mobile(value: str) -> None:
    """Mainland China mobile number: 11 digits starting with 13–19."""
    if not isinstance(value, str) or not MOBILE_RE.match(value):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits starting with 1, e.g. 13812345678."),
            code="mobile_format",
        )


def division_code_level(value: str) -> str:
    """The level a well-formed division code names (province … village)."""
    if len(value) == 12:
        return "village"
    if len(value) == 9:
        return "township"
    if value.endswith("0000"):
        return "province"
    if value.endswith("00"):
        return "city"
    return "county"


def validate_division_code(value: str) -> None:
    """GB/T 2260 division code (6 digits) or statistical code (9 or 12 digits)."""
    if not isinstance(value, str) or not DIVISION_CODE_RE.match(value):
        raise ValidationError(
            _(
                "A division code has 6 digits (province, city, county), "
                "9 digits (township) or 12 digits (village)."
            ),
            code="division_code_format",
        )
    if value[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(
            _("A division code starts with the code of a province."),
            code="division_code_province",
        )
    if len(value) == 6 and value[2:4] == "00" and value[4:] != "00":
        raise ValidationError(
            _("This division code names a county without a city."),
            code="division_code_structure",
        )
