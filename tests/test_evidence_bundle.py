"""End to end: crawl the sample web, archive it (WARC/WACZ), screenshot the evidence, bundle, verify, replay."""

from __future__ import annotations

import hashlib
import html
import io
import json
import os
import re
import sqlite3
import subprocess
import time
import urllib.request
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import sync_playwright
from warcio.archiveiterator import ArchiveIterator

from crawler.netguard import read_hosts_file
from crawler.render import CHROMIUM, CHROMIUM_ARGS
from sample_web.server import serve, write_registry
from storage import repository
from storage.bodies import THRESHOLD_ENV
from storage.database import open_database
from tests.conftest import ROOT, copy_sqlite_database, free_port
from tests.signing_keys import DOMAIN, write_signing_pki
from tests.tsa import SUBJECT, serve_tsa

pytestmark = pytest.mark.browser  # screenshots are taken in Chromium

APERTURA = str(ROOT / ".venv" / "bin" / "apertura")
PYWB_BIN = ROOT / ".venv-pywb" / "bin"
CODE = "15054"


def apertura(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([APERTURA, *args], capture_output=True, text=True, cwd=ROOT, timeout=600, **kwargs)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One recheck of Metepec on the sample web; the server stays up for the live comparisons.

    Bodies over 2 KiB go to the disk store, so documents, larger pages and screenshots are files that the
    archive, the screenshots and the bundle must read back."""
    tmp = tmp_path_factory.mktemp("evidence")
    signing_env = write_signing_pki(tmp / "pki")
    root = signing_env.pop("root_fingerprint")
    with serve(0) as port, serve_tsa() as tsa_url:
        write_registry(tmp / "registry.csv", port)
        db = f"sqlite:///{tmp / 'apertura.sqlite'}"
        result = apertura(
            "recheck", CODE, "--registry", str(tmp / "registry.csv"), "--hosts", "sample_web/hosts",
            "--allow-private-network", "--delay", "0", "--db", db, "--fecha-corte", "2026-11-24",
            "--out", str(tmp / "informes"),
            env={**os.environ, THRESHOLD_ENV: "2048", **signing_env, "APERTURA_TSA_URL": tsa_url},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        yield {"tmp": tmp, "port": port, "db": db, "sqlite": tmp / "apertura.sqlite", "root": root}


@pytest.fixture(scope="module")
def wacz(run) -> Path:
    config = json.loads(_query(run, "SELECT config FROM runs ORDER BY id DESC LIMIT 1")[0][0])
    path = Path(config["wacz"])
    assert path.is_file() and path.parent == run["tmp"] / "apertura.sqlite-archivo" / "run-1"  # beside its database
    return path


@pytest.fixture(scope="module")
def warc_records(wacz) -> dict[str, dict]:
    """WARC-Record-ID -> type, URI and payload of every record in the WACZ's WARC files."""
    records = {}
    with zipfile.ZipFile(wacz) as archive:
        for name in (n for n in archive.namelist() if n.startswith("archive/")):
            for record in ArchiveIterator(io.BytesIO(archive.read(name))):
                records[record.rec_headers.get_header("WARC-Record-ID")] = {
                    "type": record.rec_type,
                    "uri": record.rec_headers.get_header("WARC-Target-URI"),
                    "file": name.removeprefix("archive/"),
                    "payload": record.content_stream().read(),
                    "fields": dict(record.rec_headers.headers),
                }
    return records


@pytest.fixture(scope="module")
def findings(run) -> list[dict]:
    return json.loads((run["tmp"] / "informes" / f"{CODE}.json").read_text(encoding="utf-8"))["findings"]


@pytest.fixture(scope="module")
def bundle(run, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "metepec.zip"
    with serve_tsa() as tsa_url:
        result = apertura(
            "export", CODE, "--registry", str(run["tmp"] / "registry.csv"), "--db", run["db"],
            "--bundle", str(out), "--tsa-url", tsa_url,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


def _query(run, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(run["sqlite"]) as connection:
        return connection.execute(sql, params).fetchall()


def _body(run, sha256: str) -> bytes:
    with open_database(run["db"])() as session:
        return repository.body(session, sha256)


def test_large_bodies_are_files_beside_the_database(run):
    on_disk = [
        (sha256, size)
        for sha256, size, content in _query(run, "SELECT sha256, size, content FROM bodies")
        if content is None
    ]
    in_rows = _query(run, "SELECT size FROM bodies WHERE content IS NOT NULL")
    pdfs = {sha256 for (sha256,) in _query(run, "SELECT sha256 FROM resources WHERE content_type = 'application/pdf'")}
    assert on_disk and in_rows and pdfs & {sha256 for sha256, _ in on_disk}
    assert all(size > 2048 for sha256, size in on_disk) and all(size <= 2048 for (size,) in in_rows)
    directory = run["tmp"] / "apertura.sqlite-cuerpos"
    for sha256, size in on_disk:
        assert (directory / sha256[:2] / sha256[2:4] / sha256).stat().st_size == size


def test_every_response_is_archived_with_its_record(run, warc_records):
    warcinfo = next(r for r in warc_records.values() if r["type"] == "warcinfo")
    info = warcinfo["payload"].decode()
    for field in (
        "software: Apertura/",
        "git-commit:",
        "http-header-user-agent: Apertura/",
        "start-time:",
        "settings:",
    ):
        assert field in info
    rows = _query(
        run, "SELECT url, final_url, status, sha256, warc_file, warc_record_id FROM resources WHERE status IS NOT NULL"
    )
    assert len(rows) > 10
    for _url, final_url, _status, sha256, warc_file, record_id in rows:
        record = warc_records[record_id]
        assert (record["type"], record["uri"], record["file"]) == ("response", final_url, warc_file)
        assert _body(run, sha256) == record["payload"], f"the WARC payload of {final_url} differs from the stored body"
    requests = [r for r in warc_records.values() if r["type"] == "request"]
    assert {r["fields"]["WARC-Concurrent-To"] for r in requests} <= set(warc_records)


def test_failed_fetches_have_no_response_record(run):
    failed = _query(run, "SELECT url, warc_record_id FROM resources WHERE status IS NULL")
    assert all(record_id is None for _, record_id in failed)


def test_wacz_datapackage_hashes_every_file(run, wacz):
    with zipfile.ZipFile(wacz) as archive:
        datapackage = json.loads(archive.read("datapackage.json"))
        listed = {entry["path"]: entry["hash"] for entry in datapackage["resources"]}
        assert set(listed) == set(archive.namelist()) - {"datapackage.json", "datapackage-digest.json"}
        for path, digest in listed.items():
            assert digest == "sha256:" + hashlib.sha256(archive.read(path)).hexdigest()
    assert (
        "valid"
        in subprocess.run(
            [str(ROOT / ".venv/bin/wacz"), "validate", "-f", str(wacz)], capture_output=True, text=True
        ).stdout
    )
    # signed per the WACZ signing spec: the reference verifier (authsign, as `wacz validate --verify-auth` runs
    # it) checks the chain and then stops only at our test root, which no public trust list holds
    auth = subprocess.run(
        [str(ROOT / ".venv/bin/wacz"), "validate", "-f", str(wacz), "--verify-auth"], capture_output=True, text=True
    )
    log = auth.stdout + auth.stderr
    assert (
        "✓ Verify certificate chain for domain certificate" in log
        and f"Trusted Domain Root Cert (sha-256 fingerprint: {run['root']})" in log
    )


def test_findings_cite_warc_records_and_screenshots(findings, warc_records):
    cited = [e for f in findings for e in f["evidence"] if e["sha256"]]
    assert cited
    for evidence in cited:
        record = warc_records[evidence["warc_record_id"]]
        assert record["uri"] == evidence["url"] and record["file"] == evidence["warc_file"]
        assert hashlib.sha256(record["payload"]).hexdigest() == evidence["sha256"]
    assert any(e["screenshot_sha256"] for e in cited)
    absences = [e for f in findings for e in f["evidence"] if e["kind"] == "absence"]
    assert absences and all(e["warc_record_id"] is None and e["resources_examined"] for e in absences)


def test_screenshots_are_pngs_of_the_archived_page(run, findings):
    shots = dict(_query(run, "SELECT final_url, screenshot_sha256 FROM resources WHERE screenshot_sha256 IS NOT NULL"))
    home = f"http://www.metepec.gob.mx.test:{run['port']}/"
    cited_pages = {e["url"] for f in findings for e in f["evidence"] if e["kind"] == "page"}
    other = sorted(cited_pages & set(shots) - {home})
    assert home in shots and other
    images = {}
    for url in (home, other[0]):
        content = _body(run, shots[url])
        assert content.startswith(b"\x89PNG\r\n\x1a\n") and hashlib.sha256(content).hexdigest() == shots[url]
        images[url] = Image.open(io.BytesIO(content)).convert("RGB")
        assert images[url].width == 1280
    archived = {
        url for (url,) in _query(run, "SELECT final_url FROM resources WHERE sha256 IS NOT NULL AND error IS NULL")
    }
    live = {url: _render_live(url, archived) for url in images}
    for url, image in images.items():
        assert ImageChops.difference(image, live[url]).getbbox() is None, f"the screenshot does not show {url}"
    first, second = images.values()
    assert first.size != second.size or ImageChops.difference(first, second).getbbox() is not None


def _render_live(url: str, archived: set[str]) -> Image.Image:
    """The page as the live sample server serves it, with only the sub-resources the crawl archived."""
    hosts = read_hosts_file(ROOT / "sample_web" / "hosts")
    rules = ",".join(f"MAP {name} {address}" for name, address in hosts.items())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, f"--host-resolver-rules={rules}"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", lambda route: route.continue_() if route.request.url in archived else route.abort())
        page.goto(url, wait_until="load")
        png = page.screenshot(full_page=True)
        browser.close()
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_bundle_verifies_and_detects_tampering(bundle, findings, tmp_path):
    ok = apertura("verify", str(bundle))
    assert ok.returncode == 0, ok.stderr
    out = " ".join(ok.stdout.split())
    assert "es íntegro" in out and "Sello de tiempo RFC 3161 válido" in out and SUBJECT in out
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        wacz_name = next(n for n in names if n.endswith(".wacz"))
        assert archive.read(f"informes/{CODE}.html").startswith(b"<!")
        assert json.loads(archive.read("datos/hallazgos.json")) == findings
    assert set(manifest["archivos"]) == names - {"manifest.json", "manifest.tsr"}
    shots = {e["screenshot_sha256"] for f in findings for e in f["evidence"] if e["screenshot_sha256"]}
    assert {f"evidencia/capturas/{s}.png" for s in shots} <= names
    with zipfile.ZipFile(bundle) as archive:  # screenshots over 2 KiB: read back from the disk store
        assert all(hashlib.sha256(archive.read(f"evidencia/capturas/{s}.png")).hexdigest() == s for s in shots)

    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(_flip_byte_inside(bundle, wacz_name))
    assert _fails(flipped, f"archivo modificado: {wacz_name}")

    def rewritten(
        path: Path, drop: str | None = None, add: dict[str, bytes] | None = None, change: dict[str, bytes] | None = None
    ) -> Path:
        out = tmp_path / path
        with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(out, "w") as target:
            for name in source.namelist():
                if name != drop:
                    target.writestr(name, (change or {}).get(name, source.read(name)))
            for name, content in (add or {}).items():
                target.writestr(name, content)
        return out

    report = f"informes/{CODE}.json"
    assert _fails(rewritten(Path("edited.zip"), change={report: b"{}"}), f"archivo modificado: {report}")
    assert _fails(rewritten(Path("missing.zip"), drop=report), f"falta el archivo {report}")
    assert _fails(
        rewritten(Path("extra.zip"), add={"evidencia/otra.png": b"x"}),
        "archivo sobrante (no está en el manifiesto): evidencia/otra.png",
    )
    manifest["archivos"].pop(report)
    forged = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    assert _fails(
        rewritten(Path("forged.zip"), drop=report, change={"manifest.json": forged}),
        "manifest.tsr: el sello de tiempo no corresponde",
    )


def test_a_bundle_is_refused_when_a_screenshot_file_is_missing(run, findings, tmp_path):
    db = copy_sqlite_database(run["sqlite"], tmp_path / "apertura.sqlite")
    shot = next(e["screenshot_sha256"] for f in findings for e in f["evidence"] if e["screenshot_sha256"])
    path = tmp_path / "apertura.sqlite-cuerpos" / shot[:2] / shot[2:4] / shot
    path.unlink()
    out = tmp_path / "metepec.zip"
    result = apertura("export", CODE, "--registry", str(run["tmp"] / "registry.csv"), "--db", db, "--bundle", str(out))
    message = "".join(result.stderr.split())  # the console wraps long paths
    assert result.returncode == 2 and str(path) in message and "capturadepantalla" in message, result.stderr
    assert not out.exists()


def test_verify_proves_every_citation_is_in_the_wacz(bundle, findings, tmp_path):
    """A bundle whose manifest is consistent but whose WACZ lacks a cited record, or whose screenshots lack a
    cited one, is not «íntegro»: verify names the finding and the record."""
    cited = [(f["rule_id"], e) for f in findings for e in f["evidence"] if e["warc_record_id"]]
    rule, evidence = cited[0]
    record_id = evidence["warc_record_id"]
    with zipfile.ZipFile(bundle) as archive:
        files = {name: archive.read(name) for name in archive.namelist() if name != "manifest.tsr"}
    wacz_name = next(n for n in files if n.endswith(".wacz"))
    files[wacz_name] = _without_record(files[wacz_name], record_id)
    assert _fails(
        _resealed(files, tmp_path / "sin-registro.zip"), f"el hallazgo {rule} cita el registro WARC {record_id}"
    )

    with zipfile.ZipFile(bundle) as archive:
        files = {name: archive.read(name) for name in archive.namelist() if name != "manifest.tsr"}
    shot = next(e["screenshot_sha256"] for f in findings for e in f["evidence"] if e["screenshot_sha256"])
    del files[f"evidencia/capturas/{shot}.png"]
    assert _fails(_resealed(files, tmp_path / "sin-captura.zip"), f"cita la captura {shot}")


def _without_record(wacz: bytes, record_id: str) -> bytes:
    """The WACZ with the WARC record `record_id` left out of its WARC files (datapackage hashes recomputed
    would not matter: verify reads the records)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(wacz)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name.startswith("archive/") and name.endswith(".warc.gz"):
                kept, records = b"", ArchiveIterator(io.BytesIO(content))
                for record in records:  # each record is its own gzip member: slices of the file
                    found = record.rec_headers.get_header("WARC-Record-ID")
                    records.read_to_end(record)
                    start, length = records.get_record_offset(), records.get_record_length()
                    if found != record_id:
                        kept += content[start : start + length]
                content = kept
            target.writestr(name, content)
    return out.getvalue()


def _resealed(files: dict[str, bytes], out: Path) -> Path:
    """A bundle of `files` with a manifest that matches them (what a careless or dishonest rebuild makes)."""
    manifest = json.loads(files["manifest.json"])
    files.pop("manifest.json")
    manifest["archivos"] = {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items())}
    with zipfile.ZipFile(out, "w") as target:
        for name, content in files.items():
            target.writestr(name, content)
        target.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return out


def _flip_byte_inside(bundle: Path, member: str) -> bytes:
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo(member)
    header = data[info.header_offset : info.header_offset + 30]
    start = info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    data[start + info.compress_size // 2] ^= 0x01
    return bytes(data)


def _fails(path: Path, message: str) -> bool:
    result = apertura("verify", str(path))
    assert result.returncode != 0, result.stdout
    assert message in " ".join(result.stderr.split()), result.stderr
    return True


def test_archive_replays_in_pywb(run, bundle, findings, warc_records, tmp_path):
    wayback, manager = PYWB_BIN / "wayback", PYWB_BIN / "wb-manager"
    if not wayback.exists():
        pytest.fail("pywb is not installed: run `make test` (it builds .venv-pywb)")
    with zipfile.ZipFile(bundle) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".wacz"))
        (tmp_path / "run.wacz").write_bytes(archive.read(name))
    subprocess.run([str(manager), "init", "evidencia"], cwd=tmp_path, check=True, capture_output=True)
    subprocess.run(
        [str(manager), "add", "--unpack-wacz", "evidencia", "run.wacz"], cwd=tmp_path, check=True, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        [str(wayback), "-p", str(port), "-b", "127.0.0.1"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )  # fmt: skip
    # Pages rendered again in Chromium have two captures; replay those captured once, as the site sent them.
    captures = Counter(r["uri"] for r in warc_records.values() if r["type"] == "response")
    host = f"www.metepec.gob.mx.test:{run['port']}"
    cited = sorted({e["url"] for f in findings for e in f["evidence"] if e["kind"] == "page" and host in e["url"]})
    replayable = [url for url in cited if captures[url] == 1][:3]
    assert len(replayable) >= 2
    try:
        for original in replayable:
            live = _get(original.replace(host, f"127.0.0.1:{run['port']}"), host=host)
            replayed = _get_when_up(f"http://127.0.0.1:{port}/evidencia/2026id_/{original}", server)
            assert replayed == live and b"Metepec" in replayed
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url: str, host: str | None = None) -> bytes:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def _get_when_up(url: str, server: subprocess.Popen, wait: float = 30) -> bytes:
    deadline = time.monotonic() + wait
    while True:
        try:
            return _get(url)
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"pywb exited: {server.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_bundle_states_and_verifies_the_wacz_signature(run, bundle, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        wacz_name = next(n for n in archive.namelist() if n.endswith(".wacz"))
        wacz_bytes = archive.read(wacz_name)
    assert manifest["firma_wacz"]["estado"] == "firmado" and manifest["firma_wacz"]["dominio"] == DOMAIN
    ok = apertura("verify", str(bundle), env={**os.environ, "APERTURA_FIRMA_RAICES": ""})
    out = " ".join(ok.stdout.split())
    assert ok.returncode == 0 and f"Archivo web {wacz_name} firmado: firma válida de «{DOMAIN}»" in out, (
        ok.stdout + ok.stderr
    )
    # a forged signature inside the WACZ, with the manifest updated to match, is caught by the signature check
    forged_wacz = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(wacz_bytes)) as source, zipfile.ZipFile(forged_wacz, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "datapackage-digest.json":
                digest = json.loads(content)
                digest["signedData"]["signature"] = digest["signedData"]["signature"][::-1]
                content = json.dumps(digest).encode()
            target.writestr(info, content)
    manifest["archivos"][wacz_name] = hashlib.sha256(forged_wacz.getvalue()).hexdigest()
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(forged, "w") as target:
        for name in source.namelist():
            if name == "manifest.tsr":
                continue  # the stamp covered the old manifest
            content = {wacz_name: forged_wacz.getvalue(), "manifest.json": json.dumps(manifest).encode()}.get(name)
            target.writestr(name, content if content is not None else source.read(name))
    assert _fails(forged, f"{wacz_name}: la firma del WACZ no es válida")


def test_review_serves_the_bundle_and_the_cited_record_replays_in_chromium(run, bundle, findings, warc_records):
    """`apertura review --servir`: the report's «Copia archivada» link opens the archived page in pywb."""
    port = free_port()
    server = subprocess.Popen(
        [APERTURA, "review", "--servir", str(bundle), "--puerto", str(port)], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    report_url = f"http://127.0.0.1:{port}/static/paquete/informes/{CODE}.html"
    captures = Counter(r["uri"] for r in warc_records.values() if r["type"] == "response")
    try:
        _get_when_up(report_url, server, wait=90)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
            )  # the live sample site is unreachable from this browser: only the archive can answer
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(report_url)
            thumbs = page.evaluate("[...document.querySelectorAll('section.group img.thumb')].map(i => i.naturalWidth)")
            assert thumbs and all(width == 1280 for width in thumbs)
            links = page.locator("a.archived")
            cited = {e["warc_record_id"]: e for f in findings for e in f["evidence"] if e.get("warc_record_id")}
            assert links.count() > 0
            link = next(
                a for a in links.all()
                if (url := a.get_attribute("href").split("/", 3)[3]) and captures[url] == 1
                and warc_records_title(warc_records, url)
            )  # fmt: skip
            href = link.get_attribute("href")
            original = href.split("/", 3)[3]
            evidence = next(e for e in cited.values() if e["url"] == original)
            assert (
                href
                == f"/archivo/{evidence['fetched_at'][:19].replace('-', '').replace(':', '').replace('T', '')}/{original}"
            )
            link.click()
            page.wait_for_load_state("load")
            frame = next(f for f in _wait_for_frames(page) if "mp_/" in f.url)
            frame.wait_for_load_state("load")
            assert frame.title() == warc_records_title(warc_records, original)
            assert original in page.url and page.url.startswith(f"http://127.0.0.1:{port}/archivo/")
            browser.close()
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    assert "servido en" in " ".join(out.split()) and server.returncode in (0, -15), err


def warc_records_title(records: dict, url: str) -> str | None:
    payload = next((r["payload"] for r in records.values() if r["type"] == "response" and r["uri"] == url), b"")
    match = re.search(rb"<title>([^<]+)</title>", payload)
    return html.unescape(match.group(1).decode("utf-8").strip()) if match else None


def _wait_for_frames(page, wait: float = 20):
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if any("mp_/" in f.url for f in page.frames):
            return page.frames
        time.sleep(0.2)
    pytest.fail(f"pywb did not open the replay frame: {[f.url for f in page.frames]}")


def test_review_refuses_to_serve_a_tampered_bundle(bundle, tmp_path):
    wacz_name = next(n for n in zipfile.ZipFile(bundle).namelist() if n.endswith(".wacz"))
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(_flip_byte_inside(bundle, wacz_name))
    result = apertura("review", "--servir", str(flipped))
    message = " ".join(result.stderr.split())
    assert result.returncode == 2 and "no es íntegro y no se sirve" in message and wacz_name in message
