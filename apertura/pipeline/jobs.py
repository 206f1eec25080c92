"""The main jobs, as the CLI runs them: crawl municipalities, audit what is stored, build reports."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy.orm import Session, sessionmaker

from apertura import __version__
from apertura.errors import UserError
from apertura.evidence import accessibility, screenshots, webarchive
from apertura.evidence.archive_browser import ArchiveBrowser
from apertura.pipeline import portal as ipomex
from apertura.pipeline.collection import fewer_collections
from apertura.reporting import review
from auditors.runner import audit_site
from auditors.scoring import score
from auditors.site import Site
from crawler.extract_documents import pdftotext
from crawler.refresh import refresh_pages
from crawler.spiders.municipal_site import MunicipalSiteSpider, SiteTarget
from models import Finding, Municipality, MunicipalityReport, ResourceArtifact
from models.artifact import AxeResult
from models.finding import AuditPoint, CrawlAttempt
from models.overview import PeerPosition
from rules.catalog import Catalog
from storage import repository
from storage.orm import Audit, Crawl, Run

MAX_PROGRESS_BARS = 12
UNREACHED = ("unreachable", "blocked")  # crawl statuses of a site that could not be consulted


# Crawl settings a harness sets for a whole process tree (the test suite, the evaluation set: replicas on loopback),
# read from the environment here and passed to Scrapy as settings; the crawler itself never reads the environment.
ENVIRONMENT_SETTINGS: dict[str, tuple[str, Callable[[str], object]]] = {
    "APERTURA_DOWNLOAD_TIMEOUT": ("DOWNLOAD_TIMEOUT", float),
    "APERTURA_PRIVATE_ADDRESSES_ALLOWED": (
        "APERTURA_PRIVATE_ADDRESSES_ALLOWED",
        lambda v: [a for a in v.split(",") if a],
    ),
    "APERTURA_OFFSITE_MAPPED_ONLY": ("APERTURA_OFFSITE_MAPPED_ONLY", lambda v: v == "1"),
}


def environment_settings(environ: Mapping[str, str]) -> dict[str, object]:
    """The crawl settings `environ` sets (see ENVIRONMENT_SETTINGS)."""
    return {name: parse(environ[var]) for var, (name, parse) in ENVIRONMENT_SETTINGS.items() if var in environ}


@dataclass
class CrawlOptions:
    allow_private_network: bool = False
    hosts: dict[str, str] = field(default_factory=dict)
    max_pages: int | None = None
    delay: float | None = None
    archive_root: Path | None = None  # root of the databases' archives (see webarchive.database_directory)
    archive_part: str | None = None  # a subfolder of the database's archive (a distributed worker's municipality)
    redis_url: str | None = None  # shared by the workers of a distributed night: global per-domain rate

    def settings(self, db_url: str, crawl_ids: dict[str, int]) -> Settings:
        settings = Settings()
        settings.setmodule("crawler.settings", priority="project")
        overrides = {
            **environment_settings(os.environ),
            "APERTURA_DB_URL": db_url,
            "APERTURA_CRAWL_IDS": crawl_ids,
            "APERTURA_HOSTS": self.hosts,
            "APERTURA_ALLOW_PRIVATE_NETWORK": self.allow_private_network,
            "APERTURA_REDIS_URL": self.redis_url,
        }
        if self.max_pages is not None:
            overrides["APERTURA_MAX_PAGES_PER_SITE"] = self.max_pages
        if self.delay is not None:
            overrides["DOWNLOAD_DELAY"] = self.delay
            overrides["AUTOTHROTTLE_START_DELAY"] = self.delay
        settings.setdict(overrides, priority="cmdline")
        return settings


def start_run(session: Session, kind: str, fecha_corte: date, catalog: Catalog, config: dict) -> Run:
    return repository.create_run(
        session, kind=kind, fecha_corte=fecha_corte, catalog=catalog.edition.name, version=__version__, config=config
    )


def nightly_run(session: Session, resume: bool, start: Callable[[], Run]) -> tuple[Run, bool]:
    """The night to work on: the unfinished one, resumed (True), unless `resume` is False, which closes it as
    `interrupted`; otherwise a new one made by `start` (False)."""
    run = repository.unfinished_run(session, "nightly")
    if run is not None and not resume:
        repository.finish_run(session, run, status="interrupted", counts=run.counts)
        run = None
    if run is not None:
        return run, True
    return start(), False


def execute(
    sessions: sessionmaker[Session],
    db_url: str,
    run: Run,
    municipalities: list[Municipality],
    catalog: Catalog,
    options: CrawlOptions,
    on_report: Callable[[MunicipalityReport], None],
) -> dict[str, int]:
    """Processes `municipalities` (see `process`), then closes the run with its crawl counts.

    A failure (a full disk, the database gone) closes the run as `failed` before it propagates: no run is
    left `running` for a later night to resume; what was committed stays.
    """
    with failing(sessions, run):
        crawls = process(sessions, db_url, run, municipalities, catalog, options, on_report)
    statuses = [c.status for c in crawls.values()]
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    with sessions.begin() as session:
        repository.finish_run(session, session.merge(run), status="complete", counts=counts)
    return counts


@contextmanager
def failing(sessions: sessionmaker[Session], run: Run) -> Iterator[None]:
    try:
        yield
    except Exception:
        try:
            with sessions.begin() as session:
                repository.finish_run(session, session.merge(run), status="failed", counts=run.counts or {})
        except Exception:  # noqa: BLE001  the database itself may be what failed; the first error is the one to tell
            pass
        raise


def process(
    sessions: sessionmaker[Session],
    db_url: str,
    run: Run,
    municipalities: list[Municipality],
    catalog: Catalog,
    options: CrawlOptions,
    on_report: Callable[[MunicipalityReport], None],
) -> dict[str, Crawl]:
    """Crawls what `run` has not crawled and audits what it has not audited, committing per municipality.

    Calling it again on a killed run finishes the work without redoing or duplicating what was committed.
    Only these municipalities' unfinished crawls are abandoned: other workers of the run keep theirs.
    """
    codes = {m.inegi_code for m in municipalities}
    with sessions.begin() as session:
        crawls = {c: row for c, row in repository.finished_crawls(session, run.id).items() if c in codes}
        audited = repository.audited_codes(session, run.id)
        repository.abandon_unfinished_crawls(session, run.id, codes)
    pending = [m for m in municipalities if m.inegi_code not in crawls]
    if pending:
        crawls |= crawl(sessions, db_url, run, pending, options, catalog)
    unaudited = [m for m in municipalities if m.inegi_code not in audited]
    with gathering_accessibility(sessions, [crawls[m.inegi_code] for m in unaudited]) as gathered:
        for municipality in unaudited:
            with sessions.begin() as session:
                crawl_row = session.merge(crawls[municipality.inegi_code])
                gathered(session, crawl_row)
                audit_row = audit(session, run, crawl_row, municipality, catalog, run.fecha_corte)
                on_report(report(session, audit_row, municipality))
    return crawls


def require_crawl_programs() -> None:
    """A crawl without pdftotext would take every PDF for unreadable, and a link to it for a dead one."""
    if pdftotext() is None:
        raise UserError(
            "falta el programa pdftotext (paquete poppler-utils), que lee el texto de los PDF; "
            "instálelo con «sudo apt-get install poppler-utils» o «make system»"
        )


@fewer_collections()
def crawl(
    sessions: sessionmaker[Session],
    db_url: str,
    run: Run,
    municipalities: list[Municipality],
    options: CrawlOptions,
    catalog: Catalog | None = None,
) -> dict[str, Crawl]:
    """Crawls every municipality with a website in one Scrapy process, in parallel across domains.

    Given the catalog, the same process then crawls the IPOMEX formats of the municipalities whose portal
    is known or linked from their site (apertura/pipeline/portal.py).
    """
    require_crawl_programs()
    with sessions.begin() as session:
        previous = {m.inegi_code: c.id for m in municipalities if (c := repository.latest_crawl(session, m.inegi_code))}
        crawls = {
            m.inegi_code: repository.create_crawl(session, run_id=run.id, inegi_code=m.inegi_code, site_url=m.website)
            for m in municipalities
        }
    targets = [SiteTarget(m.inegi_code, m.website, m.ipomex_url) for m in municipalities if m.website]
    wacz = None
    if targets:
        settings = options.settings(db_url, {c: crawl.id for c, crawl in crawls.items()})
        settings.set("APERTURA_PREVIOUS_CRAWLS", previous, priority="cmdline")
        archive_dir = archive_directory(sessions, run, options)
        webarchive.unpack(archive_dir)  # a resumed run continues the series of its WARC files
        settings.set("APERTURA_ARCHIVE_DIR", str(archive_dir), priority="cmdline")
        formats = [rule.ipomex_format for rule in catalog.rules if rule.ipomex_format] if catalog else []
        if catalog and catalog.edition.applicability_format:  # the municipality's own table (Art. 93)
            formats.append(catalog.edition.applicability_format)
        portal_crawl = lambda process, site_done: ipomex.schedule(  # noqa: E731
            process, site_done, sessions, run.id, municipalities, crawls, formats, settings
        )
        _run_spider(targets, settings, municipalities, after=portal_crawl if catalog else None)
        ipomex.finish(sessions, run.id, {m.inegi_code for m in municipalities})
        wacz = webarchive.package(archive_dir)
        run.config = {**run.config, "archive_dir": str(archive_dir), "wacz": str(wacz) if wacz else None}
        with sessions.begin() as session:
            session.merge(run)
    for municipality in municipalities:
        with sessions.begin() as session:  # one at a time: a state's crawls do not fit in memory together
            crawl_row = session.merge(crawls[municipality.inegi_code])
            refresh_pages(session, crawl_row.id)  # pages a 304 kept, as today's extractor reads them
            resources = repository.crawl_resources(session, crawl_row)
            availability = Site(resources, municipality.website).availability
            # The crawl names its own WACZ: in a distributed night each worker packages the municipalities it crawled.
            stats = crawl_stats(resources) | ({"wacz": str(wacz)} if wacz else {})
            repository.finish_crawl(
                session, crawl_row, status=availability.status, reason=availability.reason, stats=stats
            )
            crawls[municipality.inegi_code] = crawl_row
    return crawls


def archive_directory(sessions: sessionmaker[Session], run: Run, options: CrawlOptions) -> Path:
    """Where this run's WARC files go: a folder of this database's own archive."""
    with sessions.begin() as session:
        identifier = repository.database_identifier(session)
    base = webarchive.database_directory(sessions.kw["bind"].url, identifier, options.archive_root)
    return webarchive.run_directory(base / options.archive_part if options.archive_part else base, run.id)


def crawl_stats(resources: list[ResourceArtifact]) -> dict:
    """What a crawl cost: requests, body bytes downloaded (decompressed), 304s, rendered pages, off-site targets."""
    return {
        "resources": len(resources),
        "requests": len(resources),
        "errors": sum(r.error is not None for r in resources),
        "bytes": sum(r.size for r in resources if not r.not_modified),
        "not_modified": sum(r.not_modified for r in resources),
        "rendered": sum(r.rendered for r in resources),
        "offsite": sum(r.offsite for r in resources),
    }


def _run_spider(
    targets: list[SiteTarget], settings: Settings, municipalities: list[Municipality], after: Callable | None = None
) -> None:
    """Runs the site spider; `after(process, site_done)` may start more crawls in the same process, beside it
    or once its Deferred `site_done` fires."""
    names = {m.inegi_code: m.name for m in municipalities}
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # the CLI prints its own progress
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(MunicipalSiteSpider)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    limit = settings.getint("APERTURA_MAX_PAGES_PER_SITE")
    # A bar per municipality while they fit on a screen; a whole state's night gets one bar of resources.
    if len(targets) <= MAX_PROGRESS_BARS:
        bars = {t.inegi_code: (f"Rastreando {names[t.inegi_code]}", limit) for t in targets}
    else:
        bars = dict.fromkeys(
            (t.inegi_code for t in targets), (f"Rastreando {len(targets)} municipios", limit * len(targets))
        )
    with Progress(*columns, transient=False, refresh_per_second=2) as progress:
        created = {bar: progress.add_task(bar[0], total=bar[1]) for bar in dict.fromkeys(bars.values())}
        tasks = {code: created[bar] for code, bar in bars.items()}

        def advance(item, **_):
            progress.advance(tasks[item.inegi_code])

        crawler.signals.connect(advance, signal=signals.item_scraped)
        started = process.crawl(crawler, targets=targets)
        if after is not None:
            after(process, started)
        process.start()
        for task in created.values():
            progress.update(task, total=progress.tasks[task].completed)


@contextmanager
def gathering_accessibility(
    sessions: sessionmaker[Session], crawls: list[Crawl]
) -> Iterator[Callable[[Session, Crawl], None]]:
    """The gather stage's browser work, beside the audits: axe-core on each crawl's archived home page, unless
    its result is already stored, in a thread of its own, so that Chromium renders the next home pages while
    the calling thread audits, each on a core. Yields `gathered(session, crawl)`, which waits for the next crawl
    in order and stores its result in `session`, before that crawl's audit reads it (and raises what failed in
    the thread). The thread only reads the database: one writer, no lock to wait for. Chromium starts only if a
    page needs it."""
    done: queue.Queue[tuple[str, AxeResult] | BaseException | None] = queue.Queue()
    stop = threading.Event()
    crawl_ids = [crawl_row.id for crawl_row in crawls]  # not the rows: merging them here would write them back

    def measure_all() -> None:
        try:
            with ArchiveBrowser() as browser:  # Playwright's sync API stays in the thread that started it
                for crawl_id in crawl_ids:
                    if stop.is_set():
                        return
                    with sessions() as session:
                        resources = repository.crawl_resources(session, session.get_one(Crawl, crawl_id))
                        done.put(accessibility.measure(session, resources, browser))
        except BaseException as error:  # noqa: BLE001  handed to the auditing thread, which raises it
            done.put(error)

    def gathered(session: Session, crawl_row: Crawl) -> None:
        measured = done.get()
        if isinstance(measured, BaseException):
            raise measured
        if measured is not None:
            accessibility.store(session, crawl_row, *measured)

    thread = threading.Thread(target=measure_all, name="apertura-axe", daemon=True)
    thread.start()
    try:
        yield gathered
    finally:
        stop.set()
        thread.join()


@fewer_collections()
def audit(
    session: Session,
    run: Run,
    crawl_row: Crawl,
    municipality: Municipality,
    catalog: Catalog,
    fecha_corte: date,
) -> Audit:
    """The audit stage: evaluates the catalog on a stored crawl's artifacts and saves the findings.

    No browser, no network, no writes but the audit and its findings: facts are gathered before it
    (`crawl`, `gathering_accessibility`), screenshots are made and joined afterwards (apertura/evidence/screenshots.py).
    """
    resources = repository.crawl_resources(session, crawl_row)
    site = Site(resources, crawl_row.site_url, municipality.name)
    portal = ipomex.for_audit(session, crawl_row)
    findings = audit_site(catalog.rules, site, fecha_corte, portal, catalog.edition.applicability_format)
    return repository.save_audit(
        session,
        run_id=run.id,
        crawl=crawl_row,
        catalog=catalog.edition.name,
        fecha_corte=fecha_corte,
        findings=findings,
        scores=score(findings),
    )


def report(
    session: Session, audit_row: Audit, municipality: Municipality, peers: PeerPosition | None = None
) -> MunicipalityReport:
    """The report stage: the audit with the screenshots made of its pages, reviewer verdicts, earlier audits
    and its position among its peers."""
    crawl_row = session.get(Crawl, audit_row.crawl_id)
    if crawl_row is None:
        raise LookupError(f"audit {audit_row.id}: its crawl {audit_row.crawl_id} is not stored")
    history = [a for a in repository.audit_history(session, municipality.inegi_code) if a.id <= audit_row.id]
    unreachable = crawl_row.status in UNREACHED
    reachable = repository.last_reachable_audit(session, municipality.inegi_code, audit_row.id) if unreachable else None
    built = MunicipalityReport(
        inegi_code=municipality.inegi_code,
        name=municipality.name,
        website=crawl_row.site_url,
        catalog=audit_row.catalog,
        fecha_corte=audit_row.fecha_corte,
        run_id=audit_row.run_id,
        audit_id=audit_row.id,
        audited_at=audit_row.created_at,
        crawl_status=crawl_row.status,
        crawl_reason=crawl_row.reason,
        resources=crawl_row.stats.get("resources", 0),
        downloaded=crawl_row.stats.get("resources", 0) - crawl_row.stats.get("errors", 0) if crawl_row.stats else None,
        attempts=_attempts(session, crawl_row) if unreachable else [],
        scores=audit_row.scores,
        findings=screenshots.joined(
            session, crawl_row, [Finding.model_validate(row.data) for row in audit_row.findings]
        ),
        history=[_point(a) for a in history],
        peers=peers,
        last_reachable=_point(reachable) if reachable else None,
    )
    return review.with_verdicts(built, repository.verdicts(session, municipality.inegi_code))


def _point(audit_row: Audit) -> AuditPoint:
    return AuditPoint(
        audit_id=audit_row.id,
        fecha_corte=audit_row.fecha_corte,
        audited_at=audit_row.created_at,
        scores=audit_row.scores,
    )


def _attempts(session: Session, crawl_row: Crawl) -> list[CrawlAttempt]:
    """What an unreachable crawl requested (a handful of rows: it reached nothing to follow)."""
    rows = sorted(repository.first_requests(session, crawl_row, limit=20), key=lambda r: r.fetched_at)
    return [CrawlAttempt(url=r.url, status=r.status, error=r.error, fetched_at=r.fetched_at) for r in rows]
