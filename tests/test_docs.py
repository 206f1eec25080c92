"""Documentation that is generated must match what generates it."""

import json
from pathlib import Path

from models import MunicipalityReport

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_export_schema_is_up_to_date():
    documented = json.loads((DOCS / "esquema-exportacion.json").read_text(encoding="utf-8"))
    assert documented == MunicipalityReport.model_json_schema(), "regenerate with: apertura schema > docs/esquema-exportacion.json"
