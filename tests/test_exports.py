"""`apertura export` in CSV, XLSX and JSON, for one municipality and for all (--todos)."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from apertura.cli.main import app
from apertura.reporting import exports
from models import MunicipalityReport

runner = CliRunner()
KNOWN_RULE = "ltaipemym.92.I"  # Metepec publishes its marco normativo (sample_web/labels.yaml)


def export(sample_run, *args: str):
    result = runner.invoke(app, ["export", *args, "--registry", str(sample_run["registry"]), "--db", sample_run["db"]])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def metepec(sample_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("metepec") / "15054.json"
    export(sample_run, "15054", "--format", "json", "--out", str(out))
    return MunicipalityReport.model_validate_json(out.read_text(encoding="utf-8"))


def test_csv_has_one_row_per_finding_with_flattened_evidence(sample_run, metepec, tmp_path):
    export(sample_run, "metepec", "--format", "csv", "--out", str(tmp_path / "m.csv"))
    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == exports.CSV_FIELDS
    assert [r["rule_id"] for r in rows] == [f.rule_id for f in metepec.findings]
    finding = next(f for f in metepec.findings if f.rule_id == KNOWN_RULE)
    row = next(r for r in rows if r["rule_id"] == KNOWN_RULE)
    assert row["status"] == "compliant" == finding.status.value
    assert row["evidence_url"] == finding.evidence[0].url and row["evidence_url"].endswith(
        "/transparencia/marco-normativo/"
    )
    assert row["evidence_sha256"] == finding.evidence[0].sha256 and len(row["evidence_sha256"]) == 64
    assert row["evidence_matched"] == finding.evidence[0].matched
    assert int(row["evidence_count"]) == len(finding.evidence) and row["legal_basis"] == "LTAIPEMyM, art. 92, fr. I"
    absent = next(r for r in rows if r["status"] == "non_compliant" and r["evidence_count"] != "0")
    assert absent["evidence_matched"].startswith("Búsqueda sin resultado en ")


def test_xlsx_is_formatted_for_reviewers(sample_run, metepec, tmp_path):
    export(sample_run, "15054", "--format", "xlsx", "--out", str(tmp_path / "m.xlsx"))
    book = load_workbook(tmp_path / "m.xlsx")
    assert book.sheetnames == ["Resumen", "Transparencia", "Participación", "TIC"]
    summary = book["Resumen"]
    assert [c.value for c in summary[1]][:6] == [
        "Clave INEGI",
        "Municipio",
        "Sitio",
        "Fecha de corte",
        "Auditoría",
        "Estado del rastreo",
    ]
    scores = {s.dimension: s.value for s in metepec.scores}
    assert (
        summary["A2"].value == "15054" and summary["F2"].value == "correcto" and summary["J2"].value == scores["global"]
    )
    sheet = book["Transparencia"]
    headers = [c.value for c in sheet[1]]
    assert headers == [header for _, header, _ in exports.COLUMNS]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    assert sheet[1][0].font.bold and sheet.column_dimensions["H"].width == 36
    row = next(r for r in sheet.iter_rows(min_row=2) if r[headers.index("Regla")].value == KNOWN_RULE)
    url_cell = row[headers.index("Evidencia (primera URL)")]
    assert url_cell.hyperlink.target == url_cell.value and url_cell.value.endswith("/transparencia/marco-normativo/")
    status_cell = row[headers.index("Resultado")]
    assert status_cell.value == "Cumple" and status_cell.fill.fgColor.rgb.endswith(exports.STATUS_FILL["compliant"])
    assert row[headers.index("Obligación")].alignment.wrap_text
    transparency = sum(f.dimension == "transparencia" for f in metepec.findings)
    assert sheet.max_row == 1 + transparency
    assert book["TIC"].max_row == 1 + sum(f.dimension == "tic" for f in metepec.findings)


def test_todos_exports_every_audited_municipality(sample_run, tmp_path):
    export(sample_run, "--todos", "--format", "csv", "--out", str(tmp_path / "todos.csv"))
    export(sample_run, "--todos", "--format", "xlsx", "--out", str(tmp_path / "todos.xlsx"))
    export(sample_run, "--todos", "--format", "json", "--out", str(tmp_path / "todos.json"))
    with open(tmp_path / "todos.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["inegi_code"] for r in rows} == {"15054", "15001", "15125", "15123"}
    luvianos = {r["status"] for r in rows if r["inegi_code"] == "15123"}  # unreachable: never non_compliant
    assert "not_verifiable" in luvianos and luvianos <= {"not_verifiable", "not_applicable"}
    summary = load_workbook(tmp_path / "todos.xlsx")["Resumen"]
    assert sorted(summary.cell(r, 1).value for r in range(2, summary.max_row + 1)) == [
        "15001",
        "15054",
        "15123",
        "15125",
    ]
    assert len(json.loads((tmp_path / "todos.json").read_text(encoding="utf-8"))) == 4


def test_export_needs_one_municipality_or_todos(sample_run, tmp_path):
    result = runner.invoke(app, ["export", "--out", str(tmp_path / "x.csv"), "--db", sample_run["db"]])
    assert result.exit_code == 2 and "--todos" in result.output
    result = runner.invoke(
        app, ["export", "--todos", "--format", "html", "--out", str(tmp_path / "x.html"), "--db", sample_run["db"]]
    )
    assert result.exit_code == 2 and "apertura overview" in result.output


def test_scraped_formulas_stay_text(metepec, tmp_path):
    finding = next(f for f in metepec.findings if f.rule_id == KNOWN_RULE)
    evidence = [finding.evidence[0].model_copy(update={"matched": '=HYPERLINK("http://x.test","clic")'})]
    report = metepec.model_copy(
        update={"findings": [finding.model_copy(update={"evidence": evidence, "title": "@SUM(A1)"})]}
    )
    exports.write_xlsx([report], tmp_path / "f.xlsx")
    exports.write_csv([report], tmp_path / "f.csv")
    cell = load_workbook(tmp_path / "f.xlsx")["Transparencia"]["O2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x.test","clic")'
    with open(tmp_path / "f.csv", encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["evidence_matched"].startswith("'=HYPERLINK") and row["title"] == "'@SUM(A1)"
