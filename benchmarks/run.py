"""`make bench` / `make bench-quick`: measures Apertura on a generated municipal web and writes the report.

Every figure is measured in this run, next to a baseline measured in the same run on the same web:
wget's recursive fetch, the server's own ceiling (wrk), the first night. Nothing in the report is
typed by hand. See docs/benchmarks.md for what each row means.

Usage:  python -m benchmarks.run --municipalities 125 --pages 300 --report docs/benchmarks.md
        python -m benchmarks.run --municipalities 10 --pages 50 --crawl-only 3 --report var/crawl-ratio.md
(--crawl-only N: only row 1's comparison, the crawl phase against Scrapy alone, N pairs run alternately)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import psutil
import scrapy
from sqlalchemy import func, make_url, select
from warcio.archiveiterator import ArchiveIterator

from apertura.pipeline import jobs
from apertura.pipeline import portal as ipomex
from apertura.pipeline.collection import fewer_collections
from apertura.registry.padron import load_registry
from auditors.runner import audit_site
from auditors.site import Site
from benchmarks import generator
from benchmarks import portal as generated_portal
from benchmarks.server import Nginx, free_port
from crawler.archive import git_commit
from rules.catalog import DEFAULT_EDITION, load_catalog
from storage import repository
from storage.bodies import directory_for
from storage.database import open_database
from storage.orm import Crawl, Resource

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).with_name("wrk_urls.lua")
FECHA_CORTE = date(2026, 11, 2)
MiB = 1024 * 1024


@dataclass
class Row:
    key: str
    measure: str
    result: str
    baseline: str
    ratio: str
    target: str
    met: bool | None  # None: no target or not measurable yet


@dataclass
class Measured:
    wall: float
    peak_pss: int  # proportional set size: a page shared by n processes counts 1/n in each
    peak_rss: int
    returncode: int
    peak_at: float = 0.0  # seconds after the start
    peak_parts: dict[str, int] = field(default_factory=dict)  # PSS at the peak, by process kind (`process_kind`)


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def run_measured(command: list[str], stdout: Path) -> Measured:
    """Runs `command`, sampling the memory of its whole process tree (Chromium and extraction workers
    included) every half second (reading each process's smaps costs CPU the measured run would miss).
    The sum of RSS counts shared pages (libraries, forked workers) once per process; the sum of PSS
    divides them among their processes, so it is the memory the tree uses."""
    started = time.perf_counter()
    with open(stdout, "ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        peak_pss = peak_rss = 0
        peak_at, peak_parts = 0.0, {}
        parent = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                tree = [(p, p.memory_full_info()) for p in [parent, *parent.children(recursive=True)] if p.is_running()]
                peak_rss = max(peak_rss, sum(m.rss for _, m in tree))
                if (pss := sum(m.pss for _, m in tree)) > peak_pss:
                    peak_pss, peak_at, peak_parts = pss, time.perf_counter() - started, {}
                    for p, m in tree:
                        kind = process_kind(p, parent)
                        peak_parts[kind] = peak_parts.get(kind, 0) + m.pss
            except psutil.Error:
                pass
            time.sleep(0.5)
    return Measured(time.perf_counter() - started, peak_pss, peak_rss, process.returncode, peak_at, peak_parts)


def process_kind(process: psutil.Process, root: psutil.Process) -> str:
    if process.pid == root.pid:
        return "apertura"
    name = process.name()
    if "chrom" in name:
        return "Chromium"
    if name.startswith("node"):  # the Playwright driver names its thread "node-MainThread"
        return "Playwright (node)"
    return "extraction workers" if "python" in name else name


def apertura(*args: str) -> list[str]:
    return [sys.executable, "-m", "apertura.cli", *args]


class Bench:
    def __init__(self, work: Path, municipalities: int, pages: int, seed: int, wrk_seconds: int):
        self.work = work
        self.count, self.pages, self.seed, self.wrk_seconds = municipalities, pages, seed, wrk_seconds
        self.db_url = f"sqlite:///{work / 'apertura.sqlite'}"
        self.rows: list[Row] = []
        self.facts: dict[str, object] = {}
        self.output = work / "apertura.log"
        self.delay = 0.0  # --delay of the nights: 0 measures the engine; benchmarks/politeness.py sets a real one

    # -- web ----------------------------------------------------------------------------------------
    def generate(self) -> None:
        for night in (1, 2):
            started = time.perf_counter()
            self.manifest = generator.generate(self.work / f"night{night}", self.count, self.pages, self.seed, night)
            self.facts[f"generate_night{night}_s"] = time.perf_counter() - started
        self.manifest = json.loads((self.work / "night1" / "manifest.json").read_text(encoding="utf-8"))
        sites = self.manifest["municipalities"]
        self.facts["files"] = sum(m["files"] for m in sites)
        self.facts["documents"] = sum(m["documents"] for m in sites)
        self.facts["changed_night2"] = sum(
            m["changed"] for m in json.loads((self.work / "night2" / "manifest.json").read_text())["municipalities"]
        )
        self.max_pages = max(m["files"] + m["dead_links"] for m in sites) + 10
        log(f"web generada: {self.count} municipios, {self.facts['files']} archivos")

    def crawl_args(self, port: int) -> list[str]:
        registry = self.work / "registry.csv"
        generator.write_registry(registry, self.manifest, port)
        return [
            "--registry",
            str(registry),
            "--hosts",
            str(self.work / "night1" / "hosts"),
            "--allow-private-network",
            "--delay",
            str(self.delay),
            "--max-pages",
            str(self.max_pages),
            "--fecha-corte",
            FECHA_CORTE.isoformat(),
            "--archive-dir",
            str(self.work / "archivo"),
        ]

    # -- baselines ----------------------------------------------------------------------------------
    def wrk(self, server: Nginx) -> float:
        urls = self.work / "urls.txt"
        lines = []
        for m in self.manifest["municipalities"]:
            root = self.work / "night1" / "sites" / m["host"]
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    relative = "/" + str(path.relative_to(root)).removesuffix("index.html")
                    lines.append(f"{m['host']} {relative}")
        urls.write_text("\n".join(lines) + "\n", encoding="utf-8")
        command = [
            "wrk",
            "-t2",
            "-c64",
            f"-d{self.wrk_seconds}s",
            "-s",
            str(WRK_SCRIPT),
            f"http://127.0.0.1:{server.port}/",
        ]
        output = subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, "BENCH_URLS": str(urls)}, check=True
        ).stdout
        rate = float(next(line.split()[1] for line in output.splitlines() if line.startswith("Requests/sec")))
        log(f"wrk: {rate:,.0f} solicitudes/s")
        return rate

    def wget(self, server: Nginx) -> tuple[float, int, float]:
        """One `wget --recursive` per site, as many at once as there are cores."""
        target = self.work / "wget"
        proxy = f"http://127.0.0.1:{server.port}/"

        def fetch(host: str) -> None:
            subprocess.run(
                [
                    "wget",
                    "--recursive",
                    "--level=inf",
                    "--quiet",
                    "-e",
                    "robots=on",
                    "-e",
                    "use_proxy=on",
                    "-e",
                    f"http_proxy={proxy}",
                    "-P",
                    str(target),
                    f"http://{host}:{server.port}/",
                ],
                check=False,
            )

        offset = server.log_offset()
        started = time.perf_counter()
        with ThreadPoolExecutor(os.cpu_count()) as pool:
            list(pool.map(fetch, [m["host"] for m in self.manifest["municipalities"]]))
        wall = time.perf_counter() - started
        requests, _, _ = server.log_totals(offset)
        shutil.rmtree(target, ignore_errors=True)
        log(f"wget: {requests} solicitudes en {wall:.1f} s")
        return requests / wall, requests, wall

    def bare_scrapy(self, server: Nginx, portal: bool = False) -> tuple[float, int, float]:
        """Scrapy alone (benchmarks/bare_spider.py) on the same sites, settings and proxy; with `portal`, also
        every request the IPOMEX spider makes of night 1's portal (each municipality's index and formats)."""
        hosts = [f"{m['host']}:{server.port}" for m in self.manifest["municipalities"]]
        keys = self.manifest.get("portal", {}).get("keys", {}).values() if portal else []
        formats = generated_portal.formats()
        asked = [
            url
            for key in keys
            for url in (
                generated_portal.index_url(key, server.port),
                *(generated_portal.format_url(key, f, server.port) for f in formats),
            )
        ]
        self.facts["bare_portal_urls"] = len(asked)
        urls = self.work / "portal-urls.txt"
        urls.write_text("".join(f"{url}\n" for url in asked), encoding="utf-8")
        output = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bare_spider",
                f"http://127.0.0.1:{server.port}/",
                *hosts,
                "--urls",
                str(urls),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        responses, seconds = output.split()[-2:]
        log(f"scrapy solo: {responses} respuestas en {float(seconds):.1f} s")
        return int(responses) / float(seconds), int(responses), float(seconds)

    # -- Apertura -----------------------------------------------------------------------------------
    def nightly(self, server: Nginx, night: int) -> dict:
        offset = server.log_offset()
        measured = run_measured(
            apertura(
                "nightly",
                *self.crawl_args(server.port),
                "--db",
                self.db_url,
                "--out",
                str(self.work / f"informes{night}"),
            ),
            self.output,
        )
        if measured.returncode != 0:
            raise RuntimeError(f"apertura nightly terminó con {measured.returncode}; véase {self.output}")
        requests, sent, statuses = server.log_totals(offset)
        sessions = open_database(self.db_url)
        with sessions() as session:
            run_id = session.scalar(select(func.max(Crawl.run_id)))
            crawls = session.scalars(select(Crawl).where(Crawl.run_id == run_id)).all()
            resources = session.scalar(select(func.count(Resource.id)).join(Crawl).where(Crawl.run_id == run_id))
            rendered = session.scalar(
                select(func.count(Resource.id))
                .join(Crawl)
                .where(Crawl.run_id == run_id, Resource.facts["rendered"].as_boolean().is_(True))
            )
            crawl_phase = (max(c.finished_at for c in crawls) - min(c.started_at for c in crawls)).total_seconds()
            screenshots = session.scalar(
                select(func.count(func.distinct(Resource.screenshot_sha256))).join(Crawl).where(Crawl.run_id == run_id)
            )
        result = {
            "run_id": run_id,
            "wall": measured.wall,
            "peak_pss": measured.peak_pss,
            "peak_rss": measured.peak_rss,
            "peak_at": measured.peak_at,
            "peak_parts": measured.peak_parts,
            "requests": requests,
            "screenshots": screenshots,
            "bytes": sent,
            "statuses": statuses,
            "resources": resources,
            "crawl_phase": crawl_phase,
            "rendered": rendered,
            "ok": sum(c.status == "ok" for c in crawls if c.source == "sitio"),
            "portal_ok": sum(c.status == "ok" for c in crawls if c.source == "ipomex"),
        } | self.stored()
        log(
            f"noche {night}: {resources} recursos, {requests} solicitudes, {measured.wall:.1f} s, "
            f"memoria máx. {measured.peak_pss / MiB:.0f} MiB PSS ({measured.peak_rss / MiB:.0f} MiB RSS)"
        )
        return result

    def stored(self) -> dict:
        """What the night's database and web archive hold now."""
        database = database_size(self.work / "apertura.sqlite")
        archive = tree_size(self.work / "archivo")
        records, record_counts = archive_records(self.work / "archivo")
        return {
            "database": database,
            "archive": archive,
            "storage": database + archive,
            "tables": table_sizes(self.work / "apertura.sqlite"),
            "records": records,
            "record_counts": record_counts,
        }

    def reaudit(self, run_id: int) -> dict:
        """Every site crawl of the run audited in-process as `apertura audit` does (each with its portal crawl),
        then evaluation alone. Resources counted: those the audits read, the site's and the portal's."""
        catalog = load_catalog(DEFAULT_EDITION)
        municipalities = {m.inegi_code: m for m in load_registry(self.work / "registry.csv")}
        sessions = open_database(self.db_url)
        with sessions.begin() as session:
            crawls = repository.run_crawls(session, run_id)
            run = jobs.start_run(session, "audit", FECHA_CORTE, catalog, {"benchmark": True})
            started = time.perf_counter()
            for crawl in crawls:
                jobs.audit(session, run, crawl, municipalities[crawl.inegi_code], catalog, FECHA_CORTE)
            full = time.perf_counter() - started
            sites = [
                (
                    Site(repository.crawl_resources(session, c), c.site_url, municipalities[c.inegi_code].name),
                    ipomex.for_audit(session, c),
                )
                for c in crawls
            ]
        resources = sum(len(site.resources) + (len(portal.resources) if portal else 0) for site, portal in sites)
        started = time.perf_counter()
        with fewer_collections():  # as `jobs.audit` evaluates
            for site, portal in sites:
                audit_site(catalog.rules, site, FECHA_CORTE, portal, catalog.edition.applicability_format)
        evaluation = time.perf_counter() - started
        log(f"re-auditoría: {resources} recursos en {full:.1f} s (evaluación sola {evaluation:.1f} s)")
        return {"resources": resources, "full": full, "evaluation": evaluation}

    def recheck(self, server: Nginx) -> dict:
        biggest = max(self.manifest["municipalities"], key=lambda m: m["files"])
        db = self.work / "recheck.sqlite"
        measured = run_measured(
            apertura(
                "recheck",
                biggest["inegi_code"],
                *self.crawl_args(server.port),
                "--db",
                f"sqlite:///{db}",
                "--out",
                str(self.work / "informes-recheck"),
            ),
            self.output,
        )
        if measured.returncode != 0:
            raise RuntimeError(f"apertura recheck terminó con {measured.returncode}; véase {self.output}")
        with sqlite3.connect(db) as connection:
            resources = connection.execute("SELECT count(*) FROM resources").fetchone()[0]
        log(f"recheck de {biggest['name']}: {resources} recursos en {measured.wall:.1f} s")
        return {"wall": measured.wall, "resources": resources, "name": biggest["name"], "pages": biggest["pages"]}

    def first_screenshots(self) -> dict:
        """What a reviewer waits for the first screenshots: a night renders none (they are made on demand), so
        `apertura export --bundle` of the largest municipality renders the pages its findings cite."""
        biggest = max(self.manifest["municipalities"], key=lambda m: m["files"])
        registry, bundle = self.work / "registry.csv", self.work / "paquete.zip"
        command = apertura("export", biggest["inegi_code"], "--registry", str(registry), "--db", self.db_url)
        measured = run_measured([*command, "--bundle", str(bundle)], self.output)
        if measured.returncode != 0:
            raise RuntimeError(f"apertura export --bundle terminó con {measured.returncode}; véase {self.output}")
        with sqlite3.connect(self.work / "apertura.sqlite") as connection:
            shots = connection.execute("SELECT count(DISTINCT screenshot_sha256) FROM resources").fetchone()[0]
        log(f"paquete de {biggest['name']}: {shots} capturas en {measured.wall:.1f} s")
        return {"wall": measured.wall, "screenshots": shots, "name": biggest["name"]}

    # -- the crawl phase alone, against Scrapy alone (--crawl-only) --------------------------------------
    def crawl_phase(
        self, server: Nginx, attempt: str, profile: Path | None = None, portal: bool = False, tree: Path = ROOT
    ) -> tuple[float, int, float]:
        """`apertura nightly`'s crawl phase into a fresh database (benchmarks/crawl_phase.py), with the code of
        `tree` (another checkout of Apertura: the code before a change, measured in the same run)."""
        args = self.crawl_args(server.port)
        value = {name: args[args.index(name) + 1] for name in ("--registry", "--hosts", "--max-pages")}
        command = [
            sys.executable,
            "-m",
            "benchmarks.crawl_phase",
            value["--registry"],
            value["--hosts"],
            value["--max-pages"],
            f"sqlite:///{self.work / f'crawl{attempt}.sqlite'}",
            str(self.work / f"archivo{attempt}"),
            *(["--profile", str(profile)] if profile else []),
            *([] if portal else ["--sites-only"]),
        ]
        with open(self.output, "ab") as out:
            result = subprocess.run(command, stdout=subprocess.PIPE, stderr=out, check=True, cwd=tree)
        resources, seconds = result.stdout.decode().split()[-2:]
        log(f"fase de rastreo ({tree}): {resources} recursos en {float(seconds):.1f} s")
        return int(resources) / float(seconds), int(resources), float(seconds)

    def crawl_only(
        self, pairs: int, profile: Path | None, baseline_tree: Path | None = None, portal: bool = False
    ) -> list[dict]:
        """Scrapy alone and Apertura's crawl phase, alternately (A B A B …) on the same nginx, so that both see
        the same load; with `baseline_tree`, also the crawl phase of that checkout (A B C A B C …); with `portal`,
        each also crawls the portal, as row 1 of the whole run does. The profile, if asked, is taken in one more
        Apertura run after the pairs."""
        self.generate()
        server = Nginx(self.work / "night1" / "sites", free_port())
        server.start()
        measured = []
        try:
            for attempt in range(pairs):
                load_before = os.getloadavg()[0]
                bare = self.bare_scrapy(server, portal)
                full = self.crawl_phase(server, str(attempt), portal=portal)
                before = (
                    self.crawl_phase(server, f"{attempt}-base", portal=portal, tree=baseline_tree)
                    if baseline_tree
                    else None
                )
                measured.append(
                    {
                        "bare": bare,
                        "apertura": full,
                        "ratio": full[0] / bare[0],
                        "baseline": before,
                        "baseline_ratio": before[0] / bare[0] if before else None,
                        "load": (load_before, os.getloadavg()[0]),
                    }
                )
                log(f"par {attempt + 1}: {full[0] / bare[0]:.2f} × Scrapy solo (carga {load_before:.1f})")
            if profile:
                self.crawl_phase(server, "profile", profile, portal)
        finally:
            server.stop()
            shutil.rmtree(server.prefix, ignore_errors=True)
        return measured

    # -- the whole run ------------------------------------------------------------------------------
    def run(self) -> None:
        self.generate()
        server = Nginx(self.work / "night1" / "sites", free_port())
        server.start()
        try:
            ceiling = self.wrk(server)
            wget_rate, wget_requests, wget_wall = self.wget(server)
            bare_rate, bare_responses, bare_wall = self.bare_scrapy(server, portal=True)
            first = self.nightly(server, 1)
            audit = self.reaudit(first["run_id"])
            screenshots = self.first_screenshots()
            recheck = self.recheck(server)
        finally:
            server.stop()
        server2 = Nginx(self.work / "night2" / "sites", server.port)
        server2.start()
        try:
            # Growth is counted from here: the re-audit in between stored its own audits in the same database.
            second = {"before": self.stored()} | self.nightly(server2, 2)
        finally:
            server2.stop()
        shutil.rmtree(server.prefix, ignore_errors=True)
        shutil.rmtree(server2.prefix, ignore_errors=True)
        self.facts.update(
            ceiling=ceiling,
            wget_requests=wget_requests,
            wget_wall=wget_wall,
            bare_responses=bare_responses,
            bare_wall=bare_wall,
        )
        self.results = {"first": first, "second": second, "audit": audit, "recheck": recheck, "shots": screenshots}
        self.rows = rows(self.count, self.pages, ceiling, wget_rate, bare_rate, first, second, audit, recheck)
        self.rows.append(screenshot_row(screenshots, first))


