"""Configuration from the environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import env

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("url", "host", "name"),
    [
        ("postgres://postgres@127.0.0.1:5432/womenfed", "127.0.0.1", "womenfed"),
        ("postgresql://postgres:@/postgres?host=/srv/pg", "/srv/pg", "postgres"),
    ],
)
def test_database_url_forms(monkeypatch, url, host, name):
    monkeypatch.setenv("DATABASE_URL", url)
    config = env.database_config()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["NAME"]) == (host, name)
    assert "host" not in config["OPTIONS"]


EMBEDDED_PROBE = """
import os, psycopg, pgserver
from config.env import database_config
config = database_config()
with psycopg.connect(host=config["HOST"], dbname=config["NAME"], user=config["USER"]) as conn:
    print(conn.execute("select version()").fetchone()[0])
# The app keeps the server running for the processes that share it; the probe stops it.
server = pgserver.get_server(os.environ["EMBEDDED_PG_DIR"])
server.cleanup_mode = "stop"
server.cleanup()
"""


def test_without_database_url_the_embedded_postgresql_is_used(tmp_path):
    """A real PostgreSQL server starts from the data folder; nothing else is needed."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["EMBEDDED_PG_DIR"] = str(tmp_path / "pgdata")
    result = subprocess.run(
        [sys.executable, "-c", EMBEDDED_PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PostgreSQL")
    assert (tmp_path / "pgdata" / "PG_VERSION").exists()


def test_the_suite_runs_on_postgresql(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
