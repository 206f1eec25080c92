"""Where a run's web archive lives, and its packaging as WACZ (webrecorder's `wacz` package)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from platformdirs import user_data_dir
from wacz.main import main as wacz_main


class PackagingError(Exception):
    """The WACZ could not be written; the message names the directory."""


def run_directory(root: Path | None, run_id: int) -> Path:
    """`<root>/run-<id>`; the root defaults to `<user data dir>/archivo`."""
    base = root if root is not None else Path(user_data_dir("apertura", appauthor=False)) / "archivo"
    return base / f"run-{run_id}"


def package(directory: Path) -> Path | None:
    """Writes `<directory>/<name>.wacz` from the WARC files in `directory`; None if there are none.

    The WACZ holds the WARCs, a CDXJ index, the detected pages and `datapackage.json` with the SHA-256 of
    every file (plus `datapackage-digest.json` with the hash of the datapackage itself).
    """
    warcs = sorted(str(p) for p in directory.glob("*.warc.gz"))
    if not warcs:
        return None
    out = directory / f"{directory.name}.wacz"
    args = ["create", "-o", str(out), "--detect-pages", "--hash-type", "sha256", *warcs]
    with contextlib.redirect_stdout(io.StringIO()) as log:
        status = wacz_main(args)
    if status != 0:
        raise PackagingError(f"no se pudo empaquetar el archivo web de {directory} en WACZ: {log.getvalue().strip()}")
    return out

