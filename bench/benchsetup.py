"""Django for a benchmark script: a scratch data folder, a throw-away SQLite file unless
MATCHWERK_DATABASE_URL names a database (a PostgreSQL one is created if it is missing, as
in the throw-away cluster of scripts/with-postgres.sh), the production settings."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def ensure_postgres_database(url: str) -> None:
    """The throw-away cluster of scripts/with-postgres.sh has no database yet: create it."""
    if not url.startswith("postgres"):
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    params = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"],
              "password": config["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**params) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


def django_setup() -> None:
    """Point Matchwerk at a scratch data folder and database and set Django up."""
    scratch = tempfile.mkdtemp(prefix="matchwerk-bench-")
    os.environ.setdefault("MATCHWERK_DATA_DIR", scratch)
    if not os.environ.get("MATCHWERK_DATABASE_URL"):
        os.environ["MATCHWERK_DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchwerk.settings")
    ensure_postgres_database(os.environ["MATCHWERK_DATABASE_URL"])
    import django

    django.setup()
