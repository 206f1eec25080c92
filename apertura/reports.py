"""Renders reports from pydantic models (never from ORM rows): terminal table, JSON, HTML."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.padding import Padding
from rich.table import Table

from apertura.registry import STRATA
from apertura.labels import CRAWL_STATUS_ES, DIMENSION_ES, STATUS_ES, VERDICT_ES, crawl_status_text  # noqa: F401 (re-exported)
from apertura.review import describe
from models import MunicipalityReport, Status

STATUS_STYLE = {
    Status.COMPLIANT: "green",
    Status.PARTIAL: "yellow",
    Status.NON_COMPLIANT: "red",
    Status.NOT_VERIFIABLE: "magenta",
    Status.NOT_APPLICABLE: "dim",
}

_templates = Environment(
    loader=PackageLoader("apertura", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_templates.globals.update(STATUS_ES=STATUS_ES, DIMENSION_ES=DIMENSION_ES, VERDICT_ES=VERDICT_ES, STRATA=STRATA)
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")


def http_url(url: str | None) -> str | None:
    """The URL if it may become a link (http or https); anything else (javascript:, data:…) stays text."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def hex_digest(value: str | None) -> str | None:
    """A SHA-256 safe to put in a path (capturas/<sha>.png)."""
    return value if isinstance(value, str) and _HEX_DIGEST.fullmatch(value) else None


def score_text(value: float | None) -> str:
    return "n/d" if value is None else f"{value:.1f}"


_templates.filters.update(
    http_url=http_url, hex_digest=hex_digest, verdict_text=describe, score=score_text, crawl_status=crawl_status_text
)


def render(template: str, **context) -> str:
    return _templates.get_template(template).render(**context)


WIDE = 120  # below this many columns a table would cut rule ids or squeeze the detail: one block per row


def print_report(report: MunicipalityReport, console: Console) -> None:
    if console.width < WIDE:
        console.print(f"[bold]{report.name} ({report.inegi_code}) — corte {report.fecha_corte.isoformat()}[/]")
        for finding in report.findings:
            if not finding.parent:
                style = STATUS_STYLE[finding.status]
                console.print(f"[bold]{finding.rule_id}[/] · {finding.title} · [{style}]{STATUS_ES[finding.status]}[/]", highlight=False)
                console.print(Padding(finding.message, (0, 0, 0, 4)), highlight=False)
        console.print(scores_line(report))
        return
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


def summary_row(report: MunicipalityReport) -> tuple[str, ...]:
    """A report's row in the run's summary table: what a night keeps of each report until the end."""
    return (report.inegi_code, report.name, crawl_status_text(report.crawl_status), *(score_text(s.value) for s in report.scores))


def print_summary(rows: list[tuple[str, ...]], console: Console) -> None:
    """One row per municipality (`summary_row`): crawl status and scores by dimension."""
    table = Table(title="Resumen de la ejecución")
    for column in ("Clave", "Municipio", "Rastreo", *DIMENSION_ES.values()):
        # on a narrow terminal names and headers wrap; a code or a crawl status must stay whole
        table.add_column(column, no_wrap=column in ("Clave", "Rastreo"))
    for row in rows:
        table.add_row(*row)
    console.print(table)


def scores_line(report: MunicipalityReport) -> str:
    return " · ".join(f"{DIMENSION_ES[s.dimension]}: {score_text(s.value)}" for s in report.scores)


def write_json(report: MunicipalityReport, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.model_dump_json(indent=2), encoding="utf-8")
    return path


def write_html(report: MunicipalityReport, path: Path, screenshots: str | None = None) -> Path:
    """`screenshots`: folder, relative to the report, holding `<sha256>.png` (as in an evidence bundle,
    "../evidencia/capturas"); without it the report names the screenshots instead of showing thumbnails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render("municipio.html.j2", report=report, screenshots=screenshots), encoding="utf-8")
    return path


def write_reports(report: MunicipalityReport, directory: Path, screenshots: str | None = None) -> list[Path]:
    stem = directory / f"{report.inegi_code}"
    return [write_json(report, stem.with_suffix(".json")), write_html(report, stem.with_suffix(".html"), screenshots)]
