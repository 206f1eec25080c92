"""`make bench-politeness`: a politeness-bound night at state scale, time-scaled.

The generated web (every municipal site plus the one transparency portal they all share) is served by nginx and
crawled by `apertura nightly` with a real per-domain delay, scaled down (``--delay 0.1`` stands for 1 s) so the
run stays short (about 23 minutes at 125 municipalities; at 0.02 s the sites' parsing, compressed fifty-fold,
delays the portal's timer more than a real night would: docs/benchmarks-cortesia.md). A polite night cannot be
shorter than its busiest domain's requests × delay: that lower bound is computed from nginx's own log of the same
run and set against the night's length. The crawl runs as `apertura nightly` runs it (`jobs.crawl`), without the
audits, and without AutoThrottle (see `crawl_only`). Night 2 (5 % of the files changed) shows how many portal
requests the incremental crawl still makes against night 1's, which fetches everything, as every night did before.

Usage:  python -m benchmarks.politeness --municipalities 125 --pages 20 --delay 0.1
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import generator, portal
from benchmarks.run import FECHA_CORTE, ROOT, Bench, log, machine, run_measured
from benchmarks.server import Nginx, free_port

CRAWLER = [sys.executable, "-m", "benchmarks.politeness"]  # the crawl-only worker (a fresh process)
TARGET = 1.15  # night length / lower bound
REAL_DELAY = 1.0  # seconds: what the scaled delay stands for


def logged(server: Nginx, since: int) -> tuple[Counter, float]:
    """Requests per host that nginx logged after byte offset `since`, and the seconds from the first to the last."""
    server.log_totals(since)  # waits for nginx to flush its buffered log
    with open(server.access_log, "rb") as fh:
        fh.seek(since)
        lines = [line.split(" ", 2)[:2] for line in fh.read().decode(errors="replace").splitlines()]
    moments = [float(moment) for moment, _ in lines]
    return Counter(host for _, host in lines), max(moments) - min(moments)


def crawl_only(db_url: str, registry: Path, hosts: Path, delay: float, max_pages: int, archive: Path) -> None:
    """One night's crawl phase alone, sites and portal, as `apertura nightly` runs it (a fresh process: Scrapy's
    reactor does not restart); the audits, Chromium's work, are measured by benchmarks/run.py."""
    from apertura.pipeline import jobs
    from apertura.registry.padron import load_registry
    from crawler.netguard import read_hosts_file
    from rules.catalog import DEFAULT_EDITION, load_catalog
    from storage.database import open_database

    catalog = load_catalog(DEFAULT_EDITION)
    sessions = open_database(db_url)
    with sessions.begin() as session:
        run = jobs.start_run(session, "nightly", FECHA_CORTE, catalog, {"benchmark": "politeness"})

    class ScaledOptions(jobs.CrawlOptions):
        def settings(self, *args):
            # AutoThrottle keeps a domain's delay ≥ its latency. A real site's latency (~0.3 s) stays under a real
            # 1 s delay, so there it changes nothing; here the latency is not scaled down with the delay (it is
            # mostly this process's own event-loop lag), and AutoThrottle would time the night by it instead.
            settings = super().settings(*args)
            settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
            return settings

    options = ScaledOptions(True, read_hosts_file(hosts), max_pages, delay, archive)
    jobs.crawl(sessions, db_url, run, list(load_registry(registry)), options, catalog)


def night(bench: Bench, number: int, port: int) -> dict:
    """One night's crawl phase at the scaled delay, timed by the process and by nginx's log."""
    server = Nginx(bench.work / f"night{number}" / "sites", port)
    server.start()
    try:
        offset = server.log_offset()
        registry = bench.work / "registry.csv"
        generator.write_registry(registry, bench.manifest, port)
        command = [
            *CRAWLER, "crawl", bench.db_url, str(registry),
            str(bench.work / "night1" / "hosts"), str(bench.delay), str(bench.max_pages), str(bench.work / "archivo"),
        ]  # fmt: skip
        measured = run_measured(command, bench.output)
        if measured.returncode != 0:
            raise RuntimeError(f"el rastreo terminó con {measured.returncode}; véase {bench.output}")
        hosts, span = logged(server, offset)
    finally:
        server.stop()
        shutil.rmtree(server.prefix, ignore_errors=True)
    busiest, count = hosts.most_common(1)[0]
    sites = [c for h, c in hosts.items() if h != portal.HOST]
    return {
        "wall": measured.wall,
        "span": span,
        "hosts": hosts,
        "busiest": busiest,
        "bound": count * bench.delay,
        "portal_requests": hosts.get(portal.HOST, 0),
        "largest_site": max(sites, default=0),
        "requests": sum(hosts.values()),
    }


