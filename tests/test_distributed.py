"""Distributed night: two `apertura worker` processes, real Redis and PostgreSQL, the sample web with a
request log; global per-domain politeness, no duplicate fetches, and a worker killed mid-crawl."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import zipfile
from collections import defaultdict
from pathlib import Path

import psutil
import pytest
import sqlalchemy
from redis import Redis
from rq.job import Job

from apertura.pipeline.distributed import job_id
from crawler.ratelimit import domain_of
from sample_web.server import SampleWebHandler, SampleWebServer, registry_rows
from tests.conftest import APERTURA, SAMPLE_HOSTS, free_port, run_apertura

pytestmark = pytest.mark.postgres

CORTE = "2026-11-24"
INTERVAL = 0.15  # --delay: seconds between a response and the next request to its domain, across all workers
MIRROR = "15055"  # a second obligated body on Metepec's host: two workers crawl one domain at once


class LoggingHandler(SampleWebHandler):
    def _respond(self, send_body: bool) -> None:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        browser = "Pragma" in self.headers  # Chromium rendering a page sends it; Scrapy's downloader does not
        self.server.log.append((time.time(), host, self.path, browser))
        super()._respond(send_body)


@pytest.fixture(scope="module")
def web():
    """The sample web with a log of (arrival time, host, path, sent by Chromium) of every request."""
    server = SampleWebServer(("127.0.0.1", 0), LoggingHandler)
    server.log = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def write_registry(path: Path, port: int) -> Path:
    # Acambay is left out to keep the test short: Metepec and its mirror already share IPOMEX's host.
    rows = [r for r in registry_rows(port) if r["inegi_code"] != "15001"]
    rows.insert(1, {**rows[0], "inegi_code": MIRROR, "name": "Metepec (espejo)", "ipomex_url": ""})
    lines = ["inegi_code,name,website,ipomex_url"] + [",".join(r.values()) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def new_database(postgres_url: str) -> str:
    name = f"dist_{os.getpid()}_{free_port()}"
    engine = sqlalchemy.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


def rows(db: str, sql: str) -> list[tuple]:
    engine = sqlalchemy.create_engine(db)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def start_workers(count: int, redis: str, db: str, logs: Path) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [APERTURA, "worker", "--redis", redis, "--db", db, "--latido", "1"],
            stdout=open(logs / f"worker{i}.log", "w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        for i in range(count)
    ]


def kill_tree(process: subprocess.Popen) -> None:
    """What a machine's death does to a worker: it, its work horse and the horse's Chromium die at once."""
    tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    for member in tree:
        member.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        if worker.poll() is None:
            kill_tree(worker)


def nightly_args(registry: Path, db: str, redis: str, out: Path) -> list[str]:
    return [
        "nightly", "--distributed", "--redis", redis, "--registry", str(registry), "--hosts", str(SAMPLE_HOSTS),
        "--allow-private-network", "--delay", str(INTERVAL), "--db", db, "--fecha-corte", CORTE, "--out", str(out),
    ]  # fmt: skip


def findings(db: str) -> dict[tuple[str, str], str]:
    found = rows(db, "SELECT a.inegi_code, f.rule_id, f.status FROM findings f JOIN audits a ON a.id = f.audit_id")
    return {(code, rule): status for code, rule, status in found}


def assert_complete_without_duplicates(db: str, codes: set[str]) -> None:
    assert rows(db, "SELECT status FROM runs") == [("complete",)]
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT inegi_code) FROM audits") == [(len(codes), len(codes))]
    assert {c for (c,) in rows(db, "SELECT inegi_code FROM audits")} == codes
    duplicated_findings = "SELECT audit_id, rule_id FROM findings GROUP BY audit_id, rule_id HAVING COUNT(*) > 1"
    assert rows(db, duplicated_findings) == []
    finished = (
        "SELECT inegi_code, source, COUNT(*) FROM crawls WHERE status <> 'interrupted' GROUP BY inegi_code, source"
    )
    assert all(n == 1 for *_, n in rows(db, finished))
    assert rows(db, "SELECT COUNT(*) FROM crawls WHERE finished_at IS NULL") == [(0,)]
    # One fetch per URL and crawl; a page re-fetched in Chromium is a second, rendered resource by design.
    duplicated = """SELECT crawl_id, url, facts->>'rendered' FROM resources
                    GROUP BY crawl_id, url, facts->>'rendered' HAVING COUNT(*) > 1"""
    assert rows(db, duplicated) == []


@pytest.fixture(scope="module")
def uninterrupted(redis_server, postgres_url, web, tmp_path_factory):
    """One distributed night with two workers and nothing killed: the reference."""
    directory = tmp_path_factory.mktemp("distributed")
    registry = write_registry(directory / "registry.csv", web.server_address[1])
    db, redis = new_database(postgres_url), f"{redis_server}/1"
    workers = start_workers(2, redis, db, directory)
    web.log.clear()
    try:
        result = run_apertura(*nightly_args(registry, db, redis, directory / "out"), timeout=400)
    finally:
        stop(workers)
    assert result.returncode == 0, result.stderr[-3000:] + (directory / "worker0.log").read_text()[-3000:]
    return {"db": db, "redis": redis, "registry": registry, "log": list(web.log), "stdout": result.stdout,
            "out": directory / "out"}  # fmt: skip


def test_two_workers_cover_the_night_once_and_share_the_per_domain_rate(uninterrupted):
    db = uninterrupted["db"]
    codes = {"15054", MIRROR, "15125", "15123"}
    assert_complete_without_duplicates(db, codes)
    assert "Ejecución 1 terminada" in uninterrupted["stdout"]
    assert (uninterrupted["out"] / "15054.html").exists() and (uninterrupted["out"] / "estatal.html").exists()
    statuses = dict(rows(db, "SELECT inegi_code, status FROM crawls WHERE source = 'sitio'"))
    assert statuses["15123"] == "unreachable" and statuses["15054"] == statuses[MIRROR] == "ok"
    # The mirror and Metepec share a host: compared with the site crawls they must have run on two workers
    # at the same time, so that the rate below was held across workers and not by one process.
    redis = Redis.from_url(uninterrupted["redis"])
    ran_on = {code: Job.fetch(job_id(1, code), connection=redis).latest_result().return_value["worker"]
              for code in ("15054", MIRROR)}  # fmt: skip
    assert ran_on["15054"] != ran_on[MIRROR]
    spans = dict(
        (code, (start, end))
        for code, start, end in rows(
            db,
            """SELECT c.inegi_code, MIN(r.fetched_at), MAX(r.fetched_at) FROM resources r
                                          JOIN crawls c ON c.id = r.crawl_id WHERE c.source = 'sitio'
                                          GROUP BY c.inegi_code""",
        )
    )
    assert max(spans["15054"][0], spans[MIRROR][0]) < min(spans["15054"][1], spans[MIRROR][1])
    # Every request as the server saw it, Chromium's included: a domain is leased to one request at a time
    # and its next request leaves only INTERVAL after the response, so no two arrivals are closer.
    by_domain = defaultdict(list)
    for moment, host, path, browser in uninterrupted["log"]:
        by_domain[domain_of(f"http://{host}/")].append((moment, path, browser))
    assert len(by_domain["www.metepec.gob.mx.test"]) > 60  # Metepec and its mirror, both crawled
    assert any(browser for *_, browser in uninterrupted["log"])  # pages rendered in Chromium are in the count
    smallest = {}
    for domain, moments in by_domain.items():
        moments.sort()
        gaps = sorted(
            (b[0] - a[0], a[1:], b[1:]) for a, b in zip(moments, moments[1:], strict=False)
        )  # (gap, (path, by Chromium)…)
        smallest[domain] = gaps[0][0] if gaps else INTERVAL
        assert smallest[domain] >= INTERVAL, (domain, gaps[:5])
    print(f"\nsmallest gap per domain (interval {INTERVAL} s):", {d: round(g, 3) for d, g in smallest.items()})


def test_each_municipality_of_a_distributed_night_bundles_the_archive_its_worker_wrote(uninterrupted, tmp_path):
    wacz = dict(rows(uninterrupted["db"], "SELECT inegi_code, stats->>'wacz' FROM crawls WHERE source = 'sitio'"))
    assert wacz["15054"] and wacz[MIRROR] and wacz["15054"] != wacz[MIRROR]  # one WACZ per worker job
    bundle = tmp_path / "metepec.zip"
    exported = run_apertura(
        "export",
        "15054",
        "--registry",
        str(uninterrupted["registry"]),
        "--db",
        uninterrupted["db"],
        "--bundle",
        str(bundle),
    )
    assert exported.returncode == 0, exported.stderr[-3000:]
    with zipfile.ZipFile(bundle) as archive:
        assert f"evidencia/{Path(wacz['15054']).name}" in archive.namelist()
    verified = run_apertura("verify", str(bundle))
    assert verified.returncode == 0, verified.stderr[-3000:]


def test_a_worker_killed_mid_crawl_is_taken_over_with_the_same_findings(
    uninterrupted, postgres_url, redis_server, tmp_path
):
    db, redis = new_database(postgres_url), f"{redis_server}/2"
    workers = start_workers(2, redis, db, tmp_path)
    args = nightly_args(uninterrupted["registry"], db, redis, tmp_path / "out")
    coordinator = subprocess.Popen([APERTURA, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        victim = wait_for_a_worker_mid_crawl(db, workers, coordinator)
        kill_tree(victim)
        _, stderr = coordinator.communicate(timeout=400)
    finally:
        if coordinator.poll() is None:
            coordinator.kill()
        stop(workers)
    assert coordinator.returncode == 0, stderr[-3000:]
    codes = {"15054", MIRROR, "15125", "15123"}
    assert_complete_without_duplicates(db, codes)
    # The dead worker's crawl was abandoned (its partial resources removed) and crawled again by the other.
    interrupted = rows(db, "SELECT id FROM crawls WHERE status = 'interrupted'")
    assert interrupted, "the kill did not land in a crawl"
    ids = ",".join(str(i) for (i,) in interrupted)
    assert rows(db, f"SELECT COUNT(*) FROM resources WHERE crawl_id IN ({ids})") == [(0,)]
    assert findings(db) == findings(uninterrupted["db"])


def wait_for_a_worker_mid_crawl(db: str, workers: list[subprocess.Popen], coordinator: subprocess.Popen):
    """The first worker whose work horse is crawling a site that already has some stored resources."""
    deadline = time.monotonic() + 90
    query = """SELECT COUNT(*) FROM resources r JOIN crawls c ON c.id = r.crawl_id
               WHERE c.finished_at IS NULL AND c.source = 'sitio'"""
    while time.monotonic() < deadline:
        assert coordinator.poll() is None, coordinator.communicate()[1][-3000:]
        try:
            stored = rows(db, query)[0][0]
        except sqlalchemy.exc.ProgrammingError:
            stored = 0  # schema not created yet
        busy = [w for w in workers if psutil.Process(w.pid).children()]
        if stored >= 8 and busy:
            return busy[0]
        time.sleep(0.05)
    pytest.fail("no worker was caught mid-crawl")
