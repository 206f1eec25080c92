"""Engine and session factory; the schema is brought up to date by Alembic on open."""

from __future__ import annotations

import json
import os
from contextlib import nullcontext
from functools import partial
from pathlib import Path

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage import locks
from storage.bodies import BodyStore

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def default_url() -> str:
    """APERTURA_DB, else a SQLite file in the user's data directory."""
    if url := os.environ.get("APERTURA_DB"):
        return url
    directory = Path(user_data_dir("apertura", appauthor=False))
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'apertura.sqlite'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    # JSON as UTF-8, not \u escapes: Spanish text takes a third of the bytes.
    engine = create_engine(url or default_url(), json_serializer=partial(json.dumps, ensure_ascii=False))
    if engine.dialect.name == "sqlite":
        if engine.url.database and engine.url.database != ":memory:":
            Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


class DatabaseUnavailable(Exception):
    """The database cannot be opened or migrated; the message names the URL (password hidden)."""


def open_database(url: str | None = None) -> sessionmaker[Session]:
    """Engine for `url`, migrated to the latest schema, as a session factory."""
    try:
        engine = make_engine(url)
        BodyStore.of(engine.url)  # a bad APERTURA_BODY_DISK_THRESHOLD fails here, not mid-crawl
        # Workers of a distributed night open a new database together: one migrates, the others wait.
        concurrent = engine.dialect.name == "postgresql"
        with locks.exclusive(engine, locks.MIGRATIONS, wait=True) if concurrent else nullcontext():
            upgrade(engine)
    except (SQLAlchemyError, OSError, ArgumentError, ValueError) as error:
        shown = make_url(url or default_url()).render_as_string(hide_password=True) if url else default_url()
        raise DatabaseUnavailable(f"no se pudo abrir la base de datos {shown}: {error}") from error
    return sessionmaker(engine, expire_on_commit=False)
