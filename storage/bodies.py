"""Where the bytes of a body live: small ones in their `bodies` row, large ones in a directory on disk.

A body larger than APERTURA_BODY_DISK_THRESHOLD bytes (64 KiB by default) is a file named by its SHA-256,
`<directory>/ab/cd/abcd…`, and its row keeps the hash and size with `content` NULL. The directory belongs
to one database (retention deletes the files of the bodies it prunes), so by default it is derived from
the database: beside a SQLite file (`apertura.sqlite-cuerpos/`), else `<user data>/cuerpos/<database>/`.
APERTURA_BODIES names it explicitly (distributed workers on several machines need a shared one).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import URL

DIRECTORY_ENV = "APERTURA_BODIES"
THRESHOLD_ENV = "APERTURA_BODY_DISK_THRESHOLD"
DEFAULT_THRESHOLD = 64 * 1024


class BodyUnavailable(Exception):
    """A body stored on disk is missing or its bytes no longer match its SHA-256; the message names both."""


def directory_for(url: URL) -> Path:
    if configured := os.environ.get(DIRECTORY_ENV):
        return Path(configured)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(f"{url.database}-cuerpos")
    return Path(user_data_dir("apertura", appauthor=False)) / "cuerpos" / (url.database or "memoria")


@dataclass(frozen=True)
class BodyStore:
    directory: Path
    threshold: int

    @classmethod
    def of(cls, url: URL) -> BodyStore:
        """The store of the database at `url`, as the environment configures it."""
        threshold = os.environ.get(THRESHOLD_ENV) or DEFAULT_THRESHOLD
        try:
            return cls(directory_for(url), int(threshold))
        except ValueError:
            raise ValueError(f"{THRESHOLD_ENV} debe ser un número de bytes, no {threshold!r}") from None

    def goes_to_disk(self, size: int) -> bool:
        return size > self.threshold

    def path(self, sha256: str) -> Path:
        return self.directory / sha256[:2] / sha256[2:4] / sha256

    def write(self, sha256: str, content: bytes) -> None:
        """Writes the file unless it is already there; a reader never sees a partial file."""
        path = self.path(sha256)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, sha256: str) -> bytes:
        path = self.path(sha256)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise BodyUnavailable(f"no se puede leer el cuerpo {sha256} en {path}: {error.strerror}") from None
        if hashlib.sha256(content).hexdigest() != sha256:
            raise BodyUnavailable(f"el archivo {path} no coincide con su SHA-256 {sha256}: está dañado")
        return content

    def remove(self, hashes: Iterable[str]) -> None:
        for sha256 in hashes:
            self.path(sha256).unlink(missing_ok=True)
