"""Engine and session factory; the schema is brought up to date by Alembic on open."""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import nullcontext
from functools import partial
from pathlib import Path

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from storage import locks
from storage.bodies import BodyStore

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def default_url() -> str:
    """APERTURA_DB, else a SQLite file in the user's data directory (created by the first command that writes)."""
    if url := os.environ.get("APERTURA_DB"):
        return url
    return f"sqlite:///{Path(user_data_dir('apertura', appauthor=False)) / 'apertura.sqlite'}"


SUPPORTED = ("sqlite", "postgresql")
EXAMPLES = "sqlite:///ruta/apertura.sqlite o postgresql+psycopg://usuario@servidor/base"


def parse_url(url: str) -> URL:
    """The URL if Apertura can use it; otherwise DatabaseUnavailable saying what a valid one looks like."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(f"«{url}» no es una URL de base de datos; use, por ejemplo, {EXAMPLES}") from None
    if parsed.get_backend_name() not in SUPPORTED:
        raise DatabaseUnavailable(
            f"Apertura solo funciona con SQLite o PostgreSQL, no con «{parsed.get_backend_name()}» "
            f"({shown(parsed)}); use, por ejemplo, {EXAMPLES}"
        )
    if parsed.drivername == "postgresql":  # SQLAlchemy's default driver (psycopg2) is not installed: psycopg 3 is
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


class DatabaseUnavailable(Exception):
    """The database cannot be opened or migrated; the message (Spanish) names the URL (password hidden) and
    says what to do."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first: the next statement may already meet another's lock
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str | URL | None = None) -> Engine:
    # JSON as UTF-8, not \u escapes: Spanish text takes a third of the bytes.
    engine = create_engine(url or default_url(), json_serializer=partial(json.dumps, ensure_ascii=False))
    if engine.dialect.name == "sqlite":
        if (file := sqlite_file(engine.url)) is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database)
    return None


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def open_database(url: str | None = None, must_exist: bool = False) -> sessionmaker[Session]:
    """Engine for `url`, migrated to the latest schema, as a session factory.

    `must_exist`: commands that only read what earlier runs stored never create a database; a SQLite file
    that is not there (a mistyped path) is an error, not a new empty database.
    """
    parsed = parse_url(url or default_url())
    file = sqlite_file(parsed)
    if must_exist and file is not None and not file.is_file():
        raise DatabaseUnavailable(
            f"no existe la base de datos {file}; revise --db (o APERTURA_DB): los comandos que solo leen no "
            "crean una base nueva (la crea 'apertura recheck', 'apertura nightly' o 'apertura db upgrade')"
        )
    try:
        engine = make_engine(parsed)
        BodyStore.of(engine.url)  # a bad APERTURA_BODY_DISK_THRESHOLD fails here, not mid-crawl
        # Workers of a distributed night open a new database together: one migrates, the others wait.
        concurrent = engine.dialect.name == "postgresql"
        with locks.exclusive(engine, locks.MIGRATIONS, wait=True) if concurrent else nullcontext():
            upgrade(engine)
    except ValueError as error:  # the body threshold
        raise DatabaseUnavailable(str(error)) from error
    except (SQLAlchemyError, OSError) as error:
        raise DatabaseUnavailable(unavailable(parsed, error)) from error
    return sessionmaker(engine, expire_on_commit=False)


def unavailable(url: URL, error: Exception) -> str:
    """What went wrong opening the database at `url`, in one Spanish sentence that says what to do."""
    file = sqlite_file(url)
    original = getattr(error, "orig", None) or error
    if file is not None:
        if isinstance(original, sqlite3.DatabaseError) and not isinstance(original, sqlite3.OperationalError):
            return (
                f"el archivo {file} no es una base de datos SQLite válida (está dañado o es otro tipo de archivo): "
                "restáurelo de una copia de seguridad o indique otra base con --db"
            )
        if isinstance(original, sqlite3.OperationalError) and "locked" in str(original):
            return (
                f"la base de datos {file} está bloqueada por otro proceso; espere a que termine y vuelva a intentarlo"
            )
        return (
            f"no se puede abrir ni crear la base de datos {file}: compruebe que la carpeta existe y que tiene "
            "permiso de escritura, o indique otra con --db"
        )
    if isinstance(error, OperationalError):
        return (
            f"no se pudo conectar con la base de datos {shown(url)}: compruebe que el servidor PostgreSQL está "
            "en marcha y acepta conexiones, y que la URL (servidor, puerto, usuario, base) es correcta"
        )
    return f"no se pudo abrir la base de datos {shown(url)}: {type(error).__name__}; revise la URL y el servidor"
