"""Where a run's web archive lives, and its packaging as WACZ (webrecorder's `wacz` package).

The WACZ is the only copy of a run's WARC files: once it is written they are deleted from the run directory.
A resumed run restores them first (`unpack`), so that its new WARCs continue the series and the next
packaging holds every record of the run."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import zipfile
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import URL
from wacz.main import main as wacz_main

from apertura.evidence import signing

WARC_GLOB = "*.warc.gz"
ROOT_ENV = "APERTURA_ARCHIVE_ROOT"


class PackagingError(Exception):
    """The WACZ could not be written; the message names the directory."""


def database_directory(url: URL, identifier: str, root: Path | None = None) -> Path:
    """The web archive of one database: every run's WARC and WACZ files live under it, and no other database's.

    Beside a SQLite file (`apertura.sqlite-archivo/`), as its bodies are; otherwise, or when a root is given
    (`--archive-dir`, else APERTURA_ARCHIVE_ROOT), `<root>/<identifier>/`, where the identifier is the random
    one stored in the database (`repository.database_identifier`). The default root is
    `<user data dir>/archivo`.
    """
    root = root or (Path(configured) if (configured := os.environ.get(ROOT_ENV)) else None)
    if root is None and url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(f"{url.database}-archivo")
    return (root or shared_root()) / identifier


def shared_root() -> Path:
    return Path(user_data_dir("apertura", appauthor=False)) / "archivo"


def run_directory(base: Path, run_id: int) -> Path:
    """`<base>/run-<id>`: one run's WARC files, then its WACZ."""
    return base / f"run-{run_id}"


def legacy_directories() -> list[Path]:
    """Run folders left at the old shared default, `<user data dir>/archivo/run-<id>` (and
    `archivo/municipios/<clave>/run-<id>` of distributed nights): keyed by run number only, they may hold the
    records of several databases, so nothing reads them any more; `apertura` names them so they can be
    checked and removed (docs/evidencia.md)."""
    root = shared_root()
    return sorted([*root.glob("run-*"), *root.glob("municipios/*/run-*")])


def wacz_path(directory: Path) -> Path:
    return directory / f"{directory.name}.wacz"


def unpack(directory: Path) -> None:
    """Puts back the WARC files of an earlier packaging of this run (a resumed run adds to them)."""
    wacz = wacz_path(directory)
    if not wacz.is_file():
        return
    with zipfile.ZipFile(wacz) as archive:
        for name in archive.namelist():
            target = directory / Path(name).name
            if name.startswith("archive/") and name.endswith(".warc.gz") and not target.exists():
                with archive.open(name) as source, open(target, "xb") as copy:
                    shutil.copyfileobj(source, copy)


def package(directory: Path) -> Path | None:
    """Writes `<directory>/<name>.wacz` from the WARC files in `directory`, then deletes them; None if there
    are none.

    The WACZ holds the WARCs, a CDXJ index, the detected pages and `datapackage.json` with the SHA-256 of
    every file (plus `datapackage-digest.json` with the hash of the datapackage itself, signed and timestamped
    when a signing key is configured: apertura/evidence/signing.py). A signing configuration that fails to load or to
    sign stops the packaging instead of leaving an unsigned archive.
    """
    unpack(directory)
    warcs = sorted(directory.glob(WARC_GLOB))
    if not warcs:
        return None
    out = wacz_path(directory)
    written = out.with_suffix(".wacz.tmp")
    args = ["create", "-o", str(written), "--detect-pages", "--hash-type", "sha256", *map(str, warcs)]
    with contextlib.redirect_stdout(io.StringIO()) as log:
        status = wacz_main(args)
    if status != 0:
        written.unlink(missing_ok=True)
        raise PackagingError(f"no se pudo empaquetar el archivo web de {directory} en WACZ: {log.getvalue().strip()}")
    try:
        if (config := signing.configured()) is not None:  # else unsigned; the evidence bundle states it
            signing.sign_wacz(written, config)
    except signing.SigningError as error:
        written.unlink(missing_ok=True)
        raise PackagingError(f"no se pudo firmar el archivo web de {directory}: {error}") from None
    written.replace(out)
    for warc in warcs:
        warc.unlink()
    return out
