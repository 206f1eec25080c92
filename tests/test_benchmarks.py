"""The benchmark generator and a tiny benchmark run end to end (real nginx, real CLI). No timing asserted."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from benchmarks import generator, profile_breakdown, run

OWN_PACKAGES = {"apertura", "auditors", "crawler", "models", "rules", "storage"}


@pytest.fixture
def work():
    folder = Path(tempfile.mkdtemp(prefix="apertura-bench-test-"))
    folder.chmod(0o755)  # nginx's workers (an unprivileged user when run as root) must read the web
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def files(root: Path) -> dict[str, tuple[bytes, float]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime) for p in root.rglob("*") if p.is_file()}


def test_generator_is_deterministic_and_night_two_changes_few_files(work):
    generator.generate(work / "a", 2, 40, seed=3)
    generator.generate(work / "b", 2, 40, seed=3)
    generator.generate(work / "c", 2, 40, seed=3, night=2)
    first, again, second = (files(work / n / "sites") for n in "abc")
    assert first == again
    assert first.keys() == second.keys()
    changed = [k for k in first if first[k] != second[k]]
    manifest = json.loads((work / "c" / "manifest.json").read_text())
    counted = sum(m["changed"] for m in manifest["municipalities"]) + manifest["portal"]["changed"]
    assert 0 < len(changed) == counted < len(first) * 0.15
    assert all(second[k][1] > first[k][1] for k in changed)  # a changed file is newer (Last-Modified)
    assert any(k.endswith(".pdf") for k in first) and any(k.endswith(".xlsx") for k in first)
    portal = [k for k in first if k.startswith("www.ipomex.org.mx.test/")]  # the portal both sites share
    assert {k.rsplit("/", 2)[-2] for k in portal if k.endswith(".web")} >= set(manifest["portal"]["keys"].values())
    home = next(v for k, v in first.items() if k.endswith("/index.html") and k.count("/") == 1)[0].decode()
    assert "<nav" in home and "<footer" in home and "Transparencia" in home


def test_tiny_benchmark_crawls_through_the_cli_and_writes_rows(work):
    report = work / "benchmarks.md"
    assert (
        run.main(
            [
                "--municipalities",
                "2",
                "--pages",
                "30",
                "--wrk-seconds",
                "1",
                "--report",
                str(report),
                "--work",
                str(work / "run"),
            ]
        )
        == 0
    )
    with sqlite3.connect(work / "run" / "apertura.sqlite") as connection:
        first_night = connection.execute(
            "SELECT count(*) FROM resources JOIN crawls ON crawls.id = crawl_id WHERE run_id = 1 AND resources.status = 200"
        ).fetchone()[0]
    manifest = json.loads((work / "run" / "night1" / "manifest.json").read_text())
    assert first_night >= sum(m["files"] for m in manifest["municipalities"])  # every generated file was stored
    rows = [line for line in report.read_text().splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert [r.split("|")[1].strip() for r in rows] == ["1", "2a", "2b", "3", "4", "5", "6", "7"]
    assert "Scrapy solo" in rows[0]  # the framework's own ceiling, measured in the same run, on the same web:
    bare = re.search(r"the portal's ([\d,]+) index and format pages .*?: ([\d,]+) responses", report.read_text())
    portal_requests = len(manifest["portal"]["keys"]) * (1 + manifest["portal"]["formats_requested"])
    assert bare and int(bare.group(1).replace(",", "")) == portal_requests
    assert int(bare.group(2).replace(",", "")) >= portal_requests + len(manifest["municipalities"])
    assert f"| Cores | {os.cpu_count()} |" in report.read_text()
    # night 2's WARC growth by record kind, the unchanged files' records counted
    unchanged = re.search(r"unchanged \+([\d.]+) MiB \(([\d,]+) records\)", report.read_text())
    assert unchanged and int(unchanged.group(2).replace(",", "")) > 0, report.read_text()


@pytest.mark.parametrize("portal", [False, True], ids=["sites", "sites and portal"])
def test_crawl_only_compares_the_crawl_phase_with_scrapy_alone(work, portal):
    report = work / "crawl-ratio.md"
    argv = ["--municipalities", "2", "--pages", "20", "--crawl-only", "1", "--report", str(report)]
    assert run.main([*argv, *(["--portal"] if portal else []), "--work", str(work / "run")]) == 0
    pair = next(line for line in report.read_text().splitlines() if line.startswith("| 1 |"))
    bare, ours = (int(n.replace(",", "")) for n in re.findall(r"\(([\d,]+) (?:responses|resources) in", pair))
    manifest = json.loads((work / "run" / "night1" / "manifest.json").read_text())
    site_files = sum(m["files"] for m in manifest["municipalities"])
    assert bare > 0 and ours >= site_files  # ours stored every generated file
    with sqlite3.connect(work / "run" / "crawl0.sqlite") as db:
        portal_resources = db.execute(
            "SELECT count(*) FROM resources r JOIN crawls c ON c.id = r.crawl_id WHERE c.source = 'ipomex'"
        ).fetchone()[0]
    assert (portal_resources > 0) == portal and ("with the portal crawl" in report.read_text()) == portal
    assert re.search(r"Median: \*\*[\d.]+ × Scrapy alone\*\*", report.read_text())


def test_the_profile_breakdown_names_functions_that_exist():
    """A component whose module moved would silently drop out of the breakdown (the WACZ packaging did)."""
    root = Path(run.__file__).resolve().parent.parent
    for _, suffix, name in profile_breakdown.COMPONENTS:
        if suffix.split("/")[0] in OWN_PACKAGES:
            module = root / suffix
            assert module.is_file(), suffix
            assert re.search(rf"^\s*(async )?def {name}\(", module.read_text(encoding="utf-8"), re.M), suffix
