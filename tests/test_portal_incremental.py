"""A second night on the generated portal (benchmarks/portal.py, real nginx, real CLI): the formats whose index
entry shows no update are not requested again, yet they are audited from the stored answers as before."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from benchmarks import generator
from benchmarks import portal as ipomex
from benchmarks.server import Nginx, free_port
from tests.conftest import run_apertura

pytestmark = pytest.mark.browser


def _portal_requests(server: Nginx, since: int) -> list[str]:
    """(status of) every request nginx logged for the portal's host after byte offset `since`."""
    server.log_totals(since)  # waits for nginx to flush its buffered log
    lines = server.access_log.read_bytes()[since:].decode().splitlines()
    fields = [line.split() for line in lines]  # time, host, status, bytes
    return [status for _, host, status, _ in fields if host == ipomex.HOST]


def _night(server: Nginx, web: Path, work: Path, night: str) -> dict:
    registry = work / "registry.csv"
    generator.write_registry(registry, json.loads((web / "manifest.json").read_text()), server.port)
    offset = server.log_offset()
    result = run_apertura(
        "nightly", "--registry", str(registry), "--hosts", str(web / "hosts"), "--allow-private-network",
        "--delay", "0", "--max-pages", "60", "--db", f"sqlite:///{work / 'apertura.sqlite'}",
        "--fecha-corte", "2026-11-24", "--out", str(work / night), "--archive-dir", str(work / "archivo"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return {"portal": _portal_requests(server, offset), "out": work / night}


def _verdicts(out: Path) -> dict[str, dict[str, tuple]]:
    found = {}
    for report in sorted(out.glob("15*.json")):
        data = json.loads(report.read_text("utf-8"))
        found[report.stem] = {f["rule_id"]: (f["status"], f["message"]) for f in data["findings"]}
    return found


@pytest.fixture(scope="module")
def nights():
    work = Path(tempfile.mkdtemp(prefix="apertura-portal-inc-"))
    work.chmod(0o755)  # nginx's workers (an unprivileged user when run as root) must read the web
    for night in (1, 2):
        generator.generate(work / f"web{night}", 2, 12, seed=5, night=night)
    port = free_port()
    result = {}
    try:
        # Two nights on the same web, then one where the generator updated some formats.
        for name, web in (("first", "web1"), ("same", "web1"), ("updated", "web2")):
            server = Nginx(work / web / "sites", port)
            server.start()
            try:
                result[name] = _night(server, work / web, work, name)
            finally:
                server.stop()
                shutil.rmtree(server.prefix, ignore_errors=True)
        result["db"] = work / "apertura.sqlite"
        result["web"] = work
        yield result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _undated_entries(web: Path) -> int:
    """Index entries showing no update date (CAPTCHA walls included): those are asked again, conditionally."""
    root = web / "sites" / ipomex.HOST / "ipo3" / "lgt" / "indice"
    entries = [e for index in root.glob("*.web") for e in re.findall(r"<li>.*?</li>", index.read_text())]
    return sum("Fecha de actualización" not in e for e in entries)


def test_an_unchanged_portal_is_not_fetched_again_and_audits_the_same(nights):
    first, same = nights["first"], nights["same"]
    formats = len(ipomex.formats())
    assert len(first["portal"]) >= 2 * (1 + formats)  # night 1: each index and every catalog format
    # Night 2: the two indexes and the undated entries, each answered 304, and Scrapy's robots.txt (404 here);
    # nothing else reaches the portal.
    assert len(same["portal"]) == 2 + _undated_entries(nights["web"] / "web1") + 1
    assert same["portal"].count("304") == len(same["portal"]) - 1 and same["portal"].count("404") == 1
    assert _verdicts(same["out"]) == _verdicts(first["out"])
    with sqlite3.connect(nights["db"]) as connection:
        stats = [
            json.loads(s)
            for (s,) in connection.execute("SELECT stats FROM crawls WHERE source = 'ipomex' ORDER BY run_id, id")
        ]
        reused_citing_a_record = connection.execute(
            "SELECT count(*) FROM resources WHERE facts LIKE '%\"reused\"%' AND warc_record_id IS NOT NULL"
        ).fetchone()[0]
    # Nothing was asked: tonight's WARC has no record of a reused answer, and its row cites none.
    assert reused_citing_a_record == 0
    assert [s["formats"] for s in stats[:2]] == [s["formats"] for s in stats[2:4]]  # every format audited again
    assert all(s["reused"] > 0 and s["requests"] < s["resources"] for s in stats[2:4])


def test_updated_formats_are_fetched_again(nights):
    manifest = json.loads((nights["web"] / "web2" / "manifest.json").read_text())
    changed = manifest["portal"]["changed"]
    assert changed > 0
    statuses = nights["updated"]["portal"]
    # The indexes that changed and the updated formats come back whole (200); the rest is 304 or not asked.
    assert 0 < statuses.count("200") <= changed
    with sqlite3.connect(nights["db"]) as connection:
        fetched = connection.execute(
            "SELECT count(*) FROM resources JOIN crawls ON crawls.id = crawl_id WHERE crawls.source = 'ipomex' "
            "AND run_id = (SELECT max(run_id) FROM crawls) AND resources.status = 200 "
            "AND resources.facts NOT LIKE '%\"reused\"%' AND resources.url LIKE '%/art_%'"
        ).fetchone()[0]
    assert fetched > 0
