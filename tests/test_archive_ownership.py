"""The web archive belongs to its database: two databases whose rechecks overlap (both are run 1) each keep
their own WARC and WACZ files, beside the database, and each bundle holds exactly its own records."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import APERTURA, SAMPLE_HOSTS, run_apertura

CODE = "15054"


def archived_ids(wacz: Path) -> set[str]:
    ids = set()
    with zipfile.ZipFile(wacz) as archive:
        for name in (n for n in archive.namelist() if n.startswith("archive/")):
            for record in ArchiveIterator(io.BytesIO(archive.read(name))):
                if record.rec_type == "response":
                    ids.add(record.rec_headers.get_header("WARC-Record-ID"))
    return ids


def stored(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


@pytest.mark.slow
def test_two_databases_with_overlapping_rechecks_keep_their_own_archives(sample_web, tmp_path):
    # A data directory of its own: other tests of the session (on the same xdist worker) archive into theirs.
    xdg = tmp_path / "xdg"
    legacy = xdg / "apertura" / "archivo" / "run-1"  # the old shared default
    legacy.mkdir(parents=True)
    databases = [tmp_path / name / "apertura.sqlite" for name in ("a", "b")]
    common = ["--registry", str(sample_web["registry"]), "--hosts", str(SAMPLE_HOSTS), "--allow-private-network",
              "--delay", "0", "--fecha-corte", "2026-11-24"]  # fmt: skip
    running = [
        subprocess.Popen(
            [APERTURA, "recheck", CODE, *common, "--db", f"sqlite:///{db}", "--out", str(db.parent / "informes")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "XDG_DATA_HOME": str(xdg)},
        )  # fmt: skip
        for db in databases
    ]
    outcomes = [process.communicate(timeout=900) for process in running]
    for process, (_, stderr) in zip(running, outcomes, strict=False):
        assert process.returncode == 0, stderr
        assert "ubicación compartida anterior" in " ".join(stderr.split())  # the old archive is reported
    assert sorted(p.name for p in legacy.parent.iterdir()) == ["run-1"] and not any(legacy.iterdir())  # untouched

    records = []
    for db in databases:
        (config,) = stored(db, "SELECT config FROM runs WHERE id = 1")[0]
        wacz = Path(json.loads(config)["wacz"])
        assert wacz == db.parent / "apertura.sqlite-archivo" / "run-1" / "run-1.wacz"
        cited = {r for (r,) in stored(db, "SELECT warc_record_id FROM resources WHERE warc_record_id IS NOT NULL")}
        assert cited and cited <= archived_ids(wacz)  # all of its records (plus robots.txt, redirect hops…)
        records.append((cited, archived_ids(wacz)))
        bundle = db.parent / "paquete.zip"
        export = run_apertura(
            "export",
            CODE,
            "--registry",
            str(sample_web["registry"]),
            "--db",
            f"sqlite:///{db}",
            "--bundle",
            str(bundle),
        )
        assert export.returncode == 0, export.stderr
        with zipfile.ZipFile(bundle) as archive:
            (name,) = [n for n in archive.namelist() if n.endswith(".wacz")]
            (db.parent / "del-paquete.wacz").write_bytes(archive.read(name))
        assert archived_ids(db.parent / "del-paquete.wacz") == records[-1][1]
        verify = run_apertura("verify", str(bundle))
        assert verify.returncode == 0 and "citas de registros WARC comprobadas" in verify.stdout, (
            verify.stdout + verify.stderr
        )
    (cited_a, archived_a), (cited_b, archived_b) = records
    assert not archived_a & archived_b and not cited_a & archived_b and not cited_b & archived_a  # never mixed
