"""An evidence bundle served on loopback, its web archive replayed by pywb (`apertura review --servir`).

The bundle is verified first (a bundle that fails `apertura verify` is not served), then unpacked into a
throwaway pywb directory:

    static/paquete/informes/…, static/paquete/evidencia/capturas/…   the reports and screenshots, as in the ZIP
    collections/archivo/…                                            the WACZ's WARCs and index (wb-manager)

pywb serves `/static/paquete/informes/<clave>.html`, and replays `/archivo/<timestamp>/<url>`: the page as
it was archived, never the live site (pywb has no live collection here, and Chromium in the tests resolves
no host). Each finding's «Copia archivada» link in a bundled report points there (reports.BUNDLE_REPLAY).

pywb pins old libraries, so it lives in its own virtualenv: `make pywb` builds `.venv-pywb`;
$APERTURA_PYWB names another folder holding its `wayback` and `wb-manager` programs.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from apertura.evidence import bundle
from apertura.reporting import reports

COLLECTION = reports.BUNDLE_REPLAY.strip("/")
STATIC = "paquete"
PYWB_ENV = "APERTURA_PYWB"
PYWB_VENV = Path(__file__).resolve().parents[2] / ".venv-pywb" / "bin"
START_TIMEOUT_S = 60


class ReplayError(Exception):
    """The bundle cannot be served; the message (Spanish) says why."""


@dataclass(frozen=True)
class Served:
    base: str  # http://127.0.0.1:<port>
    reports: list[str]  # URLs of the bundle's HTML reports
    process: subprocess.Popen


def pywb_programs() -> tuple[Path, Path]:
    """`wayback` and `wb-manager`: from $APERTURA_PYWB, the repository's .venv-pywb, or the PATH."""
    folders = [Path(os.environ[PYWB_ENV])] if os.environ.get(PYWB_ENV) else [PYWB_VENV]
    for folder in folders:
        if (folder / "wayback").exists() and (folder / "wb-manager").exists():
            return folder / "wayback", folder / "wb-manager"
    wayback, manager = shutil.which("wayback"), shutil.which("wb-manager")
    if wayback and manager:
        return Path(wayback), Path(manager)
    raise ReplayError(
        f"no se encontró pywb (programas wayback y wb-manager): ejecute 'make pywb' o indique su carpeta en {PYWB_ENV}"
    )


@contextmanager
def serve(path: Path, port: int | None = None) -> Iterator[Served]:
    """Serves the bundle until the block ends; the pywb process and its directory are removed afterwards."""
    checked = bundle.verify(path)
    if checked.problems:
        raise ReplayError(f"el paquete {path} no es íntegro y no se sirve: " + "; ".join(checked.problems[:3]))
    wayback, manager = pywb_programs()
    root = Path(tempfile.mkdtemp(prefix="apertura-servir-"))
    process = None
    try:
        pages, waczs = _unpack(path, root)
        if not waczs:
            raise ReplayError(f"el paquete {path} no contiene un archivo web (WACZ)")
        _run([manager, "init", COLLECTION], root)
        for wacz in waczs:
            _run([manager, "add", "--unpack-wacz", COLLECTION, str(wacz)], root)
        port = port or _free_port()
        log = open(root / "pywb.log", "wb")  # a pipe would fill up and stall pywb
        process = subprocess.Popen(
            [str(wayback), "-p", str(port), "-b", "127.0.0.1"], cwd=root, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONWARNINGS": "ignore"}, start_new_session=True,
        )  # fmt: skip
        log.close()
        base = f"http://127.0.0.1:{port}"
        urls = [f"{base}/static/{STATIC}/{name}" for name in pages]
        _wait_until_up(urls[0] if urls else f"{base}/{COLLECTION}/", process, root / "pywb.log")
        yield Served(base, urls, process)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(root, ignore_errors=True)


def _unpack(path: Path, root: Path) -> tuple[list[str], list[Path]]:
    """Reports and screenshots under static/paquete/, WACZ files under wacz/; returns both lists."""
    pages, waczs = [], []
    static = root / "static" / STATIC
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            name = info.filename
            if info.is_dir() or ".." in Path(name).parts or name.startswith("/"):
                continue
            if name.endswith(".wacz"):
                target = root / "wacz" / Path(name).name
                waczs.append(target)
            elif name.startswith(("informes/", "evidencia/capturas/")):
                target = static / name
                if name.endswith(".html"):
                    pages.append(name)
            else:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, open(target, "wb") as copy:
                shutil.copyfileobj(source, copy, 1 << 20)
    return sorted(pages), waczs


def _run(args: list, cwd: Path) -> None:
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})  # fmt: skip
    if result.returncode != 0:
        raise ReplayError(
            f"pywb no pudo preparar el archivo web ({' '.join(map(str, args[1:3]))}): {result.stderr[-800:]}"
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, OSError):
            if process.poll() is not None:
                raise ReplayError(f"pywb terminó al iniciar: {log.read_text(errors='replace')[-800:]}") from None
            if time.monotonic() > deadline:
                raise ReplayError(f"pywb no respondió en {START_TIMEOUT_S} s en {url}") from None
            time.sleep(0.3)
