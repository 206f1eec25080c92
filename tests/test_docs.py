"""Documentation that is generated must match what generates it."""

import json
from pathlib import Path

from models import MunicipalityReport

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_export_schema_is_up_to_date():
    documented = json.loads((DOCS / "esquema-exportacion.json").read_text(encoding="utf-8"))
    assert documented == MunicipalityReport.model_json_schema(), (
        "regenerate with: apertura schema > docs/esquema-exportacion.json"
    )


def test_methodology_tables_match_the_catalog():
    """docs/metodologia.md: periods, applicability, indexes and the worked example are generated from the catalog."""
    from rules import methodology
    from rules.catalog import load_catalog

    current = (DOCS / "metodologia.md").read_text(encoding="utf-8")
    assert current.count("<!-- BEGIN generado:") == len(methodology.BLOCKS) + len(methodology.SAMPLE_BLOCKS)
    assert methodology.render(current, load_catalog()) == current, "regenerate with: python -m rules.methodology"


def test_methodology_measurements_match_an_audit_of_the_sample_web(sample_run, tmp_path):
    """docs/metodologia.md § 7: precision, recall and every disagreement come from a real crawl and audit of the
    sample web (the session's `apertura nightly` at 2026-11-24), never typed by hand."""
    from rules import methodology
    from tests.conftest import run_apertura

    result = run_apertura("evaluar", "--db", sample_run["db"], "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    exported = run_apertura(
        "export", "--todos", "--format", "json", "--db", sample_run["db"], "--out", str(tmp_path / "a.json")
    )
    assert exported.returncode == 0, exported.stderr[-2000:]
    audits = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    current = (DOCS / "metodologia.md").read_text(encoding="utf-8")
    assert methodology.render_sample(current, report, audits) == current, (
        "regenerate with: python -m rules.methodology --muestra evaluacion.json auditorias.json (docs/metodologia.md § 7)"
    )
    total = report["publicado"]
    assert f"| **Total** | {total['aciertos']} | {total['predichos']} | {total['etiquetados']} |" in current
