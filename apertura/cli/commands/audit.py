"""`recheck`, `audit` and `nightly`: crawl and/or audit municipalities, then report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from redis.exceptions import RedisError

from apertura.cli import options
from apertura.cli.app import (
    EXIT_UNREACHABLE,
    EXPECTED_ERRORS,
    DbOption,
    RegistryOption,
    app,
    console,
    err_console,
    fail,
    writable_directory,
    writing,
)
from apertura.cli.commands.worker import RedisOption
from apertura.errors import UserError
from apertura.evidence import webarchive
from apertura.pipeline import distributed, jobs
from apertura.registry.padron import load_registry
from apertura.reporting import overview as state
from apertura.reporting import reports
from crawler.refresh import refresh_pages
from models import Municipality
from models.labels import DIMENSION_ES
from rules.catalog import DEFAULT_EDITION
from storage import locks, repository
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
    archive_dir: options.ArchiveDirOption = None,
) -> None:
    """Rastrea y audita un municipio (por clave INEGI o nombre) y escribe su informe.

    Sale con 0 si el sitio respondió, 3 si no se pudo consultar (el informe lo dice y muestra la última
    auditoría con el sitio accesible) y 2 ante un error que el usuario puede corregir.
    """
    try:
        padron = load_registry(registry)
        municipality = padron.find(municipio)
        request = RunRequest(db, fecha_corte, catalog, allow_private_network, hosts, max_pages, delay, out, archive_dir)
        sessions, db_url = request.open()
        with sessions.begin() as session:
            run = request.start(session, "recheck", [municipality])
        counts = _execute(sessions, db_url, run, [municipality], request)
        with writing(request.out):
            state.publish(sessions, padron, [municipality], request.out, write_state=False)
    except EXPECTED_ERRORS as error:
        fail(str(error))
    if any(counts.get(status) for status in jobs.UNREACHED):
        err_console.print(
            f"No se pudo consultar el sitio de {municipality.name} ({municipality.website}): sus criterios quedan "
            "como «No verificable». Revise la conexión o el sitio y vuelva a ejecutar 'apertura recheck'.",
            highlight=False,
        )
        raise typer.Exit(EXIT_UNREACHABLE)


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
    archive_dir: options.ArchiveDirOption = None,
    resume: Annotated[
        bool, typer.Option("--reanudar/--no-reanudar", help="Reanuda una ejecución nocturna interrumpida.")
    ] = True,
    distributed_mode: Annotated[
        bool, typer.Option("--distributed", help="Reparte los municipios entre los trabajadores ('apertura worker').")
    ] = False,
    redis: RedisOption = distributed.DEFAULT_REDIS,
    capturas: Annotated[
        bool,
        typer.Option(
            "--capturas/--sin-capturas",
            help="Toma las capturas de pantalla de las páginas citadas para los informes de la noche (por omisión, "
            "se toman a pedido: 'apertura recheck' o 'apertura export --bundle').",
        ),
    ] = False,
) -> None:
    """Rastrea y audita todos los municipios del padrón, en paralelo entre dominios.

    Un candado impide dos ejecuciones nocturnas simultáneas; una ejecución interrumpida se reanuda
    (o, con --no-reanudar, se marca como interrumpida y se empieza otra). Con --distributed, cada
    municipio es una tarea en Redis para los trabajadores, y la cortesía por dominio vale entre todos.
    """
    try:
        padron = load_registry(registry)
        municipalities = padron.all()
        request = RunRequest(db, fecha_corte, catalog, allow_private_network, hosts, max_pages, delay, out, archive_dir)
        if distributed_mode:  # before anything is stored: a rejected night leaves no run behind
            distributed.require_postgresql(request.db or default_url())
            distributed.connect(redis)
        sessions, db_url = request.open()
        with locks.exclusive(sessions.kw["bind"]):
            with sessions.begin() as session:
                run, resumed = jobs.nightly_run(
                    session, resume, lambda: request.start(session, "nightly", municipalities)
                )
                if resumed:
                    console.print(
                        f"Reanudando la ejecución nocturna {run.id} (iniciada {run.started_at:%Y-%m-%d %H:%M})."
                    )
            if distributed_mode:
                show = lambda r: _show(r, request.out, detail=False)  # noqa: E731
                options = request.crawl_options()
                counts = distributed.run_night(sessions, db_url, redis, run, municipalities, options, show, console)
                console.print(_finished(run.id, len(municipalities), counts))
            else:
                _execute(sessions, db_url, run, municipalities, request)
        for path in state.publish(sessions, padron, municipalities, request.out, render_screenshots=capturas):
            console.print(f"Panorama estatal escrito: {path}")
    except locks.LockBusy as error:
        fail(f"ya hay una ejecución nocturna en curso: {error}")
    except RedisError as error:
        fail(f"se perdió la conexión con Redis en {redis}: {error}")
    except EXPECTED_ERRORS as error:
        fail(str(error))


@dataclass
class RunRequest:
    """What the user asked of a crawling run, before it is validated."""

    db: str | None
    fecha_corte: str | None
    catalog: str
    allow_private_network: bool
    hosts: Path | None
    max_pages: int | None
    delay: float | None
    out: Path
    archive_dir: Path | None = None

    def open(self):
        """Checks what can be checked before a run is stored (the reports folder, the catalog, the date, the
        programs a crawl needs), then opens the database."""
        writable_directory(self.out)
        jobs.require_crawl_programs()
        options.catalog(self.catalog)
        options.parse_fecha_corte(self.fecha_corte)
        options.hosts(self.hosts)
        db_url = self.db or default_url()
        sessions = open_database(db_url)
        if legacy := webarchive.legacy_directories():
            err_console.print(
                f"Aviso: hay {len(legacy)} carpetas de archivo web en la ubicación compartida anterior "
                f"{webarchive.shared_root()} (p. ej. {legacy[0].name}); pueden mezclar registros de varias bases de "
                "datos y ya no se usan: cada base guarda ahora su propio archivo. Revíselas y bórrelas "
                "(docs/evidencia.md).",
                highlight=False,
            )
        return sessions, db_url

    def start(self, session, kind: str, municipalities: list[Municipality]):
        config = {
            "municipios": [m.inegi_code for m in municipalities],
            "max_pages": self.max_pages,
            "delay": self.delay,
            "allow_private_network": self.allow_private_network,
            "out": str(self.out),
        }
        corte = options.parse_fecha_corte(self.fecha_corte)
        return jobs.start_run(session, kind, corte, options.catalog(self.catalog), config)

    def crawl_options(self) -> jobs.CrawlOptions:
        return jobs.CrawlOptions(
            self.allow_private_network, options.hosts(self.hosts), self.max_pages, self.delay, self.archive_dir
        )


def _execute(sessions, db_url: str, run, municipalities: list[Municipality], request: RunRequest) -> dict[str, int]:
    """Runs the job; one municipality gets its findings table, many get a line each."""
    catalog = options.catalog(run.catalog)
    detail = len(municipalities) == 1
    summary = []  # rows, not reports: a state's 125 reports with their findings take hundreds of MiB

    def on_report(report) -> None:
        summary.append(reports.summary_row(report))
        _show(report, request.out, detail)

    counts = jobs.execute(sessions, db_url, run, municipalities, catalog, request.crawl_options(), on_report)
    if not detail and summary:
        reports.print_summary(summary, console)
    console.print(_finished(run.id, len(municipalities), counts))
    return counts


@app.command("audit")
def audit_command(
    municipio: str,
    registry: RegistryOption = None,
    db: DbOption = None,
    fecha_corte: options.FechaCorteOption = None,
    catalog: options.CatalogOption = DEFAULT_EDITION,
    out: options.OutOption = Path("informes"),
) -> None:
    """Vuelve a auditar lo ya almacenado de un municipio, sin usar la red ni el navegador.

    El informe muestra las capturas de pantalla ya hechas de las páginas citadas; las que falten se hacen
    al exportar el paquete de evidencia ('apertura export --bundle').
    """
    try:
        padron = load_registry(registry)
        municipality = padron.find(municipio)
        rules = options.catalog(catalog)
        corte = options.parse_fecha_corte(fecha_corte)
        writable_directory(out)  # before the run is stored
        sessions = open_database(db, must_exist=True)
        with sessions.begin() as session:
            crawl_row = repository.latest_crawl(session, municipality.inegi_code)
            if crawl_row is None:
                raise UserError(
                    f"no hay rastreos almacenados de {municipality.name}; ejecute primero 'apertura recheck'"
                )
            run = jobs.start_run(session, "audit", corte, rules, {"crawl_id": crawl_row.id})
            refresh_pages(session, crawl_row.id)  # read by an older extractor: read again from the stored bodies
            audit_row = jobs.audit(session, run, crawl_row, municipality, rules, corte)
            repository.finish_run(session, run, status="complete", counts={"audits": 1})
            report = jobs.report(
                session, audit_row, municipality, state.peer_position(session, padron, municipality.inegi_code)
            )
            reports.write_screenshots(
                report, out / reports.SCREENSHOTS, lambda sha256: repository.body(session, sha256)
            )
        _show(report, out, screenshots=reports.SCREENSHOTS)
    except EXPECTED_ERRORS as error:
        fail(str(error))


def _finished(run_id: int, municipalities: int, counts: dict[str, int]) -> str:
    crawls = ", ".join(f"{reports.crawl_status_text(status)}: {n}" for status, n in counts.items())
    return f"Ejecución {run_id} terminada: {municipalities} municipios; rastreos: {crawls}."


def _show(report, out: Path, detail: bool = True, screenshots: str | None = None) -> None:
    with writing(out):
        paths = reports.write_reports(report, out, screenshots=screenshots)
    if detail:
        reports.print_report(report, console)
        if last := report.last_reachable:
            scores = " · ".join(f"{DIMENSION_ES[s.dimension]}: {reports.score_text(s.value)}" for s in last.scores)
            console.print(
                f"Última auditoría con el sitio accesible: {last.audit_id} (corte {last.fecha_corte.isoformat()}): {scores}",
                highlight=False,
            )
        for path in paths:
            console.print(f"Informe escrito: {path}")
    else:
        console.print(
            f"{report.inegi_code} {report.name}: {reports.scores_line(report)} → {paths[-1]}", highlight=False
        )
