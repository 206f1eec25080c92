"""The crawl phase of `apertura nightly` alone: the site crawl and the portal crawl into a fresh database, with
the same options as `apertura nightly` (jobs.crawl), no audits, screenshots or reports; with --sites-only, the
site crawl alone (the sites Scrapy alone crawls; the portal is one host, crawled two requests at a time). Used by
`benchmarks.run --crawl-only` to compare it, run after run, with Scrapy alone (benchmarks/bare_spider.py).

Usage:  python -m benchmarks.crawl_phase REGISTRY HOSTS MAX_PAGES DB_URL ARCHIVE_DIR [--sites-only] [--profile FILE]
(prints the resources stored and the seconds of the crawl phase, measured as `benchmarks.run` measures row 1:
from the first crawl's start to the last crawl's end)
"""

from __future__ import annotations

import argparse
import cProfile
import sys
from pathlib import Path

from sqlalchemy import func, select

from apertura.pipeline import jobs
from apertura.registry.padron import load_registry
from benchmarks.run import FECHA_CORTE
from crawler.netguard import read_hosts_file
from rules.catalog import DEFAULT_EDITION, load_catalog
from storage.database import open_database
from storage.orm import Crawl, Resource


def crawl_phase(
    registry: Path, hosts: Path, max_pages: int, db_url: str, archive: Path, portal: bool = True
) -> tuple[int, float]:
    catalog = load_catalog(DEFAULT_EDITION)
    municipalities = load_registry(registry)
    options = jobs.CrawlOptions(True, read_hosts_file(hosts), max_pages, 0.0, archive)
    sessions = open_database(db_url)
    with sessions.begin() as session:
        run = jobs.start_run(session, "nightly", FECHA_CORTE, catalog, {"benchmark": True})
    jobs.crawl(sessions, db_url, run, municipalities, options, catalog if portal else None)
    with sessions() as session:
        crawls = session.scalars(select(Crawl).where(Crawl.run_id == run.id)).all()
        resources = session.scalar(select(func.count(Resource.id)).join(Crawl).where(Crawl.run_id == run.id))
    seconds = (max(c.finished_at for c in crawls) - min(c.started_at for c in crawls)).total_seconds()
    return resources or 0, seconds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("registry", type=Path)
    parser.add_argument("hosts", type=Path)
    parser.add_argument("max_pages", type=int)
    parser.add_argument("db_url")
    parser.add_argument("archive", type=Path)
    parser.add_argument("--profile", type=Path, help="cProfile of the whole crawl phase, written to this file")
    parser.add_argument(
        "--sites-only", action="store_true", help="the site crawl alone (what Scrapy alone crawls), no portal crawl"
    )
    args = parser.parse_args(argv)
    profile = cProfile.Profile() if args.profile else None
    if profile:
        profile.enable()
    resources, seconds = crawl_phase(
        args.registry, args.hosts, args.max_pages, args.db_url, args.archive, not args.sites_only
    )
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    print(resources, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
