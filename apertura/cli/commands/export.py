"""`export`: the latest audit of a municipality, for reviewers and other programs."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from apertura.cli.app import EXPECTED_ERRORS, DbOption, RegistryOption, app, console, fail, writing
from apertura.cli.commands.bundle import BundleOption, TsaUrlOption, write_bundle
from apertura.errors import UserError
from apertura.evidence import screenshots
from apertura.pipeline import jobs
from apertura.registry.padron import load_registry
from apertura.reporting import exports, reports
from apertura.reporting import overview as state
from models import MunicipalityReport
from storage import repository
from storage.database import open_database


class ExportFormat(StrEnum):
    json = "json"
    html = "html"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def export(
    out: Annotated[Path | None, typer.Option("--out", help="Archivo de salida.")] = None,
    municipio: Annotated[str | None, typer.Argument(help="Clave INEGI o nombre; omítalo con --todos.")] = None,
    format: Annotated[ExportFormat, typer.Option("--format", help="Formato de salida.")] = ExportFormat.json,
    todos: Annotated[
        bool, typer.Option("--todos", help="Todos los municipios auditados en un archivo (csv, xlsx, json).")
    ] = False,
    registry: RegistryOption = None,
    db: DbOption = None,
    bundle: BundleOption = None,
    tsa_url: TsaUrlOption = None,
) -> None:
    """Exporta los hallazgos de la auditoría más reciente de un municipio (o de todos, con --todos)."""
    try:
        reg = load_registry(registry)
        if todos == (municipio is not None):
            raise UserError("indique un municipio o --todos (no ambos)")
        if (out is None) == (bundle is None) or (bundle is not None and todos):
            raise UserError("indique --out o, para un municipio, --bundle (uno de los dos)")
        if todos and format is ExportFormat.html:
            raise UserError("--todos no admite --format html; use 'apertura overview' para el panorama estatal")
        sessions = open_database(db, must_exist=True)
        if bundle is not None:  # the evidence stage, on demand: the bundle holds a screenshot of each cited page
            if municipio is None:  # already refused above: --bundle with --todos
                raise UserError("--bundle es para un municipio")
            with sessions.begin() as session:
                latest = repository.latest_audit(session, reg.find(municipio).inegi_code)
            screenshots.ensure(sessions, [latest.id] if latest else [])
        with sessions.begin() as session:
            peers = {r.inegi_code: r.peers for r in state.build(reg, state.load_latest(session)).municipalities}
            chosen = reg.all() if municipio is None else [reg.find(municipio)]  # no municipio: --todos
            found = [(m, repository.latest_audit(session, m.inegi_code)) for m in chosen]
            if not todos and found[0][1] is None:
                m = found[0][0]
                raise UserError(f"no hay auditorías de {m.name}; ejecute 'apertura recheck {m.inegi_code}'")
            exported = [jobs.report(session, a, m, peers.get(m.inegi_code)) for m, a in found if a is not None]
            if bundle is not None:
                return write_bundle(session, exported[0], bundle, tsa_url)
        if not exported:
            raise UserError("no hay auditorías almacenadas; ejecute 'apertura nightly'")
        if out is None:  # already refused above: neither --out nor --bundle
            raise UserError("indique --out")
        with writing(out):
            written = _write(exported, format, out, todos)
        console.print(f"Exportado: {written}")
    except EXPECTED_ERRORS as error:
        fail(str(error))


def _write(exported: list[MunicipalityReport], format: ExportFormat, out: Path, todos: bool) -> Path:
    if format is ExportFormat.csv:
        return exports.write_csv(exported, out)
    if format is ExportFormat.xlsx:
        return exports.write_xlsx(exported, out)
    if format is ExportFormat.html:
        return reports.write_html(exported[0], out)
    if todos:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps([r.model_dump(mode="json") for r in exported], ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return out
    return reports.write_json(exported[0], out)


@app.command()
def schema() -> None:
    """Imprime el esquema JSON de la exportación (generado de los modelos)."""
    print(json.dumps(MunicipalityReport.model_json_schema(), indent=2, ensure_ascii=False))
