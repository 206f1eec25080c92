"""The main jobs, as the CLI runs them: crawl municipalities, audit what is stored, build reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy.orm import Session, sessionmaker

from apertura import __version__
from auditors.runner import audit_site
from auditors.scoring import score
from auditors.site import Site
from crawler.spiders.municipal_site import MunicipalSiteSpider, SiteTarget
from models import Municipality, MunicipalityReport
from rules.catalog import Catalog
from storage import repository
from storage.orm import Audit, Crawl, Run


@dataclass
class CrawlOptions:
    allow_private_network: bool = False
    hosts: dict[str, str] = field(default_factory=dict)
    max_pages: int | None = None
    delay: float | None = None

    def settings(self, db_url: str, crawl_ids: dict[str, int]) -> Settings:
        settings = Settings()
        settings.setmodule("crawler.settings", priority="project")
        overrides = {
            "APERTURA_DB_URL": db_url,
            "APERTURA_CRAWL_IDS": crawl_ids,
            "APERTURA_HOSTS": self.hosts,
            "APERTURA_ALLOW_PRIVATE_NETWORK": self.allow_private_network,
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


def crawl(
    sessions: sessionmaker[Session], db_url: str, run: Run, municipalities: list[Municipality], options: CrawlOptions
) -> dict[str, Crawl]:
    """Crawls every municipality with a website in one Scrapy process, in parallel across domains."""
    with sessions.begin() as session:
        crawls = {
            m.inegi_code: repository.create_crawl(session, run_id=run.id, inegi_code=m.inegi_code, site_url=m.website)
            for m in municipalities
        }
    targets = [SiteTarget(m.inegi_code, m.website) for m in municipalities if m.website]
    if targets:
        _run_spider(targets, options.settings(db_url, {c: crawl.id for c, crawl in crawls.items()}), municipalities)
    with sessions.begin() as session:
        for municipality in municipalities:
            crawl_row = session.merge(crawls[municipality.inegi_code])
            resources = repository.crawl_resources(session, crawl_row)
            availability = Site(resources, municipality.website).availability
            stats = {"resources": len(resources), "errors": sum(r.error is not None for r in resources)}
            repository.finish_crawl(session, crawl_row, status=availability.status, reason=availability.reason, stats=stats)
            crawls[municipality.inegi_code] = crawl_row
    return crawls


def _run_spider(targets: list[SiteTarget], settings: Settings, municipalities: list[Municipality]) -> None:
    names = {m.inegi_code: m.name for m in municipalities}
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(MunicipalSiteSpider)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, transient=False) as progress:
        limit = settings.getint("APERTURA_MAX_PAGES_PER_SITE")
        tasks = {t.inegi_code: progress.add_task(f"Rastreando {names[t.inegi_code]}", total=limit) for t in targets}

        def advance(item, **_):
            progress.advance(tasks[item.inegi_code])

        crawler.signals.connect(advance, signal=signals.item_scraped)
        process.crawl(crawler, targets=targets)
        process.start()
        for task in tasks.values():
            progress.update(task, total=progress.tasks[task].completed)


def audit(
    session: Session, run: Run, crawl_row: Crawl, municipality: Municipality, catalog: Catalog, fecha_corte: date
) -> Audit:
    """Evaluates the catalog on a stored crawl; never touches the network."""
    site = Site(repository.crawl_resources(session, crawl_row), crawl_row.site_url)
    findings = audit_site(catalog.rules, site, fecha_corte)
    return repository.save_audit(
        session,
        run_id=run.id,
        crawl=crawl_row,
        catalog=catalog.edition.name,
        fecha_corte=fecha_corte,
        findings=findings,
        scores=score(findings),
    )


def report(session: Session, audit_row: Audit, municipality: Municipality) -> MunicipalityReport:
    crawl_row = session.get(Crawl, audit_row.crawl_id)
    return MunicipalityReport(
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
        scores=audit_row.scores,
        findings=[row.data for row in audit_row.findings],
    )
