"""Tabular exports for reviewers: CSV (one row per finding) and XLSX (a sheet per dimension plus a summary).

Both take municipality reports (pydantic), so one municipality and all of them (`--todos`) share the code.
Cells that a spreadsheet would run as a formula (=, +, -, @ at the start) are written as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from apertura.reporting.reports import NATURE_ES, http_url, status_text
from apertura.reporting.review import describe
from models import Evidence, Finding, MunicipalityReport
from models.labels import DIMENSION_ES, VERDICT_ES, crawl_status_text

# (CSV column, XLSX header, XLSX width); the CSV keeps the JSON export's field names.
COLUMNS = [
    ("inegi_code", "Clave INEGI", 10),
    ("municipality", "Municipio", 18),
    ("audit_id", "Auditoría", 9),
    ("fecha_corte", "Fecha de corte", 12),
    ("dimension", "Dimensión", 13),
    ("rule_id", "Regla", 20),
    ("parent", "Regla superior", 16),
    ("title", "Obligación", 36),
    ("legal_basis", "Fundamento legal", 24),
    ("status", "Resultado", 16),
    ("message", "Detalle", 40),
    ("evidence_count", "Núm. de evidencias", 10),
    ("evidence_url", "Evidencia (primera URL)", 40),
    ("evidence_sha256", "SHA-256", 18),
    ("evidence_matched", "Texto o enlace encontrado", 40),
    ("review_note", "Qué revisar a mano", 50),
    ("verdict", "Veredicto", 12),
    ("verdict_text", "Veredicto del revisor", 40),
    ("nature", "Naturaleza", 14),  # obligación legal o buena práctica (last: earlier columns keep their letters)
]
CSV_FIELDS = [c[0] for c in COLUMNS]
SCORE_COLUMNS = ("transparencia", "participacion", "tic", "global", "buenas_practicas")
SHEETS = [("transparencia", "Transparencia"), ("participacion", "Participación"), ("tic", "TIC")]
SUMMARY_COLUMNS = [
    ("Clave INEGI", 10),
    ("Municipio", 24),
    ("Sitio", 36),
    ("Fecha de corte", 12),
    ("Auditoría", 9),
    ("Estado del rastreo", 14),
    *((DIMENSION_ES[k], 13) for k in SCORE_COLUMNS),
    ("Estrato", 24),
    ("Lugar en el estrato", 12),
    ("Criterios no verificables", 12),
    ("Veredictos vigentes", 12),
]
STATUS_FILL = {
    "compliant": "E3F4E3",
    "partial": "FFF4D6",
    "non_compliant": "FDE2E2",
    "not_verifiable": "EFE3F7",
    "not_applicable": "EEEEEE",
}
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def finding_row(report: MunicipalityReport, finding: Finding) -> dict:
    first = finding.evidence[0] if finding.evidence else None
    return {
        "inegi_code": report.inegi_code,
        "municipality": report.name,
        "audit_id": report.audit_id,
        "fecha_corte": report.fecha_corte.isoformat(),
        "dimension": finding.dimension.value,
        "rule_id": finding.rule_id,
        "parent": finding.parent or "",
        "title": finding.title,
        "legal_basis": finding.legal_basis,
        "nature": finding.nature,
        "status": finding.status.value,
        "message": finding.message,
        "evidence_count": len(finding.evidence),
        "evidence_url": (first.url if first else None) or "",
        "evidence_sha256": (first.sha256 if first else None) or "",
        "evidence_matched": _matched(first),
        "review_note": finding.review_note,
        "verdict": finding.verdict.verdict if finding.verdict else "",
        "verdict_text": describe(finding.verdict),
    }


def _matched(evidence: Evidence | None) -> str:
    if evidence is None:
        return ""
    if evidence.kind == "absence":
        return f"Búsqueda sin resultado en {evidence.resources_examined} recursos: {', '.join(evidence.searched or [])}"
    return evidence.matched or evidence.note or ""


def _as_text(value):
    """Keeps spreadsheet programs from running scraped text as a formula."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def write_csv(reports: Iterable[MunicipalityReport], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # the BOM lets Excel read the accents
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for report in reports:
            for finding in report.findings:
                writer.writerow({k: _as_text(v) for k, v in finding_row(report, finding).items()})
    return path


def write_xlsx(reports: Iterable[MunicipalityReport], path: Path) -> Path:
    reports = list(reports)
    book = Workbook()
    summary = book.active
    if not isinstance(summary, Worksheet):  # a new workbook opens on its one worksheet
        raise TypeError(f"a new openpyxl workbook should start on a worksheet, not {summary!r}")
    summary.title = "Resumen"
    _header(summary, SUMMARY_COLUMNS)
    for report in reports:
        _append(summary, _summary_values(report))
    _finish(summary)
    for dimension, title in SHEETS:
        sheet = book.create_sheet(title)
        _header(sheet, [(header, width) for _, header, width in COLUMNS])
        for report in reports:
            for finding in report.findings:
                if finding.dimension.value == dimension:
                    _finding_line(sheet, finding_row(report, finding))
        _finish(sheet)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = io.BytesIO()  # openpyxl's zip file, left half-written by a full disk, would complain at exit
    book.save(workbook)
    path.write_bytes(workbook.getvalue())
    return path


def _summary_values(report: MunicipalityReport) -> list:
    scores: dict[str, float | None] = {s.dimension: s.value for s in report.scores}
    peers = report.peers
    return [
        report.inegi_code,
        report.name,
        report.website or "",
        report.fecha_corte.isoformat(),
        report.audit_id,
        crawl_status_text(report.crawl_status),
        *(scores.get(k) for k in SCORE_COLUMNS),
        f"{peers.label}: {peers.stratum}" if peers and peers.stratum else "",
        f"{peers.rank} de {peers.ranked}" if peers and peers.rank else "",
        sum(f.status.value == "not_verifiable" for f in report.findings if not f.is_group),
        sum(bool(f.verdict and f.verdict.current) for f in report.findings),
    ]


def _finding_line(sheet: Worksheet, row: dict) -> None:
    values = [row[field] for field in CSV_FIELDS]
    values[CSV_FIELDS.index("status")] = status_text(row["status"], row["nature"])
    values[CSV_FIELDS.index("nature")] = NATURE_ES[row["nature"]]
    values[CSV_FIELDS.index("dimension")] = DIMENSION_ES[row["dimension"]]
    values[CSV_FIELDS.index("verdict")] = VERDICT_ES.get(row["verdict"], row["verdict"])
    line = _append(sheet, values)
    status_cell = sheet.cell(line, CSV_FIELDS.index("status") + 1)
    status_cell.fill = PatternFill("solid", fgColor=STATUS_FILL[row["status"]])
    href = http_url(row["evidence_url"])
    if href:
        link = sheet.cell(line, CSV_FIELDS.index("evidence_url") + 1)
        link.hyperlink = href
        link.font = Font(color="1F5FA0", underline="single")


def _append(sheet: Worksheet, values: list) -> int:
    """Appends a row whose strings stay strings (openpyxl would store '=…' as a formula); returns its number."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
    return sheet.max_row


def _header(sheet: Worksheet, columns: list[tuple[str, int]]) -> None:
    sheet.append([header for header, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        cell = sheet.cell(1, index)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width


def _finish(sheet: Worksheet) -> None:
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
