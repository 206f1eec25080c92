"""`recheck`, `audit` and `nightly`: crawl and/or audit municipalities, then report."""

from __future__ import annotations

from pathlib import Path

from apertura import jobs, options, reports
from apertura.app import EXPECTED_ERRORS, DbOption, RegistryOption, UserError, app, console, fail
from apertura.registry import load_registry
from models import Municipality
from rules.catalog import DEFAULT_EDITION
from storage import repository
from storage.database import default_url, open_database


@app.command()
def recheck(
    municipio: str,
    registry: RegistryOption = None,
    db: DbOption = None,
    fecha_corte: options.FechaCorteOption = None,
    catalog: options.CatalogOption = DEFAULT_EDITION,
    allow_private_network: options.AllowPrivateOption = False,
    hosts: options.HostsOption = None,
    max_pages: options.MaxPagesOption = None,
    delay: options.DelayOption = None,
    out: options.OutOption = Path("informes"),
) -> None:
    """Rastrea y audita un municipio (por clave INEGI o nombre) y escribe su informe."""
    try:
        municipality = load_registry(registry).find(municipio)
        _crawl_and_audit("recheck", [municipality], **locals_for_run(locals()))
    except EXPECTED_ERRORS as error:
        fail(str(error))


@app.command()
def nightly(
    registry: RegistryOption = None,
    db: DbOption = None,
    fecha_corte: options.FechaCorteOption = None,
    catalog: options.CatalogOption = DEFAULT_EDITION,
    allow_private_network: options.AllowPrivateOption = False,
    hosts: options.HostsOption = None,
    max_pages: options.MaxPagesOption = None,
    delay: options.DelayOption = None,
    out: options.OutOption = Path("informes"),
) -> None:
    """Rastrea y audita todos los municipios del padrón, en paralelo entre dominios."""
    try:
        _crawl_and_audit("nightly", load_registry(registry).all(), **locals_for_run(locals()))
    except EXPECTED_ERRORS as error:
        fail(str(error))


@app.command("audit")
def audit_command(
    municipio: str,
    registry: RegistryOption = None,
    db: DbOption = None,
    fecha_corte: options.FechaCorteOption = None,
    catalog: options.CatalogOption = DEFAULT_EDITION,
    out: options.OutOption = Path("informes"),
) -> None:
    """Vuelve a auditar lo ya almacenado de un municipio, sin usar la red."""
    try:
        municipality = load_registry(registry).find(municipio)
        rules = options.catalog(catalog)
        corte = options.parse_fecha_corte(fecha_corte)
        sessions = open_database(db)
        with sessions.begin() as session:
            crawl_row = repository.latest_crawl(session, municipality.inegi_code)
            if crawl_row is None:
                raise UserError(f"no hay rastreos almacenados de {municipality.name}; ejecute primero 'apertura recheck'")
            run = jobs.start_run(session, "audit", corte, rules, {"crawl_id": crawl_row.id})
            audit_row = jobs.audit(session, run, crawl_row, municipality, rules, corte)
            repository.finish_run(session, run, status="complete", counts={"audits": 1})
            report = jobs.report(session, audit_row, municipality)
        _show(report, out)
    except EXPECTED_ERRORS as error:
        fail(str(error))


def locals_for_run(values: dict) -> dict:
    return {k: values[k] for k in ("db", "fecha_corte", "catalog", "allow_private_network", "hosts", "max_pages", "delay", "out")}


def _crawl_and_audit(
    kind: str,
    municipalities: list[Municipality],
    *,
    db, fecha_corte, catalog, allow_private_network, hosts, max_pages, delay, out,
) -> None:
    rules = options.catalog(catalog)
    corte = options.parse_fecha_corte(fecha_corte)
    crawl_options = jobs.CrawlOptions(allow_private_network, options.hosts(hosts), max_pages, delay)
    db_url = db or default_url()
    sessions = open_database(db_url)
    config = {"municipios": [m.inegi_code for m in municipalities], "max_pages": max_pages, "delay": delay}
    with sessions.begin() as session:
        run = jobs.start_run(session, kind, corte, rules, config)
    crawls = jobs.crawl(sessions, db_url, run, municipalities, crawl_options)
    for municipality in municipalities:
        with sessions.begin() as session:
            crawl_row = session.merge(crawls[municipality.inegi_code])
            audit_row = jobs.audit(session, run, crawl_row, municipality, rules, corte)
            report = jobs.report(session, audit_row, municipality)
        _show(report, out)
    with sessions.begin() as session:
        statuses = [c.status for c in crawls.values()]
        counts = {s: statuses.count(s) for s in set(statuses)}
        repository.finish_run(session, session.merge(run), status="complete", counts=counts)
    console.print(f"Ejecución {run.id} terminada: {len(municipalities)} municipios; rastreos: {counts}.")


def _show(report, out: Path) -> None:
    reports.print_report(report, console)
    for path in reports.write_reports(report, out):
        console.print(f"Informe escrito: {path}")
