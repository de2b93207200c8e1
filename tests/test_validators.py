"""Chinese identifiers: real-format examples, and property-based checks with hypothesis."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.validators import (
    CREDIT_CODE_ALPHABET,
    PROVINCE_PREFIXES,
    credit_code_check_char,
    resident_id_check_char,
    validate_credit_code,
    validate_division_code,
    validate_mobile,
    validate_resident_id,
)

REAL_CREDIT_CODES = ["9144030071526726XG", "91330100799655058B", "914403001922038216"]
REAL_RESIDENT_IDS = ["11010519491231002X", "440524188001010014"]  # GB 11643's own examples


def refused(validator, value) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        validator(value)
    return error.value


# Credit code (GB 32100-2015) --------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CREDIT_CODES)
def test_real_credit_codes_pass(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("9144030071526726X", "credit_code_format"),  # 17 characters
        ("9144030071526726XI", "credit_code_format"),  # I is not in the alphabet
        ("9100030071526726XG", "credit_code_division"),
        ("9144030071526726XH", "credit_code_check"),
        ("", "credit_code_format"),
    ],
)
def test_bad_credit_codes_fail_with_their_reason(code, why):
    assert refused(validate_credit_code, code).code == why


credit_codes = st.builds(
    lambda head, province, rest, body: head + province + rest + body,
    st.text(CREDIT_CODE_ALPHABET, min_size=2, max_size=2),
    st.sampled_from(sorted(PROVINCE_PREFIXES)),
    st.text("0123456789", min_size=4, max_size=4),
    st.text(CREDIT_CODE_ALPHABET, min_size=9, max_size=9),
).map(lambda first17: first17 + credit_code_check_char(first17))


@given(credit_codes)
def test_every_generated_credit_code_passes(code):
    validate_credit_code(code)


@given(credit_codes, st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET + "IOSVZ"))
def test_every_single_character_corruption_of_a_credit_code_fails(code, position, char):
    if code[position] == char:
        return
    corrupted = code[:position] + char + code[position + 1 :]
    with pytest.raises(ValidationError):
        validate_credit_code(corrupted)


# Resident ID (GB 11643) --------------------------------------------------------------


@pytest.mark.parametrize("number", REAL_RESIDENT_IDS)
def test_real_resident_ids_pass(number):
    validate_resident_id(number)


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("11010519491231002", "resident_id_format"),
        ("11010519491231002x", "resident_id_format"),  # lower-case x is not the standard form
        ("00010519491231002X", "resident_id_division"),
        ("110105194902300021", "resident_id_birth_date"),  # 30 February
        ("11010519491231002Y", "resident_id_format"),
        ("110105194912310021", "resident_id_check"),
    ],
)
def test_bad_resident_ids_fail_with_their_reason(number, why):
    assert refused(validate_resident_id, number).code == why


def test_a_birth_date_in_the_future_fails():
    tomorrow = date.today() + timedelta(days=1)
    first17 = f"110105{tomorrow:%Y%m%d}001"
    assert refused(validate_resident_id, first17 + resident_id_check_char(first17)).code == (
        "resident_id_birth_date"
    )


resident_ids = st.builds(
    lambda province, area, born, serial: f"{province}{area}{born:%Y%m%d}{serial}",
    st.sampled_from(sorted(PROVINCE_PREFIXES)),
    st.text("0123456789", min_size=4, max_size=4),
    st.dates(min_value=date(1900, 1, 1), max_value=date.today()),
    st.text("0123456789", min_size=3, max_size=3),
).map(lambda first17: first17 + resident_id_check_char(first17))


@given(resident_ids)
def test_every_generated_resident_id_passes(number):
    validate_resident_id(number)


@given(resident_ids, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_every_single_character_corruption_of_a_resident_id_fails(number, position, char):
    if number[position] == char:
        return
    corrupted = number[:position] + char + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate_resident_id(corrupted)


# Mobile numbers and division codes ---------------------------------------------------


@pytest.mark.parametrize("number", ["13812345678", "19912345678", "15000000000"])
def test_mainland_mobiles_pass(number):
    validate_mobile(number)


@pytest.mark.parametrize(
    "number", ["12812345678", "1381234567", "138123456789", "+8613812345678", "138-1234-5678"]
)
def test_malformed_mobiles_fail(number):
    refused(validate_mobile, number)


@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"), st.integers(0, 10), st.sampled_from("abcX-+ 0"))
def test_a_mobile_with_a_letter_or_a_leading_zero_fails(number, position, char):
    if char == "0" and position > 1:
        return  # any other digit in the body still makes a valid number
    corrupted = number[:position] + char + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate_mobile(corrupted)


def demo_division_codes() -> list[str]:
    import csv
    from pathlib import Path

    reference = Path(__file__).resolve().parents[2] / "shared" / "data" / "demo-divisions.csv"
    if not reference.exists():
        return ["370000", "370100", "370104", "370104006", "370104006001"]
    with reference.open(encoding="utf-8") as rows:
        return [row["code"] for row in csv.DictReader(rows)]


@pytest.mark.parametrize("code", demo_division_codes())
def test_official_division_codes_pass(code):
    validate_division_code(code)


@pytest.mark.parametrize("code", ["37010", "3701040", "0001040", "990000", "370004", "37010400a"])
def test_malformed_division_codes_fail(code):
    refused(validate_division_code, code)


def test_messages_are_translated_to_chinese():
    with translation.override("zh-hans"):
        message = refused(validate_resident_id, "110105194912310021").messages[0]
    assert "校验" in message
