"""Renders reports from pydantic models (never from ORM rows): terminal table, JSON, HTML."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.table import Table

from models import MunicipalityReport, Status

STATUS_ES = {
    Status.COMPLIANT: "Cumple",
    Status.PARTIAL: "Cumple parcialmente",
    Status.NON_COMPLIANT: "No cumple",
    Status.NOT_VERIFIABLE: "No verificable",
    Status.NOT_APPLICABLE: "No aplica",
}
STATUS_STYLE = {
    Status.COMPLIANT: "green",
    Status.PARTIAL: "yellow",
    Status.NON_COMPLIANT: "red",
    Status.NOT_VERIFIABLE: "magenta",
    Status.NOT_APPLICABLE: "dim",
}
DIMENSION_ES = {"transparencia": "Transparencia", "participacion": "Participación", "tic": "TIC", "global": "Índice global"}

_templates = Environment(
    loader=PackageLoader("apertura", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.globals.update(STATUS_ES=STATUS_ES, DIMENSION_ES=DIMENSION_ES)


def print_report(report: MunicipalityReport, console: Console) -> None:
    table = Table(title=f"{report.name} ({report.inegi_code}) — corte {report.fecha_corte.isoformat()}")
    table.add_column("Regla", no_wrap=True)
    table.add_column("Obligación")
    table.add_column("Resultado")
    table.add_column("Detalle")
    for finding in report.findings:
        if finding.parent:
            continue  # formats are summarised by their fraction; all are in the JSON/HTML reports
        style = STATUS_STYLE[finding.status]
        table.add_row(finding.rule_id, finding.title, f"[{style}]{STATUS_ES[finding.status]}[/]", finding.message)
    console.print(table)
    console.print(scores_line(report))


def scores_line(report: MunicipalityReport) -> str:
    parts = []
    for s in report.scores:
        value = "n/d" if s.value is None else f"{s.value:.1f}"
        parts.append(f"{DIMENSION_ES[s.dimension]}: {value}")
    return " · ".join(parts)


def write_json(report: MunicipalityReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    return path


def write_html(report: MunicipalityReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_templates.get_template("municipio.html.j2").render(report=report), encoding="utf-8")
    return path


def write_reports(report: MunicipalityReport, directory: Path) -> list[Path]:
    stem = directory / f"{report.inegi_code}"
    return [write_json(report, stem.with_suffix(".json")), write_html(report, stem.with_suffix(".html"))]