def database_size(path: Path) -> int:
    """Bytes of a SQLite database and of the large bodies stored beside it."""
    return sqlite_size(path) + tree_size(directory_for(make_url(f"sqlite:///{path}")))


def storage_growth(second: dict) -> str:
    """Where night 2's new bytes went: the five tables that grew most, the bodies on disk, the archive."""
    before = second["before"]
    grown = {name: size - before["tables"].get(name, 0) for name, size in second["tables"].items()}
    return storage_summary(
        grown, bodies_on_disk(second) - bodies_on_disk(before), second["archive"] - before["archive"], "+"
    )


GROWTH_KINDS = {  # table (or index) name fragment -> what night 2's growth in it is
    "bodies": "changed content",
    "extracts": "changed content",
    "resources": "per-request records",
    "findings": "the night's audits",
    "finding_contents": "the night's audits",
    "audits": "the night's audits",
}
RECORD_KINDS = {  # WARC records (archive_records) -> what night 2's growth in them is
    "content": "changed content",
    "unchanged": "per-request records",
    "other": "per-request records",
    "packaging": "per-request records",
}


def growth_by_kind(first: dict, second: dict) -> str:
    """Night 2's growth as a share of night 1's storage, by what it records: the content that changed (bodies,
    extracts, WARC records of 2xx responses), a record of every request (resource rows, WARC revisit records or
    304 responses, other statuses, WACZ index and packaging), the night's audits."""
    before = second["before"]
    kinds = {"changed content": bodies_on_disk(second) - bodies_on_disk(before), "per-request records": 0}
    archived = second["archive"] - before["archive"]
    for name, size in second["records"].items():
        grown = size - before["records"].get(name, 0)
        kinds[RECORD_KINDS[name]] += grown
        archived -= grown
    kinds["per-request records"] += archived  # the WACZ's index, page list and datapackage
    for name, size in second["tables"].items():
        kind = next((k for fragment, k in GROWTH_KINDS.items() if fragment in name), "other")
        kinds[kind] = kinds.get(kind, 0) + size - before["tables"].get(name, 0)
    return "; ".join(
        f"{kind} +{size / MiB:,.1f} MiB ({size / first['storage']:.1%} of night 1)"
        for kind, size in kinds.items()
        if abs(size) >= MiB / 20
    )


