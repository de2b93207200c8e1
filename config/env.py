"""Configuration read from the environment, in one place.

Every variable the project reads is named here and documented in the README.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_config(url: str = "") -> dict:
    """`url`, else DATABASE_URL when set, otherwise the embedded PostgreSQL in ./var/pgdata.

    Development and production always run the same engine: never SQLite.

    Connections come from a pool per process (psycopg_pool, through Django): a burst of
    parallel requests waits its turn for one of at most DB_POOL_MAX connections instead of
    opening one each until PostgreSQL refuses ("too many clients"). With a pool, Django
    requires CONN_MAX_AGE = 0; with CONN_HEALTH_CHECKS the pool checks a connection before
    lending it.
    """
    url = url or os.environ.get("DATABASE_URL") or embedded_database_url()
    config = dj_database_url.parse(url, conn_max_age=0, conn_health_checks=True)
    config["ENGINE"] = "django.db.backends.postgresql"
    # A socket directory given as ?host=… (pgserver's form) is the connection's host.
    options = config.setdefault("OPTIONS", {})
    config["HOST"] = options.pop("host", config["HOST"])
    options["pool"] = {
        "min_size": int(env_str("DB_POOL_MIN", "2")),
        "max_size": int(env_str("DB_POOL_MAX", "10")),
        # How long a request waits for a free connection before it fails (seconds).
        "timeout": float(env_str("DB_POOL_TIMEOUT", "30")),
    }
    return config


def embedded_database_url() -> str:
    """Start (or reuse) a real PostgreSQL server from the pgserver package."""
    # pgserver keeps its lock file in the runtime dir; give it one where none is set.
    runtime_dir = BASE_DIR / "var" / "run"
    runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    import pgserver  # imported lazily: production never needs it

    data_dir = Path(os.environ.get("EMBEDDED_PG_DIR", BASE_DIR / "var" / "pgdata"))
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None keeps the server running for the other processes
    # (runserver's reloader, the Celery worker) that share it.
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    return server.get_uri()
