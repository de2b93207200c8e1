"""Survivors' personal data (DESIGN.md §5): classified, encrypted at rest, found by keyed hash,
masked in lists, keys rotated, the access log append-only, closed cases anonymised."""

import os
import subprocess
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from cases.models import AccessLog, Case, Party
from cases.services import cases_anonymise, matching_cases
from cases.statistics import case_statistics
from core import personal_data as crypto
from tests.conftest import postgres_program, require_or_skip
from volunteers.models import Volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.demo("cases", "volunteers")]

CASE_TABLES = [model._meta.db_table for model in apps.get_app_config("cases").get_models()]


def all_case_text() -> str:
    """Every column of every case table, as the database holds it."""
    text = []
    with connection.cursor() as cursor:
        for table in CASE_TABLES:
            cursor.execute(f'SELECT * FROM "{table}"')
            text += [str(value) for row in cursor.fetchall() for value in row]
    return "\n".join(text)


def demo_secrets():
    parties = Party.objects.exclude(name="")
    return [
        value
        for party in parties
        for value in (party.name, party.phone, party.id_number, party.address)
        if value
    ]


@pytest.mark.parametrize("app", ["cases", "people"])
def test_every_field_of_the_personal_data_models_is_classified(app):
    for model in apps.get_app_config(app).get_models():
        names = {field.name for field in model._meta.get_fields() if field.concrete}
        # A history (django-pghistory) copies its model's fields, and so their classes.
        tracked = getattr(model, "pgh_tracked_model", None)
        if tracked is not None:
            names = {name for name in names if not name.startswith("pgh_")}
        unclassified = names - set(getattr(tracked or model, "DATA_CLASSES", {}))
        assert not unclassified, f"{model.__name__}: classify {sorted(unclassified)}"


def test_no_name_phone_or_id_number_is_stored_in_plaintext(demo):
    secrets = demo_secrets()
    assert len(secrets) > 30
    stored = all_case_text()
    for secret in secrets:
        assert secret not in stored
    assert "李晓梅" not in stored and "13905460123" not in stored


@pytest.mark.django_db(transaction=True)
def test_a_pg_dump_of_the_whole_database_holds_no_plaintext_of_any_case_party(demo):
    """The way an attacker with a backup would look: every table, history tables included."""
    pg_dump = postgres_program("pg_dump")
    require_or_skip(pg_dump is not None, "PostgreSQL's pg_dump is not installed")
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    command = [pg_dump, "--data-only", "--no-owner", "-U", db["USER"], "-d", db["NAME"]]
    command += ["-h", db["HOST"] or "localhost", "-p", str(db["PORT"] or 5432)]
    dump = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=True)
    assert "东营区希望心理咨询服务中心" in dump.stdout  # the dump is real and complete
    # A salutation such as 郑女士 is also a demo volunteer's public name: not a party's secret.
    volunteers = set(Volunteer.objects.values_list("name", flat=True))
    secrets = [secret for secret in demo_secrets() if secret not in volunteers]
    assert "李晓梅" in secrets and "13905460123" in secrets
    for secret in secrets:
        assert secret not in dump.stdout


def test_records_stay_readable_after_a_new_key_and_reencryption(demo, settings):
    before = {party.pk: (party.name, party.phone, party.id_number) for party in Party.objects.all()}
    old_key = settings.PERSONAL_DATA_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.PERSONAL_DATA_KEYS = [new_key, old_key]
    assert {p.pk: (p.name, p.phone, p.id_number) for p in Party.objects.all()} == before
    call_command("reencrypt_personal_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.PERSONAL_DATA_KEYS = [new_key]  # the old key is gone: everything still reads
    assert {p.pk: (p.name, p.phone, p.id_number) for p in Party.objects.all()} == before
    assert Case.objects.get(number__isnull=False, risk="crisis").summary.startswith("母亲住院")


def test_a_value_under_an_unknown_key_is_refused_loudly(demo, settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ImproperlyConfigured):
        list(Party.objects.exclude(name="").values_list("name", flat=True))


def test_a_caller_is_found_again_by_keyed_hash_only(demo, user_named):
    dongying = user_named("dongying")
    assert [case.risk for case in matching_cases(actor=dongying, phone="139-0546-0123")] == [
        "crisis"
    ]
    assert not matching_cases(actor=user_named("huaiyin"), phone="13905460123").exists()
    hashes = list(Party.objects.values_list("phone_hash", flat=True))
    assert crypto.phone_hash("13905460123") in hashes
    assert "13905460123" not in all_case_text()


@pytest.mark.parametrize(
    ("mask", "value", "masked"),
    [
        (crypto.mask_name, "李晓梅", "李**"),
        (crypto.mask_name, "张三", "张*"),
        (crypto.mask_phone, "13812341234", "138****1234"),
        (crypto.mask_id, "370502198803120245", "3705**********0245"),
        (crypto.mask_text, "东营区黄河路88号", "****"),
    ],
)
def test_masks(mask, value, masked):
    assert mask(value) == masked


@pytest.mark.django_db(transaction=True)
def test_the_access_log_refuses_update_and_delete(demo, user_named):
    entry = AccessLog.objects.create(
        case=Case.objects.first(), user=user_named("dongying"), via="page"
    )
    for statement in (
        "UPDATE cases_accesslog SET reason = 'edited' WHERE id = %s",
        "DELETE FROM cases_accesslog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AccessLog.objects.filter(pk=entry.pk, reason="").exists()


def test_closed_cases_past_retention_become_anonymous_archives_that_still_count(demo):
    federation = Case.objects.filter(channel="registry").first().federation
    period = (timezone.now() - timedelta(days=400), timezone.now())
    before = case_statistics(federation, *period)
    count = cases_anonymise(closed_before=timezone.now())
    assert count == Case.objects.filter(status="closed").count() > 0
    archived = Case.objects.filter(anonymised_at__isnull=False)
    assert not Party.objects.filter(case__in=archived).exclude(name="").exists()
    assert not Party.objects.filter(case__in=archived, age_band="").exists()
    assert case_statistics(federation, *period) == before