def record_growth(second: dict) -> str:
    """Night 2's WARC bytes by record kind, with the number of records."""
    before = second["before"]
    return ", ".join(
        f"{name} +{(size - before['records'].get(name, 0)) / MiB:,.2f} MiB "
        f"({second['record_counts'].get(name, 0) - before['record_counts'].get(name, 0):,} records)"
        for name, size in second["records"].items()
    )


def archive_records(folder: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Compressed bytes of the WARC records in every WACZ under `folder`, by kind: 2xx responses with their
    requests (`content`), 304s as revisit records or as responses with their requests (`unchanged`), other
    responses (`other`) and warcinfo (`packaging`); and how many records of each."""
    sizes = dict.fromkeys(RECORD_KINDS, 0)
    counts = dict.fromkeys(RECORD_KINDS, 0)
    for wacz in sorted(folder.rglob("*.wacz")) if folder.exists() else []:
        with zipfile.ZipFile(wacz) as archive:
            for name in (n for n in archive.namelist() if n.startswith("archive/")):
                requests, kinds = {}, {}
                with archive.open(name) as stream:
                    records = ArchiveIterator(stream)
                    for record in records:
                        record.content_stream().read()
                        length = records.get_record_length()
                        if record.rec_type == "request":
                            requests[record.rec_headers.get_header("WARC-Concurrent-To")] = length
                            continue
                        if record.rec_type == "warcinfo":
                            kind = "packaging"
                        else:
                            status = (record.http_headers.get_statuscode() if record.http_headers else "") or ""
                            unchanged = record.rec_type == "revisit" or status == "304"
                            kind = "unchanged" if unchanged else "content" if status.startswith("2") else "other"
                        kinds[record.rec_headers.get_header("WARC-Record-ID")] = kind
                        sizes[kind] += length
                        counts[kind] += 1
                for response, length in requests.items():
                    sizes[kinds.get(response, "other")] += length
    return sizes, counts


def storage_summary(tables: dict[str, int], on_disk: int, archive: int, sign: str = "") -> str:
    largest = ", ".join(
        f"{name} {sign}{size / MiB:,.2f} MiB" for name, size in sorted(tables.items(), key=lambda kv: -kv[1])[:5]
    )
    return f"to the database {largest}; bodies on disk {sign}{on_disk / MiB:,.2f} MiB; WARC/WACZ {sign}{archive / MiB:,.2f} MiB"


def bodies_on_disk(night: dict) -> int:
    return night["database"] - sum(night["tables"].values())


def table_sizes(path: Path) -> dict[str, int]:
    """Bytes per table and index (SQLite's dbstat), or nothing where SQLite was built without it."""
    with sqlite3.connect(path) as connection:
        try:
            return dict(connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
        except sqlite3.OperationalError:
            return {}


def sqlite_size(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages, size = (connection.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
    return pages * size


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def rows(count, pages, ceiling, wget_rate, bare_rate, first, second, audit, recheck) -> list[Row]:
    rate = first["resources"] / first["crawl_phase"]
    audit_rate = audit["resources"] / audit["full"]
    bytes_ratio = second["bytes"] / first["bytes"]
    before = second["before"]
    storage_ratio = (second["storage"] - before["storage"]) / first["storage"]
    rendered_share = first["rendered"] / first["resources"]
    gib = first["peak_pss"] / 1024**3
    memory = f"memoria máx. {first['peak_pss'] / MiB:,.0f} MiB PSS ({first['peak_rss'] / MiB:,.0f} MiB RSS sumado)"
    return [
        Row(
            "1",
            "Rastreo + extracción + almacenamiento",
            f"{rate:,.0f} recursos/s ({first['resources']:,} recursos en {first['crawl_phase']:.0f} s)",
            f"wget -r: {wget_rate:,.0f} solicitudes/s; Scrapy solo: {bare_rate:,.0f}/s; "
            f"techo del servidor (wrk): {ceiling:,.0f}/s",
            f"{rate / wget_rate:.2f} × wget; {rate / bare_rate:.2f} × Scrapy solo; {bare_rate / wget_rate:.2f} "
            f"(Scrapy solo / wget)",
            "≥ 0.5 × wget",
            rate >= 0.5 * wget_rate,
        ),
        Row(
            "2a",
            f"Rastreo estatal ({count} × {pages} páginas + documentos), fase de rastreo de `apertura nightly`",
            f"{first['crawl_phase'] / 60:.1f} min; {memory} en toda la noche",
            "meta: 10 min, 1 GiB",
            f"{first['crawl_phase'] / 600:.2f} × meta de tiempo; {gib:.2f} × meta de memoria",
            "≤ 10 min y ≤ 1 GiB",
            first["crawl_phase"] <= 600 and gib <= 1,
        ),
        Row(
            "2b",
            f"Noche completa: rastreo, auditoría, {first['screenshots']:,} capturas de página completa, informes",
            f"{first['wall'] / 60:.1f} min; {memory}",
            "meta: 10 min, 1 GiB",
            f"{first['wall'] / 600:.2f} × meta de tiempo; {gib:.2f} × meta de memoria",
            "≤ 10 min y ≤ 1 GiB",
            first["wall"] <= 600 and gib <= 1,
        ),
        Row(
            "3",
            "Re-auditoría de todo lo almacenado, sin red",
            f"{audit_rate:,.0f} recursos/s ({audit['resources']:,} en {audit['full']:.1f} s; "
            f"evaluación sola {audit['resources'] / audit['evaluation']:,.0f}/s)",
            f"rastreo de la noche 1: {rate:,.0f} recursos/s",
            f"{audit_rate / rate:.1f} × rastreo",
            "≥ 1,000 recursos/s",
            audit_rate >= 1000,
        ),
        Row(
            "4",
            "Segunda noche (5 % de recursos cambiados)",
            f"{second['requests']:,} solicitudes, {second['bytes'] / MiB:,.1f} MiB, "
            f"+{(second['storage'] - before['storage']) / MiB:,.1f} MiB almacenados (base "
            f"+{(second['database'] - before['database']) / MiB:,.1f}, WARC/WACZ "
            f"+{(second['archive'] - before['archive']) / MiB:,.1f}); "
            f"304: {second['statuses'].get(304, 0):,}",
            f"noche 1: {first['requests']:,} solicitudes, {first['bytes'] / MiB:,.1f} MiB, "
            f"{first['storage'] / MiB:,.1f} MiB almacenados (base {first['database'] / MiB:,.1f}, "
            f"WARC/WACZ {first['archive'] / MiB:,.1f})",
            f"{second['requests'] / first['requests']:.2f} × solicitudes; {bytes_ratio:.2f} × bytes; "
            f"{storage_ratio:.2f} × almacenamiento",
            "≤ 0.10 × bytes y ≤ 0.08 × almacenamiento",
            bytes_ratio <= 0.10 and storage_ratio <= 0.08,
        ),
        Row(
            "5",
            f"`apertura recheck` de un municipio ({recheck['name']}, {recheck['pages']} páginas)",
            f"{recheck['wall']:.1f} s ({recheck['resources']} recursos, con informe)",
            "meta: 30 s",
            f"{recheck['wall'] / 30:.2f} × meta",
            "≤ 30 s",
            recheck["wall"] <= 30,
        ),
        Row(
            "6",
            "Páginas renderizadas en Chromium",
            f"{rendered_share:.1%} ({first['rendered']:,} de {first['resources']:,})",
            "meta: 5 %",
            f"{rendered_share / 0.05:.2f} × meta",
            "≤ 5 %",
            rendered_share <= 0.05,
        ),
    ]


def screenshot_row(shots: dict, first: dict) -> Row:
    return Row(
        "7",
        f"Primeras capturas, a pedido: `apertura export --bundle` de {shots['name']} tras la noche 1",
        f"{shots['wall']:.1f} s ({shots['screenshots']:,} capturas, con el paquete de evidencia)",
        f"noche 1 sin capturas: {first['wall'] / 60:.1f} min",
        f"{shots['wall'] / 30:.2f} × meta",
        "≤ 30 s",
        shots["wall"] <= 30,
    )


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    release = dict(line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line)
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip().split("/")[-1]
    wget = subprocess.run(["wget", "--version"], capture_output=True, text=True).stdout.split()[2]
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": f"{psutil.virtual_memory().total / 1024**3:.1f} GiB",
        "OS": f"{release.get('PRETTY_NAME', '').strip(chr(34))}, kernel {platform.release()}",
        "Python": platform.python_version(),
        "Scrapy": scrapy.__version__,
        "SQLite": sqlite3.sqlite_version,
        "nginx / wget": f"{nginx} / {wget}",
        "Apertura commit": git_commit() or "desconocido",
        "Load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def write_report(path: Path, bench: Bench, host: dict[str, str], started: datetime, wall: float) -> None:
    first, second = bench.results["first"], bench.results["second"]
    lines = [
        "# Benchmarks",
        "",
        f"Generated by `python -m benchmarks.run --municipalities {bench.count} --pages {bench.pages}` "
        f"on {started:%Y-%m-%d %H:%M} UTC ({wall / 60:.1f} min in all). Every number below was measured in that run; "
        "do not edit them by hand — rerun `make bench` (125 × 300) or `make bench-quick` (10 × 50).",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in host.items()),
        "",
        "## Results",
        "",
        "Rows: (1) resources stored per second during the crawl phase of night 1 (requests, parsing, text "
        "extraction, WARC and database writes) against `wget --recursive` on the same sites and nginx's ceiling "
        "measured with `wrk` on the same URLs, and Scrapy alone on the same sites; (2a) the crawl phase of "
        "`apertura nightly` (`--delay 0`) and (2b) the whole night (crawl, audits, screenshots, reports); (3) every stored crawl of night 1 re-audited in-process as `apertura audit` does "
        "(read, evaluate, save); (4) night 2 after the generator changed a deterministic 5 % of the files, "
        "counted by nginx's access log (requests, bytes sent) and by the growth of the database and the web "
        "archive from just before night 2 (the re-audit of row 3 stores its audits in the same database first); (5) `apertura recheck` of the largest municipality into a fresh database, including its "
        "report; (6) resources whose artifact says `rendered`; (7) what a reviewer waits for the first screenshots: a "
        "night takes none (`nightly --capturas` would), so `apertura export --bundle` of the largest municipality "
        "renders the pages its findings cite, from the archive.",
        "",
        "| # | Measure | Result | Baseline (same run) | Ratio | Target | Met |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {r.key} | {r.measure} | {r.result} | {r.baseline} | {r.ratio} | {r.target} | "
            f"{'—' if r.met is None else ('sí' if r.met else 'no')} |"
            for r in bench.rows
        ),
        "",
        "## Run details",
        "",
        f"- Web: {bench.count} municipalities, {bench.facts['files']:,} files ({bench.facts['documents']:,} "
        f"PDF/XLSX documents), generated in {bench.facts['generate_night1_s']:.1f} s; night 2 changes "
        f"{bench.facts['changed_night2']:,} files (seed {bench.seed}).",
        f"- wget baseline: {bench.facts['wget_requests']:,} requests in {bench.facts['wget_wall']:.1f} s "
        f"({os.cpu_count()} wget processes at a time, one per site, through nginx as HTTP proxy).",
        f"- Night 1: {first['wall']:.1f} s wall for `apertura nightly` (crawl phase {first['crawl_phase']:.1f} s, "
        f"then audits, {first['screenshots']:,} screenshots and reports); HTTP statuses {dict(sorted(first['statuses'].items()))}; "
        f"{first['ok']} of {bench.count} site crawls and {first['portal_ok']} portal crawls ok.",
        f"- Night 2: {second['wall']:.1f} s wall (crawl phase {second['crawl_phase']:.1f} s); "
        f"HTTP statuses {dict(sorted(second['statuses'].items()))}; {second['resources']:,} resources stored.",
        f"- Night 1 stored {storage_summary(first['tables'], bodies_on_disk(first), first['archive'])}.",
        f"- Night 2 added {storage_growth(second)}. By kind: {growth_by_kind(first, second)}. "
        f"Its WARC records: {record_growth(second)}.",
        f"- Scrapy alone (`benchmarks/bare_spider.py`: same settings and proxy, links followed, nothing extracted or "
        f"stored; the portal's {bench.facts['bare_portal_urls']:,} index and format pages asked as the IPOMEX spider "
        f"asks them): {bench.facts['bare_responses']:,} responses in {bench.facts['bare_wall']:.1f} s.",
        "- Memory is sampled every 0.5 s over the whole `apertura` process tree (Chromium and extraction workers "
        "included, psutil): PSS counts a page shared by n processes 1/n in each, so its sum is the memory the tree "
        "uses; the sum of RSS counts shared pages once per process and is shown for reference. The target is "
        "judged on PSS.",
        *(
            f"- Night {n}'s memory peak, {night['peak_pss'] / MiB:,.0f} MiB PSS, came {night['peak_at']:.0f} s after the start "
            f"({'during the crawl' if night['peak_at'] <= night['crawl_phase'] else 'after the crawl phase'}): "
            + ", ".join(
                f"{kind} {pss / MiB:,.0f} MiB"
                for kind, pss in sorted(night["peak_parts"].items(), key=lambda kv: -kv[1])
            )
            + "."
            for n, night in ((1, first), (2, second))
        ),
        f"- Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine "
        "slows every figure; compare ratios, which share the same conditions).",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_crawl_report(
    path: Path,
    bench: Bench,
    pairs: list[dict],
    started: datetime,
    wall: float,
    baseline_tree: Path | None,
    portal: bool = False,
) -> None:
    """The report of --crawl-only: each pair, and the median ratio (and the baseline checkout's, if measured)."""
    median = statistics.median(p["ratio"] for p in pairs)
    baseline = f"; the checkout at `{baseline_tree}` (C) after each B" if baseline_tree else ""
    lines = [
        f"Generated by `python -m benchmarks.run --municipalities {bench.count} --pages {bench.pages} "
        f"--crawl-only {len(pairs)}{' --portal' if portal else ''}` on {started:%Y-%m-%d %H:%M} UTC "
        f"({wall / 60:.1f} min in all), commit {(git_commit() or 'desconocido')[:12]}: Scrapy alone (A) and "
        "`apertura nightly`'s crawl phase (B, the site crawl of the same sites into a fresh database: extraction, WARC, "
        "WACZ and database writes included; "
        + (
            "with the portal crawl, and Scrapy alone asking every portal request the IPOMEX spider asks, as row 1 does)"
            if portal
            else "the portal crawl, one host fetched two requests at a time, left out as Scrapy alone does not crawl it)"
        )
        + f"{baseline}, run alternately on the same nginx; each crawl of B and C starts from an empty database.",
        "",
        "| Pair | A: Scrapy alone | B: Apertura's crawl phase | B / A | C / A | B / C | Load average (1 min) before, after |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {n} | {p['bare'][0]:,.0f}/s ({p['bare'][1]:,} responses in {p['bare'][2]:.1f} s) | "
            f"{p['apertura'][0]:,.0f}/s ({p['apertura'][1]:,} resources in {p['apertura'][2]:.1f} s) | "
            f"{p['ratio']:.2f} × | "
            + (
                f"{p['baseline_ratio']:.2f} × ({p['baseline'][1]:,} in {p['baseline'][2]:.1f} s) | "
                f"{p['apertura'][0] / p['baseline'][0]:.2f} ×"
                if p["baseline"]
                else "— | —"
            )
            + f" | {p['load'][0]:.1f}, {p['load'][1]:.1f} |"
            for n, p in enumerate(pairs, 1)
        ),
        "",
        f"Median: **{median:.2f} × Scrapy alone** (target ≥ 0.8 ×: {'met' if median >= 0.8 else 'not met'})"
        + (
            f"; the baseline checkout (C): {statistics.median(p['baseline_ratio'] for p in pairs):.2f} ×; "
            f"B against C, pair by pair: {statistics.median(p['apertura'][0] / p['baseline'][0] for p in pairs):.2f} ×."
            if baseline_tree
            else "."
        ),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mide el rendimiento de Apertura sobre una web municipal generada.")
    parser.add_argument("--municipalities", type=int, default=125)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--work",
        type=Path,
        help="Carpeta de trabajo (web, base, informes); se conserva. "
        "Sus carpetas superiores deben ser legibles por todos (nginx).",
    )
    parser.add_argument(
        "--crawl-only",
        type=int,
        metavar="PAIRS",
        help="Solo la fase de rastreo frente a Scrapy solo, PAIRS pares alternados (A B A B …)",
    )
    parser.add_argument("--profile", type=Path, help="Con --crawl-only: cProfile de una fase de rastreo más")
    parser.add_argument(
        "--portal", action="store_true", help="Con --crawl-only: también el portal de transparencia, como la fila 1"
    )
    parser.add_argument(
        "--baseline-tree",
        type=Path,
        help="Con --crawl-only: otra copia de Apertura (el código de antes) medida también en cada par",
    )
    args = parser.parse_args(argv)
    started, clock = datetime.now(UTC), time.perf_counter()
    host = machine()
    work = args.work or Path(tempfile.mkdtemp(prefix="apertura-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # started by root, nginx's workers run as an unprivileged user that must read the web
    log(f"carpeta de trabajo: {work}")
    try:
        bench = Bench(work, args.municipalities, args.pages, args.seed, args.wrk_seconds)
        if args.crawl_only:
            pairs = bench.crawl_only(args.crawl_only, args.profile, args.baseline_tree, args.portal)
            args.report.parent.mkdir(parents=True, exist_ok=True)
            wall = time.perf_counter() - clock
            write_crawl_report(args.report, bench, pairs, started, wall, args.baseline_tree, args.portal)
            print(args.report.read_text(encoding="utf-8"))
            return 0
        bench.run()
        args.report.parent.mkdir(parents=True, exist_ok=True)
        write_report(args.report, bench, host, started, time.perf_counter() - clock)
        log(f"informe escrito: {args.report}")
        for row in bench.rows:
            print(
                f"  {row.key}. {row.measure}: {row.result} — {row.ratio} — meta {row.target}: "
                f"{'sí' if row.met else 'no'}"
            )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
