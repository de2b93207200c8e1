"""A real streaming replica: started from the test database's server with `pg_basebackup -R` on a
port of its own, it serves the dashboard's reads while every write stays on the primary."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, connections, router
from django.db.models import F
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from core import db_router
from core.db_router import REPLICA, replica_reads
from projects.models import Project
from tests.conftest import postgres_program, require_or_skip

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.demo("projects")]

WRITES = ("INSERT", "UPDATE", "DELETE")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*command):
    """PostgreSQL's programs refuse to run as root: run them as the `postgres` user."""
    subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, command)],
        check=True,
        capture_output=True,
        timeout=300,
    )


def one(sql, using=connection):
    with using.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@pytest.fixture
def replica(monkeypatch):
    require_or_skip(
        os.geteuid() == 0 and shutil.which("runuser") is not None,
        "starting a PostgreSQL replica needs root (to run it as the postgres user)",
    )
    require_or_skip(
        one("select count(*) from pg_hba_file_rules where 'replication' = any(database)") > 0,
        "the test server does not let localhost replicate (.ci/run allows it)",
    )
    require_or_skip(
        postgres_program("pg_basebackup") is not None, "PostgreSQL's programs are not installed"
    )
    bindir = Path(postgres_program("pg_basebackup")).parent
    postgres = pwd.getpwnam("postgres")
    folder = Path(tempfile.mkdtemp(prefix="replica-"))
    os.chown(folder, postgres.pw_uid, postgres.pw_gid)
    data, port, primary = folder / "data", free_port(), connection.settings_dict
    as_postgres(
        bindir / "pg_basebackup",
        *("-h", primary["HOST"] or "127.0.0.1", "-p", primary["PORT"] or 5432),
        *("-U", primary["USER"], "-D", data, "-R", "-X", "stream", "-c", "fast"),
    )
    # Debian keeps a cluster's configuration outside its data directory: the replica gets its own.
    for name, text in {
        "postgresql.conf": f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{folder}'\nhot_standby = on\n",
        "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
    }.items():
        (data / name).write_text(text)
        os.chown(data / name, postgres.pw_uid, postgres.pw_gid)
    # A standby takes connections once it has a snapshot of the primary: while the other test
    # worker holds a transaction with many savepoints (more subtransactions than a snapshot
    # keeps), that waits for it to end — longer than pg_ctl's default minute in a full run.
    as_postgres(bindir / "pg_ctl", "-D", data, "-l", folder / "log", "-w", "-t", 240, "start")
    # The alias as DATABASE_REPLICA_URL would make it, made for this test only (a connection
    # made here is one Django's test case lets the test use).
    wrapper = load_backend(primary["ENGINE"]).DatabaseWrapper(
        {**primary, "HOST": "127.0.0.1", "PORT": str(port)}, REPLICA
    )
    connections[REPLICA] = wrapper
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    try:
        yield wrapper
    finally:
        wrapper.close()
        wrapper.close_pool()
        del connections[REPLICA]
        as_postgres(bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def caught_up(replica, timeout=30.0):
    """Waits until the replica has replayed everything the primary has written."""
    target = one("select pg_current_wal_lsn()")
    deadline = time.monotonic() + timeout
    while one(f"select pg_last_wal_replay_lsn() >= '{target}'::pg_lsn", replica) is not True:
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.1)


def test_the_dashboard_reads_from_a_real_replica(replica, api_as, places):
    assert one("select pg_is_in_recovery()", replica) is True  # a standby, read-only
    url = f"/api/v1/dashboard/?federation={places.jinan.pk}&from=2020-01-01&to={date.today()}"
    client = api_as("jinan")
    before = client.get(url).json()["projects"]["budget"]

    # A write on the primary, even inside replica_reads(): the router sends it to default.
    with replica_reads():
        Project.objects.filter(code="JN-2024-001").update(budget=F("budget") + 1234)
    caught_up(replica)

    with (
        CaptureQueriesContext(connection) as on_primary,
        CaptureQueriesContext(replica) as on_replica,
    ):
        figures = client.get(url).json()
    assert float(figures["projects"]["budget"]) == float(before) + 1234
    replica_sql = [query["sql"] for query in on_replica.captured_queries]
    primary_sql = [query["sql"] for query in on_primary.captured_queries]
    # the figures came from it: the roll-ups the primary's trigger updated, replayed
    assert any("dashboards_rollup" in sql for sql in replica_sql)
    assert not any("dashboards_rollup" in sql for sql in primary_sql)
    assert not any(sql.lstrip().upper().startswith(WRITES) for sql in replica_sql)


def test_the_router_never_writes_to_the_replica():
    with replica_reads():
        assert {router.db_for_write(model) for model in apps.get_models()} == {"default"}
