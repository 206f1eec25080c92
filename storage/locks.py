"""A lock that keeps two nightly runs from overlapping, on the database they share.

PostgreSQL: a session-level advisory lock (works across machines). SQLite: an exclusive `flock` on a
file beside the database (the database file is local by definition).
"""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text

NIGHTLY = zlib.crc32(b"apertura-nightly")
MIGRATIONS = zlib.crc32(b"apertura-migrations")


class LockBusy(Exception):
    """Another process holds the lock."""


@contextmanager
def exclusive(engine: Engine, key: int = NIGHTLY, wait: bool = False) -> Iterator[None]:
    """Holds the lock `key`; busy, it raises LockBusy, or with `wait` waits for it.

    PostgreSQL frees a session lock when its connection closes, so a killed holder never leaves it taken.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            if wait:
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
            elif not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}):
                raise LockBusy("otra ejecución nocturna tiene el candado de la base de datos")
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        return
    path = Path(engine.url.database or "apertura").with_suffix(f".{key}.lock")
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockBusy(f"otra ejecución nocturna tiene el candado {path}") from None
        yield
