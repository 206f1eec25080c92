"""A state's site crawl split across processes, one per core, when the CPU and not politeness sets its length.

One Scrapy process runs its reactor on one core: parsing, WARC records and database writes for every response of
every site share it. Split by domain, each process crawls its own sites into the same database and the same WARC
directory (each its own files), and the calling process keeps the portal crawl and the progress bars.

A crawl is split only without a per-domain delay (`--delay 0`) or with the shared Redis limit: with a delay, the night's
length is the delay's, and two processes would each keep their own delay on a host both reach (an off-site
document host, a social network).
"""

from __future__ import annotations

import multiprocessing
import os

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.internet import threads
from twisted.internet.defer import Deferred

from crawler.extract import end_with
from crawler.ratelimit import domain_of
from crawler.spiders.municipal_site import MunicipalSiteSpider, SiteTarget


def count(settings: Settings, sites: int) -> int:
    """How many processes crawl these sites (1: the calling process alone)."""
    if settings.getfloat("DOWNLOAD_DELAY") > 0 and not settings.get("APERTURA_REDIS_URL"):
        return 1
    wanted = settings.getint("APERTURA_CRAWL_PROCESSES") or os.cpu_count() or 1
    return max(1, min(wanted, sites // max(1, settings.getint("APERTURA_SITES_PER_PROCESS"))))


def split(targets: list[SiteTarget], processes: int) -> list[list[SiteTarget]]:
    """The targets in `processes` parts of about as many sites each; sites of one domain stay in one part, so that
    each domain's delay and robots.txt are kept by one process."""
    by_domain: dict[str, list[SiteTarget]] = {}
    for target in targets:
        by_domain.setdefault(domain_of(target.start_url), []).append(target)
    parts: list[list[SiteTarget]] = [[] for _ in range(processes)]
    for group in sorted(by_domain.values(), key=len, reverse=True):
        min(parts, key=len).extend(group)
    return [part for part in parts if part]


def crawl(parts: list[list[SiteTarget]], settings: Settings) -> Deferred:
    """Crawls each part in a process of its own; fires when all have ended, with an error naming the parts whose
    process failed. Called in the reactor's thread."""
    context = multiprocessing.get_context("spawn")  # a clean interpreter: never fork a running reactor
    # not daemons: their extraction workers are their children
    processes = [
        context.Process(target=_crawl_part, args=(settings, part, os.getpid()), name="apertura-rastreo")
        for part in parts
    ]
    for process in processes:
        process.start()

    def wait() -> None:
        for process in processes:
            process.join()
        failed = [(p.exitcode, part) for p, part in zip(processes, parts, strict=True) if p.exitcode != 0]
        if failed:
            raise CrawlProcessFailed(failed)

    return threads.deferToThread(wait)


class CrawlProcessFailed(RuntimeError):
    def __init__(self, failed: list[tuple[int | None, list[SiteTarget]]]):
        names = "; ".join(f"código {code}: {', '.join(t.inegi_code for t in part)}" for code, part in failed)
        super().__init__(f"un proceso de rastreo terminó con error ({names}); «apertura nightly» reanuda la noche")


def _crawl_part(settings: Settings, targets: list[SiteTarget], owner: int) -> None:
    end_with(owner)  # a killed night takes its crawl processes with it
    process = CrawlerProcess(settings)
    process.crawl(MunicipalSiteSpider, targets=targets)
    process.start()
