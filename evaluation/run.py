"""Run the auditor on the evaluation set and measure it against the labels.

    python -m evaluation.run [--mirror-root /work/.mirror] [--db URL] [--work DIR] [--json]
    python -m evaluation.run --serve   # only materialise and serve, to browse the sites (Ctrl-C stops)
    python -m evaluation.run --only 20023 [--serve]   # one site (INEGI code; repeatable)

For each site of evaluation/manifest.yaml whose snapshot is present: materialise it into a temporary
folder, serve it on loopback, run ``apertura nightly`` on that one site with its own audit date as
``--fecha-corte``; then ``apertura evaluar --labels evaluation/labels.yaml`` over all of them.
Sites whose snapshot is missing are skipped and named.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import yaml

from evaluation.sites import (
    DEFAULT_MIRROR_ROOT,
    LABELS,
    git_dir,
    load_manifest,
    materialise,
    serve,
    write_hosts,
    write_registry,
)

ROOT = Path(__file__).resolve().parents[1]
APERTURA = [sys.executable, "-m", "apertura.cli"]
TIMEOUT = 3600  # seconds per site: Totoltepec's crawl took over 20 minutes on a loaded 2-CPU machine


def available(mirror_root: Path, only: list[str] | None = None) -> tuple[list, list]:
    """(sites whose snapshot is present, sites whose snapshot is missing); ``only``: those INEGI codes."""
    sites = [s for s in load_manifest() if not only or s.inegi_code in only]
    present = [s for s in sites if s.down or git_dir(mirror_root, s.repository) is not None]
    return present, [s for s in sites if s not in present]


def run(
    mirror_root: Path,
    db: str,
    work: Path,
    labels: Path = LABELS,
    json_output: bool = False,
    timeout: float = TIMEOUT,
    only: list[str] | None = None,
) -> subprocess.CompletedProcess:
    present, _ = available(mirror_root, only)
    copies = [materialise(s, mirror_root, work / "sites" / s.inegi_code) for s in present]
    hosts = work / "hosts"
    write_hosts(present, hosts)
    with serve(copies, work) as urls:
        for site in present:
            registry = work / f"registry-{site.inegi_code}.csv"
            write_registry([site], urls, registry)
            subprocess.run(
                [
                    *APERTURA,
                    "nightly",
                    "--registry",
                    str(registry),
                    "--hosts",
                    str(hosts),
                    "--allow-private-network",
                    "--delay",
                    "0",
                    "--db",
                    db,
                    "--fecha-corte",
                    site.audit_date,
                    "--out",
                    str(work / "informes"),
                    "--archive-dir",
                    str(work / "archivo"),
                ],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
                timeout=timeout,
                env={**os.environ, "APERTURA_OFFSITE_MAPPED_ONLY": "1"},
            )  # off-site links: only the mapped hosts
    if only:  # measure those sites alone: the labels of sites not audited here would count as missed
        data = yaml.safe_load(labels.read_text(encoding="utf-8"))
        data["municipalities"] = {code: entry for code, entry in data["municipalities"].items() if code in only}
        labels = work / "labels-only.yaml"
        labels.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    command = [*APERTURA, "evaluar", "--labels", str(labels), "--db", db] + (["--json"] if json_output else [])
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Evalúa el auditor con el conjunto de sitios reales.")
    parser.add_argument("--mirror-root", type=Path, default=DEFAULT_MIRROR_ROOT)
    parser.add_argument("--db", help="URL de la base de datos (por omisión, un SQLite en --work)")
    parser.add_argument("--work", type=Path, help="carpeta de trabajo (por omisión, una temporal)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve", action="store_true", help="solo servir los sitios para revisarlos")
    parser.add_argument(
        "--only", action="append", metavar="INEGI", help="solo este sitio (clave INEGI; se puede repetir)"
    )
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="segundos por sitio (apertura nightly)")
    args = parser.parse_args(argv)
    present, missing = available(args.mirror_root, args.only)
    for site in missing:
        print(f"Sin copia de {site.repository} en {args.mirror_root}: se omite {site.name}.", file=sys.stderr)
    work = args.work or Path(tempfile.mkdtemp(prefix="apertura-evaluacion-"))
    if args.serve:
        copies = [materialise(s, args.mirror_root, work / "sites" / s.inegi_code) for s in present]
        write_hosts(present, work / "hosts")
        with serve(copies, work) as urls:
            for copy in copies:
                print(f"{copy.site.name}: {urls[copy.site.inegi_code]} (sin {len(copy.missing)} archivos grandes)")
            print(f"Nombres: {work / 'hosts'}. Ctrl-C para detener.", flush=True)
            stop = threading.Event()  # SIGINT/SIGTERM end the loop, so the PHP servers are stopped too
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            while not stop.wait(0.5):
                pass
        return
    db = args.db or f"sqlite:///{work / 'evaluacion.sqlite'}"
    result = run(args.mirror_root, db, work, json_output=args.json, timeout=args.timeout, only=args.only)
    print(result.stdout, end="")


if __name__ == "__main__":
    main()
