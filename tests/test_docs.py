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
    assert current.count("<!-- BEGIN generado:") == len(methodology.BLOCKS)
    assert methodology.render(current, load_catalog()) == current, "regenerate with: python -m rules.methodology"
