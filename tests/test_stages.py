"""The stages are apart: `apertura audit` needs no browser and no network and writes only the audit; the
evidence stage makes screenshots when a bundle needs them, outside the audit."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, insert, make_url, select, update
from sqlalchemy.exc import OperationalError

from apertura.evidence import accessibility
from apertura.evidence.archive_browser import ArchiveBrowser
from apertura.pipeline import collection, jobs
from apertura.registry.padron import load_registry
from rules.catalog import DEFAULT_EDITION, load_catalog
from storage import repository
from storage.bodies import directory_for
from storage.database import open_database
from storage.orm import Crawl, Extract, Resource
from tests.conftest import ROOT, run_apertura

AUDIT_TABLES = {"audits", "findings"}


def sealed(events: Path, *args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """The CLI with no browser executable, a PATH with only pdftotext (a crawl does not start without it) and
    every network or process attempt recorded."""
    programs = tmp_path / "sin-programas"
    programs.mkdir(exist_ok=True)
    if not (programs / "pdftotext").exists():
        (programs / "pdftotext").symlink_to(shutil.which("pdftotext") or "/usr/bin/pdftotext")
    env = {**os.environ, "PATH": str(programs), "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "nada")}
    return subprocess.run(
        [sys.executable, "-m", "tests.sealed_cli", str(events), *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=600,
    )  # fmt: skip


def table_digests(path: Path) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table."""
    with sqlite3.connect(path) as connection:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        digests = {}
        for table in tables:
            rows = connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall()
            digests[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return digests


def files_under(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*")) if directory.is_dir() else []


def test_audit_runs_without_browser_or_network_and_writes_only_the_audit(sample_run, sample_db_copy, tmp_path):
    path = Path(make_url(sample_db_copy).database)
    before, bodies = table_digests(path), files_under(directory_for(make_url(sample_db_copy)))
    events, out = tmp_path / "eventos.log", tmp_path / "informes"
    result = sealed(
        events, "audit", "metepec", "--registry", str(sample_run["registry"]), "--db", sample_db_copy,
        "--fecha-corte", "2026-11-24", "--out", str(out), tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert events.read_text(encoding="utf-8") == ""  # no socket, no name lookup, no process (no Chromium)
    after = table_digests(path)
    assert {t for t in after if after[t] != before[t]} == AUDIT_TABLES | {"runs"}
    assert after["audits"][0] == before["audits"][0] + 1 and after["findings"][0] > before["findings"][0]
    with sqlite3.connect(path) as connection:
        # the run row is the audit's own header (kind, catalog, tool version): every earlier run is unchanged
        runs = connection.execute("SELECT * FROM runs ORDER BY id").fetchall()
        assert hashlib.sha256(repr(runs[:-1]).encode()).hexdigest() == before["runs"][1]
        assert connection.execute("SELECT kind, status FROM runs ORDER BY id DESC LIMIT 1").fetchone() == (
            "audit",
            "complete",
        )
        stored = [
            json.loads(data)
            for (data,) in connection.execute("SELECT data FROM findings WHERE audit_id = (SELECT max(id) FROM audits)")
        ]
    assert files_under(directory_for(make_url(sample_db_copy))) == bodies  # no body written to disk either
    assert not any(e.get("screenshot_sha256") for f in stored for e in f.get("evidence", []))
    # the report stage joins the screenshots the night made to the new audit's evidence
    report = json.loads((out / "15054.json").read_text(encoding="utf-8"))
    shots = {e["screenshot_sha256"] for f in report["findings"] for e in f["evidence"] if e.get("screenshot_sha256")}
    assert shots and all((out / "capturas" / f"{s}.png").is_file() for s in shots)


def test_the_recorder_sees_a_crawl(tmp_path):
    """The recorder is not blind: a recheck of a site on a closed loopback port is seen connecting."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    registry = tmp_path / "padron.csv"
    registry.write_text(f"inegi_code,name,website,ipomex_url\n15106,Toluca,http://127.0.0.1:{port}/,\n")
    events = tmp_path / "eventos.log"
    result = sealed(
        events, "recheck", "toluca", "--registry", str(registry), "--allow-private-network", "--delay", "0",
        "--db", f"sqlite:///{tmp_path / 'a.sqlite'}", "--out", str(tmp_path / "informes"), tmp_path=tmp_path,
    )  # fmt: skip
    assert result.returncode == 3, result.stderr[-3000:]
    assert f"('127.0.0.1', {port})" in events.read_text(encoding="utf-8")


@pytest.mark.browser
def test_a_bundle_gets_its_screenshots_on_demand(sample_run, sample_db_copy, tmp_path):
    """With no screenshot stored, exporting the bundle renders each cited page once (the evidence stage);
    a second export reuses them. Without a browser the recorder sees Playwright start."""
    path = Path(make_url(sample_db_copy).database)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE resources SET screenshot_sha256 = NULL")
    common = ("export", "metepec", "--registry", str(sample_run["registry"]), "--db", sample_db_copy)
    events = tmp_path / "eventos.log"
    blind = sealed(events, *common, "--bundle", str(tmp_path / "ciego.zip"), tmp_path=tmp_path)
    assert blind.returncode == 0, blind.stderr[-3000:]
    assert "subprocess.Popen" in events.read_text(encoding="utf-8")  # tried, and found no browser
    with sqlite3.connect(path) as connection:
        linked = connection.execute("SELECT count(*) FROM resources WHERE screenshot_sha256 IS NOT NULL").fetchone()
    assert linked == (0,)

    first = run_apertura(*common, "--bundle", str(tmp_path / "uno.zip"))
    assert first.returncode == 0, first.stderr[-3000:]
    with zipfile.ZipFile(tmp_path / "uno.zip") as bundle:
        findings = json.loads(bundle.read("datos/hallazgos.json"))
        names = set(bundle.namelist())
    shots = {e["url"]: e["screenshot_sha256"] for f in findings for e in f["evidence"] if e.get("screenshot_sha256")}
    nightly = json.loads((sample_run["out"] / "15054.json").read_text(encoding="utf-8"))["findings"]
    assert set(shots) == {e["url"] for f in nightly for e in f["evidence"] if e.get("screenshot_sha256")}
    assert {f"evidencia/capturas/{s}.png" for s in shots.values()} <= names
    assert run_apertura("verify", str(tmp_path / "uno.zip")).returncode == 0
    digests = table_digests(path)
    again = run_apertura(*common, "--bundle", str(tmp_path / "dos.zip"))
    assert again.returncode == 0 and table_digests(path) == digests  # nothing rendered or linked again


def crawl_without_home_axe(sessions):
    """A copy of Metepec's latest crawl whose home page came back with the same body (a 200, so its extract has
    no axe-core result): (the copy, the original home page)."""
    with sessions.begin() as session:
        first = repository.latest_crawl(session, "15054")
        rows = session.execute(select(Resource.__table__).where(Resource.crawl_id == first.id)).mappings().all()
        again = repository.create_crawl(session, run_id=first.run_id, inegi_code="15054", site_url=first.site_url)
        session.execute(
            insert(Resource), [{**{k: v for k, v in r.items() if k != "id"}, "crawl_id": again.id} for r in rows]
        )
        home = next(r for r in repository.crawl_resources(session, first) if r.is_home and r.page and r.page.axe)
        extract = session.get(
            Extract,
            session.scalar(
                select(Resource.extract_sha256).where(
                    Resource.crawl_id == again.id, Resource.final_url == home.final_url
                )
            ),
        )
        content = {**extract.content, "page": {k: v for k, v in extract.content["page"].items() if k != "axe"}}
        session.execute(
            update(Resource)
            .where(Resource.crawl_id == again.id, Resource.final_url == home.final_url)
            .values(extract_sha256=repository.store_extract(session, content))
        )
        repository.finish_crawl(session, again, status="ok", reason=None, stats=first.stats)
    return again, home


@pytest.mark.browser
def test_axe_core_is_not_run_again_on_an_identical_home_page(sample_db_copy):
    """A later crawl whose home page came back with the same body gets the stored result of that body;
    Chromium is not started."""
    sessions = open_database(sample_db_copy)
    again, home = crawl_without_home_axe(sessions)
    with sessions.begin() as session, ArchiveBrowser() as browser:
        crawl = session.get(Crawl, again.id)
        before = [r for r in repository.crawl_resources(session, crawl) if r.is_home and r.final_url == home.final_url]
        assert before and all(r.page.axe is None for r in before if r.page)
        result = accessibility.gather(session, crawl, repository.crawl_resources(session, crawl), browser)
        assert result == home.page.axe and browser._browser is None  # stored, without launching Chromium
    with sessions() as session:
        after = repository.crawl_resources(session, session.get(Crawl, again.id))
        assert all(r.page.axe == home.page.axe for r in after if r.is_home and r.page and r.final_url == home.final_url)


def test_a_failure_beside_the_audits_stops_them(tmp_path):
    """The gather stage runs in a thread beside the audits; what fails there (here, the database lost its
    `resources` table) is raised where the audits wait for it, instead of hanging the night or being lost."""
    sessions = open_database(f"sqlite:///{tmp_path / 'a.sqlite'}")
    with sessions.begin() as session:
        run = repository.create_run(
            session, kind="nightly", fecha_corte=date(2026, 11, 24), catalog="x", version="0", config={}
        )
        crawl = repository.create_crawl(session, run_id=run.id, inegi_code="15054", site_url="https://a.invalid/")
    with sqlite3.connect(tmp_path / "a.sqlite") as connection:
        connection.execute("DROP TABLE resources")
    with pytest.raises(OperationalError, match="resources"):
        with jobs.gathering_accessibility(sessions, [crawl]) as gathered, sessions.begin() as session:
            gathered(session, session.merge(crawl))
    assert not any(t.name == "apertura-axe" for t in threading.enumerate())


def test_the_gather_thread_beside_the_audits_only_reads(sample_db_copy):
    """Its results are stored by the auditing thread, in the audit's transaction: SQLite has one writer."""
    sessions = open_database(sample_db_copy)
    again, home = crawl_without_home_axe(sessions)
    statements: list[tuple[str, str]] = []

    def record(connection, cursor, statement, *args):
        statements.append((threading.current_thread().name, statement))

    event.listen(sessions.kw["bind"], "before_cursor_execute", record)
    with jobs.gathering_accessibility(sessions, [again]) as gathered, sessions.begin() as session:
        gathered(session, session.merge(again))
    event.remove(sessions.kw["bind"], "before_cursor_execute", record)
    writes = [(name, sql) for name, sql in statements if sql.lstrip().split()[0].upper() in {"INSERT", "UPDATE"}]
    assert writes and {name for name, _ in writes} == {threading.main_thread().name}, writes
    assert any(name == "apertura-axe" for name, _ in statements)  # it did read, in its own thread
    with sessions() as session:
        after = repository.crawl_resources(session, session.get(Crawl, again.id))
        stored = [r.page.axe for r in after if r.is_home and r.page and r.final_url == home.final_url]
        assert stored and all(axe == home.page.axe for axe in stored)


def test_an_audit_collects_garbage_less_often_and_gives_the_collector_back(sample_run, sample_db_copy, monkeypatch):
    """The audit runs with the young generation's threshold raised (the collector took a sixth of a re-audit), and
    the threshold is restored afterwards, also when the audit fails."""
    padron = load_registry(sample_run["registry"])
    catalog = load_catalog(DEFAULT_EDITION)
    evaluate, thresholds = jobs.audit_site, []

    def observed(*args, **kwargs):
        thresholds.append(gc.get_threshold()[0])
        if len(thresholds) > 1:
            raise RuntimeError("the audit fails")
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(jobs, "audit_site", observed)
    before = gc.get_threshold()
    sessions = open_database(sample_db_copy)
    with sessions.begin() as session:
        crawl = repository.latest_crawl(session, "15054")
        run = jobs.start_run(session, "audit", date(2026, 11, 24), catalog, {})
        audit = jobs.audit(session, run, crawl, padron.find("15054"), catalog, date(2026, 11, 24))
        assert audit.findings and gc.get_threshold() == before
        with pytest.raises(RuntimeError):
            jobs.audit(session, run, crawl, padron.find("15054"), catalog, date(2026, 11, 24))
    assert thresholds == [collection.YOUNG_THRESHOLD] * 2 and gc.get_threshold() == before


def test_a_crawl_collects_garbage_less_often_and_gives_the_collector_back(tmp_path, monkeypatch):
    """The crawl runs its spider with the young generation's threshold raised (1.24 × the crawl phase's speed,
    docs/benchmarks.md) and restores it afterwards."""
    registry = tmp_path / "padron.csv"
    registry.write_text("inegi_code,name,website,ipomex_url\n15106,Toluca,http://127.0.0.1:9/,\n")
    thresholds = []
    monkeypatch.setattr(jobs, "_run_spider", lambda *args, **kwargs: thresholds.append(gc.get_threshold()[0]))
    before = gc.get_threshold()
    sessions = open_database(f"sqlite:///{tmp_path / 'a.sqlite'}")
    with sessions.begin() as session:
        run = jobs.start_run(session, "recheck", date(2026, 11, 24), load_catalog(DEFAULT_EDITION), {})
    options = jobs.CrawlOptions(allow_private_network=True, archive_root=tmp_path / "archivo")
    crawls = jobs.crawl(sessions, str(sessions.kw["bind"].url), run, load_registry(registry).all(), options)
    assert list(crawls) == ["15106"] and thresholds == [collection.YOUNG_THRESHOLD] and gc.get_threshold() == before
