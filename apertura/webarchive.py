"""Where a run's web archive lives, and its packaging as WACZ (webrecorder's `wacz` package).

The WACZ is the only copy of a run's WARC files: once it is written they are deleted from the run directory.
A resumed run restores them first (`unpack`), so that its new WARCs continue the series and the next
packaging holds every record of the run."""

from __future__ import annotations

import contextlib
import io
import shutil
import zipfile
from pathlib import Path

from platformdirs import user_data_dir
from wacz.main import main as wacz_main

from apertura import signing

WARC_GLOB = "*.warc.gz"


class PackagingError(Exception):
    """The WACZ could not be written; the message names the directory."""


def run_directory(root: Path | None, run_id: int) -> Path:
    """`<root>/run-<id>`; the root defaults to `<user data dir>/archivo`."""
    base = root if root is not None else Path(user_data_dir("apertura", appauthor=False)) / "archivo"
    return base / f"run-{run_id}"


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
    when a signing key is configured: apertura/signing.py). A signing configuration that fails to load or to
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
