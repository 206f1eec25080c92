"""`export`: the latest audit of a municipality, for reviewers and other programs."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from apertura import jobs, reports
from apertura.app import EXPECTED_ERRORS, DbOption, RegistryOption, UserError, app, console, fail
from apertura.registry import load_registry
from models import MunicipalityReport
from storage import repository
from storage.database import open_database


class ExportFormat(StrEnum):
    json = "json"
    html = "html"


@app.command()
def export(
    municipio: str,
    out: Annotated[Path, typer.Option("--out", help="Archivo de salida.")],
    format: Annotated[ExportFormat, typer.Option("--format", help="Formato de salida.")] = ExportFormat.json,
    registry: RegistryOption = None,
    db: DbOption = None,
) -> None:
    """Exporta los hallazgos de la auditoría más reciente de un municipio."""
    try:
        municipality = load_registry(registry).find(municipio)
        with open_database(db).begin() as session:
            audit_row = repository.latest_audit(session, municipality.inegi_code)
            if audit_row is None:
                raise UserError(f"no hay auditorías de {municipality.name}; ejecute 'apertura recheck {municipality.inegi_code}'")
            report = jobs.report(session, audit_row, municipality)
        writer = reports.write_json if format is ExportFormat.json else reports.write_html
        console.print(f"Exportado: {writer(report, out)}")
    except EXPECTED_ERRORS as error:
        fail(str(error))


@app.command()
def schema() -> None:
    """Imprime el esquema JSON de la exportación (generado de los modelos)."""
    print(json.dumps(MunicipalityReport.model_json_schema(), indent=2, ensure_ascii=False))
