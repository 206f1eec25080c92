"""Second night: unchanged pages answer 304, are archived as WARC revisit records and stored as compact rows
that name their base row; a bundle of night 2 still proves, for every finding, what the site answered that night."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archive import NOT_MODIFIED_PROFILE
from sample_web.server import SITES_DIR, serve, write_registry
from tests.conftest import SAMPLE_HOSTS, run_apertura

pytestmark = pytest.mark.browser  # the rechecks take screenshots in Chromium

CODE = "15054"  # Metepec
HOST = "www.metepec.gob.mx.test"


@pytest.fixture(scope="module")
def nights(tmp_path_factory) -> dict:
    """Two rechecks of Metepec; between them one page changes, the rest answer 304."""
    tmp = tmp_path_factory.mktemp("revisits")
    sites = tmp / "sites"
    shutil.copytree(SITES_DIR, sites)
    db = f"sqlite:///{tmp / 'apertura.sqlite'}"
    with serve(0, sites_dir=sites) as port:
        write_registry(tmp / "registry.csv", port)
        for night in (1, 2):
            if night == 2:
                home = sites / HOST / "index.html"
                home.write_text(home.read_text(encoding="utf-8").replace("</body>", "<p>Aviso</p></body>", 1))
            result = run_apertura(
                "recheck", CODE, "--registry", str(tmp / "registry.csv"), "--hosts", str(SAMPLE_HOSTS),
                "--allow-private-network", "--delay", "0", "--db", db, "--fecha-corte", "2026-11-24",
                "--out", str(tmp / f"informes{night}"),
            )  # fmt: skip
            assert result.returncode == 0, result.stderr[-2000:]
    bundle = tmp / "noche2.zip"
    exported = run_apertura(
        "export", CODE, "--registry", str(tmp / "registry.csv"), "--db", db, "--bundle", str(bundle)
    )
    assert exported.returncode == 0, exported.stderr[-2000:]
    return {"tmp": tmp, "db": db, "sqlite": tmp / "apertura.sqlite", "bundle": bundle}


def query(nights, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(nights["sqlite"]) as connection:
        return connection.execute(sql, params).fetchall()


def bundle_records(bundle: Path) -> dict[str, dict]:
    """WARC-Record-ID -> type, fields and payload of every record of every WACZ in the bundle."""
    records = {}
    with zipfile.ZipFile(bundle) as outer:
        for name in (n for n in outer.namelist() if n.endswith(".wacz")):
            with zipfile.ZipFile(io.BytesIO(outer.read(name))) as wacz:
                for warc in (n for n in wacz.namelist() if n.startswith("archive/")):
                    for record in ArchiveIterator(io.BytesIO(wacz.read(warc))):
                        records[record.rec_headers.get_header("WARC-Record-ID")] = {
                            "type": record.rec_type,
                            "wacz": name,
                            "fields": dict(record.rec_headers.headers),
                            "status": record.http_headers.get_statuscode() if record.http_headers else None,
                            "payload": record.content_stream().read(),
                        }
    return records


def test_unchanged_pages_are_compact_rows_naming_their_base(nights):
    rows = query(
        nights,
        "SELECT r.status, r.base_id, r.headers, b.status, b.headers, b.sha256 = r.sha256, c.run_id, bc.run_id "
        "FROM resources r JOIN crawls c ON c.id = r.crawl_id LEFT JOIN resources b ON b.id = r.base_id "
        "LEFT JOIN crawls bc ON bc.id = b.crawl_id WHERE c.run_id = 2 AND c.source = 'sitio'",
    )  # the IPOMEX portal's crawl sends no conditional requests
    not_modified = [row for row in rows if row[0] == 304]
    assert len(not_modified) > len(rows) * 3 / 4  # most of the site did not change
    for _, base_id, headers, base_status, base_headers, same_body, run, base_run in not_modified:
        assert base_id is not None and base_status == 200 and same_body and (run, base_run) == (2, 1)
        headers, base_headers = json.loads(headers), json.loads(base_headers)
        assert {"etag", "content-type"} <= {name.lower() for name in base_headers}
        assert all(base_headers.get(name) != value for name, value in headers.items())  # only what changed
    assert [row for row in rows if row[0] == 200 and row[1] is not None] == []


def test_a_304_is_a_revisit_record_of_the_original_response(nights):
    records = bundle_records(nights["bundle"])
    revisits = query(
        nights,
        "SELECT r.warc_record_id, r.final_url, b.warc_record_id, b.fetched_at, b.sha256 FROM resources r "
        "JOIN crawls c ON c.id = r.crawl_id JOIN resources b ON b.id = r.base_id WHERE c.run_id = 2",
    )
    assert revisits
    for record_id, url, original_id, fetched_at, sha256 in revisits:
        record, original = records[record_id], records[original_id]
        fields = record["fields"]
        assert record["type"] == "revisit" and record["status"] == "304" and record["payload"] == b""
        assert fields["WARC-Profile"] == NOT_MODIFIED_PROFILE and fields["WARC-Refers-To"] == original_id
        assert fields["WARC-Refers-To-Target-URI"] == url == original["fields"]["WARC-Target-URI"]
        assert (
            fields["WARC-Refers-To-Date"] == original["fields"]["WARC-Date"] == fetched_at[:19].replace(" ", "T") + "Z"
        )
        assert original["type"] == "response" and hashlib.sha256(original["payload"]).hexdigest() == sha256
        assert record["wacz"] == "evidencia/run-2.wacz" and original["wacz"] == "evidencia/run-1.wacz"
    concurrent = {r["fields"].get("WARC-Concurrent-To") for r in records.values() if r["type"] == "request"}
    assert not concurrent & {record_id for record_id, *_ in revisits}  # no request record beside a revisit


def test_bundle_of_night_two_verifies_and_every_citation_resolves_to_its_payload(nights):
    result = run_apertura("verify", str(nights["bundle"]))
    assert result.returncode == 0, result.stdout + result.stderr
    records = bundle_records(nights["bundle"])
    with zipfile.ZipFile(nights["bundle"]) as bundle:
        findings = json.loads(bundle.read("datos/hallazgos.json"))
    cited = [e for f in findings for e in f["evidence"] if e.get("warc_record_id")]
    revisited = 0
    for evidence in cited:
        record = records[evidence["warc_record_id"]]
        if record["type"] == "revisit":
            revisited += 1
            record = records[record["fields"]["WARC-Refers-To"]]
        assert record["type"] == "response"
        if evidence.get("sha256"):
            assert hashlib.sha256(record["payload"]).hexdigest() == evidence["sha256"], evidence["url"]
    assert revisited > len(cited) / 2, (revisited, len(cited))


def test_a_bundle_without_the_original_archive_fails_verification(nights, tmp_path):
    """The same bundle with night 1's WACZ left out (and its manifest line, so only the citations can tell)."""
    stripped = tmp_path / "sin-original.zip"
    with zipfile.ZipFile(nights["bundle"]) as source, zipfile.ZipFile(stripped, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "evidencia/run-1.wacz":
                continue
            if info.filename == "manifest.json":
                manifest = json.loads(content)
                del manifest["archivos"]["evidencia/run-1.wacz"]
                content = json.dumps(manifest).encode()
            target.writestr(info, content)
    result = run_apertura("verify", str(stripped))
    assert result.returncode == 1
    message = " ".join((result.stdout + result.stderr).split())
    assert "una revisita cuyo registro original no está en ningún WACZ del paquete" in message


def test_pruning_keeps_the_night_a_kept_revisit_refers_to(nights, tmp_path):
    copy = tmp_path / "copia.sqlite"
    shutil.copy(nights["sqlite"], copy)
    result = run_apertura("db", "prune", "--conservar", "1", "--db", f"sqlite:///{copy}")
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT id FROM runs ORDER BY id").fetchall() == [(1,), (2,)]
        orphans = "SELECT COUNT(*) FROM resources r LEFT JOIN resources b ON b.id = r.base_id "
        assert connection.execute(orphans + "WHERE r.base_id IS NOT NULL AND b.id IS NULL").fetchone() == (0,)