def run(bench: Bench) -> dict:
    bench.generate()
    port = free_port()
    nights = {n: night(bench, n, port) for n in (1, 2)}
    for n, result in nights.items():
        log(
            f"noche {n}: solicitudes durante {result['span']:.1f} s (proceso {result['wall']:.1f} s); cota "
            f"{result['bound']:.1f} s ({result['busiest']}, {result['hosts'][result['busiest']]} solicitudes); "
            f"{result['span'] / result['bound']:.2f} × cota"
        )
    return nights


def report(bench: Bench, nights: dict, started: datetime, wall: float, previous: str) -> str:
    first, second = nights[1], nights[2]
    scale = REAL_DELAY / bench.delay
    formats = bench.manifest["portal"]["formats_requested"]
    lines = [
        "# Benchmarks: a politeness-bound night",
        "",
        f"Generated by `python -m benchmarks.politeness --municipalities {bench.count} --pages {bench.pages} "
        f"--delay {bench.delay}` on {started:%Y-%m-%d %H:%M} UTC ({wall / 60:.1f} min in all, load average at the "
        f"end {' '.join(f'{x:.2f}' for x in os.getloadavg())}). Every number in the table was "
        "measured in that run; rerun `make bench-politeness` instead of editing them.",
        "",
        f"The generated web ({bench.count} municipal sites and the transparency portal `{portal.HOST}` that all "
        f"of them share, {formats} formats asked per municipality) is crawled as `apertura nightly` crawls it "
        f"(`jobs.crawl`, no audits, AutoThrottle off) with `--delay {bench.delay}`: {bench.delay} s stands for "
        f"{REAL_DELAY:.0f} s (× {scale:,.0f}). The lower bound of a "
        "night is its busiest domain's requests (nginx's log) × the delay; the night is the crawl phase "
        "from the first request nginx logged to the last (in brackets, the crawl process from start to exit, with its "
        "start-up and the WARC packaging). Night 2 is the same web after the "
        "generator changed 5 % of the files (and of the portal's formats).",
        "",
        "| Night | Portal requests | Largest site | Lower bound | Night: first to last request (process) | Ratio | Target | Met | "
        "Real night at 1 request/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n, result in nights.items():
        ratio = result["span"] / result["bound"]
        lines.append(
            f"| {n} | {result['portal_requests']:,} | {result['largest_site']:,} | {result['bound']:.1f} s "
            f"({result['busiest']}) | {result['span']:.1f} s ({result['wall']:.1f} s) | {ratio:.2f} × bound | ≤ {TARGET} × bound | "
            f"{'sí' if ratio <= TARGET else 'no'} | {result['bound'] * scale / 3600:.2f} h (bound) |"
        )
    lines += [
        "",
        f"- Portal requests, night 2 against night 1 (every format fetched, as every night did before "
        f"conditional requests and the index dates): {second['portal_requests']:,} / {first['portal_requests']:,} "
        f"= {second['portal_requests'] / first['portal_requests']:.2f} ×.",
        f"- Requests in all: night 1 {first['requests']:,}, night 2 {second['requests']:,}. The audits (Chromium's "
        "work, `make bench`) are not part of this run: only the crawl phase is bound by politeness.",
        "",
    ]
    return "\n".join(lines) + previous


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["crawl"]:
        db_url, registry, hosts, delay, max_pages, archive = argv[1:]
        crawl_only(db_url, Path(registry), Path(hosts), float(delay), int(max_pages), Path(archive))
        return 0
    parser = argparse.ArgumentParser(description="Mide una noche limitada por la cortesía, a escala de tiempo.")
    parser.add_argument("--municipalities", type=int, default=125)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--delay", type=float, default=0.1, help="segundos entre solicitudes (0.1 por 1 s)")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks-cortesia.md")
    parser.add_argument("--work", type=Path, help="Carpeta de trabajo; se conserva.")
    args = parser.parse_args(argv)
    started, clock = datetime.now(UTC), time.perf_counter()
    machine()  # fails early if nginx or wget are missing
    work = args.work or Path(tempfile.mkdtemp(prefix="apertura-cortesia-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # nginx's workers run as an unprivileged user that must read the web
    try:
        bench = Bench(work, args.municipalities, args.pages, args.seed, wrk_seconds=0)
        bench.delay = args.delay
        nights = run(bench)
        # The hand-written analysis below the table (earlier runs' numbers) is kept.
        kept = args.report.read_text(encoding="utf-8") if args.report.exists() else ""
        previous = kept[kept.index("## Analysis") :] if "## Analysis" in kept else ""
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(report(bench, nights, started, time.perf_counter() - clock, previous), "utf-8")
        log(f"informe escrito: {args.report}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
